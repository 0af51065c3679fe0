/*
 * damage.h - the test kit's paste damage: what mail, forums, tickets and
 * logging tools do to SetupAPI log lines.  Each damage turns a text (LF
 * lines, no final NUL needed) into another in a strbuf.  Used by the
 * metamorphic test (test_logpaste.c): the findings of a damaged text must
 * be those of the clean one.
 */
#ifndef TEST_DAMAGE_H
#define TEST_DAMAGE_H

#include <stdint.h>
#include <string.h>

#include "strbuf.h"

static uint64_t dmg_rng = 1;

static inline unsigned dmg_rand(unsigned n)
{
	dmg_rng ^= dmg_rng << 13;
	dmg_rng ^= dmg_rng >> 7;
	dmg_rng ^= dmg_rng << 17;
	return n ? (unsigned)(dmg_rng % n) : 0;
}

/* Call fn(line, len, out, i) for every line of in. */
#define DMG_EACH_LINE(in, n, ...)                                             \
	do {                                                                   \
		const char *p_ = (in), *e_ = (in) + (n);                       \
		unsigned i_ = 0;                                               \
		while (p_ < e_) {                                              \
			const char *nl_ = memchr(p_, '\n', (size_t)(e_ - p_)); \
			size_t len = nl_ ? (size_t)(nl_ - p_) : (size_t)(e_ - p_); \
			const char *line = p_;                                 \
			unsigned idx = i_++;                                   \
			(void)idx;                                             \
			__VA_ARGS__;                                           \
			p_ += len + 1;                                         \
		}                                                              \
	} while (0)

static void dmg_prefix(const char *in, size_t n, struct wf_strbuf *o, const char *pfx)
{
	DMG_EACH_LINE(in, n, { wf_sb_adds(o, pfx); wf_sb_add(o, line, len); wf_sb_addc(o, '\n'); });
}

static void dmg_quote1(const char *in, size_t n, struct wf_strbuf *o) { dmg_prefix(in, n, o, "> "); }
static void dmg_quote3(const char *in, size_t n, struct wf_strbuf *o) { dmg_prefix(in, n, o, "> > > "); }

/* Characters (UTF-8) of s[0..n). */
static size_t dmg_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* A mail archive's ">>": the section marker ">>>" loses one '>' and the
 * indentation goes.
 * Except one space, at the start of a line shorter than the text's widest
 * that follows a line as wide: the last part of a line that a hard wrap
 * cut just before a space.  Taken, that space leaves no trace at all - no
 * width tells "VirtualBox" + " Guest Additions\VBoxGuest.inf]" from
 * "VirtualBoxGuest..." (metamorphic seeds 773 at 2 rounds, 624 at 20), so
 * the findings of such a paste cannot be the clean text's.  A space taken
 * at the start of a part that is cut again, as wide as the widest, shows
 * in that width and is taken as before (setupapi_wrap.c puts it back). */
static void dmg_mail_gt(const char *in, size_t n, struct wf_strbuf *o)
{
	size_t widest = 0, prev = 0;
	DMG_EACH_LINE(in, n, {
		size_t c = dmg_chars(line, len);
		widest = c > widest ? c : widest;
	});
	DMG_EACH_LINE(in, n, {
		size_t k = 0, c = dmg_chars(line, len);
		if (len >= 3 && !memcmp(line, ">>>", 3)) {
			wf_sb_adds(o, ">> ");
			k = 3;
		}
		while (k < len && line[k] == ' ')
			k++;
		if (k && line[0] == ' ' && prev == widest && c < widest)
			k--;	/* see above */
		wf_sb_add(o, line + k, len - k);
		wf_sb_addc(o, '\n');
		prev = c;
	});
}

static void dmg_noindent(const char *in, size_t n, struct wf_strbuf *o)
{
	DMG_EACH_LINE(in, n, {
		size_t k = 0;
		while (k < len && (line[k] == ' ' || line[k] == '\t'))
			k++;
		wf_sb_add(o, line + k, len - k);
		wf_sb_addc(o, '\n');
	});
}

/* runs of spaces: to tabs, or collapsed to one; trailing spaces added */
static void dmg_spaces(const char *in, size_t n, struct wf_strbuf *o, int tabs)
{
	DMG_EACH_LINE(in, n, {
		for (size_t k = 0; k < len; k++) {
			if (line[k] == ' ' && k + 1 < len && line[k + 1] == ' ') {
				while (k + 1 < len && line[k + 1] == ' ')
					k++;
				wf_sb_addc(o, tabs ? '\t' : ' ');
			} else {
				wf_sb_addc(o, line[k]);
			}
		}
		wf_sb_adds(o, idx % 3 ? "  " : "");
		wf_sb_addc(o, '\n');
	});
}
static void dmg_tabs(const char *in, size_t n, struct wf_strbuf *o) { dmg_spaces(in, n, o, 1); }
static void dmg_collapse(const char *in, size_t n, struct wf_strbuf *o) { dmg_spaces(in, n, o, 0); }

/* Byte offset of character w of s[0..n) (UTF-8: a wrapper counts
 * characters, and never cuts one in two), n when it has fewer. */
static size_t dmg_char_off(const char *s, size_t n, size_t w)
{
	size_t i = 0;
	for (size_t c = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80)
			continue;
		if (c++ == w)
			return i;
	}
	return n;
}

/* Wrap at width w (characters): at the last space (the space dropped), or
 * hard inside a token longer than the line. */
static void dmg_wrap_at(const char *in, size_t n, struct wf_strbuf *o, size_t w, int hard)
{
	DMG_EACH_LINE(in, n, {
		const char *s = line;
		size_t left = len;
		size_t wb;
		while ((wb = dmg_char_off(s, left, w)) < left) {
			size_t cut = wb, next = wb;
			if (!hard) {
				size_t k = wb;
				while (k > 0 && s[k] != ' ')
					k--;
				if (k > 0) {
					cut = k;
					next = k + 1;
				}
			}
			wf_sb_add(o, s, cut);
			wf_sb_addc(o, '\n');
			s += next;
			left -= next;
		}
		wf_sb_add(o, s, left);
		wf_sb_addc(o, '\n');
	});
}
static void dmg_wrap(const char *in, size_t n, struct wf_strbuf *o) { dmg_wrap_at(in, n, o, 60 + dmg_rand(21), 0); }
static void dmg_hardwrap(const char *in, size_t n, struct wf_strbuf *o) { dmg_wrap_at(in, n, o, 60 + dmg_rand(21), 1); }

static void dmg_eol(const char *in, size_t n, struct wf_strbuf *o, const char *eol)
{
	DMG_EACH_LINE(in, n, { wf_sb_add(o, line, len); wf_sb_adds(o, eol); });
}
static void dmg_crlf(const char *in, size_t n, struct wf_strbuf *o) { dmg_eol(in, n, o, "\r\n"); }
static void dmg_cr(const char *in, size_t n, struct wf_strbuf *o) { dmg_eol(in, n, o, "\r"); }

static void dmg_bom(const char *in, size_t n, struct wf_strbuf *o)
{
	wf_sb_adds(o, "\xEF\xBB\xBF");
	wf_sb_add(o, in, n);
}

/* UTF-16LE, with a BOM or without (as a paste of the raw bytes); the
 * input is UTF-8 (curly quotes are 3 bytes, one UTF-16 unit) */
static void dmg_utf16(const char *in, size_t n, struct wf_strbuf *o)
{
	if (dmg_rand(2))
		wf_sb_adds(o, "\xFF\xFE");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		unsigned u = c;
		if (c >= 0xE0 && c < 0xF0 && i + 2 < n) {
			u = (c & 0x0Fu) << 12 | ((unsigned char)in[i + 1] & 0x3Fu) << 6 |
			    ((unsigned char)in[i + 2] & 0x3Fu);
			i += 2;
		} else if (c >= 0xC0 && c < 0xE0 && i + 1 < n) {
			u = (c & 0x1Fu) << 6 | ((unsigned char)in[i + 1] & 0x3Fu);
			i += 1;
		} else if (c >= 0x80) {
			u = '?';
		}
		wf_sb_addc(o, (char)(u & 0xFF));
		wf_sb_addc(o, (char)(u >> 8));
	}
}

static void dmg_curly(const char *in, size_t n, struct wf_strbuf *o)
{
	int dq = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '"')
			wf_sb_adds(o, dq++ % 2 ? "\xE2\x80\x9D" : "\xE2\x80\x9C");
		else if (in[i] == '\'')
			wf_sb_adds(o, "\xE2\x80\x99");
		else
			wf_sb_addc(o, in[i]);
	}
}

static void dmg_html(const char *in, size_t n, struct wf_strbuf *o)
{
	for (size_t i = 0; i < n; i++) {
		switch (in[i]) {
		case '&': wf_sb_adds(o, "&amp;"); break;
		case '>': wf_sb_adds(o, "&gt;"); break;
		case '<': wf_sb_adds(o, "&lt;"); break;
		case '"': wf_sb_adds(o, "&quot;"); break;
		case '\'': wf_sb_adds(o, "&#39;"); break;
		default: wf_sb_addc(o, in[i]);
		}
	}
}

static void dmg_fence(const char *in, size_t n, struct wf_strbuf *o)
{
	wf_sb_adds(o, "Here is the log:\n\n```\n");
	wf_sb_add(o, in, n);
	wf_sb_adds(o, "```\n\nThanks for any help.\n");
}

/* libwdi's prefix, with its own lines in between */
static void dmg_libwdi(const char *in, size_t n, struct wf_strbuf *o)
{
	wf_sb_adds(o, "libwdi:info [wdi_install_driver] Installing driver. Please wait...\n");
	DMG_EACH_LINE(in, n, {
		if (idx % 7 == 3)
			wf_sb_adds(o, "libwdi:debug [process_message] got request for device_id\n");
		wf_sb_adds(o, "libwdi:debug [syslog] ");
		wf_sb_add(o, line, len);
		wf_sb_addc(o, '\n');
	});
	wf_sb_adds(o, "libwdi:info [wdi_install_driver] driver install failed\n");
}

static void dmg_timestamp(const char *in, size_t n, struct wf_strbuf *o)
{
	unsigned ms = 56789;
	DMG_EACH_LINE(in, n, {
		ms += 1 + dmg_rand(900);
		wf_sb_addf(o, "12:%02u:%02u.%03u ", (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000);
		wf_sb_add(o, line, len);
		wf_sb_addc(o, '\n');
	});
}

static void dmg_lineno(const char *in, size_t n, struct wf_strbuf *o)
{
	unsigned first = 1 + dmg_rand(5000);
	DMG_EACH_LINE(in, n, {
		wf_sb_addf(o, "%5u: ", first + idx);
		wf_sb_add(o, line, len);
		wf_sb_addc(o, '\n');
	});
}

typedef void (*dmg_fn)(const char *in, size_t n, struct wf_strbuf *o);

/* The order in which a paste suffers them: a tool writes its prefix,
 * spacing and escaping change, a mail wraps, then quotes, then the text is
 * saved in some encoding. */
enum dmg_stage { DS_PREFIX, DS_SPACE, DS_ESCAPE, DS_WRAP, DS_QUOTE, DS_ENCODE };

struct dmg_kind {
	const char *name;
	dmg_fn fn;
	int final;	/* an encoding: only as the last damage */
	enum dmg_stage stage;
};

static const struct dmg_kind dmg_kinds[] = {
	{ "libwdi", dmg_libwdi, 0, DS_PREFIX }, { "timestamp", dmg_timestamp, 0, DS_PREFIX },
	{ "lineno", dmg_lineno, 0, DS_PREFIX },
	{ "noindent", dmg_noindent, 0, DS_SPACE }, { "tabs", dmg_tabs, 0, DS_SPACE },
	{ "collapse", dmg_collapse, 0, DS_SPACE },
	{ "curly", dmg_curly, 0, DS_ESCAPE }, { "html", dmg_html, 0, DS_ESCAPE },
	{ "wrap", dmg_wrap, 0, DS_WRAP }, { "hardwrap", dmg_hardwrap, 0, DS_WRAP },
	{ "quote", dmg_quote1, 0, DS_QUOTE }, { "quote3", dmg_quote3, 0, DS_QUOTE },
	{ "mail-gt", dmg_mail_gt, 0, DS_QUOTE }, { "fence", dmg_fence, 0, DS_QUOTE },
	{ "crlf", dmg_crlf, 1, DS_ENCODE }, { "cr", dmg_cr, 1, DS_ENCODE },
	{ "bom", dmg_bom, 1, DS_ENCODE }, { "utf16", dmg_utf16, 1, DS_ENCODE },
};
#define DMG_N (sizeof dmg_kinds / sizeof *dmg_kinds)

#endif
