#include "strmap.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static unsigned char lc(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static uint64_t hash(const char *k)
{
	uint64_t h = 14695981039346656037u;	/* FNV-1a */
	for (; *k; k++)
		h = (h ^ lc((unsigned char)*k)) * 1099511628211u;
	return h;
}

static int same(const char *stored, const char *key)
{
	for (; *stored && lc((unsigned char)*key) == (unsigned char)*stored; stored++, key++)
		;
	return !*stored && !*key;
}

static struct wf_strmap_slot *find(const struct wf_strmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)hash(key) & mask;
	while (m->slot[i].key && !same(m->slot[i].key, key))
		i = (i + 1) & mask;
	return &m->slot[i];
}

static void grow(struct wf_strmap *m)
{
	struct wf_strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 16;
	m->slot = wf_xcalloc(m->cap, sizeof *m->slot);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].key)
			*find(m, old.slot[i].key) = old.slot[i];
	free(old.slot);
}

int wf_strmap_put(struct wf_strmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	struct wf_strmap_slot *s = find(m, key);
	if (s->key)
		return 0;
	s->key = wf_xstrdup(key);
	for (char *p = s->key; *p; p++)
		*p = (char)lc((unsigned char)*p);
	s->val = val;
	m->n++;
	return 1;
}

int wf_strmap_get(const struct wf_strmap *m, const char *key, size_t *val)
{
	if (!m->cap)
		return 0;
	const struct wf_strmap_slot *s = find(m, key);
	if (!s->key)
		return 0;
	if (val)
		*val = s->val;
	return 1;
}

void wf_strmap_free(struct wf_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slot[i].key);
	free(m->slot);
	m->slot = NULL;
	m->cap = m->n = 0;
}
