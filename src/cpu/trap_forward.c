/*
 * Trap-forwarding decisions for a non-VHE guest hypervisor (Arm ARM
 * D19.2: HCR_EL2, CPTR_EL2, MDCR_EL2, CNTHCTL_EL2 "traps ... to EL2"
 * descriptions; the GIC spec for ICC_SGI*R_EL1 and HCR_EL2.IMO/FMO).
 * System registers are matched by encoding ranges, one row per control.
 */
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/trap_forward.h>


struct sysreg_id {
	unsigned op0, op1, crn, crm, op2;
	bool read;
};

static struct sysreg_id sysreg_decode(u64 esr)
{
	struct sysreg_id s = {
		.op0 = (unsigned)field_get(ESR_SYS_OP0, esr),
		.op2 = (unsigned)field_get(ESR_SYS_OP2, esr),
		.op1 = (unsigned)field_get(ESR_SYS_OP1, esr),
		.crn = (unsigned)field_get(ESR_SYS_CRN, esr),
		.crm = (unsigned)field_get(ESR_SYS_CRM, esr),
		.read = (esr & ESR_SYS_READ) != 0,
	};

	return s;
}

enum reg_dir { BOTH, READS, WRITES };
enum reg_ctl { IN_HCR, IN_CPTR, IN_MDCR, IN_CNTHCTL, IN_CNTHCTL_CLEAR, IN_TDE };

/*
 * A range of encodings (any field may be ANY) and the control that traps
 * it. IN_CNTHCTL_CLEAR: the access traps when the bit is *clear*.
 * IN_TDE: MDCR_EL2.TDE, or HCR_EL2.TGE, which makes TDE behave as 1; TDE
 * in turn makes TDA, TDOSA and TDRA behave as 1 (MDCR_EL2 field
 * descriptions), so the debug registers trap with it.
 */
#define ANY 0xffu
struct sys_rule {
	unsigned op0, op1, crn, crm_lo, crm_hi, op2;
	enum reg_dir dir;
	enum reg_ctl where;
	u64 bit;
	const char *name;
};

static const struct sys_rule sys_rules[] = {
	/* HCR_EL2.TID3: the ID group 3 space (op0 3, op1 0, CRn 0, CRm 1..7). */
	{ 3, 0, 0, 1, 7, ANY, READS, IN_HCR, HCR_TID3, "HCR_EL2.TID3" },
	/* TID1: REVIDR_EL1, AIDR_EL1, SMIDR_EL1 (FEAT_SME). */
	{ 3, 0, 0, 0, 0, 6, READS, IN_HCR, HCR_TID1, "HCR_EL2.TID1" },
	{ 3, 1, 0, 0, 0, 7, READS, IN_HCR, HCR_TID1, "HCR_EL2.TID1" },
	{ 3, 1, 0, 0, 0, 6, READS, IN_HCR, HCR_TID1, "HCR_EL2.TID1" },
	/* TID2: CTR_EL0, CCSIDR_EL1, CCSIDR2_EL1, CLIDR_EL1, CSSELR_EL1. */
	{ 3, 3, 0, 0, 0, 1, READS, IN_HCR, HCR_TID2, "HCR_EL2.TID2" },
	{ 3, 1, 0, 0, 0, 0, READS, IN_HCR, HCR_TID2, "HCR_EL2.TID2" },
	{ 3, 1, 0, 0, 0, 2, READS, IN_HCR, HCR_TID2, "HCR_EL2.TID2" },
	{ 3, 1, 0, 0, 0, 1, READS, IN_HCR, HCR_TID2, "HCR_EL2.TID2" },
	{ 3, 2, 0, 0, 0, 0, BOTH, IN_HCR, HCR_TID2, "HCR_EL2.TID2" },
	/* TVM (writes) / TRVM (reads): the virtual memory controls. */
	{ 3, 0, 1, 0, 0, 0, WRITES, IN_HCR, HCR_TVM, "HCR_EL2.TVM" },   /* SCTLR_EL1 */
	{ 3, 0, 2, 0, 0, ANY, WRITES, IN_HCR, HCR_TVM, "HCR_EL2.TVM" }, /* TTBR0/1, TCR */
	{ 3, 0, 5, 1, 2, ANY, WRITES, IN_HCR, HCR_TVM, "HCR_EL2.TVM" }, /* AFSR0/1, ESR */
	{ 3, 0, 6, 0, 0, 0, WRITES, IN_HCR, HCR_TVM, "HCR_EL2.TVM" },   /* FAR_EL1 */
	{ 3, 0, 10, 2, 3, 0, WRITES, IN_HCR, HCR_TVM, "HCR_EL2.TVM" },  /* MAIR, AMAIR */
	{ 3, 0, 13, 0, 0, 1, WRITES, IN_HCR, HCR_TVM, "HCR_EL2.TVM" },  /* CONTEXTIDR_EL1 */
	{ 3, 0, 1, 0, 0, 0, READS, IN_HCR, HCR_TRVM, "HCR_EL2.TRVM" },
	{ 3, 0, 2, 0, 0, ANY, READS, IN_HCR, HCR_TRVM, "HCR_EL2.TRVM" },
	{ 3, 0, 5, 1, 2, ANY, READS, IN_HCR, HCR_TRVM, "HCR_EL2.TRVM" },
	{ 3, 0, 6, 0, 0, 0, READS, IN_HCR, HCR_TRVM, "HCR_EL2.TRVM" },
	{ 3, 0, 10, 2, 3, 0, READS, IN_HCR, HCR_TRVM, "HCR_EL2.TRVM" },
	{ 3, 0, 13, 0, 0, 1, READS, IN_HCR, HCR_TRVM, "HCR_EL2.TRVM" },
	/* TACR: ACTLR_EL1. */
	{ 3, 0, 1, 0, 0, 1, BOTH, IN_HCR, HCR_TACR, "HCR_EL2.TACR" },
	/* TSW: DC ISW, CSW, CISW (op0 1, op1 0, CRn 7, CRm 6/10/14, op2 2). */
	{ 1, 0, 7, 6, 6, 2, WRITES, IN_HCR, HCR_TSW, "HCR_EL2.TSW" },
	{ 1, 0, 7, 10, 10, 2, WRITES, IN_HCR, HCR_TSW, "HCR_EL2.TSW" },
	{ 1, 0, 7, 14, 14, 2, WRITES, IN_HCR, HCR_TSW, "HCR_EL2.TSW" },
	/* TPCP: DC IVAC, CVAC, CVAP, CVADP, CIVAC to the point of
	 * coherency/persistence (CVAP: FEAT_DPB, CVADP: FEAT_DPB2). */
	{ 1, 0, 7, 6, 6, 1, WRITES, IN_HCR, HCR_TPCP, "HCR_EL2.TPCP" },
	{ 1, 3, 7, 10, 10, 1, WRITES, IN_HCR, HCR_TPCP, "HCR_EL2.TPCP" },
	{ 1, 3, 7, 12, 13, 1, WRITES, IN_HCR, HCR_TPCP, "HCR_EL2.TPCP" },
	{ 1, 3, 7, 14, 14, 1, WRITES, IN_HCR, HCR_TPCP, "HCR_EL2.TPCP" },
	/* TPU: IC IALLUIS, IALLU, IVAU and DC CVAU. */
	{ 1, 0, 7, 1, 1, 0, WRITES, IN_HCR, HCR_TPU, "HCR_EL2.TPU" },
	{ 1, 0, 7, 5, 5, 0, WRITES, IN_HCR, HCR_TPU, "HCR_EL2.TPU" },
	{ 1, 3, 7, 5, 5, 1, WRITES, IN_HCR, HCR_TPU, "HCR_EL2.TPU" },
	{ 1, 3, 7, 11, 11, 1, WRITES, IN_HCR, HCR_TPU, "HCR_EL2.TPU" },
	/* TTLB: TLB maintenance at EL1 (op0 1, op1 0, CRn 8; CRn 9 for the
	 * nXS forms of FEAT_XS). */
	{ 1, 0, 8, 0, 15, ANY, WRITES, IN_HCR, HCR_TTLB, "HCR_EL2.TTLB" },
	{ 1, 0, 9, 0, 15, ANY, WRITES, IN_HCR, HCR_TTLB, "HCR_EL2.TTLB" },
	/* TDZ: DC ZVA. */
	{ 1, 3, 7, 4, 4, 1, WRITES, IN_HCR, HCR_TDZ, "HCR_EL2.TDZ" },
	/* TIDCP: the IMPLEMENTATION DEFINED space (op0 3, CRn 11 and 15). */
	{ 3, ANY, 11, 0, 15, ANY, BOTH, IN_HCR, HCR_TIDCP, "HCR_EL2.TIDCP" },
	{ 3, ANY, 15, 0, 15, ANY, BOTH, IN_HCR, HCR_TIDCP, "HCR_EL2.TIDCP" },
	/* TERR: ERRIDR, ERRSELR, ERX* (op0 3, op1 0, CRn 5, CRm 3..5). */
	{ 3, 0, 5, 3, 5, ANY, BOTH, IN_HCR, HCR_TERR, "HCR_EL2.TERR" },
	/* TLOR: LORSA, LOREA, LORN, LORC (CRn 10, CRm 4, op2 0..3), LORID
	 * (op2 7); op2 4 there is MPAMIDR_EL1, not a LOR register. */
	{ 3, 0, 10, 4, 4, 0, BOTH, IN_HCR, HCR_TLOR, "HCR_EL2.TLOR" },
	{ 3, 0, 10, 4, 4, 1, BOTH, IN_HCR, HCR_TLOR, "HCR_EL2.TLOR" },
	{ 3, 0, 10, 4, 4, 2, BOTH, IN_HCR, HCR_TLOR, "HCR_EL2.TLOR" },
	{ 3, 0, 10, 4, 4, 3, BOTH, IN_HCR, HCR_TLOR, "HCR_EL2.TLOR" },
	{ 3, 0, 10, 4, 4, 7, BOTH, IN_HCR, HCR_TLOR, "HCR_EL2.TLOR" },
	/* IMO/FMO: writes of ICC_SGI1R (op2 5), ICC_ASGI1R (6) and ICC_SGI0R
	 * (7) trap when either bit is set (HCR_EL2.<IMO,FMO> != 0). */
	{ 3, 0, 12, 11, 11, 5, WRITES, IN_HCR, HCR_IMO, "HCR_EL2.IMO" },
	{ 3, 0, 12, 11, 11, 6, WRITES, IN_HCR, HCR_IMO, "HCR_EL2.IMO" },
	{ 3, 0, 12, 11, 11, 7, WRITES, IN_HCR, HCR_IMO, "HCR_EL2.IMO" },
	{ 3, 0, 12, 11, 11, 5, WRITES, IN_HCR, HCR_FMO, "HCR_EL2.FMO" },
	{ 3, 0, 12, 11, 11, 6, WRITES, IN_HCR, HCR_FMO, "HCR_EL2.FMO" },
	{ 3, 0, 12, 11, 11, 7, WRITES, IN_HCR, HCR_FMO, "HCR_EL2.FMO" },
	/* CPTR_EL2.TCPAC: CPACR_EL1. TTA: the trace registers (op0 2, op1 1,
	 * CRn 0..7; CRn 8 and 9 there are BRBE's, not trace registers). */
	{ 3, 0, 1, 0, 0, 2, BOTH, IN_CPTR, CPTR_TCPAC, "CPTR_EL2.TCPAC" },
	{ 2, 1, 0, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	{ 2, 1, 1, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	{ 2, 1, 2, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	{ 2, 1, 3, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	{ 2, 1, 4, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	{ 2, 1, 5, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	{ 2, 1, 6, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	{ 2, 1, 7, 0, 15, ANY, BOTH, IN_CPTR, CPTR_TTA, "CPTR_EL2.TTA" },
	/* MDCR_EL2.TPMCR: PMCR_EL0; TPM: the PMU (CRn 9 CRm 12..14, CRn 14 CRm 8..15). */
	{ 3, 3, 9, 12, 12, 0, BOTH, IN_MDCR, MDCR_TPMCR, "MDCR_EL2.TPMCR" },
	{ 3, 3, 9, 12, 14, ANY, BOTH, IN_MDCR, MDCR_TPM, "MDCR_EL2.TPM" },
	{ 3, 0, 9, 14, 14, ANY, BOTH, IN_MDCR, MDCR_TPM, "MDCR_EL2.TPM" },
	{ 3, 3, 14, 8, 15, ANY, BOTH, IN_MDCR, MDCR_TPM, "MDCR_EL2.TPM" },
	/* TDRA: MDRAR_EL1. TDOSA: OSLAR, OSLSR, OSDLR, DBGPRCR. */
	{ 2, 0, 1, 0, 0, 0, BOTH, IN_MDCR, MDCR_TDRA, "MDCR_EL2.TDRA" },
	{ 2, 0, 1, 0, 0, 4, BOTH, IN_MDCR, MDCR_TDOSA, "MDCR_EL2.TDOSA" },
	{ 2, 0, 1, 1, 1, 4, BOTH, IN_MDCR, MDCR_TDOSA, "MDCR_EL2.TDOSA" },
	{ 2, 0, 1, 3, 3, 4, BOTH, IN_MDCR, MDCR_TDOSA, "MDCR_EL2.TDOSA" },
	{ 2, 0, 1, 4, 4, 4, BOTH, IN_MDCR, MDCR_TDOSA, "MDCR_EL2.TDOSA" },
	/* TDA: the other debug registers (op0 2: op1 0 CRn 0 and 7, op1 3). */
	{ 2, 0, 0, 0, 15, ANY, BOTH, IN_MDCR, MDCR_TDA, "MDCR_EL2.TDA" },
	{ 2, 0, 7, 0, 15, ANY, BOTH, IN_MDCR, MDCR_TDA, "MDCR_EL2.TDA" },
	{ 2, 3, ANY, 0, 15, ANY, BOTH, IN_MDCR, MDCR_TDA, "MDCR_EL2.TDA" },
	/* TDE (or TGE) traps all of the above. */
	{ 2, 0, 0, 0, 15, ANY, BOTH, IN_TDE, MDCR_TDE, "MDCR_EL2.TDE" },
	{ 2, 0, 1, 0, 4, 0, BOTH, IN_TDE, MDCR_TDE, "MDCR_EL2.TDE" },
	{ 2, 0, 1, 0, 4, 4, BOTH, IN_TDE, MDCR_TDE, "MDCR_EL2.TDE" },
	{ 2, 0, 7, 0, 15, ANY, BOTH, IN_TDE, MDCR_TDE, "MDCR_EL2.TDE" },
	{ 2, 3, ANY, 0, 15, ANY, BOTH, IN_TDE, MDCR_TDE, "MDCR_EL2.TDE" },
	/* CNTHCTL_EL2 (E2H = 0): EL1PCTEN clear traps CNTPCT_EL0 (and
	 * CNTPCTSS_EL0); EL1PCEN clear traps CNTP_TVAL/CTL/CVAL_EL0. */
	{ 3, 3, 14, 0, 0, 1, READS, IN_CNTHCTL_CLEAR, CNTHCTL_EL1PCTEN, "CNTHCTL_EL2.EL1PCTEN" },
	{ 3, 3, 14, 0, 0, 5, READS, IN_CNTHCTL_CLEAR, CNTHCTL_EL1PCTEN, "CNTHCTL_EL2.EL1PCTEN" },
	{ 3, 3, 14, 2, 2, ANY, BOTH, IN_CNTHCTL_CLEAR, CNTHCTL_EL1PCEN, "CNTHCTL_EL2.EL1PCEN" },
	/* FEAT_ECV, trapping when set: EL1TVCT traps CNTVCT_EL0 and
	 * CNTVCTSS_EL0, EL1TVT CNTV_TVAL/CTL/CVAL_EL0. */
	{ 3, 3, 14, 0, 0, 2, READS, IN_CNTHCTL, CNTHCTL_EL1TVCT, "CNTHCTL_EL2.EL1TVCT" },
	{ 3, 3, 14, 0, 0, 6, READS, IN_CNTHCTL, CNTHCTL_EL1TVCT, "CNTHCTL_EL2.EL1TVCT" },
	{ 3, 3, 14, 3, 3, ANY, BOTH, IN_CNTHCTL, CNTHCTL_EL1TVT, "CNTHCTL_EL2.EL1TVT" },
};

static bool field_match(unsigned rule, unsigned v)
{
	return rule == ANY || rule == v;
}

static bool rule_traps(const struct vel2_traps *t, const struct sys_rule *r)
{
	switch (r->where) {
	case IN_HCR:
		return (t->hcr & r->bit) != 0;
	case IN_CPTR:
		return (t->cptr & r->bit) != 0;
	case IN_MDCR:
		return (t->mdcr & r->bit) != 0;
	case IN_TDE:
		return (t->mdcr & MDCR_TDE) != 0 || (t->hcr & HCR_TGE) != 0;
	case IN_CNTHCTL:
		return (t->cnthctl & r->bit) != 0;
	default:
		return (t->cnthctl & r->bit) == 0;
	}
}

static const struct sys_rule *sysreg_rule(const struct vel2_traps *t, u64 esr)
{
	struct sysreg_id s = sysreg_decode(esr);

	for (unsigned i = 0; i < ARRAY_SIZE(sys_rules); i++) {
		const struct sys_rule *r = &sys_rules[i];

		if (r->op0 != s.op0 || !field_match(r->op1, s.op1) ||
		    !field_match(r->crn, s.crn) || s.crm < r->crm_lo ||
		    s.crm > r->crm_hi || !field_match(r->op2, s.op2))
			continue;
		if ((r->dir == READS && !s.read) || (r->dir == WRITES && s.read))
			continue;
		if (rule_traps(t, r))
			return r;
	}
	/* PAuth key registers trap unless HCR_EL2.APK (CRn 2, CRm 1..3). */
	if (s.op0 == 3 && s.op1 == 0 && s.crn == 2 && s.crm >= 1 && s.crm <= 3 &&
	    !(t->hcr & HCR_APK)) {
		static const struct sys_rule apk = { 3, 0, 2, 1, 3, ANY, BOTH, IN_HCR,
						     HCR_APK, "HCR_EL2.APK (clear)" };
		return &apk;
	}
	return NULL;
}

/* One row per exception class: the control that sends it to EL2. */
static const char *class_reason(const struct vel2_traps *t, u64 esr,
				enum forward *fwd)
{
	unsigned ec = esr_ec(esr);
	u32 iss = esr_iss(esr);

	*fwd = FWD_L1;
	switch (ec) {
	case EC_WFX: /* ISS.TI: 0 WFI, 1 WFE, 2 WFIT, 3 WFET */
		if ((iss & 1) ? (t->hcr & HCR_TWE) : (t->hcr & HCR_TWI))
			return (iss & 1) ? "HCR_EL2.TWE" : "HCR_EL2.TWI";
		break;
	case EC_FP_ASIMD:
		if (t->cptr & CPTR_TFP)
			return "CPTR_EL2.TFP";
		break;
	case EC_PAC:
		/* PAuth instructions trap unless HCR_EL2.API. */
		if (!(t->hcr & HCR_API))
			return "HCR_EL2.API (clear)";
		break;
	case EC_SVE:
		if (t->cptr & CPTR_TZ)
			return "CPTR_EL2.TZ";
		break;
	case EC_SME:
		if (t->cptr & CPTR_TSM)
			return "CPTR_EL2.TSM";
		break;
	case EC_HVC64:
		/* HVC at EL1 targets EL2, unless HCR_EL2.HCD makes it UNDEFINED. */
		if (t->hcr & HCR_HCD) {
			*fwd = FWD_UNDEF_L2;
			return "HCR_EL2.HCD";
		}
		return "HVC";
	case EC_SMC64:
		if (t->hcr & HCR_TSC)
			return "HCR_EL2.TSC";
		break;
	case EC_SYS64: {
		const struct sys_rule *r = sysreg_rule(t, esr);

		if (r)
			return r->name;
		break;
	}
	case EC_IABT_LOW:
	case EC_DABT_LOW:
		/* With L1's stage 2 on, its tables decide (shadow stage 2). */
		if (t->hcr & HCR_VM) {
			*fwd = FWD_S2_WALK;
			return "HCR_EL2.VM";
		}
		break;
	case EC_BREAKPT_LOW:
	case EC_SOFTSTP_LOW:
	case EC_WATCHPT_LOW:
	case EC_BRK64:
		if ((t->mdcr & MDCR_TDE) || (t->hcr & HCR_TGE))
			return "MDCR_EL2.TDE";
		break;
	default:
		break;
	}
	*fwd = FWD_L0;
	return "";
}

enum forward trap_forward(const struct vel2_traps *t, u64 esr)
{
	enum forward f;

	class_reason(t, esr, &f);
	return f;
}

const char *trap_forward_reason(const struct vel2_traps *t, u64 esr)
{
	enum forward f;

	return class_reason(t, esr, &f);
}
