/*
 * strbuf.h - a growable NUL-terminated string buffer (after git's strbuf).
 *
 *   struct wf_strbuf sb = WF_STRBUF_INIT;
 *   wf_sb_addf(&sb, "%s=%u\n", name, value);
 *   puts(sb.buf);            // always a valid C string, "" when empty
 *   wf_sb_release(&sb);      // or char *s = wf_sb_detach(&sb) to keep it
 *
 * Out of memory aborts (see error.h).
 */
#ifndef WF_STRBUF_H
#define WF_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct wf_strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

extern char wf_strbuf_empty[];
#define WF_STRBUF_INIT { wf_strbuf_empty, 0, 0 }

void wf_sb_init(struct wf_strbuf *sb);
void wf_sb_release(struct wf_strbuf *sb);
/* Hand the string to the caller (free() it); the buffer is reset. */
char *wf_sb_detach(struct wf_strbuf *sb);
void wf_sb_reset(struct wf_strbuf *sb);
void wf_sb_grow(struct wf_strbuf *sb, size_t extra);
void wf_sb_add(struct wf_strbuf *sb, const void *data, size_t len);
void wf_sb_adds(struct wf_strbuf *sb, const char *s);
void wf_sb_addc(struct wf_strbuf *sb, char c);
void wf_sb_addf(struct wf_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wf_sb_vaddf(struct wf_strbuf *sb, const char *fmt, va_list ap);
/* Append `n` copies of `c`. */
void wf_sb_addpad(struct wf_strbuf *sb, char c, size_t n);
void wf_sb_truncate(struct wf_strbuf *sb, size_t len);

struct wf_error;
/* Append the contents of a file, at most `max` bytes (0 = no limit).
 * -1 with "PATH: cannot open: ..." / "PATH: read error" on failure. */
int wf_sb_read_file(struct wf_strbuf *sb, const char *path, size_t max,
		    struct wf_error *e);

#endif
