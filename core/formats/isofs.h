/*
 * isofs.h - an ISO 9660 image (Rock Ridge / Joliet) through xorriso: list
 * its files, copy some out, and write a new image that is the old one with
 * some files replaced or added, its El Torito boot records (BIOS and UEFI),
 * system area and volume id replayed as they were.
 *
 *   char **files; size_t n;
 *   wf_iso_list(iso, &files, NULL, &n, &err);                 // "/sources/boot.wim", ...
 *   wf_iso_extract(iso, "/sources/boot.wim", "/tmp/x/boot.wim", &err);
 *   struct wf_iso_map m[] = { { "/tmp/x/boot.wim", "/sources/boot.wim" } };
 *   wf_iso_rebuild(iso, "new.iso", m, 1, progress, ud, &err);
 *
 * xorriso does not read UDF: media whose files are only in UDF (Windows 8
 * and later ISOs from Microsoft carry an ISO 9660 tree with just a
 * README.TXT) are listed as that one file; media.c says so.  The source is
 * never written.  The tool is /usr/bin/xorriso (Debian package xorriso).
 */
#ifndef WF_ISOFS_H
#define WF_ISOFS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct wf_strbuf;

#define WF_ISO_MAX_FILES 200000	/* bound on a listing */

/* Every regular file of the image (absolute ISO paths, as Rock Ridge /
 * Joliet name them), sorted, and its size in *sizes (may be NULL).
 * *files and *sizes are malloc'd (wf_strv_free, free). */
int wf_iso_list(const char *iso, char ***files, uint64_t **sizes, size_t *n,
		struct wf_error *e);

/* Copy one file out of the image to host file `host` (created; an existing
 * one is refused). */
int wf_iso_extract(const char *iso, const char *iso_path, const char *host,
		   struct wf_error *e);

struct wf_iso_map {
	const char *host;	/* host file */
	const char *iso_path;	/* where it goes in the new image */
};

typedef void (*wf_iso_progress)(void *ud, const char *line);

/* Write `out` (must not exist) = `iso` with the mapped files, boot records
 * replayed.  xorriso's progress lines go to `progress` (may be NULL). */
int wf_iso_rebuild(const char *iso, const char *out, const struct wf_iso_map *m,
		   size_t n, wf_iso_progress progress, void *ud, struct wf_error *e);

/* xorriso's "-report_el_torito plain" and "-report_system_area plain" of
 * the image, appended to out: what a test compares between old and new. */
int wf_iso_boot_report(const char *iso, struct wf_strbuf *out, struct wf_error *e);

/* The volume id. */
int wf_iso_volid(const char *iso, char *buf, size_t n, struct wf_error *e);

#endif
