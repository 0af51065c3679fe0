/*
 * bcdstore.c - find and copy a guest's BCD store (see bcdstore.h).
 * Moved here from core/fix/bootvol.c so that the diagnosis reads the
 * store the fix path writes.
 */
#include "bcdstore.h"
#include "bcd.h"
#include "guestdl.h"
#include "strbuf.h"
#include "text.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FS 16

void wf_bcdstore_free(struct wf_bcdstore *s)
{
	free(s->device);
	free(s->path);
	free(s->where);
	memset(s, 0, sizeof *s);
}

/* The store on the volume mounted at "/", case as on disk; NULL if none. */
static char *store_on(guestfs_h *g)
{
	for (size_t i = 0; i < wf_n_bcd_paths; i++) {
		char *p = guestfs_case_sensitive_path(g, wf_bcd_paths[i]);
		if (p && guestfs_is_file_opts(g, p, GUESTFS_IS_FILE_OPTS_FOLLOWSYMLINKS, 0, -1) > 0)
			return p;
		free(p);
	}
	return NULL;
}

/* Copy the store at s->path of the mounted volume to `host`. */
static int copy_mounted(guestfs_h *g, const struct wf_bcdstore *s, const char *host,
			struct wf_error *e)
{
	int r = wf_guest_download(g, s->path, host, WF_GK_HIVE, NULL, e);
	if (r == 1)	/* a hive is never cut to its tail (guestdl.h) */
		return wf_error_set(e, WF_ERR_INPUT, "%s: copied only in part", s->where);
	return r < 0 ? wf_error_prefix(e, "%s", s->where) : 0;
}

int wf_bcdstore_here(guestfs_h *g, const char *dev, const char *windev, struct wf_bcdstore *s,
		     const char *host, int *copied, struct wf_error *e)
{
	char *p = store_on(g);
	if (!p)
		return 0;
	s->device = wf_xstrdup(dev);
	s->path = p;
	s->same = windev && strcmp(dev, windev) == 0;
	s->where = wf_xasprintf("%s:%s", dev, p);
	if (host)
		*copied = copy_mounted(g, s, host, e);
	return 1;
}

/* 1 when `dev` holds the store (s filled; copied to `host` when not NULL,
 * in the same mount: *copied 0 or -1 with `e`), 0 when not. */
static int try_device(guestfs_h *g, const char *dev, const char *windev, struct wf_bcdstore *s,
		      const char *host, int *copied, struct wf_error *e)
{
	if (guestfs_mount_ro(g, dev, "/") < 0)
		return 0;
	int found = wf_bcdstore_here(g, dev, windev, s, host, copied, e);
	guestfs_umount_all(g);
	return found;
}

static int find(guestfs_h *g, const char *windev, char *const *known, struct wf_bcdstore *s,
		const char *host, int *copied, struct wf_error *e)
{
	memset(s, 0, sizeof *s);
	guestfs_push_error_handler(g, NULL, NULL);
	char **listed = known ? NULL : guestfs_list_filesystems(g);
	char *const *fs = known ? known : listed;
	/* FAT first: an EFI system partition holds the store of a UEFI
	 * Windows, and every GPT disk Windows made has one */
	static const char *const types[] = { "vfat", "ntfs" };
	int found = 0;
	for (size_t t = 0; t < 2 && !found; t++)
		for (size_t i = 0; fs && fs[i] && fs[i + 1] && i / 2 < MAX_FS && !found; i += 2)
			if (strcmp(fs[i], windev) != 0 && strcmp(fs[i + 1], types[t]) == 0)
				found = try_device(g, fs[i], windev, s, host, copied, e);
	if (!found)
		found = try_device(g, windev, windev, s, host, copied, e);
	guestfs_pop_error_handler(g);
	wf_strv0_free(listed);
	return found;
}

int wf_bcdstore_find(guestfs_h *g, const char *windev, char *const *fs, struct wf_bcdstore *s)
{
	return find(g, windev, fs, s, NULL, NULL, NULL);
}

int wf_bcdstore_find_copy(guestfs_h *g, const char *windev, char *const *fs,
			  struct wf_bcdstore *s, const char *host, struct wf_error *e)
{
	int copied = 0;
	if (!find(g, windev, fs, s, host, &copied, e))
		return 0;
	return copied < 0 ? -1 : 1;
}

int wf_bcdstore_fetch(guestfs_h *g, const struct wf_bcdstore *s, const char *host,
		      struct wf_error *e)
{
	if (guestfs_mount_ro(g, s->device, "/") < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "%s: cannot mount it: %s", s->device,
				    guestfs_last_error(g));
	int r = copy_mounted(g, s, host, e);
	guestfs_umount_all(g);
	return r;
}
