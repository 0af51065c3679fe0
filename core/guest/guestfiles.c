#include "guestfiles.h"
#include "error.h"
#include "strbuf.h"
#include "text.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One pread: well under the 4 MB protocol message (libguestfs docs, guestfs_pread). */
#define READ_CHUNK (1536u * 1024)


struct dirlist {
	char *want;		/* guest path as asked: /Windows/System32/drivers */
	char *real;		/* case-resolved, NULL when absent */
	char **names;
	int64_t *sizes;
	int *isreg;
	size_t n;
};

struct wf_guestfiles {
	guestfs_h *g;
	struct dirlist d[2];
};

static void list_dir(guestfs_h *g, const char *path, struct dirlist *d)
{
	memset(d, 0, sizeof *d);
	d->want = wf_xstrdup(path);
	d->real = guestfs_case_sensitive_path(g, path);
	char **names = d->real ? guestfs_ls(g, d->real) : NULL;	/* fails on a non-folder */
	if (!names) {
		free(d->real);
		d->real = NULL;
		return;
	}
	size_t n = 0;
	while (names[n])
		n++;
	struct guestfs_statns_list *st = n ? guestfs_lstatnslist(g, d->real, names) : NULL;
	d->names = names;
	d->n = n;
	d->sizes = wf_xcalloc(n + 1, sizeof *d->sizes);
	d->isreg = wf_xcalloc(n + 1, sizeof *d->isreg);
	for (size_t i = 0; st && i < n && i < st->len; i++) {
		d->sizes[i] = st->val[i].st_size;
		d->isreg[i] = S_ISREG((mode_t)st->val[i].st_mode);
	}
	if (!st)	/* no sizes: say "present, size unknown" */
		for (size_t i = 0; i < n; i++)
			d->isreg[i] = 1, d->sizes[i] = 1;
	guestfs_free_statns_list(st);
}

static void dir_free(struct dirlist *d)
{
	free(d->want);
	free(d->real);
	wf_strv0_free(d->names);
	free(d->sizes);
	free(d->isreg);
}

/* The listing holding `path`, and the entry's index; -1 not listed. */
static int in_listing(struct wf_guestfiles *gf, const char *path, struct dirlist **dl)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return -1;
	for (size_t k = 0; k < 2; k++) {
		struct dirlist *d = &gf->d[k];
		size_t dl_len = strlen(d->want);
		if ((size_t)(slash - path) != dl_len || strncasecmp(path, d->want, dl_len))
			continue;
		*dl = d;
		for (size_t i = 0; i < d->n; i++)
			if (wf_streqi(d->names[i], slash + 1))
				return (int)i;
		return -2;	/* listed folder, no such file */
	}
	return -1;
}

int wf_guestfiles_probe(void *ud, const char *path, uint64_t *size)
{
	struct wf_guestfiles *gf = ud;
	struct dirlist *d = NULL;
	int i = in_listing(gf, path, &d);
	if (i >= 0) {
		if (size)
			*size = d->sizes[i] > 0 ? (uint64_t)d->sizes[i] : 0;
		return d->isreg[i];
	}
	if (i == -2)
		return 0;
	char *real = guestfs_case_sensitive_path(gf->g, path);
	if (!real)
		return 0;
	int r = guestfs_is_file(gf->g, real);
	if (r > 0 && size) {
		int64_t sz = guestfs_filesize(gf->g, real);
		*size = sz > 0 ? (uint64_t)sz : 0;
	}
	free(real);
	return r > 0;
}

int wf_guestfiles_read(void *ud, const char *path, size_t max, void **buf,
		       size_t *len)
{
	struct wf_guestfiles *gf = ud;
	struct dirlist *d = NULL;
	int i = in_listing(gf, path, &d);
	char *real = NULL;
	if (i >= 0 && d->real)
		real = wf_xasprintf("%s/%s", d->real, d->names[i]);
	else if (i == -2)
		return 0;
	else
		real = guestfs_case_sensitive_path(gf->g, path);
	if (!real)
		return 0;
	if (max > WF_GUESTFILES_READ_MAX)
		max = WF_GUESTFILES_READ_MAX;
	/* pread answers at most one protocol message: read in chunks */
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = 1;
	while (sb.len < max) {
		size_t want = max - sb.len < READ_CHUNK ? max - sb.len : READ_CHUNK, n = 0;
		char *data = guestfs_pread(gf->g, real, (int)want, (int64_t)sb.len, &n);
		if (!data) {
			r = -1;
			break;
		}
		wf_sb_add(&sb, data, n);
		free(data);
		if (n < want)
			break;
	}
	free(real);
	if (r < 0) {
		wf_sb_release(&sb);
		return -1;
	}
	*len = sb.len;
	*buf = wf_sb_detach(&sb);
	return 1;
}


struct wf_guestfiles *wf_guestfiles_new(guestfs_h *g, const char *systemroot)
{
	struct wf_guestfiles *gf = wf_xcalloc(1, sizeof *gf);
	gf->g = g;
	char *p = wf_xasprintf("%s/System32/drivers", systemroot);
	list_dir(g, p, &gf->d[0]);
	free(p);
	p = wf_xasprintf("%s/System32", systemroot);
	list_dir(g, p, &gf->d[1]);
	free(p);
	return gf;
}

void wf_guestfiles_free(struct wf_guestfiles *gf)
{
	if (!gf)
		return;
	dir_free(&gf->d[0]);
	dir_free(&gf->d[1]);
	free(gf);
}
