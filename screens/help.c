/*
 * help.c - the help screen (F1 or ?): the article of the screen it was
 * called from (help/screens/<topic>.txt) or of a finding
 * (help/findings/<id>.txt), then every key of that screen and the global
 * keys, from the same binding tables that drive them.
 */
#include "screens.h"
#include "help.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct helpscr {
	char *topic;
	const struct wf_screen *from;
	struct wf_lines lines;
	int width;
	struct wf_pager pager;
};

static const struct wf_binding keys[] = {
	{ '/', 0, "/", "search", "search the help text" },
	{ 0, 0, NULL, NULL, NULL },
};

static void add_keys(struct wf_lines *l, const struct wf_binding *b)
{
	for (; b && b->key; b++) {
		if (!b->help)
			continue;
		char name[32];
		const char *kn = b->keyname ? b->keyname : wf_key_name(b->key, name, sizeof name);
		wf_lines_addf(l, WF_C_NORMAL, 0, "  %-10s %s", kn, b->help);
	}
}

static void build(struct helpscr *s, int width)
{
	wf_lines_free(&s->lines);
	s->width = width;
	const char *text = wf_help_find(s->topic);
	if (text)
		wf_wrap(&s->lines, text, width, 0, 0, WF_C_NORMAL, 0);
	else
		wf_lines_addf(&s->lines, WF_C_WARNING, 0, "No help text for \"%s\".", s->topic);
	wf_lines_add(&s->lines, WF_C_NORMAL, 0, "");
	if (s->from && s->from->keys) {
		wf_lines_add(&s->lines, WF_C_HEADING, 0, "Keys on this screen");
		add_keys(&s->lines, s->from->keys);
		wf_lines_add(&s->lines, WF_C_NORMAL, 0, "");
	}
	wf_lines_add(&s->lines, WF_C_HEADING, 0, "Keys everywhere");
	wf_lines_add(&s->lines, WF_C_NORMAL, 0, "  Up Down    move (also k j, PgUp PgDn, Home End, g G)");
	add_keys(&s->lines, wf_app_keys);
}

static void *enter(struct wf_app *a, void *arg)
{
	struct helpscr *s = wf_xcalloc(1, sizeof *s);
	s->topic = wf_xstrdup(arg ? (const char *)arg : "usage");
	s->from = wf_app_below(a);
	wf_pager_init(&s->pager, wf_pager_lines_src(&s->lines));
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct helpscr *s = st;
	wf_lines_free(&s->lines);
	free(s->topic);
	free(s);
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct helpscr *s = st;
	if (s->width != w - 2)
		build(s, w - 2);
	wf_pager_draw(&s->pager, a, y, x + 1, h, w - 2);
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	(void)a;
	(void)action;
	struct helpscr *s = st;
	if (!s->pager.searching && (k == WF_K(KEY_F(1)) || k == '?' || k == 'q'))
		return WF_BACK;	/* F1 again closes help; q too, not the program */
	return wf_pager_key(&s->pager, k);
}

static const char *title(struct wf_app *a, void *st)
{
	(void)a;
	struct helpscr *s = st;
	static char buf[160];
	const char *slash = strrchr(s->topic, '/');	/* "findings/x": show "x" */
	snprintf(buf, sizeof buf, "Help: %s", slash ? slash + 1 : s->topic);
	return buf;
}

const struct wf_screen wf_scr_help = {
	.name = "help",
	.title = "Help",
	.help = "screens/help",
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.get_title = title,
};
