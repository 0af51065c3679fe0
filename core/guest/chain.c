#include "chain.h"
#include "spawn.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int allow_external;

void wf_chain_allow_external(int yes) { allow_external = yes != 0; }
int wf_chain_external_allowed(void) { return allow_external; }

/* Where qemu-img may be; never looked up on $PATH (we run as root). */
static const char *const qemu_img_paths[] = {
	"/usr/bin/qemu-img", "/usr/local/bin/qemu-img", "/bin/qemu-img", NULL,
};

enum { CHAIN_TIMEOUT_MS = 20000, CHAIN_OUT_CAP = 1 << 20 };

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v;
	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* The same file: same name, or the same inode. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (!strcmp(a, b))
		return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* One chain member: its backing file, data file, or an extent elsewhere. */
static char *external_of(struct json_object *m, const char *self)
{
	const char *back = str_of(m, "full-backing-filename");
	if (!back)
		back = str_of(m, "backing-filename");
	if (back)
		return wf_xasprintf("backing file %s", back);
	struct json_object *spec = get(m, "format-specific");
	struct json_object *data = get(spec, "data");
	const char *df = str_of(data, "data-file");
	if (df)
		return wf_xasprintf("external data file %s", df);
	struct json_object *ext = get(data, "extents");
	if (ext && json_object_is_type(ext, json_type_array)) {
		size_t n = json_object_array_length(ext);
		for (size_t i = 0; i < n; i++) {
			const char *f = str_of(json_object_array_get_idx(ext, i), "filename");
			if (f && !same_file(f, self))
				return wf_xasprintf("extent %s", f);
		}
	}
	return NULL;
}

int wf_chain_find_external(const char *json, const char *self, char **found,
			   struct wf_error *e)
{
	*found = NULL;
	struct json_object *root = json_tokener_parse(json);
	size_t n = root && json_object_is_type(root, json_type_array)
		   ? json_object_array_length(root) : 0;
	if (n == 0) {
		json_object_put(root);
		return wf_error_set(e, WF_ERR_INPUT, "qemu-img info gave no image chain");
	}
	for (size_t i = 0; i < n && !*found; i++) {
		struct json_object *m = json_object_array_get_idx(root, i);
		const char *name = str_of(m, "filename");
		if (i > 0)
			*found = wf_xasprintf("backing file %s", name ? name : "(unnamed)");
		else
			*found = external_of(m, self);
	}
	json_object_put(root);
	return 0;
}

/* qemu-img info on the image, format given; its JSON (malloc'd) or NULL. */
static char *chain_json(const char *abs, const char *fmt, struct wf_error *e)
{
	const char *tool = wf_spawn_find(qemu_img_paths);
	if (!tool) {
		wf_error_set(e, WF_ERR_INPUT,
			     "%s: qemu-img is not installed (needed to check what a %s image refers to)",
			     abs, fmt);
		return NULL;
	}
	const char *argv[] = { tool, "info", "--output=json", "--backing-chain",
			       "-U", "-f", fmt, abs, NULL };
	static const char *const env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	struct wf_spawn_opts o = { .timeout_ms = CHAIN_TIMEOUT_MS,
				   .out_cap = CHAIN_OUT_CAP, .env = env };
	struct wf_spawn_result r;
	if (wf_spawn(argv, &o, &r, e) < 0) {
		wf_spawn_result_free(&r);
		wf_error_prefix(e, "%s: cannot check the image chain", abs);
		return NULL;
	}
	if (r.status != 0) {
		wf_error_set(e, WF_ERR_INPUT, "%s: refused: qemu-img cannot open it as %s: %s",
			     abs, fmt, r.err[0] ? r.err : "no reason given");
		wf_spawn_result_free(&r);
		return NULL;
	}
	return r.out;
}

int wf_chain_check(struct wf_image *img, struct wf_error *e)
{
	if (img->is_blockdev || wf_format_qemu(img->format)[0] == 'r')	/* raw */
		return 0;
	char *abs = realpath(img->path, NULL);
	if (!abs)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot resolve the path", img->path);
	char *json = chain_json(abs, wf_format_qemu(img->format), e);
	char *ext = NULL;
	int failed = !json;
	if (json && wf_chain_find_external(json, abs, &ext, e) < 0) {
		wf_error_prefix(e, "%s: refused", img->path);
		failed = 1;
	}
	free(json);
	if (failed) {
		free(abs);
		return -1;
	}
	int r = 0;
	if (ext && !allow_external)
		r = wf_error_set(e, WF_ERR_INPUT,
				 "%s: refused: the %s image uses another host file (%s), which would be read and written too; pass --allow-backing if that is intended",
				 img->path, wf_format_name(img->format), ext);
	else if (ext) {
		free(img->external);
		img->external = ext;
		ext = NULL;
	}
	free(ext);
	free(abs);
	return r;
}
