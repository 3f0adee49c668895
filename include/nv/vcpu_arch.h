/* The arch half of the vCPU: world switch of everything but the GPRs. */
#ifndef NV_VCPU_ARCH_H
#define NV_VCPU_ARCH_H

#include <nv/exc_entry.h>
#include <nv/vcpu.h>

/* Enters the guest until its next exception; returns the vector index. */
u64 guest_enter(struct vcpu_regs *regs);

/*
 * Breakpoint/watchpoint registers, claim tags, the DCC and OSECCR_EL1
 * (vcpu_debug.c); fgt: the CPU has FEAT_FGT, so the DCC and OSECCR_EL1
 * trap (MDCR_EL2.TDCC, HDFGxTR_EL2) and are emulated, not switched.
 */
void arch_debug_init(bool fgt);
void arch_debug_load(const struct vcpu_debug *d);
void arch_debug_save(struct vcpu_debug *d);
/* The OS Lock of this CPU (OSLAR_EL1.OSLK), for the loaded vCPU. */
void arch_os_lock_write(bool locked);
/* The host's ACTLR_EL1 (IMPLEMENTATION DEFINED), what guests read. */
u64 arch_host_actlr(void);

/* One-time per physical CPU set-up for running guests. */
void arch_vcpu_cpu_init(void);
/* Puts the vCPU's EL1, FP, timer and stage-2 state on this CPU. */
void arch_vcpu_load(struct vcpu *vcpu);
/* Saves it back; the CPU no longer holds any of the vCPU's state. */
void arch_vcpu_put(struct vcpu *vcpu);
/* The vGIC list registers: load before entry, save after exit. */
void arch_vgic_load(struct vcpu *vcpu);
void arch_vgic_save(struct vcpu *vcpu);
/*
 * The rest of the GIC virtual CPU interface (ICH_VMCR_EL2 and every
 * implemented ICH_AP0R<n>_EL2/ICH_AP1R<n>_EL2), switched with the vCPU by
 * arch_vcpu_load/put; arch_vgic_cpu_init reads ICH_VTR_EL2 once per CPU.
 */
void arch_vgic_cpuif_load(const struct vcpu *vcpu);
void arch_vgic_cpuif_put(struct vcpu *vcpu);
void arch_vgic_cpu_init(void);

/*
 * The guest EL1's exception registers while the vCPU is loaded (they are
 * live on the CPU then): read fills t->sctlr and t->vbar from SCTLR_EL1
 * and VBAR_EL1; write puts t's ELR, SPSR, ESR (and FAR when written)
 * into ELR_EL1, SPSR_EL1, ESR_EL1 and FAR_EL1. exc_enter() runs between.
 */
void arch_el1_exc_regs_read(struct exc_target *t);
void arch_el1_exc_regs_write(const struct exc_target *t);
/*
 * The IPA the loaded vCPU's stage 1 gives va for a read or a write (AT
 * S1E1R/S1E1W, PAR_EL1 kept as the guest had it); false if it gives none.
 */
bool arch_guest_va_to_ipa(u64 va, bool write, u64 *ipa);

/* Physical SGI to another CPU (a kick), through ICC_SGI1R_EL1. */
void arch_send_sgi(u64 target_mpidr, u32 intid);

/* CNTV_CTL_EL0 of the loaded vCPU as the hardware has it (ISTATUS live). */
u64 arch_vtimer_ctl(void);

/* Invalidates this VM's stage-1 TLB entries on this CPU (VMALLE1). */
void arch_tlb_flush_guest_local(void);

#endif
