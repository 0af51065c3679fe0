/*
 * rules_db.c - is the boot controller's hardware id bound to its driver in
 * the database Windows consults before it has installed the device?
 *
 *  - XP to 7: <CCS>\Control\CriticalDeviceDatabase\<hwid> {Service,
 *    ClassGUID}; hwid spelled "pci#ven_1af4&dev_1001..." ('\' -> '#').
 *    The PnP manager uses it to start critical (boot) devices it finds at
 *    boot before any installation (MergeIDE KB314082; virt-v2v writes it
 *    when SYSTEM has no DriverDatabase: ../shared/knowledge/
 *    virtio-injection-virt-v2v.md §2.4).
 *  - 8 and later: SYSTEM\DriverDatabase: DeviceIds\PCI\<id> holds a value
 *    "<x>.inf" -> DriverInfFiles\<x>.inf "Active" = package label ->
 *    DriverPackages\<label>\Descriptors\PCI\<id> "Configuration" ->
 *    DriverPackages\<label>\Configurations\<conf> "Service" (read in the
 *    real Windows 10 hives of ../shared/fixtures; v2v §2.5).  Kernel PnP on
 *    10/2016 also needs the package's "Version" value, else it finds "no
 *    compatible drivers" and installs the NULL driver (seed 001).
 */
#include "rules.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The PnP ids of the presented device, most specific first; with no
 * presented id (a VMBus kind), none. */
struct idpat {
	char v[WF_PCI_MAX_IDS][64];
	size_t n;
};

static void id_patterns(const struct wf_bootreq *b, struct idpat *p)
{
	p->n = b->presented ? wf_pci_ids(b->presented, b->kind->pci_class, p->v) : 0;
}

/* The index in p of DeviceIds key name `name`, or -1. */
static int id_match(const struct idpat *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (wf_streqi(name, p->v[i]))
			return (int)i;
	return -1;
}

/* The hardware id to name in a report: VEN&DEV, "pci#ven_8086&dev_7010". */
static void short_id(const struct idpat *p, char *out, size_t n)
{
	const char *best = p->n ? p->v[0] : "?";
	for (size_t i = 0; i < p->n; i++)
		if (!strstr(p->v[i] + 4, "&SUBSYS") && !strstr(p->v[i], "&REV") &&
		    wf_startswithi(p->v[i], "VEN_") && strstr(p->v[i], "&DEV_")) {
			best = p->v[i];
			break;
		}
	snprintf(out, n, "pci#%s", best);
	wf_lower(out);
}

static int applies_cdd(const struct wf_rctx *c)
{
	return c->winver ? c->winver < WF_WINVER(6, 2) : c->has_cdd;
}

static int applies_ddb(const struct wf_rctx *c)
{
	return c->has_ddb && (!c->winver || c->winver >= WF_WINVER(6, 2));
}

/* --- CriticalDeviceDatabase ------------------------------------------------------- */

static void cdd_emit(struct wf_rctx *c, const struct wf_bootreq *b,
		     const char *what, const char *svc, const char *seen,
		     const char *seen_svc, int ide)
{
	struct wf_finding *f = wf_rule_emit(c, WF_FID(CDD_MISSING),
					    b->t->boot ? WF_SEV_ERROR : WF_SEV_WARNING,
					    what, b->kind->label, svc, NULL);
	wf_rule_about(c, b->kind);
	wf_finding_set(&f->explanation,
		       "%s finds the drivers of boot devices it has never installed through "
		       "Control\\CriticalDeviceDatabase, trying the device's hardware ids, most specific first, "
		       "then its compatible ids (PCI\\CC_xxxx). %s%s%s, "
		       "so the %s controller gets no driver at boot: %s",
		       c->ver->release,
		       seen[0] ? "The first entry that matches, " : "No entry matches ",
		       seen[0] ? seen : what,
		       seen[0] ? ", names a service that is not installed" : " or its compatible ids",
		       b->kind->label, b->t->boot ? "Stop 0x7B." : "its disks stay invisible.");
	wf_finding_set(&f->next_check,
		       "reg query \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\CriticalDeviceDatabase\" | findstr /i \"%s\"",
		       what);
	char *key = wf_rctx_ccs_path(c, "Control\\CriticalDeviceDatabase");
	if (seen[0])
		wf_rule_hive_evidence(c, f, key, "%s: Service = %s (not installed)", seen,
				      seen_svc[0] ? seen_svc : "(none)");
	else
		wf_rule_hive_evidence(c, f, key, "no subkey for %s (device %s)", what,
				      b->presented ? b->presented : "?");
	free(key);
	/* MergeIDE is the XP/2003 cure; it refuses to run on Vista and later */
	if (ide && c->winver && c->winver < WF_WINVER(6, 0))
		wf_finding_add_fix(f, WF_FIXID(MERGEIDE));
	else
		wf_finding_add_fix_for(f, WF_FIXID(ADD_CDD), svc);
}

/* The IDE channel driver's PnP ids (atapi: primary/secondary_ide_channel). */
static void check_channels(struct wf_rctx *c, const struct wf_bootreq *b, int ide)
{
	for (size_t k = 1; k < b->n_svc; k++) {
		const struct wf_ctrl_driver *d = wf_ctrl_service(b->svc[k]->name, NULL);
		for (int i = 0; d && i < WF_CTRL_MAX_BIND && d->binds[i]; i++) {
			char ids[1][64], key[128], svc[64];
			snprintf(ids[0], sizeof ids[0], "%s", d->binds[i]);
			int found = wf_rctx_cdd_lookup(c, ids, 1, 0, key, sizeof key, svc, sizeof svc);
			struct wf_svc *s = found ? wf_rctx_svc(c, svc) : NULL;
			if (!s || !s->node)
				cdd_emit(c, b, d->binds[i], b->svc[k]->name, found ? key : "",
					 found ? svc : "", ide);
		}
	}
}

void wf_rule_cdd(struct wf_rctx *c, const struct wf_rule *r)
{
	(void)r;
	if (!applies_cdd(c))
		return;
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		if (!b->supported || !b->n_svc || !b->svc[0]->node || b->installed ||
		    !b->presented)
			continue;	/* boot-driver-missing says it; installed: Enum decides */
		int ide = strcmp(b->kind->id, "ide") == 0;
		if (!b->cdd_ok) {
			struct idpat p;
			id_patterns(b, &p);
			char what[80];
			short_id(&p, what, sizeof what);
			cdd_emit(c, b, what, b->svc[0]->name, b->cdd_key, b->cdd_svc, ide);
		}
		check_channels(c, b, ide);
	}
}

/* --- DriverDatabase ----------------------------------------------------------------- */

struct chain {
	char devid[128], inf[128], label[160], conf[128], service[64];
	char stop[768];		/* where the chain broke */
};

static char *ddb_string(struct wf_rctx *c, wf_node n, const char *v)
{
	return wf_hive_get_string(c->sys, n, v);
}

/* Follow one "<inf>" value of DeviceIds\PCI\<devid>. 1 complete. */
static int ddb_follow(struct wf_rctx *c, wf_node ddb, struct chain *ch)
{
	wf_node inf = wf_hive_lookup_from(c->sys, ddb, "DriverInfFiles");
	inf = wf_hive_child(c->sys, inf, ch->inf);
	if (!inf) {
		snprintf(ch->stop, sizeof ch->stop, "DriverInfFiles has no %s", ch->inf);
		return 0;
	}
	char *label = ddb_string(c, inf, "Active");
	if (!label)
		label = ddb_string(c, inf, NULL);
	if (!label) {
		snprintf(ch->stop, sizeof ch->stop, "DriverInfFiles\\%s names no package (no Active)", ch->inf);
		return 0;
	}
	snprintf(ch->label, sizeof ch->label, "%s", label);
	free(label);
	wf_node pkg = wf_hive_lookup_from(c->sys, ddb, "DriverPackages");
	pkg = wf_hive_child(c->sys, pkg, ch->label);
	if (!pkg) {
		snprintf(ch->stop, sizeof ch->stop, "DriverPackages has no %s", ch->label);
		return 0;
	}
	wf_node desc = wf_hive_lookup_from(c->sys, pkg, "Descriptors\\PCI");
	desc = wf_hive_child(c->sys, desc, ch->devid);
	char *conf = desc ? ddb_string(c, desc, "Configuration") : NULL;
	if (!conf) {
		snprintf(ch->stop, sizeof ch->stop,
			 "DriverPackages\\%s has no Descriptors\\PCI\\%s Configuration",
			 ch->label, ch->devid);
		return 0;
	}
	snprintf(ch->conf, sizeof ch->conf, "%s", conf);
	free(conf);
	wf_node cf = wf_hive_lookup_from(c->sys, pkg, "Configurations");
	cf = wf_hive_child(c->sys, cf, ch->conf);
	char *svc = cf ? ddb_string(c, cf, "Service") : NULL;
	if (!svc) {
		snprintf(ch->stop, sizeof ch->stop,
			 "DriverPackages\\%s\\Configurations\\%s has no Service",
			 ch->label, ch->conf);
		return 0;
	}
	snprintf(ch->service, sizeof ch->service, "%s", svc);
	free(svc);
	return 1;
}

/* Find a complete chain to `want`; *best gets it, or the furthest try. */
static int ddb_find(struct wf_rctx *c, wf_node ddb, const struct idpat *p,
		    const char *want, struct chain *best)
{
	wf_node ids = wf_hive_lookup_from(c->sys, ddb, "DeviceIds\\PCI");
	size_t nk;
	wf_node *kids = wf_hive_children(c->sys, ids, &nk);
	int done = 0;
	memset(best, 0, sizeof *best);
	snprintf(best->stop, sizeof best->stop, "DeviceIds\\PCI has no key for %s", p->v[0]);
	for (size_t i = 0; i < nk && !done; i++) {
		char *kn = wf_hive_node_name(c->sys, kids[i]);
		if (!kn || id_match(p, kn) < 0) {
			free(kn);
			continue;
		}
		size_t nv;
		char **vals = wf_hive_value_names(c->sys, kids[i], &nv);
		for (size_t v = 0; v < nv && !done; v++) {
			if (!wf_endswithi(vals[v], ".inf"))
				continue;
			struct chain ch;
			memset(&ch, 0, sizeof ch);
			snprintf(ch.devid, sizeof ch.devid, "%s", kn);
			snprintf(ch.inf, sizeof ch.inf, "%s", vals[v]);
			if (ddb_follow(c, ddb, &ch) && wf_streqi(ch.service, want)) {
				*best = ch;
				done = 1;
			} else if (!best->devid[0] || ch.service[0] || ch.label[0]) {
				if (ch.service[0])
					snprintf(ch.stop, sizeof ch.stop,
						 "%s leads to service %s, not %s",
						 ch.label, ch.service, want);
				*best = ch;
			}
		}
		wf_strv_free(vals, nv);
		free(kn);
	}
	free(kids);
	return done;
}

void wf_rule_ddb(struct wf_rctx *c, const struct wf_rule *r)
{
	if (!applies_ddb(c))
		return;
	wf_node ddb = wf_hive_lookup(c->sys, "DriverDatabase");
	for (size_t i = 0; i < c->n_boot; i++) {
		struct wf_bootreq *b = &c->boot[i];
		if (!b->supported || !b->n_svc || !b->svc[0]->node || b->installed ||
		    !b->presented)
			continue;	/* installed: its Enum key decides, not the database */
		struct idpat p;
		id_patterns(b, &p);
		char what[80];
		short_id(&p, what, sizeof what);
		struct chain ch;
		const char *want = b->svc[0]->name;
		if (ddb_find(c, ddb, &p, want, &ch)) {
			snprintf(b->ddb_pkg, sizeof b->ddb_pkg, "%s", ch.label);
			continue;
		}
		struct wf_finding *f = wf_rule_emit(c, r->id,
						    b->t->boot ? WF_SEV_ERROR : WF_SEV_WARNING,
						    want, b->kind->label, want, NULL);
		wf_rule_about(c, b->kind);
		wf_finding_set(&f->explanation,
			       "Windows 8 and later install a new boot device from SYSTEM\\DriverDatabase: "
			       "DeviceIds\\PCI\\<id> names an INF, DriverInfFiles gives its package, the package's "
			       "Descriptors give a configuration whose Service is the driver. For the %s controller "
			       "(%s) the chain does not reach %s: %s. Kernel PnP then has no driver for the boot "
			       "controller and installs the NULL driver: %s",
			       b->kind->label, what + 4, want, ch.stop,
			       b->t->boot ? "Stop 0x7B." : "its disks stay invisible.");
		wf_finding_set(&f->next_check,
			       "reg query HKLM\\SYSTEM\\DriverDatabase\\DeviceIds\\PCI /s /f \"%s\" /k",
			       what + 4);
		wf_finding_add_evidence(f, c->src, "DriverDatabase", 0, 0, ch.stop);
		wf_finding_add_fix_for(f, WF_FIXID(DDB_ENTRY), want);
	}
}

/* --- the package Version value ---------------------------------------------------------- */

static void version_emit(struct wf_rctx *c, const char *label, const char *svc,
			 const struct wf_ctrl_kind *k, int sev)
{
	if (wf_findings_find(c->out, WF_FID(DRIVER_PACKAGE_VERSION_MISSING), label))
		return;
	struct wf_finding *f = wf_rule_emit(c, WF_FID(DRIVER_PACKAGE_VERSION_MISSING), sev,
					    label, label, svc, NULL);
	wf_rule_about(c, k);
	wf_finding_set(&f->explanation,
		       "DriverDatabase\\DriverPackages\\%s binds the boot driver %s but has no Version value. "
		       "Windows-Kernel-Pnp (Windows 10 / Server 2016 and later) then finds \"no compatible drivers\" "
		       "(0xe0000228) for the device and installs the NULL driver; the next boot stops with 0x7B. "
		       "This is what old virt-v2v versions wrote (fixed upstream in 2017).",
		       label, svc);
	wf_finding_set(&f->next_check,
		       "reg query \"HKLM\\SYSTEM\\DriverDatabase\\DriverPackages\\%s\" /v Version", label);
	char *key = wf_xasprintf("DriverDatabase\\DriverPackages\\%s", label);
	wf_rule_hive_evidence(c, f, key, "no Version value (Configurations -> Service = %s)", svc);
	free(key);
	wf_finding_add_fix_for(f, WF_FIXID(DDB_VERSION), label);
}

/* The catalogue kind a service drives, NULL when none. */
static const struct wf_ctrl_kind *kind_of_service(const char *svc)
{
	const struct wf_ctrl_kind *k;
	wf_ctrl_service(svc, &k);
	return k;
}

/* Packages without Version whose configuration names a boot-start service. */
static void scan_packages(struct wf_rctx *c)
{
	wf_node pk = wf_hive_lookup(c->sys, "DriverDatabase\\DriverPackages");
	size_t np;
	wf_node *pkgs = wf_hive_children(c->sys, pk, &np);
	for (size_t i = 0; i < np; i++) {
		if (wf_hive_value_exists(c->sys, pkgs[i], "Version"))
			continue;
		wf_node cf = wf_hive_child(c->sys, pkgs[i], "Configurations");
		size_t nc;
		wf_node *confs = wf_hive_children(c->sys, cf, &nc);
		for (size_t k = 0; k < nc; k++) {
			char *svc = wf_hive_get_string(c->sys, confs[k], "Service");
			struct wf_svc *s = svc ? wf_rctx_svc(c, svc) : NULL;
			if (s && s->node && s->has_start && s->start == 0) {
				char *label = wf_hive_node_name(c->sys, pkgs[i]);
				version_emit(c, label, s->name, kind_of_service(s->name),
					     WF_SEV_ERROR);
				free(label);
				k = nc;
			}
			free(svc);
		}
		free(confs);
	}
	free(pkgs);
}

void wf_rule_ddb_version(struct wf_rctx *c, const struct wf_rule *r)
{
	(void)r;
	if (!applies_ddb(c))
		return;
	wf_node pk = wf_hive_lookup(c->sys, "DriverDatabase\\DriverPackages");
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		if (!b->ddb_pkg[0])
			continue;
		wf_node n = wf_hive_child(c->sys, pk, b->ddb_pkg);
		if (n && !wf_hive_value_exists(c->sys, n, "Version"))
			version_emit(c, b->ddb_pkg, b->svc[0]->name, b->kind,
				     b->t->boot ? WF_SEV_ERROR : WF_SEV_WARNING);
	}
	scan_packages(c);
}
