/* The arch half of the vCPU: world switch of everything but the GPRs. */
#ifndef NV_VCPU_ARCH_H
#define NV_VCPU_ARCH_H

#include <nv/vcpu.h>

/* Enters the guest until its next exception; returns the vector index. */
u64 guest_enter(struct vcpu_regs *regs);

/* Breakpoint/watchpoint registers (vcpu_debug.c). */
void arch_debug_init(void);
void arch_debug_load(const struct vcpu_debug *d);
void arch_debug_save(struct vcpu_debug *d);

/* One-time per physical CPU set-up for running guests. */
void arch_vcpu_cpu_init(void);
/* Puts the vCPU's EL1, FP, timer and stage-2 state on this CPU. */
void arch_vcpu_load(struct vcpu *vcpu);
/* Saves it back; the CPU no longer holds any of the vCPU's state. */
void arch_vcpu_put(struct vcpu *vcpu);
/* The vGIC list registers: load before entry, save after exit. */
void arch_vgic_load(struct vcpu *vcpu);
void arch_vgic_save(struct vcpu *vcpu);

/* Exit syndrome of the last guest exception (ESR_EL2, FAR_EL2, HPFAR_EL2). */
u64 arch_exit_esr(void);
u64 arch_exit_far(void);
u64 arch_exit_hpfar(void);

/*
 * Takes a synchronous exception to the guest's EL1 (Arm ARM D1.10.2):
 * ELR/SPSR/ESR/FAR_EL1 set, PC to VBAR_EL1 + the vector for the guest's
 * current EL and stack. The vCPU must be loaded.
 */
void arch_inject_sync(struct vcpu *vcpu, u64 esr, u64 far);
/* The guest's current exception level (1 or 0) from its PSTATE. */
unsigned vcpu_guest_el(const struct vcpu *vcpu);

/* Physical SGI to another CPU (a kick), through ICC_SGI1R_EL1. */
void arch_send_sgi(u64 target_mpidr, u32 intid);

/* CNTV_CTL_EL0 of the loaded vCPU as the hardware has it (ISTATUS live). */
u64 arch_vtimer_ctl(void);

/* Invalidates this VM's stage-1 TLB entries on this CPU (VMALLE1). */
void arch_tlb_flush_guest_local(void);

#endif
