#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *wf_spawn_find(const char *const *candidates)
{
	struct stat st;
	for (; *candidates; candidates++)
		if ((*candidates)[0] == '/' && stat(*candidates, &st) == 0 &&
		    S_ISREG(st.st_mode) && access(*candidates, X_OK) == 0)
			return *candidates;
	return NULL;
}

/* In the child: never returns.  Only async-signal-safe calls. */
static void child(const char *const *argv, const struct wf_spawn_opts *o,
		  int out, int err)
{
	static const char *const empty[] = { NULL };
	if (dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	int nul = open("/dev/null", O_RDONLY);
	if (nul < 0 || dup2(nul, 0) < 0)
		_exit(126);
	closefrom(3);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	if (o->cwd && chdir(o->cwd) < 0)
		_exit(126);
	if (o->fsize_cap) {
		struct rlimit rl = { o->fsize_cap, o->fsize_cap };
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(126);
	}
	if (o->drop_uid && geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setgid(o->gid) < 0 || setuid(o->uid) < 0))
		_exit(126);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	execve(argv[0], (char *const *)argv, (char *const *)(o->env ? o->env : empty));
	_exit(127);
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct sink {
	char *buf;
	size_t len, cap, keep;
	int over;
	/* stderr: lines for the callback, the last one kept */
	void (*on_line)(void *ud, const char *line);
	void *ud;
	char line[1024];
	size_t line_len;
	char last[512];
};

static void sink_lines(struct sink *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '\n' && p[i] != '\r') {
			if (s->line_len + 1 < sizeof s->line)
				s->line[s->line_len++] = p[i];
			continue;
		}
		s->line[s->line_len] = '\0';
		if (s->line_len) {
			snprintf(s->last, sizeof s->last, "%.*s", (int)sizeof s->last - 1, s->line);
			if (s->on_line)
				s->on_line(s->ud, s->line);
		}
		s->line_len = 0;
	}
}

static void sink_read(int fd, struct sink *s, int *open_)
{
	char tmp[8192];
	ssize_t n = read(fd, tmp, sizeof tmp);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		*open_ = 0;
		sink_lines(s, "\n", 1);
		return;
	}
	sink_lines(s, tmp, (size_t)n);
	size_t take = (size_t)n;
	if (s->len + take > s->keep) {
		s->over = 1;
		take = s->keep - s->len;
	}
	if (s->len + take + 1 > s->cap) {
		s->cap = s->len + take + 1 + s->cap;
		s->buf = wf_xrealloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, tmp, take);
	s->len += take;
	s->buf[s->len] = '\0';
}

/* Read both pipes until they close or the time is up. */
static int pump(int out, int err, struct sink *so, struct sink *se, int timeout_ms)
{
	long long end = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	int oo = 1, eo = 1;
	while (oo || eo) {
		struct pollfd p[2] = { { oo ? out : -1, POLLIN, 0 }, { eo ? err : -1, POLLIN, 0 } };
		long long left = end < 0 ? -1 : end - now_ms();
		if (end >= 0 && left <= 0)
			return -1;
		int r = poll(p, 2, left > 1000000 ? 1000000 : (int)left);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;
		if (oo && p[0].revents)
			sink_read(out, so, &oo);
		if (eo && p[1].revents)
			sink_read(err, se, &eo);
	}
	return 0;
}

static void first_line(char *dst, size_t n, const char *src)
{
	const char *s = src ? src : "";
	size_t len = strcspn(s, "\n");
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int wf_spawn(const char *const *argv, const struct wf_spawn_opts *o,
	     struct wf_spawn_result *r, struct wf_error *e)
{
	memset(r, 0, sizeof *r);
	r->status = -1;
	int po[2], pe[2];
	if (!argv[0] || argv[0][0] != '/')
		return wf_error_set(e, WF_ERR_INTERNAL, "%s: not an absolute path",
				    argv[0] ? argv[0] : "(null)");
	if (pipe2(po, O_CLOEXEC) < 0)
		return wf_error_set(e, WF_ERR_INTERNAL, "pipe: %s", strerror(errno));
	if (pipe2(pe, O_CLOEXEC) < 0) {
		close(po[0]), close(po[1]);
		return wf_error_set(e, WF_ERR_INTERNAL, "pipe: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid == 0)
		child(argv, o, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]), close(pe[0]);
		return wf_error_set(e, WF_ERR_INTERNAL, "fork: %s", strerror(errno));
	}
	struct sink so = { .keep = o->out_cap ? o->out_cap : 1u << 20 };
	struct sink se = { .keep = 64 * 1024, .on_line = o->on_err_line, .ud = o->ud };
	int late = pump(po[0], pe[0], &so, &se, o->timeout_ms ? o->timeout_ms : 30000) < 0;
	if (late)
		kill(pid, SIGKILL);
	close(po[0]);
	close(pe[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->timed_out = late;
	r->status = !late && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->out = so.buf ? so.buf : wf_xstrdup("");
	r->out_len = so.len;
	first_line(r->err, sizeof r->err, se.buf);
	snprintf(r->err_last, sizeof r->err_last, "%s", se.last);
	free(se.buf);
	if (late)
		return wf_error_set(e, WF_ERR_INPUT, "%s did not finish within %d s",
				    argv[0], (o->timeout_ms > 0 ? o->timeout_ms : 30000) / 1000);
	if (so.over)
		return wf_error_set(e, WF_ERR_INPUT, "%s printed more than %zu bytes",
				    argv[0], so.keep);
	if (r->status == 127 || r->status == 126)
		return wf_error_set(e, WF_ERR_INTERNAL, "cannot run %s", argv[0]);
	return 0;
}

void wf_spawn_result_free(struct wf_spawn_result *r)
{
	free(r->out);
	r->out = NULL;
}
