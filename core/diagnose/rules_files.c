/*
 * rules_files.c - Code 39 (CM_PROB_DRIVER_FAILED_LOAD) causes visible in
 * the driver files: "the driver may be corrupted or missing", it imports a
 * module or API the system lacks, or it is built for another platform
 * (MS "Code 39" in windows-driver-docs install/cm-prob-driver-failed-load;
 * ../shared/knowledge/anchors-and-recipes.md §3).  Seed 000: the XP guest
 * whose virtio NIC got the 2003 ("WNET") build showed Code 39; only the
 * XP build loaded.  The PE header says which Windows a driver was linked
 * for (MajorOperatingSystemVersion) and what it imports.
 *
 * Image mode only: without the guest's files these rules say nothing.
 */
#include "controllers.h"
#include "rules.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wf_devsvc *wf_rctx_devsvc(struct wf_rctx *c, const char *svc)
{
	for (size_t i = 0; i < c->n_devsvcs; i++)
		if (wf_streqi(c->devsvcs[i].svc, svc))
			return &c->devsvcs[i];
	return NULL;
}

static void devsvc_add(struct wf_rctx *c, const char *svc, const char *device)
{
	struct wf_devsvc *d = wf_rctx_devsvc(c, svc);
	if (!d) {
		c->devsvcs = wf_xrealloc(c->devsvcs, (c->n_devsvcs + 1) * sizeof *c->devsvcs);
		d = &c->devsvcs[c->n_devsvcs++];
		memset(d, 0, sizeof *d);
		snprintf(d->svc, sizeof d->svc, "%s", svc);
		snprintf(d->device, sizeof d->device, "%s", device);
	}
	d->n++;
}

/* Every Enum\<bus>\<id>\<instance> with a Service value. */
void wf_rctx_devices(struct wf_rctx *c)
{
	if (c->devsvcs_read)
		return;
	c->devsvcs_read = 1;
	wf_node en = wf_hive_child(c->sys, c->ccs, "Enum");
	size_t nb;
	wf_node *buses = wf_hive_children(c->sys, en, &nb);
	for (size_t b = 0; b < nb; b++) {
		char *bn = wf_hive_node_name(c->sys, buses[b]);
		size_t nd;
		wf_node *devs = wf_hive_children(c->sys, buses[b], &nd);
		for (size_t d = 0; d < nd; d++) {
			size_t ni;
			wf_node *insts = wf_hive_children(c->sys, devs[d], &ni);
			for (size_t i = 0; i < ni; i++) {
				char *svc = wf_hive_get_string(c->sys, insts[i], "Service");
				if (svc && *svc) {
					char *dn = wf_hive_node_name(c->sys, devs[d]);
					char *in = wf_hive_node_name(c->sys, insts[i]);
					char *id = wf_xasprintf("%s\\%s\\%s", bn, dn, in);
					devsvc_add(c, svc, id);
					free(id);
					free(in);
					free(dn);
				}
				free(svc);
			}
			free(insts);
		}
		free(devs);
		free(bn);
	}
	free(buses);
}

int wf_rctx_is_boot_svc(struct wf_rctx *c, const struct wf_svc *s)
{
	for (size_t i = 0; i < c->n_boot; i++)
		for (size_t k = 0; k < c->boot[i].n_svc; k++)
			if (c->boot[i].svc[k] == s)
				return 1;
	return 0;
}

/* A kernel driver that would load (Type 1/2, Start != 4). */
static int loads(const struct wf_svc *s)
{
	return s->node && !(s->has_start && s->start == 4) &&
	       s->has_type && (s->type == 1 || s->type == 2);
}

static void add_virtio_fix(struct wf_finding *f, const struct wf_svc *s)
{
	const struct wf_ctrl_kind *k;
	if (wf_ctrl_service(s->name, &k) && wf_kind_is_virtio(k))
		wf_finding_add_fix_for(f, WF_FIXID(INJECT_VIRTIO), s->name);
}

static const struct wf_ctrl_kind *kind_of(const struct wf_svc *s)
{
	const struct wf_ctrl_kind *k;
	wf_ctrl_service(s->name, &k);
	return k;
}

static const char *device_of(struct wf_rctx *c, const struct wf_svc *s)
{
	struct wf_devsvc *d = wf_rctx_devsvc(c, s->name);
	return d ? d->device : s->name;
}

static void svc_evidence(struct wf_rctx *c, struct wf_finding *f, const struct wf_svc *s)
{
	char *key = wf_rctx_ccs_path(c, "Services\\");
	char *full = wf_xasprintf("%s%s", key, s->name);
	wf_rule_hive_evidence(c, f, full, "ImagePath = %s",
			      s->image_path ? s->image_path : "(absent: System32\\drivers\\<service>.sys)");
	free(full);
	free(key);
}

void wf_rule_image_missing(struct wf_rctx *c, const struct wf_rule *r)
{
	if (!c->files)
		return;
	wf_rctx_devices(c);
	for (size_t i = 0; i < c->n_devsvcs; i++) {
		struct wf_svc *s = wf_rctx_svc(c, c->devsvcs[i].svc);
		if (!loads(s))
			continue;
		wf_rctx_svc_file(c, s);
		if (s->file_state != 0 || wf_rctx_is_boot_svc(c, s))
			continue;
		const struct wf_devsvc *d = &c->devsvcs[i];
		struct wf_finding *f = wf_rule_emit(c, r->id, -1, d->device, s->name,
						    d->device, NULL);
		wf_rule_about(c, kind_of(s));
		wf_finding_set(&f->explanation,
			       "%u device(s) use the %s service, whose file %s does not exist. Windows cannot "
			       "load the driver and shows Code 39 (\"the driver may be corrupted or missing\").",
			       d->n, s->name, s->guest_path);
		svc_evidence(c, f, s);
		wf_finding_add_evidence(f, s->guest_path, NULL, 0, 0, "missing");
		add_virtio_fix(f, s);
	}
}

void wf_rule_arch(struct wf_rctx *c, const struct wf_rule *r)
{
	if (!c->files || !c->arch)
		return;
	for (size_t i = 0; i < c->n_svcs; i++) {
		struct wf_svc *s = c->svcs[i];
		const char *a = s->pe_state == 1 ? wf_pe_machine_arch(s->pe.machine) : NULL;
		if (!a || strcmp(a, c->arch) == 0)
			continue;
		struct wf_finding *f = wf_rule_emit(c, r->id, -1, device_of(c, s), s->name,
						    a, c->arch);
		wf_rule_about(c, kind_of(s));
		wf_finding_set(&f->explanation,
			       "%s is a %s image (PE machine 0x%04x) but this Windows is %s. The kernel refuses "
			       "to load it: %s",
			       s->guest_path, a, s->pe.machine, c->arch,
			       wf_rctx_is_boot_svc(c, s) ? "the boot driver does not load, Stop 0x7B." :
			       "the device shows Code 39.");
		svc_evidence(c, f, s);
		char txt[96];
		snprintf(txt, sizeof txt, "PE machine 0x%04x (%s)", s->pe.machine, a);
		wf_finding_add_evidence(f, s->guest_path, NULL, 0, 0, txt);
		add_virtio_fix(f, s);
	}
}

void wf_rule_imports(struct wf_rctx *c, const struct wf_rule *r)
{
	if (!c->files)
		return;
	for (size_t i = 0; i < c->n_svcs; i++) {
		struct wf_svc *s = c->svcs[i];
		if (s->pe_state != 1)
			continue;
		struct wf_strbuf miss = WF_STRBUF_INIT;
		for (size_t k = 0; k < s->pe.n_imports; k++)
			if (wf_rctx_module_exists(c, s->pe.imports[k]) == 0)
				wf_sb_addf(&miss, "%s%s", miss.len ? ", " : "", s->pe.imports[k]);
		if (miss.len) {
			struct wf_finding *f = wf_rule_emit(c, r->id, -1, device_of(c, s),
							    s->name, miss.buf, NULL);
			wf_rule_about(c, kind_of(s));
			wf_finding_set(&f->explanation,
				       "%s imports %s, which %s does not have in System32 or System32\\drivers "
				       "(a storport miniport on XP, an NDIS 6 driver on XP...). The loader cannot "
				       "resolve the imports and refuses the driver: %s",
				       s->guest_path, miss.buf, c->ver->release,
				       wf_rctx_is_boot_svc(c, s) ? "Stop 0x7B for a boot driver." :
				       "Code 39 on the device.");
			wf_finding_set(&f->next_check,
				       "Use the driver build made for %s (its folder on the virtio-win media).",
				       c->ver->release);
			svc_evidence(c, f, s);
			char *txt = wf_xasprintf("imports: %s; missing: %s", s->pe.n_imports ?
						 s->pe.imports[0] : "", miss.buf);
			wf_finding_add_evidence(f, s->guest_path, NULL, 0, 0, txt);
			free(txt);
			add_virtio_fix(f, s);
		}
		wf_sb_release(&miss);
	}
}

void wf_rule_wrong_os(struct wf_rctx *c, const struct wf_rule *r)
{
	if (!c->files || !c->winver)
		return;
	for (size_t i = 0; i < c->n_svcs; i++) {
		struct wf_svc *s = c->svcs[i];
		if (s->pe_state != 1)
			continue;
		unsigned v = WF_WINVER(s->pe.os_major, s->pe.os_minor);
		if (v <= c->winver)
			continue;
		char pv[32], gv[96];
		snprintf(pv, sizeof pv, "%u.%u", s->pe.os_major, s->pe.os_minor);
		snprintf(gv, sizeof gv, "%u.%u (%s)", c->winver / 100, c->winver % 100,
			 c->ver->release);
		struct wf_finding *f = wf_rule_emit(c, r->id, -1, device_of(c, s), s->name, pv, gv);
		wf_rule_about(c, kind_of(s));
		wf_finding_set(&f->explanation,
			       "%s declares Windows %s as its minimum (PE MajorOperatingSystemVersion), newer "
			       "than this guest's %s. Such a build uses kernel or NDIS/storport functions this "
			       "Windows lacks (on XP SP3 the 2003 build of the virtio NIC driver gave Code 39; "
			       "the XP build worked). %s",
			       s->guest_path, pv, gv,
			       wf_rctx_is_boot_svc(c, s) ? "As the boot driver it stops the boot with 0x7B." :
			       "The device shows Code 39.");
		wf_finding_set(&f->next_check,
			       "Install the build for %s (virtio-win: the folder of this Windows and architecture).",
			       c->ver->release);
		svc_evidence(c, f, s);
		char txt[96];
		snprintf(txt, sizeof txt, "PE OS version %s, subsystem %u.%u", pv,
			 s->pe.subsys_major, s->pe.subsys_minor);
		wf_finding_add_evidence(f, s->guest_path, NULL, 0, 0, txt);
		add_virtio_fix(f, s);
	}
}
