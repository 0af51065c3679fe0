#include "pve.h"
#include "controllers.h"
#include "targets.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Proxmox VE names -> controller kinds.  Sources: pve-docs qm.adoc
 * ("Hard Disk" bus list; "SCSI Controller Type": lsi = LSI 53C895A, the
 * default; lsi53c810; megasas; pvscsi; virtio-scsi-pci, virtio-scsi-single;
 * "Network Device": e1000, e1000e, virtio, rtl8139, vmxnet3), and the
 * qemu-server PVE/QemuServer.pm option schema (scsihw enum, nic models).
 */
static const struct pve_name {
	const char *pve, *kind;
} scsihw_kinds[] = {
	{ .pve = "", .kind = "lsi-scsi" },	/* default: lsi (53C895A, 1000:0012) */
	{ .pve = "lsi", .kind = "lsi-scsi" },
	{ .pve = "virtio-scsi-pci", .kind = "virtio-scsi" },
	{ .pve = "virtio-scsi-single", .kind = "virtio-scsi" },
	{ .pve = "pvscsi", .kind = "pvscsi" },
	/* lsi53c810 (1000:0001) and megasas (1000:0079): no catalogue row */
}, bus_kinds[] = {
	{ .pve = "ide", .kind = "ide" },
	{ .pve = "sata", .kind = "sata" },
	{ .pve = "virtio", .kind = "virtio-blk" },
}, nic_kinds[] = {
	{ .pve = "virtio", .kind = "virtio-net" },
	{ .pve = "e1000", .kind = "e1000" },
	{ .pve = "e1000e", .kind = "e1000e" },
	{ .pve = "rtl8139", .kind = "rtl8139" },
	{ .pve = "vmxnet3", .kind = "vmxnet3" },
};

/* Bus order and slot counts of qemu-server ($MAX_IDE_DISKS 4,
 * $MAX_SATA_DISKS 6, $MAX_SCSI_DISKS 31, $MAX_VIRTIO_DISKS 16). */
static const struct wf_pve_bus buses[] = {
	{ .name = "ide", .slots = 4 },
	{ .name = "sata", .slots = 6 },
	{ .name = "scsi", .slots = 31 },
	{ .name = "virtio", .slots = 16 },
};

#define N(a) (sizeof (a) / sizeof (a)[0])

static const char *kind_of(const struct pve_name *t, size_t n, const char *pve)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].pve, pve) == 0)
			return t[i].kind;
	return NULL;
}

/* "scsi12" -> bus "scsi", index 12; 0 when not a disk key. */
int wf_pve_disk_key(const char *key, const struct wf_pve_bus **bus, unsigned *idx)
{
	for (size_t i = 0; i < N(buses); i++) {
		size_t l = strlen(buses[i].name);
		const char *d = key + l;
		if (strncmp(key, buses[i].name, l) || !*d || strspn(d, "0123456789") != strlen(d) ||
		    strlen(d) > 2 || (d[0] == '0' && d[1]))
			continue;
		*idx = (unsigned)atoi(d);
		*bus = &buses[i];
		return *idx < buses[i].slots;
	}
	return 0;
}

/* Value of option `name` in "a,b=c,name=v,..." into out ("" when absent). */
static void opt(const char *list, const char *name, char *out, size_t n)
{
	size_t l = strlen(name);
	out[0] = 0;
	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (strncmp(p, name, l) == 0 && p[l] == '=') {
			size_t k = strcspn(p + l + 1, ",");
			snprintf(out, n, "%.*s", (int)(k < n ? k : n - 1), p + l + 1);
			return;
		}
}

static int add_disk(struct wf_pve *p, const char *key, const struct wf_pve_bus *bus,
		    unsigned idx, const char *val, const char *name, struct wf_error *e)
{
	if (p->n_disks == WF_PVE_MAX_DISKS)
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: more than %d disks", name, WF_PVE_MAX_DISKS);
	struct wf_pve_disk *d = &p->disks[p->n_disks++];
	memset(d, 0, sizeof *d);
	snprintf(d->key, sizeof d->key, "%s", key);
	snprintf(d->bus, sizeof d->bus, "%s", bus->name);
	d->index = idx;
	const char *v = val;
	if (strncmp(v, "file=", 5) == 0)
		v += 5;
	size_t k = strcspn(v, ",");
	if (k == 0 || k >= sizeof d->volume)
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: %s: no volume or a volume name too long", name, key);
	memcpy(d->volume, v, k);
	snprintf(d->rest, sizeof d->rest, "%s", v[k] ? v + k + 1 : "");
	char media[16];
	opt(d->rest, "media", media, sizeof media);
	d->cdrom = strcmp(media, "cdrom") == 0 || strcmp(d->volume, "cdrom") == 0;
	opt(d->rest, "format", d->format, sizeof d->format);
	return 0;
}

static int add_nic(struct wf_pve *p, const char *key, const char *val, const char *name,
		   struct wf_error *e)
{
	if (p->n_nics == WF_PVE_MAX_NICS)
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: more than %d NICs", name, WF_PVE_MAX_NICS);
	struct wf_pve_nic *n = &p->nics[p->n_nics++];
	memset(n, 0, sizeof *n);
	snprintf(n->key, sizeof n->key, "%s", key);
	opt(val, "model", n->model, sizeof n->model);	/* "model=virtio,macaddr=..." */
	size_t k = strcspn(val, "=,");
	if (!n->model[0])
		snprintf(n->model, sizeof n->model, "%.*s", (int)(k < sizeof n->model ? k : sizeof n->model - 1), val);
	snprintf(n->rest, sizeof n->rest, "%s", val);
	if (!n->model[0])
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: %s has no model", name, key);
	return 0;
}

/* "order=scsi0;ide2;net0" -> first disk key; legacy "bootdisk: KEY". */
static void boot_from(struct wf_pve *p, const char *key, const char *val)
{
	if (strcmp(key, "bootdisk") == 0 && !p->boot[0])
		snprintf(p->boot, sizeof p->boot, "%.*s", (int)strcspn(val, " "), val);
	if (strcmp(key, "boot") || strncmp(val, "order=", 6))
		return;
	snprintf(p->boot_order, sizeof p->boot_order, "%.*s", (int)strcspn(val + 6, ","), val + 6);
	for (const char *d = val + 6; *d; d += strcspn(d, ";,"), d += *d == ';') {
		char k[12] = "";
		const struct wf_pve_bus *b;
		unsigned i;
		snprintf(k, sizeof k, "%.*s", (int)strcspn(d, ";,"), d);
		if (*d == ',')
			break;
		if (wf_pve_disk_key(k, &b, &i)) {
			memcpy(p->boot, k, sizeof p->boot - 1);	/* ordered list wins */
			return;
		}
	}
}

static int line(struct wf_pve *p, char *l, const char *name, struct wf_error *e)
{
	char *colon = strchr(l, ':');
	if (!colon)
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: line \"%.60s\" is not \"key: value\"", name, l);
	*colon = 0;
	char *key = wf_trim(l), *val = wf_trim(colon + 1);
	const struct wf_pve_bus *bus;
	unsigned idx;
	if (wf_pve_disk_key(key, &bus, &idx))
		return add_disk(p, key, bus, idx, val, name, e);
	if (strncmp(key, "net", 3) == 0 && key[3] && strspn(key + 3, "0123456789") == strlen(key + 3))
		return add_nic(p, key, val, name, e);
	if (strcmp(key, "machine") == 0) {
		snprintf(p->machine, sizeof p->machine, "%.*s", (int)strcspn(val, ","), val);
		p->q35 = strstr(p->machine, "q35") != NULL;
	} else if (strcmp(key, "bios") == 0)
		snprintf(p->bios, sizeof p->bios, "%s", val);
	else if (strcmp(key, "scsihw") == 0)
		snprintf(p->scsihw, sizeof p->scsihw, "%s", val);
	else if (strcmp(key, "name") == 0)
		snprintf(p->name, sizeof p->name, "%s", val);
	else if (strcmp(key, "ostype") == 0)
		snprintf(p->ostype, sizeof p->ostype, "%s", val);
	else
		boot_from(p, key, val);
	return 0;
}

static int by_bus(const void *a, const void *b)
{
	const struct wf_pve_disk *x = a, *y = b;
	size_t bx = 0, by = 0;
	for (size_t i = 0; i < N(buses); i++) {
		bx = strcmp(x->bus, buses[i].name) ? bx : i;
		by = strcmp(y->bus, buses[i].name) ? by : i;
	}
	return bx != by ? (bx < by ? -1 : 1) : (x->index > y->index) - (x->index < y->index);
}

int wf_pve_parse(const char *buf, size_t len, const char *name, struct wf_pve *p,
		 struct wf_error *e)
{
	memset(p, 0, sizeof *p);
	snprintf(p->bios, sizeof p->bios, "seabios");
	size_t nlines = 0;
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (buf + off)) : len - off;
		if (++nlines > 4096 || l > 4096)
			return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: more than 4096 lines or a line over 4096 bytes", name);
		char text[4097];
		memcpy(text, buf + off, l);
		text[l] = 0;
		off += l + 1;
		if (memchr(text, 0, l))
			return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: a NUL byte (not a text file)", name);
		char *t = wf_trim(text);
		if (t[0] == '[')	/* snapshots and [PENDING] follow the current config */
			break;
		if (!t[0] || t[0] == '#')
			continue;
		if (line(p, t, name, e) < 0)
			return -1;
	}
	if (!p->n_disks && !p->n_nics)
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: no disk and no netN line (not a qemu-server config?)", name);
	qsort(p->disks, p->n_disks, sizeof p->disks[0], by_bus);
	return 0;
}

int wf_pve_parse_file(const char *path, struct wf_pve *p, struct wf_error *e)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, 1u << 20, e);
	if (r < 0)
		wf_error_prefix(e, "Proxmox config");
	else
		r = wf_pve_parse(sb.buf, sb.len, path, p, e);
	wf_sb_release(&sb);
	return r;
}

const struct wf_pve_disk *wf_pve_boot_disk(const struct wf_pve *p)
{
	const struct wf_pve_disk *first = NULL;
	for (size_t i = 0; i < p->n_disks; i++) {
		if (p->disks[i].cdrom)
			continue;
		if (!first)
			first = &p->disks[i];
		if (strcmp(p->disks[i].key, p->boot) == 0)
			return &p->disks[i];
	}
	return first;
}

static const char *disk_kind(const struct wf_pve *p, const struct wf_pve_disk *d,
			     const char *name, struct wf_error *e)
{
	const char *k = strcmp(d->bus, "scsi") == 0 ? kind_of(scsihw_kinds, N(scsihw_kinds), p->scsihw)
						     : kind_of(bus_kinds, N(bus_kinds), d->bus);
	if (!k)
		wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: SCSI controller \"%s\" is not supported (lsi, virtio-scsi-pci, virtio-scsi-single, pvscsi)",
			     name, p->scsihw);
	return k;
}

int wf_pve_targets(const struct wf_pve *p, struct wf_targets *t, struct wf_error *e)
{
	const char *name = p->name[0] ? p->name : "VM";
	memset(t, 0, sizeof *t);
	t->origin = WF_TGT_DOMXML;
	const struct wf_pve_disk *boot = wf_pve_boot_disk(p);
	const char *k;
	if (boot) {
		if (!(k = disk_kind(p, boot, name, e)))
			return -1;
		wf_targets_add(t, wf_ctrl_kind_by_id(k), 1);
	}
	for (size_t i = 0; i < p->n_disks; i++) {
		if (p->disks[i].cdrom)
			continue;
		if (!(k = disk_kind(p, &p->disks[i], name, e)))
			return -1;
		wf_targets_add(t, wf_ctrl_kind_by_id(k), 0);
	}
	for (size_t i = 0; i < p->n_nics; i++) {
		if (!(k = kind_of(nic_kinds, N(nic_kinds), p->nics[i].model)))
			return wf_error_set(e, WF_ERR_INPUT, "Proxmox config %s: %s model \"%s\" is not supported (virtio, e1000, e1000e, rtl8139, vmxnet3)",
					    name, p->nics[i].key, p->nics[i].model);
		wf_targets_add(t, wf_ctrl_kind_by_id(k), 0);
	}
	char d[200];
	wf_targets_describe(t, d, sizeof d);
	snprintf(t->note, sizeof t->note, "targets from the Proxmox VE config of %s (%s, %s): %s",
		 name, p->q35 ? "q35" : "i440fx", p->bios, d);
	return 0;
}
