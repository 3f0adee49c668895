/*
 * Host tests of the software stage-1 walk (src/mem/s1_walk.c). Tables are
 * written by hand into a fake guest memory (fake_mem.h) from the Arm ARM
 * VMSAv8-64 stage-1 formats; table indices and expected addresses are
 * spelled out as constants, so the tests do not share the walker's
 * arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/s1_walk.h>
#include "fake_mem.h"
#include "helpers.h"

/* --- TCR_EL1 (and TCR_EL2 with E2H = 1) --- */
#define T0SZ(n) ((u64)(n))
#define EPD0 BIT(7)
#define TG0_4K (UINT64_C(0) << 14)
#define TG0_64K (UINT64_C(1) << 14)
#define TG0_16K (UINT64_C(2) << 14)
#define T1SZ(n) ((u64)(n) << 16)
#define EPD1 BIT(23)
#define TG1_16K (UINT64_C(1) << 30)
#define TG1_4K (UINT64_C(2) << 30)
#define TG1_64K (UINT64_C(3) << 30)
#define IPS(n) ((u64)(n) << 32)
#define TBI0 BIT(37)
#define TBI1 BIT(38)
#define HPD0 BIT(41)
#define TBID0 BIT(51)

/* --- TCR_EL2 with E2H = 0: RES1 bits 31 and 23 set --- */
#define TCR2_RES1 (BIT(31) | BIT(23))
#define PS2(n) ((u64)(n) << 16)
#define TBI_EL2 BIT(20)

/* --- SCTLR_ELx --- */
#define SC_M BIT(0)
#define SC_I BIT(12)
#define SC_WXN BIT(19)

/* --- Stage-1 descriptors --- */
#define TBL UINT64_C(3)
#define PAGE UINT64_C(3)
#define BLOCK UINT64_C(1)
#define ATTR(i) ((u64)(i) << 2)
#define AP(x) ((u64)(x) << 6)
#define SH(x) ((u64)(x) << 8)
#define AF BIT(10)
#define PXN BIT(53)
#define UXN BIT(54)
#define PXN_T BIT(59)
#define UXN_T BIT(60)
#define APT(x) ((u64)(x) << 61)

/* Attr<n> = 0xf0 + n: which index a leaf picked shows in the result. */
#define MAIR UINT64_C(0xf7f6f5f4f3f2f1f0)

#define R S1_PERM_R
#define W S1_PERM_W
#define X S1_PERM_X

#define F_TRANS S1_FAULT_TRANSLATION
#define F_ASIZE S1_FAULT_ADDRESS_SIZE
#define F_AF S1_FAULT_ACCESS_FLAG
#define F_PERM S1_FAULT_PERMISSION
#define F_EXT S1_FAULT_EXTERNAL

static struct s1_walk_regs el10(u64 tcr, u64 ttbr0, u64 ttbr1)
{
	struct s1_walk_regs r;

	memset(&r, 0, sizeof(r));
	r.regime = S1_REGIME_EL10;
	r.sctlr = SC_M;
	r.tcr = tcr;
	r.ttbr0 = ttbr0;
	r.ttbr1 = ttbr1;
	r.mair = MAIR;
	r.pa_bits = 48;
	return r;
}

static struct s1_walk_result walk_acc(struct fmem *m,
				      const struct s1_walk_regs *regs, u64 va,
				      enum s1_access acc, bool el0)
{
	struct s1_walk_mem mem = { fmem_read, NULL, m };
	struct s1_walk_result r;

	memset(&r, 0xa5, sizeof(r));
	fmem_reset_reads(m);
	s1_walk(regs, va, acc, el0, &mem, &r);
	assert_int_equal(m->misaligned, 0);
	return r;
}

static struct s1_walk_result walk(struct fmem *m, const struct s1_walk_regs *regs,
				  u64 va)
{
	return walk_acc(m, regs, va, S1_ACCESS_READ, false);
}

static void expect_ok(const struct s1_walk_result *r, unsigned level, u64 oa,
		      u64 size)
{
	if (r->fault != S1_OK || r->level != level)
		fail_msg("fault %d at level %u, not a level %u leaf", r->fault,
			 r->level, level);
	assert_false(r->s2_ptw);
	assert_int_equal(r->oa, oa);
	assert_int_equal(r->block_size, size);
}

static void expect_fault(const struct s1_walk_result *r, enum s1_fault f,
			 unsigned level)
{
	if (r->fault != f || r->level != level)
		fail_msg("fault %d at level %u, not %d at level %u", r->fault,
			 r->level, f, level);
	assert_false(r->s2_ptw);
}

static void expect_reads(const struct fmem *m, unsigned n, const u64 *addrs)
{
	assert_int_equal(m->nreads, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(m->reads[i], addrs[i]);
}

#define READS(...) (const u64[]){ __VA_ARGS__ }

/*
 * 4 KiB, 48 bits: L0 index VA[47:39], L1 [38:30], L2 [29:21], L3
 * [20:12]. VA 0x0000_0080_8060_4abc has indices 1, 2, 3, 4 and offset
 * 0xabc. Tables at base + 0x0000, 0x1000, 0x2000, 0x3000.
 */
#define VA4K UINT64_C(0x0000008080604abc)

static void map_4k(struct fmem *m, u64 base, u64 leaf)
{
	fmem_put(m, base + 0x08, (base + 0x1000) | TBL);
	fmem_put(m, base + 0x1010, (base + 0x2000) | TBL);
	fmem_put(m, base + 0x2018, (base + 0x3000) | TBL);
	fmem_put(m, base + 0x3020, leaf);
}

static void test_4k_ttbr0_page(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	struct s1_walk_result r;

	map_4k(m, M(0), UINT64_C(0x123456789000) | PAGE | AF | ATTR(1) | SH(3));
	r = walk(m, &regs, VA4K);
	expect_ok(&r, 3, UINT64_C(0x123456789abc), SZ_4K);
	expect_reads(m, 4, READS(M(0x08), M(0x1010), M(0x2018), M(0x3020)));
	assert_int_equal(r.attr, 0xf1);
	assert_int_equal(r.sh, 3);
	assert_int_equal(r.desc, UINT64_C(0x123456789000) | PAGE | AF | ATTR(1) | SH(3));
	/* The reserved SH 0b01 reads as Non-shareable. */
	fmem_put(m, M(0x3020), UINT64_C(0x123456789000) | PAGE | AF | SH(1));
	assert_int_equal(walk(m, &regs, VA4K).sh, 0);
	/* AP 0b00: EL1 read, write and execute. */
	assert_int_equal(r.perm, R | W | X);
	assert_false(r.mmu_off);
}

static void test_4k_blocks(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	struct s1_walk_result r;

	fmem_put(m, M(0x0), M(0x1000) | TBL);
	/* L1[5]: a 1 GiB block; bits [29:12] of a block are RES0, ignored. */
	fmem_put(m, M(0x1028), UINT64_C(0x8040000000) | UINT64_C(0x3000) | BLOCK | AF | ATTR(7));
	r = walk(m, &regs, UINT64_C(5) << 30 | 0x12345678);
	expect_ok(&r, 1, UINT64_C(0x8052345678), SZ_1G);
	expect_reads(m, 2, READS(M(0x0), M(0x1028)));
	assert_int_equal(r.attr, 0xf7);

	/* L1[6] -> L2[7]: a 2 MiB block. */
	fmem_put(m, M(0x1030), M(0x2000) | TBL);
	fmem_put(m, M(0x2038), UINT64_C(0x1234600000) | UINT64_C(0x5000) | BLOCK | AF);
	r = walk(m, &regs, UINT64_C(6) << 30 | UINT64_C(7) << 21 | 0x1abcd);
	expect_ok(&r, 2, UINT64_C(0x123461abcd), SZ_2M);
	expect_reads(m, 3, READS(M(0x0), M(0x1030), M(0x2038)));

	/* A block at level 0 and 0b01 at level 3 are Translation faults. */
	fmem_put(m, M(0x8), UINT64_C(0x8000000000) | BLOCK | AF);
	r = walk(m, &regs, UINT64_C(1) << 39);
	expect_fault(&r, F_TRANS, 0);
	fmem_put(m, M(0x2040), M(0x3000) | TBL);
	fmem_put(m, M(0x3000), UINT64_C(0x77000) | BLOCK | AF);
	r = walk(m, &regs, UINT64_C(6) << 30 | UINT64_C(8) << 21);
	expect_fault(&r, F_TRANS, 3);
	expect_reads(m, 4, READS(M(0x0), M(0x1030), M(0x2040), M(0x3000)));
}

static void test_4k_invalid_each_level(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	static const u64 addrs[4] = { 0x08, 0x1010, 0x2018, 0x3020 };
	struct s1_walk_result r;

	map_4k(m, M(0), UINT64_C(0x5000) | PAGE | AF);
	for (unsigned level = 0; level < 4; level++) {
		u64 a = M(addrs[level]), orig;

		memcpy(&orig, m->buf + (a - FMEM_BASE), sizeof(orig));
		/* Zero, then bit 0 clear with the rest kept. */
		fmem_put(m, a, 0);
		r = walk(m, &regs, VA4K);
		expect_fault(&r, F_TRANS, level);
		assert_int_equal(m->nreads, level + 1);
		fmem_put(m, a, orig & ~UINT64_C(1));
		r = walk(m, &regs, VA4K);
		expect_fault(&r, F_TRANS, level);
		fmem_put(m, a, orig);
	}
	r = walk(m, &regs, VA4K);
	expect_ok(&r, 3, UINT64_C(0x5abc), SZ_4K);
}

/*
 * A walk through the descriptors at at[0..n) (start level first): each
 * but the last points at the table holding the next one; the last is the
 * leaf.
 */
struct chain {
	u64 va;
	unsigned n;
	u64 at[4];
	u64 leaf;
	unsigned level;
	u64 oa, size;
};

static void check_chains(struct fmem *m, const struct s1_walk_regs *regs,
			 const struct chain *cs, size_t count, u64 granule)
{
	for (size_t k = 0; k < count; k++) {
		const struct chain *c = &cs[k];
		struct s1_walk_result r;

		for (unsigned i = 0; i + 1 < c->n; i++)
			fmem_put(m, c->at[i], (c->at[i + 1] & ~(granule - 1)) | TBL);
		fmem_put(m, c->at[c->n - 1], c->leaf);
		r = walk(m, regs, c->va);
		expect_ok(&r, c->level, c->oa, c->size);
		expect_reads(m, c->n, c->at);
	}
}

static void test_4k_ttbr1(void **state)
{
	static const struct chain c48 = {
		UINT64_C(0xffff008080604abc), 4,
		{ M(0x10008), M(0x11010), M(0x12018), M(0x13020) },
		UINT64_C(0xabcd000) | PAGE | AF | AP(1) | ATTR(2), 3,
		UINT64_C(0xabcdabc), SZ_4K,
	};
	/* 39-bit upper range: start at level 1 (L1 index VA[38:30] = 2). */
	static const struct chain c39 = {
		UINT64_C(0xffffff8080604abc), 3,
		{ M(0x20010), M(0x21018), M(0x22020) },
		UINT64_C(0x99000) | PAGE | AF, 3, UINT64_C(0x99abc), SZ_4K,
	};
	struct fmem *m = *state;
	/* TTBR0 points at zeroed memory: a walk through it would fault. */
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | T1SZ(16) | TG1_4K | IPS(5),
					M(0x7f0000), M(0x10000));
	struct s1_walk_result r;

	check_chains(m, &regs, &c48, 1, SZ_4K);
	assert_int_equal(walk(m, &regs, c48.va).attr, 0xf2);
	regs.tcr = T0SZ(16) | TG0_4K | T1SZ(25) | TG1_4K | IPS(5);
	regs.ttbr1 = M(0x20000);
	check_chains(m, &regs, &c39, 1, SZ_4K);

	/* Between the two ranges: a level 0 Translation fault, nothing read. */
	r = walk(m, &regs, UINT64_C(0xffffff0080604abc));
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 0);
	r = walk(m, &regs, UINT64_C(0x8000000000000000));
	expect_fault(&r, F_TRANS, 0);
	r = walk(m, &regs, UINT64_C(0x0001000000000000));
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 0);
}

/*
 * 16 KiB, 48 bits: L0 index VA[47] (2 entries), L1 [46:36], L2 [35:25],
 * L3 [24:14]. VA 0x8050_0c01_dabc: indices 1, 5, 6, 7, offset 0x1abc.
 * TG1 = 0b01 is 16 KiB too.
 */
static void test_16k(void **state)
{
	static const struct chain cs[] = {
		{ UINT64_C(0x80500c01dabc), 4,
		  { M(0x8), M(0x4028), M(0x8030), M(0xc038) },
		  UINT64_C(0x123456780000) | PAGE | AF, 3,
		  UINT64_C(0x123456781abc), 0x4000 },
		/* L0[0] -> L1[1] -> L2[2]: a 32 MiB block. */
		{ UINT64_C(1) << 36 | UINT64_C(2) << 25 | 0x1234567, 3,
		  { M(0x0), M(0x10008), M(0x14010) },
		  UINT64_C(0x1234000000) | BLOCK | AF, 2,
		  UINT64_C(0x1235234567), 0x2000000 },
		/* The first one's indices from TTBR1. */
		{ UINT64_C(0xffff80500c01dabc), 4,
		  { M(0x40008), M(0x44028), M(0x48030), M(0x4c038) },
		  UINT64_C(0x777770000) | PAGE | AF, 3,
		  UINT64_C(0x777771abc), 0x4000 },
	};
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_16K | T1SZ(16) | TG1_16K | IPS(5),
					M(0), M(0x40000));
	struct s1_walk_result r;

	check_chains(m, &regs, cs, ARRAY_SIZE(cs), 0x4000);
	/* No block at level 1 with 16 KiB (FEAT_LPA2 only). */
	fmem_put(m, M(0x10010), UINT64_C(0x2000000000) | BLOCK | AF);
	r = walk(m, &regs, UINT64_C(2) << 36);
	expect_fault(&r, F_TRANS, 1);
}

/*
 * 64 KiB, 48 bits: the walk starts at level 1, index VA[47:42] (64
 * entries), L2 [41:29], L3 [28:16]. VA 0x0c01_200a_abcd: indices 3, 9,
 * 10, offset 0xabcd. TG1 = 0b11 is 64 KiB.
 */
static void test_64k(void **state)
{
	static const struct chain cs[] = {
		{ UINT64_C(0x0c01200aabcd), 3,
		  { M(0x18), M(0x10048), M(0x20050) },
		  UINT64_C(0x55550000) | PAGE | AF | SH(2), 3,
		  UINT64_C(0x5555abcd), SZ_64K },
		/* L1[1] -> L2[2]: a 512 MiB block. */
		{ UINT64_C(1) << 42 | UINT64_C(2) << 29 | 0x1234567, 2,
		  { M(0x8), M(0x30010) },
		  UINT64_C(0x120000000) | BLOCK | AF, 2,
		  UINT64_C(0x121234567), 0x20000000 },
		{ UINT64_C(0xffff0c01200aabcd), 3,
		  { M(0x100018), M(0x110048), M(0x120050) },
		  UINT64_C(0x66660000) | PAGE | AF, 3,
		  UINT64_C(0x6666abcd), SZ_64K },
	};
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_64K | T1SZ(16) | TG1_64K | IPS(5),
					M(0), M(0x100000));
	struct s1_walk_result r;

	check_chains(m, &regs, cs, ARRAY_SIZE(cs), SZ_64K);
	r = walk(m, &regs, UINT64_C(0x0c01200aabcd));
	assert_int_equal(r.sh, 2);
	/* No block at level 1 with 64 KiB. */
	fmem_put(m, M(0x10), UINT64_C(0x80000000000) | BLOCK | AF);
	r = walk(m, &regs, UINT64_C(2) << 42);
	expect_fault(&r, F_TRANS, 1);
}

static void test_txsz_and_root(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(39) | TG0_4K | IPS(5), M(0x30000), 0);
	struct s1_walk_result r;

	/*
	 * T0SZ 39 (25 bits): the walk starts at level 2, 16 entries, index
	 * VA[24:21]; VA 0x1abcdef: L2 index 0xd, L3 index 0xbc.
	 */
	fmem_put(m, M(0x30068), M(0x31000) | TBL);
	fmem_put(m, M(0x315e0), UINT64_C(0x55555000) | PAGE | AF);
	r = walk(m, &regs, 0x1abcdef);
	expect_ok(&r, 3, UINT64_C(0x55555def), SZ_4K);
	expect_reads(m, 2, READS(M(0x30068), M(0x315e0)));
	/* TTBR0 bits below the 128-byte root and CnP (bit 0) are ignored. */
	regs.ttbr0 = M(0x30000) | 0x41 | UINT64_C(0x12) << 48;
	r = walk(m, &regs, 0x1abcdef);
	expect_ok(&r, 3, UINT64_C(0x55555def), SZ_4K);
	expect_reads(m, 2, READS(M(0x30068), M(0x315e0)));
	/* Bit 25 is beyond the range. */
	r = walk(m, &regs, UINT64_C(1) << 25);
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 0);

	/* T0SZ outside 16..39: a level 0 Translation fault, nothing read. */
	regs.tcr = T0SZ(15) | TG0_4K | IPS(5);
	r = walk(m, &regs, 0x1abcdef);
	expect_fault(&r, F_TRANS, 0);
	regs.tcr = T0SZ(40) | TG0_4K | IPS(5);
	r = walk(m, &regs, 0x1abcdef);
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 0);
	/* A reserved TG0 (0b11) is taken as 4 KiB. */
	regs.tcr = T0SZ(39) | UINT64_C(3) << 14 | IPS(5);
	r = walk(m, &regs, 0x1abcdef);
	expect_ok(&r, 3, UINT64_C(0x55555def), SZ_4K);
}

static void test_epd(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | T1SZ(16) | TG1_4K | IPS(5) | EPD0,
					M(0), M(0x10000));
	struct s1_walk_result r;

	map_4k(m, M(0), UINT64_C(0x1000) | PAGE | AF);
	map_4k(m, M(0x10000), UINT64_C(0x2000) | PAGE | AF);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 0);
	r = walk(m, &regs, UINT64_C(0xffff008080604abc));
	expect_ok(&r, 3, 0x2abc, SZ_4K);

	regs.tcr = T0SZ(16) | TG0_4K | T1SZ(16) | TG1_4K | IPS(5) | EPD1;
	r = walk(m, &regs, UINT64_C(0xffff008080604abc));
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 0);
	r = walk(m, &regs, VA4K);
	expect_ok(&r, 3, 0x1abc, SZ_4K);
}

static void test_address_size(void **state)
{
	struct fmem *m = *state;
	/* IPS 0b000: 32 bits. */
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(0), M(0), 0);
	struct s1_walk_result r;

	map_4k(m, M(0), UINT64_C(0xfffff000) | PAGE | AF);
	r = walk(m, &regs, VA4K);
	expect_ok(&r, 3, UINT64_C(0xfffffabc), SZ_4K);
	/* A leaf beyond 32 bits: at level 3. */
	fmem_put(m, M(0x3020), UINT64_C(0x100000000) | PAGE | AF);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_ASIZE, 3);
	/* A table beyond: at its own level (the L1 descriptor). */
	fmem_put(m, M(0x1010), UINT64_C(0x100002000) | TBL);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_ASIZE, 1);
	assert_int_equal(m->nreads, 2);
	/* TTBR0 beyond: level 0, nothing read. */
	regs.ttbr0 = UINT64_C(0x100000000);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_ASIZE, 0);
	assert_int_equal(m->nreads, 0);

	/* IPS 48 bits, the guest's PARange 36: a leaf at bit 36 faults. */
	map_4k(m, M(0), UINT64_C(0x1000000000) | PAGE | AF);
	regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	regs.pa_bits = 36;
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_ASIZE, 3);
	fmem_put(m, M(0x3020), UINT64_C(0xffffff000) | PAGE | AF);
	r = walk(m, &regs, VA4K);
	expect_ok(&r, 3, UINT64_C(0xffffffabc), SZ_4K);
	/* IPS 0b010 (40 bits) under a 48-bit PARange. */
	regs.pa_bits = 48;
	regs.tcr = T0SZ(16) | TG0_4K | IPS(2);
	fmem_put(m, M(0x3020), UINT64_C(0x10000000000) | PAGE | AF);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_ASIZE, 3);
	fmem_put(m, M(0x3020), UINT64_C(0x8000000000) | PAGE | AF);
	r = walk(m, &regs, VA4K);
	expect_ok(&r, 3, UINT64_C(0x8000000abc), SZ_4K);
}

static void test_access_flag(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	struct s1_walk_result r;

	map_4k(m, M(0), UINT64_C(0x5000) | PAGE);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_AF, 3);
	/* Never set by the walk. */
	assert_int_equal(*(u64 *)(m->buf + 0x3020), UINT64_C(0x5000) | PAGE);
	/* The flag is checked before permissions. */
	fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AP(2));
	r = walk_acc(m, &regs, VA4K, S1_ACCESS_WRITE, true);
	expect_fault(&r, F_AF, 3);
	/* A 2 MiB block without it, at level 2. */
	fmem_put(m, M(0x2018), UINT64_C(0x40000000) | BLOCK);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_AF, 2);
}

struct perm_case {
	u64 bits;           /* AP, PXN, UXN of the leaf */
	unsigned el1, el0;  /* S1_PERM_* expected */
};

/*
 * AP[2:1] and UXN/PXN in the EL1&0 regime (Arm ARM D8.4.1, D8.4.2):
 * AP 0b00 EL1 RW, 0b01 EL1 and EL0 RW, 0b10 EL1 RO, 0b11 both RO; EL0
 * executes unless UXN, EL1 unless PXN or the location is EL0-writable.
 */
static const struct perm_case perm_cases[] = {
	{ AP(0), R | W | X, X },
	{ AP(1), R | W, R | W | X },
	{ AP(2), R | X, X },
	{ AP(3), R | X, R | X },
	{ AP(0) | PXN, R | W, X },
	{ AP(1) | UXN, R | W, R | W },
	{ AP(3) | UXN, R | X, R },
	{ AP(3) | PXN, R, R | X },
	{ AP(2) | PXN | UXN, R, 0 },
	{ AP(1) | PXN | UXN, R | W, R | W },
};

static void check_perm(struct fmem *m, const struct s1_walk_regs *regs, u64 va,
		       bool el0, unsigned want)
{
	static const enum s1_access accs[3] = { S1_ACCESS_READ, S1_ACCESS_WRITE,
						S1_ACCESS_EXEC };
	static const unsigned need[3] = { R, W, X };

	for (unsigned i = 0; i < 3; i++) {
		struct s1_walk_result r = walk_acc(m, regs, va, accs[i], el0);

		assert_int_equal(r.perm, want);
		if (want & need[i])
			expect_ok(&r, 3, r.oa, SZ_4K);
		else
			expect_fault(&r, F_PERM, 3);
	}
}

static void test_permissions(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);

	map_4k(m, M(0), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(perm_cases); i++) {
		fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AF | perm_cases[i].bits);
		check_perm(m, &regs, VA4K, false, perm_cases[i].el1);
		check_perm(m, &regs, VA4K, true, perm_cases[i].el0);
	}

	/* SCTLR_EL1.WXN: what is writable at an EL does not execute there. */
	regs.sctlr = SC_M | SC_WXN;
	fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AF | AP(0));
	check_perm(m, &regs, VA4K, false, R | W);
	fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AF | AP(1));
	check_perm(m, &regs, VA4K, true, R | W);
	fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AF | AP(3));
	check_perm(m, &regs, VA4K, false, R | X);
}

static void test_table_controls(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	u64 leaf = UINT64_C(0x5000) | PAGE | AF | AP(1); /* EL0 and EL1 RW */

	map_4k(m, M(0), leaf);
	check_perm(m, &regs, VA4K, true, R | W | X);
	/* APTable 0b01 in the level 1 table descriptor: no EL0 access below. */
	fmem_put(m, M(0x1010), M(0x2000) | TBL | APT(1));
	check_perm(m, &regs, VA4K, true, X);
	check_perm(m, &regs, VA4K, false, R | W | X);
	/* APTable 0b10 in the level 2 one: read-only below. */
	fmem_put(m, M(0x1010), M(0x2000) | TBL);
	fmem_put(m, M(0x2018), M(0x3000) | TBL | APT(2));
	check_perm(m, &regs, VA4K, true, R | X);
	check_perm(m, &regs, VA4K, false, R | X);
	/* UXNTable and PXNTable in the level 0 one. */
	fmem_put(m, M(0x2018), M(0x3000) | TBL);
	fmem_put(m, M(0x08), M(0x1000) | TBL | UXN_T);
	check_perm(m, &regs, VA4K, true, R | W);
	fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AF | AP(0));
	check_perm(m, &regs, VA4K, false, R | W | X);
	fmem_put(m, M(0x08), M(0x1000) | TBL | PXN_T);
	check_perm(m, &regs, VA4K, false, R | W);
	/* TCR_EL1.HPD0: the table controls are ignored. */
	fmem_put(m, M(0x08), M(0x1000) | TBL | PXN_T | UXN_T | APT(3));
	regs.tcr |= HPD0;
	check_perm(m, &regs, VA4K, false, R | W | X);
}

static void test_el2_regime(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(TCR2_RES1 | T0SZ(16) | TG0_4K | PS2(5), M(0), 0);
	struct s1_walk_result r;

	regs.regime = S1_REGIME_EL2;
	/* AP[1] means nothing in one range: no implied PXN; PXN (bit 53) ignored. */
	map_4k(m, M(0), UINT64_C(0x5000) | PAGE | AF | AP(1) | PXN);
	check_perm(m, &regs, VA4K, false, R | W | X);
	/* An el0 request is taken as the regime's only level. */
	check_perm(m, &regs, VA4K, true, R | W | X);
	fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AF | AP(2) | UXN);
	check_perm(m, &regs, VA4K, false, R);
	/* APTable 0b10 applies, APTable 0b01 does not. */
	fmem_put(m, M(0x3020), UINT64_C(0x5000) | PAGE | AF);
	fmem_put(m, M(0x1010), M(0x2000) | TBL | APT(1));
	check_perm(m, &regs, VA4K, false, R | W | X);
	fmem_put(m, M(0x1010), M(0x2000) | TBL | APT(2) | UXN_T);
	check_perm(m, &regs, VA4K, false, R);

	/* No TTBR1: a VA with the top bits set is a level 0 Translation fault. */
	regs.ttbr1 = M(0);
	r = walk(m, &regs, UINT64_C(0xffff008080604abc));
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 0);
	/* TCR_EL2.TBI (bit 20): the top byte is ignored. */
	r = walk(m, &regs, UINT64_C(0x5a00008080604abc));
	expect_fault(&r, F_TRANS, 0);
	regs.tcr |= TBI_EL2;
	r = walk(m, &regs, UINT64_C(0x5a00008080604abc));
	expect_ok(&r, 3, 0x5abc, SZ_4K);
	/* PS [18:16] = 0: 32 bits; TCR_EL1's IPS position (bit 32) is not read. */
	regs.tcr = TCR2_RES1 | T0SZ(16) | TG0_4K | PS2(0) | IPS(5);
	fmem_put(m, M(0x3020), UINT64_C(0x100005000) | PAGE | AF);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_ASIZE, 3);
	regs.tcr = TCR2_RES1 | T0SZ(16) | TG0_4K | PS2(1);
	r = walk(m, &regs, VA4K);
	expect_ok(&r, 3, UINT64_C(0x100005abc), SZ_4K);
}

static void test_el20_regime(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | T1SZ(16) | TG1_4K | IPS(5),
					M(0), M(0x10000));
	struct s1_walk_result r;

	regs.regime = S1_REGIME_EL20;
	map_4k(m, M(0), UINT64_C(0x1000) | PAGE | AF | AP(1));
	map_4k(m, M(0x10000), UINT64_C(0x2000) | PAGE | AF);
	r = walk(m, &regs, UINT64_C(0xffff008080604abc));
	expect_ok(&r, 3, 0x2abc, SZ_4K);
	/* Two ranges, two privilege levels: EL0-writable is not executable at EL2. */
	check_perm(m, &regs, VA4K, false, R | W);
	check_perm(m, &regs, VA4K, true, R | W | X);
}

static void test_tbi(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | T1SZ(16) | TG1_4K | IPS(5),
					M(0), M(0x10000));
	struct s1_walk_result r;

	map_4k(m, M(0), UINT64_C(0x1000) | PAGE | AF);
	map_4k(m, M(0x10000), UINT64_C(0x2000) | PAGE | AF);
	r = walk(m, &regs, UINT64_C(0xab00008080604abc));
	expect_fault(&r, F_TRANS, 0);
	regs.tcr |= TBI0;
	r = walk(m, &regs, UINT64_C(0xab00008080604abc));
	expect_ok(&r, 3, 0x1abc, SZ_4K);
	/* TBID0: the tag is ignored for data, not for instruction fetches. */
	regs.tcr |= TBID0;
	r = walk_acc(m, &regs, UINT64_C(0xab00008080604abc), S1_ACCESS_EXEC, false);
	expect_fault(&r, F_TRANS, 0);
	r = walk(m, &regs, UINT64_C(0xab00008080604abc));
	expect_ok(&r, 3, 0x1abc, SZ_4K);
	/* Bit 55 selects the range whatever the top byte. */
	r = walk(m, &regs, UINT64_C(0x00ff008080604abc));
	expect_fault(&r, F_TRANS, 0);
	regs.tcr |= TBI1;
	r = walk(m, &regs, UINT64_C(0x00ff008080604abc));
	expect_ok(&r, 3, 0x2abc, SZ_4K);
	expect_reads(m, 4, READS(M(0x10008), M(0x11010), M(0x12018), M(0x13020)));
}

static void test_mmu_off(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(0), M(0), 0);
	struct s1_walk_result r;

	regs.sctlr = 0;
	/* Flat, whatever the tables; Device-nGnRnE, Non-shareable; no permission fault. */
	r = walk_acc(m, &regs, UINT64_C(0x123456789abc), S1_ACCESS_WRITE, true);
	expect_ok(&r, 0, UINT64_C(0x123456789abc), SZ_4K);
	assert_true(r.mmu_off);
	assert_int_equal(r.attr, 0x00);
	assert_int_equal(r.sh, 0);
	assert_int_equal(r.perm, R | W | X);
	assert_int_equal(m->nreads, 0);
	/* Beyond PAMax (48): a level 0 Address size fault. */
	r = walk(m, &regs, UINT64_C(1) << 48);
	expect_fault(&r, F_ASIZE, 0);
	regs.pa_bits = 40;
	r = walk(m, &regs, UINT64_C(1) << 40);
	expect_fault(&r, F_ASIZE, 0);
	r = walk(m, &regs, (UINT64_C(1) << 40) - 1);
	expect_ok(&r, 0, (UINT64_C(1) << 40) - 1, SZ_4K);
	/* TBI0 leaves the top byte out of the check and of the output. */
	r = walk(m, &regs, UINT64_C(0xab00000012345000));
	expect_fault(&r, F_ASIZE, 0);
	regs.tcr |= TBI0;
	r = walk(m, &regs, UINT64_C(0xab00000012345000));
	expect_ok(&r, 0, UINT64_C(0x12345000), SZ_4K);
	/* Instruction fetches: Normal Outer Shareable, WT with SCTLR.I, else NC. */
	r = walk_acc(m, &regs, 0x1000, S1_ACCESS_EXEC, false);
	assert_int_equal(r.attr, 0x44);
	assert_int_equal(r.sh, 2);
	regs.sctlr = SC_I;
	r = walk_acc(m, &regs, 0x1000, S1_ACCESS_EXEC, false);
	assert_int_equal(r.attr, 0xee);
	/* HCR_EL2.DC: off even with SCTLR.M, Normal Write-Back Non-shareable. */
	regs.sctlr = SC_M;
	regs.dc = true;
	r = walk_acc(m, &regs, 0x1000, S1_ACCESS_EXEC, false);
	expect_ok(&r, 0, 0x1000, SZ_4K);
	assert_int_equal(r.attr, 0xff);
	assert_int_equal(r.sh, 0);
	assert_int_equal(m->nreads, 0);
	/* DC is an EL1&0 control: the EL2 regime walks. */
	regs.regime = S1_REGIME_EL2;
	regs.tcr = TCR2_RES1 | T0SZ(16) | TG0_4K | PS2(5);
	r = walk(m, &regs, 0x1000);
	expect_fault(&r, F_TRANS, 0);
	assert_int_equal(m->nreads, 1);
}

static void test_external_abort(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	struct s1_walk_result r;

	map_4k(m, M(0), UINT64_C(0x5000) | PAGE | AF);
	/* The L2 table outside memory: the level 2 read fails. */
	fmem_put(m, M(0x1010), M(FMEM_SIZE) | TBL);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_EXT, 2);
	expect_reads(m, 3, READS(M(0x08), M(0x1010), M(FMEM_SIZE) + 0x18));
	/* The root outside memory: level 0. */
	regs.ttbr0 = UINT64_C(0x10000000);
	r = walk(m, &regs, VA4K);
	expect_fault(&r, F_EXT, 0);
	assert_int_equal(m->nreads, 1);
}

static void test_malicious_tables(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0), 0);
	struct s1_walk_result r;

	/* The root's entry 0 points at the root: four reads, then its own leaf. */
	fmem_put(m, M(0), M(0) | TBL);
	r = walk(m, &regs, 0x123);
	expect_fault(&r, F_AF, 3);
	expect_reads(m, 4, READS(M(0), M(0), M(0), M(0)));
	fmem_put(m, M(0), M(0) | TBL | AF);
	r = walk(m, &regs, 0x123);
	expect_ok(&r, 3, M(0x123), SZ_4K);
	assert_int_equal(m->nreads, 4);
	/*
	 * A level 1 descriptor pointing back at the root: the walk still ends
	 * at level 3, where the root's entry 0 reads as a page.
	 */
	fmem_put(m, M(0x8), M(0x1000) | TBL);
	fmem_put(m, M(0x1000), M(0) | TBL);
	r = walk(m, &regs, UINT64_C(1) << 39);
	expect_ok(&r, 3, M(0), SZ_4K);
	expect_reads(m, 4, READS(M(0x8), M(0x1000), M(0), M(0)));
	/* Garbage everywhere (every bit set): a reserved or faulting walk, never past level 3. */
	memset(m->buf, 0xff, 0x4000);
	r = walk(m, &regs, VA4K);
	assert_int_not_equal(r.fault, S1_OK);
	assert_true(m->nreads <= 4);
}

/* --- Table addresses through a stage 2 (the caller composes) --- */

/* Table "IPAs" at 0x1_0000_0000 + x are read at M(x); one of them faults. */
#define IPA_OFF (UINT64_C(0x100000000) - FMEM_BASE)

struct ptw_ctx {
	struct fmem *m;
	u64 fail_at;
	unsigned calls;
};

static bool ptw_read(void *ctx, u64 addr, u64 *val)
{
	struct ptw_ctx *p = ctx;

	return fmem_read(p->m, addr, val);
}

static bool ptw_xlate(void *ctx, u64 table, u64 *addr, struct s1_ptw_fault *f)
{
	struct ptw_ctx *p = ctx;

	p->calls++;
	if (table == p->fail_at) {
		f->fault = S1_FAULT_PERMISSION;
		f->level = 2;
		return false;
	}
	*addr = table - IPA_OFF;
	return true;
}

static void test_ptw_callback(void **state)
{
	struct fmem *m = *state;
	struct s1_walk_regs regs = el10(T0SZ(16) | TG0_4K | IPS(5), M(0) + IPA_OFF, 0);
	struct ptw_ctx p = { m, 0, 0 };
	struct s1_walk_mem mem = { ptw_read, ptw_xlate, &p };
	struct s1_walk_result r;

	/* Tables hold IPAs; the leaf's output is not translated. */
	fmem_put(m, M(0x08), (M(0x1000) + IPA_OFF) | TBL);
	fmem_put(m, M(0x1010), (M(0x2000) + IPA_OFF) | TBL);
	fmem_put(m, M(0x2018), (M(0x3000) + IPA_OFF) | TBL);
	fmem_put(m, M(0x3020), UINT64_C(0x123000) | PAGE | AF);
	fmem_reset_reads(m);
	s1_walk(&regs, VA4K, S1_ACCESS_READ, false, &mem, &r);
	expect_ok(&r, 3, UINT64_C(0x123abc), SZ_4K);
	assert_int_equal(p.calls, 4);
	expect_reads(m, 4, READS(M(0x08), M(0x1010), M(0x2018), M(0x3020)));

	/* The L2 table's address faults at stage 2: S1PTW, stage 2's fault and level. */
	p.fail_at = M(0x2018) + IPA_OFF;
	p.calls = 0;
	fmem_reset_reads(m);
	s1_walk(&regs, VA4K, S1_ACCESS_READ, false, &mem, &r);
	assert_int_equal(r.fault, S1_FAULT_PERMISSION);
	assert_int_equal(r.level, 2);
	assert_true(r.s2_ptw);
	assert_int_equal(r.ptw_addr, M(0x2018) + IPA_OFF);
	assert_int_equal(p.calls, 3);
	assert_int_equal(m->nreads, 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fmem_setup, fmem_teardown)
	const struct CMUnitTest tests[] = {
		T(test_4k_ttbr0_page),
		T(test_4k_blocks),
		T(test_4k_invalid_each_level),
		T(test_4k_ttbr1),
		T(test_16k),
		T(test_64k),
		T(test_txsz_and_root),
		T(test_epd),
		T(test_address_size),
		T(test_access_flag),
		T(test_permissions),
		T(test_table_controls),
		T(test_el2_regime),
		T(test_el20_regime),
		T(test_tbi),
		T(test_mmu_off),
		T(test_external_abort),
		T(test_malicious_tables),
		T(test_ptw_callback),
	};
#undef T

	return cmocka_run_group_tests_name("s1_walk", tests, NULL, NULL);
}
