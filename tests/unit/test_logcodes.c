/*
 * test_logcodes.c - what the lines say: the error-code table (a source
 * and a role per row) and the XP message table driving the log diagnosis,
 * one case per message id and per code family; healthy whole logs of
 * ../shared/fixtures/setupapi give no error-severity finding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errcodes.h"
#include "error.h"
#include "finding.h"
#include "fixtures.h"
#include "logdiag.h"
#include "setupapi_xpmsg.h"
#include "strbuf.h"

static void diag_str(const char *s, struct wf_findings *f)
{
	FILE *fp = fmemopen((void *)s, strlen(s), "rb");
	struct wf_error e = { 0 };
	struct wf_logsummary sum;
	assert_non_null(fp);
	memset(f, 0, sizeof *f);
	assert_int_equal(wf_logdiag_stream(fp, "paste", f, &sum, &e), 0);
	fclose(fp);
}

static const struct wf_finding *find_id(const struct wf_findings *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].id, id) == 0)
			return &f->v[i];
	return NULL;
}

static void dump(const struct wf_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		print_message("  %s %s %s | %s\n", wf_severity_name(f->v[i].severity),
			      f->v[i].id, f->v[i].device ? f->v[i].device : "-",
			      f->v[i].title);
}

/* ---- the error-code table ------------------------------------------- */

static void check_row(const struct wf_code *c)
{
	assert_non_null(c->name);
	assert_non_null(c->meaning);
	assert_non_null(c->source);
	assert_true(strlen(c->source) > 3);
	assert_int_not_equal(c->role, WF_CODE_UNKNOWN);
	/* an unsourced meaning says so, and only then */
	assert_int_equal(!strncmp(c->source, "[U]", 3), !strncmp(c->meaning, "[U]", 3));
}

static void test_code_table(void **state)
{
	(void)state;
	for (unsigned i = 0; i < wf_code_table_size(); i++)
		check_row(wf_code_at(i));
	for (unsigned i = 0; i < wf_cmprob_table_size(); i++)
		check_row(wf_cmprob_at(i));
	assert_null(wf_cmprob_at(wf_cmprob_table_size()));

	/* the SetupAPI set: 0xE0000200..0xE000024C has no hole but 0x237's
	 * neighbours as setupapi.h lists them */
	for (uint32_t v = 0xE0000200u; v <= 0xE000024Cu; v++)
		if (!wf_code_lookup(v))
			fail_msg("0x%08x missing", (unsigned)v);
	/* trust errors: no signature, untrusted root are context (the cause
	 * only when the install fails); revoked / distrusted are causes */
	assert_string_equal(wf_code_name(0x800b0100), "TRUST_E_NOSIGNATURE");
	assert_int_equal(wf_code_role(0x800b0100), WF_CODE_CONTEXT);
	assert_string_equal(wf_code_name(0x800b0109), "CERT_E_UNTRUSTEDROOT");
	assert_int_equal(wf_code_role(0x800b0109), WF_CODE_CONTEXT);
	assert_int_equal(wf_code_role(0x800b010c), WF_CODE_CAUSE);
	assert_int_equal(wf_code_role(0x800b0111), WF_CODE_CAUSE);
	for (uint32_t v = 0x800B0100u; v <= 0x800B0112u; v++)
		if (wf_code_lookup(v))
			assert_true(wf_code_flags(v) & WF_CODE_SIGNATURE);
	/* SetupAPI: the store failure is a cause, DI_DO_DEFAULT noise */
	assert_int_equal(wf_code_role(0xe0000247), WF_CODE_CAUSE);
	assert_true(wf_code_flags(0x800f0247) & WF_CODE_STORE);
	assert_int_equal(wf_code_role(0xe000020e), WF_CODE_NOISE);
	assert_int_equal(wf_code_role(0xe0000241), WF_CODE_NOISE);
	assert_string_equal(wf_code_name(0xe0000237), "ERROR_INCORRECTLY_COPIED_INF");
	/* Win32 */
	assert_string_equal(wf_code_name(0x6be), "RPC_S_CALL_FAILED");
	assert_int_equal(wf_code_role(0x800706be), WF_CODE_CAUSE);
	assert_non_null(strstr(wf_code_lookup(0x6be)->source, "1700-3999"));
	assert_string_equal(wf_code_name(0x490), "ERROR_NOT_FOUND");
	assert_int_equal(wf_code_role(0x490), WF_CODE_CONTEXT);
	assert_non_null(strstr(wf_code_lookup(0x490)->source, "1000-1299"));
	/* 0xffff: no source gives it a meaning */
	const struct wf_code *u = wf_code_lookup(0xffff);
	assert_non_null(u);
	assert_memory_equal(u->meaning, "[U]", 3);
	assert_int_equal(wf_code_role(0x12345678), WF_CODE_UNKNOWN);
	assert_string_equal(wf_code_role_name(WF_CODE_CONTEXT), "context");
	assert_int_equal(wf_cmprob_lookup(0x0e)->role, WF_CODE_NOISE);
}

/* ---- codes driving the diagnosis --------------------------------------- */

#define SEC_HEAD ">>>  [Device Install (Hardware initiated) - PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&13c0b0c5&0&20]\n" \
		 ">>>  Section start 2023/01/02 10:00:00.000\n"
#define SEC_OK	 "<<<  Section end 2023/01/02 10:00:01.000\n<<<  [Exit status: SUCCESS]\n"

static void test_trust_then_verdict(void **state)
{
	(void)state;
	struct wf_findings f;
	/* 0x800b0109 then success: information */
	diag_str(SEC_HEAD "!    sig:           Verifying file against specific (valid) catalog failed! (0x800b0109)\n"
		 "!    sig:           Error 0x800b0109: A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.\n"
		 SEC_OK, &f);
	const struct wf_finding *x = find_id(&f, WF_FID(SIGNATURE_PROBLEM));
	assert_non_null(x);
	assert_int_equal(x->severity, WF_SEV_INFO);
	assert_non_null(strstr(x->title, "not a cause"));
	assert_int_equal(wf_findings_count(&f, WF_SEV_ERROR), 0);
	wf_findings_free(&f);
	/* 0x800b0109 then 0xE0000247: the cause */
	diag_str(SEC_HEAD "!    sig:           Error 0x800b0109: A certificate chain processed, but terminated in an untrusted root.\n"
		 "!!!  sto:           Failed to import driver package into Driver Store. Error = 0xE0000247\n"
		 "<<<  Section end 2023/01/02 10:00:01.000\n<<<  [Exit status: FAILURE(0xe0000247)]\n", &f);
	x = find_id(&f, WF_FID(SIGNATURE_PROBLEM));
	assert_non_null(x);
	assert_int_equal(x->severity, WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "is its cause"));
	assert_non_null(find_id(&f, WF_FID(DRIVER_STORE_IMPORT_FAILED)));
	wf_findings_free(&f);
	/* a revoked certificate (a cause row) in an install that went on:
	 * a warning, not information */
	diag_str(SEC_HEAD "!    sig:           Error 0x800b010c: A certificate was explicitly revoked by its issuer.\n"
		 SEC_OK, &f);
	x = find_id(&f, WF_FID(SIGNATURE_PROBLEM));
	assert_non_null(x);
	assert_int_equal(x->severity, WF_SEV_WARNING);
	wf_findings_free(&f);
}

static void test_noise_and_failure_codes(void **state)
{
	(void)state;
	struct wf_findings f;
	/* a noise code on an error line of a good install: nothing */
	diag_str(SEC_HEAD "!    dvi:           Default installer: failed! Error 0xe000020e\n" SEC_OK, &f);
	if (f.n)
		dump(&f);
	assert_int_equal(f.n, 0);
	wf_findings_free(&f);
	/* Win32 0x6BE as a failed install's code */
	diag_str(SEC_HEAD "!!!  ndv:           Installing the device failed. Error = 0x800706be\n"
		 "<<<  Section end 2023/01/02 10:00:01.000\n<<<  [Exit status: FAILURE(0x000006be)]\n", &f);
	const struct wf_finding *x = find_id(&f, WF_FID(DEVICE_INSTALL_FAILED));
	assert_non_null(x);
	assert_non_null(strstr(x->title, "RPC_S_CALL_FAILED"));
	assert_int_equal(x->severity, WF_SEV_ERROR);
	wf_findings_free(&f);
	/* 0xffff (libwdi's installer): a failure, its meaning not sourced */
	diag_str(SEC_HEAD "!!!  ndv:           Failed to install device instance 'ROOT\\HIDCLASS\\0000'. Error = 0x0000ffff\n"
		 "<<<  Section end 2023/01/02 10:00:01.000\n<<<  [Exit status: FAILURE(0x0000ffff)]\n", &f);
	x = find_id(&f, WF_FID(DEVICE_INSTALL_FAILED));
	assert_non_null(x);
	assert_non_null(strstr(x->explanation, "[U]"));
	wf_findings_free(&f);
}

/* ---- XP message ids ----------------------------------------------------- */

/* Every row of the message table, as a lone line of a paste: causes are
 * findings with the row's meaning (#E errors, #W warnings), the other
 * rows are not findings. */
static void test_each_xp_message_alone(void **state)
{
	(void)state;
	unsigned causes = 0, quiet = 0;
	for (unsigned i = 0; i < wf_xp_msg_count(); i++) {
		const struct wf_xp_msg *m = wf_xp_msg_at(i);
		if (m->sev != 'E' && m->sev != 'W')
			continue;	/* #I / #- lines are read by their words */
		char text[128];
		snprintf(text, sizeof text, "#%c%03u The step ended.\n", m->sev, m->id);
		struct wf_findings f;
		diag_str(text, &f);
		if (m->role == WF_XP_ROLE_CAUSE) {
			const struct wf_finding *x = find_id(&f, WF_FID(INSTALL_ERROR_LOGGED));
			if (!x || f.n != 1) {
				dump(&f);
				fail_msg("#%c%03u: expected one install-error-logged", m->sev, m->id);
			}
			assert_int_equal(x->severity, m->sev == 'E' ? WF_SEV_ERROR : WF_SEV_WARNING);
			assert_non_null(strstr(x->explanation, m->meaning));
			assert_non_null(strstr(x->explanation, m->source));
			char id[8];
			snprintf(id, sizeof id, "#%c%03u", m->sev, m->id);
			assert_non_null(strstr(x->title, id));
			causes++;
		} else {
			if (f.n) {
				dump(&f);
				fail_msg("#%c%03u (not a cause) gave findings", m->sev, m->id);
			}
			quiet++;
		}
		wf_findings_free(&f);
	}
	assert_true(causes >= 8);
	assert_true(quiet >= 8);
}

static void test_xp_e154(void **state)
{
	(void)state;
	struct wf_findings f;
	/* a wrapped paste, the id's device in curly quotes */
	diag_str("#-198 Command line processed: C:\\WINDOWS\\system32\\services.exe\n"
		 "#I123 Doing full install of \xe2\x80\x9cUSB\\VID_0403&PID_6001\\A600ABCD\xe2\x80\x9d.\n"
		 "#E154 Class installer failed. Error 0xe000022d: The driver selected for\n"
		 "this device does not support Windows XP.\n", &f);
	const struct wf_finding *x = find_id(&f, WF_FID(INSTALL_ERROR_LOGGED));
	if (!x)
		dump(&f);
	assert_non_null(x);
	assert_int_equal(x->severity, WF_SEV_ERROR);
	assert_string_equal(x->device, "USB\\VID_0403&PID_6001\\A600ABCD");
	assert_non_null(strstr(x->title, "class installer failed"));
	assert_non_null(strstr(x->title, "ERROR_NON_WINDOWS_NT_DRIVER"));
	wf_findings_free(&f);
	/* the same line in an install that went on: not its cause */
	diag_str("[2005/01/02 10:00:00 512.7 Driver Install]\n"
		 "#I123 Doing full install of \"USB\\VID_0403&PID_6001\\A600ABCD\".\n"
		 "#E154 Class installer failed. Error 0xe000022d: The driver selected for this device does not support Windows XP.\n"
		 "#I121 Device install of \"USB\\VID_0403&PID_6001\\A600ABCD\" finished successfully.\n", &f);
	assert_null(find_id(&f, WF_FID(INSTALL_ERROR_LOGGED)));
	wf_findings_free(&f);
	/* with its verdict "Device install failed": device-install-failed,
	 * the message's meaning in the explanation */
	diag_str("[2005/01/02 10:00:00 512.7 Driver Install]\n"
		 "#I123 Doing full install of \"USB\\VID_0403&PID_6001\\A600ABCD\".\n"
		 "#E154 Class installer failed. Error 0xe000022d: The driver selected for this device does not support Windows XP.\n"
		 "#E122 Device install failed. Error 0xe000022d: The driver selected for this device does not support Windows XP.\n", &f);
	assert_null(find_id(&f, WF_FID(INSTALL_ERROR_LOGGED)));
	x = find_id(&f, WF_FID(DEVICE_INSTALL_FAILED));
	assert_non_null(x);
	assert_non_null(strstr(x->explanation, "#E154: the class installer failed"));
	wf_findings_free(&f);
}

static void test_xp_unknown_ids(void **state)
{
	(void)state;
	struct wf_findings f;
	diag_str("#E777 Something went wrong. Error 0xe0000219: no function driver.\n", &f);
	const struct wf_finding *x = find_id(&f, WF_FID(INSTALL_ERROR_LOGGED));
	assert_non_null(x);
	assert_int_equal(x->severity, WF_SEV_WARNING);
	assert_non_null(strstr(x->title, "not in our table"));
	wf_findings_free(&f);
	diag_str("#W777 Something to note. Error 0x00000431\n", &f);
	assert_int_equal(f.n, 0);
	wf_findings_free(&f);
	/* #E362: in the table, its meaning not sourced; the title says so */
	diag_str("#E362 Something about \"x.sys\".\n", &f);
	x = find_id(&f, WF_FID(INSTALL_ERROR_LOGGED));
	assert_non_null(x);
	assert_non_null(strstr(x->title, "[U]"));
	wf_findings_free(&f);
	/* #E358 alone: its sourced meaning, and the device id it quotes
	 * (straight or curly quotes); a quoted path or file is no device */
	static const char *const e358[] = {
		"#E358 An unsigned or incorrectly signed file \"c:\\windows\\inf\\oem7.inf\" for driver "
		"\"PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4\" blocked (server install). Error 1168: Element not found.\n",
		"#E358 An unsigned or incorrectly signed file \xe2\x80\x9c" "c:\\windows\\inf\\oem7.inf\xe2\x80\x9d for driver "
		"\xe2\x80\x9cPCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4\xe2\x80\x9d blocked (server install). Error 1168: Element not found.\n",
	};
	for (size_t i = 0; i < 2; i++) {
		diag_str(e358[i], &f);
		x = find_id(&f, WF_FID(INSTALL_ERROR_LOGGED));
		if (!x)
			dump(&f);
		assert_non_null(x);
		assert_string_equal(x->device, "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4");
		assert_null(strstr(x->title, "[U]"));
		assert_non_null(strstr(x->title, "server-side"));
		wf_findings_free(&f);
	}
	diag_str("#E358 An unsigned or incorrectly signed file \"system32\\drivers\\viostor.sys\" for driver "
		 "\"Red Hat VirtIO SCSI controller\" blocked (server install). Error 1168: Element not found.\n", &f);
	x = find_id(&f, WF_FID(INSTALL_ERROR_LOGGED));
	assert_non_null(x);
	assert_null(x->device);
	wf_findings_free(&f);
	/* the same id carrying a trust code: a cause row makes the excerpt's
	 * install failed, so the signature is its cause, not "went on" */
	diag_str("#-198 Command line processed: C:\\WINDOWS\\system32\\services.exe\n"
		 "#E358 An unsigned or incorrectly signed file \"c:\\windows\\inf\\oem12.inf\" for driver \"X\" "
		 "will not be installed (Policy=Ignore). Error 0x800b0100: No signature was present in the subject.\n", &f);
	x = find_id(&f, WF_FID(SIGNATURE_PROBLEM));
	if (!x)
		dump(&f);
	assert_non_null(x);
	assert_int_equal(x->severity, WF_SEV_ERROR);
	assert_non_null(strstr(x->title, "TRUST_E_NOSIGNATURE"));
	wf_findings_free(&f);
}

/* ---- healthy whole logs ------------------------------------------------ */

static void test_healthy_logs(void **state)
{
	(void)state;
	static const char *const logs[] = {
		"setupapi/plaso_setupapi.dev.log",
		"setupapi/plaso_setupapi.setup.log",
		"setupapi/CyberSecu_win10_1809_x86_setupapi.dev.log",
		"setupapi/DFIRArtifactMuseum_win10_RathbunVM_setupapi.dev.log",
		"setupapi/DFIRArtifactMuseum_win11_RathbunVM_setupapi.dev.log",
		"setupapi/supportbot_win11_22621_setupapi.dev.log",
	};
	SKIP_WITHOUT_FIXTURE(dir, "setupapi");
	(void)dir;
	unsigned seen = 0;
	for (size_t i = 0; i < sizeof logs / sizeof *logs; i++) {
		const char *p = fixture_path(logs[i]);
		if (!p) {
			printf("note: %s absent\n", logs[i]);
			continue;
		}
		struct wf_findings f = { 0 };
		struct wf_logsummary sum;
		struct wf_error e = { 0 };
		assert_int_equal(wf_logdiag_file(p, NULL, &f, &sum, &e), 0);
		assert_int_equal(sum.excerpts, 0);	/* whole logs */
		if (wf_findings_count(&f, WF_SEV_ERROR)) {
			dump(&f);
			fail_msg("%s: error findings in a healthy log", logs[i]);
		}
		wf_findings_free(&f);
		seen++;
	}
	assert_true(seen >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_table),
		cmocka_unit_test(test_trust_then_verdict),
		cmocka_unit_test(test_noise_and_failure_codes),
		cmocka_unit_test(test_each_xp_message_alone),
		cmocka_unit_test(test_xp_e154),
		cmocka_unit_test(test_xp_unknown_ids),
		cmocka_unit_test(test_healthy_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
