/*
 * diagnose_guest.c - image mode of the diagnosis: the Windows found by an
 * inspection, with its files read through the inspection's appliance.
 *
 * Round trips to the appliance are what costs (each a few ms, more under
 * TCG), so the two driver folders are listed once (names and sizes in two
 * calls each) and every probe of a file there is answered from the list;
 * only driver files the rules open are read (their first 1.5 MB: headers
 * and import table), and the setupapi logs are downloaded once.
 */
#include "bcdstore.h"
#include "bootsect.h"
#include "diagnose.h"
#include "finding.h"
#include "guestdl.h"
#include "guestfiles.h"
#include "hive.h"
#include "inspect.h"
#include "targets.h"
#include "text.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- setupapi logs ----------------------------------------------------------------- */

struct logset {
	struct wf_diag_log *v;
	size_t n;
	char **paths, **names;	/* owned */
	uint64_t bytes;		/* copied so far, all logs */
	struct wf_diag_notes *notes;
};

/* All logs together: 16 logs at their cap would be 1 GB of TMPDIR. */
#define LOGS_BUDGET (256ull << 20)

/* Copy one log; over its cap only its end (the newest entries), said in
 * a note; over the budget of all logs, none. */
static void fetch_log(guestfs_h *g, const char *tmpdir, const char *real,
		      const char *winpath, struct logset *ls)
{
	if (ls->bytes >= LOGS_BUDGET) {
		wf_diag_note(ls->notes, "%s: not read (the logs read so far fill the %llu MiB "
			     "read at most)", winpath, LOGS_BUDGET >> 20);
		return;
	}
	char *local = wf_xasprintf("%s/log%zu.txt", tmpdir, ls->n);
	uint64_t size = 0;
	struct wf_error e = { 0 };
	int r = wf_guest_download(g, real, local, WF_GK_SETUPLOG, &size, &e);
	if (r < 0) {
		unlink(local);
		free(local);
		wf_diag_note(ls->notes, "%s: not read: %s", winpath, e.msg);
		return;
	}
	uint64_t cap = wf_guest_caps[WF_GK_SETUPLOG].max;
	ls->bytes += r == 1 ? cap : size;
	if (r == 1) {
		char have[32];
		wf_format_size(have, sizeof have, size);
		wf_diag_note(ls->notes, "%s: %s, only its last %llu MiB read (the newest entries)",
			     winpath, have, (unsigned long long)(cap >> 20));
	}
	ls->v = wf_xrealloc(ls->v, (ls->n + 1) * sizeof *ls->v);
	ls->paths = wf_xrealloc(ls->paths, (ls->n + 1) * sizeof *ls->paths);
	ls->names = wf_xrealloc(ls->names, (ls->n + 1) * sizeof *ls->names);
	ls->paths[ls->n] = local;
	ls->names[ls->n] = wf_xstrdup(winpath);
	ls->v[ls->n].path = local;
	ls->v[ls->n].name = ls->names[ls->n];
	ls->n++;
}

/* setupapi*.log in the Windows folder (XP/2003) and in INF (Vista+, with
 * rotated copies). */
static void fetch_logs(guestfs_h *g, const char *tmpdir, const char *sysroot,
		       struct logset *ls)
{
	static const char *const dirs[] = { "", "/INF" };
	for (size_t k = 0; k < 2; k++) {
		char *want = wf_xasprintf("%s%s", sysroot, dirs[k]);
		char *real = guestfs_case_sensitive_path(g, want);
		char **names = real ? guestfs_ls(g, real) : NULL;
		for (size_t i = 0; names && names[i] && ls->n < 16; i++) {
			if (!wf_startswithi(names[i], "setupapi") ||
			    !wf_endswithi(names[i], ".log"))
				continue;
			char *p = wf_xasprintf("%s/%s", real, names[i]);
			if (guestfs_is_file(g, p) > 0) {
				char *winpath = wf_xasprintf("C:\\Windows%s\\%s",
							     k ? "\\INF" : "", names[i]);
				fetch_log(g, tmpdir, p, winpath, ls);
				free(winpath);
			}
			free(p);
		}
		wf_strv0_free(names);
		free(real);
		free(want);
	}
}

static void logset_free(struct logset *ls)
{
	for (size_t i = 0; i < ls->n; i++) {
		unlink(ls->paths[i]);
		free(ls->paths[i]);
		free(ls->names[i]);
	}
	free(ls->paths);
	free(ls->names);
	free(ls->v);
}

/* --- the boot disk ------------------------------------------------------------------- */

/* The first sectors of a disk, read at once: MBR (LBA 0), GPT header
 * (LBA 1) and an entry array where Windows puts it (LBA 2-33). */
#define HEAD_BYTES (34 * 512)

/* `len` bytes of `dev` at byte `off` into `out`, or -1. */
static int read_bytes(guestfs_h *g, const char *dev, int64_t off, size_t len, void *out)
{
	size_t n = 0;
	char *b = guestfs_pread_device(g, dev, (int)len, off, &n);
	int r = b && n == len ? 0 : -1;
	if (r == 0)
		memcpy(out, b, len);
	free(b);
	return r;
}

/* "/dev/sda2" -> "/dev/sda" and 2 for the whole-disk names the appliance
 * gives (sd, vd, hd + letters + number); others ask the appliance. */
static char *split_partition(guestfs_h *g, const char *part, int *num)
{
	size_t d = strlen("/dev/xd");
	if (strncmp(part, "/dev/", 5) == 0 && strlen(part) > d &&
	    strchr("svh", part[5]) && part[6] == 'd') {
		size_t i = d;
		while (part[i] >= 'a' && part[i] <= 'z')
			i++;
		char *end;
		long n = i > d && part[i] >= '1' && part[i] <= '9' ? strtol(part + i, &end, 10) : 0;
		if (n > 0 && n < 1000 && !*end) {
			*num = (int)n;
			return strndup(part, i);
		}
	}
	char *dev = guestfs_part_to_dev(g, part);
	*num = dev ? guestfs_part_to_partnum(g, part) : -1;
	return dev;
}

/* A logical partition's first sector, as parted reports it. */
static uint64_t logical_start(guestfs_h *g, const char *dev, int num)
{
	uint64_t start = 0;
	struct guestfs_partition_list *pl = guestfs_part_list(g, dev);
	for (size_t i = 0; pl && i < pl->len && i < 128; i++)
		if (pl->val[i].part_num == num)
			start = (uint64_t)pl->val[i].part_start / 512;
	if (pl)
		guestfs_free_partition_list(pl);
	return start;
}

/* GPT: the header at LBA 1 and the entry array (in `head` when at LBA 2,
 * else one more bounded read).  0 when the disk has a GPT. */
static int read_gpt(guestfs_h *g, const char *dev, const unsigned char *head, struct wf_gpt *t)
{
	if (wf_gpt_header(head + 512, 512, t) < 0)
		return -1;
	size_t len = (size_t)t->n * t->entry_size;
	if (t->entries_lba == 2 && 1024 + len <= HEAD_BYTES) {
		wf_gpt_entries(head + 1024, len, t);
		return 0;
	}
	unsigned char *buf = t->entries_lba < (1u << 24) ? malloc(len) : NULL;
	if (buf && read_bytes(g, dev, (int64_t)t->entries_lba * 512, len, buf) == 0)
		wf_gpt_entries(buf, len, t);
	free(buf);
	return 0;
}

/* What firmware meets on the disk holding Windows: table, boot code,
 * active / EFI system partition, the Windows volume's NTFS BPB.  Read
 * from the disk's first sectors and parsed here: parted in a TCG
 * appliance (part_get_parttype, part_list, part_get_gpt_type) cost ~3 s
 * of a diagnosis.  Errors leave fields unknown (0): the rules then say
 * nothing. */
static void read_disk_facts(guestfs_h *g, const char *windev, struct wf_disk_facts *d)
{
	memset(d, 0, sizeof *d);
	snprintf(d->win_device, sizeof d->win_device, "%s", windev);
	int num = -1;
	char *dev = split_partition(g, windev, &num);
	unsigned char *head = dev && num >= 1 ? malloc(HEAD_BYTES) : NULL;
	struct wf_mbr m;
	struct wf_gpt *t = head ? malloc(sizeof *t) : NULL;
	if (!t || read_bytes(g, dev, 0, HEAD_BYTES, head) < 0 || wf_mbr_parse(head, 512, &m) < 0)
		goto out;
	d->mbr_valid = 1;
	d->mbr_code = m.has_code;
	d->win_part = num;
	if (m.protective && read_gpt(g, dev, head, t) == 0) {
		snprintf(d->pttype, sizeof d->pttype, "gpt");
		d->esp = t->esp;
		d->win_start = num <= WF_GPT_MAX ? t->start[num] : 0;
		d->disk_bytes = (t->alternate + 1) * 512;
	} else {
		snprintf(d->pttype, sizeof d->pttype, "dos");
		d->active = m.active;
		d->esp = m.esp;
		int64_t size = guestfs_blockdev_getsize64(g, dev);
		d->disk_bytes = size > 0 ? (uint64_t)size : 0;
		if (num <= 4)
			d->win_start = m.p[num - 1].lba;
		else	/* a logical partition: its start is in an EBR chain */
			d->win_start = logical_start(g, dev, num);
	}
	struct wf_ntfs_bpb b;
	unsigned char sec[512];
	if (read_bytes(g, windev, 0, sizeof sec, sec) == 0 && wf_ntfs_bpb_parse(sec, sizeof sec, &b) == 0) {
		d->bpb_ok = 1;
		d->bpb_spt = b.spt;
		d->bpb_heads = b.heads;
		d->bpb_hidden = b.hidden;
	}
out:
	free(t);
	free(head);
	free(dev);
}

/* --- the BCD store -------------------------------------------------------------------- */

/* The guest's BCD store, copied and opened read-only (test signing for
 * the signature rules); NULL when there is none (Vista and later have
 * one, bcd.h).  The copy is the inspection's (inspect.h). */
static struct wf_hive *open_bcd(struct wf_inspection *in, struct wf_windows *w,
				const char **where, struct wf_diag_notes *notes)
{
	*where = NULL;
	if (w->ver.major < 6)
		return NULL;
	const char *host, *why;
	enum wf_bcd_state st = wf_inspect_bcd(in, (size_t)(w - in->win), &host, where, &why);
	if (st == WF_BCD_NONE) {
		wf_diag_note(notes, "BCD store: none found on the disk's NTFS and FAT volumes");
		return NULL;
	}
	struct wf_error e = { 0 };
	struct wf_hive *h = st == WF_BCD_COPIED ? wf_hive_open(host, "BCD", 0, &e) : NULL;
	if (!h) {
		wf_diag_note(notes, "BCD store %s: not read: %s", *where ? *where : "?",
			     st == WF_BCD_COPIED ? e.msg : why ? why : "?");
		*where = NULL;
	}
	return h;
}

/* --- one Windows --------------------------------------------------------------------- */

static int diagnose_windows(struct wf_inspection *in, struct wf_windows *w,
			    const struct wf_targets *t, struct wf_diag_notes *notes,
			    struct wf_findings *out, struct wf_error *e)
{
	guestfs_h *g = wf_session_guestfs(in->session);
	const char *bcd_where;
	struct wf_hive *bcd = open_bcd(in, w, &bcd_where, notes);
	if (wf_inspect_mount(in, (size_t)(w - in->win), e) < 0) {
		wf_hive_close(bcd);
		return -1;
	}
	struct wf_guestfiles *gf = wf_inspect_files(in, (size_t)(w - in->win), 0);
	struct logset ls = { .notes = notes };
	fetch_logs(g, in->tmpdir, w->systemroot, &ls);
	struct wf_hive *sys = wf_hive_open(w->system_hive, "SYSTEM", 0, e);
	/* SOFTWARE for the policy rules; the inspection has already read it,
	 * so a failure here only leaves those rules out */
	struct wf_error ignored = { 0 };
	struct wf_hive *sw = sys && w->software_hive ?
			     wf_hive_open(w->software_hive, "SOFTWARE", 0, &ignored) : NULL;
	struct wf_disk_facts disk;
	read_disk_facts(g, w->device, &disk);
	int r = -1;
	if (sys) {
		struct wf_diag_ctx c = {
			.disk = &disk,
			.system = sys, .system_name = w->guest_system_hive,
			.software = sw, .software_name = w->guest_software_hive,
			.ver = &w->ver, .targets = t, .systemroot = w->systemroot,
			.probe = wf_guestfiles_probe, .read = wf_guestfiles_read,
			.ud = gf,
			.logs = ls.v, .n_logs = ls.n, .notes = notes,
			.bcd = bcd, .bcd_name = bcd_where,
		};
		r = wf_diagnose_hives(&c, out, e);
		wf_hive_close(sys);
	}
	if (sw)
		wf_hive_close(sw);
	wf_hive_close(bcd);
	logset_free(&ls);
	return r;	/* left mounted for the next reader */
}

int wf_diagnose_inspection_notes(struct wf_inspection *in,
				 const struct wf_targets *t,
				 struct wf_diag_notes *notes,
				 struct wf_findings *out, struct wf_error *e)
{
	struct wf_targets def;
	if (!t) {
		wf_targets_default(&def);
		t = &def;
	}
	if (!in->session || !wf_session_guestfs(in->session))
		return wf_error_set(e, WF_ERR_INTERNAL, "diagnose: the inspection has no appliance");
	for (size_t i = 0; i < in->n_win; i++) {
		struct wf_windows *w = &in->win[i];
		wf_diag_note(notes, "Windows: %s (%s, %u.%u build %u, %s) on %s, %s",
			     w->ver.display_name ? w->ver.display_name : "?",
			     w->ver.release ? w->ver.release : "?", w->ver.major,
			     w->ver.minor, w->ver.build, w->ver.arch ? w->ver.arch : "?",
			     w->device, w->ver.ccs ? w->ver.ccs : "?");
		wf_diag_hivelog_note(notes, &w->system_log, "SYSTEM");
		wf_diag_hivelog_note(notes, &w->software_log, "SOFTWARE");
		if (diagnose_windows(in, w, t, notes, out, e) < 0)
			return -1;
		if (wf_session_cancelled(in->session))
			return wf_error_set(e, WF_ERR_CANCELLED, "interrupted");
	}
	/* volumes the inspection got past (opened with a key, or Windows is
	 * elsewhere): said with the diagnosis, before any fix */
	size_t before = out->n;
	wf_diagnose_bitlocker_opened(in, t, out);
	if (out->n > before)
		wf_findings_sort(out);
	return 0;
}

int wf_diagnose_inspection(struct wf_inspection *in, const struct wf_targets *t,
			   struct wf_findings *out, struct wf_error *e)
{
	return wf_diagnose_inspection_notes(in, t, NULL, out, e);
}

/* --- BitLocker ------------------------------------------------------------------------ */

/* Sources: a TPM protector is sealed to the PCR measurements of the
 * machine that sealed it; other firmware or another TPM (a new vTPM
 * included) does not unseal it and BitLocker asks for the recovery key
 * (MS "BitLocker recovery overview": "changes to the TPM", "moving the
 * drive to a new computer").  Suspending protection before the move
 * (manage-bde -protectors -disable C: / Suspend-BitLocker) leaves a clear
 * key until the reboot count runs out (MS manage-bde protectors). */
/* `win`: the Windows found on the opened volume ("/dev/mapper/bitlk0"),
 * NULL when the inspection stopped at it (or Windows is elsewhere). */
static void bitlocker_finding(const char *vol, const char *win, const struct wf_targets *t,
			      struct wf_findings *out)
{
	enum wf_tpm tpm = t ? t->tpm : WF_TPM_UNKNOWN;
	struct wf_finding *f = wf_findings_add(out, WF_FID(BITLOCKER_TPM), WF_SEV_WARNING, vol);
	wf_finding_set(&f->title, "BitLocker volume %s: the recovery key will be needed on the new VM (%s)",
		       vol, tpm == WF_TPM_PRESENT ? "its vTPM is not the old TPM" :
			    tpm == WF_TPM_NONE ? "the VM has no vTPM" : "vTPM not known");
	wf_finding_set(&f->explanation,
		       "%s is BitLocker-encrypted%s. If it is the Windows "
		       "volume and its key is protected by the old machine's TPM (the default), that TPM will "
		       "not unseal it on KVM%s: the first boot stops at the BitLocker recovery screen asking "
		       "for the 48-digit recovery password. virt-winfix does not read the volume's protectors: "
		       "this is said for every BitLocker volume, before any fix is applied.",
		       vol, win ? "; virt-winfix read the Windows on it through the key given" :
			    ", so Windows cannot be inspected offline", tpm == WF_TPM_PRESENT ? " and a new vTPM holds other keys" :
			    tpm == WF_TPM_NONE ? ", and the VM has no TPM at all (add <tpm model='tpm-crb'> "
						 "with an emulator backend to re-seal it later)" :
			    " (the VM's vTPM is not known: give --domain-xml, or --target tpm|no-tpm)");
	wf_finding_set(&f->next_check,
		       "On the old machine, before the move: manage-bde -protectors -get C: (note the recovery "
		       "password), then manage-bde -protectors -disable C: -RebootCount 3 (or Suspend-BitLocker). "
		       "After the first boot on KVM: manage-bde -protectors -enable C:%s.",
		       tpm == WF_TPM_PRESENT ? ", and manage-bde -protectors -add C: -tpm to seal to the vTPM" : "");
	wf_finding_add_evidence(f, "libblkid", vol, 0, 0, "TYPE=\"BitLocker\" (FVE metadata signature -FVE-FS-)");
	if (win)
		wf_finding_add_evidence(f, "inspection", win, 0, 0, "Windows found on the opened volume");
	if (t)
		wf_finding_add_evidence(f, "targets", t->note, 0, 0, wf_tpm_name(tpm));
}

void wf_diagnose_bitlocker(const struct wf_inspection *in, const struct wf_targets *t,
			   struct wf_findings *out)
{
	size_t before = out->n;
	for (size_t i = 0; i < in->n_bitlocker; i++)
		bitlocker_finding(in->bitlocker[i], NULL, t, out);
	if (out->n > before)
		return;
	/* stopped before the appliance: libblkid's view of raw images */
	for (size_t d = 0; d < in->n_disks; d++) {
		const struct wf_probe *p = &in->disks[d].probe;
		for (size_t k = 0; in->disks[d].probed && k < p->n_parts; k++)
			if (p->parts[k].fstype && strcmp(p->parts[k].fstype, "BitLocker") == 0) {
				char vol[600];
				snprintf(vol, sizeof vol, "%s partition %d", in->disks[d].img.path,
					 p->parts[k].number);
				bitlocker_finding(vol, NULL, t, out);
			}
	}
}

void wf_diagnose_bitlocker_opened(const struct wf_inspection *in, const struct wf_targets *t,
				  struct wf_findings *out)
{
	const char *win = NULL;
	for (size_t i = 0; i < in->n_win && !win; i++)
		if (in->win[i].device && strncmp(in->win[i].device, "/dev/mapper/", 12) == 0)
			win = in->win[i].device;
	for (size_t i = 0; i < in->n_bitlocker; i++)
		bitlocker_finding(in->bitlocker[i], win, t, out);
}
