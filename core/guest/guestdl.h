/*
 * guestdl.h - copying a file out of the guest, size checked first.
 *
 * Every byte of a guest is hostile: a sparse 3 GB "setupapi.dev.log" takes
 * 5 MB in the image and 3 GB in TMPDIR once downloaded.  Every download
 * goes through wf_guest_download, which looks at the file first (statns:
 * a regular file, its apparent size) and applies the cap of its kind
 * (wf_guest_caps): over the cap a file is refused with one line naming it
 * and both sizes, or, for text logs whose newest part is at the end, only
 * its last `max` bytes are copied and the caller says so.
 *
 *   uint64_t size;
 *   int r = wf_guest_download(g, "/Windows/INF/setupapi.dev.log", local,
 *                             WF_GK_SETUPLOG, &size, &err);
 *   r == 1: truncated (size is the whole file's)
 */
#ifndef WF_GUESTDL_H
#define WF_GUESTDL_H

#include <stdint.h>
#include "error.h"

typedef struct guestfs_h guestfs_h;

enum wf_gkind {
	WF_GK_HIVE,		/* SYSTEM, SOFTWARE */
	WF_GK_HIVELOG,		/* SYSTEM.LOG1/.LOG2/.LOG */
	WF_GK_SETUPLOG,		/* setupapi*.log */
	WF_GK_INF,
	WF_GK_CAB,		/* Driver Cache cabinets */
	WF_GK_DRIVER,		/* .sys, .dll, .exe */
	WF_GK_CATALOG,		/* .cat */
	WF_GK_BACKUP,		/* any guest file the executor saves before a change */
	WF_GK_N
};

struct wf_guest_cap {
	enum wf_gkind kind;
	const char *what;	/* "registry hive" */
	uint64_t max;		/* bytes */
	int keep_tail;		/* over max: copy the last max bytes, not refuse */
	const char *source;	/* why this figure */
};

/* One row per kind, indexed by enum wf_gkind. */
extern const struct wf_guest_cap wf_guest_caps[WF_GK_N];

/* The kind of a driver package file by its name (.inf, .cat, .cab, else
 * WF_GK_DRIVER). */
enum wf_gkind wf_guest_kind_of(const char *name);

/* Download guest path `real` (case already resolved) to host `local`.
 * 0 copied whole, 1 only its tail (keep_tail kinds over the cap), -1 `e`
 * (not a regular file, over the cap, libguestfs error).  *size (may be
 * NULL) gets the guest file's size. */
int wf_guest_download(guestfs_h *g, const char *real, const char *local,
		      enum wf_gkind kind, uint64_t *size, struct wf_error *e);

#endif
