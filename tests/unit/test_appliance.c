/* The appliance with the uncompressed kernel (appliance.h, bzimage.h):
 * the bzImage header and the PVH note on kernels built here (xz and gzip
 * payloads, as the kernel build lays them out) and on this host's own
 * /boot/vmlinuz-* when readable; then the fixed-appliance folder made
 * from a fake libguestfs cache: made once, reused, refused when supermin
 * would rebuild, when another process holds supermin's lock, when the
 * kernel has no PVH note, after a rejection; other builds' folders swept
 * once old. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "appliance.h"
#include "bzimage.h"
#include "error.h"

static char top[] = "/tmp/wf-test-appliance.XXXXXX";

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xFFFF); put16(p + 2, v >> 16); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

/* An ELF64 x86-64 file of `len` bytes with one PT_NOTE segment holding a
 * GNU build-id note, then (when pvh) the Xen PHYS32_ENTRY note. */
static uint8_t *mkelf(size_t len, int pvh, size_t *n)
{
	uint8_t *p = calloc(1, len);
	memcpy(p, "\177ELF", 4);
	p[4] = 2, p[5] = 1, p[6] = 1;
	put16(p + 18, 62);
	put64(p + 32, 64);	/* e_phoff */
	put16(p + 54, 56);
	put16(p + 56, 2);
	uint8_t *ph = p + 64;	/* a PT_LOAD, then the PT_NOTE */
	put32(ph, 1);
	ph += 56;
	put32(ph, 4);
	put64(ph + 8, 256);
	uint8_t *note = p + 256;
	put32(note, 4), put32(note + 4, 8), put32(note + 8, 3);	/* GNU build id */
	memcpy(note + 12, "GNU", 4);
	size_t sz = 12 + 4 + 8;
	if (pvh) {
		put32(note + sz, 4), put32(note + sz + 4, 4), put32(note + sz + 8, 18);
		memcpy(note + sz + 12, "Xen", 4);
		put32(note + sz + 16, 0x1000234);
		sz += 20;
	}
	put64(ph + 32, sz);
	*n = len;
	return p;
}

static size_t xz(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	size_t pos = 0;
	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, n, out, &pos, cap), LZMA_OK);
	return pos;
}

static size_t gz(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in, z.avail_in = (uInt)n, z.next_out = out, z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t got = cap - z.avail_out;
	deflateEnd(&z);
	return got;
}

/* A bzImage (protocol 2.15, 3 setup sectors) around `elf`, compressed
 * with xz or gzip and followed by its size, as the kernel build does. */
static uint8_t *mkbz(const uint8_t *elf, size_t n, int use_xz, size_t *len)
{
	size_t setup = 4 * 512, cap = n + 4096;
	uint8_t *p = calloc(1, setup + 64 + cap + 4);
	p[0x1F1] = 3;
	memcpy(p + 0x202, "HdrS", 4);
	put16(p + 0x206, 0x020F);
	uint8_t *pay = p + setup + 64;
	size_t c = use_xz ? xz(elf, n, pay, cap) : gz(elf, n, pay, cap);
	put32(pay + c, (uint32_t)n);
	put32(p + 0x248, 64);
	put32(p + 0x24C, (uint32_t)(c + 4));
	*len = setup + 64 + c + 4;
	return p;
}

static void test_elf_note(void **state)
{
	(void)state;
	size_t n;
	uint32_t entry = 0;
	uint8_t *e = mkelf(4096, 1, &n);
	assert_int_equal(wf_elf_pvh_entry(e, n, &entry), 1);
	assert_int_equal(entry, 0x1000234);
	free(e);
	e = mkelf(4096, 0, &n);
	assert_int_equal(wf_elf_pvh_entry(e, n, &entry), 0);
	/* a note whose size runs past its segment: no note, no overread */
	put32(e + 256, 0xFFFFFFF0);
	assert_int_equal(wf_elf_pvh_entry(e, n, &entry), 0);
	/* program headers past the end, a 32-bit ELF, not an ELF */
	put64(e + 32, 4090);
	assert_int_equal(wf_elf_pvh_entry(e, n, &entry), -1);
	put64(e + 32, 64);
	e[4] = 1;
	assert_int_equal(wf_elf_pvh_entry(e, n, &entry), -1);
	assert_int_equal(wf_elf_pvh_entry("MZ", 2, &entry), -1);
	free(e);
}

static void test_bzimage_header(void **state)
{
	(void)state;
	size_t n, len;
	uint8_t *e = mkelf(8192, 1, &n);
	for (int use_xz = 0; use_xz < 2; use_xz++) {
		uint8_t *bz = mkbz(e, n, use_xz, &len);
		struct wf_bzimage b;
		assert_int_equal(wf_bzimage_parse(bz, len, &b), 0);
		assert_int_equal(b.version, 0x020F);
		assert_int_equal(b.zip, use_xz ? WF_KZIP_XZ : WF_KZIP_GZIP);
		assert_int_equal(b.payload_off, 4 * 512 + 64);
		assert_int_equal(b.out_len, 8192);
		assert_int_equal(b.payload_off + b.payload_len, len);
		/* cut short: the payload no longer fits */
		assert_int_equal(wf_bzimage_parse(bz, len - 1, &b), -1);
		/* protocol 2.07 has no payload fields */
		put16(bz + 0x206, 0x0207);
		assert_int_equal(wf_bzimage_parse(bz, len, &b), -1);
		put16(bz + 0x206, 0x020F);
		/* a payload offset past the end */
		put32(bz + 0x248, 0xFFFFFF00);
		assert_int_equal(wf_bzimage_parse(bz, len, &b), -1);
		free(bz);
	}
	free(e);
	struct wf_bzimage b;
	assert_int_equal(wf_bzimage_parse("HdrS", 4, &b), -1);
}

static char cache[300], smd[300], db[300];
static void build_appliance_with(const uint8_t *kernel, size_t klen);
static char *fast(char **why);
static int setup_cache(void **state);

/* Real material: this host's kernels (Debian: xz, PVH), each made into
 * the fixed appliance's kernel. */
static void test_host_kernel(void **state)
{
	(void)state;
	DIR *d = opendir("/boot");
	struct dirent *de;
	int seen = 0;
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "vmlinuz-", 8) != 0)
			continue;
		char path[300];
		snprintf(path, sizeof path, "/boot/%s", de->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		static uint8_t buf[64 << 20];
		size_t n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		struct wf_bzimage b;
		assert_int_equal(wf_bzimage_parse(buf, n, &b), 0);
		print_message("%s: protocol %x, %s payload of %zu bytes -> %u bytes\n", path,
			      b.version, wf_kzip_name(b.zip), b.payload_len, (unsigned)b.out_len);
		assert_true(b.out_len > n);
		setup_cache(NULL);
		build_appliance_with(buf, n);
		char *why = NULL, *dir = fast(&why);
		if (!dir)
			print_message("  no fast appliance: %s\n", why);
		assert_true(dir || (why && strstr(why, "no PVH entry point")));
		free(dir);
		free(why);
		seen++;
	}
	if (d)
		closedir(d);
	if (!seen)
		skip();
}

/* --- the fixed appliance from a fake cache -------------------------------- */

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void set_age(const char *path, int seconds_ago)
{
	struct timespec t[2];
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= seconds_ago;
	t[1] = t[0];
	assert_int_equal(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), 0);
}

static void build_appliance_with(const uint8_t *kernel, size_t klen);

/* appliance.d built by "supermin" now: kernel, initrd, root. */
static void build_appliance(int pvh)
{
	size_t n, len;
	uint8_t *e = mkelf(65536, pvh, &n), *bz = mkbz(e, n, 1, &len);
	build_appliance_with(bz, len);
	free(e);
	free(bz);
}

static void build_appliance_with(const uint8_t *kernel, size_t klen)
{
	char dir[400], tmp[400], p[500];
	snprintf(dir, sizeof dir, "%s/appliance.d", cache);
	snprintf(tmp, sizeof tmp, "%s/appliance.d.new", cache);
	assert_int_equal(mkdir(tmp, 0755), 0);
	snprintf(p, sizeof p, "%s/kernel", tmp);
	write_file(p, kernel, klen);
	snprintf(p, sizeof p, "%s/initrd", tmp);
	write_file(p, "initrd", 6);
	snprintf(p, sizeof p, "%s/root", tmp);
	write_file(p, "root", 4);
	char old[400];
	snprintf(old, sizeof old, "%s/appliance.d.old", cache);
	rename(dir, old);	/* as supermin does: aside, then the new one in */
	assert_int_equal(rename(tmp, dir), 0);
	char cmd[500];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", old);
	assert_int_equal(system(cmd), 0);
}

static char *fast(char **why)
{
	const char *dbs[] = { "/nonexistent/rpmdb", db, NULL };
	struct wf_appliance_src src = { cache, smd, dbs };
	return wf_appliance_fast(&src, why);
}

static ino_t ino_of(const char *dir, const char *name)
{
	char p[500];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return lstat(p, &st) == 0 ? st.st_ino : 0;
}

static int setup_cache(void **state)
{
	(void)state;
	snprintf(cache, sizeof cache, "%s/.guestfs-0", top);
	snprintf(smd, sizeof smd, "%s/supermin.d", top);
	snprintf(db, sizeof db, "%s/dpkg-status", top);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
	assert_int_equal(system(cmd), 0);
	mkdir(cache, 0755);
	mkdir(smd, 0755);
	write_file(db, "Package: x\n", 11);
	set_age(smd, 100);
	set_age(db, 100);
	return 0;
}

static void test_fast_made_and_reused(void **state)
{
	(void)state;
	char *why = NULL;
	assert_null(fast(&why));	/* nothing built yet */
	assert_non_null(strstr(why, "no appliance built yet"));
	free(why);
	build_appliance(1);
	char *d = fast(&why);
	assert_non_null(d);
	assert_null(why);
	char app[400];
	snprintf(app, sizeof app, "%s/appliance.d", cache);
	/* initrd and root are the build's own files; the kernel is the ELF */
	assert_int_equal(ino_of(d, "initrd"), ino_of(app, "initrd"));
	assert_int_equal(ino_of(d, "root"), ino_of(app, "root"));
	assert_true(ino_of(d, "README.fixed") != 0);
	char p[500];
	snprintf(p, sizeof p, "%s/kernel", d);
	FILE *f = fopen(p, "rb");
	uint8_t hdr[4];
	assert_int_equal(fread(hdr, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(hdr, "\177ELF", 4);
	/* the second time: the same folder, not made again */
	ino_t k = ino_of(d, "kernel");
	char *d2 = fast(&why);
	assert_string_equal(d, d2);
	assert_int_equal(ino_of(d2, "kernel"), k);
	free(d2);
	/* a new build gets a new folder; the old one stays while recent ... */
	build_appliance(1);
	d2 = fast(&why);
	assert_non_null(d2);
	assert_string_not_equal(d, d2);
	assert_true(ino_of(d, "kernel") != 0);
	/* ... and goes once old */
	set_age(d, 3600);
	free(fast(&why));
	assert_int_equal(ino_of(d, "kernel"), 0);
	free(d);
	free(d2);
}

static void test_fast_refused(void **state)
{
	(void)state;
	char *why = NULL, *d;
	build_appliance(1);
	/* supermin would rebuild: packages newer than appliance.d */
	set_age(db, 0);
	char app[400];
	snprintf(app, sizeof app, "%s/appliance.d", cache);
	set_age(app, 10);
	assert_null(fast(&why));
	assert_non_null(strstr(why, "packages changed"));
	free(why), why = NULL;
	set_age(db, 100);
	/* ... or its input folder is */
	set_age(smd, 0);
	assert_null(fast(&why));
	assert_non_null(strstr(why, "older than"));
	free(why), why = NULL;
	set_age(smd, 100);
	/* no package database supermin would read */
	const char *none[] = { "/nonexistent/a", NULL };
	struct wf_appliance_src src = { cache, smd, none };
	assert_null(wf_appliance_fast(&src, &why));
	assert_non_null(strstr(why, "no package database"));
	free(why), why = NULL;
	/* another process holds supermin's lock while we would derive */
	int pfd[2];
	assert_int_equal(pipe(pfd), 0);
	pid_t pid = fork();
	if (pid == 0) {
		char lock[400];
		snprintf(lock, sizeof lock, "%s/lock", cache);
		int fd = open(lock, O_WRONLY | O_CREAT, 0644);
		lockf(fd, F_LOCK, 0);
		(void)!write(pfd[1], "x", 1);
		sleep(2);
		_exit(0);
	}
	char c;
	assert_int_equal(read(pfd[0], &c, 1), 1);
	assert_null(fast(&why));
	assert_non_null(strstr(why, "another process"));
	free(why), why = NULL;
	waitpid(pid, NULL, 0);
	close(pfd[0]), close(pfd[1]);
	/* made now that the lock is free; rejected after a failed launch */
	d = fast(&why);
	assert_non_null(d);
	wf_appliance_reject(d);
	assert_null(fast(&why));
	assert_non_null(strstr(why, "failed to launch before"));
	free(why), why = NULL;
	free(d);
	/* a kernel without the PVH note */
	build_appliance(0);
	assert_null(fast(&why));
	assert_non_null(strstr(why, "no PVH entry point"));
	free(why);
}

int main(void)
{
	if (!mkdtemp(top))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elf_note),
		cmocka_unit_test(test_bzimage_header),
		cmocka_unit_test(test_host_kernel),
		cmocka_unit_test_setup(test_fast_made_and_reused, setup_cache),
		cmocka_unit_test_setup(test_fast_refused, setup_cache),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	if (system(cmd) != 0)
		r = 1;
	return r;
}
