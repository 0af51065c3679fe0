/* wizard_fix.c - steps 4 to 6 of the wizard (wizard.h): the fixes proposed,
 * the plan of the selection, apply with a writable appliance, undo. */
#include "wizard.h"
#include "wizard_priv.h"
#include "app.h"
#include "cli.h"
#include "fixes.h"
#include "fixrun.h"
#include "hive.h"
#include "virtio_src.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What a plan / apply / undo job carries (wf_job.ext). */
struct fixjob {
	char **ids;
	size_t n_ids;
	char *virtio;
	unsigned gen;
	struct wf_plan plan;
	/* apply */
	char **paths;
	size_t n_paths;
	struct wf_vm *old;		/* read-only VM, closed first */
	struct wf_targets t;
	struct wf_apply_result res;
	int applied;			/* wf_fixrun_apply succeeded */
	int launched;			/* the writable appliance is up */
	struct wf_findings after;
	struct wf_diag_notes notes;
	char *journal_id;		/* undo */
	char *dom_uri, *dom_name;	/* the libvirt domain of the disks */
	char *host_backup;		/* undo: where a switch kept the old definition */
	int dom_restored;		/* undo: the old definition is back */
	int dom_failed;			/* undo: ... could not be defined (dom_err) */
	struct wf_error dom_err;
	struct wf_domain dom_now;	/* ... as libvirt now has it */
	int have_dom_now;
	struct wf_virtio_src *handoff;	/* an ISO opened in the background, for the worker */
	int waiting;			/* injections left out: their ISO is being opened */
	struct wf_error src_err;	/* that ISO could not be opened */
};

static void drop_fixjob(struct wf_job *j);

static void fixjob_free(struct fixjob *f)
{
	wf_strv_free(f->ids, f->n_ids);
	wf_strv_free(f->paths, f->n_paths);
	free(f->virtio);
	free(f->journal_id);
	free(f->dom_uri);
	free(f->dom_name);
	free(f->host_backup);
	if (f->have_dom_now)
		wf_domain_free(&f->dom_now);
	wf_plan_free(&f->plan);
	wf_virtio_src_free(f->handoff);	/* only when the worker did not take it */
	free(f);
}

/* --- proposals ------------------------------------------------------------------ */

void wf_wiz_fixes_free(struct wf_wiz *w)
{
	wf_strv_free(w->fix_ids, w->n_fix);
	free(w->fix_on);
	free(w->fix_sev);
	w->fix_ids = NULL;
	w->fix_on = NULL;
	w->fix_sev = NULL;
	w->n_fix = 0;
	wf_plan_free(&w->plan);
	wf_plan_init(&w->plan);
	w->planning.state = WF_WORK_NONE;
}

static int is_injection(const char *id)
{
	return wf_fix_in_family(id, WF_FIXID(INJECT_VIRTIO));
}

/* --- a virtio-win ISO chosen in the wizard ----------------------------------------- */

/* It is opened on a thread of its own (xorriso lists it on the host,
 * virtio_src.h: quick, unless the ISO is on a slow disk), so the operator
 * reads the plan of the other fixes meanwhile and the job queue is not
 * held. */
struct isoopen {
	struct wf_wiz *w;
	char *path;
	struct wf_virtio_src *src;
	struct wf_error err;
};

static void isoopen_work(void *arg)
{
	struct isoopen *o = arg;
	o->src = wf_virtio_src_open(o->path, NULL, &o->err);
}

static void forget_iso_ready(struct wf_wiz *w)
{
	wf_virtio_src_free(w->iso_ready);
	w->iso_ready = NULL;
	free(w->iso_ready_path);
	w->iso_ready_path = NULL;
}

static void isoopen_done(struct wf_app *a, void *arg)
{
	(void)a;
	struct isoopen *o = arg;
	struct wf_wiz *w = o->w;
	int wanted = w->iso_opening && strcmp(w->iso_opening, o->path) == 0 && !w->quitting;
	if (wanted) {
		free(w->iso_opening);
		w->iso_opening = NULL;
		forget_iso_ready(w);
		w->iso_ready = o->src;
		w->iso_ready_path = o->path;
		w->iso_err = o->err;
		w->fix_gen++;
		wf_wiz_plan(w);	/* now with the injections */
	} else {
		wf_virtio_src_free(o->src);
		free(o->path);
	}
	free(o);
}

static int is_iso(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

static void start_iso(struct wf_wiz *w)
{
	const char *p = w->virtio_win;
	if (!is_iso(p) || (w->iso_opening && !strcmp(w->iso_opening, p)) ||
	    (w->iso_ready_path && !strcmp(w->iso_ready_path, p)))
		return;
	struct isoopen *o = wf_xcalloc(1, sizeof *o);
	o->w = w;
	o->path = wf_xstrdup(p);
	free(w->iso_opening);
	w->iso_opening = wf_xstrdup(p);
	if (wf_app_task(w->app, isoopen_work, isoopen_done, o) < 0) {
		free(w->iso_opening);	/* no thread: the worker opens it, as before */
		w->iso_opening = NULL;
		free(o->path);
		free(o);
	}
}

int wf_wiz_source_pending(const struct wf_wiz *w)
{
	return w->iso_opening && w->virtio_win && !strcmp(w->iso_opening, w->virtio_win);
}

static void selection(struct wf_wiz *w, struct fixjob *f)
{
	int pending = wf_wiz_source_pending(w);
	f->ids = wf_xcalloc(w->n_fix + 1, sizeof *f->ids);
	for (size_t i = 0; i < w->n_fix; i++)
		if (w->fix_on[i] && !(pending && is_injection(w->fix_ids[i])))
			f->ids[f->n_ids++] = wf_xstrdup(w->fix_ids[i]);
		else if (w->fix_on[i])
			f->waiting = 1;
	f->virtio = w->virtio_win && !pending ? wf_xstrdup(w->virtio_win) : NULL;
	if (f->virtio && w->iso_ready_path && !strcmp(w->iso_ready_path, f->virtio)) {
		f->handoff = w->iso_ready;	/* the worker takes it */
		w->iso_ready = NULL;
		if (!f->handoff)
			f->src_err = w->iso_err;
	}
	f->gen = w->fix_gen;
	wf_plan_init(&f->plan);
}

void wf_wiz_fixes_propose(struct wf_wiz *w)
{
	wf_wiz_fixes_free(w);
	wf_fixes_from_findings(&w->findings, &w->fix_ids, &w->n_fix);
	w->fix_on = wf_xcalloc(w->n_fix + 1, 1);
	w->fix_sev = wf_xcalloc(w->n_fix + 1, sizeof *w->fix_sev);
	for (size_t i = 0; i < w->n_fix; i++) {
		for (size_t k = 0; k < w->findings.n; k++) {
			const struct wf_finding *f = &w->findings.v[k];
			for (size_t j = 0; j < f->n_fixes; j++)
				if (!strcasecmp(f->fixes[j], w->fix_ids[i]) && f->severity > w->fix_sev[i])
					w->fix_sev[i] = f->severity;
		}
		w->fix_on[i] = w->fix_sev[i] == WF_SEV_ERROR &&
			       (!is_injection(w->fix_ids[i]) || w->virtio_win);
	}
	w->fix_gen++;
	wf_wiz_plan(w);
}

size_t wf_wiz_fixes_selected(struct wf_wiz *w)
{
	size_t n = 0;
	for (size_t i = 0; i < w->n_fix; i++)
		n += w->fix_on[i] != 0;
	return n;
}

void wf_wiz_fix_toggle(struct wf_wiz *w, size_t i)
{
	if (i >= w->n_fix)
		return;
	w->fix_on[i] ^= 1;
	w->fix_gen++;
	wf_wiz_plan(w);
}

void wf_wiz_set_virtio(struct wf_wiz *w, const char *path)
{
	free(w->virtio_win);
	w->virtio_win = path && *path ? wf_xstrdup(path) : NULL;
	start_iso(w);
	/* choosing a source selects the injections the errors ask for */
	for (size_t i = 0; i < w->n_fix; i++)
		if (is_injection(w->fix_ids[i]) && w->fix_sev[i] == WF_SEV_ERROR)
			w->fix_on[i] = w->virtio_win != NULL;
	w->fix_gen++;
	wf_wiz_plan(w);
}

/* --- plan ----------------------------------------------------------------------- */

/* The driver source of `path`, opened on the worker and kept there until
 * another path is chosen, so that plan rebuilds and the apply reuse it
 * (and an ISO's files copied out once). */
static int worker_virtio(struct wf_job *j, const char *path, struct wf_virtio_src **out)
{
	struct wf_wiz *w = j->w;
	struct fixjob *f = j->ext;
	*out = NULL;
	if (!path)
		return 0;
	if (f->handoff) {	/* opened in the background */
		wf_virtio_src_free(w->vsrc);
		free(w->vsrc_path);
		w->vsrc = f->handoff;
		w->vsrc_path = wf_xstrdup(path);
		f->handoff = NULL;
	}
	if (f->src_err.msg[0] && !(w->vsrc && strcmp(w->vsrc_path, path) == 0)) {
		j->err = f->src_err;
		return -1;
	}
	if (w->vsrc && strcmp(w->vsrc_path, path) == 0) {
		*out = w->vsrc;
		return 0;
	}
	wf_virtio_src_free(w->vsrc);
	free(w->vsrc_path);
	w->vsrc_path = NULL;
	wf_app_busy_text(w->app, "reading the virtio-win source");
	w->vsrc = wf_virtio_src_open(path, NULL, &j->err);
	if (!w->vsrc)
		return -1;
	w->vsrc_path = wf_xstrdup(path);
	*out = w->vsrc;
	return 0;
}

/* The plan of the job's selection, its driver source opened on the worker. */
static int build_plan(struct wf_job *j, struct fixjob *f)
{
	struct wf_fixrun_opts fo = { 0 };
	if (worker_virtio(j, f->virtio, &fo.virtio) < 0)
		return -1;
	return wf_fixrun_plan(&j->vm->in, 0, (const char *const *)f->ids, f->n_ids, &fo,
			      &f->plan, &j->err);
}

static void plan_work(struct wf_job *j)
{
	struct fixjob *f = j->ext;
	if (j->vm->phase != WF_VM_READY) {
		j->rc = wf_error_set(&j->err, WF_ERR_APPLIANCE, "the appliance is not running");
		return;
	}
	j->rc = f->n_ids ? build_plan(j, f) : 0;
	if (j->rc == 0 && f->waiting)
		wf_plan_note(&f->plan, "the injections join this plan once the virtio-win ISO is read "
			     "(its appliance is starting in the background)");
}

static void plan_done(struct wf_wiz *w, struct wf_job *j)
{
	struct fixjob *f = j->ext;
	if (j->vm == w->vm) {
		w->planning.busy = 0;
		if (f->gen == w->fix_gen) {
			wf_plan_free(&w->plan);
			w->plan = f->plan;
			wf_plan_init(&f->plan);
			w->planning.state = j->rc < 0 ? WF_WORK_FAILED : WF_WORK_DONE;
			w->planning.err = j->err;
			w->planning.gen = f->gen;
		} else if (w->planning.again) {
			w->planning.again = 0;
			wf_wiz_plan(w);
		}
	}
	fixjob_free(f);
}

int wf_wiz_plan_current(struct wf_wiz *w)
{
	return w->planning.state != WF_WORK_NONE && w->planning.gen == w->fix_gen;
}

void wf_wiz_plan(struct wf_wiz *w)
{
	if (!w->vm || wf_wiz_plan_current(w))
		return;
	if (w->planning.busy) {
		w->planning.again = 1;
		return;
	}
	struct fixjob *f = wf_xcalloc(1, sizeof *f);
	selection(w, f);
	struct wf_job *j = wf_job_new(w, "Planning", plan_work, plan_done);
	j->ext = f;
	j->drop = drop_fixjob;
	w->planning.busy = 1;
	wf_job_submit(w, j);
}

/* --- apply -------------------------------------------------------------------------- */

static void on_progress(void *ud, unsigned step, unsigned total, const char *msg)
{
	struct wf_job *j = ud;
	struct wf_wiz *w = j->w;
	pthread_mutex_lock(&w->progress_lock);
	w->apply_step = step;
	w->apply_total = total;
	w->apply_bytes = w->apply_bytes_total = 0;
	snprintf(w->apply_msg, sizeof w->apply_msg, "%s", msg);
	pthread_mutex_unlock(&w->progress_lock);
	wf_app_busy_text(w->app, msg);
}

/* libguestfs progress events of a long copy (worker thread). */
static void on_bytes(void *ud, uint64_t done, uint64_t total)
{
	struct wf_job *j = ud;
	struct wf_wiz *w = j->w;
	pthread_mutex_lock(&w->progress_lock);
	w->apply_bytes = done;
	w->apply_bytes_total = total;
	pthread_mutex_unlock(&w->progress_lock);
	wf_app_wake(w->app);
}

static void set_stage(struct wf_job *j, const char *msg)
{
	on_progress(j, 0, 0, msg);
}

/* The writable launch: also cancelled by the Apply screen's Esc. */
static void on_session(void *ud, struct wf_session *s)
{
	wf_job_on_session(ud, s);
	if (((struct wf_job *)ud)->w->apply_cancel)
		wf_session_cancel(s);
}

/* After a fix or an undo that went through: the diagnosis again. */
static void rediagnose(struct wf_job *j, const char *what)
{
	struct fixjob *f = j->ext;
	f->applied = 1;
	set_stage(j, "diagnosing again");
	struct wf_error e2 = { 0 };
	if (wf_diagnose_inspection_notes(&j->vm->in, &f->t, &f->notes, &f->after, &e2) < 0)
		wf_diag_note(&f->notes, "the diagnosis after the %s failed: %s", what, e2.msg);
}

/* The domain may have been started since it was opened: ask again. */
static int domain_still_off(struct fixjob *f, struct wf_error *e)
{
	if (!f->dom_name)
		return 0;
	struct wf_domain d;
	if (wf_domain_open(f->dom_uri, f->dom_name, &d, e) < 0)
		return -1;
	int r = wf_domain_refuse_active(&d, e);
	wf_domain_free(&d);
	return r;
}

/* Plan again (the selection as the job saw it), apply, diagnose again:
 * on the appliance the job runs on. */
static void apply_plan(struct wf_job *j, struct fixjob *f)
{
	struct wf_wiz *w = j->w;
	if (w->apply_cancel) {
		j->rc = wf_error_set(&j->err, WF_ERR_CANCELLED, "cancelled before any change");
		return;
	}
	set_stage(j, "building the plan again");
	j->rc = build_plan(j, f);
	if (j->rc < 0)
		return;
	struct wf_apply_opts ao = { .progress = on_progress, .bytes = on_bytes, .progress_ud = j,
				    .cancel = &w->apply_cancel };
	struct wf_fixrun_opts fo = { 0 };	/* backups beside the image */
	j->rc = wf_fixrun_apply(&j->vm->in, 0, &f->plan, &fo, &ao, &f->res, &j->err);
	if (j->rc < 0)
		return;
	rediagnose(j, "fix");
}

/* The appliance is writable (the usual case): no launch. */
static void apply_here_work(struct wf_job *j)
{
	struct fixjob *f = j->ext;
	if (j->vm->phase != WF_VM_READY) {
		j->rc = wf_error_set(&j->err, WF_ERR_APPLIANCE, "the appliance is not running");
		return;
	}
	f->launched = 1;
	apply_plan(j, f);
}

/* The appliance is read-only (the image was held by a running VM, or not
 * writable, when it was opened): stop it, and launch with the disks
 * writable if that is allowed now. */
static void apply_work(struct wf_job *j)
{
	struct fixjob *f = j->ext;
	if (f->old) {
		set_stage(j, "stopping the read-only appliance");
		wf_inspection_free(&f->old->in);
	}
	if (domain_still_off(f, &j->err) < 0) {
		j->rc = -1;
		return;
	}
	set_stage(j, "starting the appliance with the disks writable");
	struct wf_fixrun_open o = {
		.writable = 1,
		.io = { .notify = wf_job_on_notify, .notify_ud = j, .on_session = on_session },
	};
	j->rc = wf_fixrun_open_images((const char *const *)f->paths, f->n_paths, &o, &j->vm->in,
				      &j->err);
	wf_cli_watch_session(NULL, NULL);
	if (j->rc < 0)
		return;
	j->vm->writable = 1;
	f->launched = 1;
	apply_plan(j, f);
}

static void apply_done(struct wf_wiz *w, struct wf_job *j)
{
	struct fixjob *f = j->ext;
	struct wf_vm *vm = j->vm;
	if (f->old) {	/* this job launched the appliance */
		vm->seconds = wf_now() - vm->t0;
		vm->phase = f->launched ? WF_VM_READY : WF_VM_FAILED;
		if (!f->launched)
			vm->err = j->err;
	}
	free(f->old);
	wf_app_pending_write(w->app, NULL);
	if (f->applied) {
		w->apply.state = WF_WORK_DONE;
		wf_findings_free(&w->before);
		w->before = w->findings;
		w->findings = f->after;
		memset(&f->after, 0, sizeof f->after);
		wf_diag_notes_free(&w->notes);
		w->notes = f->notes;
		memset(&f->notes, 0, sizeof f->notes);
		w->diag.state = WF_WORK_DONE;
		w->diag.gen = w->targets_gen;
		wf_plan_free(&w->applied_plan);
		w->applied_plan = f->plan;
		wf_plan_init(&f->plan);
		if (w->have_applied)
			wf_apply_result_free(&w->applied);
		w->applied = f->res;
		w->have_applied = 1;
		w->undo.state = WF_WORK_NONE;
	} else {
		w->apply.state = WF_WORK_FAILED;
		w->apply.err = j->err;
		if (f->launched) {	/* the writable appliance is up: diagnose it again */
			w->diag.state = WF_WORK_NONE;
			wf_wiz_diagnose(w);
		}
	}
	wf_findings_free(&f->after);
	wf_diag_notes_free(&f->notes);
	fixjob_free(f);
}

/* Never started (the program quits): close the read-only VM it held. */
static void drop_apply(struct wf_job *j)
{
	struct fixjob *f = j->ext;
	if (f->old) {
		wf_inspection_free(&f->old->in);
		free(f->old);
	}
	fixjob_free(f);
}

static void drop_fixjob(struct wf_job *j)
{
	fixjob_free(j->ext);
}

static void apply_start(struct wf_wiz *w)
{
	w->apply.state = WF_WORK_RUNNING;
	w->apply_cancel = 0;
	w->apply_t0 = wf_now();
	w->apply_step = w->apply_total = 0;
	w->apply_msg[0] = '\0';
}

void wf_wiz_apply(struct wf_wiz *w)
{
	struct wf_vm *old = w->vm;
	if (!old || old->phase != WF_VM_READY || w->apply.state == WF_WORK_RUNNING)
		return;
	struct fixjob *f = wf_xcalloc(1, sizeof *f);
	selection(w, f);
	f->t = w->targets;
	if (old->writable) {	/* the same appliance: queued after what runs on it */
		apply_start(w);
		char what[1200];
		snprintf(what, sizeof what, "The fix is being written to %s", old->in.disks[0].img.path);
		wf_app_pending_write(w->app, what);
		struct wf_job *j = wf_job_new(w, "Applying the fix", apply_here_work, apply_done);
		j->ext = f;
		j->drop = drop_fixjob;
		wf_job_submit(w, j);
		return;
	}
	f->n_paths = old->in.n_disks;
	f->paths = wf_xcalloc(f->n_paths + 1, sizeof *f->paths);
	for (size_t i = 0; i < f->n_paths; i++)
		f->paths[i] = wf_xstrdup(old->in.disks[i].img.path);
	f->old = old;
	if (w->have_dom) {
		f->dom_uri = *w->dom.uri ? wf_xstrdup(w->dom.uri) : NULL;
		f->dom_name = wf_xstrdup(w->dom.name);
	}
	wf_wiz_forget_logs(w);	/* they live in the old appliance's folder */
	struct wf_vm *vm = wf_xcalloc(1, sizeof *vm);
	vm->phase = WF_VM_LAUNCHING;
	vm->t0 = wf_now();
	w->vm = vm;
	apply_start(w);
	w->diag.busy = w->diag.again = 0;
	w->planning.busy = w->planning.again = 0;
	char what[1200];
	snprintf(what, sizeof what, "The fix is being written to %s", f->paths[0]);
	wf_app_pending_write(w->app, what);
	struct wf_job *j = wf_job_new(w, "Applying the fix", apply_work, apply_done);
	j->ext = f;
	j->drop = drop_apply;
	wf_job_submit(w, j);
}

void wf_wiz_apply_cancel(struct wf_wiz *w)
{
	if (w->apply.state != WF_WORK_RUNNING || !w->vm)
		return;
	w->apply_cancel = 1;	/* the apply stops at its next safe point */
	if (w->vm->phase != WF_VM_LAUNCHING)
		return;		/* the appliance stays: the result is diagnosed */
	atomic_store(&w->vm->cancel, 1);
	struct wf_session *s = atomic_load(&w->vm->session);
	if (s && !w->apply_total)
		wf_session_cancel(s);	/* still launching: stop qemu */
}

/* --- undo ------------------------------------------------------------------------------ */

/* The fix is undone: a domain switched after it gets its old definition. */
static void undo_switch(struct wf_job *j, struct fixjob *f)
{
	if (!f->dom_name || !f->host_backup || !wf_switchdom_saved(f->dom_name, f->host_backup))
		return;
	set_stage(j, "defining the domain as it was before the switch");
	if (wf_switchdom_undo(f->dom_uri, f->dom_name, f->host_backup, &f->dom_err) < 0) {
		wf_error_prefix(&f->dom_err, "the fix is undone, but the domain is not");
		f->dom_failed = 1;
		return;
	}
	f->dom_restored = 1;
	struct wf_error e2 = { 0 };
	f->have_dom_now = wf_domain_open(f->dom_uri, f->dom_name, &f->dom_now, &e2) == 0;
}

static void undo_work(struct wf_job *j)
{
	struct fixjob *f = j->ext;
	if (j->vm->phase != WF_VM_READY) {
		j->rc = wf_error_set(&j->err, WF_ERR_APPLIANCE, "the appliance is not running");
		return;
	}
	struct wf_fixrun_opts fo = { 0 };
	struct wf_apply_opts ao = { .progress = on_progress, .bytes = on_bytes, .progress_ud = j };
	j->rc = wf_fixrun_undo(&j->vm->in, 0, f->journal_id, &fo, &ao, &f->res, &j->err);
	if (j->rc < 0)
		return;
	rediagnose(j, "undo");
	undo_switch(j, f);
}

static void undo_done(struct wf_wiz *w, struct wf_job *j)
{
	struct fixjob *f = j->ext;
	if (j->vm == w->vm && f->dom_failed && w->have_dom) {
		w->sw = WF_SW_FAILED;
		w->sw_err = f->dom_err;
	}
	if (j->vm == w->vm && f->dom_restored && w->have_dom) {
		w->sw = WF_SW_UNDONE;
		if (f->have_dom_now) {
			wf_domain_free(&w->dom);
			w->dom = f->dom_now;
			f->have_dom_now = 0;
		}
		wf_wiz_domains_list(w);
	}
	if (j->vm == w->vm) {
		if (f->applied) {
			w->undo.state = WF_WORK_DONE;
			wf_findings_free(&w->findings);
			w->findings = f->after;
			memset(&f->after, 0, sizeof f->after);
			wf_diag_notes_free(&w->notes);
			w->notes = f->notes;
			memset(&f->notes, 0, sizeof f->notes);
			w->diag.state = WF_WORK_DONE;
			w->diag.gen = w->targets_gen;
		} else {
			w->undo.state = WF_WORK_FAILED;
			w->undo.err = j->err;
		}
	}
	wf_app_pending_write(w->app, NULL);
	wf_apply_result_free(&f->res);
	wf_findings_free(&f->after);
	wf_diag_notes_free(&f->notes);
	fixjob_free(f);
}

void wf_wiz_undo(struct wf_wiz *w)
{
	if (!w->vm || !w->have_applied || w->undo.state == WF_WORK_RUNNING || w->undo.state == WF_WORK_DONE)
		return;
	struct fixjob *f = wf_xcalloc(1, sizeof *f);
	wf_plan_init(&f->plan);
	f->journal_id = w->applied.journal.id ? wf_xstrdup(w->applied.journal.id) : NULL;
	f->t = w->targets;
	if (w->have_dom && w->applied.host_backup) {
		f->dom_uri = *w->dom.uri ? wf_xstrdup(w->dom.uri) : NULL;
		f->dom_name = wf_xstrdup(w->dom.name);
		f->host_backup = wf_xstrdup(w->applied.host_backup);
	}
	w->undo.state = WF_WORK_RUNNING;
	w->apply_step = w->apply_total = 0;
	w->apply_msg[0] = '\0';
	wf_app_pending_write(w->app, "The undo is being written to the image");
	struct wf_job *j = wf_job_new(w, "Undoing the fix", undo_work, undo_done);
	j->ext = f;
	j->drop = drop_fixjob;
	wf_job_submit(w, j);
}
