/*
 * test_targets.c - what the VM presents: --target lists (ids, aliases,
 * errors) and libvirt domain XML (disk bus, SCSI controller model,
 * interface model, boot disk, bad input) from tests/data/domain/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "controllers.h"
#include "domxml.h"
#include "targets.h"
#include "vmpci.h"

/* "virtio-blk*,virtio-net": kinds in order, '*' = boot. */
static void assert_targets(const struct wf_targets *t, const char *want)
{
	char got[256] = "";
	for (size_t i = 0; i < t->n; i++) {
		strcat(got, i ? "," : "");
		strcat(got, t->v[i].kind->id);
		if (t->v[i].boot)
			strcat(got, "*");
	}
	if (strcmp(got, want) != 0)
		fail_msg("targets \"%s\", expected \"%s\"", got, want);
}

static void test_list(void **state)
{
	(void)state;
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_parse_list("virtio-scsi,e1000", &t, &e), 0);
	assert_targets(&t, "virtio-scsi*,e1000");
	assert_int_equal(t.origin, WF_TGT_OPTION);
	assert_non_null(strstr(t.note, "--target"));
	assert_int_equal(wf_targets_parse_list(" ahci , virtio ,lsisas1068,vmpvscsi,netkvm,sata", &t, &e), 0);
	assert_targets(&t, "sata*,virtio-blk*,lsi-sas*,pvscsi*,virtio-net");
	assert_int_equal(wf_targets_parse_list("IDE,RTL8139,e1000e,vmxnet3,nvme", &t, &e), 0);
	assert_targets(&t, "ide*,rtl8139,e1000e,vmxnet3,nvme*");
}

static void test_list_errors(void **state)
{
	(void)state;
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_parse_list("virtio-blk,floppy", &t, &e), -1);
	assert_int_equal(e.kind, WF_ERR_USAGE);
	assert_non_null(strstr(e.msg, "\"floppy\""));
	assert_non_null(strstr(e.msg, "virtio-scsi"));
	assert_int_equal(wf_targets_parse_list(",,", &t, &e), -1);
	assert_non_null(strstr(e.msg, "empty"));
	/* vmbus kinds are not something a KVM VM presents */
	assert_int_equal(wf_targets_parse_list("storvsc", &t, &e), -1);
	assert_int_equal(wf_targets_parse_list("a,b,c,d,e,f,g,h,i", &t, &e), -1);
}

static void test_default(void **state)
{
	(void)state;
	struct wf_targets t;
	wf_targets_default(&t);
	assert_targets(&t, "virtio-blk*,virtio-net");
	assert_int_equal(t.origin, WF_TGT_DEFAULT);
	assert_non_null(strstr(t.note, "assuming"));
}

static void domxml(const char *file, const char *want)
{
	char p[256];
	snprintf(p, sizeof p, "tests/data/domain/%s", file);
	struct wf_targets t;
	struct wf_error e = { 0 };
	if (wf_targets_from_domxml_file(p, &t, &e) < 0)
		fail_msg("%s: %s", p, e.msg);
	assert_targets(&t, want);
	assert_int_equal(t.origin, WF_TGT_DOMXML);
	assert_non_null(strstr(t.note, file));
}

static void test_domxml(void **state)
{
	(void)state;
	domxml("virtio-blk.xml", "virtio-blk*,virtio-net");	/* the SATA cdrom is no boot disk */
	domxml("scsi-lsisas.xml", "lsi-sas*,virtio-blk,e1000");	/* boot order=1 wins */
	domxml("scsi-virtio-nomodel-nic.xml", "virtio-scsi*,rtl8139");
	domxml("ide-xp.xml", "ide*,rtl8139");
}

static void domxml_platform(const char *file, enum wf_firmware fw, enum wf_tpm tpm)
{
	char p[256];
	snprintf(p, sizeof p, "tests/data/domain/%s", file);
	struct wf_targets t;
	struct wf_error e = { 0 };
	if (wf_targets_from_domxml_file(p, &t, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(t.firmware, fw);
	assert_int_equal(t.tpm, tpm);
	assert_non_null(strstr(t.note, wf_firmware_name(fw)));
}

/* Firmware and vTPM: from the domain XML (pflash/OVMF loader, firmware=
 * 'efi', none = SeaBIOS; <tpm>) and from --target words. */
static void test_platform(void **state)
{
	(void)state;
	domxml_platform("efi-tpm.xml", WF_FW_EFI, WF_TPM_PRESENT);
	domxml_platform("efi-auto-xp.xml", WF_FW_EFI, WF_TPM_NONE);
	domxml_platform("bios-win10-gpt.xml", WF_FW_BIOS, WF_TPM_NONE);
	domxml_platform("virtio-blk.xml", WF_FW_BIOS, WF_TPM_NONE);
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_parse_list("sata,efi,tpm", &t, &e), 0);
	assert_targets(&t, "sata*");
	assert_int_equal(t.firmware, WF_FW_EFI);
	assert_int_equal(t.tpm, WF_TPM_PRESENT);
	assert_int_equal(wf_targets_parse_list("ide,BIOS,no-tpm", &t, &e), 0);
	assert_int_equal(t.firmware, WF_FW_BIOS);
	assert_int_equal(t.tpm, WF_TPM_NONE);
	assert_int_equal(wf_targets_parse_list("virtio-blk", &t, &e), 0);
	assert_int_equal(t.firmware, WF_FW_UNKNOWN);
	assert_int_equal(t.tpm, WF_TPM_UNKNOWN);
	/* platform words alone: the default controllers */
	assert_int_equal(wf_targets_parse_list("uefi", &t, &e), 0);
	assert_targets(&t, "virtio-blk*,virtio-net");
	assert_non_null(strstr(t.note, "firmware UEFI"));
}

static void domxml_err(const char *file, const char *what)
{
	char p[256];
	snprintf(p, sizeof p, "tests/data/domain/%s", file);
	struct wf_targets t;
	struct wf_error e = { 0 };
	assert_int_equal(wf_targets_from_domxml_file(p, &t, &e), -1);
	assert_int_equal(e.kind, WF_ERR_INPUT);
	if (!strstr(e.msg, p) || !strstr(e.msg, what))
		fail_msg("message \"%s\" lacks %s or \"%s\"", e.msg, p, what);
	assert_null(strchr(e.msg, '\n'));
}

static void test_domxml_errors(void **state)
{
	(void)state;
	domxml_err("bad-bus.xml", "\"usb\"");
	domxml_err("not-domain.xml", "<domain>");
	domxml_err("truncated.xml", "not well-formed");
	domxml_err("no-such-file.xml", "cannot open");
	struct wf_targets t;
	struct wf_error e = { 0 };
	const char *x = "<domain><devices><controller type='scsi' model='buslogic'/>"
			"<disk device='disk'><target bus='scsi'/></disk></devices></domain>";
	assert_int_equal(wf_targets_from_domxml_mem(x, strlen(x), "m.xml", &t, &e), -1);
	assert_non_null(strstr(e.msg, "buslogic"));
	x = "<domain><devices><interface><model type='ne2k_pci'/></interface></devices></domain>";
	assert_int_equal(wf_targets_from_domxml_mem(x, strlen(x), "m.xml", &t, &e), -1);
	assert_non_null(strstr(e.msg, "ne2k_pci"));
	x = "<domain><devices/></domain>";
	assert_int_equal(wf_targets_from_domxml_mem(x, strlen(x), "m.xml", &t, &e), -1);
	x = "<domain/>";
	assert_int_equal(wf_targets_from_domxml_mem(x, strlen(x), "m.xml", &t, &e), -1);
	/* an external entity is not fetched (XML_PARSE_NONET, no DTD load) */
	x = "<!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain><devices>"
	    "<disk device='disk'><target bus='&e;'/></disk></devices></domain>";
	assert_int_equal(wf_targets_from_domxml_mem(x, strlen(x), "m.xml", &t, &e), -1);
	assert_null(strstr(e.msg, "root:"));
}

/* One reading of a definition feeds both the targets and the virtio ids
 * (what fix does): they agree on the machine and the variant. */
static void test_domfacts_one_reading(void **state)
{
	(void)state;
	static const char xml[] =
		"<domain type='kvm'><name>xp</name><os firmware='efi'><type machine='pc-q35-8.2'>hvm</type></os>"
		"<devices><disk type='file' device='cdrom'><target dev='sda' bus='sata'/></disk>"
		"<disk type='file' device='disk' model='virtio-transitional'><target dev='vda' bus='virtio'/>"
		"<boot order='1'/></disk><controller type='scsi' model='virtio-scsi'/>"
		"<interface type='network'><model type='virtio'/></interface><tpm model='tpm-crb'/>"
		"</devices></domain>";
	struct wf_domfacts f;
	struct wf_error e = { 0 };
	assert_int_equal(wf_domfacts_read(xml, strlen(xml), "xp", &f, &e), 0);
	assert_string_equal(f.machine, "pc-q35-8.2");
	assert_int_equal(f.n_disks, 2);
	assert_true(f.disks[1].boot);
	assert_string_equal(f.disks[1].model, "virtio-transitional");
	assert_int_equal(f.n_ctrls, 1);
	assert_int_equal(f.n_nics, 1);
	assert_true(f.tpm);
	assert_false(f.cut);
	struct wf_targets t;
	assert_int_equal(wf_targets_from_domfacts(&f, &t, &e), 0);
	assert_targets(&t, "virtio-blk*,virtio-net");
	assert_string_equal(t.machine, "q35");
	assert_int_equal(t.firmware, WF_FW_EFI);
	assert_int_equal(t.tpm, WF_TPM_PRESENT);
	assert_int_equal(t.v[0].variant, WF_VAR_TRANSITIONAL);
	assert_int_equal(t.v[1].variant, WF_VAR_DEFAULT);
	struct wf_vm_virtio vm;
	wf_vm_virtio_from_domfacts(&f, &vm);
	assert_int_equal(vm.q35, 1);
	assert_int_equal(wf_vm_virtio_dev(&vm, "virtio-blk")->mode, WF_VID_TRANSITIONAL);
	assert_int_equal(wf_vm_virtio_dev(&vm, "virtio-net")->mode, WF_VID_MODERN);
	assert_int_equal(wf_vm_virtio_dev(&vm, "virtio-scsi")->mode, WF_VID_MODERN);
	/* hostile sizes: a long model is cut (and said), extra disks ignored,
	 * control characters do not survive */
	char big[8192];
	int n = snprintf(big, sizeof big, "<domain><os><type machine='q35&#9;x'>hvm</type></os><devices>");
	for (int i = 0; i < WF_DOMFACTS_MAX + 5; i++)
		n += snprintf(big + n, sizeof big - (size_t)n,
			      "<disk device='disk' model='%s'><target bus='virtio'/></disk>",
			      i ? "virtio" : "virtio-transitional-but-much-longer-than-anything-libvirt-knows");
	snprintf(big + n, sizeof big - (size_t)n, "</devices></domain>");
	assert_int_equal(wf_domfacts_read(big, strlen(big), "big", &f, &e), 0);
	assert_true(f.cut);
	assert_int_equal(f.n_disks, WF_DOMFACTS_MAX);
	assert_int_equal(strlen(f.disks[0].model), WF_DOMFACTS_STR - 1);
	assert_string_equal(f.machine, "q35?x");
	/* bad XML: one error line, nothing read */
	assert_int_equal(wf_domfacts_read("<<", 2, "bad.xml", &f, &e), -1);
	assert_non_null(strstr(e.msg, "domain XML bad.xml: not well-formed"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list), cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_default), cmocka_unit_test(test_domxml),
		cmocka_unit_test(test_domxml_errors), cmocka_unit_test(test_platform),
		cmocka_unit_test(test_domfacts_one_reading),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
