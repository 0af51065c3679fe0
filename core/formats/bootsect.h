/*
 * bootsect.h - the first sector of a disk (MBR) and of an NTFS volume
 * (its BIOS Parameter Block), as BIOS boot code reads them.
 *
 *   struct wf_mbr m;
 *   if (wf_mbr_parse(sector0, 512, &m) == 0 && m.active) ...
 *   struct wf_ntfs_bpb b;
 *   if (wf_ntfs_bpb_parse(vbr, 512, &b) == 0) b.heads, b.spt, b.hidden
 *   unsigned h, s;
 *   wf_bios_lba_geometry(disk_bytes / 512, &h, &s);
 *
 * Layouts: MBR partition table at 0x1BE, four 16-byte entries (boot flag
 * 0x80, type at +4, start LBA at +8, sectors at +12), signature 55 AA at
 * 0x1FE; bytes 0-439 are boot code (MS "Master Boot Record",
 * learn.microsoft.com windows-server/storage disk-management docs; UEFI
 * spec 2.x §5.2.1 "Legacy MBR").  NTFS boot sector: OEM id "NTFS    " at
 * 3, bytes per sector at 0x0B, sectors per track at 0x18, heads at 0x1A,
 * hidden sectors at 0x1C, total sectors at 0x28 (MS "NTFS boot sector",
 * TechNet cc781134 "How NTFS Works").
 */
#ifndef WF_BOOTSECT_H
#define WF_BOOTSECT_H

#include <stddef.h>
#include <stdint.h>

struct wf_mbr_entry {
	uint8_t boot;		/* 0x80 active */
	uint8_t type;		/* 0x07 NTFS, 0xEE GPT protective, 0xEF EFI system */
	uint32_t lba, sectors;
};

struct wf_mbr {
	int has_code;		/* some byte of 0..439 is not zero */
	struct wf_mbr_entry p[4];
	int active;		/* 1-based entry with the boot flag, 0 none */
	int protective;		/* an 0xEE entry: the disk is GPT */
	int esp;		/* 1-based 0xEF entry, 0 none */
};

/* -1 when shorter than 512 bytes or without the 55 AA signature. */
int wf_mbr_parse(const void *buf, size_t len, struct wf_mbr *m);

struct wf_ntfs_bpb {
	unsigned bytes_per_sector;
	unsigned spt, heads;	/* sectors per track, heads */
	uint32_t hidden;	/* sectors before the volume */
	uint64_t total;		/* sectors in the volume */
};

/* -1 when not an NTFS boot sector (OEM id) or shorter than 512 bytes. */
int wf_ntfs_bpb_parse(const void *buf, size_t len, struct wf_ntfs_bpb *b);

/* The BIOS's LBA-assisted translation for a disk of `sectors` 512-byte
 * sectors: 63 sectors per track and the smallest of 16, 32, 64, 128
 * heads that keeps the cylinders at 1024 or fewer, else 255 (the
 * translation SeaBIOS applies to the disks QEMU presents; virt-v2v's
 * convert_windows sets the XP/2000 NTFS heads by the same size steps). */
void wf_bios_lba_geometry(uint64_t sectors, unsigned *heads, unsigned *spt);

#endif
