/*
 * wim.c - WIM files through wimlib (see wim.h).  Facts used: wimlib.h of
 * wimlib 1.13 (Debian libwim-dev): wimlib_overwrite keeps an integrity
 * table "if and only if one was present before" (WIMLIB_WRITE_FLAG_CHECK_
 * INTEGRITY) and the WIM's compression type; WIMLIB_INIT_FLAG_DEFAULT_CASE_
 * INSENSITIVE makes path lookups case-insensitive as on Windows.
 */
#include "wim.h"
#include "text.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wimlib.h>

struct wf_wim {
	WIMStruct *wim;
	char *path;
	struct wimlib_wim_info info;
	wf_wim_progress progress;
	void *ud;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init(void)
{
	wimlib_global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);
	wimlib_set_print_errors(false);
}

static int wim_error(struct wf_error *e, const char *path, const char *what, int code)
{
	const char *why = code == WIMLIB_ERR_WIM_IS_ENCRYPTED
				  ? "it is an encrypted ESD, which wimlib cannot read"
				  : wimlib_get_error_string(code);
	return wf_error_set(e, WF_ERR_INPUT, "%s: %s: %s", path, what, why);
}

struct wf_wim *wf_wim_open(const char *path, int writable, struct wf_error *e)
{
	pthread_once(&init_once, init);
	WIMStruct *wim = NULL;
	int r = wimlib_open_wim(path, writable ? WIMLIB_OPEN_FLAG_WRITE_ACCESS : 0, &wim);
	if (r) {
		wim_error(e, path, "cannot open it as a WIM", r);
		return NULL;
	}
	struct wf_wim *w = wf_xcalloc(1, sizeof *w);
	w->wim = wim;
	w->path = wf_xstrdup(path);
	wimlib_get_wim_info(wim, &w->info);
	if (w->info.total_parts > 1) {
		wf_error_set(e, WF_ERR_INPUT, "%s: part %u of a split WIM (.swm): not supported",
			     path, w->info.part_number);
		wf_wim_close(w);
		return NULL;
	}
	return w;
}

void wf_wim_close(struct wf_wim *w)
{
	if (!w)
		return;
	wimlib_free(w->wim);
	free(w->path);
	free(w);
}

int wf_wim_count(const struct wf_wim *w) { return (int)w->info.image_count; }

const char *wf_wim_name(const struct wf_wim *w, int image)
{
	const char *n = wimlib_get_image_name(w->wim, image);
	return n ? n : "";
}

const char *wf_wim_compression(const struct wf_wim *w)
{
	return wimlib_get_compression_type_string(w->info.compression_type);
}

int wf_wim_has_integrity(const struct wf_wim *w) { return w->info.has_integrity_table; }

const char *wf_wim_property(const struct wf_wim *w, int image, const char *name)
{
	return wimlib_get_image_property(w->wim, image, name);
}

static int size_cb(const struct wimlib_dir_entry *d, void *ctx)
{
	*(uint64_t *)ctx = d->streams[0].resource.uncompressed_size;
	return 0;
}

int wf_wim_exists(struct wf_wim *w, int image, const char *path, uint64_t *size)
{
	uint64_t sz = 0;
	int r = wimlib_iterate_dir_tree(w->wim, image, path, 0, size_cb, &sz);
	if (r == WIMLIB_ERR_PATH_DOES_NOT_EXIST)
		return 0;
	if (r)
		return -1;
	if (size)
		*size = sz;
	return 1;
}

int wf_wim_extract(struct wf_wim *w, int image, const char *const *paths, size_t n,
		   const char *dest, struct wf_error *e)
{
	int flags = WIMLIB_EXTRACT_FLAG_NO_ACLS | WIMLIB_EXTRACT_FLAG_NO_ATTRIBUTES |
		    WIMLIB_EXTRACT_FLAG_STRICT_GLOB;
	int r = wimlib_extract_paths(w->wim, image, dest, paths, n, flags);
	if (r)
		return wim_error(e, w->path, n == 1 ? paths[0] : "extracting files", r);
	return 0;
}

int wf_wim_update(struct wf_wim *w, int image, const struct wf_wim_add *add, size_t n,
		  struct wf_error *e)
{
	struct wimlib_update_command *cmd = wf_xcalloc(n ? n : 1, sizeof *cmd);
	for (size_t i = 0; i < n; i++) {
		cmd[i].op = WIMLIB_UPDATE_OP_ADD;
		cmd[i].add.fs_source_path = (char *)add[i].host;
		cmd[i].add.wim_target_path = (char *)add[i].path;
		cmd[i].add.add_flags = WIMLIB_ADD_FLAG_NO_ACLS;
	}
	int r = wimlib_update_image(w->wim, image, cmd, n, 0);
	free(cmd);
	if (r)
		return wim_error(e, w->path, "cannot add the files", r);
	return 0;
}

static enum wimlib_progress_status on_progress(enum wimlib_progress_msg msg,
					       union wimlib_progress_info *info, void *ctx)
{
	struct wf_wim *w = ctx;
	if (msg == WIMLIB_PROGRESS_MSG_WRITE_STREAMS && w->progress)
		w->progress(w->ud, info->write_streams.completed_bytes,
			    info->write_streams.total_bytes);
	return WIMLIB_PROGRESS_STATUS_CONTINUE;
}

int wf_wim_commit(struct wf_wim *w, wf_wim_progress progress, void *ud, struct wf_error *e)
{
	w->progress = progress;
	w->ud = ud;
	wimlib_register_progress_function(w->wim, on_progress, w);
	int r = wimlib_overwrite(w->wim, 0, 0);
	wimlib_register_progress_function(w->wim, NULL, NULL);
	if (r)
		return wim_error(e, w->path, "cannot write it", r);
	return 0;
}
