/*
 * bootvol.h - the volume that holds the guest's BCD store, and a guest
 * file access (apply.h) that sees it beside the Windows volume, so that
 * the one executor backs up, journals, replaces and undoes the BCD hive
 * like SYSTEM and SOFTWARE.
 *
 * The store is \EFI\Microsoft\Boot\BCD on the EFI system partition or
 * \Boot\BCD on the BIOS boot partition ("System Reserved", or C: itself)
 * (bcd.h).  When it is on another volume, both are mounted read-write in
 * the appliance (Windows' at /wfsys, the boot volume at /wfboot, through
 * guestfs_mkmountpoint) and the io maps guest paths: "/:boot:/Boot/BCD"
 * (':' cannot occur in a Windows file name) to the boot volume, every
 * other path to the Windows volume.
 *
 *   struct wf_bootvol bv;
 *   if (wf_bootvol_find(g, w->device, in->filesystems, &bv) == 1) {       // nothing mounted
 *           wf_bootvol_mount(g, w->device, &bv, &io, &err);  // instead of mounting "/"
 *           t.hive[WF_HIVE_BCD] = bv.hive_path;
 *           ... wf_apply(&plan, &t, ...) ...
 *           wf_bootvol_umount(g, &bv, &err);
 *   }
 *   wf_bootvol_free(&bv);
 */
#ifndef WF_BOOTVOL_H
#define WF_BOOTVOL_H

#include "apply.h"
#include "error.h"

struct wf_bootvol {
	char *device;		/* appliance device: "/dev/sda1" */
	char *path;		/* on that volume, case as on disk: "/Boot/BCD" */
	int same;		/* the Windows volume itself */
	char *hive_path;	/* path for the executor's io (see above) */
	char *where;		/* for people: "/dev/sda1:/Boot/BCD" */
	/* while mounted */
	int mounted;
	struct wf_apply_io inner;
};

/* Look for the store (wf_bcdstore_find, bcdstore.h: among `fs`, the
 * inspection's filesystems, FAT then NTFS, the Windows volume `windev`
 * last).  Nothing may be mounted; nothing is left mounted.  1 found (bv
 * filled), 0 none. */
int wf_bootvol_find(guestfs_h *g, const char *windev, char *const *fs, struct wf_bootvol *bv);
/* Download the store to host file `host` (wf_bcdstore_fetch: size
 * capped).  Nothing may be mounted. */
int wf_bootvol_fetch(guestfs_h *g, const struct wf_bootvol *bv, const char *host,
		     struct wf_error *e);
/* Mount the Windows volume (read-write, with the hibernation guard) and,
 * when the store is elsewhere, the boot volume; fill `io`. */
int wf_bootvol_mount(guestfs_h *g, const char *windev, struct wf_bootvol *bv,
		     struct wf_apply_io *io, struct wf_error *e);
/* Unmount what wf_bootvol_mount mounted. */
int wf_bootvol_umount(guestfs_h *g, struct wf_bootvol *bv, struct wf_error *e);
void wf_bootvol_free(struct wf_bootvol *bv);

#endif
