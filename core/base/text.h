/*
 * text.h - small text helpers: UTF-16LE <-> UTF-8 (registry strings and
 * .reg files are UTF-16LE), case-insensitive ASCII comparisons (Windows
 * names), trimming.
 */
#ifndef WF_TEXT_H
#define WF_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decode `len` bytes of UTF-16LE (stops at a NUL code unit).  Unpaired
 * surrogates become U+FFFD.  Returns a malloc'd UTF-8 string. */
char *wf_utf16le_to_utf8(const void *data, size_t len);

/* Encode UTF-8 as UTF-16LE, with a terminating NUL code unit included in
 * *out_len.  Invalid UTF-8 bytes are taken as Latin-1.  malloc'd. */
void *wf_utf8_to_utf16le(const char *s, size_t *out_len);

/* REG_MULTI_SZ bytes for n UTF-8 strings: each UTF-16LE + NUL, then a
 * final NUL.  malloc'd; *out_len set. */
void *wf_multi_sz_encode(const char *const *strs, size_t n, size_t *out_len);

/* Case-insensitive (ASCII) equality / prefix / suffix / substring. */
int wf_streqi(const char *a, const char *b);
int wf_startswithi(const char *s, const char *prefix);
int wf_endswithi(const char *s, const char *suffix);
const char *wf_strcasestr(const char *hay, const char *needle);

/* Strip leading and trailing ASCII white space in place; returns s. */
char *wf_trim(char *s);

/* Free a NULL-terminated vector of malloc'd strings (as libguestfs returns). */
void wf_strv0_free(char **v);

/* Lower-case ASCII in place; returns s. */
char *wf_lower(char *s);

/* "1.5 GiB", "512 B" (binary units). */
void wf_format_size(char *buf, size_t n, uint64_t bytes);

/* The one escaping of text meant for a terminal or a report: C0 controls,
 * DEL, the C1 controls U+0080-U+009F (UTF-8 C2 80-C2 9F) and every byte
 * that is not part of valid UTF-8 (a lone 0x9B is CSI to some terminals)
 * are shown as \xNN, one per byte.  With WF_ESC_KEEP_LINES, '\n' and '\t'
 * pass (whole documents we laid out); without it they are escaped too
 * (one guest string: it can never start a line of its own). */
enum { WF_ESC_KEEP_LINES = 1 };
struct wf_strbuf;
void wf_sb_add_escaped(struct wf_strbuf *sb, const char *s, size_t len, int flags);
/* malloc'd escaped copy of a NUL-terminated string; NULL stays NULL. */
char *wf_text_escape(const char *s, int flags);
/* Whether the string would change under wf_text_escape(s, flags). */
int wf_text_needs_escape(const char *s, int flags);

/* Escaped copies of guest strings for one report, freed together:
 *   struct wf_text_pool p = { 0 };
 *   wf_sb_addf(out, "hostname: %s\n", wf_text_pool_esc(&p, v->hostname));
 *   wf_text_pool_free(&p);                                                  */
struct wf_text_pool {
	char **v;
	size_t n;
};
const char *wf_text_pool_esc(struct wf_text_pool *p, const char *s);
void wf_text_pool_free(struct wf_text_pool *p);

#endif
