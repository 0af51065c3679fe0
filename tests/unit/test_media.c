/*
 * test_media.c - install media pieces without an ISO: TXTSETUP.SIF and
 * DOSNET.INF merging (everything else byte for byte, idempotent, CRLF or
 * LF, missing sections), txtsetup.oem, the FAT12 floppy's on-disk layout,
 * and what kind of medium a file list is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "floppy.h"
#include "media.h"
#include "strbuf.h"
#include "txtsetup.h"

static char *ids[] = { "PCI\\VEN_1AF4&DEV_1001&SUBSYS_00021AF4", "PCI\\VEN_1AF4&DEV_1001" };
static const char *extra[] = { "viostor.inf", "viostor.cat" };
static const struct wf_txt_driver drv = {
	.svc = "viostor", .sys = "viostor.sys", .desc = "Red Hat VirtIO SCSI controller",
	.hwids = ids, .n_hwids = 2, .extra = extra, .n_extra = 2,
};

static const char sif[] =
	"; comment\r\n[Version]\r\nSignature = \"$Windows NT$\"\r\n\r\n"
	"[SourceDisksFiles]\r\natapi.sys = 1,,,,,,4_,4,1,,,1,4\r\n\r\n"
	"[HardwareIdsDatabase]\r\nPCI\\CC_0101 = \"pciide\"\r\n\r\n"
	"[SCSI.Load]\r\natapi = atapi.sys,4\r\n\r\n[SCSI]\r\natapi = \"IDE\"\r\n";

/* Remove every line of `added` from `out`; what is left must be `in`. */
static void assert_only_added(const char *in, const char *out)
{
	struct wf_strbuf rest = WF_STRBUF_INIT;
	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
		if (!memmem(p, len, "viostor", 7) && !memmem(p, len, "VEN_1AF4", 8))
			wf_sb_add(&rest, p, len);
		p += len;
	}
	assert_string_equal(rest.buf, in);
	wf_sb_release(&rest);
}

static void test_sif_merge(void **state)
{
	(void)state;
	struct wf_strbuf out = WF_STRBUF_INIT, notes = WF_STRBUF_INIT;
	size_t added;
	wf_txtsetup_merge(sif, strlen(sif), &drv, 1, 0, &out, &notes, &added);
	assert_int_equal(added, 5);
	assert_only_added(sif, out.buf);
	assert_non_null(strstr(out.buf, "atapi.sys = 1,,,,,,4_,4,1,,,1,4\r\nviostor.sys = 1,,,,,,4_,4,1,,,1,4\r\n\r\n[Hardware"));
	assert_non_null(strstr(out.buf, "PCI\\VEN_1AF4&DEV_1001 = \"viostor\"\r\n"));
	assert_non_null(strstr(out.buf, "[SCSI.Load]\r\natapi = atapi.sys,4\r\nviostor = viostor.sys,4\r\n"));
	assert_non_null(strstr(out.buf, "[SCSI]\r\natapi = \"IDE\"\r\nviostor = \"Red Hat VirtIO SCSI controller\"\r\n"));
	/* again: nothing added, each key said */
	struct wf_strbuf again = WF_STRBUF_INIT;
	wf_sb_truncate(&notes, 0);
	wf_txtsetup_merge(out.buf, out.len, &drv, 1, 0, &again, &notes, &added);
	assert_int_equal(added, 0);
	assert_string_equal(again.buf, out.buf);
	assert_non_null(strstr(notes.buf, "[SCSI.Load] already has viostor"));
	wf_sb_release(&again);
	wf_sb_release(&out);
	wf_sb_release(&notes);
}

static void test_sif_amd64_missing_section_lf(void **state)
{
	(void)state;
	const char *in = "[Version]\nx = 1\n[SCSI]\natapi = \"IDE\"";	/* LF, no final newline */
	struct wf_strbuf out = WF_STRBUF_INIT;
	size_t added;
	wf_txtsetup_merge(in, strlen(in), &drv, 1, 1, &out, NULL, &added);
	assert_int_equal(added, 5);
	assert_null(strchr(out.buf, '\r'));
	assert_non_null(strstr(out.buf, "atapi = \"IDE\"\nviostor = \"Red Hat"));
	assert_non_null(strstr(out.buf, "[SourceDisksFiles.amd64]\nviostor.sys = "));
	assert_non_null(strstr(out.buf, "[HardwareIdsDatabase]\nPCI\\VEN_1AF4"));
	assert_int_equal(strncmp(out.buf, "[Version]\nx = 1\n[SCSI]\natapi = \"IDE\"\n", 36), 0);
	wf_sb_release(&out);
}

static void test_dosnet_and_oem(void **state)
{
	(void)state;
	const char *in = "[Directories]\r\nd1 = \\i386\r\n\r\n[Files]\r\nd1,atapi.sys\r\n";
	struct wf_strbuf out = WF_STRBUF_INIT, oem = WF_STRBUF_INIT;
	size_t added;
	wf_dosnet_merge(in, strlen(in), &drv, 1, &out, NULL, &added);
	assert_int_equal(added, 1);
	assert_string_equal(out.buf, "[Directories]\r\nd1 = \\i386\r\n\r\n[Files]\r\nd1,atapi.sys\r\nd1,viostor.sys\r\n");
	wf_txtsetup_oem(&drv, 1, "viostor", &oem);
	assert_non_null(strstr(oem.buf, "[Defaults]\r\nscsi = viostor\r\n"));
	assert_non_null(strstr(oem.buf, "[Files.scsi.viostor]\r\ndriver = d1,viostor.sys,viostor\r\ninf = d1,viostor.inf\r\ncatalog = d1,viostor.cat\r\n"));
	assert_non_null(strstr(oem.buf, "id = \"PCI\\VEN_1AF4&DEV_1001\",\"viostor\"\r\n"));
	assert_non_null(strstr(oem.buf, "[Config.viostor]\r\nvalue = \"\", Tag, REG_DWORD, 1\r\n"));
	wf_sb_release(&out);
	wf_sb_release(&oem);
}

static unsigned fat12(const unsigned char *fat, unsigned n)
{
	unsigned v = fat[n * 3 / 2] | fat[n * 3 / 2 + 1] << 8;
	return n & 1 ? v >> 4 : v & 0xfff;
}

static void test_floppy_layout(void **state)
{
	(void)state;
	unsigned char *img = malloc(WF_FLOPPY_BYTES);
	static char big[1500];
	memset(big, 'x', sizeof big);
	struct wf_floppy_file f[] = { { "TXTSETUP.OEM", "[Disks]\r\n", 9 }, { "viostor.sys", big, sizeof big } };
	struct wf_error e = { 0 };
	assert_int_equal(wf_floppy_build(img, "virtio", f, 2, &e), 0);
	assert_int_equal(img[11] | img[12] << 8, 512);
	assert_int_equal(img[19] | img[20] << 8, 2880);
	assert_int_equal(img[21], 0xF0);
	assert_int_equal(img[510], 0x55);
	assert_memory_equal(img + 54, "FAT12   ", 8);
	const unsigned char *fat = img + 512, *root = img + 19 * 512;
	assert_int_equal(fat12(fat, 0), 0xFF0);
	assert_memory_equal(root, "VIRTIO     ", 11);
	assert_memory_equal(root + 32, "TXTSETUPOEM", 11);
	assert_memory_equal(root + 64, "VIOSTOR SYS", 11);
	unsigned c = root[64 + 26];	/* viostor.sys: 3 clusters from 3 */
	assert_int_equal(c, 3);
	assert_int_equal(fat12(fat, 3), 4);
	assert_int_equal(fat12(fat, 4), 5);
	assert_int_equal(fat12(fat, 5), 0xFFF);
	assert_memory_equal(img + (33 + c - 2) * 512, big, 512);
	assert_memory_equal(fat, fat + 9 * 512, 9 * 512);	/* both FATs */
	struct wf_floppy_file bad[] = { { "toolongname.sys", "x", 1 } };
	assert_int_equal(wf_floppy_build(img, "v", bad, 1, &e), -1);
	assert_non_null(strstr(e.msg, "not an 8.3 name"));
	static char huge[1500000];
	struct wf_floppy_file toobig[] = { { "BIG.SYS", huge, sizeof huge } };
	assert_int_equal(wf_floppy_build(img, "v", toobig, 1, &e), -1);
	assert_non_null(strstr(e.msg, "do not fit"));
	free(img);
}

static void test_kind_of(void **state)
{
	(void)state;
	const char *why;
	char *vista[] = { "/boot/etfsboot.com", "/SOURCES/BOOT.WIM", "/setup.exe" };
	assert_int_equal(wf_media_kind_of(vista, 3, &why), WF_MEDIA_WIM);
	char *xp[] = { "/I386/TXTSETUP.SIF", "/WIN51IP" };
	assert_int_equal(wf_media_kind_of(xp, 2, &why), WF_MEDIA_TEXTMODE);
	char *udf[] = { "/README.TXT" };
	assert_int_equal(wf_media_kind_of(udf, 1, &why), WF_MEDIA_NONE);
	assert_non_null(strstr(why, "UDF only"));
	char *other[] = { "/docs/a.txt" };
	assert_int_equal(wf_media_kind_of(other, 1, &why), WF_MEDIA_NONE);
	assert_non_null(strstr(why, "not Windows install media"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sif_merge),
		cmocka_unit_test(test_sif_amd64_missing_section_lf),
		cmocka_unit_test(test_dosnet_and_oem),
		cmocka_unit_test(test_floppy_layout),
		cmocka_unit_test(test_kind_of),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
