#include "hostfile.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int wf_hostfile_name_ok(const char *name)
{
	if (!name || !*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* mkdir -p of every component of `path` (0700 for the ones we make). */
static void mkdir_parents(const char *path)
{
	char *p = wf_xstrdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	mkdir(p, 0700);
	free(p);
}

static int check_private(int fd, const char *what, struct wf_error *e)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s", what, strerror(errno));
	if (st.st_uid != geteuid())
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: refused: the folder exists and belongs to uid %u, not to us (uid %u)",
				    what, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: refused: the folder exists and others may write to it (mode %03o)",
				    what, (unsigned)(st.st_mode & 0777));
	return 0;
}

int wf_hostdir_openat(int dirfd, const char *name, int flags, struct wf_error *e)
{
	if (!wf_hostfile_name_ok(name))
		return wf_error_set(e, WF_ERR_INPUT, "\"%s\": not a plain folder name", name);
	int made = 0;
	if ((flags & WF_HOSTDIR_CREATE) && mkdirat(dirfd, name, 0700) == 0)
		made = 1;
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		struct stat st;
		int link = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s", name,
				    link ? "refused: it is a symbolic link" : strerror(errno));
	}
	if (!made && (flags & WF_HOSTDIR_PRIVATE) && check_private(fd, name, e) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int wf_hostdir_open(const char *path, int flags, struct wf_error *e)
{
	char *copy = wf_xstrdup(path);
	size_t len = strlen(copy);
	while (len > 1 && copy[len - 1] == '/')
		copy[--len] = '\0';
	char *slash = strrchr(copy, '/');
	const char *parent = slash ? (slash == copy ? "/" : copy) : ".";
	const char *last = slash ? slash + 1 : copy;
	if (slash && slash != copy)
		*slash = '\0';
	if ((flags & WF_HOSTDIR_CREATE) && (flags & WF_HOSTDIR_PARENTS) && strcmp(parent, "/"))
		mkdir_parents(parent);
	int pfd = -1, fd = -1;
	if (!*last || !strcmp(last, "/"))	/* "/" itself */
		fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else if ((pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		wf_error_set(e, WF_ERR_INPUT, "%s: %s", parent, strerror(errno));
	else if ((fd = wf_hostdir_openat(pfd, last, flags, e)) < 0)
		wf_error_prefix(e, "%s", parent);
	if (pfd >= 0)
		close(pfd);
	free(copy);
	return fd;
}

int wf_hostfile_create_tmp(int dirfd, const char *prefix, mode_t mode,
			   char *tmpname, size_t tmpname_size, struct wf_error *e)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned char rnd[6];
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
			for (size_t i = 0; i < sizeof rnd; i++)
				rnd[i] = (unsigned char)(rand() ^ attempt);
		char suffix[8] = ".";
		for (size_t i = 0; i < sizeof rnd; i++)
			suffix[i + 1] = chars[rnd[i] % (sizeof chars - 1)];
		suffix[7] = '\0';
		if ((size_t)snprintf(tmpname, tmpname_size, "%s%s", prefix, suffix) >= tmpname_size)
			return wf_error_set(e, WF_ERR_INTERNAL, "%s: name too long", prefix);
		int fd = openat(dirfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return wf_error_set(e, WF_ERR_INPUT, "%s: cannot create: %s", tmpname, strerror(errno));
	}
	return wf_error_set(e, WF_ERR_INPUT, "%s: cannot find a free temporary name", prefix);
}

int wf_hostfile_commit(int dirfd, int fd, const char *tmpname, const char *name,
		       struct wf_error *e)
{
	int bad = fsync(fd) < 0;
	int saved = errno;
	bad |= close(fd) < 0;
	if (!bad && renameat(dirfd, tmpname, dirfd, name) == 0)
		return 0;
	if (!bad)
		saved = errno;
	unlinkat(dirfd, tmpname, 0);
	return wf_error_set(e, WF_ERR_INPUT, "%s: cannot write: %s", name, strerror(saved));
}

int wf_hostfile_write(int dirfd, const char *name, const void *data, size_t len,
		      mode_t mode, struct wf_error *e)
{
	if (!wf_hostfile_name_ok(name))
		return wf_error_set(e, WF_ERR_INPUT, "\"%s\": not a plain file name", name);
	char tmp[512];
	int fd = wf_hostfile_create_tmp(dirfd, name, mode, tmp, sizeof tmp, e);
	if (fd < 0)
		return -1;
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = errno;
			close(fd);
			unlinkat(dirfd, tmp, 0);
			return wf_error_set(e, WF_ERR_INPUT, "%s: cannot write: %s", name,
					    strerror(n < 0 ? saved : ENOSPC));
		}
		p += n;
		left -= (size_t)n;
	}
	return wf_hostfile_commit(dirfd, fd, tmp, name, e);
}

int wf_hostfile_write_path(const char *path, const void *data, size_t len,
			   mode_t mode, struct wf_error *e)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? wf_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : wf_xstrdup(".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = dfd < 0 ? wf_error_set(e, WF_ERR_INPUT, "%s: %s", dir, strerror(errno))
		: wf_hostfile_write(dfd, slash ? slash + 1 : path, data, len, mode, e);
	if (dfd >= 0)
		close(dfd);
	if (r < 0 && dfd >= 0)
		wf_error_prefix(e, "%s", dir);
	free(dir);
	return r;
}

int wf_hostfile_open_read(int dirfd, const char *name, struct wf_error *e)
{
	if (!wf_hostfile_name_ok(name))
		return wf_error_set(e, WF_ERR_INPUT, "\"%s\": not a plain file name", name);
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s", name,
				    errno == ELOOP ? "refused: it is a symbolic link" : strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return wf_error_set(e, WF_ERR_INPUT, "%s: not a regular file", name);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Whether `path`, or its nearest existing parent, belongs to the
 * effective user. */
static int ours(const char *path)
{
	char *p = wf_xstrdup(path);
	struct stat st;
	int r = 0;
	for (;;) {
		if (stat(p, &st) == 0) {
			r = st.st_uid == geteuid();
			break;
		}
		char *s = strrchr(p, '/');
		if (!s || s == p)
			break;
		*s = '\0';
	}
	free(p);
	return r;
}

char *wf_host_user_dir(const char *xdg_var, const char *home_rel)
{
	const char *x = xdg_var ? getenv(xdg_var) : NULL;
	if (x && x[0] == '/' && ours(x))
		return wf_xasprintf("%s/virt-winfix", x);
	const char *home = getenv("HOME");
	if (!home || home[0] != '/' || !ours(home)) {
		struct passwd *pw = getpwuid(getuid());
		home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
	}
	return home ? wf_xasprintf("%s/%s/virt-winfix", home, home_rel) : NULL;
}

static void rmtree_at(int dfd, const char *name, int depth)
{
	if (depth > 64)
		return;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		DIR *d = fdopendir(fd);
		if (d) {
			struct dirent *de;
			while ((de = readdir(d)))
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					rmtree_at(dirfd(d), de->d_name, depth + 1);
			closedir(d);
		} else
			close(fd);
		unlinkat(dfd, name, AT_REMOVEDIR);
	} else
		unlinkat(dfd, name, 0);
}

int wf_host_rmtree(const char *path)
{
	rmtree_at(AT_FDCWD, path, 0);
	struct stat st;
	return lstat(path, &st) == 0 ? -1 : 0;
}
