/*
 * trustpub.h - put a driver package's signer into the guest's
 * TrustedPublisher certificate store, offline (Vista to 8.1).
 *
 * On those versions pnputil, run by the first-boot service in session 0,
 * cannot answer "Would you like to always trust software from <signer>?"
 * for a package that is not Microsoft-signed; Windows does not ask when
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
 * Windows 10 and later install only Microsoft-signed (WHQL/attestation)
 * drivers without asking, and XP/2003 have no pnputil: nothing there.
 */
#ifndef WF_TRUSTPUB_H
#define WF_TRUSTPUB_H

#include <stddef.h>

#include "error.h"

struct wf_fixctx;
struct wf_plan;

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

/* Plan the signer of catalog `cat` into TrustedPublisher when the guest
 * is Vista to 8.1 and the signer is not Microsoft; otherwise nothing.
 * A catalog without a readable signer gives a plan note, not an error
 * (the package may still install; pnputil will ask).  `what` names the
 * package in notes ("viostor.cat"). */
void wf_trustpub_plan(struct wf_fixctx *c, struct wf_plan *p, const char *fix,
		      const char *cat, const char *what);

#endif
