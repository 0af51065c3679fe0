#include "guestdl.h"
#include "hivelog.h"
#include "text.h"

#include <guestfs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MiB (1ull << 20)

const struct wf_guest_cap wf_guest_caps[WF_GK_N] = {
	[WF_GK_HIVE] = { .kind = WF_GK_HIVE, .what = "registry hive",
		.max = WF_HIVELOG_MAX_HIVE,
		.source = "the largest hive read (hivelog.h); a SOFTWARE hive of a long-lived "
			  "server is a few hundred MB" },
	[WF_GK_HIVELOG] = { .kind = WF_GK_HIVELOG, .what = "hive transaction log",
		.max = WF_HIVELOG_MAX_LOG, .source = "hivelog.h: the largest log replayed" },
	[WF_GK_SETUPLOG] = { .kind = WF_GK_SETUPLOG, .what = "SetupAPI log",
		.max = 64 * MiB, .keep_tail = 1,
		.source = "Windows appends to setupapi.dev.log and never trims it (Microsoft "
			  "Learn, 'SetupAPI Text Logs'); the newest device installs, the ones "
			  "a move to KVM is about, are at its end" },
	[WF_GK_INF] = { .kind = WF_GK_INF, .what = "INF file", .max = 4 * MiB,
		.source = "inf.c reads at most 4 MB (INF_MAX_BYTES); the largest inbox INFs are "
			  "a few hundred KB" },
	[WF_GK_CAB] = { .kind = WF_GK_CAB, .what = "cabinet", .max = 1024 * MiB,
		.source = "XP/2003's Driver Cache cabinets (driver.cab, spN.cab) are up to a "
			  "few hundred MB" },
	[WF_GK_DRIVER] = { .kind = WF_GK_DRIVER, .what = "driver file", .max = 64 * MiB,
		.source = "pe.c reads at most 64 MB (PE_MAX_FILE); drivers are KB to a few MB" },
	[WF_GK_CATALOG] = { .kind = WF_GK_CATALOG, .what = "security catalog", .max = 32 * MiB,
		.source = "trustpub.c reads at most 32 MB (CATALOG_MAX)" },
	[WF_GK_BACKUP] = { .kind = WF_GK_BACKUP, .what = "file to back up",
		.max = WF_HIVELOG_MAX_HIVE,
		.source = "the executor backs up hives, their logs and driver files; none is "
			  "larger than a hive" },
};

enum wf_gkind wf_guest_kind_of(const char *name)
{
	if (wf_endswithi(name, ".inf"))
		return WF_GK_INF;
	if (wf_endswithi(name, ".cat"))
		return WF_GK_CATALOG;
	if (wf_endswithi(name, ".cab"))
		return WF_GK_CAB;
	return WF_GK_DRIVER;
}

static int gerr(guestfs_h *g, struct wf_error *e, const char *real, const char *what)
{
	const char *m = guestfs_last_error(g);
	return wf_error_set(e, WF_ERR_INPUT, "%s: cannot %s in the guest: %s", real, what,
			    m ? m : "failed");
}

int wf_guest_download(guestfs_h *g, const char *real, const char *local,
		      enum wf_gkind kind, uint64_t *size, struct wf_error *e)
{
	const struct wf_guest_cap *cap = &wf_guest_caps[kind < WF_GK_N ? kind : WF_GK_BACKUP];
	struct guestfs_statns *st = guestfs_statns(g, real);
	if (!st)
		return gerr(g, e, real, "look at it");
	int reg = S_ISREG((mode_t)st->st_mode);
	uint64_t sz = st->st_size > 0 ? (uint64_t)st->st_size : 0;
	guestfs_free_statns(st);
	if (size)
		*size = sz;
	if (!reg)
		return wf_error_set(e, WF_ERR_INPUT, "%s: not a regular file, not read", real);
	if (sz <= cap->max)
		return guestfs_download(g, real, local) < 0 ? gerr(g, e, real, "read it") : 0;
	char have[32], max[32];
	wf_format_size(have, sizeof have, sz);
	wf_format_size(max, sizeof max, cap->max);
	if (!cap->keep_tail)
		return wf_error_set(e, WF_ERR_INPUT, "%s: %s of %s, more than the %s read at most; "
				    "not read", real, cap->what, have, max);
	if (guestfs_download_offset(g, real, local, (int64_t)(sz - cap->max),
				    (int64_t)cap->max) < 0)
		return gerr(g, e, real, "read it");
	return 1;
}
