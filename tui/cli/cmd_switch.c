/* fix --switch-domain: present the controllers the guest can now boot from. */
#include "cmd_switch.h"
#include "cli.h"
#include "cli_src.h"
#include "controllers.h"
#include "finding.h"
#include "inspect.h"
#include "switchdom.h"
#include "targets.h"

#include <json-c/json.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int blocked(const struct wf_switch_ctx *c, struct wf_error *e)
{
	size_t n = wf_findings_count(c->after, WF_SEV_ERROR);
	if (!n)
		return 0;
	struct wf_strbuf sb = WF_STRBUF_INIT;
	for (size_t i = 0; i < c->after->n; i++)
		if (c->after->v[i].severity == WF_SEV_ERROR)
			wf_sb_addf(&sb, "%s%s", sb.len ? ", " : "", c->after->v[i].id);
	int r = wf_error_set(e, WF_ERR_USAGE,
			     "--switch-domain: not switched: %zu error finding(s) remain for these controllers (%s); the guest would not boot on them",
			     n, sb.buf);
	wf_sb_release(&sb);
	return r;
}

static int switch_pve(struct wf_switch_ctx *c, const char *storage, const char *nic,
		      struct wf_error *e)
{
	const char *base = strrchr(c->src->pve_path, '/');
	char vmid[64];
	snprintf(vmid, sizeof vmid, "%s", base ? base + 1 : c->src->pve_path);
	vmid[strcspn(vmid, ".")] = 0;
	struct wf_strbuf cmds = WF_STRBUF_INIT;
	int r = wf_pve_switch_cmds(&c->src->pve, vmid, storage, nic, &cmds, e);
	if (r == 0) {
		wf_sb_addf(c->text, "\nTo switch Proxmox VE VM %s to %s%s%s, run on its node (VM shut down):\n%s",
			   vmid, storage ? storage : "", nic ? " + " : "", nic ? nic : "",
			   cmds.len ? cmds.buf : "  (nothing to change: it presents them already)\n");
		json_object_object_add(c->o, "qm_set", json_object_new_string(cmds.len ? cmds.buf : ""));
	}
	wf_sb_release(&cmds);
	return r;
}

int wf_cli_switch(struct wf_switch_ctx *c, struct wf_error *e)
{
	const char *storage, *nic;
	wf_switchdom_wanted(c->want, &storage, &nic);
	if (!c->dry && blocked(c, e) < 0)
		return -1;
	if (c->src->have_pve)
		return switch_pve(c, storage, nic, e);
	struct wf_domain *d = &c->src->dom;
	int trans = c->in->n_win && wf_switchdom_needs_transitional(d->xml, &c->in->win[0].ver);
	struct wf_switchdom sw;
	if (wf_switchdom_plan(d->xml, d->name, storage, nic, trans, &sw, e) < 0)
		return -1;
	int r = 0;
	if (!sw.n_changes) {
		wf_sb_addf(c->text, "\nDomain %s already presents %s: its definition is unchanged.\n", d->name, storage);
		goto out;
	}
	wf_sb_addf(c->text, "\nSwitch domain %s to %s%s%s%s (%zu device(s)):\n%s", d->name,
		   storage ? storage : "", nic ? " + " : "", nic ? nic : "",
		   trans ? ", virtio-transitional (q35 and a Windows before 7)" : "", sw.n_changes, sw.diff);
	json_object_object_add(c->o, "domain_diff", json_object_new_string(sw.diff));
	if (c->dry) {
		wf_sb_adds(c->text, "Dry run: the domain was not changed.\n");
		goto out;
	}
	fputs(c->text->buf, stdout);
	wf_sb_reset(c->text);
	fflush(stdout);
	char q[300];
	snprintf(q, sizeof q, "Redefine domain %s?", d->name);
	if (!c->yes && !wf_cli_confirm(q)) {
		r = wf_error_set(e, WF_ERR_USAGE, "--switch-domain: domain not changed: confirm at the prompt or add --yes");
		goto out;
	}
	r = wf_switchdom_apply(d->uri, &sw, c->save_dir, e);
	if (r == 0) {
		wf_sb_addf(c->text, "Domain %s redefined; the old definition is saved as %s/domain-%s.xml (undo restores it).\n",
			   d->name, c->save_dir, d->name);
		json_object_object_add(c->o, "domain_switched", json_object_new_boolean(1));
	}
out:
	wf_switchdom_free(&sw);
	return r;
}

int wf_cli_switch_undo(struct wf_cli_src *src, const char *dir, struct wf_strbuf *text,
		       struct json_object *o, struct wf_error *e)
{
	if (!src->have_dom || !wf_switchdom_saved(src->dom.name, dir))
		return 0;
	if (wf_switchdom_undo(src->dom.uri, src->dom.name, dir, e) < 0)
		return -1;
	wf_sb_addf(text, "Domain %s: the definition from before the switch is defined again.\n", src->dom.name);
	json_object_object_add(o, "domain_restored", json_object_new_boolean(1));
	return 0;
}
