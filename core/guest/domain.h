/*
 * domain.h - a libvirt domain as the source of the disks to open and of
 * the controllers the VM presents (virt-inspector's -d DOMAIN / -c URI).
 *
 *   struct wf_domain d;
 *   if (wf_domain_open(uri, "win10", &d, &err) < 0) ... err.msg
 *   for (size_t i = 0; i < d.n_disks; i++) d.disks[i].path, .format ...
 *   wf_targets_from_domxml_mem(d.xml, strlen(d.xml), d.name, &t, &err);
 *   if (write && wf_domain_refuse_active(&d, &err) < 0) ...
 *   wf_domain_free(&d);
 *
 * The disks are those of the definition (<disk device='disk'|'lun'>, in
 * the order of the XML, CD-ROMs and floppies left out): a file source, a
 * block device or a storage-pool volume (resolved to its path through the
 * libvirt API).  A network disk (rbd, iscsi, nbd...) is an error naming
 * it: give the image with -a instead.  The format is the <driver type>,
 * never guessed.  libvirt's own error printing is silenced: errors come
 * back in struct wf_error.
 */
#ifndef WF_DOMAIN_H
#define WF_DOMAIN_H

#include <stddef.h>

#include "error.h"

struct wf_dom_disk {
	char *path;	/* host file or block device */
	char *format;	/* <driver type>: "raw", "qcow2"; "" when not given */
	char *dev;	/* <target dev>: "vda", "hda" */
	char *bus;	/* <target bus>: "virtio", "ide", ... */
	int readonly;	/* <readonly/> */
};

struct wf_domain {
	char *uri;		/* the connection's URI as libvirt reports it */
	char *name;
	char *uuid;
	int active;		/* running, paused, ...: no writes */
	int persistent;
	const char *state;	/* "running", "shut off", "paused", ... */
	/* The definition the next boot uses: the persistent one when there
	 * is one (inactive XML), else the live one. */
	char *xml;
	struct wf_dom_disk *disks;
	size_t n_disks;
};

/* Connect to `uri` (NULL: libvirt's default, LIBVIRT_DEFAULT_URI) and read
 * the domain named `name` (a name, UUID or id).  Errors: WF_ERR_INPUT for
 * a connection that fails, a domain that does not exist, a disk source
 * that cannot be opened this way. */
int wf_domain_open(const char *uri, const char *name, struct wf_domain *d,
		   struct wf_error *e);
void wf_domain_free(struct wf_domain *d);

/* -1 with a message naming the domain and its state when the domain is
 * running (or paused...): a write to its disks would corrupt them. */
int wf_domain_refuse_active(const struct wf_domain *d, struct wf_error *e);

/* Disks of a domain XML without a connection (volume sources then fail):
 * for tests and the fuzzer. */
int wf_domain_disks_from_xml(const char *xml, const char *name,
			     struct wf_dom_disk **out, size_t *n,
			     struct wf_error *e);
void wf_dom_disks_free(struct wf_dom_disk *v, size_t n);

/* Replace the definition of a domain (virDomainDefineXML) on `uri`; the
 * domain must be shut off (a running one would take it at the next boot
 * only, which is not what "switched" means).  `name` must match the
 * XML's <name>. */
int wf_domain_define(const char *uri, const char *name, const char *xml,
		     struct wf_error *e);

/* The domains of a host for a picker: name, state, disk paths. */
struct wf_domain_brief {
	char *name;
	const char *state;
	int active;
	char *disks;	/* "/var/lib/libvirt/images/w.qcow2, /dev/vg/x" */
	char *presents;	/* "ide (boot), e1000" or the reason it cannot say */
	char machine[32];	/* <os><type machine>: "pc-q35-8.2"; "" not said */
	size_t n_disks;
};
int wf_domain_list(const char *uri, struct wf_domain_brief **v, size_t *n,
		   struct wf_error *e);
void wf_domain_list_free(struct wf_domain_brief *v, size_t n);

#endif
