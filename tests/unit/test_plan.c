/*
 * test_plan.c - the plan model: builders record the old state, skip
 * no-ops, merge repeated actions, create missing parent keys; the diff and
 * JSON renderings; apply to a hive and verify; the journal round trip; SHA-256.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "hive.h"
#include "journal.h"
#include "plan.h"
#include "regfile.h"
#include "sha256.h"
#include "strbuf.h"

static char dir[64], path[128];

static struct wf_hive *hive_from(const char *reg)
{
	struct wf_error e = { 0 };
	unlink(path);
	assert_int_equal(kit_write_minimal_hive(path, "SYSTEM", &e), 0);
	struct wf_regfile r;
	if (wf_regfile_parse_mem("t.reg", reg, strlen(reg), &r, &e) < 0)
		fail_msg("%s", e.msg);
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 1, &e);
	assert_non_null(h);
	assert_int_equal(wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\SYSTEM", &e), 0);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	wf_regfile_free(&r);
	h = wf_hive_open(path, "SYSTEM", 0, &e);
	assert_non_null(h);
	return h;
}

static const char base[] =
	"Windows Registry Editor Version 5.00\n\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n\"Current\"=dword:00000001\n\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\msahci]\n"
	"\"Start\"=dword:00000003\n\"Type\"=dword:00000001\n\"Group\"=\"SCSI miniport\"\n\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\msahci\\StartOverride]\n"
	"\"0\"=dword:00000003\n\n";

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/wf-plan.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/SYSTEM", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#define SVC "ControlSet001\\Services\\msahci"

static void test_builders(void **state)
{
	(void)state;
	struct wf_hive *h = hive_from(base);
	struct wf_plan p;
	wf_plan_init(&p);
	assert_int_equal(wf_plan_set_dword(&p, h, WF_HIVE_SYSTEM, SVC, "Type", 1, "f"), 0);
	assert_int_equal(p.n, 0);			/* already so */
	assert_int_equal(wf_plan_set_dword(&p, h, WF_HIVE_SYSTEM, SVC, "Start", 0, "f"), 1);
	assert_int_equal(p.n, 1);
	assert_true(p.v[0].had_old);
	assert_int_equal(p.v[0].old_data[0], 3);
	/* again: replaces, keeps the old */
	wf_plan_set_dword(&p, h, WF_HIVE_SYSTEM, SVC, "Start", 1, "f");
	assert_int_equal(p.n, 1);
	assert_int_equal(p.v[0].data[0], 1);
	assert_int_equal(p.v[0].old_data[0], 3);
	/* back to the old value: the action disappears */
	wf_plan_set_dword(&p, h, WF_HIVE_SYSTEM, SVC, "Start", 3, "f");
	assert_int_equal(p.n, 0);
	/* a value under a missing key creates the key and its parents */
	wf_plan_set_string(&p, h, WF_HIVE_SYSTEM, "ControlSet001\\Control\\CrashControl",
			   "X", 1, "y", "f");
	assert_int_equal(p.n, 3);
	assert_int_equal(p.v[0].kind, WF_ACT_CREATE_KEY);
	assert_string_equal(p.v[0].key, "ControlSet001\\Control");
	assert_int_equal(p.v[1].kind, WF_ACT_CREATE_KEY);
	assert_int_equal(p.v[2].kind, WF_ACT_SET_VALUE);
	assert_int_equal(wf_plan_planned_key(&p, WF_HIVE_SYSTEM, "ControlSet001\\Control"), 1);
	/* deleting a planned new value removes the action */
	wf_plan_delete_value(&p, h, WF_HIVE_SYSTEM, "ControlSet001\\Control\\CrashControl", "X", "f");
	assert_int_equal(p.n, 2);
	/* delete what is not there: no-op; delete a key: counts */
	assert_int_equal(wf_plan_delete_value(&p, h, WF_HIVE_SYSTEM, SVC, "Nope", "f"), 0);
	assert_int_equal(wf_plan_delete_key(&p, h, WF_HIVE_SYSTEM, SVC "\\StartOverride", "f"), 1);
	assert_int_equal(p.v[2].old_values, 1);
	assert_int_equal(wf_plan_planned_key(&p, WF_HIVE_SYSTEM, SVC "\\StartOverride"), 0);
	uint32_t t;
	const unsigned char *d;
	size_t l;
	int del;
	assert_int_equal(wf_plan_planned_value(&p, WF_HIVE_SYSTEM, SVC "\\StartOverride", "0",
					       &t, &d, &l, &del), 0);
	assert_true(del);
	assert_int_equal(p.n_fixes, 1);
	wf_plan_free(&p);
	wf_hive_close(h);
}

static void test_render(void **state)
{
	(void)state;
	struct wf_hive *h = hive_from(base);
	struct wf_plan p;
	wf_plan_init(&p);
	wf_plan_set_dword(&p, h, WF_HIVE_SYSTEM, SVC, "Start", 0, "enable-driver:msahci");
	wf_plan_delete_key(&p, h, WF_HIVE_SYSTEM, SVC "\\StartOverride", "enable-driver:msahci");
	const char *m[] = { "a", "b" };
	wf_plan_set_multi(&p, h, WF_HIVE_SYSTEM, SVC, "DependOnService", m, 2, "x");
	wf_plan_write_file(&p, "/virt-winfix/a.cmd", "echo\r\n", 6, 0, 0, "x");
	wf_plan_note(&p, "Windows %s", "reboots once");
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_plan_to_text(&p, &sb);
	printf("%s", sb.buf);
	assert_non_null(strstr(sb.buf, "Plan: 4 changes for enable-driver:msahci, x"));
	assert_non_null(strstr(sb.buf, "~ \"Start\"  REG_DWORD 0x00000003 (3)  ->  REG_DWORD 0x00000000 (0)"));
	assert_non_null(strstr(sb.buf, "- [" SVC "\\StartOverride]  (deleted with its 1 values and 0 subkeys)"));
	assert_non_null(strstr(sb.buf, "+ \"DependOnService\" = REG_MULTI_SZ [\"a\", \"b\"]"));
	assert_non_null(strstr(sb.buf, "+ /virt-winfix/a.cmd  (6 bytes written by virt-winfix)"));
	assert_non_null(strstr(sb.buf, "Note: Windows reboots once"));
	struct json_object *j = wf_plan_to_json(&p);
	const char *js = json_object_to_json_string(j);
	assert_non_null(strstr(js, "\"op\": \"set-value\"") ? strstr(js, "\"op\": \"set-value\"") : strstr(js, "\"op\":\"set-value\""));
	assert_non_null(strstr(js, "restore SYSTEM\\\\ControlSet001\\\\Services\\\\msahci \\\"Start\\\" = REG_DWORD 0x00000003 (3)"));
	json_object_put(j);
	wf_sb_release(&sb);
	wf_plan_free(&p);
	wf_hive_close(h);
}

static void test_apply_verify(void **state)
{
	(void)state;
	struct wf_hive *h = hive_from(base);
	struct wf_plan p;
	struct wf_error e = { 0 };
	wf_plan_init(&p);
	wf_plan_set_dword(&p, h, WF_HIVE_SYSTEM, SVC, "Start", 0, "f");
	wf_plan_delete_key(&p, h, WF_HIVE_SYSTEM, SVC "\\StartOverride", "f");
	wf_plan_set_string(&p, h, WF_HIVE_SYSTEM, "ControlSet001\\Control\\CrashControl",
			   "Note", WF_REG_EXPAND_SZ, "%SystemRoot%", "f");
	wf_plan_delete_value(&p, h, WF_HIVE_SYSTEM, SVC, "Group", "f");
	wf_hive_close(h);
	h = wf_hive_open(path, "SYSTEM", 1, &e);
	/* before: verification fails and names the key */
	assert_int_equal(wf_plan_verify_hive(&p, WF_HIVE_SYSTEM, h, &e), -1);
	assert_non_null(strstr(e.msg, "SYSTEM"));
	assert_int_equal(wf_plan_apply_hive(&p, WF_HIVE_SYSTEM, h, &e), 0);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	h = wf_hive_open(path, "SYSTEM", 0, &e);
	if (wf_plan_verify_hive(&p, WF_HIVE_SYSTEM, h, &e) < 0)
		fail_msg("%s", e.msg);
	uint32_t v;
	assert_int_equal(wf_hive_get_dword(h, wf_hive_lookup(h, SVC), "Start", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(wf_hive_lookup(h, SVC "\\StartOverride"), 0);
	assert_false(wf_hive_value_exists(h, wf_hive_lookup(h, SVC), "Group"));
	/* the other hive's actions are not this hive's business */
	assert_int_equal(wf_plan_verify_hive(&p, WF_HIVE_SOFTWARE, h, &e), 0);
	wf_hive_close(h);
	wf_plan_free(&p);
}

static void test_journal_roundtrip(void **state)
{
	(void)state;
	struct wf_journal j = { 0 };
	j.id = strdup("20261121T101500Z");
	j.state = strdup(WF_JOURNAL_APPLIED);
	j.image = strdup("/x/win.img");
	j.fixes = calloc(2, sizeof *j.fixes);
	j.fixes[j.n_fixes++] = strdup("enable-driver:msahci");
	j.hives = calloc(1, sizeof *j.hives);
	j.hives[0].name = strdup("SYSTEM");
	j.hives[0].path = strdup("/Windows/System32/config/SYSTEM");
	memset(j.hives[0].before, 'a', 64);
	memset(j.hives[0].after, 'b', 64);
	j.n_hives = 1;
	j.files = calloc(1, sizeof *j.files);
	j.files[0].path = strdup("/Windows/x.sys");
	j.files[0].existed = 1;
	j.files[0].backup = strdup("files/0");
	j.n_files = 1;
	char *s = wf_journal_to_string(&j);
	struct wf_journal k;
	struct wf_error e = { 0 };
	assert_int_equal(wf_journal_parse(s, strlen(s), "j", &k, &e), 0);
	assert_string_equal(k.id, j.id);
	assert_string_equal(k.hives[0].before, j.hives[0].before);
	assert_true(k.files[0].existed);
	assert_string_equal(k.files[0].backup, "files/0");
	assert_string_equal(k.fixes[0], "enable-driver:msahci");
	wf_journal_free(&k);
	assert_int_equal(wf_journal_parse("{}", 2, "bad.json", &k, &e), -1);
	assert_string_equal(e.msg, "bad.json: not a virt-winfix journal");
	const char *evil = "{\"format\":\"virt-winfix journal 1\",\"id\":\"../x\",\"state\":\"applied\"}";
	assert_int_equal(wf_journal_parse(evil, strlen(evil), "evil", &k, &e), -1);
	free(s);
	wf_journal_free(&j);
}

static void test_sha256(void **state)
{
	(void)state;
	struct wf_sha256 s;
	char hex[65];
	wf_sha256_init(&s);
	wf_sha256_hex(&s, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	wf_sha256_init(&s);
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	wf_sha256_update(&s, m, strlen(m));
	wf_sha256_hex(&s, hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static uint32_t rd32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(unsigned char *p, uint32_t v) { p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24; }

/* Security review finding 7: a key whose subkey list points back at
 * itself crashed the planner (unbounded recursion counting the tree of a
 * key to delete).  The hive: SYSTEM\Loop\Self, then Self's nk record is
 * patched to have one subkey, its subkey list being Loop's list, which
 * names Self: Self -> Self -> ...  The plan is made, with bounded counts
 * and a note; hivex refuses the delete itself rather than looping. */
static void test_cyclic_key(void **state)
{
	(void)state;
	struct wf_hive *h = hive_from(base);
	wf_hive_close(h);
	const char *reg = "Windows Registry Editor Version 5.00\n\n"
			  "[HKEY_LOCAL_MACHINE\\SYSTEM\\Loop\\Self]\n\"v\"=dword:00000001\n\n";
	h = hive_from(reg);
	wf_node loop = wf_hive_lookup(h, "Loop"), self = wf_hive_lookup(h, "Loop\\Self");
	assert_true(loop && self);
	wf_hive_close(h);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	struct wf_error e = { 0 };
	assert_int_equal(wf_sb_read_file(&sb, path, 0, &e), 0);
	unsigned char *b = (unsigned char *)sb.buf;
	/* hivex node handles are file offsets of the cell; the nk record
	 * follows the 4-byte cell size; offsets inside are from 0x1000 */
	unsigned char *nk_loop = b + loop + 4, *nk_self = b + self + 4;
	assert_memory_equal(nk_self, "nk", 2);
	assert_int_equal(rd32(nk_loop + 0x14), 1);
	wr32(nk_self + 0x14, 1);
	wr32(nk_self + 0x1c, rd32(nk_loop + 0x1c));
	FILE *f = fopen(path, "wb");
	fwrite(sb.buf, 1, sb.len, f);
	fclose(f);
	wf_sb_release(&sb);
	h = wf_hive_open(path, "SYSTEM", 0, &e);
	assert_non_null(h);
	struct wf_plan p;
	wf_plan_init(&p);
	assert_int_equal(wf_plan_delete_key(&p, h, WF_HIVE_SYSTEM, "Loop", "f"), 1);
	assert_int_equal(p.v[0].old_subkeys, 1);	/* Self, once */
	assert_int_equal(p.v[0].old_values, 1);
	assert_int_equal(p.n_notes, 1);
	assert_non_null(strstr(p.notes[0], "cyclic"));
	wf_hive_close(h);
	wf_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cyclic_key, setup, teardown),
		cmocka_unit_test(test_journal_roundtrip),
		cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
