/*
 * trustpub.h - put a driver package's signer into the guest's
 * TrustedPublisher certificate store, offline (Vista and later).
 *
 * There pnputil, run by the first-boot service in session 0, cannot
 * answer "Would you like to always trust software from <signer>?" for a
 * package that is not Microsoft-signed; Windows does not ask when
 * the signer's certificate is already in the machine's TrustedPublisher
 * store (Microsoft Learn, "Driver Signing" / "TrustedPublisher
 * certificate store"; virt-v2v works around it the same way at first
 * boot with certutil -addstore TrustedPublisher).  That store lives in
 * SOFTWARE\Microsoft\SystemCertificates\TrustedPublisher\Certificates:
 * one key per certificate named by its SHA-1 thumbprint (40 upper-case
 * hex digits), holding a REG_BINARY "Blob" in the serialized store
 * element form (trustpub.c says which).
 *
 *   unsigned char *der; size_t len;
 *   if (wf_catalog_signer_der("viostor.cat", &der, &len, &err) == 0) ...
 *
 * Whether a package needs it is decided by the class of its catalog's
 * signature (authenticode.h; the table and its sources in trustpub.c):
 * Microsoft-signed (WHQL, attestation) never; vendor, cross- and
 * self-signed ones on Vista and later, Windows 10 and 11 included (they
 * ask about a non-Microsoft publisher as 7 does); XP/2003 never (no
 * pnputil).  An unsigned or damaged catalog gives a note.
 */
#ifndef WF_TRUSTPUB_H
#define WF_TRUSTPUB_H

#include <stddef.h>

#include "error.h"

struct wf_fixctx;
struct wf_plan;
struct wf_sig;

enum wf_trustpub_need {
	WF_TRUSTPUB_NOT_NEEDED,	/* Microsoft-signed, or before Vista */
	WF_TRUSTPUB_NEEDED,	/* a non-Microsoft publisher: Windows would ask */
	WF_TRUSTPUB_NO_SIGNER,	/* unsigned or damaged: nothing to trust */
};

/* Does a package whose catalog signature is `cat` need its signer in
 * TrustedPublisher on Windows `winver` (WF_WINVER code)?  *why: a static
 * sentence saying why (with the source tags of trustpub.c). */
enum wf_trustpub_need wf_trustpub_needed(unsigned winver, const struct wf_sig *cat,
					 const char **why);

#define WF_TRUSTPUB_KEY "Microsoft\\SystemCertificates\\TrustedPublisher\\Certificates"

/* The DER of the first signer's certificate of a PKCS#7 SignedData file
 * (a .cat; at most 32 MiB read).  *der malloc'd.  -1 with "PATH: not a
 * signed catalog (...)" / "PATH: no signer certificate in it".
 * A minimal reader on purpose (OpenSSL d2i_PKCS7 + PKCS7_get0_signers):
 * to be folded into core/formats/authenticode when that lands. */
int wf_catalog_signer_der(const char *path, unsigned char **der, size_t *len,
			  struct wf_error *e);

/* The serialized certificate store element of `der` (see trustpub.c):
 * the SHA-1 hash property, then the certificate.  *out malloc'd;
 * thumb gets the 40-digit upper-case SHA-1 of der. */
void wf_cert_store_element(const unsigned char *der, size_t len,
			   unsigned char **out, size_t *out_len, char thumb[41]);

/* Plan the signer of catalog `cat` into TrustedPublisher when
 * wf_trustpub_needed says so; otherwise nothing.
 * A catalog without a readable signer gives a plan note, not an error
 * (the package may still install; pnputil will ask).  `what` names the
 * package in notes ("viostor.cat"). */
void wf_trustpub_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      const char *cat, const char *what);

#endif
