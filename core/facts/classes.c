#include "classes.h"
#include "text.h"

/*
 * Device setup class GUIDs as Microsoft lists them ("System-Defined Device
 * Setup Classes Available to Vendors"; ../shared/knowledge/anchors-and-recipes.md
 * §6).  boot_path: the classes a boot disk's device stack goes through
 * (controller -> disk -> volume); a class filter there that cannot load
 * stops the boot with 0x7B (KB811408: a stale UpperFilters entry on a
 * storage class, STOP 0x7B with 0xC0000034).  CD-ROM filters give Code
 * 19/31/32/39/41 on the drive instead (the classic CD/DVD filter problem).
 */
const struct wf_class wf_classes[] = {
	{ WF_CLASS_DISKDRIVE, "DiskDrive", "Disk drives", 1 },
	{ WF_CLASS_HDC, "hdc", "IDE ATA/ATAPI controllers", 1 },
	{ WF_CLASS_SCSIADAPTER, "SCSIAdapter", "Storage controllers", 1 },
	{ WF_CLASS_VOLUME, "Volume", "Storage volumes", 1 },
	{ WF_CLASS_CDROM, "CDROM", "DVD/CD-ROM drives", 0 },
	{ WF_CLASS_NET, "Net", "Network adapters", 0 },
	{ "{4D36E97D-E325-11CE-BFC1-08002BE10318}", "System", "System devices", 0 },
};

const size_t wf_n_classes = sizeof wf_classes / sizeof wf_classes[0];

const struct wf_class *wf_class_by_guid(const char *guid)
{
	for (size_t i = 0; guid && i < wf_n_classes; i++)
		if (wf_streqi(wf_classes[i].guid, guid))
			return &wf_classes[i];
	return NULL;
}

const struct wf_class *wf_class_by_name(const char *name)
{
	for (size_t i = 0; name && i < wf_n_classes; i++)
		if (wf_streqi(wf_classes[i].name, name))
			return &wf_classes[i];
	return NULL;
}
