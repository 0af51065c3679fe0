/*
 * setupapi_norm.c - the normalising front layer of the SetupAPI log reader:
 * turns what people paste (see setupapi.h, "Pastes") back into log lines
 * before the parser sees them.  Streaming, one pending line, no allocation
 * per line.
 *
 * Per physical line (the reader has already split lines and decoded
 * UTF-16 / BOMs):
 *   1. clean: NUL bytes (UTF-16 read as bytes) dropped, tabs and no-break
 *      spaces made spaces, curly quotes made straight, the HTML entities
 *      &amp; &gt; &lt; &quot; &#39; &apos; &nbsp; decoded, a stray BOM
 *      dropped, a lone CR inside the line splits it, spaces trimmed;
 *   2. quote prefixes ("> ", "> > > ", ">>") stripped; when the quoting ate
 *      the section marker (">> [Device Install ..." where the log had
 *      ">>>  [Device Install ..."), the marker is put back;
 *   3. Markdown code fences (``` / ~~~) dropped;
 *   4. a logging tool's prefix ("libwdi:debug [syslog] ", "12:34:56.789 ",
 *      "0042: ") is learnt from the first line where a SetupAPI line follows
 *      it (its shape: digit runs stand for any number) and stripped from
 *      every line that has it; the tool's own lines are kept apart; a
 *      line counter's number ("0042: ") must count up (a wrapped line's
 *      continuation can start with digits and ": ");
 *   5. lines wrapped by a mail or forum (at a space or hard at a width) are
 *      joined back: a line that cannot start a SetupAPI entry continues the
 *      pending one (see join_ok()), and so does a category line at the
 *      left margin when the paste's entries are indented or prefixed
 *      (cat_is_wrapped()); the two parts are joined without a space
 *      when the break cut an id in two or every break so far came at the
 *      same width (a hard wrap), with one space otherwise.
 * The line number of a joined line is that of its first part.
 *
 * Fast path: a line that starts exactly as Windows writes it (five spaces
 * and a category, ">>>  ", "<<<  ", "!!!  ", "!    ", "#I123 ", "[") is
 * passed on without a copy after the first WF_SA_NORM_FULL lines (a paste
 * is shorter than that and is normalised in full); any other line takes
 * the full path above.  Unless the first lines were a web or mail copy:
 * once an HTML entity, a curly quote or a typographic space has been
 * decoded (Windows writes none of them), every line takes the full path,
 * so that the "&amp;" inside the device ids of a whole log saved from a
 * web page are decoded after line WF_SA_NORM_FULL too.  Damage that shows
 * at the start of a line (quoting, a tool's prefix, a wrap) needs no such
 * flag: such a line is never canonical.  A long log whose first lines
 * are clean and whose later ones carry entities keeps them (not seen).
 */
#include "setupapi_priv.h"
#include "error.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WF_SA_NORM_FULL	20000	/* lines always normalised in full */
#define MAX_CONTS	10	/* continuation lines joined to one entry */
#define SHAPE_MAX	64
#define COUNTER_GAP	16	/* numbered lines a paste may leave out */

enum kind {
	K_NONE = 0,	/* not the start of a SetupAPI entry */
	K_MARK,		/* >>> / <<< */
	K_BANG,		/* !!! / ! */
	K_CAT,		/* "dvi: " category (Vista body) */
	K_BRACKET,	/* [Boot Session: ...], [Device Install Log] ... */
	K_XP,		/* #I123 */
	K_XPHDR,	/* [2005/06/13 13:40:37 6120.256 Driver Install] */
	K_HDR,		/* OS Version = ... */
};

struct wf_sa_norm {
	/* pending logical line: points into the reader's buffer (fast path)
	 * or into own[] */
	const char *pend;
	size_t plen;
	unsigned long pline;
	int pkind;
	int have;
	int nconts;
	size_t prev_raw;	/* width of the last physical line of pend */
	size_t prev_canon;	/* the same with the indentation put back */
	int prev_single;	/* that line was a single token */
	int prev_trail;		/* and ended with a space in the raw text */
	int prev_cont;		/* and continued pend, with no space first */
	int plater;		/* pend holds undecided breaks */
	char own[WF_SA_LINE_MAX + 1];
	char work[WF_SA_LINE_MAX + 8];
	char tmp[WF_SA_LINE_MAX + 8];
	unsigned long lines;
	int encoded;		/* an HTML entity or a typographic quote or space
				 * was decoded: a web or mail copy, whose lines
				 * stay on the full path (see the top) */
	int mode;		/* 0 unknown, 1 Vista, 2 XP/2000 */
	int margin_kept;	/* entries kept their indentation or a prefix */
	int margin_cats;	/* a category line at the left margin was one */
	int in_fence;
	/* learnt tool prefix */
	char shape[SHAPE_MAX];
	size_t shape_len;
	int counting;		/* the prefix is a line counter ("  42: ") */
	unsigned long counter;	/* the last number it showed */
	/* the physical line being read: its width, indentation lost */
	size_t cur_raw, cur_lost;
	int cur_lead;		/* started with a space after its quote marks */
	int cur_single;		/* is one token */
	int cur_trail;		/* ended with a space */
	struct wf_sa_wrap *wrap;	/* where wrapped lines are joined */
	/* counters */
	unsigned long joined, stripped, dropped;
	wf_sa_norm_fn fn;
	void *arg;
};

struct wf_sa_norm *wf_sa_norm_new(wf_sa_norm_fn fn, void *arg)
{
	struct wf_sa_norm *z = wf_xcalloc(1, sizeof *z);
	z->fn = fn;
	z->arg = arg;
	z->wrap = wf_sa_wrap_new(fn, arg);
	return z;
}

void wf_sa_norm_free(struct wf_sa_norm *z)
{
	if (z)
		wf_sa_wrap_free(z->wrap);
	free(z);
}

const char **wf_sa_norm_pending(struct wf_sa_norm *z, size_t *len)
{
	*len = z->plen;
	return z->have && z->pend != z->own ? &z->pend : NULL;
}

unsigned long wf_sa_norm_joined(const struct wf_sa_norm *z) { return z->joined; }
unsigned long wf_sa_norm_stripped(const struct wf_sa_norm *z) { return z->stripped; }

/* ----------------------------------------------------------------------
 * classification
 */
static int is_cat(const char *s, size_t n)
{
	/* three lower-case letters and ':' ("dvi:"), or two and " :" ("ui :"),
	 * then a space or the end */
	if (n < 4 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z')
		return 0;
	if (!((s[2] >= 'a' && s[2] <= 'z') || s[2] == ' ') || s[3] != ':')
		return 0;
	return n == 4 || s[4] == ' ';
}

static int is_xp_code(const char *s, size_t n)
{
	return n >= 5 && s[0] == '#' && strchr("-IWEVT", s[1]) && s[1] &&
	       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
	       isdigit((unsigned char)s[4]) && (n == 5 || s[5] == ' ');
}

static int is_bracket(const char *s, size_t n)
{
	return SA_STARTS(s, n, "[Boot Session:") || SA_STARTS(s, n, "[Device Install Log]") ||
	       SA_STARTS(s, n, "[SetupAPI Log]") || SA_STARTS(s, n, "[BeginLog]");
}

static int is_header_kv(const char *s, size_t n)
{
#define KEY(k) { k, sizeof k - 1 }
	static const struct { const char *k; size_t n; } keys[] = {
		KEY("OS Version = "), KEY("Service Pack = "), KEY("Suite = "),
		KEY("ProductType = "), KEY("Product Type = "),
		KEY("Architecture = "), KEY("Platform ID = "),
	};
#undef KEY
	/* every line that starts with a capital comes here (and every word
	 * after a space, from find_prefix()): the first letters first */
	if (!n || !memchr("OSPA", s[0], 4))
		return 0;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (n >= keys[i].n && !memcmp(s, keys[i].k, keys[i].n))
			return 1;
	return 0;
}

static int xp_header_cut(const char *s, size_t n);

static enum kind classify(const char *s, size_t n)
{
	if (!n)
		return K_NONE;
	switch (s[0]) {
	case '>':
	case '<':
		return n >= 3 && s[1] == s[0] && s[2] == s[0] ? K_MARK : K_NONE;
	case '!': {	/* "!!!  dvi:" / "!    dvi:" */
		size_t k = n >= 3 && s[1] == '!' && s[2] == '!' ? 3 : 1;
		if (k >= n || s[k] != ' ')
			return K_NONE;
		while (k < n && s[k] == ' ')
			k++;
		return is_cat(s + k, n - k) ? K_BANG : K_NONE;
	}
	case '#':
		return is_xp_code(s, n) ? K_XP : K_NONE;
	case '@':	/* XP verbose: "@ 20:41:05.217 #V017 ..." */
		if (n > 16 && s[1] == ' ' && isdigit((unsigned char)s[2]) && s[4] == ':') {
			const char *h = memchr(s, '#', n < 20 ? n : 20);
			if (h && is_xp_code(h, n - (size_t)(h - s)))
				return K_XP;
		}
		return K_NONE;
	case '[':
		if (wf_sa_xp_is_header(s, n) || xp_header_cut(s, n))
			return K_XPHDR;
		return is_bracket(s, n) ? K_BRACKET : K_NONE;
	default:
		if (s[0] >= 'a' && s[0] <= 'z')
			return is_cat(s, n) ? K_CAT : K_NONE;
		if (s[0] >= 'A' && s[0] <= 'Z')
			return is_header_kv(s, n) ? K_HDR : K_NONE;
		return K_NONE;
	}
}

/* The start of an XP section header that a wrap cut before its end:
 * "[2020/03/01 19:00:29 264.1029 Driver" */
static int xp_header_cut(const char *s, size_t n)
{
	static const char shape[] = "[9999/99/99 99:99:99";
	if (n < sizeof shape || s[n - 1] == ']')
		return 0;
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == '9' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	return 1;
}

/* The indentation Windows writes before a Vista category: five spaces
 * ("     dvi:"), six before "cmd:" (the command line of the process that
 * logs: every "cmd:" line of the eight logs of ../shared/fixtures/setupapi,
 * Windows 10 1809 to 11 22621, 274 lines; every other category line,
 * 56613, has five). */
static size_t cat_indent(const char *s, size_t n)
{
	return SA_STARTS(s, n, "cmd:") ? 6 : 5;
}

/* A Vista section line that lost its ">>>" (or part of it). */
static int is_section_text(const char *s, size_t n)
{
	if (SA_STARTS(s, n, "Section start") ||
	    wf_sa_find(s, n < 40 ? n : 40, "Section start", 13))
		return 1;
	if (n < 3 || s[0] != '[' || is_bracket(s, n) || wf_sa_xp_is_header(s, n) ||
	    SA_STARTS(s, n, "[Exit"))
		return 0;
	/* a title: "[Device Install (...", "[Import Driver Package - ...",
	 * "[SetupCopyOEMInf - ..."; not an INF section name cut to the start
	 * of a line ("[vioser_Service_Inst]. Error = ...") */
	size_t i = 1;
	if (!isupper((unsigned char)s[1]))
		return 0;
	while (i < n && isalnum((unsigned char)s[i]))
		i++;
	return i == n || s[i] == ' ';
}

/* The fast path: a line as Windows writes it. */
static enum kind canonical(const char *s, size_t n)
{
	if (!n)
		return K_BRACKET;	/* empty: nothing to do */
	if (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')
		return K_NONE;
	switch (s[0]) {
	case ' ':
		if (n > 8 && !memcmp(s, "     ", 5) && s[5] >= 'a' && s[5] <= 'z')
			return is_cat(s + 5, n - 5) ? K_CAT : K_NONE;
		/* six spaces before "cmd:" (see cat_indent()) */
		return n > 11 && !memcmp(s, "      cmd: ", 11) ? K_CAT : K_NONE;
	case '>':
	case '<':
		return n > 5 && s[1] == s[0] && s[2] == s[0] && s[3] == ' ' ? K_MARK : K_NONE;
	case '!':
		return n > 5 && (!memcmp(s, "!!!  ", 5) || !memcmp(s, "!    ", 5)) ? K_BANG : K_NONE;
	case '#':
		return is_xp_code(s, n) ? K_XP : K_NONE;
	case '[':
		return n > 1 && (s[1] == 'B' || isdigit((unsigned char)s[1])) ? K_BRACKET : K_NONE;
	default:
		return K_NONE;
	}
}

/* ----------------------------------------------------------------------
 * cleaning
 */
static const struct { const char *ent; char c; } entities[] = {
	{ "&amp;", '&' }, { "&gt;", '>' }, { "&lt;", '<' }, { "&quot;", '"' },
	{ "&#39;", '\'' }, { "&#039;", '\'' }, { "&apos;", '\'' }, { "&#x27;", '\'' },
	{ "&nbsp;", ' ' }, { "&#34;", '"' }, { "&#62;", '>' }, { "&#60;", '<' },
};

/* Bytes clean() must look at: NUL, the wrap mark, tab, the lead bytes of
 * a no-break space, a BOM or a curly quote, and '&'.  Everything else is
 * copied as it is, eight bytes at a time while they are ASCII. */
static const unsigned char special[256] = {
	[0] = 1, [(unsigned char)WF_SA_WRAP_MARK] = 1, ['\t'] = 1, ['&'] = 1,
	[0xC2] = 1, [0xE2] = 1, [0xEF] = 1,
};

#define ONES	 0x0101010101010101ull
#define HIGHS	 0x8080808080808080ull
/* some byte of v is zero */
#define HASZERO(v) (((v) - ONES) & ~(v) & HIGHS)

/* Eight plain ASCII bytes: none high, none of NUL, mark, tab, '&'. */
static int plain8(const char *s)
{
	uint64_t v;
	memcpy(&v, s, 8);
	if (v & HIGHS)
		return 0;
	return !HASZERO(v) && !HASZERO(v ^ (ONES * (unsigned char)WF_SA_WRAP_MARK)) &&
	       !HASZERO(v ^ (ONES * '\t')) && !HASZERO(v ^ (ONES * '&'));
}

/* One special byte at s[i] (see special[]): writes what it stands for
 * into out[*o] and returns how many input bytes it used; *enc set when
 * it was text-encoding damage (an entity, a curly quote, a no-break or
 * typographic space). */
static size_t clean_one(const char *s, size_t n, size_t i, char *out, size_t *o,
			int *enc)
{
	unsigned char c = (unsigned char)s[i];
	if (c == 0 || c == (unsigned char)WF_SA_WRAP_MARK)
		return 1;
	if (c == '\t') {
		out[(*o)++] = ' ';
		return 1;
	}
	if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
		out[(*o)++] = ' ';	/* no-break space */
		*enc = 1;
		return 2;
	}
	if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBB &&
	    (unsigned char)s[i + 2] == 0xBF)
		return 3;		/* BOM inside the text */
	if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80) {
		unsigned char d = (unsigned char)s[i + 2];
		char r = d == 0x98 || d == 0x99 || d == 0x9A || d == 0xB2 ? '\'' :
			 d == 0x9C || d == 0x9D || d == 0x9E || d == 0xB3 ? '"' :
			 d == 0xAF || d == 0x89 || d == 0x8A ? ' ' : 0;
		if (r) {
			out[(*o)++] = r;
			*enc = 1;
			return 3;
		}
	}
	/* an entity ends with ';' within seven bytes: the '&'s of device ids
	 * ("PCI\VEN_8086&DEV_...") are not looked up */
	if (c == '&' && memchr(s + i, ';', n - i < 7 ? n - i : 7)) {
		for (size_t k = 0; k < sizeof entities / sizeof *entities; k++) {
			size_t m = strlen(entities[k].ent);
			if (n - i >= m && !memcmp(s + i, entities[k].ent, m)) {
				out[(*o)++] = entities[k].c;
				*enc = 1;
				return m;
			}
		}
	}
	out[(*o)++] = (char)c;
	return 1;
}

/* Copy s[0..n) into out (room WF_SA_LINE_MAX) cleaned; returns the length.
 * *width = characters of the raw text (what a wrapper counts): bytes that
 * are neither NUL nor UTF-8 continuation bytes.  *enc set as clean_one()
 * says. */
static size_t clean(const char *s, size_t n, char *out, size_t *width, int *enc)
{
	size_t o = 0, wd = 0, i = 0;
	while (i < n && o < WF_SA_LINE_MAX) {
		if (i + 8 <= n && o + 8 <= WF_SA_LINE_MAX && plain8(s + i)) {
			memcpy(out + o, s + i, 8);	/* the common case */
			o += 8;
			i += 8;
			wd += 8;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		if (!special[c]) {
			out[o++] = (char)c;
			wd += (c & 0xC0) != 0x80;
			i++;
			continue;
		}
		size_t used = clean_one(s, n, i, out, &o, enc);
		for (size_t k = 0; k < used; k++)
			wd += ((unsigned char)s[i + k] & 0xC0) != 0x80 && s[i + k];
		i += used;
	}
	for (; i < n; i++)	/* cut at WF_SA_LINE_MAX: still counted */
		wd += ((unsigned char)s[i] & 0xC0) != 0x80 && s[i];
	*width = wd;
	return o;
}

/* Strip leading spaces and quote marks; *gt = number of '>' seen, *sp =
 * spaces after the last one. */
static const char *unquote2(const char *s, size_t *n, unsigned *gt, size_t *sp)
{
	const char *e = s + *n;
	*gt = 0;
	*sp = 0;
	while (s < e && (*s == ' ' || *s == '>')) {
		*gt += *s == '>';
		*sp = *s == '>' ? 0 : *sp + 1;
		s++;
	}
	/* "<<<" is a marker; a mail never quotes with '<' */
	*n = (size_t)(e - s);
	return s;
}

static const char *unquote(const char *s, size_t *n, unsigned *gt)
{
	size_t sp;
	return unquote2(s, n, gt, &sp);
}

/* ----------------------------------------------------------------------
 * tool prefixes
 */
/* Shape of a prefix: digit runs become '9'. */
static size_t make_shape(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < SHAPE_MAX; i++) {
		if (isdigit((unsigned char)s[i])) {
			out[o++] = '9';
			while (i + 1 < n && isdigit((unsigned char)s[i + 1]))
				i++;
		} else {
			out[o++] = s[i] == '\t' ? ' ' : s[i];
		}
	}
	return o;
}

/* Length of s matched by the shape, 0 when it does not match. */
static size_t match_shape(const char *shape, size_t sl, const char *s, size_t n)
{
	size_t i = 0;
	for (size_t k = 0; k < sl; k++) {
		if (shape[k] == '9') {
			if (i >= n || !isdigit((unsigned char)s[i]))
				return 0;
			while (i < n && isdigit((unsigned char)s[i]))
				i++;
		} else if (shape[k] == ' ') {
			if (i >= n || (s[i] != ' ' && s[i] != '\t'))
				return 0;
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
		} else {
			if (i >= n || s[i] != shape[k])
				return 0;
			i++;
		}
	}
	return i;
}

/* The first number in s[0..n) (a prefix the shape matched). */
static unsigned long prefix_number(const char *s, size_t n)
{
	unsigned long v = 0;
	size_t i = 0;
	while (i < n && !isdigit((unsigned char)s[i]))
		i++;
	for (; i < n && isdigit((unsigned char)s[i]) && v < 100000000ul; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	return v;
}

/* Learn a prefix: its shape, and whether it is a line counter (one
 * number in it: "  42: ", "42 | "), from s[0..n), the prefix of a line. */
static void learn_prefix(struct wf_sa_norm *z, const char *s, size_t n)
{
	z->shape_len = make_shape(s, n, z->shape);
	const char *d = memchr(z->shape, '9', z->shape_len);
	z->counting = d && !memchr(d + 1, '9', z->shape_len - (size_t)(d + 1 - z->shape));
	z->counter = prefix_number(s, n);
}

/* May s[0..m), which the shape matched, be the tool's prefix?  A line
 * counter counts up, one a physical line, a few left out at most; a
 * wrapped line's continuation that starts with digits is not a numbered
 * line ("...Error 0xe" + "0000228: There are no compatible drivers"). */
static int prefix_fits(const struct wf_sa_norm *z, const char *s, size_t m)
{
	if (!m || !z->counting)
		return m > 0;
	unsigned long v = prefix_number(s, m);
	return v > z->counter && v - z->counter <= COUNTER_GAP;
}

/* The prefix s[0..m) was the tool's: its number is the last one seen. */
static void prefix_taken(struct wf_sa_norm *z, const char *s, size_t m)
{
	if (z->counting)
		z->counter = prefix_number(s, m);
	z->stripped++;
}

/* The line is the learnt prefix alone (its trailing spaces trimmed). */
static int only_prefix(struct wf_sa_norm *z, const char *s, size_t n)
{
	size_t sl = z->shape_len;
	while (sl && z->shape[sl - 1] == ' ')
		sl--;
	if (!sl || match_shape(z->shape, sl, s, n) != n || !prefix_fits(z, s, n))
		return 0;
	if (z->counting)
		z->counter = prefix_number(s, n);
	return 1;
}

/* A prefix that a program writes: no lower-case prose, something of a
 * timestamp, counter or tag in it. */
static int toolish(const char *s, size_t n)
{
	int mark = 0, words = 0, inword = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c) || c == '[' || c == ']' || c == '|' || c == ':' || c == '@')
			mark = 1;
		if (isalpha(c)) {
			if (!inword)
				words++;
			inword = 1;
		} else {
			inword = 0;
		}
	}
	return mark && words <= 4;
}

/* Find a SetupAPI entry after a tool's prefix; learn the prefix. Returns
 * the offset of the entry, 0 when none. */
static size_t find_prefix(struct wf_sa_norm *z, const char *s, size_t n)
{
	static const unsigned char sep[256] = {
		[' '] = 1, [']'] = 1, ['|'] = 1, [':'] = 1, ['\t'] = 1,
	};
	size_t lim = n < 96 ? n : 96;
	int words = 0, inword = 0;	/* of s[0..i), as toolish() counts */
	for (size_t i = 1; i < lim; i++) {
		unsigned char b = (unsigned char)s[i - 1];
		int alpha = isalpha(b) != 0;
		words += alpha && !inword;
		inword = alpha;
		if (words > 4)		/* toolish() refuses this and every longer one */
			break;
		if (i < 2 || !sep[b])
			continue;
		enum kind k = classify(s + i, n - i);
		if (k == K_NONE || k == K_HDR || !toolish(s, i))
			continue;
		/* a trailing run of spaces matches any number of spaces */
		learn_prefix(z, s, i);
		return i;
	}
	return 0;
}

/* ----------------------------------------------------------------------
 * joining
 */
static int has_id_char(const char *s, size_t n)
{
	return memchr(s, '\\', n) || memchr(s, '&', n);
}

/* The last token of pend / first token of s look like halves of one id. */
static int id_split(const char *p, size_t pn, const char *s, size_t n)
{
	if (!pn || !n || p[pn - 1] == ' ')
		return 0;
	size_t a = pn;
	while (a && p[a - 1] != ' ')
		a--;
	size_t b = 0;
	while (b < n && s[b] != ' ')
		b++;
	return has_id_char(p + a, pn - a) && has_id_char(s, b);
}

static int is_time(const char *s, size_t n)
{
	/* "20:06:28.203" */
	return n >= 8 && n <= 14 && isdigit((unsigned char)s[0]) && s[2] == ':' && s[5] == ':';
}

/* A soft wrap pushed s's first token (b characters) to a line of its own:
 * with it, the last line of the pending entry would have been wider than
 * every line of the paste so far (and than any width a wrapper uses).
 * ">>>  [Device Install" + "(UpdateDriverForPlugAndPlayDevices) -": a
 * short first part, when the entities of an HTML copy ("&gt;&gt;&gt;")
 * made it too wide for the long word after it. */
static int pushed_by_wrap(const struct wf_sa_norm *z, size_t b)
{
	size_t with = z->prev_raw + 1 + b;
	return with >= 40 && with > wf_sa_wrap_widest(z->wrap);
}

/* May s (a line that starts no entry) continue the pending entry? */
static int join_ok(const struct wf_sa_norm *z, const char *s, size_t n)
{
	if (!z->have || z->nconts >= MAX_CONTS || z->plen + 2 + n > WF_SA_LINE_MAX)
		return 0;
	size_t b = 0;
	while (b < n && s[b] != ' ')
		b++;
	int idish = has_id_char(s, b) || s[0] == '\'' || s[0] == '"';
	switch (z->pkind) {
	case K_MARK:
	case K_BANG:
	case K_CAT:
	case K_XP:
		return z->prev_raw >= 48 || n <= 32 || idish || is_time(s, n) ||
		       pushed_by_wrap(z, b);
	case K_XPHDR:	/* a header cut by the wrap */
		return z->plen && z->pend[z->plen - 1] != ']' && n < 40;
	case K_NONE:	/* Windows 2000 text, or prose: a cut id, or an id
			   or path pushed to the next line by a word wrap */
		return id_split(z->pend, z->plen, s, n) ||
		       (z->prev_raw >= 55 && memchr(s, '\\', b));
	default:
		return 0;
	}
}

static void flush(struct wf_sa_norm *z)
{
	if (!z->have)
		return;
	z->have = 0;
	wf_sa_wrap_emit(z->wrap, z->pline, z->pend, z->plen, z->plater);
}

static void set_pending(struct wf_sa_norm *z, unsigned long lineno,
			const char *s, size_t n, enum kind k, int copy)
{
	flush(z);
	if (copy) {
		memcpy(z->own, s, n);
		z->own[n] = '\0';
		s = z->own;
	}
	z->pend = s;
	z->plen = n;
	z->pline = lineno;
	z->pkind = k;
	z->have = 1;
	z->nconts = 0;
	z->plater = 0;
	z->prev_raw = z->cur_raw;
	z->prev_canon = z->cur_raw + z->cur_lost;
	z->prev_single = z->cur_single;
	z->prev_trail = z->cur_trail;
	z->prev_cont = 0;
	if (k == K_MARK || k == K_BANG || k == K_CAT || k == K_BRACKET)
		z->mode = 1;
	else if (k == K_XP || k == K_XPHDR)
		z->mode = 2;
}

/* A token made only of what ids are made of ("000]", "3&13c0b0c5&0&18") */
static int id_tail(const char *s, size_t n)
{
	size_t i = 0, al = 0;
	while (i < n && (isalnum((unsigned char)s[i]) || strchr("_&\\{}.#-", s[i])))
		al += !!isalnum((unsigned char)s[i++]);
	while (i < n && strchr("]})\"'.,;", s[i]))
		i++;
	return al && i == n;
}

/* An error code cut in two: "0x" and k hex digits end p, the other 8 - k
 * start s, where a word ends; or p ends with the "0" and s starts with
 * "x" and eight digits (Windows writes codes with eight digits:
 * "(0xe0000242)", "Error 0xe0000228:", "FAILURE(0xe0000203)"). */
static int hex_split(const char *p, size_t pn, const char *s, size_t n)
{
	size_t k = 0, m = 0;
	if (p[pn - 1] == '0' && (pn == 1 || !isalnum((unsigned char)p[pn - 2])) &&
	    s[0] == 'x') {
		s++;
		n--;
	} else {
		while (k < pn && isxdigit((unsigned char)p[pn - 1 - k]))
			k++;
		if (k + 2 > pn || p[pn - 1 - k] != 'x' || p[pn - 2 - k] != '0')
			return 0;
	}
	while (m < n && isxdigit((unsigned char)s[m]))
		m++;
	return k + m == 8 && (m == n || !isalnum((unsigned char)s[m]));
}

/* Both sides of a break look like parts of one id or path, or of an error
 * code: the guess when the kind of wrap is not known, see
 * setupapi_wrap.c. */
static int idish_split(const char *p, size_t pn, const char *s, size_t n)
{
	static const char idch[] = "\\&_{}";
	if (!pn || !n || p[pn - 1] == ' ' || s[0] == ' ')
		return 0;
	if (hex_split(p, pn, s, n))
		return 1;
	size_t a = pn, b = 0;
	while (a && p[a - 1] != ' ')
		a--;
	while (b < n && s[b] != ' ')
		b++;
	int pid = strcspn(p + a, idch) < pn - a, sid = strcspn(s, idch) < b;
	return (pid && sid) || (pid && id_tail(s, b)) || (sid && id_tail(p + a, pn - a));
}

static void join(struct wf_sa_norm *z, const char *s, size_t n)
{
	if (z->pend != z->own) {
		memmove(z->own, z->pend, z->plen);
		z->pend = z->own;
	}
	wf_sa_wrap_seen_log(z->wrap, z->cur_raw);	/* a line of the log's */
	unsigned flags = (z->prev_single ? WF_SA_BRK_SINGLE : 0) |
			 (idish_split(z->pend, z->plen, s, n) ? WF_SA_BRK_IDSPLIT : 0) |
			 (z->prev_trail || z->cur_lead ? WF_SA_BRK_WS : 0) |
			 (z->prev_cont ? WF_SA_BRK_CONT : 0) |
			 (n && (s[0] == ']' || s[0] == ')') ? WF_SA_BRK_GLUE : 0);
	int how = wf_sa_wrap_break(z->wrap, z->prev_raw, z->prev_canon, flags);
	if (how == WF_SA_BRK_SPACE && z->plen)
		z->own[z->plen++] = ' ';
	else if (how == WF_SA_BRK_LATER) {
		z->own[z->plen++] = WF_SA_WRAP_MARK;
		z->plater = 1;
	}
	size_t cut = z->plen;
	memcpy(z->own + z->plen, s, n);
	z->plen += n;
	if (how == WF_SA_BRK_NOSPACE)
		z->plen = wf_sa_wrap_fix_entity(z->own, z->plen, cut);
	z->own[z->plen] = '\0';
	z->nconts++;
	z->prev_raw = z->cur_raw;
	/* a hard wrap that cut just before a space, the space then taken by
	 * a mail archive with the indentation: one column short */
	z->prev_canon = z->cur_raw + !z->cur_lead;
	z->prev_cont = !z->cur_lead;
	z->prev_single = z->cur_single;
	z->prev_trail = z->cur_trail;
	z->joined++;
}

/* ----------------------------------------------------------------------
 * one physical line
 */
/* A category line at the left margin, in a paste whose category lines
 * keep their indentation or a tool's prefix, or in an XP log, which has
 * no categories: a hard wrap cut a word before a colon ("Device has prob"
 * + "lem: 0x27 (CM_PROB_DRIVER_FAILED_LOAD)"), and it continues the
 * pending entry when it may.  (A mail archive that strips indentation
 * leaves every category line at the margin: then it is one.) */
static int cat_is_wrapped(const struct wf_sa_norm *z, const char *s, size_t n)
{
	return z->margin_kept && !z->margin_cats && join_ok(z, s, n);
}

/* What an entry line (kind k) says of the left margin: see
 * cat_is_wrapped(). */
static void note_margin(struct wf_sa_norm *z, enum kind k, int prefixed, size_t lead)
{
	if (k == K_NONE)
		return;
	if (prefixed || k == K_XP || (k == K_CAT && lead))
		z->margin_kept = 1;
	else if (k == K_CAT)
		z->margin_cats = 1;
}

/* A tool's prefix at *c: the learnt one, or one learnt here; strip it and
 * the quoting after it.  Returns 1 when there was one. */
static int strip_prefix(struct wf_sa_norm *z, const char **c, size_t *n, unsigned *gt)
{
	size_t m = z->shape_len ? match_shape(z->shape, z->shape_len, *c, *n) : 0;
	if (!prefix_fits(z, *c, m))
		m = find_prefix(z, *c, *n);
	if (!m)
		return 0;
	prefix_taken(z, *c, m);
	*c += m;
	*n -= m;
	*c = unquote(*c, n, gt);
	return 1;
}

static void full_line(struct wf_sa_norm *z, unsigned long lineno,
		      const char *raw, size_t rn);

void wf_sa_norm_line(struct wf_sa_norm *z, unsigned long lineno,
		     const char *s, size_t n)
{
	z->lines++;
	if (z->lines > WF_SA_NORM_FULL && !z->encoded) {
		enum kind k = canonical(s, n);
		if (k != K_NONE) {
			if (!n) {
				flush(z);
				return;
			}
			z->cur_raw = n;
			z->cur_lost = 0;
			z->cur_single = z->cur_trail = 0;
			set_pending(z, lineno, s, n, k, 0);
			return;
		}
	}
	/* a lone CR inside the line: old Mac line ends, or mixed */
	const char *cr = memchr(s, '\r', n);
	if (cr) {
		while (cr) {
			full_line(z, lineno, s, (size_t)(cr - s));
			n -= (size_t)(cr - s) + 1;
			s = cr + 1;
			cr = memchr(s, '\r', n);
		}
	}
	full_line(z, lineno, s, n);
}

static void full_line(struct wf_sa_norm *z, unsigned long lineno,
		      const char *raw, size_t rn)
{
	size_t n = clean(raw, rn, z->work, &z->cur_raw, &z->encoded);
	char *s = z->work;
	wf_sa_wrap_seen(z->wrap, z->cur_raw);
	z->cur_trail = n && s[n - 1] == ' ';
	while (n && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	unsigned gt = 0;
	size_t lead = 0, sp = 0;
	const char *c = s;
	while (n && *c == ' ') {
		c++;
		n--;
		lead++;
	}
	/* ">>>  x" as Windows writes it; anything else with '>' is quoting */
	if (!(n > 4 && c[0] == '>' && c[1] == '>' && c[2] == '>' && c[3] == ' ' &&
	      c[4] != '>'))
		c = unquote2(c, &n, &gt, &sp);
	/* the indentation seen: a quote's own space is not part of it */
	lead = gt ? (sp ? sp - 1 : 0) : lead;
	z->cur_lead = lead > 0;
	z->cur_lost = 0;
	if (!n) {		/* blank: ends a paragraph */
		flush(z);
		return;
	}
	if (SA_STARTS(c, n, "```") || SA_STARTS(c, n, "~~~")) {
		flush(z);
		z->dropped++;
		return;
	}
	if (only_prefix(z, c, n)) {	/* "  42: " of a blank line */
		flush(z);
		return;
	}
	enum kind k = classify(c, n);
	int prefixed = k == K_NONE && strip_prefix(z, &c, &n, &gt);
	if (prefixed)
		k = classify(c, n);
	if (k == K_NONE && (gt || SA_STARTS(c, n, "[Device Install (")) &&
	    is_section_text(c, n)) {
		/* the quoting ate the ">>>": put it back */
		size_t at = (size_t)(c - z->work);
		z->cur_lost = at < 5 ? 5 - at : 0;
		memmove(z->tmp + 5, c, n);
		memcpy(z->tmp, ">>>  ", 5);
		memcpy(z->work, z->tmp, n + 5);
		c = z->work;
		n += 5;
		k = K_MARK;
	}
	if (k == K_XP && c[0] == '@') {	/* XP verbose time stamp */
		const char *h = memchr(c, '#', n);
		n -= (size_t)(h - c);
		c = h;
	}
	z->cur_single = !memchr(c, ' ', n);
	if (k == K_CAT && !prefixed && !lead && cat_is_wrapped(z, c, n))
		k = K_NONE;
	note_margin(z, k, prefixed, lead);
	if (k == K_CAT && !prefixed && lead < cat_indent(c, n))
		z->cur_lost = cat_indent(c, n) - lead;	/* "dvi:" was "     dvi:" */
	if (k != K_NONE) {
		wf_sa_wrap_seen_log(z->wrap, z->cur_raw);
		set_pending(z, lineno, c, n, k, 1);
		return;
	}
	/* not an entry start: continuation, a tool's own line or text */
	size_t tm = z->shape_len && !prefixed ?
		    match_shape(z->shape, z->shape_len < 3 ? z->shape_len : 3, c, n) : 0;
	int toolline = prefix_fits(z, c, tm);
	if (prefixed || toolline)
		wf_sa_wrap_seen_log(z->wrap, z->cur_raw);
	if (!prefixed && !toolline && join_ok(z, c, n)) {
		join(z, c, n);
		return;
	}
	set_pending(z, lineno, c, n, K_NONE, 1);
}

void wf_sa_norm_finish(struct wf_sa_norm *z)
{
	flush(z);
	wf_sa_wrap_finish(z->wrap);
}
