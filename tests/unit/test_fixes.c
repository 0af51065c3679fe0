/*
 * test_fixes.c - every fix family on hives built here from .reg text, run
 * through the real executor against a host folder standing in for the
 * guest volume: the plan, the applied hive, the diagnosis afterwards (the
 * finding is gone), and undo (hives byte-identical to before).  Also the
 * executor's refusals: a hive changed after the fix, a dirty hive, a
 * cancel before writing, bad fix ids.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "fixtures.h"
#include "apply.h"
#include "diagnose.h"
#include "finding.h"
#include "firstboot.h"
#include "fixes.h"
#include "hive.h"
#include "pe.h"
#include "regfile.h"
#include "strbuf.h"
#include "targets.h"
#include "sigpolicy.h"
#include "virtio_src.h"
#include "vmpci.h"
#include "winver.h"

#define KEY "[HKEY_LOCAL_MACHINE\\SYSTEM\\"
#define CS1 KEY "ControlSet001\\"
#define CS2 KEY "ControlSet002\\"
#define SVC(cs, name, start, group) \
	cs "Services\\" name "]\n\"Type\"=dword:00000001\n\"Start\"=dword:0000000" #start "\n" \
	"\"ErrorControl\"=dword:00000001\n\"Group\"=\"" group "\"\n\n"
#define GROUPS "\"List\"=hex(7):53,00,43,00,53,00,49,00,20,00,6d,00,69,00,6e,00,69,00,70,00,6f,00,72,00,74,00,00,00,00,00\n\n"

/* Windows 7 x64 on IDE, LKG = ControlSet002 (a copy), msahci at 3 with a
 * StartOverride, Parallels' prl_strg left in the DiskDrive LowerFilters. */
static const char w7[] =
	"Windows Registry Editor Version 5.00\n\n"
	KEY "Select]\n\"Current\"=dword:00000001\n\"Default\"=dword:00000001\n"
	"\"LastKnownGood\"=dword:00000002\n\"Failed\"=dword:00000000\n\n"
	CS1 "Control\\ServiceGroupOrder]\n" GROUPS
	CS2 "Control\\ServiceGroupOrder]\n" GROUPS
	CS1 "Control\\CrashControl]\n\"AutoReboot\"=dword:00000001\n\n"
	CS1 "Control\\Session Manager\\Environment]\n\"PROCESSOR_ARCHITECTURE\"=\"AMD64\"\n\n"
	CS1 "Control\\CriticalDeviceDatabase\\pci#ven_8086&dev_7010]\n\"Service\"=\"intelide\"\n\n"
	CS1 "Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}]\n"
	"\"LowerFilters\"=hex(7):70,00,72,00,6c,00,5f,00,73,00,74,00,72,00,67,00,00,00,"
	"45,00,68,00,53,00,74,00,6f,00,72,00,43,00,6c,00,61,00,73,00,73,00,00,00,00,00\n\n"
	CS1 "Enum\\PCI\\VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00\\3&1&0&09]\n\"Service\"=\"intelide\"\n"
	"\"UpperFilters\"=hex(7):78,00,00,00,00,00\n\n"
	SVC(CS1, "vhdmp", 3, "")
	SVC(CS1, "disk", 0, "SCSI miniport")
	SVC(CS1, "intelide", 0, "SCSI miniport")
	SVC(CS1, "EhStorClass", 0, "SCSI miniport")
	SVC(CS1, "msahci", 3, "SCSI miniport")
	CS1 "Services\\msahci\\StartOverride]\n\"0\"=dword:00000003\n\n"
	SVC(CS1, "viostor", 0, "SCSI miniport")
	SVC(CS2, "msahci", 3, "SCSI miniport")
	SVC(CS2, "viostor", 0, "SCSI miniport");

#define VBLOB "hex:00,ff,09,00,00,00,00,00,7d,e9,36,4d,25,e3,ce,11,bf,c1,08,00,2b,e1,03,18," \
	"00,00,00,00,00,00,00,00,01,00,61,4a,00,00,0a,00,00,00,00,00,00,00,00,00"

/* Windows 10: a DriverDatabase, viostor bound through guestor.inf_tmp
 * without Version (seed 001), vioscsi installed but not bound. */
static const char w10[] =
	"Windows Registry Editor Version 5.00\n\n"
	KEY "Select]\n\"Current\"=dword:00000001\n\"Default\"=dword:00000001\n"
	"\"LastKnownGood\"=dword:00000001\n\n"
	CS1 "Control\\ServiceGroupOrder]\n" GROUPS
	CS1 "Control\\Session Manager\\Environment]\n\"PROCESSOR_ARCHITECTURE\"=\"AMD64\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\machine.inf_amd64_1]\n\"Version\"=" VBLOB "\n\n"
	KEY "DriverDatabase\\DeviceIds\\PCI\\VEN_1AF4&DEV_1001&REV_00]\n\"guestor.inf\"=hex:01,ff,00,00\n\n"
	KEY "DriverDatabase\\DriverInfFiles\\guestor.inf]\n\"Active\"=\"guestor.inf_tmp\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\guestor.inf_tmp]\n\n"
	KEY "DriverDatabase\\DriverPackages\\guestor.inf_tmp\\Configurations\\guestor_conf]\n\"Service\"=\"viostor\"\n\n"
	KEY "DriverDatabase\\DriverPackages\\guestor.inf_tmp\\Descriptors\\PCI\\VEN_1AF4&DEV_1001&REV_00]\n"
	"\"Configuration\"=\"guestor_conf\"\n\n"
	SVC(CS1, "disk", 0, "SCSI miniport")
	SVC(CS1, "viostor", 0, "SCSI miniport")
	SVC(CS1, "vioscsi", 0, "SCSI miniport");

struct fx {
	char root[64], sys[160], sw[160], bk[160], tmp[160], orig_sys[160], orig_sw[160];
	struct wf_winver ver;
	struct wf_apply_io io;
	struct wf_apply_target t;
};
static struct fx *F;
static struct wf_virtio_src *VSRC;	/* driver source of the plan, may be NULL */
static int GUEST_FILES;			/* plans see the guest's files (probe, fetch) */
static char SYSTEM_DRIVE = 'C';		/* SOFTWARE's SystemRoot is "<it>:\\Windows" */
static int BCD;				/* the guest has <root>/Boot/BCD (sigpolicy tests) */
static int SIGMODE;			/* WF_SIGMODE_* of the plans */
static const struct wf_vm_virtio *VM;	/* what the VM presents, NULL: not known */

/* The guest's files are F->root's (exact case). */
static int host_probe(void *ud, const char *gp, uint64_t *size)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s%s", (const char *)ud, gp);
	if (stat(path, &st) < 0)
		return 0;
	*size = (uint64_t)st.st_size;
	return 1;
}

static int host_fetch(void *ud, const char *gp, const char *host, enum wf_gkind kind)
{
	char cmd[2048];
	uint64_t size = 0;	/* the cap, as wf_guest_download applies it */
	if (host_probe(ud, gp, &size) && size > wf_guest_caps[kind].max)
		return -1;
	snprintf(cmd, sizeof cmd, "cp '%s%s' '%s'", (const char *)ud, gp, host);
	return system(cmd) == 0 ? 0 : -1;
}

static void put_hive(const char *path, const char *root, const char *prefix, const char *reg)
{
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(path, root, &e), 0);
	struct wf_regfile r;
	if (wf_regfile_parse_mem("t.reg", reg, strlen(reg), &r, &e) < 0)
		fail_msg("%s", e.msg);
	struct wf_hive *h = wf_hive_open(path, root, 1, &e);
	assert_non_null(h);
	if (wf_regfile_apply(&r, h, prefix, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	wf_regfile_free(&r);
}


static void put_software(unsigned major, unsigned minor, unsigned build);

/* The guest: <root>/Windows/System32/config/{SYSTEM,SOFTWARE}. */
static void make_guest(const char *sysreg, unsigned major, unsigned minor, unsigned build)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "mkdir -p %s/Windows/System32/config %s/Windows/System32/drivers",
		 F->root, F->root);
	assert_int_equal(system(cmd), 0);
	put_hive(F->sys, "SYSTEM", "HKEY_LOCAL_MACHINE\\SYSTEM", sysreg);
	put_software(major, minor, build);
}

/* The SOFTWARE hive of a Windows major.minor.build, and copies of both
 * hives to compare with after undo. */
static void put_software(unsigned major, unsigned minor, unsigned build)
{
	char cmd[1024];
	char sw[2048];
	snprintf(sw, sizeof sw,
		 "Windows Registry Editor Version 5.00\n\n"
		 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion]\n"
		 "\"DevicePath\"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,6f,00,74,00,"
		 "25,00,5c,00,69,00,6e,00,66,00,00,00\n\n"
		 "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\n"
		 "\"ProductName\"=\"Windows Test\"\n\"CurrentVersion\"=\"%u.%u\"\n"
		 "\"CurrentMajorVersionNumber\"=dword:%08x\n\"CurrentMinorVersionNumber\"=dword:%08x\n"
		 "\"CurrentBuildNumber\"=\"%u\"\n\"InstallationType\"=\"Client\"\n"
		 "\"SystemRoot\"=\"%c:\\\\Windows\"\n\n",
		 major > 6 ? 6 : major, major > 6 ? 3 : minor, major, minor, build, SYSTEM_DRIVE);
	put_hive(F->sw, "SOFTWARE", "HKEY_LOCAL_MACHINE\\SOFTWARE", sw);
	snprintf(cmd, sizeof cmd, "cp %s %s && cp %s %s", F->sys, F->orig_sys, F->sw, F->orig_sw);
	assert_int_equal(system(cmd), 0);
	F->ver.major = major;
	F->ver.minor = minor;
	F->ver.build = build;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->root, "/tmp/wf-fixes.XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	snprintf(f->sys, sizeof f->sys, "%s/Windows/System32/config/SYSTEM", f->root);
	snprintf(f->sw, sizeof f->sw, "%s/Windows/System32/config/SOFTWARE", f->root);
	snprintf(f->bk, sizeof f->bk, "%s.backup", f->root);
	snprintf(f->tmp, sizeof f->tmp, "%s.tmp", f->root);
	snprintf(f->orig_sys, sizeof f->orig_sys, "%s.tmp/orig-SYSTEM", f->root);
	snprintf(f->orig_sw, sizeof f->orig_sw, "%s.tmp/orig-SOFTWARE", f->root);
	mkdir(f->tmp, 0700);
	f->ver.arch = strdup("x86_64");
	f->ver.release = strdup("Windows");
	wf_apply_io_dir(&f->io, f->root);
	f->t.io = &f->io;
	f->t.systemroot = "/Windows";
	f->t.hive[WF_HIVE_SYSTEM] = "/Windows/System32/config/SYSTEM";
	f->t.hive[WF_HIVE_SOFTWARE] = "/Windows/System32/config/SOFTWARE";
	f->t.host_backup_dir = f->bk;
	f->t.tmpdir = f->tmp;
	f->t.image = "test.img";
	F = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s %s.backup %s.tmp", f->root, f->root, f->root);
	int r = system(cmd);
	wf_winver_free(&f->ver);
	free(f);
	return r == 0 ? 0 : -1;
}

/* Build the plan of `ids` ("a,b") on the guest's current hives. */
static int plan(const char *ids, struct wf_plan *p, struct wf_error *e)
{
	struct wf_hive *sys = wf_hive_open(F->sys, "SYSTEM", 0, e);
	struct wf_hive *sw = wf_hive_open(F->sw, "SOFTWARE", 0, e);
	assert_non_null(sys);
	assert_non_null(sw);
	char bcdpath[256];
	snprintf(bcdpath, sizeof bcdpath, "%s/Boot/BCD", F->root);
	struct wf_hive *bcd = BCD ? wf_hive_open(bcdpath, "BCD", 0, e) : NULL;
	struct wf_fixctx c = { .system = sys, .software = sw, .ver = &F->ver,
			       .systemroot = "/Windows", .tmpdir = F->tmp, .virtio = VSRC,
			       .bcd = bcd, .bcd_where = "/Boot/BCD", .sig_mode = SIGMODE, .vm = VM };
	if (GUEST_FILES)
		c.probe = host_probe, c.fetch = host_fetch, c.ud = F->root;
	char *copy = strdup(ids), *save = NULL;
	const char *v[16];
	size_t n = 0;
	for (char *t = strtok_r(copy, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save))
		v[n++] = t;
	wf_plan_init(p);
	int r = wf_fixes_build(&c, v, n, p, e);
	free(copy);
	wf_hive_close(sys);
	wf_hive_close(sw);
	wf_hive_close(bcd);
	return r;
}

static void progress(void *ud, unsigned step, unsigned total, const char *msg)
{
	(void)ud;
	printf("  [%u/%u] %s\n", step, total, msg);
	assert_true(step <= total);
}

/* Plan, print, apply, return the plan (caller frees). */
static void fix(const char *ids, struct wf_plan *p, struct wf_apply_result *r)
{
	struct wf_error e = { 0 };
	if (plan(ids, p, &e) < 0)
		fail_msg("plan %s: %s", ids, e.msg);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_plan_to_text(p, &sb);
	printf("%s", sb.buf);
	wf_sb_release(&sb);
	struct wf_apply_opts o = { .progress = progress };
	if (wf_apply(p, &F->t, &o, r, &e) < 0)
		fail_msg("apply %s: %s", ids, e.msg);
	assert_string_equal(r->journal.state, WF_JOURNAL_APPLIED);
}

static int same_file(const char *a, const char *b)
{
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
	return system(cmd) == 0;
}

static void undo_identical(void)
{
	struct wf_apply_result r;
	struct wf_error e = { 0 };
	struct wf_apply_opts o = { .progress = progress };
	if (wf_undo(&F->t, NULL, &o, &r, &e) < 0)
		fail_msg("undo: %s", e.msg);
	assert_string_equal(r.journal.state, WF_JOURNAL_UNDONE);
	wf_apply_result_free(&r);
	assert_true(same_file(F->sys, F->orig_sys));
	assert_true(same_file(F->sw, F->orig_sw));
}

static struct wf_findings *diag(const char *targets, struct wf_findings *f)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	memset(f, 0, sizeof *f);
	assert_int_equal(wf_targets_parse_list(targets, &t, &e), 0);
	if (wf_diagnose_hive_files(F->sys, F->sw, &t, NULL, 0, NULL, f, &e) < 0)
		fail_msg("diagnose: %s", e.msg);
	return f;
}

static uint32_t dword(const char *key, const char *name)
{
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(F->sys, "SYSTEM", 0, &e);
	uint32_t v = 0xdead;
	wf_hive_get_dword(h, wf_hive_lookup(h, key), name, &v);
	wf_hive_close(h);
	return v;
}

static char *string(const char *key, const char *name)
{
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(F->sys, "SYSTEM", 0, &e);
	char *v = wf_hive_get_string(h, wf_hive_lookup(h, key), name);
	wf_hive_close(h);
	return v;
}

static int has_key(const char *key)
{
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(F->sys, "SYSTEM", 0, &e);
	int r = wf_hive_lookup(h, key) != 0;
	wf_hive_close(h);
	return r;
}

/* The guest with a copy of real SYSTEM hive `rel` from the fixtures, .reg
 * text `reg` applied to it (NULL: none); 0 when the fixture is absent. */
static int real_guest(const char *rel, const char *reg, unsigned major, unsigned minor,
		      unsigned build)
{
	const char *src = fixture_path(rel);
	if (!src)
		return 0;
	char cmd[4600];
	snprintf(cmd, sizeof cmd, "mkdir -p %s/Windows/System32/config && cp '%s' %s && chmod u+w %s",
		 F->root, src, F->sys, F->sys);
	assert_int_equal(system(cmd), 0);
	if (reg) {
		struct wf_error e = { 0 };
		struct wf_regfile r;
		if (wf_regfile_parse_mem("t.reg", reg, strlen(reg), &r, &e) < 0)
			fail_msg("%s", e.msg);
		struct wf_hive *h = wf_hive_open(F->sys, "SYSTEM", 1, &e);
		assert_non_null(h);
		if (wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\SYSTEM", &e) < 0)
			fail_msg("%s", e.msg);
		assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
		wf_hive_close(h);
		wf_regfile_free(&r);
	}
	put_software(major, minor, build);
	return 1;
}

#define NEED_FIXTURE(ok) do { if (!(ok)) { printf("SKIP-REASON: fixture hives absent (set FIXTURES)\n"); skip(); } } while (0)

/* --- tests ------------------------------------------------------------------------ */

static void test_enable_driver(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	struct wf_findings f;
	assert_non_null(wf_findings_find(diag("sata", &f), "boot-driver-disabled", "msahci"));
	wf_findings_free(&f);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("enable-driver:msahci", &p, &r);
	assert_int_equal(dword("ControlSet001\\Services\\msahci", "Start"), 0);
	assert_int_equal(dword("ControlSet002\\Services\\msahci", "Start"), 0);	/* LKG too */
	assert_false(has_key("ControlSet001\\Services\\msahci\\StartOverride"));
	diag("sata", &f);
	assert_null(wf_findings_find(&f, "boot-driver-disabled", "msahci"));
	assert_null(wf_findings_find(&f, "boot-driver-start-override", "msahci"));
	assert_null(wf_findings_find(&f, "lkg-differs", "msahci"));
	wf_findings_free(&f);
	/* backups in the guest and on the host */
	char p1[300];
	snprintf(p1, sizeof p1, "%s/virt-winfix/backup/%s/SYSTEM", F->root, r.journal.id);
	assert_true(same_file(p1, F->orig_sys));
	snprintf(p1, sizeof p1, "%s/%s/journal.json", F->bk, r.journal.id);
	assert_int_equal(access(p1, R_OK), 0);
	assert_string_equal(r.guest_backup + strlen(r.guest_backup) - strlen(r.journal.id), r.journal.id);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	/* a second undo: nothing left */
	struct wf_error e = { 0 };
	assert_int_equal(wf_undo(&F->t, NULL, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "nothing to undo"));
	wf_apply_result_free(&r);
}

static void test_enable_current_only_and_errors(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	struct wf_hive *sys = wf_hive_open(F->sys, "SYSTEM", 0, NULL);
	struct wf_fixctx c = { .system = sys, .ver = &F->ver, .current_only = 1 };
	struct wf_plan p;
	struct wf_error e = { 0 };
	const char *ok[] = { "enable-driver:msahci" };
	wf_plan_init(&p);
	assert_int_equal(wf_fixes_build(&c, ok, 1, &p, &e), 0);
	for (size_t i = 0; i < p.n; i++)
		assert_null(strstr(p.v[i].key, "ControlSet002"));
	wf_plan_free(&p);
	static const struct { const char *id, *msg; } bad[] = {
		{ "enable-driver:LSI_SAS", "enable-driver:LSI_SAS: no Services\\LSI_SAS in ControlSet001" },
		{ "enable-driver:foo", "foo is not a storage or network driver" },
		{ "frobnicate", "frobnicate: unknown fix (known: inject-virtio:..." },
		{ "enable-driver", "enable-driver: needs an argument: enable-driver:SERVICE" },
		{ "autoreboot-off:x", "takes no argument" },
		{ "ddb-entry:viostor", "SYSTEM has no DriverDatabase" },
		{ "remove-filter:{4D36E967-E325-11CE-BFC1-08002BE10318}:nope", "nope is not in the UpperFilters or LowerFilters" },
		{ "import-reg:/nonexistent.reg", "/nonexistent.reg" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wf_plan_init(&p);
		assert_int_equal(wf_fixes_build(&c, &bad[i].id, 1, &p, &e), -1);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("%s: got \"%s\"", bad[i].id, e.msg);
		wf_plan_free(&p);
	}
	wf_hive_close(sys);
}

static void test_autoreboot_filters(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("autoreboot-off,remove-filter:{4D36E967-E325-11CE-BFC1-08002BE10318}:prl_strg,"
	    "remove-filter:PCI\\VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00\\3&1&0&09:x", &p, &r);
	assert_int_equal(dword("ControlSet001\\Control\\CrashControl", "AutoReboot"), 0);
	assert_int_equal(dword("ControlSet002\\Control\\CrashControl", "AutoReboot"), 0);
	struct wf_hive *h = wf_hive_open(F->sys, "SYSTEM", 0, NULL);
	size_t n;
	char **v = wf_hive_get_multi(h, wf_hive_lookup(h, "ControlSet001\\Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}"),
				     "LowerFilters", &n);
	assert_int_equal(n, 1);
	assert_string_equal(v[0], "EhStorClass");
	wf_strv_free(v, n);
	/* the last filter gone: the value goes */
	assert_false(wf_hive_value_exists(h, wf_hive_lookup(h, "ControlSet001\\Enum\\PCI\\VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00\\3&1&0&09"),
					  "UpperFilters"));
	wf_hive_close(h);
	struct wf_findings f;
	diag("ide", &f);
	assert_null(wf_findings_find(&f, "filter-driver-missing", NULL));
	assert_null(wf_findings_find(&f, "stop-autoreboot", NULL));
	wf_findings_free(&f);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
}

static void test_import_reg(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	char reg[300];
	snprintf(reg, sizeof reg, "%s/fix.reg", F->tmp);
	FILE *fp = fopen(reg, "w");
	fputs("REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\msahci]\n"
	      "\"Start\"=dword:00000000\n\n[-HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\msahci\\StartOverride]\n\n"
	      "[HKLM\\SOFTWARE\\Policies\\Test]\n\"X\"=\"y\"\n", fp);
	fclose(fp);
	char id[400];
	snprintf(id, sizeof id, "import-reg:%s", reg);
	struct wf_plan p;
	struct wf_apply_result r;
	fix(id, &p, &r);
	assert_int_equal(wf_plan_count_hive(&p, WF_HIVE_SOFTWARE), 3);
	assert_int_equal(dword("ControlSet001\\Services\\msahci", "Start"), 0);
	assert_false(has_key("ControlSet001\\Services\\msahci\\StartOverride"));
	assert_int_equal(r.journal.n_hives, 2);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	/* a key outside SYSTEM/SOFTWARE: error names file and line */
	fp = fopen(reg, "w");
	fputs("REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\X]\n\"a\"=\"b\"\n", fp);
	fclose(fp);
	struct wf_error e = { 0 };
	assert_int_equal(plan(id, &p, &e), -1);
	assert_non_null(strstr(e.msg, "fix.reg: line 3: key HKEY_CURRENT_USER\\Software\\X is not under"));
	wf_plan_free(&p);
}

static void test_add_cdd(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	struct wf_findings f;
	assert_non_null(wf_findings_find(diag("virtio-blk", &f), "cdd-missing", NULL));
	wf_findings_free(&f);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("add-cdd:viostor", &p, &r);
	assert_true(has_key("ControlSet001\\Control\\CriticalDeviceDatabase\\pci#ven_1af4&dev_1001"));
	assert_true(has_key("ControlSet002\\Control\\CriticalDeviceDatabase\\pci#ven_1af4&dev_1042"));
	diag("virtio-blk", &f);
	assert_null(wf_findings_find(&f, "cdd-missing", NULL));
	wf_findings_free(&f);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
}

static void test_ddb(void **state)
{
	(void)state;
	make_guest(w10, 10, 0, 19045);
	struct wf_findings f;
	diag("virtio-blk,virtio-scsi", &f);
	assert_non_null(wf_findings_find(&f, "driver-package-version-missing", "guestor.inf_tmp"));
	assert_non_null(wf_findings_find(&f, "ddb-entry-missing", "vioscsi"));
	wf_findings_free(&f);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("ddb-version:guestor.inf_tmp,ddb-entry:vioscsi", &p, &r);
	diag("virtio-blk,virtio-scsi", &f);
	assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 0);
	wf_findings_free(&f);
	assert_true(has_key("DriverDatabase\\DriverPackages\\wfvioscsi.inf_amd64_0000000000000000\\Configurations\\vioscsi_inst"));
	int noted = 0;
	for (size_t i = 0; i < p.n_notes; i++)
		noted |= strstr(p.notes[i], "MTV-2256") != NULL;
	assert_true(noted);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	/* add-cdd on 10: refused */
	struct wf_error e = { 0 };
	assert_int_equal(plan("add-cdd:viostor", &p, &e), -1);
	assert_non_null(strstr(e.msg, "use ddb-entry:viostor"));
	wf_plan_free(&p);
}

static void test_version_blob(void **state)
{
	(void)state;
	unsigned char b[48];
	wf_ddb_version_blob("{4D36E97B-E325-11CE-BFC1-08002BE10318}", "08/30/2023", "100.94.104.24000", b);
	static const unsigned char head[24] = {
		0x00, 0xff, 0x09, 0, 0, 0, 0, 0, 0x7b, 0xe9, 0x36, 0x4d, 0x25, 0xe3, 0xce, 0x11,
		0xbf, 0xc1, 0x08, 0x00, 0x2b, 0xe1, 0x03, 0x18,
	};
	assert_memory_equal(b, head, 24);
	uint64_t ft = 0;
	for (int i = 7; i >= 0; i--)
		ft = ft << 8 | b[24 + i];
	assert_int_equal(ft / 10000000ULL / 86400ULL, 154373);	/* days 1601-01-01 .. 2023-08-30 */
	assert_int_equal(ft % (86400ULL * 10000000ULL), 0);
	static const unsigned char ver[8] = { 0xc0, 0x5d, 0x68, 0x00, 0x5e, 0x00, 0x64, 0x00 };
	assert_memory_equal(b + 32, ver, 8);
	for (int i = 40; i < 48; i++)
		assert_int_equal(b[i], 0);
}

static void test_refusals(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("enable-driver:msahci", &p, &r);
	wf_apply_result_free(&r);
	/* the hive changed after the fix (Windows ran): undo refuses */
	struct wf_hive *h = wf_hive_open(F->sys, "SYSTEM", 1, NULL);
	wf_hive_set_dword(h, wf_hive_lookup(h, "ControlSet001\\Services\\disk"), "Start", 1, NULL);
	wf_hive_commit(h, NULL, NULL);
	wf_hive_close(h);
	struct wf_error e = { 0 };
	assert_int_equal(wf_undo(&F->t, NULL, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "changed since fix"));
	assert_non_null(strstr(e.msg, "--force"));
	wf_apply_result_free(&r);
	struct wf_apply_opts force = { .force = 1 };
	assert_int_equal(wf_undo(&F->t, NULL, &force, &r, &e), 0);
	wf_apply_result_free(&r);
	assert_true(same_file(F->sys, F->orig_sys));
	wf_plan_free(&p);
	/* cancelled before writing: the guest's hive is untouched */
	assert_int_equal(plan("autoreboot-off", &p, &e), 0);
	volatile int stop = 1;
	struct wf_apply_opts o = { .cancel = &stop };
	assert_int_equal(wf_apply(&p, &F->t, &o, &r, &e), -1);
	assert_int_equal(e.kind, WF_ERR_CANCELLED);
	assert_true(same_file(F->sys, F->orig_sys));
	wf_apply_result_free(&r);
	/* a dirty hive (sequence numbers differ): refused before any change */
	FILE *fp = fopen(F->sys, "r+b");
	fseek(fp, 4, SEEK_SET);
	fputc(0x7f, fp);
	fclose(fp);
	assert_int_equal(wf_apply(&p, &F->t, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "not cleanly saved"));
	wf_apply_result_free(&r);
	wf_plan_free(&p);
}

/* XP on IDE with pciide disabled and half the MergeIDE set. */
static const char xp[] =
	"Windows Registry Editor Version 5.00\n\n"
	KEY "Select]\n\"Current\"=dword:00000001\n\"Default\"=dword:00000001\n"
	"\"LastKnownGood\"=dword:00000001\n\n"
	CS1 "Control\\CriticalDeviceDatabase\\primary_ide_channel]\n\"Service\"=\"atapi\"\n\n"
	CS1 "Control\\CriticalDeviceDatabase\\pci#ven_8086&dev_7010]\n\"Service\"=\"intelide\"\n\n"
	SVC(CS1, "disk", 0, "SCSI Class")
	SVC(CS1, "atapi", 0, "SCSI miniport")
	SVC(CS1, "intelide", 0, "System Bus Extender")
	SVC(CS1, "pciide", 4, "System Bus Extender");

static void test_mergeide(void **state)
{
	(void)state;
	make_guest(xp, 5, 1, 2600);
	struct wf_findings f;
	diag("ide", &f);
	assert_non_null(wf_findings_find(&f, "cdd-missing", "secondary_ide_channel"));
	wf_findings_free(&f);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("mergeide", &p, &r);
	assert_int_equal(dword("ControlSet001\\Services\\pciide", "Start"), 0);
	assert_int_equal(dword("ControlSet001\\Services\\atapi", "Tag"), 0x19);
	assert_true(has_key("ControlSet001\\Control\\CriticalDeviceDatabase\\*azt0502"));
	assert_true(has_key("ControlSet001\\Control\\CriticalDeviceDatabase\\pci#ven_10b9&dev_5219"));
	diag("ide", &f);
	assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 0);
	wf_findings_free(&f);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	/* not for Vista and later */
	make_guest(w7, 6, 1, 7601);
	struct wf_error e = { 0 };
	assert_int_equal(plan("mergeide", &p, &e), -1);
	assert_non_null(strstr(e.msg, "MergeIDE is for Windows XP and 2003"));
	wf_plan_free(&p);
}

static int planned_file(const struct wf_plan *p, const char *guest);

/* An XP driver PE `name` written in host folder `dir`; its path in out. */
static void xp_driver(const char *dir, const char *name, char *out, size_t n)
{
	static const char *const imports[] = { "ntoskrnl.exe", "hal.dll", NULL };
	struct kit_pe pe = { .machine = KIT_PE_I386, .subsystem = KIT_PE_NATIVE,
			     .os_major = 5, .os_minor = 1, .imports = imports };
	struct wf_error e = { 0 };
	snprintf(out, n, "%s/%s", dir, name);
	assert_int_equal(kit_write_pe(out, &pe, &e), 0);
}

/* mergeide needs atapi/intelide/pciide/pciidex.sys: a missing one comes
 * out of the guest's own driver.cab (cabextract), else the error names it. */
static void test_mergeide_cab(void **state)
{
	(void)state;
	if (access("/usr/bin/cabextract", X_OK) != 0)
		skip();	/* make deps installs it */
	make_guest(xp, 5, 1, 2600);
	free(F->ver.arch);
	F->ver.arch = strdup("i386");
	GUEST_FILES = 1;
	char drivers[256], cabdir[256], path[512];
	snprintf(drivers, sizeof drivers, "%s/Windows/System32/drivers", F->root);
	snprintf(cabdir, sizeof cabdir, "%s/Windows/Driver Cache/i386", F->root);
	xp_driver(drivers, "atapi.sys", path, sizeof path);
	xp_driver(drivers, "intelide.sys", path, sizeof path);
	xp_driver(drivers, "pciidex.sys", path, sizeof path);
	/* no cabinet: the error names the file and where to find it */
	struct wf_plan p;
	struct wf_error e = { 0 };
	assert_int_equal(plan("mergeide", &p, &e), -1);
	assert_non_null(strstr(e.msg, "C:/Windows/System32/drivers/pciide.sys is missing;"));
	assert_non_null(strstr(e.msg, "I386\\pciide.sy_"));
	wf_plan_free(&p);
	/* a driver.cab without it: the error says where it looked */
	char cmd[1024], cab[600], inner[512];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", cabdir);
	assert_int_equal(system(cmd), 0);
	snprintf(cab, sizeof cab, "%s/driver.cab", cabdir);
	xp_driver(F->tmp, "pciide.sys", inner, sizeof inner);
	const char *names[] = { "atapi.sys", "pciide.sys" }, *files[] = { path, inner };
	assert_int_equal(kit_write_cab(cab, names, files, 1, &e), 0);
	assert_int_equal(plan("mergeide", &p, &e), -1);
	assert_non_null(strstr(e.msg, "pciide.sys is missing and is not in C:/Windows/Driver Cache/i386/driver.cab"));
	wf_plan_free(&p);
	/* with it: copied in from the cabinet, byte for byte; undo takes it out */
	assert_int_equal(kit_write_cab(cab, names, files, 2, &e), 0);
	/* a cabextract planted on PATH is never run: the host's, by absolute
	 * path (security review finding 8) */
	char *path_env = strdup(getenv("PATH")), fake[600], marker[600];
	snprintf(fake, sizeof fake, "%s/cabextract", F->tmp);
	snprintf(marker, sizeof marker, "%s/planted-ran", F->tmp);
	FILE *fk = fopen(fake, "w");
	fprintf(fk, "#!/bin/sh\ntouch '%s'\nexit 1\n", marker);
	fclose(fk);
	chmod(fake, 0755);
	char planted_path[700];
	snprintf(planted_path, sizeof planted_path, "%s:/usr/bin:/bin", F->tmp);
	setenv("PATH", planted_path, 1);
	if (plan("mergeide", &p, &e) < 0)
		fail_msg("%s", e.msg);
	setenv("PATH", path_env, 1);
	free(path_env);
	assert_int_equal(access(marker, F_OK), -1);
	unlink(fake);
	wf_plan_free(&p);
	struct wf_apply_result r;
	fix("mergeide", &p, &r);
	assert_true(planned_file(&p, "/Windows/System32/drivers/pciide.sys"));
	assert_non_null(strstr(p.notes[0], "pciide.sys was missing; taken from the guest's own driver cabinet "
				     "C:/Windows/Driver Cache/i386/driver.cab"));
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_plan_to_text(&p, &sb);
	assert_non_null(strstr(sb.buf, "+ /Windows/System32/drivers/pciide.sys  (from C:/Windows/Driver Cache/i386/driver.cab)"));
	wf_sb_release(&sb);
	snprintf(path, sizeof path, "%s/pciide.sys", drivers);
	assert_true(same_file(path, inner));
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	assert_int_equal(access(path, F_OK), -1);
	/* XP x64 / 2003 x64: the cabinets are in Driver Cache\amd64, the CD folder is AMD64 */
	make_guest(xp, 5, 2, 3790);
	free(F->ver.arch);
	F->ver.arch = strdup("x86_64");
	assert_int_equal(plan("mergeide", &p, &e), -1);
	assert_non_null(strstr(e.msg, "AMD64\\pciide.sy_"));
	assert_null(strstr(e.msg, "i386"));	/* the i386 cabinet is not for this Windows */
	wf_plan_free(&p);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s/Windows/Driver Cache/amd64' && mv '%s' '%s/Windows/Driver Cache/amd64/'",
		 F->root, cab, F->root);
	assert_int_equal(system(cmd), 0);
	fix("mergeide", &p, &r);
	assert_non_null(strstr(p.notes[0], "C:/Windows/Driver Cache/amd64/driver.cab"));
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	free(F->ver.arch);
	F->ver.arch = strdup("x86_64");
	GUEST_FILES = 0;
}

/* A fake virtio-win tree (tests/data/virtio/fake-virtio-win.sh). */
static struct wf_virtio_src *fake_tree(const char *sub)
{
	const char *o = getenv("O");
	char cmd[600], path[300];
	snprintf(cmd, sizeof cmd, "bash tests/data/virtio/fake-virtio-win.sh %s/vw %s/kit/mkpe",
		 F->tmp, o && *o ? o : "build");
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/vw/%s", F->tmp, sub);
	struct wf_error e = { 0 };
	struct wf_virtio_src *s = wf_virtio_src_open(path, F->tmp, &e);
	if (!s)
		fail_msg("%s", e.msg);
	return s;
}

static int planned_file(const struct wf_plan *p, const char *guest)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind >= WF_ACT_COPY_FILE && strcmp(p->v[i].guest, guest) == 0)
			return 1;
	return 0;
}

/* A signer of the fake tree (fake-virtio-win.sh; `pem` under vw/) in
 * SOFTWARE's TrustedPublisher (want 1) or no TrustedPublisher key at all
 * (want 0).  The Blob: property 3 (SHA-1, 20 bytes) then 0x20 (the DER),
 * each {id, 1, length}; the key name is the SHA-1 openssl computes. */
static void check_trusted_publisher(int want, const char *pem)
{
	char path[300], cmd[600], fp[128] = "";
	snprintf(cmd, sizeof cmd, "openssl x509 -noout -fingerprint -sha1 -in %s/vw/%s", F->tmp, pem);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(fp, sizeof fp, f));
	pclose(f);
	char thumb[41] = "", *eq = strchr(fp, '=');
	assert_non_null(eq);
	for (char *q = eq + 1, *t = thumb; *q && t < thumb + 40; q++)
		if (*q != ':' && *q != '\n')
			*t++ = *q;
	struct wf_error e = { 0 };
	struct wf_hive *sw = wf_hive_open(F->sw, "SOFTWARE", 0, &e);
	wf_node store = wf_hive_lookup(sw, "Microsoft\\SystemCertificates\\TrustedPublisher\\Certificates");
	if (!want) {
		assert_int_equal(store, 0);
		wf_hive_close(sw);
		return;
	}
	wf_node k = wf_hive_child(sw, store, thumb);
	assert_int_not_equal(k, 0);
	void *blob;
	size_t len;
	uint32_t type;
	assert_int_equal(wf_hive_get_raw(sw, k, "Blob", &type, &blob, &len), 0);
	wf_hive_close(sw);
	assert_int_equal(type, WF_REG_BINARY);
	snprintf(path, sizeof path, "%s/signer.der", F->tmp);
	snprintf(cmd, sizeof cmd, "openssl x509 -in %s/vw/%s -outform DER -out %s", F->tmp, pem, path);
	assert_int_equal(system(cmd), 0);
	struct wf_strbuf der = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&der, path, 0, NULL), 0);
	const unsigned char *b = blob;
	static const unsigned char head[12] = { 3, 0, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0 };
	assert_int_equal(len, 12 + 20 + 12 + der.len);
	assert_memory_equal(b, head, 12);
	for (int i = 0; i < 20; i++) {
		unsigned x;
		sscanf(thumb + 2 * i, "%2x", &x);
		assert_int_equal(b[12 + i], x);
	}
	assert_int_equal(b[32] | b[33] << 8 | b[34] << 16 | b[35] << 24, 0x20);
	assert_int_equal(b[36] | b[37] << 8 | b[38] << 16 | b[39] << 24, 1);
	assert_int_equal((size_t)(b[40] | b[41] << 8 | b[42] << 16 | (size_t)b[43] << 24), der.len);
	assert_memory_equal(b + 44, der.buf, der.len);
	wf_sb_release(&der);
	free(blob);
}

static void test_inject_virtio_w10(void **state)
{
	(void)state;
	SYSTEM_DRIVE = 'E';
	make_guest(w10, 10, 0, 19045);
	SYSTEM_DRIVE = 'C';
	VSRC = fake_tree("new");
	struct wf_findings f;
	assert_non_null(wf_findings_find(diag("virtio-scsi", &f), "ddb-entry-missing", "vioscsi"));
	wf_findings_free(&f);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("inject-virtio:vioscsi,inject-virtio:netkvm", &p, &r);
	assert_true(planned_file(&p, "/Windows/System32/drivers/vioscsi.sys"));
	assert_true(planned_file(&p, "/virt-winfix/drivers/vioscsi/vioscsi.inf"));
	assert_true(planned_file(&p, "/virt-winfix/drivers/netkvm/netkvmco.dll"));
	assert_true(planned_file(&p, "/virt-winfix/firstboot.cmd"));
	assert_int_equal(dword("ControlSet001\\Services\\virt-winfix-firstboot", "Type"), 0x10);
	assert_int_equal(dword("ControlSet001\\Services\\virt-winfix-firstboot", "Start"), 2);
	/* the service program, from the guest's own SystemRoot drive (E:) */
	char *ip = string("ControlSet001\\Services\\virt-winfix-firstboot", "ImagePath");
	assert_string_equal(ip, "\"E:\\virt-winfix\\wfboot.exe\" 3");
	free(ip);
	char exe[300];
	snprintf(exe, sizeof exe, "%s/virt-winfix/wfboot.exe", F->root);
	struct wf_strbuf xb = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&xb, exe, 0, NULL), 0);
	assert_int_equal(xb.len, wf_wfboot_x64_len);
	assert_memory_equal(xb.buf, wf_wfboot_x64, xb.len);
	struct wf_pe_info pe;
	assert_int_equal(wf_pe_parse(xb.buf, xb.len, "wfboot.exe", &pe, NULL), 0);
	assert_int_equal(pe.machine, WF_PE_MACHINE_AMD64);
	wf_pe_free(&pe);
	wf_sb_release(&xb);
	const unsigned char *x86;
	size_t x86_len;
	assert_int_equal(wf_firstboot_program("i386", &x86, &x86_len), 0);
	assert_int_equal(wf_pe_parse(x86, x86_len, "wfboot.exe", &pe, NULL), 0);
	assert_int_equal(pe.machine, WF_PE_MACHINE_I386);
	wf_pe_free(&pe);
	assert_int_equal(wf_firstboot_program("aarch64", &x86, &x86_len), -1);
	assert_true(has_key("DriverDatabase\\DriverPackages\\vioscsi.inf_amd64_0000000000000000\\Descriptors\\PCI\\VEN_1AF4&DEV_1048&SUBSYS_11001AF4&REV_01"));
	assert_true(has_key("DriverDatabase\\DeviceIds\\PCI\\VEN_1AF4&DEV_1004"));
	check_trusted_publisher(0, "signer/cert.pem");	/* Windows 10: Microsoft-signed or nothing */
	/* the placeholder: in-box style name, no SignerScore (fix_db.c) */
	assert_int_equal(dword("DriverDatabase\\DriverPackages\\vioscsi.inf_amd64_0000000000000000", "SignerScore"),
			 0xdead);
	char *pub = string("DriverDatabase\\DriverPackages\\vioscsi.inf_amd64_0000000000000000", "");
	assert_string_equal(pub, "vioscsi.inf");
	free(pub);
	/* the INF's AddReg: in the service key, and in the DriverDatabase
	 * configuration as a real Windows 10 keeps it (Device\..., Services\<svc>\...) */
	assert_int_equal(dword("ControlSet001\\Services\\vioscsi\\Parameters\\PnpInterface", "5"), 1);
	assert_int_equal(dword("ControlSet001\\Services\\vioscsi\\Parameters", "BusType"), 1);
#define CONF "DriverDatabase\\DriverPackages\\vioscsi.inf_amd64_0000000000000000\\Configurations\\vioscsi_inst\\"
	assert_int_equal(dword(CONF "Device\\Interrupt Management\\MessageSignaledInterruptProperties",
			       "MSISupported"), 1);
	char *odd = string(CONF "Device\\Interrupt Management", "0x00000010");
	assert_string_equal(odd, "");
	free(odd);
	assert_int_equal(dword(CONF "Services\\vioscsi\\Parameters", "BusType"), 1);
#undef CONF
	/* the netkvm service is left to PnP; the files are in the guest */
	assert_false(has_key("ControlSet001\\Services\\netkvm"));
	char path[300];
	snprintf(path, sizeof path, "%s/virt-winfix/firstboot.cmd", F->root);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&sb, path, 0, NULL), 0);
	assert_non_null(strstr(sb.buf, "pnputil /add-driver \"%~1\" /install"));
	assert_non_null(strstr(sb.buf, "if \"%REBOOT%\"==\"1\" exit /b 3010\r\n"));
	assert_null(strstr(sb.buf, "sc delete"));	/* wfboot.exe removes the service */
	wf_sb_release(&sb);
	struct wf_hive *sw = wf_hive_open(F->sw, "SOFTWARE", 0, NULL);
	char *dp = wf_hive_get_string(sw, wf_hive_lookup(sw, "Microsoft\\Windows\\CurrentVersion"), "DevicePath");
	assert_string_equal(dp, "%SystemRoot%\\inf;%SystemDrive%\\virt-winfix\\drivers\\vioscsi;"
			    "%SystemDrive%\\virt-winfix\\drivers\\netkvm");
	free(dp);
	wf_hive_close(sw);
	diag("virtio-scsi", &f);
	assert_null(wf_findings_find(&f, "ddb-entry-missing", NULL));
	assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 1);	/* guestor.inf_tmp's Version, not ours */
	assert_non_null(wf_findings_find(&f, "driver-package-version-missing", "guestor.inf_tmp"));
	wf_findings_free(&f);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	snprintf(path, sizeof path, "%s/Windows/System32/drivers/vioscsi.sys", F->root);
	assert_int_not_equal(access(path, F_OK), 0);	/* the added file is gone */
	wf_virtio_src_free(VSRC);
	VSRC = NULL;
}

static void test_inject_virtio_w7_xp(void **state)
{
	(void)state;
	/* w7, and a virtio-blk device the guest has seen before */
	static const char seen[] = CS1 "Enum\\PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&13c0b0c5&0&20]\n"
		"\"Service\"=\"viostor\"\n\n";
	char *w7seen = malloc(sizeof w7 + sizeof seen);
	snprintf(w7seen, sizeof w7 + sizeof seen, "%s\n%s", w7, seen);
	make_guest(w7seen, 6, 1, 7601);
	free(w7seen);
	VSRC = fake_tree("new");
	struct wf_plan p;
	struct wf_apply_result r;
	fix("inject-virtio:viostor", &p, &r);
	assert_true(has_key("ControlSet001\\Control\\CriticalDeviceDatabase\\pci#ven_1af4&dev_1001&subsys_00021af4&rev_00"));
	/* the fake tree's catalogs carry the WHQL names: Microsoft-signed, so
	 * no TrustedPublisher entry even on 7 (test_trustpub: the other kinds) */
	check_trusted_publisher(0, "signer/cert.pem");
	assert_true(has_key("ControlSet002\\Control\\CriticalDeviceDatabase\\pci#ven_1af4&dev_1042"));
	/* service AddReg in both sets; .HW into the instance Windows already knows */
	assert_int_equal(dword("ControlSet001\\Services\\viostor\\Parameters\\PnpInterface", "5"), 1);
	assert_int_equal(dword("ControlSet002\\Services\\viostor\\Parameters", "BusType"), 1);
	assert_int_equal(dword("ControlSet001\\Enum\\PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&13c0b0c5&0&20\\"
			       "Device Parameters\\Interrupt Management\\MessageSignaledInterruptProperties",
			       "MSISupported"), 1);
	assert_false(has_key("ControlSet001\\Enum\\PCI\\VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00\\3&1&0&09\\"
			     "Device Parameters"));
	for (size_t i = 0; i < p.n_notes; i++)
		assert_null(strstr(p.notes[i], "TrustedPublisher"));
	struct wf_findings f;
	diag("virtio-blk", &f);
	for (size_t i = 0; i < f.n; i++)	/* only the fixture's prl_strg filter is left */
		if (f.v[i].severity == WF_SEV_ERROR && strcmp(f.v[i].id, "filter-driver-missing"))
			fail_msg("error %s remains", f.v[i].id);
	wf_findings_free(&f);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	struct wf_error e = { 0 };
	/* the i386 vioscsi build in w7/amd64: refused, plan not built */
	assert_int_equal(plan("inject-virtio:vioscsi", &p, &e), -1);
	assert_non_null(strstr(e.msg, "inject-virtio:vioscsi: vioscsi: no VirtIO SCSI build"));
	assert_non_null(strstr(e.msg, "built for i386"));
	wf_plan_free(&p);
	wf_virtio_src_free(VSRC);
	/* XP: the XP folder's netkvm, DevicePath only, no first-boot service */
	make_guest(xp, 5, 1, 2600);
	free(F->ver.arch);
	F->ver.arch = strdup("i386");
	VSRC = fake_tree("old");
	assert_int_equal(plan("inject-virtio:netkvm", &p, &e), 0);
	assert_true(planned_file(&p, "/virt-winfix/drivers/netkvm/netkvm.sys"));
	assert_false(planned_file(&p, "/virt-winfix/firstboot.cmd"));
	assert_int_equal(wf_plan_count_hive(&p, WF_HIVE_SOFTWARE), 1);
	wf_plan_free(&p);
	wf_virtio_src_free(VSRC);
	VSRC = NULL;
	assert_int_equal(plan("inject-virtio:netkvm", &p, &e), -1);
	assert_non_null(strstr(e.msg, "--virtio-win"));
	wf_plan_free(&p);
}

/* enable-driver on real hives: the Group it would write is the one the
 * in-box service has in that era, and none where it has none (Vista+ disk
 * and volsnap): no action on "Group" at all for the storage stack. */
static void test_groups_real_hives(void **state)
{
	(void)state;
	static const struct { const char *hive; unsigned major, minor; } hives[] = {
		{ "hives/regipy_SYSTEM_win7sp1x86", 6, 1 },
		{ "hives/regipy_SYSTEM_WIN_10_1709", 10, 0 },
		{ "hives/ITSEC2022_SYSTEM", 5, 1 },
	};
	static const char *const svcs[] = { "disk", "partmgr", "volmgr", "volsnap", "fvevol" };
	for (size_t i = 0; i < sizeof hives / sizeof hives[0]; i++) {
		SKIP_WITHOUT_FIXTURE(path, hives[i].hive);
		struct wf_error e = { 0 };
		struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
		assert_non_null(h);
		struct wf_winver v = { .major = hives[i].major, .minor = hives[i].minor, .arch = "x86_64" };
		struct wf_fixctx c = { .system = h, .ver = &v };
		for (size_t k = 0; k < sizeof svcs / sizeof svcs[0]; k++) {
			char id[64];
			snprintf(id, sizeof id, "enable-driver:%s", svcs[k]);
			const char *ids[] = { id };
			struct wf_plan p;
			wf_plan_init(&p);
			int r = wf_fixes_build(&c, ids, 1, &p, &e);
			if (r == 0) {
				for (size_t a = 0; a < p.n; a++)
					if (p.v[a].name && strcmp(p.v[a].name, "Group") == 0)
						fail_msg("%s on %s writes a Group", id, hives[i].hive);
			} else {	/* XP has no volmgr/fvevol: refused, not invented */
				assert_non_null(strstr(e.msg, "the driver is not installed"));
			}
			wf_plan_free(&p);
		}
		wf_hive_close(h);
	}
}

/* Third-party packages in a real Windows 10 hive look as fix_db.c says
 * (published oemN.inf, label <inf>_<arch>_<16 hex>, SignerScore); the
 * placeholder inject-virtio writes has the same label shape, no oem name
 * and no SignerScore (test_inject_virtio_w10 writes it). */
static void test_ddb_names_real_hive(void **state)
{
	(void)state;
	SKIP_WITHOUT_FIXTURE(path, "hives/regipy_SYSTEM_WIN_10_1709");
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
	assert_non_null(h);
	size_t n, oem = 0;
	wf_node *files = wf_hive_children(h, wf_hive_lookup(h, "DriverDatabase\\DriverInfFiles"), &n);
	for (size_t i = 0; i < n; i++) {
		char *name = wf_hive_node_name(h, files[i]);
		if (strncmp(name, "oem", 3) == 0) {
			oem++;
			char *label = wf_hive_get_string(h, files[i], "Active");
			assert_non_null(label);
			size_t ll = strlen(label);
			assert_true(ll > 23 && strncmp(label + ll - 23, "_amd64_", 7) == 0);
			assert_int_equal(strspn(label + ll - 16, "0123456789abcdef"), 16);
			char *k = wf_xasprintf("DriverDatabase\\DriverPackages\\%s", label);
			wf_node pk = wf_hive_lookup(h, k);
			char *pub = wf_hive_get_string(h, pk, NULL);
			assert_string_equal(pub, name);
			uint32_t score;
			assert_int_equal(wf_hive_get_dword(h, pk, "SignerScore", &score), 0);
			assert_true(wf_hive_value_exists(h, pk, "InfName"));
			free(pub);
			free(k);
			free(label);
		}
		free(name);
	}
	free(files);
	wf_hive_close(h);
	assert_true(oem >= 5);
}

static int in_multi(const char *key, const char *value, const char *item)
{
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(F->sys, "SYSTEM", 0, &e);
	size_t n = 0;
	char **v = wf_hive_get_multi(h, wf_hive_lookup(h, key), value, &n);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(v[i], item) == 0;
	wf_strv_free(v, n);
	wf_hive_close(h);
	return found;
}

static int proposes(struct wf_findings *f, const char *id, const char *dev, const char *fix)
{
	struct wf_finding *x = wf_findings_find(f, id, dev);
	for (size_t i = 0; x && i < x->n_fixes; i++)
		if (strcmp(x->fixes[i], fix) == 0)
			return 1;
	return 0;
}

/* XP SP3 (real hive, bitcurator): intelppm at Start 1 in both sets ->
 * cpu-driver-wrong-vendor proposes disable-driver:intelppm; after it the
 * finding is gone, and undo gives the hive back byte for byte. */
static void test_disable_driver_xp(void **state)
{
	(void)state;
	NEED_FIXTURE(real_guest("hives/bitcurator_SYSTEM", NULL, 5, 1, 2600));
	struct wf_findings f;
	assert_true(proposes(diag("ide", &f), "cpu-driver-wrong-vendor", "intelppm",
			     "disable-driver:intelppm"));
	wf_findings_free(&f);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("disable-driver:intelppm", &p, &r);
	assert_int_equal(dword("ControlSet001\\Services\\intelppm", "Start"), 4);
	assert_int_equal(dword("ControlSet002\\Services\\intelppm", "Start"), 4);	/* LKG */
	diag("ide", &f);
	assert_null(wf_findings_find(&f, "cpu-driver-wrong-vendor", NULL));
	wf_findings_free(&f);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
}

#define W7DISK "ControlSet001\\Enum\\SCSI\\Disk&Ven_VMware_&Prod_VMware_Virtual_S\\5&22be343f&0&000000"
#define DISKCLASS "ControlSet001\\Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}"

/* Windows 7 SP1 (real hive, a VMware guest) with Xen's rhelscsi left at
 * boot start, listed in the DiskDrive class LowerFilters and in the boot
 * disk's own UpperFilters: the fix disables it in both sets and takes it
 * out of both lists, leaving the other filters. */
static void test_disable_driver_filter(void **state)
{
	(void)state;
	static const char reg[] =
		"Windows Registry Editor Version 5.00\n\n"
		CS1 "Services\\rhelscsi]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n"
		"\"ImagePath\"=\"system32\\\\drivers\\\\rhelscsi.sys\"\n\n"
		CS2 "Services\\rhelscsi]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n\n"
		KEY DISKCLASS "]\n\"LowerFilters\"=hex(7):72,00,68,00,65,00,6c,00,73,00,63,00,73,00,69,00,00,00,00,00\n\n"
		KEY W7DISK "]\n\"UpperFilters\"=hex(7):72,00,68,00,65,00,6c,00,73,00,63,00,73,00,69,00,00,00,"
		"50,00,61,00,72,00,74,00,4d,00,67,00,72,00,00,00,00,00\n\n";
	NEED_FIXTURE(real_guest("hives/ShimCacheParser_win7sp1x64_SYSTEM", reg, 6, 1, 7601));
	struct wf_findings f;
	assert_true(proposes(diag("lsi-sas", &f), "old-platform-driver", "rhelscsi",
			     "disable-driver:rhelscsi"));
	/* harmless leftovers get no fix */
	assert_false(proposes(&f, "old-platform-driver", "vmci", "disable-driver:vmci"));
	wf_findings_free(&f);
	struct wf_plan p;
	struct wf_apply_result r;
	fix("disable-driver:rhelscsi", &p, &r);
	assert_int_equal(dword("ControlSet001\\Services\\rhelscsi", "Start"), 4);
	assert_int_equal(dword("ControlSet002\\Services\\rhelscsi", "Start"), 4);
	assert_false(in_multi(DISKCLASS, "LowerFilters", "rhelscsi"));
	assert_true(in_multi(DISKCLASS, "UpperFilters", "PartMgr"));
	assert_false(in_multi(W7DISK, "UpperFilters", "rhelscsi"));
	assert_true(in_multi(W7DISK, "UpperFilters", "PartMgr"));
	diag("lsi-sas", &f);
	assert_null(wf_findings_find(&f, "old-platform-driver", "rhelscsi"));
	assert_null(wf_findings_find(&f, "filter-driver-missing", NULL));
	wf_findings_free(&f);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	/* with remove-filter of the other entry in the same plan (it runs
	 * later): neither comes back, the list is deleted */
	struct wf_error e = { 0 };
	const char *both = "disable-driver:rhelscsi,remove-filter:SCSI\\Disk&Ven_VMware_&Prod_VMware_Virtual_S\\5&22be343f&0&000000:PartMgr";
	if (plan(both, &p, &e) < 0)
		fail_msg("%s", e.msg);
	uint32_t type;
	const unsigned char *data;
	size_t len;
	int deleted = 0;
	assert_int_equal(wf_plan_planned_value(&p, WF_HIVE_SYSTEM, W7DISK, "UpperFilters", &type, &data,
					       &len, &deleted), 0);
	assert_true(deleted);
	wf_plan_free(&p);
}

static void test_disable_driver_refusals(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	static const struct { const char *id, *msg; } bad[] = {
		{ "disable-driver:msahci", "refused: msahci is a storage or network driver" },
		{ "disable-driver:ACPI", "refused: ACPI is a service every Windows needs" },
		{ "disable-driver:rhelscsi", "no Services\\rhelscsi in ControlSet001" },
		{ "disable-driver", "needs an argument" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct wf_plan p;
		struct wf_error e = { 0 };
		assert_int_equal(plan(bad[i].id, &p, &e), -1);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("%s: %s", bad[i].id, e.msg);
		wf_plan_free(&p);
	}
}

static void test_auto_ids(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	struct wf_findings f;
	diag("sata", &f);
	char **ids;
	size_t n;
	wf_fixes_from_findings(&f, &ids, &n);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(ids[i], "enable-driver:msahci") == 0;
	assert_true(found);
	wf_strv_free(ids, n);
	wf_findings_free(&f);
}

/* --- signatures (sigpolicy.h) and virtio ids (idcheck.h) ------------------------------ */

static int has_note(const struct wf_plan *p, const char *needle)
{
	for (size_t i = 0; i < p->n_notes; i++)
		if (strstr(p->notes[i], needle))
			return 1;
	return 0;
}

/* <root>/Boot/BCD from the scenario images' BCD store (test signing off). */
static void make_bcd(void)
{
	char dir[256], path[300];
	snprintf(dir, sizeof dir, "%s/Boot", F->root);
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/BCD", dir);
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(path, "NewStoreRoot", &e), 0);
	struct wf_regfile r;
	if (wf_regfile_parse("tests/scenarios/parts/bcd.reg", &r, &e) < 0)
		fail_msg("%s", e.msg);
	struct wf_hive *h = wf_hive_open(path, "BCD", 1, &e);
	assert_non_null(h);
	assert_int_equal(wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\BCD00000000", &e), 0);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	wf_regfile_free(&r);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cp %s %s/orig-BCD", path, F->tmp);
	assert_int_equal(system(cmd), 0);
	F->t.hive[WF_HIVE_BCD] = "/Boot/BCD";
	BCD = 1;
}

#define TS_KEY "Objects\\{6f3c2d1e-8b4a-11ee-9c4d-525400a1b2c3}\\Elements\\16000049"

static void test_sig_test_signed_boot_driver(void **state)
{
	(void)state;
	make_guest(w10, 10, 0, 19045);
	make_bcd();
	VSRC = fake_tree("testsigned");
	struct wf_plan p;
	struct wf_error e = { 0 };
	/* default: refused before anything is planned, saying why and what instead */
	assert_int_equal(plan("inject-virtio:viostor", &p, &e), -1);
	assert_non_null(strstr(e.msg, "viostor.sys would not load at boot"));
	assert_non_null(strstr(e.msg, "test-signed (Test Self Signed (virt-winfix)"));
	assert_non_null(strstr(e.msg, "it is off in the guest's BCD store"));
	assert_non_null(strstr(e.msg, "Use instead: a Microsoft-signed (WHQL) build"));
	assert_non_null(strstr(e.msg, "--test-signing"));
	wf_plan_free(&p);
	/* --test-signing: testsigning on in the BCD store, through the executor */
	SIGMODE = WF_SIGMODE_TEST_SIGNING;
	struct wf_apply_result r;
	fix("inject-virtio:viostor", &p, &r);
	assert_true(has_note(&p, "Secure Boot must be off"));
	char path[300];
	snprintf(path, sizeof path, "%s/Boot/BCD", F->root);
	struct wf_hive *h = wf_hive_open(path, "BCD", 0, &e);
	assert_non_null(h);
	uint32_t type;
	void *d = NULL;
	size_t len = 0;
	assert_int_equal(wf_hive_get_raw(h, wf_hive_lookup(h, TS_KEY), "Element", &type, &d, &len), 0);
	assert_int_equal(type, WF_REG_BINARY);
	assert_int_equal(len, 1);
	assert_int_equal(((unsigned char *)d)[0], 1);
	free(d);
	wf_hive_close(h);
	/* the next plan sees test signing on and needs no change */
	struct wf_plan p2;
	assert_int_equal(plan("inject-virtio:viostor", &p2, &e), 0);
	assert_true(has_note(&p2, "loads because test signing is on"));
	assert_int_equal(wf_plan_count_hive(&p2, WF_HIVE_BCD), 0);
	wf_plan_free(&p2);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();
	char cmd[700];
	snprintf(cmd, sizeof cmd, "cmp -s %s %s/orig-BCD", path, F->tmp);
	assert_int_equal(system(cmd), 0);	/* test signing off again, byte for byte */
	/* --no-signature-check */
	SIGMODE = WF_SIGMODE_SKIP;
	assert_int_equal(plan("inject-virtio:viostor", &p, &e), 0);
	assert_true(has_note(&p, "signature not checked (--no-signature-check)"));
	wf_plan_free(&p);
	SIGMODE = WF_SIGMODE_CHECK;
	BCD = 0;
	F->t.hive[WF_HIVE_BCD] = NULL;
	wf_virtio_src_free(VSRC);
	VSRC = NULL;
}

static void test_sig_whql_and_staged(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	VSRC = fake_tree("new");
	struct wf_plan p;
	struct wf_error e = { 0 };
	assert_int_equal(plan("inject-virtio:viostor,inject-virtio:netkvm", &p, &e), 0);
	assert_true(has_note(&p, "viostor.sys: Microsoft-signed (Microsoft Windows Hardware "
			     "Compatibility Publisher, SHA-1 and SHA-256): Windows loads it"));
	assert_true(has_note(&p, "catalog viostor.cat: Microsoft-signed"));
	assert_true(has_note(&p, "test signing: unknown (no BCD store found on the disk)"));
	assert_false(has_note(&p, "does not list"));
	wf_plan_free(&p);
	/* a .sys changed after its catalog was made */
	char cmd[600];
	snprintf(cmd, sizeof cmd, "printf 'X' | dd of=%s/vw/new/NetKVM/w7/amd64/netkvm.sys bs=1 "
		 "seek=512 conv=notrunc status=none", F->tmp);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(plan("inject-virtio:netkvm", &p, &e), 0);
	assert_true(has_note(&p, "warning: netkvm.cat does not list netkvm.sys"));
	wf_plan_free(&p);
	wf_virtio_src_free(VSRC);
	/* a staged (non-boot) test-signed driver is a warning, not a refusal */
	make_guest(w10, 10, 0, 19045);
	VSRC = fake_tree("testsigned");
	assert_int_equal(plan("inject-virtio:netkvm", &p, &e), 0);
	assert_true(has_note(&p, "warning: netkvm.cat: test-signed (Test Self Signed (virt-winfix)"));
	wf_plan_free(&p);
	wf_virtio_src_free(VSRC);
	VSRC = NULL;
}

/* A self-signed (test) catalog on 7 with --test-signing: its signer goes
 * into TrustedPublisher through the executor, and undo takes it out. */
static void test_trustpub_w7_test_signed(void **state)
{
	(void)state;
	make_guest(w7, 6, 1, 7601);
	make_bcd();
	VSRC = fake_tree("testsigned");
	SIGMODE = WF_SIGMODE_TEST_SIGNING;
	struct wf_plan p;
	struct wf_apply_result r;
	fix("inject-virtio:viostor", &p, &r);
	check_trusted_publisher(1, ".certs/test.pem");
	assert_true(has_note(&p, "the signer of viostor.cat (\"Test Self Signed (virt-winfix)\", SHA-1 "));
	assert_true(has_note(&p, "Root store too"));
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	undo_identical();	/* SOFTWARE too: the TrustedPublisher key goes */
	check_trusted_publisher(0, ".certs/test.pem");
	SIGMODE = WF_SIGMODE_CHECK;
	BCD = 0;
	F->t.hive[WF_HIVE_BCD] = NULL;
	wf_virtio_src_free(VSRC);
	VSRC = NULL;
}

static const char dom_xml[] =
	"<domain type='kvm'><os><type arch='x86_64' machine='%s'>hvm</type></os><devices>"
	"<disk type='file' device='disk'%s><target dev='vda' bus='virtio'/><boot order='1'/></disk>"
	"</devices></domain>";

static void test_idcheck_xp_q35(void **state)
{
	(void)state;
	make_guest(xp, 5, 1, 2600);
	free(F->ver.arch);
	F->ver.arch = strdup("i386");
	VSRC = fake_tree("new");
	char xml[600];
	struct wf_vm_virtio vm;
	struct wf_error e = { 0 };
	struct wf_plan p;
	/* q35, model virtio: DEV_1042, which the XP INF does not list */
	snprintf(xml, sizeof xml, dom_xml, "pc-q35-8.2", "");
	assert_int_equal(wf_vm_virtio_from_domxml_mem(xml, strlen(xml), "q35.xml", &vm, &e), 0);
	VM = &vm;
	assert_int_equal(plan("inject-virtio:viostor", &p, &e), -1);
	assert_non_null(strstr(e.msg, "presents its virtio-blk as PCI\\VEN_1AF4&DEV_1042 (q35"));
	assert_non_null(strstr(e.msg, "viostor/xp/x86/viostor.inf binds only the transitional id"));
	assert_non_null(strstr(e.msg, "model='virtio-transitional'"));
	assert_non_null(strstr(e.msg, "<type machine='pc'>"));
	wf_plan_free(&p);
	/* q35 with model virtio-transitional, and i440fx: accepted */
	snprintf(xml, sizeof xml, dom_xml, "pc-q35-8.2", " model='virtio-transitional'");
	assert_int_equal(wf_vm_virtio_from_domxml_mem(xml, strlen(xml), "t.xml", &vm, &e), 0);
	if (plan("inject-virtio:viostor", &p, &e) < 0)
		fail_msg("%s", e.msg);
	assert_true(has_note(&p, "DEV_1001 (model virtio-transitional), which viostor/xp/x86/viostor.inf binds"));
	wf_plan_free(&p);
	snprintf(xml, sizeof xml, dom_xml, "pc-i440fx-8.2", "");
	assert_int_equal(wf_vm_virtio_from_domxml_mem(xml, strlen(xml), "pc.xml", &vm, &e), 0);
	assert_int_equal(plan("inject-virtio:viostor", &p, &e), 0);
	assert_true(has_note(&p, "DEV_1001 (i440fx (PCI) machine"));
	wf_plan_free(&p);
	/* no domain XML: a warning in the plan */
	VM = NULL;
	assert_int_equal(plan("inject-virtio:viostor", &p, &e), 0);
	assert_true(has_note(&p, "binds only the transitional id DEV_1001: a q35 VM presents"));
	wf_plan_free(&p);
	free(F->ver.arch);
	F->ver.arch = strdup("x86_64");
	wf_virtio_src_free(VSRC);
	VSRC = NULL;
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_enable_driver),
		T(test_enable_current_only_and_errors),
		T(test_autoreboot_filters),
		T(test_import_reg),
		T(test_add_cdd),
		T(test_ddb),
		cmocka_unit_test(test_version_blob),
		T(test_refusals),
		T(test_mergeide),
		T(test_mergeide_cab),
		T(test_inject_virtio_w10),
		T(test_inject_virtio_w7_xp),
		T(test_auto_ids),
		cmocka_unit_test(test_groups_real_hives),
		cmocka_unit_test(test_ddb_names_real_hive),
		T(test_disable_driver_xp),
		T(test_disable_driver_filter),
		T(test_disable_driver_refusals),
		T(test_sig_test_signed_boot_driver),
		T(test_sig_whql_and_staged),
		T(test_trustpub_w7_test_signed),
		T(test_idcheck_xp_q35),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
