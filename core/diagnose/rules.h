/*
 * rules.h - the diagnosis rules: one table row per finding id (severity,
 * title template, the function that looks for it), and the context the
 * functions share.  Internal to diagnose.c and rules_xxx.c; front ends use
 * diagnose.h, and wf_rule_find() for a finding id's metadata.
 *
 * A rule function reads the hive (and guest files through the context's
 * callbacks), and calls wf_rule_emit() for each problem it finds.  Title
 * templates use {1} {2} {3} for the arguments given to wf_rule_emit
 * (plain substitution, no printf, so the table can hold them).
 *
 * Sources of the facts the rules rely on are cited where each is used;
 * the 0x7B checklist is ../shared/knowledge/anchors-and-recipes.md §4.
 */
#ifndef WF_RULES_H
#define WF_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "controllers.h"
#include "diagnose.h"
#include "finding.h"
#include "hive.h"
#include "pe.h"
#include "strmap.h"
#include "targets.h"
#include "winver.h"

struct wf_rctx;
struct wf_rule;

typedef void (*wf_rule_fn)(struct wf_rctx *c, const struct wf_rule *r);

struct wf_rule {
	const char *id;			/* finding id = help topic */
	enum wf_severity severity;	/* default; a rule may lower it */
	const char *title;		/* template with {1} {2} {3} */
	wf_rule_fn fn;			/* NULL: emitted by another row's function */
};

extern const struct wf_rule wf_rules[];
extern const size_t wf_n_rules;
const struct wf_rule *wf_rule_find(const char *id);

/* One service as the hive has it, plus its file when files are visible. */
struct wf_svc {
	char name[64];
	wf_node node;			/* 0: no Services\<name> key */
	int has_start, has_type;
	uint32_t start, type;
	char *group;
	char *image_path;		/* as in the registry, NULL when absent */
	char *guest_path;		/* resolved file in the guest */
	int file_state;			/* 1 present, 0 missing, -1 unknown */
	uint64_t file_size;
	int pe_state;			/* 1 parsed, 0 not a PE, -1 not read */
	struct wf_pe_info pe;
	char pe_error[1024];
};

/* A service that devices in Enum are bound to. */
struct wf_devsvc {
	char svc[64];
	char device[256];	/* first instance: "PCI\\VEN_...\\3&..." */
	unsigned n;		/* instances bound to it */
};

/* A storage target and the services it needs at boot. */
struct wf_bootreq {
	const struct wf_target *t;
	const struct wf_ctrl_kind *kind;
	int supported;			/* some catalogued driver applies to this Windows */
	struct wf_svc *svc[2];		/* [0] miniport/controller, [1] IDE channel */
	size_t n_svc;
	const char *bound_hwid;		/* seen device of this kind, if any */
	char ddb_pkg[160];		/* DriverPackages label binding it (8+), "" */
	const char *presented;		/* PCI hardware id the VM presents, NULL (VMBus) */
	int installed;			/* the guest has that device installed (Enum) */
	char cdd_key[128];		/* XP-7: CDD key PnP will use for it, "" none */
	char cdd_svc[64];		/* its Service ("" none) */
	int cdd_ok;			/* ... and that service exists */
	const char *hotfix;		/* a driver applies through this update */
};

struct wf_rctx {
	const struct wf_diag_ctx *in;
	struct wf_hive *sys;
	const char *src;		/* evidence source name of SYSTEM */
	const struct wf_winver *ver;
	unsigned winver;		/* WF_WINVER(major, minor); 0 unknown */
	const char *arch;		/* guest arch ("x86_64"), may be NULL */
	char ccs_name[32];
	wf_node ccs, services, control;
	int has_ddb, has_cdd;
	int files;			/* guest files visible */
	const struct wf_targets *targets;
	struct wf_bootreq boot[WF_TARGETS_MAX];
	size_t n_boot;
	struct wf_svc **svcs;		/* cache of services looked at */
	size_t n_svcs, svcs_alloc;
	struct wf_strmap svc_idx;	/* name (any case) -> index in svcs */
	struct wf_devsvc *devsvcs;	/* services bound to devices (image mode) */
	size_t n_devsvcs;
	int devsvcs_read;		/* wf_rctx_devices has run */
	struct wf_findings *out;
	uint32_t *kinds;		/* per finding: bitmask of catalogue kinds it is about */
	size_t n_kinds_alloc;
};

/* Services\<name> read once per diagnosis (NULL name -> NULL). */
struct wf_svc *wf_rctx_svc(struct wf_rctx *c, const char *name);
/* Free the cache of wf_rctx_svc. */
void wf_rctx_svcs_free(struct wf_rctx *c);
/* Load the service's file and PE headers (image mode). */
void wf_rctx_svc_file(struct wf_rctx *c, struct wf_svc *s);
/* Whether a module a driver imports exists in System32 or System32\drivers:
 * 1 yes, 0 no, -1 unknown. */
int wf_rctx_module_exists(struct wf_rctx *c, const char *module);

/* Collect the services devices in Enum are bound to (c->devsvcs), once;
 * the lookup of one. */
void wf_rctx_devices(struct wf_rctx *c);
struct wf_devsvc *wf_rctx_devsvc(struct wf_rctx *c, const char *svc);
/* Is `s` a boot driver of one of the storage targets (c->boot)? */
int wf_rctx_is_boot_svc(struct wf_rctx *c, const struct wf_svc *s);

/* Emit a finding of rule `id` with its default severity (sev < 0) or
 * `sev`.  `device` may be NULL.  Title from the template. */
struct wf_finding *wf_rule_emit(struct wf_rctx *c, const char *id, int sev,
				const char *device, const char *a1,
				const char *a2, const char *a3);
/* Mark the last finding emitted as about this catalogue kind (merging). */
void wf_rule_about(struct wf_rctx *c, const struct wf_ctrl_kind *k);
/* Evidence from SYSTEM: key path below the hive root and "Value = data". */
void wf_rule_hive_evidence(struct wf_rctx *c, struct wf_finding *f,
			   const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The full path of a key below the current control set. */
char *wf_rctx_ccs_path(struct wf_rctx *c, const char *rel);
/* Is this a virtio kind (its driver comes from virtio-win)? */
int wf_kind_is_virtio(const struct wf_ctrl_kind *k);
/* Whether catalogue driver d applies to this guest: its Windows version
 * and build, or the update (hotfix) that brings it, found in the guest. */
int wf_rctx_driver_applies(struct wf_rctx *c, const struct wf_ctrl_driver *d);
/* The CriticalDeviceDatabase key PnP uses for PnP ids `ids` (the first
 * that has a key, most specific first); 1 found (*key, *svc set). */
int wf_rctx_cdd_lookup(struct wf_rctx *c, char ids[][64], size_t n, int pci,
		       char *key, size_t kn, char *svc, size_t sn);

/* Rule functions, by topic. */
/* rules_boot.c: the boot storage driver of each storage target */
void wf_rule_boot_missing(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_boot_disabled(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_boot_override(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_boot_type(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_boot_group(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_boot_file(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_unsupported(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_storage_stack(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_net_driver(struct wf_rctx *c, const struct wf_rule *r);
/* rules_db.c: CriticalDeviceDatabase (XP-7), DriverDatabase (8+) */
void wf_rule_cdd(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_ddb(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_ddb_version(struct wf_rctx *c, const struct wf_rule *r);
/* rules_filters.c */
void wf_rule_filters(struct wf_rctx *c, const struct wf_rule *r);
/* rules_files.c: Code 39 causes in driver files */
void wf_rule_arch(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_imports(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_wrong_os(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_image_missing(struct wf_rctx *c, const struct wf_rule *r);
/* rules_sign.c: signatures of boot-start drivers, BCD test signing */
void wf_rule_boot_signature(struct wf_rctx *c, const struct wf_rule *r);
/* rules_platform.c: what the old hypervisor and policies leave behind */
void wf_rule_old_platform(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_cpu_driver(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_san_policy(struct wf_rctx *c, const struct wf_rule *r);
/* rules_policy.c: the guest's policies on the new hardware */
void wf_rule_devinstall(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_hvci(struct wf_rctx *c, const struct wf_rule *r);
/* rules_disk.c: the boot disk against the VM's firmware (image mode) */
void wf_rule_firmware(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_ntfs_geometry(struct wf_rctx *c, const struct wf_rule *r);
/* rules_select.c: control sets and crash settings */
void wf_rule_lkg(struct wf_rctx *c, const struct wf_rule *r);
void wf_rule_autoreboot(struct wf_rctx *c, const struct wf_rule *r);

/* Shared by rules_boot.c and rules_select.c: whether the service, as the
 * control set `cs` has it, can load at boot (exists, Start 0, no disabling
 * StartOverride).  *why gets a short reason when not. */
int wf_svc_boot_ok(struct wf_hive *h, wf_node services, const char *name,
		   const char **why);
/* StartOverride value that disables the service: 1 (with *val and *name
 * set), 0 none. */
int wf_svc_start_override(struct wf_hive *h, wf_node svc, uint32_t *val,
			  char *name, size_t n);

#endif
