/*
 * hostfile.h - creating files on the host without following anyone's
 * symlinks.
 *
 * virt-winfix runs as root and writes beside images other people handed
 * over (reports, backups) and in per-user folders (state, logs).  Every
 * host file is made through here: its folder is opened once (O_DIRECTORY,
 * O_NOFOLLOW), a new file is created in it with O_CREAT|O_EXCL|O_NOFOLLOW
 * under a random name, written, fsync'd and renamed over the final name
 * with renameat on the same folder.  A planted symlink or a swapped folder
 * therefore never redirects a write.
 *
 *   int dfd = wf_hostdir_open(dir, 0, &err);
 *   wf_hostfile_write(dfd, "x.report.txt", buf, len, 0644, &err);
 *   close(dfd);
 *
 * Private folders (backups, state) are made 0700 and, when they exist
 * already, refused unless a real folder owned by us that no group or other
 * user can write (WF_HOSTDIR_PRIVATE).
 */
#ifndef WF_HOSTFILE_H
#define WF_HOSTFILE_H

#include <stddef.h>
#include <sys/types.h>
#include "error.h"

enum {
	WF_HOSTDIR_CREATE = 1,	/* mkdir 0700 the last component when missing */
	WF_HOSTDIR_PRIVATE = 2,	/* refuse it unless ours and not g/o-writable */
	WF_HOSTDIR_PARENTS = 4,	/* with CREATE: also the missing parents (0700) */
};

/* Open a folder; its last component must not be a symlink.  Returns an
 * O_DIRECTORY fd (close it) or -1. */
int wf_hostdir_open(const char *path, int flags, struct wf_error *e);

/* The same for a folder below an opened one (one name, no '/'). */
int wf_hostdir_openat(int dirfd, const char *name, int flags, struct wf_error *e);

/* Whether `name` is a plain file name: not empty, not "." or "..", no '/',
 * no control characters.  Names read from a guest go through this before
 * they name anything on the host. */
int wf_hostfile_name_ok(const char *name);

/* A new, empty file under a fresh random name "<prefix>.XXXXXX" in the
 * folder (O_CREAT|O_EXCL|O_NOFOLLOW); the name is written to `tmpname`
 * (>= strlen(prefix) + 8 bytes).  Returns the fd or -1. */
int wf_hostfile_create_tmp(int dirfd, const char *prefix, mode_t mode,
			   char *tmpname, size_t tmpname_size, struct wf_error *e);

/* fsync the fd, close it, rename tmpname over name (renameat on dirfd).
 * On failure the temporary file is removed. */
int wf_hostfile_commit(int dirfd, int fd, const char *tmpname, const char *name,
		       struct wf_error *e);

/* The whole file at once: create_tmp + write + commit. */
int wf_hostfile_write(int dirfd, const char *name, const void *data, size_t len,
		      mode_t mode, struct wf_error *e);

/* Write a file at `path`: its folder opened, then wf_hostfile_write. */
int wf_hostfile_write_path(const char *path, const void *data, size_t len,
			   mode_t mode, struct wf_error *e);

/* Open an existing regular file in the folder for reading (O_NOFOLLOW);
 * -1 with `e` when missing, a symlink or not a regular file. */
int wf_hostfile_open_read(int dirfd, const char *name, struct wf_error *e);

/* Remove a folder and everything below it without following symlinks
 * (a symlink inside is removed, not its target).  Depth-limited. */
int wf_host_rmtree(const char *path);

/* A per-user folder: $<xdg_var>/virt-winfix, or <home>/<home_rel>/virt-winfix
 * where <home> is $HOME.  An environment value is trusted only when the
 * folder it names (or its nearest existing parent) belongs to the
 * effective user: under `sudo -E` the caller's $HOME is not root's, and
 * the passwd entry of the real user is used instead.  malloc'd, or NULL. */
char *wf_host_user_dir(const char *xdg_var, const char *home_rel);

#endif
