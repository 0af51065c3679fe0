/*
 * result.c - step 6: what the fix did and what the diagnosis says now.
 * The fixes applied, the journal, where the backups are (in the guest and
 * next to the image), the findings before and after; the report saved as
 * text, JSON or Markdown (t, j, m: a path line, Enter writes); u undoes the
 * fix (asks first) and diagnoses again.  For a libvirt domain or a Proxmox
 * VE VM, "finish the migration": s shows the change that makes the VM
 * present the controllers the guest now boots from (switch.c); undo also
 * puts the domain's old definition back.
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

enum { A_TEXT = 1, A_JSON, A_MD, A_UNDO, A_DIAG, A_SWITCH };

static const struct wf_binding keys[] = {
	{ 't', A_TEXT, "t", "text", "save the report as text" },
	{ 'j', A_JSON, "j", "JSON", "save the report as JSON" },
	{ 'm', A_MD, "m", "Markdown", "save the report as Markdown" },
	{ 'u', A_UNDO, "u", "undo", "undo the fix (asks first), then diagnose again" },
	{ 's', A_SWITCH, "s", "switch VM", "finish the migration: switch the domain to the controllers the guest now boots from" },
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

/* Finish the migration: one line (two with a state), for a domain or a
 * Proxmox VE VM only. */
static int migration(struct wf_wiz *wz, int row, int x, int w)
{
	char line[640];
	enum wf_sw_offer o = wf_wiz_switch_offer(wz, line, sizeof line, NULL, NULL);
	if (o == WF_SWO_NONE && wz->sw == WF_SW_NONE)
		return row;
	wf_draw_text(row++, x + 1, w - 2, "Finish the migration", wf_attr(WF_C_HEADING));
	switch (wz->sw) {
	case WF_SW_RUNNING:
		wf_draw_textf(row++, x + 3, w - 4, wf_attr(WF_C_NORMAL), "Redefining domain %s...", wz->dom.name);
		return row;
	case WF_SW_DONE:
		wf_draw_textf(row++, x + 3, w - 4, wf_attr(WF_C_GOOD), "Domain %s switched; old definition: %s (u restores it)",
			      wz->dom.name, wz->sw_saved ? wz->sw_saved : "?");
		return row;
	case WF_SW_UNDONE:
		wf_draw_textf(row++, x + 3, w - 4, wf_attr(WF_C_NORMAL),
			      "Domain %s: the definition from before the switch is defined again.", wz->dom.name);
		return row;
	case WF_SW_FAILED:
		wf_draw_clip(row++, x + 3, w - 4, wz->sw_err.msg, wf_attr(WF_C_ERROR));
		break;
	case WF_SW_NONE:
		break;
	}
	if (o == WF_SWO_OFFER)
		wf_draw_textf(row++, x + 3, w - 4, wf_attr(WF_C_NORMAL), "%s: s shows %s", line,
			      wz->have_pve ? "the commands" : "the XML diff");
	else if (o != WF_SWO_NONE)
		wf_draw_clip(row++, x + 3, w - 4, line, wf_attr(o == WF_SWO_SAME ? WF_C_DIM : WF_C_WARNING));
	return row;
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
	int mig = migration(wz, row + 1, x, w);
	if (mig > row + 1)
		row = mig;
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
	enum wf_edit what;
	int r = wf_input_edit_key(&s->path, k, &what);
	if (what != WF_EDIT_NONE)
		s->saving = 0;
	if (what == WF_EDIT_COMMIT) {
		struct wf_error e = { 0 };
		if (wf_wiz_report_write(wf_app_userdata(a), s->path.buf, s->fmt, &e) < 0)
			wf_app_error(a, "%s", e.msg);
		else
			wf_app_flash(a, "Report saved to %s", s->path.buf);
	}
	return r;
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
	case A_UNDO: {
		if (w->undo.state == WF_WORK_DONE || w->undo.state == WF_WORK_RUNNING || w->sw == WF_SW_RUNNING) {
			wf_app_flash(a, w->undo.state == WF_WORK_DONE ? "Already undone." : "Wait: a change is running.");
			return WF_HANDLED | WF_REDRAW;
		}
		char msg[600];
		snprintf(msg, sizeof msg, "Put back the hives and files from the backup (checked against the journal)%s%s%s, "
			 "then diagnose again?", w->sw == WF_SW_DONE ? ", define domain " : "",
			 w->sw == WF_SW_DONE ? w->dom.name : "", w->sw == WF_SW_DONE ? " as it was before the switch" : "");
		wf_app_confirm(a, "Undo the fix?", msg, undo_confirmed, NULL);
		return WF_HANDLED | WF_REDRAW;
	}
	case A_SWITCH: {
		char line[640];
		enum wf_sw_offer o = wf_wiz_switch_offer(w, line, sizeof line, NULL, NULL);
		if (o == WF_SWO_OFFER || w->sw == WF_SW_DONE)
			wf_app_push(a, &wf_scr_switch, NULL);
		else
			wf_app_flash(a, "%s", o == WF_SWO_NONE ? "Not a libvirt domain or Proxmox VE VM: nothing to switch."
				     : line);
		return WF_HANDLED | WF_REDRAW;
	}
	case A_DIAG:
		wf_app_pop_to(a, &wf_scr_diagnosis);
		return WF_HANDLED | WF_REDRAW;
	}
	if (wf_key_is_back(k)) {
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
	struct wf_wiz *w = wf_app_userdata(a);
	return w->undo.state == WF_WORK_RUNNING || w->sw == WF_SW_RUNNING ? WF_REDRAW : 0;
}

const struct wf_screen wf_scr_result = {
	.name = "result",
	.title = "Step 6 of 6: result",
	.help = "screens/result",
	.step = 6,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
