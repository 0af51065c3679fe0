/* report.c - the wizard's report (wizard.h): what was found, what was
 * changed, where the backup is, what the diagnosis says after - as text,
 * JSON or Markdown.  Rendered from core's data (findings, plan, journal,
 * inspection) with core's renderers where there is one. */
#include "wizard.h"
#include "inspect_report.h"
#include "journal.h"
#include "hostfile.h"
#include "strbuf.h"
#include "text.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const ext[] = { "txt", "json", "md" };

char *wf_wiz_report_default(struct wf_wiz *w, enum wf_report_fmt f)
{
	const char *img = w->vm && w->vm->in.n_disks ? w->vm->in.disks[0].img.path
			  : w->n_logs && w->logs[0].path ? w->logs[0].path
			  : w->n_logs ? "setupapi-paste" : "virt-winfix";
	return wf_xasprintf("%s.virt-winfix-report.%s", img, ext[f]);
}

static void counts(struct wf_strbuf *sb, const struct wf_findings *f)
{
	wf_sb_addf(sb, "%zu error, %zu warning, %zu info", wf_findings_count(f, WF_SEV_ERROR),
		   wf_findings_count(f, WF_SEV_WARNING), wf_findings_count(f, WF_SEV_INFO));
}

static const struct wf_windows *windows(struct wf_wiz *w)
{
	return w->vm && w->vm->phase == WF_VM_READY && w->vm->in.n_win ? &w->vm->in.win[0] : NULL;
}

static void text_report(struct wf_wiz *w, struct wf_strbuf *sb, int md)
{
	const char *h1 = md ? "# " : "", *h2 = md ? "\n## " : "\n", *bul = md ? "- " : "  ";
	const char *fence = md ? "```\n" : "";
	char *now = wf_journal_now(0);
	wf_sb_addf(sb, "%svirt-winfix report (%s)\n", h1, now);
	free(now);
	if (w->vm)
		for (size_t i = 0; i < w->vm->in.n_disks; i++)
			wf_sb_addf(sb, "%sImage: %s\n", md ? "\n" : "", w->vm->in.disks[i].img.path);
	for (size_t i = 0; w->log_only && i < w->n_logs; i++)
		wf_sb_addf(sb, "%sLog: %s\n", md ? "\n" : "", w->logs[i].name);
	const struct wf_windows *win = windows(w);
	if (win) {
		const struct wf_winver *v = &win->ver;
		wf_sb_addf(sb, "%sWindows\n", h2);
		struct wf_text_pool tp = { 0 };
		wf_sb_addf(sb, "%s%s, %u.%u build %u, %s, %s on %s\n", bul,
			   v->display_name ? wf_text_pool_esc(&tp, v->display_name) : "?",
			   v->major, v->minor, v->build, v->arch ? wf_text_pool_esc(&tp, v->arch) : "?",
			   wf_text_pool_esc(&tp, win->systemroot), wf_text_pool_esc(&tp, win->device));
		wf_text_pool_free(&tp);
	}
	if (!w->log_only) {
		char t[256];
		wf_targets_describe(&w->targets, t, sizeof t);
		wf_sb_addf(sb, "%sThe VM presents\n%s%s\n", h2, bul, t);
	}
	const struct wf_findings *first = w->have_applied ? &w->before : &w->findings;
	wf_sb_addf(sb, "%sDiagnosis%s: ", h2, w->have_applied ? " before the fix" : "");
	counts(sb, first);
	wf_sb_adds(sb, "\n\n");
	wf_sb_adds(sb, fence);
	wf_findings_to_text(first, sb);
	wf_sb_adds(sb, fence);
	if (!w->have_applied)
		return;
	wf_sb_addf(sb, "%sFix applied: ", h2);
	for (size_t i = 0; i < w->applied_plan.n_fixes; i++)
		wf_sb_addf(sb, "%s%s", i ? ", " : "", w->applied_plan.fixes[i]);
	wf_sb_adds(sb, "\n\n");
	wf_sb_adds(sb, fence);
	wf_plan_to_text(&w->applied_plan, sb);
	wf_sb_adds(sb, fence);
	const struct wf_apply_result *r = &w->applied;
	struct wf_text_pool tp = { 0 };
#define E(s, dflt) ((s) ? wf_text_pool_esc(&tp, (s)) : (dflt))
	wf_sb_addf(sb, "%sBackup\n", h2);
	wf_sb_addf(sb, "%sjournal %s, state %s\n", bul, E(r->journal.id, "?"), E(r->journal.state, "?"));
	wf_sb_addf(sb, "%sin the guest: %s\n", bul, E(r->guest_backup, "-"));
	wf_sb_addf(sb, "%son the host: %s\n", bul, E(r->host_backup, "-"));
	wf_sb_addf(sb, "%sundo: virt-winfix undo %s --id %s\n", bul,
		   E(r->journal.image, "IMAGE"), E(r->journal.id, "ID"));
#undef E
	wf_text_pool_free(&tp);
	wf_sb_addf(sb, "%sDiagnosis after the %s: ", h2, w->undo.state == WF_WORK_DONE ? "undo" : "fix");
	counts(sb, &w->findings);
	wf_sb_adds(sb, "\n\n");
	wf_sb_adds(sb, fence);
	wf_findings_to_text(&w->findings, sb);
	if (!w->findings.n)
		wf_sb_adds(sb, "No problem found for these controllers.\n");
	wf_sb_adds(sb, fence);
	if (w->undo.state == WF_WORK_DONE)
		wf_sb_addf(sb, "%sUndone\n%sthe hives and files were put back from the backup\n", h2, bul);
}

static struct json_object *json_report(struct wf_wiz *w)
{
	struct json_object *o = json_object_new_object();
	if (w->vm && w->vm->phase == WF_VM_READY)
		json_object_object_add(o, "inspection", wf_report_inspection_json(&w->vm->in));
	if (!w->log_only) {
		char t[256];
		wf_targets_describe(&w->targets, t, sizeof t);
		json_object_object_add(o, "targets", json_object_new_string(t));
	}
	const struct wf_findings *first = w->have_applied ? &w->before : &w->findings;
	json_object_object_add(o, "findings", wf_findings_to_json(first));
	if (w->have_applied) {
		json_object_object_add(o, "plan", wf_plan_to_json(&w->applied_plan));
		json_object_object_add(o, "journal", wf_journal_to_json(&w->applied.journal));
		struct json_object *b = json_object_new_object();
		json_object_object_add(b, "guest", json_object_new_string(w->applied.guest_backup ? w->applied.guest_backup : ""));
		json_object_object_add(b, "host", json_object_new_string(w->applied.host_backup ? w->applied.host_backup : ""));
		json_object_object_add(o, "backup", b);
		json_object_object_add(o, "findings_after", wf_findings_to_json(&w->findings));
		json_object_object_add(o, "undone", json_object_new_boolean(w->undo.state == WF_WORK_DONE));
	}
	return o;
}

int wf_wiz_report_write(struct wf_wiz *w, const char *path, enum wf_report_fmt f,
			struct wf_error *e)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	if (f == WF_REPORT_JSON) {
		struct json_object *o = json_report(w);
		wf_sb_adds(&sb, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
		wf_sb_addc(&sb, '\n');
		json_object_put(o);
	} else
		text_report(w, &sb, f == WF_REPORT_MD);
	/* O_EXCL|O_NOFOLLOW under a random name in the opened folder, then
	 * renameat: a symlink planted beside the image is replaced, never
	 * followed (hostfile.h); controls in the text are escaped. */
	struct wf_strbuf esc = WF_STRBUF_INIT;
	if (f == WF_REPORT_JSON)
		wf_sb_add(&esc, sb.buf, sb.len);
	else
		wf_sb_add_escaped(&esc, sb.buf, sb.len, WF_ESC_KEEP_LINES);
	int r = wf_hostfile_write_path(path, esc.buf, esc.len, 0644, e);
	wf_sb_release(&esc);
	if (r < 0)
		wf_error_prefix(e, "cannot write the report");
	else
		snprintf(w->report_path, sizeof w->report_path, "%s", path);
	wf_sb_release(&sb);
	return r;
}
