/*
 * rules_policy.c - the guest's own policies that act on the new hardware:
 * Device Installation Restrictions, and memory integrity (HVCI).
 *
 * Device Installation Restrictions (SOFTWARE\Policies\Microsoft\Windows\
 * DeviceInstall\Restrictions; Group Policy "System > Device Installation >
 * Device Installation Restrictions").  Each list policy is a DWORD flag
 * with a subkey of the same name whose values ("1", "2", ...) are the
 * entries: DenyDeviceIDs / AllowDeviceIDs hold hardware or compatible ids,
 * DenyDeviceClasses / AllowDeviceClasses setup class GUIDs.  DenyUnspecified
 * ("Prevent installation of devices not described by other policy
 * settings") denies every device no Allow list names; Deny lists win over
 * Allow lists, unless AllowDenyLayered ("Apply layered order of
 * evaluation", Windows 10 2004+) is set, where device ids outrank setup
 * classes.  Sources: MS Policy CSP - DeviceInstallation
 * (learn.microsoft.com/windows/client-management/mdm/policy-csp-deviceinstallation);
 * MS "Allow Installation of a Device by Device Setup Class" (Windows Server
 * 2008, cc730831: Allow lists act only with DenyUnspecified); MS audit
 * event 6423 "The installation of this device is forbidden by system
 * policy".  The policy is read by Plug and Play when it installs a device
 * it has not installed before - every device of the new VM is one.
 *
 * Memory integrity (HVCI): SYSTEM\CurrentControlSet\Control\DeviceGuard\
 * Scenarios\HypervisorEnforcedCodeIntegrity Enabled = 1 (Locked = 1: UEFI
 * lock), or the policy SOFTWARE\Policies\Microsoft\Windows\DeviceGuard
 * HypervisorEnforcedCodeIntegrity = 1 (with UEFI lock) / 2 (without).  It
 * runs kernel code integrity inside VBS, on the Windows hypervisor (MS
 * "Code integrity checking", windows-hardware/drivers/devtest); drivers that
 * are not compatible fail to load, a boot-critical one is a stop at boot
 * (MS "Driver compatibility with memory integrity and VBS", HLK testref);
 * the hypervisor needs the CPU's virtualization extensions, which a KVM
 * guest has only with nested virtualization (Policy CSP -
 * VirtualizationBasedTechnology for the policy values).
 */
#include "classes.h"
#include "rules.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESTRICTIONS "Policies\\Microsoft\\Windows\\DeviceInstall\\Restrictions"
#define POLICY_MAX 1024		/* entries read per list (guest data is hostile) */

struct pol_list {
	int on;
	char **v;
	size_t n;
};

struct devpol {
	int deny_unspecified, layered;
	struct pol_list deny_ids, allow_ids, deny_classes, allow_classes;
};

static const char *sw_name(struct wf_rctx *c)
{
	return c->in->software_name ? c->in->software_name : wf_hive_path(c->in->software);
}

static void read_list(struct wf_hive *h, wf_node r, const char *name, struct pol_list *l)
{
	uint32_t v = 0;
	l->on = wf_hive_get_dword(h, r, name, &v) == 0 && v == 1;
	wf_node sub = l->on ? wf_hive_child(h, r, name) : 0;
	size_t n = 0;
	char **names = sub ? wf_hive_value_names(h, sub, &n) : NULL;
	for (size_t i = 0; i < n && l->n < POLICY_MAX; i++) {
		char *s = wf_hive_get_string(h, sub, names[i]);
		if (!s || !*s) {
			free(s);
			continue;
		}
		l->v = wf_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = s;
	}
	wf_strv_free(names, n);
}

static void devpol_free(struct devpol *p)
{
	struct pol_list *ls[] = { &p->deny_ids, &p->allow_ids, &p->deny_classes, &p->allow_classes };
	for (size_t i = 0; i < 4; i++)
		wf_strv_free(ls[i]->v, ls[i]->n);
}

/* The entry of `l` that names one of `ids` (PnP ids with their "PCI\"
 * prefix, or GUIDs), NULL none. */
static const char *match(const struct pol_list *l, char ids[][72], size_t n)
{
	for (size_t i = 0; l->on && i < l->n; i++)
		for (size_t k = 0; k < n; k++)
			if (wf_streqi(l->v[i], ids[k]))
				return l->v[i];
	return NULL;
}

/* Why policy `p` blocks the install of a device with PnP ids `ids` of
 * setup class `cls`: a sentence into why, and the value that does it into
 * val; 0 when it is allowed. */
static int blocked(const struct devpol *p, char ids[][72], size_t n, const char *cls,
		   char *why, size_t wn, char *val, size_t vn)
{
	char cl[1][72];
	snprintf(cl[0], sizeof cl[0], "%s", cls ? cls : "");
	const char *di = match(&p->deny_ids, ids, n), *ai = match(&p->allow_ids, ids, n);
	const char *dc = cls ? match(&p->deny_classes, cl, 1) : NULL;
	const char *ac = cls ? match(&p->allow_classes, cl, 1) : NULL;
	if (di) {
		snprintf(why, wn, "DenyDeviceIDs lists %s", di);
		snprintf(val, vn, "DenyDeviceIDs\\* = %s", di);
		return 1;
	}
	if (dc && !(p->layered && ai)) {
		snprintf(why, wn, "DenyDeviceClasses lists its setup class %s", dc);
		snprintf(val, vn, "DenyDeviceClasses\\* = %s", dc);
		return 1;
	}
	if (p->deny_unspecified && !ai && !ac) {
		snprintf(why, wn, "DenyUnspecified = 1 and no AllowDeviceIDs / AllowDeviceClasses entry names "
			 "its ids or its setup class %s", cls ? cls : "?");
		snprintf(val, vn, "DenyUnspecified = 1 (AllowDeviceIDs: %zu entries, AllowDeviceClasses: %zu)",
			 p->allow_ids.on ? p->allow_ids.n : 0, p->allow_classes.on ? p->allow_classes.n : 0);
		return 1;
	}
	return 0;
}

static const char *kind_class(const struct wf_ctrl_kind *k)
{
	if (k->cls == WF_CTRL_NETWORK)
		return WF_CLASS_NET;
	for (size_t i = 0; i < WF_CTRL_MAX_DRV && k->drivers[i].service; i++)
		if (k->drivers[i].class_guid)
			return k->drivers[i].class_guid;
	return NULL;
}

static void emit_blocked(struct wf_rctx *c, const struct wf_rule *r, const struct wf_target *t,
			 const char *what, const char *why, const char *val, int boot_disk)
{
	struct wf_finding *f = wf_rule_emit(c, r->id, -1, t->kind->id, what, t->kind->label, NULL);
	wf_rule_about(c, t->kind);
	wf_finding_set(&f->explanation,
		       "The guest's Device Installation Restrictions policy forbids installing the %s: %s. "
		       "Every device of the new VM is new to Windows, and Plug and Play checks the policy "
		       "before it installs one (Security event 6423, \"forbidden by system policy\"). %s",
		       what, why,
		       t->kind->cls == WF_CTRL_NETWORK ?
		       "The adapter stays without a driver: no network." :
		       boot_disk ? "The boot driver still starts from the boot-critical database, but the controller "
				   "and its disks stay uninstalled in Device Manager, and drivers staged for first "
				   "boot cannot install." :
				   "The controller and its disks stay uninstalled: the data disks do not appear.");
	wf_finding_set(&f->next_check,
		       "reg query \"HKLM\\SOFTWARE\\" RESTRICTIONS "\" /s - remove the entry or add the "
		       "device's id to AllowDeviceIDs (Group Policy: System > Device Installation > Device "
		       "Installation Restrictions) before the move; a domain GPO sets it again.");
	wf_finding_add_evidence(f, sw_name(c), RESTRICTIONS, 0, 0, val);
}

void wf_rule_devinstall(struct wf_rctx *c, const struct wf_rule *r)
{
	struct wf_hive *sw = c->in->software;
	wf_node rn = sw ? wf_hive_lookup(sw, RESTRICTIONS) : 0;
	if (!rn)
		return;
	struct devpol p = { 0 };
	uint32_t v = 0;
	p.deny_unspecified = wf_hive_get_dword(sw, rn, "DenyUnspecified", &v) == 0 && v == 1;
	p.layered = wf_hive_get_dword(sw, rn, "AllowDenyLayered", &v) == 0 && v == 1;
	read_list(sw, rn, "DenyDeviceIDs", &p.deny_ids);
	read_list(sw, rn, "AllowDeviceIDs", &p.allow_ids);
	read_list(sw, rn, "DenyDeviceClasses", &p.deny_classes);
	read_list(sw, rn, "AllowDeviceClasses", &p.allow_classes);
	wf_node en = wf_hive_lookup_from(c->sys, c->ccs, "Enum\\PCI");
	for (size_t i = 0; i < c->targets->n; i++) {
		const struct wf_target *t = &c->targets->v[i];
		const char *hw = wf_target_presented(c->targets, t);
		if (!hw || (en && wf_hive_child(c->sys, en, hw)))
			continue;	/* VMBus, or installed already: the policy is not asked again */
		char raw[WF_PCI_MAX_IDS][64], ids[WF_PCI_MAX_IDS][72];
		size_t n = wf_pci_ids(hw, t->kind->pci_class, raw);
		for (size_t k = 0; k < n; k++)
			snprintf(ids[k], sizeof ids[k], "PCI\\%.63s", raw[k]);
		char why[400], val[200], what[160];
		snprintf(what, sizeof what, "%s controller PCI\\%s", t->kind->label, hw);
		if (blocked(&p, ids, n, kind_class(t->kind), why, sizeof why, val, sizeof val)) {
			emit_blocked(c, r, t, what, why, val, t->boot);
			continue;
		}
		/* the disks behind a new storage controller are new devices too
		 * (DiskDrive class, compatible id GenDisk) */
		if (t->kind->cls != WF_CTRL_STORAGE)
			continue;
		char disk[1][72] = { "GenDisk" };
		snprintf(what, sizeof what, "disks on the %s controller", t->kind->label);
		if (blocked(&p, disk, 1, WF_CLASS_DISKDRIVE, why, sizeof why, val, sizeof val))
			emit_blocked(c, r, t, what, why, val, t->boot);
	}
	devpol_free(&p);
}

/* --- memory integrity -------------------------------------------------------------- */

#define HVCI_KEY "Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity"
#define HVCI_POLICY "Policies\\Microsoft\\Windows\\DeviceGuard"

void wf_rule_hvci(struct wf_rctx *c, const struct wf_rule *r)
{
	if (c->winver && c->winver < WF_WINVER(10, 0))
		return;		/* Windows 10 / Server 2016 and later */
	wf_node k = wf_hive_lookup_from(c->sys, c->ccs, HVCI_KEY);
	uint32_t on = 0, locked = 0, pol = 0;
	int reg = wf_hive_get_dword(c->sys, k, "Enabled", &on) == 0 && on == 1;
	wf_hive_get_dword(c->sys, k, "Locked", &locked);
	struct wf_hive *sw = c->in->software;
	wf_node pn = sw ? wf_hive_lookup(sw, HVCI_POLICY) : 0;
	int by_policy = pn && wf_hive_get_dword(sw, pn, "HypervisorEnforcedCodeIntegrity", &pol) == 0 &&
			(pol == 1 || pol == 2);
	if (!reg && !by_policy)
		return;
	int lock = (reg && locked == 1) || (by_policy && pol == 1);
	struct wf_finding *f = wf_rule_emit(c, r->id, lock ? WF_SEV_WARNING : -1, "DeviceGuard",
					    lock ? " (with UEFI lock)" : "", NULL, NULL);
	wf_finding_set(&f->explanation,
		       "Memory integrity (hypervisor-protected code integrity) runs the kernel's code integrity "
		       "checks inside virtualization-based security, on the Windows hypervisor. On KVM that "
		       "hypervisor starts only when the VM's CPU shows the virtualization extensions (nested "
		       "virtualization: vmx/svm passed through); without them Windows boots without memory "
		       "integrity, and with them the nested hypervisor slows boot and I/O. While it is on, "
		       "drivers that are not compatible with it (writable and executable sections, old or "
		       "test-signed drivers) are refused: a boot driver that is refused stops the boot.%s",
		       lock ? " With the UEFI lock the setting lives in a UEFI variable too: turning it off "
			      "in the registry alone does not disable it on the old firmware, and the new "
			      "VM's firmware starts without that variable." : "");
	wf_finding_set(&f->next_check,
		       "On the host: cat /sys/module/kvm_intel/parameters/nested (or kvm_amd); in the domain "
		       "XML <cpu mode='host-passthrough'/>. In the guest: msinfo32, \"Virtualization-based "
		       "security Services Running\". To turn it off before the move: Windows Security > Device "
		       "security > Core isolation > Memory integrity.");
	if (reg) {
		char *key = wf_rctx_ccs_path(c, HVCI_KEY);
		wf_rule_hive_evidence(c, f, key, "Enabled = 1%s", locked == 1 ? ", Locked = 1" : "");
		free(key);
	}
	if (by_policy)
		wf_finding_add_evidence(f, sw_name(c), HVCI_POLICY, 0, 0,
					pol == 1 ? "HypervisorEnforcedCodeIntegrity = 1 (enabled with UEFI lock)" :
						   "HypervisorEnforcedCodeIntegrity = 2 (enabled without lock)");
}
