/*
 * test_regfile.c - .reg parsing (every syntax form, every encoding, every
 * error with its line) and applying onto a minimal hive.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "hive.h"
#include "regfile.h"
#include "strbuf.h"
#include "text.h"

#define V5 "Windows Registry Editor Version 5.00\r\n\r\n"

static struct wf_regfile parse_ok(const char *text)
{
	struct wf_regfile r;
	struct wf_error e = { 0 };
	int rc = wf_regfile_parse_mem("t.reg", text, strlen(text), &r, &e);
	if (rc != 0)
		fail_msg("unexpected parse error: %s", e.msg);
	return r;
}

/* Parse must fail; the message must name the file, the line and `what`. */
static void parse_err(const char *text, unsigned long line, const char *what)
{
	struct wf_regfile r;
	struct wf_error e = { 0 };
	int rc = wf_regfile_parse_mem("bad.reg", text, strlen(text), &r, &e);
	if (rc == 0) {
		wf_regfile_free(&r);
		fail_msg("parse of [%s] should have failed (%s)", text, what);
	}
	char want[64];
	snprintf(want, sizeof want, "bad.reg: line %lu: ", line);
	if (strncmp(e.msg, want, strlen(want)) != 0 || !strstr(e.msg, what))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", e.msg, want, what);
	assert_int_equal(r.n, 0);
	assert_null(r.ops);
}

/* UTF-16LE bytes of an ASCII/UTF-8 string, with the NUL. */
static void assert_utf16(const struct wf_reg_op *op, const char *utf8)
{
	size_t len;
	void *w = wf_utf8_to_utf16le(utf8, &len);
	assert_int_equal(op->len, len);
	assert_memory_equal(op->data, w, len);
	free(w);
}

/* ------------------------------------------------------------------ */
/* syntax                                                              */

static void test_headers(void **state)
{
	struct wf_regfile r = parse_ok("Windows Registry Editor Version 5.00\n");
	assert_int_equal(r.n, 0);
	assert_string_equal(r.path, "t.reg");
	wf_regfile_free(&r);
	r = parse_ok("REGEDIT4\r\n\r\n[A]\r\n");
	assert_int_equal(r.n, 1);
	wf_regfile_free(&r);
	/* blank lines before the header are tolerated */
	r = parse_ok("\n\n" V5 "[A]\n");
	assert_int_equal(r.ops[0].line, 5);
	wf_regfile_free(&r);

	parse_err("[HKEY_LOCAL_MACHINE\\X]\n", 1, "not a .reg file");
	parse_err("\n\nWindows Registry Editor Version 4.00\n", 3, "not a .reg file");
	parse_err("", 1, "not a .reg file");
	parse_err("\n  \n", 1, "not a .reg file");
}

static void test_keys(void **state)
{
	struct wf_regfile r = parse_ok(V5
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\r\n"
		"\r\n"
		"[-HKEY_LOCAL_MACHINE\\SYSTEM\\Old Key]  \r\n"
		"  [HKLM\\SYSTEM\\With ] bracket]\n");
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ops[0].kind, WF_REGOP_KEY);
	assert_string_equal(r.ops[0].key, "HKEY_LOCAL_MACHINE\\SYSTEM\\Select");
	assert_int_equal(r.ops[0].line, 3);
	assert_int_equal(r.ops[1].kind, WF_REGOP_DELETE_KEY);
	assert_string_equal(r.ops[1].key, "HKEY_LOCAL_MACHINE\\SYSTEM\\Old Key");
	assert_int_equal(r.ops[1].line, 5);
	assert_int_equal(r.ops[2].kind, WF_REGOP_KEY);
	assert_string_equal(r.ops[2].key, "HKLM\\SYSTEM\\With ] bracket");
	wf_regfile_free(&r);
}

static void test_strings(void **state)
{
	struct wf_regfile r = parse_ok(V5
		"[K]\n"
		"\"Plain\"=\"hello\"\n"
		"@=\"the default\"\n"
		"\"Esc \\\"q\\\" \\\\\"=\"C:\\\\Windows\\\\\\\"x\\\"\"\n"
		"\"Empty\"=\"\"\n"
		"\"Spaces\" = \"a b \"  ; trailing comment\n"
		"\"Semi;colon\"=\"x;y\"\n");
	assert_int_equal(r.n, 7);
	assert_int_equal(r.ops[1].kind, WF_REGOP_VALUE);
	assert_string_equal(r.ops[1].key, "K");
	assert_string_equal(r.ops[1].name, "Plain");
	assert_int_equal(r.ops[1].type, WF_REG_SZ);
	assert_utf16(&r.ops[1], "hello");
	assert_int_equal(r.ops[1].line, 4);
	assert_string_equal(r.ops[2].name, "");
	assert_utf16(&r.ops[2], "the default");
	assert_string_equal(r.ops[3].name, "Esc \"q\" \\");
	assert_utf16(&r.ops[3], "C:\\Windows\\\"x\"");
	assert_utf16(&r.ops[4], "");
	assert_string_equal(r.ops[5].name, "Spaces");
	assert_utf16(&r.ops[5], "a b ");
	assert_string_equal(r.ops[6].name, "Semi;colon");
	assert_utf16(&r.ops[6], "x;y");
	wf_regfile_free(&r);
}

static void test_dword_hex(void **state)
{
	struct wf_regfile r = parse_ok(V5
		"[K]\n"
		"\"D\"=dword:0000001a\n"
		"\"D2\"=DWORD:FFFFFFFF\n"
		"\"D3\"=dword:1\n"
		"\"B\"=hex:de,AD,be,ef\n"
		"\"B0\"=hex:\n"
		"\"N\"=hex(0):\n"
		"\"X\"=hex(2):25,00,41,00,25,00,00,00\n"
		"\"M\"=hex(7):61,00,00,00,62,00,00,00,00,00\n"
		"\"Q\"=hex(b):08,07,06,05,04,03,02,01\n"
		"\"T\"=hex(100):01,\n");
	assert_int_equal(r.n, 11);
	const unsigned char d[] = { 0x1a, 0, 0, 0 }, d2[] = { 0xff, 0xff, 0xff, 0xff },
		d3[] = { 1, 0, 0, 0 }, b[] = { 0xde, 0xad, 0xbe, 0xef },
		x[] = { 0x25, 0, 0x41, 0, 0x25, 0, 0, 0 },
		m[] = { 0x61, 0, 0, 0, 0x62, 0, 0, 0, 0, 0 },
		q[] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	assert_int_equal(r.ops[1].type, WF_REG_DWORD);
	assert_int_equal(r.ops[1].len, 4);
	assert_memory_equal(r.ops[1].data, d, 4);
	assert_memory_equal(r.ops[2].data, d2, 4);
	assert_memory_equal(r.ops[3].data, d3, 4);
	assert_int_equal(r.ops[4].type, WF_REG_BINARY);
	assert_int_equal(r.ops[4].len, 4);
	assert_memory_equal(r.ops[4].data, b, 4);
	assert_int_equal(r.ops[5].type, WF_REG_BINARY);
	assert_int_equal(r.ops[5].len, 0);
	assert_int_equal(r.ops[6].type, WF_REG_NONE);
	assert_int_equal(r.ops[6].len, 0);
	assert_int_equal(r.ops[7].type, WF_REG_EXPAND_SZ);
	assert_int_equal(r.ops[7].len, sizeof x);
	assert_memory_equal(r.ops[7].data, x, sizeof x);
	assert_int_equal(r.ops[8].type, WF_REG_MULTI_SZ);
	assert_int_equal(r.ops[8].len, sizeof m);
	assert_memory_equal(r.ops[8].data, m, sizeof m);
	assert_int_equal(r.ops[9].type, WF_REG_QWORD);
	assert_memory_equal(r.ops[9].data, q, 8);
	assert_int_equal(r.ops[10].type, 0x100);
	assert_int_equal(r.ops[10].len, 1);
	wf_regfile_free(&r);
}

static void test_str_n(void **state)
{
	struct wf_regfile r = parse_ok(V5
		"[K]\n"
		"\"Host\"=str(1):\"windows.invalid\"\n"
		"\"Path\"=str(2):\"%SystemRoot%\\\\x\"\n"
		"\"Odd\"=str(a):\"v\"\n");
	assert_int_equal(r.ops[1].type, WF_REG_SZ);
	assert_utf16(&r.ops[1], "windows.invalid");
	assert_int_equal(r.ops[2].type, WF_REG_EXPAND_SZ);
	assert_utf16(&r.ops[2], "%SystemRoot%\\x");
	assert_int_equal(r.ops[3].type, 10);
	wf_regfile_free(&r);
}

static void test_continuation(void **state)
{
	struct wf_regfile r = parse_ok(V5
		"[K]\r\n"
		"\"B\"=hex:01,02,\\\r\n"
		"  03,04,\\\r\n"
		"\t05\r\n"
		"\"After\"=dword:00000002\r\n"
		"\"Long\"=hex(7):41,00,\\\n"
		"  00,00,00,00\n");
	assert_int_equal(r.n, 4);
	const unsigned char b[] = { 1, 2, 3, 4, 5 };
	assert_int_equal(r.ops[1].len, 5);
	assert_memory_equal(r.ops[1].data, b, 5);
	assert_int_equal(r.ops[1].line, 4);
	assert_int_equal(r.ops[2].line, 7);
	assert_int_equal(r.ops[3].len, 6);
	wf_regfile_free(&r);
	/* a continuation at the end of the file */
	r = parse_ok(V5 "[K]\n\"B\"=hex:01,\\\n");
	assert_int_equal(r.ops[1].len, 1);
	wf_regfile_free(&r);
}

static void test_comments_deletes(void **state)
{
	struct wf_regfile r = parse_ok(V5
		"; leading comment\n"
		"[K]\n"
		"   ; indented comment \\\n"
		"\"Gone\"=-\n"
		"@=-\n"
		"\n"
		"[-K\\Sub]\n");
	assert_int_equal(r.n, 4);
	assert_int_equal(r.ops[1].kind, WF_REGOP_DELETE_VALUE);
	assert_string_equal(r.ops[1].name, "Gone");
	assert_int_equal(r.ops[1].line, 6);
	assert_int_equal(r.ops[2].kind, WF_REGOP_DELETE_VALUE);
	assert_string_equal(r.ops[2].name, "");
	assert_int_equal(r.ops[3].kind, WF_REGOP_DELETE_KEY);
	assert_string_equal(r.ops[3].key, "K\\Sub");
	wf_regfile_free(&r);
}

/* ------------------------------------------------------------------ */
/* encodings                                                           */

static const char enc_text[] =
	"Windows Registry Editor Version 5.00\r\n\r\n"
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Caf\xc3\xa9]\r\n"
	"\"Name\"=\"Gr\xc3\xbc\xc3\x9f \xe2\x82\xac\"\r\n";

static void check_enc(struct wf_regfile *r)
{
	assert_int_equal(r->n, 2);
	assert_string_equal(r->ops[0].key, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Caf\xc3\xa9");
	assert_utf16(&r->ops[1], "Gr\xc3\xbc\xc3\x9f \xe2\x82\xac");
	assert_int_equal(r->ops[1].line, 4);
}

static void test_utf16le(void **state)
{
	size_t len;
	unsigned char *w = wf_utf8_to_utf16le(enc_text, &len);
	len -= 2;	/* drop the NUL */
	unsigned char *buf = malloc(len + 2);
	buf[0] = 0xff;
	buf[1] = 0xfe;
	memcpy(buf + 2, w, len);
	struct wf_regfile r;
	struct wf_error e = { 0 };
	assert_int_equal(wf_regfile_parse_mem("u16.reg", buf, len + 2, &r, &e), 0);
	check_enc(&r);
	wf_regfile_free(&r);
	/* without its BOM */
	assert_int_equal(wf_regfile_parse_mem("u16.reg", w, len, &r, &e), 0);
	check_enc(&r);
	wf_regfile_free(&r);
	/* odd length */
	assert_int_equal(wf_regfile_parse_mem("u16.reg", buf, len + 1, &r, &e), -1);
	assert_non_null(strstr(e.msg, "u16.reg"));
	/* big-endian BOM */
	buf[0] = 0xfe;
	buf[1] = 0xff;
	assert_int_equal(wf_regfile_parse_mem("be.reg", buf, len + 2, &r, &e), -1);
	assert_non_null(strstr(e.msg, "big-endian"));
	free(buf);
	free(w);
}

static void test_utf8(void **state)
{
	struct wf_regfile r;
	struct wf_error e = { 0 };
	assert_int_equal(wf_regfile_parse_mem("u8.reg", enc_text, strlen(enc_text), &r, &e), 0);
	check_enc(&r);
	wf_regfile_free(&r);
	char *bom = wf_xasprintf("\xef\xbb\xbf%s", enc_text);
	assert_int_equal(wf_regfile_parse_mem("u8.reg", bom, strlen(bom), &r, &e), 0);
	check_enc(&r);
	wf_regfile_free(&r);
	free(bom);
}

static void test_ansi(void **state)
{
	/* Latin-1: 0xe9 = e-acute, 0xfc = u-umlaut; not valid UTF-8 */
	const char text[] = "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Caf\xe9]\r\n"
			    "\"N\"=\"\xfc\"\r\n"
			    "\"M\"=hex(7):61,00,62,00,00\r\n"
			    "\"B\"=hex:61,00\r\n";
	struct wf_regfile r;
	struct wf_error e = { 0 };
	assert_int_equal(wf_regfile_parse_mem("a.reg", text, strlen(text), &r, &e), 0);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.ops[0].key, "HKEY_LOCAL_MACHINE\\SOFTWARE\\Caf\xc3\xa9");
	assert_utf16(&r.ops[1], "\xc3\xbc");
	/* REGEDIT4 multi-strings are 8-bit: widened to UTF-16LE */
	const unsigned char m[] = { 'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0 };
	assert_int_equal(r.ops[2].len, sizeof m);
	assert_memory_equal(r.ops[2].data, m, sizeof m);
	/* binary stays as written */
	assert_int_equal(r.ops[3].len, 2);
	wf_regfile_free(&r);
	/* NUL bytes in an 8-bit file */
	assert_int_equal(wf_regfile_parse_mem("n.reg", "REGEDIT4\n\0[K]\n", 14, &r, &e), -1);
	assert_non_null(strstr(e.msg, "n.reg: NUL"));
}

/* ------------------------------------------------------------------ */
/* errors: each names the file and the line                            */

static void test_errors(void **state)
{
	parse_err(V5 "\"v\"=dword:1\n", 3, "value before any [key]");
	parse_err(V5 "[K]\n\"v\"=dword:123456789\n", 4, "bad dword");
	parse_err(V5 "[K]\n\"v\"=dword:\n", 4, "bad dword");
	parse_err(V5 "[K]\n\"v\"=dword:12 x\n", 4, "bad dword");
	parse_err(V5 "[K]\n\n\"v\"=hex:0g\n", 5, "bad hex byte");
	parse_err(V5 "[K]\n\"v\"=hex:123\n", 4, "bad hex byte \"123\"");
	parse_err(V5 "[K]\n\"v\"=hex:01,,02\n", 4, "bad hex byte");
	parse_err(V5 "[K]\n\"v\"=hex:01 02\n", 4, "expected ','");
	parse_err(V5 "[K]\n\"v\"=hex(:01\n", 4, "bad hex(N)");
	parse_err(V5 "[K]\n\"v\"=hex(2)01\n", 4, "bad hex(N)");
	parse_err(V5 "[K]\n\"v\"=str(1)\"x\"\n", 4, "bad str(N)");
	parse_err(V5 "[K]\n\"v\"=str(1):\"x\n", 4, "unterminated string");
	parse_err(V5 "[K]\n\"v\"=\"abc\n", 4, "unterminated string");
	parse_err(V5 "[K]\n\"v\"=\"a\\b\"\n", 4, "unknown escape");
	parse_err(V5 "[K]\n\"v\"=\"a\" b\n", 4, "unexpected text after the string");
	parse_err(V5 "[K]\n\"v\"=sz:x\n", 4, "unknown data");
	parse_err(V5 "[K]\n\"v\"=\n", 4, "unknown data");
	parse_err(V5 "[K]\n\"v\" dword:1\n", 4, "expected '='");
	parse_err(V5 "[K]\n\"v=dword:1\n", 4, "unterminated value name");
	parse_err(V5 "[K\n", 3, "closing ']'");
	parse_err(V5 "[K] x\n", 3, "closing ']'");
	parse_err(V5 "[]\n", 3, "empty key name");
	parse_err(V5 "[-]\n", 3, "empty key name");
	parse_err(V5 "[K]\nvalue=1\n", 4, "unexpected text");
	parse_err(V5 "[-K]\n\"v\"=dword:1\n", 4, "deleted key");
	/* the line of a continued entry is where it starts */
	parse_err(V5 "[K]\n\"v\"=hex:01,\\\n  02,\\\n  zz\n", 4, "bad hex byte");
	/* errors after CRLF lines and comments count lines the same way */
	parse_err(V5 "; c\r\n[K]\r\n\r\n\"v\"=dword:x\r\n", 6, "bad dword");
}

static void test_parse_file(void **state)
{
	char path[] = "/tmp/wf-regfile-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = V5 "[K]\n\"v\"=dword:00000005\n";
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	struct wf_regfile r;
	struct wf_error e = { 0 };
	assert_int_equal(wf_regfile_parse(path, &r, &e), 0);
	assert_string_equal(r.path, path);
	assert_int_equal(r.n, 2);
	wf_regfile_free(&r);
	unlink(path);
	assert_int_equal(wf_regfile_parse(path, &r, &e), -1);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "cannot open"));
	wf_regfile_free(&r);	/* harmless on a zeroed struct */
}

/* ------------------------------------------------------------------ */
/* applying onto a minimal hive                                        */

struct fx {
	char dir[64];
	char hive[96];
	char out[96];
	struct wf_hive *h;
};

static int setup_hive(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct wf_error e = { 0 };
	strcpy(f->dir, "/tmp/wf-regapply.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->hive, sizeof f->hive, "%s/SYSTEM", f->dir);
	snprintf(f->out, sizeof f->out, "%s/SYSTEM.new", f->dir);
	if (kit_write_minimal_hive(f->hive, NULL, &e) < 0)
		return -1;
	f->h = wf_hive_open(f->hive, "SYSTEM", 1, &e);
	if (!f->h)
		return -1;
	*state = f;
	return 0;
}

static int teardown_hive(void **state)
{
	struct fx *f = *state;
	if (f->h)
		wf_hive_close(f->h);
	unlink(f->hive);
	unlink(f->out);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int apply_text(struct wf_hive *h, const char *text, const char *prefix,
		      struct wf_error *e)
{
	struct wf_regfile r;
	if (wf_regfile_parse_mem("a.reg", text, strlen(text), &r, e) < 0)
		fail_msg("parse: %s", e->msg);
	int rc = wf_regfile_apply(&r, h, prefix, e);
	wf_regfile_free(&r);
	return rc;
}

static const char system_reg[] = V5
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n"
	"\"Current\"=dword:00000002\n"
	"\"Default\"=dword:00000002\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001]\n"
	"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\Tcpip\\Parameters]\n"
	"\"Hostname\"=str(1):\"windows.invalid\"\n"
	"@=\"default\"\n"
	"\"Multi\"=hex(7):61,00,00,00,62,00,63,00,00,00,00,00\n"
	"\"Bin\"=hex:01,02,03\n"
	"\"Q\"=hex(b):01,00,00,00,00,00,00,00\n"
	"[HKLM\\SYSTEM\\CurrentControlSet\\Services\\viostor]\n"
	"\"Start\"=dword:00000000\n"
	"\"ImagePath\"=hex(2):73,00,00,00\n"
	"[hkey_local_machine\\system\\MountedDevices]\n";

static void test_apply_read_back(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	struct wf_hive *h = f->h;
	if (apply_text(h, system_reg, "HKEY_LOCAL_MACHINE\\SYSTEM", &e) < 0)
		fail_msg("apply: %s", e.msg);
	assert_int_equal(wf_hive_commit(h, f->out, &e), 0);
	wf_hive_close(h);
	f->h = h = wf_hive_open(f->out, "SYSTEM", 0, &e);
	assert_non_null(h);

	assert_int_equal(wf_hive_select(h, "Current"), 2);
	wf_node p = wf_hive_lookup(h, "ControlSet002\\Services\\Tcpip\\Parameters");
	assert_true(p != 0);
	char *s = wf_hive_get_string(h, p, "Hostname");
	assert_string_equal(s, "windows.invalid");
	free(s);
	s = wf_hive_get_string(h, p, NULL);
	assert_string_equal(s, "default");
	free(s);
	size_t n;
	char **m = wf_hive_get_multi(h, p, "Multi", &n);
	assert_int_equal(n, 2);
	assert_string_equal(m[0], "a");
	assert_string_equal(m[1], "bc");
	wf_strv_free(m, n);
	uint32_t type;
	void *data;
	size_t len;
	assert_int_equal(wf_hive_get_raw(h, p, "Bin", &type, &data, &len), 0);
	assert_int_equal(type, WF_REG_BINARY);
	assert_int_equal(len, 3);
	free(data);
	assert_int_equal(wf_hive_get_raw(h, p, "Q", &type, &data, &len), 0);
	assert_int_equal(type, WF_REG_QWORD);
	assert_int_equal(len, 8);
	free(data);

	/* CurrentControlSet went to ControlSet002 (Select\Current = 2) */
	wf_node v = wf_hive_lookup(h, "ControlSet002\\Services\\viostor");
	assert_true(v != 0);
	uint32_t start = 9;
	assert_int_equal(wf_hive_get_dword(h, v, "Start", &start), 0);
	assert_int_equal(start, 0);
	assert_int_equal(wf_hive_get_raw(h, v, "ImagePath", &type, &data, &len), 0);
	assert_int_equal(type, WF_REG_EXPAND_SZ);
	free(data);
	assert_int_equal(wf_hive_lookup(h, "ControlSet001\\Services"), 0);
	assert_int_equal(wf_hive_child(h, wf_hive_root(h), "CurrentControlSet"), 0);
	assert_true(wf_hive_lookup(h, "MountedDevices") != 0);
}

static void test_apply_deletes(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	if (apply_text(f->h, system_reg, "HKLM\\SYSTEM", &e) < 0)
		fail_msg("apply: %s", e.msg);
	const char del[] = V5
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]\n"
		"\"Bin\"=-\n"
		"@=-\n"
		"\"NotThere\"=-\n"
		"[-HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet002\\Services\\viostor]\n"
		"[-HKEY_LOCAL_MACHINE\\SYSTEM\\NoSuchKey\\Below]\n"
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\Gone\\Child]\n"
		"\"x\"=dword:1\n"
		"[-HKEY_LOCAL_MACHINE\\SYSTEM\\Gone]\n";
	if (apply_text(f->h, del, "HKEY_LOCAL_MACHINE\\SYSTEM", &e) < 0)
		fail_msg("apply: %s", e.msg);
	assert_int_equal(wf_hive_commit(f->h, f->out, &e), 0);
	wf_hive_close(f->h);
	struct wf_hive *h = f->h = wf_hive_open(f->out, "SYSTEM", 0, &e);
	assert_non_null(h);
	wf_node p = wf_hive_lookup(h, "CurrentControlSet\\Services\\Tcpip\\Parameters");
	assert_true(p != 0);
	assert_false(wf_hive_value_exists(h, p, "Bin"));
	assert_false(wf_hive_value_exists(h, p, ""));
	assert_true(wf_hive_value_exists(h, p, "Hostname"));
	assert_true(wf_hive_value_exists(h, p, "Multi"));
	assert_int_equal(wf_hive_lookup(h, "ControlSet002\\Services\\viostor"), 0);
	assert_true(wf_hive_lookup(h, "ControlSet002\\Services") != 0);
	assert_int_equal(wf_hive_lookup(h, "Gone"), 0);
}

static void test_apply_no_prefix(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	const char bcd[] = V5 "[\\Description]\n\"KeyName\"=\"BCD00000000\"\n"
			   "[Objects\\{x}]\n";
	if (apply_text(f->h, bcd, NULL, &e) < 0)
		fail_msg("apply: %s", e.msg);
	wf_node d = wf_hive_lookup(f->h, "Description");
	assert_true(d != 0);
	char *s = wf_hive_get_string(f->h, d, "KeyName");
	assert_string_equal(s, "BCD00000000");
	free(s);
	assert_true(wf_hive_lookup(f->h, "Objects\\{x}") != 0);
	/* the prefix itself maps to the root: values on the root key */
	const char root[] = V5 "[HKEY_LOCAL_MACHINE\\SOFTWARE]\n\"R\"=dword:7\n";
	if (apply_text(f->h, root, "HKEY_LOCAL_MACHINE\\SOFTWARE\\", &e) < 0)
		fail_msg("apply: %s", e.msg);
	uint32_t v = 0;
	assert_int_equal(wf_hive_get_dword(f->h, wf_hive_root(f->h), "R", &v), 0);
	assert_int_equal(v, 7);
}

static void test_apply_errors(void **state)
{
	struct fx *f = *state;
	struct wf_error e = { 0 };
	/* outside the prefix */
	assert_int_equal(apply_text(f->h, V5 "[HKEY_LOCAL_MACHINE\\SYSTEM\\K]\n\n"
				    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n",
				    "HKEY_LOCAL_MACHINE\\SYSTEM", &e), -1);
	assert_non_null(strstr(e.msg, "a.reg: line 5: "));
	assert_non_null(strstr(e.msg, "outside"));
	/* a longer name that merely starts like the prefix */
	assert_int_equal(apply_text(f->h, V5 "[HKEY_LOCAL_MACHINE\\SYSTEMX\\A]\n",
				    "HKEY_LOCAL_MACHINE\\SYSTEM", &e), -1);
	assert_non_null(strstr(e.msg, "line 3"));
	/* CurrentControlSet without Select */
	assert_int_equal(apply_text(f->h, V5 "[HKLM\\SYSTEM\\CurrentControlSet\\Services]\n",
				    "HKLM\\SYSTEM", &e), -1);
	assert_non_null(strstr(e.msg, "a.reg: line 3: "));
	assert_non_null(strstr(e.msg, "Select"));
	assert_int_equal(wf_hive_child(f->h, wf_hive_root(f->h), "CurrentControlSet"), 0);
	/* Select names a control set that does not exist */
	assert_int_equal(apply_text(f->h, V5 "[S\\Select]\n\"Current\"=dword:3\n"
				    "[S\\CurrentControlSet\\X]\n", "S", &e), -1);
	assert_non_null(strstr(e.msg, "line 5"));
	/* deleting the root */
	assert_int_equal(apply_text(f->h, V5 "[-HKLM\\SYSTEM]\n", "HKLM\\SYSTEM", &e), -1);
	assert_non_null(strstr(e.msg, "a.reg: line 3: "));
	assert_non_null(strstr(e.msg, "root"));
	/* a read-only hive */
	struct wf_hive *ro = wf_hive_open(f->hive, "SYSTEM", 0, &e);
	assert_non_null(ro);
	assert_int_equal(apply_text(ro, V5 "[HKLM\\SYSTEM\\K]\n", "HKLM\\SYSTEM", &e), -1);
	assert_non_null(strstr(e.msg, "a.reg: line 3: "));
	wf_hive_close(ro);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_dword_hex),
		cmocka_unit_test(test_str_n),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_comments_deletes),
		cmocka_unit_test(test_utf16le),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_ansi),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test_setup_teardown(test_apply_read_back, setup_hive, teardown_hive),
		cmocka_unit_test_setup_teardown(test_apply_deletes, setup_hive, teardown_hive),
		cmocka_unit_test_setup_teardown(test_apply_no_prefix, setup_hive, teardown_hive),
		cmocka_unit_test_setup_teardown(test_apply_errors, setup_hive, teardown_hive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
