/* The session's bookkeeping that needs no appliance: drive names as
 * libguestfs gives them (guestfs(3), "BLOCK DEVICE NAMING": /dev/sda ...
 * /dev/sdz, /dev/sdaa), computed rather than asked, and which drives are
 * writable (those the write protection covers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static struct wf_session *with_drives(size_t n, int first_writable)
{
	struct wf_error e = { 0 };
	struct wf_session *s = wf_session_new(&e);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		struct wf_image img = { .path = "/nonexistent.img", .format = WF_FMT_RAW };
		assert_int_equal(wf_session_add(s, &img, !(first_writable && i == 0), &e), 0);
	}
	return s;
}

static void expect_device(struct wf_session *s, size_t i, const char *want)
{
	char *d = wf_session_device(s, i);
	if (!want) {
		assert_null(d);
		return;
	}
	assert_non_null(d);
	assert_string_equal(d, want);
	free(d);
}

static void test_device_names(void **state)
{
	(void)state;
	struct wf_session *s = with_drives(704, 0);
	expect_device(s, 0, "/dev/sda");
	expect_device(s, 1, "/dev/sdb");
	expect_device(s, 25, "/dev/sdz");
	expect_device(s, 26, "/dev/sdaa");
	expect_device(s, 27, "/dev/sdab");
	expect_device(s, 51, "/dev/sdaz");
	expect_device(s, 52, "/dev/sdba");
	expect_device(s, 701, "/dev/sdzz");
	expect_device(s, 702, "/dev/sdaaa");
	expect_device(s, 704, NULL);	/* no such drive */
	wf_session_close(s);
}

static void test_writable_drives(void **state)
{
	(void)state;
	struct wf_session *ro = with_drives(2, 0), *rw = with_drives(2, 1);
	assert_int_equal(wf_session_has_writable(ro), 0);
	assert_int_equal(wf_session_has_writable(rw), 1);
	/* read-only drives only: nothing to protect, no call to an appliance */
	struct wf_error e = { 0 };
	assert_int_equal(wf_session_set_writable(ro, 1, &e), 0);
	wf_session_close(ro);
	wf_session_close(rw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_names),
		cmocka_unit_test(test_writable_drives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
