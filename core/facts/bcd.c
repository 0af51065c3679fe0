/*
 * bcd.c - read a BCD store (see bcd.h).
 *
 * Facts: the store is a regf hive with keys Objects\{GUID}\Elements\<type>
 * and the data in "Element"; the boot manager is {9dea862c-5cdd-4e70-acc1-
 * f32b344d4795} (Microsoft docs, "BCD System Store Settings for UEFI" and
 * "Boot Configuration Data in Windows Vista" (BCD.docx): well-known GUIDs);
 * element types 0x23000003 BcdBootMgrObject_DefaultObject, 0x16000049
 * BcdLibraryBoolean_AllowPrereleaseSignatures ("testsigning"), 0x16000048
 * BcdLibraryBoolean_DisableIntegrityChecks (Microsoft docs,
 * BcdBootMgrElementTypes and BcdLibraryElementTypes enumerations); a
 * boolean element is REG_BINARY, one byte 00/01 (as bcdedit writes it,
 * Geoff Chappell, "BCD Elements: Boolean").  Test signing itself: Microsoft
 * docs, "The TESTSIGNING boot configuration option".
 */
#include "bcd.h"
#include "hive.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const wf_bcd_paths[] = { "/EFI/Microsoft/Boot/BCD", "/Boot/BCD" };
const size_t wf_n_bcd_paths = sizeof wf_bcd_paths / sizeof wf_bcd_paths[0];

/* A GUID string "{8-4-4-4-12}" with hex digits only. */
static int is_guid(const char *s)
{
	static const char form[] = "{________-____-____-____-____________}";
	if (strlen(s) != sizeof form - 1)
		return 0;
	for (size_t i = 0; form[i]; i++)
		if (form[i] == '_' ? !strchr("0123456789abcdefABCDEF", s[i]) : s[i] != form[i])
			return 0;
	return 1;
}

/* A boolean element: 1, 0, or -1 when present but not a boolean. */
static int read_bool(struct wf_hive *h, const char *obj, const char *el)
{
	char *k = wf_xasprintf("Objects\\%s\\Elements\\%s", obj, el);
	wf_node n = wf_hive_lookup(h, k);
	free(k);
	if (!n)
		return 0;
	uint32_t type;
	void *d = NULL;
	size_t len = 0;
	int r = -1;
	if (wf_hive_get_raw(h, n, "Element", &type, &d, &len) == 0 && type == WF_REG_BINARY &&
	    len >= 1) {
		r = 0;
		for (size_t i = 0; i < len && i < 8; i++)
			if (((unsigned char *)d)[i])
				r = 1;
	}
	free(d);
	return r;
}

void wf_bcd_read(struct wf_hive *h, struct wf_bcd *out)
{
	memset(out, 0, sizeof *out);
	out->testsigning = out->nointegritychecks = -1;
	wf_node n = wf_hive_lookup(h, "Objects\\" WF_BCD_BOOTMGR "\\Elements\\" WF_BCD_EL_DEFAULT);
	char *def = n ? wf_hive_get_string(h, n, "Element") : NULL;
	if (!def || !is_guid(def)) {
		snprintf(out->why, sizeof out->why, "the store names no default Windows loader "
			 "({bootmgr} element %s)", WF_BCD_EL_DEFAULT);
		free(def);
		return;
	}
	snprintf(out->loader, sizeof out->loader, "%s", def);
	free(def);
	char *k = wf_xasprintf("Objects\\%s", out->loader);
	int there = wf_hive_lookup(h, k) != 0;
	free(k);
	if (!there) {
		snprintf(out->why, sizeof out->why, "the default loader %s is not in the store",
			 out->loader);
		out->loader[0] = '\0';
		return;
	}
	out->testsigning = read_bool(h, out->loader, WF_BCD_EL_TESTSIGNING);
	out->nointegritychecks = read_bool(h, out->loader, WF_BCD_EL_NOINTEGRITY);
	if (out->testsigning < 0)
		snprintf(out->why, sizeof out->why, "element %s of %s is not a boolean",
			 WF_BCD_EL_TESTSIGNING, out->loader);
}

char *wf_bcd_testsigning_key(const struct wf_bcd *b)
{
	if (!b->loader[0])
		return NULL;
	return wf_xasprintf("Objects\\%s\\Elements\\%s", b->loader, WF_BCD_EL_TESTSIGNING);
}
