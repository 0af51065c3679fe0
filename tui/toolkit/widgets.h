/*
 * widgets.h - the wizard's widgets: list (and checklist), pager with
 * search, input line with Tab completion, paste area, progress bar.  Each is a plain
 * struct the screen owns; *_draw() draws into a rectangle, *_key() takes a
 * key and returns the app's flags (WF_IGNORED when the key is not its own),
 * so screens compose them and the app loop (app.h) stays the only loop.
 */
#ifndef WF_WIDGETS_H
#define WF_WIDGETS_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "draw.h"

/* ---- list / checklist ------------------------------------------------------ */

struct wf_list {
	size_t n;		/* items */
	size_t sel;		/* selected item */
	size_t top;		/* first item shown */
	int page;		/* rows shown at the last draw */
	unsigned char *marks;	/* checklist: one per item (owned); NULL = plain list */
};

/* Draw one row: item `i` at y,x in w columns; `sel` when it is selected. */
typedef void (*wf_list_row_fn)(void *ud, size_t i, int y, int x, int w, int sel);

/* Set the number of items (marks kept for the first min(old, new)). */
void wf_list_set(struct wf_list *l, size_t n, int checklist);
void wf_list_free(struct wf_list *l);
void wf_list_draw(struct wf_list *l, int y, int x, int h, int w,
		  wf_list_row_fn row, void *ud);
/* Up/Down/j/k/PgUp/PgDn/Home/End/g/G; Space toggles a mark in a checklist. */
int wf_list_key(struct wf_list *l, int key);
void wf_list_select(struct wf_list *l, size_t i);
/* Attribute of a row: selected rows are highlighted. */
attr_t wf_list_attr(int sel, enum wf_color c);
/* "[x] " / "[ ] " */
const char *wf_check_box(int checked);

/* ---- input line ---------------------------------------------------------------- */

struct wf_input;
/* Complete in->buf in place; may leave a message (the candidates). */
typedef void (*wf_complete_fn)(struct wf_input *in, void *ud);

struct wf_input {
	char buf[1024];
	size_t len, cur;	/* bytes; cursor as a byte offset */
	int scroll;		/* first column shown */
	wf_complete_fn complete;
	void *ud;
	char msg[512];		/* completion candidates, "no match" ... */
};

void wf_input_set(struct wf_input *in, const char *s);
/* Editing keys, Tab (completion); not Enter or Esc (the screen's). */
int wf_input_key(struct wf_input *in, int key);
/* A key for an input line a screen is editing: Enter commits and Esc
 * cancels (said in *what); any other key goes to the line.  Returns the
 * WF_* flags to hand back to the app loop. */
enum wf_edit { WF_EDIT_NONE = 0, WF_EDIT_COMMIT, WF_EDIT_CANCEL };
int wf_input_edit_key(struct wf_input *in, int key, enum wf_edit *what);
/* Esc, Backspace (DEL, ^H): the keys that go back a step. */
int wf_key_is_back(int key);
/* Draw; with `focused` the terminal cursor is placed in it. */
void wf_input_draw(struct wf_input *in, struct wf_app *a, int y, int x, int w,
		   attr_t at, int focused);
/* File name completion for a path line (the usual wf_complete_fn). */
void wf_complete_path(struct wf_input *in, void *ud);

/* ---- pager --------------------------------------------------------------------- */

/* Where the pager's lines come from.  line() returns a NUL-terminated
 * string (its length in *len), valid until the next call. */
struct wf_pager_src {
	size_t (*count)(void *ud);
	const char *(*line)(void *ud, size_t i, size_t *len);
	enum wf_color (*color)(void *ud, size_t i);	/* may be NULL */
	void *ud;
};

struct wf_pager {
	struct wf_pager_src src;
	size_t top;
	int left;		/* horizontal scroll, columns */
	int numbers;		/* line numbers in the margin */
	size_t mark;		/* a highlighted line (the evidence), SIZE_MAX = none */
	int page;		/* rows at the last draw */
	int searching;		/* the search prompt is open */
	struct wf_input prompt;
	char search[256];	/* the last search */
	size_t hit;		/* line of the last match, SIZE_MAX = none */
	char status[128];	/* "not found", "line 12/345" */
};

void wf_pager_init(struct wf_pager *p, struct wf_pager_src src);
/* A source over a wf_lines (which must outlive the pager). */
struct wf_pager_src wf_pager_lines_src(struct wf_lines *l);
void wf_pager_draw(struct wf_pager *p, struct wf_app *a, int y, int x, int h, int w);
/* Scrolling, Left/Right, '/' search prompt, n/N next/previous match. */
int wf_pager_key(struct wf_pager *p, int key);
/* Show line `i` (0-based) about a third down the page. */
void wf_pager_goto(struct wf_pager *p, size_t i);
/* Search (case-insensitive) from line `from` in direction `dir` (+1/-1),
 * wrapping around; moves there.  A `from` past the last line (n after the
 * last line, N before the first) starts at the other end, and the status
 * says "(wrapped)".  Returns 1 when found. */
int wf_pager_find(struct wf_pager *p, const char *what, size_t from, int dir);

/* ---- paste area ----------------------------------------------------------------- */

/* A multi-line box for text pasted into the terminal (a log copied out of
 * a mail, a forum or a ticket).  Two ways in:
 *   - a bracketed paste (the screen's paste op, app.h) goes to
 *     wf_paste_add() byte for byte: Enter, Tab, Esc and every other byte
 *     inside it are text, nothing in it is a key;
 *   - a terminal without bracketed paste types the text: wf_paste_key()
 *     takes characters, Enter (CR) and Ctrl-J (LF) as line ends, Tab as a
 *     tab, Backspace takes the last character back; any other key is
 *     WF_IGNORED (the screen's: diagnose, cancel ...).
 * CR, LF and CRLF all end one line (stored as '\n').  At most `max` bytes
 * are kept (WF_PASTE_MAX when 0): what comes past the cap is dropped and
 * counted in `dropped`, and the text is cut back to its last line end so
 * that no half line stays (`full` says so until a Backspace or clear).
 * Bytes are kept as they came (NUL, invalid UTF-8, escape bytes): the
 * box draws them as '?' (wf_draw_textn) and whoever reads the text must
 * treat it as hostile.
 *
 *   struct wf_paste box;
 *   wf_paste_init(&box, 0);
 *   ... paste op: wf_paste_add(&box, text, n);  key(): wf_paste_key(&box, k)
 *   ... box.buf, box.len (not NUL-terminated), wf_paste_lines(&box)
 *   wf_paste_free(&box);
 */
#define WF_PASTE_MAX	(4u << 20)
struct wf_paste {
	char *buf;		/* the text (owned), len bytes, no NUL */
	size_t len, alloc, max;
	size_t nl;		/* line ends in buf */
	unsigned long long dropped;	/* bytes refused at the cap */
	int full;		/* the cap was reached */
	int cr;			/* the last byte added was a CR */
};

void wf_paste_init(struct wf_paste *p, size_t max);
void wf_paste_free(struct wf_paste *p);
/* Empty it (the cap stays). */
void wf_paste_clear(struct wf_paste *p);
void wf_paste_add(struct wf_paste *p, const char *s, size_t n);
int wf_paste_key(struct wf_paste *p, int key);
/* Lines in the text (a last line without its end counts). */
size_t wf_paste_lines(const struct wf_paste *p);
/* The last lines that fit, clipped to w columns; with `focused` the
 * terminal cursor at the end of the text. */
void wf_paste_draw(struct wf_paste *p, struct wf_app *a, int y, int x, int h, int w,
		   int focused);

/* ---- progress ------------------------------------------------------------------- */

/* [#####.....]  45%  label  (frac < 0: spinner + label only) */
void wf_draw_progress(struct wf_app *a, int y, int x, int w, double frac,
		      const char *label);

#endif
