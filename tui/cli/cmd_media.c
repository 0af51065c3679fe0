/* virt-winfix media: Windows install media that sees the virtio disk. */
#include "cli.h"
#include "commands.h"
#include "media.h"
#include "strbuf.h"
#include "virtio_src.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"Usage: virt-winfix media ISO --virtio-win DIR|ISO -o NEW.iso\n"
	"                          [--drivers viostor,vioscsi,netkvm] [--images N,M|all]\n"
	"                          [--floppy F6.img] [--windows xp|2003|xp-x64|2003-x64]\n"
	"                          [--dry-run] [--yes]\n"
	"       virt-winfix media --floppy F6.img --windows xp|2003|... --virtio-win DIR|ISO\n"
	"Put the VirtIO drivers into Windows install media, so that Windows Setup\n"
	"or WinPE on a KVM VM with virtio disks sees its disk.\n"
	"  Vista and later: every image of sources/boot.wim and the chosen images\n"
	"  of sources/install.wim (or install.esd) get the driver build for their\n"
	"  Windows, registered as inject-virtio registers it on a disk (wimlib).\n"
	"  XP / 2003: the boot storage drivers are merged into text-mode setup\n"
	"  (I386\\TXTSETUP.SIF, DOSNET.INF); --floppy writes an F6 floppy image.\n"
	"The new ISO keeps the source's boot records and volume id; the source is\n"
	"never changed.  The plan is shown first; nothing is written without\n"
	"--yes or a \"y\" at the prompt.\n"
	"\n"
	"  -o, --output F   the new ISO (must not exist)\n"
	"  --virtio-win P   virtio-win directory or ISO\n"
	"  --drivers LIST   drivers to add (default viostor,vioscsi)\n"
	"  --images LIST    install.wim images to change (default all; boot.wim: all)\n"
	"  --floppy F       also write a 1.44 MB F6 floppy (XP / 2003)\n"
	"  --windows W      which Windows a text-mode medium is, when it has no tag file\n"
	"  --dry-run        only show the plan\n"
	"  --yes            write without asking\n"
	"Needs scratch space in $TMPDIR for a copy of each WIM.\n"
	"Exit status: 0 written (or shown), 2 bad input or refused, 130 interrupted.\n";

struct args {
	const char *iso, *out, *virtio, *drivers, *images, *floppy, *windows;
	int dry, yes;
};

static int parse(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], **slot = NULL;
		if (wf_cli_is(o, "-h") || wf_cli_is(o, "--help")) {
			fputs(usage, stdout);
			return 1;
		}
		if (wf_cli_is(o, "--dry-run") || wf_cli_is(o, "--yes") || wf_cli_is(o, "-y")) {
			*(wf_cli_is(o, "--dry-run") ? &a->dry : &a->yes) = 1;
			continue;
		}
		slot = wf_cli_is(o, "-o") || wf_cli_is(o, "--output") ? &a->out
		       : wf_cli_is(o, "--virtio-win") ? &a->virtio
		       : wf_cli_is(o, "--drivers") ? &a->drivers
		       : wf_cli_is(o, "--images") ? &a->images
		       : wf_cli_is(o, "--floppy") ? &a->floppy
		       : wf_cli_is(o, "--windows") ? &a->windows : NULL;
		if (!slot && o[0] == '-' && o[1])
			return wf_cli_usage_error("media: unknown option %s (see virt-winfix media --help)", o);
		if (!slot) {
			if (a->iso)
				return wf_cli_usage_error("media: one ISO at a time (%s and %s)", a->iso, o);
			a->iso = o;
			continue;
		}
		if (i + 1 >= argc)
			return wf_cli_usage_error("media: %s needs a value", o);
		*slot = argv[++i];
	}
	if (!a->virtio)
		return wf_cli_usage_error("media: --virtio-win DIR|ISO is required");
	if (!a->iso && !a->floppy)
		return wf_cli_usage_error("media: no ISO given (usage: virt-winfix media ISO -o NEW.iso ...)");
	if (a->iso && !a->out && !a->floppy && !a->dry)
		return wf_cli_usage_error("media: -o NEW.iso is required (or --dry-run)");
	if (!a->iso && !a->windows)
		return wf_cli_usage_error("media: --floppy without an ISO needs --windows xp|2003|xp-x64|2003-x64");
	return 0;
}

static void on_step(void *ud, const char *msg)
{
	(void)ud;
	wf_cli_line("%s", msg);
}

static void on_bytes(void *ud, uint64_t done, uint64_t total)
{
	static unsigned last = 101;
	(void)ud;
	unsigned pct = total ? (unsigned)(done * 100 / total) : 0;
	int tty = isatty(STDERR_FILENO);
	if (pct == last || (!tty && pct / 25 == last / 25 && pct != 100))
		return;
	last = pct;
	fprintf(stderr, "virt-winfix:   %3u%% of %.1f MB%s", pct, (double)total / 1e6,
		tty && pct < 100 ? "\r" : "\n");
}

/* "viostor,vioscsi" -> vector (malloc'd, in place in `copy`). */
static size_t split_list(char *copy, const char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		out[n++] = t;
	return n;
}

static int run(struct args *a, struct wf_error *e)
{
	if (wf_virtio_src_check(a->virtio, e) < 0)
		return -1;
	struct wf_virtio_src *src = wf_virtio_src_open(a->virtio, NULL, e);
	if (!src)
		return -1;
	char *list = strdup(a->drivers ? a->drivers : "viostor,vioscsi");
	const char *drv[16];
	size_t nd = split_list(list, drv, 16);
	const char *tmp = getenv("TMPDIR");
	struct wf_media_opts o = {
		.iso = a->iso, .out = a->dry ? NULL : a->out, .floppy = a->dry ? NULL : a->floppy,
		.virtio = src, .drivers = drv, .n_drivers = nd, .images = a->images,
		.windows = a->windows, .tmpdir = tmp && *tmp ? tmp : "/var/tmp",
		.step = on_step, .bytes = on_bytes,
	};
	struct wf_media m;
	int r = wf_media_plan(&o, &m, e);
	if (r == 0) {
		wf_cli_out(stdout, m.text.buf);
		fflush(stdout);
	}
	if (r == 0 && !a->dry) {
		if (!a->yes && !wf_cli_confirm("Write this?"))
			r = wf_error_set(e, WF_ERR_USAGE,
					 "media: not written: confirm at the prompt or add --yes (--dry-run only shows the plan)");
		else if (wf_cli_interrupted())
			r = wf_error_set(e, WF_ERR_CANCELLED, "interrupted");
		else
			r = wf_media_apply(&o, &m, e);
	}
	if (r == 0 && !a->dry)
		printf("Written:%s%s%s%s\n", o.out ? " " : "", o.out ? o.out : "",
		       o.floppy ? " " : "", o.floppy ? o.floppy : "");
	wf_media_free(&m);
	wf_virtio_src_free(src);
	free(list);
	return r;
}

int wf_cmd_media(int argc, char **argv)
{
	struct args a = { 0 };
	int p = parse(argc, argv, &a);
	if (p)
		return p == 1 ? WF_EXIT_OK : p;
	struct wf_error e = { 0 };
	if (run(&a, &e) < 0)
		return wf_cli_fail(&e);
	return WF_EXIT_OK;
}
