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
#include "guestdl.h"
#include "guestfiles.h"
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

/* --- setupapi logs ----------------------------------------------------------------- */

struct logset {
	struct wf_diag_log *v;
	size_t n;
	char **paths, **names;	/* owned */
	uint64_t bytes;		/* copied so far, all logs */
	struct wf_diag_notes *notes;
};

/* All logs together: 16 logs at their cap would be 1 GB of TMPDIR. */
#define LOGS_BUDGET (256ull << 20)

/* Copy one log; over its cap only its end (the newest entries), said in
 * a note; over the budget of all logs, none. */
static void fetch_log(guestfs_h *g, const char *tmpdir, const char *real,
		      const char *winpath, struct logset *ls)
{
	if (ls->bytes >= LOGS_BUDGET) {
		wf_diag_note(ls->notes, "%s: not read (the logs read so far fill the %llu MiB "
			     "read at most)", winpath, LOGS_BUDGET >> 20);
		return;
	}
	char *local = wf_xasprintf("%s/log%zu.txt", tmpdir, ls->n);
	uint64_t size = 0;
	struct wf_error e = { 0 };
	int r = wf_guest_download(g, real, local, WF_GK_SETUPLOG, &size, &e);
	if (r < 0) {
		unlink(local);
		free(local);
		wf_diag_note(ls->notes, "%s: not read: %s", winpath, e.msg);
		return;
	}
	uint64_t cap = wf_guest_caps[WF_GK_SETUPLOG].max;
	ls->bytes += r == 1 ? cap : size;
	if (r == 1) {
		char have[32];
		wf_format_size(have, sizeof have, size);
		wf_diag_note(ls->notes, "%s: %s, only its last %llu MiB read (the newest entries)",
			     winpath, have, (unsigned long long)(cap >> 20));
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
		wf_strv0_free(names);
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
	struct wf_guestfiles *gf = wf_guestfiles_new(g, w->systemroot);
	struct logset ls = { .notes = notes };
	fetch_logs(g, in->tmpdir, w->systemroot, &ls);
	struct wf_hive *sys = wf_hive_open(w->system_hive, "SYSTEM", 0, e);
	int r = -1;
	if (sys) {
		struct wf_diag_ctx c = {
			.system = sys, .system_name = w->guest_system_hive,
			.ver = &w->ver, .targets = t, .systemroot = w->systemroot,
			.probe = wf_guestfiles_probe, .read = wf_guestfiles_read,
			.ud = gf,
			.logs = ls.v, .n_logs = ls.n, .notes = notes,
		};
		r = wf_diagnose_hives(&c, out, e);
		wf_hive_close(sys);
	}
	logset_free(&ls);
	wf_guestfiles_free(gf);
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
		wf_diag_hivelog_note(notes, &w->system_log, "SYSTEM");
		wf_diag_hivelog_note(notes, &w->software_log, "SOFTWARE");
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
