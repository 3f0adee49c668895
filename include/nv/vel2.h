/*
 * Inside the CPU framework's nested half (cpu/vel2*.c, cpu/nested_exit.c):
 * what its files call of each other. The run loop's interface is
 * include/nv/vcpu_nested.h.
 */
#ifndef NV_VEL2_H
#define NV_VEL2_H

#include <nv/exc_entry.h>
#include <nv/exit.h>
#include <nv/types.h>

struct el1_ctx;
struct vcpu;
struct vcpu_nested;

/* TCR_EL2 (E2H = 0) as TCR_EL1 for L1's EL2 regime run as EL1&0. */
u64 vel2_tcr_to_el1(u64 tcr_el2);
/* CPACR_EL1 while L1 runs, from its CPTR_EL2. */
u64 vel2_cpacr(u64 cptr_el2);
/*
 * SPSR_EL2 of L1 while it runs (c: the CPU's EL1 registers). With
 * HCR_EL2.{NV,NV1} = {1,1} and no NV2, an exception L1 takes at vEL2 (the
 * CPU's EL1, from EL1) saves PSTATE in SPSR_EL1 with M[3:2] = 0b01
 * (EL1; only NV without NV1, or NV2, report 0b10). So SPSR_EL1 holds
 * what nestvisor or L1 last wrote as SPSR_EL2 while it and ELR_EL1 are
 * as they left them, else the hardware's save of a vEL2 PSTATE, EL1t/h
 * standing for EL2t/h. vel2_spsr_note records a write. Under NV2
 * (n->nv2) SPSR_EL1 is SPSR_EL2 as it is: the CPU reports an exception
 * taken at vEL2 with M[3:2] = 0b10 and L1's SPSR_EL2 accesses go to
 * SPSR_EL1 untrapped, so nothing is tracked and nothing converted.
 */
u64 vel2_spsr_read(const struct vcpu_nested *n, const struct el1_ctx *c);
void vel2_spsr_note(struct vcpu_nested *n, const struct el1_ctx *c, u64 spsr);
/* An exception taken to vEL2, from L2 or from vEL2 itself. */
void vel2_take(struct vcpu *vcpu, enum exc_type type, u64 esr, const u64 *far);
/* A synchronous exception of L2 given to L1 (HPFAR_EL2 set too). */
void vel2_forward(struct vcpu *vcpu, u64 esr, const u64 *far, u64 hpfar);
/* ERET at vEL2 (EC 0x1A). */
enum exit_action vel2_eret(struct vcpu *vcpu, u64 esr);

/* What vel2_sysreg() did with an access of L1 at vEL2. */
enum vel2_access {
	VEL2_NOT_MINE, /* not an EL2 register: the plain handler's */
	VEL2_DONE,     /* emulated; a read's value in *val */
	VEL2_UNDEF,    /* UNDEFINED at EL2 */
	VEL2_TAKEN,    /* an exception was taken to vEL2 instead */
};
/* A trapped MSR/MRS/SYS of L1 at vEL2 (enc SYSREG_ENC). */
enum vel2_access vel2_sysreg(struct vcpu *vcpu, u32 enc, bool read, u64 *val);
/*
 * A TLBI of the EL1&0 regime (op1 0, CRn 8) by L1 at vEL2 with HCR_EL2
 * {E2H, TGE} = {1, 1}: the "host" regime, L1's own EL2&0, which runs as
 * the CPU's EL1&0 on the VM's VMID: the TLBI itself (arch_tlbi_el1_is),
 * counted; false, nothing done, in any other case.
 */
bool vel2_tlbi_in_host(struct vcpu *vcpu, u32 enc, u64 xt);

/*
 * NV2: L1's page-backed registers it wrote without a trap, taken in at an
 * exit of L1: the GIC's (vel2_gic_from_page) and the timer controls
 * (CNTVOFF_EL2, CNTHCTL_EL2: the EL2 controls reloaded if they changed).
 */
void vel2_gic_from_page(struct vcpu_nested *n);
/* The nested vGIC's view of those registers written back to the page. */
void vel2_gic_to_page(struct vcpu_nested *n);
void vel2_nv2_sync(struct vcpu *vcpu);
/*
 * L1's HCR_EL2.E2H in its file against the layout its context has
 * (n->e2h): on a change, the context, its EL2 controls and the timers'
 * view follow (true then).
 */
bool vel2_e2h_sync(struct vcpu *vcpu);

/* The guest-visible features exception entry depends on (exit.c). */
u32 exit_exc_features(const struct vcpu *vcpu);
/* The MMIO emulation of a data abort at ipa (exit.c). */
enum exit_action exit_mmio_at(struct vcpu *vcpu, u64 esr, u64 ipa);

/*
 * With L1's E2H 1, the registers the CPU holds part of while L1 runs:
 * TCR_EL2 in TCR_EL1 (all but HA/HD [40:39]: FEAT_HAFDBS is hidden from
 * L1), CPTR_EL2's FPEN [21:20] and TTA [28] in CPACR_EL1 (TAM and TCPAC,
 * which CPACR_EL1 lacks, stay in the file, ZEN and SMEN too: SVE and SME
 * are not offered), CNTHCTL_EL2's EL0 controls [9:0] (CNTKCTL_EL1's
 * layout) in CNTKCTL_EL1. For r one of the three: the bits on the CPU,
 * and in *hw the field of c holding them; 0 for any other register.
 */
u64 vel2_e2h_hw_part(enum vel2_reg r, struct el1_ctx *c, u64 **hw);

#endif
