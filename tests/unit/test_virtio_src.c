/*
 * test_virtio_src.c - the driver source on fake virtio-win trees
 * (tests/data/virtio/fake-virtio-win.sh: realistic INF text, kit PE
 * files): the OS folder table with its fallbacks, both layouts, UTF-16
 * INFs, and the refusals - a .sys for another machine, and seed 000's
 * case: the WXP folder's build (Windows 5.2) for an XP (5.1) guest.  And
 * the same tree as an ISO (xorriso -as mkisofs -J -R, as virtio-win ISOs
 * are made), read on the host, with what a crafted ISO may hold: a
 * symbolic link, a file over its cap, a quote in a name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hive.h"
#include "isofs.h"
#include "virtio_src.h"
#include "winver.h"

static char tree[64];

static int setup_tree(void **state)
{
	(void)state;
	const char *o = getenv("O");
	char mkpe[256], cmd[600];
	snprintf(mkpe, sizeof mkpe, "%s/kit/mkpe", o && *o ? o : "build");
	strcpy(tree, "/tmp/wf-vw.XXXXXX");
	if (!mkdtemp(tree))
		return -1;
	snprintf(cmd, sizeof cmd, "bash tests/data/virtio/fake-virtio-win.sh %s/t %s", tree, mkpe);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot build the fake tree (%s; run from the repository root after make test-build)\n", cmd);
		return -1;
	}
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tree);
	return system(cmd) == 0 ? 0 : -1;
}

static struct wf_winver ver(unsigned major, unsigned minor, unsigned build, int server,
			    const char *arch)
{
	struct wf_winver v;
	memset(&v, 0, sizeof v);
	v.major = major;
	v.minor = minor;
	v.build = build;
	v.server = server;
	v.arch = (char *)arch;
	v.release = (char *)"Windows";
	return v;
}

static struct wf_virtio_src *open_src(const char *sub)
{
	char p[128];
	struct wf_error e = { 0 };
	snprintf(p, sizeof p, "%s/t/%s", tree, sub);
	struct wf_virtio_src *s = wf_virtio_src_open(p, tree, &e);
	if (!s)
		fail_msg("%s", e.msg);
	return s;
}

static void test_os_table(void **state)
{
	(void)state;
	static const struct { unsigned ma, mi, build; int server; const char *first, *second; } t[] = {
		{ 5, 1, 2600, 0, "xp", "wxp" },
		{ 5, 2, 3790, 1, "2k3", "wnet" },
		{ 6, 1, 7601, 0, "w7", "win7" },
		{ 6, 1, 7601, 1, "2k8r2", "w7" },
		{ 6, 3, 9600, 1, "2k12r2", "w8.1" },
		{ 10, 0, 19045, 0, "w10", "w8.1" },
		{ 10, 0, 22621, 0, "w11", "w10" },
		{ 10, 0, 14393, 1, "2k16", "w10" },
		{ 10, 0, 17763, 1, "2k19", "2k16" },
		{ 10, 0, 20348, 1, "2k22", "2k19" },
		{ 10, 0, 26100, 1, "2k25", "2k22" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct wf_winver v = ver(t[i].ma, t[i].mi, t[i].build, t[i].server, "x86_64");
		const char *f[8];
		size_t n = wf_virtio_os_folders(&v, f, 8);
		assert_true(n >= 2);
		assert_string_equal(f[0], t[i].first);
		assert_string_equal(f[1], t[i].second);
	}
	struct wf_winver v = ver(5, 0, 2195, 0, "i386");
	const char *f[8];
	assert_int_equal(wf_virtio_os_folders(&v, f, 8), 0);	/* Windows 2000: none */
	assert_string_equal(wf_virtio_arch(&v), "x86");
}

static void test_pick_new_layout(void **state)
{
	(void)state;
	struct wf_virtio_src *s = open_src("new");
	struct wf_virtio_pick p;
	struct wf_error e = { 0 };
	struct wf_winver w10 = ver(10, 0, 19045, 0, "x86_64");
	assert_int_equal(wf_virtio_pick(s, "viostor", &w10, &p, &e), 0);
	assert_string_equal(p.folder, "viostor/w10/amd64");
	assert_string_equal(p.info.class_guid, "{4D36E97B-E325-11CE-BFC1-08002BE10318}");
	assert_string_equal(p.info.services[0].name, "viostor");
	assert_int_equal(p.pe.machine, 0x8664);
	assert_non_null(p.cat);
	wf_virtio_pick_free(&p);
	/* UTF-16 INF, an extra file of the package */
	assert_int_equal(wf_virtio_pick(s, "netkvm", &w10, &p, &e), 0);
	assert_string_equal(p.info.class_name, "Net");
	assert_int_equal(p.n_extra, 1);
	assert_non_null(strstr(p.extra[0], "netkvmco.dll"));
	wf_virtio_pick_free(&p);
	/* Server 2019 -> 2k19; Windows 11 (no w11 folder) -> w10 */
	struct wf_winver s19 = ver(10, 0, 17763, 1, "x86_64"), w11 = ver(10, 0, 22621, 0, "x86_64");
	assert_int_equal(wf_virtio_pick(s, "vioscsi", &s19, &p, &e), 0);
	assert_string_equal(p.folder, "vioscsi/2k19/amd64");
	wf_virtio_pick_free(&p);
	assert_int_equal(wf_virtio_pick(s, "viostor", &w11, &p, &e), 0);
	assert_string_equal(p.folder, "viostor/w10/amd64");
	wf_virtio_pick_free(&p);
	/* 32-bit Windows 10 */
	struct wf_winver w10x86 = ver(10, 0, 19045, 0, "i386");
	assert_int_equal(wf_virtio_pick(s, "viostor", &w10x86, &p, &e), 0);
	assert_string_equal(p.folder, "viostor/w10/x86");
	wf_virtio_pick_free(&p);
	wf_virtio_src_free(s);
}

static void test_refusals(void **state)
{
	(void)state;
	struct wf_virtio_src *s = open_src("new");
	struct wf_virtio_pick p;
	struct wf_error e = { 0 };
	/* vioscsi/w7/amd64 holds an i386 build */
	struct wf_winver w7 = ver(6, 1, 7601, 0, "x86_64");
	assert_int_equal(wf_virtio_pick(s, "vioscsi", &w7, &p, &e), -1);
	printf("%s\n", e.msg);
	assert_non_null(strstr(e.msg, "refused vioscsi/w7/amd64/vioscsi.sys: built for i386, the guest is x86_64"));
	wf_virtio_pick_free(&p);
	/* nothing for 2012 R2 */
	struct wf_winver k12 = ver(6, 3, 9600, 1, "x86_64");
	assert_int_equal(wf_virtio_pick(s, "viostor", &k12, &p, &e), -1);
	assert_non_null(strstr(e.msg, "tried viostor/2k12r2/amd64, 2k12r2/amd64, viostor/w8.1/amd64"));
	wf_virtio_pick_free(&p);
	assert_int_equal(wf_virtio_pick(s, "floppy", &k12, &p, &e), -1);
	wf_virtio_pick_free(&p);
	wf_virtio_src_free(s);
	/* seed 000: XP takes XP\X86, and refuses WXP\X86's 2003 build */
	struct wf_winver xp = ver(5, 1, 2600, 0, "i386");
	s = open_src("old");
	assert_int_equal(wf_virtio_pick(s, "netkvm", &xp, &p, &e), 0);
	assert_string_equal(p.folder, "XP/X86");
	wf_virtio_pick_free(&p);
	wf_virtio_src_free(s);
	s = open_src("wxp");
	assert_int_equal(wf_virtio_pick(s, "netkvm", &xp, &p, &e), -1);
	printf("%s\n", e.msg);
	assert_non_null(strstr(e.msg, "refused WXP/X86/netkvm.sys: built for Windows 5.2, newer than the guest's 5.1"));
	wf_virtio_pick_free(&p);
	wf_virtio_src_free(s);
	/* not a source */
	assert_null(wf_virtio_src_open("/nonexistent/virtio", tree, &e));
	assert_non_null(strstr(e.msg, "/nonexistent/virtio"));
}


/* Folders whose name starts with "virtio-win." in the tree (an ISO's
 * copies, removed by wf_virtio_src_free). */
static int copies_left(void)
{
	DIR *d = opendir(tree);
	int n = 0;
	for (struct dirent *de; d && (de = readdir(d));)
		n += strncmp(de->d_name, "virtio-win.", 11) == 0;
	if (d)
		closedir(d);
	return n;
}

static void test_iso(void **state)
{
	(void)state;
	if (access("/usr/bin/xorriso", X_OK) != 0) {
		printf("SKIP: test_iso: no /usr/bin/xorriso (make deps installs it)\n");
		skip();
	}
	char cmd[1200], iso[128];
	snprintf(iso, sizeof iso, "%s/vw.iso", tree);
	/* the fake tree, and: viorng's INF a symbolic link to a host file;
	 * viofs's INF over the 4 MB cap of an INF; a quote and a space in a
	 * folder name */
	snprintf(cmd, sizeof cmd,
		 "set -e; cd %s; rm -rf iso; cp -r t/new iso; mkdir -p iso/viorng/w10/amd64 "
		 "iso/viofs/w10/amd64 \"iso/it's here\"; ln -s /etc/passwd iso/viorng/w10/amd64/viorng.inf; "
		 "head -c 5000000 /dev/zero > iso/viofs/w10/amd64/viofs.inf; echo x > \"iso/it's here/a b.txt\"; "
		 "xorriso -as mkisofs -quiet -J -R -V virtio-win -o vw.iso iso 2>/dev/null", tree);
	assert_int_equal(system(cmd), 0);
	struct wf_error e = { 0 };
	/* the listing: regular files only, with their sizes, a quoted name
	 * read back as it is */
	char **files;
	uint64_t *sizes;
	size_t n, quoted = 0;
	assert_int_equal(wf_iso_list(iso, &files, &sizes, &n, &e), 0);
	for (size_t i = 0; i < n; i++) {
		assert_null(strstr(files[i], "viorng.inf"));
		if (strcmp(files[i], "/it's here/a b.txt") == 0)
			quoted = sizes[i];
		if (strcmp(files[i], "/viofs/w10/amd64/viofs.inf") == 0)
			assert_int_equal(sizes[i], 5000000);
	}
	assert_int_equal(quoted, 2);
	wf_strv_free(files, n);
	free(sizes);
	struct wf_virtio_src *s = wf_virtio_src_open(iso, tree, &e);
	if (!s)
		fail_msg("%s", e.msg);
	assert_int_equal(copies_left(), 1);
	struct wf_virtio_pick p;
	struct wf_winver w10 = ver(10, 0, 19045, 0, "x86_64");
	/* the same pick as from the folder; the files are host copies
	 * named by their place in the ISO */
	assert_int_equal(wf_virtio_pick(s, "viostor", &w10, &p, &e), 0);
	assert_string_equal(p.folder, "viostor/w10/amd64");
	assert_int_equal(p.pe.machine, 0x8664);
	assert_non_null(p.cat);
	assert_string_equal(p.info.services[0].name, "viostor");
	assert_ptr_equal(strstr(p.sys, tree), p.sys);
	char *origin = wf_virtio_src_origin(s, p.sys);
	char want[200];
	snprintf(want, sizeof want, "%s:/viostor/w10/amd64/viostor.sys", iso);
	assert_string_equal(origin, want);
	free(origin);
	wf_virtio_pick_free(&p);
	assert_int_equal(wf_virtio_pick(s, "netkvm", &w10, &p, &e), 0);
	assert_int_equal(p.n_extra, 1);
	assert_non_null(strstr(p.extra[0], "netkvmco.dll"));
	wf_virtio_pick_free(&p);
	/* the link is not a file of the ISO: nothing read through it */
	assert_int_equal(wf_virtio_pick(s, "viorng", &w10, &p, &e), -1);
	assert_null(strstr(e.msg, "refused"));
	wf_virtio_pick_free(&p);
	/* over the cap: refused before it is copied out, saying why */
	assert_int_equal(wf_virtio_pick(s, "viofs", &w10, &p, &e), -1);
	printf("%s\n", e.msg);
	assert_non_null(strstr(e.msg, "viofs/w10/amd64/viofs.inf is 5.0 MB, over the INF file cap (4 MB)"));
	wf_virtio_pick_free(&p);
	wf_virtio_src_free(s);
	assert_int_equal(copies_left(), 0);
	/* not an ISO 9660 image */
	snprintf(cmd, sizeof cmd, "head -c 100000 /dev/zero > %s/zero.iso", tree);
	assert_int_equal(system(cmd), 0);
	snprintf(iso, sizeof iso, "%s/zero.iso", tree);
	assert_null(wf_virtio_src_open(iso, tree, &e));
	assert_non_null(strstr(e.msg, "neither a virtio-win folder nor an ISO image"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_os_table),
		cmocka_unit_test(test_pick_new_layout),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_iso),
	};
	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
