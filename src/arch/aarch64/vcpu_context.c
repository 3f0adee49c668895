/*
 * The vCPU world switch beyond the general registers: EL1 system
 * registers, FP/SIMD, pointer-authentication keys, the EL1 virtual timer,
 * the GIC virtual CPU interface and the EL2 controls of the guest
 * (HCR_EL2, VTTBR_EL2, VTCR_EL2, CNTHCTL_EL2, CNTVOFF_EL2, MDCR_EL2,
 * CPTR_EL2, VPIDR_EL2, VMPIDR_EL2; Arm ARM D19.2).
 */
#include <stddef.h>
#include <nv/arch.h>
#include <nv/bits.h>
#include <nv/cpufeature.h>
#include <nv/el2_ctl.h>
#include <nv/irq.h>
#include <nv/percpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vm.h>
#include "asm.h"
#include "sysreg.h"

void fpsimd_save(struct vcpu_fpregs *fp);
void fpsimd_load(const struct vcpu_fpregs *fp);

static bool have_pauth, have_ras;
/* nestvisor's EL2 controls for every guest on this CPU (cpu/el2_ctl.c). */
static struct el2_policy policy;
/*
 * What a guest reads as ACTLR_EL1 (KVM: the host's value). HCR_EL2.TACR
 * traps every access and ACTLR_EL1 is never switched, so the live
 * register is this CPU's own.
 */
u64 arch_host_actlr(void)
{
	return read_sysreg(actlr_el1);
}

void arch_vcpu_cpu_init(void)
{
	u64 isar1 = read_sysreg(id_aa64isar1_el1);
	u64 isar2 = read_sysreg(s3_0_c0_c6_2);
	u64 mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	struct id_regs idr;
	struct cpu_features f;

	arch_read_id_regs(&idr);
	cpu_features_decode(&idr, &f);

	/* ID_AA64ISAR1_EL1.{APA,API} [7:4],[11:8], ISAR2.APA3 [15:12]. */
	have_pauth = ((isar1 >> 4) & 0xff) || ((isar2 >> 12) & 0xf);
	/* FEAT_RAS (ID_AA64PFR0_EL1.RAS [31:28]): TERR, TEA, VDISR/VSESR_EL2. */
	have_ras = ((pfr0 >> 28) & 0xf) != 0;
	if (have_ras)
		write_sysreg(SYS_VSESR_EL2, 0);
	/*
	 * The policy (cpu/el2_ctl.c) from FEAT_RAS, FEAT_LOR (MMFR1.LO
	 * [19:16]: hidden, HCR_EL2.TLOR traps it), FEAT_HCX (MMFR1.HCX
	 * [43:40]), FEAT_FGT and the firmware's MDCR_EL2.HPMN.
	 */
	{
		struct el2_host h = {
			.ras = have_ras,
			.lor = ((mmfr1 >> 16) & 0xf) != 0,
			.hcx = ((mmfr1 >> 40) & 0xf) != 0,
			.fgt = f.fgt,
			.hpmn = read_sysreg(mdcr_el2) & MDCR_HPMN_MASK,
		};

		el2_policy_init(&h, &policy);
	}
	/*
	 * FEAT_MPAM (ID_AA64PFR0_EL1.MPAM [43:40], PFR1.MPAM_frac [19:16]) is
	 * hidden from guests: MPAM2_EL2.TRAPMPAM0EL1/TRAPMPAM1EL1 make their
	 * MPAM0/1_EL1 accesses trap (UNDEF, as KVM), so no guest picks the
	 * CPU's cache and bandwidth partition for what runs after it, and
	 * MPAMHCR_EL2.TRAP_MPAMIDR_EL1 (where MPAMIDR_EL1.HAS_HCR) hides
	 * MPAMIDR_EL1. EL2 itself uses the default partition.
	 */
	if (((pfr0 >> 40) & 0xf) || ((read_sysreg(id_aa64pfr1_el1) >> 16) & 0xf)) {
		write_sysreg(SYS_MPAM2_EL2, MPAM2_TRAPMPAM1EL1 | MPAM2_TRAPMPAM0EL1);
		if (read_sysreg(SYS_MPAMIDR_EL1) & MPAMIDR_HAS_HCR)
			write_sysreg(SYS_MPAMHCR_EL2, MPAMHCR_TRAP_MPAMIDR);
	}
	/* The same for every guest: written once. */
	if (policy.hcx)
		write_sysreg(SYS_HCRX_EL2, policy.hcrx);
	if (policy.fgt) {
		write_sysreg(SYS_HFGRTR_EL2, policy.hfgrtr);
		write_sysreg(SYS_HFGWTR_EL2, policy.hfgwtr);
		write_sysreg(SYS_HFGITR_EL2, policy.hfgitr);
		write_sysreg(SYS_HDFGRTR_EL2, policy.hdfgrtr);
		write_sysreg(SYS_HDFGWTR_EL2, policy.hdfgwtr);
	}
	/*
	 * The guest's GIC interface is the system-register one: ICC_SRE_EL1
	 * is set once here, and ICC_SRE_EL2.Enable = 0 makes the guest's
	 * accesses to it trap (emulated as SRE = DFB = DIB = 1, writes ignored),
	 * so no guest can change it under the next one.
	 */
	write_sysreg(SYS_ICC_SRE_EL1, 0x7);
	isb();
	write_sysreg(SYS_ICC_SRE_EL2, read_sysreg(SYS_ICC_SRE_EL2) & ~BIT(3));
	isb();
	arch_vgic_cpu_init();
	arch_debug_init(f.fgt);
}

static void load_pauth(const u64 *k)
{
	write_sysreg(SYS_APIAKEYLO_EL1, k[0]);
	write_sysreg(SYS_APIAKEYHI_EL1, k[1]);
	write_sysreg(SYS_APIBKEYLO_EL1, k[2]);
	write_sysreg(SYS_APIBKEYHI_EL1, k[3]);
	write_sysreg(SYS_APDAKEYLO_EL1, k[4]);
	write_sysreg(SYS_APDAKEYHI_EL1, k[5]);
	write_sysreg(SYS_APDBKEYLO_EL1, k[6]);
	write_sysreg(SYS_APDBKEYHI_EL1, k[7]);
	write_sysreg(SYS_APGAKEYLO_EL1, k[8]);
	write_sysreg(SYS_APGAKEYHI_EL1, k[9]);
}

static void save_pauth(u64 *k)
{
	k[0] = read_sysreg(SYS_APIAKEYLO_EL1);
	k[1] = read_sysreg(SYS_APIAKEYHI_EL1);
	k[2] = read_sysreg(SYS_APIBKEYLO_EL1);
	k[3] = read_sysreg(SYS_APIBKEYHI_EL1);
	k[4] = read_sysreg(SYS_APDAKEYLO_EL1);
	k[5] = read_sysreg(SYS_APDAKEYHI_EL1);
	k[6] = read_sysreg(SYS_APDBKEYLO_EL1);
	k[7] = read_sysreg(SYS_APDBKEYHI_EL1);
	k[8] = read_sysreg(SYS_APGAKEYLO_EL1);
	k[9] = read_sysreg(SYS_APGAKEYHI_EL1);
}

void arch_vcpu_load(struct vcpu *vcpu)
{
	const struct vcpu_sysregs *s = &vcpu->sys;
	struct vm *vm = vcpu->vm;

	write_sysreg(vttbr_el2, vm->vttbr);
	write_sysreg(vtcr_el2, vm->vtcr);
	write_sysreg(cntvoff_el2, vm->cntvoff);
	write_sysreg(vpidr_el2, s->vpidr_el2);
	write_sysreg(vmpidr_el2, s->vmpidr_el2);
	write_sysreg(cnthctl_el2, EL2_CNTHCTL_GUEST);
	write_sysreg(mdcr_el2, policy.mdcr);
	write_sysreg(cptr_el2, EL2_CPTR_GUEST);

	write_sysreg(sctlr_el1, s->sctlr_el1);
	write_sysreg(cpacr_el1, s->cpacr_el1);
	write_sysreg(ttbr0_el1, s->ttbr0_el1);
	write_sysreg(ttbr1_el1, s->ttbr1_el1);
	write_sysreg(tcr_el1, s->tcr_el1);
	write_sysreg(esr_el1, s->esr_el1);
	write_sysreg(afsr0_el1, s->afsr0_el1);
	write_sysreg(afsr1_el1, s->afsr1_el1);
	write_sysreg(far_el1, s->far_el1);
	write_sysreg(mair_el1, s->mair_el1);
	write_sysreg(amair_el1, s->amair_el1);
	write_sysreg(vbar_el1, s->vbar_el1);
	write_sysreg(contextidr_el1, s->contextidr_el1);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(cntkctl_el1, s->cntkctl_el1);
	write_sysreg(par_el1, s->par_el1);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr_el1);
	write_sysreg(spsr_el1, s->spsr_el1);
	write_sysreg(csselr_el1, s->csselr_el1);
	if (have_ras) {
		write_sysreg(SYS_VDISR_EL2, s->vdisr_el2);
		write_sysreg(SYS_VSESR_EL2, s->vsesr_el2);
	}
	if (have_pauth)
		load_pauth(s->pauth_keys);
	fpsimd_load(&vcpu->fp);
	arch_debug_load(&vcpu->debug);

	write_sysreg(cntv_cval_el0, s->cntv_cval_el0);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl_el0);
	arch_vgic_cpuif_load(vcpu);
	write_sysreg(hcr_el2, policy.hcr);
	isb();
}

void arch_vcpu_put(struct vcpu *vcpu)
{
	struct vcpu_sysregs *s = &vcpu->sys;

	s->cntv_ctl_el0 = read_sysreg(cntv_ctl_el0);
	s->cntv_cval_el0 = read_sysreg(cntv_cval_el0);
	/* The timer must not fire for this vCPU while another context runs. */
	write_sysreg(cntv_ctl_el0, 0);
	arch_vgic_cpuif_put(vcpu);

	s->sctlr_el1 = read_sysreg(sctlr_el1);
	s->cpacr_el1 = read_sysreg(cpacr_el1);
	s->ttbr0_el1 = read_sysreg(ttbr0_el1);
	s->ttbr1_el1 = read_sysreg(ttbr1_el1);
	s->tcr_el1 = read_sysreg(tcr_el1);
	s->esr_el1 = read_sysreg(esr_el1);
	s->afsr0_el1 = read_sysreg(afsr0_el1);
	s->afsr1_el1 = read_sysreg(afsr1_el1);
	s->far_el1 = read_sysreg(far_el1);
	s->mair_el1 = read_sysreg(mair_el1);
	s->amair_el1 = read_sysreg(amair_el1);
	s->vbar_el1 = read_sysreg(vbar_el1);
	s->contextidr_el1 = read_sysreg(contextidr_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->cntkctl_el1 = read_sysreg(cntkctl_el1);
	s->par_el1 = read_sysreg(par_el1);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr_el1 = read_sysreg(elr_el1);
	s->spsr_el1 = read_sysreg(spsr_el1);
	s->csselr_el1 = read_sysreg(csselr_el1);
	if (have_ras)
		s->vdisr_el2 = read_sysreg(SYS_VDISR_EL2);
	if (have_pauth)
		save_pauth(s->pauth_keys);
	fpsimd_save(&vcpu->fp);
	arch_debug_save(&vcpu->debug);

	write_sysreg(hcr_el2, HCR_RW | HCR_AMO | HCR_IMO | HCR_FMO);
	write_sysreg(SYS_ICH_HCR_EL2, 0);
	isb();
}

_Static_assert(offsetof(struct vcpu_regs, x[30]) == REGS_X30, "REGS_X30");
_Static_assert(offsetof(struct vcpu_regs, sp_el0) == REGS_SP_EL0, "REGS_SP_EL0");
_Static_assert(offsetof(struct vcpu_regs, pc) == REGS_PC, "REGS_PC");
_Static_assert(offsetof(struct vcpu_regs, pstate) == REGS_PSTATE, "REGS_PSTATE");
_Static_assert(offsetof(struct vcpu_regs, esr_el2) == REGS_ESR &&
	       offsetof(struct vcpu_regs, far_el2) == REGS_ESR + 8, "REGS_ESR");
_Static_assert(offsetof(struct vcpu_regs, hpfar_el2) == REGS_HPFAR, "REGS_HPFAR");

void arch_el1_exc_regs_read(struct exc_target *t)
{
	t->sctlr = read_sysreg(sctlr_el1);
	t->vbar = read_sysreg(vbar_el1);
}

void arch_el1_exc_regs_write(const struct exc_target *t)
{
	write_sysreg(elr_el1, t->elr);
	write_sysreg(spsr_el1, t->spsr);
	write_sysreg(esr_el1, t->esr);
	if (t->far_written)
		write_sysreg(far_el1, t->far);
}

/*
 * AT S1E1R/S1E1W from EL2 (Arm ARM C5.5): a stage-1 translation of the
 * EL1&0 regime that reports faults in PAR_EL1 (F, bit 0) instead of
 * taking them; on success PAR_EL1.PA [51:12] is the IPA.
 */
bool arch_guest_va_to_ipa(u64 va, bool write, u64 *ipa)
{
	u64 saved = read_sysreg(par_el1), par;

	if (write)
		__asm__ volatile("at s1e1w, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s1e1r, %0" : : "r"(va) : "memory");
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if (par & 1)
		return false;
	*ipa = (par & GENMASK(51, 12)) | (va & 0xfff);
	return true;
}

void arch_send_sgi(u64 mpidr, u32 intid)
{
	/* ICC_SGI1R_EL1: Aff3 [55:48], RS [47:44] (Aff0 / 16), Aff2
	 * [39:32], INTID [27:24], Aff1 [23:16], TargetList [15:0] (bit
	 * Aff0 % 16). */
	u64 v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr & 0xff) >> 4) << 44 |
		((mpidr >> 16) & 0xff) << 32 | ((mpidr >> 8) & 0xff) << 16 |
		(u64)(intid & 0xf) << 24 | BIT(mpidr & 0xf);

	dsb(ish);
	write_sysreg(SYS_ICC_SGI1R_EL1, v);
	isb();
}

u64 arch_vtimer_ctl(void)
{
	return read_sysreg(cntv_ctl_el0);
}

void arch_tlb_flush_guest_local(void)
{
	dsb(nshst);
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
}

void arch_el2_policy(struct el2_policy *p)
{
	*p = policy;
}
