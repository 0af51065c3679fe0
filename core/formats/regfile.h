/*
 * regfile.h - read Windows .reg files ("Windows Registry Editor Version
 * 5.00" and "REGEDIT4") and apply them to a hive.
 *
 * Operators already have .reg fixes (MergeIDE.reg and the like); the test
 * kit builds every scenario hive from readable .reg text.  Parsing and
 * applying are separate so that a later fix can show a .reg as a plan.
 *
 *   struct wf_regfile r;
 *   if (wf_regfile_parse("fix.reg", &r, &err) < 0) ...
 *   wf_regfile_apply(&r, hive, "HKEY_LOCAL_MACHINE\\SYSTEM", &err);
 *   wf_regfile_free(&r);
 */
#ifndef WF_REGFILE_H
#define WF_REGFILE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct wf_hive;

enum wf_regop_kind {
	WF_REGOP_KEY,		/* [key]: create if missing */
	WF_REGOP_DELETE_KEY,	/* [-key]: delete with all subkeys */
	WF_REGOP_VALUE,		/* "name"=data: set */
	WF_REGOP_DELETE_VALUE,	/* "name"=-: delete */
};

struct wf_reg_op {
	enum wf_regop_kind kind;
	char *key;		/* full key path as written, e.g. "HKEY_LOCAL_MACHINE\\SYSTEM\\Select" */
	char *name;		/* value name; "" for the default value (@) */
	uint32_t type;		/* WF_REG_* for VALUE */
	unsigned char *data;	/* value bytes as stored in the hive (strings UTF-16LE + NUL) */
	size_t len;
	unsigned long line;	/* line in the .reg file where the entry started */
};

struct wf_regfile {
	char *path;
	struct wf_reg_op *ops;
	size_t n;
};

/* Parse a .reg file: UTF-16LE with BOM, UTF-8 (with or without BOM) or ANSI
 * (Latin-1); CRLF or LF; '\' line continuations; ';' comments; @ default
 * values; "str", dword:, hex:, hex(N): and hivex's str(N): forms.  Errors
 * name the file and line. */
int wf_regfile_parse(const char *path, struct wf_regfile *out, struct wf_error *e);
int wf_regfile_parse_mem(const char *name, const void *buf, size_t len,
			 struct wf_regfile *out, struct wf_error *e);
void wf_regfile_free(struct wf_regfile *r);

/* Apply to an open, writable hive.  Keys must start with `prefix` (for
 * example "HKEY_LOCAL_MACHINE\\SYSTEM", also matched as "HKLM\\SYSTEM"),
 * which is mapped to the hive root; "CurrentControlSet" right under it is
 * resolved through Select\Current.  Missing parent keys are created.  A key
 * outside the prefix is an error naming the file and line.  Does not commit. */
int wf_regfile_apply(const struct wf_regfile *r, struct wf_hive *h,
		     const char *prefix, struct wf_error *e);

#endif
