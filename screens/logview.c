/*
 * logview.c - a SetupAPI log, whole: line numbers, the lines core's parser
 * flags as failures highlighted (f / F jump between them), the evidence
 * lines of the finding it was opened from marked, search with / n N.
 * In image mode the log is first copied out of the guest (a job on the
 * appliance queue); a spinner shows meanwhile.  Tab goes to the next log
 * when there are several (log-only mode with several files).
 */
#include "screens.h"
#include "logdoc.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct logscr {
	char *name;
	unsigned long line, last;	/* evidence lines (1-based) */
	struct wf_pager pager;
	const struct wf_logdoc *doc;	/* once loaded */
	int placed;			/* moved to the evidence line */
};

enum { A_NEXT_FAIL = 1, A_PREV_FAIL, A_NEXT_LOG };

static const struct wf_binding keys[] = {
	{ '/', 0, "/", "search", "search (case-insensitive); n, N: next, previous match" },
	{ 'f', A_NEXT_FAIL, "f", "next failure", "the next highlighted failure line (F: previous)" },
	{ 'F', A_PREV_FAIL, NULL, NULL, NULL },
	{ '\t', A_NEXT_LOG, "Tab", "next log", "the next log file, when there are several" },
	{ 0, 0, NULL, NULL, NULL },
};

static struct wf_wiz_log *current(struct wf_app *a, struct logscr *s)
{
	struct wf_wiz *w = wf_app_userdata(a);
	for (size_t i = 0; i < w->n_logs; i++)
		if (!strcmp(w->logs[i].name, s->name))
			return &w->logs[i];
	return NULL;
}

static size_t src_count(void *ud)
{
	struct logscr *s = ud;
	return s->doc ? s->doc->n : 0;
}

static const char *src_line(void *ud, size_t i, size_t *len)
{
	struct logscr *s = ud;
	return wf_logdoc_line(s->doc, i, len);
}

static enum wf_color src_color(void *ud, size_t i)
{
	struct logscr *s = ud;
	if (s->line && i + 1 >= s->line && i + 1 <= (s->last ? s->last : s->line))
		return WF_C_MARK;
	return s->doc->flag[i] == WF_LOGLINE_FAIL ? WF_C_FAILLINE
	       : s->doc->flag[i] == WF_LOGLINE_WARN ? WF_C_WARNING : WF_C_NORMAL;
}

static void *enter(struct wf_app *a, void *arg)
{
	const struct wf_logview_arg *la = arg;
	struct logscr *s = wf_xcalloc(1, sizeof *s);
	s->name = wf_xstrdup(la->name);
	s->line = la->line;
	s->last = la->last;
	struct wf_pager_src src = { src_count, src_line, src_color, s };
	wf_pager_init(&s->pager, src);
	s->pager.numbers = 1;
	/* starts the fetch from the guest when needed */
	wf_wiz_log_get(wf_app_userdata(a), s->name);
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct logscr *s = st;
	free(s->name);
	free(s);
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct logscr *s = st;
	struct wf_wiz_log *l = current(a, s);
	wf_draw_text(y, x + 1, w - 2, s->name, wf_attr(WF_C_HEADING) | A_BOLD);
	if (!l || l->state < 0) {
		wf_draw_text(y + 2, x + 1, w - 2, l ? l->err : "This log is not available.",
			     wf_attr(WF_C_ERROR));
		return;
	}
	if (l->state == 0) {
		wf_draw_progress(a, y + 2, x + 1, w - 2, -1,
				 wf_app_userdata(a) && ((struct wf_wiz *)wf_app_userdata(a))->log_only
				 ? "Reading the log..." : "Copying the log out of the guest...");
		return;
	}
	s->doc = l->doc;
	if (!s->placed) {
		s->pager.page = h - 2;
		if (s->line)
			wf_pager_goto(&s->pager, s->line - 1);
		s->placed = 1;
	}
	char info[256];
	snprintf(info, sizeof info, "%zu lines, %zu failure%s%s", s->doc->n,
		 s->doc->n_fail, s->doc->n_fail == 1 ? "" : "s",
		 s->line ? ", evidence marked" : "");
	int nw = wf_text_width(s->name) + 3;
	if (nw < w - 2)
		wf_draw_text(y, x + 1 + nw, w - 2 - nw, info, wf_attr(WF_C_DIM));
	wf_pager_draw(&s->pager, a, y + 1, x, h - 1, w);
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct logscr *s = st;
	struct wf_wiz *w = wf_app_userdata(a);
	if (s->pager.searching || !s->doc)
		return s->doc ? wf_pager_key(&s->pager, k) : WF_IGNORED;
	switch (action) {
	case A_NEXT_FAIL: case A_PREV_FAIL: {
		/* from the marked line when it is on the page, else from its top */
		size_t from = s->pager.mark;
		if (from != SIZE_MAX && (from < s->pager.top ||
					 from >= s->pager.top + (size_t)s->pager.page))
			from = SIZE_MAX;
		if (from == SIZE_MAX)
			from = action == A_NEXT_FAIL ? (s->pager.top ? s->pager.top - 1 : SIZE_MAX)
						     : s->pager.top;
		size_t i = wf_logdoc_next_fail(s->doc, from, action == A_NEXT_FAIL ? 1 : -1);
		if (i == SIZE_MAX) {
			wf_app_flash(a, "No %s failure line.", action == A_NEXT_FAIL ? "further" : "earlier");
			return WF_HANDLED | WF_REDRAW;
		}
		s->pager.mark = i;
		wf_pager_goto(&s->pager, i);
		return WF_HANDLED | WF_REDRAW;
	}
	case A_NEXT_LOG:
		if (w->n_logs > 1) {
			size_t i = 0;
			while (i < w->n_logs && strcmp(w->logs[i].name, s->name))
				i++;
			i = (i + 1) % w->n_logs;
			free(s->name);
			s->name = wf_xstrdup(w->logs[i].name);
			s->line = s->last = 0;
			s->doc = NULL;
			s->placed = 0;
			wf_pager_init(&s->pager, s->pager.src);
			s->pager.numbers = 1;
		}
		return WF_HANDLED | WF_REDRAW;
	}
	return wf_pager_key(&s->pager, k);
}

static int tick(struct wf_app *a, void *st)
{
	struct wf_wiz_log *l = current(a, st);
	return l && l->state == 0 ? WF_REDRAW : 0;
}

const struct wf_screen wf_scr_logview = {
	.name = "logview",
	.title = "Log viewer",
	.help = "screens/log-viewer",
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
