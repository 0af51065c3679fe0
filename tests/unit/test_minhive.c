/*
 * test_minhive.c - the test kit's minimal hive opens with hivex and with
 * core/hive, read and write, and survives commit + reopen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "hive.h"

struct fx {
	char dir[64];
	char hive[96];
	char out[96];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/wf-minhive.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->hive, sizeof f->hive, "%s/min.hive", f->dir);
	snprintf(f->out, sizeof f->out, "%s/out.hive", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	unlink(f->hive);
	unlink(f->out);
	rmdir(f->dir);
	free(f);
	return 0;
}

static long file_size(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fclose(fp);
	return n;
}

static void test_layout(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(f->hive, NULL, &e), 0);
	assert_int_equal(file_size(f->hive), 8192);
	unsigned char b[8192];
	FILE *fp = fopen(f->hive, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(b, 1, sizeof b, fp), sizeof b);
	fclose(fp);
	assert_memory_equal(b, "regf", 4);
	assert_int_equal(get32(b + 4), get32(b + 8));	/* clean: seq1 == seq2 */
	assert_int_equal(get32(b + 0x14), 1);
	assert_int_equal(get32(b + 0x24), 0x20);
	assert_int_equal(get32(b + 0x28), 0x1000);
	uint32_t sum = 0;
	for (int i = 0; i < 0x1fc; i += 4)
		sum ^= get32(b + i);
	assert_int_equal(sum, get32(b + 0x1fc));
	assert_memory_equal(b + 0x1000, "hbin", 4);
	assert_memory_equal(b + 0x1024, "nk", 2);
	assert_int_equal(b[0x1026] | b[0x1027] << 8, 0x2c);
	/* the cells tile the hbin exactly */
	size_t off = 0x20;
	int cells = 0;
	while (off < 0x1000) {
		int32_t sz = (int32_t)get32(b + 0x1000 + off);
		size_t len = sz < 0 ? (size_t)-sz : (size_t)sz;
		assert_true(len >= 8 && len % 8 == 0);
		off += len;
		cells++;
	}
	assert_int_equal(off, 0x1000);
	assert_int_equal(cells, 3);
}

static void test_hivex_read(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(f->hive, "MyRoot", &e), 0);
	hive_h *h = hivex_open(f->hive, 0);
	assert_non_null(h);
	hive_node_h root = hivex_root(h);
	assert_true(root != 0);
	char *name = hivex_node_name(h, root);
	assert_string_equal(name, "MyRoot");
	free(name);
	hive_node_h *kids = hivex_node_children(h, root);
	assert_non_null(kids);
	assert_int_equal(kids[0], 0);
	free(kids);
	hive_value_h *vals = hivex_node_values(h, root);
	assert_non_null(vals);
	assert_int_equal(vals[0], 0);
	free(vals);
	assert_int_equal(hivex_close(h), 0);
}

static void test_hivex_write(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(f->hive, NULL, &e), 0);
	hive_h *h = hivex_open(f->hive, HIVEX_OPEN_WRITE);
	assert_non_null(h);
	hive_node_h root = hivex_root(h);
	hive_node_h sel = hivex_node_add_child(h, root, "Select");
	assert_true(sel != 0);
	uint32_t one = 1;
	hive_set_value v = { .key = (char *)"Current", .t = hive_t_REG_DWORD,
			     .len = 4, .value = (char *)&one };
	assert_int_equal(hivex_node_set_value(h, sel, &v, 0), 0);
	/* enough children to need several hbins */
	for (int i = 0; i < 300; i++) {
		char kn[32];
		snprintf(kn, sizeof kn, "Key%03d", i);
		assert_true(hivex_node_add_child(h, root, kn) != 0);
	}
	assert_int_equal(hivex_commit(h, f->out, 0), 0);
	hivex_close(h);

	h = hivex_open(f->out, 0);
	assert_non_null(h);
	sel = hivex_node_get_child(h, hivex_root(h), "select");
	assert_true(sel != 0);
	hive_value_h val = hivex_node_get_value(h, sel, "Current");
	assert_true(val != 0);
	assert_int_equal(hivex_value_dword(h, val), 1);
	assert_true(hivex_node_get_child(h, hivex_root(h), "Key299") != 0);
	hivex_close(h);
}

static void test_core_hive(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(f->hive, NULL, &e), 0);
	struct wf_hive *h = wf_hive_open(f->hive, "SYSTEM", 0, &e);
	assert_non_null(h);
	char *name = wf_hive_node_name(h, wf_hive_root(h));
	assert_string_equal(name, "$$$PROTO.HIV");
	free(name);
	wf_hive_close(h);

	h = wf_hive_open(f->hive, "SYSTEM", 1, &e);
	assert_non_null(h);
	wf_node n = wf_hive_mkpath(h, "ControlSet001\\Services\\viostor", &e);
	assert_true(n != 0);
	assert_int_equal(wf_hive_set_dword(h, n, "Start", 0, &e), 0);
	assert_int_equal(wf_hive_set_string(h, n, "ImagePath", WF_REG_EXPAND_SZ,
					    "system32\\drivers\\viostor.sys", &e), 0);
	assert_int_equal(wf_hive_commit(h, f->out, &e), 0);
	wf_hive_close(h);

	h = wf_hive_open(f->out, "SYSTEM", 0, &e);
	assert_non_null(h);
	n = wf_hive_lookup(h, "controlset001\\SERVICES\\viostor");
	assert_true(n != 0);
	uint32_t start = 99;
	assert_int_equal(wf_hive_get_dword(h, n, "Start", &start), 0);
	assert_int_equal(start, 0);
	char *ip = wf_hive_get_string(h, n, "ImagePath");
	assert_string_equal(ip, "system32\\drivers\\viostor.sys");
	free(ip);
	wf_hive_close(h);
}

static void test_root_name_errors(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(f->hive, "", &e), -1);
	assert_non_null(strstr(e.msg, f->hive));
	assert_int_equal(kit_write_minimal_hive(f->hive, "a\\b", &e), -1);
	assert_int_equal(kit_write_minimal_hive("/nonexistent-dir/x", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent-dir/x"));
	/* a long name still fits the first hbin */
	char big[256];
	memset(big, 'N', 255);
	big[255] = '\0';
	assert_int_equal(kit_write_minimal_hive(f->hive, big, &e), 0);
	hive_h *h = hivex_open(f->hive, 0);
	assert_non_null(h);
	hivex_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hivex_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hivex_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_core_hive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_name_errors, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
