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

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

int wf_gpt_header(const void *buf, size_t len, struct wf_gpt *t)
{
	const uint8_t *s = buf;
	memset(t, 0, sizeof *t);
	if (!s || len < 92 || memcmp(s, "EFI PART", 8) != 0 || le32(s + 12) < 92)
		return -1;
	uint32_t n = le32(s + 80), size = le32(s + 84);
	/* 128 * 2^n bytes per entry (UEFI spec 2.x §5.3.2); 4 KiB is plenty */
	if (size < 128 || size > 4096 || (size & (size - 1)) || n == 0 || le64(s + 72) < 2)
		return -1;
	t->alternate = le64(s + 32);
	t->entries_lba = le64(s + 72);
	t->entry_size = size;
	t->n = n < WF_GPT_MAX ? n : WF_GPT_MAX;
	return 0;
}

/* The EFI system partition's type GUID C12A7328-F81F-11D2-BA4B-00A0C93EC93B
 * as an EFI_GUID stores it (UEFI spec §5.3.3, Appendix A). */
static const uint8_t esp_type[16] = {
	0x28, 0x73, 0x2A, 0xC1, 0x1F, 0xF8, 0xD2, 0x11,
	0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B,
};

void wf_gpt_entries(const void *buf, size_t len, struct wf_gpt *t)
{
	static const uint8_t unused[16];
	const uint8_t *s = buf;
	for (unsigned i = 0; s && i < t->n && (size_t)(i + 1) * t->entry_size <= len; i++) {
		const uint8_t *e = s + (size_t)i * t->entry_size;
		if (memcmp(e, unused, 16) == 0)
			continue;
		t->start[i + 1] = le64(e + 32);
		if (!t->esp && memcmp(e, esp_type, 16) == 0)
			t->esp = (int)i + 1;
	}
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
