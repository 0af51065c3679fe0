/*
 * authenticode.h - who signed a driver: the Authenticode signature embedded
 * in a PE file (.sys) and the signature of a package's catalog (.cat), read
 * with OpenSSL's libcrypto (no ASN.1 parsed by hand), and classified the
 * way the Windows loader sees it.
 *
 *   struct wf_sig s;
 *   if (wf_sig_read_pe_file("/tmp/viostor.sys", &s, &err) == 0)
 *           printf("%s (%s)\n", wf_sig_kind_name(s.kind), s.signer);
 *   wf_sig_read_cat_file("/tmp/viostor.cat", &s, &err);
 *   wf_sig_cat_lists(catbuf, catlen, sysbuf, syslen);  // does it cover the .sys?
 *
 * What is checked: the PKCS#7 SignedData parses; the file digest inside the
 * signature (SpcIndirectDataContent) equals the PE's Authenticode digest
 * (file bytes without CheckSum, the security directory entry and the
 * certificate table); the signer's signature over its signed attributes
 * and the content digest verify with the signer certificate's key; a
 * nested signature (the second, SHA-256 signature of a dual-signed file,
 * unauthenticated attribute 1.3.6.1.4.1.311.2.4.1) is read the same way.
 * Any failure makes the file WF_SIG_DAMAGED with the reason in `why`.
 *
 * How the chain is classified (table in authenticode.c, sources there):
 * by the names in the embedded certificates.  virt-winfix does not carry
 * Microsoft's root keys, so a forged chain naming Microsoft's roots is
 * taken for what it names: the class predicts what Windows will do with a
 * genuine package; it is not a security decision.
 *
 * Inputs are untrusted: the certificate table is capped (WF_SIG_MAX_TABLE),
 * offsets are checked (pe.h), and damage gives a class, never a crash.
 */
#ifndef WF_AUTHENTICODE_H
#define WF_AUTHENTICODE_H

#include <stddef.h>

#include "error.h"

#define WF_SIG_MAX_TABLE (4u << 20)	/* certificate table / .cat bytes read */

enum wf_sig_kind {
	WF_SIG_UNSIGNED,	/* no certificate table / not a catalog signature */
	WF_SIG_DAMAGED,		/* present but does not parse or verify */
	WF_SIG_TEST,		/* self-signed, or a CA Windows does not trust for
				 * kernel code (no cross-certificate): test signing */
	WF_SIG_CROSS,		/* vendor certificate with a cross-certificate from
				 * Microsoft Code Verification Root */
	WF_SIG_MICROSOFT,	/* Microsoft's (WHQL, attestation, in-box) */
};

struct wf_sig {
	enum wf_sig_kind kind;
	int has_sha1, has_sha256;	/* file digests of the valid signatures */
	int n_signatures;		/* primary + nested read */
	int self_signed;		/* the signer certificate is its own issuer */
	char signer[128];		/* CN of the signing certificate */
	char root[128];			/* CN of the top of the chain (may be a root
					 * not in the signature) */
	char cross[128];		/* CN the cross-certificate is for, when CROSS */
	char not_before[16];		/* signer certificate valid from, "YYYY-MM-DD" */
	char why[256];			/* DAMAGED: what failed */
};

/* Read the embedded signature of a PE image.  0 with `out` filled
 * (UNSIGNED and DAMAGED are results); -1 only when `buf` is not a PE
 * image (pe.h's message).  `name` labels messages. */
int wf_sig_read_pe(const void *buf, size_t len, const char *name,
		   struct wf_sig *out, struct wf_error *e);
int wf_sig_read_pe_file(const char *path, struct wf_sig *out, struct wf_error *e);

/* Read a catalog (.cat: a DER PKCS#7 SignedData whose content is a
 * certificate trust list, szOID_CTL 1.3.6.1.4.1.311.10.1).  0 with `out`
 * filled; a file that is no PKCS#7 at all is DAMAGED.  -1 only when the
 * file cannot be read. */
int wf_sig_read_cat(const void *buf, size_t len, const char *name,
		    struct wf_sig *out, struct wf_error *e);
int wf_sig_read_cat_file(const char *path, struct wf_sig *out, struct wf_error *e);

/* Does the catalog list this PE file (its SHA-1 or SHA-256 Authenticode
 * digest appears in the catalog's trust list)?  1 yes, 0 no, -1 when
 * either cannot be read. */
int wf_sig_cat_lists(const void *cat, size_t cat_len, const void *pe, size_t pe_len);

/* "unsigned", "damaged", "test-signed", "cross-signed", "Microsoft-signed" */
const char *wf_sig_kind_name(enum wf_sig_kind k);
/* "SHA-1 and SHA-256", "SHA-256 only", "SHA-1 only", "no digest" */
const char *wf_sig_digests(const struct wf_sig *s);

#endif
