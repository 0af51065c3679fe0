/* virt-winfix diagnose: 0x7B, Code 39 and NULL-driver causes. */
#include "commands.h"
#include "cli.h"
#include "cli_src.h"
#include "diagnose.h"
#include "finding.h"
#include "help.h"
#include "inspect.h"
#include "strbuf.h"
#include "targets.h"
#include "text.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: virt-winfix diagnose IMAGE... [--target BUS[,BUS]] [--domain-xml FILE] [--json]\n"
	"       virt-winfix diagnose -d DOMAIN [-c URI] [--target BUS[,BUS]] [--json]\n"
	"       virt-winfix diagnose --pve-config FILE [-a IMAGE]... [--json]\n"
	"       virt-winfix diagnose --system-hive FILE [--software-hive FILE]\n"
	"                            [--log1 FILE] [--log2 FILE]\n"
	"                            [--log SETUPAPI-LOG]... [--target BUS[,BUS]] [--json]\n"
	"Find why Windows stops with 0x7B INACCESSIBLE_BOOT_DEVICE, shows Code 39,\n"
	"or installs a NULL driver on the controllers the VM presents: the boot\n"
	"driver, CriticalDeviceDatabase / DriverDatabase entries, filters, driver\n"
	"files, control sets, and the guest's SetupAPI logs.  Read-only.\n"
	"\n"
	"  --target LIST       what the VM presents: virtio-blk, virtio-scsi, sata,\n"
	"                      ide, nvme, lsi-sas, lsi-scsi, pvscsi, virtio-net,\n"
	"                      e1000, e1000e, rtl8139, vmxnet3 (default virtio-blk,\n"
	"                      virtio-net; with --system-hive: the controller the\n"
	"                      hive booted from; with -d or --pve-config: what that\n"
	"                      VM presents)\n"
	"  --domain-xml FILE   take the targets from a libvirt domain XML\n"
	"  --system-hive FILE  diagnose a SYSTEM hive file, no image (file checks\n"
	"                      skipped; the version is inferred when there is no\n"
	"                      --software-hive); a hive not cleanly saved is read\n"
	"                      with its transaction logs FILE.LOG1, FILE.LOG2,\n"
	"                      FILE.LOG found beside it\n"
	"  --log1 FILE, --log2 FILE\n"
	"                      the SYSTEM hive's transaction logs, when they are\n"
	"                      not beside it\n"
	"  --json              machine-readable output\n"
	"Exit status: 0 no error found, 1 error findings, 2 bad input,\n"
	"3 appliance failure, 130 interrupted.\n";

struct args {
	struct wf_cli_src src;
	const char *target, *domxml, *system, *software;
	const char *hivelogs[3];	/* --log1, --log2 (NULL: beside the hive) */
	struct wf_diag_log *logs;
	size_t n_logs;
	int json;
};

static int need_value(int argc, char **argv, int i)
{
	if (i + 1 >= argc)
		return wf_cli_usage_error("diagnose: %s needs a value (see virt-winfix diagnose --help)", argv[i]);
	return 0;
}

static int parse(int argc, char **argv, struct args *a)
{
	a->logs = calloc((size_t)argc, sizeof *a->logs);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		int c = wf_cli_src_option(&a->src, "diagnose", argc, argv, &i);
		if (c < 0)
			return WF_EXIT_INPUT;
		if (c)
			continue;
		const char **slot = NULL;
		if (wf_cli_is(o, "--json"))
			a->json = 1;
		else if (wf_cli_is(o, "-h") || wf_cli_is(o, "--help")) {
			fputs(usage, stdout);
			fputs(wf_cli_src_usage, stdout);
			return 1;
		} else if (wf_cli_is(o, "--target"))
			slot = &a->target;
		else if (wf_cli_is(o, "--domain-xml"))
			slot = &a->domxml;
		else if (wf_cli_is(o, "--system-hive"))
			slot = &a->system;
		else if (wf_cli_is(o, "--software-hive"))
			slot = &a->software;
		else if (wf_cli_is(o, "--log1"))
			slot = &a->hivelogs[0];
		else if (wf_cli_is(o, "--log2"))
			slot = &a->hivelogs[1];
		else if (wf_cli_is(o, "--log")) {
			if (need_value(argc, argv, i))
				return WF_EXIT_INPUT;
			a->logs[a->n_logs].path = argv[++i];
			a->logs[a->n_logs].name = argv[i];
			a->n_logs++;
		} else
			return wf_cli_usage_error("diagnose: unknown option %s (see virt-winfix diagnose --help)", o);
		if (slot) {
			if (need_value(argc, argv, i))
				return WF_EXIT_INPUT;
			*slot = argv[++i];
		}
	}
	if (a->target && a->domxml)
		return wf_cli_usage_error("diagnose: give --target or --domain-xml, not both");
	int have_src = a->src.n || a->src.domain || a->src.pve_path;
	if (a->domxml && (a->src.domain || a->src.pve_path))
		return wf_cli_usage_error("diagnose: --domain-xml goes with disk images, not with -d or --pve-config");
	if (a->system && have_src)
		return wf_cli_usage_error("diagnose: give disk images or --system-hive, not both");
	if (!a->system && (a->software || a->n_logs || a->hivelogs[0] || a->hivelogs[1]))
		return wf_cli_usage_error("diagnose: --software-hive, --log, --log1 and --log2 go with --system-hive");
	if (!a->system && !have_src)
		return wf_cli_usage_error("diagnose: no disk image given (usage: virt-winfix diagnose IMAGE... or --system-hive FILE)");
	return 0;
}

/* Targets from the options; NULL *t = let core decide. */
static int get_targets(const struct args *a, struct wf_targets *t, int *have,
		       struct wf_error *e)
{
	*have = 1;
	if (a->target)
		return wf_targets_parse_list(a->target, t, e);
	if (a->domxml)
		return wf_targets_from_domxml_file(a->domxml, t, e);
	int r = wf_cli_src_targets(&a->src, t, e);
	*have = r == 1;
	return r < 0 ? -1 : 0;
}

static void report_text(const char *what, const struct wf_diag_notes *notes,
			const struct wf_findings *f)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_addf(&sb, "Diagnosis of %s\n", what);
	for (size_t i = 0; i < notes->n; i++) {	/* guest names in them: one line */
		wf_sb_adds(&sb, "  note: ");
		wf_sb_add_escaped(&sb, notes->v[i], strlen(notes->v[i]), 0);
		wf_sb_addc(&sb, '\n');
	}
	wf_sb_addf(&sb, "%zu findings: %zu error, %zu warning, %zu info\n\n", f->n,
		   wf_findings_count(f, WF_SEV_ERROR), wf_findings_count(f, WF_SEV_WARNING),
		   wf_findings_count(f, WF_SEV_INFO));
	wf_findings_to_text(f, &sb);
	if (!f->n)
		wf_sb_adds(&sb, "No problem found for these controllers.\n");
	int hdr = 0;
	for (size_t i = 0; i < f->n; i++) {
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = strcmp(f->v[k].id, f->v[i].id) == 0;
		if (dup || !wf_help_article("findings", f->v[i].id))
			continue;
		if (!hdr++)
			wf_sb_adds(&sb, "More about each cause:\n");
		wf_sb_addf(&sb, "  virt-winfix help %s\n", f->v[i].id);
	}
	wf_cli_out(stdout, sb.buf);
	wf_sb_release(&sb);
}

static void report_json(const char *what, const struct wf_diag_notes *notes,
			const struct wf_findings *f, const char *error)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "input", json_object_new_string(what));
	struct json_object *n = json_object_new_array();
	for (size_t i = 0; i < notes->n; i++)
		json_object_array_add(n, json_object_new_string(notes->v[i]));
	json_object_object_add(o, "notes", n);
	json_object_object_add(o, "findings", wf_findings_to_json(f));
	struct json_object *s = json_object_new_object();
	json_object_object_add(s, "error", json_object_new_int((int)wf_findings_count(f, WF_SEV_ERROR)));
	json_object_object_add(s, "warning", json_object_new_int((int)wf_findings_count(f, WF_SEV_WARNING)));
	json_object_object_add(s, "info", json_object_new_int((int)wf_findings_count(f, WF_SEV_INFO)));
	json_object_object_add(o, "summary", s);
	if (error)
		json_object_object_add(o, "error", json_object_new_string(error));
	wf_cli_print_json(o);
}

static int run_hive(const struct args *a, const struct wf_targets *t,
		    struct wf_diag_notes *notes, struct wf_findings *f,
		    struct wf_error *e)
{
	return wf_diagnose_hive_files_logs(a->system, a->hivelogs, a->software, t, a->logs,
					   a->n_logs, notes, f, e);
}

static int run_image(struct args *a, const struct wf_targets *t,
		     struct wf_diag_notes *notes, struct wf_findings *f,
		     struct wf_error *e)
{
	struct wf_inspection in;
	memset(&in, 0, sizeof in);
	int r = wf_cli_src_open(&a->src, 0, &in, e);
	if (r == 0)
		r = wf_diagnose_inspection_notes(&in, t, notes, f, e);
	if (r < 0 && e->kind == WF_ERR_ENCRYPTED)	/* say what the move does to it */
		wf_diagnose_bitlocker(&in, t, f);
	wf_cli_watch_session(NULL, NULL);
	wf_inspection_free(&in);
	return r;
}

int wf_cmd_diagnose(int argc, char **argv)
{
	struct args a = { 0 };
	int rc = parse(argc, argv, &a);
	if (rc) {
		wf_cli_src_free(&a.src);
		free(a.logs);
		return rc == 1 ? WF_EXIT_OK : rc;
	}
	struct wf_error err = { 0 };
	struct wf_targets t;
	struct wf_diag_notes notes = { 0 };
	struct wf_findings f = { 0 };
	int have_t;
	if (!a.system && wf_cli_src_resolve(&a.src, "diagnose", 0, &err) < 0) {
		rc = wf_cli_fail(&err);
		goto done;
	}
	const char *what = a.system ? a.system : wf_cli_src_what(&a.src);
	if (get_targets(&a, &t, &have_t, &err) < 0) {
		rc = wf_cli_fail(&err);
		goto done;
	}
	int r = a.system ? run_hive(&a, have_t ? &t : NULL, &notes, &f, &err)
			 : run_image(&a, have_t ? &t : NULL, &notes, &f, &err);
	if (r < 0) {
		if (!a.json && f.n)	/* findings made before the failure (BitLocker) */
			report_text(what, &notes, &f);
		rc = wf_cli_fail(&err);
		if (a.json)
			report_json(what, &notes, &f, err.msg);
		goto done;
	}
	if (a.json)
		report_json(what, &notes, &f, NULL);
	else
		report_text(what, &notes, &f);
	rc = wf_findings_count(&f, WF_SEV_ERROR) ? WF_EXIT_FINDINGS : WF_EXIT_OK;
	if (wf_cli_interrupted())
		rc = WF_EXIT_INTERRUPTED;
done:
	wf_findings_free(&f);
	wf_diag_notes_free(&notes);
	wf_cli_src_free(&a.src);
	free(a.logs);
	return rc;
}
