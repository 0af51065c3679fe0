#include "hive.h"
#include "strbuf.h"
#include "text.h"

#include <errno.h>
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wf_hive {
	hive_h *h;
	char *path;
	char *name;
	int writable;
};

static int looks_like_hive(const char *path)
{
	char magic[4] = { 0 };
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(magic, 1, 4, f);
	fclose(f);
	return n == 4 && memcmp(magic, "regf", 4) == 0;
}

struct wf_hive *wf_hive_open(const char *path, const char *name, int writable,
			     struct wf_error *e)
{
	int is_hive = looks_like_hive(path);
	if (is_hive < 0) {
		wf_error_set(e, WF_ERR_INPUT, "%s hive %s: %s", name, path,
			     strerror(errno));
		return NULL;
	}
	if (!is_hive) {
		wf_error_set(e, WF_ERR_INPUT,
			     "%s hive %s: not a registry hive (no regf signature)",
			     name, path);
		return NULL;
	}
	hive_h *h = hivex_open(path, writable ? HIVEX_OPEN_WRITE : 0);
	if (!h) {
		wf_error_set(e, WF_ERR_INPUT,
			     "%s hive %s: damaged registry hive, hivex cannot read it (%s)",
			     name, path, strerror(errno));
		return NULL;
	}
	struct wf_hive *hv = wf_xcalloc(1, sizeof *hv);
	hv->h = h;
	hv->path = wf_xstrdup(path);
	hv->name = wf_xstrdup(name);
	hv->writable = writable;
	return hv;
}

void wf_hive_close(struct wf_hive *h)
{
	if (!h)
		return;
	hivex_close(h->h);
	free(h->path);
	free(h->name);
	free(h);
}

const char *wf_hive_name(const struct wf_hive *h) { return h->name; }
const char *wf_hive_path(const struct wf_hive *h) { return h->path; }
wf_node wf_hive_root(struct wf_hive *h) { return hivex_root(h->h); }

wf_node wf_hive_child(struct wf_hive *h, wf_node parent, const char *name)
{
	if (!parent)
		return 0;
	return hivex_node_get_child(h->h, parent, name);
}

/* Walk `path` from `node`; "CurrentControlSet" as the first element from
 * the root is replaced by the control set the loader boots (Default). */
wf_node wf_hive_lookup_from(struct wf_hive *h, wf_node node, const char *path)
{
	char *copy = wf_xstrdup(path), *save = NULL;
	int first = node == wf_hive_root(h);
	for (char *tok = strtok_r(copy, "\\", &save); tok && node;
	     tok = strtok_r(NULL, "\\", &save)) {
		char ccs[32];
		if (first && wf_streqi(tok, "CurrentControlSet") &&
		    wf_hive_current_control_set(h, ccs, sizeof ccs, NULL) == 0)
			tok = ccs;
		node = wf_hive_child(h, node, tok);
		first = 0;
	}
	free(copy);
	return node;
}

wf_node wf_hive_lookup(struct wf_hive *h, const char *path)
{
	return wf_hive_lookup_from(h, wf_hive_root(h), path);
}

char *wf_hive_node_name(struct wf_hive *h, wf_node node)
{
	char *s = hivex_node_name(h->h, node);
	return s ? s : wf_xstrdup("");
}

wf_node *wf_hive_children(struct wf_hive *h, wf_node node, size_t *n)
{
	*n = 0;
	hive_node_h *kids = node ? hivex_node_children(h->h, node) : NULL;
	if (!kids)
		return NULL;
	while (kids[*n])
		(*n)++;
	return (wf_node *)kids;	/* hive_node_h is size_t */
}

char **wf_hive_value_names(struct wf_hive *h, wf_node node, size_t *n)
{
	*n = 0;
	hive_value_h *vals = node ? hivex_node_values(h->h, node) : NULL;
	if (!vals)
		return NULL;
	size_t count = 0;
	while (vals[count])
		count++;
	char **names = wf_xcalloc(count + 1, sizeof *names);
	for (size_t i = 0; i < count; i++) {
		char *k = hivex_value_key(h->h, vals[i]);
		names[i] = k ? k : wf_xstrdup("");
	}
	free(vals);
	*n = count;
	return names;
}

void wf_strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

unsigned wf_hive_select(struct wf_hive *h, const char *which)
{
	uint32_t v = 0;
	wf_node sel = wf_hive_child(h, wf_hive_root(h), "Select");
	if (!sel || wf_hive_get_dword(h, sel, which, &v) < 0)
		return 0;
	return v;
}

/* The control set the loader boots: Select\Default (LastKnownGood only
 * when the operator picks it at boot), not Select\Current, which only
 * says which set was running when the hive was last saved (MS "Control
 * sets": CurrentControlSet is a link made at boot to the Default set). */
int wf_hive_current_control_set(struct wf_hive *h, char *buf, size_t n,
				struct wf_error *e)
{
	wf_node root = wf_hive_root(h);
	wf_node sel = wf_hive_child(h, root, "Select");
	uint32_t cur;
	const char *which = "Default";
	if (!sel)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s hive %s: no Select key, cannot tell the current control set",
				    h->name, h->path);
	if (wf_hive_get_dword(h, sel, "Default", &cur) < 0 || cur == 0) {
		which = "Current";
		if (wf_hive_get_dword(h, sel, "Current", &cur) < 0)
			return wf_error_set(e, WF_ERR_INPUT,
					    "%s hive %s: Select\\Default and Select\\Current are missing or not DWORDs",
					    h->name, h->path);
	}
	snprintf(buf, n, "ControlSet%03u", cur);
	if (!wf_hive_child(h, root, buf))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s hive %s: Select\\%s = %u but %s does not exist",
				    h->name, h->path, which, cur, buf);
	return 0;
}

static hive_value_h find_value(struct wf_hive *h, wf_node node,
			       const char *value)
{
	if (!node)
		return 0;
	return hivex_node_get_value(h->h, node, value ? value : "");
}

int wf_hive_value_exists(struct wf_hive *h, wf_node node, const char *value)
{
	return find_value(h, node, value) != 0;
}

int wf_hive_get_raw(struct wf_hive *h, wf_node node, const char *value,
		    uint32_t *type, void **data, size_t *len)
{
	hive_value_h v = find_value(h, node, value);
	if (!v)
		return -1;
	hive_type t;
	size_t l;
	char *d = hivex_value_value(h->h, v, &t, &l);
	if (!d)
		return -1;
	if (type)
		*type = (uint32_t)t;
	if (len)
		*len = l;
	if (data)
		*data = d;
	else
		free(d);
	return 0;
}

int wf_hive_get_dword(struct wf_hive *h, wf_node node, const char *value,
		      uint32_t *out)
{
	uint32_t t;
	unsigned char *d;
	size_t l;
	if (wf_hive_get_raw(h, node, value, &t, (void **)&d, &l) < 0)
		return -1;
	int ok = (t == WF_REG_DWORD || t == WF_REG_DWORD_BE) && l >= 4;
	if (ok)
		*out = t == WF_REG_DWORD
		       ? (uint32_t)d[0] | d[1] << 8 | d[2] << 16 | (uint32_t)d[3] << 24
		       : (uint32_t)d[3] | d[2] << 8 | d[1] << 16 | (uint32_t)d[0] << 24;
	free(d);
	return ok ? 0 : -1;
}

static int is_string_type(uint32_t t)
{
	return t == WF_REG_SZ || t == WF_REG_EXPAND_SZ || t == WF_REG_LINK ||
	       t == WF_REG_MULTI_SZ;
}

char *wf_hive_get_string(struct wf_hive *h, wf_node node, const char *value)
{
	uint32_t t;
	void *d;
	size_t l;
	if (wf_hive_get_raw(h, node, value, &t, &d, &l) < 0)
		return NULL;
	char *s = is_string_type(t) ? wf_utf16le_to_utf8(d, l) : NULL;
	free(d);
	return s;
}

char **wf_hive_get_multi(struct wf_hive *h, wf_node node, const char *value,
			 size_t *n)
{
	uint32_t t;
	unsigned char *d;
	size_t l;
	*n = 0;
	if (wf_hive_get_raw(h, node, value, &t, (void **)&d, &l) < 0)
		return NULL;
	if (!is_string_type(t)) {
		free(d);
		return NULL;
	}
	char **v = wf_xcalloc(1, sizeof *v);
	size_t i = 0, alloc = 1;
	while (i + 1 < l) {
		size_t j = i;
		while (j + 1 < l && (d[j] | d[j + 1]))
			j += 2;
		if (j == i)
			break;	/* empty string terminates the list */
		if (*n + 2 > alloc) {	/* doubling: linear in the value's size */
			alloc = alloc * 2 + 2;
			v = wf_xrealloc(v, alloc * sizeof *v);
		}
		v[(*n)++] = wf_utf16le_to_utf8(d + i, j - i);
		v[*n] = NULL;
		if (t != WF_REG_MULTI_SZ)
			break;
		i = j + 2;
	}
	free(d);
	return v;
}

static int need_writable(struct wf_hive *h, struct wf_error *e)
{
	if (h->writable)
		return 0;
	return wf_error_set(e, WF_ERR_INTERNAL, "%s hive %s: opened read-only",
			    h->name, h->path);
}

wf_node wf_hive_mkpath(struct wf_hive *h, const char *path, struct wf_error *e)
{
	if (need_writable(h, e) < 0)
		return 0;
	char *copy = wf_xstrdup(path), *save = NULL;
	wf_node node = wf_hive_root(h);
	int first = 1;
	for (char *tok = strtok_r(copy, "\\", &save); tok;
	     tok = strtok_r(NULL, "\\", &save)) {
		char ccs[32];
		if (first && wf_streqi(tok, "CurrentControlSet") &&
		    wf_hive_current_control_set(h, ccs, sizeof ccs, NULL) == 0)
			tok = ccs;
		first = 0;
		wf_node next = wf_hive_child(h, node, tok);
		if (!next)
			next = hivex_node_add_child(h->h, node, tok);
		if (!next) {
			wf_error_set(e, WF_ERR_INPUT,
				     "%s hive %s: cannot create key %s: %s",
				     h->name, h->path, path, strerror(errno));
			free(copy);
			return 0;
		}
		node = next;
	}
	free(copy);
	return node;
}

int wf_hive_set_value(struct wf_hive *h, wf_node node, const char *value,
		      uint32_t type, const void *data, size_t len,
		      struct wf_error *e)
{
	if (need_writable(h, e) < 0)
		return -1;
	hive_set_value v = {
		.key = (char *)(value ? value : ""),
		.t = (hive_type)type,
		.len = len,
		.value = (char *)data,
	};
	if (hivex_node_set_value(h->h, node, &v, 0) < 0)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s hive %s: cannot set value %s: %s",
				    h->name, h->path, v.key, strerror(errno));
	return 0;
}

int wf_hive_set_dword(struct wf_hive *h, wf_node node, const char *value,
		      uint32_t v, struct wf_error *e)
{
	unsigned char b[4] = { v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF,
			       v >> 24 };
	return wf_hive_set_value(h, node, value, WF_REG_DWORD, b, 4, e);
}

int wf_hive_set_string(struct wf_hive *h, wf_node node, const char *value,
		       uint32_t type, const char *utf8, struct wf_error *e)
{
	size_t len;
	void *w = wf_utf8_to_utf16le(utf8, &len);
	int r = wf_hive_set_value(h, node, value, type, w, len, e);
	free(w);
	return r;
}

int wf_hive_set_multi(struct wf_hive *h, wf_node node, const char *value,
		      const char *const *strs, size_t n, struct wf_error *e)
{
	size_t len;
	void *data = wf_multi_sz_encode(strs, n, &len);
	int r = wf_hive_set_value(h, node, value, WF_REG_MULTI_SZ, data, len, e);
	free(data);
	return r;
}

/* hivex has no call to delete one value: rewrite the key's value list. */
int wf_hive_delete_value(struct wf_hive *h, wf_node node, const char *value,
			 struct wf_error *e)
{
	if (need_writable(h, e) < 0)
		return -1;
	if (!find_value(h, node, value))
		return 0;
	hive_value_h *vals = hivex_node_values(h->h, node);
	if (!vals)
		return wf_error_set(e, WF_ERR_INPUT, "%s hive %s: %s",
				    h->name, h->path, strerror(errno));
	size_t n = 0, keep = 0;
	while (vals[n])
		n++;
	hive_set_value *sv = wf_xcalloc(n, sizeof *sv);
	for (size_t i = 0; i < n; i++) {
		char *k = hivex_value_key(h->h, vals[i]);
		if (!k || wf_streqi(k, value ? value : "")) {
			free(k);
			continue;
		}
		hive_type t;
		size_t l;
		sv[keep].value = hivex_value_value(h->h, vals[i], &t, &l);
		sv[keep].key = k;
		sv[keep].t = t;
		sv[keep].len = l;
		keep++;
	}
	int r = hivex_node_set_values(h->h, node, keep, sv, 0);
	int saved = errno;
	for (size_t i = 0; i < keep; i++) {
		free(sv[i].key);
		free(sv[i].value);
	}
	free(sv);
	free(vals);
	if (r < 0)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s hive %s: cannot delete value %s: %s",
				    h->name, h->path, value, strerror(saved));
	return 0;
}

int wf_hive_delete_key(struct wf_hive *h, wf_node node, struct wf_error *e)
{
	if (need_writable(h, e) < 0)
		return -1;
	if (node == wf_hive_root(h))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s hive %s: refusing to delete the root key",
				    h->name, h->path);
	if (hivex_node_delete_child(h->h, node) < 0)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s hive %s: cannot delete key: %s",
				    h->name, h->path, strerror(errno));
	return 0;
}

int wf_hive_commit(struct wf_hive *h, const char *path, struct wf_error *e)
{
	if (need_writable(h, e) < 0)
		return -1;
	if (hivex_commit(h->h, path, 0) < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s hive: cannot write %s: %s",
				    h->name, path ? path : h->path,
				    strerror(errno));
	return 0;
}
