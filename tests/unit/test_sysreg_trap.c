/*
 * Host tests of trapped MSR/MRS emulation (src/cpu/sysreg_trap.c): the
 * sanitised ID registers, the emulated EL1 physical timer, ICC_SGI1R_EL1
 * reaching the vGIC, ICC_SRE_EL1, the OS Lock and the debug registers
 * nestvisor traps (MDCR_EL2.TDOSA, TDCC, HDFGxTR_EL2.OSECCR_EL1),
 * register 31, and the UNDEF (with its rate-limited warning) for
 * everything else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/esr.h>
#include <nv/exit.h>
#include <nv/fake_arch.h>
#include <nv/idregs.h>
#include <nv/log.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>
#include "helpers.h"

#define NR_VCPUS 2
#define DIST 0x08000000u
#define REDIST 0x080a0000u
#define VBAR UINT64_C(0x40000000)
#define PC UINT64_C(0x40081000)
#define VTIMER_PPI 27
#define PTIMER_PPI 30

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];

/* ESR_EL2 of a trapped MSR (write) or MRS (read), Arm ARM D19.2. */
static u64 sys_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
		   unsigned op2, unsigned rt, bool read)
{
	return (u64)EC_SYS64 << 26 | ESR_IL | (u64)op0 << 20 | (u64)op2 << 17 |
	       (u64)op1 << 14 | (u64)crn << 10 | (u64)rt << 5 |
	       (u64)crm << 1 | (read ? 1u : 0u);
}

#define SYS_ESR(rt, read, op0, op1, crn, crm, op2)                           \
	sys_esr(op0, op1, crn, crm, op2, rt, read)
/* MRS/MSR Xrt, <op0, op1, CRn, CRm, op2> (the register may be a macro). */
#define MRS(rt, ...) SYS_ESR(rt, true, __VA_ARGS__)
#define MSR(rt, ...) SYS_ESR(rt, false, __VA_ARGS__)

/* Registers by (op0, op1, CRn, CRm, op2). */
#define ID_AA64PFR0 3, 0, 0, 4, 0
#define ID_AA64MMFR0 3, 0, 0, 7, 0
#define ID_AA64DFR0 3, 0, 0, 5, 0
#define ID_PFR0_EL1 3, 0, 0, 1, 0
#define CNTP_TVAL 3, 3, 14, 2, 0
#define CNTP_CTL 3, 3, 14, 2, 1
#define CNTP_CVAL 3, 3, 14, 2, 2
#define ICC_SGI1R 3, 0, 12, 11, 5
#define ICC_ASGI1R 3, 0, 12, 11, 6
#define ICC_SGI0R 3, 0, 12, 11, 7
#define ICC_SRE 3, 0, 12, 12, 5
#define PMCR_EL0 3, 3, 9, 12, 0

/* Host ID_AA64PFR0_EL1: EL0/EL1 AArch32 too (2), EL2/EL3, FP, AdvSIMD,
 * no GIC sysregs (0), RAS, SVE, SEL2, MPAM, AMU, DIT, RME, CSV2/3 all 1. */
#define HOST_PFR0 UINT64_C(0x1111111110111122)
/* Guest view: EL0/EL1 AArch64 only, no EL2/EL3, FP, AdvSIMD, GIC 1, DIT,
 * CSV2, CSV3; RAS, SVE, SEL2, MPAM, AMU, RME cleared. */
#define GUEST_PFR0 UINT64_C(0x1101000001110011)

static int setup(void **state)
{
	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter_freq = 62500000;
	fake_arch.counter = 1000;
	fake_arch.vbar_el1 = VBAR;
	fake_arch.idregs[idreg_index(4, 0)] = HOST_PFR0;
	/* PARange 48 bits (5), TGran4 etc. 0, ASIDBits 16 (2). */
	fake_arch.idregs[idreg_index(7, 0)] = UINT64_C(0x25);
	fake_arch.idregs[idreg_index(5, 0)] = UINT64_C(0xf0f0f0f0f0f0f0f6);
	fake_arch.idregs[idreg_index(1, 0)] = UINT64_C(0x131);
	sysreg_trap_init();

	ut_vm_init(&vm, vcpus, NR_VCPUS);
	ut_vcpus_power_on(vcpus, NR_VCPUS, PC, PSTATE_EL1H_DAIF);
	strcpy(vm.desc.name, "sysvm");
	vm.vtcr = 64 - 40; /* T0SZ: a 40-bit IPA space */
	ut_vgic_init(&vm, DIST, REDIST, 32);
	vtimer_init(VTIMER_PPI, PTIMER_PPI);
	capture_start();
	log_set_level(LOG_INFO);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	capture_stop();
	memset(&fake_arch, 0, sizeof(fake_arch));
	sysreg_trap_init();
	return 0;
}

/* An emulated access: continues after the instruction, counted. */
static void emulated(struct vcpu *v, u64 esr)
{
	u64 pc = v->regs.pc, n = v->exit_reasons[EXIT_R_SYSREG];
	u64 undefs = v->exit_reasons[EXIT_R_UNDEF];
	unsigned injects = fake_arch.injects;

	assert_int_equal(handle_sysreg(v, esr), EXIT_CONTINUE);
	assert_int_equal(v->regs.pc, pc + 4);
	assert_int_equal(v->exit_reasons[EXIT_R_SYSREG], n + 1);
	assert_int_equal(v->exit_reasons[EXIT_R_UNDEF], undefs);
	assert_int_equal(fake_arch.injects, injects);
}

/* An UNDEF injected: EC 0, IL, to the current-EL SPx vector. */
static void undefined(struct vcpu *v, u64 esr)
{
	u64 pc = v->regs.pc, n = v->exit_reasons[EXIT_R_UNDEF];
	u64 emulated_n = v->exit_reasons[EXIT_R_SYSREG];
	unsigned injects = fake_arch.injects;

	assert_int_equal(handle_sysreg(v, esr), EXIT_CONTINUE);
	assert_int_equal(fake_arch.injects, injects + 1);
	assert_int_equal(fake_arch.inject_esr, ESR_IL);
	assert_int_equal(fake_arch.inject_elr, pc);
	assert_int_equal(v->regs.pc, VBAR + 0x200);
	assert_int_equal(v->exit_reasons[EXIT_R_UNDEF], n + 1);
	assert_int_equal(v->exit_reasons[EXIT_R_SYSREG], emulated_n);
	v->regs.pc = pc;
	v->regs.pstate = PSTATE_EL1H_DAIF;
}

/* --- ID registers --- */

static void test_idreg_pfr0_sanitised(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[4] = 0xdead;
	emulated(v, MRS(4, ID_AA64PFR0));
	assert_int_equal(v->regs.x[4], GUEST_PFR0);
	/* EL2 field [11:8] 0, GIC field [27:24] 1. */
	assert_int_equal((v->regs.x[4] >> 8) & 0xf, 0);
	assert_int_equal((v->regs.x[4] >> 24) & 0xf, 1);
}

static void test_idreg_from_host_array(void **state)
{
	struct vcpu *v = &vcpus[1];

	(void)state;
	/* PARange comes from the VM's IPA size (40 bits: 2), not the host. */
	emulated(v, MRS(0, ID_AA64MMFR0));
	assert_int_equal(v->regs.x[0], 0x22);
	/* DFR0: DebugVer, BRPs, WRPs, CTX_CMPs, DoubleLock kept; PMU gone. */
	emulated(v, MRS(1, ID_AA64DFR0));
	assert_int_equal(v->regs.x[1], UINT64_C(0x000000f0f0f0f006));
	/* AArch32 ID registers read as zero. */
	v->regs.x[2] = 0x1234;
	emulated(v, MRS(2, ID_PFR0_EL1));
	assert_int_equal(v->regs.x[2], 0);

	/* A new host array takes effect at sysreg_trap_init(). */
	fake_arch.idregs[idreg_index(7, 0)] = 0x05;
	emulated(v, MRS(0, ID_AA64MMFR0));
	assert_int_equal(v->regs.x[0], 0x22);
	sysreg_trap_init();
	emulated(v, MRS(0, ID_AA64MMFR0));
	assert_int_equal(v->regs.x[0], 0x02);
}

static void test_idreg_hidden_feature(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	/* ID_AA64ISAR0_EL1 with AES (bits [7:4]) present on the host. */
	fake_arch.idregs[idreg_index(6, 0)] = 0x0000000000000020ull;
	sysreg_trap_init();
	emulated(v, MRS(3, 3, 0, 0, 6, 0));
	assert_int_equal(v->regs.x[3], 0x20);
	vm.desc.hidden_features = 1u << vm_feature_lookup("aes");
	emulated(v, MRS(3, 3, 0, 0, 6, 0));
	assert_int_equal(v->regs.x[3], 0);
}

static void test_idreg_write_undef(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[4] = 0;
	undefined(v, MSR(4, ID_AA64PFR0));
	undefined(v, MSR(4, ID_AA64MMFR0));
	/* The value read afterwards is unchanged. */
	v->regs.x[4] = 0;
	emulated(v, MRS(4, ID_AA64PFR0));
	assert_int_equal(v->regs.x[4], GUEST_PFR0);
}

/* --- The EL1 physical timer --- */

static void test_cntp_cval(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[3] = 0x123456789abcull;
	emulated(v, MSR(3, CNTP_CVAL));
	assert_int_equal(v->ptimer.cval, 0x123456789abcull);
	v->regs.x[8] = 0;
	emulated(v, MRS(8, CNTP_CVAL));
	assert_int_equal(v->regs.x[8], 0x123456789abcull);
	/* The other vCPU has its own. */
	emulated(&vcpus[1], MRS(8, CNTP_CVAL));
	assert_int_equal(vcpus[1].regs.x[8], 0);
}

static void test_cntp_tval(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	/* TVAL write: CVAL = counter + SignExtend(TVAL[31:0]). */
	v->regs.x[2] = 500;
	emulated(v, MSR(2, CNTP_TVAL));
	assert_int_equal(v->ptimer.cval, 1500);
	v->regs.x[2] = (u32)-100;
	emulated(v, MSR(2, CNTP_TVAL));
	assert_int_equal(v->ptimer.cval, 900);
	/* The upper half of the register is ignored. */
	v->regs.x[2] = 0xffffffff00000010ull;
	emulated(v, MSR(2, CNTP_TVAL));
	assert_int_equal(v->ptimer.cval, 1016);
	v->regs.x[2] = 0x80000000ull;
	emulated(v, MSR(2, CNTP_TVAL));
	assert_int_equal(v->ptimer.cval, 1000 - 0x80000000ull);

	/* TVAL read: (CVAL - counter)[31:0]. */
	v->ptimer.cval = 1500;
	emulated(v, MRS(5, CNTP_TVAL));
	assert_int_equal(v->regs.x[5], 500);
	v->ptimer.cval = 900;
	emulated(v, MRS(5, CNTP_TVAL));
	assert_int_equal(v->regs.x[5], 0xffffff9cull);
}

static void test_cntp_ctl(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[1] = 5000;
	emulated(v, MSR(1, CNTP_CVAL));
	v->regs.x[1] = 1; /* ENABLE */
	emulated(v, MSR(1, CNTP_CTL));
	emulated(v, MRS(2, CNTP_CTL));
	assert_int_equal(v->regs.x[2], 1);
	assert_false(v->vgic.priv[PTIMER_PPI].level);

	/* The counter reaches CVAL: ISTATUS, and the PPI is raised at the
	 * next access (or vtimer_sync_ptimer before entry). */
	fake_arch.counter = 5000;
	emulated(v, MRS(2, CNTP_CTL));
	assert_int_equal(v->regs.x[2], 1 | 4);
	vtimer_sync_ptimer(v, 5000);
	assert_true(v->vgic.priv[PTIMER_PPI].level);
	assert_false(vcpus[1].vgic.priv[PTIMER_PPI].level);

	/* Masked: ISTATUS stays, the line drops; ISTATUS is not writable. */
	v->regs.x[1] = 0xffffffffull;
	emulated(v, MSR(1, CNTP_CTL));
	assert_int_equal(v->ptimer.ctl, 3);
	assert_false(v->vgic.priv[PTIMER_PPI].level);
	emulated(v, MRS(2, CNTP_CTL));
	assert_int_equal(v->regs.x[2], 1 | 2 | 4);

	/* Unmasked by a write: the line rises at once. */
	v->regs.x[1] = 1;
	emulated(v, MSR(1, CNTP_CTL));
	assert_true(v->vgic.priv[PTIMER_PPI].level);

	/* Disabled: no ISTATUS, line down. */
	v->regs.x[1] = 0;
	emulated(v, MSR(1, CNTP_CTL));
	emulated(v, MRS(2, CNTP_CTL));
	assert_int_equal(v->regs.x[2], 0);
	assert_false(v->vgic.priv[PTIMER_PPI].level);
}

/* --- GIC CPU interface registers --- */

static void test_sgi1r_reaches_vgic(void **state)
{
	struct vcpu *v = &vcpus[0];
	unsigned kicks = fake_arch.kicks;

	(void)state;
	/* INTID 5 to Aff3.Aff2.Aff1 = 0.0.0, TargetList vCPU 1. */
	v->regs.x[10] = 5ull << 24 | 1u << 1;
	emulated(v, MSR(10, ICC_SGI1R));
	assert_true(vcpus[1].vgic.priv[5].pending);
	assert_false(vcpus[0].vgic.priv[5].pending);
	assert_int_equal(fake_arch.kicks, kicks + 1);

	/* Broadcast (IRM) to all but self. */
	v->regs.x[10] = 1ull << 40 | 3ull << 24;
	emulated(v, MSR(10, ICC_SGI1R));
	assert_true(vcpus[1].vgic.priv[3].pending);
	assert_false(vcpus[0].vgic.priv[3].pending);

	/* Write-only. */
	undefined(v, MRS(10, ICC_SGI1R));
}

static void test_sgi_other_groups_ignored(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[10] = 5ull << 24 | 3u;
	emulated(v, MSR(10, ICC_ASGI1R));
	emulated(v, MSR(10, ICC_SGI0R));
	for (unsigned i = 0; i < NR_VCPUS; i++)
		assert_false(vcpus[i].vgic.priv[5].pending);
	undefined(v, MRS(10, ICC_SGI0R));
}

static void test_icc_sre(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	emulated(v, MRS(6, ICC_SRE));
	assert_int_equal(v->regs.x[6], 7);
	v->regs.x[6] = 0;
	emulated(v, MSR(6, ICC_SRE)); /* ignored */
	assert_int_equal(v->regs.x[6], 0);
	emulated(v, MRS(7, ICC_SRE));
	assert_int_equal(v->regs.x[7], 7);
}

/* --- Register 31: XZR --- */

static void test_rt31(void **state)
{
	struct vcpu *v = &vcpus[0];
	struct vcpu_regs before;

	(void)state;
	v->regs.sp_el0 = 0xdeadbeefcafef00dull;
	for (unsigned i = 0; i < 31; i++)
		v->regs.x[i] = 0x100 + i;
	v->ptimer.cval = 1234;

	/* A read into XZR is discarded. */
	before = v->regs;
	emulated(v, MRS(31, CNTP_CVAL));
	emulated(v, MRS(31, ID_AA64PFR0));
	before.pc += 8;
	assert_memory_equal(&v->regs, &before, sizeof(before));

	/* A write from XZR writes 0. */
	emulated(v, MSR(31, CNTP_CVAL));
	assert_int_equal(v->ptimer.cval, 0);
	emulated(v, MSR(31, CNTP_TVAL));
	assert_int_equal(v->ptimer.cval, 1000);
}

/* --- OS Lock and debug powerdown (MDCR_EL2.TDOSA) --- */

#define OSLAR 2, 0, 1, 0, 4
#define OSLSR 2, 0, 1, 1, 4
#define OSDLR 2, 0, 1, 3, 4
#define DBGPRCR 2, 0, 1, 4, 4

/* A vCPU reset the way a new VM's is (PSCI CPU_ON, boot). */
static void fresh_vcpu(struct vcpu *v)
{
	vcpu_reset(v, PC, 0);
	vcpu_apply_reset(v);
}

/* OSLSR_EL1 reads 0xa after reset (OSLM 0b10, OSLK 1); writes UNDEF. */
static void test_oslsr_reset_and_read_only(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	fresh_vcpu(v);
	emulated(v, MRS(3, OSLSR));
	assert_int_equal(v->regs.x[3], 0xa);
	undefined(v, MSR(3, OSLSR));
	emulated(v, MRS(4, OSLSR));
	assert_int_equal(v->regs.x[4], 0xa);
}

/* OSLAR_EL1 bit 0 sets and clears OSLK, on the CPU too; reads UNDEF. */
static void test_oslar_sets_lock(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	fresh_vcpu(v);
	v->regs.x[1] = 0;
	emulated(v, MSR(1, OSLAR));
	assert_false(v->debug.os_lock);
	assert_false(fake_arch.os_lock);
	assert_int_equal(fake_arch.os_lock_writes, 1);
	emulated(v, MRS(2, OSLSR));
	assert_int_equal(v->regs.x[2], 0x8);
	/* Only bit 0 counts. */
	v->regs.x[1] = 0xfffffffffffffffe;
	emulated(v, MSR(1, OSLAR));
	assert_false(v->debug.os_lock);
	v->regs.x[1] = 1;
	emulated(v, MSR(1, OSLAR));
	assert_true(v->debug.os_lock);
	assert_true(fake_arch.os_lock);
	emulated(v, MRS(2, OSLSR));
	assert_int_equal(v->regs.x[2], 0xa);
	undefined(v, MRS(2, OSLAR));
	/* The other vCPU's lock is its own. */
	fresh_vcpu(&vcpus[1]);
	v->regs.x[1] = 0;
	emulated(v, MSR(1, OSLAR));
	assert_true(vcpus[1].debug.os_lock);
	/* A reset locks it again. */
	fresh_vcpu(v);
	assert_true(v->debug.os_lock);
}

/* OSDLR_EL1 and DBGPRCR_EL1: RAZ/WI (KVM); the CPU is never double-locked. */
static void test_osdlr_dbgprcr_raz_wi(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[5] = 1;
	emulated(v, MSR(5, OSDLR));
	emulated(v, MRS(6, OSDLR));
	assert_int_equal(v->regs.x[6], 0);
	v->regs.x[5] = 1;
	emulated(v, MSR(5, DBGPRCR));
	v->regs.x[6] = 0x77;
	emulated(v, MRS(6, DBGPRCR));
	assert_int_equal(v->regs.x[6], 0);
	assert_int_equal(fake_arch.os_lock_writes, 0);
}

/* --- The Debug Communications Channel and OSECCR_EL1 (TDCC, HDFGxTR) --- */

#define OSDTRRX 2, 0, 0, 0, 2
#define MDCCINT 2, 0, 0, 2, 0
#define OSDTRTX 2, 0, 0, 3, 2
#define OSECCR 2, 0, 0, 6, 2
#define MDCCSR 2, 3, 0, 1, 0
#define DBGDTR 2, 3, 0, 4, 0
#define DBGDTRRXTX 2, 3, 0, 5, 0 /* DBGDTRRX_EL0 read, DBGDTRTX_EL0 written */

/* A write of all ones is taken and ignored; the register then reads 0. */
static void raz_wi(struct vcpu *v, u64 write_esr, u64 read_esr)
{
	v->regs.x[5] = ~UINT64_C(0);
	emulated(v, write_esr);
	v->regs.x[6] = 0x77;
	emulated(v, read_esr);
	assert_int_equal(v->regs.x[6], 0);
	/* Nothing of it reached the vCPU's state or the other vCPU's. */
	assert_int_equal(v->debug.osdtrrx, 0);
	assert_int_equal(v->debug.osdtrtx, 0);
	assert_int_equal(vcpus[1].debug.osdtrrx, 0);
	assert_int_equal(vcpus[1].debug.osdtrtx, 0);
}

/* OSDTRRX_EL1 (DTRRX without side effect): RAZ/WI. */
static void test_osdtrrx_raz_wi(void **state)
{
	(void)state;
	fresh_vcpu(&vcpus[0]);
	raz_wi(&vcpus[0], MSR(5, OSDTRRX), MRS(6, OSDTRRX));
}

/* OSDTRTX_EL1 (DTRTX without side effect): RAZ/WI. */
static void test_osdtrtx_raz_wi(void **state)
{
	(void)state;
	fresh_vcpu(&vcpus[0]);
	raz_wi(&vcpus[0], MSR(5, OSDTRTX), MRS(6, OSDTRTX));
}

/* DBGDTR_EL0 (both halves of the channel at once): RAZ/WI. */
static void test_dbgdtr_raz_wi(void **state)
{
	(void)state;
	raz_wi(&vcpus[0], MSR(5, DBGDTR), MRS(6, DBGDTR));
}

/* DBGDTRTX_EL0 written, DBGDTRRX_EL0 read (one encoding): RAZ/WI. */
static void test_dbgdtrrx_tx_raz_wi(void **state)
{
	(void)state;
	raz_wi(&vcpus[0], MSR(5, DBGDTRRXTX), MRS(6, DBGDTRRXTX));
	/* A transmitted word never shows as received, nor as TXfull. */
	vcpus[0].regs.x[5] = 0x12345678;
	emulated(&vcpus[0], MSR(5, DBGDTRRXTX));
	emulated(&vcpus[0], MRS(6, MDCCSR));
	assert_int_equal(vcpus[0].regs.x[6], 0);
}

/* MDCCSR_EL0: RXfull = TXfull = 0, read-only (a write is UNDEFINED). */
static void test_mdccsr_raz_read_only(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[3] = 0x5555;
	emulated(v, MRS(3, MDCCSR));
	assert_int_equal(v->regs.x[3], 0);
	v->regs.x[3] = BIT(29) | BIT(30);
	undefined(v, MSR(3, MDCCSR));
	emulated(v, MRS(4, MDCCSR));
	assert_int_equal(v->regs.x[4], 0);
}

/* MDCCINT_EL1: per vCPU, read as written, 0 after reset. */
static void test_mdccint_per_vcpu(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	fresh_vcpu(v);
	fresh_vcpu(&vcpus[1]);
	emulated(v, MRS(2, MDCCINT));
	assert_int_equal(v->regs.x[2], 0);
	v->regs.x[1] = BIT(29) | BIT(30);
	emulated(v, MSR(1, MDCCINT));
	emulated(v, MRS(2, MDCCINT));
	assert_int_equal(v->regs.x[2], BIT(29) | BIT(30));
	emulated(&vcpus[1], MRS(2, MDCCINT));
	assert_int_equal(vcpus[1].regs.x[2], 0);
	fresh_vcpu(v);
	emulated(v, MRS(2, MDCCINT));
	assert_int_equal(v->regs.x[2], 0);
}

/*
 * OSECCR_EL1: per vCPU, bits [31:0], read as written while the vCPU's OS
 * Lock is locked; unlocked, RAZ/WI; 0 after reset.
 */
static void test_oseccr_per_vcpu(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	fresh_vcpu(v);
	fresh_vcpu(&vcpus[1]);
	emulated(v, MRS(2, OSECCR)); /* locked after reset */
	assert_int_equal(v->regs.x[2], 0);
	v->regs.x[1] = UINT64_C(0xabcd00005a5a00ff);
	emulated(v, MSR(1, OSECCR));
	emulated(v, MRS(2, OSECCR));
	assert_int_equal(v->regs.x[2], 0x5a5a00ff);
	/* The other vCPU's is its own. */
	emulated(&vcpus[1], MRS(2, OSECCR));
	assert_int_equal(vcpus[1].regs.x[2], 0);
	/* Unlocked: reads 0, writes ignored; the value is back once locked. */
	v->regs.x[0] = 0;
	emulated(v, MSR(0, OSLAR));
	emulated(v, MRS(2, OSECCR));
	assert_int_equal(v->regs.x[2], 0);
	v->regs.x[1] = 0x1111;
	emulated(v, MSR(1, OSECCR));
	v->regs.x[0] = 1;
	emulated(v, MSR(0, OSLAR));
	emulated(v, MRS(2, OSECCR));
	assert_int_equal(v->regs.x[2], 0x5a5a00ff);
	/* A reset clears it. */
	fresh_vcpu(v);
	emulated(v, MRS(2, OSECCR));
	assert_int_equal(v->regs.x[2], 0);
}

/* --- ACTLR_EL1 (HCR_EL2.TACR) --- */

#define ACTLR 3, 0, 1, 0, 1

static void test_actlr_host_value_wi(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	fake_arch.actlr_el1 = 0x1234;
	emulated(v, MRS(7, ACTLR));
	assert_int_equal(v->regs.x[7], 0x1234);
	v->regs.x[8] = 0xffff;
	emulated(v, MSR(8, ACTLR));
	emulated(v, MRS(7, ACTLR));
	assert_int_equal(v->regs.x[7], 0x1234);
}

/* --- UNDEFINED: IMPLEMENTATION DEFINED, RAS error records, SPE --- */

static void test_impdef_undef(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	undefined(v, MRS(0, 3, 1, 15, 2, 0));   /* CPUACTLR_EL1 of Cortex-A57 */
	undefined(v, MSR(0, 3, 1, 15, 2, 0));
	undefined(v, MRS(0, 3, 1, 11, 0, 2));   /* L2CTLR_EL1 */
	undefined(v, MRS(0, 3, 0, 15, 0, 0));
	undefined(v, MSR(0, 3, 7, 15, 15, 7));
	undefined(v, MRS(0, 3, 3, 11, 1, 0));   /* op1 3 (EL0) too */
	assert_contains(capture_text(), "read of unemulated system register S3_1_C15_C2_0");
}

static void test_ras_records_undef(void **state)
{
	static const unsigned regs[][2] = {
		{ 3, 0 }, { 3, 1 },                     /* ERRIDR, ERRSELR */
		{ 4, 0 }, { 4, 1 }, { 4, 2 }, { 4, 3 }, /* ERXFR, CTLR, STATUS, ADDR */
		{ 4, 4 }, { 4, 5 }, { 4, 6 },           /* ERXPFGF, PFGCTL, PFGCDN */
		{ 5, 0 }, { 5, 1 }, { 5, 2 }, { 5, 3 }, /* ERXMISC0..3 */
	};
	struct vcpu *v = &vcpus[0];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++) {
		undefined(v, MRS(0, 3, 0, 5, regs[i][0], regs[i][1]));
		undefined(v, MSR(0, 3, 0, 5, regs[i][0], regs[i][1]));
	}
}

static void test_spe_undef(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	for (unsigned op2 = 0; op2 < 8; op2++)
		undefined(v, MRS(0, 3, 0, 9, 9, op2));  /* PMSCR ... PMSIDR */
	undefined(v, MSR(0, 3, 0, 9, 9, 0));
	undefined(v, MRS(0, 3, 0, 9, 10, 0));       /* PMBLIMITR_EL1 */
	undefined(v, MSR(0, 3, 0, 9, 10, 3));       /* PMBSR_EL1 */
	undefined(v, MRS(0, 3, 0, 9, 10, 7));       /* PMBIDR_EL1 */
}

/* --- Everything else --- */

static void test_unknown_undef(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[0] = 0x55;
	undefined(v, MRS(0, PMCR_EL0));
	assert_int_equal(v->regs.x[0], 0x55);
	assert_contains(capture_text(), "warning: vm 'sysvm' vcpu0: read of unemulated system register S3_3_C9_C12_0 at 0x40081000: UNDEF");
	undefined(v, MSR(0, PMCR_EL0));
	assert_contains(capture_text(), "write of unemulated system register S3_3_C9_C12_0");
	/* Neighbours of emulated registers are not emulated. */
	undefined(v, MRS(0, 3, 3, 14, 2, 3));
	undefined(v, MRS(0, 3, 0, 12, 12, 4));
	undefined(v, MRS(0, 3, 1, 0, 4, 0)); /* op1 1: not ID group 3 */
}

static void test_warning_rate_limit(void **state)
{
	(void)state;
	for (unsigned i = 0; i < VCPU_WARN_LIMIT + 10; i++)
		undefined(&vcpus[0], MRS(0, PMCR_EL0));
	assert_int_equal(capture_count("vcpu0: read of unemulated"), VCPU_WARN_LIMIT);
	assert_int_equal(capture_count("suppressed"), 1);
	assert_contains(capture_text(), "warning: vm 'sysvm' vcpu0: further warnings about this vCPU are suppressed\n");
	/* Every access is still an UNDEF. */
	assert_int_equal(vcpus[0].exit_reasons[EXIT_R_UNDEF], VCPU_WARN_LIMIT + 10);

	/* The limit is per vCPU. */
	undefined(&vcpus[1], MRS(0, PMCR_EL0));
	assert_int_equal(capture_count("vcpu1: read of unemulated"), 1);
	assert_int_equal(capture_count("suppressed"), 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_idreg_pfr0_sanitised),
		T(test_idreg_from_host_array),
		T(test_idreg_hidden_feature),
		T(test_idreg_write_undef),
		T(test_cntp_cval),
		T(test_cntp_tval),
		T(test_cntp_ctl),
		T(test_sgi1r_reaches_vgic),
		T(test_sgi_other_groups_ignored),
		T(test_icc_sre),
		T(test_rt31),
		T(test_oslsr_reset_and_read_only),
		T(test_oslar_sets_lock),
		T(test_osdlr_dbgprcr_raz_wi),
		T(test_osdtrrx_raz_wi),
		T(test_osdtrtx_raz_wi),
		T(test_dbgdtr_raz_wi),
		T(test_dbgdtrrx_tx_raz_wi),
		T(test_mdccsr_raz_read_only),
		T(test_mdccint_per_vcpu),
		T(test_oseccr_per_vcpu),
		T(test_actlr_host_value_wi),
		T(test_impdef_undef),
		T(test_ras_records_undef),
		T(test_spe_undef),
		T(test_unknown_undef),
		T(test_warning_rate_limit),
	};

	return cmocka_run_group_tests_name("sysreg_trap", tests, NULL, NULL);
}
