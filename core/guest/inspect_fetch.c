/* inspect_fetch.c - see inspect_fetch.h. */
#include "inspect_fetch.h"
#include "guestdl.h"
#include "inspect.h"
#include "text.h"

#include <guestfs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *wf_inspect_guest_path(const char *systemroot, const char *path)
{
	const char *rest = path;
	const char *root = "";
	if (wf_startswithi(path, "C:\\Windows")) {
		rest = path + strlen("C:\\Windows");
		root = systemroot ? systemroot : "/Windows";
	} else if (((path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z')) &&
		   path[1] == ':')
		rest = path + 2;
	char *p = wf_xasprintf("%s%s%s", root, (*rest == '\\' || *rest == '/') ? "" : "/", rest);
	for (char *q = p; *q; q++)
		if (*q == '\\')
			*q = '/';
	return p;
}

char *wf_inspect_fetch(struct wf_inspection *in, size_t win, const char *path,
		       struct wf_error *e)
{
	if (!in->session || win >= in->n_win) {
		wf_error_set(e, WF_ERR_INTERNAL, "%s: the inspection has no appliance", path);
		return NULL;
	}
	struct wf_windows *w = &in->win[win];
	guestfs_h *g = wf_session_guestfs(in->session);
	if (wf_inspect_mount(in, win, e) < 0)
		return NULL;
	char *want = wf_inspect_guest_path(w->systemroot, path);
	char *real = guestfs_case_sensitive_path(g, want);
	char *local = NULL;
	if (!real || guestfs_is_file(g, real) <= 0)
		wf_error_set(e, WF_ERR_INPUT, "%s: not in the guest", path);
	else {
		static unsigned seq;
		local = wf_xasprintf("%s/fetch%u-%s", in->tmpdir, seq++,
				     strrchr(real, '/') + 1);
		if (wf_guest_download(g, real, local, WF_GK_SETUPLOG, NULL, e) < 0) {
			unlink(local);
			free(local);
			local = NULL;
		}
	}
	free(real);
	free(want);
	return local;
}
