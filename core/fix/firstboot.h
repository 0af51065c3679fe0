/*
 * firstboot.h - the first-boot driver installer virt-winfix leaves in a
 * guest for the drivers it staged for Plug and Play.
 *
 * A script C:\virt-winfix\firstboot.cmd and a service virt-winfix-firstboot
 * (Type 0x10, auto start, LocalSystem) that runs it through cmd.exe.  The
 * script detaches from the service process at once (the SCM kills a
 * process that does not answer it within its timeout), logs to
 * C:\virt-winfix\firstboot.log, installs every staged INF with pnputil
 * ("/add-driver X /install" on 10 1607 and later, "-i -a X" before), and
 * removes the service when all installed, or after 3 attempts (one per
 * boot) whatever happened: it never reboots the guest itself except once,
 * after removing itself, when pnputil said a reboot is needed (3010) - so
 * it can never loop rebooting (virt-v2v's firstboot has no such limit: a
 * driver that never installs reboot-loops, virt-v2v issue #178).
 * XP and 2003 have no pnputil: DevicePath alone lets the New Hardware
 * wizard find the staged drivers; no service is installed there.
 */
#ifndef WF_FIRSTBOOT_H
#define WF_FIRSTBOOT_H

#include "error.h"

struct wf_fixctx;
struct wf_plan;

#define WF_FIRSTBOOT_SERVICE "virt-winfix-firstboot"
#define WF_FIRSTBOOT_TRIES 3
/* Guest folder (system volume) of staged drivers. */
#define WF_STAGE_DIR "/virt-winfix/drivers"

/* The script text (CRLF line ends) for this Windows build. malloc'd. */
char *wf_firstboot_script(unsigned build);

/* Plan the script and the service (both control sets), once per plan.
 * On XP/2003 plans nothing and returns 0. */
int wf_firstboot_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      struct wf_error *e);

/* Add "%SystemDrive%\virt-winfix\drivers\<drv>" to SOFTWARE's DevicePath
 * (kept REG_EXPAND_SZ; created as "%SystemRoot%\inf;..." when absent). */
int wf_devicepath_plan(struct wf_fixctx *c, struct wf_plan *p, const char *drv,
		       const char *fix, struct wf_error *e);

#endif
