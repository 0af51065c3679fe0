/*
 * fixes.c - the fix family table, id parsing, --auto selection, and what
 * builders share.
 */
#include "fixes.h"
#include "classes.h"
#include "finding.h"
#include "hive.h"
#include "text.h"
#include "winver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Order = the order builders run: injection first (it creates services
 * the database fixes then bind), the .reg import last (it is the
 * operator's own text and wins). */
const struct wf_fix_family wf_fix_families[] = {
	{ WF_FIXID(INJECT_VIRTIO), 1, "DRIVER",
	  "copy a VirtIO driver in from virtio-win: boot-critical for viostor/vioscsi, staged for Plug and Play otherwise",
	  wf_fix_inject_virtio },
	{ WF_FIXID(MERGEIDE), 0, NULL,
	  "XP/2003: the MergeIDE CriticalDeviceDatabase and IDE services (KB314082)",
	  wf_fix_mergeide },
	{ WF_FIXID(ENABLE_DRIVER), 1, "SERVICE",
	  "make an installed driver load at boot: Start 0, sane Type/ErrorControl/Group, no StartOverride",
	  wf_fix_enable_driver },
	{ WF_FIXID(DISABLE_DRIVER), 1, "SERVICE",
	  "stop a driver from loading: Start 4 (Last Known Good too), taken out of every filter list",
	  wf_fix_disable_driver },
	{ WF_FIXID(ADD_CDD), 1, "SERVICE",
	  "XP to 7: CriticalDeviceDatabase entries binding the controller's PCI ids to the driver",
	  wf_fix_add_cdd },
	{ WF_FIXID(DDB_ENTRY), 1, "SERVICE",
	  "8 and later: a DriverDatabase package binding the controller's PCI ids to the driver",
	  wf_fix_ddb_entry },
	{ WF_FIXID(DDB_VERSION), 1, "PACKAGE",
	  "8 and later: the Version value Kernel-PnP needs on a DriverDatabase package",
	  wf_fix_ddb_version },
	{ WF_FIXID(REMOVE_FILTER), 1, "CLASS-GUID-OR-DEVICE-INSTANCE:SERVICE",
	  "remove a filter driver that cannot load from UpperFilters/LowerFilters",
	  wf_fix_remove_filter },
	{ WF_FIXID(AUTOREBOOT_OFF), 0, NULL,
	  "keep the blue screen on screen: CrashControl AutoReboot = 0",
	  wf_fix_autoreboot_off },
	{ WF_FIXID(IMPORT_REG), 1, "FILE",
	  "apply a .reg file (HKEY_LOCAL_MACHINE\\SYSTEM and \\SOFTWARE) offline, shown as a plan",
	  wf_fix_import_reg },
};

const size_t wf_n_fix_families = sizeof wf_fix_families / sizeof wf_fix_families[0];

static size_t family_len(const char *id)
{
	const char *colon = strchr(id, ':');
	return colon ? (size_t)(colon - id) : strlen(id);
}

int wf_fix_in_family(const char *id, const char *family)
{
	size_t n = family_len(id);
	return n == strlen(family) && strncmp(id, family, n) == 0;
}

const struct wf_fix_family *wf_fix_family_of(const char *id)
{
	size_t n = family_len(id);
	for (size_t i = 0; i < wf_n_fix_families; i++)
		if (strlen(wf_fix_families[i].name) == n &&
		    strncasecmp(wf_fix_families[i].name, id, n) == 0)
			return &wf_fix_families[i];
	return NULL;
}

static int check_id(const char *id, const struct wf_fix_family **fam,
		    struct wf_error *e)
{
	*fam = wf_fix_family_of(id);
	if (!*fam) {
		char known[512] = "";
		for (size_t i = 0; i < wf_n_fix_families; i++)
			snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s%s",
				 i ? ", " : "", wf_fix_families[i].name,
				 wf_fix_families[i].takes_arg ? ":..." : "");
		return wf_error_set(e, WF_ERR_USAGE, "%s: unknown fix (known: %s)", id, known);
	}
	const char *colon = strchr(id, ':');
	if ((*fam)->takes_arg && (!colon || !colon[1]))
		return wf_error_set(e, WF_ERR_USAGE, "%s: needs an argument: %s:%s",
				    id, (*fam)->name, (*fam)->arg_help);
	if (!(*fam)->takes_arg && colon)
		return wf_error_set(e, WF_ERR_USAGE, "%s: %s takes no argument", id, (*fam)->name);
	return 0;
}

static int set_control_sets(struct wf_fixctx *c, struct wf_error *e)
{
	if (wf_hive_current_control_set(c->system, c->ccs, sizeof c->ccs, e) < 0)
		return -1;
	c->lkg[0] = '\0';
	unsigned lkg = wf_hive_select(c->system, "LastKnownGood");
	char name[32];
	snprintf(name, sizeof name, "ControlSet%03u", lkg);
	if (lkg && !wf_streqi(name, c->ccs) && wf_hive_lookup(c->system, name))
		snprintf(c->lkg, sizeof c->lkg, "%s", name);
	return 0;
}

int wf_fixes_build(struct wf_fixctx *c, const char *const *ids, size_t n,
		   struct wf_plan *p, struct wf_error *e)
{
	const struct wf_fix_family **fams = wf_xcalloc(n + 1, sizeof *fams);
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++)
		r = check_id(ids[i], &fams[i], e);
	if (r == 0 && (!c->system || !c->ver))
		r = wf_error_set(e, WF_ERR_INTERNAL, "fixes: no SYSTEM hive or Windows version given");
	if (r == 0)
		r = set_control_sets(c, e);
	for (size_t f = 0; f < wf_n_fix_families && r == 0; f++) {
		for (size_t i = 0; i < n && r == 0; i++) {
			if (fams[i] != &wf_fix_families[f])
				continue;
			int dup = 0;
			for (size_t k = 0; k < i; k++)
				dup |= strcasecmp(ids[k], ids[i]) == 0;
			if (dup)
				continue;
			const char *colon = strchr(ids[i], ':');
			wf_plan_add_fix(p, ids[i]);
			r = fams[i]->build(c, ids[i], colon ? colon + 1 : NULL, p, e);
		}
	}
	free(fams);
	return r;
}

void wf_fixes_from_findings(const struct wf_findings *f, char ***ids, size_t *n)
{
	*ids = NULL;
	*n = 0;
	for (size_t i = 0; i < f->n; i++)
		for (size_t k = 0; k < f->v[i].n_fixes; k++) {
			const char *id = f->v[i].fixes[k];
			int dup = 0;
			for (size_t j = 0; j < *n && !dup; j++)
				dup = strcasecmp((*ids)[j], id) == 0;
			if (dup)
				continue;
			*ids = wf_xrealloc(*ids, (*n + 1) * sizeof **ids);
			(*ids)[(*n)++] = wf_xstrdup(id);
		}
}

size_t wf_fix_sets(const struct wf_fixctx *c, const char *sets[2])
{
	sets[0] = c->ccs;
	if (c->current_only || !c->lkg[0])
		return 1;
	sets[1] = c->lkg;
	return 2;
}

struct wf_hive *wf_fix_hive(struct wf_fixctx *c, enum wf_plan_hive which)
{
	return which == WF_HIVE_SOFTWARE ? c->software : which == WF_HIVE_BCD ? c->bcd : c->system;
}

int wf_fix_key_exists(struct wf_fixctx *c, struct wf_plan *p,
		      enum wf_plan_hive which, const char *key)
{
	int planned = wf_plan_planned_key(p, which, key);
	if (planned >= 0)
		return planned;
	struct wf_hive *h = wf_fix_hive(c, which);
	return h && wf_hive_lookup(h, key) != 0;
}

/* --- DriverDatabase Version blob ----------------------------------------------------- */

int wf_guid_bytes(const char *guid, unsigned char out[16])
{
	unsigned a, b, cc, d[8];
	if (!guid || sscanf(guid, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &a, &b, &cc,
			    &d[0], &d[1], &d[2], &d[3], &d[4], &d[5], &d[6], &d[7]) != 11)
		return -1;
	for (int i = 0; i < 4; i++)
		out[i] = (unsigned char)(a >> (8 * i));
	out[4] = (unsigned char)b;
	out[5] = (unsigned char)(b >> 8);
	out[6] = (unsigned char)cc;
	out[7] = (unsigned char)(cc >> 8);
	for (int i = 0; i < 8; i++)
		out[8 + i] = (unsigned char)d[i];
	return 0;
}

/* Days from 1601-01-01 to y-m-d (proleptic Gregorian). */
static long long days_since_1601(int y, int m, int d)
{
	static const int cum[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	long long yy = y - 1601;
	long long days = yy * 365 + yy / 4 - yy / 100 + yy / 400 + cum[m - 1] + d - 1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return days + (leap && m > 2);
}

void wf_ddb_version_blob(const char *class_guid, const char *date,
			 const char *version, unsigned char out[48])
{
	memset(out, 0, 48);
	/* header as virt-v2v writes it (proven on 10/2016, seed 001) */
	out[1] = 0xff;
	out[2] = 0x09;
	if (wf_guid_bytes(class_guid, out + 8) < 0)
		wf_guid_bytes(WF_CLASS_SCSIADAPTER, out + 8);
	int mo, dd, yy;
	if (date && sscanf(date, "%d/%d/%d", &mo, &dd, &yy) == 3 && mo >= 1 && mo <= 12 &&
	    dd >= 1 && dd <= 31 && yy >= 1601 && yy < 30000) {
		unsigned long long ft = (unsigned long long)days_since_1601(yy, mo, dd) *
					86400ULL * 10000000ULL;
		for (int i = 0; i < 8; i++)
			out[24 + i] = (unsigned char)(ft >> (8 * i));
	}
	unsigned v[4] = { 0, 0, 0, 0 };
	if (version && sscanf(version, "%u.%u.%u.%u", &v[0], &v[1], &v[2], &v[3]) >= 1) {
		/* little-endian u64 of four u16: build.revision low, major high */
		unsigned long long ver = (unsigned long long)(v[0] & 0xffff) << 48 |
					 (unsigned long long)(v[1] & 0xffff) << 32 |
					 (unsigned long long)(v[2] & 0xffff) << 16 | (v[3] & 0xffff);
		for (int i = 0; i < 8; i++)
			out[32 + i] = (unsigned char)(ver >> (8 * i));
	}
}
