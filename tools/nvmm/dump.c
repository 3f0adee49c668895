/* --dump-dtb: the device tree the guest would get, to a file, without KVM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nvmm.h"

int dump_dtb(const struct nvmm_opts *o, const struct blob *kernel, const struct blob *initrd)
{
	struct layout l;
	char err[256];
	static uint8_t buf[0x10000];
	uint64_t mpidr[NVMM_MAX_CPUS];

	if (layout_plan(&l, (uint64_t)o->mem_mb << 20, kernel, initrd ? initrd->size : 0, err, sizeof(err))) {
		nvmm_err("%s: %s", o->kernel, err);
		return NVMM_EXIT_ERROR;
	}
	for (unsigned int i = 0; i < o->cpus; i++)
		mpidr[i] = i;
	struct fdt_params fp = { .layout = &l, .cmdline = o->cmdline, .cpus = o->cpus, .mpidr = mpidr, .el2 = o->el2 };
	int rc = fdt_build(buf, sizeof(buf), &fp);
	if (rc < 0) {
		nvmm_err("building the device tree: libfdt error %d", rc);
		return NVMM_EXIT_ERROR;
	}
	FILE *f = fopen(o->dump_dtb, "wb");
	uint32_t total = ((uint32_t)buf[4] << 24) | ((uint32_t)buf[5] << 16) | ((uint32_t)buf[6] << 8) | buf[7];
	if (!f || fwrite(buf, 1, total, f) != total || fclose(f) != 0) {
		nvmm_err("cannot write the device tree to '%s': %s", o->dump_dtb, strerror(errno));
		return NVMM_EXIT_ERROR;
	}
	return NVMM_EXIT_OK;
}
