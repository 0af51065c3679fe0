/*
 * bcd.h - what a guest's Boot Configuration Data store says about driver
 * signatures: is test signing on for the Windows that boots by default?
 *
 * The BCD store is a registry hive (regf): \Boot\BCD on the active
 * partition of a BIOS machine (the "System Reserved" partition or C:),
 * \EFI\Microsoft\Boot\BCD on the EFI system partition.  Objects are keys
 * Objects\{GUID}; an element is Objects\{GUID}\Elements\<8 hex digits>
 * with its data in the value "Element".
 *
 *   struct wf_bcd b;
 *   wf_bcd_read(hive, &b);
 *   if (b.testsigning == 1) ...             // on; 0 off; -1 cannot tell (b.why)
 *   char *key = wf_bcd_testsigning_key(&b); // where to turn it on (malloc'd)
 */
#ifndef WF_BCD_H
#define WF_BCD_H

#include <stddef.h>

struct wf_hive;

/* The Windows Boot Manager object: {bootmgr}. */
#define WF_BCD_BOOTMGR "{9dea862c-5cdd-4e70-acc1-f32b344d4795}"
/* BcdBootMgrObject_DefaultObject: the loader that boots by default (REG_SZ GUID). */
#define WF_BCD_EL_DEFAULT "23000003"
/* BcdLibraryBoolean_AllowPrereleaseSignatures: `bcdedit /set testsigning on`. */
#define WF_BCD_EL_TESTSIGNING "16000049"
/* BcdOSLoaderBoolean... / BcdLibraryBoolean_DisableIntegrityChecks: `nointegritychecks`. */
#define WF_BCD_EL_NOINTEGRITY "16000048"

struct wf_bcd {
	char loader[40];	/* default loader object "{...}", "" when unknown */
	int testsigning;	/* 1 on, 0 off (absent or 0), -1 unknown */
	int nointegritychecks;	/* the same for 16000048 */
	char why[200];		/* testsigning -1: why */
};

/* Read the store.  Never fails: what it cannot tell is -1 with `why`. */
void wf_bcd_read(struct wf_hive *h, struct wf_bcd *out);

/* "Objects\{loader}\Elements\16000049" for b->loader; NULL when unknown. */
char *wf_bcd_testsigning_key(const struct wf_bcd *b);

/* Guest paths where Windows keeps the store, in the order tried. */
extern const char *const wf_bcd_paths[];
extern const size_t wf_n_bcd_paths;

#endif
