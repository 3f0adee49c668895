/*
 * CPU features that matter to nestvisor, decoded from the AArch64 ID
 * registers (Arm ARM D19.2, "ID_AA64*_EL1").
 */
#ifndef NV_CPUFEATURE_H
#define NV_CPUFEATURE_H

#include <nv/bootparam.h>
#include <nv/types.h>

/* Raw ID register values, read by the arch layer (or set by a test). */
struct id_regs {
	u64 midr;
	u64 pfr0;  /* ID_AA64PFR0_EL1 */
	u64 mmfr0; /* ID_AA64MMFR0_EL1 */
	u64 mmfr1; /* ID_AA64MMFR1_EL1 */
	u64 mmfr2; /* ID_AA64MMFR2_EL1 */
	u64 mmfr4; /* ID_AA64MMFR4_EL1 */
	/* HCR_EL2 as read back after the boot code wrote E2H = 0: E2H still
	 * set means it is RES1 (CPUs older than the E2H0 field, too). */
	u64 hcr_el2;
};

/* ID_AA64PFR0_EL1 fields */
#define ID_PFR0_EL2_SHIFT 8
#define ID_PFR0_GIC_SHIFT 24
#define ID_PFR0_SVE_SHIFT 32
/* ID_AA64MMFR0_EL1 fields */
#define ID_MMFR0_PARANGE_SHIFT 0
#define ID_MMFR0_FGT_SHIFT 56
#define ID_MMFR0_ECV_SHIFT 60
/* ID_AA64MMFR1_EL1 fields */
#define ID_MMFR1_VMIDBITS_SHIFT 4
#define ID_MMFR1_VH_SHIFT 8
/* ID_AA64MMFR2_EL1 fields */
#define ID_MMFR2_NV_SHIFT 24
/* ID_AA64MMFR4_EL1 fields */
#define ID_MMFR4_E2H0_SHIFT 24

struct cpu_features {
	bool el2;           /* ID_AA64PFR0_EL1.EL2 != 0 */
	bool vhe;           /* ID_AA64MMFR1_EL1.VH == 1 (FEAT_VHE) */
	bool nv;            /* ID_AA64MMFR2_EL1.NV >= 1 (FEAT_NV) */
	bool nv2;           /* ID_AA64MMFR2_EL1.NV >= 2 (FEAT_NV2) */
	bool nv1;           /* FEAT_NV1: FEAT_NV and ID_AA64MMFR4_EL1.E2H0 != -2 */
	int e2h0;           /* ID_AA64MMFR4_EL1.E2H0, signed: 0, -1, -2 */
	bool e2h_res1;      /* HCR_EL2.E2H is RES1: E2H0 < 0 or it reads back 1 */
	unsigned ecv;       /* ID_AA64MMFR0_EL1.ECV: 0, 1 (FEAT_ECV), 2 (CNTPOFF) */
	bool fgt;           /* ID_AA64MMFR0_EL1.FGT >= 1 (FEAT_FGT) */
	bool fgt2;          /* ID_AA64MMFR0_EL1.FGT >= 2 (FEAT_FGT2) */
	bool gicv3_sysregs; /* ID_AA64PFR0_EL1.GIC >= 1 */
	bool sve;           /* ID_AA64PFR0_EL1.SVE >= 1 */
	unsigned pa_bits;   /* from ID_AA64MMFR0_EL1.PARange */
	unsigned parange;   /* the raw PARange encoding (for TCR/VTCR.PS) */
	unsigned vmid_bits; /* ID_AA64MMFR1_EL1.VMIDBits: 8 or 16 */
};

void cpu_features_decode(const struct id_regs *r, struct cpu_features *f);

/*
 * Whether nestvisor can run on this CPU: it runs its own EL2 with
 * HCR_EL2.E2H = 0 (non-VHE layouts of TCR/CPTR/CNTHCTL_EL2) and refuses
 * a CPU where E2H is RES1. False with the reason in err.
 */
bool cpu_features_supported(const struct cpu_features *f, char *err,
			    size_t errlen);

/* PARange encoding to bits (Arm ARM, ID_AA64MMFR0_EL1.PARange); 0 if reserved. */
unsigned parange_to_bits(unsigned parange);
/* The largest PARange encoding, up to 52 bits, whose size is at most bits. */
unsigned parange_from_bits(unsigned bits);

/*
 * Chooses the nesting mode: auto becomes nv2 where the CPU has FEAT_NV2,
 * else nv where it has FEAT_NV, else off. An explicit request the CPU
 * cannot honour is an error (returns false, message in err).
 */
bool nested_mode_resolve(enum nested_mode req, const struct cpu_features *f,
			 enum nested_mode *out, char *err, size_t errlen);

#endif
