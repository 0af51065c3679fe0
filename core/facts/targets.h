/*
 * targets.h - the controllers the VM will present to the guest.
 *
 * The diagnosis judges the guest against these: "will this Windows boot
 * from a virtio-blk disk, and drive a virtio-net NIC?".  They come from the
 * operator (--target virtio-scsi,e1000), from a libvirt domain XML (disk
 * bus, SCSI controller model, interface model), from the SYSTEM hive itself
 * (the controller it booted from), or from the default (virtio-blk +
 * virtio-net).  `note` says which, for the report.
 *
 *   struct wf_targets t;
 *   if (wf_targets_parse_list("virtio-scsi,e1000", &t, &err) < 0) ... err.msg
 *   for (size_t i = 0; i < t.n; i++) t.v[i].kind->id, t.v[i].boot ...
 */
#ifndef WF_TARGETS_H
#define WF_TARGETS_H

#include <stddef.h>

#include "error.h"

struct wf_ctrl_kind;

#define WF_TARGETS_MAX 8

enum wf_target_origin {
	WF_TGT_DEFAULT = 0,	/* nothing given: virtio-blk + virtio-net */
	WF_TGT_OPTION,		/* --target */
	WF_TGT_DOMXML,		/* libvirt domain XML */
	WF_TGT_HIVE,		/* what the SYSTEM hive booted from */
};

struct wf_target {
	const struct wf_ctrl_kind *kind;
	/* storage: the boot disk is on it (a failure is 0x7B, not a missing
	 * data disk).  With --target every storage kind is a boot candidate. */
	int boot;
	/* the device's PCI hardware id when known (a target taken from the
	 * hive: "VEN_8086&DEV_24CB&..."), "" = any of the kind's PCI ids */
	char hwid[96];
	/* virtio only: which PCI id the device has.  DEFAULT = what a default
	 * VM of the machine type presents (transitional on a PCI slot of
	 * "pc", modern-only on q35's PCIe root ports) */
	enum wf_target_variant { WF_VAR_DEFAULT = 0, WF_VAR_TRANSITIONAL,
				 WF_VAR_MODERN } variant;
};

struct wf_targets {
	struct wf_target v[WF_TARGETS_MAX];
	size_t n;
	enum wf_target_origin origin;
	char note[640];		/* "default targets: virtio-blk + virtio-net" */
	/* "q35", "pc" (i440fx), or "" not said: a VM without a machine
	 * type is libvirt's/QEMU's x86 default, "pc" */
	char machine[32];
	/* The VM's firmware: --target efi|bios, or the domain XML (<os
	 * firmware='efi'>, a <loader> of type pflash or an OVMF/edk2 image
	 * is UEFI; anything else is libvirt's x86 default, SeaBIOS). */
	enum wf_firmware { WF_FW_UNKNOWN = 0, WF_FW_BIOS, WF_FW_EFI } firmware;
	/* A virtual TPM: --target tpm|no-tpm, or <devices><tpm> in the
	 * domain XML (absent there = none). */
	enum wf_tpm { WF_TPM_UNKNOWN = 0, WF_TPM_NONE, WF_TPM_PRESENT } tpm;
};

/* "UEFI", "BIOS", "unknown"; "vTPM", "no vTPM", "unknown". */
const char *wf_firmware_name(enum wf_firmware f);
const char *wf_tpm_name(enum wf_tpm t);

/* The PCI hardware id the VM presents for target t ("VEN_1AF4&DEV_1042&
 * SUBSYS_11001AF4&REV_01"): the hive's device, else QEMU's device of the
 * kind for the machine type and virtio variant; NULL (VMBus kinds). */
const char *wf_target_presented(const struct wf_targets *ts, const struct wf_target *t);
/* "q35" or "pc" for a machine type string ("pc-q35-8.2", "pc-i440fx-7.2",
 * "q35", "pc"); NULL when it is neither. */
const char *wf_machine_family(const char *machine);

/* virtio-blk + virtio-net, with the note saying it was assumed. */
void wf_targets_default(struct wf_targets *t);

/* Comma-separated kind ids or aliases ("virtio-blk,e1000", "ahci", "scsi"
 * for virtio-scsi, "virtio" for virtio-blk), a virtio kind with
 * "-transitional" or "-modern" ("virtio-blk-modern": 1AF4:1042 only), and
 * the machine type "q35" or "pc"/"i440fx", the firmware "efi"/"uefi" or
 * "bios", and "tpm"/"no-tpm" for a virtual TPM (a list of only machine,
 * firmware and TPM words means the default controllers).  Unknown names are a usage
 * error listing the known ones. */
int wf_targets_parse_list(const char *list, struct wf_targets *t,
			  struct wf_error *e);

/* A libvirt domain XML: <disk device='disk'> <target bus=...> (scsi: the
 * <controller type='scsi' model=...>), <interface><model type=...>, the
 * firmware (<os firmware=...>, <os><loader>) and <devices><tpm>.  The
 * boot disk is the one with <boot order='1'/>, else the first disk.
 * Errors (WF_ERR_INPUT) name the file: not XML, not a <domain>, a bus or
 * model this tool does not know. */
int wf_targets_from_domxml_file(const char *path, struct wf_targets *t,
				struct wf_error *e);
int wf_targets_from_domxml_mem(const char *buf, size_t len, const char *name,
			       struct wf_targets *t, struct wf_error *e);
/* The same from a definition already read (domxml.h): what `fix` does,
 * so that the virtio id check (vmpci.h) sees the same reading. */
struct wf_domfacts;
int wf_targets_from_domfacts(const struct wf_domfacts *f, struct wf_targets *t,
			     struct wf_error *e);

/* Add a kind (ignored when already there); -1 when the table is full. */
int wf_targets_add(struct wf_targets *t, const struct wf_ctrl_kind *k, int boot);

/* "virtio-blk (boot), virtio-net" into buf. */
void wf_targets_describe(const struct wf_targets *t, char *buf, size_t n);

struct wf_hive;

/* The storage controllers a hive booted from: catalogued kinds whose seen
 * PCI device is bound to a service with Start = 0.  0 when none found. */
size_t wf_targets_from_hive(struct wf_hive *sys, const char *ccs,
			    unsigned winver, struct wf_targets *t);

#endif
