/*
 * setupapi_priv.h - internals shared by setupapi.c (reader, Vista format,
 * records) and setupapi_xp.c (XP / Windows 2000 format).  Not a public API.
 */
#ifndef WF_SETUPAPI_PRIV_H
#define WF_SETUPAPI_PRIV_H

#include "setupapi.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wf_sa_parser {
	wf_sa_record_fn fn;
	void *arg;
	struct wf_sa_info info;
	struct wf_sa_record *rec;
	int open;			/* a section is open */
	int stop;			/* the callback asked to stop */
	int in_header;			/* before the first section (Vista header) */
	int seen_any;			/* a SetupAPI line was seen */
	int xp_codes;			/* "#xNNN" lines seen: XP, not 2000 */
	int list;			/* 0, 1 = hardware ids, 2 = compatible ids */
	size_t list_indent;
	unsigned n_generic;		/* WF_SA_EV_ERROR events in this record */
	unsigned n_sig;			/* WF_SA_EV_SIGNATURE events in this record */
	char cur_device[WF_SA_ID_MAX];	/* device the body is talking about */
	char msg_sev;			/* XP message id of the line being read */
	unsigned msg_id;		/* (copied into its events), 0 = none */
};

/* --- helpers (setupapi_text.c, setupapi.c) --- */
/* Encode one code point as UTF-8 at o (room for 4); returns the length. */
size_t wf_sa_put_utf8(unsigned char *o, unsigned cp);
/* Case-insensitive search of an ASCII literal in s[0..n). */
const char *wf_sa_ci_find(const char *s, size_t n, const char *lit);
/* s[0..n) starts with lit (case-sensitive). */
int wf_sa_starts(const char *s, size_t n, const char *lit);
/* The same for a string literal (inlined compare). */
#define SA_STARTS(s, n, lit) \
	((n) >= sizeof(lit) - 1 && memcmp((s), (lit), sizeof(lit) - 1) == 0)
/* Case-sensitive search of a literal: memchr + memcmp, cheap on short
 * lines. */
const char *wf_sa_find(const char *s, size_t n, const char *lit, size_t m);
#define SA_FIND(s, n, lit) wf_sa_find((s), (n), (lit), sizeof(lit) - 1)
/* First "0x<hex>" after `from` (or in the whole line when from is NULL);
 * returns 1 and *v, 0 when none. */
int wf_sa_hex_after(const char *s, size_t n, const char *from, uint32_t *v);
/* Error code of a line: the first "0x..." or "Error NNNN" decimal. */
int wf_sa_line_code(const char *s, size_t n, uint32_t *v);
/* Copy an id into dst (size WF_SA_ID_MAX): trims spaces, quotes, a final
 * '.' and anything from `stop` on. */
void wf_sa_copy_id(char *dst, const char *s, size_t n);
/* Does the text look like a device instance / hardware id (BUS\...)? */
int wf_sa_is_device_id(const char *s);

/* --- records (setupapi_rec.c) --- */
/* Event kind an error code implies (enum wf_sa_event_kind), -1 if none. */
int wf_sa_kind_of_code(uint32_t code, unsigned flags);
void wf_sa_open_section(struct wf_sa_parser *p, unsigned long lineno,
			const char *line, size_t len);
void wf_sa_close_section(struct wf_sa_parser *p);
void wf_sa_set_device(struct wf_sa_parser *p, const char *s, size_t n);
struct wf_sa_event *wf_sa_add_event(struct wf_sa_parser *p,
				    enum wf_sa_event_kind kind,
				    unsigned long lineno, const char *line,
				    size_t len, uint32_t code, int error);
/* Classify a warning/error line by its code and words; adds events. */
void wf_sa_error_line(struct wf_sa_parser *p, unsigned long lineno,
		      const char *line, size_t len, const char *msg,
		      size_t mlen, int error);
/* "has problem: 0x.." / "Device Status: 0x.. [0x.. - 0x..]" */
int wf_sa_problem_line(struct wf_sa_parser *p, unsigned long lineno,
		       const char *line, size_t len, const char *msg,
		       size_t mlen);
int wf_sa_null_driver_text(const char *m, size_t n);
void wf_sa_add_id(struct wf_sa_parser *p, int which, const char *s, size_t n);
void wf_sa_add_service(struct wf_sa_parser *p, const char *s, size_t n);
void wf_sa_set_driver(struct wf_sa_parser *p, const char *s, size_t n);

/* --- normalising front layer (setupapi_norm.c) --- */
typedef void (*wf_sa_norm_fn)(void *arg, unsigned long lineno, const char *line,
			      size_t len);
struct wf_sa_norm;
struct wf_sa_norm *wf_sa_norm_new(wf_sa_norm_fn fn, void *arg);
void wf_sa_norm_free(struct wf_sa_norm *z);
/* One physical line in; zero or more log lines out through fn. */
void wf_sa_norm_line(struct wf_sa_norm *z, unsigned long lineno,
		     const char *s, size_t n);
void wf_sa_norm_finish(struct wf_sa_norm *z);
/* The pending line when it still points into the reader's buffer (for
 * wf_sa_reader_keep), else NULL. */
const char **wf_sa_norm_pending(struct wf_sa_norm *z, size_t *len);
unsigned long wf_sa_norm_joined(const struct wf_sa_norm *z);
unsigned long wf_sa_norm_stripped(const struct wf_sa_norm *z);

/* --- joining wrapped lines (setupapi_wrap.c) --- */
#define WF_SA_WRAP_MARK	'\x01'	/* an undecided break in a held line */
enum wf_sa_wrap_kind { WF_SA_WRAP_UNKNOWN, WF_SA_WRAP_SOFT, WF_SA_WRAP_HARD };
enum { WF_SA_BRK_SPACE, WF_SA_BRK_NOSPACE, WF_SA_BRK_LATER };
struct wf_sa_wrap;
struct wf_sa_wrap *wf_sa_wrap_new(wf_sa_norm_fn fn, void *arg);
void wf_sa_wrap_free(struct wf_sa_wrap *w);
enum wf_sa_wrap_kind wf_sa_wrap_kind(const struct wf_sa_wrap *w);
/* A physical line of raw width raw (characters) was read. */
void wf_sa_wrap_seen(struct wf_sa_wrap *w, size_t raw);
/* That physical line was the log's, or its logging tool's: not a remark
 * around it. */
void wf_sa_wrap_seen_log(struct wf_sa_wrap *w, size_t raw);
/* The widest physical line seen so far (raw characters). */
size_t wf_sa_wrap_widest(const struct wf_sa_wrap *w);
/* What is known of a break (flags of wf_sa_wrap_break). */
enum {
	WF_SA_BRK_SINGLE = 1,	/* the line before it was one token */
	WF_SA_BRK_IDSPLIT = 2,	/* both sides look like halves of an id */
	WF_SA_BRK_WS = 4,	/* the raw text kept a space at the break */
	WF_SA_BRK_CONT = 8,	/* the line before it continued the entry
				 * after the previous break and began with
				 * no space: a mail archive may have taken
				 * the one that break cut before */
	WF_SA_BRK_GLUE = 16,	/* the line after it starts with a closing
				 * bracket, which Windows writes no space
				 * before (no " ]" or " )" in the fixture
				 * logs and carved fragments) */
};
/* A break after a line of widths raw / canon: WF_SA_BRK_SPACE, _NOSPACE,
 * or _LATER (put WF_SA_WRAP_MARK there; the line must then be emitted with
 * later set). */
int wf_sa_wrap_break(struct wf_sa_wrap *w, size_t raw, size_t canon, unsigned flags);
/* An entity cut at pos and joined back: decode it; returns the new length. */
size_t wf_sa_wrap_fix_entity(char *s, size_t n, size_t pos);
/* A logical line out (to the parser, or held while the kind is unknown). */
void wf_sa_wrap_emit(struct wf_sa_wrap *w, unsigned long lineno, const char *s,
		     size_t n, int later);
void wf_sa_wrap_finish(struct wf_sa_wrap *w);

/* --- XP / 2000 (setupapi_xp.c) --- */
/* "[2020/03/01 19:00:20 264.14 Driver Install]" */
int wf_sa_xp_is_header(const char *s, size_t n);
void wf_sa_xp_line(struct wf_sa_parser *p, unsigned long lineno,
		   const char *line, size_t len);

#endif
