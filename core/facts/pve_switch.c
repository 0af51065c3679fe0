/* The `qm set` commands that switch a Proxmox VE VM to other controllers. */
#include "pve.h"

#include <stdio.h>
#include <string.h>

/* Our kind -> the Proxmox bus (and scsihw), NIC model.  Sources: pve-docs
 * qm.adoc ("Hard Disk", "SCSI Controller Type", "Network Device"). */
static const struct want_map {
	const char *kind, *bus, *scsihw;
} storage_map[] = {
	{ .kind = "virtio-blk", .bus = "virtio", .scsihw = NULL },
	{ .kind = "virtio-scsi", .bus = "scsi", .scsihw = "virtio-scsi-single" },
	{ .kind = "sata", .bus = "sata", .scsihw = NULL },
	{ .kind = "ide", .bus = "ide", .scsihw = NULL },
	{ .kind = "pvscsi", .bus = "scsi", .scsihw = "pvscsi" },
	{ .kind = "lsi-scsi", .bus = "scsi", .scsihw = "lsi" },
}, nic_map[] = {
	{ .kind = "virtio-net", .bus = "virtio" },
	{ .kind = "e1000", .bus = "e1000" },
	{ .kind = "e1000e", .bus = "e1000e" },
	{ .kind = "rtl8139", .bus = "rtl8139" },
	{ .kind = "vmxnet3", .bus = "vmxnet3" },
};

static const struct want_map *find(const struct want_map *m, size_t n, const char *kind)
{
	for (size_t i = 0; kind && i < n; i++)
		if (strcmp(m[i].kind, kind) == 0)
			return &m[i];
	return NULL;
}

static int used(const struct wf_pve *p, const char *bus, unsigned idx, const char (*taken)[12], size_t nt)
{
	char k[16];
	snprintf(k, sizeof k, "%s%u", bus, idx);
	for (size_t i = 0; i < p->n_disks; i++)
		if (strcmp(p->disks[i].key, k) == 0)	/* on that bus already: stays */
			return 1;
	for (size_t i = 0; i < nt; i++)
		if (strcmp(taken[i], k) == 0)
			return 1;
	return 0;
}

/* Replace each old key of the boot order by its new key. */
static void boot_order(const struct wf_pve *p, const char (*from)[12], const char (*to)[12],
		       size_t n, const char *boot_new, struct wf_strbuf *out)
{
	struct wf_strbuf o = WF_STRBUF_INIT;
	const char *s = p->boot_order;
	while (*s) {
		size_t l = strcspn(s, ";");
		char k[64];
		snprintf(k, sizeof k, "%.*s", (int)(l < 63 ? l : 63), s);
		for (size_t i = 0; i < n; i++)
			if (strcmp(k, from[i]) == 0)
				snprintf(k, sizeof k, "%s", to[i]);
		wf_sb_addf(&o, "%s%s", o.len ? ";" : "", k);
		s += l + (s[l] == ';');
	}
	if (!o.len)
		wf_sb_adds(&o, boot_new);
	wf_sb_addf(out, " --boot 'order=%s'", o.buf);
	wf_sb_release(&o);
}

static void set_nics(const struct wf_pve *p, const char *vmid, const char *model,
		     struct wf_strbuf *out)
{
	for (size_t i = 0; i < p->n_nics; i++) {
		const struct wf_pve_nic *n = &p->nics[i];
		if (strcmp(n->model, model) == 0)
			continue;
		const char *r = n->rest;
		if (strncmp(r, "model=", 6) == 0)	/* model=M,macaddr=... */
			wf_sb_addf(out, "qm set %s --%s 'model=%s%s'\n", vmid, n->key, model, r + 6 + strcspn(r + 6, ","));
		else	/* M=MAC,bridge=... */
			wf_sb_addf(out, "qm set %s --%s '%s%s'\n", vmid, n->key, model, r + strcspn(r, "=,"));
	}
}

int wf_pve_switch_cmds(const struct wf_pve *p, const char *vmid,
		       const char *want_storage, const char *want_nic,
		       struct wf_strbuf *out, struct wf_error *e)
{
	const struct want_map *ws = find(storage_map, sizeof storage_map / sizeof storage_map[0], want_storage);
	const struct want_map *wn = find(nic_map, sizeof nic_map / sizeof nic_map[0], want_nic);
	if (want_storage && !ws)
		return wf_error_set(e, WF_ERR_USAGE, "Proxmox VE has no bus for %s", want_storage);
	if (want_nic && !wn)
		return wf_error_set(e, WF_ERR_USAGE, "Proxmox VE has no NIC model for %s", want_nic);
	char from[WF_PVE_MAX_DISKS][12], to[WF_PVE_MAX_DISKS][12];
	size_t n = 0;
	const struct wf_pve_disk *boot = wf_pve_boot_disk(p);
	const char *boot_new = boot ? boot->key : "";
	const struct wf_pve_bus *bus;
	unsigned idx;
	char first[16];
	snprintf(first, sizeof first, "%s0", ws ? ws->bus : "ide");
	wf_pve_disk_key(first, &bus, &idx);
	for (size_t i = 0; ws && i < p->n_disks; i++) {
		const struct wf_pve_disk *d = &p->disks[i];
		if (d->cdrom || strcmp(d->bus, ws->bus) == 0)
			continue;
		unsigned k = 0;
		while (k < bus->slots && used(p, bus->name, k, (const char (*)[12])to, n))
			k++;
		if (k == bus->slots)
			return wf_error_set(e, WF_ERR_USAGE, "Proxmox VE: no free %s slot for %s", bus->name, d->key);
		snprintf(from[n], sizeof from[n], "%s", d->key);
		snprintf(to[n], sizeof to[n], "%s%u", bus->name, k);
		wf_sb_addf(out, "qm set %s --delete %s\n", vmid, d->key);
		wf_sb_addf(out, "qm set %s --%s '%s%s%s'\n", vmid, to[n], d->volume, d->rest[0] ? "," : "", d->rest);
		if (d == boot)
			boot_new = to[n];
		n++;
	}
	if (ws && ws->scsihw && strcmp(p->scsihw, ws->scsihw) &&
	    !(strcmp(ws->kind, "virtio-scsi") == 0 && strncmp(p->scsihw, "virtio-scsi", 11) == 0) &&
	    !(strcmp(ws->scsihw, "lsi") == 0 && !p->scsihw[0]))
		wf_sb_addf(out, "qm set %s --scsihw %s\n", vmid, ws->scsihw);
	if (n) {
		wf_sb_addf(out, "qm set %s", vmid);
		boot_order(p, (const char (*)[12])from, (const char (*)[12])to, n, boot_new, out);
		wf_sb_adds(out, "\n");
	}
	if (wn)
		set_nics(p, vmid, wn->bus, out);
	return 0;
}
