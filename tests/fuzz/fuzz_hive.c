/*
 * fuzz_hive.c - libFuzzer target for a SYSTEM hive read through hivex:
 * core/formats/hive.c's reading API, the diagnosis rules over it
 * (core/diagnose) and the planner's bounded tree walk (core/change/plan.c,
 * the cyclic-subkey crash of issue 15).
 *
 * The input is the hive file.  hivex wants a path: the bytes go to a
 * memfd, opened as /proc/self/fd/N (nothing is written to disk).  Every
 * input must be refused with a message or read; the diagnosis must end
 * (libFuzzer's -timeout catches a loop) and its findings be well formed;
 * a walk of the whole tree stops at its caps.  Seeds: small .reg files
 * in tests/fuzz/corpus/hive, made into hives by the kit (tests/fuzz/run).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diagnose.h"
#include "finding.h"
#include "hive.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read every value of a key through each typed getter (what rules do). */
static void read_values(struct wf_hive *h, wf_node n)
{
	size_t nv;
	char **names = wf_hive_value_names(h, n, &nv);
	for (size_t i = 0; i < nv && i < 64; i++) {
		uint32_t d, t;
		size_t len, nm;
		void *raw = NULL;
		if (wf_hive_get_raw(h, n, names[i], &t, &raw, &len) == 0)
			free(raw);
		wf_hive_get_dword(h, n, names[i], &d);
		free(wf_hive_get_string(h, n, names[i]));
		char **m = wf_hive_get_multi(h, n, names[i], &nm);
		for (size_t k = 0; k < nm; k++)
			if (!m[k])
				abort();	/* n strings, none NULL */
		wf_strv_free(m, nm);
	}
	wf_strv_free(names, nv);
}

/* Breadth-first over at most 2,000 keys (the hive may be cyclic: the
 * walk here is bounded by count, the planner's by its visited set). */
static void walk(struct wf_hive *h)
{
	size_t cap = 2000, head = 0, tail = 0;
	wf_node *q = malloc(cap * sizeof *q);
	q[tail++] = wf_hive_root(h);
	while (head < tail) {
		wf_node n = q[head++];
		read_values(h, n);
		free(wf_hive_node_name(h, n));
		size_t nk;
		wf_node *kids = wf_hive_children(h, n, &nk);
		for (size_t i = 0; i < nk && tail < cap; i++)
			q[tail++] = kids[i];
		free(kids);
	}
	free(q);
}

static void diagnose(const char *path)
{
	struct wf_findings f = { 0 };
	struct wf_diag_notes notes = { 0 };
	struct wf_error e = { 0 };
	if (wf_diagnose_hive_files(path, NULL, NULL, NULL, 0, &notes, &f, &e) < 0) {
		if (!e.msg[0])
			abort();	/* a refusal says why */
	}
	for (size_t i = 0; i < f.n; i++)
		if (!f.v[i].id || !f.v[i].title)
			abort();
	wf_findings_free(&f);
	wf_diag_notes_free(&notes);
}

/* The planner's delete-key counts the subtree (explicit stack, depth
 * limit, visited set): a key listing itself as a subkey must end. */
static void plan_delete(struct wf_hive *h)
{
	char ccs[64];
	struct wf_error e = { 0 };
	if (wf_hive_current_control_set(h, ccs, sizeof ccs, &e) < 0)
		return;
	struct wf_plan p;
	wf_plan_init(&p);
	char *key = NULL;
	if (asprintf(&key, "%s\\Services", ccs) > 0)
		wf_plan_delete_key(&p, h, WF_HIVE_SYSTEM, key, "fuzz");
	free(key);
	wf_plan_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz-hive", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(path, "SYSTEM", 0, &e);
	if (!h) {
		if (!e.msg[0])
			abort();
		return 0;
	}
	walk(h);
	plan_delete(h);
	wf_hive_close(h);
	diagnose(path);
	return 0;
}
