/*
 * The EL1 registers that change hands when a vCPU with a virtual EL2
 * switches between L1 at vEL2 and L2 (include/nv/vcpu_nested.h).
 */
#ifndef NV_EL1_CTX_H
#define NV_EL1_CTX_H

#include <nv/types.h>

struct el1_ctx {
	u64 sctlr, cpacr, ttbr0, ttbr1, tcr, esr, far, afsr0, afsr1;
	u64 mair, amair, contextidr, vbar, elr, spsr, sp, cntkctl;
};

#endif
