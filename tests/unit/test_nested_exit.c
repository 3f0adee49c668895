/*
 * Host tests of the exits of a vCPU with a virtual EL2
 * (src/cpu/nested_exit.c, vel2_handle_exit and vel2_before_entry), on
 * the fake arch: L2's exits that L1's HCR_EL2 traps (TWI, TSC, TVM; HVC
 * always) taken to vEL2 as the hardware would (ESR_EL2, ELR_EL2 and
 * SPSR_EL2 as the fake arch records them, PC = VBAR_EL2 + 0x400, EL2h
 * standing as EL1h on the hardware), the ones L1 did not ask for handled
 * as for a plain VM, HCR_EL2.HCD, L1's IRQ preempting L2, HVC at vEL2,
 * ERET from vEL2 (to L2, within vEL2, illegal returns, ERETAA/ERETAB)
 * and the exits counted per level. Expected values follow the Arm ARM
 * (D1.3 exception entry and return, "Illegal return events from AArch64
 * state"; D19.2 HCR_EL2 and ESR_EL2), written out here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/el2_ctl.h>
#include <nv/exit.h>
#include <nv/fake_arch.h>
#include <nv/log.h>
#include <nv/percpu.h>
#include <nv/psci.h>
#include <nv/trap.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vel2.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include "helpers.h"
#include "vel2_fixture.h"

#define B(n) (UINT64_C(1) << (n))

/* HCR_EL2 */
#define H_VM B(0)
#define H_FMO B(3)
#define H_IMO B(4)
#define H_AMO B(5)
#define H_TWI B(13)
#define H_TSC B(19)
#define H_TVM B(26)
#define H_TGE B(27)
#define H_HCD B(29)
#define H_RW B(31)


/* ESR_ELx: EC [31:26], IL [25], ISS. */
#define ESR(ec, iss) ((u64)(ec) << 26 | B(25) | (iss))
#define EC_UNKNOWN_ 0x00
#define EC_WFX_ 0x01
#define EC_HVC_ 0x16
#define EC_SMC_ 0x17
#define EC_SYS_ 0x18
#define EC_ERET_ 0x1a
#define EC_DABT_LOW_ 0x24
/* MSR/MRS ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], read [0]. */
#define SYS_ISS(op0, op1, crn, crm, op2, rt, read)                             \
	((u64)(op0) << 20 | (u64)(op2) << 17 | (u64)(op1) << 14 |              \
	 (u64)(crn) << 10 | (u64)(rt) << 5 | (u64)(crm) << 1 | (read))

/* Exception vector offsets (Arm ARM D1.3.1). */
#define CUR_SPX_SYNC 0x200
#define LOWER_SYNC 0x400
#define LOWER_IRQ 0x480

#define VEC_SYNC (TRAP_LOWER_A64 * 4 + TRAP_SYNC)
#define VBAR2 UINT64_C(0x40200000)  /* L1's VBAR_EL2 */
#define VBAR1 UINT64_C(0x80080000)  /* L2's VBAR_EL1 */
#define L1_PC UINT64_C(0x40210000)
#define L2_PC UINT64_C(0x80001000)
#define VM_VTTBR UT_VEL2_VTTBR
#define VM_VTCR UT_VEL2_VTCR
#define PPI 20u

/* nestvisor's policy for guests, as arch_el2_policy() gives it. */
static struct ut_vel2 fx = { .policy = {
	.hcr = H_VM | H_FMO | H_IMO | H_AMO | H_RW | B(19) /* TSC */,
	.cptr = UINT64_C(0x22ff),
	.mdcr = 0,
} };
static const struct el2_policy *const policy = &fx.policy;
static struct vm *const vm = &fx.vm;
static struct vcpu *const v = &fx.vcpu[0];
static struct vcpu_nested *const n = &fx.nested[0];

static enum exit_action sync_exit(u64 esr)
{
	v->regs.esr_el2 = esr;
	return vel2_handle_exit(v, VEC_SYNC);
}

/* MSR <EL2 register>, x<rt> at vEL2 (EC 0x18, write), as L1 issues it. */
static void l1_msr(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
		   unsigned op2, u64 val)
{
	u64 pc = v->regs.pc;

	v->regs.x[7] = val;
	assert_int_equal(sync_exit(ESR(EC_SYS_, SYS_ISS(op0, op1, crn, crm, op2, 7, 0))),
			 EXIT_CONTINUE);
	assert_int_equal(v->regs.pc, pc + 4);
}

/* L1 programs VBAR_EL2, its HCR_EL2 and the return to (spsr, elr). */
static void l1_prepare(u64 hcr, u64 spsr, u64 elr)
{
	l1_msr(3, 4, 12, 0, 0, VBAR2); /* VBAR_EL2 */
	l1_msr(3, 4, 1, 1, 0, hcr);    /* HCR_EL2 */
	l1_msr(3, 4, 4, 0, 1, elr);    /* ELR_EL2 */
	l1_msr(3, 4, 4, 0, 0, spsr);   /* SPSR_EL2 */
}

/* L1 enters L2 at EL1h, L2_PC, with its VBAR_EL1 set: ERET from vEL2. */
static void enter_l2(u64 hcr)
{
	l1_msr(3, 0, 12, 0, 0, VBAR1); /* VBAR_EL1 (L2's, trapped) */
	l1_prepare(hcr, DAIF | M_EL1H, L2_PC);
	assert_int_equal(sync_exit(ESR(EC_ERET_, 0)), EXIT_CONTINUE);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, L2_PC);
	assert_int_equal(v->regs.pstate, DAIF | M_EL1H);
	assert_int_equal(fake_arch.el1.vbar, VBAR1);
	memset(n->exits, 0, sizeof(n->exits));
	memset(n->reasons, 0, sizeof(n->reasons));
	memset(v->exit_reasons, 0, sizeof(v->exit_reasons));
	n->forwarded = 0;
}

/*
 * An exception taken to vEL2 from L2 at pc with pstate: ESR_EL2 esr,
 * ELR_EL2 pc, SPSR_EL2 pstate (the fake arch's record and L1's view),
 * PC at VBAR_EL2 + off, PSTATE EL2h with DAIF masked (EL1h on the
 * hardware), L1 running.
 */
static void assert_at_vel2(u64 esr, u64 pc, u64 pstate, u64 off)
{
	assert_false(n->in_l2);
	assert_int_equal(fake_arch.inject_esr, esr);
	assert_int_equal(fake_arch.inject_elr, pc);
	assert_int_equal(fake_arch.inject_spsr, pstate);
	assert_int_equal(fake_arch.el1.esr, esr);
	assert_int_equal(fake_arch.el1.elr, pc);
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), pstate);
	assert_int_equal(v->regs.pc, VBAR2 + off);
	assert_int_equal(v->regs.pstate & 0x3df, DAIF | M_EL1H);
	assert_int_equal(vel2_virt_pstate(n, v->regs.pstate) & 0x3df, DAIF | M_EL2H);
}

/* --- L2's exits given to L1 --- */

/* WFI with L1's TWI (preferred return: the WFI). */
static void test_l2_wfi_twi(void **state)
{
	u64 esr = ESR(EC_WFX_, B(24) | (UINT64_C(0xe) << 20));

	(void)state;
	enter_l2(H_RW | H_TWI | H_IMO);
	v->regs.pc = L2_PC + 0x40;
	v->regs.pstate = NZCV(4) | M_EL1H;
	assert_int_equal(sync_exit(esr), EXIT_CONTINUE);
	assert_at_vel2(esr, L2_PC + 0x40, NZCV(4) | M_EL1H, LOWER_SYNC);
	assert_int_equal(n->forwarded, 1);
	assert_int_equal(n->exits[NESTED_L2], 1);
	assert_int_equal(n->exits[NESTED_L1], 0);
	assert_int_equal(v->exit_reasons[EXIT_R_WFX], 0); /* not L0's WFI */
}

/* SMC with L1's TSC (preferred return: the SMC itself). */
static void test_l2_smc_tsc(void **state)
{
	u64 esr = ESR(EC_SMC_, 0x1234);

	(void)state;
	enter_l2(H_RW | H_TSC);
	v->regs.pc = L2_PC + 0x80;
	v->regs.pstate = DAIF | M_EL1H;
	v->regs.x[0] = 0x84000000; /* PSCI_VERSION: not nestvisor's to answer */
	assert_int_equal(sync_exit(esr), EXIT_CONTINUE);
	assert_at_vel2(esr, L2_PC + 0x80, DAIF | M_EL1H, LOWER_SYNC);
	assert_int_equal(v->regs.x[0], 0x84000000);
	assert_int_equal(n->forwarded, 1);
}

/* MSR SCTLR_EL1 of L2 with L1's TVM (preferred return: the MSR). */
static void test_l2_sctlr_write_tvm(void **state)
{
	u64 esr = ESR(EC_SYS_, SYS_ISS(3, 0, 1, 0, 0, 3, 0));

	(void)state;
	enter_l2(H_RW | H_TVM);
	v->regs.pc = L2_PC + 0xc0;
	v->regs.pstate = M_EL1T;
	v->regs.x[3] = 0x30d00801;
	assert_int_equal(sync_exit(esr), EXIT_CONTINUE);
	assert_at_vel2(esr, L2_PC + 0xc0, M_EL1T, LOWER_SYNC);
	/* L2's SCTLR_EL1 is not written: L1 emulates the MSR. */
	assert_int_not_equal(vel2_get(&n->el2, VEL2_SCTLR_EL1), 0x30d00801);
	assert_int_equal(n->forwarded, 1);
}

/* HVC of L2 goes to L1 whatever L1's HCR_EL2 (preferred return: next). */
static void test_l2_hvc(void **state)
{
	u64 esr = ESR(EC_HVC_, 0);

	(void)state;
	enter_l2(H_RW);
	v->regs.pc = L2_PC + 0x104; /* after the HVC */
	v->regs.pstate = DAIF | M_EL1H;
	v->regs.x[0] = 0x84000000; /* PSCI_VERSION: L1's to answer */
	assert_int_equal(sync_exit(esr), EXIT_CONTINUE);
	assert_at_vel2(esr, L2_PC + 0x104, DAIF | M_EL1H, LOWER_SYNC);
	assert_int_equal(v->regs.x[0], 0x84000000);
	assert_int_equal(n->forwarded, 1);
	assert_int_equal(n->exits[NESTED_L2], 1);
	/* From L2 at EL0 the same vector. */
	enter_l2(H_RW);
	v->regs.pc = L2_PC + 0x204;
	v->regs.pstate = M_EL0T;
	sync_exit(ESR(EC_HVC_, 7));
	assert_at_vel2(ESR(EC_HVC_, 7), L2_PC + 0x204, M_EL0T, LOWER_SYNC);
}

/* A WFI L1 does not trap is nestvisor's: skipped, the vCPU blocks, in L2. */
static void test_l2_wfi_plain(void **state)
{
	(void)state;
	enter_l2(H_RW | H_TSC);
	v->regs.pc = L2_PC + 0x40;
	assert_int_equal(sync_exit(ESR(EC_WFX_, 0)), EXIT_BLOCK);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, L2_PC + 0x44);
	assert_int_equal(fake_arch.injects, 0);
	assert_int_equal(n->forwarded, 0);
	assert_int_equal(n->exits[NESTED_L2], 1);
	assert_int_equal(n->reasons[NESTED_L2][EXIT_R_WFX], 1);
	assert_int_equal(n->reasons[NESTED_L1][EXIT_R_WFX], 0);
	/* An SMC without L1's TSC: nestvisor's PSCI answers L2. */
	v->regs.pstate = M_EL1H;
	sync_exit(ESR(EC_HVC_, 0)); /* back to L1 */
	enter_l2(H_RW);
	v->regs.pc = L2_PC + 0x80;
	v->regs.x[0] = 0x84000000;
	assert_int_equal(sync_exit(ESR(EC_SMC_, 0)), EXIT_CONTINUE);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.x[0], 0x10001); /* PSCI 1.1 */
	assert_int_equal(v->regs.pc, L2_PC + 0x84);
	assert_int_equal(n->reasons[NESTED_L2][EXIT_R_SMC], 1);
	assert_int_equal(n->forwarded, 0);
}

/*
 * HCR_EL2.HCD: HVC is UNDEFINED at L2's EL1, taken there (L2's
 * VBAR_EL1 + 0x200, EC 0) and L1 never sees it.
 */
static void test_l2_hvc_hcd_undef(void **state)
{
	(void)state;
	enter_l2(H_RW | H_HCD);
	v->regs.pc = L2_PC + 0x104;
	v->regs.pstate = DAIF | M_EL1H;
	assert_int_equal(sync_exit(ESR(EC_HVC_, 0)), EXIT_CONTINUE);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, VBAR1 + CUR_SPX_SYNC);
	assert_int_equal(fake_arch.inject_esr, ESR(EC_UNKNOWN_, 0));
	assert_int_equal(fake_arch.inject_spsr, DAIF | M_EL1H);
	assert_int_equal(v->regs.pstate & 0x3df, DAIF | M_EL1H);
	assert_int_equal(n->forwarded, 0);
	assert_int_equal(n->reasons[NESTED_L2][EXIT_R_UNDEF], 1);
}

/*
 * With HCR_EL2.HCD, L2's HVC is an UNDEFINED instruction, whose preferred
 * return address is the HVC itself (Arm ARM D1.3, "Preferred exception
 * return address"), while the hardware's HVC exit gives ELR_EL2 = the
 * HVC + 4: L2's ELR_EL1 must be the HVC's address. (Once a BUG case.)
 */
static void test_l2_hvc_hcd_undef_elr(void **state)
{
	(void)state;
	enter_l2(H_RW | H_HCD);
	v->regs.pc = L2_PC + 0x104; /* ELR_EL2 of the HVC exit: HVC at 0x100 */
	v->regs.pstate = DAIF | M_EL1H;
	sync_exit(ESR(EC_HVC_, 0));
	assert_int_equal(fake_arch.inject_elr, L2_PC + 0x100);
	assert_int_equal(fake_arch.el1.elr, L2_PC + 0x100);
}

/* --- L1's interrupts while L2 runs --- */

/* PPI 20 pending for the vCPU, Group 1, enabled. */
static void make_l1_irq_pending(void)
{
	ut_mmio_write(vm, v, UT_VEL2_DIST, 4, B(1)); /* GICD_CTLR.EnableGrp1 */
	ut_mmio_write(vm, v, UT_VEL2_REDIST + 0x14, 4, 0); /* GICR_WAKER */
	ut_mmio_write(vm, v, UT_VEL2_REDIST + 0x10000 + 0x80, 4, B(PPI)); /* IGROUPR0 */
	ut_mmio_write(vm, v, UT_VEL2_REDIST + 0x10000 + 0x100, 4, B(PPI)); /* ISENABLER0 */
	vgic_set_pending(vm, v, PPI);
	assert_true(vgic_pending(v));
}

/* With L1's IMO, its IRQ preempts L2 before the entry: vEL2 + 0x480. */
static void test_irq_preempts_l2(void **state)
{
	unsigned vich = fake_arch.vich_loads;
	unsigned vgic = fake_arch.vgic_loads;
	u64 esr2;

	(void)state;
	enter_l2(H_RW | H_IMO);
	esr2 = fake_arch.inject_esr; /* nothing injected yet: 0 */
	make_l1_irq_pending();
	v->regs.pc = L2_PC + 0x300;
	v->regs.pstate = NZCV(2) | M_EL1H; /* L2's PSTATE.I does not mask it */
	vel2_before_entry(v);
	assert_false(n->in_l2);
	assert_int_equal(v->regs.pc, VBAR2 + LOWER_IRQ);
	assert_int_equal(fake_arch.inject_elr, L2_PC + 0x300);
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), NZCV(2) | M_EL1H);
	assert_int_equal(v->regs.pstate, NZCV(2) | DAIF | M_EL1H); /* NZCV kept */
	/* No syndrome for an interrupt: ESR_EL2 as L1 left it. */
	assert_int_equal(fake_arch.inject_esr, esr2);
	assert_int_equal(n->forwarded, 1);
	/* L1 enters with its own vGIC state, not L2's. */
	assert_int_equal(fake_arch.vgic_loads, vgic + 1);
	assert_int_equal(fake_arch.vich_loads, vich);
}

/*
 * Without IMO L1's IRQ does not preempt L2: L2 enters, and on the vCPU's
 * own list registers (the interface L1 itself has: with IMO 0 EL1's ICC_*
 * are not the virtual ones), where it takes L1's interrupts directly.
 * With IMO, on those built from L1's.
 */
static void test_irq_no_imo(void **state)
{
	unsigned vich = fake_arch.vich_loads, plain;

	(void)state;
	/* Nothing pending: no preemption, even with IMO. */
	enter_l2(H_RW | H_IMO);
	assert_false(vgic_pending(v));
	v->regs.pc = L2_PC + 0x300;
	vel2_before_entry(v);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, L2_PC + 0x300);
	assert_int_equal(fake_arch.vich_loads, vich + 1);
	/* Pending, IMO 0: L2 enters all the same, on the vCPU's own LRs. */
	v->regs.pstate = M_EL1H;
	sync_exit(ESR(EC_HVC_, 0));
	enter_l2(H_RW);
	make_l1_irq_pending();
	v->regs.pc = L2_PC + 0x300;
	plain = fake_arch.vgic_loads;
	vel2_before_entry(v);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, L2_PC + 0x300);
	assert_int_equal(fake_arch.vich_loads, vich + 1);
	assert_int_equal(fake_arch.vgic_loads, plain + 1);
	assert_int_equal(n->forwarded, 0);
}

/*
 * HCR_EL2.IMO routes IRQs, FMO FIQs (Arm ARM D1.3.4, "Asynchronous
 * exception routing"): with L1's IMO 0 an IRQ (Group 1) of L1's does not
 * enter vEL2 at +0x480 because of FMO alone. (Once a BUG case.)
 */
static void test_irq_fmo_only(void **state)
{
	(void)state;
	enter_l2(H_RW | H_FMO);
	make_l1_irq_pending();
	v->regs.pc = L2_PC + 0x300;
	vel2_before_entry(v);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, L2_PC + 0x300);
	assert_int_equal(n->forwarded, 0);
}

/* --- L1's own exits --- */

/* HVC at vEL2 is taken to vEL2: current EL with SP_EL2, +0x200. */
static void test_hvc_at_vel2(void **state)
{
	u64 esr = ESR(EC_HVC_, 0x42);

	(void)state;
	l1_msr(3, 4, 12, 0, 0, VBAR2);
	v->regs.pc = L1_PC + 0x44; /* after the HVC */
	v->regs.pstate = NZCV(6) | M_EL1H;
	assert_int_equal(sync_exit(esr), EXIT_CONTINUE);
	assert_int_equal(v->regs.pc, VBAR2 + CUR_SPX_SYNC);
	assert_int_equal(fake_arch.inject_esr, esr);
	assert_int_equal(fake_arch.inject_elr, L1_PC + 0x44);
	assert_int_equal(fake_arch.inject_spsr, NZCV(6) | M_EL2H);
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), NZCV(6) | M_EL2H);
	assert_int_equal(v->regs.pstate, NZCV(6) | DAIF | M_EL1H);
	assert_false(n->in_l2);
	assert_int_equal(n->reasons[NESTED_L1][EXIT_R_HVC], 1);
	assert_int_equal(n->forwarded, 0);
	/* From vEL2t: the current EL with SP_EL0, +0x000. */
	v->regs.pc = L1_PC + 0x84;
	v->regs.pstate = M_EL1T;
	sync_exit(esr);
	assert_int_equal(v->regs.pc, VBAR2);
	assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), M_EL2T);
}

/*
 * ERET with SPSR_EL2 EL1h: L2 runs at ELR_EL2 with the EL2 controls of
 * el2_ctl_l2 loaded: the policy, stage 2 on, L1's TWI added (its RW and
 * IMO are not traps), the VM's own stage 2 (L1's HCR_EL2.VM 0).
 */
static void test_eret_to_l2(void **state)
{
	unsigned loads = fake_arch.el2_ctl_loads;

	(void)state;
	l1_prepare(H_RW | H_TWI | H_IMO, NZCV(1) | M_EL1H, L2_PC);
	assert_int_equal(sync_exit(ESR(EC_ERET_, 0)), EXIT_CONTINUE);
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, L2_PC);
	assert_int_equal(v->regs.pstate, NZCV(1) | M_EL1H);
	assert_int_equal(fake_arch.el2_ctl_loads, loads + 1);
	assert_int_equal(fake_arch.el2_ctl.hcr, policy->hcr | H_TWI);
	assert_int_equal(fake_arch.el2_ctl.cptr, policy->cptr);
	assert_int_equal(fake_arch.el2_ctl.vttbr, VM_VTTBR);
	assert_int_equal(fake_arch.el2_ctl.vtcr, VM_VTCR);
	assert_int_equal(fake_arch.injects, 0);
	/* To EL0t: L2's EL0. */
	v->regs.pstate = M_EL1H;
	sync_exit(ESR(EC_HVC_, 0));
	assert_false(n->in_l2);
	l1_prepare(H_RW, M_EL0T, UINT64_C(0x400000));
	sync_exit(ESR(EC_ERET_, 0));
	assert_true(n->in_l2);
	assert_int_equal(v->regs.pc, UINT64_C(0x400000));
	assert_int_equal(v->regs.pstate, M_EL0T);
}

/* ERET with SPSR_EL2 EL2h/EL2t stays at vEL2: no switch. */
static void test_eret_within_vel2(void **state)
{
	unsigned loads;

	(void)state;
	l1_prepare(H_RW, NZCV(8) | DAIF | M_EL2H, L1_PC + 0x1000);
	loads = fake_arch.el2_ctl_loads;
	sync_exit(ESR(EC_ERET_, 0));
	assert_false(n->in_l2);
	assert_int_equal(v->regs.pc, L1_PC + 0x1000);
	assert_int_equal(v->regs.pstate, NZCV(8) | DAIF | M_EL1H);
	assert_int_equal(fake_arch.el2_ctl_loads, loads);
	l1_prepare(H_RW, M_EL2T, L1_PC + 0x2000);
	sync_exit(ESR(EC_ERET_, 0));
	assert_int_equal(v->regs.pc, L1_PC + 0x2000);
	assert_int_equal(v->regs.pstate, M_EL1T);
	assert_false(n->in_l2);
}

/*
 * Illegal exception returns (Arm ARM, "Illegal return events from
 * AArch64 state"): to EL3 (not implemented for L1), a reserved M[3:0]
 * (0b0001, 0b0010, 0b0011, 0b0110, 0b0111, 0b1010, 0b1011, 0b1110,
 * 0b1111), AArch32 (not implemented at any EL of L1's), EL1 with
 * HCR_EL2.TGE. PC = ELR_EL2, PSTATE from SPSR_EL2 except EL, nRW and SP,
 * which stay; PSTATE.IL set; no switch to L2.
 */
static void test_eret_illegal(void **state)
{
	static const struct {
		u64 m;
		u64 hcr;
	} bad[] = {
		{ 0xc, H_RW }, { 0xd, H_RW },                 /* EL3t, EL3h */
		{ 0x1, H_RW }, { 0x2, H_RW }, { 0x3, H_RW },
		{ 0x6, H_RW }, { 0x7, H_RW }, { 0xa, H_RW },
		{ 0xb, H_RW }, { 0xe, H_RW }, { 0xf, H_RW },  /* reserved */
		{ 0x10, H_RW }, { 0x13, H_RW }, { 0x1a, H_RW }, /* AArch32 usr, svc, hyp */
		{ M_EL1H, H_RW | H_TGE }, { M_EL1T, H_RW | H_TGE },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		u64 spsr = NZCV(0xa) | B(8) | B(6) | bad[i].m; /* A and F */
		u64 elr = L1_PC + 0x100 * (i + 1);
		unsigned loads;

		v->regs.pstate = DAIF | M_EL1H; /* at vEL2h */
		l1_prepare(bad[i].hcr, spsr, elr);
		loads = fake_arch.el2_ctl_loads;
		assert_int_equal(sync_exit(ESR(EC_ERET_, 0)), EXIT_CONTINUE);
		assert_false(n->in_l2);
		assert_int_equal(v->regs.pc, elr);
		assert_int_equal(v->regs.pstate, NZCV(0xa) | B(8) | B(6) | IL | M_EL1H);
		assert_int_equal(vel2_virt_pstate(n, v->regs.pstate),
				 NZCV(0xa) | B(8) | B(6) | IL | M_EL2H);
		assert_int_equal(fake_arch.el2_ctl_loads, loads);
		assert_int_equal(fake_arch.injects, 0);
	}
	/* From vEL2t the EL and SP_EL0 stay. */
	v->regs.pstate = M_EL1T;
	l1_prepare(H_RW, 0xd, L1_PC);
	sync_exit(ESR(EC_ERET_, 0));
	assert_int_equal(v->regs.pstate, IL | M_EL1T);
	/* EL0 with TGE is a legal return. */
	v->regs.pstate = DAIF | M_EL1H;
	l1_prepare(H_RW | H_TGE, M_EL0T, UINT64_C(0x400000));
	sync_exit(ESR(EC_ERET_, 0));
	assert_int_equal(v->regs.pstate & IL, 0);
	assert_int_equal(v->regs.pstate, M_EL0T);
}

/*
 * ERETAA and ERETAB (ESR ISS.ERET [1] 1, ISS.ERETA [0] the key) are not
 * emulated: UNDEFINED at vEL2 (EC 0 at VBAR_EL2 + 0x200, ELR_EL2 the
 * instruction), no return, no switch.
 */
static void test_eretaa_undef(void **state)
{
	(void)state;
	for (unsigned key = 0; key < 2; key++) {
		l1_prepare(H_RW, DAIF | M_EL1H, L2_PC);
		v->regs.pc = L1_PC + 0x500;
		v->regs.pstate = DAIF | M_EL1H;
		assert_int_equal(sync_exit(ESR(EC_ERET_, 2 | key)), EXIT_CONTINUE);
		assert_false(n->in_l2);
		assert_int_equal(v->regs.pc, VBAR2 + CUR_SPX_SYNC);
		assert_int_equal(fake_arch.inject_esr, ESR(EC_UNKNOWN_, 0));
		assert_int_equal(fake_arch.inject_elr, L1_PC + 0x500);
		assert_int_equal(vel2_spsr_read(n, &fake_arch.el1), DAIF | M_EL2H);
		assert_int_equal(n->reasons[NESTED_L1][EXIT_R_UNDEF], key + 1);
	}
}

/* An EL2 register access L1 may not make: UNDEFINED at vEL2, not skipped. */
static void test_l1_sysreg_undef(void **state)
{
	(void)state;
	l1_msr(3, 4, 12, 0, 0, VBAR2);
	v->regs.pc = L1_PC + 0x600;
	v->regs.x[2] = 1;
	/* MSR ICH_VTR_EL2, x2 (read-only) */
	assert_int_equal(sync_exit(ESR(EC_SYS_, SYS_ISS(3, 4, 12, 11, 1, 2, 0))),
			 EXIT_CONTINUE);
	assert_int_equal(v->regs.pc, VBAR2 + CUR_SPX_SYNC);
	assert_int_equal(fake_arch.inject_elr, L1_PC + 0x600);
	assert_int_equal(fake_arch.inject_esr, ESR(EC_UNKNOWN_, 0));
	/* MRS x4, TTBR1_EL2 (FEAT_VHE not offered): x4 unchanged. */
	v->regs.pc = L1_PC + 0x700;
	v->regs.x[4] = 0x4444;
	sync_exit(ESR(EC_SYS_, SYS_ISS(3, 4, 2, 0, 1, 4, 1)));
	assert_int_equal(v->regs.x[4], 0x4444);
	assert_int_equal(fake_arch.inject_elr, L1_PC + 0x700);
	/* MRS x5, VBAR_EL2 reads it back; xzr as Rt is not written. */
	v->regs.pc = L1_PC + 0x800;
	sync_exit(ESR(EC_SYS_, SYS_ISS(3, 4, 12, 0, 0, 5, 1)));
	assert_int_equal(v->regs.x[5], VBAR2);
	assert_int_equal(v->regs.pc, L1_PC + 0x804);
}

/*
 * Accounting: exits per level and by reason, and those given to L1.
 * Three MSRs and an ERET of L1, then L2's plain WFI and forwarded HVC,
 * then L1's WFI.
 */
static void test_accounting(void **state)
{
	(void)state;
	memset(n->exits, 0, sizeof(n->exits));
	memset(n->reasons, 0, sizeof(n->reasons));
	l1_msr(3, 4, 12, 0, 0, VBAR2);
	l1_msr(3, 4, 4, 0, 1, L2_PC);
	l1_msr(3, 4, 4, 0, 0, M_EL1H);
	sync_exit(ESR(EC_ERET_, 0));
	assert_true(n->in_l2);
	assert_int_equal(sync_exit(ESR(EC_WFX_, 0)), EXIT_BLOCK);
	v->regs.pstate = M_EL1H;
	sync_exit(ESR(EC_HVC_, 0));
	assert_false(n->in_l2);
	assert_int_equal(sync_exit(ESR(EC_WFX_, 0)), EXIT_BLOCK);

	assert_int_equal(n->exits[NESTED_L1], 5);
	assert_int_equal(n->exits[NESTED_L2], 2);
	assert_int_equal(n->reasons[NESTED_L1][EXIT_R_SYSREG], 3);
	assert_int_equal(n->reasons[NESTED_L1][EXIT_R_WFX], 1);
	assert_int_equal(n->reasons[NESTED_L2][EXIT_R_WFX], 1);
	assert_int_equal(n->reasons[NESTED_L2][EXIT_R_SYSREG], 0);
	assert_int_equal(n->reasons[NESTED_L1][EXIT_R_HVC], 0);
	assert_int_equal(n->forwarded, 1);
	/* The vCPU's own counts are the sums over the levels. */
	for (unsigned r = 0; r < EXIT_REASONS; r++)
		assert_int_equal(v->exit_reasons[r],
				 n->reasons[NESTED_L1][r] + n->reasons[NESTED_L2][r]);
}

/*
 * A Data Abort of L1's with ISS.VNCR (bit 13, FEAT_NV2: the access went
 * to the VNCR page and faulted in nestvisor's EL2 stage 1) stops the VM
 * with a message; the same abort without the bit is the plain handler's.
 */
static void test_vncr_fault(void **state)
{
	/* DFSC 0x07: translation fault, level 3; WnR. */
	u64 esr = ESR(EC_DABT_LOW_, B(13) | B(6) | 0x07);

	(void)state;
	vm->state = VM_RUNNING;
	v->regs.far_el2 = 0x40001078;
	assert_int_equal(sync_exit(esr), EXIT_STOP);
	assert_int_equal(vm->state, VM_OFF);
	assert_true(vm->failed);
	assert_non_null(strstr(capture_text(), "fault on the VNCR page"));
	assert_non_null(strstr(capture_text(), "0x40001078"));
}

/*
 * Under NV2 L1's ICH_HCR_EL2 and ICH_LR<n>_EL2 are in its VNCR page
 * (offsets 0x4c0 and 0x400 + 8n): the nested vGIC takes them from there,
 * sanitised as a trapped write (an LR's RES0 bits [47:45] and vINTID past
 * 24 bits dropped), and gives its view back.
 */
static void test_gic_page(void **state)
{
	u64 val = 0;

	(void)state;
	fx.vncr[0][0x4c0 / 8] = 0x1;                             /* En */
	fx.vncr[0][0x400 / 8] = UINT64_C(0x50a0e00000000005);  /* pending, Group 1, prio 0xa0, RES0 set */
	vel2_gic_from_page(n);
	assert_int_equal(n->gic.hcr, 0x1);
	assert_int_equal(n->gic.lr[0], UINT64_C(0x50a0000000000005));
	/* L2 acknowledged it: active (State 0b10), folded back into the page. */
	val = UINT64_C(0x90a0000000000005);
	assert_true(vgic_nested_sysreg(&n->gic, SYSREG_ENC(3, 4, 12, 12, 0), true, &val));
	vel2_gic_to_page(n);
	assert_int_equal(fx.vncr[0][0x400 / 8], UINT64_C(0x90a0000000000005));
	assert_int_equal(fx.vncr[0][0x4c0 / 8], 0x1);
}

/*
 * Under NV2, L1's maintenance PPI (25) in the vCPU's list registers while
 * L1 runs: HW 0 with EOI 1, so that L1's EOI exits (L1 cleared the cause
 * in its page, unseen until an exit); once active, without the pending
 * state its line still high gives it at the flush: pending and active, the
 * EOI would leave it pending and L1 would take it again before the exit.
 */
static void test_maint_lr_nv2(void **state)
{
	const u32 maint = n->gic.maint_intid;
	u64 lr;

	(void)state;
	n->nv2 = true;
	ut_mmio_write(vm, v, UT_VEL2_DIST, 4, B(1)); /* GICD_CTLR.EnableGrp1 */
	ut_mmio_write(vm, v, UT_VEL2_REDIST + 0x14, 4, 0); /* GICR_WAKER */
	ut_mmio_write(vm, v, UT_VEL2_REDIST + 0x10000 + 0x80, 4, B(maint)); /* IGROUPR0 */
	ut_mmio_write(vm, v, UT_VEL2_REDIST + 0x10000 + 0x100, 4, B(maint)); /* ISENABLER0 */
	vgic_set_level(vm, v, maint, true);
	vel2_before_entry(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	lr = v->vgic.lr[0];
	assert_int_equal(lr & ICH_LR_VINTID_MASK, maint);
	assert_int_equal(vgic_lr_state(lr), ICH_LR_STATE_PENDING);
	assert_true(lr & ICH_LR_EOI);
	assert_false(lr & ICH_LR_HW);
	/* L1 acknowledges it (the hardware makes it active); its line stays high. */
	v->vgic.lr[0] = (lr & ~ICH_LR_STATE_MASK) | field_prep(ICH_LR_STATE_MASK, ICH_LR_STATE_ACTIVE);
	vel2_after_exit(v);
	vel2_before_entry(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	lr = v->vgic.lr[0];
	assert_int_equal(lr & ICH_LR_VINTID_MASK, maint);
	assert_int_equal(vgic_lr_state(lr), ICH_LR_STATE_ACTIVE);
	assert_true(lr & ICH_LR_EOI);
	/* Under nv the line is exact at every trap: the LR as the vGIC makes it. */
	n->nv2 = false;
	vel2_after_exit(v);
	vel2_before_entry(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE);
	assert_false(v->vgic.lr[0] & ICH_LR_EOI);
}

/*
 * The short path (vel2_handle_exit_fast): a TLBI VAE1IS of L1 at vEL2
 * with {E2H, TGE} = {1, 1} runs as itself (arch_tlbi_el1_is), the PC
 * past it, counted as an L1 system-register exit; every other exit, or
 * the same TLBI with TGE 0 (L2's regime), E2H 0, a read, an EL2 form or
 * from L2, is left to the full path, nothing changed.
 */
static void test_fast_tlbi_in_host(void **state)
{
	const u64 host = B(34) | H_RW | H_TGE; /* E2H */
	u64 tlbi = ESR(EC_SYS_, SYS_ISS(1, 0, 8, 3, 1, 7, 0)); /* TLBI VAE1IS, x7 */
	unsigned own = fake_arch.tlbi_el1_is;

	(void)state;
	n->feat.vhe = true;
	vel2_set(&n->el2, VEL2_HCR_EL2, host);
	vel2_e2h_sync(v);
	assert_true(n->e2h);
	u64 exits = v->exits, l1 = n->exits[NESTED_L1], sys = n->reasons[NESTED_L1][EXIT_R_SYSREG];
	u64 tlbis = n->tlbis[0];
	v->regs.pc = L1_PC;
	v->regs.x[7] = 0x1234;
	v->regs.esr_el2 = tlbi;
	assert_true(vel2_handle_exit_fast(v, VEC_SYNC));
	assert_int_equal(v->regs.pc, L1_PC + 4);
	assert_int_equal(fake_arch.tlbi_el1_is, own + 1);
	assert_int_equal(fake_arch.tlbi_el1_enc, (1u << 14) | (8u << 7) | (3u << 3) | 1u);
	assert_int_equal(v->exits, exits + 1);
	assert_int_equal(n->exits[NESTED_L1], l1 + 1);
	assert_int_equal(n->reasons[NESTED_L1][EXIT_R_SYSREG], sys + 1);
	assert_int_equal(n->tlbis[0], tlbis + 1);

	/* Left to the full path. */
	static const u64 others[] = {
		ESR(EC_SYS_, SYS_ISS(1, 0, 8, 3, 1, 7, 1)), /* the read form */
		ESR(EC_SYS_, SYS_ISS(1, 4, 8, 3, 1, 7, 0)), /* TLBI VAE2IS */
		ESR(EC_SYS_, SYS_ISS(3, 0, 1, 0, 0, 7, 0)), /* MSR SCTLR_EL1 */
		ESR(EC_HVC_, 0),
	};
	for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		v->regs.esr_el2 = others[i];
		assert_false(vel2_handle_exit_fast(v, VEC_SYNC));
	}
	v->regs.esr_el2 = tlbi;
	assert_false(vel2_handle_exit_fast(v, TRAP_LOWER_A64 * 4 + TRAP_IRQ));
	vel2_set(&n->el2, VEL2_HCR_EL2, host & ~H_TGE);
	assert_false(vel2_handle_exit_fast(v, VEC_SYNC));
	vel2_set(&n->el2, VEL2_HCR_EL2, host);
	n->e2h = false; /* the page says E2H 1, the CPU's layout is not yet */
	assert_false(vel2_handle_exit_fast(v, VEC_SYNC));
	n->e2h = true;
	n->in_l2 = true;
	assert_false(vel2_handle_exit_fast(v, VEC_SYNC));
	n->in_l2 = false;
	assert_int_equal(v->regs.pc, L1_PC + 4);
	assert_int_equal(fake_arch.tlbi_el1_is, own + 1);
	assert_int_equal(v->exits, exits + 1);
	assert_int_equal(n->tlbis[0], tlbis + 1);
}

/* TPIDR_EL2 on the short path: written to and read from the file's row. */
static void test_fast_tpidr_el2(void **state)
{
	u64 exits = v->exits, sys = n->reasons[NESTED_L1][EXIT_R_SYSREG];

	(void)state;
	v->regs.pc = L1_PC;
	v->regs.x[7] = 0xffff800012345000;
	v->regs.esr_el2 = ESR(EC_SYS_, SYS_ISS(3, 4, 13, 0, 2, 7, 0)); /* MSR TPIDR_EL2, x7 */
	assert_true(vel2_handle_exit_fast(v, VEC_SYNC));
	assert_int_equal(vel2_get(&n->el2, VEL2_TPIDR_EL2), 0xffff800012345000);
	v->regs.esr_el2 = ESR(EC_SYS_, SYS_ISS(3, 4, 13, 0, 2, 9, 1)); /* MRS x9, TPIDR_EL2 */
	assert_true(vel2_handle_exit_fast(v, VEC_SYNC));
	assert_int_equal(v->regs.x[9], 0xffff800012345000);
	v->regs.esr_el2 = ESR(EC_SYS_, SYS_ISS(3, 4, 13, 0, 2, 31, 1)); /* MRS xzr */
	assert_true(vel2_handle_exit_fast(v, VEC_SYNC));
	v->regs.esr_el2 = ESR(EC_SYS_, SYS_ISS(3, 4, 13, 0, 2, 31, 0)); /* MSR TPIDR_EL2, xzr */
	assert_true(vel2_handle_exit_fast(v, VEC_SYNC));
	assert_int_equal(vel2_get(&n->el2, VEL2_TPIDR_EL2), 0);
	assert_int_equal(v->regs.pc, L1_PC + 16);
	assert_int_equal(v->exits, exits + 4);
	assert_int_equal(n->reasons[NESTED_L1][EXIT_R_SYSREG], sys + 4);
	/* TPIDR_EL1 (op1 0) and L2's accesses are not the short path's. */
	v->regs.esr_el2 = ESR(EC_SYS_, SYS_ISS(3, 0, 13, 0, 4, 9, 1));
	assert_false(vel2_handle_exit_fast(v, VEC_SYNC));
	v->regs.esr_el2 = ESR(EC_SYS_, SYS_ISS(3, 4, 13, 0, 2, 9, 1));
	n->in_l2 = true;
	assert_false(vel2_handle_exit_fast(v, VEC_SYNC));
	n->in_l2 = false;
}

int main(void)
{
#define T(f) UT_VEL2_TEST(f, &fx)
	const struct CMUnitTest tests[] = {
		T(test_l2_wfi_twi),
		T(test_fast_tlbi_in_host),
		T(test_fast_tpidr_el2),
		T(test_l2_smc_tsc),
		T(test_l2_sctlr_write_tvm),
		T(test_l2_hvc),
		T(test_l2_wfi_plain),
		T(test_l2_hvc_hcd_undef),
		T(test_l2_hvc_hcd_undef_elr),
		T(test_irq_preempts_l2),
		T(test_irq_no_imo),
		T(test_irq_fmo_only),
		T(test_hvc_at_vel2),
		T(test_eret_to_l2),
		T(test_eret_within_vel2),
		T(test_eret_illegal),
		T(test_eretaa_undef),
		T(test_l1_sysreg_undef),
		T(test_accounting),
		T(test_gic_page),
		T(test_maint_lr_nv2),
		T(test_vncr_fault),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
