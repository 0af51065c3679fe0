/*
 * floppy.h - a 1.44 MB FAT12 floppy image with files in its root folder:
 * the F6 disk of XP / Server 2003 text-mode setup (txtsetup.oem and the
 * driver files), which QEMU attaches as a floppy drive.
 *
 *   struct wf_floppy_file f[] = { { "TXTSETUP.OEM", oem, oem_len }, ... };
 *   wf_floppy_write("f6.img", "VIRTIO", f, n, &err);
 *
 * Layout (Microsoft "FAT: General Overview of On-Disk Format" 1.03, the
 * 3.5" 1.44 MB BPB): 2880 sectors of 512 bytes, 1 reserved (boot) sector,
 * 2 FATs of 9 sectors, 224 root entries (14 sectors), 1 sector per
 * cluster, media byte 0xF0, 18 sectors per track, 2 heads.  Names must be
 * 8.3 (stored upper-case); the image is created with O_EXCL.
 */
#ifndef WF_FLOPPY_H
#define WF_FLOPPY_H

#include <stddef.h>

#include "error.h"

struct wf_floppy_file {
	const char *name;	/* "VIOSTOR.SYS" (8.3) */
	const void *data;
	size_t len;
};

#define WF_FLOPPY_BYTES (2880u * 512u)

/* Build the image in memory (WF_FLOPPY_BYTES into `img`). */
int wf_floppy_build(unsigned char *img, const char *label,
		    const struct wf_floppy_file *f, size_t n, struct wf_error *e);
/* Build and write it to `path` (must not exist). */
int wf_floppy_write(const char *path, const char *label,
		    const struct wf_floppy_file *f, size_t n, struct wf_error *e);

#endif
