/*
 * fixrun.c - fix and undo on an inspected image (see fixrun.h).
 */
#include "fixrun.h"
#include "guestdl.h"
#include "fixes.h"
#include "guardrails.h"
#include "hive.h"
#include "hiverecover.h"
#include "hostfile.h"
#include "inspect.h"
#include "text.h"
#include "virtio_src.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Mount Windows' volume read-only at "/". */
static int mount_ro(guestfs_h *g, const struct wf_windows *w, struct wf_error *e)
{
	if (guestfs_mount_ro(g, w->device, "/") < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "%s: cannot mount it: %s", w->device,
				    guestfs_last_error(g));
	return 0;
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
	if (sw && mount_ro(g, w, e) == 0) {
		struct wf_fixctx c = {
			.system = sys, .software = sw, .ver = &w->ver,
			.systemroot = w->systemroot, .probe = io.exists, .read = g_read,
			.fetch = g_fetch, .ud = g, .virtio = src,
			.current_only = o && o->current_only, .tmpdir = in->tmpdir,
		};
		wf_plan_init(p);
		r = wf_fixes_build(&c, ids, n, p, e);
		wf_plan_note_hivelog(p, WF_HIVE_SYSTEM, &w->system_log);
		wf_plan_note_hivelog(p, WF_HIVE_SOFTWARE, &w->software_log);
		guestfs_umount_all(g);
	}
	wf_hive_close(sys);
	wf_hive_close(sw);
	return r;
}

int wf_fixrun_check(struct wf_inspection *in, size_t win, struct wf_error *e)
{
	if (need_windows(in, win, e) < 0)
		return -1;
	struct wf_windows *w = &in->win[win];
	guestfs_h *g = wf_session_guestfs(in->session);
	if (mount_ro(g, w, e) < 0)
		return -1;
	int r = wf_guard_not_hibernated(g, w->device, e);
	guestfs_umount_all(g);
	return r;
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

/* Mount rw, fill the target, run `fn`, unmount, refresh. */
static int with_target(struct wf_inspection *in, size_t win, const struct wf_fixrun_opts *o,
		       int (*fn)(const struct wf_apply_target *t, void *ud,
				 struct wf_error *e),
		       void *ud, struct wf_error *e)
{
	if (need_windows(in, win, e) < 0 || wf_fixrun_check(in, win, e) < 0)
		return -1;
	struct wf_windows *w = &in->win[win];
	guestfs_h *g = wf_session_guestfs(in->session);
	char *bk = wf_fixrun_backup_dir(in, o);
	if (check_backup_dir(bk, e) < 0 || wf_guard_mount_rw(g, w->device, e) < 0) {
		free(bk);
		return -1;
	}
	struct wf_apply_io io, real;
	struct wf_apply_fault fault;
	wf_apply_io_guestfs(&real, g);
	if (o && o->fail_io_at)
		wf_apply_io_fault(&io, &fault, &real, o->fail_io_at);
	else
		io = real;
	struct wf_apply_target t = {
		.io = &io, .systemroot = w->systemroot,
		.hive = { w->guest_system_hive, w->guest_software_hive },
		.host_backup_dir = bk, .tmpdir = in->tmpdir,
		.image = in->n_disks ? in->disks[0].img.path : NULL,
	};
	int r = fn(&t, ud, e);
	if (guestfs_umount_all(g) < 0 && r == 0)
		r = wf_error_set(e, WF_ERR_APPLIANCE, "%s: cannot unmount it: %s", w->device,
				 guestfs_last_error(g));
	if (guestfs_mount_ro(g, w->device, "/") == 0) {
		struct wf_error e2 = { 0 };
		if (refresh(in, w, &e2) < 0 && r == 0)
			r = wf_error_set(e, e2.kind, "%s", e2.msg);
		guestfs_umount_all(g);
	}
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
	return with_target(in, win, o, do_apply, &a, e);
}

int wf_fixrun_undo(struct wf_inspection *in, size_t win, const char *id,
		   const struct wf_fixrun_opts *o, const struct wf_apply_opts *ao,
		   struct wf_apply_result *r, struct wf_error *e)
{
	struct apply_args a = { .ao = ao, .r = r, .id = id };
	memset(r, 0, sizeof *r);
	return with_target(in, win, o, do_undo, &a, e);
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
	if (mount_ro(g, w, e) < 0)
		return -1;
	struct wf_apply_io io;
	wf_apply_io_guestfs(&io, g);
	char *bk = wf_fixrun_backup_dir(in, o);
	struct wf_apply_target t = { .io = &io, .systemroot = w->systemroot,
				     .host_backup_dir = bk, .tmpdir = in->tmpdir };
	struct apply_args a = { .v = v, .n = n };
	int r = do_list(&t, &a, e);
	guestfs_umount_all(g);
	free(bk);
	return r;
}
