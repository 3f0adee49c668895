/*
 * Host tests of nestvisor,test-mmio (src/vdev/testdev.c) through the VM's
 * MMIO bus: scratch memory of every width, little-endian, the read-only
 * constant, alignment, the SPI line register at 0x200, the RAZ/WI rest
 * and registration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/testdev.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include "helpers.h"

#define BASE 0x0a000000u
#define CONST UINT64_C(0x0123456789abcdef)

static struct vm vm;
static struct vcpu vcpu;
static struct testdev td;

static int setup(void **state)
{
	char err[128] = "";

	(void)state;
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	memset(&td, 0xa5, sizeof(td)); /* init must clear it */
	strcpy(vm.desc.name, "td");
	vm.desc.test_dev_base = BASE;
	vcpu.vm = &vm;
	assert_true(testdev_init(&vm, &td, err, sizeof(err)));
	assert_string_equal(err, "");
	return 0;
}

/* One access at BASE + off through the MMIO bus. */
static bool mmio(u64 off, unsigned size, bool write, u64 *data)
{
	return ut_mmio(&vm, &vcpu, BASE + off, size, write, data);
}

static u64 rd(u64 off, unsigned size)
{
	return ut_mmio_read(&vm, &vcpu, BASE + off, size);
}

static void wr(u64 off, unsigned size, u64 val)
{
	ut_mmio_write(&vm, &vcpu, BASE + off, size, val);
}

static u64 mask(unsigned size)
{
	return size == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * size)) - 1;
}

static void test_registered(void **state)
{
	const struct mmio_region *r;

	(void)state;
	assert_int_equal(vm.mmio.n, 1);
	r = mmio_bus_find(&vm.mmio, BASE, 1);
	assert_non_null(r);
	assert_int_equal(r->base, BASE);
	assert_int_equal(r->size, VM_TEST_DEV_SIZE);
	assert_ptr_equal(r->dev, &td);
	assert_string_equal(r->name, "test-mmio");
	assert_null(mmio_bus_find(&vm.mmio, BASE + VM_TEST_DEV_SIZE, 1));
	/* The scratch memory starts zeroed. */
	for (unsigned off = 0; off < 256; off += 8)
		assert_int_equal(rd(off, 8), 0);
}

static void test_scratch_every_width(void **state)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	static const u64 val = UINT64_C(0xfedcba9876543210);

	(void)state;
	for (unsigned s = 0; s < 4; s++) {
		unsigned size = sizes[s];

		for (unsigned off = 0; off + size <= 256; off += size) {
			u64 v = (val ^ (UINT64_C(0x0101010101010101) * off)) & mask(size);

			wr(off, size, v | ~mask(size)); /* high bits ignored */
			assert_int_equal(rd(off, size), v);
		}
		for (unsigned off = 0; off + size <= 256; off += size)
			assert_int_equal(rd(off, size),
					 (val ^ (UINT64_C(0x0101010101010101) * off)) &
						 mask(size));
	}
	/* The last 8 bytes of scratch. */
	wr(0xf8, 8, UINT64_C(0x1122334455667788));
	assert_int_equal(rd(0xf8, 8), UINT64_C(0x1122334455667788));
	assert_int_equal(td.scratch[0xf8], 0x88);
	assert_int_equal(td.scratch[0xff], 0x11);
}

static void test_little_endian(void **state)
{
	(void)state;
	wr(0x20, 8, UINT64_C(0x0807060504030201));
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(rd(0x20 + i, 1), i + 1);
	for (unsigned i = 0; i < 8; i += 2)
		assert_int_equal(rd(0x20 + i, 2), (i + 2) << 8 | (i + 1));
	assert_int_equal(rd(0x20, 4), 0x04030201);
	assert_int_equal(rd(0x24, 4), 0x08070605);

	/* Narrow writes compose into the wide value. */
	wr(0x22, 2, 0xbbaa);
	wr(0x27, 1, 0xcc);
	wr(0x28, 4, 0xffffffff); /* neighbour untouched by the above */
	assert_int_equal(rd(0x20, 8), UINT64_C(0xcc070605bbaa0201));
	assert_int_equal(rd(0x28, 4), 0xffffffff);
	assert_int_equal(rd(0x18, 8), 0);
}

static void test_constant(void **state)
{
	(void)state;
	assert_int_equal(rd(0x100, 8), CONST);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(rd(0x100 + i, 1), (CONST >> (8 * i)) & 0xff);
	for (unsigned i = 0; i < 8; i += 2)
		assert_int_equal(rd(0x100 + i, 2), (CONST >> (8 * i)) & 0xffff);
	assert_int_equal(rd(0x100, 4), 0x89abcdef);
	assert_int_equal(rd(0x104, 4), 0x01234567);

	/* Writes are ignored, and do not reach the scratch memory. */
	wr(0x100, 8, 0);
	wr(0x104, 4, 0);
	wr(0x107, 1, 0xff);
	assert_int_equal(rd(0x100, 8), CONST);
	for (unsigned i = 0; i < 256; i++)
		assert_int_equal(td.scratch[i], 0);
}

static void test_misaligned_refused(void **state)
{
	static const struct {
		u64 off;
		unsigned size;
	} bad[] = {
		{ 0x01, 2 }, { 0x02, 4 }, { 0x04, 8 }, { 0x0f, 8 },
		{ 0xfe, 4 }, { 0xfc, 8 }, { 0x101, 2 }, { 0x102, 4 },
		{ 0x104, 8 }, { 0x203, 4 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 v = ~UINT64_C(0);

		assert_false(mmio(bad[i].off, bad[i].size, true, &v));
		assert_false(mmio(bad[i].off, bad[i].size, false, &v));
	}
	/* Nothing was written. */
	for (unsigned i = 0; i < 256; i++)
		assert_int_equal(td.scratch[i], 0);
}

static void test_rest_raz_wi(void **state)
{
	static const u64 offs[] = { 0x108, 0x110, 0x118, 0x200, 0x800, 0xff8 };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
		wr(offs[i], 8, ~UINT64_C(0));
		assert_int_equal(rd(offs[i], 8), 0);
		assert_int_equal(rd(offs[i], 4), 0);
		assert_int_equal(rd(offs[i] + 7, 1), 0);
	}
	assert_int_equal(rd(0x10c, 4), 0);
	assert_int_equal(rd(0x10e, 2), 0);
	assert_int_equal(rd(0x100, 8), CONST);
	for (unsigned i = 0; i < 256; i++)
		assert_int_equal(td.scratch[i], 0);
}

/* 0x200: write-only, drives the level of an SPI (bits [9:0]) to bit 31. */
static void test_irq_line(void **state)
{
	unsigned kicks;

	(void)state;
	vcpu.mpidr = 0;
	vm.vcpus[0] = &vcpu;
	vm.nr_vcpus = 1;
	ut_vgic_init(&vm, 0x08000000, 0x080a0000, 32);
	kicks = fake_arch.kicks;
	wr(0x200, 4, 1u << 31 | 40);
	assert_true(vm.vgic.spi[40 - 32].level);
	assert_true(fake_arch.kicks > kicks);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(vm.vgic.spi[i].level, i == 40 - 32);
	assert_int_equal(rd(0x200, 4), 0);
	wr(0x200, 4, 40);
	assert_false(vm.vgic.spi[40 - 32].level);
	/* Bits above the INTID field other than the level are ignored. */
	wr(0x200, 4, 1u << 31 | 1u << 10 | 63);
	assert_true(vm.vgic.spi[63 - 32].level);
	/* Only 32-bit writes; INTIDs below 32 and beyond the VM's are ignored. */
	wr(0x200, 8, 1ull << 31 | 33);
	wr(0x200, 2, 33);
	assert_false(vm.vgic.spi[1].level);
	wr(0x200, 4, 1u << 31 | 27);
	assert_false(vcpu.vgic.priv[27].level);
	wr(0x200, 4, 1u << 31 | 64);
	wr(0x200, 4, 1u << 31 | 1023);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(vm.vgic.spi[i].level, i == 63 - 32);
	for (unsigned i = 0; i < 256; i++)
		assert_int_equal(td.scratch[i], 0);
}

static void test_no_device(void **state)
{
	struct vm vm2;
	struct testdev t2;
	char err[64] = "";

	(void)state;
	memset(&vm2, 0, sizeof(vm2));
	memset(&t2, 0x5a, sizeof(t2));
	assert_true(testdev_init(&vm2, &t2, err, sizeof(err)));
	assert_int_equal(vm2.mmio.n, 0);
	assert_null(mmio_bus_find(&vm2.mmio, 0, 1));
	assert_string_equal(err, "");
	assert_int_equal(t2.scratch[0], 0);
}

static void test_overlap(void **state)
{
	struct testdev t2;
	char err[128] = "";

	(void)state;
	assert_false(testdev_init(&vm, &t2, err, sizeof(err)));
	assert_string_equal(err, "vm 'td': property 'test-mmio': overlaps another device");
	assert_int_equal(vm.mmio.n, 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, setup)
	const struct CMUnitTest tests[] = {
		T(test_registered),
		T(test_scratch_every_width),
		T(test_little_endian),
		T(test_constant),
		T(test_misaligned_refused),
		T(test_rest_raz_wi),
		T(test_irq_line),
		T(test_no_device),
		T(test_overlap),
	};

	return cmocka_run_group_tests_name("testdev", tests, NULL, NULL);
}
