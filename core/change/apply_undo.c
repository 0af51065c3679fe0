/*
 * apply_undo.c - list the fixes applied to a guest and undo one exactly
 * (see apply.h).  The journal next to the image is preferred: it was
 * written by this host; the guest's copy is used when it is the only one.
 */
#include "apply.h"
#include "apply_priv.h"
#include "hostfile.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void wf_journals_free(struct wf_journal *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wf_journal_free(&v[i]);
	free(v);
}

static int read_journal(const char *path, const char *label, struct wf_journal *j)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, 4 << 20, NULL);
	if (r == 0)
		r = wf_journal_parse(sb.buf, sb.len, label, j, NULL);
	wf_sb_release(&sb);
	return r;
}

static int have_id(const struct wf_journal *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return 1;
	return 0;
}

static void push(struct wf_journal **v, size_t *n, struct wf_journal *j)
{
	*v = wf_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = *j;
}

/* The host's journals: <host_backup_dir>/<id>/journal.json, read through
 * the opened folders without following symlinks; a folder whose name is
 * not a journal id, or that is not ours, is skipped. */
static void host_journals(const struct wf_apply_target *t, struct wf_journal **v, size_t *n)
{
	int top = t->host_backup_dir ? wf_hostdir_open(t->host_backup_dir, WF_HOSTDIR_PRIVATE, NULL) : -1;
	int lfd = top < 0 ? -1 : dup(top);
	DIR *d = lfd < 0 ? NULL : fdopendir(lfd);
	if (!d && lfd >= 0)
		close(lfd);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!wf_journal_id_ok(de->d_name))
			continue;
		int sub = wf_hostdir_openat(top, de->d_name, WF_HOSTDIR_PRIVATE, NULL);
		int fd = sub < 0 ? -1 : wf_hostfile_open_read(sub, "journal.json", NULL);
		char *p = wf_xasprintf("%s/%s/journal.json", t->host_backup_dir, de->d_name);
		char *fp = fd < 0 ? NULL : wf_fd_path(fd);
		struct wf_journal j;
		memset(&j, 0, sizeof j);
		if (fp && read_journal(fp, p, &j) == 0 && strcmp(j.id, de->d_name) == 0 && !have_id(*v, *n, j.id))
			push(v, n, &j);
		else
			wf_journal_free(&j);
		if (fd >= 0)
			close(fd);
		if (sub >= 0)
			close(sub);
		free(fp);
		free(p);
	}
	if (d)
		closedir(d);
	if (top >= 0)
		close(top);
}

static void guest_journals(const struct wf_apply_target *t, struct wf_journal **v, size_t *n)
{
	const struct wf_apply_io *io = t->io;
	char **names = io->list(io->ud, WF_APPLY_GUEST_BACKUP);
	for (size_t i = 0; names && names[i]; i++) {
		char *g = wf_xasprintf("%s/%s/journal.json", WF_APPLY_GUEST_BACKUP, names[i]);
		char *local = wf_xasprintf("%s/wf-journal.json", t->tmpdir);
		struct wf_journal j;
		memset(&j, 0, sizeof j);
		if (!have_id(*v, *n, names[i]) && io->download(io->ud, g, local, NULL) == 0 &&
		    read_journal(local, g, &j) == 0 && strcmp(j.id, names[i]) == 0)
			push(v, n, &j);
		else
			wf_journal_free(&j);
		unlink(local);
		free(local);
		free(g);
		free(names[i]);
	}
	free(names);
}

static int newest_first(const void *a, const void *b)
{
	return strcmp(((const struct wf_journal *)b)->id, ((const struct wf_journal *)a)->id);
}

int wf_undo_list(const struct wf_apply_target *t, struct wf_journal **out,
		 size_t *n, struct wf_error *e)
{
	(void)e;
	*out = NULL;
	*n = 0;
	host_journals(t, out, n);
	guest_journals(t, out, n);
	if (*n)
		qsort(*out, *n, sizeof **out, newest_first);
	return 0;
}

/* --- undo --------------------------------------------------------------------------- */

/* A backup's bytes checked against `want`: the host copy, else the guest's. */
static char *backup_copy(struct wf_run *x, const char *rel, const char *want,
			 struct wf_error *e)
{
	char hex[65];
	int fd = wf_backup_open_read(x, rel);
	char *host = fd >= 0 ? wf_fd_path(fd) : NULL;
	char *local = wf_xasprintf("%s/wf-restore", x->t->tmpdir);
	/* the host copy, checked, copied into our private tmpdir */
	int ok = host && wf_sha256_file(host, hex, NULL) == 0 && strcmp(hex, want) == 0 &&
		 wf_host_copy(host, local, NULL) == 0 && wf_sha256_file(local, hex, NULL) == 0 &&
		 strcmp(hex, want) == 0;
	if (fd >= 0)
		close(fd);
	free(host);
	if (ok)
		return local;
	free(local);
	const struct wf_apply_io *io = x->t->io;
	char *g = wf_xasprintf("%s/%s", x->gbk, rel);
	local = wf_xasprintf("%s/wf-restore", x->t->tmpdir);
	ok = io->download(io->ud, g, local, NULL) == 0 &&
		 wf_sha256_file(local, hex, NULL) == 0 && strcmp(hex, want) == 0;
	if (!ok) {
		wf_error_set(e, WF_ERR_INPUT,
			     "backup %s: missing or not the bytes the journal recorded (in %s and %s)",
			     rel, x->hbk, g);
		unlink(local);
		free(local);
		local = NULL;
	}
	free(g);
	return local;
}

static const char *hive_path_of(const struct wf_apply_target *t, const char *name)
{
	for (int h = 0; h < WF_HIVE_N; h++)
		if (wf_streqi(wf_plan_hive_name((enum wf_plan_hive)h), name))
			return t->hive[h];
	return NULL;
}

static int restore_hive(struct wf_run *x, const struct wf_journal_hive *jh,
			struct wf_error *e)
{
	const char *path = hive_path_of(x->t, jh->name);
	if (!path || !jh->before[0])
		return wf_error_set(e, WF_ERR_INPUT, "journal %s: unknown hive %s",
				    x->r->journal.id, jh->name);
	char cur[65];
	wf_apply_step(x, "checking the %s hive", jh->name);
	if (wf_guest_sha256(x, path, cur, e) < 0)
		return -1;
	if (strcmp(cur, jh->before) == 0)
		return 0;	/* already as before (an interrupted fix) */
	int state_ok = strcmp(cur, jh->after) == 0;
	if (!state_ok && !(x->o && x->o->force))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s changed since fix %s (Windows ran, or another tool wrote it): undo would "
				    "lose those changes; run undo with --force to restore the backup anyway",
				    path, x->r->journal.id);
	char *src = backup_copy(x, jh->name, jh->before, e);
	if (!src)
		return -1;
	wf_apply_step(x, "restoring the %s hive", jh->name);
	int r = wf_guest_replace(x, src, path, e);
	if (r == 0)
		r = wf_guest_sha256(x, path, cur, e);
	if (r == 0 && strcmp(cur, jh->before) != 0)
		r = wf_error_set(e, WF_ERR_INPUT, "%s: restored, but the hash differs from the backup's", path);
	if (strncmp(src, x->t->tmpdir, strlen(x->t->tmpdir)) == 0)
		unlink(src);
	free(src);
	x->r->n_restored += r == 0;
	return r;
}

static int valid_backup_name(const char *b)
{
	if (!b || strncmp(b, "files/", 6) != 0 || !b[6])
		return 0;
	for (const char *p = b + 6; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

static int restore_file(struct wf_run *x, const struct wf_journal_file *f,
			struct wf_error *e)
{
	const struct wf_apply_io *io = x->t->io;
	char cur[65] = "";
	int there = io->exists(io->ud, f->path, NULL);
	if (there < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot tell whether it exists", f->path);
	if (there && wf_guest_sha256(x, f->path, cur, e) < 0)
		return -1;
	if (f->existed ? strcmp(cur, f->before) == 0 : !there)
		return 0;
	if (there && strcmp(cur, f->after) != 0 && !(x->o && x->o->force))
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s changed since fix %s: undo leaves it (--force restores it anyway)",
				    f->path, x->r->journal.id);
	wf_apply_step(x, "%s %s", f->existed ? "restoring" : "removing", f->path);
	if (!f->existed) {
		x->r->n_restored++;
		return io->remove(io->ud, f->path, e);
	}
	if (!valid_backup_name(f->backup))
		return wf_error_set(e, WF_ERR_INPUT, "journal %s: bad backup name for %s",
				    x->r->journal.id, f->path);
	char *src = backup_copy(x, f->backup, f->before, e);
	if (!src)
		return -1;
	int r = wf_guest_replace(x, src, f->path, e);
	if (strncmp(src, x->t->tmpdir, strlen(x->t->tmpdir)) == 0)
		unlink(src);
	free(src);
	x->r->n_restored += r == 0;
	return r;
}

static int pick(struct wf_journal *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (id ? strcmp(v[i].id, id) == 0 : strcmp(v[i].state, WF_JOURNAL_UNDONE) != 0)
			return (int)i;
	return -1;
}

int wf_undo(const struct wf_apply_target *t, const char *id,
	    const struct wf_apply_opts *o, struct wf_apply_result *r,
	    struct wf_error *e)
{
	memset(r, 0, sizeof *r);
	if (id && !wf_journal_id_ok(id))
		return wf_error_set(e, WF_ERR_USAGE, "\"%s\": not a fix id (undo --list shows them)", id);
	struct wf_journal *v;
	size_t n;
	wf_undo_list(t, &v, &n, e);
	int i = pick(v, n, id);
	if (i < 0) {
		wf_journals_free(v, n);
		return id ? wf_error_set(e, WF_ERR_USAGE, "no fix %s in this guest's journals (undo --list shows them)", id)
			  : wf_error_set(e, WF_ERR_INPUT, "nothing to undo: no fix applied by virt-winfix is recorded in this guest");
	}
	if (strcmp(v[i].state, WF_JOURNAL_UNDONE) == 0) {
		int rc = wf_error_set(e, WF_ERR_INPUT, "fix %s was already undone", v[i].id);
		wf_journals_free(v, n);
		return rc;
	}
	r->journal = v[i];
	memset(&v[i], 0, sizeof v[i]);
	wf_journals_free(v, n);
	struct wf_run x = { .t = t, .o = o, .r = r, .hbk_fd = -1 };
	x.gbk = wf_xasprintf("%s/%s", WF_APPLY_GUEST_BACKUP, r->journal.id);
	x.hbk = wf_xasprintf("%s/%s", t->host_backup_dir ? t->host_backup_dir : "/nonexistent",
			     r->journal.id);
	x.total = (unsigned)(r->journal.n_hives * 2 + r->journal.n_files + 1);
	int rc = wf_backup_dir_open(&x, 1, e);
	wf_apply_watch(&x, 1);
	for (size_t k = r->journal.n_files; k-- > 0 && rc == 0;)
		rc = restore_file(&x, &r->journal.files[k], e);
	for (size_t k = 0; k < r->journal.n_hives && rc == 0; k++)
		rc = restore_hive(&x, &r->journal.hives[k], e);
	if (rc == 0) {
		free(r->journal.state);
		r->journal.state = wf_xstrdup(WF_JOURNAL_UNDONE);
		free(r->journal.finished);
		r->journal.finished = wf_journal_now(0);
		wf_apply_step(&x, "recording the journal");
		rc = wf_write_journal(&x, 0, e);
	}
	wf_apply_watch(&x, 0);
	r->guest_backup = wf_xasprintf("C:\\virt-winfix\\backup\\%s", r->journal.id);
	r->host_backup = x.hbk;
	if (x.hbk_fd >= 0)
		close(x.hbk_fd);
	free(x.gbk);
	return rc;
}
