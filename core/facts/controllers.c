#include "controllers.h"
#include "classes.h"
#include "hive.h"
#include "text.h"
#include "winpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

/*
 * The catalogue: the one table of facts about controllers and the driver
 * services that drive them.  Every row says its source in .src:
 *  [v2v]  virt-v2v / libguestfs-common inject_virtio_win.ml: virtio PCI ids
 *         (transitional 1000-1004, modern 1041/1042/1048, with SUBSYS
 *         00021AF4 / 00081AF4 and 11001AF4 in the 2016-2017 forms),
 *         viostor/vioscsi/netkvm service names, Start 0, Group "SCSI
 *         miniport", ClassGUID SCSIAdapter (../shared/knowledge/
 *         virtio-injection-virt-v2v.md §2.2-2.4).
 *  [qemu] QEMU device PCI ids: PIIX3 IDE 8086:7010, PIIX4 IDE 8086:7111,
 *         ICH9 AHCI 8086:2922, e1000 8086:100E, e1000e 8086:10D3,
 *         rtl8139 10EC:8139, lsi53c895a 1000:0012, mptsas1068 1000:0054,
 *         nvme 1B36:0010, pvscsi 15AD:07C0, vmxnet3 15AD:07B0; QEMU's
 *         default PCI subsystem is 1AF4:1100 (SUBSYS_11001AF4); a virtio
 *         device on a PCIe port (libvirt's q35 layout) is modern-only
 *         unless its model is virtio-transitional (libvirt formatdomain
 *         "Virtio-related options", model virtio-transitional).
 *  [hive] seen in the real SYSTEM hives of ../shared/fixtures/hives
 *         (SOURCES.md part B): atapi/intelide/pciide on XP; LSI_SAS,
 *         msahci, iaStorV, E1G60, storvsc on Windows 7, whose CDD has
 *         PCI#CC_0101 -> pciide, PCI#CC_010601 -> msahci, PCI#VEN_1000&
 *         DEV_0030 -> LSI_SCSI, Primary/Secondary_IDE_Channel -> atapi;
 *         storahci, netvsc, stornvme on 8.1; iaStorAV bound to 8086:282A
 *         on 10 1709; pvscsi, vmxnet3ndis6, e1i65x64 on 10 1903.
 *  [kb]   KB922976 (msahci/iaStorV on Vista/7), MergeIDE KB314082
 *         (../shared/knowledge/anchors-and-recipes.md §2); KB2990941
 *         (stornvme for Windows 7 SP1 / 2008 R2 SP1).
 *  [pv]   Citrix XenServer Windows PV tools (2009), the helper that moves
 *         the settings of QEMU's emulated RTL8139 NIC to the PV NIC: it
 *         reads Services\rtl8139, rtl8023xp and rtl8023x64.
 *  [rev]  the review of issue 12 against Microsoft's in-box driver lists:
 *         symc8xx drives the 53C895A on XP/2003 and nothing in-box drives
 *         it from Vista on; LSI_SCSI (53C1030) ends with 7 / 2008 R2;
 *         iaStorAV is in-box on 8.1 to 10 1809, iaStorAVC from 10 1903.
 *  [U]    unverified; marked where used.
 */
#define STOR(...) .start = 0, .group = "SCSI miniport", __VA_ARGS__
#define NIC(...) .role = "nic", .start = 3, .class_guid = WF_CLASS_NET, __VA_ARGS__

const struct wf_ctrl_kind wf_ctrl_kinds[] = {
	{ .id = "virtio-blk", .label = "VirtIO block", .cls = WF_CTRL_STORAGE, .bus = "pci",
	  .pci = { "1AF4:1001", "1AF4:1042" },
	  .qemu = "VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00",
	  .qemu_pcie = "VEN_1AF4&DEV_1042&SUBSYS_11001AF4&REV_01",
	  .src = "[v2v] ids, [qemu] transitional on PCI, modern on PCIe",
	  .drivers = {
		{ .service = "viostor", .role = "miniport", STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[v2v]" } } },
	{ .id = "virtio-scsi", .label = "VirtIO SCSI", .cls = WF_CTRL_STORAGE, .bus = "pci",
	  .pci = { "1AF4:1004", "1AF4:1048" },
	  .qemu = "VEN_1AF4&DEV_1004&SUBSYS_00081AF4&REV_00",
	  .qemu_pcie = "VEN_1AF4&DEV_1048&SUBSYS_11001AF4&REV_01",
	  .src = "[v2v] ids, [qemu] transitional on PCI, modern on PCIe",
	  .drivers = {
		{ .service = "vioscsi", .role = "miniport", STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[v2v]" } } },
	{ .id = "ide", .label = "IDE (PIIX)", .cls = WF_CTRL_STORAGE, .bus = "pci",
	  .pci = { "8086:7010", "8086:7111", "8086:1230", "8086:7199" },
	  .qemu = "VEN_8086&DEV_7010&SUBSYS_11001AF4&REV_00",
	  .pci_class = "010180",	/* IDE, PIIX bus-master prog-if */
	  .src = "[qemu] PIIX3 on i440fx (q35 has no IDE), [kb] MergeIDE ids",
	  .drivers = {
		{ .service = "intelide", .role = "controller", .inbox = 1,
		  .binds = { "8086:7010", "8086:7111", "8086:1230", "8086:7199" },
		  .start = 0, .group = "System Bus Extender", .class_guid = WF_CLASS_HDC,
		  .src = "[kb] MergeIDE binds the PIIX ids to intelide; [hive] PIIX4 bound to intelide on XP and 7" },
		{ .service = "pciide", .role = "controller", .inbox = 1, .binds = { "CC_0101" },
		  .start = 0, .group = "System Bus Extender", .class_guid = WF_CLASS_HDC,
		  .src = "[hive] Windows 7 CDD PCI#CC_0101 -> pciide; MergeIDE sets it Start 0" },
		{ .service = "atapi", .role = "channel", .inbox = 1,
		  .binds = { "primary_ide_channel", "secondary_ide_channel" },
		  .start = 0, .group = "SCSI miniport", .class_guid = WF_CLASS_HDC,
		  .src = "[hive] CDD primary/secondary_ide_channel -> atapi on XP and 7; [kb] MergeIDE" } } },
	{ .id = "sata", .label = "AHCI/SATA", .cls = WF_CTRL_STORAGE, .bus = "pci",
	  .pci = { "8086:2922", "8086:2829", "15AD:07E0", "8086:282A" },
	  .qemu = "VEN_8086&DEV_2922&SUBSYS_11001AF4",
	  .pci_class = "010601",	/* SATA, AHCI 1.0 */
	  .src = "[qemu] ICH9 AHCI; [hive] VirtualBox 2829, VMware 07E0, Intel RST RAID 282A (Dell)",
	  .drivers = {
		{ .service = "msahci", .min_ver = WF_WINVER(6, 0), .max_ver = WF_WINVER(6, 1),
		  .inbox = 1, .role = "miniport", .binds = { "CC_010601" },
		  STOR(.class_guid = WF_CLASS_HDC),
		  .src = "[kb] KB922976; [hive] 7 CDD PCI#CC_010601 -> msahci" },
		{ .service = "storahci", .min_ver = WF_WINVER(6, 2), .inbox = 1, .role = "miniport",
		  .binds = { "CC_010601" }, STOR(.class_guid = WF_CLASS_HDC),
		  .src = "[hive] 8.1 and 10 bind storahci (mshdc.inf class HDC)" },
		{ .service = "iaStorV", .min_ver = WF_WINVER(6, 0), .inbox = 1, .role = "miniport",
		  .binds = { "8086:282A", "8086:2822" }, STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[kb] KB922976, [hive] present on 7; ids [U]" },
		{ .service = "iaStorAV", .min_ver = WF_WINVER(6, 3), .max_ver = WF_WINVER(10, 0),
		  .max_build = 17763, .inbox = 1, .role = "miniport", .binds = { "8086:282A" },
		  STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[hive] 10 1709 bound to 8086:282A; [rev] in-box 8.1 to 10 1809" },
		{ .service = "iaStorAVC", .min_ver = WF_WINVER(10, 0), .min_build = 18362, .inbox = 1,
		  .role = "miniport", .binds = { "8086:282A" }, STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[rev] in-box from 10 1903; ids [U]" } } },
	{ .id = "nvme", .label = "NVMe", .cls = WF_CTRL_STORAGE, .bus = "pci",
	  .pci = { "1B36:0010" },
	  .qemu = "VEN_1B36&DEV_0010&SUBSYS_11001AF4",
	  .pci_class = "010802",	/* NVM Express */
	  .src = "[qemu]",
	  .drivers = {
		{ .service = "stornvme", .min_ver = WF_WINVER(6, 3), .inbox = 1, .role = "miniport",
		  .binds = { "CC_010802" }, STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .hotfix = "KB2990941", .hotfix_ver = WF_WINVER(6, 1),
		  .src = "[hive] 8.1; [kb] KB2990941 adds it to 7 SP1 / 2008 R2 SP1" } } },
	{ .id = "lsi-sas", .label = "LSI SAS (VMware \"LSI Logic SAS\")", .cls = WF_CTRL_STORAGE,
	  .bus = "pci", .pci = { "1000:0054" }, .qemu = "VEN_1000&DEV_0054",
	  .src = "[hive] VMware SAS1068; [qemu] mptsas1068",
	  .drivers = {
		{ .service = "LSI_SAS", .min_ver = WF_WINVER(6, 0), .inbox = 1, .role = "miniport",
		  STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[hive] 7 CDD PCI#VEN_1000&DEV_0054 -> LSI_SAS; bound on 7 and 10" } } },
	{ .id = "lsi-scsi", .label = "LSI parallel SCSI (QEMU lsilogic: 53C895A)",
	  .cls = WF_CTRL_STORAGE, .bus = "pci", .pci = { "1000:0012", "1000:0030" },
	  .qemu = "VEN_1000&DEV_0012",
	  .src = "[qemu] lsi53c895a 1000:0012; 1000:0030 is VMware's LSI Logic Parallel (53C1030)",
	  .drivers = {
		{ .service = "symc8xx", .min_ver = WF_WINVER(5, 1), .max_ver = WF_WINVER(5, 2),
		  .inbox = 1, .role = "miniport", .binds = { "1000:0012" },
		  STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[rev] XP/2003 in-box driver of the 53C8xx family" },
		{ .service = "symmpi", .min_ver = WF_WINVER(5, 2), .max_ver = WF_WINVER(5, 2),
		  .inbox = 1, .role = "miniport", .binds = { "1000:0030" },
		  STOR(.class_guid = WF_CLASS_SCSIADAPTER), .src = "[U] 2003 Fusion-MPT driver" },
		{ .service = "LSI_SCSI", .min_ver = WF_WINVER(6, 0), .max_ver = WF_WINVER(6, 1),
		  .inbox = 1, .role = "miniport", .binds = { "1000:0030" },
		  STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[hive] 7 CDD PCI#VEN_1000&DEV_0030 -> LSI_SCSI; [rev] ends with 7 / 2008 R2" } } },
	{ .id = "pvscsi", .label = "VMware PVSCSI", .cls = WF_CTRL_STORAGE, .bus = "pci",
	  .pci = { "15AD:07C0" }, .qemu = "VEN_15AD&DEV_07C0", .src = "[qemu], [hive]",
	  .drivers = {
		{ .service = "pvscsi", .role = "miniport", STOR(.class_guid = WF_CLASS_SCSIADAPTER),
		  .src = "[hive] 10 1903; VMware Tools" } } },
	{ .id = "storvsc", .label = "Hyper-V storage (VMBus)", .cls = WF_CTRL_STORAGE, .bus = "vmbus",
	  .src = "[hive]",
	  .drivers = {
		{ .service = "storvsc", .min_ver = WF_WINVER(6, 0), .inbox = 1, .role = "miniport",
		  STOR(.class_guid = WF_CLASS_SCSIADAPTER), .src = "[hive] 7" } } },
	{ .id = "virtio-net", .label = "VirtIO network", .cls = WF_CTRL_NETWORK, .bus = "pci",
	  .pci = { "1AF4:1000", "1AF4:1041" },
	  .qemu = "VEN_1AF4&DEV_1000&SUBSYS_00011AF4&REV_00",
	  .qemu_pcie = "VEN_1AF4&DEV_1041&SUBSYS_11001AF4&REV_01",
	  .src = "[v2v] ids, [qemu] transitional on PCI, modern on PCIe",
	  .drivers = { { .service = "netkvm", NIC(.src = "[v2v]") } } },
	{ .id = "e1000", .label = "Intel e1000 (82540EM)", .cls = WF_CTRL_NETWORK, .bus = "pci",
	  .pci = { "8086:100E" }, .qemu = "VEN_8086&DEV_100E", .src = "[qemu]",
	  .drivers = {
		{ .service = "E1G60", .min_ver = WF_WINVER(6, 0), .inbox = 1,
		  NIC(.src = "[hive] 7, 8.1") },
		{ .service = "E1000", .min_ver = WF_WINVER(5, 1), .max_ver = WF_WINVER(5, 2),
		  .inbox = 1, NIC(.src = "[U]") } } },
	{ .id = "e1000e", .label = "Intel e1000e (82574L)", .cls = WF_CTRL_NETWORK, .bus = "pci",
	  .pci = { "8086:10D3" }, .qemu = "VEN_8086&DEV_10D3", .src = "[qemu]",
	  .drivers = {
		{ .service = "e1i65x64", .min_ver = WF_WINVER(10, 0), .inbox = 1,
		  NIC(.src = "[hive] 10 1903") },
		{ .service = "e1iexpress", .min_ver = WF_WINVER(6, 1), .inbox = 1, NIC(.src = "[U]") } } },
	{ .id = "rtl8139", .label = "Realtek RTL8139", .cls = WF_CTRL_NETWORK, .bus = "pci",
	  .pci = { "10EC:8139" }, .qemu = "VEN_10EC&DEV_8139", .src = "[qemu]",
	  .drivers = {
		{ .service = "rtl8139", .min_ver = WF_WINVER(5, 0), .max_ver = WF_WINVER(6, 1),
		  .inbox = 1, NIC(.src = "[pv]") },
		{ .service = "RTL8023xp", .min_ver = WF_WINVER(5, 1), .max_ver = WF_WINVER(5, 2),
		  NIC(.src = "[pv]") },
		{ .service = "rtl8023x64", .min_ver = WF_WINVER(5, 2), .max_ver = WF_WINVER(5, 2),
		  NIC(.src = "[pv] x64") } } },
	{ .id = "vmxnet3", .label = "VMware vmxnet3", .cls = WF_CTRL_NETWORK, .bus = "pci",
	  .pci = { "15AD:07B0" }, .qemu = "VEN_15AD&DEV_07B0", .src = "[qemu], [hive]",
	  .drivers = {
		{ .service = "vmxnet3ndis6", .min_ver = WF_WINVER(6, 0),
		  NIC(.src = "[hive] 10 1903; VMware Tools") } } },
	{ .id = "netvsc", .label = "Hyper-V network (VMBus)", .cls = WF_CTRL_NETWORK, .bus = "vmbus",
	  .src = "[hive]",
	  .drivers = {
		{ .service = "netvsc", .min_ver = WF_WINVER(6, 2), .inbox = 1,
		  NIC(.src = "[hive] 8.1") } } },
};

/* The storage stack above every controller: disk class, partition and
 * volume managers (needed at boot whatever the controller), and the
 * volume filters enable-driver knows how to enable. */
/* The storage stack.  Groups per era as the in-box services have them in
 * the real SYSTEM hives of ../shared/fixtures/hives (XP: ITSEC2022,
 * bitcurator, winevt-kb; Vista+: win7sp1x86, ShimCacheParser win7sp1x64,
 * WIN_10_1709, regipy_SYSTEM_2/_B): Vista+ disk and volsnap have no Group,
 * partmgr is "Boot Bus Extender", fvevol "PnP Filter". */
const struct wf_ctrl_driver wf_ctrl_stack[] = {
	{ .service = "disk", .role = "stack", .inbox = 1, .start = 0, .group = NULL,
	  .group_xp = "SCSI Class", .stack_required = 1,
	  .src = "anchors-and-recipes.md §4 check 10 [U list]; groups [hive] XP and Vista+" },
	{ .service = "partmgr", .role = "stack", .inbox = 1, .start = 0,
	  .group = "Boot Bus Extender", .group_xp = "System Bus Extender", .stack_required = 1,
	  .src = "§4 check 10 [U list]; groups [hive] XP and Vista+" },
	{ .service = "volmgr", .role = "stack", .inbox = 1, .min_ver = WF_WINVER(6, 0), .start = 0,
	  .group = "System Bus Extender", .stack_required = 1,
	  .src = "§4 check 10 [U list]; new in Vista ([hive] absent on XP); group [hive]" },
	{ .service = "volsnap", .role = "stack", .inbox = 1, .start = 0, .group = NULL,
	  .group_xp = "System Bus Extender", .src = "§4 check 10 [U list]; groups [hive]" },
	{ .service = "fvevol", .role = "stack", .inbox = 1, .min_ver = WF_WINVER(6, 0), .start = 0,
	  .group = "PnP Filter", .src = "§4 check 10 [U list]; BitLocker filter; group [hive]" },
	{ .service = NULL },
};

const char *wf_ctrl_group(const struct wf_ctrl_driver *d, unsigned winver)
{
	return winver && winver < WF_WINVER(6, 0) && d->group_xp ? d->group_xp : d->group;
}

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
		    strncasecmp(cc, wf_ctrl_kinds[i].pci_class, 4) == 0)
			return &wf_ctrl_kinds[i];
	return NULL;
}

const struct wf_ctrl_driver *wf_ctrl_service(const char *svc,
					     const struct wf_ctrl_kind **kind)
{
	if (kind)
		*kind = NULL;
	if (!svc)
		return NULL;
	for (size_t i = 0; i < wf_ctrl_n_kinds; i++)
		for (int k = 0; k < WF_CTRL_MAX_DRV && wf_ctrl_kinds[i].drivers[k].service; k++)
			if (wf_streqi(wf_ctrl_kinds[i].drivers[k].service, svc)) {
				if (kind)
					*kind = &wf_ctrl_kinds[i];
				return &wf_ctrl_kinds[i].drivers[k];
			}
	for (size_t i = 0; wf_ctrl_stack[i].service; i++)
		if (wf_streqi(wf_ctrl_stack[i].service, svc))
			return &wf_ctrl_stack[i];
	return NULL;
}

int wf_ctrl_driver_applies(const struct wf_ctrl_driver *d, unsigned winver,
			   unsigned build)
{
	if (!winver)
		return 1;
	if ((d->min_ver && winver < d->min_ver) || (d->max_ver && winver > d->max_ver))
		return 0;
	if (build && winver == WF_WINVER(10, 0) &&
	    ((d->min_build && build < d->min_build) || (d->max_build && build > d->max_build)))
		return 0;
	return 1;
}

int wf_ctrl_driver_binds(const struct wf_ctrl_driver *d,
			 const struct wf_ctrl_kind *k, const char *hwid,
			 const char *cc)
{
	unsigned v1, d1, v2, d2;
	int pci = wf_pci_parse(hwid, &v1, &d1) == 0;
	if (!d->binds[0]) {
		for (int i = 0; pci && i < WF_CTRL_MAX_PCI && k->pci[i]; i++)
			if (sscanf(k->pci[i], "%x:%x", &v2, &d2) == 2 && v1 == v2 && d1 == d2)
				return 1;
		return 0;
	}
	for (int i = 0; i < WF_CTRL_MAX_BIND && d->binds[i]; i++) {
		const char *b = d->binds[i];
		if (wf_startswithi(b, "CC_")) {
			if (pci && cc && wf_startswithi(cc, b + 3))
				return 1;
		} else if (sscanf(b, "%x:%x", &v2, &d2) == 2 && strchr(b, ':')) {
			if (pci && v1 == v2 && d1 == d2)
				return 1;
		} else if (wf_streqi(b, hwid)) {
			return 1;
		}
	}
	return 0;
}

/* "&SUBSYS_xxxxxxxx" / "&REV_xx" part of a hardware id, "" when absent. */
static void id_part(const char *hwid, const char *tag, size_t digits, char *out, size_t n)
{
	const char *p = wf_strcasestr(hwid, tag);
	out[0] = '\0';
	if (!p)
		return;
	p += strlen(tag);
	size_t l = strspn(p, "0123456789abcdefABCDEF");
	if (l == digits && digits < n)
		snprintf(out, n, "%.*s", (int)digits, p);
}

size_t wf_pci_ids(const char *hwid, const char *cc, char out[WF_PCI_MAX_IDS][64])
{
	unsigned ven, dev;
	size_t n = 0;
	if (wf_pci_parse(hwid, &ven, &dev) < 0)
		return 0;
	char sub[12], rev[4], vd[20];
	id_part(hwid, "&SUBSYS_", 8, sub, sizeof sub);
	id_part(hwid, "&REV_", 2, rev, sizeof rev);
	snprintf(vd, sizeof vd, "VEN_%04X&DEV_%04X", ven, dev);
	if (sub[0] && rev[0])
		snprintf(out[n++], 64, "%s&SUBSYS_%s&REV_%s", vd, sub, rev);
	if (sub[0])
		snprintf(out[n++], 64, "%s&SUBSYS_%s", vd, sub);
	if (rev[0])
		snprintf(out[n++], 64, "%s&REV_%s", vd, rev);
	snprintf(out[n++], 64, "%s", vd);
	size_t cl = cc ? strspn(cc, "0123456789abcdefABCDEF") : 0;
	if (cl >= 6)
		snprintf(out[n++], 64, "%s&CC_%.6s", vd, cc);
	if (cl >= 4)
		snprintf(out[n++], 64, "%s&CC_%.4s", vd, cc);
	if (cl >= 6)
		snprintf(out[n++], 64, "VEN_%04X&CC_%.6s", ven, cc);
	if (cl >= 4)
		snprintf(out[n++], 64, "VEN_%04X&CC_%.4s", ven, cc);
	snprintf(out[n++], 64, "VEN_%04X", ven);
	if (cl >= 6)
		snprintf(out[n++], 64, "CC_%.6s", cc);
	if (cl >= 4)
		snprintf(out[n++], 64, "CC_%.4s", cc);
	for (size_t i = 0; i < n; i++)
		for (char *p = out[i]; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	return n;
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

static void eval_service(struct wf_hive *sys, wf_node services,
			 const struct wf_ctrl_driver *d, unsigned winver,
			 const char *systemroot, wf_file_probe probe, void *ud,
			 struct wf_ctrl_service *out)
{
	memset(out, 0, sizeof *out);
	out->drv = d;
	out->applies = wf_ctrl_driver_applies(d, winver, 0);
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
