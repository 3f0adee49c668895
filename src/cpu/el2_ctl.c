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
#define CPTR_L1_TRAPS (CPTR_TFP | CPTR_TTA | CPTR_TAM | CPTR_TCPAC | CPTR_TZ | \
		       CPTR_TSM)
#define MDCR_L1_TRAPS (MDCR_TDA | MDCR_TDE | MDCR_TDOSA | MDCR_TDRA |         \
		       MDCR_TPM | MDCR_TPMCR | MDCR_TTRF | MDCR_TPMS)

/*
 * HCR_EL2 for a guest: stage 2 on, physical interrupts to EL2, WFI/WFE
 * and SMC trapped, ID group 3 trapped (sanitised ID registers),
 * broadcast maintenance inner shareable, PAuth not trapped (keys are
 * switched). As KVM: the IMPLEMENTATION DEFINED registers (TIDCP: op0 3,
 * CRn 11 and 15) and ACTLR_EL1 (TACR) trapped, so that no guest reaches
 * the CPU's own controls; with FEAT_RAS also the error records (TERR)
 * and synchronous external aborts (TEA), which nestvisor gives back;
 * with FEAT_LOR the LORegions registers (TLOR: the feature is hidden).
 */
#define HCR_GUEST (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | \
		   HCR_BSU_IS | HCR_TWI | HCR_TWE | HCR_TID3 | HCR_TSC | HCR_RW | \
		   HCR_APK | HCR_API | HCR_TIDCP | HCR_TACR)
/*
 * MDCR_EL2 for a guest, beside HPMN: PMU, statistical profiling (TPMS;
 * E2PB = 0 also traps the buffer registers) and trace filter registers
 * trap: the guest has none. TDOSA traps the OS Lock, OS Double Lock and
 * powerdown registers (OSLAR, OSLSR, OSDLR, DBGPRCR_EL1), emulated per
 * vCPU. With FEAT_FGT, TDCC traps the Debug Communications Channel
 * (MDCCSR_EL0, MDCCINT_EL1, OSDTRRX/TX_EL1, DBGDTR*_EL0) too; TDA, which
 * would trap every other debug register as well, stays clear.
 */
#define MDCR_GUEST (MDCR_TPM | MDCR_TPMCR | MDCR_TTRF | MDCR_TPMS | MDCR_TDOSA)
/* HDFGRTR_EL2/HDFGWTR_EL2.OSECCR_EL1 [10]. */
#define HDFGxTR_OSECCR_EL1 BIT(10)

void el2_policy_init(const struct el2_host *h, struct el2_policy *p)
{
	p->hcr = HCR_GUEST | (h->ras ? HCR_TERR | HCR_TEA : 0) |
		 (h->lor ? HCR_TLOR : 0);
	p->cptr = EL2_CPTR_GUEST;
	p->mdcr = (h->hpmn & MDCR_HPMN_MASK) | MDCR_GUEST | (h->fgt ? MDCR_TDCC : 0);
	p->cnthctl = EL2_CNTHCTL_GUEST;
	/* HCRX_EL2: no extra EL1 features (FEAT_HCX's controls all 0). */
	p->hcx = h->hcx;
	p->hcrx = 0;
	/*
	 * Fine-grained traps all zero but HDFGRTR_EL2/HDFGWTR_EL2.OSECCR_EL1,
	 * which trap OSECCR_EL1 (emulated per vCPU) without MDCR_EL2.TDA.
	 * The other positive-polarity bits then trap nothing; the "n" bits
	 * (nTPIDR2_EL0, nPOR_EL1, nGCS_*, nACCDATA_EL1, nBRBDATA, ...) trap
	 * the registers of features the guest's ID registers hide, which
	 * then reach it as UNDEF. Only EL1 and EL0 accesses are affected.
	 */
	p->fgt = h->fgt;
	p->hfgrtr = p->hfgwtr = p->hfgitr = 0;
	p->hdfgrtr = p->hdfgwtr = HDFGxTR_OSECCR_EL1;
}

void el2_ctl_vel2(const struct el2_policy *p, bool nv2, bool e2h, u64 vncr,
		  struct el2_ctl *out)
{
	/*
	 * With L1's E2H 1 its EL1 register names at vEL2 are its own EL2
	 * registers, which the CPU's EL1 registers hold as they are: NV1 0,
	 * no TVM/TRVM (L2's are reached through the _EL12 forms, which NV
	 * traps). CPACR_EL1 still traps under nv (TCPAC): it is CPTR_EL2
	 * then, whose TAM and TCPAC it has no room for.
	 */
	out->hcr = p->hcr | HCR_NV | HCR_AT | HCR_TTLB | (e2h ? 0 : HCR_NV1) |
		   (nv2 ? HCR_NV2 : e2h ? 0 : HCR_TVM | HCR_TRVM);
	out->cptr = p->cptr | (nv2 ? 0 : CPTR_TCPAC);
	out->mdcr = p->mdcr;
	out->vncr = nv2 ? vncr : 0;
}

void el2_ctl_l2(const struct el2_policy *p, u64 l1_hcr, u64 l1_cptr,
		u64 l1_mdcr, struct el2_ctl *out)
{
	/*
	 * L1's virtual SError, IRQ and FIQ (HCR_EL2.VSE, VI, VF) are
	 * signalled to L2 only where L1 routes that class to itself (AMO,
	 * IMO, FMO; TGE 0): else they mean nothing (Arm ARM D19.2, HCR_EL2.VI
	 * and friends). The CPU's own AMO/IMO/FMO are always set.
	 */
	u64 virqs = 0;

	if (!(l1_hcr & HCR_TGE)) {
		virqs |= (l1_hcr & HCR_AMO) ? (l1_hcr & HCR_VSE) : 0;
		virqs |= (l1_hcr & HCR_IMO) ? (l1_hcr & HCR_VI) : 0;
		virqs |= (l1_hcr & HCR_FMO) ? (l1_hcr & HCR_VF) : 0;
	}
	out->hcr = p->hcr | HCR_VM | (l1_hcr & HCR_L1_TRAPS) | virqs;
	out->cptr = p->cptr | (l1_cptr & CPTR_L1_TRAPS);
	out->mdcr = p->mdcr | (l1_mdcr & MDCR_L1_TRAPS);
}
