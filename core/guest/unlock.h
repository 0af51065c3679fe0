/*
 * unlock.h - open BitLocker volumes with the operator's keys (--key, in
 * virt-inspector's selector syntax) before the Windows search.
 *
 *   --key /dev/sda2:key:RECOVERY-OR-PASSWORD
 *   --key /dev/sda2:file:/path/to/keyfile
 *   --key all:key:PASSWORD          (tried on every BitLocker volume)
 *
 * Each volume libvirt/blkid calls "BitLocker" is opened with
 * guestfs_cryptsetup_open(crypttype "bitlk"), which runs cryptsetup in
 * the appliance (BITLK support: cryptsetup 2.3+); the decrypted device
 * /dev/mapper/bitlkN then holds the NTFS the search finds.  A volume no
 * key opens is an error naming it (WF_ERR_ENCRYPTED).
 */
#ifndef WF_UNLOCK_H
#define WF_UNLOCK_H

#include <stddef.h>

#include "error.h"

typedef struct guestfs_h guestfs_h;

int wf_unlock_bitlocker(guestfs_h *g, const char *const *keys, size_t n,
			int readonly, struct wf_error *e);

/* Split a selector: device ("all" or /dev/...), kind ("key"/"file"),
 * value.  -1 when malformed. */
int wf_key_split(const char *sel, char *dev, size_t dev_n, char *kind,
		 size_t kind_n, const char **value);

#endif
