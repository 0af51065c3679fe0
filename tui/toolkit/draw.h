/*
 * draw.h - drawing text on stdscr: UTF-8 strings clipped to a width (wide
 * characters, tabs and control bytes handled), filled bars, boxes, and
 * word-wrapping into a list of lines.
 *
 *   wf_draw_text(y, x, w, "Windows 7 Professional", wf_attr(WF_C_NORMAL));
 *   struct wf_lines l = { 0 };
 *   wf_wrap(&l, finding->explanation, width, 2, WF_C_NORMAL);
 *   ... l.v[i].text, l.v[i].color ...
 *   wf_lines_free(&l);
 *
 * Screens draw only through these and the widgets (widgets.h); the app loop
 * (app.h) refreshes.
 */
#ifndef WF_DRAW_H
#define WF_DRAW_H

#include <stddef.h>

#include "theme.h"

/* Draw `len` bytes of UTF-8 text at y,x in at most `width` columns,
 * skipping the first `skip` columns (horizontal scroll).  Tabs go to the
 * next multiple of 8, control characters and invalid bytes show as '?'.
 * Returns the columns drawn. */
int wf_draw_textn(int y, int x, int width, const char *s, size_t len, int skip,
		  attr_t a);
/* Like wf_draw_text, ending in an ellipsis when the text is cut. */
int wf_draw_clip(int y, int x, int width, const char *s, attr_t a);
/* The same for a NUL-terminated string, no skip. */
int wf_draw_text(int y, int x, int width, const char *s, attr_t a);
/* printf-style, clipped to `width`. */
int wf_draw_textf(int y, int x, int width, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Display columns of a UTF-8 string (as wf_draw_text counts them). */
int wf_text_width(const char *s);
/* `width` blanks in attribute `a`. */
void wf_draw_fill(int y, int x, int width, attr_t a);
/* A horizontal rule. */
void wf_draw_hline(int y, int x, int width, attr_t a);
/* A frame around h x w at y,x (interior cleared), optional title on top. */
void wf_draw_box(int y, int x, int h, int w, attr_t a, const char *title);

/* Lines of text with a colour role each (pager content, wrapped text). */
struct wf_line {
	char *text;
	enum wf_color color;
	int tag;		/* free for the owner: an anchor, an index */
};

struct wf_lines {
	struct wf_line *v;
	size_t n, alloc;
};

void wf_lines_add(struct wf_lines *l, enum wf_color c, int tag, const char *text);
void wf_lines_addf(struct wf_lines *l, enum wf_color c, int tag, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Word-wrap `text` (several paragraphs: '\n' ends a line) to `width`
 * columns, continuation lines indented by `indent`, each prefixed with
 * `indent` blanks too when `indent_first`. */
void wf_wrap(struct wf_lines *l, const char *text, int width, int indent,
	     int indent_first, enum wf_color c, int tag);
void wf_lines_free(struct wf_lines *l);

#endif
