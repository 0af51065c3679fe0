/*
 * test_diagnose_sign.c - the boot-start driver signature rule and the BCD
 * test signing finding (core/diagnose/rules_sign.c) on SYSTEM hives built
 * from .reg text, BCD stores built from tests/scenarios/parts/bcd.reg,
 * and driver files signed here: the fake virtio-win tree's test-signed
 * and WHQL-named viostor builds (tests/data/virtio/fake-virtio-win.sh),
 * a SHA-256-only signature, a file changed after signing, unsigned kit
 * PEs.  Then the real SYSTEM hives of ../shared/fixtures with an unsigned
 * file behind every service: only drivers something says are third-party
 * may be named (no in-box driver is an alarm).
 *
 * Needs openssl and osslsigncode (make deps); those tests skip without.
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
#include "diagnose.h"
#include "finding.h"
#include "fixtures.h"
#include "hive.h"
#include "regfile.h"
#include "strbuf.h"
#include "targets.h"
#include "text.h"
#include "winver.h"

#define KEY "[HKEY_LOCAL_MACHINE\\SYSTEM\\"
#define CS KEY "ControlSet001\\"
#define SVC(name, start) \
	CS "Services\\" name "]\n\"Type\"=dword:00000001\n\"Start\"=dword:0000000" #start "\n" \
	"\"ErrorControl\"=dword:00000001\n\"Group\"=\"SCSI miniport\"\n\n"
#define SCSI_CLASS "{4d36e97b-e325-11ce-bfc1-08002be10318}"
/* a device bound to SVC, installed from INF (Enum Driver -> Class InfPath) */
#define DEVICE(svc, inf) \
	CS "Enum\\PCI\\VEN_1234&DEV_5678&SUBSYS_00000000&REV_00\\3&1&0&10]\n" \
	"\"Service\"=\"" svc "\"\n\"Driver\"=\"" SCSI_CLASS "\\\\0001\"\n\n" \
	CS "Control\\Class\\" SCSI_CLASS "\\0001]\n\"InfPath\"=\"" inf "\"\n\n"

static const char base[] =
	"Windows Registry Editor Version 5.00\n\n"
	KEY "Select]\n\"Current\"=dword:00000001\n\"Default\"=dword:00000001\n"
	"\"LastKnownGood\"=dword:00000001\n\"Failed\"=dword:00000000\n\n"
	CS "Control\\Session Manager\\Environment]\n\"PROCESSOR_ARCHITECTURE\"=\"AMD64\"\n\n"
	SVC("disk", 0);

#define TS_ON "[HKEY_LOCAL_MACHINE\\BCD00000000\\Objects\\{6f3c2d1e-8b4a-11ee-9c4d-525400a1b2c3}" \
	"\\Elements\\16000049]\n\"Element\"=hex:01\n"

static char dir[] = "/tmp/wf-dsig-XXXXXX";
static int have_tools;
static int every_sys;		/* every .sys exists and is unsigned.sys */
static struct wf_findings F;
static struct wf_diag_notes N;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Guest files live in dir/root, lower-cased. */
static char *host_path(const char *guest)
{
	char *p = wf_xasprintf("%s/root%s", dir, guest);
	wf_lower(p + strlen(dir));
	return p;
}

static int t_probe(void *ud, const char *guest, uint64_t *size)
{
	(void)ud;
	char *p = every_sys && wf_endswithi(guest, ".sys") ? wf_xasprintf("%s/unsigned.sys", dir)
							   : host_path(guest);
	struct stat st;
	int r = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	if (r && size)
		*size = (uint64_t)st.st_size;
	free(p);
	return r;
}

static int t_read(void *ud, const char *guest, size_t max, void **buf, size_t *len)
{
	(void)ud;
	char *p = every_sys && wf_endswithi(guest, ".sys") ? wf_xasprintf("%s/unsigned.sys", dir)
							   : host_path(guest);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, p, max, NULL);
	free(p);
	if (r < 0)
		return 0;
	*len = sb.len;
	*buf = wf_sb_detach(&sb);
	return 1;
}

/* Put host file `src` (relative to dir) at guest path `guest`. */
static void put(const char *src, const char *guest)
{
	char *p = host_path(guest);
	assert_int_equal(sh("mkdir -p \"$(dirname '%s')\" && cp '%s/%s' '%s'", p, dir, src, p), 0);
	free(p);
}

static void write_hive(const char *path, const char *name, const char *root, const char *text)
{
	struct wf_error e = { 0 };
	unlink(path);
	assert_int_equal(kit_write_minimal_hive(path, name, &e), 0);
	struct wf_regfile r;
	if (wf_regfile_parse_mem("t.reg", text, strlen(text), &r, &e) < 0)
		fail_msg("reg: %s", e.msg);
	struct wf_hive *h = wf_hive_open(path, name, 1, &e);
	assert_non_null(h);
	if (wf_regfile_apply(&r, h, root, &e) < 0)
		fail_msg("apply: %s", e.msg);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	wf_regfile_free(&r);
}

static void make_system(const char *extra)
{
	char path[128], *text = wf_xasprintf("%s\n%s", base, extra ? extra : "");
	snprintf(path, sizeof path, "%s/SYSTEM", dir);
	write_hive(path, "SYSTEM", "HKEY_LOCAL_MACHINE\\SYSTEM", text);
	free(text);
}

/* The scenarios' BCD store, test signing on or off. */
static void make_bcd(int testsigning)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&sb, "tests/scenarios/parts/bcd.reg", 0, NULL), 0);
	if (testsigning)
		wf_sb_adds(&sb, "\n" TS_ON);
	char path[128];
	snprintf(path, sizeof path, "%s/BCD", dir);
	write_hive(path, "BCD", "HKEY_LOCAL_MACHINE\\BCD00000000", sb.buf);
	wf_sb_release(&sb);
}

static struct wf_winver ver(unsigned maj, unsigned min, unsigned build, const char *arch)
{
	struct wf_winver v;
	memset(&v, 0, sizeof v);
	v.major = maj, v.minor = min, v.build = build;
	v.arch = (char *)arch;
	v.release = maj == 10 ? "Windows 10" : "Windows 7";
	v.ccs = "ControlSet001";
	return v;
}

/* Diagnose dir/SYSTEM (and dir/BCD when `bcd`) as Windows `v`, virtio-blk. */
static struct wf_findings *diag_as(const char *system, struct wf_winver v, int bcd)
{
	struct wf_error e = { 0 };
	struct wf_targets t;
	assert_int_equal(wf_targets_parse_list("virtio-blk", &t, &e), 0);
	char path[128];
	snprintf(path, sizeof path, "%s/SYSTEM", dir);
	struct wf_hive *h = wf_hive_open(system ? system : path, "SYSTEM", 0, &e);
	assert_non_null(h);
	snprintf(path, sizeof path, "%s/BCD", dir);
	struct wf_hive *b = bcd ? wf_hive_open(path, "BCD", 0, &e) : NULL;
	assert_true(!bcd || b);
	wf_findings_free(&F);
	wf_diag_notes_free(&N);
	struct wf_diag_ctx c = {
		.system = h, .ver = &v, .targets = &t, .systemroot = "/Windows",
		.probe = t_probe, .read = t_read, .notes = &N,
		.bcd = b, .bcd_name = b ? "/dev/sda1:/EFI/Microsoft/Boot/BCD" : NULL,
	};
	if (wf_diagnose_hives(&c, &F, &e) < 0)
		fail_msg("diagnose: %s", e.msg);
	wf_hive_close(b);
	wf_hive_close(h);
	return &F;
}

static struct wf_findings *diag(unsigned maj, const char *arch, int bcd)
{
	/* 10 -> 10.0.19045, 7 -> 6.1.7601 */
	return diag_as(NULL, maj == 10 ? ver(10, 0, 19045, arch) : ver(6, 1, 7601, arch), bcd);
}

static void dump(const struct wf_findings *l)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_findings_to_text(l, &sb);
	printf("%s", sb.buf);
	for (size_t i = 0; i < N.n; i++)
		printf("note: %s\n", N.v[i]);
	wf_sb_release(&sb);
}

static const struct wf_finding *find(const struct wf_findings *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

static const struct wf_finding *expect(const struct wf_findings *l, const char *id, int sev,
				       const char *in_title)
{
	const struct wf_finding *f = find(l, id);
	if (!f || (int)f->severity != sev || (in_title && !strstr(f->title, in_title))) {
		dump(l);
		fail_msg("want %s (severity %d, title with \"%s\")", id, sev, in_title ? in_title : "");
	}
	return f;
}

static void expect_none(const struct wf_findings *l, const char *id)
{
	if (find(l, id)) {
		dump(l);
		fail_msg("unexpected %s", id);
	}
}

static int has_evidence(const struct wf_finding *f, const char *text)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if ((f->evidence[i].text && strstr(f->evidence[i].text, text)) ||
		    (f->evidence[i].source && strstr(f->evidence[i].source, text)))
			return 1;
	return 0;
}

static int has_fix(const struct wf_finding *f, const char *fix)
{
	for (size_t i = 0; i < f->n_fixes; i++)
		if (strcmp(f->fixes[i], fix) == 0)
			return 1;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	have_tools = system("command -v openssl >/dev/null && command -v osslsigncode >/dev/null") == 0;
	static const char *const imports[] = { "ntoskrnl.exe", NULL };
	struct kit_pe spec = { KIT_PE_AMD64, KIT_PE_NATIVE, 6, 1, 0, imports };
	char path[128];
	snprintf(path, sizeof path, "%s/unsigned.sys", dir);
	struct wf_error e = { 0 };
	if (kit_write_pe(path, &spec, &e) < 0)
		fail_msg("kit_write_pe: %s", e.msg);
	put("unsigned.sys", "/Windows/System32/drivers/disk.sys");
	if (!have_tools)
		return 0;
	const char *o = getenv("O");
	assert_int_equal(sh("bash tests/data/virtio/fake-virtio-win.sh %s/vw %s/kit/mkpe >/dev/null",
			    dir, o && *o ? o : "build"), 0);
	/* WHQL-named SHA-256 only; a signed file changed after signing */
	assert_int_equal(sh("cd %s && osslsigncode sign -certs vw/.certs/whql.chain -key "
			    "vw/.certs/whql.key -h sha256 -in unsigned.sys -out sha256.sys >/dev/null && "
			    "cp vw/new/viostor/w10/amd64/viostor.sys damaged.sys && "
			    "printf 'X' | dd of=damaged.sys bs=1 seek=300 conv=notrunc 2>/dev/null", dir), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	wf_findings_free(&F);
	wf_diag_notes_free(&N);
	if (!getenv("WF_KEEP"))
		sh("rm -rf %s", dir);
	return 0;
}

#define NEED_TOOLS() do { if (!have_tools) { printf("SKIP-REASON: no openssl/osslsigncode\n"); skip(); } } while (0)
#define VIOSTOR "/Windows/System32/drivers/viostor.sys"

/* A test-signed viostor: an error with test signing off, loads with it on
 * (and then test signing on is a warning naming it), a warning without a
 * store, nothing on 32-bit Windows. */
static void test_test_signed(void **state)
{
	(void)state;
	NEED_TOOLS();
	make_system(SVC("viostor", 0));
	put("vw/testsigned/viostor/w10/amd64/viostor.sys", VIOSTOR);
	make_bcd(0);
	const struct wf_finding *f = expect(diag(10, "x86_64", 1), "boot-driver-signature",
					    WF_SEV_ERROR, "viostor will not load on 64-bit Windows: "
					    "test-signed, test signing off");
	assert_true(has_fix(f, "inject-virtio:viostor"));
	assert_true(has_evidence(f, "testsigning off"));
	assert_true(has_evidence(f, "embedded signature: test-signed"));
	assert_non_null(strstr(f->next_check, "Secure Boot off"));
	expect_none(&F, "test-signing-on");
	if (getenv("WF_DUMP"))	/* to read the texts */
		dump(&F);

	make_bcd(1);
	expect_none(diag(10, "x86_64", 1), "boot-driver-signature");
	f = expect(&F, "test-signing-on", WF_SEV_WARNING, "boot driver viostor depends on it");
	assert_true(has_evidence(f, "testsigning on"));
	assert_non_null(strstr(f->explanation, "Secure Boot"));
	if (getenv("WF_DUMP"))
		dump(&F);

	expect(diag(10, "x86_64", 0), "boot-driver-signature", WF_SEV_WARNING, "test-signed");
	expect_none(diag(10, "i386", 1), "boot-driver-signature");
}

/* WHQL-named: loads; test signing on then only information. */
static void test_whql_damaged_sha256(void **state)
{
	(void)state;
	NEED_TOOLS();
	make_system(SVC("viostor", 0));
	put("vw/new/viostor/w10/amd64/viostor.sys", VIOSTOR);
	make_bcd(1);
	expect_none(diag(10, "x86_64", 1), "boot-driver-signature");
	expect(&F, "test-signing-on", WF_SEV_INFO, "Test Mode");
	make_bcd(0);
	expect_none(diag(10, "x86_64", 1), "test-signing-on");

	put("damaged.sys", VIOSTOR);
	const struct wf_finding *f = expect(diag(10, "x86_64", 1), "boot-driver-signature",
					    WF_SEV_ERROR, "damaged signature");
	assert_true(has_evidence(f, "embedded signature: damaged"));

	/* SHA-256 only: fine on 10; on 7 without SOFTWARE the update is unknown */
	put("sha256.sys", VIOSTOR);
	expect_none(diag(10, "x86_64", 1), "boot-driver-signature");
	f = expect(diag(7, "x86_64", 1), "boot-driver-signature", WF_SEV_WARNING,
		   "SHA-256-only signature");
	assert_non_null(strstr(f->explanation, "KB4474419"));
}

/* No embedded signature: an oem<N>.inf driver is an error, an in-box
 * INF's is not read, an unknown one is a note, viostor information. */
static void test_unsigned_provenance(void **state)
{
	(void)state;
	put("unsigned.sys", "/Windows/System32/drivers/oemstor.sys");
	make_system(SVC("oemstor", 0) DEVICE("oemstor", "oem7.inf"));
	make_bcd(0);
	const struct wf_finding *f = expect(diag(10, "x86_64", 1), "boot-driver-signature",
					    WF_SEV_ERROR, "oemstor will not load on 64-bit Windows: "
					    "no signature");
	assert_true(has_evidence(f, "installed from oem7.inf"));
	assert_true(has_evidence(f, "no catalog named after the INF"));
	assert_non_null(strstr(f->explanation, "third-party"));

	make_system(SVC("oemstor", 0) DEVICE("oemstor", "mshdc.inf"));
	expect_none(diag(10, "x86_64", 1), "boot-driver-signature");

	make_system(SVC("oemstor", 0));
	expect_none(diag(10, "x86_64", 1), "boot-driver-signature");
	int noted = 0;
	for (size_t i = 0; i < N.n; i++)
		noted |= strstr(N.v[i], "carry no embedded signature") != NULL;
	assert_true(noted);

	put("unsigned.sys", VIOSTOR);
	make_system(SVC("viostor", 0));
	f = expect(diag(10, "x86_64", 1), "boot-driver-signature", WF_SEV_INFO, "viostor");
	assert_true(has_fix(f, "inject-virtio:viostor"));
	/* 32-bit 7: no load-time check */
	expect_none(diag(7, "i386", 1), "boot-driver-signature");
}

/* A catalog named after the INF is evidence (it does not stand in for
 * the embedded signature of a boot-start driver). */
static void test_oem_catalog_evidence(void **state)
{
	(void)state;
	NEED_TOOLS();
	put("vw/new/viostor/w10/amd64/viostor.sys", "/Windows/System32/drivers/oemstor.sys");
	/* strip the signature: same file digest the catalog lists */
	char *p = host_path("/Windows/System32/drivers/oemstor.sys");
	assert_int_equal(sh("osslsigncode remove-signature -in '%s' -out '%s.u' >/dev/null && "
			    "mv '%s.u' '%s'", p, p, p, p), 0);
	free(p);
	put("vw/new/viostor/w10/amd64/viostor.cat",
	    "/Windows/System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}/oem7.cat");
	make_system(SVC("oemstor", 0) DEVICE("oemstor", "oem7.inf"));
	make_bcd(0);
	const struct wf_finding *f = expect(diag(10, "x86_64", 1), "boot-driver-signature",
					    WF_SEV_ERROR, "no signature");
	assert_true(has_evidence(f, "oem7.cat: Microsoft-signed"));
}

/* Real SYSTEM hives, an unsigned file behind every service: whatever is
 * named must be a driver something says is third-party. */
static void test_real_hives(void **state)
{
	(void)state;
	static const char *const hives[] = {
		"hives/regipy_SYSTEM_WIN_10_1709", "hives/ShimCacheParser_win7sp1x64_SYSTEM",
		"hives/regipy_SYSTEM_2", "hives/bitcurator_SYSTEM", "hives/ITSEC2022_SYSTEM",
		"hives/winevt-kb_SYSTEM", "hives/regipy_SYSTEM_B",
	};
	size_t seen = 0;
	for (size_t i = 0; i < sizeof hives / sizeof hives[0]; i++) {
		const char *p = fixture_path(hives[i]);
		if (!p)
			continue;
		char *path = wf_xstrdup(p);
		struct wf_error e = { 0 };
		struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
		struct wf_winver v;
		memset(&v, 0, sizeof v);
		char how[512];
		int ok = h && wf_winver_infer_system(h, &v, how, sizeof how, &e) == 0;
		wf_hive_close(h);
		if (!ok || v.major < 6) {
			wf_winver_free(&v);
			free(path);
			continue;
		}
		seen++;
		/* as 64-bit, whatever the hive was: the policy applies */
		free(v.arch);
		v.arch = wf_xstrdup("x86_64");
		every_sys = 1;
		struct wf_findings *l = diag_as(path, v, 0);
		unsigned named = 0;
		for (size_t f = 0; f < l->n; f++) {
			if (strcmp(l->v[f].id, "boot-driver-signature"))
				continue;
			named++;
			const struct wf_finding *x = &l->v[f];
			if (x->severity != WF_SEV_INFO && !has_evidence(x, "installed from oem")) {
				dump(l);
				fail_msg("%s: %s named without a third-party INF", hives[i], x->device);
			}
		}
		printf("%s (%u.%u): %u boot-start driver(s) named; notes:\n", hives[i], v.major,
		       v.minor, named);
		for (size_t f = 0; f < l->n; f++)
			if (!strcmp(l->v[f].id, "boot-driver-signature"))
				printf("  %s: %s\n", wf_severity_name(l->v[f].severity), l->v[f].title);
		for (size_t m = 0; m < N.n; m++)
			if (strstr(N.v[m], "signatures:"))
				printf("  %s\n", N.v[m]);
		expect_none(l, "test-signing-on");
		wf_winver_free(&v);
		free(path);
	}
	every_sys = 0;
	if (!seen) {
		printf("SKIP-REASON: fixture hives absent (set FIXTURES)\n");
		skip();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_test_signed),
		cmocka_unit_test(test_whql_damaged_sha256),
		cmocka_unit_test(test_unsigned_provenance),
		cmocka_unit_test(test_oem_catalog_evidence),
		cmocka_unit_test(test_real_hives),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
