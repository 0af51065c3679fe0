/*
 * fuzz_domxml.c - libFuzzer target for the libvirt domain XML reader
 * (core/facts/targets.c, libxml2 underneath).
 *
 * Every input must give targets or a one-line error naming the file; a
 * success must give catalogued kinds, at most one boot storage kind first.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "controllers.h"
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_targets t;
	struct wf_error e = { 0 };
	if (wf_targets_from_domxml_mem((const char *)data, size, "fuzz.xml", &t, &e) == 0) {
		if (t.n == 0 || t.n > WF_TARGETS_MAX)
			abort();
		for (size_t i = 0; i < t.n; i++)
			if (!t.v[i].kind || !wf_ctrl_kind_by_id(t.v[i].kind->id))
				abort();
		if (!memchr(t.note, '\0', sizeof t.note))
			abort();
	} else if (strncmp(e.msg, "domain XML fuzz.xml: ", 21) != 0 ||
		   strchr(e.msg, '\n')) {
		abort();	/* one line, naming the file */
	}
	return 0;
}
