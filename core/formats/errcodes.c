/*
 * errcodes.c - the error-code table (see errcodes.h).
 *
 * Every row names its source (.source); the values and names were checked
 * against these Microsoft pages and headers:
 *  - SetupAPI errors: Windows SDK setupapi.h, "_SPAPI_ERRORS" block, where
 *    each code is APPLICATION_ERROR_MASK|ERROR_SEVERITY_ERROR|n =
 *    0xE0000000|n (the block is quoted in microsoft/win32metadata#1672);
 *    their HRESULT forms SPAPI_E_* = 0x800F0000|n in winerror.h and on
 *    Microsoft Learn, "COM Error Codes (Security and Setup)".
 *  - Win32 codes: winerror.h and Microsoft Learn, "System Error Codes"
 *    (0-499, 1000-1299, 1700-3999).
 *  - Trust HRESULTs 0x800B01xx / 0x800960xx: winerror.h; Microsoft Learn,
 *    "COM Error Codes (Security and Setup)" and "TRUST Error Codes".
 *  - Problem status 0xC0000490..0xC0000495: ntstatus.h, [MS-ERREF] 2.3.1,
 *    and the Microsoft Learn page for Code 28 (cm-prob-failed-install).
 *  - CM_PROB_* numbers: SDK cfg.h; their Device Manager codes and texts:
 *    Microsoft Learn, "Device Manager error messages" and the per-code
 *    pages install/cm-prob-*.
 *  - [U]: no source gives a meaning; the row says so.
 * Meanings are our own one-line summaries, not the SDK text.  Roles
 * (cause / context / noise) are ours, from what healthy logs in
 * ../shared/fixtures/setupapi carry: a code seen in installs that succeed
 * is context or noise, never a cause by itself.
 */
#include "errcodes.h"

#include <stddef.h>
#include <stdio.h>

#define SP(n) (0xE0000000u | (n))

#define SRC_SPAPI "setupapi.h _SPAPI_ERRORS; Learn: COM Error Codes (Security and Setup), SPAPI_E_*"
#define SRC_W32_0 "winerror.h; Learn: System Error Codes (0-499)"
#define SRC_W32_500 "winerror.h; Learn: System Error Codes (500-999)"
#define SRC_W32_1000 "winerror.h; Learn: System Error Codes (1000-1299)"
#define SRC_W32_1300 "winerror.h; Learn: System Error Codes (1300-1699)"
#define SRC_W32_1700 "winerror.h; Learn: System Error Codes (1700-3999)"
#define SRC_NTSTATUS "ntstatus.h; [MS-ERREF] 2.3.1 NTSTATUS Values; Learn: cm-prob-failed-install"
#define SRC_TRUST "winerror.h; Learn: COM Error Codes (Security and Setup)"
#define SRC_TRUST_9 "winerror.h; Learn: TRUST Error Codes"
#define SRC_CFG "cfg.h CM_PROB_*; Learn: Device Manager error messages, install/cm-prob-*"

static const struct wf_code codes[] = {
	/* --- SetupAPI (setupapi.h) ------------------------------------- */
	{ .value = SP(0x000), .kind = WF_CODE_SETUPAPI, .name = "ERROR_EXPECTED_SECTION_NAME", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "INF syntax: a section name was expected" },
	{ .value = SP(0x001), .kind = WF_CODE_SETUPAPI, .name = "ERROR_BAD_SECTION_NAME_LINE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "INF syntax: bad section name line" },
	{ .value = SP(0x002), .kind = WF_CODE_SETUPAPI, .name = "ERROR_SECTION_NAME_TOO_LONG", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "INF syntax: section name too long" },
	{ .value = SP(0x003), .kind = WF_CODE_SETUPAPI, .name = "ERROR_GENERAL_SYNTAX", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "INF syntax error" },
	{ .value = SP(0x100), .kind = WF_CODE_SETUPAPI, .name = "ERROR_WRONG_INF_STYLE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the INF is not in the expected style" },
	{ .value = SP(0x101), .kind = WF_CODE_SETUPAPI, .name = "ERROR_SECTION_NOT_FOUND", .role = WF_CODE_CONTEXT,
	  .source = SRC_SPAPI,
	  .meaning = "an INF section was not found" },
	{ .value = SP(0x102), .kind = WF_CODE_SETUPAPI, .name = "ERROR_LINE_NOT_FOUND", .role = WF_CODE_CONTEXT,
	  .source = SRC_SPAPI,
	  .meaning = "a required INF line was not found" },
	{ .value = SP(0x103), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_BACKUP", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no backup of the files was made" },
	{ .value = SP(0x200), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_ASSOCIATED_CLASS", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the INF or device has no setup class" },
	{ .value = SP(0x201), .kind = WF_CODE_SETUPAPI, .name = "ERROR_CLASS_MISMATCH", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device class does not match the INF class" },
	{ .value = SP(0x202), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DUPLICATE_FOUND", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "a duplicate device was found" },
	{ .value = SP(0x203), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_DRIVER_SELECTED", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_NO_DRIVER, .source = SRC_SPAPI,
	  .meaning = "no driver was selected for the device" },
	{ .value = SP(0x204), .kind = WF_CODE_SETUPAPI, .name = "ERROR_KEY_DOES_NOT_EXIST", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "a requested registry key does not exist" },
	{ .value = SP(0x205), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_DEVINST_NAME", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid device instance name" },
	{ .value = SP(0x206), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_CLASS", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid device setup class" },
	{ .value = SP(0x207), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVINST_ALREADY_EXISTS", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device instance already exists" },
	{ .value = SP(0x208), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVINFO_NOT_REGISTERED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device information element is not registered" },
	{ .value = SP(0x209), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_REG_PROPERTY", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid device registry property" },
	{ .value = SP(0x20A), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_INF", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the INF was not found" },
	{ .value = SP(0x20B), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_SUCH_DEVINST", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_ABSENT, .source = SRC_SPAPI,
	  .meaning = "no such device instance: the device is not present" },
	{ .value = SP(0x20C), .kind = WF_CODE_SETUPAPI, .name = "ERROR_CANT_LOAD_CLASS_ICON", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the class icon could not be loaded" },
	{ .value = SP(0x20D), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_CLASS_INSTALLER", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid class installer" },
	{ .value = SP(0x20E), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DI_DO_DEFAULT", .role = WF_CODE_NOISE,
	  .source = SRC_SPAPI,
	  .meaning = "use the default handler (normal DIF return)" },
	{ .value = SP(0x20F), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DI_NOFILECOPY", .role = WF_CODE_NOISE,
	  .source = SRC_SPAPI,
	  .meaning = "no file copy needed (normal DIF return)" },
	{ .value = SP(0x210), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_HWPROFILE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid hardware profile" },
	{ .value = SP(0x211), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_DEVICE_SELECTED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no device is selected" },
	{ .value = SP(0x212), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVINFO_LIST_LOCKED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device information set is locked" },
	{ .value = SP(0x213), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVINFO_DATA_LOCKED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device information element is locked" },
	{ .value = SP(0x214), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DI_BAD_PATH", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid path to the driver files" },
	{ .value = SP(0x215), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_CLASSINSTALL_PARAMS", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no class install parameters" },
	{ .value = SP(0x216), .kind = WF_CODE_SETUPAPI, .name = "ERROR_FILEQUEUE_LOCKED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the file queue is locked" },
	{ .value = SP(0x217), .kind = WF_CODE_SETUPAPI, .name = "ERROR_BAD_SERVICE_INSTALLSECT", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "bad service install section in the INF" },
	{ .value = SP(0x218), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_CLASS_DRIVER_LIST", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no class driver list" },
	{ .value = SP(0x219), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_ASSOCIATED_SERVICE", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_NO_DRIVER, .source = SRC_SPAPI,
	  .meaning = "no function driver (service) was specified for the device" },
	{ .value = SP(0x21A), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_DEFAULT_DEVICE_INTERFACE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no default device interface" },
	{ .value = SP(0x21B), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVICE_INTERFACE_ACTIVE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device interface is active" },
	{ .value = SP(0x21C), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVICE_INTERFACE_REMOVED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device interface was removed" },
	{ .value = SP(0x21D), .kind = WF_CODE_SETUPAPI, .name = "ERROR_BAD_INTERFACE_INSTALLSECT", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "bad interface install section in the INF" },
	{ .value = SP(0x21E), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_SUCH_INTERFACE_CLASS", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no such interface class" },
	{ .value = SP(0x21F), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_REFERENCE_STRING", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid reference string" },
	{ .value = SP(0x220), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_MACHINENAME", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid machine name" },
	{ .value = SP(0x221), .kind = WF_CODE_SETUPAPI, .name = "ERROR_REMOTE_COMM_FAILURE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "remote communication failure" },
	{ .value = SP(0x222), .kind = WF_CODE_SETUPAPI, .name = "ERROR_MACHINE_UNAVAILABLE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "machine unavailable" },
	{ .value = SP(0x223), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_CONFIGMGR_SERVICES", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_INTERRUPT, .source = SRC_SPAPI,
	  .meaning = "the Plug and Play service is not available" },
	{ .value = SP(0x224), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_PROPPAGE_PROVIDER", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid property page provider" },
	{ .value = SP(0x225), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_SUCH_DEVICE_INTERFACE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no such device interface" },
	{ .value = SP(0x226), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DI_POSTPROCESSING_REQUIRED", .role = WF_CODE_NOISE,
	  .source = SRC_SPAPI,
	  .meaning = "post-processing required (normal DIF return)" },
	{ .value = SP(0x227), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_COINSTALLER", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid co-installer" },
	{ .value = SP(0x228), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_COMPAT_DRIVERS", .role = WF_CODE_CAUSE,
	  .dm_code = 28, .flags = WF_CODE_NO_DRIVER, .source = SRC_SPAPI,
	  .meaning = "no compatible driver for this device (no INF matches its IDs)" },
	{ .value = SP(0x229), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_DEVICE_ICON", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "no device icon" },
	{ .value = SP(0x22A), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_INF_LOGCONFIG", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid LogConfig in the INF" },
	{ .value = SP(0x22B), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DI_DONT_INSTALL", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "a class installer said: do not install" },
	{ .value = SP(0x22C), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_FILTER_DRIVER", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid filter driver" },
	{ .value = SP(0x22D), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NON_WINDOWS_NT_DRIVER", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the driver is not for Windows NT" },
	{ .value = SP(0x22E), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NON_WINDOWS_DRIVER", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the driver is not for Windows" },
	{ .value = SP(0x22F), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_CATALOG_FOR_OEM_INF", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "the third-party INF has no catalog (unsigned package)" },
	{ .value = SP(0x230), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVINSTALL_QUEUE_NONNATIVE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "non-native file queue" },
	{ .value = SP(0x231), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NOT_DISABLEABLE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device cannot be disabled" },
	{ .value = SP(0x232), .kind = WF_CODE_SETUPAPI, .name = "ERROR_CANT_REMOVE_DEVINST", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the device instance cannot be removed" },
	{ .value = SP(0x233), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INVALID_TARGET", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "invalid target" },
	{ .value = SP(0x234), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DRIVER_NONNATIVE", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_NO_DRIVER, .source = SRC_SPAPI,
	  .meaning = "the driver is for another processor architecture" },
	{ .value = SP(0x235), .kind = WF_CODE_SETUPAPI, .name = "ERROR_IN_WOW64", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the install was attempted from a 32-bit process on 64-bit Windows" },
	{ .value = SP(0x236), .kind = WF_CODE_SETUPAPI, .name = "ERROR_SET_SYSTEM_RESTORE_POINT", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "a system restore point could not be set" },
	{ .value = SP(0x237), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INCORRECTLY_COPIED_INF", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the INF was copied into the INF folder by hand instead of installed (SetupCopyOEMInf)" },
	{ .value = SP(0x238), .kind = WF_CODE_SETUPAPI, .name = "ERROR_SCE_DISABLED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the security configuration engine is disabled" },
	{ .value = SP(0x239), .kind = WF_CODE_SETUPAPI, .name = "ERROR_UNKNOWN_EXCEPTION", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "an unknown exception happened during install" },
	{ .value = SP(0x23A), .kind = WF_CODE_SETUPAPI, .name = "ERROR_PNP_REGISTRY_ERROR", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "Plug and Play registry error" },
	{ .value = SP(0x23B), .kind = WF_CODE_SETUPAPI, .name = "ERROR_REMOTE_REQUEST_UNSUPPORTED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "remote request unsupported" },
	{ .value = SP(0x23C), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NOT_AN_INSTALLED_OEM_INF", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "not an installed OEM INF" },
	{ .value = SP(0x23D), .kind = WF_CODE_SETUPAPI, .name = "ERROR_INF_IN_USE_BY_DEVICES", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "the INF is in use by devices" },
	{ .value = SP(0x23E), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DI_FUNCTION_OBSOLETE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "obsolete device installation function" },
	{ .value = SP(0x23F), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NO_AUTHENTICODE_CATALOG", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "no valid Authenticode catalog for the package" },
	{ .value = SP(0x240), .kind = WF_CODE_SETUPAPI, .name = "ERROR_AUTHENTICODE_DISALLOWED", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "Authenticode signing is not allowed for this package" },
	{ .value = SP(0x241), .kind = WF_CODE_SETUPAPI, .name = "ERROR_AUTHENTICODE_TRUSTED_PUBLISHER", .role = WF_CODE_NOISE,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "signed by a publisher already trusted (informational)" },
	{ .value = SP(0x242), .kind = WF_CODE_SETUPAPI, .name = "ERROR_AUTHENTICODE_TRUST_NOT_ESTABLISHED", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "the catalog publisher is not yet trusted" },
	{ .value = SP(0x243), .kind = WF_CODE_SETUPAPI, .name = "ERROR_AUTHENTICODE_PUBLISHER_NOT_TRUSTED", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "the catalog publisher is not trusted" },
	{ .value = SP(0x244), .kind = WF_CODE_SETUPAPI, .name = "ERROR_SIGNATURE_OSATTRIBUTE_MISMATCH", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "the catalog is not valid for this Windows version" },
	{ .value = SP(0x245), .kind = WF_CODE_SETUPAPI, .name = "ERROR_ONLY_VALIDATE_VIA_AUTHENTICODE", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "only Authenticode validation is possible" },
	{ .value = SP(0x246), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVICE_INSTALLER_NOT_READY", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_INTERRUPT, .source = SRC_SPAPI,
	  .meaning = "the device installer is not ready (setup still running)" },
	{ .value = SP(0x247), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DRIVER_STORE_ADD_FAILED", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_STORE, .source = SRC_SPAPI,
	  .meaning = "adding the package to the driver store failed" },
	{ .value = SP(0x248), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DEVICE_INSTALL_BLOCKED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "device install blocked by policy" },
	{ .value = SP(0x249), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DRIVER_INSTALL_BLOCKED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "driver install blocked by policy" },
	{ .value = SP(0x24A), .kind = WF_CODE_SETUPAPI, .name = "ERROR_WRONG_INF_TYPE", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "wrong INF type" },
	{ .value = SP(0x24B), .kind = WF_CODE_SETUPAPI, .name = "ERROR_FILE_HASH_NOT_IN_CATALOG", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_SPAPI,
	  .meaning = "a file's hash is not in the catalog" },
	{ .value = SP(0x24C), .kind = WF_CODE_SETUPAPI, .name = "ERROR_DRIVER_STORE_DELETE_FAILED", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_STORE, .source = SRC_SPAPI,
	  .meaning = "deleting a package from the driver store failed" },
	{ .value = SP(0x300), .kind = WF_CODE_SETUPAPI, .name = "ERROR_UNRECOVERABLE_STACK_OVERFLOW", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "unrecoverable stack overflow in setup" },
	{ .value = SP(0x1000), .kind = WF_CODE_SETUPAPI, .name = "ERROR_NOT_INSTALLED", .role = WF_CODE_CAUSE,
	  .source = SRC_SPAPI,
	  .meaning = "not installed (Win9x migration DLL code)" },

	/* --- Win32 (winerror.h) ---------------------------------------- */
	{ .value = 0x00000002, .kind = WF_CODE_WIN32, .name = "ERROR_FILE_NOT_FOUND", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_0,
	  .meaning = "a file was not found" },
	{ .value = 0x00000003, .kind = WF_CODE_WIN32, .name = "ERROR_PATH_NOT_FOUND", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_0,
	  .meaning = "a path was not found" },
	{ .value = 0x00000005, .kind = WF_CODE_WIN32, .name = "ERROR_ACCESS_DENIED", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_0,
	  .meaning = "access denied" },
	{ .value = 0x0000000D, .kind = WF_CODE_WIN32, .name = "ERROR_INVALID_DATA", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_0,
	  .meaning = "invalid data" },
	{ .value = 0x00000020, .kind = WF_CODE_WIN32, .name = "ERROR_SHARING_VIOLATION", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_0,
	  .meaning = "the file is in use by another process" },
	{ .value = 0x00000057, .kind = WF_CODE_WIN32, .name = "ERROR_INVALID_PARAMETER", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_0,
	  .meaning = "invalid parameter" },
	{ .value = 0x00000070, .kind = WF_CODE_WIN32, .name = "ERROR_DISK_FULL", .role = WF_CODE_CAUSE,
	  .source = SRC_W32_0,
	  .meaning = "the disk is full" },
	{ .value = 0x00000103, .kind = WF_CODE_WIN32, .name = "ERROR_NO_MORE_ITEMS", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_0,
	  .meaning = "no more items" },
	{ .value = 0x00000422, .kind = WF_CODE_WIN32, .name = "ERROR_SERVICE_DISABLED", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_LOAD, .source = SRC_W32_1000,
	  .meaning = "the service is disabled" },
	{ .value = 0x00000426, .kind = WF_CODE_WIN32, .name = "ERROR_SERVICE_NOT_ACTIVE", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_INTERRUPT, .source = SRC_W32_1000,
	  .meaning = "a service needed by the install stopped (often a shutdown or reboot)" },
	{ .value = 0x00000436, .kind = WF_CODE_WIN32, .name = "ERROR_DUPLICATE_SERVICE_NAME", .role = WF_CODE_CAUSE,
	  .source = SRC_W32_1000,
	  .meaning = "a service (or display) name is already in use" },
	{ .value = 0x0000045B, .kind = WF_CODE_WIN32, .name = "ERROR_SHUTDOWN_IN_PROGRESS", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_INTERRUPT, .source = SRC_W32_1000,
	  .meaning = "a system shutdown is in progress" },
	{ .value = 0x00000490, .kind = WF_CODE_WIN32, .name = "ERROR_NOT_FOUND", .role = WF_CODE_CONTEXT,
	  .source = SRC_W32_1000,
	  .meaning = "element not found" },
	{ .value = 0x000006BE, .kind = WF_CODE_WIN32, .name = "RPC_S_CALL_FAILED", .role = WF_CODE_CAUSE,
	  .source = SRC_W32_1700,
	  .meaning = "a remote procedure call failed (the service on the other end stopped or crashed)" },
	{ .value = 0x000004C7, .kind = WF_CODE_WIN32, .name = "ERROR_CANCELLED", .role = WF_CODE_CAUSE,
	  .source = SRC_W32_1000,
	  .meaning = "the operation was cancelled by the user" },
	{ .value = 0x00000BC2, .kind = WF_CODE_WIN32, .name = "ERROR_SUCCESS_REBOOT_REQUIRED", .role = WF_CODE_NOISE,
	  .source = SRC_W32_1700,
	  .meaning = "success, a reboot is required" },
	{ .value = 0x00000BC3, .kind = WF_CODE_WIN32, .name = "ERROR_SUCCESS_RESTART_REQUIRED", .role = WF_CODE_NOISE,
	  .source = SRC_W32_1700,
	  .meaning = "success, a restart of the device is required" },

	/* --- NTSTATUS problem status (ntstatus.h) ---------------------- */
	{ .value = 0xC00000BB, .kind = WF_CODE_NTSTATUS, .name = "STATUS_NOT_SUPPORTED", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_LOAD, .source = SRC_NTSTATUS,
	  .meaning = "the driver does not support the request" },
	{ .value = 0xC0000034, .kind = WF_CODE_NTSTATUS, .name = "STATUS_OBJECT_NAME_NOT_FOUND", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_LOAD, .source = SRC_NTSTATUS,
	  .meaning = "an object (service, file) was not found" },
	{ .value = 0xC000000E, .kind = WF_CODE_NTSTATUS, .name = "STATUS_NO_SUCH_DEVICE", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_ABSENT, .source = SRC_NTSTATUS,
	  .meaning = "no such device" },
	{ .value = 0xC0000428, .kind = WF_CODE_NTSTATUS, .name = "STATUS_INVALID_IMAGE_HASH", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_SIGNATURE | WF_CODE_LOAD, .source = SRC_NTSTATUS,
	  .meaning = "the driver image's signature is not valid" },
	{ .value = 0xC0000490, .kind = WF_CODE_NTSTATUS, .name = "STATUS_PNP_NO_COMPAT_DRIVERS", .role = WF_CODE_CAUSE,
	  .dm_code = 28, .flags = WF_CODE_NO_DRIVER, .source = SRC_NTSTATUS,
	  .meaning = "no compatible driver for the device" },
	{ .value = 0xC0000491, .kind = WF_CODE_NTSTATUS, .name = "STATUS_PNP_DRIVER_PACKAGE_NOT_FOUND", .role = WF_CODE_CAUSE,
	  .dm_code = 28, .flags = WF_CODE_NO_DRIVER, .source = SRC_NTSTATUS,
	  .meaning = "a driver package the matching INF needs is missing" },
	{ .value = 0xC0000492, .kind = WF_CODE_NTSTATUS, .name = "STATUS_PNP_DRIVER_CONFIGURATION_NOT_FOUND", .role = WF_CODE_CAUSE,
	  .dm_code = 28, .flags = WF_CODE_NO_DRIVER, .source = SRC_NTSTATUS,
	  .meaning = "a configuration the matching INF needs is missing" },
	{ .value = 0xC0000493, .kind = WF_CODE_NTSTATUS, .name = "STATUS_PNP_DRIVER_CONFIGURATION_INCOMPLETE", .role = WF_CODE_CAUSE,
	  .dm_code = 28, .flags = WF_CODE_NO_DRIVER, .source = SRC_NTSTATUS,
	  .meaning = "the driver configuration is incomplete (not pre-configured)" },
	{ .value = 0xC0000494, .kind = WF_CODE_NTSTATUS, .name = "STATUS_PNP_FUNCTION_DRIVER_REQUIRED", .role = WF_CODE_CAUSE,
	  .dm_code = 28, .flags = WF_CODE_NO_DRIVER, .source = SRC_NTSTATUS,
	  .meaning = "the INF sets no function driver service" },
	{ .value = 0xC0000495, .kind = WF_CODE_NTSTATUS, .name = "STATUS_PNP_DEVICE_CONFIGURATION_PENDING", .role = WF_CODE_CONTEXT,
	  .source = SRC_NTSTATUS,
	  .meaning = "the device configuration is pending" },

	/* --- Trust HRESULTs (winerror.h) ------------------------------- */
	{ .value = 0x800B0100, .kind = WF_CODE_HRESULT, .name = "TRUST_E_NOSIGNATURE", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "no signature present" },
	{ .value = 0x800B0101, .kind = WF_CODE_HRESULT, .name = "CERT_E_EXPIRED", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "a certificate has expired or is not yet valid" },
	{ .value = 0x800B0109, .kind = WF_CODE_HRESULT, .name = "CERT_E_UNTRUSTEDROOT", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "the certificate chain ends in an untrusted root" },
	{ .value = 0x800B010A, .kind = WF_CODE_HRESULT, .name = "CERT_E_CHAINING", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "a certificate chain could not be built to a trusted root" },
	{ .value = 0x800B010C, .kind = WF_CODE_HRESULT, .name = "CERT_E_REVOKED", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "a certificate was revoked" },
	{ .value = 0x800B0111, .kind = WF_CODE_HRESULT, .name = "TRUST_E_EXPLICIT_DISTRUST", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "the certificate is explicitly distrusted" },
	{ .value = 0x80096010, .kind = WF_CODE_HRESULT, .name = "TRUST_E_BAD_DIGEST", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST_9,
	  .meaning = "the digital signature of the object did not verify" },
	{ .value = 0x800B0003, .kind = WF_CODE_HRESULT, .name = "TRUST_E_SUBJECT_FORM_UNKNOWN", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "the subject's form is not recognised" },
	{ .value = 0x800B0004, .kind = WF_CODE_HRESULT, .name = "TRUST_E_SUBJECT_NOT_TRUSTED", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "the subject is not trusted for the action (policy)" },
	{ .value = 0x800B010B, .kind = WF_CODE_HRESULT, .name = "TRUST_E_FAIL", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "generic trust failure" },
	{ .value = 0x800B010D, .kind = WF_CODE_HRESULT, .name = "CERT_E_UNTRUSTEDTESTROOT", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "the chain ends in a test root (a test-signed package) that policy does not allow" },
	{ .value = 0x800B010E, .kind = WF_CODE_HRESULT, .name = "CERT_E_REVOCATION_FAILURE", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "revocation could not be checked (often offline)" },
	{ .value = 0x800B0110, .kind = WF_CODE_HRESULT, .name = "CERT_E_WRONG_USAGE", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "the certificate is not valid for this use (e.g. not for code signing)" },
	{ .value = 0x800B0112, .kind = WF_CODE_HRESULT, .name = "CERT_E_UNTRUSTEDCA", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST,
	  .meaning = "an intermediate CA of the chain is not trusted" },
	{ .value = 0x80096004, .kind = WF_CODE_HRESULT, .name = "TRUST_E_CERT_SIGNATURE", .role = WF_CODE_CAUSE,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST_9,
	  .meaning = "the signature of a certificate cannot be verified" },
	{ .value = 0x80096005, .kind = WF_CODE_HRESULT, .name = "TRUST_E_TIME_STAMP", .role = WF_CODE_CONTEXT,
	  .flags = WF_CODE_SIGNATURE, .source = SRC_TRUST_9,
	  .meaning = "the time stamp of the signature could not be verified" },
	/* Seen as a failed install's exit code (FAILURE(0x0000ffff),
	 * "exit(0000ffff)") in installer logs pasted to libwdi's tracker
	 * (pbatard/libwdi#171); no Microsoft page gives it a meaning. */
	{ .value = 0x0000FFFF, .kind = WF_CODE_WIN32, .name = "unnamed code [U]", .role = WF_CODE_CAUSE,
	  .source = "[U] no source found; seen in pbatard/libwdi#171",
	  .meaning = "[U] no source gives this code a meaning; it is the install's own failure code here" },
};

/* CM_PROB_* from cfg.h; problem number N is Device Manager "Code N". */
#define CM(n, nm, mn, fl) { .value = n, .kind = WF_CODE_CM_PROB, .name = nm, .meaning = mn, \
	.dm_code = n, .flags = fl, .role = WF_CODE_CAUSE, .source = SRC_CFG }
static const struct wf_code cmprobs[] = {
	CM(0x01, "CM_PROB_NOT_CONFIGURED", "the device is not configured", WF_CODE_NO_DRIVER),
	CM(0x03, "CM_PROB_OUT_OF_MEMORY", "out of memory", 0),
	CM(0x0A, "CM_PROB_FAILED_START", "the device cannot start (a driver failed START_DEVICE)", WF_CODE_LOAD),
	CM(0x0C, "CM_PROB_NORMAL_CONFLICT", "not enough free resources", 0),
	{ .value = 0x0E, .kind = WF_CODE_CM_PROB, .name = "CM_PROB_NEED_RESTART", .dm_code = 14,
	  .role = WF_CODE_NOISE, .source = SRC_CFG, .meaning = "the device needs a restart" },
	CM(0x12, "CM_PROB_REINSTALL", "the drivers must be reinstalled", WF_CODE_NO_DRIVER),
	CM(0x13, "CM_PROB_REGISTRY", "the registry configuration of the device is bad (service, filters)", WF_CODE_LOAD),
	CM(0x15, "CM_PROB_WILL_BE_REMOVED", "the device is being removed", 0),
	CM(0x16, "CM_PROB_DISABLED", "the device is disabled", 0),
	CM(0x18, "CM_PROB_DEVICE_NOT_THERE", "the device is not present", WF_CODE_ABSENT),
	CM(0x1C, "CM_PROB_FAILED_INSTALL", "the drivers for the device are not installed", WF_CODE_NO_DRIVER),
	CM(0x1D, "CM_PROB_HARDWARE_DISABLED", "the device is disabled by the firmware", 0),
	CM(0x1F, "CM_PROB_FAILED_ADD", "the driver's AddDevice failed", WF_CODE_LOAD),
	CM(0x20, "CM_PROB_DISABLED_SERVICE", "the driver's service is disabled", WF_CODE_LOAD),
	CM(0x25, "CM_PROB_FAILED_DRIVER_ENTRY", "the driver's DriverEntry failed", WF_CODE_LOAD),
	CM(0x26, "CM_PROB_DRIVER_FAILED_PRIOR_UNLOAD", "a previous instance of the driver is still loaded", WF_CODE_LOAD),
	CM(0x27, "CM_PROB_DRIVER_FAILED_LOAD", "the driver could not be loaded (missing, corrupt, wrong build)", WF_CODE_LOAD),
	CM(0x28, "CM_PROB_DRIVER_SERVICE_KEY_INVALID", "the driver's service key is missing or invalid", WF_CODE_LOAD),
	CM(0x29, "CM_PROB_LEGACY_SERVICE_NO_DEVICES", "the driver loaded but found no device", 0),
	CM(0x2A, "CM_PROB_DUPLICATE_DEVICE", "a duplicate device was detected", 0),
	CM(0x2B, "CM_PROB_FAILED_POST_START", "a driver reported the device failed", 0),
	CM(0x2C, "CM_PROB_HALTED", "the device was stopped by an application or service", 0),
	CM(0x2D, "CM_PROB_PHANTOM", "the device is not connected", WF_CODE_ABSENT),
	CM(0x2E, "CM_PROB_SYSTEM_SHUTDOWN", "the system is shutting down", WF_CODE_INTERRUPT),
	CM(0x2F, "CM_PROB_HELD_FOR_EJECT", "prepared for safe removal", 0),
	CM(0x30, "CM_PROB_DRIVER_BLOCKED", "the driver is blocked from starting", WF_CODE_LOAD),
	CM(0x31, "CM_PROB_REGISTRY_TOO_LARGE", "the SYSTEM hive is too large", 0),
	CM(0x32, "CM_PROB_SETPROPERTIES_FAILED", "the device properties could not be applied", 0),
	CM(0x33, "CM_PROB_WAITING_ON_DEPENDENCY", "waiting on another device", 0),
	CM(0x34, "CM_PROB_UNSIGNED_DRIVER", "the driver signature could not be verified", WF_CODE_SIGNATURE | WF_CODE_LOAD),
	CM(0x35, "CM_PROB_USED_BY_DEBUGGER", "reserved by the kernel debugger", 0),
	CM(0x36, "CM_PROB_DEVICE_RESET", "the device is being reset", 0),
	CM(0x37, "CM_PROB_CONSOLE_LOCKED", "the console is locked", 0),
	CM(0x38, "CM_PROB_NEED_CLASS_CONFIG", "the device class needs configuration", 0),
	CM(0x39, "CM_PROB_GUEST_ASSIGNMENT_FAILED", "assignment to a guest partition failed", 0),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t fold(uint32_t v)
{
	if ((v & 0xFFFF0000u) == 0x800F0000u)	/* HRESULT_FROM_SETUPAPI */
		return 0xE0000000u | (v & 0xFFFFu);
	if ((v & 0xFFFF0000u) == 0x80070000u)	/* HRESULT_FROM_WIN32 */
		return v & 0xFFFFu;
	return v;
}

const struct wf_code *wf_code_lookup(uint32_t value)
{
	uint32_t v = fold(value);
	for (size_t i = 0; i < N(codes); i++)
		if (codes[i].value == v)
			return &codes[i];
	return NULL;
}

const struct wf_code *wf_cmprob_lookup(uint32_t problem)
{
	for (size_t i = 0; i < N(cmprobs); i++)
		if (cmprobs[i].value == problem)
			return &cmprobs[i];
	return NULL;
}

const char *wf_code_name(uint32_t value)
{
	static __thread char buf[16];
	const struct wf_code *c = wf_code_lookup(value);
	if (c)
		return c->name;
	snprintf(buf, sizeof buf, "0x%08x", (unsigned)value);
	return buf;
}

unsigned wf_code_flags(uint32_t value)
{
	const struct wf_code *c = wf_code_lookup(value);
	return c ? c->flags : 0;
}

enum wf_code_role wf_code_role(uint32_t value)
{
	const struct wf_code *c = wf_code_lookup(value);
	return c ? c->role : WF_CODE_UNKNOWN;
}

const char *wf_code_role_name(enum wf_code_role r)
{
	switch (r) {
	case WF_CODE_CAUSE: return "cause";
	case WF_CODE_CONTEXT: return "context";
	case WF_CODE_NOISE: return "noise";
	default: return "unknown";
	}
}

unsigned wf_code_table_size(void) { return (unsigned)N(codes); }
unsigned wf_cmprob_table_size(void) { return (unsigned)N(cmprobs); }
const struct wf_code *wf_code_at(unsigned i)
{
	return i < N(codes) ? &codes[i] : NULL;
}

const struct wf_code *wf_cmprob_at(unsigned i)
{
	return i < N(cmprobs) ? &cmprobs[i] : NULL;
}
