#include "platforms.h"
#include "text.h"

/*
 * Sources:
 *  [v2v]  virt-v2v convert_windows: rhelscsi Start = 4 (RHBZ#809273);
 *         Parallels prl_* Start = 4 and prl_strg removed from the DiskDrive
 *         LowerFilters; the Perl virt-v2v also deleted rhelscsi
 *         (../shared/knowledge/virtio-injection-virt-v2v.md §3.3).
 *  [kb]   a filter that cannot load stops its device stack (KB811408);
 *         boot-start filters of the storage path load with it.
 *  [U]    unverified: what the driver does on a hypervisor it was not
 *         written for, from the vendors' descriptions of the driver.
 */
const struct wf_platform_driver wf_platform_drivers[] = {
	{ .service = "rhelscsi", .platform = "Xen", .harmful = 1,
	  .why = "the old Red Hat Xen PV SCSI driver claims the disks at boot and fails without Xen",
	  .src = "[v2v] RHBZ#809273: virt-v2v sets Start = 4" },
	{ .service = "xenvbd", .platform = "Xen", .harmful = 1,
	  .why = "the Xen PV storage driver; with xenfilt it unplugs the emulated disks when it believes it runs on Xen",
	  .src = "[U] Xen PV driver design (emulated-device unplug)" },
	{ .service = "xenfilt", .platform = "Xen", .harmful = 1,
	  .why = "a boot-start bus filter of the Xen PV drivers on the PCI/IDE stack",
	  .src = "[U] Xen PV driver design; [kb] filters on the boot path" },
	{ .service = "xenbus", .platform = "Xen", .harmful = 0,
	  .why = "the Xen PV bus driver; it finds no Xen platform device and stays idle",
	  .src = "[U]" },
	{ .service = "prl_strg", .platform = "Parallels", .harmful = 1,
	  .why = "a DiskDrive lower filter of Parallels Tools",
	  .src = "[v2v] removed from the DiskDrive LowerFilters and set Start = 4" },
	{ .service = "prl_fs", .platform = "Parallels", .harmful = 0,
	  .why = "the Parallels shared-folder file system", .src = "[v2v] Start = 4" },
	{ .service = "prl_boot", .platform = "Parallels", .harmful = 0,
	  .why = "a Parallels Tools boot driver", .src = "[v2v] Start = 4" },
	{ .service = "storflt", .platform = "Hyper-V", .harmful = 0,
	  .why = "the Hyper-V storage filter (Integration Services); on other hardware it passes requests through",
	  .inbox_ver = 601,	/* [hive] present in every 7, 8.1 and 10 fixture hive */
	  .src = "[U] Hyper-V Integration Services" },
	{ .service = "vmbus", .platform = "Hyper-V", .harmful = 0,
	  .why = "the Hyper-V VMBus driver; without VMBus it does not start",
	  .inbox_ver = 601,	/* [hive] present in the 7, 8.1 and 10 fixture hives */
	  .src = "[U]" },
	{ .service = "vsepflt", .platform = "VMware", .harmful = 0,
	  .why = "the VMware NSX/vShield file introspection minifilter; without its host service it only logs",
	  .src = "[U] VMware Tools component" },
	{ .service = "vmci", .platform = "VMware", .harmful = 0,
	  .why = "the VMware VMCI bus driver; its PCI device is absent on KVM", .src = "[U]" },
	{ .service = "vm3dmp", .platform = "VMware", .harmful = 0,
	  .why = "the VMware SVGA display driver; its device is absent on KVM", .src = "[U]" },
	{ .service = "vmrawdsk", .platform = "VMware", .harmful = 0,
	  .why = "the VMware raw disk helper of VMware Tools", .src = "[U]" },
};

const size_t wf_n_platform_drivers = sizeof wf_platform_drivers / sizeof wf_platform_drivers[0];

const struct wf_platform_driver *wf_platform_driver(const char *service)
{
	for (size_t i = 0; service && i < wf_n_platform_drivers; i++)
		if (wf_streqi(wf_platform_drivers[i].service, service))
			return &wf_platform_drivers[i];
	return NULL;
}
