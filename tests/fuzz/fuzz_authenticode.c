/*
 * fuzz_authenticode.c - libFuzzer target for the signature reader
 * (core/formats/authenticode.c, libcrypto underneath): the input as a PE
 * image and as a catalog.
 *
 * A PE input must give a class or fail with a message naming the file; a
 * catalog input always gives a class; a DAMAGED class has a reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authenticode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct wf_sig *s)
{
	if (s->kind > WF_SIG_MICROSOFT || (s->kind == WF_SIG_DAMAGED && !s->why[0]) ||
	    !memchr(s->signer, '\0', sizeof s->signer) || !wf_sig_digests(s))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_sig s;
	struct wf_error e = { 0 };
	if (wf_sig_read_pe(data, size, "fuzz.sys", &s, &e) == 0)
		check(&s);
	else if (strncmp(e.msg, "fuzz.sys: ", 10) != 0)
		abort();
	if (wf_sig_read_cat(data, size, "fuzz.cat", &s, &e) != 0)
		abort();
	check(&s);
	(void)wf_sig_cat_lists(data, size, data, size);
	return 0;
}
