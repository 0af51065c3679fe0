/*
 * diagnosis.c - step 3: the findings, errors first.
 *
 * Image mode: the diagnosis of the Windows for the controllers chosen in
 * step 2 (it runs in the background; a spinner shows until it is there).
 * Log-only mode (`virt-winfix log FILE` on a terminal): the findings of the
 * SetupAPI logs, and the first screen.  Enter opens a finding (explanation,
 * evidence); l opens the log viewer at the selected finding's first log
 * evidence; v opens the log viewer.  In log-only mode p (or Esc, when
 * the text came from there) goes to the paste box (logpaste.c).
 */
#include "screens.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diagscr {
	struct wf_list list;
	size_t shown;		/* findings the list was set up for */
};

enum { A_OPEN = 1, A_LOG, A_VIEW, A_FIXES, A_SAVE, A_PASTE };

static const struct wf_binding keys[] = {
	{ '\r', A_OPEN, "Enter", "details", "the finding's explanation and evidence" },
	{ WF_K(KEY_ENTER), A_OPEN, NULL, NULL, NULL },
	{ WF_K(KEY_RIGHT), A_OPEN, NULL, NULL, NULL },
	{ 'l', A_LOG, "l", "log at evidence", "the log viewer at the finding's first log line" },
	{ 'v', A_VIEW, "v", "view log", "the log viewer, from the top" },
	{ 'f', A_FIXES, "f", "fixes", "step 4: the fixes the findings propose (image mode)" },
	{ 's', A_SAVE, "s", "save", "save this diagnosis as a text report (beside the image or log)" },
	{ 'p', A_PASTE, "p", "paste", "log-only mode: the paste box, to diagnose pasted log lines" },
	{ 0, 0, NULL, NULL, NULL },
};

static enum wf_color sev_color(enum wf_severity s)
{
	return s == WF_SEV_ERROR ? WF_C_ERROR : s == WF_SEV_WARNING ? WF_C_WARNING : WF_C_INFO;
}

static const char *sev_label(enum wf_severity s)
{
	return s == WF_SEV_ERROR ? "ERROR" : s == WF_SEV_WARNING ? "WARN " : "info ";
}

static void *enter(struct wf_app *a, void *arg)
{
	(void)a;
	(void)arg;
	return wf_xcalloc(1, sizeof(struct diagscr));
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct diagscr *d = st;
	wf_list_free(&d->list);
	free(d);
}

static int ready(struct wf_wiz *w)
{
	return w->log_only ? w->diag.state == WF_WORK_DONE : wf_wiz_diag_current(w);
}

static void draw_row(void *ud, size_t i, int y, int x, int w, int sel)
{
	struct wf_wiz *wz = ud;
	const struct wf_finding *f = &wz->findings.v[i];
	attr_t base = wf_list_attr(sel, WF_C_NORMAL);
	wf_draw_fill(y, x, w, base);
	wf_draw_text(y, x, 6, sev_label(f->severity), sel ? base : wf_attr(sev_color(f->severity)));
	wf_draw_text(y, x + 7, w - 7, f->title ? f->title : f->id, base);
}

static void draw_header(struct wf_app *a, struct wf_wiz *w, int y, int x, int wd)
{
	if (w->log_only) {
		const struct wf_logsummary *s = &w->logsum;
		if (w->n_logs == 1)
			wf_draw_textf(y, x, wd, wf_attr(WF_C_HEADING) | A_BOLD, "SetupAPI log %s", w->logs[0].name);
		else
			wf_draw_textf(y, x, wd, wf_attr(WF_C_HEADING) | A_BOLD, "%zu SetupAPI logs", w->n_logs);
		if (ready(w))
			wf_draw_textf(y + 1, x, wd, wf_attr(WF_C_NORMAL),
				      "%s format, %lu lines, %lu install sections, %lu failed, %lu unfinished",
				      wf_sa_format_name(s->format), s->lines, s->sections, s->failed, s->unfinished);
		return;
	}
	struct wf_windows *win = wf_wiz_windows(w);
	char t[256];
	wf_targets_describe(&w->targets, t, sizeof t);
	wf_draw_textf(y, x, wd, wf_attr(WF_C_HEADING) | A_BOLD, "%s",
		      win && win->ver.display_name ? win->ver.display_name : "Windows");
	wf_draw_textf(y + 1, x, wd, wf_attr(WF_C_NORMAL), "on a VM presenting %s", t);
	(void)a;
}

static void draw_counts(struct wf_wiz *w, int y, int x, int wd)
{
	const struct wf_findings *f = &w->findings;
	size_t e = wf_findings_count(f, WF_SEV_ERROR), wn = wf_findings_count(f, WF_SEV_WARNING),
	       in = wf_findings_count(f, WF_SEV_INFO);
	int c = wf_draw_textf(y, x, wd, wf_attr(e ? WF_C_ERROR : WF_C_NORMAL), "%zu error%s", e, e == 1 ? "" : "s");
	c += wf_draw_textf(y, x + c, wd - c, wf_attr(wn ? WF_C_WARNING : WF_C_NORMAL), ", %zu warning%s", wn, wn == 1 ? "" : "s");
	wf_draw_textf(y, x + c, wd - c, wf_attr(WF_C_NORMAL), ", %zu info", in);
}

static void draw_summary(struct wf_wiz *w, size_t i, int y, int x, int h, int wd)
{
	wf_draw_hline(y, x, wd, wf_attr(WF_C_DIM));
	if (i >= w->findings.n)
		return;
	const struct wf_finding *f = &w->findings.v[i];
	struct wf_lines l = { 0 };
	if (f->device)
		wf_lines_addf(&l, WF_C_DIM, 0, "Device: %s", f->device);
	wf_wrap(&l, f->explanation, wd, 0, 0, WF_C_NORMAL, 0);
	for (int r = 0; r < (int)l.n && r < h - 1; r++)
		wf_draw_text(y + 1 + r, x, wd, l.v[r].text, wf_attr(l.v[r].color));
	wf_lines_free(&l);
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct diagscr *d = st;
	struct wf_wiz *wz = wf_app_userdata(a);
	draw_header(a, wz, y, x + 1, w - 2);
	if (!ready(wz)) {
		const char *what = wz->log_only ? "Reading the logs..."
				   : wz->vm && wz->vm->phase == WF_VM_LAUNCHING
				   ? "Waiting for the appliance, then diagnosing..." : "Diagnosing...";
		wf_draw_progress(a, y + 3, x + 1, w - 2, -1, what);
		return;
	}
	if (!wz->log_only && wz->diag.state == WF_WORK_FAILED) {
		wf_draw_text(y + 3, x + 1, w - 2, "The diagnosis failed:", wf_attr(WF_C_ERROR));
		wf_draw_text(y + 4, x + 1, w - 2, wz->diag.err.msg, wf_attr(WF_C_NORMAL));
		return;
	}
	if (d->shown != wz->findings.n || d->list.n != wz->findings.n) {
		wf_list_set(&d->list, wz->findings.n, 0);
		d->shown = wz->findings.n;
	}
	draw_counts(wz, y + 2, x + 1, w - 2);
	if (!wz->findings.n) {
		wf_draw_text(y + 4, x + 1, w - 2, wz->log_only ? "No driver install problem found in the log."
			     : "No problem found for these controllers.", wf_attr(WF_C_GOOD));
		if (!wz->log_only && wz->targets.note[0])
			wf_draw_text(y + 5, x + 1, w - 2, wz->targets.note, wf_attr(WF_C_DIM));
		return;
	}
	int pane = h >= 22 ? 7 : 5;
	wf_list_draw(&d->list, y + 4, x + 1, h - 4 - pane, w - 2, draw_row, wz);
	draw_summary(wz, d->list.sel, y + h - pane, x + 1, pane, w - 2);
}

/* The first log evidence of finding i: 1 with name/line set. */
static int first_log(struct wf_wiz *w, size_t i, struct wf_logview_arg *arg)
{
	if (i >= w->findings.n)
		return 0;
	const struct wf_finding *f = &w->findings.v[i];
	for (size_t k = 0; k < f->n_evidence; k++)
		if (f->evidence[k].first) {
			arg->name = f->evidence[k].source;
			arg->line = f->evidence[k].first;
			arg->last = f->evidence[k].last;
			return 1;
		}
	return 0;
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct diagscr *d = st;
	struct wf_wiz *w = wf_app_userdata(a);
	int have = ready(w) && w->findings.n;
	switch (action) {
	case A_OPEN:
		if (have) {
			struct wf_finding_arg fa = { d->list.sel };
			wf_app_push(a, &wf_scr_finding, &fa);
		}
		return WF_HANDLED | WF_REDRAW;
	case A_LOG: {
		struct wf_logview_arg la = { 0 };
		if (have && first_log(w, d->list.sel, &la))
			wf_app_push(a, &wf_scr_logview, &la);
		else
			wf_app_flash(a, "This finding cites no log line.");
		return WF_HANDLED | WF_REDRAW;
	}
	case A_VIEW: {
		struct wf_logview_arg la = { 0 };
		if (w->log_only && w->n_logs)
			la.name = w->logs[0].name;
		else if (!first_log(w, d->list.sel, &la))
			for (size_t i = 0; i < w->findings.n && !la.name; i++)
				first_log(w, i, &la);
		if (!la.name) {
			wf_app_flash(a, "No log to show: no finding cites one.");
			return WF_HANDLED | WF_REDRAW;
		}
		la.line = la.last = 0;
		wf_app_push(a, &wf_scr_logview, &la);
		return WF_HANDLED | WF_REDRAW;
	}
	}
	if (action == A_FIXES) {
		if (w->log_only)
			wf_app_flash(a, "Fixes need the disk image: virt-winfix IMAGE opens it.");
		else if (!have)
			wf_app_flash(a, "Nothing to fix.");
		else if (!wf_wiz_windows(w))
			wf_app_flash(a, "The appliance is not ready.");
		else {
			int any = 0;
			for (size_t i = 0; i < w->findings.n && !any; i++)
				any = w->findings.v[i].n_fixes > 0;
			if (any)
				wf_app_push(a, &wf_scr_fixes, NULL);
			else
				wf_app_flash(a, "No finding proposes a fix.");
		}
		return WF_HANDLED | WF_REDRAW;
	}
	if (action == A_SAVE) {
		if (!ready(w))
			return WF_HANDLED;
		char *path = wf_wiz_report_default(w, WF_REPORT_TEXT);
		struct wf_error e = { 0 };
		if (wf_wiz_report_write(w, path, WF_REPORT_TEXT, &e) < 0)
			wf_app_error(a, "%s", e.msg);
		else
			wf_app_flash(a, "Report saved to %s", path);
		free(path);
		return WF_HANDLED | WF_REDRAW;
	}
	if (action == A_PASTE) {
		if (!w->log_only)
			wf_app_flash(a, "Pasting a log is for virt-winfix log (log-only mode).");
		else if (wf_app_below(a) == &wf_scr_logpaste)
			return WF_BACK;		/* the box it came from, text kept */
		else
			wf_app_push(a, &wf_scr_logpaste, NULL);
		return WF_HANDLED | WF_REDRAW;
	}
	if (w->log_only && k == WF_ESC && !wf_app_below(a))
		return WF_HANDLED;	/* the first screen in this mode */
	return have ? wf_list_key(&d->list, k) : WF_IGNORED;
}

static int tick(struct wf_app *a, void *st)
{
	(void)st;
	struct wf_wiz *w = wf_app_userdata(a);
	return ready(w) ? 0 : WF_REDRAW;
}

static const char *title(struct wf_app *a, void *st)
{
	(void)st;
	struct wf_wiz *w = wf_app_userdata(a);
	return w->log_only ? "SetupAPI log diagnosis" : "Step 3 of 6: diagnosis";
}

const struct wf_screen wf_scr_diagnosis = {
	.name = "diagnosis",
	.title = "Step 3 of 6: diagnosis",
	.help = "screens/diagnosis",
	.step = 3,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
	.get_title = title,
};
