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

static const char *const script_lines[] = {
	"@echo off",
	"rem virt-winfix first-boot driver installer, written by \"virt-winfix fix\".",
	"rem Installs the drivers staged in %SystemDrive%\\virt-winfix\\drivers, logs to",
	"rem firstboot.log, and removes its service when done or after @TRIES@ attempts.",
	"setlocal enableextensions",
	"set WF=%SystemDrive%\\virt-winfix",
	"set LOG=%WF%\\firstboot.log",
	"if not \"%~1\"==\"run\" (",
	"  start \"\" /b cmd /c \"\"%~f0\" run\"",
	"  exit /b 0",
	")",
	"if exist \"%WF%\\firstboot.done\" goto remove",
	"set /a TRIES=0",
	"if exist \"%WF%\\firstboot.tries\" set /p TRIES=<\"%WF%\\firstboot.tries\"",
	"set /a TRIES=TRIES+1",
	">\"%WF%\\firstboot.tries\" echo %TRIES%",
	">>\"%LOG%\" echo [%DATE% %TIME%] virt-winfix first boot, attempt %TRIES% of @TRIES@",
	"if %TRIES% GTR @TRIES@ (",
	"  >>\"%LOG%\" echo giving up: install the drivers in %WF%\\drivers by hand",
	"  goto remove",
	")",
	"set FAILED=0",
	"set REBOOT=0",
	"for /r \"%WF%\\drivers\" %%i in (*.inf) do call :install \"%%i\"",
	"if not \"%FAILED%\"==\"0\" (",
	"  >>\"%LOG%\" echo [%DATE% %TIME%] some drivers failed; trying again at the next boot",
	"  exit /b 0",
	")",
	">\"%WF%\\firstboot.done\" echo done",
	"goto remove",
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
	":remove",
	">>\"%LOG%\" echo [%DATE% %TIME%] removing the " WF_FIRSTBOOT_SERVICE " service",
	"sc delete " WF_FIRSTBOOT_SERVICE " >>\"%LOG%\" 2>&1",
	"if \"%REBOOT%\"==\"1\" shutdown /r /t 60 /c \"virt-winfix: drivers installed, restarting once\" >>\"%LOG%\" 2>&1",
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

int wf_firstboot_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      struct wf_error *e)
{
	(void)e;
	if (wf_winver_code(c->ver) < WF_WINVER(6, 0))
		return 0;
	char *text = wf_firstboot_script(c->ver->build);
	uint64_t sz = 0;
	int there = c->probe && c->probe(c->ud, "/virt-winfix/firstboot.cmd", &sz) == 1;
	wf_plan_write_file(p, "/virt-winfix/firstboot.cmd", text, strlen(text), there, sz, fix);
	free(text);
	const char *sets[2];
	size_t n = wf_fix_sets(c, sets);
	for (size_t i = 0; i < n; i++) {
		char *k = wf_xasprintf("%s\\Services\\" WF_FIRSTBOOT_SERVICE, sets[i]);
		struct wf_hive *h = c->system;
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "Type", 0x10, fix);
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "Start", 2, fix);
		wf_plan_set_dword(p, h, WF_HIVE_SYSTEM, k, "ErrorControl", 0, fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "ImagePath", WF_REG_EXPAND_SZ,
				   "%SystemRoot%\\System32\\cmd.exe /c \"%SystemDrive%\\virt-winfix\\firstboot.cmd\"", fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "ObjectName", WF_REG_SZ, "LocalSystem", fix);
		wf_plan_set_string(p, h, WF_HIVE_SYSTEM, k, "DisplayName", WF_REG_SZ,
				   "virt-winfix first-boot driver installer", fix);
		free(k);
	}
	return 0;
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
