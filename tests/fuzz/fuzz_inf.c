/*
 * fuzz_inf.c - libFuzzer target for the INF parser (core/formats/inf.c).
 *
 * Every input must parse or fail cleanly with a message naming the file;
 * a parsed INF must be well formed (models have an install section, every
 * service a name), for both architectures.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const arches[] = { "amd64", "x86" };
	for (int a = 0; a < 2; a++) {
		struct wf_inf inf;
		struct wf_error e = { 0 };
		if (wf_inf_parse_mem("fuzz.inf", data, size, arches[a], &inf, &e) == 0) {
			for (size_t i = 0; i < inf.n_models; i++)
				if (!inf.models[i].install || !inf.models[i].desc)
					abort();
			for (size_t i = 0; i < inf.n_services; i++) {
				if (!inf.services[i].name)
					abort();
				free(wf_inf_imagepath(inf.services[i].binary));
			}
			wf_inf_free(&inf);
		} else if (strncmp(e.msg, "fuzz.inf: ", 10) != 0) {
			abort();
		}
	}
	return 0;
}
