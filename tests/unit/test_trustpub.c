/*
 * test_trustpub.c - which driver catalogs put their signer into the
 * guest's TrustedPublisher store (trustpub.h): decided by the class of the
 * catalog's signature, on catalogs this test signs with `openssl cms` (a
 * PKCS#7 SignedData of a CTL, as a .cat is) with certificates made here:
 *   whql     "Microsoft Windows Hardware Compatibility Publisher" under a
 *            made-up "Microsoft Root Certificate Authority 2010"
 *   cross    a vendor publisher under a vendor root that carries a
 *            cross-certificate from a made-up "Microsoft Code Verification
 *            Root"
 *   vendor   a publisher under a private CA, no cross-certificate
 *   self     a self-signed publisher
 *   garbage  not a PKCS#7 at all
 * (virt-winfix classifies by name, authenticode.h: this tests the
 * decision, not real Microsoft chains.)  Each on XP, Vista, 7, 8.1, 10.
 *
 * Needs `openssl` (make deps); skipped without it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kit/kitlib.c"
#include "authenticode.h"
#include "fixes.h"
#include "hive.h"
#include "plan.h"
#include "trustpub.h"
#include "winver.h"

static char dir[] = "/tmp/wf-tp-XXXXXX";
static int have_tools;

#include "../kit/certkit.c"

/* OUT.cat: a CTL with one member, signed by CERT, carrying the certificates
 * in EXTRA (a file of PEMs). */
static void mkcat(const char *out, const char *cert, const char *extra)
{
	assert_int_equal(sh("printf 'asn1=SEQUENCE:ctl\\n[ctl]\\nu=SEQUENCE:usage\\n"
			    "l=FORMAT:HEX,OCTETSTRING:0102030405060708\\nt=UTCTIME:250101000000Z\\n"
			    "a=SEQUENCE:alg\\ns=SEQUENCE:subjects\\n[usage]\\no=OID:1.3.6.1.4.1.311.12.1.1\\n"
			    "[alg]\\no=OID:1.3.6.1.4.1.311.12.1.2\\np=NULL\\n[subjects]\\ns1=SEQUENCE:m\\n"
			    "[m]\\nid=FORMAT:HEX,OCTETSTRING:00112233445566778899AABBCCDDEEFF00112233\\n"
			    "attrs=SET:none\\n[none]\\n' > %s.cnf && "
			    "openssl asn1parse -genconf %s.cnf -out %s.ctl -noout && "
			    "openssl cms -sign -binary -nodetach -outform DER -econtent_type "
			    "1.3.6.1.4.1.311.10.1 -in %s.ctl -signer %s.pem -inkey %s.key %s%s "
			    "-md sha256 -out %s.cat", out, out, out, out, cert, cert,
			    extra ? "-certfile " : "", extra ? extra : "", out), 0);
}

static int setup(void **state)
{
	(void)state;
	have_tools = system("command -v openssl >/dev/null") == 0;
	if (!have_tools)
		return 0;
	assert_non_null(mkdtemp(dir));
	mkroot("msroot", "Microsoft Root Certificate Authority 2010");
	mkleaf("whql", "Microsoft Windows Hardware Compatibility Publisher", "msroot", NULL);
	mkcat("whql", "whql", "msroot.pem");
	mkroot("vroot", "Test Vendor Root");
	mkleaf("vpub", "Test Vendor Driver Publisher", "vroot", NULL);
	mkroot("cvr", "Microsoft Code Verification Root");
	mkleaf("xcert", "Test Vendor Root", "cvr", "vroot");
	assert_int_equal(sh("cat vroot.pem xcert.pem > cross.bundle"), 0);
	mkcat("cross", "vpub", "cross.bundle");
	mkroot("ca", "Test Private Root CA");
	mkleaf("pub", "Test Driver Publisher", "ca", NULL);
	mkcat("vendor", "pub", "ca.pem");
	mkroot("self", "Test Self Signed Publisher");
	mkcat("self", "self", NULL);
	assert_int_equal(sh("printf 'not a catalog' > garbage.cat"), 0);
	char path[300];
	snprintf(path, sizeof path, "%s/SOFTWARE", dir);
	struct wf_error e = { 0 };
	if (kit_write_minimal_hive(path, "SOFTWARE", &e) < 0)
		fail_msg("%s", e.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (have_tools && !getenv("WF_KEEP"))
		sh("rm -rf %s", dir);
	return 0;
}

#define NEED_TOOLS() do { if (!have_tools) skip(); } while (0)

static const char *cat_path(const char *name)
{
	static char path[300];
	snprintf(path, sizeof path, "%s/%s.cat", dir, name);
	return path;
}

static const struct {
	const char *cat;
	enum wf_sig_kind kind;
	enum wf_trustpub_need vista_on;	/* XP: never needed */
} kinds[] = {
	{ "whql", WF_SIG_MICROSOFT, WF_TRUSTPUB_NOT_NEEDED },
	{ "cross", WF_SIG_CROSS, WF_TRUSTPUB_NEEDED },
	{ "vendor", WF_SIG_TEST, WF_TRUSTPUB_NEEDED },
	{ "self", WF_SIG_TEST, WF_TRUSTPUB_NEEDED },
	{ "garbage", WF_SIG_DAMAGED, WF_TRUSTPUB_NO_SIGNER },
};
static const unsigned versions[] = { WF_WINVER(5, 1), WF_WINVER(6, 0), WF_WINVER(6, 1),
				     WF_WINVER(6, 3), WF_WINVER(10, 0) };
#define N(a) (sizeof (a) / sizeof (a)[0])

static void t_needed_by_class(void **state)
{
	(void)state;
	NEED_TOOLS();
	for (size_t i = 0; i < N(kinds); i++) {
		struct wf_sig s;
		struct wf_error e = { 0 };
		assert_int_equal(wf_sig_read_cat_file(cat_path(kinds[i].cat), &s, &e), 0);
		if (s.kind != kinds[i].kind)
			fail_msg("%s.cat: class %s, want %s", kinds[i].cat, wf_sig_kind_name(s.kind),
				 wf_sig_kind_name(kinds[i].kind));
		for (size_t v = 0; v < N(versions); v++) {
			const char *why = NULL;
			enum wf_trustpub_need want = versions[v] < WF_WINVER(6, 0) ? WF_TRUSTPUB_NOT_NEEDED
								   : kinds[i].vista_on;
			enum wf_trustpub_need got = wf_trustpub_needed(versions[v], &s, &why);
			if (got != want)
				fail_msg("%s.cat on %u: %d, want %d", kinds[i].cat, versions[v], got, want);
			assert_non_null(why);
		}
	}
	/* an unsigned catalog (no catalog at all is planned as unsigned) */
	struct wf_sig u = { .kind = WF_SIG_UNSIGNED };
	const char *why;
	assert_int_equal(wf_trustpub_needed(WF_WINVER(6, 1), &u, &why), WF_TRUSTPUB_NO_SIGNER);
}

/* Plan catalog `cat` for Windows major.minor; the SOFTWARE actions. */
static size_t plan_for(const char *cat, unsigned major, unsigned minor, struct wf_plan *p)
{
	char path[300];
	snprintf(path, sizeof path, "%s/SOFTWARE", dir);
	struct wf_error e = { 0 };
	struct wf_hive *sw = wf_hive_open(path, "SOFTWARE", 0, &e);
	assert_non_null(sw);
	struct wf_winver ver = { .major = major, .minor = minor };
	struct wf_fixctx c = { .software = sw, .ver = &ver };
	wf_plan_init(p);
	wf_trustpub_plan(&c, p, "inject-virtio:viostor", cat ? cat_path(cat) : NULL, "viostor.cat");
	wf_hive_close(sw);
	return wf_plan_count_hive(p, WF_HIVE_SOFTWARE);
}

static int has_note(const struct wf_plan *p, const char *needle)
{
	for (size_t i = 0; i < p->n_notes; i++)
		if (strstr(p->notes[i], needle))
			return 1;
	return 0;
}

static void t_plan(void **state)
{
	(void)state;
	NEED_TOOLS();
	struct wf_plan p;
	/* Microsoft-signed: nothing on 7 or 10 */
	assert_int_equal(plan_for("whql", 6, 1, &p), 0);
	assert_int_equal(p.n_notes, 0);
	wf_plan_free(&p);
	assert_int_equal(plan_for("whql", 10, 0, &p), 0);
	wf_plan_free(&p);
	/* cross-signed on 7 and on 10: the signer's certificate, keyed by its SHA-1 */
	const char *const trusted[] = { "cross", "vendor", "self" };
	for (size_t i = 0; i < N(trusted); i++)
		for (unsigned major = 6; major <= 10; major += 4) {
			assert_true(plan_for(trusted[i], major, 1 - major / 10, &p) > 0);
			unsigned char *der, *blob;
			size_t len, blen;
			char thumb[41];
			struct wf_error e = { 0 };
			assert_int_equal(wf_catalog_signer_der(cat_path(trusted[i]), &der, &len, &e), 0);
			wf_cert_store_element(der, len, &blob, &blen, thumb);
			char key[200];
			snprintf(key, sizeof key, WF_TRUSTPUB_KEY "\\%s", thumb);
			uint32_t t;
			const unsigned char *d;
			size_t dl;
			int del = 0;
			assert_int_equal(wf_plan_planned_value(&p, WF_HIVE_SOFTWARE, key, "Blob", &t, &d,
							       &dl, &del), 1);
			assert_int_equal(t, WF_REG_BINARY);
			assert_int_equal(dl, blen);
			assert_memory_equal(d, blob, blen);
			assert_true(has_note(&p, "goes into the machine's TrustedPublisher store"));
			/* vendor and self-signed chains end in a root Windows must also trust */
			assert_int_equal(has_note(&p, "Root store too"), strcmp(trusted[i], "cross") != 0);
			free(der);
			free(blob);
			wf_plan_free(&p);
		}
	assert_true(plan_for("cross", 6, 0, &p) > 0);	/* Vista */
	wf_plan_free(&p);
	/* XP: never */
	assert_int_equal(plan_for("cross", 5, 1, &p), 0);
	assert_int_equal(p.n_notes, 0);
	wf_plan_free(&p);
	/* nothing to trust: a note, no write */
	assert_int_equal(plan_for("garbage", 6, 1, &p), 0);
	assert_true(has_note(&p, "no signer to trust offline (damaged catalog signature"));
	wf_plan_free(&p);
	assert_int_equal(plan_for(NULL, 10, 0, &p), 0);
	assert_true(has_note(&p, "no signer to trust offline (no catalog)"));
	wf_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_needed_by_class),
		cmocka_unit_test(t_plan),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
