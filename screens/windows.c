/*
 * windows.c - step 2: the Windows found, and its controllers.
 *
 * While the appliance starts (spinner, elapsed time, Esc cancels) the disks
 * are shown as libblkid saw them and the operator can already choose what
 * the VM will present.  Once Windows is read: its facts, and one row per
 * controller kind of the catalogue: what the VM presents (Space toggles;
 * taken from --domain-xml or --target when given), the driver Windows has
 * for it and its Start value, and whether Windows has seen such a device
 * (Enum\PCI).  The pane below details the selected kind.  Enter goes on to
 * the diagnosis, which started in the background as soon as Windows was
 * read.
 */
#include "screens.h"
#include "controllers.h"
#include "inspect_report.h"
#include "widgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct winscr {
	struct wf_list list;
	const struct wf_ctrl_kind *kinds[64];	/* storage first, then network */
	size_t n;
};

enum { A_NEXT = 1, A_TOGGLE };

static const struct wf_binding keys[] = {
	{ '\r', A_NEXT, "Enter", "diagnose", "go on to the diagnosis for the controllers marked" },
	{ WF_K(KEY_ENTER), A_NEXT, NULL, NULL, NULL },
	{ WF_K(KEY_RIGHT), A_NEXT, NULL, NULL, NULL },
	{ ' ', A_TOGGLE, "Space", "VM presents", "mark or unmark a controller the VM will present" },
	{ 0, 0, NULL, NULL, NULL },
};

static int targeted(const struct wf_wiz *w, const struct wf_ctrl_kind *k, int *boot)
{
	for (size_t i = 0; i < w->targets.n; i++)
		if (w->targets.v[i].kind == k) {
			if (boot)
				*boot = w->targets.v[i].boot;
			return 1;
		}
	return 0;
}

static void toggle(struct wf_wiz *w, const struct wf_ctrl_kind *k)
{
	struct wf_targets *t = &w->targets;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].kind == k) {
			memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof t->v[0]);
			t->n--;
			wf_wiz_targets_changed(w);
			return;
		}
	if (wf_targets_add(t, k, k->cls == WF_CTRL_STORAGE) < 0) {
		wf_app_flash(w->app, "At most %d controllers", WF_TARGETS_MAX);
		return;
	}
	wf_wiz_targets_changed(w);
}

static const struct wf_ctrl_status *status_of(struct wf_windows *win,
					      const struct wf_ctrl_kind *k)
{
	for (size_t i = 0; win && i < win->ctrl.n_status; i++)
		if (win->ctrl.status[i].kind == k)
			return &win->ctrl.status[i];
	return NULL;
}

static size_t seen_count(struct wf_windows *win, const struct wf_ctrl_kind *k)
{
	size_t n = 0;
	for (size_t i = 0; win && i < win->ctrl.n_seen; i++)
		n += win->ctrl.seen[i].kind == k;
	return n;
}

/* "msahci manual", "storahci boot", "none": the applicable services. */
static enum wf_color driver_summary(const struct wf_ctrl_status *s, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	int exists = 0;
	for (size_t i = 0; s && i < s->n_svc && o < n; i++) {
		const struct wf_ctrl_service *sv = &s->svc[i];
		if (!sv->applies || !sv->exists)
			continue;
		exists = 1;
		o += (size_t)snprintf(buf + o, n - o, "%s%s %s%s", o ? ", " : "", sv->drv->service,
				      sv->has_start ? wf_start_name(sv->start) : "?",
				      sv->file_state == 0 ? " (no file)" : "");
	}
	if (!exists) {
		snprintf(buf, n, "no driver");
		return WF_C_DIM;
	}
	if (s->kind->cls == WF_CTRL_STORAGE)
		return s->boot_ready ? WF_C_GOOD : WF_C_WARNING;
	return s->has_driver ? WF_C_GOOD : WF_C_WARNING;
}

static void *enter(struct wf_app *a, void *arg)
{
	(void)a;
	(void)arg;
	struct winscr *s = wf_xcalloc(1, sizeof *s);
	for (int cls = 0; cls < 2; cls++)
		for (size_t i = 0; i < wf_ctrl_n_kinds && s->n < 64; i++)
			if ((int)wf_ctrl_kinds[i].cls == cls)
				s->kinds[s->n++] = &wf_ctrl_kinds[i];
	wf_list_set(&s->list, s->n, 0);
	return s;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct winscr *s = st;
	wf_list_free(&s->list);
	free(s);
}

struct rowctx {
	struct wf_wiz *w;
	struct winscr *s;
	struct wf_windows *win;
};

static void draw_row(void *ud, size_t i, int y, int x, int w, int sel)
{
	struct rowctx *c = ud;
	const struct wf_ctrl_kind *k = c->s->kinds[i];
	int boot = 0, on = targeted(c->w, k, &boot);
	attr_t base = wf_list_attr(sel, WF_C_NORMAL);
	wf_draw_fill(y, x, w, base);
	wf_draw_text(y, x, 4, wf_check_box(on), base);
	char label[128];
	snprintf(label, sizeof label, "%s%s", k->label, on && boot ? " (boot)" : "");
	wf_draw_clip(y, x + 4, 28, label, base);
	if (!c->win) {
		wf_draw_text(y, x + 33, w - 33, c->w->vm && c->w->vm->phase == WF_VM_LAUNCHING
			     ? "..." : "-", sel ? base : wf_attr(WF_C_DIM));
		return;
	}
	char drv[128];
	enum wf_color col = driver_summary(status_of(c->win, k), drv, sizeof drv);
	wf_draw_clip(y, x + 33, 33, drv, sel ? base : wf_attr(col));
	size_t seen = seen_count(c->win, k);
	wf_draw_text(y, x + 67, w - 67, seen ? "seen" : "-", sel ? base : wf_attr(seen ? WF_C_NORMAL : WF_C_DIM));
}

static void draw_disks(struct wf_wiz *w, int y, int x, int w_)
{
	const struct wf_inspection *in = &w->vm->in;
	for (size_t i = 0; i < in->n_disks && i < 2; i++) {
		const struct wf_disk *d = &in->disks[i];
		char sz[32];
		wf_format_size(sz, sizeof sz, d->img.virtual_size ? d->img.virtual_size : d->img.file_size);
		char extra[128] = "";
		if (d->probed)
			snprintf(extra, sizeof extra, ", %s, %zu partition%s%s",
				 d->probe.pttype ? (!strcmp(d->probe.pttype, "dos") ? "MBR" : "GPT") : "no table",
				 d->probe.n_parts, d->probe.n_parts == 1 ? "" : "s",
				 d->probe.n_ntfs ? ", NTFS" : "");
		wf_draw_textf(y + (int)i, x, w_, wf_attr(WF_C_NORMAL), "Disk %zu: %s (%s, %s%s)", i + 1,
			      d->img.path, wf_format_name(d->img.format), sz, extra);
	}
}

static void draw_windows(struct wf_app *a, struct wf_wiz *w, struct wf_windows *win,
			 int y, int x, int wd)
{
	struct wf_vm *vm = w->vm;
	if (vm->phase == WF_VM_LAUNCHING) {
		char label[256];
		snprintf(label, sizeof label, "Starting the appliance and reading Windows... %.0f s   (Esc cancels)",
			 wf_now() - vm->t0);
		wf_draw_progress(a, y, x, wd, -1, label);
		wf_draw_text(y + 1, x, wd, "Meanwhile, mark the controllers the VM will present.",
			     wf_attr(WF_C_DIM));
		return;
	}
	if (!win) {
		wf_draw_text(y, x, wd, vm->phase == WF_VM_CANCELLED ? "Launch cancelled." : vm->err.msg,
			     wf_attr(WF_C_ERROR));
		return;
	}
	const struct wf_winver *v = &win->ver;
	wf_draw_textf(y, x, wd, wf_attr(WF_C_HEADING) | A_BOLD, "%s%s%s",
		      v->display_name ? v->display_name : "Windows",
		      v->csd_version ? " " : "", v->csd_version ? v->csd_version : "");
	wf_draw_textf(y + 1, x, wd, wf_attr(WF_C_NORMAL),
		      "%u.%u build %u, %s%s%s, %s on %s, %s%s", v->major, v->minor, v->build,
		      v->arch ? v->arch : "?", v->hostname ? ", host " : "", v->hostname ? v->hostname : "",
		      win->systemroot, win->device, v->ccs ? v->ccs : "?",
		      vm->in.n_win > 1 ? " (+ another Windows)" : "");
}

static void draw_detail(struct wf_wiz *w, struct wf_windows *win, const struct wf_ctrl_kind *k,
			int y, int x, int h, int wd)
{
	wf_draw_hline(y, x, wd, wf_attr(WF_C_DIM));
	int r = 1;
	char pci[128] = "";
	size_t o = 0;
	for (int i = 0; i < WF_CTRL_MAX_PCI && k->pci[i] && o < sizeof pci; i++)
		o += (size_t)snprintf(pci + o, sizeof pci - o, "%s%s", i ? " " : "", k->pci[i]);
	wf_draw_textf(y + r++, x, wd, wf_attr(WF_C_HEADING), "%s  (%s%s)", k->label,
		      !strcmp(k->bus, "pci") ? "PCI " : k->bus, pci);
	if (!win) {
		wf_draw_text(y + r, x, wd, w->vm && w->vm->phase == WF_VM_LAUNCHING
			     ? "Drivers are read once Windows is found." : "", wf_attr(WF_C_DIM));
		return;
	}
	const struct wf_ctrl_status *s = status_of(win, k);
	for (size_t i = 0; s && i < s->n_svc && r < h; i++) {
		const struct wf_ctrl_service *sv = &s->svc[i];
		if (!sv->applies)
			continue;
		if (!sv->exists) {
			wf_draw_textf(y + r++, x, wd, wf_attr(WF_C_DIM), "  %-10s not installed (%s driver)",
				      sv->drv->service, sv->drv->inbox ? "in-box" : "vendor");
			continue;
		}
		char sz[32] = "";
		if (sv->file_state == 1)
			wf_format_size(sz, sizeof sz, sv->file_size);
		wf_draw_textf(y + r++, x, wd, wf_attr(sv->file_state == 0 ? WF_C_WARNING : WF_C_NORMAL),
			      "  %-10s Start %u (%s)  %s %s", sv->drv->service, sv->start,
			      sv->has_start ? wf_start_name(sv->start) : "?",
			      sv->guest_path ? sv->guest_path : sv->image_path ? sv->image_path : "",
			      sv->file_state == 1 ? sz : sv->file_state == 0 ? "MISSING" : "");
	}
	for (size_t i = 0; i < win->ctrl.n_seen && r < h; i++) {
		const struct wf_seen_device *d = &win->ctrl.seen[i];
		if (d->kind != k)
			continue;
		wf_draw_textf(y + r++, x, wd, wf_attr(WF_C_NORMAL), "  seen: PCI\\%s -> %s%s", d->hwid,
			      d->service ? d->service : "no driver",
			      d->has_config_flags && d->config_flags ? " (ConfigFlags set)" : "");
	}
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct winscr *s = st;
	struct wf_wiz *wz = wf_app_userdata(a);
	if (!wz->vm)
		return;
	struct wf_windows *win = wf_wiz_windows(wz);
	draw_disks(wz, y, x + 1, w - 2);
	int top = y + (wz->vm->in.n_disks > 1 ? 2 : 1) + 1;
	draw_windows(a, wz, win, top, x + 1, w - 2);
	top += 3;
	wf_draw_text(top, x + 1, w - 2,
		     "VM  Controller                      Windows driver, Start            Windows", wf_attr(WF_C_HEADING));
	wf_draw_text(top + 1, x + 1, w - 2,
		     "presents                            (applicable services)            has seen",
		     wf_attr(WF_C_HEADING));
	int detail = 6;
	int lh = y + h - detail - (top + 2);
	struct rowctx c = { wz, s, win };
	wf_list_draw(&s->list, top + 2, x + 1, lh, w - 2, draw_row, &c);
	draw_detail(wz, win, s->kinds[s->list.sel], y + h - detail, x + 1, detail, w - 2);
	if (wz->targets.origin == WF_TGT_DOMXML && wz->domxml && !wz->have_dom && !wz->have_pve)
		wf_draw_textf(y + h - 1, x + 1, w - 2, wf_attr(WF_C_DIM), "From %s", wz->domxml);
	else if (wz->targets.origin == WF_TGT_DOMXML)	/* a domain, a Proxmox config */
		wf_draw_clip(y + h - 1, x + 1, w - 2, wz->targets.note, wf_attr(WF_C_DIM));
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct winscr *s = st;
	struct wf_wiz *w = wf_app_userdata(a);
	switch (action) {
	case A_TOGGLE:
		toggle(w, s->kinds[s->list.sel]);
		return WF_HANDLED | WF_REDRAW;
	case A_NEXT: {
		int storage = 0;
		for (size_t i = 0; i < w->targets.n; i++)
			storage |= w->targets.v[i].kind->cls == WF_CTRL_STORAGE;
		if (!storage) {
			wf_app_flash(a, "Mark the storage controller the VM boots from (Space).");
			return WF_HANDLED;
		}
		if (w->vm && (w->vm->phase == WF_VM_FAILED || w->vm->phase == WF_VM_CANCELLED))
			return WF_HANDLED;
		wf_wiz_diagnose(w);
		wf_app_push(a, &wf_scr_diagnosis, NULL);
		return WF_HANDLED | WF_REDRAW;
	}
	}
	if (wf_key_is_back(k) || k == WF_K(KEY_LEFT)) {
		if (w->vm && w->vm->phase == WF_VM_LAUNCHING)
			wf_wiz_cancel(w);
		return WF_BACK;
	}
	return wf_list_key(&s->list, k);
}

static int tick(struct wf_app *a, void *st)
{
	(void)st;
	struct wf_wiz *w = wf_app_userdata(a);
	/* the elapsed time of the launch turns with the spinner */
	return w->vm && w->vm->phase == WF_VM_LAUNCHING ? WF_REDRAW : 0;
}

const struct wf_screen wf_scr_windows = {
	.name = "windows",
	.title = "Step 2 of 6: Windows and controllers",
	.help = "screens/windows-controllers",
	.step = 2,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
