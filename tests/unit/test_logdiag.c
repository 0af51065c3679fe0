/*
 * test_logdiag.c - core/logdiag and core/errcodes: each finding id from
 * synthetic logs, deduplication and caps, the seed 001 case, and the
 * expected findings of every real log in ../shared/fixtures/setupapi.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errcodes.h"
#include "error.h"
#include "finding.h"
#include "fixtures.h"
#include "logdiag.h"
#include "strbuf.h"

static char *data_path(const char *name)
{
	static char buf[1024];
	const char *dir = getenv("WF_TESTDATA");
	snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "tests/data/logs", name);
	return buf;
}

static void diag_file(const char *path, struct wf_findings *f,
		      struct wf_logsummary *sum)
{
	struct wf_error e = { 0 };
	memset(f, 0, sizeof *f);
	if (wf_logdiag_file(path, NULL, f, sum, &e) < 0)
		fail_msg("%s", e.msg);
}

static void diag_str(const char *s, struct wf_findings *f,
		     struct wf_logsummary *sum)
{
	FILE *fp = fmemopen((void *)s, strlen(s), "rb");
	struct wf_error e = { 0 };
	memset(f, 0, sizeof *f);
	assert_int_equal(wf_logdiag_stream(fp, "test.log", f, sum, &e), 0);
	fclose(fp);
}

/* The finding (id, device) must exist with this severity. */
static struct wf_finding *expect(struct wf_findings *f, const char *id,
				 const char *dev, enum wf_severity sev)
{
	struct wf_finding *x = wf_findings_find(f, id, dev);
	if (!x) {
		struct wf_strbuf sb = WF_STRBUF_INIT;
		for (size_t i = 0; i < f->n; i++)
			wf_sb_addf(&sb, "  %s %s %s\n", wf_severity_name(f->v[i].severity),
				   f->v[i].id, f->v[i].device ? f->v[i].device : "-");
		fail_msg("no %s for %s; have:\n%s", id, dev ? dev : "any", sb.buf);
	}
	if (x->severity != sev)
		fail_msg("%s for %s: severity %s, expected %s", id, dev ? dev : "any",
			 wf_severity_name(x->severity), wf_severity_name(sev));
	assert_non_null(x->title);
	assert_non_null(x->explanation);
	assert_non_null(x->next_check);
	assert_true(x->n_evidence >= 1);
	assert_true(x->n_evidence <= WF_LOGDIAG_MAX_EVIDENCE);
	return x;
}

static size_t count_id(const struct wf_findings *f, const char *id)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += strcmp(f->v[i].id, id) == 0;
	return n;
}

/* Evidence text contains `s`. */
static int evidence_has(const struct wf_finding *x, const char *s)
{
	for (size_t i = 0; i < x->n_evidence; i++)
		if (strstr(x->evidence[i].text, s))
			return 1;
	return 0;
}

/* ---- errcodes ---------------------------------------------------------- */

static void test_errcodes(void **state)
{
	const struct wf_code *c = wf_code_lookup(0xe0000228);
	assert_non_null(c);
	assert_string_equal(c->name, "ERROR_NO_COMPAT_DRIVERS");
	assert_true(c->flags & WF_CODE_NO_DRIVER);
	assert_ptr_equal(wf_code_lookup(0x800f0228), c);	/* HRESULT form */
	assert_string_equal(wf_code_name(0x80070426), "ERROR_SERVICE_NOT_ACTIVE");
	assert_string_equal(wf_code_name(0x426), "ERROR_SERVICE_NOT_ACTIVE");
	assert_string_equal(wf_code_name(0x6be), "RPC_S_CALL_FAILED");
	assert_string_equal(wf_code_name(0x800706be), "RPC_S_CALL_FAILED");
	assert_string_equal(wf_code_name(0xe000020b), "ERROR_NO_SUCH_DEVINST");
	assert_string_equal(wf_code_name(0xe000020e), "ERROR_DI_DO_DEFAULT");
	assert_int_equal(wf_code_role(0xe000020e), WF_CODE_NOISE);
	assert_true(wf_code_flags(0x800b0109) & WF_CODE_SIGNATURE);
	assert_true(wf_code_flags(0xe0000242) & WF_CODE_SIGNATURE);
	assert_true(wf_code_flags(0xe000023f) & WF_CODE_SIGNATURE);
	assert_string_equal(wf_code_name(0xc0000490), "STATUS_PNP_NO_COMPAT_DRIVERS");
	assert_int_equal(wf_code_lookup(0xc0000490)->dm_code, 28);
	assert_string_equal(wf_code_name(0x12345678), "0x12345678");
	assert_null(wf_code_lookup(0x12345678));

	const struct wf_code *p = wf_cmprob_lookup(0x27);
	assert_string_equal(p->name, "CM_PROB_DRIVER_FAILED_LOAD");
	assert_int_equal(p->dm_code, 39);
	assert_int_equal(wf_cmprob_lookup(0x1f)->dm_code, 31);
	assert_int_equal(wf_cmprob_lookup(0x1c)->dm_code, 28);
	assert_string_equal(wf_cmprob_lookup(0x34)->name, "CM_PROB_UNSIGNED_DRIVER");
	assert_null(wf_cmprob_lookup(0x99));

	/* the table: unique values, SetupAPI codes carry 0xE0000000 */
	unsigned n = wf_code_table_size();
	assert_true(n > 80);
	for (unsigned i = 0; i < n; i++) {
		const struct wf_code *a = wf_code_at(i);
		assert_non_null(a->name);
		assert_non_null(a->meaning);
		if (a->kind == WF_CODE_SETUPAPI)
			assert_int_equal(a->value & 0xE0000000u, 0xE0000000u);
		for (unsigned k = i + 1; k < n; k++)
			assert_int_not_equal(a->value, wf_code_at(k)->value);
	}
	assert_null(wf_code_at(n));
	assert_true(wf_cmprob_table_size() > 30);
}

/* ---- seed 001 ---------------------------------------------------------- */

static void test_seed001(void **state)
{
	struct wf_findings f;
	struct wf_logsummary sum;
	const char *dev = "PCI\\VEN_1AF4&DEV_1004&SUBSYS_00081AF4&REV_00\\3&2411e6fe&0&20";
	diag_file(data_path("seed001_virtio_null.dev.log"), &f, &sum);
	assert_int_equal(sum.files, 1);
	assert_int_equal(sum.format, WF_SA_FMT_VISTA);
	assert_string_equal(sum.os_version, "10.0.14393");
	assert_int_equal(sum.failed, 2);
	assert_int_equal(sum.unfinished, 1);

	struct wf_finding *x = expect(&f, WF_FID(NULL_DRIVER_INSTALLED), dev, WF_SEV_ERROR);
	/* both sections, upper- and lower-case instance ids: one finding */
	assert_int_equal(count_id(&f, WF_FID(NULL_DRIVER_INSTALLED)), 2);	/* + ROOT\LEGACY_BEEP */
	assert_true(evidence_has(x, "Installing NULL driver!"));
	assert_true(evidence_has(x, "ndv: Installing NULL driver."));
	assert_string_equal(x->evidence[0].source, data_path("seed001_virtio_null.dev.log"));
	assert_int_equal(x->evidence[0].first, 40);
	assert_non_null(strstr(x->next_check, "Enum\\PCI\\VEN_1AF4&DEV_1004"));

	x = expect(&f, WF_FID(NO_COMPATIBLE_DRIVER), dev, WF_SEV_ERROR);
	assert_true(evidence_has(x, "Error 0xe0000228: There are no compatible drivers"));
	/* lines 29-30 follow each other: one evidence item */
	int merged = 0;
	for (size_t i = 0; i < x->n_evidence; i++)
		merged |= x->evidence[i].last > x->evidence[i].first;
	assert_true(merged);

	x = expect(&f, WF_FID(DRIVER_INSTALL_INTERRUPTED), dev, WF_SEV_ERROR);
	assert_true(evidence_has(x, "Error 1062: The service has not been started."));
	expect(&f, WF_FID(DRIVER_STORE_IMPORT_FAILED), dev, WF_SEV_ERROR);

	/* the section cut by a reboot (virtio-net: not boot-critical) */
	x = expect(&f, WF_FID(DRIVER_INSTALL_INTERRUPTED),
		   "PCI\\VEN_1AF4&DEV_1000&SUBSYS_00011AF4&REV_00\\3&2411e6fe&0&18",
		   WF_SEV_WARNING);
	assert_true(evidence_has(x, "[Boot Session: 2021/06/01 09:05:00.500]"));

	/* non-PnP legacy driver: NULL driver is normal */
	expect(&f, WF_FID(NULL_DRIVER_INSTALLED), "ROOT\\LEGACY_BEEP\\0000", WF_SEV_INFO);
	/* the FAILURE sections are explained: no device-install-failed */
	assert_int_equal(count_id(&f, WF_FID(DEVICE_INSTALL_FAILED)), 0);
	/* sorted errors first */
	for (size_t i = 1; i < f.n; i++)
		assert_true(f.v[i - 1].severity >= f.v[i].severity);
	wf_findings_free(&f);
}

/* ---- one test per finding ---------------------------------------------- */

static void test_problem_codes(void **state)
{
	struct wf_findings f;
	diag_file(data_path("problems.dev.log"), &f, NULL);
	struct wf_finding *x = expect(&f, WF_FID(DEVICE_PROBLEM_CODE),
		"PCI\\VEN_1AF4&DEV_1041&SUBSYS_11001AF4&REV_01\\3&267a616a&0&18", WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "Code 39"));
	assert_non_null(strstr(x->explanation, "STATUS_OBJECT_NAME_NOT_FOUND"));
	x = expect(&f, WF_FID(DEVICE_PROBLEM_CODE),
		   "PCI\\VEN_1AF4&DEV_1045&SUBSYS_11001AF4&REV_01\\3&267a616a&0&30", WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "Code 31"));
	x = expect(&f, WF_FID(DEVICE_PROBLEM_CODE),
		   "PCI\\VEN_1AF4&DEV_1052&SUBSYS_11001AF4&REV_01\\3&267a616a&0&38", WF_SEV_WARNING);
	assert_non_null(strstr(x->title, "Code 28"));
	/* problem status 0xc0000490 -> no compatible driver too */
	expect(&f, WF_FID(NO_COMPATIBLE_DRIVER),
	       "PCI\\VEN_1AF4&DEV_1052&SUBSYS_11001AF4&REV_01\\3&267a616a&0&38", WF_SEV_WARNING);
	/* cleared in the same install: info, and no no-compatible-driver */
	x = expect(&f, WF_FID(DEVICE_PROBLEM_CODE),
		   "PCI\\VEN_15AD&DEV_0740&SUBSYS_074015AD&REV_10\\3&61aaa01&0&3f", WF_SEV_INFO);
	assert_non_null(strstr(x->title, "cleared"));
	assert_null(wf_findings_find(&f, WF_FID(NO_COMPATIBLE_DRIVER),
		    "PCI\\VEN_15AD&DEV_0740&SUBSYS_074015AD&REV_10\\3&61aaa01&0&3f"));
	wf_findings_free(&f);
}

static void test_signature(void **state)
{
	struct wf_findings f;
	diag_file(data_path("problems.dev.log"), &f, NULL);
	/* benign in a successful install */
	struct wf_finding *x = expect(&f, WF_FID(SIGNATURE_PROBLEM), "C:\\drivers\\balloon\\balloon.inf",
				      WF_SEV_INFO);
	assert_non_null(strstr(x->title, "CERT_E_UNTRUSTEDROOT"));
	/* the reason of a failed install */
	x = expect(&f, WF_FID(SIGNATURE_PROBLEM), "C:\\drivers\\testsigned\\vioinput.inf", WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "ERROR_AUTHENTICODE_TRUST_NOT_ESTABLISHED"));
	assert_null(wf_findings_find(&f, WF_FID(DEVICE_INSTALL_FAILED),
				     "C:\\drivers\\testsigned\\vioinput.inf"));
	wf_findings_free(&f);
}

static void test_install_failed(void **state)
{
	struct wf_findings f;
	diag_file(data_path("problems.dev.log"), &f, NULL);
	struct wf_finding *x = expect(&f, WF_FID(DEVICE_INSTALL_FAILED),
		"PCI\\VEN_1AF4&DEV_1043&SUBSYS_11001AF4&REV_01\\3&267a616a&0&40", WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "ERROR_BAD_SERVICE_INSTALLSECT"));
	assert_true(evidence_has(x, "Invalid service install section"));
	assert_true(evidence_has(x, "[Exit Status(0xe0000217)]"));
	/* device not present: info */
	x = expect(&f, WF_FID(DEVICE_INSTALL_FAILED), "PCI\\VEN_15AD&DEV_07C0&SUBSYS_07C015AD", WF_SEV_INFO);
	assert_true(evidence_has(x, "Unable to find any matching devices."));
	/* SUCCESS (REBOOT_REQUIRED) is no failure */
	assert_null(wf_findings_find(&f, WF_FID(DEVICE_INSTALL_FAILED),
		    "PCI\\VEN_1AF4&DEV_1044&SUBSYS_11001AF4&REV_01\\3&267a616a&0&48"));
	wf_findings_free(&f);
}

static void test_store_import_failed(void **state)
{
	static const char log[] =
		">>>  [Setup Import Driver Package - C:\\drv\\viostor.inf]\n"
		">>>  Section start 2020/01/01 10:00:00.000\n"
		"!!!  sto: Failed to import driver package into Driver Store. Error = 0xe0000247\n"
		"<<<  [Exit status: FAILURE(0xe0000247)]\n";
	struct wf_findings f;
	diag_str(log, &f, NULL);
	/* viostor = boot storage: error */
	struct wf_finding *x = expect(&f, WF_FID(DRIVER_STORE_IMPORT_FAILED), "C:\\drv\\viostor.inf", WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "ERROR_DRIVER_STORE_ADD_FAILED"));
	assert_string_equal(x->evidence[0].source, "test.log");
	assert_int_equal(x->evidence[0].first, 3);
	assert_int_equal(count_id(&f, WF_FID(DEVICE_INSTALL_FAILED)), 0);
	wf_findings_free(&f);
}

static void test_xp_and_w2k(void **state)
{
	struct wf_findings f;
	diag_file(data_path("xp_coded.setupapi.log"), &f, NULL);
	const char *dev = "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&13C0B0C5&0&28";
	struct wf_finding *x = expect(&f, WF_FID(NULL_DRIVER_INSTALLED), dev, WF_SEV_ERROR);
	assert_true(evidence_has(x, "#I125 Installing NULL driver for"));
	expect(&f, WF_FID(NO_COMPATIBLE_DRIVER), dev, WF_SEV_ERROR);
	x = expect(&f, WF_FID(DEVICE_INSTALL_FAILED),
		   "PCI\\VEN_1AF4&DEV_1000&SUBSYS_00011AF4&REV_00\\3&13C0B0C5&0&18", WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "ERROR_DUPLICATE_SERVICE_NAME"));
	assert_true(evidence_has(x, "#E279 Add Service"));
	wf_findings_free(&f);

	diag_file(data_path("w2k_plain.setupapi.log"), &f, NULL);
	dev = "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&61AAA01&0&28";
	expect(&f, WF_FID(NULL_DRIVER_INSTALLED), dev, WF_SEV_ERROR);
	expect(&f, WF_FID(NO_COMPATIBLE_DRIVER), dev, WF_SEV_ERROR);
	expect(&f, WF_FID(NULL_DRIVER_INSTALLED), "ROOT\\LEGACY_FLPYDISK\\0000", WF_SEV_INFO);
	wf_findings_free(&f);
}

/* Two files, same device: one finding, evidence from both; JSON renders. */
static void test_dedupe_across_files(void **state)
{
	struct wf_findings f = { 0 };
	struct wf_logsummary sum;
	struct wf_error e;
	struct wf_logdiag *d = wf_logdiag_new(&f);
	const char *p = data_path("seed001_virtio_null.dev.log");
	assert_int_equal(wf_logdiag_add_file(d, p, "C:\\Windows\\INF\\setupapi.dev.log", &e), 0);
	assert_int_equal(wf_logdiag_add_file(d, p, "C:\\Windows\\INF\\setupapi.dev.20210601_090000.log", &e), 0);
	assert_int_equal(wf_logdiag_add_file(d, "/nonexistent", "C:\\gone.log", &e), -1);
	assert_non_null(strstr(e.msg, "C:\\gone.log"));
	wf_logdiag_finish(d, &sum);
	wf_logdiag_free(d);
	assert_int_equal(sum.files, 2);
	struct wf_finding *x = expect(&f, WF_FID(NULL_DRIVER_INSTALLED),
		"pci\\ven_1af4&dev_1004&subsys_00081af4&rev_00\\3&2411E6FE&0&20", WF_SEV_ERROR);
	int a = 0, b = 0;
	for (size_t i = 0; i < x->n_evidence; i++) {
		a |= strcmp(x->evidence[i].source, "C:\\Windows\\INF\\setupapi.dev.log") == 0;
		b |= strstr(x->evidence[i].source, "20210601") != NULL;
	}
	assert_true(a && b);
	assert_non_null(strstr(x->explanation, "Seen in 4 install sections"));

	struct json_object *j = wf_findings_to_json(&f);
	const char *s = json_object_to_json_string(j);
	struct json_object *back = json_tokener_parse(s);
	assert_non_null(back);
	assert_int_equal(json_object_array_length(back), f.n);
	json_object_put(back);
	json_object_put(j);
	j = wf_logsummary_to_json(&sum);
	assert_non_null(strstr(json_object_to_json_string(j), "vista"));
	json_object_put(j);
	wf_findings_free(&f);
}

/* Many devices, many repeats: findings and evidence stay bounded. */
static void test_caps(void **state)
{
	FILE *fp = tmpfile();
	for (int i = 0; i < 700; i++)
		for (int rep = 0; rep < (i == 0 ? 50 : 1); rep++)
			fprintf(fp, ">>>  [Device Install - USB\\VID_1234&PID_%04X\\%d]\n"
				"     ndv: Installing NULL driver.\n"
				"<<<  [Exit status: SUCCESS]\n", i, i);
	rewind(fp);
	struct wf_findings f;
	struct wf_logsummary sum;
	struct wf_error e;
	memset(&f, 0, sizeof f);
	assert_int_equal(wf_logdiag_stream(fp, "many.log", &f, &sum, &e), 0);
	fclose(fp);
	assert_int_equal(f.n, WF_LOGDIAG_MAX_FINDINGS);
	assert_int_equal(sum.findings_dropped, 700 - WF_LOGDIAG_MAX_FINDINGS);
	struct wf_finding *x = expect(&f, WF_FID(NULL_DRIVER_INSTALLED), "USB\\VID_1234&PID_0000\\0",
				      WF_SEV_WARNING);
	assert_int_equal(x->n_evidence, WF_LOGDIAG_MAX_EVIDENCE);
	assert_non_null(strstr(x->explanation, "Seen in 50 install sections"));
	wf_findings_free(&f);
}

static void test_clean_log_no_findings(void **state)
{
	static const char log[] =
		"[Device Install Log]\n     OS Version = 10.0.19045\n"
		">>>  [Device Install (Hardware initiated) - PCI\\VEN_1AF4&DEV_1000\\3&1&0&18]\n"
		">>>  Section start 2020/01/01 10:00:00.000\n"
		"     dvi: {DIF_ALLOW_INSTALL - exit(0xe000020e)} 10:00:00.000\n"
		"!    inf: Driver package 'netkvm.inf' is NOT configurable.\n"
		"<<<  [Exit status: SUCCESS]\n";
	struct wf_findings f;
	diag_str(log, &f, NULL);
	assert_int_equal(f.n, 0);
	wf_findings_free(&f);
}

/* ---- the real logs ------------------------------------------------------ */

static void fixture_diag(const char *rel, struct wf_findings *f,
			 struct wf_logsummary *sum)
{
	const char *p = fixture_path(rel);
	assert_non_null(p);
	diag_file(p, f, sum);
}

static void test_fixture_plaso_clean(void **state)
{
	SKIP_WITHOUT_FIXTURE(p, "setupapi/plaso_setupapi.dev.log");
	(void)p;
	struct wf_findings f;
	fixture_diag("setupapi/plaso_setupapi.dev.log", &f, NULL);
	assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 0);
	assert_int_equal(wf_findings_count(&f, WF_SEV_WARNING), 0);
	/* 0x800b0109 / 0xe0000242 in successful installs: info only */
	assert_true(count_id(&f, WF_FID(SIGNATURE_PROBLEM)) >= 1);
	for (size_t i = 0; i < f.n; i++)
		assert_int_equal(f.v[i].severity, WF_SEV_INFO);
	wf_findings_free(&f);
	fixture_diag("setupapi/plaso_setupapi.setup.log", &f, NULL);
	assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 0);
	wf_findings_free(&f);
}

static void test_fixture_dfir(void **state)
{
	static const char *const logs[] = {
		"setupapi/DFIRArtifactMuseum_win10_RathbunVM_setupapi.dev.log",
		"setupapi/DFIRArtifactMuseum_win11_RathbunVM_setupapi.dev.log",
	};
	SKIP_WITHOUT_FIXTURE(p, "setupapi/DFIRArtifactMuseum_win10_RathbunVM_setupapi.dev.log");
	(void)p;
	for (int i = 0; i < 2; i++) {
		struct wf_findings f;
		struct wf_logsummary sum;
		fixture_diag(logs[i], &f, &sum);
		assert_int_equal(sum.failed, 5);
		/* five FAILURE(0xe000020b): VMware tools offering drivers for
		 * absent PVSCSI / VMXNET3 / UEFI devices */
		assert_int_equal(count_id(&f, WF_FID(DEVICE_INSTALL_FAILED)), 5);
		struct wf_finding *x = expect(&f, WF_FID(DEVICE_INSTALL_FAILED),
			"PCI\\VEN_15AD&DEV_07C0&SUBSYS_07C015AD", WF_SEV_INFO);
		assert_non_null(strstr(x->title, "ERROR_NO_SUCH_DEVINST"));
		assert_true(evidence_has(x, "FAILURE(0xe000020b)"));
		expect(&f, WF_FID(DEVICE_INSTALL_FAILED), "PCI\\VEN_15AD&DEV_07B0", WF_SEV_INFO);
		/* Code 28 on VMCI before its driver was installed */
		x = expect(&f, WF_FID(DEVICE_PROBLEM_CODE),
			   "PCI\\VEN_15AD&DEV_0740&SUBSYS_074015AD&REV_10\\3&61AAA01&0&3F",
			   WF_SEV_INFO);
		assert_non_null(strstr(x->title, "Code 28"));
		assert_true(evidence_has(x, "[0x1c - 0xc0000490]"));
		assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 0);
		wf_findings_free(&f);
	}
}

static void test_fixture_win2000(void **state)
{
	SKIP_WITHOUT_FIXTURE(p, "setupapi/RemoteDesk2K_win2000_setupapi.log");
	(void)p;
	struct wf_findings f;
	struct wf_logsummary sum;
	fixture_diag("setupapi/RemoteDesk2K_win2000_setupapi.log", &f, &sum);
	assert_int_equal(sum.format, WF_SA_FMT_W2K);
	const char *svga = "PCI\\VEN_15AD&DEV_0405&SUBSYS_040515AD&REV_00\\3&61AAA01&0&78";
	const char *vmci = "PCI\\VEN_15AD&DEV_0740&SUBSYS_074015AD&REV_10\\3&61AAA01&0&3F";
	struct wf_finding *x = expect(&f, WF_FID(NULL_DRIVER_INSTALLED), svga, WF_SEV_WARNING);
	assert_true(evidence_has(x, "Installing NULL driver for PCI\\VEN_15AD&DEV_0405"));
	assert_int_equal(x->evidence[0].first, 579);
	expect(&f, WF_FID(NULL_DRIVER_INSTALLED), vmci, WF_SEV_WARNING);
	expect(&f, WF_FID(NO_COMPATIBLE_DRIVER), svga, WF_SEV_WARNING);
	expect(&f, WF_FID(NO_COMPATIBLE_DRIVER), vmci, WF_SEV_WARNING);
	expect(&f, WF_FID(NULL_DRIVER_INSTALLED), "USB\\VID_2717&PID_FF48&MI_01\\7&29940E42&0&1", WF_SEV_WARNING);
	static const char *const legacy[] = { "DMBOOT", "DMLOAD", "MOUNTMGR", "PARTMGR" };
	for (int i = 0; i < 4; i++) {
		char dev[64];
		snprintf(dev, sizeof dev, "ROOT\\LEGACY_%s\\0000", legacy[i]);
		expect(&f, WF_FID(NULL_DRIVER_INSTALLED), dev, WF_SEV_INFO);
	}
	wf_findings_free(&f);
}

static void test_fixture_clean_vista(void **state)
{
	static const char *const logs[] = {
		"setupapi/CyberSecu_win10_1809_x86_setupapi.dev.log",
		"setupapi/supportbot_win11_22621_setupapi.dev.log",
	};
	SKIP_WITHOUT_FIXTURE(p, "setupapi/CyberSecu_win10_1809_x86_setupapi.dev.log");
	(void)p;
	for (int i = 0; i < 2; i++) {
		struct wf_findings f;
		struct wf_logsummary sum;
		fixture_diag(logs[i], &f, &sum);
		assert_int_equal(sum.failed, 0);
		assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 0);
		assert_int_equal(wf_findings_count(&f, WF_SEV_WARNING), 0);
		assert_string_equal(sum.arch, i == 0 ? "x86" : "amd64");
		wf_findings_free(&f);
	}
}

static void test_fixture_carved_xp(void **state)
{
	SKIP_WITHOUT_FIXTURE(p1, "setupapi/carved_fragments_tamu20_xpx64/recup_dir.16_f1234968.java.fragment");
	struct wf_findings f = { 0 };
	struct wf_logsummary sum;
	struct wf_error e;
	struct wf_logdiag *d = wf_logdiag_new(&f);
	assert_int_equal(wf_logdiag_add_file(d, p1, "frag16", &e), 0);
	const char *p2 = fixture_path("setupapi/carved_fragments_tamu20_xpx64/recup_dir.24_f1234967.java.fragment");
	assert_non_null(p2);
	assert_int_equal(wf_logdiag_add_file(d, p2, "frag24", &e), 0);
	wf_logdiag_finish(d, &sum);
	wf_logdiag_free(d);
	assert_int_equal(sum.format, WF_SA_FMT_XP);
	struct wf_finding *x = expect(&f, WF_FID(NULL_DRIVER_INSTALLED),
		"PCI\\VEN_80EE&DEV_CAFE&SUBSYS_00000000&REV_00\\3&267A616A&0&20", WF_SEV_WARNING);
	assert_true(evidence_has(x, "#I125 Installing NULL driver"));
	expect(&f, WF_FID(NO_COMPATIBLE_DRIVER), "PCI\\VEN_80EE&DEV_CAFE&SUBSYS_00000000&REV_00\\3&267A616A&0&20",
	       WF_SEV_WARNING);
	wf_findings_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errcodes),
		cmocka_unit_test(test_seed001),
		cmocka_unit_test(test_problem_codes),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_install_failed),
		cmocka_unit_test(test_store_import_failed),
		cmocka_unit_test(test_xp_and_w2k),
		cmocka_unit_test(test_dedupe_across_files),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_clean_log_no_findings),
		cmocka_unit_test(test_fixture_plaso_clean),
		cmocka_unit_test(test_fixture_dfir),
		cmocka_unit_test(test_fixture_win2000),
		cmocka_unit_test(test_fixture_clean_vista),
		cmocka_unit_test(test_fixture_carved_xp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
