/* recent.c - the wizard's recently opened images and its private state
 * folder (wizard.h, wizard_priv.h). */
#include "wizard.h"
#include "wizard_priv.h"
#include "hostfile.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* $XDG_STATE_HOME/virt-winfix (or ~/.local/state/virt-winfix), opened
 * private: made 0700, refused when a symlink or someone else's (hostfile.h;
 * $HOME of another user under sudo -E is not used). */
int wf_wiz_state_dir(struct wf_error *e)
{
	char *dir = wf_host_user_dir("XDG_STATE_HOME", ".local/state");
	if (!dir)
		return wf_error_set(e, WF_ERR_INPUT, "no home folder for the state files");
	int fd = wf_hostdir_open(dir, WF_HOSTDIR_CREATE | WF_HOSTDIR_PARENTS | WF_HOSTDIR_PRIVATE, e);
	free(dir);
	return fd;
}

size_t wf_wiz_recent(char ***out)
{
	*out = NULL;
	int dfd = wf_wiz_state_dir(NULL);
	int fd = dfd < 0 ? -1 : wf_hostfile_open_read(dfd, "recent", NULL);
	if (dfd >= 0)
		close(dfd);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	char line[4096];
	size_t n = 0;
	while (n < WF_RECENT_MAX && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		*out = wf_xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = wf_xstrdup(line);
	}
	fclose(f);
	return n;
}

void wf_wiz_recent_add(const char *const *paths, size_t n)
{
	char **old;
	size_t n_old = wf_wiz_recent(&old);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < n && k < WF_RECENT_MAX; i++, k++) {
		char *abs = realpath(paths[i], NULL);
		wf_sb_addf(&sb, "%s\n", abs ? abs : paths[i]);
		free(abs);
	}
	for (size_t i = 0; i < n_old && k < WF_RECENT_MAX; i++) {
		int dup = 0;
		for (size_t m = 0; m < n && !dup; m++) {
			char *abs = realpath(paths[m], NULL);
			dup = !strcmp(old[i], abs ? abs : paths[m]);
			free(abs);
		}
		if (!dup) {
			wf_sb_addf(&sb, "%s\n", old[i]);
			k++;
		}
	}
	int dfd = wf_wiz_state_dir(NULL);
	if (dfd >= 0) {
		wf_hostfile_write(dfd, "recent", sb.buf, sb.len, 0600, NULL);
		close(dfd);
	}
	wf_sb_release(&sb);
	for (size_t i = 0; i < n_old; i++)
		free(old[i]);
	free(old);
}
