/*
 * test_domain.c - libvirt domains as a source (core/guest/domain.c) on the
 * libvirt test driver (test:///.../tests/data/libvirt/testnode.xml: no
 * daemon, nothing started): disks of the definition in order (file,
 * block, pool volume; CD-ROM left out), formats, state, the refusal of
 * writes on a running domain, network disks, unknown domains, listing,
 * and the switch rewrite (core/fix/switchdom.c) read back with the same
 * XML readers the diagnosis uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controllers.h"
#include "domain.h"
#include "switchdom.h"
#include "targets.h"
#include "winver.h"

static char uri[PATH_MAX + 64];

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

static void test_open(void **st)
{
	(void)st;
	struct wf_domain d;
	struct wf_error e = { 0 };
	if (wf_domain_open(uri, "win-ide", &d, &e) < 0)
		fail_msg("%s", e.msg);
	assert_string_equal(d.name, "win-ide");
	assert_string_equal(d.state, "shut off");
	assert_false(d.active);
	assert_int_equal(d.n_disks, 3);		/* the CD-ROM hdc is not one */
	assert_string_equal(d.disks[0].path, "/images/win-ide.qcow2");
	assert_string_equal(d.disks[0].format, "qcow2");
	assert_string_equal(d.disks[0].dev, "hda");
	assert_string_equal(d.disks[1].path, "/dev/vg0/win-data");	/* block */
	assert_string_equal(d.disks[2].path, "/images/pool/win-extra.img");	/* volume */
	assert_int_equal(wf_domain_refuse_active(&d, &e), 0);
	struct wf_targets t;
	assert_int_equal(wf_targets_from_domxml_mem(d.xml, strlen(d.xml), d.name, &t, &e), 0);
	assert_targets(&t, "ide*,e1000");
	wf_domain_free(&d);
	/* by UUID too */
	assert_int_equal(wf_domain_open(uri, "6695eb01-f6a4-8304-79aa-97f2502e193f", &d, &e), 0);
	assert_string_equal(d.name, "win-ide");
	wf_domain_free(&d);
}

static void test_running_and_errors(void **st)
{
	(void)st;
	struct wf_domain d;
	struct wf_error e = { 0 };
	assert_int_equal(wf_domain_open(uri, "win-running", &d, &e), 0);
	assert_true(d.active);
	assert_int_equal(wf_domain_refuse_active(&d, &e), -1);
	assert_non_null(strstr(e.msg, "win-running is running"));
	/* a definition cannot be replaced under a running domain */
	assert_int_equal(wf_domain_define(uri, "win-running", d.xml, &e), -1);
	assert_non_null(strstr(e.msg, "running"));
	wf_domain_free(&d);
	assert_int_equal(wf_domain_open(uri, "win-rbd", &d, &e), -1);
	assert_non_null(strstr(e.msg, "network"));
	assert_non_null(strstr(e.msg, "-a"));
	assert_int_equal(wf_domain_open(uri, "no-such-vm", &d, &e), -1);
	assert_non_null(strstr(e.msg, "no domain \"no-such-vm\""));
	assert_int_equal(wf_domain_open("test:///nonexistent/file.xml", "x", &d, &e), -1);
	assert_non_null(strstr(e.msg, "cannot connect"));
}

static void test_list(void **st)
{
	(void)st;
	struct wf_domain_brief *v;
	size_t n;
	struct wf_error e = { 0 };
	assert_int_equal(wf_domain_list(uri, &v, &n, &e), 0);
	assert_int_equal(n, 3);
	int seen = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, "win-ide") == 0) {
			seen = 1;
			assert_string_equal(v[i].presents, "ide (boot), e1000");
			assert_string_equal(v[i].machine, "pc");	/* pc-i440fx-7.2 */
			assert_int_equal(v[i].n_disks, 3);	/* file, block, volume; the CD-ROM left out */
			assert_false(v[i].active);
			assert_non_null(strstr(v[i].disks, "/images/pool/win-extra.img"));
		} else if (strcmp(v[i].name, "win-rbd") == 0) {
			assert_non_null(strstr(v[i].presents, "network"));
		}
	assert_true(seen);
	wf_domain_list_free(v, n);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("%s missing", path);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void check_switch(const char *file, const char *storage, const char *nic, int trans,
			 const char *want_targets, const char *want_devs)
{
	char path[256];
	snprintf(path, sizeof path, "tests/data/libvirt/%s", file);
	const char *xml = read_all(path);
	struct wf_switchdom sw;
	struct wf_error e = { 0 };
	if (wf_switchdom_plan(xml, "w", storage, nic, trans, &sw, &e) < 0)
		fail_msg("%s: %s", file, e.msg);
	struct wf_targets t;
	if (wf_targets_from_domxml_mem(sw.new_xml, strlen(sw.new_xml), file, &t, &e) < 0)
		fail_msg("%s: the switched XML: %s", file, e.msg);
	assert_targets(&t, want_targets);
	struct wf_dom_disk *d;
	size_t n;
	assert_int_equal(wf_domain_disks_from_xml(sw.new_xml, file, &d, &n, &e), 0);
	char devs[128] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(devs + strlen(devs), sizeof devs - strlen(devs), "%s%s", i ? "," : "", d[i].dev);
	assert_string_equal(devs, want_devs);
	wf_dom_disks_free(d, n);
	assert_true(sw.n_changes > 0);
	assert_non_null(strstr(sw.diff, "- "));
	assert_non_null(strstr(sw.diff, "+ "));
	assert_int_equal(strstr(sw.new_xml, "virtio-transitional") != NULL, trans);
	/* switching again changes nothing */
	struct wf_switchdom again;
	assert_int_equal(wf_switchdom_plan(sw.new_xml, "w", storage, nic, trans, &again, &e), 0);
	assert_int_equal(again.n_changes, 0);
	wf_switchdom_free(&again);
	wf_switchdom_free(&sw);
}

static void test_switch(void **st)
{
	(void)st;
	/* ide + e1000 -> virtio: the disks get vda.., the CD-ROM keeps hdc */
	check_switch("win-ide.xml", "virtio-blk", "virtio-net", 0, "virtio-blk*,virtio-net", "vda,vdb");
	/* -> virtio-scsi: a controller appears; the SATA CD-ROM sda keeps its name */
	check_switch("win-q35-sata.xml", "virtio-scsi", "virtio-net", 0, "virtio-scsi*,virtio-net", "sdb");
	/* XP on q35: transitional devices */
	check_switch("win-q35-sata.xml", "virtio-blk", "virtio-net", 1, "virtio-blk*,virtio-net", "vda");
	const char *q35 = read_all("tests/data/libvirt/win-q35-sata.xml");
	struct wf_switchdom sw;
	struct wf_error e = { 0 };
	assert_int_equal(wf_switchdom_plan(q35, "w", "ide", NULL, 0, &sw, &e), -1);
	assert_non_null(strstr(e.msg, "IDE"));
	struct wf_winver xp = { .major = 5, .minor = 1 }, w7 = { .major = 6, .minor = 1 };
	assert_true(wf_switchdom_needs_transitional(q35, &xp));
	assert_false(wf_switchdom_needs_transitional(q35, &w7));
	assert_false(wf_switchdom_needs_transitional(read_all("tests/data/libvirt/win-ide.xml"), &xp));
}

/* What to switch to: the boot disk's kind, else the first storage kind;
 * the first NIC kind; none when the targets have none. */
static void test_wanted(void **st)
{
	(void)st;
	static const struct {
		const char *targets, *storage, *nic;
	} rows[] = {
		{ .targets = "sata,virtio-blk,e1000", .storage = "sata", .nic = "e1000" },
		{ .targets = "virtio-net,virtio-scsi", .storage = "virtio-scsi", .nic = "virtio-net" },
		{ .targets = "ide", .storage = "ide", .nic = NULL },
		{ .targets = "rtl8139,e1000", .storage = NULL, .nic = "rtl8139" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct wf_targets t;
		struct wf_error e = { 0 };
		const char *storage, *nic;
		assert_int_equal(wf_targets_parse_list(rows[i].targets, &t, &e), 0);
		wf_switchdom_wanted(&t, &storage, &nic);
		if (rows[i].storage)
			assert_string_equal(storage, rows[i].storage);
		else
			assert_null(storage);
		if (rows[i].nic)
			assert_string_equal(nic, rows[i].nic);
		else
			assert_null(nic);
	}
}

static void test_saved(void **st)
{
	(void)st;
	char dir[] = "/tmp/wf-switch-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct wf_switchdom sw;
	struct wf_error e = { 0 };
	const char *xml = read_all("tests/data/libvirt/win-ide.xml");
	assert_int_equal(wf_switchdom_plan(xml, "win-ide", "virtio-blk", "virtio-net", 0, &sw, &e), 0);
	assert_false(wf_switchdom_saved("win-ide", dir));
	/* the test driver's state lives per connection: the define succeeds,
	 * the saved old definition is what undo would define */
	if (wf_switchdom_apply(uri, &sw, dir, &e) < 0)
		fail_msg("%s", e.msg);
	assert_true(wf_switchdom_saved("win-ide", dir));
	char p[300];
	snprintf(p, sizeof p, "%s/domain-win-ide.xml", dir);
	assert_string_equal(read_all(p), sw.old_xml);
	/* a second apply does not overwrite the kept definition */
	assert_int_equal(wf_switchdom_apply(uri, &sw, dir, &e), -1);
	assert_int_equal(wf_switchdom_undo(uri, "win-ide", dir, &e), 0);
	unlink(p);
	rmdir(dir);
	wf_switchdom_free(&sw);
}

int main(void)
{
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return 1;
	snprintf(uri, sizeof uri, "test://%s/tests/data/libvirt/testnode.xml", cwd);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open), cmocka_unit_test(test_running_and_errors),
		cmocka_unit_test(test_list), cmocka_unit_test(test_switch), cmocka_unit_test(test_saved),
		cmocka_unit_test(test_wanted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
