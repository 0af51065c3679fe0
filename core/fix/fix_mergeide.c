/*
 * fix_mergeide.c - mergeide: the MergeIDE recipe of KB314082 for Windows
 * XP/2003: CriticalDeviceDatabase entries binding every in-box IDE
 * controller and both IDE channels to intelide/pciide/atapi, and those
 * services at boot start.  The table is the one of
 * ../shared/knowledge/anchors-and-recipes.md §2 (the .reg that survives in
 * copies of the withdrawn KB; the Apache VCL copy omits *azt0502).
 *
 * The drivers' files must exist (atapi.sys, intelide.sys, pciide.sys and
 * their library pciidex.sys in System32\drivers), or the boot stops with
 * 0x7B anyway (field note, §2).  A missing one is taken from the guest's
 * own "Driver Cache\i386" cabinets - "Driver Cache\amd64" on XP x64 and
 * 2003 x64, whose 64-bit drivers are in AMD64 cabinets as on their CD's
 * AMD64 folder - (sp3.cab ... driver.cab, each fetched once) with the
 * host's cabextract; otherwise the fix says which file is
 * missing, which cabinets it looked in, and where the file can be found.
 */
#include "classes.h"
#include "fixes.h"
#include "hostfile.h"
#include "spawn.h"
#include "hive.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct { const char *name, *svc, *cls; } cdd_table[] = {
	{ "primary_ide_channel", "atapi", WF_CLASS_HDC },
	{ "secondary_ide_channel", "atapi", WF_CLASS_HDC },
	{ "*pnp0600", "atapi", WF_CLASS_HDC },
	{ "*azt0502", "atapi", WF_CLASS_HDC },
	{ "gendisk", "disk", WF_CLASS_DISKDRIVE },
	{ "pci#cc_0101", "pciide", WF_CLASS_HDC },
	{ "pci#ven_0e11&dev_ae33", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1039&dev_0601", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1039&dev_5513", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1042&dev_1000", "pciide", WF_CLASS_HDC },
	{ "pci#ven_105a&dev_4d33", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1095&dev_0640", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1095&dev_0646", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1095&dev_0646&rev_05", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1095&dev_0646&rev_07", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1095&dev_0648", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1095&dev_0649", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1097&dev_0038", "pciide", WF_CLASS_HDC },
	{ "pci#ven_10ad&dev_0001", "pciide", WF_CLASS_HDC },
	{ "pci#ven_10ad&dev_0150", "pciide", WF_CLASS_HDC },
	{ "pci#ven_10b9&dev_5215", "pciide", WF_CLASS_HDC },
	{ "pci#ven_10b9&dev_5219", "pciide", WF_CLASS_HDC },
	{ "pci#ven_10b9&dev_5229", "pciide", WF_CLASS_HDC },
	{ "pci#ven_1106&dev_0571", "pciide", WF_CLASS_HDC },
	{ "pci#ven_8086&dev_1222", "intelide", WF_CLASS_HDC },
	{ "pci#ven_8086&dev_1230", "intelide", WF_CLASS_HDC },
	{ "pci#ven_8086&dev_2411", "intelide", WF_CLASS_HDC },
	{ "pci#ven_8086&dev_2421", "intelide", WF_CLASS_HDC },
	{ "pci#ven_8086&dev_7010", "intelide", WF_CLASS_HDC },
	{ "pci#ven_8086&dev_7111", "intelide", WF_CLASS_HDC },
	{ "pci#ven_8086&dev_7199", "intelide", WF_CLASS_HDC },
};

static const struct {
	const char *svc, *group, *image, *display;
	uint32_t tag;
} svc_table[] = {
	{ "atapi", "SCSI miniport", "System32\\DRIVERS\\atapi.sys",
	  "Standard IDE/ESDI Hard Disk Controller", 0x19 },
	{ "IntelIde", "System Bus Extender", "System32\\DRIVERS\\intelide.sys", NULL, 4 },
	{ "PCIIde", "System Bus Extender", "System32\\DRIVERS\\pciide.sys", NULL, 3 },
};

static const char *const needed_files[] = {
	"atapi.sys", "intelide.sys", "pciide.sys", "pciidex.sys", NULL,
};

/* Cabinets XP keeps its drivers in, newest service pack first. */
static const char *const cab_names[] = { "sp3.cab", "sp2.cab", "sp1.cab", "driver.cab", NULL };

/* The Driver Cache folder (and CD folder) of the guest's architecture. */
static const char *cache_arch(const struct wf_fixctx *c)
{
	const char *a = c->ver ? c->ver->arch : NULL;
	return a && (wf_streqi(a, "x86_64") || wf_streqi(a, "amd64")) ? "amd64" : "i386";
}

/* The host's cabextract, by absolute path only (we run as root: never
 * looked up on $PATH), or NULL. */
static char *find_cabextract(void)
{
	static const char *const paths[] = {
		"/usr/bin/cabextract", "/usr/local/bin/cabextract", "/bin/cabextract", NULL,
	};
	const char *t = wf_spawn_find(paths);
	return t ? wf_xstrdup(t) : NULL;
}

enum {
	CAB_TIMEOUT_MS = 120 * 1000,
	CAB_FILE_CAP = 64 << 20,	/* a driver file; XP's largest are a few MB */
	NOBODY = 65534,
};

/* Copy a host file into our private tmpdir (the target is not followed
 * if a symlink). */
static int copy_host(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	char buf[65536];
	ssize_t n = 0;
	int bad = in < 0 || out < 0;
	while (!bad && (n = read(in, buf, sizeof buf)) > 0)
		bad = write(out, buf, (size_t)n) != n;
	bad |= n < 0;
	if (in >= 0)
		close(in);
	if (out >= 0)
		bad |= close(out) < 0;
	return bad ? -1 : 0;
}

/* Copy work/out/<file> (made by cabextract, so not trusted: no symlink,
 * a regular file, at most CAB_FILE_CAP) to `to`. */
static int take_output(int work, const char *file, const char *to)
{
	int od = openat(work, "out", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd = od < 0 ? -1 : openat(od, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (od >= 0)
		close(od);
	struct stat st;
	int ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		 st.st_size > 0 && st.st_size <= CAB_FILE_CAP;
	char *src = ok ? wf_xasprintf("/proc/self/fd/%d", fd) : NULL;
	char *dir = wf_xstrndup(to, (size_t)(strrchr(to, '/') - to));
	ok = ok && (mkdir(dir, 0700) == 0 || errno == EEXIST) && copy_host(src, to) == 0;
	free(dir);
	free(src);
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* cabextract -q -F FILE -d out in.cab, no shell, in a private folder of
 * its own; as root it runs as nobody (the folder and the cabinet are
 * given to nobody, nothing else is reachable: the folder's parent is
 * 0700), with a time limit and a file size limit.  0 and `to` written
 * when it produced the file. */
static int run_cabextract(const char *tool, const char *file, const char *tmpdir,
			  const char *cab, const char *to)
{
	char *work = wf_xasprintf("%s/cabx.XXXXXX", tmpdir);
	if (!mkdtemp(work)) {
		free(work);
		return -1;
	}
	char *in = wf_xasprintf("%s/in.cab", work);
	int root = geteuid() == 0;
	int r = link(cab, in) == 0 || copy_host(cab, in) == 0 ? 0 : -1;
	if (r == 0 && root && (chown(work, NOBODY, NOBODY) < 0 || chown(in, NOBODY, NOBODY) < 0))
		r = -1;
	if (r == 0) {
		const char *argv[] = { tool, "-q", "-F", file, "-d", "out", "in.cab", NULL };
		static const char *const env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
		struct wf_spawn_opts o = { .timeout_ms = CAB_TIMEOUT_MS, .out_cap = 64 * 1024,
					   .cwd = work, .drop_uid = root, .uid = NOBODY, .gid = NOBODY,
					   .env = env, .fsize_cap = CAB_FILE_CAP };
		struct wf_spawn_result res;
		r = wf_spawn(argv, &o, &res, NULL) == 0 && res.status == 0 ? 0 : -1;
		wf_spawn_result_free(&res);
	}
	int wfd = r == 0 ? open(work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
	if (r == 0)
		r = wfd >= 0 ? take_output(wfd, file, to) : -1;
	if (wfd >= 0)
		close(wfd);
	if (root && chown(cab, 0, 0) < 0)	/* the hard link gave it away too */
		r = -1;
	wf_host_rmtree(work);
	free(in);
	free(work);
	return r;
}

/* The guest's cabinets, each fetched to the host once per plan. */
struct cabs {
	char *tool;			/* cabextract, NULL when the host has none */
	char *host[4];			/* fetched copy of cab_names[i], NULL if absent */
	int looked[4];
	struct wf_strbuf tried;		/* "C:/WINDOWS/Driver Cache/i386/sp3.cab, ..." */
};

static const char *cab_fetch(struct wf_fixctx *c, struct cabs *cb, int i)
{
	if (cb->looked[i])
		return cb->host[i];
	cb->looked[i] = 1;
	char *g = wf_xasprintf("%s/Driver Cache/%s/%s", c->systemroot, cache_arch(c), cab_names[i]);
	uint64_t sz;
	if (c->probe(c->ud, g, &sz) == 1) {
		wf_sb_addf(&cb->tried, "%sC:%s", cb->tried.len ? ", " : "", g);
		char *host = wf_xasprintf("%s/%s", c->tmpdir, cab_names[i]);
		if (cb->tool && c->fetch && c->fetch(c->ud, g, host, WF_GK_CAB) == 0)
			cb->host[i] = host;
		else
			free(host);
	}
	free(g);
	return cb->host[i];
}

static void cabs_free(struct cabs *cb)
{
	for (int i = 0; i < 4; i++)
		if (cb->host[i]) {
			unlink(cb->host[i]);
			free(cb->host[i]);
		}
	free(cb->tool);
	wf_sb_release(&cb->tried);
}

/* Extract `file` from the guest's cabinets into tmpdir; host path or NULL,
 * and in *origin the cabinet it came from ("C:/WINDOWS/.../driver.cab"). */
static char *from_cab(struct wf_fixctx *c, struct cabs *cb, const char *file, char **origin)
{
	for (int i = 0; cab_names[i]; i++) {
		const char *cab = cab_fetch(c, cb, i);
		if (!cab)
			continue;
		char *out = wf_xasprintf("%s/cab-%s/%s", c->tmpdir, file, file);
		int ok = run_cabextract(cb->tool, file, c->tmpdir, cab, out) == 0;
		if (ok) {
			*origin = wf_xasprintf("C:%s/Driver Cache/%s/%s", c->systemroot, cache_arch(c),
					       cab_names[i]);
			return out;
		}
		free(out);
	}
	return NULL;
}

static int missing_file(struct wf_fixctx *c, struct wf_error *e, const char *id, const char *g,
			const char *file, struct cabs *cb)
{
	const char *how = !cb->tried.len ? "" : cb->tool ? " and is not in " :
			  " and cannot be extracted (the host has no cabextract; install it) from ";
	return wf_error_set(e, WF_ERR_INPUT,
			    "%s: C:%s is missing%s%s; copy it from the Windows CD (%s\\%.*s_) "
			    "or the guest's Driver Cache and run the fix again",
			    id, g, how, cb->tried.buf ? cb->tried.buf : "",
			    strcmp(cache_arch(c), "amd64") ? "I386" : "AMD64", (int)strlen(file) - 1, file);
}

static int check_files(struct wf_fixctx *c, const char *id, struct wf_plan *p,
		       struct wf_error *e)
{
	if (!c->probe || !c->systemroot) {
		wf_plan_note(p, "%s: the driver files were not checked (no guest files in hive-only mode)", id);
		return 0;
	}
	struct cabs cb = { .tool = find_cabextract(), .tried = WF_STRBUF_INIT };
	int rc = 0;
	for (int i = 0; needed_files[i] && rc == 0; i++) {
		char *g = wf_xasprintf("%s/System32/drivers/%s", c->systemroot, needed_files[i]);
		uint64_t sz = 0;
		if (c->probe(c->ud, g, &sz) != 1 || sz == 0) {
			char *origin = NULL;
			char *host = from_cab(c, &cb, needed_files[i], &origin);
			if (host) {
				wf_plan_copy_file_from(p, host, origin, g, 0, 0, id);
				wf_plan_note(p, "%s: %s was missing; taken from the guest's own driver cabinet %s",
					     id, needed_files[i], origin);
				free(host);
				free(origin);
			} else {
				rc = missing_file(c, e, id, g, needed_files[i], &cb);
			}
		}
		free(g);
	}
	cabs_free(&cb);
	return rc;
}

int wf_fix_mergeide(struct wf_fixctx *c, const char *id, const char *arg,
		    struct wf_plan *p, struct wf_error *e)
{
	(void)arg;
	unsigned v = wf_winver_code(c->ver);
	if (v >= WF_WINVER(6, 0) || (!v && wf_hive_lookup(c->system, "DriverDatabase")))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: MergeIDE is for Windows XP and 2003; on Vista and later enable the "
				    "controller's driver instead (enable-driver:msahci, storahci, iaStorV, atapi ...)", id);
	if (check_files(c, id, p, e) < 0)
		return -1;
	for (size_t i = 0; i < sizeof cdd_table / sizeof cdd_table[0]; i++)
		wf_fix_cdd_entry(c, p, id, cdd_table[i].name, cdd_table[i].svc, cdd_table[i].cls);
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	for (size_t s = 0; s < n; s++)
		for (size_t i = 0; i < sizeof svc_table / sizeof svc_table[0]; i++) {
			char *key = wf_xasprintf("%s\\Services\\%s", sets[s], svc_table[i].svc);
			struct wf_hive *h = c->system;
			wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, key, "Start", 0, id);
			wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, key, "Type", 1, id);
			wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, key, "ErrorControl", 1, id);
			wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, key, "Tag", svc_table[i].tag, id);
			wf_plan_set_string(p, h, WF_HIVE_SYSTEM, key, "Group", WF_REG_SZ, svc_table[i].group, id);
			if (!wf_hive_lookup(h, key) || !wf_hive_value_exists(h, wf_hive_lookup(h, key), "ImagePath"))
				wf_plan_set_string(p, h, WF_HIVE_SYSTEM, key, "ImagePath", WF_REG_EXPAND_SZ,
						   svc_table[i].image, id);
			if (svc_table[i].display && !wf_hive_lookup(h, key))
				wf_plan_set_string(p, h, WF_HIVE_SYSTEM, key, "DisplayName", WF_REG_SZ,
						   svc_table[i].display, id);
			free(key);
		}
	return 0;
}
