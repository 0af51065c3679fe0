/*
 * media_priv.h - shared by media.c, media_wim.c and media_xp.c.
 */
#ifndef WF_MEDIA_PRIV_H
#define WF_MEDIA_PRIV_H

#include "media.h"
#include "plan.h"
#include "winver.h"

struct wf_media_image {
	int index;			/* 1-based in the WIM */
	char *name;			/* image name */
	char *root;			/* host staging folder standing in for its volume */
	struct wf_winver ver;
	struct wf_plan plan;
	int planned;
};

struct wf_media_wim {
	char *iso_path;			/* "/sources/boot.wim" */
	char *host;			/* copy in the staging folder */
	const char *label;		/* its base name, points into iso_path */
	struct wf_media_image *img;
	size_t n_img;
	char compression[16];
	int integrity;
	uint64_t size;
};

/* Progress helpers. */
void wf_media_step(const struct wf_media_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Plan / apply one WIM (media_wim.c). */
int wf_media_wim_plan(const struct wf_media_opts *o, struct wf_media *m,
		      struct wf_media_wim *w, int all_images, struct wf_error *e);
int wf_media_wim_apply(const struct wf_media_opts *o, struct wf_media *m,
		       struct wf_media_wim *w, struct wf_error *e);
void wf_media_wim_free(struct wf_media_wim *w);

/* Text-mode setup media (media_xp.c). */
int wf_media_xp_plan(const struct wf_media_opts *o, struct wf_media *m,
		     char *const *files, size_t n, struct wf_error *e);

/* The ISO path of `want` in the listing (case-insensitive), or NULL. */
const char *wf_media_find(char *const *files, size_t n, const char *want);

#endif
