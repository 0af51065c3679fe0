#include "hosttmp.h"
#include "hostfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *dir;		/* our folder, malloc'd */
static char *cachedir;		/* appliance cache when the env names none */
static pid_t owner;		/* the process that made it */

const char *wf_host_tmp_dir(void) { return dir; }
const char *wf_host_tmp_cachedir(void) { return cachedir; }

void wf_host_tmp_cleanup(void)
{
	if (!dir || getpid() != owner)
		return;
	/* a child killed a moment ago may still be writing: a few tries */
	for (int i = 0; i < 5 && wf_host_rmtree(dir) < 0; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	free(dir);
	dir = NULL;
}

/* A TMPDIR worth using: absolute and an existing folder. */
static const char *parent_dir(void)
{
	const char *t = getenv("TMPDIR");
	struct stat st;
	if (t && t[0] == '/' && stat(t, &st) == 0 && S_ISDIR(st.st_mode))
		return t;
	return "/tmp";
}

const char *wf_host_tmp_init(struct wf_error *e)
{
	if (dir)
		return dir;
	const char *parent = parent_dir();
	char *path = wf_xasprintf("%s/virt-winfix.XXXXXX", parent);
	if (!mkdtemp(path)) {
		wf_error_set(e, WF_ERR_INPUT, "cannot create a temporary folder in %s: %s",
			     parent, strerror(errno));
		free(path);
		return NULL;
	}
	free(cachedir);
	cachedir = NULL;
	const char *env_cache = getenv("LIBGUESTFS_CACHEDIR");
	const char *env_tmp = getenv("TMPDIR");
	if (!env_cache || !*env_cache)
		cachedir = wf_xstrdup(env_tmp && *env_tmp ? env_tmp : "/var/tmp");
	if (setenv("TMPDIR", path, 1) < 0) {
		wf_error_set(e, WF_ERR_INTERNAL, "setenv TMPDIR: %s", strerror(errno));
		rmdir(path);
		free(path);
		free(cachedir);
		cachedir = NULL;
		return NULL;
	}
	static int registered;
	if (!registered++)
		atexit(wf_host_tmp_cleanup);
	owner = getpid();
	dir = path;
	return dir;
}
