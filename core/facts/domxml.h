/*
 * domxml.h - reading a libvirt domain definition, the one way: hostile
 * input (a file an operator names, or what libvirt hands back) parsed with
 * no network, no DTD loading and no entity expansion, at most 16 MiB, the
 * root a <domain>, and a parse error as one line.  Used by the targets
 * reader (targets.c), the PCI id reader (vmpci.c), the libvirt source
 * (guest/domain.c) and the domain switch (fix/switchdom.c).
 *
 * What a VM presents is read once into struct wf_domfacts (plain data, no
 * libxml2 tree kept): the targets (targets.h) and the virtio PCI ids
 * (vmpci.h) are both derived from that one reading.
 *
 *   struct wf_domfacts f;
 *   if (wf_domfacts_read_file("win10.xml", &f, &err) < 0) ... err.msg
 *   wf_targets_from_domfacts(&f, &t, &err);  wf_vm_virtio_from_domfacts(&f, &vm);
 *
 *   xmlDoc *d = wf_domxml_read(buf, len, "win10.xml", &err);
 *   xmlNode *os = wf_domxml_child(xmlDocGetRootElement(d), "os");
 *   char *m = wf_domxml_attr(wf_domxml_child(os, "type"), "machine");  // "" when absent
 *   free(m); xmlFreeDoc(d);
 */
#ifndef WF_DOMXML_H
#define WF_DOMXML_H

#include <stddef.h>

#include <libxml/tree.h>

#include "error.h"

#define WF_DOMXML_MAX (16u << 20)

/* The parsed definition, NULL with a one-line error naming `name`
 * ("domain XML NAME: not well-formed XML: ... (line N)", "... not a
 * libvirt <domain>", "... larger than 16 MiB"). */
xmlDoc *wf_domxml_read(const char *buf, size_t len, const char *name, struct wf_error *e);

/* Is n an element called `name`? */
int wf_domxml_is(const xmlNode *n, const char *name);
/* The first child element called `name`, NULL when none (n may be NULL). */
xmlNode *wf_domxml_child(xmlNode *n, const char *name);
/* An attribute as a malloc'd string, "" when absent (n may be NULL). */
char *wf_domxml_attr(xmlNode *n, const char *name);
/* Does attribute `name` equal `val` (val NULL: is it absent)? */
int wf_domxml_attr_is(xmlNode *n, const char *name, const char *val);

/* --- what the VM presents, read once ------------------------------------------ */

#define WF_DOMFACTS_MAX 32	/* disks, controllers, interfaces kept (more: ignored) */
#define WF_DOMFACTS_STR 48	/* attribute values kept (longer: cut, see `cut`) */

/* Attribute values are copied as printable ASCII (others become '?'),
 * "" when absent. */
struct wf_domfacts_disk {
	char device[WF_DOMFACTS_STR];	/* <disk device=>: "disk", "cdrom", "" */
	char bus[WF_DOMFACTS_STR];	/* <target bus=> */
	char model[WF_DOMFACTS_STR];	/* <disk model=> ("virtio-transitional") */
	int boot;			/* <boot order='1'/> */
};

struct wf_domfacts_ctrl {
	char type[WF_DOMFACTS_STR];	/* <controller type=>: "scsi", "pci", ... */
	char model[WF_DOMFACTS_STR];
};

struct wf_domfacts {
	char name[256];			/* what messages call it (file or domain name) */
	char machine[WF_DOMFACTS_STR];	/* <os><type machine=> */
	char firmware[WF_DOMFACTS_STR];	/* <os firmware=> */
	char loader_type[WF_DOMFACTS_STR];	/* <os><loader type=> */
	char loader[256];		/* <os><loader> text (a path) */
	int has_devices;		/* a <devices> element */
	int tpm;			/* a <devices><tpm> */
	struct wf_domfacts_disk disks[WF_DOMFACTS_MAX];
	size_t n_disks;
	struct wf_domfacts_ctrl ctrls[WF_DOMFACTS_MAX];
	size_t n_ctrls;
	char nics[WF_DOMFACTS_MAX][WF_DOMFACTS_STR];	/* <interface><model type=> */
	size_t n_nics;
	int cut;			/* some value or list was longer than kept */
};

/* Read a definition (wf_domxml_read's checks and errors) into *f.
 * `name` labels messages.  0 or -1. */
int wf_domfacts_read(const char *buf, size_t len, const char *name,
		     struct wf_domfacts *f, struct wf_error *e);
/* The same from a file (at most WF_DOMXML_MAX read; errors "domain XML
 * PATH: ..."). */
int wf_domfacts_read_file(const char *path, struct wf_domfacts *f, struct wf_error *e);

#endif
