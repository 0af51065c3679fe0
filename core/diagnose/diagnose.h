/*
 * diagnose.h - why Windows will not boot (Stop 0x7B), or a device fails
 * (Code 39, a NULL driver), on the controllers the VM presents.
 *
 * Two entry points:
 *
 *  - wf_diagnose_hives(): the rules over a SYSTEM hive (and SOFTWARE when
 *    there is one), the guest's files through two callbacks (NULL in
 *    hive-only mode: file rules are then skipped) and the guest's SetupAPI
 *    logs (host copies).  The wizard, the image mode and the hive-only
 *    command all end here.
 *
 *      struct wf_diag_ctx c = { .system = sys, .targets = &t };
 *      struct wf_findings f = { 0 };
 *      if (wf_diagnose_hives(&c, &f, &err) < 0) ... err.msg
 *
 *  - wf_diagnose_inspection(): for every Windows of an inspection (whose
 *    appliance is still up): mount it read-only, fetch the setupapi logs,
 *    list the driver folders once, run wf_diagnose_hives() with file
 *    callbacks on the guest.
 *
 * The rules and their metadata are in rules.h; each finding names the
 * fix ids that address it (enable-driver:<svc>, mergeide, add-cdd:<svc>,
 * ddb-entry:<svc>, ddb-version:<pkg>, inject-virtio:<drv>,
 * remove-filter:<class-guid or device instance>:<svc>, autoreboot-off).
 * Log findings and hive findings about the same device are merged into
 * one finding carrying both kinds of evidence.
 */
#ifndef WF_DIAGNOSE_H
#define WF_DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>

#include "controllers.h"
#include "error.h"

struct wf_hive;
struct wf_winver;
struct wf_targets;
struct wf_findings;
struct wf_inspection;

/* Read at most `max` bytes from the start of a guest file: 1 with *buf
 * (malloc'd) and *len set, 0 when the file does not exist, -1 when it
 * cannot be read. */
typedef int (*wf_file_read)(void *ud, const char *guest_path, size_t max,
			    void **buf, size_t *len);

/* Lines that say what the diagnosis assumed or inferred ("Windows version
 * inferred from the SYSTEM hive ...", "targets: ..."), for the report. */
struct wf_diag_notes {
	char **v;
	size_t n;
};
void wf_diag_note(struct wf_diag_notes *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wf_diag_notes_free(struct wf_diag_notes *n);

struct wf_diag_log {
	const char *path;	/* host file */
	const char *name;	/* how evidence names it: "C:\Windows\INF\setupapi.dev.log" */
};

/* The boot disk as BIOS or UEFI firmware meets it (image mode; read
 * through the appliance, so any image format). */
struct wf_disk_facts {
	char pttype[8];		/* "dos" or "gpt" ("" unknown) */
	uint64_t disk_bytes;	/* size of the disk holding Windows */
	int mbr_valid;		/* sector 0 ends 55 AA */
	int mbr_code;		/* ... and has boot code in bytes 0-439 */
	int active;		/* MBR: partition with the boot flag, 0 none */
	int esp;		/* an EFI system partition (GPT type or MBR 0xEF): its number */
	int win_part;		/* partition number of the Windows volume */
	uint64_t win_start;	/* its first sector (512-byte LBA) */
	int bpb_ok;		/* its NTFS boot sector was read */
	unsigned bpb_spt, bpb_heads;
	uint32_t bpb_hidden;
	char win_device[32];	/* "/dev/sda2", for evidence */
};

struct wf_diag_ctx {
	struct wf_hive *system;		/* required */
	const char *system_name;	/* evidence source; NULL = the hive's path */
	const struct wf_winver *ver;	/* NULL: SOFTWARE or inferred from SYSTEM */
	struct wf_hive *software;	/* may be NULL */
	const char *software_name;	/* its evidence source; NULL = the hive's path */
	/* NULL: the storage controller(s) the hive booted from (a seen PCI
	 * device whose service is boot-start), else virtio-blk + virtio-net */
	const struct wf_targets *targets;
	const char *systemroot;		/* guest path of the Windows folder */
	wf_file_probe probe;		/* NULL: hive-only, file rules skipped */
	wf_file_read read;
	void *ud;
	const struct wf_diag_log *logs;
	size_t n_logs;
	struct wf_diag_notes *notes;	/* may be NULL */
	const struct wf_disk_facts *disk;	/* NULL: hive-only, disk rules skipped */
	struct wf_hive *bcd;		/* the boot configuration store (bcd.h), NULL: not found */
	const char *bcd_name;		/* its evidence source ("/dev/sda1:/Boot/BCD") */
};

/* Run every rule; findings are appended to *out, merged and sorted errors
 * first.  -1 only when the input is unusable (no control set: WF_ERR_INPUT)
 * or a log cannot be read. */
int wf_diagnose_hives(const struct wf_diag_ctx *c, struct wf_findings *out,
		      struct wf_error *e);

/* Hive-only mode on host files: open them (software may be NULL), run
 * wf_diagnose_hives.  Errors name the file (a damaged hive: WF_ERR_INPUT). */
int wf_diagnose_hive_files(const char *system_path, const char *software_path,
			   const struct wf_targets *t,
			   const struct wf_diag_log *logs, size_t n_logs,
			   struct wf_diag_notes *notes, struct wf_findings *out,
			   struct wf_error *e);

/* The same, reading a dirty hive as its transaction logs leave it
 * (hivelog.h): `hivelogs` names SYSTEM's .LOG1, .LOG2, .LOG (NULL, or a
 * NULL entry: the file beside it, PATH.LOG1 ...); SOFTWARE's are taken
 * from beside it.  The notes say what was replayed, or that the hive may
 * be stale and which facts that can affect. */
int wf_diagnose_hive_files_logs(const char *system_path, const char *const *hivelogs,
				const char *software_path, const struct wf_targets *t,
				const struct wf_diag_log *logs, size_t n_logs,
				struct wf_diag_notes *notes, struct wf_findings *out,
				struct wf_error *e);
struct wf_hivelog_result;
/* The note for one hive's recovery (nothing for a clean one). */
void wf_diag_hivelog_note(struct wf_diag_notes *notes, const struct wf_hivelog_result *r,
			  const char *hive);

/* Image mode, after wf_inspect_guest (the appliance must still be up).
 * `t` NULL = default targets (virtio-blk + virtio-net). */
int wf_diagnose_inspection(struct wf_inspection *in, const struct wf_targets *t,
			   struct wf_findings *out, struct wf_error *e);
/* The same, with the notes. */
int wf_diagnose_inspection_notes(struct wf_inspection *in,
				 const struct wf_targets *t,
				 struct wf_diag_notes *notes,
				 struct wf_findings *out, struct wf_error *e);

/* An inspection that stopped at a BitLocker-encrypted volume
 * (WF_ERR_ENCRYPTED): one bitlocker-tpm finding per encrypted volume,
 * judged against the VM's vTPM (t may be NULL: unknown). */
void wf_diagnose_bitlocker(const struct wf_inspection *in, const struct wf_targets *t,
			   struct wf_findings *out);
/* An inspection that got past its BitLocker volumes (opened with --key,
 * or Windows on another volume): one bitlocker-tpm finding per volume in
 * in->bitlocker, saying so when Windows was found on an opened volume
 * (/dev/mapper/...).  wf_diagnose_inspection adds them itself, so that
 * the warning comes with the diagnosis, before any fix. */
void wf_diagnose_bitlocker_opened(const struct wf_inspection *in, const struct wf_targets *t,
				  struct wf_findings *out);

#endif
