/* The wizard's toolkit tested in-process on a real curses screen: newterm()
 * on /dev/null as an xterm-256color (24x80, resizeterm where a test needs
 * another size), in a UTF-8 locale; what was drawn is read back from
 * stdscr (mvinnwstr, mvin_wch).  Nothing depends on the invoking terminal.
 *
 * Covered:
 *   wf_list     set/select, navigation keys (WF_K codes and letters) with
 *               their flags, `top` keeping the selection on a small page,
 *               checklist marks (Space, kept on resize), empty and one-item
 *               lists, the row callback called for the visible rows only,
 *               scroll hints.
 *   wf_input    insertion, cursor keys, Backspace/Delete, Home/End and
 *               their Ctrl keys, Ctrl-U/K/W, ignored keys, UTF-8 (the
 *               cursor moves over whole characters), horizontal scroll of a
 *               narrow field (also through wide characters), and
 *               wf_complete_path in a temporary folder (unique, common
 *               prefix with the candidates in msg, hidden files, no match,
 *               no folder, relative path, text after the cursor kept).
 *   wf_pager    drawing a wf_lines source (colours, line numbers, status
 *               line), scrolling keys, goto, find forward/backward with
 *               wrap, case-insensitive, not found, n/N, the '/' prompt,
 *               the mark line and match highlight, horizontal scroll, an
 *               empty source.
 *   draw.c      wf_draw_text clipping (UTF-8, CJK = 2 columns, the screen
 *               edge), skip, tabs and control bytes, wf_draw_clip,
 *               wf_text_width, wf_wrap.
 *   wf_paste    bytes of a bracketed paste taken as they are (Esc, Tab, a
 *               NUL), CR / LF / CRLF as one line end (also split across
 *               chunks), the line count, typed keys (characters, UTF-8,
 *               Enter, Tab, Backspace over a character and a line end,
 *               other keys ignored), the cap (cut back to the last whole
 *               line, the rest counted as dropped, room again after a
 *               Backspace), clear, and drawing the last lines.
 *   progress    bar and percentage at 0, 0.45, 1 (and above), spinner.
 *   theme       NO_COLOR (monochrome), VIRT_WINFIX_ASCII and a non-UTF-8
 *               locale (ASCII glyphs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "widgets.h"

#define ROWS 24
#define COLUMNS 80

static SCREEN *scr;
static FILE *term_out, *term_in;
static struct wf_app *app;

/* ---- the screen -------------------------------------------------------------- */

static int use_utf8_locale(void)
{
	static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (setlocale(LC_ALL, names[i]))
			return 1;
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	setenv("TERM", "xterm-256color", 1);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	if (!use_utf8_locale()) {
		fprintf(stderr, "no UTF-8 locale\n");
		return -1;
	}
	term_out = fopen("/dev/null", "w");
	term_in = fopen("/dev/null", "r");
	if (!term_out || !term_in)
		return -1;
	scr = newterm("xterm-256color", term_out, term_in);
	if (!scr)
		return -1;
	set_term(scr);
	resizeterm(ROWS, COLUMNS);
	app = wf_app_new(NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	wf_app_free(app);
	endwin();
	delscreen(scr);
	fclose(term_out);
	fclose(term_in);
	return 0;
}

/* Before each test: 24x80, colours, UTF-8 glyphs, a blank screen. */
static int reset(void **state)
{
	(void)state;
	unsetenv("NO_COLOR");
	unsetenv("VIRT_WINFIX_ASCII");
	if (!use_utf8_locale())
		return -1;
	if (LINES != ROWS || COLS != COLUMNS)
		resizeterm(ROWS, COLUMNS);
	wf_theme_init();
	erase();
	return 0;
}

/* `cols` columns of row y from column x as UTF-8 (a wide character is one
 * character over two columns).  Four rotating buffers, so two calls can
 * sit in one assertion. */
static const char *row(int y, int x, int cols)
{
	static char out[4][2048];
	static int k;
	char *o = out[k++ % 4];
	wchar_t w[1024];
	w[0] = L'\0';
	mvinnwstr(y, x, w, 1023);
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = 0;
	int col = 0;
	for (size_t i = 0; w[i] && n + MB_CUR_MAX < sizeof out[0]; i++) {
		int cw = wcwidth(w[i]);
		if (cw > 0 && col + cw > cols)
			break;
		col += cw > 0 ? cw : 0;
		size_t b = wcrtomb(o + n, w[i], &st);
		if (b != (size_t)-1)
			n += b;
	}
	o[n] = '\0';
	return o;
}

/* Attributes (colour pair included) of the cell at y,x.  Not mvinch():
 * for a non-ASCII cell its chtype mixes the code point into the bits. */
static attr_t attr_at(int y, int x)
{
	cchar_t c;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a = 0;
	short pair = 0;
	if (mvin_wch(y, x, &c) == ERR || getcchar(&c, wch, &a, &pair, NULL) == ERR)
		fail_msg("no cell at %d,%d", y, x);
	return (a & ~A_COLOR) | (attr_t)COLOR_PAIR(pair);
}

/* Row y filled with `c`, to see what a draw leaves alone. */
static void paint(int y, char c)
{
	mvhline(y, 0, (chtype)(unsigned char)c, COLS);
}

/* ---- wf_list ---------------------------------------------------------------- */

/* What the row callback was asked to draw. */
struct rows {
	int n;
	size_t item[32];
	int y[32], x, w;
	int selected;		/* rows drawn as selected */
	size_t sel_item;
};

static void draw_row(void *ud, size_t i, int y, int x, int w, int sel)
{
	struct rows *r = ud;
	assert_true(r->n < 32);
	r->item[r->n] = i;
	r->y[r->n] = y;
	r->n++;
	r->x = x;
	r->w = w;
	if (sel) {
		r->selected++;
		r->sel_item = i;
	}
	wf_draw_textf(y, x, w, wf_list_attr(sel, WF_C_NORMAL), "item %zu", i);
}

/* Draw `l` in a 20-column box at 2,4 of height h; returns the calls. */
static struct rows list_draw(struct wf_list *l, int h)
{
	struct rows r;
	memset(&r, 0, sizeof r);
	wf_list_draw(l, 2, 4, h, 20, draw_row, &r);
	return r;
}

static void assert_sel_visible(const struct wf_list *l)
{
	assert_true(l->sel >= l->top);
	assert_true(l->sel < l->top + (size_t)l->page);
}

static void test_list_set_and_select(void **state)
{
	(void)state;
	struct wf_list l = { 0 };
	wf_list_set(&l, 10, 0);
	assert_int_equal(l.n, 10);
	assert_int_equal(l.sel, 0);
	assert_null(l.marks);
	wf_list_select(&l, 7);
	assert_int_equal(l.sel, 7);
	wf_list_select(&l, 10);		/* out of range: no change */
	assert_int_equal(l.sel, 7);
	wf_list_set(&l, 3, 0);		/* shrinking clamps the selection */
	assert_int_equal(l.sel, 2);
	assert_true(l.top <= l.sel);
	wf_list_free(&l);
	assert_int_equal(l.n, 0);
}

static void test_list_navigation_keys(void **state)
{
	(void)state;
	struct wf_list l = { 0 };
	const int moved = WF_HANDLED | WF_REDRAW;
	wf_list_set(&l, 20, 0);
	list_draw(&l, 5);		/* page 5: PgDn/PgUp move 4 */
	assert_int_equal(l.page, 5);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_DOWN)), moved);
	assert_int_equal(l.sel, 1);
	assert_int_equal(wf_list_key(&l, 'j'), moved);
	assert_int_equal(l.sel, 2);
	assert_int_equal(wf_list_key(&l, 'k'), moved);
	assert_int_equal(l.sel, 1);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_UP)), moved);
	assert_int_equal(l.sel, 0);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_UP)), WF_HANDLED);	/* at the top */
	assert_int_equal(l.sel, 0);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_NPAGE)), moved);
	assert_int_equal(l.sel, 4);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_NPAGE)), moved);
	assert_int_equal(l.sel, 8);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_PPAGE)), moved);
	assert_int_equal(l.sel, 4);
	wf_list_key(&l, WF_K(KEY_PPAGE));
	assert_int_equal(l.sel, 0);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_END)), moved);
	assert_int_equal(l.sel, 19);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_NPAGE)), WF_HANDLED);	/* at the end */
	assert_int_equal(wf_list_key(&l, WF_K(KEY_DOWN)), WF_HANDLED);
	assert_int_equal(l.sel, 19);
	assert_int_equal(wf_list_key(&l, 'g'), moved);
	assert_int_equal(l.sel, 0);
	assert_int_equal(wf_list_key(&l, 'G'), moved);
	assert_int_equal(l.sel, 19);
	assert_int_equal(wf_list_key(&l, WF_K(KEY_HOME)), moved);
	assert_int_equal(l.sel, 0);
	/* not the list's: other letters, Space in a plain list, a raw curses code */
	assert_int_equal(wf_list_key(&l, 'x'), WF_IGNORED);
	assert_int_equal(wf_list_key(&l, ' '), WF_IGNORED);
	assert_int_equal(wf_list_key(&l, KEY_DOWN), WF_IGNORED);
	assert_int_equal(l.sel, 0);
	wf_list_free(&l);
}

static void test_list_scroll_keeps_selection_visible(void **state)
{
	(void)state;
	struct wf_list l = { 0 };
	wf_list_set(&l, 20, 0);
	list_draw(&l, 4);
	for (int i = 0; i < 5; i++)
		wf_list_key(&l, 'j');
	assert_int_equal(l.sel, 5);
	assert_int_equal(l.top, 2);	/* selection on the last row */
	for (int i = 0; i < 3; i++)
		wf_list_key(&l, 'k');
	assert_int_equal(l.top, 2);	/* still visible: no scroll */
	wf_list_key(&l, 'k');
	assert_int_equal(l.sel, 1);
	assert_int_equal(l.top, 1);
	wf_list_key(&l, WF_K(KEY_END));
	assert_int_equal(l.top, 16);	/* last page full */
	assert_sel_visible(&l);
	wf_list_key(&l, WF_K(KEY_PPAGE));
	assert_int_equal(l.sel, 16);
	assert_sel_visible(&l);
	wf_list_select(&l, 3);
	assert_int_equal(l.top, 3);
	wf_list_key(&l, WF_K(KEY_HOME));
	assert_int_equal(l.top, 0);
	/* every key leaves the selection on the page */
	const int keys[] = { 'j', 'j', 'j', 'j', 'j', WF_K(KEY_NPAGE), WF_K(KEY_NPAGE),
			     'G', 'k', WF_K(KEY_PPAGE), 'g', WF_K(KEY_NPAGE) };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		wf_list_key(&l, keys[i]);
		assert_sel_visible(&l);
		assert_true(l.top + 4 <= l.n);
	}
	wf_list_free(&l);
}

static void test_list_draw_visible_rows_only(void **state)
{
	(void)state;
	struct wf_list l = { 0 };
	wf_list_set(&l, 10, 0);
	list_draw(&l, 4);
	wf_list_select(&l, 6);
	assert_int_equal(l.top, 3);
	erase();
	struct rows r = list_draw(&l, 4);
	assert_int_equal(r.n, 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(r.item[i], 3 + (size_t)i);
		assert_int_equal(r.y[i], 2 + i);
	}
	assert_int_equal(r.x, 4);
	assert_int_equal(r.w, 20);
	assert_int_equal(r.selected, 1);
	assert_int_equal(r.sel_item, 6);
	assert_string_equal(row(2, 4, 6), "item 3");
	assert_string_equal(row(5, 4, 6), "item 6");
	assert_string_equal(row(6, 4, 6), "      ");	/* nothing below the box */
	assert_int_equal(attr_at(5, 4), wf_attr(WF_C_SELECTED));
	assert_int_equal(attr_at(4, 4), wf_attr(WF_C_NORMAL));
	/* more above and below: scroll hints in the last column */
	assert_string_equal(row(2, 23, 1), "^");
	assert_string_equal(row(5, 23, 1), "v");
	/* a list shorter than the box: its rows only, no hints */
	wf_list_set(&l, 3, 0);
	erase();
	r = list_draw(&l, 6);
	assert_int_equal(r.n, 3);
	assert_int_equal(l.top, 0);
	assert_string_equal(row(2, 23, 1), " ");
	assert_string_equal(row(7, 23, 1), " ");
	wf_list_free(&l);
}

static void test_list_checklist_space_toggles(void **state)
{
	(void)state;
	struct wf_list l = { 0 };
	wf_list_set(&l, 5, 1);
	assert_non_null(l.marks);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(l.marks[i], 0);
	assert_int_equal(wf_list_key(&l, ' '), WF_HANDLED | WF_REDRAW);
	assert_int_equal(l.marks[0], 1);
	assert_int_equal(l.sel, 0);	/* Space does not move */
	wf_list_key(&l, 'j');
	wf_list_key(&l, ' ');
	assert_int_equal(l.marks[1], 1);
	wf_list_key(&l, ' ');
	assert_int_equal(l.marks[1], 0);
	assert_int_equal(l.marks[0], 1);
	assert_string_equal(wf_check_box(1), "[x] ");
	assert_string_equal(wf_check_box(0), "[ ] ");
	wf_list_free(&l);
	assert_null(l.marks);
}

static void test_list_marks_kept_on_resize(void **state)
{
	(void)state;
	struct wf_list l = { 0 };
	wf_list_set(&l, 5, 1);
	wf_list_select(&l, 1);
	wf_list_key(&l, ' ');
	wf_list_select(&l, 3);
	wf_list_key(&l, ' ');
	wf_list_set(&l, 8, 1);		/* grow: old marks kept, new ones clear */
	assert_int_equal(l.n, 8);
	assert_int_equal(l.marks[1], 1);
	assert_int_equal(l.marks[3], 1);
	assert_int_equal(l.marks[0] + l.marks[2] + l.marks[4] + l.marks[5] + l.marks[6] + l.marks[7], 0);
	assert_int_equal(l.sel, 3);
	wf_list_set(&l, 2, 1);		/* shrink: the first two kept */
	assert_int_equal(l.marks[1], 1);
	assert_int_equal(l.sel, 1);
	wf_list_set(&l, 4, 1);		/* what was cut off does not come back */
	assert_int_equal(l.marks[1], 1);
	assert_int_equal(l.marks[2], 0);
	assert_int_equal(l.marks[3], 0);
	wf_list_set(&l, 4, 0);		/* a plain list has no marks */
	assert_null(l.marks);
	wf_list_free(&l);
}

static void test_list_empty(void **state)
{
	(void)state;
	const int keys[] = { 'j', 'k', WF_K(KEY_DOWN), WF_K(KEY_UP), WF_K(KEY_NPAGE),
			     WF_K(KEY_PPAGE), WF_K(KEY_HOME), WF_K(KEY_END), 'g', 'G', ' ' };
	struct wf_list l = { 0 };
	wf_list_set(&l, 0, 1);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_int_equal(wf_list_key(&l, keys[i]), WF_IGNORED);
	assert_int_equal(l.sel, 0);
	struct rows r = list_draw(&l, 5);
	assert_int_equal(r.n, 0);
	wf_list_select(&l, 0);
	assert_int_equal(l.sel, 0);
	assert_int_equal(l.top, 0);
	wf_list_free(&l);
}

static void test_list_single_item(void **state)
{
	(void)state;
	struct wf_list l = { 0 };
	wf_list_set(&l, 1, 0);
	struct rows r = list_draw(&l, 5);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.selected, 1);
	const int keys[] = { 'j', 'k', WF_K(KEY_NPAGE), WF_K(KEY_PPAGE), 'G', 'g' };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		assert_int_equal(wf_list_key(&l, keys[i]), WF_HANDLED);	/* no move, no redraw */
		assert_int_equal(l.sel, 0);
		assert_int_equal(l.top, 0);
	}
	wf_list_free(&l);
}

/* ---- wf_input ---------------------------------------------------------------- */

static void type(struct wf_input *in, const char *s)
{
	for (; *s; s++)
		assert_int_equal(wf_input_key(in, (unsigned char)*s), WF_HANDLED | WF_REDRAW);
}

static void press(struct wf_input *in, int key, int times)
{
	for (int i = 0; i < times; i++)
		assert_int_equal(wf_input_key(in, key), WF_HANDLED | WF_REDRAW);
}

static void assert_input(const struct wf_input *in, const char *buf, size_t cur)
{
	assert_string_equal(in->buf, buf);
	assert_int_equal(in->len, strlen(buf));
	assert_int_equal(in->cur, cur);
}

static void test_input_insert_and_cursor(void **state)
{
	(void)state;
	struct wf_input in;
	memset(&in, 0, sizeof in);
	wf_input_set(&in, "");
	type(&in, "abc");
	assert_input(&in, "abc", 3);
	press(&in, WF_K(KEY_LEFT), 1);
	assert_int_equal(in.cur, 2);
	press(&in, WF_CTRL('b'), 1);
	assert_int_equal(in.cur, 1);
	type(&in, "X");
	assert_input(&in, "aXbc", 2);
	press(&in, WF_K(KEY_RIGHT), 1);
	press(&in, WF_CTRL('f'), 1);
	assert_int_equal(in.cur, 4);
	press(&in, WF_K(KEY_RIGHT), 1);		/* at the end: stays */
	assert_int_equal(in.cur, 4);
	press(&in, WF_K(KEY_HOME), 1);
	assert_int_equal(in.cur, 0);
	press(&in, WF_K(KEY_LEFT), 1);		/* at the start: stays */
	assert_int_equal(in.cur, 0);
	press(&in, WF_CTRL('e'), 1);
	assert_int_equal(in.cur, 4);
	press(&in, WF_CTRL('a'), 1);
	assert_int_equal(in.cur, 0);
	press(&in, WF_K(KEY_END), 1);
	assert_input(&in, "aXbc", 4);
	wf_input_set(&in, "reset");
	assert_input(&in, "reset", 5);
}

static void test_input_backspace_delete(void **state)
{
	(void)state;
	struct wf_input in;
	memset(&in, 0, sizeof in);
	wf_input_set(&in, "abcdef");
	press(&in, WF_K(KEY_HOME), 1);
	press(&in, WF_K(KEY_RIGHT), 3);
	press(&in, WF_K(KEY_BACKSPACE), 1);
	assert_input(&in, "abdef", 2);
	press(&in, 127, 1);			/* DEL as sent by most terminals */
	assert_input(&in, "adef", 1);
	press(&in, 8, 1);			/* Ctrl-H */
	assert_input(&in, "def", 0);
	press(&in, WF_K(KEY_BACKSPACE), 1);	/* nothing before the cursor */
	assert_input(&in, "def", 0);
	press(&in, WF_K(KEY_DC), 1);
	assert_input(&in, "ef", 0);
	press(&in, WF_CTRL('d'), 1);
	assert_input(&in, "f", 0);
	press(&in, WF_K(KEY_END), 1);
	press(&in, WF_K(KEY_DC), 1);		/* nothing after the cursor */
	assert_input(&in, "f", 1);
}

static void test_input_kill_keys(void **state)
{
	(void)state;
	struct wf_input in;
	memset(&in, 0, sizeof in);
	wf_input_set(&in, "hello world");
	press(&in, WF_K(KEY_LEFT), 6);
	press(&in, WF_CTRL('k'), 1);		/* to the end of the line */
	assert_input(&in, "hello", 5);
	wf_input_set(&in, "hello world");
	press(&in, WF_K(KEY_LEFT), 5);
	press(&in, WF_CTRL('u'), 1);		/* to the start */
	assert_input(&in, "world", 0);
	wf_input_set(&in, "ls /tmp/dir name");
	press(&in, WF_CTRL('w'), 1);		/* a word back */
	assert_input(&in, "ls /tmp/dir ", 12);
	press(&in, WF_CTRL('w'), 1);		/* blanks, then up to a '/' */
	assert_input(&in, "ls /tmp/", 8);
	press(&in, WF_CTRL('w'), 1);		/* right after a '/': the '/' */
	assert_input(&in, "ls /tmp", 7);
	press(&in, WF_CTRL('w'), 1);
	assert_input(&in, "ls /", 4);
}

static void test_input_ignores_other_keys(void **state)
{
	(void)state;
	struct wf_input in;
	memset(&in, 0, sizeof in);
	wf_input_set(&in, "ab");
	const int keys[] = { '\r', '\n', WF_ESC, '\t', WF_K(KEY_F(1)), WF_K(KEY_UP),
			     WF_K(KEY_DOWN), WF_K(KEY_ENTER) };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_int_equal(wf_input_key(&in, keys[i]), WF_IGNORED);
	assert_input(&in, "ab", 2);
}

static void test_input_utf8_whole_characters(void **state)
{
	(void)state;
	struct wf_input in;
	memset(&in, 0, sizeof in);
	wf_input_set(&in, "");
	press(&in, 0xE9, 1);			/* é: 2 bytes */
	press(&in, 0x20AC, 1);			/* €: 3 bytes */
	press(&in, 0x4E2D, 1);			/* 中: 3 bytes, 2 columns */
	assert_input(&in, "é€中", 8);
	press(&in, WF_K(KEY_LEFT), 1);
	assert_int_equal(in.cur, 5);
	press(&in, WF_K(KEY_LEFT), 1);
	assert_int_equal(in.cur, 2);
	press(&in, WF_K(KEY_LEFT), 1);
	assert_int_equal(in.cur, 0);
	press(&in, WF_K(KEY_RIGHT), 1);
	assert_int_equal(in.cur, 2);
	type(&in, "a");
	assert_input(&in, "éa€中", 3);
	press(&in, WF_K(KEY_END), 1);
	press(&in, WF_K(KEY_BACKSPACE), 1);	/* the whole 中 */
	assert_input(&in, "éa€", 6);
	press(&in, WF_K(KEY_HOME), 1);
	press(&in, WF_K(KEY_DC), 1);		/* the whole é */
	assert_input(&in, "a€", 0);
	press(&in, WF_K(KEY_RIGHT), 2);
	assert_int_equal(in.cur, 4);
	wf_input_draw(&in, app, 3, 0, 10, wf_attr(WF_C_INPUT), 1);
	assert_string_equal(row(3, 0, 4), "a€  ");
}

static void test_input_draw_narrow_scrolls(void **state)
{
	(void)state;
	struct wf_input in;
	memset(&in, 0, sizeof in);
	attr_t at = wf_attr(WF_C_INPUT);
	paint(4, '#');
	wf_input_set(&in, "0123456789abcdef");	/* 16 columns in a 10-column field */
	wf_input_draw(&in, app, 4, 2, 10, at, 1);
	assert_int_equal(in.scroll, 7);		/* the cursor in the last column */
	assert_string_equal(row(4, 2, 10), "789abcdef ");
	assert_string_equal(row(4, 0, 2), "##");
	assert_string_equal(row(4, 12, 2), "##");	/* nothing past the field */
	assert_int_equal(attr_at(4, 11), at);
	press(&in, WF_K(KEY_HOME), 1);
	wf_input_draw(&in, app, 4, 2, 10, at, 1);
	assert_int_equal(in.scroll, 0);
	assert_string_equal(row(4, 2, 10), "0123456789");
	press(&in, WF_K(KEY_RIGHT), 10);	/* one past the field: scroll by one */
	wf_input_draw(&in, app, 4, 2, 10, at, 1);
	assert_int_equal(in.scroll, 1);
	assert_string_equal(row(4, 2, 10), "123456789a");
	press(&in, WF_K(KEY_LEFT), 5);		/* still in the field: no scroll */
	wf_input_draw(&in, app, 4, 2, 10, at, 1);
	assert_int_equal(in.scroll, 1);
}

static void test_input_draw_scrolls_wide_chars(void **state)
{
	(void)state;
	struct wf_input in;
	memset(&in, 0, sizeof in);
	paint(4, '#');
	wf_input_set(&in, "中文中文中文");	/* 12 columns in 6 */
	wf_input_draw(&in, app, 4, 2, 6, wf_attr(WF_C_INPUT), 1);
	assert_int_equal(in.scroll, 7);
	/* column 7 is the right half of a 文: a blank, then 中文, the cursor */
	assert_string_equal(row(4, 2, 6), " 中文 ");
	assert_string_equal(row(4, 8, 1), "#");
	press(&in, WF_K(KEY_LEFT), 1);		/* over the whole 文 */
	assert_int_equal(in.cur, 15);
	wf_input_draw(&in, app, 4, 2, 6, wf_attr(WF_C_INPUT), 1);
	assert_int_equal(in.scroll, 7);
}

/* ---- wf_complete_path ------------------------------------------------------- */

static char tree[64];

static void touch(const char *name)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", tree, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

/* A folder with alpha.img, alpine.qcow2, beta/ and .hidden. */
static int tree_setup(void **state)
{
	if (reset(state))
		return -1;
	snprintf(tree, sizeof tree, "/tmp/wf-toolkit-XXXXXX");
	if (!mkdtemp(tree))
		return -1;
	touch("alpha.img");
	touch("alpine.qcow2");
	touch(".hidden");
	char p[128];
	snprintf(p, sizeof p, "%s/beta", tree);
	return mkdir(p, 0700);
}

static int tree_teardown(void **state)
{
	(void)state;
	static const char *const names[] = { "alpha.img", "alpine.qcow2", ".hidden" };
	char p[128];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", tree, names[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/beta", tree);
	rmdir(p);
	return rmdir(tree);
}

/* Tab on "<tree>/<rel>"; the line as a path under the tree. */
static const char *complete_in_tree(struct wf_input *in, const char *rel)
{
	char line[256];
	memset(in, 0, sizeof *in);
	in->complete = wf_complete_path;
	snprintf(line, sizeof line, "%s/%s", tree, rel);
	wf_input_set(in, line);
	assert_int_equal(wf_input_key(in, '\t'), WF_HANDLED | WF_REDRAW);
	assert_int_equal(in->len, strlen(in->buf));
	assert_memory_equal(in->buf, tree, strlen(tree));
	return in->buf + strlen(tree);
}

static void test_complete_path_unique(void **state)
{
	(void)state;
	struct wf_input in;
	assert_string_equal(complete_in_tree(&in, "be"), "/beta/");	/* a folder: '/' */
	assert_int_equal(in.cur, in.len);
	assert_string_equal(in.msg, "");
	assert_string_equal(complete_in_tree(&in, "alpha"), "/alpha.img");
	assert_string_equal(in.msg, "");
	assert_string_equal(complete_in_tree(&in, "."), "/.hidden");	/* asked for */
}

static void test_complete_path_common_prefix(void **state)
{
	(void)state;
	struct wf_input in;
	assert_string_equal(complete_in_tree(&in, "al"), "/alp");
	assert_int_equal(in.cur, in.len);
	assert_string_equal(in.msg, "2 matches: alpha.img alpine.qcow2");
	/* an empty name: everything but hidden files */
	assert_string_equal(complete_in_tree(&in, ""), "/");
	assert_string_equal(in.msg, "3 matches: alpha.img alpine.qcow2 beta");
}

static void test_complete_path_no_match(void **state)
{
	(void)state;
	struct wf_input in;
	char want[256];
	assert_string_equal(complete_in_tree(&in, "zz"), "/zz");
	snprintf(want, sizeof want, "no match for \"zz\" in %s/", tree);
	assert_string_equal(in.msg, want);
	assert_string_equal(complete_in_tree(&in, "nope/x"), "/nope/x");
	snprintf(want, sizeof want, "no such folder: %s/nope/", tree);
	assert_string_equal(in.msg, want);
}

static void test_complete_path_relative(void **state)
{
	(void)state;
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(tree), 0);
	struct wf_input in;
	memset(&in, 0, sizeof in);
	in.complete = wf_complete_path;
	wf_input_set(&in, "be");
	wf_input_key(&in, '\t');
	int ok = strcmp(in.buf, "beta/") == 0;
	assert_int_equal(chdir(cwd), 0);
	assert_true(ok);
}

/* Tab in the middle completes what is before the cursor and keeps the rest. */
static void test_complete_path_keeps_text_after_cursor(void **state)
{
	(void)state;
	struct wf_input in;
	char line[256], want[256];
	memset(&in, 0, sizeof in);
	in.complete = wf_complete_path;
	snprintf(line, sizeof line, "%s/be --ro", tree);
	wf_input_set(&in, line);
	press(&in, WF_K(KEY_LEFT), 5);
	wf_input_key(&in, '\t');
	snprintf(want, sizeof want, "%s/beta/ --ro", tree);
	assert_input(&in, want, strlen(tree) + strlen("/beta/"));
	/* no match: the line stays as it was */
	snprintf(line, sizeof line, "%s/zz --ro", tree);
	wf_input_set(&in, line);
	press(&in, WF_K(KEY_LEFT), 5);
	wf_input_key(&in, '\t');
	assert_input(&in, line, strlen(line) - 5);
	assert_true(strncmp(in.msg, "no match", 8) == 0);
}

/* ---- wf_pager ---------------------------------------------------------------- */

#define DOC_LINES 50

/* 50 lines "line NN"; lines 5, 20 and 40 say "Error" (in the ERROR colour). */
static void make_doc(struct wf_lines *l)
{
	for (int i = 0; i < DOC_LINES; i++) {
		if (i == 5 || i == 20 || i == 40)
			wf_lines_addf(l, WF_C_ERROR, i, "line %02d: Error here", i);
		else
			wf_lines_addf(l, WF_C_NORMAL, i, "line %02d", i);
	}
}

/* The pager in rows 1..11 (10 text rows + status) of 40 columns. */
static void pager_draw(struct wf_pager *p)
{
	erase();
	wf_pager_draw(p, app, 1, 0, 11, 40);
}

static void pager_open(struct wf_pager *p, struct wf_lines *l)
{
	memset(l, 0, sizeof *l);
	make_doc(l);
	wf_pager_init(p, wf_pager_lines_src(l));
	pager_draw(p);
}

static void pager_type(struct wf_pager *p, const char *s)
{
	for (; *s; s++)
		assert_int_equal(wf_pager_key(p, (unsigned char)*s), WF_HANDLED | WF_REDRAW);
}

static void test_pager_draws_lines_and_status(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	assert_int_equal(p.page, 10);
	assert_string_equal(row(1, 0, 8), "line 00 ");
	assert_string_equal(row(10, 0, 8), "line 09 ");
	assert_string_equal(row(6, 0, 20), "line 05: Error here ");
	assert_int_equal(attr_at(6, 0), wf_attr(WF_C_ERROR));
	assert_int_equal(attr_at(5, 0), wf_attr(WF_C_NORMAL));
	assert_string_equal(row(11, 0, 17), "lines 1-10 of 50 ");
	assert_string_equal(row(12, 0, 8), "        ");
	p.top = 3;
	pager_draw(&p);
	assert_string_equal(row(1, 0, 7), "line 03");
	assert_string_equal(row(11, 0, 17), "lines 4-13 of 50 ");
	p.top = 1000;				/* clamped to the last page */
	pager_draw(&p);
	assert_int_equal(p.top, 40);
	assert_string_equal(row(10, 0, 7), "line 49");
	wf_lines_free(&l);
}

static void test_pager_line_numbers(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	p.numbers = 1;
	pager_draw(&p);
	assert_string_equal(row(1, 0, 10), " 1 line 00");
	assert_string_equal(row(10, 0, 10), "10 line 09");
	assert_int_equal(attr_at(1, 0), wf_attr(WF_C_DIM));
	wf_lines_free(&l);
}

static void test_pager_scroll_keys(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	const int moved = WF_HANDLED | WF_REDRAW;
	pager_open(&p, &l);			/* page 10: pages move 9 */
	assert_int_equal(wf_pager_key(&p, 'k'), WF_HANDLED);	/* at the top */
	assert_int_equal(wf_pager_key(&p, 'j'), moved);
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_DOWN)), moved);
	assert_int_equal(p.top, 2);
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_UP)), moved);
	assert_int_equal(p.top, 1);
	assert_int_equal(wf_pager_key(&p, ' '), moved);
	assert_int_equal(p.top, 10);
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_NPAGE)), moved);
	assert_int_equal(p.top, 19);
	assert_int_equal(wf_pager_key(&p, 'b'), moved);
	assert_int_equal(p.top, 10);
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_PPAGE)), moved);
	assert_int_equal(p.top, 1);
	assert_int_equal(wf_pager_key(&p, 'G'), moved);
	assert_int_equal(p.top, 40);
	assert_int_equal(wf_pager_key(&p, 'j'), WF_HANDLED);	/* at the end */
	assert_int_equal(wf_pager_key(&p, ' '), WF_HANDLED);
	assert_int_equal(p.top, 40);
	assert_int_equal(wf_pager_key(&p, 'g'), moved);
	assert_int_equal(p.top, 0);
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_END)), moved);
	assert_int_equal(p.top, 40);
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_HOME)), moved);
	assert_int_equal(p.top, 0);
	assert_int_equal(wf_pager_key(&p, 'x'), WF_IGNORED);
	pager_draw(&p);
	assert_string_equal(row(1, 0, 7), "line 00");
	wf_lines_free(&l);
}

static void test_pager_goto(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	wf_pager_goto(&p, 30);			/* a third down the page */
	assert_int_equal(p.top, 27);
	wf_pager_goto(&p, 1);
	assert_int_equal(p.top, 0);
	wf_pager_goto(&p, 49);			/* not past the last page */
	assert_int_equal(p.top, 40);
	wf_pager_goto(&p, 30);
	pager_draw(&p);
	assert_string_equal(row(4, 0, 7), "line 30");
	wf_lines_free(&l);
}

static void test_pager_find_forward_wraps(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	assert_int_equal(wf_pager_find(&p, "error", 0, 1), 1);	/* "Error": any case */
	assert_int_equal(p.hit, 5);
	assert_int_equal(p.mark, 5);
	assert_int_equal(p.top, 2);
	assert_string_equal(p.status, "match at line 6");
	assert_int_equal(wf_pager_find(&p, "ERROR", 6, 1), 1);
	assert_int_equal(p.hit, 20);
	assert_int_equal(p.top, 17);
	assert_int_equal(wf_pager_find(&p, "eRRoR", 41, 1), 1);
	assert_int_equal(p.hit, 5);
	assert_string_equal(p.status, "match at line 6 (wrapped)");
	pager_draw(&p);
	assert_string_equal(row(11, 0, 33), "lines 3-12 of 50  match at line 6");
	wf_lines_free(&l);
}

static void test_pager_find_backward_wraps(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	assert_int_equal(wf_pager_find(&p, "error", 19, -1), 1);
	assert_int_equal(p.hit, 5);
	assert_string_equal(p.status, "match at line 6");
	assert_int_equal(wf_pager_find(&p, "error", 4, -1), 1);
	assert_int_equal(p.hit, 40);
	assert_int_equal(p.top, 37);
	assert_string_equal(p.status, "match at line 41 (wrapped)");
	assert_int_equal(wf_pager_find(&p, "line 4", 1000, -1), 1);	/* from the end */
	assert_int_equal(p.hit, 49);
	wf_lines_free(&l);
}

static void test_pager_find_not_found(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	wf_pager_find(&p, "error", 0, 1);
	size_t top = p.top;
	assert_int_equal(wf_pager_find(&p, "zzz", 0, 1), 0);
	assert_string_equal(p.status, "\"zzz\" not found");
	assert_int_equal(p.hit, 5);		/* the last match stays */
	assert_int_equal(p.top, top);
	assert_int_equal(wf_pager_find(&p, "", 0, 1), 0);
	pager_draw(&p);
	assert_string_equal(row(11, 0, 33), "lines 3-12 of 50  \"zzz\" not found");
	wf_lines_free(&l);
}

static void test_pager_n_and_N(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	assert_int_equal(wf_pager_key(&p, 'n'), WF_HANDLED | WF_REDRAW);
	assert_string_equal(p.status, "no search yet: / searches");
	assert_int_equal(p.hit, SIZE_MAX);
	pager_type(&p, "/error\r");
	assert_int_equal(p.hit, 5);
	wf_pager_key(&p, 'n');
	assert_int_equal(p.hit, 20);
	wf_pager_key(&p, 'n');
	assert_int_equal(p.hit, 40);
	wf_pager_key(&p, 'n');
	assert_int_equal(p.hit, 5);
	assert_string_equal(p.status, "match at line 6 (wrapped)");
	wf_pager_key(&p, 'N');
	assert_int_equal(p.hit, 40);
	wf_pager_key(&p, 'N');
	assert_int_equal(p.hit, 20);
	assert_int_equal(p.mark, 20);
	pager_draw(&p);
	assert_string_equal(row(11, 0, 40), "lines 18-27 of 50  /error  match at line");
	wf_lines_free(&l);
}

/* Matches on the first and last lines: n from the last and N from the
 * first go round, and the status says so. */
static void test_pager_wrap_at_edges(void **state)
{
	(void)state;
	struct wf_lines l;
	memset(&l, 0, sizeof l);
	for (int i = 0; i < 30; i++)
		wf_lines_addf(&l, WF_C_NORMAL, 0, i == 0 || i == 29 ? "line %d: ERROR here" : "line %d", i);
	struct wf_pager p;
	wf_pager_init(&p, wf_pager_lines_src(&l));
	pager_draw(&p);
	pager_type(&p, "/error\r");
	assert_int_equal(p.hit, 0);
	wf_pager_key(&p, 'n');
	assert_int_equal(p.hit, 29);
	assert_string_equal(p.status, "match at line 30");
	wf_pager_key(&p, 'n');
	assert_int_equal(p.hit, 0);
	assert_string_equal(p.status, "match at line 1 (wrapped)");
	wf_pager_key(&p, 'N');
	assert_int_equal(p.hit, 29);
	assert_string_equal(p.status, "match at line 30 (wrapped)");
	wf_lines_free(&l);
}

static void test_pager_search_prompt(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	assert_int_equal(wf_pager_key(&p, '/'), WF_HANDLED | WF_REDRAW);
	assert_int_equal(p.searching, 1);
	pager_type(&p, "ejk");			/* letters go to the prompt, not scrolling */
	assert_int_equal(p.top, 0);
	wf_pager_key(&p, WF_K(KEY_BACKSPACE));
	wf_pager_key(&p, WF_K(KEY_BACKSPACE));
	pager_type(&p, "rror");
	assert_string_equal(p.prompt.buf, "error");
	pager_draw(&p);
	assert_string_equal(row(11, 0, 14), "Search: error ");
	assert_int_equal(wf_pager_key(&p, '\r'), WF_HANDLED | WF_REDRAW);
	assert_int_equal(p.searching, 0);
	assert_string_equal(p.search, "error");
	assert_int_equal(p.hit, 5);
	/* Esc closes the prompt and keeps the last search */
	pager_type(&p, "/line");
	assert_int_equal(wf_pager_key(&p, WF_ESC), WF_HANDLED | WF_REDRAW);
	assert_int_equal(p.searching, 0);
	assert_string_equal(p.search, "error");
	assert_int_equal(p.hit, 5);
	/* Enter (KEY_ENTER too) searches on from the last match */
	pager_type(&p, "/ERROR");
	wf_pager_key(&p, WF_K(KEY_ENTER));
	assert_int_equal(p.hit, 20);
	wf_lines_free(&l);
}

static void test_pager_mark_and_matches(void **state)
{
	(void)state;
	struct wf_pager p;
	struct wf_lines l;
	pager_open(&p, &l);
	pager_type(&p, "/error\r");		/* line 5, marked, row 1 + 3 */
	pager_draw(&p);
	assert_string_equal(row(4, 0, 19), "line 05: Error here");
	assert_int_equal(attr_at(4, 0), wf_attr(WF_C_SELECTED));
	assert_int_equal(attr_at(4, 8), wf_attr(WF_C_SELECTED));
	assert_int_equal(attr_at(4, 39), wf_attr(WF_C_SELECTED));	/* the whole row */
	for (int c = 9; c < 14; c++)
		assert_int_equal(attr_at(4, c), wf_attr(WF_C_MATCH));
	assert_int_equal(attr_at(5, 0), wf_attr(WF_C_NORMAL));
	assert_int_equal(attr_at(5, 39), wf_attr(WF_C_NORMAL));
	/* an unmarked match: highlighted, the rest in its own colour */
	p.mark = SIZE_MAX;
	pager_draw(&p);
	assert_int_equal(attr_at(4, 0), wf_attr(WF_C_ERROR));
	assert_int_equal(attr_at(4, 9), wf_attr(WF_C_MATCH));
	assert_int_equal(attr_at(4, 14), wf_attr(WF_C_ERROR));
	wf_lines_free(&l);
}

static void test_pager_horizontal_scroll(void **state)
{
	(void)state;
	struct wf_lines l = { 0 };
	struct wf_pager p;
	wf_lines_add(&l, WF_C_NORMAL, 0, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	wf_lines_add(&l, WF_C_NORMAL, 0, "short");
	wf_pager_init(&p, wf_pager_lines_src(&l));
	pager_draw(&p);
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_LEFT)), WF_HANDLED);	/* already 0 */
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_RIGHT)), WF_HANDLED | WF_REDRAW);
	assert_int_equal(p.left, 8);
	pager_draw(&p);
	assert_string_equal(row(1, 0, 10), "89ABCDEFGH");
	assert_string_equal(row(2, 0, 5), "     ");	/* "short" scrolled away */
	pager_type(&p, "/klm\r");
	pager_draw(&p);
	for (int c = 12; c < 15; c++)		/* K is column 20, 12 on screen */
		assert_int_equal(attr_at(1, c), wf_attr(WF_C_MATCH));
	assert_int_equal(attr_at(1, 11), wf_attr(WF_C_SELECTED));
	assert_int_equal(wf_pager_key(&p, WF_K(KEY_LEFT)), WF_HANDLED | WF_REDRAW);
	assert_int_equal(p.left, 0);
	pager_draw(&p);
	assert_string_equal(row(1, 0, 10), "0123456789");
	wf_lines_free(&l);
}

static void test_pager_empty_source(void **state)
{
	(void)state;
	struct wf_lines l = { 0 };
	struct wf_pager p;
	wf_pager_init(&p, wf_pager_lines_src(&l));
	pager_draw(&p);
	assert_string_equal(row(11, 0, 15), "lines 0-0 of 0 ");
	assert_int_equal(wf_pager_key(&p, 'G'), WF_HANDLED);
	assert_int_equal(p.top, 0);
	assert_int_equal(wf_pager_find(&p, "x", 0, 1), 0);
	pager_type(&p, "/x\r");
	assert_int_equal(p.hit, SIZE_MAX);
	wf_pager_key(&p, 'N');
	assert_int_equal(p.hit, SIZE_MAX);
}

/* ---- draw.c ------------------------------------------------------------------ */

static void test_draw_text_clips_ascii(void **state)
{
	(void)state;
	paint(2, '.');
	assert_int_equal(wf_draw_text(2, 5, 4, "abcdefgh", A_NORMAL), 4);
	assert_string_equal(row(2, 0, 11), ".....abcd..");
	assert_int_equal(wf_draw_text(2, 20, 10, "xy", A_BOLD), 2);
	assert_string_equal(row(2, 20, 3), "xy.");
	assert_int_equal(attr_at(2, 20), A_BOLD);
	assert_int_equal(attr_at(2, 22), A_NORMAL);
	assert_int_equal(wf_draw_text(2, 30, 0, "z", A_NORMAL), 0);
	assert_string_equal(row(2, 30, 1), ".");
}

static void test_draw_text_utf8_and_wide(void **state)
{
	(void)state;
	paint(3, '.');
	assert_int_equal(wf_draw_text(3, 0, 5, "中文字", A_NORMAL), 4);	/* 字 would need 6 */
	assert_string_equal(row(3, 0, 6), "中文..");
	paint(3, '.');
	assert_int_equal(wf_draw_text(3, 0, 3, "é€ab", A_NORMAL), 3);
	assert_string_equal(row(3, 0, 4), "é€a.");
	paint(3, '.');
	assert_int_equal(wf_draw_textn(3, 0, 10, "中文", 6, 1, A_NORMAL), 3);	/* 中 cut */
	assert_string_equal(row(3, 0, 4), " 文.");
	paint(3, '.');
	assert_int_equal(wf_draw_text(3, 0, 4, "e\xcc\x81x", A_NORMAL), 2);	/* e + acute */
	assert_string_equal(row(3, 0, 3), "e\xcc\x81x.");
}

static void test_draw_text_tabs_and_control(void **state)
{
	(void)state;
	paint(4, '.');
	assert_int_equal(wf_draw_text(4, 0, 20, "a\tb", A_NORMAL), 9);
	assert_string_equal(row(4, 0, 10), "a       b.");
	paint(4, '.');
	assert_int_equal(wf_draw_text(4, 0, 20, "a\x01" "b\x7f" "c\xff", A_NORMAL), 6);
	assert_string_equal(row(4, 0, 7), "a?b?c?.");
}

static void test_draw_text_screen_edge(void **state)
{
	(void)state;
	resizeterm(10, 30);
	assert_int_equal(LINES, 10);
	assert_int_equal(COLS, 30);
	paint(3, '.');
	paint(4, '.');
	assert_int_equal(wf_draw_text(3, 27, 10, "abcdef", A_NORMAL), 3);
	assert_string_equal(row(3, 27, 3), "abc");
	assert_string_equal(row(4, 0, 1), ".");		/* no wrap onto the next row */
	assert_int_equal(wf_draw_text(4, 27, 10, "中文", A_NORMAL), 2);
	assert_string_equal(row(4, 27, 3), "中.");
	assert_int_equal(wf_draw_text(10, 0, 5, "below", A_NORMAL), 0);
	assert_int_equal(wf_draw_text(-1, 0, 5, "above", A_NORMAL), 0);
	assert_int_equal(wf_draw_text(3, 30, 5, "right", A_NORMAL), 0);
}

static void test_draw_clip_ellipsis(void **state)
{
	(void)state;
	paint(5, '.');
	assert_int_equal(wf_draw_clip(5, 0, 5, "abcdefgh", A_NORMAL), 5);
	assert_string_equal(row(5, 0, 6), "abcd….");
	paint(5, '.');
	assert_int_equal(wf_draw_clip(5, 0, 5, "abc", A_NORMAL), 3);
	assert_string_equal(row(5, 0, 4), "abc.");
	paint(5, '.');
	assert_int_equal(wf_draw_clip(5, 0, 5, "中文字", A_NORMAL), 5);
	assert_string_equal(row(5, 0, 6), "中文….");
}

static void test_text_width(void **state)
{
	(void)state;
	static const struct { const char *s; int w; } cases[] = {
		{ "", 0 }, { "abc", 3 }, { "é€", 2 }, { "中文", 4 }, { "a中b", 4 },
		{ "a\tb", 9 }, { "\t", 8 }, { "e\xcc\x81", 1 }, { "\x01", 1 }, { "\xff", 1 },
		{ "\x7f", 1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(wf_text_width(cases[i].s), cases[i].w);
		/* drawing takes the columns it says it takes */
		assert_int_equal(wf_draw_text(6, 0, 40, cases[i].s, A_NORMAL), cases[i].w);
	}
}

static void assert_lines_within(const struct wf_lines *l, int width)
{
	for (size_t i = 0; i < l->n; i++)
		assert_true(wf_text_width(l->v[i].text) <= width);
}

static void test_wrap_width_and_indent(void **state)
{
	(void)state;
	struct wf_lines l = { 0 };
	wf_wrap(&l, "the quick brown fox jumps over the lazy dog", 20, 2, 0, WF_C_INFO, 7);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].text, "the quick brown fox");
	assert_string_equal(l.v[1].text, "  jumps over the");
	assert_string_equal(l.v[2].text, "  lazy dog");
	assert_int_equal(l.v[2].color, WF_C_INFO);
	assert_int_equal(l.v[2].tag, 7);
	assert_lines_within(&l, 20);
	wf_lines_free(&l);
	/* paragraphs, an empty one, the first line indented too */
	wf_wrap(&l, "one two\n\nthree\n", 20, 4, 1, WF_C_NORMAL, 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].text, "    one two");
	assert_string_equal(l.v[1].text, "");
	assert_string_equal(l.v[2].text, "    three");
	wf_lines_free(&l);
	/* a word longer than the line is cut */
	wf_wrap(&l, "abcdefghijklmnopqrstuvwxyz", 10, 0, 0, WF_C_NORMAL, 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].text, "abcdefghij");
	assert_string_equal(l.v[2].text, "uvwxyz");
	wf_lines_free(&l);
}

static void test_wrap_wide_chars(void **state)
{
	(void)state;
	struct wf_lines l = { 0 };
	wf_wrap(&l, "中文中文中文", 10, 0, 0, WF_C_NORMAL, 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].text, "中文中文中");
	assert_string_equal(l.v[1].text, "文");
	wf_lines_free(&l);
	wf_wrap(&l, "é é é é é é é é é é é é", 11, 0, 0, WF_C_NORMAL, 0);	/* 23 columns */
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].text, "é é é é é é");
	assert_string_equal(l.v[1].text, "é é é é é é");
	assert_lines_within(&l, 11);
	wf_lines_free(&l);
}

/* ---- progress ---------------------------------------------------------------- */

/* A progress bar as drawn: `full` blocks, `empty` shades, then `tail`. */
static const char *bar(int full, int empty, const char *tail)
{
	static char buf[1024];
	size_t o = 0;
	for (int i = 0; i < full + empty; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s",
				      wf_glyph(i < full ? WF_G_BLOCK : WF_G_SHADE));
	snprintf(buf + o, sizeof buf - o, "%s", tail);
	return buf;
}

static void test_progress_bar(void **state)
{
	(void)state;
	/* 40 columns: a 20-column bar, a blank, the percentage, the label */
	wf_draw_progress(app, 5, 0, 40, 0, "copy");
	assert_string_equal(row(5, 0, 31), bar(0, 20, "   0%  copy"));
	assert_int_equal(attr_at(5, 0), wf_attr(WF_C_BAR));
	assert_int_equal(attr_at(5, 19), wf_attr(WF_C_BAR));
	assert_int_equal(attr_at(5, 22), wf_attr(WF_C_NORMAL));
	wf_draw_progress(app, 5, 0, 40, 0.45, "copy");
	assert_string_equal(row(5, 0, 31), bar(9, 11, "  45%  copy"));
	wf_draw_progress(app, 5, 0, 40, 0.31, "copy");	/* 6.2 cells: 6 */
	assert_string_equal(row(5, 0, 31), bar(6, 14, "  31%  copy"));
	wf_draw_progress(app, 5, 0, 40, 0.33, "copy");	/* 6.6 cells: 7 */
	assert_string_equal(row(5, 0, 31), bar(7, 13, "  33%  copy"));
	wf_draw_progress(app, 5, 0, 40, 1.0, "copy");
	assert_string_equal(row(5, 0, 31), bar(20, 0, " 100%  copy"));
	wf_draw_progress(app, 5, 0, 40, 1.7, NULL);	/* capped, the old label cleared */
	assert_string_equal(row(5, 0, 31), bar(20, 0, " 100%      "));
	wf_draw_progress(app, 6, 0, 100, 0.5, "x");	/* the bar stops at 40 */
	assert_string_equal(row(6, 0, 48), bar(20, 20, "  50%  x"));
}

static void test_progress_spinner(void **state)
{
	(void)state;
	char want[64];
	paint(7, 'Z');
	wf_draw_progress(app, 7, 0, 30, -1, "scanning");
	/* the spinner's first frame, the label, blanks to the width */
	snprintf(want, sizeof want, "⠋ scanning%20sZ", "");
	assert_string_equal(row(7, 0, 31), want);
	setenv("VIRT_WINFIX_ASCII", "1", 1);
	wf_theme_init();
	wf_draw_progress(app, 7, 0, 30, -1, "scanning");
	assert_string_equal(row(7, 0, 12), "| scanning  ");
}

/* ---- theme ------------------------------------------------------------------- */

static void test_theme_no_color(void **state)
{
	(void)state;
	assert_int_equal(wf_theme_has_color(), 1);	/* xterm-256color has colours */
	assert_int_equal(PAIR_NUMBER(wf_attr(WF_C_ERROR)), WF_C_ERROR);
	setenv("NO_COLOR", "1", 1);
	wf_theme_init();
	assert_int_equal(wf_theme_has_color(), 0);
	for (int c = 0; c < WF_C__COUNT; c++)
		assert_int_equal(wf_attr((enum wf_color)c) & A_COLOR, 0);
	assert_int_equal(wf_attr(WF_C_SELECTED), A_REVERSE);
	/* drawn in monochrome: the selected row reversed */
	struct wf_list l = { 0 };
	wf_list_set(&l, 3, 0);
	wf_list_select(&l, 1);
	list_draw(&l, 3);
	assert_int_equal(attr_at(3, 4), A_REVERSE);
	assert_int_equal(attr_at(2, 4), A_NORMAL);
	wf_list_free(&l);
	setenv("NO_COLOR", "", 1);		/* empty: colours (no-color.org) */
	wf_theme_init();
	assert_int_equal(wf_theme_has_color(), 1);
}

static void test_theme_ascii(void **state)
{
	(void)state;
	assert_int_equal(wf_theme_ascii(), 0);
	assert_string_equal(wf_glyph(WF_G_HLINE), "─");
	setenv("VIRT_WINFIX_ASCII", "1", 1);
	wf_theme_init();
	assert_int_equal(wf_theme_ascii(), 1);
	assert_string_equal(wf_glyph(WF_G_HLINE), "-");
	assert_string_equal(wf_glyph(WF_G_ELLIPSIS), "...");
	assert_string_equal(wf_spinner(0), "|");
	assert_string_equal(wf_spinner(5), "/");
	paint(8, '.');
	assert_int_equal(wf_draw_clip(8, 0, 6, "abcdefgh", A_NORMAL), 6);
	assert_string_equal(row(8, 0, 7), "abc....");
	setenv("VIRT_WINFIX_ASCII", "0", 1);
	wf_theme_init();
	assert_int_equal(wf_theme_ascii(), 0);
	unsetenv("VIRT_WINFIX_ASCII");
	assert_non_null(setlocale(LC_ALL, "C"));	/* not UTF-8: ASCII */
	wf_theme_init();
	int ascii = wf_theme_ascii();
	use_utf8_locale();
	assert_int_equal(ascii, 1);
}

/* ---- wf_paste ------------------------------------------------------------- */

static void test_paste_bytes_as_they_are(void **state)
{
	(void)state;
	struct wf_paste p;
	wf_paste_init(&p, 0);
	assert_int_equal(p.max, WF_PASTE_MAX);
	static const char t[] = "a\tb\033[Ac\0d\r\nline 2\rline 3\n";
	wf_paste_add(&p, t, sizeof t - 1);
	assert_int_equal(p.len, 24);
	assert_memory_equal(p.buf, "a\tb\033[Ac\0d\nline 2\nline 3\n", 24);
	assert_int_equal(wf_paste_lines(&p), 3);
	/* a CRLF split across two chunks is one line end */
	wf_paste_add(&p, "x\r", 2);
	wf_paste_add(&p, "\ny", 2);
	assert_int_equal(wf_paste_lines(&p), 5);
	assert_int_equal(p.len, 27);
	assert_memory_equal(p.buf + 24, "x\ny", 3);
	wf_paste_clear(&p);
	assert_int_equal(p.len, 0);
	assert_int_equal(wf_paste_lines(&p), 0);
	wf_paste_free(&p);
}

static void test_paste_typed_keys(void **state)
{
	(void)state;
	struct wf_paste p;
	wf_paste_init(&p, 0);
	assert_int_equal(wf_paste_key(&p, 'q'), WF_HANDLED | WF_REDRAW);
	wf_paste_key(&p, '\t');
	wf_paste_key(&p, 0xe9);		/* é */
	wf_paste_key(&p, '\r');		/* Enter */
	wf_paste_key(&p, WF_K(KEY_ENTER));
	wf_paste_key(&p, 'z');
	assert_int_equal(p.len, 7);
	assert_memory_equal(p.buf, "q\t\xc3\xa9\n\nz", 7);
	assert_int_equal(wf_paste_lines(&p), 3);
	assert_int_equal(wf_paste_key(&p, WF_K(KEY_UP)), WF_IGNORED);
	assert_int_equal(wf_paste_key(&p, WF_CTRL('d')), WF_IGNORED);
	assert_int_equal(wf_paste_key(&p, WF_ESC), WF_IGNORED);
	wf_paste_key(&p, 127);		/* z */
	wf_paste_key(&p, WF_K(KEY_BACKSPACE));	/* a line end */
	assert_int_equal(wf_paste_lines(&p), 1);
	wf_paste_key(&p, 8);		/* the line end */
	wf_paste_key(&p, 127);		/* é: both bytes */
	assert_int_equal(p.len, 2);
	assert_int_equal(wf_paste_lines(&p), 1);
	wf_paste_free(&p);
}

static void test_paste_cap(void **state)
{
	(void)state;
	struct wf_paste p;
	wf_paste_init(&p, 16);
	wf_paste_add(&p, "line one\nline two\nline three\n", 30);
	assert_int_equal(p.full, 1);
	assert_int_equal(p.len, 9);	/* cut back to "line one\n" */
	assert_int_equal(p.dropped, 21);
	assert_int_equal(wf_paste_lines(&p), 1);
	wf_paste_add(&p, "more", 4);	/* still full: counted */
	assert_int_equal(p.dropped, 25);
	assert_int_equal(wf_paste_key(&p, 'x'), WF_HANDLED | WF_REDRAW);
	assert_int_equal(p.len, 9);
	wf_paste_key(&p, 127);		/* room again */
	assert_int_equal(p.full, 0);
	wf_paste_add(&p, "ab", 2);
	assert_int_equal(p.len, 10);
	assert_memory_equal(p.buf, "line oneab", 10);
	wf_paste_free(&p);
}

static void test_paste_draws_last_lines(void **state)
{
	(void)state;
	struct wf_paste p;
	wf_paste_init(&p, 0);
	wf_paste_add(&p, "one\ntwo\nthree\nfour\n", 19);
	wf_paste_draw(&p, NULL, 2, 1, 3, 10, 0);
	assert_string_equal(row(2, 1, 10), "three     ");
	assert_string_equal(row(3, 1, 10), "four      ");
	assert_string_equal(row(4, 1, 10), "          ");	/* where typing goes on */
	wf_paste_add(&p, "fi\033e", 4);
	wf_paste_draw(&p, NULL, 2, 1, 3, 10, 0);
	assert_string_equal(row(2, 1, 10), "three     ");
	assert_string_equal(row(3, 1, 10), "four      ");
	assert_string_equal(row(4, 1, 10), "fi?e      ");
	wf_paste_free(&p);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, reset)
#define TREE(f) cmocka_unit_test_setup_teardown(f, tree_setup, tree_teardown)
	const struct CMUnitTest tests[] = {
		T(test_list_set_and_select),
		T(test_list_navigation_keys),
		T(test_list_scroll_keeps_selection_visible),
		T(test_list_draw_visible_rows_only),
		T(test_list_checklist_space_toggles),
		T(test_list_marks_kept_on_resize),
		T(test_list_empty),
		T(test_list_single_item),
		T(test_input_insert_and_cursor),
		T(test_input_backspace_delete),
		T(test_input_kill_keys),
		T(test_input_ignores_other_keys),
		T(test_input_utf8_whole_characters),
		T(test_input_draw_narrow_scrolls),
		T(test_input_draw_scrolls_wide_chars),
		TREE(test_complete_path_unique),
		TREE(test_complete_path_common_prefix),
		TREE(test_complete_path_no_match),
		TREE(test_complete_path_relative),
		TREE(test_complete_path_keeps_text_after_cursor),
		T(test_pager_draws_lines_and_status),
		T(test_pager_line_numbers),
		T(test_pager_scroll_keys),
		T(test_pager_goto),
		T(test_pager_find_forward_wraps),
		T(test_pager_find_backward_wraps),
		T(test_pager_find_not_found),
		T(test_pager_n_and_N),
		T(test_pager_wrap_at_edges),
		T(test_pager_search_prompt),
		T(test_pager_mark_and_matches),
		T(test_pager_horizontal_scroll),
		T(test_pager_empty_source),
		T(test_draw_text_clips_ascii),
		T(test_draw_text_utf8_and_wide),
		T(test_draw_text_tabs_and_control),
		T(test_draw_text_screen_edge),
		T(test_draw_clip_ellipsis),
		T(test_text_width),
		T(test_wrap_width_and_indent),
		T(test_wrap_wide_chars),
		T(test_paste_bytes_as_they_are),
		T(test_paste_typed_keys),
		T(test_paste_cap),
		T(test_paste_draws_last_lines),
		T(test_progress_bar),
		T(test_progress_spinner),
		T(test_theme_no_color),
		T(test_theme_ascii),
	};
#undef T
#undef TREE
	return cmocka_run_group_tests_name("toolkit", tests, group_setup, group_teardown);
}
