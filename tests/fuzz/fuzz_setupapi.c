/*
 * fuzz_setupapi.c - libFuzzer target for the SetupAPI log reader and the
 * log diagnosis rules (core/formats/setupapi*.c, core/diagnose/logdiag.c).
 *
 * Any input must be read to its end without a crash; every finding must
 * have a title and evidence, every evidence text must be valid UTF-8, and
 * the text and JSON renderers must accept the result.
 */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "finding.h"
#include "logdiag.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int valid_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s;
		size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 :
			   (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (!k)
			return 0;
		for (size_t i = 1; i < k; i++)
			if ((s[i] & 0xC0) != 0x80)
				return 0;
		s += k;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct wf_findings list = { 0 };
	struct wf_logsummary sum;
	struct wf_error e = { 0 };
	if (wf_logdiag_stream(f, "fuzz.log", &list, &sum, &e) != 0)
		abort();	/* a memory stream cannot fail to read */
	fclose(f);
	if (list.n > WF_LOGDIAG_MAX_FINDINGS)
		abort();
	for (size_t i = 0; i < list.n; i++) {
		const struct wf_finding *x = &list.v[i];
		if (!x->title || !x->n_evidence || x->n_evidence > WF_LOGDIAG_MAX_EVIDENCE)
			abort();
		for (size_t k = 0; k < x->n_evidence; k++)
			if (!valid_utf8((const unsigned char *)x->evidence[k].text) ||
			    x->evidence[k].first == 0 ||
			    x->evidence[k].last < x->evidence[k].first)
				abort();
		if (x->device && !valid_utf8((const unsigned char *)x->device))
			abort();
	}
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_findings_to_text(&list, &sb);
	wf_logsummary_to_text(&sum, &sb);
	wf_sb_release(&sb);
	struct json_object *j = wf_findings_to_json(&list);
	if (!json_object_to_json_string(j))
		abort();
	json_object_put(j);
	wf_findings_free(&list);
	return 0;
}
