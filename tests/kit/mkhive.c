/*
 * mkhive - write a registry hive from .reg files (test kit).
 *
 *   mkhive OUT.hive [--root NAME] [--reg FILE.reg [--prefix PREFIX]]...
 *
 * Starts from an empty minimal hive (kitlib) and applies each .reg file
 * with core/regfile in order.  A --prefix right after a --reg applies to
 * that file; a --prefix before any --reg is the default for the files
 * that have none.  Without any prefix, key paths are taken from the hive
 * root ("[\Select]" or "[Select]").  Example:
 *
 *   mkhive SYSTEM --reg system.reg --prefix 'HKEY_LOCAL_MACHINE\SYSTEM'
 *
 * The hive is built in OUT.tmp and renamed into place, so OUT is either
 * complete or untouched.  Exit status 0 on success, 1 on error, 2 on
 * usage errors.
 */
#include "kitlib.h"
#include "hive.h"
#include "regfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct input {
	const char *reg;
	const char *prefix;
};

static void usage(FILE *f)
{
	fputs("usage: mkhive OUT.hive [--root NAME] [--reg FILE.reg [--prefix PREFIX]]...\n",
	      f);
}

static int build(const char *out, const char *root, const struct input *in,
		 size_t n, const char *default_prefix, struct wf_error *e)
{
	char *tmp = wf_xasprintf("%s.tmp", out);
	int rc = -1;
	struct wf_hive *h = NULL;
	if (kit_write_minimal_hive(tmp, root, e) < 0)
		goto out;
	const char *base = strrchr(out, '/');
	h = wf_hive_open(tmp, base ? base + 1 : out, 1, e);
	if (!h)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct wf_regfile r;
		if (wf_regfile_parse(in[i].reg, &r, e) < 0)
			goto out;
		const char *prefix = in[i].prefix ? in[i].prefix : default_prefix;
		int a = wf_regfile_apply(&r, h, prefix, e);
		wf_regfile_free(&r);
		if (a < 0)
			goto out;
	}
	if (wf_hive_commit(h, tmp, e) < 0)
		goto out;
	if (rename(tmp, out) < 0) {
		wf_error_set(e, WF_ERR_INPUT, "%s: cannot rename %s into place", out, tmp);
		goto out;
	}
	rc = 0;
out:
	if (h)
		wf_hive_close(h);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *root = NULL, *default_prefix = NULL;
	struct input *in = calloc((size_t)argc, sizeof *in);
	size_t n = 0;
	if (!in)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int has_arg = i + 1 < argc;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			free(in);
			return 0;
		} else if (!strcmp(a, "--root") && has_arg) {
			root = argv[++i];
		} else if (!strcmp(a, "--reg") && has_arg) {
			in[n].reg = argv[++i];
			in[n++].prefix = NULL;
		} else if (!strcmp(a, "--prefix") && has_arg) {
			if (n && !in[n - 1].prefix)
				in[n - 1].prefix = argv[++i];
			else
				default_prefix = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mkhive: unknown option or missing argument: %s\n", a);
			usage(stderr);
			free(in);
			return 2;
		} else if (!out) {
			out = a;
		} else {
			fprintf(stderr, "mkhive: more than one output file: %s\n", a);
			usage(stderr);
			free(in);
			return 2;
		}
	}
	if (!out) {
		usage(stderr);
		free(in);
		return 2;
	}
	struct wf_error err = { 0 };
	int rc = build(out, root, in, n, default_prefix, &err);
	if (rc < 0)
		fprintf(stderr, "mkhive: %s\n", err.msg);
	free(in);
	return rc < 0 ? 1 : 0;
}
