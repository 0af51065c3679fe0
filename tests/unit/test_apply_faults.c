/*
 * test_apply_faults.c - the executor under failure, SQLite-style: every
 * call of the apply path's I/O table (struct wf_apply_io) is made to fail
 * in turn, N = 1, 2, ... until a fix completes without reaching call N.
 * After each failed run: the guest's hive is the old bytes or the new
 * bytes (never a mix), the written file is absent or complete, every
 * backup the journal names matches the hash it records, and undo (run
 * clean) puts the guest back byte for byte.  Then the same for undo: fail
 * call M of an undo, check the hive is old-or-new, and a clean undo after
 * it restores the original.
 *
 * A cancel while the fix stages its files (after the read-write mount,
 * before the commit) replaces nothing and leaves no staged file.
 *
 * Also the host backup folder under attack (security review finding 3):
 * a folder planted as a symlink, one others may write to, and a journal
 * whose id would climb out of the backup folder.
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
#include "apply.h"
#include "hive.h"
#include "journal.h"
#include "plan.h"
#include "regfile.h"
#include "sha256.h"
#include "strbuf.h"

#define HIVE "/Windows/System32/config/SYSTEM"
#define FILE_G "/Windows/System32/drivers/wf-test.sys"
#define SVC "ControlSet001\\Services\\msahci"

static char root[64], bk[80], tmp[80], sys[160], orig[160], gfile[160];
static char old_hex[65], new_hex[65], file_hex[65];
static const char file_data[] = "MZ a driver the fix writes";

static const char base[] =
	"Windows Registry Editor Version 5.00\n\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n\"Current\"=dword:00000001\n\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\msahci]\n"
	"\"Start\"=dword:00000003\n\"Type\"=dword:00000001\n\"Group\"=\"SCSI miniport\"\n\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\msahci\\StartOverride]\n"
	"\"0\"=dword:00000003\n\n";

/* --- the I/O table that fails its Nth call -------------------------------------- */

static struct wf_apply_io inner;
static long calls, fail_at;	/* fail_at 0: never */
static int silent;		/* the fault hit a call without an error (exists, list) */

static int hit(struct wf_error *e)
{
	if (++calls != fail_at)
		return 0;
	silent = e == NULL;
	wf_error_set(e, WF_ERR_INPUT, "injected fault at call %ld", calls);
	return 1;
}

static int f_exists(void *ud, const char *p, uint64_t *s) { return hit(NULL) ? -1 : inner.exists(ud, p, s); }
static int f_download(void *ud, const char *p, const char *h, struct wf_error *e) { return hit(e) ? -1 : inner.download(ud, p, h, e); }
static int f_upload(void *ud, const char *h, const char *p, struct wf_error *e) { return hit(e) ? -1 : inner.upload(ud, h, p, e); }
static int f_rename(void *ud, const char *a, const char *b, struct wf_error *e) { return hit(e) ? -1 : inner.rename(ud, a, b, e); }
static int f_remove(void *ud, const char *p, struct wf_error *e) { return hit(e) ? -1 : inner.remove(ud, p, e); }
static int f_copy(void *ud, const char *a, const char *h, const char *b, struct wf_error *e) { return hit(e) ? -1 : inner.copy(ud, a, h, b, e); }
static int f_mkdir_p(void *ud, const char *p, struct wf_error *e) { return hit(e) ? -1 : inner.mkdir_p(ud, p, e); }
static int f_sync(void *ud, struct wf_error *e) { return hit(e) ? -1 : inner.sync(ud, e); }
static char **f_list(void *ud, const char *p) { return hit(NULL) ? NULL : inner.list(ud, p); }

/* A faulty upload may also leave half a file behind, as a crash would. */
static int f_upload_torn(void *ud, const char *h, const char *p, struct wf_error *e)
{
	if (++calls != fail_at)
		return inner.upload(ud, h, p, e);
	char *dst = wf_xasprintf("%s%s", root, p);
	FILE *f = fopen(dst, "wb");
	if (f) {
		fputs("torn", f);
		fclose(f);
	}
	free(dst);
	return wf_error_set(e, WF_ERR_INPUT, "injected torn upload at call %ld", calls);
}

static struct wf_apply_io faulty(int torn)
{
	struct wf_apply_io io = inner;
	io.exists = f_exists, io.download = f_download, io.upload = torn ? f_upload_torn : f_upload;
	io.rename = f_rename, io.remove = f_remove, io.mkdir_p = f_mkdir_p, io.copy = f_copy;
	io.sync = f_sync, io.list = f_list;
	return io;
}

/* --- the guest ------------------------------------------------------------------- */

static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static void hex_of(const char *path, char hex[65])
{
	struct wf_error e = { 0 };
	if (wf_sha256_file(path, hex, &e) < 0)
		hex[0] = '\0';
}

/* The guest as it was: the original hive, no file, no backups. */
static void reset(void)
{
	sh("rm -rf %s/virt-winfix %s '%s' && cp %s %s", root, bk, gfile, orig, sys);
	sh("rm -f %s/Windows/System32/config/*.wf-new %s/Windows/System32/drivers/*.wf-new", root, root);
}

static void make_plan(struct wf_plan *p)
{
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(sys, "SYSTEM", 0, &e);
	assert_non_null(h);
	wf_plan_init(p);
	wf_plan_add_fix(p, "test");
	wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, SVC, "Start", 0, "test");
	wf_plan_delete_key(p, h, WF_HIVE_SYSTEM, SVC "\\StartOverride", "test");
	wf_plan_write_file(p, FILE_G, file_data, sizeof file_data - 1, 0, 0, "test");
	wf_hive_close(h);
}

static struct wf_apply_target target(const struct wf_apply_io *io)
{
	struct wf_apply_target t = { .io = io, .systemroot = "/Windows",
				     .hive = { HIVE, NULL }, .host_backup_dir = bk,
				     .tmpdir = tmp, .image = "test.img" };
	return t;
}

static int setup(void **state)
{
	(void)state;
	strcpy(root, "/tmp/wf-faults.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(bk, sizeof bk, "%s.backup", root);
	snprintf(tmp, sizeof tmp, "%s.tmp", root);
	snprintf(sys, sizeof sys, "%s%s", root, HIVE);
	snprintf(orig, sizeof orig, "%s/orig-SYSTEM", tmp);
	snprintf(gfile, sizeof gfile, "%s%s", root, FILE_G);
	mkdir(tmp, 0700);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "mkdir -p %s/Windows/System32/config %s/Windows/System32/drivers", root, root);
	if (system(cmd) != 0)
		return -1;
	struct wf_error e = { 0 };
	struct wf_regfile r;
	if (kit_write_minimal_hive(sys, "SYSTEM", &e) < 0 ||
	    wf_regfile_parse_mem("t.reg", base, strlen(base), &r, &e) < 0)
		return -1;
	struct wf_hive *h = wf_hive_open(sys, "SYSTEM", 1, &e);
	int rc = h && wf_regfile_apply(&r, h, "HKEY_LOCAL_MACHINE\\SYSTEM", &e) == 0 &&
		 wf_hive_commit(h, NULL, &e) == 0 ? 0 : -1;
	wf_hive_close(h);
	wf_regfile_free(&r);
	snprintf(cmd, sizeof cmd, "cp %s %s", sys, orig);
	if (rc < 0 || system(cmd) != 0)
		return -1;
	wf_apply_io_dir(&inner, root);
	hex_of(orig, old_hex);
	struct wf_sha256 sh256;
	wf_sha256_init(&sh256);
	wf_sha256_update(&sh256, file_data, sizeof file_data - 1);
	wf_sha256_hex(&sh256, file_hex);
	/* a clean run gives the new hive's bytes */
	struct wf_plan p;
	make_plan(&p);
	struct wf_apply_target t = target(&inner);
	struct wf_apply_result res;
	rc = wf_apply(&p, &t, NULL, &res, &e);
	hex_of(sys, new_hex);
	wf_apply_result_free(&res);
	wf_plan_free(&p);
	reset();
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s %s %s", root, bk, tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* --- the checks ---------------------------------------------------------------------- */

static void check_old_or_new(long n, const char *what)
{
	char h[65];
	hex_of(sys, h);
	if (strcmp(h, old_hex) && strcmp(h, new_hex))
		fail_msg("%s fault at call %ld: the hive is neither the old nor the new bytes", what, n);
	char f[65] = "";
	if (access(gfile, F_OK) == 0) {
		hex_of(gfile, f);
		if (strcmp(f, file_hex))
			fail_msg("%s fault at call %ld: the written file is incomplete", what, n);
	}
}

/* Each backup a host journal names holds the bytes it records. */
static void check_backups(long n)
{
	struct wf_journal *v;
	size_t nj;
	struct wf_error e = { 0 };
	struct wf_apply_target t = target(&inner);
	wf_undo_list(&t, &v, &nj, &e);
	for (size_t i = 0; i < nj; i++)
		for (size_t k = 0; k < v[i].n_hives; k++) {
			char *p = wf_xasprintf("%s/%s/%s", bk, v[i].id, v[i].hives[k].name);
			char h[65];
			hex_of(p, h);
			if (strcmp(h, v[i].hives[k].before))
				fail_msg("fault at call %ld: backup %s does not hold what the journal records", n, p);
			free(p);
		}
	wf_journals_free(v, nj);
}

/* A clean undo (when a journal exists) leaves the original bytes. */
static void check_undo_restores(long n, const char *what)
{
	struct wf_apply_target t = target(&inner);
	struct wf_apply_result r;
	struct wf_error e = { 0 };
	struct wf_journal *v;
	size_t nj;
	wf_undo_list(&t, &v, &nj, &e);
	int pending = 0;
	for (size_t i = 0; i < nj; i++)
		pending |= strcmp(v[i].state, WF_JOURNAL_UNDONE) != 0;
	wf_journals_free(v, nj);
	if (pending && wf_undo(&t, NULL, NULL, &r, &e) < 0)
		fail_msg("%s fault at call %ld: the clean undo failed: %s", what, n, e.msg);
	if (pending)
		wf_apply_result_free(&r);
	char h[65];
	hex_of(sys, h);
	if (strcmp(h, old_hex))
		fail_msg("%s fault at call %ld: after undo the hive is not the original bytes", what, n);
	if (access(gfile, F_OK) == 0)
		fail_msg("%s fault at call %ld: after undo the written file is still there", what, n);
}

/* A fix that says it replaced nothing: the old hive, no file, and no
 * staged copy left beside either. */
static int n_untouched;	/* faults after which the fix said so */

static void check_untouched(long n)
{
	n_untouched++;
	char h[65];
	hex_of(sys, h);
	if (strcmp(h, old_hex) || access(gfile, F_OK) == 0)
		fail_msg("fault at call %ld: 'nothing replaced', but the hive or the file changed", n);
	char *a = wf_xasprintf("%s.wf-new", sys), *b = wf_xasprintf("%s.wf-new", gfile);
	if (access(a, F_OK) == 0 || access(b, F_OK) == 0)
		fail_msg("fault at call %ld: 'nothing replaced', but a staged file is left", n);
	free(a);
	free(b);
}

static long run_apply_faulting(long n, int torn, int *done)
{
	struct wf_apply_io io = faulty(torn);
	struct wf_apply_target t = target(&io);
	struct wf_plan p;
	make_plan(&p);
	struct wf_apply_result r;
	struct wf_error e = { 0 };
	calls = 0;
	silent = 0;
	fail_at = n;
	int rc = wf_apply(&p, &t, NULL, &r, &e);
	fail_at = 0;
	/* done: the run no longer reaches call n.  A fault the executor may
	 * tolerate (exists() saying "unknown") can end in success; then the
	 * guest must be the new state. */
	*done = n == 0 ? rc == 0 : calls < n;
	if (rc < 0 && !silent && !strstr(e.msg, "injected"))
		fail_msg("fault at call %ld: the error does not carry the fault: %s", n, e.msg);
	if (rc == 0) {
		char h[65];
		hex_of(sys, h);
		if (strcmp(h, new_hex))
			fail_msg("fault at call %ld: the fix reports success but the hive is not the new one", n);
	}
	if (rc < 0 && strstr(e.msg, "nothing in the guest was replaced"))
		check_untouched(n);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	return calls;
}

static void apply_every_call(int torn)
{
	long n = 1;
	int done = 0;
	n_untouched = 0;
	for (; !done && n < 1000; n++) {
		reset();
		run_apply_faulting(n, torn, &done);
		check_old_or_new(n, "apply");
		check_backups(n);
		check_undo_restores(n, "apply");
	}
	assert_true(done);
	printf("  apply%s: failed each of calls 1..%ld in turn; all consistent (%d replaced nothing)\n",
	       torn ? " (torn uploads)" : "", n - 2, n_untouched);
	assert_true(n_untouched > 0);
	assert_true(n > 10);
}

static void test_apply_faults(void **state) { (void)state; apply_every_call(0); }
static void test_apply_torn(void **state) { (void)state; apply_every_call(1); }

static void test_undo_faults(void **state)
{
	(void)state;
	long m = 1;
	int done = 0;
	for (; !done && m < 1000; m++) {
		reset();
		int ok;
		run_apply_faulting(0, 0, &ok);
		assert_true(ok);
		struct wf_apply_io io = faulty(0);
		struct wf_apply_target t = target(&io);
		struct wf_apply_result r;
		struct wf_error e = { 0 };
		calls = 0;
		silent = 0;
		fail_at = m;
		int rc = wf_undo(&t, NULL, NULL, &r, &e);
		fail_at = 0;
		done = calls < m;
		if (rc < 0 && !silent && !strstr(e.msg, "injected"))
			fail_msg("undo fault at call %ld: the error does not carry the fault: %s", m, e.msg);
		wf_apply_result_free(&r);
		check_old_or_new(m, "undo");
		check_undo_restores(m, "undo");
	}
	assert_true(done);
	printf("  undo: failed each of calls 1..%ld in turn; all consistent\n", m - 2);
}

/* --- a cancel during the staging ------------------------------------------------------ */

/* The progress callback presses Ctrl-C when the hive is being staged
 * (apply.h: cancel is honoured until the commit starts). */
static volatile int stop_now;

static void cancel_at_hive(void *ud, unsigned step, unsigned total, const char *msg)
{
	(void)ud, (void)step, (void)total;
	if (strstr(msg, "replacing the SYSTEM hive"))
		stop_now = 1;
}

/* Cancelled between the read-write mount and the commit, after everything
 * was staged: nothing replaced, nothing staged left, the journal there
 * for undo. */
static void test_cancel_after_staging(void **state)
{
	(void)state;
	reset();
	struct wf_plan p;
	make_plan(&p);
	struct wf_apply_target t = target(&inner);
	struct wf_apply_opts o = { .progress = cancel_at_hive, .cancel = &stop_now };
	struct wf_apply_result r;
	struct wf_error e = { 0 };
	stop_now = 0;
	assert_int_equal(wf_apply(&p, &t, &o, &r, &e), -1);
	assert_int_equal(e.kind, WF_ERR_CANCELLED);
	wf_apply_result_free(&r);
	char h[65];
	hex_of(sys, h);
	assert_string_equal(h, old_hex);
	assert_int_equal(access(gfile, F_OK), -1);
	char *staged = wf_xasprintf("%s.wf-new", sys);
	assert_int_equal(access(staged, F_OK), -1);
	free(staged);
	staged = wf_xasprintf("%s.wf-new", gfile);
	assert_int_equal(access(staged, F_OK), -1);
	free(staged);
	check_backups(0);
	check_undo_restores(0, "cancel");
	wf_plan_free(&p);
}

/* --- the host backup folder under attack ------------------------------------------- */

static void test_backup_folder_symlink(void **state)
{
	(void)state;
	reset();
	char elsewhere[120];
	snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", tmp);
	mkdir(elsewhere, 0700);
	assert_int_equal(symlink(elsewhere, bk), 0);
	struct wf_plan p;
	make_plan(&p);
	struct wf_apply_target t = target(&inner);
	struct wf_apply_result r;
	struct wf_error e = { 0 };
	assert_int_equal(wf_apply(&p, &t, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	wf_apply_result_free(&r);
	char h[65];
	hex_of(sys, h);
	assert_string_equal(h, old_hex);	/* nothing changed */
	sh("test -z \"$(ls -A %s)\"", elsewhere);
	unlink(bk);
	/* a folder others may write to */
	mkdir(bk, 0777);
	chmod(bk, 0777);
	assert_int_equal(wf_apply(&p, &t, NULL, &r, &e), -1);
	assert_non_null(strstr(e.msg, "others may write"));
	wf_apply_result_free(&r);
	rmdir(bk);
	/* fresh: 0700 */
	assert_int_equal(wf_apply(&p, &t, NULL, &r, &e), 0);
	struct stat st;
	assert_int_equal(lstat(bk, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	char *sub = wf_xasprintf("%s/%s", bk, r.journal.id);
	assert_int_equal(lstat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	free(sub);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
}

/* undo of a fix whose id names a symlink planted in the backup folder:
 * the journal is not written through it. */
static void test_undo_planted_symlink(void **state)
{
	(void)state;
	reset();
	struct wf_plan p;
	make_plan(&p);
	struct wf_apply_target t = target(&inner);
	struct wf_apply_result r;
	struct wf_error e = { 0 };
	assert_int_equal(wf_apply(&p, &t, NULL, &r, &e), 0);
	char *id = wf_xstrdup(r.journal.id);
	wf_apply_result_free(&r);
	wf_plan_free(&p);
	char victim[120];
	snprintf(victim, sizeof victim, "%s/victim", tmp);
	mkdir(victim, 0700);
	sh("rm -rf %s/%s && ln -s %s %s/%s", bk, id, victim, bk, id);
	int rc = wf_undo(&t, id, NULL, &r, &e);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	wf_apply_result_free(&r);
	sh("test -z \"$(ls -A %s)\"", victim);
	/* ids that are not ids */
	const char *bad[] = { "..", "../../etc", "x/y", ".hidden", "a\nb" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(wf_undo(&t, bad[i], NULL, &r, &e), -1);
		assert_int_equal(e.kind, WF_ERR_USAGE);
		wf_apply_result_free(&r);
		assert_false(wf_journal_id_ok(bad[i]));
	}
	assert_true(wf_journal_id_ok(id));
	/* a guest journal claiming such an id is not a journal */
	const char *j = "{\"format\":\"virt-winfix journal 1\",\"id\":\"..\",\"state\":\"applied\"}";
	struct wf_journal jj;
	assert_int_equal(wf_journal_parse(j, strlen(j), "j", &jj, &e), -1);
	free(id);
	sh("rm -f %s/%s", bk, "*");
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_apply_faults), cmocka_unit_test(test_apply_torn),
		cmocka_unit_test(test_undo_faults), cmocka_unit_test(test_cancel_after_staging),
		cmocka_unit_test(test_backup_folder_symlink),
		cmocka_unit_test(test_undo_planted_symlink),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
