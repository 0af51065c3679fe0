/*
 * test_blowups.c - guest data that made the work quadratic (issue 15,
 * finding 6), in the shapes of the security review's proofs:
 *  - 8,000 filter names in one REG_MULTI_SZ value (1 GB, 27 s before);
 *  - a 79 KB INF whose [Strings] references made 490 MB of text;
 *  - a 1 MB INF of continuation lines (40 s before);
 *  - thousands of models sharing one services section of thousands of
 *    AddService lines.
 * Each must finish in well under a second of work (the bounds below leave
 * room for a loaded machine and sanitizers) with bounded output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "diagnose.h"
#include "finding.h"
#include "hive.h"
#include "inf.h"
#include "strbuf.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- 8,000 filters --------------------------------------------------------- */

#define DISKDRIVE "{4D36E967-E325-11CE-BFC1-08002BE10318}"

static void test_filters_8000(void **state)
{
	(void)state;
	char path[] = "/tmp/wf-test-blowups.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct wf_error e = { 0 };
	assert_int_equal(kit_write_minimal_hive(path, "SYSTEM", &e), 0);
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 1, &e);
	assert_non_null(h);
	wf_node sel = wf_hive_mkpath(h, "Select", &e);
	assert_int_equal(wf_hive_set_dword(h, sel, "Current", 1, &e), 0);
	assert_int_equal(wf_hive_set_dword(h, sel, "Default", 1, &e), 0);
	wf_node cls = wf_hive_mkpath(h, "ControlSet001\\Control\\Class\\" DISKDRIVE, &e);
	assert_non_null(wf_hive_mkpath(h, "ControlSet001\\Services", &e));
	enum { N = 8000 };
	char **names = calloc(N, sizeof *names);
	for (size_t i = 0; i < N; i++)
		names[i] = wf_xasprintf("flt%05zu", i);
	assert_int_equal(wf_hive_set_multi(h, cls, "LowerFilters",
					   (const char *const *)names, N, &e), 0);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	for (size_t i = 0; i < N; i++)
		free(names[i]);
	free(names);

	struct wf_findings f = { 0 };
	struct wf_diag_notes notes = { 0 };
	double t0 = now();
	if (wf_diagnose_hive_files(path, NULL, NULL, NULL, 0, &notes, &f, &e) < 0)
		fail_msg("%s", e.msg);
	double dt = now() - t0;
	size_t n = 0, longest = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (strcmp(f.v[i].id, "filter-driver-missing"))
			continue;
		n++;
		for (size_t k = 0; k < f.v[i].n_evidence; k++) {
			size_t l = strlen(f.v[i].evidence[k].text);
			longest = l > longest ? l : longest;
		}
	}
	printf("8000 filters: %zu findings, longest evidence %zu bytes, %.3f s\n", n, longest, dt);
	assert_true(n >= 1 && n <= 64);		/* the first 64 names are checked */
	assert_true(longest < 2048);		/* the rest counted, not listed */
	assert_true(dt < 5.0);
	wf_findings_free(&f);
	wf_diag_notes_free(&notes);
	unlink(path);
}

/* --- INF ----------------------------------------------------------------------- */

static size_t inf_bytes(const struct wf_inf *inf)
{
	size_t b = 0;
	for (size_t i = 0; i < inf->n_models; i++) {
		b += strlen(inf->models[i].desc) + strlen(inf->models[i].install);
		for (size_t k = 0; k < inf->models[i].n_hwids; k++)
			b += strlen(inf->models[i].hwids[k]);
	}
	for (size_t i = 0; i < inf->n_services; i++)
		b += strlen(inf->services[i].name);
	return b;
}

static void parse(const struct wf_strbuf *sb, struct wf_inf *inf, double *dt)
{
	struct wf_error e = { 0 };
	double t0 = now();
	if (wf_inf_parse_mem("blowup.inf", sb->buf, sb->len, "amd64", inf, &e) < 0)
		fail_msg("%s", e.msg);
	*dt = now() - t0;
}

/* 79 KB: one 4,000-character string referenced 64 times in each of 400
 * fields (102 MB of text when every reference is expanded). */
static void test_inf_substitution(void **state)
{
	(void)state;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_adds(&sb, "[Version]\nSignature=\"$Windows NT$\"\n[Manufacturer]\nM=Models\n"
		   "[Strings]\nS=\"");
	for (int i = 0; i < 4000; i++)
		wf_sb_addc(&sb, 'x');
	wf_sb_adds(&sb, "\"\n[Models]\n");
	for (int line = 0; line < 38; line++) {
		wf_sb_addf(&sb, "d%d = inst", line);
		for (int f = 0; f < 10; f++) {
			wf_sb_adds(&sb, ", ");
			for (int k = 0; k < 64; k++)
				wf_sb_adds(&sb, "%S%");
		}
		wf_sb_addc(&sb, '\n');
	}
	assert_true(sb.len < 80 * 1024);
	struct wf_inf inf;
	double dt;
	parse(&sb, &inf, &dt);
	size_t b = inf_bytes(&inf);
	printf("79 KB INF: %zu models, %zu bytes of strings, %.3f s\n", inf.n_models, b, dt);
	assert_int_equal(inf.n_models, 38);
	assert_int_equal(strlen(inf.models[0].hwids[0]), 16u << 10);	/* a value's cap */
	assert_true(b <= (17u << 20));	/* the file's budget, + the text as written */
	assert_true(dt < 5.0);
	wf_inf_free(&inf);
	wf_sb_release(&sb);
}

/* 1 MB of continuation lines: one logical line joined from 350,000. */
static void test_inf_continuations(void **state)
{
	(void)state;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_adds(&sb, "[Version]\nSignature=\"$Windows NT$\"\nProvider=\"a\\\n");
	while (sb.len < (1u << 20))
		wf_sb_adds(&sb, "b ;c\\\n");
	wf_sb_adds(&sb, "\"\n[Manufacturer]\nM=Models\n[Models]\nd = inst, PCI\\VEN_1AF4\n");
	struct wf_inf inf;
	double dt;
	parse(&sb, &inf, &dt);
	printf("1 MB of continuation lines: %.3f s\n", dt);
	assert_true(dt < 5.0);
	/* the rest of the file still parses after the giant line */
	assert_int_equal(inf.n_models, 1);
	assert_string_equal(inf.models[0].hwids[0], "PCI\\VEN_1AF4");
	wf_inf_free(&inf);
	wf_sb_release(&sb);
}

/* 4,000 models sharing one services section of 20,000 AddService lines. */
static void test_inf_shared_sections(void **state)
{
	(void)state;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_adds(&sb, "[Version]\nSignature=\"$Windows NT$\"\n[Manufacturer]\nM=Models\n[Models]\n");
	for (int i = 0; i < 4000; i++)
		wf_sb_addf(&sb, "d%d = inst, PCI\\VEN_%04X\n", i, i);
	wf_sb_adds(&sb, "[inst.Services]\n");
	for (int i = 0; i < 20000; i++)
		wf_sb_addf(&sb, "AddService = s%d, 2, svc\n", i);
	wf_sb_adds(&sb, "[svc]\nServiceType=1\nStartType=0\n[inst.HW]\nAddReg=r\n[r]\n");
	for (int i = 0; i < 5000; i++)
		wf_sb_addf(&sb, "HKR,,v%d,0x10001,1\n", i);
	struct wf_inf inf;
	double dt;
	parse(&sb, &inf, &dt);
	size_t regs = 0;
	for (size_t i = 0; i < inf.n_models; i++)
		regs += inf.models[i].n_hw_addreg;
	printf("shared sections: %zu models, %zu services, %zu AddReg lines kept, %.3f s\n",
	       inf.n_models, inf.n_services, regs, dt);
	assert_int_equal(inf.n_models, 4000);
	assert_int_equal(inf.n_services, 20000);
	assert_true(regs <= 16384);
	assert_true(dt < 5.0);
	wf_inf_free(&inf);
	wf_sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters_8000),
		cmocka_unit_test(test_inf_substitution),
		cmocka_unit_test(test_inf_continuations),
		cmocka_unit_test(test_inf_shared_sections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
