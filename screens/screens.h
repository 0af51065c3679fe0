/*
 * screens.h - the wizard's steps, one file each, and the viewers.
 *
 *   pick.c       1  pick the VM: libvirt domains, recent, block devices, files, path line
 *   windows.c    2  the Windows found and its controllers; what the VM presents
 *   diagnosis.c  3  findings by severity (also the log-only mode's first screen)
 *   fixes.c      4  the fixes proposed (checklist) beside the plan of the selection
 *   apply.c      5  apply: progress, safe cancel
 *   result.c     6  verification, backup, report (text, JSON, Markdown), undo,
 *                  finish the migration (switch.c shows the domain diff / qm set)
 *   finding.c       one finding: explanation, evidence, help article
 *   logview.c       a setupapi log, failures highlighted, search
 *   logpaste.c      log-only mode: the paste box (or a file) to diagnose
 *   help.c          help for the screen (F1/?) or a finding
 *   media.c         install media instead of a disk: put the VirtIO drivers in
 *   switch.c        finish the migration: the domain's XML diff, applied on y
 *
 * Each exports one const struct wf_screen (app.h).  Screens use the tui
 * toolkit (app.h, widgets.h), the wizard's state (wizard.h) and core only.
 */
#ifndef WF_SCREENS_H
#define WF_SCREENS_H

#include <stddef.h>

#include "app.h"
#include "wizard.h"

extern const struct wf_screen wf_scr_pick;
extern const struct wf_screen wf_scr_windows;
extern const struct wf_screen wf_scr_diagnosis;
extern const struct wf_screen wf_scr_finding;
extern const struct wf_screen wf_scr_logview;
extern const struct wf_screen wf_scr_logpaste;
extern const struct wf_screen wf_scr_fixes;
extern const struct wf_screen wf_scr_apply;
extern const struct wf_screen wf_scr_result;
extern const struct wf_screen wf_scr_help;
extern const struct wf_screen wf_scr_media;
extern const struct wf_screen wf_scr_switch;

/* Open images as if picked (from the command line): probe, start the
 * appliance, go to step 2; an error dialog on a bad path.  `formats`
 * (may be NULL): per image, --format's name or NULL to sniff. */
void wf_scr_pick_open(struct wf_app *a, const char *const *paths,
		      const char *const *formats, size_t n);
/* Open a libvirt domain's disks as -d DOMAIN does (its targets too). */
void wf_scr_pick_open_domain(struct wf_app *a, const char *name);

/* Arguments of the finding and log viewer screens. */
struct wf_finding_arg {
	size_t index;			/* in wf_wiz.findings */
};
struct wf_logview_arg {
	const char *name;		/* the log, as evidence names it */
	unsigned long line;		/* 1-based line to show, 0 = top */
	unsigned long last;		/* last line of the evidence (highlight) */
};

/* Number of steps in the title ("Step 2 of N"). */
#define WF_WIZ_STEPS 6

#endif
