/*
 * setupapi_text.c - small text helpers of the SetupAPI log reader: making
 * log bytes valid UTF-8 for display, fast literal searches on short lines,
 * error codes and ids on a line.  See setupapi_priv.h.
 */
#include "setupapi_priv.h"

#include <ctype.h>
#include <string.h>

/* ======================================================================
 * text helpers
 */
/* Windows-1252 0x80..0x9F; the rest of the high half is Latin-1. */
static const unsigned short cp1252[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t k;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (c == 0xE0 && s[1] < 0xA0)
		return 0;
	if (c == 0xED && s[1] >= 0xA0)
		return 0;
	if (c == 0xF0 && s[1] < 0x90)
		return 0;
	if (c == 0xF4 && s[1] >= 0x90)
		return 0;
	return k;
}

void wf_sa_clean_text(char *out, size_t outsz, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, i = 0;
	if (!outsz)
		return;
	while (i < len) {
		/* a run of printable ASCII, the common case: copied at once as
		 * far as it fits (the byte that does not is left to the
		 * general code below, which cuts with "...") */
		size_t j = i;
		while (j < len && s[j] >= 0x20 && s[j] < 0x7F)
			j++;
		if (j > i) {
			size_t room = outsz > o + 4 ? outsz - 4 - o : 0;
			size_t k = j - i < room ? j - i : room;
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			if (i >= len)
				break;
		}
		unsigned char tmp[4];
		const unsigned char *piece = tmp;
		size_t plen;
		unsigned c = s[i];
		if (c == 0) {
			i++;
			continue;
		}
		if (c < 0x80) {
			tmp[0] = (c < 0x20 && c != '\t') || c == 0x7F ? '?' : (unsigned char)c;
			plen = 1;
			i++;
		} else if ((plen = utf8_len(s + i, len - i)) == 2 && c == 0xC2 && s[i + 1] < 0xA0) {
			tmp[0] = '?';	/* a C1 control (U+0080-U+009F), as C0 above */
			plen = 1;
			i += 2;
		} else if (plen) {
			piece = s + i;
			i += plen;
		} else {
			unsigned cp = c < 0xA0 ? cp1252[c - 0x80] : c;
			plen = wf_sa_put_utf8(tmp, cp);
			i++;
		}
		if (o + plen + 4 > outsz) {	/* keep room for "..." */
			if (o + 4 <= outsz) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, piece, plen);
		o += plen;
	}
	out[o < outsz ? o : outsz - 1] = '\0';
}

static unsigned char lower_tab[256];

static void init_lower(void)
{
	for (int i = 0; i < 256; i++)
		lower_tab[i] = (unsigned char)(i >= 'A' && i <= 'Z' ? i + 32 : i);
}

const char *wf_sa_ci_find(const char *s, size_t n, const char *lit)
{
	const unsigned char *u = (const unsigned char *)s;
	const unsigned char *l = (const unsigned char *)lit;
	size_t m = strlen(lit);
	if (m == 0)
		return s;
	if (m > n)
		return NULL;
	if (!lower_tab['A'])
		init_lower();
	unsigned char c0 = lower_tab[l[0]];
	for (size_t i = 0, last = n - m; i <= last; i++) {
		if (lower_tab[u[i]] != c0)
			continue;
		size_t k = 1;
		while (k < m && lower_tab[u[i + k]] == lower_tab[l[k]])
			k++;
		if (k == m)
			return s + i;
	}
	return NULL;
}

const char *wf_sa_find(const char *s, size_t n, const char *lit, size_t m)
{
	const char *p = s, *end = s + n;
	if (m == 0)
		return s;
	while ((size_t)(end - p) >= m) {
		p = memchr(p, lit[0], (size_t)(end - p) - m + 1);
		if (!p)
			return NULL;
		if (m == 1 || (p[1] == lit[1] && memcmp(p + 2, lit + 2, m - 2) == 0))
			return p;
		p++;
	}
	return NULL;
}

int wf_sa_starts(const char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	return n >= m && memcmp(s, lit, m) == 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse hex digits at s; returns the count (0 if none). */
static size_t parse_hex(const char *s, size_t n, uint32_t *v)
{
	size_t i = 0;
	uint32_t x = 0;
	while (i < n && hexval((unsigned char)s[i]) >= 0) {
		x = (x << 4) | (uint32_t)hexval((unsigned char)s[i]);
		i++;
	}
	*v = x;
	return i;
}

int wf_sa_hex_after(const char *s, size_t n, const char *from, uint32_t *v)
{
	const char *end = s + n;
	if (from) {
		const char *f = wf_sa_ci_find(s, n, from);
		if (!f)
			return 0;
		s = f + strlen(from);
	}
	/* logs write "0x" in lower case */
	for (const char *p = s + 1; p + 1 < end; p++) {
		p = memchr(p, 'x', (size_t)(end - p - 1));
		if (!p)
			return 0;
		if (p[-1] == '0' && parse_hex(p + 1, (size_t)(end - p - 1), v))
			return 1;
	}
	return 0;
}

int wf_sa_line_code(const char *s, size_t n, uint32_t *v)
{
	if (wf_sa_hex_after(s, n, NULL, v))
		return 1;
	/* "Error 1062:" / "error 1078" */
	const char *e = SA_FIND(s, n, "rror "), *end = s + n;
	while (e) {
		const char *p = e + 5;
		if (e > s && (e[-1] == 'E' || e[-1] == 'e') && p < end &&
		    isdigit((unsigned char)*p)) {
			unsigned long x = 0;
			while (p < end && isdigit((unsigned char)*p) && x < 0xFFFFFFFFul)
				x = x * 10 + (unsigned long)(*p++ - '0');
			*v = (uint32_t)x;
			return 1;
		}
		e = SA_FIND(e + 5, (size_t)(end - e - 5), "rror ");
	}
	return 0;
}

void wf_sa_copy_id(char *dst, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '"' || *s == '\'' || *s == '\t')) {
		s++;
		n--;
	}
	size_t k = 0;
	while (k < n && s[k] != '"' && s[k] != '\'' && s[k] != '}' &&
	       s[k] != ']' && s[k] != ' ' && s[k] != ',')
		k++;
	while (k && s[k - 1] == '.')
		k--;
	wf_sa_clean_text(dst, WF_SA_ID_MAX, s, k);
}

int wf_sa_is_device_id(const char *s)
{
	const char *bs = strchr(s, '\\');
	if (!bs || bs == s)
		return 0;
	if (s[1] == ':' || s[0] == '{' || s[0] == '\\')
		return 0;	/* a path or a GUID */
	for (const char *p = s; p < bs; p++)	/* bus name: PCI, USB, ROOT... */
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '*' && *p != '-')
			return 0;
	return 1;
}

