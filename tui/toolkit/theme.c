/* theme.c - see theme.h. */
#include "theme.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

static const struct role {
	short fg, bg;
	attr_t color_attr, mono_attr;
} roles[WF_C__COUNT] = {
#define WF_THEME_ROW(name, fg, bg, a, m) [WF_C_##name] = { fg, bg, a, m },
	WF_THEME(WF_THEME_ROW)
#undef WF_THEME_ROW
};

static const struct glyph {
	const char *utf8, *ascii;
} glyphs[WF_G__COUNT] = {
#define WF_GLYPH_ROW(name, u, a) [WF_G_##name] = { u, a },
	WF_GLYPHS(WF_GLYPH_ROW)
#undef WF_GLYPH_ROW
};

static const char *const spin_utf8[] = { "⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏" };
static const char *const spin_ascii[] = { "|", "/", "-", "\\" };

static int color, ascii;

void wf_theme_init(void)
{
	const char *nc = getenv("NO_COLOR");
	color = has_colors() && !(nc && *nc);
	const char *cs = nl_langinfo(CODESET);
	const char *force = getenv("VIRT_WINFIX_ASCII");
	ascii = !(cs && strcmp(cs, "UTF-8") == 0) || (force && strcmp(force, "0") && *force);
	if (!color)
		return;
	start_color();
	use_default_colors();
	for (int i = 1; i < WF_C__COUNT; i++)
		init_pair((short)i, roles[i].fg, roles[i].bg);
}

attr_t wf_attr(enum wf_color c)
{
	if (!color)
		return roles[c].mono_attr;
	return roles[c].color_attr | (c ? COLOR_PAIR(c) : 0);
}

const char *wf_glyph(enum wf_glyph_id g)
{
	return ascii ? glyphs[g].ascii : glyphs[g].utf8;
}

const char *wf_spinner(unsigned i)
{
	if (ascii)
		return spin_ascii[i % (sizeof spin_ascii / sizeof spin_ascii[0])];
	return spin_utf8[i % (sizeof spin_utf8 / sizeof spin_utf8[0])];
}

int wf_theme_has_color(void) { return color; }
int wf_theme_ascii(void) { return ascii; }
