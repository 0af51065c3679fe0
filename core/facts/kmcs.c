/*
 * kmcs.c - kernel-mode code signing policy (see kmcs.h).
 *
 * The first row whose version range and architecture fit the guest
 * applies.  Sources:
 *  [KMCS]  Microsoft docs, "Kernel-Mode Code Signing Requirements" (64-bit
 *          Vista and later load no unsigned kernel-mode code; signatures
 *          must chain to a Microsoft root, directly or through a
 *          cross-certificate; 32-bit Windows does not enforce it at load).
 *  [POL]   Microsoft docs, "Driver Signing Policy": from Windows 10 1607
 *          (build 14393) new kernel drivers must be signed by the Hardware
 *          Dev Center; cross-signed drivers still load when Secure Boot is
 *          off, when the end-entity certificate was issued before
 *          29 July 2015, or on a PC upgraded from an earlier release.
 *  [SHA2]  Microsoft docs, "2019 SHA-2 Code Signing Support requirement for
 *          Windows and WSUS" (KB4472027): Windows 7 SP1, Server 2008 R2 SP1
 *          and Server 2008 SP2 verify SHA-2-only signatures only with
 *          KB4474419; KB3033929 (2015) added SHA-2 verification to 7 and
 *          2008 R2 (what virt-v2v users were told, RHBZ#1624878,
 *          ../shared/knowledge/virtio-injection-virt-v2v.md); Vista has none.
 *  [TEST]  Microsoft docs, "The TESTSIGNING Boot Configuration Option":
 *          test-signed drivers load when test signing is on, which Secure
 *          Boot does not allow.
 *  [XP]    Windows XP / Server 2003 (also x64) have no kernel-mode signature
 *          check at load; driver signing is an install-time (PnP) policy
 *          only ([KMCS]: the requirement starts with Vista x64).
 */
#include "kmcs.h"
#include "bcd.h"
#include "hive.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W(maj, min) ((maj) * 100 + (min))

enum sha2_support { SHA2_NATIVE, SHA2_UPDATE, SHA2_NONE };

static const struct kmcs_row {
	unsigned min, max;		/* WF_WINVER range */
	unsigned min_build;
	int x64;			/* 1 64-bit only, 0 32-bit only, -1 any */
	int enforced;			/* the loader checks signatures */
	enum sha2_support sha2;
	int cross_restricted;		/* [POL] 1607+ rules for cross-signed */
	const char *source;
} kmcs_table[] = {
	{ .min = W(5, 0), .max = W(5, 2), .x64 = -1, .enforced = 0, .source = "[XP]" },
	{ .min = W(6, 0), .max = W(10, 0), .x64 = 0, .enforced = 0, .source = "[KMCS] 32-bit" },
	{ .min = W(6, 0), .max = W(6, 0), .x64 = 1, .enforced = 1, .sha2 = SHA2_UPDATE,
	  .source = "[KMCS] [SHA2] Vista / Server 2008 x64" },
	{ .min = W(6, 1), .max = W(6, 1), .x64 = 1, .enforced = 1, .sha2 = SHA2_UPDATE,
	  .source = "[KMCS] [SHA2] 7 / Server 2008 R2 x64" },
	{ .min = W(6, 2), .max = W(6, 3), .x64 = 1, .enforced = 1, .sha2 = SHA2_NATIVE,
	  .source = "[KMCS] 8 / 8.1 / Server 2012 (R2) x64" },
	{ .min = W(10, 0), .max = W(10, 0), .min_build = 14393, .x64 = 1, .enforced = 1,
	  .sha2 = SHA2_NATIVE, .cross_restricted = 1, .source = "[KMCS] [POL] 10 1607+ / Server 2016+ x64" },
	{ .min = W(10, 0), .max = W(10, 0), .x64 = 1, .enforced = 1, .sha2 = SHA2_NATIVE,
	  .source = "[KMCS] 10 before 1607 x64" },
};

static int is_64(const struct wf_winver *v)
{
	return !(v->arch && (wf_streqi(v->arch, "i386") || wf_streqi(v->arch, "x86")));
}

static const struct kmcs_row *row_for(const struct wf_winver *v)
{
	unsigned code = wf_winver_code(v);
	for (size_t i = 0; i < sizeof kmcs_table / sizeof kmcs_table[0]; i++) {
		const struct kmcs_row *r = &kmcs_table[i];
		if (code >= r->min && code <= r->max && v->build >= r->min_build &&
		    (r->x64 < 0 || r->x64 == is_64(v)))
			return r;
	}
	return NULL;
}

int wf_kmcs_enforced(const struct wf_winver *v)
{
	const struct kmcs_row *r = row_for(v);
	return r && r->enforced;
}

/* The SHA-2 update a guest needs, for messages. */
static const char *sha2_kb(const struct wf_winver *v)
{
	return wf_winver_code(v) == W(6, 0) ? "KB4474419 (Server 2008 SP2; Vista has no SHA-2 update)"
					      : "KB4474419 (or KB3033929)";
}

static void verdict(struct wf_kmcs_verdict *o, enum wf_kmcs_outcome out, const char *instead,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void verdict(struct wf_kmcs_verdict *o, enum wf_kmcs_outcome out, const char *instead,
		    const char *fmt, ...)
{
	va_list ap;
	o->outcome = out;
	va_start(ap, fmt);
	vsnprintf(o->why, sizeof o->why, fmt, ap);
	va_end(ap);
	snprintf(o->instead, sizeof o->instead, "%s", instead ? instead : "");
}

#define USE_WHQL "a Microsoft-signed (WHQL) build of the driver for this Windows (the stable " \
		 "virtio-win ISO's folder for this version)"

/* A signature chaining to Microsoft (directly or crossed): digest and 1607 rules. */
static void judge_trusted(const struct wf_sig *s, const struct wf_kmcs_guest *g,
			  const struct kmcs_row *r, struct wf_kmcs_verdict *o)
{
	const char *who = wf_sig_kind_name(s->kind);
	/* Vista (client) got no SHA-2 update; Server 2008 SP2 did [SHA2] */
	int none = r->sha2 == SHA2_NONE || (wf_winver_code(g->ver) == W(6, 0) && !g->ver->server);
	if (!s->has_sha1 && r->sha2 != SHA2_NATIVE) {
		char instead[300];
		snprintf(instead, sizeof instead, "install %s in the guest first (boot it where it ran "
			 "before), or a build signed with SHA-1 (virtio-win 0.1.173 or older for "
			 "Windows 7)", sha2_kb(g->ver));
		if (none || g->sha2 == 0) {
			verdict(o, WF_KMCS_REFUSED, instead, "%s with SHA-256 only, and this Windows has no "
				"SHA-2 code-signing support: it would not load (Stop 0x7B / 0xc0000428)", who);
			return;
		}
		if (g->sha2 < 0) {
			verdict(o, WF_KMCS_REFUSED, instead, "%s with SHA-256 only: it loads only with %s "
				"installed, and the guest's servicing packages do not show whether it is", who,
				sha2_kb(g->ver));
			return;
		}
	}
	if (s->kind == WF_SIG_CROSS && r->cross_restricted) {
		if (s->not_before[0] && strcmp(s->not_before, "2015-07-29") < 0)
			verdict(o, WF_KMCS_LOADS, NULL, "cross-signed (%s, certificate from %s, before "
				"29 July 2015): Windows 10 1607 and later still load it", s->cross,
				s->not_before);
		else
			verdict(o, WF_KMCS_LOADS_IF, USE_WHQL, "cross-signed (%s, certificate from %s): "
				"Windows 10 1607 and later load it only with Secure Boot off or when "
				"Windows was upgraded from an earlier release", s->cross,
				s->not_before[0] ? s->not_before : "?");
		return;
	}
	verdict(o, WF_KMCS_LOADS, NULL, "%s (%s, %s): Windows loads it", who,
		s->kind == WF_SIG_CROSS ? s->cross : s->signer, wf_sig_digests(s));
}

void wf_kmcs_judge(const struct wf_sig *s, const struct wf_kmcs_guest *g,
		   struct wf_kmcs_verdict *o)
{
	memset(o, 0, sizeof *o);
	const struct kmcs_row *r = row_for(g->ver);
	o->source = r ? r->source : "[KMCS]";
	if (r && !r->enforced) {
		verdict(o, WF_KMCS_LOADS, NULL, "%s%s%s: this Windows does not check kernel-mode "
			"signatures at load", wf_sig_kind_name(s->kind), s->kind == WF_SIG_DAMAGED ? ": " : "",
			s->kind == WF_SIG_DAMAGED ? s->why : "");
		return;
	}
	switch (s->kind) {
	case WF_SIG_UNSIGNED:
		verdict(o, WF_KMCS_REFUSED, USE_WHQL, "unsigned: 64-bit Windows loads no unsigned "
			"kernel-mode driver (Stop 0x7B, or 0xc0000428 for a boot driver)");
		return;
	case WF_SIG_DAMAGED:
		verdict(o, WF_KMCS_REFUSED, USE_WHQL, "damaged signature (%s): Windows will not load it, "
			"not even with test signing on", s->why);
		return;
	case WF_SIG_TEST:
		if (g->testsigning == 1)
			verdict(o, WF_KMCS_LOADS, NULL, "test-signed (%s, root %s): loads because test "
				"signing is on in the guest's BCD store (Secure Boot must be off)",
				s->signer, s->root);
		else
			verdict(o, WF_KMCS_TESTMODE, USE_WHQL, "test-signed (%s, root %s%s): Windows loads "
				"it only with test signing on%s", s->signer, s->root,
				s->self_signed ? ", self-signed" : "",
				g->testsigning < 0 ? " (the guest's BCD store does not show it)"
						   : ", and it is off in the guest's BCD store");
		return;
	case WF_SIG_CROSS:
	case WF_SIG_MICROSOFT:
		judge_trusted(s, g, r ? r : &kmcs_table[sizeof kmcs_table / sizeof kmcs_table[0] - 1], o);
		return;
	}
}

/* --- the SHA-2 update in the guest -------------------------------------------------- */

#define CBS_PACKAGES "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"
#define CBS_INSTALLED 0x70	/* CurrentState of an installed package */
#define MAX_PACKAGES 200000

int wf_kmcs_sha2_update(struct wf_hive *software, const struct wf_winver *v,
			char *why, size_t n)
{
	const struct kmcs_row *r = row_for(v);
	if (r && (!r->enforced || r->sha2 == SHA2_NATIVE)) {
		snprintf(why, n, "this Windows verifies SHA-2 signatures without an update");
		return 1;
	}
	wf_node pk = software ? wf_hive_lookup(software, CBS_PACKAGES) : 0;
	if (!pk) {
		snprintf(why, n, "no SOFTWARE\\%s", CBS_PACKAGES);
		return -1;
	}
	size_t nc = 0;
	wf_node *kids = wf_hive_children(software, pk, &nc);
	int found = 0, staged = 0;
	char *seen = NULL;
	for (size_t i = 0; i < nc && i < MAX_PACKAGES && !found; i++) {
		char *name = wf_hive_node_name(software, kids[i]);
		if (name && (wf_strcasestr(name, "KB4474419") ||
			     (wf_winver_code(v) == W(6, 1) && wf_strcasestr(name, "KB3033929")))) {
			uint32_t st = 0;
			if (wf_hive_get_dword(software, kids[i], "CurrentState", &st) == 0 &&
			    st == CBS_INSTALLED) {
				found = 1;
				free(seen);
				seen = name;
				continue;
			}
			staged = 1;
			free(seen);
			seen = name;
			continue;
		}
		free(name);
	}
	free(kids);
	if (found)
		snprintf(why, n, "servicing package %s is installed", seen);
	else if (staged)
		snprintf(why, n, "servicing package %s is there but not installed (CurrentState is not "
			 "0x70)", seen);
	else
		snprintf(why, n, "no KB4474419%s among the %zu servicing packages",
			 wf_winver_code(v) == W(6, 1) ? " or KB3033929" : "", nc);
	free(seen);
	return found;
}

void wf_kmcs_guest_read(const struct wf_winver *v, struct wf_hive *software,
			struct wf_hive *bcd, struct wf_kmcs_guest *g, struct wf_bcd *b,
			char *sha2why, size_t n)
{
	g->ver = v;
	g->sha2 = wf_kmcs_sha2_update(software, v, sha2why, n);
	memset(b, 0, sizeof *b);
	b->testsigning = b->nointegritychecks = -1;
	if (bcd)
		wf_bcd_read(bcd, b);
	else
		snprintf(b->why, sizeof b->why, "no BCD store found on the disk");
	g->testsigning = b->testsigning;
}
