#include "inspect.h"
#include "inspect_bcd.h"
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
 * System32\config and System32\cmd.exe (as libguestfs checks).  Each
 * call is a round trip through the appliance: cmd.exe is looked up by its
 * whole path (its real spelling gives the root's), `cmd` gets it. */
static char *find_systemroot(guestfs_h *g, char **cmd)
{
	static const char *const candidates[] = {
		"/Windows", "/WINNT", "/win32", "/win", NULL,
	};
	for (int i = 0; candidates[i]; i++) {
		char *want = wf_xasprintf("%s/System32/cmd.exe", candidates[i]);
		char *exe = find_file(g, want);
		free(want);
		if (!exe)
			continue;
		size_t rl = strlen(candidates[i]);	/* the root, as spelt on disk */
		char *cfg = wf_xasprintf("%.*s/config", (int)(strlen(exe) - strlen("/cmd.exe")), exe);
		char *c1 = find_dir(g, cfg);
		free(cfg);
		if (c1) {
			free(c1);
			*cmd = exe;
			return wf_xstrndup(exe, rl);
		}
		free(exe);
	}
	return NULL;
}

static char *arch_of_cmd(guestfs_h *g, const char *cmd)
{
	size_t n = 0;
	char *buf = guestfs_pread(g, cmd, 4096, 0, &n);
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
	char *real = guestfs_case_sensitive_path(g, p);	/* one call; is_file only on failure */
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
	w->files = wf_guestfiles_new(g, w->systemroot);	/* kept for the diagnosis */
	int r = wf_ctrl_evaluate(sys, w->ver.ccs, wf_winver_code(&w->ver),
				 w->systemroot, wf_guestfiles_probe, w->files, &w->ctrl, e);
	wf_hive_close(sys);
	return r < 0 ? hive_error(e, w->guest_system_hive, w->system_hive) : 0;
}

/* Mount one volume read-only and, if it holds Windows, read it. */
static int try_volume(struct wf_inspection *in, guestfs_h *g, const char *dev,
		      struct wf_bcdscan *bcd, struct wf_error *e)
{
	if (wf_inspect_unmount(in, e) < 0)
		return -1;
	if (guestfs_mount_ro(g, dev, "/") < 0)
		return 0;	/* unmountable: not ours to judge */
	if (bcd)
		wf_bcdscan_here(bcd, g, dev, in->tmpdir);
	int r = 0;
	char *cmd = NULL;
	char *root = find_systemroot(g, &cmd);
	if (root) {
		in->win = wf_xrealloc(in->win, (in->n_win + 1) * sizeof *in->win);
		struct wf_windows *w = &in->win[in->n_win];
		memset(w, 0, sizeof *w);
		w->device = wf_xstrdup(dev);
		w->systemroot = root;
		w->ver.arch = arch_of_cmd(g, cmd);
		free(cmd);
		r = read_hives(in, g, w, e);
		in->n_win++;
		in->mounted = in->n_win;	/* left for the diagnosis */
		return r;
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

/* The partitions libblkid found on raw disks, named as the appliance
 * names them (/dev/sdb2): no call to the appliance. */
static char **probed_partitions(struct wf_inspection *in)
{
	size_t n = 0;
	for (size_t d = 0; d < in->n_disks; d++)
		n += in->disks[d].probe.n_parts;
	char **v = wf_xcalloc(n + 1, sizeof *v);
	n = 0;
	for (size_t d = 0; d < in->n_disks; d++) {
		char *dev = wf_session_device(in->session, d);
		for (size_t k = 0; k < in->disks[d].probe.n_parts; k++)
			v[n++] = wf_xasprintf("%s%d", dev, in->disks[d].probe.parts[k].number);
		free(dev);
	}
	return v;
}

/* The filesystems of the disks, as (device, type) pairs like
 * guestfs_list_filesystems gives, but cheaply: that call scans for LVM,
 * md and LDM and costs ~10 s under TCG.  One listing of the partitions;
 * a raw image's types are libblkid's (stage 1), others' one vfs_type
 * each; a disk without partitions is asked as a whole.  NULL on failure. */
static char **quick_filesystems(struct wf_inspection *in, guestfs_h *g)
{
	int all_probed = 1;
	for (size_t d = 0; d < in->n_disks; d++)
		all_probed &= in->disks[d].probed;
	char **parts = all_probed ? probed_partitions(in) : guestfs_list_partitions(g);
	char **devs = parts ? wf_xcalloc(in->n_disks + 1, sizeof *devs) : NULL;
	for (size_t d = 0; devs && d < in->n_disks; d++)
		devs[d] = wf_session_device(in->session, d);
	if (!devs) {
		wf_strv0_free(parts);
		return NULL;
	}
	char **out = NULL;
	size_t n = 0;
	for (size_t d = 0; devs[d] && d < in->n_disks; d++) {
		const struct wf_disk *disk = &in->disks[d];
		size_t dl = strlen(devs[d]), found = 0;
		for (size_t i = 0; parts[i]; i++) {
			if (strncmp(parts[i], devs[d], dl) || !parts[i][dl] ||
			    strspn(parts[i] + dl, "0123456789") != strlen(parts[i] + dl))
				continue;
			found++;
			char *type = NULL;
			if (disk->probed) {
				int num = atoi(parts[i] + dl);
				for (size_t k = 0; k < disk->probe.n_parts; k++)
					if (disk->probe.parts[k].number == num && disk->probe.parts[k].fstype)
						type = wf_xstrdup(disk->probe.parts[k].fstype);
			} else {
				type = guestfs_vfs_type(g, parts[i]);
			}
			out = wf_xrealloc(out, (n + 3) * sizeof *out);
			out[n++] = wf_xstrdup(parts[i]);
			out[n++] = type ? type : wf_xstrdup("unknown");
		}
		if (!found) {
			char *type = disk->probed ? (disk->probe.fstype ? wf_xstrdup(disk->probe.fstype) : NULL)
						  : guestfs_vfs_type(g, devs[d]);
			out = wf_xrealloc(out, (n + 3) * sizeof *out);
			out[n++] = wf_xstrdup(devs[d]);
			out[n++] = type && *type ? type : (free(type), wf_xstrdup("unknown"));
		}
	}
	wf_strv0_free(parts);
	wf_strv0_free(devs);
	if (out)
		out[n] = NULL;
	return out;
}

/* Could any of these hold Windows? */
static int any_windows_fs(char **fs)
{
	for (size_t i = 0; fs && fs[i]; i += 2)
		if (can_hold_windows(fs[i + 1]))
			return 1;
	return 0;
}

static int find_windows(struct wf_inspection *in, int want_bcd, struct wf_error *e)
{
	guestfs_h *g = wf_session_guestfs(in->session);
	char **fs = quick_filesystems(in, g);
	if (!any_windows_fs(fs)) {	/* LVM, md, LDM (dynamic disks): the full scan */
		wf_strv0_free(fs);
		fs = guestfs_list_filesystems(g);
	}
	if (!fs)
		return wf_error_set(e, WF_ERR_APPLIANCE, "cannot list filesystems: %s",
				    guestfs_last_error(g));
	/* NTFS first; FAT (XP could be installed on FAT32) only when no NTFS
	 * volume held Windows: a mount costs a second under TCG, and every
	 * UEFI disk has a FAT system partition */
	static const char *const passes[] = { "ntfs", "vfat" };
	for (size_t i = 0; fs[i] && fs[i + 1] && in->n_bitlocker < 64; i += 2)
		if (strcmp(fs[i + 1], "BitLocker") == 0) {
			in->bitlocker = wf_xrealloc(in->bitlocker, (in->n_bitlocker + 1) * sizeof *in->bitlocker);
			in->bitlocker[in->n_bitlocker++] = wf_xstrdup(fs[i]);
		}
	struct wf_bcdscan bcd = { 0 };
	if (want_bcd)	/* the EFI system partition's, before Windows takes "/" */
		wf_bcdscan_fat(&bcd, g, fs, in->tmpdir);
	int r = 0;
	for (size_t p = 0; p < 2 && r == 0 && in->n_win == 0; p++)
		for (size_t i = 0; fs[i] && r == 0; i += 2)
			if (strcmp(fs[i + 1], passes[p]) == 0)
				r = try_volume(in, g, fs[i], want_bcd && p == 0 ? &bcd : NULL, e);
	if (r == 0 && want_bcd)
		wf_bcdscan_assign(&bcd, in->win, in->n_win, in->tmpdir);
	else
		wf_bcdscan_assign(&bcd, NULL, 0, in->tmpdir);	/* frees */
	if (r == 0 && in->n_win == 0)
		r = no_windows_error(in, fs, e);
	wf_strv0_free(in->filesystems);
	in->filesystems = fs;	/* for the BCD store's search (bootvol.h) */
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
		r = find_windows(in, !(o && o->skip_bcd), e);
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

int wf_inspect_mount(struct wf_inspection *in, size_t win, struct wf_error *e)
{
	if (!in->session || win >= in->n_win)
		return wf_error_set(e, WF_ERR_INTERNAL, "no such Windows in the inspection");
	if (in->mounted == win + 1)
		return 0;
	if (wf_inspect_unmount(in, e) < 0)
		return -1;
	guestfs_h *g = wf_session_guestfs(in->session);
	if (guestfs_mount_ro(g, in->win[win].device, "/") < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "%s: cannot mount it: %s", in->win[win].device,
				    guestfs_last_error(g));
	in->mounted = win + 1;
	return 0;
}

struct wf_guestfiles *wf_inspect_files(struct wf_inspection *in, size_t win, int stale)
{
	if (win >= in->n_win)
		return NULL;
	struct wf_windows *w = &in->win[win];
	if (stale) {
		wf_guestfiles_free(w->files);
		w->files = NULL;
		return NULL;
	}
	if (!w->files && in->session)
		w->files = wf_guestfiles_new(wf_session_guestfs(in->session), w->systemroot);
	return w->files;
}

int wf_inspect_unmount(struct wf_inspection *in, struct wf_error *e)
{
	if (!in->mounted || !in->session)
		return 0;
	guestfs_h *g = wf_session_guestfs(in->session);
	in->mounted = 0;
	if (guestfs_umount_all(g) < 0)
		return wf_error_set(e, WF_ERR_APPLIANCE, "cannot unmount the Windows volume: %s",
				    guestfs_last_error(g));
	return 0;
}

static void windows_free(struct wf_windows *w)
{
	wf_windows_bcd_free(w);
	wf_guestfiles_free(w->files);
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
	wf_strv_free(in->bitlocker, in->n_bitlocker);
	wf_strv0_free(in->filesystems);
	if (in->tmpdir)
		rmdir(in->tmpdir);
	free(in->tmpdir);
	memset(in, 0, sizeof *in);
}
