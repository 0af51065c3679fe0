/*
 * help.h - help texts compiled into the binary from help/ (see
 * help/embed.awk): the usage text, one article per finding id
 * (help/findings/<id>.txt), fix family (help/fixes/) and wizard screen
 * (help/screens/), the man page.  Topics are named by their path under help/.
 */
#ifndef WF_HELP_H
#define WF_HELP_H

struct wf_help_topic {
	const char *name;	/* file base name: "usage", "null-driver-installed" */
	const char *text;
};

/* NULL-terminated table (generated). */
extern const struct wf_help_topic wf_help_topics[];

/* The text of a topic by its full name ("screens/fixes", "usage"), NULL
 * when there is none. */
const char *wf_help_find(const char *name);
/* The article `name` of folder "findings", "fixes" or "screens". */
const char *wf_help_article(const char *folder, const char *name);
/* What `virt-winfix help WORD` shows: WORD as a full name, else the
 * finding, fix or screen article of that name, in that order.  *full
 * (may be NULL) gets the full name found. */
const char *wf_help_resolve(const char *word, const char **full);

#endif
