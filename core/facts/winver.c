#include "winver.h"
#include "hive.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Releases by version, client/server and first build.  Rows of one
 * (major, minor, server) are ordered by descending build.  Sources:
 * Microsoft's release information pages (Windows 10/11 and Server build
 * numbers); osinfo ids as libguestfs lib/inspect-osinfo.c names them
 * (../shared/knowledge/virtio-injection-virt-v2v.md §4).
 */
static const struct release {
	unsigned major, minor;
	int server;
	unsigned min_build;
	const char *name, *osinfo;
} releases[] = {
	{ 10, 0, 0, 22000, "Windows 11", "win11" },
	{ 10, 0, 0, 0, "Windows 10", "win10" },
	{ 10, 0, 1, 26100, "Windows Server 2025", "win2k25" },
	{ 10, 0, 1, 20348, "Windows Server 2022", "win2k22" },
	{ 10, 0, 1, 17763, "Windows Server 2019", "win2k19" },
	{ 10, 0, 1, 0, "Windows Server 2016", "win2k16" },
	{ 6, 3, 0, 0, "Windows 8.1", "win8.1" },
	{ 6, 3, 1, 0, "Windows Server 2012 R2", "win2k12r2" },
	{ 6, 2, 0, 0, "Windows 8", "win8" },
	{ 6, 2, 1, 0, "Windows Server 2012", "win2k12" },
	{ 6, 1, 0, 0, "Windows 7", "win7" },
	{ 6, 1, 1, 0, "Windows Server 2008 R2", "win2k8r2" },
	{ 6, 0, 0, 0, "Windows Vista", "winvista" },
	{ 6, 0, 1, 0, "Windows Server 2008", "win2k8" },
	{ 5, 2, 0, 0, "Windows XP x64", "winxp" },
	{ 5, 2, 1, 0, "Windows Server 2003", "win2k3" },
	{ 5, 1, 0, 0, "Windows XP", "winxp" },
	{ 5, 0, 0, 0, "Windows 2000", "win2k" },
	{ 5, 0, 1, 0, "Windows 2000 Server", "win2k" },
};

static const char cv_path[] = "Microsoft\\Windows NT\\CurrentVersion";

static unsigned parse_uint(const char *s)
{
	return s ? (unsigned)strtoul(s, NULL, 10) : 0;
}

int wf_winver_read_software(struct wf_hive *sw, struct wf_winver *v,
			    struct wf_error *e)
{
	wf_node cv = wf_hive_lookup(sw, cv_path);
	if (!cv)
		return wf_error_set(e, WF_ERR_INPUT,
				    "SOFTWARE hive %s: no %s key, not a Windows SOFTWARE hive",
				    wf_hive_path(sw), cv_path);
	v->product_name = wf_hive_get_string(sw, cv, "ProductName");
	v->edition = wf_hive_get_string(sw, cv, "EditionID");
	v->installation_type = wf_hive_get_string(sw, cv, "InstallationType");
	v->display_version = wf_hive_get_string(sw, cv, "DisplayVersion");
	v->csd_version = wf_hive_get_string(sw, cv, "CSDVersion");
	uint32_t maj, min;
	if (wf_hive_get_dword(sw, cv, "CurrentMajorVersionNumber", &maj) == 0 &&
	    wf_hive_get_dword(sw, cv, "CurrentMinorVersionNumber", &min) == 0) {
		v->major = maj;
		v->minor = min;
	} else {
		char *cur = wf_hive_get_string(sw, cv, "CurrentVersion");
		if (cur && sscanf(cur, "%u.%u", &v->major, &v->minor) != 2)
			v->major = v->minor = 0;
		free(cur);
	}
	char *b = wf_hive_get_string(sw, cv, "CurrentBuildNumber");
	if (!b)
		b = wf_hive_get_string(sw, cv, "CurrentBuild");
	v->build = parse_uint(b);
	free(b);
	uint32_t ubr;
	if (wf_hive_get_dword(sw, cv, "UBR", &ubr) == 0)
		v->ubr = ubr;
	if (!v->major)
		return wf_error_set(e, WF_ERR_INPUT,
				    "SOFTWARE hive %s: %s has no version (CurrentVersion / CurrentMajorVersionNumber)",
				    wf_hive_path(sw), cv_path);
	return 0;
}

static char *read_hostname(struct wf_hive *sys)
{
	wf_node n = wf_hive_lookup(sys, "CurrentControlSet\\Services\\Tcpip\\Parameters");
	char *h = wf_hive_get_string(sys, n, "Hostname");
	if (h && *h)
		return h;
	free(h);
	n = wf_hive_lookup(sys, "CurrentControlSet\\Control\\ComputerName\\ComputerName");
	return wf_hive_get_string(sys, n, "ComputerName");
}

/* PROCESSOR_ARCHITECTURE as libguestfs names architectures. */
static char *read_arch(struct wf_hive *sys)
{
	static const char *const map[][2] = {
		{ "x86", "i386" }, { "AMD64", "x86_64" }, { "ARM64", "aarch64" },
		{ "IA64", "ia64" },
	};
	wf_node env = wf_hive_lookup(sys, "CurrentControlSet\\Control\\Session Manager\\Environment");
	char *a = wf_hive_get_string(sys, env, "PROCESSOR_ARCHITECTURE");
	if (!a)
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (wf_streqi(a, map[i][0])) {
			free(a);
			return wf_xstrdup(map[i][1]);
		}
	return a;
}

int wf_winver_read_system(struct wf_hive *sys, struct wf_winver *v,
			  struct wf_error *e)
{
	char ccs[32];
	if (wf_hive_current_control_set(sys, ccs, sizeof ccs, e) < 0)
		return -1;
	v->ccs = wf_xstrdup(ccs);
	v->sel_current = wf_hive_select(sys, "Current");
	v->sel_default = wf_hive_select(sys, "Default");
	v->sel_lkg = wf_hive_select(sys, "LastKnownGood");
	v->sel_failed = wf_hive_select(sys, "Failed");
	v->hostname = read_hostname(sys);
	wf_node po = wf_hive_lookup(sys, "CurrentControlSet\\Control\\ProductOptions");
	v->product_type = wf_hive_get_string(sys, po, "ProductType");
	if (!v->arch)
		v->arch = read_arch(sys);
	return 0;
}

static int is_server(const struct wf_winver *v)
{
	if (v->installation_type)
		return wf_strcasestr(v->installation_type, "Server") != NULL;
	if (v->product_type)
		return !wf_streqi(v->product_type, "WinNT");
	return v->product_name && wf_strcasestr(v->product_name, "Server");
}

static const struct release *find_release(const struct wf_winver *v)
{
	for (size_t i = 0; i < sizeof releases / sizeof releases[0]; i++) {
		const struct release *r = &releases[i];
		if (r->major == v->major && r->minor == v->minor &&
		    r->server == v->server && v->build >= r->min_build)
			return r;
	}
	return NULL;
}

void wf_winver_finish(struct wf_winver *v)
{
	v->server = is_server(v);
	const struct release *r = find_release(v);
	free(v->release);
	free(v->osinfo);
	v->release = wf_xstrdup(r ? r->name : "unknown Windows release");
	v->osinfo = wf_xstrdup(r ? r->osinfo : "unknown");
	if (r && strcmp(r->osinfo, "win2k3") == 0 && v->product_name &&
	    wf_strcasestr(v->product_name, "R2")) {
		free(v->osinfo);
		v->osinfo = wf_xstrdup("win2k3r2");
	}
	free(v->display_name);
	const char *pn = v->product_name ? v->product_name : v->release;
	if (r && strcmp(r->osinfo, "win11") == 0 &&
	    wf_startswithi(pn, "Windows 10"))
		v->display_name = wf_xasprintf("Windows 11%s", pn + 10);
	else
		v->display_name = wf_xstrdup(pn);
}

unsigned wf_winver_code(const struct wf_winver *v)
{
	return v->major * 100 + v->minor;
}

void wf_winver_free(struct wf_winver *v)
{
	free(v->product_name);
	free(v->display_name);
	free(v->release);
	free(v->osinfo);
	free(v->edition);
	free(v->installation_type);
	free(v->display_version);
	free(v->csd_version);
	free(v->arch);
	free(v->ccs);
	free(v->hostname);
	free(v->product_type);
	memset(v, 0, sizeof *v);
}

/* --- Windows version from SYSTEM alone ------------------------------------------ */

/* The in-box package version in a DriverPackages Version blob: bytes
 * 32..39 hold four little-endian u16 (revision, build, minor, major)
 * (seen in the real hives of ../shared/fixtures, SOURCES.md part B, and
 * ../shared/knowledge/virtio-injection-virt-v2v.md §9). */
static int package_version(struct wf_hive *h, wf_node pkg, unsigned *maj,
			   unsigned *min, unsigned *build)
{
	uint32_t type;
	void *data;
	size_t len;
	if (wf_hive_get_raw(h, pkg, "Version", &type, &data, &len) < 0)
		return -1;
	int r = -1;
	const unsigned char *b = data;
	if (len >= 40) {
		unsigned bu = b[34] | b[35] << 8, mi = b[36] | b[37] << 8,
			 ma = b[38] | b[39] << 8;
		if ((ma == 6 || ma == 10) && mi <= 3) {
			*maj = ma;
			*min = mi;
			*build = bu;
			r = 0;
		}
	}
	free(data);
	return r;
}

static int infer_from_ddb(struct wf_hive *sys, struct wf_winver *v, char *how,
			  size_t n)
{
	wf_node pk = wf_hive_lookup(sys, "DriverDatabase\\DriverPackages");
	size_t np;
	wf_node *kids = wf_hive_children(sys, pk, &np);
	int found = 0;
	for (size_t i = 0; i < np && !found; i++) {
		char *name = wf_hive_node_name(sys, kids[i]);
		if (name && wf_startswithi(name, "machine.inf_") &&
		    package_version(sys, kids[i], &v->major, &v->minor, &v->build) == 0) {
			snprintf(how, n, "DriverDatabase present, in-box package %s is version %u.%u.%u",
				 name, v->major, v->minor, v->build);
			found = 1;
		}
		free(name);
	}
	free(kids);
	if (!found) {
		v->major = 6;
		v->minor = 2;
		snprintf(how, n, "DriverDatabase present (Windows 8 or later; no machine.inf package version, assuming 8)");
	}
	return 0;
}

int wf_winver_infer_system(struct wf_hive *sys, struct wf_winver *v,
			   char *how, size_t n, struct wf_error *e)
{
	if (wf_winver_read_system(sys, v, e) < 0)
		return -1;
	char ccs[64];
	snprintf(ccs, sizeof ccs, "%s\\", v->ccs);
	wf_node cs = wf_hive_lookup(sys, v->ccs);
	wf_node svcs = wf_hive_child(sys, cs, "Services");
	char why[200];
	if (wf_hive_lookup(sys, "DriverDatabase")) {
		infer_from_ddb(sys, v, why, sizeof why);
	} else if (wf_hive_child(sys, svcs, "vhdmp")) {
		v->major = 6, v->minor = 1;
		snprintf(why, sizeof why, "no DriverDatabase, %s service vhdmp (new in 7)",
			 wf_hive_lookup_from(sys, cs, "Control\\CriticalDeviceDatabase") ?
			 "CriticalDeviceDatabase and" : "");
	} else if (wf_hive_child(sys, svcs, "volmgr")) {
		v->major = 6, v->minor = 0;
		snprintf(why, sizeof why, "no DriverDatabase, service volmgr but no vhdmp (Vista)");
	} else {
		int x64 = v->arch && strcmp(v->arch, "x86_64") == 0;
		int server = v->product_type && !wf_streqi(v->product_type, "WinNT");
		v->major = 5;
		v->minor = x64 || server ? 2 : 1;
		snprintf(why, sizeof why, "no DriverDatabase, no volmgr service (XP/2003 era)");
	}
	uint32_t csd;
	wf_node w = wf_hive_lookup_from(sys, cs, "Control\\Windows");
	if (wf_hive_get_dword(sys, w, "CSDVersion", &csd) == 0 && (csd >> 8)) {
		free(v->csd_version);
		v->csd_version = wf_xasprintf("Service Pack %u", csd >> 8);
	}
	wf_winver_finish(v);
	snprintf(how, n, "Windows version inferred from the SYSTEM hive (no SOFTWARE hive): %s -> %s%s%s%s%s",
		 why, v->release, v->csd_version ? " " : "",
		 v->csd_version ? v->csd_version : "", v->arch ? ", " : "",
		 v->arch ? v->arch : "");
	return 0;
}
