/*
 * fix_service.c - enable-driver, disable-driver, autoreboot-off,
 * remove-filter.
 *
 * Facts used (../shared/knowledge/anchors-and-recipes.md):
 *  - A boot storage driver needs Start 0, Type 1 (SERVICE_KERNEL_DRIVER)
 *    and a Group that ServiceGroupOrder lists (MS "Specifying Driver Load
 *    Order"; KB922976 for msahci/iaStorV; §4 checks 2-6).
 *  - Windows 8+ StartOverride\<n> overrides Start; the community cure is to
 *    delete it (§2, [U] semantics).  We delete the subkey.
 *  - ErrorControl 0..3 (MS AddService); 1 = normal.
 *  - Network drivers are demand-start (3): PnP loads them.
 *  - Edit the current control set and LastKnownGood's, else F8 "Last Known
 *    Good" brings the broken state back (§4 LKG notes).
 *  - Filters: a filter service that cannot load breaks the device stack
 *    (KB811408); removing it from the class/device UpperFilters or
 *    LowerFilters is the cure (virt-v2v removes prl_strg the same way,
 *    virtio-injection-virt-v2v.md §3.3).
 *  - AutoReboot = 0 keeps a stop screen visible (virt-v2v sets it, §3.3).
 *  - Disabling: Start = 4 (SERVICE_DISABLED, MS "CreateServiceA"
 *    dwStartType) is how virt-v2v turns off rhelscsi and Parallels'
 *    prl_* drivers (§3.3) and the cure for intelppm's 0x7E on AMD
 *    (anchors-and-recipes.md §4 check 14).  A disabled service that is
 *    still listed as a filter stops its whole device stack (KB811408), so
 *    the same plan takes it out of every class and device filter list.
 */
#include "controllers.h"
#include "fixes.h"
#include "hive.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Start and group a service needs on this Windows: its row in the
 * controller catalogue (controller drivers and the storage stack), with
 * the Group of its era (wf_ctrl_group).  -1 unknown.  *group NULL: the
 * in-box service has none there, so none is added. */
static int wanted(const struct wf_fixctx *c, const char *svc, uint32_t *start, const char **group)
{
	const struct wf_ctrl_driver *d = wf_ctrl_service(svc, NULL);
	if (!d)
		return -1;
	*start = d->start;
	*group = wf_ctrl_group(d, wf_winver_code(c->ver));
	return 0;
}

static int group_listed(struct wf_hive *h, const char *set, const char *group)
{
	char *key = wf_xasprintf("%s\\Control\\ServiceGroupOrder", set);
	wf_node n = wf_hive_lookup(h, key);
	free(key);
	size_t cnt = 0;
	char **list = n ? wf_hive_get_multi(h, n, "List", &cnt) : NULL;
	int found = !list;	/* nothing to judge against: leave it */
	for (size_t i = 0; i < cnt && !found; i++)
		found = wf_streqi(list[i], group);
	wf_strv_free(list, cnt);
	return found;
}

static void enable_in_set(struct wf_fixctx *c, struct wf_plan *p, const char *id,
			  const char *set, const char *svc, uint32_t start,
			  const char *group)
{
	struct wf_hive *h = c->system;
	char *key = wf_xasprintf("%s\\Services\\%s", set, svc);
	wf_node n = wf_hive_lookup(h, key);
	uint32_t v;
	wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, key, "Start", start, id);
	if (wf_hive_get_dword(h, n, "Type", &v) < 0 || (v != 1 && v != 2))
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, key, "Type", 1, id);
	if (wf_hive_get_dword(h, n, "ErrorControl", &v) < 0 || v > 3)
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, key, "ErrorControl", 1, id);
	char *g = wf_hive_get_string(h, n, "Group");
	if (group && (!g || !*g || !group_listed(h, set, g)))
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, key, "Group", WF_REG_SZ, group, id);
	free(g);
	char *so = wf_xasprintf("%s\\StartOverride", key);
	wf_plan_delete_key(p, h, WF_HIVE_SYSTEM, so, id);
	free(so);
	free(key);
}

int wf_fix_enable_driver(struct wf_fixctx *c, const char *id, const char *arg,
			 struct wf_plan *p, struct wf_error *e)
{
	uint32_t start;
	const char *group;
	if (wanted(c, arg, &start, &group) < 0)
		return wf_error_set(e, WF_ERR_USAGE,
				    "%s: %s is not a storage or network driver virt-winfix knows how to enable",
				    id, arg);
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	char *key = wf_xasprintf("%s\\Services\\%s", c->ccs, arg);
	int exists = wf_fix_key_exists(c, p, WF_HIVE_SYSTEM, key);
	free(key);
	if (!exists)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: no Services\\%s in %s: the driver is not installed (for VirtIO drivers use inject-virtio:%s)",
				    id, arg, c->ccs, arg);
	for (size_t i = 0; i < n; i++) {
		char *k = wf_xasprintf("%s\\Services\\%s", sets[i], arg);
		if (i == 0 || wf_hive_lookup(c->system, k))
			enable_in_set(c, p, id, sets[i], arg, start, group);
		else
			wf_plan_note(p, "%s: %s has no Services\\%s; Last Known Good stays without it",
				     id, sets[i], arg);
		free(k);
	}
	return 0;
}

int wf_fix_autoreboot_off(struct wf_fixctx *c, const char *id, const char *arg,
			  struct wf_plan *p, struct wf_error *e)
{
	(void)arg;
	(void)e;
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	for (size_t i = 0; i < n; i++) {
		char *key = wf_xasprintf("%s\\Control\\CrashControl", sets[i]);
		wf_plan_set_dword(p, c->system, WF_HIVE_SYSTEM, key, "AutoReboot", 0, id);
		free(key);
	}
	return 0;
}

/* --- disable-driver ----------------------------------------------------------------- */

/* Services no Windows boots without, besides the controller catalogue's
 * storage stack: boot-start (Start 0) in every fixture hive, XP to 10
 * (../shared/fixtures/hives), and Ntfs, which the file system recognizer
 * loads for the boot volume. */
static const char *const essential[] = {
	"ACPI", "pci", "mountmgr", "FltMgr", "KSecDD", "CNG", "Wdf01000",
	"volmgrx", "msisadrv", "vdrvroot", "Mup", "Ntfs", NULL,
};

static int refused(const char *svc, const char **why)
{
	const struct wf_ctrl_driver *d = wf_ctrl_service(svc, NULL);
	if (d) {
		*why = "a storage or network driver of the controller catalogue (disabling it can stop the boot; "
		       "a controller the VM does not present never loads anyway)";
		return 1;
	}
	for (size_t i = 0; essential[i]; i++)
		if (wf_streqi(essential[i], svc)) {
			*why = "a service every Windows needs to boot";
			return 1;
		}
	return 0;
}

static int drop_filter(struct wf_fixctx *c, struct wf_plan *p, const char *id,
		       const char *key, const char *value, const char *svc);

/* Take `svc` out of the filter lists of every key below `base` at depth
 * `depth` (1: Control\Class\<guid>, 3: Enum\<bus>\<id>\<instance>). */
static void drop_filters_below(struct wf_fixctx *c, struct wf_plan *p, const char *id,
			       const char *base, int depth, const char *svc)
{
	struct wf_hive *h = c->system;
	wf_node n = wf_hive_lookup(h, base);
	size_t cnt = 0;
	wf_node *kids = n ? wf_hive_children(h, n, &cnt) : NULL;
	for (size_t i = 0; i < cnt; i++) {
		char *name = wf_hive_node_name(h, kids[i]);
		char *key = wf_xasprintf("%s\\%s", base, name ? name : "");
		if (depth > 1)
			drop_filters_below(c, p, id, key, depth - 1, svc);
		else if (wf_hive_value_exists(h, kids[i], "UpperFilters") ||
			 wf_hive_value_exists(h, kids[i], "LowerFilters")) {
			drop_filter(c, p, id, key, "UpperFilters", svc);
			drop_filter(c, p, id, key, "LowerFilters", svc);
		}
		free(key);
		free(name);
	}
	free(kids);
}

int wf_fix_disable_driver(struct wf_fixctx *c, const char *id, const char *arg,
			  struct wf_plan *p, struct wf_error *e)
{
	const char *why;
	if (refused(arg, &why))
		return wf_error_set(e, WF_ERR_USAGE, "%s: refused: %s is %s", id, arg, why);
	char *key = wf_xasprintf("%s\\Services\\%s", c->ccs, arg);
	int exists = wf_fix_key_exists(c, p, WF_HIVE_SYSTEM, key);
	free(key);
	if (!exists)
		return wf_error_set(e, WF_ERR_INPUT, "%s: no Services\\%s in %s: nothing to disable",
				    id, arg, c->ccs);
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	for (size_t i = 0; i < n; i++) {
		char *k = wf_xasprintf("%s\\Services\\%s", sets[i], arg);
		if (wf_hive_lookup(c->system, k)) {
			wf_plan_set_dword(p, c->system, WF_HIVE_SYSTEM, k, "Start", 4, id);
			char *so = wf_xasprintf("%s\\StartOverride", k);
			wf_plan_delete_key(p, c->system, WF_HIVE_SYSTEM, so, id);
			free(so);
		}
		free(k);
		char *cls = wf_xasprintf("%s\\Control\\Class", sets[i]);
		char *en = wf_xasprintf("%s\\Enum", sets[i]);
		drop_filters_below(c, p, id, cls, 1, arg);
		drop_filters_below(c, p, id, en, 3, arg);
		free(en);
		free(cls);
	}
	wf_plan_note(p, "%s: %s will not load (Start = 4); virt-winfix undo brings it back", id, arg);
	return 0;
}

/* A REG_MULTI_SZ as planned (bounded by len), NULL-free list. */
static char **multi_from(const unsigned char *d, size_t l, size_t *n)
{
	char **v = wf_xcalloc(1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i + 1 < l;) {
		size_t j = i;
		while (j + 1 < l && (d[j] | d[j + 1]))
			j += 2;
		if (j == i)
			break;
		v = wf_xrealloc(v, (*n + 2) * sizeof *v);
		v[(*n)++] = wf_utf16le_to_utf8(d + i, j - i);
		v[*n] = NULL;
		i = j + 2;
	}
	return v;
}

/* The filter list value as the plan leaves it so far (another fix of the
 * same plan may have changed it), else as the hive has it. */
static char **filter_list(struct wf_fixctx *c, struct wf_plan *p, const char *key,
			  const char *value, size_t *cnt)
{
	uint32_t type;
	const unsigned char *data;
	size_t len;
	int deleted = 0;
	*cnt = 0;
	if (wf_plan_planned_value(p, WF_HIVE_SYSTEM, key, value, &type, &data, &len, &deleted) == 1)
		return type == WF_REG_MULTI_SZ ? multi_from(data, len, cnt) : NULL;
	if (deleted)
		return NULL;
	wf_node n = wf_hive_lookup(c->system, key);
	return n ? wf_hive_get_multi(c->system, n, value, cnt) : NULL;
}

/* Remove `svc` from one filter list value; 1 when it was there. */
static int drop_filter(struct wf_fixctx *c, struct wf_plan *p, const char *id,
		       const char *key, const char *value, const char *svc)
{
	size_t cnt = 0;
	char **list = filter_list(c, p, key, value, &cnt);
	const char **keep = wf_xcalloc(cnt + 1, sizeof *keep);
	size_t nk = 0;
	for (size_t i = 0; i < cnt; i++)
		if (!wf_streqi(list[i], svc) && list[i][0])
			keep[nk++] = list[i];
	int found = list && nk < cnt;
	if (found && nk)
		wf_plan_set_multi(p, c->system, WF_HIVE_SYSTEM, key, value, keep, nk, id);
	else if (found)
		wf_plan_delete_value(p, c->system, WF_HIVE_SYSTEM, key, value, id);
	free(keep);
	wf_strv_free(list, cnt);
	return found;
}

int wf_fix_remove_filter(struct wf_fixctx *c, const char *id, const char *arg,
			 struct wf_plan *p, struct wf_error *e)
{
	const char *colon = strrchr(arg, ':');
	if (!colon || colon == arg || !colon[1])
		return wf_error_set(e, WF_ERR_USAGE,
				    "%s: expected remove-filter:<class GUID or device instance>:<service>", id);
	char *scope = wf_xstrndup(arg, (size_t)(colon - arg));
	const char *svc = colon + 1;
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		char *key = wf_xasprintf(scope[0] == '{' ? "%s\\Control\\Class\\%s" : "%s\\Enum\\%s",
					 sets[i], scope);
		found |= drop_filter(c, p, id, key, "UpperFilters", svc);
		found |= drop_filter(c, p, id, key, "LowerFilters", svc);
		free(key);
	}
	int r = 0;
	if (!found)
		r = wf_error_set(e, WF_ERR_INPUT, "%s: %s is not in the UpperFilters or LowerFilters of %s in %s",
				 id, svc, scope, c->ccs);
	free(scope);
	return r;
}
