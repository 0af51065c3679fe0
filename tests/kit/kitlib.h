/*
 * kitlib.h - the test kit's building blocks: a minimal registry hive, a
 * minimal PE image and a cabinet, written from scratch (nothing copied
 * from elsewhere).
 * Used by mkhive, mkpe and mkimages, and by tests that need such files.
 */
#ifndef KITLIB_H
#define KITLIB_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Write an empty hive: regf base block + one hbin holding a root key (see
 * ../shared/knowledge/anchors-and-recipes.md section 6).  The result opens
 * with hivex, read and write.  `root_name` NULL gives a default name. */
int kit_write_minimal_hive(const char *path, const char *root_name,
			   struct wf_error *e);

enum { KIT_PE_I386 = 0x014c, KIT_PE_AMD64 = 0x8664 };
enum { KIT_PE_NATIVE = 1, KIT_PE_GUI = 2, KIT_PE_CONSOLE = 3 };

struct kit_pe {
	uint16_t machine;	/* KIT_PE_I386 or KIT_PE_AMD64 */
	uint16_t subsystem;	/* KIT_PE_NATIVE for .sys, KIT_PE_CONSOLE for cmd.exe */
	uint16_t os_major, os_minor;	/* MajorOperatingSystemVersion etc. (5.1 = XP) */
	int dll;		/* IMAGE_FILE_DLL set */
	/* NULL-terminated list of imported modules ("ntoskrnl.exe",
	 * "storport.sys"); each gets an import descriptor with one
	 * named function. */
	const char *const *imports;
};

/* Write a valid minimal PE32 (i386) / PE32+ (amd64) image with an import
 * table that core/formats/pe.h reads back exactly. */
int kit_write_pe(const char *path, const struct kit_pe *spec, struct wf_error *e);

/* Embed an Authenticode signature in the PE at `path` (osslsigncode:
 * SHA-1, then a nested SHA-256 one, as dual-signed drivers are):
 * `kind` "whql" signs with a chain made here that carries the names of
 * Microsoft's WHQL chain (virt-winfix classifies by name: authenticode.h),
 * "test" with a self-signed test certificate.  The certificates are made
 * once in `certdir` (openssl).  Needs openssl and osslsigncode. */
int kit_sign_pe(const char *path, const char *certdir, const char *kind, struct wf_error *e);

/* Write a Microsoft cabinet ([MS-CAB]) holding files[i] under names[i],
 * stored without compression in one folder, as cabextract and expand.exe
 * read it (XP's "Driver Cache\i386\driver.cab" for the tests). */
int kit_write_cab(const char *path, const char *const *names,
		  const char *const *files, size_t n, struct wf_error *e);

/* A dirty hive and its transaction logs (kitlog.c), written from the
 * "Windows registry file format specification" (msuhanov/regf): the
 * primary holds the hive bins of the clean hive `before` with its sequence
 * numbers made unequal; the logs hold the 4096-byte pages in which `after`
 * differs, so that replaying them gives `after`'s hive bins exactly. */
enum kit_log_format { KIT_LOG_NEW = 1, KIT_LOG_OLD = 2 };
struct kit_dirty {
	enum kit_log_format format;
	const char *before, *after;	/* clean hives (after = before + changes) */
	const char *primary;		/* written: the dirty primary file */
	const char *log1, *log2;	/* written; log2 NULL: everything in log1 */
	unsigned in_log1;		/* new format: entries in log1, the rest in
					 * log2 (0: all in log1) */
	int swap;			/* the earlier entries go to log2 instead */
	int torn_last;			/* the last entry (old: page) cut short */
	int bad_checksum;		/* log1's base block checksum damaged */
	int stale;			/* the logs' sequence numbers predate the primary's */
};
/* Writes the files; *entries and *pages say what the logs hold
 * (old format: one dirty vector, pages of 512 bytes). */
int kit_write_dirty(const struct kit_dirty *d, unsigned *entries, unsigned *pages,
		    struct wf_error *e);

#endif
