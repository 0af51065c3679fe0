/*
 * media_xp.c - XP / Server 2003 media: the boot storage drivers merged
 * into text-mode setup (txtsetup.h), and the F6 floppy.
 *
 * Which Windows a medium holds comes from the tag files at its root, which
 * setup itself checks to recognise its CD (MSFN "CD tag files" lists;
 * [U]: collected from those lists, not from Microsoft):
 */
#include "media_priv.h"
#include "floppy.h"
#include "hive.h"
#include "isofs.h"
#include "text.h"
#include "txtsetup.h"
#include "virtio_src.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct tagfile {
	const char *file;	/* at the root of the CD */
	unsigned major, minor;
	const char *what;
} tagfiles[] = {
	{ .file = "/WIN51IP", .major = 5, .minor = 1, .what = "Windows XP Professional" },	/* [U] */
	{ .file = "/WIN51IC", .major = 5, .minor = 1, .what = "Windows XP Home" },		/* [U] */
	{ .file = "/WIN51IS", .major = 5, .minor = 2, .what = "Windows Server 2003 Standard" },	/* [U] */
	{ .file = "/WIN51IA", .major = 5, .minor = 2, .what = "Windows Server 2003 Enterprise" }, /* [U] */
	{ .file = "/WIN51IB", .major = 5, .minor = 2, .what = "Windows Server 2003 Web" },	/* [U] */
	{ .file = "/WIN51ID", .major = 5, .minor = 2, .what = "Windows Server 2003 Datacenter" }, /* [U] */
	{ .file = "/WIN51AP", .major = 5, .minor = 2, .what = "Windows XP Professional x64" },	/* [U] */
	{ .file = "/WIN51AS", .major = 5, .minor = 2, .what = "Windows Server 2003 x64" },	/* [U] */
	{ .file = "/WIN51AA", .major = 5, .minor = 2, .what = "Windows Server 2003 x64 Enterprise" }, /* [U] */
};

/* --windows spellings. */
static const struct named {
	const char *name;
	unsigned major, minor;
	int x64;
} named[] = {
	{ "xp", 5, 1, 0 }, { "2003", 5, 2, 0 }, { "xp-x64", 5, 2, 1 }, { "2003-x64", 5, 2, 1 },
};

static int windows_of(const struct wf_media_opts *o, char *const *files, size_t n, int x64,
		      struct wf_winver *v, const char **what, struct wf_error *e)
{
	memset(v, 0, sizeof *v);
	*what = NULL;
	if (o->windows) {
		for (size_t i = 0; i < sizeof named / sizeof *named; i++)
			if (wf_streqi(o->windows, named[i].name)) {
				v->major = named[i].major;
				v->minor = named[i].minor;
				x64 = named[i].x64;
				*what = named[i].name;
			}
		if (!*what)
			return wf_error_set(e, WF_ERR_USAGE,
					    "--windows %s: say xp, 2003, xp-x64 or 2003-x64", o->windows);
	}
	for (size_t i = 0; !*what && i < sizeof tagfiles / sizeof *tagfiles; i++)
		if (wf_media_find(files, n, tagfiles[i].file)) {
			v->major = tagfiles[i].major;
			v->minor = tagfiles[i].minor;
			*what = tagfiles[i].what;
		}
	if (!*what)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: which Windows is this? No tag file (WIN51IP, WIN51IS ...) at its "
				    "root: say --windows xp|2003|xp-x64|2003-x64",
				    o->iso ? o->iso : "medium");
	v->arch = wf_xstrdup(x64 ? "x86_64" : "i386");
	wf_winver_finish(v);
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* A driver's text-mode entries from its picked folder. */
struct xpdrv {
	struct wf_virtio_pick pk;
	struct wf_txt_driver d;
	char **hwids;
	size_t n_hwids;
	const char *extra[2];
};

static void from_pick(struct xpdrv *x)
{
	const struct wf_inf *inf = &x->pk.info;
	for (size_t i = 0; i < inf->n_models; i++)
		for (size_t k = 0; k < inf->models[i].n_hwids; k++) {
			const char *id = inf->models[i].hwids[k];
			int dup = 0;
			for (size_t j = 0; j < x->n_hwids; j++)
				dup |= wf_streqi(x->hwids[j], id);
			if (!dup) {
				x->hwids = wf_xrealloc(x->hwids, (x->n_hwids + 1) * sizeof *x->hwids);
				x->hwids[x->n_hwids++] = wf_xstrdup(id);
			}
		}
	size_t ne = 0;
	x->extra[ne++] = base_name(x->pk.inf);
	if (x->pk.cat)
		x->extra[ne++] = base_name(x->pk.cat);
	x->d = (struct wf_txt_driver){
		.svc = inf->n_services ? inf->services[0].name : x->pk.drv->id,
		.sys = base_name(x->pk.sys),
		.desc = inf->n_models && inf->models[0].desc ? inf->models[0].desc : x->pk.drv->label,
		.hwids = x->hwids, .n_hwids = x->n_hwids, .extra = x->extra, .n_extra = ne,
	};
}

static void xpdrv_free(struct xpdrv *x)
{
	wf_strv_free(x->hwids, x->n_hwids);
	wf_virtio_pick_free(&x->pk);
}

static int pick_all(const struct wf_media_opts *o, struct wf_media *m, const struct wf_winver *v,
		    struct xpdrv *xs, size_t *nx, struct wf_error *e)
{
	*nx = 0;
	for (size_t i = 0; i < o->n_drivers; i++) {
		const struct wf_virtio_driver *d = wf_virtio_driver_by_id(o->drivers[i]);
		if (!d)
			return wf_error_set(e, WF_ERR_USAGE, "%s: not a driver virt-winfix knows",
					    o->drivers[i]);
		if (!d->boot) {
			wf_sb_addf(&m->text, "%s: not a mass-storage driver, so not one for text-mode "
				   "setup: install it after setup\n", d->id);
			continue;
		}
		struct xpdrv *x = &xs[(*nx)++];
		memset(x, 0, sizeof *x);
		if (wf_virtio_pick(o->virtio, d->id, v, &x->pk, e) < 0) {
			(*nx)--;
			return -1;
		}
		from_pick(x);
	}
	if (!*nx)
		return wf_error_set(e, WF_ERR_USAGE, "no mass-storage driver asked for (viostor, vioscsi)");
	return 0;
}

/* Merge one setup file: ISO path -> merged host copy. */
static int merge_file(const struct wf_media_opts *o, struct wf_media *m, const char *iso_path,
		      int dosnet, const struct wf_txt_driver *d, size_t n, int x64,
		      char **host_out, struct wf_error *e)
{
	char *orig = wf_xasprintf("%s/%s.orig", m->stage, base_name(iso_path));
	*host_out = wf_xasprintf("%s/%s", m->stage, base_name(iso_path));
	struct wf_strbuf in = WF_STRBUF_INIT, out = WF_STRBUF_INIT, notes = WF_STRBUF_INIT;
	int r = wf_iso_extract(o->iso, iso_path, orig, e) == 0 &&
			wf_sb_read_file(&in, orig, 16u << 20, e) == 0 ? 0 : -1;
	size_t added = 0;
	if (r == 0) {
		if (dosnet)
			wf_dosnet_merge(in.buf, in.len, d, n, &out, &notes, &added);
		else
			wf_txtsetup_merge(in.buf, in.len, d, n, x64, &out, &notes, &added);
		FILE *f = fopen(*host_out, "wbx");
		r = f && fwrite(out.buf, 1, out.len, f) == out.len ? 0 : -1;
		if (f && fclose(f) != 0)
			r = -1;
		if (r < 0)
			wf_error_set(e, WF_ERR_INTERNAL, "%s: cannot write it", *host_out);
		wf_sb_addf(&m->text, "%s: %zu line(s) added, everything else unchanged\n%s", iso_path,
			   added, notes.buf);
	}
	wf_sb_release(&in);
	wf_sb_release(&out);
	wf_sb_release(&notes);
	free(orig);
	return r;
}

static void add_file(struct wf_media *m, const char *host, const char *iso_path)
{
	m->files_host = wf_xrealloc(m->files_host, (m->n_files + 1) * sizeof *m->files_host);
	m->files_iso = wf_xrealloc(m->files_iso, (m->n_files + 1) * sizeof *m->files_iso);
	m->files_host[m->n_files] = wf_xstrdup(host);
	m->files_iso[m->n_files++] = wf_xstrdup(iso_path);
}

static int build_floppy(const struct wf_media_opts *o, struct wf_media *m, struct xpdrv *xs,
			size_t nx, struct wf_error *e)
{
	struct wf_txt_driver d[8];
	for (size_t i = 0; i < nx; i++)
		d[i] = xs[i].d;
	struct wf_strbuf oem = WF_STRBUF_INIT;
	wf_txtsetup_oem(d, nx, d[0].svc, &oem);
	struct wf_floppy_file f[1 + 3 * 8];
	struct wf_strbuf data[3 * 8];
	size_t nf = 0, nd = 0;
	f[nf++] = (struct wf_floppy_file){ "TXTSETUP.OEM", oem.buf, oem.len };
	int r = 0;
	for (size_t i = 0; i < nx && r == 0; i++) {
		const char *src[3] = { xs[i].pk.sys, xs[i].pk.inf, xs[i].pk.cat };
		for (int k = 0; k < 3 && r == 0; k++) {
			if (!src[k])
				continue;
			data[nd] = (struct wf_strbuf)WF_STRBUF_INIT;
			r = wf_sb_read_file(&data[nd], src[k], 1u << 20, e);
			f[nf++] = (struct wf_floppy_file){ base_name(src[k]), data[nd].buf, data[nd].len };
			nd++;
		}
	}
	if (r == 0) {
		m->floppy_img = wf_xcalloc(1, WF_FLOPPY_BYTES);
		r = wf_floppy_build(m->floppy_img, "VIRTIO", f, nf, e);
		wf_sb_addf(&m->text, "%s: a 1.44 MB F6 floppy with TXTSETUP.OEM and %zu file(s)\n",
			   o->floppy, nf - 1);
	}
	for (size_t i = 0; i < nd; i++)
		wf_sb_release(&data[i]);
	wf_sb_release(&oem);
	return r;
}

int wf_media_xp_plan(const struct wf_media_opts *o, struct wf_media *m,
		     char *const *files, size_t n, struct wf_error *e)
{
	const char *amd = wf_media_find(files, n, "/AMD64/TXTSETUP.SIF");
	const char *sif = amd ? amd : wf_media_find(files, n, "/I386/TXTSETUP.SIF");
	int x64 = amd != NULL;
	struct wf_winver v;
	const char *what;
	if (windows_of(o, files, n, x64, &v, &what, e) < 0)
		return -1;
	x64 = v.arch && !strcmp(v.arch, "x86_64");
	wf_sb_addf(&m->text, "%s: %s (%s), text-mode setup\n", o->iso ? o->iso : "floppy", what,
		   v.arch);
	struct xpdrv xs[8];
	size_t nx = 0;
	int r = o->n_drivers > 8 ? wf_error_set(e, WF_ERR_USAGE, "too many drivers") :
				    pick_all(o, m, &v, xs, &nx, e);
	struct wf_txt_driver d[8];
	for (size_t i = 0; r == 0 && i < nx; i++) {
		d[i] = xs[i].d;
		wf_sb_addf(&m->text, "  %s from %s: service %s, %zu hardware id(s)\n", d[i].sys,
			   xs[i].pk.folder, d[i].svc, d[i].n_hwids);
	}
	if (r == 0 && sif && o->out) {
		m->folder = wf_xstrndup(sif, (size_t)(strrchr(sif, '/') - sif));
		char *dosnet = wf_xasprintf("%s/DOSNET.INF", m->folder);
		const char *dn = wf_media_find(files, n, dosnet);
		r = merge_file(o, m, sif, 0, d, nx, x64, &m->sif_host, e);
		if (r == 0 && dn)
			r = merge_file(o, m, dn, 1, d, nx, x64, &m->dosnet_host, e);
		for (size_t i = 0; r == 0 && i < nx; i++) {
			char *up = wf_xstrdup(d[i].sys);
			for (char *c = up; *c; c++)
				*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
			char *ip = wf_xasprintf("%s/%s", m->folder, up);
			add_file(m, xs[i].pk.sys, ip);
			wf_sb_addf(&m->text, "%s: the driver, beside TXTSETUP.SIF\n", ip);
			free(ip);
			free(up);
		}
		free(dosnet);
	}
	if (r == 0 && o->floppy)
		r = build_floppy(o, m, xs, nx, e);
	for (size_t i = 0; i < nx; i++)
		xpdrv_free(&xs[i]);
	wf_winver_free(&v);
	return r;
}
