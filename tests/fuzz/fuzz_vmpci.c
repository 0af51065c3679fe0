/*
 * fuzz_vmpci.c - libFuzzer target for the virtio id reader of domain XML
 * (core/facts/vmpci.c, libxml2 underneath).
 *
 * Every input gives a result or a one-line error naming the file; a
 * result has a known mode per device and printable model strings.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmpci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wf_vm_virtio vm;
	struct wf_error e = { 0 };
	if (wf_vm_virtio_from_domxml_mem((const char *)data, size, "fuzz.xml", &vm, &e) == 0) {
		for (int i = 0; i < 3; i++) {
			if (vm.dev[i].mode > WF_VID_MODERN || !memchr(vm.dev[i].model, '\0', sizeof vm.dev[i].model))
				abort();
			for (const char *p = vm.dev[i].model; *p; p++)
				if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
					abort();
		}
		if (vm.q35 < -1 || vm.q35 > 1)
			abort();
	} else if (strncmp(e.msg, "domain XML fuzz.xml: ", 21) != 0 || strchr(e.msg, '\n')) {
		abort();
	}
	return 0;
}
