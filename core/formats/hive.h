/*
 * hive.h - a Windows registry hive file, opened with hivex.
 *
 * Paths are '\\'-separated key names from the hive root, looked up
 * case-insensitively ("ControlSet001\\Services\\viostor"); a leading '\\'
 * is allowed and "" is the root.  A path that starts with
 * "CurrentControlSet" is resolved through Select\Default, the set the
 * loader boots (the hive file has no CurrentControlSet key; it is a link
 * the kernel makes at boot to the Default set, or to LastKnownGood when
 * the operator picks it), falling back to Select\Current.
 *
 *   struct wf_error err;
 *   struct wf_hive *h = wf_hive_open("/tmp/SYSTEM", "SYSTEM", 0, &err);
 *   wf_node svc = wf_hive_lookup(h, "CurrentControlSet\\Services\\viostor");
 *   uint32_t start;
 *   if (svc && wf_hive_get_dword(h, svc, "Start", &start) == 0) ...
 *   wf_hive_close(h);
 *
 * Writing: open with writable=1, change, then wf_hive_commit(h, tmp, &err)
 * and rename(2) tmp over the original; hivex writes a complete new file.
 */
#ifndef WF_HIVE_H
#define WF_HIVE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Registry value types (winnt.h). */
enum {
	WF_REG_NONE = 0,
	WF_REG_SZ = 1,
	WF_REG_EXPAND_SZ = 2,
	WF_REG_BINARY = 3,
	WF_REG_DWORD = 4,
	WF_REG_DWORD_BE = 5,
	WF_REG_LINK = 6,
	WF_REG_MULTI_SZ = 7,
	WF_REG_QWORD = 11,
};

struct wf_hive;
typedef size_t wf_node;		/* 0 = no such key */

/* Open a hive file.  `name` ("SYSTEM", "SOFTWARE") labels messages.  A file
 * that is not a hive, or is damaged, gives a one-line error naming it. */
struct wf_hive *wf_hive_open(const char *path, const char *name, int writable,
			     struct wf_error *e);
void wf_hive_close(struct wf_hive *h);
const char *wf_hive_name(const struct wf_hive *h);
const char *wf_hive_path(const struct wf_hive *h);
wf_node wf_hive_root(struct wf_hive *h);

/* Key lookup (see above); 0 when absent. */
wf_node wf_hive_lookup(struct wf_hive *h, const char *path);
wf_node wf_hive_lookup_from(struct wf_hive *h, wf_node from, const char *path);
wf_node wf_hive_child(struct wf_hive *h, wf_node parent, const char *name);
/* Key name, malloc'd UTF-8. */
char *wf_hive_node_name(struct wf_hive *h, wf_node node);
/* Children, malloc'd array of *n nodes (NULL when none). */
wf_node *wf_hive_children(struct wf_hive *h, wf_node node, size_t *n);
/* Value names of a key, malloc'd array of malloc'd strings. */
char **wf_hive_value_names(struct wf_hive *h, wf_node node, size_t *n);
void wf_strv_free(char **v, size_t n);

/* "ControlSet00N" of the set the loader boots, Select\Default (else
 * Select\Current when Default is absent or 0), into buf.  -1 with a
 * message when Select is missing or names a control set that does not
 * exist.  Diagnose and fix read and write this set. */
int wf_hive_current_control_set(struct wf_hive *h, char *buf, size_t n,
				struct wf_error *e);
/* The same for another Select value: "Default", "LastKnownGood", "Failed".
 * Returns the number (0 when absent). */
unsigned wf_hive_select(struct wf_hive *h, const char *which);

/* Getters.  `value` NULL or "" is the key's default value.  Return -1 when
 * the value is absent or of an unsuitable type. */
int wf_hive_get_raw(struct wf_hive *h, wf_node node, const char *value,
		    uint32_t *type, void **data, size_t *len);
int wf_hive_get_dword(struct wf_hive *h, wf_node node, const char *value,
		      uint32_t *out);
/* REG_SZ / REG_EXPAND_SZ (and REG_MULTI_SZ: first string) as UTF-8. */
char *wf_hive_get_string(struct wf_hive *h, wf_node node, const char *value);
/* REG_MULTI_SZ as a malloc'd vector of *n UTF-8 strings (also accepts a
 * REG_SZ, as one element).  NULL when absent. */
char **wf_hive_get_multi(struct wf_hive *h, wf_node node, const char *value,
			 size_t *n);
int wf_hive_value_exists(struct wf_hive *h, wf_node node, const char *value);

/* Writers: the hive must be open writable. */
wf_node wf_hive_mkpath(struct wf_hive *h, const char *path, struct wf_error *e);
int wf_hive_set_value(struct wf_hive *h, wf_node node, const char *value,
		      uint32_t type, const void *data, size_t len,
		      struct wf_error *e);
int wf_hive_set_dword(struct wf_hive *h, wf_node node, const char *value,
		      uint32_t v, struct wf_error *e);
/* type WF_REG_SZ or WF_REG_EXPAND_SZ */
int wf_hive_set_string(struct wf_hive *h, wf_node node, const char *value,
		       uint32_t type, const char *utf8, struct wf_error *e);
int wf_hive_set_multi(struct wf_hive *h, wf_node node, const char *value,
		      const char *const *strs, size_t n, struct wf_error *e);
/* Deleting what does not exist is not an error. */
int wf_hive_delete_value(struct wf_hive *h, wf_node node, const char *value,
			 struct wf_error *e);
int wf_hive_delete_key(struct wf_hive *h, wf_node node, struct wf_error *e);
/* Write the hive to `path` (NULL: the file it was opened from). */
int wf_hive_commit(struct wf_hive *h, const char *path, struct wf_error *e);

#endif
