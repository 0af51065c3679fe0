/*
 * test_hivelog.c - recovery of dirty hives from their transaction logs
 * (core/formats/hivelog.c): the real Windows 10 SYSTEM_B with its real
 * LOG1/LOG2, the real dirty hives that come without logs, and the test
 * kit's dirty hives (new and old format, torn, damaged, stale, split).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "../kit/kitlog.c"
#include "fixtures.h"
#include "hive.h"
#include "hivelog.h"

/* --- primitives ------------------------------------------------------------------- */

static void test_marvin32_vector(void **state)
{
	(void)state;
	/* the published test vector of the .NET / SymCrypt Marvin32:
	 * seed 0x004FB61A001BDBCC, empty input */
	assert_true(wf_marvin32((const unsigned char *)"", 0, 0x004FB61A001BDBCCull) ==
		    0x30ED35C100CD3C7Dull);
	/* tails of 1-3 bytes differ from each other and from the empty one */
	uint64_t h0 = wf_marvin32((const unsigned char *)"abc", 0, WF_HIVELOG_MARVIN_SEED);
	uint64_t h1 = wf_marvin32((const unsigned char *)"abc", 1, WF_HIVELOG_MARVIN_SEED);
	uint64_t h3 = wf_marvin32((const unsigned char *)"abc", 3, WF_HIVELOG_MARVIN_SEED);
	assert_true(h0 != h1 && h1 != h3 && h0 != h3);
}

static void test_checksum_rules(void **state)
{
	(void)state;
	unsigned char b[512] = { 0 };
	assert_int_equal(wf_hivelog_checksum(b), 1);	/* 0 becomes 1 */
	memset(b, 0xFF, 4);
	assert_int_equal(wf_hivelog_checksum(b), 0xFFFFFFFEu);	/* -1 becomes -2 */
	memcpy(b, "regf", 4);
	b[4] = 3;	/* seq 3/0 */
	kl_put32(b + 508, wf_hivelog_checksum(b));
	assert_int_equal(wf_hivelog_is_dirty(b, sizeof b), 1);
	b[8] = 3;
	kl_put32(b + 508, wf_hivelog_checksum(b));
	assert_int_equal(wf_hivelog_is_dirty(b, sizeof b), 0);
	b[508] ^= 1;	/* wrong checksum: dirty too */
	assert_int_equal(wf_hivelog_is_dirty(b, sizeof b), 1);
}

/* --- counting a hive with hivex ------------------------------------------------------ */

struct count {
	unsigned long keys, values;
};

static void count_node(hive_h *h, hive_node_h n, struct count *c, int depth)
{
	c->keys++;
	hive_value_h *vals = hivex_node_values(h, n);
	for (size_t i = 0; vals && vals[i]; i++)
		c->values++;
	free(vals);
	hive_node_h *kids = depth < 64 ? hivex_node_children(h, n) : NULL;
	for (size_t i = 0; kids && kids[i]; i++)
		count_node(h, kids[i], c, depth + 1);
	free(kids);
}

static int count_hive(const char *path, struct count *c)
{
	memset(c, 0, sizeof *c);
	hive_h *h = hivex_open(path, 0);
	if (!h)
		return -1;
	count_node(h, hivex_root(h), c, 0);
	hivex_close(h);
	return 0;
}

/* --- the real SYSTEM_B and its real logs -------------------------------------------------- */

static void test_real_system_b(void **state)
{
	(void)state;
	SKIP_WITHOUT_FIXTURE(p0, "hives/regipy_SYSTEM_B");
	char primary[4096];
	snprintf(primary, sizeof primary, "%s", p0);
	const char *l1 = fixture_path("hives/regipy_SYSTEM_B.LOG1");
	char log1[4096];
	snprintf(log1, sizeof log1, "%s", l1 ? l1 : "");
	const char *l2 = fixture_path("hives/regipy_SYSTEM_B.LOG2");
	if (!l1 || !l2) {
		printf("SKIP-REASON: fixture regipy_SYSTEM_B.LOG1/.LOG2 absent\n");
		skip();
	}
	char *logs[WF_HIVELOG_NLOGS];
	wf_hivelog_default_paths(primary, logs);	/* PATH.LOG1, .LOG2, .LOG */
	assert_string_equal(logs[0], log1);
	char out[] = "/tmp/wf-hivelog-real.XXXXXX";
	int fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	struct wf_hivelog_result r;
	struct wf_error e = { 0 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(wf_hivelog_recover_files(primary, (const char *const *)logs,
						  WF_HIVELOG_NLOGS, out, &r, &e), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wf_hivelog_paths_free(logs);
	assert_int_equal(r.state, WF_HIVELOG_RECOVERED);
	assert_int_equal(r.seq1, 1622);
	assert_int_equal(r.seq2, 1621);
	/* regipy's own test replays 315 dirty pages from these two logs */
	assert_int_equal(r.pages, 315);
	assert_int_equal(r.entries, 24);
	assert_int_equal(r.log[0].entries, 4);	/* LOG1: 2107..2110 */
	assert_int_equal(r.log[0].first_seq, 2107);
	assert_int_equal(r.log[1].first_seq, 2111);	/* LOG2 continues at N + 1 */
	assert_int_equal(r.final_seq, 2130);
	assert_int_equal(r.old_bins, 12398592);
	assert_int_equal(r.new_bins, 12591104);	/* grown by the entries */
	assert_int_equal(r.log[2].present, 0);
	assert_int_equal(r.image_len, 4096 + 12591104);
	assert_int_equal(wf_hivelog_is_dirty(r.image, r.image_len), 0);
	char *d = wf_hivelog_describe(&r, "SYSTEM");
	assert_non_null(strstr(d, "replayed 315 dirty pages"));
	assert_non_null(strstr(d, "regipy_SYSTEM_B.LOG1 and regipy_SYSTEM_B.LOG2"));
	free(d);

	struct count before, after;
	assert_int_equal(count_hive(primary, &before), 0);
	assert_int_equal(count_hive(out, &after), 0);	/* hivex opens the result */
	printf("# SYSTEM_B: %u pages, %u entries in %.3f s; keys %lu -> %lu, values %lu -> %lu\n",
	       r.pages, r.entries, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       before.keys, after.keys, before.values, after.values);
	/* hivex's own count (independent of hivelog.c's parsing): the logs
	 * add 2,472 keys and 3,944 values to the 33,123 / 74,957 of the
	 * primary file as found */
	assert_int_equal(before.keys, 33123);
	assert_int_equal(before.values, 74957);
	assert_int_equal(after.keys, 35595);
	assert_int_equal(after.values, 78901);
	/* core/hive reads it as a SYSTEM hive */
	struct wf_hive *h = wf_hive_open(out, "SYSTEM", 0, &e);
	assert_non_null(h);
	char ccs[32];
	assert_int_equal(wf_hive_current_control_set(h, ccs, sizeof ccs, &e), 0);
	wf_hive_close(h);
	wf_hivelog_result_free(&r);
	unlink(out);
}

/* Without LOG2, LOG1's four entries apply (2107..2110); without both, stale. */
static void test_real_system_b_partial(void **state)
{
	(void)state;
	SKIP_WITHOUT_FIXTURE(p0, "hives/regipy_SYSTEM_B");
	char primary[4096], log1[4200];
	snprintf(primary, sizeof primary, "%s", p0);
	snprintf(log1, sizeof log1, "%s.LOG1", primary);
	const char *only1[] = { log1, NULL, NULL };
	struct wf_hivelog_result r;
	struct wf_error e = { 0 };
	assert_int_equal(wf_hivelog_recover_files(primary, only1, 3, NULL, &r, &e), 0);
	assert_int_equal(r.state, WF_HIVELOG_RECOVERED);
	assert_int_equal(r.pages, 10);
	assert_int_equal(r.final_seq, 2110);
	wf_hivelog_result_free(&r);
	const char *none[] = { NULL, NULL, NULL };
	assert_int_equal(wf_hivelog_recover_files(primary, none, 3, NULL, &r, &e), 0);
	assert_int_equal(r.state, WF_HIVELOG_STALE);
	assert_null(r.image);
	wf_hivelog_result_free(&r);
}

/* The real dirty hives that come without their logs: found by their base
 * blocks (seq 205/204 Windows 8.1, 1622/1621 and 4317/4316 Windows 10). */
static void test_real_dirty_without_logs(void **state)
{
	(void)state;
	static const struct {
		const char *rel;
		uint32_t seq1, seq2;
	} dirty[] = {
		{ "hives/regipy_SYSTEM_2", 205, 204 },
		{ "hives/regipy_SYSTEM_B", 1622, 1621 },
		{ "hives/regipy_SYSTEM_WIN_10_1709", 4317, 4316 },
	};
	for (size_t i = 0; i < sizeof dirty / sizeof *dirty; i++) {
		SKIP_WITHOUT_FIXTURE(p, dirty[i].rel);
		char path[4096];
		snprintf(path, sizeof path, "%s", p);
		const char *none[] = { "/nonexistent/SYSTEM.LOG1", "/nonexistent/SYSTEM.LOG2", NULL };
		struct wf_hivelog_result r;
		struct wf_error e = { 0 };
		assert_int_equal(wf_hivelog_recover_files(path, none, 3, NULL, &r, &e), 0);
		assert_int_equal(r.state, WF_HIVELOG_STALE);
		assert_int_equal(r.seq1, dirty[i].seq1);
		assert_int_equal(r.seq2, dirty[i].seq2);
		char *d = wf_hivelog_describe(&r, "SYSTEM");
		assert_non_null(strstr(d, "may be stale"));
		assert_non_null(strstr(d, "SYSTEM.LOG1: absent"));
		free(d);
		wf_hivelog_result_free(&r);
	}
	/* a clean one: nothing to do, nothing to say */
	SKIP_WITHOUT_FIXTURE(c, "hives/bitcurator_SYSTEM");
	char path[4096];
	snprintf(path, sizeof path, "%s", c);
	const char *none[] = { NULL, NULL, NULL };
	struct wf_hivelog_result r;
	assert_int_equal(wf_hivelog_recover_files(path, none, 3, NULL, &r, NULL), 0);
	assert_int_equal(r.state, WF_HIVELOG_CLEAN);
	assert_null(wf_hivelog_describe(&r, "SYSTEM"));
}

/* --- the kit's dirty hives ------------------------------------------------------------- */

struct kfx {
	char dir[64];
	char before[128], after[128], primary[128], log1[128], log2[128], out[128];
};

/* before: a root with Base\Kept; after: the same plus Added\K with a
 * 20 KB value (new hive bins: the logs grow the hive). */
static int kit_setup(void **state)
{
	struct kfx *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/wf-hivelog.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->before, sizeof f->before, "%s/before", f->dir);
	snprintf(f->after, sizeof f->after, "%s/after", f->dir);
	snprintf(f->primary, sizeof f->primary, "%s/SYSTEM", f->dir);
	snprintf(f->log1, sizeof f->log1, "%s/SYSTEM.LOG1", f->dir);
	snprintf(f->log2, sizeof f->log2, "%s/SYSTEM.LOG2", f->dir);
	snprintf(f->out, sizeof f->out, "%s/recovered", f->dir);
	struct wf_error e = { 0 };
	if (kit_write_minimal_hive(f->before, "ROOT", &e) < 0)
		return -1;
	struct wf_hive *h = wf_hive_open(f->before, "SYSTEM", 1, &e);
	wf_node k = h ? wf_hive_mkpath(h, "Base", &e) : 0;
	if (!k || wf_hive_set_dword(h, k, "Kept", 7, &e) < 0 || wf_hive_commit(h, NULL, &e) < 0)
		return -1;
	wf_hive_close(h);
	h = wf_hive_open(f->before, "SYSTEM", 1, &e);
	static unsigned char big[20000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 7);
	k = h ? wf_hive_mkpath(h, "Added\\K", &e) : 0;
	if (!k || wf_hive_set_dword(h, k, "New", 42, &e) < 0 ||
	    wf_hive_set_value(h, k, "Big", WF_REG_BINARY, big, sizeof big, &e) < 0 ||
	    wf_hive_commit(h, f->after, &e) < 0)
		return -1;
	wf_hive_close(h);
	*state = f;
	return 0;
}

static int kit_teardown(void **state)
{
	struct kfx *f = *state;
	const char *v[] = { f->before, f->after, f->primary, f->log1, f->log2, f->out };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		unlink(v[i]);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Run the recovery on the kit's files (log2 only when written). */
static void recover(struct kfx *f, int two, struct wf_hivelog_result *r)
{
	const char *logs[] = { f->log1, two ? f->log2 : NULL, NULL };
	struct wf_error e = { 0 };
	unlink(f->out);
	assert_int_equal(wf_hivelog_recover_files(f->primary, logs, 3, f->out, r, &e), 0);
}

/* The recovered hive bins are exactly `after`'s, and hivex sees Added\K. */
static void assert_is_after(struct kfx *f, const struct wf_hivelog_result *r)
{
	struct wf_strbuf a = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&a, f->after, 0, NULL), 0);
	uint32_t bins = kl_get32((unsigned char *)a.buf + 40);
	assert_int_equal(r->new_bins, bins);
	assert_true(r->new_bins > r->old_bins);
	assert_memory_equal(r->image + 4096, a.buf + 4096, bins);
	wf_sb_release(&a);
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(f->out, "SYSTEM", 0, &e);
	assert_non_null(h);
	uint32_t v = 0;
	assert_int_equal(wf_hive_get_dword(h, wf_hive_lookup(h, "Added\\K"), "New", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(wf_hive_get_dword(h, wf_hive_lookup(h, "Base"), "Kept", &v), 0);
	wf_hive_close(h);
}

static void write_dirty(struct kfx *f, struct kit_dirty d, unsigned *entries, unsigned *pages)
{
	d.before = f->before;
	d.after = f->after;
	d.primary = f->primary;
	d.log1 = f->log1;
	struct wf_error e = { 0 };
	unlink(f->log2);
	assert_int_equal(kit_write_dirty(&d, entries, pages, &e), 0);
}

static void test_kit_new_one_log(void **state)
{
	struct kfx *f = *state;
	unsigned ne, np;
	write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_NEW }, &ne, &np);
	assert_true(ne >= 3);	/* several entries: a sequence to follow */
	struct wf_hivelog_result r;
	recover(f, 0, &r);
	assert_int_equal(r.state, WF_HIVELOG_RECOVERED);
	assert_int_equal(r.entries, ne);
	assert_int_equal(r.pages, np);
	assert_int_equal(r.final_seq, r.seq2 + ne - 1);
	assert_is_after(f, &r);
	wf_hivelog_result_free(&r);
}

/* Both logs valid, with different sequence numbers, in either order: the
 * one with the earlier entries is applied first, the other continues. */
static void test_kit_new_two_logs(void **state)
{
	struct kfx *f = *state;
	for (int swap = 0; swap < 2; swap++) {
		unsigned ne, np;
		write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_NEW, .log2 = f->log2,
						   .in_log1 = 2, .swap = swap }, &ne, &np);
		struct wf_hivelog_result r;
		recover(f, 1, &r);
		assert_int_equal(r.state, WF_HIVELOG_RECOVERED);
		assert_int_equal(r.entries, ne);
		const struct wf_hivelog_use *early = &r.log[swap], *late = &r.log[!swap];
		assert_int_equal(early->entries, 2);
		assert_int_equal(late->entries, ne - 2);
		assert_int_equal(late->first_seq, early->last_seq + 1);
		assert_is_after(f, &r);
		wf_hivelog_result_free(&r);
	}
}

/* A torn last entry: everything before it is applied, the reason said. */
static void test_kit_new_torn(void **state)
{
	struct kfx *f = *state;
	unsigned ne, np;
	write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_NEW, .torn_last = 1 }, &ne, &np);
	struct wf_hivelog_result r;
	recover(f, 0, &r);
	assert_int_equal(r.state, WF_HIVELOG_RECOVERED);
	assert_int_equal(r.entries, ne - 1);
	assert_int_equal(r.final_seq, r.seq2 + ne - 2);
	assert_non_null(strstr(r.log[0].why, "torn"));
	char *d = wf_hivelog_describe(&r, "SYSTEM");
	assert_non_null(strstr(d, "SYSTEM.LOG1 stopped"));
	free(d);
	wf_hivelog_result_free(&r);
}

static void test_kit_new_bad_checksum(void **state)
{
	struct kfx *f = *state;
	unsigned ne, np;
	write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_NEW, .bad_checksum = 1 }, &ne, &np);
	struct wf_hivelog_result r;
	recover(f, 0, &r);
	assert_int_equal(r.state, WF_HIVELOG_STALE);
	assert_non_null(strstr(r.why, "checksum is wrong"));
	assert_null(r.image);
	assert_int_equal(access(f->out, F_OK), -1);	/* nothing written */
	wf_hivelog_result_free(&r);
}

/* A log whose entries are older than the primary's sequence numbers is
 * already in the primary: not replayed. */
static void test_kit_new_older_than_primary(void **state)
{
	struct kfx *f = *state;
	unsigned ne, np;
	write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_NEW, .stale = 1 }, &ne, &np);
	struct wf_hivelog_result r;
	recover(f, 0, &r);
	assert_int_equal(r.state, WF_HIVELOG_STALE);
	assert_non_null(strstr(r.why, "older than the primary"));
	wf_hivelog_result_free(&r);
}

/* A primary whose base block checksum is wrong: its base block comes
 * from the log with the latest entries, and only that log is replayed
 * ("Multiple transaction log files", new format). */
static void test_kit_new_bad_primary_checksum(void **state)
{
	struct kfx *f = *state;
	unsigned ne, np;
	write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_NEW }, &ne, &np);
	/* LOG2: LOG1's base block with an older sequence number */
	struct wf_strbuf l = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&l, f->log1, 0, NULL), 0);
	unsigned char *b = (unsigned char *)l.buf;
	kl_put32(b + 4, kl_get32(b + 4) - 1);
	kl_put32(b + 8, kl_get32(b + 8) - 1);
	kl_put32(b + 508, wf_hivelog_checksum(b));
	assert_int_equal(kl_write(f->log2, l.buf, 512, NULL), 0);
	wf_sb_release(&l);
	FILE *fp = fopen(f->primary, "r+b");
	assert_non_null(fp);
	fseek(fp, 200, SEEK_SET);	/* a reserved byte: only the checksum notices */
	fputc(0x42, fp);
	fclose(fp);
	struct wf_hivelog_result r;
	recover(f, 1, &r);
	assert_int_equal(r.checksum_ok, 0);
	assert_int_equal(r.state, WF_HIVELOG_RECOVERED);
	assert_int_equal(r.log[0].entries, ne);
	assert_int_equal(r.log[1].entries, 0);
	assert_non_null(strstr(r.log[1].why, "damaged"));
	assert_is_after(f, &r);
	wf_hivelog_result_free(&r);
}

static void test_kit_old_format(void **state)
{
	struct kfx *f = *state;
	unsigned ne, np;
	write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_OLD }, &ne, &np);
	struct wf_hivelog_result r;
	recover(f, 0, &r);
	assert_int_equal(r.state, WF_HIVELOG_RECOVERED);
	assert_int_equal(r.log[0].format, WF_HIVELOG_OLD);
	assert_int_equal(r.pages, np);	/* 512-byte pages of the dirty vector */
	assert_int_equal(r.final_seq, r.seq1);
	assert_is_after(f, &r);
	wf_hivelog_result_free(&r);
}

/* Old format: a truncated page area, a bad checksum, a log of another
 * write (last written timestamp differs): each refused, hive stale. */
static void test_kit_old_refused(void **state)
{
	struct kfx *f = *state;
	static const struct {
		struct kit_dirty d;
		const char *why;
	} cases[] = {
		{ { .format = KIT_LOG_OLD, .torn_last = 1 }, "the file holds fewer" },
		{ { .format = KIT_LOG_OLD, .bad_checksum = 1 }, "checksum is wrong" },
		{ { .format = KIT_LOG_OLD, .stale = 1 }, "timestamp" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		unsigned ne, np;
		write_dirty(f, cases[i].d, &ne, &np);
		struct wf_hivelog_result r;
		recover(f, 0, &r);
		assert_int_equal(r.state, WF_HIVELOG_STALE);
		assert_non_null(strstr(r.why, cases[i].why));
		wf_hivelog_result_free(&r);
	}
}

/* Damaged bytes anywhere in a log never give an unchained hive: either
 * the entry is refused (hash) or the result's bins chain. */
static void test_kit_flipped_bytes(void **state)
{
	struct kfx *f = *state;
	unsigned ne, np;
	write_dirty(f, (struct kit_dirty){ .format = KIT_LOG_NEW }, &ne, &np);
	struct wf_strbuf l = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&l, f->log1, 0, NULL), 0);
	struct wf_strbuf p = WF_STRBUF_INIT;
	assert_int_equal(wf_sb_read_file(&p, f->primary, 0, NULL), 0);
	for (size_t off = 0; off < l.len; off += 97) {
		l.buf[off] ^= 0x5A;
		struct wf_hivelog_file lf = { "SYSTEM.LOG1", (unsigned char *)l.buf, l.len };
		struct wf_hivelog_result r;
		assert_int_equal(wf_hivelog_recover((unsigned char *)p.buf, p.len, &lf, 1, &r, NULL), 0);
		assert_true(r.state != WF_HIVELOG_CLEAN);
		if (r.state == WF_HIVELOG_RECOVERED)
			assert_int_equal(wf_hivelog_is_dirty(r.image, r.image_len), 0);
		wf_hivelog_result_free(&r);
		l.buf[off] ^= 0x5A;
	}
	wf_sb_release(&l);
	wf_sb_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marvin32_vector),
		cmocka_unit_test(test_checksum_rules),
		cmocka_unit_test(test_real_system_b),
		cmocka_unit_test(test_real_system_b_partial),
		cmocka_unit_test(test_real_dirty_without_logs),
		cmocka_unit_test_setup_teardown(test_kit_new_one_log, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_new_two_logs, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_new_torn, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_new_bad_checksum, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_new_older_than_primary, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_new_bad_primary_checksum, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_old_format, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_old_refused, kit_setup, kit_teardown),
		cmocka_unit_test_setup_teardown(test_kit_flipped_bytes, kit_setup, kit_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
