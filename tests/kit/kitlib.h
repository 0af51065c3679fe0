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

/* Write a Microsoft cabinet ([MS-CAB]) holding files[i] under names[i],
 * stored without compression in one folder, as cabextract and expand.exe
 * read it (XP's "Driver Cache\i386\driver.cab" for the tests). */
int kit_write_cab(const char *path, const char *const *names,
		  const char *const *files, size_t n, struct wf_error *e);

#endif
