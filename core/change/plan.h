/*
 * plan.h - what a fix will change, as data: an ordered list of reversible
 * actions on the guest's registry hives and files.
 *
 * Fixes only build plans (fixes.h); one executor applies any plan
 * (apply.h).  Every action carries what it replaces (the old typed value,
 * whether the key or file existed), so the same plan renders as a dry-run
 * diff, applies, verifies, and says what undo will put back.
 *
 *   struct wf_plan p;
 *   wf_plan_init(&p);
 *   wf_plan_set_dword(&p, sys, "ControlSet001\\Services\\msahci", "Start", 0,
 *                     "enable-driver:msahci");
 *   struct wf_strbuf sb = WF_STRBUF_INIT;
 *   wf_plan_to_text(&p, &sb);          // the diff a person reads
 *   json_object *j = wf_plan_to_json(&p);
 *   wf_plan_free(&p);
 *
 * Key paths are below the hive root with the control set spelled out
 * ("ControlSet001\\Services\\msahci"); the hive is named by WF_HIVE_*.
 * The builder helpers read the old state from the (read-only) hive they
 * are given; setting a value under a missing key plans the key's creation
 * (and its missing parents) first.  A second action on the same value or
 * key replaces the first but keeps the first's old state.
 */
#ifndef WF_PLAN_H
#define WF_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct wf_hive;
struct wf_strbuf;
struct json_object;

/* WF_HIVE_BCD: the boot configuration store (bcd.h), on the system volume,
 * the "System Reserved" partition or the EFI system partition. */
enum wf_plan_hive { WF_HIVE_SYSTEM = 0, WF_HIVE_SOFTWARE = 1, WF_HIVE_BCD = 2, WF_HIVE_N };

/* "SYSTEM", "SOFTWARE", "BCD" */
const char *wf_plan_hive_name(enum wf_plan_hive h);

enum wf_act_kind {
	WF_ACT_CREATE_KEY,	/* hive key */
	WF_ACT_SET_VALUE,	/* hive key name type data */
	WF_ACT_DELETE_VALUE,	/* hive key name */
	WF_ACT_DELETE_KEY,	/* hive key, with its subkeys */
	WF_ACT_COPY_FILE,	/* host file src -> guest path */
	WF_ACT_WRITE_FILE,	/* data -> guest path */
};

struct wf_action {
	enum wf_act_kind kind;
	enum wf_plan_hive hive;
	char *key;		/* registry actions */
	char *name;		/* value name, "" = default value */
	uint32_t type;		/* new value */
	unsigned char *data;	/* new value bytes / WRITE_FILE contents */
	size_t len;
	/* what it replaces */
	int had_old;		/* value existed / file existed / key existed */
	uint32_t old_type;
	unsigned char *old_data;
	size_t old_len;
	size_t old_subkeys, old_values;	/* DELETE_KEY: what goes with it */
	/* files */
	char *src;		/* COPY_FILE: host path */
	char *origin;		/* COPY_FILE: where src came from, for people
				 * ("virtio-win.iso:/viostor/w10/amd64/viostor.sys");
				 * NULL: src itself */
	char *guest;		/* guest path below the volume root, '/'-separated,
				 * case as it should be created: "/Windows/System32/drivers/viostor.sys" */
	uint64_t old_size;
	/* who and why */
	char *fix;		/* fix id that planned it */
};

struct wf_plan {
	struct wf_action *v;
	size_t n, alloc;
	char **fixes;		/* fix ids in the plan, in order */
	size_t n_fixes;
	char **notes;		/* what to expect at first boot, warnings */
	size_t n_notes;
};

void wf_plan_init(struct wf_plan *p);
void wf_plan_free(struct wf_plan *p);
void wf_plan_add_fix(struct wf_plan *p, const char *fix_id);
void wf_plan_note(struct wf_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Number of actions touching hive h / files. */
size_t wf_plan_count_hive(const struct wf_plan *p, enum wf_plan_hive h);
size_t wf_plan_count_files(const struct wf_plan *p);

/* Builders.  `h` is the hive the plan is for (read-only is fine: it
 * gives the old state); `fix` labels the action.  No-ops (the value is
 * already so, the key already exists, nothing to delete) add nothing and
 * return 0.  Return 1 when an action was added. */
int wf_plan_mkkey(struct wf_plan *p, struct wf_hive *h, enum wf_plan_hive which,
		  const char *key, const char *fix);
int wf_plan_set(struct wf_plan *p, struct wf_hive *h, enum wf_plan_hive which,
		const char *key, const char *name, uint32_t type,
		const void *data, size_t len, const char *fix);
int wf_plan_set_dword(struct wf_plan *p, struct wf_hive *h,
		      enum wf_plan_hive which, const char *key, const char *name,
		      uint32_t v, const char *fix);
/* type WF_REG_SZ or WF_REG_EXPAND_SZ */
int wf_plan_set_string(struct wf_plan *p, struct wf_hive *h,
		       enum wf_plan_hive which, const char *key, const char *name,
		       uint32_t type, const char *utf8, const char *fix);
int wf_plan_set_multi(struct wf_plan *p, struct wf_hive *h,
		      enum wf_plan_hive which, const char *key, const char *name,
		      const char *const *strs, size_t n, const char *fix);
int wf_plan_delete_value(struct wf_plan *p, struct wf_hive *h,
			 enum wf_plan_hive which, const char *key,
			 const char *name, const char *fix);
int wf_plan_delete_key(struct wf_plan *p, struct wf_hive *h,
		       enum wf_plan_hive which, const char *key, const char *fix);
/* Files: `exists`/`old_size` say what is there now (the caller looked). */
void wf_plan_copy_file(struct wf_plan *p, const char *src, const char *guest,
		       int exists, uint64_t old_size, const char *fix);
/* The same, naming where the file came from (an ISO, a cabinet). */
void wf_plan_copy_file_from(struct wf_plan *p, const char *src, const char *origin,
			    const char *guest, int exists, uint64_t old_size,
			    const char *fix);
void wf_plan_write_file(struct wf_plan *p, const char *guest, const void *data,
			size_t len, int exists, uint64_t old_size, const char *fix);

/* The value the plan will leave (1, with type, data and len pointing into
 * the plan), or that it deletes (0 with *deleted = 1), or that it does not
 * touch (0). */
int wf_plan_planned_value(const struct wf_plan *p, enum wf_plan_hive which,
			  const char *key, const char *name, uint32_t *type,
			  const unsigned char **data, size_t *len, int *deleted);
/* Will the key exist after the plan (1), be deleted (0), untouched (-1)? */
int wf_plan_planned_key(const struct wf_plan *p, enum wf_plan_hive which,
			const char *key);

/* Apply the registry actions of hive `which` to a writable hive (no
 * commit).  Errors name the key. */
int wf_plan_apply_hive(const struct wf_plan *p, enum wf_plan_hive which,
		       struct wf_hive *h, struct wf_error *e);
/* Check that hive h (reopened after the write) holds every action's
 * result.  -1 with the first action that does not hold. */
int wf_plan_verify_hive(const struct wf_plan *p, enum wf_plan_hive which,
			struct wf_hive *h, struct wf_error *e);

/* A typed value for people: "REG_DWORD 0x00000000 (0)", "REG_SZ \"x\"",
 * "REG_MULTI_SZ [\"a\", \"b\"]", "REG_BINARY 48 bytes: 00 ff 09 ...". */
void wf_plan_format_value(uint32_t type, const void *data, size_t len,
			  struct wf_strbuf *out);
/* The plan as a diff: per hive and key, "+ name = new", "~ name: old -> new",
 * "- name (was old)", "+ key", "- key (N values, M subkeys)"; files
 * "+ file (from src, N bytes)" / "~ file (replaces N bytes)"; then notes. */
void wf_plan_to_text(const struct wf_plan *p, struct wf_strbuf *out);
/* The same as JSON: {"fixes":[...], "actions":[{...}], "notes":[...]}. */
struct json_object *wf_plan_to_json(const struct wf_plan *p);
/* One action, for progress lines and the journal's reverse list. */
void wf_action_describe(const struct wf_action *a, struct wf_strbuf *out);
/* What undo does for this action ("restore Start = 3", "delete key X"). */
void wf_action_describe_reverse(const struct wf_action *a, struct wf_strbuf *out);

#endif
