#include "bootsect.h"

#include <string.h>

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

int wf_mbr_parse(const void *buf, size_t len, struct wf_mbr *m)
{
	const uint8_t *s = buf;
	memset(m, 0, sizeof *m);
	if (!s || len < 512 || s[510] != 0x55 || s[511] != 0xAA)
		return -1;
	for (size_t i = 0; i < 440 && !m->has_code; i++)
		m->has_code = s[i] != 0;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = s + 0x1BE + 16 * i;
		m->p[i].boot = e[0];
		m->p[i].type = e[4];
		m->p[i].lba = le32(e + 8);
		m->p[i].sectors = le32(e + 12);
		if (!m->p[i].type)
			continue;
		if (e[0] == 0x80 && !m->active)
			m->active = i + 1;
		if (e[4] == 0xEE)
			m->protective = 1;
		if (e[4] == 0xEF && !m->esp)
			m->esp = i + 1;
	}
	return 0;
}

int wf_ntfs_bpb_parse(const void *buf, size_t len, struct wf_ntfs_bpb *b)
{
	const uint8_t *s = buf;
	memset(b, 0, sizeof *b);
	if (!s || len < 512 || memcmp(s + 3, "NTFS    ", 8) != 0)
		return -1;
	b->bytes_per_sector = le16(s + 0x0B);
	b->spt = le16(s + 0x18);
	b->heads = le16(s + 0x1A);
	b->hidden = le32(s + 0x1C);
	b->total = (uint64_t)le32(s + 0x28) | (uint64_t)le32(s + 0x2C) << 32;
	return 0;
}

void wf_bios_lba_geometry(uint64_t sectors, unsigned *heads, unsigned *spt)
{
	static const unsigned steps[] = { 16, 32, 64, 128 };
	*spt = 63;
	*heads = 255;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (sectors <= (uint64_t)1024 * steps[i] * 63) {
			*heads = steps[i];
			return;
		}
}
