#include "hostdisks.h"
#include "error.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DISKS 4096	/* bound on what a listing returns */

static int skipped(const char *n)
{
	static const char *const prefixes[] = { ".", "ram", "sr", "fd", "zram" };
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (!strncmp(n, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

static unsigned long long sectors_of(const char *n)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "/sys/block/%s/size", n);
	FILE *f = fopen(path, "r");
	unsigned long long s = 0;
	if (f) {
		if (fscanf(f, "%llu", &s) != 1)
			s = 0;
		fclose(f);
	}
	return s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t wf_host_disks(char ***out)
{
	*out = NULL;
	DIR *d = opendir("/sys/block");
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < MAX_DISKS) {
		if (skipped(de->d_name) || !sectors_of(de->d_name))
			continue;
		char dev[PATH_MAX];
		snprintf(dev, sizeof dev, "/dev/%s", de->d_name);
		if (access(dev, F_OK) != 0)
			continue;
		*out = wf_xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = wf_xstrdup(dev);
	}
	closedir(d);
	if (n)
		qsort(*out, n, sizeof **out, cmp_str);
	return n;
}

void wf_host_disks_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
