#include "bzimage.h"

#include <string.h>

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) { return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16; }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

const char *wf_kzip_name(enum wf_kzip z)
{
	switch (z) {
	case WF_KZIP_GZIP: return "gzip";
	case WF_KZIP_XZ: return "xz";
	default: return "other";
	}
}

static enum wf_kzip kzip_of(const uint8_t *p, size_t n)
{
	static const uint8_t xz[] = { 0xFD, '7', 'z', 'X', 'Z', 0x00 };
	if (n >= sizeof xz && memcmp(p, xz, sizeof xz) == 0)
		return WF_KZIP_XZ;
	if (n >= 2 && p[0] == 0x1F && p[1] == 0x8B)
		return WF_KZIP_GZIP;
	return WF_KZIP_OTHER;
}

int wf_bzimage_parse(const void *buf, size_t len, struct wf_bzimage *b)
{
	const uint8_t *p = buf;
	memset(b, 0, sizeof *b);
	if (len < 0x250 || memcmp(p + 0x202, "HdrS", 4) != 0)
		return -1;
	b->version = le16(p + 0x206);
	if (b->version < 0x0208)
		return -1;
	size_t setup = ((size_t)(p[0x1F1] ? p[0x1F1] : 4) + 1) * 512;
	size_t off = le32(p + 0x248), plen = le32(p + 0x24C);
	if (setup > len || off > len - setup || plen < 8 || plen > len - setup - off)
		return -1;
	b->payload_off = setup + off;
	b->payload_len = plen;
	b->out_len = le32(p + b->payload_off + plen - 4);
	b->zip = kzip_of(p + b->payload_off, plen);
	return 0;
}

/* One PT_NOTE segment's notes: 1 when the PVH one is among them. */
static int notes_pvh(const uint8_t *p, size_t n, uint32_t *entry)
{
	size_t i = 0;
	while (n - i >= 12) {
		uint32_t namesz = le32(p + i), descsz = le32(p + i + 4), type = le32(p + i + 8);
		size_t name = i + 12;
		if (namesz > n - name)
			return 0;
		size_t desc = name + ((namesz + 3u) & ~(size_t)3);
		if (desc > n || descsz > n - desc)
			return 0;
		if (type == 18 && namesz == 4 && memcmp(p + name, "Xen", 4) == 0 && descsz >= 4) {
			*entry = le32(p + desc);
			return 1;
		}
		i = desc + ((descsz + 3u) & ~(size_t)3);
		if (i > n)
			return 0;
	}
	return 0;
}

int wf_elf_pvh_entry(const void *buf, size_t len, uint32_t *entry)
{
	const uint8_t *p = buf;
	/* ELF64 header: class 2, little-endian 1, e_machine 62 (x86-64) at 18,
	 * e_phoff at 32, e_phentsize at 54, e_phnum at 56 (System V gABI) */
	if (len < 64 || memcmp(p, "\177ELF", 4) != 0 || p[4] != 2 || p[5] != 1 ||
	    le16(p + 18) != 62)
		return -1;
	uint64_t phoff = le64(p + 32);
	unsigned phentsize = le16(p + 54), phnum = le16(p + 56);
	if (phentsize < 56 || phnum > 256 || phoff > len ||
	    (uint64_t)phnum * phentsize > len - phoff)
		return -1;
	for (unsigned k = 0; k < phnum; k++) {
		const uint8_t *ph = p + phoff + (uint64_t)k * phentsize;
		uint64_t off = le64(ph + 8), size = le64(ph + 32);	/* p_offset, p_filesz */
		if (le32(ph) != 4 || off > len || size > len - off)	/* PT_NOTE */
			continue;
		if (notes_pvh(p + off, (size_t)size, entry))
			return 1;
	}
	return 0;
}
