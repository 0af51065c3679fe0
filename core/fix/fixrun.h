/*
 * fixrun.h - fix and undo on an inspected image: what the batch commands
 * (tui/cmd_fix.c) and the wizard call.  It ties the pieces together:
 * plan building with the guest's files visible (fixes.h), the guardrails,
 * the executor (apply.h), and the refresh of the inspection's hive copies
 * so that the diagnosis can be re-run on the result.
 *
 *   struct wf_fixrun_open o = { .writable = 1 };
 *   wf_fixrun_open_images(paths, n, &o, &in, &err);  // one appliance, disks writable
 *   struct wf_fixrun_opts fo = { .virtio = wf_virtio_src_open("/srv/virtio-win.iso",
 *           NULL, &err) };                            // read on the host
 *   struct wf_plan p;
 *   wf_fixrun_plan(&in, 0, ids, n, &fo, &p, &err);       // dry run = render p
 *   wf_fixrun_apply(&in, 0, &p, &fo, &aopts, &res, &err); // progress, cancel
 *   wf_diagnose_inspection(&in, t, &after, &err);          // findings gone?
 *   wf_fixrun_undo(&in, 0, NULL, &fo, &aopts, &res, &err);
 *
 * One appliance serves the whole run: opened writable, its disks stay
 * write-protected (session.h) while the inspection, the diagnosis and the
 * plan mount the volume read-only; apply and undo lift the protection,
 * mount it read-write (after the hibernation check), write, unmount and
 * protect it again, and the diagnosis after reads the result through the
 * same appliance.  A read-only inspection can still plan (the dry run).
 */
#ifndef WF_FIXRUN_H
#define WF_FIXRUN_H

#include <stddef.h>

#include "apply.h"
#include "error.h"
#include "inspect.h"
#include "plan.h"

struct wf_virtio_src;
struct wf_domfacts;

struct wf_fixrun_opts {
	struct wf_virtio_src *virtio;	/* driver source (virtio_src.h), NULL none; keep
					 * it open until the plan is applied: the plan
					 * copies files read from it */
	const char *backup_dir;		/* host backups; NULL: next to the image */
	int current_only;		/* only the current control set */
	int sig_mode;			/* WF_SIGMODE_* (sigpolicy.h) */
	/* the VM's definition (domxml.h: --domain-xml, or -d's libvirt
	 * domain), read once: the virtio ids it presents (vmpci.h) are
	 * derived from it for the id check (idcheck.h); NULL: not known */
	const struct wf_domfacts *dom;
	unsigned long fail_io_at;	/* tests: fail the Nth I/O call of apply/undo
					 * (wf_apply_io_fault); 0 never */
};

/* How to open images for a fix run (wf_fixrun_open_images). */
struct wf_fixrun_open {
	int writable;		/* fix / undo: refuse locked images, add the
				 * disks writable (qemu locks them) */
	struct wf_inspect_opts io;	/* progress, cancel hook (inspect.h) */
};

/* Open images for fix, undo or a dry run in one appliance: the lock
 * check (no running VM), the probe, the inspection, and a launch error
 * that means "locked" said as such.  On failure `in` holds what was
 * opened; free it with wf_inspection_free. */
int wf_fixrun_open_images(const char *const *paths, size_t n,
			  const struct wf_fixrun_open *o, struct wf_inspection *in,
			  struct wf_error *e);
/* The same after the probe (wf_inspect_probe filled `in`): the wizard
 * probes at once and launches in the background. */
int wf_fixrun_launch(struct wf_inspection *in, const struct wf_fixrun_open *o,
		     struct wf_error *e);
/* Whether these images may be opened writable: each writable by us and
 * held by no running VM.  0 with the reason in `e` when not. */
int wf_fixrun_may_write(const struct wf_inspection *in, struct wf_error *e);

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
