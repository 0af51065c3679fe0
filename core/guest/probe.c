#include "probe.h"

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *lookup(blkid_probe pr, const char *name)
{
	const char *v = NULL;
	if (blkid_probe_lookup_value(pr, name, &v, NULL) == 0 && v)
		return wf_xstrdup(v);
	return NULL;
}

/* Filesystem (superblock) probe of one byte range of the file. */
static void probe_fs(int fd, uint64_t off, uint64_t size, char **type,
		     char **label, char **uuid)
{
	blkid_probe pr = blkid_new_probe();
	if (!pr)
		return;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)off,
				   (blkid_loff_t)size) == 0) {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
						  BLKID_SUBLKS_LABEL |
						  BLKID_SUBLKS_UUID);
		if (blkid_do_safeprobe(pr) == 0) {
			*type = lookup(pr, "TYPE");
			*label = lookup(pr, "LABEL");
			*uuid = lookup(pr, "UUID");
		}
	}
	blkid_free_probe(pr);
}

static void count_fs(struct wf_probe *out, const char *fstype)
{
	if (!fstype)
		return;
	out->n_ntfs += strcmp(fstype, "ntfs") == 0;
	out->n_bitlocker += strcmp(fstype, "BitLocker") == 0;
}

static void read_partitions(blkid_probe pr, int fd, struct wf_probe *out)
{
	blkid_partlist ls = blkid_probe_get_partitions(pr);
	if (!ls)
		return;
	blkid_parttable tab = blkid_partlist_get_table(ls);
	if (tab)
		out->pttype = wf_xstrdup(blkid_parttable_get_type(tab));
	int n = blkid_partlist_numof_partitions(ls);
	out->parts = wf_xcalloc(n > 0 ? (size_t)n : 1, sizeof *out->parts);
	for (int i = 0; i < n; i++) {
		blkid_partition par = blkid_partlist_get_partition(ls, i);
		struct wf_partition *p = &out->parts[out->n_parts++];
		p->number = blkid_partition_get_partno(par);
		p->start = (uint64_t)blkid_partition_get_start(par) * 512;
		p->size = (uint64_t)blkid_partition_get_size(par) * 512;
		const char *ts = blkid_partition_get_type_string(par);
		p->type = ts ? wf_xstrdup(ts)
			     : wf_xasprintf("0x%02x", blkid_partition_get_type(par));
		const char *nm = blkid_partition_get_name(par);
		p->name = nm && *nm ? wf_xstrdup(nm) : NULL;
		probe_fs(fd, p->start, p->size, &p->fstype, &p->label, &p->uuid);
		count_fs(out, p->fstype);
	}
}

int wf_probe_image(const char *path, struct wf_probe *out, struct wf_error *e)
{
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wf_error_set(e, WF_ERR_INPUT, "%s: cannot open: %s", path,
				    strerror(errno));
	blkid_probe pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, fd, 0, 0) < 0) {
		if (pr)
			blkid_free_probe(pr);
		close(fd);
		return wf_error_set(e, WF_ERR_INPUT, "%s: libblkid cannot probe it",
				    path);
	}
	out->size = (uint64_t)blkid_probe_get_size(pr);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL);
	int r = blkid_do_safeprobe(pr);
	if (r == 0) {
		out->fstype = lookup(pr, "TYPE");
		out->label = lookup(pr, "LABEL");
		count_fs(out, out->fstype);
	}
	read_partitions(pr, fd, out);
	blkid_free_probe(pr);
	close(fd);
	return 0;
}

void wf_probe_free(struct wf_probe *p)
{
	for (size_t i = 0; i < p->n_parts; i++) {
		free(p->parts[i].type);
		free(p->parts[i].name);
		free(p->parts[i].fstype);
		free(p->parts[i].label);
		free(p->parts[i].uuid);
	}
	free(p->parts);
	free(p->pttype);
	free(p->fstype);
	free(p->label);
	memset(p, 0, sizeof *p);
}
