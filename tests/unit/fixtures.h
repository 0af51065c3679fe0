/* fixtures.h - where the real Windows files of ../shared/fixtures are.
 * Tests that use them skip (saying so) when the folder is absent. */
#ifndef TEST_FIXTURES_H
#define TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* "$FIXTURES/<rel>" or NULL when absent; static buffer. */
static inline const char *fixture_path(const char *rel)
{
	static char buf[4096];
	const char *dir = getenv("FIXTURES");
	snprintf(buf, sizeof buf, "%s/%s", dir && *dir ? dir : "../shared/fixtures", rel);
	struct stat st;
	return stat(buf, &st) == 0 ? buf : NULL;
}

#define SKIP_WITHOUT_FIXTURE(var, rel)                                        \
	const char *var = fixture_path(rel);                                  \
	if (!var) {                                                           \
		printf("SKIP-REASON: fixture %s absent (set FIXTURES)\n", rel); \
		skip();                                                       \
	}

#endif
