/* nvmm's command line: the options, their values and their errors. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvmm.h"

const char nvmm_usage[] =
	"usage: nvmm --kernel IMAGE [--initrd FILE] [--cmdline TEXT] [--mem MIB]\n"
	"            [--cpus N] [--el2] [--dump-dtb FILE]\n"
	"Runs an arm64 Linux Image in a KVM virtual machine: GICv3, the architected\n"
	"timer, PSCI (in KVM) and a PL011 UART at 0x9000000 whose output goes to\n"
	"standard output and whose input comes from standard input (a terminal is\n"
	"put in raw mode; Ctrl-A x stops the VM). Ends when the guest powers off or\n"
	"resets (status 0) or reports a crash (status 3); an error of nvmm's is\n"
	"status 1, bad arguments 2.\n"
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

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	nvmm_verr(fmt, ap);
	va_end(ap);
	fputs("(nvmm --help lists the options)\n", nvmm_log_file());
	return OPTS_BAD;
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

int opts_parse(int argc, char **argv, struct nvmm_opts *o)
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
	unsigned long v;
	int opt;

	*o = (struct nvmm_opts){ .cmdline = "console=ttyAMA0", .mem_mb = 256, .cpus = 1 };
	opterr = 0;
	optind = 0; /* glibc: start afresh (a first call would anyway) */
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_KERNEL: o->kernel = optarg; break;
		case OPT_INITRD: o->initrd = optarg; break;
		case OPT_CMDLINE: o->cmdline = optarg; break;
		case OPT_MEM:
			if (parse_num(optarg, NVMM_MIN_MEM_MB, NVMM_MAX_MEM_MB, &v))
				return usage_error("--mem '%s': give the guest's RAM in MiB, %lu to %lu",
						   optarg, NVMM_MIN_MEM_MB, NVMM_MAX_MEM_MB);
			o->mem_mb = v;
			break;
		case OPT_CPUS:
			if (parse_num(optarg, 1, NVMM_MAX_CPUS, &v))
				return usage_error("--cpus '%s': give a number of vCPUs, 1 to %u", optarg,
						   NVMM_MAX_CPUS);
			o->cpus = (unsigned int)v;
			break;
		case OPT_EL2: o->el2 = 1; break;
		case OPT_DUMP: o->dump_dtb = optarg; break;
		case OPT_HELP: return OPTS_HELP;
		case ':': return usage_error("%s needs a value", argv[optind - 1]);
		default:
			if (optopt >= OPT_KERNEL)
				return usage_error("%s needs a value", argv[optind - 1]);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' (the kernel is given with --kernel)", argv[optind]);
	if (!o->kernel)
		return usage_error("no kernel: give an arm64 Linux Image with --kernel");
	if (strlen(o->cmdline) > NVMM_MAX_CMDLINE)
		return usage_error("--cmdline is %zu bytes; at most %u", strlen(o->cmdline), NVMM_MAX_CMDLINE);
	return OPTS_RUN;
}
