/*
 * idcheck.c - the INF's PCI ids against what the VM presents (idcheck.h).
 */
#include "idcheck.h"
#include "controllers.h"
#include "fixes.h"
#include "inf.h"
#include "text.h"
#include "vmpci.h"

#include <stdio.h>
#include <string.h>

/* Does the INF list PCI\VEN_1AF4&DEV_<dev> (any subsystem)? */
static int inf_binds(const struct wf_inf *inf, unsigned dev)
{
	for (size_t i = 0; i < inf->n_models; i++)
		for (size_t k = 0; k < inf->models[i].n_hwids; k++) {
			const char *id = inf->models[i].hwids[k];
			unsigned v, d;
			if (wf_startswithi(id, "PCI\\") && wf_pci_parse(id + 4, &v, &d) == 0 &&
			    v == 0x1AF4 && d == dev)
				return 1;
		}
	return 0;
}

/* What to write in the domain XML for a kind to get `want` ids. */
static const char *xml_change(const char *kind, enum wf_vidmode want)
{
	static const struct {
		const char *kind;
		const char *transitional, *modern;
	} rows[] = {
		{ "virtio-blk", "model='virtio-transitional' on the boot disk's <disk> element "
				"(<disk type='file' device='disk' model='virtio-transitional'>), or an "
				"i440fx machine (<type machine='pc'>)",
		  "model='virtio-non-transitional' on the boot disk's <disk> element, or a q35 machine" },
		{ "virtio-scsi", "<controller type='scsi' model='virtio-transitional'/>, or an i440fx "
				 "machine (<type machine='pc'>)",
		  "<controller type='scsi' model='virtio-non-transitional'/>, or a q35 machine" },
		{ "virtio-net", "<model type='virtio-transitional'/> in the <interface>, or an i440fx "
				"machine (<type machine='pc'>)",
		  "<model type='virtio-non-transitional'/> in the <interface>, or a q35 machine" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (wf_streqi(rows[i].kind, kind))
			return want == WF_VID_TRANSITIONAL ? rows[i].transitional : rows[i].modern;
	return "another device model";
}

/* No domain XML: warn when the build binds only one form. */
static void without_vm(struct wf_plan *p, const char *fix, const char *kind, unsigned t,
		       unsigned m, int bt, int bm, const char *where)
{
	if (bt && !bm)
		wf_plan_note(p, "%s: warning: %s binds only the transitional id DEV_%04X: a q35 VM presents "
			     "its %s as DEV_%04X unless you set %s (give --domain-xml or -d DOMAIN to have this "
			     "checked)", fix, where, t, kind, m, xml_change(kind, WF_VID_TRANSITIONAL));
	else if (bm && !bt)
		wf_plan_note(p, "%s: warning: %s binds only the modern id DEV_%04X: an i440fx VM presents "
			     "its %s as DEV_%04X unless you set %s (give --domain-xml or -d DOMAIN to have this "
			     "checked)", fix, where, m, kind, t, xml_change(kind, WF_VID_MODERN));
}

int wf_idcheck_boot(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		    const char *kind, const struct wf_inf *inf, const char *folder,
		    const char *infname, struct wf_error *e)
{
	unsigned t = wf_virtio_pci_dev(kind, WF_VID_TRANSITIONAL);
	unsigned m = wf_virtio_pci_dev(kind, WF_VID_MODERN);
	if (!t)
		return 0;
	char where[300];
	snprintf(where, sizeof where, "%s/%s", folder, infname);
	int bt = inf_binds(inf, t), bm = inf_binds(inf, m);
	const struct wf_vm_vdev *d = c->vm ? wf_vm_virtio_dev(c->vm, kind) : NULL;
	if (!d || !d->present || d->mode == WF_VID_UNKNOWN) {
		if (d && !d->present)
			wf_plan_note(p, "%s: the domain XML gives the VM no %s device", fix, kind);
		without_vm(p, fix, kind, t, m, bt, bm, where);
		return 0;
	}
	unsigned want = d->mode == WF_VID_MODERN ? m : t;
	if (inf_binds(inf, want)) {
		wf_plan_note(p, "%s: the VM presents its %s as PCI\\VEN_1AF4&DEV_%04X (%s), which %s binds",
			     fix, kind, want, d->why, where);
		return 0;
	}
	enum wf_vidmode other = d->mode == WF_VID_MODERN ? WF_VID_TRANSITIONAL : WF_VID_MODERN;
	return wf_error_set(e, WF_ERR_INPUT, "%s: the VM presents its %s as PCI\\VEN_1AF4&DEV_%04X "
			    "(%s), and %s binds only %s: Windows would find no driver for it (Stop "
			    "0x7B). Change the domain XML: %s; or use a build whose INF lists DEV_%04X",
			    fix, kind, want, d->why, where,
			    bt ? "the transitional id" : bm ? "the modern id" : "other ids",
			    xml_change(kind, other), want);
}
