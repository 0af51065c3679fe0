#include "help.h"

#include <string.h>

const char *wf_help_find(const char *name)
{
	for (const struct wf_help_topic *t = wf_help_topics; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t->text;
	return NULL;
}
