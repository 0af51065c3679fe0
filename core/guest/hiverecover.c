#include "hiverecover.h"
#include "guestdl.h"
#include "text.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Download guest `want` (any case) to `local` when it is a regular file
 * under the cap; 0 absent or too big (r->why of that log says so later),
 * 1 fetched. */
static int fetch_log(guestfs_h *g, const char *want, const char *local)
{
	char *real = guestfs_case_sensitive_path(g, want);
	int ok = real && guestfs_is_file(g, real) > 0 &&
		 wf_guest_download(g, real, local, WF_GK_HIVELOG, NULL, NULL) == 0;
	free(real);
	return ok;
}

int wf_guest_recover_hive(guestfs_h *g, const char *guest_path, const char *local,
			  struct wf_hivelog_result *r, struct wf_error *e)
{
	memset(r, 0, sizeof *r);
	if (!wf_hivelog_file_is_dirty(local))
		return 0;
	static const char *const ext[WF_HIVELOG_NLOGS] = { ".LOG1", ".LOG2", ".LOG" };
	char *host[WF_HIVELOG_NLOGS], *named[WF_HIVELOG_NLOGS];
	const char *logs[WF_HIVELOG_NLOGS];
	const char *base = strrchr(guest_path, '/');
	base = base ? base + 1 : guest_path;
	char *dir = wf_xasprintf("%s.logs", local);
	int rc = mkdir(dir, 0700) == 0 || access(dir, W_OK) == 0 ? 0
		 : wf_error_set(e, WF_ERR_INPUT, "%s: cannot create: %m", dir);
	for (size_t i = 0; i < WF_HIVELOG_NLOGS; i++) {
		/* named like the guest's file so that notes name it */
		named[i] = wf_xasprintf("%s%s", guest_path, ext[i]);
		host[i] = wf_xasprintf("%s/%s%s", dir, base, ext[i]);
		if (rc == 0)
			fetch_log(g, named[i], host[i]);	/* absent: no file */
		logs[i] = host[i];
	}
	char *out = wf_xasprintf("%s.recovered", local);
	if (rc == 0)
		rc = wf_hivelog_recover_files(local, logs, WF_HIVELOG_NLOGS, out, r, e);
	if (rc == 0 && r->state == WF_HIVELOG_RECOVERED && rename(out, local) < 0)
		rc = wf_error_set(e, WF_ERR_INPUT, "%s: cannot replace it with the recovered hive: %m",
				  local);
	unlink(out);
	free(out);
	for (size_t i = 0; i < WF_HIVELOG_NLOGS; i++) {
		unlink(host[i]);
		free(host[i]);
		free(named[i]);
	}
	rmdir(dir);
	free(dir);
	free(r->image);
	r->image = NULL;
	return rc;
}
