/*
 * image.h - what the operator picked: a disk image file or a block device,
 * and its format, told from magic bytes (never from the file name).
 *
 * libguestfs must be told the format explicitly (auto-detection of a raw
 * image that happens to contain a qcow2 header is a known security hole),
 * so every image goes through wf_image_open() first.
 */
#ifndef WF_IMAGE_H
#define WF_IMAGE_H

#include <stdint.h>
#include "error.h"

enum wf_format {
	WF_FMT_RAW,
	WF_FMT_QCOW2,
	WF_FMT_VMDK,
	WF_FMT_VHD,
	WF_FMT_VHDX,
	WF_FMT_VDI,
	WF_FMT_ISO,
};

struct wf_image {
	char *path;
	enum wf_format format;
	int is_blockdev;
	uint64_t file_size;	/* bytes on the host (device size for block devices) */
	uint64_t virtual_size;	/* guest-visible size; 0 when the header does not say */
	char *external;		/* another host file the image uses (allowed by
				 * --allow-backing, see chain.h), or NULL */
};

/* Check that `path` exists and is readable, and sniff its format.  Errors:
 * missing, a directory, unreadable, empty, too small to be a disk, and an
 * image that uses other host files (backing file, external data file,
 * VMDK extents elsewhere: see chain.h) unless that was allowed. */
int wf_image_open(const char *path, struct wf_image *img, struct wf_error *e);
void wf_image_free(struct wf_image *img);

/* Sniff a format from the first bytes of a file (>= 64 KiB recommended)
 * and, for VHD, its last 512 bytes (`tail` may be NULL). */
enum wf_format wf_format_sniff(const unsigned char *head, size_t n,
			       const unsigned char *tail, size_t tail_n);

/* "raw", "qcow2", "vmdk", "vhd", "vhdx", "vdi", "iso" */
const char *wf_format_name(enum wf_format f);
/* The name qemu and libguestfs use: "raw", "qcow2", "vmdk", "vpc", "vhdx", "vdi", "raw" */
const char *wf_format_qemu(enum wf_format f);

#endif
