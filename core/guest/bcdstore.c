/*
 * bcdstore.c - find and copy a guest's BCD store (see bcdstore.h).
 * Moved here from core/fix/bootvol.c so that the diagnosis reads the
 * store the fix path writes.
 */
#include "bcdstore.h"
#include "bcd.h"
#include "guestdl.h"
#include "strbuf.h"

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

static int try_device(guestfs_h *g, const char *dev, const char *windev, struct wf_bcdstore *s)
{
	if (guestfs_mount_ro(g, dev, "/") < 0)
		return 0;
	char *p = store_on(g);
	guestfs_umount_all(g);
	if (!p)
		return 0;
	s->device = wf_xstrdup(dev);
	s->path = p;
	s->same = strcmp(dev, windev) == 0;
	s->where = wf_xasprintf("%s:%s", dev, p);
	return 1;
}

int wf_bcdstore_find(guestfs_h *g, const char *windev, struct wf_bcdstore *s)
{
	memset(s, 0, sizeof *s);
	guestfs_push_error_handler(g, NULL, NULL);
	char **fs = guestfs_list_filesystems(g);
	int found = 0;
	for (size_t i = 0; fs && fs[i] && fs[i + 1] && i / 2 < MAX_FS && !found; i += 2)
		if (strcmp(fs[i], windev) != 0 && (strcmp(fs[i + 1], "ntfs") == 0 ||
						   strcmp(fs[i + 1], "vfat") == 0))
			found = try_device(g, fs[i], windev, s);
	if (!found)
		found = try_device(g, windev, windev, s);
	guestfs_pop_error_handler(g);
	for (size_t i = 0; fs && fs[i]; i++)
		free(fs[i]);
	free(fs);
	return found;
}

int wf_bcdstore_fetch(guestfs_h *g, const struct wf_bcdstore *s, const char *host,
		      struct wf_error *e)
{
	if (guestfs_mount_ro(g, s->device, "/") < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "%s: cannot mount it: %s", s->device,
				    guestfs_last_error(g));
	int r = wf_guest_download(g, s->path, host, WF_GK_HIVE, NULL, e);
	guestfs_umount_all(g);
	if (r == 1)	/* a hive is never cut to its tail (guestdl.h) */
		return wf_error_set(e, WF_ERR_INPUT, "%s: copied only in part", s->where);
	return r < 0 ? wf_error_prefix(e, "%s", s->where) : 0;
}
