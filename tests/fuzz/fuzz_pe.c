/*
 * fuzz_pe.c - libFuzzer target for the PE reader (core/formats/pe.c).
 *
 * Every input must parse or fail cleanly; on success the result must be
 * self-consistent (imports are non-empty printable strings).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_pe_info pe;
	struct wf_error e = { 0 };
	if (wf_pe_parse(data, size, "fuzz.sys", &pe, &e) == 0) {
		for (size_t i = 0; i < pe.n_imports; i++)
			if (!pe.imports[i] || !pe.imports[i][0])
				abort();
		(void)wf_pe_machine_arch(pe.machine);
		wf_pe_free(&pe);
	} else if (strncmp(e.msg, "fuzz.sys: ", 10) != 0) {
		abort();	/* every error names the file */
	}
	return 0;
}
