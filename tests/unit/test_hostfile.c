/* Host files without following planted symlinks (hostfile.h): the shapes
 * of the security review's proofs - a symlink planted at the report's
 * name pointing at a root dotfile, a backup folder that is a symlink, a
 * folder others can write to or that belongs to someone else, names read
 * from a guest journal that climb out of a folder, $HOME under sudo -E. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostfile.h"
#include "strbuf.h"

static char dir[] = "/tmp/wf-test-hostfile.XXXXXX";

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

static char *at(const char *name)
{
	static char p[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static char *slurp(const char *path)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	if (wf_sb_read_file(&sb, path, 0, NULL) < 0)
		return NULL;
	return wf_sb_detach(&sb);
}

/* A symlink planted at the final name is replaced, its target untouched. */
static void test_planted_symlink(void **s)
{
	(void)s;
	FILE *f = fopen(at("dotfile"), "w");
	fputs("original\n", f);
	fclose(f);
	assert_int_equal(symlink(at("dotfile"), at("img.virt-winfix-report.txt")), 0);
	assert_int_equal(symlink(at("dotfile"), at("img.virt-winfix-report.txt.tmp")), 0);
	struct wf_error e = { 0 };
	assert_int_equal(wf_hostfile_write_path(at("img.virt-winfix-report.txt"), "report\n", 7, 0644, &e), 0);
	char *d = slurp(at("dotfile")), *r = slurp(at("img.virt-winfix-report.txt"));
	assert_string_equal(d, "original\n");
	assert_string_equal(r, "report\n");
	struct stat st;
	assert_int_equal(lstat(at("img.virt-winfix-report.txt"), &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0644);
	free(d);
	free(r);
}

static void test_private_dirs(void **s)
{
	(void)s;
	struct wf_error e = { 0 };
	/* made fresh: 0700 */
	int fd = wf_hostdir_open(at("bk"), WF_HOSTDIR_CREATE | WF_HOSTDIR_PRIVATE, &e);
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* files through the fd land inside */
	assert_int_equal(wf_hostfile_write(fd, "SYSTEM", "x", 1, 0600, &e), 0);
	close(fd);
	assert_int_equal(access(at("bk/SYSTEM"), F_OK), 0);
	/* a symlink in its place */
	mkdir(at("elsewhere"), 0700);
	assert_int_equal(symlink(at("elsewhere"), at("bk-link")), 0);
	assert_int_equal(wf_hostdir_open(at("bk-link"), WF_HOSTDIR_CREATE | WF_HOSTDIR_PRIVATE, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	/* group/other-writable */
	mkdir(at("bk-open"), 0777);
	chmod(at("bk-open"), 0777);
	assert_int_equal(wf_hostdir_open(at("bk-open"), WF_HOSTDIR_CREATE | WF_HOSTDIR_PRIVATE, &e), -1);
	assert_non_null(strstr(e.msg, "others may write"));
	/* not ours (only testable as root) */
	if (geteuid() == 0) {
		mkdir(at("bk-theirs"), 0700);
		assert_int_equal(chown(at("bk-theirs"), 65534, 65534), 0);
		assert_int_equal(wf_hostdir_open(at("bk-theirs"), WF_HOSTDIR_PRIVATE, &e), -1);
		assert_non_null(strstr(e.msg, "belongs to uid 65534"));
	}
	/* without PRIVATE an open folder is fine (reports beside an image) */
	fd = wf_hostdir_open(at("bk-open"), 0, &e);
	assert_true(fd >= 0);
	close(fd);
}

static void test_names(void **s)
{
	(void)s;
	const char *bad[] = { "", ".", "..", "../../root/.bashrc", "a/b", "id\n1", "x\x7f" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(wf_hostfile_name_ok(bad[i]));
	assert_true(wf_hostfile_name_ok("20240101-120000-1"));
	struct wf_error e = { 0 };
	int fd = wf_hostdir_open(dir, 0, &e);
	assert_int_equal(wf_hostfile_write(fd, "../escape", "x", 1, 0600, &e), -1);
	assert_int_equal(wf_hostdir_openat(fd, "..", 0, &e), -1);
	/* reading through a planted symlink is refused */
	assert_int_equal(symlink("/etc/shadow", at("journal")), 0);
	assert_int_equal(wf_hostfile_open_read(fd, "journal", &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	close(fd);
}

/* $HOME / $XDG_* naming a folder of another user (sudo -E) are not used. */
static void test_user_dir(void **s)
{
	(void)s;
	mkdir(at("mine"), 0700);
	setenv("XDG_STATE_HOME", at("mine"), 1);
	char *d = wf_host_user_dir("XDG_STATE_HOME", ".local/state");
	char want[600];
	snprintf(want, sizeof want, "%s/virt-winfix", at("mine"));
	assert_string_equal(d, want);
	free(d);
	if (geteuid() == 0) {
		mkdir(at("alice"), 0700);
		assert_int_equal(chown(at("alice"), 65534, 65534), 0);
		setenv("XDG_STATE_HOME", at("alice"), 1);
		setenv("HOME", at("alice"), 1);
		d = wf_host_user_dir("XDG_STATE_HOME", ".local/state");
		assert_non_null(d);
		assert_null(strstr(d, "alice"));
		free(d);
	}
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_planted_symlink), cmocka_unit_test(test_private_dirs),
		cmocka_unit_test(test_names), cmocka_unit_test(test_user_dir),
	};
	return cmocka_run_group_tests(t, setup, teardown);
}
