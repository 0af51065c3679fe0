/*
 * hostdisks.h - the host's block devices an operator may pick as a VM disk.
 *
 *   char **devs = NULL;
 *   size_t n = wf_host_disks(&devs);   // "/dev/sda", "/dev/nvme0n1", ... sorted
 *   ...
 *   wf_host_disks_free(devs, n);
 *
 * Whole disks from /sys/block with a non-zero size and a /dev node; RAM
 * disks, zram, optical and floppy drives are left out.  The caller owns the
 * array and its strings.
 */
#ifndef WF_HOSTDISKS_H
#define WF_HOSTDISKS_H

#include <stddef.h>

size_t wf_host_disks(char ***out);
void wf_host_disks_free(char **v, size_t n);

#endif
