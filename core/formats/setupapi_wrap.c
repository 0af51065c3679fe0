/*
 * setupapi_wrap.c - where a line that a mail, forum or terminal wrapped is
 * joined back: with a space (the wrapper broke at a space and ate it) or
 * without one (a hard wrap cut a word, an id or a path at a fixed width).
 *
 * The answer depends on the whole paste, not on one break: a paste is
 * either soft-wrapped (breaks at spaces, lines of varying length up to the
 * width; a token longer than the width is cut at it) or hard-wrapped
 * (every break at the same width).  The width is learnt from the breaks:
 * each break offers up to three candidate widths, the raw length of the line
 * before it and its "canonical" length (the raw length plus the
 * indentation or section marker that a mail archive took away after the
 * wrap, ">> [Device" for ">>>  [Device", "dvi:" for "     dvi:", "cmd:"
 * for "      cmd:"), and the raw length plus one when the indentation had
 * been collapsed to one space before the wrap (" dvi:") and that space
 * taken after it; a line that continues an entry offers its raw length
 * plus one too (the cut before it fell on a space, which the archive took
 * with the indentation); a width that every break so far agrees with, and
 * that no line of the paste is wider than, after WF_SA_WRAP_SURE breaks,
 * makes the paste hard-wrapped; no such width makes it soft-wrapped.
 *
 * In a hard wrap a break is joined without a space when the line before
 * it is as wide as the width, with one otherwise; and with one when the
 * line after it, cut again, is one column short (the space the cut fell
 * on was taken): so a hard wrap's breaks wait for the next line of their
 * entry.
 *
 * Until that is known, the joined lines are held in a bounded queue (at
 * most Q_LINES lines, Q_BYTES bytes, Q_BRKS undecided breaks: the first
 * screenful of a paste) with a placeholder byte at each undecided break;
 * once the kind of wrap is known, or the queue is full, or the text ends,
 * the placeholders become a space or nothing and the lines go on to the
 * parser in order.  A hard-wrapped line goes through the queue too, on
 * its own.  A text with no wrapped line never uses the queue.
 *
 * Known limits: when the whole paste has a single wrapped line, its kind
 * cannot be learnt; the break is joined without a space only when both
 * sides look like parts of one id or path ('\\', '&', '_', '{', '}') or of
 * an error code ("0xe000" + "0242").  Whatever the kind, a line that
 * starts with a closing bracket is joined without a space.
 * A hard cut that falls exactly on a space is seen only when the space
 * stayed at the end of the first part or the start of the second, or when
 * the second part was cut again (see above): the last part of an entry
 * that lost its first space is joined without one.  When
 * an archive took a different amount off the start of different lines
 * after a hard wrap in a way not modelled by the canonical width (the
 * padding of a right-aligned line counter, "  42: "), the breaks share no
 * width and are joined as a soft wrap's, with a space.  (Telling the kind
 * of wrap per kind of line instead was tried: the first lines of sections
 * repeat the same words, so a soft wrap then looked hard.)
 */
#include "setupapi_priv.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

#define Q_LINES	128
#define Q_BYTES	(64u * 1024)
#define Q_BRKS	64
/* Breaks at one width that make a hard wrap.  Three happened in a soft
 * wrap whose rows begin alike (a time stamp) and repeat one long path. */
#define WF_SA_WRAP_SURE	4

/* Candidate widths: up to three values every break so far agrees with. */
struct cands {
	size_t w[3];
	unsigned n, seen;
};

struct brk {
	size_t raw, canon;	/* widths of the line before the break */
	unsigned flags;		/* WF_SA_BRK_SINGLE, _IDSPLIT, _WS, _CONT, _GLUE */
};

struct qline {
	unsigned long lineno;
	size_t off, len;
};

struct wf_sa_wrap {
	enum wf_sa_wrap_kind kind;
	struct cands all;	/* over every break */
	unsigned nbrk;
	size_t maxr;		/* longest physical line seen */
	size_t maxlog;		/* the same of the log's lines and its tool's */
	/* the queue */
	struct qline q[Q_LINES];
	unsigned nq;
	char *arena;
	size_t used;
	struct brk b[Q_BRKS];
	unsigned nb;
	int chain;		/* the last break is held in b[] */
	char out[WF_SA_LINE_MAX + 1];
	wf_sa_norm_fn fn;
	void *arg;
};

struct wf_sa_wrap *wf_sa_wrap_new(wf_sa_norm_fn fn, void *arg)
{
	struct wf_sa_wrap *w = wf_xcalloc(1, sizeof *w);
	w->fn = fn;
	w->arg = arg;
	return w;
}

void wf_sa_wrap_free(struct wf_sa_wrap *w)
{
	if (w)
		free(w->arena);
	free(w);
}

enum wf_sa_wrap_kind wf_sa_wrap_kind(const struct wf_sa_wrap *w)
{
	return w->kind;
}

void wf_sa_wrap_seen(struct wf_sa_wrap *w, size_t raw)
{
	if (raw > w->maxr)
		w->maxr = raw;
}

void wf_sa_wrap_seen_log(struct wf_sa_wrap *w, size_t raw)
{
	if (raw > w->maxlog)
		w->maxlog = raw;
}

size_t wf_sa_wrap_widest(const struct wf_sa_wrap *w)
{
	return w->maxr;
}

/* The widths a break offers: raw, canonical, and (when the canonical
 * width puts back more than one space) raw + 1: indentation collapsed to
 * one space before the wrap ("     dvi:" -> " dvi:"), that space taken
 * by the archive after it. */
static unsigned widths(const struct brk *b, size_t out[3])
{
	unsigned n = 0;
	out[n++] = b->raw;
	if (b->canon != b->raw)
		out[n++] = b->canon;
	if (b->canon > b->raw + 1)
		out[n++] = b->raw + 1;
	return n;
}

static int in_cands(const struct cands *c, const struct brk *b)
{
	size_t v[3];
	unsigned m = widths(b, v);
	for (unsigned i = 0; i < c->n; i++)
		for (unsigned k = 0; k < m; k++)
			if (c->w[i] == v[k])
				return 1;
	return 0;
}

static void narrow(struct cands *c, const struct brk *b)
{
	if (!c->seen++) {
		c->n = widths(b, c->w);
		return;
	}
	size_t v[3];
	unsigned m = widths(b, v), k = 0;
	for (unsigned i = 0; i < c->n; i++)
		for (unsigned j = 0; j < m; j++)
			if (c->w[i] == v[j]) {
				c->w[k++] = c->w[i];
				break;
			}
	c->n = k;
}

static int matches(const struct wf_sa_wrap *w, const struct brk *b)
{
	return in_cands(&w->all, b);
}

/* A hard wrap at width v leaves no line wider than v: drop the
 * candidates narrower than the widest line of the log (or of its logging
 * tool) seen.  (Identical lines cut by a soft wrap at the same space,
 * "libwdi:debug [syslog]      dvi:" + "pci\ven_...", agree on a width
 * that a wider line of the paste rules out.)  Not other text: a remark
 * typed into the mail may not have been wrapped at all. */
static void no_narrower(struct cands *c, size_t widest)
{
	unsigned k = 0;
	for (unsigned i = 0; i < c->n; i++)
		if (c->w[i] >= widest)
			c->w[k++] = c->w[i];
	c->n = k;
}

/* Learn from one more break. */
static void learn(struct wf_sa_wrap *w, const struct brk *b)
{
	if (w->kind != WF_SA_WRAP_UNKNOWN)
		return;
	narrow(&w->all, b);
	no_narrower(&w->all, w->maxlog);
	w->nbrk++;
	if (!w->all.n)
		w->kind = WF_SA_WRAP_SOFT;
	else if (w->nbrk >= WF_SA_WRAP_SURE)
		w->kind = WF_SA_WRAP_HARD;
}

/* A break of a hard wrap cut just before a space, which an archive then
 * took with the indentation: the line after it, when the wrap cut it
 * too (next: its break), is a whole width wide only with that space. */
static int lost_space_after(const struct wf_sa_wrap *w, const struct brk *next)
{
	if (!next || !(next->flags & WF_SA_BRK_CONT))
		return 0;
	for (unsigned i = 0; i < w->all.n; i++)
		if (w->all.w[i] == next->raw)
			return 0;
	return 1;
}

/* Space or not at break b; next: the break after it in the same
 * logical line when it is known, else NULL. */
static int resolve(const struct wf_sa_wrap *w, const struct brk *b, const struct brk *next)
{
	if (b->flags & WF_SA_BRK_WS)
		return WF_SA_BRK_SPACE;
	if (b->flags & WF_SA_BRK_GLUE)
		return WF_SA_BRK_NOSPACE;
	switch (w->kind) {
	case WF_SA_WRAP_HARD:
		return matches(w, b) && !lost_space_after(w, next) ? WF_SA_BRK_NOSPACE :
								      WF_SA_BRK_SPACE;
	case WF_SA_WRAP_SOFT:
		return b->flags & WF_SA_BRK_SINGLE && b->raw >= w->maxr ? WF_SA_BRK_NOSPACE :
									  WF_SA_BRK_SPACE;
	default:
		return b->flags & WF_SA_BRK_IDSPLIT ? WF_SA_BRK_NOSPACE : WF_SA_BRK_SPACE;
	}
}

int wf_sa_wrap_break(struct wf_sa_wrap *w, size_t raw, size_t canon, unsigned flags)
{
	struct brk b = { raw, canon, flags };
	learn(w, &b);
	if (raw > w->maxr)
		w->maxr = raw;
	/* a hard wrap's breaks wait for the next line of their entry (see
	 * lost_space_after()); so do those of an unknown wrap, and the
	 * breaks with a space between them, so that the next one of a line
	 * is the next one held */
	if (w->kind == WF_SA_WRAP_SOFT || w->nb == Q_BRKS) {
		w->chain = 0;
		return resolve(w, &b, NULL);
	}
	if (!w->chain)
		b.flags &= ~(unsigned)WF_SA_BRK_CONT;
	w->chain = 1;
	w->b[w->nb++] = b;
	return WF_SA_BRK_LATER;
}

/* ----------------------------------------------------------------------
 * HTML entities cut by a hard wrap ("&am" + "p;")
 */
static const struct { const char *ent; char c; } cut_entities[] = {
	{ "&amp;", '&' }, { "&gt;", '>' }, { "&lt;", '<' }, { "&quot;", '"' },
	{ "&#39;", '\'' }, { "&apos;", '\'' }, { "&nbsp;", ' ' },
};

size_t wf_sa_wrap_fix_entity(char *s, size_t n, size_t pos)
{
	size_t from = pos > 6 ? pos - 6 : 0;
	for (size_t a = from; a < pos; a++) {
		if (s[a] != '&')
			continue;
		for (size_t k = 0; k < sizeof cut_entities / sizeof *cut_entities; k++) {
			size_t m = strlen(cut_entities[k].ent);
			if (a + m > pos && a + m <= n && !memcmp(s + a, cut_entities[k].ent, m)) {
				s[a] = cut_entities[k].c;
				memmove(s + a + 1, s + a + m, n - a - m);
				return n - (m - 1);
			}
		}
	}
	return n;
}

/* ----------------------------------------------------------------------
 * the queue
 */
static void emit_resolved(struct wf_sa_wrap *w, const struct qline *l, unsigned *bi)
{
	const char *s = w->arena + l->off;
	size_t o = 0, cuts[16];
	unsigned nc = 0;
	for (size_t i = 0; i < l->len && o < WF_SA_LINE_MAX; i++) {
		if (s[i] != WF_SA_WRAP_MARK) {
			w->out[o++] = s[i];
			continue;
		}
		if (*bi >= w->nb)
			continue;
		const struct brk *next = *bi + 1 < w->nb ? &w->b[*bi + 1] : NULL;
		if (resolve(w, &w->b[(*bi)++], next) == WF_SA_BRK_SPACE)
			w->out[o++] = ' ';
		else if (nc < 16)
			cuts[nc++] = o;
	}
	while (nc--)
		o = wf_sa_wrap_fix_entity(w->out, o, cuts[nc]);
	w->out[o] = '\0';
	w->fn(w->arg, l->lineno, w->out, o);
}

static void drain(struct wf_sa_wrap *w)
{
	if (w->kind == WF_SA_WRAP_UNKNOWN) {
		no_narrower(&w->all, w->maxlog);
		if (w->nbrk >= 2 && w->all.n)	/* two breaks agree: the best guess */
			w->kind = WF_SA_WRAP_HARD;
	}
	unsigned bi = 0;
	for (unsigned i = 0; i < w->nq; i++)
		emit_resolved(w, &w->q[i], &bi);
	/* the breaks of the line still pending in the front layer stay */
	memmove(w->b, w->b + bi, (w->nb - bi) * sizeof *w->b);
	w->nb -= bi;
	w->nq = 0;
	w->used = 0;
}

void wf_sa_wrap_emit(struct wf_sa_wrap *w, unsigned long lineno, const char *s,
		     size_t n, int later)
{
	if (!later && !w->nq) {
		w->fn(w->arg, lineno, s, n);
		return;
	}
	if (w->nq == Q_LINES || w->used + n > Q_BYTES) {
		drain(w);
		if (!later) {
			w->fn(w->arg, lineno, s, n);
			return;
		}
	}
	if (!w->arena)
		w->arena = wf_xmalloc(Q_BYTES);
	memcpy(w->arena + w->used, s, n);
	w->q[w->nq++] = (struct qline){ lineno, w->used, n };
	w->used += n;
	if (w->kind != WF_SA_WRAP_UNKNOWN || w->nb == Q_BRKS)
		drain(w);
}

void wf_sa_wrap_finish(struct wf_sa_wrap *w)
{
	if (w->nq)
		drain(w);
}
