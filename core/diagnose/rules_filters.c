/*
 * rules_filters.c - UpperFilters / LowerFilters that name a driver which
 * cannot load.
 *
 * Class filters live in <CCS>\Control\Class\{GUID} (REG_MULTI_SZ of
 * service names; MS DEVPKEY_DeviceClass_UpperFilters / _LowerFilters:
 * "the corresponding registry value under the class registry key"),
 * device filters in the device's Enum\<bus>\<id>\<instance> key.  Every
 * filter named must load for the device stack to start: a stale filter on
 * a storage class stops the boot with 0x7B (KB811408, Roxio Prtseqrd:
 * STOP 0x7B with 0xC0000034); on the CD-ROM class it gives Code 19/39
 * (the classic CD/DVD filter problem).  virt-v2v removes Parallels'
 * prl_strg from the DiskDrive LowerFilters for this reason
 * (../shared/knowledge/virtio-injection-virt-v2v.md §3.3).
 */
#include "classes.h"
#include "rules.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why filter service s cannot load, NULL when it can.  On the boot path
 * (class filters of DiskDrive, Volume, SCSIAdapter, HDC) the filter must
 * be loaded by the OS loader with the controller driver: a filter at
 * system, auto or demand start is read from the boot volume, which cannot
 * be mounted before the stack it belongs to starts (MS "Specifying Driver
 * Load Order": only Start 0 drivers are loaded before the kernel runs). */
static const char *filter_problem(struct wf_rctx *c, struct wf_svc *s, int boot_path)
{
	static char why[96];
	if (!s->node)
		return "its service key is missing";
	if (s->has_start && s->start == 4)
		return "its service is disabled (Start = 4)";
	if (boot_path && s->has_start && s->start != 0) {
		snprintf(why, sizeof why, "its service is not boot-start (Start = %u, %s)",
			 s->start, wf_start_name(s->start));
		return why;
	}
	wf_rctx_svc_file(c, s);
	if (s->file_state == 0)
		return "its driver file is missing";
	if (s->file_state == 1 && s->file_size == 0)
		return "its driver file is empty";
	return NULL;
}

/* Names looked at per filter value.  Windows documents no limit; real
 * values list one to a few filters (MS "Installing a Filter Driver"), and
 * a value of 8,000 names made this rule quadratic (1 GB, 27 s): beyond
 * this many, the rest is counted, not checked. */
#define FILTERS_MAX 64

/* "UpperFilters = a | b | ... (and N more, not checked)", once per value. */
static char *filters_line(const char *which, char **names, size_t n)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_addf(&sb, "%sFilters =", which);
	size_t shown = n < FILTERS_MAX ? n : FILTERS_MAX;
	for (size_t i = 0; i < shown; i++) {	/* guest names: escaped, one line */
		wf_sb_adds(&sb, i ? " | " : " ");
		wf_sb_add_escaped(&sb, names[i], strlen(names[i]), 0);
	}
	if (n > shown)
		wf_sb_addf(&sb, " (and %zu more, not checked)", n - shown);
	return wf_sb_detach(&sb);
}

static void filter_emit(struct wf_rctx *c, const char *where, const char *which,
			const char *fixscope, const char *label, int boot_path,
			const char *line, struct wf_svc *s, const char *why)
{
	struct wf_finding *f = wf_rule_emit(c, WF_FID(FILTER_DRIVER_MISSING),
					    boot_path ? WF_SEV_ERROR : WF_SEV_WARNING,
					    s->name, which, s->name, label);
	wf_finding_set(&f->explanation,
		       "%s lists %s as %s filter, but %s. Windows builds each device stack with all its "
		       "filters; when one cannot load, the stack does not start. %s",
		       label, s->name, which, why,
		       boot_path ? "On the storage path this is Stop 0x7B at boot (KB811408)." :
		       "The devices of this class fail with Code 19 or 39.");
	wf_finding_set(&f->next_check,
		       "Look for leftover software (old virtualisation tools, CD burning, encryption) that installed %s.",
		       s->name);
	wf_rule_hive_evidence(c, f, where, "%s", line);
	char *svckey = wf_rctx_ccs_path(c, "Services");
	if (s->node)
		wf_rule_hive_evidence(c, f, svckey, "%s: %s", s->name, why);
	else
		wf_rule_hive_evidence(c, f, svckey, "no subkey %s", s->name);
	free(svckey);
	if (s->file_state == 0 && s->guest_path)
		wf_finding_add_evidence(f, s->guest_path, NULL, 0, 0, "missing");
	char *arg = wf_xasprintf("%s:%s", fixscope, s->name);
	wf_finding_add_fix_for(f, WF_FIXID(REMOVE_FILTER), arg);
	free(arg);
}

/* Check the Upper/LowerFilters of one key. */
static void check_key(struct wf_rctx *c, wf_node key, const char *where,
		      const char *fixscope, const char *label, int boot_path, int start_matters)
{
	static const char *const vals[] = { "UpperFilters", "LowerFilters" };
	for (int v = 0; v < 2; v++) {
		size_t n;
		char **names = wf_hive_get_multi(c->sys, key, vals[v], &n);
		const char *which = v ? "Lower" : "Upper";
		char *line = n ? filters_line(which, names, n) : NULL;
		struct wf_svc *seen[FILTERS_MAX];
		size_t n_seen = 0;
		for (size_t i = 0; i < n && i < FILTERS_MAX; i++) {
			struct wf_svc *s = names[i][0] ? wf_rctx_svc(c, names[i]) : NULL;
			int dup = 0;
			for (size_t k = 0; s && k < n_seen; k++)
				dup |= seen[k] == s;	/* one finding per filter */
			if (!s || dup)
				continue;
			seen[n_seen++] = s;
			const char *why = filter_problem(c, s, start_matters);
			if (why)
				filter_emit(c, where, which, fixscope, label, boot_path, line, s, why);
		}
		free(line);
		wf_strv_free(names, n);
	}
}

static void class_filters(struct wf_rctx *c)
{
	wf_node classes = wf_hive_child(c->sys, c->control, "Class");
	for (size_t i = 0; i < wf_n_classes; i++) {
		const struct wf_class *cl = &wf_classes[i];
		wf_node k = wf_hive_child(c->sys, classes, cl->guid);
		if (!k)
			continue;
		char rel[96];
		snprintf(rel, sizeof rel, "Control\\Class\\%s", cl->guid);
		char *where = wf_rctx_ccs_path(c, rel);
		char label[128];
		snprintf(label, sizeof label, "The %s class (%s)", cl->name, cl->label);
		check_key(c, k, where, cl->guid, label, cl->boot_path, cl->boot_path);
		free(where);
	}
}

/* Whether a device instance is on the boot disk's stack for the Start
 * check: a storage controller the guest boots through (a PCI device bound
 * to a boot-start storage driver of the catalogue).  Disk instances are
 * left out: which of several disks is the boot disk needs the disk
 * signature (MountedDevices), and a demand-start filter on a data disk
 * is harmless; the missing/disabled checks still apply to them. */
static int boot_stack(struct wf_rctx *c, const char *bus, wf_node inst)
{
	char *svc = wf_hive_get_string(c->sys, inst, "Service");
	int r = 0;
	if (svc && wf_streqi(bus, "PCI")) {
		const struct wf_ctrl_kind *k;
		struct wf_svc *s = wf_rctx_svc(c, svc);
		r = wf_ctrl_service(svc, &k) && k && k->cls == WF_CTRL_STORAGE &&
		    s->has_start && s->start == 0;
	}
	free(svc);
	return r;
}

/* Device instances with filters of their own (Enum\<bus>\<id>\<inst>). */
static void device_filters(struct wf_rctx *c)
{
	wf_node en = wf_hive_child(c->sys, c->ccs, "Enum");
	size_t nb;
	wf_node *buses = wf_hive_children(c->sys, en, &nb);
	for (size_t b = 0; b < nb; b++) {
		size_t nd;
		wf_node *devs = wf_hive_children(c->sys, buses[b], &nd);
		for (size_t d = 0; d < nd; d++) {
			size_t ni;
			wf_node *insts = wf_hive_children(c->sys, devs[d], &ni);
			for (size_t i = 0; i < ni; i++) {
				if (!wf_hive_value_exists(c->sys, insts[i], "UpperFilters") &&
				    !wf_hive_value_exists(c->sys, insts[i], "LowerFilters"))
					continue;
				char *bn = wf_hive_node_name(c->sys, buses[b]);
				char *dn = wf_hive_node_name(c->sys, devs[d]);
				char *in = wf_hive_node_name(c->sys, insts[i]);
				char *id = wf_xasprintf("%s\\%s\\%s", bn, dn, in);
				char *rel = wf_xasprintf("Enum\\%s", id);
				char *where = wf_rctx_ccs_path(c, rel);
				char *guid = wf_hive_get_string(c->sys, insts[i], "ClassGUID");
				const struct wf_class *cl = wf_class_by_guid(guid);
				char *label = wf_xasprintf("Device %s", id);
				check_key(c, insts[i], where, id, label, cl && cl->boot_path,
					  boot_stack(c, bn, insts[i]));
				free(label);
				free(guid);
				free(where);
				free(rel);
				free(id);
				free(in);
				free(dn);
				free(bn);
			}
			free(insts);
		}
		free(devs);
	}
	free(buses);
}

void wf_rule_filters(struct wf_rctx *c, const struct wf_rule *r)
{
	(void)r;
	class_filters(c);
	device_filters(c);
}
