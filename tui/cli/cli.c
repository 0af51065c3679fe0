#include "cli.h"
#include "session.h"
#include "strbuf.h"
#include "text.h"

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

void wf_cli_out(FILE *f, const char *text)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_add_escaped(&sb, text, strlen(text), WF_ESC_KEEP_LINES);
	fwrite(sb.buf, 1, sb.len, f);
	wf_sb_release(&sb);
}

void wf_cli_line(const char *fmt, ...)
{
	struct wf_strbuf sb = WF_STRBUF_INIT, esc = WF_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	wf_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	wf_sb_adds(&esc, "virt-winfix: ");
	wf_sb_add_escaped(&esc, sb.buf, sb.len, 0);
	wf_sb_addc(&esc, '\n');
	fwrite(esc.buf, 1, esc.len, stderr);
	wf_sb_release(&sb);
	wf_sb_release(&esc);
}

int wf_cli_fail(const struct wf_error *e)
{
	wf_cli_line("%s", e->msg[0] ? e->msg : "failed");
	return wf_exit_code(e->kind);
}

int wf_cli_usage_error(const char *fmt, ...)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	wf_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	wf_cli_line("%s", sb.buf);
	wf_sb_release(&sb);
	return WF_EXIT_INPUT;
}

/* json-c escapes C0 controls only: DEL and the C1 controls (U+0080 to
 * U+009F, CSI among them) of guest strings would reach a terminal that
 * shows the JSON raw.  They are written as \u00XX, the same string. */
void wf_cli_print_json(struct json_object *o)
{
	const unsigned char *s = (const unsigned char *)json_object_to_json_string_ext(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	for (; *s; s++) {
		if (*s == 0x7f)
			fputs("\\u007f", stdout);
		else if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f)
			printf("\\u%04x", s[1]), s++;
		else
			fputc(*s, stdout);
	}
	fputc('\n', stdout);
	json_object_put(o);
}

void wf_cli_progress(void *ud, const char *msg, int important)
{
	(void)ud;
	/* notes about fallbacks always show; plain progress only on a tty */
	if (important || isatty(STDERR_FILENO))
		wf_cli_line("%s", msg);
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

int wf_cli_confirm(const char *what)
{
	if (!isatty(STDIN_FILENO))
		return 0;
	fprintf(stderr, "%s [y/N] ", what);
	char line[16];
	if (!fgets(line, sizeof line, stdin))
		return 0;
	return line[0] == 'y' || line[0] == 'Y';
}
