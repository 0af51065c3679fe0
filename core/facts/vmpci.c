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

static void set_mode(const struct wf_vm_virtio *vm, struct wf_vm_vdev *d, const char *model)
{
	d->present = 1;
	snprintf(d->model, sizeof d->model, "%.*s", (int)sizeof d->model - 1, model);
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

static void scan_devices(const struct wf_domfacts *f, struct wf_vm_virtio *vm)
{
	int blk_boot = 0;
	for (size_t i = 0; i < f->n_disks; i++) {
		const struct wf_domfacts_disk *d = &f->disks[i];
		if (strcmp(d->device, "cdrom") == 0 || strcmp(d->device, "floppy") == 0 ||
		    strcmp(d->bus, "virtio"))
			continue;
		if (vm->dev[0].present && (blk_boot || !d->boot))
			continue;	/* the boot disk, else the first */
		set_mode(vm, &vm->dev[0], d->model);
		blk_boot = d->boot;
	}
	for (size_t i = 0; i < f->n_ctrls; i++)
		if (strcmp(f->ctrls[i].type, "scsi") == 0 && wf_startswithi(f->ctrls[i].model, "virtio")) {
			set_mode(vm, &vm->dev[1], f->ctrls[i].model);
			break;
		}
	for (size_t i = 0; i < f->n_nics; i++)
		if (wf_startswithi(f->nics[i], "virtio")) {
			set_mode(vm, &vm->dev[2], f->nics[i]);
			break;
		}
}

void wf_vm_virtio_from_domfacts(const struct wf_domfacts *f, struct wf_vm_virtio *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < N_VID; i++)
		out->dev[i].kind = vid_kinds[i];
	out->q35 = -1;
	snprintf(out->machine, sizeof out->machine, "%.*s", (int)sizeof out->machine - 1, f->machine);
	if (wf_strcasestr(out->machine, "q35"))
		out->q35 = 1;
	else if (wf_strcasestr(out->machine, "i440fx") || wf_streqi(out->machine, "pc") ||
		 wf_startswithi(out->machine, "pc-"))
		out->q35 = 0;
	scan_devices(f, out);
}

/* `r` the result of reading `f`: derive from it, or zero `out`. */
static int from_read(int r, struct wf_domfacts *f, struct wf_vm_virtio *out)
{
	if (r == 0)
		wf_vm_virtio_from_domfacts(f, out);
	else
		memset(out, 0, sizeof *out);
	free(f);
	return r;
}

int wf_vm_virtio_from_domxml_mem(const char *buf, size_t len, const char *name,
				 struct wf_vm_virtio *out, struct wf_error *e)
{
	struct wf_domfacts *f = wf_xmalloc(sizeof *f);
	return from_read(wf_domfacts_read(buf, len, name, f, e), f, out);
}

int wf_vm_virtio_from_domxml_file(const char *path, struct wf_vm_virtio *out,
				  struct wf_error *e)
{
	struct wf_domfacts *f = wf_xmalloc(sizeof *f);
	return from_read(wf_domfacts_read_file(path, f, e), f, out);
}
