/*
 * Emulated MMIO: every access width and form against nestvisor's test
 * device, and a synchronous external abort for an access to a hole in the
 * guest physical address space.
 *
 * The device: a DT node compatible "nestvisor,test-mmio" with a 4 KiB reg.
 *   0x000-0x0ff  scratch RAM: naturally aligned 1/2/4/8-byte accesses,
 *                little-endian, reads return what was written
 *   0x100        read-only, reads as memory holding the 64-bit value
 *                0x0123456789abcdef (narrower reads return the bytes at
 *                their offset); writes are ignored
 * Without the node (plain QEMU) the device tests are skipped ("strict" in
 * bootargs makes that a failure).
 *
 * The hole: HOLE_ADDR, 0x0b000000. On QEMU's virt machine nothing is mapped
 * from the end of the virtio-mmio transports (0x0a004000) to 0x0fffffff
 * (the platform bus at 0x0c000000 is an empty container unless dynamic
 * sysbus devices are added, the secure-only memory at 0x0e000000 is absent
 * from the non-secure address space), so plain QEMU answers an access there
 * with a decode error, which the CPU takes as a synchronous external abort;
 * a nestvisor VM must leave the same address unmapped and inject the same
 * abort. The guest also checks that no DT node claims the address.
 */
#include <libfdt.h>

#include "guest.h"

const char guest_name[] = "mmio";

#define HOLE_ADDR	0x0b000000UL
#define HOLE_SIZE	0x1000UL

#define SCRATCH		0x000
#define SCRATCH_SIZE	0x100
#define ROREG		0x100
#define ROREG_VALUE	0x0123456789abcdefUL

#define ESR_FNV		BIT(10)

static u64 dev;
static u8 model[SCRATCH_SIZE];

/* ---- one instruction each ---- */

static u64 ld8(u64 a) { return mmio_read8(a); }
static u64 ld16(u64 a) { return mmio_read16(a); }
static u64 ld32(u64 a) { return mmio_read32(a); }
static u64 ld64(u64 a) { return mmio_read64(a); }
static void st8(u64 a, u64 v) { mmio_write8(a, (u8)v); }
static void st16(u64 a, u64 v) { mmio_write16(a, (u16)v); }
static void st32(u64 a, u64 v) { mmio_write32(a, (u32)v); }
static void st64(u64 a, u64 v) { mmio_write64(a, v); }

#define LOAD_INSN(name, insn) \
	static u64 name(u64 a) \
	{ \
		u64 v; \
		__asm__ volatile(insn : "=&r"(v) : "r"(a) : "memory"); \
		return v; \
	}
/* The W forms zero the upper half of the X register. */
LOAD_INSN(ldrsb_x, "ldrsb %x0, [%1]")
LOAD_INSN(ldrsb_w, "mov %x0, #-1\n\tldrsb %w0, [%1]")
LOAD_INSN(ldrsh_x, "ldrsh %x0, [%1]")
LOAD_INSN(ldrsh_w, "mov %x0, #-1\n\tldrsh %w0, [%1]")
LOAD_INSN(ldrsw_x, "ldrsw %x0, [%1]")
LOAD_INSN(ldr_w_upper, "mov %x0, #-1\n\tldr %w0, [%1]")

static void str_xzr(u64 a) { __asm__ volatile("str xzr, [%0]" :: "r"(a) : "memory"); }
static void str_wzr(u64 a) { __asm__ volatile("str wzr, [%0]" :: "r"(a) : "memory"); }
static void strh_wzr(u64 a) { __asm__ volatile("strh wzr, [%0]" :: "r"(a) : "memory"); }
static void strb_wzr(u64 a) { __asm__ volatile("strb wzr, [%0]" :: "r"(a) : "memory"); }

/* Loads into xzr: discarded; a hypervisor must not write SP instead. */
static bool ldr_xzr_keeps_sp(u64 a)
{
	u64 before, after;

	__asm__ volatile("mov %0, sp\n\tldr xzr, [%2]\n\tmov %1, sp"
			 : "=&r"(before), "=&r"(after) : "r"(a) : "memory");
	return before == after;
}

/* x30 as the transfer register (the highest register number). */
static u64 ld64_x30(u64 a)
{
	u64 v;

	__asm__ volatile("ldr x30, [%1]\n\tmov %0, x30" : "=r"(v) : "r"(a) : "x30", "memory");
	return v;
}

static void st64_x30(u64 a, u64 v)
{
	__asm__ volatile("mov x30, %0\n\tstr x30, [%1]" :: "r"(v), "r"(a) : "x30", "memory");
}

/* ---- the model of the scratch RAM ---- */

static u64 model_read(unsigned off, unsigned size)
{
	u64 v = 0;

	for (unsigned i = size; i--;)
		v = (v << 8) | model[off + i];
	return v;
}

static void model_write(unsigned off, unsigned size, u64 v)
{
	for (unsigned i = 0; i < size; i++, v >>= 8)
		model[off + i] = (u8)v;
}

static u64 dev_read(unsigned off, unsigned size)
{
	switch (size) {
	case 1: return ld8(dev + off);
	case 2: return ld16(dev + off);
	case 4: return ld32(dev + off);
	default: return ld64(dev + off);
	}
}

static void dev_write(unsigned off, unsigned size, u64 v)
{
	switch (size) {
	case 1: st8(dev + off, v); break;
	case 2: st16(dev + off, v); break;
	case 4: st32(dev + off, v); break;
	default: st64(dev + off, v); break;
	}
	model_write(off, size, v);
}

/* Every naturally aligned read of every width matches the model. */
static bool scratch_matches(unsigned size)
{
	for (unsigned off = 0; off < SCRATCH_SIZE; off += size) {
		u64 got = dev_read(off, size), want = model_read(off, size);

		if (got != want) {
			diag("scratch+0x%x, %u-byte read: got 0x%lx, want 0x%lx", off, size, got, want);
			return false;
		}
	}
	return true;
}

static u64 pattern(unsigned i)
{
	return 0x9e3779b97f4a7c15UL * (i + 1) ^ 0xd1b54a32d192ed03UL;
}

static void test_scratch(void)
{
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	u64 seed = 12345;

	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
		unsigned size = sizes[s];

		for (unsigned off = 0; off < SCRATCH_SIZE; off += size)
			dev_write(off, size, pattern(off + s * 1000));
		bool all = true;

		for (unsigned r = 0; r < ARRAY_SIZE(sizes); r++)
			all = scratch_matches(sizes[r]) && all;
		ok(all, "scratch: %u-bit stores over 256 bytes read back with 8/16/32/64-bit loads",
		   size * 8);
	}

	/* A deterministic mix of widths and offsets. */
	bool all = true;

	for (unsigned i = 0; i < 300 && all; i++) {
		unsigned size, off;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		size = sizes[(seed >> 33) & 3];
		off = (unsigned)((seed >> 40) % SCRATCH_SIZE) & ~(size - 1);
		if ((seed >> 20) & 1) {
			dev_write(off, size, seed ^ (seed >> 29));
		} else {
			u64 got = dev_read(off, size), want = model_read(off, size);

			if (got != want) {
				diag("step %u: scratch+0x%x, %u-byte read: got 0x%lx, want 0x%lx",
				     i, off, size, got, want);
				all = false;
			}
		}
	}
	ok(all && scratch_matches(8), "scratch: 300 mixed-width accesses match a memory model");

	dev_write(0x10, 8, 0x8080808080808080UL);
	dev_write(0x18, 8, 0x7f7f7f7f7f7f7f7fUL);
	check_eq(ldrsb_x(dev + 0x10), 0xffffffffffffff80UL, "ldrsb x: sign-extends 0x80");
	check_eq(ldrsb_w(dev + 0x10), 0xffffff80UL, "ldrsb w: sign-extends 0x80 to 32 bits, upper half 0");
	check_eq(ldrsb_x(dev + 0x18), 0x7f, "ldrsb x: 0x7f stays positive");
	check_eq(ldrsh_x(dev + 0x10), 0xffffffffffff8080UL, "ldrsh x: sign-extends 0x8080");
	check_eq(ldrsh_w(dev + 0x12), 0xffff8080UL, "ldrsh w: sign-extends 0x8080 to 32 bits, upper half 0");
	check_eq(ldrsh_x(dev + 0x18), 0x7f7f, "ldrsh x: 0x7f7f stays positive");
	check_eq(ldrsw_x(dev + 0x14), 0xffffffff80808080UL, "ldrsw: sign-extends 0x80808080");
	check_eq(ldrsw_x(dev + 0x18), 0x7f7f7f7fUL, "ldrsw: 0x7f7f7f7f stays positive");
	check_eq(ldr_w_upper(dev + 0x10), 0x80808080UL, "ldr w: zero-extends, upper half 0");

	dev_write(0x20, 8, ~0UL);
	dev_write(0x28, 8, ~0UL);
	str_xzr(dev + 0x20);
	model_write(0x20, 8, 0);
	check_eq(ld64(dev + 0x20), 0, "str xzr stores 0 (register 31 is zr, not sp)");
	str_wzr(dev + 0x28);
	model_write(0x28, 4, 0);
	check_eq(ld64(dev + 0x28), 0xffffffff00000000UL, "str wzr stores 32 zero bits");
	strh_wzr(dev + 0x2c);
	model_write(0x2c, 2, 0);
	check_eq(ld64(dev + 0x28), 0xffff000000000000UL, "strh wzr stores 16 zero bits");
	strb_wzr(dev + 0x2f);
	model_write(0x2f, 1, 0);
	check_eq(ld64(dev + 0x28), 0x00ff000000000000UL, "strb wzr stores 8 zero bits");
	ok(ldr_xzr_keeps_sp(dev + 0x20), "ldr xzr: the loaded value is discarded, sp unchanged");

	st64_x30(dev + 0x30, 0x1122334455667788UL);
	model_write(0x30, 8, 0x1122334455667788UL);
	check_eq(ld64_x30(dev + 0x30), 0x1122334455667788UL, "64-bit store and load through x30");
	ok(scratch_matches(1), "scratch: still matches the model byte by byte");
}

static void test_roreg(void)
{
	bool all = true;

	check_eq(ld64(dev + ROREG), ROREG_VALUE, "read-only register: 64-bit read");
	check_eq(ld32(dev + ROREG), 0x89abcdefUL, "read-only register: 32-bit read at +0");
	check_eq(ld32(dev + ROREG + 4), 0x01234567UL, "read-only register: 32-bit read at +4");
	for (unsigned o = 0; o < 8; o += 2)
		all = ld16(dev + ROREG + o) == ((ROREG_VALUE >> (o * 8)) & 0xffff) && all;
	ok(all, "read-only register: 16-bit reads at +0, +2, +4, +6");
	all = true;
	for (unsigned o = 0; o < 8; o++)
		all = ld8(dev + ROREG + o) == ((ROREG_VALUE >> (o * 8)) & 0xff) && all;
	ok(all, "read-only register: 8-bit reads at +0..+7");
	check_eq(ldrsb_x(dev + ROREG), 0xffffffffffffffefUL, "read-only register: ldrsb of 0xef sign-extends");
	check_eq(ldrsh_x(dev + ROREG + 2), 0xffffffffffff89abUL, "read-only register: ldrsh of 0x89ab sign-extends");
	check_eq(ldrsh_x(dev + ROREG + 4), 0x4567, "read-only register: ldrsh of 0x4567");
	check_eq(ldrsw_x(dev + ROREG), 0xffffffff89abcdefUL, "read-only register: ldrsw of 0x89abcdef sign-extends");

	st64(dev + ROREG, 0);
	st32(dev + ROREG + 4, 0);
	st16(dev + ROREG + 2, 0);
	st8(dev + ROREG + 7, 0);
	str_xzr(dev + ROREG);
	check_eq(ld64(dev + ROREG), ROREG_VALUE, "read-only register: writes of every width are ignored");
	ok(scratch_matches(8), "scratch: unchanged by the writes to the read-only register");
}

/* Does any DT node's reg overlap [base, base + size)? Names it in *who. */
static bool dt_claims(u64 base, u64 size, const char **who)
{
	const void *fdt = guest_fdt;

	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		u64 b, s;

		for (unsigned i = 0; dt_reg(node, i, &b, &s); i++) {
			if (s && b < base + size && base < b + s) {
				*who = fdt_get_name(fdt, node, NULL);
				return true;
			}
		}
	}
	return false;
}

static void check_sea(const char *what, bool taken, const struct exc_record *r, u64 addr, bool write)
{
	if (!ok(taken, "%s: taken as a synchronous exception", what))
		return;
	diag("%s: ESR_EL1 0x%lx (EC 0x%lx, DFSC 0x%lx, WnR %lu, EA %lu, FnV %lu, ISV %lu), FAR_EL1 0x%lx",
	     what, r->esr, ESR_EC(r->esr), DFSC(r->esr), (r->esr >> 6) & 1, (r->esr >> 9) & 1,
	     (r->esr >> 10) & 1, (r->esr >> 24) & 1, r->far);
	check_eq(ESR_EC(r->esr), EC_DABT_CUR, "%s: EC 0x25 (data abort, same EL)", what);
	check_eq(DFSC(r->esr), DFSC_SEA, "%s: DFSC 0x10 (synchronous external abort)", what);
	check_eq((r->esr & ESR_WNR) != 0, write, "%s: WnR says %s", what, write ? "write" : "read");
	ok(!(r->esr & ESR_FNV) && r->far == addr, "%s: FAR_EL1 is the address", what);
}

static void test_hole(void)
{
	struct exc_record r;
	const char *who = NULL;
	bool taken;
	u64 v;

	diag("hole: 0x%lx", HOLE_ADDR);
	if (!ok(!dt_claims(HOLE_ADDR, HOLE_SIZE, &who), "the hole address is claimed by no DT node")) {
		diag("0x%lx is in the reg of %s", HOLE_ADDR, who);
		return;
	}

	exc_expect();
	v = ld64(HOLE_ADDR);
	taken = exc_take(&r);
	(void)v;
	check_sea("64-bit read of the hole", taken, &r, HOLE_ADDR, false);

	exc_expect();
	st32(HOLE_ADDR + 0x10, 0x12345678);
	taken = exc_take(&r);
	check_sea("32-bit write to the hole", taken, &r, HOLE_ADDR + 0x10, true);

	exc_expect();
	v = ld8(HOLE_ADDR + 0x3);
	taken = exc_take(&r);
	check_sea("8-bit read of the hole", taken, &r, HOLE_ADDR + 0x3, false);
}

void guest_main(void)
{
	int node = dt_find_compatible("nestvisor,test-mmio");
	u64 size;

	if (node < 0) {
		printf("# SKIP no nestvisor,test-mmio device\n");
		if (strict_mode())
			ok(false, "a nestvisor,test-mmio node in the DT");
	} else if (!ok(dt_reg(node, 0, &dev, &size) && size >= 0x108,
		       "the nestvisor,test-mmio node has a reg of at least 0x108 bytes")) {
		diag("its reg could not be read or is too small");
	} else {
		diag("test device at 0x%lx, size 0x%lx", dev, size);
		/* Known contents first: what the device holds before is unknown. */
		for (unsigned off = 0; off < SCRATCH_SIZE; off += 8)
			dev_write(off, 8, 0);
		ok(scratch_matches(8), "scratch: zeroed with 64-bit stores");
		test_scratch();
		test_roreg();
	}
	test_hole();
}
