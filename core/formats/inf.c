/*
 * inf.c - INF parser (see inf.h).  Two passes: the text becomes a list of
 * sections of lines (key + fields), then the facts are looked up in it.
 */
#include "inf.h"
#include "hive.h"
#include "strbuf.h"
#include "strmap.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INF_MAX_BYTES (4u << 20)
#define INF_MAX_FIELDS 256
#define INF_MAX_SUBST 64	/* %x% substitutions per field */
#define INF_MAX_MODELS 4096	/* models kept; bounds the services pass */
#define INF_MAX_ADDREG 512	/* AddReg lines kept per install or service section */
/* Work per file, so that every pass is linear in the file's size (a 79 KB
 * INF once made 490 MB of substituted strings, a 1 MB one with
 * continuation lines took 40 s).  MS "General Syntax Rules for INF Files"
 * allows 4096 characters per line (continuations included) and per
 * substituted string; these leave a wide margin. */
#define INF_MAX_LINE (64u << 10)	/* logical line, continuations joined */
#define INF_MAX_VALUE (16u << 10)	/* one field after %x% substitution */
#define INF_MAX_SUBST_TOTAL (16u << 20)	/* substituted bytes, whole file */
#define INF_MAX_ADDREG_TOTAL 16384	/* AddReg lines kept, whole file */

/* Room for element n of an array that holds n: its size doubles at each
 * power of two, so N appends copy O(N) bytes, not O(N^2) (a realloc that
 * cannot grow in place copies the whole array). */
static void *grow(void *v, size_t n, size_t size)
{
	if (n & (n - 1))
		return v;
	return wf_xrealloc(v, (n ? 2 * n : 1) * size);
}

struct iline {
	char *key;		/* NULL: a line without '=' */
	char **f;		/* fields */
	size_t nf;
	unsigned long no;	/* line number */
};

struct isect {
	char *name;
	struct iline *l;
	size_t n, alloc;
};

struct idoc {
	struct isect *s;
	size_t n, alloc;
	struct wf_strmap by_name;	/* section name -> first section of it */
	const struct isect *strings;
	struct wf_strmap by_key;	/* [Strings] key -> its first line */
	size_t subst_left;		/* INF_MAX_SUBST_TOTAL, spent by subst() */
	size_t addreg_left;		/* INF_MAX_ADDREG_TOTAL */
};

static void doc_free(struct idoc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t k = 0; k < d->s[i].n; k++) {
			free(d->s[i].l[k].key);
			for (size_t j = 0; j < d->s[i].l[k].nf; j++)
				free(d->s[i].l[k].f[j]);
			free(d->s[i].l[k].f);
		}
		free(d->s[i].l);
		free(d->s[i].name);
	}
	free(d->s);
	wf_strmap_free(&d->by_name);
	wf_strmap_free(&d->by_key);
}

/* The text as UTF-8: UTF-16LE (BOM or NUL every other byte), else as is. */
static char *decode(const unsigned char *b, size_t len)
{
	if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
		return wf_utf16le_to_utf8(b + 2, len - 2);
	if (len >= 4 && b[1] == 0 && b[3] == 0 && b[0] && b[2])
		return wf_utf16le_to_utf8(b, len);
	if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
		b += 3, len -= 3;
	char *s = wf_xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		s[i] = b[i] ? (char)b[i] : ' ';
	s[len] = '\0';
	return s;
}

/* One field: trim, unquote ("" inside quotes is a quote). */
static char *field(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int q = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"') {
			if (q && i + 1 < n && p[i + 1] == '"') {
				wf_sb_addc(&sb, '"');
				i++;
			} else {
				q = !q;
			}
			continue;
		}
		wf_sb_addc(&sb, p[i]);
	}
	return wf_sb_detach(&sb);
}

static void add_line(struct isect *s, char *text, unsigned long no)
{
	struct iline l = { NULL, NULL, 0, no };
	char *eq = NULL;
	int q = 0;
	for (char *p = text; *p && !eq; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == '=' && !q)
			eq = p;
	}
	char *rest = text;
	if (eq) {
		l.key = field(text, (size_t)(eq - text));
		rest = eq + 1;
	}
	l.f = wf_xcalloc(1, sizeof *l.f);
	q = 0;
	char *start = rest;
	for (char *p = rest;; p++) {
		if (*p == '"')
			q = !q;
		if ((*p == ',' && !q) || !*p) {
			if (l.nf < INF_MAX_FIELDS) {
				l.f = grow(l.f, l.nf, sizeof *l.f);
				l.f[l.nf++] = field(start, (size_t)(p - start));
			}
			if (!*p)
				break;
			start = p + 1;
		}
	}
	if (!l.key && l.nf == 1 && !l.f[0][0]) {
		free(l.f[0]);
		free(l.f);
		return;		/* blank */
	}
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 8;
		s->l = wf_xrealloc(s->l, s->alloc * sizeof *s->l);
	}
	s->l[s->n++] = l;
}

/* Strip a ';' comment outside quotes from line[from..], quote state `q`
 * carried over from a previous part; returns the state at the end. */
static int uncomment_from(struct wf_strbuf *line, size_t from, int q)
{
	for (size_t i = from; i < line->len; i++) {
		if (line->buf[i] == '"')
			q = !q;
		else if (line->buf[i] == ';' && !q) {
			wf_sb_truncate(line, i);
			break;
		}
	}
	return q;
}

static void new_section(struct idoc *d, const char *text, size_t len)
{
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 16;
		d->s = wf_xrealloc(d->s, d->alloc * sizeof *d->s);
	}
	struct isect *cur = &d->s[d->n];
	memset(cur, 0, sizeof *cur);
	const char *end = memchr(text + 1, ']', len - 1);
	cur->name = wf_xstrndup(text + 1, end ? (size_t)(end - text - 1) : len - 1);
	wf_trim(cur->name);
	wf_strmap_put(&d->by_name, cur->name, d->n);
	d->n++;
}

/* Lines are joined by a trailing '\'.  Each physical line is cleaned once
 * as it is appended (comment, CR, trailing blanks), so a line continued
 * N times costs N, not N^2; a logical line stops growing at INF_MAX_LINE. */
static int parse_doc(const char *text, struct idoc *d)
{
	struct wf_strbuf line = WF_STRBUF_INIT;
	unsigned long no = 0, first = 0;
	const char *p = text;
	size_t cur = (size_t)-1;
	int q = 0;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		no++;
		if (!line.len)
			first = no, q = 0;
		size_t from = line.len;
		size_t room = INF_MAX_LINE - line.len;
		wf_sb_add(&line, p, n < room ? n : room);
		p += n + (nl != NULL);
		q = uncomment_from(&line, from, q);
		while (line.len > from && strchr(" \t\r", line.buf[line.len - 1]))
			wf_sb_truncate(&line, line.len - 1);
		if (line.len && line.buf[line.len - 1] == '\\' && *p) {
			wf_sb_truncate(&line, line.len - 1);
			continue;
		}
		wf_trim(line.buf);
		wf_sb_truncate(&line, strlen(line.buf));
		if (line.buf[0] == '[') {
			new_section(d, line.buf, line.len);
			cur = d->n - 1;
		} else if (line.len && cur != (size_t)-1) {
			add_line(&d->s[cur], line.buf, first);
		}
		wf_sb_reset(&line);
	}
	wf_sb_release(&line);
	return 0;
}

static const struct isect *sect(const struct idoc *d, const char *name)
{
	size_t i;
	return wf_strmap_get(&d->by_name, name, &i) ? &d->s[i] : NULL;
}

/* %key% from [Strings]; %% is %; unknown keys and %12% stay as written.
 * The result stops at INF_MAX_VALUE bytes, and substitution stops for the
 * rest of the file once INF_MAX_SUBST_TOTAL bytes were made (the text is
 * then kept as written): at most file size + that budget, whatever the
 * references. */
static char *subst(struct idoc *d, const char *s)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int done = 0;
	while (*s && sb.len < INF_MAX_VALUE) {
		const char *pc = s[0] == '%' ? strchr(s + 1, '%') : NULL;
		if (!pc || done >= INF_MAX_SUBST || !d->subst_left) {
			wf_sb_addc(&sb, *s++);
			continue;
		}
		done++;
		if (pc == s + 1) {
			wf_sb_addc(&sb, '%');
			s += 2;
			continue;
		}
		char *k = wf_xstrndup(s + 1, (size_t)(pc - s - 1));
		size_t at;
		const char *val = d->strings && wf_strmap_get(&d->by_key, k, &at)
				  ? d->strings->l[at].f[0] : NULL;
		size_t before = sb.len;
		for (const char *v = val; v && *v && sb.len < INF_MAX_VALUE; v++) {
			wf_sb_addc(&sb, *v);	/* %% in a string is % */
			if (v[0] == '%' && v[1] == '%')
				v++;
		}
		size_t made = sb.len - before;
		d->subst_left -= made < d->subst_left ? made : d->subst_left;
		if (!val)
			wf_sb_add(&sb, s, (size_t)(pc - s + 1));
		free(k);
		s = pc + 1;
	}
	return wf_sb_detach(&sb);
}

/* The first field of key `k` in section `s`, substituted; NULL if none. */
static char *get(struct idoc *d, const struct isect *s, const char *k)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->l[i].key && wf_streqi(s->l[i].key, k) && s->l[i].nf)
			return subst(d, s->l[i].f[0]);
	return NULL;
}

static const char *arch_word(const char *arch)
{
	if (!arch || wf_streqi(arch, "amd64") || wf_streqi(arch, "x86_64"))
		return "amd64";
	if (wf_streqi(arch, "x86") || wf_streqi(arch, "i386"))
		return "x86";
	return arch;
}

static void strv_push(char ***v, size_t *n, const char *s)
{
	*v = grow(*v, *n, sizeof **v);
	(*v)[(*n)++] = wf_xstrdup(s);
}


/* --- facts ------------------------------------------------------------------------ */

static void version_facts(struct idoc *d, const char *arch, struct wf_inf *out)
{
	const struct isect *v = sect(d, "Version");
	out->class_name = get(d, v, "Class");
	out->class_guid = get(d, v, "ClassGuid");
	out->provider = get(d, v, "Provider");
	char key[64];
	snprintf(key, sizeof key, "CatalogFile.NT%s", arch);
	out->catalog = get(d, v, key);
	if (!out->catalog)
		out->catalog = get(d, v, "CatalogFile.NT");
	if (!out->catalog)
		out->catalog = get(d, v, "CatalogFile");
	for (size_t i = 0; i < v->n; i++) {
		const struct iline *l = &v->l[i];
		if (!l->key || !wf_streqi(l->key, "DriverVer"))
			continue;
		out->driver_date = l->nf > 0 && l->f[0][0] ? subst(d, l->f[0]) : NULL;
		out->driver_version = l->nf > 1 && l->f[1][0] ? subst(d, l->f[1]) : NULL;
		break;
	}
}

/* "NTamd64.10.0...16299" applies to arch amd64; "NT" and "" to all. */
static int decoration_matches(const char *deco, const char *arch)
{
	if (!wf_startswithi(deco, "NT"))
		return 0;
	const char *a = deco + 2;
	size_t n = strcspn(a, ".");
	return n == 0 || (n == strlen(arch) && strncasecmp(a, arch, n) == 0);
}

static void add_models(struct idoc *d, const struct isect *s, const char *deco,
		       struct wf_inf *out)
{
	for (size_t i = 0; s && i < s->n && out->n_models < INF_MAX_MODELS; i++) {
		const struct iline *l = &s->l[i];
		if (!l->key || l->nf < 2 || !l->f[0][0])
			continue;
		out->models = grow(out->models, out->n_models, sizeof *out->models);
		struct wf_inf_model *m = &out->models[out->n_models++];
		memset(m, 0, sizeof *m);
		m->desc = subst(d, l->key);
		m->install = subst(d, l->f[0]);
		m->decoration = wf_xstrdup(deco);
		for (size_t k = 1; k < l->nf; k++)
			if (l->f[k][0]) {
				char *h = subst(d, l->f[k]);
				strv_push(&m->hwids, &m->n_hwids, h);
				free(h);
			}
	}
}

static void models_facts(struct idoc *d, const char *arch, struct wf_inf *out)
{
	const struct isect *mf = sect(d, "Manufacturer");
	for (size_t i = 0; mf && i < mf->n && i < 64; i++) {
		const struct iline *l = &mf->l[i];
		if (!l->nf || !l->f[0][0])
			continue;
		char *base = subst(d, l->f[0]);
		add_models(d, sect(d, base), "", out);
		for (size_t k = 1; k < l->nf && k < 16; k++) {
			if (!decoration_matches(l->f[k], arch))
				continue;
			char *name = wf_xasprintf("%s.%s", base, l->f[k]);
			add_models(d, sect(d, name), l->f[k], out);
			free(name);
		}
		free(base);
	}
}

static int num(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);
	if (end == s)
		return 0;
	*out = (uint32_t)v;
	return 1;
}

/* --- AddReg ------------------------------------------------------------------------ */

/* REG_* of FLG_ADDREG_TYPE_* (MS "INF AddReg Directive": the type is in
 * bit 0 and the high word; bit 0 with another high word = that type,
 * binary data). */
static uint32_t addreg_type(uint32_t flags)
{
	switch (flags & 0xffff0001u) {
	case 0x00000000u: return WF_REG_SZ;
	case 0x00010000u: return WF_REG_MULTI_SZ;
	case 0x00020000u: return WF_REG_EXPAND_SZ;
	case 0x00000001u: return WF_REG_BINARY;
	case 0x00010001u: return WF_REG_DWORD;
	case 0x00020001u: return WF_REG_NONE;
	default: return flags & 1u ? flags >> 16 : WF_REG_SZ;
	}
}

static void reg_bytes(const struct iline *l, struct wf_inf_reg *r)
{
	r->data = wf_xmalloc(l->nf);
	for (size_t k = 4; k < l->nf; k++) {
		uint32_t b = 0;
		char *end;
		unsigned long v = strtoul(l->f[k], &end, 16);
		if (end != l->f[k])
			b = (uint32_t)v;
		r->data[r->len++] = (unsigned char)b;
	}
}

static void reg_value(struct idoc *d, const struct iline *l, struct wf_inf_reg *r)
{
	if (r->type == WF_REG_SZ || r->type == WF_REG_EXPAND_SZ || r->type == WF_REG_MULTI_SZ) {
		for (size_t k = 4; k < l->nf; k++) {
			char *v = subst(d, l->f[k]);
			strv_push(&r->strs, &r->n_strs, v);
			free(v);
			if (r->type != WF_REG_MULTI_SZ)
				break;
		}
		if (!r->n_strs && r->type != WF_REG_MULTI_SZ)
			strv_push(&r->strs, &r->n_strs, "");
	} else if (r->type == WF_REG_DWORD && l->nf == 5) {
		uint32_t v = 0;
		char *s = subst(d, l->f[4]);
		num(s, &v);
		free(s);
		r->data = wf_xmalloc(4);
		for (int i = 0; i < 4; i++)
			r->data[i] = (unsigned char)(v >> (8 * i));
		r->len = 4;
	} else {
		reg_bytes(l, r);	/* BINARY, NONE, a DWORD written as bytes, other types */
	}
}

static void add_reg_line(struct idoc *d, const struct iline *l, struct wf_inf_reg **v, size_t *n)
{
	if (l->key || l->nf < 1 || !l->f[0][0] || *n >= INF_MAX_ADDREG || !d->addreg_left)
		return;
	d->addreg_left--;
	struct wf_inf_reg r = { 0 };
	r.root = wf_xstrdup(l->f[0]);
	for (char *c = r.root; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 'a' + 'A');
	r.subkey = l->nf > 1 ? subst(d, l->f[1]) : wf_xstrdup("");
	r.name = l->nf > 2 ? subst(d, l->f[2]) : wf_xstrdup("");
	char *fl = l->nf > 3 ? subst(d, l->f[3]) : NULL;
	if (fl && *fl)
		num(fl, &r.flags);
	r.key_only = (r.flags & WF_ADDREG_KEYONLY) || l->nf <= 2;
	free(fl);
	r.type = addreg_type(r.flags);
	if (!r.key_only)
		reg_value(d, l, &r);
	*v = grow(*v, *n, sizeof **v);
	(*v)[(*n)++] = r;
}

/* Every line of the sections named by the AddReg directives of `s`. */
static void addreg_of(struct idoc *d, const struct isect *s, struct wf_inf_reg **v, size_t *n)
{
	for (size_t i = 0; s && i < s->n; i++) {
		const struct iline *l = &s->l[i];
		if (!l->key || !wf_streqi(l->key, "AddReg"))
			continue;
		for (size_t k = 0; k < l->nf && k < 32; k++) {
			char *name = subst(d, l->f[k]);
			const struct isect *r = *name ? sect(d, name) : NULL;
			for (size_t j = 0; r && j < r->n && *n < INF_MAX_ADDREG && d->addreg_left; j++)
				add_reg_line(d, &r->l[j], v, n);
			free(name);
		}
	}
}

/* <install>.NT<arch>.HW, <install>.NT.HW, <install>.HW: the first that exists. */
static void hw_facts(struct idoc *d, const char *arch, struct wf_inf *out)
{
	for (size_t i = 0; i < out->n_models; i++) {
		struct wf_inf_model *m = &out->models[i];
		char *names[3] = {
			wf_xasprintf("%s.NT%s.HW", m->install, arch),
			wf_xasprintf("%s.NT.HW", m->install),
			wf_xasprintf("%s.HW", m->install),
		};
		const struct isect *s = NULL;
		for (int k = 0; k < 3 && !s; k++)
			s = sect(d, names[k]);
		addreg_of(d, s, &m->hw_addreg, &m->n_hw_addreg);
		for (int k = 0; k < 3; k++)
			free(names[k]);
	}
}

static void reg_free(struct wf_inf_reg *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].root);
		free(v[i].subkey);
		free(v[i].name);
		for (size_t k = 0; k < v[i].n_strs; k++)
			free(v[i].strs[k]);
		free(v[i].strs);
		free(v[i].data);
	}
	free(v);
}

static void add_service(struct idoc *d, const struct iline *l, struct wf_inf *out,
			struct wf_strmap *seen)
{
	char *name = subst(d, l->f[0]);
	if (!wf_strmap_put(seen, name, out->n_services)) {
		free(name);
		return;
	}
	out->services = grow(out->services, out->n_services, sizeof *out->services);
	struct wf_inf_service *s = &out->services[out->n_services++];
	memset(s, 0, sizeof *s);
	s->name = name;
	const struct isect *si = l->nf > 2 ? sect(d, l->f[2]) : NULL;
	char *v;
	if ((v = get(d, si, "ServiceType")))
		s->has_type = num(v, &s->type), free(v);
	if ((v = get(d, si, "StartType")))
		s->has_start = num(v, &s->start), free(v);
	if ((v = get(d, si, "ErrorControl")))
		s->has_error = num(v, &s->error_control), free(v);
	s->binary = get(d, si, "ServiceBinary");
	s->group = get(d, si, "LoadOrderGroup");
	s->display = get(d, si, "DisplayName");
	addreg_of(d, si, &s->addreg, &s->n_addreg);
}

/* Every model's services section; one section shared by thousands of
 * models is read once (`done`), services are kept once by name. */
static void services_facts(struct idoc *d, const char *arch, struct wf_inf *out)
{
	struct wf_strmap seen = WF_STRMAP_INIT, done = WF_STRMAP_INIT;
	for (size_t i = 0; i < out->n_models; i++) {
		const char *inst = out->models[i].install;
		char *names[3] = {
			wf_xasprintf("%s.NT%s.Services", inst, arch),
			wf_xasprintf("%s.NT.Services", inst),
			wf_xasprintf("%s.Services", inst),
		};
		const struct isect *s = NULL;
		for (int k = 0; k < 3 && !s; k++)
			s = sect(d, names[k]);
		if (s && !wf_strmap_put(&done, s->name, 0))
			s = NULL;
		for (size_t k = 0; s && k < s->n; k++)
			if (s->l[k].key && wf_streqi(s->l[k].key, "AddService") && s->l[k].nf &&
			    s->l[k].f[0][0])
				add_service(d, &s->l[k], out, &seen);
		for (int k = 0; k < 3; k++)
			free(names[k]);
	}
	wf_strmap_free(&seen);
	wf_strmap_free(&done);
}

static void files_facts(const struct idoc *d, const char *arch, struct wf_inf *out)
{
	char *name = wf_xasprintf("SourceDisksFiles.%s", arch);
	const struct isect *ss[2] = { sect(d, name), sect(d, "SourceDisksFiles") };
	free(name);
	struct wf_strmap seen = WF_STRMAP_INIT;
	size_t alloc = 0;
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; ss[k] && i < ss[k]->n; i++) {
			const struct iline *l = &ss[k]->l[i];
			const char *f = l->key ? l->key : l->nf ? l->f[0] : "";
			if (!*f || !wf_strmap_put(&seen, f, 0))
				continue;
			if (out->n_files == alloc) {
				alloc = alloc ? alloc * 2 : 16;
				out->files = wf_xrealloc(out->files, alloc * sizeof *out->files);
			}
			out->files[out->n_files++] = wf_xstrdup(f);
		}
	wf_strmap_free(&seen);
}

static void facts(struct idoc *d, const char *arch, struct wf_inf *out)
{
	d->strings = sect(d, "Strings");
	for (size_t i = 0; !d->strings && i < d->n; i++)
		if (wf_startswithi(d->s[i].name, "Strings."))
			d->strings = &d->s[i];
	for (size_t i = 0; d->strings && i < d->strings->n; i++) {
		const struct iline *l = &d->strings->l[i];
		if (l->key && l->nf)
			wf_strmap_put(&d->by_key, l->key, i);
	}
	version_facts(d, arch, out);
	models_facts(d, arch, out);
	services_facts(d, arch, out);
	hw_facts(d, arch, out);
	files_facts(d, arch, out);
}

int wf_inf_parse_mem(const char *name, const void *buf, size_t len,
		     const char *arch, struct wf_inf *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	if (len > INF_MAX_BYTES)
		return wf_error_set(e, WF_ERR_INPUT, "%s: too large for an INF file (%zu bytes)",
				    name, len);
	char *text = decode(buf, len);
	struct idoc d = { .subst_left = INF_MAX_SUBST_TOTAL,
			  .addreg_left = INF_MAX_ADDREG_TOTAL };
	parse_doc(text, &d);
	free(text);
	int r = 0;
	if (!sect(&d, "Version"))
		r = wf_error_set(e, WF_ERR_INPUT, "%s: not an INF file (no [Version] section)", name);
	else
		facts(&d, arch_word(arch), out);
	if (r == 0)
		out->name = wf_xstrdup(name);
	else
		wf_inf_free(out);
	doc_free(&d);
	return r;
}

int wf_inf_parse_file(const char *path, const char *arch, struct wf_inf *out,
		      struct wf_error *e)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	memset(out, 0, sizeof *out);
	if (wf_sb_read_file(&sb, path, INF_MAX_BYTES + 1, e) < 0) {
		wf_sb_release(&sb);
		return -1;
	}
	int r = wf_inf_parse_mem(path, sb.buf, sb.len, arch, out, e);
	wf_sb_release(&sb);
	return r;
}

void wf_inf_free(struct wf_inf *inf)
{
	free(inf->name);
	free(inf->class_name);
	free(inf->class_guid);
	free(inf->provider);
	free(inf->catalog);
	free(inf->driver_date);
	free(inf->driver_version);
	for (size_t i = 0; i < inf->n_models; i++) {
		struct wf_inf_model *m = &inf->models[i];
		free(m->desc);
		free(m->install);
		free(m->decoration);
		for (size_t k = 0; k < m->n_hwids; k++)
			free(m->hwids[k]);
		free(m->hwids);
		reg_free(m->hw_addreg, m->n_hw_addreg);
	}
	free(inf->models);
	for (size_t i = 0; i < inf->n_services; i++) {
		struct wf_inf_service *s = &inf->services[i];
		free(s->name);
		free(s->binary);
		free(s->group);
		free(s->display);
		reg_free(s->addreg, s->n_addreg);
	}
	free(inf->services);
	for (size_t i = 0; i < inf->n_files; i++)
		free(inf->files[i]);
	free(inf->files);
	memset(inf, 0, sizeof *inf);
}

int wf_inf_has_hwid(const struct wf_inf *inf, const char *hwid)
{
	for (size_t i = 0; i < inf->n_models; i++)
		for (size_t k = 0; k < inf->models[i].n_hwids; k++)
			if (wf_streqi(inf->models[i].hwids[k], hwid))
				return 1;
	return 0;
}

char *wf_inf_imagepath(const char *binary)
{
	static const struct { const char *dirid; const char *path; } dirids[] = {
		{ "%12%", "System32\\drivers" },	/* MS "Using Dirids" */
		{ "%11%", "System32" },
		{ "%10%", "" },
	};
	for (size_t i = 0; binary && i < 3; i++) {
		size_t n = strlen(dirids[i].dirid);
		if (strncmp(binary, dirids[i].dirid, n) == 0 && binary[n] == '\\' && binary[n + 1])
			return *dirids[i].path ? wf_xasprintf("%s%s", dirids[i].path, binary + n)
					       : wf_xstrdup(binary + n + 1);
	}
	return NULL;
}
