/*
 * media.c - "prepare this medium for KVM": picking Windows install media
 * (an ISO with sources/ WIMs or I386/TXTSETUP.SIF) leads here instead of
 * the repair steps.  The operator names the virtio-win source, the
 * drivers and the new ISO; `p` shows the plan (core/media: what goes into
 * which image, sizes), `w` writes after a confirmation, with wimlib's bytes
 * as a progress bar.  The source ISO is never written.  All the work runs
 * as background tasks; this screen only draws their state.
 */
#include "screens.h"
#include "media.h"
#include "virtio_src.h"
#include "widgets.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { A_PLAN = 1, A_WRITE, A_FIELD, A_EDIT };

static const struct wf_binding keys[] = {
	{ 'p', A_PLAN, "p", "plan", "read the medium and show what would change" },
	{ 'w', A_WRITE, "w", "write", "write the new ISO (asks first)" },
	{ '\t', A_FIELD, "Tab", "next field", "move between the source, the drivers and the output" },
	{ '\r', A_EDIT, "Enter", "edit", "edit the field (Space toggles a driver)" },
	{ 0, 0, NULL, NULL, NULL },
};

static const char *const drivers[] = { "viostor", "vioscsi", "netkvm" };
#define N_DRV (sizeof drivers / sizeof *drivers)

enum field { F_SOURCE, F_DRIVERS, F_OUTPUT, F_N };
enum mstate { M_IDLE, M_BUSY, M_PLANNED, M_WRITTEN, M_FAILED };

struct mediascr {
	struct wf_app *app;
	char iso[PATH_MAX];
	enum field focus;
	int editing;
	struct wf_input src, out;
	struct wf_list drv;
	struct wf_lines lines;		/* the plan, wrapped */
	struct wf_pager pager;
	int wrapped_for;
	/* shared with the task */
	pthread_mutex_t lock;
	enum mstate state;
	char step[300];
	uint64_t done, total;
	struct wf_error err;
	int writing;			/* the task writes (else plans) */
	struct wf_media m;
	int have_plan;
	struct wf_virtio_src *vsrc;
	const char *chosen[N_DRV];
	struct wf_media_opts o;
};

static void on_step(void *ud, const char *msg)
{
	struct mediascr *s = ud;
	pthread_mutex_lock(&s->lock);
	snprintf(s->step, sizeof s->step, "%s", msg);
	pthread_mutex_unlock(&s->lock);
	wf_app_wake(s->app);
}

static void on_bytes(void *ud, uint64_t done, uint64_t total)
{
	struct mediascr *s = ud;
	pthread_mutex_lock(&s->lock);
	s->done = done;
	s->total = total;
	pthread_mutex_unlock(&s->lock);
	wf_app_wake(s->app);
}

static void drop_plan(struct mediascr *s)
{
	if (s->have_plan)
		wf_media_free(&s->m);
	s->have_plan = 0;
	wf_virtio_src_free(s->vsrc);
	s->vsrc = NULL;
	wf_lines_free(&s->lines);
	s->wrapped_for = 0;
	if (s->state != M_BUSY)
		s->state = M_IDLE;
}

static void work(void *arg)
{
	struct mediascr *s = arg;
	struct wf_error e = { 0 };
	int r;
	if (s->writing) {
		r = wf_media_apply(&s->o, &s->m, &e);
	} else {
		s->vsrc = wf_virtio_src_check(s->src.buf, &e) < 0 ? NULL
			  : wf_virtio_src_open(s->src.buf, NULL, &e);
		s->o.virtio = s->vsrc;
		r = s->vsrc ? wf_media_plan(&s->o, &s->m, &e) : -1;
		s->have_plan = s->vsrc != NULL;	/* wf_media_free is safe on a failed plan */
	}
	pthread_mutex_lock(&s->lock);
	s->err = e;
	s->state = r < 0 ? M_FAILED : s->writing ? M_WRITTEN : M_PLANNED;
	pthread_mutex_unlock(&s->lock);
}

static void done(struct wf_app *a, void *arg)
{
	struct mediascr *s = arg;
	wf_app_pending_write(a, NULL);
	if (s->state == M_WRITTEN)
		wf_app_flash(a, "Written: %s", s->out.buf);
	wf_app_redraw(a);
}

static void start(struct wf_app *a, struct mediascr *s, int writing)
{
	if (!writing) {
		drop_plan(s);
		size_t n = 0;
		for (size_t i = 0; i < N_DRV; i++)
			if (s->drv.marks[i])
				s->chosen[n++] = drivers[i];
		s->o = (struct wf_media_opts){
			.iso = s->iso, .drivers = s->chosen, .n_drivers = n, .tmpdir = "/var/tmp",
			.step = on_step, .bytes = on_bytes, .ud = s,
		};
	}
	s->o.out = s->out.buf;
	s->writing = writing;
	s->state = M_BUSY;
	s->step[0] = 0;
	s->done = s->total = 0;
	if (writing)
		wf_app_pending_write(a, "the new ISO is being written");
	if (wf_app_task(a, work, done, s) < 0) {
		s->state = M_FAILED;
		wf_error_set(&s->err, WF_ERR_INTERNAL, "cannot start a thread");
	}
}

static void on_confirm(struct wf_app *a, void *ud, int yes)
{
	if (yes)
		start(a, ud, 1);
}

static char *default_output(const char *iso)
{
	const char *dot = strrchr(iso, '.');
	size_t n = dot && !strchr(dot, '/') ? (size_t)(dot - iso) : strlen(iso);
	return wf_xasprintf("%.*s-kvm.iso", (int)n, iso);
}

static void *enter(struct wf_app *a, void *arg)
{
	struct mediascr *s = wf_xcalloc(1, sizeof *s);
	s->app = a;
	snprintf(s->iso, sizeof s->iso, "%s", (const char *)arg);
	pthread_mutex_init(&s->lock, NULL);
	s->src.complete = s->out.complete = wf_complete_path;
	struct wf_wiz *w = wf_app_userdata(a);
	if (w->virtio_win)
		wf_input_set(&s->src, w->virtio_win);
	char *out = default_output(s->iso);
	wf_input_set(&s->out, out);
	free(out);
	wf_list_set(&s->drv, N_DRV, 1);
	s->drv.marks[0] = s->drv.marks[1] = 1;
	wf_pager_init(&s->pager, wf_pager_lines_src(&s->lines));
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct mediascr *s = st;
	drop_plan(s);
	wf_list_free(&s->drv);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static void draw_fields(struct wf_app *a, struct mediascr *s, int y, int x, int w)
{
	attr_t lab = wf_attr(WF_C_HEADING);
	wf_draw_textf(y, x + 1, w - 2, wf_attr(WF_C_NORMAL) | A_BOLD, "Medium: %s", s->iso);
	wf_draw_text(y + 2, x + 1, 14, "virtio-win:", lab | (s->focus == F_SOURCE ? A_REVERSE : 0));
	wf_input_draw(&s->src, a, y + 2, x + 16, w - 18, wf_attr(WF_C_NORMAL),
		      s->editing && s->focus == F_SOURCE);
	wf_draw_text(y + 3, x + 1, 14, "drivers:", lab | (s->focus == F_DRIVERS ? A_REVERSE : 0));
	int cx = x + 16;
	for (size_t i = 0; i < N_DRV; i++) {
		attr_t at = wf_attr(WF_C_NORMAL) |
			    (s->focus == F_DRIVERS && s->drv.sel == i ? A_REVERSE : 0);
		cx += wf_draw_textf(y + 3, cx, w - (cx - x), at, "%s%s", wf_check_box(s->drv.marks[i]),
				    drivers[i]) + 2;
	}
	wf_draw_text(y + 4, x + 1, 14, "new ISO:", lab | (s->focus == F_OUTPUT ? A_REVERSE : 0));
	wf_input_draw(&s->out, a, y + 4, x + 16, w - 18, wf_attr(WF_C_NORMAL),
		      s->editing && s->focus == F_OUTPUT);
}

static void draw_state(struct wf_app *a, struct mediascr *s, int y, int x, int h, int w)
{
	pthread_mutex_lock(&s->lock);
	enum mstate st = s->state;
	char step[300];
	snprintf(step, sizeof step, "%s", s->step);
	double frac = s->total ? (double)s->done / (double)s->total : -1;
	pthread_mutex_unlock(&s->lock);
	if (st == M_BUSY) {
		wf_draw_progress(a, y, x + 1, w - 2, frac, step[0] ? step : "starting");
		return;
	}
	if (st == M_FAILED) {
		struct wf_lines l = { 0 };
		wf_wrap(&l, s->err.msg, w - 4, 0, 0, WF_C_ERROR, 0);
		for (size_t i = 0; i < l.n && (int)i < h; i++)
			wf_draw_text(y + (int)i, x + 2, w - 4, l.v[i].text, wf_attr(WF_C_ERROR));
		wf_lines_free(&l);
		return;
	}
	if (st == M_IDLE) {
		wf_draw_text(y, x + 1, w - 2, "Name the virtio-win folder or ISO, then p shows the plan.",
			     wf_attr(WF_C_DIM));
		return;
	}
	if (s->wrapped_for != w) {
		wf_lines_free(&s->lines);
		wf_wrap(&s->lines, s->m.text.buf, w - 2, 0, 0, WF_C_NORMAL, 0);
		if (st == M_WRITTEN)
			wf_lines_addf(&s->lines, WF_C_GOOD, 0, "Written: %s", s->out.buf);
		s->wrapped_for = w;
	}
	wf_pager_draw(&s->pager, a, y, x + 1, h, w - 2);
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct mediascr *s = st;
	draw_fields(a, s, y + 1, x, w);
	wf_draw_hline(y + 6, x, w, wf_attr(WF_C_DIM));
	draw_state(a, s, y + 7, x, h - 7, w);
}

static int edit_key(struct mediascr *s, int k)
{
	enum wf_edit what;
	int r = wf_input_edit_key(s->focus == F_SOURCE ? &s->src : &s->out, k, &what);
	if (what != WF_EDIT_NONE)
		s->editing = 0;
	if (what == WF_EDIT_COMMIT && s->focus == F_SOURCE)
		drop_plan(s);
	return r;
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct mediascr *s = st;
	if (s->editing)
		return edit_key(s, k);
	if (s->pager.searching)		/* the search prompt takes every key */
		return wf_pager_key(&s->pager, k);
	int busy = s->state == M_BUSY;
	switch (action) {
	case A_FIELD:
		s->focus = (s->focus + 1) % F_N;
		return WF_HANDLED | WF_REDRAW;
	case A_EDIT:
		if (s->focus != F_DRIVERS && !busy)
			s->editing = 1;
		return WF_HANDLED | WF_REDRAW;
	case A_PLAN:
		if (!busy)
			start(a, s, 0);
		return WF_HANDLED | WF_REDRAW;
	case A_WRITE:
		if (s->state == M_PLANNED)
			wf_app_confirm(a, "Write the new ISO?", s->out.buf, on_confirm, s);
		else if (!busy)
			wf_app_flash(a, "p first: the plan shows what will be written");
		return WF_HANDLED | WF_REDRAW;
	}
	if (s->focus == F_DRIVERS && !busy && (k == ' ' || k == WF_K(KEY_LEFT) || k == WF_K(KEY_RIGHT))) {
		if (k == ' ') {
			s->drv.marks[s->drv.sel] ^= 1;
			drop_plan(s);
		} else {
			s->drv.sel = (s->drv.sel + N_DRV + (k == WF_K(KEY_RIGHT) ? 1 : -1)) % N_DRV;
		}
		return WF_HANDLED | WF_REDRAW;
	}
	if (wf_key_is_back(k))
		return busy ? WF_HANDLED : WF_BACK;
	return s->state == M_PLANNED || s->state == M_WRITTEN ? wf_pager_key(&s->pager, k) : WF_IGNORED;
}

static int tick(struct wf_app *a, void *st)
{
	(void)a;
	(void)st;
	return WF_REDRAW;
}

const struct wf_screen wf_scr_media = {
	.name = "media",
	.title = "Prepare this install medium for KVM",
	.help = "screens/media",
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
