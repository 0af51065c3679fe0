/*
 * spawn.h - run a host tool without a shell, with a time limit and a cap
 * on what it may print.
 *
 * Every tool virt-winfix runs on guest data (qemu-img on the image,
 * cabextract on a guest cabinet) is named by an absolute path, gets no
 * shell, a bounded amount of time and a bounded output; it may be run as
 * another user in a given folder (privileges dropped in the child before
 * exec, when we are root).
 *
 *   struct wf_spawn_opts o = { .timeout_ms = 10000, .out_cap = 1 << 20 };
 *   struct wf_spawn_result r;
 *   if (wf_spawn(argv, &o, &r, &err) < 0) ...   // could not run at all
 *   if (r.status != 0) ... r.err holds the first line of its stderr
 *   wf_spawn_result_free(&r);
 */
#ifndef WF_SPAWN_H
#define WF_SPAWN_H

#include <stddef.h>
#include <sys/types.h>
#include "error.h"

struct wf_spawn_opts {
	int timeout_ms;		/* the child is killed after this; 0: 30 s; -1: none
				 * (long copies the operator watches and can stop) */
	size_t out_cap;		/* stdout bytes kept; more is an error; 0: 1 MiB */
	const char *cwd;	/* chdir before exec, or NULL */
	int drop_uid;		/* when running as root: setgid/setuid to these */
	uid_t uid;
	gid_t gid;
	const char *const *env;	/* the child's whole environment; NULL: empty */
	unsigned long long fsize_cap;	/* RLIMIT_FSIZE of the child; 0: none */
	/* each stderr line as it comes (progress), may be NULL */
	void (*on_err_line)(void *ud, const char *line);
	void *ud;
};

struct wf_spawn_result {
	int status;		/* exit status; -1 when killed (timeout, signal) */
	int timed_out;
	char *out;		/* stdout, NUL-terminated, malloc'd */
	size_t out_len;
	char err[512];		/* first line of stderr */
	char err_last[512];	/* last non-empty line of stderr (xorriso's verdict) */
};

/* Run argv[0] (an absolute path) with argv.  Returns -1 with `e` filled
 * when the tool cannot be started, printed more than out_cap bytes or
 * ran out of time; otherwise 0 with r->status set (check it). */
int wf_spawn(const char *const *argv, const struct wf_spawn_opts *o,
	     struct wf_spawn_result *r, struct wf_error *e);
void wf_spawn_result_free(struct wf_spawn_result *r);

/* The first of `candidates` (absolute paths, NULL-terminated) that is an
 * executable regular file, or NULL.  Points into `candidates`. */
const char *wf_spawn_find(const char *const *candidates);

#endif
