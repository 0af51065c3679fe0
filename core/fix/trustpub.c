/*
 * trustpub.c - the signer of a driver catalog into TrustedPublisher (see
 * trustpub.h).
 *
 * The serialized form of a certificate store element (what
 * CertSerializeCertificateStoreElement returns and what a registry
 * store keeps as "Blob", Microsoft Learn "CertSerializeCertificate
 * StoreElement", "CertAddSerializedElementToStore"): a sequence of
 * records, each
 *     u32 LE  property id
 *     u32 LE  1 (reserved; always 1 in stores Windows writes)
 *     u32 LE  length of the data
 *     bytes   the data
 * the context's properties first, then the element itself as property
 * 0x20 (CERT_CERT_PROP_ID, "reserved" in wincrypt.h: the encoded X.509
 * certificate).  Wine's crypt32 (dlls/crypt32/serialize.c,
 * CRYPT_SerializeStoreElement and its WINE_CERT_PROP_HEADER) reads and
 * writes the same layout; .reg exports of real stores begin
 * "03,00,00,00,01,00,00,00,14,00,00,00": property 3
 * (CERT_SHA1_HASH_PROP_ID), 20 bytes - which is what this writes before
 * the certificate.
 */
#include "trustpub.h"
#include "authenticode.h"
#include "fixes.h"
#include "hive.h"
#include "plan.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG_MAX (32u << 20)
#define PROP_SHA1_HASH 3	/* CERT_SHA1_HASH_PROP_ID */
#define PROP_CERT 0x20		/* CERT_CERT_PROP_ID */

static X509 *first_signer(PKCS7 *p7, STACK_OF(X509) **signers)
{
	*signers = NULL;
	if (!p7 || !PKCS7_type_is_signed(p7))
		return NULL;
	*signers = PKCS7_get0_signers(p7, NULL, 0);
	return *signers && sk_X509_num(*signers) > 0 ? sk_X509_value(*signers, 0) : NULL;
}

int wf_catalog_signer_der(const char *path, unsigned char **der, size_t *len,
			  struct wf_error *e)
{
	*der = NULL;
	*len = 0;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	if (wf_sb_read_file(&sb, path, CATALOG_MAX, e) < 0)
		return -1;
	const unsigned char *p = (const unsigned char *)sb.buf;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)sb.len);
	int r;
	if (!p7 || !PKCS7_type_is_signed(p7)) {
		r = wf_error_set(e, WF_ERR_INPUT, "%s: not a signed catalog (no PKCS#7 SignedData)", path);
	} else {
		STACK_OF(X509) *signers;
		X509 *x = first_signer(p7, &signers);
		unsigned char *out = NULL;
		int n = x ? i2d_X509(x, &out) : -1;
		if (n <= 0) {
			r = wf_error_set(e, WF_ERR_INPUT, "%s: no signer certificate in it", path);
		} else {
			*der = wf_xmalloc((size_t)n);
			memcpy(*der, out, (size_t)n);
			*len = (size_t)n;
			r = 0;
		}
		OPENSSL_free(out);
		sk_X509_free(signers);
	}
	PKCS7_free(p7);
	wf_sb_release(&sb);
	return r;
}

static void put_u32(unsigned char *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

static size_t put_record(unsigned char *b, uint32_t id, const unsigned char *d, size_t n)
{
	put_u32(b, id);
	put_u32(b + 4, 1);
	put_u32(b + 8, (uint32_t)n);
	memcpy(b + 12, d, n);
	return 12 + n;
}

void wf_cert_store_element(const unsigned char *der, size_t len,
			   unsigned char **out, size_t *out_len, char thumb[41])
{
	unsigned char sha1[20];
	unsigned int n = 0;
	EVP_Digest(der, len, sha1, &n, EVP_sha1(), NULL);
	for (int i = 0; i < 20; i++)
		snprintf(thumb + 2 * i, 3, "%02X", sha1[i]);
	*out = wf_xmalloc(12 + 20 + 12 + len);
	size_t k = put_record(*out, PROP_SHA1_HASH, sha1, 20);
	k += put_record(*out + k, PROP_CERT, der, len);
	*out_len = k;
}

/* Which catalogs need their signer in TrustedPublisher, by the class of
 * the catalog's signature (authenticode.h).  Sources:
 *  [SETUPAPI] Microsoft Learn, "Using SetupAPI to Verify Driver
 *      Authenticode Signatures": a package that is not system-supplied
 *      and has no WHQL signature but a valid Authenticode one gets
 *      ERROR_AUTHENTICODE_TRUSTED_PUBLISHER when the signer's certificate
 *      is in the Trusted Publishers store, else
 *      ERROR_AUTHENTICODE_TRUST_NOT_ESTABLISHED: Windows asks the user
 *      (supported from Windows Server 2003 on; pnputil from Vista on).
 *  [PNPSIGN] Microsoft Learn, "PnP Device Installation Signing
 *      Requirements": for staging, a catalog signed by WHQL or by a
 *      third-party release certificate (SPC) counts as signed on Vista
 *      and later, Windows 10 included (only Windows 10 in S mode and
 *      non-x86/amd64 editions demand WHQL).  So Windows 10 and 11 ask
 *      about a vendor- or cross-signed package just as 7 does [U: read
 *      from these two pages, not watched on a Windows 10 guest]; such a
 *      package loads there when Secure Boot is off (SeaBIOS VMs), when
 *      its cross-certificate predates 29 July 2015, or with test signing
 *      (Learn, "Driver Signing Policy").
 *  [TESTCERT] Microsoft Learn, "Installing a Test Certificate on a Test
 *      Computer": a test certificate goes into Trusted Root
 *      Certification Authorities and Trusted Publishers.
 */
static const struct trust_rule {
	enum wf_sig_kind kind;
	enum wf_trustpub_need need;
	const char *why;
} trust_rules[] = {
	{ .kind = WF_SIG_MICROSOFT, .need = WF_TRUSTPUB_NOT_NEEDED,
	  .why = "Microsoft-signed (WHQL/attestation): Windows stages it without asking [SETUPAPI]" },
	{ .kind = WF_SIG_CROSS, .need = WF_TRUSTPUB_NEEDED,
	  .why = "cross-signed vendor catalog: Windows asks whether to trust its publisher "
		 "[SETUPAPI, PNPSIGN]" },
	{ .kind = WF_SIG_TEST, .need = WF_TRUSTPUB_NEEDED,
	  .why = "vendor or self-signed catalog: Windows asks whether to trust its publisher "
		 "[SETUPAPI, TESTCERT]" },
	{ .kind = WF_SIG_UNSIGNED, .need = WF_TRUSTPUB_NO_SIGNER,
	  .why = "unsigned catalog: there is no publisher to trust" },
	{ .kind = WF_SIG_DAMAGED, .need = WF_TRUSTPUB_NO_SIGNER,
	  .why = "damaged catalog signature: there is no publisher to trust" },
};

enum wf_trustpub_need wf_trustpub_needed(unsigned winver, const struct wf_sig *cat,
					 const char **why)
{
	*why = "Windows before Vista: no pnputil at first boot, nothing asks";
	if (winver < WF_WINVER(6, 0))
		return WF_TRUSTPUB_NOT_NEEDED;
	for (size_t i = 0; i < sizeof trust_rules / sizeof trust_rules[0]; i++)
		if (trust_rules[i].kind == cat->kind) {
			*why = trust_rules[i].why;
			return trust_rules[i].need;
		}
	*why = "unknown signature class";
	return WF_TRUSTPUB_NO_SIGNER;
}

void wf_trustpub_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      const char *cat, const char *what)
{
	unsigned code = wf_winver_code(c->ver);
	if (code < WF_WINVER(6, 0) || !c->software)
		return;
	struct wf_error e = { 0 };
	struct wf_sig sig = { .kind = WF_SIG_UNSIGNED };
	const char *why;
	if (cat && wf_sig_read_cat_file(cat, &sig, &e) < 0)
		sig.kind = WF_SIG_UNSIGNED;
	enum wf_trustpub_need need = wf_trustpub_needed(code, &sig, &why);
	if (need == WF_TRUSTPUB_NOT_NEEDED)
		return;
	unsigned char *der;
	size_t len;
	if (need == WF_TRUSTPUB_NO_SIGNER || wf_catalog_signer_der(cat, &der, &len, &e) < 0) {
		wf_plan_note(p, "%s: %s: no signer to trust offline (%s); pnputil may wait for an answer "
			     "nobody can give at first boot", fix, what,
			     !cat ? "no catalog" : need == WF_TRUSTPUB_NO_SIGNER ? why : e.msg);
		return;
	}
	unsigned char *blob;
	size_t blen;
	char thumb[41];
	wf_cert_store_element(der, len, &blob, &blen, thumb);
	char *k = wf_xasprintf(WF_TRUSTPUB_KEY "\\%s", thumb);
	uint32_t t;
	const unsigned char *d;
	size_t dl;
	int del;
	int planned = wf_plan_planned_value(p, WF_HIVE_SOFTWARE, k, "Blob", &t, &d, &dl, &del);
	if (!planned && wf_plan_set(p, c->software, WF_HIVE_SOFTWARE, k, "Blob", WF_REG_BINARY, blob, blen, fix)) {
		wf_plan_note(p, "%s: the signer of %s (\"%s\", SHA-1 %s; %s) goes into the machine's "
			     "TrustedPublisher store, so that pnputil installs it at first boot "
			     "without asking", fix, what, sig.signer[0] ? sig.signer : "?", thumb, why);
		if (sig.kind == WF_SIG_TEST)
			wf_plan_note(p, "%s: %s chains to \"%s\", which Windows trusts only if it is in the "
				     "machine's Root store too [TESTCERT]; virt-winfix adds no roots",
				     fix, what, sig.root[0] ? sig.root : "?");
	}
	free(k);
	free(blob);
	free(der);
}
