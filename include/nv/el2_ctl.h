/*
 * The EL2 controls a guest context runs with (HCR_EL2, VTTBR_EL2,
 * VTCR_EL2, CPTR_EL2, MDCR_EL2, CNTHCTL_EL2, CNTVOFF_EL2, VPIDR_EL2,
 * VMPIDR_EL2), computed by generic code: nestvisor's own policy for a
 * guest (struct el2_policy, the arch's fixed choice) and, for a nested
 * guest (L2), what L1's virtual EL2 registers add to it. L1 may add traps,
 * never remove nestvisor's. The arch only loads the result
 * (arch_el2_ctl_load). A plain VM's vCPU never goes through here:
 * arch_vcpu_load loads the policy directly.
 */
#ifndef NV_EL2_CTL_H
#define NV_EL2_CTL_H

#include <nv/bits.h>
#include <nv/types.h>

struct el2_ctl {
	u64 hcr, vttbr, vtcr, cptr, mdcr, cnthctl, cntvoff, vpidr, vmpidr;
	u64 vncr; /* VNCR_EL2, loaded only with HCR_EL2.NV2 */
};

/*
 * nestvisor's own EL2 controls for every guest on a CPU, from what the
 * CPU has (el2_policy_init); arch_vcpu_load loads them for a plain vCPU,
 * the nested half builds on them. HCRX_EL2 (FEAT_HCX) and the
 * fine-grained trap registers (FEAT_FGT) are the same for every guest
 * and written once per CPU (arch_vcpu_cpu_init).
 */
struct el2_policy {
	u64 hcr, cptr, mdcr, cnthctl;
	bool hcx, fgt; /* write hcrx / the FGT registers */
	u64 hcrx;
	u64 hfgrtr, hfgwtr, hfgitr, hdfgrtr, hdfgwtr;
};

/*
 * The constant part, which arch_vcpu_load writes as immediates.
 * CPTR_EL2 (E2H = 0) for a guest: FP/SIMD allowed (TFP 0); SVE (TZ [8]),
 * SME (TSM [12]), trace (TTA [20]) and the activity monitors (TAM [30])
 * trapped; the RES1 bits [13], [9] and [7:0] set. CNTHCTL_EL2 (E2H = 0):
 * EL1 may read the physical counter (EL1PCTEN [0]); its physical timer
 * traps (EL1PCEN [1] clear), emulated.
 */
#define EL2_CPTR_GUEST (BIT(13) | BIT(9) | GENMASK(7, 0) | BIT(8) | BIT(12) | \
			BIT(20) | BIT(30))
#define EL2_CNTHCTL_GUEST BIT(0)

/* What the policy depends on: the CPU's features, read by the arch. */
struct el2_host {
	bool ras;  /* FEAT_RAS: ID_AA64PFR0_EL1.RAS != 0 */
	bool lor;  /* FEAT_LOR: ID_AA64MMFR1_EL1.LO != 0 */
	bool hcx;  /* FEAT_HCX: ID_AA64MMFR1_EL1.HCX != 0 */
	bool fgt;  /* FEAT_FGT: ID_AA64MMFR0_EL1.FGT != 0 */
	u64 hpmn;  /* MDCR_EL2.HPMN as the firmware left it */
};

/* The policy for a CPU with h's features (see el2_ctl.c for each bit). */
void el2_policy_init(const struct el2_host *h, struct el2_policy *p);

/*
 * L1 at virtual EL2 (nVHE, FEAT_NV): the policy plus HCR_EL2.NV and NV1
 * (its EL2 register accesses, ERET, and the EL1 exception registers
 * trap), TVM and TRVM (its accesses to the EL1 registers that hold its
 * own EL2 state while it runs are accesses to L2's), AT (its AT S1E1 and
 * S1E0 translate L2's regime, not the one it runs in) and TTLB (its TLBIs
 * of EL1 are for L2's entries, which carry the shadow's VMID), and
 * CPTR_EL2.TCPAC (CPACR_EL1 holds its CPTR_EL2.TFP view).
 * With nv2 (FEAT_NV2): HCR_EL2.NV2 and VNCR_EL2 = vncr (the EL2 address of
 * L1's VNCR page) instead of TVM, TRVM and TCPAC: its accesses to L2's
 * EL1 registers and to the VNCR-backed EL2 ones are loads and stores to
 * the page. With e2h (L1's HCR_EL2.E2H 1, VHE): NV without NV1, TVM and
 * TRVM (the CPU's EL1 registers are its EL2&0 regime's, L2's are reached
 * through the _EL12 forms).
 */
void el2_ctl_vel2(const struct el2_policy *p, bool nv2, bool e2h, u64 vncr,
		  struct el2_ctl *out);

/*
 * L2, given L1's HCR_EL2, CPTR_EL2 and MDCR_EL2 (E2H = 0 layouts): the
 * policy with L1's trap bits added (HCR_EL2 TWI, TWE, TID0-3, TSC,
 * TIDCP, TACR, TSW, TPCP, TPU, TTLB, TVM, TRVM, TDZ; CPTR_EL2 TFP, TTA,
 * TAM, TCPAC, TZ, TSM; MDCR_EL2 TDA, TDE, TDOSA, TDRA, TPM, TPMCR,
 * TTRF, TPMS) and L1's virtual SError/IRQ/FIQ (VSE, VI, VF) passed on
 * where L1's AMO/IMO/FMO route that class to it.
 * Stage 2 is always on: VTTBR_EL2/VTCR_EL2 come from the caller (the
 * shadow, or the VM's own when L1's HCR_EL2.VM = 0). The other fields
 * (CNTHCTL_EL2, CNTVOFF_EL2, VPIDR_EL2, VMPIDR_EL2) are the caller's.
 */
void el2_ctl_l2(const struct el2_policy *p, u64 l1_hcr, u64 l1_cptr,
		u64 l1_mdcr, struct el2_ctl *out);

/* Arch: loads c into the EL2 registers (then ISB). */
void arch_el2_ctl_load(const struct el2_ctl *c);
/* Arch: the policy arch_vcpu_load applies to every guest on this CPU. */
void arch_el2_policy(struct el2_policy *p);

#endif
