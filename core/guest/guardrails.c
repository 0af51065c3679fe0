/*
 * guardrails.c - refuse to write where writing would do harm (guardrails.h).
 *
 * qemu's image locking (block/file-posix.c, "raw_apply_lock_bytes"): a
 * process that opens an image locks byte 100+N (RAW_LOCK_PERM_BASE) for
 * each permission N it holds and 200+N (RAW_LOCK_SHARED_BASE) for each it
 * does not share, with open file description locks (F_OFD_SETLK).  Any
 * lock in 100..299 held by someone else means a qemu has the image open;
 * F_OFD_GETLK with an exclusive request finds it without taking it.
 *
 * Hibernation: the hiberfil.sys header starts with "hibr" (hibernated),
 * "HIBR" (Windows 8+ hibernation and Fast Startup), "wake" / "WAKE"
 * (resumed but not reset); a shut-down system has zeros there.  ntfs-3g
 * checks the same signatures before a read-write mount (its "Windows is
 * hibernated, refused to mount" message).
 */
#include "guardrails.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int wf_guard_image_unlocked(const char *path, struct wf_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
	struct flock fl;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 100;
	fl.l_len = 200;
	int r = fcntl(fd, F_OFD_GETLK, &fl);
	close(fd);
	if (r == 0 && fl.l_type != F_UNLCK)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: in use by a running VM (qemu holds its lock): shut the VM down before "
				    "fixing it; diagnose still works read-only", path);
	return 0;
}

static const char *const hiber_sigs[] = { "hibr", "HIBR", "wake", "WAKE", NULL };

int wf_guard_not_hibernated(guestfs_h *g, const char *device, struct wf_error *e)
{
	char *p = guestfs_case_sensitive_path(g, "/hiberfil.sys");
	if (!p || guestfs_is_file(g, p) <= 0) {
		free(p);
		return 0;
	}
	size_t n = 0;
	char *buf = guestfs_pread(g, p, 8, 0, &n);
	free(p);
	int hib = 0;
	for (int i = 0; buf && n >= 4 && hiber_sigs[i]; i++)
		hib |= memcmp(buf, hiber_sigs[i], 4) == 0;
	free(buf);
	if (hib)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: Windows is hibernated or was shut down with Fast Startup (hiberfil.sys "
				    "holds a hibernation image): Windows would resume it and lose any fix; boot it and "
				    "shut it down fully (shutdown /s /f /t 0), or disable Fast Startup; diagnose still "
				    "works read-only", device);
	return 0;
}

int wf_guard_mount_rw(guestfs_h *g, const char *device, struct wf_error *e)
{
	return wf_guard_mount_rw_at(g, device, "/", e);
}

int wf_guard_mount_rw_at(guestfs_h *g, const char *device, const char *where, struct wf_error *e)
{
	if (guestfs_mount(g, device, where) == 0)
		return 0;
	const char *m = guestfs_last_error(g);
	char why[300];
	snprintf(why, sizeof why, "%s", m ? m : "mount failed");
	char *nl = strchr(why, '\n');
	if (nl)
		*nl = '\0';
	if (m && (wf_strcasestr(m, "hibernat") || wf_strcasestr(m, "unsafe state") ||
		  wf_strcasestr(m, "fast restart") || wf_strcasestr(m, "unclean")))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: the NTFS volume cannot be written: Windows was hibernated, left by Fast "
				    "Startup or not shut down cleanly (%s); boot it and shut it down fully "
				    "(shutdown /s /f /t 0), then run the fix again", device, why);
	return wf_error_set(e, WF_ERR_INPUT, "%s: cannot mount it read-write: %s", device, why);
}

int wf_guard_translate_lock_error(const char *image, struct wf_error *e)
{
	if (!e || !(wf_strcasestr(e->msg, "write\" lock") || wf_strcasestr(e->msg, "Failed to get") ||
		    wf_strcasestr(e->msg, "is locked")))
		return 0;
	wf_error_set(e, WF_ERR_INPUT,
		     "%s: in use by a running VM (qemu holds its lock): shut the VM down before fixing it; "
		     "diagnose still works read-only", image);
	return 1;
}
