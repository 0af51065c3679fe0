/*
 * sha256.h - SHA-256 (FIPS 180-4), for the journal: the hash of each hive
 * before and after a fix, so that undo can prove it restored the exact
 * bytes and can tell when a hive changed after the fix.
 */
#ifndef WF_SHA256_H
#define WF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct wf_sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t n;
};

void wf_sha256_init(struct wf_sha256 *s);
void wf_sha256_update(struct wf_sha256 *s, const void *data, size_t len);
/* 64 lowercase hex digits + NUL into hex. */
void wf_sha256_hex(struct wf_sha256 *s, char hex[65]);
/* Hash a file; -1 with "PATH: cannot read: ..." */
int wf_sha256_file(const char *path, char hex[65], struct wf_error *e);

#endif
