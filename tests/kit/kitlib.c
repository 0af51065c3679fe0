/*
 * kitlib.c - the test kit's minimal registry hive and minimal PE image.
 *
 * Both are written from the published format descriptions (the regf layout
 * as documented by libyal's "Windows NT Registry File (REGF) format" and
 * the Microsoft "PE Format" specification), field by field; no bytes are
 * copied from any existing file.
 */
#include "kitlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* little-endian writers                                               */

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int write_file(const char *path, const void *buf, size_t len,
		      const char *what, struct wf_error *e)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return wf_error_set(e, WF_ERR_INPUT, "%s %s: cannot create: %s",
				    what, path, strerror(errno));
	size_t n = fwrite(buf, 1, len, f);
	int bad = n != len;
	if (fclose(f) != 0)
		bad = 1;
	if (bad)
		return wf_error_set(e, WF_ERR_INPUT, "%s %s: write failed: %s",
				    what, path, strerror(errno));
	return 0;
}

/* ------------------------------------------------------------------ */
/* minimal hive                                                        */

/* A fixed time stamp (2024-01-01 00:00:00 UTC as a FILETIME: 100 ns
 * units since 1601) so that the kit's output is reproducible. */
#define KIT_FILETIME 133485408000000000ULL

#define REGF_BLOCK	0x1000	/* base block size, also the hbin size */
#define HBIN_HDR	0x20	/* hbin header size */
#define NK_FIXED	0x4c	/* nk record up to the name */
#define NK_HIVE_ENTRY	0x0004
#define NK_NO_DELETE	0x0008
#define NK_COMP_NAME	0x0020
#define NONE32		0xffffffffu

/* Build a self-relative security descriptor (MS-DTYP 2.4.6): owner
 * BUILTIN\Administrators, group SYSTEM, a DACL granting KEY_ALL_ACCESS to
 * Administrators and SYSTEM and KEY_READ to Everyone, inherited by
 * subkeys.  Returns its length. */
static size_t put_sid(unsigned char *p, uint8_t authority, int nsub,
		      const uint32_t *sub)
{
	p[0] = 1;			/* revision */
	p[1] = (unsigned char)nsub;	/* SubAuthorityCount */
	memset(p + 2, 0, 6);		/* IdentifierAuthority, big-endian */
	p[7] = authority;
	for (int i = 0; i < nsub; i++)
		put32(p + 8 + 4 * i, sub[i]);
	return 8 + 4 * (size_t)nsub;
}

static size_t put_ace(unsigned char *p, uint32_t mask, uint8_t authority,
		      int nsub, const uint32_t *sub)
{
	p[0] = 0;			/* ACCESS_ALLOWED_ACE_TYPE */
	p[1] = 0x02;			/* CONTAINER_INHERIT_ACE */
	put32(p + 4, mask);
	size_t len = 8 + put_sid(p + 8, authority, nsub, sub);
	put16(p + 2, (uint16_t)len);
	return len;
}

static size_t build_sd(unsigned char *sd)
{
	static const uint32_t admins[] = { 32, 544 }, system[] = { 18 },
		everyone[] = { 0 };
	const uint32_t key_all = 0x000f003f, key_read = 0x00020019;
	size_t off = 20;		/* after the SD header */

	/* DACL */
	size_t dacl = off;
	size_t p = dacl + 8;
	p += put_ace(sd + p, key_all, 5, 2, admins);
	p += put_ace(sd + p, key_all, 5, 1, system);
	p += put_ace(sd + p, key_read, 1, 1, everyone);
	sd[dacl] = 2;			/* ACL_REVISION */
	sd[dacl + 1] = 0;
	put16(sd + dacl + 2, (uint16_t)(p - dacl));
	put16(sd + dacl + 4, 3);	/* AceCount */
	put16(sd + dacl + 6, 0);
	size_t owner = p;
	p += put_sid(sd + p, 5, 2, admins);
	size_t group = p;
	p += put_sid(sd + p, 5, 1, system);

	sd[0] = 1;			/* revision */
	sd[1] = 0;
	put16(sd + 2, 0x8004);		/* SE_SELF_RELATIVE | SE_DACL_PRESENT */
	put32(sd + 4, (uint32_t)owner);
	put32(sd + 8, (uint32_t)group);
	put32(sd + 12, 0);		/* no SACL */
	put32(sd + 16, (uint32_t)dacl);
	return p;
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int kit_write_minimal_hive(const char *path, const char *root_name,
			   struct wf_error *e)
{
	if (!root_name)
		root_name = "$$$PROTO.HIV";
	size_t name_len = strlen(root_name);
	if (name_len == 0 || name_len > 255)
		return wf_error_set(e, WF_ERR_USAGE,
				    "hive %s: root key name must be 1-255 characters",
				    path);
	for (size_t i = 0; i < name_len; i++)
		if ((unsigned char)root_name[i] < 0x20 ||
		    (unsigned char)root_name[i] > 0x7e || root_name[i] == '\\')
			return wf_error_set(e, WF_ERR_USAGE,
					    "hive %s: root key name \"%s\" must be printable ASCII without '\\'",
					    path, root_name);

	unsigned char *f = calloc(1, 2 * REGF_BLOCK);
	if (!f)
		return wf_error_set(e, WF_ERR_INTERNAL, "out of memory");
	unsigned char *bin = f + REGF_BLOCK;

	/* Cell offsets are relative to the first hbin. */
	uint32_t nk_off = HBIN_HDR;
	size_t nk_cell = align8(4 + NK_FIXED + name_len);
	uint32_t sk_off = nk_off + (uint32_t)nk_cell;
	unsigned char sd[256];
	size_t sd_len = build_sd(sd);
	size_t sk_cell = align8(4 + 0x14 + sd_len);
	uint32_t free_off = sk_off + (uint32_t)sk_cell;
	if (free_off + 8 > REGF_BLOCK) {
		free(f);
		return wf_error_set(e, WF_ERR_INTERNAL, "hive %s: root key too large", path);
	}

	/* hbin header */
	memcpy(bin, "hbin", 4);
	put32(bin + 0x04, 0);			/* offset of this hbin */
	put32(bin + 0x08, REGF_BLOCK);		/* size */
	put64(bin + 0x14, KIT_FILETIME);

	/* root nk: allocated cells have a negative size */
	unsigned char *c = bin + nk_off;
	put32(c, (uint32_t)-(int32_t)nk_cell);
	unsigned char *nk = c + 4;
	memcpy(nk, "nk", 2);
	put16(nk + 0x02, NK_HIVE_ENTRY | NK_NO_DELETE | NK_COMP_NAME);
	put64(nk + 0x04, KIT_FILETIME);
	put32(nk + 0x0c, 0);			/* access bits */
	put32(nk + 0x10, 0);			/* parent (none for the root) */
	put32(nk + 0x14, 0);			/* subkeys */
	put32(nk + 0x18, 0);			/* volatile subkeys */
	put32(nk + 0x1c, NONE32);		/* subkey list */
	put32(nk + 0x20, NONE32);		/* volatile subkey list */
	put32(nk + 0x24, 0);			/* values */
	put32(nk + 0x28, NONE32);		/* value list */
	put32(nk + 0x2c, sk_off);		/* security key */
	put32(nk + 0x30, NONE32);		/* class name */
	/* 0x34..0x47: largest subkey name/class, value name/data, work var = 0 */
	put16(nk + 0x48, (uint16_t)name_len);
	put16(nk + 0x4a, 0);			/* class name length */
	memcpy(nk + NK_FIXED, root_name, name_len);

	/* sk: a ring of one, referenced by the root */
	c = bin + sk_off;
	put32(c, (uint32_t)-(int32_t)sk_cell);
	unsigned char *sk = c + 4;
	memcpy(sk, "sk", 2);
	put16(sk + 0x02, 0);
	put32(sk + 0x04, sk_off);		/* flink */
	put32(sk + 0x08, sk_off);		/* blink */
	put32(sk + 0x0c, 1);			/* reference count */
	put32(sk + 0x10, (uint32_t)sd_len);
	memcpy(sk + 0x14, sd, sd_len);

	/* the rest of the hbin: one free cell (positive size) */
	put32(bin + free_off, REGF_BLOCK - free_off);

	/* base block */
	memcpy(f, "regf", 4);
	put32(f + 0x04, 1);			/* primary sequence number */
	put32(f + 0x08, 1);			/* secondary: equal = clean */
	put64(f + 0x0c, KIT_FILETIME);
	put32(f + 0x14, 1);			/* major version */
	put32(f + 0x18, 5);			/* minor version */
	put32(f + 0x1c, 0);			/* type: primary file */
	put32(f + 0x20, 1);			/* format: direct memory load */
	put32(f + 0x24, nk_off);		/* root cell offset */
	put32(f + 0x28, REGF_BLOCK);		/* hive bins data size */
	put32(f + 0x2c, 1);			/* clustering factor */
	/* file name: the last 31 characters of the path, UTF-16LE */
	size_t plen = strlen(path);
	const char *tail = plen > 31 ? path + plen - 31 : path;
	for (size_t i = 0; tail[i]; i++)
		put16(f + 0x30 + 2 * i, (unsigned char)tail[i]);
	uint32_t sum = 0;
	for (size_t i = 0; i < 0x1fc; i += 4)
		sum ^= get32(f + i);
	if (sum == 0xffffffffu)
		sum = 0xfffffffeu;
	else if (sum == 0)
		sum = 1;
	put32(f + 0x1fc, sum);

	int r = write_file(path, f, 2 * REGF_BLOCK, "hive", e);
	free(f);
	return r;
}

/* ------------------------------------------------------------------ */
/* minimal PE                                                          */

#define PE_FILE_ALIGN	0x200
#define PE_SECT_ALIGN	0x1000
#define PE_LFANEW	0x80
#define TEXT_RVA	0x1000
#define IDATA_RVA	0x2000

static size_t round_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

/* The function each imported module contributes (a name the module really
 * exports, so that the table reads naturally in objdump). */
static const struct {
	const char *module, *function;
} kit_import_funcs[] = {
	{ "ntoskrnl.exe", "IoCreateDevice" },
	{ "hal.dll", "KeGetCurrentIrql" },
	{ "storport.sys", "StorPortInitialize" },
	{ "scsiport.sys", "ScsiPortInitialize" },
	{ "ndis.sys", "NdisMRegisterMiniportDriver" },
	{ "wdfldr.sys", "WdfVersionBind" },
	{ "kernel32.dll", "ExitProcess" },
	{ "msvcrt.dll", "exit" },
};

static const char *import_function(const char *module)
{
	for (size_t i = 0; i < sizeof kit_import_funcs / sizeof kit_import_funcs[0]; i++)
		if (strcasecmp(module, kit_import_funcs[i].module) == 0)
			return kit_import_funcs[i].function;
	return "Dummy";
}

/* The PE checksum (as computed by the loader's CheckSumMappedFile): a
 * 16-bit one's-complement sum of the file with the CheckSum field taken as
 * zero, plus the file length. */
static uint32_t pe_checksum(const unsigned char *f, size_t len, size_t csum_off)
{
	uint64_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		if (i == csum_off || i == csum_off + 2)
			continue;
		sum += (uint32_t)f[i] | (uint32_t)f[i + 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1) {
		sum += f[len - 1];
		sum = (sum & 0xffff) + (sum >> 16);
	}
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)(sum + len);
}

/* A 16-bit DOS program that prints a line and exits with status 1. */
static size_t put_dos_stub(unsigned char *p)
{
	static const char msg[] = "This is a virt-winfix test image, not a DOS program.\r\n$";
	static const unsigned char code[] = {
		0x0e,			/* push cs */
		0x1f,			/* pop ds */
		0xba, 0x0e, 0x00,	/* mov dx, 0x000e (msg) */
		0xb4, 0x09,		/* mov ah, 9: print string */
		0xcd, 0x21,		/* int 21h */
		0xb8, 0x01, 0x4c,	/* mov ax, 0x4c01: exit(1) */
		0xcd, 0x21,		/* int 21h */
	};
	memcpy(p, code, sizeof code);
	memcpy(p + sizeof code, msg, sizeof msg - 1);
	return sizeof code + sizeof msg - 1;
}

struct idata_layout {
	size_t n;		/* modules */
	size_t desc, ilt, iat, hints, names, size;
	size_t *hint_off, *name_off;	/* per module, relative to the section */
};

static void idata_plan(struct idata_layout *L, const char *const *mods,
		       size_t thunk)
{
	size_t n = 0;
	while (mods && mods[n])
		n++;
	L->n = n;
	L->desc = 0;
	L->ilt = round_up((n + 1) * 20, 8);
	L->iat = L->ilt + n * 2 * thunk;	/* one entry + terminator each */
	L->hints = L->iat + n * 2 * thunk;
	L->hint_off = calloc(n + 1, sizeof *L->hint_off);
	L->name_off = calloc(n + 1, sizeof *L->name_off);
	size_t p = L->hints;
	for (size_t i = 0; i < n; i++) {
		L->hint_off[i] = p;
		p += round_up(2 + strlen(import_function(mods[i])) + 1, 2);
	}
	L->names = p;
	for (size_t i = 0; i < n; i++) {
		L->name_off[i] = p;
		p += strlen(mods[i]) + 1;
	}
	L->size = p;
}

static void idata_fill(unsigned char *s, const struct idata_layout *L,
		       const char *const *mods, size_t thunk)
{
	for (size_t i = 0; i < L->n; i++) {
		unsigned char *d = s + L->desc + 20 * i;
		size_t ilt = L->ilt + i * 2 * thunk, iat = L->iat + i * 2 * thunk;
		put32(d + 0, (uint32_t)(IDATA_RVA + ilt));	/* OriginalFirstThunk */
		put32(d + 4, 0);				/* TimeDateStamp */
		put32(d + 8, 0);				/* ForwarderChain */
		put32(d + 12, (uint32_t)(IDATA_RVA + L->name_off[i]));
		put32(d + 16, (uint32_t)(IDATA_RVA + iat));	/* FirstThunk */
		/* import by name: the RVA of the hint/name entry, top bit clear */
		uint32_t hn = (uint32_t)(IDATA_RVA + L->hint_off[i]);
		if (thunk == 8) {
			put64(s + ilt, hn);
			put64(s + iat, hn);
		} else {
			put32(s + ilt, hn);
			put32(s + iat, hn);
		}
		const char *fn = import_function(mods[i]);
		put16(s + L->hint_off[i], 0);
		memcpy(s + L->hint_off[i] + 2, fn, strlen(fn) + 1);
		memcpy(s + L->name_off[i], mods[i], strlen(mods[i]) + 1);
	}
}

int kit_write_pe(const char *path, const struct kit_pe *spec, struct wf_error *e)
{
	int plus;
	if (spec->machine == KIT_PE_I386)
		plus = 0;
	else if (spec->machine == KIT_PE_AMD64)
		plus = 1;
	else
		return wf_error_set(e, WF_ERR_USAGE, "PE %s: unsupported machine 0x%04x",
				    path, spec->machine);
	if (spec->subsystem != KIT_PE_NATIVE && spec->subsystem != KIT_PE_GUI &&
	    spec->subsystem != KIT_PE_CONSOLE)
		return wf_error_set(e, WF_ERR_USAGE, "PE %s: unsupported subsystem %u",
				    path, spec->subsystem);
	for (size_t i = 0; spec->imports && spec->imports[i]; i++)
		if (!spec->imports[i][0] || strlen(spec->imports[i]) > 200)
			return wf_error_set(e, WF_ERR_USAGE,
					    "PE %s: import module name must be 1-200 characters",
					    path);

	size_t thunk = plus ? 8 : 4;
	struct idata_layout L;
	idata_plan(&L, spec->imports, thunk);
	if (!L.hint_off || !L.name_off) {
		free(L.hint_off);
		free(L.name_off);
		return wf_error_set(e, WF_ERR_INTERNAL, "out of memory");
	}

	size_t opt_size = plus ? 0xf0 : 0xe0;
	size_t nsect = 2;
	size_t hdr_end = PE_LFANEW + 4 + 20 + opt_size + 40 * nsect;
	size_t size_of_headers = round_up(hdr_end, PE_FILE_ALIGN);
	size_t text_raw = size_of_headers, text_rawsize = PE_FILE_ALIGN;
	size_t idata_raw = text_raw + text_rawsize;
	size_t idata_vsize = L.size ? L.size : 20;
	size_t idata_rawsize = round_up(idata_vsize, PE_FILE_ALIGN);
	size_t file_size = idata_raw + idata_rawsize;
	size_t image_size = round_up(IDATA_RVA + idata_vsize, PE_SECT_ALIGN);

	unsigned char *f = calloc(1, file_size);
	if (!f) {
		free(L.hint_off);
		free(L.name_off);
		return wf_error_set(e, WF_ERR_INTERNAL, "out of memory");
	}

	/* DOS header (the fields a DOS loader needs for the stub) */
	memcpy(f, "MZ", 2);
	put16(f + 0x02, 0x90);		/* bytes on the last page */
	put16(f + 0x04, 3);		/* pages */
	put16(f + 0x08, 4);		/* header size in paragraphs */
	put16(f + 0x0c, 0xffff);	/* max extra paragraphs */
	put16(f + 0x10, 0xb8);		/* initial SP */
	put16(f + 0x18, 0x40);		/* relocation table offset */
	put32(f + 0x3c, PE_LFANEW);	/* e_lfanew */
	put_dos_stub(f + 0x40);

	unsigned char *p = f + PE_LFANEW;
	memcpy(p, "PE\0\0", 4);

	/* COFF file header */
	unsigned char *coff = p + 4;
	uint16_t chars = 0x0001 | 0x0002;	/* RELOCS_STRIPPED | EXECUTABLE_IMAGE */
	if (plus)
		chars |= 0x0020;		/* LARGE_ADDRESS_AWARE */
	else
		chars |= 0x0100;		/* 32BIT_MACHINE */
	if (spec->dll)
		chars |= 0x2000;		/* DLL */
	put16(coff + 0, spec->machine);
	put16(coff + 2, (uint16_t)nsect);
	put32(coff + 4, 0x65920080);		/* TimeDateStamp: fixed */
	put32(coff + 8, 0);
	put32(coff + 12, 0);
	put16(coff + 16, (uint16_t)opt_size);
	put16(coff + 18, chars);

	/* optional header */
	unsigned char *o = coff + 20;
	uint64_t image_base;
	if (spec->subsystem == KIT_PE_NATIVE)
		image_base = plus ? 0x140000000ULL : 0x10000;
	else if (spec->dll)
		image_base = plus ? 0x180000000ULL : 0x10000000;
	else
		image_base = plus ? 0x140000000ULL : 0x400000;
	put16(o + 0, plus ? 0x20b : 0x10b);
	o[2] = 14;				/* linker version */
	o[3] = 0;
	put32(o + 4, (uint32_t)text_rawsize);	/* SizeOfCode */
	put32(o + 8, (uint32_t)idata_rawsize);	/* SizeOfInitializedData */
	put32(o + 12, 0);
	put32(o + 16, TEXT_RVA);		/* AddressOfEntryPoint */
	put32(o + 20, TEXT_RVA);		/* BaseOfCode */
	unsigned char *w;			/* the Windows-specific fields */
	if (plus) {
		put64(o + 24, image_base);
		w = o + 32;
	} else {
		put32(o + 24, IDATA_RVA);	/* BaseOfData */
		put32(o + 28, (uint32_t)image_base);
		w = o + 32;
	}
	put32(w + 0, PE_SECT_ALIGN);
	put32(w + 4, PE_FILE_ALIGN);
	put16(w + 8, spec->os_major);
	put16(w + 10, spec->os_minor);
	put16(w + 12, spec->os_major);		/* image version */
	put16(w + 14, spec->os_minor);
	put16(w + 16, spec->os_major);		/* subsystem version */
	put16(w + 18, spec->os_minor);
	put32(w + 20, 0);			/* Win32VersionValue */
	put32(w + 24, (uint32_t)image_size);
	put32(w + 28, (uint32_t)size_of_headers);
	size_t csum_off = (size_t)(w + 32 - f);
	put16(w + 36, spec->subsystem);
	/* DllCharacteristics: NX_COMPAT; drivers also declare nothing else */
	put16(w + 38, 0x0100);
	unsigned char *q = w + 40;
	uint64_t stack_res = 0x100000, stack_com = 0x1000,
		heap_res = 0x100000, heap_com = 0x1000;
	if (plus) {
		put64(q, stack_res);
		put64(q + 8, stack_com);
		put64(q + 16, heap_res);
		put64(q + 24, heap_com);
		q += 32;
	} else {
		put32(q, (uint32_t)stack_res);
		put32(q + 4, (uint32_t)stack_com);
		put32(q + 8, (uint32_t)heap_res);
		put32(q + 12, (uint32_t)heap_com);
		q += 16;
	}
	put32(q, 0);				/* LoaderFlags */
	put32(q + 4, 16);			/* NumberOfRvaAndSizes */
	unsigned char *dd = q + 8;
	if (L.n) {
		put32(dd + 8 * 1, IDATA_RVA + (uint32_t)L.desc);	/* IMPORT */
		put32(dd + 8 * 1 + 4, (uint32_t)((L.n + 1) * 20));
		put32(dd + 8 * 12, IDATA_RVA + (uint32_t)L.iat);	/* IAT */
		put32(dd + 8 * 12 + 4, (uint32_t)(L.n * 2 * thunk));
	}

	/* section table */
	unsigned char *sh = o + opt_size;
	memcpy(sh, ".text", 5);
	put32(sh + 8, 16);				/* VirtualSize */
	put32(sh + 12, TEXT_RVA);
	put32(sh + 16, (uint32_t)text_rawsize);
	put32(sh + 20, (uint32_t)text_raw);
	put32(sh + 36, 0x60000020);		/* CODE | EXECUTE | READ */
	sh += 40;
	memcpy(sh, ".idata", 6);
	put32(sh + 8, (uint32_t)idata_vsize);
	put32(sh + 12, IDATA_RVA);
	put32(sh + 16, (uint32_t)idata_rawsize);
	put32(sh + 20, (uint32_t)idata_raw);
	put32(sh + 36, 0xc0000040);		/* INITIALIZED_DATA | READ | WRITE */

	/* .text: return 0 (STATUS_SUCCESS from DriverEntry, exit code 0) */
	unsigned char *t = f + text_raw;
	memset(t, 0xcc, 16);
	t[0] = 0x31;				/* xor eax, eax */
	t[1] = 0xc0;
	if (plus || spec->subsystem != KIT_PE_NATIVE) {
		t[2] = 0xc3;			/* ret */
	} else {
		t[2] = 0xc2;			/* ret 8: stdcall, two arguments */
		t[3] = 0x08;
		t[4] = 0x00;
	}

	idata_fill(f + idata_raw, &L, spec->imports, thunk);

	put32(f + csum_off, pe_checksum(f, file_size, csum_off));

	int r = write_file(path, f, file_size, "PE", e);
	free(f);
	free(L.hint_off);
	free(L.name_off);
	return r;
}

/* ------------------------------------------------------------------ */
/* cabinet                                                             */

/* Layout from [MS-CAB] 2.1-2.4: CFHEADER (36 bytes), one CFFOLDER (8),
 * one CFFILE per member (16 + name + NUL), then the folder's CFDATA
 * blocks, each an 8-byte header and up to 32 KiB of stored data. */
#define CAB_HDR		36
#define CAB_FOLDER	8
#define CAB_FILE	16
#define CAB_DATA_HDR	8
#define CAB_BLOCK	32768

static unsigned char *cab_slurp(const char *path, size_t *len, struct wf_error *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		wf_error_set(e, WF_ERR_INPUT, "cab member %s: %s", path, strerror(errno));
		return NULL;
	}
	unsigned char *d = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n == cap)
			d = wf_xrealloc(d, cap = cap ? cap * 2 : 65536);
		got = fread(d + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return d;
}

int kit_write_cab(const char *path, const char *const *names,
		  const char *const *files, size_t n, struct wf_error *e)
{
	unsigned char *data = NULL;
	size_t total = 0, names_len = 0;
	uint32_t *sizes = wf_xcalloc(n ? n : 1, sizeof *sizes);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		unsigned char *d = cab_slurp(files[i], &len, e);
		if (!d) {
			free(data);
			free(sizes);
			return -1;
		}
		data = wf_xrealloc(data, total + len + 1);
		memcpy(data + total, d, len);
		free(d);
		sizes[i] = (uint32_t)len;
		total += len;
		names_len += strlen(names[i]) + 1;
	}
	size_t blocks = (total + CAB_BLOCK - 1) / CAB_BLOCK;
	size_t files_off = CAB_HDR + CAB_FOLDER;
	size_t data_off = files_off + n * CAB_FILE + names_len;
	size_t cab_size = data_off + blocks * CAB_DATA_HDR + total;
	unsigned char *c = wf_xcalloc(1, cab_size);
	memcpy(c, "MSCF", 4);
	put32(c + 8, (uint32_t)cab_size);
	put32(c + 16, (uint32_t)files_off);
	c[24] = 3, c[25] = 1;				/* version 1.3 */
	put16(c + 26, 1);				/* folders */
	put16(c + 28, (uint16_t)n);			/* files */
	put16(c + 32, 0x5746);				/* set id */
	put32(c + CAB_HDR, (uint32_t)data_off);		/* CFFOLDER */
	put16(c + CAB_HDR + 4, (uint16_t)blocks);
	put16(c + CAB_HDR + 6, 0);			/* stored, no compression */
	unsigned char *p = c + files_off;
	uint32_t at = 0;
	for (size_t i = 0; i < n; i++) {
		put32(p, sizes[i]);
		put32(p + 4, at);			/* offset in the folder */
		put16(p + 10, 0x3021);			/* 2004-01-01 */
		put16(p + 14, 0x20);			/* archive */
		strcpy((char *)p + CAB_FILE, names[i]);
		p += CAB_FILE + strlen(names[i]) + 1;
		at += sizes[i];
	}
	for (size_t b = 0; b < blocks; b++) {
		size_t len = total - b * CAB_BLOCK < CAB_BLOCK ? total - b * CAB_BLOCK : CAB_BLOCK;
		put32(p, 0);				/* no checksum (allowed) */
		put16(p + 4, (uint16_t)len);
		put16(p + 6, (uint16_t)len);
		memcpy(p + CAB_DATA_HDR, data + b * CAB_BLOCK, len);
		p += CAB_DATA_HDR + len;
	}
	int r = write_file(path, c, cab_size, "cabinet", e);
	free(c);
	free(data);
	free(sizes);
	return r;
}

/* --- signatures (osslsigncode) ----------------------------------------------------- */

int kit_sign_pe(const char *path, const char *certdir, const char *kind, struct wf_error *e)
{
	int whql = strcmp(kind, "whql") == 0;
	if (!whql && strcmp(kind, "test") != 0)
		return wf_error_set(e, WF_ERR_INPUT, "signed=%s: not whql or test", kind);
	if (strchr(path, '\'') || strchr(certdir, '\''))
		return wf_error_set(e, WF_ERR_INPUT, "%s: a quote in the path", path);
	/* the names fake-virtio-win.sh gives its chain (tests/data/virtio) */
	/* paths stay as given (relative ones too): the certificates are
	 * named through C=certdir, not by changing directory */
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "set -e; C='%s'; "
		 "if [ ! -e \"$C/kit-whql.chain\" ]; then "
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout \"$C/kit-msroot.key\" "
		 "-out \"$C/kit-msroot.pem\" -days 3650 "
		 "-subj '/CN=Microsoft Root Certificate Authority 2010' "
		 "-addext basicConstraints=critical,CA:TRUE; "
		 "openssl req -new -newkey rsa:2048 -nodes -keyout \"$C/kit-whql.key\" "
		 "-subj '/CN=Microsoft Windows Hardware Compatibility Publisher' -out \"$C/kit-whql.csr\"; "
		 "openssl x509 -req -in \"$C/kit-whql.csr\" -CA \"$C/kit-msroot.pem\" "
		 "-CAkey \"$C/kit-msroot.key\" -CAcreateserial -days 3650 -out \"$C/kit-whql.pem\"; "
		 "cat \"$C/kit-whql.pem\" \"$C/kit-msroot.pem\" > \"$C/kit-whql.chain\"; "
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout \"$C/kit-test.key\" "
		 "-out \"$C/kit-test.pem\" -days 3650 -subj '/CN=Test Self Signed (virt-winfix kit)'; "
		 "cp \"$C/kit-test.pem\" \"$C/kit-test.chain\"; fi; "
		 "osslsigncode sign -certs \"$C/kit-%s.chain\" -key \"$C/kit-%s.key\" -h sha1 "
		 "-in '%s' -out '%s.s1'; "
		 "osslsigncode sign -nest -certs \"$C/kit-%s.chain\" -key \"$C/kit-%s.key\" -h sha256 "
		 "-in '%s.s1' -out '%s.s2'; mv '%s.s2' '%s'; rm -f '%s.s1'",
		 certdir, kind, kind, path, path, kind, kind, path, path, path, path, path);
	char *full = wf_xasprintf("( %s ) >/dev/null 2>&1", cmd);
	int r = system(full);
	free(full);
	if (r != 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: signing failed (needs openssl and "
				    "osslsigncode: make deps)", path);
	return 0;
}
