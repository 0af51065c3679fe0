/*
 * txtsetup.c - TXTSETUP.SIF / DOSNET.INF merging and txtsetup.oem writing
 * (see txtsetup.h for the formats and their sources).
 */
#include "txtsetup.h"
#include "error.h"
#include "strbuf.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LINES 2000000	/* bound on an input's lines */

struct line {
	const char *p;		/* start, with its ending */
	size_t len;
};

static size_t split(const char *t, size_t len, struct line **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < len && n < MAX_LINES;) {
		size_t j = i;
		while (j < len && t[j] != '\n')
			j++;
		if (j < len)
			j++;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			*out = wf_xrealloc(*out, cap * sizeof **out);
		}
		(*out)[n++] = (struct line){ t + i, j - i };
		i = j;
	}
	return n;
}

/* The line's text without ending and surrounding blanks, in buf. */
static const char *content(const struct line *l, char *buf, size_t n)
{
	size_t len = l->len;
	while (len && (l->p[len - 1] == '\n' || l->p[len - 1] == '\r'))
		len--;
	snprintf(buf, n, "%.*s", (int)len, l->p);
	return wf_trim(buf);
}

/* "[Name]" -> Name in buf, else NULL. */
static const char *section_of(const struct line *l, char *buf, size_t n)
{
	char *c = (char *)content(l, buf, n);
	if (c[0] != '[')
		return NULL;
	char *end = strchr(c, ']');
	if (!end)
		return NULL;
	*end = 0;
	return wf_trim(c + 1);
}

/* The key of an entry: before '=' (quotes dropped), or the whole line. */
static void key_of(const char *s, char *buf, size_t n)
{
	const char *eq = strchr(s, '=');
	size_t len = eq ? (size_t)(eq - s) : strlen(s);
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < n; i++)
		if (s[i] != '"')
			buf[k++] = s[i];
	buf[k] = 0;
	wf_trim(buf);
}

/* Does [from, to) hold an entry with this key? */
static int has_key(const struct line *v, size_t from, size_t to, const char *key)
{
	char buf[1024], k[1024];
	for (size_t i = from; i < to; i++) {
		const char *c = content(&v[i], buf, sizeof buf);
		if (!*c || *c == ';' || *c == '#')
			continue;
		key_of(c, k, sizeof k);
		if (!strcasecmp(k, key))
			return 1;
	}
	return 0;
}

/* First line index of [section]'s body and one past its last non-blank
 * line; *found 0 when the section is absent. */
static void locate(const struct line *v, size_t n, const char *section,
		   size_t *body, size_t *after, int *found)
{
	char buf[1024];
	*found = 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = section_of(&v[i], buf, sizeof buf);
		if (!s || strcasecmp(s, section))
			continue;
		*found = 1;
		*body = *after = i + 1;
		for (size_t j = i + 1; j < n && !section_of(&v[j], buf, sizeof buf); j++)
			if (*content(&v[j], buf, sizeof buf))
				*after = j + 1;
		return;
	}
}

struct insert {
	size_t at;		/* before line `at` (n = end) */
	struct wf_strbuf text;	/* lines, each with the file's ending */
};

static void add_line(struct wf_strbuf *sb, const char *line, const char *eol)
{
	wf_sb_adds(sb, line);
	wf_sb_adds(sb, eol);
}

void wf_sif_apply(const char *text, size_t len, const struct wf_sif_edit *edits,
		  size_t n_edits, struct wf_strbuf *out, struct wf_strbuf *notes,
		  size_t *added)
{
	struct line *v;
	size_t n = split(text, len, &v);
	const char *eol = memmem(text, len, "\r\n", 2) ? "\r\n" : "\n";
	struct insert *ins = wf_xcalloc(n_edits + 1, sizeof *ins);
	struct wf_strbuf tail = WF_STRBUF_INIT;	/* new sections at the end */
	size_t count = 0;
	char key[1024];
	for (size_t e = 0; e < n_edits; e++) {
		size_t body = 0, after = 0;
		int found;
		locate(v, n, edits[e].section, &body, &after, &found);
		ins[e].at = found ? after : n;
		ins[e].text = (struct wf_strbuf)WF_STRBUF_INIT;
		struct wf_strbuf *dst = found ? &ins[e].text : &tail;
		if (!found)
			wf_sb_addf(&tail, "[%s]%s", edits[e].section, eol);
		for (size_t k = 0; k < edits[e].n; k++) {
			key_of(edits[e].lines[k], key, sizeof key);
			if (found && has_key(v, body, after, key)) {
				if (notes)
					wf_sb_addf(notes, "[%s] already has %s: kept as it is\n",
						   edits[e].section, key);
				continue;
			}
			add_line(dst, edits[e].lines[k], eol);
			count++;
		}
	}
	for (size_t i = 0; i <= n; i++) {
		for (size_t e = 0; e < n_edits; e++)
			if (ins[e].at == i && ins[e].text.len) {
				if (i && v[i - 1].p[v[i - 1].len - 1] != '\n')
					wf_sb_adds(out, eol);
				wf_sb_add(out, ins[e].text.buf, ins[e].text.len);
			}
		if (i < n)
			wf_sb_add(out, v[i].p, v[i].len);
	}
	if (tail.len) {
		if (out->len && out->buf[out->len - 1] != '\n')
			wf_sb_adds(out, eol);
		wf_sb_add(out, tail.buf, tail.len);
	}
	for (size_t e = 0; e < n_edits; e++)
		wf_sb_release(&ins[e].text);
	wf_sb_release(&tail);
	free(ins);
	free(v);
	if (added)
		*added = count;
}

/* Lines built for one section: owned strings. */
struct lines {
	char **v;
	size_t n;
};

static void push(struct lines *l, char *s)
{
	l->v = wf_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = s;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

void wf_txtsetup_merge(const char *text, size_t len, const struct wf_txt_driver *d,
		       size_t n, int amd64, struct wf_strbuf *out,
		       struct wf_strbuf *notes, size_t *added)
{
	struct lines files = { 0 }, ids = { 0 }, load = { 0 }, scsi = { 0 };
	for (size_t i = 0; i < n; i++) {
		push(&files, wf_xasprintf("%s = 1,,,,,,4_,4,1,,,1,4", d[i].sys));
		for (size_t k = 0; k < d[i].n_hwids; k++)
			push(&ids, wf_xasprintf("%s = \"%s\"", d[i].hwids[k], d[i].svc));
		push(&load, wf_xasprintf("%s = %s,4", d[i].svc, d[i].sys));
		push(&scsi, wf_xasprintf("%s = \"%s\"", d[i].svc, d[i].desc));
	}
	struct wf_sif_edit edits[] = {
		{ amd64 ? "SourceDisksFiles.amd64" : "SourceDisksFiles",
		  (const char *const *)files.v, files.n },
		{ "HardwareIdsDatabase", (const char *const *)ids.v, ids.n },
		{ "SCSI.Load", (const char *const *)load.v, load.n },
		{ "SCSI", (const char *const *)scsi.v, scsi.n },
	};
	wf_sif_apply(text, len, edits, 4, out, notes, added);
	lines_free(&files);
	lines_free(&ids);
	lines_free(&load);
	lines_free(&scsi);
}

void wf_dosnet_merge(const char *text, size_t len, const struct wf_txt_driver *d,
		     size_t n, struct wf_strbuf *out, struct wf_strbuf *notes,
		     size_t *added)
{
	struct lines files = { 0 };
	for (size_t i = 0; i < n; i++)
		push(&files, wf_xasprintf("d1,%s", d[i].sys));
	struct wf_sif_edit edit = { "Files", (const char *const *)files.v, files.n };
	wf_sif_apply(text, len, &edit, 1, out, notes, added);
	lines_free(&files);
}

void wf_txtsetup_oem(const struct wf_txt_driver *d, size_t n, const char *def,
		     struct wf_strbuf *out)
{
	const char *eol = "\r\n";	/* text-mode setup reads DOS text */
	wf_sb_addf(out, "; txtsetup.oem written by virt-winfix%s%s", eol, eol);
	wf_sb_addf(out, "[Disks]%sd1 = \"VirtIO drivers (virt-winfix)\",\\%s,\\%s%s",
		   eol, n ? d[0].sys : "disk1", eol, eol);
	wf_sb_addf(out, "[Defaults]%sscsi = %s%s%s", eol, def, eol, eol);
	wf_sb_addf(out, "[scsi]%s", eol);
	for (size_t i = 0; i < n; i++)
		wf_sb_addf(out, "%s = \"%s\"%s", d[i].svc, d[i].desc, eol);
	for (size_t i = 0; i < n; i++) {
		wf_sb_addf(out, "%s[Files.scsi.%s]%sdriver = d1,%s,%s%s", eol, d[i].svc, eol,
			   d[i].sys, d[i].svc, eol);
		for (size_t k = 0; k < d[i].n_extra; k++) {
			const char *x = d[i].extra[k];
			const char *kind = wf_endswithi(x, ".inf") ? "inf" :
					   wf_endswithi(x, ".cat") ? "catalog" : NULL;
			if (kind)
				wf_sb_addf(out, "%s = d1,%s%s", kind, x, eol);
		}
		wf_sb_addf(out, "%s[HardwareIds.scsi.%s]%s", eol, d[i].svc, eol);
		for (size_t k = 0; k < d[i].n_hwids; k++)
			wf_sb_addf(out, "id = \"%s\",\"%s\"%s", d[i].hwids[k], d[i].svc, eol);
		wf_sb_addf(out, "%s[Config.%s]%svalue = \"\", Tag, REG_DWORD, 1%s", eol, d[i].svc,
			   eol, eol);
	}
}
