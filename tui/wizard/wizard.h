/*
 * wizard.h - the interactive front end: `virt-winfix [IMAGE...]` with no
 * subcommand, and `virt-winfix log FILE...` on a terminal.
 *
 * The state every step shares (struct wf_wiz) and the work behind the
 * screens: the image's appliance runs in the background as soon as an
 * image is chosen, and every step that needs it (inspection, diagnosis,
 * fetching a log out of the guest) is a job on one queue, run one at a
 * time on a worker thread, because one libguestfs handle serves them all.
 * Screens (screens/, one file a step) read this state on the UI thread and ask for work
 * through the wf_wiz_* calls below; they never touch libguestfs.
 */
#ifndef WF_WIZARD_H
#define WF_WIZARD_H

#include <stdatomic.h>
#include <stddef.h>

#include <pthread.h>

#include "apply.h"
#include "diagnose.h"
#include "domain.h"
#include "finding.h"
#include "inspect.h"
#include "logdiag.h"
#include "plan.h"
#include "pve.h"
#include "strbuf.h"
#include "switchdom.h"
#include "targets.h"

struct wf_app;
struct wf_logdoc;

enum wf_vm_phase {
	WF_VM_LAUNCHING,	/* the appliance starts, Windows is being read */
	WF_VM_READY,		/* inspection done, appliance up */
	WF_VM_FAILED,		/* see err */
	WF_VM_CANCELLED,	/* Esc during the launch */
};

/* One opened set of disks (one VM) and its appliance. */
struct wf_vm {
	struct wf_inspection in;	/* disks: from the probe; the rest: the
					 * worker's until phase is READY */
	enum wf_vm_phase phase;
	struct wf_error err;
	_Atomic(struct wf_session *) session;
	atomic_int cancel;
	double t0, seconds;		/* launch start, duration */
	char note[512];			/* KVM -> TCG fallback */
	int writable;			/* disks added writable (write-protected
					 * until an apply): apply and undo run in
					 * this appliance, no second launch */
	char ro_why[1024];		/* why not writable (a running VM's lock) */
};

/* One piece of the wizard's background work (the diagnosis, the plan, the
 * apply, the undo): where it stands, the generation of the input its
 * result is for, whether a job for it is queued or running, whether the
 * input changed while it ran (run it again when it ends), and why it
 * failed. */
enum wf_work_state { WF_WORK_NONE, WF_WORK_RUNNING, WF_WORK_DONE, WF_WORK_FAILED };
struct wf_wiz_work {
	enum wf_work_state state;
	unsigned gen;
	int busy;
	int again;
	struct wf_error err;
};

/* A setupapi log the viewer can show. */
struct wf_wiz_log {
	char *name;			/* as evidence names it */
	char *path;			/* host file (NULL until fetched; NULL for a paste) */
	char *text;			/* a pasted text (log-only mode), len bytes */
	size_t len;
	int fetched;			/* our copy: removed at the end */
	int state;			/* 0 loading, 1 ready, -1 failed */
	char err[1024];
	struct wf_logdoc *doc;
};

struct wf_job;
struct wf_worker;
struct wf_domlist;

/* Finish the migration (the Result screen's step): the VM's definition
 * switched to the controllers the guest now boots from. */
enum wf_sw_state { WF_SW_NONE, WF_SW_RUNNING, WF_SW_DONE, WF_SW_FAILED, WF_SW_UNDONE };

struct wf_wiz {
	struct wf_app *app;
	int log_only;
	/* what the command line said */
	char *domxml;
	char *target_opt;
	struct wf_targets targets_cli;	/* --target / --domain-xml / default */
	/* libvirt and Proxmox VE (wizard_dom.c) */
	char *uri;			/* -c URI; NULL = libvirt's default */
	struct wf_domlist *domlist;	/* the host's domains, listed on a thread */
	int have_dom;			/* the current VM is this libvirt domain */
	struct wf_domain dom;
	int have_pve;			/* its targets come from a Proxmox VE config */
	struct wf_pve pve;
	char *pve_path;
	enum wf_sw_state sw;
	struct wf_error sw_err;
	char *sw_saved;			/* the old definition, kept by the switch */
	/* image mode: the current VM (NULL before one is opened) */
	struct wf_vm *vm;
	struct wf_targets targets;	/* what the VM will present */
	unsigned targets_gen;		/* bumped on every change */
	/* diagnosis of the current VM (or of the logs) */
	struct wf_wiz_work diag;	/* gen: the targets_gen it was made for */
	struct wf_findings findings;
	struct wf_diag_notes notes;
	struct wf_logsummary logsum;	/* log-only mode */
	/* logs */
	struct wf_wiz_log *logs;
	size_t n_logs;
	/* step 4: the fixes proposed by the findings, and the plan of the
	 * selection (built on the appliance, in the background) */
	char **fix_ids;
	size_t n_fix;
	unsigned char *fix_on;
	enum wf_severity *fix_sev;	/* the worst finding proposing it */
	char *virtio_win;		/* driver source for inject-virtio, NULL = none */
	struct wf_virtio_src *vsrc;	/* worker only: virtio_win opened, kept across plans */
	char *vsrc_path;
	/* an ISO is opened in the background (UI thread's): xorriso lists
	 * it on the host (virtio_src.h), quick unless the disk is slow */
	char *iso_opening;		/* its path while that runs */
	char *iso_ready_path;		/* opened (iso_ready) or failed (iso_err) */
	struct wf_virtio_src *iso_ready;	/* not yet handed to the worker */
	struct wf_error iso_err;
	unsigned fix_gen;		/* bumped on every change of the selection */
	struct wf_plan plan;
	struct wf_wiz_work planning;	/* gen: the fix_gen the plan is for */
	/* steps 5 and 6: apply, verify, undo */
	struct wf_wiz_work apply;
	volatile int apply_cancel;
	pthread_mutex_t progress_lock;	/* the worker writes progress */
	unsigned apply_step, apply_total;
	char apply_msg[256];
	uint64_t apply_bytes, apply_bytes_total;	/* the copy running now (0 0: none) */
	double apply_t0;
	struct wf_plan applied_plan;
	struct wf_apply_result applied;
	int have_applied;
	struct wf_findings before;	/* the diagnosis the fix was chosen on */
	struct wf_wiz_work undo;
	char report_path[1024];		/* last report saved */
	/* appliance job queue, run by one worker thread */
	struct wf_job *queue;
	struct wf_worker *worker;
	int job_running;
	int quitting;
};

/* Entry points (tui/main.c, tui/cmd_log.c).  Return the exit status.
 * wf_wizard_log with no file opens the paste box (screens/logpaste.c). */
int wf_wizard_main(int argc, char **argv);
int wf_wizard_log(const char *const *files, size_t n);

/* Log-only mode (wizard_log.c): diagnose these files, or a pasted text,
 * in place of the logs shown so far, in the background, and show the
 * diagnosis screen (pushed on the current screen).  A paste goes through
 * the core entry `virt-winfix log -` uses (wf_logdiag_add_stream), named
 * WF_WIZ_PASTE_NAME in evidence.  -1 (and nothing changes) while a
 * diagnosis is still running or for an empty text. */
#define WF_WIZ_PASTE_NAME "(pasted text)"
int wf_wiz_log_files(struct wf_wiz *w, const char *const *files, size_t n);
int wf_wiz_log_paste(struct wf_wiz *w, const char *text, size_t len);

/* Open the images with their formats (NULL or a NULL entry: sniffed;
 * "raw", "qcow2"...: as -a with --format). */
int wf_wiz_open_fmt(struct wf_wiz *w, const char *const *paths,
		    const char *const *formats, size_t n, struct wf_error *e);
/* Open the images (libblkid stage at once, -1 with `e` on a bad path or
 * a disk that cannot hold Windows) and start the appliance in the
 * background. */
int wf_wiz_open(struct wf_wiz *w, const char *const *paths, size_t n,
		struct wf_error *e);
/* Esc during the launch: stop the appliance (safe at any moment). */
void wf_wiz_cancel(struct wf_wiz *w);
/* Forget the current VM (its appliance is shut down in the background). */
void wf_wiz_close(struct wf_wiz *w);
/* The Windows of the current VM when ready, else NULL. */
struct wf_windows *wf_wiz_windows(struct wf_wiz *w);

/* Targets changed (w->targets edited): bump the generation. */
void wf_wiz_targets_changed(struct wf_wiz *w);
/* Make sure a diagnosis for the current targets is done or on its way
 * (runs once the launch is done). */
void wf_wiz_diagnose(struct wf_wiz *w);
/* The diagnosis matches the current targets and is done. */
int wf_wiz_diag_current(struct wf_wiz *w);

/* The log named `name` (evidence source), fetched from the guest and
 * loaded in the background when needed; NULL when it cannot be. */
struct wf_wiz_log *wf_wiz_log_get(struct wf_wiz *w, const char *name);

/* Step 4 (wizard_fix.c).  The proposals from the current findings, pre-
 * selected: the fixes of error findings, except driver injections while
 * no virtio-win source is chosen. */
void wf_wiz_fixes_propose(struct wf_wiz *w);
void wf_wiz_fix_toggle(struct wf_wiz *w, size_t i);
void wf_wiz_set_virtio(struct wf_wiz *w, const char *path);
/* Build the plan of the selection (in the background); current = done
 * for this selection. */
void wf_wiz_plan(struct wf_wiz *w);
int wf_wiz_plan_current(struct wf_wiz *w);
/* The chosen virtio-win ISO is still being opened (in the background):
 * the plan shown leaves the injections out. */
int wf_wiz_source_pending(const struct wf_wiz *w);
size_t wf_wiz_fixes_selected(struct wf_wiz *w);
/* Step 5: relaunch the appliance with the disks writable, rebuild the plan,
 * apply it (backups, journal, verification), diagnose again. */
void wf_wiz_apply(struct wf_wiz *w);
/* Stop the apply while that is safe (before the hives are replaced). */
void wf_wiz_apply_cancel(struct wf_wiz *w);
/* Step 6: undo the fix just applied, diagnose again. */
void wf_wiz_undo(struct wf_wiz *w);
/* Free what steps 4-6 hold. */
void wf_wiz_fixes_free(struct wf_wiz *w);

/* libvirt and Proxmox VE (wizard_dom.c).  The host's domains are listed
 * on a thread of their own, never on the job queue, so that neither the
 * appliance nor a slow libvirtd holds the other or the UI. */
void wf_wiz_domains_list(struct wf_wiz *w);
/* 1: listed (*v, *n valid until the next listing), 0: listing, -1: no
 * domains to show (no libvirt, an error).  *serial changes with every
 * listing. */
int wf_wiz_domains(struct wf_wiz *w, const struct wf_domain_brief **v,
		   size_t *n, unsigned *serial);
void wf_wiz_domains_free(struct wf_wiz *w);
/* Open the disks of domain `name` (on w->uri) as -d does: its disk
 * formats, its targets (w->targets); a running one read-only. */
int wf_wiz_open_domain(struct wf_wiz *w, const char *name, struct wf_error *e);
/* -1 with the reason when the current VM must not be written (a running
 * domain); 0 otherwise. */
int wf_wiz_refuse_write(struct wf_wiz *w, struct wf_error *e);
/* Forget the domain / Proxmox source of the VM being closed. */
void wf_wiz_source_forget(struct wf_wiz *w);

/* What finishing the migration would change, for the Result screen. */
enum wf_sw_offer {
	WF_SWO_NONE,		/* not a domain or Proxmox VM, or nothing applied */
	WF_SWO_BLOCKED,		/* errors remain for the wanted controllers */
	WF_SWO_SAME,		/* it presents them already */
	WF_SWO_OFFER,		/* a switch to show and apply */
	WF_SWO_FAILED,		/* cannot be planned: `line` says why */
};
/* The offer with a one-line summary in `line`; with `sw` (libvirt) the
 * plan itself (free it), with `qm` (Proxmox) the commands. */
enum wf_sw_offer wf_wiz_switch_offer(struct wf_wiz *w, char *line, size_t n,
				     struct wf_switchdom *sw, struct wf_strbuf *qm);
/* Apply the switch shown (a task): the old definition kept beside the
 * fix's backup, the domain redefined; refused when the definition
 * changed since.  w->sw follows it. */
void wf_wiz_switch_apply(struct wf_wiz *w, const struct wf_switchdom *sw);

/* The report (tui/report.c): image, Windows, targets, diagnosis, plan,
 * backups, verification, undo - as text, JSON or Markdown. */
enum wf_report_fmt { WF_REPORT_TEXT, WF_REPORT_JSON, WF_REPORT_MD };
int wf_wiz_report_write(struct wf_wiz *w, const char *path, enum wf_report_fmt f,
			struct wf_error *e);
/* "<image>.virt-winfix-report.txt" (.json, .md) */
char *wf_wiz_report_default(struct wf_wiz *w, enum wf_report_fmt f);

/* Recently opened images ($XDG_STATE_HOME/virt-winfix/recent), newest
 * first: returns the count, *out malloc'd (free each and the array). */
#define WF_RECENT_MAX 10
size_t wf_wiz_recent(char ***out);
void wf_wiz_recent_add(const char *const *paths, size_t n);

#endif
