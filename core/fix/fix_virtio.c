/*
 * fix_virtio.c - inject-virtio:<drv>: a VirtIO driver from virtio-win into
 * an offline guest.
 *
 * Every driver's package (INF, CAT, SYS and the files its INF lists) is
 * staged in C:\virt-winfix\drivers\<drv>\, DevicePath names that folder,
 * and the first-boot installer (firstboot.h) installs it with pnputil so
 * it ends up in the driver store like any installed driver.
 *
 * viostor and vioscsi are boot-critical (what virt-v2v does, and where it
 * is weak, ../shared/knowledge/virtio-injection-virt-v2v.md §2, §5, §9):
 *  - the .sys goes to System32\drivers;
 *  - Services\<svc> from the INF's AddService (type, error control, group,
 *    binary, and its AddReg: Parameters\PnpInterface, BusType ...) with
 *    Start forced to 0, in the current and LastKnownGood sets
 *    (v2v: current only), StartOverride removed (v2v never does);
 *  - XP to 7: CriticalDeviceDatabase entries for every hardware id the
 *    INF lists for this architecture, plus the VEN&DEV form that matches
 *    any subsystem (v2v: two hard-coded ids);
 *  - 8 and later: a DriverDatabase package named after the INF with a
 *    proper "<inf>_<arch>_<16 hex>" label (old v2v: guestor.inf_tmp, which
 *    breaks pnputil and Windows Update), descriptors for every INF id, the
 *    INF's install section as configuration, and a Version blob carrying
 *    the INF's class GUID, DriverVer date and version (v2v: zeros), plus
 *    Provider, as an in-box package has.
 * Vista and later, a catalog not signed by Microsoft (vendor, cross- or
 * self-signed): its signer goes into TrustedPublisher (trustpub.h), so
 * that pnputil at first boot does not wait for a "trust this publisher?"
 * answer in session 0.
 * Before any of it the .sys's PE machine and OS version are checked
 * against the guest (virtio_src.c): a mismatch is refused; then its
 * signature (sigpolicy.h): a boot driver Windows would not load is refused;
 * then its INF's PCI ids against those the VM presents (idcheck.h).
 */
#include "firstboot.h"
#include "fix_addreg.h"
#include "fixes.h"
#include "hive.h"
#include "inf.h"
#include "idcheck.h"
#include "sigpolicy.h"
#include "strbuf.h"
#include "text.h"
#include "trustpub.h"
#include "virtio_src.h"
#include "winver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void stage_file(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		       const char *drv, const char *host, const char *name)
{
	char *g = wf_xasprintf(WF_STAGE_DIR "/%s/%s", drv, name);
	uint64_t sz = 0;
	int there = c->probe && c->probe(c->ud, g, &sz) == 1;
	char *from = wf_virtio_src_origin(c->virtio, host);
	wf_plan_copy_file_from(p, host, from, g, there, sz, fix);
	free(from);
	free(g);
}

/* Staged name of a host file fetched from an ISO ("virtio-3-netkvm.sys"). */
static void stage(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		  const struct wf_virtio_pick *pk)
{
	const char *drv = pk->drv->id;
	stage_file(c, p, fix, drv, pk->inf, pk->drv->inf);
	stage_file(c, p, fix, drv, pk->sys, base_name(pk->sys));
	if (pk->cat)
		stage_file(c, p, fix, drv, pk->cat, pk->info.catalog);
	for (size_t i = 0; i < pk->n_extra; i++)
		stage_file(c, p, fix, drv, pk->extra[i], base_name(pk->extra[i]));
}

static const struct wf_inf_service *main_service(const struct wf_virtio_pick *pk)
{
	const char *sys = base_name(pk->sys);
	for (size_t i = 0; i < pk->info.n_services; i++) {
		const char *b = pk->info.services[i].binary;
		const char *bs = b ? strrchr(b, '\\') : NULL;
		if (bs && wf_streqi(bs + 1, sys))
			return &pk->info.services[i];
	}
	return pk->info.n_services ? &pk->info.services[0] : NULL;
}

static void boot_service(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
			 const struct wf_virtio_pick *pk, const struct wf_inf_service *s)
{
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	char *image = s->binary ? wf_inf_imagepath(s->binary) : NULL;
	if (!image)
		image = wf_xasprintf("System32\\drivers\\%s", base_name(pk->sys));
	for (size_t i = 0; i < n; i++) {
		struct wf_hive *h = c->system;
		char *k = wf_xasprintf("%s\\Services\\%s", sets[i], s->name);
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "Type", s->has_type ? s->type : 1, fix);
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "Start", 0, fix);
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "ErrorControl",
				  s->has_error ? s->error_control : 1, fix);
		if (s->group)	/* as the INF says; none when it names none */
			wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "Group", WF_REG_SZ, s->group, fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "ImagePath", WF_REG_EXPAND_SZ, image, fix);
		if (s->display || pk->info.n_models)
			wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "DisplayName", WF_REG_SZ,
					   s->display ? s->display : pk->info.models[0].desc, fix);
		wf_fix_addreg(c, p, fix, WF_HIVE_SYSTEM, k, sets[i], s->addreg, s->n_addreg, 1);
		char *so = wf_xasprintf("%s\\StartOverride", k);
		wf_plan_delete_key(p, h, WF_HIVE_SYSTEM, so, fix);
		free(so);
		free(k);
	}
	free(image);
}

/* "PCI\VEN_1AF4&DEV_1001&SUBSYS_..." -> "VEN_1AF4&DEV_1001&SUBSYS_..."; NULL if not PCI. */
static const char *pci_part(const char *hwid)
{
	return wf_startswithi(hwid, "PCI\\") ? hwid + 4 : NULL;
}

/* Every PCI id the INF lists, and the VEN&DEV short form of each. */
static size_t inf_ids(const struct wf_inf *inf, char ***out)
{
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < inf->n_models; i++)
		for (size_t k = 0; k < inf->models[i].n_hwids; k++) {
			const char *id = pci_part(inf->models[i].hwids[k]);
			unsigned ven, dev;
			if (!id || wf_pci_parse(id, &ven, &dev) < 0)
				continue;
			char *forms[2] = { wf_xstrdup(id), wf_xasprintf("VEN_%04X&DEV_%04X", ven, dev) };
			for (int f = 0; f < 2; f++) {
				int dup = 0;
				for (size_t j = 0; j < n && !dup; j++)
					dup = wf_streqi((*out)[j], forms[f]);
				if (dup) {
					free(forms[f]);
					continue;
				}
				*out = wf_xrealloc(*out, (n + 1) * sizeof **out);
				(*out)[n++] = forms[f];
			}
		}
	return n;
}

static void bind_cdd(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		     const struct wf_virtio_pick *pk, const char *svc, char **ids, size_t n)
{
	const char *cls = pk->info.class_guid ? pk->info.class_guid : wf_fix_class_of(svc);
	for (size_t i = 0; i < n; i++) {
		char *name = wf_xasprintf("pci#%s", ids[i]);
		wf_fix_cdd_entry(c, p, fix, wf_lower(name), svc, cls);
		free(name);
	}
}

static void bind_ddb(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		     const struct wf_virtio_pick *pk, const char *svc, char **ids, size_t n)
{
	const char *infname = pk->drv->inf;
	char *label = wf_xasprintf("%s_%s_0000000000000000", infname, wf_virtio_arch(c->ver));
	wf_lower(label);
	const char *conf = pk->info.n_models ? pk->info.models[0].install : "virtio_inst";
	const char *cls = pk->info.class_guid ? pk->info.class_guid : wf_fix_class_of(svc);
	wf_fix_ddb_package(c, p, fix, &pk->info, infname, label, conf, svc, cls);
	/* what the INF's install writes, kept in the configuration as Windows
	 * keeps it (real Windows 10 hive, mshdc.inf's msahci_Inst: Device\...
	 * from .HW, Services\storahci\Parameters from the service's AddReg) */
	char *base = wf_xasprintf("DriverDatabase\\DriverPackages\\%s\\Configurations\\%s", label, conf);
	char *dev = wf_xasprintf("%s\\Device", base);
	if (pk->info.n_models)
		wf_fix_addreg(c, p, fix, WF_HIVE_SYSTEM, dev, c->ccs, pk->info.models[0].hw_addreg,
			      pk->info.models[0].n_hw_addreg, 0);
	const struct wf_inf_service *s = main_service(pk);
	char *sk = wf_xasprintf("%s\\Services\\%s", base, svc);
	if (s)
		wf_fix_addreg(c, p, fix, WF_HIVE_SYSTEM, sk, c->ccs, s->addreg, s->n_addreg, 0);
	free(sk);
	free(dev);
	free(base);
	for (size_t i = 0; i < n; i++)
		wf_fix_ddb_bind(c, p, fix, ids[i], infname, label, conf);
	free(label);
}

/* The .HW section's HKR is the device's hardware key, Enum\<instance>\
 * Device Parameters.  Offline it exists only for a device Windows has
 * already seen (the VM presented it before): write it there for every
 * instance of an id the INF lists.  For a device first seen at the next
 * boot Windows writes it itself: from the DriverDatabase configuration
 * (8 and later, bind_ddb) or when pnputil installs the staged package at
 * first boot (Vista to 7; the New Hardware wizard on XP). */
static void hw_existing(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
			const struct wf_virtio_pick *pk)
{
	if (!pk->info.n_models || !pk->info.models[0].n_hw_addreg)
		return;
	const struct wf_inf_model *m = &pk->info.models[0];
	const char *sets[2];
	size_t ns = wf_fix_sets(c, sets);
	size_t done = 0;
	for (size_t i = 0; i < ns; i++) {
		char *pci = wf_xasprintf("%s\\Enum\\PCI", sets[i]);
		size_t nd;
		wf_node *devs = wf_hive_children(c->system, wf_hive_lookup(c->system, pci), &nd);
		for (size_t d = 0; d < nd && d < 4096; d++) {
			char *name = wf_hive_node_name(c->system, devs[d]);
			char *id = wf_xasprintf("PCI\\%s", name ? name : "");
			unsigned ven, dev;
			char *shortid = name && wf_pci_parse(name, &ven, &dev) == 0
					? wf_xasprintf("PCI\\VEN_%04X&DEV_%04X", ven, dev) : NULL;
			if (wf_inf_has_hwid(&pk->info, id) || (shortid && wf_inf_has_hwid(&pk->info, shortid))) {
				size_t ni;
				wf_node *inst = wf_hive_children(c->system, devs[d], &ni);
				for (size_t k = 0; k < ni && k < 64; k++) {
					char *in = wf_hive_node_name(c->system, inst[k]);
					char *key = wf_xasprintf("%s\\%s\\%s\\Device Parameters", pci, name, in);
					done += wf_fix_addreg(c, p, fix, WF_HIVE_SYSTEM, key, sets[i], m->hw_addreg,
							      m->n_hw_addreg, 0) > 0;
					free(key);
					free(in);
				}
				free(inst);
			}
			free(shortid);
			free(id);
			free(name);
		}
		free(devs);
		free(pci);
	}
	if (done)
		wf_plan_note(p, "%s: the INF's .HW settings written for %zu device instance(s) Windows "
			     "already knows", fix, done);
}

static int inject_boot(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		       const struct wf_virtio_pick *pk, struct wf_error *e)
{
	const struct wf_inf_service *s = main_service(pk);
	if (!s)
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s adds no service (no AddService in its install sections)",
				    fix, pk->inf);
	char *dst = wf_xasprintf("%s/System32/drivers/%s", c->systemroot, base_name(pk->sys));
	uint64_t sz = 0;
	int there = c->probe && c->probe(c->ud, dst, &sz) == 1;
	char *from = wf_virtio_src_origin(c->virtio, pk->sys);
	wf_plan_copy_file_from(p, pk->sys, from, dst, there, sz, fix);
	free(from);
	free(dst);
	boot_service(c, p, fix, pk, s);
	hw_existing(c, p, fix, pk);
	char **ids;
	size_t n = inf_ids(&pk->info, &ids);
	if (!n) {
		wf_strv_free(ids, n);
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s lists no PCI hardware id for %s",
				    fix, pk->inf, wf_virtio_arch(c->ver));
	}
	int ddb = wf_winver_code(c->ver) >= WF_WINVER(6, 2) &&
		  wf_hive_lookup(c->system, "DriverDatabase") != 0;
	if (ddb)
		bind_ddb(c, p, fix, pk, s->name, ids, n);
	else
		bind_cdd(c, p, fix, pk, s->name, ids, n);
	wf_strv_free(ids, n);
	wf_plan_note(p, "%s: %s loads at boot; point the VM's boot disk at %s when you start it", fix,
		     s->name, pk->drv->label);
	return 0;
}

int wf_fix_inject_virtio(struct wf_fixctx *c, const char *id, const char *arg,
			 struct wf_plan *p, struct wf_error *e)
{
	if (!c->virtio)
		return wf_error_set(e, WF_ERR_USAGE, "%s: needs a driver source: --virtio-win DIR|ISO", id);
	if (!c->systemroot)
		return wf_error_set(e, WF_ERR_USAGE, "%s: needs the guest's files (an image, not hive files)", id);
	struct wf_virtio_pick pk;
	if (wf_virtio_pick(c->virtio, arg, c->ver, &pk, e) < 0) {
		wf_virtio_pick_free(&pk);
		return wf_error_prefix(e, "%s", id);
	}
	for (size_t i = 0; i < pk.n_rejected; i++)
		wf_plan_note(p, "%s: refused %s", id, pk.rejected[i]);
	wf_plan_note(p, "%s: from %s (%s %s, DriverVer %s %s)", id, pk.folder,
		     pk.info.provider ? pk.info.provider : "?", pk.drv->inf,
		     pk.info.driver_date ? pk.info.driver_date : "?",
		     pk.info.driver_version ? pk.info.driver_version : "?");
	if (wf_sigpolicy_check(c, p, id, pk.sys, pk.cat, pk.drv->boot, e) < 0 ||
	    (pk.drv->boot && wf_idcheck_boot(c, p, id, pk.drv->kind, &pk.info, pk.folder, pk.drv->inf, e) < 0)) {
		wf_virtio_pick_free(&pk);
		return -1;
	}
	stage(c, p, id, &pk);
	wf_trustpub_plan(c, p, id, pk.cat, pk.info.catalog ? pk.info.catalog : pk.drv->inf);
	int r = pk.drv->boot ? inject_boot(c, p, id, &pk, e) : 0;
	if (r == 0)
		r = wf_devicepath_plan(c, p, pk.drv->id, id, e);
	if (r == 0)
		r = wf_firstboot_plan(c, p, id, e);
	if (r == 0 && wf_winver_code(c->ver) >= WF_WINVER(6, 0))
		wf_plan_note(p, "%s: at first boot the %s service installs %s with pnputil (log: "
			     "C:\\virt-winfix\\firstboot.log; at most %d attempts); Windows may restart once",
			     id, WF_FIRSTBOOT_SERVICE, pk.drv->inf, WF_FIRSTBOOT_TRIES);
	else if (r == 0)
		wf_plan_note(p, "%s: Windows XP/2003 finds %s through DevicePath when the New Hardware "
			     "wizard runs at first boot (accept the unsigned-driver prompt)", id, pk.drv->inf);
	wf_virtio_pick_free(&pk);
	return r;
}
