/*
 * sigpolicy.h - the signature gate of inject-virtio: would the target
 * Windows load the driver it is about to inject?
 *
 * A boot-critical driver (viostor, vioscsi) is judged by the signature
 * embedded in its .sys: the package's catalog is only staged, and pnputil
 * registers it at first boot, after the boot driver had to load.  A driver
 * staged for first boot is judged by its catalog (what pnputil checks), or
 * by its embedded signature when it has no catalog.
 *
 *   WF_SIGMODE_CHECK         refuse a boot driver Windows would not load,
 *                            saying why and what to use instead;
 *   WF_SIGMODE_TEST_SIGNING  accept a test-signed one and plan test signing
 *                            on in the guest's BCD store (undo puts it back);
 *   WF_SIGMODE_SKIP          no check (a plan note says so).
 * Staged drivers never block: their verdict is a warning in the plan.
 *
 *   if (wf_sigpolicy_check(c, p, "inject-virtio:viostor", sys, cat, 1, &err) < 0)
 *           ... err.msg: why, and what to use instead
 */
#ifndef WF_SIGPOLICY_H
#define WF_SIGPOLICY_H

#include "error.h"
#include "plan.h"

struct wf_fixctx;

enum {
	WF_SIGMODE_CHECK = 0,
	WF_SIGMODE_TEST_SIGNING = 1,
	WF_SIGMODE_SKIP = 2,
};

/* Judge the driver whose files are host paths `sys` and `cat` (NULL: no
 * catalog); `boot`: boot-critical.  Adds plan notes (and, with
 * WF_SIGMODE_TEST_SIGNING, the BCD change).  -1 (WF_ERR_INPUT) when a
 * boot driver would not load. */
int wf_sigpolicy_check(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		       const char *sys, const char *cat, int boot, struct wf_error *e);

#endif
