/*
 * test_setupapi.c - core/setupapi: encodings and lines, each line form of
 * both formats, section records, the real logs of ../shared/fixtures, and
 * hostile input (garbage, a 1 GB line, truncated UTF-16, endless sections).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "errcodes.h"
#include "fixtures.h"
#include "setupapi.h"

/* ---- helpers ------------------------------------------------------------ */

struct recs {
	struct wf_sa_record *v;
	size_t n;
	size_t max;		/* keep at most this many (0 = all) */
	size_t seen;
};

static int collect(const struct wf_sa_record *r, void *arg)
{
	struct recs *rs = arg;
	rs->seen++;
	if (rs->max && rs->n >= rs->max)
		return 0;
	rs->v = realloc(rs->v, (rs->n + 1) * sizeof *rs->v);
	assert_non_null(rs->v);
	rs->v[rs->n++] = *r;
	return 0;
}

static void parse_mem(const void *data, size_t len, struct recs *rs,
		      struct wf_sa_info *info)
{
	FILE *f = fmemopen((void *)data, len, "rb");
	assert_non_null(f);
	struct wf_error e = { 0 };
	assert_int_equal(wf_sa_parse_stream(f, "mem.log", collect, rs, info, &e), 0);
	fclose(f);
}

static void parse_str(const char *s, struct recs *rs, struct wf_sa_info *info)
{
	parse_mem(s, strlen(s), rs, info);
}

static const struct wf_sa_event *find_ev(const struct wf_sa_record *r,
					 enum wf_sa_event_kind k)
{
	for (unsigned i = 0; i < r->n_ev; i++)
		if (r->ev[i].kind == k)
			return &r->ev[i];
	return NULL;
}

static char *data_path(const char *name)
{
	static char buf[1024];
	const char *dir = getenv("WF_TESTDATA");
	snprintf(buf, sizeof buf, "%s/%s", dir ? dir : "tests/data/logs", name);
	return buf;
}

/* Read a whole file (tests only). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* ASCII/UTF-8 (ASCII subset) -> UTF-16LE, optional BOM. */
static char *to_utf16(const char *s, size_t n, int bom, size_t *out)
{
	char *b = malloc(2 * n + 2);
	size_t k = 0;
	if (bom) {
		b[k++] = (char)0xFF;
		b[k++] = (char)0xFE;
	}
	for (size_t i = 0; i < n; i++) {
		b[k++] = s[i];
		b[k++] = 0;
	}
	*out = k;
	return b;
}

/* LF -> CRLF */
static char *to_crlf(const char *s, size_t n, size_t *out)
{
	char *b = malloc(2 * n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			b[k++] = '\r';
		b[k++] = s[i];
	}
	*out = k;
	return b;
}

static void free_recs(struct recs *rs)
{
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

/* ---- reader ------------------------------------------------------------ */

static void read_lines(const void *data, size_t len, char out[][64], int *n,
		       struct wf_sa_reader **keep)
{
	FILE *f = fmemopen((void *)data, len, "rb");
	struct wf_sa_reader *r = wf_sa_reader_new(f);
	char *line;
	size_t l;
	*n = 0;
	while (wf_sa_reader_next(r, &line, &l) > 0 && *n < 16) {
		assert_int_equal(strlen(line) <= l, 1);
		snprintf(out[(*n)++], 64, "%s", line);
	}
	if (keep)
		*keep = r;
	else
		wf_sa_reader_free(r);
	fclose(f);
}

static void test_reader_line_endings(void **state)
{
	char l[16][64];
	int n;
	read_lines("a\r\nbb\nccc", 9, l, &n, NULL);
	assert_int_equal(n, 3);
	assert_string_equal(l[0], "a");
	assert_string_equal(l[1], "bb");
	assert_string_equal(l[2], "ccc");	/* no final newline */
	read_lines("\n\r\n", 3, l, &n, NULL);
	assert_int_equal(n, 2);
	assert_string_equal(l[0], "");
	assert_string_equal(l[1], "");
	read_lines("", 0, l, &n, NULL);
	assert_int_equal(n, 0);
}

static void test_reader_encodings(void **state)
{
	char l[16][64];
	int n;
	struct wf_sa_reader *r;
	read_lines("\xEF\xBB\xBFhello\nworld\n", 15, l, &n, &r);
	assert_int_equal(wf_sa_reader_encoding(r), WF_SA_ENC_UTF8_BOM);
	wf_sa_reader_free(r);
	assert_int_equal(n, 2);
	assert_string_equal(l[0], "hello");

	size_t u;
	char *w = to_utf16("[Device Install Log]\r\nx\r\n", 25, 1, &u);
	read_lines(w, u, l, &n, &r);
	assert_int_equal(wf_sa_reader_encoding(r), WF_SA_ENC_UTF16LE);
	assert_int_equal(wf_sa_reader_odd_tail(r), 0);
	wf_sa_reader_free(r);
	assert_int_equal(n, 2);
	assert_string_equal(l[0], "[Device Install Log]");
	assert_string_equal(l[1], "x");
	free(w);

	/* no BOM: detected from the zero high bytes */
	w = to_utf16("[SetupAPI Log]\n", 15, 0, &u);
	read_lines(w, u, l, &n, &r);
	assert_int_equal(wf_sa_reader_encoding(r), WF_SA_ENC_UTF16LE);
	wf_sa_reader_free(r);
	assert_string_equal(l[0], "[SetupAPI Log]");
	free(w);

	/* non-ASCII UTF-16 (e acute, a surrogate pair) becomes UTF-8 */
	static const unsigned char e16[] = { 0xFF, 0xFE, 'a', 0, 0xE9, 0,
					     0x3D, 0xD8, 0x00, 0xDE, '\n', 0 };
	read_lines(e16, sizeof e16, l, &n, NULL);
	assert_string_equal(l[0], "a\xC3\xA9\xF0\x9F\x98\x80");
}

static void test_reader_truncated_utf16(void **state)
{
	char l[16][64];
	int n;
	struct wf_sa_reader *r;
	size_t u;
	char *w = to_utf16("abc\ndef", 7, 1, &u);
	/* cut in the middle of the last code unit, and a lone high surrogate */
	read_lines(w, u - 1, l, &n, &r);
	assert_int_equal(wf_sa_reader_odd_tail(r), 1);
	wf_sa_reader_free(r);
	assert_int_equal(n, 2);
	assert_string_equal(l[1], "de");
	static const unsigned char hs[] = { 0xFF, 0xFE, 'x', 0, 0x3D, 0xD8 };
	read_lines(hs, sizeof hs, l, &n, NULL);
	assert_int_equal(n, 1);
	assert_string_equal(l[0], "x\xEF\xBF\xBD");
	free(w);
}

static void test_reader_nul_and_long(void **state)
{
	/* NUL padding like a preallocated log, then a line longer than the cap */
	size_t big = 3 * WF_SA_LINE_MAX;
	char *b = malloc(big + 64);
	memcpy(b, "a\0b\n", 4);
	memset(b + 4, 'x', big);
	memcpy(b + 4 + big, "\nlast\n", 6);
	FILE *f = fmemopen(b, big + 10, "rb");
	struct wf_sa_reader *r = wf_sa_reader_new(f);
	char *line;
	size_t len;
	assert_int_equal(wf_sa_reader_next(r, &line, &len), 1);
	assert_int_equal(len, 3);	/* NUL kept, length tells */
	assert_int_equal(wf_sa_reader_next(r, &line, &len), 1);
	assert_int_equal(len, WF_SA_LINE_MAX);
	assert_int_equal(wf_sa_reader_next(r, &line, &len), 1);
	assert_string_equal(line, "last");
	assert_int_equal(wf_sa_reader_lineno(r), 3);
	assert_int_equal(wf_sa_reader_long_lines(r), 1);
	assert_int_equal(wf_sa_reader_next(r, &line, &len), 0);
	wf_sa_reader_free(r);
	fclose(f);
	free(b);
}

static void test_clean_text(void **state)
{
	char out[32];
	wf_sa_clean_text(out, sizeof out, "a\0b\x01" "c", 5);
	assert_string_equal(out, "ab?c");
	wf_sa_clean_text(out, sizeof out, "caf\xE9 \x80", 6);	/* Windows-1252 */
	assert_string_equal(out, "caf\xC3\xA9 \xE2\x82\xAC");
	wf_sa_clean_text(out, 8, "0123456789", 10);
	assert_string_equal(out, "0123...");	/* 7 bytes and the NUL */
	/* UTF-8 C1 controls (U+009B is CSI, U+009D OSC) become '?' like C0;
	 * U+00A0 and up pass */
	wf_sa_clean_text(out, sizeof out, "x\xC2\x9B" "2J\xC2\x9D" "52;c\xC2\xA0\xC2\x80", 15);
	assert_string_equal(out, "x?2J?52;c\xC2\xA0?");
}

/* ---- Vista line forms -------------------------------------------------- */

static const char vista_sections[] =
	"[Device Install Log]\n"
	"     OS Version = 10.0.17763\n"
	"     Architecture = x86\n"
	"[BeginLog]\n"
	"[Boot Session: 2020/01/01 10:00:00.000]\n"
	">>>  [Device Install (Hardware initiated) - PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02\\3&267a616a&0&18]\n"
	">>>  Section start 2020/01/01 10:01:00.000\n"
	"     dvi: {Build Driver List} 10:01:00.001\n"
	"     dvi:      Searching for hardware ID(s):\n"
	"     dvi:           pci\\ven_8086&dev_100e&subsys_001e8086&rev_02\n"
	"     dvi:           pci\\ven_8086&dev_100e&cc_020000\n"
	"     dvi:      Searching for compatible ID(s):\n"
	"     dvi:           pci\\ven_8086&cc_0200\n"
	"     dvi: {Build Driver List - exit(0x00000000)} 10:01:00.002\n"
	"     dvi:                InfFile     - [c:\\windows\\inf\\net1ix64.inf]\n"
	"     inf:           {Add Service: e1iexpress}\n"
	"     inf:                Created new service 'e1iexpress'.\n"
	"     dvi: {DIF_ALLOW_INSTALL - exit(0xe000020e)} 10:01:00.003\n"
	"!    inf: Driver package 'x.inf' is NOT configurable.\n"
	"<<<  Section end 2020/01/01 10:01:00.100\n"
	"<<<  [Exit status: SUCCESS]\n"
	">>>  [SetupCopyOEMInf - C:\\drv\\a.inf]\n"
	">>>  2005/02/13 22:06:20.000: Section start\n"
	"!!!  inf: Something bad. Error = 0xe0000100\n"
	"<<<  [2005/02/13 22:06:28.109: Section end]\n"
	"<<<  [Exit Status(0xe0000100)]\n"
	">>>  [Device Install (DiInstallDriver) - C:\\drv\\b.inf]\n"
	">>>  Section start 2020/01/01 10:02:00.000\n"
	"<<<  Section end 2020/01/01 10:02:00.100\n"
	"<<<  [Exit status: SUCCESS (REBOOT_REQUIRED)]\n"
	">>>  [Delete Device]\n"
	">>>  Section start 2020/01/01 10:03:00.000\n"
	"<<<  [Exit]\n";

static void test_vista_sections(void **state)
{
	struct recs rs = { 0 };
	struct wf_sa_info info;
	parse_str(vista_sections, &rs, &info);
	assert_int_equal(info.format, WF_SA_FMT_VISTA);
	assert_string_equal(info.os_version, "10.0.17763");
	assert_string_equal(info.arch, "x86");
	assert_int_equal(info.sections, 4);
	assert_int_equal(info.failed, 1);
	assert_int_equal(info.boot_sessions, 1);
	assert_int_equal(rs.n, 4);

	const struct wf_sa_record *r = &rs.v[0];
	assert_string_equal(r->title, "Device Install (Hardware initiated)");
	assert_string_equal(r->device, "PCI\\VEN_8086&DEV_100E&SUBSYS_001E8086&REV_02\\3&267a616a&0&18");
	assert_string_equal(r->start, "2020/01/01 10:01:00.000");
	assert_int_equal(r->first_line, 6);
	assert_int_equal(r->last_line, 21);
	assert_int_equal(r->exit, WF_SA_EXIT_SUCCESS);
	assert_int_equal(r->exit_line, 21);
	assert_int_equal(r->n_hwids, 2);
	assert_string_equal(r->hwids[1], "pci\\ven_8086&dev_100e&cc_020000");
	assert_int_equal(r->n_compat, 1);
	assert_string_equal(r->driver, "c:\\windows\\inf\\net1ix64.inf");
	assert_int_equal(r->n_services, 1);
	assert_string_equal(r->services[0], "e1iexpress");
	/* the benign 0xe000020e exit makes no event; the warning is context */
	assert_null(find_ev(r, WF_SA_EV_NULL_DRIVER));
	for (unsigned i = 0; i < r->n_ev; i++)
		assert_int_not_equal(r->ev[i].code, 0xe000020e);

	r = &rs.v[1];	/* MS documentation form of header and footer */
	assert_string_equal(r->title, "SetupCopyOEMInf");
	assert_string_equal(r->instance, "C:\\drv\\a.inf");
	assert_string_equal(r->device, "");	/* a path is not a device */
	assert_string_equal(r->start, "2005/02/13 22:06:20.000");
	assert_int_equal(r->exit, WF_SA_EXIT_FAILURE);
	assert_int_equal(r->exit_code, 0xe0000100);
	const struct wf_sa_event *ev = find_ev(r, WF_SA_EV_ERROR);
	assert_non_null(ev);
	assert_int_equal(ev->error, 1);
	assert_int_equal(ev->line, 24);
	assert_string_equal(ev->text, "!!!  inf: Something bad. Error = 0xe0000100");

	assert_int_equal(rs.v[2].exit, WF_SA_EXIT_SUCCESS);	/* REBOOT_REQUIRED */
	assert_string_equal(rs.v[3].title, "Delete Device");
	assert_int_equal(rs.v[3].exit, WF_SA_EXIT_SUCCESS);	/* bare [Exit] */
	free_recs(&rs);
}

static void test_vista_events(void **state)
{
	static const char log[] =
		">>>  [Device Install (Hardware initiated) - PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&1&0&20]\n"
		">>>  Section start 2020/01/01 10:01:00.000\n"
		"!    dvi: Error 0xe0000228: There are no compatible drivers for this device.\n"	/* 3 */
		"!    dvi:      Installing NULL driver!\n"					/* 4 */
		"     ndv: Installing NULL driver.\n"						/* 5 */
		"     dvi: Device Status: 0x01802400 [0x1c - 0xc0000490]\n"			/* 6 */
		"!!!  dvi: Device not started: Device has problem: 0x27 (CM_PROB_DRIVER_FAILED_LOAD), problem status: 0xc0000034.\n" /* 7 */
		"!    sig: Verifying file against specific (valid) catalog failed! (0x800b0109)\n"	/* 8 */
		"     sig: {_VERIFY_FILE_SIGNATURE exit(0xe0000242)} 10:00:00.000\n"		/* 9 */
		"!!!  sig: Failed to install catalog 'a.cat' as 'oem1.cat'. Error = 0x00000426\n"	/* 10 */
		"     sto: {DRIVERSTORE IMPORT END: exit(0x00000426)} 10:00:00.000\n"		/* 11 */
		"!!!  ndv: Error 1062: The service has not been started.\n"			/* 12 */
		"     ndv: {Configure Device - PCI\\VEN_1AF4&DEV_1002&SUBSYS_00051AF4&REV_00\\3&1&0&28}\n" /* 13 */
		"     dvi:      Device Status: 0x01802400 [0x1f - 0xc00000bb]\n"		/* 14 */
		"<<<  Section end 2020/01/01 10:01:00.100\n"
		"<<<  [Exit status: FAILURE(0x00000426)]\n";
	struct recs rs = { 0 };
	parse_str(log, &rs, NULL);
	assert_int_equal(rs.n, 1);
	const struct wf_sa_record *r = &rs.v[0];
	const char *dev = "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&1&0&20";
	assert_int_equal(r->null_driver, 1);
	const struct wf_sa_event *ev = find_ev(r, WF_SA_EV_NO_COMPAT);
	assert_non_null(ev);
	assert_int_equal(ev->line, 3);
	assert_int_equal(ev->code, 0xe0000228);
	assert_string_equal(ev->device, dev);
	ev = find_ev(r, WF_SA_EV_NULL_DRIVER);
	assert_int_equal(ev->line, 4);
	unsigned nulls = 0, probs = 0, sigs = 0, stores = 0, ints = 0;
	for (unsigned i = 0; i < r->n_ev; i++) {
		ev = &r->ev[i];
		nulls += ev->kind == WF_SA_EV_NULL_DRIVER;
		sigs += ev->kind == WF_SA_EV_SIGNATURE;
		stores += ev->kind == WF_SA_EV_STORE_FAIL;
		ints += ev->kind == WF_SA_EV_INTERRUPT;
		if (ev->kind == WF_SA_EV_PROBLEM) {
			probs++;
			if (ev->line == 6) {
				assert_int_equal(ev->problem, 0x1c);
				assert_int_equal(ev->status, 0xc0000490);
			} else if (ev->line == 7) {
				assert_int_equal(ev->problem, 0x27);
				assert_int_equal(ev->status, 0xc0000034);
			} else {
				assert_int_equal(ev->line, 14);
				assert_int_equal(ev->problem, 0x1f);
				/* the block named another device */
				assert_string_equal(ev->device, "PCI\\VEN_1AF4&DEV_1002&SUBSYS_00051AF4&REV_00\\3&1&0&28");
			}
		}
	}
	assert_int_equal(nulls, 2);
	assert_int_equal(probs, 3);
	assert_int_equal(sigs, 2);	/* 0x800b0109 and 0xe0000242 */
	assert_true(stores >= 2);	/* catalog line and the import block */
	assert_int_equal(ints, 3);	/* 0x426 twice and Error 1062 */
	assert_int_equal(r->exit, WF_SA_EXIT_FAILURE);
	assert_int_equal(r->exit_code, 0x426);
	free_recs(&rs);
}

static void test_problem_cleared(void **state)
{
	static const char log[] =
		">>>  [Device Install - PCI\\VEN_15AD&DEV_0740\\3&1&0&3F]\n"
		">>>  Section start 2020/01/01 10:01:00.000\n"
		"     dvi: {Configure Device - PCI\\VEN_15AD&DEV_0740\\3&1&0&3F}\n"
		"     dvi:      Device Status: 0x01802400 [0x1c - 0xc0000490]\n"
		"     dvi:      Device Status: 0x01802000\n"
		"<<<  [Exit status: SUCCESS]\n";
	struct recs rs = { 0 };
	parse_str(log, &rs, NULL);
	const struct wf_sa_event *ev = find_ev(&rs.v[0], WF_SA_EV_PROBLEM);
	assert_non_null(ev);
	assert_int_equal(ev->cleared, 1);
	free_recs(&rs);
}

static void test_unfinished_sections(void **state)
{
	/* a whole log (it starts with the file header) */
	static const char log[] =
		"[Device Install Log]\n"
		">>>  [Device Install - PCI\\VEN_1\\1]\n"
		">>>  Section start 2020/01/01 10:01:00.000\n"
		"     ndv: doing things\n"
		"[Boot Session: 2020/01/01 10:05:00.000]\n"
		">>>  [Device Install - PCI\\VEN_2\\2]\n"
		">>>  Section start 2020/01/01 10:06:00.000\n"
		"     ndv: and never ending\n";
	struct recs rs = { 0 };
	struct wf_sa_info info;
	parse_str(log, &rs, &info);
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.v[0].exit, WF_SA_EXIT_UNFINISHED);
	assert_int_equal(rs.v[0].reboot, 1);
	assert_non_null(find_ev(&rs.v[0], WF_SA_EV_BOOT));
	assert_int_equal(find_ev(&rs.v[0], WF_SA_EV_BOOT)->line, 5);
	assert_int_equal(rs.v[1].exit, WF_SA_EXIT_UNFINISHED);
	assert_int_equal(rs.v[1].reboot, 0);
	assert_int_equal(rs.v[1].last_line, 8);
	assert_int_equal(info.unfinished, 2);
	assert_int_equal(info.whole, 1);
	free_recs(&rs);

	/* the same without the header is an excerpt: the last section is cut
	 * off by the end of the text, the first still interrupted by a boot */
	memset(&rs, 0, sizeof rs);
	parse_str(log + strlen("[Device Install Log]\n"), &rs, &info);
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.v[0].exit, WF_SA_EXIT_UNFINISHED);
	assert_int_equal(rs.v[1].exit, WF_SA_EXIT_CUT);
	assert_int_equal(info.whole, 0);
	assert_int_equal(info.cut_end, 1);
	assert_int_equal(info.unfinished, 1);
	free_recs(&rs);
}

/* An endless section of error lines: events are capped, memory is not. */
static void test_event_cap(void **state)
{
	FILE *f = tmpfile();
	fputs(">>>  [Device Install - PCI\\VEN_1\\1]\n", f);
	for (int i = 0; i < 100000; i++)
		fprintf(f, "!!!  ndv: failure number %d. Error = 0x%08x\n", i,
			i % 3 ? 0xe0000219u : 0xe0000228u);
	rewind(f);
	struct recs rs = { 0 };
	struct wf_sa_info info;
	struct wf_error e;
	assert_int_equal(wf_sa_parse_stream(f, "x", collect, &rs, &info, &e), 0);
	fclose(f);
	assert_int_equal(rs.n, 1);
	assert_true(rs.v[0].n_ev <= WF_SA_EVENTS);
	assert_true(rs.v[0].ev_dropped > 90000);
	assert_non_null(find_ev(&rs.v[0], WF_SA_EV_NO_COMPAT));
	assert_int_equal(info.lines, 100001);
	free_recs(&rs);
}

/* ---- XP and 2000 line forms -------------------------------------------- */

static void test_xp_format(void **state)
{
	struct recs rs = { 0 };
	struct wf_sa_info info;
	struct wf_error e;
	assert_int_equal(wf_sa_parse_file(data_path("xp_coded.setupapi.log"), NULL,
					  collect, &rs, &info, &e), 0);
	assert_int_equal(info.format, WF_SA_FMT_XP);
	assert_string_equal(info.os_version, "5.1.2600 Service Pack 3");
	assert_int_equal(rs.n, 3);
	const struct wf_sa_record *r = &rs.v[0];
	assert_int_equal(r->format, WF_SA_FMT_XP);
	assert_string_equal(r->title, "Driver Install");
	assert_string_equal(r->start, "2012/05/04 10:11:12");
	assert_string_equal(r->device, "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&13C0B0C5&0&28");
	assert_int_equal(r->n_hwids, 4);
	assert_string_equal(r->hwids[3], "pci\\ven_1af4&dev_1001&cc_0100");
	assert_int_equal(r->n_compat, 7);
	assert_int_equal(r->exit, WF_SA_EXIT_FAILURE);
	assert_int_equal(r->exit_code, 0xe0000219);
	const struct wf_sa_event *ev = find_ev(r, WF_SA_EV_NO_COMPAT);
	assert_non_null(ev);
	assert_int_equal(ev->line, 12);
	/* the device is named after the error: it is filled in afterwards */
	assert_string_equal(ev->device, r->device);
	ev = find_ev(r, WF_SA_EV_NULL_DRIVER);
	assert_int_equal(ev->line, 16);

	r = &rs.v[1];
	assert_string_equal(r->driver, "c:\\windows\\inf\\oem3.inf");
	assert_int_equal(r->exit, WF_SA_EXIT_FAILURE);
	assert_int_equal(r->exit_code, 1078);
	ev = find_ev(r, WF_SA_EV_ERROR);
	assert_non_null(ev);
	assert_int_equal(ev->code, 1078);
	assert_int_equal(ev->error, 1);

	assert_int_equal(rs.v[2].exit, WF_SA_EXIT_SUCCESS);
	assert_string_equal(rs.v[2].device, "PCI\\VEN_8086&DEV_7010&SUBSYS_00000000&REV_00\\3&13C0B0C5&0&09");
	free_recs(&rs);
}

/* A paste hard-wrapped at 63 columns whose mail archive then took the
 * spaces at the start of every line: the cut after "The installation"
 * fell on a space, and the next line, wrapped again, is one column short
 * of the width.  That break is joined with a space, the others without;
 * the widths still agree on a hard wrap (the short line offers its width
 * plus one), so the cut device id is whole. */
static void test_hardwrap_lost_space(void **state)
{
	(void)state;
	static const char paste[] =
		"[2012/05/04 10:11:12 1234.5 Driver Install]\n"
		"#-019 Searching for hardware ID(s): pci\\ven_1af4&dev_1001&subsy\n"
		"s_00021af4&rev_00,pci\\ven_1af4&dev_1001&subsys_00021af4\n"
		"#W059 Selecting best compatible driver failed. Error 0xe0000228\n"
		": There are no compatible drivers for this device.\n"
		"#I125 Installing NULL driver for \"PCI\\VEN_1AF4&DEV_1001&SUBSYS_\n"
		"00021AF4&REV_00\\3&13C0B0C5&0&28\".\n"
		"#E122 Device install failed. Error 0xe0000219: The installation\n"
		"failed because a function driver was not specified for this de\n"
		"vice instance.\n";
	struct recs rs = { 0 };
	struct wf_sa_info info;
	parse_str(paste, &rs, &info);
	assert_int_equal(rs.n, 1);
	const struct wf_sa_record *r = &rs.v[0];
	assert_string_equal(r->device, "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&13C0B0C5&0&28");
	const struct wf_sa_event *ev = find_ev(r, WF_SA_EV_ERROR);
	assert_non_null(ev);
	assert_string_equal(ev->text, "#E122 Device install failed. Error 0xe0000219: The installation "
				      "failed because a function driver was not specified for this "
				      "device instance.");
	free_recs(&rs);
}

/* A section title whose " - " lost a space: a hard wrap cut on it and a
 * mail archive took the space with the indentation (metamorphic seed 37
 * at 20 rounds: a tool's prefix made the title line long). */
static void test_title_dash_lost_space(void **state)
{
	(void)state;
	static const char *const titles[] = {
		">>>  [Device Install (Hardware initiated)- ROOT\\LEGACY_BEEP\\0000]\n",
		">>>  [Device Install (Hardware initiated) -ROOT\\LEGACY_BEEP\\0000]\n",
		">>>  [Device Install (Hardware initiated) - ROOT\\LEGACY_BEEP\\0000]\n",
	};
	for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
		struct recs rs = { 0 };
		struct wf_sa_info info;
		parse_str(titles[i], &rs, &info);
		assert_int_equal(rs.n, 1);
		assert_string_equal(rs.v[0].title, "Device Install (Hardware initiated)");
		assert_string_equal(rs.v[0].device, "ROOT\\LEGACY_BEEP\\0000");
		free_recs(&rs);
	}
}

/* `log` holds one record whose problem event reads `problem`, `status`. */
static void assert_one_problem(const char *log, unsigned problem, unsigned status)
{
	struct recs rs = { 0 };
	parse_str(log, &rs, NULL);
	assert_int_equal(rs.n, 1);
	const struct wf_sa_event *ev = find_ev(&rs.v[0], WF_SA_EV_PROBLEM);
	assert_non_null(ev);
	assert_int_equal(ev->problem, problem);
	assert_int_equal(ev->status, status);
	free_recs(&rs);
}

/* "Device Status: 0x01802400 [0x1c - 0xc0000490]" whose second space a
 * hard wrap cut on and a mail archive took (metamorphic seed 256 at 20
 * rounds): the status after the dash is still read. */
static void test_problem_status_dash_lost_space(void **state)
{
	(void)state;
	static const char log[] =
		">>>  [Device Install (Hardware initiated) - PCI\\VEN_15AD&DEV_0740&SUBSYS_074015AD&REV_10\\3&61aaa01&0&3f]\n"
		"     dvi:           Device Status: 0x01802400 [0x1c -0xc0000490]\n";
	assert_one_problem(log, 0x1c, 0xc0000490);
}

/* A logging tool's own line between the lines of a list of ids (libwdi
 * writes its messages between the log's; metamorphic seed 217 at 20
 * rounds): the ids after it still belong to the list. */
static void test_text_inside_id_list(void **state)
{
	(void)state;
	static const char log[] =
		"libwdi:debug [syslog] >>>  [Device Install (Hardware initiated) - PCI\\VEN_1AF4&DEV_1004&SUBSYS_00081AF4&REV_00\\3&2411e6fe&0&20]\n"
		"libwdi:debug [syslog]      dvi:      Searching for compatible ID(s):\n"
		"libwdi:debug [syslog]      dvi:           pci\\ven_1af4&dev_1004&rev_00\n"
		"libwdi:debug [process_message] got request for device_id\n"
		"libwdi:debug [syslog]      dvi:           pci\\cc_0100\n"
		"libwdi:debug [syslog] !    dvi:      Error 0xe0000228: There are no compatible drivers for this device.\n";
	struct recs rs = { 0 };
	struct wf_sa_info info;
	parse_str(log, &rs, &info);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.v[0].n_compat, 2);
	assert_string_equal(rs.v[0].compat[1], "pci\\cc_0100");
	free_recs(&rs);
}

/* "Device has problem: 0x1f" whose space after the colon a hard wrap cut
 * on and a mail archive took (metamorphic seeds 427, 689 at 20 rounds):
 * the problem and its status are still read. */
static void test_problem_colon_lost_space(void **state)
{
	(void)state;
	static const char log[] =
		">>>  [Device Install (Hardware initiated) - PCI\\VEN_1AF4&DEV_1045&SUBSYS_11001AF4&REV_01\\3&267a616a&0&30]\n"
		"!!!  ndv:      Device not started: Device has problem:0x1f (CM_PROB_FAILED_ADD), problem status:0xc00000bb.\n";
	assert_one_problem(log, 0x1f, 0xc00000bb);
}

static void test_w2k_format(void **state)
{
	struct recs rs = { 0 };
	struct wf_sa_info info;
	struct wf_error e;
	assert_int_equal(wf_sa_parse_file(data_path("w2k_plain.setupapi.log"), NULL,
					  collect, &rs, &info, &e), 0);
	assert_int_equal(info.format, WF_SA_FMT_W2K);
	assert_int_equal(rs.n, 3);
	assert_string_equal(rs.v[0].title, "");	/* "[date time pid.seq]" */
	const struct wf_sa_record *r = &rs.v[1];
	assert_int_equal(r->format, WF_SA_FMT_W2K);
	assert_string_equal(r->device, "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00\\3&61AAA01&0&28");
	assert_int_equal(r->n_hwids, 2);
	assert_int_equal(r->exit, WF_SA_EXIT_FAILURE);
	assert_int_equal(r->exit_code, 0xe0000219);
	assert_non_null(find_ev(r, WF_SA_EV_NO_COMPAT));
	assert_non_null(find_ev(r, WF_SA_EV_NULL_DRIVER));
	r = &rs.v[2];
	assert_string_equal(r->device, "ROOT\\LEGACY_FLPYDISK\\0000");
	assert_int_equal(r->exit, WF_SA_EXIT_SUCCESS);
	free_recs(&rs);
}

/* The same log in CRLF, UTF-8 BOM, UTF-16LE gives the same records. */
static void test_same_in_every_encoding(void **state)
{
	size_t n, n2;
	char *lf = slurp(data_path("seed001_virtio_null.dev.log"), &n);
	struct recs base = { 0 };
	struct wf_sa_info info;
	parse_mem(lf, n, &base, &info);
	assert_true(base.n >= 4);

	char *variants[4];
	size_t lens[4];
	variants[0] = to_crlf(lf, n, &lens[0]);
	variants[1] = malloc(n + 3);
	memcpy(variants[1], "\xEF\xBB\xBF", 3);
	memcpy(variants[1] + 3, lf, n);
	lens[1] = n + 3;
	variants[2] = to_utf16(variants[0], lens[0], 1, &lens[2]);
	variants[3] = to_utf16(lf, n, 0, &lens[3]);
	for (int v = 0; v < 4; v++) {
		struct recs rs = { 0 };
		struct wf_sa_info vi;
		parse_mem(variants[v], lens[v], &rs, &vi);
		assert_int_equal(rs.n, base.n);
		assert_int_equal(vi.lines, info.lines);
		assert_string_equal(vi.os_version, info.os_version);
		for (size_t i = 0; i < rs.n; i++) {
			assert_string_equal(rs.v[i].device, base.v[i].device);
			assert_int_equal(rs.v[i].exit, base.v[i].exit);
			assert_int_equal(rs.v[i].n_ev, base.v[i].n_ev);
			for (unsigned k = 0; k < rs.v[i].n_ev; k++) {
				assert_int_equal(rs.v[i].ev[k].line, base.v[i].ev[k].line);
				assert_string_equal(rs.v[i].ev[k].text, base.v[i].ev[k].text);
			}
		}
		free_recs(&rs);
		free(variants[v]);
	}
	(void)n2;
	free_recs(&base);
	free(lf);
}

/* ---- hostile input ----------------------------------------------------- */

static void test_garbage(void **state)
{
	size_t n = 4 << 20;
	unsigned char *b = malloc(n);
	unsigned x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	/* sprinkle line starts the parser cares about */
	static const char *const bits[] = { ">>>  [", "<<<  [Exit status: FAILURE(0x", "!!!  ",
		"[2020/01/01 10:00:00 ", "#E122 ", "[Boot Session: ", "Device Status: 0x1 [" };
	for (size_t i = 0; i + 64 < n; i += 997) {
		const char *s = bits[(i / 997) % 7];
		b[i] = '\n';
		memcpy(b + i + 1, s, strlen(s));
	}
	struct recs rs = { .max = 16 };
	struct wf_sa_info info;
	parse_mem(b, n, &rs, &info);
	assert_true(info.lines > 0);
	free_recs(&rs);
	/* the same as UTF-16 */
	b[0] = 0xFF;
	b[1] = 0xFE;
	parse_mem(b, n - 1, &rs, &info);
	assert_int_equal(info.encoding, WF_SA_ENC_UTF16LE);
	free_recs(&rs);
	free(b);
}

/* One 1 GB line, written to /tmp in 1 MB pieces, then a normal section. */
static void test_one_gigabyte_line(void **state)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	struct statvfs vs;
	if (statvfs(dir, &vs) == 0 &&
	    (unsigned long long)vs.f_bavail * vs.f_frsize < (3ull << 30)) {
		printf("SKIP-REASON: less than 3 GB free in %s for the 1 GB line\n", dir);
		skip();
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/wf-bigline-XXXXXX", dir);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	size_t chunk = 1 << 20;
	char *b = malloc(chunk);
	memset(b, 'A', chunk);
	memcpy(b, "!!!  dvi: ", 10);
	for (int i = 0; i < 1024; i++) {
		assert_int_equal(fwrite(b, 1, chunk, f), chunk);
		memset(b, 'A', 10);
	}
	fputs("\n>>>  [Device Install - PCI\\VEN_1AF4&DEV_1001\\3&1&0&8]\n"
	      "     ndv: Installing NULL driver.\n"
	      "<<<  [Exit status: FAILURE(0xe0000203)]\n", f);
	fclose(f);
	free(b);

	struct recs rs = { 0 };
	struct wf_sa_info info;
	struct wf_error e;
	clock_t t0 = clock();
	int rc = wf_sa_parse_file(path, NULL, collect, &rs, &info, &e);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	unlink(path);
	assert_int_equal(rc, 0);
	printf("1 GB line parsed in %.2f s CPU\n", secs);
	assert_int_equal(info.lines, 4);
	assert_int_equal(info.long_lines, 1);
	/* the cut "!!!" line is an error outside a section: a record of its
	 * own (begun before the text), then the real section */
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.v[0].cut_start, 1);
	assert_int_equal(rs.v[1].first_line, 2);
	assert_non_null(find_ev(&rs.v[1], WF_SA_EV_NULL_DRIVER));
	free_recs(&rs);
}

static void test_unreadable(void **state)
{
	struct wf_error e = { 0 };
	assert_int_equal(wf_sa_parse_file("/nonexistent/setupapi.dev.log", "C:\\x.log",
					  collect, NULL, NULL, &e), -1);
	assert_int_equal(e.kind, WF_ERR_INPUT);
	assert_non_null(strstr(e.msg, "C:\\x.log"));
	assert_int_equal(wf_sa_parse_file("/", NULL, collect, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "/"));
}

/* ---- the real logs ------------------------------------------------------ */

struct fixture_expect {
	const char *file;
	enum wf_sa_format format;
	const char *os;
	unsigned long sections, failed;
};

static void test_fixture_logs(void **state)
{
	static const struct fixture_expect ex[] = {
		{ "setupapi/plaso_setupapi.dev.log", WF_SA_FMT_VISTA, "10.0.10240", 194, 0 },
		{ "setupapi/plaso_setupapi.setup.log", WF_SA_FMT_VISTA, "10.0.10240", 16, 0 },
		{ "setupapi/CyberSecu_win10_1809_x86_setupapi.dev.log", WF_SA_FMT_VISTA, "10.0.17763", 11, 0 },
		{ "setupapi/supportbot_win11_22621_setupapi.dev.log", WF_SA_FMT_VISTA, "10.0.22621", 27, 0 },
		{ "setupapi/DFIRArtifactMuseum_win10_RathbunVM_setupapi.dev.log", WF_SA_FMT_VISTA, "10.0.19043", 25, 5 },
		{ "setupapi/DFIRArtifactMuseum_win11_RathbunVM_setupapi.dev.log", WF_SA_FMT_VISTA, "10.0.22000", 26, 5 },
		{ "setupapi/RemoteDesk2K_win2000_setupapi.log", WF_SA_FMT_W2K, "", 0, 0 },
	};
	SKIP_WITHOUT_FIXTURE(dir, "setupapi");
	(void)dir;
	for (size_t i = 0; i < sizeof ex / sizeof *ex; i++) {
		const char *p = fixture_path(ex[i].file);
		assert_non_null(p);
		struct recs rs = { .max = 1 };
		struct wf_sa_info info;
		struct wf_error e;
		assert_int_equal(wf_sa_parse_file(p, NULL, collect, &rs, &info, &e), 0);
		assert_int_equal(info.format, ex[i].format);
		assert_string_equal(info.os_version, ex[i].os);
		if (ex[i].sections)
			assert_int_equal(info.sections, ex[i].sections);
		assert_int_equal(info.failed, ex[i].failed);
		assert_int_equal(info.unfinished, 0);
		free_recs(&rs);
	}
}

static void test_fixture_carved_fragments(void **state)
{
	SKIP_WITHOUT_FIXTURE(dir, "setupapi/carved_fragments_tamu20_xpx64");
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "ls '%s'", dir);
	FILE *ls = popen(cmd, "r");
	char name[512];
	int files = 0, xp = 0, nulls = 0;
	char dirc[4096];
	snprintf(dirc, sizeof dirc, "%s", dir);
	while (fgets(name, sizeof name, ls)) {
		name[strcspn(name, "\n")] = 0;
		char path[4700];
		snprintf(path, sizeof path, "%s/%s", dirc, name);
		struct recs rs = { 0 };
		struct wf_sa_info info;
		struct wf_error e;
		assert_int_equal(wf_sa_parse_file(path, NULL, collect, &rs, &info, &e), 0);
		files++;
		xp += info.format == WF_SA_FMT_XP;
		for (size_t i = 0; i < rs.n; i++)
			for (unsigned k = 0; k < rs.v[i].n_ev; k++)
				if (rs.v[i].ev[k].kind == WF_SA_EV_NULL_DRIVER &&
				    strstr(rs.v[i].ev[k].device, "VEN_80EE&DEV_CAFE"))
					nulls++;
		free_recs(&rs);
	}
	pclose(ls);
	assert_int_equal(files, 42);
	assert_int_equal(xp, 42);
	assert_true(nulls >= 4);	/* two #I125 in each of two carves */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_line_endings),
		cmocka_unit_test(test_reader_encodings),
		cmocka_unit_test(test_reader_truncated_utf16),
		cmocka_unit_test(test_reader_nul_and_long),
		cmocka_unit_test(test_clean_text),
		cmocka_unit_test(test_vista_sections),
		cmocka_unit_test(test_vista_events),
		cmocka_unit_test(test_problem_cleared),
		cmocka_unit_test(test_unfinished_sections),
		cmocka_unit_test(test_event_cap),
		cmocka_unit_test(test_xp_format),
		cmocka_unit_test(test_hardwrap_lost_space),
		cmocka_unit_test(test_title_dash_lost_space),
		cmocka_unit_test(test_problem_status_dash_lost_space),
		cmocka_unit_test(test_text_inside_id_list),
		cmocka_unit_test(test_problem_colon_lost_space),
		cmocka_unit_test(test_w2k_format),
		cmocka_unit_test(test_same_in_every_encoding),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_one_gigabyte_line),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_fixture_logs),
		cmocka_unit_test(test_fixture_carved_fragments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
