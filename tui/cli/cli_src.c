/* The disk source options every command shares (see cli_src.h). */
#include "cli_src.h"
#include "cli.h"
#include "image.h"
#include "inspect.h"
#include "targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char wf_cli_src_usage[] =
	"Disks (the virt-tools conventions):\n"
	"  IMAGE, -a IMAGE     a disk image or block device (repeat for every disk)\n"
	"  --format FMT        format of the -a images that follow: raw, qcow2,\n"
	"                      vmdk, vhd (vpc), vhdx, vdi; auto = sniff again\n"
	"  -d, --domain DOM    the disks of a libvirt domain and what it presents\n"
	"  -c, --connect URI   libvirt connection (default: LIBVIRT_DEFAULT_URI)\n"
	"  --pve-config FILE   what a Proxmox VE VM presents (qemu-server/VMID.conf);\n"
	"                      its disks through pvesm, or give them with -a\n"
	"  --key SELECTOR      BitLocker key: DEVICE:key:KEY, DEVICE:file:FILE,\n"
	"                      all:key:KEY (as virt-inspector)\n"
	"  -v, -x              libguestfs debug messages / call trace on stderr\n";

static int value(const char *cmd, int argc, char **argv, int *i, const char **out)
{
	if (*i + 1 >= argc) {
		wf_cli_usage_error("%s: %s needs a value", cmd, argv[*i]);
		return -1;
	}
	*out = argv[++*i];
	return 1;
}

static void add_image(struct wf_cli_src *s, const char *path, const char *fmt)
{
	s->images = realloc(s->images, (s->n + 1) * sizeof *s->images);
	s->formats = realloc(s->formats, (s->n + 1) * sizeof *s->formats);
	if (!s->images || !s->formats)
		abort();
	s->images[s->n] = path;
	s->formats[s->n++] = fmt;
}

/* "raw", "qcow2", "vpc"... -> the format; -1 when unknown. */
static int format_of(const char *name)
{
	for (int f = WF_FMT_RAW; f <= WF_FMT_VDI; f++)
		if (!strcmp(name, wf_format_name(f)) || !strcmp(name, wf_format_qemu(f)))
			return f;
	return -1;
}

static int check_key(const char *cmd, const char *k)
{
	const char *c1 = strchr(k, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || c1 == k || !c2 || !c2[1] ||
	    (strncmp(c1 + 1, "key:", 4) && strncmp(c1 + 1, "file:", 5))) {
		wf_cli_usage_error("%s: --key %s: expected DEVICE:key:KEY, DEVICE:file:FILE or all:key:KEY", cmd, k);
		return -1;
	}
	return 0;
}

int wf_cli_src_option(struct wf_cli_src *s, const char *cmd, int argc,
		      char **argv, int *i)
{
	const char *o = argv[*i], *v;
	if (o[0] != '-' || !o[1]) {
		add_image(s, o, s->cur_format);
		return 1;
	}
	if (!strcmp(o, "-v") || !strcmp(o, "--verbose"))
		return s->verbose = 1;
	if (!strcmp(o, "-x"))
		return s->trace = 1;
	if (!strcmp(o, "-a") || !strcmp(o, "--add")) {
		if (value(cmd, argc, argv, i, &v) < 0)
			return -1;
		add_image(s, v, s->cur_format);
		return 1;
	}
	if (!strcmp(o, "-d") || !strcmp(o, "--domain"))
		return value(cmd, argc, argv, i, &s->domain);
	if (!strcmp(o, "-c") || !strcmp(o, "--connect"))
		return value(cmd, argc, argv, i, &s->uri);
	if (!strcmp(o, "--pve-config"))
		return value(cmd, argc, argv, i, &s->pve_path);
	if (!strcmp(o, "--format")) {
		if (value(cmd, argc, argv, i, &v) < 0)
			return -1;
		if (strcmp(v, "auto") && format_of(v) < 0) {
			wf_cli_usage_error("%s: --format %s: unknown format (raw, qcow2, vmdk, vhd, vhdx, vdi, auto)", cmd, v);
			return -1;
		}
		s->cur_format = strcmp(v, "auto") ? v : NULL;
		return 1;
	}
	if (!strcmp(o, "--key")) {
		if (value(cmd, argc, argv, i, &v) < 0 || check_key(cmd, v) < 0)
			return -1;
		if (s->n_keys == WF_CLI_MAX_KEYS) {
			wf_cli_usage_error("%s: more than %d --key options", cmd, WF_CLI_MAX_KEYS);
			return -1;
		}
		s->keys[s->n_keys++] = v;
		return 1;
	}
	return 0;
}

static void own_image(struct wf_cli_src *s, const char *path, const char *fmt)
{
	s->owned = realloc(s->owned, (s->n_owned + 1) * sizeof *s->owned);
	if (!s->owned)
		abort();
	s->owned[s->n_owned] = strdup(path);
	add_image(s, s->owned[s->n_owned++], fmt && *fmt ? fmt : NULL);
}

static int resolve_domain(struct wf_cli_src *s, int writable, struct wf_error *e)
{
	if (wf_domain_open(s->uri, s->domain, &s->dom, e) < 0)
		return -1;
	s->have_dom = 1;
	if (writable && wf_domain_refuse_active(&s->dom, e) < 0)
		return -1;
	for (size_t i = 0; i < s->dom.n_disks; i++) {
		const char *f = s->dom.disks[i].format;
		if (*f && format_of(f) < 0)
			return wf_error_set(e, WF_ERR_INPUT, "domain %s: disk %s has format %s, which this tool cannot open",
					    s->dom.name, s->dom.disks[i].dev, f);
		own_image(s, s->dom.disks[i].path, f);
	}
	return 0;
}

/* A Proxmox disk: a path as is, STORAGE:VOLUME through `pvesm path`. */
static int pve_disk_path(const char *vol, char *out, size_t n, struct wf_error *e)
{
	if (vol[0] == '/') {
		snprintf(out, n, "%s", vol);
		return 0;
	}
	if (strspn(vol, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/") != strlen(vol))
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox volume \"%s\": unexpected characters", vol);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "pvesm path '%s' 2>/dev/null", vol);
	FILE *p = popen(cmd, "r");
	int ok = p && fgets(out, (int)n, p) != NULL;
	int st = p ? pclose(p) : -1;
	out[strcspn(out, "\n")] = 0;
	if (!ok || st != 0 || out[0] != '/')
		return wf_error_set(e, WF_ERR_INPUT, "Proxmox volume %s: pvesm path failed; give the disk with -a", vol);
	return 0;
}

static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy = strdup(path ? path : ""), *save = NULL;
	int found = 0;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char f[4096];
		snprintf(f, sizeof f, "%s/%s", d, prog);
		found = access(f, X_OK) == 0;
	}
	free(copy);
	return found;
}

static int resolve_pve(struct wf_cli_src *s, struct wf_error *e)
{
	if (wf_pve_parse_file(s->pve_path, &s->pve, e) < 0)
		return -1;
	s->have_pve = 1;
	if (s->n)	/* disks given with -a */
		return 0;
	if (!on_path("pvesm"))
		return wf_error_set(e, WF_ERR_USAGE,
				    "--pve-config %s: pvesm is not on PATH (not a Proxmox host): give the VM's disks with -a",
				    s->pve_path);
	for (size_t i = 0; i < s->pve.n_disks; i++) {
		const struct wf_pve_disk *d = &s->pve.disks[i];
		char path[1024];
		if (d->cdrom)
			continue;
		if (pve_disk_path(d->volume, path, sizeof path, e) < 0)
			return -1;
		own_image(s, path, d->format);
	}
	return 0;
}

int wf_cli_src_resolve(struct wf_cli_src *s, const char *cmd, int writable,
		       struct wf_error *e)
{
	if (s->domain && s->n)
		return wf_error_set(e, WF_ERR_USAGE, "%s: give disk images or -d DOMAIN, not both", cmd);
	if (s->domain && s->pve_path)
		return wf_error_set(e, WF_ERR_USAGE, "%s: give -d DOMAIN or --pve-config, not both", cmd);
	if (s->uri && !s->domain)
		return wf_error_set(e, WF_ERR_USAGE, "%s: -c URI goes with -d DOMAIN", cmd);
	if (s->verbose)
		setenv("LIBGUESTFS_DEBUG", "1", 1);
	if (s->trace)
		setenv("LIBGUESTFS_TRACE", "1", 1);
	if (s->domain)
		return resolve_domain(s, writable, e);
	if (s->pve_path)
		return resolve_pve(s, e);
	return 0;
}

int wf_cli_src_targets(const struct wf_cli_src *s, struct wf_targets *t,
		       struct wf_error *e)
{
	if (s->have_dom)
		return wf_targets_from_domxml_mem(s->dom.xml, strlen(s->dom.xml), s->dom.name, t, e) < 0 ? -1 : 1;
	if (s->have_pve)
		return wf_pve_targets(&s->pve, t, e) < 0 ? -1 : 1;
	return 0;
}

int wf_cli_src_probe(struct wf_cli_src *s, struct wf_inspection *in, struct wf_error *e)
{
	int r = wf_inspect_probe(s->images, s->n, in, e);
	/* the BitLocker verdict of libblkid is the last check of the probe:
	 * with keys the appliance opens the volume instead */
	if (r < 0 && e->kind == WF_ERR_ENCRYPTED && s->n_keys && in->n_disks == s->n)
		r = 0;
	for (size_t i = 0; r == 0 && i < s->n; i++)
		if (s->formats[i])
			in->disks[i].img.format = (enum wf_format)format_of(s->formats[i]);
	return r;
}

int wf_cli_src_open(struct wf_cli_src *s, int writable, struct wf_inspection *in,
		    struct wf_error *e)
{
	struct wf_inspect_opts o = { .notify = wf_cli_progress, .on_session = wf_cli_watch_session,
				     .keys = s->keys, .n_keys = s->n_keys };
	int r = wf_cli_src_probe(s, in, e);
	if (r == 0)
		r = writable ? wf_inspect_guest_rw(in, &o, e) : wf_inspect_guest(in, &o, e);
	return r;
}

int wf_cli_src_format(const char *name)
{
	return format_of(name);
}

const char *wf_cli_src_what(const struct wf_cli_src *s)
{
	if (s->have_dom)
		return s->dom.name;
	return s->n ? s->images[0] : s->pve_path ? s->pve_path : "";
}

void wf_cli_src_free(struct wf_cli_src *s)
{
	if (s->have_dom)
		wf_domain_free(&s->dom);
	for (size_t i = 0; i < s->n_owned; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->images);
	free(s->formats);
	memset(s, 0, sizeof *s);
}
