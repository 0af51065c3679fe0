/*
 * regfile.c - parse Windows .reg files and apply them to a hive.
 *
 * Syntax (as regedit writes it; hivexregedit's str(N): added):
 *
 *   Windows Registry Editor Version 5.00      (or REGEDIT4)
 *   ; comment
 *   [HKEY_LOCAL_MACHINE\SYSTEM\Select]        create the key
 *   [-HKEY_LOCAL_MACHINE\SYSTEM\Old]          delete it with its subkeys
 *   "Current"=dword:00000001
 *   @="default value"                         \\ and \" escapes
 *   "Bin"=hex:01,02,\                         '\' continues the line
 *     03
 *   "Path"=hex(2):25,00,00,00                 hex(N): any type, raw bytes
 *   "Host"=str(1):"windows.invalid"           hivex: string of type N
 *   "Gone"=-                                  delete the value
 *
 * REGEDIT4 files are ANSI: their hex(1)/hex(2)/hex(6)/hex(7) bytes are
 * 8-bit strings, widened to UTF-16LE as regedit does on import.
 */
#include "regfile.h"
#include "hive.h"
#include "strbuf.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REG5_HEADER "Windows Registry Editor Version 5.00"
#define REG4_HEADER "REGEDIT4"

struct parser {
	const char *name;		/* file name for messages */
	struct wf_regfile *out;
	size_t cap;
	int header_seen;
	int regedit4;
	char *key;			/* current [key], NULL before the first */
	int key_deleted;		/* the current section is a [-key] */
	unsigned long line;		/* first physical line of the entry */
	struct wf_error *e;
};

/* ------------------------------------------------------------------ */
/* decoding the file to UTF-8                                          */

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

static int is_utf8(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(s + i, len - i);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

static char *latin1_to_utf8(const unsigned char *s, size_t len)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_grow(&sb, len);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x80) {
			wf_sb_addc(&sb, (char)s[i]);
		} else {
			wf_sb_addc(&sb, (char)(0xc0 | s[i] >> 6));
			wf_sb_addc(&sb, (char)(0x80 | (s[i] & 0x3f)));
		}
	}
	return wf_sb_detach(&sb);
}

/* The file as one malloc'd UTF-8 string. */
static char *decode(const char *name, const unsigned char *b, size_t len,
		    struct wf_error *e)
{
	int utf16 = 0;
	if (len >= 2 && b[0] == 0xfe && b[1] == 0xff)
		return wf_error_set(e, WF_ERR_INPUT,
				    "%s: UTF-16 big-endian .reg files are not supported (save as UTF-16LE or UTF-8)",
				    name), NULL;
	if (len >= 2 && b[0] == 0xff && b[1] == 0xfe) {
		b += 2, len -= 2, utf16 = 1;
	} else if (len >= 2 && b[0] != 0 && b[1] == 0) {
		utf16 = 1;	/* UTF-16LE that lost its BOM */
	}
	if (utf16) {
		if (len & 1)
			return wf_error_set(e, WF_ERR_INPUT,
					    "%s: truncated UTF-16 text (odd number of bytes)",
					    name), NULL;
		for (size_t i = 0; i < len; i += 2)
			if (b[i] == 0 && b[i + 1] == 0)
				return wf_error_set(e, WF_ERR_INPUT,
						    "%s: NUL character at byte %zu",
						    name, i + 2), NULL;
		if (len == 0)
			return wf_xstrdup("");
		return wf_utf16le_to_utf8(b, len);
	}
	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		b += 3, len -= 3;
	const unsigned char *nul = memchr(b, 0, len);
	if (nul)
		return wf_error_set(e, WF_ERR_INPUT, "%s: NUL byte at offset %zu",
				    name, (size_t)(nul - b)), NULL;
	if (is_utf8(b, len))
		return wf_xstrndup((const char *)b, len);
	return latin1_to_utf8(b, len);
}

/* ------------------------------------------------------------------ */
/* building the op list                                                */

static int perr(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return wf_error_set(p->e, WF_ERR_INPUT, "%s: line %lu: %s", p->name,
			    p->line, msg);
}

static struct wf_reg_op *add_op(struct parser *p, enum wf_regop_kind kind)
{
	struct wf_regfile *r = p->out;
	if (r->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		r->ops = wf_xrealloc(r->ops, p->cap * sizeof *r->ops);
	}
	struct wf_reg_op *op = &r->ops[r->n++];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->key = wf_xstrdup(p->key);
	op->name = wf_xstrdup("");
	op->line = p->line;
	return op;
}

/* ------------------------------------------------------------------ */
/* lexing pieces of a line                                             */

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Only white space or a ';' comment may follow. */
static int at_end(const char *s)
{
	s = skip_ws(s);
	return *s == '\0' || *s == ';';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse a quoted string at *s (which points at the opening '"') with \\
 * and \" escapes; on success *s points after the closing quote. */
static char *parse_quoted(struct parser *p, const char **s, const char *what)
{
	const char *q = *s + 1;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (;;) {
		if (*q == '\0') {
			wf_sb_release(&sb);
			perr(p, "unterminated %s (no closing '\"')", what);
			return NULL;
		}
		if (*q == '"')
			break;
		if (*q == '\\') {
			if (q[1] == '\\' || q[1] == '"') {
				wf_sb_addc(&sb, q[1]);
				q += 2;
				continue;
			}
			if (q[1] == '\0') {
				wf_sb_release(&sb);
				perr(p, "unterminated %s (ends with '\\')", what);
				return NULL;
			}
			wf_sb_release(&sb);
			perr(p, "unknown escape \"\\%c\" in %s (write \\\\ for a backslash)",
			     q[1], what);
			return NULL;
		}
		wf_sb_addc(&sb, *q++);
	}
	*s = q + 1;
	return wf_sb_detach(&sb);
}

/* "hex:" data: comma-separated bytes, a trailing comma allowed. */
static int parse_hex_bytes(struct parser *p, const char *s,
			   struct wf_strbuf *out)
{
	s = skip_ws(s);
	while (!at_end(s)) {
		size_t n = strcspn(s, ", \t;");
		if (n == 0 || n > 2 || hexval((unsigned char)s[0]) < 0 ||
		    (n == 2 && hexval((unsigned char)s[1]) < 0))
			return perr(p, "bad hex byte \"%.*s\" (expected two hex digits)",
				    (int)(n > 8 ? 8 : n), s);
		int v = hexval((unsigned char)s[0]);
		if (n == 2)
			v = v << 4 | hexval((unsigned char)s[1]);
		wf_sb_addc(out, (char)v);
		s = skip_ws(s + n);
		if (*s == ',')
			s = skip_ws(s + 1);
		else if (!at_end(s))
			return perr(p, "expected ',' between hex bytes at \"%.8s\"", s);
	}
	return 0;
}

/* Hex number of 1..8 digits at *s; *s moves past it. */
static int parse_hex32(const char **s, uint32_t *v)
{
	const char *q = *s;
	uint32_t x = 0;
	int n = 0;
	while (hexval((unsigned char)*q) >= 0) {
		if (++n > 8)
			return -1;
		x = x << 4 | (uint32_t)hexval((unsigned char)*q);
		q++;
	}
	if (n == 0)
		return -1;
	*s = q;
	*v = x;
	return 0;
}

static void set_utf16(struct wf_reg_op *op, const char *utf8)
{
	size_t len;
	op->data = wf_utf8_to_utf16le(utf8, &len);
	op->len = len;
}

static void set_bytes(struct wf_reg_op *op, const void *data, size_t len)
{
	op->data = wf_xmalloc(len ? len : 1);
	if (len)
		memcpy(op->data, data, len);
	op->len = len;
}

/* The value's data after '='. */
static int parse_data(struct parser *p, const char *s, const char *vname)
{
	struct wf_reg_op *op;
	s = skip_ws(s);
	if (*s == '-' && at_end(s + 1)) {
		op = add_op(p, WF_REGOP_DELETE_VALUE);
		free(op->name);
		op->name = wf_xstrdup(vname);
		return 0;
	}

	uint32_t type;
	int quoted = 0;
	if (*s == '"') {
		type = WF_REG_SZ;
		quoted = 1;
	} else if (wf_startswithi(s, "dword:")) {
		s += 6;
		uint32_t v;
		if (parse_hex32(&s, &v) < 0 || !at_end(s))
			return perr(p, "bad dword value for \"%s\" (expected dword:XXXXXXXX, up to 8 hex digits)",
				    vname);
		unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
		op = add_op(p, WF_REGOP_VALUE);
		op->type = WF_REG_DWORD;
		set_bytes(op, b, 4);
		goto named;
	} else if (wf_startswithi(s, "str(")) {
		s += 4;
		if (parse_hex32(&s, &type) < 0 || s[0] != ')' || s[1] != ':' ||
		    s[2] != '"')
			return perr(p, "bad str(N):\"...\" value for \"%s\"", vname);
		s += 2;
		quoted = 1;
	} else if (wf_startswithi(s, "hex:")) {
		s += 4;
		type = WF_REG_BINARY;
	} else if (wf_startswithi(s, "hex(")) {
		s += 4;
		if (parse_hex32(&s, &type) < 0 || s[0] != ')' || s[1] != ':')
			return perr(p, "bad hex(N): type for \"%s\" (expected hex(N): with N in hex)",
				    vname);
		s += 2;
	} else {
		return perr(p, "unknown data for \"%s\": \"%.20s\" (expected \"string\", dword:, hex:, hex(N):, str(N): or -)",
			    vname, s);
	}

	if (quoted) {
		char *str = parse_quoted(p, &s, "string");
		if (!str)
			return -1;
		if (!at_end(s)) {
			free(str);
			return perr(p, "unexpected text after the string: \"%.20s\"",
				    skip_ws(s));
		}
		op = add_op(p, WF_REGOP_VALUE);
		op->type = type;
		set_utf16(op, str);
		free(str);
		goto named;
	}

	struct wf_strbuf bytes = WF_STRBUF_INIT;
	if (parse_hex_bytes(p, s, &bytes) < 0) {
		wf_sb_release(&bytes);
		return -1;
	}
	op = add_op(p, WF_REGOP_VALUE);
	op->type = type;
	if (p->regedit4 && (type == WF_REG_SZ || type == WF_REG_EXPAND_SZ ||
			    type == WF_REG_LINK || type == WF_REG_MULTI_SZ)) {
		/* 8-bit ANSI characters: widen each to a UTF-16 unit */
		op->len = bytes.len * 2;
		op->data = wf_xmalloc(op->len ? op->len : 1);
		for (size_t i = 0; i < bytes.len; i++) {
			op->data[2 * i] = (unsigned char)bytes.buf[i];
			op->data[2 * i + 1] = 0;
		}
	} else {
		set_bytes(op, bytes.buf, bytes.len);
	}
	wf_sb_release(&bytes);
named:
	free(op->name);
	op->name = wf_xstrdup(vname);
	return 0;
}

static int parse_value(struct parser *p, const char *s)
{
	char *vname;
	if (!p->key)
		return perr(p, "value before any [key]");
	if (p->key_deleted)
		return perr(p, "value under a deleted key [-%s]", p->key);
	if (*s == '@') {
		vname = wf_xstrdup("");
		s++;
	} else {
		vname = parse_quoted(p, &s, "value name");
		if (!vname)
			return -1;
	}
	s = skip_ws(s);
	if (*s != '=') {
		free(vname);
		return perr(p, "expected '=' after the value name");
	}
	int r = parse_data(p, s + 1, vname);
	free(vname);
	return r;
}

static int parse_key(struct parser *p, const char *s)
{
	const char *end = strrchr(s, ']');
	if (!end || !at_end(end + 1))
		return perr(p, "key line without a closing ']'");
	s++;
	int del = 0;
	if (*s == '-') {
		del = 1;
		s++;
	}
	if (end == s)
		return perr(p, "empty key name");
	free(p->key);
	p->key = wf_xstrndup(s, (size_t)(end - s));
	p->key_deleted = del;
	add_op(p, del ? WF_REGOP_DELETE_KEY : WF_REGOP_KEY);
	return 0;
}

/* One logical line, continuation lines joined, white space trimmed. */
static int parse_line(struct parser *p, char *s)
{
	if (*s == '\0' || *s == ';')
		return 0;
	if (!p->header_seen) {
		if (strcmp(s, REG5_HEADER) == 0) {
			p->header_seen = 1;
			return 0;
		}
		if (strcmp(s, REG4_HEADER) == 0) {
			p->header_seen = 1;
			p->regedit4 = 1;
			return 0;
		}
		return perr(p, "not a .reg file: the first line must be \"" REG5_HEADER
			    "\" or \"" REG4_HEADER "\"");
	}
	if (*s == '[')
		return parse_key(p, s);
	if (*s == '"' || *s == '@')
		return parse_value(p, s);
	return perr(p, "unexpected text \"%.30s\" (expected [key], \"name\"=data or @=data)",
		    s);
}

static int parse_text(struct parser *p, char *text)
{
	struct wf_strbuf logical = WF_STRBUF_INIT;
	unsigned long lineno = 0;
	int cont = 0, r = 0;
	char *s = text;
	while (*s && r == 0) {
		char *nl = strchr(s, '\n');
		char *next = nl ? nl + 1 : s + strlen(s);
		if (nl)
			*nl = '\0';
		lineno++;
		/* trim: CR, trailing and leading white space */
		char *line = s;
		size_t n = strlen(line);
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' ||
			     line[n - 1] == '\t'))
			line[--n] = '\0';
		line = (char *)skip_ws(line);
		n = strlen(line);
		if (!cont) {
			p->line = lineno;
			wf_sb_reset(&logical);
		}
		int more = n > 0 && line[n - 1] == '\\' && line[0] != ';' &&
			   (cont || line[0] != '[');
		if (more)
			line[--n] = '\0';
		wf_sb_add(&logical, line, n);
		cont = more;
		if (!cont)
			r = parse_line(p, logical.buf);
		s = next;
	}
	if (r == 0 && cont)
		r = parse_line(p, logical.buf);
	if (r == 0 && !p->header_seen) {
		p->line = 1;
		r = perr(p, "not a .reg file: empty (no \"" REG5_HEADER "\" or \""
			 REG4_HEADER "\" line)");
	}
	wf_sb_release(&logical);
	return r;
}

int wf_regfile_parse_mem(const char *name, const void *buf, size_t len,
			 struct wf_regfile *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	out->path = wf_xstrdup(name ? name : "(.reg)");
	char *text = decode(out->path, buf, len, e);
	if (!text) {
		wf_regfile_free(out);
		return -1;
	}
	struct parser p = { .name = out->path, .out = out, .e = e };
	int r = parse_text(&p, text);
	free(text);
	free(p.key);
	if (r < 0)
		wf_regfile_free(out);
	return r;
}

int wf_regfile_parse(const char *path, struct wf_regfile *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	int r = wf_sb_read_file(&sb, path, 0, e);
	if (r == 0)
		r = wf_regfile_parse_mem(path, sb.buf, sb.len, out, e);
	wf_sb_release(&sb);
	return r;
}

void wf_regfile_free(struct wf_regfile *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->ops[i].key);
		free(r->ops[i].name);
		free(r->ops[i].data);
	}
	free(r->ops);
	free(r->path);
	memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------------ */
/* applying                                                            */

/* Root key abbreviations regedit accepts. */
static const struct {
	const char *abbrev, *full;
} reg_roots[] = {
	{ "HKLM", "HKEY_LOCAL_MACHINE" },
	{ "HKCU", "HKEY_CURRENT_USER" },
	{ "HKCR", "HKEY_CLASSES_ROOT" },
	{ "HKU", "HKEY_USERS" },
	{ "HKCC", "HKEY_CURRENT_CONFIG" },
};

/* Path with a leading abbreviation expanded, no leading or trailing '\'. */
static char *normalize_path(const char *path)
{
	while (*path == '\\')
		path++;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	size_t i;
	for (i = 0; i < sizeof reg_roots / sizeof reg_roots[0]; i++) {
		size_t n = strlen(reg_roots[i].abbrev);
		if (strncasecmp(path, reg_roots[i].abbrev, n) == 0 &&
		    (path[n] == '\\' || path[n] == '\0')) {
			wf_sb_adds(&sb, reg_roots[i].full);
			path += n;
			break;
		}
	}
	wf_sb_adds(&sb, path);
	while (sb.len && sb.buf[sb.len - 1] == '\\')
		wf_sb_truncate(&sb, sb.len - 1);
	return wf_sb_detach(&sb);
}

/* The key's path below the hive root (malloc'd), "CurrentControlSet"
 * resolved; NULL with an error when the key lies outside the prefix. */
static char *hive_path(const struct wf_regfile *r, const struct wf_reg_op *op,
		       struct wf_hive *h, const char *prefix, struct wf_error *e)
{
	char *key = normalize_path(op->key);
	const char *rest = key;
	if (prefix && *prefix) {
		char *pre = normalize_path(prefix);
		size_t n = strlen(pre);
		if (strncasecmp(key, pre, n) != 0 ||
		    (key[n] != '\0' && key[n] != '\\')) {
			wf_error_set(e, WF_ERR_INPUT,
				     "%s: line %lu: key [%s] is outside %s",
				     r->path, op->line, op->key, prefix);
			free(pre);
			free(key);
			return NULL;
		}
		rest = key + n;
		free(pre);
	}
	while (*rest == '\\')
		rest++;

	struct wf_strbuf sb = WF_STRBUF_INIT;
	size_t first = strcspn(rest, "\\");
	if (first == strlen("CurrentControlSet") &&
	    strncasecmp(rest, "CurrentControlSet", first) == 0) {
		char ccs[32];
		if (wf_hive_current_control_set(h, ccs, sizeof ccs, e) < 0) {
			wf_error_prefix(e, "%s: line %lu: cannot resolve CurrentControlSet",
					r->path, op->line);
			free(key);
			return NULL;
		}
		wf_sb_adds(&sb, ccs);
		rest += first;
	}
	wf_sb_adds(&sb, rest);
	free(key);
	return wf_sb_detach(&sb);
}

/* Errors from here get "file: line N: " put in front by the caller. */
static int apply_op(const struct wf_reg_op *op, struct wf_hive *h,
		    const char *path, struct wf_error *e)
{
	wf_node node;
	switch (op->kind) {
	case WF_REGOP_KEY:
		return wf_hive_mkpath(h, path, e) ? 0 : -1;
	case WF_REGOP_DELETE_KEY:
		if (path[strspn(path, "\\")] == '\0')
			return wf_error_set(e, WF_ERR_INPUT,
					    "[-%s] would delete the hive's root key",
					    op->key);
		node = wf_hive_lookup(h, path);
		return node ? wf_hive_delete_key(h, node, e) : 0;
	case WF_REGOP_VALUE:
		node = wf_hive_mkpath(h, path, e);
		if (!node)
			return -1;
		return wf_hive_set_value(h, node, op->name, op->type, op->data,
					 op->len, e);
	case WF_REGOP_DELETE_VALUE:
		node = wf_hive_lookup(h, path);
		return node ? wf_hive_delete_value(h, node, op->name, e) : 0;
	}
	return wf_error_set(e, WF_ERR_INTERNAL, "unknown operation %d", (int)op->kind);
}

int wf_regfile_apply(const struct wf_regfile *r, struct wf_hive *h,
		     const char *prefix, struct wf_error *e)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct wf_reg_op *op = &r->ops[i];
		char *path = hive_path(r, op, h, prefix, e);
		if (!path)
			return -1;
		int rc = apply_op(op, h, path, e);
		free(path);
		if (rc < 0)
			return wf_error_prefix(e, "%s: line %lu", r->path, op->line);
	}
	return 0;
}
