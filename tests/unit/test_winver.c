/* Windows facts from SOFTWARE/SYSTEM hives built by the kit from .reg
 * text: release names by version and build (Windows 11 says "Windows 10"),
 * client/server, control set; and service ImagePath -> guest path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "hive.h"
#include "regfile.h"
#include "winpath.h"
#include "winver.h"

/* A hive made from .reg text under `prefix`; caller closes it. */
static struct wf_hive *hive_from_reg(const char *reg, const char *prefix)
{
	static int n;
	char path[64];
	snprintf(path, sizeof path, "/tmp/wf-winver-%d-%d.hive", (int)getpid(), n++);
	struct wf_error e = { 0 };
	struct wf_regfile r;
	assert_int_equal(kit_write_minimal_hive(path, NULL, &e), 0);
	struct wf_hive *h = wf_hive_open(path, "TEST", 1, &e);
	assert_non_null(h);
	if (wf_regfile_parse_mem("test.reg", reg, strlen(reg), &r, &e) < 0 ||
	    wf_regfile_apply(&r, h, prefix, &e) < 0)
		fail_msg("%s", e.msg);
	wf_regfile_free(&r);
	assert_int_equal(wf_hive_commit(h, NULL, &e), 0);
	wf_hive_close(h);
	h = wf_hive_open(path, "TEST", 0, &e);
	unlink(path);
	return h;
}

static const char sw_head[] =
	"Windows Registry Editor Version 5.00\r\n\r\n"
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft]\r\n"
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT]\r\n"
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n";

struct case_ {
	const char *values;	/* .reg value lines for CurrentVersion */
	const char *product_type;	/* SYSTEM ProductOptions */
	const char *release, *osinfo, *display;
	int server;
};

static const struct case_ cases[] = {
	{ "\"ProductName\"=\"Microsoft Windows XP\"\n\"CurrentVersion\"=\"5.1\"\n"
	  "\"CurrentBuildNumber\"=\"2600\"\n\"CSDVersion\"=\"Service Pack 3\"\n",
	  "WinNT", "Windows XP", "winxp", "Microsoft Windows XP", 0 },
	{ "\"ProductName\"=\"Microsoft Windows Server 2003 R2\"\n\"CurrentVersion\"=\"5.2\"\n"
	  "\"CurrentBuildNumber\"=\"3790\"\n",
	  "ServerNT", "Windows Server 2003", "win2k3r2", NULL, 1 },
	{ "\"ProductName\"=\"Windows 7 Professional\"\n\"CurrentVersion\"=\"6.1\"\n"
	  "\"CurrentBuildNumber\"=\"7601\"\n\"InstallationType\"=\"Client\"\n",
	  "WinNT", "Windows 7", "win7", NULL, 0 },
	{ "\"ProductName\"=\"Windows Server 2008 R2 Standard\"\n\"CurrentVersion\"=\"6.1\"\n"
	  "\"CurrentBuildNumber\"=\"7601\"\n\"InstallationType\"=\"Server\"\n",
	  "ServerNT", "Windows Server 2008 R2", "win2k8r2", NULL, 1 },
	{ "\"ProductName\"=\"Windows 10 Pro\"\n\"CurrentVersion\"=\"6.3\"\n"
	  "\"CurrentMajorVersionNumber\"=dword:0000000a\n\"CurrentMinorVersionNumber\"=dword:00000000\n"
	  "\"CurrentBuildNumber\"=\"19045\"\n\"InstallationType\"=\"Client\"\n",
	  "WinNT", "Windows 10", "win10", "Windows 10 Pro", 0 },
	{ "\"ProductName\"=\"Windows 10 Pro\"\n\"CurrentVersion\"=\"6.3\"\n"
	  "\"CurrentMajorVersionNumber\"=dword:0000000a\n\"CurrentMinorVersionNumber\"=dword:00000000\n"
	  "\"CurrentBuildNumber\"=\"22621\"\n\"InstallationType\"=\"Client\"\n",
	  "WinNT", "Windows 11", "win11", "Windows 11 Pro", 0 },
	{ "\"ProductName\"=\"Windows Server 2019 Standard\"\n\"CurrentVersion\"=\"6.3\"\n"
	  "\"CurrentMajorVersionNumber\"=dword:0000000a\n\"CurrentMinorVersionNumber\"=dword:00000000\n"
	  "\"CurrentBuildNumber\"=\"17763\"\n\"InstallationType\"=\"Server\"\n",
	  "ServerNT", "Windows Server 2019", "win2k19", NULL, 1 },
	{ "\"ProductName\"=\"Windows Server 2022 Datacenter\"\n"
	  "\"CurrentMajorVersionNumber\"=dword:0000000a\n\"CurrentMinorVersionNumber\"=dword:00000000\n"
	  "\"CurrentBuildNumber\"=\"20348\"\n\"InstallationType\"=\"Server Core\"\n",
	  "ServerNT", "Windows Server 2022", "win2k22", NULL, 1 },
	{ "\"ProductName\"=\"Windows Server 2025 Standard\"\n"
	  "\"CurrentMajorVersionNumber\"=dword:0000000a\n\"CurrentMinorVersionNumber\"=dword:00000000\n"
	  "\"CurrentBuildNumber\"=\"26100\"\n\"InstallationType\"=\"Server\"\n",
	  "ServerNT", "Windows Server 2025", "win2k25", NULL, 1 },
	{ "\"ProductName\"=\"Windows Server 2016 Standard\"\n"
	  "\"CurrentMajorVersionNumber\"=dword:0000000a\n\"CurrentMinorVersionNumber\"=dword:00000000\n"
	  "\"CurrentBuildNumber\"=\"14393\"\n\"InstallationType\"=\"Server\"\n",
	  "ServerNT", "Windows Server 2016", "win2k16", NULL, 1 },
};

static char *system_reg(const char *product_type, unsigned current)
{
	return wf_xasprintf(
		"Windows Registry Editor Version 5.00\n\n"
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\Select]\n\"Current\"=dword:%08x\n"
		"\"Default\"=dword:%08x\n\"LastKnownGood\"=dword:00000002\n\"Failed\"=dword:00000000\n"
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\ProductOptions]\n"
		"\"ProductType\"=\"%s\"\n"
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Control\\Session Manager\\Environment]\n"
		"\"PROCESSOR_ARCHITECTURE\"=\"AMD64\"\n"
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters]\n"
		"\"Hostname\"=\"guest-01\"\n", current, current, product_type);
}

static void test_release(void **state)
{
	const struct case_ *c = *state;
	char *sw = wf_xasprintf("%s%s", sw_head, c->values);
	char *sy = system_reg(c->product_type, 1);
	struct wf_hive *hs = hive_from_reg(sw, "HKEY_LOCAL_MACHINE\\SOFTWARE");
	struct wf_hive *hy = hive_from_reg(sy, "HKEY_LOCAL_MACHINE\\SYSTEM");
	struct wf_winver v = { 0 };
	struct wf_error e = { 0 };
	assert_int_equal(wf_winver_read_software(hs, &v, &e), 0);
	assert_int_equal(wf_winver_read_system(hy, &v, &e), 0);
	wf_winver_finish(&v);
	assert_string_equal(v.release, c->release);
	assert_string_equal(v.osinfo, c->osinfo);
	assert_int_equal(v.server, c->server);
	if (c->display)
		assert_string_equal(v.display_name, c->display);
	assert_string_equal(v.ccs, "ControlSet001");
	assert_string_equal(v.hostname, "guest-01");
	assert_string_equal(v.arch, "x86_64");
	assert_int_equal(v.sel_lkg, 2);
	wf_winver_free(&v);
	wf_hive_close(hs);
	wf_hive_close(hy);
	free(sw);
	free(sy);
}

static void test_errors(void **state)
{
	(void)state;
	struct wf_winver v = { 0 };
	struct wf_error e = { 0 };
	char *sw = wf_xasprintf("%s", "Windows Registry Editor Version 5.00\n\n"
				"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes]\n");
	struct wf_hive *h = hive_from_reg(sw, "HKEY_LOCAL_MACHINE\\SOFTWARE");
	assert_int_equal(wf_winver_read_software(h, &v, &e), -1);
	assert_non_null(strstr(e.msg, "not a Windows SOFTWARE hive"));
	wf_hive_close(h);
	free(sw);
	/* Select\Default (the set Windows boots) names a control set that is not there */
	char *sy = system_reg("WinNT", 3);
	h = hive_from_reg(sy, "HKEY_LOCAL_MACHINE\\SYSTEM");
	assert_int_equal(wf_winver_read_system(h, &v, &e), -1);
	assert_non_null(strstr(e.msg, "ControlSet003 does not exist"));
	wf_hive_close(h);
	free(sy);
	wf_winver_free(&v);
}

static void test_imagepath(void **state)
{
	(void)state;
	static const char *const paths[][3] = {
		{ NULL, "viostor", "/Windows/System32/drivers/viostor.sys" },
		{ "", "x", "/Windows/System32/drivers/x.sys" },
		{ "System32\\DRIVERS\\atapi.sys", "atapi", "/Windows/System32/DRIVERS/atapi.sys" },
		{ "\\SystemRoot\\System32\\drivers\\disk.sys", "disk", "/Windows/System32/drivers/disk.sys" },
		{ "%SystemRoot%\\system32\\drivers\\vioscsi.sys", "v", "/Windows/system32/drivers/vioscsi.sys" },
		{ "\\??\\C:\\Windows\\system32\\drivers\\foo.sys", "f", "/Windows/system32/drivers/foo.sys" },
		{ "C:\\Program Files\\Guest\\agent.exe -s svc", "a", "/Program Files/Guest/agent.exe" },
		{ "\"C:\\Program Files\\x\\y.exe\" -k", "y", "/Program Files/x/y.exe" },
		{ "D:\\drivers\\z.sys", "z", NULL },
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		char *p = wf_imagepath_to_guest(paths[i][0], paths[i][1], "/Windows");
		if (!paths[i][2])
			assert_null(p);
		else
			assert_string_equal(p, paths[i][2]);
		free(p);
	}
}

int main(void)
{
	struct CMUnitTest t[sizeof cases / sizeof cases[0] + 2];
	size_t n = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct CMUnitTest u = { cases[i].release, test_release, NULL, NULL,
					(void *)&cases[i] };
		t[n++] = u;
	}
	struct CMUnitTest a = cmocka_unit_test(test_errors);
	struct CMUnitTest b = cmocka_unit_test(test_imagepath);
	t[n++] = a;
	t[n++] = b;
	return _cmocka_run_group_tests("winver", t, n, NULL, NULL);
}
