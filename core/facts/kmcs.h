/*
 * kmcs.h - would this Windows load a kernel-mode driver with this
 * signature at boot?  Kernel-mode code signing policy as data (one table,
 * kmcs.c, a source per row) applied to a signature (authenticode.h) and
 * what the guest says about itself: its version and architecture, whether
 * it has the SHA-2 code-signing update, whether test signing is on in its
 * BCD store (bcd.h).
 *
 *   struct wf_kmcs_guest g = { .ver = &ver, .sha2 = wf_kmcs_sha2_update(sw, &ver, buf, n),
 *                              .testsigning = bcd.testsigning };
 *   struct wf_kmcs_verdict v;
 *   wf_kmcs_judge(&sig, &g, &v);
 *   if (v.outcome == WF_KMCS_REFUSED) ... v.why, v.instead
 */
#ifndef WF_KMCS_H
#define WF_KMCS_H

#include <stddef.h>

#include "authenticode.h"

struct wf_bcd;
struct wf_hive;
struct wf_winver;

enum wf_kmcs_outcome {
	WF_KMCS_LOADS,		/* Windows loads it */
	WF_KMCS_LOADS_IF,	/* loads under a condition the image cannot show (why) */
	WF_KMCS_TESTMODE,	/* loads only with test signing on */
	WF_KMCS_REFUSED,	/* Windows will not load it */
};

struct wf_kmcs_guest {
	const struct wf_winver *ver;
	int sha2;		/* SHA-2 code-signing support: 1 yes, 0 no, -1 unknown */
	int testsigning;	/* BCD default loader: 1 on, 0 off, -1 unknown / no store */
};

struct wf_kmcs_verdict {
	enum wf_kmcs_outcome outcome;
	char why[400];		/* one line: what the signature is and what Windows does */
	char instead[300];	/* REFUSED/TESTMODE: what to use instead ("" if nothing) */
	const char *source;	/* the policy row's source */
};

/* Judge signature `s` of a driver for guest `g`. */
void wf_kmcs_judge(const struct wf_sig *s, const struct wf_kmcs_guest *g,
		   struct wf_kmcs_verdict *out);

/* Does this Windows check kernel-mode signatures when it loads a driver
 * (64-bit Vista and later)?  1 yes, 0 no. */
int wf_kmcs_enforced(const struct wf_winver *v);

/* Does the guest have the SHA-2 code-signing update (KB4474419 or, on 7 /
 * 2008 R2, KB3033929) installed?  Looks for the servicing package in
 * SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\
 * Packages.  1 yes, 0 no (the key is there without it), -1 cannot tell
 * (no key, no hive); `why` says what was found.  For a Windows that needs
 * no update (8 and later) 1. */
int wf_kmcs_sha2_update(struct wf_hive *software, const struct wf_winver *v,
			char *why, size_t n);

/* What the guest says about itself, for wf_kmcs_judge: its SHA-2 support
 * (wf_kmcs_sha2_update on `software`, may be NULL; what was found into
 * `sha2why`) and test signing from its BCD store `bcd` (NULL: no store
 * found; `b` is filled either way, b->why saying what could not be told).
 * Shared by the fix path's gate (sigpolicy.c) and the diagnosis. */
void wf_kmcs_guest_read(const struct wf_winver *v, struct wf_hive *software,
			struct wf_hive *bcd, struct wf_kmcs_guest *g, struct wf_bcd *b,
			char *sha2why, size_t n);

#endif
