/* w_pager.c - scrolling text with line numbers and search (widgets.h). */
#include "widgets.h"

#include <stdio.h>
#include <string.h>

static size_t lines_count(void *ud) { return ((struct wf_lines *)ud)->n; }

static const char *lines_line(void *ud, size_t i, size_t *len)
{
	const char *s = ((struct wf_lines *)ud)->v[i].text;
	*len = strlen(s);
	return s;
}

static enum wf_color lines_color(void *ud, size_t i)
{
	return ((struct wf_lines *)ud)->v[i].color;
}

struct wf_pager_src wf_pager_lines_src(struct wf_lines *l)
{
	struct wf_pager_src s = { lines_count, lines_line, lines_color, l };
	return s;
}

void wf_pager_init(struct wf_pager *p, struct wf_pager_src src)
{
	memset(p, 0, sizeof *p);
	p->src = src;
	p->mark = SIZE_MAX;
	p->hit = SIZE_MAX;
}

static size_t count(struct wf_pager *p) { return p->src.count(p->src.ud); }

static size_t max_top(struct wf_pager *p)
{
	size_t n = count(p), page = p->page > 0 ? (size_t)p->page : 1;
	return n > page ? n - page : 0;
}

void wf_pager_goto(struct wf_pager *p, size_t i)
{
	size_t third = p->page > 3 ? (size_t)p->page / 3 : 0;
	p->top = i > third ? i - third : 0;
	if (p->top > max_top(p))
		p->top = max_top(p);
}

/* Columns taken by the first `n` bytes of s (tabs at multiples of 8). */
static int width_n(const char *s, size_t n)
{
	char buf[8192];
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return wf_text_width(buf);
}

static void draw_matches(struct wf_pager *p, const char *s, size_t len, int y,
			 int x, int w)
{
	size_t sl = strlen(p->search);
	if (!sl || len > 8000)
		return;
	char buf[8192];
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (const char *m = strcasestr(buf, p->search); m;
	     m = strcasestr(m + sl, p->search)) {
		int col = width_n(buf, (size_t)(m - buf)) - p->left;
		if (col < 0 || col >= w)
			continue;
		wf_draw_textn(y, x + col, w - col, m, sl, 0, wf_attr(WF_C_MATCH));
	}
}

void wf_pager_draw(struct wf_pager *p, struct wf_app *a, int y, int x, int h, int w)
{
	size_t n = count(p);
	p->page = h - 1;
	if (p->top > max_top(p))
		p->top = max_top(p);
	int margin = 0;
	if (p->numbers) {
		char d[32];
		margin = snprintf(d, sizeof d, "%zu", n ? n : 1) + 1;
	}
	for (int r = 0; r < h - 1; r++) {
		size_t i = p->top + (size_t)r;
		if (i >= n)
			break;
		size_t len;
		const char *s = p->src.line(p->src.ud, i, &len);
		enum wf_color c = p->src.color ? p->src.color(p->src.ud, i) : WF_C_NORMAL;
		attr_t at = wf_attr(c);
		if (i == p->mark)
			at = wf_attr(WF_C_SELECTED);
		if (margin)
			wf_draw_textf(y + r, x, margin, wf_attr(i == p->mark ? WF_C_SELECTED : WF_C_DIM),
				      "%*zu ", margin - 1, i + 1);
		if (i == p->mark)
			wf_draw_fill(y + r, x + margin, w - margin, at);
		wf_draw_textn(y + r, x + margin, w - margin, s, len, p->left, at);
		draw_matches(p, s, len, y + r, x + margin, w - margin);
	}
	/* status / prompt line */
	int sy = y + h - 1;
	attr_t st = wf_attr(WF_C_DIM);
	wf_draw_fill(sy, x, w, wf_attr(WF_C_NORMAL));
	if (p->searching) {
		wf_draw_text(sy, x, 8, "Search: ", wf_attr(WF_C_HEADING));
		wf_input_draw(&p->prompt, a, sy, x + 8, w - 8, wf_attr(WF_C_INPUT), 1);
		return;
	}
	size_t last = p->top + (size_t)p->page;
	if (last > n)
		last = n;
	char info[512];
	snprintf(info, sizeof info, "lines %zu-%zu of %zu%s%s%s%s", n ? p->top + 1 : 0, last, n,
		 p->search[0] ? "  /" : "", p->search, p->status[0] ? "  " : "", p->status);
	wf_draw_text(sy, x, w, info, st);
}

int wf_pager_find(struct wf_pager *p, const char *what, size_t from, int dir)
{
	size_t n = count(p);
	if (!n || !*what)
		return 0;
	int wrapped = from >= n;	/* n past the last line, N before the first */
	if (wrapped)
		from = dir > 0 ? 0 : n - 1;
	size_t i = from;
	for (size_t k = 0; k < n; k++) {
		size_t len;
		const char *s = p->src.line(p->src.ud, i, &len);
		if (strcasestr(s, what)) {	/* glibc's: fast on big logs */
			p->hit = i;
			p->mark = i;
			wf_pager_goto(p, i);
			snprintf(p->status, sizeof p->status, "match at line %zu%s", i + 1,
				 wrapped || (dir > 0 && i < from) || (dir < 0 && i > from) ? " (wrapped)" : "");
			return 1;
		}
		i = dir > 0 ? (i + 1 < n ? i + 1 : 0) : (i ? i - 1 : n - 1);
	}
	snprintf(p->status, sizeof p->status, "\"%.100s\" not found", what);
	return 0;
}

static int prompt_key(struct wf_pager *p, int key)
{
	if (key == WF_ESC) {
		p->searching = 0;
		return WF_HANDLED | WF_REDRAW;
	}
	if (key == '\r' || key == '\n' || key == WF_K(KEY_ENTER)) {
		p->searching = 0;
		snprintf(p->search, sizeof p->search, "%.255s", p->prompt.buf);
		size_t from = p->hit != SIZE_MAX ? p->hit + 1 : p->top;
		wf_pager_find(p, p->search, from, 1);
		return WF_HANDLED | WF_REDRAW;
	}
	wf_input_key(&p->prompt, key);
	return WF_HANDLED | WF_REDRAW;	/* the prompt takes every key */
}

int wf_pager_key(struct wf_pager *p, int key)
{
	if (p->searching)
		return prompt_key(p, key);
	size_t n = count(p), page = p->page > 1 ? (size_t)p->page - 1 : 1;
	size_t old_top = p->top;
	int old_left = p->left;
	p->status[0] = '\0';
	switch (key) {
	case WF_K(KEY_UP): case 'k':
		if (p->top)
			p->top--;
		break;
	case WF_K(KEY_DOWN): case 'j':
		if (p->top < max_top(p))
			p->top++;
		break;
	case WF_K(KEY_PPAGE): case 'b':
		p->top = p->top > page ? p->top - page : 0;
		break;
	case WF_K(KEY_NPAGE): case ' ':
		p->top = p->top + page < max_top(p) ? p->top + page : max_top(p);
		break;
	case WF_K(KEY_HOME): case 'g':
		p->top = 0;
		break;
	case WF_K(KEY_END): case 'G':
		p->top = max_top(p);
		break;
	case WF_K(KEY_LEFT):
		p->left = p->left > 8 ? p->left - 8 : 0;
		break;
	case WF_K(KEY_RIGHT):
		p->left += 8;
		break;
	case '/':
		p->searching = 1;
		wf_input_set(&p->prompt, "");
		return WF_HANDLED | WF_REDRAW;
	case 'n': case 'N':
		if (!p->search[0]) {
			snprintf(p->status, sizeof p->status, "no search yet: / searches");
			return WF_HANDLED | WF_REDRAW;
		}
		wf_pager_find(p, p->search,
			      key == 'n' ? (p->hit != SIZE_MAX ? p->hit + 1 : p->top)
					 : (p->hit != SIZE_MAX ? p->hit - 1 : (n ? n - 1 : 0)),
			      key == 'n' ? 1 : -1);
		return WF_HANDLED | WF_REDRAW;
	default:
		return WF_IGNORED;
	}
	return WF_HANDLED | (old_top != p->top || old_left != p->left ? WF_REDRAW : 0);
}
