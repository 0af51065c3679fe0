/*
 * bzimage.h - where a Linux x86 kernel image (bzImage) keeps its compressed
 * kernel, and whether an uncompressed kernel (vmlinux, ELF) can be booted
 * directly by qemu through its PVH entry point.
 *
 *   struct wf_bzimage b;
 *   if (wf_bzimage_parse(file, len, &b) == 0 && b.zip == WF_KZIP_XZ)
 *           decompress file[b.payload_off .. +b.payload_len] into b.out_len bytes
 *   if (wf_elf_pvh_entry(vmlinux, len, &entry) == 1) ... qemu -kernel vmlinux
 *
 * Layout (Linux Documentation/arch/x86/boot.rst, "The Real-Mode Kernel
 * Header"): setup_sects at 0x1F1 (0 means 4), the magic "HdrS" at 0x202,
 * the boot protocol version at 0x206, and from protocol 2.08 on
 * payload_offset at 0x248 and payload_length at 0x24C, the offset counted
 * from the start of the protected-mode code, which follows the
 * (setup_sects + 1) * 512 bytes of real-mode setup.  The payload's format
 * is told by its magic bytes (same document, "payload_offset").  The
 * kernel build appends the uncompressed size to the compressed data as 4
 * little-endian bytes (scripts/Makefile.lib, size_append; read back by
 * arch/x86/boot/compressed/mkpiggy.c), so they are the payload's last 4.
 *
 * PVH: an ELF note of name "Xen" and type XEN_ELFNOTE_PHYS32_ENTRY (18)
 * gives the 32-bit physical entry point (Xen public/elfnote.h; Linux
 * arch/x86/platform/pvh/head.S emits it when CONFIG_PVH=y); qemu boots an
 * ELF kernel given to -kernel only through that note (hw/i386/x86.c,
 * x86_load_linux: "Error loading uncompressed kernel without PVH ELF Note").
 */
#ifndef WF_BZIMAGE_H
#define WF_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

enum wf_kzip {
	WF_KZIP_OTHER,		/* lzma, bzip2, lzo, lz4, zstd, ...: not decoded here */
	WF_KZIP_GZIP,		/* 1F 8B */
	WF_KZIP_XZ,		/* FD '7' 'z' 'X' 'Z' 00 */
};

struct wf_bzimage {
	unsigned version;	/* boot protocol, 0x0208 = 2.08 */
	size_t payload_off;	/* from the start of the file */
	size_t payload_len;	/* the compressed data and its 4 size bytes */
	uint32_t out_len;	/* uncompressed size, from those 4 bytes */
	enum wf_kzip zip;
};

/* -1 when not a bzImage of protocol 2.08 or later, or when the payload
 * does not lie inside the `len` bytes given. */
int wf_bzimage_parse(const void *buf, size_t len, struct wf_bzimage *b);

/* 1 with the entry point when `buf` is a 64-bit little-endian x86-64 ELF
 * file with a PVH note, 0 when an ELF of that kind without one, -1 when
 * not such an ELF file (or its headers point outside `len`). */
int wf_elf_pvh_entry(const void *buf, size_t len, uint32_t *entry);

const char *wf_kzip_name(enum wf_kzip z);

#endif
