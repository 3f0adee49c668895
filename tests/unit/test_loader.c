/*
 * Host tests of load planning (src/core/loader.c) with in-memory images:
 * arm64 Linux Image headers, minimal ELF64 files and flat binaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/loader.h>
#include "helpers.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000000ull /* 256 MiB */
#define FDT_IPA (RAM_BASE + RAM_SIZE - 0x200000) /* 0x4fe00000 */

static u8 img[0x2000];
static char err[256];
static struct load_plan plan;

static void put64(u8 *p, u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (u8)(v >> (8 * i));
}

static void put32(u8 *p, u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (u8)(v >> (8 * i));
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

/* An arm64 Image header (Documentation/arch/arm64/booting.rst). */
static void linux_image(u64 text_offset, u64 image_size, u64 flags)
{
	memset(img, 0, sizeof(img));
	put32(img, 0x14000010); /* code0: b to 0x40 */
	put64(img + 8, text_offset);
	put64(img + 16, image_size);
	put64(img + 24, flags);
	memcpy(img + 0x38, "ARM\x64", 4);
}

static bool plan_img(size_t len, size_t initrd_len, u64 base, u64 size)
{
	memset(&plan, 0xa5, sizeof(plan));
	err[0] = '\0';
	return loader_plan(img, len, initrd_len, base, size, &plan, err,
			   sizeof(err));
}

static void expect_fail(size_t len, size_t initrd_len, u64 base, u64 size,
			const char *what)
{
	if (plan_img(len, initrd_len, base, size))
		fail_msg("accepted, expected \"%s\"", what);
	assert_contains(err, what);
}

static void test_linux(void **state)
{
	(void)state;
	/* Modern kernel: text_offset 0, image_size (with BSS) > file size. */
	linux_image(0, 0x1400000, 0xa);
	assert_true(plan_img(sizeof(img), 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.format, IMAGE_LINUX);
	assert_int_equal(plan.nseg, 1);
	assert_int_equal(plan.seg[0].ipa, RAM_BASE);
	assert_int_equal(plan.seg[0].off, 0);
	assert_int_equal(plan.seg[0].filesz, sizeof(img));
	assert_int_equal(plan.seg[0].memsz, 0x1400000);
	assert_int_equal(plan.entry, RAM_BASE);
	assert_int_equal(plan.kernel_end, RAM_BASE + 0x1400000);
	assert_int_equal(plan.fdt_ipa, FDT_IPA);
	assert_int_equal(plan.initrd_ipa, 0);
	assert_string_equal(image_format_name(plan.format), "Linux Image");

	/* text_offset is added to the 2 MiB-aligned base. */
	linux_image(0x80000, 0x100000, 0);
	assert_true(plan_img(sizeof(img), 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.seg[0].ipa, RAM_BASE + 0x80000);
	assert_int_equal(plan.entry, RAM_BASE + 0x80000);
	assert_int_equal(plan.kernel_end, RAM_BASE + 0x180000);

	/* RAM not 2 MiB aligned: the next 2 MiB boundary. */
	linux_image(0x1000, 0x100000, 0);
	assert_true(plan_img(sizeof(img), 0, RAM_BASE + 0x1000, RAM_SIZE));
	assert_int_equal(plan.seg[0].ipa, RAM_BASE + 0x200000 + 0x1000);
	assert_int_equal(plan.entry, RAM_BASE + 0x201000);
	assert_int_equal(plan.fdt_ipa, FDT_IPA + 0x1000);

	/* image_size equal to the file size is consistent. */
	linux_image(0, sizeof(img), 0);
	assert_true(plan_img(sizeof(img), 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.kernel_end, RAM_BASE + sizeof(img));
}

static void test_linux_legacy(void **state)
{
	(void)state;
	/* image_size 0: pre-3.17 kernel, text_offset 0x80000 whatever the
	 * header says, the file's size as image size. */
	linux_image(0x1234, 0, 0);
	assert_true(plan_img(0x1800, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.format, IMAGE_LINUX);
	assert_int_equal(plan.seg[0].ipa, RAM_BASE + 0x80000);
	assert_int_equal(plan.seg[0].filesz, 0x1800);
	assert_int_equal(plan.seg[0].memsz, 0x1800);
	assert_int_equal(plan.entry, RAM_BASE + 0x80000);
	assert_int_equal(plan.kernel_end, RAM_BASE + 0x80000 + 0x1800);
}

static void test_linux_rejected(void **state)
{
	(void)state;
	linux_image(0, 0x100000, 1);
	expect_fail(sizeof(img), 0, RAM_BASE, RAM_SIZE, "big-endian");
	linux_image(0, 0x100000, 0xb);
	expect_fail(sizeof(img), 0, RAM_BASE, RAM_SIZE, "big-endian");
	/* text_offset of 2 MiB or more */
	linux_image(0x200000, 0x100000, 0);
	expect_fail(sizeof(img), 0, RAM_BASE, RAM_SIZE,
		    "Linux Image header is inconsistent: text_offset 0x200000");
	/* image_size smaller than the file */
	linux_image(0, sizeof(img) - 1, 0);
	expect_fail(sizeof(img), 0, RAM_BASE, RAM_SIZE,
		    "image_size 0x1fff, file 0x2000 bytes");
	/* Fits the RAM but not below the device tree. */
	linux_image(0, RAM_SIZE - 0x100000, 0);
	expect_fail(sizeof(img), 0, RAM_BASE, RAM_SIZE,
		    "Linux Image: [0x40000000, 0x4ff00000) does not fit in RAM "
		    "[0x40000000, 0x4fe00000)");
	/* RAM ending before the next 2 MiB boundary plus the kernel. */
	linux_image(0, 0x100000, 0);
	expect_fail(sizeof(img), 0, RAM_BASE + 0x1000, 0x400000,
		    "does not fit in RAM");
}

/* ELF header + program headers; data after them. */
#define PH_OFF 64
#define PH_SIZE 56
#define SEG0_OFF 0x1000
#define SEG1_OFF 0x1100
#define ELF_LEN 0x1180

static u8 *phdr(unsigned i)
{
	return img + PH_OFF + i * PH_SIZE;
}

static void set_phdr(unsigned i, u32 type, u64 off, u64 paddr, u64 filesz,
		     u64 memsz)
{
	u8 *p = phdr(i);

	put32(p, type);
	put32(p + 4, 5); /* PF_R | PF_X */
	put64(p + 8, off);
	put64(p + 16, paddr + 0xffff000000000000ull); /* vaddr: unused */
	put64(p + 24, paddr);
	put64(p + 32, filesz);
	put64(p + 40, memsz);
	put64(p + 48, 0x10000);
}

/*
 * An AArch64 executable: PT_LOAD code at 0x40080000, a PT_NOTE, PT_LOAD
 * data + BSS at 0x40100000.
 */
static void elf_image(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = 2; /* ELFCLASS64 */
	img[5] = 1; /* ELFDATA2LSB */
	img[6] = 1; /* EV_CURRENT */
	put16(img + 16, 2);   /* ET_EXEC */
	put16(img + 18, 183); /* EM_AARCH64 */
	put32(img + 20, 1);
	put64(img + 24, 0x40080040); /* e_entry */
	put64(img + 32, PH_OFF);
	put16(img + 52, 64);
	put16(img + 54, PH_SIZE);
	put16(img + 56, 3);
	set_phdr(0, 1, SEG0_OFF, 0x40080000, 0x100, 0x100);
	set_phdr(1, 4, 0x200, 0, 0x20, 0x20);
	set_phdr(2, 1, SEG1_OFF, 0x40100000, 0x80, 0x2000);
	memset(img + SEG0_OFF, 0x11, 0x100);
	memset(img + SEG1_OFF, 0x22, 0x80);
}

/* The ELF of elf_image() as modified, rejected with a message with what. */
static void elf_fail(const char *what)
{
	expect_fail(ELF_LEN, 0, RAM_BASE, RAM_SIZE, what);
}

static void test_elf(void **state)
{
	(void)state;
	elf_image();
	assert_true(plan_img(ELF_LEN, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.format, IMAGE_ELF);
	assert_string_equal(image_format_name(plan.format), "ELF");
	assert_int_equal(plan.nseg, 2);
	assert_int_equal(plan.seg[0].ipa, 0x40080000);
	assert_int_equal(plan.seg[0].off, SEG0_OFF);
	assert_int_equal(plan.seg[0].filesz, 0x100);
	assert_int_equal(plan.seg[0].memsz, 0x100);
	assert_int_equal(plan.seg[1].ipa, 0x40100000);
	assert_int_equal(plan.seg[1].off, SEG1_OFF);
	assert_int_equal(plan.seg[1].filesz, 0x80);
	assert_int_equal(plan.seg[1].memsz, 0x2000);
	assert_int_equal(plan.entry, 0x40080040);
	assert_int_equal(plan.kernel_end, 0x40102000);
	assert_int_equal(plan.fdt_ipa, FDT_IPA);

	/* Segments in any order: kernel_end is the highest end. */
	set_phdr(0, 1, SEG1_OFF, 0x40100000, 0x80, 0x2000);
	set_phdr(2, 1, SEG0_OFF, 0x40080000, 0x100, 0x100);
	assert_true(plan_img(ELF_LEN, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.seg[0].ipa, 0x40100000);
	assert_int_equal(plan.seg[1].ipa, 0x40080000);
	assert_int_equal(plan.kernel_end, 0x40102000);

	/* A segment up to the device tree, entry in its last word. */
	elf_image();
	set_phdr(2, 1, SEG1_OFF, FDT_IPA - 0x2000, 0x80, 0x2000);
	put64(img + 24, FDT_IPA - 4);
	assert_true(plan_img(ELF_LEN, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.kernel_end, FDT_IPA);
	assert_int_equal(plan.entry, FDT_IPA - 4);
	/* Entry points straddling the end or the start of RAM. */
	put64(img + 24, RAM_BASE + RAM_SIZE - 3);
	elf_fail("entry point");
	put64(img + 24, RAM_BASE - 2);
	elf_fail("entry point");

	/* A PT_LOAD with memsz 0 is skipped. */
	elf_image();
	set_phdr(1, 1, 0x200, 0x80000000, 0, 0);
	assert_true(plan_img(ELF_LEN, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.nseg, 2);
}

static void test_elf_rejected(void **state)
{
	(void)state;
	elf_image();
	put16(img + 18, 62); /* EM_X86_64 */
	elf_fail("not a little-endian ELF64 AArch64 executable");
	elf_image();
	put16(img + 16, 3); /* ET_DYN */
	elf_fail("AArch64 executable");
	elf_image();
	img[4] = 1; /* ELFCLASS32 */
	elf_fail("AArch64 executable");
	elf_image();
	img[5] = 2; /* big-endian */
	elf_fail("little-endian");

	/* Segment data beyond the file: by one byte, by far, filesz > memsz. */
	elf_image();
	set_phdr(2, 1, SEG1_OFF, 0x40100000, 0x81, 0x2000);
	elf_fail("ELF segment 2 is out of the file");
	elf_image();
	set_phdr(0, 1, 0xfffffffffffff000ull, 0x40080000, 0x2000, 0x2000);
	elf_fail("ELF segment 0 is out of the file");
	elf_image();
	set_phdr(0, 1, SEG0_OFF, 0x40080000, 0x100, 0x80);
	elf_fail("ELF segment 0 is out of the file");

	/* Program headers beyond the file, or none. */
	elf_image();
	put16(img + 56, 100);
	elf_fail("program headers are out of the file");
	elf_image();
	put64(img + 32, ELF_LEN - 8);
	elf_fail("program headers are out of the file");
	elf_image();
	put64(img + 32, ELF_LEN + 8);
	elf_fail("program headers are out of the file");
	elf_image();
	put64(img + 32, 0xffffffffffffff00ull);
	elf_fail("program headers are out of the file");
	/* Program headers at the very end of the file: fit, or one byte
	 * short. */
	elf_image();
	memcpy(img + ELF_LEN, img + PH_OFF, 3 * PH_SIZE);
	put64(img + 32, ELF_LEN);
	assert_true(plan_img(ELF_LEN + 3 * PH_SIZE, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.nseg, 2);
	assert_int_equal(plan.seg[1].ipa, 0x40100000);
	expect_fail(ELF_LEN + 3 * PH_SIZE - 1, 0, RAM_BASE, RAM_SIZE,
		    "program headers are out of the file");
	elf_image();
	put16(img + 54, 32);
	elf_fail("program headers are out of the file");
	elf_image();
	put16(img + 56, 0);
	elf_fail("program headers are out of the file");
	elf_image();
	set_phdr(0, 6, SEG0_OFF, 0x40080000, 0x100, 0x100); /* PT_PHDR */
	set_phdr(2, 2, SEG1_OFF, 0x40100000, 0x80, 0x2000); /* PT_DYNAMIC */
	elf_fail("no loadable segment");

	/* Segments outside RAM: below, above, in the device tree's 2 MiB,
	 * wrapping around. */
	elf_image();
	set_phdr(0, 1, SEG0_OFF, 0x3ffff000, 0x100, 0x2000);
	elf_fail("ELF: [0x3ffff000, 0x40001000) does not fit in RAM");
	elf_image();
	set_phdr(2, 1, SEG1_OFF, 0x80000000, 0x80, 0x2000);
	elf_fail("does not fit in RAM");
	elf_image();
	set_phdr(2, 1, SEG1_OFF, FDT_IPA - 0x1000, 0x80, 0x1001);
	elf_fail("below the device tree");
	elf_image();
	set_phdr(2, 1, SEG1_OFF, 0xfffffffffffff000ull, 0x80, 0x2000);
	elf_fail("does not fit in RAM");

	/* Entry point outside RAM. */
	elf_image();
	put64(img + 24, 0x1000);
	elf_fail("entry point 0x1000 is not in RAM");

	/* More segments than LOADER_MAX_SEGS. */
	elf_image();
	put16(img + 56, LOADER_MAX_SEGS + 1);
	for (unsigned i = 0; i <= LOADER_MAX_SEGS; i++)
		set_phdr(i, 1, SEG0_OFF, 0x40080000 + i * 0x1000, 0x10, 0x10);
	elf_fail("more than 8 loadable segments");
	put16(img + 56, LOADER_MAX_SEGS);
	assert_true(plan_img(ELF_LEN, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.nseg, LOADER_MAX_SEGS);
}

static void test_flat(void **state)
{
	(void)state;
	memset(img, 0, sizeof(img));
	memcpy(img, "\x00\x00\x80\xd2", 4); /* mov x0, #0 */
	assert_true(plan_img(1000, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.format, IMAGE_FLAT);
	assert_string_equal(image_format_name(plan.format), "flat binary");
	assert_int_equal(plan.nseg, 1);
	assert_int_equal(plan.seg[0].ipa, RAM_BASE);
	assert_int_equal(plan.seg[0].off, 0);
	assert_int_equal(plan.seg[0].filesz, 1000);
	assert_int_equal(plan.seg[0].memsz, 1000);
	assert_int_equal(plan.entry, RAM_BASE);
	assert_int_equal(plan.kernel_end, RAM_BASE + 1000);
	assert_int_equal(plan.fdt_ipa, FDT_IPA);

	/* Shorter than 64 bytes, without any format's signature: flat. */
	memset(img, 0, sizeof(img));
	memcpy(img, "\x00\x00\x80\xd2", 4);
	assert_true(plan_img(4, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.format, IMAGE_FLAT);
	memcpy(img + 0x38, "ARX", 3); /* not a prefix of the Image magic */
	assert_true(plan_img(0x3b, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.format, IMAGE_FLAT);

	/* Exactly 4 MiB of RAM: 2 MiB for the kernel, 2 MiB for the DT. */
	memset(img, 0, sizeof(img));
	assert_true(plan_img(sizeof(img), 0, RAM_BASE, 0x400000));
	assert_int_equal(plan.fdt_ipa, RAM_BASE + 0x200000);
}

static void test_initrd(void **state)
{
	u64 kend;

	(void)state;
	linux_image(0, 0x2000000, 0);
	assert_true(plan_img(sizeof(img), 0x123456, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.fdt_ipa, FDT_IPA);
	/* 0x123456 rounded up to pages: 0x124000 below the DT. */
	assert_int_equal(plan.initrd_ipa, FDT_IPA - 0x124000);
	assert_int_equal(plan.initrd_ipa % 0x1000, 0);
	assert_true(plan.initrd_ipa + 0x123456 <= plan.fdt_ipa);
	assert_true(plan.initrd_ipa >= plan.kernel_end);

	/* Filling the gap exactly fits; one byte more does not. */
	kend = RAM_BASE + 0x2000000;
	assert_true(plan_img(sizeof(img), FDT_IPA - kend, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.initrd_ipa, kend);
	expect_fail(sizeof(img), FDT_IPA - kend + 1, RAM_BASE, RAM_SIZE,
		    "initrd of 232783873 bytes does not fit between the kernel "
		    "(ends 0x42000000) and the device tree (0x4fe00000)");

	/* The kernel's end is rounded up to a page before comparing. */
	linux_image(0, 0x2000001, 0);
	expect_fail(sizeof(img), FDT_IPA - kend, RAM_BASE, RAM_SIZE,
		    "does not fit");
	assert_true(plan_img(sizeof(img), FDT_IPA - kend - 0x1000, RAM_BASE,
			     RAM_SIZE));
	assert_int_equal(plan.initrd_ipa, kend + 0x1000);

	/* Larger than all of RAM (no wrap-around below RAM). Sizes within
	 * a page of SIZE_MAX are not tried: rounding them up to a page wraps
	 * to 0 (cpio sizes are 32-bit, so the bundle cannot produce them). */
	expect_fail(sizeof(img), (size_t)RAM_SIZE * 2, RAM_BASE, RAM_SIZE,
		    "does not fit");
	expect_fail(sizeof(img), (size_t)1 << 62, RAM_BASE, RAM_SIZE,
		    "does not fit");

	/* ELF: above the highest segment end. */
	elf_image();
	assert_true(plan_img(ELF_LEN, 0x1000, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.initrd_ipa, FDT_IPA - 0x1000);
	assert_true(plan_img(ELF_LEN, FDT_IPA - 0x40102000, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.initrd_ipa, 0x40102000);
	expect_fail(ELF_LEN, FDT_IPA - 0x40102000 + 1, RAM_BASE, RAM_SIZE,
		    "does not fit");
}

static void test_bad_inputs(void **state)
{
	(void)state;
	memset(img, 0, sizeof(img));
	expect_fail(0, 0, RAM_BASE, RAM_SIZE, "kernel image is empty");
	expect_fail(sizeof(img), 0, RAM_BASE, 0x3fffff,
		    "RAM of 0x3fffff bytes is too small (at least 4 MiB)");
	expect_fail(sizeof(img), 0, RAM_BASE, 0x200000, "too small");
	expect_fail(sizeof(img), 0, RAM_BASE, 0, "too small");
}

/*
 * Truncated headers: a Linux Image or an ELF cut inside its 64-byte
 * header is refused, not run as a flat binary.
 */
static void test_truncated_headers(void **state)
{
	(void)state;
	/* An ELF's e_ident, cut anywhere from 4 to 63 bytes. */
	elf_image();
	for (size_t len = 4; len < 64; len++)
		expect_fail(len, 0, RAM_BASE, RAM_SIZE,
			    "is shorter than its 64-byte ELF64 header (truncated)");
	expect_fail(40, 0, RAM_BASE, RAM_SIZE,
		    "ELF file of 40 bytes is shorter than its 64-byte ELF64 header");
	/* A Linux Image with the EFI stub's "MZ", cut anywhere inside its header. */
	linux_image(0, 0x100000, 0);
	img[0] = 'M';
	img[1] = 'Z';
	for (size_t len = 2; len < 64; len++)
		expect_fail(len, 0, RAM_BASE, RAM_SIZE,
			    "Linux Image of ");
	expect_fail(48, 0, RAM_BASE, RAM_SIZE,
		    "Linux Image of 48 bytes is cut inside its 64-byte header (truncated)");
	assert_true(plan_img(64, 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.format, IMAGE_LINUX);
	/* Without "MZ": cut inside the magic, as far as it goes. */
	linux_image(0, 0x100000, 0);
	for (size_t len = 0x39; len < 64; len++)
		expect_fail(len, 0, RAM_BASE, RAM_SIZE,
			    "is cut inside its 64-byte header");
	/* A whole header with "MZ" but a damaged magic. */
	linux_image(0, 0x100000, 0);
	img[0] = 'M';
	img[1] = 'Z';
	img[0x3b] = 0x65;
	expect_fail(sizeof(img), 0, RAM_BASE, RAM_SIZE,
		    "no arm64 Image magic at 0x38");
	/* Flat binaries shorter than one instruction. */
	memset(img, 0, sizeof(img));
	expect_fail(3, 0, RAM_BASE, RAM_SIZE,
		    "flat binary of 3 bytes holds not even one instruction");
	expect_fail(1, 0, RAM_BASE, RAM_SIZE, "flat binary of 1 byte holds");
}

/* Entry points that are not 4-byte aligned (ELF e_entry, Image text_offset). */
static void test_unaligned_entry(void **state)
{
	(void)state;
	for (u64 lsb = 1; lsb < 4; lsb++) {
		elf_image();
		put64(img + 24, 0x40080040 + lsb);
		elf_fail("ELF: entry point 0x4008004");
		elf_fail("is not 4-byte aligned");
		linux_image(0x80000 + lsb, 0x100000, 0);
		expect_fail(sizeof(img), 0, RAM_BASE, RAM_SIZE,
			    "Linux Image: entry point 0x4008000");
	}
	elf_image();
	put64(img + 24, 0x40080044);
	assert_true(plan_img(ELF_LEN, 0, RAM_BASE, RAM_SIZE));
	linux_image(0x80004, 0x100000, 0);
	assert_true(plan_img(sizeof(img), 0, RAM_BASE, RAM_SIZE));
	assert_int_equal(plan.entry, RAM_BASE + 0x80004);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux),
		cmocka_unit_test(test_linux_legacy),
		cmocka_unit_test(test_linux_rejected),
		cmocka_unit_test(test_elf),
		cmocka_unit_test(test_elf_rejected),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_initrd),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_truncated_headers),
		cmocka_unit_test(test_unaligned_entry),
	};

	return cmocka_run_group_tests_name("loader", tests, NULL, NULL);
}
