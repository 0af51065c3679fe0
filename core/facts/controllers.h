/*
 * controllers.h - the storage and network controllers a Windows guest may
 * meet on a hypervisor, the Windows services that drive them, and what a
 * given guest has of each.
 *
 * The catalogue (wf_ctrl_kinds) is the one table of this knowledge: kind id,
 * PCI ids, and the driver services per Windows version, each with where
 * the fact comes from.  wf_ctrl_evaluate() reads a SYSTEM hive and says,
 * per kind, which of its services exist, their Start value and whether the
 * .sys file is there; wf_ctrl_seen() lists the PCI devices Windows has
 * enumerated (Enum\PCI) mapped to kinds.
 */
#ifndef WF_CONTROLLERS_H
#define WF_CONTROLLERS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct wf_hive;

enum wf_ctrl_class { WF_CTRL_STORAGE, WF_CTRL_NETWORK };

/* Windows version as major*100+minor: 501 = XP, 601 = 7, 1000 = 10/11. */
#define WF_WINVER(maj, min) ((maj) * 100 + (min))

#define WF_CTRL_MAX_BIND 6

/* One driver service: every fact the tool uses about it, with its source.
 * Rows use designated initializers; absent fields are 0/NULL. */
struct wf_ctrl_driver {
	const char *service;	/* Services\<name> (case-insensitive) */
	unsigned min_ver, max_ver;	/* Windows versions where it applies; 0 = open */
	unsigned min_build, max_build;	/* within Windows 10 (1000): builds; 0 = open */
	int inbox;		/* ships with Windows where it applies (else vendor/virtio) */
	const char *role;	/* "miniport", "controller", "channel", "nic", "stack" */
	/* the ids it drives: "8086:7010" (VEN:DEV), "CC_0101" (PCI class,
	 * any device of it), or a PnP id as a CriticalDeviceDatabase key
	 * ("primary_ide_channel"); none = every PCI id of its kind */
	const char *binds[WF_CTRL_MAX_BIND];
	uint32_t start;		/* the Start it needs: 0 boot (storage), 3 demand (nic) */
	const char *group;	/* the ServiceGroupOrder group it has (Vista and later, or
				 * every era); NULL = none: never add one */
	const char *group_xp;	/* XP / 2003's group when it differs from `group` */
	const char *class_guid;	/* setup class of the devices it drives (CDD ClassGUID) */
	int stack_required;	/* "stack": every disk's stack needs it at boot */
	const char *hotfix;	/* update that brings it to hotfix_ver ("KB2990941") */
	unsigned hotfix_ver;
	const char *src;	/* where these facts come from */
};

/* The Group of a driver on Windows `winver` (WF_WINVER code). */
const char *wf_ctrl_group(const struct wf_ctrl_driver *d, unsigned winver);

#define WF_CTRL_MAX_PCI 6
#define WF_CTRL_MAX_DRV 6

struct wf_ctrl_kind {
	const char *id;		/* stable id: "virtio-blk", "sata", "e1000" */
	const char *label;	/* for people */
	enum wf_ctrl_class cls;
	const char *bus;	/* "pci" or "vmbus" */
	const char *pci[WF_CTRL_MAX_PCI];	/* "1AF4:1001" (vendor:device) */
	/* the hardware id QEMU presents for this kind on a conventional PCI
	 * slot (i440fx "pc"), and on a PCIe root port (q35) when it differs
	 * (virtio: modern only); NULL when QEMU has no such device */
	const char *qemu, *qemu_pcie;
	const char *pci_class;	/* "010601": class/subclass/prog-if, devices of
				 * the class (first 4 digits) map here too */
	struct wf_ctrl_driver drivers[WF_CTRL_MAX_DRV];
	const char *src;	/* sources of the ids */
};

extern const struct wf_ctrl_kind wf_ctrl_kinds[];
extern const size_t wf_ctrl_n_kinds;

const struct wf_ctrl_kind *wf_ctrl_kind_by_id(const char *id);
/* Kind for a PCI hardware id ("PCI\VEN_1AF4&DEV_1001&SUBSYS..." or just
 * "VEN_1AF4&DEV_1001..."), NULL when not catalogued. */
const struct wf_ctrl_kind *wf_ctrl_kind_by_pci(const char *hwid);
/* Kind for a PCI class code ("0106"), from CompatibleIDs' PCI\CC_xxxx. */
const struct wf_ctrl_kind *wf_ctrl_kind_by_class(const char *cc);
/* Parse VEN_xxxx&DEV_yyyy from a hardware id; -1 if absent. */
int wf_pci_parse(const char *hwid, unsigned *ven, unsigned *dev);

/* The one lookup by service: the catalogue row of driver `svc`
 * (controller drivers, then the storage stack), and in *kind the kind it
 * drives (NULL for the stack).  NULL when the catalogue does not know it. */
const struct wf_ctrl_driver *wf_ctrl_service(const char *svc,
					     const struct wf_ctrl_kind **kind);
/* The storage stack services (disk, partmgr, volmgr...), NULL-terminated
 * by service. */
extern const struct wf_ctrl_driver wf_ctrl_stack[];
/* Whether driver d applies to Windows `winver` (build `build`, 0 unknown). */
int wf_ctrl_driver_applies(const struct wf_ctrl_driver *d, unsigned winver,
			   unsigned build);
/* Whether d drives PCI device `hwid` ("VEN_8086&DEV_7010...") of class
 * `cc` ("010180", may be NULL), or the PnP id `hwid` (an IDE channel). */
int wf_ctrl_driver_binds(const struct wf_ctrl_driver *d,
			 const struct wf_ctrl_kind *k, const char *hwid,
			 const char *cc);

/* The PnP ids of PCI device `hwid` ("VEN_v&DEV_d[&SUBSYS_s][&REV_r]")
 * of class `cc` (6 or 4 hex digits, may be NULL), most specific first as
 * the PCI bus driver reports them (hardware ids: VEN&DEV&SUBSYS&REV,
 * VEN&DEV&SUBSYS, VEN&DEV&REV, VEN&DEV, VEN&DEV&CC_ccsspp, VEN&DEV&CC_ccss;
 * then compatible ids: VEN&CC_ccsspp, VEN&CC_ccss, VEN, CC_ccsspp,
 * CC_ccss; MS "Identifiers for PCI Devices"), without the "PCI\\" prefix.
 * Returns the count. */
#define WF_PCI_MAX_IDS 14
size_t wf_pci_ids(const char *hwid, const char *cc,
		  char out[WF_PCI_MAX_IDS][64]);

/* Whether a guest file exists: 1 yes (size in *size), 0 no, -1 unknown
 * (no filesystem access, e.g. a hive file examined alone). */
typedef int (*wf_file_probe)(void *ud, const char *guest_path, uint64_t *size);

struct wf_ctrl_service {
	const struct wf_ctrl_driver *drv;
	int applies;		/* this Windows version is within min..max */
	int exists;		/* Services\<name> key present */
	int has_start;
	uint32_t start;
	char *image_path;	/* ImagePath as in the registry, NULL when absent */
	char *guest_path;	/* resolved file in the guest */
	int file_state;		/* 1 present, 0 missing, -1 unknown */
	uint64_t file_size;
};

struct wf_ctrl_status {
	const struct wf_ctrl_kind *kind;
	struct wf_ctrl_service svc[WF_CTRL_MAX_DRV];
	size_t n_svc;
	int has_driver;		/* some applicable service exists with its file */
	int boot_ready;		/* ... and Start = 0 (storage) */
};

struct wf_seen_device {
	char *hwid;		/* Enum\PCI\<hwid> */
	char *instance;		/* first instance key */
	char *service;		/* Service value of the instance, NULL = none */
	char *desc;		/* DeviceDesc, may be NULL */
	uint32_t config_flags;
	int has_config_flags;
	const struct wf_ctrl_kind *kind;	/* NULL when not catalogued */
};

struct wf_controllers {
	struct wf_ctrl_status *status;	/* one per catalogue kind */
	size_t n_status;
	struct wf_seen_device *seen;	/* catalogued kinds first */
	size_t n_seen;
};

/* Evaluate every catalogue kind against the SYSTEM hive's control set
 * `ccs` ("ControlSet001").  `winver` as WF_WINVER(); `probe` may be NULL. */
int wf_ctrl_evaluate(struct wf_hive *sys, const char *ccs, unsigned winver,
		     const char *systemroot, wf_file_probe probe, void *ud,
		     struct wf_controllers *out, struct wf_error *e);
void wf_controllers_free(struct wf_controllers *c);

/* "boot", "system", "auto", "manual", "disabled" for Start 0..4. */
const char *wf_start_name(uint32_t start);

#endif
