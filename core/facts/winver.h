/*
 * winver.h - which Windows: product, release, edition, client/server,
 * version, build, control set, hostname - read from the SOFTWARE and
 * SYSTEM hives (libguestfs 1.48 has no build id, and Windows 11 still says
 * "Windows 10" in ProductName: the build number tells, >= 22000).
 */
#ifndef WF_WINVER_H
#define WF_WINVER_H

#include "error.h"

struct wf_hive;

struct wf_winver {
	char *product_name;	/* ProductName as stored */
	char *display_name;	/* corrected: "Windows 11 Pro" when ProductName says 10 */
	char *release;		/* "Windows 11", "Windows Server 2019", "Windows XP" */
	char *osinfo;		/* libosinfo-style id: "win11", "win2k19", "winxp" */
	char *edition;		/* EditionID, NULL before Vista */
	char *installation_type;	/* "Client", "Server", "Server Core", NULL */
	int server;
	unsigned major, minor, build, ubr;
	char *display_version;	/* "22H2", NULL before 20H2 */
	char *csd_version;	/* "Service Pack 3" */
	char *arch;		/* "i386", "x86_64", "aarch64" (set by the caller from cmd.exe) */
	char *ccs;		/* "ControlSet001" */
	unsigned sel_current, sel_default, sel_lkg, sel_failed;
	char *hostname;
	char *product_type;	/* SYSTEM ProductOptions: WinNT / ServerNT / LanmanNT */
};

/* Read SOFTWARE\Microsoft\Windows NT\CurrentVersion.  Error when the key
 * is missing (the hive is not a Windows SOFTWARE hive). */
int wf_winver_read_software(struct wf_hive *sw, struct wf_winver *v,
			    struct wf_error *e);
/* Read Select, ProductOptions, hostname, PROCESSOR_ARCHITECTURE. */
int wf_winver_read_system(struct wf_hive *sys, struct wf_winver *v,
			  struct wf_error *e);
/* Derive release/osinfo/display_name once both hives are read. */
void wf_winver_finish(struct wf_winver *v);
void wf_winver_free(struct wf_winver *v);

/* major*100+minor, as WF_WINVER() in controllers.h */
unsigned wf_winver_code(const struct wf_winver *v);

/* Windows facts from a SYSTEM hive alone (no SOFTWARE): control set,
 * Select, arch (wf_winver_read_system) and the version inferred from what
 * the hive holds: a DriverDatabase (8 and later; the in-box machine.inf
 * package's Version gives major.minor.build), a CriticalDeviceDatabase (7
 * and earlier: vhdmp -> 7, volmgr -> Vista, else XP/2003), CSDVersion,
 * ProductOptions.  `how` gets one line saying what was inferred from what. */
int wf_winver_infer_system(struct wf_hive *sys, struct wf_winver *v,
			   char *how, size_t n, struct wf_error *e);

#endif
