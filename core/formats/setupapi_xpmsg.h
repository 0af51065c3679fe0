/*
 * setupapi_xpmsg.h - the message ids of the XP / Server 2003 setupapi.log
 * ("#E154 Class installer failed. ...") that bear on a device install: one
 * table, a meaning and a source per row.
 *
 *   const struct wf_xp_msg *m = wf_xp_msg_lookup('E', 154);
 *   // m->meaning, m->source, m->role
 */
#ifndef WF_SETUPAPI_XPMSG_H
#define WF_SETUPAPI_XPMSG_H

enum wf_xp_role {
	WF_XP_ROLE_CONTEXT,	/* says what happens (server-side install ...) */
	WF_XP_ROLE_OK,		/* a step that went well */
	WF_XP_ROLE_NOISE,	/* a warning seen in healthy installs */
	WF_XP_ROLE_CAUSE,	/* a failure that explains the install's outcome */
};

struct wf_xp_msg {
	char sev;		/* '-', 'I', 'W', 'E' as logged */
	unsigned id;		/* the three digits */
	const char *meaning;	/* our one line; "[U] ..." when no source says */
	const char *source;	/* where the meaning comes from */
	enum wf_xp_role role;
};

/* The row for "#<sev><id>", NULL when the table has none.  The id decides:
 * the severity letter is matched when the row has one ('V' / 'T' verbose
 * forms of a message share its id). */
const struct wf_xp_msg *wf_xp_msg_lookup(char sev, unsigned id);
unsigned wf_xp_msg_count(void);
const struct wf_xp_msg *wf_xp_msg_at(unsigned i);

#endif
