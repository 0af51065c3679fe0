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

struct wf_ctrl_driver {
	const char *service;	/* Services\<name> (case-insensitive) */
	unsigned min_ver, max_ver;	/* Windows versions where it applies; 0 = open */
	int inbox;		/* ships with Windows (else a vendor/virtio package) */
	const char *role;	/* "miniport", "channel", "port", "nic" ... */
};

#define WF_CTRL_MAX_PCI 6
#define WF_CTRL_MAX_DRV 5

struct wf_ctrl_kind {
	const char *id;		/* stable id: "virtio-blk", "sata", "e1000" */
	const char *label;	/* for people */
	enum wf_ctrl_class cls;
	const char *bus;	/* "pci" or "vmbus" */
	const char *pci[WF_CTRL_MAX_PCI];	/* "1AF4:1001" (vendor:device) */
	const char *pci_class;	/* "0101": devices of this PCI class/subclass map here too */
	struct wf_ctrl_driver drivers[WF_CTRL_MAX_DRV];
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
