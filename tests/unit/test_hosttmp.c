/* The run's private temporary folder (hosttmp.h): TMPDIR of every child
 * points into it, what a killed child left there (supermin's
 * "supermin.*.tmpdir", a symlink it made) is removed with it, a forked
 * child never removes it, and the appliance cache stays where libguestfs
 * would put it with the original environment. */
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
#include <sys/wait.h>
#include <unistd.h>

#include "hosttmp.h"

static char parent[] = "/tmp/wf-test-hosttmp.XXXXXX";

static int exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static void test_init_cleanup(void **state)
{
	(void)state;
	assert_null(wf_host_tmp_dir());
	setenv("TMPDIR", parent, 1);
	unsetenv("LIBGUESTFS_CACHEDIR");
	struct wf_error e = { 0 };
	const char *d = wf_host_tmp_init(&e);
	assert_non_null(d);
	assert_ptr_equal(d, wf_host_tmp_init(&e));	/* once */
	assert_int_equal(strncmp(d, parent, strlen(parent)), 0);
	assert_string_equal(getenv("TMPDIR"), d);
	assert_string_equal(wf_host_tmp_cachedir(), parent);
	struct stat st;
	assert_int_equal(stat(d, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* what a child killed mid-build leaves: a folder with files and a
	 * symlink pointing out of it (its target must survive) */
	char path[600], keep[600];
	snprintf(keep, sizeof keep, "%s/keep", parent);
	close(open(keep, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof path, "%s/supermin123.tmpdir", d);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/supermin123.tmpdir/base.tar", d);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof path, "%s/supermin123.tmpdir/out", d);
	assert_int_equal(symlink(parent, path), 0);

	/* a forked child exiting through exit() runs atexit: it must not
	 * remove the parent's folder */
	pid_t pid = fork();
	if (pid == 0)
		exit(0);
	int status;
	waitpid(pid, &status, 0);
	assert_true(exists(d));

	char *copy = strdup(d);
	wf_host_tmp_cleanup();
	assert_false(exists(copy));
	assert_true(exists(keep));
	assert_null(wf_host_tmp_dir());
	wf_host_tmp_cleanup();		/* idempotent */
	free(copy);
	unlink(keep);
}

static void test_env_cachedir_respected(void **state)
{
	(void)state;
	setenv("TMPDIR", parent, 1);
	setenv("LIBGUESTFS_CACHEDIR", "/var/tmp", 1);
	struct wf_error e = { 0 };
	assert_non_null(wf_host_tmp_init(&e));
	assert_null(wf_host_tmp_cachedir());	/* libguestfs reads the env */
	wf_host_tmp_cleanup();
}

static void test_unusable_parent(void **state)
{
	(void)state;
	/* a relative or missing TMPDIR falls back to /tmp, as mkstemp users do */
	setenv("TMPDIR", "relative/dir", 1);
	struct wf_error e = { 0 };
	const char *d = wf_host_tmp_init(&e);
	assert_non_null(d);
	assert_int_equal(strncmp(d, "/tmp/virt-winfix.", 17), 0);
	wf_host_tmp_cleanup();
}

int main(void)
{
	if (!mkdtemp(parent))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_cleanup),
		cmocka_unit_test(test_env_cachedir_respected),
		cmocka_unit_test(test_unusable_parent),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(parent);
	return r;
}
