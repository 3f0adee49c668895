/*
 * Host tests of L1's trapped system register accesses and system
 * instructions at vEL2 (src/cpu/vel2_sysreg.c, vel2_sysreg()): EL2
 * registers kept with their RES0/RES1 bits (the register table), the
 * read-only ones and those of features L1 is not offered UNDEFINED, the
 * ones whose value lives in the hardware's EL1 registers while L1 runs,
 * TCR_EL2 and CPTR_EL2 converted into the hardware's TCR_EL1/CPACR_EL1,
 * L2's EL1 registers reached through traps, ICC_SRE_EL2, AT, and
 * the TLBIs: decoded by their encodings (Arm ARM C5.5, the TLBI
 * instruction encodings; op0 1, CRn 8), the stage-2 ones reaching the
 * shadow stage 2s of L1's VMID. Register layouts and masks are written
 * out from the Arm ARM (D19.2), not taken from the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/el2_ctl.h>
#include <nv/fake_arch.h>
#include <nv/percpu.h>
#include <nv/pgtable.h>
#include <nv/shadow_s2.h>
#include <nv/stage2.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vel2.h>
#include <nv/vm.h>
#include "helpers.h"
#include "vel2_fixture.h"

#define B(n) (UINT64_C(1) << (n))
#define ENC(op0, op1, crn, crm, op2) \
	((u32)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

/* EL2 registers (op0 3, op1 4) */
#define E_VMPIDR ENC(3, 4, 0, 0, 5)
#define E_SCTLR ENC(3, 4, 1, 0, 0)
#define E_HCR ENC(3, 4, 1, 1, 0)
#define E_CPTR ENC(3, 4, 1, 1, 2)
#define E_HFGRTR ENC(3, 4, 1, 1, 4)
#define E_HFGWTR ENC(3, 4, 1, 1, 5)
#define E_HFGITR ENC(3, 4, 1, 1, 6)
#define E_HCRX ENC(3, 4, 1, 2, 2)
#define E_HDFGRTR ENC(3, 4, 3, 1, 4)
#define E_TTBR0 ENC(3, 4, 2, 0, 0)
#define E_TTBR1 ENC(3, 4, 2, 0, 1)
#define E_TCR ENC(3, 4, 2, 0, 2)
#define E_VTTBR ENC(3, 4, 2, 1, 0)
#define E_VTCR ENC(3, 4, 2, 1, 2)
#define E_VNCR ENC(3, 4, 2, 2, 0)
#define E_SPSR ENC(3, 4, 4, 0, 0)
#define E_ELR ENC(3, 4, 4, 0, 1)
#define E_SP_EL1 ENC(3, 4, 4, 1, 0)
#define E_AFSR0 ENC(3, 4, 5, 1, 0)
#define E_AFSR1 ENC(3, 4, 5, 1, 1)
#define E_ESR ENC(3, 4, 5, 2, 0)
#define E_FAR ENC(3, 4, 6, 0, 0)
#define E_HPFAR ENC(3, 4, 6, 0, 4)
#define E_MAIR ENC(3, 4, 10, 2, 0)
#define E_AMAIR ENC(3, 4, 10, 3, 0)
#define E_VBAR ENC(3, 4, 12, 0, 0)
#define E_ICC_SRE ENC(3, 4, 12, 9, 5)
#define E_ICH_VTR ENC(3, 4, 12, 11, 1)
#define E_ICH_MISR ENC(3, 4, 12, 11, 2)
#define E_ICH_EISR ENC(3, 4, 12, 11, 3)
#define E_ICH_ELRSR ENC(3, 4, 12, 11, 5)
#define E_CONTEXTIDR ENC(3, 4, 13, 0, 1)
#define E_TPIDR ENC(3, 4, 13, 0, 2)
#define E_CNTHV_CTL ENC(3, 4, 14, 3, 1)
#define E_CNTHV_CVAL ENC(3, 4, 14, 3, 2)

/* TLBI (op0 1, CRn 8) and AT (op0 1, CRn 7, CRm 8) */
#define TLBI(op1, crm, op2) ENC(1, op1, 8, crm, op2)
#define AT(op1, op2) ENC(1, op1, 7, 8, op2)

#define VM_VTTBR UT_VEL2_VTTBR
#define VM_VTCR UT_VEL2_VTCR
/* L1's VTCR_EL2: 4 KiB, 32-bit L2 IPA, start level 1, PS 40 bits. */
#define L1_VTCR (B(31) | (UINT64_C(2) << 16) | (UINT64_C(1) << 6) | 32)
#define VS B(19)
#define L1_VTTBR(vmid, base) ((u64)(vmid) << 48 | (base))

/* nestvisor's policy for guests, as arch_el2_policy() gives it. */
static struct ut_vel2 fx = { .policy = {
	.hcr = B(0) | B(3) | B(4) | B(5) | B(19) | B(31),
	.cptr = UINT64_C(0x22ff),
	.mdcr = 0,
} };
static struct vm *const vm = &fx.vm;
static struct vcpu *const v = &fx.vcpu[0];
static struct vcpu_nested *const n = &fx.nested[0];

static u64 rd(u32 enc)
{
	u64 val = UINT64_C(0xbadbadbad);

	assert_int_equal(vel2_sysreg(v, enc, true, &val), VEL2_DONE);
	return val;
}

static void wr(u32 enc, u64 val)
{
	assert_int_equal(vel2_sysreg(v, enc, false, &val), VEL2_DONE);
}

static enum vel2_access rd_r(u32 enc)
{
	u64 val = 0;

	return vel2_sysreg(v, enc, true, &val);
}

static enum vel2_access wr_r(u32 enc, u64 val)
{
	return vel2_sysreg(v, enc, false, &val);
}

/* --- EL2 registers through the table --- */

/* RES0 bits read 0 and RES1 bits 1 whatever L1 writes (E2H = 0 layouts). */
static void test_res_bits(void **state)
{
	(void)state;
	/* SCTLR_EL2 RES1: bits 4, 5, 11, 16, 18, 22, 23, 28, 29. */
	wr(E_SCTLR, 0);
	assert_int_equal(rd(E_SCTLR), UINT64_C(0x30c50830));
	/* HCR_EL2: RW (31) RAO (EL1 AArch64 only), E2H (34) 0 without FEAT_VHE. */
	wr(E_HCR, 0);
	assert_int_equal(rd(E_HCR), B(31));
	wr(E_HCR, B(34) | B(0));
	assert_int_equal(rd(E_HCR), B(31) | B(0));
	/* CPTR_EL2: RES1 13, 9, 7:0; RES0 63:32, 29:21, 19:14, 11. */
	wr(E_CPTR, 0);
	assert_int_equal(rd(E_CPTR), UINT64_C(0x22ff));
	wr(E_CPTR, ~(u64)0);
	assert_int_equal(rd(E_CPTR), UINT64_C(0xc01037ff));
	/* TCR_EL2: RES1 31 and 23, RES0 19 and 7:6. */
	wr(E_TCR, B(19) | B(7) | B(6) | 16);
	assert_int_equal(rd(E_TCR), B(31) | B(23) | 16);
	/* VTCR_EL2: RES1 31. */
	wr(E_VTCR, 0);
	assert_int_equal(rd(E_VTCR), B(31));
	/* VMPIDR_EL2: RES1 31, RES0 63:40 and 29:25. */
	wr(E_VMPIDR, 0);
	assert_int_equal(rd(E_VMPIDR), B(31));
	wr(E_VMPIDR, ~(u64)0);
	assert_int_equal(rd(E_VMPIDR), UINT64_C(0xffc1ffffff));
	/* VBAR_EL2 [10:0], ESR_EL2 [63:56], HPFAR_EL2 [62:48] and [3:0]. */
	wr(E_VBAR, UINT64_C(0x40200fff));
	assert_int_equal(rd(E_VBAR), UINT64_C(0x40200800));
	wr(E_ESR, ~(u64)0);
	assert_int_equal(rd(E_ESR), UINT64_C(0x00ffffffffffffff));
	wr(E_HPFAR, ~(u64)0);
	assert_int_equal(rd(E_HPFAR), UINT64_C(0x8000fffffffffff0));
	/* Registers without reserved bits keep everything. */
	wr(E_TPIDR, ~(u64)0);
	assert_int_equal(rd(E_TPIDR), ~(u64)0);
	wr(E_VTTBR, L1_VTTBR(0xabcd, 0x40400001));
	assert_int_equal(rd(E_VTTBR), L1_VTTBR(0xabcd, 0x40400001));
}

/* With FEAT_VHE offered, HCR_EL2.E2H can be set. */
static void test_res_bits_vhe(void **state)
{
	(void)state;
	n->feat.vhe = true;
	wr(E_HCR, B(34));
	assert_int_equal(rd(E_HCR), B(34) | B(31));
}

/*
 * Read-only registers (ICH_VTR/MISR/EISR/ELRSR_EL2): an MSR is
 * UNDEFINED, the MRS gives the emulated value (VTR: ListRegs 3 for the
 * 4 LRs, nV4 [20] set; ELRSR: every one of the 4 LRs empty).
 */
static void test_read_only_undef(void **state)
{
	static const u32 ro[] = { E_ICH_VTR, E_ICH_MISR, E_ICH_EISR, E_ICH_ELRSR };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ro); i++)
		assert_int_equal(wr_r(ro[i], 0), VEL2_UNDEF);
	assert_int_equal(rd(E_ICH_VTR) & 0x1f, 3);
	assert_int_equal(rd(E_ICH_VTR) & B(20), B(20));
	assert_int_equal(rd(E_ICH_ELRSR), 0xf);
	assert_int_equal(rd(E_ICH_EISR), 0);
	assert_int_equal(rd(E_ICH_MISR), 0);
}

/*
 * Registers of features L1 is not offered are UNDEFINED both ways:
 * TTBR1_EL2, CONTEXTIDR_EL2, CNTHV_*_EL2 (FEAT_VHE), VNCR_EL2 (FEAT_NV2),
 * HFG*TR_EL2, HDFGRTR_EL2 (FEAT_FGT), HCRX_EL2 (FEAT_HCX).
 */
static void test_absent_without_feature(void **state)
{
	static const u32 absent[] = {
		E_TTBR1, E_CONTEXTIDR, E_CNTHV_CTL, E_CNTHV_CVAL, E_VNCR,
		E_HFGRTR, E_HFGWTR, E_HFGITR, E_HDFGRTR, E_HCRX,
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(absent); i++) {
		assert_int_equal(rd_r(absent[i]), VEL2_UNDEF);
		assert_int_equal(wr_r(absent[i], 1), VEL2_UNDEF);
	}
	/* Offered, they are registers. */
	n->feat.fgt = true;
	wr(E_HFGRTR, UINT64_C(0x123456789));
	assert_int_equal(rd(E_HFGRTR), UINT64_C(0x123456789));
	n->feat.vhe = true;
	wr(E_TTBR1, UINT64_C(0x40500000));
	assert_int_equal(rd(E_TTBR1), UINT64_C(0x40500000));
	n->feat.hcx = true;
	assert_int_equal(rd_r(E_HCRX), VEL2_DONE);
	assert_int_equal(rd_r(E_VNCR), VEL2_UNDEF);
}

/*
 * SCTLR, TTBR0, MAIR, AMAIR, VBAR, ELR, ESR, FAR, AFSR0/1_EL2 live in the
 * hardware EL1 registers while L1 runs: a write lands there, a read
 * sees what the hardware holds (an exception at vEL2 writes ESR, FAR,
 * ELR).
 */
static void test_live_regs(void **state)
{
	static const struct {
		u32 enc;
		size_t off;
		u64 val;
	} live[] = {
		{ E_SCTLR, offsetof(struct el1_ctx, sctlr), UINT64_C(0x30c5183d) },
		{ E_TTBR0, offsetof(struct el1_ctx, ttbr0), UINT64_C(0x40300000) },
		{ E_MAIR, offsetof(struct el1_ctx, mair), UINT64_C(0x44ff04) },
		{ E_AMAIR, offsetof(struct el1_ctx, amair), 0x77 },
		{ E_VBAR, offsetof(struct el1_ctx, vbar), UINT64_C(0x40200800) },
		{ E_ELR, offsetof(struct el1_ctx, elr), UINT64_C(0x80001000) },
		{ E_ESR, offsetof(struct el1_ctx, esr), UINT64_C(0x5a000000) },
		{ E_FAR, offsetof(struct el1_ctx, far), UINT64_C(0xfedc0000) },
		{ E_AFSR0, offsetof(struct el1_ctx, afsr0), 0xa0 },
		{ E_AFSR1, offsetof(struct el1_ctx, afsr1), 0xa1 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(live); i++) {
		u64 *hw = (u64 *)(void *)((char *)&fake_arch.el1 + live[i].off);
		struct el1_ctx before = fake_arch.el1;

		wr(live[i].enc, live[i].val);
		assert_int_equal(*hw, live[i].val);
		/* Nothing else of the hardware's EL1 registers changed. */
		*hw = *(u64 *)(void *)((char *)&before + live[i].off);
		assert_memory_equal(&fake_arch.el1, &before, sizeof(before));
		*hw = live[i].val ^ 0x10;
		assert_int_equal(rd(live[i].enc), live[i].val ^ 0x10);
	}
}

/*
 * SPSR_EL2 reads what nestvisor or L1 last wrote while SPSR_EL1 and
 * ELR_EL1 hold what the write left, EL1h as EL1h; after an exception L1
 * took at vEL2, the hardware's save with M as EL2.
 */
static void test_spsr_el2(void **state)
{
	(void)state;
	wr(E_SPSR, UINT64_C(0x3c5));
	assert_int_equal(fake_arch.el1.spsr, UINT64_C(0x3c5));
	assert_int_equal(rd(E_SPSR), UINT64_C(0x3c5));
	/* ELR_EL2 written after it: SPSR_EL2 is still L1's EL1h. */
	wr(E_ELR, UINT64_C(0x80000000));
	assert_int_equal(rd(E_SPSR), UINT64_C(0x3c5));
	wr(E_ESR, 0);
	assert_int_equal(rd(E_SPSR), UINT64_C(0x3c5));
	wr(E_SPSR, UINT64_C(0x600003c9));
	assert_int_equal(rd(E_SPSR), UINT64_C(0x600003c9));
	/* An exception at vEL2h: the hardware saved EL1h and the return address. */
	fake_arch.el1.spsr = UINT64_C(0x800003c5);
	fake_arch.el1.elr = UINT64_C(0x40201004);
	assert_int_equal(rd(E_SPSR), UINT64_C(0x800003c9));
	assert_int_equal(rd(E_ELR), UINT64_C(0x40201004));
	/* Another at vEL2t. */
	fake_arch.el1.spsr = UINT64_C(0x4);
	fake_arch.el1.elr = UINT64_C(0x40201008);
	assert_int_equal(rd(E_SPSR), UINT64_C(0x8));
}

/*
 * TCR_EL2 and CPTR_EL2 live in the file; each write also converts into
 * the hardware's TCR_EL1 (EPD1, TG1 4 KiB, PS to IPS [34:32], TBI to
 * TBI0 [37], HPD to HPD0 [41]) and CPACR_EL1 (FPEN [21:20] 0b11 unless
 * TFP).
 */
static void test_tcr_cptr_into_hw(void **state)
{
	struct el1_ctx before;

	(void)state;
	before = fake_arch.el1;
	wr(E_TCR, 24 | B(8) | B(10) | B(12) | B(13) | B(14) |
			  (UINT64_C(4) << 16) | B(20) | B(24));
	assert_int_equal(rd(E_TCR), 24 | B(8) | B(10) | B(12) | B(13) | B(14) |
					    (UINT64_C(4) << 16) | B(20) | B(24) |
					    B(23) | B(31));
	assert_int_equal(fake_arch.el1.tcr,
			 24 | B(8) | B(10) | B(12) | B(13) | B(14) |
				 (UINT64_C(4) << 32) | B(37) | B(41) | B(23) |
				 B(31));
	before.tcr = fake_arch.el1.tcr;
	assert_memory_equal(&fake_arch.el1, &before, sizeof(before));

	wr(E_CPTR, B(10));
	assert_int_equal(rd(E_CPTR), UINT64_C(0x22ff) | B(10));
	assert_int_equal(fake_arch.el1.cpacr, 0);
	wr(E_CPTR, B(31) | B(20));
	assert_int_equal(fake_arch.el1.cpacr, UINT64_C(0x300000));
	assert_int_equal(rd(E_CPTR), UINT64_C(0x22ff) | B(31) | B(20));
	before.cpacr = UINT64_C(0x300000);
	assert_memory_equal(&fake_arch.el1, &before, sizeof(before));
}

/*
 * L1's accesses to the EL1 registers (trapped by TVM/TRVM, NV1, TCPAC)
 * and SP_EL1 are L2's: kept in the file, the hardware's (L1's own EL2
 * state) untouched. ACTLR_EL1, MDSCR_EL1 and the EL1 virtual timer are
 * one register for both contexts: the plain handler's.
 */
static void test_l2_el1_regs(void **state)
{
	static const struct {
		u32 enc;
		enum vel2_reg r;
	} l2[] = {
		{ ENC(3, 0, 1, 0, 0), VEL2_SCTLR_EL1 },
		{ ENC(3, 0, 1, 0, 2), VEL2_CPACR_EL1 },
		{ ENC(3, 0, 2, 0, 0), VEL2_TTBR0_EL1 },
		{ ENC(3, 0, 2, 0, 1), VEL2_TTBR1_EL1 },
		{ ENC(3, 0, 2, 0, 2), VEL2_TCR_EL1 },
		{ ENC(3, 0, 4, 0, 0), VEL2_SPSR_EL1 },
		{ ENC(3, 0, 4, 0, 1), VEL2_ELR_EL1 },
		{ ENC(3, 0, 5, 1, 0), VEL2_AFSR0_EL1 },
		{ ENC(3, 0, 5, 1, 1), VEL2_AFSR1_EL1 },
		{ ENC(3, 0, 5, 2, 0), VEL2_ESR_EL1 },
		{ ENC(3, 0, 6, 0, 0), VEL2_FAR_EL1 },
		{ ENC(3, 0, 10, 2, 0), VEL2_MAIR_EL1 },
		{ ENC(3, 0, 10, 3, 0), VEL2_AMAIR_EL1 },
		{ ENC(3, 0, 12, 0, 0), VEL2_VBAR_EL1 },
		{ ENC(3, 0, 13, 0, 1), VEL2_CONTEXTIDR_EL1 },
		{ E_SP_EL1, VEL2_SP_EL1 },
	};
	static const u32 shared[] = {
		ENC(3, 0, 1, 0, 1),  /* ACTLR_EL1 */
		ENC(2, 0, 0, 2, 2),  /* MDSCR_EL1 */
		ENC(3, 3, 14, 3, 1), /* CNTV_CTL_EL0 */
		ENC(3, 3, 14, 3, 2), /* CNTV_CVAL_EL0 */
	};
	struct el1_ctx before = fake_arch.el1;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(l2); i++) {
		u64 val = UINT64_C(0x0101010101010101) * (i + 1);

		wr(l2[i].enc, val);
		assert_int_equal(vel2_get(&n->el2, l2[i].r), val);
		assert_int_equal(rd(l2[i].enc), val);
		vel2_set(&n->el2, l2[i].r, val + 1);
		assert_int_equal(rd(l2[i].enc), val + 1);
	}
	assert_memory_equal(&fake_arch.el1, &before, sizeof(before));
	for (unsigned i = 0; i < ARRAY_SIZE(shared); i++) {
		assert_int_equal(rd_r(shared[i]), VEL2_NOT_MINE);
		assert_int_equal(wr_r(shared[i], 1), VEL2_NOT_MINE);
	}
}

/* ICC_SRE_EL2: SRE, DFB, DIB, Enable read as one, writes ignored. */
static void test_icc_sre_el2(void **state)
{
	(void)state;
	assert_int_equal(rd(E_ICC_SRE), 0xf);
	wr(E_ICC_SRE, 0);
	assert_int_equal(rd(E_ICC_SRE), 0xf);
}

/*
 * AT of L1 at vEL2 reaches the software walk and leaves its result in
 * PAR_EL1. With the MMU off (L1's SCTLR_EL2.M 0 at reset, L2's
 * SCTLR_EL1.M 0 and L1's stage 2 off) the output is the input, Device
 * nGnRnE (PAR_EL1.ATTR [63:56] 0x00) and Outer Shareable (SH [8:7] 0b10;
 * Arm ARM AArch64.S1DisabledOutput), F [0] 0, PA [47:12] the VA's page.
 */
static void test_at(void **state)
{
	static const u32 ops[] = { AT(4, 0), AT(4, 1), AT(0, 0), AT(0, 1) };
	u64 va = UINT64_C(0x40208123);

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ops); i++) {
		fake_arch.par_el1 = ~(u64)0;
		wr(ops[i], va + 0x1000 * i);
		assert_int_equal(fake_arch.par_el1 & 1, 0);
		assert_int_equal(fake_arch.par_el1 & UINT64_C(0xfffffffff000),
				 (va + 0x1000 * i) & ~UINT64_C(0xfff));
		assert_int_equal(fake_arch.par_el1 >> 56, 0);
		assert_int_equal((fake_arch.par_el1 >> 7) & 3, 2);
	}
	/* op1 4, op2 2 and 3 name no AT: UNDEFINED. */
	assert_int_equal(wr_r(AT(4, 2), va), VEL2_UNDEF);
	assert_int_equal(wr_r(AT(4, 3), va), VEL2_UNDEF);
	/* DC/IC (CRn 7, other CRm) are not the vEL2 code's. */
	assert_int_equal(wr_r(ENC(1, 3, 7, 11, 1), va), VEL2_NOT_MINE); /* DC CVAU */
}

/* --- TLB maintenance --- */

/* Three shadows: A and A2 for L1 VMID 5 (two tables), B for VMID 6. */
static struct shadow_s2 *sh[3];
#define L2_P0 UINT64_C(0x10000)
#define L2_P1 UINT64_C(0x11000)
#define L2_P2 UINT64_C(0x7ff000)

static struct shadow_s2 *shadow(u64 vttbr, u64 vtcr)
{
	char err[128] = "";
	struct shadow_s2 *s = shadow_s2_get(vm, vttbr, vtcr, err, sizeof(err));

	if (!s)
		fail_msg("shadow_s2_get: %s", err);
	shadow_s2_load(vm, s, 0);
	return s;
}

/* A page of s as a fault would leave it: mapped, in the reverse map. */
static void add_page(struct shadow_s2 *s, u64 l2_page)
{
	assert_int_equal(pgtable_map(&s->pt, l2_page, UINT64_C(0x50000000) + l2_page,
				     0x1000, S2_ATTR_RAM), PGT_OK);
	assert_true(s->nr_rmap < SHADOW_RMAP_MAX);
	s->rmap[s->nr_rmap++] = (struct shadow_rmap){
		.l1_page = UINT64_C(0x40000000) + l2_page,
		.l2_page = l2_page,
		.l1_shift = 12,
	};
}

static bool mapped(const struct shadow_s2 *s, u64 l2_ipa)
{
	unsigned level;
	u64 pa;

	return pgtable_lookup(&s->pt, l2_ipa, &level, &pa) != 0;
}

/* Each of the three shadows with exactly the pages P0, P1 and P2. */
static void populate(void)
{
	static const u64 pages[] = { L2_P0, L2_P1, L2_P2 };

	for (unsigned i = 0; i < 3; i++) {
		for (unsigned p = 0; p < ARRAY_SIZE(pages); p++)
			pgtable_unmap(&sh[i]->pt, pages[p], 0x1000, NULL);
		sh[i]->nr_rmap = 0;
		for (unsigned p = 0; p < ARRAY_SIZE(pages); p++)
			add_page(sh[i], pages[p]);
	}
	fake_arch.tlbi_nipa = 0;
}

static int setup_tlbi(void **state)
{
	ut_vel2_setup(state);
	sh[0] = shadow(L1_VTTBR(5, 0x40400000), L1_VTCR);
	sh[1] = shadow(L1_VTTBR(5, 0x40500000), L1_VTCR);
	sh[2] = shadow(L1_VTTBR(6, 0x40400000), L1_VTCR);
	populate();
	/* L1's current stage 2: VMID 5. */
	vel2_set(&n->el2, VEL2_VTTBR_EL2, L1_VTTBR(5, 0x40400000));
	vel2_set(&n->el2, VEL2_VTCR_EL2, L1_VTCR);
	return 0;
}

static int teardown_tlbi(void **state)
{
	for (unsigned i = 0; i < 3; i++)
		shadow_s2_put(vm, sh[i]);
	return ut_vel2_teardown(state);
}

/* The pages of shadow i that are still mapped, as a bit mask P0 P1 P2. */
static unsigned pages_of(unsigned i)
{
	return (mapped(sh[i], L2_P0) ? 1u : 0) | (mapped(sh[i], L2_P1) ? 2u : 0) |
	       (mapped(sh[i], L2_P2) ? 4u : 0);
}

/* A TLBI of L1's: one hardware TLBI (ALLE1IS) every time. */
static void tlbi(u32 enc, u64 xt)
{
	unsigned before = fake_arch.tlbi_all_is;

	wr(enc, xt);
	assert_int_equal(fake_arch.tlbi_all_is, before + 1);
}

/*
 * IPAS2E1IS, IPAS2LE1IS, IPAS2E1, IPAS2LE1 (op1 4, CRm 0/4, op2 1/5):
 * Xt[35:0] is IPA[47:12]; bits above (TTL [47:44], NS [63]) do not
 * change the address. The shadows of L1's current VMID drop that page
 * (a TLBI IPAS2E1IS by each shadow's VMID), the others keep it.
 */
static void test_tlbi_ipa(void **state)
{
	static const u32 forms[] = { TLBI(4, 0, 1), TLBI(4, 0, 5),
				     TLBI(4, 4, 1), TLBI(4, 4, 5) };

	(void)state;
	for (unsigned f = 0; f < ARRAY_SIZE(forms); f++) {
		tlbi(forms[f], (L2_P1 >> 12) | B(63) | (UINT64_C(2) << 44));
		assert_int_equal(pages_of(0), 1 | 4);
		assert_int_equal(pages_of(1), 1 | 4);
		assert_int_equal(pages_of(2), 7);
		/* The page, by each of the two shadows' VMIDs. */
		assert_int_equal(fake_arch.tlbi_nipa, 2);
		assert_int_equal(fake_arch.tlbi_ipa[0] & ~UINT64_C(0xfff), L2_P1 &
				 ~UINT64_C(0xfff));
		assert_int_equal(fake_arch.tlbi_ipa[1] & ~UINT64_C(0xfff), L2_P1 &
				 ~UINT64_C(0xfff));
		/* A high page: Xt[35:0] = 0x7ff. */
		tlbi(forms[f], L2_P2 >> 12);
		assert_int_equal(pages_of(0), 1);
		assert_int_equal(pages_of(1), 1);
		assert_int_equal(pages_of(2), 7);
		populate();
	}
}

/* L1's VMID is VTTBR_EL2[55:48], or [63:48] with VTCR_EL2.VS. */
static void test_tlbi_ipa_vmid_width(void **state)
{
	struct shadow_s2 *wide;

	(void)state;
	/* VS 0: VMID 0x105 is VMID 5. */
	vel2_set(&n->el2, VEL2_VTTBR_EL2, L1_VTTBR(0x105, 0x40400000));
	tlbi(TLBI(4, 0, 1), L2_P0 >> 12);
	assert_int_equal(pages_of(0), 2 | 4);
	assert_int_equal(pages_of(1), 2 | 4);
	assert_int_equal(pages_of(2), 7);
	/* VS 1: 0x105 is a VMID of its own. */
	wide = shadow(L1_VTTBR(0x105, 0x40400000), L1_VTCR | VS);
	add_page(wide, L2_P0);
	vel2_set(&n->el2, VEL2_VTCR_EL2, L1_VTCR | VS);
	tlbi(TLBI(4, 0, 1), L2_P1 >> 12);
	assert_int_equal(pages_of(0), 2 | 4);
	assert_true(mapped(wide, L2_P0));
	tlbi(TLBI(4, 0, 1), L2_P0 >> 12);
	assert_false(mapped(wide, L2_P0));
	assert_int_equal(pages_of(0), 2 | 4);
	assert_int_equal(pages_of(2), 7);
	shadow_s2_put(vm, wide);
}

/* VMALLS12E1IS, VMALLS12E1 (op1 4, CRm 3/7, op2 6): L1's VMID's shadows emptied. */
static void test_tlbi_vmalls12e1(void **state)
{
	static const u32 forms[] = { TLBI(4, 3, 6), TLBI(4, 7, 6) };

	(void)state;
	for (unsigned f = 0; f < ARRAY_SIZE(forms); f++) {
		unsigned vmid_tlbis = fake_arch.tlbi_vmid;

		tlbi(forms[f], 0);
		assert_int_equal(pages_of(0), 0);
		assert_int_equal(pages_of(1), 0);
		assert_int_equal(pages_of(2), 7);
		assert_int_equal(sh[0]->nr_rmap + sh[1]->nr_rmap, 0);
		assert_int_equal(sh[2]->nr_rmap, 3);
		/* Each emptied shadow invalidates its own VMID. */
		assert_int_equal(fake_arch.tlbi_vmid, vmid_tlbis + 2);
		populate();
		/* L1 on VMID 6 now. */
		vel2_set(&n->el2, VEL2_VTTBR_EL2, L1_VTTBR(6, 0x40400000));
		tlbi(forms[f], 0);
		assert_int_equal(pages_of(0), 7);
		assert_int_equal(pages_of(2), 0);
		vel2_set(&n->el2, VEL2_VTTBR_EL2, L1_VTTBR(5, 0x40400000));
		populate();
	}
}

/* ALLE1IS, ALLE1 (op1 4, CRm 3/7, op2 4): every shadow emptied. */
static void test_tlbi_alle1(void **state)
{
	static const u32 forms[] = { TLBI(4, 3, 4), TLBI(4, 7, 4) };

	(void)state;
	for (unsigned f = 0; f < ARRAY_SIZE(forms); f++) {
		tlbi(forms[f], 0);
		for (unsigned i = 0; i < 3; i++) {
			assert_int_equal(pages_of(i), 0);
			assert_int_equal(sh[i]->nr_rmap, 0);
		}
		populate();
	}
}

/*
 * The EL2 forms (ALLE2, VAE2, VALE2 and their IS forms: L1's own EL2
 * regime) and the EL1 forms (VMALLE1IS, VAE1IS, ASIDE1: L2's stage 1,
 * TTLB) touch no shadow: only the hardware TLBI.
 */
static void test_tlbi_stage1_forms(void **state)
{
	static const u32 forms[] = {
		TLBI(4, 3, 0), TLBI(4, 3, 1), TLBI(4, 3, 5), /* ALLE2IS VAE2IS VALE2IS */
		TLBI(4, 7, 0), TLBI(4, 7, 1), TLBI(4, 7, 5), /* ALLE2 VAE2 VALE2 */
		TLBI(0, 3, 0), TLBI(0, 3, 1), TLBI(0, 7, 2), /* VMALLE1IS VAE1IS ASIDE1 */
	};

	(void)state;
	for (unsigned f = 0; f < ARRAY_SIZE(forms); f++) {
		tlbi(forms[f], L2_P1 >> 12);
		for (unsigned i = 0; i < 3; i++)
			assert_int_equal(pages_of(i), 7);
	}
	assert_int_equal(fake_arch.tlbi_nipa, 0);
}

/*
 * The Outer Shareable (ALLE2OS, VAE2OS, VALE2OS: CRm 1) and range
 * (RVAE2IS, RVALE2IS: CRm 2; RVAE2OS, RVALE2OS: CRm 5; RVAE2, RVALE2:
 * CRm 6) EL2 forms invalidate L1's EL2 stage 1 only (Arm ARM C5.5): no
 * shadow stage 2 of the VM loses a page. (Once a BUG case: they emptied
 * every shadow.)
 */
static void test_tlbi_el2_os_range_forms(void **state)
{
	static const u32 forms[] = {
		TLBI(4, 1, 0), TLBI(4, 1, 1), TLBI(4, 1, 5), /* ALLE2OS VAE2OS VALE2OS */
		TLBI(4, 2, 1), TLBI(4, 2, 5),                /* RVAE2IS RVALE2IS */
		TLBI(4, 5, 1), TLBI(4, 5, 5),                /* RVAE2OS RVALE2OS */
		TLBI(4, 6, 1), TLBI(4, 6, 5),                /* RVAE2 RVALE2 */
	};

	(void)state;
	for (unsigned f = 0; f < ARRAY_SIZE(forms); f++) {
		tlbi(forms[f], L2_P1 >> 12);
		for (unsigned i = 0; i < 3; i++)
			assert_int_equal(pages_of(i), 7);
	}
}

/*
 * A VHE L1 with TGE 1 (its host side): its EL1-form TLBIs are of its own
 * EL2&0 regime, the CPU's EL1&0 on the VM's VMID, and run as themselves
 * (arch_tlbi_el1_is), not as TLBI ALLE1IS; with TGE 0 they are L2's and
 * go the ALLE1IS way. No shadow loses a page either way.
 */
static void test_tlbi_el1_host_forms(void **state)
{
	const u64 hcr_host = B(34) | B(31) | B(27); /* E2H, RW, TGE */
	unsigned all = fake_arch.tlbi_all_is, own = fake_arch.tlbi_el1_is;

	(void)state;
	n->feat.vhe = true;
	vel2_set(&n->el2, VEL2_HCR_EL2, hcr_host);
	vel2_e2h_sync(v);
	assert_true(n->e2h);
	wr(TLBI(0, 3, 1), 0x1234); /* VAE1IS */
	assert_int_equal(fake_arch.tlbi_el1_is, own + 1);
	assert_int_equal(fake_arch.tlbi_el1_enc, TLBI(0, 3, 1));
	assert_int_equal(fake_arch.tlbi_all_is, all);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(pages_of(i), 7);
	/* TGE 0: L2's stage 1, whose entries carry the shadows' VMIDs. */
	vel2_set(&n->el2, VEL2_HCR_EL2, hcr_host & ~B(27));
	tlbi(TLBI(0, 3, 1), 0x1234);
	assert_int_equal(fake_arch.tlbi_el1_is, own + 1);
	/* The EL2 and stage-2 forms never take that way. */
	vel2_set(&n->el2, VEL2_HCR_EL2, hcr_host);
	tlbi(TLBI(4, 3, 1), 0x1234);
	assert_int_equal(fake_arch.tlbi_el1_is, own + 1);
}

int main(void)
{
#define T(f) UT_VEL2_TEST(f, &fx)
#define TT(f) cmocka_unit_test_prestate_setup_teardown(f, setup_tlbi, teardown_tlbi, &fx)
	const struct CMUnitTest tests[] = {
		T(test_res_bits),
		T(test_res_bits_vhe),
		T(test_read_only_undef),
		T(test_absent_without_feature),
		T(test_live_regs),
		T(test_spsr_el2),
		T(test_tcr_cptr_into_hw),
		T(test_l2_el1_regs),
		T(test_icc_sre_el2),
		T(test_at),
		TT(test_tlbi_ipa),
		TT(test_tlbi_ipa_vmid_width),
		TT(test_tlbi_vmalls12e1),
		TT(test_tlbi_alle1),
		TT(test_tlbi_stage1_forms),
		TT(test_tlbi_el2_os_range_forms),
		TT(test_tlbi_el1_host_forms),
	};
#undef T
#undef TT

	return cmocka_run_group_tests(tests, NULL, NULL);
}
