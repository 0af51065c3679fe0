/*
 * fix_db.c - add-cdd, ddb-entry, ddb-version: bind a storage driver that
 * is already installed to its controller's PCI ids, in the database
 * Windows consults for a boot device it has not installed yet.
 *
 *  - XP to 7: <CCS>\Control\CriticalDeviceDatabase\pci#ven_xxxx&dev_yyyy
 *    {Service, ClassGUID} (MergeIDE KB314082; virt-v2v §2.4 of
 *    ../shared/knowledge/virtio-injection-virt-v2v.md).  Key names use
 *    VEN&DEV, which Windows lists among every PCI device's ids, so any
 *    subsystem/revision matches (v2v dropped SUBSYS for that reason, §2.2).
 *  - 8 and later: SYSTEM\DriverDatabase DeviceIds -> DriverInfFiles ->
 *    DriverPackages\<label> {Version, Descriptors, Configurations} (v2v
 *    §2.5).  When a package already configures the service (an in-box
 *    storahci.inf), ddb-entry adds the descriptors to it; otherwise it
 *    creates one named after the driver, with a proper label
 *    "<inf>_<arch>_0000000000000000" (v2v's old "guestor.inf_tmp" broke
 *    pnputil and Windows Update, MTV-2256) and a Version blob.
 *  - Version (seed 001): Kernel-PnP on 10/2016 ignores a package without
 *    it and installs the NULL driver.
 *  - How Windows names third-party packages (real Windows 10 hives in
 *    ../shared/fixtures: WIN_10_1709 oem0..oem11, SYSTEM_2 oem1, SYSTEM_B
 *    oem2..oem12; tested in test_fixes.c): DriverInfFiles\oemN.inf (the
 *    published name) {"" = [label], Active = label, Configurations}, the
 *    package DriverPackages\<original inf, lower case>_<arch>_<16 hex> with
 *    "" = "oemN.inf", InfName = the original name, Provider, SignerName,
 *    SignerScore (0x0d000005 WHQL, 0x0f000000 Authenticode), StatusFlags,
 *    Version, OemPath; DeviceIds\PCI\<id> {"oemN.inf" = 01 ff 00 00}.
 *    Our placeholder is named like an in-box package instead (DriverInfFiles
 *    \<inf>, label <inf>_<arch>_0000000000000000, "" = "<inf>"), never
 *    oemN.inf, so it can collide with no published name pnputil picks; it
 *    carries no SignerScore, so the package pnputil installs at first boot
 *    (same hardware ids, same rank bytes, same DriverVer, a SignerScore) is
 *    the better-ranked match and PnP moves the device to it; ours stays as
 *    an inert entry (its files are not in the driver store).  [U]: the
 *    ranking of a package without SignerScore is inferred, not observed on
 *    a running Windows.
 */
#include "classes.h"
#include "fixes.h"
#include "hive.h"
#include "inf.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wf_fix_class_of(const char *svc)
{
	const struct wf_ctrl_driver *d = wf_ctrl_service(svc, NULL);
	return d && d->class_guid ? d->class_guid : WF_CLASS_SCSIADAPTER;
}

/* The storage driver row of `svc` and its kind, or NULL with an error. */
static const struct wf_ctrl_driver *storage_driver(const char *id, const char *svc,
						   const struct wf_ctrl_kind **k,
						   struct wf_error *e)
{
	const struct wf_ctrl_driver *d = wf_ctrl_service(svc, k);
	if (d && *k && (*k)->cls == WF_CTRL_STORAGE)
		return d;
	wf_error_set(e, WF_ERR_USAGE,
		     "%s: %s drives no storage controller virt-winfix knows (no PCI ids to bind)", id, svc);
	return NULL;
}

/* The ids driver d binds, as CriticalDeviceDatabase key names (cdd:
 * "pci#ven_1af4&dev_1001", "pci#cc_0101", "primary_ide_channel") or as
 * DriverDatabase DeviceIds\PCI names ("VEN_1AF4&DEV_1001", "CC_010601";
 * PnP ids that are not PCI ids are left out). */
static size_t driver_ids(const struct wf_ctrl_driver *d, const struct wf_ctrl_kind *k,
			 int cdd, char ids[][48], size_t max)
{
	size_t n = 0;
	unsigned ven, dev;
	const char *const *src = d->binds[0] ? d->binds : k->pci;
	size_t lim = d->binds[0] ? WF_CTRL_MAX_BIND : WF_CTRL_MAX_PCI;
	for (size_t i = 0; i < lim && src[i] && n < max; i++) {
		if (strchr(src[i], ':') && sscanf(src[i], "%x:%x", &ven, &dev) == 2)
			snprintf(ids[n++], 48, "%sVEN_%04X&DEV_%04X", cdd ? "pci#" : "", ven, dev);
		else if (wf_startswithi(src[i], "CC_"))
			snprintf(ids[n++], 48, "%s%s", cdd ? "pci#" : "", src[i]);
		else if (cdd)
			snprintf(ids[n++], 48, "%s", src[i]);
		if (n && cdd)
			wf_lower(ids[n - 1]);
	}
	return n;
}

static int need_service(struct wf_fixctx *c, struct wf_plan *p, const char *id,
			const char *svc, struct wf_error *e)
{
	char *key = wf_xasprintf("%s\\Services\\%s", c->ccs, svc);
	int ok = wf_fix_key_exists(c, p, WF_HIVE_SYSTEM, key);
	free(key);
	if (!ok)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: no Services\\%s in %s: install the driver first (inject-virtio:%s for VirtIO)",
				    id, svc, c->ccs, svc);
	return 0;
}

static int has_ddb(struct wf_fixctx *c)
{
	return wf_hive_lookup(c->system, "DriverDatabase") != 0;
}

/* --- add-cdd ------------------------------------------------------------------------ */

void wf_fix_cdd_entry(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      const char *name, const char *svc, const char *class_guid)
{
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	for (size_t i = 0; i < n; i++) {
		char *key = wf_xasprintf("%s\\Control\\CriticalDeviceDatabase\\%s", sets[i], name);
		wf_plan_set_string(p, c->system, WF_HIVE_SYSTEM, key, "Service", WF_REG_SZ, svc, fix);
		wf_plan_set_string(p, c->system, WF_HIVE_SYSTEM, key, "ClassGUID", WF_REG_SZ,
				   class_guid, fix);
		free(key);
	}
}

int wf_fix_add_cdd(struct wf_fixctx *c, const char *id, const char *arg,
		   struct wf_plan *p, struct wf_error *e)
{
	if (wf_winver_code(c->ver) >= WF_WINVER(6, 2) || (!wf_winver_code(c->ver) && has_ddb(c)))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: Windows 8 and later do not use the CriticalDeviceDatabase; use ddb-entry:%s",
				    id, arg);
	if (need_service(c, p, id, arg, e) < 0)
		return -1;
	const struct wf_ctrl_kind *k;
	const struct wf_ctrl_driver *d = storage_driver(id, arg, &k, e);
	if (!d)
		return -1;
	char ids[WF_CTRL_MAX_BIND + WF_CTRL_MAX_PCI][48];
	size_t n = driver_ids(d, k, 1, ids, sizeof ids / sizeof ids[0]);
	for (size_t i = 0; i < n; i++)
		wf_fix_cdd_entry(c, p, id, ids[i], arg, wf_fix_class_of(arg));
	return 0;
}

/* --- ddb-entry ----------------------------------------------------------------------- */

struct pkgref {
	char label[200], conf[128], inf[128];
};

/* The DriverInfFiles entry whose Active (or default) names `label`. */
static int inf_of_label(struct wf_hive *h, const char *label, char *inf, size_t n)
{
	wf_node files = wf_hive_lookup(h, "DriverDatabase\\DriverInfFiles");
	size_t nk;
	wf_node *kids = wf_hive_children(h, files, &nk);
	int found = 0;
	for (size_t i = 0; i < nk && !found; i++) {
		char *act = wf_hive_get_string(h, kids[i], "Active");
		if (!act)
			act = wf_hive_get_string(h, kids[i], NULL);
		if (act && wf_streqi(act, label)) {
			char *nm = wf_hive_node_name(h, kids[i]);
			snprintf(inf, n, "%s", nm);
			free(nm);
			found = 1;
		}
		free(act);
	}
	free(kids);
	return found;
}

/* A package whose configuration has Service = svc. */
static int find_package(struct wf_hive *h, const char *svc, struct pkgref *r)
{
	wf_node pk = wf_hive_lookup(h, "DriverDatabase\\DriverPackages");
	size_t np;
	wf_node *pkgs = wf_hive_children(h, pk, &np);
	int found = 0;
	for (size_t i = 0; i < np && !found; i++) {
		wf_node cf = wf_hive_child(h, pkgs[i], "Configurations");
		size_t nc;
		wf_node *confs = wf_hive_children(h, cf, &nc);
		for (size_t k = 0; k < nc && !found; k++) {
			char *s = wf_hive_get_string(h, confs[k], "Service");
			if (s && wf_streqi(s, svc)) {
				char *label = wf_hive_node_name(h, pkgs[i]);
				char *conf = wf_hive_node_name(h, confs[k]);
				snprintf(r->label, sizeof r->label, "%s", label);
				snprintf(r->conf, sizeof r->conf, "%s", conf);
				found = inf_of_label(h, label, r->inf, sizeof r->inf);
				free(label);
				free(conf);
			}
			free(s);
		}
		free(confs);
	}
	free(pkgs);
	return found;
}

static const char *winarch(const struct wf_fixctx *c)
{
	return c->ver->arch && strcmp(c->ver->arch, "i386") == 0 ? "x86" : "amd64";
}

/* Create package `r` (label, inf, conf) for svc: DriverInfFiles, the
 * package with Version, its configuration.  `inf` may carry DriverVer. */
void wf_fix_ddb_package(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
			const struct wf_inf *inf, const char *infname,
			const char *label, const char *conf, const char *svc,
			const char *class_guid)
{
	struct wf_hive *h = c->system;
	char *k = wf_xasprintf("DriverDatabase\\DriverInfFiles\\%s", infname);
	const char *labels[] = { label }, *confs[] = { conf };
	wf_plan_set_multi(p, h, WF_HIVE_SYSTEM, k, "", labels, 1, fix);
	wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "Active", WF_REG_SZ, label, fix);
	wf_plan_set_multi(p, h, WF_HIVE_SYSTEM, k, "Configurations", confs, 1, fix);
	free(k);
	k = wf_xasprintf("DriverDatabase\\DriverPackages\\%s", label);
	unsigned char blob[48];
	wf_ddb_version_blob(class_guid, inf ? inf->driver_date : NULL,
			    inf ? inf->driver_version : NULL, blob);
	wf_plan_set(p, h, WF_HIVE_SYSTEM, k, "Version", WF_REG_BINARY, blob, sizeof blob, fix);
	wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "", WF_REG_SZ, infname, fix);
	if (inf && inf->provider)
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "Provider", WF_REG_SZ, inf->provider, fix);
	free(k);
	k = wf_xasprintf("DriverDatabase\\DriverPackages\\%s\\Configurations\\%s", label, conf);
	wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "ConfigFlags", 0, fix);
	wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "Service", WF_REG_SZ, svc, fix);
	free(k);
}

/* Bind one device id to a package configuration. */
void wf_fix_ddb_bind(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		     const char *devid, const char *infname, const char *label,
		     const char *conf)
{
	static const unsigned char rank[4] = { 0x01, 0xff, 0x00, 0x00 };	/* v2v §2.5 */
	char *k = wf_xasprintf("DriverDatabase\\DeviceIds\\PCI\\%s", devid);
	wf_plan_set(p, c->system, WF_HIVE_SYSTEM, k, infname, WF_REG_BINARY, rank, 4, fix);
	free(k);
	k = wf_xasprintf("DriverDatabase\\DriverPackages\\%s\\Descriptors\\PCI\\%s", label, devid);
	wf_plan_set_string(p, c->system, WF_HIVE_SYSTEM, k, "Configuration", WF_REG_SZ, conf, fix);
	free(k);
}

int wf_fix_ddb_entry(struct wf_fixctx *c, const char *id, const char *arg,
		     struct wf_plan *p, struct wf_error *e)
{
	if (!has_ddb(c))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: SYSTEM has no DriverDatabase (Windows 7 or earlier); use add-cdd:%s",
				    id, arg);
	if (need_service(c, p, id, arg, e) < 0)
		return -1;
	const struct wf_ctrl_kind *k;
	const struct wf_ctrl_driver *d = storage_driver(id, arg, &k, e);
	if (!d)
		return -1;
	struct pkgref r;
	if (!find_package(c->system, arg, &r)) {
		snprintf(r.inf, sizeof r.inf, "wf%s.inf", arg);
		wf_lower(r.inf);
		snprintf(r.label, sizeof r.label, "%s_%s_0000000000000000", r.inf, winarch(c));
		snprintf(r.conf, sizeof r.conf, "%s_inst", arg);
		wf_fix_ddb_package(c, p, id, NULL, r.inf, r.label, r.conf, arg, wf_fix_class_of(arg));
	}
	char ids[WF_CTRL_MAX_BIND + WF_CTRL_MAX_PCI][48];
	size_t n = driver_ids(d, k, 0, ids, sizeof ids / sizeof ids[0]);
	for (size_t i = 0; i < n; i++)
		wf_fix_ddb_bind(c, p, id, ids[i], r.inf, r.label, r.conf);
	return 0;
}

/* --- ddb-version -------------------------------------------------------------------- */

/* DriverVer of the driver's INF if the guest keeps one where installers
 * stage them (virt-v2v: Windows\Drivers\VirtIO; ours: \virt-winfix\drivers). */
static int staged_inf(struct wf_fixctx *c, const char *svc, struct wf_inf *inf)
{
	if (!c->read || !c->systemroot)
		return -1;
	char *paths[2] = {
		wf_xasprintf("%s/Drivers/VirtIO/%s.inf", c->systemroot, svc),
		wf_xasprintf("/virt-winfix/drivers/%s/%s.inf", svc, svc),
	};
	int r = -1;
	for (int i = 0; i < 2 && r < 0; i++) {
		void *buf;
		size_t len;
		if (c->read(c->ud, paths[i], 1 << 20, &buf, &len) == 1) {
			r = wf_inf_parse_mem(paths[i], buf, len, winarch(c), inf, NULL);
			free(buf);
		}
	}
	free(paths[0]);
	free(paths[1]);
	return r;
}

int wf_fix_ddb_version(struct wf_fixctx *c, const char *id, const char *arg,
		       struct wf_plan *p, struct wf_error *e)
{
	char *key = wf_xasprintf("DriverDatabase\\DriverPackages\\%s", arg);
	wf_node pkg = wf_hive_lookup(c->system, key);
	if (!pkg) {
		free(key);
		return wf_error_set(e, WF_ERR_INPUT, "%s: no DriverDatabase\\DriverPackages\\%s in SYSTEM",
				    id, arg);
	}
	wf_node cf = wf_hive_child(c->system, pkg, "Configurations");
	size_t nc;
	wf_node *confs = wf_hive_children(c->system, cf, &nc);
	char *svc = nc ? wf_hive_get_string(c->system, confs[0], "Service") : NULL;
	free(confs);
	struct wf_inf inf;
	int have_inf = svc && staged_inf(c, svc, &inf) == 0;
	const char *guid = have_inf && inf.class_guid ? inf.class_guid
			   : wf_fix_class_of(svc ? svc : "");
	unsigned char blob[48];
	wf_ddb_version_blob(guid, have_inf ? inf.driver_date : NULL,
			    have_inf ? inf.driver_version : NULL, blob);
	wf_plan_set(p, c->system, WF_HIVE_SYSTEM, key, "Version", WF_REG_BINARY, blob, 48, id);
	if (have_inf)
		wf_plan_note(p, "%s: Version carries DriverVer %s %s from the guest's %s.inf",
			     id, inf.driver_date ? inf.driver_date : "?",
			     inf.driver_version ? inf.driver_version : "?", svc);
	if (wf_endswithi(arg, "_tmp"))
		wf_plan_note(p, "%s: the label %s is the one old virt-v2v wrote; it breaks \"pnputil /e\" and "
			     "Windows Update (MTV-2256). The Version makes the boot work; inject-virtio:%s "
			     "writes a properly named package.", id, arg, svc ? svc : "viostor");
	if (have_inf)
		wf_inf_free(&inf);
	free(svc);
	free(key);
	return 0;
}
