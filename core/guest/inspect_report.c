#include "inspect_report.h"
#include "text.h"
#include "strbuf.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void disk_text(const struct wf_disk *d, struct wf_strbuf *out)
{
	char sz[32];
	wf_format_size(sz, sizeof sz, d->img.virtual_size ? d->img.virtual_size
							  : d->img.file_size);
	wf_sb_addf(out, "Disk %s: %s%s, %s\n", d->img.path,
		   wf_format_name(d->img.format),
		   d->img.is_blockdev ? " (block device)" : "", sz);
	if (!d->probed) {
		wf_sb_adds(out, "  (partitions are read by the appliance for this format)\n");
		return;
	}
	const struct wf_probe *p = &d->probe;
	if (!p->pttype && !p->fstype) {
		wf_sb_adds(out, "  no partition table, no filesystem\n");
		return;
	}
	if (!p->pttype) {
		wf_sb_addf(out, "  whole-disk %s%s%s\n", p->fstype,
			   p->label ? " label " : "", p->label ? p->label : "");
		return;
	}
	wf_sb_addf(out, "  partition table: %s\n", strcmp(p->pttype, "dos") == 0
		   ? "MBR" : strcmp(p->pttype, "gpt") == 0 ? "GPT" : p->pttype);
	for (size_t i = 0; i < p->n_parts; i++) {
		const struct wf_partition *pt = &p->parts[i];
		char st[32], ps[32];
		wf_format_size(st, sizeof st, pt->start);
		wf_format_size(ps, sizeof ps, pt->size);
		wf_sb_addf(out, "  #%-2d at %-9s %-9s %-10s %s%s%s%s\n",
			   pt->number, st, ps, or_dash(pt->fstype),
			   pt->label ? "\"" : "", pt->label ? pt->label : "",
			   pt->label ? "\"" : "",
			   pt->fstype && strcmp(pt->fstype, "BitLocker") == 0
			   ? "  (encrypted)" : "");
	}
}

void wf_report_disks_text(const struct wf_inspection *in, struct wf_strbuf *out)
{
	for (size_t i = 0; i < in->n_disks; i++)
		disk_text(&in->disks[i], out);
}

static void service_cell(const struct wf_ctrl_service *s, struct wf_strbuf *out)
{
	if (!s->exists) {
		wf_sb_addf(out, "    %-13s no service%s\n", s->drv->service,
			   s->drv->inbox && s->applies ? "" : "");
		return;
	}
	char start[32] = "-";
	if (s->has_start)
		snprintf(start, sizeof start, "%u %s", s->start,
			 wf_start_name(s->start));
	const char *file = s->file_state > 0 ? "present"
			   : s->file_state == 0 ? "MISSING" : "unknown";
	struct wf_text_pool tp = { 0 };
	wf_sb_addf(out, "    %-13s Start=%-11s file %-8s %s\n", s->drv->service,
		   start, file, or_dash(wf_text_pool_esc(&tp, s->guest_path)));
	wf_text_pool_free(&tp);
}

static void controllers_text(const struct wf_controllers *c, struct wf_strbuf *out)
{
	wf_sb_adds(out, "Controllers (drivers this Windows has):\n");
	for (size_t i = 0; i < c->n_status; i++) {
		const struct wf_ctrl_status *st = &c->status[i];
		wf_sb_addf(out, "  %-12s %-34s %s\n", st->kind->id, st->kind->label,
			   st->boot_ready && st->kind->cls == WF_CTRL_STORAGE
			   ? "driver ready at boot"
			   : st->has_driver ? "driver installed" : "no driver");
		for (size_t k = 0; k < st->n_svc; k++)
			if (st->svc[k].exists)
				service_cell(&st->svc[k], out);
	}
	wf_sb_adds(out, "PCI devices Windows has seen (Enum\\PCI):\n");
	size_t shown = 0;
	for (size_t i = 0; i < c->n_seen; i++) {
		const struct wf_seen_device *d = &c->seen[i];
		if (!d->kind)
			continue;
		struct wf_text_pool tp = { 0 };
		wf_sb_addf(out, "  %-12s %-48s service %s%s\n", d->kind->id,
			   wf_text_pool_esc(&tp, d->hwid), or_dash(wf_text_pool_esc(&tp, d->service)),
			   d->has_config_flags && (d->config_flags & 0x40)
			   ? "  (failed install)" : "");
		wf_text_pool_free(&tp);
		shown++;
	}
	size_t other = c->n_seen - shown;
	if (!shown)
		wf_sb_adds(out, "  none of the catalogued controllers\n");
	if (other)
		wf_sb_addf(out, "  and %zu other PCI device%s\n", other,
			   other == 1 ? "" : "s");
}

static void windows_text(const struct wf_windows *w, struct wf_strbuf *out)
{
	const struct wf_winver *v = &w->ver;
	struct wf_text_pool tp = { 0 };
#define E(s) wf_text_pool_esc(&tp, (s))
	wf_sb_addf(out, "Windows on %s: %s\n", E(w->device), or_dash(E(v->display_name)));
	if (v->product_name && strcmp(v->product_name, v->display_name) != 0)
		wf_sb_addf(out, "  ProductName says \"%s\"; build %u is %s\n",
			   E(v->product_name), v->build, v->release);
	wf_sb_addf(out, "  release:      %s (%s)%s%s\n", v->release,
		   v->server ? "server" : "client",
		   v->edition ? ", edition " : "", v->edition ? E(v->edition) : "");
	wf_sb_addf(out, "  version:      %u.%u build %u", v->major, v->minor, v->build);
	if (v->ubr)
		wf_sb_addf(out, ".%u", v->ubr);
	if (v->display_version)
		wf_sb_addf(out, " (%s)", E(v->display_version));
	if (v->csd_version)
		wf_sb_addf(out, " %s", E(v->csd_version));
	wf_sb_addc(out, '\n');
	wf_sb_addf(out, "  architecture: %s\n", or_dash(E(v->arch)));
	wf_sb_addf(out, "  system root:  %s\n", E(w->systemroot));
	wf_sb_addf(out, "  control set:  %s (Select: Current=%u Default=%u LastKnownGood=%u Failed=%u)\n",
		   E(v->ccs), v->sel_current, v->sel_default, v->sel_lkg, v->sel_failed);
	wf_sb_addf(out, "  hostname:     %s\n", or_dash(E(v->hostname)));
#undef E
	wf_text_pool_free(&tp);
	controllers_text(&w->ctrl, out);
}

void wf_report_windows_text(const struct wf_inspection *in, struct wf_strbuf *out)
{
	for (size_t i = 0; i < in->n_win; i++) {
		if (i)
			wf_sb_addc(out, '\n');
		windows_text(&in->win[i], out);
	}
}

/* --- JSON ----------------------------------------------------------------- */

static void jstr(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static void jint(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static struct json_object *disk_json(const struct wf_disk *d)
{
	struct json_object *o = json_object_new_object();
	jstr(o, "path", d->img.path);
	jstr(o, "format", wf_format_name(d->img.format));
	json_object_object_add(o, "block_device", json_object_new_boolean(d->img.is_blockdev));
	jint(o, "file_size", (int64_t)d->img.file_size);
	jint(o, "virtual_size", (int64_t)d->img.virtual_size);
	if (!d->probed)
		return o;
	const struct wf_probe *p = &d->probe;
	jstr(o, "partition_table", p->pttype);
	jstr(o, "filesystem", p->fstype);
	struct json_object *parts = json_object_new_array();
	for (size_t i = 0; i < p->n_parts; i++) {
		const struct wf_partition *pt = &p->parts[i];
		struct json_object *j = json_object_new_object();
		jint(j, "number", pt->number);
		jint(j, "start", (int64_t)pt->start);
		jint(j, "size", (int64_t)pt->size);
		jstr(j, "type", pt->type);
		jstr(j, "name", pt->name);
		jstr(j, "filesystem", pt->fstype);
		jstr(j, "label", pt->label);
		jstr(j, "uuid", pt->uuid);
		json_object_object_add(j, "bitlocker", json_object_new_boolean(
			pt->fstype && strcmp(pt->fstype, "BitLocker") == 0));
		json_object_array_add(parts, j);
	}
	json_object_object_add(o, "partitions", parts);
	return o;
}

static struct json_object *service_json(const struct wf_ctrl_service *s)
{
	struct json_object *o = json_object_new_object();
	jstr(o, "service", s->drv->service);
	json_object_object_add(o, "inbox", json_object_new_boolean(s->drv->inbox));
	json_object_object_add(o, "applies", json_object_new_boolean(s->applies));
	json_object_object_add(o, "exists", json_object_new_boolean(s->exists));
	if (s->exists && s->has_start) {
		jint(o, "start", s->start);
		jstr(o, "start_name", wf_start_name(s->start));
	}
	jstr(o, "image_path", s->image_path);
	if (s->exists) {
		jstr(o, "file", s->guest_path);
		json_object_object_add(o, "file_present", s->file_state < 0 ? NULL
				       : json_object_new_boolean(s->file_state > 0));
	}
	return o;
}

static struct json_object *controllers_json(const struct wf_controllers *c)
{
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < c->n_status; i++) {
		const struct wf_ctrl_status *st = &c->status[i];
		struct json_object *o = json_object_new_object();
		jstr(o, "kind", st->kind->id);
		jstr(o, "label", st->kind->label);
		jstr(o, "class", st->kind->cls == WF_CTRL_STORAGE ? "storage" : "network");
		json_object_object_add(o, "has_driver", json_object_new_boolean(st->has_driver));
		json_object_object_add(o, "boot_ready", json_object_new_boolean(st->boot_ready));
		struct json_object *svcs = json_object_new_array();
		for (size_t k = 0; k < st->n_svc; k++)
			json_object_array_add(svcs, service_json(&st->svc[k]));
		json_object_object_add(o, "services", svcs);
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *seen_json(const struct wf_controllers *c)
{
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < c->n_seen; i++) {
		const struct wf_seen_device *d = &c->seen[i];
		struct json_object *o = json_object_new_object();
		jstr(o, "hardware_id", d->hwid);
		jstr(o, "instance", d->instance);
		jstr(o, "kind", d->kind ? d->kind->id : NULL);
		jstr(o, "service", d->service);
		jstr(o, "description", d->desc);
		if (d->has_config_flags)
			jint(o, "config_flags", d->config_flags);
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *windows_json(const struct wf_windows *w)
{
	const struct wf_winver *v = &w->ver;
	struct json_object *o = json_object_new_object();
	jstr(o, "device", w->device);
	jstr(o, "product_name", v->product_name);
	jstr(o, "display_name", v->display_name);
	jstr(o, "release", v->release);
	jstr(o, "osinfo", v->osinfo);
	jstr(o, "edition", v->edition);
	jstr(o, "installation_type", v->installation_type);
	jstr(o, "variant", v->server ? "server" : "client");
	jint(o, "major", v->major);
	jint(o, "minor", v->minor);
	jint(o, "build", v->build);
	jint(o, "ubr", v->ubr);
	jstr(o, "display_version", v->display_version);
	jstr(o, "service_pack", v->csd_version);
	jstr(o, "arch", v->arch);
	jstr(o, "systemroot", w->systemroot);
	jstr(o, "current_control_set", v->ccs);
	struct json_object *sel = json_object_new_object();
	jint(sel, "current", v->sel_current);
	jint(sel, "default", v->sel_default);
	jint(sel, "last_known_good", v->sel_lkg);
	jint(sel, "failed", v->sel_failed);
	json_object_object_add(o, "select", sel);
	jstr(o, "hostname", v->hostname);
	json_object_object_add(o, "controllers", controllers_json(&w->ctrl));
	json_object_object_add(o, "pci_seen", seen_json(&w->ctrl));
	return o;
}

struct json_object *wf_report_inspection_json(const struct wf_inspection *in)
{
	struct json_object *o = json_object_new_object();
	struct json_object *disks = json_object_new_array();
	for (size_t i = 0; i < in->n_disks; i++)
		json_object_array_add(disks, disk_json(&in->disks[i]));
	json_object_object_add(o, "disks", disks);
	struct json_object *wins = json_object_new_array();
	for (size_t i = 0; i < in->n_win; i++)
		json_object_array_add(wins, windows_json(&in->win[i]));
	json_object_object_add(o, "windows", wins);
	if (in->session) {
		jstr(o, "appliance_note", wf_session_note(in->session));
		json_object_object_add(o, "tcg", json_object_new_boolean(wf_session_tcg(in->session)));
	}
	struct json_object *t = json_object_new_object();
	json_object_object_add(t, "probe", json_object_new_double(in->probe_seconds));
	json_object_object_add(t, "launch", json_object_new_double(in->launch_seconds));
	json_object_object_add(t, "guest", json_object_new_double(in->guest_seconds));
	json_object_object_add(o, "seconds", t);
	return o;
}
