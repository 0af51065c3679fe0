/*
 * fixrun.h - fix and undo on an inspected image: what the batch commands
 * (tui/cmd_fix.c) and the wizard call.  It ties the pieces together:
 * plan building with the guest's files visible (fixes.h), the guardrails,
 * the executor (apply.h), and the refresh of the inspection's hive copies
 * so that the diagnosis can be re-run on the result.
 *
 *   wf_guard_image_unlocked(path, &err);                  // no running VM
 *   wf_inspect_probe(...); wf_inspect_guest_rw(&in, &io, &err);  // writable disks
 *   struct wf_fixrun_opts fo = { .virtio = wf_virtio_src_open(path, NULL, &err) };
 *   struct wf_plan p;
 *   wf_fixrun_plan(&in, 0, ids, n, &fo, &p, &err);       // dry run = render p
 *   wf_fixrun_apply(&in, 0, &p, &fo, &aopts, &res, &err); // progress, cancel
 *   wf_diagnose_inspection(&in, t, &after, &err);          // findings gone?
 *   wf_fixrun_undo(&in, 0, NULL, &fo, &aopts, &res, &err);
 *
 * The plan building mounts the volume read-only and unmounts it; apply
 * and undo mount it read-write (after the hibernation check) and unmount.
 * The inspection must have been opened with wf_inspect_guest_rw for those
 * (a read-only one can still plan: the dry run).
 */
#ifndef WF_FIXRUN_H
#define WF_FIXRUN_H

#include <stddef.h>

#include "apply.h"
#include "error.h"
#include "plan.h"

struct wf_inspection;
struct wf_virtio_src;

struct wf_fixrun_opts {
	struct wf_virtio_src *virtio;	/* driver source (virtio_src.h), NULL none; keep
					 * it open until the plan is applied: the plan
					 * copies files read from it */
	const char *backup_dir;		/* host backups; NULL: next to the image */
	int current_only;		/* only the current control set */
	unsigned long fail_io_at;	/* tests: fail the Nth I/O call of apply/undo
					 * (wf_apply_io_fault); 0 never */
};

/* Host folder for backups: backup_dir, else "<image>.virt-winfix"
 * beside the first image.  malloc'd. */
char *wf_fixrun_backup_dir(const struct wf_inspection *in,
			   const struct wf_fixrun_opts *o);

/* Build the plan of fix ids for Windows `win` of the inspection. */
int wf_fixrun_plan(struct wf_inspection *in, size_t win,
		   const char *const *ids, size_t n,
		   const struct wf_fixrun_opts *o, struct wf_plan *p,
		   struct wf_error *e);

/* Check the guardrails that need the guest (hibernation, clean hives). */
int wf_fixrun_check(struct wf_inspection *in, size_t win, struct wf_error *e);

/* Apply (apply.h) and refresh the inspection's copies of the hives. */
int wf_fixrun_apply(struct wf_inspection *in, size_t win,
		    const struct wf_plan *p, const struct wf_fixrun_opts *o,
		    const struct wf_apply_opts *ao, struct wf_apply_result *r,
		    struct wf_error *e);

/* The fixes recorded in the guest, newest first. */
int wf_fixrun_list(struct wf_inspection *in, size_t win,
		   const struct wf_fixrun_opts *o, struct wf_journal **v,
		   size_t *n, struct wf_error *e);

/* Undo fix `id` (NULL: the newest not undone) and refresh the copies. */
int wf_fixrun_undo(struct wf_inspection *in, size_t win, const char *id,
		   const struct wf_fixrun_opts *o, const struct wf_apply_opts *ao,
		   struct wf_apply_result *r, struct wf_error *e);

#endif
