/* nvmm: the options (opts.c), the guest's files, then the VM (kvm.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvmm.h"

static int read_file(const char *path, const char *what, struct blob *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		nvmm_err("cannot open the %s '%s': %s", what, path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		nvmm_err("the %s '%s' is not a regular file", what, path);
		close(fd);
		return -1;
	}
	b->size = (size_t)st.st_size;
	b->data = malloc(b->size ? b->size : 1);
	if (!b->data) {
		nvmm_err("no memory for the %s '%s' (%zu bytes)", what, path, b->size);
		close(fd);
		return -1;
	}
	size_t got = 0;
	while (got < b->size) {
		ssize_t n = read(fd, b->data + got, b->size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			nvmm_err("reading the %s '%s': %s", what, path, n ? strerror(errno) : "short file");
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

static int dump_dtb(const struct nvmm_opts *o, const struct blob *kernel, const struct blob *initrd)
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

int main(int argc, char **argv)
{
	struct nvmm_opts o;

	switch (opts_parse(argc, argv, &o)) {
	case OPTS_HELP: fputs(nvmm_usage, stdout); return NVMM_EXIT_OK;
	case OPTS_BAD: return NVMM_EXIT_USAGE;
	}

	struct blob kernel, initrd;
	if (read_file(o.kernel, "kernel", &kernel))
		return NVMM_EXIT_ERROR;
	if (o.initrd && read_file(o.initrd, "initrd", &initrd))
		return NVMM_EXIT_ERROR;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (o.dump_dtb)
		return dump_dtb(&o, &kernel, o.initrd ? &initrd : NULL);
	int status = vmm_run(&o, &kernel, o.initrd ? &initrd : NULL);
	fflush(stderr);
	exit(status);
}
