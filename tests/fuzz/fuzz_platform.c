/*
 * The platform device-tree parser (src/core/platform.c) on any DTB the
 * boot loader might pass, then the boot parameters it found, as main.c
 * does. Checks: the error message is terminated inside its buffer; an
 * accepted machine has RAM, CPUs within NR_CPUS, tables within their
 * bounds, terminated strings and an initrd (if any) inside RAM.
 */
#include <nv/bootparam.h>
#include <nv/platform.h>
#include "fdt_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *fdt = fuzz_fdt(data, size);
	struct platform p;
	struct bootparams bp;
	char err[256];

	fuzz_quiet_console();
	if (!fdt)
		return 0;
	memset(err, 0, sizeof(err));
	if (!platform_parse(fdt, &p, err, sizeof(err))) {
		FUZZ_CHECK(err[0] && fuzz_terminated(err, sizeof(err)));
		free(fdt);
		return 0;
	}
	FUZZ_CHECK(p.nr_mem >= 1 && p.nr_mem <= PLAT_MAX_MEM);
	FUZZ_CHECK(p.nr_reserved <= PLAT_MAX_RESERVED);
	FUZZ_CHECK(p.nr_cpus >= 1 && p.nr_cpus <= NR_CPUS);
	FUZZ_CHECK(p.gic.nr_redist >= 1 && p.gic.nr_redist <= PLAT_MAX_REDIST);
	FUZZ_CHECK(fuzz_terminated(p.gic.path, sizeof(p.gic.path)));
	FUZZ_CHECK(fuzz_terminated(p.uart.path, sizeof(p.uart.path)));
	FUZZ_CHECK(fuzz_terminated(p.bootargs, sizeof(p.bootargs)));
	FUZZ_CHECK(!p.has_initrd || platform_is_ram(&p, p.initrd.base, p.initrd.size));
	FUZZ_CHECK(p.fdt.size == fdt_totalsize(fdt));
	if (!bootparams_parse(p.bootargs, &bp, err, sizeof(err)))
		FUZZ_CHECK(fuzz_terminated(err, sizeof(err)));
	free(fdt);
	return 0;
}
