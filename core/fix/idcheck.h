/*
 * idcheck.h - does the chosen virtio-win build bind the PCI id the VM will
 * present?  The XP/2003/2008 viostor and vioscsi INFs list only the
 * transitional ids (DEV_1001, DEV_1004); a q35 VM presents the modern ones
 * (DEV_1042, DEV_1048) unless the device's model is virtio-transitional
 * (vmpci.h).  Without the VM's definition (--domain-xml, or -d DOMAIN's)
 * the machine is unknown: a build that binds only one of the two forms is
 * a warning in the plan.
 *
 *   if (wf_idcheck_boot(c, p, "inject-virtio:viostor", "virtio-blk", &pk.info,
 *                       pk.folder, "viostor.inf", &err) < 0) ... err.msg says what to change
 */
#ifndef WF_IDCHECK_H
#define WF_IDCHECK_H

#include "error.h"
#include "plan.h"

struct wf_fixctx;
struct wf_inf;

/* -1 (WF_ERR_INPUT) when the VM (c->vm) presents `kind` with an id the
 * INF does not list; otherwise 0, with a plan note. */
int wf_idcheck_boot(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		    const char *kind, const struct wf_inf *inf, const char *folder,
		    const char *infname, struct wf_error *e);

#endif
