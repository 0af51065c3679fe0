/*
 * result.c - step 6: what the fix did and what the diagnosis says now.
 * The fixes applied, the journal, where the backups are (in the guest and
 * next to the image), the findings before and after; the report saved as
 * text, JSON or Markdown (t, j, m: a path line, Enter writes); u undoes the
 * fix (asks first) and diagnoses again.
 */
#include "screens.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct resscr {
	int saving;			/* the report path line is open */
	enum wf_report_fmt fmt;
	struct wf_input path;
};

enum { A_TEXT = 1, A_JSON, A_MD, A_UNDO, A_DIAG };

static const struct wf_binding keys[] = {
	{ 't', A_TEXT, "t", "text", "save the report as text" },
	{ 'j', A_JSON, "j", "JSON", "save the report as JSON" },
	{ 'm', A_MD, "m", "Markdown", "save the report as Markdown" },
	{ 'u', A_UNDO, "u", "undo", "undo the fix (asks first), then diagnose again" },
	{ '\r', A_DIAG, "Enter", "findings", "the diagnosis after the fix" },
	{ WF_K(KEY_ENTER), A_DIAG, NULL, NULL, NULL },
	{ 0, 0, NULL, NULL, NULL },
};

static void *enter(struct wf_app *a, void *arg)
{
	(void)a;
	(void)arg;
	struct resscr *s = wf_xcalloc(1, sizeof *s);
	s->path.complete = wf_complete_path;
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	free(st);
}

static int counts(int y, int x, int w, const char *label, const struct wf_findings *f)
{
	size_t e = wf_findings_count(f, WF_SEV_ERROR), wn = wf_findings_count(f, WF_SEV_WARNING),
	       in = wf_findings_count(f, WF_SEV_INFO);
	return wf_draw_textf(y, x, w, wf_attr(e ? WF_C_ERROR : wn ? WF_C_WARNING : WF_C_GOOD),
			     "%s %zu error%s, %zu warning%s, %zu info", label, e, e == 1 ? "" : "s",
			     wn, wn == 1 ? "" : "s", in);
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct resscr *s = st;
	struct wf_wiz *wz = wf_app_userdata(a);
	const struct wf_apply_result *r = &wz->applied;
	int row = y;
	const char *head = wz->undo.state == WF_WORK_DONE ? "Undone: the hives and files are back as they were."
			   : "Applied and verified: every change was read back from the guest.";
	wf_draw_text(row++, x + 1, w - 2, head, wf_attr(WF_C_GOOD) | A_BOLD);
	wf_draw_textf(row++, x + 1, w - 2, wf_attr(WF_C_NORMAL), "Fixes: %s%s%s",
		      wz->applied_plan.n_fixes ? wz->applied_plan.fixes[0] : "-",
		      wz->applied_plan.n_fixes > 1 ? ", " : "",
		      wz->applied_plan.n_fixes > 1 ? wz->applied_plan.fixes[1] : "");
	wf_draw_textf(row++, x + 1, w - 2, wf_attr(WF_C_NORMAL), "%zu change%s, journal %s",
		      wz->applied_plan.n, wz->applied_plan.n == 1 ? "" : "s",
		      r->journal.id ? r->journal.id : "?");
	row++;
	wf_draw_text(row++, x + 1, w - 2, "Backup", wf_attr(WF_C_HEADING));
	wf_draw_textf(row++, x + 3, w - 4, wf_attr(WF_C_NORMAL), "in the guest: %s",
		      r->guest_backup ? r->guest_backup : "-");
	wf_draw_textf(row++, x + 3, w - 4, wf_attr(WF_C_NORMAL), "on the host:  %s",
		      r->host_backup ? r->host_backup : "-");
	for (size_t i = 0; i < wz->applied_plan.n_notes && i < 3; i++)
		wf_draw_clip(row++, x + 3, w - 4, wz->applied_plan.notes[i], wf_attr(WF_C_WARNING));
	row++;
	wf_draw_text(row++, x + 1, w - 2, "Verification (diagnosis again)", wf_attr(WF_C_HEADING));
	counts(row++, x + 3, w - 4, "before:", &wz->before);
	counts(row++, x + 3, w - 4, wz->undo.state == WF_WORK_DONE ? "after the undo:" : "after: ",
	       &wz->findings);
	for (size_t i = 0; i < wz->findings.n && row < y + h - 4; i++)
		wf_draw_textf(row++, x + 5, w - 6, wf_attr(wz->findings.v[i].severity == WF_SEV_ERROR
							  ? WF_C_ERROR : WF_C_NORMAL), "%s %s",
			      wf_severity_name(wz->findings.v[i].severity), wz->findings.v[i].title);
	int by = y + h - 3;
	if (wz->undo.state == WF_WORK_RUNNING) {
		pthread_mutex_lock(&wz->progress_lock);
		char msg[300];
		snprintf(msg, sizeof msg, "Undoing: %s", wz->apply_msg[0] ? wz->apply_msg : "...");
		pthread_mutex_unlock(&wz->progress_lock);
		wf_draw_progress(a, by, x + 1, w - 2, -1, msg);
	} else if (wz->undo.state == WF_WORK_FAILED)
		wf_draw_clip(by, x + 1, w - 2, wz->undo.err.msg, wf_attr(WF_C_ERROR));
	if (s->saving) {
		static const char *const names[] = { "text", "JSON", "Markdown" };
		wf_draw_textf(by + 1, x + 1, w - 2, wf_attr(WF_C_HEADING), "Save the %s report to (Enter writes, Esc cancels):",
			      names[s->fmt]);
		wf_input_draw(&s->path, a, by + 2, x + 1, w - 2, wf_attr(WF_C_INPUT), 1);
	} else if (wz->report_path[0])
		wf_draw_textf(by + 2, x + 1, w - 2, wf_attr(WF_C_DIM), "Report saved: %s", wz->report_path);
}

static void undo_confirmed(struct wf_app *a, void *ud, int yes)
{
	(void)ud;
	if (yes)
		wf_wiz_undo(wf_app_userdata(a));
}

static int save_key(struct wf_app *a, struct resscr *s, int k)
{
	struct wf_wiz *w = wf_app_userdata(a);
	if (k == WF_ESC) {
		s->saving = 0;
		return WF_HANDLED | WF_REDRAW;
	}
	if (k == '\r' || k == '\n' || k == WF_K(KEY_ENTER)) {
		struct wf_error e = { 0 };
		s->saving = 0;
		if (wf_wiz_report_write(w, s->path.buf, s->fmt, &e) < 0)
			wf_app_error(a, "%s", e.msg);
		else
			wf_app_flash(a, "Report saved to %s", s->path.buf);
		return WF_HANDLED | WF_REDRAW;
	}
	int r = wf_input_key(&s->path, k);
	return r ? r : WF_HANDLED;
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct resscr *s = st;
	struct wf_wiz *w = wf_app_userdata(a);
	if (s->saving)
		return save_key(a, s, k);
	switch (action) {
	case A_TEXT: case A_JSON: case A_MD: {
		s->fmt = action == A_TEXT ? WF_REPORT_TEXT : action == A_JSON ? WF_REPORT_JSON : WF_REPORT_MD;
		char *def = wf_wiz_report_default(w, s->fmt);
		wf_input_set(&s->path, def);
		free(def);
		s->saving = 1;
		return WF_HANDLED | WF_REDRAW;
	}
	case A_UNDO:
		if (w->undo.state == WF_WORK_DONE || w->undo.state == WF_WORK_RUNNING) {
			wf_app_flash(a, w->undo.state == WF_WORK_DONE ? "Already undone." : "The undo is running.");
			return WF_HANDLED | WF_REDRAW;
		}
		wf_app_confirm(a, "Undo the fix?",
			       "Put back the hives and files from the backup (checked against the journal), "
			       "then diagnose again?", undo_confirmed, NULL);
		return WF_HANDLED | WF_REDRAW;
	case A_DIAG:
		wf_app_pop_to(a, &wf_scr_diagnosis);
		return WF_HANDLED | WF_REDRAW;
	}
	if (k == WF_ESC || k == 127 || k == 8 || k == WF_K(KEY_BACKSPACE)) {
		if (w->undo.state == WF_WORK_RUNNING)
			return WF_HANDLED;
		wf_app_pop_to(a, &wf_scr_diagnosis);
		return WF_HANDLED | WF_REDRAW;
	}
	return WF_IGNORED;
}

static int tick(struct wf_app *a, void *st)
{
	(void)st;
	return ((struct wf_wiz *)wf_app_userdata(a))->undo.state == WF_WORK_RUNNING ? WF_REDRAW : 0;
}

const struct wf_screen wf_scr_result = {
	.name = "result",
	.title = "Step 6 of 6: result",
	.help = "result",
	.step = 6,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
