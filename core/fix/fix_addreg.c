/*
 * fix_addreg.c - an INF's AddReg lines into a plan (see fix_addreg.h).
 */
#include "fix_addreg.h"
#include "fixes.h"
#include "hive.h"
#include "inf.h"
#include "strbuf.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* The hive and key of an HKLM line; NULL when it is not carried. */
static char *hklm_key(const struct wf_inf_reg *r, const char *set, enum wf_plan_hive *which)
{
	static const char ccs[] = "System\\CurrentControlSet\\";
	if (wf_startswithi(r->subkey, ccs)) {
		*which = WF_HIVE_SYSTEM;
		return wf_xasprintf("%s\\%s", set, r->subkey + strlen(ccs));
	}
	if (wf_startswithi(r->subkey, "Software\\")) {
		*which = WF_HIVE_SOFTWARE;
		return wf_xstrdup(r->subkey + strlen("Software\\"));
	}
	return NULL;
}

/* Does the value exist, after what the plan does so far? */
static int value_exists(struct wf_fixctx *c, struct wf_plan *p, enum wf_plan_hive which,
			const char *key, const char *name)
{
	uint32_t t;
	const unsigned char *d;
	size_t len;
	int del;
	if (wf_plan_planned_value(p, which, key, name, &t, &d, &len, &del))
		return 1;
	if (del)
		return 0;
	struct wf_hive *h = wf_fix_hive(c, which);
	return h && wf_hive_value_exists(h, wf_hive_lookup(h, key), name) == 1;
}

static void put(struct wf_fixctx *c, struct wf_plan *p, const char *fix, enum wf_plan_hive which,
		const char *key, const struct wf_inf_reg *r)
{
	struct wf_hive *h = wf_fix_hive(c, which);
	if (r->key_only) {
		wf_plan_mkkey(p, h, which, key, fix);
		return;
	}
	int there = value_exists(c, p, which, key, r->name);
	if ((r->flags & WF_ADDREG_NOCLOBBER) && there)
		return;
	if ((r->flags & WF_ADDREG_OVERWRITEONLY) && !there)
		return;
	if (r->type == WF_REG_SZ || r->type == WF_REG_EXPAND_SZ)
		wf_plan_set_string(p, h, which, key, r->name, r->type, r->n_strs ? r->strs[0] : "", fix);
	else if (r->type == WF_REG_MULTI_SZ)
		wf_plan_set_multi(p, h, which, key, r->name, (const char *const *)r->strs, r->n_strs, fix);
	else
		wf_plan_set(p, h, which, key, r->name, r->type, r->data, r->len, fix);
}

size_t wf_fix_addreg(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		     enum wf_plan_hive which, const char *base, const char *set,
		     const struct wf_inf_reg *v, size_t n, int allow_hklm)
{
	size_t done = 0;
	for (size_t i = 0; i < n; i++) {
		const struct wf_inf_reg *r = &v[i];
		int hkr = strcmp(r->root, "HKR") == 0, hklm = strcmp(r->root, "HKLM") == 0;
		if (hklm && !allow_hklm)
			continue;
		enum wf_plan_hive w = which;
		char *key = NULL;
		if (hkr)
			key = *r->subkey ? wf_xasprintf("%s\\%s", base, r->subkey) : wf_xstrdup(base);
		else if (hklm)
			key = hklm_key(r, set, &w);
		if (!key || (r->flags & (WF_ADDREG_DELVAL | WF_ADDREG_APPEND)) || !wf_fix_hive(c, w)) {
			wf_plan_note(p, "%s: INF line \"%s, %s, %s, 0x%08x\" not carried offline (Windows "
				     "applies it when it installs the package)", fix, r->root, r->subkey,
				     r->name, r->flags);
			free(key);
			continue;
		}
		put(c, p, fix, w, key, r);
		free(key);
		done++;
	}
	return done;
}
