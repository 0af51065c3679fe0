/* w_list.c - list and checklist (widgets.h). */
#include "widgets.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

void wf_list_set(struct wf_list *l, size_t n, int checklist)
{
	if (checklist) {
		unsigned char *m = wf_xcalloc(n + 1, 1);
		if (l->marks)
			memcpy(m, l->marks, l->n < n ? l->n : n);
		free(l->marks);
		l->marks = m;
	} else {
		free(l->marks);
		l->marks = NULL;
	}
	l->n = n;
	if (l->sel >= n)
		l->sel = n ? n - 1 : 0;
	if (l->top > l->sel)
		l->top = l->sel;
}

void wf_list_free(struct wf_list *l)
{
	free(l->marks);
	memset(l, 0, sizeof *l);
}

static void keep_visible(struct wf_list *l, int h)
{
	if (h <= 0)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)h)
		l->top = l->sel - (size_t)h + 1;
	if (l->n > (size_t)h && l->top > l->n - (size_t)h)
		l->top = l->n - (size_t)h;
	if (l->n <= (size_t)h)
		l->top = 0;
}

void wf_list_draw(struct wf_list *l, int y, int x, int h, int w,
		  wf_list_row_fn row, void *ud)
{
	l->page = h;
	keep_visible(l, h);
	for (int r = 0; r < h; r++) {
		size_t i = l->top + (size_t)r;
		if (i >= l->n)
			break;
		row(ud, i, y + r, x, w, i == l->sel);
	}
	/* a scroll hint when there is more than fits */
	if (l->n > (size_t)h && h > 2) {
		attr_t d = wf_attr(WF_C_DIM);
		if (l->top > 0)
			wf_draw_text(y, x + w - 1, 1, "^", d);
		if (l->top + (size_t)h < l->n)
			wf_draw_text(y + h - 1, x + w - 1, 1, "v", d);
	}
}

void wf_list_select(struct wf_list *l, size_t i)
{
	if (i < l->n)
		l->sel = i;
	keep_visible(l, l->page);
}

int wf_list_key(struct wf_list *l, int key)
{
	size_t old = l->sel, page = l->page > 1 ? (size_t)l->page - 1 : 1;
	if (!l->n)
		return WF_IGNORED;
	switch (key) {
	case WF_K(KEY_UP): case 'k':
		if (l->sel)
			l->sel--;
		break;
	case WF_K(KEY_DOWN): case 'j':
		if (l->sel + 1 < l->n)
			l->sel++;
		break;
	case WF_K(KEY_PPAGE):
		l->sel = l->sel > page ? l->sel - page : 0;
		break;
	case WF_K(KEY_NPAGE):
		l->sel = l->sel + page < l->n ? l->sel + page : l->n - 1;
		break;
	case WF_K(KEY_HOME): case 'g':
		l->sel = 0;
		break;
	case WF_K(KEY_END): case 'G':
		l->sel = l->n - 1;
		break;
	case ' ':
		if (!l->marks)
			return WF_IGNORED;
		l->marks[l->sel] ^= 1;
		return WF_HANDLED | WF_REDRAW;
	default:
		return WF_IGNORED;
	}
	keep_visible(l, l->page);
	return WF_HANDLED | (old != l->sel ? WF_REDRAW : 0);
}

attr_t wf_list_attr(int sel, enum wf_color c)
{
	return sel ? wf_attr(WF_C_SELECTED) : wf_attr(c);
}

const char *wf_check_box(int checked)
{
	return checked ? "[x] " : "[ ] ";
}
