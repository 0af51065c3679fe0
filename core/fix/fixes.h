/*
 * fixes.h - fix ids and the builders that turn them into a plan.
 *
 * A fix id is "<family>" or "<family>:<argument>" (enable-driver:msahci,
 * ddb-version:guestor.inf_tmp, remove-filter:{4D36E967-...}:prl_strg).
 * One table (wf_fix_families, fixes.c) maps each family to its builder,
 * in the order builders run (injection first, so that later fixes see the
 * services it plans).  Builders only read: the hives they are given may be
 * read-only host copies; everything they would change goes into the plan
 * (plan.h), which the executor (apply.h) applies.
 *
 *   struct wf_fixctx c = { .system = sys, .software = sw, .ver = &ver,
 *                          .systemroot = "/Windows", .probe = ..., .ud = ... };
 *   struct wf_plan p;
 *   wf_plan_init(&p);
 *   const char *ids[] = { "enable-driver:msahci", "autoreboot-off" };
 *   if (wf_fixes_build(&c, ids, 2, &p, &err) < 0) ... err.msg names the fix
 *
 * Errors are one line starting with the fix id: "enable-driver:foo: no
 * Services\foo in ControlSet001 (the driver is not installed)".
 */
#ifndef WF_FIXES_H
#define WF_FIXES_H

#include <stddef.h>
#include <stdint.h>

#include "controllers.h"
#include "diagnose.h"
#include "error.h"
#include "guestdl.h"
#include "plan.h"

struct wf_hive;
struct wf_winver;
struct wf_findings;
struct wf_virtio_src;
struct wf_vm_virtio;

/* A file fetched out of the guest (mergeide: a driver .cab): write guest
 * file `guest_path` to host file `host_path`, refused over the cap of its
 * kind (guestdl.h).  0 ok, -1 failed or too big. */
typedef int (*wf_file_fetch)(void *ud, const char *guest_path, const char *host_path,
			     enum wf_gkind kind);

struct wf_fixctx {
	struct wf_hive *system;		/* required (read-only is fine) */
	struct wf_hive *software;	/* NULL: fixes that need it fail */
	const struct wf_winver *ver;	/* required: version, build, arch, client/server */
	const char *systemroot;		/* guest path "/Windows"; NULL: hive-only */
	wf_file_probe probe;		/* guest files; NULL in hive-only mode */
	wf_file_read read;
	wf_file_fetch fetch;
	void *ud;
	struct wf_virtio_src *virtio;	/* driver source; NULL: inject-virtio fails */
	int current_only;		/* change only the current control set, not LastKnownGood */
	struct wf_hive *bcd;		/* the boot configuration store (read-only), NULL: not found */
	const char *bcd_where;		/* where it is, for people ("/dev/sda1:/Boot/BCD") */
	int sig_mode;			/* WF_SIGMODE_* (sigpolicy.h): signature check of injected drivers */
	const struct wf_vm_virtio *vm;	/* virtio ids the VM presents (vmpci.h), NULL: not known */
	const char *tmpdir;		/* host folder for files builders extract */
	/* filled by wf_fixes_build */
	char ccs[32];			/* "ControlSet001" */
	char lkg[32];			/* LastKnownGood's set when it differs and exists, else "" */
};

typedef int (*wf_fix_builder)(struct wf_fixctx *c, const char *id,
			      const char *arg, struct wf_plan *p,
			      struct wf_error *e);

struct wf_fix_family {
	const char *name;	/* "enable-driver" (= help topic) */
	int takes_arg;		/* 1: "<name>:<arg>" required; 0: no argument */
	const char *arg_help;	/* "SERVICE", "CLASS-GUID-OR-INSTANCE:SERVICE" */
	const char *summary;	/* one line */
	wf_fix_builder build;
};

extern const struct wf_fix_family wf_fix_families[];
extern const size_t wf_n_fix_families;

/* Is fix id `id` ("inject-virtio:viostor") of `family` (WF_FIXID(INJECT_VIRTIO))? */
int wf_fix_in_family(const char *id, const char *family);
/* The family of a fix id, NULL when unknown. */
const struct wf_fix_family *wf_fix_family_of(const char *id);

/* Build the plan of these fix ids (validated, run in table order, each
 * once).  -1 at the first fix that cannot be built (WF_ERR_USAGE for an
 * unknown or malformed id, WF_ERR_INPUT when the guest does not allow it). */
int wf_fixes_build(struct wf_fixctx *c, const char *const *ids, size_t n,
		   struct wf_plan *p, struct wf_error *e);

/* Every fix id the findings propose, once each, in order (--auto).
 * *ids is malloc'd (free with wf_strv_free(*ids, *n)). */
void wf_fixes_from_findings(const struct wf_findings *f, char ***ids, size_t *n);

/* --- for builders (fix_*.c) ------------------------------------------------------- */

/* The control sets a fix edits: the current one, and LastKnownGood's
 * unless c->current_only or it is the same.  Returns the count (1 or 2). */
size_t wf_fix_sets(const struct wf_fixctx *c, const char *sets[2]);
/* Does the key exist after what the plan does so far? */
int wf_fix_key_exists(struct wf_fixctx *c, struct wf_plan *p,
		      enum wf_plan_hive which, const char *key);
/* The hive of a WF_HIVE_* (NULL when not given). */
struct wf_hive *wf_fix_hive(struct wf_fixctx *c, enum wf_plan_hive which);

/* Builders, by family (fix_*.c). */
int wf_fix_enable_driver(struct wf_fixctx *c, const char *id, const char *arg,
			 struct wf_plan *p, struct wf_error *e);
int wf_fix_disable_driver(struct wf_fixctx *c, const char *id, const char *arg,
			  struct wf_plan *p, struct wf_error *e);
int wf_fix_autoreboot_off(struct wf_fixctx *c, const char *id, const char *arg,
			  struct wf_plan *p, struct wf_error *e);
int wf_fix_remove_filter(struct wf_fixctx *c, const char *id, const char *arg,
			 struct wf_plan *p, struct wf_error *e);
int wf_fix_import_reg(struct wf_fixctx *c, const char *id, const char *arg,
		      struct wf_plan *p, struct wf_error *e);
int wf_fix_add_cdd(struct wf_fixctx *c, const char *id, const char *arg,
		   struct wf_plan *p, struct wf_error *e);
int wf_fix_ddb_entry(struct wf_fixctx *c, const char *id, const char *arg,
		     struct wf_plan *p, struct wf_error *e);
int wf_fix_ddb_version(struct wf_fixctx *c, const char *id, const char *arg,
		       struct wf_plan *p, struct wf_error *e);
int wf_fix_mergeide(struct wf_fixctx *c, const char *id, const char *arg,
		    struct wf_plan *p, struct wf_error *e);
int wf_fix_inject_virtio(struct wf_fixctx *c, const char *id, const char *arg,
			 struct wf_plan *p, struct wf_error *e);

/* Shared by fix_db.c and fix_virtio.c: the DriverDatabase Version blob
 * (48 bytes) for a package of class `class_guid` with INF DriverVer
 * `date` ("mm/dd/yyyy", may be NULL) and `version` ("a.b.c.d", may be
 * NULL).  Layout: ../shared/knowledge/virtio-injection-virt-v2v.md §2.5
 * and §9 (a real in-box package). */
void wf_ddb_version_blob(const char *class_guid, const char *date,
			 const char *version, unsigned char out[48]);
/* "{4D36E97B-...}" to the 16 bytes Windows stores; -1 if malformed. */
int wf_guid_bytes(const char *guid, unsigned char out[16]);

/* fix_db.c, shared with fix_virtio.c and fix_mergeide.c: */
struct wf_inf;
/* Setup class GUID of a storage driver's controllers (HDC or SCSIAdapter). */
const char *wf_fix_class_of(const char *svc);
/* CDD entry <set>\Control\CriticalDeviceDatabase\<name> {Service,
 * ClassGUID} in the current (and LastKnownGood) set. */
void wf_fix_cdd_entry(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      const char *name, const char *svc, const char *class_guid);
/* A DriverDatabase package: DriverInfFiles\<infname>, DriverPackages\<label>
 * with Version (DriverVer from `inf` when given), Configurations\<conf>. */
void wf_fix_ddb_package(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
			const struct wf_inf *inf, const char *infname,
			const char *label, const char *conf, const char *svc,
			const char *class_guid);
/* DeviceIds\PCI\<devid> -> infname, and the package's descriptor. */
void wf_fix_ddb_bind(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		     const char *devid, const char *infname, const char *label,
		     const char *conf);

#endif
