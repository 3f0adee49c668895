/*
 * Host tests of AT emulation at virtual EL2 (src/cpu/vel2_at.c). L1's
 * memory is the fake memory of fake_mem.h (L1 IPAs [M(0), M(FMEM_SIZE))),
 * holding L2's stage-1 tables, L1's stage-2 tables and L1's own EL2
 * tables, all written by hand; every expected PAR_EL1 and ESR_EL2 is a
 * constant worked out from the Arm ARM's PAR_EL1 and ISS layouts.
 *
 * L1's stage 2 (VTCR_EL2: 4 KiB, 39-bit IPA, start level 1; root at
 * M(0x100000)):
 *   L2 IPA [0x40000000, 0x80000000) -> the same L1 IPA, a 1 GiB block
 *     (Normal WB, RW, Inner Shareable): L2's tables live there;
 *   L2 IPA 0x80000000 + n * 2 MiB, a level 2 table at M(0x101000):
 *     n 0: -> 0xc0000000, Normal WB, RW, Inner Shareable
 *     n 1: -> 0xc0200000, read-only
 *     n 2: -> 0xc0400000, Device-nGnRE
 *     n 3: invalid
 *     n 4: without AF
 *     n 5: -> 0xc0a00000, Normal WT, Non-shareable
 *     n 6: a level 3 table at M(0x102000): page 0 -> 0xc0c00000, Normal NC
 *     n 7: -> 0xc0e00000, no access (S2AP 0b00)
 *   L2 IPA [0xc0000000, 0x100000000): a level 2 table at 0x70000000,
 *     outside L1's memory.
 *
 * L2's stage 1 (TCR_EL1: 4 KiB, 39-bit VA; TTBR0_EL1 = L2 IPA
 * M(0x10000)): VA(n) = 0x40000000 + n * 4 KiB + 0xabc goes through L1[1]
 * at M(0x10008), L2[0] at M(0x11000) to L3[n] at M(0x12000 + 8n).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/vel2_at.h>
#include "fake_mem.h"
#include "helpers.h"

/* HCR_EL2 */
#define H_VM BIT(0)
#define H_PTW BIT(2)
#define H_DC BIT(12)
#define H_TGE BIT(27)
#define H_CD BIT(32)
#define H_E2H BIT(34)

/* TCR_EL1 format; TCR_EL2 with E2H = 0 */
#define T0SZ(n) ((u64)(n))
#define EPD0 BIT(7)
#define T1SZ(n) ((u64)(n) << 16)
#define TG1_4K (UINT64_C(2) << 30)
#define IPS(n) ((u64)(n) << 32)
#define TCR2_RES1 (BIT(31) | BIT(23))
#define PS2(n) ((u64)(n) << 16)

#define SC_M BIT(0)

/* VTCR_EL2: T0SZ 25, SL0 1 (level 1), TG0 4 KiB, PS 48 bits, RES1 bit 31. */
#define VTCR (BIT(31) | UINT64_C(5) << 16 | UINT64_C(1) << 6 | 25)
#define S2_ROOT M(0x100000)

/* Descriptors, both stages */
#define TBL UINT64_C(3)
#define PAGE UINT64_C(3)
#define BLOCK UINT64_C(1)
#define AF BIT(10)
#define SH(x) ((u64)(x) << 8)
#define ATTR(i) ((u64)(i) << 2)    /* stage 1 AttrIndx */
#define AP(x) ((u64)(x) << 6)      /* stage 1 AP[2:1] */
#define MEMATTR(x) ((u64)(x) << 2) /* stage 2 MemAttr */
#define S2AP(x) ((u64)(x) << 6)

/* Attr0 Normal WB, Attr1 Normal NC, Attr2 Device-nGnRE, Attr3 Normal WT. */
#define MAIR_EL1 UINT64_C(0xbb0444ff)
#define MAIR_EL2 UINT64_C(0xee00)

#define VA(n) (UINT64_C(0x40000000) + (u64)(n) * 0x1000 + 0xabc)

/* PAR_EL1 pieces, for the expected values' comments only. */
#define PAR_FAULT(fst) (UINT64_C(0x801) | (u64)(fst) << 1)

/* ESR_EL2 of the Data Abort: EC 0x25, IL, CM (bit 8), WnR (bit 6). */
#define ESR_AT_ABORT(dfsc) (UINT64_C(0x96000140) | (dfsc))
#define ESR_S1PTW BIT(7)

static void s2_tables(struct fmem *m)
{
	u64 rw = AF | S2AP(3) | MEMATTR(0xf) | SH(3);

	fmem_put(m, S2_ROOT + 0x08, UINT64_C(0x40000000) | BLOCK | rw);
	fmem_put(m, S2_ROOT + 0x10, M(0x101000) | TBL);
	fmem_put(m, S2_ROOT + 0x18, UINT64_C(0x70000000) | TBL);
	fmem_put(m, M(0x101000), UINT64_C(0xc0000000) | BLOCK | rw);
	fmem_put(m, M(0x101008), UINT64_C(0xc0200000) | BLOCK | AF | S2AP(1) |
				 MEMATTR(0xf) | SH(3));
	fmem_put(m, M(0x101010), UINT64_C(0xc0400000) | BLOCK | AF | S2AP(3) |
				 MEMATTR(0x1));
	fmem_put(m, M(0x101020), UINT64_C(0xc0800000) | BLOCK | S2AP(3) | MEMATTR(0xf));
	fmem_put(m, M(0x101028), UINT64_C(0xc0a00000) | BLOCK | AF | S2AP(3) |
				 MEMATTR(0xa));
	fmem_put(m, M(0x101030), M(0x102000) | TBL);
	fmem_put(m, M(0x102000), UINT64_C(0xc0c00000) | PAGE | AF | S2AP(3) |
				 MEMATTR(0x5) | SH(3));
	fmem_put(m, M(0x101038), UINT64_C(0xc0e00000) | BLOCK | AF | MEMATTR(0xf));
}

/* L3[n] of L2's stage 1. */
static void s1_page(struct fmem *m, unsigned n, u64 desc)
{
	fmem_put(m, M(0x12000) + 8 * (u64)n, desc);
}

static void s1_tables(struct fmem *m)
{
	u64 a = PAGE | AF | SH(3);

	fmem_put(m, M(0x10008), M(0x11000) | TBL);
	fmem_put(m, M(0x11000), M(0x12000) | TBL);
	s1_page(m, 5, UINT64_C(0x80000000) | a | ATTR(0));
	s1_page(m, 6, UINT64_C(0x80200000) | a);
	s1_page(m, 7, UINT64_C(0x80400000) | a);
	s1_page(m, 8, UINT64_C(0x80600000) | a);
	s1_page(m, 9, UINT64_C(0x80800000) | a);
	s1_page(m, 10, UINT64_C(0x80a00000) | a);
	s1_page(m, 11, UINT64_C(0x80c00000) | a);
	s1_page(m, 12, UINT64_C(0x80000000) | a | ATTR(1));
	s1_page(m, 13, UINT64_C(0x80000000) | a | ATTR(2));
	s1_page(m, 14, UINT64_C(0x80000000) | a | AP(2));
	s1_page(m, 15, UINT64_C(0x80000000) | a | AP(1));
	s1_page(m, 16, UINT64_C(0x80000000) | PAGE | SH(3));
	s1_page(m, 17, UINT64_C(0x80000000) | a | ATTR(3));
	s1_page(m, 18, UINT64_C(0x8000000000) | a);
	s1_page(m, 19, UINT64_C(0x80e00000) | a);
	s1_page(m, 20, UINT64_C(0xc0000000) | a);
}

/*
 * L1's own EL2 tables (TCR_EL2 E2H = 0: T0SZ 25, 4 KiB, PS 48 bits;
 * TTBR0_EL2 M(0x20000)): VA(5) -> 0x12345000, Attr1, Outer Shareable,
 * read-only.
 */
static void el2_tables(struct fmem *m)
{
	fmem_put(m, M(0x20008), M(0x21000) | TBL);
	fmem_put(m, M(0x21000), M(0x22000) | TBL);
	fmem_put(m, M(0x22028), UINT64_C(0x12345000) | PAGE | AF | ATTR(1) |
				SH(2) | AP(2));
}

static struct vel2_at_regs regs_of(u64 hcr)
{
	struct vel2_at_regs r;

	memset(&r, 0, sizeof(r));
	r.el1.sctlr = SC_M;
	r.el1.tcr = T0SZ(25) | IPS(5);
	r.el1.ttbr0 = M(0x10000);
	r.el1.mair = MAIR_EL1;
	r.el2.sctlr = SC_M;
	r.el2.tcr = TCR2_RES1 | T0SZ(25) | PS2(5);
	r.el2.ttbr0 = M(0x20000);
	r.el2.mair = MAIR_EL2;
	r.hcr = hcr;
	r.vtcr = VTCR;
	r.vttbr = S2_ROOT | UINT64_C(7) << 48; /* VMID 7 */
	r.pa_bits = 48;
	return r;
}

static int setup(void **state)
{
	struct fmem *m;

	if (fmem_setup(state))
		return -1;
	m = *state;
	s2_tables(m);
	s1_tables(m);
	el2_tables(m);
	return 0;
}

/* One AT; no abort expected. */
static u64 at(struct fmem *m, enum vel2_at_op op, u64 va,
	      const struct vel2_at_regs *regs)
{
	struct vel2_at_abort ab;
	u64 par;

	memset(&ab, 0xa5, sizeof(ab));
	fmem_reset_reads(m);
	par = vel2_at(op, va, regs, fmem_read, m, &ab);
	assert_false(ab.taken);
	assert_int_equal(m->misaligned, 0);
	return par;
}

/* One AT that takes a Data Abort instead; its PAR_EL1 value is returned. */
static u64 at_abort(struct fmem *m, enum vel2_at_op op, u64 va,
		    const struct vel2_at_regs *regs, u64 esr)
{
	struct vel2_at_abort ab;
	u64 par;

	fmem_reset_reads(m);
	par = vel2_at(op, va, regs, fmem_read, m, &ab);
	assert_true(ab.taken);
	assert_int_equal(ab.esr, esr);
	assert_int_equal(ab.far, va);
	return par;
}

static void test_decode(void **state)
{
	/* SYSREG_ENC: op0 [15:14], op1 [13:11], CRn [10:7], CRm [6:3], op2 [2:0]. */
	static const struct {
		u32 enc;
		enum vel2_at_op op;
	} ok[] = {
		{ 0x43c0, VEL2_AT_S1E1R },  { 0x43c1, VEL2_AT_S1E1W },
		{ 0x43c2, VEL2_AT_S1E0R },  { 0x43c3, VEL2_AT_S1E0W },
		{ 0x63c0, VEL2_AT_S1E2R },  { 0x63c1, VEL2_AT_S1E2W },
		{ 0x63c4, VEL2_AT_S12E1R }, { 0x63c5, VEL2_AT_S12E1W },
		{ 0x63c6, VEL2_AT_S12E0R }, { 0x63c7, VEL2_AT_S12E0W },
	};
	/* S1E1RP (CRm 9), S1E3R (op1 6), op2 4 with op1 0, an MSR to CRn 7. */
	static const u32 bad[] = { 0x43c8, 0x43c9, 0x73c0, 0x43c4, 0xc3c0, 0x63c2 };
	enum vel2_at_op op;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ok); i++) {
		op = (enum vel2_at_op)-1;
		assert_true(vel2_at_decode(ok[i].enc, &op));
		assert_int_equal(op, ok[i].op);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		assert_false(vel2_at_decode(bad[i], &op));
}

static void test_s1e2(void **state)
{
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_VM);

	/* ATTR 0xee, PA 0x12345000, RES1, NS, SH 0b10. */
	assert_int_equal(at(m, VEL2_AT_S1E2R, VA(5), &regs), UINT64_C(0xee00000012345b00));
	assert_int_equal(m->nreads, 3);
	/* Read-only: a level 3 Permission fault (FST 0b001111). */
	assert_int_equal(at(m, VEL2_AT_S1E2W, VA(5), &regs), UINT64_C(0x81f));
	/* Not L2's regime, not through stage 2: L2's registers do not matter. */
	regs.el1.ttbr0 = 0;
	regs.el1.sctlr = 0;
	assert_int_equal(at(m, VEL2_AT_S1E2R, VA(5), &regs), UINT64_C(0xee00000012345b00));
	/* No TTBR1 with E2H = 0: a level 0 Translation fault (FST 0b000100). */
	regs.el2.ttbr1 = M(0x20000);
	assert_int_equal(at(m, VEL2_AT_S1E2R, UINT64_C(0xffffff8040005abc), &regs),
			 PAR_FAULT(0x04));
	assert_int_equal(PAR_FAULT(0x04), UINT64_C(0x809));
}

static void test_s1e2_vhe(void **state)
{
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_E2H | H_VM);

	/* E2H = 1: TCR_EL2 in TCR_EL1's format, TTBR1_EL2 for the upper range. */
	regs.el2.tcr = T0SZ(25) | EPD0 | T1SZ(25) | TG1_4K | IPS(5);
	regs.el2.ttbr0 = 0;
	regs.el2.ttbr1 = M(0x20000);
	assert_int_equal(at(m, VEL2_AT_S1E2R, UINT64_C(0xffffff8040005abc), &regs),
			 UINT64_C(0xee00000012345b00));
	assert_int_equal(at(m, VEL2_AT_S1E2R, VA(5), &regs), UINT64_C(0x809));
	/* {E2H,TGE} = {1,1}: the EL1 forms act on the EL2&0 regime too. */
	regs.hcr |= H_TGE;
	assert_int_equal(at(m, VEL2_AT_S1E1R, UINT64_C(0xffffff8040005abc), &regs),
			 UINT64_C(0xee00000012345b00));
	assert_int_equal(at(m, VEL2_AT_S12E1R, UINT64_C(0xffffff8040005abc), &regs),
			 UINT64_C(0xee00000012345b00));
	/* AP 0b10 gives EL0 nothing. */
	assert_int_equal(at(m, VEL2_AT_S1E0R, UINT64_C(0xffffff8040005abc), &regs),
			 UINT64_C(0x81f));
}

/* One AT instruction and the PAR_EL1 it gives. */
struct at_case {
	enum vel2_at_op op;
	u64 va, par;
};

static void check_cases(struct fmem *m, const struct vel2_at_regs *regs,
			const struct at_case *cs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		u64 par = at(m, cs[i].op, cs[i].va, regs);

		if (par != cs[i].par)
			fail_msg("case %zu (op %d, VA %#llx): PAR %#llx, not %#llx", i,
				 cs[i].op, (unsigned long long)cs[i].va,
				 (unsigned long long)par, (unsigned long long)cs[i].par);
	}
}

static void test_s1e1_stage1_only(void **state)
{
	/*
	 * An L2 IPA with stage 1's attributes (RES1, NS = 0xa00): the
	 * output is not translated by stage 2, so its read-only (VA(6)) or
	 * invalid (VA(8)) stage 2 is not seen.
	 */
	static const struct at_case cs[] = {
		/* ATTR 0xff, PA 0x80000000, SH 0b11. */
		{ VEL2_AT_S1E1R, VA(5), UINT64_C(0xff00000080000b80) },
		{ VEL2_AT_S1E1W, VA(6), UINT64_C(0xff00000080200b80) },
		{ VEL2_AT_S1E1R, VA(8), UINT64_C(0xff00000080600b80) },
		/* AP 0b00 is EL1 only: a level 3 Permission fault (FST 0b001111). */
		{ VEL2_AT_S1E0R, VA(5), UINT64_C(0x81f) },
		/* AP 0b01: EL0 RW. AP 0b10: read-only. */
		{ VEL2_AT_S1E0W, VA(15), UINT64_C(0xff00000080000b80) },
		{ VEL2_AT_S1E1W, VA(14), UINT64_C(0x81f) },
		{ VEL2_AT_S1E1R, VA(14), UINT64_C(0xff00000080000b80) },
		/* Access flag fault at level 3 (FST 0b001011). */
		{ VEL2_AT_S1E1R, VA(16), UINT64_C(0x817) },
		/* Device (Attr2): SH reads 0b10. */
		{ VEL2_AT_S1E1R, VA(13), UINT64_C(0x0400000080000b00) },
	};
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_VM);

	check_cases(m, &regs, cs, ARRAY_SIZE(cs));
	/* Stage 2 translated the three table addresses (a level 1 block each). */
	at(m, VEL2_AT_S1E1R, VA(5), &regs);
	assert_int_equal(m->nreads, 6);
	/* HCR_EL2.VM = 0: the same, the tables read at their L2 IPAs directly. */
	regs.hcr = 0;
	check_cases(m, &regs, cs, ARRAY_SIZE(cs));
	assert_int_equal(m->nreads, 3);
}

static void test_s12_success(void **state)
{
	static const struct at_case cs[] = {
		/* Normal WB both stages: PA 0xc0000000, ATTR 0xff, SH 0b11. */
		{ VEL2_AT_S12E1R, VA(5), UINT64_C(0xff000000c0000b80) },
		/* Read-only at stage 2 allows a read. */
		{ VEL2_AT_S12E1R, VA(6), UINT64_C(0xff000000c0200b80) },
		/* Stage 2 Device-nGnRE: ATTR 0x04, SH 0b10. */
		{ VEL2_AT_S12E1R, VA(7), UINT64_C(0x04000000c0400b00) },
		/* Stage 2 WT: Write-Through with stage 1's RW allocation, 0xbb. */
		{ VEL2_AT_S12E1R, VA(10), UINT64_C(0xbb000000c0a00b80) },
		/* Stage 2 NC (a level 3 page): 0x44, SH 0b10. */
		{ VEL2_AT_S12E1R, VA(11), UINT64_C(0x44000000c0c00b00) },
		/* Stage 1 NC over stage 2 WB: 0x44; stage 1 Device: 0x04. */
		{ VEL2_AT_S12E1R, VA(12), UINT64_C(0x44000000c0000b00) },
		{ VEL2_AT_S12E1R, VA(13), UINT64_C(0x04000000c0000b00) },
		/* Stage 1 WT over stage 2 WB stays 0xbb. */
		{ VEL2_AT_S12E1R, VA(17), UINT64_C(0xbb000000c0000b80) },
		/* EL0: AP 0b01 reads and writes. */
		{ VEL2_AT_S12E0W, VA(15), UINT64_C(0xff000000c0000b80) },
	};
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_VM);

	check_cases(m, &regs, cs, ARRAY_SIZE(cs));
	/* Six reads for stage 1 and its walk, two for the final address's stage 2. */
	at(m, VEL2_AT_S12E1R, VA(5), &regs);
	assert_int_equal(m->nreads, 8);
	/* HCR_EL2.CD: stage 2 Normal taken as Non-cacheable. */
	regs.hcr |= H_CD;
	assert_int_equal(at(m, VEL2_AT_S12E1R, VA(5), &regs), UINT64_C(0x44000000c0000b00));
	/* HCR_EL2.VM = 0: stage 1 alone, its L2 IPA and attributes. */
	regs.hcr = 0;
	assert_int_equal(at(m, VEL2_AT_S12E1R, VA(5), &regs), UINT64_C(0xff00000080000b80));
	assert_int_equal(m->nreads, 3);
}

static void test_s12_faults(void **state)
{
	static const struct at_case cs[] = {
		/* Stage 1 faults, S clear: Permission and Access flag at level 3. */
		{ VEL2_AT_S12E1W, VA(14), UINT64_C(0x81f) },
		{ VEL2_AT_S12E0R, VA(14), UINT64_C(0x81f) },
		{ VEL2_AT_S12E0R, VA(5), UINT64_C(0x81f) },
		{ VEL2_AT_S12E1R, VA(16), UINT64_C(0x817) },
		/*
		 * Stage 2 faults on the final address: S (bit 9), PTW clear.
		 * Permission level 2 (FST 0b001110): a write to read-only, a
		 * read of no access.
		 */
		{ VEL2_AT_S12E1W, VA(6), UINT64_C(0xa1d) },
		{ VEL2_AT_S12E1R, VA(19), UINT64_C(0xa1d) },
		/* Translation level 2 (0b000110), Access flag level 2 (0b001010). */
		{ VEL2_AT_S12E1R, VA(8), UINT64_C(0xa0d) },
		{ VEL2_AT_S12E1R, VA(9), UINT64_C(0xa15) },
		/* An L2 IPA beyond L1's 39-bit IPA size: Translation level 0. */
		{ VEL2_AT_S12E1R, VA(18), UINT64_C(0xa09) },
	};
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_VM);

	check_cases(m, &regs, cs, ARRAY_SIZE(cs));
	/* A VTCR_EL2 the walk refuses (TG0 0b11): level 0 on the first table, PTW. */
	regs.vtcr = VTCR | UINT64_C(3) << 14;
	assert_int_equal(at(m, VEL2_AT_S12E1R, VA(5), &regs), UINT64_C(0xb09));
}

static void test_ptw_faults(void **state)
{
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_VM);

	/*
	 * L2's root at an L2 IPA stage 2 does not map: a stage-2 level 2
	 * Translation fault on the walk, S and PTW (bits 9 and 8).
	 */
	regs.el1.ttbr0 = UINT64_C(0x80600000);
	assert_int_equal(at(m, VEL2_AT_S12E1R, VA(5), &regs), UINT64_C(0xb0d));
	assert_int_equal(at(m, VEL2_AT_S1E1R, VA(5), &regs), UINT64_C(0xb0d));
	/* Without AF at stage 2: Access flag level 2. */
	regs.el1.ttbr0 = UINT64_C(0x80800000);
	assert_int_equal(at(m, VEL2_AT_S1E1W, VA(5), &regs), UINT64_C(0xb15));
	/* Not readable at stage 2: Permission level 2, even for a write AT. */
	regs.el1.ttbr0 = UINT64_C(0x80e00000);
	assert_int_equal(at(m, VEL2_AT_S12E1W, VA(5), &regs), UINT64_C(0xb1d));
	/* A later table: the level 2 table descriptor points where stage 2 faults. */
	regs.el1.ttbr0 = M(0x10000);
	fmem_put(m, M(0x10010), UINT64_C(0x80600000) | TBL);
	assert_int_equal(at(m, VEL2_AT_S12E1R, VA(5) + SZ_1G, &regs), UINT64_C(0xb0d));
	/* HCR_EL2.PTW: a walk into stage-2 Device memory is a Permission fault. */
	regs.hcr |= H_PTW;
	regs.el1.ttbr0 = UINT64_C(0x80400000);
	assert_int_equal(at(m, VEL2_AT_S12E1R, VA(5), &regs), UINT64_C(0xb1d));
}

static void test_external_aborts(void **state)
{
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_VM);
	u64 par;

	/*
	 * Stage 1's root read where L1 has no memory (its Device region,
	 * L1 IPA 0xc0400000): a Data Abort to vEL2, DFSC 0b010101 (external
	 * abort on the walk, level 1), S1PTW clear; PAR_EL1 would say F, FST.
	 */
	regs.el1.ttbr0 = UINT64_C(0x80400000);
	par = at_abort(m, VEL2_AT_S12E1R, VA(5), &regs, ESR_AT_ABORT(0x15));
	assert_int_equal(par, UINT64_C(0x82b));
	par = at_abort(m, VEL2_AT_S1E1R, VA(5), &regs, ESR_AT_ABORT(0x15));
	assert_int_equal(par, UINT64_C(0x82b));
	/* VM = 0: an L2 root outside L1's memory, the same abort. */
	regs.hcr = 0;
	regs.el1.ttbr0 = UINT64_C(0x10000);
	par = at_abort(m, VEL2_AT_S1E0R, VA(5), &regs, ESR_AT_ABORT(0x15));
	assert_int_equal(par, UINT64_C(0x82b));
	/* S1E2: L1's own tables outside its memory. */
	regs.el2.ttbr0 = UINT64_C(0x7000);
	par = at_abort(m, VEL2_AT_S1E2W, VA(5), &regs, ESR_AT_ABORT(0x15));
	assert_int_equal(par, UINT64_C(0x82b));

	/*
	 * L1's stage-2 level 2 table outside its memory, met translating
	 * L2's root: level 2, S1PTW, S and PTW.
	 */
	regs = regs_of(H_VM);
	regs.el1.ttbr0 = UINT64_C(0xc0000000);
	par = at_abort(m, VEL2_AT_S12E1R, VA(5), &regs, ESR_AT_ABORT(0x16) | ESR_S1PTW);
	assert_int_equal(par, UINT64_C(0xb2d));
	/* Met translating the final address: S1PTW clear, S. */
	regs = regs_of(H_VM);
	par = at_abort(m, VEL2_AT_S12E1R, VA(20), &regs, ESR_AT_ABORT(0x16));
	assert_int_equal(par, UINT64_C(0xa2d));
	/* S1E1 does not translate the final address: no abort. */
	assert_int_equal(at(m, VEL2_AT_S1E1R, VA(20), &regs), UINT64_C(0xff000000c0000b80));
	/* Without an abort to fill, the PAR_EL1 value only. */
	fmem_reset_reads(m);
	assert_int_equal(vel2_at(VEL2_AT_S12E1R, VA(20), &regs, fmem_read, m, NULL),
			 UINT64_C(0xa2d));
}

static void test_malicious_tables(void **state)
{
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(H_VM);

	/*
	 * L2's level 1 entry points at its own table, whose entry 1 then
	 * serves as the level 2 and level 3 descriptor: a page at the
	 * table's own address, without AF (table descriptors do not need
	 * it): an Access flag fault at level 3 after three reads, each
	 * with its stage-2 read.
	 */
	fmem_put(m, M(0x10008), M(0x10000) | TBL);
	assert_int_equal(at(m, VEL2_AT_S12E1R, UINT64_C(0x40201abc), &regs),
			 UINT64_C(0x817));
	assert_int_equal(m->nreads, 6);
	/* With AF it maps its own table: L1 IPA M(0x10000) through stage 2. */
	fmem_put(m, M(0x10008), M(0x10000) | TBL | AF);
	assert_int_equal(at(m, VEL2_AT_S12E1R, UINT64_C(0x40201abc), &regs),
			 UINT64_C(0xff00000040010b80));
	/* L1's stage-2 root entry pointing at the root itself: a level 3 leaf at most. */
	fmem_put(m, S2_ROOT + 0x08, S2_ROOT | TBL);
	assert_int_not_equal(at(m, VEL2_AT_S12E1R, VA(5), &regs) & 1, 0);
	assert_true(m->nreads <= 3);
}

static void test_mmu_off_and_dc(void **state)
{
	struct fmem *m = *state;
	struct vel2_at_regs regs = regs_of(0);

	/* SCTLR_EL1.M = 0: flat, Device-nGnRnE (ATTR 0), SH reported 0b10. */
	regs.el1.sctlr = 0;
	assert_int_equal(at(m, VEL2_AT_S1E1W, UINT64_C(0x12345678), &regs),
			 UINT64_C(0x12345b00));
	assert_int_equal(m->nreads, 0);
	/* Beyond L1's PARange (40 bits): a level 0 Address size fault. */
	regs.pa_bits = 40;
	assert_int_equal(at(m, VEL2_AT_S1E1R, UINT64_C(1) << 40, &regs), UINT64_C(0x801));
	regs.pa_bits = 48;
	/* With stage 2: the VA is the L2 IPA; Device over WB stays Device. */
	regs.hcr = H_VM;
	assert_int_equal(at(m, VEL2_AT_S12E1R, UINT64_C(0x80000abc), &regs),
			 UINT64_C(0xc0000b00));
	assert_int_equal(m->nreads, 2);

	/*
	 * HCR_EL2.DC, VM clear: stage 1 off even with SCTLR_EL1.M set,
	 * Normal WB Non-shareable; stage 2 on.
	 */
	regs = regs_of(H_DC);
	assert_int_equal(at(m, VEL2_AT_S1E1R, UINT64_C(0x80000abc), &regs),
			 UINT64_C(0xff00000080000a00));
	assert_int_equal(at(m, VEL2_AT_S12E1R, UINT64_C(0x80000abc), &regs),
			 UINT64_C(0xff000000c0000b80));
	/* TGE without E2H: stage 1 off for the S12 forms only. */
	regs = regs_of(H_VM | H_TGE);
	assert_int_equal(at(m, VEL2_AT_S12E1R, UINT64_C(0x80000abc), &regs),
			 UINT64_C(0xc0000b00));
	assert_int_equal(at(m, VEL2_AT_S1E1R, VA(5), &regs), UINT64_C(0xff00000080000b80));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, fmem_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		T(test_s1e2),
		T(test_s1e2_vhe),
		T(test_s1e1_stage1_only),
		T(test_s12_success),
		T(test_s12_faults),
		T(test_ptw_faults),
		T(test_external_aborts),
		T(test_malicious_tables),
		T(test_mmu_off_and_dc),
	};
#undef T

	return cmocka_run_group_tests_name("vel2_at", tests, NULL, NULL);
}
