/*
 * apply.h - the one executor: apply any plan to a guest with backups and a
 * journal, replace each hive atomically, verify, and undo exactly.
 *
 * What it does, in order (each step is a progress callback; long copies
 * also report their bytes, wf_apply_opts.bytes):
 *   1. back up every hive and file the plan touches: into a host folder
 *      (next to the image, or --backup-dir) and into the guest
 *      (/virt-winfix/backup/<id>/ on the system volume, C:\virt-winfix\...,
 *      a copy made inside the guest where the io can);
 *   2. apply the registry actions to host copies of the hives, commit,
 *      reopen and verify every action - nothing in the guest changed yet;
 *   3. write the journal (journal.h), state "prepared", to both (in the
 *      guest straight to journal.json: its folder is new);
 *   4. stage (apply_stage.c): upload every new file, hive and emptied
 *      hive log to "<path>.wf-new" beside it - still nothing replaced;
 *   5. commit: one sync (the backups, the journal and every staged byte
 *      are on disk), rename the files over theirs, sync, rename the hives
 *      over theirs (and, after one more sync, the emptied logs) - each
 *      rename comes after its bytes are on disk, so a kill at any moment
 *      leaves each target whole, old or new, and a new hive never reaches
 *      the disk before the files it names;
 *   6. read every target back in the guest: its SHA-256 must be the one
 *      the journal records (for a hive, that of the host copy whose
 *      actions step 2 verified);
 *   7. journal state "applied": upload, sync (this one makes the renames
 *      durable), rename over journal.json, sync.
 * A run stopped (kill, fault, Ctrl-C) before step 3 changed nothing but
 * the backups; after it, its "prepared" journal's hashes tell undo, target
 * by target, what is old and what is new.  A "<path>.wf-new" left by a
 * kill is never read (the next run overwrites it).
 * Cancel (the flag) is honoured until the commit starts - after the
 * staging too, whose files are then removed (as after a failure before
 * the first rename: "nothing in the guest was replaced"); after that the
 * executor finishes, because stopping half-way helps nobody.
 *
 * Undo reads the journal, checks that each hive still is what the fix
 * wrote (else it refuses: Windows ran since, or another tool wrote it),
 * puts the backed-up bytes back the same atomic way, removes the files the
 * fix added (restores those it replaced) and checks the hashes: after fix +
 * undo the hives are byte-identical to before.
 *
 * Where the guest's files live is abstracted by struct wf_apply_io: the
 * libguestfs implementation (wf_apply_io_guestfs) for images, and a host
 * directory standing in for the system volume (wf_apply_io_dir) for tests.
 *
 *   struct wf_apply_target t = { .io = &io, .systemroot = "/Windows",
 *        .hive = { "/Windows/System32/config/SYSTEM", ... },
 *        .host_backup_dir = "/var/lib/libvirt/images/win10.img.virt-winfix" };
 *   struct wf_apply_result r;
 *   if (wf_apply(&plan, &t, &opts, &r, &err) < 0) ... err.msg
 *   ... r.journal.id, r.guest_backup, r.host_backup
 *   wf_apply_result_free(&r);
 */
#ifndef WF_APPLY_H
#define WF_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "journal.h"
#include "plan.h"

/* Guest file access.  Paths are guest paths below the system volume's
 * root, '/'-separated; implementations resolve case themselves.  Each
 * returns 0/-1 (with a message naming the path) unless said otherwise. */
struct wf_apply_io {
	void *ud;
	/* 1 exists (size in *size), 0 not, -1 unknown */
	int (*exists)(void *ud, const char *path, uint64_t *size);
	int (*download)(void *ud, const char *path, const char *host, struct wf_error *e);
	/* write host file to path (replacing it) */
	int (*upload)(void *ud, const char *host, const char *path, struct wf_error *e);
	int (*rename)(void *ud, const char *from, const char *to, struct wf_error *e);
	int (*remove)(void *ud, const char *path, struct wf_error *e);
	int (*mkdir_p)(void *ud, const char *path, struct wf_error *e);
	int (*sync)(void *ud, struct wf_error *e);
	/* file names in a folder (malloc'd vector, NULL-terminated); NULL when absent */
	char **(*list)(void *ud, const char *path);
	/* SHA-256 of a guest file; NULL: the executor downloads and hashes */
	int (*sha256)(void *ud, const char *path, char hex[65], struct wf_error *e);
	/* Optional: make `to` (replacing it) a copy of guest file `from`,
	 * whose bytes the host has too, in file `host`, the cheaper way
	 * (libguestfs: a small file is written in one call, a large one
	 * copied inside the guest); NULL: the executor uploads `host`. */
	int (*copy)(void *ud, const char *from, const char *host, const char *to,
		    struct wf_error *e);
	/* Optional: report bytes moved by the uploads and downloads that
	 * follow through fn (libguestfs progress events: sent only for
	 * transfers that last more than a moment); fn NULL stops it. */
	void (*watch)(void *ud, void (*fn)(void *fud, uint64_t done, uint64_t total), void *fud);
	/* Optional: bytes free on the volume; 0 ok, -1 unknown. */
	int (*free_bytes)(void *ud, uint64_t *out);
};

/* Fault injection by count: `out` forwards every call to `inner` except
 * the fail_at-th (1-based; 0 never), which fails with "injected fault at
 * I/O call N" without reaching it.  `f` holds the state (keep it alive). */
struct wf_apply_fault {
	struct wf_apply_io inner;
	unsigned long calls, fail_at;
};
void wf_apply_io_fault(struct wf_apply_io *out, struct wf_apply_fault *f,
		       const struct wf_apply_io *inner, unsigned long fail_at);

/* A host directory standing in for the guest volume's root (tests). */
void wf_apply_io_dir(struct wf_apply_io *io, const char *root);
/* The volume mounted read-write at "/" of a libguestfs handle. */
typedef struct guestfs_h guestfs_h;
void wf_apply_io_guestfs(struct wf_apply_io *io, guestfs_h *g);

struct wf_apply_target {
	const struct wf_apply_io *io;
	const char *systemroot;			/* "/Windows" */
	const char *hive[WF_HIVE_N];		/* guest paths of SYSTEM, SOFTWARE, BCD
					 * (NULL: none; BCD may be on another
					 * volume, see wf_apply_io_twovol) */
	const char *host_backup_dir;		/* host folder for backups (created) */
	const char *tmpdir;			/* host scratch folder (exists) */
	const char *image;			/* for the journal and messages */
};

/* step/total for a progress bar; msg one line ("backing up SYSTEM"). */
typedef void (*wf_apply_progress)(void *ud, unsigned step, unsigned total,
				  const char *msg);

/* Bytes of the file being copied now (guest <-> host), for a bar under
 * the step's; called from the thread running the executor. */
typedef void (*wf_apply_bytes)(void *ud, uint64_t done, uint64_t total);

struct wf_apply_opts {
	wf_apply_progress progress;	/* may be NULL */
	wf_apply_bytes bytes;		/* may be NULL; gets progress_ud too */
	void *progress_ud;
	const volatile int *cancel;	/* may be NULL; nonzero = stop (see above) */
	int force;			/* undo: restore even if a hive changed since */
};

struct wf_apply_result {
	struct wf_journal journal;	/* what was done (id, hives, files, undo lines) */
	char *guest_backup;		/* "C:\virt-winfix\backup\<id>" */
	char *host_backup;		/* host folder of this fix's backup */
	size_t n_restored;		/* undo: hives and files put back */
};

void wf_apply_result_free(struct wf_apply_result *r);

/* The guest folder holding the backups: "/virt-winfix/backup". */
#define WF_APPLY_GUEST_BACKUP "/virt-winfix/backup"

int wf_apply(const struct wf_plan *p, const struct wf_apply_target *t,
	     const struct wf_apply_opts *o, struct wf_apply_result *r,
	     struct wf_error *e);

/* The journals of a guest, newest first (from the guest's backup folder,
 * and the host folder's when the guest has none).  *n may be 0. */
int wf_undo_list(const struct wf_apply_target *t, struct wf_journal **out,
		 size_t *n, struct wf_error *e);
void wf_journals_free(struct wf_journal *v, size_t n);

/* Undo fix `id` (NULL: the newest that is not undone yet). */
int wf_undo(const struct wf_apply_target *t, const char *id,
	    const struct wf_apply_opts *o, struct wf_apply_result *r,
	    struct wf_error *e);

struct wf_hivelog_result;
/* A plan note for hive h when the copy the plan was built on was not
 * cleanly saved (r from the inspection, hivelog.h): what was replayed and
 * what the fix does with the logs; nothing for a clean hive. */
void wf_plan_note_hivelog(struct wf_plan *p, enum wf_plan_hive h,
			  const struct wf_hivelog_result *r);

#endif
