/*
 * authenticode.c - Authenticode signatures of drivers and catalogs (see
 * authenticode.h), with OpenSSL's libcrypto.
 *
 * Layout facts:
 *  - PE: data directory 4 (IMAGE_DIRECTORY_ENTRY_SECURITY) holds the FILE
 *    offset and size of the attribute certificate table, a list of
 *    WIN_CERTIFICATE { dwLength, wRevision 0x0200, wCertificateType 2 =
 *    WIN_CERT_TYPE_PKCS_SIGNED_DATA, bCertificate[] } entries, 8-byte
 *    aligned.  The Authenticode digest covers the file except CheckSum, the
 *    directory entry and the table.  Source: Microsoft "PE Format", "The
 *    Attribute Certificate Table (Image Only)"; "Windows Authenticode
 *    Portable Executable Signature Format" (Authenticode_PE.docx), sections
 *    "Calculating the PE Image Hash" and "SpcIndirectDataContent".
 *  - The PKCS#7 content is SpcIndirectDataContent (1.3.6.1.4.1.311.2.1.4):
 *    SEQUENCE { SpcAttributeTypeAndOptionalValue, DigestInfo }; the signed
 *    messageDigest attribute is the digest of that SEQUENCE's contents
 *    without its tag and length (Authenticode_PE.docx, "signerInfos").
 *  - A second signature (dual SHA-1 + SHA-256 signing) is the
 *    unauthenticated attribute 1.3.6.1.4.1.311.2.4.1 (szOID_NESTED_SIGNATURE,
 *    wincrypt.h) of the first signer.
 *  - A catalog is a PKCS#7 SignedData of a certificate trust list
 *    (szOID_CTL 1.3.6.1.4.1.311.10.1, wincrypt.h) whose members are the
 *    files' Authenticode digests (Microsoft "Catalog Files and Digital
 *    Signatures").
 */
#include "authenticode.h"
#include "pe.h"
#include "strbuf.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define OID_NESTED "1.3.6.1.4.1.311.2.4.1"
#define WIN_CERT_PKCS 0x0002
#define MAX_NESTED 4		/* nested signatures read */
#define MAX_CHAIN 10		/* certificates walked up from the signer */

/* Names Windows trusts for kernel-mode code.  Matched on the common name. */
enum ms_role { MS_ROOT, MS_SIGNER, MS_CROSS_ROOT };
static const struct ms_name {
	const char *cn;
	enum ms_role role;
	const char *source;
} ms_names[] = {
	{ .cn = "Microsoft Root Authority", .role = MS_ROOT,
	  .source = "KB293781 (trusted root certificates Windows requires); root of XP/2003-era "
		    "WHQL catalogs (Microsoft Windows Hardware Compatibility PCA)" },
	{ .cn = "Microsoft Root Certificate Authority", .role = MS_ROOT,
	  .source = "KB293781" },
	{ .cn = "Microsoft Root Certificate Authority 2010", .role = MS_ROOT,
	  .source = "Microsoft docs, \"Driver Signing\" / Hardware Dev Center: WHQL and attestation "
		    "signatures chain to it (Microsoft Windows Third Party Component CA)" },
	{ .cn = "Microsoft Root Certificate Authority 2011", .role = MS_ROOT,
	  .source = "Microsoft docs, \"Windows Secure Boot Key Creation and Management Guidance\" "
		    "(Windows Production PCA 2011)" },
	{ .cn = "Microsoft Windows Hardware Compatibility Publisher", .role = MS_SIGNER,
	  .source = "Microsoft docs, \"Attestation signing a kernel driver for public release\": "
		    "the signer of WHQL and attestation-signed packages" },
	{ .cn = "Microsoft Windows", .role = MS_SIGNER,
	  .source = "the signer of in-box drivers (Windows Production PCA)" },
	{ .cn = "Microsoft Code Verification Root", .role = MS_CROSS_ROOT,
	  .source = "Microsoft docs, \"Cross-Certificates for Kernel Mode Code Signing\": the root "
		    "a vendor CA's cross-certificate is issued by" },
};

static const struct ms_name *ms_lookup(const char *cn, enum ms_role role)
{
	for (size_t i = 0; i < sizeof ms_names / sizeof ms_names[0]; i++)
		if (ms_names[i].role == role && strcmp(ms_names[i].cn, cn) == 0)
			return &ms_names[i];
	return NULL;
}

const char *wf_sig_kind_name(enum wf_sig_kind k)
{
	static const char *const names[] = {
		[WF_SIG_UNSIGNED] = "unsigned", [WF_SIG_DAMAGED] = "damaged",
		[WF_SIG_TEST] = "test-signed", [WF_SIG_CROSS] = "cross-signed",
		[WF_SIG_MICROSOFT] = "Microsoft-signed",
	};
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

const char *wf_sig_digests(const struct wf_sig *s)
{
	if (s->has_sha1 && s->has_sha256)
		return "SHA-1 and SHA-256";
	if (s->has_sha256)
		return "SHA-256 only";
	return s->has_sha1 ? "SHA-1 only" : "no digest";
}

static int damaged(struct wf_sig *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int damaged(struct wf_sig *s, const char *fmt, ...)
{
	va_list ap;
	s->kind = WF_SIG_DAMAGED;
	va_start(ap, fmt);
	vsnprintf(s->why, sizeof s->why, fmt, ap);
	va_end(ap);
	ERR_clear_error();
	return 0;
}

static void name_cn(const X509_NAME *n, char *buf, size_t len)
{
	buf[0] = '\0';
	if (n && X509_NAME_get_text_by_NID((X509_NAME *)n, NID_commonName, buf, (int)len) < 0)
		buf[0] = '\0';
	for (char *p = buf; *p; p++)		/* names go to terminals */
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* --- the chain --------------------------------------------------------------------- */

static int self_issued(X509 *x)
{
	return X509_check_issued(x, x) == X509_V_OK;
}

static int issued_by_cvr(X509 *c)
{
	char cn[128];
	name_cn(X509_get_issuer_name(c), cn, sizeof cn);
	return ms_lookup(cn, MS_CROSS_ROOT) != NULL;
}

/* The issuer of x among the signature's certificates, not x itself and not a
 * cross-certificate (those are looked at separately). */
static X509 *issuer_in(STACK_OF(X509) *certs, X509 *x)
{
	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);
		if (c != x && !issued_by_cvr(c) && X509_check_issued(c, x) == X509_V_OK)
			return c;
	}
	return NULL;
}

/* A cross-certificate from Microsoft Code Verification Root for the name n. */
static X509 *cross_for(STACK_OF(X509) *certs, const X509_NAME *n)
{
	for (int i = 0; i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);
		if (issued_by_cvr(c) && X509_NAME_cmp(X509_get_subject_name(c), n) == 0)
			return c;
	}
	return NULL;
}

static void classify_chain(STACK_OF(X509) *certs, X509 *signer, struct wf_sig *s)
{
	name_cn(X509_get_subject_name(signer), s->signer, sizeof s->signer);
	s->self_signed = self_issued(signer);
	const ASN1_TIME *nb = X509_get0_notBefore(signer);
	struct tm tm;
	if (nb && ASN1_TIME_to_tm(nb, &tm) == 1)
		strftime(s->not_before, sizeof s->not_before, "%Y-%m-%d", &tm);
	X509 *cur = signer, *cross = NULL;
	for (int depth = 0; depth < MAX_CHAIN; depth++) {
		if (!cross)
			cross = cross_for(certs, X509_get_subject_name(cur));
		if (self_issued(cur))
			break;
		if (!cross)
			cross = cross_for(certs, X509_get_issuer_name(cur));
		X509 *up = issuer_in(certs, cur);
		if (!up)
			break;
		cur = up;
	}
	name_cn(self_issued(cur) ? X509_get_subject_name(cur) : X509_get_issuer_name(cur),
		s->root, sizeof s->root);
	if (cross)
		name_cn(X509_get_subject_name(cross), s->cross, sizeof s->cross);
	if (ms_lookup(s->signer, MS_SIGNER) || ms_lookup(s->root, MS_ROOT))
		s->kind = WF_SIG_MICROSOFT;
	else if (cross)
		s->kind = WF_SIG_CROSS;
	else
		s->kind = WF_SIG_TEST;
}

/* --- one PKCS#7 signature ------------------------------------------------------------ */

/* The bytes the signed messageDigest covers: the content's value without
 * its own tag and length.  -1 when the content is missing or malformed. */
static int signed_content(PKCS7 *p7, const unsigned char **data, size_t *len)
{
	PKCS7 *c = p7->d.sign->contents;
	if (!c || !c->d.other)
		return -1;
	ASN1_TYPE *t = c->d.other;
	if (t->type == V_ASN1_OCTET_STRING) {	/* CMS style: eContent OCTET STRING */
		*data = t->value.octet_string->data;
		*len = (size_t)t->value.octet_string->length;
		return 0;
	}
	if (t->type != V_ASN1_SEQUENCE || !t->value.sequence)
		return -1;
	const unsigned char *p = t->value.sequence->data;
	long l = 0;
	int tag, cls;
	int r = ASN1_get_object(&p, &l, &tag, &cls, t->value.sequence->length);
	if (r & 0x80 || l < 0 || p + l > t->value.sequence->data + t->value.sequence->length)
		return -1;
	*data = p;
	*len = (size_t)l;
	return 0;
}

/* Verify the first signer's signature over the content. 1 ok, 0 not. */
static int verify_signer(PKCS7 *p7, X509 *signer, const unsigned char *data, size_t len)
{
	PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(PKCS7_get_signer_info(p7), 0);
	X509_ALGOR *dig = NULL;
	PKCS7_SIGNER_INFO_get0_algs(si, NULL, &dig, NULL);
	const EVP_MD *md = dig ? EVP_get_digestbyobj(dig->algorithm) : NULL;
	if (!md || len > INT_MAX)
		return 0;
	BIO *mem = BIO_new_mem_buf(data, (int)len);
	BIO *bmd = BIO_new(BIO_f_md());
	int ok = 0;
	if (mem && bmd && BIO_set_md(bmd, md) > 0) {
		BIO *chain = BIO_push(bmd, mem);
		unsigned char buf[4096];
		while (BIO_read(chain, buf, sizeof buf) > 0)
			;
		ok = PKCS7_signatureVerify(chain, p7, si, signer) > 0;
	}
	BIO_free(bmd);
	BIO_free(mem);
	return ok;
}

/* The DigestInfo of an SpcIndirectDataContent: algorithm NID and digest. */
static int spc_digest(PKCS7 *p7, int *nid, unsigned char *out, size_t *outlen)
{
	ASN1_TYPE *t = p7->d.sign->contents ? p7->d.sign->contents->d.other : NULL;
	if (!t || t->type != V_ASN1_SEQUENCE)
		return -1;
	const unsigned char *p = t->value.sequence->data;
	STACK_OF(ASN1_TYPE) *seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, t->value.sequence->length);
	int r = -1;
	ASN1_TYPE *di = seq && sk_ASN1_TYPE_num(seq) >= 2 ? sk_ASN1_TYPE_value(seq, 1) : NULL;
	if (di && di->type == V_ASN1_SEQUENCE) {
		const unsigned char *q = di->value.sequence->data;
		X509_SIG *sig = d2i_X509_SIG(NULL, &q, di->value.sequence->length);
		const X509_ALGOR *alg = NULL;
		const ASN1_OCTET_STRING *d = NULL;
		if (sig)
			X509_SIG_get0(sig, &alg, &d);
		if (alg && d && d->length > 0 && (size_t)d->length <= EVP_MAX_MD_SIZE) {
			*nid = OBJ_obj2nid(alg->algorithm);
			memcpy(out, d->data, (size_t)d->length);
			*outlen = (size_t)d->length;
			r = 0;
		}
		X509_SIG_free(sig);
	}
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return r;
}

/* Authenticode digest of a PE image with `md`. */
static int pe_digest(const unsigned char *b, size_t len, const struct wf_pe_security *ps,
		     const EVP_MD *md, unsigned char *out, unsigned *outlen)
{
	size_t end = ps->cert_off ? ps->cert_off : len;
	size_t skip[2][2] = { { ps->checksum_off, 4 }, { ps->dir_off, ps->dir_off ? 8 : 0 } };
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1;
	size_t at = 0;
	for (int i = 0; i < 2 && ok; i++) {
		if (!skip[i][1] || skip[i][0] < at || skip[i][0] + skip[i][1] > end)
			continue;
		ok = EVP_DigestUpdate(ctx, b + at, skip[i][0] - at) == 1;
		at = skip[i][0] + skip[i][1];
	}
	ok = ok && EVP_DigestUpdate(ctx, b + at, end - at) == 1 &&
	     EVP_DigestFinal_ex(ctx, out, outlen) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static void note_digest(struct wf_sig *s, int nid)
{
	if (nid == NID_sha1)
		s->has_sha1 = 1;
	else if (nid == NID_sha256)
		s->has_sha256 = 1;
}

struct sig_input {
	const unsigned char *pe;	/* NULL: a catalog */
	size_t pe_len;
	const struct wf_pe_security *ps;
};

/* Check one PKCS#7 signature (and its nested ones).  0 with s filled, or
 * s DAMAGED. */
static int read_p7(PKCS7 *p7, const struct sig_input *in, struct wf_sig *s, int depth)
{
	if (!PKCS7_type_is_signed(p7) || !p7->d.sign)
		return damaged(s, "not a PKCS#7 SignedData");
	STACK_OF(PKCS7_SIGNER_INFO) *sis = PKCS7_get_signer_info(p7);
	if (!sis || sk_PKCS7_SIGNER_INFO_num(sis) < 1)
		return damaged(s, "no signer");
	STACK_OF(X509) *signers = PKCS7_get0_signers(p7, NULL, 0);
	X509 *signer = signers && sk_X509_num(signers) ? sk_X509_value(signers, 0) : NULL;
	sk_X509_free(signers);
	if (!signer)
		return damaged(s, "the signer's certificate is not in the signature");
	const unsigned char *content;
	size_t clen;
	if (signed_content(p7, &content, &clen) < 0)
		return damaged(s, "no signed content");
	if (!verify_signer(p7, signer, content, clen))
		return damaged(s, "the signature does not verify with the signer's key");
	int nid = NID_undef;
	if (in->pe) {
		unsigned char want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
		size_t wl = 0;
		unsigned gl = 0;
		const EVP_MD *md;
		if (spc_digest(p7, &nid, want, &wl) < 0 || !(md = EVP_get_digestbynid(nid)))
			return damaged(s, "no file digest in the signature");
		if (pe_digest(in->pe, in->pe_len, in->ps, md, got, &gl) < 0 || gl != wl ||
		    memcmp(got, want, wl) != 0)
			return damaged(s, "the file does not match its signature (%s digest differs: "
				       "changed after signing)", OBJ_nid2sn(nid));
	} else {
		X509_ALGOR *dig = NULL;
		PKCS7_SIGNER_INFO_get0_algs(sk_PKCS7_SIGNER_INFO_value(sis, 0), NULL, &dig, NULL);
		nid = dig ? OBJ_obj2nid(dig->algorithm) : NID_undef;
	}
	note_digest(s, nid);
	s->n_signatures++;
	if (depth == 0)
		classify_chain(p7->d.sign->cert, signer, s);
	/* a nested (second) signature */
	int nested = OBJ_txt2nid(OID_NESTED);
	if (nested == NID_undef)
		nested = OBJ_create(OID_NESTED, "wfNestedSignature", "Authenticode nested signature");
	ASN1_TYPE *t = depth < MAX_NESTED ? PKCS7_get_attribute(sk_PKCS7_SIGNER_INFO_value(sis, 0),
								nested) : NULL;
	if (t && t->type == V_ASN1_SEQUENCE) {
		const unsigned char *p = t->value.sequence->data;
		PKCS7 *inner = d2i_PKCS7(NULL, &p, t->value.sequence->length);
		struct wf_sig n = { 0 };
		if (!inner)
			return damaged(s, "the nested signature does not parse");
		read_p7(inner, in, &n, depth + 1);
		PKCS7_free(inner);
		if (n.kind == WF_SIG_DAMAGED)
			return damaged(s, "nested signature: %s", n.why);
		s->has_sha1 |= n.has_sha1;
		s->has_sha256 |= n.has_sha256;
		s->n_signatures += n.n_signatures;
	}
	return 0;
}

/* --- PE files ---------------------------------------------------------------------- */

int wf_sig_read_pe(const void *buf, size_t len, const char *name,
		   struct wf_sig *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	struct wf_pe_security ps;
	struct wf_error pe_err = { 0 };
	if (wf_pe_security_dir(buf, len, name, &ps, &pe_err) < 0) {
		struct wf_pe_info pe;
		if (wf_pe_parse(buf, len, name, &pe, e) < 0)
			return -1;		/* not a PE at all */
		wf_pe_free(&pe);
		return damaged(out, "%s", pe_err.msg);
	}
	if (!ps.cert_size)
		return 0;			/* WF_SIG_UNSIGNED */
	if (ps.cert_size > WF_SIG_MAX_TABLE || ps.cert_size < 8)
		return damaged(out, "the certificate table has an implausible size");
	const unsigned char *b = buf, *t = b + ps.cert_off;
	uint32_t wlen = t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
	unsigned rev = t[4] | t[5] << 8, type = t[6] | t[7] << 8;
	if (wlen < 8 || wlen > ps.cert_size || type != WIN_CERT_PKCS)
		return damaged(out, "the first WIN_CERTIFICATE is not a PKCS#7 signature of a "
			       "plausible length");
	(void)rev;	/* 0x0100 and 0x0200 both occur; Windows reads both */
	const unsigned char *p = t + 8;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)(wlen - 8));
	if (!p7)
		return damaged(out, "the PKCS#7 signature does not parse");
	struct sig_input in = { .pe = b, .pe_len = len, .ps = &ps };
	read_p7(p7, &in, out, 0);
	PKCS7_free(p7);
	ERR_clear_error();
	return 0;
}

int wf_sig_read_pe_file(const char *path, struct wf_sig *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, 64u << 20, e);
	if (r == 0)
		r = wf_sig_read_pe(sb.buf, sb.len, path, out, e);
	wf_sb_release(&sb);
	return r;
}

/* --- catalogs ------------------------------------------------------------------------ */

int wf_sig_read_cat(const void *buf, size_t len, const char *name,
		    struct wf_sig *out, struct wf_error *e)
{
	(void)name;
	(void)e;
	memset(out, 0, sizeof *out);
	if (len > WF_SIG_MAX_TABLE)
		return damaged(out, "the catalog is larger than virt-winfix reads");
	const unsigned char *p = buf;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (!p7)
		return damaged(out, "the catalog is not a PKCS#7 structure");
	struct sig_input in = { 0 };
	read_p7(p7, &in, out, 0);
	PKCS7_free(p7);
	ERR_clear_error();
	return 0;
}

int wf_sig_read_cat_file(const char *path, struct wf_sig *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, WF_SIG_MAX_TABLE, e);
	if (r == 0)
		r = wf_sig_read_cat(sb.buf, sb.len, path, out, e);
	wf_sb_release(&sb);
	return r;
}

int wf_sig_cat_lists(const void *cat, size_t cat_len, const void *pe, size_t pe_len)
{
	struct wf_pe_security ps;
	if (cat_len > WF_SIG_MAX_TABLE || wf_pe_security_dir(pe, pe_len, NULL, &ps, NULL) < 0)
		return -1;
	const unsigned char *p = cat;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)cat_len);
	const unsigned char *content;
	size_t clen;
	int r = -1;
	if (p7 && PKCS7_type_is_signed(p7) && p7->d.sign && signed_content(p7, &content, &clen) == 0) {
		const EVP_MD *mds[2] = { EVP_sha1(), EVP_sha256() };
		r = 0;
		for (int i = 0; i < 2 && !r; i++) {
			unsigned char d[EVP_MAX_MD_SIZE];
			unsigned dl = 0;
			if (pe_digest(pe, pe_len, &ps, mds[i], d, &dl) == 0 && dl &&
			    memmem(content, clen, d, dl))
				r = 1;
		}
	}
	PKCS7_free(p7);
	ERR_clear_error();
	return r;
}
