/*
 * mkimages - build the test suite's scenario disk images.
 *
 *   mkimages [--cache DIR] [--force] [--list] [-v] SCENARIO-DIR...
 *
 * Each SCENARIO-DIR holds a spec file `scenario` (format: see
 * tests/scenarios/README.md; parser: scenario.h).  Image <name> goes to
 * DIR/<name>.img (or .qcow2) with the hash of everything it was made from in
 * DIR/<name>.hash; an image whose hash matches is not rebuilt.  Hives and PE
 * files are made on the host (kitlib + core regfile/hive), then every image
 * that needs building is made in ONE libguestfs appliance launch (one drive
 * per image).  Images are written under a temporary name and renamed, and the
 * hash is written last, so a killed build never looks cached.
 *
 * Output, one line per image, for tests/run:
 *   PASS: image xp-ide (cached)        PASS: image xp-ide (built in 3.1 s)
 *   FAIL: image xp-ide: why
 * Lines starting with '#' are informational.  Exit 1 if anything failed,
 * 2 on a usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <hivex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <guestfs.h>

#include "error.h"
#include "hive.h"
#include "kitlib.h"
#include "regfile.h"
#include "scenario.h"
#include "strbuf.h"

struct job {
	struct scn *s;
	char *out, *tmp, *hashfile;	/* image, its temporary name, hash file */
	char *work;			/* host scratch folder */
	char hash[17];
	int build, failed;
	char why[1100];
	double secs;
};

static int verbose;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void job_fail(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void job_fail(struct job *j, const char *fmt, ...)
{
	if (j->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(j->why, sizeof j->why, fmt, ap);
	va_end(ap);
	j->failed = 1;
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

/* Remove a scratch folder (flat: the builder makes no subfolders). */
static void rm_work(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = wf_xasprintf("%s/%s", dir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

/* ---- host side: hives, PE files, text files ---------------------------- */

static struct scn_item *find_hive(struct scn *s, size_t before, const char *gpath)
{
	for (size_t i = 0; i < before; i++)
		if (s->items[i].kind == SCN_HIVE && s->items[i].part == s->items[before].part &&
		    !strcasecmp(s->items[i].gpath, gpath))
			return &s->items[i];
	return NULL;
}

/* Apply the .reg files of `it` to the hive file `path`, committed. */
static int apply_regs(struct scn_item *it, const char *path, const char *hive_name,
		      struct wf_error *e)
{
	struct wf_hive *h = wf_hive_open(path, hive_name, 1, e);
	if (!h)
		return -1;
	char *prefix = wf_xasprintf("HKEY_LOCAL_MACHINE\\%s", hive_name);
	int rc = 0;
	for (size_t i = 0; i < it->nargs && rc == 0; i++) {
		struct wf_regfile r;
		if (wf_regfile_parse(it->args[i], &r, e) < 0) {
			rc = -1;
			break;
		}
		rc = wf_regfile_apply(&r, h, prefix, e);
		wf_regfile_free(&r);
	}
	if (rc == 0)
		rc = wf_hive_commit(h, NULL, e);
	wf_hive_close(h);
	free(prefix);
	return rc;
}

static int build_hive(struct job *j, struct scn_item *it, const char *path,
		      struct wf_error *e)
{
	(void)j;
	if (kit_write_minimal_hive(path, NULL, e) < 0)
		return -1;
	return apply_regs(it, path, it->hive_name, e);
}

/* dirty-hive: the hive as built so far stays the primary's content; the
 * item's .reg changes go only to its transaction logs (kitlog.c), half
 * the entries in LOG1 and the rest in LOG2, and the primary's sequence
 * numbers are left unequal: a hive Windows did not write back.  The logs
 * are `host`.LOG1 / .LOG2, uploaded beside the hive. */
static int dirty_hive(struct scn_item *it, struct scn_item *hv, const char *host,
		      struct wf_error *e)
{
	char *after = wf_xasprintf("%s.after", host);
	char *l1 = wf_xasprintf("%s.LOG1", host), *l2 = wf_xasprintf("%s.LOG2", host);
	size_t len;
	char *d = scn_read_file(hv->host, &len, e);
	int rc = d && write_file(after, d, len) == 0 ? 0 : -1;
	free(d);
	if (rc == 0)
		rc = apply_regs(it, after, hv->hive_name, e);
	unsigned entries = 0, pages = 0;
	struct kit_dirty k = { .format = KIT_LOG_NEW, .before = hv->host, .after = after,
			       .primary = hv->host, .log1 = l1, .log2 = l2, .in_log1 = 1 };
	if (rc == 0)
		rc = kit_write_dirty(&k, &entries, &pages, e);
	if (rc == 0 && entries < 2)
		rc = wf_error_set(e, WF_ERR_INPUT, "dirty-hive: the change fills %u log entry, "
				  "two are needed to split it over LOG1 and LOG2", entries);
	unlink(after);
	free(after);
	free(l1);
	free(l2);
	return rc;
}

/* Copy key `src` (with values and subkeys) to `dst`, both from the root. */
static int copy_key(struct wf_hive *h, const char *src, const char *dst,
		    struct wf_error *e)
{
	wf_node s = wf_hive_lookup(h, src);
	if (!s)
		return wf_error_set(e, WF_ERR_INPUT, "copykey: no key %s", src);
	wf_node d = wf_hive_mkpath(h, dst, e);
	if (!d)
		return -1;
	size_t nv = 0, nc = 0;
	char **names = wf_hive_value_names(h, s, &nv);
	int rc = 0;
	for (size_t i = 0; i < nv && rc == 0; i++) {
		uint32_t type;
		void *data;
		size_t len;
		if (wf_hive_get_raw(h, s, names[i], &type, &data, &len) < 0)
			continue;
		rc = wf_hive_set_value(h, d, names[i], type, data, len, e);
		free(data);
	}
	wf_strv_free(names, nv);
	wf_node *kids = wf_hive_children(h, s, &nc);
	for (size_t i = 0; i < nc && rc == 0; i++) {
		char *n = wf_hive_node_name(h, kids[i]);
		char *s2 = wf_xasprintf("%s\\%s", src, n);
		char *d2 = wf_xasprintf("%s\\%s", dst, n);
		rc = copy_key(h, s2, d2, e);
		free(s2);
		free(d2);
		free(n);
	}
	free(kids);
	return rc;
}

/* Zero every hbin after the first, keeping the file size: a hive whose
 * writer died half-way.  hivex then refuses the file. */
static int corrupt_hive(const char *path, struct wf_error *e)
{
	size_t len;
	char *d = scn_read_file(path, &len, e);
	if (!d)
		return -1;
	uint32_t first = 0;
	if (len >= 0x1010 && !memcmp(d + 0x1000, "hbin", 4))
		memcpy(&first, d + 0x1008, 4);	/* little-endian host assumed */
	size_t from = 0x1000 + (size_t)first;
	if (first == 0 || from >= len)
		from = 0x1000 + 0x20;	/* one hbin only: wipe its cells */
	memset(d + from, 0, len - from);
	int rc = write_file(path, d, len);
	free(d);
	if (rc < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s", path, strerror(errno));
	hive_h *hx = hivex_open(path, 0);
	if (hx) {
		hivex_close(hx);
		return wf_error_set(e, WF_ERR_INTERNAL, "%s: hivex still opens the corrupted hive", path);
	}
	return 0;
}

/* The cabinet of item `idx` from the host files of the items it names
 * (prepared before it: items are prepared in order). */
static int build_cab(struct scn *s, size_t idx, const char *host, struct wf_error *e)
{
	struct scn_item *it = &s->items[idx];
	const char **names = wf_xcalloc(it->nargs + 1, sizeof *names);
	const char **files = wf_xcalloc(it->nargs + 1, sizeof *files);
	for (size_t a = 0; a < it->nargs; a++) {
		for (size_t i = idx; i-- > 0 && !files[a];)
			if (s->items[i].part == it->part && s->items[i].host && s->items[i].gpath &&
			    !strcmp(s->items[i].gpath, it->args[a]))
				files[a] = s->items[i].host;
		const char *sl = strrchr(it->args[a], '/');
		names[a] = sl ? sl + 1 : it->args[a];
	}
	int rc = kit_write_cab(host, names, files, it->nargs, e);
	free(names);
	free(files);
	return rc;
}

static int prepare_item(struct job *j, size_t idx, struct wf_error *e)
{
	struct scn *s = j->s;
	struct scn_item *it = &s->items[idx];
	char *host = wf_xasprintf("%s/item%03zu", j->work, idx);
	int rc = 0;
	struct scn_item *hv;

	switch (it->kind) {
	case SCN_MKDIR:
		break;
	case SCN_HIVE:
		rc = build_hive(j, it, host, e);
		it->host = host, host = NULL;
		break;
	case SCN_COPYKEY:
	case SCN_CORRUPT:
	case SCN_DIRTY:
		if (!(hv = find_hive(s, idx, it->gpath))) {
			rc = wf_error_set(e, WF_ERR_INPUT, "no hive %s declared before this line", it->gpath);
			break;
		}
		if (it->kind == SCN_DIRTY) {
			rc = dirty_hive(it, hv, host, e);
			it->host = host, host = NULL;
		} else if (it->kind == SCN_CORRUPT) {
			rc = corrupt_hive(hv->host, e);
		} else {
			struct wf_hive *h = wf_hive_open(hv->host, hv->hive_name, 1, e);
			if (!h) {
				rc = -1;
				break;
			}
			rc = copy_key(h, it->args[0], it->args[1], e);
			if (rc == 0)
				rc = wf_hive_commit(h, NULL, e);
			wf_hive_close(h);
		}
		break;
	case SCN_PE:
		rc = kit_write_pe(host, &it->pe, e);
		if (rc == 0 && it->sign)
			rc = kit_sign_pe(host, j->work, it->sign, e);
		it->host = host, host = NULL;
		break;
	case SCN_FILE:
		if (!it->crlf) {
			it->host = wf_xstrdup(it->args[0]);
			break;
		} else {
			size_t len;
			char *d = scn_read_file(it->args[0], &len, e);
			if (!d) {
				rc = -1;
				break;
			}
			struct wf_strbuf sb = WF_STRBUF_INIT;
			for (size_t i = 0; i < len; i++) {
				if (d[i] == '\n' && (i == 0 || d[i - 1] != '\r'))
					wf_sb_addc(&sb, '\r');
				wf_sb_addc(&sb, d[i]);
			}
			free(d);
			if (write_file(host, sb.buf, sb.len) < 0)
				rc = wf_error_set(e, WF_ERR_INPUT, "%s: %s", host, strerror(errno));
			wf_sb_release(&sb);
			it->host = host, host = NULL;
		}
		break;
	case SCN_CAB:
		rc = build_cab(s, idx, host, e);
		it->host = host, host = NULL;
		break;
	case SCN_WRITE:
		if (write_file(host, it->text, strlen(it->text)) < 0)
			rc = wf_error_set(e, WF_ERR_INPUT, "%s: %s", host, strerror(errno));
		it->host = host, host = NULL;
		break;
	}
	free(host);
	if (rc < 0)
		wf_error_prefix(e, "%s", it->where);
	return rc;
}

static int prepare_host(struct job *j)
{
	struct wf_error e = { 0 };
	for (size_t i = 0; i < j->s->nitems; i++)
		if (prepare_item(j, i, &e) < 0) {
			job_fail(j, "%s", e.msg);
			return -1;
		}
	return 0;
}

/* ---- guest side ---------------------------------------------------------- */

#define GPT_BASIC "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
#define GPT_ESP   "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define GPT_MSR   "E3C9E316-0B5C-4DB8-817D-F92DF00215AE"
#define GPT_LINUX "0FC63DAF-8483-4772-8E79-3D69D8477DE4"

/* Partition type: explicit type=, else from the filesystem. */
static const char *part_type(const struct scn *s, const struct scn_part *p)
{
	int gpt = !strcmp(s->table, "gpt");
	const char *t = p->type;
	if (t) {
		if (!strcmp(t, "esp"))
			return gpt ? GPT_ESP : "0xef";
		if (!strcmp(t, "msr"))
			return gpt ? GPT_MSR : "0x07";
		if (!strcmp(t, "basic"))
			return gpt ? GPT_BASIC : "0x07";
		if (!strcmp(t, "linux"))
			return gpt ? GPT_LINUX : "0x83";
		return t;
	}
	if (!strcmp(p->fs, "ext4"))
		return gpt ? GPT_LINUX : "0x83";
	if (!strcmp(p->fs, "vfat"))
		return gpt ? GPT_ESP : "0x0c";
	return gpt ? GPT_BASIC : "0x07";
}

/* A BitLocker (Windows 7+) volume header as libblkid's bitlocker prober
 * checks it (util-linux libblkid/src/superblocks/bitlocker.c): jump
 * EB 58 90 + "-FVE-FS-" at 0, FVE metadata offsets at 176/184/192, and an
 * FVE metadata block starting "-FVE-FS-" at the first offset.  No keys, no
 * data: the volume cannot be unlocked, which is the point. */
static int write_bitlocker(guestfs_h *g, const char *dev, uint64_t bytes)
{
	unsigned char hdr[512] = { 0xEB, 0x58, 0x90 };
	memcpy(hdr + 3, "-FVE-FS-", 8);
	hdr[11] = 0x00, hdr[12] = 0x02;		/* bytes per sector 512 */
	hdr[13] = 8;				/* sectors per cluster */
	hdr[21] = 0xF8;				/* media descriptor */
	memcpy(hdr + 71, "NO NAME    ", 11);
	memcpy(hdr + 82, "FAT32   ", 8);
	/* BitLocker volume GUID {4967D63B-2E29-4AD8-8399-F6A339E3D001} */
	static const unsigned char guid[16] = { 0x3B, 0xD6, 0x67, 0x49, 0x29, 0x2E, 0xD8, 0x4A,
						0x83, 0x99, 0xF6, 0xA3, 0x39, 0xE3, 0xD0, 0x01 };
	memcpy(hdr + 160, guid, 16);
	uint64_t offs[3] = { 2 << 20, bytes / 2, bytes - (1 << 20) };
	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 8; b++)
			hdr[176 + 8 * i + b] = (unsigned char)(offs[i] >> (8 * b));
	/* boot-sector messages, as NTFS/BitLocker boot sectors carry them; they
	 * also fill the MBR partition-entry area, so libblkid does not take the
	 * volume's first sector for an (empty) DOS partition table */
	static const char msg[] = "\r\nRemove disks or other media.\xff\r\nDisk error\xff"
				  "\r\nPress any key to restart\r\n";
	memcpy(hdr + 0x1A0, msg, sizeof msg - 1);
	hdr[510] = 0x55, hdr[511] = 0xAA;
	if (guestfs_pwrite_device(g, dev, (char *)hdr, sizeof hdr, 0) < 0)
		return -1;
	unsigned char meta[64] = { 0 };
	memcpy(meta, "-FVE-FS-", 8);
	meta[8] = 64;		/* block size */
	meta[10] = 2;		/* version 2 = Windows 7 and later */
	for (int i = 0; i < 3; i++)
		if (guestfs_pwrite_device(g, dev, (char *)meta, sizeof meta, (int64_t)offs[i]) < 0)
			return -1;
	return 0;
}

static char *parent_dir(const char *gpath)
{
	const char *sl = strrchr(gpath, '/');
	if (!sl)
		return NULL;
	return wf_xasprintf("/%.*s", (int)(sl - gpath), gpath);
}

static int fill_part(guestfs_h *g, struct job *j, int part)
{
	for (size_t i = 0; i < j->s->nitems; i++) {
		struct scn_item *it = &j->s->items[i];
		if (it->part != part || it->kind == SCN_COPYKEY || it->kind == SCN_CORRUPT || it->omit)
			continue;
		char *gp = wf_xasprintf("/%s", it->gpath);
		int rc;
		if (it->kind == SCN_DIRTY) {	/* the logs beside the hive */
			char *h1 = wf_xasprintf("%s.LOG1", it->host), *g1 = wf_xasprintf("%s.LOG1", gp);
			char *h2 = wf_xasprintf("%s.LOG2", it->host), *g2 = wf_xasprintf("%s.LOG2", gp);
			rc = guestfs_upload(g, h1, g1);
			if (rc == 0)
				rc = guestfs_upload(g, h2, g2);
			free(h1), free(g1), free(h2), free(g2);
		} else if (it->kind == SCN_MKDIR) {
			rc = guestfs_mkdir_p(g, gp);
		} else {
			char *dir = parent_dir(it->gpath);
			rc = dir ? guestfs_mkdir_p(g, dir) : 0;
			free(dir);
			if (rc == 0)
				rc = guestfs_upload(g, it->host, gp);
		}
		free(gp);
		if (rc < 0) {
			job_fail(j, "%s: %s", it->where, guestfs_last_error(g));
			return -1;
		}
	}
	return 0;
}

static char *part_dev(const char *dev, const struct scn *s, size_t i)
{
	if (!strcmp(s->table, "none"))
		return wf_xstrdup(dev);
	return wf_xasprintf("%s%zu", dev, i + 1);
}

static int build_disk(guestfs_h *g, struct job *j, const char *dev)
{
	struct scn *s = j->s;
	const char *lt = !strcmp(s->table, "mbr") ? "mbr" : "gpt";
	if (strcmp(s->table, "none")) {
		if (guestfs_part_init(g, dev, lt) < 0)
			goto gerr;
		for (size_t i = 0; i < s->nparts; i++) {
			struct scn_part *p = &s->parts[i];
			int n = (int)i + 1;
			if (guestfs_part_add(g, dev, "p", (int64_t)p->start, (int64_t)p->end) < 0)
				goto gerr;
			const char *t = part_type(s, p);
			if (!strcmp(lt, "mbr")) {
				if (guestfs_part_set_mbr_id(g, dev, n, (int)strtol(t, NULL, 0)) < 0)
					goto gerr;
			} else {
				if (guestfs_part_set_gpt_type(g, dev, n, t) < 0)
					goto gerr;
				if (p->guid && guestfs_part_set_gpt_guid(g, dev, n, p->guid) < 0)
					goto gerr;
				if (p->gptname && guestfs_part_set_name(g, dev, n, p->gptname) < 0)
					goto gerr;
			}
			if (p->boot && guestfs_part_set_bootable(g, dev, n, 1) < 0)
				goto gerr;
		}
		if (s->has_disksig && !strcmp(lt, "mbr")) {
			unsigned char sig[4];
			for (int b = 0; b < 4; b++)
				sig[b] = (unsigned char)(s->disksig >> (8 * b));
			if (guestfs_pwrite_device(g, dev, (char *)sig, 4, 0x1B8) < 0)
				goto gerr;
		}
	}
	for (size_t i = 0; i < s->nparts; i++) {
		struct scn_part *p = &s->parts[i];
		char *pd = part_dev(dev, s, i);
		int rc = 0;
		if (!strcmp(p->fs, "bitlocker"))
			rc = write_bitlocker(g, pd, (p->end - p->start + 1) * 512);
		else if (strcmp(p->fs, "raw"))
			rc = p->label ? guestfs_mkfs_opts(g, p->fs, pd, GUESTFS_MKFS_OPTS_LABEL, p->label, -1)
				      : guestfs_mkfs(g, p->fs, pd);
		if (rc == 0 && p->geo_heads) {
			/* BPB sectors per track (0x18) and heads (0x1A), LE16: the
			 * geometry of the BIOS the volume was formatted under */
			unsigned char geo[4] = { (unsigned char)p->geo_spt, (unsigned char)(p->geo_spt >> 8),
						 (unsigned char)p->geo_heads, (unsigned char)(p->geo_heads >> 8) };
			rc = guestfs_pwrite_device(g, pd, (char *)geo, 4, 0x18) == 4 ? 0 : -1;
		}
		if (rc == 0 && strcmp(p->fs, "bitlocker") && strcmp(p->fs, "raw")) {
			rc = guestfs_mount(g, pd, "/");
			if (rc == 0) {
				if (fill_part(g, j, (int)i) < 0) {
					guestfs_umount_all(g);
					free(pd);
					return -1;
				}
				rc = guestfs_umount_all(g);
			}
		}
		free(pd);
		if (rc < 0)
			goto gerr;
	}
	if (guestfs_sync(g) < 0)
		goto gerr;
	return 0;
gerr:
	job_fail(j, "%s", guestfs_last_error(g));
	return -1;
}

/* One appliance for every image that needs building. */
static void build_all(struct job *jobs, size_t n)
{
	size_t want = 0;
	for (size_t i = 0; i < n; i++)
		want += jobs[i].build && !jobs[i].failed;
	if (!want)
		return;
	guestfs_h *g = guestfs_create();
	if (!g) {
		for (size_t i = 0; i < n; i++)
			if (jobs[i].build)
				job_fail(&jobs[i], "guestfs_create failed");
		return;
	}
	guestfs_set_error_handler(g, NULL, NULL);
	/* KVM aborts on this machine's qemu; TCG always works. */
	guestfs_set_backend_setting(g, "force_tcg", "1");
	if (verbose)
		guestfs_set_trace(g, 1);
	size_t order[64], nd = 0;
	for (size_t i = 0; i < n && nd < 64; i++) {
		struct job *j = &jobs[i];
		if (!j->build || j->failed)
			continue;
		const char *fmt = j->s->qcow2 ? "qcow2" : "raw";
		unlink(j->tmp);
		if (guestfs_disk_create(g, j->tmp, fmt, (int64_t)j->s->size,
					GUESTFS_DISK_CREATE_PREALLOCATION, j->s->qcow2 ? "off" : "sparse",
					-1) < 0 ||
		    guestfs_add_drive_opts(g, j->tmp, GUESTFS_ADD_DRIVE_OPTS_FORMAT, fmt,
					   GUESTFS_ADD_DRIVE_OPTS_CACHEMODE, "unsafe", -1) < 0) {
			job_fail(j, "%s", guestfs_last_error(g));
			continue;
		}
		order[nd++] = i;
	}
	double t0 = now();
	if (nd && guestfs_launch(g) < 0) {
		const char *m = guestfs_last_error(g);
		for (size_t k = 0; k < nd; k++)
			job_fail(&jobs[order[k]], "appliance launch failed: %s", m ? m : "?");
		nd = 0;
	}
	double launch = now() - t0;
	if (nd)
		printf("# appliance launched in %.1f s for %zu image(s)\n", launch, nd);
	char **devs = nd ? guestfs_list_devices(g) : NULL;
	for (size_t k = 0; k < nd; k++) {
		struct job *j = &jobs[order[k]];
		double t1 = now();
		if (!devs || !devs[k])
			job_fail(j, "appliance shows no device #%zu", k);
		else
			build_disk(g, j, devs[k]);
		j->secs += now() - t1 + launch / (double)nd;
	}
	if (devs) {
		for (size_t k = 0; devs[k]; k++)
			free(devs[k]);
		free(devs);
	}
	if (guestfs_shutdown(g) < 0)
		for (size_t k = 0; k < nd; k++)
			job_fail(&jobs[order[k]], "appliance shutdown: %s", guestfs_last_error(g));
	guestfs_close(g);
}

/* ---- cache ---------------------------------------------------------------- */

static int cached(const struct job *j)
{
	struct stat st;
	if (stat(j->out, &st) < 0)
		return 0;
	char buf[64] = "";
	FILE *f = fopen(j->hashfile, "r");
	if (!f)
		return 0;
	int ok = fgets(buf, sizeof buf, f) && !strncmp(buf, j->hash, 16);
	fclose(f);
	return ok;
}

static int finish(struct job *j)
{
	if (rename(j->tmp, j->out) < 0) {
		job_fail(j, "rename %s: %s", j->out, strerror(errno));
		return -1;
	}
	char *t = wf_xasprintf("%s.tmp", j->hashfile);
	char line[32];
	snprintf(line, sizeof line, "%s\n", j->hash);
	if (write_file(t, line, strlen(line)) < 0 || rename(t, j->hashfile) < 0) {
		job_fail(j, "write %s: %s", j->hashfile, strerror(errno));
		free(t);
		return -1;
	}
	free(t);
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: mkimages [--cache DIR] [--force] [--list] [-v] SCENARIO-DIR...\n"
	      "\n"
	      "Build the synthetic disk images of the test scenarios.  Each SCENARIO-DIR\n"
	      "holds a spec file 'scenario' (format: tests/scenarios/README.md); folders\n"
	      "without one (shared parts) are skipped.  Image NAME is written to\n"
	      "DIR/NAME.img or DIR/NAME.qcow2 with DIR/NAME.hash; it is rebuilt only when\n"
	      "the spec, a file it uses, or the builder version changed.  All images that\n"
	      "need building share one libguestfs appliance launch (run with TCG).\n"
	      "\n"
	      "  --cache DIR   image folder (default build/images)\n"
	      "  --force       rebuild every image\n"
	      "  --list        only say which images are cached or stale\n"
	      "  -v            trace libguestfs calls\n"
	      "  -h, --help    this text\n"
	      "\n"
	      "Prints 'PASS: image NAME (cached|built in N s)' or 'FAIL: image NAME: why'\n"
	      "per image; exit status 1 when any image failed.\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cache", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cache = "build/images";
	int force = 0, list = 0, c;
	while ((c = getopt_long(argc, argv, "c:flvh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cache = optarg; break;
		case 'f': force = 1; break;
		case 'l': list = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdir(cache, 0755) < 0 && errno != EEXIST) {
		/* try the parent too (build/ may not exist yet) */
		char *p = wf_xstrdup(cache), *sl = strrchr(p, '/');
		if (sl) {
			*sl = 0;
			mkdir(p, 0755);
		}
		free(p);
		if (mkdir(cache, 0755) < 0 && errno != EEXIST) {
			printf("FAIL: images: cannot create %s: %s\n", cache, strerror(errno));
			return 1;
		}
	}
	/* one builder per cache folder at a time; then leftovers of a killed
	 * build (scratch folders, .part images) are ours to remove */
	char *lockname = wf_xasprintf("%s/.mkimages.lock", cache);
	int lockfd = open(lockname, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lockname);
	if (lockfd >= 0 && flock(lockfd, LOCK_EX | LOCK_NB) < 0) {
		printf("# waiting for another mkimages on %s\n", cache);
		flock(lockfd, LOCK_EX);
	}
	DIR *cd = opendir(cache);
	for (struct dirent *de; cd && (de = readdir(cd));) {
		if (de->d_name[0] != '.' || !strstr(de->d_name, ".work."))
			continue;
		char *p = wf_xasprintf("%s/%s", cache, de->d_name);
		rm_work(p);
		free(p);
	}
	if (cd)
		closedir(cd);
	struct job *jobs = wf_xcalloc((size_t)(argc - optind), sizeof *jobs);
	size_t n = 0;
	int failed = 0;
	for (int a = optind; a < argc; a++) {
		char *spec = wf_xasprintf("%s/scenario", argv[a]);
		int has = access(spec, R_OK) == 0;
		free(spec);
		if (!has)
			continue;	/* shared parts folder */
		struct wf_error e = { 0 };
		struct scn *s = scn_load(argv[a], &e);
		if (!s) {
			printf("FAIL: image %s: %s\n", argv[a], e.msg);
			failed = 1;
			continue;
		}
		struct job *j = &jobs[n++];
		j->s = s;
		const char *ext = s->qcow2 ? "qcow2" : "img";
		j->out = wf_xasprintf("%s/%s.%s", cache, s->name, ext);
		j->tmp = wf_xasprintf("%s/.%s.%s.part", cache, s->name, ext);
		j->hashfile = wf_xasprintf("%s/%s.hash", cache, s->name);
		snprintf(j->hash, sizeof j->hash, "%016llx", (unsigned long long)s->hash);
		j->build = force || !cached(j);
		if (list)
			printf("# %-24s %s %s\n", s->name, j->hash, j->build ? "stale" : "cached");
	}
	if (!list) {
		/* host side first: any failure here costs no appliance time */
		for (size_t i = 0; i < n; i++) {
			struct job *j = &jobs[i];
			if (!j->build)
				continue;
			double t0 = now();
			unlink(j->hashfile);	/* from now on, not cached */
			j->work = wf_xasprintf("%s/.%s.work.XXXXXX", cache, j->s->name);
			if (!mkdtemp(j->work))
				job_fail(j, "mkdtemp %s: %s", j->work, strerror(errno));
			else
				prepare_host(j);
			j->secs = now() - t0;
		}
		build_all(jobs, n);
	}
	for (size_t i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		if (!list && j->build && !j->failed)
			finish(j);
		if (list)
			;
		else if (j->failed) {
			printf("FAIL: image %s: %s\n", j->s->name, j->why);
			unlink(j->tmp);
			failed = 1;
		} else if (j->build)
			printf("PASS: image %s (built in %.1f s)\n", j->s->name, j->secs);
		else
			printf("PASS: image %s (cached)\n", j->s->name);
		if (j->work)
			rm_work(j->work);
		free(j->work);
		free(j->out);
		free(j->tmp);
		free(j->hashfile);
		scn_free(j->s);
	}
	free(jobs);
	if (lockfd >= 0)
		close(lockfd);
	return failed;
}
