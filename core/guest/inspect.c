#include "inspect.h"
#include "guestdl.h"
#include "unlock.h"
#include "guestfiles.h"
#include "hive.h"
#include "hiverecover.h"
#include "pe.h"
#include "strbuf.h"
#include "text.h"

#include <errno.h>
#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* --- stage 1: images and libblkid ---------------------------------------- */

static int can_hold_windows(const char *fstype)
{
	return fstype && (strcmp(fstype, "ntfs") == 0 ||
			  strcmp(fstype, "vfat") == 0 ||
			  strcmp(fstype, "BitLocker") == 0);
}

/* What libblkid shows rules Windows out: say so before any appliance. */
static int precheck(const struct wf_disk *d, struct wf_error *e)
{
	const struct wf_probe *p = &d->probe;
	if (!d->probed)
		return 0;
	int any_fs = p->fstype != NULL, usable = can_hold_windows(p->fstype);
	for (size_t i = 0; i < p->n_parts; i++) {
		any_fs |= p->parts[i].fstype != NULL;
		usable |= can_hold_windows(p->parts[i].fstype);
	}
	if (!p->pttype && !any_fs)
		return wf_error_set(e, WF_ERR_NOT_WINDOWS,
				    "%s: blank disk: no partition table and no filesystem",
				    d->img.path);
	if (p->n_bitlocker && !p->n_ntfs)
		return wf_error_set(e, WF_ERR_ENCRYPTED,
				    "%s: the Windows volume is BitLocker-encrypted; give its recovery key or password with --key DEVICE:key:KEY (or all:key:KEY), or unlock it first (for example with dislocker)",
				    d->img.path);
	if (!usable) {
		const char *fs = p->fstype;
		for (size_t i = 0; !fs && i < p->n_parts; i++)
			fs = p->parts[i].fstype;
		return wf_error_set(e, WF_ERR_NOT_WINDOWS,
				    "%s: not a Windows disk: no NTFS or FAT volume (found %s)",
				    d->img.path, fs ? fs : "no filesystem");
	}
	return 0;
}

int wf_inspect_probe(const char *const *paths, size_t n,
		     struct wf_inspection *in, struct wf_error *e)
{
	memset(in, 0, sizeof *in);
	double t0 = now();
	in->disks = wf_xcalloc(n, sizeof *in->disks);
	for (size_t i = 0; i < n; i++) {
		struct wf_disk *d = &in->disks[in->n_disks];
		if (wf_image_open(paths[i], &d->img, e) < 0)
			return -1;
		in->n_disks++;
		if (d->img.format == WF_FMT_RAW) {
			if (wf_probe_image(paths[i], &d->probe, e) < 0)
				return -1;
			d->probed = 1;
		}
	}
	in->probe_seconds = now() - t0;
	/* several disks: one of them may be a data disk; judge the set */
	if (n == 1)
		return precheck(&in->disks[0], e);
	return 0;
}

/* --- stage 2: the guest --------------------------------------------------- */

/* A directory below the root, case-insensitively; malloc'd real path. */
static char *find_dir(guestfs_h *g, const char *path)
{
	char *real = guestfs_case_sensitive_path(g, path);
	if (real && guestfs_is_dir(g, real) > 0)
		return real;
	free(real);
	return NULL;
}

static char *find_file(guestfs_h *g, const char *path)
{
	char *real = guestfs_case_sensitive_path(g, path);
	if (real && guestfs_is_file(g, real) > 0)
		return real;
	free(real);
	return NULL;
}

/* The system root on a mounted volume: a Windows directory holding
 * System32\config and System32\cmd.exe (as libguestfs checks). */
static char *find_systemroot(guestfs_h *g)
{
	static const char *const candidates[] = {
		"/Windows", "/WINNT", "/win32", "/win", NULL,
	};
	for (int i = 0; candidates[i]; i++) {
		char *root = find_dir(g, candidates[i]);
		if (!root)
			continue;
		char *cfg = wf_xasprintf("%s/System32/config", root);
		char *cmd = wf_xasprintf("%s/System32/cmd.exe", root);
		char *c1 = find_dir(g, cfg), *c2 = find_file(g, cmd);
		int ok = c1 && c2;
		free(cfg);
		free(cmd);
		free(c1);
		free(c2);
		if (ok)
			return root;
		free(root);
	}
	return NULL;
}

static char *arch_of_cmd(guestfs_h *g, const char *root)
{
	char *p = wf_xasprintf("%s/System32/cmd.exe", root);
	char *real = guestfs_case_sensitive_path(g, p);
	free(p);
	if (!real)
		return NULL;
	size_t n = 0;
	char *buf = guestfs_pread(g, real, 4096, 0, &n);
	free(real);
	if (!buf)
		return NULL;
	struct wf_pe_info pe;
	char *arch = NULL;
	if (wf_pe_parse(buf, n, "cmd.exe", &pe, NULL) == 0) {
		const char *a = wf_pe_machine_arch(pe.machine);
		arch = a ? wf_xstrdup(a) : NULL;
		wf_pe_free(&pe);
	}
	free(buf);
	return arch;
}

/* Download one hive; *guest_out gets the guest path (for messages). */
static char *fetch_hive(struct wf_inspection *in, guestfs_h *g, const char *root,
			const char *name, size_t idx, char **guest_out,
			struct wf_hivelog_result *log, struct wf_error *e)
{
	char *p = wf_xasprintf("%s/System32/config/%s", root, name);
	char *real = find_file(g, p);
	*guest_out = real ? wf_xstrdup(real) : wf_xstrdup(p);
	free(p);
	if (!real) {
		wf_error_set(e, WF_ERR_INPUT, "%s: missing from the guest",
			     *guest_out);
		return NULL;
	}
	char *local = wf_xasprintf("%s/%zu-%s", in->tmpdir, idx, name);
	if (wf_guest_download(g, real, local, WF_GK_HIVE, NULL, e) < 0) {
		unlink(local);
		free(real);
		free(local);
		return NULL;
	}
	/* not cleanly saved: read it as Windows would, logs replayed */
	int r = wf_guest_recover_hive(g, real, local, log, e);
	free(real);
	if (r < 0) {
		unlink(local);
		free(local);
		return NULL;
	}
	return local;
}

/* Re-label a hive error so that it names the guest file, not our copy. */
static int hive_error(struct wf_error *e, const char *guest_path,
		      const char *local_path)
{
	if (!e)
		return -1;
	char msg[sizeof e->msg];
	const char *rest = strstr(e->msg, local_path);
	snprintf(msg, sizeof msg, "%s%s", guest_path,
		 rest ? rest + strlen(local_path) : e->msg);
	memcpy(e->msg, msg, sizeof msg);
	return -1;
}

static int read_hives(struct wf_inspection *in, guestfs_h *g,
		      struct wf_windows *w, struct wf_error *e)
{
	size_t idx = in->n_win;
	w->software_hive = fetch_hive(in, g, w->systemroot, "SOFTWARE", idx,
				      &w->guest_software_hive, &w->software_log, e);
	if (!w->software_hive)
		return -1;
	w->system_hive = fetch_hive(in, g, w->systemroot, "SYSTEM", idx,
				    &w->guest_system_hive, &w->system_log, e);
	if (!w->system_hive)
		return -1;
	struct wf_hive *sw = wf_hive_open(w->software_hive, "SOFTWARE", 0, e);
	if (!sw || wf_winver_read_software(sw, &w->ver, e) < 0) {
		wf_hive_close(sw);
		return hive_error(e, w->guest_software_hive, w->software_hive);
	}
	wf_hive_close(sw);
	struct wf_hive *sys = wf_hive_open(w->system_hive, "SYSTEM", 0, e);
	if (!sys || wf_winver_read_system(sys, &w->ver, e) < 0) {
		wf_hive_close(sys);
		return hive_error(e, w->guest_system_hive, w->system_hive);
	}
	wf_winver_finish(&w->ver);
	struct wf_guestfiles *gf = wf_guestfiles_new(g, w->systemroot);
	int r = wf_ctrl_evaluate(sys, w->ver.ccs, wf_winver_code(&w->ver),
				 w->systemroot, wf_guestfiles_probe, gf, &w->ctrl, e);
	wf_guestfiles_free(gf);
	wf_hive_close(sys);
	return r < 0 ? hive_error(e, w->guest_system_hive, w->system_hive) : 0;
}

/* Mount one volume read-only and, if it holds Windows, read it. */
static int try_volume(struct wf_inspection *in, guestfs_h *g, const char *dev,
		      struct wf_error *e)
{
	if (guestfs_mount_ro(g, dev, "/") < 0)
		return 0;	/* unmountable: not ours to judge */
	int r = 0;
	char *root = find_systemroot(g);
	if (root) {
		in->win = wf_xrealloc(in->win, (in->n_win + 1) * sizeof *in->win);
		struct wf_windows *w = &in->win[in->n_win];
		memset(w, 0, sizeof *w);
		w->device = wf_xstrdup(dev);
		w->systemroot = root;
		w->ver.arch = arch_of_cmd(g, root);
		r = read_hives(in, g, w, e);
		in->n_win++;
	}
	guestfs_umount_all(g);
	return r;
}

static int no_windows_error(struct wf_inspection *in, char **fs,
			    struct wf_error *e)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int bitlocker = 0;
	for (size_t i = 0; fs && fs[i]; i += 2) {
		wf_sb_addf(&sb, "%s%s on %s", sb.len ? ", " : "", fs[i + 1], fs[i]);
		bitlocker |= strcmp(fs[i + 1], "BitLocker") == 0;
	}
	const char *img = in->disks[0].img.path;
	if (bitlocker)
		wf_error_set(e, WF_ERR_ENCRYPTED,
			     "%s: the Windows volume is BitLocker-encrypted; give its recovery key or password with --key DEVICE:key:KEY (or all:key:KEY), or unlock it first (for example with dislocker)",
			     img);
	else if (sb.len)
		wf_error_set(e, WF_ERR_NOT_WINDOWS,
			     "%s: no Windows installation found (filesystems: %s)",
			     img, sb.buf);
	else
		wf_error_set(e, WF_ERR_NOT_WINDOWS,
			     "%s: no filesystem found: the disk is empty or unformatted",
			     img);
	wf_sb_release(&sb);
	return -1;
}

static int find_windows(struct wf_inspection *in, struct wf_error *e)
{
	guestfs_h *g = wf_session_guestfs(in->session);
	char **fs = guestfs_list_filesystems(g);
	if (!fs)
		return wf_error_set(e, WF_ERR_APPLIANCE, "cannot list filesystems: %s",
				    guestfs_last_error(g));
	/* NTFS first; FAT (XP could be installed on FAT32) only when no NTFS
	 * volume held Windows: a mount costs a second under TCG, and every
	 * UEFI disk has a FAT system partition */
	static const char *const passes[] = { "ntfs", "vfat" };
	int r = 0;
	for (size_t p = 0; p < 2 && r == 0 && in->n_win == 0; p++)
		for (size_t i = 0; fs[i] && r == 0; i += 2)
			if (strcmp(fs[i + 1], passes[p]) == 0)
				r = try_volume(in, g, fs[i], e);
	if (r == 0 && in->n_win == 0)
		r = no_windows_error(in, fs, e);
	wf_strv0_free(fs);
	return r;
}

static int inspect_guest(struct wf_inspection *in, const struct wf_inspect_opts *o,
			 int readonly, struct wf_error *e)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl = wf_xasprintf("%s/virt-winfix.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		wf_error_set(e, WF_ERR_INTERNAL,
			     "cannot create a temporary directory %s: %s", tmpl,
			     strerror(errno));
		free(tmpl);
		return -1;
	}
	in->tmpdir = tmpl;
	in->session = wf_session_new(e);
	if (!in->session)
		return -1;
	if (o && o->notify)
		wf_session_set_notify(in->session, o->notify, o->notify_ud);
	if (o && o->on_session)
		o->on_session(o->notify_ud, in->session);
	for (size_t i = 0; i < in->n_disks; i++)
		if (wf_session_add(in->session, &in->disks[i].img, readonly, e) < 0)
			return -1;
	if (wf_session_launch(in->session, e) < 0)
		return -1;
	in->launch_seconds = wf_session_launch_seconds(in->session);
	double t0 = now();
	int r = o && o->n_keys ? wf_unlock_bitlocker(wf_session_guestfs(in->session), o->keys,
						      o->n_keys, readonly, e) : 0;
	if (r == 0)
		r = find_windows(in, e);
	in->guest_seconds = now() - t0;
	if (r == 0 && wf_session_cancelled(in->session))
		r = wf_error_set(e, WF_ERR_CANCELLED, "interrupted");
	return r;
}

int wf_inspect_guest(struct wf_inspection *in, const struct wf_inspect_opts *o,
		     struct wf_error *e)
{
	return inspect_guest(in, o, 1, e);
}

int wf_inspect_guest_rw(struct wf_inspection *in, const struct wf_inspect_opts *o,
			struct wf_error *e)
{
	return inspect_guest(in, o, 0, e);
}

static void windows_free(struct wf_windows *w)
{
	free(w->device);
	free(w->systemroot);
	wf_winver_free(&w->ver);
	wf_controllers_free(&w->ctrl);
	if (w->system_hive)
		unlink(w->system_hive);
	if (w->software_hive)
		unlink(w->software_hive);
	free(w->system_hive);
	free(w->software_hive);
	free(w->guest_system_hive);
	free(w->guest_software_hive);
}

void wf_inspection_free(struct wf_inspection *in)
{
	wf_session_close(in->session);
	for (size_t i = 0; i < in->n_win; i++)
		windows_free(&in->win[i]);
	free(in->win);
	for (size_t i = 0; i < in->n_disks; i++) {
		wf_image_free(&in->disks[i].img);
		wf_probe_free(&in->disks[i].probe);
	}
	free(in->disks);
	if (in->tmpdir)
		rmdir(in->tmpdir);
	free(in->tmpdir);
	memset(in, 0, sizeof *in);
}
