/*
 * wizard_priv.h - the wizard's appliance job queue, shared by wizard.c
 * (launch, diagnosis, logs) and wizard_fix.c (plan, apply, undo).
 *
 * One libguestfs handle serves every step, so appliance work runs one job
 * at a time: each job is a task (app.h) started when the previous one has
 * finished.  `work` runs on the task's thread and may use only what the
 * job holds and the VM it was made for; `done` runs on the UI thread.
 */
#ifndef WF_WIZARD_PRIV_H
#define WF_WIZARD_PRIV_H

#include "wizard.h"

struct wf_job {
	struct wf_wiz *w;
	struct wf_vm *vm;
	const char *label;		/* busy indicator */
	void (*work)(struct wf_job *j);
	void (*done)(struct wf_wiz *w, struct wf_job *j);
	struct wf_job *next;
	int rc;
	struct wf_error err;
	/* diagnosis */
	struct wf_targets t;
	unsigned gen;
	struct wf_findings f;
	struct wf_diag_notes notes;
	/* log fetch / load */
	size_t log;
	char *path;
	struct wf_logdoc *doc;
	/* plan, apply, undo (wizard_fix.c) */
	void *ext;
	/* frees what the job holds when it never ran (the program quits) */
	void (*drop)(struct wf_job *j);
};

/* A job for the current VM, labelled for the busy indicator. */
struct wf_job *wf_job_new(struct wf_wiz *w, const char *label,
			  void (*work)(struct wf_job *),
			  void (*done)(struct wf_wiz *, struct wf_job *));
/* Queue it (runs at once when nothing else runs). */
void wf_job_submit(struct wf_wiz *w, struct wf_job *j);
/* A job's launch callbacks (struct wf_inspect_opts; ud = the job): the
 * one-line status in the busy text (an important one kept as the VM's
 * note), and the session watched so that Esc and SIGTERM cancel it. */
void wf_job_on_notify(void *ud, const char *msg, int important);
void wf_job_on_session(void *ud, struct wf_session *s);
/* Remove the logs fetched from the guest (and their viewer copies). */
void wf_wiz_forget_logs(struct wf_wiz *w);
/* $XDG_STATE_HOME/virt-winfix (or ~/.local/state/virt-winfix), opened
 * private (recent.c): a directory fd, -1 with `e`. */
int wf_wiz_state_dir(struct wf_error *e);
/* Log-only mode (wizard_log.c): forget the diagnosis shown. */
void wf_wiz_forget_diagnosis(struct wf_wiz *w);
/* Start the next job when none runs. */
void wf_wiz_pump(struct wf_wiz *w);

#endif
