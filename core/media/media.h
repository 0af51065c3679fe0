/*
 * media.h - Windows install media that sees a virtio disk: the boot-critical
 * VirtIO storage drivers (and others asked for) put inside the medium
 * through the same plan builders and executor as inject-virtio on a disk.
 *
 *   Vista and later: sources/boot.wim (WinPE and Setup) and the chosen
 *     images of sources/install.wim / install.esd; in each image the
 *     Windows version and architecture come from its own SYSTEM and
 *     SOFTWARE hives, the driver build from the same folder table and PE
 *     checks as inject-virtio; the files, services and CriticalDevice- /
 *     DriverDatabase state the inject-virtio plan holds are applied to a
 *     staging copy and added back with wimlib.
 *   XP / 2003: text-mode setup entries merged into I386\ (or AMD64\)
 *     TXTSETUP.SIF and DOSNET.INF, the .sys beside them (txtsetup.h).
 * The new ISO is the old one with those files replaced (isofs.h: boot
 * records, system area and volume id replayed); the source is only read.
 *
 *   struct wf_media_opts o = { .iso = "Win10.iso", .out = "Win10-kvm.iso",
 *       .virtio = src, .drivers = ids, .n_drivers = 2, .tmpdir = tmp };
 *   struct wf_media m;
 *   wf_media_plan(&o, &m, &err);        // reads, decides, renders m.text
 *   ... show m.text, ask ...
 *   wf_media_apply(&o, &m, &err);       // writes o.out (and o.floppy)
 *   wf_media_free(&m);
 */
#ifndef WF_MEDIA_H
#define WF_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

struct wf_virtio_src;

enum wf_media_kind { WF_MEDIA_NONE, WF_MEDIA_WIM, WF_MEDIA_TEXTMODE };

struct wf_media_opts {
	const char *iso;		/* source medium (never written); NULL: only a
					 * floppy, for o->windows */
	const char *out;		/* new ISO; NULL: only the floppy */
	const char *floppy;		/* F6 floppy image to write (XP/2003), or NULL */
	struct wf_virtio_src *virtio;	/* driver source */
	const char *const *drivers;	/* "viostor", "vioscsi", "netkvm" */
	size_t n_drivers;
	const char *images;		/* install.wim images: "all" (NULL) or "1,3" */
	const char *windows;		/* text-mode media: "xp", "2003", "xp-x64", "2003-x64";
					 * NULL: from the medium's tag files */
	const char *tmpdir;		/* scratch (large: the WIMs are copied here) */
	/* progress: a step line, and bytes of the long step (may be NULL) */
	void (*step)(void *ud, const char *msg);
	void (*bytes)(void *ud, uint64_t done, uint64_t total);
	void *ud;
};

struct wf_media_image;
struct wf_media_wim;

struct wf_media {
	enum wf_media_kind kind;
	struct wf_strbuf text;		/* the plan, for people */
	struct wf_media_wim *wims;	/* WIM media */
	size_t n_wims;
	/* text-mode media */
	char *folder;			/* "/I386" or "/AMD64" */
	char *sif_host, *dosnet_host;	/* merged copies */
	char **files_host, **files_iso;	/* driver files to add */
	size_t n_files;
	unsigned char *floppy_img;	/* F6 floppy, when asked */
	char *stage;			/* scratch folder of this run (removed by free) */
};

int wf_media_plan(const struct wf_media_opts *o, struct wf_media *m, struct wf_error *e);
int wf_media_apply(const struct wf_media_opts *o, struct wf_media *m, struct wf_error *e);
void wf_media_free(struct wf_media *m);

/* What kind of medium an ISO's file list is; *why gets a one-line reason
 * when it is none. */
enum wf_media_kind wf_media_kind_of(char *const *files, size_t n, const char **why);

#endif
