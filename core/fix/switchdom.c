#include "switchdom.h"
#include "domxml.h"
#include "domain.h"
#include "controllers.h"
#include "strbuf.h"
#include "targets.h"
#include "winver.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Our storage kind -> libvirt <target bus>, dev prefix, SCSI model. */
static const struct bus_map {
	const char *kind, *bus, *prefix, *scsi_model;
} bus_maps[] = {
	{ .kind = "virtio-blk", .bus = "virtio", .prefix = "vd" },
	{ .kind = "virtio-scsi", .bus = "scsi", .prefix = "sd", .scsi_model = "virtio-scsi" },
	{ .kind = "sata", .bus = "sata", .prefix = "sd" },
	{ .kind = "ide", .bus = "ide", .prefix = "hd" },
	{ .kind = "lsi-scsi", .bus = "scsi", .prefix = "sd", .scsi_model = "lsilogic" },
	{ .kind = "lsi-sas", .bus = "scsi", .prefix = "sd", .scsi_model = "lsisas1068" },
	{ .kind = "pvscsi", .bus = "scsi", .prefix = "sd", .scsi_model = "vmpvscsi" },
};

static const struct nic_map {
	const char *kind, *model;
} nic_maps[] = {
	{ .kind = "virtio-net", .model = "virtio" },
	{ .kind = "e1000", .model = "e1000" },
	{ .kind = "e1000e", .model = "e1000e" },
	{ .kind = "rtl8139", .model = "rtl8139" },
	{ .kind = "vmxnet3", .model = "vmxnet3" },
};

/* Windows before 7 / 2008 R2 (NT 6.1) need transitional virtio on q35
 * [U: the virtio-win builds still shipping XP/2003/Vista/2008 drivers are
 * assumed to bind only the legacy ids 1AF4:1000-103F; see the knowledge
 * file virtio-injection-virt-v2v.md 2.2 for the two id ranges]. */
#define TRANSITIONAL_BELOW WF_WINVER_CODE(6, 1)
#define WF_WINVER_CODE(ma, mi) ((ma) * 100 + (mi))

#define N(a) (sizeof (a) / sizeof (a)[0])

static void set(xmlNode *n, const char *name, const char *val)
{
	xmlSetProp(n, (const xmlChar *)name, (const xmlChar *)val);
}

static xmlDoc *parse(const char *xml)
{
	return wf_domxml_read(xml, strlen(xml), "definition", NULL);
}

int wf_switchdom_is_q35(const char *xml)
{
	xmlDoc *d = parse(xml);
	char *m = wf_domxml_attr(wf_domxml_child(wf_domxml_child(d ? xmlDocGetRootElement(d) : NULL, "os"), "type"), "machine");
	int r = strstr(m, "q35") != NULL;
	free(m);
	xmlFreeDoc(d);
	return r;
}

int wf_switchdom_needs_transitional(const char *xml, const struct wf_winver *v)
{
	return wf_switchdom_is_q35(xml) && v && v->major &&
	       WF_WINVER_CODE(v->major, v->minor) < TRANSITIONAL_BELOW;
}

/* --- the rewrite ------------------------------------------------------------- */

struct rewrite {
	xmlNode *devices;
	const struct bus_map *bus;
	const struct nic_map *nic;
	int transitional;
	size_t n_changes;
	char used[64][16];	/* target dev names of disks left as they are */
	size_t n_used;
};

static int is_guest_disk(xmlNode *n)
{
	return wf_domxml_is(n, "disk") && (wf_domxml_attr_is(n, "device", NULL) || wf_domxml_attr_is(n, "device", "disk") ||
				      wf_domxml_attr_is(n, "device", "lun"));
}

static void drop(xmlNode *n, const char *name)
{
	xmlNode *c = wf_domxml_child(n, name);
	if (c) {
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

static int dev_used(const struct rewrite *w, const char *dev)
{
	for (size_t i = 0; i < w->n_used; i++)
		if (strcmp(w->used[i], dev) == 0)
			return 1;
	return 0;
}

static void use_dev(struct rewrite *w, const char *dev)
{
	if (w->n_used < N(w->used))
		snprintf(w->used[w->n_used++], sizeof w->used[0], "%s", dev);
}

static int needs_change(const struct rewrite *w, xmlNode *disk)
{
	xmlNode *t = wf_domxml_child(disk, "target");
	int virtio = strcmp(w->bus->bus, "virtio") == 0;
	if (!wf_domxml_attr_is(t, "bus", w->bus->bus))
		return 1;
	if (virtio && w->transitional != wf_domxml_attr_is(disk, "model", "virtio-transitional"))
		return 1;
	return 0;
}

static int rewrite_disk(struct rewrite *w, xmlNode *disk, struct wf_error *e)
{
	char dev[16];
	int k = 0;
	do
		snprintf(dev, sizeof dev, "%s%c", w->bus->prefix, 'a' + k);
	while (dev_used(w, dev) && ++k < 26);
	if (k == 26)
		return wf_error_set(e, WF_ERR_INPUT, "no free %sX disk name", w->bus->prefix);
	use_dev(w, dev);
	xmlNode *t = wf_domxml_child(disk, "target");
	if (!t)
		t = xmlNewChild(disk, NULL, (const xmlChar *)"target", NULL);
	set(t, "dev", dev);
	set(t, "bus", w->bus->bus);
	drop(disk, "address");
	if (strcmp(w->bus->bus, "virtio") == 0 && w->transitional)
		set(disk, "model", "virtio-transitional");
	else
		xmlUnsetProp(disk, (const xmlChar *)"model");
	w->n_changes++;
	return 0;
}

static int rewrite_disks(struct rewrite *w, struct wf_error *e)
{
	for (xmlNode *c = w->devices->children; c; c = c->next)
		if (wf_domxml_is(c, "disk") && !(is_guest_disk(c) && needs_change(w, c))) {
			char *dev = wf_domxml_attr(wf_domxml_child(c, "target"), "dev");
			use_dev(w, dev);
			free(dev);
		}
	for (xmlNode *c = w->devices->children; c; c = c->next)
		if (is_guest_disk(c) && needs_change(w, c) && rewrite_disk(w, c, e) < 0)
			return -1;
	return 0;
}

/* SCSI: controller index 0 gets the model (added when there is none). */
static void scsi_controller(struct rewrite *w)
{
	if (!w->bus->scsi_model)
		return;
	const char *model = strcmp(w->bus->scsi_model, "virtio-scsi") == 0 && w->transitional ?
			    "virtio-transitional" : w->bus->scsi_model;
	xmlNode *ctl = NULL;
	for (xmlNode *c = w->devices->children; c && !ctl; c = c->next)
		if (wf_domxml_is(c, "controller") && wf_domxml_attr_is(c, "type", "scsi") &&
		    (wf_domxml_attr_is(c, "index", "0") || wf_domxml_attr_is(c, "index", NULL)))
			ctl = c;
	if (ctl && wf_domxml_attr_is(ctl, "model", model))
		return;
	if (!ctl) {
		ctl = xmlNewChild(w->devices, NULL, (const xmlChar *)"controller", NULL);
		set(ctl, "type", "scsi");
		set(ctl, "index", "0");
	} else {
		drop(ctl, "address");
	}
	set(ctl, "model", model);
	w->n_changes++;
}

static void rewrite_nics(struct rewrite *w)
{
	const char *model = strcmp(w->nic->model, "virtio") == 0 && w->transitional ?
			    "virtio-transitional" : w->nic->model;
	for (xmlNode *c = w->devices->children; c; c = c->next) {
		if (!wf_domxml_is(c, "interface"))
			continue;
		xmlNode *m = wf_domxml_child(c, "model");
		if (m && wf_domxml_attr_is(m, "type", model))
			continue;
		if (!m)
			m = xmlNewChild(c, NULL, (const xmlChar *)"model", NULL);
		set(m, "type", model);
		drop(c, "address");	/* a PCIe slot cannot hold a transitional device */
		w->n_changes++;
	}
}

static char *dump(xmlDoc *d)
{
	xmlBuffer *b = xmlBufferCreate();
	xmlNodeDump(b, d, xmlDocGetRootElement(d), 0, 0);
	char *s = wf_xstrdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

/* --- a line diff (LCS; definitions are a few hundred lines) ------------------------ */

static char **lines(char *s, size_t *n)
{
	char **v = NULL;
	*n = 0;
	for (char *save = NULL, *l = strtok_r(s, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		v = wf_xrealloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = l;
	}
	return v;
}

static char *line_diff(const char *a_text, const char *b_text)
{
	char *a_s = wf_xstrdup(a_text), *b_s = wf_xstrdup(b_text);
	size_t na, nb;
	char **a = lines(a_s, &na), **b = lines(b_s, &nb);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	if (na > 4000 || nb > 4000) {
		wf_sb_adds(&sb, "(definition too long to show a diff)\n");
	} else {
		unsigned *L = wf_xcalloc((na + 1) * (nb + 1), sizeof *L);
#define AT(i, j) L[(i) * (nb + 1) + (j)]
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				AT(i, j) = strcmp(a[i], b[j]) == 0 ? AT(i + 1, j + 1) + 1
					   : AT(i + 1, j) > AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1);
		size_t i = 0, j = 0;
		while (i < na || j < nb) {
			if (i < na && j < nb && strcmp(a[i], b[j]) == 0)
				i++, j++;
			else if (j < nb && (i == na || AT(i, j + 1) >= AT(i + 1, j)))
				wf_sb_addf(&sb, "+ %s\n", b[j++]);
			else
				wf_sb_addf(&sb, "- %s\n", a[i++]);
		}
#undef AT
		free(L);
	}
	free(a);
	free(b);
	free(a_s);
	free(b_s);
	return wf_sb_detach(&sb);
}

void wf_switchdom_wanted(const struct wf_targets *t, const char **storage,
			 const char **nic)
{
	*storage = *nic = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct wf_ctrl_kind *k = t->v[i].kind;
		if (k->cls == WF_CTRL_STORAGE && t->v[i].boot && !*storage)
			*storage = k->id;
		if (k->cls == WF_CTRL_NETWORK && !*nic)
			*nic = k->id;
	}
	for (size_t i = 0; i < t->n && !*storage; i++)
		if (t->v[i].kind->cls == WF_CTRL_STORAGE)
			*storage = t->v[i].kind->id;
}

int wf_switchdom_plan(const char *xml, const char *name, const char *storage,
		      const char *nic, int transitional, struct wf_switchdom *sw,
		      struct wf_error *e)
{
	memset(sw, 0, sizeof *sw);
	struct rewrite w = { .transitional = transitional };
	for (size_t i = 0; storage && i < N(bus_maps); i++)
		if (strcmp(bus_maps[i].kind, storage) == 0)
			w.bus = &bus_maps[i];
	for (size_t i = 0; nic && i < N(nic_maps); i++)
		if (strcmp(nic_maps[i].kind, nic) == 0)
			w.nic = &nic_maps[i];
	if (storage && !w.bus)
		return wf_error_set(e, WF_ERR_USAGE, "domain %s: cannot switch the disks to %s (libvirt has no such bus here)", name, storage);
	if (nic && !w.nic)
		return wf_error_set(e, WF_ERR_USAGE, "domain %s: %s is not a NIC model", name, nic);
	xmlDoc *d = parse(xml);
	if (!d)
		return wf_error_set(e, WF_ERR_INPUT, "domain %s: its XML is not a <domain>", name);
	w.devices = wf_domxml_child(xmlDocGetRootElement(d), "devices");
	int r = 0;
	if (!w.devices)
		r = wf_error_set(e, WF_ERR_INPUT, "domain %s: no <devices>", name);
	else if (w.bus && strcmp(w.bus->bus, "ide") == 0 && wf_switchdom_is_q35(xml))
		r = wf_error_set(e, WF_ERR_USAGE, "domain %s: a q35 machine has no IDE bus (use sata)", name);
	char *before = r == 0 ? dump(d) : NULL;
	if (r == 0 && w.bus && (r = rewrite_disks(&w, e)) == 0)
		scsi_controller(&w);
	if (r == 0 && w.nic)
		rewrite_nics(&w);
	if (r == 0) {
		sw->name = wf_xstrdup(name);
		sw->old_xml = wf_xstrdup(xml);
		sw->new_xml = dump(d);
		sw->diff = line_diff(before, sw->new_xml);
		sw->n_changes = w.n_changes;
		sw->transitional = transitional;
	}
	free(before);
	xmlFreeDoc(d);
	return r;
}

/* --- apply and undo ------------------------------------------------------------ */

static char *saved_path(const char *dir, const char *name)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_addf(&sb, "%s/domain-", dir);
	for (const char *c = name; *c; c++)	/* a name may hold '/' */
		wf_sb_addc(&sb, *c == '/' ? '_' : *c);
	wf_sb_adds(&sb, ".xml");
	return wf_sb_detach(&sb);
}

static int save(const char *path, const char *xml, struct wf_error *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return wf_error_set(e, WF_ERR_INPUT, "cannot save the old domain definition to %s: %s",
				    path, strerror(errno));
	size_t len = strlen(xml);
	ssize_t w = write(fd, xml, len);
	int ok = w == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) < 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return wf_error_set(e, WF_ERR_INPUT, "cannot write %s: %s", path, strerror(errno));
	}
	return 0;
}

int wf_switchdom_apply(const char *uri, const struct wf_switchdom *sw,
		       const char *dir, struct wf_error *e)
{
	char *p = saved_path(dir, sw->name);
	int r = save(p, sw->old_xml, e);
	if (r == 0 && (r = wf_domain_define(uri, sw->name, sw->new_xml, e)) < 0)
		unlink(p);
	free(p);
	return r;
}

int wf_switchdom_saved(const char *name, const char *dir)
{
	char *p = saved_path(dir, name);
	int r = access(p, R_OK) == 0;
	free(p);
	return r;
}

int wf_switchdom_undo(const char *uri, const char *name, const char *dir,
		      struct wf_error *e)
{
	char *p = saved_path(dir, name);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, p, 16u << 20, e);
	if (r == 0)
		r = wf_domain_define(uri, name, sb.buf, e);
	if (r < 0)
		wf_error_prefix(e, "restoring domain %s from %s", name, p);
	wf_sb_release(&sb);
	free(p);
	return r;
}

void wf_switchdom_free(struct wf_switchdom *sw)
{
	free(sw->name);
	free(sw->old_xml);
	free(sw->new_xml);
	free(sw->diff);
	memset(sw, 0, sizeof *sw);
}
