/*
 * scenario.h - the scenario spec parser of mkimages (header-only: static
 * functions, included by mkimages.c only).
 *
 * A scenario is a folder tests/scenarios/<name>/ with a file `scenario`; the
 * line format is documented in tests/scenarios/README.md.  Parsing resolves
 * every file name relative to the file that names it, folds every byte the
 * image depends on (spec, includes, .reg parts, copied files) into a 64-bit
 * FNV-1a hash, and returns one `struct scn`:
 *
 *   struct scn *s = scn_load("tests/scenarios/xp-ide", &err);
 *   if (!s) ... err.msg says "tests/scenarios/xp-ide/scenario:12: ..."
 *   ... s->parts, s->items, s->hash ...
 *   scn_free(s);
 */
#ifndef KIT_SCENARIO_H
#define KIT_SCENARIO_H

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kitlib.h"
#include "strbuf.h"

/* Bump when the builder changes what it writes for the same spec: every
 * cached image is rebuilt. */
#define SCN_BUILDER_VERSION "mkimages-4"

#define SCN_MAX_PARTS 8

enum scn_item_kind {
	SCN_MKDIR,	/* mkdir PATH */
	SCN_HIVE,	/* hive PATH SYSTEM|SOFTWARE|BCD00000000 REG... */
	SCN_COPYKEY,	/* copykey HIVEPATH SRCKEY DSTKEY */
	SCN_CORRUPT,	/* corrupt-hive HIVEPATH */
	SCN_DIRTY,	/* dirty-hive HIVEPATH REG...: changes only in HIVEPATH.LOG1/.LOG2 */
	SCN_PE,		/* pe PATH SUBSYSTEM [dll] [machine=] [os=] IMPORT... */
	SCN_FILE,	/* file PATH SRC [crlf] */
	SCN_WRITE,	/* write PATH TEXT */
	SCN_CAB,	/* cab PATH ITEM...: earlier items packed into a cabinet */
};

struct scn_item {
	enum scn_item_kind kind;
	int part;		/* index into parts[] */
	char *gpath;		/* path inside the partition, '/'-separated, no leading '/' */
	char **args;		/* kind-specific: reg files, keys, imports, source */
	size_t nargs;
	char *hive_name;	/* SCN_HIVE: "SYSTEM" / "SOFTWARE" */
	char *text;		/* SCN_WRITE */
	int crlf;		/* SCN_FILE: LF -> CRLF on copy */
	int omit;		/* `omit PATH`: built (for a cab) but not put in the guest */
	struct kit_pe pe;	/* SCN_PE (pe.imports points into args) */
	char *sign;		/* SCN_PE: "whql" / "test" (kit_sign_pe), NULL unsigned */
	char *where;		/* "file:line" for messages */
	char *host;		/* filled by the builder: file to upload */
};

struct scn_part {
	char *name;
	uint64_t size;		/* bytes; 0 = the rest of the disk */
	char *fs;		/* ntfs vfat ext4 bitlocker raw */
	char *label, *type, *guid, *gptname;
	int boot;
	unsigned geo_heads, geo_spt;	/* ntfs: BPB heads / sectors per track to write (0: mkntfs's) */
	uint64_t start, end;	/* sectors, filled by scn_layout */
};

struct scn {
	char *name, *dir, *spec;
	int qcow2;
	uint64_t size;
	char table[8];		/* "mbr" "gpt" "none" */
	uint32_t disksig;
	int has_disksig;
	struct scn_part parts[SCN_MAX_PARTS];
	size_t nparts;
	struct scn_item *items;
	size_t nitems;
	uint64_t hash;
	/* parser state */
	int cur_part;
	uint16_t machine, os_major, os_minor;
};

static void scn_hash_bytes(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) {
		*h ^= c[i];
		*h *= 0x100000001b3ULL;
	}
}

static char *scn_read_file(const char *path, size_t *len, struct wf_error *e)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	if (wf_sb_read_file(&sb, path, 0, e) < 0) {
		wf_sb_release(&sb);
		return NULL;
	}
	*len = sb.len;
	return wf_sb_detach(&sb);
}

/* Hash a file the image depends on: its name (as written) and its bytes. */
static int scn_hash_file(struct scn *s, const char *path, struct wf_error *e)
{
	size_t len;
	char *d = scn_read_file(path, &len, e);
	if (!d)
		return -1;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;	/* not the path: callers spell it differently */
	scn_hash_bytes(&s->hash, base, strlen(base) + 1);
	scn_hash_bytes(&s->hash, d, len);
	free(d);
	return 0;
}

/* `rel` relative to the folder of `file` (absolute paths kept). */
static char *scn_resolve(const char *file, const char *rel)
{
	if (rel[0] == '/')
		return wf_xstrdup(rel);
	const char *slash = strrchr(file, '/');
	if (!slash)
		return wf_xstrdup(rel);
	return wf_xasprintf("%.*s/%s", (int)(slash - file), file, rel);
}

/* Split a line into words at blanks; a "double quoted" stretch (also inside
 * a word, as in label="System Reserved") keeps its blanks, with \" and \\
 * escapes.  Returns the count, -1 on an unterminated quote or too many. */
static int scn_split(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		char *out = p;
		w[n++] = out;
		int q = 0;
		while (*p && (q || (*p != ' ' && *p != '\t'))) {
			if (*p == '"') {
				q = !q;
				p++;
				continue;
			}
			if (q && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			*out++ = *p++;
		}
		if (q)
			return -1;
		int more = *p != 0;
		*out = 0;
		if (more)
			p++;
		if (!more)
			return n;
	}
}

static int scn_parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	case 0: break;
	default: return -1;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static const char *scn_opt(const char *word, const char *key)
{
	size_t n = strlen(key);
	if (strncmp(word, key, n) == 0 && word[n] == '=')
		return word + n + 1;
	return NULL;
}

static char *scn_clean_gpath(const char *p)
{
	while (*p == '/')
		p++;
	return wf_xstrdup(p);
}

static struct scn_item *scn_new_item(struct scn *s, enum scn_item_kind k,
				     const char *where)
{
	s->items = wf_xrealloc(s->items, (s->nitems + 1) * sizeof *s->items);
	struct scn_item *it = &s->items[s->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = k;
	it->part = s->cur_part;
	it->where = wf_xstrdup(where);
	return it;
}

static void scn_add_arg(struct scn_item *it, const char *a)
{
	it->args = wf_xrealloc(it->args, (it->nargs + 2) * sizeof *it->args);
	it->args[it->nargs++] = wf_xstrdup(a);
	it->args[it->nargs] = NULL;
}

/* The latest item of the current partition written to guest path `gp`. */
static struct scn_item *scn_find_item(struct scn *s, const char *gp)
{
	char *c = scn_clean_gpath(gp);
	struct scn_item *found = NULL;
	for (size_t i = s->nitems; i-- > 0 && !found;)
		if (s->items[i].part == s->cur_part && s->items[i].gpath &&
		    s->items[i].kind != SCN_MKDIR && !strcmp(s->items[i].gpath, c))
			found = &s->items[i];
	free(c);
	return found;
}

/* cab PATH ITEM...: the cabinet holds earlier files under their base
 * names; omit PATH: an earlier file stays out of the guest (it may still
 * be in a cabinet, as XP keeps pciide.sys only in driver.cab). */
static int scn_cab_cmd(struct scn *s, char **w, int n, const char *where,
		       struct wf_error *e)
{
	if (!strcmp(w[0], "omit")) {
		struct scn_item *it = n == 2 ? scn_find_item(s, w[1]) : NULL;
		if (!it)
			return wf_error_set(e, WF_ERR_INPUT, "%s: usage: omit PATH (a file declared above)", where);
		it->omit = 1;
		return 0;
	}
	if (n < 3)
		return wf_error_set(e, WF_ERR_INPUT, "%s: usage: cab PATH ITEM... (files declared above)", where);
	for (int i = 2; i < n; i++)
		if (!scn_find_item(s, w[i]))
			return wf_error_set(e, WF_ERR_INPUT, "%s: cab member '%s' is not a file declared above", where, w[i]);
	struct scn_item *it = scn_new_item(s, SCN_CAB, where);
	it->gpath = scn_clean_gpath(w[1]);
	for (int i = 2; i < n; i++) {
		char *c = scn_clean_gpath(w[i]);
		scn_add_arg(it, c);
		free(c);
	}
	return 0;
}

static int scn_part_cmd(struct scn *s, char **w, int n, const char *where,
			struct wf_error *e)
{
	if (n < 4)
		return wf_error_set(e, WF_ERR_INPUT, "%s: usage: part NAME SIZE|rest FSTYPE [options]", where);
	if (s->nparts == SCN_MAX_PARTS)
		return wf_error_set(e, WF_ERR_INPUT, "%s: too many partitions", where);
	struct scn_part *p = &s->parts[s->nparts];
	memset(p, 0, sizeof *p);
	if (strcmp(w[2], "rest") != 0 && (scn_parse_size(w[2], &p->size) < 0 || p->size < (1 << 20)))
		return wf_error_set(e, WF_ERR_INPUT, "%s: bad partition size '%s' (at least 1M, or 'rest')", where, w[2]);
	static const char *const fss[] = { "ntfs", "vfat", "ext4", "bitlocker", "raw", NULL };
	int ok = 0;
	for (int i = 0; fss[i]; i++)
		ok |= strcmp(w[3], fss[i]) == 0;
	if (!ok)
		return wf_error_set(e, WF_ERR_INPUT, "%s: unknown filesystem '%s' (ntfs vfat ext4 bitlocker raw)", where, w[3]);
	for (int i = 4; i < n; i++) {
		const char *v;
		if ((v = scn_opt(w[i], "label")))
			p->label = wf_xstrdup(v);
		else if ((v = scn_opt(w[i], "type")))
			p->type = wf_xstrdup(v);
		else if ((v = scn_opt(w[i], "guid")))
			p->guid = wf_xstrdup(v);
		else if ((v = scn_opt(w[i], "name")))
			p->gptname = wf_xstrdup(v);
		else if (strcmp(w[i], "boot") == 0)
			p->boot = 1;
		else if ((v = scn_opt(w[i], "geometry"))) {
			if (sscanf(v, "%u/%u", &p->geo_heads, &p->geo_spt) != 2 || !p->geo_heads ||
			    p->geo_heads > 255 || !p->geo_spt || p->geo_spt > 63 || strcmp(w[3], "ntfs"))
				return wf_error_set(e, WF_ERR_INPUT, "%s: geometry=HEADS/SECTORS (1-255/1-63) is for ntfs partitions", where);
		} else
			return wf_error_set(e, WF_ERR_INPUT, "%s: unknown partition option '%s'", where, w[i]);
	}
	p->name = wf_xstrdup(w[1]);
	p->fs = wf_xstrdup(w[3]);
	s->cur_part = (int)s->nparts++;
	return 0;
}

static int scn_pe_cmd(struct scn *s, char **w, int n, const char *file,
		      const char *where, struct wf_error *e)
{
	if (n < 3)
		return wf_error_set(e, WF_ERR_INPUT, "%s: usage: pe PATH native|console|gui [dll] [machine=] [os=] [signed=whql|test] IMPORT...", where);
	struct scn_item *it = scn_new_item(s, SCN_PE, where);
	it->gpath = scn_clean_gpath(w[1]);
	it->pe.machine = s->machine;
	it->pe.os_major = s->os_major;
	it->pe.os_minor = s->os_minor;
	if (!strcmp(w[2], "native"))
		it->pe.subsystem = KIT_PE_NATIVE;
	else if (!strcmp(w[2], "console"))
		it->pe.subsystem = KIT_PE_CONSOLE;
	else if (!strcmp(w[2], "gui"))
		it->pe.subsystem = KIT_PE_GUI;
	else
		return wf_error_set(e, WF_ERR_INPUT, "%s: subsystem '%s' is not native, console or gui", where, w[2]);
	for (int i = 3; i < n; i++) {
		const char *v;
		unsigned a, b;
		if (!strcmp(w[i], "dll"))
			it->pe.dll = 1;
		else if ((v = scn_opt(w[i], "machine"))) {
			if (!strcmp(v, "i386"))
				it->pe.machine = KIT_PE_I386;
			else if (!strcmp(v, "amd64"))
				it->pe.machine = KIT_PE_AMD64;
			else
				return wf_error_set(e, WF_ERR_INPUT, "%s: machine '%s' is not i386 or amd64", where, v);
		} else if ((v = scn_opt(w[i], "os"))) {
			if (sscanf(v, "%u.%u", &a, &b) != 2)
				return wf_error_set(e, WF_ERR_INPUT, "%s: bad os version '%s'", where, v);
			it->pe.os_major = (uint16_t)a;
			it->pe.os_minor = (uint16_t)b;
		} else if ((v = scn_opt(w[i], "signed"))) {
			if (strcmp(v, "whql") && strcmp(v, "test"))
				return wf_error_set(e, WF_ERR_INPUT, "%s: signed=%s is not whql or test", where, v);
			free(it->sign);
			it->sign = wf_xstrdup(v);
		} else
			scn_add_arg(it, w[i]);
	}
	if (!it->pe.machine)
		return wf_error_set(e, WF_ERR_INPUT, "%s: no machine (give machine= or an 'arch' line first)", where);
	it->pe.imports = (const char *const *)it->args;
	(void)file;
	return 0;
}

static int scn_parse_file(struct scn *s, const char *file, int depth,
			  struct wf_error *e);

static int scn_line(struct scn *s, char **w, int n, const char *file,
		    const char *where, int depth, struct wf_error *e)
{
	const char *cmd = w[0];
	struct scn_item *it;
	/* every content line needs a partition with a filesystem */
	int content = !strcmp(cmd, "mkdir") || !strcmp(cmd, "hive") || !strcmp(cmd, "pe") ||
		      !strcmp(cmd, "file") || !strcmp(cmd, "write");
	if (content && (s->cur_part < 0 || !strcmp(s->parts[s->cur_part].fs, "raw") ||
			!strcmp(s->parts[s->cur_part].fs, "bitlocker")))
		return wf_error_set(e, WF_ERR_INPUT, "%s: '%s' needs a partition with a filesystem first ('part' or 'on')", where, cmd);

	if (!strcmp(cmd, "include") && n == 2) {
		if (depth > 8)
			return wf_error_set(e, WF_ERR_INPUT, "%s: includes nested too deep", where);
		char *p = scn_resolve(file, w[1]);
		int r = scn_parse_file(s, p, depth + 1, e);
		free(p);
		return r;
	} else if (!strcmp(cmd, "format") && n == 2) {
		if (strcmp(w[1], "raw") && strcmp(w[1], "qcow2"))
			return wf_error_set(e, WF_ERR_INPUT, "%s: format is raw or qcow2", where);
		s->qcow2 = !strcmp(w[1], "qcow2");
	} else if (!strcmp(cmd, "size") && n == 2) {
		if (scn_parse_size(w[1], &s->size) < 0 || s->size < (8 << 20) || s->size % 512)
			return wf_error_set(e, WF_ERR_INPUT, "%s: bad disk size '%s' (at least 8M)", where, w[1]);
	} else if (!strcmp(cmd, "table") && n == 2) {
		if (strcmp(w[1], "mbr") && strcmp(w[1], "gpt") && strcmp(w[1], "none"))
			return wf_error_set(e, WF_ERR_INPUT, "%s: table is mbr, gpt or none", where);
		snprintf(s->table, sizeof s->table, "%s", w[1]);
	} else if (!strcmp(cmd, "disksig") && n == 2) {
		s->disksig = (uint32_t)strtoul(w[1], NULL, 0);
		s->has_disksig = 1;
	} else if (!strcmp(cmd, "part")) {
		return scn_part_cmd(s, w, n, where, e);
	} else if (!strcmp(cmd, "on") && n == 2) {
		for (size_t i = 0; i < s->nparts; i++)
			if (!strcmp(s->parts[i].name, w[1])) {
				s->cur_part = (int)i;
				return 0;
			}
		return wf_error_set(e, WF_ERR_INPUT, "%s: no partition named '%s'", where, w[1]);
	} else if (!strcmp(cmd, "arch") && n == 2) {
		if (!strcmp(w[1], "i386"))
			s->machine = KIT_PE_I386;
		else if (!strcmp(w[1], "amd64"))
			s->machine = KIT_PE_AMD64;
		else
			return wf_error_set(e, WF_ERR_INPUT, "%s: arch is i386 or amd64", where);
	} else if (!strcmp(cmd, "osver") && n == 2) {
		unsigned a, b;
		if (sscanf(w[1], "%u.%u", &a, &b) != 2)
			return wf_error_set(e, WF_ERR_INPUT, "%s: bad osver '%s'", where, w[1]);
		s->os_major = (uint16_t)a;
		s->os_minor = (uint16_t)b;
	} else if (!strcmp(cmd, "mkdir") && n == 2) {
		it = scn_new_item(s, SCN_MKDIR, where);
		it->gpath = scn_clean_gpath(w[1]);
	} else if (!strcmp(cmd, "hive") && n >= 4) {
		if (strcmp(w[2], "SYSTEM") && strcmp(w[2], "SOFTWARE") && strcmp(w[2], "BCD00000000"))
			return wf_error_set(e, WF_ERR_INPUT, "%s: hive name is SYSTEM, SOFTWARE or "
					    "BCD00000000 (a BCD store)", where);
		it = scn_new_item(s, SCN_HIVE, where);
		it->gpath = scn_clean_gpath(w[1]);
		it->hive_name = wf_xstrdup(w[2]);
		for (int i = 3; i < n; i++) {
			char *p = scn_resolve(file, w[i]);
			scn_add_arg(it, p);
			int r = scn_hash_file(s, p, e);
			free(p);
			if (r < 0)
				return wf_error_prefix(e, "%s", where);
		}
	} else if (!strcmp(cmd, "copykey") && n == 4) {
		it = scn_new_item(s, SCN_COPYKEY, where);
		it->gpath = scn_clean_gpath(w[1]);
		scn_add_arg(it, w[2]);
		scn_add_arg(it, w[3]);
	} else if (!strcmp(cmd, "dirty-hive") && n >= 3) {
		it = scn_new_item(s, SCN_DIRTY, where);
		it->gpath = scn_clean_gpath(w[1]);
		for (int i = 2; i < n; i++) {
			char *p = scn_resolve(file, w[i]);
			scn_add_arg(it, p);
			int r = scn_hash_file(s, p, e);
			free(p);
			if (r < 0)
				return wf_error_prefix(e, "%s", where);
		}
	} else if (!strcmp(cmd, "corrupt-hive") && n == 2) {
		it = scn_new_item(s, SCN_CORRUPT, where);
		it->gpath = scn_clean_gpath(w[1]);
	} else if (!strcmp(cmd, "pe")) {
		return scn_pe_cmd(s, w, n, file, where, e);
	} else if (!strcmp(cmd, "cab") || !strcmp(cmd, "omit")) {
		return scn_cab_cmd(s, w, n, where, e);
	} else if (!strcmp(cmd, "file") && (n == 3 || (n == 4 && !strcmp(w[3], "crlf")))) {
		it = scn_new_item(s, SCN_FILE, where);
		it->gpath = scn_clean_gpath(w[1]);
		char *p = scn_resolve(file, w[2]);
		scn_add_arg(it, p);
		it->crlf = n == 4;
		int r = scn_hash_file(s, p, e);
		free(p);
		if (r < 0)
			return wf_error_prefix(e, "%s", where);
	} else if (!strcmp(cmd, "write") && n == 3) {
		it = scn_new_item(s, SCN_WRITE, where);
		it->gpath = scn_clean_gpath(w[1]);
		/* \n and \r escapes */
		struct wf_strbuf sb = WF_STRBUF_INIT;
		for (const char *p = w[2]; *p; p++) {
			if (p[0] == '\\' && p[1] == 'n') {
				wf_sb_addc(&sb, '\n');
				p++;
			} else if (p[0] == '\\' && p[1] == 'r') {
				wf_sb_addc(&sb, '\r');
				p++;
			} else
				wf_sb_addc(&sb, *p);
		}
		it->text = sb.alloc ? wf_sb_detach(&sb) : wf_xstrdup("");
	} else {
		return wf_error_set(e, WF_ERR_INPUT, "%s: unknown or malformed line '%s' (%d words)", where, cmd, n);
	}
	return 0;
}

static int scn_parse_file(struct scn *s, const char *file, int depth,
			  struct wf_error *e)
{
	size_t len;
	char *text = scn_read_file(file, &len, e);
	if (!text)
		return -1;
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	scn_hash_bytes(&s->hash, base, strlen(base) + 1);
	scn_hash_bytes(&s->hash, text, len);
	if (memchr(text, 0, len)) {
		free(text);
		return wf_error_set(e, WF_ERR_INPUT, "%s: binary data in a spec file", file);
	}
	int lineno = 0, rc = 0;
	char *next = text;
	while (next && rc == 0) {
		char *line = next;
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = 0;
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		char *w[64];
		char where[600];
		snprintf(where, sizeof where, "%s:%d", file, lineno);
		int n = scn_split(p, w, 64);
		if (n < 0)
			rc = wf_error_set(e, WF_ERR_INPUT, "%s: unterminated quote or too many words", where);
		else
			rc = scn_line(s, w, n, file, where, depth, e);
	}
	free(text);
	return rc;
}

/* Partition layout: 1 MiB aligned, first at sector 2048; "rest" runs to the
 * end (minus the GPT backup area). */
static int scn_layout(struct scn *s, struct wf_error *e)
{
	uint64_t total = s->size / 512, next = 2048;
	uint64_t last = total - (strcmp(s->table, "gpt") ? 1 : 34);
	if (!strcmp(s->table, "none")) {
		if (s->nparts > 1)
			return wf_error_set(e, WF_ERR_INPUT, "%s: table none allows one whole-disk volume", s->spec);
		if (s->nparts == 1) {
			s->parts[0].start = 0;
			s->parts[0].end = total - 1;
		}
		return 0;
	}
	if (!strcmp(s->table, "mbr") && s->nparts > 4)
		return wf_error_set(e, WF_ERR_INPUT, "%s: mbr: at most 4 primary partitions", s->spec);
	for (size_t i = 0; i < s->nparts; i++) {
		struct scn_part *p = &s->parts[i];
		p->start = next;
		p->end = p->size ? next + p->size / 512 - 1 : last;
		if (!p->size && i + 1 != s->nparts)
			return wf_error_set(e, WF_ERR_INPUT, "%s: only the last partition may be 'rest'", s->spec);
		if (p->end > last)
			return wf_error_set(e, WF_ERR_INPUT, "%s: partition %s does not fit on the disk", s->spec, p->name);
		next = (p->end + 1 + 2047) / 2048 * 2048;
	}
	return 0;
}

static void scn_free(struct scn *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nitems; i++) {
		struct scn_item *it = &s->items[i];
		for (size_t j = 0; j < it->nargs; j++)
			free(it->args[j]);
		free(it->args);
		free(it->gpath);
		free(it->hive_name);
		free(it->text);
		free(it->sign);
		free(it->where);
		free(it->host);
	}
	free(s->items);
	for (size_t i = 0; i < s->nparts; i++) {
		struct scn_part *p = &s->parts[i];
		free(p->name);
		free(p->fs);
		free(p->label);
		free(p->type);
		free(p->guid);
		free(p->gptname);
	}
	free(s->name);
	free(s->dir);
	free(s->spec);
	free(s);
}

/* Load <dir>/scenario.  NULL with a message naming file and line. */
static struct scn *scn_load(const char *dir, struct wf_error *e)
{
	struct scn *s = wf_xcalloc(1, sizeof *s);
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	s->dir = wf_xstrndup(dir, dl);
	const char *base = strrchr(s->dir, '/');
	s->name = wf_xstrdup(base ? base + 1 : s->dir);
	s->spec = wf_xasprintf("%s/scenario", s->dir);
	s->hash = 0xcbf29ce484222325ULL;
	scn_hash_bytes(&s->hash, SCN_BUILDER_VERSION, sizeof SCN_BUILDER_VERSION);
	s->size = 128 << 20;
	snprintf(s->table, sizeof s->table, "none");
	s->cur_part = -1;
	if (scn_parse_file(s, s->spec, 0, e) < 0 || scn_layout(s, e) < 0) {
		scn_free(s);
		return NULL;
	}
	return s;
}

#endif
