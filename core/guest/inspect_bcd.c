/*
 * inspect_bcd.c - the BCD store seen by the search for Windows, and asked
 * for later (see inspect_bcd.h, inspect.h).
 */
#include "inspect_bcd.h"
#include "strbuf.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FAT 16

static void look(struct wf_bcdscan *sc, guestfs_h *g, const char *dev, const char *tmpdir)
{
	if (sc->n >= WF_BCDSCAN_MAX)
		return;
	size_t k = sc->n;
	char *host = wf_xasprintf("%s/BCD.scan%zu", tmpdir, k);
	struct wf_error e = { 0 };
	int copied = 0;
	guestfs_push_error_handler(g, NULL, NULL);
	int found = wf_bcdstore_here(g, dev, NULL, &sc->s[k], host, &copied, &e);
	guestfs_pop_error_handler(g);
	if (!found) {
		free(host);
		return;
	}
	if (copied < 0) {
		unlink(host);
		free(host);
		sc->error[k] = wf_xstrdup(e.msg);
	} else {
		sc->host[k] = host;
	}
	sc->n++;
}

void wf_bcdscan_fat(struct wf_bcdscan *sc, guestfs_h *g, char *const *fs, const char *tmpdir)
{
	for (size_t i = 0; fs && fs[i] && fs[i + 1] && i / 2 < MAX_FAT && !sc->n; i += 2) {
		if (strcmp(fs[i + 1], "vfat") != 0 || guestfs_mount_ro(g, fs[i], "/") < 0)
			continue;
		look(sc, g, fs[i], tmpdir);
		guestfs_umount_all(g);
	}
	sc->fat = sc->n > 0;
}

void wf_bcdscan_here(struct wf_bcdscan *sc, guestfs_h *g, const char *dev, const char *tmpdir)
{
	if (!sc->fat)
		look(sc, g, dev, tmpdir);
}

/* bcdstore.h's order: FAT, then another volume, then Windows' own. */
static size_t pick(const struct wf_bcdscan *sc, const char *windev)
{
	if (sc->fat)
		return 0;
	for (size_t k = 0; k < sc->n; k++)
		if (strcmp(sc->s[k].device, windev) != 0)
			return k;
	for (size_t k = 0; k < sc->n; k++)
		if (strcmp(sc->s[k].device, windev) == 0)
			return k;
	return sc->n;
}

static void take(struct wf_windows *w, const struct wf_bcdscan *sc, size_t k, const char *tmpdir)
{
	if (k == sc->n) {
		w->bcd = WF_BCD_NONE;
		return;
	}
	w->bcd_where = wf_xstrdup(sc->s[k].where);
	if (!sc->host[k]) {
		w->bcd = WF_BCD_FAILED;
		w->bcd_error = wf_xstrdup(sc->error[k] ? sc->error[k] : "not copied");
		return;
	}
	/* each Windows its own copy: the plan and the diagnosis may open it */
	w->bcd_host = wf_xasprintf("%s/BCD.%s", tmpdir, strrchr(w->device, '/') + 1);
	w->bcd = link(sc->host[k], w->bcd_host) == 0 ? WF_BCD_COPIED : WF_BCD_UNKNOWN;
	if (w->bcd == WF_BCD_UNKNOWN) {
		free(w->bcd_host);
		free(w->bcd_where);
		w->bcd_host = w->bcd_where = NULL;
	}
}

void wf_bcdscan_assign(struct wf_bcdscan *sc, struct wf_windows *w, size_t n, const char *tmpdir)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].bcd == WF_BCD_UNKNOWN && w[i].device && strrchr(w[i].device, '/'))
			take(&w[i], sc, pick(sc, w[i].device), tmpdir);
	for (size_t k = 0; k < sc->n; k++) {
		if (sc->host[k])
			unlink(sc->host[k]);
		free(sc->host[k]);
		free(sc->error[k]);
		wf_bcdstore_free(&sc->s[k]);
	}
	memset(sc, 0, sizeof *sc);
}

void wf_windows_bcd_free(struct wf_windows *w)
{
	if (w->bcd_host)
		unlink(w->bcd_host);
	free(w->bcd_host);
	free(w->bcd_where);
	free(w->bcd_error);
	w->bcd_host = w->bcd_where = w->bcd_error = NULL;
	w->bcd = WF_BCD_UNKNOWN;
}

/* Not seen by the search: looked for now, with nothing mounted. */
static void look_now(struct wf_inspection *in, struct wf_windows *w)
{
	guestfs_h *g = wf_session_guestfs(in->session);
	struct wf_error e = { 0 };
	if (wf_inspect_unmount(in, &e) < 0) {
		w->bcd = WF_BCD_FAILED;
		w->bcd_error = wf_xstrdup(e.msg);
		return;
	}
	struct wf_bcdstore bs;
	w->bcd_host = wf_xasprintf("%s/BCD.%s", in->tmpdir, strrchr(w->device, '/') + 1);
	int found = wf_bcdstore_find_copy(g, w->device, in->filesystems, &bs, w->bcd_host, &e);
	w->bcd = found == 1 ? WF_BCD_COPIED : found == 0 ? WF_BCD_NONE : WF_BCD_FAILED;
	if (found)
		w->bcd_where = wf_xstrdup(bs.where);
	if (found < 0)
		w->bcd_error = wf_xstrdup(e.msg);
	if (found != 1) {
		unlink(w->bcd_host);
		free(w->bcd_host);
		w->bcd_host = NULL;
	}
	wf_bcdstore_free(&bs);
}

enum wf_bcd_state wf_inspect_bcd(struct wf_inspection *in, size_t win, const char **host,
				 const char **where, const char **why)
{
	*host = *where = *why = NULL;
	if (win >= in->n_win || !in->session)
		return WF_BCD_NONE;
	struct wf_windows *w = &in->win[win];
	if (w->bcd == WF_BCD_UNKNOWN && w->device && strrchr(w->device, '/'))
		look_now(in, w);
	*host = w->bcd_host;
	*where = w->bcd_where;
	*why = w->bcd_error;
	return w->bcd == WF_BCD_UNKNOWN ? WF_BCD_NONE : w->bcd;
}

void wf_inspect_bcd_forget(struct wf_inspection *in, size_t win)
{
	if (win < in->n_win)
		wf_windows_bcd_free(&in->win[win]);
}
