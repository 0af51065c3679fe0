/*
 * diagnose_hivelog.c - hives that were not cleanly saved: the diagnosis
 * reads them as their transaction logs leave them (hivelog.h) and its
 * notes say what was replayed, or that the hive may be stale and what
 * that can affect.
 */
#include "diagnose.h"
#include "hive.h"
#include "hivelog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a stale hive can make wrong, per hive. */
static const struct {
	const char *hive;
	const char *facts;
} stale_facts[] = {
	{ .hive = "SYSTEM",
	  .facts = "the control set, the services' Start values and image paths, the "
		   "CriticalDeviceDatabase / DriverDatabase entries and the filter lists read "
		   "from it may predate what Windows last wrote (a driver installed or a "
		   "service changed just before it stopped would not show)" },
	{ .hive = "SOFTWARE",
	  .facts = "the Windows version, edition and build read from it may predate the "
		   "last update" },
};

void wf_diag_hivelog_note(struct wf_diag_notes *notes, const struct wf_hivelog_result *r,
			  const char *hive)
{
	char *d = wf_hivelog_describe(r, hive);
	if (!d)
		return;
	const char *facts = NULL;
	for (size_t i = 0; i < sizeof stale_facts / sizeof *stale_facts; i++)
		if (strcmp(stale_facts[i].hive, hive) == 0)
			facts = stale_facts[i].facts;
	if (r->state == WF_HIVELOG_STALE)
		wf_diag_note(notes, "%s; %s", d, facts ? facts : "what is read from it may be old");
	else
		wf_diag_note(notes, "%s; the diagnosis reads the replayed hive", d);
	free(d);
}

/* Recover `path` into a temporary file when dirty; *use is the file to
 * read (the temporary one, or `path`), *tmp the file to remove. */
static int recover_to_tmp(const char *path, const char *const *hivelogs, const char *hive,
			  const char **use, char **tmp, struct wf_diag_notes *notes,
			  struct wf_error *e)
{
	*use = path;
	*tmp = NULL;
	char *def[WF_HIVELOG_NLOGS];
	wf_hivelog_default_paths(path, def);
	const char *logs[WF_HIVELOG_NLOGS];
	for (size_t i = 0; i < WF_HIVELOG_NLOGS; i++)
		logs[i] = hivelogs && hivelogs[i] ? hivelogs[i] : def[i];
	const char *dir = getenv("TMPDIR");
	char *out = wf_xasprintf("%s/wf-%s-XXXXXX", dir && *dir ? dir : "/tmp", hive);
	int fd = mkstemp(out);
	struct wf_hivelog_result r;
	int rc = fd < 0 ? wf_error_set(e, WF_ERR_INPUT, "%s: cannot create: %m", out)
		 : wf_hivelog_recover_files(path, logs, WF_HIVELOG_NLOGS, out, &r, e);
	if (fd >= 0)
		close(fd);
	wf_hivelog_paths_free(def);
	if (rc == 0) {
		wf_diag_hivelog_note(notes, &r, hive);
		if (r.state == WF_HIVELOG_RECOVERED) {
			*use = *tmp = out;
			out = NULL;
		}
		wf_hivelog_result_free(&r);
	}
	if (out)
		unlink(out);
	free(out);
	return rc;
}

int wf_diagnose_hive_files_logs(const char *system_path, const char *const *hivelogs,
				const char *software_path, const struct wf_targets *t,
				const struct wf_diag_log *logs, size_t n_logs,
				struct wf_diag_notes *notes, struct wf_findings *out,
				struct wf_error *e)
{
	const char *sys_use, *sw_use = NULL;
	char *sys_tmp = NULL, *sw_tmp = NULL;
	struct wf_hive *sys = NULL, *sw = NULL;
	int r = recover_to_tmp(system_path, hivelogs, "SYSTEM", &sys_use, &sys_tmp, notes, e);
	if (r == 0 && software_path)
		r = recover_to_tmp(software_path, NULL, "SOFTWARE", &sw_use, &sw_tmp, notes, e);
	if (r == 0 && !(sys = wf_hive_open(sys_use, "SYSTEM", 0, e)))
		r = -1;
	if (r == 0 && sw_use && !(sw = wf_hive_open(sw_use, "SOFTWARE", 0, e)))
		r = -1;
	if (r == 0) {
		struct wf_diag_ctx c = {
			.system = sys, .system_name = system_path, .software = sw, .targets = t,
			.logs = logs, .n_logs = n_logs, .notes = notes,
		};
		r = wf_diagnose_hives(&c, out, e);
	}
	wf_hive_close(sw);
	wf_hive_close(sys);
	if (sys_tmp)
		unlink(sys_tmp);
	if (sw_tmp)
		unlink(sw_tmp);
	free(sys_tmp);
	free(sw_tmp);
	return r;
}
