/*
 * virtio_src.h - where VirtIO drivers come from: a virtio-win directory or
 * ISO (the ISO is read on the host with xorriso, isofs.h: no appliance),
 * in both layouts:
 *
 *   <driver>/<os>/<arch>/      viostor/w10/amd64/viostor.sys (current ISOs)
 *   <OS>/<ARCH>/               WXP/X86/, XP/X86/, WNET/AMD64/, WLH/, WIN7/
 *                              (old ISOs: every driver in one folder)
 *
 * For a driver and a Windows, wf_virtio_pick() tries the OS folders of
 * that Windows in order (one table, wf_virtio_os_table, with fallbacks),
 * parses the folder's INF, and checks the .sys's PE machine and OS version
 * against the guest: a build for another architecture or a newer Windows is
 * refused with the reason (seed 000: the XP guest given the WXP-folder
 * build of netkvm showed Code 39), and the next candidate is tried.
 *
 *   struct wf_virtio_src *s = wf_virtio_src_open("/srv/virtio-win.iso", tmp, &err);
 *   struct wf_virtio_pick pk;
 *   if (wf_virtio_pick(s, "viostor", &ver, &pk, &err) == 0) {
 *           pk.folder, pk.sys, pk.inf_info.services[0] ...
 *           wf_virtio_pick_free(&pk);
 *   }
 *   wf_virtio_src_free(s);
 */
#ifndef WF_VIRTIO_SRC_H
#define WF_VIRTIO_SRC_H

#include <stddef.h>

#include "error.h"
#include "inf.h"
#include "pe.h"

struct wf_winver;

/* The drivers virt-winfix knows (one table, virtio_src.c). */
struct wf_virtio_driver {
	const char *id;		/* fix argument: "viostor" */
	const char *folder;	/* folder in the new layout: "NetKVM" (case-insensitive) */
	const char *inf;	/* INF base name: "netkvm.inf" */
	int boot;		/* boot-critical storage (injected, not just staged) */
	const char *kind;	/* controllers.h kind it drives, NULL when not catalogued */
	const char *label;	/* "VirtIO network" */
};

extern const struct wf_virtio_driver wf_virtio_drivers[];
extern const size_t wf_n_virtio_drivers;
const struct wf_virtio_driver *wf_virtio_driver_by_id(const char *id);

/* OS folder names to try for this Windows, best first (lower-case; the
 * match is case-insensitive).  Returns the count. */
size_t wf_virtio_os_folders(const struct wf_winver *v, const char **out, size_t max);
/* "amd64" or "x86" for the guest (libguestfs arch names accepted). */
const char *wf_virtio_arch(const struct wf_winver *v);

struct wf_virtio_src;

/* Is `path` a folder or an ISO image (magic bytes)?  Quick: no appliance.
 * -1 with a one-line error naming it otherwise. */
int wf_virtio_src_check(const char *path, struct wf_error *e);

/* Open a directory or an ISO image / block device.  An ISO's file list
 * is read here (one xorriso run, milliseconds); the files a pick uses
 * are copied out when it needs them, one xorriso run each, into a folder
 * of the source's own under `tmpdir` (NULL: $TMPDIR or /tmp), removed by
 * wf_virtio_src_free, and refused over the cap of their kind (guestdl.h).
 * Errors name the path. */
struct wf_virtio_src *wf_virtio_src_open(const char *path, const char *tmpdir,
					 struct wf_error *e);
void wf_virtio_src_free(struct wf_virtio_src *s);
const char *wf_virtio_src_path(const struct wf_virtio_src *s);
/* Where a host file of a pick came from, for people: "ISO:/viostor/w10/
 * amd64/viostor.sys" for an ISO, the path itself for a folder.  malloc'd. */
char *wf_virtio_src_origin(const struct wf_virtio_src *s, const char *host);

struct wf_virtio_pick {
	const struct wf_virtio_driver *drv;
	char *folder;		/* in the source: "viostor/w10/amd64" */
	char *inf;		/* host paths of the chosen files */
	char *sys;
	char *cat;		/* NULL when the folder has none */
	char **extra;		/* other files of the package in the folder (.dll ...) */
	size_t n_extra;
	struct wf_inf info;	/* the parsed INF */
	struct wf_pe_info pe;	/* the .sys's headers */
	char **rejected;	/* why other candidates were refused, one line each */
	size_t n_rejected;
};

/* Choose the driver's folder for this Windows.  -1 (WF_ERR_INPUT) when no
 * folder fits, naming what was tried and why each was refused. */
int wf_virtio_pick(struct wf_virtio_src *s, const char *drv,
		   const struct wf_winver *v, struct wf_virtio_pick *out,
		   struct wf_error *e);
void wf_virtio_pick_free(struct wf_virtio_pick *p);

/* Would this .sys load on this Windows?  NULL yes, else a static reason
 * ("built for x86, the guest is x86_64" style text in buf). */
const char *wf_virtio_check_pe(const struct wf_pe_info *pe, const struct wf_winver *v,
			       char *buf, size_t n);

#endif
