/*
 * plan_render.c - a plan for people (a diff) and for programs (JSON).
 */
#include "plan.h"
#include "hive.h"
#include "strbuf.h"
#include "text.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* winnt.h REG_* names, by type number. */
static const char *const type_names[] = {
	"REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD",
	"REG_DWORD_BIG_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
	"REG_FULL_RESOURCE_DESCRIPTOR", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
};

static void add_type(uint32_t type, struct wf_strbuf *out)
{
	if (type < sizeof type_names / sizeof type_names[0])
		wf_sb_adds(out, type_names[type]);
	else
		wf_sb_addf(out, "REG_TYPE_0x%x", type);
}

static void add_quoted(struct wf_strbuf *out, const char *s)
{
	wf_sb_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			wf_sb_addc(out, '\\');
		if ((unsigned char)*s < 0x20)
			wf_sb_addf(out, "\\x%02x", (unsigned char)*s);
		else
			wf_sb_addc(out, *s);
	}
	wf_sb_addc(out, '"');
}

static void add_multi(const unsigned char *d, size_t l, struct wf_strbuf *out)
{
	size_t i = 0;
	int first = 1;
	wf_sb_adds(out, "[");
	while (i + 1 < l) {
		size_t j = i;
		while (j + 1 < l && (d[j] | d[j + 1]))
			j += 2;
		if (j == i)
			break;
		char *s = wf_utf16le_to_utf8(d + i, j - i);
		wf_sb_adds(out, first ? "" : ", ");
		add_quoted(out, s);
		free(s);
		first = 0;
		i = j + 2;
	}
	wf_sb_adds(out, "]");
}

void wf_plan_format_value(uint32_t type, const void *data, size_t len,
			  struct wf_strbuf *out)
{
	const unsigned char *d = data;
	add_type(type, out);
	wf_sb_addc(out, ' ');
	if ((type == WF_REG_DWORD || type == WF_REG_DWORD_BE) && len == 4) {
		uint32_t v = type == WF_REG_DWORD
			     ? (uint32_t)d[0] | d[1] << 8 | d[2] << 16 | (uint32_t)d[3] << 24
			     : (uint32_t)d[3] | d[2] << 8 | d[1] << 16 | (uint32_t)d[0] << 24;
		wf_sb_addf(out, "0x%08x (%u)", v, v);
	} else if (type == WF_REG_SZ || type == WF_REG_EXPAND_SZ || type == WF_REG_LINK) {
		char *s = wf_utf16le_to_utf8(d, len);
		add_quoted(out, s);
		free(s);
	} else if (type == WF_REG_MULTI_SZ) {
		add_multi(d, len, out);
	} else {
		wf_sb_addf(out, "%zu bytes:", len);
		for (size_t i = 0; i < len && i < 64; i++)
			wf_sb_addf(out, " %02x", d[i]);
		if (len > 64)
			wf_sb_adds(out, " ...");
	}
}

void wf_action_describe(const struct wf_action *a, struct wf_strbuf *out)
{
	const char *h = wf_plan_hive_name(a->hive);
	switch (a->kind) {
	case WF_ACT_CREATE_KEY:
		wf_sb_addf(out, "create key %s\\%s", h, a->key);
		break;
	case WF_ACT_SET_VALUE:
		wf_sb_addf(out, "set %s\\%s \"%s\" = ", h, a->key, a->name);
		wf_plan_format_value(a->type, a->data, a->len, out);
		break;
	case WF_ACT_DELETE_VALUE:
		wf_sb_addf(out, "delete value %s\\%s \"%s\"", h, a->key, a->name);
		break;
	case WF_ACT_DELETE_KEY:
		wf_sb_addf(out, "delete key %s\\%s", h, a->key);
		break;
	case WF_ACT_COPY_FILE:
		wf_sb_addf(out, "%s %s from %s", a->had_old ? "replace" : "copy in",
			   a->guest, a->origin ? a->origin : a->src);
		break;
	case WF_ACT_WRITE_FILE:
		wf_sb_addf(out, "%s %s (%zu bytes)", a->had_old ? "rewrite" : "write",
			   a->guest, a->len);
		break;
	}
}

void wf_action_describe_reverse(const struct wf_action *a, struct wf_strbuf *out)
{
	const char *h = wf_plan_hive_name(a->hive);
	switch (a->kind) {
	case WF_ACT_CREATE_KEY:
		wf_sb_addf(out, "delete key %s\\%s", h, a->key);
		break;
	case WF_ACT_SET_VALUE:
	case WF_ACT_DELETE_VALUE:
		if (a->had_old) {
			wf_sb_addf(out, "restore %s\\%s \"%s\" = ", h, a->key, a->name);
			wf_plan_format_value(a->old_type, a->old_data, a->old_len, out);
		} else {
			wf_sb_addf(out, "delete value %s\\%s \"%s\"", h, a->key, a->name);
		}
		break;
	case WF_ACT_DELETE_KEY:
		wf_sb_addf(out, "restore key %s\\%s (%zu values, %zu subkeys)", h, a->key,
			   a->old_values, a->old_subkeys);
		break;
	case WF_ACT_COPY_FILE:
	case WF_ACT_WRITE_FILE:
		if (a->had_old)
			wf_sb_addf(out, "restore %s from the backup (%llu bytes)", a->guest,
				   (unsigned long long)a->old_size);
		else
			wf_sb_addf(out, "delete %s", a->guest);
		break;
	}
}

/* --- the diff ----------------------------------------------------------------------- */

static void text_value(const struct wf_action *a, struct wf_strbuf *out)
{
	struct wf_strbuf nv = WF_STRBUF_INIT, ov = WF_STRBUF_INIT;
	if (a->kind == WF_ACT_SET_VALUE)
		wf_plan_format_value(a->type, a->data, a->len, &nv);
	if (a->had_old)
		wf_plan_format_value(a->old_type, a->old_data, a->old_len, &ov);
	const char *name = a->name[0] ? a->name : "(default)";
	if (a->kind == WF_ACT_DELETE_VALUE)
		wf_sb_addf(out, "    - \"%s\"  (was %s)\n", name, ov.buf);
	else if (a->had_old)
		wf_sb_addf(out, "    ~ \"%s\"  %s  ->  %s\n", name, ov.buf, nv.buf);
	else
		wf_sb_addf(out, "    + \"%s\" = %s\n", name, nv.buf);
	wf_sb_release(&nv);
	wf_sb_release(&ov);
}

/* One key's actions together, in the order keys first appear. */
static void text_registry(const struct wf_plan *p, enum wf_plan_hive h,
			  struct wf_strbuf *out)
{
	if (!wf_plan_count_hive(p, h))
		return;
	char *done = wf_xcalloc(p->n + 1, 1);
	wf_sb_addf(out, "%s hive:\n", wf_plan_hive_name(h));
	for (size_t i = 0; i < p->n; i++) {
		const struct wf_action *a = &p->v[i];
		if (done[i] || a->hive != h || a->kind > WF_ACT_DELETE_KEY)
			continue;
		int created = 0, deleted = 0;
		for (size_t k = i; k < p->n; k++)
			if (p->v[k].hive == h && p->v[k].kind <= WF_ACT_DELETE_KEY &&
			    wf_streqi(p->v[k].key, a->key)) {
				created |= p->v[k].kind == WF_ACT_CREATE_KEY;
				if (p->v[k].kind == WF_ACT_DELETE_KEY)
					deleted = (int)k + 1;
			}
		if (deleted)
			wf_sb_addf(out, "  - [%s]  (deleted with its %zu values and %zu subkeys)\n",
				   a->key, p->v[deleted - 1].old_values, p->v[deleted - 1].old_subkeys);
		else
			wf_sb_addf(out, "  %s[%s]%s\n", created ? "+ " : "", a->key,
				   created ? "  (new key)" : "");
		for (size_t k = i; k < p->n; k++) {
			const struct wf_action *b = &p->v[k];
			if (b->hive != h || b->kind > WF_ACT_DELETE_KEY || !wf_streqi(b->key, a->key))
				continue;
			done[k] = 1;
			if (b->kind == WF_ACT_SET_VALUE || b->kind == WF_ACT_DELETE_VALUE)
				text_value(b, out);
		}
	}
	free(done);
}

static void text_files(const struct wf_plan *p, struct wf_strbuf *out)
{
	if (!wf_plan_count_files(p))
		return;
	wf_sb_adds(out, "Files:\n");
	for (size_t i = 0; i < p->n; i++) {
		const struct wf_action *a = &p->v[i];
		if (a->kind < WF_ACT_COPY_FILE)
			continue;
		wf_sb_addf(out, "  %c %s", a->had_old ? '~' : '+', a->guest);
		if (a->kind == WF_ACT_COPY_FILE)
			wf_sb_addf(out, "  (from %s", a->origin ? a->origin : a->src);
		else
			wf_sb_addf(out, "  (%zu bytes written by virt-winfix", a->len);
		if (a->had_old)
			wf_sb_addf(out, "; replaces %llu bytes, kept in the backup",
				   (unsigned long long)a->old_size);
		wf_sb_adds(out, ")\n");
	}
}

void wf_plan_to_text(const struct wf_plan *p, struct wf_strbuf *out)
{
	wf_sb_addf(out, "Plan: %zu change%s", p->n, p->n == 1 ? "" : "s");
	for (size_t i = 0; i < p->n_fixes; i++)
		wf_sb_addf(out, "%s%s", i ? ", " : " for ", p->fixes[i]);
	wf_sb_adds(out, "\n");
	if (!p->n)
		wf_sb_adds(out, "  nothing to change: the guest already is as these fixes would make it\n");
	for (int h = 0; h < WF_HIVE_N; h++)
		text_registry(p, (enum wf_plan_hive)h, out);
	text_files(p, out);
	for (size_t i = 0; i < p->n_notes; i++)
		wf_sb_addf(out, "Note: %s\n", p->notes[i]);
}

/* --- JSON ------------------------------------------------------------------------- */

static const char *const op_names[] = {
	"create-key", "set-value", "delete-value", "delete-key", "copy-file", "write-file",
};

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *jvalue(uint32_t type, const void *d, size_t l)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_plan_format_value(type, d, l, &sb);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_int((int)type));
	json_object_object_add(o, "text", json_object_new_string(sb.buf));
	wf_sb_reset(&sb);
	for (size_t i = 0; i < l; i++)
		wf_sb_addf(&sb, "%02x", ((const unsigned char *)d)[i]);
	json_object_object_add(o, "hex", json_object_new_string(sb.buf));
	wf_sb_release(&sb);
	return o;
}

static struct json_object *action_json(const struct wf_action *a)
{
	struct json_object *o = json_object_new_object();
	struct wf_strbuf sb = WF_STRBUF_INIT;
	json_object_object_add(o, "op", json_object_new_string(op_names[a->kind]));
	json_object_object_add(o, "fix", jstr(a->fix));
	if (a->kind <= WF_ACT_DELETE_KEY) {
		json_object_object_add(o, "hive", jstr(wf_plan_hive_name(a->hive)));
		json_object_object_add(o, "key", jstr(a->key));
	}
	if (a->kind == WF_ACT_SET_VALUE || a->kind == WF_ACT_DELETE_VALUE) {
		json_object_object_add(o, "name", jstr(a->name));
		json_object_object_add(o, "old", a->had_old ? jvalue(a->old_type, a->old_data, a->old_len) : NULL);
		json_object_object_add(o, "new", a->kind == WF_ACT_SET_VALUE ? jvalue(a->type, a->data, a->len) : NULL);
	}
	if (a->kind == WF_ACT_DELETE_KEY) {
		json_object_object_add(o, "old_values", json_object_new_int64((int64_t)a->old_values));
		json_object_object_add(o, "old_subkeys", json_object_new_int64((int64_t)a->old_subkeys));
	}
	if (a->kind >= WF_ACT_COPY_FILE) {
		json_object_object_add(o, "path", jstr(a->guest));
		json_object_object_add(o, "source", jstr(a->origin ? a->origin : a->src));
		json_object_object_add(o, "replaces", json_object_new_boolean(a->had_old));
		if (a->had_old)
			json_object_object_add(o, "old_size", json_object_new_int64((int64_t)a->old_size));
		if (a->kind == WF_ACT_WRITE_FILE)
			json_object_object_add(o, "size", json_object_new_int64((int64_t)a->len));
	}
	wf_action_describe(a, &sb);
	json_object_object_add(o, "text", json_object_new_string(sb.buf));
	wf_sb_reset(&sb);
	wf_action_describe_reverse(a, &sb);
	json_object_object_add(o, "undo", json_object_new_string(sb.buf));
	wf_sb_release(&sb);
	return o;
}

struct json_object *wf_plan_to_json(const struct wf_plan *p)
{
	struct json_object *o = json_object_new_object(), *a;
	a = json_object_new_array();
	for (size_t i = 0; i < p->n_fixes; i++)
		json_object_array_add(a, json_object_new_string(p->fixes[i]));
	json_object_object_add(o, "fixes", a);
	a = json_object_new_array();
	for (size_t i = 0; i < p->n; i++)
		json_object_array_add(a, action_json(&p->v[i]));
	json_object_object_add(o, "actions", a);
	a = json_object_new_array();
	for (size_t i = 0; i < p->n_notes; i++)
		json_object_array_add(a, json_object_new_string(p->notes[i]));
	json_object_object_add(o, "notes", a);
	return o;
}
