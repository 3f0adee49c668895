/*
 * The test hypervisor: a guest that stays at EL2 (guest_stays_at_el2) and
 * runs an EL1 guest of its own (hv_el1.S), checking what a hypervisor
 * relies on at EL2:
 *
 *  1. CurrentEL is 2, HCR_EL2.E2H is 0 (the nVHE EL2 this guest is built
 *     for; start.S clears it at entry), VBAR_EL2 is writable.
 *  2. The EL2 register file round-trips (HCR_EL2, VTTBR_EL2, VTCR_EL2,
 *     TPIDR_EL2, CPTR_EL2, CNTHCTL_EL2, CNTVOFF_EL2, VMPIDR_EL2, VPIDR_EL2,
 *     ESR_EL2, FAR_EL2, ELR_EL2, SPSR_EL2).
 *  3. ERET to EL1 and HVC back: the exception syndrome (EC 0x16, imm16),
 *     preferred return address, SPSR_EL2.M; registers passed both ways;
 *     CurrentEL 1 in the guest; VPIDR_EL2/VMPIDR_EL2 are what EL1 reads
 *     as MIDR_EL1/MPIDR_EL1; hypercalls with four immediates, arguments
 *     and results both ways.
 *  4. Trap controls: HCR_EL2.TSC (SMC, EC 0x17), TWI (WFI, EC 0x01), TID3
 *     (ID register read, EC 0x18, emulated), TVM (SCTLR_EL1 write), TRVM
 *     (TTBR0_EL1 read), TACR (ACTLR_EL1), TSW (DC ISW), CPTR_EL2.TFP (FP,
 *     EC 0x07, retried), the ISS decoded (Op0/Op1/CRn/CRm/Op2/Rt/Dir).
 *  5. Stage 2 (hv_s2.c): a page mapped elsewhere; MMIO of every width
 *     emulated from the data abort syndrome (EC 0x24, ISV, SAS, SSE, SRT,
 *     SF, WnR, FAR_EL2, HPFAR_EL2); translation faults at levels 3 and 2
 *     resolved lazily and retried; a page remapped with break-before-make
 *     and TLBI IPAS2E1IS/VMALLE1IS; AT S1E2R, S1E1R, S12E1R and PAR_EL1.
 *  6. Virtual interrupts (hv_gic.c): list registers (software and HW),
 *     acknowledge and EOI by the guest, the maintenance interrupt for
 *     underflow, EOI and no-pending, ICH_MISR/EISR/ELRSR_EL2.
 *  7. Timers (hv_timer.c): the EL2 physical timer taken at EL2; the EL1
 *     virtual counter and timer offset by CNTVOFF_EL2; CNTHCTL_EL2 traps
 *     of the EL1 physical counter and timer; the guest's physical timer
 *     waking it from an untrapped WFI.
 *  8. A guest with two vCPUs on two CPUs (hv_smp.c): PSCI CPU_ON from the
 *     guest, shared memory, an IPI as a virtual interrupt on the other CPU.
 *
 * It is the oracle for nestvisor's virtual EL2: every check is an
 * architectural rule (Arm ARM, DDI 0487; GICv3, IHI 0069; the register
 * or rule is named in each description), so the same binary must give the
 * same verdicts at QEMU's real EL2 and at a virtual EL2. Nothing depends
 * on timing beyond orderings of counter reads (values are on "#" lines
 * only). Waits are bounded by the counter, and every run of the EL1 guest
 * by a guard: the EL2 physical timer armed 1 s ahead with HCR_EL2.IMO
 * set, so a guest that never comes back is taken to EL2 by the interrupt;
 * other physical interrupts taken to EL2 while it runs are handled there
 * and the guest resumed (run_serviced). HCR_EL2.TWE is not checked: it
 * traps only a WFE that would wait, and a WFE may always complete at once
 * (QEMU's does).
 *
 * With "vhe" in its bootargs (hv_vhe.c) it runs all of this with
 * HCR_EL2.E2H 1 and TGE 1 for its host side, as a VHE host kernel does,
 * reaching the guest's EL1 registers through their _EL12/_EL02 forms, and
 * adds the checks of what E2H changes and of an EL0 task of its own; where
 * ID_AA64MMFR1_EL1.VH is 0 it says so and passes.
 *
 * Entered at EL1 (plain QEMU without EL2), it only says so and passes.
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

const char guest_name[] = "hv";
const bool guest_stays_at_el2 = true;

/* hv_el1.S */
extern char hv_el1_vectors[], el1_basic[], el1_basic_after[], el1_ids[], el1_smc[],
	el1_wfi[], el1_id_read[], el1_tvm[], el1_hvc_calls[], el1_trvm[], el1_tacr[], el1_tsw[],
	el1_fp[];

/* ---- 1. EL2 ----------------------------------------------------------------- */

static void test_el2(void)
{
	u64 hcr = read_sysreg(hcr_el2), want = (u64)(uintptr_t)hv_el1_vectors, old, got;

	diag_env("HCR_EL2 at entry 0x%lx%s, now 0x%lx; ID_AA64MMFR1_EL1 0x%lx, ID_AA64PFR0_EL1 0x%lx",
	     el2_entry_hcr, el2_entry_hcr & HCR_E2H ? " (E2H set: cleared by start.S)" : "",
	     hcr, read_sysreg(id_aa64mmfr1_el1), read_sysreg(id_aa64pfr0_el1));
	check_eq(read_sysreg(CurrentEL) >> 2, 2, "CurrentEL.EL is 2 (the hypervisor runs at EL2)");
	if (hv_vhe)
		check_eq(hcr & (HCR_E2H | HCR_TGE), HCR_E2H | HCR_TGE,
			 "HCR_EL2.E2H and TGE are 1 (VHE: the host in the EL2&0 regime)");
	else
		ok(!(hcr & HCR_E2H), "HCR_EL2.E2H is 0 (nVHE: EL2 register formats without E2H)");
	/* VBAR_EL2[63:11]: another 2 KiB aligned table, nothing taken meanwhile. */
	__asm__ volatile("mrs %0, vbar_el2\n\tmsr vbar_el2, %2\n\tisb\n\t"
			 "mrs %1, vbar_el2\n\tmsr vbar_el2, %0\n\tisb"
			 : "=&r"(old), "=&r"(got) : "r"(want) : "memory");
	check_eq(got, want, "VBAR_EL2 written and read back");
	check_eq(old, (u64)(uintptr_t)el2_vectors, "VBAR_EL2 read back as set at entry (el2_vectors)");
}

/* ---- 2. register file ----------------------------------------------------------- */

#define ROUND_TRIP(reg, val, restore) ({ \
	u64 g__; \
	write_sysreg(reg, (val)); \
	isb(); \
	g__ = read_sysreg(reg); \
	write_sysreg(reg, (restore)); \
	isb(); \
	g__; })

#define VPIDR_VALUE	0x4a1fd123UL		/* a made-up MIDR */
#define VMPIDR_VALUE	0x180030201UL		/* Aff3 1, Aff2 3, Aff1 2, Aff0 1, bit 31 RES1 */

static void test_register_file(void)
{
	u64 hcr = HCR_RW | HCR_TSC | HCR_TWI | HCR_TWE | HCR_TID3 | HCR_TVM;
	u64 vttbr = (0x5aUL << 48) | 0x40120000UL;
	/* T0SZ 32, SL0 1, IRGN0/ORGN0 WB, SH0 inner, TG0 4K, PS 36 bits, RES1 bit 31 */
	u64 vtcr = BIT(31) | (1UL << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | (1UL << 6) | 32;
	/* E2H 0: RES1 bits, TFP, TCPAC; E2H 1: FPEN 0b11, TTA (bit 28), TCPAC */
	u64 cptr = hv_vhe ? (3UL << 20) | BIT(28) | BIT(31) : 0x33ffUL | BIT(10) | BIT(31);
	/* E2H 1: the same bits are EL0PCTEN EL0VCTEN EVNTI, and EL1PCTEN EL1PCEN at 10 and 11 */
	u64 cnthctl = hv_vhe ? 0xca3UL : 0xa3UL;
	u64 midr = read_sysreg(midr_el1), mpidr = read_sysreg(mpidr_el1);

	if (hv_vhe)	/* E2H stays 1: the EL2&0 regime is in use */
		hcr |= HCR_E2H | HCR_TGE;
	check_eq(ROUND_TRIP(hcr_el2, hcr, HCR_HOST), hcr,
		 hv_vhe ? "HCR_EL2 (RW TSC TWI TWE TID3 TVM TGE E2H) round-trips"
			: "HCR_EL2 (RW TSC TWI TWE TID3 TVM) round-trips");
	check_eq(ROUND_TRIP(vttbr_el2, vttbr, 0), vttbr, "VTTBR_EL2 (VMID, BADDR) round-trips");
	check_eq(ROUND_TRIP(vtcr_el2, vtcr, 0), vtcr, "VTCR_EL2 (T0SZ SL0 IRGN0 ORGN0 SH0 TG0 PS) round-trips");
	check_eq(ROUND_TRIP(tpidr_el2, 0x0123456789abcdefUL, 0), 0x0123456789abcdefUL,
		 "TPIDR_EL2 round-trips");
	check_eq(ROUND_TRIP(cptr_el2, cptr, CPTR_FREE), cptr,
		 hv_vhe ? "CPTR_EL2 with E2H 1 (FPEN, TTA, TCPAC) round-trips"
			: "CPTR_EL2 (RES1 bits, TFP, TCPAC) round-trips");
	check_eq(ROUND_TRIP(cnthctl_el2, cnthctl, CNTHCTL_HOST), cnthctl,
		 hv_vhe ? "CNTHCTL_EL2 with E2H 1 (EL0PCTEN EL0VCTEN EVNTI EL1PCTEN EL1PCEN) round-trips"
			: "CNTHCTL_EL2 (EL1PCTEN EL1PCEN EVNTI) round-trips");
	check_eq(ROUND_TRIP(cntvoff_el2, 0x0000123456789abcUL, 0), 0x0000123456789abcUL,
		 "CNTVOFF_EL2 round-trips");
	check_eq(ROUND_TRIP(vmpidr_el2, VMPIDR_VALUE, mpidr), VMPIDR_VALUE,
		 "VMPIDR_EL2 round-trips");
	check_eq(ROUND_TRIP(vpidr_el2, VPIDR_VALUE, midr), VPIDR_VALUE, "VPIDR_EL2 round-trips");
	check_eq(ROUND_TRIP(esr_el2, 0x5e0000abUL, 0), 0x5e0000abUL, "ESR_EL2 round-trips");
	check_eq(ROUND_TRIP(far_el2, 0xffff0000deadbee8UL, 0), 0xffff0000deadbee8UL,
		 "FAR_EL2 round-trips");
	check_eq(ROUND_TRIP(elr_el2, 0x40081234UL, 0), 0x40081234UL, "ELR_EL2 round-trips");
	check_eq(ROUND_TRIP(spsr_el2, 0x900003c5UL, 0), 0x900003c5UL,
		 "SPSR_EL2 (N V D A I F M) round-trips");
}

/* ---- 3. ERET to EL1 and HVC back ------------------------------------------------- */

static u64 reg_pattern(unsigned i)
{
	return 0x5a5a000000000000UL | ((u64)i << 32) | (0xc0de00UL + i);
}

static void test_eret_hvc(void)
{
	const u64 echo = 0x0123456789abcdefUL;
	u64 midr = read_sysreg(midr_el1), mpidr = read_sysreg(mpidr_el1);
	unsigned bad = 0;
	bool hvc, echoed = false;

	vcpu_reset(el1_basic);
	for (unsigned i = 0; i < 31; i++)
		vcpu.x[i] = reg_pattern(i);
	run(HCR_GUEST);
	hvc = expect_exit(EC_HVC64, "first HVC");
	ok(hvc && (vcpu.esr & ESR_IL),
	   "ERET to EL1h, HVC from EL1: taken to EL2 with ESR_EL2.EC 0x16, IL 1");
	check_eq(vcpu.esr & 0xffff, HV_HVC_BASIC, "ESR_EL2.ISS imm16 is the HVC's immediate");
	check_eq(vcpu.elr, (u64)(uintptr_t)el1_basic_after,
		 "ELR_EL2 is the instruction after the HVC (its preferred return address)");
	check_eq(vcpu.spsr & 0x1f, 0x5, "SPSR_EL2.M is EL1h (0b0101, AArch64)");
	check_eq(vcpu.spsr & 0x3c0, 0x3c0, "SPSR_EL2.DAIF as the guest ran (masked)");
	for (unsigned i = 0; i < 31; i++)
		if (vcpu.x[i] != reg_pattern(i)) {
			if (!bad++)
				diag("x%u: got 0x%lx, want 0x%lx", i, vcpu.x[i], reg_pattern(i));
		}
	ok(hvc && !bad, "x0-x30 set before the ERET are the guest's at its HVC");

	if (hvc) {
		vcpu.x[0] = echo;
		run(HCR_GUEST);
		echoed = exit_is_hvc(HV_HVC_ECHO);
		if (!echoed)
			describe_exit("echo");
	}
	check_eq(echoed ? vcpu.x[1] : 0, ~echo,
		 "the guest resumed at ELR_EL2 sees x0 as the hypervisor set it");
	check_eq(echoed ? vcpu.x[2] : 0, 1 << 2, "CurrentEL read by the guest is EL1");

	/* Arm ARM, VPIDR_EL2 and VMPIDR_EL2: EL1 reads of MIDR_EL1/MPIDR_EL1 return them. */
	write_sysreg(vpidr_el2, VPIDR_VALUE);
	write_sysreg(vmpidr_el2, VMPIDR_VALUE);
	vcpu_reset(el1_ids);
	run(HCR_GUEST);
	hvc = exit_is_hvc(HV_HVC_IDS);
	if (!hvc)
		describe_exit("MIDR/MPIDR");
	write_sysreg(vpidr_el2, midr);
	write_sysreg(vmpidr_el2, mpidr);
	isb();
	check_eq(hvc ? vcpu.x[0] : 0, VPIDR_VALUE, "MIDR_EL1 read at EL1 returns VPIDR_EL2");
	check_eq(hvc ? vcpu.x[1] : 0, VMPIDR_VALUE, "MPIDR_EL1 read at EL1 returns VMPIDR_EL2");
}

/*
 * Hypercalls the hypervisor handles (Arm ARM: HVC; the ESR_EL2 ISS for an
 * HVC is its imm16, the preferred return address the next instruction):
 * four immediates in a row, an argument in x1 each way and the result in
 * x0 the other, nothing else touched.
 */
static u64 call_result(u16 imm, u64 arg)
{
	return (arg << 4) ^ (0x5a5a0000UL | imm);
}

static void test_hypercalls(void)
{
	static const u16 imms[] = { 0x0000, 0x0001, 0x7fff, 0xffff };
	u64 arg = 0x1234567UL, saved[31];
	unsigned step, bad_imm = 0, bad_elr = 0, bad_arg = 0, bad_regs = 0;
	bool t = true;

	vcpu_reset(el1_hvc_calls);
	for (unsigned i = 0; i < 31; i++)
		vcpu.x[i] = reg_pattern(i) ^ 0xffUL;
	vcpu.x[1] = arg;
	memcpy(saved, vcpu.x, sizeof(saved));
	run(HCR_GUEST);
	for (step = 0; step < ARRAY_SIZE(imms) && t; step++) {
		t = expect_exit(EC_HVC64, "hypercall");
		if (!t)
			break;
		if ((vcpu.esr & 0xffff) != imms[step] && !bad_imm++)
			diag("hypercall %u: imm16 0x%lx, want 0x%x", step, vcpu.esr & 0xffff, imms[step]);
		/* hvc, add: the HVC of step n is the (2n+1)th instruction */
		if (vcpu.elr != (u64)(uintptr_t)el1_hvc_calls + 8 * step + 4)
			bad_elr++;
		if (vcpu.x[1] != arg && !bad_arg++)
			diag("hypercall %u: x1 0x%lx, want 0x%lx", step, vcpu.x[1], arg);
		for (unsigned i = 2; i < 31; i++)
			if (vcpu.x[i] != saved[i] && !bad_regs++)
				diag("hypercall %u: x%u 0x%lx, want 0x%lx", step, i, vcpu.x[i], saved[i]);
		vcpu.x[0] = call_result(imms[step], arg);
		arg = vcpu.x[0] + 1;
		run(HCR_GUEST);
	}
	ok(t && step == ARRAY_SIZE(imms), "HVC #0, #1, #0x7fff, #0xffff from EL1: each taken to EL2 (EC 0x16)");
	ok(t && !bad_imm, "each ESR_EL2.ISS imm16 is that HVC's immediate");
	ok(t && !bad_elr, "each ELR_EL2 is the instruction after that HVC");
	ok(t && !bad_arg, "each call's argument (x1) is the guest's, computed from the previous result");
	ok(t && !bad_regs, "x2-x30 are the guest's at every call (an HVC changes no register)");
	t = t && exit_is_hvc(HV_HVC_CALLS);
	if (!t)
		describe_exit("after the hypercalls");
	check_eq(t ? vcpu.x[1] : 0, arg, "the guest saw each result the hypervisor put in x0");
}

/* ---- 4. trap controls ---------------------------------------------------------------- */

/*
 * One trapped system register access or system instruction (EC 0x18) the
 * hypervisor asked for with the HCR_EL2 control ctl: the ISS decoded,
 * ELR_EL2 the instruction; a read is emulated with value into Rt, the
 * guest then continues past it.
 */
static void trap_sys(u64 ctl, const char *ctl_name, const char *entry, const char *what, u64 want_iss,
		     const char *iss_desc, u64 value)
{
	u64 hcr = HCR_GUEST | ctl, iss;
	unsigned rt = ISS_SYS_RT(want_iss);
	bool t, r = false, read = want_iss & 1;

	vcpu_reset(entry);
	vcpu.x[rt] = 0;
	run(hcr);
	t = expect_exit(EC_SYS64, what);
	iss = ESR_ISS(vcpu.esr);
	ok(t && (vcpu.esr & ESR_IL), "%s: %s at EL1 traps to EL2 with ESR_EL2.EC 0x18, IL 1", ctl_name, what);
	check_eq(t ? iss : ~0UL, want_iss, "ESR_EL2.ISS: %s", iss_desc);
	check_eq(vcpu.elr, (u64)(uintptr_t)entry, "ELR_EL2 is the trapped instruction");
	if (t) {
		if (read && ISS_SYS_RT(iss) < 31)
			vcpu.x[ISS_SYS_RT(iss)] = value;
		r = resume_until_hvc(hcr, HV_HVC_TRAP, what);
	}
	if (read)
		check_eq(r ? vcpu.x[rt] : ~0UL, value, "the guest reads the value emulated into Rt (x%u)", rt);
	else
		ok(r, "the guest continues after the instruction the hypervisor completed");
}

/*
 * CPTR_EL2.TFP (Arm ARM: CPTR_EL2 with E2H 0; with E2H 1, FPEN 0b00): an FP
 * instruction at EL1 traps (EC 0x07, ELR = the instruction); the
 * hypervisor then gives the guest FP (TFP 0, FPEN 0b11) and returns to the
 * instruction itself, which completes.
 */
static void test_fp_trap(void)
{
	const u64 value = 0x400921fb54442d18UL;
	bool t, r = false;

	vcpu_reset(el1_fp);
	vcpu.x[11] = value;
	write_sysreg(cptr_el2, CPTR_TRAP_FP);
	isb();
	run(HCR_GUEST);
	t = expect_exit(EC_FP, "FP");
	write_sysreg(cptr_el2, CPTR_FREE);
	isb();
	ok(t && (vcpu.esr & ESR_IL), hv_vhe ? "CPTR_EL2.FPEN 0b00 (E2H 1): an FP instruction at EL1 traps to EL2 with ESR_EL2.EC 0x07"
					    : "CPTR_EL2.TFP: an FP instruction at EL1 traps to EL2 with ESR_EL2.EC 0x07");
	check_eq(t ? ESR_ISS(vcpu.esr) : ~0UL, BIT(24) | (0xeUL << 20),
		 "ESR_EL2.ISS: CV 1, COND 0b1110 (trapped from AArch64)");
	check_eq(vcpu.elr, (u64)(uintptr_t)el1_fp, "ELR_EL2 is the trapped FP instruction");
	if (t) {
		run(HCR_GUEST);		/* the same instruction again, FP enabled */
		r = exit_is_hvc(HV_HVC_TRAP);
		if (!r)
			describe_exit("after FP");
	}
	check_eq(r ? vcpu.x[12] : 0, value, hv_vhe ? "with FPEN 0b11 the retried FP instructions complete (x11 via d0 into x12)"
						   : "with TFP cleared the retried FP instructions complete (x11 via d0 into x12)");
}

static void test_traps(void)
{
	const u64 smc_ret = 0x5eed0000cafe0001UL;
	u64 hcr, iss, pfr0 = read_sysreg(id_aa64pfr0_el1);
	u64 emulated = pfr0 & ~(0xfUL << 8);	/* EL2 field 0: "no EL2" */
	u64 sctlr = SCTLR_EL1_RES1 | SCTLR_I;
	bool t, r;

	/* HCR_EL2.TSC: SMC at EL1 traps to EL2 (EC 0x17, ISS imm16; ELR = the SMC). */
	hcr = HCR_GUEST | HCR_TSC;
	vcpu_reset(el1_smc);
	vcpu.x[0] = 0x8400ff5aUL;		/* no such PSCI function */
	run(hcr);
	t = expect_exit(EC_SMC64, "SMC");
	ok(t, "HCR_EL2.TSC: SMC at EL1 traps to EL2 with ESR_EL2.EC 0x17");
	check_eq(t ? vcpu.esr & 0xffff : ~0UL, HV_SMC_IMM, "ESR_EL2.ISS imm16 is the SMC's immediate");
	check_eq(vcpu.elr, (u64)(uintptr_t)el1_smc,
		 "ELR_EL2 is the trapped SMC itself (not the next instruction)");
	r = false;
	if (t) {
		vcpu.x[0] = smc_ret;
		r = resume_until_hvc(hcr, HV_HVC_SMC, "after SMC");
	}
	check_eq(r ? vcpu.x[0] : 0, smc_ret, "the guest continues after the emulated SMC with its result in x0");

	/* HCR_EL2.TWI: WFI at EL1 traps (EC 0x01, ISS.TI 0; ELR = the WFI). */
	hcr = HCR_GUEST | HCR_TWI;
	vcpu_reset(el1_wfi);
	run(hcr);
	t = expect_exit(EC_WFX, "WFI");
	ok(t, "HCR_EL2.TWI: WFI at EL1 traps to EL2 with ESR_EL2.EC 0x01");
	check_eq(t ? vcpu.esr & 3 : ~0UL, 0, "ESR_EL2.ISS.TI is 0 (WFI)");
	check_eq(vcpu.elr, (u64)(uintptr_t)el1_wfi, "ELR_EL2 is the trapped WFI");
	if (t)
		diag("WFI trap ESR_EL2 0x%lx", vcpu.esr);
	r = t && resume_until_hvc(hcr, HV_HVC_WFI, "after WFI");
	ok(r, "the guest continues after the WFI the hypervisor completed");

	/* HCR_EL2.TID3: ID_AA64PFR0_EL1 (S3_0_C0_C4_0) read at EL1 traps (EC 0x18). */
	hcr = HCR_GUEST | HCR_TID3;
	vcpu_reset(el1_id_read);
	run(hcr);
	t = expect_exit(EC_SYS64, "ID_AA64PFR0_EL1");
	iss = ESR_ISS(vcpu.esr);
	ok(t, "HCR_EL2.TID3: an ID_AA64PFR0_EL1 read at EL1 traps to EL2 with ESR_EL2.EC 0x18");
	check_eq(t ? iss : ~0UL, ISS_SYS(3, 0, 0, 4, 0, 3, 1),
		 "ESR_EL2.ISS: Op0 3 Op1 0 CRn 0 CRm 4 Op2 0, Rt 3, Direction 1 (read)");
	check_eq(vcpu.elr, (u64)(uintptr_t)el1_id_read, "ELR_EL2 is the trapped MRS");
	r = false;
	if (t) {
		if (((iss >> 5) & 0x1f) < 31)	/* Rt 31: XZR, nothing to write */
			vcpu.x[(iss >> 5) & 0x1f] = emulated;
		r = resume_until_hvc(hcr, HV_HVC_ID, "after ID_AA64PFR0_EL1");
	}
	diag_env("ID_AA64PFR0_EL1 0x%lx, emulated as 0x%lx", pfr0, emulated);
	check_eq(r ? vcpu.x[3] : 0, emulated,
		 "the guest reads the value the hypervisor emulated into Rt");

	/* HCR_EL2.TVM: an SCTLR_EL1 (S3_0_C1_C0_0) write at EL1 traps (EC 0x18). */
	hcr = HCR_GUEST | HCR_TVM;
	vcpu_reset(el1_tvm);
	vcpu.x[4] = sctlr;
	run(hcr);
	t = expect_exit(EC_SYS64, "SCTLR_EL1 write");
	iss = ESR_ISS(vcpu.esr);
	ok(t, "HCR_EL2.TVM: an SCTLR_EL1 write at EL1 traps to EL2 with ESR_EL2.EC 0x18");
	check_eq(t ? iss : ~0UL, ISS_SYS(3, 0, 1, 0, 0, 4, 0),
		 "ESR_EL2.ISS: Op0 3 Op1 0 CRn 1 CRm 0 Op2 0, Rt 4, Direction 0 (write)");
	check_eq(l2_read(sctlr_el1, SCTLR_EL12), SCTLR_EL1_RES1, "the trapped write did not reach SCTLR_EL1");
	r = false;
	if (t) {
		l2_write(sctlr_el1, SCTLR_EL12, ((iss >> 5) & 0x1f) < 31 ? vcpu.x[(iss >> 5) & 0x1f] : 0);
		isb();
		r = resume_until_hvc(hcr, HV_HVC_TVM, "after SCTLR_EL1 write");
	}
	check_eq(r ? vcpu.x[5] : 0, sctlr,
		 "the guest reads SCTLR_EL1 as the hypervisor wrote it (TVM traps writes only)");
	l2_write(sctlr_el1, SCTLR_EL12, SCTLR_EL1_RES1);
	isb();

	trap_sys(HCR_TRVM, "HCR_EL2.TRVM", el1_trvm, "a TTBR0_EL1 read", ISS_SYS(3, 0, 2, 0, 0, 7, 1),
		 "Op0 3 Op1 0 CRn 2 CRm 0 Op2 0, Rt 7, Direction 1 (read)", 0x00a5000040123000UL);
	trap_sys(HCR_TACR, "HCR_EL2.TACR", el1_tacr, "an ACTLR_EL1 read", ISS_SYS(3, 0, 1, 0, 1, 9, 1),
		 "Op0 3 Op1 0 CRn 1 CRm 0 Op2 1, Rt 9, Direction 1 (read)", 0x5a5aUL);
	trap_sys(HCR_TSW, "HCR_EL2.TSW", el1_tsw, "a DC ISW", ISS_SYS(1, 0, 7, 6, 2, 10, 0),
		 "Op0 1 Op1 0 CRn 7 CRm 6 Op2 2, Rt 10, Direction 0", 0);
	test_fp_trap();

}

void guest_main(void)
{
	u64 el = read_sysreg(CurrentEL) >> 2;
	bool gic_ok;

	if (el != 2) {
		diag("SKIP not entered at EL2");
		return;
	}
	if (bootarg_has("vhe")) {
		/* ID_AA64MMFR1_EL1.VH [11:8]: FEAT_VHE (HCR_EL2.E2H can be 1) */
		if (!((read_sysreg(id_aa64mmfr1_el1) >> 8) & 0xf)) {
			diag("SKIP vhe: ID_AA64MMFR1_EL1.VH is 0 (no FEAT_VHE)");
			return;
		}
		hv_vhe = true;
		vhe_cpu_enter();
	}
	test_el2();
	gic_ok = hv_setup_gic(hyp_timer_irq);
	guard_armed_ok = gic_ok;
	if (!gic_ok)
		diag("no GIC or no EL2 timer interrupt: guest runs are not guarded");
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
	test_register_file();
	test_eret_hvc();
	test_hypercalls();
	test_traps();
	if (hv_vhe)
		test_vhe();
	test_stage2();
	test_vgic(gic_ok);
	test_timers(gic_ok);
	test_smp(gic_ok);
}

