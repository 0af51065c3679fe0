/*
 * apply.c - step 5: the fix being applied.  The appliance restarts with the
 * disks writable, the plan is built again on them, then the executor backs
 * up, writes, verifies (a progress bar with its step and message), and the
 * diagnosis runs again.  Esc cancels while that is safe: before the hives
 * are replaced (after that the executor finishes; stopping half-way helps
 * nobody).  When done, the result (step 6) replaces this screen.
 */
#include "screens.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct wf_binding keys[] = {
	{ WF_ESC, 1, "Esc", "cancel", "cancel (safe: only honoured before the hives are replaced)" },
	{ 0, 0, NULL, NULL, NULL },
};

static void *enter(struct wf_app *a, void *arg)
{
	(void)a;
	(void)arg;
	return NULL;
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	(void)st;
	(void)h;
	struct wf_wiz *wz = wf_app_userdata(a);
	wf_draw_text(y + 1, x + 1, w - 2, "Applying:", wf_attr(WF_C_HEADING) | A_BOLD);
	int r = 2;
	for (size_t i = 0; i < wz->n_fix && r < 8; i++)
		if (wz->fix_on[i])
			wf_draw_textf(y + r++, x + 3, w - 4, wf_attr(WF_C_NORMAL), "%s %s",
				      wf_glyph(WF_G_BULLET), wz->fix_ids[i]);
	r++;
	if (wz->apply.state == WF_WORK_FAILED) {
		wf_draw_text(y + r++, x + 1, w - 2, wz->apply.err.kind == WF_ERR_CANCELLED
			     ? "Cancelled: nothing was changed." : "The fix was not applied:",
			     wf_attr(WF_C_ERROR));
		struct wf_lines l = { 0 };
		wf_wrap(&l, wz->apply.err.msg, w - 4, 0, 0, WF_C_NORMAL, 0);
		for (size_t i = 0; i < l.n && r < h - 2; i++)
			wf_draw_text(y + r++, x + 3, w - 4, l.v[i].text, wf_attr(WF_C_NORMAL));
		wf_lines_free(&l);
		wf_draw_text(y + r + 1, x + 1, w - 2, "Esc goes back.", wf_attr(WF_C_DIM));
		return;
	}
	pthread_mutex_lock(&wz->progress_lock);
	unsigned step = wz->apply_step, total = wz->apply_total;
	uint64_t bytes = wz->apply_bytes, bytes_total = wz->apply_bytes_total;
	char msg[300];
	snprintf(msg, sizeof msg, "%s", wz->apply_msg[0] ? wz->apply_msg : "waiting for the appliance");
	pthread_mutex_unlock(&wz->progress_lock);
	char label[400];
	if (total) {
		snprintf(label, sizeof label, "step %u of %u: %s", step, total, msg);
		wf_draw_progress(a, y + r, x + 1, w - 2, (double)step / total, label);
	} else {
		snprintf(label, sizeof label, "%s  (%.0f s)", msg, wf_now() - wz->apply_t0);
		wf_draw_progress(a, y + r, x + 1, w - 2, -1, label);
	}
	if (bytes_total) {	/* libguestfs progress events of a long copy */
		snprintf(label, sizeof label, "copying: %.1f of %.1f MB", (double)bytes / 1e6,
			 (double)bytes_total / 1e6);
		wf_draw_progress(a, y + r + 1, x + 1, w - 2, (double)bytes / (double)bytes_total, label);
	}
	r += 3;
	wf_draw_text(y + r, x + 1, w - 2, wz->apply_cancel
		     ? "Cancelling: the fix stops at the next safe point..."
		     : "Esc cancels while nothing in the guest has changed yet.",
		     wf_attr(wz->apply_cancel ? WF_C_WARNING : WF_C_DIM));
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	(void)st;
	(void)action;
	struct wf_wiz *w = wf_app_userdata(a);
	if (w->apply.state == WF_WORK_FAILED) {
		if (wf_key_is_back(k) || k == '\r') {
			if (w->vm && w->vm->phase == WF_VM_READY)
				wf_app_pop_to(a, &wf_scr_diagnosis);
			else
				wf_app_pop_to(a, &wf_scr_pick);
			return WF_HANDLED | WF_REDRAW;
		}
		return WF_IGNORED;
	}
	if (wf_key_is_back(k)) {
		wf_wiz_apply_cancel(w);
		return WF_HANDLED | WF_REDRAW;
	}
	return k == 'q' || k == WF_K(KEY_F(1)) || k == '?' || k == WF_CTRL('c') ? WF_IGNORED : WF_HANDLED;
}

static int tick(struct wf_app *a, void *st)
{
	(void)st;
	struct wf_wiz *w = wf_app_userdata(a);
	if (w->apply.state == WF_WORK_DONE) {
		wf_app_replace(a, &wf_scr_result, NULL);
		return WF_REDRAW;
	}
	return w->apply.state == WF_WORK_RUNNING ? WF_REDRAW : 0;
}

const struct wf_screen wf_scr_apply = {
	.name = "apply",
	.title = "Step 5 of 6: applying the fix",
	.help = "screens/apply",
	.step = 5,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.tick = tick,
};
