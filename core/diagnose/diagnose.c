#include "diagnose.h"
#include "hive.h"
#include "logdiag.h"
#include "rules.h"
#include "strbuf.h"
#include "targets.h"
#include "text.h"
#include "winpath.h"
#include "winver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- notes ------------------------------------------------------------------ */

void wf_diag_note(struct wf_diag_notes *n, const char *fmt, ...)
{
	if (!n)
		return;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	wf_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	n->v = wf_xrealloc(n->v, (n->n + 1) * sizeof *n->v);
	n->v[n->n++] = wf_sb_detach(&sb);
}

void wf_diag_notes_free(struct wf_diag_notes *n)
{
	for (size_t i = 0; n && i < n->n; i++)
		free(n->v[i]);
	if (n) {
		free(n->v);
		n->v = NULL;
		n->n = 0;
	}
}

/* --- the rule context --------------------------------------------------------- */

int wf_kind_is_virtio(const struct wf_ctrl_kind *k)
{
	return k && k->pci[0] && wf_startswithi(k->pci[0], "1AF4:");
}

char *wf_rctx_ccs_path(struct wf_rctx *c, const char *rel)
{
	return wf_xasprintf("%s\\%s", c->ccs_name, rel);
}

int wf_rctx_module_exists(struct wf_rctx *c, const char *module)
{
	if (!c->files || !module || strpbrk(module, "/\\"))
		return -1;
	static const char *const dirs[] = { "System32/drivers", "System32" };
	for (size_t i = 0; i < 2; i++) {
		char *p = wf_xasprintf("%s/%s/%s", c->in->systemroot, dirs[i], module);
		uint64_t sz;
		int r = c->in->probe(c->in->ud, p, &sz);
		free(p);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Replace {1} {2} {3} in a title template. */
static char *expand(const char *tpl, const char *a[3])
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (const char *p = tpl; *p; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '3' && p[2] == '}') {
			const char *v = a[p[1] - '1'];
			wf_sb_adds(&sb, v ? v : "?");
			p += 2;
		} else {
			wf_sb_addc(&sb, *p);
		}
	}
	return wf_sb_detach(&sb);
}

struct wf_finding *wf_rule_emit(struct wf_rctx *c, const char *id, int sev,
				const char *device, const char *a1,
				const char *a2, const char *a3)
{
	const struct wf_rule *r = wf_rule_find(id);
	enum wf_severity s = sev >= 0 ? (enum wf_severity)sev :
			     r ? r->severity : WF_SEV_ERROR;
	struct wf_finding *f = wf_findings_add(c->out, id, s, device);
	const char *args[3] = { a1, a2, a3 };
	free(f->title);
	f->title = expand(r ? r->title : id, args);
	size_t idx = c->out->n - 1;
	if (idx >= c->n_kinds_alloc) {
		size_t n = c->n_kinds_alloc ? c->n_kinds_alloc * 2 : 16;
		while (n <= idx)
			n *= 2;
		c->kinds = wf_xrealloc(c->kinds, n * sizeof *c->kinds);
		memset(c->kinds + c->n_kinds_alloc, 0,
		       (n - c->n_kinds_alloc) * sizeof *c->kinds);
		c->n_kinds_alloc = n;
	}
	c->kinds[idx] = 0;
	return f;
}

void wf_rule_about(struct wf_rctx *c, const struct wf_ctrl_kind *k)
{
	if (!k || !c->out->n)
		return;
	size_t ki = (size_t)(k - wf_ctrl_kinds);
	if (ki < 32)
		c->kinds[c->out->n - 1] |= 1u << ki;
}

void wf_rule_hive_evidence(struct wf_rctx *c, struct wf_finding *f,
			   const char *key, const char *fmt, ...)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	wf_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	wf_finding_add_evidence(f, c->src, key, 0, 0, sb.buf);
	wf_sb_release(&sb);
}

/* --- boot requirements per storage target -------------------------------------- */

/* An update the guest has: a Component Based Servicing package of that
 * KB in SOFTWARE, or, for a driver update, the driver's service in SYSTEM
 * (the update creates it). */
static int has_hotfix(struct wf_rctx *c, const struct wf_ctrl_driver *d)
{
	struct wf_svc *s = wf_rctx_svc(c, d->service);
	if (s && s->node)
		return 1;
	struct wf_hive *sw = c->in->software;
	wf_node pk = sw ? wf_hive_lookup(sw, "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages") : 0;
	size_t n;
	wf_node *kids = wf_hive_children(sw, pk, &n);
	int found = 0;
	for (size_t i = 0; i < n && i < 100000 && !found; i++) {
		char *name = wf_hive_node_name(sw, kids[i]);
		found = name && wf_strcasestr(name, d->hotfix) != NULL;
		free(name);
	}
	free(kids);
	return found;
}

int wf_rctx_driver_applies(struct wf_rctx *c, const struct wf_ctrl_driver *d)
{
	if (wf_ctrl_driver_applies(d, c->winver, c->ver ? c->ver->build : 0))
		return 1;
	return d->hotfix && c->winver == d->hotfix_ver && has_hotfix(c, d);
}

int wf_rctx_cdd_lookup(struct wf_rctx *c, char ids[][64], size_t n, int pci,
		       char *key, size_t kn, char *svc, size_t sn)
{
	wf_node cdd = wf_hive_child(c->sys, c->control, "CriticalDeviceDatabase");
	for (size_t i = 0; cdd && i < n; i++) {
		char name[80];
		snprintf(name, sizeof name, "%s%s", pci ? "pci#" : "", ids[i]);
		wf_node k = wf_hive_child(c->sys, cdd, name);
		if (!k)
			continue;
		char *real = wf_hive_node_name(c->sys, k);
		char *s = wf_hive_get_string(c->sys, k, "Service");
		snprintf(key, kn, "%s", real ? real : name);
		snprintf(svc, sn, "%s", s ? s : "");
		free(real);
		free(s);
		return 1;
	}
	return 0;
}

/* Does seen device hwid `seen` stand for the device presented (same
 * vendor and device id)? */
static int same_device(const char *presented, const char *seen)
{
	unsigned v1, d1, v2, d2;
	return presented && wf_pci_parse(seen, &v1, &d1) == 0 &&
	       wf_pci_parse(presented, &v2, &d2) == 0 && v1 == v2 && d1 == d2;
}

/* The service the guest bound to the device the VM presents, when it has
 * installed it (Enum\PCI) and the service exists. */
static const char *bound_service(struct wf_rctx *c, const char *presented,
				 const struct wf_controllers *ctrl,
				 const char **hwid)
{
	for (size_t i = 0; ctrl && i < ctrl->n_seen; i++) {
		const struct wf_seen_device *d = &ctrl->seen[i];
		if (!d->service || !same_device(presented, d->hwid))
			continue;
		struct wf_svc *s = wf_rctx_svc(c, d->service);
		if (s && s->node) {
			*hwid = d->hwid;
			return s->name;
		}
	}
	return NULL;
}

/* XP-7, a device not installed yet: the CDD entry PnP will use for it. */
static void cdd_choice(struct wf_rctx *c, struct wf_bootreq *b)
{
	if (!b->presented || (c->winver ? c->winver >= WF_WINVER(6, 2) : !c->has_cdd))
		return;
	char ids[WF_PCI_MAX_IDS][64];
	size_t n = wf_pci_ids(b->presented, b->kind->pci_class, ids);
	if (!wf_rctx_cdd_lookup(c, ids, n, 1, b->cdd_key, sizeof b->cdd_key,
				b->cdd_svc, sizeof b->cdd_svc))
		return;
	struct wf_svc *s = wf_rctx_svc(c, b->cdd_svc);
	b->cdd_ok = s && s->node;
}

/* The services target t needs at boot: the driver the guest bound to the
 * presented device; else (XP-7) the one its CDD entry names; else the
 * first catalogue driver that applies to this Windows and binds the
 * presented id (msahci on Vista/7, storahci on 8+, intelide for PIIX),
 * plus atapi for IDE channels. */
static void prepare_boot(struct wf_rctx *c, const struct wf_target *t,
			 const struct wf_controllers *ctrl)
{
	const struct wf_ctrl_kind *k = t->kind;
	struct wf_bootreq *b = &c->boot[c->n_boot++];
	memset(b, 0, sizeof *b);
	b->t = t;
	b->kind = k;
	b->presented = wf_target_presented(c->targets, t);
	struct wf_svc *first = NULL, *chan = NULL;
	for (int i = 0; i < WF_CTRL_MAX_DRV && k->drivers[i].service; i++) {
		const struct wf_ctrl_driver *d = &k->drivers[i];
		if (!wf_rctx_driver_applies(c, d))
			continue;
		struct wf_svc *s = wf_rctx_svc(c, d->service);
		if (strcmp(d->role, "channel") == 0) {
			chan = chan ? chan : s;
			continue;
		}
		if (b->presented && !wf_ctrl_driver_binds(d, k, b->presented, k->pci_class))
			continue;
		b->supported = 1;
		if (!wf_ctrl_driver_applies(d, c->winver, c->ver ? c->ver->build : 0))
			b->hotfix = d->hotfix;
		first = first ? first : s;
	}
	const char *hwid = NULL;
	const char *bound = bound_service(c, b->presented, ctrl, &hwid);
	struct wf_svc *chosen = bound ? wf_rctx_svc(c, bound) : first;
	b->bound_hwid = hwid;
	b->installed = bound != NULL;
	if (!bound)
		cdd_choice(c, b);
	if (b->cdd_ok)
		chosen = wf_rctx_svc(c, b->cdd_svc);
	if (bound || b->cdd_ok)
		b->supported = 1;
	if (chosen)
		b->svc[b->n_svc++] = chosen;
	if (chan && b->supported && chosen != chan)
		b->svc[b->n_svc++] = chan;
	for (size_t i = 0; i < b->n_svc; i++)
		wf_rctx_svc_file(c, b->svc[i]);
}

/* --- merging log findings into hive findings ------------------------------------- */

/* Log findings that are symptoms of a driver that cannot be installed. */
static const char *const log_symptoms[] = {
	WF_FID(NULL_DRIVER_INSTALLED), WF_FID(NO_COMPATIBLE_DRIVER), WF_FID(DRIVER_INSTALL_INTERRUPTED),
	WF_FID(DRIVER_STORE_IMPORT_FAILED), WF_FID(DEVICE_INSTALL_FAILED), WF_FID(DEVICE_PROBLEM_CODE), NULL,
};

/* Hive findings that explain such symptoms, best explanation first. */
static const char *const root_causes[] = {
	WF_FID(DRIVER_PACKAGE_VERSION_MISSING), WF_FID(DDB_ENTRY_MISSING), WF_FID(CDD_MISSING),
	WF_FID(CONTROLLER_MISMATCH), WF_FID(BOOT_DRIVER_MISSING), WF_FID(BOOT_DRIVER_FILE_MISSING),
	WF_FID(DRIVER_IMPORTS_MISSING), WF_FID(DRIVER_WRONG_OS), WF_FID(DRIVER_WRONG_ARCH),
	WF_FID(BOOT_DRIVER_DISABLED), WF_FID(BOOT_DRIVER_START_OVERRIDE), NULL,
};

static int in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (wf_streqi(*l, s))
			return 1;
	return 0;
}

/* Does hive finding `mask` (kinds it is about) explain a symptom on a
 * device of kind k?  The same kind, or the same driver family: virtio-blk
 * and virtio-scsi come from one virtio-win package set written by one
 * converter, and seed 001 shows a NULL-driver install of the virtio-scsi
 * device (1AF4:1004) cured by the Version value of the block package. */
static int explains(uint32_t mask, const struct wf_ctrl_kind *k)
{
	if (!k)
		return 0;
	size_t ki = (size_t)(k - wf_ctrl_kinds);
	if (ki < 32 && (mask & (1u << ki)))
		return 1;
	for (size_t i = 0; i < wf_ctrl_n_kinds && i < 32; i++)
		if ((mask & (1u << i)) && wf_kind_is_virtio(k) &&
		    wf_kind_is_virtio(&wf_ctrl_kinds[i]) &&
		    wf_ctrl_kinds[i].cls == k->cls)
			return 1;
	return 0;
}

static struct wf_finding *root_for(struct wf_rctx *c, const struct wf_ctrl_kind *k)
{
	for (const char *const *id = root_causes; *id; id++)
		for (size_t i = 0; i < c->out->n; i++)
			if (wf_streqi(c->out->v[i].id, *id) && explains(c->kinds[i], k))
				return &c->out->v[i];
	return NULL;
}

static void merge_into(struct wf_finding *h, struct wf_finding *l)
{
	static const char marker[] = "The guest's SetupAPI log shows the consequence";
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_adds(&sb, h->explanation ? h->explanation : "");
	if (!strstr(sb.buf, marker))
		wf_sb_addf(&sb, "%s%s on %s: %s", sb.len ? "\n" : "", marker,
			   l->device, l->id);
	else
		wf_sb_addf(&sb, ", %s", l->id);
	free(h->explanation);
	h->explanation = wf_sb_detach(&sb);
	for (size_t i = 0; i < l->n_evidence; i++) {
		const struct wf_evidence *ev = &l->evidence[i];
		int dup = 0;
		for (size_t k = 0; k < h->n_evidence && !dup; k++)
			dup = h->evidence[k].first == ev->first &&
			      h->evidence[k].first && wf_streqi(h->evidence[k].source, ev->source);
		if (!dup)
			wf_finding_add_evidence(h, ev->source, ev->where, ev->first,
						ev->last, ev->text);
	}
	for (size_t i = 0; i < l->n_fixes; i++)
		wf_finding_add_fix(h, l->fixes[i]);
}

/* Append `from` to `to`, moving ownership of every finding. */
static void move_findings(struct wf_findings *to, struct wf_findings *from)
{
	for (size_t i = 0; i < from->n; i++) {
		if (!from->v[i].id)
			continue;	/* merged away */
		struct wf_finding *f = wf_findings_add(to, "x", WF_SEV_INFO, NULL);
		free(f->id);
		free(f->device);
		*f = from->v[i];
	}
	free(from->v);
	memset(from, 0, sizeof *from);
}

static int presented(const struct wf_targets *t, const struct wf_ctrl_kind *k)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->v[i].kind == k)
			return 1;
	return 0;
}

/* A past failure on a controller the VM will not present cannot stop
 * this boot: a warning that says why (it matters again if the VM is
 * switched to that controller). */
static void demote_unpresented(struct wf_rctx *c, struct wf_finding *l)
{
	const struct wf_ctrl_kind *k = wf_ctrl_kind_by_pci(l->device);
	if (!k || !c->targets || l->severity != WF_SEV_ERROR || presented(c->targets, k))
		return;
	char tg[256];
	wf_targets_describe(c->targets, tg, sizeof tg);
	l->severity = WF_SEV_WARNING;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_addf(&sb, "%s%sThe VM as configured (%s) does not present this controller (%s), so "
		   "this past failure cannot stop its boot; it matters if the VM is switched to it.",
		   l->explanation ? l->explanation : "", l->explanation ? "\n" : "", tg, k->label);
	free(l->explanation);
	l->explanation = wf_sb_detach(&sb);
}

static size_t rank(const char *id)
{
	size_t i = 0;
	while (log_symptoms[i] && !wf_streqi(log_symptoms[i], id))
		i++;
	return i;
}

/* Several symptoms of one device (NULL driver, no compatible driver, an
 * interrupted install...) are one story: the most telling one (first in
 * log_symptoms) keeps them all, with the worst severity. */
static void group_by_device(struct wf_findings *lf)
{
	for (size_t i = 0; i < lf->n; i++) {
		struct wf_finding *l = &lf->v[i];
		if (!l->id || !l->device || !in_list(log_symptoms, l->id))
			continue;
		struct wf_finding *g = NULL;
		for (size_t k = 0; k < i && !g; k++)
			if (lf->v[k].id && lf->v[k].device && in_list(log_symptoms, lf->v[k].id) &&
			    wf_streqi(lf->v[k].device, l->device))
				g = &lf->v[k];
		if (!g)
			continue;
		if (rank(l->id) < rank(g->id)) {
			struct wf_finding t = *g;
			*g = *l;
			*l = t;
		}
		struct wf_strbuf sb = WF_STRBUF_INIT;
		wf_sb_addf(&sb, "%s\nThe same log also shows %s for this device (%s).",
			   g->explanation ? g->explanation : "", l->id, l->title ? l->title : l->id);
		free(g->explanation);
		g->explanation = wf_sb_detach(&sb);
		if (l->severity > g->severity)
			g->severity = l->severity;
		for (size_t e = 0; e < l->n_evidence; e++)
			wf_finding_add_evidence(g, l->evidence[e].source, l->evidence[e].where,
						l->evidence[e].first, l->evidence[e].last, l->evidence[e].text);
		for (size_t f = 0; f < l->n_fixes; f++)
			wf_finding_add_fix(g, l->fixes[f]);
		wf_finding_release(l);
	}
}

static int read_logs(struct wf_rctx *c, struct wf_error *e)
{
	const struct wf_diag_ctx *in = c->in;
	if (!in->n_logs)
		return 0;
	struct wf_findings lf = { 0 };
	struct wf_logdiag *d = wf_logdiag_new(&lf);
	int r = 0;
	for (size_t i = 0; i < in->n_logs && r == 0; i++)
		r = wf_logdiag_add_file(d, in->logs[i].path, in->logs[i].name, e);
	struct wf_logsummary sum;
	wf_logdiag_finish(d, &sum);
	wf_logdiag_free(d);
	size_t merged = 0;
	for (size_t i = 0; i < lf.n; i++) {
		struct wf_finding *l = &lf.v[i];
		if (!in_list(log_symptoms, l->id) || !l->device)
			continue;
		struct wf_finding *h = root_for(c, wf_ctrl_kind_by_pci(l->device));
		if (!h)
			continue;
		merge_into(h, l);
		wf_finding_release(l);
		merged++;
	}
	for (size_t i = 0; i < lf.n; i++)
		if (lf.v[i].id && lf.v[i].device && in_list(log_symptoms, lf.v[i].id))
			demote_unpresented(c, &lf.v[i]);
	group_by_device(&lf);
	wf_diag_note(in->notes, "%u SetupAPI log(s) read: %lu sections, %lu failed%s",
		     sum.files, sum.sections, sum.failed,
		     merged ? "; log findings merged into the registry findings that explain them" : "");
	move_findings(c->out, &lf);
	return r;
}

/* --- the diagnosis ------------------------------------------------------------------ */

static int setup_version(struct wf_rctx *c, struct wf_winver *own,
			 struct wf_error *e)
{
	const struct wf_diag_ctx *in = c->in;
	if (in->ver) {
		c->ver = in->ver;
		return 0;
	}
	char how[400];
	if (in->software) {
		if (wf_winver_read_software(in->software, own, e) < 0 ||
		    wf_winver_read_system(in->system, own, e) < 0)
			return -1;
		wf_winver_finish(own);
	} else {
		if (wf_winver_infer_system(in->system, own, how, sizeof how, e) < 0)
			return -1;
		wf_diag_note(in->notes, "%s", how);
	}
	c->ver = own;
	return 0;
}

static void setup_targets(struct wf_rctx *c, struct wf_targets *own)
{
	const struct wf_diag_ctx *in = c->in;
	if (in->targets) {
		c->targets = in->targets;
	} else if (wf_targets_from_hive(c->sys, c->ccs_name, c->winver, own) == 0) {
		wf_targets_default(own);
		snprintf(own->note, sizeof own->note,
			 "no --target given and no boot-start storage controller seen in the hive: assuming the VM presents virtio-blk + virtio-net");
		c->targets = own;
	} else {
		c->targets = own;
	}
	wf_diag_note(in->notes, "%s", c->targets->note[0] ? c->targets->note :
		     "targets given by the caller");
}

static void rctx_free(struct wf_rctx *c)
{
	wf_rctx_svcs_free(c);
	free(c->devsvcs);
	free(c->kinds);
}

int wf_diagnose_hives(const struct wf_diag_ctx *in, struct wf_findings *out,
		      struct wf_error *e)
{
	struct wf_rctx c;
	memset(&c, 0, sizeof c);
	c.in = in;
	c.sys = in->system;
	c.src = in->system_name ? in->system_name : wf_hive_path(in->system);
	struct wf_winver own_ver;
	memset(&own_ver, 0, sizeof own_ver);
	struct wf_targets own_t;
	struct wf_findings mine = { 0 };
	c.out = &mine;
	int r = -1;
	if (wf_hive_current_control_set(c.sys, c.ccs_name, sizeof c.ccs_name, e) < 0 ||
	    setup_version(&c, &own_ver, e) < 0)
		goto done;
	c.winver = wf_winver_code(c.ver);
	c.arch = c.ver->arch;
	unsigned cur = wf_hive_select(c.sys, "Current"), def = wf_hive_select(c.sys, "Default");
	if (cur && def && cur != def)
		wf_diag_note(in->notes, "Select\\Current = %u but Windows boots Select\\Default = %u: "
			     "diagnosing %s, the set the loader will use", cur, def, c.ccs_name);
	c.ccs = wf_hive_lookup(c.sys, c.ccs_name);
	c.services = wf_hive_child(c.sys, c.ccs, "Services");
	c.control = wf_hive_child(c.sys, c.ccs, "Control");
	c.has_ddb = wf_hive_lookup(c.sys, "DriverDatabase") != 0;
	c.has_cdd = wf_hive_child(c.sys, c.control, "CriticalDeviceDatabase") != 0;
	c.files = in->probe && in->systemroot;
	setup_targets(&c, &own_t);
	if (!c.files)
		wf_diag_note(in->notes, "no guest filesystem: driver file checks skipped");
	struct wf_controllers ctrl;
	if (wf_ctrl_evaluate(c.sys, c.ccs_name, c.winver, NULL, NULL, NULL, &ctrl, e) < 0)
		goto done;
	for (size_t i = 0; i < c.targets->n; i++)
		if (c.targets->v[i].kind->cls == WF_CTRL_STORAGE)
			prepare_boot(&c, &c.targets->v[i], &ctrl);
	wf_controllers_free(&ctrl);
	for (size_t i = 0; i < wf_n_rules; i++)
		if (wf_rules[i].fn)
			wf_rules[i].fn(&c, &wf_rules[i]);
	r = read_logs(&c, e);
	move_findings(out, &mine);
	wf_findings_sort(out);
done:
	wf_findings_free(&mine);
	rctx_free(&c);
	if (!in->ver)
		wf_winver_free(&own_ver);
	return r;
}

int wf_diagnose_hive_files(const char *system_path, const char *software_path,
			   const struct wf_targets *t,
			   const struct wf_diag_log *logs, size_t n_logs,
			   struct wf_diag_notes *notes, struct wf_findings *out,
			   struct wf_error *e)
{
	struct wf_hive *sys = wf_hive_open(system_path, "SYSTEM", 0, e);
	if (!sys)
		return -1;
	struct wf_hive *sw = NULL;
	if (software_path && !(sw = wf_hive_open(software_path, "SOFTWARE", 0, e))) {
		wf_hive_close(sys);
		return -1;
	}
	struct wf_diag_ctx c = {
		.system = sys, .software = sw, .targets = t,
		.logs = logs, .n_logs = n_logs, .notes = notes,
	};
	int r = wf_diagnose_hives(&c, out, e);
	wf_hive_close(sw);
	wf_hive_close(sys);
	return r;
}
