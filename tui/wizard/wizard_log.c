/*
 * wizard_log.c - the wizard's log-only mode (`virt-winfix log` on a
 * terminal): the logs, given as files or pasted into the paste box
 * (screens/logpaste.c), are read in the background, one job, with the
 * same core calls as the batch command: wf_logdiag_add_file for a file,
 * wf_logdiag_add_stream for a paste (as `virt-winfix log -` reads its
 * standard input); then the diagnosis screen shows the findings.
 */
#include "wizard.h"
#include "wizard_priv.h"
#include "app.h"
#include "logdoc.h"
#include "screens.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A file: the checks of `virt-winfix log FILE` in the wizard (a dialog
 * for a bad one, the others still diagnosed). */
static void read_file(struct wf_logdiag *d, struct wf_wiz_log *l, struct wf_error *e)
{
	struct stat st;
	if (stat(l->path, &st) == 0 && S_ISDIR(st.st_mode)) {
		wf_error_set(e, WF_ERR_INPUT, "%s: is a directory, not a log file", l->path);
		return;
	}
	if (wf_logdiag_add_file(d, l->path, NULL, e) < 0)
		return;
	const struct wf_sa_info *in = wf_logdiag_last_info(d);
	if (in->format == WF_SA_FMT_UNKNOWN && !in->sections && in->bytes) {
		wf_error_set(e, WF_ERR_INPUT,
			     "%s: not a SetupAPI log (no log header or install section in %lu lines)",
			     l->path, in->lines);
		return;
	}
	l->doc = wf_logdoc_load(l->path, e);
}

/* A paste: the text as a stream, as `virt-winfix log -` reads stdin; it
 * is refused, as there, when not one line of it is a SetupAPI line. */
static void read_paste(struct wf_logdiag *d, struct wf_wiz_log *l, struct wf_error *e)
{
	FILE *fp = fmemopen(l->text, l->len, "rb");
	if (!fp) {
		wf_error_set(e, WF_ERR_INPUT, "%s: cannot read it back", l->name);
		return;
	}
	int rc = wf_logdiag_add_stream(d, fp, l->name, e);
	fclose(fp);
	if (rc < 0)
		return;
	const struct wf_sa_info *in = wf_logdiag_last_info(d);
	if (!in->sa_lines) {
		wf_error_set(e, WF_ERR_INPUT,
			     "%s: no SetupAPI log line in its %lu lines (paste lines of a "
			     "setupapi.dev.log or setupapi.log)", l->name, in->lines);
		return;
	}
	fp = fmemopen(l->text, l->len, "rb");
	if (fp) {
		l->doc = wf_logdoc_load_stream(fp, l->name, e);
		fclose(fp);
	}
}

static void logs_work(struct wf_job *j)
{
	struct wf_wiz *w = j->w;
	struct wf_logdiag *d = wf_logdiag_new(&j->f);
	struct wf_strbuf bad = WF_STRBUF_INIT;
	for (size_t i = 0; i < w->n_logs; i++) {
		struct wf_wiz_log *l = &w->logs[i];
		struct wf_error e = { 0 };
		if (l->text)
			read_paste(d, l, &e);
		else
			read_file(d, l, &e);
		if (e.kind != WF_ERR_NONE) {
			snprintf(l->err, sizeof l->err, "%s", e.msg);
			wf_sb_addf(&bad, "%s%s", bad.len ? "\n" : "", e.msg);
		}
	}
	wf_logdiag_finish(d, &w->logsum);
	wf_logdiag_free(d);
	j->rc = bad.len ? -1 : 0;
	snprintf(j->err.msg, sizeof j->err.msg, "%s", bad.buf);
	wf_sb_release(&bad);
}

static void logs_done(struct wf_wiz *w, struct wf_job *j)
{
	for (size_t i = 0; i < w->n_logs; i++)
		w->logs[i].state = w->logs[i].doc ? 1 : -1;
	w->findings = j->f;
	w->diag.state = WF_WORK_DONE;
	w->diag.busy = 0;
	if (j->rc < 0)
		wf_app_error(w->app, "%s", j->err.msg);
}

/* The logs set: read them, show the diagnosis. */
static void start(struct wf_wiz *w)
{
	w->diag.state = WF_WORK_RUNNING;
	w->diag.busy = 1;
	memset(&w->logsum, 0, sizeof w->logsum);
	if (wf_app_top(w->app) != &wf_scr_diagnosis)
		wf_app_push(w->app, &wf_scr_diagnosis, NULL);
	wf_job_submit(w, wf_job_new(w, "Reading the logs", logs_work, logs_done));
}

/* Forget the logs and the diagnosis shown; 0 when that may be done. */
static int reset(struct wf_wiz *w)
{
	if (w->diag.busy)
		return -1;	/* the worker reads w->logs */
	wf_wiz_forget_logs(w);
	wf_wiz_forget_diagnosis(w);
	return 0;
}

int wf_wiz_log_files(struct wf_wiz *w, const char *const *files, size_t n)
{
	if (!n || reset(w) < 0)
		return -1;
	w->logs = wf_xcalloc(n, sizeof *w->logs);
	for (size_t i = 0; i < n; i++) {
		w->logs[i].name = wf_xstrdup(files[i]);
		w->logs[i].path = wf_xstrdup(files[i]);
	}
	w->n_logs = n;
	start(w);
	return 0;
}

int wf_wiz_log_paste(struct wf_wiz *w, const char *text, size_t len)
{
	if (!len || reset(w) < 0)
		return -1;
	w->logs = wf_xcalloc(1, sizeof *w->logs);
	w->logs[0].name = wf_xstrdup(WF_WIZ_PASTE_NAME);
	w->logs[0].text = wf_xmalloc(len);
	memcpy(w->logs[0].text, text, len);
	w->logs[0].len = len;
	w->n_logs = 1;
	start(w);
	return 0;
}
