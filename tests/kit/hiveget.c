/*
 * hiveget - print one registry value of a hive file (test kit), so that
 * integration tests can check what a fix left in a hive copied out of an
 * image without a libguestfs launch.
 *
 *   hiveget HIVE 'KEY\PATH' VALUE
 *
 * Prints "TYPE HEX" (type number, data as lower-case hex bytes) and exits
 * 0; exits 1 when the key or value is absent or the hive unreadable, 2 on
 * usage errors.
 */
#include "hive.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: hiveget HIVE KEY VALUE\n", stderr);
		return 2;
	}
	struct wf_error e = { 0 };
	struct wf_hive *h = wf_hive_open(argv[1], "hive", 0, &e);
	if (!h) {
		fprintf(stderr, "hiveget: %s\n", e.msg);
		return 1;
	}
	wf_node n = wf_hive_lookup(h, argv[2]);
	uint32_t type;
	void *d = NULL;
	size_t len = 0;
	int rc = 1;
	if (n && wf_hive_get_raw(h, n, argv[3], &type, &d, &len) == 0) {
		printf("%u ", (unsigned)type);
		for (size_t i = 0; i < len; i++)
			printf("%02x", ((unsigned char *)d)[i]);
		printf("\n");
		rc = 0;
	}
	free(d);
	wf_hive_close(h);
	return rc;
}
