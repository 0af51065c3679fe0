/* virt-winfix fix / undo: plan, dry run, apply with backups, verify, undo. */
#include "commands.h"
#include "cli.h"
#include "cli_src.h"
#include "cmd_switch.h"
#include "diagnose.h"
#include "finding.h"
#include "fixes.h"
#include "fixrun.h"
#include "guardrails.h"
#include "inspect.h"
#include "sigpolicy.h"
#include "strbuf.h"
#include "targets.h"
#include "virtio_src.h"
#include "domxml.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char fix_usage[] =
	"Usage: virt-winfix fix IMAGE... --fix ID[,ID...] [--virtio-win DIR|ISO]\n"
	"                        [--dry-run] [--yes] [--json] [--backup-dir DIR]\n"
	"                        [--current-only] [--target BUS[,BUS]] [--domain-xml FILE]\n"
	"                        [--test-signing | --no-signature-check]\n"
	"       virt-winfix fix -d DOMAIN [-c URI] --auto [--switch-domain] [same options]\n"
	"       virt-winfix fix IMAGE... --auto [same options]\n"
	"Show exactly what a fix changes (registry values old -> new, files added\n"
	"or replaced), then apply it: every hive and file it touches is backed up\n"
	"in the guest (C:\\virt-winfix\\backup\\<id>) and next to the image, hives\n"
	"are replaced atomically, every change is read back, and the diagnosis\n"
	"runs again.  Nothing is written without --yes or a \"y\" at the prompt.\n"
	"\n"
	"  --fix IDS        fixes to apply (virt-winfix help fixes lists them):\n"
	"                   enable-driver:SVC, mergeide, add-cdd:SVC, ddb-entry:SVC,\n"
	"                   ddb-version:PKG, inject-virtio:DRV, remove-filter:SCOPE:SVC,\n"
	"                   autoreboot-off, import-reg:FILE\n"
	"  --auto           every fix the diagnosis proposes\n"
	"  --virtio-win P   virtio-win directory or ISO (for inject-virtio)\n"
	"  --dry-run        only show the plan; the image is opened read-only\n"
	"  --yes            apply without asking\n"
	"  --backup-dir D   host folder for backups (default IMAGE.virt-winfix)\n"
	"  --current-only   change only the current control set, not LastKnownGood's\n"
	"  --target, --domain-xml   what the VM presents (as for diagnose); the\n"
	"                   definition (--domain-xml, or -d's domain) also says\n"
	"                   which virtio ids a boot driver's INF must bind\n"
	"  --switch-domain  then make the VM present the controllers the fix was\n"
	"                   for (--target, default virtio-blk + virtio-net): with\n"
	"                   -d the domain is redefined (the XML diff is shown, the\n"
	"                   old definition kept with the backup; undo restores it);\n"
	"                   with --pve-config the `qm set` commands are printed\n"
	"  --test-signing   accept a test-signed boot driver and turn test signing on\n"
	"                   in the guest's BCD store (undo turns it off; Secure Boot\n"
	"                   must then be off in the VM)\n"
	"  --no-signature-check  do not check injected drivers' signatures (experts)\n"
	"Exit status: 0 applied (or shown), 1 applied but errors remain, 2 bad\n"
	"input or refused, 3 appliance failure, 130 interrupted.\n";

static const char undo_usage[] =
	"Usage: virt-winfix undo IMAGE...|-d DOMAIN [--list] [--id ID] [--force] [--yes]\n"
	"                         [--backup-dir DIR] [--json]\n"
	"Put back what a fix changed: the hives byte for byte from the backup\n"
	"(checked against the journal's hashes), files the fix added removed,\n"
	"files it replaced restored.  Refuses when a hive changed since the fix\n"
	"(Windows ran) unless --force.  --list shows the fixes recorded.\n"
	"With -d, a domain definition changed by fix --switch-domain is restored.\n";

struct args {
	struct wf_cli_src src;
	char **ids;
	size_t n_ids;
	const char *virtio, *backup, *target, *domxml, *id;
	int auto_, dry, yes, json, current_only, list, force, switch_dom, test_signing, no_sig_check;
};

static void add_ids(struct args *a, const char *list)
{
	char *copy = strdup(list), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		a->ids = realloc(a->ids, (a->n_ids + 1) * sizeof *a->ids);
		a->ids[a->n_ids++] = strdup(t);
	}
	free(copy);
}

static int parse(int argc, char **argv, struct args *a, int undo)
{
	const char *cmd = undo ? "undo" : "fix";
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], **slot = NULL;
		int c = wf_cli_src_option(&a->src, cmd, argc, argv, &i);
		if (c < 0)
			return WF_EXIT_INPUT;
		if (c)
			continue;
		if (wf_cli_is(o, "-h") || wf_cli_is(o, "--help")) {
			fputs(undo ? undo_usage : fix_usage, stdout);
			fputs(wf_cli_src_usage, stdout);
			return 1;
		}
		int *flag = wf_cli_is(o, "--json") ? &a->json : wf_cli_is(o, "--yes") || wf_cli_is(o, "-y") ? &a->yes
			    : !undo && wf_cli_is(o, "--auto") ? &a->auto_ : !undo && wf_cli_is(o, "--dry-run") ? &a->dry
			    : !undo && wf_cli_is(o, "--current-only") ? &a->current_only
			    : !undo && wf_cli_is(o, "--switch-domain") ? &a->switch_dom
			    : !undo && wf_cli_is(o, "--test-signing") ? &a->test_signing
			    : !undo && wf_cli_is(o, "--no-signature-check") ? &a->no_sig_check
			    : undo && wf_cli_is(o, "--list") ? &a->list : undo && wf_cli_is(o, "--force") ? &a->force : NULL;
		if (flag) {
			*flag = 1;
			continue;
		}
		if (!undo && wf_cli_is(o, "--fix")) {
			if (i + 1 >= argc)
				return wf_cli_usage_error("fix: --fix needs a value");
			add_ids(a, argv[++i]);
			continue;
		}
		if (!undo && wf_cli_is(o, "--virtio-win"))
			slot = &a->virtio;
		else if (wf_cli_is(o, "--backup-dir"))
			slot = &a->backup;
		else if (!undo && wf_cli_is(o, "--target"))
			slot = &a->target;
		else if (!undo && wf_cli_is(o, "--domain-xml"))
			slot = &a->domxml;
		else if (undo && wf_cli_is(o, "--id"))
			slot = &a->id;
		else
			return wf_cli_usage_error("%s: unknown option %s (see virt-winfix %s --help)", cmd, o, cmd);
		if (i + 1 >= argc)
			return wf_cli_usage_error("%s: %s needs a value", cmd, o);
		*slot = argv[++i];
	}
	if (!a->src.n && !a->src.domain && !a->src.pve_path)
		return wf_cli_usage_error("%s: no disk image given (usage: virt-winfix %s IMAGE... or -d DOMAIN)", cmd, cmd);
	if (a->switch_dom && !a->src.domain && !a->src.pve_path)
		return wf_cli_usage_error("fix: --switch-domain needs -d DOMAIN (or --pve-config FILE)");
	if (a->domxml && (a->src.domain || a->src.pve_path))
		return wf_cli_usage_error("%s: --domain-xml goes with disk images, not with -d or --pve-config", cmd);
	if (!undo && !a->n_ids && !a->auto_)
		return wf_cli_usage_error("fix: say which fixes: --fix ID[,ID...] or --auto (virt-winfix help fixes)");
	if (a->target && a->domxml)
		return wf_cli_usage_error("%s: give --target or --domain-xml, not both", cmd);
	if (a->test_signing && a->no_sig_check)
		return wf_cli_usage_error("fix: give --test-signing or --no-signature-check, not both");
	for (size_t i = 0; i < a->n_ids; i++)	/* before any appliance */
		if (!wf_fix_family_of(a->ids[i]))
			return wf_cli_usage_error("fix: %s: unknown fix (virt-winfix help fixes lists them)",
						  a->ids[i]);
	struct wf_error e = { 0 };
	if (a->virtio && wf_virtio_src_check(a->virtio, &e) < 0)
		return wf_cli_usage_error("fix: --virtio-win %s", e.msg);
	return 0;
}

static void free_args(struct args *a)
{
	for (size_t i = 0; i < a->n_ids; i++)
		free(a->ids[i]);
	free(a->ids);
	wf_cli_src_free(&a->src);
}

/* Apply progress: always on stderr (each step changes the image). */
static void on_progress(void *ud, unsigned step, unsigned total, const char *msg)
{
	if (!total)	/* a stage, not a counted step */
		wf_cli_line("%s: %s", (const char *)ud, msg);
	else
		wf_cli_line("%s [%u/%u] %s", (const char *)ud, step, total, msg);
}

/* Bytes of a long copy (libguestfs progress events): on a terminal one
 * line redrawn in place, else a line at each quarter. */
static void on_bytes(void *ud, uint64_t done, uint64_t total)
{
	static unsigned last = 100;
	if (!total)
		return;
	unsigned pct = (unsigned)(done * 100 / total);
	int tty = isatty(STDERR_FILENO);
	if (!tty && (pct / 25 == last / 25 && last != 100 && pct != 100))
		return;
	if (pct == last)
		return;
	last = pct == 100 ? 100 : pct;
	fprintf(stderr, "virt-winfix: %s   copying: %3u%% of %.1f MB%s", (const char *)ud, pct,
		(double)total / 1e6, tty && pct < 100 ? "\r" : "\n");
}

/* One appliance for the whole run: writable (locked, write-protected until
 * the apply) unless only reading (a virtio-win ISO is read on the host).
 * The disks come from the source (-a, -d, --pve-config) with their formats. */
/* Resolve the source (-d: the domain's definition and disks), then
 * probe and launch; `resolved`: the caller already resolved it. */
static int open_image(struct args *a, int writable, int resolved,
		      struct wf_inspection *in, struct wf_error *e)
{
	memset(in, 0, sizeof *in);
	if (!resolved && wf_cli_src_resolve(&a->src, a->ids || a->auto_ ? "fix" : "undo", writable, e) < 0)
		return -1;
	struct wf_fixrun_open o = {
		.writable = writable,
		.io = { .notify = wf_cli_progress, .on_session = wf_cli_watch_session,
			.keys = a->src.keys, .n_keys = a->src.n_keys },
	};
	if (wf_cli_src_probe(&a->src, in, e) < 0)
		return -1;
	return wf_fixrun_launch(in, &o, e);
}

/* --- fix ----------------------------------------------------------------------------- */

struct report {
	struct json_object *o;
	struct wf_strbuf text;
};

static void findings_line(struct wf_strbuf *sb, const char *label, const struct wf_findings *f)
{
	wf_sb_addf(sb, "%s: %zu error, %zu warning, %zu info", label,
		   wf_findings_count(f, WF_SEV_ERROR), wf_findings_count(f, WF_SEV_WARNING),
		   wf_findings_count(f, WF_SEV_INFO));
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].severity == WF_SEV_ERROR)
			wf_sb_addf(sb, "%s%s%s%s", i ? ", " : " (", f->v[i].id,
				   f->v[i].device ? " " : "", f->v[i].device ? f->v[i].device : "");
	wf_sb_adds(sb, wf_findings_count(f, WF_SEV_ERROR) ? ")\n" : "\n");
}

/* The VM's definition, read once (domxml.h): --domain-xml, or the
 * libvirt domain of -d (its next-boot definition, domain.h).  *out NULL
 * when there is none (plain images, --pve-config).  The source must be
 * resolved. */
static int read_definition(const struct args *a, struct wf_domfacts **out, struct wf_error *e)
{
	*out = NULL;
	if (!a->domxml && !a->src.have_dom)
		return 0;
	struct wf_domfacts *f = wf_xmalloc(sizeof *f);
	int r = a->domxml ? wf_domfacts_read_file(a->domxml, f, e)
			  : wf_domfacts_read(a->src.dom.xml, strlen(a->src.dom.xml), a->src.dom.name, f, e);
	if (r < 0)
		free(f);
	else
		*out = f;
	return r;
}

/* 0 = targets in t, 1 = let core decide.  --switch-domain judges the
 * controllers to switch to (--target, else the default), not the VM's. */
static int get_targets(const struct args *a, const struct wf_domfacts *dom, struct wf_targets *t,
		       struct wf_error *e)
{
	if (a->target)
		return wf_targets_parse_list(a->target, t, e);
	if (a->switch_dom) {
		wf_targets_default(t);
		return 0;
	}
	if (dom)
		return wf_targets_from_domfacts(dom, t, e);
	int r = wf_cli_src_targets(&a->src, t, e);
	return r < 0 ? -1 : r == 1 ? 0 : 1;
}

/* --auto: the fix ids of the findings; inject-virtio needs --virtio-win. */
static void auto_ids(struct args *a, const struct wf_findings *f, struct wf_plan *notes)
{
	char **ids;
	size_t n;
	wf_fixes_from_findings(f, &ids, &n);
	for (size_t i = 0; i < n; i++) {
		if (!a->virtio && wf_fix_in_family(ids[i], WF_FIXID(INJECT_VIRTIO))) {
			wf_plan_note(notes, "%s skipped: give --virtio-win DIR|ISO to inject drivers", ids[i]);
			free(ids[i]);
			continue;
		}
		a->ids = realloc(a->ids, (a->n_ids + 1) * sizeof *a->ids);
		a->ids[a->n_ids++] = ids[i];
	}
	free(ids);
}

static void after_text(struct report *rp, const struct wf_apply_result *res,
		       const struct wf_plan *p, const struct args *a)
{
	char image[600];
	if (a->src.have_dom)
		snprintf(image, sizeof image, "-d %s", a->src.dom.name);
	else
		snprintf(image, sizeof image, "%s", a->src.images[0]);
	struct wf_strbuf *sb = &rp->text;
	wf_sb_addf(sb, "\nApplied and verified: every change was read back from the guest.\n");
	wf_sb_addf(sb, "Backup: %s in the guest, and %s\n", res->guest_backup, res->host_backup);
	for (size_t i = 0; i < p->n_notes; i++)
		wf_sb_addf(sb, "At first boot / note: %s\n", p->notes[i]);
	wf_sb_addf(sb, "Undo: virt-winfix undo %s --id %s\n", image, res->journal.id);
}

/* Error findings left that a fix of the plan addresses: the fix did not
 * work.  Others (log history, causes of other fixes) are reported only. */
static size_t addressed_errors(const struct wf_findings *f, const struct wf_plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		for (size_t k = 0; k < f->v[i].n_fixes && f->v[i].severity == WF_SEV_ERROR; k++)
			for (size_t j = 0; j < p->n_fixes; j++)
				n += strcasecmp(f->v[i].fixes[k], p->fixes[j]) == 0;
	return n;
}

static int injects(const struct args *a)
{
	for (size_t i = 0; i < a->n_ids; i++)
		if (wf_fix_in_family(a->ids[i], WF_FIXID(INJECT_VIRTIO)))
			return 1;
	return 0;
}

/* The driver source, open until the fix is applied (an ISO's files are
 * copied out into a folder that lives as long). */
static int open_virtio(const struct args *a, struct wf_virtio_src **out, struct wf_error *e)
{
	*out = wf_virtio_src_open(a->virtio, NULL, e);
	return *out ? 0 : -1;
}

/* Tests only (tests/long/faults.sh): VIRT_WINFIX_TEST_FAIL_IO=N fails the
 * Nth I/O call of the apply or undo on the real image (fixrun.h). */
static unsigned long test_fail_io(void)
{
	const char *v = getenv("VIRT_WINFIX_TEST_FAIL_IO");
	return v ? strtoul(v, NULL, 10) : 0;
}

static int fix_run(struct args *a, struct report *rp, struct wf_error *e)
{
	struct wf_inspection in = { 0 };
	struct wf_targets tg;
	/* the definition, read once before any launch: the targets and the
	 * virtio id check (idcheck.h) both come from it */
	struct wf_domfacts *dom = NULL;
	int rc = wf_cli_src_resolve(&a->src, "fix", !a->dry, e) < 0 || read_definition(a, &dom, e) < 0
		 ? -1 : 0;
	int have_t = rc == 0 ? get_targets(a, dom, &tg, e) : 1;
	if (have_t < 0)
		rc = -1;
	/* the driver source first: a bad one is refused before any launch
	 * (--auto knows its injections only after the diagnosis, below) */
	struct wf_virtio_src *vsrc = NULL;
	if (rc == 0 && a->virtio && injects(a))
		rc = open_virtio(a, &vsrc, e);
	if (rc == 0)
		rc = open_image(a, !a->dry, 1, &in, e);
	struct wf_findings before = { 0 }, after = { 0 };
	struct wf_plan p;
	wf_plan_init(&p);
	struct wf_fixrun_opts fo = { .backup_dir = a->backup, .current_only = a->current_only,
				     .sig_mode = a->no_sig_check ? WF_SIGMODE_SKIP
					       : a->test_signing ? WF_SIGMODE_TEST_SIGNING : WF_SIGMODE_CHECK,
				     /* --switch-domain: the switched definition
				      * presents what the guest needs (switchdom.h) */
				     .dom = a->switch_dom ? NULL : dom,
				     .fail_io_at = test_fail_io() };
	if (rc == 0)
		rc = wf_diagnose_inspection(&in, have_t == 0 ? &tg : NULL, &before, e);
	if (rc == 0 && a->auto_)
		auto_ids(a, &before, &p);
	fo.virtio = vsrc;
	if (rc == 0 && a->virtio && injects(a) && !fo.virtio)
		rc = open_virtio(a, &fo.virtio, e);
	struct wf_plan built;
	wf_plan_init(&built);
	if (rc == 0)
		rc = wf_fixrun_plan(&in, 0, (const char *const *)a->ids, a->n_ids, &fo, &built, e);
	for (size_t i = 0; rc == 0 && i < p.n_notes; i++)
		wf_plan_note(&built, "%s", p.notes[i]);
	json_object_object_add(rp->o, "findings_before", wf_findings_to_json(&before));
	if (rc == 0) {
		findings_line(&rp->text, "Diagnosis before", &before);
		wf_plan_to_text(&built, &rp->text);
		json_object_object_add(rp->o, "plan", wf_plan_to_json(&built));
	}
	int applied = 0;
	if (rc == 0 && !a->dry && built.n) {
		if (!a->json)
			wf_cli_out(stdout, rp->text.buf), wf_sb_reset(&rp->text), fflush(stdout);
		char q[256];
		snprintf(q, sizeof q, "Apply these %zu changes to %s?", built.n, wf_cli_src_what(&a->src));
		if (!a->yes && !wf_cli_confirm(q))
			rc = wf_error_set(e, WF_ERR_USAGE,
					  "fix: not applied: confirm at the prompt or add --yes (--dry-run only shows the plan)");
		struct wf_apply_result res = { 0 };
		struct wf_apply_opts ao = { .progress = on_progress, .bytes = on_bytes,
					    .progress_ud = (void *)"apply", .cancel = wf_cli_interrupt_flag() };
		if (rc == 0)
			rc = wf_fixrun_apply(&in, 0, &built, &fo, &ao, &res, e);
		if (rc == 0) {
			applied = 1;
			after_text(rp, &res, &built, a);
			json_object_object_add(rp->o, "journal", wf_journal_to_json(&res.journal));
			json_object_object_add(rp->o, "guest_backup", json_object_new_string(res.guest_backup));
			json_object_object_add(rp->o, "host_backup", json_object_new_string(res.host_backup));
			rc = wf_diagnose_inspection(&in, have_t == 0 ? &tg : NULL, &after, e);
			findings_line(&rp->text, "Diagnosis after", &after);
			if (wf_findings_count(&after, WF_SEV_ERROR) && !addressed_errors(&after, &built))
				wf_sb_adds(&rp->text, "The errors left are not what these fixes address "
					   "(log history or other causes: virt-winfix diagnose explains them).\n");
			json_object_object_add(rp->o, "findings_after", wf_findings_to_json(&after));
			struct wf_switch_ctx sc = { &a->src, &tg, &after, &in, res.host_backup, a->yes, 0,
						    &rp->text, rp->o };
			if (rc == 0 && a->switch_dom && wf_cli_switch(&sc, e) < 0)
				rc = -1;
		}
		wf_apply_result_free(&res);
	}
	json_object_object_add(rp->o, "dry_run", json_object_new_boolean(a->dry));
	json_object_object_add(rp->o, "applied", json_object_new_boolean(applied));
	struct wf_switch_ctx dc = { &a->src, &tg, &before, &in, "", 0, 1, &rp->text, rp->o };
	if (rc == 0 && a->dry && a->switch_dom && wf_cli_switch(&dc, e) < 0)
		rc = -1;
	if (rc == 0 && !a->dry && !built.n && a->switch_dom)
		wf_sb_adds(&rp->text, "Nothing to fix, so no switch: --switch-domain goes with a fix (its undo restores the domain); "
			   "the guest's diagnosis above says whether the controllers would boot.\n");
	if (rc == 0 && a->dry)
		wf_sb_adds(&rp->text, "Dry run: nothing was written.\n");
	if (rc == 0 && applied && addressed_errors(&after, &built))
		rc = 1;
	wf_findings_free(&before);
	wf_findings_free(&after);
	wf_plan_free(&p);
	wf_plan_free(&built);
	wf_virtio_src_free(fo.virtio);
	wf_cli_watch_session(NULL, NULL);
	wf_inspection_free(&in);
	free(dom);
	return rc;
}

/* --- undo ---------------------------------------------------------------------------- */

static void list_text(struct wf_strbuf *sb, const struct wf_journal *v, size_t n)
{
	if (!n)
		wf_sb_adds(sb, "No fix applied by virt-winfix is recorded in this guest.\n");
	for (size_t i = 0; i < n; i++) {
		wf_sb_addf(sb, "%s  %-8s  ", v[i].id, v[i].state);
		for (size_t k = 0; k < v[i].n_fixes; k++)
			wf_sb_addf(sb, "%s%s", k ? ", " : "", v[i].fixes[k]);
		wf_sb_addf(sb, "\n");
	}
}

static int undo_run(struct args *a, struct report *rp, struct wf_error *e)
{
	struct wf_inspection in;
	int rc = open_image(a, !a->list, 0, &in, e);
	struct wf_fixrun_opts fo = { .backup_dir = a->backup, .fail_io_at = test_fail_io() };
	struct wf_journal *v = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = wf_fixrun_list(&in, 0, &fo, &v, &n, e);
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, wf_journal_to_json(&v[i]));
	json_object_object_add(rp->o, "fixes", arr);
	if (rc == 0 && a->list)
		list_text(&rp->text, v, n);
	const struct wf_journal *j = NULL;
	for (size_t i = 0; i < n && !j; i++)
		if (a->id ? strcmp(v[i].id, a->id) == 0 : strcmp(v[i].state, WF_JOURNAL_UNDONE) != 0)
			j = &v[i];
	if (rc == 0 && !a->list && j) {
		wf_sb_addf(&rp->text, "Undo of fix %s (%s) will:\n", j->id, j->state);
		for (size_t i = 0; i < j->n_undo; i++)
			wf_sb_addf(&rp->text, "  %s\n", j->undo[i]);
		wf_sb_adds(&rp->text, "by restoring the backed-up hives byte for byte.\n");
		if (!a->json)
			wf_cli_out(stdout, rp->text.buf), wf_sb_reset(&rp->text), fflush(stdout);
		char q[200];
		snprintf(q, sizeof q, "Undo fix %s on %s?", j->id, wf_cli_src_what(&a->src));
		if (!a->yes && !wf_cli_confirm(q))
			rc = wf_error_set(e, WF_ERR_USAGE, "undo: not done: confirm at the prompt or add --yes");
	}
	if (rc == 0 && !a->list) {
		struct wf_apply_result res = { 0 };
		struct wf_apply_opts ao = { .progress = on_progress, .bytes = on_bytes, .progress_ud = (void *)"undo",
					    .force = a->force, .cancel = wf_cli_interrupt_flag() };
		rc = wf_fixrun_undo(&in, 0, a->id, &fo, &ao, &res, e);
		if (rc == 0) {
			wf_sb_addf(&rp->text, "Undone: fix %s; %zu hives and files restored and verified "
				   "against the journal's hashes.\n", res.journal.id, res.n_restored);
			json_object_object_add(rp->o, "undone", wf_journal_to_json(&res.journal));
			char *dir = wf_fixrun_backup_dir(&in, &fo);
			char *fixdir = wf_xasprintf("%s/%s", dir, res.journal.id);
			rc = wf_cli_switch_undo(&a->src, fixdir, &rp->text, rp->o, e);
			free(fixdir);
			free(dir);
		}
		wf_apply_result_free(&res);
	}
	wf_journals_free(v, n);
	wf_cli_watch_session(NULL, NULL);
	wf_inspection_free(&in);
	return rc;
}

/* fix and undo: parse, run, print the report (text or JSON), exit status. */
static int run_cmd(int argc, char **argv, int undo,
		   int (*run)(struct args *, struct report *, struct wf_error *))
{
	struct args a = { 0 };
	int rc = parse(argc, argv, &a, undo);
	if (rc) {
		free_args(&a);
		return rc == 1 ? WF_EXIT_OK : rc;
	}
	struct report rp = { json_object_new_object(), WF_STRBUF_INIT };
	json_object_object_add(rp.o, "image", json_object_new_string(a.src.n ? a.src.images[0] : ""));
	if (a.src.domain)
		json_object_object_add(rp.o, "domain", json_object_new_string(a.src.domain));
	struct wf_error err = { 0 };
	int r = run(&a, &rp, &err);
	if (r < 0) {
		rc = wf_cli_fail(&err);
		json_object_object_add(rp.o, "error", json_object_new_string(err.msg));
	} else {
		rc = r == 1 ? WF_EXIT_FINDINGS : WF_EXIT_OK;
	}
	if (wf_cli_interrupted())
		rc = WF_EXIT_INTERRUPTED;
	if (a.json)
		wf_cli_print_json(rp.o);
	else {
		wf_cli_out(stdout, rp.text.buf);
		json_object_put(rp.o);
	}
	wf_sb_release(&rp.text);
	free_args(&a);
	return rc;
}

int wf_cmd_fix(int argc, char **argv)
{
	return run_cmd(argc, argv, 0, fix_run);
}

int wf_cmd_undo(int argc, char **argv)
{
	return run_cmd(argc, argv, 1, undo_run);
}
