/*
 * inspect_report.h - render an inspection for people (text) or machines
 * (JSON, json-c).  The wizard draws from the same structures.
 */
#ifndef WF_INSPECT_REPORT_H
#define WF_INSPECT_REPORT_H

#include "inspect.h"
#include "text.h"

struct wf_strbuf;
struct json_object;

/* libblkid/format facts of every disk (stage 1). */
void wf_report_disks_text(const struct wf_inspection *in, struct wf_strbuf *out);
/* Windows facts and controllers (stage 2). */
void wf_report_windows_text(const struct wf_inspection *in, struct wf_strbuf *out);
/* Everything, as one JSON object (new reference). */
struct json_object *wf_report_inspection_json(const struct wf_inspection *in);

#endif
