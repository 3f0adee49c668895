/*
 * Host tests of --dump-dtb (tools/nvmm/dump.c), nvmm's run without
 * /dev/kvm: the file holds exactly the tree fdt_build makes for the
 * layout of the options (CPU n with MPIDR n), and a kernel too large for
 * --mem, a file that is no Image or a path that cannot be written give
 * status 1 and one error line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfdt.h>
#include "nvmm.h"
#include "nvmm_helpers.h"

#define MiB (1ULL << 20)

static uint8_t kernel_buf[4096];
static struct blob kernel = { .data = kernel_buf, .size = sizeof(kernel_buf) };
static uint8_t initrd_buf[5000];
static struct blob initrd = { .data = initrd_buf, .size = sizeof(initrd_buf) };
static struct nvmm_opts o;
static char out_path[512];

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* A kernel Image whose image_size is given; options as nvmm's defaults. */
static int setup(void **state)
{
	(void)state;
	nvmm_capture_start();
	memset(kernel_buf, 0, sizeof(kernel_buf));
	put_le64(kernel_buf + 16, 20 * MiB);
	memcpy(kernel_buf + 56, "ARM\x64", 4);
	snprintf(out_path, sizeof(out_path), "%s", nvmm_tmp_path("guest.dtb"));
	o = (struct nvmm_opts){
		.kernel = "Image", .cmdline = "console=ttyAMA0", .mem_mb = 256, .cpus = 1,
		.dump_dtb = out_path,
	};
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nvmm_capture_stop();
	nvmm_tmp_cleanup();
	return 0;
}

/* The file at path, which must exist; its size to *len. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[0x20000];

	assert_non_null(f);
	*len = fread(buf, 1, sizeof(buf), f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The file is the tree fdt_build makes for o's layout, and nothing else. */
static const uint8_t *expect_tree(const struct blob *rd)
{
	static uint8_t want[0x10000];
	uint64_t mpidr[NVMM_MAX_CPUS];
	struct layout l;
	char err[256];
	size_t len;

	assert_int_equal(layout_plan(&l, (uint64_t)o.mem_mb << 20, &kernel, rd ? rd->size : 0,
				     err, sizeof(err)), 0);
	for (unsigned int i = 0; i < o.cpus; i++)
		mpidr[i] = i;
	struct fdt_params p = {
		.layout = &l, .cmdline = o.cmdline, .cpus = o.cpus, .mpidr = mpidr, .el2 = o.el2,
	};
	assert_int_equal(fdt_build(want, sizeof(want), &p), 0);
	const uint8_t *got = slurp(out_path, &len);
	assert_int_equal(fdt_check_header(got), 0);
	assert_int_equal(len, fdt_totalsize(want));
	assert_memory_equal(got, want, len);
	return got;
}

static void test_default_guest(void **state)
{
	(void)state;
	assert_int_equal(dump_dtb(&o, &kernel, NULL), NVMM_EXIT_OK);
	assert_string_equal(nvmm_captured(), "");
	const uint8_t *dtb = expect_tree(NULL);
	assert_true(fdt_path_offset(dtb, "/cpus/cpu@0") >= 0);
	assert_true(fdt_path_offset(dtb, "/cpus/cpu@1") < 0);
	assert_null(fdt_getprop(dtb, fdt_path_offset(dtb, "/chosen"), "linux,initrd-start", NULL));
}

static void test_options_reach_the_tree(void **state)
{
	(void)state;
	o.cpus = 3;
	o.el2 = 1;
	o.mem_mb = 1024;
	o.cmdline = "console=ttyAMA0 earlycon";
	assert_int_equal(dump_dtb(&o, &kernel, &initrd), NVMM_EXIT_OK);
	assert_string_equal(nvmm_captured(), "");
	const uint8_t *dtb = expect_tree(&initrd);
	/* CPU n has MPIDR n. */
	for (int i = 0; i < 3; i++) {
		char path[32];
		int len;
		snprintf(path, sizeof(path), "/cpus/cpu@%d", i);
		const fdt64_t *reg = fdt_getprop(dtb, fdt_path_offset(dtb, path), "reg", &len);
		assert_non_null(reg);
		assert_int_equal(fdt64_ld(reg), i);
	}
	int chosen = fdt_path_offset(dtb, "/chosen");
	const fdt64_t *end = fdt_getprop(dtb, chosen, "linux,initrd-end", NULL);
	assert_non_null(end);
	/* The initrd ends just below the DTB, in the last 2 MiB of the 1 GiB. */
	assert_true(fdt64_ld(end) <= GUEST_RAM_BASE + 1022 * MiB);
	assert_string_equal(fdt_getprop(dtb, chosen, "bootargs", NULL), "console=ttyAMA0 earlycon");
	assert_string_equal(fdt_getprop(dtb, fdt_path_offset(dtb, "/psci"), "method", NULL), "smc");
}

/* docs/VMM.md's example of the error. */
static void test_kernel_too_large(void **state)
{
	(void)state;
	put_le64(kernel_buf + 16, 45219840);
	o.kernel = "cache/linux/Image";
	o.mem_mb = 32;
	assert_int_equal(dump_dtb(&o, &kernel, NULL), NVMM_EXIT_ERROR);
	assert_string_equal(nvmm_captured(),
			    "nvmm: error: cache/linux/Image: the kernel (image_size 45219840 bytes) "
			    "does not fit in 32 MiB of RAM (needs at least 46 MiB; use a larger --mem)\n");
	assert_int_equal(access(out_path, F_OK), -1);
}

static void test_not_an_image(void **state)
{
	(void)state;
	kernel_buf[56] = 'a';
	assert_int_equal(dump_dtb(&o, &kernel, &initrd), NVMM_EXIT_ERROR);
	assert_string_equal(nvmm_captured(), "nvmm: error: Image: not an arm64 Linux Image "
					     "(no ARM\\x64 magic at offset 56)\n");
	assert_int_equal(access(out_path, F_OK), -1);
}

static void test_cannot_write(void **state)
{
	char want[700];

	(void)state;
	snprintf(out_path, sizeof(out_path), "%s", nvmm_tmp_path("none/guest.dtb"));
	snprintf(want, sizeof(want), "nvmm: error: cannot write the device tree to '%s': "
		 "No such file or directory\n", out_path);
	assert_int_equal(dump_dtb(&o, &kernel, NULL), NVMM_EXIT_ERROR);
	assert_string_equal(nvmm_captured(), want);

	/* A device that takes nothing: the error shows when the file is closed. */
	nvmm_capture_start();
	o.dump_dtb = "/dev/full";
	assert_int_equal(dump_dtb(&o, &kernel, NULL), NVMM_EXIT_ERROR);
	assert_string_equal(nvmm_captured(), "nvmm: error: cannot write the device tree to "
					     "'/dev/full': No space left on device\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_default_guest),
		T(test_options_reach_the_tree),
		T(test_kernel_too_large),
		T(test_not_an_image),
		T(test_cannot_write),
	};

	return cmocka_run_group_tests_name("nvmm_dump", tests, NULL, NULL);
}
