/*
 * A device-tree blob from fuzz input, accepted the way nestvisor accepts
 * one (scenario.c for the bundle's scenario.dtb, platform.c for the
 * machine's): at least a header, fdt_check_header() happy, totalsize
 * inside what was given. The copy is exactly that size, so ASan sees any
 * read past it by nestvisor's own code.
 */
#ifndef NV_TESTS_FUZZ_FDT_INPUT_H
#define NV_TESTS_FUZZ_FDT_INPUT_H

#include <libfdt.h>
#include "fuzz.h"

/* NULL if the blob is refused; free() the copy otherwise. */
static inline void *fuzz_fdt(const uint8_t *data, size_t size)
{
	void *fdt;

	if (size < 40 || size > (1u << 20))
		return NULL;
	fdt = malloc(size);
	memcpy(fdt, data, size);
	if (fdt_check_header(fdt) || fdt_totalsize(fdt) > size) {
		free(fdt);
		return NULL;
	}
	return fdt;
}

#endif
