#include "finding.h"
#include "error.h"
#include "strbuf.h"
#include "text.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const severity_names[] = {
	[WF_SEV_INFO] = "info",
	[WF_SEV_WARNING] = "warning",
	[WF_SEV_ERROR] = "error",
};

const char *wf_severity_name(enum wf_severity s)
{
	return s <= WF_SEV_ERROR ? severity_names[s] : "unknown";
}

struct wf_finding *wf_findings_add(struct wf_findings *l, const char *id,
				   enum wf_severity sev, const char *device)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->v = wf_xrealloc(l->v, l->alloc * sizeof *l->v);
	}
	struct wf_finding *f = &l->v[l->n++];
	memset(f, 0, sizeof *f);
	f->id = wf_xstrdup(id);
	f->severity = sev;
	f->device = device ? wf_xstrdup(device) : NULL;
	return f;
}

void wf_finding_set(char **field, const char *fmt, ...)
{
	char *s;
	va_list ap;
	va_start(ap, fmt);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	s = wf_sb_detach(&sb);
	free(*field);
	*field = s;
}

void wf_finding_add_evidence(struct wf_finding *f, const char *source,
			     const char *where, unsigned long first,
			     unsigned long last, const char *text)
{
	f->evidence = wf_xrealloc(f->evidence,
				  (f->n_evidence + 1) * sizeof *f->evidence);
	struct wf_evidence *e = &f->evidence[f->n_evidence++];
	e->source = wf_xstrdup(source ? source : "");
	e->where = where ? wf_xstrdup(where) : NULL;
	e->first = first;
	e->last = last;
	e->text = wf_xstrdup(text ? text : "");
}

void wf_finding_add_fix_for(struct wf_finding *f, const char *family, const char *arg)
{
	if (!arg) {
		wf_finding_add_fix(f, family);
		return;
	}
	char *id = wf_xasprintf("%s:%s", family, arg);
	wf_finding_add_fix(f, id);
	free(id);
}

void wf_finding_add_fix(struct wf_finding *f, const char *fix_id)
{
	for (size_t i = 0; i < f->n_fixes; i++)
		if (strcmp(f->fixes[i], fix_id) == 0)
			return;
	f->fixes = wf_xrealloc(f->fixes, (f->n_fixes + 1) * sizeof *f->fixes);
	f->fixes[f->n_fixes++] = wf_xstrdup(fix_id);
}

struct wf_finding *wf_findings_find(struct wf_findings *l, const char *id,
				    const char *device)
{
	for (size_t i = 0; i < l->n; i++) {
		struct wf_finding *f = &l->v[i];
		if (strcmp(f->id, id) != 0)
			continue;
		if (!device || (f->device && strcasecmp(f->device, device) == 0))
			return f;
	}
	return NULL;
}

size_t wf_findings_count(const struct wf_findings *l, enum wf_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].severity == sev;
	return n;
}

void wf_findings_sort(struct wf_findings *l)
{
	/* insertion sort: stable, lists are short */
	for (size_t i = 1; i < l->n; i++) {
		struct wf_finding key = l->v[i];
		size_t j = i;
		while (j > 0 && l->v[j - 1].severity < key.severity) {
			l->v[j] = l->v[j - 1];
			j--;
		}
		l->v[j] = key;
	}
}

void wf_finding_release(struct wf_finding *f)
{
	free(f->id);
	free(f->device);
	free(f->title);
	free(f->explanation);
	free(f->next_check);
	for (size_t i = 0; i < f->n_evidence; i++) {
		free(f->evidence[i].source);
		free(f->evidence[i].where);
		free(f->evidence[i].text);
	}
	free(f->evidence);
	for (size_t i = 0; i < f->n_fixes; i++)
		free(f->fixes[i]);
	free(f->fixes);
	memset(f, 0, sizeof *f);
}

void wf_findings_free(struct wf_findings *l)
{
	for (size_t i = 0; i < l->n; i++)
		wf_finding_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static void indent_lines(struct wf_strbuf *out, const char *prefix,
			 const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		wf_sb_adds(out, prefix);
		wf_sb_add_escaped(out, p, n, 0);
		wf_sb_addc(out, '\n');
		p += n + (nl != NULL);
	}
}

/* Guest text (device names, log lines, values) is escaped: a newline or a
 * terminal control in it can neither start a line of its own nor reach
 * the terminal (text.h). */
static void evidence_to_text(const struct wf_evidence *e, struct wf_strbuf *out)
{
	struct wf_text_pool tp = { 0 };
	if (e->first)
		wf_sb_addf(out, "    %s, line%s %lu%s", wf_text_pool_esc(&tp, e->source),
			   e->last > e->first ? "s" : "", e->first,
			   e->last > e->first ? "-" : "");
	else
		wf_sb_addf(out, "    %s%s%s", wf_text_pool_esc(&tp, e->source), e->where ? ": " : "",
			   e->where ? wf_text_pool_esc(&tp, e->where) : "");
	if (e->first && e->last > e->first)
		wf_sb_addf(out, "%lu", e->last);
	wf_sb_adds(out, ":\n");
	indent_lines(out, "      | ", e->text);
	wf_text_pool_free(&tp);
}

void wf_findings_to_text(const struct wf_findings *l, struct wf_strbuf *out)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct wf_finding *f = &l->v[i];
		struct wf_text_pool tp = { 0 };
		wf_sb_addf(out, "[%s] %s: %s\n", wf_severity_name(f->severity),
			   f->id, f->title ? wf_text_pool_esc(&tp, f->title) : "");
		if (f->device)
			wf_sb_addf(out, "  device: %s\n", wf_text_pool_esc(&tp, f->device));
		wf_text_pool_free(&tp);
		if (f->explanation)
			indent_lines(out, "  ", f->explanation);
		if (f->next_check) {
			wf_sb_adds(out, "  next: ");
			wf_sb_add_escaped(out, f->next_check, strlen(f->next_check), 0);
			wf_sb_addc(out, '\n');
		}
		if (f->n_evidence)
			wf_sb_adds(out, "  evidence:\n");
		for (size_t k = 0; k < f->n_evidence; k++)
			evidence_to_text(&f->evidence[k], out);
		for (size_t k = 0; k < f->n_fixes; k++) {	/* they hold guest names */
			wf_sb_adds(out, k ? ", " : "  fixes: ");
			wf_sb_add_escaped(out, f->fixes[k], strlen(f->fixes[k]), 0);
		}
		if (f->n_fixes)
			wf_sb_addc(out, '\n');
		wf_sb_addc(out, '\n');
	}
}

static void json_add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static struct json_object *evidence_to_json(const struct wf_evidence *e)
{
	struct json_object *o = json_object_new_object();
	json_add_str(o, "source", e->source);
	if (e->where)
		json_add_str(o, "key", e->where);
	if (e->first) {
		json_object_object_add(o, "first_line",
				       json_object_new_int64((int64_t)e->first));
		json_object_object_add(o, "last_line",
				       json_object_new_int64((int64_t)e->last));
	}
	json_add_str(o, "text", e->text);
	return o;
}

struct json_object *wf_findings_to_json(const struct wf_findings *l)
{
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct wf_finding *f = &l->v[i];
		struct json_object *o = json_object_new_object();
		json_add_str(o, "id", f->id);
		json_add_str(o, "severity", wf_severity_name(f->severity));
		json_add_str(o, "device", f->device);
		json_add_str(o, "title", f->title);
		json_add_str(o, "explanation", f->explanation);
		json_add_str(o, "next_check", f->next_check);
		struct json_object *ev = json_object_new_array();
		for (size_t k = 0; k < f->n_evidence; k++)
			json_object_array_add(ev, evidence_to_json(&f->evidence[k]));
		json_object_object_add(o, "evidence", ev);
		struct json_object *fx = json_object_new_array();
		for (size_t k = 0; k < f->n_fixes; k++)
			json_object_array_add(fx, json_object_new_string(f->fixes[k]));
		json_object_object_add(o, "fixes", fx);
		json_object_array_add(arr, o);
	}
	return arr;
}
