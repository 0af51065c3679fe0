/*
 * pve.h - a Proxmox VE VM configuration (/etc/pve/qemu-server/VMID.conf,
 * what `qm config VMID` prints) as a source of targets and disks.
 *
 * Format (pve-docs "qm.conf", qm(1) "Configuration"): one "key: value"
 * per line, '#' comments (the VM's notes), the current configuration
 * first and then snapshot sections "[name]" and "[PENDING]" (ignored
 * here).  Disks: ideN (0-3), sataN (0-5), scsiN (0-30), virtioN (0-15):
 * "STORAGE:VOLUME,opt=val,..." or "/dev/path,..." or "none,media=cdrom";
 * efidisk0/tpmstate0 are not disks of the guest.  Controller of scsiN:
 * scsihw (lsi, lsi53c810, virtio-scsi-pci, virtio-scsi-single, megasas,
 * pvscsi; default lsi).  NICs: netN: "MODEL[=MAC],bridge=...".  machine:
 * "q35", "pc-q35-8.1", "pc-i440fx-7.2", absent = i440fx; bios: seabios
 * (default) or ovmf.  Boot: "boot: order=scsi0;ide2;net0" (PVE 6.3+), or
 * the legacy "bootdisk: scsi0".
 *
 * Sizes are bounded (4096 lines of 4096 bytes); the parser is fuzzed
 * (tests/fuzz/fuzz_pve.c).
 */
#ifndef WF_PVE_H
#define WF_PVE_H

#include <stddef.h>

#include "error.h"
#include "strbuf.h"

struct wf_targets;

#define WF_PVE_MAX_DISKS 64
#define WF_PVE_MAX_NICS 32

struct wf_pve_disk {
	char key[12];		/* "scsi0", "virtio1" */
	char bus[8];		/* "ide", "sata", "scsi", "virtio" */
	unsigned index;
	char volume[256];	/* "local-lvm:vm-100-disk-0", "/dev/sdb", "none" */
	char format[16];	/* format=... when given */
	char rest[512];		/* the options after the volume, as written */
	int cdrom;		/* media=cdrom */
};

struct wf_pve_nic {
	char key[8];		/* "net0" */
	char model[24];		/* "virtio", "e1000" */
	char rest[256];		/* everything after MODEL[=MAC] */
};

struct wf_pve {
	char name[128];
	char machine[64];	/* as written; "" = default (i440fx) */
	int q35;
	char bios[16];		/* "seabios" or "ovmf" */
	char scsihw[32];	/* as written; "" = default (lsi) */
	char boot[12];		/* key of the boot disk: "scsi0"; "" = first disk */
	char boot_order[256];	/* the "order=" list as written, "" = none */
	char ostype[16];
	struct wf_pve_disk disks[WF_PVE_MAX_DISKS];	/* in bus order: ide, sata, scsi, virtio */
	size_t n_disks;
	struct wf_pve_nic nics[WF_PVE_MAX_NICS];
	size_t n_nics;
};

/* A disk bus of qemu-server and its slot count. */
struct wf_pve_bus {
	const char *name;
	unsigned slots;
};
/* "scsi12" -> its bus and index 12; 0 when `key` is not a disk key. */
int wf_pve_disk_key(const char *key, const struct wf_pve_bus **bus, unsigned *idx);

int wf_pve_parse(const char *buf, size_t len, const char *name, struct wf_pve *p,
		 struct wf_error *e);
int wf_pve_parse_file(const char *path, struct wf_pve *p, struct wf_error *e);

/* What the VM presents: the boot disk's controller first, the other
 * disks' (CD-ROMs left out), the NIC models. */
int wf_pve_targets(const struct wf_pve *p, struct wf_targets *t, struct wf_error *e);

/* The boot disk (or NULL when the VM has none). */
const struct wf_pve_disk *wf_pve_boot_disk(const struct wf_pve *p);

/* The `qm set` commands that make VM `vmid` present storage `want_storage`
 * ("virtio-blk", "virtio-scsi", "sata", "ide") and NIC `want_nic`
 * ("virtio-net", "e1000", ...; NULL = leave NICs): each disk moved to a
 * free slot of the new bus (qm set --delete of the old key, then the new
 * key with the same volume and options), scsihw when the storage is
 * virtio-scsi, the boot order, the NIC models with their MAC kept.
 * Returns 0 with nothing appended when nothing changes. */
int wf_pve_switch_cmds(const struct wf_pve *p, const char *vmid,
		       const char *want_storage, const char *want_nic,
		       struct wf_strbuf *out, struct wf_error *e);

#endif
