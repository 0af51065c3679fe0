/* draw.c - see draw.h. */
#include "draw.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Decode one character; returns bytes used (>= 1) and sets *wc and *w
 * (display width; '?' for what cannot be shown). */
static size_t decode(const char *s, size_t len, wchar_t *wc, int *w)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = mbrtowc(wc, s, len, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?';
		*w = 1;
		return 1;
	}
	int cw = wcwidth(*wc);
	if (cw < 0) {
		*wc = L'?';
		cw = 1;
	}
	*w = cw;
	return n;
}

int wf_draw_textn(int y, int x, int width, const char *s, size_t len, int skip,
		  attr_t a)
{
	if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + width > COLS)
		width = COLS - x;
	wchar_t buf[1024];
	int nb = 0, col = 0, drawn = 0;
	size_t i = 0;
	while (i < len && drawn < width && nb < (int)(sizeof buf / sizeof buf[0]) - 8) {
		wchar_t wc;
		int w;
		if (s[i] == '\t') {
			int to = (col / 8 + 1) * 8;
			for (; col < to && drawn < width; col++)
				if (col >= skip)
					buf[nb++] = L' ', drawn++;
			i++;
			continue;
		}
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			wc = L'?';
			w = 1;
			i++;
		} else
			i += decode(s + i, len - i, &wc, &w);
		if (w == 0) {	/* combining: attach to what is drawn */
			if (nb && col > skip)
				buf[nb++] = wc;
			continue;
		}
		if (col >= skip) {
			if (drawn + w > width)
				break;
			buf[nb++] = wc;
			drawn += w;
		} else if (col + w > skip) {	/* a wide char cut by the scroll */
			buf[nb++] = L' ';
			drawn++;
		}
		col += w;
	}
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset(a);
	mvaddnwstr(y, x, buf, nb);
	attrset(old);
	return drawn;
}

int wf_draw_text(int y, int x, int width, const char *s, attr_t a)
{
	return wf_draw_textn(y, x, width, s, strlen(s), 0, a);
}

int wf_draw_clip(int y, int x, int width, const char *s, attr_t a)
{
	if (width <= 0)
		return 0;
	if (wf_text_width(s) <= width)
		return wf_draw_text(y, x, width, s, a);
	const char *e = wf_glyph(WF_G_ELLIPSIS);
	int ew = wf_text_width(e);
	int n = wf_draw_text(y, x, width - ew, s, a);
	return n + wf_draw_text(y, x + n, ew, e, a);
}

int wf_draw_textf(int y, int x, int width, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return wf_draw_text(y, x, width, buf, a);
}

int wf_text_width(const char *s)
{
	size_t len = strlen(s), i = 0;
	int col = 0;
	while (i < len) {
		wchar_t wc;
		int w;
		if (s[i] == '\t') {
			col = (col / 8 + 1) * 8;
			i++;
			continue;
		}
		if ((unsigned char)s[i] < 0x20) {
			col++;
			i++;
			continue;
		}
		i += decode(s + i, len - i, &wc, &w);
		col += w;
	}
	return col;
}

void wf_draw_fill(int y, int x, int width, attr_t a)
{
	if (y < 0 || y >= LINES || width <= 0)
		return;
	if (x + width > COLS)
		width = COLS - x;
	attr_t old;
	short pair;
	attr_get(&old, &pair, NULL);
	attrset(a);
	mvhline(y, x, ' ', width);
	attrset(old);
}

void wf_draw_hline(int y, int x, int width, attr_t a)
{
	const char *g = wf_glyph(WF_G_HLINE);
	char buf[4096];
	size_t gl = strlen(g), o = 0;
	for (int i = 0; i < width && o + gl < sizeof buf; i++, o += gl)
		memcpy(buf + o, g, gl);
	buf[o] = '\0';
	wf_draw_textn(y, x, width, buf, o, 0, a);
}

void wf_draw_box(int y, int x, int h, int w, attr_t a, const char *title)
{
	if (h < 2 || w < 2)
		return;
	for (int r = 0; r < h; r++)
		wf_draw_fill(y + r, x, w, a);
	wf_draw_text(y, x, 1, wf_glyph(WF_G_ULCORNER), a);
	wf_draw_hline(y, x + 1, w - 2, a);
	wf_draw_text(y, x + w - 1, 1, wf_glyph(WF_G_URCORNER), a);
	for (int r = 1; r < h - 1; r++) {
		wf_draw_text(y + r, x, 1, wf_glyph(WF_G_VLINE), a);
		wf_draw_text(y + r, x + w - 1, 1, wf_glyph(WF_G_VLINE), a);
	}
	wf_draw_text(y + h - 1, x, 1, wf_glyph(WF_G_LLCORNER), a);
	wf_draw_hline(y + h - 1, x + 1, w - 2, a);
	wf_draw_text(y + h - 1, x + w - 1, 1, wf_glyph(WF_G_LRCORNER), a);
	if (title && *title) {
		int tw = wf_text_width(title) + 2;
		if (tw > w - 4)
			tw = w - 4;
		int tx = x + (w - tw) / 2;
		wf_draw_textf(y, tx, tw, a | A_BOLD, " %s ", title);
	}
}

/* --- lines ------------------------------------------------------------- */

void wf_lines_add(struct wf_lines *l, enum wf_color c, int tag, const char *text)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 32;
		l->v = wf_xrealloc(l->v, l->alloc * sizeof *l->v);
	}
	l->v[l->n].text = wf_xstrdup(text);
	l->v[l->n].color = c;
	l->v[l->n].tag = tag;
	l->n++;
}

void wf_lines_addf(struct wf_lines *l, enum wf_color c, int tag, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	wf_lines_add(l, c, tag, buf);
}

/* Bytes of `s` (up to `len`) that fit in `width` columns. */
static size_t fit(const char *s, size_t len, int width)
{
	size_t i = 0;
	int col = 0;
	while (i < len) {
		wchar_t wc;
		int w;
		size_t n = decode(s + i, len - i, &wc, &w);
		if (col + w > width)
			break;
		col += w;
		i += n;
	}
	return i;
}

static void wrap_para(struct wf_lines *l, const char *p, size_t len, int width,
		      int indent, int indent_first, enum wf_color c, int tag)
{
	int first = 1;
	if (len == 0) {
		wf_lines_add(l, c, tag, "");
		return;
	}
	while (len > 0) {
		int ind = first ? (indent_first ? indent : 0) : indent;
		int avail = width - ind > 10 ? width - ind : 10;
		size_t take = fit(p, len, avail);
		if (take < len) {	/* break at the last blank that fits */
			size_t b = take;
			while (b > 0 && p[b] != ' ')
				b--;
			if (b > 0)
				take = b;
		}
		if (take == 0)
			take = 1;
		char *line = wf_xmalloc((size_t)ind + take + 1);
		memset(line, ' ', (size_t)ind);
		memcpy(line + ind, p, take);
		line[ind + take] = '\0';
		wf_lines_add(l, c, tag, line);
		free(line);
		p += take;
		len -= take;
		while (len > 0 && *p == ' ')
			p++, len--;
		first = 0;
	}
}

void wf_wrap(struct wf_lines *l, const char *text, int width, int indent,
	     int indent_first, enum wf_color c, int tag)
{
	if (!text)
		return;
	const char *p = text;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (!nl && len == 0)
			break;
		wrap_para(l, p, len, width, indent, indent_first, c, tag);
		if (!nl)
			break;
		p = nl + 1;
	}
}

void wf_lines_free(struct wf_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof *l);
}
