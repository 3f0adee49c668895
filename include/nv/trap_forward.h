/*
 * Trap forwarding: for a synchronous exit of a nested guest (L2, at EL1 or
 * EL0 of a VM whose guest hypervisor L1 runs at virtual EL2), does the
 * exception belong to L1 (its virtual HCR_EL2 and friends asked for it, so
 * it is injected into virtual EL2) or to nestvisor? The CPU framework's
 * nested half asks this first, then handles the exit as today or forwards
 * it. The rules are data: one row per trap control of the Arm ARM (the
 * HCR_EL2, CPTR_EL2, MDCR_EL2 and CNTHCTL_EL2 field descriptions), for a
 * non-VHE L1 (E2H = 0). Host-tested; not yet wired into the run loop.
 */
#ifndef NV_TRAP_FORWARD_H
#define NV_TRAP_FORWARD_H

#include <nv/types.h>

/* L1's virtual EL2 trap controls (E2H = 0 layouts). */
struct vel2_traps {
	u64 hcr;     /* HCR_EL2 */
	u64 cptr;    /* CPTR_EL2 */
	u64 mdcr;    /* MDCR_EL2 */
	u64 cnthctl; /* CNTHCTL_EL2 */
};

enum forward {
	FWD_L0,        /* nestvisor handles it, as for a plain VM */
	FWD_L1,        /* injected into L1's virtual EL2 */
	FWD_UNDEF_L2,  /* UNDEFINED at L2's level (e.g. HVC with HCR_EL2.HCD) */
	FWD_S2_WALK,   /* a stage-2 fault: L1's stage 2 decides (s2_walk) */
};

/* Where a synchronous exception from L2 (ESR_EL2 as taken) goes. */
enum forward trap_forward(const struct vel2_traps *t, u64 esr);
/* The name of the trap control that forwarded it, for tracing ("" if none). */
const char *trap_forward_reason(const struct vel2_traps *t, u64 esr);

#endif
