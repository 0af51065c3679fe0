/*
 * fuzz_regfile.c - libFuzzer target for the .reg parser (core/formats/regfile.c).
 *
 * Every input must parse or fail cleanly; errors must name the file; a
 * successful parse must give well-formed operations.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "regfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_regfile r;
	struct wf_error e = { 0 };
	if (wf_regfile_parse_mem("fuzz.reg", data, size, &r, &e) == 0) {
		for (size_t i = 0; i < r.n; i++) {
			const struct wf_reg_op *op = &r.ops[i];
			if (!op->key || !op->name || op->line == 0)
				abort();
			if (op->kind == WF_REGOP_VALUE && !op->data)
				abort();
		}
		wf_regfile_free(&r);
	} else if (strncmp(e.msg, "fuzz.reg: ", 10) != 0) {
		abort();	/* every error names the file */
	}
	return 0;
}
