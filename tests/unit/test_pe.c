/*
 * test_pe.c - core/pe reads back what the kit's PE writer wrote, and
 * survives truncated, corrupt and foreign input.
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
#include "pe.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Write spec to a temporary file and return its bytes. */
static unsigned char *make_pe(const struct kit_pe *spec, size_t *len)
{
	char path[] = "/tmp/wf-pe-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct wf_error e = { 0 };
	if (kit_write_pe(path, spec, &e) < 0)
		fail_msg("kit_write_pe: %s", e.msg);
	unsigned char *b = slurp(path, len);
	unlink(path);
	return b;
}

static const char *const drv_imports[] = {
	"ntoskrnl.exe", "hal.dll", "storport.sys", "WDFLDR.SYS", "other.dll", NULL
};

static void roundtrip(uint16_t machine, uint16_t subsystem, int dll,
		      uint16_t maj, uint16_t min, const char *const *imports)
{
	struct kit_pe spec = { machine, subsystem, maj, min, dll, imports };
	size_t len;
	unsigned char *b = make_pe(&spec, &len);
	struct wf_pe_info pe;
	struct wf_error e = { 0 };
	if (wf_pe_parse(b, len, "x.sys", &pe, &e) < 0)
		fail_msg("parse: %s", e.msg);
	assert_int_equal(pe.machine, machine);
	assert_int_equal(pe.pe32plus, machine == KIT_PE_AMD64);
	assert_int_equal(pe.subsystem, subsystem);
	assert_int_equal(pe.os_major, maj);
	assert_int_equal(pe.os_minor, min);
	assert_int_equal(pe.subsys_major, maj);
	assert_int_equal(pe.subsys_minor, min);
	assert_true(pe.characteristics & WF_PE_FILE_EXECUTABLE);
	assert_int_equal(!!(pe.characteristics & WF_PE_FILE_DLL), dll);
	assert_int_equal(!!(pe.characteristics & WF_PE_FILE_32BIT),
			 machine == KIT_PE_I386);
	assert_true(pe.imports_complete);
	size_t n = 0;
	while (imports && imports[n])
		n++;
	assert_int_equal(pe.n_imports, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(pe.imports[i], imports[i]);
	wf_pe_free(&pe);
	assert_null(pe.imports);
	free(b);
}

static void test_roundtrip(void **state)
{
	roundtrip(KIT_PE_I386, KIT_PE_NATIVE, 0, 5, 1, drv_imports);
	roundtrip(KIT_PE_AMD64, KIT_PE_NATIVE, 0, 6, 1, drv_imports);
	roundtrip(KIT_PE_AMD64, KIT_PE_CONSOLE, 0, 10, 0, NULL);
	roundtrip(KIT_PE_I386, KIT_PE_GUI, 1, 6, 3, drv_imports + 4);
	static const char *const many[] = {
		"a1.dll", "a2.dll", "a3.dll", "a4.dll", "a5.dll", "a6.dll", "a7.dll",
		"a8.dll", "a9.dll", "a10.dll", "a11.dll", "a12.dll", "a13.dll",
		"a14.dll", "a15.dll", "a16.dll", "a17.dll", "a18.dll", "a19.dll",
		"a20.dll", "a21.dll", "a22.dll", "a23.dll", "a24.dll", "a25.dll",
		"a26.dll", "a27.dll", "a28.dll", "a29.dll", "a30.dll", "ntoskrnl.exe",
		NULL
	};
	roundtrip(KIT_PE_AMD64, KIT_PE_NATIVE, 0, 10, 0, many);
	roundtrip(KIT_PE_I386, KIT_PE_NATIVE, 0, 5, 0, many);
}

static void test_parse_file(void **state)
{
	char path[] = "/tmp/wf-pe-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	struct kit_pe spec = { KIT_PE_AMD64, KIT_PE_NATIVE, 6, 2, 0, drv_imports };
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_pe(path, &spec, &e), 0);
	struct wf_pe_info pe;
	assert_int_equal(wf_pe_parse_file(path, &pe, &e), 0);
	assert_int_equal(pe.machine, WF_PE_MACHINE_AMD64);
	assert_string_equal(wf_pe_machine_arch(pe.machine), "x86_64");
	assert_int_equal(pe.n_imports, 5);
	wf_pe_free(&pe);
	unlink(path);
	assert_int_equal(wf_pe_parse_file(path, &pe, &e), -1);
	assert_non_null(strstr(e.msg, path));
}

static void test_arch_names(void **state)
{
	assert_string_equal(wf_pe_machine_arch(0x014c), "i386");
	assert_string_equal(wf_pe_machine_arch(0x8664), "x86_64");
	assert_string_equal(wf_pe_machine_arch(0xaa64), "aarch64");
	assert_string_equal(wf_pe_machine_arch(0x0200), "ia64");
	assert_null(wf_pe_machine_arch(0x01c0));
	assert_null(wf_pe_machine_arch(0));
}

/* Every prefix of a valid file: no crash, and either success (headers
 * complete) or an error naming the file.  Once the headers are in, the
 * fields are right; imports are complete only with the whole table. */
static void truncations(uint16_t machine)
{
	struct kit_pe spec = { machine, KIT_PE_NATIVE, 5, 2, 0, drv_imports };
	size_t len;
	unsigned char *b = make_pe(&spec, &len);
	int seen_ok = 0, seen_complete = 0;
	for (size_t n = 0; n <= len; n++) {
		/* a copy of exactly n bytes, so ASan sees any overread */
		unsigned char *c = malloc(n ? n : 1);
		memcpy(c, b, n);
		struct wf_pe_info pe;
		struct wf_error e = { 0 };
		int rc = wf_pe_parse(c, n, "trunc.sys", &pe, &e);
		if (rc == 0) {
			seen_ok = 1;
			assert_int_equal(pe.machine, machine);
			assert_int_equal(pe.os_major, 5);
			assert_int_equal(pe.os_minor, 2);
			assert_int_equal(pe.subsystem, KIT_PE_NATIVE);
			assert_true(pe.n_imports <= 5);
			if (pe.imports_complete) {
				seen_complete = 1;
				assert_int_equal(pe.n_imports, 5);
			}
			for (size_t i = 0; i < pe.n_imports; i++)
				assert_string_equal(pe.imports[i], drv_imports[i]);
			wf_pe_free(&pe);
		} else {
			assert_int_equal(rc, -1);
			assert_false(seen_ok);	/* errors only while headers are cut */
			assert_non_null(strstr(e.msg, "trunc.sys: "));
			assert_int_equal(pe.n_imports, 0);
			assert_null(pe.imports);
		}
		free(c);
	}
	assert_true(seen_ok);
	assert_true(seen_complete);
	free(b);
}

static void test_truncated(void **state)
{
	truncations(KIT_PE_I386);
	truncations(KIT_PE_AMD64);
}

static void test_errors(void **state)
{
	struct wf_pe_info pe;
	struct wf_error e = { 0 };
	unsigned char buf[1024];

	assert_int_equal(wf_pe_parse("", 0, "empty.sys", &pe, &e), -1);
	assert_string_equal(e.msg, "empty.sys: not a PE file (no MZ signature)");
	assert_int_equal(wf_pe_parse("ELF\x7f", 4, "elf", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "no MZ signature"));

	/* MZ but no PE: an MS-DOS program */
	memset(buf, 0, sizeof buf);
	memcpy(buf, "MZ", 2);
	buf[0x3c] = 0x40;
	memcpy(buf + 0x40, "NE", 2);
	assert_int_equal(wf_pe_parse(buf, sizeof buf, "dos.exe", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "dos.exe: no PE signature"));
	/* e_lfanew pointing nowhere */
	buf[0x3c] = 0;
	buf[0x3f] = 0x7f;
	assert_int_equal(wf_pe_parse(buf, sizeof buf, "far.exe", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "far.exe: "));
	buf[0x3f] = 0;
	buf[0x3c] = 0x10;	/* inside the DOS header */
	assert_int_equal(wf_pe_parse(buf, sizeof buf, "in.exe", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "no PE signature"));
	/* e_lfanew beyond a short buffer */
	buf[0x3c] = 0x80;
	memcpy(buf + 0x80, "PE\0\0", 4);
	assert_int_equal(wf_pe_parse(buf, 0x90, "short.exe", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "short.exe: truncated PE header"));
	/* no optional header */
	assert_int_equal(wf_pe_parse(buf, sizeof buf, "obj.o", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "obj.o: no optional header"));
	/* bad optional header magic */
	buf[0x80 + 20] = 0xe0;
	assert_int_equal(wf_pe_parse(buf, sizeof buf, "magic.exe", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "magic.exe: unknown optional header magic"));
	/* optional header too small */
	buf[0x80 + 24] = 0x0b;
	buf[0x80 + 25] = 0x01;
	buf[0x80 + 20] = 20;	/* SizeOfOptionalHeader */
	assert_int_equal(wf_pe_parse(buf, sizeof buf, "small.exe", &pe, &e), -1);
	assert_non_null(strstr(e.msg, "optional header too small"));
}

/* Headers fine, import table pointing anywhere: success, never a crash. */
static void test_corrupt_imports(void **state)
{
	struct kit_pe spec = { KIT_PE_I386, KIT_PE_NATIVE, 5, 1, 0, drv_imports };
	size_t len;
	unsigned char *b = make_pe(&spec, &len);
	uint32_t lfanew = get32(b + 0x3c);
	size_t dd_import = lfanew + 24 + 96 + 8;
	size_t sect = lfanew + 24 + 0xe0;
	const uint32_t rvas[] = { 0xffffffff, 0xfffffff0, 0x1ffc, 0x2ff0, 0x10,
				  0x3c, 0x2000 + 0x1ff, 0x7fffffff };
	for (size_t i = 0; i < sizeof rvas / sizeof rvas[0]; i++) {
		unsigned char *c = malloc(len);
		memcpy(c, b, len);
		put32(c + dd_import, rvas[i]);
		struct wf_pe_info pe;
		struct wf_error e = { 0 };
		assert_int_equal(wf_pe_parse(c, len, "imp.sys", &pe, &e), 0);
		wf_pe_free(&pe);
		/* and a name RVA pointing out of the file */
		memcpy(c, b, len);
		put32(c + get32(c + sect + 40 + 20) + 12, rvas[i]);
		assert_int_equal(wf_pe_parse(c, len, "imp.sys", &pe, &e), 0);
		assert_false(pe.imports_complete && pe.n_imports != 5);
		wf_pe_free(&pe);
		/* section table saying the raw data is huge */
		memcpy(c, b, len);
		put32(c + sect + 40 + 16, rvas[i]);
		put32(c + sect + 40 + 20, rvas[i]);
		assert_int_equal(wf_pe_parse(c, len, "imp.sys", &pe, &e), 0);
		wf_pe_free(&pe);
		free(c);
	}
	/* a module name with no NUL before the end of the file */
	unsigned char *c = malloc(len);
	memcpy(c, b, len);
	memset(c + len - 0x100, 'A', 0x100);
	struct wf_pe_info pe;
	struct wf_error e = { 0 };
	assert_int_equal(wf_pe_parse(c, len, "imp.sys", &pe, &e), 0);
	wf_pe_free(&pe);
	/* the number of sections is absurd */
	memcpy(c, b, len);
	put16(c + lfanew + 6, 0xffff);
	assert_int_equal(wf_pe_parse(c, len, "imp.sys", &pe, &e), 0);
	assert_false(pe.imports_complete);
	wf_pe_free(&pe);
	free(c);
	free(b);
}

/* Random bytes, and random bytes behind valid headers. */
static void test_garbage(void **state)
{
	struct kit_pe spec = { KIT_PE_AMD64, KIT_PE_NATIVE, 10, 0, 0, drv_imports };
	size_t len;
	unsigned char *b = make_pe(&spec, &len);
	unsigned seed = 12345;
	for (int round = 0; round < 2000; round++) {
		unsigned char *c = malloc(len);
		memcpy(c, b, len);
		size_t from = round < 1000 ? 0 : 0x40;
		int flips = 1 + round % 16;
		for (int k = 0; k < flips; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = from + (seed >> 8) % (len - from);
			seed = seed * 1103515245u + 12345u;
			c[at] = (unsigned char)(seed >> 16);
		}
		if (round % 7 == 0)
			c[0] = 'M', c[1] = 'Z';
		struct wf_pe_info pe;
		struct wf_error e = { 0 };
		if (wf_pe_parse(c, len, "junk", &pe, &e) == 0)
			wf_pe_free(&pe);
		else
			assert_non_null(strstr(e.msg, "junk: "));
		free(c);
	}
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_arch_names),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_corrupt_imports),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
