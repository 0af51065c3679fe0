#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Messages are one line: a line break and the blanks after it (libguestfs
 * and libxml2 pass on multi-line tool output) become one space, and
 * trailing blanks go. */
static void one_line(char *s)
{
	char *w = s;
	for (const char *r = s; *r; r++) {
		if (*r == '\n' || *r == '\r') {
			while (r[1] == '\n' || r[1] == '\r' || r[1] == ' ' || r[1] == '\t')
				r++;
			*w++ = ' ';
		} else {
			*w++ = *r;
		}
	}
	while (w > s && (w[-1] == ' ' || w[-1] == '\t'))
		w--;
	*w = '\0';
}

int wf_error_set(struct wf_error *e, enum wf_errkind kind, const char *fmt, ...)
{
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	one_line(e->msg);
	e->kind = kind;
	return -1;
}

int wf_error_prefix(struct wf_error *e, const char *fmt, ...)
{
	if (!e)
		return -1;
	char head[512], old[sizeof e->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	size_t hl = strlen(head);
	memcpy(e->msg, head, hl);
	memcpy(e->msg + hl, ": ", 2);
	size_t room = sizeof e->msg - hl - 3, ol = strnlen(old, room);
	memcpy(e->msg + hl + 2, old, ol);
	e->msg[hl + 2 + ol] = '\0';
	one_line(e->msg);
	return -1;
}

void wf_error_clear(struct wf_error *e)
{
	if (e) {
		e->kind = WF_ERR_NONE;
		e->msg[0] = '\0';
	}
}

static void oom(void)
{
	fputs("virt-winfix: out of memory\n", stderr);
	abort();
}

void *wf_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *wf_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *wf_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *wf_xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

char *wf_xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		oom();
	return p;
}

char *wf_xasprintf(const char *fmt, ...)
{
	char *p;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom();
	return p;
}
