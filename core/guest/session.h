/*
 * session.h - the one libguestfs appliance of a session.
 *
 * Launching costs ~10 s under TCG, so a session launches once and every
 * step (inspect, diagnose, fix) shares the handle.  If the launch fails
 * under KVM - on some hosts qemu aborts setting an MSR - the session
 * retries under TCG by itself and leaves a one-line note saying so.  The
 * failure is remembered in $XDG_CACHE_HOME/virt-winfix/kvm-broken (keyed by
 * the qemu binary and the kernel), so later launches go straight to TCG;
 * VIRT_WINFIX_KVM_CACHE=0 disables that memory.
 *
 *   struct wf_session *s = wf_session_new(&err);
 *   wf_session_add(s, &img, 1, &err);          // read-only
 *   wf_session_add(s, &img2, 0, &err);         // writable (qemu locks it),
 *                                              // write-protected until
 *   wf_session_set_writable(s, 1, &err);       // ... the step that writes
 *   if (wf_session_launch(s, &err) < 0) ...    // err.kind == WF_ERR_CANCELLED on Ctrl-C
 *   guestfs_h *g = wf_session_guestfs(s);
 *   wf_session_close(s);
 *
 * wf_session_cancel() may be called from a signal handler or another
 * thread: a running launch is stopped (its qemu killed) and returns
 * WF_ERR_CANCELLED; a running upload/download is cancelled.
 */
#ifndef WF_SESSION_H
#define WF_SESSION_H

#include "error.h"
#include "image.h"

typedef struct guestfs_h guestfs_h;
struct wf_session;

/* Called with one-line status messages during launch ("starting the
 * appliance (TCG)"), from the launching thread.  `important` is set for
 * what the operator must be told even in batch mode (the KVM->TCG
 * fallback); the rest is progress. */
typedef void (*wf_session_notify)(void *ud, const char *msg, int important);

struct wf_session *wf_session_new(struct wf_error *e);
void wf_session_set_notify(struct wf_session *s, wf_session_notify fn, void *ud);
/* Add a disk (before launch).  The format is passed explicitly. */
int wf_session_add(struct wf_session *s, const struct wf_image *img,
		   int readonly, struct wf_error *e);
int wf_session_launch(struct wf_session *s, struct wf_error *e);
void wf_session_cancel(struct wf_session *s);
int wf_session_cancelled(const struct wf_session *s);
guestfs_h *wf_session_guestfs(struct wf_session *s);
/* The note left by a KVM->TCG fallback, or NULL. */
const char *wf_session_note(const struct wf_session *s);
/* Whether the appliance runs under TCG. */
int wf_session_tcg(const struct wf_session *s);
/* Drives added writable are write-protected inside the appliance from the
 * launch on (the kernel's read-only flag on their block devices, which
 * covers their partitions): nothing - a mount, a stray call - can write
 * to them until the caller lifts it for the step that writes, and puts it
 * back after (fixrun.c: apply and undo).  No-op without writable drives. */
int wf_session_set_writable(struct wf_session *s, int on, struct wf_error *e);
/* Whether a drive was added writable. */
int wf_session_has_writable(const struct wf_session *s);
/* The appliance device of drive number i, in the order added ("/dev/sdb"
 * for the second), malloc'd; NULL when there is no such drive. */
char *wf_session_device(struct wf_session *s, size_t i);
/* Seconds the launch took. */
double wf_session_launch_seconds(const struct wf_session *s);
void wf_session_close(struct wf_session *s);

#endif
