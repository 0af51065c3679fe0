#include "unlock.h"
#include "strbuf.h"
#include "text.h"

#include <guestfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wf_key_split(const char *sel, char *dev, size_t dev_n, char *kind,
		 size_t kind_n, const char **value)
{
	const char *c1 = strchr(sel, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || c1 == sel || (size_t)(c1 - sel) >= dev_n ||
	    (size_t)(c2 - c1 - 1) >= kind_n || !c2[1])
		return -1;
	snprintf(dev, dev_n, "%.*s", (int)(c1 - sel), sel);
	snprintf(kind, kind_n, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	*value = c2 + 1;
	return strcmp(kind, "key") == 0 || strcmp(kind, "file") == 0 ? 0 : -1;
}

/* The key text of a selector (a file's first line for "file:"). */
static char *key_text(const char *kind, const char *value, struct wf_error *e)
{
	if (strcmp(kind, "key") == 0)
		return wf_xstrdup(value);
	struct wf_strbuf sb = WF_STRBUF_INIT;
	if (wf_sb_read_file(&sb, value, 4096, e) < 0) {
		wf_sb_release(&sb);
		wf_error_prefix(e, "--key");
		return NULL;
	}
	sb.buf[strcspn(sb.buf, "\r\n")] = 0;
	return wf_sb_detach(&sb);
}

static int try_keys(guestfs_h *g, const char *dev, const char *map,
		    const char *const *keys, size_t n, int readonly, struct wf_error *e)
{
	int tried = 0;
	for (size_t i = 0; i < n; i++) {
		char sdev[256], kind[8];
		const char *value;
		if (wf_key_split(keys[i], sdev, sizeof sdev, kind, sizeof kind, &value) < 0)
			return wf_error_set(e, WF_ERR_USAGE, "--key %s: expected DEVICE:key:KEY or DEVICE:file:FILE", keys[i]);
		if (strcmp(sdev, "all") && strcmp(sdev, dev))
			continue;
		char *k = key_text(kind, value, e);
		if (!k)
			return -1;
		tried++;
		int r = guestfs_cryptsetup_open(g, dev, k, map,
						GUESTFS_CRYPTSETUP_OPEN_READONLY, readonly,
						GUESTFS_CRYPTSETUP_OPEN_CRYPTTYPE, "bitlk", -1);
		memset(k, 0, strlen(k));
		free(k);
		if (r == 0)
			return 1;
	}
	return wf_error_set(e, WF_ERR_ENCRYPTED, tried ?
			    "BitLocker volume %s: no --key opened it (%s)" :
			    "BitLocker volume %s: no --key names it (give --key %s:key:RECOVERY-KEY or all:key:...)",
			    dev, tried ? guestfs_last_error(g) : dev);
}

int wf_unlock_bitlocker(guestfs_h *g, const char *const *keys, size_t n,
			int readonly, struct wf_error *e)
{
	/* partitions by their blkid type: list_filesystems leaves out
	 * volumes it cannot mount */
	char **parts = guestfs_list_partitions(g);
	if (!parts)
		return wf_error_set(e, WF_ERR_APPLIANCE, "cannot list partitions: %s", guestfs_last_error(g));
	int r = 0;
	unsigned k = 0;
	for (size_t i = 0; parts[i] && r == 0; i++) {
		guestfs_push_error_handler(g, NULL, NULL);
		char *type = guestfs_vfs_type(g, parts[i]);
		guestfs_pop_error_handler(g);
		if (type && strcmp(type, "BitLocker") == 0) {
			char map[32];
			snprintf(map, sizeof map, "bitlk%u", k++);
			r = try_keys(g, parts[i], map, keys, n, readonly, e) < 0 ? -1 : 0;
		}
		free(type);
	}
	wf_strv0_free(parts);
	return r;
}
