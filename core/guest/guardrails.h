/*
 * guardrails.h - when virt-winfix must not write to an image, said in one
 * line the operator can act on.  Diagnosis stays available read-only.
 *
 *  - a running VM holds the image: qemu takes OFD locks on bytes 100..
 *    of the image file (raw-posix "perm" and "shared" lock bytes); a
 *    second writer would corrupt the guest's disk;
 *  - the Windows volume is hibernated, or was left by Fast Startup
 *    (hiberfil.sys starts with "hibr"/"HIBR" or "wake"): Windows would
 *    resume the hibernated state and throw the fix away, and ntfs-3g
 *    refuses a read-write mount;
 *  - a hive was not saved cleanly and its transaction logs cannot be
 *    replayed (core/change/apply_logs.c; with usable logs the fix is made
 *    on the replayed hive and the logs are emptied).
 */
#ifndef WF_GUARDRAILS_H
#define WF_GUARDRAILS_H

#include "error.h"

typedef struct guestfs_h guestfs_h;

/* -1 when another process (a running qemu) holds a lock on the image:
 * "IMAGE: in use by a running VM (qemu holds its lock): shut the VM down
 * first; diagnose works on a running VM's image read-only". */
int wf_guard_image_unlocked(const char *path, struct wf_error *e);

/* With the Windows volume mounted (read-only is enough) at "/": -1 when
 * hiberfil.sys holds a hibernation image. `device` names the volume. */
int wf_guard_not_hibernated(guestfs_h *g, const char *device, struct wf_error *e);

/* Mount the volume read-write at "/"; a refusal (hibernated, unclean
 * NTFS) becomes a one-line message naming the cause and the cure. */
int wf_guard_mount_rw(guestfs_h *g, const char *device, struct wf_error *e);
/* The same at another mount point (a guestfs_mkmountpoint one). */
int wf_guard_mount_rw_at(guestfs_h *g, const char *device, const char *where, struct wf_error *e);

/* A libguestfs launch error that means the image is locked ("Failed to
 * get "write" lock") rewritten as the message above; 1 when rewritten. */
int wf_guard_translate_lock_error(const char *image, struct wf_error *e);

#endif
