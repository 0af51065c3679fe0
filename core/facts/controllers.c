#include "controllers.h"
#include "hive.h"
#include "text.h"
#include "winpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The catalogue.  Sources, per fact:
 *  [v2v]  virt-v2v / libguestfs-common inject_virtio_win.ml: virtio PCI ids
 *         (transitional 1000-1004, modern 1041/1042/1048), viostor/vioscsi/
 *         netkvm service names (../shared/knowledge/virtio-injection-virt-v2v.md §2).
 *  [qemu] QEMU device PCI ids: PIIX3 IDE 8086:7010, PIIX4 IDE 8086:7111,
 *         ICH9 AHCI 8086:2922, e1000 8086:100E, e1000e 8086:10D3,
 *         rtl8139 10EC:8139, lsi53c895a 1000:0012, megasas 1000:0060/0079,
 *         nvme 1B36:0010, pvscsi 15AD:07C0, vmxnet3 15AD:07B0.
 *  [hive] seen in the real SYSTEM hives of ../shared/fixtures/hives
 *         (SOURCES.md part B): atapi/intelide/pciide on XP; LSI_SAS,
 *         msahci, iaStorV, E1G60, storvsc on Windows 7; storahci, netvsc,
 *         stornvme on 8.1; pvscsi, vmxnet3ndis6, e1i65x64 on 10 1903;
 *         VMware SAS 1000:0054, VMware SATA 15AD:07E0, VirtualBox AHCI 8086:2829.
 *  [kb]   KB922976 (msahci/iaStorV on Vista/7), MergeIDE KB314082
 *         (../shared/knowledge/anchors-and-recipes.md §2).
 *  [pv]   Citrix XenServer Windows PV tools (2009), the helper that moves
 *         the settings of QEMU's emulated RTL8139 NIC to the PV NIC: it
 *         reads Services\rtl8139, rtl8023xp and rtl8023x64, the service
 *         names such guests have (their version ranges stay [U]).
 *  [U]    unverified; marked where used.
 */
const struct wf_ctrl_kind wf_ctrl_kinds[] = {
	{ "virtio-blk", "VirtIO block", WF_CTRL_STORAGE, "pci",
	  { "1AF4:1001", "1AF4:1042" },				/* [v2v] */
	  NULL,
	  { { "viostor", 0, 0, 0, "miniport" } } },		/* [v2v] */
	{ "virtio-scsi", "VirtIO SCSI", WF_CTRL_STORAGE, "pci",
	  { "1AF4:1004", "1AF4:1048" },				/* [v2v] */
	  NULL,
	  { { "vioscsi", 0, 0, 0, "miniport" } } },		/* [v2v] */
	{ "ide", "IDE (PIIX)", WF_CTRL_STORAGE, "pci",
	  { "8086:7010", "8086:7111", "8086:1230", "8086:7199" },	/* [qemu], [kb] */
	  "0101",						/* PCI class IDE */
	  { { "intelide", 0, 0, 1, "controller" },		/* [kb], [hive] */
	    { "pciide", 0, 0, 1, "controller" },		/* [kb], [hive] */
	    { "atapi", 0, 0, 1, "channel" } } },		/* [kb], [hive] */
	{ "sata", "AHCI/SATA", WF_CTRL_STORAGE, "pci",
	  { "8086:2922", "8086:2829", "15AD:07E0", "8086:282A" },	/* [qemu], [hive]; 282A: Intel RST RAID (Dell, iaStorAV) */
	  "0106",						/* PCI class SATA/AHCI */
	  { { "msahci", WF_WINVER(6, 0), WF_WINVER(6, 1), 1, "miniport" },	/* [kb] */
	    { "storahci", WF_WINVER(6, 2), 0, 1, "miniport" },	/* [hive] 8.1 */
	    { "iaStorV", WF_WINVER(6, 0), 0, 1, "miniport" },	/* [kb], [hive] */
	    { "iaStorAV", WF_WINVER(6, 1), 0, 0, "miniport" } } },	/* [hive] Intel RST */
	{ "nvme", "NVMe", WF_CTRL_STORAGE, "pci",
	  { "1B36:0010" },					/* [qemu] */
	  "0108",						/* PCI class NVM */
	  { { "stornvme", WF_WINVER(6, 3), 0, 1, "miniport" } } },	/* [hive] 8.1 */
	{ "lsi-sas", "LSI SAS (VMware \"LSI Logic SAS\")", WF_CTRL_STORAGE, "pci",
	  { "1000:0054" },					/* [hive] */
	  NULL,
	  { { "LSI_SAS", WF_WINVER(6, 0), 0, 1, "miniport" } } },	/* [hive] */
	{ "lsi-scsi", "LSI parallel SCSI", WF_CTRL_STORAGE, "pci",
	  { "1000:0030", "1000:0012" },				/* VMware LSI Logic, [qemu] */
	  NULL,
	  { { "LSI_SCSI", WF_WINVER(6, 0), 0, 1, "miniport" },	/* [hive] */
	    { "symmpi", WF_WINVER(5, 1), WF_WINVER(5, 2), 1, "miniport" } } },	/* [U] */
	{ "pvscsi", "VMware PVSCSI", WF_CTRL_STORAGE, "pci",
	  { "15AD:07C0" },					/* [qemu], [hive] */
	  NULL,
	  { { "pvscsi", 0, 0, 0, "miniport" } } },		/* [hive]; VMware Tools */
	{ "storvsc", "Hyper-V storage (VMBus)", WF_CTRL_STORAGE, "vmbus",
	  { NULL },
	  NULL,
	  { { "storvsc", WF_WINVER(6, 0), 0, 1, "miniport" } } },	/* [hive] */
	{ "virtio-net", "VirtIO network", WF_CTRL_NETWORK, "pci",
	  { "1AF4:1000", "1AF4:1041" },				/* [v2v] */
	  NULL,
	  { { "netkvm", 0, 0, 0, "nic" } } },			/* [v2v] */
	{ "e1000", "Intel e1000 (82540EM)", WF_CTRL_NETWORK, "pci",
	  { "8086:100E" },					/* [qemu] */
	  NULL,
	  { { "E1G60", WF_WINVER(6, 0), 0, 1, "nic" },		/* [hive] 7, 8.1 */
	    { "E1000", WF_WINVER(5, 1), WF_WINVER(5, 2), 1, "nic" } } },	/* [U] */
	{ "e1000e", "Intel e1000e (82574L)", WF_CTRL_NETWORK, "pci",
	  { "8086:10D3" },					/* [qemu] */
	  NULL,
	  { { "e1i65x64", WF_WINVER(10, 0), 0, 1, "nic" },	/* [hive] 1903 */
	    { "e1iexpress", WF_WINVER(6, 1), 0, 1, "nic" } } },	/* [U] */
	{ "rtl8139", "Realtek RTL8139", WF_CTRL_NETWORK, "pci",
	  { "10EC:8139" },					/* [qemu] */
	  NULL,
	  { { "rtl8139", WF_WINVER(5, 0), WF_WINVER(6, 1), 1, "nic" },	/* [pv] */
	    { "RTL8023xp", WF_WINVER(5, 1), WF_WINVER(5, 2), 0, "nic" },	/* [pv] */
	    { "rtl8023x64", WF_WINVER(5, 2), WF_WINVER(5, 2), 0, "nic" } } },	/* [pv] x64 */
	{ "vmxnet3", "VMware vmxnet3", WF_CTRL_NETWORK, "pci",
	  { "15AD:07B0" },					/* [qemu], [hive] */
	  NULL,
	  { { "vmxnet3ndis6", WF_WINVER(6, 0), 0, 0, "nic" } } },	/* [hive]; VMware Tools */
	{ "netvsc", "Hyper-V network (VMBus)", WF_CTRL_NETWORK, "vmbus",
	  { NULL },
	  NULL,
	  { { "netvsc", WF_WINVER(6, 2), 0, 1, "nic" } } },	/* [hive] 8.1 */
};

const size_t wf_ctrl_n_kinds = sizeof wf_ctrl_kinds / sizeof wf_ctrl_kinds[0];

static const char *const start_names[] = {
	"boot", "system", "auto", "manual", "disabled",
};

const char *wf_start_name(uint32_t start)
{
	return start < 5 ? start_names[start] : "invalid";
}

const struct wf_ctrl_kind *wf_ctrl_kind_by_id(const char *id)
{
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++)
		if (wf_streqi(wf_ctrl_kinds[i].id, id))
			return &wf_ctrl_kinds[i];
	return NULL;
}

int wf_pci_parse(const char *hwid, unsigned *ven, unsigned *dev)
{
	const char *v = wf_strcasestr(hwid, "VEN_");
	const char *d = wf_strcasestr(hwid, "DEV_");
	if (!v || !d)
		return -1;
	char *end;
	*ven = (unsigned)strtoul(v + 4, &end, 16);
	if (end != v + 8)
		return -1;
	*dev = (unsigned)strtoul(d + 4, &end, 16);
	if (end != d + 8)
		return -1;
	return 0;
}

const struct wf_ctrl_kind *wf_ctrl_kind_by_pci(const char *hwid)
{
	unsigned ven, dev;
	if (wf_pci_parse(hwid, &ven, &dev) < 0)
		return NULL;
	char id[16];
	snprintf(id, sizeof id, "%04X:%04X", ven, dev);
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++)
		for (int k = 0; k < WF_CTRL_MAX_PCI && wf_ctrl_kinds[i].pci[k]; k++)
			if (wf_streqi(wf_ctrl_kinds[i].pci[k], id))
				return &wf_ctrl_kinds[i];
	return NULL;
}

const struct wf_ctrl_kind *wf_ctrl_kind_by_class(const char *cc)
{
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++)
		if (wf_ctrl_kinds[i].pci_class &&
		    wf_startswithi(cc, wf_ctrl_kinds[i].pci_class))
			return &wf_ctrl_kinds[i];
	return NULL;
}

/* Class code from a CompatibleIDs list: "PCI\CC_010601" -> "010601". */
static const struct wf_ctrl_kind *kind_by_compat(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *cc = wf_strcasestr(ids[i], "\\CC_");
		if (cc && wf_startswithi(ids[i], "PCI\\"))
			return wf_ctrl_kind_by_class(cc + 4);
	}
	return NULL;
}

static int applies(const struct wf_ctrl_driver *d, unsigned winver)
{
	return (!d->min_ver || winver >= d->min_ver) &&
	       (!d->max_ver || winver <= d->max_ver);
}

static void eval_service(struct wf_hive *sys, wf_node services,
			 const struct wf_ctrl_driver *d, unsigned winver,
			 const char *systemroot, wf_file_probe probe, void *ud,
			 struct wf_ctrl_service *out)
{
	memset(out, 0, sizeof *out);
	out->drv = d;
	out->applies = applies(d, winver);
	out->file_state = -1;
	wf_node svc = wf_hive_child(sys, services, d->service);
	if (!svc)
		return;
	out->exists = 1;
	out->has_start = wf_hive_get_dword(sys, svc, "Start", &out->start) == 0;
	out->image_path = wf_hive_get_string(sys, svc, "ImagePath");
	out->guest_path = wf_imagepath_to_guest(out->image_path, d->service,
						systemroot);
	if (probe && out->guest_path)
		out->file_state = probe(ud, out->guest_path, &out->file_size);
}

static void eval_kind(struct wf_hive *sys, wf_node services,
		      const struct wf_ctrl_kind *k, unsigned winver,
		      const char *systemroot, wf_file_probe probe, void *ud,
		      struct wf_ctrl_status *st)
{
	st->kind = k;
	for (int i = 0; i < WF_CTRL_MAX_DRV && k->drivers[i].service; i++) {
		struct wf_ctrl_service *s = &st->svc[st->n_svc++];
		eval_service(sys, services, &k->drivers[i], winver, systemroot,
			     probe, ud, s);
		int usable = s->exists && s->file_state != 0;
		st->has_driver |= usable;
		/* IDE channels (atapi) are not the controller's own driver */
		if (usable && s->has_start && s->start == 0 &&
		    strcmp(s->drv->role, "channel") != 0)
			st->boot_ready = 1;
	}
}

static void add_seen(struct wf_hive *sys, wf_node devkey, const char *hwid,
		     struct wf_controllers *out)
{
	size_t n;
	wf_node *inst = wf_hive_children(sys, devkey, &n);
	struct wf_seen_device *d;
	out->seen = wf_xrealloc(out->seen, (out->n_seen + 1) * sizeof *out->seen);
	d = &out->seen[out->n_seen++];
	memset(d, 0, sizeof *d);
	d->hwid = wf_xstrdup(hwid);
	d->kind = wf_ctrl_kind_by_pci(hwid);
	if (n) {
		d->instance = wf_hive_node_name(sys, inst[0]);
		d->service = wf_hive_get_string(sys, inst[0], "Service");
		d->desc = wf_hive_get_string(sys, inst[0], "DeviceDesc");
		d->has_config_flags = wf_hive_get_dword(sys, inst[0], "ConfigFlags",
							&d->config_flags) == 0;
		if (!d->kind) {
			size_t nc;
			char **compat = wf_hive_get_multi(sys, inst[0],
							  "CompatibleIDs", &nc);
			d->kind = kind_by_compat(compat, nc);
			wf_strv_free(compat, nc);
		}
	}
	free(inst);
}

static int seen_cmp(const void *a, const void *b)
{
	const struct wf_seen_device *x = a, *y = b;
	if (!x->kind != !y->kind)
		return x->kind ? -1 : 1;
	if (x->kind && x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcasecmp(x->hwid, y->hwid);
}

static void read_seen(struct wf_hive *sys, wf_node ccs, struct wf_controllers *out)
{
	wf_node pci = wf_hive_lookup_from(sys, ccs, "Enum\\PCI");
	size_t n;
	wf_node *devs = wf_hive_children(sys, pci, &n);
	for (size_t i = 0; i < n; i++) {
		char *name = wf_hive_node_name(sys, devs[i]);
		add_seen(sys, devs[i], name, out);
		free(name);
	}
	free(devs);
	if (out->n_seen > 1)
		qsort(out->seen, out->n_seen, sizeof *out->seen, seen_cmp);
}

int wf_ctrl_evaluate(struct wf_hive *sys, const char *ccs, unsigned winver,
		     const char *systemroot, wf_file_probe probe, void *ud,
		     struct wf_controllers *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	wf_node cs = wf_hive_lookup(sys, ccs);
	if (!cs)
		return wf_error_set(e, WF_ERR_INPUT, "%s hive %s: no %s key",
				    wf_hive_name(sys), wf_hive_path(sys), ccs);
	wf_node services = wf_hive_child(sys, cs, "Services");
	out->status = wf_xcalloc(wf_ctrl_n_kinds, sizeof *out->status);
	out->n_status = wf_ctrl_n_kinds;
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++)
		eval_kind(sys, services, &wf_ctrl_kinds[i], winver, systemroot,
			  probe, ud, &out->status[i]);
	read_seen(sys, cs, out);
	return 0;
}

void wf_controllers_free(struct wf_controllers *c)
{
	for (size_t i = 0; i < c->n_status; i++)
		for (size_t k = 0; k < c->status[i].n_svc; k++) {
			free(c->status[i].svc[k].image_path);
			free(c->status[i].svc[k].guest_path);
		}
	free(c->status);
	for (size_t i = 0; i < c->n_seen; i++) {
		free(c->seen[i].hwid);
		free(c->seen[i].instance);
		free(c->seen[i].service);
		free(c->seen[i].desc);
	}
	free(c->seen);
	memset(c, 0, sizeof *c);
}
