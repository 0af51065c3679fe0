/* wizard_dom.c - the wizard on libvirt domains and Proxmox VE VMs (see
 * wizard.h): the host's domains listed for step 1, a domain opened as -d
 * opens it, and the Result screen's "finish the migration". */
#include "wizard.h"
#include "wizard_priv.h"
#include "app.h"
#include "cli_src.h"
#include "inspect.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the host's domains ------------------------------------------------------
 * One listing runs on a detached thread.  The wizard and the thread share
 * this object and each drops its reference: a libvirtd that never answers
 * keeps only its thread waiting, never the UI nor the quit. */
struct wf_domlist {
	pthread_mutex_t mu;
	int refs;
	int state;		/* 0 listing, 1 done, -1 failed */
	int abandoned;		/* the wizard is gone: no wake-up */
	unsigned serial;
	struct wf_app *app;
	char *uri;
	struct wf_domain_brief *v;
	size_t n;
};

static void domlist_unref(struct wf_domlist *l)
{
	pthread_mutex_lock(&l->mu);
	int last = --l->refs == 0;
	pthread_mutex_unlock(&l->mu);
	if (!last)
		return;
	wf_domain_list_free(l->v, l->n);
	free(l->uri);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

static void *list_main(void *arg)
{
	struct wf_domlist *l = arg;
	struct wf_domain_brief *v = NULL;
	size_t n = 0;
	struct wf_error e = { 0 };
	int r = wf_domain_list(l->uri, &v, &n, &e);
	pthread_mutex_lock(&l->mu);
	l->v = v;
	l->n = n;
	l->state = r < 0 ? -1 : 1;
	if (!l->abandoned)
		wf_app_wake(l->app);
	pthread_mutex_unlock(&l->mu);
	domlist_unref(l);
	return NULL;
}

void wf_wiz_domains_free(struct wf_wiz *w)
{
	struct wf_domlist *l = w->domlist;
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->abandoned = 1;
	pthread_mutex_unlock(&l->mu);
	w->domlist = NULL;
	domlist_unref(l);
}

void wf_wiz_domains_list(struct wf_wiz *w)
{
	static unsigned serial;
	unsigned prev = w->domlist ? w->domlist->serial : serial;
	wf_wiz_domains_free(w);
	struct wf_domlist *l = wf_xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->mu, NULL);
	l->refs = 2;
	l->serial = serial = prev + 1;
	l->app = w->app;
	l->uri = w->uri ? wf_xstrdup(w->uri) : NULL;
	pthread_attr_t at;
	pthread_t th;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, list_main, l) != 0) {
		l->refs = 1;
		l->state = -1;
	}
	pthread_attr_destroy(&at);
	w->domlist = l;
}

int wf_wiz_domains(struct wf_wiz *w, const struct wf_domain_brief **v,
		   size_t *n, unsigned *serial)
{
	struct wf_domlist *l = w->domlist;
	*v = NULL;
	*n = 0;
	*serial = l ? l->serial : 0;
	if (!l)
		return -1;
	pthread_mutex_lock(&l->mu);
	int st = l->state;
	pthread_mutex_unlock(&l->mu);
	if (st == 1) {	/* written once by the thread, before state */
		*v = l->v;
		*n = l->n;
	}
	return st;
}

/* --- a domain as the VM ---------------------------------------------------------- */

void wf_wiz_source_forget(struct wf_wiz *w)
{
	if (w->have_dom)
		wf_domain_free(&w->dom);
	w->have_dom = 0;
	w->sw = WF_SW_NONE;
	free(w->sw_saved);
	w->sw_saved = NULL;
}

int wf_wiz_open_domain(struct wf_wiz *w, const char *name, struct wf_error *e)
{
	struct wf_domain d;
	if (wf_domain_open(w->uri, name, &d, e) < 0)
		return -1;
	struct wf_targets t;
	const char **paths = wf_xcalloc(d.n_disks + 1, sizeof *paths);
	const char **fmts = wf_xcalloc(d.n_disks + 1, sizeof *fmts);
	int r = 0;
	for (size_t i = 0; i < d.n_disks && r == 0; i++) {
		paths[i] = d.disks[i].path;
		fmts[i] = *d.disks[i].format ? d.disks[i].format : NULL;
		if (fmts[i] && wf_cli_src_format(fmts[i]) < 0)
			r = wf_error_set(e, WF_ERR_INPUT, "domain %s: disk %s has format %s, which this tool cannot open",
					 d.name, d.disks[i].dev, fmts[i]);
	}
	if (r == 0)
		r = wf_targets_from_domxml_mem(d.xml, strlen(d.xml), d.name, &t, e);
	if (r == 0)
		r = wf_wiz_open_fmt(w, paths, fmts, d.n_disks, e);
	free(paths);
	free(fmts);
	if (r < 0) {
		wf_domain_free(&d);
		return -1;
	}
	w->dom = d;
	w->have_dom = 1;
	w->targets = t;
	w->targets_gen++;
	return 0;
}

int wf_wiz_refuse_write(struct wf_wiz *w, struct wf_error *e)
{
	return w->have_dom ? wf_domain_refuse_active(&w->dom, e) : 0;
}

/* --- finish the migration ---------------------------------------------------------- */

static enum wf_sw_offer offer_pve(struct wf_wiz *w, const char *storage, const char *nic,
				  char *line, size_t n, struct wf_strbuf *qm)
{
	const char *base = strrchr(w->pve_path, '/');
	char vmid[64];
	snprintf(vmid, sizeof vmid, "%s", base ? base + 1 : w->pve_path);
	vmid[strcspn(vmid, ".")] = '\0';
	struct wf_strbuf sb = WF_STRBUF_INIT;
	struct wf_error e = { 0 };
	enum wf_sw_offer o = WF_SWO_OFFER;
	if (wf_pve_switch_cmds(&w->pve, vmid, storage, nic, &sb, &e) < 0) {
		snprintf(line, n, "%s", e.msg);
		o = WF_SWO_FAILED;
	} else if (!sb.len) {
		snprintf(line, n, "Proxmox VE VM %s already presents %s.", vmid, storage ? storage : "them");
		o = WF_SWO_SAME;
	} else
		snprintf(line, n, "Proxmox VE VM %s: the qm set commands that make it present %s%s%s",
			 vmid, storage ? storage : "", nic ? " + " : "", nic ? nic : "");
	if (qm && o == WF_SWO_OFFER)
		wf_sb_adds(qm, sb.buf);
	wf_sb_release(&sb);
	return o;
}

static enum wf_sw_offer offer_dom(struct wf_wiz *w, const char *storage, const char *nic,
				  char *line, size_t n, struct wf_switchdom *out)
{
	struct wf_windows *win = wf_wiz_windows(w);
	int trans = win && wf_switchdom_needs_transitional(w->dom.xml, &win->ver);
	struct wf_switchdom sw;
	struct wf_error e = { 0 };
	if (wf_switchdom_plan(w->dom.xml, w->dom.name, storage, nic, trans, &sw, &e) < 0) {
		snprintf(line, n, "%s", e.msg);
		return WF_SWO_FAILED;
	}
	enum wf_sw_offer o = sw.n_changes ? WF_SWO_OFFER : WF_SWO_SAME;
	if (o == WF_SWO_SAME)
		snprintf(line, n, "Domain %s already presents %s.", w->dom.name, storage ? storage : "them");
	else
		snprintf(line, n, "Domain %s: present %s%s%s%s (%zu device%s changed)", w->dom.name,
			 storage ? storage : "", nic ? " + " : "", nic ? nic : "",
			 trans ? ", virtio-transitional" : "", sw.n_changes, sw.n_changes == 1 ? "" : "s");
	if (out && o == WF_SWO_OFFER)
		*out = sw;
	else
		wf_switchdom_free(&sw);
	return o;
}

enum wf_sw_offer wf_wiz_switch_offer(struct wf_wiz *w, char *line, size_t n,
				     struct wf_switchdom *sw, struct wf_strbuf *qm)
{
	if (sw)
		memset(sw, 0, sizeof *sw);
	line[0] = '\0';
	if ((!w->have_dom && !w->have_pve) || !w->have_applied || w->apply.state != WF_WORK_DONE ||
	    w->undo.state == WF_WORK_DONE || !wf_wiz_windows(w))
		return WF_SWO_NONE;
	size_t errs = wf_findings_count(&w->findings, WF_SEV_ERROR);
	char tg[200];
	wf_targets_describe(&w->targets, tg, sizeof tg);
	if (errs) {
		snprintf(line, n, "Not offered: %zu error%s remain%s for %s; the guest would not boot on them.",
			 errs, errs == 1 ? "" : "s", errs == 1 ? "s" : "", tg);
		return WF_SWO_BLOCKED;
	}
	const char *storage, *nic;
	wf_switchdom_wanted(&w->targets, &storage, &nic);
	if (w->have_pve)
		return offer_pve(w, storage, nic, line, n, qm);
	return offer_dom(w, storage, nic, line, n, sw);
}

struct swtask {
	struct wf_wiz *w;
	char *uri, *dir;
	struct wf_switchdom sw;
	int rc;
	struct wf_error err;
	struct wf_domain now;		/* the definition after the switch */
	int have_now;
};

static void switch_work(void *arg)
{
	struct swtask *t = arg;
	struct wf_domain d;
	t->rc = wf_domain_open(t->uri, t->sw.name, &d, &t->err);
	if (t->rc < 0)
		return;
	if (d.active)
		t->rc = wf_domain_refuse_active(&d, &t->err);
	else if (strcmp(d.xml, t->sw.old_xml) != 0)
		t->rc = wf_error_set(&t->err, WF_ERR_INPUT,
				     "domain %s: its definition changed since the diff was made; open it again to see the new one",
				     d.name);
	wf_domain_free(&d);
	if (t->rc == 0)
		t->rc = wf_switchdom_apply(t->uri, &t->sw, t->dir, &t->err);
	if (t->rc == 0 && wf_domain_open(t->uri, t->sw.name, &t->now, &t->err) == 0)
		t->have_now = 1;
}

static void switch_done(struct wf_app *a, void *arg)
{
	struct swtask *t = arg;
	struct wf_wiz *w = wf_app_userdata(a);
	wf_app_pending_write(a, NULL);
	int same = w->have_dom && strcmp(w->dom.name, t->sw.name) == 0;
	if (same) {
		w->sw = t->rc < 0 ? WF_SW_FAILED : WF_SW_DONE;
		w->sw_err = t->err;
		if (t->rc == 0) {
			free(w->sw_saved);
			w->sw_saved = wf_xasprintf("%s/domain-%s.xml", t->dir, t->sw.name);
		}
		if (t->have_now) {
			wf_domain_free(&w->dom);
			w->dom = t->now;
			t->have_now = 0;
		}
	}
	if (t->have_now)
		wf_domain_free(&t->now);
	wf_wiz_domains_list(w);	/* what it presents changed */
	wf_switchdom_free(&t->sw);
	free(t->uri);
	free(t->dir);
	free(t);
}

static char *xstrdup_or_null(const char *s)
{
	return s && *s ? wf_xstrdup(s) : NULL;
}

void wf_wiz_switch_apply(struct wf_wiz *w, const struct wf_switchdom *sw)
{
	if (!w->have_dom || w->sw == WF_SW_RUNNING || !w->applied.host_backup)
		return;
	struct swtask *t = wf_xcalloc(1, sizeof *t);
	t->w = w;
	t->uri = xstrdup_or_null(w->dom.uri);
	t->dir = wf_xstrdup(w->applied.host_backup);
	t->sw.name = wf_xstrdup(sw->name);
	t->sw.old_xml = wf_xstrdup(sw->old_xml);
	t->sw.new_xml = wf_xstrdup(sw->new_xml);
	t->sw.diff = wf_xstrdup(sw->diff);
	t->sw.n_changes = sw->n_changes;
	t->sw.transitional = sw->transitional;
	w->sw = WF_SW_RUNNING;
	char what[300];
	snprintf(what, sizeof what, "Domain %s is being redefined", sw->name);
	wf_app_pending_write(w->app, what);
	if (wf_app_task(w->app, switch_work, switch_done, t) < 0) {
		t->rc = wf_error_set(&t->err, WF_ERR_INTERNAL, "cannot start a thread for the switch");
		switch_done(w->app, t);
	}
}
