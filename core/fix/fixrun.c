/*
 * fixrun.c - fix and undo on an inspected image (see fixrun.h).
 */
#include "fixrun.h"
#include "bcdstore.h"
#include "bootvol.h"
#include "guestdl.h"
#include "fixes.h"
#include "guardrails.h"
#include "hive.h"
#include "hiverecover.h"
#include "hostfile.h"
#include "inspect.h"
#include "text.h"
#include "virtio_src.h"
#include "vmpci.h"

#include <errno.h>
#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int wf_fixrun_may_write(const struct wf_inspection *in, struct wf_error *e)
{
	for (size_t i = 0; i < in->n_disks; i++) {
		const char *p = in->disks[i].img.path;
		if (access(p, R_OK | W_OK) < 0) {
			wf_error_set(e, WF_ERR_INPUT, "%s: not writable by this user: %s", p, strerror(errno));
			return 0;
		}
		if (wf_guard_image_unlocked(p, e) < 0)
			return 0;
	}
	return 1;
}

int wf_fixrun_launch(struct wf_inspection *in, const struct wf_fixrun_open *o,
		     struct wf_error *e)
{
	for (size_t i = 0; o->writable && i < in->n_disks; i++)
		if (wf_guard_image_unlocked(in->disks[i].img.path, e) < 0)
			return -1;
	int r = o->writable ? wf_inspect_guest_rw(in, &o->io, e) : wf_inspect_guest(in, &o->io, e);
	if (r < 0 && o->writable && in->n_disks)
		wf_guard_translate_lock_error(in->disks[0].img.path, e);
	return r;
}

int wf_fixrun_open_images(const char *const *paths, size_t n,
			  const struct wf_fixrun_open *o, struct wf_inspection *in,
			  struct wf_error *e)
{
	if (wf_inspect_probe(paths, n, in, e) < 0)
		return -1;
	return wf_fixrun_launch(in, o, e);
}

char *wf_fixrun_backup_dir(const struct wf_inspection *in,
			   const struct wf_fixrun_opts *o)
{
	if (o && o->backup_dir)
		return wf_xstrdup(o->backup_dir);
	return wf_xasprintf("%s.virt-winfix", in->n_disks ? in->disks[0].img.path : "image");
}

/* --- guest files for the builders (volume mounted at "/") ------------------------- */

static int g_read(void *ud, const char *path, size_t max, void **buf, size_t *len)
{
	guestfs_h *g = ud;
	char *p = guestfs_case_sensitive_path(g, path);
	if (!p || guestfs_is_file(g, p) <= 0) {
		free(p);
		return 0;
	}
	size_t n = 0;
	char *d = guestfs_pread(g, p, (int)(max > (1u << 20) ? 1u << 20 : max), 0, &n);
	free(p);
	if (!d)
		return -1;
	*buf = d;
	*len = n;
	return 1;
}

static int g_fetch(void *ud, const char *path, const char *host, enum wf_gkind kind)
{
	guestfs_h *g = ud;
	char *p = guestfs_case_sensitive_path(g, path);
	int r = p ? wf_guest_download(g, p, host, kind, NULL, NULL) : -1;
	free(p);
	return r < 0 ? -1 : 0;
}

static int need_windows(struct wf_inspection *in, size_t win, struct wf_error *e)
{
	if (!in->session || win >= in->n_win)
		return wf_error_set(e, WF_ERR_INTERNAL, "fix: no such Windows in the inspection");
	return 0;
}

int wf_fixrun_plan(struct wf_inspection *in, size_t win,
		   const char *const *ids, size_t n,
		   const struct wf_fixrun_opts *o, struct wf_plan *p,
		   struct wf_error *e)
{
	if (need_windows(in, win, e) < 0)
		return -1;
	struct wf_windows *w = &in->win[win];
	guestfs_h *g = wf_session_guestfs(in->session);
	struct wf_virtio_src *src = o ? o->virtio : NULL;
	struct wf_hive *sys = wf_hive_open(w->system_hive, "SYSTEM", 0, e);
	struct wf_hive *sw = sys ? wf_hive_open(w->software_hive, "SOFTWARE", 0, e) : NULL;
	int r = -1;
	struct wf_apply_io io;	/* its exists() is the builders' probe */
	wf_apply_io_guestfs(&io, g);
	struct wf_vm_virtio vm;		/* what the definition presents (vmpci.h) */
	if (o && o->dom)
		wf_vm_virtio_from_domfacts(o->dom, &vm);
	/* the BCD store, read-only, for the signature policy (sigpolicy.h):
	 * the inspection's copy (looked for now, with nothing mounted, if
	 * the inspection did not) */
	const char *bcd_host, *bcd_where, *why;
	struct wf_hive *bcd = NULL;
	if (sw && wf_inspect_bcd(in, win, &bcd_host, &bcd_where, &why) == WF_BCD_COPIED)
		bcd = wf_hive_open(bcd_host, "BCD", 0, NULL);
	if (sw && wf_inspect_mount(in, win, e) == 0) {
		struct wf_fixctx c = {
			.system = sys, .software = sw, .ver = &w->ver,
			.systemroot = w->systemroot, .probe = io.exists, .read = g_read,
			.fetch = g_fetch, .ud = g, .virtio = src,
			.current_only = o && o->current_only, .tmpdir = in->tmpdir,
			.bcd = bcd, .bcd_where = bcd ? bcd_where : NULL, .sig_mode = o ? o->sig_mode : 0,
			.vm = o && o->dom ? &vm : NULL,
		};
		wf_plan_init(p);
		r = wf_fixes_build(&c, ids, n, p, e);
		wf_plan_note_hivelog(p, WF_HIVE_SYSTEM, &w->system_log);
		wf_plan_note_hivelog(p, WF_HIVE_SOFTWARE, &w->software_log);
	}
	wf_hive_close(sys);
	wf_hive_close(sw);
	wf_hive_close(bcd);
	return r;
}

int wf_fixrun_check(struct wf_inspection *in, size_t win, struct wf_error *e)
{
	if (need_windows(in, win, e) < 0)
		return -1;
	if (wf_inspect_mount(in, win, e) < 0)
		return -1;
	return wf_guard_not_hibernated(wf_session_guestfs(in->session), in->win[win].device, e);
}

/* Copy the guest's hives over the inspection's host copies (read with
 * their logs when not cleanly saved, as the inspection does). */
static int refresh(struct wf_inspection *in, struct wf_windows *w, struct wf_error *e)
{
	guestfs_h *g = wf_session_guestfs(in->session);
	const char *guest[2] = { w->guest_system_hive, w->guest_software_hive };
	const char *host[2] = { w->system_hive, w->software_hive };
	struct wf_hivelog_result *log[2] = { &w->system_log, &w->software_log };
	for (int i = 0; i < 2; i++) {
		if (wf_guest_download(g, guest[i], host[i], WF_GK_HIVE, NULL, e) < 0)
			return wf_error_prefix(e, "reading the hive back");
		if (wf_guest_recover_hive(g, guest[i], host[i], log[i], e) < 0)
			return -1;
	}
	return 0;
}

/* A backup folder that exists must be one we may use (hostfile.h:
 * ours, a real folder, no one else may write to it) before the volume is
 * mounted read-write: mounting NTFS read-write changes the image even
 * when nothing is written after, so a refusal must come first. */
static int check_backup_dir(const char *bk, struct wf_error *e)
{
	struct stat st;
	if (!bk || lstat(bk, &st) < 0)
		return 0;	/* made when the fix is applied */
	int fd = wf_hostdir_open(bk, WF_HOSTDIR_PRIVATE, e);
	if (fd < 0)
		return wf_error_prefix(e, "host backup folder");
	close(fd);
	return 0;
}

/* Lift the write protection, mount rw (with the BCD store's volume beside
 * Windows' when `boot` and it is elsewhere: bootvol.h), fill the target
 * (its I/O failing at call o->fail_io_at for the fault tests), run `fn`,
 * unmount, protect again, refresh the host copies of the hives. */
static int with_target(struct wf_inspection *in, size_t win, const struct wf_fixrun_opts *o,
		       const struct wf_apply_opts *ao, int boot,
		       int (*fn)(const struct wf_apply_target *t, void *ud, struct wf_error *e),
		       void *ud, struct wf_error *e)
{
	if (need_windows(in, win, e) < 0 || wf_fixrun_check(in, win, e) < 0)
		return -1;
	struct wf_windows *w = &in->win[win];
	guestfs_h *g = wf_session_guestfs(in->session);
	if (ao && ao->cancel && *ao->cancel)	/* even a read-write mount writes (NTFS's log) */
		return wf_error_set(e, WF_ERR_CANCELLED, "interrupted before anything in the guest was changed");
	char *bk = wf_fixrun_backup_dir(in, o);
	if (check_backup_dir(bk, e) < 0) {
		free(bk);
		return -1;
	}
	if (ao && ao->progress)
		ao->progress(ao->progress_ud, 0, 0, "mounting the Windows volume read-write");
	if (wf_inspect_unmount(in, e) < 0 || wf_session_set_writable(in->session, 1, e) < 0) {
		free(bk);
		return -1;
	}
	struct wf_bootvol bv = { 0 };
	if (boot)
		wf_bootvol_find(g, w->device, in->filesystems, &bv);
	struct wf_apply_io io, real;
	struct wf_apply_fault fault;
	int r = wf_bootvol_mount(g, w->device, &bv, &real, e);
	if (r == 0 && ao && ao->cancel && *ao->cancel)	/* interrupted during the mount */
		r = wf_error_set(e, WF_ERR_CANCELLED, "interrupted before anything in the guest was changed");
	if (r == 0) {
		if (o && o->fail_io_at)
			wf_apply_io_fault(&io, &fault, &real, o->fail_io_at);
		else
			io = real;
		struct wf_apply_target t = {
			.io = &io, .systemroot = w->systemroot,
			.hive = { w->guest_system_hive, w->guest_software_hive, bv.hive_path },
			.host_backup_dir = bk, .tmpdir = in->tmpdir,
			.image = in->n_disks ? in->disks[0].img.path : NULL,
		};
		r = fn(&t, ud, e);
		wf_inspect_files(in, win, 1);	/* the driver folders may have changed */
		if (boot)
			wf_inspect_bcd_forget(in, win);	/* and the BCD store */
	}
	struct wf_error e1 = { 0 };
	if (wf_bootvol_umount(g, &bv, &e1) < 0 && r == 0)
		r = wf_error_set(e, WF_ERR_APPLIANCE, "%s: %s", w->device, e1.msg);
	wf_bootvol_free(&bv);
	if (wf_session_set_writable(in->session, 0, &e1) < 0 && r == 0)
		r = wf_error_set(e, e1.kind, "%s", e1.msg);
	if (wf_inspect_mount(in, win, &e1) == 0 && refresh(in, w, &e1) < 0 && r == 0)
		r = wf_error_set(e, e1.kind, "%s", e1.msg);	/* what is on the volume now */
	free(bk);
	return r;
}

struct apply_args {
	const struct wf_plan *p;
	const struct wf_apply_opts *ao;
	struct wf_apply_result *r;
	const char *id;
	struct wf_journal **v;
	size_t *n;
};

static int do_apply(const struct wf_apply_target *t, void *ud, struct wf_error *e)
{
	struct apply_args *a = ud;
	return wf_apply(a->p, t, a->ao, a->r, e);
}

static int do_undo(const struct wf_apply_target *t, void *ud, struct wf_error *e)
{
	struct apply_args *a = ud;
	return wf_undo(t, a->id, a->ao, a->r, e);
}

static int do_list(const struct wf_apply_target *t, void *ud, struct wf_error *e)
{
	struct apply_args *a = ud;
	return wf_undo_list(t, a->v, a->n, e);
}

int wf_fixrun_apply(struct wf_inspection *in, size_t win,
		    const struct wf_plan *p, const struct wf_fixrun_opts *o,
		    const struct wf_apply_opts *ao, struct wf_apply_result *r,
		    struct wf_error *e)
{
	struct apply_args a = { .p = p, .ao = ao, .r = r };
	memset(r, 0, sizeof *r);
	return with_target(in, win, o, ao, wf_plan_count_hive(p, WF_HIVE_BCD) > 0, do_apply, &a, e);
}

int wf_fixrun_undo(struct wf_inspection *in, size_t win, const char *id,
		   const struct wf_fixrun_opts *o, const struct wf_apply_opts *ao,
		   struct wf_apply_result *r, struct wf_error *e)
{
	struct apply_args a = { .ao = ao, .r = r, .id = id };
	memset(r, 0, sizeof *r);
	return with_target(in, win, o, ao, 1, do_undo, &a, e);
}

int wf_fixrun_list(struct wf_inspection *in, size_t win,
		   const struct wf_fixrun_opts *o, struct wf_journal **v,
		   size_t *n, struct wf_error *e)
{
	*v = NULL;
	*n = 0;
	if (need_windows(in, win, e) < 0)
		return -1;
	struct wf_windows *w = &in->win[win];
	guestfs_h *g = wf_session_guestfs(in->session);
	if (wf_inspect_mount(in, win, e) < 0)
		return -1;
	struct wf_apply_io io;
	wf_apply_io_guestfs(&io, g);
	char *bk = wf_fixrun_backup_dir(in, o);
	struct wf_apply_target t = { .io = &io, .systemroot = w->systemroot,
				     .host_backup_dir = bk, .tmpdir = in->tmpdir };
	struct apply_args a = { .v = v, .n = n };
	int r = do_list(&t, &a, e);
	free(bk);
	return r;
}
