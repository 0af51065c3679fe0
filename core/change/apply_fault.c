/*
 * apply_fault.c - an I/O table that fails its Nth call (apply.h), for
 * fault injection by count on any backend: the unit tests' fake volume
 * and, through VIRT_WINFIX_TEST_FAIL_IO=N (tests only: cmd_fix), the real
 * image path through libguestfs.
 */
#include "apply.h"

#include <stdlib.h>

static int hit(struct wf_apply_fault *f, struct wf_error *e)
{
	if (++f->calls != f->fail_at)
		return 0;
	wf_error_set(e, WF_ERR_INPUT, "injected fault at I/O call %lu", f->calls);
	return 1;
}

static int x_exists(void *ud, const char *p, uint64_t *s)
{
	struct wf_apply_fault *f = ud;
	return hit(f, NULL) ? -1 : f->inner.exists(f->inner.ud, p, s);
}

static int x_download(void *ud, const char *p, const char *h, struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.download(f->inner.ud, p, h, e);
}

static int x_upload(void *ud, const char *h, const char *p, struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.upload(f->inner.ud, h, p, e);
}

static int x_rename(void *ud, const char *a, const char *b, struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.rename(f->inner.ud, a, b, e);
}

static int x_copy(void *ud, const char *a, const char *h, const char *b, struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.copy(f->inner.ud, a, h, b, e);
}

static int x_remove(void *ud, const char *p, struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.remove(f->inner.ud, p, e);
}

static int x_mkdir_p(void *ud, const char *p, struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.mkdir_p(f->inner.ud, p, e);
}

static int x_sync(void *ud, struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.sync(f->inner.ud, e);
}

static char **x_list(void *ud, const char *p)
{
	struct wf_apply_fault *f = ud;
	return hit(f, NULL) ? NULL : f->inner.list(f->inner.ud, p);
}

static int x_sha256(void *ud, const char *p, char hex[65], struct wf_error *e)
{
	struct wf_apply_fault *f = ud;
	return hit(f, e) ? -1 : f->inner.sha256(f->inner.ud, p, hex, e);
}

static void x_watch(void *ud, void (*fn)(void *, uint64_t, uint64_t), void *fud)
{
	struct wf_apply_fault *f = ud;
	f->inner.watch(f->inner.ud, fn, fud);
}

static int x_free_bytes(void *ud, uint64_t *out)
{
	struct wf_apply_fault *f = ud;
	return f->inner.free_bytes(f->inner.ud, out);
}

void wf_apply_io_fault(struct wf_apply_io *out, struct wf_apply_fault *f,
		       const struct wf_apply_io *inner, unsigned long fail_at)
{
	f->inner = *inner;
	f->calls = 0;
	f->fail_at = fail_at;
	*out = (struct wf_apply_io){
		.ud = f, .exists = x_exists, .download = x_download, .upload = x_upload,
		.rename = x_rename, .remove = x_remove, .mkdir_p = x_mkdir_p,
		.sync = x_sync, .list = inner->list ? x_list : NULL,
		.sha256 = inner->sha256 ? x_sha256 : NULL,
		.copy = inner->copy ? x_copy : NULL,
		.watch = inner->watch ? x_watch : NULL,
		.free_bytes = inner->free_bytes ? x_free_bytes : NULL,
	};
}
