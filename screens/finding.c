/*
 * finding.c - one finding: severity and title, the device, the explanation,
 * what to check next, every piece of evidence (registry key and value, or
 * log file, line numbers and the lines), the fixes that address it, and the
 * help article about the cause.  Tab moves between the evidence items; l
 * (or Enter on a log item) opens the log viewer at its lines.
 */
#include "screens.h"
#include "help.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct findscr {
	size_t index;
	struct wf_lines lines;
	int width;		/* lines were wrapped for this width */
	struct wf_pager pager;
	size_t *anchor;		/* line of evidence item k */
	size_t n_anchor;
	size_t cur;		/* selected evidence item, SIZE_MAX = none */
	char topic[160];	/* "findings/<id>" for F1 */
};

enum { A_NEXT_EV = 1, A_PREV_EV, A_LOG };

static const struct wf_binding keys[] = {
	{ '\t', A_NEXT_EV, "Tab", "next evidence", "select the next piece of evidence (Shift-Tab: previous)" },
	{ WF_K(KEY_BTAB), A_PREV_EV, NULL, NULL, NULL },
	{ 'l', A_LOG, "l", "open log", "the log viewer at the selected (or first) log evidence" },
	{ '\r', A_LOG, NULL, NULL, "Enter: the same, on a log item" },
	{ '/', 0, "/", "search", "search this text (n, N: next, previous)" },
	{ 0, 0, NULL, NULL, NULL },
};

static const struct wf_finding *finding(struct wf_app *a, struct findscr *s)
{
	struct wf_wiz *w = wf_app_userdata(a);
	return s->index < w->findings.n ? &w->findings.v[s->index] : NULL;
}

static void build(struct wf_app *a, struct findscr *s, int width)
{
	const struct wf_finding *f = finding(a, s);
	wf_lines_free(&s->lines);
	free(s->anchor);
	s->anchor = NULL;
	s->n_anchor = 0;
	s->width = width;
	if (!f)
		return;
	struct wf_lines *l = &s->lines;
	enum wf_color sc = f->severity == WF_SEV_ERROR ? WF_C_ERROR
			   : f->severity == WF_SEV_WARNING ? WF_C_WARNING : WF_C_INFO;
	char head[1024];
	snprintf(head, sizeof head, "%s: %s", wf_severity_name(f->severity), f->title ? f->title : f->id);
	wf_wrap(l, head, width, 2, 0, sc, -1);
	wf_lines_addf(l, WF_C_DIM, -1, "id %s%s%s", f->id, f->device ? ", device " : "",
		      f->device ? f->device : "");
	wf_lines_add(l, WF_C_NORMAL, -1, "");
	wf_wrap(l, f->explanation, width, 0, 0, WF_C_NORMAL, -1);
	if (f->next_check) {
		wf_lines_add(l, WF_C_NORMAL, -1, "");
		wf_lines_add(l, WF_C_HEADING, -1, "What to check next");
		wf_wrap(l, f->next_check, width, 2, 1, WF_C_NORMAL, -1);
	}
	wf_lines_add(l, WF_C_NORMAL, -1, "");
	wf_lines_addf(l, WF_C_HEADING, -1, "Evidence (%zu)", f->n_evidence);
	s->anchor = wf_xcalloc(f->n_evidence + 1, sizeof *s->anchor);
	for (size_t k = 0; k < f->n_evidence; k++) {
		const struct wf_evidence *ev = &f->evidence[k];
		s->anchor[s->n_anchor++] = l->n;
		if (ev->first) {
			char range[64];
			if (ev->last > ev->first)
				snprintf(range, sizeof range, "lines %lu-%lu", ev->first, ev->last);
			else
				snprintf(range, sizeof range, "line %lu", ev->first);
			wf_lines_addf(l, WF_C_HEADING, (int)k, "[%zu] %s, %s  (l opens the log here)",
				      k + 1, ev->source, range);
		} else
			wf_lines_addf(l, WF_C_HEADING, (int)k, "[%zu] %s%s%s", k + 1, ev->source,
				      ev->where ? "  " : "", ev->where ? ev->where : "");
		wf_wrap(l, ev->text, width, 6, 1, ev->first ? WF_C_FAILLINE : WF_C_NORMAL, (int)k);
	}
	if (f->n_fixes) {
		wf_lines_add(l, WF_C_NORMAL, -1, "");
		wf_lines_add(l, WF_C_HEADING, -1, "Fixes that address it");
		for (size_t k = 0; k < f->n_fixes; k++)
			wf_lines_addf(l, WF_C_NORMAL, -1, "  %s", f->fixes[k]);
	}
	const char *article = wf_help_article("findings", f->id);
	if (article) {
		wf_lines_add(l, WF_C_NORMAL, -1, "");
		wf_lines_add(l, WF_C_HEADING, -1, "About this cause");
		wf_wrap(l, article, width, 0, 0, WF_C_NORMAL, -1);
	}
}

static void *enter(struct wf_app *a, void *arg)
{
	(void)a;
	const struct wf_finding_arg *fa = arg;
	struct findscr *s = wf_xcalloc(1, sizeof *s);
	s->index = fa ? fa->index : 0;
	s->cur = SIZE_MAX;
	wf_pager_init(&s->pager, wf_pager_lines_src(&s->lines));
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct findscr *s = st;
	wf_lines_free(&s->lines);
	free(s->anchor);
	free(s);
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct findscr *s = st;
	if (s->width != w - 2) {
		size_t top = s->pager.top;
		build(a, s, w - 2);
		s->pager.top = top;
		s->pager.mark = s->cur != SIZE_MAX && s->cur < s->n_anchor ? s->anchor[s->cur] : SIZE_MAX;
	}
	wf_pager_draw(&s->pager, a, y, x + 1, h, w - 2);
}

static void select_ev(struct findscr *s, size_t k)
{
	s->cur = k;
	s->pager.mark = s->anchor[k];
	size_t line = s->anchor[k];
	if (line < s->pager.top || line >= s->pager.top + (size_t)s->pager.page)
		wf_pager_goto(&s->pager, line);
}

static int open_log(struct wf_app *a, struct findscr *s)
{
	const struct wf_finding *f = finding(a, s);
	if (!f)
		return WF_HANDLED;
	size_t k = s->cur;
	if (k == SIZE_MAX || k >= f->n_evidence || !f->evidence[k].first)
		for (k = 0; k < f->n_evidence && !f->evidence[k].first; k++)
			;
	if (k >= f->n_evidence) {
		wf_app_flash(a, "This finding cites no log line (its evidence is in the registry).");
		return WF_HANDLED | WF_REDRAW;
	}
	struct wf_logview_arg la = { f->evidence[k].source, f->evidence[k].first, f->evidence[k].last };
	wf_app_push(a, &wf_scr_logview, &la);
	return WF_HANDLED | WF_REDRAW;
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct findscr *s = st;
	if (s->pager.searching)
		return wf_pager_key(&s->pager, k);
	switch (action) {
	case A_NEXT_EV: case A_PREV_EV:
		if (!s->n_anchor)
			return WF_HANDLED;
		if (s->cur == SIZE_MAX)
			select_ev(s, action == A_NEXT_EV ? 0 : s->n_anchor - 1);
		else
			select_ev(s, action == A_NEXT_EV ? (s->cur + 1) % s->n_anchor
				  : (s->cur + s->n_anchor - 1) % s->n_anchor);
		return WF_HANDLED | WF_REDRAW;
	case A_LOG:
		return open_log(a, s);
	}
	return wf_pager_key(&s->pager, k);
}

static const char *topic(struct wf_app *a, void *st)
{
	struct findscr *s = st;
	const struct wf_finding *f = finding(a, s);
	if (!f || !wf_help_article("findings", f->id))
		return "screens/finding";
	snprintf(s->topic, sizeof s->topic, "findings/%s", f->id);
	return s->topic;
}

const struct wf_screen wf_scr_finding = {
	.name = "finding",
	.title = "Finding",
	.help = "screens/finding",
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.topic = topic,
};
