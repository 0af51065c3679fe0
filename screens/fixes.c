/*
 * fixes.c - step 4: the fixes the findings propose, as a checklist, beside
 * the plan of the current selection: every registry value old -> new, every
 * file added or replaced, as core renders it for the dry run.  The fixes of
 * error findings are pre-selected (driver injections only once a virtio-win
 * source is chosen: v).  The plan is rebuilt in the background on every
 * change.  Enter asks, then applies (step 5).
 */
#include "screens.h"
#include "fixes.h"
#include "strbuf.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fixscr {
	struct wf_list list;
	struct wf_lines plan;		/* the rendered plan */
	unsigned plan_gen;		/* fix_gen it was rendered for */
	int plan_rendered;
	struct wf_pager pager;
	int focus_plan;
	int editing;			/* the virtio-win path line is open */
	struct wf_input src;
};

enum { A_TOGGLE = 1, A_APPLY, A_SOURCE, A_FOCUS };

static const struct wf_binding keys[] = {
	{ ' ', A_TOGGLE, "Space", "select", "select or unselect the fix" },
	{ '\r', A_APPLY, "Enter", "apply", "apply the plan shown (asks first)" },
	{ WF_K(KEY_ENTER), A_APPLY, NULL, NULL, NULL },
	{ 'v', A_SOURCE, "v", "virtio-win", "choose the virtio-win folder or ISO drivers are injected from" },
	{ '\t', A_FOCUS, "Tab", "plan", "move between the checklist and the plan (to scroll it)" },
	{ 0, 0, NULL, NULL, NULL },
};

static void *enter(struct wf_app *a, void *arg)
{
	(void)arg;
	struct wf_wiz *w = wf_app_userdata(a);
	struct fixscr *s = wf_xcalloc(1, sizeof *s);
	wf_wiz_fixes_propose(w);
	wf_list_set(&s->list, w->n_fix, 0);
	wf_pager_init(&s->pager, wf_pager_lines_src(&s->plan));
	s->src.complete = wf_complete_path;
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct fixscr *s = st;
	wf_list_free(&s->list);
	wf_lines_free(&s->plan);
	free(s);
}

/* The plan as lines, once per selection. */
static void render_plan(struct wf_wiz *w, struct fixscr *s)
{
	if (s->plan_rendered && s->plan_gen == w->planning.gen)
		return;
	wf_lines_free(&s->plan);
	s->plan_rendered = 1;
	s->plan_gen = w->planning.gen;
	s->pager.top = 0;
	if (w->planning.state == WF_WORK_FAILED) {
		wf_lines_add(&s->plan, WF_C_ERROR, 0, "This selection cannot be planned:");
		wf_lines_add(&s->plan, WF_C_NORMAL, 0, w->planning.err.msg);
		return;
	}
	if (wf_wiz_source_pending(w)) {
		wf_lines_add(&s->plan, WF_C_WARNING, 0, "Reading the virtio-win ISO (in the background):");
		wf_lines_add(&s->plan, WF_C_WARNING, 0, "the injections join this plan then.");
		if (!w->plan.n)
			return;
	}
	if (!w->plan.n && !wf_wiz_source_pending(w)) {
		wf_lines_add(&s->plan, WF_C_DIM, 0, wf_wiz_fixes_selected(w)
			     ? "Nothing to change: the guest already is as these fixes would leave it."
			     : "No fix selected: nothing would change.");
		return;
	}
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_plan_to_text(&w->plan, &sb);
	for (char *line = sb.buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		const char *t = line + strspn(line, " ");
		enum wf_color c = *t == '[' || strstr(line, " hive:") ? WF_C_HEADING : WF_C_NORMAL;
		if (*t == '+')
			c = WF_C_GOOD;
		else if (*t == '-')
			c = WF_C_ERROR;
		else if (*t == '~')
			c = WF_C_WARNING;
		wf_lines_add(&s->plan, c, 0, line);
		if (!nl)
			break;
	}
	wf_sb_release(&sb);
}

static void draw_row(void *ud, size_t i, int y, int x, int w, int sel)
{
	struct wf_wiz *wz = ud;
	attr_t base = wf_list_attr(sel, WF_C_NORMAL);
	wf_draw_fill(y, x, w, base);
	wf_draw_text(y, x, 4, wf_check_box(wz->fix_on[i]), base);
	const char *id = wz->fix_ids[i];
	const struct wf_fix_family *fam = wf_fix_family_of(id);
	enum wf_severity sev = wz->fix_sev[i];
	int idw = w > 70 ? 34 : w / 2;
	wf_draw_clip(y, x + 4, idw, id, base);
	wf_draw_text(y, x + 5 + idw, 6, sev == WF_SEV_ERROR ? "error" : sev == WF_SEV_WARNING ? "warn" : "info",
		     sel ? base : wf_attr(sev == WF_SEV_ERROR ? WF_C_ERROR : sev == WF_SEV_WARNING
					     ? WF_C_WARNING : WF_C_INFO));
	const char *what = fam ? fam->summary : "unknown fix";
	if (wf_fix_in_family(id, WF_FIXID(INJECT_VIRTIO)) && !wz->virtio_win)
		what = "needs a virtio-win source: press v";
	wf_draw_clip(y, x + 12 + idw, w - 12 - idw, what, sel ? base : wf_attr(WF_C_DIM));
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct fixscr *s = st;
	struct wf_wiz *wz = wf_app_userdata(a);
	struct wf_windows *win = wf_wiz_windows(wz);
	wf_draw_textf(y, x + 1, w - 2, wf_attr(WF_C_HEADING) | A_BOLD, "Fixes for %s: %zu of %zu selected",
		      win && win->ver.display_name ? win->ver.display_name : "Windows",
		      wf_wiz_fixes_selected(wz), wz->n_fix);
	wf_draw_text(y + 1, x + 1, 18, "virtio-win (v): ", wf_attr(WF_C_NORMAL));
	if (s->editing)
		wf_input_draw(&s->src, a, y + 1, x + 17, w - 18, wf_attr(WF_C_INPUT), 1);
	else
		wf_draw_text(y + 1, x + 17, w - 18, wz->virtio_win ? wz->virtio_win : "none chosen",
			     wf_attr(wz->virtio_win ? WF_C_NORMAL : WF_C_DIM));
	struct wf_error ro = { 0 };
	if (s->editing && s->src.msg[0])
		wf_draw_clip(y + 2, x + 1, w - 2, s->src.msg, wf_attr(WF_C_WARNING));
	else if (wf_wiz_refuse_write(wz, &ro) < 0)
		wf_draw_clip(y + 2, x + 1, w - 2, ro.msg, wf_attr(WF_C_WARNING));
	if (!wz->n_fix) {
		wf_draw_text(y + 3, x + 1, w - 2, "No finding proposes a fix.", wf_attr(WF_C_GOOD));
		return;
	}
	int side = w >= 120;
	int lh = side ? h - 4 : (int)(wz->n_fix < 6 ? wz->n_fix : 6);
	int lw = side ? w / 2 - 2 : w - 2;
	wf_list_draw(&s->list, y + 3, x + 1, lh, lw, draw_row, wz);
	int py = side ? y + 3 : y + 3 + lh + 1, px = side ? x + w / 2 : x + 1;
	int ph = side ? h - 3 : h - (py - y), pw = side ? w - w / 2 - 1 : w - 2;
	if (!side)
		wf_draw_hline(py - 1, x + 1, w - 2, wf_attr(s->focus_plan ? WF_C_HEADING : WF_C_DIM));
	if (!wf_wiz_plan_current(wz)) {
		wf_draw_progress(a, py, px, pw, -1, "Building the plan of this selection...");
		return;
	}
	render_plan(wz, s);
	wf_pager_draw(&s->pager, a, py, px, ph, pw);
}

static void confirmed(struct wf_app *a, void *ud, int yes)
{
	(void)ud;
	struct wf_wiz *w = wf_app_userdata(a);
	if (!yes)
		return;
	wf_wiz_apply(w);
	wf_app_push(a, &wf_scr_apply, NULL);
}

static int ask_apply(struct wf_app *a, struct wf_wiz *w)
{
	struct wf_error ro = { 0 };
	if (wf_wiz_refuse_write(w, &ro) < 0) {
		wf_app_error(a, "Not applied: %s", ro.msg);
		return WF_HANDLED | WF_REDRAW;
	}
	for (size_t i = 0; i < w->n_fix; i++)
		if (w->fix_on[i] && wf_fix_in_family(w->fix_ids[i], WF_FIXID(INJECT_VIRTIO)) && !w->virtio_win) {
			wf_app_flash(a, "%s needs a virtio-win source: press v.", w->fix_ids[i]);
			return WF_HANDLED | WF_REDRAW;
		}
	if (!wf_wiz_plan_current(w) || wf_wiz_source_pending(w)) {
		wf_app_flash(a, wf_wiz_source_pending(w) ? "The virtio-win ISO is still being read."
			     : "The plan is still being built.");
		return WF_HANDLED | WF_REDRAW;
	}
	if (w->planning.state == WF_WORK_FAILED || !w->plan.n) {
		wf_app_flash(a, "Nothing to apply.");
		return WF_HANDLED | WF_REDRAW;
	}
	char msg[2000];
	snprintf(msg, sizeof msg,
		 "Apply %zu change%s to %s?\n\n%s%.300s%s Every hive and file the plan touches is backed up "
		 "first, in the guest (C:\\virt-winfix\\backup) and next to the image; each change is read "
		 "back; undo puts everything back.",
		 w->plan.n, w->plan.n == 1 ? "" : "s", w->vm->in.disks[0].img.path,
		 w->vm->writable ? "The running appliance mounts the volume read-write (the VM stays shut down)."
				 : "The appliance restarts with the disk writable (the VM must be shut down; "
				   "it was opened read-only: ",
		 w->vm->writable ? "" : w->vm->ro_why, w->vm->writable ? "" : ").");
	wf_app_confirm(a, "Apply the fix?", msg, confirmed, NULL);
	return WF_HANDLED | WF_REDRAW;
}

static int source_key(struct wf_app *a, struct fixscr *s, int k)
{
	enum wf_edit what;
	int r = wf_input_edit_key(&s->src, k, &what);
	if (what != WF_EDIT_NONE)
		s->editing = 0;
	if (what == WF_EDIT_COMMIT)
		wf_wiz_set_virtio(wf_app_userdata(a), s->src.buf);
	return r;
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct fixscr *s = st;
	struct wf_wiz *w = wf_app_userdata(a);
	if (s->editing)
		return source_key(a, s, k);
	switch (action) {
	case A_TOGGLE:
		wf_wiz_fix_toggle(w, s->list.sel);
		return WF_HANDLED | WF_REDRAW;
	case A_APPLY:
		return ask_apply(a, w);
	case A_SOURCE:
		s->editing = 1;
		wf_input_set(&s->src, w->virtio_win ? w->virtio_win : "");
		return WF_HANDLED | WF_REDRAW;
	case A_FOCUS:
		s->focus_plan = !s->focus_plan;
		return WF_HANDLED | WF_REDRAW;
	}
	if (s->focus_plan)
		return wf_pager_key(&s->pager, k);
	return wf_list_key(&s->list, k);
}

static int tick(struct wf_app *a, void *st)
{
	(void)st;
	return wf_wiz_plan_current(wf_app_userdata(a)) ? 0 : WF_REDRAW;
}

const struct wf_screen wf_scr_fixes = {
	.name = "fixes",
	.title = "Step 4 of 6: fixes",
	.help = "screens/fixes",
	.step = 4,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
