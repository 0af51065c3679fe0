/* virt-winfix log: diagnose SetupAPI logs without an image. */
#include "commands.h"
#include "cli.h"
#include "finding.h"
#include "logdiag.h"
#include "strbuf.h"
#include "wizard.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"Usage: virt-winfix log FILE... [--json] [--tui | --no-tui]\n"
	"       virt-winfix log - < pasted.txt    (FILE '-' = standard input)\n"
	"       virt-winfix log [--paste]         (on a terminal: the paste box)\n"
	"Diagnose SetupAPI logs copied out of a Windows guest: setupapi.dev.log,\n"
	"setupapi.setup.log, setupapi.app.log (Vista and later, rotated copies\n"
	"too) and setupapi.log (XP, 2003, 2000).  Reports devices installed with\n"
	"the NULL driver, devices with no compatible driver (Code 28), installs\n"
	"cut off by a reboot, driver store and signature failures, Device\n"
	"Manager problem codes and failed installs, each with the log lines that\n"
	"show it.  Findings are listed errors first; --json prints them as JSON.\n"
	"Excerpts are fine: any run of lines from a log, even pasted into a mail,\n"
	"forum or ticket (quoted, re-wrapped, HTML-escaped, with a tool's prefix\n"
	"on every line); only text without a single SetupAPI line is refused.\n"
	"On a terminal the findings open in the interactive viewer (a searchable\n"
	"log with the failures highlighted); --no-tui prints the report instead,\n"
	"--tui asks for the viewer.  With no FILE (or --paste) a terminal opens\n"
	"a box to paste the log lines into (or to name a file), diagnosed as\n"
	"`virt-winfix log -` would.\n"
	"Exit status: 0 when the logs were read, 2 when a file is missing,\n"
	"unreadable or not a SetupAPI log.\n";

struct args {
	const char **files;
	size_t n;
	int json;
	int tui;	/* 1 --tui, -1 --no-tui, 0 as the terminal says */
	int paste;	/* --paste */
};

static int parse(int argc, char **argv, struct args *a)
{
	a->files = calloc((size_t)argc + 1, sizeof *a->files);
	if (!a->files)
		return WF_EXIT_INPUT;
	int only_files = 0;
	for (int i = 1; i < argc; i++) {
		if (!only_files && !strcmp(argv[i], "--"))
			only_files = 1;
		else if (!only_files && wf_cli_is(argv[i], "--json"))
			a->json = 1;
		else if (!only_files && wf_cli_is(argv[i], "--tui"))
			a->tui = 1;
		else if (!only_files && wf_cli_is(argv[i], "--no-tui"))
			a->tui = -1;
		else if (!only_files && wf_cli_is(argv[i], "--paste"))
			a->paste = 1;
		else if (!only_files && (wf_cli_is(argv[i], "-h") || wf_cli_is(argv[i], "--help"))) {
			fputs(usage, stdout);
			return 1;
		} else if (!only_files && argv[i][0] == '-' && argv[i][1])
			return wf_cli_usage_error("log: unknown option %s (see virt-winfix log --help)", argv[i]);
		else
			a->files[a->n++] = argv[i];
	}
	if (a->paste && (a->n || a->json || a->tui < 0))
		return wf_cli_usage_error("log: --paste opens the paste box: no FILE, --json or --no-tui with it");
	if (!a->n && !a->paste && (a->json || a->tui < 0 || !isatty(STDIN_FILENO) ||
				   !isatty(STDOUT_FILENO)))
		return wf_cli_usage_error("log: no log file given (usage: virt-winfix log FILE... [--json]; "
					  "on a terminal, no FILE opens the paste box)");
	return 0;
}

/* What a text with no SetupAPI line looks like, for the refusal. */
static const char *what_it_is(const struct wf_sa_info *in)
{
	const char *o = in->other;
	if (in->binary_lines * 4 > in->lines)
		return "binary data";
	if (!strncasecmp(o, "<!DOCTYPE html", 14) || !strncasecmp(o, "<html", 5))
		return "an HTML page";
	if (o[0] == '<')
		return "XML or HTML";
	if (o[0] == '{' || o[0] == '[')
		return "JSON or an INI file";
	if (in->lines == 0)
		return "nothing";
	return "plain text";
}

/* Read one file ("-" = stdin); on failure print the one-line error and
 * remember it. */
static int read_one(struct wf_logdiag *d, const char *path,
		    struct json_object *errors)
{
	struct wf_error err = { 0 };
	struct stat st;
	int rc;
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "(standard input)" : path;
	if (!is_stdin && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		wf_error_set(&err, WF_ERR_INPUT, "%s: is a directory, not a log file", path);
		goto bad;
	}
	rc = is_stdin ? wf_logdiag_add_stream(d, stdin, name, &err)
		      : wf_logdiag_add_file(d, path, NULL, &err);
	if (rc == 0) {
		const struct wf_sa_info *in = wf_logdiag_last_info(d);
		if (in->sa_lines || in->bytes == 0)
			return 0;
		if (in->other[0])
			wf_error_set(&err, WF_ERR_INPUT,
				     "%s: no SetupAPI log line in its %lu lines: it looks like %s "
				     "(first line: \"%.60s\")", name, in->lines, what_it_is(in),
				     in->other);
		else
			wf_error_set(&err, WF_ERR_INPUT,
				     "%s: no SetupAPI log line in its %lu lines (only blank lines)",
				     name, in->lines);
	}
bad:
	wf_cli_fail(&err);
	json_object_array_add(errors, json_object_new_string(err.msg));
	return -1;
}

static void print_text(const struct args *a, const struct wf_findings *f,
		       const struct wf_logsummary *sum)
{
	struct wf_strbuf out = WF_STRBUF_INIT;
	wf_sb_adds(&out, "SetupAPI log diagnosis: ");
	for (size_t i = 0; i < a->n; i++)
		wf_sb_addf(&out, "%s%s", i ? ", " : "",
			   strcmp(a->files[i], "-") ? a->files[i] : "(standard input)");
	wf_sb_addc(&out, '\n');
	wf_logsummary_to_text(sum, &out);
	wf_sb_addf(&out, "%zu finding%s: %zu error, %zu warning, %zu info\n\n",
		   f->n, f->n == 1 ? "" : "s",
		   wf_findings_count(f, WF_SEV_ERROR),
		   wf_findings_count(f, WF_SEV_WARNING),
		   wf_findings_count(f, WF_SEV_INFO));
	if (!f->n)
		wf_sb_adds(&out, "No driver install problem found in the log.\n");
	wf_findings_to_text(f, &out);
	wf_cli_out(stdout, out.buf);
	wf_sb_release(&out);
}

static void print_json(const struct args *a, struct wf_findings *f,
		       const struct wf_logsummary *sum, struct json_object *errors)
{
	struct json_object *o = json_object_new_object();
	struct json_object *files = json_object_new_array();
	for (size_t i = 0; i < a->n; i++)
		json_object_array_add(files, json_object_new_string(a->files[i]));
	json_object_object_add(o, "files", files);
	json_object_object_add(o, "summary", wf_logsummary_to_json(sum));
	json_object_object_add(o, "findings", wf_findings_to_json(f));
	json_object_object_add(o, "errors", json_object_get(errors));
	wf_cli_print_json(o);
}

int wf_cmd_log(int argc, char **argv)
{
	struct args a = { 0 };
	int r = parse(argc, argv, &a);
	if (r) {
		free(a.files);
		return r == 1 ? WF_EXIT_OK : r;
	}
	if (!a.n) {		/* the paste box (a terminal, see parse) */
		free(a.files);
		return wf_wizard_log(NULL, 0);
	}
	int uses_stdin = 0;
	for (size_t i = 0; i < a.n; i++)
		uses_stdin |= strcmp(a.files[i], "-") == 0;
	if (!a.json && !uses_stdin && (a.tui > 0 || (a.tui == 0 && isatty(STDIN_FILENO) &&
					 isatty(STDOUT_FILENO)))) {
		r = wf_wizard_log(a.files, a.n);
		free(a.files);
		return r;
	}
	struct wf_findings f = { 0 };
	struct wf_logsummary sum;
	struct json_object *errors = json_object_new_array();
	struct wf_logdiag *d = wf_logdiag_new(&f);
	int bad = 0;
	for (size_t i = 0; i < a.n; i++)
		bad |= read_one(d, a.files[i], errors) < 0;
	wf_logdiag_finish(d, &sum);
	wf_logdiag_free(d);
	if (a.json)
		print_json(&a, &f, &sum, errors);
	else if (sum.files > sum.unrecognised || !bad)
		print_text(&a, &f, &sum);
	json_object_put(errors);
	wf_findings_free(&f);
	free(a.files);
	return bad ? WF_EXIT_INPUT : WF_EXIT_OK;
}
