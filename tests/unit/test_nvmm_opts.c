/*
 * Host tests of nvmm's command line (tools/nvmm/opts.c): the defaults,
 * every option in its forms, the bounds of --mem, --cpus and --cmdline,
 * and each refusal with the exact lines nvmm prints for it (main exits
 * with status 2 after them), --help and its text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "nvmm.h"
#include "nvmm_helpers.h"

#define HINT "(nvmm --help lists the options)\n"

static char *args[32];
static int nargs;
static struct nvmm_opts o;

static int setup(void **state)
{
	(void)state;
	nvmm_capture_start();
	return 0;
}

static void free_args(void)
{
	for (int i = 0; i < nargs; i++)
		free(args[i]);
	nargs = 0;
}

static int teardown(void **state)
{
	(void)state;
	free_args();
	nvmm_capture_stop();
	return 0;
}

/* opts_parse of "nvmm" and the arguments up to NULL, into o. */
static int parse(const char *arg, ...)
{
	va_list ap;

	free_args();
	args[nargs++] = strdup("nvmm");
	va_start(ap, arg);
	for (const char *a = arg; a; a = va_arg(ap, const char *)) {
		assert_true(nargs < 31);
		args[nargs++] = strdup(a);
	}
	va_end(ap);
	args[nargs] = NULL;
	memset(&o, 0x5a, sizeof(o));
	return opts_parse(nargs, args, &o);
}

#define PARSE(...) parse(__VA_ARGS__, NULL)

/* The arguments are refused with the line "nvmm: error: msg" and the hint. */
#define REFUSED(msg, ...)                                                        \
	do {                                                                      \
		nvmm_capture_start();                                             \
		assert_int_equal(PARSE(__VA_ARGS__), OPTS_BAD);                   \
		assert_string_equal(nvmm_captured(), "nvmm: error: " msg "\n" HINT); \
	} while (0)

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--kernel", "Image"), OPTS_RUN);
	assert_string_equal(o.kernel, "Image");
	assert_null(o.initrd);
	assert_string_equal(o.cmdline, "console=ttyAMA0");
	assert_null(o.dump_dtb);
	assert_int_equal(o.mem_mb, 256);
	assert_int_equal(o.cpus, 1);
	assert_int_equal(o.el2, 0);
	assert_string_equal(nvmm_captured(), "");
}

static void test_every_option(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--kernel", "k", "--initrd", "i", "--cmdline", "a b", "--mem", "1024",
			       "--cpus", "8", "--el2", "--dump-dtb", "d"), OPTS_RUN);
	assert_string_equal(o.kernel, "k");
	assert_string_equal(o.initrd, "i");
	assert_string_equal(o.cmdline, "a b");
	assert_int_equal(o.mem_mb, 1024);
	assert_int_equal(o.cpus, 8);
	assert_int_equal(o.el2, 1);
	assert_string_equal(o.dump_dtb, "d");
	assert_string_equal(nvmm_captured(), "");

	/* --opt=value, unambiguous prefixes; the last of a repeated option wins. */
	assert_int_equal(PARSE("--kernel=k2", "--mem=64", "--cpus=2", "--cpus", "3", "--ini", "i2",
			       "--dump", "d2", "--cmd=", "--e"), OPTS_RUN);
	assert_string_equal(o.kernel, "k2");
	assert_string_equal(o.initrd, "i2");
	assert_string_equal(o.dump_dtb, "d2");
	assert_string_equal(o.cmdline, "");
	assert_int_equal(o.mem_mb, 64);
	assert_int_equal(o.cpus, 3);
	assert_int_equal(o.el2, 1);
}

static void test_mem(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--kernel", "k", "--mem", "16"), OPTS_RUN);
	assert_int_equal(o.mem_mb, 16);
	assert_int_equal(PARSE("--kernel", "k", "--mem", "1048576"), OPTS_RUN);
	assert_int_equal(o.mem_mb, 1048576);
	assert_int_equal(PARSE("--kernel", "k", "--mem", "0256"), OPTS_RUN); /* decimal */
	assert_int_equal(o.mem_mb, 256);

#define MEM_REFUSED(v) REFUSED("--mem '" v "': give the guest's RAM in MiB, 16 to 1048576", \
			       "--kernel", "k", "--mem", v)
	MEM_REFUSED("15");
	MEM_REFUSED("0");
	MEM_REFUSED("1048577");
	MEM_REFUSED("-1");
	MEM_REFUSED("+16");
	MEM_REFUSED(" 16");
	MEM_REFUSED("16 ");
	MEM_REFUSED("0x100");
	MEM_REFUSED("512M");
	MEM_REFUSED("1G");
	MEM_REFUSED("");
	MEM_REFUSED("99999999999999999999999"); /* beyond unsigned long */
	MEM_REFUSED("18446744073709551616");
}

static void test_cpus(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--kernel", "k", "--cpus", "1"), OPTS_RUN);
	assert_int_equal(o.cpus, 1);
	assert_int_equal(PARSE("--kernel", "k", "--cpus", "64"), OPTS_RUN);
	assert_int_equal(o.cpus, 64);

#define CPUS_REFUSED(v) REFUSED("--cpus '" v "': give a number of vCPUs, 1 to 64", \
				"--kernel", "k", "--cpus", v)
	CPUS_REFUSED("0");
	CPUS_REFUSED("65");
	CPUS_REFUSED("4294967297"); /* 2^32 + 1: not taken modulo */
	CPUS_REFUSED("1x");
	CPUS_REFUSED("-1");
	CPUS_REFUSED("two");
	CPUS_REFUSED("");
}

static void test_cmdline_length(void **state)
{
	static char text[4097];

	(void)state;
	memset(text, 'c', 4095);
	assert_int_equal(PARSE("--kernel", "k", "--cmdline", text), OPTS_RUN);
	assert_int_equal(strlen(o.cmdline), 4095);
	text[4095] = 'c';
	REFUSED("--cmdline is 4096 bytes; at most 4095", "--kernel", "k", "--cmdline", text);
}

static void test_missing_value(void **state)
{
	(void)state;
	REFUSED("--kernel needs a value", "--kernel");
	REFUSED("--initrd needs a value", "--kernel", "k", "--initrd");
	REFUSED("--cmdline needs a value", "--kernel", "k", "--cmdline");
	REFUSED("--mem needs a value", "--kernel", "k", "--mem");
	REFUSED("--cpus needs a value", "--kernel", "k", "--cpus");
	REFUSED("--dump-dtb needs a value", "--kernel", "k", "--dump-dtb");
}

static void test_unknown_option(void **state)
{
	(void)state;
	REFUSED("unknown option '--bogus'", "--kernel", "k", "--bogus");
	REFUSED("unknown option '--bogus=3'", "--bogus=3", "--kernel", "k");
	REFUSED("unknown option '-k'", "-k", "Image");
	/* Ambiguous: --cmdline or --cpus. */
	REFUSED("unknown option '--c'", "--kernel", "k", "--c", "2");
	/* The first error is the one reported. */
	REFUSED("unknown option '--x'", "--x", "--cpus", "0");
}

static void test_unexpected_argument(void **state)
{
	(void)state;
	REFUSED("unexpected argument 'Image' (the kernel is given with --kernel)", "Image");
	REFUSED("unexpected argument 'extra' (the kernel is given with --kernel)",
		"--kernel", "k", "extra");
	REFUSED("unexpected argument 'extra' (the kernel is given with --kernel)",
		"extra", "--kernel", "k");
	/* After --, options are arguments. */
	REFUSED("unexpected argument '--mem' (the kernel is given with --kernel)",
		"--kernel", "k", "--", "--mem");
}

static void test_no_kernel(void **state)
{
	(void)state;
	nvmm_capture_start();
	free_args();
	args[nargs++] = strdup("nvmm");
	args[nargs] = NULL;
	assert_int_equal(opts_parse(nargs, args, &o), OPTS_BAD);
	assert_string_equal(nvmm_captured(),
			    "nvmm: error: no kernel: give an arm64 Linux Image with --kernel\n" HINT);
	REFUSED("no kernel: give an arm64 Linux Image with --kernel", "--cpus", "2", "--el2");
}

static void test_help(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--help"), OPTS_HELP);
	assert_int_equal(PARSE("--kernel", "k", "--help", "--cpus", "0"), OPTS_HELP);
	assert_int_equal(PARSE("--he"), OPTS_HELP);
	assert_string_equal(nvmm_captured(), "");
	/* An error before --help is reported. */
	REFUSED("--cpus '0': give a number of vCPUs, 1 to 64", "--cpus", "0", "--help");

	/* The text names every option and the exit statuses. */
	static const char *const words[] = {
		"usage: nvmm --kernel IMAGE", "--initrd FILE", "--cmdline TEXT", "--mem MIB",
		"--cpus N", "--el2", "--dump-dtb FILE", "--help", "16 to 1048576", "1 to 64",
		"(default 256)", "(default 1)", "\"console=ttyAMA0\"", "status 0", "status 3",
		"status 1", "arguments 2",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strstr(nvmm_usage, words[i]))
			fail_msg("the usage text does not mention '%s'", words[i]);
	assert_int_equal(nvmm_usage[strlen(nvmm_usage) - 1], '\n');
}

/* Each call starts afresh: getopt's state of the last one is not kept. */
static void test_parse_again(void **state)
{
	(void)state;
	REFUSED("--mem needs a value", "--kernel", "k", "--mem");
	assert_int_equal(PARSE("--cpus", "4", "--kernel", "k2"), OPTS_RUN);
	assert_string_equal(o.kernel, "k2");
	assert_int_equal(o.cpus, 4);
	assert_int_equal(o.mem_mb, 256);
	assert_int_equal(PARSE("--kernel", "k3"), OPTS_RUN);
	assert_int_equal(o.cpus, 1);
	assert_int_equal(o.el2, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_every_option),
		T(test_mem),
		T(test_cpus),
		T(test_cmdline_length),
		T(test_missing_value),
		T(test_unknown_option),
		T(test_unexpected_argument),
		T(test_no_kernel),
		T(test_help),
		T(test_parse_again),
	};

	return cmocka_run_group_tests_name("nvmm_opts", tests, NULL, NULL);
}
