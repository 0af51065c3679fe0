/*
 * test_authenticode.c - the signature classifier on PE files the kit
 * writes and this test signs with osslsigncode: a self-signed certificate,
 * a self-made CA, SHA-1, SHA-256 and dual (nested) signatures, unsigned,
 * and damaged files (signature bytes flipped, file changed after signing,
 * a certificate table out of bounds); catalogs made with `openssl cms`
 * (a PKCS#7 SignedData of a CTL, as a .cat is).
 *
 * The Microsoft and cross-signed classes are tested with certificates
 * made here that carry Microsoft's names (virt-winfix classifies by name,
 * authenticode.h): this tests the chain logic, not real Microsoft chains
 * (no real signed driver is in ../shared/fixtures).
 *
 * Needs `openssl` and `osslsigncode` (make deps); skipped without them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kit/kitlib.c"
#include "authenticode.h"

static char dir[] = "/tmp/wf-sig-XXXXXX";
static int have_tools;

#include "../kit/certkit.c"

static unsigned char *slurp(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void spit(const char *name, const unsigned char *b, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	have_tools = system("command -v openssl >/dev/null && command -v osslsigncode >/dev/null") == 0;
	if (!have_tools)
		return 0;
	assert_non_null(mkdtemp(dir));
	static const char *const imports[] = { "ntoskrnl.exe", "storport.sys", NULL };
	struct kit_pe spec = { KIT_PE_AMD64, KIT_PE_NATIVE, 6, 1, 0, imports };
	char path[256];
	snprintf(path, sizeof path, "%s/drv.sys", dir);
	struct wf_error e = { 0 };
	if (kit_write_pe(path, &spec, &e) < 0)
		fail_msg("kit_write_pe: %s", e.msg);
	mkroot("self", "Test Self Signed Driver");
	mkroot("ca", "Test Private Root CA");
	mkleaf("pub", "Test Driver Publisher", "ca", NULL);
	mkroot("msroot", "Microsoft Root Certificate Authority 2010");
	mkleaf("whql", "Microsoft Windows Hardware Compatibility Publisher", "msroot", NULL);
	/* vendor root cross-signed by a (made-up) Microsoft Code Verification Root */
	mkroot("vroot", "Test Vendor Root");
	mkleaf("vpub", "Test Vendor Driver Publisher", "vroot", NULL);
	mkroot("cvr", "Microsoft Code Verification Root");
	mkleaf("xcert", "Test Vendor Root", "cvr", "vroot");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (have_tools)
		if (!getenv("WF_KEEP")) sh("rm -rf %s", dir);
	return 0;
}

/* Sign drv.sys (or IN) with CERT's key, digest H -> OUT. */
static void sign(const char *in, const char *cert, const char *h, const char *extra, const char *out)
{
	assert_int_equal(sh("rm -f %s && osslsigncode sign -certs %s.chain -key %s.key -h %s %s "
			    "-in %s -out %s", out, cert, cert, h, extra ? extra : "", in, out), 0);
}

static struct wf_sig read_pe(const char *name)
{
	size_t len;
	unsigned char *b = slurp(name, &len);
	struct wf_sig s;
	struct wf_error e = { 0 };
	if (wf_sig_read_pe(b, len, name, &s, &e) < 0)
		fail_msg("%s: %s", name, e.msg);
	free(b);
	return s;
}

#define NEED_TOOLS() do { if (!have_tools) skip(); } while (0)

static void t_unsigned(void **state)
{
	(void)state;
	NEED_TOOLS();
	struct wf_sig s = read_pe("drv.sys");
	assert_int_equal(s.kind, WF_SIG_UNSIGNED);
	assert_string_equal(wf_sig_kind_name(s.kind), "unsigned");
	assert_string_equal(wf_sig_digests(&s), "no digest");
}

static void t_self_signed(void **state)
{
	(void)state;
	NEED_TOOLS();
	assert_int_equal(sh("cp self.pem self.chain"), 0);
	sign("drv.sys", "self", "sha256", NULL, "self256.sys");
	struct wf_sig s = read_pe("self256.sys");
	assert_int_equal(s.kind, WF_SIG_TEST);
	assert_true(s.self_signed);
	assert_string_equal(s.signer, "Test Self Signed Driver");
	assert_string_equal(wf_sig_digests(&s), "SHA-256 only");
	assert_int_equal(strlen(s.not_before), 10);
}

static void t_private_ca_sha1_sha256_dual(void **state)
{
	(void)state;
	NEED_TOOLS();
	sign("drv.sys", "pub", "sha1", NULL, "ca1.sys");
	struct wf_sig s = read_pe("ca1.sys");
	assert_int_equal(s.kind, WF_SIG_TEST);
	assert_false(s.self_signed);
	assert_string_equal(s.signer, "Test Driver Publisher");
	assert_string_equal(s.root, "Test Private Root CA");
	assert_string_equal(wf_sig_digests(&s), "SHA-1 only");
	sign("ca1.sys", "pub", "sha256", "-nest", "dual.sys");
	s = read_pe("dual.sys");
	assert_int_equal(s.kind, WF_SIG_TEST);
	assert_int_equal(s.n_signatures, 2);
	assert_string_equal(wf_sig_digests(&s), "SHA-1 and SHA-256");
}

static void t_microsoft_and_cross(void **state)
{
	(void)state;
	NEED_TOOLS();
	sign("drv.sys", "whql", "sha256", NULL, "whql.sys");
	struct wf_sig s = read_pe("whql.sys");
	assert_int_equal(s.kind, WF_SIG_MICROSOFT);
	assert_string_equal(s.root, "Microsoft Root Certificate Authority 2010");
	sign("drv.sys", "vpub", "sha1", "-ac xcert.pem", "cross.sys");
	s = read_pe("cross.sys");
	assert_int_equal(s.kind, WF_SIG_CROSS);
	assert_string_equal(s.cross, "Test Vendor Root");
	assert_string_equal(s.root, "Test Vendor Root");
	/* the same vendor chain without the cross-certificate is test signing */
	sign("drv.sys", "vpub", "sha1", NULL, "nocross.sys");
	s = read_pe("nocross.sys");
	assert_int_equal(s.kind, WF_SIG_TEST);
}

/* Offset and length of the certificate table (data directory 4). */
static void cert_table(const unsigned char *b, uint32_t *off, uint32_t *size)
{
	uint32_t lfanew = b[0x3c] | b[0x3d] << 8;
	size_t dir4 = lfanew + 24 + 112 + 4 * 8;	/* PE32+ */
	*off = b[dir4] | b[dir4 + 1] << 8 | (uint32_t)b[dir4 + 2] << 16 | (uint32_t)b[dir4 + 3] << 24;
	*size = b[dir4 + 4] | b[dir4 + 5] << 8 | (uint32_t)b[dir4 + 6] << 16;
}

static void t_damaged(void **state)
{
	(void)state;
	NEED_TOOLS();
	size_t len;
	unsigned char *b = slurp("ca1.sys", &len);
	uint32_t off, size;
	cert_table(b, &off, &size);
	assert_true(off > 0 && off + size == len);
	uint32_t wlen = b[off] | b[off + 1] << 8;
	/* the RSA signature is the last field of the (only) SignerInfo */
	unsigned char *c = malloc(len);
	memcpy(c, b, len);
	c[off + wlen - 10] ^= 0x5a;
	spit("badsig.sys", c, len);
	struct wf_sig s = read_pe("badsig.sys");
	assert_int_equal(s.kind, WF_SIG_DAMAGED);
	assert_non_null(strstr(s.why, "does not verify"));
	/* the code changed after signing */
	memcpy(c, b, len);
	c[0x200] ^= 0xff;
	spit("patched.sys", c, len);
	s = read_pe("patched.sys");
	assert_int_equal(s.kind, WF_SIG_DAMAGED);
	assert_non_null(strstr(s.why, "does not match"));
	/* DER garbage */
	memcpy(c, b, len);
	memset(c + off + 8, 0xee, 16);
	spit("garbage.sys", c, len);
	s = read_pe("garbage.sys");
	assert_int_equal(s.kind, WF_SIG_DAMAGED);
	/* a table past the end of the file */
	memcpy(c, b, len);
	spit("short.sys", c, len - 100);
	s = read_pe("short.sys");
	assert_int_equal(s.kind, WF_SIG_DAMAGED);
	assert_non_null(strstr(s.why, "outside"));
	/* not a PE at all is an error, not a class */
	struct wf_error e = { 0 };
	assert_int_equal(wf_sig_read_pe("hello", 5, "x", &s, &e), -1);
	free(c);
	free(b);
}

/* A CTL listing `hexhash` as a member, signed with openssl cms. */
static void mkcat(const char *out, const char *hexhash, const char *cert, const char *ca,
		  const char *md)
{
	assert_int_equal(sh("printf 'asn1=SEQUENCE:ctl\\n[ctl]\\nu=SEQUENCE:usage\\n"
			    "l=FORMAT:HEX,OCTETSTRING:0102030405060708\\nt=UTCTIME:250101000000Z\\n"
			    "a=SEQUENCE:alg\\ns=SEQUENCE:subjects\\n[usage]\\no=OID:1.3.6.1.4.1.311.12.1.1\\n"
			    "[alg]\\no=OID:1.3.6.1.4.1.311.12.1.2\\np=NULL\\n[subjects]\\ns1=SEQUENCE:m\\n"
			    "[m]\\nid=FORMAT:HEX,OCTETSTRING:%s\\nattrs=SET:none\\n[none]\\n' > %s.cnf && "
			    "openssl asn1parse -genconf %s.cnf -out %s.ctl -noout && "
			    "openssl cms -sign -binary -nodetach -outform DER -econtent_type "
			    "1.3.6.1.4.1.311.10.1 -in %s.ctl -signer %s.pem -inkey %s.key -certfile %s.pem "
			    "-md %s -out %s", hexhash, out, out, out, out, cert, cert, ca, md, out), 0);
}

static void t_catalog(void **state)
{
	(void)state;
	NEED_TOOLS();
	/* drv.sys's Authenticode SHA-1 as osslsigncode computes it */
	assert_int_equal(sh("osslsigncode extract-data -h sha1 -in drv.sys -out drv.p7 && "
			    "openssl asn1parse -inform DER -in drv.p7 | awk -F: '/OCTET STRING/ "
			    "{ h = $NF } END { print h }' > drv.hash"), 0);
	size_t hl;
	unsigned char *h = slurp("drv.hash", &hl);
	while (hl && (h[hl - 1] == '\n' || h[hl - 1] == ' '))
		h[--hl] = '\0';
	h[hl] = '\0';
	assert_int_equal(hl, 40);
	mkcat("pkg.cat", (char *)h, "pub", "ca", "sha256");
	mkcat("other.cat", "00112233445566778899AABBCCDDEEFF00112233", "whql", "msroot", "sha1");
	size_t cl, ol, pl;
	unsigned char *cat = slurp("pkg.cat", &cl), *other = slurp("other.cat", &ol);
	unsigned char *pe = slurp("drv.sys", &pl);
	struct wf_sig s;
	struct wf_error e = { 0 };
	assert_int_equal(wf_sig_read_cat(cat, cl, "pkg.cat", &s, &e), 0);
	assert_int_equal(s.kind, WF_SIG_TEST);
	assert_string_equal(s.signer, "Test Driver Publisher");
	assert_string_equal(wf_sig_digests(&s), "SHA-256 only");
	assert_int_equal(wf_sig_read_cat(other, ol, "other.cat", &s, &e), 0);
	assert_int_equal(s.kind, WF_SIG_MICROSOFT);
	assert_string_equal(wf_sig_digests(&s), "SHA-1 only");
	assert_int_equal(wf_sig_cat_lists(cat, cl, pe, pl), 1);
	assert_int_equal(wf_sig_cat_lists(other, ol, pe, pl), 0);
	/* a flipped byte in the catalog's signature, and a file that is no PKCS#7 */
	cat[cl - 10] ^= 0x33;
	assert_int_equal(wf_sig_read_cat(cat, cl, "pkg.cat", &s, &e), 0);
	assert_int_equal(s.kind, WF_SIG_DAMAGED);
	assert_int_equal(wf_sig_read_cat(pe, pl, "drv.sys", &s, &e), 0);
	assert_int_equal(s.kind, WF_SIG_DAMAGED);
	free(h);
	free(cat);
	free(other);
	free(pe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_unsigned),
		cmocka_unit_test(t_self_signed),
		cmocka_unit_test(t_private_ca_sha1_sha256_dual),
		cmocka_unit_test(t_microsoft_and_cross),
		cmocka_unit_test(t_damaged),
		cmocka_unit_test(t_catalog),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
