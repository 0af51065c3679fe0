/* journal.c - the fix journal as JSON (json-c). */
#include "journal.h"
#include "hive.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JOURNAL_FORMAT "virt-winfix journal 1"

void wf_journal_free(struct wf_journal *j)
{
	free(j->id);
	free(j->state);
	free(j->created);
	free(j->finished);
	free(j->image);
	free(j->systemroot);
	wf_strv_free(j->fixes, j->n_fixes);
	for (size_t i = 0; i < j->n_hives; i++) {
		free(j->hives[i].name);
		free(j->hives[i].path);
	}
	free(j->hives);
	for (size_t i = 0; i < j->n_files; i++) {
		free(j->files[i].path);
		free(j->files[i].backup);
	}
	free(j->files);
	wf_strv_free(j->undo, j->n_undo);
	wf_strv_free(j->notes, j->n_notes);
	memset(j, 0, sizeof *j);
}

char *wf_journal_now(int id_form)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, id_form ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm);
	return wf_xstrdup(buf);
}

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static struct json_object *jstrv(char **v, size_t n)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

struct json_object *wf_journal_to_json(const struct wf_journal *j)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "format", json_object_new_string(JOURNAL_FORMAT));
	json_object_object_add(o, "id", jstr(j->id));
	json_object_object_add(o, "state", jstr(j->state));
	json_object_object_add(o, "created", jstr(j->created));
	json_object_object_add(o, "finished", jstr(j->finished));
	json_object_object_add(o, "image", jstr(j->image));
	json_object_object_add(o, "systemroot", jstr(j->systemroot));
	json_object_object_add(o, "fixes", jstrv(j->fixes, j->n_fixes));
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < j->n_hives; i++) {
		struct json_object *h = json_object_new_object();
		json_object_object_add(h, "name", jstr(j->hives[i].name));
		json_object_object_add(h, "path", jstr(j->hives[i].path));
		json_object_object_add(h, "sha256_before", jstr(j->hives[i].before));
		json_object_object_add(h, "sha256_after", jstr(j->hives[i].after));
		json_object_array_add(a, h);
	}
	json_object_object_add(o, "hives", a);
	a = json_object_new_array();
	for (size_t i = 0; i < j->n_files; i++) {
		const struct wf_journal_file *f = &j->files[i];
		struct json_object *h = json_object_new_object();
		json_object_object_add(h, "path", jstr(f->path));
		json_object_object_add(h, "existed", json_object_new_boolean(f->existed));
		json_object_object_add(h, "backup", jstr(f->backup));
		json_object_object_add(h, "sha256_before", jstr(f->before));
		json_object_object_add(h, "sha256_after", jstr(f->after));
		json_object_array_add(a, h);
	}
	json_object_object_add(o, "files", a);
	json_object_object_add(o, "undo", jstrv(j->undo, j->n_undo));
	json_object_object_add(o, "notes", jstrv(j->notes, j->n_notes));
	return o;
}

char *wf_journal_to_string(const struct wf_journal *j)
{
	struct json_object *o = wf_journal_to_json(j);
	char *s = wf_xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

static char *gets_(struct json_object *o, const char *k)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return wf_xstrdup(json_object_get_string(v));
}

static void gethash(struct json_object *o, const char *k, char out[65])
{
	char *s = gets_(o, k);
	snprintf(out, 65, "%s", s && strlen(s) == 64 ? s : "");
	free(s);
}

static char **getv(struct json_object *o, const char *k, size_t *n)
{
	struct json_object *a;
	*n = 0;
	if (!json_object_object_get_ex(o, k, &a) || !json_object_is_type(a, json_type_array))
		return NULL;
	size_t len = json_object_array_length(a);
	char **v = wf_xcalloc(len + 1, sizeof *v);
	for (size_t i = 0; i < len; i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(a, i));
		v[(*n)++] = wf_xstrdup(s ? s : "");
	}
	return v;
}

static struct json_object *arr(struct json_object *o, const char *k, size_t *n)
{
	struct json_object *a;
	*n = 0;
	if (!json_object_object_get_ex(o, k, &a) || !json_object_is_type(a, json_type_array))
		return NULL;
	*n = json_object_array_length(a);
	return a;
}

static void parse_lists(struct json_object *o, struct wf_journal *j)
{
	size_t n;
	struct json_object *a = arr(o, "hives", &n);
	j->hives = wf_xcalloc(n + 1, sizeof *j->hives);
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(a, i);
		struct wf_journal_hive *jh = &j->hives[j->n_hives];
		jh->name = gets_(h, "name");
		jh->path = gets_(h, "path");
		if (!jh->name || !jh->path) {
			free(jh->name);
			free(jh->path);
			continue;
		}
		gethash(h, "sha256_before", jh->before);
		gethash(h, "sha256_after", jh->after);
		j->n_hives++;
	}
	a = arr(o, "files", &n);
	j->files = wf_xcalloc(n + 1, sizeof *j->files);
	for (size_t i = 0; i < n; i++) {
		struct json_object *h = json_object_array_get_idx(a, i), *b;
		struct wf_journal_file *f = &j->files[j->n_files];
		f->path = gets_(h, "path");
		if (!f->path)
			continue;
		f->backup = gets_(h, "backup");
		f->existed = json_object_object_get_ex(h, "existed", &b) && json_object_get_boolean(b);
		gethash(h, "sha256_before", f->before);
		gethash(h, "sha256_after", f->after);
		j->n_files++;
	}
}

int wf_journal_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64 || !isalnum((unsigned char)id[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '-' && id[i] != '_')
			return 0;
	return 1;
}

int wf_journal_parse(const char *text, size_t len, const char *name,
		     struct wf_journal *j, struct wf_error *e)
{
	memset(j, 0, sizeof *j);
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	json_tokener_free(tok);
	char *fmt = o ? gets_(o, "format") : NULL;
	int ok = fmt && strcmp(fmt, JOURNAL_FORMAT) == 0;
	free(fmt);
	if (ok) {
		j->id = gets_(o, "id");
		j->state = gets_(o, "state");
		ok = j->id && j->state && wf_journal_id_ok(j->id);
	}
	if (!ok) {
		json_object_put(o);
		wf_journal_free(j);
		return wf_error_set(e, WF_ERR_INPUT, "%s: not a virt-winfix journal", name);
	}
	j->created = gets_(o, "created");
	j->finished = gets_(o, "finished");
	j->image = gets_(o, "image");
	j->systemroot = gets_(o, "systemroot");
	j->fixes = getv(o, "fixes", &j->n_fixes);
	j->undo = getv(o, "undo", &j->n_undo);
	j->notes = getv(o, "notes", &j->n_notes);
	parse_lists(o, j);
	json_object_put(o);
	return 0;
}
