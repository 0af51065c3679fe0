/*
 * apply_priv.h - what apply.c, apply_undo.c and apply_io.c share.
 * Internal: front ends use apply.h.
 */
#ifndef WF_APPLY_PRIV_H
#define WF_APPLY_PRIV_H

#include "apply.h"

/* apply_stage.c: stage then commit.  Groups are renamed in this order,
 * with a sync between two (see there why). */
enum wf_stage_group { WF_STAGE_FILES, WF_STAGE_HIVES, WF_STAGE_LOGS, WF_STAGE_NGROUPS };

struct wf_stage {
	struct wf_stage_item {
		char *path;		/* the target; staged as "<path>.wf-new" */
		enum wf_stage_group group;
		int tried;		/* its rename was tried: it may be in place */
	} *v;
	size_t n;
	char **dirs;			/* guest folders made in this run */
	size_t n_dirs;
};

/* The name beside a target under which its new bytes wait for the rename. */
#define WF_STAGED_SUFFIX ".wf-new"

struct wf_run {
	const struct wf_plan *p;		/* NULL for undo */
	const struct wf_apply_target *t;
	const struct wf_apply_opts *o;
	struct wf_apply_result *r;
	unsigned step, total;
	char *gbk;			/* guest backup folder "/virt-winfix/backup/<id>" */
	char *hbk;			/* host backup folder (for messages) */
	int hbk_fd;			/* that folder, opened (hostfile.h); -1: none.
					 * Every host backup file is made through it. */
	int touched[WF_HIVE_N];
	char *newhive[WF_HIVE_N];	/* host copies of the changed hives */
	char *basis[WF_HIVE_N];		/* a dirty hive with its logs replayed, else NULL */
	size_t log_first;		/* journal files from here on are hive logs */
	unsigned n_logs;		/* hives whose logs were replayed */
	struct wf_stage stage;		/* what waits for the commit */
};

void wf_apply_step(struct wf_run *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Start / stop forwarding the io's byte counts to opts.bytes. */
void wf_apply_watch(struct wf_run *x, int on);
int wf_apply_cancelled(const struct wf_run *x, struct wf_error *e);
int wf_host_mkdir_p(const char *path, struct wf_error *e);
int wf_host_copy(const char *from, const char *to, struct wf_error *e);
/* Upload host file to "<path>.wf-new", sync, rename over path, sync:
 * one file replaced on its own (undo, the journal). */
int wf_guest_replace(struct wf_run *x, const char *host, const char *path,
		     struct wf_error *e);
/* Make guest folder `dir` unless this run made it (or one under it). */
int wf_stage_mkdir(struct wf_run *x, const char *dir, struct wf_error *e);
/* Upload host file to "<path>.wf-new"; its rename waits for the commit. */
int wf_stage_put(struct wf_run *x, const char *host, const char *path,
		 enum wf_stage_group group, struct wf_error *e);
/* Sync, rename every staged file over its target, group after group with
 * a sync between two.  The last group's renames are durable at the next
 * sync (the journal's).  -1: some targets may be renamed, each whole. */
int wf_stage_commit(struct wf_run *x, struct wf_error *e);
/* How many renames the commit tried (0: no target was replaced). */
size_t wf_stage_tried(const struct wf_run *x);
/* Remove the staged files whose rename was not tried (a cancel, a failed
 * staging, a commit that failed before its first rename); best effort,
 * errors ignored. */
void wf_stage_drop(struct wf_run *x);
void wf_stage_free(struct wf_stage *s);
int wf_guest_sha256(struct wf_run *x, const char *path, char hex[65],
		    struct wf_error *e);
/* Open the host backup folder <host_backup_dir>/<journal id> into
 * x->hbk_fd: made 0700 when `create`, and refused when it (or
 * host_backup_dir) is a symlink, someone else's or writable by others. */
int wf_backup_dir_open(struct wf_run *x, int create, struct wf_error *e);
/* "/proc/self/fd/N": a name for an fd that tools taking paths can open. */
char *wf_fd_path(int fd);
/* Open backup file `rel` ("SYSTEM", "files/3") in x->hbk_fd for reading,
 * not following a symlink; -1 when absent. */
int wf_backup_open_read(struct wf_run *x, const char *rel);
/* The journal to x->hbk/journal.json and x->gbk/journal.json.  `fresh`:
 * the guest folder has no journal yet (a new backup folder): it is
 * uploaded straight to its name without a sync, and the caller's next
 * sync must come before anything depends on it; else it replaces the old
 * one atomically (wf_guest_replace). */
int wf_write_journal(struct wf_run *x, int fresh, struct wf_error *e);
/* Back up guest `path` as `rel` in both backup folders, SHA-256 in hex
 * (the guest's copy made in the guest when the io can copy). */
int wf_apply_keep_copy(struct wf_run *x, const char *path, const char *rel, char hex[65],
		       struct wf_error *e);
/* apply_logs.c: replay the transaction logs of the touched hives that
 * were not cleanly saved (x->basis), backing the logs up as journal
 * files; stage an empty file for each of those logs (WF_STAGE_LOGS:
 * renamed after the hives). */
int wf_apply_hive_logs(struct wf_run *x, struct wf_error *e);
int wf_apply_stage_empty_logs(struct wf_run *x, struct wf_error *e);

#endif
