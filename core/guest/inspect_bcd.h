/*
 * inspect_bcd.h - the BCD store looked for in the mounts the search for
 * Windows makes anyway (inspect.c), so that neither the diagnosis nor the
 * plan unmounts the Windows volume to find it (a mount and an unmount
 * cost ~0.3 s under TCG).
 *
 * The result is the store bcdstore.h's search would pick, by its order:
 * the first FAT volume holding one (an EFI system partition; looked at
 * before the search for Windows, each mounted once), else the first NTFS
 * volume holding one that is not the Windows volume ("System Reserved"),
 * else the Windows volume itself.  Each store seen is copied while its
 * volume is mounted (at most WF_BCDSCAN_MAX); the Windows found get the
 * one their rule picks, the other copies are removed.
 *
 *   struct wf_bcdscan sc = { 0 };
 *   wf_bcdscan_fat(&sc, g, fs, tmpdir);          // before the Windows search
 *   ... each NTFS volume mounted: wf_bcdscan_here(&sc, g, dev, tmpdir);
 *   wf_bcdscan_assign(&sc, in->win, in->n_win, in->tmpdir);  // frees sc
 */
#ifndef WF_INSPECT_BCD_H
#define WF_INSPECT_BCD_H

#include "bcdstore.h"
#include "inspect.h"

#define WF_BCDSCAN_MAX 4

struct wf_bcdscan {
	struct wf_bcdstore s[WF_BCDSCAN_MAX];
	char *host[WF_BCDSCAN_MAX];	/* the copy, NULL when not copied */
	char *error[WF_BCDSCAN_MAX];	/* why not */
	size_t n;
	int fat;		/* s[0] is on a FAT volume: it wins, stop looking */
};

void wf_bcdscan_fat(struct wf_bcdscan *sc, guestfs_h *g, char *const *fs, const char *tmpdir);
/* The volume `dev`, mounted at "/" by the search (left so). */
void wf_bcdscan_here(struct wf_bcdscan *sc, guestfs_h *g, const char *dev, const char *tmpdir);
void wf_bcdscan_assign(struct wf_bcdscan *sc, struct wf_windows *w, size_t n, const char *tmpdir);
/* A Windows' fields, freed (its copy removed). */
void wf_windows_bcd_free(struct wf_windows *w);

#endif
