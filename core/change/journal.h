/*
 * journal.h - what a fix changed, written before the first change and
 * completed after the last, so that undo is exact.
 *
 * A journal names every hive the fix rewrote with the SHA-256 of its bytes
 * before and after, and every file it put into the guest (whether one was
 * there before, and where the backup of it is).  Undo restores the backed-
 * up bytes and checks them against `before`; a hive whose hash is neither
 * `before` nor `after` changed since the fix (Windows ran, another tool
 * wrote it) and undo refuses unless forced.  The reverse actions are kept
 * as text for showing what undo will change.
 *
 * It is stored as journal.json in the backup folder, both in the guest
 * (C:\virt-winfix\backup\<id>\) and next to the image.
 */
#ifndef WF_JOURNAL_H
#define WF_JOURNAL_H

#include <stddef.h>

#include "error.h"

struct json_object;

#define WF_JOURNAL_PREPARED "prepared"	/* backups taken, changes may have begun */
#define WF_JOURNAL_APPLIED "applied"	/* every change made and verified */
#define WF_JOURNAL_UNDONE "undone"	/* restored */

struct wf_journal_hive {
	char *name;		/* "SYSTEM" */
	char *path;		/* guest path */
	char before[65], after[65];	/* SHA-256 hex, "" unknown */
};

struct wf_journal_file {
	char *path;		/* guest path */
	int existed;		/* a file was there before (backup holds it) */
	char *backup;		/* name in the backup folder ("files/0"), NULL when new */
	char before[65], after[65];
};

struct wf_journal {
	char *id;		/* "20261121T101500Z" = backup folder name */
	char *state;		/* WF_JOURNAL_* */
	char *created, *finished;	/* ISO 8601 UTC */
	char *image;		/* the image as the operator named it */
	char *systemroot;	/* guest path of the Windows folder */
	char **fixes;
	size_t n_fixes;
	struct wf_journal_hive *hives;
	size_t n_hives;
	struct wf_journal_file *files;
	size_t n_files;
	char **undo;		/* what undo does, one line per action */
	size_t n_undo;
	char **notes;		/* what the report said to expect */
	size_t n_notes;
};

void wf_journal_free(struct wf_journal *j);
/* Serialise (malloc'd, pretty JSON). */
char *wf_journal_to_string(const struct wf_journal *j);
/* Parse; errors name `name` ("NAME: not a virt-winfix journal"). */
/* Whether a journal id (read from a guest, or given with --id) may name a
 * folder: 1-64 of [A-Za-z0-9_-], starting alphanumeric ("20240101T120000Z-2"). */
int wf_journal_id_ok(const char *id);
int wf_journal_parse(const char *text, size_t len, const char *name,
		     struct wf_journal *j, struct wf_error *e);
/* As JSON object (new reference), for reports. */
struct json_object *wf_journal_to_json(const struct wf_journal *j);
/* "2026-11-21T10:15:00Z" now, malloc'd; and the id form "20261121T101500Z". */
char *wf_journal_now(int id_form);

#endif
