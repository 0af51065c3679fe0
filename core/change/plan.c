/*
 * plan.c - the plan model: builders that record old state, and the hive
 * part of the executor (apply to a writable hive, verify a reopened one).
 * Rendering is in plan_render.c.
 */
#include "plan.h"
#include "hive.h"
#include "strbuf.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const hive_names[WF_HIVE_N] = { "SYSTEM", "SOFTWARE", "BCD" };

const char *wf_plan_hive_name(enum wf_plan_hive h)
{
	return h < WF_HIVE_N ? hive_names[h] : "?";
}

void wf_plan_init(struct wf_plan *p)
{
	memset(p, 0, sizeof *p);
}

static void action_free(struct wf_action *a)
{
	free(a->key);
	free(a->name);
	free(a->data);
	free(a->old_data);
	free(a->src);
	free(a->origin);
	free(a->guest);
	free(a->fix);
}

void wf_plan_free(struct wf_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		action_free(&p->v[i]);
	free(p->v);
	wf_strv_free(p->fixes, p->n_fixes);
	wf_strv_free(p->notes, p->n_notes);
	memset(p, 0, sizeof *p);
}

void wf_plan_add_fix(struct wf_plan *p, const char *fix_id)
{
	for (size_t i = 0; i < p->n_fixes; i++)
		if (strcmp(p->fixes[i], fix_id) == 0)
			return;
	p->fixes = wf_xrealloc(p->fixes, (p->n_fixes + 1) * sizeof *p->fixes);
	p->fixes[p->n_fixes++] = wf_xstrdup(fix_id);
}

void wf_plan_note(struct wf_plan *p, const char *fmt, ...)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	wf_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < p->n_notes; i++)
		if (strcmp(p->notes[i], sb.buf) == 0) {
			wf_sb_release(&sb);
			return;
		}
	p->notes = wf_xrealloc(p->notes, (p->n_notes + 1) * sizeof *p->notes);
	p->notes[p->n_notes++] = wf_sb_detach(&sb);
}

size_t wf_plan_count_hive(const struct wf_plan *p, enum wf_plan_hive h)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].kind <= WF_ACT_DELETE_KEY && p->v[i].hive == h;
	return n;
}

size_t wf_plan_count_files(const struct wf_plan *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		n += p->v[i].kind >= WF_ACT_COPY_FILE;
	return n;
}

static struct wf_action *push(struct wf_plan *p, enum wf_act_kind kind,
			      enum wf_plan_hive hive, const char *key,
			      const char *name, const char *fix)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 16;
		p->v = wf_xrealloc(p->v, p->alloc * sizeof *p->v);
	}
	struct wf_action *a = &p->v[p->n++];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->hive = hive;
	a->key = key ? wf_xstrdup(key) : NULL;
	a->name = name ? wf_xstrdup(name) : NULL;
	a->fix = wf_xstrdup(fix ? fix : "");
	if (fix && *fix)
		wf_plan_add_fix(p, fix);
	return a;
}

static int is_under(const char *key, const char *top)
{
	size_t n = strlen(top);
	return wf_startswithi(key, top) && (key[n] == '\0' || key[n] == '\\');
}

int wf_plan_planned_key(const struct wf_plan *p, enum wf_plan_hive which,
			const char *key)
{
	int r = -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct wf_action *a = &p->v[i];
		if (a->hive != which || a->kind > WF_ACT_DELETE_KEY)
			continue;
		if (a->kind == WF_ACT_DELETE_KEY && is_under(key, a->key))
			r = 0;
		else if (a->kind == WF_ACT_CREATE_KEY && wf_streqi(a->key, key))
			r = 1;
		else if (r == 0 && a->kind == WF_ACT_CREATE_KEY && is_under(a->key, key))
			r = 1;	/* re-created through a subkey */
	}
	return r;
}

static int key_exists(const struct wf_plan *p, struct wf_hive *h,
		      enum wf_plan_hive which, const char *key)
{
	int planned = wf_plan_planned_key(p, which, key);
	if (planned >= 0)
		return planned;
	return h && wf_hive_lookup(h, key) != 0;
}

int wf_plan_mkkey(struct wf_plan *p, struct wf_hive *h, enum wf_plan_hive which,
		  const char *key, const char *fix)
{
	if (key_exists(p, h, which, key))
		return 0;
	const char *slash = strrchr(key, '\\');
	if (slash) {
		char *parent = wf_xstrndup(key, (size_t)(slash - key));
		wf_plan_mkkey(p, h, which, parent, fix);
		free(parent);
	}
	push(p, WF_ACT_CREATE_KEY, which, key, NULL, fix);
	return 1;
}

/* The last value action on hive/key/name, NULL when none. */
static struct wf_action *find_value_action(struct wf_plan *p, enum wf_plan_hive which,
					   const char *key, const char *name)
{
	for (size_t i = p->n; i-- > 0;) {
		struct wf_action *a = &p->v[i];
		if (a->hive == which && (a->kind == WF_ACT_SET_VALUE ||
					 a->kind == WF_ACT_DELETE_VALUE) &&
		    wf_streqi(a->key, key) && wf_streqi(a->name, name))
			return a;
	}
	return NULL;
}

static void record_old(struct wf_action *a, struct wf_hive *h, const char *key,
		       const char *name)
{
	wf_node n = h ? wf_hive_lookup(h, key) : 0;
	void *d = NULL;
	size_t l = 0;
	uint32_t t = 0;
	if (n && wf_hive_get_raw(h, n, name, &t, &d, &l) == 0) {
		a->had_old = 1;
		a->old_type = t;
		a->old_data = d;
		a->old_len = l;
	}
}

static void set_new(struct wf_action *a, uint32_t type, const void *data, size_t len)
{
	free(a->data);
	a->type = type;
	a->len = len;
	a->data = wf_xmalloc(len ? len : 1);
	if (len)
		memcpy(a->data, data, len);
}

static int same_value(uint32_t t1, const void *d1, size_t l1, uint32_t t2,
		      const void *d2, size_t l2)
{
	return t1 == t2 && l1 == l2 && (!l1 || memcmp(d1, d2, l1) == 0);
}

static void remove_action(struct wf_plan *p, struct wf_action *a)
{
	size_t i = (size_t)(a - p->v);
	action_free(a);
	memmove(a, a + 1, (p->n - i - 1) * sizeof *a);
	p->n--;
}

int wf_plan_set(struct wf_plan *p, struct wf_hive *h, enum wf_plan_hive which,
		const char *key, const char *name, uint32_t type,
		const void *data, size_t len, const char *fix)
{
	name = name ? name : "";
	struct wf_action *prev = find_value_action(p, which, key, name);
	if (prev && wf_plan_planned_key(p, which, key) != 0) {
		prev->kind = WF_ACT_SET_VALUE;
		set_new(prev, type, data, len);
		if (prev->had_old && same_value(type, data, len, prev->old_type,
						prev->old_data, prev->old_len))
			remove_action(p, prev);
		return 1;
	}
	struct wf_action tmp = { 0 };
	if (key_exists(p, h, which, key) && wf_plan_planned_key(p, which, key) < 0)
		record_old(&tmp, h, key, name);
	if (tmp.had_old && same_value(type, data, len, tmp.old_type, tmp.old_data,
				      tmp.old_len)) {
		free(tmp.old_data);
		return 0;
	}
	wf_plan_mkkey(p, h, which, key, fix);
	struct wf_action *a = push(p, WF_ACT_SET_VALUE, which, key, name, fix);
	a->had_old = tmp.had_old;
	a->old_type = tmp.old_type;
	a->old_data = tmp.old_data;
	a->old_len = tmp.old_len;
	set_new(a, type, data, len);
	return 1;
}

int wf_plan_set_dword(struct wf_plan *p, struct wf_hive *h,
		      enum wf_plan_hive which, const char *key, const char *name,
		      uint32_t v, const char *fix)
{
	unsigned char b[4] = { v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, v >> 24 };
	return wf_plan_set(p, h, which, key, name, WF_REG_DWORD, b, 4, fix);
}

int wf_plan_set_string(struct wf_plan *p, struct wf_hive *h,
		       enum wf_plan_hive which, const char *key, const char *name,
		       uint32_t type, const char *utf8, const char *fix)
{
	size_t len;
	void *w = wf_utf8_to_utf16le(utf8, &len);
	int r = wf_plan_set(p, h, which, key, name, type, w, len, fix);
	free(w);
	return r;
}

int wf_plan_set_multi(struct wf_plan *p, struct wf_hive *h,
		      enum wf_plan_hive which, const char *key, const char *name,
		      const char *const *strs, size_t n, const char *fix)
{
	size_t len;
	void *data = wf_multi_sz_encode(strs, n, &len);
	int r = wf_plan_set(p, h, which, key, name, WF_REG_MULTI_SZ, data, len, fix);
	free(data);
	return r;
}

int wf_plan_delete_value(struct wf_plan *p, struct wf_hive *h,
			 enum wf_plan_hive which, const char *key,
			 const char *name, const char *fix)
{
	name = name ? name : "";
	struct wf_action *prev = find_value_action(p, which, key, name);
	if (prev) {
		if (!prev->had_old) {
			remove_action(p, prev);
			return 1;
		}
		prev->kind = WF_ACT_DELETE_VALUE;
		free(prev->data);
		prev->data = NULL;
		prev->len = 0;
		return 1;
	}
	if (wf_plan_planned_key(p, which, key) >= 0)
		return 0;
	struct wf_action tmp = { 0 };
	record_old(&tmp, h, key, name);
	if (!tmp.had_old)
		return 0;
	struct wf_action *a = push(p, WF_ACT_DELETE_VALUE, which, key, name, fix);
	a->had_old = 1;
	a->old_type = tmp.old_type;
	a->old_data = tmp.old_data;
	a->old_len = tmp.old_len;
	return 1;
}

/* Limits of a walk over a guest's key tree: Windows allows 512 levels;
 * a hostile hive may hold a subkey list that points back at a parent
 * (a cycle) or millions of keys. */
enum { TREE_MAX_DEPTH = 512, TREE_MAX_NODES = 1 << 20 };

/* A set of visited nodes (open addressing; nodes are cell offsets). */
struct visited {
	wf_node *slot;
	size_t cap, n;
};

/* 1 when newly added, 0 when seen before. */
static int visit(struct visited *v, wf_node n)
{
	if (2 * (v->n + 1) > v->cap) {
		struct visited g = { wf_xcalloc(v->cap ? 2 * v->cap : 256, sizeof *g.slot),
				     v->cap ? 2 * v->cap : 256, 0 };
		for (size_t i = 0; i < v->cap; i++)
			if (v->slot[i])
				visit(&g, v->slot[i]);
		free(v->slot);
		*v = g;
	}
	size_t i = (n * 0x9E3779B97F4A7C15ull) & (v->cap - 1);
	while (v->slot[i]) {
		if (v->slot[i] == n)
			return 0;
		i = (i + 1) & (v->cap - 1);
	}
	v->slot[i] = n;
	v->n++;
	return 1;
}

/* Keys and values below `root`, by an explicit stack: each key once
 * (a cycle ends there), at most TREE_MAX_DEPTH deep and TREE_MAX_NODES
 * keys.  Returns 0, or -1 when a limit cut the count short. */
static int count_tree(struct wf_hive *h, wf_node root, size_t *keys, size_t *vals)
{
	struct item { wf_node n; unsigned depth; } *stack = wf_xmalloc(64 * sizeof *stack);
	size_t sp = 0, cap = 64;
	struct visited seen = { 0 };
	int cut = 0;
	stack[sp++] = (struct item){ root, 0 };
	visit(&seen, root);
	while (sp) {
		struct item it = stack[--sp];
		size_t nv, nk;
		char **names = wf_hive_value_names(h, it.n, &nv);
		wf_strv_free(names, nv);
		*vals += nv;
		wf_node *kids = wf_hive_children(h, it.n, &nk);
		for (size_t i = 0; i < nk; i++) {
			if (!visit(&seen, kids[i]) || it.depth + 1 >= TREE_MAX_DEPTH ||
			    seen.n > TREE_MAX_NODES) {
				cut = 1;
				continue;
			}
			++*keys;
			if (sp == cap)
				stack = wf_xrealloc(stack, (cap *= 2) * sizeof *stack);
			stack[sp++] = (struct item){ kids[i], it.depth + 1 };
		}
		free(kids);
	}
	free(stack);
	free(seen.slot);
	return cut ? -1 : 0;
}

int wf_plan_delete_key(struct wf_plan *p, struct wf_hive *h,
		       enum wf_plan_hive which, const char *key, const char *fix)
{
	wf_node n = h ? wf_hive_lookup(h, key) : 0;
	if (!n || wf_plan_planned_key(p, which, key) == 0)
		return 0;
	struct wf_action *a = push(p, WF_ACT_DELETE_KEY, which, key, NULL, fix);
	a->had_old = 1;
	if (count_tree(h, n, &a->old_subkeys, &a->old_values) < 0)
		wf_plan_note(p, "%s: the key's tree is cyclic or too large; the counts shown are partial", key);
	return 1;
}

static struct wf_action *file_action(struct wf_plan *p, enum wf_act_kind k,
				     const char *guest, int exists,
				     uint64_t old_size, const char *fix)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind >= WF_ACT_COPY_FILE && wf_streqi(p->v[i].guest, guest)) {
			struct wf_action *a = &p->v[i];
			free(a->src);
			free(a->origin);
			free(a->data);
			a->src = NULL;
			a->origin = NULL;
			a->data = NULL;
			a->kind = k;
			return a;
		}
	struct wf_action *a = push(p, k, WF_HIVE_SYSTEM, NULL, NULL, fix);
	a->guest = wf_xstrdup(guest);
	a->had_old = exists;
	a->old_size = old_size;
	return a;
}

void wf_plan_copy_file(struct wf_plan *p, const char *src, const char *guest,
		       int exists, uint64_t old_size, const char *fix)
{
	wf_plan_copy_file_from(p, src, NULL, guest, exists, old_size, fix);
}

void wf_plan_copy_file_from(struct wf_plan *p, const char *src, const char *origin,
			    const char *guest, int exists, uint64_t old_size,
			    const char *fix)
{
	struct wf_action *a = file_action(p, WF_ACT_COPY_FILE, guest, exists, old_size, fix);
	a->src = wf_xstrdup(src);
	a->origin = origin && strcmp(origin, src) ? wf_xstrdup(origin) : NULL;
}

void wf_plan_write_file(struct wf_plan *p, const char *guest, const void *data,
			size_t len, int exists, uint64_t old_size, const char *fix)
{
	struct wf_action *a = file_action(p, WF_ACT_WRITE_FILE, guest, exists, old_size, fix);
	set_new(a, 0, data, len);
}

int wf_plan_planned_value(const struct wf_plan *p, enum wf_plan_hive which,
			  const char *key, const char *name, uint32_t *type,
			  const unsigned char **data, size_t *len, int *deleted)
{
	*deleted = 0;
	struct wf_action *a = find_value_action((struct wf_plan *)p, which, key,
						name ? name : "");
	int kstate = wf_plan_planned_key(p, which, key);
	if (kstate == 0) {
		*deleted = 1;
		return 0;
	}
	if (!a)
		return 0;
	if (a->kind == WF_ACT_DELETE_VALUE) {
		*deleted = 1;
		return 0;
	}
	*type = a->type;
	*data = a->data;
	*len = a->len;
	return 1;
}

/* --- executor, hive part --------------------------------------------------------- */

static int apply_one(const struct wf_action *a, struct wf_hive *h,
		     struct wf_error *e)
{
	wf_node n;
	switch (a->kind) {
	case WF_ACT_CREATE_KEY:
		return wf_hive_mkpath(h, a->key, e) ? 0 : -1;
	case WF_ACT_SET_VALUE:
		n = wf_hive_mkpath(h, a->key, e);
		return n ? wf_hive_set_value(h, n, a->name, a->type, a->data, a->len, e) : -1;
	case WF_ACT_DELETE_VALUE:
		n = wf_hive_lookup(h, a->key);
		return n ? wf_hive_delete_value(h, n, a->name, e) : 0;
	case WF_ACT_DELETE_KEY:
		n = wf_hive_lookup(h, a->key);
		return n ? wf_hive_delete_key(h, n, e) : 0;
	default:
		return 0;
	}
}

int wf_plan_apply_hive(const struct wf_plan *p, enum wf_plan_hive which,
		       struct wf_hive *h, struct wf_error *e)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct wf_action *a = &p->v[i];
		if (a->hive != which || a->kind > WF_ACT_DELETE_KEY)
			continue;
		if (apply_one(a, h, e) < 0)
			return wf_error_prefix(e, "%s\\%s", wf_plan_hive_name(which), a->key);
	}
	return 0;
}

/* Is a later action about the same item (so this one is not final)? */
static int superseded(const struct wf_plan *p, size_t i)
{
	const struct wf_action *a = &p->v[i];
	for (size_t k = i + 1; k < p->n; k++) {
		const struct wf_action *b = &p->v[k];
		if (b->hive != a->hive || b->kind > WF_ACT_DELETE_KEY)
			continue;
		if (b->kind == WF_ACT_DELETE_KEY && is_under(a->key, b->key))
			return 1;
		if (a->kind == WF_ACT_DELETE_KEY && is_under(b->key, a->key))
			return 1;
	}
	return 0;
}

static int verify_one(const struct wf_action *a, struct wf_hive *h,
		      struct wf_error *e)
{
	const char *hn = wf_hive_name(h);
	wf_node n = wf_hive_lookup(h, a->key);
	uint32_t t;
	void *d = NULL;
	size_t l;
	int ok;
	switch (a->kind) {
	case WF_ACT_CREATE_KEY:
		if (!n)
			return wf_error_set(e, WF_ERR_INPUT, "%s\\%s: key missing after the write", hn, a->key);
		return 0;
	case WF_ACT_SET_VALUE:
		ok = n && wf_hive_get_raw(h, n, a->name, &t, &d, &l) == 0 &&
		     same_value(t, d, l, a->type, a->data, a->len);
		free(d);
		if (!ok)
			return wf_error_set(e, WF_ERR_INPUT, "%s\\%s: value \"%s\" does not hold what was written",
					    hn, a->key, a->name);
		return 0;
	case WF_ACT_DELETE_VALUE:
		if (n && wf_hive_value_exists(h, n, a->name))
			return wf_error_set(e, WF_ERR_INPUT, "%s\\%s: value \"%s\" still there after deleting it",
					    hn, a->key, a->name);
		return 0;
	case WF_ACT_DELETE_KEY:
		if (n)
			return wf_error_set(e, WF_ERR_INPUT, "%s\\%s: key still there after deleting it", hn, a->key);
		return 0;
	default:
		return 0;
	}
}

int wf_plan_verify_hive(const struct wf_plan *p, enum wf_plan_hive which,
			struct wf_hive *h, struct wf_error *e)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct wf_action *a = &p->v[i];
		if (a->hive != which || a->kind > WF_ACT_DELETE_KEY || superseded(p, i))
			continue;
		if (verify_one(a, h, e) < 0)
			return -1;
	}
	return 0;
}
