/*
 * switch.c - finish the migration, from the Result screen (s): the change
 * that makes the VM present the controllers the guest now boots from.
 * A libvirt domain: the XML diff (core/fix/switchdom), y applies it with
 * the libvirt API after asking, keeping the old definition beside the
 * fix's host backup (the Result screen's undo restores it).  A Proxmox VE
 * VM: the `qm set` commands to run on its node; nothing is changed here.
 */
#include "screens.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct swscr {
	enum wf_sw_offer offer;
	char line[640];
	struct wf_switchdom sw;
	struct wf_strbuf qm;
	struct wf_lines lines;
	struct wf_pager pager;
	enum wf_sw_state seen;
};

enum { A_APPLY = 1 };

static const struct wf_binding keys[] = {
	{ 'y', A_APPLY, "y", "apply", "redefine the domain as the diff shows (asks first)" },
	{ 0, 0, NULL, NULL, NULL },
};

static void add_text(struct wf_lines *l, const char *text, int diff)
{
	char *copy = wf_xstrdup(text);
	for (char *line = copy, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		enum wf_color c = !diff ? WF_C_NORMAL : line[0] == '-' ? WF_C_ERROR
				  : line[0] == '+' ? WF_C_GOOD : WF_C_DIM;
		wf_lines_add(l, c, 0, line);
		if (!nl)
			break;
	}
	free(copy);
}

static void *enter(struct wf_app *a, void *arg)
{
	(void)arg;
	struct wf_wiz *w = wf_app_userdata(a);
	struct swscr *s = wf_xcalloc(1, sizeof *s);
	wf_sb_init(&s->qm);
	s->offer = wf_wiz_switch_offer(w, s->line, sizeof s->line, &s->sw, &s->qm);
	s->seen = w->sw;
	if (s->offer == WF_SWO_OFFER && w->have_pve) {
		wf_lines_add(&s->lines, WF_C_HEADING, 0,
			     "Run on the Proxmox VE node, with the VM shut down (virt-winfix does not edit Proxmox's cluster files):");
		add_text(&s->lines, s->qm.buf, 0);
	} else if (s->offer == WF_SWO_OFFER)
		add_text(&s->lines, s->sw.diff, 1);
	else
		wf_lines_add(&s->lines, WF_C_DIM, 0, "Nothing to show.");
	wf_pager_init(&s->pager, wf_pager_lines_src(&s->lines));
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct swscr *s = st;
	wf_switchdom_free(&s->sw);
	wf_sb_release(&s->qm);
	wf_lines_free(&s->lines);
	free(s);
}

static void status_line(struct wf_app *a, struct wf_wiz *w, struct swscr *s, int y, int x, int width)
{
	if (w->have_pve)
		return;
	switch (w->sw) {
	case WF_SW_RUNNING:
		wf_draw_progress(a, y, x, width, -1, "Redefining the domain...");
		break;
	case WF_SW_DONE:
		wf_draw_textf(y, x, width, wf_attr(WF_C_GOOD) | A_BOLD,
			      "Domain %s switched; the old definition is kept as %s", s->sw.name,
			      w->sw_saved ? w->sw_saved : "?");
		break;
	case WF_SW_FAILED:
		wf_draw_clip(y, x, width, w->sw_err.msg, wf_attr(WF_C_ERROR));
		break;
	default:
		if (s->offer == WF_SWO_OFFER)
			wf_draw_text(y, x, width, "y redefines the domain with the libvirt API (asks first); Esc goes back.",
				     wf_attr(WF_C_DIM));
	}
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct swscr *s = st;
	struct wf_wiz *wz = wf_app_userdata(a);
	wf_draw_text(y, x + 1, w - 2, s->line, wf_attr(s->offer == WF_SWO_OFFER ? WF_C_HEADING : WF_C_WARNING) | A_BOLD);
	if (s->offer == WF_SWO_OFFER && !wz->have_pve)
		wf_draw_text(y + 1, x + 1, w - 2, "The old definition is kept beside the fix's backup; undo on the Result screen restores it.",
			     wf_attr(WF_C_DIM));
	status_line(a, wz, s, y + 2, x + 1, w - 2);
	wf_draw_hline(y + 3, x + 1, w - 2, wf_attr(WF_C_DIM));
	wf_pager_draw(&s->pager, a, y + 4, x + 1, h - 4, w - 2);
}

static void confirmed(struct wf_app *a, void *ud, int yes)
{
	struct swscr *s = ud;
	if (yes)
		wf_wiz_switch_apply(wf_app_userdata(a), &s->sw);
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct swscr *s = st;
	struct wf_wiz *w = wf_app_userdata(a);
	if (action == A_APPLY) {
		if (w->have_pve || s->offer != WF_SWO_OFFER) {
			wf_app_flash(a, w->have_pve ? "Proxmox VE: run the commands shown on the node." : "Nothing to apply.");
			return WF_HANDLED | WF_REDRAW;
		}
		if (w->sw == WF_SW_RUNNING || w->sw == WF_SW_DONE) {
			wf_app_flash(a, w->sw == WF_SW_DONE ? "Already switched." : "The switch is running.");
			return WF_HANDLED | WF_REDRAW;
		}
		char msg[600];
		snprintf(msg, sizeof msg, "Redefine domain %s as the diff shows (%zu device%s)? The VM must stay shut down; "
			 "the old definition is kept and undo restores it.", s->sw.name, s->sw.n_changes,
			 s->sw.n_changes == 1 ? "" : "s");
		wf_app_confirm(a, "Switch the domain?", msg, confirmed, s);
		return WF_HANDLED | WF_REDRAW;
	}
	if (wf_key_is_back(k)) {
		if (w->sw == WF_SW_RUNNING)
			return WF_HANDLED;
		wf_app_pop(a);
		return WF_HANDLED | WF_REDRAW;
	}
	return wf_pager_key(&s->pager, k);
}

/* The switch's state comes from a task. */
static int tick(struct wf_app *a, void *st)
{
	struct swscr *s = st;
	struct wf_wiz *w = wf_app_userdata(a);
	if (w->sw == s->seen && w->sw != WF_SW_RUNNING)
		return 0;
	s->seen = w->sw;
	return WF_REDRAW;
}

const struct wf_screen wf_scr_switch = {
	.name = "switch",
	.title = "Step 6 of 6: finish the migration",
	.help = "screens/switch",
	.step = 6,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
