#include "targets.h"
#include "domxml.h"
#include "controllers.h"
#include "hive.h"
#include "strbuf.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Names the operator and libvirt use for controller kinds.  libvirt domain
 * XML format (libvirt.org/formatdomain.html): <disk><target bus=
 * "virtio|scsi|sata|ide|usb|..."/>, <controller type='scsi' model=
 * "virtio-scsi|lsilogic|lsisas1068|vmpvscsi|...">, <interface><model
 * type="virtio|e1000|e1000e|rtl8139|vmxnet3"/>.
 */
static const struct alias {
	const char *name, *kind;
} aliases[] = {
	{ "virtio", "virtio-blk" },
	{ "virtio_blk", "virtio-blk" },
	{ "viostor", "virtio-blk" },
	{ "scsi", "virtio-scsi" },
	{ "virtio_scsi", "virtio-scsi" },
	{ "vioscsi", "virtio-scsi" },
	{ "ahci", "sata" },
	{ "lsisas1068", "lsi-sas" },
	{ "lsisas", "lsi-sas" },
	{ "lsilogic", "lsi-scsi" },
	{ "vmpvscsi", "pvscsi" },
	{ "netkvm", "virtio-net" },
	{ "virtio_net", "virtio-net" },
};

/* libvirt <controller type='scsi' model=...> -> kind.  No model: QEMU's
 * default SCSI controller on x86 is lsilogic [U: libvirt picks it when
 * the machine has no better default]. */
static const struct alias scsi_models[] = {
	{ "virtio-scsi", "virtio-scsi" },
	{ "virtio-transitional", "virtio-scsi" },
	{ "virtio-non-transitional", "virtio-scsi" },
	{ "lsilogic", "lsi-scsi" },
	{ "lsisas1068", "lsi-sas" },
	{ "vmpvscsi", "pvscsi" },
	{ "", "lsi-scsi" },
};

static const struct alias disk_buses[] = {
	{ "virtio", "virtio-blk" },
	{ "sata", "sata" },
	{ "ide", "ide" },
	{ "nvme", "nvme" },
};

/* <interface> without <model>: QEMU's default NIC on i440fx was rtl8139
 * [U: newer libvirt/QEMU may differ per machine type]. */
static const struct alias nic_models[] = {
	{ "virtio", "virtio-net" },
	{ "virtio-transitional", "virtio-net" },
	{ "virtio-non-transitional", "virtio-net" },
	{ "e1000", "e1000" },
	{ "e1000e", "e1000e" },
	{ "rtl8139", "rtl8139" },
	{ "vmxnet3", "vmxnet3" },
	{ "", "rtl8139" },
};

static const char *lookup(const struct alias *a, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (wf_streqi(a[i].name, name))
			return a[i].kind;
	return NULL;
}

#define N(a) (sizeof (a) / sizeof (a)[0])

static const struct wf_ctrl_kind *kind_named(const char *name)
{
	const struct wf_ctrl_kind *k = wf_ctrl_kind_by_id(name);
	if (!k) {
		const char *id = lookup(aliases, N(aliases), name);
		k = id ? wf_ctrl_kind_by_id(id) : NULL;
	}
	return k;
}

int wf_targets_add(struct wf_targets *t, const struct wf_ctrl_kind *k, int boot)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].kind == k) {
			t->v[i].boot |= boot;
			return 0;
		}
	if (t->n == WF_TARGETS_MAX)
		return -1;
	t->v[t->n].kind = k;
	t->v[t->n].boot = boot;
	t->n++;
	return 0;
}

void wf_targets_describe(const struct wf_targets *t, char *buf, size_t n)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (size_t i = 0; i < t->n; i++)
		wf_sb_addf(&sb, "%s%s%s%s", i ? ", " : "", t->v[i].kind->id,
			   t->v[i].variant == WF_VAR_TRANSITIONAL ? "-transitional" :
			   t->v[i].variant == WF_VAR_MODERN ? "-modern" : "",
			   t->v[i].kind->cls == WF_CTRL_STORAGE && t->v[i].boot ?
			   " (boot)" : "");
	snprintf(buf, n, "%s", sb.len ? sb.buf : "none");
	wf_sb_release(&sb);
}

void wf_targets_default(struct wf_targets *t)
{
	memset(t, 0, sizeof *t);
	wf_targets_add(t, wf_ctrl_kind_by_id("virtio-blk"), 1);
	wf_targets_add(t, wf_ctrl_kind_by_id("virtio-net"), 0);
	t->origin = WF_TGT_DEFAULT;
	snprintf(t->note, sizeof t->note,
		 "no --target or --domain-xml given: assuming the VM presents virtio-blk + virtio-net");
}

static void known_list(struct wf_strbuf *sb)
{
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++)
		if (wf_ctrl_kinds[i].pci[0])
			wf_sb_addf(sb, "%s%s", i ? ", " : "", wf_ctrl_kinds[i].id);
}

const char *wf_machine_family(const char *m)
{
	if (!m || !*m)
		return NULL;
	if (wf_strcasestr(m, "q35"))
		return "q35";
	if (wf_streqi(m, "pc") || wf_streqi(m, "i440fx") || wf_startswithi(m, "pc-i440fx") ||
	    wf_startswithi(m, "pc-1.") || wf_startswithi(m, "pc-0."))
		return "pc";
	return NULL;
}

const char *wf_target_presented(const struct wf_targets *ts, const struct wf_target *t)
{
	if (t->hwid[0])
		return t->hwid;
	const struct wf_ctrl_kind *k = t->kind;
	int pcie = t->variant == WF_VAR_MODERN ||
		   (t->variant == WF_VAR_DEFAULT && ts && strcmp(ts->machine, "q35") == 0);
	return pcie && k->qemu_pcie ? k->qemu_pcie : k->qemu;
}

/* "virtio-blk-modern" -> kind virtio-blk, *variant MODERN. */
static const struct wf_ctrl_kind *kind_variant(const char *tok, enum wf_target_variant *v)
{
	static const struct { const char *suffix; enum wf_target_variant v; } sfx[] = {
		{ "-transitional", WF_VAR_TRANSITIONAL }, { "-modern", WF_VAR_MODERN },
		{ "-non-transitional", WF_VAR_MODERN },
	};
	*v = WF_VAR_DEFAULT;
	const struct wf_ctrl_kind *k = kind_named(tok);
	size_t l = strlen(tok);
	for (size_t i = 0; !k && i < N(sfx); i++) {
		size_t sl = strlen(sfx[i].suffix);
		if (l > sl && wf_streqi(tok + l - sl, sfx[i].suffix)) {
			char base[64];
			snprintf(base, sizeof base, "%.*s", (int)(l - sl), tok);
			k = kind_named(base);
			if (k && !k->qemu_pcie)
				k = NULL;	/* only virtio kinds have variants */
			*v = sfx[i].v;
		}
	}
	return k;
}

const char *wf_firmware_name(enum wf_firmware f)
{
	return f == WF_FW_EFI ? "UEFI" : f == WF_FW_BIOS ? "BIOS" : "unknown";
}

const char *wf_tpm_name(enum wf_tpm t)
{
	return t == WF_TPM_PRESENT ? "vTPM" : t == WF_TPM_NONE ? "no vTPM" : "unknown";
}

/* Firmware and TPM words of --target; 1 when `tok` is one. */
static int platform_token(struct wf_targets *t, const char *tok)
{
	static const struct { const char *w; int fw, tpm; } words[] = {
		{ "efi", WF_FW_EFI, 0 }, { "uefi", WF_FW_EFI, 0 }, { "ovmf", WF_FW_EFI, 0 },
		{ "bios", WF_FW_BIOS, 0 }, { "seabios", WF_FW_BIOS, 0 },
		{ "tpm", 0, WF_TPM_PRESENT }, { "vtpm", 0, WF_TPM_PRESENT },
		{ "no-tpm", 0, WF_TPM_NONE }, { "notpm", 0, WF_TPM_NONE },
	};
	for (size_t i = 0; i < N(words); i++)
		if (wf_streqi(tok, words[i].w)) {
			if (words[i].fw)
				t->firmware = (enum wf_firmware)words[i].fw;
			if (words[i].tpm)
				t->tpm = (enum wf_tpm)words[i].tpm;
			return 1;
		}
	return 0;
}

static int add_token(struct wf_targets *t, const char *tok, struct wf_error *e)
{
	const char *fam = wf_machine_family(tok);
	if (fam) {
		snprintf(t->machine, sizeof t->machine, "%s", fam);
		return 0;
	}
	if (platform_token(t, tok))
		return 0;
	enum wf_target_variant v;
	const struct wf_ctrl_kind *k = kind_variant(tok, &v);
	if (!k || !k->pci[0]) {
		struct wf_strbuf sb = WF_STRBUF_INIT;
		known_list(&sb);
		int r = wf_error_set(e, WF_ERR_USAGE,
				     "--target: unknown controller \"%s\" (known: %s; virtio kinds also "
				     "as <kind>-transitional / <kind>-modern; machine q35 or pc; "
				     "firmware efi or bios; tpm or no-tpm)",
				     tok, sb.buf);
		wf_sb_release(&sb);
		return r;
	}
	if (wf_targets_add(t, k, k->cls == WF_CTRL_STORAGE) < 0)
		return wf_error_set(e, WF_ERR_USAGE, "--target: more than %d controllers",
				    WF_TARGETS_MAX);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].kind == k && v)
			t->v[i].variant = v;
	return 0;
}

int wf_targets_parse_list(const char *list, struct wf_targets *t,
			  struct wf_error *e)
{
	memset(t, 0, sizeof *t);
	t->origin = WF_TGT_OPTION;
	char *copy = wf_xstrdup(list ? list : ""), *save = NULL;
	int r = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && r == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		wf_trim(tok);
		if (*tok)
			r = add_token(t, tok, e);
	}
	free(copy);
	int platform_only = t->n == 0 && (t->machine[0] || t->firmware || t->tpm);
	if (platform_only) {	/* "--target efi": the default controllers on it */
		wf_targets_add(t, wf_ctrl_kind_by_id("virtio-blk"), 1);
		wf_targets_add(t, wf_ctrl_kind_by_id("virtio-net"), 0);
	}
	if (r == 0 && t->n == 0)
		r = wf_error_set(e, WF_ERR_USAGE, "--target: empty controller list");
	if (r == 0) {
		char d[200];
		wf_targets_describe(t, d, sizeof d);
		snprintf(t->note, sizeof t->note, "targets from --target: %s%s%s%s%s%s%s%s", d,
			 platform_only ? " (default controllers)" : "",
			 t->machine[0] ? ", machine " : "", t->machine,
			 t->firmware ? ", firmware " : "", t->firmware ? wf_firmware_name(t->firmware) : "",
			 t->tpm ? ", " : "", t->tpm ? wf_tpm_name(t->tpm) : "");
	}
	return r;
}

struct domscan {
	const struct wf_domfacts *f;
	const char *scsi_kind;	/* from the first SCSI controller */
	struct wf_error *e;
	enum wf_target_variant scsi_var;
};

/* libvirt model="virtio-transitional" / "virtio-non-transitional". */
static enum wf_target_variant model_variant(const char *model)
{
	if (wf_streqi(model, "virtio-transitional"))
		return WF_VAR_TRANSITIONAL;
	if (wf_streqi(model, "virtio-non-transitional"))
		return WF_VAR_MODERN;
	return WF_VAR_DEFAULT;
}

static void set_variant(struct wf_targets *t, const char *kind, enum wf_target_variant v)
{
	for (size_t i = 0; v && i < t->n; i++)
		if (t->v[i].kind == wf_ctrl_kind_by_id(kind))
			t->v[i].variant = v;
}

static int scsi_controller(struct domscan *d)
{
	for (size_t i = 0; i < d->f->n_ctrls; i++) {
		const struct wf_domfacts_ctrl *c = &d->f->ctrls[i];
		if (strcmp(c->type, "scsi"))
			continue;
		d->scsi_kind = lookup(scsi_models, N(scsi_models), c->model);
		if (!d->scsi_kind)
			return wf_error_set(d->e, WF_ERR_INPUT,
					    "domain XML %s: SCSI controller model \"%s\" is not supported (virtio-scsi, lsilogic, lsisas1068, vmpvscsi)",
					    d->f->name, c->model);
		d->scsi_var = model_variant(c->model);
		return 0;
	}
	d->scsi_kind = lookup(scsi_models, N(scsi_models), "");
	return 0;
}

/* One <disk>: its kind, or NULL for CD-ROMs/floppies (not boot disks). */
static int disk_kind(struct domscan *d, const struct wf_domfacts_disk *disk, const char **kind)
{
	*kind = NULL;
	if (disk->device[0] && strcmp(disk->device, "disk") && strcmp(disk->device, "lun"))
		return 0;
	if (strcmp(disk->bus, "scsi") == 0)
		*kind = d->scsi_kind;
	else if (!(*kind = lookup(disk_buses, N(disk_buses), disk->bus)))
		return wf_error_set(d->e, WF_ERR_INPUT,
				    "domain XML %s: disk bus \"%s\" is not supported (virtio, scsi, sata, ide, nvme)",
				    d->f->name, disk->bus[0] ? disk->bus : "(none)");
	return 0;
}

static int scan_disks(struct domscan *d, struct wf_targets *t)
{
	const char *first = NULL, *boot = NULL;
	const char *kinds[WF_TARGETS_MAX];
	enum wf_target_variant vars[WF_TARGETS_MAX] = { 0 };
	size_t nk = 0;
	for (size_t i = 0; i < d->f->n_disks; i++) {
		const struct wf_domfacts_disk *disk = &d->f->disks[i];
		const char *k;
		if (disk_kind(d, disk, &k) < 0)
			return -1;
		if (!k)
			continue;
		if (!first)
			first = k;
		if (!boot && disk->boot)
			boot = k;
		if (nk < WF_TARGETS_MAX) {
			vars[nk] = strcmp(k, "virtio-scsi") == 0 ? d->scsi_var : model_variant(disk->model);
			kinds[nk++] = k;
		}
	}
	if (!boot)
		boot = first;
	if (boot)
		wf_targets_add(t, wf_ctrl_kind_by_id(boot), 1);
	for (size_t i = 0; i < nk; i++)
		wf_targets_add(t, wf_ctrl_kind_by_id(kinds[i]), 0);
	for (size_t i = 0; i < nk; i++)
		set_variant(t, kinds[i], vars[i]);
	return 0;
}

static int scan_nics(struct domscan *d, struct wf_targets *t)
{
	for (size_t i = 0; i < d->f->n_nics; i++) {
		const char *model = d->f->nics[i];
		const char *k = lookup(nic_models, N(nic_models), model);
		if (!k)
			return wf_error_set(d->e, WF_ERR_INPUT,
					    "domain XML %s: interface model \"%s\" is not supported (virtio, e1000, e1000e, rtl8139, vmxnet3)",
					    d->f->name, model);
		wf_targets_add(t, wf_ctrl_kind_by_id(k), 0);
		set_variant(t, k, model_variant(model));
	}
	return 0;
}

/* <os firmware='efi'> (libvirt 5.2+ firmware autoselection), or an <os>
 * <loader> that is a pflash or an OVMF/edk2 image: UEFI; else libvirt's
 * x86 default, SeaBIOS.  <devices><tpm>: a virtual TPM. */
static void scan_platform(const struct wf_domfacts *f, struct wf_targets *t)
{
	int efi = wf_streqi(f->firmware, "efi") || wf_streqi(f->loader_type, "pflash") ||
		  wf_strcasestr(f->loader, "ovmf") || wf_strcasestr(f->loader, "edk2") ||
		  wf_strcasestr(f->loader, "aavmf");
	t->firmware = efi ? WF_FW_EFI : WF_FW_BIOS;
	t->tpm = f->tpm ? WF_TPM_PRESENT : WF_TPM_NONE;
}

int wf_targets_from_domfacts(const struct wf_domfacts *f, struct wf_targets *t,
			     struct wf_error *e)
{
	memset(t, 0, sizeof *t);
	t->origin = WF_TGT_DOMXML;
	struct domscan d = { .f = f, .e = e };
	scan_platform(f, t);
	const char *fam = wf_machine_family(f->machine);
	snprintf(t->machine, sizeof t->machine, "%.*s", (int)sizeof t->machine - 1,
		 fam ? fam : f->machine);
	if (!f->has_devices)
		return wf_error_set(e, WF_ERR_INPUT,
				    "domain XML %s: no <devices> element", f->name);
	if (scsi_controller(&d) < 0 || scan_disks(&d, t) < 0 ||
	    scan_nics(&d, t) < 0)
		return -1;
	if (t->n == 0)
		return wf_error_set(e, WF_ERR_INPUT,
				    "domain XML %s: no disk and no network interface", f->name);
	char desc[200];
	wf_targets_describe(t, desc, sizeof desc);
	snprintf(t->note, sizeof t->note, "targets from the domain XML %s: %s%s%s, firmware %s, %s",
		 f->name, desc, t->machine[0] ? ", machine " : "", t->machine,
		 wf_firmware_name(t->firmware), wf_tpm_name(t->tpm));
	return 0;
}

int wf_targets_from_domxml_mem(const char *buf, size_t len, const char *name,
			       struct wf_targets *t, struct wf_error *e)
{
	struct wf_domfacts *f = wf_xmalloc(sizeof *f);
	int r = wf_domfacts_read(buf, len, name, f, e);
	if (r == 0)
		r = wf_targets_from_domfacts(f, t, e);
	else
		memset(t, 0, sizeof *t);
	free(f);
	return r;
}

int wf_targets_from_domxml_file(const char *path, struct wf_targets *t,
				struct wf_error *e)
{
	struct wf_domfacts *f = wf_xmalloc(sizeof *f);
	int r = wf_domfacts_read_file(path, f, e);
	if (r == 0)
		r = wf_targets_from_domfacts(f, t, e);
	else
		memset(t, 0, sizeof *t);
	free(f);
	return r;
}

/* --- the controllers a hive booted from --------------------------------------------- */

size_t wf_targets_from_hive(struct wf_hive *sys, const char *ccs,
			    unsigned winver, struct wf_targets *t)
{
	memset(t, 0, sizeof *t);
	t->origin = WF_TGT_HIVE;
	struct wf_controllers ctrl;
	if (wf_ctrl_evaluate(sys, ccs, winver, NULL, NULL, NULL, &ctrl, NULL) < 0)
		return 0;
	wf_node svcs = wf_hive_lookup(sys, ccs);
	svcs = wf_hive_child(sys, svcs, "Services");
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (size_t i = 0; i < ctrl.n_seen; i++) {
		const struct wf_seen_device *d = &ctrl.seen[i];
		uint32_t start;
		if (!d->kind || d->kind->cls != WF_CTRL_STORAGE || !d->service)
			continue;
		wf_node s = wf_hive_child(sys, svcs, d->service);
		if (!s || wf_hive_get_dword(sys, s, "Start", &start) < 0 || start != 0)
			continue;
		size_t before = t->n;
		if (wf_targets_add(t, d->kind, 1) < 0)
			break;
		if (t->n > before) {
			snprintf(t->v[t->n - 1].hwid, sizeof t->v[0].hwid, "%s", d->hwid);
			wf_sb_addf(&sb, "%s%s (PCI\\%s, service %s, Start 0)",
				   sb.len ? "; " : "", d->kind->id, d->hwid, d->service);
		}
	}
	wf_controllers_free(&ctrl);
	if (t->n)
		snprintf(t->note, sizeof t->note,
			 "no --target given: judging the controller(s) this hive booted from: %s",
			 sb.buf);
	wf_sb_release(&sb);
	return t->n;
}
