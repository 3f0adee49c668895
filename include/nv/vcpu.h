/*
 * A virtual CPU: its guest register state, its per-vCPU device state
 * (vGIC redistributor and list registers, timers) and its run state.
 */
#ifndef NV_VCPU_H
#define NV_VCPU_H

#include <nv/emu_timer.h>
#include <nv/types.h>
#include <nv/vgic.h>

struct vm;
struct vcpu_nested;

enum vcpu_power {
	VCPU_OFF,     /* PSCI: off, waits for CPU_ON */
	VCPU_ON,
};

/* The guest's general-purpose state (saved on every exit). */
struct vcpu_regs {
	u64 x[31];
	u64 sp_el0;
	u64 pc;     /* ELR_EL2 */
	u64 pstate; /* SPSR_EL2 */
	/*
	 * The exit's syndrome, saved by guest_exit before any other code
	 * runs (a fault or a table walk of nestvisor's own would overwrite
	 * the live registers): ESR_EL2, FAR_EL2, HPFAR_EL2.
	 */
	u64 esr_el2, far_el2, hpfar_el2;
};

/* EL1 system registers switched on every world switch (Arm ARM D19.2). */
struct vcpu_sysregs {
	u64 sctlr_el1, cpacr_el1, ttbr0_el1, ttbr1_el1, tcr_el1;
	u64 esr_el1, afsr0_el1, afsr1_el1, far_el1, mair_el1, amair_el1;
	u64 vbar_el1, contextidr_el1, tpidr_el0, tpidrro_el0, tpidr_el1;
	u64 cntkctl_el1, par_el1, sp_el1, elr_el1, spsr_el1;
	u64 csselr_el1;
	u64 vmpidr_el2, vpidr_el2;
	/* FEAT_RAS: the guest's DISR_EL1 (VDISR_EL2 while HCR_EL2.AMO = 1),
	 * the syndrome of a virtual SError (VSESR_EL2; 0 until nestvisor
	 * injects one). */
	u64 vdisr_el2, vsesr_el2;
	u64 pauth_keys[10]; /* APIA, APIB, APDA, APDB, APGA: lo, hi */
	/* EL1 virtual timer (direct) */
	u64 cntv_ctl_el0, cntv_cval_el0;
};

struct vcpu_fpregs {
	__uint128_t v[32];
	u64 fpsr, fpcr;
};

/*
 * Self-hosted debug state: breakpoint and watchpoint registers, the claim
 * tags (DBGCLAIMSET/CLR_EL1) and MDSCR_EL1, switched with the vCPU; the
 * OS Lock (OSLAR_EL1/OSLSR_EL1, trapped by MDCR_EL2.TDOSA and emulated,
 * then put on the CPU with the vCPU so that it masks debug exceptions).
 * MDCCINT_EL1 and OSECCR_EL1 are emulated where FEAT_FGT lets nestvisor
 * trap them (MDCR_EL2.TDCC, HDFGRTR/HDFGWTR_EL2.OSECCR_EL1), else
 * switched, as are then OSDTRRX_EL1 and OSDTRTX_EL1 (the DCC data).
 */
struct vcpu_debug {
	u64 bvr[16], bcr[16], wvr[16], wcr[16];
	u64 claim, mdscr, mdccint;
	u64 oseccr, osdtrrx, osdtrtx;
	bool os_lock; /* OSLSR_EL1.OSLK: set at reset */
};


struct vcpu {
	struct vm *vm;
	unsigned id;    /* index within the VM */
	u64 mpidr;      /* the guest-visible MPIDR_EL1 */
	enum vcpu_power power;
	bool wfi;       /* blocked in WFI until an interrupt is pending */
	/* PSCI CPU_ON request, consumed when the vCPU first runs. */
	bool reset_pending;
	u64 reset_pc;
	u64 reset_x0;

	struct vcpu_regs regs;
	struct vcpu_sysregs sys;
	struct vcpu_fpregs fp;
	struct vcpu_debug debug;
	struct vgic_cpu vgic;
	struct emu_timer ptimer; /* EL1 physical timer (CNTP_*_EL0 trap) */

	unsigned pcpu; /* physical CPU it is assigned to */
	unsigned rq_slot; /* its slot in that CPU's run queue */
	bool tlb_flush_pending; /* stale stage-1 entries after a VM reset */
	bool vtimer_active; /* its physical vtimer PPI was active at put */
	u64 wake_at;   /* its earliest timer deadline when put (sched_put) */
	u64 exits;     /* exit count, for accounting */
	u64 exit_reasons[9]; /* by enum exit_reason (exit.h) */
	u32 warnings;  /* log lines this vCPU caused (rate limit) */
	/* A virtual-el2 VM's vCPU: its vEL2 and L2 (cpu/vel2.c); else NULL. */
	struct vcpu_nested *nested;
};

/* Log lines a guest may cause per vCPU before they are suppressed. */
#define VCPU_WARN_LIMIT 16

/*
 * A log line about something the guest did: prefixed with the VM and vCPU,
 * and limited so that a guest cannot flood nestvisor's console.
 */
void vcpu_warn(struct vcpu *vcpu, const char *fmt, ...) __printf(2, 3);

/* SCTLR_EL1 at reset: RES1 bits only, MMU and caches off (Arm ARM D19.2). */
#define SCTLR_EL1_RESET UINT64_C(0x30d00800)
/* PSTATE for a vCPU that starts: EL1h, D, A, I and F masked. */
#define PSTATE_EL1H_DAIF UINT64_C(0x3c5)

/*
 * Requests a (re)start of the vCPU at pc with x0 (PSCI CPU_ON, boot,
 * SYSTEM_RESET). Applied by the CPU that runs it, before its next entry.
 */
void vcpu_reset(struct vcpu *vcpu, u64 pc, u64 x0);
/* Applies a pending reset to the register state (vCPU not loaded). */
void vcpu_apply_reset(struct vcpu *vcpu);

#endif
