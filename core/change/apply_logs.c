/*
 * apply_logs.c - a hive that was not cleanly saved, in the executor.
 *
 * Windows 8.1 and later write registry changes to the transaction logs
 * first and to the hive later, so a copy of a guest that stopped (a 0x7B
 * never flushes) often has a dirty SYSTEM whose newest state is in
 * SYSTEM.LOG1/.LOG2.  The fix is made on the hive as its logs leave it
 * (hivelog.h); the hive written is clean.  The logs are backed up (as
 * journal files, so undo restores them byte for byte) and then emptied.
 *
 * Why emptied: the "Windows registry file format specification"
 * (msuhanov/regf), "Dirty state of a hive", says log entries are replayed
 * only over a dirty primary, and new-format note 5 that only entries at or
 * past the log's base sequence number are applied.  The hive hivex writes
 * is clean with a higher sequence number, so Windows would ignore the old
 * entries already; emptying them also protects the fix should the hive be
 * left dirty again before Windows first rewrites its logs.  Empty .LOG1
 * and .LOG2 files are normal ("Multiple transaction log files": present
 * and empty when a writer uses one log).
 */
#include "apply_priv.h"
#include "hivelog.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const log_ext[WF_HIVELOG_NLOGS] = { ".LOG1", ".LOG2", ".LOG" };

/* The guest paths of the hive's logs that exist (names matched without
 * case, as NTFS does), in recovery order; NULL where absent. */
static void find_logs(const struct wf_apply_io *io, const char *hive,
		      char *out[WF_HIVELOG_NLOGS])
{
	const char *slash = strrchr(hive, '/');
	char *dir = slash ? wf_xstrndup(hive, (size_t)(slash - hive)) : wf_xstrdup(".");
	const char *base = slash ? slash + 1 : hive;
	char **names = io->list ? io->list(io->ud, dir) : NULL;
	for (size_t k = 0; k < WF_HIVELOG_NLOGS; k++) {
		out[k] = NULL;
		char *want = wf_xasprintf("%s%s", base, log_ext[k]);
		for (size_t i = 0; names && names[i] && !out[k]; i++)
			if (wf_streqi(names[i], want))
				out[k] = wf_xasprintf("%s/%s", dir, names[i]);
		free(want);
	}
	wf_strv0_free(names);
	free(dir);
}

/* Back up one log as a journal file whose state after the fix is empty. */
static int keep_log(struct wf_run *x, const char *path, struct wf_strbuf *data,
		    struct wf_error *e)
{
	struct wf_journal *j = &x->r->journal;
	j->files = wf_xrealloc(j->files, (j->n_files + 1) * sizeof *j->files);
	struct wf_journal_file *f = &j->files[j->n_files++];
	memset(f, 0, sizeof *f);
	f->path = wf_xstrdup(path);
	f->existed = 1;
	f->backup = wf_xasprintf("files/%zu", j->n_files - 1);
	struct wf_sha256 s;
	wf_sha256_init(&s);
	wf_sha256_hex(&s, f->after);	/* emptied */
	wf_apply_step(x, "backing up %s", path);
	if (wf_apply_keep_copy(x, path, f->backup, f->before, e) < 0)
		return -1;
	char *local = wf_xasprintf("%s/%s", x->hbk, f->backup);
	int r = wf_sb_read_file(data, local, WF_HIVELOG_MAX_LOG, e);
	free(local);
	return r;
}

/* Replay the logs of hive h (backed up in x->hbk/NAME) when it is dirty:
 * x->basis[h] gets the recovered hive, the logs join the journal. */
static int hive_logs(struct wf_run *x, int h, struct wf_error *e)
{
	const char *name = wf_plan_hive_name((enum wf_plan_hive)h);
	char *local = wf_xasprintf("%s/%s", x->hbk, name);
	if (!wf_hivelog_file_is_dirty(local)) {
		free(local);
		return 0;
	}
	char *paths[WF_HIVELOG_NLOGS];
	find_logs(x->t->io, x->t->hive[h], paths);
	struct wf_strbuf data[WF_HIVELOG_NLOGS];
	struct wf_hivelog_file files[WF_HIVELOG_NLOGS];
	int r = 0;
	for (size_t k = 0; k < WF_HIVELOG_NLOGS; k++) {
		wf_sb_init(&data[k]);
		const char *p = paths[k];
		files[k] = (struct wf_hivelog_file){ .name = p ? strrchr(p, '/') + 1 : log_ext[k] };
		if (p && r == 0 && (r = keep_log(x, p, &data[k], e)) == 0) {
			files[k].data = (unsigned char *)data[k].buf;
			files[k].len = data[k].len;
		}
	}
	struct wf_hivelog_result res = { 0 };
	struct wf_strbuf prim = WF_STRBUF_INIT;
	if (r == 0)
		r = wf_sb_read_file(&prim, local, WF_HIVELOG_MAX_HIVE, e);
	if (r == 0)
		r = wf_hivelog_recover((unsigned char *)prim.buf, prim.len, files,
				       WF_HIVELOG_NLOGS, &res, e);
	if (r == 0 && res.state == WF_HIVELOG_STALE)
		r = wf_error_set(e, WF_ERR_INPUT,
				 "%s hive: not cleanly saved (sequence numbers %u/%u) and its transaction logs "
				 "could not be replayed (%s); nothing was changed: boot Windows and shut it down "
				 "fully, or restore the logs beside it", name, res.seq1, res.seq2, res.why);
	if (r == 0) {
		x->basis[h] = wf_xasprintf("%s/%s.replayed", x->t->tmpdir, name);
		FILE *f = fopen(x->basis[h], "wb");
		int bad = !f || fwrite(res.image, 1, res.image_len, f) != res.image_len;
		if (f)
			bad |= fclose(f) != 0;
		if (bad)
			r = wf_error_set(e, WF_ERR_INPUT, "%s: cannot write", x->basis[h]);
		x->n_logs += 1;
	}
	wf_hivelog_result_free(&res);
	wf_sb_release(&prim);
	for (size_t k = 0; k < WF_HIVELOG_NLOGS; k++) {
		wf_sb_release(&data[k]);
		free(paths[k]);
	}
	free(local);
	return r;
}

int wf_apply_hive_logs(struct wf_run *x, struct wf_error *e)
{
	x->log_first = x->r->journal.n_files;
	for (int h = 0; h < WF_HIVE_N; h++)
		if (x->touched[h] && hive_logs(x, h, e) < 0)
			return -1;
	return 0;
}

/* Each log backed up above gets an empty file staged, renamed over it
 * only after the hives' renames are on disk (WF_STAGE_LOGS). */
int wf_apply_stage_empty_logs(struct wf_run *x, struct wf_error *e)
{
	struct wf_journal *j = &x->r->journal;
	if (j->n_files == x->log_first)
		return 0;
	char *empty = wf_xasprintf("%s/wf-empty-log", x->t->tmpdir);
	FILE *f = fopen(empty, "wb");
	int r = f && fclose(f) == 0 ? 0
		: wf_error_set(e, WF_ERR_INPUT, "%s: cannot write", empty);
	for (size_t k = x->log_first; k < j->n_files && r == 0; k++) {
		wf_apply_step(x, "emptying %s (replayed into the hive)", j->files[k].path);
		r = wf_stage_put(x, empty, j->files[k].path, WF_STAGE_LOGS, e);
	}
	unlink(empty);
	free(empty);
	return r;
}

/* Plan note for a hive the plan changes whose copy was not cleanly saved. */
void wf_plan_note_hivelog(struct wf_plan *p, enum wf_plan_hive h,
			  const struct wf_hivelog_result *r)
{
	if (!wf_plan_count_hive(p, h) || r->state == WF_HIVELOG_CLEAN)
		return;
	const char *name = wf_plan_hive_name(h);
	char *d = wf_hivelog_describe(r, name);
	if (r->state == WF_HIVELOG_STALE)
		wf_plan_note(p, "%s; the fix will not write this hive (Windows could not replay "
			     "the logs either): boot Windows and shut it down fully first", d);
	else
		wf_plan_note(p, "%s. The fix is made on the replayed hive: the %s written is clean "
			     "and holds what the logs held; its transaction logs are backed up and "
			     "then emptied, so that Windows does not replay them over the fix; undo "
			     "puts the hive and its logs back byte for byte", d, name);
	free(d);
}
