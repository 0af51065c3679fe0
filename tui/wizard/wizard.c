/* wizard.c - see wizard.h: entry points, the appliance job queue, recent
 * images. */
#include "wizard.h"
#include "hostfile.h"
#include "wizard_priv.h"
#include "virtio_src.h"
#include "app.h"
#include "cli.h"
#include "cli_src.h"
#include "fixrun.h"
#include "inspect_fetch.h"
#include "logdoc.h"
#include "strbuf.h"
#include "screens.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- the job queue ----------------------------------------------------------
 * One libguestfs handle serves every step, so appliance work runs one job
 * at a time: each job is a task (app.h) started when the previous one has
 * finished.  `work` runs on the task's thread, `done` on the UI thread. */


/* The worker: one thread for the life of the wizard runs every job, so
 * that the libguestfs handle is only ever used from one thread (its error
 * handler and last error are per thread).  Finished jobs go back to the UI
 * thread through `finished`, picked up by on_tick after a wake-up. */
struct wf_worker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct wf_job *todo;		/* handed over, not started */
	struct wf_job *finished;	/* done, `done` not yet called */
	int stop;
	struct wf_app *app;
};

static void *worker_main(void *arg)
{
	struct wf_worker *k = arg;
	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->todo && !k->stop)
			pthread_cond_wait(&k->cv, &k->mu);
		if (!k->todo)
			break;
		struct wf_job *j = k->todo;
		k->todo = NULL;
		pthread_mutex_unlock(&k->mu);
		j->work(j);
		pthread_mutex_lock(&k->mu);
		j->next = k->finished;
		k->finished = j;
		wf_app_wake(k->app);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

static struct wf_worker *worker(struct wf_wiz *w)
{
	if (w->worker)
		return w->worker;
	struct wf_worker *k = wf_xcalloc(1, sizeof *k);
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	k->app = w->app;
	if (pthread_create(&k->th, NULL, worker_main, k) != 0) {
		pthread_mutex_destroy(&k->mu);
		pthread_cond_destroy(&k->cv);
		free(k);
		return NULL;
	}
	w->worker = k;
	return k;
}

static void job_done(struct wf_wiz *w, struct wf_job *j)
{
	w->job_running = 0;
	j->done(w, j);
	free(j);
	wf_wiz_pump(w);
}

/* Call `done` of the jobs the worker finished (UI thread). */
static int reap_jobs(struct wf_wiz *w)
{
	struct wf_worker *k = w->worker;
	if (!k)
		return 0;
	pthread_mutex_lock(&k->mu);
	struct wf_job *j = k->finished;
	k->finished = NULL;
	pthread_mutex_unlock(&k->mu);
	int any = j != NULL;
	while (j) {
		struct wf_job *next = j->next;
		job_done(w, j);
		j = next;
	}
	return any;
}

/* Stop the worker once its job (cancelled by on_quit) is over. */
static void worker_stop(struct wf_wiz *w)
{
	struct wf_worker *k = w->worker;
	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = 1;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->th, NULL);
	reap_jobs(w);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k);
	w->worker = NULL;
}

void wf_wiz_pump(struct wf_wiz *w)
{
	if (w->job_running || w->quitting)
		return;
	struct wf_job *j = w->queue;
	if (!j) {
		wf_app_busy(w->app, NULL);
		return;
	}
	w->queue = j->next;
	w->job_running = 1;
	wf_app_busy(w->app, j->label);
	struct wf_worker *k = worker(w);
	if (!k) {
		j->work(j);	/* no thread: do it here rather than never */
		job_done(w, j);
		return;
	}
	pthread_mutex_lock(&k->mu);
	k->todo = j;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
}

struct wf_job *wf_job_new(struct wf_wiz *w, const char *label,
			      void (*work)(struct wf_job *),
			      void (*done)(struct wf_wiz *, struct wf_job *))
{
	struct wf_job *j = wf_xcalloc(1, sizeof *j);
	j->w = w;
	j->vm = w->vm;
	j->label = label;
	j->work = work;
	j->done = done;
	return j;
}

void wf_job_submit(struct wf_wiz *w, struct wf_job *j)
{
	struct wf_job **pp = &w->queue;
	while (*pp)
		pp = &(*pp)->next;
	*pp = j;
	wf_wiz_pump(w);
}

/* --- launch --------------------------------------------------------------------- */

void wf_job_on_notify(void *ud, const char *msg, int important)
{
	struct wf_job *j = ud;
	if (important)
		snprintf(j->vm->note, sizeof j->vm->note, "%s", msg);
	wf_app_busy_text(j->w->app, msg);
}

void wf_job_on_session(void *ud, struct wf_session *s)
{
	struct wf_job *j = ud;
	atomic_store(&j->vm->session, s);
	wf_cli_watch_session(NULL, s);	/* SIGTERM/SIGHUP cancel it too */
	if (atomic_load(&j->vm->cancel))
		wf_session_cancel(s);
}

/* One launch serves the whole wizard: the disks writable (qemu's lock
 * keeps a VM from starting on them meanwhile; the appliance keeps them
 * write-protected until an apply) unless a running VM holds them or they
 * are not ours to write: then read-only, and an apply launches again. */
static void launch_work(struct wf_job *j)
{
	struct wf_vm *vm = j->vm;
	struct wf_error why = { 0 };
	struct wf_fixrun_open o = {
		.writable = wf_fixrun_may_write(&vm->in, &why),
		.io = { .notify = wf_job_on_notify, .notify_ud = j, .on_session = wf_job_on_session },
	};
	vm->writable = o.writable;
	snprintf(vm->ro_why, sizeof vm->ro_why, "%s", o.writable ? "" : why.msg);
	j->rc = wf_fixrun_launch(&vm->in, &o, &j->err);
	wf_cli_watch_session(NULL, NULL);
}

static void launch_done(struct wf_wiz *w, struct wf_job *j)
{
	struct wf_vm *vm = j->vm;
	vm->seconds = wf_now() - vm->t0;
	if (atomic_load(&vm->cancel) || (j->rc < 0 && j->err.kind == WF_ERR_CANCELLED)) {
		vm->phase = WF_VM_CANCELLED;
		if (vm == w->vm)
			wf_app_flash(w->app, "Launch cancelled; the appliance is stopped.");
		return;
	}
	if (j->rc < 0) {
		vm->phase = WF_VM_FAILED;
		vm->err = j->err;
		if (vm == w->vm)
			wf_app_error(w->app, "%s", j->err.msg);
		return;
	}
	vm->phase = WF_VM_READY;
	if (vm == w->vm)
		wf_wiz_diagnose(w);	/* start at once: the operator is still reading */
}

/* --- close ------------------------------------------------------------------------ */

static void close_work(struct wf_job *j)
{
	wf_inspection_free(&j->vm->in);
}

static void close_done(struct wf_wiz *w, struct wf_job *j)
{
	(void)w;
	free(j->vm);
}

void wf_wiz_forget_logs(struct wf_wiz *w)
{
	for (size_t i = 0; i < w->n_logs; i++) {
		struct wf_wiz_log *l = &w->logs[i];
		if (l->fetched && l->path)
			unlink(l->path);
		free(l->name);
		free(l->path);
		free(l->text);
		wf_logdoc_free(l->doc);
	}
	free(w->logs);
	w->logs = NULL;
	w->n_logs = 0;
}

void wf_wiz_forget_diagnosis(struct wf_wiz *w)
{
	wf_findings_free(&w->findings);
	wf_diag_notes_free(&w->notes);
	memset(&w->findings, 0, sizeof w->findings);
	memset(&w->notes, 0, sizeof w->notes);
	w->diag.state = WF_WORK_NONE;
}

void wf_wiz_close(struct wf_wiz *w)
{
	struct wf_vm *vm = w->vm;
	if (!vm)
		return;
	if (vm->phase == WF_VM_LAUNCHING)
		wf_wiz_cancel(w);
	wf_wiz_forget_logs(w);
	wf_wiz_forget_diagnosis(w);
	w->diag.busy = w->diag.again = 0;
	w->vm = NULL;
	if (w->have_dom || w->have_pve) {	/* the next disks: the command line's targets */
		wf_wiz_source_forget(w);
		w->have_pve = 0;
		w->targets = w->targets_cli;
		w->targets_gen++;
	}
	struct wf_job *j = wf_job_new(w, "Stopping the appliance", close_work, close_done);
	j->vm = vm;
	wf_job_submit(w, j);
}

void wf_wiz_cancel(struct wf_wiz *w)
{
	struct wf_vm *vm = w->vm;
	if (!vm || vm->phase != WF_VM_LAUNCHING)
		return;
	atomic_store(&vm->cancel, 1);
	struct wf_session *s = atomic_load(&vm->session);
	if (s)
		wf_session_cancel(s);
	wf_app_busy_text(w->app, "Cancelling the launch");
}

int wf_wiz_open_fmt(struct wf_wiz *w, const char *const *paths,
		    const char *const *formats, size_t n, struct wf_error *e)
{
	struct wf_vm *vm = wf_xcalloc(1, sizeof *vm);
	if (wf_inspect_probe(paths, n, &vm->in, e) < 0) {
		wf_inspection_free(&vm->in);
		free(vm);
		return -1;
	}
	for (size_t i = 0; formats && i < n; i++)
		if (formats[i] && wf_cli_src_format(formats[i]) >= 0)
			vm->in.disks[i].img.format = (enum wf_format)wf_cli_src_format(formats[i]);
	wf_wiz_close(w);
	vm->phase = WF_VM_LAUNCHING;
	vm->t0 = wf_now();
	w->vm = vm;
	wf_job_submit(w, wf_job_new(w, "Starting the appliance", launch_work, launch_done));
	return 0;
}

int wf_wiz_open(struct wf_wiz *w, const char *const *paths, size_t n,
		struct wf_error *e)
{
	return wf_wiz_open_fmt(w, paths, NULL, n, e);
}

struct wf_windows *wf_wiz_windows(struct wf_wiz *w)
{
	if (!w->vm || w->vm->phase != WF_VM_READY || !w->vm->in.n_win)
		return NULL;
	return &w->vm->in.win[0];
}

/* --- diagnosis ---------------------------------------------------------------------- */

static void diag_work(struct wf_job *j)
{
	if (j->vm->phase != WF_VM_READY) {
		j->rc = wf_error_set(&j->err, WF_ERR_APPLIANCE, "no Windows to diagnose: the launch did not succeed");
		return;
	}
	j->rc = wf_diagnose_inspection_notes(&j->vm->in, &j->t, &j->notes, &j->f, &j->err);
}

static void diag_done(struct wf_wiz *w, struct wf_job *j)
{
	if (j->vm == w->vm)
		w->diag.busy = 0;
	if (j->vm == w->vm && j->gen == w->targets_gen) {
		wf_wiz_forget_diagnosis(w);
		w->findings = j->f;
		w->notes = j->notes;
		w->diag.err = j->err;
		w->diag.state = j->rc < 0 ? WF_WORK_FAILED : WF_WORK_DONE;
		w->diag.gen = j->gen;
		w->diag.again = 0;
		return;
	}
	wf_findings_free(&j->f);
	wf_diag_notes_free(&j->notes);
	if (j->vm == w->vm && w->diag.again) {
		w->diag.again = 0;
		wf_wiz_diagnose(w);
	}
}

void wf_wiz_targets_changed(struct wf_wiz *w)
{
	w->targets_gen++;
	w->targets.origin = WF_TGT_OPTION;
	char d[256];
	wf_targets_describe(&w->targets, d, sizeof d);
	snprintf(w->targets.note, sizeof w->targets.note, "targets chosen in the wizard: %s", d);
}

int wf_wiz_diag_current(struct wf_wiz *w)
{
	return (w->diag.state == WF_WORK_DONE || w->diag.state == WF_WORK_FAILED) &&
	       w->diag.gen == w->targets_gen;
}

void wf_wiz_diagnose(struct wf_wiz *w)
{
	if (!w->vm || w->log_only || wf_wiz_diag_current(w))
		return;
	if (w->vm->phase == WF_VM_FAILED || w->vm->phase == WF_VM_CANCELLED)
		return;
	if (w->diag.busy) {
		w->diag.again = 1;	/* the running one is for older targets */
		return;
	}
	struct wf_job *j = wf_job_new(w, "Diagnosing", diag_work, diag_done);
	j->t = w->targets;
	j->gen = w->targets_gen;
	w->diag.busy = 1;
	wf_job_submit(w, j);
}

/* --- logs ------------------------------------------------------------------------- */

static void fetch_work(struct wf_job *j)
{
	if (j->vm->phase != WF_VM_READY) {
		j->rc = wf_error_set(&j->err, WF_ERR_APPLIANCE, "the appliance is not running");
		return;
	}
	j->path = wf_inspect_fetch(&j->vm->in, 0, j->w->logs[j->log].name, &j->err);
	if (!j->path) {
		j->rc = -1;
		return;
	}
	j->doc = wf_logdoc_load(j->path, &j->err);
	j->rc = j->doc ? 0 : -1;
}

static void fetch_done(struct wf_wiz *w, struct wf_job *j)
{
	if (j->vm != w->vm || j->log >= w->n_logs) {
		if (j->path)
			unlink(j->path);
		free(j->path);
		wf_logdoc_free(j->doc);
		return;
	}
	struct wf_wiz_log *l = &w->logs[j->log];
	l->path = j->path;
	l->fetched = j->path != NULL;
	l->doc = j->doc;
	l->state = j->rc < 0 ? -1 : 1;
	if (j->rc < 0)
		snprintf(l->err, sizeof l->err, "%s", j->err.msg);
}

struct wf_wiz_log *wf_wiz_log_get(struct wf_wiz *w, const char *name)
{
	for (size_t i = 0; i < w->n_logs; i++)
		if (!strcmp(w->logs[i].name, name))
			return &w->logs[i];
	if (w->log_only || !w->vm)
		return NULL;
	w->logs = wf_xrealloc(w->logs, (w->n_logs + 1) * sizeof *w->logs);
	struct wf_wiz_log *l = &w->logs[w->n_logs];
	memset(l, 0, sizeof *l);
	l->name = wf_xstrdup(name);
	struct wf_job *j = wf_job_new(w, "Reading the log from the guest", fetch_work, fetch_done);
	j->log = w->n_logs++;
	wf_job_submit(w, j);
	return l;
}

/* --- running ------------------------------------------------------------------------- */

/* A launch that failed: once its error dialog is read, back to step 1. */
static int on_tick(struct wf_app *a)
{
	struct wf_wiz *w = wf_app_userdata(a);
	int r = reap_jobs(w) ? WF_REDRAW : 0;
	const struct wf_screen *top = wf_app_top(a);
	if (w->vm && (w->vm->phase == WF_VM_FAILED || w->vm->phase == WF_VM_CANCELLED) &&
	    !wf_app_dialog_open(a) &&
	    (top == &wf_scr_windows || top == &wf_scr_diagnosis || top == &wf_scr_finding ||
	     top == &wf_scr_logview || top == &wf_scr_fixes)) {
		wf_app_pop_to(a, &wf_scr_pick);
		return WF_REDRAW;
	}
	return r;
}

static void on_quit(struct wf_app *a)
{
	struct wf_wiz *w = wf_app_userdata(a);
	w->quitting = 1;
	wf_wiz_cancel(w);
	wf_wiz_apply_cancel(w);	/* safe: honoured only before the hives change */
}

static void wiz_free(struct wf_wiz *w)
{
	worker_stop(w);	/* a running job ends first (on_quit cancelled it) */
	/* queued jobs never started: only the closes matter */
	while (w->queue) {
		struct wf_job *j = w->queue;
		w->queue = j->next;
		if (j->work == close_work) {
			close_work(j);
			close_done(w, j);
		} else if (j->drop)
			j->drop(j);
		free(j);
	}
	wf_wiz_forget_logs(w);
	wf_wiz_forget_diagnosis(w);
	wf_wiz_fixes_free(w);
	wf_plan_free(&w->applied_plan);
	if (w->have_applied)
		wf_apply_result_free(&w->applied);
	wf_findings_free(&w->before);
	free(w->virtio_win);
	wf_virtio_src_free(w->vsrc);
	free(w->vsrc_path);
	wf_virtio_src_free(w->iso_ready);
	free(w->iso_ready_path);
	free(w->iso_opening);
	if (w->vm) {
		wf_inspection_free(&w->vm->in);
		free(w->vm);
	}
	free(w->domxml);
	free(w->target_opt);
	wf_wiz_domains_free(w);
	wf_wiz_source_forget(w);
	free(w->uri);
	free(w->pve_path);
	pthread_mutex_destroy(&w->progress_lock);
}

static int need_tty(void)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return 0;
	return wf_cli_usage_error("the wizard needs a terminal; without one use a command (virt-winfix --help lists them)");
}

/* While curses owns the terminal, stray writes to stderr (libguestfs,
 * libxml2, a sanitizer) would tear the screen: they go to
 * $XDG_STATE_HOME/virt-winfix/wizard.log instead, and stderr comes back
 * when the wizard ends. */
static int saved_stderr = -1;

static void stderr_to_log(void)
{
	/* a fresh file (O_EXCL|O_NOFOLLOW) renamed over the old log, in the
	 * private state folder; without one, /dev/null (never /tmp) */
	int fd = -1, dfd = wf_wiz_state_dir(NULL);
	char tmp[64];
	if (dfd >= 0) {
		fd = wf_hostfile_create_tmp(dfd, "wizard.log", 0600, tmp, sizeof tmp, NULL);
		if (fd >= 0 && renameat(dfd, tmp, dfd, "wizard.log") < 0) {
			close(fd);
			unlinkat(dfd, tmp, 0);
			fd = -1;
		}
		close(dfd);
	}
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		fflush(stderr);
		saved_stderr = dup(STDERR_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

static void stderr_back(void)
{
	if (saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
}

static int run(struct wf_wiz *w)
{
	int status = wf_app_run(w->app);
	w->quitting = 1;
	if (w->apply.state == WF_WORK_RUNNING || w->undo.state == WF_WORK_RUNNING) {
		printf("virt-winfix: letting the write in progress finish safely...\n");
		fflush(stdout);
	}
	wiz_free(w);		/* joins a running job (cancelled by on_quit) */
	wf_app_free(w->app);
	stderr_back();
	return status;
}

static struct wf_app *new_app(struct wf_wiz *w)
{
	pthread_mutex_init(&w->progress_lock, NULL);
	wf_plan_init(&w->plan);
	wf_plan_init(&w->applied_plan);
	struct wf_app *a = wf_app_new(w);
	w->app = a;
	wf_app_set_help(a, &wf_scr_help);
	wf_app_on_quit(a, on_quit);
	wf_app_on_tick(a, on_tick);
	wf_app_on_interrupt(a, wf_cli_interrupted, WF_EXIT_INTERRUPTED);
	stderr_to_log();
	if (wf_app_start(a) < 0) {
		stderr_back();
		wf_app_free(a);
		w->app = NULL;
		return NULL;
	}
	return a;
}

static const char wizard_usage[] =
	"Usage: virt-winfix [IMAGE... | -a IMAGE... | -d DOMAIN] [-c URI] [--format FMT]\n"
	"                   [--target BUS[,BUS]] [--domain-xml FILE] [--pve-config FILE]\n"
	"Open the wizard: pick the libvirt domain or the disk image (or give it\n"
	"here), see the Windows and its controllers, the diagnosis with its\n"
	"evidence, the fixes, and finish the migration (switch the VM's controllers).\n"
	"  -d, --domain DOM   open the disks of this libvirt domain (its targets)\n"
	"  -c, --connect URI  libvirt connection for -d and the domain list\n"
	"  -a IMAGE           a disk image (as the positional IMAGE); --format FMT\n"
	"  --pve-config FILE  what a Proxmox VE VM presents; disks with -a or pvesm\n"
	"  --target LIST      what the VM presents (default virtio-blk,virtio-net)\n"
	"  --domain-xml FILE  take it from a libvirt domain XML\n"
	"F1 or ? in the wizard shows help for every screen.\n";

struct wiz_args {
	struct wf_cli_src src;
	struct wf_targets pve_t;
};

/* 0 go on, else the exit status (usage printed). */
static int wizard_parse(struct wf_wiz *w, struct wiz_args *wa, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (wf_cli_is(argv[i], "--domain-xml") || wf_cli_is(argv[i], "--target")) {
			if (i + 1 >= argc)
				return wf_cli_usage_error("%s needs a value", argv[i]);
			char **slot = argv[i][2] == 'd' ? &w->domxml : &w->target_opt;
			free(*slot);
			*slot = wf_xstrdup(argv[++i]);
		} else if (wf_cli_is(argv[i], "--wizard"))
			continue;
		else if (wf_cli_is(argv[i], "-h") || wf_cli_is(argv[i], "--help")) {
			fputs(wizard_usage, stdout);
			return -1;
		} else {
			int c = wf_cli_src_option(&wa->src, "wizard", argc, argv, &i);
			if (c < 0)
				return WF_EXIT_INPUT;
			if (c == 0)
				return wf_cli_usage_error("wizard: unknown option %s (virt-winfix --wizard --help)", argv[i]);
		}
	}
	if (wa->src.n_keys)
		return wf_cli_usage_error("wizard: --key is for the commands (inspect, diagnose, fix)");
	if (wa->src.domain && (wa->src.n || wa->src.pve_path))
		return wf_cli_usage_error("wizard: give -d DOMAIN, or disk images (with --pve-config), not both");
	struct wf_error err = { 0 };
	int r = 0;
	if (w->domxml)
		r = wf_targets_from_domxml_file(w->domxml, &w->targets, &err);
	else if (w->target_opt)
		r = wf_targets_parse_list(w->target_opt, &w->targets, &err);
	else
		wf_targets_default(&w->targets);
	const char *uri = wa->src.uri;	/* alone it chooses the domains listed */
	wa->src.uri = NULL;
	if (r == 0 && !wa->src.domain && wf_cli_src_resolve(&wa->src, "wizard", 0, &err) < 0)
		r = -1;
	wa->src.uri = uri;
	if (wa->src.domain && wa->src.verbose)
		setenv("LIBGUESTFS_DEBUG", "1", 1);
	if (wa->src.domain && wa->src.trace)
		setenv("LIBGUESTFS_TRACE", "1", 1);
	if (r == 0 && wa->src.have_pve && wf_pve_targets(&wa->src.pve, &wa->pve_t, &err) < 0)
		r = -1;
	if (r < 0)
		return wf_cli_fail(&err);
	w->targets_cli = w->targets;
	w->uri = wa->src.uri ? wf_xstrdup(wa->src.uri) : NULL;
	return need_tty() ? WF_EXIT_INPUT : 0;
}

/* The VM of the command line, once the picker is up. */
static void wizard_first(struct wf_wiz *w, struct wiz_args *wa)
{
	struct wf_cli_src *s = &wa->src;
	if (s->domain) {
		wf_scr_pick_open_domain(w->app, s->domain);
		return;
	}
	if (!s->n)
		return;
	wf_scr_pick_open(w->app, s->images, s->formats, s->n);
	if (s->have_pve && w->vm) {
		w->pve = s->pve;
		w->have_pve = 1;
		w->pve_path = wf_xstrdup(s->pve_path);
		w->targets = wa->pve_t;
		w->targets_gen++;
	}
}

int wf_wizard_main(int argc, char **argv)
{
	struct wf_wiz w;
	memset(&w, 0, sizeof w);
	struct wiz_args wa;
	memset(&wa, 0, sizeof wa);
	int r = wizard_parse(&w, &wa, argc, argv);
	if (r) {
		wf_cli_src_free(&wa.src);
		free(w.domxml);
		free(w.target_opt);
		free(w.uri);
		return r < 0 ? WF_EXIT_OK : r;
	}
	struct wf_app *a = new_app(&w);
	if (!a) {
		wf_cli_src_free(&wa.src);
		return wf_cli_usage_error("cannot start the terminal interface (TERM=%s)",
					  getenv("TERM") ? getenv("TERM") : "");
	}
	wf_wiz_domains_list(&w);
	wf_app_push(a, &wf_scr_pick, NULL);
	wizard_first(&w, &wa);
	wf_cli_src_free(&wa.src);
	return run(&w);
}

int wf_wizard_log(const char *const *files, size_t n)
{
	struct wf_wiz w;
	memset(&w, 0, sizeof w);
	w.log_only = 1;
	if (need_tty())
		return WF_EXIT_INPUT;
	struct wf_app *a = new_app(&w);
	if (!a)
		return wf_cli_usage_error("cannot start the terminal interface");
	if (n)
		wf_wiz_log_files(&w, files, n);
	else
		wf_app_push(a, &wf_scr_logpaste, NULL);
	return run(&w);
}
