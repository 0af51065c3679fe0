/*
 * cmd_switch.h - fix --switch-domain and its undo: after a fix, change the
 * libvirt domain so it presents the controllers the guest now boots from
 * (switchdom.h), or print the `qm set` commands of a Proxmox VE VM.
 */
#ifndef WF_CMD_SWITCH_H
#define WF_CMD_SWITCH_H

#include "strbuf.h"

struct json_object;
struct wf_cli_src;
struct wf_findings;
struct wf_inspection;
struct wf_targets;
struct wf_error;

struct wf_switch_ctx {
	struct wf_cli_src *src;
	const struct wf_targets *want;	/* what the diagnosis judged */
	const struct wf_findings *after;	/* diagnosis of the result */
	struct wf_inspection *in;
	const char *save_dir;	/* the fix's host backup folder */
	int yes, dry;
	struct wf_strbuf *text;
	struct json_object *o;
};

/* Plan, show, confirm and apply the switch.  0 done (or nothing to do),
 * -1 refused or failed (message in e). */
int wf_cli_switch(struct wf_switch_ctx *c, struct wf_error *e);
/* After undo of the fix whose host backup is `dir`: define the saved
 * definition again when there is one (text says so). */
int wf_cli_switch_undo(struct wf_cli_src *src, const char *dir,
		       struct wf_strbuf *text, struct json_object *o,
		       struct wf_error *e);

#endif
