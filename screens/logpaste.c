/*
 * logpaste.c - log-only mode's paste box: `virt-winfix log` on a terminal
 * with no file (or p on the log diagnosis).  The operator pastes lines of a
 * SetupAPI log copied out of a mail, a forum or a ticket (bracketed paste:
 * taken byte for byte; a terminal without it types the lines, which the
 * box takes as well), or types them, then Ctrl-D diagnoses the text as
 * `virt-winfix log -` would (wizard_log.c) and the diagnosis screen comes
 * up; Esc there comes back to the box, text kept.  Ctrl-O diagnoses a
 * file instead (a path line with Tab completion).  Esc cancels (asks first
 * when the box holds text).
 */
#include "screens.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct logpaste {
	struct wf_paste box;
	struct wf_input path;	/* Ctrl-O */
	int path_open;
	int pasting;		/* a bracketed paste is arriving */
};

enum { A_DIAGNOSE = 1, A_FILE, A_CLEAR, A_CANCEL, A_TEXT };

static const struct wf_binding keys[] = {
	{ WF_CTRL('d'), A_DIAGNOSE, "Ctrl-D", "diagnose",
	  "diagnose the text in the box (what virt-winfix log - would say)" },
	{ WF_K(KEY_F(2)), A_DIAGNOSE, NULL, NULL, "F2: diagnose too" },
	{ WF_CTRL('o'), A_FILE, "Ctrl-O", "open a file",
	  "diagnose a log file instead: type its path (Tab completes), Enter" },
	{ WF_CTRL('u'), A_CLEAR, "Ctrl-U", "clear", "empty the box" },
	{ WF_ESC, A_CANCEL, "Esc", "cancel", "leave the box (asks first when it holds text)" },
	/* text here, not the app's quit and help keys (F1 still helps) */
	{ 'q', A_TEXT, NULL, NULL, NULL },
	{ '?', A_TEXT, NULL, NULL, NULL },
	{ 0, 0, NULL, NULL, NULL },
};

static void *enter(struct wf_app *a, void *arg)
{
	(void)a;
	(void)arg;
	struct logpaste *p = wf_xcalloc(1, sizeof *p);
	wf_paste_init(&p->box, 0);
	p->path.complete = wf_complete_path;
	return p;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct logpaste *p = st;
	wf_paste_free(&p->box);
	free(p);
}

static void human(unsigned long long b, char *out, size_t n)
{
	if (b < 10 * 1024)
		snprintf(out, n, "%llu bytes", b);
	else if (b < 10ull * 1024 * 1024)
		snprintf(out, n, "%llu KiB", b / 1024);
	else
		snprintf(out, n, "%llu MiB", b >> 20);
}

static void draw_status(struct logpaste *p, int y, int x, int w)
{
	char sz[32], cap[32];
	human(p->box.len, sz, sizeof sz);
	size_t lines = wf_paste_lines(&p->box);
	int c = wf_draw_textf(y, x, w, wf_attr(WF_C_NORMAL) | A_BOLD, "%zu line%s", lines,
			      lines == 1 ? "" : "s");
	c += wf_draw_textf(y, x + c, w - c, wf_attr(WF_C_DIM), " (%s)%s", sz,
			   p->pasting ? "  pasting..." : "");
	if (p->box.full || p->box.dropped) {
		human(p->box.max, cap, sizeof cap);
		human(p->box.dropped, sz, sizeof sz);
		wf_draw_textf(y, x + c, w - c, wf_attr(WF_C_WARNING),
			      "  cut at %s: %s past it dropped", cap, sz);
	}
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct logpaste *p = st;
	wf_draw_text(y, x + 1, w - 2, "Paste the lines of a SetupAPI log (setupapi.dev.log, setupapi.log)",
		     wf_attr(WF_C_HEADING) | A_BOLD);
	wf_draw_text(y + 1, x + 1, w - 2,
		     "as a mail, forum or ticket shows them, or type them; Ctrl-D diagnoses.",
		     wf_attr(WF_C_NORMAL));
	int by = y + 2, bh = h - 4;
	if (p->path_open)
		bh -= 2;
	wf_draw_box(by, x, bh, w, wf_attr(WF_C_DIM), "Pasted text");
	wf_paste_draw(&p->box, a, by + 1, x + 1, bh - 2, w - 2, !p->path_open);
	draw_status(p, by + bh, x + 1, w - 2);
	if (p->path_open) {
		int py = by + bh + 1;
		int c = wf_draw_text(py, x + 1, w - 2, "Log file: ", wf_attr(WF_C_NORMAL));
		wf_input_draw(&p->path, a, py, x + 1 + c, w - 2 - c, wf_attr(WF_C_INPUT), 1);
		if (p->path.msg[0])
			wf_draw_text(py + 1, x + 1, w - 2, p->path.msg, wf_attr(WF_C_DIM));
	}
}

static void diagnose_text(struct wf_app *a, struct logpaste *p)
{
	struct wf_wiz *w = wf_app_userdata(a);
	if (!p->box.len)
		wf_app_flash(a, "The box is empty: paste the log lines first.");
	else if (wf_wiz_log_paste(w, p->box.buf, p->box.len) < 0)
		wf_app_flash(a, "The last diagnosis is still running.");
}

static void diagnose_file(struct wf_app *a, struct logpaste *p)
{
	struct wf_wiz *w = wf_app_userdata(a);
	const char *f = p->path.buf;
	if (!f[0]) {
		wf_app_flash(a, "Type the path of a log file.");
		return;
	}
	if (wf_wiz_log_files(w, &f, 1) < 0) {
		wf_app_flash(a, "The last diagnosis is still running.");
		return;
	}
	p->path_open = 0;
}

/* Leave: back to the diagnosis under it, or (the first screen) the end. */
static void cancel_answer(struct wf_app *a, void *ud, int yes)
{
	(void)ud;
	if (yes)
		wf_app_pop(a);
}

static int path_key(struct wf_app *a, struct logpaste *p, int k)
{
	enum wf_edit what = WF_EDIT_NONE;
	int r = wf_input_edit_key(&p->path, k, &what);
	if (what == WF_EDIT_COMMIT)
		diagnose_file(a, p);
	else if (what == WF_EDIT_CANCEL)
		p->path_open = 0;
	return r | WF_HANDLED | WF_REDRAW;
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct logpaste *p = st;
	if (p->path_open && action != A_DIAGNOSE)
		return path_key(a, p, k);
	switch (action) {
	case A_DIAGNOSE:
		diagnose_text(a, p);
		return WF_HANDLED | WF_REDRAW;
	case A_FILE:
		p->path_open = 1;
		return WF_HANDLED | WF_REDRAW;
	case A_CLEAR:
		wf_paste_clear(&p->box);
		return WF_HANDLED | WF_REDRAW;
	case A_CANCEL:
		if (!p->box.len) {
			cancel_answer(a, NULL, 1);
			return WF_HANDLED | WF_REDRAW;
		}
		wf_app_confirm(a, "Leave the paste box?",
			       "The pasted text will be forgotten.", cancel_answer, NULL);
		return WF_HANDLED | WF_REDRAW;
	}
	return wf_paste_key(&p->box, k);
}

static int paste(struct wf_app *a, void *st, const char *text, size_t n, int end)
{
	(void)a;
	struct logpaste *p = st;
	if (p->path_open) {	/* a path pasted into the path line: its first
				 * line, printable ASCII only */
		for (size_t i = 0; i < n && text[i] != '\n' && text[i] != '\r'; i++)
			if (text[i] >= 32 && text[i] < 127)
				wf_input_key(&p->path, text[i]);
		return WF_REDRAW;
	}
	p->pasting = !end;
	wf_paste_add(&p->box, text, n);
	return WF_REDRAW;
}

const struct wf_screen wf_scr_logpaste = {
	.name = "log-paste",
	.title = "SetupAPI log: paste or open",
	.help = "screens/log-paste",
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.paste = paste,
};
