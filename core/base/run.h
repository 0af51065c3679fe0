/*
 * run.h - run a host tool without a shell, with bounded output.
 *
 *   const char *argv[] = { "/usr/bin/xorriso", "-indev", iso, "-find", "/", NULL };
 *   struct wf_strbuf out = WF_STRBUF_INIT;
 *   struct wf_run_opts o = { .out = &out, .out_max = 1 << 20,
 *                            .on_line = progress, .ud = ctx };
 *   int st = wf_run(argv, &o, &err);   // exit status, -1 when it could not run
 *
 * Standard input is /dev/null.  Standard output goes to o->out (at most
 * out_max bytes kept; the rest is read and dropped, *truncated says so), or
 * is discarded; standard error is split into lines for o->on_line, and the
 * last few lines are kept in o->err_tail for the error message.  argv[0]
 * must be an absolute path: tools are never looked up on $PATH.
 */
#ifndef WF_RUN_H
#define WF_RUN_H

#include <stddef.h>

#include "error.h"

struct wf_strbuf;

struct wf_run_opts {
	struct wf_strbuf *out;		/* NULL: discard stdout */
	size_t out_max;			/* 0: 16 MiB */
	int truncated;			/* set when stdout was longer than out_max */
	void (*on_line)(void *ud, const char *line);	/* stderr lines; may be NULL */
	void *ud;
	char err_tail[512];		/* the last stderr lines, one line */
};

int wf_run(const char *const *argv, struct wf_run_opts *o, struct wf_error *e);

/* "/usr/bin/xorriso" when `name` is an executable in one of the system
 * folders (/usr/bin, /bin, /usr/sbin, /sbin), else NULL.  Static string. */
const char *wf_run_tool(const char *name);

#endif
