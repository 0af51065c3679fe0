/*
 * test_ids.c - the one list of finding ids and fix families (core/diagnose/ids.h)
 * against what uses it: every id has its help article, the fix table has one
 * row per family, every wizard screen's help topic exists, and an article in
 * one help folder never shadows another of the same name (F1 on the fixes
 * step once showed the command-line overview help/fixes/fixes.txt).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixes.h"
#include "help.h"
#include "ids.h"
#include "strbuf.h"

static void test_every_finding_has_article(void **state)
{
	(void)state;
	for (int i = 0; i < WF_FID__COUNT; i++) {
		const char *id = wf_fid_name(i);
		if (!wf_help_article("findings", id))
			fail_msg("finding id %s has no help/findings/%s.txt", id, id);
		assert_int_equal(wf_fid_lookup(id), i);
	}
	assert_int_equal(wf_fid_lookup("no-such-finding"), -1);
	assert_string_equal(WF_FID(CDD_MISSING), "cdd-missing");
}

static void test_every_fix_family_has_row_and_article(void **state)
{
	(void)state;
	assert_int_equal(wf_n_fix_families, WF_FIX__COUNT);
	for (int i = 0; i < WF_FIX__COUNT; i++) {
		const char *id = wf_fixid_name(i);
		const struct wf_fix_family *f = wf_fix_family_of(id);
		if (!f)
			fail_msg("fix family %s has no row in wf_fix_families", id);
		assert_ptr_equal(f->name, id);
		if (!wf_help_article("fixes", id))
			fail_msg("fix family %s has no help/fixes/%s.txt", id, id);
	}
	assert_true(wf_fix_in_family("inject-virtio:viostor", WF_FIXID(INJECT_VIRTIO)));
	assert_false(wf_fix_in_family("inject-virtiox:viostor", WF_FIXID(INJECT_VIRTIO)));
}

/* The wizard's screens name their topic as `.help = "screens/NAME"`: read
 * them from the sources, so a new screen without an article fails here. */
static void test_every_screen_has_article(void **state)
{
	(void)state;
	const char *dir = getenv("SCREENS_DIR") ? getenv("SCREENS_DIR") : "screens";
	char cmd[512];
	snprintf(cmd, sizeof cmd, "grep -ho '\\.help = \"[^\"]*\"' %s/*.c", dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[256];
	int n = 0;
	while (fgets(line, sizeof line, p)) {
		char *a = strchr(line, '"'), *b = a ? strchr(a + 1, '"') : NULL;
		assert_non_null(b);
		*b = 0;
		if (!wf_help_find(a + 1))
			fail_msg("screen topic %s has no help article", a + 1);
		assert_true(strncmp(a + 1, "screens/", 8) == 0);
		n++;
	}
	pclose(p);
	assert_true(n >= 9);
}

static void test_folders_do_not_shadow(void **state)
{
	(void)state;
	const char *scr = wf_help_find("screens/fixes"), *cli = wf_help_find("fixes/fixes");
	assert_non_null(scr);
	assert_non_null(cli);
	assert_ptr_not_equal(scr, cli);
	const char *full = NULL;
	/* the command line's `help fixes` is the fix overview; F1 on the step is the screen's */
	assert_ptr_equal(wf_help_resolve("fixes", &full), cli);
	assert_string_equal(full, "fixes/fixes");
	assert_ptr_equal(wf_help_resolve("cdd-missing", &full), wf_help_article("findings", "cdd-missing"));
	assert_null(wf_help_resolve("nonexistent-topic", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_finding_has_article),
		cmocka_unit_test(test_every_fix_family_has_row_and_article),
		cmocka_unit_test(test_every_screen_has_article),
		cmocka_unit_test(test_folders_do_not_shadow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
