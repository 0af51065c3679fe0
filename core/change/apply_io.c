/*
 * apply_io.c - where the executor finds the guest's files: a libguestfs
 * handle with the system volume mounted read-write at "/", or a host
 * directory standing in for it (tests).
 */
#include "apply.h"
#include "apply_priv.h"
#include "guestdl.h"
#include "strbuf.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- a host directory ------------------------------------------------------------- */

static char *dpath(void *ud, const char *path)
{
	return wf_xasprintf("%s%s", (const char *)ud, path);
}

static int d_exists(void *ud, const char *path, uint64_t *size)
{
	char *p = dpath(ud, path);
	struct stat st;
	int r = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	if (r && size)
		*size = (uint64_t)st.st_size;
	free(p);
	return r;
}

static int d_download(void *ud, const char *path, const char *host, struct wf_error *e)
{
	char *p = dpath(ud, path);
	int r = wf_host_copy(p, host, e);
	free(p);
	return r;
}

static int d_upload(void *ud, const char *host, const char *path, struct wf_error *e)
{
	char *p = dpath(ud, path);
	int r = wf_host_copy(host, p, e);
	free(p);
	return r;
}

static int d_copy(void *ud, const char *from, const char *host, const char *to,
		  struct wf_error *e)
{
	(void)host;
	char *a = dpath(ud, from), *b = dpath(ud, to);
	int r = wf_host_copy(a, b, e);
	free(a);
	free(b);
	return r;
}

static int d_rename(void *ud, const char *from, const char *to, struct wf_error *e)
{
	char *a = dpath(ud, from), *b = dpath(ud, to);
	int r = rename(a, b) < 0 ? wf_error_set(e, WF_ERR_INPUT, "%s: cannot rename to %s: %s",
						  from, to, strerror(errno)) : 0;
	free(a);
	free(b);
	return r;
}

static int d_remove(void *ud, const char *path, struct wf_error *e)
{
	char *p = dpath(ud, path);
	int r = unlink(p) < 0 && errno != ENOENT
		? wf_error_set(e, WF_ERR_INPUT, "%s: cannot remove: %s", path, strerror(errno)) : 0;
	free(p);
	return r;
}

static int d_mkdir_p(void *ud, const char *path, struct wf_error *e)
{
	char *p = dpath(ud, path);
	int r = wf_host_mkdir_p(p, e);
	free(p);
	return r;
}

static int d_sync(void *ud, struct wf_error *e)
{
	(void)ud;
	(void)e;
	sync();
	return 0;
}

static char **d_list(void *ud, const char *path)
{
	char *p = dpath(ud, path);
	DIR *d = opendir(p);
	free(p);
	if (!d)
		return NULL;
	char **v = wf_xcalloc(1, sizeof *v);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		v = wf_xrealloc(v, (n + 2) * sizeof *v);
		v[n++] = wf_xstrdup(de->d_name);
		v[n] = NULL;
	}
	closedir(d);
	return v;
}

void wf_apply_io_dir(struct wf_apply_io *io, const char *root)
{
	memset(io, 0, sizeof *io);
	io->ud = (void *)root;
	io->exists = d_exists;
	io->download = d_download;
	io->upload = d_upload;
	io->rename = d_rename;
	io->copy = d_copy;
	io->remove = d_remove;
	io->mkdir_p = d_mkdir_p;
	io->sync = d_sync;
	io->list = d_list;
}

/* --- libguestfs -------------------------------------------------------------------- */

/* The path with its existing components in the case they have on disk
 * (NTFS is case-insensitive, the appliance is not). */
static char *gpath_uncached(guestfs_h *g, const char *path)
{
	char *real = guestfs_case_sensitive_path(g, path);
	return real ? real : wf_xstrdup(path);
}

/* What gpath answered, kept on the handle while a volume stays mounted:
 * an apply asks for the same few paths dozens of times, and each
 * answer is a round trip through the appliance (~80 of ~250 calls of an
 * inject-virtio).  Only this io writes while it exists, so an answer
 * changes only when a name goes away: remove and rename forget it (and
 * what is under it), and a rename then records its target under the name
 * it was given (the read-back asks for it next).  wf_apply_io_guestfs
 * starts a new cache (a mount comes before it). */
#define CASE_MAX 256
struct case_cache {
	size_t n;
	char *path[CASE_MAX], *real[CASE_MAX];
};

static void case_clear(struct case_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->path[i]);
		free(c->real[i]);
	}
	c->n = 0;
}

static void case_free(void *p)
{
	case_clear(p);
	free(p);
}

static void case_close(guestfs_h *g, void *opaque, uint64_t event, int handle, int flags,
		       const char *buf, size_t buf_len, const uint64_t *array, size_t array_len)
{
	(void)g, (void)event, (void)handle, (void)flags, (void)buf, (void)buf_len;
	(void)array, (void)array_len;
	case_free(opaque);
}

static struct case_cache *case_of(guestfs_h *g)
{
	return guestfs_get_private(g, "wf_case");
}

static void case_put(guestfs_h *g, const char *path, const char *real)
{
	struct case_cache *c = case_of(g);
	if (!c)
		return;
	if (c->n == CASE_MAX)
		case_clear(c);
	c->path[c->n] = wf_xstrdup(path);
	c->real[c->n++] = wf_xstrdup(real);
}

static char *gpath(guestfs_h *g, const char *path);

/* The executor's staged name "<target>.wf-new" (apply_priv.h) takes its
 * target's case: the target was looked up already (probed, backed up)
 * and is renamed onto next, so this costs no round trip.  A staged file
 * left by an earlier run was named the same way. */
static char *gpath_staged(guestfs_h *g, const char *path)
{
	size_t n = strlen(path), k = strlen(WF_STAGED_SUFFIX);
	if (n <= k || strcmp(path + n - k, WF_STAGED_SUFFIX) != 0)
		return NULL;
	char *target = wf_xstrndup(path, n - k);
	char *real = gpath(g, target);
	char *staged = wf_xasprintf("%s" WF_STAGED_SUFFIX, real);
	free(real);
	free(target);
	return staged;
}

static char *gpath(guestfs_h *g, const char *path)
{
	char *staged = gpath_staged(g, path);
	if (staged)
		return staged;
	struct case_cache *c = case_of(g);
	for (size_t i = 0; c && i < c->n; i++)
		if (strcmp(c->path[i], path) == 0)
			return wf_xstrdup(c->real[i]);
	char *real = gpath_uncached(g, path);
	case_put(g, path, real);
	return real;
}

/* Forget `path` and everything under it (compared without case, as NTFS
 * names are). */
static void case_forget(guestfs_h *g, const char *path)
{
	struct case_cache *c = case_of(g);
	size_t len = strlen(path);
	for (size_t i = 0; c && i < c->n;) {
		const char *p = c->path[i];
		if (strncasecmp(p, path, len) == 0 && (p[len] == 0 || p[len] == '/')) {
			free(c->path[i]);
			free(c->real[i]);
			c->n--;
			c->path[i] = c->path[c->n];
			c->real[i] = c->real[c->n];
		} else {
			i++;
		}
	}
}

static int gerr(guestfs_h *g, struct wf_error *e, const char *path, const char *what)
{
	const char *m = guestfs_last_error(g);
	return wf_error_set(e, WF_ERR_INPUT, "%s: cannot %s in the guest: %s", path, what,
			    m ? m : "failed");
}

static int g_exists(void *ud, const char *path, uint64_t *size)
{
	guestfs_h *g = ud;
	char *p = gpath(g, path);
	/* one lstat instead of is_file + filesize; a missing file is an
	 * answer here, not an error to print */
	guestfs_push_error_handler(g, NULL, NULL);
	struct guestfs_statns *st = guestfs_lstatns(g, p);
	guestfs_pop_error_handler(g);
	int r = st && (st->st_mode & S_IFMT) == S_IFREG;
	if (r && size)
		*size = st->st_size > 0 ? (uint64_t)st->st_size : 0;
	if (st)
		guestfs_free_statns(st);
	free(p);
	return r;
}

static int g_download(void *ud, const char *path, const char *host, struct wf_error *e)
{
	guestfs_h *g = ud;
	char *p = gpath(g, path);
	int r = wf_guest_download(g, p, host, WF_GK_BACKUP, NULL, e) < 0 ? -1 : 0;
	free(p);
	return r;
}

/* A file up to this size goes in one guestfs_write (the bytes inside the
 * call; the protocol's messages hold up to 4 MB): 0.01-0.02 s under TCG,
 * where an upload, whose bytes follow the call in chunks, takes 0.13 s
 * however small the file. */
#define WRITE_MAX (1u << 20)

/* 1 with the host file's bytes in sb when it is small enough for one
 * write; else 0 (sb empty). */
static int small_file(const char *host, struct wf_strbuf *sb)
{
	struct stat st;
	if (stat(host, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > WRITE_MAX)
		return 0;
	if (wf_sb_read_file(sb, host, WRITE_MAX + 1, NULL) == 0 && sb->len <= WRITE_MAX)
		return 1;
	wf_sb_release(sb);
	return 0;
}

static int g_upload(void *ud, const char *host, const char *path, struct wf_error *e)
{
	guestfs_h *g = ud;
	char *p = gpath(g, path);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = small_file(host, &sb) ? guestfs_write(g, p, sb.buf, sb.len) : guestfs_upload(g, host, p);
	if (r < 0)
		r = gerr(g, e, path, "write it");
	wf_sb_release(&sb);
	free(p);
	return r;
}

static int g_rename(void *ud, const char *from, const char *to, struct wf_error *e)
{
	guestfs_h *g = ud;
	char *a = gpath(g, from), *b = gpath(g, to);
	int r = guestfs_mv(g, a, b) < 0 ? gerr(g, e, to, "rename over it") : 0;
	case_forget(g, from);
	case_forget(g, to);
	if (r == 0)	/* `to` is now the name we gave it: verification asks next */
		case_put(g, to, b);
	free(a);
	free(b);
	return r;
}

/* A small file in one write (g_upload), a large one copied inside the
 * appliance: under TCG cp takes 0.19 s for 1 MB, 2.1 s for 10 MB and
 * 6.3 s for 40 MB where an upload takes 0.40, 2.7 and 15 s. */
static int g_copy(void *ud, const char *from, const char *host, const char *to,
		  struct wf_error *e)
{
	guestfs_h *g = ud;
	struct stat st;
	if (stat(host, &st) == 0 && st.st_size <= WRITE_MAX)
		return g_upload(ud, host, to, e);
	char *a = gpath(g, from), *b = gpath(g, to);
	int r = guestfs_cp(g, a, b) < 0 ? gerr(g, e, to, "copy to it") : 0;
	free(a);
	free(b);
	return r;
}

static int g_remove(void *ud, const char *path, struct wf_error *e)
{
	guestfs_h *g = ud;
	char *p = gpath(g, path);
	int r = guestfs_rm_f(g, p) < 0 ? gerr(g, e, path, "remove it") : 0;
	case_forget(g, path);
	free(p);
	return r;
}

static int g_mkdir_p(void *ud, const char *path, struct wf_error *e)
{
	guestfs_h *g = ud;
	char *p = gpath(g, path);
	int r = guestfs_mkdir_p(g, p) < 0 ? gerr(g, e, path, "create the folder") : 0;
	free(p);
	return r;
}

static int g_sync(void *ud, struct wf_error *e)
{
	guestfs_h *g = ud;
	return guestfs_sync(g) < 0 ? gerr(g, e, "/", "sync the disk") : 0;
}

static char **g_list(void *ud, const char *path)
{
	guestfs_h *g = ud;
	char *p = gpath(g, path);
	char **v = guestfs_is_dir(g, p) > 0 ? guestfs_ls(g, p) : NULL;
	free(p);
	return v;
}

static int g_sha256(void *ud, const char *path, char hex[65], struct wf_error *e)
{
	guestfs_h *g = ud;
	char *p = gpath(g, path);
	char *s = guestfs_checksum(g, "sha256", p);
	free(p);
	if (!s)
		return gerr(g, e, path, "hash it");
	snprintf(hex, 65, "%s", s);
	free(s);
	return strlen(hex) == 64 ? 0 : wf_error_set(e, WF_ERR_INPUT, "%s: bad checksum", path);
}

static int g_free_bytes(void *ud, uint64_t *out)
{
	struct guestfs_statvfs *v = guestfs_statvfs(ud, "/");
	if (!v)
		return -1;
	*out = (uint64_t)v->bavail * (uint64_t)v->frsize;
	guestfs_free_statvfs(v);
	return 0;
}

/* Byte progress: libguestfs' progress events (array: proc, serial,
 * position, total) while a listener is set; kept as the handle's private
 * data so that a second watch replaces the first. */
struct g_watch {
	void (*fn)(void *fud, uint64_t done, uint64_t total);
	void *fud;
	int handle;
};

static void g_progress(guestfs_h *g, void *opaque, uint64_t event, int handle, int flags,
		       const char *buf, size_t buf_len, const uint64_t *array, size_t array_len)
{
	(void)g, (void)event, (void)handle, (void)flags, (void)buf, (void)buf_len;
	struct g_watch *w = opaque;
	if (array_len >= 4)
		w->fn(w->fud, array[2], array[3]);
}

static void g_watch_set(void *ud, void (*fn)(void *fud, uint64_t done, uint64_t total), void *fud)
{
	guestfs_h *g = ud;
	struct g_watch *w = guestfs_get_private(g, "wf_watch");
	if (w) {
		guestfs_delete_event_callback(g, w->handle);
		guestfs_set_private(g, "wf_watch", NULL);
		free(w);
	}
	if (!fn)
		return;
	w = wf_xcalloc(1, sizeof *w);
	w->fn = fn;
	w->fud = fud;
	w->handle = guestfs_set_event_callback(g, g_progress, GUESTFS_EVENT_PROGRESS, 0, w);
	if (w->handle < 0)
		free(w);
	else
		guestfs_set_private(g, "wf_watch", w);
}

void wf_apply_io_guestfs(struct wf_apply_io *io, guestfs_h *g)
{
	memset(io, 0, sizeof *io);
	struct case_cache *c = case_of(g);
	if (c)
		case_clear(c);
	else if ((c = calloc(1, sizeof *c)) != NULL) {
		guestfs_set_private(g, "wf_case", c);
		guestfs_set_event_callback(g, case_close, GUESTFS_EVENT_CLOSE, 0, c);
	}
	io->ud = g;
	io->exists = g_exists;
	io->download = g_download;
	io->upload = g_upload;
	io->rename = g_rename;
	io->copy = g_copy;
	io->remove = g_remove;
	io->mkdir_p = g_mkdir_p;
	io->sync = g_sync;
	io->list = g_list;
	io->sha256 = g_sha256;
	io->watch = g_watch_set;
	io->free_bytes = g_free_bytes;
}
