/* nvmm: options, the guest's files, then the VM (kvm.c). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvmm.h"

static const char usage_text[] =
	"usage: nvmm --kernel IMAGE [--initrd FILE] [--cmdline TEXT] [--mem MIB]\n"
	"            [--cpus N] [--el2] [--dump-dtb FILE]\n"
	"Runs an arm64 Linux Image in a KVM virtual machine: GICv3, the architected\n"
	"timer, PSCI (in KVM) and a PL011 UART at 0x9000000 whose output goes to\n"
	"standard output. Ends when the guest powers off or resets (status 0) or\n"
	"reports a crash (status 3); an error of nvmm's is status 1, bad arguments 2.\n"
	"  --kernel IMAGE   the arm64 Linux Image (uncompressed) to boot\n"
	"  --initrd FILE    an initramfs, given to the kernel through /chosen\n"
	"  --cmdline TEXT   the kernel command line (default \"console=ttyAMA0\")\n"
	"  --mem MIB        guest RAM in MiB, 16 to 1048576 (default 256)\n"
	"  --cpus N         vCPUs, 1 to 64 (default 1)\n"
	"  --el2            start the vCPUs at EL2 (nested virtualization:\n"
	"                   needs KVM_CAP_ARM_EL2, i.e. kvm-arm.mode=nested on FEAT_NV)\n"
	"  --dump-dtb FILE  write the device tree nvmm would give the guest to FILE\n"
	"                   and exit, without /dev/kvm (CPU n has MPIDR n)\n"
	"  --help           this text\n";

void nvmm_err(const char *fmt, ...)
{
	va_list ap;
	fputs("nvmm: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("nvmm: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(nvmm --help lists the options)\n", stderr);
	return NVMM_EXIT_USAGE;
}

/* A decimal number in [min, max], nothing else in the string. */
static int parse_num(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

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
	enum { OPT_KERNEL = 256, OPT_INITRD, OPT_CMDLINE, OPT_MEM, OPT_CPUS, OPT_EL2, OPT_DUMP, OPT_HELP };
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "initrd", required_argument, NULL, OPT_INITRD },
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "mem", required_argument, NULL, OPT_MEM },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "el2", no_argument, NULL, OPT_EL2 },
		{ "dump-dtb", required_argument, NULL, OPT_DUMP },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct nvmm_opts o = { .cmdline = "console=ttyAMA0", .mem_mb = 256, .cpus = 1 };
	unsigned long v;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_KERNEL: o.kernel = optarg; break;
		case OPT_INITRD: o.initrd = optarg; break;
		case OPT_CMDLINE: o.cmdline = optarg; break;
		case OPT_MEM:
			if (parse_num(optarg, NVMM_MIN_MEM_MB, NVMM_MAX_MEM_MB, &v))
				return usage_error("--mem '%s': give the guest's RAM in MiB, %lu to %lu",
						   optarg, NVMM_MIN_MEM_MB, NVMM_MAX_MEM_MB);
			o.mem_mb = v;
			break;
		case OPT_CPUS:
			if (parse_num(optarg, 1, NVMM_MAX_CPUS, &v))
				return usage_error("--cpus '%s': give a number of vCPUs, 1 to %u", optarg,
						   NVMM_MAX_CPUS);
			o.cpus = (unsigned int)v;
			break;
		case OPT_EL2: o.el2 = 1; break;
		case OPT_DUMP: o.dump_dtb = optarg; break;
		case OPT_HELP: fputs(usage_text, stdout); return NVMM_EXIT_OK;
		case ':': return usage_error("%s needs a value", argv[optind - 1]);
		default:
			if (optopt >= OPT_KERNEL)
				return usage_error("%s needs a value", argv[optind - 1]);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' (the kernel is given with --kernel)", argv[optind]);
	if (!o.kernel)
		return usage_error("no kernel: give an arm64 Linux Image with --kernel");
	if (strlen(o.cmdline) > 4095)
		return usage_error("--cmdline is %zu bytes; at most 4095", strlen(o.cmdline));

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
