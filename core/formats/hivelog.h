/*
 * hivelog.h - recovery of a dirty registry hive from its transaction logs.
 *
 * Written from the "Windows registry file format specification" (Maxim
 * Suhanov, github.com/msuhanov/regf), sections "Base block", "Format of
 * transaction log files", "Dirty state of a hive" and "Multiple
 * transaction log files".  Nothing is copied from other implementations.
 *
 * A primary file is dirty when its base block checksum is wrong or its
 * primary and secondary sequence numbers differ.  Its newest state is then
 * in the logs: "new format" (Windows 8.1 and later, file type 6: HvLE log
 * entries with Marvin32 hashes, split over .LOG1 and .LOG2) or "old
 * format" (XP to 8, file type 1: a DIRT bitmap of dirty 512-byte pages).
 *
 *   struct wf_hivelog_file logs[] = { { "SYSTEM.LOG1", d1, n1 }, ... };
 *   struct wf_hivelog_result r;
 *   wf_hivelog_recover(primary, len, logs, 2, &r, &err);
 *   if (r.state == WF_HIVELOG_RECOVERED) ... r.image, r.image_len ...
 *   wf_hivelog_result_free(&r);
 *
 * Every size and offset read from the files is checked; the work is
 * bounded by the caps below.  The inputs are never modified.
 */
#ifndef WF_HIVELOG_H
#define WF_HIVELOG_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define WF_HIVELOG_MAX_HIVE	(512u << 20)	/* recovered image, bytes */
#define WF_HIVELOG_MAX_LOG	(512u << 20)	/* one log file, bytes */
#define WF_HIVELOG_MAX_ENTRIES	100000u		/* log entries, all logs */
#define WF_HIVELOG_MAX_PAGES	(1u << 21)	/* dirty pages, all logs */
#define WF_HIVELOG_NLOGS	3		/* .LOG1, .LOG2, .LOG */

enum wf_hivelog_state {
	WF_HIVELOG_CLEAN = 0,	/* primary saved cleanly: nothing to do */
	WF_HIVELOG_RECOVERED,	/* dirty, logs replayed: image holds the result */
	WF_HIVELOG_STALE,	/* dirty, no usable log: primary may be stale */
};

enum wf_hivelog_format { WF_HIVELOG_NONE = 0, WF_HIVELOG_OLD, WF_HIVELOG_NEW };

/* One log file given to the recovery (data NULL / len 0: absent). */
struct wf_hivelog_file {
	const char *name;		/* "SYSTEM.LOG1": labels the notes */
	const unsigned char *data;
	size_t len;
};

/* What became of one log file. */
struct wf_hivelog_use {
	char name[64];
	int present;			/* data given and non-empty */
	enum wf_hivelog_format format;	/* from its base block's file type */
	uint32_t base_seq;		/* its base block's sequence number */
	unsigned entries, pages;	/* applied from it */
	uint32_t first_seq, last_seq;	/* of the applied entries */
	char why[200];			/* why it was not (fully) used; "" when fine */
};

struct wf_hivelog_result {
	enum wf_hivelog_state state;
	uint32_t seq1, seq2;		/* the primary's, as found */
	int checksum_ok;		/* the primary's base block checksum */
	uint32_t final_seq;		/* sequence number of the recovered hive */
	uint32_t old_bins, new_bins;	/* hive bins data size before / after */
	unsigned entries, pages;	/* applied, all logs */
	struct wf_hivelog_use log[WF_HIVELOG_NLOGS];
	size_t nlogs;
	char why[300];			/* STALE: why no log could be used */
	unsigned char *image;		/* RECOVERED: the clean hive (malloc) */
	size_t image_len;
};

/* Recover `primary` (len bytes) with up to WF_HIVELOG_NLOGS logs.  Returns
 * 0 with r->state set (a dirty hive without usable logs is STALE, not an
 * error), -1 only when the primary is not a hive or is over the cap. */
int wf_hivelog_recover(const unsigned char *primary, size_t len,
		       const struct wf_hivelog_file *logs, size_t nlogs,
		       struct wf_hivelog_result *r, struct wf_error *e);
void wf_hivelog_result_free(struct wf_hivelog_result *r);

/* The same on files: `logs` are paths (NULL or missing: absent; a NULL
 * one is named PRIMARY.LOG1, .LOG2, .LOG by its position).  When
 * recovered and `out` is not NULL, the image is written to `out`. */
int wf_hivelog_recover_files(const char *primary, const char *const *logs,
			     size_t nlogs, const char *out,
			     struct wf_hivelog_result *r, struct wf_error *e);

/* The logs beside a primary file, in the order recovery wants them:
 * PATH.LOG1, PATH.LOG2, PATH.LOG (malloc'd; free with wf_hivelog_paths_free). */
void wf_hivelog_default_paths(const char *primary, char *out[WF_HIVELOG_NLOGS]);
void wf_hivelog_paths_free(char *v[WF_HIVELOG_NLOGS]);

/* 1 when the base block (first 4096 bytes, at least 512) is dirty. */
int wf_hivelog_is_dirty(const unsigned char *base, size_t len);
/* The same for a hive file on the host (its first 4 KiB); 0 when unreadable. */
int wf_hivelog_file_is_dirty(const char *path);

/* One line for the notes: "SYSTEM was not cleanly saved: replayed 315
 * dirty pages from SYSTEM.LOG1 and SYSTEM.LOG2 (...)" or, when stale,
 * "... the logs could not be used (...): it may be stale".  malloc'd;
 * NULL for a clean hive. */
char *wf_hivelog_describe(const struct wf_hivelog_result *r, const char *hive);

/* XOR-32 checksum of a base block's first 508 bytes (spec, base block
 * note 2) and the Marvin32 hash the log entries use.  The spec lists the
 * seed as bytes "82 EF 4D 88 7A 4E 55 C5": that is the 64-bit number
 * 0x82EF4D887A4E55C5 (low half 0x7A4E55C5 seeds the first word), as the
 * hashes in the real SYSTEM_B logs (fixtures) confirm; read as
 * little-endian bytes the hashes of every real entry mismatch. */
uint32_t wf_hivelog_checksum(const unsigned char *base);
uint64_t wf_marvin32(const unsigned char *data, size_t len, uint64_t seed);
#define WF_HIVELOG_MARVIN_SEED 0x82EF4D887A4E55C5ull

#endif
