/*
 * rules_sign.c - boot-start drivers already in the guest whose signature
 * the 64-bit loader will refuse, and test signing in the BCD store.
 *
 * Facts (sources):
 *  [KMCS]  Microsoft docs, "Kernel-Mode Code Signing Requirements (Windows
 *          Vista and later)": on 64-bit Windows a kernel-mode boot-start
 *          driver (PnP or not) must carry an embedded signature; a
 *          catalog does not stand in for it.  "Release-Signing a Driver
 *          through an Embedded Signature": required "regardless of whether
 *          the driver's driver package has a digitally-signed catalog
 *          file", and for drivers installed without a package.  The policy
 *          per Windows and signature class is core/facts/kmcs.c.
 *  [INBOX] Windows' own drivers are signed through the system's catalogs
 *          (CatRoot), not always in the .sys: a .sys without an embedded
 *          signature is judged only when something says it is not
 *          Microsoft's.  What says so: the device bound to the service was
 *          installed from a third-party INF, which Windows copies into
 *          %windir%\INF as oem<N>.inf (Microsoft docs, SetupCopyOEMInf:
 *          "copies a specified .inf file to the %windir%/Inf directory",
 *          under a unique oem*.inf name; the device's Class key InfPath
 *          names it), or the controller catalogue knows the service as a
 *          virtio-win driver (core/facts/controllers.c), never in-box.
 *          The package's catalog goes to CatRoot\{F750E6C3-38EE-11D1-85E5-
 *          00C04FC295EE}\oem<N>.cat (the catalog database of third-party
 *          packages; Microsoft docs, "Installing a Catalog File by using
 *          CryptCATAdminAddCatalog" and the driver store's catalog
 *          handling); it is read for evidence only, per [KMCS].
 *  [TEST]  Microsoft docs, "The TESTSIGNING Boot Configuration Option":
 *          with testsigning on Windows loads test-signed kernel code and
 *          shows "Test Mode" on the desktop; "How to Test Preproduction
 *          Drivers with Secure Boot Enabled": TESTSIGNING requires
 *          disabling Secure Boot; "Secured Boot Signing Requirements for
 *          Kernel-Mode Drivers" (Windows 8 cookbook): the BCD testsigning
 *          setting is disabled while Secure Boot is on.
 *
 * Bounded work (guest data is hostile): at most MAX_JUDGED drivers read,
 * each at most FILE_MAX bytes, READ_BUDGET bytes in all; one catalog per
 * driver, at most WF_SIG_MAX_TABLE bytes.  Image mode only.
 */
#include "authenticode.h"
#include "bcd.h"
#include "kmcs.h"
#include "rules.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERVICES 8192		/* Services keys looked at */
#define MAX_JUDGED 96			/* boot-start drivers read */
#define FILE_MAX (16u << 20)		/* one driver, whole (the signature is at its end) */
#define READ_BUDGET (256ull << 20)	/* all drivers together */
#define OEM_CATROOT "System32/CatRoot/{F750E6C3-38EE-11D1-85E5-00C04FC295EE}"

enum origin {
	ORIGIN_UNKNOWN,		/* nothing tells whose it is */
	ORIGIN_INBOX,		/* installed from an in-box INF */
	ORIGIN_OEM,		/* installed from oem<N>.inf */
	ORIGIN_VIRTIO,		/* a virtio-win driver (catalogue), no INF known */
};

struct judged {
	struct wf_svc *s;
	enum origin origin;
	char inf[64];		/* InfPath, "" none */
	struct wf_sig sig;	/* embedded */
	struct wf_kmcs_verdict v;
};

struct signctx {
	struct wf_kmcs_guest g;
	struct wf_bcd bcd;
	char sha2why[300];
	unsigned long long read;	/* bytes read so far */
	unsigned not_judged;		/* no embedded signature, whose it is unknown */
	unsigned too_big;
	char needs_name[64];		/* first test-signed boot driver that loads thanks to it */
};

/* "oem12.inf" -> 1 */
static int is_oem_inf(const char *inf)
{
	if (!wf_startswithi(inf, "oem") || !wf_endswithi(inf, ".inf"))
		return 0;
	size_t n = strlen(inf);
	if (n <= 7)
		return 0;
	for (size_t i = 3; i < n - 4; i++)
		if (inf[i] < '0' || inf[i] > '9')
			return 0;
	return 1;
}

/* InfPath of the device bound to `s`: Enum\<instance> Driver names its
 * Class\{guid}\NNNN key. */
static void device_inf(struct wf_rctx *c, const struct wf_svc *s, char *inf, size_t n)
{
	inf[0] = '\0';
	wf_rctx_devices(c);
	struct wf_devsvc *d = wf_rctx_devsvc(c, s->name);
	if (!d)
		return;
	char *k = wf_xasprintf("%s\\Enum\\%s", c->ccs_name, d->device);
	wf_node dev = wf_hive_lookup(c->sys, k);
	free(k);
	char *drv = dev ? wf_hive_get_string(c->sys, dev, "Driver") : NULL;
	if (drv && *drv && strlen(drv) < 128) {
		k = wf_xasprintf("%s\\Control\\Class\\%s", c->ccs_name, drv);
		wf_node cls = wf_hive_lookup(c->sys, k);
		free(k);
		char *ip = cls ? wf_hive_get_string(c->sys, cls, "InfPath") : NULL;
		if (ip && strlen(ip) < n && !strpbrk(ip, "/\\"))
			snprintf(inf, n, "%s", ip);
		free(ip);
	}
	free(drv);
}

static enum origin origin_of(struct wf_rctx *c, const struct wf_svc *s, char *inf, size_t n)
{
	device_inf(c, s, inf, n);
	if (inf[0])
		return is_oem_inf(inf) ? ORIGIN_OEM : ORIGIN_INBOX;
	const struct wf_ctrl_kind *k;
	if (wf_ctrl_service(s->name, &k) && wf_kind_is_virtio(k))
		return ORIGIN_VIRTIO;
	return ORIGIN_UNKNOWN;
}

/* The whole file into *buf: 1 read, 0 not read (too big, over the budget, error). */
static int read_whole(struct wf_rctx *c, struct signctx *x, const struct wf_svc *s,
		      void **buf, size_t *len)
{
	if (s->file_size > FILE_MAX || x->read + s->file_size > READ_BUDGET) {
		x->too_big++;
		return 0;
	}
	if (c->in->read(c->in->ud, s->guest_path, FILE_MAX, buf, len) != 1)
		return 0;
	x->read += *len;
	return 1;
}

/* The package catalog of an oem<N>.inf, for evidence: "" when absent. */
static void oem_catalog(struct wf_rctx *c, const char *inf, const void *sys, size_t sys_len,
			char *out, size_t n)
{
	char cat[64];
	snprintf(cat, sizeof cat, "%.*s.cat", (int)(strlen(inf) - 4), inf);
	char *p = wf_xasprintf("%s/" OEM_CATROOT "/%s", c->in->systemroot, cat);
	void *b = NULL;
	size_t len = 0;
	out[0] = '\0';
	if (c->in->read(c->in->ud, p, WF_SIG_MAX_TABLE, &b, &len) == 1) {
		struct wf_sig cs;
		if (wf_sig_read_cat(b, len, cat, &cs, NULL) == 0)
			snprintf(out, n, "%s: %s (%s)%s", cat, wf_sig_kind_name(cs.kind),
				 cs.kind == WF_SIG_DAMAGED ? cs.why : cs.signer,
				 wf_sig_cat_lists(b, len, sys, sys_len) == 1 ? ", lists this file"
									      : ", does not list this file");
	}
	free(b);
	free(p);
}

static const char *short_why(const struct judged *j)
{
	switch (j->sig.kind) {
	case WF_SIG_UNSIGNED:
		return "no signature";
	case WF_SIG_DAMAGED:
		return "damaged signature";
	case WF_SIG_TEST:
		return j->v.outcome == WF_KMCS_TESTMODE ? "test-signed, test signing off"
							: "test-signed";
	default:
		return j->sig.has_sha1 ? "signature not accepted" : "SHA-256-only signature";
	}
}

static void sig_evidence(struct wf_finding *f, const struct judged *j)
{
	char *txt = j->sig.kind == WF_SIG_UNSIGNED
		? wf_xstrdup("no embedded signature (no certificate table)")
		: wf_xasprintf("embedded signature: %s, signer %s, root %s, %s%s%s",
			       wf_sig_kind_name(j->sig.kind), j->sig.signer[0] ? j->sig.signer : "?",
			       j->sig.root[0] ? j->sig.root : "?", wf_sig_digests(&j->sig),
			       j->sig.kind == WF_SIG_DAMAGED ? ": " : "",
			       j->sig.kind == WF_SIG_DAMAGED ? j->sig.why : "");
	wf_finding_add_evidence(f, j->s->guest_path, NULL, 0, 0, txt);
	free(txt);
}

static void svc_evidence(struct wf_rctx *c, struct wf_finding *f, const struct judged *j)
{
	char *key = wf_rctx_ccs_path(c, "Services\\");
	char *full = wf_xasprintf("%s%s", key, j->s->name);
	wf_rule_hive_evidence(c, f, full, "Start = 0 (boot), ImagePath = %s",
			      j->s->image_path ? j->s->image_path : "(default)");
	free(full);
	free(key);
	if (j->inf[0]) {
		const struct wf_devsvc *d = wf_rctx_devsvc(c, j->s->name);
		char *txt = wf_xasprintf("the device %s was installed from %s", d ? d->device : "?",
					 j->inf);
		wf_finding_add_evidence(f, c->src, "Enum\\<device> Driver -> Control\\Class\\<key> InfPath",
					0, 0, txt);
		free(txt);
	}
}

static void bcd_evidence(struct wf_rctx *c, struct wf_finding *f, const struct signctx *x)
{
	char txt[300];
	if (!c->in->bcd) {
		wf_finding_add_evidence(f, "BCD store", NULL, 0, 0, x->bcd.why);
		return;
	}
	if (x->bcd.testsigning < 0)
		snprintf(txt, sizeof txt, "%s", x->bcd.why);
	else
		snprintf(txt, sizeof txt, "Element = %s (testsigning %s)",
			 x->bcd.testsigning ? "01" : "absent or 00", x->bcd.testsigning ? "on" : "off");
	char *key = wf_bcd_testsigning_key(&x->bcd);
	wf_finding_add_evidence(f, c->in->bcd_name ? c->in->bcd_name : "BCD", key, 0, 0, txt);
	free(key);
}

/* Severity of a refusal: an error when the guest shows it; a warning when
 * the deciding fact is unknown (no BCD store, SHA-2 update not visible)
 * or when nothing but the vendor's word says it is third-party. */
static int severity(const struct judged *j, const struct signctx *x)
{
	if (j->sig.kind == WF_SIG_TEST && x->g.testsigning < 0)
		return WF_SEV_WARNING;
	if ((j->sig.kind == WF_SIG_MICROSOFT || j->sig.kind == WF_SIG_CROSS) && x->g.sha2 < 0)
		return WF_SEV_WARNING;
	if (j->sig.kind == WF_SIG_UNSIGNED && j->origin == ORIGIN_VIRTIO)
		return WF_SEV_INFO;
	return -1;
}

static void emit_refused(struct wf_rctx *c, const struct wf_rule *r, const struct judged *j,
			 const struct signctx *x, const void *sys, size_t sys_len)
{
	int boot = wf_rctx_is_boot_svc(c, j->s);
	struct wf_finding *f = wf_rule_emit(c, r->id, severity(j, x), j->s->name, j->s->name,
					    short_why(j), NULL);
	const struct wf_ctrl_kind *k = NULL;
	wf_ctrl_service(j->s->name, &k);
	wf_rule_about(c, k);
	const char *rel = c->ver->release ? c->ver->release : "this Windows";
	if (j->sig.kind == WF_SIG_UNSIGNED)
		wf_finding_set(&f->explanation,
			       "%s starts at boot (Start = 0) and its file %s carries no embedded signature. "
			       "64-bit %s loads a boot-start driver only with an embedded signature; a "
			       "package catalog does not stand in for it %s. %s %s",
			       j->s->name, j->s->guest_path, rel, j->v.source,
			       j->origin == ORIGIN_OEM ?
			       "It is a third-party driver: its device was installed from an oem*.inf." :
			       "It is a virtio-win driver, never part of Windows; virt-winfix cannot tell "
			       "whether a catalog of Windows' own lists this file, so this is said as "
			       "information: a genuine virtio-win build carries an embedded signature.",
			       boot ? "As the boot disk's driver it stops the boot (0xc0000428, or Stop 0x7B)."
				    : "Windows skips it at boot (0xc0000428 in the boot log).");
	else
		wf_finding_set(&f->explanation,
			       "%s starts at boot (Start = 0) and its file %s is %s %s. %s",
			       j->s->name, j->s->guest_path, j->v.why, j->v.source,
			       boot ? "As the boot disk's driver it stops the boot (0xc0000428, or Stop 0x7B)."
				    : "Windows refuses it at boot (0xc0000428).");
	if (j->v.outcome == WF_KMCS_TESTMODE)
		wf_finding_set(&f->next_check,
			       "Install a production-signed build (%s)%s, or turn test signing on in the guest "
			       "(bcdedit /set {default} testsigning on, from Windows or its recovery "
			       "environment): Windows then shows \"Test Mode\", and the VM's firmware must "
			       "have Secure Boot off [TEST].", j->v.instead,
			       k && wf_kind_is_virtio(k) ? ": the inject-virtio fix below replaces it" : "");
	else
		wf_finding_set(&f->next_check, "Install a build signed for %s: %s%s.", rel,
			       j->v.instead[0] ? j->v.instead : "the vendor's signed release",
			       k && wf_kind_is_virtio(k) ? " (the inject-virtio fix below replaces it)" : "");
	svc_evidence(c, f, j);
	sig_evidence(f, j);
	if (j->origin == ORIGIN_OEM) {
		char cat[400];
		oem_catalog(c, j->inf, sys, sys_len, cat, sizeof cat);
		wf_finding_add_evidence(f, "CatRoot", OEM_CATROOT, 0, 0,
					cat[0] ? cat : "no catalog named after the INF");
	}
	if (j->sig.kind == WF_SIG_TEST)
		bcd_evidence(c, f, x);
	if ((j->sig.kind == WF_SIG_MICROSOFT || j->sig.kind == WF_SIG_CROSS) && !j->sig.has_sha1)
		wf_finding_add_evidence(f, c->in->software_name ? c->in->software_name : "SOFTWARE",
					"Component Based Servicing\\Packages", 0, 0, x->sha2why);
	if (k && wf_kind_is_virtio(k))
		wf_finding_add_fix_for(f, WF_FIXID(INJECT_VIRTIO), j->s->name);
}

/* Judge one boot-start driver; 1 when it was judged (read). */
static int judge_one(struct wf_rctx *c, const struct wf_rule *r, struct signctx *x,
		     struct wf_svc *s)
{
	struct judged j = { .s = s };
	j.origin = origin_of(c, s, j.inf, sizeof j.inf);
	if (j.origin == ORIGIN_INBOX)
		return 0;	/* [INBOX]: Windows' own catalogs */
	wf_rctx_svc_file(c, s);
	if (s->file_state != 1 || s->pe_state != 1)
		return 0;	/* missing or not a PE: rules_boot.c / rules_files.c say so */
	void *buf = NULL;
	size_t len = 0;
	if (!read_whole(c, x, s, &buf, &len))
		return 0;
	if (wf_sig_read_pe(buf, len, s->guest_path, &j.sig, NULL) < 0 ||
	    (j.sig.kind == WF_SIG_UNSIGNED && j.origin == ORIGIN_UNKNOWN)) {
		x->not_judged += j.sig.kind == WF_SIG_UNSIGNED;
		free(buf);
		return 1;
	}
	wf_kmcs_judge(&j.sig, &x->g, &j.v);
	if (j.v.outcome == WF_KMCS_TESTMODE || j.v.outcome == WF_KMCS_REFUSED)
		emit_refused(c, r, &j, x, buf, len);
	else if (j.sig.kind == WF_SIG_TEST && j.v.outcome == WF_KMCS_LOADS && !x->needs_name[0])
		snprintf(x->needs_name, sizeof x->needs_name, "%s", s->name);
	free(buf);
	return 1;
}

/* Test signing is on: Test Mode, and Secure Boot must stay off [TEST]. */
static void emit_testsigning(struct wf_rctx *c, const struct signctx *x)
{
	int needed = x->needs_name[0] != '\0';
	struct wf_finding *f = wf_rule_emit(c, WF_FID(TEST_SIGNING_ON), needed ? WF_SEV_WARNING : -1,
					    "BCD", needed ? ": boot driver " : "",
					    needed ? x->needs_name : "", needed ? " depends on it" : "");
	wf_finding_set(&f->explanation,
		       "The guest's BCD store has testsigning on for the Windows it boots (%s), as "
		       "`bcdedit /set testsigning on` leaves it: Windows loads test-signed drivers and "
		       "shows \"Test Mode\" on the desktop. Test signing works only with Secure Boot off "
		       "[TEST]: %s",
		       x->bcd.loader,
		       needed ? "the boot-start driver named in the title is test-signed, so the VM must "
				"boot with Secure Boot off (OVMF without the enrolled keys, or SeaBIOS): with "
				"Secure Boot on the loader refuses that driver." :
				"no boot-start driver this diagnosis read depends on it (drivers that start "
				"later may); if nothing needs it, turn it off.");
	wf_finding_set(&f->next_check,
		       needed ? "Keep Secure Boot off in the VM's firmware, or replace %s with a "
				"production-signed build and then turn test signing off (bcdedit /set "
				"{default} testsigning off)." :
				"If no test driver is needed: bcdedit /set {default} testsigning off, then "
				"restart%s.", x->needs_name);
	bcd_evidence(c, f, x);
	if (x->bcd.nointegritychecks == 1) {
		char *k = wf_xasprintf("Objects\\%s\\Elements\\%s", x->bcd.loader, WF_BCD_EL_NOINTEGRITY);
		wf_finding_add_evidence(f, c->in->bcd_name ? c->in->bcd_name : "BCD", k, 0, 0,
					"Element = 01 (nointegritychecks on)");
		free(k);
	}
}

void wf_rule_boot_signature(struct wf_rctx *c, const struct wf_rule *r)
{
	if (!c->files || !c->in->read || !c->ver || !c->arch || c->winver < WF_WINVER(6, 0))
		return;
	struct signctx x = { 0 };
	wf_kmcs_guest_read(c->ver, c->in->software, c->in->bcd, &x.g, &x.bcd, x.sha2why,
			   sizeof x.sha2why);
	unsigned judged = 0;
	if (wf_kmcs_enforced(c->ver)) {
		size_t n = 0;
		wf_node *kids = wf_hive_children(c->sys, c->services, &n);
		for (size_t i = 0; i < n && i < MAX_SERVICES && judged < MAX_JUDGED; i++) {
			uint32_t start, type, ov;
			char ovn[16];
			if (wf_hive_get_dword(c->sys, kids[i], "Start", &start) != 0 || start != 0 ||
			    wf_hive_get_dword(c->sys, kids[i], "Type", &type) != 0 ||
			    (type != 1 && type != 2) ||
			    wf_svc_start_override(c->sys, kids[i], &ov, ovn, sizeof ovn))
				continue;
			char *name = wf_hive_node_name(c->sys, kids[i]);
			struct wf_svc *s = name ? wf_rctx_svc(c, name) : NULL;
			free(name);
			if (s)
				judged += (unsigned)judge_one(c, r, &x, s);
		}
		free(kids);
	}
	if (x.not_judged)
		wf_diag_note(c->in->notes, "signatures: %u boot-start driver(s) carry no embedded signature "
			     "and nothing says they are not Windows' own (signed in its catalogs): not "
			     "judged", x.not_judged);
	if (x.too_big || judged >= MAX_JUDGED)
		wf_diag_note(c->in->notes, "signatures: %u boot-start driver(s) not read (over %u MiB, or "
			     "past the %u drivers / %llu MiB read at most)", x.too_big, FILE_MAX >> 20,
			     MAX_JUDGED, READ_BUDGET >> 20);
	if (x.bcd.testsigning == 1)
		emit_testsigning(c, &x);
}
