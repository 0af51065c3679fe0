/*
 * kitlog.c - the test kit's dirty hives and transaction logs (kitlib.h),
 * written field by field from the "Windows registry file format
 * specification" (github.com/msuhanov/regf), "Format of transaction log
 * files".  Included by tests next to kitlib.c: names are kl_-prefixed.
 */
#include "kitlib.h"
#include "hivelog.h"
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KL_BASE = 4096, KL_PAGE = 4096, KL_SECTOR = 512 };

static void kl_put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xFF;
}

static void kl_put64(unsigned char *p, uint64_t v)
{
	kl_put32(p, (uint32_t)v);
	kl_put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t kl_get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int kl_write(const char *path, const void *buf, size_t len, struct wf_error *e)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot create: %s", path, strerror(errno));
	int bad = fwrite(buf, 1, len, f) != len;
	bad |= fclose(f) != 0;
	return bad ? wf_error_set(e, WF_ERR_INPUT, "%s: write failed", path) : 0;
}

struct kl_hive {
	struct wf_strbuf sb;
	uint32_t bins;
};

static int kl_load(const char *path, struct kl_hive *h, struct wf_error *e)
{
	wf_sb_init(&h->sb);
	if (wf_sb_read_file(&h->sb, path, 64u << 20, e) < 0)
		return -1;
	if (h->sb.len < KL_BASE + KL_PAGE || memcmp(h->sb.buf, "regf", 4) != 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: not a hive", path);
	h->bins = kl_get32((unsigned char *)h->sb.buf + 40);
	if (h->bins % KL_PAGE || h->sb.len < KL_BASE + (size_t)h->bins)
		return wf_error_set(e, WF_ERR_INPUT, "%s: bad hive bins data size", path);
	return 0;
}

/* The 4096-byte pages of `after`'s bins that differ from `before`'s. */
static uint32_t *kl_diff(const struct kl_hive *b, const struct kl_hive *a, size_t *n)
{
	uint32_t *v = wf_xcalloc(a->bins / KL_PAGE + 1, sizeof *v);
	static const unsigned char zero[KL_PAGE];
	*n = 0;
	for (uint32_t off = 0; off < a->bins; off += KL_PAGE) {
		const unsigned char *pa = (unsigned char *)a->sb.buf + KL_BASE + off;
		const unsigned char *pb = off < b->bins ? (unsigned char *)b->sb.buf + KL_BASE + off : zero;
		if (memcmp(pa, pb, KL_PAGE) != 0)
			v[(*n)++] = off;
	}
	return v;
}

/* The first sector of a log: the primary's base block with the log's
 * file type, equal sequence numbers and its checksum. */
static void kl_log_base(struct wf_strbuf *out, const unsigned char *pbase, uint32_t type,
			uint32_t seq, uint32_t bins, int damage)
{
	unsigned char b[KL_SECTOR];
	memcpy(b, pbase, KL_SECTOR);
	kl_put32(b + 4, seq);
	kl_put32(b + 8, seq);
	kl_put32(b + 28, type);
	kl_put32(b + 40, bins);
	kl_put32(b + 44, 1);
	kl_put32(b + 508, wf_hivelog_checksum(b) ^ (damage ? 0x10 : 0));
	wf_sb_add(out, b, sizeof b);
}

/* One HvLE entry holding pages v[0..n) of `after`. */
static void kl_entry(struct wf_strbuf *out, const struct kl_hive *a, const uint32_t *v,
		     size_t n, uint32_t seq)
{
	size_t size = (40 + 8 * n + KL_PAGE * n + KL_SECTOR - 1) / KL_SECTOR * KL_SECTOR;
	unsigned char *p = wf_xcalloc(1, size);
	memcpy(p, "HvLE", 4);
	kl_put32(p + 4, (uint32_t)size);
	kl_put32(p + 8, 0);
	kl_put32(p + 12, seq);
	kl_put32(p + 16, a->bins);
	kl_put32(p + 20, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		kl_put32(p + 40 + 8 * i, v[i]);
		kl_put32(p + 44 + 8 * i, KL_PAGE);
		memcpy(p + 40 + 8 * n + KL_PAGE * i, a->sb.buf + KL_BASE + v[i], KL_PAGE);
	}
	kl_put64(p + 24, wf_marvin32(p + 40, size - 40, WF_HIVELOG_MARVIN_SEED));
	kl_put64(p + 32, wf_marvin32(p, 32, WF_HIVELOG_MARVIN_SEED));
	wf_sb_add(out, p, size);
	free(p);
}

/* New format: two pages per entry, sequence numbers from `seq`. */
static int kl_new_logs(const struct kit_dirty *d, const struct kl_hive *b, const struct kl_hive *a,
		       const uint32_t *v, size_t n, uint32_t seq, unsigned *entries,
		       struct wf_error *e)
{
	size_t ne = (n + 1) / 2, k1 = d->log2 && d->in_log1 ? d->in_log1 : ne;
	struct wf_strbuf log[2] = { WF_STRBUF_INIT, WF_STRBUF_INIT };
	size_t last_start = 0;
	for (size_t i = 0; i < ne; i++) {
		int second = i >= k1;
		struct wf_strbuf *out = &log[second ^ (d->swap && d->log2)];
		if (!out->len)
			kl_log_base(out, (unsigned char *)b->sb.buf, 6, seq + (uint32_t)i, a->bins,
				    d->bad_checksum && out == &log[0]);
		last_start = out->len;
		kl_entry(out, a, v + 2 * i, n - 2 * i < 2 ? n - 2 * i : 2, seq + (uint32_t)i);
	}
	*entries = (unsigned)ne;
	struct wf_strbuf *tail = &log[(ne > k1) ^ (d->swap && d->log2)];
	if (d->torn_last && tail->len)	/* cut the last entry in the middle */
		wf_sb_truncate(tail, last_start + (tail->len - last_start) / 2 / KL_SECTOR * KL_SECTOR);
	int r = kl_write(d->log1, log[0].buf, log[0].len, e);
	if (r == 0 && d->log2)
		r = kl_write(d->log2, log[1].buf, log[1].len, e);
	wf_sb_release(&log[0]);
	wf_sb_release(&log[1]);
	return r;
}

/* Old format: base block, DIRT + bitmap of 512-byte pages, the pages. */
static int kl_old_log(const struct kit_dirty *d, const struct kl_hive *b, const struct kl_hive *a,
		      const uint32_t *v, size_t n, uint32_t seq, unsigned *pages,
		      struct wf_error *e)
{
	struct wf_strbuf out = WF_STRBUF_INIT;
	kl_log_base(&out, (unsigned char *)b->sb.buf, 1, seq, a->bins, d->bad_checksum);
	size_t bitmap = a->bins / KL_SECTOR / 8;
	unsigned char *bits = wf_xcalloc(1, bitmap);
	for (size_t i = 0; i < n; i++)
		for (uint32_t s = 0; s < KL_PAGE / KL_SECTOR; s++) {
			size_t bit = (v[i] + s * KL_SECTOR) / KL_SECTOR;
			bits[bit / 8] |= (unsigned char)(1u << (bit % 8));
		}
	wf_sb_add(&out, "DIRT", 4);
	wf_sb_add(&out, bits, bitmap);
	wf_sb_addpad(&out, 0, (KL_SECTOR - out.len % KL_SECTOR) % KL_SECTOR);
	for (size_t i = 0; i < bitmap * 8; i++)
		if (bits[i / 8] >> (i % 8) & 1)
			wf_sb_add(&out, a->sb.buf + KL_BASE + i * KL_SECTOR, KL_SECTOR);
	*pages = (unsigned)(n * (KL_PAGE / KL_SECTOR));
	if (d->torn_last)
		wf_sb_truncate(&out, out.len - KL_SECTOR / 2);
	int r = kl_write(d->log1, out.buf, out.len, e);
	free(bits);
	wf_sb_release(&out);
	return r;
}

int kit_write_dirty(const struct kit_dirty *d, unsigned *entries, unsigned *pages,
		    struct wf_error *e)
{
	struct kl_hive b, a;
	int r = kl_load(d->before, &b, e);
	if (r == 0)
		r = kl_load(d->after, &a, e);
	size_t n = 0;
	uint32_t *v = r == 0 ? kl_diff(&b, &a, &n) : NULL;
	if (r == 0 && n == 0)
		r = wf_error_set(e, WF_ERR_INPUT, "%s: no change from %s", d->after, d->before);
	unsigned char *pb = (unsigned char *)b.sb.buf;
	/* the primary at sequence numbers N+1/N, N well past the clean
	 * hive's S; stale new-format logs start at S (older than N), stale
	 * old-format logs carry another last written timestamp */
	uint32_t s = r == 0 ? kl_get32(pb + 8) : 0, seq = s + 100;
	if (r == 0) {
		kl_put32(pb + 4, seq + 1);
		kl_put32(pb + 8, seq);
		kl_put32(pb + 508, wf_hivelog_checksum(pb));
		r = kl_write(d->primary, b.sb.buf, b.sb.len, e);
		if (d->stale && d->format == KIT_LOG_OLD)
			pb[12] ^= 1;
	}
	uint32_t first = d->format == KIT_LOG_OLD ? seq + 1 : d->stale ? s : seq;
	*entries = d->format == KIT_LOG_OLD;
	*pages = 0;
	if (r == 0 && d->format == KIT_LOG_NEW) {
		r = kl_new_logs(d, &b, &a, v, n, first, entries, e);
		*pages = (unsigned)n;
	} else if (r == 0) {
		r = kl_old_log(d, &b, &a, v, n, first, pages, e);
	}
	free(v);
	wf_sb_release(&b.sb);
	wf_sb_release(&a.sb);
	return r;
}
