/*
 * finding.h - one diagnosed problem, as data.
 *
 * The log parser and the diagnosis rules produce findings; the text report,
 * the JSON report and the wizard render the same list.  A finding has a
 * stable id (the name of its help article, e.g. "null-driver-installed"), a
 * severity, the device or service it is about, a one-line title, a paragraph
 * explaining the cause, a hint of what to check next, the evidence an
 * operator can verify by hand, and the ids of the fixes that address it.
 *
 *   struct wf_findings list = {0};
 *   struct wf_finding *f = wf_findings_add(&list, "no-compatible-driver",
 *                                          WF_SEV_ERROR, instance_id);
 *   wf_finding_set(&f->title, "No driver matches %s", hwid);
 *   wf_finding_add_evidence(f, "setupapi.dev.log", NULL, 120, 122, lines);
 *   ...
 *   wf_findings_free(&list);
 *
 * All strings are owned by the finding (malloc'd copies).
 */
#ifndef WF_FINDING_H
#define WF_FINDING_H

#include <stddef.h>

#include "ids.h"

struct json_object;
struct wf_strbuf;

enum wf_severity {
	WF_SEV_INFO = 0,	/* worth knowing, nothing is broken */
	WF_SEV_WARNING,		/* may cause trouble, or already did but is not fatal */
	WF_SEV_ERROR,		/* a device or the boot fails because of this */
};

/* "info", "warning", "error" */
const char *wf_severity_name(enum wf_severity s);

struct wf_evidence {
	char *source;		/* log file path, or hive name ("SYSTEM"), or guest file */
	char *where;		/* registry key path, NULL for log evidence */
	unsigned long first;	/* first log line (1-based); 0 when not a log */
	unsigned long last;	/* last log line */
	char *text;		/* the exact lines, '\n'-separated, or "Value = data" */
};

struct wf_finding {
	char *id;
	enum wf_severity severity;
	char *device;		/* device instance id / hardware id / service; may be NULL */
	char *title;
	char *explanation;
	char *next_check;
	struct wf_evidence *evidence;
	size_t n_evidence;
	char **fixes;
	size_t n_fixes;
};

struct wf_findings {
	struct wf_finding *v;
	size_t n, alloc;
};

/* Append a finding; returns a pointer valid until the next add. */
struct wf_finding *wf_findings_add(struct wf_findings *l, const char *id,
				   enum wf_severity sev, const char *device);
/* Replace *field with a formatted copy. */
void wf_finding_set(char **field, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void wf_finding_add_evidence(struct wf_finding *f, const char *source,
			     const char *where, unsigned long first,
			     unsigned long last, const char *text);
/* Add a fix id once (duplicates are ignored). */
void wf_finding_add_fix(struct wf_finding *f, const char *fix_id);
/* Add "<family>:<arg>" (just the family when arg is NULL), e.g.
 * wf_finding_add_fix_for(f, WF_FIXID(ENABLE_DRIVER), "storahci"). */
void wf_finding_add_fix_for(struct wf_finding *f, const char *family, const char *arg);
/* Find the first finding with this id and device (device may be NULL = any). */
struct wf_finding *wf_findings_find(struct wf_findings *l, const char *id,
				    const char *device);
size_t wf_findings_count(const struct wf_findings *l, enum wf_severity sev);
/* Stable sort: errors first, then warnings, then info. */
void wf_findings_sort(struct wf_findings *l);
void wf_findings_free(struct wf_findings *l);
/* Free what one finding owns and zero it (id NULL): for lists that drop a
 * finding in place, e.g. when it is merged into another. */
void wf_finding_release(struct wf_finding *f);

/* Render for people: one block per finding, severity first. */
void wf_findings_to_text(const struct wf_findings *l, struct wf_strbuf *out);
/* Render as a JSON array (new reference). */
struct json_object *wf_findings_to_json(const struct wf_findings *l);

#endif
