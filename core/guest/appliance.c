#include "appliance.h"
#include "bzimage.h"
#include "hostfile.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* Bounds: the kernel file as supermin copies it (Debian's is 8 MB), and
 * what it may decompress to (Debian's vmlinux is 66 MB). */
enum { KERNEL_MAX = 64 << 20, VMLINUX_MAX = 256 << 20 };
#define PVH_DIR "winfix-pvh"
#define STALE_SECONDS 600	/* other builds' folders older than this go */

static const char *const default_pkgdb[] = {
	"/var/lib/dpkg/status",		/* supermin ph_dpkg */
	"/var/lib/rpm/rpmdb.sqlite",	/* supermin ph_rpm, rpm >= 4.16 */
	"/var/lib/rpm/Packages",	/* supermin ph_rpm, older rpm */
	NULL,
};

static int say(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(char **why, const char *fmt, ...)
{
	if (why && !*why) {
		va_list ap;
		va_start(ap, fmt);
		if (vasprintf(why, fmt, ap) < 0)
			*why = NULL;
		va_end(ap);
	}
	return -1;
}

/* supermin --if-newer would not rebuild appliance.d now. */
static int fresh(const struct wf_appliance_src *src, const struct stat *out, char **why)
{
	struct stat st;
	if (lstat(src->supermin_d, &st) < 0 || st.st_mtime >= out->st_mtime) {
		say(why, "the appliance is older than %s", src->supermin_d);
		return 0;
	}
	const char *const *db = src->pkgdb ? src->pkgdb : default_pkgdb;
	for (; *db; db++) {
		if (lstat(*db, &st) < 0)
			continue;
		if (st.st_mtime < out->st_mtime)
			return 1;
		say(why, "packages changed since the appliance was built (%s)", *db);
		return 0;
	}
	say(why, "no package database that supermin would read");
	return 0;
}

/* "k-" and 16 hex digits naming appliance.d's current build. */
static int build_key(int appfd, const struct stat *dir, char key[19])
{
	static const char *const files[] = { "kernel", "initrd", "root" };
	struct wf_sha256 h;
	char buf[160], hex[65];
	wf_sha256_init(&h);
	int n = snprintf(buf, sizeof buf, "%llx %llx %lld.%09ld", (unsigned long long)dir->st_dev,
			 (unsigned long long)dir->st_ino, (long long)dir->st_mtim.tv_sec,
			 dir->st_mtim.tv_nsec);
	wf_sha256_update(&h, buf, (size_t)n);
	for (size_t i = 0; i < 3; i++) {
		struct stat st;
		if (fstatat(appfd, files[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			return -1;
		n = snprintf(buf, sizeof buf, "|%s %llx %lld", files[i],
			     (unsigned long long)st.st_ino, (long long)st.st_size);
		wf_sha256_update(&h, buf, (size_t)n);
	}
	wf_sha256_hex(&h, hex);
	snprintf(key, 19, "k-%.16s", hex);
	return 0;
}

/* --- the kernel, decompressed ------------------------------------------- */

static int unxz(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *got)
{
	lzma_stream z = LZMA_STREAM_INIT;
	if (lzma_stream_decoder(&z, UINT64_MAX, 0) != LZMA_OK)
		return -1;
	z.next_in = in, z.avail_in = n, z.next_out = out, z.avail_out = cap;
	lzma_ret r = lzma_code(&z, LZMA_FINISH);
	*got = cap - z.avail_out;
	lzma_end(&z);
	return r == LZMA_STREAM_END ? 0 : -1;
}

static int gunzip(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *got)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -1;
	z.next_in = (Bytef *)in, z.avail_in = (uInt)n, z.next_out = out, z.avail_out = (uInt)cap;
	int r = inflate(&z, Z_FINISH);
	*got = cap - z.avail_out;
	inflateEnd(&z);
	return r == Z_STREAM_END ? 0 : -1;
}

static uint8_t *read_all(int dfd, const char *name, size_t max, size_t *len)
{
	int fd = wf_hostfile_open_read(dfd, name, NULL);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size <= 0 || (size_t)st.st_size > max) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	uint8_t *buf = wf_xmalloc((size_t)st.st_size);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

/* appliance.d/kernel decompressed into `name` in dfd, checked for PVH. */
static int write_vmlinux(int appfd, int dfd, const char *name, char **why)
{
	size_t n = 0, got = 0;
	uint8_t *k = read_all(appfd, "kernel", KERNEL_MAX, &n);
	struct wf_bzimage b;
	if (!k || wf_bzimage_parse(k, n, &b) < 0) {
		free(k);
		return say(why, "the appliance kernel is not a bzImage I can read");
	}
	if (b.zip == WF_KZIP_OTHER || b.out_len < 64 || b.out_len > VMLINUX_MAX) {
		free(k);
		return say(why, "the appliance kernel is compressed in a way not decoded here");
	}
	uint8_t *v = wf_xmalloc(b.out_len);
	const uint8_t *in = k + b.payload_off;
	int r = b.zip == WF_KZIP_XZ ? unxz(in, b.payload_len, v, b.out_len, &got)
				    : gunzip(in, b.payload_len, v, b.out_len, &got);
	free(k);
	uint32_t entry;
	if (r < 0 || got != b.out_len)
		r = say(why, "the appliance kernel did not decompress (%s)", wf_kzip_name(b.zip));
	else if (wf_elf_pvh_entry(v, got, &entry) != 1)
		r = say(why, "the appliance kernel has no PVH entry point (CONFIG_PVH)");
	else if (wf_hostfile_write(dfd, name, v, got, 0644, NULL) < 0)
		r = say(why, "cannot write the uncompressed kernel");
	free(v);
	return r;
}

/* --- the fixed appliance folder ----------------------------------------- */

static int ready(int pvhfd, const char *key)
{
	static const char *const need[] = { "README.fixed", "kernel", "initrd", "root" };
	char p[64];
	struct stat st;
	snprintf(p, sizeof p, "%s/rejected", key);
	if (fstatat(pvhfd, p, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", key, need[i]);
		if (fstatat(pvhfd, p, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			return 0;
	}
	return 1;
}

static int fill(int appfd, int tfd, char **why)
{
	static const char readme[] =
		"A libguestfs fixed appliance made by virt-winfix from ../../appliance.d:\n"
		"the same initrd and root (hard links), the kernel stored uncompressed\n"
		"so that qemu boots it through its PVH entry point.  Safe to delete.\n";
	if (write_vmlinux(appfd, tfd, "kernel", why) < 0)
		return -1;
	if (linkat(appfd, "initrd", tfd, "initrd", 0) < 0 || linkat(appfd, "root", tfd, "root", 0) < 0)
		return say(why, "cannot link the appliance's files: %s", strerror(errno));
	return wf_hostfile_write(tfd, "README.fixed", readme, sizeof readme - 1, 0644, NULL);
}

/* Make <key>: filled under a temporary name, renamed in place. */
static int derive(int appfd, int pvhfd, const char *pvh, const char *key, char **why)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", key, (long)getpid());
	char *tpath = wf_xasprintf("%s/%s", pvh, tmp);
	wf_host_rmtree(tpath);
	int tfd = mkdirat(pvhfd, tmp, 0700) == 0 ? wf_hostdir_openat(pvhfd, tmp, 0, NULL) : -1;
	int r = tfd < 0 ? say(why, "cannot create %s", tpath) : fill(appfd, tfd, why);
	if (tfd >= 0)
		close(tfd);
	if (r == 0 && renameat(pvhfd, tmp, pvhfd, key) < 0 && ready(pvhfd, key) != 1)
		r = say(why, "cannot rename %s: %s", tpath, strerror(errno));
	wf_host_rmtree(tpath);	/* left only when another process won the rename */
	free(tpath);
	return r;
}

/* Other builds' folders (and crashed runs' temporary ones), once old. */
static void sweep(int pvhfd, const char *pvh, const char *key)
{
	DIR *d = fdopendir(dup(pvhfd));
	if (!d)
		return;
	time_t now = time(NULL);
	struct dirent *de;
	while ((de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.' || strcmp(de->d_name, key) == 0 ||
		    fstatat(pvhfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    now - st.st_mtime < STALE_SECONDS)
			continue;
		char *p = wf_xasprintf("%s/%s", pvh, de->d_name);
		wf_host_rmtree(p);
		free(p);
	}
	closedir(d);
}

/* Keep /var/tmp cleaners away, as libguestfs does for appliance.d. */
static void touch(int pvhfd, const char *key)
{
	static const char *const files[] = { "kernel", "initrd", "root" };
	char p[64];
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", key, files[i]);
		utimensat(pvhfd, p, NULL, AT_SYMLINK_NOFOLLOW);
	}
}

/* With supermin's lock (lockf, as supermin takes it; not waited for). */
static int locked_derive(int cfd, int appfd, int pvhfd, const char *pvh, const char *key, char **why)
{
	int lfd = openat(cfd, "lock", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (lfd < 0 || lockf(lfd, F_TLOCK, 0) < 0) {
		if (lfd >= 0)
			close(lfd);
		return say(why, "the appliance is being built by another process");
	}
	struct stat dir;
	char now[19];
	int r = fstat(appfd, &dir) < 0 || build_key(appfd, &dir, now) < 0 || strcmp(now, key) != 0
		? say(why, "the appliance changed meanwhile")
		: derive(appfd, pvhfd, pvh, key, why);
	close(lfd);	/* releases the lock */
	return r;
}

char *wf_appliance_fast(const struct wf_appliance_src *src, char **why)
{
	if (why)
		*why = NULL;
	int cfd = wf_hostdir_open(src->cache, 0, NULL);
	int appfd = cfd < 0 ? -1 : wf_hostdir_openat(cfd, "appliance.d", 0, NULL);
	struct stat dir;
	char key[19];
	char *pvh = NULL, *out = NULL;
	int pvhfd = -1;
	if (appfd < 0 || fstat(appfd, &dir) < 0)
		say(why, "no appliance built yet in %s", src->cache);
	else if (!fresh(src, &dir, why))
		;
	else if (build_key(appfd, &dir, key) < 0)
		say(why, "the appliance in %s is incomplete", src->cache);
	else if ((pvhfd = wf_hostdir_openat(cfd, PVH_DIR, WF_HOSTDIR_CREATE | WF_HOSTDIR_PRIVATE, NULL)) < 0)
		say(why, "cannot open %s/%s", src->cache, PVH_DIR);
	else {
		pvh = wf_xasprintf("%s/%s", src->cache, PVH_DIR);
		int ok = ready(pvhfd, key);
		if (ok < 0)
			say(why, "%s/%s failed to launch before", pvh, key);
		else if (ok == 1 || locked_derive(cfd, appfd, pvhfd, pvh, key, why) == 0) {
			touch(pvhfd, key);
			sweep(pvhfd, pvh, key);
			out = wf_xasprintf("%s/%s", pvh, key);
		}
	}
	free(pvh);
	if (pvhfd >= 0)
		close(pvhfd);
	if (appfd >= 0)
		close(appfd);
	if (cfd >= 0)
		close(cfd);
	return out;
}

void wf_appliance_reject(const char *dir)
{
	int fd = wf_hostdir_open(dir, 0, NULL);
	if (fd < 0)
		return;
	wf_hostfile_write(fd, "rejected", "", 0, 0600, NULL);
	close(fd);
}
