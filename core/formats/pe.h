/*
 * pe.h - read the headers and import table of a PE image (.sys, .exe,
 * .dll) found in a guest: its machine (architecture), subsystem, the
 * Windows version it was linked for and the modules it imports.
 *
 * The input is untrusted (a file from a disk image): every offset is
 * checked against the buffer, loops are bounded, and a damaged file gives
 * a one-line error naming it, never a crash.
 *
 *   struct wf_pe_info pe;
 *   if (wf_pe_parse_file("/tmp/viostor.sys", &pe, &err) == 0) {
 *           printf("%s %u.%u\n", wf_pe_machine_arch(pe.machine),
 *                  pe.os_major, pe.os_minor);
 *           for (size_t i = 0; i < pe.n_imports; i++) puts(pe.imports[i]);
 *           wf_pe_free(&pe);
 *   }
 */
#ifndef WF_PE_H
#define WF_PE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* COFF machine types (PE Format, "Machine Types"). */
enum {
	WF_PE_MACHINE_I386 = 0x014c,
	WF_PE_MACHINE_IA64 = 0x0200,
	WF_PE_MACHINE_AMD64 = 0x8664,
	WF_PE_MACHINE_ARM64 = 0xaa64,
};

/* Optional header Subsystem values. */
enum {
	WF_PE_SUBSYSTEM_NATIVE = 1,
	WF_PE_SUBSYSTEM_GUI = 2,
	WF_PE_SUBSYSTEM_CONSOLE = 3,
};

/* COFF Characteristics bits. */
enum {
	WF_PE_FILE_EXECUTABLE = 0x0002,
	WF_PE_FILE_32BIT = 0x0100,
	WF_PE_FILE_DLL = 0x2000,
};

struct wf_pe_info {
	uint16_t machine;		/* WF_PE_MACHINE_* (or another COFF value) */
	int pe32plus;			/* optional header magic 0x20b */
	uint16_t subsystem;		/* WF_PE_SUBSYSTEM_* */
	uint16_t characteristics;	/* COFF Characteristics */
	uint16_t os_major, os_minor;	/* Major/MinorOperatingSystemVersion */
	uint16_t subsys_major, subsys_minor;	/* Major/MinorSubsystemVersion */
	char **imports;			/* imported module names, as written */
	size_t n_imports;
	int imports_complete;		/* 0: the import table lies (partly)
					 * beyond the bytes given */
};

/* Parse `len` bytes of a PE image.  `buf` may be only the start of the
 * file: the headers then suffice and imports_complete is 0 when the import
 * table lies beyond `len`.  A damaged import table is not an error either
 * (imports_complete 0 with what could be read); damaged headers are.
 * `name` labels messages.  On success fills `out` (release with
 * wf_pe_free); on error returns -1 with `out` zeroed. */
int wf_pe_parse(const void *buf, size_t len, const char *name,
		struct wf_pe_info *out, struct wf_error *e);

/* Read and parse a file (at most 64 MiB of it). */
int wf_pe_parse_file(const char *path, struct wf_pe_info *out, struct wf_error *e);

void wf_pe_free(struct wf_pe_info *pe);

/* Where a PE's Authenticode signature lives (for authenticode.h): the
 * file offsets of the CheckSum field and of data directory 4 (the
 * security directory, 8 bytes), and the certificate table it names (a
 * file offset, not an RVA; 0/0 when the file is unsigned).  -1 when the
 * headers are damaged or the table lies outside the buffer. */
struct wf_pe_security {
	size_t checksum_off;
	size_t dir_off;			/* 0: the header has no directory 4 */
	uint32_t cert_off, cert_size;
};
int wf_pe_security_dir(const void *buf, size_t len, const char *name,
		       struct wf_pe_security *out, struct wf_error *e);

/* libguestfs architecture names: "i386", "x86_64", "aarch64", "ia64";
 * NULL when unknown. */
const char *wf_pe_machine_arch(uint16_t machine);

#endif
