/*
 * fuzz_pve.c - libFuzzer target for the Proxmox VE config reader and the
 * qm set builder (core/facts/pve.c, pve_switch.c).
 *
 * Every input must parse or give a one-line error naming the file; a
 * parsed config must hold bounded, NUL-terminated fields, its targets be
 * catalogued kinds, and the switch commands only `qm set` lines.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "controllers.h"
#include "pve.h"
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_fields(const struct wf_pve *p)
{
	if (p->n_disks > WF_PVE_MAX_DISKS || p->n_nics > WF_PVE_MAX_NICS)
		abort();
	for (size_t i = 0; i < p->n_disks; i++)
		if (!memchr(p->disks[i].volume, 0, sizeof p->disks[i].volume) || !p->disks[i].volume[0] ||
		    !memchr(p->disks[i].rest, 0, sizeof p->disks[i].rest))
			abort();
	for (size_t i = 0; i < p->n_nics; i++)
		if (!p->nics[i].model[0])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_pve *p = malloc(sizeof *p);
	struct wf_error e = { 0 };
	if (wf_pve_parse((const char *)data, size, "fuzz.conf", p, &e) == 0) {
		check_fields(p);
		struct wf_targets t;
		if (wf_pve_targets(p, &t, &e) == 0)
			for (size_t i = 0; i < t.n; i++)
				if (!t.v[i].kind || !wf_ctrl_kind_by_id(t.v[i].kind->id))
					abort();
		struct wf_strbuf sb = WF_STRBUF_INIT;
		if (wf_pve_switch_cmds(p, "100", "virtio-blk", "virtio-net", &sb, &e) == 0)
			for (const char *l = sb.len ? sb.buf : ""; *l; l = strchr(l, '\n') + 1)
				if (strncmp(l, "qm set 100 --", 13) != 0 || !strchr(l, '\n'))
					abort();
		wf_sb_release(&sb);
	} else if (strncmp(e.msg, "Proxmox config fuzz.conf", 24) != 0 || strchr(e.msg, '\n')) {
		abort();
	}
	free(p);
	return 0;
}
