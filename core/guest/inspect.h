/*
 * inspect.h - open the operator's disk images and find the Windows inside.
 *
 * Two stages, so a front end can show the quick part at once and run the
 * slow part in the background:
 *
 *   struct wf_inspection in;
 *   wf_inspect_probe(paths, n, &in, &err);   // magic bytes + libblkid, ms
 *   wf_inspect_guest(&in, &opts, &err);      // one appliance launch, seconds
 *   ... in.win[0].ver.display_name, in.win[0].ctrl ...
 *   wf_inspection_free(&in);                 // closes the appliance
 *
 * The appliance stays up in in.session for later steps (diagnose, fix),
 * with the Windows volume left mounted read-only (wf_inspect_mount).
 * Errors of wf_inspect_guest: WF_ERR_NOT_WINDOWS, WF_ERR_ENCRYPTED,
 * WF_ERR_INPUT (a damaged hive: the message names the guest file),
 * WF_ERR_APPLIANCE, WF_ERR_CANCELLED.
 */
#ifndef WF_INSPECT_H
#define WF_INSPECT_H

#include <stddef.h>

#include "controllers.h"
#include "error.h"
#include "hivelog.h"
#include "image.h"
#include "probe.h"
#include "session.h"
#include "winver.h"

struct wf_guestfiles;

struct wf_disk {
	struct wf_image img;
	int probed;		/* libblkid ran (raw images and block devices) */
	struct wf_probe probe;
};

struct wf_windows {
	char *device;		/* appliance device of the system volume: /dev/sda2 */
	char *systemroot;	/* guest path, case as on disk: /Windows */
	struct wf_winver ver;
	struct wf_controllers ctrl;
	char *system_hive;	/* host copies, in the inspection's temp dir */
	char *software_hive;
	char *guest_system_hive;	/* guest paths, for messages */
	char *guest_software_hive;
	/* Each hive as its transaction logs left it (hiverecover.h): state
	 * CLEAN, or RECOVERED (the host copy above is the replayed hive), or
	 * STALE (dirty, no usable log: the host copy is the primary as found). */
	struct wf_hivelog_result system_log, software_log;
	struct wf_guestfiles *files;	/* its driver folders listed (guestfiles.h),
					 * shared by the inspection and the diagnosis;
					 * NULL after a write (wf_inspect_files) */
	/* Its BCD store (wf_inspect_bcd): COPIED to bcd_host from bcd_where,
	 * NONE on the disk, FAILED to copy (bcd_error), or UNKNOWN yet. */
	enum wf_bcd_state { WF_BCD_UNKNOWN, WF_BCD_COPIED, WF_BCD_NONE, WF_BCD_FAILED } bcd;
	char *bcd_host, *bcd_where, *bcd_error;
};

struct wf_inspection {
	struct wf_disk *disks;
	size_t n_disks;
	struct wf_windows *win;
	size_t n_win;
	struct wf_session *session;
	char **bitlocker;	/* appliance devices of BitLocker volumes ("/dev/sda2") */
	char **filesystems;	/* (device, type) pairs as guestfs_list_filesystems
				 * gives them, NULL-terminated: what the search
				 * for Windows saw (NULL before it) */
	size_t n_bitlocker;
	size_t mounted;		/* 1 + the Windows whose volume is mounted
				 * read-only at "/", 0 none (wf_inspect_mount) */
	char *tmpdir;
	double probe_seconds, launch_seconds, guest_seconds;
};

struct wf_inspect_opts {
	wf_session_notify notify;	/* progress lines; may be NULL */
	void *notify_ud;
	/* Called once the session exists and before it launches, so a
	 * signal handler or UI thread can cancel it. */
	void (*on_session)(void *ud, struct wf_session *s);
	/* --key selectors (unlock.h): BitLocker volumes they open are
	 * inspected as the NTFS they hold. */
	const char *const *keys;
	size_t n_keys;
	/* The caller never reads the BCD store (inspect): the search for
	 * Windows does not look for it (inspect_bcd.h). */
	int skip_bcd;
};

/* Stage 1: check and sniff every image, libblkid on raw ones.  Fails on
 * the first unusable path (missing, unreadable...), and before any
 * appliance when libblkid already shows the disk cannot hold Windows
 * (blank, BitLocker only, no NTFS/FAT at all). */
int wf_inspect_probe(const char *const *paths, size_t n,
		     struct wf_inspection *in, struct wf_error *e);
/* Stage 2: launch, find Windows installations, read their hives and
 * controllers. */
int wf_inspect_guest(struct wf_inspection *in, const struct wf_inspect_opts *o,
		     struct wf_error *e);
/* The same with the disks added writable, for fix and undo (fixrun.h);
 * the inspection itself still mounts read-only. */
int wf_inspect_guest_rw(struct wf_inspection *in, const struct wf_inspect_opts *o,
			struct wf_error *e);
/* Windows number `win`'s volume mounted read-only at "/" - unless it is
 * already: a mount costs ~0.5 s under TCG, so readers (the diagnosis, the
 * plan, a log fetch) leave it mounted for the next one.  Whoever mounts
 * anything else at "/" (read-write for an apply, an ISO drive) calls
 * wf_inspect_unmount first. */
int wf_inspect_mount(struct wf_inspection *in, size_t win, struct wf_error *e);
/* The listing of Windows `win`'s driver folders, made when first asked
 * (the volume must be mounted: wf_inspect_mount); `stale` drops the one
 * made before a write and returns NULL. */
struct wf_guestfiles *wf_inspect_files(struct wf_inspection *in, size_t win, int stale);
/* Windows `win`'s BCD store as a host copy: the one the search for
 * Windows saw (inspect_bcd.h), else looked for now (the Windows volume is
 * then unmounted: bcdstore.h).  COPIED with *host and *where, NONE, or
 * FAILED with *why. */
enum wf_bcd_state wf_inspect_bcd(struct wf_inspection *in, size_t win, const char **host,
				 const char **where, const char **why);
/* The store may have been written (a fix or an undo of one): its copy is
 * dropped and it is looked for again when next asked. */
void wf_inspect_bcd_forget(struct wf_inspection *in, size_t win);
/* Unmount what the inspection left mounted (-1: the unmount failed). */
int wf_inspect_unmount(struct wf_inspection *in, struct wf_error *e);
void wf_inspection_free(struct wf_inspection *in);

#endif
