/*
 * hiverecover.h - a guest hive that was not cleanly saved, read with its
 * transaction logs (core/formats/hivelog.h) during an inspection.
 *
 * The host copy of the hive is checked; when dirty, the guest's
 * NAME.LOG1, NAME.LOG2 and NAME.LOG beside it are downloaded (each capped
 * at WF_HIVELOG_MAX_LOG), replayed, and the host copy is replaced by the
 * recovered hive.  The guest is never written.
 */
#ifndef WF_HIVERECOVER_H
#define WF_HIVERECOVER_H

#include "error.h"
#include "hivelog.h"

typedef struct guestfs_h guestfs_h;

/* `guest_path` is the case-resolved guest path of the hive, `local` its
 * host copy.  r->state says what happened (r->image is freed).  -1 only
 * when the host copy cannot be read or written. */
int wf_guest_recover_hive(guestfs_h *g, const char *guest_path, const char *local,
			  struct wf_hivelog_result *r, struct wf_error *e);

#endif
