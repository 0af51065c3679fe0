/*
 * test_kmcs.c - the kernel-mode code signing table (facts/kmcs.c) per
 * Windows and signature class, the SHA-2 update found in a SOFTWARE hive's
 * servicing packages, the BCD store's test signing (facts/bcd.c), and the
 * virtio ids a domain XML gives (facts/vmpci.c).
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
#include "bcd.h"
#include "hive.h"
#include "kmcs.h"
#include "regfile.h"
#include "vmpci.h"
#include "winver.h"

static struct wf_winver win(unsigned maj, unsigned min, unsigned build, const char *arch, int server)
{
	struct wf_winver v;
	memset(&v, 0, sizeof v);
	v.major = maj, v.minor = min, v.build = build, v.server = server;
	v.arch = (char *)arch;
	return v;
}

static struct wf_sig sig(enum wf_sig_kind k, int sha1, int sha256)
{
	struct wf_sig s;
	memset(&s, 0, sizeof s);
	s.kind = k, s.has_sha1 = sha1, s.has_sha256 = sha256;
	strcpy(s.signer, "Signer");
	strcpy(s.root, "Root");
	strcpy(s.cross, "Vendor Root");
	strcpy(s.not_before, "2019-01-01");
	return s;
}

static enum wf_kmcs_outcome judge(struct wf_sig s, struct wf_winver v, int sha2, int ts,
				  struct wf_kmcs_verdict *out)
{
	struct wf_kmcs_guest g = { .ver = &v, .sha2 = sha2, .testsigning = ts };
	wf_kmcs_judge(&s, &g, out);
	return out->outcome;
}

static void test_table(void **state)
{
	(void)state;
	struct wf_kmcs_verdict o;
	struct wf_winver xp = win(5, 1, 2600, "i386", 0), xp64 = win(5, 2, 3790, "x86_64", 0);
	struct wf_winver w7 = win(6, 1, 7601, "x86_64", 0), w7x86 = win(6, 1, 7601, "i386", 0);
	struct wf_winver vista = win(6, 0, 6002, "x86_64", 0), s2008 = win(6, 0, 6003, "x86_64", 1);
	struct wf_winver w81 = win(6, 3, 9600, "x86_64", 0), w10 = win(10, 0, 19045, "x86_64", 0);
	struct wf_winver w10old = win(10, 0, 10586, "x86_64", 0);
	/* XP / 2003 (also x64) and 32-bit Vista+ load anything */
	assert_int_equal(judge(sig(WF_SIG_UNSIGNED, 0, 0), xp, -1, -1, &o), WF_KMCS_LOADS);
	assert_int_equal(judge(sig(WF_SIG_DAMAGED, 0, 0), xp64, -1, -1, &o), WF_KMCS_LOADS);
	assert_int_equal(judge(sig(WF_SIG_TEST, 0, 1), w7x86, -1, 0, &o), WF_KMCS_LOADS);
	/* x64: unsigned and damaged never */
	assert_int_equal(judge(sig(WF_SIG_UNSIGNED, 0, 0), w10, 1, 1, &o), WF_KMCS_REFUSED);
	assert_int_equal(judge(sig(WF_SIG_DAMAGED, 1, 1), w10, 1, 1, &o), WF_KMCS_REFUSED);
	assert_non_null(strstr(o.why, "not even with test signing"));
	/* test-signed: test mode, or loads when it is on */
	assert_int_equal(judge(sig(WF_SIG_TEST, 1, 0), w10, 1, 0, &o), WF_KMCS_TESTMODE);
	assert_int_equal(judge(sig(WF_SIG_TEST, 1, 0), w10, 1, -1, &o), WF_KMCS_TESTMODE);
	assert_non_null(strstr(o.why, "does not show it"));
	assert_int_equal(judge(sig(WF_SIG_TEST, 1, 0), w10, 1, 1, &o), WF_KMCS_LOADS);
	/* SHA-256 only on 7 x64: the update decides; unknown refuses */
	assert_int_equal(judge(sig(WF_SIG_MICROSOFT, 0, 1), w7, 0, 0, &o), WF_KMCS_REFUSED);
	assert_non_null(strstr(o.instead, "KB4474419"));
	assert_int_equal(judge(sig(WF_SIG_MICROSOFT, 0, 1), w7, -1, 0, &o), WF_KMCS_REFUSED);
	assert_non_null(strstr(o.why, "do not show whether"));
	assert_int_equal(judge(sig(WF_SIG_MICROSOFT, 0, 1), w7, 1, 0, &o), WF_KMCS_LOADS);
	assert_int_equal(judge(sig(WF_SIG_MICROSOFT, 1, 1), w7, 0, 0, &o), WF_KMCS_LOADS);
	assert_int_equal(judge(sig(WF_SIG_CROSS, 0, 1), w81, -1, 0, &o), WF_KMCS_LOADS);
	/* Vista has no SHA-2 update; Server 2008 SP2 has one */
	assert_int_equal(judge(sig(WF_SIG_MICROSOFT, 0, 1), vista, 1, 0, &o), WF_KMCS_REFUSED);
	assert_int_equal(judge(sig(WF_SIG_MICROSOFT, 0, 1), s2008, 1, 0, &o), WF_KMCS_LOADS);
	/* cross-signed on 10 1607+: the 29 July 2015 rule */
	assert_int_equal(judge(sig(WF_SIG_CROSS, 1, 1), w10, 1, 0, &o), WF_KMCS_LOADS_IF);
	assert_non_null(strstr(o.why, "Secure Boot off"));
	struct wf_sig old = sig(WF_SIG_CROSS, 1, 1);
	strcpy(old.not_before, "2015-07-28");
	assert_int_equal(judge(old, w10, 1, 0, &o), WF_KMCS_LOADS);
	assert_int_equal(judge(sig(WF_SIG_CROSS, 1, 1), w10old, 1, 0, &o), WF_KMCS_LOADS);
	assert_non_null(o.source);
}

static struct wf_hive *hive_from(const char *path, const char *root, const char *prefix,
				 const char *reg)
{
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(path, root, &e), 0);
	struct wf_hive *h = wf_hive_open(path, root, 1, &e);
	assert_non_null(h);
	struct wf_regfile r;
	if (reg) {
		if (wf_regfile_parse_mem("t.reg", reg, strlen(reg), &r, &e) < 0)
			fail_msg("%s", e.msg);
		assert_int_equal(wf_regfile_apply(&r, h, prefix, &e), 0);
		wf_regfile_free(&r);
	}
	return h;
}

#define CBS "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\"

static void test_sha2_update(void **state)
{
	(void)state;
	char path[] = "/tmp/wf-kmcs-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	struct wf_winver w7 = win(6, 1, 7601, "x86_64", 0), w10 = win(10, 0, 19045, "x86_64", 0);
	char why[300];
	struct wf_hive *h = hive_from(path, "SOFTWARE", "HKEY_LOCAL_MACHINE\\SOFTWARE",
		"Windows Registry Editor Version 5.00\n\n"
		CBS "Package_for_KB4474419~31bf3856ad364e35~amd64~~6.1.3.2]\n\"CurrentState\"=dword:00000070\n\n"
		CBS "Package_for_KB976902~31bf3856ad364e35~amd64~~6.1.1.17514]\n\"CurrentState\"=dword:00000070\n\n");
	assert_int_equal(wf_kmcs_sha2_update(h, &w7, why, sizeof why), 1);
	assert_non_null(strstr(why, "KB4474419"));
	wf_hive_close(h);
	h = hive_from(path, "SOFTWARE", "HKEY_LOCAL_MACHINE\\SOFTWARE",
		"Windows Registry Editor Version 5.00\n\n"
		CBS "Package_for_KB3033929~31bf3856ad364e35~amd64~~6.1.1.0]\n\"CurrentState\"=dword:00000050\n\n");
	assert_int_equal(wf_kmcs_sha2_update(h, &w7, why, sizeof why), 0);
	assert_non_null(strstr(why, "not installed"));
	wf_hive_close(h);
	h = hive_from(path, "SOFTWARE", "HKEY_LOCAL_MACHINE\\SOFTWARE",
		"Windows Registry Editor Version 5.00\n\n"
		CBS "Package_for_KB976902~31bf3856ad364e35~amd64~~6.1.1.17514]\n\"CurrentState\"=dword:00000070\n\n");
	assert_int_equal(wf_kmcs_sha2_update(h, &w7, why, sizeof why), 0);
	assert_non_null(strstr(why, "among the 1 servicing packages"));
	wf_hive_close(h);
	h = hive_from(path, "SOFTWARE", NULL, NULL);
	assert_int_equal(wf_kmcs_sha2_update(h, &w7, why, sizeof why), -1);
	assert_int_equal(wf_kmcs_sha2_update(h, &w10, why, sizeof why), 1);	/* native */
	assert_int_equal(wf_kmcs_sha2_update(NULL, &w7, why, sizeof why), -1);
	wf_hive_close(h);
	unlink(path);
}

static void test_bcd(void **state)
{
	(void)state;
	char path[] = "/tmp/wf-bcd-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	struct wf_error e = { 0 };
	struct wf_hive *h = hive_from(path, "NewStoreRoot", NULL, NULL);
	struct wf_regfile r;
	assert_int_equal(wf_regfile_parse("tests/scenarios/parts/bcd.reg", &r, &e), 0);
	assert_int_equal(wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\BCD00000000", &e), 0);
	wf_regfile_free(&r);
	struct wf_bcd b;
	wf_bcd_read(h, &b);
	assert_string_equal(b.loader, "{6f3c2d1e-8b4a-11ee-9c4d-525400a1b2c3}");
	assert_int_equal(b.testsigning, 0);
	char *k = wf_bcd_testsigning_key(&b);
	assert_string_equal(k, "Objects\\{6f3c2d1e-8b4a-11ee-9c4d-525400a1b2c3}\\Elements\\16000049");
	wf_node n = wf_hive_mkpath(h, k, &e);
	unsigned char on = 1, junk[2] = { 0, 0 };
	assert_int_equal(wf_hive_set_value(h, n, "Element", WF_REG_BINARY, &on, 1, &e), 0);
	wf_bcd_read(h, &b);
	assert_int_equal(b.testsigning, 1);
	assert_int_equal(wf_hive_set_value(h, n, "Element", WF_REG_BINARY, junk, 2, &e), 0);
	wf_bcd_read(h, &b);
	assert_int_equal(b.testsigning, 0);
	assert_int_equal(wf_hive_set_dword(h, n, "Element", 1, &e), 0);	/* not a boolean */
	wf_bcd_read(h, &b);
	assert_int_equal(b.testsigning, -1);
	free(k);
	/* a default that is not a GUID, or names no object */
	n = wf_hive_lookup(h, "Objects\\" WF_BCD_BOOTMGR "\\Elements\\" WF_BCD_EL_DEFAULT);
	assert_int_equal(wf_hive_set_string(h, n, "Element", WF_REG_SZ, "{bogus}", &e), 0);
	wf_bcd_read(h, &b);
	assert_int_equal(b.testsigning, -1);
	assert_null(wf_bcd_testsigning_key(&b));
	assert_int_equal(wf_hive_set_string(h, n, "Element", WF_REG_SZ,
					    "{00000000-0000-0000-0000-000000000000}", &e), 0);
	wf_bcd_read(h, &b);
	assert_int_equal(b.testsigning, -1);
	assert_non_null(strstr(b.why, "not in the store"));
	wf_hive_close(h);
	unlink(path);
}

static void test_vmpci(void **state)
{
	(void)state;
	struct wf_vm_virtio vm;
	struct wf_error e = { 0 };
	const char *x =
		"<domain type='kvm'><os><type machine='pc-q35-9.0'>hvm</type></os><devices>"
		"<disk device='cdrom'><target bus='sata'/></disk>"
		"<disk device='disk'><target bus='virtio'/></disk>"
		"<disk device='disk' model='virtio-transitional'><target bus='virtio'/><boot order='1'/></disk>"
		"<controller type='scsi' model='virtio-non-transitional'/>"
		"<interface type='network'><model type='virtio'/></interface></devices></domain>";
	assert_int_equal(wf_vm_virtio_from_domxml_mem(x, strlen(x), "x", &vm, &e), 0);
	assert_int_equal(vm.q35, 1);
	const struct wf_vm_vdev *d = wf_vm_virtio_dev(&vm, "virtio-blk");
	assert_int_equal(d->mode, WF_VID_TRANSITIONAL);	/* the boot disk's model */
	assert_int_equal(wf_virtio_pci_dev("virtio-blk", d->mode), 0x1001);
	d = wf_vm_virtio_dev(&vm, "virtio-scsi");
	assert_int_equal(d->mode, WF_VID_MODERN);
	assert_int_equal(wf_virtio_pci_dev("virtio-scsi", d->mode), 0x1048);
	d = wf_vm_virtio_dev(&vm, "virtio-net");
	assert_int_equal(d->mode, WF_VID_MODERN);
	assert_int_equal(wf_virtio_pci_dev("virtio-net", d->mode), 0x1041);
	const char *y = "<domain><os><type>hvm</type></os><devices><disk device='disk'>"
			"<target bus='virtio'/></disk></devices></domain>";
	assert_int_equal(wf_vm_virtio_from_domxml_mem(y, strlen(y), "y", &vm, &e), 0);
	assert_int_equal(vm.q35, -1);
	assert_int_equal(wf_vm_virtio_dev(&vm, "virtio-blk")->mode, WF_VID_UNKNOWN);
	assert_false(wf_vm_virtio_dev(&vm, "virtio-scsi")->present);
	assert_int_equal(wf_vm_virtio_from_domxml_mem("<x/>", 4, "z", &vm, &e), -1);
	assert_int_equal(wf_vm_virtio_from_domxml_mem("<<", 2, "z", &vm, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sha2_update),
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_vmpci),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
