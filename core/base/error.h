/*
 * error.h - how core reports failure.
 *
 * Every core function that can fail takes a `struct wf_error *` as its last
 * argument and returns -1 (or NULL) after filling it.  The message is one
 * line meant for the operator: it names the file, key or value involved and
 * says what was wrong ("SYSTEM hive /tmp/x: not a registry hive (no regf
 * signature)").  Core never prints and never exits; the caller decides how to
 * show the message (stderr line, JSON field, dialog).
 *
 * The error may be NULL when the caller does not care.
 */
#ifndef WF_ERROR_H
#define WF_ERROR_H

#include <stddef.h>

/* What kind of failure: lets callers choose an exit status or a dialog. */
enum wf_errkind {
	WF_ERR_NONE = 0,
	WF_ERR_USAGE,		/* bad argument from the operator */
	WF_ERR_INPUT,		/* unreadable / malformed / unsupported input */
	WF_ERR_NOT_WINDOWS,	/* the disk holds no Windows installation */
	WF_ERR_ENCRYPTED,	/* BitLocker or another encrypted volume */
	WF_ERR_APPLIANCE,	/* libguestfs could not be launched */
	WF_ERR_CANCELLED,	/* the operator interrupted */
	WF_ERR_INTERNAL,	/* out of memory, a bug */
};

struct wf_error {
	enum wf_errkind kind;
	char msg[1024];
};

/* Fill `e` (if not NULL) with a printf-style message, made one line (line
 * breaks of quoted tool output become spaces).  Returns -1 so that
 * callers can write `return wf_error_set(e, WF_ERR_INPUT, "...")`. */
int wf_error_set(struct wf_error *e, enum wf_errkind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix an existing message: "context: old message". */
int wf_error_prefix(struct wf_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void wf_error_clear(struct wf_error *e);

/* Allocation helpers that abort with a message on out-of-memory: core treats
 * OOM as fatal, as git and libguestfs do. */
void *wf_xmalloc(size_t n);
void *wf_xcalloc(size_t n, size_t size);
void *wf_xrealloc(void *p, size_t n);
char *wf_xstrdup(const char *s);
char *wf_xstrndup(const char *s, size_t n);
char *wf_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
