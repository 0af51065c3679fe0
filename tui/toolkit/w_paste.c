/* w_paste.c - the paste area (widgets.h). */
#include "widgets.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

void wf_paste_init(struct wf_paste *p, size_t max)
{
	memset(p, 0, sizeof *p);
	p->max = max ? max : WF_PASTE_MAX;
}

void wf_paste_free(struct wf_paste *p)
{
	free(p->buf);
	p->buf = NULL;
	p->len = p->alloc = 0;
}

void wf_paste_clear(struct wf_paste *p)
{
	size_t max = p->max;
	wf_paste_free(p);
	wf_paste_init(p, max);
}

size_t wf_paste_lines(const struct wf_paste *p)
{
	return p->nl + (p->len && p->buf[p->len - 1] != '\n');
}

/* The cap: keep whole lines only, count what goes. */
static void hit_cap(struct wf_paste *p, size_t more)
{
	if (!p->full) {
		size_t keep = p->len;
		while (keep && p->buf[keep - 1] != '\n')
			keep--;
		p->dropped += p->len - keep;
		p->len = keep;
		p->full = 1;
	}
	p->dropped += more;
}

static void put(struct wf_paste *p, char c)
{
	if (p->len == p->alloc) {
		size_t a = p->alloc ? p->alloc * 2 : 4096;
		if (a > p->max)
			a = p->max;
		p->buf = wf_xrealloc(p->buf, a);
		p->alloc = a;
	}
	p->buf[p->len++] = c;
	p->nl += c == '\n';
}

void wf_paste_add(struct wf_paste *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n' && p->cr) {	/* CRLF: one line end */
			p->cr = 0;
			continue;
		}
		p->cr = c == '\r';
		if (p->full || p->len >= p->max) {
			hit_cap(p, n - i);
			return;
		}
		put(p, c == '\r' ? '\n' : c);
	}
}

/* Take the last character (UTF-8) back. */
static void unput(struct wf_paste *p)
{
	if (!p->len)
		return;
	size_t i = p->len - 1;
	while (i && ((unsigned char)p->buf[i] & 0xC0) == 0x80 && p->len - i < 4)
		i--;
	for (size_t k = i; k < p->len; k++)
		p->nl -= p->buf[k] == '\n';
	p->len = i;
	p->cr = 0;
	p->full = 0;	/* there is room again; what was dropped stays counted */
}

int wf_paste_key(struct wf_paste *p, int key)
{
	if (key == WF_K(KEY_BACKSPACE) || key == 127 || key == 8) {
		unput(p);
		return WF_HANDLED | WF_REDRAW;
	}
	if (key == WF_K(KEY_ENTER))
		key = '\r';
	if (key < 0 || key >= 0x110000 || (key < 32 && key != '\t' && key != '\r' && key != '\n') ||
	    key == 127)
		return WF_IGNORED;
	/* a character: its UTF-8 bytes (a surrogate is not one) */
	char u[4];
	size_t n;
	unsigned c = (unsigned)key;
	if (c >= 0xD800 && c <= 0xDFFF)
		return WF_HANDLED;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	wf_paste_add(p, u, n);
	return WF_HANDLED | WF_REDRAW;
}

void wf_paste_draw(struct wf_paste *p, struct wf_app *a, int y, int x, int h, int w,
		   int focused)
{
	attr_t at = wf_attr(WF_C_NORMAL);
	for (int r = 0; r < h; r++)
		wf_draw_fill(y + r, x, w, at);
	if (h <= 0 || w <= 0)
		return;
	/* the last lines: a text ending in a line end shows an empty row
	 * after them (where typing goes on) */
	size_t end = p->len;
	int open = !p->len || p->buf[p->len - 1] == '\n';
	size_t shown = open ? p->nl : p->nl + 1;	/* text lines */
	size_t want = (size_t)(open ? h - 1 : h);
	size_t skip = shown > want ? shown - want : 0;
	size_t i = 0;
	for (; skip && i < end; skip--) {
		const char *nl = memchr(p->buf + i, '\n', end - i);
		i = nl ? (size_t)(nl - p->buf) + 1 : end;
	}
	int row = 0;
	while (i < end && row < h) {
		const char *nl = memchr(p->buf + i, '\n', end - i);
		size_t ln = nl ? (size_t)(nl - (p->buf + i)) : end - i;
		wf_draw_textn(y + row, x, w, p->buf + i, ln, 0, at);
		row++;
		i += ln + (nl != NULL);
	}
	if (focused && a) {
		int cy = open ? y + row : y + row - 1;
		int cx = 0;
		if (!open && row > 0) {
			size_t ls = p->len;
			while (ls && p->buf[ls - 1] != '\n')
				ls--;
			/* the width of the last line as drawn (clipped) */
			char tmp[1024];
			size_t ln = p->len - ls < sizeof tmp - 1 ? p->len - ls : sizeof tmp - 1;
			memcpy(tmp, p->buf + ls, ln);
			tmp[ln] = '\0';
			cx = wf_text_width(tmp);
		}
		if (cy >= y + h)
			cy = y + h - 1;
		if (cx > w - 1)
			cx = w - 1;
		wf_app_cursor(a, cy, x + cx);
	}
}
