#include "cli.h"
#include "session.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int wf_exit_code(enum wf_errkind kind)
{
	switch (kind) {
	case WF_ERR_NONE:
		return WF_EXIT_OK;
	case WF_ERR_APPLIANCE:
		return WF_EXIT_APPLIANCE;
	case WF_ERR_CANCELLED:
		return WF_EXIT_INTERRUPTED;
	default:
		return WF_EXIT_INPUT;
	}
}

int wf_cli_fail(const struct wf_error *e)
{
	fprintf(stderr, "virt-winfix: %s\n", e->msg[0] ? e->msg : "failed");
	return wf_exit_code(e->kind);
}

int wf_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("virt-winfix: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return WF_EXIT_INPUT;
}

void wf_cli_print_json(struct json_object *o)
{
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	fputc('\n', stdout);
	json_object_put(o);
}

void wf_cli_progress(void *ud, const char *msg, int important)
{
	(void)ud;
	/* notes about fallbacks always show; plain progress only on a tty */
	if (important || isatty(STDERR_FILENO))
		fprintf(stderr, "virt-winfix: %s\n", msg);
}

static struct wf_session *volatile watched;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	struct wf_session *s = watched;
	if (s)
		wf_session_cancel(s);
}

void wf_cli_install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void wf_cli_watch_session(void *ud, struct wf_session *s)
{
	(void)ud;
	watched = s;
	if (s && interrupted)
		wf_session_cancel(s);
}

int wf_cli_interrupted(void)
{
	return interrupted;
}

_Static_assert(sizeof(sig_atomic_t) == sizeof(int), "sig_atomic_t is an int");

const volatile int *wf_cli_interrupt_flag(void)
{
	return (const volatile int *)&interrupted;
}

int wf_cli_is(const char *arg, const char *opt)
{
	return strcmp(arg, opt) == 0;
}
