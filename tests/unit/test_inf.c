/*
 * test_inf.c - the INF parser: the facts of realistic driver INFs (the
 * templates in tests/data/virtio), UTF-16LE input, [Strings] substitution,
 * comments, quotes and continuations, architecture decorations, and bad
 * input (not an INF, truncated, binary garbage).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hive.h"
#include "inf.h"
#include "strbuf.h"
#include "text.h"

/* The template with @ARCH@ set, as a string (malloc'd). */
static char *template(const char *name, const char *deco)
{
	char path[256];
	snprintf(path, sizeof path, "tests/data/virtio/%s", name);
	struct wf_strbuf sb = WF_STRBUF_INIT, out = WF_STRBUF_INIT;
	if (wf_sb_read_file(&sb, path, 0, NULL) < 0)
		fail_msg("cannot read %s (run from the repository root)", path);
	for (const char *p = sb.buf; *p;) {
		if (strncmp(p, "@ARCH@", 6) == 0) {
			wf_sb_adds(&out, deco);
			p += 6;
		} else {
			wf_sb_addc(&out, *p++);
		}
	}
	wf_sb_release(&sb);
	return wf_sb_detach(&out);
}

static void test_viostor(void **state)
{
	(void)state;
	char *t = template("viostor.inf", "amd64");
	struct wf_inf inf;
	struct wf_error e = { 0 };
	assert_int_equal(wf_inf_parse_mem("viostor.inf", t, strlen(t), "x86_64", &inf, &e), 0);
	assert_string_equal(inf.class_name, "SCSIAdapter");
	assert_string_equal(inf.class_guid, "{4D36E97B-E325-11CE-BFC1-08002BE10318}");
	assert_string_equal(inf.provider, "Red Hat, Inc.");
	assert_string_equal(inf.catalog, "viostor.cat");
	assert_string_equal(inf.driver_date, "08/30/2023");
	assert_string_equal(inf.driver_version, "100.94.104.24000");
	assert_int_equal(inf.n_models, 2);
	assert_string_equal(inf.models[0].desc, "Red Hat VirtIO SCSI controller");
	assert_string_equal(inf.models[0].install, "viostor_inst");
	assert_string_equal(inf.models[0].decoration, "NTamd64");
	assert_int_equal(inf.models[0].n_hwids, 2);
	assert_true(wf_inf_has_hwid(&inf, "pci\\ven_1af4&dev_1042&subsys_11001af4&rev_01"));
	assert_int_equal(inf.n_services, 1);
	const struct wf_inf_service *s = &inf.services[0];
	assert_string_equal(s->name, "viostor");
	assert_true(s->has_type && s->type == 1);
	assert_true(s->has_start && s->start == 0);
	assert_true(s->has_error && s->error_control == 1);
	assert_string_equal(s->binary, "%12%\\viostor.sys");
	assert_string_equal(s->group, "SCSI miniport");
	assert_string_equal(s->display, "Red Hat VirtIO SCSI Service");
	/* the service install section's AddReg, HKR = the service key */
	assert_int_equal(s->n_addreg, 2);
	assert_string_equal(s->addreg[0].root, "HKR");
	assert_string_equal(s->addreg[0].subkey, "Parameters\\PnpInterface");
	assert_string_equal(s->addreg[0].name, "5");
	assert_int_equal(s->addreg[0].type, WF_REG_DWORD);
	assert_int_equal(s->addreg[0].len, 4);
	assert_memory_equal(s->addreg[0].data, "\1\0\0\0", 4);
	assert_string_equal(s->addreg[1].name, "BusType");
	/* the .HW section's: a subkey line written as in mshdc.inf - its third
	 * field is a value name, as Windows reads it (DriverDatabase of a real
	 * Windows 10 hive: msahci_Inst\Device\Interrupt Management holds a
	 * REG_SZ "0x00000010" = "") - and MSISupported */
	const struct wf_inf_model *m = &inf.models[0];
	assert_int_equal(m->n_hw_addreg, 2);
	assert_string_equal(m->hw_addreg[0].subkey, "Interrupt Management");
	assert_false(m->hw_addreg[0].key_only);
	assert_string_equal(m->hw_addreg[0].name, "0x00000010");
	assert_int_equal(m->hw_addreg[0].type, WF_REG_SZ);
	assert_int_equal(m->hw_addreg[0].n_strs, 1);
	assert_string_equal(m->hw_addreg[0].strs[0], "");
	assert_string_equal(m->hw_addreg[1].subkey, "Interrupt Management\\MessageSignaledInterruptProperties");
	assert_string_equal(m->hw_addreg[1].name, "MSISupported");
	assert_int_equal(m->hw_addreg[1].type, WF_REG_DWORD);
	assert_memory_equal(m->hw_addreg[1].data, "\1\0\0\0", 4);
	assert_int_equal(inf.n_files, 1);
	char *ip = wf_inf_imagepath(s->binary);
	assert_string_equal(ip, "System32\\drivers\\viostor.sys");
	free(ip);
	wf_inf_free(&inf);
	/* asked for x86: the amd64 models do not apply */
	assert_int_equal(wf_inf_parse_mem("viostor.inf", t, strlen(t), "x86", &inf, &e), 0);
	assert_int_equal(inf.n_models, 0);
	assert_int_equal(inf.n_services, 0);
	wf_inf_free(&inf);
	free(t);
}

/* Every AddReg value type and flag (MS "INF AddReg Directive"). */
static void test_addreg(void **state)
{
	(void)state;
	static const char text[] =
		"[Version]\nSignature=\"$WINDOWS NT$\"\n"
		"[Manufacturer]\nX=M,NTamd64\n[M.NTamd64]\nDev=inst,PCI\\VEN_1234&DEV_5678\n"
		"[inst.NTamd64.HW]\nAddReg=hw1, hw2\n[inst.HW]\nAddReg=never\n"
		"[never]\nHKR,,Wrong,0x10001,1\n"
		"[hw1]\nHKR,\"Keys\\Only\",,0x00000010\nHKR,Bare\n"
		"HKR,,Multi,0x00010000,\"a\",\"b,c\"\nHKR,,Exp,0x00020000,\"%%SystemRoot%%\\x\"\n"
		"[hw2]\nHKR,,Bin,0x00000001,de,AD,0\nHKR,,NoClob,0x00010003,7\n"
		"HKLM,\"System\\CurrentControlSet\\Control\\X\",Str,,%S%\nHKR,,Odd,0x00030001,01,02\n"
		"[Strings]\nS=\"str value\"\n";
	struct wf_inf inf;
	struct wf_error e = { 0 };
	assert_int_equal(wf_inf_parse_mem("t.inf", text, strlen(text), "amd64", &inf, &e), 0);
	assert_int_equal(inf.n_models, 1);
	const struct wf_inf_model *m = &inf.models[0];
	assert_int_equal(m->n_hw_addreg, 8);	/* the decorated .HW only */
	const struct wf_inf_reg *r = m->hw_addreg;
	assert_true(r[0].key_only);
	assert_string_equal(r[0].subkey, "Keys\\Only");
	assert_true(r[1].key_only);
	assert_string_equal(r[1].subkey, "Bare");
	assert_int_equal(r[2].type, WF_REG_MULTI_SZ);
	assert_int_equal(r[2].n_strs, 2);
	assert_string_equal(r[2].strs[1], "b,c");
	assert_int_equal(r[3].type, WF_REG_EXPAND_SZ);
	assert_string_equal(r[3].strs[0], "%SystemRoot%\\x");
	assert_int_equal(r[4].type, WF_REG_BINARY);
	assert_int_equal(r[4].len, 3);
	assert_memory_equal(r[4].data, "\xde\xad\x00", 3);
	assert_int_equal(r[5].type, WF_REG_DWORD);
	assert_true(r[5].flags & WF_ADDREG_NOCLOBBER);
	assert_string_equal(r[6].root, "HKLM");
	assert_int_equal(r[6].type, WF_REG_SZ);
	assert_string_equal(r[6].strs[0], "str value");
	assert_int_equal(r[7].type, 3u);	/* 0x00030001: type 3 in the high word */
	assert_int_equal(r[7].len, 2);
	wf_inf_free(&inf);
}

static void test_netkvm_utf16(void **state)
{
	(void)state;
	char *t = template("netkvm.inf", "x86");
	size_t len;
	unsigned char *w = wf_utf8_to_utf16le(t, &len);
	unsigned char *bom = malloc(len + 2);
	bom[0] = 0xff;
	bom[1] = 0xfe;
	memcpy(bom + 2, w, len);
	struct wf_inf inf;
	struct wf_error e = { 0 };
	assert_int_equal(wf_inf_parse_mem("netkvm.inf", bom, len + 2, "i386", &inf, &e), 0);
	assert_string_equal(inf.class_name, "Net");
	assert_int_equal(inf.n_models, 2);
	assert_int_equal(inf.n_services, 1);
	assert_string_equal(inf.services[0].name, "netkvm");
	assert_int_equal(inf.services[0].start, 3);	/* "3 ; %SERVICE_DEMAND_START%" */
	assert_string_equal(inf.services[0].group, "NDIS");
	assert_int_equal(inf.n_files, 2);
	assert_string_equal(inf.files[1], "netkvmco.dll");
	wf_inf_free(&inf);
	free(bom);
	free(w);
	free(t);
}

static void test_syntax(void **state)
{
	(void)state;
	static const char text[] =
		"; comment line\n"
		"[version]\n"
		"signature=\"$Windows NT$\"\n"
		"Class = \"Quoted; not a comment\" ; a comment\n"
		"ClassGuid={4d36e97d-e325-11ce-bfc1-08002be10318}\n"
		"DriverVer=01/02/2020,\\\n"
		"  1.2.3.4\n"
		"Provider=%P%\n"
		"CatalogFile = generic.cat\n"
		"CatalogFile.NTamd64 = amd64.cat\n"
		"[Manufacturer]\n"
		"%M%=Models,NTamd64.10.0...16299,NTarm64\n"
		"[Models]\n"
		"%D%=inst_old,ROOT\\OLD\n"
		"[Models.NTamd64.10.0...16299]\n"
		"%D%=inst,PCI\\VEN_1AF4&DEV_1005,, PCI\\VEN_1AF4&DEV_1044\n"
		"[Models.NTarm64]\n"
		"%D%=inst,PCI\\VEN_FFFF&DEV_FFFF\n"
		"[inst.Services]\n"
		"AddService=VirtRng,2,rng_svc\n"
		"[rng_svc]\n"
		"ServiceType=0x1\nStartType=3\nServiceBinary=%12%\\viorng.sys\n"
		"[Strings]\n"
		"P=\"Say \"\"hi\"\" 100%%\"\n"
		"M=Maker\nD=\"RNG\"\n";
	struct wf_inf inf;
	struct wf_error e = { 0 };
	assert_int_equal(wf_inf_parse_mem("t.inf", text, strlen(text), "amd64", &inf, &e), 0);
	assert_string_equal(inf.class_name, "Quoted; not a comment");
	assert_string_equal(inf.driver_date, "01/02/2020");
	assert_string_equal(inf.driver_version, "1.2.3.4");
	assert_string_equal(inf.provider, "Say \"hi\" 100%");
	assert_string_equal(inf.catalog, "amd64.cat");
	assert_int_equal(inf.n_models, 2);	/* undecorated + NTamd64, not arm64 */
	assert_int_equal(inf.models[1].n_hwids, 2);	/* the empty field skipped */
	assert_false(wf_inf_has_hwid(&inf, "PCI\\VEN_FFFF&DEV_FFFF"));
	assert_int_equal(inf.n_services, 1);
	assert_int_equal(inf.services[0].type, 1);
	assert_false(inf.services[0].has_error);
	wf_inf_free(&inf);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct wf_inf inf;
	struct wf_error e = { 0 };
	assert_int_equal(wf_inf_parse_mem("x.inf", "hello\n", 6, "amd64", &inf, &e), -1);
	assert_string_equal(e.msg, "x.inf: not an INF file (no [Version] section)");
	assert_int_equal(wf_inf_parse_file("/nonexistent.inf", "amd64", &inf, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent.inf"));
	/* truncated and odd: still no crash, whatever is there is read */
	static const char odd[] = "[Version\nClass=\"unterminated\n[Manufacturer]\n=,,,\n%a%=%b%,%,\n"
				  "[Strings]\na=%a%\nb=%%%%%%\n\\";
	assert_int_equal(wf_inf_parse_mem("odd.inf", odd, sizeof odd - 1, "amd64", &inf, &e), 0);
	wf_inf_free(&inf);
	static const char odd2[] = "[Version]\n[Manufacturer]\n%a%=S,NTamd64\n[S.NTamd64]\n%a%=i,%a%\n"
				   "[i.Services]\nAddService=\n[Strings]\na=%a%\n";
	assert_int_equal(wf_inf_parse_mem("odd2.inf", odd2, sizeof odd2 - 1, "amd64", &inf, &e), 0);
	assert_int_equal(inf.n_models, 1);
	assert_int_equal(inf.n_services, 0);
	wf_inf_free(&inf);
	unsigned char junk[4096];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 131 + 7);
	memcpy(junk + 100, "\n[Version]\n", 11);
	assert_int_equal(wf_inf_parse_mem("junk.inf", junk, sizeof junk, "amd64", &inf, &e), 0);
	wf_inf_free(&inf);
	assert_null(wf_inf_imagepath("%13%\\x.sys"));
	char *p = wf_inf_imagepath("%10%\\x.sys");
	assert_string_equal(p, "x.sys");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_viostor),
		cmocka_unit_test(test_netkvm_utf16),
		cmocka_unit_test(test_addreg),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
