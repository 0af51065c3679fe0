/*
 * txtsetup.h - XP / Server 2003 text-mode setup: the entries that let
 * setup load a mass-storage driver from the medium itself, merged into
 * I386\TXTSETUP.SIF (or AMD64\) and DOSNET.INF, and the txtsetup.oem of
 * an F6 floppy.
 *
 *   struct wf_txt_driver d = { .svc = "viostor", .sys = "viostor.sys",
 *       .desc = "Red Hat VirtIO SCSI controller", .hwids = ids, .n_hwids = 2 };
 *   wf_txtsetup_merge(sif, sif_len, &d, 1, 0, &out, &notes);   // new TXTSETUP.SIF
 *   wf_dosnet_merge(dosnet, len, &d, 1, &out2, &notes);
 *   wf_txtsetup_oem(&d, 1, "viostor", &oem);                     // F6 floppy
 *
 * What goes where (the long-standing way to integrate a boot driver into
 * XP/2003 media: MSFN "Adding 3rd party SATA/RAID/SCSI drivers" guide,
 * 2004, and the TXTSETUP.SIF lines of OEM recovery media quoted in the
 * microsoft.public.windowsxp.setup_deployment thread "txtsetup.sif section
 * names and format reference", 2008):
 *   [SourceDisksFiles] (.amd64 on x64 media)  viostor.sys = 1,,,,,,4_,4,1,,,1,4
 *                       (disk 1; copy to dirid 4 = System32\drivers; the
 *                       trailing 1,4 mark a boot driver loaded in text mode)
 *   [HardwareIdsDatabase]  PCI\VEN_1AF4&DEV_1001&SUBSYS_00021AF4 = "viostor"
 *   [SCSI.Load]            viostor = viostor.sys,4
 *   [SCSI]                 viostor = "Red Hat VirtIO SCSI controller"
 *   DOSNET.INF [Files]     d1,viostor.sys
 * The txtsetup.oem sections follow Microsoft's "TxtSetup.oem File Format"
 * (WDK): [Disks], [Defaults], [scsi], [Files.scsi.ID], [HardwareIds.scsi.ID],
 * [Config.ID].
 *
 * Everything else in the files stays byte for byte: lines are inserted
 * after the last line of their section (a missing section is appended),
 * in the file's own line ending; a key already present is left alone and
 * said in `notes`.
 */
#ifndef WF_TXTSETUP_H
#define WF_TXTSETUP_H

#include <stddef.h>

struct wf_strbuf;

struct wf_txt_driver {
	const char *svc;	/* service = the driver's key in every section */
	const char *sys;	/* file name "viostor.sys" */
	const char *desc;	/* shown by setup */
	char *const *hwids;	/* PCI\VEN_...&DEV_... */
	size_t n_hwids;
	const char *const *extra;	/* other files for the floppy (.inf, .cat) */
	size_t n_extra;
};

/* Added lines are counted in *added (may be NULL). */
void wf_txtsetup_merge(const char *text, size_t len, const struct wf_txt_driver *d,
		       size_t n, int amd64, struct wf_strbuf *out,
		       struct wf_strbuf *notes, size_t *added);
void wf_dosnet_merge(const char *text, size_t len, const struct wf_txt_driver *d,
		     size_t n, struct wf_strbuf *out, struct wf_strbuf *notes,
		     size_t *added);
/* A txtsetup.oem for an F6 floppy with these drivers; `def` is the default. */
void wf_txtsetup_oem(const struct wf_txt_driver *d, size_t n, const char *def,
		     struct wf_strbuf *out);

/* One section edit (exposed for tests): insert `lines` (each without an
 * ending) into [section], skipping those whose key is already there. */
struct wf_sif_edit {
	const char *section;
	const char *const *lines;
	size_t n;
};
void wf_sif_apply(const char *text, size_t len, const struct wf_sif_edit *edits,
		  size_t n_edits, struct wf_strbuf *out, struct wf_strbuf *notes,
		  size_t *added);

#endif
