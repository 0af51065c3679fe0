#include "text.h"
#include "error.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void put_utf8(struct wf_strbuf *sb, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	wf_sb_add(sb, b, n);
}

char *wf_utf16le_to_utf8(const void *data, size_t len)
{
	const unsigned char *p = data;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	size_t units = len / 2;
	for (size_t i = 0; i < units; i++) {
		uint32_t u = p[2 * i] | (uint32_t)p[2 * i + 1] << 8;
		if (u == 0)
			break;
		if (u >= 0xD800 && u < 0xDC00 && i + 1 < units) {
			uint32_t lo = p[2 * i + 2] | (uint32_t)p[2 * i + 3] << 8;
			if (lo >= 0xDC00 && lo < 0xE000) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				u = 0xFFFD;
			}
		} else if (u >= 0xD800 && u < 0xE000) {
			u = 0xFFFD;
		}
		put_utf8(&sb, u);
	}
	return wf_sb_detach(&sb);
}

/* Decode one UTF-8 sequence at s; invalid bytes are taken as Latin-1. */
static uint32_t next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	if (c < 0x80 || n == 0 || (c >= 0xF8)) {
		*s = p + 1;
		return c;
	}
	uint32_t cp = c & (0x3F >> n);
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*s = p + 1;
			return c;
		}
		cp = cp << 6 | (p[i] & 0x3F);
	}
	*s = p + n + 1;
	return cp;
}

void *wf_utf8_to_utf16le(const char *s, size_t *out_len)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp = next_cp(&p);
		unsigned char b[4];
		if (cp >= 0x10000) {
			uint32_t v = cp - 0x10000;
			uint32_t hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
			b[0] = hi & 0xFF;
			b[1] = hi >> 8;
			b[2] = lo & 0xFF;
			b[3] = lo >> 8;
			wf_sb_add(&sb, b, 4);
		} else {
			b[0] = cp & 0xFF;
			b[1] = cp >> 8;
			wf_sb_add(&sb, b, 2);
		}
	}
	wf_sb_add(&sb, "\0\0", 2);
	*out_len = sb.len;
	return wf_sb_detach(&sb);
}

void *wf_multi_sz_encode(const char *const *strs, size_t n, size_t *out_len)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		void *w = wf_utf8_to_utf16le(strs[i], &len);
		wf_sb_add(&sb, w, len);
		free(w);
	}
	wf_sb_add(&sb, "\0\0", 2);
	*out_len = sb.len;
	return wf_sb_detach(&sb);
}

int wf_streqi(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

int wf_startswithi(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

int wf_endswithi(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

const char *wf_strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return hay;
	return n == 0 ? hay : NULL;
}

char *wf_trim(char *s)
{
	char *p = s;
	while (*p && isspace((unsigned char)*p))
		p++;
	size_t n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

char *wf_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

void wf_strv0_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void wf_format_size(char *buf, size_t n, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid;
 * overlong forms, surrogates and > U+10FFFF are invalid. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	unsigned c = p[0];
	size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
		 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (!n || n > left)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||
	    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
		return 0;
	return n;
}

/* Bytes at p to show as \xNN (0 when the sequence is fine as it is). */
static size_t escaped_run(const unsigned char *p, size_t left, int flags, size_t *seq)
{
	size_t n = utf8_seq(p, left);
	*seq = n ? n : 1;
	if (!n)
		return 1;
	if (n == 1) {
		if ((p[0] == '\n' || p[0] == '\t') && (flags & WF_ESC_KEEP_LINES))
			return 0;
		return p[0] < 0x20 || p[0] == 0x7f;
	}
	return n == 2 && p[0] == 0xC2 && p[1] <= 0x9F ? 2 : 0;	/* C1 */
}

void wf_sb_add_escaped(struct wf_strbuf *sb, const char *s, size_t len, int flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, plain = 0;
	while (i < len) {
		size_t seq, esc = escaped_run(p + i, len - i, flags, &seq);
		if (!esc) {
			i += seq;
			continue;
		}
		wf_sb_add(sb, s + plain, i - plain);
		for (size_t k = 0; k < esc; k++) {
			char b[4] = { '\\', 'x', hex[p[i + k] >> 4], hex[p[i + k] & 15] };
			wf_sb_add(sb, b, 4);
		}
		i += esc;
		plain = i;
	}
	wf_sb_add(sb, s + plain, len - plain);
}

char *wf_text_escape(const char *s, int flags)
{
	if (!s)
		return NULL;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_add_escaped(&sb, s, strlen(s), flags);
	return wf_sb_detach(&sb);
}

int wf_text_needs_escape(const char *s, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		size_t seq;
		if (escaped_run(p + i, len - i, flags, &seq))
			return 1;
		i += seq;
	}
	return 0;
}

const char *wf_text_pool_esc(struct wf_text_pool *p, const char *s)
{
	if (!s)
		return NULL;
	if (!wf_text_needs_escape(s, 0))
		return s;
	p->v = wf_xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	return p->v[p->n++] = wf_text_escape(s, 0);
}

void wf_text_pool_free(struct wf_text_pool *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}
