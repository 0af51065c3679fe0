/*
 * hosttmp.h - the run's private temporary folder.
 *
 * Every child virt-winfix starts (supermin building the appliance, qemu,
 * qemu-img, cabextract) and every file it extracts from a guest writes its
 * temporary files under one folder made at start, "$TMPDIR/virt-winfix.XXXXXX"
 * (mode 0700).  The process's TMPDIR points at it, so children inherit it,
 * and it is removed with everything in it when the process exits, whatever
 * stage was interrupted: a supermin killed by Ctrl-C while it builds the
 * appliance leaves its "supermin.*.tmpdir" there, not in the shared /tmp.
 *
 *   if (!wf_host_tmp_init(&err)) ... (first thing in main, before threads)
 *
 * The libguestfs appliance cache is not temporary: it stays where
 * libguestfs would have put it with the original environment
 * (wf_host_tmp_cachedir).
 */
#ifndef WF_HOSTTMP_H
#define WF_HOSTTMP_H

#include "error.h"

/* Create the folder, set TMPDIR to it and register its removal at exit.
 * Returns its path, or NULL with `e` (TMPDIR then unchanged).  A second
 * call returns the same folder. */
const char *wf_host_tmp_init(struct wf_error *e);

/* The folder, or NULL before wf_host_tmp_init. */
const char *wf_host_tmp_dir(void);

/* Where libguestfs keeps its appliance cache when the environment does
 * not say (no LIBGUESTFS_CACHEDIR): the TMPDIR in effect before
 * wf_host_tmp_init, else /var/tmp, as libguestfs itself decides.  NULL
 * when LIBGUESTFS_CACHEDIR is set (libguestfs reads it) or before init. */
const char *wf_host_tmp_cachedir(void);

/* Remove the folder now (also run at exit; only in the process that made
 * it, never in a forked child).  Idempotent. */
void wf_host_tmp_cleanup(void);

#endif
