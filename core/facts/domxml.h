/*
 * domxml.h - reading a libvirt domain definition, the one way: hostile
 * input (a file an operator names, or what libvirt hands back) parsed with
 * no network, no DTD loading and no entity expansion, at most 16 MiB, the
 * root a <domain>, and a parse error as one line.  Used by the targets
 * reader (targets.c), the PCI id reader (vmpci.c), the libvirt source
 * (guest/domain.c) and the domain switch (fix/switchdom.c).
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

#endif
