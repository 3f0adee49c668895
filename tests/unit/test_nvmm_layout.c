/*
 * Host tests of nvmm's Image header check and guest RAM layout
 * (tools/nvmm/image.c): the header fields and each refusal, where the
 * kernel, the initrd and the DTB go, the error of an image or initrd too
 * large for --mem (whose "needs at least N MiB" is checked to be exact)
 * and the IPA size a VM needs and asks KVM for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "nvmm.h"

#define MiB (1ULL << 20)
#define RAM GUEST_RAM_BASE

static uint8_t image_buf[8192];

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* An Image of file_size bytes (at most 8 KiB) whose header says the rest. */
static struct blob image(uint64_t text_offset, uint64_t image_size, uint64_t flags,
			 size_t file_size)
{
	memset(image_buf, 0, sizeof(image_buf));
	put_le64(image_buf + 8, text_offset);
	put_le64(image_buf + 16, image_size);
	put_le64(image_buf + 24, flags);
	memcpy(image_buf + 56, "ARM\x64", 4);
	return (struct blob){ .data = image_buf, .size = file_size };
}

static void test_image_header(void **state)
{
	struct blob k = image(0x80000, 30 * MiB, 0, 4096);
	uint64_t text_offset = 1, image_size = 1;
	char err[256] = "";

	(void)state;
	assert_int_equal(image_check(&k, &text_offset, &image_size, err, sizeof(err)), 0);
	assert_int_equal(text_offset, 0x80000);
	assert_int_equal(image_size, 30 * MiB);
	assert_string_equal(err, "");

	/* The largest text_offset below 2 MiB; image_size equal to the file. */
	k = image(0x1fffff, 4096, 0, 4096);
	assert_int_equal(image_check(&k, &text_offset, &image_size, err, sizeof(err)), 0);
	assert_int_equal(text_offset, 0x1fffff);
	assert_int_equal(image_size, 4096);
}

/* image_size 0: a kernel before 3.17, text_offset 0x80000, the file's size. */
static void test_image_before_3_17(void **state)
{
	struct blob k = image(0x1234, 0, 1, 5000);
	uint64_t text_offset, image_size;
	char err[256];

	(void)state;
	/* Its flags were not defined then: bit 0 does not mean big-endian. */
	assert_int_equal(image_check(&k, &text_offset, &image_size, err, sizeof(err)), 0);
	assert_int_equal(text_offset, 0x80000);
	assert_int_equal(image_size, 5000);
}

static void expect_refused(struct blob k, const char *msg)
{
	uint64_t text_offset, image_size;
	char err[256] = "";

	assert_int_equal(image_check(&k, &text_offset, &image_size, err, sizeof(err)), -1);
	assert_string_equal(err, msg);
}

static void test_image_refused(void **state)
{
	(void)state;
	expect_refused(image(0, 4096, 0, 63),
		       "not an arm64 Linux Image (no ARM\\x64 magic at offset 56)");
	struct blob k = image(0, 4096, 0, 4096);
	image_buf[59] = 0x65;
	expect_refused(k, "not an arm64 Linux Image (no ARM\\x64 magic at offset 56)");
	expect_refused(image(0, 1 * MiB, 1, 4096),
		       "the Image is big-endian; only little-endian kernels are supported");
	expect_refused(image(0, 4095, 0, 4096),
		       "the Image header's image_size (4095) is smaller than the file (4096 bytes)");
	expect_refused(image(0x200000, 1 * MiB, 0, 4096),
		       "the Image header's text_offset 0x200000 is not below 2 MiB");
}

static void test_layout_kernel_and_dtb(void **state)
{
	struct blob k = image(0, 30 * MiB, 0, 4096);
	struct layout l;
	char err[256] = "";

	(void)state;
	assert_int_equal(layout_plan(&l, 256 * MiB, &k, 0, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(l.ram_base, 0x40000000);
	assert_int_equal(l.ram_size, 256 * MiB);
	assert_int_equal(l.kernel_addr, 0x40000000);
	assert_int_equal(l.kernel_size, 30 * MiB);
	/* The DTB at the start of the last 2 MiB, at most 64 KiB of it. */
	assert_int_equal(l.dtb_addr, 0x4fe00000);
	assert_int_equal(l.dtb_max, 0x10000);
	assert_int_equal(l.initrd_addr, 0);
	assert_int_equal(l.initrd_size, 0);

	/* The kernel at its text_offset from the (2 MiB aligned) RAM base. */
	k = image(0x80000, 30 * MiB, 0, 4096);
	assert_int_equal(layout_plan(&l, 64 * MiB, &k, 0, err, sizeof(err)), 0);
	assert_int_equal(l.kernel_addr, 0x40080000);
	assert_int_equal(l.dtb_addr, 0x43e00000);
	assert_int_equal(RAM % 0x200000, 0);
}

static void test_layout_initrd(void **state)
{
	struct blob k = image(0, 30 * MiB, 0, 4096);
	size_t initrd = 3 * MiB + 123;
	struct layout l;
	char err[256];

	(void)state;
	assert_int_equal(layout_plan(&l, 256 * MiB, &k, initrd, err, sizeof(err)), 0);
	assert_int_equal(l.initrd_size, initrd);
	/* Page-aligned, just below the DTB. */
	assert_int_equal(l.initrd_addr, (0x4fe00000 - initrd) & ~0xfffULL);
	assert_int_equal(l.initrd_addr, 0x4faff000);
	assert_true(l.initrd_addr + l.initrd_size <= l.dtb_addr);
	assert_true(l.dtb_addr - (l.initrd_addr + l.initrd_size) < 0x1000);
	assert_true(l.kernel_addr + l.kernel_size <= l.initrd_addr);
	assert_int_equal(l.dtb_addr, 0x4fe00000);
}

/* The example of docs/VMM.md: a 43 MiB kernel in 32 MiB. */
static void test_layout_kernel_too_large(void **state)
{
	struct blob k = image(0, 45219840, 0, 4096);
	struct layout l;
	char err[256];

	(void)state;
	assert_int_equal(layout_plan(&l, 32 * MiB, &k, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "the kernel (image_size 45219840 bytes) does not fit in 32 MiB of RAM "
				 "(needs at least 46 MiB; use a larger --mem)");
	assert_int_equal(layout_plan(&l, 46 * MiB, &k, 0, err, sizeof(err)), 0);

	/* With an initrd, both are named and its room counted. */
	assert_int_equal(layout_plan(&l, 48 * MiB, &k, 20 * MiB, err, sizeof(err)), -1);
	assert_string_equal(err, "the kernel (image_size 45219840 bytes) and the initrd does not fit "
				 "in 48 MiB of RAM (needs at least 66 MiB; use a larger --mem)");
	assert_int_equal(layout_plan(&l, 66 * MiB, &k, 20 * MiB, err, sizeof(err)), 0);
}

/* The MiB the "needs at least N MiB" of err says. */
static unsigned long long needs_mib(const char *err)
{
	const char *p = strstr(err, "needs at least ");
	assert_non_null(p);
	return strtoull(p + strlen("needs at least "), NULL, 10);
}

/* N of "needs at least N MiB" is the least --mem that fits (each case more than 16). */
static void test_layout_needs_is_exact(void **state)
{
	static const uint64_t text_offsets[] = { 0, 0x80000, 0x1ff000 };
	static const uint64_t kernels[] = { 14 * MiB + 1, 20 * MiB, 45219840, 100 * MiB - 1 };
	static const size_t initrds[] = { 0, 1, 4095, 4097, 2 * MiB, 7 * MiB + 3 };
	struct layout l;
	char err[256];

	(void)state;
	for (size_t t = 0; t < sizeof(text_offsets) / sizeof(text_offsets[0]); t++)
		for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
			for (size_t j = 0; j < sizeof(initrds) / sizeof(initrds[0]); j++) {
				struct blob k = image(text_offsets[t], kernels[i], 0, 4096);
				assert_int_equal(layout_plan(&l, 16 * MiB, &k, initrds[j], err,
							     sizeof(err)), -1);
				unsigned long long n = needs_mib(err);
				assert_int_equal(layout_plan(&l, n * MiB, &k, initrds[j], err,
							     sizeof(err)), 0);
				assert_int_equal(layout_plan(&l, (n - 1) * MiB, &k, initrds[j], err,
							     sizeof(err)), -1);
				assert_int_equal(needs_mib(err), n);
			}
}

static void test_layout_initrd_too_large(void **state)
{
	struct blob k = image(0, 1 * MiB, 0, 4096);
	struct layout l;
	char err[256];

	(void)state;
	assert_int_equal(layout_plan(&l, 16 * MiB, &k, 20 * MiB, err, sizeof(err)), -1);
	assert_string_equal(err, "the initrd (20971520 bytes) does not fit in 16 MiB of RAM");
	/* All the RAM below the DTB: the initrd fits, then the kernel does not. */
	assert_int_equal(layout_plan(&l, 16 * MiB, &k, 14 * MiB, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the kernel (image_size 1048576 bytes) and the initrd does not fit"));
	assert_int_equal(layout_plan(&l, 16 * MiB, &k, 14 * MiB + 1, err, sizeof(err)), -1);
	assert_string_equal(err, "the initrd (14680065 bytes) does not fit in 16 MiB of RAM");
}

static void test_layout_bad_image(void **state)
{
	struct blob k = image(0x200000, 1 * MiB, 0, 4096);
	struct layout l;
	char err[256];

	(void)state;
	memset(&l, 0xaa, sizeof(l));
	assert_int_equal(layout_plan(&l, 256 * MiB, &k, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "the Image header's text_offset 0x200000 is not below 2 MiB");
	assert_int_equal(l.kernel_addr, 0);
	assert_int_equal(l.ram_size, 0);
}

/* --mem's bounds: 16 MiB and 1 TiB. */
static void test_layout_mem_bounds(void **state)
{
	struct blob k = image(0, 8 * MiB, 0, 4096);
	struct layout l;
	char err[256];

	(void)state;
	assert_int_equal(layout_plan(&l, NVMM_MIN_MEM_MB * MiB, &k, 4 * MiB, err, sizeof(err)), 0);
	assert_int_equal(l.dtb_addr, RAM + 14 * MiB);
	assert_int_equal(l.initrd_addr, RAM + 10 * MiB);
	assert_int_equal(layout_plan(&l, NVMM_MAX_MEM_MB * MiB, &k, 4 * MiB, err, sizeof(err)), 0);
	assert_int_equal(l.ram_size, 1ULL << 40);
	assert_int_equal(l.dtb_addr, RAM + (1ULL << 40) - 2 * MiB);
	assert_int_equal(l.initrd_addr, l.dtb_addr - 4 * MiB);
}

static void test_ipa_bits(void **state)
{
	(void)state;
	/* At least 32 bits, KVM's smallest. */
	assert_int_equal(ipa_bits_for(RAM + 16 * MiB), 32);
	assert_int_equal(ipa_bits_for(1ULL << 32), 32);
	assert_int_equal(ipa_bits_for((1ULL << 32) + 1), 33);
	assert_int_equal(ipa_bits_for(RAM + 3072 * MiB), 32);
	assert_int_equal(ipa_bits_for(RAM + 3072 * MiB + 1), 33);
	assert_int_equal(ipa_bits_for(1ULL << 40), 40);
	assert_int_equal(ipa_bits_for(RAM + (NVMM_MAX_MEM_MB << 20)), 41);
	assert_int_equal(ipa_bits_for(1ULL << 63), 63);
	assert_int_equal(ipa_bits_for(UINT64_MAX), 64);
}

/* What KVM_CREATE_VM asks for, given KVM_CAP_ARM_VM_IPA_SIZE's answer. */
static void test_ipa_plan(void **state)
{
	unsigned int bits;
	char err[128] = "";

	(void)state;
	/* Offered: the smallest size that reaches the end of RAM. */
	assert_int_equal(ipa_plan(RAM + 256 * MiB, 48, &bits, err, sizeof(err)), 0);
	assert_int_equal(bits, 32);
	assert_int_equal(ipa_plan(RAM + (NVMM_MAX_MEM_MB << 20), 41, &bits, err, sizeof(err)), 0);
	assert_int_equal(bits, 41);
	assert_int_equal(ipa_plan(RAM + 3072 * MiB, 32, &bits, err, sizeof(err)), 0);
	assert_int_equal(bits, 32);
	assert_string_equal(err, "");
	/* Beyond the host's limit: both figures (main adds "--mem N "). */
	assert_int_equal(ipa_plan(RAM + (NVMM_MAX_MEM_MB << 20), 40, &bits, err, sizeof(err)), -1);
	assert_string_equal(err, "needs a 41-bit guest physical address space; this host's KVM offers 40 bits");
	assert_int_equal(ipa_plan(RAM + 3073 * MiB, 32, &bits, err, sizeof(err)), -1);
	assert_string_equal(err, "needs a 33-bit guest physical address space; this host's KVM offers 32 bits");

	/* Not offered (0, or the check failing): KVM's default 40 bits. */
	assert_int_equal(ipa_plan(RAM + 256 * MiB, 0, &bits, err, sizeof(err)), 0);
	assert_int_equal(bits, 40);
	assert_int_equal(ipa_plan(1ULL << 40, -1, &bits, err, sizeof(err)), 0);
	assert_int_equal(bits, 40);
	assert_int_equal(ipa_plan((1ULL << 40) + 1, 0, &bits, err, sizeof(err)), -1);
	assert_string_equal(err, "needs a 41-bit guest physical address space; this KVM has only the default 40 bits");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_header),
		cmocka_unit_test(test_image_before_3_17),
		cmocka_unit_test(test_image_refused),
		cmocka_unit_test(test_layout_kernel_and_dtb),
		cmocka_unit_test(test_layout_initrd),
		cmocka_unit_test(test_layout_kernel_too_large),
		cmocka_unit_test(test_layout_needs_is_exact),
		cmocka_unit_test(test_layout_initrd_too_large),
		cmocka_unit_test(test_layout_bad_image),
		cmocka_unit_test(test_layout_mem_bounds),
		cmocka_unit_test(test_ipa_bits),
		cmocka_unit_test(test_ipa_plan),
	};

	return cmocka_run_group_tests_name("nvmm_layout", tests, NULL, NULL);
}
