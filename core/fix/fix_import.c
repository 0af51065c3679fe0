/*
 * fix_import.c - import-reg:FILE: a .reg file (MergeIDE.reg and the like,
 * regedit's "Windows Registry Editor Version 5.00" or REGEDIT4) turned
 * into plan actions, so it is shown, backed up and undone like any fix.
 *
 * Keys must lie under HKEY_LOCAL_MACHINE\SYSTEM or \SOFTWARE (also spelled
 * HKLM\...); "CurrentControlSet" right below SYSTEM is the current control
 * set (the hive file has no such key).  Parsing: core/regfile.c.
 */
#include "fixes.h"
#include "hive.h"
#include "regfile.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hive and hive-relative key of a .reg key path; NULL when outside. */
static char *map_key(const struct wf_fixctx *c, const char *full,
		     enum wf_plan_hive *which)
{
	static const char *const roots[] = { "HKEY_LOCAL_MACHINE\\", "HKLM\\", NULL };
	const char *rest = NULL;
	for (int i = 0; roots[i] && !rest; i++)
		if (wf_startswithi(full, roots[i]))
			rest = full + strlen(roots[i]);
	if (!rest)
		return NULL;
	static const struct { const char *name; enum wf_plan_hive h; } hives[] = {
		{ "SYSTEM", WF_HIVE_SYSTEM }, { "SOFTWARE", WF_HIVE_SOFTWARE },
	};
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(hives[i].name);
		if (!wf_startswithi(rest, hives[i].name) || (rest[n] && rest[n] != '\\'))
			continue;
		*which = hives[i].h;
		rest += n;
		rest += *rest == '\\';
		if (hives[i].h == WF_HIVE_SYSTEM && wf_startswithi(rest, "CurrentControlSet") &&
		    (rest[17] == '\0' || rest[17] == '\\'))
			return wf_xasprintf("%s%s", c->ccs, rest + 17);
		return wf_xstrdup(rest);
	}
	return NULL;
}

static int import_op(struct wf_fixctx *c, const char *id, const struct wf_regfile *r,
		     const struct wf_reg_op *op, struct wf_plan *p, struct wf_error *e)
{
	enum wf_plan_hive which = WF_HIVE_SYSTEM;
	char *key = map_key(c, op->key, &which);
	if (!key)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: %s: line %lu: key %s is not under HKEY_LOCAL_MACHINE\\SYSTEM or \\SOFTWARE",
				    id, r->path, op->line, op->key);
	struct wf_hive *h = wf_fix_hive(c, which);
	int rc = 0;
	if (!h)
		rc = wf_error_set(e, WF_ERR_INPUT, "%s: %s: line %lu: no %s hive to apply it to",
				  id, r->path, op->line, wf_plan_hive_name(which));
	else if (!*key && op->kind != WF_REGOP_KEY && op->kind != WF_REGOP_VALUE)
		rc = wf_error_set(e, WF_ERR_INPUT, "%s: %s: line %lu: refusing to delete the root of %s",
				  id, r->path, op->line, wf_plan_hive_name(which));
	else if (op->kind == WF_REGOP_KEY)
		wf_plan_mkkey(p, h, which, key, id);
	else if (op->kind == WF_REGOP_DELETE_KEY)
		wf_plan_delete_key(p, h, which, key, id);
	else if (op->kind == WF_REGOP_VALUE)
		wf_plan_set(p, h, which, key, op->name, op->type, op->data, op->len, id);
	else
		wf_plan_delete_value(p, h, which, key, op->name, id);
	free(key);
	return rc;
}

int wf_fix_import_reg(struct wf_fixctx *c, const char *id, const char *arg,
		      struct wf_plan *p, struct wf_error *e)
{
	struct wf_regfile r;
	if (wf_regfile_parse(arg, &r, e) < 0)
		return wf_error_prefix(e, "%s", id);
	int rc = 0;
	for (size_t i = 0; i < r.n && rc == 0; i++)
		rc = import_op(c, id, &r, &r.ops[i], p, e);
	wf_regfile_free(&r);
	return rc;
}
