/*
 * media.c - install media for KVM (see media.h): what kind of medium, the
 * plan, and the new ISO.
 */
#include "media_priv.h"
#include "floppy.h"
#include "hive.h"
#include "isofs.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void wf_media_step(const struct wf_media_opts *o, const char *fmt, ...)
{
	if (!o->step)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	o->step(o->ud, buf);
}

const char *wf_media_find(char *const *files, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (wf_streqi(files[i], want))
			return files[i];
	return NULL;
}

enum wf_media_kind wf_media_kind_of(char *const *files, size_t n, const char **why)
{
	*why = NULL;
	if (wf_media_find(files, n, "/sources/boot.wim") || wf_media_find(files, n, "/sources/install.wim") ||
	    wf_media_find(files, n, "/sources/install.esd"))
		return WF_MEDIA_WIM;
	if (wf_media_find(files, n, "/I386/TXTSETUP.SIF") || wf_media_find(files, n, "/AMD64/TXTSETUP.SIF"))
		return WF_MEDIA_TEXTMODE;
	/* Windows 8 and later ISOs from Microsoft keep their files in UDF only;
	 * the ISO 9660 tree holds a README.TXT saying so. */
	if (n <= 2 && wf_media_find(files, n, "/README.TXT"))
		*why = "its files are in UDF only (Windows 8 and later media from Microsoft): xorriso "
		       "reads ISO 9660 / Joliet / Rock Ridge, not UDF; copy the files out (mount -o "
		       "loop -t udf) and make an ISO 9660 image of them with xorriso first";
	else
		*why = "not Windows install media: no sources/boot.wim, sources/install.wim or "
		       "install.esd, and no I386/TXTSETUP.SIF or AMD64/TXTSETUP.SIF";
	return WF_MEDIA_NONE;
}

static int plan_wims(const struct wf_media_opts *o, struct wf_media *m, char *const *files,
		     size_t n, struct wf_error *e)
{
	static const char *const names[] = { "/sources/boot.wim", "/sources/install.wim",
					     "/sources/install.esd" };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *p = wf_media_find(files, n, names[i]);
		if (!p)
			continue;
		m->wims = wf_xrealloc(m->wims, (m->n_wims + 1) * sizeof *m->wims);
		struct wf_media_wim *w = &m->wims[m->n_wims++];
		memset(w, 0, sizeof *w);
		w->iso_path = wf_xstrdup(p);
		if (wf_media_wim_plan(o, m, w, i == 0, e) < 0)
			return -1;
	}
	if (wf_media_find(files, n, "/sources/install.esd"))
		wf_sb_adds(&m->text, "install.esd: changed by appending to it; wimlib cannot read "
				      "encrypted ESD files (those are refused above)\n");
	return 0;
}

int wf_media_plan(const struct wf_media_opts *o, struct wf_media *m, struct wf_error *e)
{
	memset(m, 0, sizeof *m);
	m->text = (struct wf_strbuf)WF_STRBUF_INIT;
	if (!o->virtio)
		return wf_error_set(e, WF_ERR_USAGE, "media: --virtio-win DIR|ISO is required");
	if (!o->n_drivers)
		return wf_error_set(e, WF_ERR_USAGE, "media: no driver asked for");
	m->stage = wf_xasprintf("%s/media.XXXXXX", o->tmpdir ? o->tmpdir : "/tmp");
	if (!mkdtemp(m->stage))
		return wf_error_set(e, WF_ERR_INTERNAL, "%s: %s", m->stage, strerror(errno));
	char **files = NULL;
	size_t n = 0;
	if (o->iso) {
		wf_media_step(o, "listing %s", o->iso);
		if (wf_iso_list(o->iso, &files, NULL, &n, e) < 0)
			return -1;
		const char *why;
		m->kind = wf_media_kind_of(files, n, &why);
		if (m->kind == WF_MEDIA_NONE) {
			wf_strv_free(files, n);
			return wf_error_set(e, WF_ERR_INPUT, "%s: %s", o->iso, why);
		}
	} else {
		m->kind = WF_MEDIA_TEXTMODE;	/* a floppy alone */
	}
	int r;
	if (m->kind == WF_MEDIA_WIM && o->floppy)
		r = wf_error_set(e, WF_ERR_USAGE, "--floppy is for XP / 2003 text-mode setup; "
				 "this medium is Vista or later");
	else if (m->kind == WF_MEDIA_WIM)
		r = plan_wims(o, m, files, n, e);
	else
		r = wf_media_xp_plan(o, m, files, n, e);
	wf_strv_free(files, n);
	if (r == 0 && o->out)
		wf_sb_addf(&m->text, "New ISO: %s (boot records, system area and volume id as in %s; "
			   "%s is not changed)\n", o->out, o->iso, o->iso);
	return r;
}

static int write_floppy(const struct wf_media_opts *o, struct wf_media *m, struct wf_error *e)
{
	int fd = open(o->floppy, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return wf_error_set(e, WF_ERR_USAGE, "%s: %s", o->floppy, strerror(errno));
	int ok = write(fd, m->floppy_img, WF_FLOPPY_BYTES) == (ssize_t)WF_FLOPPY_BYTES;
	ok &= fsync(fd) == 0;
	ok &= close(fd) == 0;
	if (!ok) {
		unlink(o->floppy);
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot write it", o->floppy);
	}
	return 0;
}

static void on_iso_line(void *ud, const char *line)
{
	const struct wf_media_opts *o = ud;
	if (strstr(line, "UPDATE") && strstr(line, "done"))
		wf_media_step(o, "%s", line);
}

static int rebuild(const struct wf_media_opts *o, struct wf_media *m, struct wf_error *e)
{
	size_t n = 0, cap = m->n_wims + m->n_files + 2;
	struct wf_iso_map *map = wf_xcalloc(cap, sizeof *map);
	for (size_t i = 0; i < m->n_wims; i++)
		map[n++] = (struct wf_iso_map){ m->wims[i].host, m->wims[i].iso_path };
	if (m->sif_host)
		map[n++] = (struct wf_iso_map){ m->sif_host, NULL };
	if (m->dosnet_host)
		map[n++] = (struct wf_iso_map){ m->dosnet_host, NULL };
	char *sif_iso = m->folder ? wf_xasprintf("%s/TXTSETUP.SIF", m->folder) : NULL;
	char *dn_iso = m->folder ? wf_xasprintf("%s/DOSNET.INF", m->folder) : NULL;
	for (size_t i = 0; i < n; i++)
		if (!map[i].iso_path)
			map[i].iso_path = map[i].host == m->sif_host ? sif_iso : dn_iso;
	for (size_t i = 0; i < m->n_files; i++)
		map[n++] = (struct wf_iso_map){ m->files_host[i], m->files_iso[i] };
	wf_media_step(o, "writing %s", o->out);
	int r = wf_iso_rebuild(o->iso, o->out, map, n, on_iso_line, (void *)o, e);
	free(sif_iso);
	free(dn_iso);
	free(map);
	return r;
}

int wf_media_apply(const struct wf_media_opts *o, struct wf_media *m, struct wf_error *e)
{
	if (o->out) {
		struct stat st;
		if (lstat(o->out, &st) == 0)
			return wf_error_set(e, WF_ERR_USAGE, "%s: already exists (choose a new name)", o->out);
	}
	for (size_t i = 0; i < m->n_wims; i++)
		if (wf_media_wim_apply(o, m, &m->wims[i], e) < 0)
			return -1;
	if (o->floppy && m->floppy_img && write_floppy(o, m, e) < 0)
		return -1;
	if (o->out && o->iso && rebuild(o, m, e) < 0)
		return -1;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void wf_media_free(struct wf_media *m)
{
	for (size_t i = 0; i < m->n_wims; i++)
		wf_media_wim_free(&m->wims[i]);
	free(m->wims);
	wf_strv_free(m->files_host, m->n_files);
	wf_strv_free(m->files_iso, m->n_files);
	free(m->folder);
	free(m->sif_host);
	free(m->dosnet_host);
	free(m->floppy_img);
	if (m->stage) {
		nftw(m->stage, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(m->stage);
	}
	wf_sb_release(&m->text);
	memset(m, 0, sizeof *m);
}
