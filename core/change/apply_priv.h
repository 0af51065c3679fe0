/*
 * apply_priv.h - what apply.c, apply_undo.c and apply_io.c share.
 * Internal: front ends use apply.h.
 */
#ifndef WF_APPLY_PRIV_H
#define WF_APPLY_PRIV_H

#include "apply.h"

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
};

void wf_apply_step(struct wf_run *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Start / stop forwarding the io's byte counts to opts.bytes. */
void wf_apply_watch(struct wf_run *x, int on);
int wf_apply_cancelled(const struct wf_run *x, struct wf_error *e);
int wf_host_mkdir_p(const char *path, struct wf_error *e);
int wf_host_copy(const char *from, const char *to, struct wf_error *e);
/* Upload host file to "<path>.wf-new", sync, rename over path, sync. */
int wf_guest_replace(struct wf_run *x, const char *host, const char *path,
		     struct wf_error *e);
/* The same without the last sync, for a run of files whose next upload's
 * sync (or the journal's, which follows every run) makes the rename
 * durable: each file's content is on disk before its rename whatever the
 * case, and the journal that says "applied" is renamed only after a sync
 * that covers every rename before it.  Under TCG a sync costs 0.2-0.5 s. */
int wf_guest_replace_nosync(struct wf_run *x, const char *host, const char *path,
			    struct wf_error *e);
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
/* The journal to x->hbk/journal.json and x->gbk/journal.json. */
int wf_write_journal(struct wf_run *x, struct wf_error *e);
/* Back up guest `path` as `rel` in both backup folders, SHA-256 in hex
 * (the guest's copy made in the guest when the io can copy). */
int wf_apply_keep_copy(struct wf_run *x, const char *path, const char *rel, char hex[65],
		       struct wf_error *e);
/* apply_logs.c: replay the transaction logs of the touched hives that
 * were not cleanly saved (x->basis), backing the logs up as journal
 * files; after the hives are written, empty those logs. */
int wf_apply_hive_logs(struct wf_run *x, struct wf_error *e);
int wf_apply_empty_logs(struct wf_run *x, struct wf_error *e);

#endif
