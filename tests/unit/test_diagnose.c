/*
 * test_diagnose.c - the diagnosis rules on SYSTEM hives built in the test
 * from .reg text (one test per rule and per fix id), the file rules with
 * driver files written by the kit, the merge of log and hive findings, and
 * the real SYSTEM hives of ../shared/fixtures: no error for the controller
 * each really booted from, the right findings when targeting virtio-blk,
 * and the speed on the 15 MB one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "diagnose.h"
#include "finding.h"
#include "fixtures.h"
#include "hive.h"
#include "inspect.h"
#include "regfile.h"
#include "rules.h"
#include "strbuf.h"
#include "targets.h"
#include "text.h"

#define KEY "[HKEY_LOCAL_MACHINE\\SYSTEM\\"
#define CS KEY "ControlSet001\\"
#define SVC(name, start, group) \
	CS "Services\\" name "]\n\"Type\"=dword:00000001\n\"Start\"=dword:0000000" #start "\n" \
	"\"ErrorControl\"=dword:00000001\n\"Group\"=\"" group "\"\n"

/* Windows 7: CDD, vhdmp (the version inference), IDE drivers, msahci at 3. */
static const char w7_base[] =
	"Windows Registry Editor Version 5.00\n\n"
	KEY "Select]\n\"Current\"=dword:00000001\n\"Default\"=dword:00000001\n"
	"\"LastKnownGood\"=dword:00000001\n\"Failed\"=dword:00000000\n\n"
	CS "Control\\ServiceGroupOrder]\n\"List\"=@GROUPS@\n\n"
	CS "Control\\Session Manager\\Environment]\n\"PROCESSOR_ARCHITECTURE\"=\"AMD64\"\n\n"
	CS "Control\\CriticalDeviceDatabase\\primary_ide_channel]\n\"Service\"=\"atapi\"\n\n"
	CS "Control\\CriticalDeviceDatabase\\secondary_ide_channel]\n\"Service\"=\"atapi\"\n\n"
	CS "Control\\CriticalDeviceDatabase\\pci#ven_8086&dev_7010]\n\"Service\"=\"intelide\"\n\n"
	CS "Control\\CriticalDeviceDatabase\\pci#cc_0106]\n\"Service\"=\"msahci\"\n\n"
	SVC("vhdmp", 3, "") "\n"
	SVC("volmgr", 0, "System Bus Extender") "\n"
	SVC("disk", 0, "SCSI Class") "\n"
	SVC("partmgr", 0, "System Bus Extender") "\n"
	SVC("atapi", 0, "SCSI miniport") "\n"
	SVC("intelide", 0, "System Bus Extender") "\n"
	SVC("msahci", 3, "SCSI miniport") "\n"
	CS "Enum\\PCI\\VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00\\3&1&0&09]\n\"Service\"=\"intelide\"\n\n";

#define VERSION_BLOB "\"Version\"=hex:00,ff,09,00,00,00,00,00,7b,e9,36,4d,25,e3,ce,11,bf,c1,08,00,2b,e1,03,18,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00,00\n"

/* Windows 10: DriverDatabase with the in-box machine.inf version 10.0.19041.1. */
static const char w10_base[] =
	"Windows Registry Editor Version 5.00\n\n"
	KEY "Select]\n\"Current\"=dword:00000001\n\"Default\"=dword:00000001\n"
	"\"LastKnownGood\"=dword:00000001\n\"Failed\"=dword:00000000\n\n"
	CS "Control\\ServiceGroupOrder]\n\"List\"=@GROUPS@\n\n"
	CS "Control\\Session Manager\\Environment]\n\"PROCESSOR_ARCHITECTURE\"=\"AMD64\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\machine.inf_amd64_1234]\n"
	"\"Version\"=hex:ff,ff,09,00,00,00,00,00,7d,e9,36,4d,25,e3,ce,11,bf,c1,08,00,2b,e1,03,18,"
	"00,00,00,00,00,00,00,00,01,00,61,4a,00,00,0a,00,00,00,00,00,00,00,00,00\n\n"
	KEY "DriverDatabase\\DeviceIds\\PCI\\CC_010601]\n\"mshdc.inf\"=hex:01,ff,00,00\n\n"
	KEY "DriverDatabase\\DeviceIds\\PCI\\VEN_8086&DEV_7010]\n\"mshdc.inf\"=hex:01,ff,00,00\n\n"
	KEY "DriverDatabase\\DriverInfFiles\\mshdc.inf]\n\"Active\"=\"mshdc.inf_amd64_1\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\mshdc.inf_amd64_1]\n" VERSION_BLOB "\n"
	KEY "DriverDatabase\\DriverPackages\\mshdc.inf_amd64_1\\Descriptors\\PCI\\CC_010601]\n"
	"\"Configuration\"=\"msahci_Inst\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\mshdc.inf_amd64_1\\Descriptors\\PCI\\VEN_8086&DEV_7010]\n"
	"\"Configuration\"=\"intelide_Inst\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\mshdc.inf_amd64_1\\Configurations\\msahci_Inst]\n"
	"\"Service\"=\"storahci\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\mshdc.inf_amd64_1\\Configurations\\intelide_Inst]\n"
	"\"Service\"=\"intelide\"\n\n"
	SVC("volmgr", 0, "System Bus Extender") "\n"
	SVC("disk", 0, "SCSI Class") "\n"
	SVC("storahci", 0, "SCSI miniport") "\n"
	SVC("intelide", 0, "System Bus Extender") "\n"
	SVC("atapi", 0, "SCSI miniport") "\n";

/* XP: no DriverDatabase, no volmgr. */
static const char xp_base[] =
	"Windows Registry Editor Version 5.00\n\n"
	KEY "Select]\n\"Current\"=dword:00000001\n\"Default\"=dword:00000001\n"
	"\"LastKnownGood\"=dword:00000001\n\n"
	CS "Control\\Session Manager\\Environment]\n\"PROCESSOR_ARCHITECTURE\"=\"x86\"\n\n"
	CS "Control\\CriticalDeviceDatabase\\primary_ide_channel]\n\"Service\"=\"atapi\"\n\n"
	CS "Control\\CriticalDeviceDatabase\\secondary_ide_channel]\n\"Service\"=\"atapi\"\n\n"
	CS "Control\\CriticalDeviceDatabase\\pci#ven_8086&dev_7010]\n\"Service\"=\"intelide\"\n\n"
	SVC("disk", 0, "SCSI Class") "\n"
	SVC("atapi", 0, "SCSI miniport") "\n"
	SVC("intelide", 0, "System Bus Extender") "\n";

/* The virtio-blk DriverDatabase chain (v2v's layout), Version optional. */
#define DDB_VIOSTOR(version)							\
	KEY "DriverDatabase\\DeviceIds\\PCI\\VEN_1AF4&DEV_1001&REV_00]\n"	\
	"\"guestor.inf\"=hex:01,ff,00,00\n\n"					\
	KEY "DriverDatabase\\DriverInfFiles\\guestor.inf]\n"			\
	"\"Active\"=\"guestor.inf_amd64_0000000000000000\"\n\n"		\
	KEY "DriverDatabase\\DriverPackages\\guestor.inf_amd64_0000000000000000]\n" \
	version "\n"								\
	KEY "DriverDatabase\\DriverPackages\\guestor.inf_amd64_0000000000000000\\Configurations\\guestor_conf]\n" \
	"\"Service\"=\"viostor\"\n\n"						\
	KEY "DriverDatabase\\DriverPackages\\guestor.inf_amd64_0000000000000000\\Descriptors\\PCI\\VEN_1AF4&DEV_1001&REV_00]\n" \
	"\"Configuration\"=\"guestor_conf\"\n\n"

struct fx {
	char dir[64];
	char hive[128];
	struct wf_findings f;
	struct wf_diag_notes notes;
};

static struct fx *FX;

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/wf-diag.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->hive, sizeof f->hive, "%s/SYSTEM", f->dir);
	FX = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	wf_findings_free(&f->f);
	wf_diag_notes_free(&f->notes);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* hex(7): of a list of strings. */
static void add_multi(struct wf_strbuf *sb, const char *const *v)
{
	wf_sb_adds(sb, "hex(7):");
	for (size_t i = 0; v[i]; i++)
		for (const char *p = v[i];; p++) {
			wf_sb_addf(sb, "%02x,00,", (unsigned char)*p);
			if (!*p)
				break;
		}
	wf_sb_adds(sb, "00,00");
}

static const char *const groups[] = {
	"Boot Bus Extender", "System Bus Extender", "SCSI miniport", "Port",
	"Primary Disk", "SCSI Class", "Filter", NULL,
};

/* Build the SYSTEM hive from base + extra .reg text (@GROUPS@ = the
 * ServiceGroupOrder list). */
static void make_hive(const char *base, const char *extra)
{
	struct wf_strbuf sb = WF_STRBUF_INIT, g = WF_STRBUF_INIT;
	add_multi(&g, groups);
	const char *at = strstr(base, "@GROUPS@");
	if (at) {
		wf_sb_add(&sb, base, (size_t)(at - base));
		wf_sb_adds(&sb, g.buf);
		wf_sb_adds(&sb, at + 8);
	} else {
		wf_sb_adds(&sb, base);
	}
	wf_sb_adds(&sb, "\n");
	wf_sb_adds(&sb, extra ? extra : "");
	struct wf_error e = { 0 };
	unlink(FX->hive);
	assert_int_equal(kit_write_minimal_hive(FX->hive, "SYSTEM", &e), 0);
	struct wf_regfile r;
	if (wf_regfile_parse_mem("t.reg", sb.buf, sb.len, &r, &e) < 0)
		fail_msg("reg: %s", e.msg);
	struct wf_hive *h = wf_hive_open(FX->hive, "SYSTEM", 1, &e);
	assert_non_null(h);
	if (wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\SYSTEM", &e) < 0)
		fail_msg("apply: %s", e.msg);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	wf_regfile_free(&r);
	wf_sb_release(&sb);
	wf_sb_release(&g);
}

/* Diagnose the test hive for targets `list` (NULL: from the hive). */
static struct wf_findings *diag(const char *list)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	wf_findings_free(&FX->f);
	wf_diag_notes_free(&FX->notes);
	if (list && wf_targets_parse_list(list, &t, &e) < 0)
		fail_msg("targets: %s", e.msg);
	if (wf_diagnose_hive_files(FX->hive, NULL, list ? &t : NULL, NULL, 0,
				   &FX->notes, &FX->f, &e) < 0)
		fail_msg("diagnose: %s", e.msg);
	return &FX->f;
}

static void dump(const struct wf_findings *l)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_findings_to_text(l, &sb);
	printf("%s", sb.buf);
	wf_sb_release(&sb);
}

/* The finding `id` about `device` exists, with `sev` and fix `fix`. */
static struct wf_finding *expect(struct wf_findings *l, const char *id,
				 const char *device, int sev, const char *fix)
{
	struct wf_finding *f = wf_findings_find(l, id, device);
	if (!f) {
		dump(l);
		fail_msg("no finding %s for %s", id, device ? device : "(any)");
	}
	if (sev >= 0 && (int)f->severity != sev)
		fail_msg("%s: severity %s", id, wf_severity_name(f->severity));
	if (fix) {
		int found = 0;
		for (size_t i = 0; i < f->n_fixes; i++)
			found |= strcmp(f->fixes[i], fix) == 0;
		if (!found) {
			dump(l);
			fail_msg("%s: no fix %s", id, fix);
		}
	}
	assert_non_null(f->title);
	assert_non_null(f->explanation);
	assert_true(f->n_evidence > 0);
	return f;
}

static void expect_none(struct wf_findings *l, const char *id)
{
	if (wf_findings_find(l, id, NULL)) {
		dump(l);
		fail_msg("unexpected %s", id);
	}
}

static void no_errors(struct wf_findings *l)
{
	if (wf_findings_count(l, WF_SEV_ERROR)) {
		dump(l);
		fail_msg("unexpected error findings");
	}
}

/* --- version and targets --------------------------------------------------- */

static void test_infer_versions(void **state)
{
	(void)state;
	const char *bases[] = { w7_base, w10_base, xp_base };
	const char *want[] = { "Windows 7", "Windows 10", "Windows XP" };
	for (int i = 0; i < 3; i++) {
		make_hive(bases[i], NULL);
		diag("ide");
		int found = 0;
		for (size_t k = 0; k < FX->notes.n; k++)
			found |= strstr(FX->notes.v[k], want[i]) != NULL &&
				 strstr(FX->notes.v[k], "inferred") != NULL;
		if (!found)
			fail_msg("no note inferring %s", want[i]);
	}
}

static void test_target_from_hive(void **state)
{
	(void)state;
	make_hive(w7_base, NULL);
	struct wf_findings *l = diag(NULL);
	no_errors(l);
	int found = 0;
	for (size_t k = 0; k < FX->notes.n; k++)
		found |= strstr(FX->notes.v[k], "booted from: ide") != NULL;
	assert_true(found);
}

/* --- the boot driver ----------------------------------------------------------- */

static void test_healthy_ide(void **state)
{
	(void)state;
	make_hive(w7_base, NULL);
	no_errors(diag("ide"));
	make_hive(xp_base, NULL);
	no_errors(diag("ide"));
	make_hive(w10_base, NULL);
	no_errors(diag("ide,sata"));
}

static void test_boot_driver_disabled(void **state)
{
	(void)state;
	make_hive(w7_base, NULL);
	struct wf_findings *l = diag("sata");
	struct wf_finding *f = expect(l, "boot-driver-disabled", "msahci", WF_SEV_ERROR,
				      "enable-driver:msahci");
	assert_string_equal(f->evidence[0].text, "Start = 3");
	assert_string_equal(f->evidence[0].where, "ControlSet001\\Services\\msahci");
}

static void test_boot_driver_missing(void **state)
{
	(void)state;
	make_hive(w10_base, NULL);
	struct wf_findings *l = diag("virtio-blk");
	expect(l, "boot-driver-missing", "viostor", WF_SEV_ERROR, "inject-virtio:viostor");
	l = diag("virtio-scsi");
	expect(l, "boot-driver-missing", "vioscsi", WF_SEV_ERROR, "inject-virtio:vioscsi");
}

static void test_controller_mismatch(void **state)
{
	(void)state;
	make_hive(w10_base, SVC("vioscsi", 0, "SCSI miniport"));
	struct wf_findings *l = diag("virtio-blk");
	expect(l, "controller-mismatch", "viostor", WF_SEV_ERROR, "inject-virtio:viostor");
	expect_none(l, "boot-driver-missing");
}

static void test_controller_unsupported(void **state)
{
	(void)state;
	make_hive(xp_base, NULL);
	struct wf_findings *l = diag("sata");
	struct wf_finding *f = expect(l, "controller-unsupported", "sata", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->title, "Windows XP"));
	expect_none(diag("ide"), "controller-unsupported");
}

static void test_start_override(void **state)
{
	(void)state;
	make_hive(w10_base, CS "Services\\storahci\\StartOverride]\n\"0\"=dword:00000003\n");
	struct wf_findings *l = diag("sata");
	struct wf_finding *f = expect(l, "boot-driver-start-override", "storahci", WF_SEV_ERROR,
				      "enable-driver:storahci");
	assert_string_equal(f->evidence[0].text, "0 = 3");
	make_hive(w10_base, CS "Services\\storahci\\StartOverride]\n\"0\"=dword:00000000\n");
	no_errors(diag("sata"));
}

static void test_bad_type(void **state)
{
	(void)state;
	make_hive(w10_base, CS "Services\\storahci]\n\"Type\"=dword:00000010\n");
	expect(diag("sata"), "boot-driver-bad-type", "storahci", WF_SEV_ERROR,
	       "enable-driver:storahci");
}

static void test_group_unlisted(void **state)
{
	(void)state;
	make_hive(w10_base, CS "Services\\storahci]\n\"Group\"=\"Nonsense Group\"\n");
	struct wf_findings *l = diag("sata");
	expect(l, "boot-driver-group-unlisted", "storahci", WF_SEV_WARNING,
	       "enable-driver:storahci");
	no_errors(l);
}

static void test_storage_stack(void **state)
{
	(void)state;
	make_hive(w10_base, CS "Services\\disk]\n\"Start\"=dword:00000004\n");
	expect(diag("sata"), "storage-stack-disabled", "disk", WF_SEV_ERROR,
	       "enable-driver:disk");
}

/* --- CDD and DDB -------------------------------------------------------------------- */

static void test_cdd_missing(void **state)
{
	(void)state;
	make_hive(w7_base, SVC("viostor", 0, "SCSI miniport"));
	expect(diag("virtio-blk"), "cdd-missing", "pci#ven_1af4&dev_1001", WF_SEV_ERROR,
	       "add-cdd:viostor");
	make_hive(w7_base, SVC("viostor", 0, "SCSI miniport")
		  CS "Control\\CriticalDeviceDatabase\\pci#ven_1af4&dev_1001&subsys_00021af4&rev_00]\n"
		  "\"Service\"=\"viostor\"\n");
	no_errors(diag("virtio-blk"));
}

static void test_cdd_mergeide(void **state)
{
	(void)state;
	/* a physical XP: only its ICH4 in the CDD (seed 004) */
	make_hive("Windows Registry Editor Version 5.00\n\n"
		  KEY "Select]\n\"Current\"=dword:00000001\n\n"
		  CS "Control\\CriticalDeviceDatabase\\pci#ven_8086&dev_24cb]\n\"Service\"=\"intelide\"\n\n"
		  SVC("atapi", 0, "SCSI miniport") "\n"
		  SVC("intelide", 0, "System Bus Extender") "\n", NULL);
	struct wf_findings *l = diag("ide");
	expect(l, "cdd-missing", "pci#ven_8086&dev_7010", WF_SEV_ERROR, "mergeide");
	expect(l, "cdd-missing", "primary_ide_channel", WF_SEV_ERROR, "mergeide");
	expect(l, "cdd-missing", "secondary_ide_channel", WF_SEV_ERROR, "mergeide");
}

static void test_ddb_entry_missing(void **state)
{
	(void)state;
	make_hive(w10_base, SVC("viostor", 0, "SCSI miniport"));
	struct wf_finding *f = expect(diag("virtio-blk"), "ddb-entry-missing", "viostor",
				      WF_SEV_ERROR, "ddb-entry:viostor");
	assert_non_null(strstr(f->evidence[0].text, "DeviceIds\\PCI has no key"));
	make_hive(w10_base, SVC("viostor", 0, "SCSI miniport") DDB_VIOSTOR(VERSION_BLOB));
	no_errors(diag("virtio-blk"));
}

static void test_ddb_version_missing(void **state)
{
	(void)state;
	make_hive(w10_base, SVC("viostor", 0, "SCSI miniport") DDB_VIOSTOR(""));
	struct wf_findings *l = diag("virtio-blk");
	expect(l, "driver-package-version-missing", "guestor.inf_amd64_0000000000000000",
	       WF_SEV_ERROR, "ddb-version:guestor.inf_amd64_0000000000000000");
	expect_none(l, "ddb-entry-missing");
	/* found by the package scan too, whatever the target */
	l = diag("sata");
	expect(l, "driver-package-version-missing", "guestor.inf_amd64_0000000000000000",
	       WF_SEV_ERROR, NULL);
}

/* The seed-001 log + the package without Version: one finding. */
static void test_merge_log(void **state)
{
	(void)state;
	const char *log = "tests/data/logs/seed001_virtio_null.dev.log";
	struct stat st;
	if (stat(log, &st) < 0)
		skip();
	make_hive(w10_base, SVC("viostor", 0, "SCSI miniport") DDB_VIOSTOR(""));
	struct wf_targets t;
	wf_targets_default(&t);
	struct wf_diag_log logs[] = { { log, "C:\\Windows\\INF\\setupapi.dev.log" } };
	struct wf_error e = { 0 };
	wf_findings_free(&FX->f);
	assert_int_equal(wf_diagnose_hive_files(FX->hive, NULL, &t, logs, 1, NULL,
						&FX->f, &e), 0);
	struct wf_findings *l = &FX->f;
	struct wf_finding *f = expect(l, "driver-package-version-missing", NULL,
				      WF_SEV_ERROR, "ddb-version:guestor.inf_amd64_0000000000000000");
	int from_log = 0;
	for (size_t i = 0; i < f->n_evidence; i++)
		from_log |= f->evidence[i].first > 0;
	assert_true(from_log);
	assert_non_null(strstr(f->explanation, "SetupAPI log"));
	/* no log finding about the virtio device is left on its own */
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].device && wf_strcasestr(l->v[i].device, "VEN_1AF4&DEV_1004") &&
		    strcmp(l->v[i].id, "driver-package-version-missing") != 0) {
			dump(l);
			fail_msg("unmerged %s", l->v[i].id);
		}
}

/* The seed-001 log after ddb-version (the package complete): the virtio-scsi
 * device's past failures are one finding; a warning for a virtio-blk VM,
 * an error for a VM that presents virtio-scsi. */
static struct wf_findings *log_after_fix(const char *targets)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_parse_list(targets, &t, &e), 0);
	struct wf_diag_log logs[] = { { "tests/data/logs/seed001_virtio_null.dev.log",
					"C:\\Windows\\INF\\setupapi.dev.log" } };
	wf_findings_free(&FX->f);
	assert_int_equal(wf_diagnose_hive_files(FX->hive, NULL, &t, logs, 1, NULL, &FX->f, &e), 0);
	return &FX->f;
}

static void test_log_history_grouped(void **state)
{
	(void)state;
	struct stat st;
	if (stat("tests/data/logs/seed001_virtio_null.dev.log", &st) < 0)
		skip();
	make_hive(w10_base, SVC("viostor", 0, "SCSI miniport") DDB_VIOSTOR(VERSION_BLOB));
	struct wf_findings *l = log_after_fix("virtio-blk");
	size_t n = 0;
	struct wf_finding *g = NULL;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].device && wf_strcasestr(l->v[i].device, "VEN_1AF4&DEV_1004"))
			n++, g = &l->v[i];
	if (n != 1) {
		dump(l);
		fail_msg("%zu findings for the virtio-scsi device, want 1", n);
	}
	assert_string_equal(g->id, "null-driver-installed");
	assert_int_equal(g->severity, WF_SEV_WARNING);
	assert_non_null(strstr(g->explanation, "does not present this controller (VirtIO SCSI)"));
	assert_non_null(strstr(g->explanation, "also shows no-compatible-driver"));
	assert_true(g->n_evidence >= 3);
	assert_int_equal(wf_findings_count(l, WF_SEV_ERROR), 0);
	/* a VM on virtio-scsi: the same history explains its 0x7B (an error) */
	l = log_after_fix("virtio-scsi");
	int explained = 0;
	for (size_t i = 0; i < l->n; i++) {
		const char *x = l->v[i].explanation ? l->v[i].explanation : "";
		assert_null(strstr(x, "does not present"));
		explained |= l->v[i].severity == WF_SEV_ERROR && wf_strcasestr(x, "VEN_1AF4&DEV_1004");
	}
	if (!explained) {
		dump(l);
		fail_msg("no error explains the virtio-scsi device's failures");
	}
}

/* --- filters -------------------------------------------------------------------------- */

static void test_class_filter(void **state)
{
	(void)state;
	make_hive(w10_base,
		  CS "Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}]\n"
		  "\"LowerFilters\"=hex(7):70,00,72,00,6c,00,5f,00,73,00,74,00,72,00,67,00,00,00,00,00\n\n"
		  CS "Control\\Class\\{4D36E965-E325-11CE-BFC1-08002BE10318}]\n"
		  "\"UpperFilters\"=hex(7):50,00,78,00,48,00,6c,00,70,00,00,00,00,00\n\n");
	struct wf_findings *l = diag("sata");
	expect(l, "filter-driver-missing", "prl_strg", WF_SEV_ERROR,
	       "remove-filter:{4D36E967-E325-11CE-BFC1-08002BE10318}:prl_strg");
	expect(l, "filter-driver-missing", "PxHlp", WF_SEV_WARNING,
	       "remove-filter:{4D36E965-E325-11CE-BFC1-08002BE10318}:PxHlp");
}

static void test_device_filter(void **state)
{
	(void)state;
	make_hive(w10_base, SVC("oldflt", 4, "Filter")
		  CS "Enum\\SCSI\\Disk&Ven_QEMU\\1&2&0]\n\"Service\"=\"disk\"\n"
		  "\"ClassGUID\"=\"{4D36E967-E325-11CE-BFC1-08002BE10318}\"\n"
		  "\"UpperFilters\"=hex(7):6f,00,6c,00,64,00,66,00,6c,00,74,00,00,00,00,00\n");
	expect(diag("sata"), "filter-driver-missing", "oldflt", WF_SEV_ERROR,
	       "remove-filter:SCSI\\Disk&Ven_QEMU\\1&2&0:oldflt");
}

/* --- network, control sets, crash ---------------------------------------------------- */

static void test_net_driver(void **state)
{
	(void)state;
	make_hive(w10_base, NULL);
	struct wf_findings *l = diag("virtio-net");
	expect(l, "net-driver-missing", "netkvm", WF_SEV_WARNING, "inject-virtio:netkvm");
	no_errors(l);
	make_hive(w10_base, SVC("netkvm", 4, "NDIS"));
	expect(diag("virtio-net"), "net-driver-disabled", "netkvm", WF_SEV_WARNING,
	       "enable-driver:netkvm");
}

static void test_lkg(void **state)
{
	(void)state;
	make_hive(w7_base, KEY "Select]\n\"LastKnownGood\"=dword:00000002\n\n"
		  KEY "ControlSet002\\Services\\msahci]\n\"Start\"=dword:00000000\n");
	struct wf_finding *f = expect(diag("sata"), "lkg-differs", "msahci", WF_SEV_WARNING,
				      "enable-driver:msahci");
	assert_non_null(strstr(f->title, "would load"));
}

static void test_autoreboot(void **state)
{
	(void)state;
	make_hive(w10_base, CS "Control\\CrashControl]\n\"AutoReboot\"=dword:00000001\n");
	expect(diag("sata"), "stop-autoreboot", NULL, WF_SEV_INFO, "autoreboot-off");
	make_hive(w10_base, CS "Control\\CrashControl]\n\"AutoReboot\"=dword:00000000\n");
	expect_none(diag("sata"), "stop-autoreboot");
}

/* --- driver files (image mode, files from the kit) --------------------------------------- */

/* Guest files live in FX->dir/root, lower-cased. */
static char *host_path(const char *guest)
{
	char *p = wf_xasprintf("%s/root%s", FX->dir, guest);
	wf_lower(p + strlen(FX->dir));
	return p;
}

static int t_probe(void *ud, const char *guest, uint64_t *size)
{
	(void)ud;
	char *p = host_path(guest);
	struct stat st;
	int r = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	if (r && size)
		*size = (uint64_t)st.st_size;
	free(p);
	return r;
}

static int t_read(void *ud, const char *guest, size_t max, void **buf, size_t *len)
{
	(void)ud;
	char *p = host_path(guest);
	FILE *fp = fopen(p, "rb");
	free(p);
	if (!fp)
		return 0;
	*buf = malloc(max);
	*len = fread(*buf, 1, max, fp);
	fclose(fp);
	return 1;
}

static void put_pe(const char *guest, uint16_t machine, uint16_t osmaj, uint16_t osmin,
		   const char *const *imports)
{
	char *p = host_path(guest);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", p);
	assert_int_equal(system(cmd), 0);
	struct kit_pe spec = { machine, KIT_PE_NATIVE, osmaj, osmin, 0, imports };
	struct wf_error e = { 0 };
	if (kit_write_pe(p, &spec, &e) < 0)
		fail_msg("kit_write_pe: %s", e.msg);
	free(p);
}

static void put_file(const char *guest, const char *data)
{
	char *p = host_path(guest);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", p);
	assert_int_equal(system(cmd), 0);
	FILE *fp = fopen(p, "wb");
	assert_non_null(fp);
	fputs(data, fp);
	fclose(fp);
	free(p);
}

static struct wf_findings *diag_files(const char *list)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_parse_list(list, &t, &e), 0);
	struct wf_hive *h = wf_hive_open(FX->hive, "SYSTEM", 0, &e);
	assert_non_null(h);
	wf_findings_free(&FX->f);
	struct wf_diag_ctx c = {
		.system = h, .targets = &t, .systemroot = "/Windows",
		.probe = t_probe, .read = t_read,
	};
	if (wf_diagnose_hives(&c, &FX->f, &e) < 0)
		fail_msg("diagnose: %s", e.msg);
	wf_hive_close(h);
	return &FX->f;
}

static const char *const storport_imports[] = { "storport.sys", "ntoskrnl.exe", NULL };
static const char *const kernel_imports[] = { "ntoskrnl.exe", NULL };

static void base_files(uint16_t machine, uint16_t maj, uint16_t min)
{
	const char *const sys[] = { "disk", "volmgr", "atapi", "intelide", "storahci", "partmgr" };
	put_pe("/Windows/System32/ntoskrnl.exe", machine, maj, min, NULL);
	for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++) {
		char g[128];
		snprintf(g, sizeof g, "/Windows/System32/drivers/%s.sys", sys[i]);
		put_pe(g, machine, maj, min, kernel_imports);
	}
}

static void test_boot_file(void **state)
{
	(void)state;
	make_hive(w10_base, SVC("viostor", 0, "SCSI miniport") DDB_VIOSTOR(VERSION_BLOB));
	base_files(KIT_PE_AMD64, 10, 0);
	put_pe("/Windows/System32/drivers/storport.sys", KIT_PE_AMD64, 10, 0, kernel_imports);
	struct wf_findings *l = diag_files("virtio-blk");
	expect(l, "boot-driver-file-missing", "viostor", WF_SEV_ERROR, "inject-virtio:viostor");
	put_file("/Windows/System32/drivers/viostor.sys", "");
	struct wf_finding *f = expect(diag_files("virtio-blk"), "boot-driver-file-missing",
				      "viostor", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->title, "empty"));
	put_file("/Windows/System32/drivers/viostor.sys", "MZ but not really a driver");
	f = expect(diag_files("virtio-blk"), "boot-driver-file-missing", "viostor",
		   WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->title, "not a PE"));
	put_pe("/Windows/System32/drivers/viostor.sys", KIT_PE_AMD64, 6, 1, storport_imports);
	no_errors(diag_files("virtio-blk"));
}

static void test_wrong_arch(void **state)
{
	(void)state;
	make_hive(w10_base, SVC("viostor", 0, "SCSI miniport") DDB_VIOSTOR(VERSION_BLOB));
	base_files(KIT_PE_AMD64, 10, 0);
	put_pe("/Windows/System32/drivers/storport.sys", KIT_PE_AMD64, 10, 0, kernel_imports);
	put_pe("/Windows/System32/drivers/viostor.sys", KIT_PE_I386, 6, 1, storport_imports);
	expect(diag_files("virtio-blk"), "driver-wrong-arch", "viostor", WF_SEV_ERROR,
	       "inject-virtio:viostor");
}

static void test_imports_and_os(void **state)
{
	(void)state;
	/* XP with a storport build of viostor (XP has only SCSIPORT) */
	make_hive(xp_base, SVC("viostor", 0, "SCSI miniport")
		  CS "Control\\CriticalDeviceDatabase\\pci#ven_1af4&dev_1001]\n\"Service\"=\"viostor\"\n");
	base_files(KIT_PE_I386, 5, 1);
	put_pe("/Windows/System32/drivers/viostor.sys", KIT_PE_I386, 5, 1, storport_imports);
	expect(diag_files("virtio-blk"), "driver-imports-missing", "viostor", WF_SEV_ERROR,
	       "inject-virtio:viostor");
	/* the 2003 build (5.2) on XP (5.1): seed 000 */
	static const char *const scsiport[] = { "scsiport.sys", "ntoskrnl.exe", NULL };
	put_pe("/Windows/System32/drivers/scsiport.sys", KIT_PE_I386, 5, 1, kernel_imports);
	put_pe("/Windows/System32/drivers/viostor.sys", KIT_PE_I386, 5, 2, scsiport);
	struct wf_findings *l = diag_files("virtio-blk");
	expect(l, "driver-wrong-os", "viostor", WF_SEV_ERROR, "inject-virtio:viostor");
	expect_none(l, "driver-imports-missing");
}

static void test_image_missing(void **state)
{
	(void)state;
	make_hive(w10_base, SVC("netkvm", 3, "NDIS")
		  CS "Enum\\PCI\\VEN_1AF4&DEV_1041&SUBSYS_11001AF4&REV_01\\4&1&0&0008]\n"
		  "\"Service\"=\"netkvm\"\n");
	base_files(KIT_PE_AMD64, 10, 0);
	struct wf_findings *l = diag_files("sata,virtio-net");
	expect(l, "driver-image-missing", "PCI\\VEN_1AF4&DEV_1041&SUBSYS_11001AF4&REV_01\\4&1&0&0008",
	       WF_SEV_ERROR, "inject-virtio:netkvm");
}

/* --- the real hives ---------------------------------------------------------------------- */

static const struct realhive {
	const char *file, *booted;	/* kind the hive booted from */
	const char *service;		/* its service */
} real[] = {
	{ "hives/winevt-kb_SYSTEM", "ide", "intelide" },
	{ "hives/bitcurator_SYSTEM", "ide", "intelide" },
	{ "hives/ITSEC2022_SYSTEM", "ide", "intelide" },
	{ "hives/regipy_SYSTEM_win7sp1x86", "lsi-sas", "LSI_SAS" },
	{ "hives/ShimCacheParser_win7sp1x64_SYSTEM", "lsi-sas", "LSI_SAS" },
	{ "hives/regipy_SYSTEM_2", "sata", "storahci" },
	{ "hives/regipy_SYSTEM_B", "sata", "iaStorAV" },
	{ "hives/regipy_SYSTEM_WIN_10_1709", "lsi-sas", "LSI_SAS" },
};

static void real_diag(const char *path, const struct wf_targets *t)
{
	struct wf_error e = { 0 };
	wf_findings_free(&FX->f);
	wf_diag_notes_free(&FX->notes);
	if (wf_diagnose_hive_files(path, NULL, t, NULL, 0, &FX->notes, &FX->f, &e) < 0)
		fail_msg("%s: %s", path, e.msg);
}

static void test_real_hives_booted(void **state)
{
	(void)state;
	int any = 0;
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
		const char *p = fixture_path(real[i].file);
		if (!p)
			continue;
		any = 1;
		char path[4096];
		snprintf(path, sizeof path, "%s", p);
		real_diag(path, NULL);	/* the hive's own boot controller */
		printf("%s: %zu findings\n", real[i].file, FX->f.n);
		no_errors(&FX->f);
		char want[128];
		snprintf(want, sizeof want, "service %s, Start 0", real[i].service);
		int found = 0;
		for (size_t k = 0; k < FX->notes.n; k++)
			found |= strstr(FX->notes.v[k], want) && strstr(FX->notes.v[k], real[i].booted);
		if (!found)
			fail_msg("%s: the booted controller %s/%s is not among the targets",
				 real[i].file, real[i].booted, real[i].service);
	}
	if (!any) {
		printf("SKIP-REASON: fixture hives absent (set FIXTURES)\n");
		skip();
	}
}

static void test_real_hives_virtio(void **state)
{
	(void)state;
	int any = 0;
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_parse_list("virtio-blk", &t, &e), 0);
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
		const char *p = fixture_path(real[i].file);
		if (!p)
			continue;
		any = 1;
		char path[4096];
		snprintf(path, sizeof path, "%s", p);
		real_diag(path, &t);
		/* none of them ever ran on KVM (SOURCES.md part B) */
		expect(&FX->f, "boot-driver-missing", "viostor", WF_SEV_ERROR,
		       "inject-virtio:viostor");
		assert_int_equal(wf_findings_count(&FX->f, WF_SEV_ERROR), 1);
	}
	if (!any)
		skip();
}

static void test_real_hive_speed(void **state)
{
	(void)state;
	SKIP_WITHOUT_FIXTURE(p, "hives/regipy_SYSTEM_WIN_10_1709");
	char path[4096];
	snprintf(path, sizeof path, "%s", p);
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
	assert_non_null(h);
	struct wf_targets t;
	wf_targets_parse_list("virtio-blk,virtio-scsi,sata,ide,lsi-sas,virtio-net", &t, &e);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	wf_findings_free(&FX->f);
	struct wf_diag_ctx c = { .system = h, .targets = &t };
	assert_int_equal(wf_diagnose_hives(&c, &FX->f, &e), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	printf("rules over regipy_SYSTEM_WIN_10_1709: %.1f ms\n", ms);
	wf_hive_close(h);
	assert_true(ms < 100.0);
}

/* BitLocker volumes the inspection got past (opened with --key): the
 * warning comes with the diagnosis, saying Windows was read through the
 * key (wf_diagnose_inspection adds it before any fix is planned). */
static void test_bitlocker_opened(void **state)
{
	(void)state;
	char *bl[] = { "/dev/sda2" };
	struct wf_windows w;
	memset(&w, 0, sizeof w);
	w.device = "/dev/mapper/bitlk0";
	struct wf_inspection in;
	memset(&in, 0, sizeof in);
	in.win = &w, in.n_win = 1, in.bitlocker = bl, in.n_bitlocker = 1;
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_parse_list("virtio-blk", &t, &e), 0);
	wf_findings_free(&FX->f);
	wf_diagnose_bitlocker_opened(&in, &t, &FX->f);
	struct wf_finding *f = expect(&FX->f, "bitlocker-tpm", "/dev/sda2", WF_SEV_WARNING, NULL);
	assert_non_null(strstr(f->explanation, "through the key given"));
	assert_non_null(strstr(f->explanation, "before any fix"));
	/* Windows elsewhere: still said, without the claim */
	w.device = "/dev/sda1";
	wf_findings_free(&FX->f);
	wf_diagnose_bitlocker_opened(&in, &t, &FX->f);
	f = expect(&FX->f, "bitlocker-tpm", "/dev/sda2", WF_SEV_WARNING, NULL);
	assert_null(strstr(f->explanation, "through the key given"));
	in.n_bitlocker = 0;
	wf_findings_free(&FX->f);
	wf_diagnose_bitlocker_opened(&in, &t, &FX->f);
	assert_int_equal(FX->f.n, 0);
}

static void test_rule_table(void **state)
{
	(void)state;
	/* every id has a help article and a unique row */
	for (size_t i = 0; i < wf_n_rules; i++) {
		char p[256];
		snprintf(p, sizeof p, "help/findings/%s.txt", wf_rules[i].id);
		struct stat st;
		if (stat(p, &st) < 0)
			fail_msg("no help article %s", p);
		assert_ptr_equal(wf_rule_find(wf_rules[i].id), &wf_rules[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_infer_versions), T(test_target_from_hive), T(test_healthy_ide),
		T(test_boot_driver_disabled), T(test_boot_driver_missing),
		T(test_controller_mismatch), T(test_controller_unsupported),
		T(test_start_override), T(test_bad_type), T(test_group_unlisted),
		T(test_storage_stack), T(test_cdd_missing), T(test_cdd_mergeide), T(test_log_history_grouped),
		T(test_ddb_entry_missing), T(test_ddb_version_missing), T(test_merge_log),
		T(test_class_filter), T(test_device_filter), T(test_net_driver),
		T(test_lkg), T(test_autoreboot), T(test_boot_file), T(test_wrong_arch),
		T(test_imports_and_os), T(test_image_missing), T(test_real_hives_booted),
		T(test_real_hives_virtio), T(test_real_hive_speed), T(test_bitlocker_opened),
		T(test_rule_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
