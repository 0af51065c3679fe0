/*
 * platforms.h - drivers the old hypervisor's tools leave in a guest, and
 * whether they hurt once the guest runs on KVM.
 *
 * One row per service (designated initializers, the source per row).  The
 * diagnosis flags a row only when its service still loads at boot
 * (Start 0, 1 or 2): drivers of devices KVM does not present are PnP
 * demand-start and never load.
 *
 *   const struct wf_platform_driver *d = wf_platform_driver("rhelscsi");
 *   if (d && d->harmful) ...
 */
#ifndef WF_PLATFORMS_H
#define WF_PLATFORMS_H

#include <stddef.h>

struct wf_platform_driver {
	const char *service;
	const char *platform;	/* "Xen", "VMware", "Hyper-V", "Parallels" */
	int harmful;		/* breaks or stalls the boot on KVM */
	const char *why;	/* what it does there */
	unsigned inbox_ver;	/* ships with Windows from this version (WF_WINVER
				 * form): there it is no leftover; 0 never */
	const char *src;
};

extern const struct wf_platform_driver wf_platform_drivers[];
extern const size_t wf_n_platform_drivers;

/* Case-insensitive; NULL when not in the table. */
const struct wf_platform_driver *wf_platform_driver(const char *service);

#endif
