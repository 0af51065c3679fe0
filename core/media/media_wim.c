/*
 * media_wim.c - the WIM images of a Vista+ medium: per image, the Windows
 * it holds (its own hives), the inject-virtio plan for it (fixes.h, the
 * same builders as on a disk), applied to a staging folder by the same
 * executor (apply.h, a host folder standing in for the volume), and the
 * changed files added back to the image with wimlib (wim.h).
 */
#include "media_priv.h"
#include "apply.h"
#include "fixes.h"
#include "guestdl.h"
#include "ids.h"
#include "hive.h"
#include "isofs.h"
#include "sha256.h"
#include "text.h"
#include "wim.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const HIVE_PATH[WF_HIVE_N] = {
	[WF_HIVE_SYSTEM] = "/Windows/System32/config/SYSTEM",
	[WF_HIVE_SOFTWARE] = "/Windows/System32/config/SOFTWARE",
};

#define MAX_IMAGES 64		/* images of one WIM handled */
#define MAX_STAGED 4096		/* files one image's plan may add */

/* --- guest files of an image, for the builders ------------------------------------ */

struct imgfiles {
	struct wf_wim *wim;
	int image;
	const char *scratch;	/* host folder for single reads */
	unsigned serial;
};

static int img_probe(void *ud, const char *path, uint64_t *size)
{
	struct imgfiles *f = ud;
	return wf_wim_exists(f->wim, f->image, path, size);
}

static int img_read(void *ud, const char *path, size_t max, void **buf, size_t *len)
{
	struct imgfiles *f = ud;
	uint64_t size;
	if (wf_wim_exists(f->wim, f->image, path, &size) != 1)
		return 0;
	if (size > wf_guest_caps[WF_GK_DRIVER].max)	/* not copied out: guest data */
		return -1;
	char *dir = wf_xasprintf("%s/read-%u", f->scratch, f->serial++);
	struct wf_error e = { 0 };
	const char *paths[] = { path };
	int r = -1;
	if (mkdir(dir, 0700) == 0 && wf_wim_extract(f->wim, f->image, paths, 1, dir, &e) == 0) {
		char *host = wf_xasprintf("%s%s", dir, path);
		struct wf_strbuf sb = WF_STRBUF_INIT;
		if (wf_sb_read_file(&sb, host, max, &e) == 0) {
			*len = sb.len;
			*buf = wf_sb_detach(&sb);
			r = 1;
		}
		wf_sb_release(&sb);
		unlink(host);
		free(host);
	}
	free(dir);
	return r;
}

/* --- plan ------------------------------------------------------------------------- */

static int read_windows(struct wf_media_image *im, struct wf_wim *w, struct wf_hive **sys,
			struct wf_hive **sw, struct wf_error *e)
{
	char *p[WF_HIVE_N];
	for (int h = 0; h < WF_HIVE_N; h++)
		p[h] = wf_xasprintf("%s%s", im->root, HIVE_PATH[h]);
	*sys = wf_hive_open(p[WF_HIVE_SYSTEM], "SYSTEM", 0, e);
	*sw = *sys ? wf_hive_open(p[WF_HIVE_SOFTWARE], "SOFTWARE", 0, e) : NULL;
	int r = *sw && wf_winver_read_software(*sw, &im->ver, e) == 0 &&
			wf_winver_read_system(*sys, &im->ver, e) == 0 ? 0 : -1;
	if (r == 0 && !im->ver.arch) {	/* WinPE hives may not say: the WIM's XML does */
		const char *a = wf_wim_property(w, im->index, "WINDOWS/ARCH");
		im->ver.arch = wf_xstrdup(a && !strcmp(a, "9") ? "x86_64" :
					  a && !strcmp(a, "0") ? "i386" : "x86_64");
	}
	if (r == 0)
		wf_winver_finish(&im->ver);
	for (int h = 0; h < WF_HIVE_N; h++)
		free(p[h]);
	return r;
}

/* The image's hives exist and are under the hive cap the guest downloads
 * use (guestdl.h) before anything is copied out: the WIM is guest data. */
static int hives_fit(struct wf_wim *w, int image, const char *const *paths, struct wf_error *e)
{
	const struct wf_guest_cap *cap = &wf_guest_caps[WF_GK_HIVE];
	for (int i = 0; i < 2; i++) {
		uint64_t size = 0;
		int r = wf_wim_exists(w, image, paths[i], &size);
		if (r != 1)
			return wf_error_set(e, WF_ERR_INPUT, "%s: %s", paths[i],
					    r == 0 ? "not in this image" : "cannot be read");
		if (size > cap->max)
			return wf_error_set(e, WF_ERR_INPUT, "%s: %llu bytes, over the %llu MiB a %s may have",
					    paths[i], (unsigned long long)size,
					    (unsigned long long)(cap->max >> 20), cap->what);
	}
	return 0;
}

static int plan_image(const struct wf_media_opts *o, struct wf_media *m, struct wf_wim *w,
		      const char *label, struct wf_media_image *im, struct wf_error *e)
{
	im->root = wf_xasprintf("%s/%s-%d", m->stage, label, im->index);
	char *scratch = wf_xasprintf("%s.reads", im->root);
	if (mkdir(im->root, 0700) < 0 || mkdir(scratch, 0700) < 0) {
		free(scratch);
		return wf_error_set(e, WF_ERR_INTERNAL, "%s: %s", im->root, strerror(errno));
	}
	const char *paths[] = { HIVE_PATH[WF_HIVE_SYSTEM], HIVE_PATH[WF_HIVE_SOFTWARE] };
	struct wf_hive *sys = NULL, *sw = NULL;
	int r = hives_fit(w, im->index, paths, e) == 0 &&
			wf_wim_extract(w, im->index, paths, 2, im->root, e) == 0 &&
			read_windows(im, w, &sys, &sw, e) == 0 ? 0 : -1;
	if (r == 0) {
		struct imgfiles f = { w, im->index, scratch, 0 };
		struct wf_fixctx c = {
			.system = sys, .software = sw, .ver = &im->ver, .systemroot = "/Windows",
			.probe = img_probe, .read = img_read, .ud = &f, .virtio = o->virtio,
			.tmpdir = m->stage,
		};
		char **ids = wf_xcalloc(o->n_drivers + 1, sizeof *ids);
		for (size_t i = 0; i < o->n_drivers; i++)
			ids[i] = wf_xasprintf("%s:%s", WF_FIXID(INJECT_VIRTIO), o->drivers[i]);
		wf_plan_init(&im->plan);
		r = wf_fixes_build(&c, (const char *const *)ids, o->n_drivers, &im->plan, e);
		im->planned = 1;	/* initialised: freed even when the build failed half-way */
		wf_strv_free(ids, o->n_drivers);
	}
	if (r < 0)
		wf_error_prefix(e, "%s", im->name && *im->name ? im->name : "image");
	wf_hive_close(sys);
	wf_hive_close(sw);
	free(scratch);
	return r;
}

/* Which images of an install WIM: "all"/NULL, or "1,3". */
static int wanted(const char *sel, int index)
{
	if (!sel || !strcmp(sel, "all"))
		return 1;
	for (const char *p = sel; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p)
			return 0;
		if (v == index)
			return 1;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return 0;
	}
	return 0;
}

static void render_wim(struct wf_media *m, const struct wf_media_wim *w)
{
	char sz[32];
	wf_format_size(sz, sizeof sz, w->size);
	wf_sb_addf(&m->text, "%s (%s, %s compression%s): %zu image(s) to change\n",
		   w->iso_path, sz, w->compression, w->integrity ? ", integrity table" : "",
		   w->n_img);
	for (size_t i = 0; i < w->n_img; i++) {
		const struct wf_media_image *im = &w->img[i];
		wf_sb_addf(&m->text, "\n  image %d \"%s\": %s %s (%u.%u.%u)\n", im->index, im->name,
			   im->ver.release ? im->ver.release : "Windows",
			   im->ver.arch ? im->ver.arch : "?", im->ver.major, im->ver.minor,
			   im->ver.build);
		struct wf_strbuf t = WF_STRBUF_INIT;
		wf_plan_to_text(&im->plan, &t);
		for (char *s = t.buf, *nl; *s; s = nl + 1) {
			nl = strchr(s, '\n');
			wf_sb_addf(&m->text, "    %.*s\n", nl ? (int)(nl - s) : (int)strlen(s), s);
			if (!nl)
				break;
		}
		wf_sb_release(&t);
	}
	wf_sb_adds(&m->text, "\n");
}

int wf_media_wim_plan(const struct wf_media_opts *o, struct wf_media *m,
		      struct wf_media_wim *w, int all_images, struct wf_error *e)
{
	const char *base = strrchr(w->iso_path, '/');
	w->label = base ? base + 1 : w->iso_path;
	w->host = wf_xasprintf("%s/%s", m->stage, w->label);
	wf_media_step(o, "copying %s out of %s", w->iso_path, o->iso);
	if (wf_iso_extract(o->iso, w->iso_path, w->host, e) < 0)
		return -1;
	struct stat st;
	w->size = stat(w->host, &st) == 0 ? (uint64_t)st.st_size : 0;
	struct wf_wim *wim = wf_wim_open(w->host, 0, e);
	if (!wim)
		return -1;
	snprintf(w->compression, sizeof w->compression, "%s", wf_wim_compression(wim));
	w->integrity = wf_wim_has_integrity(wim);
	int r = 0;
	for (int i = 1; i <= wf_wim_count(wim) && i <= MAX_IMAGES && r == 0; i++) {
		if (!all_images && !wanted(o->images, i))
			continue;
		w->img = wf_xrealloc(w->img, (w->n_img + 1) * sizeof *w->img);
		struct wf_media_image *im = &w->img[w->n_img++];
		memset(im, 0, sizeof *im);
		im->index = i;
		im->name = wf_text_escape(wf_wim_name(wim, i), 0);	/* the WIM's XML is guest data */
		wf_media_step(o, "%s image %d: reading its Windows and planning", w->label, i);
		r = plan_image(o, m, wim, w->label, im, e);
	}
	wf_wim_close(wim);
	if (r == 0 && !w->n_img)
		r = wf_error_set(e, WF_ERR_USAGE, "%s: no image matches --images %s", w->iso_path,
				 o->images ? o->images : "all");
	if (r == 0)
		render_wim(m, w);
	else
		wf_error_prefix(e, "%s", w->iso_path);
	return r;
}

/* --- apply ------------------------------------------------------------------------ */

struct staged {
	struct wf_wim_add *v;
	size_t n;
};

/* Every file under root/rel except the executor's backups. */
static int collect(const char *root, const char *rel, struct staged *out, struct wf_error *e)
{
	char *dir = wf_xasprintf("%s%s", root, rel);
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return wf_error_set(e, WF_ERR_INTERNAL, "%s%s: %s", root, rel, strerror(errno));
	struct dirent *de;
	int r = 0;
	while (r == 0 && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = wf_xasprintf("%s/%s", rel, de->d_name);
		char *host = wf_xasprintf("%s%s", root, sub);
		struct stat st;
		if (wf_streqi(sub, WF_APPLY_GUEST_BACKUP) || lstat(host, &st) < 0) {
			/* the fix's own backups stay out of the medium */
		} else if (S_ISDIR(st.st_mode)) {
			r = collect(root, sub, out, e);
		} else if (S_ISREG(st.st_mode)) {
			if (out->n >= MAX_STAGED)
				r = wf_error_set(e, WF_ERR_INTERNAL, "%s: too many files", root);
			else {
				out->v = wf_xrealloc(out->v, (out->n + 1) * sizeof *out->v);
				out->v[out->n++] = (struct wf_wim_add){ wf_xstrdup(host), wf_xstrdup(sub) };
			}
		}
		free(sub);
		free(host);
	}
	closedir(d);
	return r;
}

static void staged_free(struct staged *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free((char *)s->v[i].host);
		free((char *)s->v[i].path);
	}
	free(s->v);
}

static void on_apply_step(void *ud, unsigned step, unsigned total, const char *msg)
{
	const struct wf_media_opts *o = ud;
	wf_media_step(o, "  %u/%u %s", step, total, msg);
}

/* The staging folder is scratch: what must last is the WIM, which wimlib
 * writes and renames itself.  A global sync() per hive (the folder io's)
 * would flush every WIM copy on the host, seconds each. */
static int scratch_sync(void *ud, struct wf_error *e)
{
	(void)ud;
	(void)e;
	return 0;
}

static int apply_image(const struct wf_media_opts *o, struct wf_media *m, struct wf_wim *wim,
		       struct wf_media_image *im, struct wf_error *e)
{
	struct wf_apply_io io;
	wf_apply_io_dir(&io, im->root);
	io.sync = scratch_sync;
	char *bk = wf_xasprintf("%s.backup", im->root);
	struct wf_apply_target t = {
		.io = &io, .systemroot = "/Windows",
		.hive = { HIVE_PATH[WF_HIVE_SYSTEM], HIVE_PATH[WF_HIVE_SOFTWARE] },
		.host_backup_dir = bk, .tmpdir = m->stage, .image = im->name,
	};
	struct wf_apply_opts ao = { .progress = on_apply_step, .progress_ud = (void *)o };
	struct wf_apply_result res;
	memset(&res, 0, sizeof res);
	int r = wf_apply(&im->plan, &t, &ao, &res, e);
	wf_apply_result_free(&res);
	free(bk);
	struct staged s = { 0 };
	if (r == 0)
		r = collect(im->root, "", &s, e);
	if (r == 0)
		r = wf_wim_update(wim, im->index, s.v, s.n, e);
	staged_free(&s);
	return r;
}

/* Read each image's SYSTEM back out of the written WIM and check the plan. */
static int verify(struct wf_media *m, struct wf_media_wim *w, struct wf_error *e)
{
	struct wf_wim *wim = wf_wim_open(w->host, 0, e);
	if (!wim)
		return -1;
	int r = 0;
	for (size_t i = 0; i < w->n_img && r == 0; i++) {
		struct wf_media_image *im = &w->img[i];
		char *dir = wf_xasprintf("%s/verify-%s-%d", m->stage, w->label, im->index);
		const char *paths[] = { HIVE_PATH[WF_HIVE_SYSTEM] };
		r = mkdir(dir, 0700) == 0 ? wf_wim_extract(wim, im->index, paths, 1, dir, e)
					 : wf_error_set(e, WF_ERR_INTERNAL, "%s: %s", dir, strerror(errno));
		char *hp = wf_xasprintf("%s%s", dir, HIVE_PATH[WF_HIVE_SYSTEM]);
		struct wf_hive *h = r == 0 ? wf_hive_open(hp, "SYSTEM", 0, e) : NULL;
		if (r == 0)
			r = h ? wf_plan_verify_hive(&im->plan, WF_HIVE_SYSTEM, h, e) : -1;
		if (r < 0)
			wf_error_prefix(e, "%s", im->name);
		wf_hive_close(h);
		free(hp);
		free(dir);
	}
	wf_wim_close(wim);
	return r;
}

static void on_bytes(void *ud, uint64_t done, uint64_t total)
{
	const struct wf_media_opts *o = ud;
	if (o->bytes)
		o->bytes(o->ud, done, total);
}

int wf_media_wim_apply(const struct wf_media_opts *o, struct wf_media *m,
		       struct wf_media_wim *w, struct wf_error *e)
{
	struct wf_wim *wim = wf_wim_open(w->host, 1, e);
	if (!wim)
		return -1;
	int r = 0;
	for (size_t i = 0; i < w->n_img && r == 0; i++) {
		wf_media_step(o, "%s image %d \"%s\": applying the plan", w->label, w->img[i].index,
			      w->img[i].name);
		r = apply_image(o, m, wim, &w->img[i], e);
	}
	if (r == 0) {
		wf_media_step(o, "writing %s", w->label);
		r = wf_wim_commit(wim, on_bytes, (void *)o, e);
	}
	wf_wim_close(wim);
	if (r == 0) {
		wf_media_step(o, "reading %s back", w->label);
		r = verify(m, w, e);
	}
	if (r < 0)
		wf_error_prefix(e, "%s", w->iso_path);
	return r;
}

void wf_media_wim_free(struct wf_media_wim *w)
{
	for (size_t i = 0; i < w->n_img; i++) {
		free(w->img[i].name);
		free(w->img[i].root);
		wf_winver_free(&w->img[i].ver);
		if (w->img[i].planned)
			wf_plan_free(&w->img[i].plan);
	}
	free(w->img);
	free(w->iso_path);
	free(w->host);
}
