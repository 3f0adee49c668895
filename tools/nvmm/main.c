/* nvmm: the options (opts.c), the guest's files (file.c), then the VM
 * (kvm.c) or its device tree (dump.c). */
#include <stdio.h>
#include <stdlib.h>

#include "nvmm.h"

int main(int argc, char **argv)
{
	struct nvmm_opts o;

	switch (opts_parse(argc, argv, &o)) {
	case OPTS_HELP: fputs(nvmm_usage, stdout); return NVMM_EXIT_OK;
	case OPTS_BAD: return NVMM_EXIT_USAGE;
	}

	struct blob kernel, initrd;
	if (file_read(o.kernel, "kernel", &kernel))
		return NVMM_EXIT_ERROR;
	if (o.initrd && file_read(o.initrd, "initrd", &initrd))
		return NVMM_EXIT_ERROR;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (o.dump_dtb)
		return dump_dtb(&o, &kernel, o.initrd ? &initrd : NULL);
	int status = vmm_run(&o, &kernel, o.initrd ? &initrd : NULL);
	fflush(stderr);
	exit(status);
}
