#include "run.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_OUT_MAX (16u << 20)
#define LINE_MAX_KEPT	4096	/* longer stderr lines are cut */

const char *wf_run_tool(const char *name)
{
	static const char *const dirs[] = { "/usr/bin", "/bin", "/usr/sbin", "/sbin" };
	static char found[256];
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		snprintf(found, sizeof found, "%s/%s", dirs[i], name);
		if (access(found, X_OK) == 0)
			return found;
	}
	return NULL;
}

static void child(const char *const *argv, int out, int err)
{
	int null = open("/dev/null", O_RDWR);
	dup2(null, 0);
	dup2(out >= 0 ? out : null, 1);
	dup2(err, 2);
	execv(argv[0], (char *const *)argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

struct lines {
	struct wf_strbuf cur;
	struct wf_run_opts *o;
};

static void keep_tail(struct wf_run_opts *o, const char *line)
{
	if (!*line)
		return;
	size_t n = strlen(o->err_tail), m = strlen(line);
	if (n + m + 2 >= sizeof o->err_tail) {	/* drop the oldest part */
		size_t drop = n + m + 2 - sizeof o->err_tail;
		if (drop >= n) {
			n = 0;
		} else {
			memmove(o->err_tail, o->err_tail + drop, n - drop + 1);
			n -= drop;
		}
		o->err_tail[n] = 0;
	}
	if (n) {
		strcat(o->err_tail, " ");
		n++;
	}
	strncat(o->err_tail, line, sizeof o->err_tail - n - 1);
}

static void feed_err(struct lines *l, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n' && buf[i] != '\r') {
			if (l->cur.len < LINE_MAX_KEPT)
				wf_sb_addc(&l->cur, buf[i]);
			continue;
		}
		const char *line = l->cur.buf ? l->cur.buf : "";
		keep_tail(l->o, line);
		if (l->o->on_line && *line)
			l->o->on_line(l->o->ud, line);
		wf_sb_truncate(&l->cur, 0);
	}
}

static void pump(int fo, int fe, struct wf_run_opts *o, size_t max)
{
	struct lines l = { WF_STRBUF_INIT, o };
	struct pollfd p[2] = { { fo, POLLIN, 0 }, { fe, POLLIN, 0 } };
	char buf[8192];
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(p[i].fd, buf, sizeof buf);
			if (r <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else if (i == 1) {
				feed_err(&l, buf, (size_t)r);
			} else if (o->out && o->out->len < max) {
				size_t keep = (size_t)r < max - o->out->len ? (size_t)r : max - o->out->len;
				wf_sb_add(o->out, buf, keep);
				o->truncated |= keep < (size_t)r;
			} else if (o->out) {
				o->truncated = 1;
			}
		}
	}
	feed_err(&l, "\n", 1);
	wf_sb_release(&l.cur);
}

int wf_run(const char *const *argv, struct wf_run_opts *o, struct wf_error *e)
{
	if (!argv[0] || argv[0][0] != '/')
		return wf_error_set(e, WF_ERR_INTERNAL, "run: %s is not an absolute path",
				    argv[0] ? argv[0] : "(null)");
	int po[2] = { -1, -1 }, pe[2];
	if ((o->out && pipe2(po, O_CLOEXEC) < 0) || pipe2(pe, O_CLOEXEC) < 0)
		return wf_error_set(e, WF_ERR_INTERNAL, "run %s: pipe: %s", argv[0], strerror(errno));
	o->err_tail[0] = 0;
	o->truncated = 0;
	pid_t pid = fork();
	if (pid < 0)
		return wf_error_set(e, WF_ERR_INTERNAL, "run %s: fork: %s", argv[0], strerror(errno));
	if (pid == 0)
		child(argv, po[1], pe[1]);
	if (po[1] >= 0)
		close(po[1]);
	close(pe[1]);
	pump(po[0], pe[0], o, o->out_max ? o->out_max : DEFAULT_OUT_MAX);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return wf_error_set(e, WF_ERR_INTERNAL, "run %s: wait: %s", argv[0], strerror(errno));
	if (WIFSIGNALED(st))
		return wf_error_set(e, WF_ERR_INTERNAL, "%s was killed by signal %d", argv[0], WTERMSIG(st));
	return WEXITSTATUS(st);
}
