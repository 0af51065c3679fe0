/*
 * rules_boot.c - the boot storage driver of each storage target, and the
 * driver of each network target.
 *
 * Facts used:
 *  - Start 0 (SERVICE_BOOT_START) drivers are loaded by the OS loader
 *    before the kernel starts; the boot disk's controller driver must be
 *    one of them, or the kernel cannot reach the boot volume: Stop 0x7B
 *    (MS "Specifying Driver Load Order"; KB922976 for msahci/iaStorV).
 *  - Type 1 = SERVICE_KERNEL_DRIVER, 2 = SERVICE_FILE_SYSTEM_DRIVER (MS
 *    INF AddService directive).
 *  - Control\ServiceGroupOrder\List (REG_MULTI_SZ) "specifies the order in
 *    which service groups are loaded into memory at startup" (MS registry
 *    reference, Windows 2000 Server resource kit cc963229).
 *  - Services\<svc>\StartOverride: Windows 8+ sets value "0" = 3 on boot
 *    storage services it did not use, so the service no longer loads at
 *    boot; the documented cure for a later controller change is to set it
 *    to 0 or delete it (community recipes for storahci/iaStorV; no MS page
 *    found: ../shared/knowledge/anchors-and-recipes.md §2 [U]).
 */
#include "rules.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wf_svc_start_override(struct wf_hive *h, wf_node svc, uint32_t *val,
			  char *name, size_t n)
{
	wf_node so = wf_hive_child(h, svc, "StartOverride");
	if (!so)
		return 0;
	size_t nv;
	char **names = wf_hive_value_names(h, so, &nv);
	int r = 0;
	for (size_t i = 0; i < nv && !r; i++) {
		uint32_t v;
		if (wf_hive_get_dword(h, so, names[i], &v) == 0 && v != 0) {
			r = 1;
			if (val)
				*val = v;
			if (name)
				snprintf(name, n, "%s", names[i]);
		}
	}
	wf_strv_free(names, nv);
	return r;
}

int wf_svc_boot_ok(struct wf_hive *h, wf_node services, const char *name,
		   const char **why)
{
	wf_node s = wf_hive_child(h, services, name);
	uint32_t start;
	if (!s) {
		*why = "the service is missing";
		return 0;
	}
	if (wf_hive_get_dword(h, s, "Start", &start) < 0 || start != 0) {
		*why = "Start is not 0";
		return 0;
	}
	if (wf_svc_start_override(h, s, NULL, NULL, 0)) {
		*why = "a StartOverride disables it";
		return 0;
	}
	*why = "boot-start";
	return 1;
}

static int sev_for(const struct wf_bootreq *b)
{
	return b->t->boot ? WF_SEV_ERROR : WF_SEV_WARNING;
}

static void add_inject_fix(struct wf_finding *f, const struct wf_bootreq *b,
			   const struct wf_svc *s)
{
	if (wf_kind_is_virtio(b->kind)) {
		wf_finding_add_fix_for(f, WF_FIXID(INJECT_VIRTIO), s->name);
	}
}

static void add_enable_fix(struct wf_finding *f, const struct wf_svc *s)
{
	wf_finding_add_fix_for(f, WF_FIXID(ENABLE_DRIVER), s->name);
}

static const char *boot_words(const struct wf_bootreq *b)
{
	return b->t->boot ?
	       "Windows cannot reach its boot disk and stops with 0x7B INACCESSIBLE_BOOT_DEVICE." :
	       "Disks on this controller stay invisible to Windows (no driver loads for it).";
}

void wf_rule_unsupported(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		if (b->supported)
			continue;
		struct wf_finding *f = wf_rule_emit(c, r->id, sev_for(b), b->kind->id,
						    b->kind->label, c->ver->release, NULL);
		wf_rule_about(c, b->kind);
		struct wf_strbuf sb = WF_STRBUF_INIT;
		for (int k = 0; k < WF_CTRL_MAX_DRV && b->kind->drivers[k].service; k++) {
			const struct wf_ctrl_driver *d = &b->kind->drivers[k];
			wf_sb_addf(&sb, "%s%s (Windows %u.%u", sb.len ? ", " : "",
				   d->service, d->min_ver / 100, d->min_ver % 100);
			if (d->max_ver)
				wf_sb_addf(&sb, " to %u.%u", d->max_ver / 100, d->max_ver % 100);
			else
				wf_sb_adds(&sb, " and later");
			wf_sb_adds(&sb, ")");
		}
		for (int k = 0; k < WF_CTRL_MAX_DRV && b->kind->drivers[k].service; k++) {
			const struct wf_ctrl_driver *d = &b->kind->drivers[k];
			if (d->hotfix && c->winver == d->hotfix_ver)
				wf_sb_addf(&sb, "; %s adds %s to this Windows and is not installed "
					   "(no Services\\%s)", d->hotfix, d->service, d->service);
		}
		wf_finding_set(&f->explanation,
			       "The VM presents a %s controller (%s), but no driver for it ships with %s (%u.%u). "
			       "The drivers Windows has for this kind: %s. %s",
			       b->kind->label, b->presented ? b->presented : "VMBus", c->ver->release,
			       c->winver / 100, c->winver % 100, sb.buf, boot_words(b));
		wf_finding_set(&f->next_check,
			       "Present a controller this Windows drives in-box (IDE for XP/2003), "
			       "or install the vendor's driver while the guest still runs on its old controller.");
		wf_finding_add_evidence(f, "catalogue", NULL, 0, 0, sb.buf);
		wf_sb_release(&sb);
	}
}

/* The other virtio storage kind, when its driver is ready: the guest was
 * set up for virtio-scsi and the VM now presents virtio-blk, or the reverse. */
static const struct wf_bootreq *virtio_sibling_ready(struct wf_rctx *c,
						     const struct wf_bootreq *b,
						     struct wf_svc **svc)
{
	if (!wf_kind_is_virtio(b->kind))
		return NULL;
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++) {
		const struct wf_ctrl_kind *k = &wf_ctrl_kinds[i];
		if (k == b->kind || !wf_kind_is_virtio(k) || k->cls != WF_CTRL_STORAGE)
			continue;
		const char *why;
		if (wf_svc_boot_ok(c->sys, c->services, k->drivers[0].service, &why)) {
			*svc = wf_rctx_svc(c, k->drivers[0].service);
			return b;
		}
	}
	return NULL;
}

static void mismatch(struct wf_rctx *c, const struct wf_bootreq *b,
		     const struct wf_svc *s, const struct wf_svc *other)
{
	const struct wf_ctrl_kind *ok;
	wf_ctrl_service(other->name, &ok);
	struct wf_finding *f = wf_rule_emit(c, WF_FID(CONTROLLER_MISMATCH), sev_for(b),
					    s->name, b->kind->id,
					    ok ? ok->id : other->name, NULL);
	wf_rule_about(c, b->kind);
	wf_rule_about(c, ok);
	wf_finding_set(&f->explanation,
		       "The guest has %s (boot-start) for %s, but the VM presents %s, whose driver %s "
		       "is not installed. %s",
		       other->name, ok ? ok->label : "another controller",
		       b->kind->label, s->name, boot_words(b));
	wf_finding_set(&f->next_check,
		       "Either present %s to the guest again, or inject %s before switching.",
		       ok ? ok->id : other->name, s->name);
	char *k1 = wf_rctx_ccs_path(c, "Services");
	wf_rule_hive_evidence(c, f, k1, "%s: present, Start = 0; %s: missing",
			      other->name, s->name);
	free(k1);
	add_inject_fix(f, b, s);
}

void wf_rule_boot_missing(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		for (size_t k = 0; k < b->n_svc; k++) {
			struct wf_svc *s = b->svc[k], *other = NULL;
			if (s->node)
				continue;
			if (k == 0 && virtio_sibling_ready(c, b, &other)) {
				mismatch(c, b, s, other);
				continue;
			}
			struct wf_finding *f = wf_rule_emit(c, r->id, sev_for(b), s->name,
							    b->kind->label, s->name, NULL);
			wf_rule_about(c, b->kind);
			wf_finding_set(&f->explanation,
				       "The VM presents a %s controller; Windows drives it with the %s service, "
				       "and this guest has no Services\\%s key. %s",
				       b->kind->label, s->name, s->name, boot_words(b));
			wf_finding_set(&f->next_check,
				       wf_kind_is_virtio(b->kind) ?
				       "Inject the virtio driver (service + .sys + %s entry) before booting on %s." :
				       "Check Services for the driver under another name; otherwise install it while the guest runs on its old controller (%s, %s).",
				       c->has_ddb ? "DriverDatabase" : "CriticalDeviceDatabase",
				       b->kind->id);
			char *key = wf_rctx_ccs_path(c, "Services");
			wf_rule_hive_evidence(c, f, key, "no subkey %s", s->name);
			free(key);
			add_inject_fix(f, b, s);
		}
	}
}

void wf_rule_boot_disabled(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		for (size_t k = 0; k < b->n_svc; k++) {
			struct wf_svc *s = b->svc[k];
			if (!s->node || (s->has_start && s->start == 0))
				continue;
			if (!b->t->boot && s->has_start && s->start != 4)
				continue;	/* data disk: PnP loads demand-start drivers */
			char start[32];
			snprintf(start, sizeof start, s->has_start ? "%u" : "absent", s->start);
			struct wf_finding *f = wf_rule_emit(c, r->id, sev_for(b), s->name,
							    b->kind->label, s->name, start);
			wf_rule_about(c, b->kind);
			wf_finding_set(&f->explanation,
				       "%s drives the %s controller but its Start value is %s (%s), not 0 (boot). "
				       "Only boot-start drivers are loaded by the OS loader, before the kernel needs the boot disk. "
				       "Windows setup leaves the drivers of controllers it did not see at demand start (KB922976). %s",
				       s->name, b->kind->label, start,
				       s->has_start ? wf_start_name(s->start) : "no value",
				       boot_words(b));
			wf_finding_set(&f->next_check,
				       "Compare with the controller the guest boots from today (its driver has Start = 0).");
			char *key = wf_rctx_ccs_path(c, "Services\\");
			char *full = wf_xasprintf("%s%s", key, s->name);
			wf_rule_hive_evidence(c, f, full, "Start = %s", start);
			free(full);
			free(key);
			add_enable_fix(f, s);
		}
	}
}

void wf_rule_boot_override(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		for (size_t k = 0; k < b->n_svc && b->t->boot; k++) {
			struct wf_svc *s = b->svc[k];
			uint32_t v;
			char name[64];
			if (!s->node || !wf_svc_start_override(c->sys, s->node, &v, name, sizeof name))
				continue;
			struct wf_finding *f = wf_rule_emit(c, r->id, -1, s->name,
							    b->kind->label, s->name, NULL);
			wf_rule_about(c, b->kind);
			wf_finding_set(&f->explanation,
				       "Windows 8 and later keep a StartOverride subkey under a service; a non-zero value there "
				       "replaces the service's Start. Windows sets it on boot storage drivers it did not use "
				       "(here %s = %u: %s), so %s is not loaded at boot even %s. %s",
				       name, v, wf_start_name(v), s->name,
				       s->has_start && s->start == 0 ? "though Start = 0" : "if Start is fixed",
				       boot_words(b));
			wf_finding_set(&f->next_check,
				       "reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\%s\\StartOverride",
				       s->name);
			char *key = wf_rctx_ccs_path(c, "Services\\");
			char *full = wf_xasprintf("%s%s\\StartOverride", key, s->name);
			wf_rule_hive_evidence(c, f, full, "%s = %u", name, v);
			free(full);
			free(key);
			add_enable_fix(f, s);
		}
	}
}

void wf_rule_boot_type(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		for (size_t k = 0; k < b->n_svc && b->t->boot; k++) {
			struct wf_svc *s = b->svc[k];
			if (!s->node || (s->has_type && (s->type == 1 || s->type == 2)))
				continue;
			char type[32];
			snprintf(type, sizeof type, s->has_type ? "0x%x" : "absent", s->type);
			struct wf_finding *f = wf_rule_emit(c, r->id, -1, s->name,
							    b->kind->label, s->name, type);
			wf_rule_about(c, b->kind);
			wf_finding_set(&f->explanation,
				       "A storage miniport must be a kernel driver (Type = 1, SERVICE_KERNEL_DRIVER). "
				       "With Type %s the loader does not treat %s as a driver to load at boot. %s",
				       type, s->name, boot_words(b));
			char *key = wf_rctx_ccs_path(c, "Services\\");
			char *full = wf_xasprintf("%s%s", key, s->name);
			wf_rule_hive_evidence(c, f, full, "Type = %s", type);
			free(full);
			free(key);
			add_enable_fix(f, s);
		}
	}
}

void wf_rule_boot_group(struct wf_rctx *c, const struct wf_rule *r)
{
	wf_node sgo = wf_hive_child(c->sys, c->control, "ServiceGroupOrder");
	size_t n = 0;
	char **list = sgo ? wf_hive_get_multi(c->sys, sgo, "List", &n) : NULL;
	if (!list)
		return;		/* nothing to judge against */
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		for (size_t k = 0; k < b->n_svc && b->t->boot; k++) {
			struct wf_svc *s = b->svc[k];
			if (!s->node || !s->group || !*s->group)
				continue;
			int found = 0;
			for (size_t j = 0; j < n && !found; j++)
				found = wf_streqi(list[j], s->group);
			if (found)
				continue;
			struct wf_finding *f = wf_rule_emit(c, r->id, -1, s->name,
							    b->kind->label, s->name, s->group);
			wf_rule_about(c, b->kind);
			wf_finding_set(&f->explanation,
				       "Boot drivers load group by group in the order of ServiceGroupOrder\\List; "
				       "a driver whose group is not listed loads after all listed groups, after the "
				       "drivers that may need its disk. Storage miniports belong to \"SCSI miniport\".");
			char *key = wf_rctx_ccs_path(c, "Services\\");
			char *full = wf_xasprintf("%s%s", key, s->name);
			wf_rule_hive_evidence(c, f, full, "Group = %s", s->group);
			free(full);
			free(key);
			key = wf_rctx_ccs_path(c, "Control\\ServiceGroupOrder");
			wf_rule_hive_evidence(c, f, key, "List has %zu groups, not \"%s\"", n, s->group);
			free(key);
			add_enable_fix(f, s);
		}
	}
	wf_strv_free(list, n);
}

/* "missing", "empty", "not a PE image", or NULL when the file is fine. */
static const char *file_problem(const struct wf_svc *s)
{
	if (s->file_state == 0)
		return "missing";
	if (s->file_state == 1 && s->file_size == 0)
		return "empty";
	if (s->pe_state == 0)
		return "not a PE image";
	return NULL;
}

void wf_rule_boot_file(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < c->n_boot; i++) {
		const struct wf_bootreq *b = &c->boot[i];
		for (size_t k = 0; k < b->n_svc; k++) {
			struct wf_svc *s = b->svc[k];
			const char *p = s->node ? file_problem(s) : NULL;
			if (!p)
				continue;
			struct wf_finding *f = wf_rule_emit(c, r->id, sev_for(b), s->name,
							    b->kind->label, s->name, p);
			wf_rule_about(c, b->kind);
			wf_finding_set(&f->explanation,
				       "The registry has %s, but the file its ImagePath names (%s) is %s. "
				       "The loader cannot load a boot driver it cannot read. %s",
				       s->name, s->guest_path, p, boot_words(b));
			wf_finding_set(&f->next_check, "ls -l the guest file %s", s->guest_path);
			char *key = wf_rctx_ccs_path(c, "Services\\");
			char *full = wf_xasprintf("%s%s", key, s->name);
			wf_rule_hive_evidence(c, f, full, "ImagePath = %s",
					      s->image_path ? s->image_path : "(absent: System32\\drivers\\<service>.sys)");
			free(full);
			free(key);
			wf_finding_add_evidence(f, s->guest_path, NULL, 0, 0,
						s->pe_state == 0 ? s->pe_error : p);
			add_inject_fix(f, b, s);
		}
	}
}

void wf_rule_storage_stack(struct wf_rctx *c, const struct wf_rule *r)
{
	if (!c->n_boot)
		return;
	/* the catalogue's stack rows every disk needs at boot */
	for (int i = 0; wf_ctrl_stack[i].service; i++) {
		if (!wf_ctrl_stack[i].stack_required)
			continue;
		struct wf_svc *s = wf_rctx_svc(c, wf_ctrl_stack[i].service);
		if (!s->node || !s->has_start || s->start != 4)
			continue;
		struct wf_finding *f = wf_rule_emit(c, r->id, -1, s->name, s->name, NULL, NULL);
		wf_finding_set(&f->explanation,
			       "%s is part of every disk's driver stack and is disabled (Start = 4). "
			       "Whatever the controller, Windows cannot mount its boot volume: 0x7B.",
			       s->name);
		char *key = wf_rctx_ccs_path(c, "Services\\");
		char *full = wf_xasprintf("%s%s", key, s->name);
		wf_rule_hive_evidence(c, f, full, "Start = 4 (disabled)");
		free(full);
		free(key);
		add_enable_fix(f, s);
	}
}

/* --- network targets --------------------------------------------------------------- */

static struct wf_svc *net_service(struct wf_rctx *c, const struct wf_ctrl_kind *k)
{
	struct wf_svc *first = NULL;
	for (int i = 0; i < WF_CTRL_MAX_DRV && k->drivers[i].service; i++) {
		const struct wf_ctrl_driver *d = &k->drivers[i];
		if (c->winver && ((d->min_ver && c->winver < d->min_ver) ||
				  (d->max_ver && c->winver > d->max_ver)))
			continue;
		struct wf_svc *s = wf_rctx_svc(c, d->service);
		if (s->node)
			return s;
		first = first ? first : s;
	}
	return first;
}

void wf_rule_net_driver(struct wf_rctx *c, const struct wf_rule *r)
{
	for (size_t i = 0; i < c->targets->n; i++) {
		const struct wf_ctrl_kind *k = c->targets->v[i].kind;
		if (k->cls != WF_CTRL_NETWORK)
			continue;
		struct wf_svc *s = net_service(c, k);
		if (s && s->node && !(s->has_start && s->start == 4))
			continue;
		const struct wf_ctrl_driver *d = s ? wf_ctrl_service(s->name, NULL) : NULL;
		int first_boot = s && !s->node && d && d->inbox;
		const char *id = s && s->node ? WF_FID(NET_DRIVER_DISABLED) :
				 first_boot ? WF_FID(NET_DRIVER_FIRST_BOOT) : r->id;
		struct wf_finding *f = wf_rule_emit(c, id, -1, s ? s->name : k->id, k->label,
						    s ? s->name : "none in-box", NULL);
		wf_rule_about(c, k);
		if (!s) {
			wf_finding_set(&f->explanation,
				       "%s has no in-box driver for the %s adapter: the NIC will show up without a driver "
				       "(Code 28) and the guest will have no network.",
				       c->ver->release, k->label);
			wf_finding_add_evidence(f, "catalogue", NULL, 0, 0, "no driver for this Windows version");
			continue;
		}
		if (first_boot) {
			/* PnP installs an in-box driver from the guest's own INF
			 * folder when it first sees the device */
			wf_finding_set(&f->explanation,
				       "The VM presents a %s adapter. %s ships its driver (%s) in-box, so Plug and Play "
				       "installs it from the guest's own INF folder the first time it sees the device; "
				       "the service does not exist yet because this guest never had such an adapter.",
				       k->label, c->ver->release, s->name);
			char *sk = wf_rctx_ccs_path(c, "Services");
			wf_rule_hive_evidence(c, f, sk, "no subkey %s (catalogue: in-box on this version, %s)",
					      s->name, d->src);
			free(sk);
			continue;
		}
		char *key = wf_rctx_ccs_path(c, "Services\\");
		char *full = wf_xasprintf("%s%s", key, s->name);
		if (s->node) {
			wf_finding_set(&f->explanation,
				       "%s drives the %s adapter but is disabled (Start = 4): the adapter fails to start "
				       "and the guest has no network on it.", s->name, k->label);
			wf_rule_hive_evidence(c, f, full, "Start = 4 (disabled)");
			add_enable_fix(f, s);
		} else {
			wf_finding_set(&f->explanation,
				       "The VM presents a %s adapter; its driver service %s is not installed. "
				       "The adapter will have no driver and the guest no network on it.",
				       k->label, s->name);
			char *sk = wf_rctx_ccs_path(c, "Services");
			wf_rule_hive_evidence(c, f, sk, "no subkey %s", s->name);
			free(sk);
			if (wf_kind_is_virtio(k)) {
				wf_finding_add_fix_for(f, WF_FIXID(INJECT_VIRTIO), s->name);
			}
		}
		free(full);
		free(key);
	}
}
