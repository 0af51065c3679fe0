/*
 * guestfiles.h - answer "does this guest file exist, how big, give me its
 * first bytes" with few appliance round trips.
 *
 * Each libguestfs call costs a few ms (more under TCG), and the rules ask
 * about dozens of driver files: System32 and System32\drivers are listed
 * once (names and sizes, two calls each) and every question about a file
 * there is answered from the listing; other paths fall back to single
 * calls.  The filesystem must stay mounted while the cache is used.
 *
 *   struct wf_guestfiles *gf = wf_guestfiles_new(g, "/Windows");
 *   wf_guestfiles_probe(gf, "/Windows/System32/drivers/viostor.sys", &size);
 *   wf_guestfiles_free(gf);
 */
#ifndef WF_GUESTFILES_H
#define WF_GUESTFILES_H

#include <stddef.h>
#include <stdint.h>

typedef struct guestfs_h guestfs_h;
struct wf_guestfiles;

/* Reads are capped at this many bytes: headers and import tables, and
 * whole boot drivers for their embedded signature (the diagnosis caps
 * what it asks for below this). */
#define WF_GUESTFILES_READ_MAX (32u << 20)

struct wf_guestfiles *wf_guestfiles_new(guestfs_h *g, const char *systemroot);
void wf_guestfiles_free(struct wf_guestfiles *gf);
/* wf_file_probe (controllers.h): 1 file exists (*size set), 0 no. */
int wf_guestfiles_probe(void *gf, const char *path, uint64_t *size);
/* The first `max` bytes of a file: 1 read (*buf malloc'd), 0 absent, -1 error. */
int wf_guestfiles_read(void *gf, const char *path, size_t max, void **buf,
		       size_t *len);

#endif
