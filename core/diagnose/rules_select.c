/*
 * rules_select.c - control sets and crash settings.
 *
 *  - SYSTEM\Select: Current, Default, LastKnownGood, Failed name the
 *    ControlSet00N sets; the loader boots Default (c->ccs_name); "Last Known Good Configuration" (F8 on XP-7)
 *    boots LastKnownGood instead.  It helps only when that set differs
 *    where it matters (anchors-and-recipes.md §4, LKG notes).
 *  - Control\CrashControl\AutoReboot = 1 restarts at once on a stop
 *    error, so the stop code flashes by; virt-v2v sets it to 0 "so the
 *    infamous 0x7B stays visible" (virtio-injection-virt-v2v.md §3.3).
 */
#include "rules.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void wf_rule_lkg(struct wf_rctx *c, const struct wf_rule *r)
{
	unsigned cur = (unsigned)strtoul(c->ccs_name + strlen("ControlSet"), NULL, 10);
	unsigned lkg = wf_hive_select(c->sys, "LastKnownGood");
	if (!lkg || lkg == cur)
		return;
	char name[32];
	snprintf(name, sizeof name, "ControlSet%03u", lkg);
	wf_node set = wf_hive_lookup(c->sys, name);
	wf_node svcs = wf_hive_child(c->sys, set, "Services");
	if (!svcs)
		return;
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		for (size_t k = 0; k < b->n_svc && b->t->boot; k++) {
			const struct wf_svc *s = b->svc[k];
			const char *why_cur, *why_lkg;
			int ok_cur = wf_svc_boot_ok(c->sys, c->services, s->name, &why_cur);
			int ok_lkg = wf_svc_boot_ok(c->sys, svcs, s->name, &why_lkg);
			if (ok_cur == ok_lkg)
				continue;
			const char *verdict = ok_lkg ? "Last Known Good would load it" :
						      "choosing Last Known Good would lose it";
			struct wf_finding *f = wf_rule_emit(c, r->id,
							    ok_lkg ? WF_SEV_WARNING : WF_SEV_INFO,
							    s->name, name, s->name, verdict);
			wf_rule_about(c, b->kind);
			wf_finding_set(&f->explanation,
				       "The current control set (%s) and the Last Known Good set (%s) differ for %s: "
				       "current: %s; Last Known Good: %s. %s",
				       c->ccs_name, name, s->name, why_cur, why_lkg,
				       ok_lkg ? "Booting \"Last Known Good Configuration\" once may get past 0x7B; fixing the current set is better." :
				       "If someone picks \"Last Known Good Configuration\", the boot driver is off again; a fix should cover both sets.");
			char *k1 = wf_xasprintf("Select");
			wf_rule_hive_evidence(c, f, k1, "boot set (Default) = %u, LastKnownGood = %u", cur, lkg);
			free(k1);
			k1 = wf_xasprintf("%s\\Services\\%s", name, s->name);
			wf_rule_hive_evidence(c, f, k1, "%s", why_lkg);
			free(k1);
			wf_finding_add_fix_for(f, WF_FIXID(ENABLE_DRIVER), s->name);
		}
	}
}

void wf_rule_autoreboot(struct wf_rctx *c, const struct wf_rule *r)
{
	wf_node cc = wf_hive_child(c->sys, c->control, "CrashControl");
	uint32_t v;
	if (!cc || wf_hive_get_dword(c->sys, cc, "AutoReboot", &v) < 0 || v != 1)
		return;
	struct wf_finding *f = wf_rule_emit(c, r->id, -1, NULL, NULL, NULL, NULL);
	wf_finding_set(&f->explanation,
		       "On a stop error Windows writes its dump and restarts at once, so a 0x7B flashes by and "
		       "the VM looks like it is stuck in a reboot loop. With AutoReboot = 0 the blue screen stays.");
	char *key = wf_rctx_ccs_path(c, "Control\\CrashControl");
	wf_rule_hive_evidence(c, f, key, "AutoReboot = 1");
	free(key);
	wf_finding_add_fix(f, WF_FIXID(AUTOREBOOT_OFF));
}
