/*
 * domxml.c - the one reader of libvirt domain XML (domxml.h).
 *
 * Element and attribute names: libvirt "Domain XML format" (<os><type
 * machine>, <os firmware>, <os><loader type>, <devices><disk device model>
 * <target bus> <boot order>, <controller type model>, <interface><model
 * type>, <tpm>).
 */
#include "domxml.h"
#include "strbuf.h"
#include "text.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

xmlDoc *wf_domxml_read(const char *buf, size_t len, const char *name, struct wf_error *e)
{
	if (len > WF_DOMXML_MAX) {
		wf_error_set(e, WF_ERR_INPUT, "domain XML %s: larger than 16 MiB", name);
		return NULL;
	}
	/* untrusted: no network, no entity expansion, no DTD loading */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDoc *doc = xmlReadMemory(buf, (int)len, NULL, NULL, opts);
	if (!doc) {
		const xmlError *x = xmlGetLastError();
		/* wf_error_set makes libxml2's multi-line messages one line */
		wf_error_set(e, WF_ERR_INPUT, "domain XML %s: not well-formed XML%s%s (line %d)", name,
			     x && x->message ? ": " : "", x && x->message ? x->message : "",
			     x ? x->line : 0);
		xmlResetLastError();
		return NULL;
	}
	if (!wf_domxml_is(xmlDocGetRootElement(doc), "domain")) {
		xmlFreeDoc(doc);
		xmlResetLastError();
		wf_error_set(e, WF_ERR_INPUT, "domain XML %s: not a libvirt <domain>", name);
		return NULL;
	}
	return doc;
}

int wf_domxml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNode *wf_domxml_child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (wf_domxml_is(c, name))
			return c;
	return NULL;
}

char *wf_domxml_attr(xmlNode *n, const char *name)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	char *s = wf_xstrdup(v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

int wf_domxml_attr_is(xmlNode *n, const char *name, const char *val)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	int r = v ? val && strcmp((const char *)v, val) == 0 : val == NULL;
	xmlFree(v);
	return r;
}

/* --- what the VM presents -------------------------------------------------------- */

/* Copy a value as printable ASCII; note when it had to be cut. */
static void keep(struct wf_domfacts *f, char *dst, size_t n, const char *src)
{
	if (strlen(src) >= n)
		f->cut = 1;
	snprintf(dst, n, "%s", src);
	for (char *p = dst; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
}

static void keep_attr(struct wf_domfacts *f, char *dst, size_t n, xmlNode *node, const char *attr)
{
	char *v = wf_domxml_attr(node, attr);
	keep(f, dst, n, v);
	free(v);
}

static void read_disk(struct wf_domfacts *f, xmlNode *n)
{
	if (f->n_disks == WF_DOMFACTS_MAX) {
		f->cut = 1;
		return;
	}
	struct wf_domfacts_disk *d = &f->disks[f->n_disks++];
	keep_attr(f, d->device, sizeof d->device, n, "device");
	keep_attr(f, d->bus, sizeof d->bus, wf_domxml_child(n, "target"), "bus");
	keep_attr(f, d->model, sizeof d->model, n, "model");
	d->boot = wf_domxml_attr_is(wf_domxml_child(n, "boot"), "order", "1");
}

static void read_devices(struct wf_domfacts *f, xmlNode *devs)
{
	for (xmlNode *c = devs ? devs->children : NULL; c; c = c->next) {
		if (wf_domxml_is(c, "disk")) {
			read_disk(f, c);
		} else if (wf_domxml_is(c, "controller")) {
			if (f->n_ctrls == WF_DOMFACTS_MAX) {
				f->cut = 1;
				continue;
			}
			struct wf_domfacts_ctrl *k = &f->ctrls[f->n_ctrls++];
			keep_attr(f, k->type, sizeof k->type, c, "type");
			keep_attr(f, k->model, sizeof k->model, c, "model");
		} else if (wf_domxml_is(c, "interface")) {
			if (f->n_nics == WF_DOMFACTS_MAX) {
				f->cut = 1;
				continue;
			}
			keep_attr(f, f->nics[f->n_nics], sizeof f->nics[0], wf_domxml_child(c, "model"), "type");
			f->n_nics++;
		} else if (wf_domxml_is(c, "tpm")) {
			f->tpm = 1;
		}
	}
}

int wf_domfacts_read(const char *buf, size_t len, const char *name,
		     struct wf_domfacts *f, struct wf_error *e)
{
	memset(f, 0, sizeof *f);
	keep(f, f->name, sizeof f->name, name);
	f->cut = 0;		/* the label is ours, not the XML's */
	xmlDoc *doc = wf_domxml_read(buf, len, name, e);
	if (!doc)
		return -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode *os = wf_domxml_child(root, "os");
	keep_attr(f, f->machine, sizeof f->machine, wf_domxml_child(os, "type"), "machine");
	keep_attr(f, f->firmware, sizeof f->firmware, os, "firmware");
	xmlNode *ld = wf_domxml_child(os, "loader");
	keep_attr(f, f->loader_type, sizeof f->loader_type, ld, "type");
	xmlChar *path = ld ? xmlNodeGetContent(ld) : NULL;
	keep(f, f->loader, sizeof f->loader, path ? (const char *)path : "");
	xmlFree(path);
	xmlNode *devs = wf_domxml_child(root, "devices");
	f->has_devices = devs != NULL;
	read_devices(f, devs);
	xmlFreeDoc(doc);
	return 0;
}

int wf_domfacts_read_file(const char *path, struct wf_domfacts *f, struct wf_error *e)
{
	memset(f, 0, sizeof *f);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, WF_DOMXML_MAX + 1, e);
	if (r < 0)
		wf_error_prefix(e, "domain XML");
	else
		r = wf_domfacts_read(sb.buf, sb.len, path, f, e);
	wf_sb_release(&sb);
	return r;
}
