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
#include "fixes.h"
#include "hive.h"
#include "plan.h"
#include "strbuf.h"
#include "text.h"
#include "winver.h"

#include <openssl/evp.h>
#include <openssl/objects.h>
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

/* The certificate's subject organization is Microsoft Corporation (WHQL,
 * attestation: Windows installs those without asking). */
static int microsoft_signed(const unsigned char *der, size_t len, char *subject, size_t n)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	char org[128] = "";
	snprintf(subject, n, "?");
	if (x) {
		X509_NAME *nm = X509_get_subject_name(x);
		X509_NAME_get_text_by_NID(nm, NID_organizationName, org, sizeof org);
		if (X509_NAME_get_text_by_NID(nm, NID_commonName, subject, (int)n) < 0)
			snprintf(subject, n, "%s", org);
		X509_free(x);
	}
	return strcmp(org, "Microsoft Corporation") == 0;
}

void wf_trustpub_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      const char *cat, const char *what)
{
	unsigned code = wf_winver_code(c->ver);
	if (code < WF_WINVER(6, 0) || code >= WF_WINVER(10, 0) || !c->software)
		return;
	struct wf_error e = { 0 };
	unsigned char *der;
	size_t len;
	if (!cat || wf_catalog_signer_der(cat, &der, &len, &e) < 0) {
		wf_plan_note(p, "%s: %s: no signer to trust offline (%s); pnputil may wait for an answer "
			     "nobody can give at first boot", fix, what, cat ? e.msg : "no catalog");
		return;
	}
	char subject[128];
	if (microsoft_signed(der, len, subject, sizeof subject)) {
		free(der);
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
	if (!planned && wf_plan_set(p, c->software, WF_HIVE_SOFTWARE, k, "Blob", WF_REG_BINARY, blob, blen, fix))
		wf_plan_note(p, "%s: the signer of %s (\"%s\", SHA-1 %s) goes into the machine's "
			     "TrustedPublisher store, so that pnputil installs it at first boot "
			     "without asking", fix, what, subject, thumb);
	free(k);
	free(blob);
	free(der);
}
