/*
 * inspect_fetch.h - copy one file out of an inspected guest, for a front
 * end that shows it (the wizard's log viewer opens the setupapi log a
 * finding cites).  The diagnosis keeps no copies of the logs it read.
 *
 *   char *host = wf_inspect_fetch(&in, 0, "C:\\Windows\\INF\\setupapi.dev.log",
 *                                 &err);
 *   ... read host ...
 *   unlink(host); free(host);     // before wf_inspection_free()
 *
 * Uses the inspection's appliance: call it from the thread that owns it,
 * never while another step (diagnose, apply) runs on it.
 */
#ifndef WF_INSPECT_FETCH_H
#define WF_INSPECT_FETCH_H

#include <stddef.h>

#include "error.h"

struct wf_inspection;

/* Copy file `path` of Windows number `win` to a new host file in the
 * inspection's temporary folder.  `path` is a guest path
 * ("/Windows/INF/setupapi.dev.log") or a Windows path as evidence names it
 * ("C:\Windows\INF\setupapi.dev.log": C:\Windows is the system root);
 * either is looked up case-insensitively.  Returns the host path
 * (malloc'd; the caller removes the file), or NULL: WF_ERR_INPUT when the
 * file is not in the guest, WF_ERR_APPLIANCE when it cannot be read. */
char *wf_inspect_fetch(struct wf_inspection *in, size_t win, const char *path,
		       struct wf_error *e);

/* The guest path a Windows path maps to under `systemroot`
 * ("C:\Windows\INF\x.log" -> "/Windows/INF/x.log"); malloc'd. */
char *wf_inspect_guest_path(const char *systemroot, const char *path);

#endif
