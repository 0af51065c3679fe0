/*
 * pe.c - bounds-checked reader for PE headers and import tables.
 *
 * Layout (Microsoft "PE Format"): DOS header with e_lfanew at 0x3c; at
 * e_lfanew "PE\0\0", the 20-byte COFF header, the optional header (magic
 * 0x10b PE32 / 0x20b PE32+), then the section table.  Data directory 1 is
 * the import table: 20-byte descriptors ending with an all-zero one, each
 * naming its module by RVA.  RVAs are mapped to file offsets through the
 * section table.
 */
#include "pe.h"
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PE_MAX_FILE	(64u << 20)	/* wf_pe_parse_file reads at most this */
#define PE_MAX_IMPORTS	1024		/* descriptors looked at */
#define PE_MAX_NAME	256		/* longest module name accepted */
#define PE_MAX_SECTIONS	96		/* the loader's own limit */

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Is [off, off+n) inside a buffer of len bytes? (no overflow) */
static int in_buf(size_t len, size_t off, size_t n)
{
	return off <= len && n <= len - off;
}

struct pe_sections {
	const unsigned char *table;	/* first section header */
	unsigned n;
};

/* Map an RVA to a file offset; 0 with *ok = 0 when no section holds it. */
static size_t rva_to_off(const struct pe_sections *s, uint32_t rva,
			 size_t size_of_headers, int *ok)
{
	*ok = 1;
	if (rva < size_of_headers)
		return rva;
	for (unsigned i = 0; i < s->n; i++) {
		const unsigned char *h = s->table + 40 * i;
		uint32_t vsize = rd32(h + 8), va = rd32(h + 12);
		uint32_t rawsize = rd32(h + 16), raw = rd32(h + 20);
		uint32_t span = vsize > rawsize ? vsize : rawsize;
		if (rva >= va && rva - va < span) {
			uint32_t d = rva - va;
			if (d >= rawsize)	/* in the zero-filled tail */
				break;
			return (size_t)raw + d;
		}
	}
	*ok = 0;
	return 0;
}

/* Read a NUL-terminated module name at file offset `off`.  Returns 1 and a
 * malloc'd string, 0 when it lies beyond len (truncated buffer), -1 when
 * it is not a plausible name. */
static int read_name(const unsigned char *b, size_t len, size_t off,
		     char **out)
{
	if (off >= len)
		return 0;
	size_t max = len - off;
	if (max > PE_MAX_NAME + 1)
		max = PE_MAX_NAME + 1;
	const unsigned char *nul = memchr(b + off, 0, max);
	if (!nul)
		return max == PE_MAX_NAME + 1 ? -1 : 0;
	size_t n = (size_t)(nul - (b + off));
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (b[off + i] < 0x20 || b[off + i] > 0x7e)
			return -1;
	*out = wf_xstrndup((const char *)b + off, n);
	return 1;
}

static void add_import(struct wf_pe_info *pe, char *name, size_t *cap)
{
	if (pe->n_imports == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		pe->imports = wf_xrealloc(pe->imports, *cap * sizeof *pe->imports);
	}
	pe->imports[pe->n_imports++] = name;
}

/* Walk the import descriptors.  Never fails: sets imports_complete. */
static void read_imports(const unsigned char *b, size_t len,
			 const struct pe_sections *secs, size_t size_of_headers,
			 uint32_t imp_rva, uint32_t imp_size,
			 struct wf_pe_info *pe)
{
	size_t cap = 0;
	pe->imports_complete = 0;
	if (imp_rva == 0) {		/* no import table at all */
		pe->imports_complete = 1;
		return;
	}
	int ok;
	size_t off = rva_to_off(secs, imp_rva, size_of_headers, &ok);
	if (!ok)
		return;
	for (unsigned i = 0; i < PE_MAX_IMPORTS; i++) {
		size_t d = off + 20 * (size_t)i;
		if (!in_buf(len, d, 20))
			return;				/* truncated */
		const unsigned char *desc = b + d;
		int all_zero = 1;
		for (int k = 0; k < 20; k++)
			if (desc[k]) {
				all_zero = 0;
				break;
			}
		if (all_zero) {
			pe->imports_complete = 1;
			return;
		}
		/* Size is advisory (linkers differ); stop well past it. */
		if (imp_size && 20 * (size_t)i > (size_t)imp_size + 4096)
			return;
		uint32_t name_rva = rd32(desc + 12);
		size_t noff = rva_to_off(secs, name_rva, size_of_headers, &ok);
		if (!ok)
			return;
		char *name = NULL;
		int r = read_name(b, len, noff, &name);
		if (r <= 0)
			return;
		add_import(pe, name, &cap);
	}
}

int wf_pe_parse(const void *buf, size_t len, const char *name,
		struct wf_pe_info *out, struct wf_error *e)
{
	const unsigned char *b = buf;
	memset(out, 0, sizeof *out);
	if (!name)
		name = "PE image";

	if (len < 2 || b[0] != 'M' || b[1] != 'Z')
		return wf_error_set(e, WF_ERR_INPUT, "%s: not a PE file (no MZ signature)",
				    name);
	if (len < 0x40)
		return wf_error_set(e, WF_ERR_INPUT, "%s: truncated PE header (DOS header)",
				    name);
	uint32_t lfanew = rd32(b + 0x3c);
	if (lfanew < 0x40 || lfanew > 0x10000000)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: no PE signature (e_lfanew 0x%x is out of range)",
				    name, lfanew);
	if (!in_buf(len, lfanew, 4 + 20))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: truncated PE header (PE header at 0x%x, file has %zu bytes)",
				    name, lfanew, len);
	const unsigned char *p = b + lfanew;
	if (memcmp(p, "PE\0\0", 4) != 0)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: no PE signature at 0x%x (an MS-DOS or NE/LE program?)",
				    name, lfanew);
	const unsigned char *coff = p + 4;
	uint16_t machine = rd16(coff);
	uint16_t nsect = rd16(coff + 2);
	uint16_t opt_size = rd16(coff + 16);
	uint16_t chars = rd16(coff + 18);

	size_t opt_off = (size_t)lfanew + 24;
	if (opt_size < 2)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: no optional header (an object file, not an image)",
				    name);
	if (!in_buf(len, opt_off, 2))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: truncated PE header (optional header)", name);
	const unsigned char *o = b + opt_off;
	uint16_t magic = rd16(o);
	int plus;
	if (magic == 0x10b)
		plus = 0;
	else if (magic == 0x20b)
		plus = 1;
	else
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: unknown optional header magic 0x%04x (expected 0x10b or 0x20b)",
				    name, magic);
	/* Fields up to NumberOfRvaAndSizes: 96 bytes (PE32), 112 (PE32+). */
	size_t fixed = plus ? 112 : 96;
	if (opt_size < fixed)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: optional header too small (%u bytes)", name,
				    opt_size);
	if (!in_buf(len, opt_off, fixed))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: truncated PE header (optional header)", name);

	out->machine = machine;
	out->pe32plus = plus;
	out->characteristics = chars;
	out->os_major = rd16(o + 40);
	out->os_minor = rd16(o + 42);
	out->subsys_major = rd16(o + 48);
	out->subsys_minor = rd16(o + 50);
	uint32_t size_of_headers = rd32(o + 60);
	out->subsystem = rd16(o + 68);
	uint32_t ndirs = rd32(o + fixed - 4);

	/* Import directory (index 1), when the header has one and it fits. */
	uint32_t imp_rva = 0, imp_size = 0;
	if (ndirs > 1 && (size_t)opt_size >= fixed + 16) {
		if (!in_buf(len, opt_off + fixed, 16)) {
			out->imports_complete = 0;
			return 0;	/* headers suffice for the caller */
		}
		imp_rva = rd32(o + fixed + 8);
		imp_size = rd32(o + fixed + 12);
	}

	struct pe_sections secs = { NULL, 0 };
	size_t sect_off = opt_off + opt_size;
	if (nsect > PE_MAX_SECTIONS) {
		out->imports_complete = 0;
		return 0;
	}
	if (!in_buf(len, sect_off, 40 * (size_t)nsect)) {
		out->imports_complete = imp_rva == 0;
		return 0;
	}
	secs.table = b + sect_off;
	secs.n = nsect;
	read_imports(b, len, &secs, size_of_headers, imp_rva, imp_size, out);
	return 0;
}

int wf_pe_parse_file(const char *path, struct wf_pe_info *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, PE_MAX_FILE, e);
	if (r == 0)
		r = wf_pe_parse(sb.buf, sb.len, path, out, e);
	wf_sb_release(&sb);
	return r;
}

void wf_pe_free(struct wf_pe_info *pe)
{
	if (!pe)
		return;
	for (size_t i = 0; i < pe->n_imports; i++)
		free(pe->imports[i]);
	free(pe->imports);
	memset(pe, 0, sizeof *pe);
}

int wf_pe_security_dir(const void *buf, size_t len, const char *name,
		       struct wf_pe_security *out, struct wf_error *e)
{
	const unsigned char *b = buf;
	struct wf_pe_info pe;
	memset(out, 0, sizeof *out);
	if (wf_pe_parse(buf, len, name, &pe, e) < 0)
		return -1;
	wf_pe_free(&pe);
	if (!name)
		name = "PE image";
	/* wf_pe_parse checked the DOS header, the signature and the fixed
	 * part of the optional header. */
	size_t opt_off = (size_t)rd32(b + 0x3c) + 24;
	size_t fixed = rd16(b + opt_off) == 0x20b ? 112 : 96;
	uint16_t opt_size = rd16(b + opt_off - 4);
	uint32_t ndirs = rd32(b + opt_off + fixed - 4);
	out->checksum_off = opt_off + 64;
	if (ndirs <= 4 || (size_t)opt_size < fixed + 5 * 8)
		return 0;
	out->dir_off = opt_off + fixed + 4 * 8;
	if (!in_buf(len, out->dir_off, 8))
		return wf_error_set(e, WF_ERR_INPUT, "%s: truncated PE header (data directories)", name);
	out->cert_off = rd32(b + out->dir_off);
	out->cert_size = rd32(b + out->dir_off + 4);
	if (out->cert_off == 0 && out->cert_size == 0)
		return 0;
	if (out->cert_off < out->dir_off + 8 || !in_buf(len, out->cert_off, out->cert_size))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: the certificate table (offset 0x%x, %u bytes) lies outside the "
				    "file's %zu bytes", name, out->cert_off, out->cert_size, len);
	return 0;
}

/* COFF machine -> libguestfs architecture name (guestfs_file_architecture). */
static const struct {
	uint16_t machine;
	const char *arch;
} pe_arches[] = {
	{ WF_PE_MACHINE_I386, "i386" },
	{ WF_PE_MACHINE_AMD64, "x86_64" },
	{ WF_PE_MACHINE_ARM64, "aarch64" },
	{ WF_PE_MACHINE_IA64, "ia64" },
};

const char *wf_pe_machine_arch(uint16_t machine)
{
	for (size_t i = 0; i < sizeof pe_arches / sizeof pe_arches[0]; i++)
		if (pe_arches[i].machine == machine)
			return pe_arches[i].arch;
	return NULL;
}
