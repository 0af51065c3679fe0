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
 *   struct wf_gpt t;                      // sectors 1.. of a GPT disk
 *   if (wf_gpt_header(sector1, 512, &t) == 0)
 *           wf_gpt_entries(entries, len, &t);   // t.esp, t.start[n]
 *
 * Layouts: MBR partition table at 0x1BE, four 16-byte entries (boot flag
 * 0x80, type at +4, start LBA at +8, sectors at +12), signature 55 AA at
 * 0x1FE; bytes 0-439 are boot code (MS "Master Boot Record",
 * learn.microsoft.com windows-server/storage disk-management docs; UEFI
 * spec 2.x §5.2.1 "Legacy MBR").  NTFS boot sector: OEM id "NTFS    " at
 * 3, bytes per sector at 0x0B, sectors per track at 0x18, heads at 0x1A,
 * hidden sectors at 0x1C, total sectors at 0x28 (MS "NTFS boot sector",
 * TechNet cc781134 "How NTFS Works").  GPT (UEFI spec 2.x §5.3): header
 * at LBA 1, signature "EFI PART", header size at 12, alternate (backup)
 * header LBA at 32, partition entry array LBA at 72, number of entries at
 * 80, entry size at 84 (128 * 2^n); an entry has its type GUID at 0 (an
 * EFI_GUID: three little-endian fields, then 8 bytes as stored, Appendix
 * A), starting LBA at 32; an all-zero type GUID is an unused entry.
 * Linux - and so libguestfs - numbers a GPT partition by its entry's
 * index, counting from 1.
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

/* GPT entries read at most: what a disk Windows made has (128). */
#define WF_GPT_MAX 128

struct wf_gpt {
	uint64_t alternate;	/* backup header LBA: the disk's last sector */
	uint64_t entries_lba;	/* where the partition entry array starts */
	unsigned n, entry_size;	/* entries (capped at WF_GPT_MAX), bytes each */
	int esp;		/* 1-based EFI system partition, 0 none */
	uint64_t start[WF_GPT_MAX + 1];	/* start[k]: partition k's first LBA, 0 unused */
};

/* Parse the header sector (LBA 1); -1 without the signature or with an
 * entry size or count no Windows writes. */
int wf_gpt_header(const void *buf, size_t len, struct wf_gpt *t);

/* The entry array read from t->entries_lba: fills esp and start[] for the
 * entries that `len` holds (the caller reads n * entry_size bytes). */
void wf_gpt_entries(const void *buf, size_t len, struct wf_gpt *t);

#endif
