/*
 * Host tests of VM construction (src/core/vm.c) with the fake arch: every
 * way vm_create can fail gives back what it took (RAM, stage-2 tables,
 * the VMID), checked with the page allocator's accounting over a host
 * buffer standing in for RAM, and the errors name the real problem.
 *
 * vm_create's VM slots are static: the tests that create VMs come last.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/cpufeature.h>
#include <nv/idregs.h>
#include <nv/palloc.h>
#include <nv/stage2.h>
#include <nv/vgic.h>
#include <nv/vcpu.h>
#include <nv/vm.h>
#include <nv/vmid.h>
#include "helpers.h"

#define HOST_RAM (32 * SZ_2M) /* 64 MiB */

static u8 *host_ram;
static struct cpu_features feat;
static struct id_regs ids;
static struct vm_host host;
static struct vm_desc desc;
static char err[512];

/* ---- a bundle: cpio newc entries built in memory ---- */

static char bundle[4096];
static size_t blen;

static void bundle_add(const char *name, const void *data, size_t size)
{
	size_t nsz = strlen(name) + 1;

	blen += (size_t)snprintf(bundle + blen, sizeof(bundle) - blen,
				 "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
				 1u, 0100644u, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u,
				 0u, 0u, (unsigned)nsz, 0u);
	memcpy(bundle + blen, name, nsz);
	blen = (blen + nsz + 3) & ~(size_t)3;
	if (size)
		memcpy(bundle + blen, data, size);
	blen = (blen + size + 3) & ~(size_t)3;
	assert_true(blen < sizeof(bundle) - 256);
}

/* "kernel": a flat binary (mov x0, #0; b .), then the trailer. */
static void bundle_default(void)
{
	static const u8 code[] = { 0x00, 0x00, 0x80, 0xd2, 0x00, 0x00, 0x00, 0x14 };

	blen = 0;
	bundle_add("kernel", code, sizeof(code));
	bundle_add("TRAILER!!!", NULL, 0);
}

/* ---- fixture ---- */

/* Seeds the allocator with [off, off + size) of the host buffer. */
static void ram_seed(u64 off, u64 size)
{
	struct platform p;

	memset(&p, 0, sizeof(p));
	p.nr_mem = size ? 1 : 0;
	p.mem[0].base = (paddr_t)(uintptr_t)host_ram + off;
	p.mem[0].size = size;
	assert_true(palloc_init(&p, NULL, 0));
}

static int setup(void **state)
{
	(void)state;
	host_ram = aligned_alloc(SZ_2M, HOST_RAM);
	if (!host_ram)
		return -1;
	ram_seed(0, HOST_RAM);
	vgic_nr_lrs = 4;
	memset(&feat, 0, sizeof(feat));
	feat.pa_bits = 48;
	feat.parange = 5;
	feat.vmid_bits = 16;
	memset(&ids, 0, sizeof(ids));
	ids.midr = 0x410fd0f0;
	host = (struct vm_host){ &feat, &ids, 27, 30, 26, 28, NESTED_OFF };
	memset(&desc, 0, sizeof(desc));
	strcpy(desc.name, "test");
	desc.nr_vcpus = 2;
	desc.ram_base = 0x40000000;
	desc.ram_size = 16 << 20;
	strcpy(desc.kernel, "kernel");
	desc.gicd_base = 0x08000000;
	desc.gicr_base = 0x080a0000;
	desc.uart_base = 0x09000000;
	desc.uart_spi = 1;
	bundle_default();
	err[0] = '\0';
	return 0;
}

/* The VMs created (on success) keep pointers into the buffer: never reused. */
static int teardown(void **state)
{
	(void)state;
	if (vm_count() == 0)
		free(host_ram);
	return 0;
}

/* The VMID the next VM would get: taken and given back. */
static u16 next_vmid(void)
{
	u16 v = vmid_pin(vmid_host(feat.vmid_bits));

	vmid_unpin(vmid_host(0), v);
	return v;
}

/*
 * vm_create(&desc) must fail with a message containing what, and leave
 * the allocator, the VMIDs and the VM count as they were.
 */
static void expect_refused(const char *what)
{
	u64 free_before = palloc_free_bytes();
	u16 vmid_before = next_vmid();
	unsigned count = vm_count();

	err[0] = '\0';
	if (vm_create(&desc, bundle, blen, &host, err, sizeof(err)))
		fail_msg("vm created, expected \"%s\"", what);
	assert_contains(err, what);
	assert_int_equal(palloc_free_bytes(), free_before);
	assert_int_equal(next_vmid(), vmid_before);
	assert_int_equal(vm_count(), count);
}

/* ---- failures before anything is allocated ---- */

static void test_refused_descriptions(void **state)
{
	(void)state;
	desc.virtual_el2 = true;
	expect_refused("vm 'test': virtual-el2 needs nested=nv or nv2 (booted with nested=off)");
	host.nested = NESTED_OFF;
	desc.virtual_el2 = false;
	/* Above the CPU's physical address range. */
	feat.pa_bits = 32;
	desc.ram_base = 0x100000000ull;
	expect_refused("does not fit the IPA sizes the CPU's 32-bit physical address range allows");
}

static void test_missing_file(void **state)
{
	(void)state;
	strcpy(desc.kernel, "absent");
	expect_refused("vm 'test': property 'kernel': file 'absent' is not in the bundle");
	strcpy(desc.kernel, "kernel");
	strcpy(desc.initrd, "initrd");
	expect_refused("vm 'test': property 'initrd': file 'initrd' is not in the bundle");
}

/* A truncated bundle is reported as such, with where, not as a missing file. */
static void test_truncated_bundle(void **state)
{
	(void)state;
	/* Cut inside the kernel's data (header 110 + "kernel\0" + pad = 120). */
	blen = 120 + 5;
	expect_refused("vm 'test': property 'kernel': file 'kernel': the bundle is truncated "
		       "or malformed at offset 0x0 (entry 'kernel'): file size 0x8 runs past "
		       "the end of the archive");
	assert_not_contains(err, "is not in the bundle");
	/* A size field pointing past the end of a whole archive. */
	bundle_default();
	memcpy(bundle + 6 + 8 * 6, "0000f000", 8);
	expect_refused("(entry 'kernel'): file size 0xf000 runs past the end");
	/* The trailer cut off: a file after the kernel cannot be found. */
	bundle_default();
	blen = 128;
	strcpy(desc.initrd, "initrd");
	expect_refused("property 'initrd': file 'initrd': the bundle is truncated or malformed "
		       "at offset 0x80: the archive ends without its TRAILER!!! entry");
}

static void test_bad_image(void **state)
{
	(void)state;
	blen = 0;
	bundle_add("kernel", "\177ELF\2\1\1", 7);
	bundle_add("TRAILER!!!", NULL, 0);
	expect_refused("vm 'test': kernel 'kernel': ELF file of 7 bytes is shorter than its "
		       "64-byte ELF64 header");
}

/* ---- failures after the VMID and memory are taken ---- */

static void test_no_vmid(void **state)
{
	struct vmid_space *s = vmid_host(feat.vmid_bits);
	u16 v, first = 0;
	unsigned taken = 0;

	(void)state;
	/* The machine's space is 16 bits wide (the first VM's host said so). */
	assert_int_equal(s->bits, 16);
	while ((v = vmid_pin(s)) != 0) {
		if (!first)
			first = v;
		taken++;
	}
	/* Every VMID but 0 and those the generations keep (NR_CPUS + 1). */
	assert_int_equal(taken, 65535 - (NR_CPUS + 1));
	expect_refused("vm 'test': no VMID left (16-bit VMIDs)");
	for (unsigned i = 0; i < taken; i++)
		vmid_unpin(s, (u16)(first + i));
}

static void test_no_memory_for_stage2_root(void **state)
{
	(void)state;
	ram_seed(0, 0);
	expect_refused("vm 'test': no memory for its stage-2 tables");
}

/* The 64 MiB of the machine is not enough for a 128 MiB VM: all given back. */
static void test_out_of_ram_midway(void **state)
{
	u64 free_all = palloc_free_bytes();

	(void)state;
	desc.ram_size = 128 << 20;
	expect_refused("vm 'test': out of memory for its 128 MiB of RAM (64 MiB free)");
	assert_int_equal(palloc_free_bytes(), free_all);
	/* Whole 2 MiB blocks are there again, as many as before. */
	for (unsigned i = 0; i < HOST_RAM / SZ_2M; i++)
		assert_int_not_equal(palloc_pages(9), 0);
	assert_int_equal(palloc_pages(0), 0);
}

/*
 * RAM blocks there but no page for a stage-2 table: one page (taken by
 * the root table) and one 2 MiB block; the level-2 table for the block
 * finds no page. The block and the root are given back.
 */
static void test_no_memory_for_stage2_table(void **state)
{
	(void)state;
	ram_seed(SZ_2M - 0x1000, SZ_2M + 0x1000);
	desc.ram_size = 4 << 20;
	expect_refused("vm 'test': out of memory for its 4 MiB of RAM and its stage-2 tables");
	assert_int_equal(palloc_free_bytes(), SZ_2M + 0x1000);
}

/* The devices come last: a UART SPI the vGIC does not have. */
static void test_device_refused(void **state)
{
	(void)state;
	desc.uart_spi = VGIC_MAX_SPIS;
	expect_refused("vm 'test': property 'uart-interrupt': SPI");
	expect_refused("is above the vGIC's");
}

/* ---- creations (they keep their slots) ---- */

/*
 * The case of a 64 GiB VM listed before a 16 MiB one: the first is
 * refused, and the second gets all the memory the first had taken.
 */
static void test_big_vm_first_then_small(void **state)
{
	u64 free_all = palloc_free_bytes();
	struct vm *vm;

	(void)state;
	strcpy(desc.name, "big");
	desc.ram_size = 64ull << 30;
	expect_refused("vm 'big': out of memory for its 65536 MiB of RAM (64 MiB free)");
	strcpy(desc.name, "small");
	desc.ram_size = 16 << 20;
	vm = vm_create(&desc, bundle, blen, &host, err, sizeof(err));
	if (!vm)
		fail_msg("refused: %s", err);
	assert_int_equal(vm_count(), 1);
	assert_int_equal(vm->vmid, 1);
	/* 16 MiB of blocks and a few tables. */
	assert_true(free_all - palloc_free_bytes() >= (16 << 20));
	assert_true(free_all - palloc_free_bytes() <= (16 << 20) + 4 * 0x1000);
}

/*
 * A virtual-el2 VM with nested=nv: each vCPU has its nested half, starts
 * at vEL2h (EL1h on the hardware) with L1's register file reset, and the
 * VM has its pool of shadow stage 2s; a plain VM beside it has neither.
 */
static void test_virtual_el2(void **state)
{
	struct vm *vm, *plain;

	(void)state;
	desc.ram_size = 16 << 20;
	desc.virtual_el2 = true;
	host.nested = NESTED_NV;
	vm = vm_create(&desc, bundle, blen, &host, err, sizeof(err));
	if (!vm)
		fail_msg("refused: %s", err);
	assert_non_null(vm->shadow);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		assert_non_null(vm->vcpus[i]->nested);
	assert_ptr_not_equal(vm->vcpus[0]->nested, vm->vcpus[1]->nested);
	desc.virtual_el2 = false;
	strcpy(desc.name, "plain");
	plain = vm_create(&desc, bundle, blen, &host, err, sizeof(err));
	if (!plain)
		fail_msg("refused: %s", err);
	assert_null(plain->shadow);
	assert_null(plain->vcpus[0]->nested);
	host.nested = NESTED_OFF;
}

/* VM slots: MAX_VMS of them, then a clear refusal that takes nothing. */
static void test_slots(void **state)
{
	(void)state;
	desc.ram_size = 4 << 20;
	while (vm_count() < MAX_VMS)
		if (!vm_create(&desc, bundle, blen, &host, err, sizeof(err)))
			fail_msg("refused: %s", err);
	expect_refused("vm 'test': more than 4 VMs");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_refused_descriptions),
		T(test_missing_file),
		T(test_truncated_bundle),
		T(test_bad_image),
		T(test_no_vmid),
		T(test_no_memory_for_stage2_root),
		T(test_out_of_ram_midway),
		T(test_no_memory_for_stage2_table),
		T(test_device_refused),
		T(test_big_vm_first_then_small),
		T(test_virtual_el2),
		T(test_slots),
	};
#undef T

	return cmocka_run_group_tests_name("vm", tests, NULL, NULL);
}
