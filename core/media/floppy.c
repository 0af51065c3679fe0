/*
 * floppy.c - FAT12 1.44 MB floppy images (see floppy.h).
 */
#include "floppy.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	SECTOR = 512,
	SECTORS = 2880,
	FAT_SECTORS = 9,
	ROOT_ENTRIES = 224,
	ROOT_SECTORS = ROOT_ENTRIES * 32 / SECTOR,		/* 14 */
	FAT1 = 1,						/* first FAT's sector */
	ROOT = FAT1 + 2 * FAT_SECTORS,				/* 19 */
	DATA = ROOT + ROOT_SECTORS,				/* 33 = cluster 2 */
	CLUSTERS = SECTORS - DATA,				/* 2847 */
};

static void put16(unsigned char *p, unsigned v) { p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; }

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static void boot_sector(unsigned char *b, const char *label)
{
	static const unsigned char jump[3] = { 0xEB, 0x3C, 0x90 };
	memcpy(b, jump, 3);
	memcpy(b + 3, "VWINFIX ", 8);
	put16(b + 11, SECTOR);
	b[13] = 1;			/* sectors per cluster */
	put16(b + 14, 1);		/* reserved sectors */
	b[16] = 2;			/* FATs */
	put16(b + 17, ROOT_ENTRIES);
	put16(b + 19, SECTORS);
	b[21] = 0xF0;			/* media: 3.5" 1.44 MB */
	put16(b + 22, FAT_SECTORS);
	put16(b + 24, 18);		/* sectors per track */
	put16(b + 26, 2);		/* heads */
	b[38] = 0x29;			/* extended boot signature */
	put32(b + 39, 0x57494E46);	/* volume serial */
	char lab[12];
	snprintf(lab, sizeof lab, "%-11.11s", label);
	memcpy(b + 43, lab, 11);
	memcpy(b + 54, "FAT12   ", 8);
	b[62] = 0xEB;			/* not bootable: the code is a loop */
	b[63] = 0xFE;
	b[510] = 0x55;
	b[511] = 0xAA;
}

static void fat_set(unsigned char *fat, unsigned n, unsigned v)
{
	unsigned char *p = fat + n * 3 / 2;
	if (n & 1) {
		p[0] = (unsigned char)((p[0] & 0x0f) | ((v << 4) & 0xf0));
		p[1] = (unsigned char)(v >> 4);
	} else {
		p[0] = (unsigned char)v;
		p[1] = (unsigned char)((p[1] & 0xf0) | ((v >> 8) & 0x0f));
	}
}

/* "viostor.sys" -> "VIOSTOR SYS"; -1 when not 8.3. */
static int name83(const char *name, char out[11])
{
	memset(out, ' ', 11);
	const char *dot = strrchr(name, '.');
	size_t base = dot ? (size_t)(dot - name) : strlen(name);
	size_t ext = dot ? strlen(dot + 1) : 0;
	if (!base || base > 8 || ext > 3)
		return -1;
	for (size_t i = 0; i < base + (dot ? 1 + ext : 0); i++) {
		unsigned char c = (unsigned char)name[i];
		if (name + i == dot)
			continue;
		if (c <= ' ' || c >= 0x7f || strchr("\"*+,./:;<=>?[\\]|", c))
			return -1;
		if (name + i < (dot ? dot : name + base))
			out[i] = (char)toupper(c);
		else
			out[8 + (name + i - dot - 1)] = (char)toupper(c);
	}
	return 0;
}

static void dir_entry(unsigned char *d, const char n83[11], unsigned char attr,
		      unsigned cluster, uint32_t size)
{
	memcpy(d, n83, 11);
	d[11] = attr;
	put16(d + 22, 0);		/* time 00:00:00 */
	put16(d + 24, (46u << 9) | (1u << 5) | 1u);	/* 2026-01-01 */
	put16(d + 16, (46u << 9) | (1u << 5) | 1u);
	put16(d + 18, (46u << 9) | (1u << 5) | 1u);
	put16(d + 26, cluster);
	put32(d + 28, size);
}

int wf_floppy_build(unsigned char *img, const char *label,
		    const struct wf_floppy_file *f, size_t n, struct wf_error *e)
{
	memset(img, 0, WF_FLOPPY_BYTES);
	boot_sector(img, label);
	unsigned char *fat = img + FAT1 * SECTOR, *root = img + ROOT * SECTOR;
	fat_set(fat, 0, 0xFF0);
	fat_set(fat, 1, 0xFFF);
	char lab[12];
	snprintf(lab, sizeof lab, "%-11.11s", label);
	for (char *c = lab; *c; c++)
		*c = (char)toupper((unsigned char)*c);
	dir_entry(root, lab, 0x08, 0, 0);	/* volume label */
	if (n + 1 > ROOT_ENTRIES)
		return wf_error_set(e, WF_ERR_INPUT, "floppy: too many files (%zu)", n);
	unsigned next = 2;
	for (size_t i = 0; i < n; i++) {
		char n83[11];
		if (name83(f[i].name, n83) < 0)
			return wf_error_set(e, WF_ERR_INPUT, "floppy: %s is not an 8.3 name", f[i].name);
		unsigned need = (unsigned)((f[i].len + SECTOR - 1) / SECTOR);
		if (next - 2 + need > CLUSTERS)
			return wf_error_set(e, WF_ERR_INPUT,
					    "floppy: the files do not fit on a 1.44 MB floppy (at %s)",
					    f[i].name);
		dir_entry(root + 32 * (i + 1), n83, 0x20, need ? next : 0, (uint32_t)f[i].len);
		memcpy(img + (size_t)(DATA + next - 2) * SECTOR, f[i].data, f[i].len);
		for (unsigned k = 0; k < need; k++)
			fat_set(fat, next + k, k + 1 < need ? next + k + 1 : 0xFFF);
		next += need;
	}
	memcpy(fat + FAT_SECTORS * SECTOR, fat, FAT_SECTORS * SECTOR);	/* second FAT */
	return 0;
}

int wf_floppy_write(const char *path, const char *label,
		    const struct wf_floppy_file *f, size_t n, struct wf_error *e)
{
	unsigned char *img = malloc(WF_FLOPPY_BYTES);
	if (!img)
		return wf_error_set(e, WF_ERR_INTERNAL, "out of memory");
	int r = wf_floppy_build(img, label, f, n, e);
	if (r == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			r = wf_error_set(e, WF_ERR_USAGE, "%s: %s", path, strerror(errno));
		else {
			ssize_t w = write(fd, img, WF_FLOPPY_BYTES);
			if (w != (ssize_t)WF_FLOPPY_BYTES || fsync(fd) < 0)
				r = wf_error_set(e, WF_ERR_INPUT, "%s: write failed", path);
			if (close(fd) < 0 && r == 0)
				r = wf_error_set(e, WF_ERR_INPUT, "%s: %s", path, strerror(errno));
			if (r < 0)
				unlink(path);
		}
	}
	free(img);
	return r;
}
