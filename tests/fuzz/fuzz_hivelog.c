/*
 * fuzz_hivelog.c - libFuzzer target for the transaction log recovery
 * (core/formats/hivelog.c).
 *
 * The input is split into a dirty primary file and up to two logs at the
 * first two occurrences of "@@LOG@@"; without a marker it is one log
 * replayed over a fixed small dirty primary.  Every input must recover or
 * be refused cleanly; a recovered image must be clean, within the caps,
 * and as long as its base block says.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hivelog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *split(const uint8_t *p, size_t n, size_t *len)
{
	const uint8_t *m = memmem(p, n, "@@LOG@@", 7);
	*len = m ? (size_t)(m - p) : n;
	return m ? m + 7 : NULL;
}

/* A dirty primary: base block (seq 2/1) and one empty 4096-byte bin. */
static void small_primary(uint8_t *p)
{
	memset(p, 0, 8192);
	memcpy(p, "regf", 4);
	p[4] = 2;
	p[8] = 1;
	p[40 + 1] = 0x10;	/* hive bins data size 4096 */
	uint32_t c = wf_hivelog_checksum(p);
	memcpy(p + 508, &c, 4);
	memcpy(p + 4096, "hbin", 4);
	p[4096 + 9] = 0x10;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fixed[8192];
	struct wf_hivelog_file logs[2] = { { "X.LOG1", NULL, 0 }, { "X.LOG2", NULL, 0 } };
	const uint8_t *primary = data;
	size_t plen;
	const uint8_t *rest = split(data, size, &plen);
	if (!rest) {
		small_primary(fixed);
		primary = fixed;
		plen = sizeof fixed;
		logs[0].data = data;
		logs[0].len = size;
	} else {
		size_t l1;
		const uint8_t *r2 = split(rest, size - (size_t)(rest - data), &l1);
		logs[0].data = rest;
		logs[0].len = l1;
		if (r2) {
			logs[1].data = r2;
			logs[1].len = size - (size_t)(r2 - data);
		}
	}
	struct wf_hivelog_result r;
	struct wf_error e = { 0 };
	if (wf_hivelog_recover(primary, plen, logs, 2, &r, &e) < 0) {
		if (!e.msg[0])
			abort();	/* a refusal says why */
		return 0;
	}
	if (r.state == WF_HIVELOG_RECOVERED) {
		uint32_t bins;
		memcpy(&bins, r.image + 40, 4);
		if (!r.image || r.image_len > WF_HIVELOG_MAX_HIVE || r.image_len != 4096 + (size_t)bins ||
		    wf_hivelog_is_dirty(r.image, r.image_len))
			abort();
	}
	if (r.state == WF_HIVELOG_STALE && (r.image || !r.why[0]))
		abort();
	free(wf_hivelog_describe(&r, "SYSTEM"));
	wf_hivelog_result_free(&r);
	return 0;
}
