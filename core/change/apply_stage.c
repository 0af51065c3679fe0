/*
 * apply_stage.c - stage then commit (apply.h, steps 4 and 5).
 *
 * Every target (a file, a hive, an emptied hive log) is first uploaded
 * beside itself as "<path>.wf-new"; nothing is replaced while staging, so
 * a run stopped here changed nothing (its staged copies are junk that the
 * next run overwrites; a cancel, a failed staging, or a commit failing
 * before its first rename removes them).
 *
 * The commit is one sync, then the renames: a rename never reaches the
 * disk before the bytes it names, so each target is whole, old or new,
 * whenever the run stops.  The groups are renamed in order with a sync
 * between two, so that what an earlier group's targets hold is on disk
 * before a later group's rename is: the driver files before the hive that
 * starts them, the hive before its emptied logs (an old dirty hive must
 * never meet empty logs: apply_logs.c).  The renames of the last group
 * become durable at the next sync, the journal's, before it says
 * "applied"; a "prepared" journal tells undo target by target.
 *
 * Under TCG a sync costs 0.13-0.5 s: one per file used to be the largest
 * part of an apply.
 */
#include "apply_priv.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

static char *staged_name(const char *path)
{
	return wf_xasprintf("%s" WF_STAGED_SUFFIX, path);
}

/* dir is `known` or a folder above it ("/a" of "/a/b"). */
static int covers(const char *known, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(known, dir, n) == 0 && (known[n] == '\0' || known[n] == '/');
}

int wf_stage_mkdir(struct wf_run *x, const char *dir, struct wf_error *e)
{
	struct wf_stage *s = &x->stage;
	for (size_t i = 0; i < s->n_dirs; i++)
		if (covers(s->dirs[i], dir))
			return 0;	/* made already, or a folder under it was */
	const struct wf_apply_io *io = x->t->io;
	if (io->mkdir_p(io->ud, dir, e) < 0)
		return -1;
	s->dirs = wf_xrealloc(s->dirs, (s->n_dirs + 1) * sizeof *s->dirs);
	s->dirs[s->n_dirs++] = wf_xstrdup(dir);
	return 0;
}

int wf_stage_put(struct wf_run *x, const char *host, const char *path,
		 enum wf_stage_group group, struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	struct wf_stage *s = &x->stage;
	char *tmp = staged_name(path);
	/* recorded before the upload: a torn one is removed by wf_stage_drop */
	s->v = wf_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = (struct wf_stage_item){ .path = wf_xstrdup(path), .group = group };
	int r = io->upload(io->ud, host, tmp, e);
	free(tmp);
	return r;
}

static int rename_group(struct wf_run *x, enum wf_stage_group group, struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	struct wf_stage *s = &x->stage;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].group != group)
			continue;
		char *tmp = staged_name(s->v[i].path);
		s->v[i].tried = 1;	/* a failed call may still have renamed it */
		int r = io->rename(io->ud, tmp, s->v[i].path, e);
		free(tmp);
		if (r < 0)
			return -1;
	}
	return 0;
}

static int group_used(const struct wf_stage *s, enum wf_stage_group group)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].group == group)
			return 1;
	return 0;
}

int wf_stage_commit(struct wf_run *x, struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	for (int g = 0; g < WF_STAGE_NGROUPS; g++) {
		if (!group_used(&x->stage, (enum wf_stage_group)g))
			continue;
		if (io->sync(io->ud, e) < 0 || rename_group(x, (enum wf_stage_group)g, e) < 0)
			return -1;
	}
	return 0;
}

size_t wf_stage_tried(const struct wf_run *x)
{
	size_t n = 0;
	for (size_t i = 0; i < x->stage.n; i++)
		n += x->stage.v[i].tried != 0;
	return n;
}

void wf_stage_drop(struct wf_run *x)
{
	const struct wf_apply_io *io = x->t->io;
	struct wf_stage *s = &x->stage;
	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i].tried)
			continue;
		char *tmp = staged_name(s->v[i].path);
		io->remove(io->ud, tmp, NULL);	/* best effort: the error said why */
		free(tmp);
	}
}

void wf_stage_free(struct wf_stage *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].path);
	for (size_t i = 0; i < s->n_dirs; i++)
		free(s->dirs[i]);
	free(s->v);
	free(s->dirs);
	memset(s, 0, sizeof *s);
}
