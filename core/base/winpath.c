#include "winpath.h"
#include "error.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* Prefixes that stand for the system root, longest first. */
static const char *const root_prefixes[] = {
	"\\SystemRoot\\", "%SystemRoot%\\", "%windir%\\", "SystemRoot\\", NULL,
};

char *wf_imagepath_to_guest(const char *image_path, const char *service,
			    const char *systemroot)
{
	char *rel = NULL;
	if (!image_path || !*image_path)
		rel = wf_xasprintf("System32\\drivers\\%s.sys", service);
	else
		rel = wf_xstrdup(image_path);
	char *p = rel;
	if (*p == '"')	/* "C:\Program Files\x.exe" -args */
		p++;
	char *q = strchr(p, '"');
	if (q)
		*q = '\0';
	char *out = NULL;
	if (wf_startswithi(p, "\\??\\"))
		p += 4;
	for (int i = 0; root_prefixes[i]; i++)
		if (wf_startswithi(p, root_prefixes[i])) {
			p += strlen(root_prefixes[i]);
			out = wf_xasprintf("%s/%s", systemroot, p);
			break;
		}
	if (!out) {
		if (p[0] && p[1] == ':' && p[2] == '\\') {
			if ((p[0] | 0x20) != 'c')
				goto done;	/* another drive: not resolvable */
			out = wf_xasprintf("/%s", p + 3);
		} else if (p[0] == '\\') {
			out = wf_xstrdup(p);	/* \Windows\... from the root */
		} else {
			out = wf_xasprintf("%s/%s", systemroot, p);
		}
	}
	for (char *c = out; *c; c++)
		if (*c == '\\')
			*c = '/';
	/* user-mode command lines: keep up to the executable */
	const char *exe = wf_strcasestr(out, ".exe ");
	if (exe)
		out[exe - out + 4] = '\0';
done:
	free(rel);
	return out;
}
