/*
 * test_pve.c - Proxmox VE VM configurations (tests/data/pve/, the format
 * qemu-server writes; sources in its README): disks per bus, boot disk,
 * targets (q35/i440fx, OVMF/SeaBIOS, ide/sata/scsi/virtio, NIC models),
 * snapshot sections ignored, errors, and the `qm set` switch commands.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "controllers.h"
#include "pve.h"
#include "targets.h"

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

static void load(const char *file, struct wf_pve *p)
{
	struct wf_error e = { 0 };
	char path[256];
	snprintf(path, sizeof path, "tests/data/pve/%s", file);
	if (wf_pve_parse_file(path, p, &e) < 0)
		fail_msg("%s: %s", path, e.msg);
}

static void targets_of(const char *file, const char *want)
{
	struct wf_pve p;
	struct wf_targets t;
	struct wf_error e = { 0 };
	load(file, &p);
	if (wf_pve_targets(&p, &t, &e) < 0)
		fail_msg("%s: %s", file, e.msg);
	assert_targets(&t, want);
}

static void test_q35_ovmf_virtio_scsi(void **st)
{
	(void)st;
	struct wf_pve p;
	load("100.conf", &p);
	assert_true(p.q35);
	assert_string_equal(p.machine, "pc-q35-8.1");
	assert_string_equal(p.bios, "ovmf");
	assert_string_equal(p.name, "win10-app01");
	/* efidisk0 / tpmstate0 are not guest disks; the snapshot's sata0 is ignored */
	assert_int_equal(p.n_disks, 2);
	assert_string_equal(p.disks[0].key, "ide2");
	assert_true(p.disks[0].cdrom);
	assert_string_equal(p.disks[1].key, "scsi0");
	assert_string_equal(p.disks[1].volume, "local-lvm:vm-100-disk-1");
	assert_string_equal(wf_pve_boot_disk(&p)->key, "scsi0");
	assert_int_equal(p.n_nics, 1);
	targets_of("100.conf", "virtio-scsi*,virtio-net");
}

static void test_i440fx_seabios_ide(void **st)
{
	(void)st;
	struct wf_pve p;
	load("101.conf", &p);
	assert_false(p.q35);
	assert_string_equal(p.machine, "");
	assert_string_equal(p.bios, "seabios");	/* the default */
	assert_string_equal(wf_pve_boot_disk(&p)->key, "ide0");	/* legacy bootdisk */
	targets_of("101.conf", "ide*,e1000");
}

static void test_sata_two_nics(void **st)
{
	(void)st;
	struct wf_pve p;
	load("102.conf", &p);
	assert_false(p.q35);
	assert_int_equal(p.n_disks, 2);
	assert_string_equal(p.disks[0].volume, "/dev/disk/by-id/ata-ST2000DM008-2FR102_ZFL0ABCD");
	assert_string_equal(p.disks[1].format, "qcow2");
	/* scsihw is set but no scsi disk: not a target */
	targets_of("102.conf", "sata*,rtl8139,e1000e");
}

static void test_q35_virtio_blk(void **st)
{
	(void)st;
	struct wf_pve p;
	load("103.conf", &p);
	assert_true(p.q35);
	assert_string_equal(p.nics[0].model, "virtio");	/* model=virtio,macaddr=... */
	assert_true(p.disks[0].cdrom);	/* ide2: none,media=cdrom */
	targets_of("103.conf", "virtio-blk*,virtio-net,vmxnet3");
}

static void test_default_lsi_and_errors(void **st)
{
	(void)st;
	targets_of("104.conf", "lsi-scsi*,sata,e1000");
	struct wf_pve p;
	struct wf_targets t;
	struct wf_error e = { 0 };
	load("105.conf", &p);
	assert_int_equal(wf_pve_targets(&p, &t, &e), -1);
	assert_non_null(strstr(e.msg, "megasas"));
	const char *bad[] = {
		"no colon here\n",
		"name: x\n",	/* no disk, no NIC */
		"scsi0: ,size=3G\n",
		"net0: ,bridge=vmbr0\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(wf_pve_parse(bad[i], strlen(bad[i]), "x.conf", &p, &e), -1);
	/* keys out of range are not disks: scsi31, virtio16, ide4, sata6, ide01 */
	const char *odd = "scsi31: a:b\nvirtio16: a:b\nide4: a:b\nsata6: a:b\nide01: a:b\nnet0: virtio=x\n";
	assert_int_equal(wf_pve_parse(odd, strlen(odd), "x.conf", &p, &e), 0);
	assert_int_equal(p.n_disks, 0);
}

static void switch_cmds(const char *file, const char *vmid, const char *s, const char *n,
			const char *want)
{
	struct wf_pve p;
	struct wf_error e = { 0 };
	struct wf_strbuf sb = WF_STRBUF_INIT;
	load(file, &p);
	if (wf_pve_switch_cmds(&p, vmid, s, n, &sb, &e) < 0)
		fail_msg("%s: %s", file, e.msg);
	if (strcmp(sb.len ? sb.buf : "", want) != 0)
		fail_msg("%s: got\n%s\nexpected\n%s", file, sb.buf, want);
	wf_sb_release(&sb);
}

static void test_switch(void **st)
{
	(void)st;
	switch_cmds("101.conf", "101", "virtio-blk", "virtio-net",
		    "qm set 101 --delete ide0\n"
		    "qm set 101 --virtio0 'local-lvm:vm-101-disk-0,size=40G'\n"
		    "qm set 101 --boot 'order=virtio0'\n"
		    "qm set 101 --net0 'virtio=3A:1F:6C:22:90:AB,bridge=vmbr1,tag=20'\n");
	/* sata -> virtio-scsi: scsihw already virtio-scsi-pci, boot order mapped */
	switch_cmds("102.conf", "102", "virtio-scsi", NULL,
		    "qm set 102 --delete sata0\n"
		    "qm set 102 --scsi0 '/dev/disk/by-id/ata-ST2000DM008-2FR102_ZFL0ABCD,backup=0,size=1863G'\n"
		    "qm set 102 --delete sata1\n"
		    "qm set 102 --scsi1 'local:102/vm-102-disk-0.qcow2,format=qcow2,size=32G'\n"
		    "qm set 102 --boot 'order=scsi0;net0'\n");
	/* scsi on the default lsi -> virtio-scsi: scsihw changes, disks stay */
	switch_cmds("104.conf", "104", "virtio-scsi", "virtio-net",
		    "qm set 104 --delete sata0\n"
		    "qm set 104 --scsi1 'local:104/vm-104-disk-1.raw,size=8G'\n"
		    "qm set 104 --scsihw virtio-scsi-single\n"
		    "qm set 104 --boot 'order=scsi0;net0'\n"
		    "qm set 104 --net0 'virtio=62:0B:11:45:9C:01,bridge=vmbr0'\n");
	/* the model= spelling keeps its MAC */
	switch_cmds("103.conf", "103", "virtio-blk", "e1000",
		    "qm set 103 --net0 'model=e1000,macaddr=BC:24:11:00:03:01,bridge=vmbr0'\n"
		    "qm set 103 --net1 'e1000=BC:24:11:00:03:02,bridge=vmbr3'\n");
	/* already there: nothing */
	switch_cmds("100.conf", "100", "virtio-scsi", "virtio-net", "");
	struct wf_pve p;
	struct wf_error e = { 0 };
	struct wf_strbuf sb = WF_STRBUF_INIT;
	load("100.conf", &p);
	assert_int_equal(wf_pve_switch_cmds(&p, "100", "storvsc", NULL, &sb, &e), -1);
	wf_sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_q35_ovmf_virtio_scsi), cmocka_unit_test(test_i440fx_seabios_ide),
		cmocka_unit_test(test_sata_two_nics), cmocka_unit_test(test_q35_virtio_blk),
		cmocka_unit_test(test_default_lsi_and_errors), cmocka_unit_test(test_switch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
