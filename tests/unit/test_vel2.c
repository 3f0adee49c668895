/*
 * Host tests of a guest hypervisor's virtual EL2 under FEAT_NV
 * (src/cpu/vel2.c): TCR_EL2 as TCR_EL1 and CPACR_EL1 from CPTR_EL2 for
 * L1's EL2 regime run at EL1, the PSTATE L1 sees (EL1 standing for EL2),
 * the SPSR_EL2 that vel2_spsr_read/note track, the state after reset,
 * the world switch between L1 and L2 (ERET to EL1, an exception back)
 * with its EL1 registers and EL2 controls as the fake arch holds them,
 * ERET within vEL2, and exceptions taken to vEL2 from vEL2 and from L2
 * (vectors, ELR/SPSR/ESR/FAR_EL2, PSTATE). Expected values follow the
 * Arm ARM (D19.2 register layouts; D1.3 exception entry and return),
 * written out here rather than taken from the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/el2_ctl.h>
#include <nv/exc_entry.h>
#include <nv/fake_arch.h>
#include <nv/percpu.h>
#include <nv/shadow_s2.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vel2.h>
#include <nv/vm.h>
#include "helpers.h"
#include "vel2_fixture.h"

#define B(n) (UINT64_C(1) << (n))


/* HCR_EL2 bits the tests set or check. */
#define H_VM B(0)
#define H_IMO B(4)
#define H_TWI B(13)
#define H_TSC B(19)
#define H_TVM B(26)
#define H_TTLB B(25)
#define H_TRVM B(30)
#define H_RW B(31)
#define H_NV B(42)
#define H_NV1 B(43)
#define H_AT B(44)
#define C_TCPAC B(31)

/* ESR_EL2 of a trapped ERET: EC 0x1A, IL. */
#define ESR_ERET (UINT64_C(0x1a) << 26 | B(25))

#define VBAR2 UINT64_C(0x40200000) /* L1's VBAR_EL2 */
#define VM_VTTBR UT_VEL2_VTTBR
#define VM_VTCR UT_VEL2_VTCR

/* nestvisor's policy for guests, as arch_el2_policy() gives it. */
static struct ut_vel2 fx = { .policy = {
	.hcr = H_VM | H_IMO | H_TSC | H_RW,
	.cptr = UINT64_C(0x22ff),
	.mdcr = 0x4,
} };
static const struct el2_policy *const policy = &fx.policy;

/* --- Pure conversions --- */

/*
 * TCR_EL2 (E2H = 0) fields and their TCR_EL1 places: T0SZ [5:0], IRGN0
 * [9:8], ORGN0 [11:10], SH0 [13:12], TG0 [15:14] stay; PS [18:16] goes
 * to IPS [34:32], TBI [20] to TBI0 [37], HPD [24] to HPD0 [41]; EPD1
 * [23] set with TG1 [31:30] = 0b10 (4 KiB) so that TTBR1 never walks.
 */
static void test_tcr_to_el1(void **state)
{
	u64 el2, el1;

	(void)state;
	/* 48-bit VA, WB-WA inner/outer, inner shareable, 4 KiB, 48-bit PA. */
	el2 = 16 | B(8) | B(10) | B(12) | B(13) | (UINT64_C(5) << 16) |
	      B(20) | B(23) | B(24) | B(31);
	el1 = 16 | B(8) | B(10) | B(12) | B(13) | (UINT64_C(5) << 32) |
	      B(37) | B(41) | B(23) | B(31);
	assert_int_equal(vel2_tcr_to_el1(el2), el1);
	assert_int_equal(vel2_tcr_to_el1(el2), UINT64_C(0x22580803510));

	/* 64 KiB granule (TG0 0b01 in both), 39-bit VA, 40-bit PA, no TBI. */
	el2 = 25 | B(14) | (UINT64_C(2) << 16) | B(23) | B(31);
	el1 = 25 | B(14) | (UINT64_C(2) << 32) | B(23) | B(31);
	assert_int_equal(vel2_tcr_to_el1(el2), el1);
	/* 16 KiB (TG0 0b10). */
	assert_int_equal(vel2_tcr_to_el1(B(15)) & (UINT64_C(3) << 14), B(15));

	/*
	 * Reset (RES1 only): TTBR1 off. HA/HD [22:21] (FEAT_HAFDBS hidden),
	 * HWU [28:25], TBID [29] and TCMA [30] land in no EL1 field.
	 */
	assert_int_equal(vel2_tcr_to_el1(B(31) | B(23)), B(23) | B(31));
	assert_int_equal(vel2_tcr_to_el1(B(21) | B(22) | (UINT64_C(0xf) << 25) |
					 B(29) | B(30)),
			 B(23) | B(31));
}

/* CPACR_EL1.FPEN [21:20] = 0b11 unless CPTR_EL2.TFP [10] traps FP. */
static void test_cpacr_from_cptr(void **state)
{
	(void)state;
	assert_int_equal(vel2_cpacr(0x22ff), UINT64_C(0x300000));
	assert_int_equal(vel2_cpacr(0x22ff | B(10)), 0);
	assert_int_equal(vel2_cpacr(0), UINT64_C(0x300000));
	assert_int_equal(vel2_cpacr(B(10)), 0);
	/* TTA [20], TAM [30], TCPAC [31] are not FP traps. */
	assert_int_equal(vel2_cpacr(B(20) | B(30) | B(31)), UINT64_C(0x300000));
}

/* While L1 runs, the hardware's EL1t/EL1h is L1's EL2t/EL2h. */
static void test_virt_pstate(void **state)
{
	struct vcpu_nested n;

	(void)state;
	memset(&n, 0, sizeof(n));
	assert_int_equal(vel2_virt_pstate(&n, DAIF | M_EL1H), DAIF | M_EL2H);
	assert_int_equal(vel2_virt_pstate(&n, M_EL1T), M_EL2T);
	assert_int_equal(vel2_virt_pstate(&n, NZCV(0xa) | B(20) | B(22) | M_EL1H),
			 NZCV(0xa) | B(20) | B(22) | M_EL2H);
	/* Not an EL1 PSTATE: unchanged (EL0t, AArch32 SVC 0x13 with nRW). */
	assert_int_equal(vel2_virt_pstate(&n, M_EL0T), M_EL0T);
	assert_int_equal(vel2_virt_pstate(&n, DAIF | 0x13 | B(4)), DAIF | 0x13 | B(4));
	/* While L2 runs its EL1 is EL1. */
	n.in_l2 = true;
	assert_int_equal(vel2_virt_pstate(&n, DAIF | M_EL1H), DAIF | M_EL1H);
	assert_int_equal(vel2_virt_pstate(&n, M_EL1T), M_EL1T);
}

/*
 * Under NV2 SPSR_EL1 is SPSR_EL2 as L1 reads it, whatever was noted: the
 * CPU saves an exception taken at vEL2 with M = EL2t/EL2h (M[3:2] 0b10),
 * and an EL1h value there is L1's own write (to enter L2), not converted.
 */
static void test_spsr_nv2(void **state)
{
	static struct vcpu_nested n = { .nv2 = true };
	struct el1_ctx c = { .spsr = DAIF | M_EL2H, .elr = 0x1000 };

	(void)state;
	assert_int_equal(vel2_spsr_read(&n, &c), DAIF | M_EL2H);
	vel2_spsr_note(&n, &c, DAIF | M_EL1H);
	c.spsr = NZCV(3) | M_EL2T;
	assert_int_equal(vel2_spsr_read(&n, &c), NZCV(3) | M_EL2T);
	c.spsr = DAIF | M_EL1H;
	c.elr = 0x2000;
	assert_int_equal(vel2_spsr_read(&n, &c), DAIF | M_EL1H);
	/* Without NV2 the same EL1h save stands for EL2h. */
	n.nv2 = false;
	assert_int_equal(vel2_spsr_read(&n, &c), DAIF | M_EL2H);
}

/*
 * SPSR_EL2 while L1 runs: what was last written (by nestvisor or L1)
 * while SPSR_EL1 and ELR_EL1 still hold what the write left; after an
 * exception L1 takes at vEL2 (the hardware saved its EL1 PSTATE and
 * return address) the save, M as EL2.
 */
static void test_spsr_tracking(void **state)
{
	struct vcpu_nested n;
	struct el1_ctx c;

	(void)state;
	memset(&n, 0, sizeof(n));
	memset(&c, 0, sizeof(c));
	/* L1 writes SPSR_EL2 = EL1h (to enter L2): it reads EL1h, not EL2h. */
	c.spsr = DAIF | M_EL1H;
	c.elr = 0x1000;
	vel2_spsr_note(&n, &c, DAIF | M_EL1H);
	assert_int_equal(vel2_spsr_read(&n, &c), DAIF | M_EL1H);
	/* An EL2h value whose hardware copy differs reads as written. */
	c.spsr = NZCV(4) | M_EL1H;
	vel2_spsr_note(&n, &c, NZCV(4) | M_EL2H);
	assert_int_equal(vel2_spsr_read(&n, &c), NZCV(4) | M_EL2H);

	/* An exception at vEL2: new SPSR_EL1 (M EL1h) and ELR_EL1. */
	c.spsr = NZCV(2) | M_EL1H;
	c.elr = 0x2004;
	assert_int_equal(vel2_spsr_read(&n, &c), NZCV(2) | M_EL2H);
	c.spsr = DAIF | M_EL1T;
	assert_int_equal(vel2_spsr_read(&n, &c), DAIF | M_EL2T);
	/* The same SPSR_EL1 saved again, at another ELR: the save counts. */
	vel2_spsr_note(&n, &c, DAIF | M_EL1T);
	assert_int_equal(vel2_spsr_read(&n, &c), DAIF | M_EL1T);
	c.elr = 0x3000;
	assert_int_equal(vel2_spsr_read(&n, &c), DAIF | M_EL2T);
	/* Only SPSR_EL1 changed. */
	vel2_spsr_note(&n, &c, M_EL1H);
	c.spsr = M_EL1H | NZCV(1);
	assert_int_equal(vel2_spsr_read(&n, &c), M_EL2H | NZCV(1));
}

/* --- Reset and load --- */

static void assert_vel2_ctl(const struct el2_ctl *c)
{
	assert_int_equal(c->hcr, policy->hcr | H_NV | H_NV1 | H_TVM | H_TRVM |
					 H_AT | H_TTLB);
	assert_int_equal(c->cptr, policy->cptr | C_TCPAC);
	assert_int_equal(c->mdcr, policy->mdcr);
	assert_int_equal(c->vttbr, VM_VTTBR);
	assert_int_equal(c->vtcr, VM_VTCR);
}

/*
 * After reset the vCPU is at vEL2h with DAIF masked (EL1h on the
 * hardware); the hardware EL1 registers hold L1's EL2 reset values
 * (SCTLR_EL2 its RES1 bits 0x30c50830, TCR_EL2 RES1 bits 31 and 23 as
 * TCR_EL1 EPD1 + TG1 4 KiB, CPTR_EL2 without TFP: FPEN 0b11), and the
 * vEL2 controls are loaded.
 */
static void test_reset_state(void **state)
{
	struct vcpu *v = &fx.vcpu[0];
	struct vcpu_nested *n = &fx.nested[0];

	(void)state;
	assert_false(n->in_l2);
	assert_int_equal(v->regs.pstate, DAIF | M_EL1H);
	assert_int_equal(vel2_virt_pstate(n, v->regs.pstate), DAIF | M_EL2H);
	assert_int_equal(fake_arch.el1.sctlr, UINT64_C(0x30c50830));
	assert_int_equal(fake_arch.el1.tcr, B(23) | B(31));
	assert_int_equal(fake_arch.el1.cpacr, UINT64_C(0x300000));
	assert_int_equal(fake_arch.el1.ttbr1, 0);
	assert_int_equal(fake_arch.el1.contextidr, 0);
	/* L2's SCTLR_EL1 starts as an EL1 at reset: MMU and caches off. */
	assert_int_equal(vel2_get(&n->el2, VEL2_SCTLR_EL1) & (B(0) | B(2) | B(12)), 0);
	/* VMPIDR_EL2 resets to MPIDR_EL1 as L1 reads it: bit 31 RES1, Aff0 0. */
	assert_int_equal(vel2_get(&n->el2, VEL2_VMPIDR_EL2), B(31));
	assert_vel2_ctl(&fake_arch.el2_ctl);
	/* VPIDR_EL2 resets to the MIDR_EL1 the vCPU shows. */
	v->sys.vpidr_el2 = UINT64_C(0x410fd4f0);
	vcpu_apply_reset(v);
	assert_int_equal(vel2_get(&n->el2, VEL2_VPIDR_EL2), UINT64_C(0x410fd4f0));
}

/* --- The world switch --- */

/* SPSR_EL2 and ELR_EL2 as an MSR of L1 leaves them. */
static void set_return(struct vcpu_nested *n, u64 spsr, u64 elr)
{
	fake_arch.el1.spsr = spsr;
	fake_arch.el1.elr = elr;
	vel2_spsr_note(n, &fake_arch.el1, spsr);
}

/* L2's EL1 registers in L1's file, each a value of its own. */
static const struct {
	enum vel2_reg r;
	size_t off;
} l2_rows[] = {
	{ VEL2_SCTLR_EL1, offsetof(struct el1_ctx, sctlr) },
	{ VEL2_CPACR_EL1, offsetof(struct el1_ctx, cpacr) },
	{ VEL2_TTBR0_EL1, offsetof(struct el1_ctx, ttbr0) },
	{ VEL2_TTBR1_EL1, offsetof(struct el1_ctx, ttbr1) },
	{ VEL2_TCR_EL1, offsetof(struct el1_ctx, tcr) },
	{ VEL2_ESR_EL1, offsetof(struct el1_ctx, esr) },
	{ VEL2_FAR_EL1, offsetof(struct el1_ctx, far) },
	{ VEL2_AFSR0_EL1, offsetof(struct el1_ctx, afsr0) },
	{ VEL2_AFSR1_EL1, offsetof(struct el1_ctx, afsr1) },
	{ VEL2_MAIR_EL1, offsetof(struct el1_ctx, mair) },
	{ VEL2_AMAIR_EL1, offsetof(struct el1_ctx, amair) },
	{ VEL2_CONTEXTIDR_EL1, offsetof(struct el1_ctx, contextidr) },
	{ VEL2_VBAR_EL1, offsetof(struct el1_ctx, vbar) },
	{ VEL2_ELR_EL1, offsetof(struct el1_ctx, elr) },
	{ VEL2_SPSR_EL1, offsetof(struct el1_ctx, spsr) },
	{ VEL2_SP_EL1, offsetof(struct el1_ctx, sp) },
};

static u64 *hw_field(size_t off)
{
	return (u64 *)(void *)((char *)&fake_arch.el1 + off);
}

static u64 l2_value(unsigned i)
{
	return UINT64_C(0x1100000000000000) * (i + 1) + 0x1230 + i;
}

/*
 * L1's EL2 state as L1 would have set it: on the hardware (SCTLR, TTBR0,
 * MAIR, AMAIR, VBAR, ESR, FAR, AFSR0/1, SP) and in the file (TCR_EL2,
 * CPTR_EL2, HCR_EL2, VPIDR/VMPIDR).
 */
static void l1_state(struct vcpu_nested *n)
{
	fake_arch.el1.sctlr = UINT64_C(0x30c5183d);
	fake_arch.el1.ttbr0 = UINT64_C(0x40300000);
	fake_arch.el1.mair = UINT64_C(0xff04);
	fake_arch.el1.amair = 7;
	fake_arch.el1.vbar = VBAR2;
	fake_arch.el1.esr = UINT64_C(0x5a000000);
	fake_arch.el1.far = UINT64_C(0xfa);
	fake_arch.el1.afsr0 = 0xa0;
	fake_arch.el1.afsr1 = 0xa1;
	fake_arch.el1.sp = UINT64_C(0x40ff0000);
	vel2_set(&n->el2, VEL2_TCR_EL2, 16 | B(23) | B(31));
	fake_arch.el1.tcr = 16 | B(23) | B(31);
	vel2_set(&n->el2, VEL2_CPTR_EL2, UINT64_C(0x22ff) | B(10)); /* TFP */
	fake_arch.el1.cpacr = 0;
	vel2_set(&n->el2, VEL2_HCR_EL2, H_RW | H_TWI | H_TVM);
	vel2_set(&n->el2, VEL2_VPIDR_EL2, UINT64_C(0x410fd070));
	vel2_set(&n->el2, VEL2_VMPIDR_EL2, B(31) | 0x101);
	for (unsigned i = 0; i < ARRAY_SIZE(l2_rows); i++)
		vel2_set(&n->el2, l2_rows[i].r, l2_value(i));
}

/*
 * ERET with SPSR_EL2 EL1h: L2's EL1 registers go to the hardware, L1's
 * EL2 ones to the file, the L2 controls are loaded (el2_ctl_l2 of L1's
 * HCR/CPTR/MDCR; L1's HCR_EL2.VM 0: the VM's own stage 2, with L1's
 * VPIDR/VMPIDR), PC and PSTATE from ELR_EL2 and SPSR_EL2. An exception
 * of L2 taken to vEL2 switches back: L2's registers into the file, L1's
 * back on the hardware, PC = VBAR_EL2 + 0x400.
 */
static void test_switch_round_trip(void **state)
{
	struct vcpu *v = &fx.vcpu[0];
	struct vcpu_nested *n = &fx.nested[0];
	u64 far = UINT64_C(0xfeed000);
	unsigned loads, flushes;

	(void)state;
	l1_state(n);
	set_return(n, NZCV(6) | DAIF | M_EL1H, UINT64_C(0x80001000));
	v->regs.pc = UINT64_C(0x40201234); /* the ERET */
	loads = fake_arch.el2_ctl_loads;
	flushes = fake_arch.tlb_flush_local;
	assert_int_equal(vel2_eret(v, ESR_ERET), EXIT_CONTINUE);

	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, UINT64_C(0x80001000));
	assert_int_equal(v->regs.pstate, NZCV(6) | DAIF | M_EL1H);
	for (unsigned i = 0; i < ARRAY_SIZE(l2_rows); i++)
		assert_int_equal(*hw_field(l2_rows[i].off), l2_value(i));
	assert_int_equal(vel2_get(&n->el2, VEL2_SCTLR_EL2), UINT64_C(0x30c5183d));
	assert_int_equal(vel2_get(&n->el2, VEL2_TTBR0_EL2), UINT64_C(0x40300000));
	assert_int_equal(vel2_get(&n->el2, VEL2_MAIR_EL2), UINT64_C(0xff04));
	assert_int_equal(vel2_get(&n->el2, VEL2_AMAIR_EL2), 7);
	assert_int_equal(vel2_get(&n->el2, VEL2_VBAR_EL2), VBAR2);
	assert_int_equal(vel2_get(&n->el2, VEL2_ESR_EL2), UINT64_C(0x5a000000));
	assert_int_equal(vel2_get(&n->el2, VEL2_FAR_EL2), UINT64_C(0xfa));
	assert_int_equal(vel2_get(&n->el2, VEL2_AFSR0_EL2), 0xa0);
	assert_int_equal(vel2_get(&n->el2, VEL2_AFSR1_EL2), 0xa1);
	assert_int_equal(vel2_get(&n->el2, VEL2_ELR_EL2), UINT64_C(0x80001000));
	assert_int_equal(vel2_get(&n->el2, VEL2_SPSR_EL2), NZCV(6) | DAIF | M_EL1H);
	assert_int_equal(n->sp_el2, UINT64_C(0x40ff0000));
	/* The L2 controls: the policy with L1's TWI and TVM, stage 2 the VM's. */
	assert_int_equal(fake_arch.el2_ctl_loads, loads + 1);
	assert_int_equal(fake_arch.el2_ctl.hcr, policy->hcr | H_TWI | H_TVM);
	assert_int_equal(fake_arch.el2_ctl.cptr, policy->cptr | B(10));
	assert_int_equal(fake_arch.el2_ctl.mdcr, policy->mdcr);
	assert_int_equal(fake_arch.el2_ctl.vttbr, VM_VTTBR);
	assert_int_equal(fake_arch.el2_ctl.vtcr, VM_VTCR);
	assert_int_equal(fake_arch.el2_ctl.vpidr, UINT64_C(0x410fd070));
	assert_int_equal(fake_arch.el2_ctl.vmpidr, B(31) | 0x101);
	assert_null(n->shadow);
	assert_true(n->l2_flat);
	/* L2 on L1's VMID: the CPU's stage-1 entries of L1's EL2 regime go. */
	assert_int_equal(fake_arch.tlb_flush_local, flushes + 1);

	/* L2 runs: it changes its registers, then takes a data abort. */
	fake_arch.el1.sctlr = UINT64_C(0x30d00801);
	fake_arch.el1.tcr = UINT64_C(0x1234);
	fake_arch.el1.elr = UINT64_C(0x8000abc0);
	fake_arch.el1.sp = UINT64_C(0x8fff0000);
	v->regs.pc = UINT64_C(0x80002000);
	v->regs.pstate = NZCV(1) | M_EL1T;
	vel2_take(v, EXC_SYNC, UINT64_C(0x93c08006), &far);

	assert_false(n->in_l2);
	assert_int_equal(vel2_get(&n->el2, VEL2_SCTLR_EL1), UINT64_C(0x30d00801));
	assert_int_equal(vel2_get(&n->el2, VEL2_TCR_EL1), UINT64_C(0x1234));
	assert_int_equal(vel2_get(&n->el2, VEL2_ELR_EL1), UINT64_C(0x8000abc0));
	assert_int_equal(vel2_get(&n->el2, VEL2_SP_EL1), UINT64_C(0x8fff0000));
	assert_int_equal(vel2_get(&n->el2, VEL2_TTBR1_EL1), l2_value(3));
	/* L1's EL2 registers on the hardware again, the exception recorded. */
	assert_int_equal(fake_arch.el1.sctlr, UINT64_C(0x30c5183d));
	assert_int_equal(fake_arch.el1.ttbr0, UINT64_C(0x40300000));
	assert_int_equal(fake_arch.el1.ttbr1, 0);
	assert_int_equal(fake_arch.el1.contextidr, 0);
	assert_int_equal(fake_arch.el1.tcr, 16 | B(23) | B(31));
	assert_int_equal(fake_arch.el1.cpacr, 0);
	assert_int_equal(fake_arch.el1.mair, UINT64_C(0xff04));
	assert_int_equal(fake_arch.el1.vbar, VBAR2);
	assert_int_equal(fake_arch.el1.sp, UINT64_C(0x40ff0000));
	assert_int_equal(fake_arch.el1.afsr0, 0xa0);
	assert_int_equal(fake_arch.el1.esr, UINT64_C(0x93c08006));
	assert_int_equal(fake_arch.el1.far, UINT64_C(0xfeed000));
	assert_int_equal(fake_arch.el1.elr, UINT64_C(0x80002000));
	/* SPSR_EL2 is L2's PSTATE: EL1t stays EL1t. */
	assert_int_equal(fake_arch.el1.spsr, NZCV(1) | M_EL1T);
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), NZCV(1) | M_EL1T);
	/* Lower EL, AArch64, synchronous; EL2h with DAIF masked, NZCV kept. */
	assert_int_equal(v->regs.pc, VBAR2 + 0x400);
	assert_int_equal(v->regs.pstate, NZCV(1) | DAIF | M_EL1H);
	assert_int_equal(vel2_virt_pstate(n, v->regs.pstate), NZCV(1) | DAIF | M_EL2H);
	assert_int_equal(fake_arch.injects, 1);
	/* The vEL2 controls again. */
	assert_vel2_ctl(&fake_arch.el2_ctl);
	assert_int_equal(fake_arch.el2_ctl.vpidr, v->sys.vpidr_el2);
	assert_int_equal(fake_arch.tlb_flush_local, flushes + 2);
}

/* An IRQ of L2's taken to vEL2: +0x480, ESR_EL2 not written, no FAR. */
static void test_irq_from_l2(void **state)
{
	struct vcpu *v = &fx.vcpu[0];
	struct vcpu_nested *n = &fx.nested[0];

	(void)state;
	l1_state(n);
	set_return(n, M_EL0T, UINT64_C(0x400000));
	assert_int_equal(vel2_eret(v, ESR_ERET), EXIT_CONTINUE);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pstate, M_EL0T);
	fake_arch.el1.esr = UINT64_C(0x56000000); /* L2's ESR_EL1 */
	fake_arch.el1.far = UINT64_C(0xf00);
	v->regs.pc = UINT64_C(0x400010);
	vel2_take(v, EXC_IRQ, 0, NULL);
	assert_false(n->in_l2);
	assert_int_equal(v->regs.pc, VBAR2 + 0x480);
	assert_int_equal(fake_arch.el1.esr, UINT64_C(0x5a000000)); /* L1's */
	assert_int_equal(fake_arch.el1.far, UINT64_C(0xfa));
	assert_int_equal(fake_arch.el1.elr, UINT64_C(0x400010));
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), M_EL0T);
	assert_int_equal(v->regs.pstate, DAIF | M_EL1H);
	assert_int_equal(vel2_get(&n->el2, VEL2_ESR_EL1), UINT64_C(0x56000000));
	assert_int_equal(vel2_get(&n->el2, VEL2_FAR_EL1), UINT64_C(0xf00));
}

/* Exceptions of vEL2 itself: +0x200 with SP_EL2, +0x000 with SP_EL0. */
static void test_take_at_vel2(void **state)
{
	struct vcpu *v = &fx.vcpu[0];
	struct vcpu_nested *n = &fx.nested[0];
	u64 far = UINT64_C(0x40500008);

	(void)state;
	fake_arch.el1.vbar = VBAR2 | 0x7ff; /* VBAR_EL2[10:0] not used */
	v->regs.pc = UINT64_C(0x40201000);
	v->regs.pstate = NZCV(8) | M_EL1H; /* EL2h, interrupts unmasked */
	vel2_take(v, EXC_SYNC, UINT64_C(0x96000045), &far);
	assert_int_equal(v->regs.pc, VBAR2 + 0x200);
	assert_int_equal(v->regs.pstate, NZCV(8) | DAIF | M_EL1H);
	assert_int_equal(fake_arch.el1.elr, UINT64_C(0x40201000));
	assert_int_equal(fake_arch.el1.esr, UINT64_C(0x96000045));
	assert_int_equal(fake_arch.el1.far, far);
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), NZCV(8) | M_EL2H);

	/* EL2t: current EL with SP_EL0; an IRQ leaves ESR and FAR alone. */
	v->regs.pc = UINT64_C(0x40202000);
	v->regs.pstate = M_EL1T;
	vel2_take(v, EXC_IRQ, 0, NULL);
	assert_int_equal(v->regs.pc, VBAR2 + 0x080);
	assert_int_equal(fake_arch.el1.esr, UINT64_C(0x96000045));
	assert_int_equal(fake_arch.el1.far, far);
	assert_int_equal(fake_arch.el1.elr, UINT64_C(0x40202000));
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), M_EL2T);
	assert_int_equal(v->regs.pstate, DAIF | M_EL1H);
	assert_false(n->in_l2);
	assert_int_equal(fake_arch.injects, 2);
}

/* ERET to EL2h/EL2t stays at vEL2: the hardware's EL1h/EL1t. */
static void test_eret_within_vel2(void **state)
{
	struct vcpu *v = &fx.vcpu[0];
	struct vcpu_nested *n = &fx.nested[0];
	unsigned loads = fake_arch.el2_ctl_loads;

	(void)state;
	set_return(n, NZCV(3) | B(7) | M_EL2H, UINT64_C(0x40208000));
	assert_int_equal(vel2_eret(v, ESR_ERET), EXIT_CONTINUE);
	assert_false(n->in_l2);
	assert_int_equal(v->regs.pc, UINT64_C(0x40208000));
	assert_int_equal(v->regs.pstate, NZCV(3) | B(7) | M_EL1H);
	set_return(n, M_EL2T, UINT64_C(0x40209000));
	assert_int_equal(vel2_eret(v, ESR_ERET), EXIT_CONTINUE);
	assert_int_equal(v->regs.pc, UINT64_C(0x40209000));
	assert_int_equal(v->regs.pstate, M_EL1T);
	/* No switch: the controls are not reloaded. */
	assert_int_equal(fake_arch.el2_ctl_loads, loads);
	assert_false(n->in_l2);
}

/*
 * L1's HCR_EL2.VM 1: L2 runs on the shadow stage 2 of L1's VTTBR_EL2 and
 * VTCR_EL2 (its VTCR_EL2 loaded, its root and own VMID written before
 * each entry), held across exits to L1, changed when L1's key changes,
 * given back when L1 turns its stage 2 off.
 */
static void test_switch_shadow(void **state)
{
	struct vcpu *v = &fx.vcpu[0];
	struct vcpu_nested *n = &fx.nested[0];
	u64 vtcr = B(31) | (UINT64_C(2) << 16) | (UINT64_C(1) << 6) | 32;
	u64 vttbr1 = UINT64_C(5) << 48 | UINT64_C(0x40400000);
	u64 vttbr2 = UINT64_C(6) << 48 | UINT64_C(0x40400000);
	struct shadow_s2 *s;
	unsigned flushes = fake_arch.tlb_flush_local;

	(void)state;
	l1_state(n);
	vel2_set(&n->el2, VEL2_HCR_EL2, vel2_get(&n->el2, VEL2_HCR_EL2) | H_VM);
	vel2_set(&n->el2, VEL2_VTCR_EL2, vtcr);
	vel2_set(&n->el2, VEL2_VTTBR_EL2, vttbr1);
	set_return(n, DAIF | M_EL1H, UINT64_C(0x80000000));
	assert_int_equal(vel2_eret(v, ESR_ERET), EXIT_CONTINUE);
	s = n->shadow;
	assert_non_null(s);
	assert_false(n->l2_flat);
	assert_int_equal(s->vttbr, vttbr1);
	assert_int_equal(s->vtcr, vtcr);
	assert_int_equal(s->users, 1);
	assert_int_equal(fake_arch.el2_ctl.vtcr, s->hw_vtcr);
	assert_int_equal(fake_arch.tlb_flush_local, flushes);
	vel2_before_entry(v);
	assert_int_equal(fake_arch.vttbr & ((UINT64_C(1) << 48) - 1),
			 (u64)(uintptr_t)s->pt.root);
	assert_int_not_equal(fake_arch.vttbr >> 48, 0);
	assert_int_not_equal(fake_arch.vttbr >> 48, VM_VTTBR >> 48);
	vel2_after_exit(v);

	/* Back to L1 and into L2 again: the same shadow, still held once. */
	vel2_take(v, EXC_SYNC, UINT64_C(0x5a000000), NULL);
	assert_ptr_equal(n->shadow, s);
	set_return(n, DAIF | M_EL1H, UINT64_C(0x80000000));
	vel2_eret(v, ESR_ERET);
	assert_ptr_equal(n->shadow, s);
	assert_int_equal(s->users, 1);

	/* Another VMID of L1's: another shadow, the old one given back. */
	vel2_take(v, EXC_SYNC, UINT64_C(0x5a000000), NULL);
	vel2_set(&n->el2, VEL2_VTTBR_EL2, vttbr2);
	set_return(n, DAIF | M_EL1H, UINT64_C(0x80000000));
	vel2_eret(v, ESR_ERET);
	assert_non_null(n->shadow);
	assert_ptr_not_equal(n->shadow, s);
	assert_int_equal(s->users, 0);
	assert_int_equal(n->shadow->vttbr, vttbr2);
	s = n->shadow;

	/* L1's stage 2 off: L2 on the VM's own, the shadow given back. */
	vel2_take(v, EXC_SYNC, UINT64_C(0x5a000000), NULL);
	vel2_set(&n->el2, VEL2_HCR_EL2, vel2_get(&n->el2, VEL2_HCR_EL2) & ~H_VM);
	set_return(n, DAIF | M_EL1H, UINT64_C(0x80000000));
	vel2_eret(v, ESR_ERET);
	assert_null(n->shadow);
	assert_int_equal(s->users, 0);
	assert_true(n->l2_flat);
	assert_int_equal(fake_arch.el2_ctl.vtcr, VM_VTCR);
	assert_int_equal(fake_arch.el2_ctl.vttbr, VM_VTTBR);
}

int main(void)
{
#define T(f) UT_VEL2_TEST(f, &fx)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcr_to_el1),
		cmocka_unit_test(test_cpacr_from_cptr),
		cmocka_unit_test(test_virt_pstate),
		cmocka_unit_test(test_spsr_tracking),
		cmocka_unit_test(test_spsr_nv2),
		T(test_reset_state),
		T(test_switch_round_trip),
		T(test_irq_from_l2),
		T(test_take_at_vel2),
		T(test_eret_within_vel2),
		T(test_switch_shadow),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
