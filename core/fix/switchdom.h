/*
 * switchdom.h - finish the migration: change a libvirt domain so that it
 * presents the controllers the guest can now boot from.
 *
 *   struct wf_switchdom sw;
 *   wf_switchdom_plan(dom.xml, dom.name, "virtio-blk", "virtio-net",
 *                     wf_switchdom_needs_transitional(dom.xml, &win->ver), &sw, &err);
 *   puts(sw.diff);                        // "- <target dev='hda' bus='ide'/>" ...
 *   wf_switchdom_apply(uri, &sw, backup_dir_of_the_fix, &err); // saves the old one first
 *   wf_switchdom_undo(uri, name, backup_dir_of_the_fix, &err); // defines the saved one
 *   wf_switchdom_free(&sw);
 *
 * The rewrite (libvirt formatdomain.html, "Hard drives", "Controllers",
 * "Network interfaces"): every <disk device='disk'|'lun'> gets the new
 * <target bus> and a dev name of that bus (vdX, sdX, hdX; free letters),
 * its bus-specific <address> dropped so libvirt assigns one; SCSI gets a
 * <controller type='scsi' model=...>; every <interface> the new <model>.
 * With `transitional` virtio devices are "virtio-transitional" (they then
 * sit on a conventional PCI slot and keep the legacy 0.9 interface,
 * which drivers without virtio 1.0 support need; libvirt 5.2+).
 */
#ifndef WF_SWITCHDOM_H
#define WF_SWITCHDOM_H

#include <stddef.h>

#include "error.h"

struct wf_targets;
struct wf_winver;

struct wf_switchdom {
	char *name;
	char *old_xml;	/* the definition as read */
	char *new_xml;
	char *diff;	/* "-"/"+" lines of the changed XML, with context */
	size_t n_changes;	/* devices changed; 0 = already presents it */
	int transitional;
};

/* Whether virtio devices must be transitional for this guest on this
 * machine: a q35 machine and a Windows before 7 / 2008 R2. */
int wf_switchdom_needs_transitional(const char *xml, const struct wf_winver *v);
/* Machine type of the XML's <os><type machine=...> is q35. */
int wf_switchdom_is_q35(const char *xml);

/* The storage kind to switch to (the boot disk's, else the first storage
 * target) and the first NIC kind of `t` (NULL when there is none). */
void wf_switchdom_wanted(const struct wf_targets *t, const char **storage,
			 const char **nic);

/* storage: "virtio-blk", "virtio-scsi", "sata", "ide", "lsi-scsi",
 * "lsi-sas", "pvscsi" (NULL: disks unchanged); nic: "virtio-net",
 * "e1000", "e1000e", "rtl8139", "vmxnet3" (NULL: NICs unchanged). */
int wf_switchdom_plan(const char *xml, const char *name, const char *storage,
		      const char *nic, int transitional, struct wf_switchdom *sw,
		      struct wf_error *e);
/* Save the old definition as DIR/domain-NAME.xml (a new file, never
 * through a symlink), then define the new one. */
int wf_switchdom_apply(const char *uri, const struct wf_switchdom *sw,
		       const char *dir, struct wf_error *e);
/* 1 when DIR holds a saved definition of `name`. */
int wf_switchdom_saved(const char *name, const char *dir);
/* Define the saved DIR/domain-NAME.xml again. */
int wf_switchdom_undo(const char *uri, const char *name, const char *dir,
		      struct wf_error *e);
void wf_switchdom_free(struct wf_switchdom *sw);

#endif
