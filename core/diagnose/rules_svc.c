/*
 * rules_svc.c - the rules' cache of Services\<name> keys (rules.h), each
 * read once per diagnosis, and their driver files.
 */
#include "hive.h"
#include "rules.h"
#include "strbuf.h"
#include "strmap.h"
#include "text.h"
#include "winpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The service cache is indexed by name (strmap.h): guest values can name
 * thousands of services (8,000 filter names in one value took 27 s with
 * a linear search). */
/* The name shown in findings: a guest's key name may hold a newline or a
 * terminal control, which would start a line of its own inside the
 * multi-line explanation; shown escaped (text.h), like every guest text. */
static void set_name(struct wf_svc *s, const char *raw)
{
	struct wf_strbuf sb = WF_STRBUF_INIT;
	wf_sb_add_escaped(&sb, raw, strlen(raw), 0);
	snprintf(s->name, sizeof s->name, "%s", sb.buf);
	wf_sb_release(&sb);
}

struct wf_svc *wf_rctx_svc(struct wf_rctx *c, const char *name)
{
	if (!name || !*name)
		return NULL;
	size_t at;
	if (wf_strmap_get(&c->svc_idx, name, &at))
		return c->svcs[at];
	wf_strmap_put(&c->svc_idx, name, c->n_svcs);
	struct wf_svc *s = wf_xcalloc(1, sizeof *s);
	set_name(s, name);
	s->file_state = -1;
	s->pe_state = -1;
	s->node = wf_hive_child(c->sys, c->services, name);
	if (s->node) {
		char *real = wf_hive_node_name(c->sys, s->node);
		if (real)	/* the registry's spelling, for evidence */
			set_name(s, real);
		free(real);
		s->has_start = wf_hive_get_dword(c->sys, s->node, "Start", &s->start) == 0;
		s->has_type = wf_hive_get_dword(c->sys, s->node, "Type", &s->type) == 0;
		s->group = wf_hive_get_string(c->sys, s->node, "Group");
		s->image_path = wf_hive_get_string(c->sys, s->node, "ImagePath");
	}
	if (c->n_svcs == c->svcs_alloc) {
		c->svcs_alloc = c->svcs_alloc ? c->svcs_alloc * 2 : 64;
		c->svcs = wf_xrealloc(c->svcs, c->svcs_alloc * sizeof *c->svcs);
	}
	c->svcs[c->n_svcs++] = s;
	return s;
}

/* Enough of a driver to find its headers and import table. */
#define PE_READ_MAX (2u << 20)

void wf_rctx_svc_file(struct wf_rctx *c, struct wf_svc *s)
{
	if (!c->files || !s || !s->node || s->guest_path)
		return;
	s->guest_path = wf_imagepath_to_guest(s->image_path, s->name,
					      c->in->systemroot);
	if (!s->guest_path)
		return;
	s->file_state = c->in->probe(c->in->ud, s->guest_path, &s->file_size);
	if (s->file_state != 1 || !c->in->read || s->file_size == 0)
		return;
	void *buf = NULL;
	size_t len = 0;
	if (c->in->read(c->in->ud, s->guest_path, PE_READ_MAX, &buf, &len) != 1)
		return;
	struct wf_error e = { 0 };
	if (wf_pe_parse(buf, len, s->guest_path, &s->pe, &e) == 0) {
		s->pe_state = 1;
	} else {
		s->pe_state = 0;
		snprintf(s->pe_error, sizeof s->pe_error, "%s", e.msg);
	}
	free(buf);
}

static void svc_free(struct wf_svc *s)
{
	free(s->group);
	free(s->image_path);
	free(s->guest_path);
	if (s->pe_state == 1)
		wf_pe_free(&s->pe);
	free(s);
}

void wf_rctx_svcs_free(struct wf_rctx *c)
{
	for (size_t i = 0; i < c->n_svcs; i++)
		svc_free(c->svcs[i]);
	free(c->svcs);
	wf_strmap_free(&c->svc_idx);
	c->svcs = NULL;
	c->n_svcs = c->svcs_alloc = 0;
}
