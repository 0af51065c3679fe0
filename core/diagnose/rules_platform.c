/*
 * rules_platform.c - what the old platform and the guest's policies leave
 * behind that matters once the guest runs on KVM.
 *
 *  - Drivers of the old hypervisor's tools that still load at boot
 *    (Start 0-2): the table in core/facts/platforms.c says which hurt.
 *  - intelppm / processr on XP / 2003: the Intel processor power driver
 *    stops the boot with 0x7E on AMD hosts; the cure is Start = 4
 *    (../shared/knowledge/anchors-and-recipes.md §4 check 14; the Perl
 *    virt-v2v deleted Intelppm and Processor for that reason, §3.3 of
 *    virtio-injection-virt-v2v.md).  From Vista on, Windows loads the
 *    driver that matches the CPU (intelppm / amdppm) itself.
 *  - partmgr\Parameters\SanPolicy: 2 OfflineShared, 3 OfflineAll,
 *    4 OfflineInternal take disks offline when they appear on a new bus
 *    (MS unattend setting Microsoft-Windows-PartitionManager/SanPolicy;
 *    Server editions default to OfflineShared); virt-v2v runs an
 *    "online-disks" script at first boot for this (RHEL-55837, §3.2).
 */
#include "platforms.h"
#include "rules.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int loads_at_boot(const struct wf_svc *s)
{
	return s->node && s->has_start && s->start <= 2;
}

void wf_rule_old_platform(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < wf_n_platform_drivers; i++) {
		const struct wf_platform_driver *d = &wf_platform_drivers[i];
		if (d->inbox_ver && (!c->winver || c->winver >= d->inbox_ver))
			continue;	/* part of this Windows, not a leftover */
		struct wf_svc *s = wf_rctx_svc(c, d->service);
		if (!loads_at_boot(s))
			continue;
		char start[16];
		snprintf(start, sizeof start, "%u", s->start);
		struct wf_finding *f = wf_rule_emit(c, r->id, d->harmful ? WF_SEV_WARNING : WF_SEV_INFO,
						    s->name, s->name, d->platform, NULL);
		wf_finding_set(&f->explanation,
			       "%s is %s, left by the %s tools, and still starts at boot (Start = %s, %s). %s",
			       s->name, d->why, d->platform, start, wf_start_name(s->start),
			       d->harmful ? "On KVM it can stop or stall the boot; disable it (Start = 4) once the guest "
					    "runs on KVM, or uninstall the old tools first." :
					    "It is harmless on KVM; uninstall the old tools when convenient.");
		wf_finding_set(&f->next_check, "Source: %s", d->src);
		if (d->harmful)
			wf_finding_add_fix_for(f, WF_FIXID(DISABLE_DRIVER), s->name);
		char *key = wf_rctx_ccs_path(c, "Services\\");
		char *full = wf_xasprintf("%s%s", key, s->name);
		wf_rule_hive_evidence(c, f, full, "Start = %s", start);
		free(full);
		free(key);
	}
}

void wf_rule_cpu_driver(struct wf_rctx *c, const struct wf_rule *r)
{
	static const char *const names[] = { "intelppm", "processr", NULL };
	if (!c->winver || c->winver >= WF_WINVER(6, 0))
		return;
	for (int i = 0; names[i]; i++) {
		struct wf_svc *s = wf_rctx_svc(c, names[i]);
		if (!s->node || (s->has_start && s->start == 4))
			continue;
		char start[16];
		snprintf(start, sizeof start, s->has_start ? "%u" : "absent", s->start);
		struct wf_finding *f = wf_rule_emit(c, r->id, -1, s->name, s->name,
						    c->ver->release, NULL);
		wf_finding_set(&f->explanation,
			       "%s loads %s (Start = %s), the processor power driver of the machine it was "
			       "installed on. On a host with an AMD CPU it stops the boot with 0x7E "
			       "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED naming %s.sys. Windows XP and 2003 do not "
			       "pick the driver by CPU vendor; disabling it (Start = 4) is the cure.",
			       c->ver->release, s->name, start, s->name);
		wf_finding_set(&f->next_check, "grep -c AuthenticAMD /proc/cpuinfo on the KVM host");
		wf_finding_add_fix_for(f, WF_FIXID(DISABLE_DRIVER), s->name);
		char *key = wf_rctx_ccs_path(c, "Services\\");
		char *full = wf_xasprintf("%s%s", key, s->name);
		wf_rule_hive_evidence(c, f, full, "Start = %s", start);
		free(full);
		free(key);
	}
}

static const char *const san_names[] = {
	"(unset)", "OnlineAll", "OfflineShared", "OfflineAll", "OfflineInternal",
};

void wf_rule_san_policy(struct wf_rctx *c, const struct wf_rule *r)
{
	if (c->winver && c->winver < WF_WINVER(6, 0))
		return;		/* SanPolicy is new in Vista / 2008 */
	struct wf_svc *pm = wf_rctx_svc(c, "partmgr");
	wf_node par = wf_hive_child(c->sys, pm ? pm->node : 0, "Parameters");
	uint32_t v = 0;
	int set = wf_hive_get_dword(c->sys, par, "SanPolicy", &v) == 0;
	const char *pt = c->ver->product_type;
	int server = pt && !wf_streqi(pt, "WinNT");
	if ((set && (v < 2 || v > 4)) || (!set && !server))
		return;
	const char *name = set ? san_names[v] : "OfflineShared (Server default)";
	struct wf_finding *f = wf_rule_emit(c, r->id, set ? -1 : WF_SEV_INFO, "partmgr", name,
					    NULL, NULL);
	wf_finding_set(&f->explanation,
		       "Windows applies the SAN policy to disks it sees for the first time. After the move "
		       "every disk is on a new bus, so with %s the data disks come up offline (and read-only) "
		       "in Disk Management; the boot disk itself stays online. Applications that use those "
		       "disks fail to start.", name);
	wf_finding_set(&f->next_check,
		       "In the guest: diskpart, \"san\" shows the policy; \"san policy=OnlineAll\" and "
		       "\"online disk\" bring the disks back.");
	char *key = wf_rctx_ccs_path(c, "Services\\partmgr\\Parameters");
	if (set)
		wf_rule_hive_evidence(c, f, key, "SanPolicy = %u (%s)", v, name);
	else
		wf_rule_hive_evidence(c, f, key, "no SanPolicy value; ProductType = %s", pt);
	free(key);
}
