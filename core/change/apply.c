/*
 * apply.c - the executor (see apply.h): backups, journal, host-side apply
 * and verify, staging and commit (apply_stage.c), read-back verification.
 */
#include "apply.h"
#include "apply_priv.h"
#include "hive.h"
#include "hostfile.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void wf_apply_result_free(struct wf_apply_result *r)
{
	wf_journal_free(&r->journal);
	free(r->guest_backup);
	free(r->host_backup);
	memset(r, 0, sizeof *r);
}

void wf_apply_step(struct wf_run *x, const char *fmt, ...)
{
	if (!x->o || !x->o->progress)
		return;
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->step++;
	x->o->progress(x->o->progress_ud, x->step, x->total > x->step ? x->total : x->step, msg);
}

static void forward_bytes(void *ud, uint64_t done, uint64_t total)
{
	const struct wf_run *x = ud;
	x->o->bytes(x->o->progress_ud, done, total);
}

void wf_apply_watch(struct wf_run *x, int on)
{
	const struct wf_apply_io *io = x->t->io;
	if (x->o && x->o->bytes && io->watch)
		io->watch(io->ud, on ? forward_bytes : NULL, on ? x : NULL);
}

int wf_apply_cancelled(const struct wf_run *x, struct wf_error *e)
{
	if (x->o && x->o->cancel && *x->o->cancel)
		return wf_error_set(e, WF_ERR_CANCELLED,
				    "interrupted before anything in the guest was changed (backups stay in %s)",
				    x->hbk ? x->hbk : "the backup folder");
	return 0;
}

int wf_host_mkdir_p(const char *path, struct wf_error *e)
{
	char *p = wf_xstrdup(path);
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || !*s) {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				wf_error_set(e, WF_ERR_INPUT, "%s: cannot create the folder: %s",
					     p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return 0;
}

int wf_host_copy(const char *from, const char *to, struct wf_error *e)
{
	FILE *in = fopen(from, "rb");
	if (!in)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot read: %s", from, strerror(errno));
	FILE *out = fopen(to, "wb");
	if (!out) {
		fclose(in);
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot write: %s", to, strerror(errno));
	}
	char buf[65536];
	size_t n;
	int bad = 0;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		bad |= fwrite(buf, 1, n, out) != n;
	bad |= ferror(in);
	fclose(in);
	bad |= fflush(out) != 0 || fsync(fileno(out)) != 0;
	bad |= fclose(out) != 0;
	if (bad)
		return wf_error_set(e, WF_ERR_INPUT, "%s: write error copying %s", to, from);
	return 0;
}

char *wf_fd_path(int fd)
{
	return wf_xasprintf("/proc/self/fd/%d", fd);
}

int wf_backup_dir_open(struct wf_run *x, int create, struct wf_error *e)
{
	x->hbk_fd = -1;
	if (!x->t->host_backup_dir)
		return 0;
	int flags = WF_HOSTDIR_PRIVATE | (create ? WF_HOSTDIR_CREATE | WF_HOSTDIR_PARENTS : 0);
	int top = wf_hostdir_open(x->t->host_backup_dir, flags, e);
	if (top < 0)
		return wf_error_prefix(e, "host backup folder");
	x->hbk_fd = wf_hostdir_openat(top, x->r->journal.id, flags & ~WF_HOSTDIR_PARENTS, e);
	close(top);
	if (x->hbk_fd < 0)
		return wf_error_prefix(e, "host backup folder %s", x->t->host_backup_dir);
	if (create && mkdirat(x->hbk_fd, "files", 0700) < 0 && errno != EEXIST)
		return wf_error_set(e, WF_ERR_INPUT, "%s/files: cannot create the folder: %s",
				    x->hbk, strerror(errno));
	return 0;
}

/* A new backup file (O_EXCL, O_NOFOLLOW) in the opened folder. */
static int backup_create(struct wf_run *x, const char *rel, struct wf_error *e)
{
	int fd = openat(x->hbk_fd, rel, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		wf_error_set(e, WF_ERR_INPUT, "%s/%s: cannot create: %s", x->hbk, rel, strerror(errno));
	return fd;
}

int wf_backup_open_read(struct wf_run *x, const char *rel)
{
	if (x->hbk_fd < 0)
		return -1;
	int fd = openat(x->hbk_fd, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int wf_guest_replace(struct wf_run *x, const char *host, const char *path,
		     struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	char *tmp = wf_xasprintf("%s" WF_STAGED_SUFFIX, path);
	int r = io->upload(io->ud, host, tmp, e);
	if (r == 0)
		r = io->sync(io->ud, e);
	if (r == 0)
		r = io->rename(io->ud, tmp, path, e);
	if (r == 0)
		r = io->sync(io->ud, e);
	free(tmp);
	return r;
}

int wf_guest_sha256(struct wf_run *x, const char *path, char hex[65],
		    struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	if (io->sha256)
		return io->sha256(io->ud, path, hex, e);
	char *local = wf_xasprintf("%s/wf-hash.%d", x->t->tmpdir, (int)getpid());
	int r = io->download(io->ud, path, local, e);
	if (r == 0)
		r = wf_sha256_file(local, hex, e);
	unlink(local);
	free(local);
	return r;
}

/* --- the steps --------------------------------------------------------------------- */

static void journal_start(struct wf_run *x)
{
	struct wf_journal *j = &x->r->journal;
	j->state = wf_xstrdup(WF_JOURNAL_PREPARED);
	j->created = wf_journal_now(0);
	j->image = wf_xstrdup(x->t->image ? x->t->image : "");
	j->systemroot = wf_xstrdup(x->t->systemroot ? x->t->systemroot : "");
	j->fixes = wf_xcalloc(x->p->n_fixes + 1, sizeof *j->fixes);
	for (size_t i = 0; i < x->p->n_fixes; i++)
		j->fixes[j->n_fixes++] = wf_xstrdup(x->p->fixes[i]);
	j->notes = wf_xcalloc(x->p->n_notes + 1, sizeof *j->notes);
	for (size_t i = 0; i < x->p->n_notes; i++)
		j->notes[j->n_notes++] = wf_xstrdup(x->p->notes[i]);
	j->undo = wf_xcalloc(x->p->n + 1, sizeof *j->undo);
	for (size_t i = x->p->n; i-- > 0;) {
		struct wf_strbuf sb = WF_STRBUF_INIT;
		wf_action_describe_reverse(&x->p->v[i], &sb);
		j->undo[j->n_undo++] = wf_sb_detach(&sb);
	}
	j->hives = wf_xcalloc(WF_HIVE_N, sizeof *j->hives);
	j->files = wf_xcalloc(x->p->n + 1, sizeof *j->files);
}

/* Whether the guest has something at `path` (a folder or a file). */
static int guest_has(const struct wf_apply_io *io, const char *path)
{
	char **names = io->list ? io->list(io->ud, path) : NULL;
	int r = names != NULL || io->exists(io->ud, path, NULL) == 1;
	wf_strv0_free(names);
	return r;
}

/* A unique id: the UTC time, with -2, -3 ... when taken.  The guest folder
 * it names is new: the journal goes straight into it (wf_write_journal). */
static int pick_id(struct wf_run *x, struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	char *base = wf_journal_now(1);
	for (int k = 1; k < 100; k++) {
		char *id = k == 1 ? wf_xstrdup(base) : wf_xasprintf("%s-%d", base, k);
		char *g = wf_xasprintf("%s/%s", WF_APPLY_GUEST_BACKUP, id);
		char *h = wf_xasprintf("%s/%s", x->t->host_backup_dir, id);
		struct stat st;
		if (!guest_has(io, g) && stat(h, &st) < 0) {
			x->r->journal.id = id;
			x->gbk = g;
			x->hbk = h;
			free(base);
			return 0;
		}
		free(id);
		free(g);
		free(h);
	}
	free(base);
	return wf_error_set(e, WF_ERR_INPUT, "cannot find a free backup folder name");
}

/* Back up guest file `path` as `rel` in both backup folders (host copy
 * first, then the guest's: copied inside the guest when the io can, one
 * call instead of the bytes' way back), with its SHA-256 in `hex`. */
int wf_apply_keep_copy(struct wf_run *x, const char *path, const char *rel, char hex[65],
		       struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	int fd = backup_create(x, rel, e);
	if (fd < 0)
		return -1;
	char *local = wf_fd_path(fd);
	char *gb = wf_xasprintf("%s/%s", x->gbk, rel);
	int r = io->download(io->ud, path, local, e);
	if (r == 0 && fsync(fd) < 0)
		r = wf_error_set(e, WF_ERR_INPUT, "%s/%s: %s", x->hbk, rel, strerror(errno));
	if (r == 0)
		r = wf_sha256_file(local, hex, e);
	if (r == 0)
		r = io->copy ? io->copy(io->ud, path, local, gb, e) : io->upload(io->ud, local, gb, e);
	close(fd);
	free(local);
	free(gb);
	return r;
}

static int backup_hives(struct wf_run *x, struct wf_error *e)
{
	struct wf_journal *j = &x->r->journal;
	for (int h = 0; h < WF_HIVE_N; h++) {
		if (!x->touched[h])
			continue;
		const char *name = wf_plan_hive_name((enum wf_plan_hive)h);
		wf_apply_step(x, "backing up the %s hive", name);
		struct wf_journal_hive *jh = &j->hives[j->n_hives++];
		jh->name = wf_xstrdup(name);
		jh->path = wf_xstrdup(x->t->hive[h]);
		if (wf_apply_keep_copy(x, x->t->hive[h], name, jh->before, e) < 0)
			return -1;
	}
	return 0;
}

static void hash_mem(const void *data, size_t len, char hex[65])
{
	struct wf_sha256 h;
	wf_sha256_init(&h);
	wf_sha256_update(&h, data, len);
	wf_sha256_hex(&h, hex);
}

/* Back up the files the plan replaces, and record the hash each will have
 * (so that the journal written before any change knows it: an
 * interrupted fix is then undone exactly). */
static int backup_files(struct wf_run *x, struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	struct wf_journal *j = &x->r->journal;
	for (size_t i = 0; i < x->p->n; i++) {
		const struct wf_action *a = &x->p->v[i];
		if (a->kind < WF_ACT_COPY_FILE)
			continue;
		struct wf_journal_file *f = &j->files[j->n_files++];
		f->path = wf_xstrdup(a->guest);
		uint64_t size = 0;
		int ex = io->exists(io->ud, a->guest, &size);
		if (ex < 0)	/* unknown: a file not backed up would be lost by undo */
			return wf_error_set(e, WF_ERR_INPUT, "%s: cannot tell whether it exists; nothing was changed",
					    a->guest);
		f->existed = ex == 1;
		if (a->kind == WF_ACT_WRITE_FILE)	/* what it will hold, in the journal before any write */
			hash_mem(a->data, a->len, f->after);
		else if (wf_sha256_file(a->src, f->after, e) < 0)
			return -1;
		if (!f->existed)
			continue;
		wf_apply_step(x, "backing up %s", a->guest);
		f->backup = wf_xasprintf("files/%zu", j->n_files - 1);
		if (wf_apply_keep_copy(x, a->guest, f->backup, f->before, e) < 0)
			return -1;
	}
	return 0;
}

/* The journal is written to a new file in the host backup folder (or the
 * private tmpdir when there is none), put in the guest, then renamed over
 * journal.json on the host. */
int wf_write_journal(struct wf_run *x, int fresh, struct wf_error *e)
{
	char *text = wf_journal_to_string(&x->r->journal);
	char *g = wf_xasprintf("%s/journal.json", x->gbk);
	char tmp[64];
	int dfd = x->hbk_fd >= 0 ? x->hbk_fd : open(x->t->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = dfd < 0 ? wf_error_set(e, WF_ERR_INPUT, "%s: %s", x->t->tmpdir, strerror(errno))
		 : wf_hostfile_create_tmp(dfd, "journal.json", 0600, tmp, sizeof tmp, e);
	int r = fd < 0 ? -1 : 0;
	size_t len = strlen(text);
	if (r == 0 && write(fd, text, len) != (ssize_t)len)
		r = wf_error_set(e, WF_ERR_INPUT, "%s: cannot write the journal: %s",
				 x->hbk ? x->hbk : x->t->tmpdir, strerror(errno));
	char *local = fd >= 0 ? wf_fd_path(fd) : NULL;
	if (r == 0)
		r = fresh ? x->t->io->upload(x->t->io->ud, local, g, e) : wf_guest_replace(x, local, g, e);
	if (fd >= 0 && r == 0 && x->hbk_fd >= 0)
		r = wf_hostfile_commit(dfd, fd, tmp, "journal.json", e);
	else if (fd >= 0) {
		close(fd);
		unlinkat(dfd, tmp, 0);
	}
	if (dfd >= 0 && dfd != x->hbk_fd)
		close(dfd);
	free(local);
	free(text);
	free(g);
	return r;
}

/* Apply to host copies of the hives; reopen and verify. */
static int build_hives(struct wf_run *x, struct wf_error *e)
{
	struct wf_journal *j = &x->r->journal;
	for (int h = 0, k = 0; h < WF_HIVE_N; h++) {
		if (!x->touched[h])
			continue;
		const char *name = wf_plan_hive_name((enum wf_plan_hive)h);
		wf_apply_step(x, "changing a copy of the %s hive", name);
		/* the hive as its logs leave it (apply_logs.c), else the backup */
		int ofd = x->basis[h] ? -1 : wf_backup_open_read(x, name);
		char *orig = x->basis[h] ? wf_xstrdup(x->basis[h]) : ofd >= 0 ? wf_fd_path(ofd) : NULL;
		x->newhive[h] = wf_xasprintf("%s/%s.new", x->t->tmpdir, name);
		int r = orig ? wf_host_copy(orig, x->newhive[h], e)
			: wf_error_set(e, WF_ERR_INPUT, "%s/%s: the backup went away", x->hbk, name);
		if (ofd >= 0)
			close(ofd);
		free(orig);
		struct wf_hive *hv = r == 0 ? wf_hive_open(x->newhive[h], name, 1, e) : NULL;
		r = hv ? wf_plan_apply_hive(x->p, (enum wf_plan_hive)h, hv, e) : -1;
		if (r == 0)
			r = wf_hive_commit(hv, NULL, e);
		wf_hive_close(hv);
		hv = r == 0 ? wf_hive_open(x->newhive[h], name, 0, e) : NULL;
		r = hv ? wf_plan_verify_hive(x->p, (enum wf_plan_hive)h, hv, e) : -1;
		wf_hive_close(hv);
		if (r == 0)
			r = wf_sha256_file(x->newhive[h], j->hives[k].after, e);
		k++;
		if (r < 0)
			return -1;
	}
	return 0;
}

static char *parent_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return wf_xstrndup(path, s && s != path ? (size_t)(s - path) : 1);
}

/* Stage every file the plan writes (its folder made first, once). */
static int stage_files(struct wf_run *x, struct wf_error *e)
{
	struct wf_journal *j = &x->r->journal;
	for (size_t i = 0, k = 0; i < x->p->n; i++) {
		const struct wf_action *a = &x->p->v[i];
		if (a->kind < WF_ACT_COPY_FILE)
			continue;
		struct wf_journal_file *f = &j->files[k++];
		wf_apply_step(x, "writing %s", a->guest);
		char *src = a->kind == WF_ACT_COPY_FILE ? wf_xstrdup(a->src)
			    : wf_xasprintf("%s/wf-file.%zu", x->t->tmpdir, i);
		int r = 0;
		if (a->kind == WF_ACT_WRITE_FILE) {
			FILE *fp = fopen(src, "wb");
			r = fp && fwrite(a->data, 1, a->len, fp) == a->len ? 0 : -1;
			if (fp && fclose(fp) != 0)
				r = -1;
			if (r < 0)
				wf_error_set(e, WF_ERR_INPUT, "%s: cannot write: %s", src, strerror(errno));
		}
		char *dir = parent_of(a->guest);
		char hex[65];
		if (r == 0)
			r = wf_sha256_file(src, hex, e);
		if (r == 0 && strcmp(hex, f->after) != 0)
			r = wf_error_set(e, WF_ERR_INPUT, "%s: changed since the plan was made; nothing of it was written",
					 a->origin ? a->origin : src);
		if (r == 0)
			r = wf_stage_mkdir(x, dir, e);
		if (r == 0)
			r = wf_stage_put(x, src, a->guest, WF_STAGE_FILES, e);
		if (a->kind == WF_ACT_WRITE_FILE)
			unlink(src);
		free(dir);
		free(src);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int stage_hives(struct wf_run *x, struct wf_error *e)
{
	for (int h = 0; h < WF_HIVE_N; h++) {
		if (!x->touched[h])
			continue;
		wf_apply_step(x, "replacing the %s hive", wf_plan_hive_name((enum wf_plan_hive)h));
		if (wf_stage_put(x, x->newhive[h], x->t->hive[h], WF_STAGE_HIVES, e) < 0)
			return -1;
	}
	return 0;
}

/* Read everything back in the guest.  A hive's SHA-256 (computed in the
 * guest where the io can: no download) equal to the journal's `after` is
 * the hash of the host copy whose every action build_hives verified, so
 * the guest holds those very bytes. */
static int verify_guest(struct wf_run *x, struct wf_error *e)
{
	struct wf_journal *j = &x->r->journal;
	for (int h = 0, k = 0; h < WF_HIVE_N; h++) {
		if (!x->touched[h])
			continue;
		wf_apply_step(x, "verifying the %s hive in the guest", wf_plan_hive_name((enum wf_plan_hive)h));
		char hex[65];
		if (wf_guest_sha256(x, x->t->hive[h], hex, e) < 0)
			return -1;
		if (strcmp(hex, j->hives[k++].after) != 0)
			return wf_error_set(e, WF_ERR_INPUT, "%s: the guest's hive is not what was written (hash differs)",
					    x->t->hive[h]);
	}
	for (size_t i = 0; i < j->n_files; i++) {
		char hex[65];
		if (wf_guest_sha256(x, j->files[i].path, hex, e) < 0)
			return -1;
		if (strcmp(hex, j->files[i].after) != 0)
			return wf_error_set(e, WF_ERR_INPUT, "%s: the guest's file is not what was written",
					    j->files[i].path);
	}
	return 0;
}

/* Every file the plan copies in must be readable now: nothing is written
 * for a plan whose sources went away (an ISO source closed too early). */
static int check_sources(const struct wf_plan *p, struct wf_error *e)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == WF_ACT_COPY_FILE && access(p->v[i].src, R_OK) < 0)
			return wf_error_set(e, WF_ERR_INPUT, "%s: cannot read it (for %s): %s; nothing was changed",
					    p->v[i].origin ? p->v[i].origin : p->v[i].src, p->v[i].guest,
					    strerror(errno));
	return 0;
}

/* Room on the volume for what the fix writes: the files copied in, the
 * backups of the hives and of the files it replaces, and each hive's
 * "<hive>.wf-new" (twice its size: the backup and the new copy), plus
 * 1 MiB for the journal and NTFS's own needs.  Refused before any write. */
static int check_space(struct wf_run *x, struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	uint64_t avail, need = 1 << 20, sz;
	if (!io->free_bytes || io->free_bytes(io->ud, &avail) < 0)
		return 0;
	for (size_t i = 0; i < x->p->n; i++) {
		const struct wf_action *a = &x->p->v[i];
		struct stat st;
		if (a->kind == WF_ACT_COPY_FILE && stat(a->src, &st) == 0)
			need += (uint64_t)st.st_size;
		else if (a->kind == WF_ACT_WRITE_FILE)
			need += a->len;
		if (a->kind >= WF_ACT_COPY_FILE && a->had_old)
			need += a->old_size;
	}
	for (int h = 0; h < WF_HIVE_N; h++)
		if (x->touched[h] && io->exists(io->ud, x->t->hive[h], &sz) == 1)
			need += 2 * sz;
	if (need <= avail)
		return 0;
	return wf_error_set(e, WF_ERR_INPUT, "the fix needs %.1f MB on the Windows volume and it has %.1f MB "
			    "free; nothing was changed (free some space, e.g. with virt-resize)",
			    (double)need / 1e6, (double)avail / 1e6);
}

/* Steps 1-3 (apply.h): backups, the hives changed on the host, the
 * journal "prepared" - nothing in the guest replaced. */
static int prepare(struct wf_run *x, struct wf_error *e)
{
	if (check_sources(x->p, e) < 0 || check_space(x, e) < 0 || pick_id(x, e) < 0 ||
	    wf_backup_dir_open(x, 1, e) < 0)
		return -1;
	journal_start(x);
	wf_apply_step(x, "creating the backup folder C:%s\\%s", "\\virt-winfix\\backup",
		      x->r->journal.id);
	char *files = wf_xasprintf("%s/files", x->gbk);
	int r = wf_stage_mkdir(x, files, e);
	free(files);
	if (r < 0 || backup_hives(x, e) < 0 || backup_files(x, e) < 0 ||
	    wf_apply_hive_logs(x, e) < 0 || build_hives(x, e) < 0 || wf_write_journal(x, 1, e) < 0)
		return -1;
	return wf_apply_cancelled(x, e);
}

/* A failure before the first rename: what was staged is removed. */
static int nothing_replaced(struct wf_run *x, struct wf_error *e)
{
	wf_stage_drop(x);
	return wf_error_prefix(e, "nothing in the guest was replaced (the backup %s stays)",
			       x->r->journal.id);
}

/* Step 4: everything new beside its target; a cancel is still honoured. */
static int stage(struct wf_run *x, struct wf_error *e)
{
	if (stage_files(x, e) < 0 || stage_hives(x, e) < 0 || wf_apply_stage_empty_logs(x, e) < 0)
		return nothing_replaced(x, e);
	if (wf_apply_cancelled(x, e) < 0) {
		wf_stage_drop(x);
		return -1;
	}
	return 0;
}

/* Steps 5 and 6: the renames, then the read-back. */
static int commit(struct wf_run *x, struct wf_error *e)
{
	wf_apply_step(x, "putting the new files and hives in place");
	if (wf_stage_commit(x, e) == 0 && verify_guest(x, e) == 0)
		return 0;
	if (!wf_stage_tried(x))
		return nothing_replaced(x, e);
	return wf_error_prefix(e, "the fix is partly applied (undo restores the backup %s)",
			       x->r->journal.id);
}

static int run_apply(struct wf_run *x, struct wf_error *e)
{
	if (prepare(x, e) < 0 || stage(x, e) < 0 || commit(x, e) < 0)
		return -1;
	struct wf_journal *j = &x->r->journal;
	free(j->state);
	j->state = wf_xstrdup(WF_JOURNAL_APPLIED);
	j->finished = wf_journal_now(0);
	wf_apply_step(x, "recording the journal");
	return wf_write_journal(x, 0, e);
}

int wf_apply(const struct wf_plan *p, const struct wf_apply_target *t,
	     const struct wf_apply_opts *o, struct wf_apply_result *r,
	     struct wf_error *e)
{
	memset(r, 0, sizeof *r);
	struct wf_run x = { .p = p, .t = t, .o = o, .r = r, .hbk_fd = -1 };
	for (int h = 0; h < WF_HIVE_N; h++) {
		x.touched[h] = wf_plan_count_hive(p, (enum wf_plan_hive)h) > 0;
		if (x.touched[h] && !t->hive[h])
			return wf_error_set(e, WF_ERR_INTERNAL, "apply: no guest path for the %s hive",
					    wf_plan_hive_name((enum wf_plan_hive)h));
		x.total += 4 * (unsigned)x.touched[h];
	}
	x.total += 3 + (unsigned)wf_plan_count_files(p) * 2;	/* folder, commit, journal */
	wf_apply_watch(&x, 1);
	int rc = run_apply(&x, e);
	wf_apply_watch(&x, 0);
	r->guest_backup = x.r->journal.id ? wf_xasprintf("C:\\virt-winfix\\backup\\%s", x.r->journal.id) : NULL;
	r->host_backup = x.hbk ? wf_xstrdup(x.hbk) : NULL;
	for (int h = 0; h < WF_HIVE_N; h++) {
		if (x.newhive[h])
			unlink(x.newhive[h]);
		free(x.newhive[h]);
		if (x.basis[h])
			unlink(x.basis[h]);
		free(x.basis[h]);
	}
	if (x.hbk_fd >= 0)
		close(x.hbk_fd);
	wf_stage_free(&x.stage);
	free(x.gbk);
	free(x.hbk);
	return rc;
}
