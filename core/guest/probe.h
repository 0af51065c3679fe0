/*
 * probe.h - what libblkid says about a raw image or block device, before
 * any appliance: partition table, partitions, filesystems, labels, sizes,
 * BitLocker.  Takes milliseconds.  Not possible for qcow2/vmdk/... (their
 * contents are not at fixed offsets); wf_probe_image says so.
 */
#ifndef WF_PROBE_H
#define WF_PROBE_H

#include <stdint.h>
#include "error.h"

struct wf_partition {
	int number;		/* 1-based, as the partition table numbers it */
	uint64_t start, size;	/* bytes */
	char *type;		/* MBR type "0x07" or GPT type GUID */
	char *name;		/* GPT partition name; NULL on MBR */
	char *fstype;		/* "ntfs", "vfat", "ext4", "BitLocker", NULL = none found */
	char *label;
	char *uuid;
};

struct wf_probe {
	char *pttype;		/* "dos", "gpt", NULL when no table */
	char *fstype;		/* whole-disk filesystem when there is no table */
	char *label;
	uint64_t size;
	struct wf_partition *parts;
	size_t n_parts;
	int n_ntfs;		/* NTFS volumes seen */
	int n_bitlocker;	/* BitLocker volumes seen */
};

/* Probe a raw image file or block device.  An unreadable file is an error;
 * a blank disk is not (everything NULL / zero). */
int wf_probe_image(const char *path, struct wf_probe *out, struct wf_error *e);
void wf_probe_free(struct wf_probe *p);

#endif
