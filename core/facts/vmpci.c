/*
 * vmpci.c - transitional or modern virtio PCI ids (see vmpci.h).
 *
 * Facts:
 *  [VIRTIO] OASIS virtio 1.x, "PCI Device Discovery" (4.1.2): vendor 0x1AF4;
 *           transitional devices use device ids 0x1000-0x103F (network
 *           0x1000, block 0x1001, SCSI 0x1004), modern ones 0x1040 + the
 *           virtio device type (network 1 -> 0x1041, block 2 -> 0x1042,
 *           SCSI 8 -> 0x1048).
 *  [LIBVIRT] libvirt "Domain XML format", "Virtio-related options" (since
 *           5.2.0): model "virtio-transitional" gives a transitional device,
 *           "virtio-non-transitional" a modern-only one; plain "virtio"
 *           depends on the slot: transitional on a conventional PCI bus
 *           (i440fx "pc" machines), modern only on PCI Express (q35, where
 *           libvirt plugs devices into pcie-root-ports) [U: a device placed
 *           by hand on a pcie-to-pci-bridge of a q35 machine would be
 *           transitional; not read here].  The model is an attribute of
 *           <disk> and of <controller type='scsi'>, and <model type=> inside
 *           <interface>.
 */
#include "vmpci.h"
#include "controllers.h"
#include "domxml.h"
#include "strbuf.h"
#include "text.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The virtio kinds whose id depends on the model; their transitional and
 * modern ids are the controller catalogue's (controllers.c: the id QEMU
 * presents on a PCI slot, and on a PCIe port). */
static const char *const vid_kinds[] = { "virtio-blk", "virtio-scsi", "virtio-net" };
#define N_VID (sizeof vid_kinds / sizeof vid_kinds[0])

static unsigned dev_of(const char *hwid)
{
	const char *d = hwid ? strstr(hwid, "DEV_") : NULL;
	return d ? (unsigned)strtoul(d + 4, NULL, 16) : 0;
}

unsigned wf_virtio_pci_dev(const char *kind, enum wf_vidmode mode)
{
	const struct wf_ctrl_kind *k = wf_ctrl_kind_by_id(kind);
	if (!k)
		return 0;
	return mode == WF_VID_MODERN ? dev_of(k->qemu_pcie)
	       : mode == WF_VID_TRANSITIONAL ? dev_of(k->qemu) : 0;
}

const struct wf_vm_vdev *wf_vm_virtio_dev(const struct wf_vm_virtio *v, const char *kind)
{
	for (size_t i = 0; i < N_VID; i++)
		if (v->dev[i].kind && wf_streqi(v->dev[i].kind, kind))
			return &v->dev[i];
	return NULL;
}

/* Attribute into buf ("" when absent), printable ASCII only. */
static void attr(xmlNode *n, const char *name, char *buf, size_t len)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	snprintf(buf, len, "%s", v ? (const char *)v : "");
	xmlFree(v);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
}

static void set_mode(const struct wf_vm_virtio *vm, struct wf_vm_vdev *d, const char *model)
{
	d->present = 1;
	snprintf(d->model, sizeof d->model, "%s", model);
	if (wf_streqi(model, "virtio-transitional")) {
		d->mode = WF_VID_TRANSITIONAL;
		snprintf(d->why, sizeof d->why, "model virtio-transitional");
	} else if (wf_streqi(model, "virtio-non-transitional")) {
		d->mode = WF_VID_MODERN;
		snprintf(d->why, sizeof d->why, "model virtio-non-transitional");
	} else {
		d->mode = vm->q35 == 1 ? WF_VID_MODERN : vm->q35 == 0 ? WF_VID_TRANSITIONAL
								  : WF_VID_UNKNOWN;
		snprintf(d->why, sizeof d->why, "%s machine%s%s, model %s",
			 vm->q35 == 1 ? "q35 (PCI Express)" : vm->q35 == 0 ? "i440fx (PCI)" : "unknown",
			 vm->machine[0] ? " " : "", vm->machine, model[0] ? model : "virtio (default)");
	}
}

static int boot_disk(xmlNode *disk)
{
	xmlNode *b = wf_domxml_child(disk, "boot");
	char order[16];
	attr(b, "order", order, sizeof order);
	return b && strcmp(order, "1") == 0;
}

static void scan_devices(xmlNode *devs, struct wf_vm_virtio *vm)
{
	char buf[64], model[40];
	int blk_boot = 0;
	for (xmlNode *c = devs ? devs->children : NULL; c; c = c->next) {
		if (wf_domxml_is(c, "disk")) {
			attr(c, "device", buf, sizeof buf);
			char bus[16];
			attr(wf_domxml_child(c, "target"), "bus", bus, sizeof bus);
			if (strcmp(buf, "cdrom") == 0 || strcmp(buf, "floppy") == 0 || strcmp(bus, "virtio"))
				continue;
			int boot = boot_disk(c);
			if (vm->dev[0].present && (blk_boot || !boot))
				continue;	/* the boot disk, else the first */
			attr(c, "model", model, sizeof model);
			set_mode(vm, &vm->dev[0], model);
			blk_boot = boot;
		} else if (wf_domxml_is(c, "controller")) {
			attr(c, "type", buf, sizeof buf);
			attr(c, "model", model, sizeof model);
			if (strcmp(buf, "scsi") == 0 && wf_startswithi(model, "virtio") && !vm->dev[1].present)
				set_mode(vm, &vm->dev[1], model);
		} else if (wf_domxml_is(c, "interface") && !vm->dev[2].present) {
			attr(wf_domxml_child(c, "model"), "type", model, sizeof model);
			if (wf_startswithi(model, "virtio"))
				set_mode(vm, &vm->dev[2], model);
		}
	}
}

int wf_vm_virtio_from_domxml_mem(const char *buf, size_t len, const char *name,
				 struct wf_vm_virtio *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < N_VID; i++)
		out->dev[i].kind = vid_kinds[i];
	out->q35 = -1;
	xmlDoc *doc = wf_domxml_read(buf, len, name, e);
	if (!doc)
		return -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	attr(wf_domxml_child(wf_domxml_child(root, "os"), "type"), "machine", out->machine, sizeof out->machine);
	if (wf_strcasestr(out->machine, "q35"))
		out->q35 = 1;
	else if (wf_strcasestr(out->machine, "i440fx") || wf_streqi(out->machine, "pc") ||
		 wf_startswithi(out->machine, "pc-"))
		out->q35 = 0;
	scan_devices(wf_domxml_child(root, "devices"), out);
	xmlFreeDoc(doc);
	return 0;
}

int wf_vm_virtio_from_domxml_file(const char *path, struct wf_vm_virtio *out,
				  struct wf_error *e)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, (16u << 20) + 1, e);
	if (r < 0)
		wf_error_prefix(e, "domain XML");
	else
		r = wf_vm_virtio_from_domxml_mem(sb.buf, sb.len, path, out, e);
	wf_sb_release(&sb);
	return r;
}
