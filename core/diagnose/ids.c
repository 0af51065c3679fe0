#include "ids.h"

#include <strings.h>

#define WF_IDS_TEXT_(name, text) const char wf_fid_text_##name[] = text;
WF_FINDING_IDS(WF_IDS_TEXT_)
#undef WF_IDS_TEXT_
#define WF_IDS_TEXT_(name, text) const char wf_fix_text_##name[] = text;
WF_FIX_IDS(WF_IDS_TEXT_)
#undef WF_IDS_TEXT_

#define WF_IDS_NAME_(name, text) [WF_FID_##name] = wf_fid_text_##name,
static const char *const fid_names[] = { WF_FINDING_IDS(WF_IDS_NAME_) };
#undef WF_IDS_NAME_
#define WF_IDS_NAME_(name, text) [WF_FIX_##name] = wf_fix_text_##name,
static const char *const fix_names[] = { WF_FIX_IDS(WF_IDS_NAME_) };
#undef WF_IDS_NAME_

const char *wf_fid_name(enum wf_fid id)
{
	return (unsigned)id < WF_FID__COUNT ? fid_names[id] : "?";
}

const char *wf_fixid_name(enum wf_fixid id)
{
	return (unsigned)id < WF_FIX__COUNT ? fix_names[id] : "?";
}

static int lookup(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return i;
	return -1;
}

int wf_fid_lookup(const char *name) { return lookup(fid_names, WF_FID__COUNT, name); }
int wf_fixid_lookup(const char *name) { return lookup(fix_names, WF_FIX__COUNT, name); }
