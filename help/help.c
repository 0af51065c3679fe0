#include "help.h"

#include <stdio.h>
#include <string.h>

const char *wf_help_find(const char *name)
{
	for (const struct wf_help_topic *t = wf_help_topics; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t->text;
	return NULL;
}

const char *wf_help_article(const char *folder, const char *name)
{
	char full[160];
	if (!name || snprintf(full, sizeof full, "%s/%s", folder, name) >= (int)sizeof full)
		return NULL;
	return wf_help_find(full);
}

const char *wf_help_resolve(const char *word, const char **full)
{
	static const char *const folders[] = { "findings", "fixes", "screens" };
	for (const struct wf_help_topic *t = wf_help_topics; t->name; t++)
		if (strcmp(t->name, word) == 0) {
			if (full)
				*full = t->name;
			return t->text;
		}
	size_t n = strlen(word);
	for (size_t f = 0; f < sizeof folders / sizeof *folders; f++) {
		size_t m = strlen(folders[f]);
		for (const struct wf_help_topic *t = wf_help_topics; t->name; t++)
			if (!strncmp(t->name, folders[f], m) && t->name[m] == '/' &&
			    strlen(t->name + m + 1) == n && !strcmp(t->name + m + 1, word)) {
				if (full)
					*full = t->name;
				return t->text;
			}
	}
	return NULL;
}
