/*
 * firstboot.c - the first-boot installer (see firstboot.h).
 *
 * pnputil syntax: "/add-driver <inf> /install" exists from Windows 10
 * 1607 (build 14393); Vista to 10 1511 have "-i -a <inf>" (MS pnputil
 * documentation; anchors-and-recipes.md §1 defect 7).  Exit 3010 =
 * ERROR_SUCCESS_REBOOT_REQUIRED, 259 = ERROR_NO_MORE_ITEMS (no device
 * present for the INF: not a failure; virt-v2v accepts it too, §3.2).
 * DevicePath is a REG_EXPAND_SZ list of folders PnP searches (virt-v2v
 * appends its staging folder, virtio-injection-virt-v2v.md §3.3).
 */
#include "firstboot.h"
#include "fixes.h"
#include "hive.h"
#include "plan.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Run by wfboot.exe (win/wfboot.c) from its own folder; the exit code
 * tells it what happened: 0 all installed, 3010 installed and Windows
 * must restart, 1 some failed (it tries again at the next boot). */
static const char *const script_lines[] = {
	"@echo off",
	"rem virt-winfix first-boot driver installer, written by \"virt-winfix fix\".",
	"rem Run by the " WF_FIRSTBOOT_SERVICE " service (wfboot.exe, at most @TRIES@ times):",
	"rem installs every driver staged in drivers\\ beside it, logs to firstboot.log.",
	"rem Exit code 0: all installed; 3010: installed, restart needed; 1: some failed.",
	"setlocal enableextensions",
	"set WF=%~dp0",
	"set LOG=%WF%firstboot.log",
	"set FAILED=0",
	"set REBOOT=0",
	">>\"%LOG%\" echo [%DATE% %TIME%] firstboot.cmd: installing the drivers in %WF%drivers",
	"for /r \"%WF%drivers\" %%i in (*.inf) do call :install \"%%i\"",
	"if not \"%FAILED%\"==\"0\" exit /b 1",
	"if \"%REBOOT%\"==\"1\" exit /b 3010",
	"exit /b 0",
	":install",
	">>\"%LOG%\" echo installing %~1",
	"@PNPUTIL@ >>\"%LOG%\" 2>&1",
	"set RC=%ERRORLEVEL%",
	">>\"%LOG%\" echo   exit code %RC%",
	"if \"%RC%\"==\"3010\" set REBOOT=1",
	"if \"%RC%\"==\"3010\" exit /b 0",
	"if \"%RC%\"==\"259\" exit /b 0",
	"if not \"%RC%\"==\"0\" set FAILED=1",
	"exit /b 0",
};

static void add_line(struct wf_strbuf *sb, const char *line, unsigned build)
{
	const char *pnp = build >= 14393 ? "pnputil /add-driver \"%~1\" /install" : "pnputil -i -a \"%~1\"";
	for (const char *p = line; *p;) {
		if (strncmp(p, "@TRIES@", 7) == 0) {
			wf_sb_addf(sb, "%d", WF_FIRSTBOOT_TRIES);
			p += 7;
		} else if (strncmp(p, "@PNPUTIL@", 9) == 0) {
			wf_sb_adds(sb, pnp);
			p += 9;
		} else {
			wf_sb_addc(sb, *p++);
		}
	}
	wf_sb_adds(sb, "\r\n");
}

char *wf_firstboot_script(unsigned build)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (size_t i = 0; i < sizeof script_lines / sizeof script_lines[0]; i++)
		add_line(&sb, script_lines[i], build);
	return wf_sb_detach(&sb);
}

/* "C:" from SOFTWARE's SystemRoot ("C:\\Windows"): the drive letter the
 * guest gives its system volume, where /virt-winfix is.  "C:" (with a
 * note) when SOFTWARE has none. */
static void system_drive(struct wf_fixctx *c, struct wf_plan *p, const char *fix, char out[3])
{
	char *root = c->software ? wf_hive_get_string(c->software,
			wf_hive_lookup(c->software, "Microsoft\\Windows NT\\CurrentVersion"), "SystemRoot")
			: NULL;
	int ok = root && ((root[0] >= 'A' && root[0] <= 'Z') || (root[0] >= 'a' && root[0] <= 'z')) &&
		 root[1] == ':';
	out[0] = ok ? (char)(root[0] & ~0x20) : 'C';
	out[1] = ':';
	out[2] = 0;
	if (!ok)
		wf_plan_note(p, "%s: SOFTWARE names no SystemRoot drive; the first-boot service is "
			     "registered on C:", fix);
	free(root);
}

static void plan_file(struct wf_fixctx *c, struct wf_plan *p, const char *guest,
		      const void *data, size_t len, const char *fix)
{
	uint64_t sz = 0;
	int there = c->probe && c->probe(c->ud, guest, &sz) == 1;
	wf_plan_write_file(p, guest, data, len, there, sz, fix);
}

int wf_firstboot_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      struct wf_error *e)
{
	if (wf_winver_code(c->ver) < WF_WINVER(6, 0))
		return 0;
	const unsigned char *exe;
	size_t exe_len;
	if (wf_firstboot_program(c->ver->arch, &exe, &exe_len) < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: no first-boot service for %s Windows "
				    "(virt-winfix builds it for x86 and x64)", fix, c->ver->arch);
	plan_file(c, p, WF_FIRSTBOOT_DIR "/" WF_FIRSTBOOT_EXE, exe, exe_len, fix);
	char *text = wf_firstboot_script(c->ver->build);
	plan_file(c, p, WF_FIRSTBOOT_DIR "/firstboot.cmd", text, strlen(text), fix);
	free(text);
	uint64_t sz;	/* a count left by an earlier run starts again at 0 */
	if (c->probe && c->probe(c->ud, WF_FIRSTBOOT_DIR "/firstboot.tries", &sz) == 1)
		plan_file(c, p, WF_FIRSTBOOT_DIR "/firstboot.tries", "0\r\n", 3, fix);
	char drive[3];
	system_drive(c, p, fix, drive);
	char *image = wf_xasprintf("\"%s\\virt-winfix\\" WF_FIRSTBOOT_EXE "\" %d", drive,
				   WF_FIRSTBOOT_TRIES);
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	for (size_t i = 0; i < n; i++) {
		char *k = wf_xasprintf("%s\\Services\\" WF_FIRSTBOOT_SERVICE, sets[i]);
		struct wf_hive *h = c->system;
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "Type", 0x10, fix);
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "Start", 2, fix);
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "ErrorControl", 1, fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "ImagePath", WF_REG_EXPAND_SZ, image, fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "ObjectName", WF_REG_SZ, "LocalSystem", fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "DisplayName", WF_REG_SZ,
				   "virt-winfix first-boot driver installer", fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "Description", WF_REG_SZ,
				   "Installs the drivers virt-winfix staged in \\virt-winfix\\drivers, "
				   "then removes itself.", fix);
		free(k);
	}
	free(image);
	return 0;
}

int wf_firstboot_program(const char *arch, const unsigned char **data, size_t *len)
{
	if (arch && (wf_streqi(arch, "i386") || wf_streqi(arch, "x86"))) {
		*data = wf_wfboot_x86;
		*len = wf_wfboot_x86_len;
		return 0;
	}
	if (!arch || wf_streqi(arch, "x86_64") || wf_streqi(arch, "amd64")) {
		*data = wf_wfboot_x64;
		*len = wf_wfboot_x64_len;
		return 0;
	}
	return -1;
}

int wf_devicepath_plan(struct wf_fixctx *c, struct wf_plan *p, const char *drv,
		       const char *fix, struct wf_error *e)
{
	static const char key[] = "Microsoft\\Windows\\CurrentVersion";
	if (!c->software)
		return wf_error_set(e, WF_ERR_INPUT, "%s: no SOFTWARE hive to extend DevicePath in", fix);
	char *add = wf_xasprintf("%%SystemDrive%%\\virt-winfix\\drivers\\%s", drv);
	uint32_t type = WF_REG_EXPAND_SZ;
	const unsigned char *d;
	size_t len;
	int del;
	char *cur = NULL;
	if (wf_plan_planned_value(p, WF_HIVE_SOFTWARE, key, "DevicePath", &type, &d, &len, &del))
		cur = wf_utf16le_to_utf8(d, len);
	else
		cur = wf_hive_get_string(c->software, wf_hive_lookup(c->software, key), "DevicePath");
	if (!cur || !wf_strcasestr(cur, add)) {
		char *val = wf_xasprintf("%s;%s", cur && *cur ? cur : "%SystemRoot%\\inf", add);
		wf_plan_set_string(p, c->software, WF_HIVE_SOFTWARE, key, "DevicePath",
				   type == WF_REG_SZ ? WF_REG_SZ : WF_REG_EXPAND_SZ, val, fix);
		free(val);
	}
	free(cur);
	free(add);
	return 0;
}
