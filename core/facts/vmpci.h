/*
 * vmpci.h - which PCI ids the VM gives its virtio controllers: the
 * transitional ids (1AF4:1000-103F, what the XP/2003/2008 virtio-win INFs
 * list) or the modern ones (1AF4:1040 + device type).  Derived from a
 * libvirt domain definition read once (domxml.h: the same reading the
 * targets come from): the machine type and each device's model.
 *
 *   struct wf_vm_virtio vm;
 *   if (wf_vm_virtio_from_domxml_file("win.xml", &vm, &err) == 0) {
 *           const struct wf_vm_vdev *d = wf_vm_virtio_dev(&vm, "virtio-blk");
 *           if (d && d->mode == WF_VID_MODERN) ... wf_virtio_pci_dev("virtio-blk", d->mode) == 0x1042
 *   }
 */
#ifndef WF_VMPCI_H
#define WF_VMPCI_H

#include <stddef.h>

#include "error.h"

enum wf_vidmode { WF_VID_UNKNOWN = 0, WF_VID_TRANSITIONAL, WF_VID_MODERN };

struct wf_vm_vdev {
	const char *kind;	/* "virtio-blk", "virtio-scsi", "virtio-net" */
	int present;		/* the VM has one */
	enum wf_vidmode mode;
	char model[40];		/* the model as written, "" none */
	char why[200];		/* how the mode follows ("q35 machine, model virtio") */
};

struct wf_vm_virtio {
	char machine[64];	/* <os><type machine=...>, "" when not given */
	int q35;		/* 1 q35 (PCI Express), 0 i440fx ("pc"), -1 unknown */
	struct wf_vm_vdev dev[3];
};

struct wf_domfacts;
/* From a definition already read (domxml.h). */
void wf_vm_virtio_from_domfacts(const struct wf_domfacts *f, struct wf_vm_virtio *out);
/* Read and derive in one go (tests, the fuzzer). */
int wf_vm_virtio_from_domxml_mem(const char *buf, size_t len, const char *name,
				 struct wf_vm_virtio *out, struct wf_error *e);
int wf_vm_virtio_from_domxml_file(const char *path, struct wf_vm_virtio *out,
				  struct wf_error *e);
/* The entry for a kind; NULL when the kind is not a virtio one. */
const struct wf_vm_vdev *wf_vm_virtio_dev(const struct wf_vm_virtio *v, const char *kind);
/* The PCI device id a kind has in a mode (0x1001 / 0x1042 for
 * virtio-blk); 0 for WF_VID_UNKNOWN or an unknown kind. */
unsigned wf_virtio_pci_dev(const char *kind, enum wf_vidmode mode);

#endif
