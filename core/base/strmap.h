/*
 * strmap.h - a case-insensitive (ASCII) map from names to indexes.
 *
 * Guest data names things by strings (INF sections and [Strings] keys,
 * service names) and looks them up once per reference: with a linear
 * search, a crafted file of N names and N references is N^2 work.  This
 * map makes each lookup O(1) on average.  Keys are copied; the first
 * value put for a key stays (what a first-match linear search returned).
 *
 *   struct wf_strmap m = WF_STRMAP_INIT;
 *   wf_strmap_put(&m, "Strings", 3);
 *   size_t i; if (wf_strmap_get(&m, "STRINGS", &i)) ...
 *   wf_strmap_free(&m);
 */
#ifndef WF_STRMAP_H
#define WF_STRMAP_H

#include <stddef.h>

struct wf_strmap_slot {
	char *key;		/* lower case copy; NULL: empty */
	size_t val;
};

struct wf_strmap {
	struct wf_strmap_slot *slot;
	size_t cap;		/* power of two, or 0 */
	size_t n;
};

#define WF_STRMAP_INIT { NULL, 0, 0 }

/* Add key -> val unless the key is there already; 1 added, 0 present. */
int wf_strmap_put(struct wf_strmap *m, const char *key, size_t val);
/* 1 and *val when present, else 0. */
int wf_strmap_get(const struct wf_strmap *m, const char *key, size_t *val);
void wf_strmap_free(struct wf_strmap *m);

#endif
