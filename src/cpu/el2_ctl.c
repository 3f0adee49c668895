/*
 * The EL2 controls of a nested vCPU's two contexts (include/nv/el2_ctl.h;
 * Arm ARM D19.2, the HCR_EL2, CPTR_EL2 and MDCR_EL2 field descriptions
 * with HCR_EL2.E2H = 0).
 */
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/el2_ctl.h>

/* HCR_EL2 trap controls of L1's that apply to L2 as they are. */
#define HCR_L1_TRAPS (HCR_TWI | HCR_TWE | HCR_TID0 | HCR_TID1 | HCR_TID2 |    \
		      HCR_TID3 | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TSW |   \
		      HCR_TPCP | HCR_TPU | HCR_TTLB | HCR_TVM | HCR_TRVM |    \
		      HCR_TDZ)
/* L1's virtual exceptions for L2 (taken with AMO, IMO, FMO, always set). */
#define HCR_L1_VIRQS (HCR_VSE | HCR_VI | HCR_VF)
#define CPTR_L1_TRAPS (CPTR_TFP | CPTR_TTA | CPTR_TAM | CPTR_TCPAC | CPTR_TZ | \
		       CPTR_TSM)
#define MDCR_L1_TRAPS (MDCR_TDA | MDCR_TDE | MDCR_TDOSA | MDCR_TDRA |         \
		       MDCR_TPM | MDCR_TPMCR | MDCR_TTRF | MDCR_TPMS)

void el2_ctl_vel2(const struct el2_policy *p, struct el2_ctl *out)
{
	out->hcr = p->hcr | HCR_NV | HCR_NV1 | HCR_TVM | HCR_TRVM | HCR_AT |
		   HCR_TTLB;
	out->cptr = p->cptr | CPTR_TCPAC;
	out->mdcr = p->mdcr;
}

void el2_ctl_l2(const struct el2_policy *p, u64 l1_hcr, u64 l1_cptr,
		u64 l1_mdcr, struct el2_ctl *out)
{
	out->hcr = p->hcr | HCR_VM | (l1_hcr & (HCR_L1_TRAPS | HCR_L1_VIRQS));
	out->cptr = p->cptr | (l1_cptr & CPTR_L1_TRAPS);
	out->mdcr = p->mdcr | (l1_mdcr & MDCR_L1_TRAPS);
}
