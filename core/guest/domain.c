#include "domain.h"
#include "domxml.h"
#include "strbuf.h"
#include "targets.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Names of virDomainState, as virsh prints them. */
static const char *const state_names[] = {
	[VIR_DOMAIN_NOSTATE] = "no state",
	[VIR_DOMAIN_RUNNING] = "running",
	[VIR_DOMAIN_BLOCKED] = "blocked",
	[VIR_DOMAIN_PAUSED] = "paused",
	[VIR_DOMAIN_SHUTDOWN] = "being shut down",
	[VIR_DOMAIN_SHUTOFF] = "shut off",
	[VIR_DOMAIN_CRASHED] = "crashed",
	[VIR_DOMAIN_PMSUSPENDED] = "suspended",
};

static const char *state_name(int st)
{
	if (st >= 0 && (size_t)st < sizeof state_names / sizeof state_names[0] &&
	    state_names[st])
		return state_names[st];
	return "in an unknown state";
}

/* libvirt prints its errors on stderr by default: core never prints. */
static void quiet(void *ud, virErrorPtr err)
{
	(void)ud;
	(void)err;
}

static const char *last_error(void)
{
	virErrorPtr x = virGetLastError();
	return x && x->message ? x->message : "unknown libvirt error";
}

static virConnectPtr connect_uri(const char *uri, struct wf_error *e)
{
	virSetErrorFunc(NULL, quiet);
	virConnectPtr c = virConnectOpenAuth(uri, virConnectAuthPtrDefault, 0);
	if (!c)
		wf_error_set(e, WF_ERR_INPUT, "libvirt: cannot connect to %s: %s",
			     uri ? uri : "the default hypervisor", last_error());
	return c;
}

static xmlDoc *read_xml(const char *xml, const char *name, struct wf_error *e)
{
	return wf_domxml_read(xml, strlen(xml), name, e);
}

/* A <source pool= volume=>: its path through the storage API. */
static char *volume_path(virConnectPtr c, const char *pool, const char *vol,
			 const char *dom, struct wf_error *e)
{
	if (!c) {
		wf_error_set(e, WF_ERR_INPUT, "domain %s: disk volume %s/%s needs a libvirt connection",
			     dom, pool, vol);
		return NULL;
	}
	virStoragePoolPtr p = virStoragePoolLookupByName(c, pool);
	virStorageVolPtr v = p ? virStorageVolLookupByName(p, vol) : NULL;
	char *path = v ? virStorageVolGetPath(v) : NULL;
	if (!path)
		wf_error_set(e, WF_ERR_INPUT, "domain %s: cannot resolve disk volume %s in pool %s: %s",
			     dom, vol, pool, last_error());
	char *r = path ? wf_xstrdup(path) : NULL;
	free(path);
	if (v)
		virStorageVolFree(v);
	if (p)
		virStoragePoolFree(p);
	return r;
}

/* The host path of a <disk>'s source; NULL + error when it has none that
 * can be opened, NULL without error for an empty drive. */
static char *disk_source(virConnectPtr c, xmlNode *disk, const char *dom,
			 const char *dev, struct wf_error *e)
{
	xmlNode *src = wf_domxml_child(disk, "source");
	char *type = wf_domxml_attr(disk, "type"), *path = NULL;
	if (strcmp(type, "file") == 0)
		path = wf_domxml_attr(src, "file");
	else if (strcmp(type, "block") == 0)
		path = wf_domxml_attr(src, "dev");
	else if (strcmp(type, "volume") == 0) {
		char *pool = wf_domxml_attr(src, "pool"), *vol = wf_domxml_attr(src, "volume");
		path = volume_path(c, pool, vol, dom, e);
		free(pool);
		free(vol);
		if (!path) {
			free(type);
			return NULL;
		}
	} else {
		wf_error_set(e, WF_ERR_INPUT,
			     "domain %s: disk %s has a source of type \"%s\" (network storage): give its image with -a",
			     dom, dev, type);
		free(type);
		return NULL;
	}
	free(type);
	if (!*path)
		wf_error_set(e, WF_ERR_INPUT, "domain %s: disk %s has no source", dom, dev);
	if (!*path)
		return free(path), NULL;
	return path;
}

static int one_disk(virConnectPtr c, xmlNode *n, const char *dom,
		    struct wf_dom_disk *d, struct wf_error *e)
{
	xmlNode *tgt = wf_domxml_child(n, "target");
	d->dev = wf_domxml_attr(tgt, "dev");
	d->bus = wf_domxml_attr(tgt, "bus");
	d->format = wf_domxml_attr(wf_domxml_child(n, "driver"), "type");
	d->readonly = wf_domxml_child(n, "readonly") != NULL;
	d->path = disk_source(c, n, dom, d->dev, e);
	return d->path ? 0 : -1;
}

static int disks_of(virConnectPtr c, xmlDoc *doc, const char *dom,
		    struct wf_dom_disk **out, size_t *n, struct wf_error *e)
{
	*out = NULL;
	*n = 0;
	xmlNode *devs = wf_domxml_child(xmlDocGetRootElement(doc), "devices");
	for (xmlNode *x = devs ? devs->children : NULL; x; x = x->next) {
		if (!wf_domxml_is(x, "disk"))
			continue;
		char *device = wf_domxml_attr(x, "device");
		int want = !*device || !strcmp(device, "disk") || !strcmp(device, "lun");
		free(device);
		if (!want)
			continue;
		if (*n == 64)
			return wf_error_set(e, WF_ERR_INPUT, "domain %s: more than 64 disks", dom);
		*out = wf_xrealloc(*out, (*n + 1) * sizeof **out);
		struct wf_dom_disk *d = &(*out)[(*n)++];
		memset(d, 0, sizeof *d);
		if (one_disk(c, x, dom, d, e) < 0)
			return -1;
	}
	if (!*n)
		return wf_error_set(e, WF_ERR_INPUT, "domain %s has no disk", dom);
	return 0;
}

void wf_dom_disks_free(struct wf_dom_disk *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].format);
		free(v[i].dev);
		free(v[i].bus);
	}
	free(v);
}

int wf_domain_disks_from_xml(const char *xml, const char *name,
			     struct wf_dom_disk **out, size_t *n,
			     struct wf_error *e)
{
	*out = NULL;
	*n = 0;
	xmlDoc *doc = read_xml(xml, name, e);
	if (!doc)
		return -1;
	int r = disks_of(NULL, doc, name, out, n, e);
	xmlFreeDoc(doc);
	if (r < 0) {
		wf_dom_disks_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return r;
}

/* --- one domain --------------------------------------------------------------- */

static virDomainPtr lookup(virConnectPtr c, const char *name)
{
	virDomainPtr d = virDomainLookupByName(c, name);
	if (!d)
		d = virDomainLookupByUUIDString(c, name);
	if (!d && strspn(name, "0123456789") == strlen(name) && *name && strlen(name) < 9)
		d = virDomainLookupByID(c, atoi(name));
	return d;
}

static char *definition(virDomainPtr dom, int persistent)
{
	char *x = virDomainGetXMLDesc(dom, persistent ? VIR_DOMAIN_XML_INACTIVE : 0);
	char *r = x ? wf_xstrdup(x) : NULL;
	free(x);
	return r;
}

static int read_domain(virConnectPtr c, virDomainPtr dom, struct wf_domain *d,
		       struct wf_error *e)
{
	char uuid[VIR_UUID_STRING_BUFLEN];
	int st = VIR_DOMAIN_NOSTATE, reason;
	char *uri = virConnectGetURI(c);
	d->uri = wf_xstrdup(uri ? uri : "");
	free(uri);
	d->name = wf_xstrdup(virDomainGetName(dom));
	d->uuid = wf_xstrdup(virDomainGetUUIDString(dom, uuid) == 0 ? uuid : "");
	if (virDomainGetState(dom, &st, &reason, 0) < 0)
		return wf_error_set(e, WF_ERR_INPUT, "domain %s: cannot read its state: %s",
				    d->name, last_error());
	d->state = state_name(st);
	d->active = virDomainIsActive(dom) == 1;
	d->persistent = virDomainIsPersistent(dom) == 1;
	d->xml = definition(dom, d->persistent);
	if (!d->xml)
		return wf_error_set(e, WF_ERR_INPUT, "domain %s: cannot read its XML: %s",
				    d->name, last_error());
	xmlDoc *doc = read_xml(d->xml, d->name, e);
	if (!doc)
		return -1;
	int r = disks_of(c, doc, d->name, &d->disks, &d->n_disks, e);
	xmlFreeDoc(doc);
	return r;
}

int wf_domain_open(const char *uri, const char *name, struct wf_domain *d,
		   struct wf_error *e)
{
	memset(d, 0, sizeof *d);
	virConnectPtr c = connect_uri(uri, e);
	if (!c)
		return -1;
	virDomainPtr dom = lookup(c, name);
	int r;
	if (!dom) {
		char *u = virConnectGetURI(c);
		r = wf_error_set(e, WF_ERR_INPUT, "libvirt: no domain \"%s\" on %s (virsh -c %s list --all)",
				 name, u ? u : "?", u ? u : "?");
		free(u);
	} else {
		r = read_domain(c, dom, d, e);
		virDomainFree(dom);
	}
	virConnectClose(c);
	if (r < 0)
		wf_domain_free(d);
	return r;
}

void wf_domain_free(struct wf_domain *d)
{
	free(d->uri);
	free(d->name);
	free(d->uuid);
	free(d->xml);
	wf_dom_disks_free(d->disks, d->n_disks);
	memset(d, 0, sizeof *d);
}

int wf_domain_refuse_active(const struct wf_domain *d, struct wf_error *e)
{
	if (!d->active)
		return 0;
	return wf_error_set(e, WF_ERR_USAGE,
			    "domain %s is %s: writing to the disks of a running VM corrupts them; shut it down first (read-only commands work on it)",
			    d->name, d->state);
}

int wf_domain_define(const char *uri, const char *name, const char *xml,
		     struct wf_error *e)
{
	virConnectPtr c = connect_uri(uri, e);
	if (!c)
		return -1;
	virDomainPtr old = lookup(c, name);
	int r = 0;
	if (old && virDomainIsActive(old) == 1)
		r = wf_error_set(e, WF_ERR_USAGE,
				 "domain %s is running: shut it down before changing what it presents", name);
	if (old)
		virDomainFree(old);
	virDomainPtr dom = r == 0 ? virDomainDefineXML(c, xml) : NULL;
	if (r == 0 && !dom)
		r = wf_error_set(e, WF_ERR_INPUT, "domain %s: libvirt refused the new definition: %s",
				 name, last_error());
	if (dom && strcmp(virDomainGetName(dom), name) != 0)
		r = wf_error_set(e, WF_ERR_INTERNAL, "domain %s: the definition named another domain", name);
	if (dom)
		virDomainFree(dom);
	virConnectClose(c);
	return r;
}

/* --- every domain of a host ------------------------------------------------------ */

static void brief_of(virConnectPtr c, virDomainPtr dom, struct wf_domain_brief *b)
{
	struct wf_domain d = { 0 };
	struct wf_error e = { 0 };
	memset(b, 0, sizeof *b);
	b->name = wf_xstrdup(virDomainGetName(dom));
	int r = read_domain(c, dom, &d, &e);
	b->state = d.state ? d.state : "in an unknown state";
	b->active = d.active;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (size_t i = 0; i < d.n_disks; i++)
		wf_sb_addf(&sb, "%s%s", i ? ", " : "", d.disks[i].path);
	b->disks = wf_sb_detach(&sb);
	b->n_disks = d.n_disks;
	struct wf_targets t;
	char pres[300];
	if (r == 0 && wf_targets_from_domxml_mem(d.xml, strlen(d.xml), d.name, &t, &e) == 0) {
		wf_targets_describe(&t, pres, sizeof pres);
		b->presents = wf_xstrdup(pres);
		snprintf(b->machine, sizeof b->machine, "%s", t.machine);
	} else {
		b->presents = wf_xstrdup(e.msg);
	}
	wf_domain_free(&d);
}

int wf_domain_list(const char *uri, struct wf_domain_brief **v, size_t *n,
		   struct wf_error *e)
{
	*v = NULL;
	*n = 0;
	virConnectPtr c = connect_uri(uri, e);
	if (!c)
		return -1;
	virDomainPtr *doms = NULL;
	int k = virConnectListAllDomains(c, &doms, 0);
	if (k < 0) {
		virConnectClose(c);
		return wf_error_set(e, WF_ERR_INPUT, "libvirt: cannot list domains: %s", last_error());
	}
	*v = wf_xcalloc((size_t)k + 1, sizeof **v);
	for (int i = 0; i < k; i++) {
		brief_of(c, doms[i], &(*v)[i]);
		virDomainFree(doms[i]);
	}
	free(doms);
	*n = (size_t)k;
	virConnectClose(c);
	return 0;
}

void wf_domain_list_free(struct wf_domain_brief *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].disks);
		free(v[i].presents);
	}
	free(v);
}
