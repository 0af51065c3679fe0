/*
 * appliance.h - the libguestfs appliance, booted faster: the same supermin
 * appliance libguestfs builds and caches, with its kernel stored
 * uncompressed so that qemu enters it through its PVH entry point.
 *
 * Why: under TCG (software emulation, the only accelerator on hosts where
 * KVM fails) the appliance kernel's own xz decompressor runs emulated and
 * costs seconds before Linux starts.  Measured here (tests/bench/
 * bench_appliance.sh, "bare launch"): a guestfish launch of the standard
 * appliance against the same appliance as a fixed one with the kernel
 * uncompressed, alternating, TCG: 15.9 s against 11.5 s (median of 4).
 *
 * How: libguestfs looks for a "fixed appliance" (a folder with kernel,
 * initrd, root and README.fixed) on its path (guestfs(3), "FIXED
 * APPLIANCE"; lib/appliance.c, search_appliance).  We make one beside
 * libguestfs' cache, <cachedir>/.guestfs-<uid>/winfix-pvh/<key>, where
 * `kernel` is the vmlinux decompressed from appliance.d/kernel and
 * `initrd` and `root` are hard links to appliance.d's (so a rebuild of
 * appliance.d, which supermin makes by renaming a new folder in, never
 * pairs our kernel with another build's modules).  <key> names the build
 * of appliance.d (its folder's inode and mtime, its files' inodes and
 * sizes).
 *
 * When: only when libguestfs itself would not rebuild the appliance now,
 * by supermin's own test (supermin.ml, --if-newer: rebuild unless the
 * supermin.d input and the package database are both older than
 * appliance.d; the database is dpkg's status file, or rpm's rpmdb.sqlite
 * or Packages).  Otherwise, or when anything here fails, the caller
 * launches the standard appliance, which lets supermin rebuild it; the
 * next launch then derives the new one.
 */
#ifndef WF_APPLIANCE_H
#define WF_APPLIANCE_H

struct wf_appliance_src {
	const char *cache;	/* libguestfs' <cachedir>/.guestfs-<uid> */
	const char *supermin_d;	/* <libguestfs path>/supermin.d */
	const char *const *pkgdb;	/* NULL: dpkg, rpm (see above) */
};

/* The fixed appliance folder for the current build of appliance.d, made
 * now if missing (the lock supermin takes is held meanwhile, without
 * waiting).  NULL with a one-line reason in *why (malloc'd) when the
 * standard appliance must be used. */
char *wf_appliance_fast(const struct wf_appliance_src *src, char **why);

/* The folder failed to launch: it is marked so and not offered again. */
void wf_appliance_reject(const char *dir);

#endif
