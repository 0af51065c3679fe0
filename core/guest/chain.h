/*
 * chain.h - what other host files a disk image makes qemu open.
 *
 * A qcow2 may name a backing file or an external data file; a VMDK
 * descriptor names its extents; each is opened (and, for a writable
 * launch, written) by qemu as root.  A crafted image can so make `fix`
 * write to another VM's disk.  Before any launch every non-raw image's
 * chain is read with `qemu-img info --output=json --backing-chain` (by
 * absolute path, no shell, bounded time and output, format given) and an
 * image that reaches any file other than itself is refused, unless the
 * operator allowed it (--allow-backing: those files are read and, by a
 * fix, written too).
 *
 *   wf_chain_allow_external(opts.allow_backing);   // once, at start-up
 *   if (wf_chain_check(&img, &err) < 0) ...        // wf_image_open does it
 */
#ifndef WF_CHAIN_H
#define WF_CHAIN_H

#include "error.h"
#include "image.h"

/* The process-wide policy: 0 (the default) refuses external files. */
void wf_chain_allow_external(int yes);
int wf_chain_external_allowed(void);

/* Refuse (WF_ERR_INPUT, one line naming the image and the other file) an
 * image whose chain reaches another file; raw images and block devices
 * reach none.  With the policy set, only notes it in img->external. */
int wf_chain_check(struct wf_image *img, struct wf_error *e);

/* The check on qemu-img's JSON (an array, one object per chain member):
 * *found = the first other file named (malloc'd "backing file /x"), or
 * NULL when none.  `self` is the image's absolute path.  -1 when the JSON
 * is not a chain.  Exposed for tests. */
int wf_chain_find_external(const char *json, const char *self, char **found,
			   struct wf_error *e);

#endif
