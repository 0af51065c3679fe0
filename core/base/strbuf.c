#include "strbuf.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char wf_strbuf_empty[1];

void wf_sb_init(struct wf_strbuf *sb)
{
	sb->buf = wf_strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void wf_sb_release(struct wf_strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	wf_sb_init(sb);
}

char *wf_sb_detach(struct wf_strbuf *sb)
{
	char *s = sb->alloc ? sb->buf : wf_xstrdup("");
	wf_sb_init(sb);
	return s;
}

void wf_sb_reset(struct wf_strbuf *sb)
{
	wf_sb_truncate(sb, 0);
}

void wf_sb_grow(struct wf_strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < need)
		n *= 2;
	if (sb->alloc) {
		sb->buf = wf_xrealloc(sb->buf, n);
	} else {
		sb->buf = wf_xmalloc(n);
		sb->buf[0] = '\0';
	}
	sb->alloc = n;
}

void wf_sb_add(struct wf_strbuf *sb, const void *data, size_t len)
{
	wf_sb_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void wf_sb_adds(struct wf_strbuf *sb, const char *s)
{
	wf_sb_add(sb, s, strlen(s));
}

void wf_sb_addc(struct wf_strbuf *sb, char c)
{
	wf_sb_add(sb, &c, 1);
}

void wf_sb_vaddf(struct wf_strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	wf_sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void wf_sb_addf(struct wf_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	wf_sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void wf_sb_addpad(struct wf_strbuf *sb, char c, size_t n)
{
	wf_sb_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void wf_sb_truncate(struct wf_strbuf *sb, size_t len)
{
	if (!sb->alloc || len > sb->len)
		return;
	sb->len = len;
	sb->buf[len] = '\0';
}

int wf_sb_read_file(struct wf_strbuf *sb, const char *path, size_t max,
		    struct wf_error *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot open: %s", path,
				    strerror(errno));
	char chunk[65536];
	size_t n, total = 0;
	while ((!max || total < max) &&
	       (n = fread(chunk, 1, max && max - total < sizeof chunk
					? max - total : sizeof chunk, f)) > 0) {
		wf_sb_add(sb, chunk, n);
		total += n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return wf_error_set(e, WF_ERR_INPUT, "%s: read error", path);
	return 0;
}
