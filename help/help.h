/*
 * help.h - help texts compiled into the binary from help/ (see
 * help/embed.awk): the usage text, one article per finding id
 * (help/findings/<id>.txt), the man page.
 */
#ifndef WF_HELP_H
#define WF_HELP_H

struct wf_help_topic {
	const char *name;	/* file base name: "usage", "null-driver-installed" */
	const char *text;
};

/* NULL-terminated table (generated). */
extern const struct wf_help_topic wf_help_topics[];

/* The text of a topic, NULL when there is none. */
const char *wf_help_find(const char *name);

#endif
