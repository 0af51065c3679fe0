/*
 * logdiag.h - diagnosis from SetupAPI logs: records -> findings.
 *
 * Reads one or more setupapi logs (setupapi.dev.log, setupapi.setup.log,
 * setupapi.app.log, rotated copies, XP/2000 setupapi.log) with the streaming
 * parser of setupapi.h and turns what it finds into struct wf_finding:
 *
 *   null-driver-installed       "Installing NULL driver", XP #I125
 *   no-compatible-driver        0xe0000228, problem status 0xc0000490..494
 *   driver-install-interrupted  service not active (0x426), a new boot
 *                               session inside a section, or the end of a
 *                               whole log (one that starts with its file
 *                               header) inside a section; an excerpt that
 *                               ends inside a section is "cut off" (summary
 *                               note), not interrupted
 *   device-not-enumerated       USB\DEVICE_DESCRIPTOR_FAILURE, VID/PID 0000
 *   driver-store-import-failed  catalog / driver store import failures
 *   signature-problem           0xe0000242, 0x800b0109 ... (info when the
 *                               install succeeded anyway)
 *   device-problem-code         "Device has problem: 0x27" -> Code 39 ...
 *   device-install-failed       a FAILURE section none of the above explains
 *   install-error-logged        an XP "#E154"-style message whose row in
 *                               setupapi_xpmsg.c is a cause (or an "#E" id
 *                               not in that table), in a section whose
 *                               verdict is not FAILURE or not in the text
 *
 * One finding per id and device (case-insensitive), evidence accumulating
 * across sections and files (file name as given by the caller + line
 * numbers + the exact lines), capped at WF_LOGDIAG_MAX_EVIDENCE items; the
 * total number of occurrences goes into the explanation.  Findings beyond
 * WF_LOGDIAG_MAX_FINDINGS are counted in the summary, not kept.
 *
 *   struct wf_findings f = {0};
 *   struct wf_logsummary sum;
 *   if (wf_logdiag_file(path, NULL, &f, &sum, &err) < 0) ... err.msg
 *
 * or, for several files / guest files read through libguestfs:
 *
 *   struct wf_logdiag *d = wf_logdiag_new(&f);
 *   wf_logdiag_add_stream(d, stream, "C:\\Windows\\INF\\setupapi.dev.log", &err);
 *   wf_logdiag_add_file(d, "/tmp/setupapi.log", "C:\\Windows\\setupapi.log", &err);
 *   wf_logdiag_finish(d, &sum);   // completes texts, sorts by severity
 *   wf_logdiag_free(d);
 */
#ifndef WF_LOGDIAG_H
#define WF_LOGDIAG_H

#include <stdio.h>

#include "setupapi.h"

struct wf_error;
struct wf_findings;
struct wf_strbuf;
struct json_object;

#define WF_LOGDIAG_MAX_EVIDENCE	 6	/* evidence items per finding */
#define WF_LOGDIAG_MAX_FINDINGS	 500	/* findings per diagnosis */

/* Finding ids: see ids.h. */

struct wf_logsummary {
	unsigned files;			/* logs read */
	unsigned unrecognised;		/* of which: no SetupAPI structure found */
	unsigned long lines;
	unsigned long long bytes;
	unsigned long sections;
	unsigned long failed;		/* sections ending in FAILURE */
	unsigned long unfinished;	/* sections with no end */
	unsigned long boot_sessions;
	unsigned long long_lines;	/* lines cut at WF_SA_LINE_MAX */
	unsigned long findings_dropped;	/* beyond WF_LOGDIAG_MAX_FINDINGS */
	unsigned excerpts;		/* texts without a file header */
	unsigned long cut_start;	/* sections begun before their excerpt */
	unsigned long cut_end;		/* sections their excerpt ends inside */
	char cut_device[WF_SA_ID_MAX];	/* device of the last of those */
	unsigned long cut_line;
	unsigned long joined;		/* wrapped lines joined back */
	unsigned long prefixed;		/* tool prefixes stripped */
	enum wf_sa_format format;	/* of the last log with a known format */
	enum wf_sa_encoding encoding;	/* of the last log */
	char os_version[64];		/* from a log header, "" if none */
	char arch[16];
};

struct wf_logdiag;

/* Findings are appended to *out (which the caller owns and frees with
 * wf_findings_free). */
struct wf_logdiag *wf_logdiag_new(struct wf_findings *out);
void wf_logdiag_free(struct wf_logdiag *d);

/* Read one log.  `display_name` is what evidence and errors call the file
 * (a guest path such as "C:\Windows\INF\setupapi.dev.log"); NULL = `path`.
 * Returns 0, or -1 with `e` set when the input cannot be read (findings from
 * the part read so far are kept).  A readable file that is not a SetupAPI log
 * is not an error: it is counted in summary.unrecognised. */
int wf_logdiag_add_file(struct wf_logdiag *d, const char *path,
			const char *display_name, struct wf_error *e);
int wf_logdiag_add_stream(struct wf_logdiag *d, FILE *f,
			  const char *display_name, struct wf_error *e);
/* Summary of the last log added (its format, lines ...). */
const struct wf_sa_info *wf_logdiag_last_info(const struct wf_logdiag *d);

/* Complete the findings (occurrence counts), sort them errors first, and
 * fill `sum` (may be NULL).  Call once, after the last add. */
void wf_logdiag_finish(struct wf_logdiag *d, struct wf_logsummary *sum);

/* One-shot forms: new + add + finish + free. */
int wf_logdiag_file(const char *path, const char *display_name,
		    struct wf_findings *out, struct wf_logsummary *sum,
		    struct wf_error *e);
int wf_logdiag_stream(FILE *f, const char *display_name,
		      struct wf_findings *out, struct wf_logsummary *sum,
		      struct wf_error *e);

/* Render the summary for people (a few lines) or as a JSON object. */
void wf_logsummary_to_text(const struct wf_logsummary *s, struct wf_strbuf *out);
struct json_object *wf_logsummary_to_json(const struct wf_logsummary *s);

#endif
