/* virt-winfix inspect: which Windows, which controllers. */
#include "commands.h"
#include "cli.h"
#include "cli_src.h"
#include "inspect.h"
#include "inspect_report.h"
#include "strbuf.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: virt-winfix inspect IMAGE... | -d DOMAIN [-c URI] [--json]\n"
	"Show the disks (format, partitions, filesystems, BitLocker), the\n"
	"Windows installation (product, release, version, build, architecture,\n"
	"control set, hostname) and, for every storage and network controller\n"
	"kind, the driver services Windows has, their Start value and files,\n"
	"plus the PCI devices Windows has seen.  Read-only (works on a running\n"
	"domain: its disks are opened read-only).\n";

struct args {
	struct wf_cli_src src;
	int json;
};

static int parse(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		int c = wf_cli_src_option(&a->src, "inspect", argc, argv, &i);
		if (c < 0)
			return WF_EXIT_INPUT;
		if (c)
			continue;
		if (wf_cli_is(argv[i], "--json"))
			a->json = 1;
		else if (wf_cli_is(argv[i], "-h") || wf_cli_is(argv[i], "--help")) {
			fputs(usage, stdout);
			fputs(wf_cli_src_usage, stdout);
			return 1;
		} else
			return wf_cli_usage_error("inspect: unknown option %s (see virt-winfix inspect --help)", argv[i]);
	}
	if (!a->src.n && !a->src.domain && !a->src.pve_path)
		return wf_cli_usage_error("inspect: no disk image given (usage: virt-winfix inspect IMAGE... or -d DOMAIN)");
	return 0;
}

static int fail_json(struct wf_inspection *in, const struct wf_error *e)
{
	struct json_object *o = wf_report_inspection_json(in);
	json_object_object_add(o, "error", json_object_new_string(e->msg));
	wf_cli_print_json(o);
	return wf_exit_code(e->kind);
}

int wf_cmd_inspect(int argc, char **argv)
{
	struct args a = { 0 };
	int r = parse(argc, argv, &a);
	if (r) {
		wf_cli_src_free(&a.src);
		return r == 1 ? WF_EXIT_OK : r;
	}
	struct wf_inspection in;
	struct wf_error err = { 0 };
	struct wf_strbuf out = WF_STRBUF_INIT;
	struct wf_inspect_opts opts = { .notify = wf_cli_progress, .on_session = wf_cli_watch_session,
					.skip_bcd = 1,
					.keys = a.src.keys, .n_keys = a.src.n_keys };
	int rc = WF_EXIT_OK;
	memset(&in, 0, sizeof in);
	if (wf_cli_src_resolve(&a.src, "inspect", 0, &err) < 0) {
		rc = wf_cli_fail(&err);
		goto done;
	}
	if (wf_cli_src_probe(&a.src, &in, &err) < 0) {
		rc = a.json ? (wf_cli_fail(&err), fail_json(&in, &err)) : wf_cli_fail(&err);
		goto done;
	}
	if (!a.json) {
		wf_report_disks_text(&in, &out);
		wf_cli_out(stdout, out.buf);
		fflush(stdout);
		wf_sb_reset(&out);
	}
	if (wf_inspect_guest(&in, &opts, &err) < 0) {
		wf_cli_watch_session(NULL, NULL);
		rc = a.json ? (wf_cli_fail(&err), fail_json(&in, &err)) : wf_cli_fail(&err);
		goto done;
	}
	wf_cli_watch_session(NULL, NULL);
	if (a.json) {
		wf_cli_print_json(wf_report_inspection_json(&in));
	} else {
		wf_report_windows_text(&in, &out);
		wf_cli_out(stdout, out.buf);
	}
done:
	wf_inspection_free(&in);
	wf_sb_release(&out);
	wf_cli_src_free(&a.src);
	return rc;
}
