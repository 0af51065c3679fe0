/*
 * ids.h - the one list of finding ids and fix families.
 *
 * Each id names its help article (help/findings/<id>.txt, help/fixes/<id>.txt);
 * a test checks that every id here has one.  Code names an id through the
 * enum or WF_FID()/WF_FIXID(), so a misspelt id is a compile error:
 *
 *   struct wf_finding *f = wf_findings_add(out, WF_FID(CDD_MISSING), WF_SEV_ERROR, dev);
 *   if (!strcmp(f->id, WF_FID(NULL_DRIVER_INSTALLED))) ...
 *   wf_finding_add_fix_for(f, WF_FIXID(ENABLE_DRIVER), "storahci");  // "enable-driver:storahci"
 *
 * Fix families are listed here, below the fix layer, because findings name
 * the fixes that address them; core/fix/fixes.c maps each to its builder.
 * Returned strings are static.
 */
#ifndef WF_IDS_H
#define WF_IDS_H

/* Finding ids: log diagnosis (logdiag.c) and diagnosis rules (rules_*.c). */
#define WF_FINDING_IDS(X) \
	X(CONTROLLER_UNSUPPORTED, "controller-unsupported") \
	X(CONTROLLER_MISMATCH, "controller-mismatch") \
	X(BOOT_DRIVER_MISSING, "boot-driver-missing") \
	X(BOOT_DRIVER_DISABLED, "boot-driver-disabled") \
	X(BOOT_DRIVER_START_OVERRIDE, "boot-driver-start-override") \
	X(BOOT_DRIVER_BAD_TYPE, "boot-driver-bad-type") \
	X(BOOT_DRIVER_GROUP_UNLISTED, "boot-driver-group-unlisted") \
	X(BOOT_DRIVER_FILE_MISSING, "boot-driver-file-missing") \
	X(STORAGE_STACK_DISABLED, "storage-stack-disabled") \
	X(CDD_MISSING, "cdd-missing") \
	X(DDB_ENTRY_MISSING, "ddb-entry-missing") \
	X(DRIVER_PACKAGE_VERSION_MISSING, "driver-package-version-missing") \
	X(FILTER_DRIVER_MISSING, "filter-driver-missing") \
	X(DRIVER_IMAGE_MISSING, "driver-image-missing") \
	X(DRIVER_WRONG_ARCH, "driver-wrong-arch") \
	X(DRIVER_IMPORTS_MISSING, "driver-imports-missing") \
	X(DRIVER_WRONG_OS, "driver-wrong-os") \
	X(BOOT_DRIVER_SIGNATURE, "boot-driver-signature") \
	X(TEST_SIGNING_ON, "test-signing-on") \
	X(NET_DRIVER_MISSING, "net-driver-missing") \
	X(NET_DRIVER_DISABLED, "net-driver-disabled") \
	X(NET_DRIVER_FIRST_BOOT, "net-driver-first-boot") \
	X(OLD_PLATFORM_DRIVER, "old-platform-driver") \
	X(CPU_DRIVER_WRONG_VENDOR, "cpu-driver-wrong-vendor") \
	X(SAN_POLICY_OFFLINE, "san-policy-offline") \
	X(DEVICE_INSTALL_BLOCKED, "device-install-blocked") \
	X(HVCI_ENABLED, "hvci-enabled") \
	X(FIRMWARE_MISMATCH, "firmware-mismatch") \
	X(NTFS_GEOMETRY_MISMATCH, "ntfs-geometry-mismatch") \
	X(BITLOCKER_TPM, "bitlocker-tpm") \
	X(LKG_DIFFERS, "lkg-differs") \
	X(STOP_AUTOREBOOT, "stop-autoreboot") \
	X(NULL_DRIVER_INSTALLED, "null-driver-installed") \
	X(NO_COMPATIBLE_DRIVER, "no-compatible-driver") \
	X(DRIVER_INSTALL_INTERRUPTED, "driver-install-interrupted") \
	X(DRIVER_STORE_IMPORT_FAILED, "driver-store-import-failed") \
	X(SIGNATURE_PROBLEM, "signature-problem") \
	X(DEVICE_PROBLEM_CODE, "device-problem-code") \
	X(DEVICE_INSTALL_FAILED, "device-install-failed") \
	X(DEVICE_NOT_ENUMERATED, "device-not-enumerated") \
	X(INSTALL_ERROR_LOGGED, "install-error-logged")

/* Fix families (the part of a fix id before the first ':'). */
#define WF_FIX_IDS(X) \
	X(INJECT_VIRTIO, "inject-virtio") \
	X(MERGEIDE, "mergeide") \
	X(ENABLE_DRIVER, "enable-driver") \
	X(DISABLE_DRIVER, "disable-driver") \
	X(ADD_CDD, "add-cdd") \
	X(DDB_ENTRY, "ddb-entry") \
	X(DDB_VERSION, "ddb-version") \
	X(REMOVE_FILTER, "remove-filter") \
	X(AUTOREBOOT_OFF, "autoreboot-off") \
	X(IMPORT_REG, "import-reg")

#define WF_IDS_ENUM_FID_(name, text) WF_FID_##name,
#define WF_IDS_ENUM_FIX_(name, text) WF_FIX_##name,
enum wf_fid { WF_FINDING_IDS(WF_IDS_ENUM_FID_) WF_FID__COUNT };
enum wf_fixid { WF_FIX_IDS(WF_IDS_ENUM_FIX_) WF_FIX__COUNT };
#undef WF_IDS_ENUM_FID_
#undef WF_IDS_ENUM_FIX_

/* "null-driver-installed" for WF_FID_NULL_DRIVER_INSTALLED. */
const char *wf_fid_name(enum wf_fid id);
/* "enable-driver" for WF_FIX_ENABLE_DRIVER. */
const char *wf_fixid_name(enum wf_fixid id);
/* The id for a name, or -1 (case-insensitive). */
int wf_fid_lookup(const char *name);
int wf_fixid_lookup(const char *name);

/* The name as an address constant (usable in static tables); a misspelt
 * NAME is an undeclared identifier. */
#define WF_FID(name)   wf_fid_text_##name
#define WF_FIXID(name) wf_fix_text_##name
#define WF_IDS_DECL_FID_(name, text) extern const char wf_fid_text_##name[];
#define WF_IDS_DECL_FIX_(name, text) extern const char wf_fix_text_##name[];
WF_FINDING_IDS(WF_IDS_DECL_FID_)
WF_FIX_IDS(WF_IDS_DECL_FIX_)
#undef WF_IDS_DECL_FID_
#undef WF_IDS_DECL_FIX_

#endif
