/*
 * test_fix_dirty.c - a fix on a SYSTEM hive that was not cleanly saved,
 * through the real executor against a host folder standing in for the
 * guest volume: the plan says what happens to the logs, the hive written
 * is clean and holds both what the logs held and the fix, the logs are
 * emptied, and undo puts the hive and both logs back byte for byte.
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
#include "../kit/kitlog.c"
#include "apply.h"
#include "fixes.h"
#include "hive.h"
#include "hivelog.h"
#include "winver.h"

#define CONFIG "/Windows/System32/config"

struct fx {
	char root[64], cfg[128], sys[160], log1[160], log2[160], sw[160];
	char tmp[128], bk[128], before[160], after[160], replayed[160];
	char save_sys[160], save_log1[160], save_log2[160];
	struct wf_apply_io io;
	struct wf_apply_target t;
};

static void must(int ok, const char *what)
{
	if (!ok)
		fail_msg("setup: %s", what);
}

static void cp(const char *a, const char *b)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", a, b);
	must(system(cmd) == 0, cmd);
}

static int same_file(const char *a, const char *b)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
	return system(cmd) == 0;
}

static long size_of(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/* before: Select, CrashControl\AutoReboot = 1; after (in the logs only):
 * a service key "LoggedSvc" Windows wrote just before it stopped. */
static void hives(struct fx *f)
{
	struct wf_error e = { 0 };
	must(kit_write_minimal_hive(f->before, "SYSTEM", &e) == 0, e.msg);
	struct wf_hive *h = wf_hive_open(f->before, "SYSTEM", 1, &e);
	must(h != NULL, e.msg);
	wf_node sel = wf_hive_mkpath(h, "Select", &e);
	wf_hive_set_dword(h, sel, "Current", 1, &e);
	wf_hive_set_dword(h, sel, "Default", 1, &e);
	wf_node cc = wf_hive_mkpath(h, "ControlSet001\\Control\\CrashControl", &e);
	must(cc && wf_hive_set_dword(h, cc, "AutoReboot", 1, &e) == 0, e.msg);
	wf_hive_mkpath(h, "ControlSet001\\Services\\disk", &e);
	must(wf_hive_commit(h, NULL, &e) == 0, e.msg);
	wf_hive_close(h);
	h = wf_hive_open(f->before, "SYSTEM", 1, &e);
	wf_node s = wf_hive_mkpath(h, "ControlSet001\\Services\\LoggedSvc", &e);
	must(s && wf_hive_set_dword(h, s, "Start", 0, &e) == 0, e.msg);
	must(wf_hive_commit(h, f->after, &e) == 0, e.msg);
	wf_hive_close(h);
	struct kit_dirty d = { .format = KIT_LOG_NEW, .before = f->before, .after = f->after,
			       .primary = f->sys, .log1 = f->log1, .log2 = f->log2, .in_log1 = 1 };
	unsigned ne, np;
	must(kit_write_dirty(&d, &ne, &np, &e) == 0, e.msg);
	must(kit_write_minimal_hive(f->sw, "SOFTWARE", &e) == 0, e.msg);
	cp(f->sys, f->save_sys);
	cp(f->log1, f->save_log1);
	cp(f->log2, f->save_log2);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->root, "/tmp/wf-fixdirty.XXXXXX");
	if (!mkdtemp(f->root))
		return -1;
	snprintf(f->cfg, sizeof f->cfg, "%s" CONFIG, f->root);
	snprintf(f->sys, sizeof f->sys, "%s/SYSTEM", f->cfg);
	snprintf(f->log1, sizeof f->log1, "%s/SYSTEM.LOG1", f->cfg);
	snprintf(f->log2, sizeof f->log2, "%s/SYSTEM.LOG2", f->cfg);
	snprintf(f->sw, sizeof f->sw, "%s/SOFTWARE", f->cfg);
	snprintf(f->tmp, sizeof f->tmp, "%s.tmp", f->root);
	snprintf(f->bk, sizeof f->bk, "%s.backup", f->root);
	snprintf(f->before, sizeof f->before, "%s/before", f->tmp);
	snprintf(f->after, sizeof f->after, "%s/after", f->tmp);
	snprintf(f->replayed, sizeof f->replayed, "%s/replayed", f->tmp);
	snprintf(f->save_sys, sizeof f->save_sys, "%s/save-SYSTEM", f->tmp);
	snprintf(f->save_log1, sizeof f->save_log1, "%s/save-LOG1", f->tmp);
	snprintf(f->save_log2, sizeof f->save_log2, "%s/save-LOG2", f->tmp);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s'", f->cfg, f->tmp);
	if (system(cmd) != 0)
		return -1;
	hives(f);
	wf_apply_io_dir(&f->io, f->root);
	f->t.io = &f->io;
	f->t.systemroot = "/Windows";
	f->t.hive[WF_HIVE_SYSTEM] = CONFIG "/SYSTEM";
	f->t.hive[WF_HIVE_SOFTWARE] = CONFIG "/SOFTWARE";
	f->t.host_backup_dir = f->bk;
	f->t.tmpdir = f->tmp;
	f->t.image = "test.img";
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s'", f->root, f->tmp, f->bk);
	int r = system(cmd);
	free(f);
	return r == 0 ? 0 : -1;
}

/* The plan is built on the inspection's copy: the replayed hive. */
static void make_plan(struct fx *f, struct wf_plan *p, const struct wf_hivelog_result *rec)
{
	struct wf_error e = { 0 };
	struct wf_hive *sys = wf_hive_open(f->replayed, "SYSTEM", 0, &e);
	struct wf_hive *sw = wf_hive_open(f->sw, "SOFTWARE", 0, &e);
	assert_non_null(sys);
	assert_non_null(sw);
	struct wf_winver ver = { .major = 10, .build = 19045, .arch = "x86_64" };
	struct wf_fixctx c = { .system = sys, .software = sw, .ver = &ver, .tmpdir = f->tmp };
	const char *ids[] = { "autoreboot-off" };
	wf_plan_init(p);
	if (wf_fixes_build(&c, ids, 1, p, &e) < 0)
		fail_msg("plan: %s", e.msg);
	wf_plan_note_hivelog(p, WF_HIVE_SYSTEM, rec);
	wf_hive_close(sys);
	wf_hive_close(sw);
}

static void test_fix_and_undo_dirty_system(void **state)
{
	struct fx *f = *state;
	const char *logs[] = { f->log1, f->log2, NULL };
	struct wf_hivelog_result rec;
	struct wf_error e = { 0 };
	assert_int_equal(wf_hivelog_recover_files(f->sys, logs, 3, f->replayed, &rec, &e), 0);
	assert_int_equal(rec.state, WF_HIVELOG_RECOVERED);
	struct wf_plan p;
	make_plan(f, &p, &rec);
	/* the plan says, before anything is written, what happens to the logs */
	int said = 0;
	for (size_t i = 0; i < p.n_notes; i++)
		said |= strstr(p.notes[i], "replayed") && strstr(p.notes[i], "emptied") &&
			strstr(p.notes[i], "SYSTEM.LOG1 and SYSTEM.LOG2");
	assert_true(said);
	wf_hivelog_result_free(&rec);

	struct wf_apply_result r;
	if (wf_apply(&p, &f->t, NULL, &r, &e) < 0)
		fail_msg("apply: %s", e.msg);
	assert_string_equal(r.journal.state, WF_JOURNAL_APPLIED);
	/* the hive written: clean, the logs' change and the fix */
	struct wf_strbuf b = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&b, f->sys, 0, NULL), 0);
	assert_int_equal(wf_hivelog_is_dirty((unsigned char *)b.buf, b.len), 0);
	wf_sb_release(&b);
	struct wf_hive *h = wf_hive_open(f->sys, "SYSTEM", 0, &e);
	assert_non_null(h);
	uint32_t v = 9;
	assert_int_equal(wf_hive_get_dword(h, wf_hive_lookup(h, "ControlSet001\\Services\\LoggedSvc"),
					   "Start", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(wf_hive_get_dword(h, wf_hive_lookup(h, "ControlSet001\\Control\\CrashControl"),
					   "AutoReboot", &v), 0);
	assert_int_equal(v, 0);
	wf_hive_close(h);
	/* the logs: emptied, recorded in the journal with their backups */
	assert_int_equal(size_of(f->log1), 0);
	assert_int_equal(size_of(f->log2), 0);
	int logged = 0;
	for (size_t i = 0; i < r.journal.n_files; i++)
		logged += r.journal.files[i].existed && strstr(r.journal.files[i].path, "SYSTEM.LOG") != NULL;
	assert_int_equal(logged, 2);
	wf_apply_result_free(&r);

	/* undo: the hive and both logs byte for byte */
	if (wf_undo(&f->t, NULL, NULL, &r, &e) < 0)
		fail_msg("undo: %s", e.msg);
	assert_true(same_file(f->sys, f->save_sys));
	assert_true(same_file(f->log1, f->save_log1));
	assert_true(same_file(f->log2, f->save_log2));
	wf_apply_result_free(&r);
	wf_plan_free(&p);
}

/* Logs that cannot be replayed: the executor writes nothing. */
static void test_unreplayable_logs_refused(void **state)
{
	struct fx *f = *state;
	const char *logs[] = { f->log1, f->log2, NULL };
	struct wf_hivelog_result rec;
	struct wf_error e = { 0 };
	assert_int_equal(wf_hivelog_recover_files(f->sys, logs, 3, f->replayed, &rec, &e), 0);
	struct wf_plan p;
	make_plan(f, &p, &rec);
	wf_hivelog_result_free(&rec);
	FILE *fp = fopen(f->log1, "r+b");	/* damage both base blocks */
	fputc('X', fp);
	fclose(fp);
	fp = fopen(f->log2, "r+b");
	fputc('X', fp);
	fclose(fp);
	cp(f->log1, f->save_log1);
	struct wf_apply_result r;
	assert_int_equal(wf_apply(&p, &f->t, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "not cleanly saved"));
	assert_non_null(strstr(e.msg, "no regf signature"));
	assert_true(same_file(f->sys, f->save_sys));
	assert_true(same_file(f->log1, f->save_log1));
	wf_apply_result_free(&r);
	wf_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fix_and_undo_dirty_system, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreplayable_logs_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
