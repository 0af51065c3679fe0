/*
 * cli.h - what the batch commands share: exit codes, one-line errors,
 * JSON output, Ctrl-C handling around a session.
 */
#ifndef WF_CLI_H
#define WF_CLI_H

#include "error.h"

#include <stdio.h>

struct json_object;
struct wf_session;

enum {
	WF_EXIT_OK = 0,
	WF_EXIT_FINDINGS = 1,	/* ran; the diagnosis found error-severity problems */
	WF_EXIT_INPUT = 2,	/* usage, unreadable/unsupported input, not Windows */
	WF_EXIT_APPLIANCE = 3,	/* libguestfs could not start */
	WF_EXIT_INTERRUPTED = 130,
};

/* Text output: every byte a guest may have chosen goes through text.h's
 * escaping.  wf_cli_out writes a document we laid out (newlines and tabs
 * kept, other controls as \xNN); wf_cli_line writes "virt-winfix: <msg>"
 * on stderr as one line (newlines escaped too). */
void wf_cli_out(FILE *f, const char *text);
void wf_cli_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit status for an error kind. */
int wf_exit_code(enum wf_errkind kind);
/* "virt-winfix: <message>" on stderr; returns wf_exit_code(e->kind). */
int wf_cli_fail(const struct wf_error *e);
/* printf-style one-line error; returns WF_EXIT_INPUT. */
int wf_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a JSON object to stdout, pretty, and drop the reference. */
void wf_cli_print_json(struct json_object *o);
/* Progress line on stderr (only when stderr is a terminal, unless always). */
void wf_cli_progress(void *ud, const char *msg, int important);

/* SIGINT/SIGTERM cancel the session given here (may be called with NULL
 * to forget it).  Installed once by main(). */
void wf_cli_install_signals(void);
void wf_cli_watch_session(void *ud, struct wf_session *s);
int wf_cli_interrupted(void);
/* The flag itself, for wf_apply_opts.cancel: an apply stops at its next
 * safe point (before anything in the guest changed, or after the whole). */
const volatile int *wf_cli_interrupt_flag(void);

/* Ask "<what> [y/N]" on the terminal; 0 without one or on anything but y. */
int wf_cli_confirm(const char *what);

/* Is `arg` one of the option spellings "--json" etc. */
int wf_cli_is(const char *arg, const char *opt);

#endif
