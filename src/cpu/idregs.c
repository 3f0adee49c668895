/*
 * ID register sanitisation (Arm ARM D19.2, ID_AA64*_EL1 field tables).
 * AArch32 ID registers read as zero: guests are AArch64 only.
 */
#include <nv/bits.h>
#include <nv/cpufeature.h>
#include <nv/idregs.h>
#include <nv/vm_desc.h>

#define F(shift) (UINT64_C(0xf) << (shift))
#define VAL(shift, v) ((u64)(v) << (shift))

struct idreg_rule {
	unsigned crm, op2;
	u64 keep;  /* fields copied from the host */
	u64 fixed; /* fields with a value of nestvisor's choosing */
};

static const struct idreg_rule rules[] = {
	/* ID_AA64PFR0_EL1: AArch64-only EL0/EL1, no EL2/EL3, FP, AdvSIMD,
	 * GICv3 system registers, DIT, CSV2/CSV3 (CSV2 capped below). No RAS,
	 * SVE, SEL2, MPAM, AMU, RME. */
	{ 4, 0, F(16) | F(20) | F(48) | F(56) | F(60),
	  VAL(0, 1) | VAL(4, 1) | VAL(24, 1) },
	/* ID_AA64PFR1_EL1: BT, SSBS. No MTE, SME, NMI, GCS, ... */
	{ 4, 1, F(0) | F(4), 0 },
	/* ID_AA64DFR0_EL1: DebugVer, BRPs, WRPs, CTX_CMPs. No PMU, SPE,
	 * trace, BRBE. DoubleLock 0b1111 (FEAT_DoubleLock not implemented):
	 * OSDLR_EL1 is RAZ/WI under MDCR_EL2.TDOSA, as without the feature. */
	{ 5, 0, F(0) | F(12) | F(20) | F(28), VAL(36, 0xf) },
	/* ID_AA64ISAR0_EL1: AES, SHA1, SHA2, CRC32, Atomic, RDM, SHA3, SM3,
	 * SM4, DP, FHM, TS, TLB, RNDR. No TME. */
	{ 6, 0, F(4) | F(8) | F(12) | F(16) | F(20) | F(28) | F(32) | F(36) |
		F(40) | F(44) | F(48) | F(52) | F(56) | F(60), 0 },
	/* ID_AA64ISAR1_EL1: DPB, APA, API, JSCVT, FCMA, LRCPC, GPA, GPI,
	 * FRINTTS, SB, SPECRES, BF16, DGH, I8MM, XS. No LS64 (needs HCRX_EL2). */
	{ 6, 1, F(0) | F(4) | F(8) | F(12) | F(16) | F(20) | F(24) | F(28) |
		F(32) | F(36) | F(40) | F(44) | F(48) | F(52) | F(56), 0 },
	/* ID_AA64ISAR2_EL1: RPRES, GPA3, APA3, BC, PAC_frac, CLRBHB, PRFMSLC,
	 * RPRFM, CSSC. No WFxT, MOPS (needs HCRX_EL2), 128-bit sysregs, ATS1A. */
	{ 6, 2, F(4) | F(8) | F(12) | F(20) | F(24) | F(28) | F(40) | F(48) |
		F(52), 0 },
	/* ID_AA64MMFR0_EL1: ASIDBits, BigEnd, SNSMem, BigEndEL0, TGran16/64/4,
	 * ExS; PARange from the VM, ECV capped below. No FGT. */
	{ 7, 0, F(4) | F(8) | F(12) | F(16) | F(20) | F(24) | F(28) | F(44), 0 },
	/* ID_AA64MMFR1_EL1: HAFDBS, HPDS, PAN, XNX, ETS, AFP, nTLBPA, CMOW,
	 * ECBHB. No VMIDBits, LO, TWED, HCX; VH only for a virtual EL2
	 * (below). */
	{ 7, 1, F(0) | F(12) | F(20) | F(28) | F(36) | F(44) | F(48) | F(56) |
		F(60), 0 },
	/* ID_AA64MMFR2_EL1: CnP, UAO, LSM, IESB, VARange, CCIDX, ST, AT, IDS,
	 * TTL, BBM, E0PD. No NV, FWB, EVT. */
	{ 7, 2, F(0) | F(4) | F(8) | F(12) | F(16) | F(20) | F(28) | F(32) |
		F(36) | F(48) | F(52) | F(60), 0 },
};

/* What each hide-cpu-features name clears (order of vm_desc.c's table). */
struct hide_rule {
	unsigned crm, op2;
	u64 mask;
};

static const struct hide_rule hide[][4] = {
	/* pauth: APA, API, GPA, GPI; APA3, GPA3, PAC_frac */
	{ { 6, 1, F(4) | F(8) | F(24) | F(28) }, { 6, 2, F(8) | F(12) | F(24) } },
	{ { 6, 0, F(20) } },                 /* lse: Atomic */
	{ { 6, 0, F(16) } },                 /* crc32 */
	{ { 6, 0, F(4) } },                  /* aes */
	{ { 6, 0, F(8) | F(12) | F(32) | F(36) | F(40) } }, /* sha: SHA1/2/3, SM3/4 */
	{ { 6, 0, F(48) } },                 /* fp16: FHM here, FP/AdvSIMD below */
	{ { 6, 0, F(44) } },                 /* dotprod: DP */
	{ { 6, 0, F(28) } },                 /* rdm */
	{ { 4, 1, F(0) } },                  /* bti: BT */
};

#define HIDE_FP16 5


u64 idreg_guest_value(unsigned crm, unsigned op2, const u64 *host,
		      const struct idreg_cfg *cfg)
{
	u64 hw = host[idreg_index(crm, op2)], v = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(rules); i++) {
		if (rules[i].crm != crm || rules[i].op2 != op2)
			continue;
		v = (hw & rules[i].keep) | rules[i].fixed;
		break;
	}
	if (crm == 4 && op2 == 0) {
		/* CSV2 >= 2 would promise SCXTNUM_ELx, which is not switched. */
		if (id_field(v, 56) > 1)
			v = (v & ~F(56)) | VAL(56, 1);
		/* fp16 hidden: FP and AdvSIMD 1 (with FP16) become 0; FHM,
		 * which needs FP16, is cleared below with ISAR0. */
		if ((cfg->hidden_features & BIT(HIDE_FP16)) && id_field(v, 16) == 1)
			v &= ~(F(16) | F(20));
	}
	if (crm == 7 && op2 == 0) {
		v |= VAL(0, parange_from_bits(cfg->ipa_bits));
		/* ECV 1 (self-synchronised counter views) at most: no CNTPOFF. */
		v |= VAL(60, MIN(id_field(hw, 60), 1u));
	}
	/*
	 * A virtual EL2 (FEAT_NV trap-and-emulate): EL2 in AArch64
	 * (ID_AA64PFR0_EL1.EL2 [11:8] = 1); what its stage 2 does not emulate
	 * hidden: hardware access flag and dirty state (ID_AA64MMFR1_EL1.HAFDBS
	 * [3:0]) and 52-bit addresses with 4 KiB and 16 KiB granules (LPA2:
	 * MMFR0.TGran4 [31:28] 1 capped to 0, TGran16 [23:20] 2 capped to 1).
	 * FEAT_NV and NV2 stay hidden (ID_AA64MMFR2_EL1.NV [27:24] is not in
	 * the keep mask): L1 cannot nest in turn yet.
	 */
	if (cfg->vel2) {
		if (crm == 4 && op2 == 0)
			v |= VAL(8, 1);
		if (crm == 7 && op2 == 1) {
			v &= ~F(0);
			/* ID_AA64MMFR1_EL1.VH [11:8]: FEAT_VHE (0b0001) as the
			 * description asks, never more than the host has. */
			if (cfg->l1_vhe)
				v |= VAL(8, MIN(id_field(hw, 8), 1u));
		}
		if (crm == 7 && op2 == 0) {
			if (id_field(v, 28) == 1)
				v &= ~F(28);
			if (id_field(v, 20) == 2)
				v = (v & ~F(20)) | VAL(20, 1);
		}
		/*
		 * ID_AA64MMFR4_EL1.E2H0 [27:24], a signed field: 0 FEAT_E2H0
		 * (HCR_EL2.E2H can be 0); 0b1111 (-1) no FEAT_E2H0, E2H RES1;
		 * 0b1110 (-2) neither FEAT_E2H0 nor FEAT_NV1 (HCR_EL2.NV1
		 * RES0), its only encoding of "no FEAT_NV1", hence l1_nv1
		 * false only with l1_e2h0 false (vm_desc.c). The register's
		 * other fields stay 0 (NV_frac [23:20] too: FEAT_NV hidden).
		 */
		if (crm == 7 && op2 == 4)
			v = VAL(24, cfg->l1_e2h0 ? 0 : cfg->l1_nv1 ? 0xf : 0xe);
	}
	for (unsigned f = 0; f < ARRAY_SIZE(hide); f++) {
		if (!(cfg->hidden_features & BIT(f)))
			continue;
		for (unsigned j = 0; j < ARRAY_SIZE(hide[f]); j++)
			if (hide[f][j].mask && hide[f][j].crm == crm &&
			    hide[f][j].op2 == op2)
				v &= ~hide[f][j].mask;
	}
	return v;
}
