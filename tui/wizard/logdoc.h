/*
 * logdoc.h - a SetupAPI log loaded for the viewer: its lines as UTF-8
 * (whatever the file's encoding, through core's streaming reader) and, per
 * line, whether core's parser saw a failure there (an error line, a NULL
 * driver, no compatible driver, a problem code, FAILURE(...) exit status),
 * which the viewer highlights.
 *
 *   struct wf_logdoc *d = wf_logdoc_load("setupapi.dev.log", &err);
 *   wf_logdoc_line(d, i, &len) ... d->flag[i] ...
 *   wf_logdoc_free(d);
 *
 * Loading reads the whole file once (run it off the UI thread for big
 * logs); memory is the file's size plus 9 bytes a line.
 */
#ifndef WF_LOGDOC_H
#define WF_LOGDOC_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

enum { WF_LOGLINE_PLAIN = 0, WF_LOGLINE_WARN = 1, WF_LOGLINE_FAIL = 2 };

struct wf_logdoc {
	char *text;		/* lines, each NUL-terminated */
	size_t *off;		/* start of line i in text; off[n] = end */
	size_t n;
	unsigned char *flag;	/* WF_LOGLINE_* per line */
	size_t n_fail;
};

struct wf_logdoc *wf_logdoc_load(const char *path, struct wf_error *e);
/* The same from an open stream (a paste through fmemopen); `name` for
 * errors.  The stream is read to its end, not closed. */
struct wf_logdoc *wf_logdoc_load_stream(FILE *f, const char *name, struct wf_error *e);
void wf_logdoc_free(struct wf_logdoc *d);
/* Line i (0-based). */
const char *wf_logdoc_line(const struct wf_logdoc *d, size_t i, size_t *len);
/* Next / previous flagged line from `from` (exclusive), SIZE_MAX if none. */
size_t wf_logdoc_next_fail(const struct wf_logdoc *d, size_t from, int dir);

#endif
