/* The one escaping of terminal and report text (text.h): C0, DEL, C1
 * (U+0080-U+009F) and invalid UTF-8 bytes as \xNN, valid UTF-8 kept; the
 * shapes of the security review's proofs (OSC 52 clipboard write, a title
 * change, a faked plan line after a newline). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "text.h"

static void check(const char *in, int flags, const char *want)
{
	char *got = wf_text_escape(in, flags);
	assert_string_equal(got, want);
	assert_int_equal(wf_text_needs_escape(in, flags), strcmp(in, want) != 0);
	free(got);
}

static void test_controls(void **s)
{
	(void)s;
	check("plain ASCII, é, 日本, 😀", 0, "plain ASCII, é, 日本, 😀");
	check("", 0, "");
	/* OSC 52: write the clipboard */
	check("\x1b]52;c;cm0gLXJmIH4K\x07", 0, "\\x1b]52;c;cm0gLXJmIH4K\\x07");
	/* the same in 8-bit C1 form, UTF-8 encoded (U+009D OSC, U+009C ST) */
	check("\xc2\x9d" "0;pwned\xc2\x9c", 0, "\\xc2\\x9d0;pwned\\xc2\\x9c");
	/* a raw C1 byte (invalid UTF-8) and DEL */
	check("a\x9b" "2Jb\x7f", 0, "a\\x9b2Jb\\x7f");
	/* a faked plan line: the newline cannot start a line of its own */
	check("svc\n  + set Start=0 (nothing else changes)", 0,
	      "svc\\x0a  + set Start=0 (nothing else changes)");
	check("line one\n\tline two\r\n", WF_ESC_KEEP_LINES, "line one\n\tline two\\x0d\n");
	/* U+00A0 is not C1; overlong and surrogate forms are invalid bytes */
	check("\xc2\xa0\xc0\x8a\xed\xa0\x80", 0, "\xc2\xa0\\xc0\\x8a\\xed\\xa0\\x80");
	/* a truncated sequence at the end */
	check("ok\xe6\x97", 0, "ok\\xe6\\x97");
}

static void test_pool(void **s)
{
	(void)s;
	struct wf_text_pool p = { 0 };
	const char *clean = "hostname";
	assert_ptr_equal(wf_text_pool_esc(&p, clean), clean);
	assert_null(wf_text_pool_esc(&p, NULL));
	assert_string_equal(wf_text_pool_esc(&p, "a\nb"), "a\\x0ab");
	assert_int_equal(p.n, 1);
	wf_text_pool_free(&p);
	assert_int_equal(p.n, 0);
}

/* Linear: 4 MB of control bytes escape in one pass. */
static void test_big(void **s)
{
	(void)s;
	size_t n = 4 << 20;
	char *in = malloc(n + 1);
	memset(in, 0x1b, n);
	in[n] = '\0';
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_add_escaped(&sb, in, n, 0);
	assert_int_equal(sb.len, 4 * n);
	wf_sb_release(&sb);
	free(in);
}

int main(void)
{
	const struct CMUnitTest t[] = {
		cmocka_unit_test(test_controls), cmocka_unit_test(test_pool),
		cmocka_unit_test(test_big),
	};
	return cmocka_run_group_tests(t, NULL, NULL);
}
