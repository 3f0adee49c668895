/*
 * Guest exits: what the run loop does after guest_enter() returns. A
 * table indexed by ESR_EL2.EC picks the handler of a synchronous exit;
 * the default injects an UNDEF into the guest (Arm ARM D1.10: the
 * "Unknown reason" exception) and logs the exit.
 */
#ifndef NV_EXIT_H
#define NV_EXIT_H

#include <nv/types.h>

struct vcpu;

enum exit_action {
	EXIT_CONTINUE, /* re-enter the same vCPU */
	EXIT_BLOCK,    /* WFI: stop running it until it has work */
	EXIT_YIELD,    /* WFE or a time slice: let others run */
	EXIT_STOP,     /* the vCPU (or its VM) is no longer on */
};

/* Why a guest exited, for accounting (struct vcpu's exit counters). */
enum exit_reason {
	EXIT_R_IRQ,     /* a physical interrupt */
	EXIT_R_WFX,     /* WFI/WFE */
	EXIT_R_HVC,     /* HVC: PSCI/SMCCC */
	EXIT_R_SMC,     /* SMC: PSCI/SMCCC */
	EXIT_R_SYSREG,  /* trapped MSR/MRS */
	EXIT_R_MMIO,    /* emulated MMIO access */
	EXIT_R_ABORT,   /* an abort injected back */
	EXIT_R_UNDEF,   /* anything else: UNDEF injected */
	EXIT_R_SERROR,
	EXIT_REASONS,
};

extern const char *const exit_reason_names[EXIT_REASONS];

enum exit_action handle_exit(struct vcpu *vcpu, u64 vector);
/*
 * The short path (exit_fast.c): true if the exit is handled, counted and
 * the guest may be entered again with nothing else done (its list
 * registers, timers and the EL2 timer as they are); false, with nothing
 * done, for every exit that needs handle_exit().
 */
bool handle_exit_fast(struct vcpu *vcpu, u64 vector);

/* Injections (Arm ARM D1.10.2) for exits nestvisor does not emulate. */
void inject_undef(struct vcpu *vcpu);
void inject_dabt(struct vcpu *vcpu, u64 far, bool write);
void inject_iabt(struct vcpu *vcpu, u64 far);

/* Reads the host's ID registers once, for the guests' sanitised view. */
void sysreg_trap_init(void);
/* The guest's value of ID register (3, 0, 0, crm, op2), crm 1..7. */
u64 vcpu_idreg(const struct vcpu *vcpu, unsigned crm, unsigned op2);
/* Trapped MSR/MRS (EC 0x18), in sysreg_trap.c. */
enum exit_action handle_sysreg(struct vcpu *vcpu, u64 esr);

#endif
