/*
 * hivelog.c - replay a dirty hive's transaction logs (see hivelog.h).
 *
 * Section references are to the "Windows registry file format
 * specification" (github.com/msuhanov/regf).
 */
#include "hivelog.h"
#include "strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	BASE = 4096,		/* base block of a primary file */
	LOG_BASE = 512,		/* base block copy at the start of a log */
	SECTOR = 512,
	HBIN = 4096,
	OFF_SEQ1 = 4, OFF_SEQ2 = 8, OFF_STAMP = 12, OFF_TYPE = 28,
	OFF_BINS = 40, OFF_CLUSTER = 44, OFF_FLAGS = 144, OFF_SUM = 508,
	TYPE_PRIMARY = 0, TYPE_LOG = 1, TYPE_LOG_W2K = 2, TYPE_LOG_NEW = 6,
	ENTRY_HEAD = 40,
};

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xFF;
	p[1] = (v >> 8) & 0xFF;
	p[2] = (v >> 16) & 0xFF;
	p[3] = v >> 24;
}

/* Base block note 2: XOR of 127 dwords; -1 becomes -2, 0 becomes 1. */
uint32_t wf_hivelog_checksum(const unsigned char *base)
{
	uint32_t c = 0;
	for (size_t i = 0; i < OFF_SUM; i += 4)
		c ^= rd32(base + i);
	if (c == 0xFFFFFFFFu)
		c = 0xFFFFFFFEu;
	if (c == 0)
		c = 1;
	return c;
}

static uint32_t rotl(uint32_t x, unsigned n)
{
	return x << n | x >> (32 - n);
}

static void marvin_mix(uint32_t *lo, uint32_t *hi)
{
	*hi ^= *lo;
	*lo = rotl(*lo, 20);
	*lo += *hi;
	*hi = rotl(*hi, 9);
	*hi ^= *lo;
	*lo = rotl(*lo, 27);
	*lo += *hi;
	*hi = rotl(*hi, 19);
}

/* Marvin32 (N. Ferguson): 32-bit little-endian blocks, then the tail
 * padded with a single 0x80 byte, two final rounds. */
uint64_t wf_marvin32(const unsigned char *data, size_t len, uint64_t seed)
{
	uint32_t lo = (uint32_t)seed, hi = (uint32_t)(seed >> 32);
	size_t i = 0;
	for (; i + 4 <= len; i += 4) {
		lo += rd32(data + i);
		marvin_mix(&lo, &hi);
	}
	uint32_t last = 0x80;
	for (size_t k = len - i; k-- > 0;)
		last = last << 8 | data[i + k];
	lo += last;
	marvin_mix(&lo, &hi);
	marvin_mix(&lo, &hi);
	return (uint64_t)hi << 32 | lo;
}

static int checksum_ok(const unsigned char *base)
{
	return rd32(base + OFF_SUM) == wf_hivelog_checksum(base);
}

/* "Dirty state of a hive": wrong checksum or sequence numbers differ. */
int wf_hivelog_is_dirty(const unsigned char *base, size_t len)
{
	if (len < LOG_BASE || memcmp(base, "regf", 4) != 0)
		return 0;
	return !checksum_ok(base) || rd32(base + OFF_SEQ1) != rd32(base + OFF_SEQ2);
}

/* --- the recovery in progress ------------------------------------------------------- */

struct rec {
	struct wf_hivelog_result *r;
	unsigned char *img;	/* base block + hive bins data */
	size_t cap;		/* allocated */
	uint32_t bins;		/* current hive bins data size */
	uint32_t seq;		/* sequence number of the last entry applied */
	uint32_t flags;		/* base block flags bit 0 from the last entry */
	int applied;		/* any entry applied */
};

/* Make room for `bins` bytes of hive bins data; new bytes are zero. */
static int rec_resize(struct rec *x, uint32_t bins)
{
	size_t need = (size_t)BASE + bins;
	if (need > WF_HIVELOG_MAX_HIVE)
		return -1;
	if (need > x->cap) {
		x->img = wf_xrealloc(x->img, need);
		memset(x->img + x->cap, 0, need - x->cap);
		x->cap = need;
	}
	if (bins > x->bins)
		memset(x->img + BASE + x->bins, 0, bins - x->bins);
	x->bins = bins;
	return 0;
}

static void why(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void why(char *buf, size_t n, const char *fmt, ...)
{
	if (buf[0])
		return;		/* keep the first reason */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}
#define WHY(u, ...) why((u)->why, sizeof (u)->why, __VA_ARGS__)

/* A log's base block: "regf", good checksum, equal sequence numbers
 * (old format, base block note 2; the new format copies it). */
static enum wf_hivelog_format log_format(const struct wf_hivelog_file *f,
					 struct wf_hivelog_use *u)
{
	if (f->len < LOG_BASE) {
		WHY(u, "%s", f->len ? "shorter than a base block" : "empty");
		return WF_HIVELOG_NONE;
	}
	const unsigned char *b = f->data;
	if (memcmp(b, "regf", 4) != 0) {
		WHY(u, "no regf signature");
		return WF_HIVELOG_NONE;
	}
	if (!checksum_ok(b)) {
		WHY(u, "base block checksum is wrong");
		return WF_HIVELOG_NONE;
	}
	u->base_seq = rd32(b + OFF_SEQ1);
	if (u->base_seq != rd32(b + OFF_SEQ2)) {
		WHY(u, "base block sequence numbers differ (%u/%u): written half-way",
		    rd32(b + OFF_SEQ1), rd32(b + OFF_SEQ2));
		return WF_HIVELOG_NONE;
	}
	uint32_t type = rd32(b + OFF_TYPE);
	if (type == TYPE_LOG_NEW)
		return WF_HIVELOG_NEW;
	if (type == TYPE_LOG || type == TYPE_LOG_W2K)
		return WF_HIVELOG_OLD;
	WHY(u, "file type %u is not a transaction log", type);
	return WF_HIVELOG_NONE;
}

/* --- new format: HvLE log entries ----------------------------------------------------- */

struct entry {
	const unsigned char *p;
	uint32_t size, flags, seq, bins, count;
};

/* Check one log entry at `off` ("Log entries" and its notes 1-3, 8).
 * Returns 0 when valid, else -1 with the reason in `msg`. */
static int entry_parse(const struct wf_hivelog_file *f, size_t off, struct entry *en,
		       char *msg, size_t msgsz)
{
	if (f->len - off < ENTRY_HEAD || memcmp(f->data + off, "HvLE", 4) != 0) {
		snprintf(msg, msgsz, "no log entry signature");
		return -1;
	}
	const unsigned char *p = f->data + off;
	en->p = p;
	en->size = rd32(p + 4);
	en->flags = rd32(p + 8);
	en->seq = rd32(p + 12);
	en->bins = rd32(p + 16);
	en->count = rd32(p + 20);
	if (en->size < SECTOR || en->size % SECTOR || en->size > f->len - off) {
		snprintf(msg, msgsz, "size %u is not a multiple of 512 inside the file (torn)", en->size);
		return -1;
	}
	if (rd64(p + 32) != wf_marvin32(p, 32, WF_HIVELOG_MARVIN_SEED) ||
	    rd64(p + 24) != wf_marvin32(p + ENTRY_HEAD, en->size - ENTRY_HEAD,
					WF_HIVELOG_MARVIN_SEED)) {
		snprintf(msg, msgsz, "hash mismatch (torn or damaged)");
		return -1;
	}
	if (en->bins == 0 || en->bins % HBIN || (size_t)en->bins > WF_HIVELOG_MAX_HIVE - BASE) {
		snprintf(msg, msgsz, "hive bins data size %u is not a multiple of 4096 under the cap",
			 en->bins);
		return -1;
	}
	if (en->count > (en->size - ENTRY_HEAD) / 8) {
		snprintf(msg, msgsz, "%u dirty pages do not fit in %u bytes", en->count, en->size);
		return -1;
	}
	/* every reference inside the hive bins, every page inside the entry */
	size_t data = ENTRY_HEAD + (size_t)en->count * 8;
	for (uint32_t i = 0; i < en->count; i++) {
		uint32_t po = rd32(p + ENTRY_HEAD + 8 * i), ps = rd32(p + ENTRY_HEAD + 8 * i + 4);
		if (ps == 0 || ps > en->bins || po > en->bins - ps || ps > en->size - data) {
			snprintf(msg, msgsz, "dirty page %u (offset %u, size %u) is out of bounds",
				 i, po, ps);
			return -1;
		}
		data += ps;
	}
	return 0;
}

static void entry_apply(struct rec *x, const struct entry *en)
{
	rec_resize(x, en->bins);	/* checked against the cap in entry_parse */
	size_t data = ENTRY_HEAD + (size_t)en->count * 8;
	for (uint32_t i = 0; i < en->count; i++) {
		uint32_t po = rd32(en->p + ENTRY_HEAD + 8 * i), ps = rd32(en->p + ENTRY_HEAD + 8 * i + 4);
		memcpy(x->img + BASE + po, en->p + data, ps);
		data += ps;
	}
	x->seq = en->seq;
	x->flags = en->flags & 1;	/* note 11: only bit 0 is kept */
	x->applied = 1;
}

/* Apply the subsequent entries of one new-format log (notes 5, 7, 8).
 * `expect` is the sequence number the first entry must carry, or 0 for
 * "at least the primary's secondary sequence number". */
static void new_log_apply(struct rec *x, const struct wf_hivelog_file *f,
			  struct wf_hivelog_use *u, uint32_t expect)
{
	struct wf_hivelog_result *r = x->r;
	char msg[160];
	for (size_t off = LOG_BASE; off < f->len;) {
		struct entry en;
		int first = u->entries == 0;
		if (entry_parse(f, off, &en, msg, sizeof msg) < 0) {
			if (first || (f->len - off >= 4 && memcmp(f->data + off, "HvLE", 4) == 0))
				WHY(u, "stopped at the entry at offset %zu: %s", off, msg);
			return;
		}
		if (first && en.seq != u->base_seq) {
			WHY(u, "its first entry has sequence number %u, its base block %u", en.seq,
			    u->base_seq);
			return;
		}
		if (first && !expect && en.seq < r->seq2) {
			WHY(u, "older than the primary file (entries from %u, the primary is at %u): "
			    "already written to it", en.seq, r->seq2);
			return;
		}
		if (first && expect && en.seq != expect) {
			WHY(u, "starts at sequence number %u, %u was expected after the other log",
			    en.seq, expect);
			return;
		}
		if (!first && en.seq != x->seq + 1)
			return;		/* older entries left behind: the end */
		if (r->entries >= WF_HIVELOG_MAX_ENTRIES ||
		    r->pages + en.count > WF_HIVELOG_MAX_PAGES) {
			WHY(u, "stopped: more entries or pages than the cap");
			return;
		}
		entry_apply(x, &en);
		if (first)
			u->first_seq = en.seq;
		u->last_seq = en.seq;
		u->entries++;
		u->pages += en.count;
		r->entries++;
		r->pages += en.count;
		off += en.size;
	}
}

/* "Multiple transaction log files, New format": the log with the earlier
 * entries first, the next one continuing at N + 1. */
static void recover_new(struct rec *x, const struct wf_hivelog_file *logs, size_t n,
			const enum wf_hivelog_format *fmt)
{
	size_t order[WF_HIVELOG_NLOGS], k = 0;
	for (size_t i = 0; i < n; i++)
		if (fmt[i] == WF_HIVELOG_NEW)
			order[k++] = i;
	for (size_t a = 1; a < k; a++)	/* insertion sort by base sequence */
		for (size_t b = a; b > 0 && x->r->log[order[b]].base_seq <
					    x->r->log[order[b - 1]].base_seq; b--) {
			size_t t = order[b];
			order[b] = order[b - 1];
			order[b - 1] = t;
		}
	for (size_t i = 0; i < k; i++)
		new_log_apply(x, &logs[order[i]], &x->r->log[order[i]],
			      x->applied ? x->seq + 1 : 0);
}

/* --- old format: a dirty vector -------------------------------------------------------- */

/* One old-format log ("Old format": base block, dirty vector, dirty
 * pages).  Returns 0 when applied. */
static int old_log_apply(struct rec *x, const struct wf_hivelog_file *f,
			 struct wf_hivelog_use *u, const unsigned char *pbase)
{
	const unsigned char *b = f->data;
	if (x->r->checksum_ok && memcmp(b + OFF_STAMP, pbase + OFF_STAMP, 8) != 0) {
		WHY(u, "its last written timestamp is not the primary file's (another write)");
		return -1;
	}
	uint32_t cf = rd32(b + OFF_CLUSTER), bins = rd32(b + OFF_BINS);
	size_t sector = cf == 8 ? 8 * SECTOR : SECTOR;
	if (bins == 0 || bins % HBIN || (size_t)bins > WF_HIVELOG_MAX_HIVE - BASE) {
		WHY(u, "hive bins data size %u is not a multiple of 4096 under the cap", bins);
		return -1;
	}
	size_t bitmap = bins / 4096;	/* bins / 512 bits */
	if (f->len < sector + 4 + bitmap || memcmp(b + sector, "DIRT", 4) != 0) {
		WHY(u, "no dirty vector (DIRT) after its base block");
		return -1;
	}
	const unsigned char *bits = b + sector + 4;
	size_t pages = (sector + 4 + bitmap + sector - 1) / sector * sector, dirty = 0;
	for (size_t i = 0; i < bitmap * 8; i++)
		dirty += bits[i / 8] >> (i % 8) & 1;
	if (dirty > WF_HIVELOG_MAX_PAGES || pages > f->len || dirty > (f->len - pages) / SECTOR) {
		WHY(u, "its dirty vector names %zu pages, the file holds fewer (torn)", dirty);
		return -1;
	}
	rec_resize(x, bins);
	for (size_t i = 0, k = 0; i < bitmap * 8; i++)
		if (bits[i / 8] >> (i % 8) & 1)
			memcpy(x->img + BASE + i * SECTOR, b + pages + SECTOR * k++, SECTOR);
	x->seq = u->base_seq > x->r->seq1 ? u->base_seq : x->r->seq1;
	x->flags = rd32(pbase + OFF_FLAGS) & 1;
	x->applied = 1;
	u->entries = 1;
	u->pages = (unsigned)dirty;
	u->first_seq = u->last_seq = u->base_seq;
	x->r->entries = 1;
	x->r->pages = (unsigned)dirty;
	return 0;
}

/* The first applicable log is used, as the boot loader does ("Multiple
 * transaction log files, Old format"). */
static void recover_old(struct rec *x, const struct wf_hivelog_file *logs, size_t n,
			const enum wf_hivelog_format *fmt, const unsigned char *pbase)
{
	for (size_t i = 0; i < n && !x->applied; i++)
		if (fmt[i] == WF_HIVELOG_OLD)
			old_log_apply(x, &logs[i], &x->r->log[i], pbase);
}

/* --- the whole ------------------------------------------------------------------------------ */

/* The hive bins must chain from 0 to the hive bins data size ("Hive bin":
 * signature, offset equal to its position, size a multiple of 4096). */
static int bins_chain(const struct rec *x, char *msg, size_t msgsz)
{
	for (size_t off = 0; off < x->bins;) {
		const unsigned char *h = x->img + BASE + off;
		uint32_t size = rd32(h + 8);
		if (x->bins - off < 32 || memcmp(h, "hbin", 4) != 0 || rd32(h + 4) != off ||
		    size < HBIN || size % HBIN || size > x->bins - off) {
			snprintf(msg, msgsz, "the replayed hive bins do not chain at offset %zu", off);
			return -1;
		}
		off += size;
	}
	return 0;
}

static void finish_base(struct rec *x)
{
	unsigned char *b = x->img;
	wr32(b + OFF_SEQ1, x->seq);
	wr32(b + OFF_SEQ2, x->seq);
	wr32(b + OFF_TYPE, TYPE_PRIMARY);
	wr32(b + OFF_BINS, x->bins);
	wr32(b + OFF_FLAGS, (rd32(b + OFF_FLAGS) & ~1u) | x->flags);
	wr32(b + OFF_SUM, wf_hivelog_checksum(b));
}

/* Start the image from the primary; with a bad checksum its base block
 * comes from the newest valid log (new format notes 4 and 6). */
static int rec_start(struct rec *x, const unsigned char *primary, size_t len,
		     const struct wf_hivelog_file *logs, enum wf_hivelog_format *fmt,
		     size_t n)
{
	x->img = wf_xcalloc(1, BASE);
	x->cap = BASE;
	memcpy(x->img, primary, BASE);
	if (!x->r->checksum_ok) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (fmt[i] != WF_HIVELOG_NONE &&
			    (best == n || x->r->log[i].base_seq > x->r->log[best].base_seq))
				best = i;
		if (best == n)
			return -1;
		memcpy(x->img, logs[best].data, LOG_BASE);
		for (size_t i = 0; i < n; i++)	/* only the newest log is used */
			if (i != best && fmt[i] != WF_HIVELOG_NONE) {
				WHY(&x->r->log[i], "not used: the primary's base block is damaged "
				    "and only the newest log may then be replayed");
				fmt[i] = WF_HIVELOG_NONE;
			}
	}
	uint32_t bins = rd32(x->img + OFF_BINS);
	if (bins % HBIN || (size_t)bins > WF_HIVELOG_MAX_HIVE - BASE)
		bins = (uint32_t)((len - BASE) / HBIN * HBIN);
	if (rec_resize(x, bins) < 0)
		return -1;
	size_t have = len - BASE < bins ? len - BASE : bins;
	memcpy(x->img + BASE, primary + BASE, have);
	return 0;
}

static void set_stale(struct wf_hivelog_result *r, size_t n)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		wf_sb_addf(&sb, "%s%s: %s", sb.len ? "; " : "", r->log[i].name,
			   r->log[i].present ? (r->log[i].why[0] ? r->log[i].why : "nothing to replay")
					     : "absent");
	if (!n)
		wf_sb_adds(&sb, "no transaction log was found");
	snprintf(r->why, sizeof r->why, "%s", sb.buf);
	wf_sb_release(&sb);
	r->state = WF_HIVELOG_STALE;
}

int wf_hivelog_recover(const unsigned char *primary, size_t len,
		       const struct wf_hivelog_file *logs, size_t nlogs,
		       struct wf_hivelog_result *r, struct wf_error *e)
{
	memset(r, 0, sizeof *r);
	if (len < BASE || memcmp(primary, "regf", 4) != 0)
		return wf_error_set(e, WF_ERR_INPUT, "not a registry hive (no regf base block)");
	if (len > WF_HIVELOG_MAX_HIVE)
		return wf_error_set(e, WF_ERR_INPUT, "hive of %zu bytes is over the %u MiB cap", len,
				    WF_HIVELOG_MAX_HIVE >> 20);
	r->seq1 = rd32(primary + OFF_SEQ1);
	r->seq2 = rd32(primary + OFF_SEQ2);
	r->checksum_ok = checksum_ok(primary);
	r->old_bins = r->new_bins = rd32(primary + OFF_BINS);
	r->final_seq = r->seq1;
	if (!wf_hivelog_is_dirty(primary, len))
		return 0;
	r->nlogs = nlogs < WF_HIVELOG_NLOGS ? nlogs : WF_HIVELOG_NLOGS;
	enum wf_hivelog_format fmt[WF_HIVELOG_NLOGS] = { 0 };
	int any_new = 0;
	for (size_t i = 0; i < r->nlogs; i++) {
		struct wf_hivelog_use *u = &r->log[i];
		snprintf(u->name, sizeof u->name, "%s", logs[i].name ? logs[i].name : "log");
		u->present = logs[i].data && logs[i].len;
		if (logs[i].len > WF_HIVELOG_MAX_LOG) {
			WHY(u, "over the %u MiB cap", WF_HIVELOG_MAX_LOG >> 20);
			continue;
		}
		fmt[i] = u->present ? log_format(&logs[i], u) : WF_HIVELOG_NONE;
		u->format = fmt[i];
		any_new |= fmt[i] == WF_HIVELOG_NEW;
	}
	struct rec x = { .r = r };
	if (rec_start(&x, primary, len, logs, fmt, r->nlogs) == 0) {
		if (any_new)	/* a new-format log means a writer of 8.1 or later */
			recover_new(&x, logs, r->nlogs, fmt);
		else
			recover_old(&x, logs, r->nlogs, fmt, primary);
	}
	char msg[120];
	if (x.applied && bins_chain(&x, msg, sizeof msg) < 0) {
		snprintf(r->why, sizeof r->why, "%s", msg);
		x.applied = 0;
		r->state = WF_HIVELOG_STALE;
	} else if (!x.applied) {
		set_stale(r, r->nlogs);
	} else {
		finish_base(&x);
		r->state = WF_HIVELOG_RECOVERED;
		r->final_seq = x.seq;
		r->new_bins = x.bins;
		r->image_len = (size_t)BASE + x.bins;
		r->image = x.img;
		x.img = NULL;
	}
	free(x.img);
	return 0;
}

void wf_hivelog_result_free(struct wf_hivelog_result *r)
{
	free(r->image);
	memset(r, 0, sizeof *r);
}

/* --- files and words --------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Read a whole file under `cap`; a missing file is absent (1). */
static int read_capped(const char *path, size_t cap, struct wf_strbuf *sb, struct wf_error *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? 1
				       : wf_error_set(e, WF_ERR_INPUT, "%s: cannot open: %s", path,
						      strerror(errno));
	fclose(f);
	if (wf_sb_read_file(sb, path, cap + 1, e) < 0)
		return -1;
	if (sb->len > cap)
		return wf_error_set(e, WF_ERR_INPUT, "%s: over the %zu MiB cap", path, cap >> 20);
	return 0;
}

static int write_image(const char *out, const struct wf_hivelog_result *r, struct wf_error *e)
{
	FILE *f = fopen(out, "wb");
	if (!f)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot write: %s", out, strerror(errno));
	int bad = fwrite(r->image, 1, r->image_len, f) != r->image_len;
	bad |= fclose(f) != 0;
	return bad ? wf_error_set(e, WF_ERR_INPUT, "%s: write error", out) : 0;
}

int wf_hivelog_recover_files(const char *primary, const char *const *logs,
			     size_t nlogs, const char *out,
			     struct wf_hivelog_result *r, struct wf_error *e)
{
	memset(r, 0, sizeof *r);
	struct wf_strbuf p = WF_STRBUF_INIT, l[WF_HIVELOG_NLOGS];
	struct wf_hivelog_file files[WF_HIVELOG_NLOGS];
	char absent[WF_HIVELOG_NLOGS][80];
	static const char *const ext[WF_HIVELOG_NLOGS] = { ".LOG1", ".LOG2", ".LOG" };
	nlogs = nlogs < WF_HIVELOG_NLOGS ? nlogs : WF_HIVELOG_NLOGS;
	int rc = read_capped(primary, WF_HIVELOG_MAX_HIVE, &p, e);
	if (rc > 0)
		rc = wf_error_set(e, WF_ERR_INPUT, "%s: no such file", primary);
	for (size_t i = 0; i < nlogs; i++) {
		wf_sb_init(&l[i]);
		snprintf(absent[i], sizeof absent[i], "%.60s%s", base_name(primary), ext[i]);
		files[i] = (struct wf_hivelog_file){ .name = logs[i] ? base_name(logs[i]) : absent[i] };
		int k = rc == 0 && logs[i] ? read_capped(logs[i], WF_HIVELOG_MAX_LOG, &l[i], e) : 1;
		if (k < 0)
			rc = -1;
		else if (k == 0) {
			files[i].data = (const unsigned char *)l[i].buf;
			files[i].len = l[i].len;
		}
	}
	if (rc == 0 && wf_hivelog_recover((const unsigned char *)p.buf, p.len, files, nlogs, r, e) < 0)
		rc = wf_error_prefix(e, "%s", primary);
	if (rc == 0 && out && r->state == WF_HIVELOG_RECOVERED)
		rc = write_image(out, r, e);
	wf_sb_release(&p);
	for (size_t i = 0; i < nlogs; i++)
		wf_sb_release(&l[i]);
	return rc;
}

void wf_hivelog_default_paths(const char *primary, char *out[WF_HIVELOG_NLOGS])
{
	out[0] = wf_xasprintf("%s.LOG1", primary);
	out[1] = wf_xasprintf("%s.LOG2", primary);
	out[2] = wf_xasprintf("%s.LOG", primary);
}

void wf_hivelog_paths_free(char *v[WF_HIVELOG_NLOGS])
{
	for (size_t i = 0; i < WF_HIVELOG_NLOGS; i++) {
		free(v[i]);
		v[i] = NULL;
	}
}

/* "SYSTEM.LOG1 and SYSTEM.LOG2" of the logs that gave entries. */
static void used_logs(const struct wf_hivelog_result *r, struct wf_strbuf *sb)
{
	size_t n = 0, k = 0;
	for (size_t i = 0; i < r->nlogs; i++)
		n += r->log[i].entries > 0;
	for (size_t i = 0; i < r->nlogs; i++)
		if (r->log[i].entries > 0)
			wf_sb_addf(sb, "%s%s", k++ == 0 ? "" : k == n ? " and " : ", ", r->log[i].name);
}

char *wf_hivelog_describe(const struct wf_hivelog_result *r, const char *hive)
{
	if (r->state == WF_HIVELOG_CLEAN)
		return NULL;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_addf(&sb, "%s was not cleanly saved (base block %s%u/%u)", hive,
		   r->checksum_ok ? "sequence numbers " : "checksum wrong, sequence numbers ",
		   r->seq1, r->seq2);
	if (r->state == WF_HIVELOG_STALE) {
		wf_sb_addf(&sb, " and its transaction logs could not be replayed (%s): it may be stale, "
			   "without the last changes Windows made before it stopped", r->why);
		return wf_sb_detach(&sb);
	}
	wf_sb_addf(&sb, ": replayed %u dirty page%s (%u log entr%s, up to sequence number %u) from ",
		   r->pages, r->pages == 1 ? "" : "s", r->entries, r->entries == 1 ? "y" : "ies",
		   r->final_seq);
	used_logs(r, &sb);
	for (size_t i = 0; i < r->nlogs; i++) {
		const struct wf_hivelog_use *u = &r->log[i];
		if (u->present && u->why[0])
			wf_sb_addf(&sb, "; %s %s: %s", u->name, u->entries ? "stopped" : "not used", u->why);
	}
	return wf_sb_detach(&sb);
}

int wf_hivelog_file_is_dirty(const char *path)
{
	unsigned char b[4096];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(b, 1, sizeof b, f) : 0;
	if (f)
		fclose(f);
	return wf_hivelog_is_dirty(b, n);
}
