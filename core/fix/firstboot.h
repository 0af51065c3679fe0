/*
 * firstboot.h - the first-boot driver installer virt-winfix leaves in a
 * guest for the drivers it staged for Plug and Play.
 *
 * In C:\virt-winfix (the system volume's drive, from SOFTWARE's
 * SystemRoot): wfboot.exe, a real Windows service program built from
 * win/wfboot.c with mingw-w64 for x86 and x64 and embedded in virt-winfix
 * (see win/README.md), and the script firstboot.cmd it runs.  The service
 * virt-winfix-firstboot (Type 0x10 own process, Start 2 auto, ErrorControl
 * 1, LocalSystem, ImagePath "C:\virt-winfix\wfboot.exe" 3 - a fixed
 * path, as `sc create` writes one: nothing depends on which environment
 * variables the SCM can expand that early in the boot) reports
 * RUNNING at once (cmd.exe as a service never did: error 1053 at every
 * boot), counts the attempt in firstboot.tries, runs the script, logs to
 * firstboot.log, and removes itself (service, script, count and program;
 * the log and the staged drivers stay) when the script succeeded or after
 * 3 attempts (one per boot) whatever happened.  The script installs every
 * staged INF with pnputil ("/add-driver X /install" on 10 1607 and later,
 * "-i -a X" before) and exits 0, 3010 (restart needed: the service
 * restarts Windows once, after removing itself, so it can never loop -
 * virt-v2v's firstboot has no such limit, virt-v2v issue #178) or 1.
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

#define WF_FIRSTBOOT_DIR "/virt-winfix"
#define WF_FIRSTBOOT_EXE "wfboot.exe"

/* The service program's bytes, x64 and x86 (generated from win/wfboot.c
 * into build/win/embedded.c by win/embed.sh). */
extern const unsigned char wf_wfboot_x64[], wf_wfboot_x86[];
extern const size_t wf_wfboot_x64_len, wf_wfboot_x86_len;

/* The program for a guest architecture ("i386"/"x86" or "x86_64"/
 * "amd64"; NULL = x64): points into static data.  -1 for others. */
int wf_firstboot_program(const char *arch, const unsigned char **data, size_t *len);

/* The script text (CRLF line ends) for this Windows build. malloc'd. */
char *wf_firstboot_script(unsigned build);

/* Plan the program, the script and the service (both control sets),
 * once per plan (a second call replaces the same actions).
 * On XP/2003 plans nothing and returns 0. */
int wf_firstboot_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      struct wf_error *e);

/* Add "%SystemDrive%\virt-winfix\drivers\<drv>" to SOFTWARE's DevicePath
 * (kept REG_EXPAND_SZ; created as "%SystemRoot%\inf;..." when absent). */
int wf_devicepath_plan(struct wf_fixctx *c, struct wf_plan *p, const char *drv,
		       const char *fix, struct wf_error *e);

#endif
