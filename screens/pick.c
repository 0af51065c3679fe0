/*
 * pick.c - step 1: pick the VM.
 *
 * One list: the host's libvirt domains (listed on a thread of their own,
 * wizard_dom.c: the section says "listing" until libvirtd answers and is
 * left out when there is no libvirt), recently used images, the host's block devices, then the
 * current folder (parent, folders, files).  Each image shows what the
 * magic bytes and libblkid say (format, size, partition table, partitions,
 * NTFS, BitLocker), computed for the rows on screen only; the pane below
 * details the selected one.  A path line takes a typed path with Tab
 * completion.  Enter opens the image (or the marked ones: Space marks the
 * disks of a multi-disk VM), which starts the appliance in the background
 * and moves on to step 2.  Enter on a domain opens its disks as -d does.
 */
#include "screens.h"
#include "inspect_report.h"
#include "hive.h"
#include "hostdisks.h"
#include "image.h"
#include "isofs.h"
#include "media.h"
#include "probe.h"
#include "widgets.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum kind { K_HEADER, K_DOMAIN, K_RECENT, K_DEVICE, K_PARENT, K_DIR, K_FILE };

struct entry {
	enum kind kind;
	char *name;		/* shown; a domain's name */
	char *path;		/* opened (NULL for a domain) */
	char *disks;		/* a domain's disks */
	int active;		/* a running domain */
	int looked;		/* facts computed */
	int image;		/* a disk image we can open */
	char facts[160];
	struct wf_image img;
	struct wf_probe probe;
	int probed;
};

struct pick {
	struct wf_wiz *w;
	int dom_state;		/* of the listing shown */
	unsigned dom_serial;
	int moved;		/* the operator moved: keep the selection on reloads */
	char dir[PATH_MAX];
	struct entry *v;
	size_t n;
	struct wf_list list;
	struct wf_input path;
	int focus_path;
};

enum { A_OPEN = 1, A_MARK, A_PATH, A_PARENT, A_INTO };

static const struct wf_binding keys[] = {
	{ '\r', A_OPEN, "Enter", "open", "open the image (or the marked ones), or enter the folder" },
	{ WF_K(KEY_ENTER), A_OPEN, NULL, NULL, NULL },
	{ ' ', A_MARK, "Space", "mark", "mark a disk: several marked disks open as one VM" },
	{ '\t', A_PATH, "Tab", "path", "type a path (Tab completes it, Enter opens it)" },
	{ WF_K(KEY_LEFT), A_PARENT, NULL, NULL, "Left / Backspace: the parent folder" },
	{ WF_K(KEY_BACKSPACE), A_PARENT, NULL, NULL, NULL },
	{ 127, A_PARENT, NULL, NULL, NULL },
	{ WF_K(KEY_RIGHT), A_INTO, NULL, NULL, "Right: into the selected folder" },
	{ 0, 0, NULL, NULL, NULL },
};

/* --- entries ------------------------------------------------------------------ */

static void entry_free(struct entry *e)
{
	free(e->name);
	free(e->path);
	free(e->disks);
	if (e->looked && e->image)
		wf_image_free(&e->img);
	if (e->probed)
		wf_probe_free(&e->probe);
}

static struct entry *add(struct pick *p, enum kind k, const char *name, const char *path)
{
	p->v = wf_xrealloc(p->v, (p->n + 1) * sizeof *p->v);
	struct entry *e = &p->v[p->n++];
	memset(e, 0, sizeof *e);
	e->kind = k;
	e->name = wf_xstrdup(name);
	e->path = path ? wf_xstrdup(path) : NULL;
	return e;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return strcmp(x->name, y->name);
}

static void add_devices(struct pick *p)
{
	char **devs;
	size_t n = wf_host_disks(&devs);
	for (size_t i = 0; i < n; i++)
		add(p, K_DEVICE, devs[i], devs[i]);
	wf_host_disks_free(devs, n);
}

static int cmp_brief(const void *a, const void *b)
{
	return strcmp(((const struct wf_domain_brief *)a)->name, ((const struct wf_domain_brief *)b)->name);
}

/* The libvirt domains, by name: state and what they present as facts. */
static void add_domains(struct pick *p)
{
	const struct wf_domain_brief *dv;
	size_t dn;
	p->dom_state = wf_wiz_domains(p->w, &dv, &dn, &p->dom_serial);
	if (p->dom_state == 0)
		add(p, K_HEADER, "libvirt domains: listing...", NULL);
	if (p->dom_state != 1 || !dn)
		return;
	char *h = wf_xasprintf("libvirt domains%s%s", p->w->uri ? " on " : "", p->w->uri ? p->w->uri : "");
	add(p, K_HEADER, h, NULL);
	free(h);
	struct wf_domain_brief *v = wf_xcalloc(dn, sizeof *v);
	memcpy(v, dv, dn * sizeof *v);
	qsort(v, dn, sizeof *v, cmp_brief);
	for (size_t i = 0; i < dn; i++) {
		struct entry *e = add(p, K_DOMAIN, v[i].name, NULL);
		e->disks = wf_xstrdup(v[i].disks ? v[i].disks : "");
		e->active = v[i].active;
		snprintf(e->facts, sizeof e->facts, "%-8s %s%s%s", v[i].state, v[i].presents ? v[i].presents : "",
			 v[i].machine[0] ? ", " : "", v[i].machine);
	}
	free(v);
}

/* Select the entry of this kind and name, or the first of `kind`. */
static int select_entry(struct pick *p, enum kind kind, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == kind && (!name || !strcmp(p->v[i].name, name))) {
			p->list.sel = i;
			return 1;
		}
	return 0;
}

static void load_dir(struct pick *p)
{
	enum kind was_kind = p->n ? p->v[p->list.sel].kind : K_HEADER;
	char *was = p->n && p->moved ? wf_xstrdup(p->v[p->list.sel].name) : NULL;
	for (size_t i = 0; i < p->n; i++)
		entry_free(&p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
	add_domains(p);
	char **recent;
	size_t nr = wf_wiz_recent(&recent);
	if (nr) {
		add(p, K_HEADER, "Recently used", NULL);
		for (size_t i = 0; i < nr; i++) {
			add(p, K_RECENT, recent[i], recent[i]);
			free(recent[i]);
		}
	}
	free(recent);
	size_t hdr = p->n;
	add(p, K_HEADER, "Block devices", NULL);
	add_devices(p);
	if (p->n == hdr + 1)
		p->n--, free(p->v[hdr].name);	/* no devices: no header */
	char title[PATH_MAX + 16];
	snprintf(title, sizeof title, "Files in %s", p->dir);
	add(p, K_HEADER, title, NULL);
	size_t first = p->n;
	if (strcmp(p->dir, "/")) {
		char *up = wf_xasprintf("%s/..", p->dir);
		add(p, K_PARENT, "../", up);
		free(up);
	}
	DIR *d = opendir(p->dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *full = wf_xasprintf("%s%s%s", p->dir, strcmp(p->dir, "/") ? "/" : "",
					  de->d_name);
		struct stat st;
		if (stat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				char *n = wf_xasprintf("%s/", de->d_name);
				add(p, K_DIR, n, full);
				free(n);
			} else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
				add(p, K_FILE, de->d_name, full);
		}
		free(full);
	}
	if (d)
		closedir(d);
	qsort(p->v + first, p->n - first, sizeof *p->v, cmp_entry);
	wf_list_set(&p->list, p->n, 1);
	memset(p->list.marks, 0, p->n);
	p->list.sel = p->list.top = 0;
	while (p->list.sel + 1 < p->n && p->v[p->list.sel].kind == K_HEADER)
		p->list.sel++;
	/* start on the first domain, else the first file; after a reload
	 * on the entry that was selected */
	if (!(was && select_entry(p, was_kind, was)) && !select_entry(p, K_DOMAIN, NULL))
		for (size_t i = first; i < p->n; i++)
			if (p->v[i].kind == K_FILE) {
				p->list.sel = i;
				break;
			}
	free(was);
	wf_list_select(&p->list, p->list.sel);
}

static void set_dir(struct pick *p, const char *dir)
{
	char *real = realpath(dir, NULL);
	if (!real)
		return;
	snprintf(p->dir, sizeof p->dir, "%s", real);
	free(real);
	load_dir(p);
}

/* The format / libblkid facts of one entry, once. */
static void look(struct entry *e)
{
	if (e->looked || !e->path || e->kind == K_DIR || e->kind == K_PARENT || e->kind == K_DOMAIN)
		return;
	e->looked = 1;
	struct wf_error err = { 0 };
	if (wf_image_open(e->path, &e->img, &err) < 0) {
		const char *why = strrchr(err.msg, ':');
		snprintf(e->facts, sizeof e->facts, "unusable: %.140s", why ? why + 2 : err.msg);
		return;
	}
	e->image = 1;
	char size[32];
	wf_format_size(size, sizeof size, e->img.virtual_size ? e->img.virtual_size : e->img.file_size);
	int o = snprintf(e->facts, sizeof e->facts, "%-5s %9s", wf_format_name(e->img.format), size);
	if (e->img.format != WF_FMT_RAW)
		return;
	if (wf_probe_image(e->path, &e->probe, &err) < 0)
		return;
	e->probed = 1;
	const struct wf_probe *pr = &e->probe;
	if (pr->pttype)
		o += snprintf(e->facts + o, sizeof e->facts - (size_t)o, "  %s, %zu part%s",
			      !strcmp(pr->pttype, "dos") ? "MBR" : !strcmp(pr->pttype, "gpt") ? "GPT" : pr->pttype,
			      pr->n_parts, pr->n_parts == 1 ? "" : "s");
	else if (pr->fstype)
		o += snprintf(e->facts + o, sizeof e->facts - (size_t)o, "  %s", pr->fstype);
	else
		o += snprintf(e->facts + o, sizeof e->facts - (size_t)o, "  blank");
	if (pr->n_ntfs)
		o += snprintf(e->facts + o, sizeof e->facts - (size_t)o, ", NTFS");
	if (pr->n_bitlocker && o > 0)
		snprintf(e->facts + o, sizeof e->facts - (size_t)o, ", BitLocker");
}

/* --- opening ------------------------------------------------------------------------ */

/* The current VM is these very disks (and not failed): go back to it. */
static int same_vm(struct wf_wiz *w, const char *const *paths, size_t n)
{
	if (!w->vm || w->vm->in.n_disks != n ||
	    (w->vm->phase != WF_VM_READY && w->vm->phase != WF_VM_LAUNCHING) ||
	    atomic_load(&w->vm->cancel))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char *a = realpath(paths[i], NULL), *b = realpath(w->vm->in.disks[i].img.path, NULL);
		int same = a && b && !strcmp(a, b);
		free(a);
		free(b);
		if (!same)
			return 0;
	}
	return 1;
}

/* One ISO that is Windows install media (sources/ WIMs, I386/TXTSETUP.SIF):
 * it is prepared for KVM, not repaired. */
static int is_install_media(const char *const *paths, size_t n)
{
	struct wf_image img;
	struct wf_error e = { 0 };
	if (n != 1 || wf_image_open(paths[0], &img, &e) < 0)
		return 0;
	int iso = img.format == WF_FMT_ISO && !img.is_blockdev;
	wf_image_free(&img);
	char **files = NULL;
	size_t nf = 0;
	const char *why;
	int media = iso && wf_iso_list(paths[0], &files, NULL, &nf, &e) == 0 &&
		    wf_media_kind_of(files, nf, &why) != WF_MEDIA_NONE;
	wf_strv_free(files, nf);
	return media;
}

void wf_scr_pick_open_domain(struct wf_app *a, const char *name)
{
	struct wf_wiz *w = wf_app_userdata(a);
	struct wf_error err = { 0 };
	if (w->have_dom && w->vm && !strcmp(w->dom.name, name) && !atomic_load(&w->vm->cancel) &&
	    (w->vm->phase == WF_VM_READY || w->vm->phase == WF_VM_LAUNCHING)) {
		wf_app_push(a, &wf_scr_windows, NULL);
		return;
	}
	if (wf_wiz_open_domain(w, name, &err) < 0) {
		wf_app_error(a, "%s", err.msg);
		return;
	}
	wf_app_push(a, &wf_scr_windows, NULL);
}

void wf_scr_pick_open(struct wf_app *a, const char *const *paths,
		      const char *const *formats, size_t n)
{
	struct wf_wiz *w = wf_app_userdata(a);
	struct wf_error err = { 0 };
	if (is_install_media(paths, n)) {
		wf_wiz_recent_add(paths, n);
		wf_app_push(a, &wf_scr_media, (void *)paths[0]);
		return;
	}
	if (same_vm(w, paths, n)) {
		wf_app_push(a, &wf_scr_windows, NULL);
		return;
	}
	if (wf_wiz_open_fmt(w, paths, formats, n, &err) < 0) {
		wf_app_error(a, "%s", err.msg);
		return;
	}
	wf_wiz_recent_add(paths, n);
	struct pick *p = wf_app_state_of(a, &wf_scr_pick);
	if (p)
		load_dir(p);	/* the recent list changed */
	wf_app_push(a, &wf_scr_windows, NULL);
}

static int open_selected(struct wf_app *a, struct pick *p)
{
	const char *paths[64];
	size_t n = 0;
	for (size_t i = 0; i < p->n && n < 64; i++)
		if (p->list.marks[i] && p->v[i].path)
			paths[n++] = p->v[i].path;
	if (!n) {
		struct entry *e = &p->v[p->list.sel];
		if (e->kind == K_DIR || e->kind == K_PARENT) {
			set_dir(p, e->path);
			return WF_HANDLED | WF_REDRAW;
		}
		if (e->kind == K_DOMAIN) {
			char *name = wf_xstrdup(e->name);	/* opening may rebuild the list */
			wf_scr_pick_open_domain(a, name);
			free(name);
			return WF_HANDLED | WF_REDRAW;
		}
		if (!e->path)
			return WF_HANDLED;
		paths[n++] = e->path;
	}
	/* copies: opening rebuilds the list */
	char *copy[64];
	for (size_t i = 0; i < n; i++)
		copy[i] = wf_xstrdup(paths[i]);
	wf_scr_pick_open(a, (const char *const *)copy, NULL, n);
	for (size_t i = 0; i < n; i++)
		free(copy[i]);
	return WF_HANDLED | WF_REDRAW;
}

static int open_typed(struct wf_app *a, struct pick *p)
{
	char path[sizeof p->path.buf + 64];
	const char *t = p->path.buf;
	if (!*t)
		return WF_HANDLED;
	if (t[0] == '~' && (t[1] == '/' || !t[1]) && getenv("HOME"))
		snprintf(path, sizeof path, "%s%s", getenv("HOME"), t + 1);
	else
		snprintf(path, sizeof path, "%s", t);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		set_dir(p, path);
		wf_input_set(&p->path, "");
		p->focus_path = 0;
		return WF_HANDLED | WF_REDRAW;
	}
	const char *one[1] = { path };
	p->focus_path = 0;
	wf_scr_pick_open(a, one, NULL, 1);
	return WF_HANDLED | WF_REDRAW;
}

/* --- screen ops --------------------------------------------------------------------- */

static void *enter(struct wf_app *a, void *arg)
{
	(void)arg;
	struct pick *p = wf_xcalloc(1, sizeof *p);
	p->w = wf_app_userdata(a);
	p->path.complete = wf_complete_path;
	char cwd[PATH_MAX];
	set_dir(p, getcwd(cwd, sizeof cwd) ? cwd : "/");
	return p;
}

static void leave(struct wf_app *a, void *st)
{
	(void)a;
	struct pick *p = st;
	for (size_t i = 0; i < p->n; i++)
		entry_free(&p->v[i]);
	free(p->v);
	wf_list_free(&p->list);
	free(p);
}

static void draw_row(void *ud, size_t i, int y, int x, int w, int sel)
{
	struct pick *p = ud;
	struct entry *e = &p->v[i];
	if (e->kind == K_HEADER) {
		wf_draw_text(y, x, w, e->name, wf_attr(WF_C_HEADING));
		return;
	}
	look(e);
	attr_t at = wf_list_attr(sel && !p->focus_path, e->kind == K_DIR || e->kind == K_PARENT
				 ? WF_C_HEADING : e->image || e->kind == K_DOMAIN ? WF_C_NORMAL : WF_C_DIM);
	wf_draw_fill(y, x, w, at);
	const char *mark = p->list.marks[i] ? "[x] " : "    ";
	int facts_w = w > 60 ? 44 : w / 2;
	int name_w = w - facts_w - 5;
	wf_draw_text(y, x, 4, mark, at);
	wf_draw_text(y, x + 4, name_w, e->name, at);
	if (e->facts[0])
		wf_draw_text(y, x + w - facts_w, facts_w, e->facts, sel && !p->focus_path ? at
			     : wf_attr((e->probed && e->probe.n_bitlocker) || e->active ? WF_C_WARNING : WF_C_DIM));
}

static void draw_domain(const struct entry *e, int y, int x, int w)
{
	wf_draw_textf(y + 1, x, w, wf_attr(WF_C_HEADING), "libvirt domain %s", e->name);
	wf_draw_textf(y + 2, x, w, wf_attr(WF_C_NORMAL), "%s", e->facts);
	wf_draw_textf(y + 3, x, w, wf_attr(WF_C_NORMAL), "disks: %s", e->disks[0] ? e->disks : "none it can open");
	wf_draw_text(y + 4, x, w, e->active ? "Running: its disks open read-only; fixes are refused until it is shut down."
		     : "Enter opens its disks, judged on what it presents (as -d).",
		     wf_attr(e->active ? WF_C_WARNING : WF_C_DIM));
}

static void draw_details(struct pick *p, int y, int x, int h, int w)
{
	if (!p->n)
		return;
	struct entry *e = &p->v[p->list.sel];
	wf_draw_hline(y, x, w, wf_attr(WF_C_DIM));
	if (e->kind == K_DOMAIN) {
		draw_domain(e, y, x, w);
		return;
	}
	if (!e->path || e->kind == K_HEADER)
		return;
	wf_draw_text(y + 1, x, w, e->path, wf_attr(WF_C_HEADING));
	if (e->kind == K_DIR || e->kind == K_PARENT) {
		wf_draw_text(y + 2, x, w, "A folder: Enter opens it.", wf_attr(WF_C_DIM));
		return;
	}
	look(e);
	if (!e->image) {
		wf_draw_text(y + 2, x, w, e->facts, wf_attr(WF_C_DIM));
		return;
	}
	char vs[32], fs[32];
	wf_format_size(vs, sizeof vs, e->img.virtual_size);
	wf_format_size(fs, sizeof fs, e->img.file_size);
	wf_draw_textf(y + 2, x, w, wf_attr(WF_C_NORMAL), "%s%s, %s on the host%s%s",
		      e->img.is_blockdev ? "block device, " : "", wf_format_name(e->img.format), fs,
		      e->img.virtual_size ? ", virtual size " : "", e->img.virtual_size ? vs : "");
	int r = 3;
	if (!e->probed) {
		if (e->img.format != WF_FMT_RAW)
			wf_draw_text(y + r, x, w, "Partitions are read once the appliance is up (not a raw image).",
				     wf_attr(WF_C_DIM));
		return;
	}
	const struct wf_probe *pr = &e->probe;
	if (!pr->n_parts)
		wf_draw_textf(y + r++, x, w, wf_attr(WF_C_NORMAL), "%s",
			      pr->fstype ? pr->fstype : "no partition table, no filesystem");
	for (size_t i = 0; i < pr->n_parts && r < h; i++, r++) {
		const struct wf_partition *pt = &pr->parts[i];
		char sz[32];
		wf_format_size(sz, sizeof sz, pt->size);
		int bl = pt->fstype && !strcmp(pt->fstype, "BitLocker");
		wf_draw_textf(y + r, x, w, wf_attr(bl ? WF_C_WARNING : WF_C_NORMAL),
			      "  %d  %9s  %-9s %s%s%s", pt->number, sz, pt->fstype ? pt->fstype : "-",
			      pt->label ? pt->label : "", bl ? "  encrypted: unlock it first" : "",
			      i + 1 == (size_t)(h - 3) && pr->n_parts > i + 1 ? "  ..." : "");
	}
}

static void draw(struct wf_app *a, void *st, int y, int x, int h, int w)
{
	struct pick *p = st;
	wf_draw_text(y, x + 1, 6, "Path: ", wf_attr(WF_C_HEADING));
	if (p->focus_path || p->path.len)
		wf_input_draw(&p->path, a, y, x + 7, w - 8, wf_attr(WF_C_INPUT), p->focus_path);
	else
		wf_draw_text(y, x + 7, w - 8, "Tab to type a path; arrows pick from the list",
			     wf_attr(WF_C_DIM));
	if (p->path.msg[0])
		wf_draw_text(y + 1, x + 1, w - 2, p->path.msg, wf_attr(WF_C_WARNING));
	int details = h >= 20 ? 7 : 5;
	wf_list_draw(&p->list, y + 2, x + 1, h - 2 - details, w - 2, draw_row, p);
	draw_details(p, y + h - details, x + 1, details, w - 2);
}

/* Skip header rows in the direction of the move (then the other way). */
static void skip_headers(struct pick *p, size_t old)
{
	size_t sel = p->list.sel;
	if (p->v[sel].kind != K_HEADER)
		return;
	int dir = sel >= old ? 1 : -1;
	for (int pass = 0; pass < 2; pass++, dir = -dir)
		for (size_t i = sel; i < p->n; i += (size_t)(long)dir) {
			if (p->v[i].kind != K_HEADER) {
				wf_list_select(&p->list, i);
				return;
			}
			if (i == 0 && dir < 0)
				break;
		}
	p->list.sel = old;
}

static int path_key(struct wf_app *a, struct pick *p, int key)
{
	if (key == WF_K(KEY_UP) || key == WF_K(KEY_DOWN)) {
		p->focus_path = 0;
		return WF_HANDLED | WF_REDRAW;
	}
	if (key == '\t' && !p->path.len)
		wf_input_set(&p->path, p->dir[1] ? p->dir : "");
	enum wf_edit what;
	int r = wf_input_edit_key(&p->path, key, &what);
	if (what == WF_EDIT_COMMIT)
		return open_typed(a, p);
	if (what == WF_EDIT_CANCEL) {
		p->focus_path = 0;
		p->path.msg[0] = '\0';
	}
	return r;
}

static int key(struct wf_app *a, void *st, int action, int k)
{
	struct pick *p = st;
	if (p->focus_path)
		return path_key(a, p, k);
	if (k == '/' || k == '~' || k == '.') {
		p->focus_path = 1;
		wf_input_set(&p->path, "");
		return path_key(a, p, k);
	}
	struct entry *e = p->n ? &p->v[p->list.sel] : NULL;
	p->moved = 1;
	switch (action) {
	case A_OPEN:
		return e ? open_selected(a, p) : WF_HANDLED;
	case A_MARK:
		if (e && e->path && e->kind != K_DIR && e->kind != K_PARENT && e->kind != K_DOMAIN)
			p->list.marks[p->list.sel] ^= 1;
		return WF_HANDLED | WF_REDRAW;
	case A_PATH:
		p->focus_path = 1;
		if (!p->path.len) {
			char d[PATH_MAX + 2];
			snprintf(d, sizeof d, "%s%s", p->dir, strcmp(p->dir, "/") ? "/" : "");
			wf_input_set(&p->path, d);
		}
		return WF_HANDLED | WF_REDRAW;
	case A_PARENT:
		if (strcmp(p->dir, "/")) {
			char *up = wf_xasprintf("%s/..", p->dir);
			set_dir(p, up);
			free(up);
		}
		return WF_HANDLED | WF_REDRAW;
	case A_INTO:
		if (e && (e->kind == K_DIR || e->kind == K_PARENT))
			set_dir(p, e->path);
		return WF_HANDLED | WF_REDRAW;
	}
	if (k == WF_ESC)
		return WF_HANDLED;	/* the first step: nothing to go back to */
	size_t old = p->list.sel;
	int r = wf_list_key(&p->list, k == ' ' ? 0 : k);
	if (r && p->n)
		skip_headers(p, old);
	return r;
}

/* The domain listing finished (or was started again): show it. */
static int tick(struct wf_app *a, void *st)
{
	struct pick *p = st;
	const struct wf_domain_brief *dv;
	size_t dn;
	unsigned serial;
	int state = wf_wiz_domains(wf_app_userdata(a), &dv, &dn, &serial);
	if (state == p->dom_state && serial == p->dom_serial)
		return 0;
	load_dir(p);
	return WF_REDRAW;
}

const struct wf_screen wf_scr_pick = {
	.name = "pick",
	.title = "Step 1 of 6: pick the VM or disk image",
	.help = "screens/pick-image",
	.step = 1,
	.keys = keys,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.tick = tick,
};
