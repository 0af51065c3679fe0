/*
 * test_error.c - error messages are one line, whatever they quote
 * (libguestfs' mount errors and libxml2's carry line breaks), and
 * wf_error_prefix keeps them so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "error.h"

static void test_one_line(void **state)
{
	(void)state;
	struct wf_error e = { 0 };
	assert_int_equal(wf_error_set(&e, WF_ERR_INPUT, "%s: not readable: %s", "/tmp/x.iso",
				      "mount: wrong fs type.\n       dmesg(1) may have more.\n"), -1);
	assert_string_equal(e.msg, "/tmp/x.iso: not readable: mount: wrong fs type. dmesg(1) may have more.");
	assert_int_equal(e.kind, WF_ERR_INPUT);
	wf_error_set(&e, WF_ERR_INPUT, "a\r\n\r\nb\tc  ");
	assert_string_equal(e.msg, "a b\tc");
	wf_error_prefix(&e, "head\nline");
	assert_string_equal(e.msg, "head line: a b\tc");
	assert_null(strchr(e.msg, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_one_line) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
