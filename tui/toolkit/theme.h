/*
 * theme.h - the one table of colours and attributes of the wizard, and the
 * line-drawing glyphs (UTF-8 or ASCII).
 *
 * Every role a piece of the screen can have is one row of WF_THEME below
 * (after ncdu's UI_COLORS): its colour pair when the terminal has colours,
 * and its attribute when it has none or NO_COLOR is set (no-color.org).
 *
 *   wf_theme_init();                      // after initscr()
 *   attrset(wf_attr(WF_C_ERROR));
 *   wf_glyph(WF_G_HLINE)                  // "─" or "-"
 *
 * ASCII line drawing is used when the locale is not UTF-8 or
 * VIRT_WINFIX_ASCII=1 is set.
 */
#ifndef WF_THEME_H
#define WF_THEME_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

/*  role       fg            bg           colour attr  mono attr */
#define WF_THEME(X) \
	X(NORMAL,   -1,           -1,          A_NORMAL,    A_NORMAL) \
	X(TITLE,    COLOR_WHITE,  COLOR_BLUE,  A_BOLD,      A_REVERSE) \
	X(STATUS,   COLOR_BLACK,  COLOR_CYAN,  A_NORMAL,    A_REVERSE) \
	X(KEY,      COLOR_YELLOW, COLOR_BLUE,  A_BOLD,      A_REVERSE | A_BOLD) \
	X(SELECTED, COLOR_BLACK,  COLOR_CYAN,  A_NORMAL,    A_REVERSE) \
	X(HEADING,  COLOR_CYAN,   -1,          A_BOLD,      A_BOLD) \
	X(DIM,      COLOR_BLUE,   -1,          A_BOLD,      A_DIM) \
	X(ERROR,    COLOR_RED,    -1,          A_BOLD,      A_BOLD) \
	X(WARNING,  COLOR_YELLOW, -1,          A_BOLD,      A_BOLD) \
	X(INFO,     COLOR_CYAN,   -1,          A_NORMAL,    A_NORMAL) \
	X(GOOD,     COLOR_GREEN,  -1,          A_BOLD,      A_NORMAL) \
	X(MATCH,    COLOR_BLACK,  COLOR_YELLOW, A_NORMAL,   A_REVERSE | A_UNDERLINE) \
	X(FAILLINE, COLOR_RED,    -1,          A_BOLD,      A_BOLD | A_UNDERLINE) \
	X(MARK,     COLOR_BLACK,  COLOR_GREEN, A_NORMAL,    A_REVERSE | A_BOLD) \
	X(DIALOG,   COLOR_WHITE,  COLOR_BLUE,  A_NORMAL,    A_NORMAL) \
	X(DIALOGERR, COLOR_WHITE, COLOR_RED,   A_BOLD,      A_BOLD) \
	X(INPUT,    COLOR_WHITE,  COLOR_BLACK, A_NORMAL,    A_UNDERLINE) \
	X(BAR,      COLOR_GREEN,  -1,          A_BOLD,      A_REVERSE)

enum wf_color {
#define WF_THEME_ENUM(name, fg, bg, a, m) WF_C_##name,
	WF_THEME(WF_THEME_ENUM)
#undef WF_THEME_ENUM
	WF_C__COUNT
};

/* Line drawing and small symbols, UTF-8 or ASCII. */
#define WF_GLYPHS(X) \
	X(HLINE,  "─", "-") \
	X(VLINE,  "│", "|") \
	X(ULCORNER, "┌", "+") \
	X(URCORNER, "┐", "+") \
	X(LLCORNER, "└", "+") \
	X(LRCORNER, "┘", "+") \
	X(BLOCK,  "█", "#") \
	X(SHADE,  "░", ".") \
	X(ARROW,  "→", ">") \
	X(BULLET, "•", "*") \
	X(ELLIPSIS, "…", "...") \
	X(CHECK,  "✓", "+") \
	X(CROSS,  "✗", "x")

enum wf_glyph_id {
#define WF_GLYPH_ENUM(name, u, a) WF_G_##name,
	WF_GLYPHS(WF_GLYPH_ENUM)
#undef WF_GLYPH_ENUM
	WF_G__COUNT
};

/* Pick colour or monochrome and UTF-8 or ASCII; call after initscr(). */
void wf_theme_init(void);
/* The attribute (colour pair included) of a role. */
attr_t wf_attr(enum wf_color c);
const char *wf_glyph(enum wf_glyph_id g);
/* Spinner frame `i` (any integer). */
const char *wf_spinner(unsigned i);
int wf_theme_has_color(void);
int wf_theme_ascii(void);

#endif
