/*
 * diagnose_guest.c - image mode of the diagnosis: the Windows found by an
 * inspection, with its files read through the inspection's appliance.
 *
 * Round trips to the appliance are what costs (each a few ms, more under
 * TCG), so the two driver folders are listed once (names and sizes in two
 * calls each) and every probe of a file there is answered from the list;
 * only driver files the rules open are read (their first 1.5 MB: headers
 * and import table), and the setupapi logs are downloaded once.
 */
#include "diagnose.h"
#include "hive.h"
#include "inspect.h"
#include "targets.h"
#include "text.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_MAX (1536u * 1024)

struct dirlist {
	char *want;		/* guest path as asked: /Windows/System32/drivers */
	char *real;		/* case-resolved, NULL when absent */
	char **names;
	int64_t *sizes;
	int *isreg;
	size_t n;
};

struct gfiles {
	guestfs_h *g;
	struct dirlist d[2];
};

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void list_dir(guestfs_h *g, const char *path, struct dirlist *d)
{
	memset(d, 0, sizeof *d);
	d->want = wf_xstrdup(path);
	d->real = guestfs_case_sensitive_path(g, path);
	if (!d->real || guestfs_is_dir(g, d->real) <= 0)
		return;
	char **names = guestfs_ls(g, d->real);
	if (!names)
		return;
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
	strv_free(d->names);
	free(d->sizes);
	free(d->isreg);
}

/* The listing holding `path`, and the entry's index; -1 not listed. */
static int in_listing(struct gfiles *gf, const char *path, struct dirlist **dl)
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

static int gf_probe(void *ud, const char *path, uint64_t *size)
{
	struct gfiles *gf = ud;
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

static int gf_read(void *ud, const char *path, size_t max, void **buf, size_t *len)
{
	struct gfiles *gf = ud;
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
	if (max > READ_MAX)
		max = READ_MAX;
	size_t n = 0;
	char *data = guestfs_pread(gf->g, real, (int)max, 0, &n);
	free(real);
	if (!data)
		return -1;
	*buf = data;
	*len = n;
	return 1;
}

/* --- setupapi logs ----------------------------------------------------------------- */

struct logset {
	struct wf_diag_log *v;
	size_t n;
	char **paths, **names;	/* owned */
};

static void fetch_log(guestfs_h *g, const char *tmpdir, const char *real,
		      const char *winpath, struct logset *ls)
{
	char *local = wf_xasprintf("%s/log%zu.txt", tmpdir, ls->n);
	if (guestfs_download(g, real, local) < 0) {
		free(local);
		return;
	}
	ls->v = wf_xrealloc(ls->v, (ls->n + 1) * sizeof *ls->v);
	ls->paths = wf_xrealloc(ls->paths, (ls->n + 1) * sizeof *ls->paths);
	ls->names = wf_xrealloc(ls->names, (ls->n + 1) * sizeof *ls->names);
	ls->paths[ls->n] = local;
	ls->names[ls->n] = wf_xstrdup(winpath);
	ls->v[ls->n].path = local;
	ls->v[ls->n].name = ls->names[ls->n];
	ls->n++;
}

/* setupapi*.log in the Windows folder (XP/2003) and in INF (Vista+, with
 * rotated copies). */
static void fetch_logs(guestfs_h *g, const char *tmpdir, const char *sysroot,
		       struct logset *ls)
{
	static const char *const dirs[] = { "", "/INF" };
	for (size_t k = 0; k < 2; k++) {
		char *want = wf_xasprintf("%s%s", sysroot, dirs[k]);
		char *real = guestfs_case_sensitive_path(g, want);
		char **names = real ? guestfs_ls(g, real) : NULL;
		for (size_t i = 0; names && names[i] && ls->n < 16; i++) {
			if (!wf_startswithi(names[i], "setupapi") ||
			    !wf_endswithi(names[i], ".log"))
				continue;
			char *p = wf_xasprintf("%s/%s", real, names[i]);
			if (guestfs_is_file(g, p) > 0) {
				char *winpath = wf_xasprintf("C:\\Windows%s\\%s",
							     k ? "\\INF" : "", names[i]);
				fetch_log(g, tmpdir, p, winpath, ls);
				free(winpath);
			}
			free(p);
		}
		strv_free(names);
		free(real);
		free(want);
	}
}

static void logset_free(struct logset *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		unlink(ls->paths[i]);
		free(ls->paths[i]);
		free(ls->names[i]);
	}
	free(ls->paths);
	free(ls->names);
	free(ls->v);
}

/* --- one Windows --------------------------------------------------------------------- */

static int diagnose_windows(struct wf_inspection *in, struct wf_windows *w,
			    const struct wf_targets *t, struct wf_diag_notes *notes,
			    struct wf_findings *out, struct wf_error *e)
{
	guestfs_h *g = wf_session_guestfs(in->session);
	if (guestfs_mount_ro(g, w->device, "/") < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "%s: cannot mount it again: %s",
				    w->device, guestfs_last_error(g));
	struct gfiles gf = { g, { { 0 } } };
	char *p = wf_xasprintf("%s/System32/drivers", w->systemroot);
	list_dir(g, p, &gf.d[0]);
	free(p);
	p = wf_xasprintf("%s/System32", w->systemroot);
	list_dir(g, p, &gf.d[1]);
	free(p);
	struct logset ls = { 0 };
	fetch_logs(g, in->tmpdir, w->systemroot, &ls);
	struct wf_hive *sys = wf_hive_open(w->system_hive, "SYSTEM", 0, e);
	int r = -1;
	if (sys) {
		struct wf_diag_ctx c = {
			.system = sys, .system_name = w->guest_system_hive,
			.ver = &w->ver, .targets = t, .systemroot = w->systemroot,
			.probe = gf_probe, .read = gf_read, .ud = &gf,
			.logs = ls.v, .n_logs = ls.n, .notes = notes,
		};
		r = wf_diagnose_hives(&c, out, e);
		wf_hive_close(sys);
	}
	logset_free(&ls);
	dir_free(&gf.d[0]);
	dir_free(&gf.d[1]);
	guestfs_umount_all(g);
	return r;
}

int wf_diagnose_inspection_notes(struct wf_inspection *in,
				 const struct wf_targets *t,
				 struct wf_diag_notes *notes,
				 struct wf_findings *out, struct wf_error *e)
{
	struct wf_targets def;
	if (!t) {
		wf_targets_default(&def);
		t = &def;
	}
	if (!in->session || !wf_session_guestfs(in->session))
		return wf_error_set(e, WF_ERR_INTERNAL, "diagnose: the inspection has no appliance");
	for (size_t i = 0; i < in->n_win; i++) {
		struct wf_windows *w = &in->win[i];
		wf_diag_note(notes, "Windows: %s (%s, %u.%u build %u, %s) on %s, %s",
			     w->ver.display_name ? w->ver.display_name : "?",
			     w->ver.release ? w->ver.release : "?", w->ver.major,
			     w->ver.minor, w->ver.build, w->ver.arch ? w->ver.arch : "?",
			     w->device, w->ver.ccs ? w->ver.ccs : "?");
		if (diagnose_windows(in, w, t, notes, out, e) < 0)
			return -1;
		if (wf_session_cancelled(in->session))
			return wf_error_set(e, WF_ERR_CANCELLED, "interrupted");
	}
	return 0;
}

int wf_diagnose_inspection(struct wf_inspection *in, const struct wf_targets *t,
			   struct wf_findings *out, struct wf_error *e)
{
	return wf_diagnose_inspection_notes(in, t, NULL, out, e);
}
