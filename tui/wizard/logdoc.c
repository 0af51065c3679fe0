/* logdoc.c - see logdoc.h. */
#include "logdoc.h"
#include "setupapi.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct build {
	struct wf_logdoc *d;
	unsigned long *fail;	/* line numbers (1-based) the parser flagged */
	unsigned char *lvl;
	size_t n_fail, alloc_fail;
	size_t alloc_text, alloc_off;
	size_t len;
};

static void flag_line(struct build *b, unsigned long line, unsigned char lvl)
{
	if (!line)
		return;
	if (b->n_fail == b->alloc_fail) {
		b->alloc_fail = b->alloc_fail ? b->alloc_fail * 2 : 64;
		b->fail = wf_xrealloc(b->fail, b->alloc_fail * sizeof *b->fail);
		b->lvl = wf_xrealloc(b->lvl, b->alloc_fail);
	}
	b->fail[b->n_fail] = line;
	b->lvl[b->n_fail++] = lvl;
}

static int on_record(const struct wf_sa_record *r, void *arg)
{
	struct build *b = arg;
	for (unsigned i = 0; i < r->n_ev; i++) {
		const struct wf_sa_event *ev = &r->ev[i];
		if (ev->kind == WF_SA_EV_BOOT)
			continue;
		if (ev->kind == WF_SA_EV_PROBLEM && ev->cleared)
			continue;
		int fail = ev->error || ev->kind == WF_SA_EV_NULL_DRIVER ||
			   ev->kind == WF_SA_EV_NO_COMPAT || ev->kind == WF_SA_EV_PROBLEM ||
			   ev->kind == WF_SA_EV_STORE_FAIL;
		flag_line(b, ev->line, fail ? WF_LOGLINE_FAIL : WF_LOGLINE_WARN);
	}
	if (r->exit == WF_SA_EXIT_FAILURE)
		flag_line(b, r->exit_line, WF_LOGLINE_FAIL);
	if (r->exit == WF_SA_EXIT_FAILURE || r->exit == WF_SA_EXIT_UNFINISHED)
		flag_line(b, r->first_line, WF_LOGLINE_WARN);
	return 0;
}

static void add_line(struct build *b, const char *s, size_t len)
{
	struct wf_logdoc *d = b->d;
	if (b->len + len + 1 > b->alloc_text) {
		while (b->len + len + 1 > b->alloc_text)
			b->alloc_text = b->alloc_text ? b->alloc_text * 2 : 65536;
		d->text = wf_xrealloc(d->text, b->alloc_text);
	}
	if (d->n + 2 > b->alloc_off) {
		b->alloc_off = b->alloc_off ? b->alloc_off * 2 : 4096;
		d->off = wf_xrealloc(d->off, b->alloc_off * sizeof *d->off);
	}
	d->off[d->n++] = b->len;
	memcpy(d->text + b->len, s, len);
	b->len += len;
	d->text[b->len++] = '\0';
}

struct wf_logdoc *wf_logdoc_load(const char *path, struct wf_error *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		wf_error_set(e, WF_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	struct wf_logdoc *d = wf_logdoc_load_stream(f, path, e);
	fclose(f);
	return d;
}

struct wf_logdoc *wf_logdoc_load_stream(FILE *f, const char *name, struct wf_error *e)
{
	struct build b = { 0 };
	b.d = wf_xcalloc(1, sizeof *b.d);
	struct wf_sa_reader *r = wf_sa_reader_new(f);
	struct wf_sa_parser *p = wf_sa_parser_new(on_record, &b);
	char *line;
	size_t len;
	int rc;
	while ((rc = wf_sa_reader_next(r, &line, &len)) > 0) {
		wf_sa_parser_line(p, wf_sa_reader_lineno(r), line, len);
		add_line(&b, line, len);
	}
	wf_sa_parser_finish(p);
	wf_sa_parser_free(p);
	wf_sa_reader_free(r);
	if (rc < 0) {
		wf_error_set(e, WF_ERR_INPUT, "%s: read error: %s", name, strerror(errno));
		free(b.fail);
		free(b.lvl);
		wf_logdoc_free(b.d);
		return NULL;
	}
	struct wf_logdoc *d = b.d;
	if (!d->off)
		d->off = wf_xcalloc(1, sizeof *d->off);
	d->off[d->n] = b.len;
	d->flag = wf_xcalloc(d->n + 1, 1);
	for (size_t i = 0; i < b.n_fail; i++) {
		unsigned long ln = b.fail[i];
		if (ln >= 1 && ln <= d->n && d->flag[ln - 1] < b.lvl[i])
			d->flag[ln - 1] = b.lvl[i];
	}
	for (size_t i = 0; i < d->n; i++)
		d->n_fail += d->flag[i] == WF_LOGLINE_FAIL;
	free(b.fail);
	free(b.lvl);
	return d;
}

void wf_logdoc_free(struct wf_logdoc *d)
{
	if (!d)
		return;
	free(d->text);
	free(d->off);
	free(d->flag);
	free(d);
}

const char *wf_logdoc_line(const struct wf_logdoc *d, size_t i, size_t *len)
{
	if (i >= d->n) {
		*len = 0;
		return "";
	}
	*len = d->off[i + 1] - d->off[i] - 1;
	return d->text + d->off[i];
}

size_t wf_logdoc_next_fail(const struct wf_logdoc *d, size_t from, int dir)
{
	if (dir > 0) {
		for (size_t i = from == SIZE_MAX ? 0 : from + 1; i < d->n; i++)
			if (d->flag[i] == WF_LOGLINE_FAIL)
				return i;
	} else {
		for (size_t i = from > d->n ? d->n : from; i-- > 0;)
			if (d->flag[i] == WF_LOGLINE_FAIL)
				return i;
	}
	return SIZE_MAX;
}
