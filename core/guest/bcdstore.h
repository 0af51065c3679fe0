/*
 * bcdstore.h - where a guest keeps its Boot Configuration Data store, and
 * a read-only copy of it on the host (the store itself: bcd.h).
 *
 * The store is \EFI\Microsoft\Boot\BCD on the EFI system partition or
 * \Boot\BCD on the BIOS boot partition ("System Reserved", or C: itself);
 * every FAT then NTFS filesystem is looked at (at most 16), the Windows
 * volume last.  Used by the diagnosis (test signing, kmcs.h) and by the
 * fix path (bootvol.h, which also writes it).
 *
 *   struct wf_bcdstore s;
 *   guestfs_umount_all(g);                          // nothing may be mounted
 *   if (wf_bcdstore_find(g, "/dev/sda2", in->filesystems, &s) == 1 &&
 *       wf_bcdstore_fetch(g, &s, "/tmp/x/BCD", &err) == 0)
 *           ... wf_hive_open("/tmp/x/BCD", ...); s.where for evidence
 *   wf_bcdstore_free(&s);
 */
#ifndef WF_BCDSTORE_H
#define WF_BCDSTORE_H

#include "error.h"

typedef struct guestfs_h guestfs_h;

struct wf_bcdstore {
	char *device;		/* appliance device: "/dev/sda1" */
	char *path;		/* on that volume, case as on disk: "/Boot/BCD" */
	int same;		/* on the Windows volume itself */
	char *where;		/* for people: "/dev/sda1:/Boot/BCD" */
};

/* Look for the store among `fs` ((device, type) pairs, NULL-terminated:
 * the inspection's wf_inspection.filesystems; NULL asks
 * guestfs_list_filesystems, ~6 s under TCG), `windev` (the Windows
 * volume) last.  Nothing may be mounted; nothing is left mounted.  1
 * found (s filled, free with wf_bcdstore_free), 0 none (s zeroed). */
int wf_bcdstore_find(guestfs_h *g, const char *windev, char *const *fs, struct wf_bcdstore *s);
/* Find and copy in one mount: 1 found and copied, 0 none, -1 found but
 * not copied (`e` says why; s filled). */
int wf_bcdstore_find_copy(guestfs_h *g, const char *windev, char *const *fs,
			  struct wf_bcdstore *s, const char *host, struct wf_error *e);
/* The same for the one volume `dev`, already mounted at "/" (left so):
 * 1 when it holds the store (s filled; copied to `host` unless NULL,
 * *copied 0 or -1 with `e`), 0 when not.  `windev` may be NULL (not
 * known yet: s->same is 0). */
int wf_bcdstore_here(guestfs_h *g, const char *dev, const char *windev, struct wf_bcdstore *s,
		     const char *host, int *copied, struct wf_error *e);
/* Copy the store to host file `host`, refused over the hive cap
 * (guestdl.h).  Nothing may be mounted; nothing is left mounted. */
int wf_bcdstore_fetch(guestfs_h *g, const struct wf_bcdstore *s, const char *host,
		      struct wf_error *e);
void wf_bcdstore_free(struct wf_bcdstore *s);

#endif
