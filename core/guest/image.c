#include "image.h"
#include "chain.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* One row per format: where its magic sits and what it is.  Sources: qemu
 * block drivers' probe functions (qcow2.c "QFI\xfb", vmdk.c "KDMV" and the
 * text descriptor, vhdx.c "vhdxfile", vdi.c signature 0xbeda107f at 0x40,
 * vpc.c "conectix" in the footer), ECMA-119 ("CD001" at 0x8001). */
static const struct {
	enum wf_format fmt;
	const char *name, *qemu;
	size_t offset;
	const char *magic;
	size_t len;
} formats[] = {
	{ WF_FMT_QCOW2, "qcow2", "qcow2", 0, "QFI\xfb", 4 },
	{ WF_FMT_VMDK, "vmdk", "vmdk", 0, "KDMV", 4 },
	{ WF_FMT_VMDK, "vmdk", "vmdk", 0, "# Disk DescriptorFile", 21 },
	{ WF_FMT_VHDX, "vhdx", "vhdx", 0, "vhdxfile", 8 },
	{ WF_FMT_VDI, "vdi", "vdi", 0x40, "\x7f\x10\xda\xbe", 4 },
	{ WF_FMT_VHD, "vhd", "vpc", 0, "conectix", 8 },
	{ WF_FMT_ISO, "iso", "raw", 0x8001, "CD001", 5 },
	{ WF_FMT_RAW, "raw", "raw", 0, NULL, 0 },
};

enum wf_format wf_format_sniff(const unsigned char *head, size_t n,
			       const unsigned char *tail, size_t tail_n)
{
	for (size_t i = 0; formats[i].magic; i++)
		if (formats[i].offset + formats[i].len <= n &&
		    memcmp(head + formats[i].offset, formats[i].magic,
			   formats[i].len) == 0)
			return formats[i].fmt;
	/* a fixed VHD is raw data followed by a 512-byte footer */
	if (tail && tail_n >= 512 && memcmp(tail + tail_n - 512, "conectix", 8) == 0)
		return WF_FMT_VHD;
	return WF_FMT_RAW;
}

static size_t row_of(enum wf_format f)
{
	size_t i = 0;
	while (formats[i].magic && formats[i].fmt != f)
		i++;
	return i;
}

const char *wf_format_name(enum wf_format f) { return formats[row_of(f)].name; }
const char *wf_format_qemu(enum wf_format f) { return formats[row_of(f)].qemu; }

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Virtual disk size from the header, where it is simple to find. */
static uint64_t virtual_size(enum wf_format f, const unsigned char *h, size_t n,
			     const unsigned char *tail, uint64_t file_size)
{
	switch (f) {
	case WF_FMT_QCOW2:	/* QCowHeader.size, big-endian, offset 24 */
		return n >= 32 ? be64(h + 24) : 0;
	case WF_FMT_VMDK:	/* SparseExtentHeader.capacity in sectors, offset 12 */
		return n >= 20 && h[0] == 'K' ? le64(h + 12) * 512 : 0;
	case WF_FMT_VDI:	/* VDI header v1.1: disk size at 0x170 */
		return n >= 0x178 ? le64(h + 0x170) : 0;
	case WF_FMT_VHD:	/* footer: current size at offset 48, big-endian */
		return tail ? be64(tail + 48) : 0;
	case WF_FMT_RAW:
	case WF_FMT_ISO:
		return file_size;
	default:
		return 0;
	}
}

static int read_at(int fd, unsigned char *buf, size_t n, off_t off)
{
	ssize_t r = pread(fd, buf, n, off);
	return r < 0 ? -1 : (int)r;
}

int wf_image_open(const char *path, struct wf_image *img, struct wf_error *e)
{
	memset(img, 0, sizeof *img);
	struct stat st;
	if (stat(path, &st) < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s", path,
				    errno == ENOENT ? "no such file" : strerror(errno));
	if (S_ISDIR(st.st_mode))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: is a directory, not a disk image", path);
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: not a regular file or block device", path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot open: %s", path,
				    strerror(errno));
	uint64_t size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &size) < 0)
		size = 0;
	enum { HEAD = 64 * 1024 };
	unsigned char *head = wf_xmalloc(HEAD), tail[512];
	int n = read_at(fd, head, HEAD, 0);
	int tn = size >= 512 ? read_at(fd, tail, 512, (off_t)(size - 512)) : 0;
	int saved = errno;
	close(fd);
	enum wf_format fmt = n > 0 ? wf_format_sniff(head, (size_t)n,
						      tn == 512 ? tail : NULL,
						      (size_t)tn) : WF_FMT_RAW;
	/* a VMDK descriptor is a few hundred bytes of text: small is fine */
	if (n < 0 || tn < 0 || size == 0 || (size < 512 && fmt == WF_FMT_RAW)) {
		free(head);
		if (n < 0 || tn < 0)
			return wf_error_set(e, WF_ERR_INPUT, "%s: cannot read: %s",
					    path, strerror(saved));
		if (size == 0)
			return wf_error_set(e, WF_ERR_INPUT,
					    "%s: empty file (0 bytes)", path);
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: only %llu bytes, too small to be a disk image",
				    path, (unsigned long long)size);
	}
	img->path = wf_xstrdup(path);
	img->is_blockdev = S_ISBLK(st.st_mode);
	img->file_size = size;
	img->format = fmt;
	img->virtual_size = virtual_size(img->format, head, (size_t)n,
					 tn == 512 ? tail : NULL, size);
	free(head);
	if (wf_chain_check(img, e) < 0) {
		wf_image_free(img);
		return -1;
	}
	return 0;
}

void wf_image_free(struct wf_image *img)
{
	free(img->path);
	free(img->external);
	memset(img, 0, sizeof *img);
}
