/* Image format by magic bytes, on real headers made by qemu-img, and the
 * error paths of wf_image_open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chain.h"
#include "image.h"
#include "probe.h"

static char dir[] = "/tmp/wf-test-image.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd);
}

/* qemu-img create -f FMT; returns the path or NULL when qemu-img is absent. */
static const char *make(const char *fmt, const char *opts, const char *name)
{
	static char path[512];
	char cmd[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(cmd, sizeof cmd, "qemu-img create -q -f %s %s %s 64M >/dev/null 2>&1",
		 fmt, opts, path);
	return system(cmd) == 0 ? path : NULL;
}

static void check_format(const char *qfmt, const char *opts, const char *name,
			 enum wf_format want, uint64_t vsize)
{
	const char *path = make(qfmt, opts, name);
	if (!path) {
		printf("SKIP-REASON: qemu-img cannot create %s\n", qfmt);
		skip();
	}
	struct wf_image img;
	struct wf_error e = { 0 };
	if (wf_image_open(path, &img, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(img.format, want);
	if (vsize)
		assert_int_equal(img.virtual_size, vsize);
	wf_image_free(&img);
}

static void test_raw(void **s) { (void)s; check_format("raw", "", "a.img", WF_FMT_RAW, 64 << 20); }
static void test_qcow2(void **s) { (void)s; check_format("qcow2", "", "a.qcow2", WF_FMT_QCOW2, 64 << 20); }
static void test_vmdk(void **s) { (void)s; check_format("vmdk", "", "a.vmdk", WF_FMT_VMDK, 64 << 20); }
/* A monolithicFlat VMDK is a descriptor naming a second file: refused
 * unless --allow-backing (chain.h), then opened with the extent noted. */
static void test_vmdk_flat(void **s)
{
	(void)s;
	const char *path = make("vmdk", "-o subformat=monolithicFlat", "f.vmdk");
	if (!path)
		skip();
	struct wf_image img;
	struct wf_error e = { 0 };
	assert_int_equal(wf_image_open(path, &img, &e), -1);
	assert_non_null(strstr(e.msg, "refused: the vmdk image uses another host file (extent "));
	assert_non_null(strstr(e.msg, "f-flat.vmdk"));
	assert_null(strchr(e.msg, '\n'));
	wf_chain_allow_external(1);
	int r = wf_image_open(path, &img, &e);
	wf_chain_allow_external(0);
	assert_int_equal(r, 0);
	assert_int_equal(img.format, WF_FMT_VMDK);
	assert_non_null(strstr(img.external, "f-flat.vmdk"));
	wf_image_free(&img);
}

/* The chain check on qemu-img's JSON shapes (qemu 7.2's output, trimmed):
 * a sparse VMDK's one extent is the image itself; every other name is
 * another file; a chain of two is a backing file; garbage is refused. */
static void test_chain_json(void **s)
{
	(void)s;
	struct { const char *json, *want; int rc; } rows[] = {
		{ "[{\"filename\":\"/i/a.qcow2\",\"format\":\"qcow2\",\"format-specific\":{\"type\":\"qcow2\",\"data\":{\"compat\":\"1.1\"}}}]", NULL, 0 },
		{ "[{\"filename\":\"/i/s.vmdk\",\"format-specific\":{\"type\":\"vmdk\",\"data\":{\"extents\":[{\"filename\":\"/i/s.vmdk\",\"format\":\"SPARSE\"}]}}}]", NULL, 0 },
		{ "[{\"filename\":\"/i/e.vmdk\",\"format-specific\":{\"type\":\"vmdk\",\"data\":{\"extents\":[{\"filename\":\"/other/vm.img\",\"format\":\"FLAT\"}]}}}]", "extent /other/vm.img", 0 },
		{ "[{\"filename\":\"/i/b.qcow2\",\"full-backing-filename\":\"/other/vm.img\",\"backing-filename\":\"vm.img\"},{\"filename\":\"/other/vm.img\"}]", "backing file /other/vm.img", 0 },
		{ "[{\"filename\":\"/i/b.qcow2\"},{\"filename\":\"/other/x\"}]", "backing file /other/x", 0 },
		{ "[{\"filename\":\"/i/d.qcow2\",\"format-specific\":{\"type\":\"qcow2\",\"data\":{\"data-file\":\"/other/d.raw\",\"data-file-raw\":false}}}]", "external data file /other/d.raw", 0 },
		{ "{\"filename\":\"/i/a\"}", NULL, -1 },
		{ "[]", NULL, -1 },
		{ "not json", NULL, -1 },
	};
	const char *self[] = { "/i/a.qcow2", "/i/s.vmdk", "/i/e.vmdk", "/i/b.qcow2", "/i/b.qcow2",
			       "/i/d.qcow2", "/i/a", "/i/a", "/i/a" };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *found = (char *)"unset";
		struct wf_error e = { 0 };
		assert_int_equal(wf_chain_find_external(rows[i].json, self[i], &found, &e), rows[i].rc);
		if (rows[i].want)
			assert_string_equal(found, rows[i].want);
		else
			assert_null(found);
		free(found);
	}
}
static void test_vhd(void **s) { (void)s; check_format("vpc", "", "a.vhd", WF_FMT_VHD, 0); }
static void test_vhd_fixed(void **s) { (void)s; check_format("vpc", "-o subformat=fixed", "fixed.vhd", WF_FMT_VHD, 0); }
static void test_vhdx(void **s) { (void)s; check_format("vhdx", "", "a.vhdx", WF_FMT_VHDX, 0); }
static void test_vdi(void **s) { (void)s; check_format("vdi", "", "a.vdi", WF_FMT_VDI, 64 << 20); }

/* A raw disk whose name says qcow2 is still raw: the name does not count. */
static void test_name_ignored(void **s)
{
	(void)s;
	check_format("raw", "", "liar.qcow2", WF_FMT_RAW, 0);
}

static void test_sniff_memory(void **s)
{
	(void)s;
	unsigned char head[0x9000] = { 0 };
	assert_int_equal(wf_format_sniff(head, sizeof head, NULL, 0), WF_FMT_RAW);
	memcpy(head + 0x8001, "CD001", 5);
	assert_int_equal(wf_format_sniff(head, sizeof head, NULL, 0), WF_FMT_ISO);
	assert_int_equal(wf_format_sniff(head, 16, NULL, 0), WF_FMT_RAW);
	assert_string_equal(wf_format_qemu(WF_FMT_VHD), "vpc");
	assert_string_equal(wf_format_name(WF_FMT_VHDX), "vhdx");
}

static void expect_error(const char *path, const char *what)
{
	struct wf_image img;
	struct wf_error e = { 0 };
	assert_int_equal(wf_image_open(path, &img, &e), -1);
	assert_int_equal(e.kind, WF_ERR_INPUT);
	assert_non_null(strstr(e.msg, path));
	if (!strstr(e.msg, what))
		fail_msg("\"%s\" lacks \"%s\"", e.msg, what);
}

static void test_errors(void **s)
{
	(void)s;
	char p[512];
	expect_error("/nonexistent/disk.img", "no such file");
	expect_error(dir, "is a directory");
	snprintf(p, sizeof p, "%s/empty", dir);
	fclose(fopen(p, "w"));
	expect_error(p, "empty file");
	snprintf(p, sizeof p, "%s/tiny", dir);
	FILE *f = fopen(p, "w");
	fputs("hello", f);
	fclose(f);
	expect_error(p, "too small");
	if (getuid() != 0) {
		snprintf(p, sizeof p, "%s/unreadable", dir);
		f = fopen(p, "w");
		fputs("x", f);
		fclose(f);
		chmod(p, 0);
		expect_error(p, "cannot open");
	}
	expect_error("/dev/null", "not a regular file");
}

/* libblkid on a blank raw disk: no table, no filesystem, no error. */
static void test_probe_blank(void **s)
{
	(void)s;
	const char *path = make("raw", "", "blank.img");
	assert_non_null(path);
	struct wf_probe p;
	struct wf_error e = { 0 };
	assert_int_equal(wf_probe_image(path, &p, &e), 0);
	assert_null(p.pttype);
	assert_null(p.fstype);
	assert_int_equal(p.n_parts, 0);
	assert_int_equal(p.size, 64 << 20);
	wf_probe_free(&p);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_raw), cmocka_unit_test(test_qcow2),
		cmocka_unit_test(test_vmdk), cmocka_unit_test(test_vmdk_flat),
		cmocka_unit_test(test_vhd), cmocka_unit_test(test_vhd_fixed),
		cmocka_unit_test(test_vhdx), cmocka_unit_test(test_vdi),
		cmocka_unit_test(test_name_ignored), cmocka_unit_test(test_sniff_memory),
		cmocka_unit_test(test_errors), cmocka_unit_test(test_probe_blank),
		cmocka_unit_test(test_chain_json),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
