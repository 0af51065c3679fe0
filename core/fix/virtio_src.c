/*
 * virtio_src.c - virtio-win as a driver source (see virtio_src.h).
 *
 * Facts (../shared/knowledge/virtio-injection-virt-v2v.md §1.2, anchors-
 * and-recipes.md §2 "virtio-win ISO layout"): current ISOs are
 * <Driver>/<os>/<arch>/ with os in xp 2k3 2k8 w7 2k8r2 w8 2k12 w8.1 2k12r2
 * w10 w11 2k16 2k19 2k22 2k25 and arch x86|amd64 (lower-cased path
 * elements; virt-v2v maps the guest to one os element); old ISOs used the
 * DDK target folders WXP WNET WLH WIN7 WIN8 x X86/AMD64 with all drivers
 * flat in one folder [U], and both WXP and XP existed (seed 000: only XP\X86
 * held the working XP build).  The fallbacks below follow hyper2kvm's
 * bucket_candidates and upstream advice (2k22 used the 2k19 drivers before
 * 0.1.215; knowledge §5).
 */
#include "virtio_src.h"
#include "controllers.h"
#include "guestdl.h"
#include "hive.h"
#include "image.h"
#include "isofs.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct wf_virtio_driver wf_virtio_drivers[] = {
	{ "viostor", "viostor", "viostor.inf", 1, "virtio-blk", "VirtIO block" },
	{ "vioscsi", "vioscsi", "vioscsi.inf", 1, "virtio-scsi", "VirtIO SCSI" },
	{ "netkvm", "NetKVM", "netkvm.inf", 0, "virtio-net", "VirtIO network" },
	{ "balloon", "Balloon", "balloon.inf", 0, NULL, "VirtIO memory balloon" },
	{ "vioserial", "vioserial", "vioser.inf", 0, NULL, "VirtIO serial" },
	{ "viorng", "viorng", "viorng.inf", 0, NULL, "VirtIO RNG" },
	{ "vioinput", "vioinput", "vioinput.inf", 0, NULL, "VirtIO input" },
	{ "viofs", "viofs", "viofs.inf", 0, NULL, "VirtIO filesystem" },
	{ "viogpudo", "viogpudo", "viogpudo.inf", 0, NULL, "VirtIO GPU (display only)" },
	{ "viomem", "viomem", "viomem.inf", 0, NULL, "VirtIO memory" },
	{ "pvpanic", "pvpanic", "pvpanic.inf", 0, NULL, "QEMU pvpanic" },
	{ "fwcfg", "fwcfg", "fwcfg.inf", 0, NULL, "QEMU fw_cfg" },
	{ "qemupciserial", "qemupciserial", "qemupciserial.inf", 0, NULL, "QEMU PCI serial" },
};

const size_t wf_n_virtio_drivers = sizeof wf_virtio_drivers / sizeof wf_virtio_drivers[0];

const struct wf_virtio_driver *wf_virtio_driver_by_id(const char *id)
{
	for (size_t i = 0; i < wf_n_virtio_drivers; i++)
		if (wf_streqi(wf_virtio_drivers[i].id, id))
			return &wf_virtio_drivers[i];
	return NULL;
}

/* The OS folder table: first row that fits wins; folders best first. */
static const struct os_row {
	unsigned min, max;	/* WF_WINVER */
	int server;		/* -1 any, 0 client, 1 server */
	unsigned min_build;
	const char *folders;
} os_table[] = {
	{ 501, 501, -1, 0, "xp wxp" },
	{ 502, 502, -1, 0, "2k3 wnet xp" },
	{ 600, 600, -1, 0, "2k8 vista wlh" },
	{ 601, 601, 0, 0, "w7 win7 wlh" },
	{ 601, 601, 1, 0, "2k8r2 w7 win7" },
	{ 602, 602, 0, 0, "w8 win8 w7" },
	{ 602, 602, 1, 0, "2k12 w8 win8 2k8r2" },
	{ 603, 603, 0, 0, "w8.1 w8 win8" },
	{ 603, 603, 1, 0, "2k12r2 w8.1 2k12" },
	{ 1000, 1000, 0, 22000, "w11 w10" },
	{ 1000, 1000, 0, 0, "w10 w8.1" },
	{ 1000, 1000, 1, 26100, "2k25 2k22 2k19" },
	{ 1000, 1000, 1, 20348, "2k22 2k19 2k16" },
	{ 1000, 1000, 1, 17763, "2k19 2k16 w10" },
	{ 1000, 1000, 1, 0, "2k16 w10" },
};

size_t wf_virtio_os_folders(const struct wf_winver *v, const char **out, size_t max)
{
	static char buf[sizeof os_table / sizeof os_table[0]][64];
	unsigned code = wf_winver_code(v);
	for (size_t i = 0; i < sizeof os_table / sizeof os_table[0]; i++) {
		const struct os_row *r = &os_table[i];
		if (code < r->min || code > r->max || (r->server >= 0 && r->server != !!v->server) ||
		    v->build < r->min_build)
			continue;
		snprintf(buf[i], sizeof buf[i], "%s", r->folders);
		size_t n = 0;
		char *save = NULL;
		for (char *t = strtok_r(buf[i], " ", &save); t && n < max; t = strtok_r(NULL, " ", &save))
			out[n++] = t;
		return n;
	}
	return 0;
}

const char *wf_virtio_arch(const struct wf_winver *v)
{
	return v->arch && (wf_streqi(v->arch, "i386") || wf_streqi(v->arch, "x86")) ? "x86" : "amd64";
}

/* --- the source: a list of files and a way to fetch one --------------------------- */

struct wf_virtio_src {
	char *path;
	char **files;		/* relative paths, '/'-separated */
	size_t n;
	int iso;		/* an ISO image, read on the host (isofs.h) */
	uint64_t *sizes;	/* ISO: the size of files[i], from its listing */
	char *tmpdir;		/* ISO: our folder for the files read from it */
	char **host;		/* ISO: host copy of files[i], read on first use */
	char why[400];		/* ISO: why the last file could not be read */
};

#define MAX_FILES 100000

static void strv_add(char ***v, size_t *n, char *s);

static struct wf_virtio_src *walking;

static int walk_one(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type != FTW_F || walking->n >= MAX_FILES)
		return 0;
	walking->files = wf_xrealloc(walking->files, (walking->n + 1) * sizeof *walking->files);
	walking->files[walking->n++] = wf_xstrdup(p + strlen(walking->path) + 1);
	return 0;
}

static int open_dir(struct wf_virtio_src *s, struct wf_error *e)
{
	walking = s;
	int r = nftw(s->path, walk_one, 32, 0);
	walking = NULL;
	if (r < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot read the folder: %s", s->path,
				    strerror(errno));
	return 0;
}

/* An ISO: its list of regular files (with a '.' in their name: a driver
 * package's files all have one), read once with xorriso on the host, no
 * appliance; files are copied out on first use into a folder of ours
 * under `parent`. */
static int open_iso(struct wf_virtio_src *s, const char *parent, struct wf_error *e)
{
	char **all;
	uint64_t *sizes;
	size_t n;
	if (wf_iso_list(s->path, &all, &sizes, &n, e) < 0)
		return -1;
	s->iso = 1;
	s->sizes = wf_xcalloc(n + 1, sizeof *s->sizes);
	for (size_t i = 0; i < n; i++) {
		char *f = all[i][0] == '/' ? all[i] + 1 : all[i];
		if (s->n < MAX_FILES && strrchr(f, '.') > strrchr(f, '/')) {
			s->sizes[s->n] = sizes[i];
			strv_add(&s->files, &s->n, wf_xstrdup(f));
		}
	}
	wf_strv_free(all, n);
	free(sizes);
	s->host = wf_xcalloc(s->n + 1, sizeof *s->host);
	s->tmpdir = wf_xasprintf("%s/virtio-win.XXXXXX", parent);
	if (!mkdtemp(s->tmpdir)) {
		int err = errno;
		free(s->tmpdir);
		s->tmpdir = NULL;
		return wf_error_set(e, WF_ERR_INPUT, "cannot create a folder in %s: %s", parent,
				    strerror(err));
	}
	return 0;
}

static struct wf_virtio_src *src_new(const char *path)
{
	struct wf_virtio_src *s = wf_xcalloc(1, sizeof *s);
	s->path = wf_xstrdup(path);
	size_t l = strlen(s->path);
	while (l > 1 && s->path[l - 1] == '/')
		s->path[--l] = '\0';
	return s;
}

static const char *tmp_parent(const char *tmpdir)
{
	const char *parent = tmpdir ? tmpdir : getenv("TMPDIR");
	return parent && *parent ? parent : "/tmp";
}

int wf_virtio_src_check(const char *path, struct wf_error *e)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return 0;
	struct wf_image img;
	if (wf_image_open(path, &img, e) < 0)
		return -1;
	int iso = img.format == WF_FMT_ISO;
	wf_image_free(&img);
	return iso ? 0 : wf_error_set(e, WF_ERR_INPUT, "%s: neither a virtio-win folder nor an ISO "
				      "image (no ISO 9660 volume descriptor)", path);
}

struct wf_virtio_src *wf_virtio_src_open(const char *path, const char *tmpdir,
					 struct wf_error *e)
{
	struct stat st;
	if (wf_virtio_src_check(path, e) < 0 || stat(path, &st) < 0)
		return NULL;
	struct wf_virtio_src *s = src_new(path);
	int r = S_ISDIR(st.st_mode) ? open_dir(s, e) : open_iso(s, tmp_parent(tmpdir), e);
	if (r == 0 && !s->n)
		r = wf_error_set(e, WF_ERR_INPUT, "%s: no files in it", path);
	if (r < 0) {
		wf_virtio_src_free(s);
		return NULL;
	}
	return s;
}

void wf_virtio_src_free(struct wf_virtio_src *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		if (s->host && s->host[i]) {
			unlink(s->host[i]);
			*strrchr(s->host[i], '/') = '\0';
			rmdir(s->host[i]);
			free(s->host[i]);
		}
		free(s->files[i]);
	}
	if (s->tmpdir)
		rmdir(s->tmpdir);
	free(s->host);
	free(s->sizes);
	free(s->files);
	free(s->path);
	free(s->tmpdir);
	free(s);
}

const char *wf_virtio_src_path(const struct wf_virtio_src *s)
{
	return s->path;
}

char *wf_virtio_src_origin(const struct wf_virtio_src *s, const char *host)
{
	for (size_t i = 0; s && s->host && i < s->n; i++)
		if (s->host[i] && strcmp(s->host[i], host) == 0)
			return wf_xasprintf("%s:/%s", s->path, s->files[i]);
	return wf_xstrdup(host);
}

/* The file `name` in folder `dir` (case-insensitive), index or -1. */
static long find_in(const struct wf_virtio_src *s, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	for (size_t i = 0; i < s->n; i++) {
		const char *f = s->files[i];
		if (strncasecmp(f, dir, dl) == 0 && f[dl] == '/' && !strchr(f + dl + 1, '/') &&
		    (!name || wf_streqi(f + dl + 1, name)))
			return (long)i;
	}
	return -1;
}

/* An ISO's file i copied out (into a subfolder named after its index:
 * names are kept), within the cap of its kind (guestdl.h: the same caps
 * as a file read from a guest); s->why says why not. */
static char *extract(struct wf_virtio_src *s, size_t i)
{
	const char *base = strrchr(s->files[i], '/');
	const struct wf_guest_cap *cap = &wf_guest_caps[wf_guest_kind_of(s->files[i])];
	if (s->sizes[i] > cap->max) {
		snprintf(s->why, sizeof s->why, "%s is %.1f MB, over the %s cap (%.0f MB)",
			 s->files[i], (double)s->sizes[i] / 1e6, cap->what,
			 (double)cap->max / (1 << 20));
		return NULL;
	}
	char *dir = wf_xasprintf("%s/%zu", s->tmpdir, i);
	char *host = wf_xasprintf("%s/%s", dir, base ? base + 1 : s->files[i]);
	char *p = wf_xasprintf("/%s", s->files[i]);
	struct wf_error e = { 0 };
	struct stat st;
	errno = 0;
	int ok = mkdir(dir, 0700) == 0 && wf_iso_extract(s->path, p, host, &e) == 0 &&
		 lstat(host, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= cap->max;
	if (!ok) {
		snprintf(s->why, sizeof s->why, "cannot copy %s out: %.300s", s->files[i],
			 e.msg[0] ? e.msg : errno ? strerror(errno) : "it changed since it was listed");
		unlink(host);
		rmdir(dir);
		free(host);
		host = NULL;
	}
	free(p);
	free(dir);
	return host;
}

/* A host path holding file i (malloc'd), NULL (s->why) when it cannot be
 * read. */
static char *fetch(struct wf_virtio_src *s, size_t i)
{
	if (!s->iso)
		return wf_xasprintf("%s/%s", s->path, s->files[i]);
	if (!s->host[i])
		s->host[i] = extract(s, i);
	return s->host[i] ? wf_xstrdup(s->host[i]) : NULL;
}

const char *wf_virtio_check_pe(const struct wf_pe_info *pe, const struct wf_winver *v,
			       char *buf, size_t n)
{
	int want = strcmp(wf_virtio_arch(v), "x86") == 0 ? WF_PE_MACHINE_I386 : WF_PE_MACHINE_AMD64;
	if (pe->machine != want) {
		const char *a = wf_pe_machine_arch(pe->machine);
		snprintf(buf, n, "built for %s, the guest is %s", a ? a : "another machine",
			 v->arch ? v->arch : wf_virtio_arch(v));
		return buf;
	}
	unsigned need = WF_WINVER(pe->os_major, pe->os_minor), have = wf_winver_code(v);
	if (have && need > have) {
		snprintf(buf, n, "built for Windows %u.%u, newer than the guest's %u.%u (it would fail "
			 "to load: Code 39, or 0x7B for a boot driver)", pe->os_major, pe->os_minor,
			 have / 100, have % 100);
		return buf;
	}
	return NULL;
}

/* --- choosing a folder ------------------------------------------------------------- */

static void strv_add(char ***v, size_t *n, char *s)
{
	*v = wf_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

void wf_virtio_pick_free(struct wf_virtio_pick *p)
{
	free(p->folder);
	free(p->inf);
	free(p->sys);
	free(p->cat);
	wf_strv_free(p->extra, p->n_extra);
	wf_strv_free(p->rejected, p->n_rejected);
	if (p->info.name)
		wf_inf_free(&p->info);
	wf_pe_free(&p->pe);
	memset(p, 0, sizeof *p);
}

/* The .sys the INF installs: the service binary's base name, else <id>.sys. */
static char *sys_name(const struct wf_inf *inf, const char *id)
{
	for (size_t i = 0; i < inf->n_services; i++) {
		const char *b = inf->services[i].binary;
		const char *base = b ? strrchr(b, '\\') : NULL;
		if (base && wf_endswithi(base, ".sys"))
			return wf_xstrdup(base + 1);
	}
	return wf_xasprintf("%s.sys", id);
}

/* Try one folder: 1 chosen, 0 not there, -1 refused (reason recorded). */
static int try_folder(struct wf_virtio_src *s, const struct wf_virtio_driver *d,
		      const char *dir, const struct wf_winver *v, struct wf_virtio_pick *p)
{
	long ii = find_in(s, dir, d->inf);
	if (ii < 0)
		return 0;
	char *real_dir = wf_xstrndup(s->files[ii], strlen(dir));
	char *inf = fetch(s, (size_t)ii);
	struct wf_error e = { 0 };
	char why[1100] = "";
	struct wf_inf info;
	memset(&info, 0, sizeof info);
	int ok = inf && wf_inf_parse_file(inf, wf_virtio_arch(v), &info, &e) == 0;
	if (!ok)
		snprintf(why, sizeof why, "%s", inf ? e.msg : s->why);
	char *sname = ok ? sys_name(&info, d->id) : NULL;
	long si = ok ? find_in(s, dir, sname) : -1;
	char *sys = si >= 0 ? fetch(s, (size_t)si) : NULL;
	struct wf_pe_info pe;
	memset(&pe, 0, sizeof pe);
	if (ok && si < 0)
		snprintf(why, sizeof why, "no %s next to the INF", sname), ok = 0;
	else if (ok && !sys)
		snprintf(why, sizeof why, "%s", s->why), ok = 0;
	if (ok && wf_pe_parse_file(sys, &pe, &e) < 0)
		snprintf(why, sizeof why, "%s", e.msg), ok = 0;
	char buf[300];
	const char *bad = ok ? wf_virtio_check_pe(&pe, v, buf, sizeof buf) : NULL;
	if (bad)
		snprintf(why, sizeof why, "%s", bad), ok = 0;
	if (!ok) {
		strv_add(&p->rejected, &p->n_rejected,
			 wf_xasprintf("%s/%s: %s", real_dir, sname ? sname : d->inf, why));
		if (info.name)
			wf_inf_free(&info);
		wf_pe_free(&pe);
		free(inf);
		free(sys);
		free(sname);
		free(real_dir);
		return -1;
	}
	p->folder = real_dir;
	p->inf = inf;
	p->sys = sys;
	p->info = info;
	p->pe = pe;
	long ci = info.catalog ? find_in(s, dir, info.catalog) : -1;
	p->cat = ci >= 0 ? fetch(s, (size_t)ci) : NULL;
	for (size_t k = 0; k < info.n_files; k++) {
		const char *f = info.files[k];
		long fi = find_in(s, dir, f);
		if (fi >= 0 && !wf_streqi(f, sname) && !wf_streqi(f, d->inf) &&
		    !(info.catalog && wf_streqi(f, info.catalog))) {
			char *h = fetch(s, (size_t)fi);
			if (h)
				strv_add(&p->extra, &p->n_extra, h);
		}
	}
	free(sname);
	return 1;
}

int wf_virtio_pick(struct wf_virtio_src *s, const char *drv,
		   const struct wf_winver *v, struct wf_virtio_pick *out,
		   struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	const struct wf_virtio_driver *d = wf_virtio_driver_by_id(drv);
	if (!d)
		return wf_error_set(e, WF_ERR_USAGE, "%s: not a VirtIO driver virt-winfix knows", drv);
	out->drv = d;
	const char *os[8];
	size_t n = wf_virtio_os_folders(v, os, 8);
	const char *arch = wf_virtio_arch(v);
	struct wf_strbuf tried = WF_STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		/* new layout, then the old flat one */
		char *dirs[2] = { wf_xasprintf("%s/%s/%s", d->folder, os[i], arch),
				  wf_xasprintf("%s/%s", os[i], arch) };
		int r = 0;
		for (int k = 0; k < 2 && r != 1; k++) {
			wf_sb_addf(&tried, "%s%s", tried.len ? ", " : "", dirs[k]);
			r = try_folder(s, d, dirs[k], v, out);
		}
		free(dirs[0]);
		free(dirs[1]);
		if (r == 1) {
			wf_sb_release(&tried);
			return 0;
		}
	}
	struct wf_strbuf why = WF_STRBUF_INIT;
	for (size_t i = 0; i < out->n_rejected; i++)
		wf_sb_addf(&why, "; refused %s", out->rejected[i]);
	wf_error_set(e, WF_ERR_INPUT, "%s: no %s build for %s (%s %s) in %s (tried %s)%s", drv,
		     d->label, v->release ? v->release : "this Windows", arch,
		     v->server ? "server" : "client", s->path, n ? tried.buf : "no folder for this version",
		     why.buf);
	wf_sb_release(&tried);
	wf_sb_release(&why);
	return -1;
}
