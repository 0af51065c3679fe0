#include "domxml.h"
#include "text.h"

#include <libxml/parser.h>
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
