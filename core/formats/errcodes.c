/*
 * errcodes.c - the error-code table (see errcodes.h).
 *
 * Sources, checked against the text of each header / page:
 *  - SetupAPI errors: Windows SDK setupapi.h, "_SPAPI_ERRORS" block, where
 *    each code is APPLICATION_ERROR_MASK|ERROR_SEVERITY_ERROR|n = 0xE0000000|n;
 *    the same list is in Wine's include/setupapi.h and in Go's
 *    golang.org/x/sys/windows/setupapierrors_windows.go.
 *  - CM_PROB_* numbers: Wine include/cfg.h (= SDK cfg.h); their Device
 *    Manager codes and texts: Microsoft Learn, "Device Manager error
 *    messages" and the per-code pages install/cm-prob-*.
 *  - Problem status 0xC0000490..0xC0000495: ntstatus.h and the Microsoft
 *    Learn page for Code 28 (cm-prob-failed-install).
 *  - Trust HRESULTs 0x800B01xx: winerror.h.
 *  - Win32 codes: winerror.h.
 * Meanings are our own one-line summaries, not the SDK text.
 */
#include "errcodes.h"

#include <stddef.h>
#include <stdio.h>

#define SP(n) (0xE0000000u | (n))

static const struct wf_code codes[] = {
	/* --- SetupAPI (setupapi.h) ------------------------------------- */
	{ SP(0x000), WF_CODE_SETUPAPI, "ERROR_EXPECTED_SECTION_NAME", "INF syntax: a section name was expected", 0, 0 },
	{ SP(0x001), WF_CODE_SETUPAPI, "ERROR_BAD_SECTION_NAME_LINE", "INF syntax: bad section name line", 0, 0 },
	{ SP(0x002), WF_CODE_SETUPAPI, "ERROR_SECTION_NAME_TOO_LONG", "INF syntax: section name too long", 0, 0 },
	{ SP(0x003), WF_CODE_SETUPAPI, "ERROR_GENERAL_SYNTAX", "INF syntax error", 0, 0 },
	{ SP(0x100), WF_CODE_SETUPAPI, "ERROR_WRONG_INF_STYLE", "the INF is not in the expected style", 0, 0 },
	{ SP(0x101), WF_CODE_SETUPAPI, "ERROR_SECTION_NOT_FOUND", "an INF section was not found", 0, 0 },
	{ SP(0x102), WF_CODE_SETUPAPI, "ERROR_LINE_NOT_FOUND", "a required INF line was not found", 0, 0 },
	{ SP(0x103), WF_CODE_SETUPAPI, "ERROR_NO_BACKUP", "no backup of the files was made", 0, 0 },
	{ SP(0x200), WF_CODE_SETUPAPI, "ERROR_NO_ASSOCIATED_CLASS", "the INF or device has no setup class", 0, 0 },
	{ SP(0x201), WF_CODE_SETUPAPI, "ERROR_CLASS_MISMATCH", "the device class does not match the INF class", 0, 0 },
	{ SP(0x202), WF_CODE_SETUPAPI, "ERROR_DUPLICATE_FOUND", "a duplicate device was found", 0, 0 },
	{ SP(0x203), WF_CODE_SETUPAPI, "ERROR_NO_DRIVER_SELECTED", "no driver was selected for the device", 0, WF_CODE_NO_DRIVER },
	{ SP(0x204), WF_CODE_SETUPAPI, "ERROR_KEY_DOES_NOT_EXIST", "a requested registry key does not exist", 0, 0 },
	{ SP(0x205), WF_CODE_SETUPAPI, "ERROR_INVALID_DEVINST_NAME", "invalid device instance name", 0, 0 },
	{ SP(0x206), WF_CODE_SETUPAPI, "ERROR_INVALID_CLASS", "invalid device setup class", 0, 0 },
	{ SP(0x207), WF_CODE_SETUPAPI, "ERROR_DEVINST_ALREADY_EXISTS", "the device instance already exists", 0, 0 },
	{ SP(0x208), WF_CODE_SETUPAPI, "ERROR_DEVINFO_NOT_REGISTERED", "the device information element is not registered", 0, 0 },
	{ SP(0x209), WF_CODE_SETUPAPI, "ERROR_INVALID_REG_PROPERTY", "invalid device registry property", 0, 0 },
	{ SP(0x20A), WF_CODE_SETUPAPI, "ERROR_NO_INF", "the INF was not found", 0, 0 },
	{ SP(0x20B), WF_CODE_SETUPAPI, "ERROR_NO_SUCH_DEVINST", "no such device instance: the device is not present", 0, WF_CODE_ABSENT },
	{ SP(0x20C), WF_CODE_SETUPAPI, "ERROR_CANT_LOAD_CLASS_ICON", "the class icon could not be loaded", 0, 0 },
	{ SP(0x20D), WF_CODE_SETUPAPI, "ERROR_INVALID_CLASS_INSTALLER", "invalid class installer", 0, 0 },
	{ SP(0x20E), WF_CODE_SETUPAPI, "ERROR_DI_DO_DEFAULT", "use the default handler (normal DIF return)", 0, WF_CODE_BENIGN },
	{ SP(0x20F), WF_CODE_SETUPAPI, "ERROR_DI_NOFILECOPY", "no file copy needed (normal DIF return)", 0, WF_CODE_BENIGN },
	{ SP(0x210), WF_CODE_SETUPAPI, "ERROR_INVALID_HWPROFILE", "invalid hardware profile", 0, 0 },
	{ SP(0x211), WF_CODE_SETUPAPI, "ERROR_NO_DEVICE_SELECTED", "no device is selected", 0, 0 },
	{ SP(0x212), WF_CODE_SETUPAPI, "ERROR_DEVINFO_LIST_LOCKED", "the device information set is locked", 0, 0 },
	{ SP(0x213), WF_CODE_SETUPAPI, "ERROR_DEVINFO_DATA_LOCKED", "the device information element is locked", 0, 0 },
	{ SP(0x214), WF_CODE_SETUPAPI, "ERROR_DI_BAD_PATH", "invalid path to the driver files", 0, 0 },
	{ SP(0x215), WF_CODE_SETUPAPI, "ERROR_NO_CLASSINSTALL_PARAMS", "no class install parameters", 0, 0 },
	{ SP(0x216), WF_CODE_SETUPAPI, "ERROR_FILEQUEUE_LOCKED", "the file queue is locked", 0, 0 },
	{ SP(0x217), WF_CODE_SETUPAPI, "ERROR_BAD_SERVICE_INSTALLSECT", "bad service install section in the INF", 0, 0 },
	{ SP(0x218), WF_CODE_SETUPAPI, "ERROR_NO_CLASS_DRIVER_LIST", "no class driver list", 0, 0 },
	{ SP(0x219), WF_CODE_SETUPAPI, "ERROR_NO_ASSOCIATED_SERVICE", "no function driver (service) was specified for the device", 0, WF_CODE_NO_DRIVER },
	{ SP(0x21A), WF_CODE_SETUPAPI, "ERROR_NO_DEFAULT_DEVICE_INTERFACE", "no default device interface", 0, 0 },
	{ SP(0x21B), WF_CODE_SETUPAPI, "ERROR_DEVICE_INTERFACE_ACTIVE", "the device interface is active", 0, 0 },
	{ SP(0x21C), WF_CODE_SETUPAPI, "ERROR_DEVICE_INTERFACE_REMOVED", "the device interface was removed", 0, 0 },
	{ SP(0x21D), WF_CODE_SETUPAPI, "ERROR_BAD_INTERFACE_INSTALLSECT", "bad interface install section in the INF", 0, 0 },
	{ SP(0x21E), WF_CODE_SETUPAPI, "ERROR_NO_SUCH_INTERFACE_CLASS", "no such interface class", 0, 0 },
	{ SP(0x21F), WF_CODE_SETUPAPI, "ERROR_INVALID_REFERENCE_STRING", "invalid reference string", 0, 0 },
	{ SP(0x220), WF_CODE_SETUPAPI, "ERROR_INVALID_MACHINENAME", "invalid machine name", 0, 0 },
	{ SP(0x221), WF_CODE_SETUPAPI, "ERROR_REMOTE_COMM_FAILURE", "remote communication failure", 0, 0 },
	{ SP(0x222), WF_CODE_SETUPAPI, "ERROR_MACHINE_UNAVAILABLE", "machine unavailable", 0, 0 },
	{ SP(0x223), WF_CODE_SETUPAPI, "ERROR_NO_CONFIGMGR_SERVICES", "the Plug and Play service is not available", 0, WF_CODE_INTERRUPT },
	{ SP(0x224), WF_CODE_SETUPAPI, "ERROR_INVALID_PROPPAGE_PROVIDER", "invalid property page provider", 0, 0 },
	{ SP(0x225), WF_CODE_SETUPAPI, "ERROR_NO_SUCH_DEVICE_INTERFACE", "no such device interface", 0, 0 },
	{ SP(0x226), WF_CODE_SETUPAPI, "ERROR_DI_POSTPROCESSING_REQUIRED", "post-processing required (normal DIF return)", 0, WF_CODE_BENIGN },
	{ SP(0x227), WF_CODE_SETUPAPI, "ERROR_INVALID_COINSTALLER", "invalid co-installer", 0, 0 },
	{ SP(0x228), WF_CODE_SETUPAPI, "ERROR_NO_COMPAT_DRIVERS", "no compatible driver for this device (no INF matches its IDs)", 28, WF_CODE_NO_DRIVER },
	{ SP(0x229), WF_CODE_SETUPAPI, "ERROR_NO_DEVICE_ICON", "no device icon", 0, 0 },
	{ SP(0x22A), WF_CODE_SETUPAPI, "ERROR_INVALID_INF_LOGCONFIG", "invalid LogConfig in the INF", 0, 0 },
	{ SP(0x22B), WF_CODE_SETUPAPI, "ERROR_DI_DONT_INSTALL", "a class installer said: do not install", 0, 0 },
	{ SP(0x22C), WF_CODE_SETUPAPI, "ERROR_INVALID_FILTER_DRIVER", "invalid filter driver", 0, 0 },
	{ SP(0x22D), WF_CODE_SETUPAPI, "ERROR_NON_WINDOWS_NT_DRIVER", "the driver is not for Windows NT", 0, 0 },
	{ SP(0x22E), WF_CODE_SETUPAPI, "ERROR_NON_WINDOWS_DRIVER", "the driver is not for Windows", 0, 0 },
	{ SP(0x22F), WF_CODE_SETUPAPI, "ERROR_NO_CATALOG_FOR_OEM_INF", "the third-party INF has no catalog (unsigned package)", 0, WF_CODE_SIGNATURE },
	{ SP(0x230), WF_CODE_SETUPAPI, "ERROR_DEVINSTALL_QUEUE_NONNATIVE", "non-native file queue", 0, 0 },
	{ SP(0x231), WF_CODE_SETUPAPI, "ERROR_NOT_DISABLEABLE", "the device cannot be disabled", 0, 0 },
	{ SP(0x232), WF_CODE_SETUPAPI, "ERROR_CANT_REMOVE_DEVINST", "the device instance cannot be removed", 0, 0 },
	{ SP(0x233), WF_CODE_SETUPAPI, "ERROR_INVALID_TARGET", "invalid target", 0, 0 },
	{ SP(0x234), WF_CODE_SETUPAPI, "ERROR_DRIVER_NONNATIVE", "the driver is for another processor architecture", 0, WF_CODE_NO_DRIVER },
	{ SP(0x235), WF_CODE_SETUPAPI, "ERROR_IN_WOW64", "the install was attempted from a 32-bit process on 64-bit Windows", 0, 0 },
	{ SP(0x236), WF_CODE_SETUPAPI, "ERROR_SET_SYSTEM_RESTORE_POINT", "a system restore point could not be set", 0, 0 },
	{ SP(0x238), WF_CODE_SETUPAPI, "ERROR_SCE_DISABLED", "the security configuration engine is disabled", 0, 0 },
	{ SP(0x239), WF_CODE_SETUPAPI, "ERROR_UNKNOWN_EXCEPTION", "an unknown exception happened during install", 0, 0 },
	{ SP(0x23A), WF_CODE_SETUPAPI, "ERROR_PNP_REGISTRY_ERROR", "Plug and Play registry error", 0, 0 },
	{ SP(0x23B), WF_CODE_SETUPAPI, "ERROR_REMOTE_REQUEST_UNSUPPORTED", "remote request unsupported", 0, 0 },
	{ SP(0x23C), WF_CODE_SETUPAPI, "ERROR_NOT_AN_INSTALLED_OEM_INF", "not an installed OEM INF", 0, 0 },
	{ SP(0x23D), WF_CODE_SETUPAPI, "ERROR_INF_IN_USE_BY_DEVICES", "the INF is in use by devices", 0, 0 },
	{ SP(0x23E), WF_CODE_SETUPAPI, "ERROR_DI_FUNCTION_OBSOLETE", "obsolete device installation function", 0, 0 },
	{ SP(0x23F), WF_CODE_SETUPAPI, "ERROR_NO_AUTHENTICODE_CATALOG", "no valid Authenticode catalog for the package", 0, WF_CODE_SIGNATURE },
	{ SP(0x240), WF_CODE_SETUPAPI, "ERROR_AUTHENTICODE_DISALLOWED", "Authenticode signing is not allowed for this package", 0, WF_CODE_SIGNATURE },
	{ SP(0x241), WF_CODE_SETUPAPI, "ERROR_AUTHENTICODE_TRUSTED_PUBLISHER", "signed by a publisher already trusted (informational)", 0, WF_CODE_SIGNATURE | WF_CODE_BENIGN },
	{ SP(0x242), WF_CODE_SETUPAPI, "ERROR_AUTHENTICODE_TRUST_NOT_ESTABLISHED", "the catalog publisher is not yet trusted", 0, WF_CODE_SIGNATURE },
	{ SP(0x243), WF_CODE_SETUPAPI, "ERROR_AUTHENTICODE_PUBLISHER_NOT_TRUSTED", "the catalog publisher is not trusted", 0, WF_CODE_SIGNATURE },
	{ SP(0x244), WF_CODE_SETUPAPI, "ERROR_SIGNATURE_OSATTRIBUTE_MISMATCH", "the catalog is not valid for this Windows version", 0, WF_CODE_SIGNATURE },
	{ SP(0x245), WF_CODE_SETUPAPI, "ERROR_ONLY_VALIDATE_VIA_AUTHENTICODE", "only Authenticode validation is possible", 0, WF_CODE_SIGNATURE },
	{ SP(0x246), WF_CODE_SETUPAPI, "ERROR_DEVICE_INSTALLER_NOT_READY", "the device installer is not ready (setup still running)", 0, WF_CODE_INTERRUPT },
	{ SP(0x247), WF_CODE_SETUPAPI, "ERROR_DRIVER_STORE_ADD_FAILED", "adding the package to the driver store failed", 0, WF_CODE_STORE },
	{ SP(0x248), WF_CODE_SETUPAPI, "ERROR_DEVICE_INSTALL_BLOCKED", "device install blocked by policy", 0, 0 },
	{ SP(0x249), WF_CODE_SETUPAPI, "ERROR_DRIVER_INSTALL_BLOCKED", "driver install blocked by policy", 0, 0 },
	{ SP(0x24A), WF_CODE_SETUPAPI, "ERROR_WRONG_INF_TYPE", "wrong INF type", 0, 0 },
	{ SP(0x24B), WF_CODE_SETUPAPI, "ERROR_FILE_HASH_NOT_IN_CATALOG", "a file's hash is not in the catalog", 0, WF_CODE_SIGNATURE },
	{ SP(0x24C), WF_CODE_SETUPAPI, "ERROR_DRIVER_STORE_DELETE_FAILED", "deleting a package from the driver store failed", 0, WF_CODE_STORE },
	{ SP(0x300), WF_CODE_SETUPAPI, "ERROR_UNRECOVERABLE_STACK_OVERFLOW", "unrecoverable stack overflow in setup", 0, 0 },
	{ SP(0x1000), WF_CODE_SETUPAPI, "ERROR_NOT_INSTALLED", "not installed (Win9x migration DLL code)", 0, 0 },

	/* --- Win32 (winerror.h) ---------------------------------------- */
	{ 0x00000002, WF_CODE_WIN32, "ERROR_FILE_NOT_FOUND", "a file was not found", 0, 0 },
	{ 0x00000003, WF_CODE_WIN32, "ERROR_PATH_NOT_FOUND", "a path was not found", 0, 0 },
	{ 0x00000005, WF_CODE_WIN32, "ERROR_ACCESS_DENIED", "access denied", 0, 0 },
	{ 0x0000000D, WF_CODE_WIN32, "ERROR_INVALID_DATA", "invalid data", 0, 0 },
	{ 0x00000020, WF_CODE_WIN32, "ERROR_SHARING_VIOLATION", "the file is in use by another process", 0, 0 },
	{ 0x00000057, WF_CODE_WIN32, "ERROR_INVALID_PARAMETER", "invalid parameter", 0, 0 },
	{ 0x00000070, WF_CODE_WIN32, "ERROR_DISK_FULL", "the disk is full", 0, 0 },
	{ 0x00000103, WF_CODE_WIN32, "ERROR_NO_MORE_ITEMS", "no more items", 0, 0 },
	{ 0x00000422, WF_CODE_WIN32, "ERROR_SERVICE_DISABLED", "the service is disabled", 0, WF_CODE_LOAD },
	{ 0x00000426, WF_CODE_WIN32, "ERROR_SERVICE_NOT_ACTIVE", "a service needed by the install stopped (often a shutdown or reboot)", 0, WF_CODE_INTERRUPT },
	{ 0x00000436, WF_CODE_WIN32, "ERROR_DUPLICATE_SERVICE_NAME", "a service (or display) name is already in use", 0, 0 },
	{ 0x0000045B, WF_CODE_WIN32, "ERROR_SHUTDOWN_IN_PROGRESS", "a system shutdown is in progress", 0, WF_CODE_INTERRUPT },
	{ 0x00000490, WF_CODE_WIN32, "ERROR_NOT_FOUND", "element not found", 0, 0 },
	/* 1726; Microsoft Learn, System Error Codes (1700-3999) */
	{ 0x000006BE, WF_CODE_WIN32, "RPC_S_CALL_FAILED", "a remote procedure call failed (the service on the other end stopped or crashed)", 0, 0 },
	{ 0x000004C7, WF_CODE_WIN32, "ERROR_CANCELLED", "the operation was cancelled by the user", 0, 0 },
	{ 0x00000BC2, WF_CODE_WIN32, "ERROR_SUCCESS_REBOOT_REQUIRED", "success, a reboot is required", 0, WF_CODE_BENIGN },
	{ 0x00000BC3, WF_CODE_WIN32, "ERROR_SUCCESS_RESTART_REQUIRED", "success, a restart of the device is required", 0, WF_CODE_BENIGN },

	/* --- NTSTATUS problem status (ntstatus.h) ------------------------ */
	{ 0xC00000BB, WF_CODE_NTSTATUS, "STATUS_NOT_SUPPORTED", "the driver does not support the request", 0, WF_CODE_LOAD },
	{ 0xC0000034, WF_CODE_NTSTATUS, "STATUS_OBJECT_NAME_NOT_FOUND", "an object (service, file) was not found", 0, WF_CODE_LOAD },
	{ 0xC000000E, WF_CODE_NTSTATUS, "STATUS_NO_SUCH_DEVICE", "no such device", 0, WF_CODE_ABSENT },
	{ 0xC0000428, WF_CODE_NTSTATUS, "STATUS_INVALID_IMAGE_HASH", "the driver image's signature is not valid", 0, WF_CODE_SIGNATURE | WF_CODE_LOAD },
	{ 0xC0000490, WF_CODE_NTSTATUS, "STATUS_PNP_NO_COMPAT_DRIVERS", "no compatible driver for the device", 28, WF_CODE_NO_DRIVER },
	{ 0xC0000491, WF_CODE_NTSTATUS, "STATUS_PNP_DRIVER_PACKAGE_NOT_FOUND", "a driver package the matching INF needs is missing", 28, WF_CODE_NO_DRIVER },
	{ 0xC0000492, WF_CODE_NTSTATUS, "STATUS_PNP_DRIVER_CONFIGURATION_NOT_FOUND", "a configuration the matching INF needs is missing", 28, WF_CODE_NO_DRIVER },
	{ 0xC0000493, WF_CODE_NTSTATUS, "STATUS_PNP_DRIVER_CONFIGURATION_INCOMPLETE", "the driver configuration is incomplete (not pre-configured)", 28, WF_CODE_NO_DRIVER },
	{ 0xC0000494, WF_CODE_NTSTATUS, "STATUS_PNP_FUNCTION_DRIVER_REQUIRED", "the INF sets no function driver service", 28, WF_CODE_NO_DRIVER },
	{ 0xC0000495, WF_CODE_NTSTATUS, "STATUS_PNP_DEVICE_CONFIGURATION_PENDING", "the device configuration is pending", 0, 0 },

	/* --- Trust HRESULTs (winerror.h) ------------------------------- */
	{ 0x800B0100, WF_CODE_HRESULT, "TRUST_E_NOSIGNATURE", "no signature present", 0, WF_CODE_SIGNATURE },
	{ 0x800B0101, WF_CODE_HRESULT, "CERT_E_EXPIRED", "a certificate has expired or is not yet valid", 0, WF_CODE_SIGNATURE },
	{ 0x800B0109, WF_CODE_HRESULT, "CERT_E_UNTRUSTEDROOT", "the certificate chain ends in an untrusted root", 0, WF_CODE_SIGNATURE },
	{ 0x800B010A, WF_CODE_HRESULT, "CERT_E_CHAINING", "a certificate chain could not be built to a trusted root", 0, WF_CODE_SIGNATURE },
	{ 0x800B010C, WF_CODE_HRESULT, "CERT_E_REVOKED", "a certificate was revoked", 0, WF_CODE_SIGNATURE },
	{ 0x800B0111, WF_CODE_HRESULT, "TRUST_E_EXPLICIT_DISTRUST", "the certificate is explicitly distrusted", 0, WF_CODE_SIGNATURE },
	{ 0x80096010, WF_CODE_HRESULT, "TRUST_E_BAD_DIGEST", "the digital signature of the object did not verify", 0, WF_CODE_SIGNATURE },
	{ 0x800B0003, WF_CODE_HRESULT, "TRUST_E_SUBJECT_FORM_UNKNOWN", "the subject's form is not recognised", 0, WF_CODE_SIGNATURE },
};

/* CM_PROB_* from cfg.h; problem number N is Device Manager "Code N". */
#define CM(n, name, meaning, fl) { n, WF_CODE_CM_PROB, name, meaning, n, fl }
static const struct wf_code cmprobs[] = {
	CM(0x01, "CM_PROB_NOT_CONFIGURED", "the device is not configured", WF_CODE_NO_DRIVER),
	CM(0x03, "CM_PROB_OUT_OF_MEMORY", "out of memory", 0),
	CM(0x0A, "CM_PROB_FAILED_START", "the device cannot start (a driver failed START_DEVICE)", WF_CODE_LOAD),
	CM(0x0C, "CM_PROB_NORMAL_CONFLICT", "not enough free resources", 0),
	CM(0x0E, "CM_PROB_NEED_RESTART", "the device needs a restart", WF_CODE_BENIGN),
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

unsigned wf_code_table_size(void) { return (unsigned)N(codes); }
unsigned wf_cmprob_table_size(void) { return (unsigned)N(cmprobs); }
const struct wf_code *wf_code_at(unsigned i)
{
	return i < N(codes) ? &codes[i] : NULL;
}
