/*
 * setupapi_xpmsg.c - the XP setupapi.log message table (see
 * setupapi_xpmsg.h).
 *
 * Sources:
 *  [P] Microsoft, "Troubleshooting Device Installation with the SetupAPI
 *      Log File" (white paper, October 2003, SetupAPILog.doc, once at
 *      microsoft.com/whdc/driver/install/setupapilog.mspx; read in the copy
 *      at ininet.org, "troubleshooting-device-installation-with-the-
 *      setupapi-log-file", the page number given per row).
 *  [F] real XP logs in ../shared/fixtures/setupapi/
 *      carved_fragments_tamu20_xpx64 (the text Windows writes with the id).
 *  [T] a setupapi.log excerpt posted by a user to a drivers newsgroup
 *      (techreplies.com, "UpdateDriverForPlugAndPlayDevices fails with
 *      ERROR_FILE_NOT_FOUND", 2005).
 *  [O] a setupapi.log excerpt posted to the OSR developer forum
 *      (community.osr.com, "Error 1168", 2012): the text Windows writes
 *      with #E358 ("An unsigned or incorrectly signed file "..." for
 *      driver "..." blocked (server install)"), then #E122 device install
 *      failed and #E157 default installer failed, in a section run by
 *      services.exe (#-198: server-side).
 *  [K] Microsoft KB 840257, "You cannot install programs with unsigned
 *      drivers in non-interactive mode in Windows Server 2003 or in
 *      Windows XP" (read in the copy of ftp.microsoft.com/MISC/KB at
 *      ftp.zx.net.nz): a non-interactive (unattended) install refuses
 *      driver files not signed by Microsoft (WHQL catalog).
 *  [U] no source found: the id is known to appear in pastes but its
 *      meaning is not stated by any source we could read; the row says so
 *      instead of guessing.
 * Meanings are our own one-line summaries.
 */
#include "setupapi_xpmsg.h"

#include <stddef.h>

static const struct wf_xp_msg msgs[] = {
	{ .sev = '-', .id = 198, .role = WF_XP_ROLE_CONTEXT,
	  .meaning = "command line processed: services.exe here means a server-side (unattended, no prompt possible) install",
	  .source = "[P] p.32 (6.1, INF modified but not re-signed)" },
	{ .sev = 'I', .id = 22, .role = WF_XP_ROLE_OK,
	  .meaning = "a matching INF was found for the device",
	  .source = "[T], [F]" },
	{ .sev = 'I', .id = 63, .role = WF_XP_ROLE_OK,
	  .meaning = "the driver selected installs from this INF section",
	  .source = "[T], [F]" },
	{ .sev = 'I', .id = 87, .role = WF_XP_ROLE_NOISE,
	  .meaning = "driver node not trusted (unsigned): its rank was lowered; an install can still go on",
	  .source = "[T]" },
	{ .sev = 'I', .id = 121, .role = WF_XP_ROLE_OK,
	  .meaning = "device install finished successfully",
	  .source = "[P] p.26 (4.10, installing the device)" },
	{ .sev = 'I', .id = 123, .role = WF_XP_ROLE_OK,
	  .meaning = "full install of the device begins",
	  .source = "[P] p.26" },
	{ .sev = 'I', .id = 125, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "the NULL driver is installed: the device gets no function driver",
	  .source = "[F]" },
	{ .sev = 'I', .id = 141, .role = WF_XP_ROLE_OK,
	  .meaning = "device setup class installed with no errors",
	  .source = "[P] p.5 (3, class installation sections)" },
	{ .sev = 'W', .id = 59, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "selecting the best compatible driver failed (no compatible driver: Code 28)",
	  .source = "[F]" },
	{ .sev = 'W', .id = 82, .role = WF_XP_ROLE_NOISE,
	  .meaning = "an INF has no non-empty service section (normal for software-only network components)",
	  .source = "[F]" },
	{ .sev = 'W', .id = 100, .role = WF_XP_ROLE_NOISE,
	  .meaning = "query-removal during the install was vetoed: a reboot finishes it",
	  .source = "[F]" },
	{ .sev = 'W', .id = 102, .role = WF_XP_ROLE_NOISE,
	  .meaning = "the device's INF section asks for a reboot (\"Reboot\" in the section): the install finished",
	  .source = "[F] (followed by #I121 finished successfully)" },
	{ .sev = 'W', .id = 313, .role = WF_XP_ROLE_NOISE,
	  .meaning = "a file to copy is also to be deleted, so it is copied without decompression",
	  .source = "[F] (Windows setup, setup -newsetup)" },
	{ .sev = 'W', .id = 374, .role = WF_XP_ROLE_NOISE,
	  .meaning = "the signature check was skipped for a file being registered (RegisterDlls)",
	  .source = "[F] (Windows setup, healthy)" },
	{ .sev = 'W', .id = 400, .role = WF_XP_ROLE_NOISE,
	  .meaning = "a driver did not unload: a reboot finishes the change",
	  .source = "[F]" },
	{ .sev = 'W', .id = 424, .role = WF_XP_ROLE_NOISE,
	  .meaning = "DllRegisterServer of an OLE control succeeded with a non-zero HRESULT",
	  .source = "[F] (the line says \"succeeded\")" },
	{ .sev = 'W', .id = 104, .role = WF_XP_ROLE_NOISE,
	  .meaning = "the device needs a reboot to finish its install",
	  .source = "[F]" },
	{ .sev = 'W', .id = 157, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "the default installer failed (warning form of #E157)",
	  .source = "[F]" },
	{ .sev = 'W', .id = 383, .role = WF_XP_ROLE_NOISE,
	  .meaning = "[U] no source found for this id's meaning",
	  .source = "[U]" },
	{ .sev = 'E', .id = 99, .role = WF_XP_ROLE_NOISE,
	  .meaning = "writing a file into the INF folder \"can cause problems\" (logged as E during a healthy Windows setup)",
	  .source = "[F] (setup -newsetup, no failure follows)" },
	{ .sev = 'E', .id = 122, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "device install failed; the error code on the line says why",
	  .source = "[F]" },
	{ .sev = 'E', .id = 142, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "installing a device setup class failed",
	  .source = "[P] p.5" },
	{ .sev = 'E', .id = 144, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "loading a class installer or co-installer DLL failed (e.g. not a valid Win32 image)",
	  .source = "[P] p.11 (4.3, loading class installers and co-installers)" },
	{ .sev = 'E', .id = 154, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "the class installer failed or refused the install (DIF_ALLOW_INSTALL)",
	  .source = "[P] p.15 (4.6, allowing installation); [T]" },
	{ .sev = 'E', .id = 157, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "the default installer failed",
	  .source = "[F]" },
	{ .sev = 'E', .id = 243, .role = WF_XP_ROLE_CONTEXT,
	  .meaning = "an exemption was obtained from Windows File Protection to replace a protected system file (logged as E, not a failure)",
	  .source = "[P] p.40 (replacing protected system files)" },
	{ .sev = 'E', .id = 245, .role = WF_XP_ROLE_CONTEXT,
	  .meaning = "the driver-signing policy was raised from Ignore to Warn because a protected system file is replaced",
	  .source = "[P] p.40" },
	{ .sev = 'E', .id = 358, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "an unsigned or incorrectly signed driver file was blocked: a server-side (unattended) install takes only drivers signed by Microsoft (WHQL)",
	  .source = "[O] (the words of the line, #E122 after it); [K] KB 840257" },
	/* #E362 and #W383: looked for in [P], Microsoft Learn's "SetupAPI
	 * Logging (Windows Server 2003, Windows XP, and Windows 2000)" and
	 * its sample log, KB articles and forum pastes (2026-12): no text
	 * or meaning found */
	{ .sev = 'E', .id = 362, .role = WF_XP_ROLE_CAUSE,
	  .meaning = "[U] no source found for this id's meaning",
	  .source = "[U]" },
};

const struct wf_xp_msg *wf_xp_msg_lookup(char sev, unsigned id)
{
	for (size_t i = 0; i < sizeof msgs / sizeof *msgs; i++)
		if (msgs[i].id == id && (msgs[i].sev == sev || sev == 'V' || sev == 'T'))
			return &msgs[i];
	return NULL;
}

unsigned wf_xp_msg_count(void)
{
	return (unsigned)(sizeof msgs / sizeof *msgs);
}

const struct wf_xp_msg *wf_xp_msg_at(unsigned i)
{
	return i < wf_xp_msg_count() ? &msgs[i] : NULL;
}
