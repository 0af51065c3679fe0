/*
 * isofs.c - ISO images through xorriso (see isofs.h).
 *
 * xorriso quotes the paths it reports as shell words: '...' segments, a
 * quote inside written as '"'"' (xorriso(1), "-find", and its quoting of
 * result lines).  The rebuild replays the boot equipment with
 * "-boot_image any replay" (xorriso(1): "replay" re-creates the El Torito
 * catalogue, boot images and system area of the loaded image) and writes
 * Joliet as Windows reads it, at ISO level 3 so that an install.wim over
 * 4 GiB stays one file.
 */
#include "isofs.h"
#include "hive.h"
#include "spawn.h"
#include "strbuf.h"
#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *xorriso(struct wf_error *e)
{
	static const char *const paths[] = { "/usr/bin/xorriso", "/bin/xorriso", NULL };
	const char *t = wf_spawn_find(paths);
	if (!t)
		wf_error_set(e, WF_ERR_INPUT, "xorriso is not installed (Debian package xorriso)");
	return t;
}

/* The -indev address of a file or block device: "stdio:" makes xorriso
 * read any path as an image, a block device outside the optical drives
 * too (xorriso(1), "stdio:" pseudo-drives: without it, an address in /dev
 * must be an MMC drive).  malloc'd. */
static char *indev(const char *path)
{
	return wf_xasprintf("stdio:%s", path);
}

/* Run xorriso with args; stdout to out (may be NULL).  Quick questions get
 * two minutes; copies of WIMs and the rebuild (timeout_ms -1) as long as
 * they take: the operator sees their progress and can stop them. */
static int run_x(const char *const *args, struct wf_strbuf *out, const char *what,
		 int timeout_ms, wf_iso_progress progress, void *ud, struct wf_error *e)
{
	const char *tool = xorriso(e);
	if (!tool)
		return -1;
	size_t n = 0;
	while (args[n])
		n++;
	const char **argv = wf_xcalloc(n + 2, sizeof *argv);
	argv[0] = tool;
	memcpy(argv + 1, args, n * sizeof *args);
	struct wf_spawn_opts o = { .timeout_ms = timeout_ms, .out_cap = 16u << 20,
				   .on_err_line = progress, .ud = ud };
	struct wf_spawn_result r;
	int rc = wf_spawn(argv, &o, &r, e);
	free(argv);
	if (rc == 0 && r.status != 0)
		rc = wf_error_set(e, WF_ERR_INPUT, "xorriso failed (exit %d): %s", r.status,
				  r.err_last[0] ? r.err_last : "no message");
	if (rc == 0 && out)
		wf_sb_add(out, r.out, r.out_len);
	wf_spawn_result_free(&r);
	if (rc < 0)
		wf_error_prefix(e, "%s", what);
	return rc;
}

/* One shell-quoted word as xorriso prints it -> malloc'd string, NULL if bad. */
static char *unquote(const char *s)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	while (*s) {
		char q = *s;
		if (q != '\'' && q != '"') {
			wf_sb_release(&sb);
			return NULL;
		}
		const char *end = strchr(s + 1, q);
		if (!end) {
			wf_sb_release(&sb);
			return NULL;
		}
		wf_sb_add(&sb, s + 1, (size_t)(end - s - 1));
		s = end + 1;
	}
	return wf_sb_detach(&sb);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One "-exec lsdl" line: "-rw-r--r--  1 0  0  2396 Dec  2 07:52 '/a/b.inf'":
 * a regular file's mode, links, owner, group, size, the date's three
 * fields, then the quoted path (xorriso(1), "-exec lsdl": as "ls -dl"
 * would print it).  The path (malloc'd) and *size; NULL for any other
 * line. */
static char *lsdl_line(const char *l, uint64_t *size)
{
	if (l[0] != '-')
		return NULL;
	const char *p = l;
	for (int i = 0; i < 8; i++) {
		p += strspn(p, " ");
		const char *f = p;
		p += strcspn(p, " ");
		if (p == f)
			return NULL;
		if (i == 4) {
			uint64_t v = 0;
			for (const char *d = f; d < p; d++) {
				if (*d < '0' || *d > '9' || v > UINT64_MAX / 10 - 10)
					return NULL;
				v = v * 10 + (uint64_t)(*d - '0');
			}
			*size = v;
		}
	}
	p += strspn(p, " ");
	return *p ? unquote(p) : NULL;
}

int wf_iso_list(const char *iso, char ***files, uint64_t **sizes, size_t *n,
		struct wf_error *e)
{
	*files = NULL;
	if (sizes)
		*sizes = NULL;
	*n = 0;
	struct wf_strbuf out = WF_STRBUF_INIT;
	char *dev = indev(iso);
	const char *args[] = { "-indev", dev, "-find", "/", "-type", "f", "-exec", "lsdl", NULL };
	int r = run_x(args, &out, iso, 120000, NULL, NULL, e);
	free(dev);
	if (r < 0) {
		wf_sb_release(&out);
		return -1;
	}
	struct ent { char *path; uint64_t size; } *v = NULL;
	char *save = NULL;
	for (char *l = strtok_r(out.buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		uint64_t size = 0;
		char *p = lsdl_line(l, &size);
		if (!p)
			continue;	/* not a result line */
		if (*n >= WF_ISO_MAX_FILES) {
			free(p);
			for (size_t i = 0; i < *n; i++)
				free(v[i].path);
			free(v);
			*n = 0;
			wf_sb_release(&out);
			return wf_error_set(e, WF_ERR_INPUT, "%s: more than %d files", iso,
					    WF_ISO_MAX_FILES);
		}
		v = wf_xrealloc(v, (*n + 1) * sizeof *v);
		v[*n].path = p;
		v[(*n)++].size = size;
	}
	wf_sb_release(&out);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_str);	/* by path: the first member */
	*files = wf_xcalloc(*n + 1, sizeof **files);
	if (sizes)
		*sizes = wf_xcalloc(*n + 1, sizeof **sizes);
	for (size_t i = 0; i < *n; i++) {
		(*files)[i] = v[i].path;
		if (sizes)
			(*sizes)[i] = v[i].size;
	}
	free(v);
	return 0;
}

int wf_iso_extract(const char *iso, const char *iso_path, const char *host,
		   struct wf_error *e)
{
	struct stat st;
	if (lstat(host, &st) == 0)
		return wf_error_set(e, WF_ERR_INTERNAL, "%s: already exists", host);
	char *dev = indev(iso);
	const char *args[] = { "-osirrox", "on", "-indev", dev, "-extract", iso_path, host, NULL };
	int r = run_x(args, NULL, iso, -1, NULL, NULL, e);
	free(dev);
	if (r < 0)
		return -1;
	if (lstat(host, &st) < 0 || !S_ISREG(st.st_mode))
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s is not a file in it", iso, iso_path);
	return 0;
}

int wf_iso_rebuild(const char *iso, const char *out, const struct wf_iso_map *m,
		   size_t n, wf_iso_progress progress, void *ud, struct wf_error *e)
{
	struct stat st;
	if (lstat(out, &st) == 0)
		return wf_error_set(e, WF_ERR_USAGE, "%s: already exists (choose a new name)", out);
	size_t cap = 16 + 3 * n;
	const char **args = wf_xcalloc(cap, sizeof *args);
	size_t k = 0;
	char *dev = indev(iso);
	const char *head[] = { "-indev", dev, "-outdev", out, "-joliet", "on",
			       "-compliance", "iso_9660_level=3", "-boot_image", "any", "replay" };
	for (size_t i = 0; i < sizeof head / sizeof *head; i++)
		args[k++] = head[i];
	for (size_t i = 0; i < n; i++) {
		args[k++] = "-map";
		args[k++] = m[i].host;
		args[k++] = m[i].iso_path;
	}
	args[k++] = "-commit";
	args[k] = NULL;
	int r = run_x(args, NULL, out, -1, progress, ud, e);
	free(args);
	free(dev);
	if (r < 0)
		unlink(out);
	return r;
}

int wf_iso_boot_report(const char *iso, struct wf_strbuf *out, struct wf_error *e)
{
	char *dev = indev(iso);
	const char *args[] = { "-indev", dev, "-report_el_torito", "plain",
			       "-report_system_area", "plain", NULL };
	int r = run_x(args, out, iso, 120000, NULL, NULL, e);
	free(dev);
	return r;
}

int wf_iso_volid(const char *iso, char *buf, size_t n, struct wf_error *e)
{
	struct wf_strbuf out = WF_STRBUF_INIT;
	char *dev = indev(iso);
	const char *args[] = { "-indev", dev, "-pvd_info", NULL };
	int r = run_x(args, &out, iso, 120000, NULL, NULL, e);
	free(dev);
	buf[0] = 0;
	const char *v = r == 0 ? strstr(out.buf, "Volume Id") : NULL;
	if (v && (v = strchr(v, ':'))) {
		v++;
		while (*v == ' ')
			v++;
		size_t len = strcspn(v, "\n");
		snprintf(buf, n, "%.*s", (int)len, v);
		wf_trim(buf);
	}
	wf_sb_release(&out);
	return r;
}
