/*
 * setupapi.c - SetupAPI text log reader: encodings and lines, section
 * records, the Vista-and-later format.  The XP / 2000 format is in
 * setupapi_xp.c.  See setupapi.h.
 *
 * Format references: Microsoft Learn, "Format of a Text Log Section" (header
 * ">>>  [title - instance]", ">>>  time Section start", footer
 * "<<<  [time: Section end]" / "<<<  [Exit Status(0x...)]") and "Format of a
 * Text Log Section Body" (entry prefixes "!!!  " error, "!    " warning,
 * "     " information; event categories; 336-character entries).  Real
 * Windows 10/11 logs write "<<<  Section end <time>" and
 * "<<<  [Exit status: SUCCESS|FAILURE(0x...)]"; both forms are accepted.
 */
#include "setupapi_priv.h"
#include "errcodes.h"
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1u << 20)

/* ======================================================================
 * names
 */
const char *wf_sa_format_name(enum wf_sa_format f)
{
	switch (f) {
	case WF_SA_FMT_VISTA: return "vista";
	case WF_SA_FMT_XP: return "xp";
	case WF_SA_FMT_W2K: return "w2k";
	default: return "unknown";
	}
}

const char *wf_sa_encoding_name(enum wf_sa_encoding e)
{
	switch (e) {
	case WF_SA_ENC_UTF8_BOM: return "utf-8-bom";
	case WF_SA_ENC_UTF16LE: return "utf-16le";
	case WF_SA_ENC_UTF16BE: return "utf-16be";
	default: return "utf-8";
	}
}

static const char *const event_names[WF_SA_EV__COUNT] = {
	[WF_SA_EV_NULL_DRIVER] = "null-driver",
	[WF_SA_EV_NO_COMPAT] = "no-compat",
	[WF_SA_EV_PROBLEM] = "problem",
	[WF_SA_EV_SIGNATURE] = "signature",
	[WF_SA_EV_STORE_FAIL] = "store-fail",
	[WF_SA_EV_INTERRUPT] = "interrupt",
	[WF_SA_EV_ERROR] = "error",
	[WF_SA_EV_BOOT] = "boot",
};

const char *wf_sa_event_name(enum wf_sa_event_kind k)
{
	return (unsigned)k < WF_SA_EV__COUNT ? event_names[k] : "?";
}

/* ======================================================================
 * 1. reader: bytes -> lines
 */
struct wf_sa_reader {
	FILE *f;
	enum wf_sa_encoding enc;
	int started, eof;
	unsigned char *raw;		/* bytes read */
	size_t raw_len;
	unsigned char *dec;		/* UTF-16 decoded to UTF-8 */
	unsigned char *buf;		/* = raw (bytes) or dec (UTF-16) */
	size_t len, pos;
	char *carry;			/* a line spanning reads */
	size_t clen;
	int ccut, in_carry;
	unsigned long lineno, long_lines;
	unsigned long long bytes;
	int odd, have_odd;		/* UTF-16: pending odd byte */
	int be;				/* UTF-16 big-endian */
	char sep;			/* line separator: '\n', or '\r' (old Mac) */
	const char **keep;		/* a line the caller still holds */
	size_t keep_len;
	char *keepbuf;
	unsigned char odd_byte;
	unsigned hi;			/* UTF-16: pending high surrogate */
};

struct wf_sa_reader *wf_sa_reader_new(FILE *f)
{
	struct wf_sa_reader *r = wf_xcalloc(1, sizeof *r);
	r->f = f;
	r->raw = wf_xmalloc(CHUNK + 1);
	r->carry = wf_xmalloc(WF_SA_LINE_MAX + 1);
	r->buf = r->raw;
	r->sep = '\n';
	r->keepbuf = wf_xmalloc(WF_SA_LINE_MAX + 1);
	return r;
}

void wf_sa_reader_free(struct wf_sa_reader *r)
{
	if (!r)
		return;
	free(r->raw);
	free(r->dec);
	free(r->carry);
	free(r->keepbuf);
	free(r);
}

size_t wf_sa_put_utf8(unsigned char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decode r->raw[from..raw_len) as UTF-16LE into r->dec. */
static void decode_utf16(struct wf_sa_reader *r, size_t from)
{
	unsigned char *o = r->dec;
	const unsigned char *s = r->raw + from, *end = r->raw + r->raw_len;
	size_t n = 0;
	for (;;) {
		unsigned u;
		if (r->have_odd) {
			if (s >= end)
				break;
			u = r->be ? ((unsigned)r->odd_byte << 8) | *s : r->odd_byte | ((unsigned)*s << 8);
			s++;
			r->have_odd = 0;
		} else {
			if (end - s < 2) {
				if (s < end) {
					r->odd_byte = *s++;
					r->have_odd = 1;
				}
				break;
			}
			u = r->be ? ((unsigned)s[0] << 8) | s[1] : s[0] | ((unsigned)s[1] << 8);
			s += 2;
		}
		if (u >= 0xD800 && u < 0xDC00) {
			if (r->hi)
				n += wf_sa_put_utf8(o + n, 0xFFFD);
			r->hi = u;
			continue;
		}
		if (u >= 0xDC00 && u < 0xE000) {
			if (r->hi)
				n += wf_sa_put_utf8(o + n, 0x10000 + ((r->hi - 0xD800) << 10) + (u - 0xDC00));
			else
				n += wf_sa_put_utf8(o + n, 0xFFFD);
			r->hi = 0;
			continue;
		}
		if (r->hi) {
			n += wf_sa_put_utf8(o + n, 0xFFFD);
			r->hi = 0;
		}
		n += wf_sa_put_utf8(o + n, u);
	}
	r->len = n;
	r->pos = 0;
}

void wf_sa_reader_keep(struct wf_sa_reader *r, const char **line, size_t len)
{
	r->keep = line;
	r->keep_len = len;
}

static int inside(const void *p, const void *base, size_t n)
{
	return base && (const char *)p >= (const char *)base &&
	       (const char *)p <= (const char *)base + n;
}

/* The buffers are about to be reused: copy the line the caller holds. */
static void keep_out(struct wf_sa_reader *r)
{
	if (!r->keep || !*r->keep)
		return;
	const char *p = *r->keep;
	if (inside(p, r->raw, CHUNK) || inside(p, r->carry, WF_SA_LINE_MAX) ||
	    inside(p, r->dec, CHUNK / 2 * 3 + 16)) {
		memcpy(r->keepbuf, p, r->keep_len);
		r->keepbuf[r->keep_len] = '\0';
		*r->keep = r->keepbuf;
	}
	r->keep = NULL;
}

/* Read the next chunk; 0 at EOF, -1 on error. */
static int fill(struct wf_sa_reader *r)
{
	keep_out(r);
	size_t n = fread(r->raw, 1, CHUNK, r->f);
	if (n == 0) {
		if (ferror(r->f))
			return -1;
		r->eof = 1;
		if (r->enc == WF_SA_ENC_UTF16LE && (r->have_odd || r->hi)) {
			r->odd = r->have_odd;
			r->have_odd = 0;
			if (r->hi) {	/* lone high surrogate at the end */
				r->len = wf_sa_put_utf8(r->dec, 0xFFFD);
				r->pos = 0;
				r->hi = 0;
				return 1;
			}
		}
		return 0;
	}
	r->bytes += n;
	r->raw_len = n;
	size_t skip = 0;
	if (!r->started) {
		r->started = 1;
		const unsigned char *b = r->raw;
		if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
			r->enc = WF_SA_ENC_UTF8_BOM;
			skip = 3;
		} else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
			r->enc = WF_SA_ENC_UTF16LE;
			skip = 2;
		} else if (n >= 4 && b[0] && !b[1] && b[2] && !b[3] &&
			   b[0] < 0x80 && b[2] < 0x80) {
			r->enc = WF_SA_ENC_UTF16LE;	/* no BOM: "[\0D\0" */
		} else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
			r->enc = WF_SA_ENC_UTF16BE;
			skip = 2;
		} else if (n >= 4 && !b[0] && b[1] && !b[2] && b[3] &&
			   b[1] < 0x80 && b[3] < 0x80) {
			r->enc = WF_SA_ENC_UTF16BE;	/* no BOM: "\0[\0D" */
		}
		if (r->enc == WF_SA_ENC_UTF16BE) {
			r->be = 1;
			r->enc = WF_SA_ENC_UTF16LE;	/* the same decoder */
		}
		if (r->enc != WF_SA_ENC_UTF16LE && !memchr(b, '\n', n) && memchr(b, '\r', n))
			r->sep = '\r';	/* CR-only line ends */
		if (r->enc == WF_SA_ENC_UTF16LE) {
			/* each 2 input bytes give at most 3 output bytes */
			r->dec = wf_xmalloc(CHUNK / 2 * 3 + 16);
			r->buf = r->dec;
		}
	}
	if (r->enc == WF_SA_ENC_UTF16LE) {
		decode_utf16(r, skip);
	} else {
		r->len = n;
		r->pos = skip;
	}
	return 1;
}

static void carry_add(struct wf_sa_reader *r, const unsigned char *s, size_t n)
{
	keep_out(r);
	size_t room = WF_SA_LINE_MAX - r->clen;
	if (n > room) {
		n = room;
		r->ccut = 1;
	}
	memcpy(r->carry + r->clen, s, n);
	r->clen += n;
	r->in_carry = 1;
}

static int emit(struct wf_sa_reader *r, char *s, size_t n, int cut,
		char **line, size_t *len)
{
	if (n > WF_SA_LINE_MAX) {
		n = WF_SA_LINE_MAX;
		cut = 1;
	}
	if (n && s[n - 1] == '\r')
		n--;
	s[n] = '\0';
	r->long_lines += cut;
	r->lineno++;
	*line = s;
	*len = n;
	return 1;
}

int wf_sa_reader_next(struct wf_sa_reader *r, char **line, size_t *len)
{
	for (;;) {
		if (r->pos < r->len) {
			unsigned char *s = r->buf + r->pos;
			size_t avail = r->len - r->pos;
			unsigned char *nl = memchr(s, r->sep, avail);
			if (nl) {
				size_t n = (size_t)(nl - s);
				r->pos += n + 1;
				if (!r->in_carry)
					return emit(r, (char *)s, n, 0, line, len);
				carry_add(r, s, n);
				int cut = r->ccut;
				size_t cl = r->clen;
				r->clen = 0;
				r->ccut = 0;
				r->in_carry = 0;
				return emit(r, r->carry, cl, cut, line, len);
			}
			carry_add(r, s, avail);
			r->pos = r->len;
		}
		if (r->eof)
			goto at_eof;
		int k = fill(r);
		if (k < 0)
			return -1;
		if (k == 0)
			goto at_eof;
	}
at_eof:
	if (r->in_carry) {
		int cut = r->ccut;
		size_t cl = r->clen;
		r->clen = 0;
		r->ccut = 0;
		r->in_carry = 0;
		return emit(r, r->carry, cl, cut, line, len);
	}
	return 0;
}

unsigned long wf_sa_reader_lineno(const struct wf_sa_reader *r) { return r->lineno; }
enum wf_sa_encoding wf_sa_reader_encoding(const struct wf_sa_reader *r) { return r->enc; }
unsigned long long wf_sa_reader_bytes(const struct wf_sa_reader *r) { return r->bytes; }
unsigned long wf_sa_reader_long_lines(const struct wf_sa_reader *r) { return r->long_lines; }
int wf_sa_reader_odd_tail(const struct wf_sa_reader *r) { return r->odd; }
int wf_sa_reader_big_endian(const struct wf_sa_reader *r) { return r->be; }

/* ======================================================================
 * Vista and later
 */
static void vista_footer(struct wf_sa_parser *p, unsigned long lineno,
			 const char *line, size_t len)
{
	struct wf_sa_record *r = p->rec;
	const char *m = line + 3;
	size_t n = len - 3;
	r->last_line = lineno;
	if (wf_sa_ci_find(m, n, "Section end"))
		return;
	const char *ex = wf_sa_ci_find(m, n, "[Exit");
	if (!ex)
		return;
	uint32_t code = 0;
	int has = wf_sa_hex_after(ex, (size_t)(m + n - ex), NULL, &code);
	r->exit_line = lineno;
	wf_sa_clean_text(r->exit_text, sizeof r->exit_text, line, len);
	if (wf_sa_ci_find(m, n, "FAILURE") || (has && code != 0 &&
				wf_code_role(code) != WF_CODE_NOISE)) {
		r->exit = WF_SA_EXIT_FAILURE;
		r->exit_code = code;
	} else {
		r->exit = WF_SA_EXIT_SUCCESS;
		r->exit_code = has ? code : 0;
	}
	wf_sa_close_section(p);
}

/* The " - " between a section's title and its instance ("Device Install
 * (Hardware initiated) - PCI\VEN_..."); *dn = its length.  Or, when there
 * is none, a dash with a space on one side only: a hard wrap of a paste
 * cut on the other space and a mail archive took it with the indentation
 * ("(Hardware initiated)" + " - ROOT\..." became "...initiated)- ROOT\...");
 * no title of the fixture logs without " - " has a dash.  NULL when there
 * is no dash. */
static const char *title_dash(const char *m, size_t n, size_t *dn)
{
	for (size_t i = 0; i + 2 < n; i++)
		if (m[i] == ' ' && m[i + 1] == '-' && m[i + 2] == ' ') {
			*dn = 3;
			return m + i;
		}
	for (size_t i = 1; i + 1 < n; i++)
		if (m[i] == '-' && (m[i - 1] == ' ') != (m[i + 1] == ' ')) {
			*dn = 2;
			return m[i - 1] == ' ' ? m + i - 1 : m + i;
		}
	return NULL;
}

static void vista_section(struct wf_sa_parser *p, unsigned long lineno,
			  const char *line, size_t len)
{
	const char *m = line + 3;
	size_t n = len - 3;
	while (n && *m == ' ') {
		m++;
		n--;
	}
	if (n && *m == '[') {	/* >>>  [title - instance] */
		wf_sa_open_section(p, lineno, line, len);
		struct wf_sa_record *r = p->rec;
		r->format = WF_SA_FMT_VISTA;
		m++;
		n--;
		const char *close = memrchr(m, ']', n);
		if (close)
			n = (size_t)(close - m);
		size_t dn;
		const char *dash = title_dash(m, n, &dn);
		if (dash) {
			wf_sa_clean_text(r->title, sizeof r->title, m, (size_t)(dash - m));
			const char *inst = dash + dn;
			wf_sa_clean_text(r->instance, sizeof r->instance, inst,
					 (size_t)(m + n - inst));
			if (wf_sa_is_device_id(r->instance)) {
				memcpy(r->device, r->instance, WF_SA_ID_MAX);
				memcpy(p->cur_device, r->instance, WF_SA_ID_MAX);
			}
		} else {
			wf_sa_clean_text(r->title, sizeof r->title, m, n);
		}
		return;
	}
	if (p->open) {		/* >>>  Section start <time> */
		const char *ss = wf_sa_ci_find(m, n, "Section start");
		const char *t = m;
		size_t tn = n;
		if (ss == m) {
			t = m + 13;
			tn = n - 13;
		} else if (ss) {
			tn = (size_t)(ss - m);
		}
		while (tn && (*t == ' ')) {
			t++;
			tn--;
		}
		while (tn && (t[tn - 1] == ' ' || t[tn - 1] == ':'))
			tn--;
		wf_sa_clean_text(p->rec->start, sizeof p->rec->start, t, tn);
		p->rec->last_line = lineno;
	}
}

/* The last "exit" starting in the last 52 bytes of m[0..n), or NULL:
 * the 'x's are found from the end with memrchr. */
static const char *find_exit(const char *m, size_t n)
{
	if (n < 4)
		return NULL;
	size_t lo = n > 52 ? n - 52 : 0;	/* 'e' at lo .. n-4 */
	const char *base = m + lo + 1;		/* 'x' at lo+1 .. n-3 */
	size_t len = n - 3 - lo;
	while (len) {
		const char *x = memrchr(base, 'x', len);
		if (!x)
			return NULL;
		if (x[-1] == 'e' && x[1] == 'i' && x[2] == 't')
			return x - 1;
		len = (size_t)(x - base);
	}
	return NULL;
}

/* "{Configure Device - X}", "{Driver Setup Update Device: X}", ... */
static void vista_block(struct wf_sa_parser *p, unsigned long lineno,
			const char *line, size_t len, const char *m, size_t n)
{
	static const char *const dev_blocks[] = {
		"{Configure Device - ", "{Install Device - ",
		"{Installing device - ", "{Select Drivers - ",
		"{Driver Setup Update Device: ", "{Device Install - ",
		"{Restarting Device - ",
	};
	/* "- exit(0x...)} time", ": exit(0x...)}", " exit}": near the end */
	const char *ex = find_exit(m, n);
	if (!ex) {
		for (size_t i = 0; i < sizeof dev_blocks / sizeof *dev_blocks; i++)
			if (n > 2 && m[1] == dev_blocks[i][1] && m[2] == dev_blocks[i][2] &&
			    wf_sa_starts(m, n, dev_blocks[i])) {
				size_t k = strlen(dev_blocks[i]);
				wf_sa_set_device(p, m + k, n - k);
				return;
			}
		/* "ump: {Plug and Play Service: Device Install for X}", the
		 * only block that says it in the fixture logs (17 lines): the
		 * search is made in the blocks that start with 'P' */
		const char *f = n > 1 && m[1] == 'P' ? SA_FIND(m, n, "Device Install for ") : NULL;
		if (f) {
			wf_sa_set_device(p, f + 19, (size_t)(m + n - f - 19));
			return;
		}
		if (SA_STARTS(m, n, "{Add Service: "))
			wf_sa_add_service(p, m + 14, n - 14);
		else if (SA_STARTS(m, n, "{Configure Driver Package: ") && !p->rec->driver[0])
			wf_sa_set_driver(p, m + 27, n - 27);
		return;
	}
	/* "exit(0x00000000)": success, by far the most common; the general
	 * reading below would find the same code 0 */
	if ((size_t)(m + n - ex) >= 16 && !memcmp(ex + 4, "(0x00000000)", 12))
		return;
	uint32_t code;
	if (!wf_sa_hex_after(ex, (size_t)(m + n - ex), NULL, &code) || code == 0)
		return;
	if (wf_code_role(code) == WF_CODE_NOISE)
		return;
	unsigned flags = wf_code_flags(code);
	int k = wf_sa_kind_of_code(code, flags);
	int store = wf_sa_ci_find(m, (size_t)(ex - m), "import") ||
		    wf_sa_ci_find(m, (size_t)(ex - m), "Stage Driver Package");
	if (k >= 0)
		wf_sa_add_event(p, (enum wf_sa_event_kind)k, lineno, line, len, code, 0);
	if (store && k != WF_SA_EV_STORE_FAIL)
		wf_sa_add_event(p, WF_SA_EV_STORE_FAIL, lineno, line, len, code, 0);
	if (k < 0 && !store)
		wf_sa_add_event(p, WF_SA_EV_ERROR, lineno, line, len, code, 0);
}

static void vista_info(struct wf_sa_parser *p, unsigned long lineno,
		       const char *line, size_t len, const char *m, size_t n)
{
	switch (*m) {
	case '{':
		vista_block(p, lineno, line, len, m, n);
		return;
	case 'S':
		if (SA_STARTS(m, n, "Searching for hardware ID")) {
			p->list = 1;
			p->list_indent = (size_t)(m - line);
		} else if (SA_STARTS(m, n, "Searching for compatible ID")) {
			p->list = 2;
			p->list_indent = (size_t)(m - line);
		}
		return;
	case 'D':
		if (SA_STARTS(m, n, "Device Status:") ||
		    SA_STARTS(m, n, "Device has problem") ||
		    SA_STARTS(m, n, "Device not started"))
			wf_sa_problem_line(p, lineno, line, len, m, n);
		else if (wf_sa_null_driver_text(m, n))
			wf_sa_add_event(p, WF_SA_EV_NULL_DRIVER, lineno, line, len, 0, 0);
		return;
	case 'I':
		if (n > 18 && (m[7] == ' ' || m[7] == 'i' || m[7] == 'e') &&
		    wf_sa_null_driver_text(m, n)) {
			wf_sa_add_event(p, WF_SA_EV_NULL_DRIVER, lineno, line, len, 0, 0);
		} else if (SA_STARTS(m, n, "InfFile")) {
			const char *b = memchr(m, '[', n);
			if (b)
				wf_sa_set_driver(p, b, (size_t)(m + n - b));
		} else if (SA_STARTS(m, n, "Installing best driver (")) {
			wf_sa_set_driver(p, m + 23, n - 23);
			const char *d = wf_sa_ci_find(m, n, "on device '");
			if (d)
				wf_sa_set_device(p, d + 11, (size_t)(m + n - d - 11));
		}
		return;
	case 'C':
		if (SA_STARTS(m, n, "Created new service '"))
			wf_sa_add_service(p, m + 20, n - 20);
		return;
	default:
		return;
	}
}

/* Past the spaces at m (four at a time: logs indent by runs of them). */
static inline const char *skip_spaces(const char *m, const char *end)
{
	while (end - m >= 4 && !memcmp(m, "    ", 4))
		m += 4;
	while (m < end && *m == ' ')
		m++;
	return m;
}

static void vista_body(struct wf_sa_parser *p, unsigned long lineno,
		       const char *line, size_t len)
{
	const char *m = line, *end = line + len;
	int level = 0;		/* 0 info, 1 warning, 2 error */
	if (*m == '!') {
		level = len >= 3 && m[1] == '!' && m[2] == '!' ? 2 : 1;
		m += level == 2 ? 3 : 1;
	}
	m = skip_spaces(m, end);
	/* category "dvi:" / "ui :" (up to 4 characters and a colon) */
	const char *c = m;
#define LC_OR_SP(x) (((x) >= 'a' && (x) <= 'z') || (x) == ' ')
	if (end - m >= 4 && m[3] == ':' && m[0] >= 'a' && m[0] <= 'z' &&
	    LC_OR_SP(m[1]) && LC_OR_SP(m[2]))
		c = m + 3;	/* "dvi:", the common case: what the loop finds */
#undef LC_OR_SP
	else
		while (c < end && c - m < 4 && ((*c >= 'a' && *c <= 'z') || *c == ' '))
			c++;
	if (c < end && *c == ':' && c > m)
		m = c + 1;
	m = skip_spaces(m, end);
	size_t n = (size_t)(end - m);
	if (!n)
		return;
	if (p->list) {
		/* an id has no space; indentation is often lost in pastes */
		if (level == 0 && !memchr(m, ' ', n)) {
			wf_sa_add_id(p, p->list, m, n);
			return;
		}
		p->list = 0;
	}
	if (level == 0) {
		vista_info(p, lineno, line, len, m, n);
		return;
	}
	if ((SA_FIND(m, n, "ULL ") || SA_FIND(m, n, "ull ")) &&
	    wf_sa_ci_find(m, n, "null driver")) {
		if (wf_sa_null_driver_text(m, n))
			wf_sa_add_event(p, WF_SA_EV_NULL_DRIVER, lineno, line, len, 0, level == 2);
		return;
	}
	if (SA_FIND(m, n, "has problem:") || SA_STARTS(m, n, "Device Status:")) {
		wf_sa_problem_line(p, lineno, line, len, m, n);
		return;
	}
	if (*m == '{') {
		vista_block(p, lineno, line, len, m, n);
		return;
	}
	wf_sa_error_line(p, lineno, line, len, m, n, level == 2);
}

/* Header lines before the first section: "OS Version = 10.0.10240".
 * Returns 1 for a header line. */
static int header_line(struct wf_sa_parser *p, const char *m, size_t n)
{
	static const char *const other_keys[] = {
		"Service Pack = ", "Suite = ", "ProductType = ", "Product Type = ",
		"Platform ID = ",
	};
	while (n && *m == ' ') {
		m++;
		n--;
	}
	if (SA_STARTS(m, n, "OS Version = ")) {
		if (!p->info.os_version[0])
			wf_sa_clean_text(p->info.os_version, sizeof p->info.os_version,
					 m + 13, n - 13);
		return 1;
	}
	if (SA_STARTS(m, n, "Architecture = ")) {
		if (!p->info.arch[0])
			wf_sa_clean_text(p->info.arch, sizeof p->info.arch, m + 15, n - 15);
		return 1;
	}
	for (size_t i = 0; i < sizeof other_keys / sizeof *other_keys; i++)
		if (wf_sa_starts(m, n, other_keys[i]))
			return 1;
	return SA_STARTS(m, n, "[BeginLog]");
}

/* ======================================================================
 * parser entry points
 */
struct wf_sa_parser *wf_sa_parser_new(wf_sa_record_fn fn, void *arg)
{
	struct wf_sa_parser *p = wf_xcalloc(1, sizeof *p);
	p->fn = fn;
	p->arg = arg;
	p->rec = wf_xcalloc(1, sizeof *p->rec);
	p->in_header = 1;
	return p;
}

void wf_sa_parser_free(struct wf_sa_parser *p)
{
	if (!p)
		return;
	free(p->rec);
	free(p);
}

const struct wf_sa_info *wf_sa_parser_info(const struct wf_sa_parser *p)
{
	return &p->info;
}

static void set_format(struct wf_sa_parser *p, enum wf_sa_format f)
{
	if (p->info.format == WF_SA_FMT_UNKNOWN ||
	    (p->info.format == WF_SA_FMT_W2K && f == WF_SA_FMT_XP))
		p->info.format = f;
}

/* A Vista body line: "dvi: ...", "!!!  sto: ...", "!    dvi: ...". */
static inline int vista_body_like(const char *s, size_t n)
{
	/* "     dvi: " as Windows writes it: the answer without the loops */
	if (n > 9 && !memcmp(s, "     ", 5) && s[5] >= 'a' && s[5] <= 'z' &&
	    s[8] == ':' && s[9] == ' ' && s[6] >= 'a' && s[6] <= 'z' &&
	    ((s[7] >= 'a' && s[7] <= 'z') || s[7] == ' '))
		return 1;
	const char *t = skip_spaces(s, s + n);
	n -= (size_t)(t - s);
	s = t;
	if (n && *s == '!') {	/* "!!!  dvi:" / "!    dvi:": a category follows */
		size_t k = n >= 3 && s[1] == '!' && s[2] == '!' ? 3 : 1;
		if (k >= n || s[k] != ' ')
			return 0;
		s += k;
		n -= k;
		while (n && *s == ' ') {
			s++;
			n--;
		}
	}
	/* "dvi: " / "ui : " (see is_cat() in setupapi_norm.c) */
	return n >= 4 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
	       ((s[2] >= 'a' && s[2] <= 'z') || s[2] == ' ') && s[3] == ':' &&
	       (n == 4 || s[4] == ' ');
}

static int xp_code_like(const char *s, size_t n)
{
	return n >= 5 && s[0] == '#' && s[1] && strchr("-IWEVT", s[1]) &&
	       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
	       isdigit((unsigned char)s[4]);
}

/* A line of the excerpt that belongs to a section whose start is not in
 * the text: open the section now. */
static void open_headless(struct wf_sa_parser *p, unsigned long lineno,
			  const char *line, size_t len, enum wf_sa_format f)
{
	wf_sa_open_section(p, lineno, line, len);
	p->rec->format = f;
	p->rec->cut_start = 1;
	p->info.cut_start++;
	set_format(p, f);
}

/* Remember what a line that is not SetupAPI looks like (for the message
 * that refuses a file). */
static void other_line(struct wf_sa_parser *p, const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			p->info.binary_lines++;
			break;
		}
	}
	if (!p->info.other[0])
		wf_sa_clean_text(p->info.other, sizeof p->info.other, line, len);
}

int wf_sa_parser_line(struct wf_sa_parser *p, unsigned long lineno,
		      const char *line, size_t len)
{
	p->info.lines = lineno;
	while (len && (*line == '\0')) {	/* NUL padding */
		line++;
		len--;
	}
	if (!len)
		return p->stop;
	if (p->open)
		p->rec->last_line = lineno;
	switch (line[0]) {
	case '>':
		if (SA_STARTS(line, len, ">>>")) {
			p->info.sa_lines++;
			p->seen_any = 1;
			set_format(p, WF_SA_FMT_VISTA);
			vista_section(p, lineno, line, len);
			return p->stop;
		}
		break;
	case '<':
		if (SA_STARTS(line, len, "<<<")) {
			p->info.sa_lines++;
			p->seen_any = 1;
			if (!p->open)	/* the end of a section begun before */
				open_headless(p, lineno, line, len, WF_SA_FMT_VISTA);
			vista_footer(p, lineno, line, len);
			return p->stop;
		}
		break;
	case '[':
		if (SA_STARTS(line, len, "[Boot Session:")) {
			p->info.sa_lines++;
			p->seen_any = 1;
			set_format(p, WF_SA_FMT_VISTA);
			p->info.boot_sessions++;
			if (p->open) {
				wf_sa_add_event(p, WF_SA_EV_BOOT, lineno, line, len, 0, 0);
				p->rec->exit = WF_SA_EXIT_UNFINISHED;
				p->rec->reboot = 1;
				p->rec->last_line = lineno;
				wf_sa_close_section(p);
			}
			return p->stop;
		}
		if (SA_STARTS(line, len, "[Device Install Log]")) {
			p->info.sa_lines++;
			if (!p->seen_any)
				p->info.whole = 1;
			p->seen_any = 1;
			set_format(p, WF_SA_FMT_VISTA);
			p->in_header = 1;
			return p->stop;
		}
		if (SA_STARTS(line, len, "[SetupAPI Log]")) {
			p->info.sa_lines++;
			if (!p->seen_any)
				p->info.whole = 1;
			p->seen_any = 1;
			set_format(p, WF_SA_FMT_XP);
			if (p->open)
				wf_sa_close_section(p);
			p->in_header = 1;
			return p->stop;
		}
		if (wf_sa_xp_is_header(line, len)) {
			p->info.sa_lines++;
			p->seen_any = 1;
			set_format(p, WF_SA_FMT_W2K);
			wf_sa_open_section(p, lineno, line, len);
			p->rec->format = WF_SA_FMT_W2K;
			wf_sa_xp_line(p, lineno, line, len);
			return p->stop;
		}
		break;
	default:
		break;
	}
	if (!p->open) {
		if (vista_body_like(line, len) && p->info.format != WF_SA_FMT_XP &&
		    p->info.format != WF_SA_FMT_W2K) {
			open_headless(p, lineno, line, len, WF_SA_FMT_VISTA);
		} else if (xp_code_like(line, len)) {
			open_headless(p, lineno, line, len, WF_SA_FMT_W2K);
			p->xp_codes = 1;
		} else {
			if (p->in_header && header_line(p, line, len))
				p->info.sa_lines++;
			else
				other_line(p, line, len);
			return p->stop;
		}
		p->seen_any = 1;
	}
	if (p->rec->format == WF_SA_FMT_VISTA) {
		if (vista_body_like(line, len)) {
			p->info.sa_lines++;
		} else {
			other_line(p, line, len);
			/* text that is no log line (a logging tool's own line,
			 * a remark) inside a list of ids: the list goes on */
			if (p->list && memchr(line, ' ', len))
				return p->stop;
		}
		vista_body(p, lineno, line, len);
	} else {
		p->info.sa_lines++;
		wf_sa_xp_line(p, lineno, line, len);
	}
	if (p->xp_codes)
		set_format(p, WF_SA_FMT_XP);
	return p->stop;
}

int wf_sa_parser_finish(struct wf_sa_parser *p)
{
	if (p->open) {
		struct wf_sa_record *r = p->rec;
		if (r->format == WF_SA_FMT_VISTA) {
			r->exit = p->info.whole ? WF_SA_EXIT_UNFINISHED : WF_SA_EXIT_CUT;
			if (r->exit == WF_SA_EXIT_CUT) {
				p->info.cut_end++;
				p->info.cut_line = r->first_line;
			}
		}
		wf_sa_close_section(p);
		if (r->exit == WF_SA_EXIT_CUT)
			memcpy(p->info.cut_device, r->device, WF_SA_ID_MAX);
	}
	return p->stop;
}

static void norm_to_parser(void *arg, unsigned long lineno, const char *line,
			   size_t len)
{
	struct wf_sa_parser *p = arg;
	if (!p->stop)
		wf_sa_parser_line(p, lineno, line, len);
}

int wf_sa_parse_stream(FILE *f, const char *display_name, wf_sa_record_fn fn,
		       void *arg, struct wf_sa_info *info, struct wf_error *e)
{
	const char *name = display_name ? display_name : "(stream)";
	struct wf_sa_reader *r = wf_sa_reader_new(f);
	struct wf_sa_parser *p = wf_sa_parser_new(fn, arg);
	struct wf_sa_norm *z = wf_sa_norm_new(norm_to_parser, p);
	char *line;
	size_t len, plen;
	int k, rc = 0;
	for (;;) {
		const char **held = wf_sa_norm_pending(z, &plen);
		wf_sa_reader_keep(r, held, plen);
		if ((k = wf_sa_reader_next(r, &line, &len)) <= 0)
			break;
		wf_sa_norm_line(z, wf_sa_reader_lineno(r), line, len);
		if (p->stop)
			break;
	}
	if (k < 0) {
		rc = wf_error_set(e, WF_ERR_INPUT, "%s: read error after line %lu: %s",
				  name, wf_sa_reader_lineno(r), strerror(errno));
	} else {
		wf_sa_norm_finish(z);
		p->info.lines = wf_sa_reader_lineno(r);
		wf_sa_parser_finish(p);
	}
	if (info) {
		*info = p->info;
		info->encoding = wf_sa_reader_encoding(r);
		if (info->encoding == WF_SA_ENC_UTF16LE && wf_sa_reader_big_endian(r))
			info->encoding = WF_SA_ENC_UTF16BE;
		info->bytes = wf_sa_reader_bytes(r);
		info->lines = wf_sa_reader_lineno(r);
		info->long_lines = wf_sa_reader_long_lines(r);
		info->odd_tail = wf_sa_reader_odd_tail(r);
		info->joined = wf_sa_norm_joined(z);
		info->prefixed = wf_sa_norm_stripped(z);
	}
	wf_sa_norm_free(z);
	wf_sa_parser_free(p);
	wf_sa_reader_free(r);
	return rc;
}

int wf_sa_parse_file(const char *path, const char *display_name,
		     wf_sa_record_fn fn, void *arg, struct wf_sa_info *info,
		     struct wf_error *e)
{
	const char *name = display_name ? display_name : path;
	FILE *f = fopen(path, "rb");
	if (!f)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot open: %s", name,
				    strerror(errno));
	/* a directory opens but cannot be read */
	int c = getc(f);
	if (c == EOF && ferror(f)) {
		int err = errno;
		fclose(f);
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot read: %s", name,
				    strerror(err));
	}
	if (c != EOF)
		ungetc(c, f);
	int rc = wf_sa_parse_stream(f, name, fn, arg, info, e);
	fclose(f);
	return rc;
}
