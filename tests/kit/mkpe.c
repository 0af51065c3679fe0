/*
 * mkpe - write a minimal PE image (test kit).
 *
 *   mkpe --machine i386|amd64 --subsystem native|console|gui --os 5.1
 *        [--dll] [--import NAME]... -o OUT
 *
 * Drivers: --subsystem native --import ntoskrnl.exe --import storport.sys;
 * cmd.exe: --subsystem console (libguestfs reads its architecture with
 * `file`).  Exit status 0 on success, 1 on error, 2 on usage errors.
 */
#include "kitlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: mkpe --machine i386|amd64 --subsystem native|console|gui --os MAJOR.MINOR\n"
	      "            [--dll] [--import NAME]... -o OUT\n", f);
}

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "mkpe: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct kit_pe spec = { KIT_PE_AMD64, KIT_PE_NATIVE, 6, 1, 0, NULL };
	const char *out = NULL;
	const char **imports = calloc((size_t)argc, sizeof *imports);
	size_t n = 0;
	int rc = 2;
	if (!imports)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			rc = 0;
			goto out;
		} else if (!strcmp(a, "--dll")) {
			spec.dll = 1;
			continue;
		}
		if (!v) {
			rc = bad("unknown option or missing argument", a);
			goto out;
		}
		i++;
		if (!strcmp(a, "--machine")) {
			if (!strcmp(v, "i386") || !strcmp(v, "x86"))
				spec.machine = KIT_PE_I386;
			else if (!strcmp(v, "amd64") || !strcmp(v, "x86_64"))
				spec.machine = KIT_PE_AMD64;
			else {
				rc = bad("unknown machine (i386 or amd64)", v);
				goto out;
			}
		} else if (!strcmp(a, "--subsystem")) {
			if (!strcmp(v, "native"))
				spec.subsystem = KIT_PE_NATIVE;
			else if (!strcmp(v, "console"))
				spec.subsystem = KIT_PE_CONSOLE;
			else if (!strcmp(v, "gui"))
				spec.subsystem = KIT_PE_GUI;
			else {
				rc = bad("unknown subsystem (native, console or gui)", v);
				goto out;
			}
		} else if (!strcmp(a, "--os")) {
			unsigned maj, min;
			char extra;
			if (sscanf(v, "%u.%u%c", &maj, &min, &extra) != 2 ||
			    maj > 0xffff || min > 0xffff) {
				rc = bad("--os wants MAJOR.MINOR, e.g. 5.1 or 10.0", v);
				goto out;
			}
			spec.os_major = (uint16_t)maj;
			spec.os_minor = (uint16_t)min;
		} else if (!strcmp(a, "--import")) {
			imports[n++] = v;
		} else if (!strcmp(a, "-o")) {
			out = v;
		} else {
			rc = bad("unknown option", a);
			goto out;
		}
	}
	if (!out) {
		rc = bad("no output file (-o OUT)", NULL);
		goto out;
	}
	spec.imports = imports;
	struct wf_error err = { 0 };
	if (kit_write_pe(out, &spec, &err) < 0) {
		fprintf(stderr, "mkpe: %s\n", err.msg);
		rc = 1;
	} else {
		rc = 0;
	}
out:
	free(imports);
	return rc;
}
