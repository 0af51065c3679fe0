/*
 * cli_src.h - where the disks come from, the same on every command (the
 * virt-tools conventions): positional images or -a IMAGE, -d DOMAIN with
 * -c URI (a libvirt domain: its disks and what it presents), --pve-config
 * FILE (a Proxmox VE VM: what it presents, its disks through pvesm),
 * --format for the -a images that follow, -v / -x (libguestfs debug and
 * trace), --key SELECTOR (BitLocker volumes).
 *
 *   struct wf_cli_src s = { 0 };
 *   for (...) { int c = wf_cli_src_option(&s, "fix", argc, argv, &i);
 *               if (c < 0) return WF_EXIT_INPUT; if (c) continue; ... }
 *   wf_cli_src_resolve(&s, writable, &err);      // domain -> disks, checks
 *   wf_cli_src_targets(&s, &t, &err);            // 1 = the source gave targets
 *   wf_cli_src_open(&s, writable, &in, &err);    // probe + launch
 *   wf_cli_src_free(&s);
 */
#ifndef WF_CLI_SRC_H
#define WF_CLI_SRC_H

#include <stddef.h>

#include "domain.h"
#include "error.h"
#include "pve.h"

struct wf_inspection;
struct wf_targets;

#define WF_CLI_MAX_KEYS 16

struct wf_cli_src {
	const char **images;	/* positional and -a, in order */
	const char **formats;	/* per image: --format in force, NULL = sniff */
	size_t n;
	const char *domain, *uri, *pve_path, *cur_format;
	const char *keys[WF_CLI_MAX_KEYS];
	size_t n_keys;
	int verbose, trace;
	/* resolved */
	int have_dom, have_pve;
	struct wf_domain dom;
	struct wf_pve pve;
	char **owned;		/* image paths resolved from the domain / pvesm */
	size_t n_owned;
};

/* argv[*i] one of the source options?  1: taken (with its value, *i
 * advanced), 0: not one, -1: usage error (printed).  A word not starting
 * with '-' is a positional image. */
int wf_cli_src_option(struct wf_cli_src *s, const char *cmd, int argc,
		      char **argv, int *i);
/* Read the domain / Proxmox config, add their disks, check the
 * combination, set up -v/-x.  `writable`: refuse a running domain. */
int wf_cli_src_resolve(struct wf_cli_src *s, const char *cmd, int writable,
		       struct wf_error *e);
/* Targets from the domain or the Proxmox config: 1 when given, 0 when
 * the source has none (plain images), -1 on error. */
int wf_cli_src_targets(const struct wf_cli_src *s, struct wf_targets *t,
		       struct wf_error *e);
/* Probe every image (with the --format / domain formats in force) and
 * launch the appliance; with keys, BitLocker volumes are opened. */
int wf_cli_src_open(struct wf_cli_src *s, int writable,
		    struct wf_inspection *in, struct wf_error *e);
/* Only the probe (stage 1) with the formats in force. */
int wf_cli_src_probe(struct wf_cli_src *s, struct wf_inspection *in, struct wf_error *e);
/* A --format / <driver type> name ("raw", "qcow2", "vpc"...) as enum
 * wf_format; -1 when this tool cannot open it. */
int wf_cli_src_format(const char *name);
/* "domain win10" or the first image, for report headers. */
const char *wf_cli_src_what(const struct wf_cli_src *s);
void wf_cli_src_free(struct wf_cli_src *s);

/* The help lines shared by every command's usage. */
extern const char wf_cli_src_usage[];

#endif
