/*
 * bootvol.c - the BCD store's volume beside the Windows volume (see
 * bootvol.h).
 */
#include "bootvol.h"
#include "bcdstore.h"
#include "guardrails.h"
#include "strbuf.h"
#include "text.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYS_MNT "/wfsys"
#define BOOT_MNT "/wfboot"
#define BOOT_TAG "/:boot:"

void wf_bootvol_free(struct wf_bootvol *bv)
{
	free(bv->device);
	free(bv->path);
	free(bv->hive_path);
	free(bv->where);
	memset(bv, 0, sizeof *bv);
}

int wf_bootvol_find(guestfs_h *g, const char *windev, char *const *fs, struct wf_bootvol *bv)
{
	memset(bv, 0, sizeof *bv);
	struct wf_bcdstore s;
	if (wf_bcdstore_find(g, windev, fs, &s) != 1)
		return 0;
	bv->device = s.device;
	bv->path = s.path;
	bv->same = s.same;
	bv->where = s.where;
	bv->hive_path = bv->same ? wf_xstrdup(s.path) : wf_xasprintf(BOOT_TAG "%s", s.path);
	return 1;
}

int wf_bootvol_fetch(guestfs_h *g, const struct wf_bootvol *bv, const char *host,
		     struct wf_error *e)
{
	struct wf_bcdstore s = { .device = bv->device, .path = bv->path, .same = bv->same,
				 .where = bv->where };
	return wf_bcdstore_fetch(g, &s, host, e);
}

/* --- the two-volume io --------------------------------------------------------------- */

static char *map(const char *path)
{
	if (strncmp(path, BOOT_TAG, strlen(BOOT_TAG)) == 0)
		return wf_xasprintf(BOOT_MNT "%s", path + strlen(BOOT_TAG));
	return wf_xasprintf(SYS_MNT "%s", path);
}

#define IN(ud) (&((struct wf_bootvol *)(ud))->inner)

static int b_exists(void *ud, const char *path, uint64_t *size)
{
	char *p = map(path);
	int r = IN(ud)->exists(IN(ud)->ud, p, size);
	free(p);
	return r;
}

static int b_download(void *ud, const char *path, const char *host, struct wf_error *e)
{
	char *p = map(path);
	int r = IN(ud)->download(IN(ud)->ud, p, host, e);
	free(p);
	return r;
}

static int b_upload(void *ud, const char *host, const char *path, struct wf_error *e)
{
	char *p = map(path);
	int r = IN(ud)->upload(IN(ud)->ud, host, p, e);
	free(p);
	return r;
}

static int b_rename(void *ud, const char *from, const char *to, struct wf_error *e)
{
	char *a = map(from), *b = map(to);
	int r = IN(ud)->rename(IN(ud)->ud, a, b, e);
	free(a);
	free(b);
	return r;
}

static int b_copy(void *ud, const char *from, const char *host, const char *to,
		  struct wf_error *e)
{
	char *a = map(from), *b = map(to);
	int r = IN(ud)->copy(IN(ud)->ud, a, host, b, e);
	free(a);
	free(b);
	return r;
}

static int b_remove(void *ud, const char *path, struct wf_error *e)
{
	char *p = map(path);
	int r = IN(ud)->remove(IN(ud)->ud, p, e);
	free(p);
	return r;
}

static int b_mkdir_p(void *ud, const char *path, struct wf_error *e)
{
	char *p = map(path);
	int r = IN(ud)->mkdir_p(IN(ud)->ud, p, e);
	free(p);
	return r;
}

static int b_sync(void *ud, struct wf_error *e)
{
	return IN(ud)->sync(IN(ud)->ud, e);
}

static char **b_list(void *ud, const char *path)
{
	char *p = map(path);
	char **v = IN(ud)->list(IN(ud)->ud, p);
	free(p);
	return v;
}

static int b_sha256(void *ud, const char *path, char hex[65], struct wf_error *e)
{
	char *p = map(path);
	int r = IN(ud)->sha256(IN(ud)->ud, p, hex, e);
	free(p);
	return r;
}

static void b_watch(void *ud, void (*fn)(void *fud, uint64_t done, uint64_t total), void *fud)
{
	IN(ud)->watch(IN(ud)->ud, fn, fud);
}

static int b_free_bytes(void *ud, uint64_t *out)
{
	struct guestfs_statvfs *v = guestfs_statvfs(IN(ud)->ud, SYS_MNT);
	if (!v)
		return -1;
	*out = (uint64_t)v->bavail * (uint64_t)v->frsize;
	guestfs_free_statvfs(v);
	return 0;
}

int wf_bootvol_mount(guestfs_h *g, const char *windev, struct wf_bootvol *bv,
		     struct wf_apply_io *io, struct wf_error *e)
{
	wf_apply_io_guestfs(io, g);
	if (bv->same || !bv->device)
		return wf_guard_mount_rw(g, windev, e);
	if (guestfs_mkmountpoint(g, SYS_MNT) < 0 || guestfs_mkmountpoint(g, BOOT_MNT) < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "cannot prepare mount points: %s",
				    guestfs_last_error(g));
	bv->mounted = 1;
	if (wf_guard_mount_rw_at(g, windev, SYS_MNT, e) < 0)
		return -1;
	bv->mounted = 2;
	if (guestfs_mount(g, bv->device, BOOT_MNT) < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot mount the boot volume read-write: %s",
				    bv->device, guestfs_last_error(g));
	bv->mounted = 3;
	bv->inner = *io;
	*io = (struct wf_apply_io){
		.ud = bv, .exists = b_exists, .download = b_download, .upload = b_upload,
		.rename = b_rename, .remove = b_remove, .mkdir_p = b_mkdir_p, .sync = b_sync,
		.list = b_list, .sha256 = b_sha256, .watch = b_watch, .free_bytes = b_free_bytes,
		.copy = bv->inner.copy ? b_copy : NULL,
	};
	return 0;
}

/* mkmountpoint does not mix with umount_all: unmount innermost first,
 * then remove the mount points (libguestfs docs, mkmountpoint). */
int wf_bootvol_umount(guestfs_h *g, struct wf_bootvol *bv, struct wf_error *e)
{
	if (bv->same || !bv->mounted)
		return guestfs_umount_all(g) < 0
			? wf_error_set(e, WF_ERR_APPLIANCE, "cannot unmount: %s", guestfs_last_error(g)) : 0;
	int r = 0;
	guestfs_sync(g);
	if (bv->mounted >= 3 && guestfs_umount(g, BOOT_MNT) < 0)
		r = -1;
	if (bv->mounted >= 2 && guestfs_umount(g, SYS_MNT) < 0)
		r = -1;
	guestfs_rmmountpoint(g, BOOT_MNT);
	guestfs_rmmountpoint(g, SYS_MNT);
	bv->mounted = 0;
	return r < 0 ? wf_error_set(e, WF_ERR_APPLIANCE, "cannot unmount: %s", guestfs_last_error(g)) : 0;
}
