/*
 * The address translation instructions a guest hypervisor (L1) executes
 * at virtual EL2, emulated by software walks (Arm ARM, "A64 system
 * instructions for address translation", "Address translation
 * instructions" and PAR_EL1). They trap to nestvisor: AT S1E1* and
 * AT S1E0* through HCR_EL2.AT, AT S1E2* and AT S12E* as EL2 instructions
 * executed at EL1 with HCR_EL2.NV (FEAT_NV). The CPU side decodes the
 * trapped instruction (vel2_at_decode), gathers the registers by value
 * and writes the returned PAR_EL1 to L1's PAR_EL1, or injects the Data
 * Abort the instruction takes instead.
 *
 * Pure: nothing here reads nestvisor's state; L1's memory (L1 IPAs) is
 * read through a callback, as the stage-2 walk does. The stage-1 walk is
 * mem/s1_walk.c, L1's stage 2 mem/s2_walk.c.
 */
#ifndef NV_VEL2_AT_H
#define NV_VEL2_AT_H

#include <nv/s2_walk.h>
#include <nv/types.h>

enum vel2_at_op {
	VEL2_AT_S1E2R,  /* L1's own EL2 (or EL2&0) regime, stage 1 */
	VEL2_AT_S1E2W,
	VEL2_AT_S1E1R,  /* L2's EL1&0 regime, stage 1: an L2 IPA */
	VEL2_AT_S1E1W,
	VEL2_AT_S1E0R,  /* the same, as an EL0 access */
	VEL2_AT_S1E0W,
	VEL2_AT_S12E1R, /* L2's stage 1, then L1's stage 2: an L1 IPA */
	VEL2_AT_S12E1W,
	VEL2_AT_S12E0R,
	VEL2_AT_S12E0W,
};

/* One translation regime's registers. */
struct vel2_at_regime {
	u64 sctlr, tcr, ttbr0, ttbr1, mair;
};

/* What an AT instruction of L1 reads, by value. */
struct vel2_at_regs {
	/*
	 * L1's own SCTLR_EL2, TCR_EL2, TTBR0_EL2, TTBR1_EL2 (used with
	 * HCR_EL2.E2H = 1 only) and MAIR_EL2.
	 */
	struct vel2_at_regime el2;
	/* L2's SCTLR_EL1, TCR_EL1, TTBR0_EL1, TTBR1_EL1, MAIR_EL1 (L1's values). */
	struct vel2_at_regime el1;
	/* L1's HCR_EL2 (VM, PTW, DC, CD, E2H, TGE are read), VTCR_EL2, VTTBR_EL2. */
	u64 hcr, vtcr, vttbr;
	/* The PARange L1 is shown (ID_AA64MMFR0_EL1), in bits. */
	unsigned pa_bits;
};

/*
 * Instead of a PAR_EL1: an AT instruction whose walk meets a synchronous
 * External abort takes it as a Data Abort (Arm ARM, "Exceptions to
 * reporting the fault in PAR_EL1"; PAR_EL1.FST has no encoding for it),
 * at vEL2 since it was executed there: ESR_EL2 (EC 0x25, IL, CM = 1,
 * WnR = 1, S1PTW, DFSC) and FAR_EL2 (the input address); PAR_EL1 is left
 * unchanged.
 */
struct vel2_at_abort {
	bool taken;
	u64 esr;
	u64 far;
};

/*
 * The AT instruction of a trapped system instruction, by its encoding
 * (SYSREG_ENC: op0 1, CRn 7, CRm 8; op1 0 for S1E1R/W and S1E0R/W, op1 4
 * for S1E2R/W and S12E1R/W, S12E0R/W). False for anything else, the
 * S1E1RP/WP (FEAT_PAN2) and S1E3 forms among them.
 */
bool vel2_at_decode(u32 enc, enum vel2_at_op *op);

/*
 * Executes AT op on va at vEL2 and returns the PAR_EL1 value (64-bit
 * format) hardware would give (pseudocode AArch64.AT, AArch64.EncodePAR):
 * on success F = 0, PA [47:12], NS [9] = 1, SH [8:7], ATTR [63:56]; on a
 * fault F = 1, FST [6:1], PTW [8] for a stage-2 fault on a stage-1 table
 * walk, S [9] for a stage-2 fault; bit 11 (RES1) is set in both, as QEMU
 * does. With HCR_EL2.{E2H,TGE} = {1,1} the EL1 forms translate the EL2&0
 * regime, as on hardware. rd reads L1 IPA memory. If abort is not NULL
 * and the instruction takes an External abort instead, abort->taken is
 * set and the return value is the PAR_EL1 such a fault would give.
 */
u64 vel2_at(enum vel2_at_op op, u64 va, const struct vel2_at_regs *regs,
	    s2_read_fn rd, void *ctx, struct vel2_at_abort *abort);

#endif
