#include "rules.h"
#include "text.h"

/*
 * The rule table: one row per finding id this module emits.  Order is the
 * order the functions run (preparing state later rows reuse, e.g. the
 * service cache, happens on first use).  Severity is the default: rules
 * lower it for a data disk (not the boot disk) or a non-boot class.
 */
const struct wf_rule wf_rules[] = {
	/* the boot storage driver (rules_boot.c) */
	{ WF_FID(CONTROLLER_UNSUPPORTED), WF_SEV_ERROR,
	  "{2} has no in-box driver for {1}", wf_rule_unsupported },
	{ WF_FID(CONTROLLER_MISMATCH), WF_SEV_ERROR,
	  "The VM presents {1} but the guest only has a boot driver for {2}", NULL },
	{ WF_FID(BOOT_DRIVER_MISSING), WF_SEV_ERROR,
	  "No {2} driver service for the {1} controller", wf_rule_boot_missing },
	{ WF_FID(BOOT_DRIVER_DISABLED), WF_SEV_ERROR,
	  "Boot driver {2} for {1} does not start at boot (Start = {3})",
	  wf_rule_boot_disabled },
	{ WF_FID(BOOT_DRIVER_START_OVERRIDE), WF_SEV_ERROR,
	  "A StartOverride disables boot driver {2} for {1}", wf_rule_boot_override },
	{ WF_FID(BOOT_DRIVER_BAD_TYPE), WF_SEV_ERROR,
	  "Boot driver {2} is not registered as a kernel driver (Type = {3})",
	  wf_rule_boot_type },
	{ WF_FID(BOOT_DRIVER_GROUP_UNLISTED), WF_SEV_WARNING,
	  "Boot driver {2} is in group \"{3}\", which ServiceGroupOrder does not list",
	  wf_rule_boot_group },
	{ WF_FID(BOOT_DRIVER_FILE_MISSING), WF_SEV_ERROR,
	  "The file of boot driver {2} is {3}", wf_rule_boot_file },
	{ WF_FID(STORAGE_STACK_DISABLED), WF_SEV_ERROR,
	  "Storage stack driver {1} is disabled", wf_rule_storage_stack },
	/* CDD / DDB (rules_db.c) */
	{ WF_FID(CDD_MISSING), WF_SEV_ERROR,
	  "No CriticalDeviceDatabase entry binds the {1} controller to {2}", wf_rule_cdd },
	{ WF_FID(DDB_ENTRY_MISSING), WF_SEV_ERROR,
	  "The DriverDatabase does not bind the {1} controller to {2}", wf_rule_ddb },
	{ WF_FID(DRIVER_PACKAGE_VERSION_MISSING), WF_SEV_ERROR,
	  "Driver package {1} (service {2}) has no Version value", wf_rule_ddb_version },
	/* filters (rules_filters.c) */
	{ WF_FID(FILTER_DRIVER_MISSING), WF_SEV_ERROR,
	  "{1} filter {2} of {3} cannot load", wf_rule_filters },
	/* driver files (rules_files.c); image-missing first: it reads the
	 * files of the devices' drivers the later rows look into */
	{ WF_FID(DRIVER_IMAGE_MISSING), WF_SEV_ERROR,
	  "The file of driver {1} is missing (Code 39 on {2})", wf_rule_image_missing },
	{ WF_FID(DRIVER_WRONG_ARCH), WF_SEV_ERROR,
	  "Driver {1} is built for {2}, the guest is {3}", wf_rule_arch },
	{ WF_FID(DRIVER_IMPORTS_MISSING), WF_SEV_ERROR,
	  "Driver {1} imports {2}, which this Windows does not have", wf_rule_imports },
	{ WF_FID(DRIVER_WRONG_OS), WF_SEV_ERROR,
	  "Driver {1} is built for Windows {2}, the guest is {3}", wf_rule_wrong_os },
	/* signatures of boot-start drivers, BCD test signing (rules_sign.c) */
	{ WF_FID(BOOT_DRIVER_SIGNATURE), WF_SEV_ERROR,
	  "Boot-start driver {1} will not load on 64-bit Windows: {2}", wf_rule_boot_signature },
	{ WF_FID(TEST_SIGNING_ON), WF_SEV_INFO,
	  "Test signing is on in the BCD store (Windows shows Test Mode){1}{2}{3}", NULL },
	/* network targets (rules_boot.c) */
	{ WF_FID(NET_DRIVER_MISSING), WF_SEV_WARNING,
	  "No driver for the {1} adapter (service {2})", wf_rule_net_driver },
	{ WF_FID(NET_DRIVER_DISABLED), WF_SEV_WARNING,
	  "Network driver {2} for {1} is disabled", NULL },
	{ WF_FID(NET_DRIVER_FIRST_BOOT), WF_SEV_INFO,
	  "Windows installs its in-box driver {2} for the {1} adapter at first boot", NULL },
	/* what the old platform left behind (rules_platform.c) */
	{ WF_FID(OLD_PLATFORM_DRIVER), WF_SEV_WARNING,
	  "{2} driver {1} from the old platform still loads at boot", wf_rule_old_platform },
	{ WF_FID(CPU_DRIVER_WRONG_VENDOR), WF_SEV_WARNING,
	  "Processor driver {1} is enabled on {2}: Stop 0x7E on an AMD host", wf_rule_cpu_driver },
	{ WF_FID(SAN_POLICY_OFFLINE), WF_SEV_WARNING,
	  "SAN policy {1} takes disks offline after the bus change", wf_rule_san_policy },
	/* the guest's policies (rules_policy.c) */
	{ WF_FID(DEVICE_INSTALL_BLOCKED), WF_SEV_WARNING,
	  "Device installation policy blocks the {1}", wf_rule_devinstall },
	{ WF_FID(HVCI_ENABLED), WF_SEV_INFO,
	  "Memory integrity (HVCI) is on{1}: on KVM it needs nested virtualization", wf_rule_hvci },
	/* the boot disk and the firmware (rules_disk.c, image mode) */
	{ WF_FID(FIRMWARE_MISMATCH), WF_SEV_ERROR,
	  "The disk boots with {1} firmware, the VM has {2}", wf_rule_firmware },
	{ WF_FID(NTFS_GEOMETRY_MISMATCH), WF_SEV_ERROR,
	  "NTFS boot sector geometry ({1}) differs from what SeaBIOS presents ({2})",
	  wf_rule_ntfs_geometry },
	/* BitLocker, when inspection stops at an encrypted volume
	 * (wf_diagnose_bitlocker, diagnose_guest.c) */
	{ WF_FID(BITLOCKER_TPM), WF_SEV_WARNING,
	  "BitLocker volume {1}: the recovery key will be needed on the new VM", NULL },
	/* control sets, crash settings (rules_select.c) */
	{ WF_FID(LKG_DIFFERS), WF_SEV_WARNING,
	  "Last Known Good ({1}) differs in boot driver {2}: {3}", wf_rule_lkg },
	{ WF_FID(STOP_AUTOREBOOT), WF_SEV_INFO,
	  "Windows restarts at once on a stop error (AutoReboot = 1)", wf_rule_autoreboot },
};

const size_t wf_n_rules = sizeof wf_rules / sizeof wf_rules[0];

const struct wf_rule *wf_rule_find(const char *id)
{
	for (size_t i = 0; id && i < wf_n_rules; i++)
		if (wf_streqi(wf_rules[i].id, id))
			return &wf_rules[i];
	return NULL;
}
