/*
 * sigpolicy.c - the signature gate of inject-virtio (see sigpolicy.h).
 * The policy itself is data in core/facts/kmcs.c; this file gathers what
 * the guest says (SHA-2 update, BCD test signing), applies it, and turns
 * the verdict into a refusal, a plan note or a BCD change.
 */
#include "sigpolicy.h"
#include "authenticode.h"
#include "bcd.h"
#include "fixes.h"
#include "hive.h"
#include "kmcs.h"
#include "strbuf.h"
#include "winver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* What the guest says, once per plan (notes are kept once by the plan). */
static void guest_facts(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
			struct wf_kmcs_guest *g, struct wf_bcd *bcd)
{
	char why[300];
	wf_kmcs_guest_read(c->ver, c->software, c->bcd, g, bcd, why, sizeof why);
	wf_plan_note(p, "%s: signatures: SHA-2 code signing: %s (%s); test signing: %s (%s)", fix,
		     g->sha2 > 0 ? "yes" : g->sha2 == 0 ? "no" : "unknown", why,
		     bcd->testsigning > 0 ? "on" : bcd->testsigning == 0 ? "off" : "unknown",
		     bcd->testsigning >= 0 && c->bcd_where ? c->bcd_where : bcd->why);
}

/* Plan BCD element 16000049 = 01 for the default loader. */
static int plan_testsigning(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
			    const struct wf_bcd *bcd, struct wf_error *e)
{
	char *key = wf_bcd_testsigning_key(bcd);
	if (!c->bcd || !key)
		return wf_error_set(e, WF_ERR_INPUT, "%s: --test-signing: cannot turn test signing on: %s",
				    fix, bcd->why[0] ? bcd->why : "no BCD store");
	static const unsigned char on = 1;
	wf_plan_set(p, c->bcd, WF_HIVE_BCD, key, "Element", WF_REG_BINARY, &on, 1, fix);
	free(key);
	wf_plan_note(p, "%s: test signing turned on for %s in the BCD store %s (bcdedit /set "
		     "testsigning on): Secure Boot must be off in the VM's firmware, and Windows shows "
		     "\"Test Mode\" on the desktop; undo turns it off again", fix, bcd->loader,
		     c->bcd_where ? c->bcd_where : "");
	return 0;
}

/* Does the catalog list the .sys (its Authenticode digest)?  1, 0, -1. */
static int cat_covers(const char *cat, const char *sys)
{
	struct wf_strbuf c = WF_STRBUF_INIT, s = WF_STRBUF_INIT;
	int r = -1;
	if (wf_sb_read_file(&c, cat, WF_SIG_MAX_TABLE, NULL) == 0 &&
	    wf_sb_read_file(&s, sys, 64u << 20, NULL) == 0)
		r = wf_sig_cat_lists(c.buf, c.len, s.buf, s.len);
	wf_sb_release(&c);
	wf_sb_release(&s);
	return r;
}

static int judge(struct wf_fixctx *c, struct wf_plan *p, const char *fix, const char *file,
		 const struct wf_sig *s, int boot, const struct wf_kmcs_guest *g,
		 const struct wf_bcd *bcd, struct wf_error *e)
{
	struct wf_kmcs_verdict v;
	wf_kmcs_judge(s, g, &v);
	const char *rel = c->ver->release ? c->ver->release : "this Windows";
	if (v.outcome == WF_KMCS_LOADS) {
		wf_plan_note(p, "%s: %s: %s %s", fix, file, v.why, v.source);
		return 0;
	}
	if (!boot || v.outcome == WF_KMCS_LOADS_IF) {
		wf_plan_note(p, "%s: warning: %s: %s on %s %s%s%s", fix, file, v.why, rel, v.source,
			     v.instead[0] ? "; better: " : "", v.instead);
		return 0;
	}
	if (v.outcome == WF_KMCS_TESTMODE && c->sig_mode == WF_SIGMODE_TEST_SIGNING) {
		wf_plan_note(p, "%s: %s: %s %s", fix, file, v.why, v.source);
		return plan_testsigning(c, p, fix, bcd, e);
	}
	return wf_error_set(e, WF_ERR_INPUT, "%s: %s would not load at boot on %s (%s): %s %s. Use "
			    "instead: %s%s; --no-signature-check skips this check", fix, file, rel,
			    c->ver->arch ? c->ver->arch : "?", v.why, v.source, v.instead,
			    v.outcome == WF_KMCS_TESTMODE ? ", or --test-signing to turn test signing on"
							  : "");
}

int wf_sigpolicy_check(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		       const char *sys, const char *cat, int boot, struct wf_error *e)
{
	if (c->sig_mode == WF_SIGMODE_SKIP) {
		wf_plan_note(p, "%s: signature not checked (--no-signature-check)", fix);
		return 0;
	}
	struct wf_sig ss, cs;
	if (wf_sig_read_pe_file(sys, &ss, e) < 0)
		return wf_error_prefix(e, "%s", fix);
	int have_cat = cat && wf_sig_read_cat_file(cat, &cs, NULL) == 0;
	struct wf_kmcs_guest g;
	struct wf_bcd bcd;
	guest_facts(c, p, fix, &g, &bcd);
	if (have_cat) {
		wf_plan_note(p, "%s: catalog %s: %s (%s%s%s, %s)", fix, base_name(cat),
			     wf_sig_kind_name(cs.kind), cs.kind == WF_SIG_DAMAGED ? cs.why : cs.signer,
			     cs.kind == WF_SIG_CROSS ? ", cross-certificate for " : "",
			     cs.kind == WF_SIG_CROSS ? cs.cross : "", wf_sig_digests(&cs));
		if (cs.kind != WF_SIG_DAMAGED && cat_covers(cat, sys) == 0)
			wf_plan_note(p, "%s: warning: %s does not list %s (no matching file digest): "
				     "pnputil will refuse the package as changed after signing", fix,
				     base_name(cat), base_name(sys));
	}
	if (boot)
		return judge(c, p, fix, base_name(sys), &ss, 1, &g, &bcd, e);
	/* staged: pnputil checks the package's catalog */
	return judge(c, p, fix, have_cat ? base_name(cat) : base_name(sys), have_cat ? &cs : &ss,
		     0, &g, &bcd, e);
}
