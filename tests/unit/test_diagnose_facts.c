/*
 * test_diagnose_facts.c - the facts a real Windows obeys (issue 12), on
 * the real SYSTEM hives of ../shared/fixtures and on copies of them
 * changed by the test (.reg text applied through the kit):
 * CriticalDeviceDatabase matching of the presented device, the lsi-scsi
 * kind, boot-path filters at demand start, transitional vs modern
 * virtio, KB2990941's stornvme, in-box NIC drivers at first boot,
 * Select\Default, and the old platform's drivers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "bootsect.h"
#include "controllers.h"
#include "diagnose.h"
#include "finding.h"
#include "fixtures.h"
#include "hive.h"
#include "regfile.h"
#include "strbuf.h"
#include "targets.h"
#include "text.h"

#define W7 "hives/ShimCacheParser_win7sp1x64_SYSTEM"
#define XP "hives/ITSEC2022_SYSTEM"
#define W81 "hives/regipy_SYSTEM_2"
#define CS1 "HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\"
#define SET "[" CS1
#define CDD SET "Control\\CriticalDeviceDatabase\\"
#define DELCDD "[-" CS1 "Control\\CriticalDeviceDatabase\\"

static struct wf_findings F;
static struct wf_diag_notes N;
static char tmp[64], swtmp[64];

/* A copy of fixture `rel` with .reg text `reg` applied (NULL: none);
 * NULL when the fixture is absent. */
static const char *hive(const char *rel, const char *reg)
{
	const char *src = fixture_path(rel);
	if (!src)
		return NULL;
	snprintf(tmp, sizeof tmp, "/tmp/wf-facts.%d", (int)getpid());
	char *cmd = wf_xasprintf("cp '%s' %s", src, tmp);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	if (!reg)
		return tmp;
	struct wf_error e = { 0 };
	struct wf_regfile r;
	char *text = wf_xasprintf("Windows Registry Editor Version 5.00\n\n%s\n", reg);
	if (wf_regfile_parse_mem("t.reg", text, strlen(text), &r, &e) < 0)
		fail_msg("reg: %s", e.msg);
	struct wf_hive *h = wf_hive_open(tmp, "SYSTEM", 1, &e);
	assert_non_null(h);
	if (wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\SYSTEM", &e) < 0)
		fail_msg("apply: %s", e.msg);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	wf_regfile_free(&r);
	free(text);
	return tmp;
}

static struct wf_findings *diag(const char *path, const char *targets)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	wf_findings_free(&F);
	wf_diag_notes_free(&N);
	if (targets && wf_targets_parse_list(targets, &t, &e) < 0)
		fail_msg("targets: %s", e.msg);
	if (wf_diagnose_hive_files(path, NULL, targets ? &t : NULL, NULL, 0, &N, &F, &e) < 0)
		fail_msg("diagnose: %s", e.msg);
	return &F;
}

/* A SOFTWARE hive of Windows 10 1709 (build 16299, the W10 fixture's)
 * made by the kit, with .reg text `reg` (below HKLM\SOFTWARE) added. */
static const char *software(const char *reg)
{
	snprintf(swtmp, sizeof swtmp, "/tmp/wf-facts-sw.%d", (int)getpid());
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(swtmp, "SOFTWARE", &e), 0);
	char *text = wf_xasprintf("Windows Registry Editor Version 5.00\n\n"
				  "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\n"
				  "\"ProductName\"=\"Windows 10 Pro\"\n\"CurrentVersion\"=\"6.3\"\n"
				  "\"CurrentMajorVersionNumber\"=dword:0000000a\n"
				  "\"CurrentMinorVersionNumber\"=dword:00000000\n"
				  "\"CurrentBuildNumber\"=\"16299\"\n\"InstallationType\"=\"Client\"\n\n%s\n",
				  reg ? reg : "");
	struct wf_regfile r;
	if (wf_regfile_parse_mem("sw.reg", text, strlen(text), &r, &e) < 0)
		fail_msg("reg: %s", e.msg);
	struct wf_hive *h = wf_hive_open(swtmp, "SOFTWARE", 1, &e);
	assert_non_null(h);
	if (wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\SOFTWARE", &e) < 0)
		fail_msg("apply: %s", e.msg);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	wf_regfile_free(&r);
	free(text);
	return swtmp;
}

/* diag() with a SOFTWARE hive. */
static struct wf_findings *diag_sw(const char *path, const char *sw, const char *targets)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	wf_findings_free(&F);
	wf_diag_notes_free(&N);
	if (targets && wf_targets_parse_list(targets, &t, &e) < 0)
		fail_msg("targets: %s", e.msg);
	if (wf_diagnose_hive_files(path, sw, targets ? &t : NULL, NULL, 0, &N, &F, &e) < 0)
		fail_msg("diagnose: %s", e.msg);
	return &F;
}

static void dump(void)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_findings_to_text(&F, &sb);
	printf("%s", sb.buf);
	wf_sb_release(&sb);
}

static struct wf_finding *want(const char *id, const char *dev, int sev, const char *fix)
{
	struct wf_finding *f = wf_findings_find(&F, id, dev);
	if (!f) {
		dump();
		fail_msg("no %s for %s", id, dev ? dev : "(any)");
	}
	if (sev >= 0 && (int)f->severity != sev) {
		dump();
		fail_msg("%s: severity %s", id, wf_severity_name(f->severity));
	}
	int found = !fix;
	for (size_t i = 0; fix && i < f->n_fixes; i++)
		found |= strcmp(f->fixes[i], fix) == 0;
	if (!found) {
		dump();
		fail_msg("%s: no fix %s", id, fix);
	}
	return f;
}

static void none(const char *id)
{
	if (wf_findings_find(&F, id, NULL)) {
		dump();
		fail_msg("unexpected %s", id);
	}
}

/* No finding anywhere proposes fix `fix`. */
static void no_fix(const char *fix)
{
	for (size_t i = 0; i < F.n; i++)
		for (size_t k = 0; k < F.v[i].n_fixes; k++)
			if (strcmp(F.v[i].fixes[k], fix) == 0) {
				dump();
				fail_msg("%s proposes %s", F.v[i].id, fix);
			}
}

#define NEED(p) do { if (!(p)) { printf("SKIP-REASON: fixture hives absent (set FIXTURES)\n"); skip(); } } while (0)

/* XP on VMware (PIIX4 in its CDD, no PIIX3): QEMU's PIIX3 8086:7010 has
 * no entry -> the classic 0x7B, cured by MergeIDE. */
static void test_cdd_presented_xp(void **state)
{
	(void)state;
	const char *p = hive(XP, NULL);
	NEED(p);
	diag(p, "ide");
	struct wf_finding *f = want("cdd-missing", "pci#ven_8086&dev_7010", WF_SEV_ERROR, "mergeide");
	assert_non_null(strstr(f->evidence[0].text, "VEN_8086&DEV_7010"));
	/* the hive's own controller (PIIX4, installed) still boots */
	diag(p, NULL);
	assert_int_equal(wf_findings_count(&F, WF_SEV_ERROR), 0);
}

/* Windows 7: its CDD binds PCI#VEN_8086&DEV_7010 (intelide) and the
 * generic PCI#CC_0101 (pciide, Start 3 on this hive). */
static void test_cdd_presented_w7(void **state)
{
	(void)state;
	const char *p = hive(W7, NULL);
	NEED(p);
	diag(p, "ide");
	assert_int_equal(wf_findings_count(&F, WF_SEV_ERROR), 0);
	/* without the PIIX3 entry PnP falls to the class id: pciide, demand start */
	diag(hive(W7, DELCDD "PCI#VEN_8086&DEV_7010]\n"), "ide");
	want("boot-driver-disabled", "pciide", WF_SEV_ERROR, "enable-driver:pciide");
	none("cdd-missing");
	/* and without both: add-cdd, never mergeide (it refuses Vista and later) */
	diag(hive(W7, DELCDD "PCI#VEN_8086&DEV_7010]\n\n" DELCDD "PCI#CC_0101]\n"), "ide");
	want("cdd-missing", "pci#ven_8086&dev_7010", WF_SEV_ERROR, "add-cdd:intelide");
	no_fix("mergeide");
}

static void test_lsi_scsi(void **state)
{
	(void)state;
	const char *p = hive(W7, NULL);
	NEED(p);
	diag(p, "lsi-scsi");	/* QEMU lsilogic = 53C895A: nothing in-box from Vista */
	struct wf_finding *f = want("controller-unsupported", "lsi-scsi", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->explanation, "LSI_SCSI"));
	no_fix("enable-driver:LSI_SCSI");
	diag(hive(W81, NULL), "lsi-scsi");
	want("controller-unsupported", "lsi-scsi", WF_SEV_ERROR, NULL);
	none("boot-driver-missing");
	/* XP drives it with symc8xx, installed but disabled on this hive */
	diag(hive(XP, NULL), "lsi-scsi");
	want("boot-driver-disabled", "symc8xx", WF_SEV_ERROR, "enable-driver:symc8xx");
	want("cdd-missing", "pci#ven_1000&dev_0012", WF_SEV_ERROR, "add-cdd:symc8xx");
	/* a 7 guest booted from VMware's LSI Logic Parallel (1000:0030) */
	diag(hive(W7, SET "Enum\\PCI\\VEN_1000&DEV_0030&SUBSYS_197615AD&REV_01\\4&1&0&0010]\n"
		  "\"Service\"=\"LSI_SCSI\"\n\n" SET "Services\\LSI_SCSI]\n\"Start\"=dword:00000000\n"
		  "\n[-" CS1 "Enum\\PCI\\VEN_1000&DEV_0054&SUBSYS_197615AD&REV_01]\n"), NULL);
	assert_int_equal(wf_findings_count(&F, WF_SEV_ERROR), 0);
	int seen = 0;
	for (size_t i = 0; i < N.n; i++)
		seen |= strstr(N.v[i], "lsi-scsi") && strstr(N.v[i], "LSI_SCSI") != NULL;
	assert_true(seen);
}

static void test_filter_demand_start(void **state)
{
	(void)state;
#define FLT(start) SET "Control\\Class\\{4D36E967-E325-11CE-BFC1-08002BE10318}]\n" \
	"\"LowerFilters\"=hex(7):6f,00,6c,00,64,00,66,00,6c,00,74,00,00,00,00,00\n\n" \
	SET "Services\\oldflt]\n\"Type\"=dword:00000001\n\"Start\"=dword:0000000" start "\n"
	char *r3 = wf_xstrdup(FLT("3")), *r0 = wf_xstrdup(FLT("0"));
	const char *p = hive(W7, r3);
	NEED(p);
	diag(p, NULL);
	struct wf_finding *f = want("filter-driver-missing", "oldflt", WF_SEV_ERROR,
				    "remove-filter:{4D36E967-E325-11CE-BFC1-08002BE10318}:oldflt");
	assert_non_null(strstr(f->explanation, "not boot-start (Start = 3"));
	diag(hive(W7, r0), NULL);
	none("filter-driver-missing");
	free(r3);
	free(r0);
}

/* An old virt-v2v wrote only the transitional id (2016 form). */
static void test_virtio_variants(void **state)
{
	(void)state;
	const char *reg = SET "Services\\viostor]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n"
			  "\"Group\"=\"SCSI miniport\"\n\n"
			  CDD "pci#ven_1af4&dev_1001&subsys_00021af4&rev_00]\n\"Service\"=\"viostor\"\n";
	const char *p = hive(W7, reg);
	NEED(p);
	diag(p, "virtio-blk");		/* no machine type: "pc", transitional */
	assert_int_equal(wf_findings_count(&F, WF_SEV_ERROR), 0);
	diag(p, "virtio-blk-transitional");
	assert_int_equal(wf_findings_count(&F, WF_SEV_ERROR), 0);
	diag(p, "q35,virtio-blk");	/* PCIe root port: modern 1AF4:1042 only */
	want("cdd-missing", "pci#ven_1af4&dev_1042", WF_SEV_ERROR, "add-cdd:viostor");
	diag(p, "virtio-blk-modern");
	want("cdd-missing", "pci#ven_1af4&dev_1042", WF_SEV_ERROR, "add-cdd:viostor");
	/* the domain XML says the same */
	static const char xml[] =
		"<domain type='kvm'><os><type arch='x86_64' machine='pc-q35-8.2'>hvm</type></os>"
		"<devices><disk type='file' device='disk'><target dev='vda' bus='virtio'/></disk>"
		"<disk type='file' device='disk' model='virtio-transitional'><target dev='vdb' bus='virtio'/></disk>"
		"</devices></domain>";
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_from_domxml_mem(xml, sizeof xml - 1, "d.xml", &t, &e), 0);
	assert_string_equal(t.machine, "q35");
	assert_int_equal(t.v[0].variant, WF_VAR_TRANSITIONAL);	/* one kind: the last model said */
	assert_string_equal(wf_target_presented(&t, &t.v[0]), "VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00");
	t.v[0].variant = WF_VAR_DEFAULT;
	assert_string_equal(wf_target_presented(&t, &t.v[0]), "VEN_1AF4&DEV_1042&SUBSYS_11001AF4&REV_01");
}

/* KB2990941 brings stornvme to 7 SP1: the service in the guest says so. */
static void test_stornvme_hotfix(void **state)
{
	(void)state;
	const char *p = hive(W7, NULL);
	NEED(p);
	diag(p, "nvme");
	struct wf_finding *f = want("controller-unsupported", "nvme", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->explanation, "KB2990941"));
	diag(hive(W7, SET "Services\\stornvme]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n"
		  "\"Group\"=\"SCSI miniport\"\n\n" CDD "PCI#CC_010802]\n\"Service\"=\"stornvme\"\n"), "nvme");
	none("controller-unsupported");
	assert_int_equal(wf_findings_count(&F, WF_SEV_ERROR), 0);
}

static void test_catalogue_builds(void **state)
{
	(void)state;
	const struct wf_ctrl_kind *k;
	const struct wf_ctrl_driver *av = wf_ctrl_service("iaStorAV", &k);
	const struct wf_ctrl_driver *avc = wf_ctrl_service("iastoravc", NULL);
	assert_non_null(av);
	assert_non_null(avc);
	assert_string_equal(k->id, "sata");
	assert_true(av->inbox && wf_ctrl_driver_applies(av, WF_WINVER(6, 3), 9600));
	assert_true(wf_ctrl_driver_applies(av, WF_WINVER(10, 0), 17763));
	assert_false(wf_ctrl_driver_applies(av, WF_WINVER(10, 0), 18362));
	assert_true(wf_ctrl_driver_applies(avc, WF_WINVER(10, 0), 18362));
	assert_false(wf_ctrl_driver_applies(avc, WF_WINVER(6, 3), 9600));
	/* every row says where its facts come from */
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++) {
		assert_non_null(wf_ctrl_kinds[i].src);
		for (int d = 0; d < WF_CTRL_MAX_DRV && wf_ctrl_kinds[i].drivers[d].service; d++)
			assert_non_null(wf_ctrl_kinds[i].drivers[d].src);
	}
	/* PnP ids, most specific first (MS Identifiers for PCI Devices) */
	char ids[WF_PCI_MAX_IDS][64];
	size_t n = wf_pci_ids("VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00", "010180", ids);
	assert_int_equal(n, 11);
	assert_string_equal(ids[0], "VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00");
	assert_string_equal(ids[3], "VEN_8086&DEV_7010");
	assert_string_equal(ids[4], "VEN_8086&DEV_7010&CC_010180");
	assert_string_equal(ids[10], "CC_0101");
}

static void test_nic_first_boot(void **state)
{
	(void)state;
	const char *p = hive(XP, NULL);
	NEED(p);
	diag(p, "ide,rtl8139");
	want("net-driver-first-boot", NULL, WF_SEV_INFO, NULL);
	none("net-driver-missing");
	diag(hive(W81, NULL), "sata,rtl8139");	/* 8.1 has none in-box */
	want("net-driver-missing", NULL, WF_SEV_WARNING, NULL);
}

/* The loader boots Select\Default; Current only says what ran last. */
static void test_select_default(void **state)
{
	(void)state;
	const char *p = hive(W7, "[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n\"Current\"=dword:00000002\n"
			     "\"Default\"=dword:00000001\n\n"
			     SET "Services\\msahci]\n\"Start\"=dword:00000003\n\n"
			     "[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\msahci]\n"
			     "\"Start\"=dword:00000000\n");
	NEED(p);
	diag(p, "sata");
	struct wf_finding *f = want("boot-driver-disabled", "msahci", WF_SEV_ERROR, NULL);
	assert_string_equal(f->evidence[0].where, "ControlSet001\\Services\\msahci");
	int said = 0;
	for (size_t i = 0; i < N.n; i++)
		said |= strstr(N.v[i], "Select\\Default = 1") != NULL;
	assert_true(said);
}

static void test_old_platform(void **state)
{
	(void)state;
	const char *p = hive(W7, SET "Services\\rhelscsi]\n\"Type\"=dword:00000001\n\"Start\"=dword:00000000\n");
	NEED(p);
	diag(p, NULL);
	want("old-platform-driver", "rhelscsi", WF_SEV_WARNING, NULL);
	want("old-platform-driver", "vmci", WF_SEV_INFO, NULL);
	none("cpu-driver-wrong-vendor");	/* 7 picks intelppm/amdppm itself */
	assert_int_equal(wf_findings_count(&F, WF_SEV_ERROR), 0);
	diag(hive("hives/bitcurator_SYSTEM", NULL), NULL);
	want("cpu-driver-wrong-vendor", "intelppm", WF_SEV_WARNING, NULL);
	diag(hive("hives/bitcurator_SYSTEM", SET "Services\\intelppm]\n\"Start\"=dword:00000004\n"), NULL);
	none("cpu-driver-wrong-vendor");
}

static void test_san_policy(void **state)
{
	(void)state;
	const char *p = hive(W7, SET "Services\\partmgr\\Parameters]\n\"SanPolicy\"=dword:00000003\n");
	NEED(p);
	diag(p, NULL);
	struct wf_finding *f = want("san-policy-offline", "partmgr", WF_SEV_WARNING, NULL);
	assert_non_null(strstr(f->evidence[0].text, "OfflineAll"));
	diag(hive(W7, SET "Services\\partmgr\\Parameters]\n\"SanPolicy\"=dword:00000001\n"), NULL);
	none("san-policy-offline");
	diag(hive(W7, NULL), NULL);	/* a client edition: no default offline policy */
	none("san-policy-offline");
}

#define W10 "hives/regipy_SYSTEM_WIN_10_1709"
#define POL "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DeviceInstall\\Restrictions"

/* Device Installation Restrictions on the real 10 1709 hive: the
 * virtio-blk controller QEMU presents (1AF4:1001, SCSIAdapter) and its
 * disks are new devices, so a Deny list naming them, or DenyUnspecified
 * without an Allow entry, blocks them; an Allow entry lets them in. */
static void test_device_install_policy(void **state)
{
	(void)state;
	const char *p = hive(W10, NULL);
	NEED(p);
	/* no policy */
	diag_sw(p, software(NULL), "virtio-blk,virtio-net");
	none("device-install-blocked");
	/* the controller's compatible id in DenyDeviceIDs */
	diag_sw(p, software(POL "]\n\"DenyDeviceIDs\"=dword:00000001\n\n"
			    POL "\\DenyDeviceIDs]\n\"1\"=\"USB\\\\Class_08\"\n\"2\"=\"PCI\\\\VEN_1AF4&DEV_1001\"\n"),
		"virtio-blk,virtio-net");
	struct wf_finding *f = want("device-install-blocked", "virtio-blk", WF_SEV_WARNING, NULL);
	assert_non_null(strstr(f->evidence[0].text, "PCI\\VEN_1AF4&DEV_1001"));
	assert_null(wf_findings_find(&F, "device-install-blocked", "virtio-net"));
	/* a removable-storage lockdown: the DiskDrive class denied */
	diag_sw(p, software(POL "]\n\"DenyDeviceClasses\"=dword:00000001\n\n"
			    POL "\\DenyDeviceClasses]\n\"1\"=\"{4d36e967-e325-11ce-bfc1-08002be10318}\"\n"),
		"virtio-blk");
	f = want("device-install-blocked", "virtio-blk", WF_SEV_WARNING, NULL);
	assert_non_null(strstr(f->title, "disks on the"));
	/* DenyUnspecified: the NIC is blocked, the storage controller allowed by its id */
	const char *allow = POL "]\n\"DenyUnspecified\"=dword:00000001\n\"AllowDeviceIDs\"=dword:00000001\n"
			    "\"AllowDeviceClasses\"=dword:00000001\n\n"
			    POL "\\AllowDeviceIDs]\n\"1\"=\"PCI\\\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\"\n\n"
			    POL "\\AllowDeviceClasses]\n\"1\"=\"{4D36E967-E325-11CE-BFC1-08002BE10318}\"\n";
	diag_sw(p, software(allow), "virtio-blk,virtio-net");
	want("device-install-blocked", "virtio-net", WF_SEV_WARNING, NULL);
	assert_null(wf_findings_find(&F, "device-install-blocked", "virtio-blk"));
	/* the list flag off: its entries do not count */
	diag_sw(p, software(POL "]\n\"DenyDeviceIDs\"=dword:00000000\n\n"
			    POL "\\DenyDeviceIDs]\n\"1\"=\"PCI\\\\VEN_1AF4&DEV_1001\"\n"),
		"virtio-blk");
	none("device-install-blocked");
	/* the controller the hive booted from is installed already: not asked again */
	diag_sw(p, software(POL "]\n\"DenyUnspecified\"=dword:00000001\n"), NULL);
	none("device-install-blocked");
}

/* HVCI on the real 10 1709 hive (its DeviceGuard\Scenarios has only
 * CredentialGuard): off as it is, info when Enabled = 1, a warning with
 * the UEFI lock, and from the policy in SOFTWARE. */
static void test_hvci(void **state)
{
	(void)state;
	const char *p = hive(W10, NULL);
	NEED(p);
	diag_sw(p, software(NULL), NULL);
	none("hvci-enabled");
	p = hive(W10, SET "Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity]\n"
		 "\"Enabled\"=dword:00000001\n");
	diag_sw(p, software(NULL), NULL);
	want("hvci-enabled", "DeviceGuard", WF_SEV_INFO, NULL);
	p = hive(W10, SET "Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity]\n"
		 "\"Enabled\"=dword:00000001\n\"Locked\"=dword:00000001\n");
	diag_sw(p, software(NULL), NULL);
	want("hvci-enabled", "DeviceGuard", WF_SEV_WARNING, NULL);
	p = hive(W10, NULL);
	diag_sw(p, software("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\DeviceGuard]\n"
			    "\"HypervisorEnforcedCodeIntegrity\"=dword:00000002\n"), NULL);
	struct wf_finding *f = want("hvci-enabled", "DeviceGuard", WF_SEV_INFO, NULL);
	assert_non_null(strstr(f->evidence[0].text, "without lock"));
	/* 7 has no memory integrity */
	diag(hive(W7, SET "Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity]\n"
		  "\"Enabled\"=dword:00000001\n"), NULL);
	none("hvci-enabled");
}

/* Image-mode rules on a real hive: the disk facts as the appliance would
 * read them, the targets `targets` (a --target list). */
static struct wf_findings *diag_disk(const char *path, const char *targets,
				     const struct wf_disk_facts *d)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	wf_findings_free(&F);
	wf_diag_notes_free(&N);
	if (wf_targets_parse_list(targets, &t, &e) < 0)
		fail_msg("targets: %s", e.msg);
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
	assert_non_null(h);
	struct wf_diag_ctx c = { .system = h, .targets = &t, .notes = &N, .disk = d };
	if (wf_diagnose_hives(&c, &F, &e) < 0)
		fail_msg("diagnose: %s", e.msg);
	wf_hive_close(h);
	return &F;
}

/* Windows 10 (real hive) on a GPT disk with an ESP, as Setup lays it out
 * for UEFI: an error under BIOS, nothing under UEFI, info when the
 * firmware is not given; an MBR disk with an active partition under
 * UEFI is an error; hive-only mode (no disk facts) says nothing. */
static void test_firmware(void **state)
{
	(void)state;
	const char *p = hive(W10, NULL);
	NEED(p);
	struct wf_disk_facts gpt = { .pttype = "gpt", .disk_bytes = 256u << 20, .mbr_valid = 1,
				     .esp = 1, .win_part = 2, .win_start = 67584,
				     .win_device = "/dev/sda2" };
	diag_disk(p, "virtio-blk,bios", &gpt);
	struct wf_finding *f = want("firmware-mismatch", "firmware", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->title, "UEFI"));
	assert_non_null(strstr(f->evidence[0].text, "EFI system partition: yes; MBR boot code: none"));
	diag_disk(p, "virtio-blk,efi", &gpt);
	none("firmware-mismatch");
	diag_disk(p, "virtio-blk", &gpt);
	want("firmware-mismatch", "firmware", WF_SEV_INFO, NULL);
	struct wf_disk_facts mbr = { .pttype = "dos", .disk_bytes = 192u << 20, .mbr_valid = 1,
				     .mbr_code = 1, .active = 1, .win_part = 2, .win_start = 67584,
				     .win_device = "/dev/sda2" };
	diag_disk(p, "virtio-blk,uefi", &mbr);
	f = want("firmware-mismatch", "firmware", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->title, "BIOS"));
	diag_disk(p, "virtio-blk,bios", &mbr);
	none("firmware-mismatch");
	mbr.esp = 3;	/* an MBR disk with an 0xEF partition boots under UEFI */
	diag_disk(p, "virtio-blk,efi", &mbr);
	none("firmware-mismatch");
	diag(p, "virtio-blk,bios");
	none("firmware-mismatch");
}

/* XP SP3 (real hive, bitcurator) on a 10 GiB MBR disk: a boot sector
 * formatted with 240 heads (another BIOS) is reported with the values
 * SeaBIOS presents (255 heads, 63 sectors) and the instructions; the
 * right values, and Windows 7, are not reported. */
static void test_ntfs_geometry(void **state)
{
	(void)state;
	const char *p = hive("hives/bitcurator_SYSTEM", NULL);
	NEED(p);
	struct wf_disk_facts d = { .pttype = "dos", .disk_bytes = 10ull << 30, .mbr_valid = 1,
				   .mbr_code = 1, .active = 1, .win_part = 1, .win_start = 63,
				   .bpb_ok = 1, .bpb_spt = 63, .bpb_heads = 240, .bpb_hidden = 63,
				   .win_device = "/dev/sda1" };
	diag_disk(p, "ide,bios", &d);
	struct wf_finding *f = want("ntfs-geometry-mismatch", "/dev/sda1", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->title, "240 heads"));
	assert_non_null(strstr(f->title, "255 heads, 63 sectors/track, 63 hidden"));
	assert_non_null(strstr(f->next_check, "\\x3f\\x00\\xff\\x00"));
	d.bpb_heads = 255;
	diag_disk(p, "ide,bios", &d);
	none("ntfs-geometry-mismatch");
	d.bpb_hidden = 2048;	/* the partition moved: NTLDR is looked for elsewhere */
	diag_disk(p, "ide,bios", &d);
	f = want("ntfs-geometry-mismatch", "/dev/sda1", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->next_check, "hidden sectors"));
	/* a 1.5 GiB disk: 64 heads (virt-v2v's table: below 2114445312 bytes) */
	d.bpb_hidden = 63;
	d.disk_bytes = 1536ull << 20;
	diag_disk(p, "ide,bios", &d);
	f = want("ntfs-geometry-mismatch", "/dev/sda1", WF_SEV_ERROR, NULL);
	assert_non_null(strstr(f->title, "(64 heads"));
	diag_disk(hive(W7, NULL), "ide,bios", &d);
	none("ntfs-geometry-mismatch");
}

/* The sector parsers and the LBA-assisted translation. */
static void test_bootsect(void **state)
{
	(void)state;
	unsigned char s[512] = { 0 };
	struct wf_mbr m;
	assert_int_equal(wf_mbr_parse(s, sizeof s, &m), -1);	/* no 55 AA */
	s[510] = 0x55;
	s[511] = 0xAA;
	s[0x1BE + 16] = 0x80;
	s[0x1BE + 16 + 4] = 0x07;
	s[0x1BE + 16 + 8] = 0x00;
	s[0x1BE + 16 + 9] = 0x08;	/* LBA 2048 */
	s[0x1BE + 4] = 0xEF;
	assert_int_equal(wf_mbr_parse(s, sizeof s, &m), 0);
	assert_int_equal(m.active, 2);
	assert_int_equal(m.esp, 1);
	assert_int_equal(m.p[1].lba, 2048);
	assert_false(m.has_code);
	assert_int_equal(wf_mbr_parse(s, 511, &m), -1);
	struct wf_ntfs_bpb b;
	assert_int_equal(wf_ntfs_bpb_parse(s, sizeof s, &b), -1);
	memcpy(s + 3, "NTFS    ", 8);
	s[0x18] = 63;
	s[0x1A] = 0xff;
	s[0x1C] = 0x3f;
	assert_int_equal(wf_ntfs_bpb_parse(s, sizeof s, &b), 0);
	assert_int_equal(b.spt, 63);
	assert_int_equal(b.heads, 255);
	assert_int_equal(b.hidden, 63);
	unsigned h, t;
	static const struct { uint64_t bytes; unsigned heads; } g[] = {
		{ 128ull << 20, 16 }, { 600ull << 20, 32 }, { 2113929216ull, 64 },
		{ 2114445312ull, 128 }, { 4228374780ull, 255 }, { 40ull << 30, 255 },
	};
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
		wf_bios_lba_geometry(g[i].bytes / 512, &h, &t);
		assert_int_equal(t, 63);
		if (h != g[i].heads)
			fail_msg("%llu bytes: %u heads, want %u", (unsigned long long)g[i].bytes, h, g[i].heads);
	}
}

/* GPT as util-linux's sfdisk writes it (a real partitioner, not bytes
 * made here): partition 1 a basic-data one at LBA 2048, partition 2 the
 * EFI system partition at 6144, partition 3 at 10240. */
static void test_gpt(void **state)
{
	(void)state;
	char img[] = "/tmp/wf-gpt.XXXXXX";
	int fd = mkstemp(img);
	assert_true(fd >= 0);
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "truncate -s 16M %s && printf '%%s\\n' 'label: gpt' "
		 "'start=2048, size=4096, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7' "
		 "'start=6144, size=4096, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B' "
		 "'start=10240, size=2048, type=E3C9E316-0B5C-4DB8-817D-F92DF00215AE' "
		 "| sfdisk -q %s >/dev/null 2>&1", img, img);
	if (system(cmd) != 0) {
		unlink(img);
		skip();	/* no sfdisk (util-linux) */
	}
	unsigned char head[34 * 512];
	FILE *f = fopen(img, "rb");
	assert_non_null(f);
	assert_int_equal(fread(head, 1, sizeof head, f), sizeof head);
	fclose(f);
	unlink(img);
	struct wf_mbr m;
	assert_int_equal(wf_mbr_parse(head, 512, &m), 0);
	assert_true(m.protective);
	struct wf_gpt *t = malloc(sizeof *t);
	assert_int_equal(wf_gpt_header(head + 512, 512, t), 0);
	assert_int_equal(t->entries_lba, 2);
	assert_int_equal(t->entry_size, 128);
	assert_int_equal(t->alternate, (16u << 20) / 512 - 1);
	wf_gpt_entries(head + 1024, (size_t)t->n * t->entry_size, t);
	assert_int_equal(t->esp, 2);
	assert_int_equal(t->start[1], 2048);
	assert_int_equal(t->start[2], 6144);
	assert_int_equal(t->start[3], 10240);
	assert_int_equal(t->start[4], 0);
	/* a truncated array gives what it holds; a bad header is refused */
	wf_gpt_header(head + 512, 512, t);
	wf_gpt_entries(head + 1024, 128, t);
	assert_int_equal(t->start[1], 2048);
	assert_int_equal(t->esp, 0);
	head[512 + 84] = 100;	/* entry size not 128 * 2^n */
	assert_int_equal(wf_gpt_header(head + 512, 512, t), -1);
	memcpy(head + 512, "EFI PARX", 8);
	assert_int_equal(wf_gpt_header(head + 512, 512, t), -1);
	free(t);
}

static int teardown(void **state)
{
	(void)state;
	wf_findings_free(&F);
	wf_diag_notes_free(&N);
	if (tmp[0])
		unlink(tmp);
	if (swtmp[0])
		unlink(swtmp);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_builds),
		cmocka_unit_test(test_cdd_presented_xp),
		cmocka_unit_test(test_cdd_presented_w7),
		cmocka_unit_test(test_lsi_scsi),
		cmocka_unit_test(test_filter_demand_start),
		cmocka_unit_test(test_virtio_variants),
		cmocka_unit_test(test_stornvme_hotfix),
		cmocka_unit_test(test_nic_first_boot),
		cmocka_unit_test(test_select_default),
		cmocka_unit_test(test_old_platform),
		cmocka_unit_test(test_san_policy),
		cmocka_unit_test(test_device_install_policy),
		cmocka_unit_test(test_hvci),
		cmocka_unit_test(test_firmware),
		cmocka_unit_test(test_ntfs_geometry),
		cmocka_unit_test(test_bootsect),
		cmocka_unit_test(test_gpt),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
