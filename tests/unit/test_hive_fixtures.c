/* Real SYSTEM hives written by Windows (../shared/fixtures/hives): control
 * set, service Start values and the controllers they drove, as recorded in
 * ../shared/fixtures/SOURCES.md; the corrupt hive must give a clean error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "controllers.h"
#include "fixtures.h"
#include "hive.h"
#include "winver.h"

struct expect_start {
	const char *service;
	int start;		/* -1 = service absent */
};

struct expect_hive {
	const char *file;
	const char *ccs;
	unsigned lkg;
	const char *hostname;
	const char *arch;
	struct expect_start starts[8];
	const char *boot_kind;	/* storage kind it booted from, driver ready */
	const char *seen_hwid;	/* a PCI device the hive must list ... */
	const char *seen_service;	/* ... bound to this service */
};

/* Values from ../shared/fixtures/SOURCES.md part B/C. */
static const struct expect_hive hives[] = {
	{ "hives/winevt-kb_SYSTEM", "ControlSet001", 3, "IECOMPATVHD", "i386",
	  { { "atapi", 0 }, { "intelide", 0 }, { "pciide", 4 }, { "msahci", -1 },
	    { "viostor", -1 } },
	  "ide", "VEN_8086&DEV_7111&SUBSYS_00000000&REV_01", "intelide" },
	{ "hives/bitcurator_SYSTEM", "ControlSet001", 2, "M57-PAT", "i386",
	  { { "atapi", 0 }, { "intelide", 0 }, { "pciide", 0 } },
	  "ide", "VEN_8086&DEV_24CB&SUBSYS_01261028&REV_01", "intelide" },
	{ "hives/ITSEC2022_SYSTEM", "ControlSet001", 1, "OFIARA", "i386",
	  { { "atapi", 0 }, { "intelide", 0 }, { "pciide", 4 }, { "LSI_SAS", -1 } },
	  "ide", "VEN_8086&DEV_7111&SUBSYS_197615AD&REV_01", "intelide" },
	{ "hives/regipy_SYSTEM_win7sp1x86", "ControlSet001", 2, "WKS-WIN732BITA", "i386",
	  { { "atapi", 0 }, { "intelide", 0 }, { "pciide", 3 }, { "msahci", 3 },
	    { "iaStorV", 3 }, { "LSI_SAS", 0 }, { "LSI_SCSI", 0 }, { "storahci", -1 } },
	  "lsi-sas", "VEN_1000&DEV_0054&SUBSYS_197615AD&REV_01", "LSI_SAS" },
	{ "hives/ShimCacheParser_win7sp1x64_SYSTEM", "ControlSet001", 2, "LAMB", "x86_64",
	  { { "atapi", 0 }, { "intelide", 0 }, { "msahci", 3 }, { "LSI_SAS", 0 },
	    { "LSI_SCSI", 3 } },
	  "lsi-sas", "VEN_1000&DEV_0054&SUBSYS_197615AD&REV_01", "LSI_SAS" },
	{ "hives/regipy_SYSTEM_2", "ControlSet001", 1, "SENSEI", "x86_64",
	  { { "storahci", 0 }, { "iaStorV", 0 }, { "LSI_SAS", 0 }, { "msahci", -1 } },
	  "sata", "VEN_8086&DEV_2829&SUBSYS_00000000&REV_02", "storahci" },
	{ "hives/regipy_SYSTEM_WIN_10_1709", "ControlSet001", 1, "DESKTOP-2KGM189", "x86_64",
	  { { "storahci", 0 }, { "LSI_SAS", 0 }, { "atapi", 0 }, { "viostor", -1 } },
	  "lsi-sas", "VEN_1000&DEV_0054&SUBSYS_197615AD&REV_01", "LSI_SAS" },
};

static void check_starts(struct wf_hive *h, const struct expect_hive *x)
{
	for (int i = 0; i < 8 && x->starts[i].service; i++) {
		char path[128];
		snprintf(path, sizeof path, "CurrentControlSet\\Services\\%s",
			 x->starts[i].service);
		wf_node n = wf_hive_lookup(h, path);
		uint32_t start = 99;
		if (x->starts[i].start < 0) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_true(n != 0);
		assert_int_equal(wf_hive_get_dword(h, n, "Start", &start), 0);
		if ((int)start != x->starts[i].start)
			fail_msg("%s: %s Start=%u, expected %d", x->file,
				 x->starts[i].service, start, x->starts[i].start);
	}
}

static void check_controllers(struct wf_hive *h, const struct expect_hive *x,
			      const struct wf_winver *v)
{
	struct wf_controllers c;
	struct wf_error e = { 0 };
	assert_int_equal(wf_ctrl_evaluate(h, v->ccs, 0, "/Windows", NULL, NULL,
					  &c, &e), 0);
	int ready = 0, seen = 0;
	for (size_t i = 0; i < c.n_status; i++)
		if (!strcmp(c.status[i].kind->id, x->boot_kind))
			ready = c.status[i].boot_ready;
	for (size_t i = 0; i < c.n_seen; i++)
		if (!strcasecmp(c.seen[i].hwid, x->seen_hwid)) {
			seen = 1;
			assert_non_null(c.seen[i].kind);
			assert_string_equal(c.seen[i].kind->id, x->boot_kind);
			assert_non_null(c.seen[i].service);
			assert_true(strcasecmp(c.seen[i].service, x->seen_service) == 0);
		}
	if (!ready)
		fail_msg("%s: %s driver not ready at boot", x->file, x->boot_kind);
	if (!seen)
		fail_msg("%s: %s not in Enum\\PCI", x->file, x->seen_hwid);
	wf_controllers_free(&c);
}

static void test_real_hive(void **state)
{
	const struct expect_hive *x = *state;
	SKIP_WITHOUT_FIXTURE(path, x->file);
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
	if (!h)
		fail_msg("%s", e.msg);
	struct wf_winver v = { 0 };
	assert_int_equal(wf_winver_read_system(h, &v, &e), 0);
	assert_string_equal(v.ccs, x->ccs);
	assert_int_equal(v.sel_lkg, x->lkg);
	assert_non_null(v.hostname);
	assert_true(strcasecmp(v.hostname, x->hostname) == 0);
	assert_non_null(v.arch);
	assert_string_equal(v.arch, x->arch);
	check_starts(h, x);
	check_controllers(h, x, &v);
	wf_winver_free(&v);
	wf_hive_close(h);
}

static void test_corrupt_hive(void **state)
{
	(void)state;
	SKIP_WITHOUT_FIXTURE(path, "hives/regipy_corrupted_system_hive");
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
	assert_null(h);
	assert_int_equal(e.kind, WF_ERR_INPUT);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "damaged"));
	assert_null(strchr(e.msg, '\n'));
}

static void test_not_a_hive(void **state)
{
	(void)state;
	struct wf_error e = { 0 };
	assert_null(wf_hive_open("/etc/hostname", "SYSTEM", 0, &e));
	assert_non_null(strstr(e.msg, "not a registry hive"));
	assert_null(wf_hive_open("/nonexistent/SYSTEM", "SYSTEM", 0, &e));
	assert_non_null(strstr(e.msg, "/nonexistent/SYSTEM"));
}

/* The WinPE hive has one control set and no storage drivers at all. */
static void test_winpe_hive(void **state)
{
	(void)state;
	SKIP_WITHOUT_FIXTURE(path, "hives/qthivex_SYSTEM");
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
	assert_non_null(h);
	char ccs[32];
	assert_int_equal(wf_hive_current_control_set(h, ccs, sizeof ccs, &e), 0);
	assert_string_equal(ccs, "ControlSet001");
	assert_int_equal(wf_hive_lookup(h, "CurrentControlSet\\Services\\atapi"), 0);
	assert_true(wf_hive_lookup(h, "DriverDatabase") != 0);
	wf_hive_close(h);
}

int main(void)
{
	struct CMUnitTest t[sizeof hives / sizeof hives[0] + 3];
	size_t n = 0;
	for (size_t i = 0; i < sizeof hives / sizeof hives[0]; i++) {
		struct CMUnitTest u = { hives[i].file, test_real_hive, NULL, NULL,
					(void *)&hives[i] };
		t[n++] = u;
	}
	struct CMUnitTest c = cmocka_unit_test(test_corrupt_hive);
	struct CMUnitTest d = cmocka_unit_test(test_not_a_hive);
	struct CMUnitTest w = cmocka_unit_test(test_winpe_hive);
	t[n++] = c;
	t[n++] = d;
	t[n++] = w;
	return _cmocka_run_group_tests("hive_fixtures", t, n, NULL, NULL);
}
