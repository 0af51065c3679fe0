/*
 * wim.h - Windows Imaging (WIM/ESD) files through wimlib: what images a
 * WIM holds, files of an image looked up and copied out, and files added to
 * an image, written back in place with the WIM's own compression, chunk
 * size and integrity table (wimlib_overwrite keeps all three).
 *
 *   struct wf_wim *w = wf_wim_open("boot.wim", 1, &err);       // 1 = writable
 *   for (int i = 1; i <= wf_wim_count(w); i++) wf_wim_name(w, i) ...
 *   uint64_t size; wf_wim_exists(w, 2, "/Windows/System32/config/SYSTEM", &size);
 *   wf_wim_extract(w, 2, paths, n, "/tmp/stage", &err);   // /tmp/stage/Windows/...
 *   struct wf_wim_add add[] = { { "/tmp/stage/Windows/System32/config/SYSTEM",
 *                                 "/Windows/System32/config/SYSTEM" } };
 *   wf_wim_update(w, 2, add, 1, &err);                    // in memory
 *   wf_wim_commit(w, progress, ud, &err);                 // the file on disk
 *   wf_wim_close(w);
 *
 * Paths are absolute image paths with '/', matched case-insensitively as
 * Windows does.  Limits wimlib has and this says: encrypted ESD files
 * (WIMLIB_ERR_WIM_IS_ENCRYPTED) cannot be read; split WIMs (.swm) are not
 * supported here; a solid ESD is updated by appending, which wimlib writes
 * in the WIM's compression.
 */
#ifndef WF_WIM_H
#define WF_WIM_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct wf_wim;

struct wf_wim *wf_wim_open(const char *path, int writable, struct wf_error *e);
void wf_wim_close(struct wf_wim *w);

int wf_wim_count(const struct wf_wim *w);
/* Image name ("Microsoft Windows PE (x64)"), "" when it has none. */
const char *wf_wim_name(const struct wf_wim *w, int image);
/* "LZX", "XPRESS", "LZMS", "NONE" */
const char *wf_wim_compression(const struct wf_wim *w);
int wf_wim_has_integrity(const struct wf_wim *w);
/* An image property from the WIM's XML ("WINDOWS/ARCH"), NULL when absent. */
const char *wf_wim_property(const struct wf_wim *w, int image, const char *name);

/* 1 and *size when the file exists, 0 when not, -1 on a read error. */
int wf_wim_exists(struct wf_wim *w, int image, const char *path, uint64_t *size);

/* Copy files of the image below host dir `dest`, each at its image path.
 * A path that does not exist is an error naming it. */
int wf_wim_extract(struct wf_wim *w, int image, const char *const *paths, size_t n,
		   const char *dest, struct wf_error *e);

struct wf_wim_add {
	const char *host;	/* host file */
	const char *path;	/* image path it becomes (replaced when it exists) */
};

/* Add (or replace) files in the image (in memory until commit). */
int wf_wim_update(struct wf_wim *w, int image, const struct wf_wim_add *add, size_t n,
		  struct wf_error *e);

/* Bytes done / total while writing. */
typedef void (*wf_wim_progress)(void *ud, uint64_t done, uint64_t total);

/* Write the changes into the WIM file (wimlib_overwrite: appended, the
 * header and tables rewritten last). */
int wf_wim_commit(struct wf_wim *w, wf_wim_progress progress, void *ud, struct wf_error *e);

#endif
