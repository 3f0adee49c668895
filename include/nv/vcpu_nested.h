/*
 * The nested half of a vCPU: a guest hypervisor (L1) at virtual EL2 and
 * its guest (L2), two contexts of one vCPU (FEAT_NV, HCR_EL2.E2H = 0).
 *
 * L1 at vEL2 really runs at EL1 with HCR_EL2.NV and NV1 set. The EL1
 * registers the CPU uses implicitly (struct el1_ctx) then hold L1's EL2
 * state: SCTLR_EL2, TCR_EL2 in the EL1 format, TTBR0_EL2, MAIR_EL2,
 * AMAIR_EL2, VBAR_EL2, ELR/SPSR/ESR/FAR/AFSR0/AFSR1_EL2, SP_EL2, and
 * CPACR_EL1 its CPTR_EL2.TFP. L2's values of those registers wait in
 * L1's register file (the VEL2_EL1 rows and VEL2_SP_EL1, in the vCPU's
 * VNCR page at the offsets FEAT_NV2 gives them); L1's accesses to them
 * trap (TVM, TRVM, NV1, TCPAC) and are served from there. While L2 runs, the EL1 registers are L2's and
 * L1's EL2 values wait in the register file. The other EL1 registers
 * (TPIDR*, CNTKCTL, PAR, CSSELR, the PAuth keys, the EL1 virtual timer)
 * are the same registers for both contexts and never move.
 *
 * vcpu->regs.pstate is the hardware's: EL1h/EL1t while L1 runs stands for
 * EL2h/EL2t (vel2_virt_pstate). vcpu->sys is the hardware image of the
 * context on the CPU, as for a plain vCPU.
 */
#ifndef NV_VCPU_NESTED_H
#define NV_VCPU_NESTED_H

#include <nv/el1_ctx.h>
#include <nv/el2_ctl.h>
#include <nv/exit.h>
#include <nv/types.h>
#include <nv/vel2_regs.h>
#include <nv/vgic_nested.h>
#include <nv/vtimer_nested.h>

struct vcpu;
struct shadow_s2;

/* Exits of a nested vCPU by level, for accounting. */
enum nested_level { NESTED_L1, NESTED_L2, NESTED_LEVELS };

struct vcpu_nested {
	/* L1's EL2 register file (cpu/vel2_regs.c): its VNCR page and the rest */
	struct vel2_file el2;
	u64 sp_el2;            /* L1's SP_EL2 while L2 runs */
	/*
	 * SPSR_EL2 while L1 runs (see vel2_spsr_read): the value last given
	 * to SPSR_EL2 by nestvisor or by L1, and the SPSR_EL1 and ELR_EL1 it
	 * left on the CPU.
	 */
	u64 spsr_virt, spsr_hw, elr_hw;
	bool in_l2;            /* the context on the CPU: L2, or L1 at vEL2 */
	/*
	 * L1's context is laid out for its HCR_EL2.E2H 1 (VHE): the CPU's
	 * EL1 registers hold its EL2&0 regime's as they are, HCR_EL2.NV1 0
	 * (see vel2_e2h_sync).
	 */
	bool e2h;
	/* L1 at vEL2 under FEAT_NV2 (HCR_EL2.NV2, VNCR_EL2 the page). */
	bool nv2;
	struct vel2_features feat; /* what L1 is offered */
	struct el2_policy policy;
	struct el2_ctl ctl;    /* the EL2 controls of the context on the CPU */
	struct shadow_s2 *shadow; /* held while L2 runs on it */
	bool l2_flat;          /* L2 on the VM's own stage 2 (L1's HCR_EL2.VM 0) */
	struct vgic_nested gic;
	struct vtimer_nested timer;
	/* Accounting: exits per level and reason, and those given to L1. */
	u64 exits[NESTED_LEVELS];
	u64 reasons[NESTED_LEVELS][EXIT_REASONS];
	u64 forwarded;
	/*
	 * L1's TLBIs at vEL2: how many, and the counter ticks nestvisor spent
	 * on them in all and on the longest; [1] the stage-2 forms
	 * (IPAS2*, VMALLS12E1*, ALLE1*: shadow stage 2 invalidated, a VMM's
	 * tear-down is a storm of them), [0] the others.
	 */
	u64 tlbis[2], tlbi_ticks[2], tlbi_max_ticks[2];
};

/* PSTATE.M of EL1t/EL1h and EL2t/EL2h (Arm ARM C5.2.18, SPSR_EL2.M). */
#define PSR_M_EL1T 0x4
#define PSR_M_EL1H 0x5
#define PSR_M_EL2T 0x8
#define PSR_M_EL2H 0x9

/*
 * Sets up vcpu's nested half (n, owned by the VM) at VM creation, with
 * vncr its VNCR page (VEL2_VNCR_PAGE bytes, page aligned, mapped at EL2;
 * the caller's to give back after the VM).
 */
void vel2_vcpu_init(struct vcpu *vcpu, struct vcpu_nested *n, u64 *vncr);
/* After vcpu_apply_reset(): the vCPU starts at vEL2h, L1's registers reset. */
void vel2_reset(struct vcpu *vcpu);
/* After arch_vcpu_load(): the current context's EL2 controls. */
void vel2_load(struct vcpu *vcpu);
/* Right before each entry (IRQs masked): the shadow's VTTBR_EL2, the GIC. */
void vel2_before_entry(struct vcpu *vcpu);
/* Right after each exit: the GIC state folded back. */
void vel2_after_exit(struct vcpu *vcpu);
/* An exit of a nested vCPU (in place of handle_exit()). */
enum exit_action vel2_handle_exit(struct vcpu *vcpu, u64 vector);
/*
 * The short path of a nested vCPU's exit, between vel2_before_entry()
 * and vel2_after_exit(): an exit answered without the state those two
 * move (the list registers, the timers, the page's other registers,
 * which L1 may have written without an exit and which stay as if this
 * exit had not happened), counted as vel2_handle_exit() counts it; the
 * guest is entered again at once. True if it was handled. Today: L1's
 * TLBIs of its own EL2&0 regime (vel2_tlbi_in_host), Linux's on every
 * kernel text patch and vmalloc unmap (KVM has the same short path), and
 * under nv L1's accesses to TPIDR_EL2, a VHE Linux's per-CPU offset.
 */
bool vel2_handle_exit_fast(struct vcpu *vcpu, u64 vector);
/* The earliest deadline of the vCPU's timers (as vtimer_next_deadline). */
u64 vel2_next_deadline(const struct vcpu *vcpu, u64 now, bool loaded);
/* A WFI of the context on the CPU may end (beyond vgic_pending()). */
bool vel2_wake_pending(struct vcpu *vcpu);
/* The PSTATE L1 sees: EL1t/EL1h shown as EL2t/EL2h while L1 runs. */
u64 vel2_virt_pstate(const struct vcpu_nested *n, u64 hw);

/* Arch: the EL1 registers of struct el1_ctx, live on the CPU. */
void arch_el1_ctx_read(struct el1_ctx *c);
void arch_el1_ctx_write(const struct el1_ctx *c);
/* Arch: PAR_EL1 (an AT's result; both contexts share the register). */
void arch_par_el1_write(u64 par);
/*
 * Arch: the EL1 virtual timer and counter as EL2 sees them (with
 * CNTVOFF_EL2 as loaded), for L1's trapped accesses at vEL2 under NV2.
 */
enum { ARCH_CNTV_CTL, ARCH_CNTV_CVAL, ARCH_CNTV_TVAL, ARCH_CNTVCT, ARCH_CNTV_NONE };
u64 arch_el1_vtimer_read(unsigned r);
void arch_el1_vtimer_write(unsigned r, u64 val);
/* Arch: VTTBR_EL2 for the next entry (a shadow's root and VMID). */
void arch_vttbr_write(u64 vttbr);

#endif
