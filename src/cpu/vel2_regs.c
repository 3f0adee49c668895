/*
 * L1's EL2 register state as a table (include/nv/vel2_regs.h).
 *
 * Where the facts come from (each value was checked against a second
 * source where one could be found; the few that could not are listed):
 *  - Encodings: the Linux kernel's arch/arm64/tools/sysreg and
 *    arch/arm64/include/asm/sysreg.h (SYS_*_EL2, the ICH_* and ICC_SRE_EL2
 *    encodings), checked against QEMU's target/arm cpreg definitions and
 *    hw/intc/arm_gicv3_cpuif.c, and against a table of Arm ARM encodings.
 *    ICH_LR<n>_EL2 is CRm 12 + n / 8, op2 n % 8; ICH_AP0R<n>/AP1R<n> are
 *    CRm 8/9, op2 n (GICv3 architecture specification, ICH_* registers).
 *  - VNCR page offsets: Linux's arch/arm64/include/asm/vncr_mapping.h,
 *    checked against QEMU's nv2_redirect_offset markings, which follow
 *    the Arm ARM's VNCR_EL2 offset table (rule R_CSRPQ). HAFGRTR_EL2's
 *    offset is from Linux only (QEMU has no FEAT_AMUv1p1).
 *  - RES0/RES1: the Arm ARM register descriptions (Armv8-A DDI 0487 and
 *    the DDI 0601/0595 system register pages) for the E2H = 0 layouts,
 *    Linux's sysreg field lists and kvm_arm.h (CPTR_EL2 and TCR_EL2 in
 *    their non-VHE form), and the GICv3 specification for ICC_ and ICH_.
 *    The E2H = 1 layouts: the Arm ARM's E2H = 1 field lists of SCTLR_EL2,
 *    TCR_EL2, CPTR_EL2 and CNTHCTL_EL2, checked against Linux's sysreg
 *    lists of the EL1 registers whose layout they take (SCTLR_EL1,
 *    TCR_EL1, CPACR_EL1).
 *  - The _EL12/_EL02 accessors: op1 5 with the EL1/EL0 register's CRn,
 *    CRm and op2 (Linux's sysreg "Mapping" entries, the Arm ARM's
 *    encoding index).
 *
 * Which bits are in res0: only bits that are RES0 whatever features L1
 * has, in the layout nestvisor gives L1 (E2H = 0), where two references
 * agree. A field that exists only with a feature L1 lacks is RES0 too, but
 * the Arm ARM lets a RES0 bit hold what was written as long as it has no
 * effect, so such bits are left as written; the code that acts on L1's
 * values ignores them. Newer Arm releases keep claiming RES0 bits for new
 * fields, so a bit whose status differs between releases is left out
 * (SCTLR_EL2 bits 34, 59, 61, 62; HCR_EL2 bit 38; ICH_LR bit 59). The
 * registers of features nestvisor does not offer (FEAT_FGT, FEAT_HCX:
 * see idregs.c) have no masks at all: their RES0 sets change with every
 * release and nothing reads them yet.
 * Two RES1 bits are nestvisor's choice, allowed by the architecture:
 * HCR_EL2.RW is RAO/WI because L2's EL1 is AArch64-only (idregs.c), and
 * ICC_SRE_EL2.SRE is RAO/WI because the vGIC has no memory-mapped CPU
 * interface.
 *
 * Why the EL1 rows are in this table and not a second one: with FEAT_NV2
 * the VNCR page is one structure holding L1's EL2 registers and the EL1
 * registers L1 programs for L2 side by side; one array indexed by one
 * enum is exactly that page's contents, whatever mode (trap-based FEAT_NV
 * or NV2) nestvisor runs L1 in. Their encodings (op1 0 or 3, or SP_EL1's)
 * never collide with an EL2 register's, so one lookup by encoding serves
 * both and the VEL2_EL1 flag says which kind a row is. A second table
 * would duplicate the lookup, the VNCR offset and the reset logic for no
 * gain. Their masks are empty: L1 writes them for L2 and, under NV2,
 * straight into memory, so nestvisor sanitises them when loading L2, not
 * here.
 */
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/vel2_regs.h>

/* --- E2H = 0 layouts --- */

/* RES1: bits 4, 5, 11, 16, 18, 22, 23, 28, 29. RES0: the bits only the
 * E2H = 1, TGE = 1 layout gives meaning (EL0 controls), and reserved ones. */
#define SCTLR_EL2_RES1 UINT64_C(0x30c50830)
#define SCTLR_EL2_RES0                                                        \
	(BIT(63) | BIT(60) | GENMASK(58, 45) | BIT(42) | GENMASK(39, 38) |    \
	 BIT(35) | GENMASK(33, 32) | BIT(26) | BIT(24) | BIT(20) | BIT(17) |  \
	 GENMASK(15, 14) | GENMASK(10, 7))
#define HCR_EL2_RES0 BIT(39)
#define HCR_EL2_RES1 BIT(31) /* RW: RAO/WI, EL1 is AArch64-only */
#define MDCR_EL2_RES0                                                         \
	(GENMASK(63, 51) | GENMASK(49, 44) | BIT(42) | GENMASK(39, 37) |      \
	 GENMASK(35, 32) | GENMASK(22, 20) | BIT(18) | BIT(16))
#define CPTR_EL2_RES0                                                         \
	(GENMASK(63, 32) | GENMASK(29, 21) | GENMASK(19, 14) | BIT(11))
#define CPTR_EL2_RES1 (BIT(13) | BIT(9) | GENMASK(7, 0))
#define HSTR_EL2_RES0 GENMASK(63, 16)
#define VPIDR_EL2_RES0 GENMASK(63, 32)
#define VMPIDR_EL2_RES0 (GENMASK(63, 40) | GENMASK(29, 25))
#define VMPIDR_EL2_RES1 BIT(31)
#define TCR_EL2_RES0 (BIT(19) | GENMASK(7, 6))
#define TCR_EL2_RES1 (BIT(31) | BIT(23))
#define VTCR_EL2_RES0                                                         \
	(GENMASK(63, 46) | GENMASK(43, 42) | BIT(39) | GENMASK(24, 23) |      \
	 BIT(20))
#define VTCR_EL2_RES1 BIT(31)
#define VNCR_EL2_RES0 GENMASK(11, 0)
#define ESR_EL2_RES0 GENMASK(63, 56)
#define HPFAR_EL2_RES0 (GENMASK(62, 48) | GENMASK(3, 0))
#define VBAR_EL2_RES0 GENMASK(10, 0)
#define CONTEXTIDR_EL2_RES0 GENMASK(63, 32)
#define CNTHCTL_EL2_RES0 (GENMASK(63, 20) | GENMASK(11, 8))
#define CNTHx_CTL_RES0 GENMASK(63, 3) /* ENABLE, IMASK, ISTATUS */
#define CNTHx_TVAL_RES0 GENMASK(63, 32)
#define ICC_SRE_EL2_RES0 GENMASK(63, 4)
#define ICC_SRE_EL2_RES1 BIT(0) /* SRE: no memory-mapped CPU interface */
#define ICH_HCR_EL2_RES0 (GENMASK(63, 32) | GENMASK(26, 16) | BIT(9))
#define ICH_VMCR_EL2_RES0 (GENMASK(63, 32) | GENMASK(17, 10) | GENMASK(8, 5))
#define ICH_APR_RES0 GENMASK(63, 32)
#define ICH_LR_RES0 (GENMASK(58, 56) | GENMASK(47, 45))

/* --- E2H = 1 layouts (VEL2_E2H rows; the same for both values of TGE) ---
 *
 * SCTLR_EL2 takes SCTLR_EL1's layout: only bit 17 is RES0 in every
 * release (34 is left out as above). The bits that are EL0 controls with
 * TGE = 1 and RES1 with TGE = 0 (SA0, CP15BEN, nTWI, nTWE, TSCXT, nTLSMD,
 * LSMAOE) are left as written: L1 flips TGE without rewriting SCTLR_EL2.
 * EOS and EIS stay RES1 (no FEAT_ExS, as with E2H = 0); SPAN is a field. */
#define SCTLR_EL2_E2H_RES0 BIT(17)
#define SCTLR_EL2_E2H_RES1 (BIT(22) | BIT(11))
/* TCR_EL2 takes TCR_EL1's: TTBR1's fields (T1SZ, A1, EPD1, IRGN1, ORGN1,
 * SH1, TG1), IPS at [34:32]; RES0 bits 6, 35 and 63:62, no RES1. */
#define TCR_EL2_E2H_RES0 (GENMASK(63, 62) | BIT(35) | BIT(6))
/* CPTR_EL2 takes CPACR_EL1's: ZEN [17:16], FPEN [21:20], SMEN [25:24], TTA
 * 28, E0POE 29, TAM 30, TCPAC 31; no RES1. */
#define CPTR_EL2_E2H_RES0                                                     \
	(GENMASK(63, 32) | GENMASK(27, 26) | GENMASK(23, 22) |                \
	 GENMASK(19, 18) | GENMASK(15, 0))
/* CNTHCTL_EL2: EL0PCTEN, EL0VCTEN at 0 and 1, EL0VTEN, EL0PTEN, EL1PCTEN,
 * EL1PCEN at 8 to 11; bits 63:20 RES0 as with E2H = 0. */
#define CNTHCTL_EL2_E2H_RES0 GENMASK(63, 20)

/*
 * One row: the register's name is its enum name without VEL2_. A row's
 * reset value is its RES1 bits and nothing else: the architecture leaves
 * the rest UNKNOWN at reset and L1 programs what it uses.
 */
#define ROW(reg, op0, op1, crn, crm, op2, flags_, vncr_, res0_, res1_)       \
	[VEL2_##reg] = { .name = #reg,                                        \
			 .enc = SYSREG_ENC(op0, op1, crn, crm, op2),            \
			 .flags = (flags_),                                   \
			 .vncr = (vncr_),                                     \
			 .reset = (res1_),                                    \
			 .res0 = (res0_),                                     \
			 .res1 = (res1_),                                     \
			 .res0_e2h = (res0_),                                 \
			 .res1_e2h = (res1_) }
/* A VEL2_E2H row: its E2H = 0 masks, then its E2H = 1 ones. */
#define ROW_E2H(reg, op0, op1, crn, crm, op2, flags_, res0_, res1_, e2h0, e2h1) \
	[VEL2_##reg] = { .name = #reg,                                        \
			 .enc = SYSREG_ENC(op0, op1, crn, crm, op2),            \
			 .flags = VEL2_E2H | (flags_),                        \
			 .reset = (res1_),                                    \
			 .res0 = (res0_),                                     \
			 .res1 = (res1_),                                     \
			 .res0_e2h = (e2h0),                                  \
			 .res1_e2h = (e2h1) }
#define AP0R(n) ROW(ICH_AP0R##n##_EL2, 3, 4, 12, 8, n, 0, 0x480 + 8 * (n), ICH_APR_RES0, 0)
#define AP1R(n) ROW(ICH_AP1R##n##_EL2, 3, 4, 12, 9, n, 0, 0x4a0 + 8 * (n), ICH_APR_RES0, 0)
#define LR(n)                                                                 \
	ROW(ICH_LR##n##_EL2, 3, 4, 12, 12 + (n) / 8, (n) % 8, 0,              \
	    0x400 + 8 * (n), ICH_LR_RES0, 0)
#define EL1(reg, op0, op1, crn, crm, op2, vncr_)                              \
	ROW(reg, op0, op1, crn, crm, op2, VEL2_EL1, vncr_, 0, 0)

const struct vel2_reg_desc vel2_reg_table[VEL2_NR_REGS] = {
	ROW(VPIDR_EL2, 3, 4, 0, 0, 0, 0, 0x088, VPIDR_EL2_RES0, 0),
	ROW(VMPIDR_EL2, 3, 4, 0, 0, 5, 0, 0x050, VMPIDR_EL2_RES0, VMPIDR_EL2_RES1),
	ROW_E2H(SCTLR_EL2, 3, 4, 1, 0, 0, 0, SCTLR_EL2_RES0, SCTLR_EL2_RES1,
		SCTLR_EL2_E2H_RES0, SCTLR_EL2_E2H_RES1),
	ROW(ACTLR_EL2, 3, 4, 1, 0, 1, 0, 0, 0, 0), /* IMPLEMENTATION DEFINED */
	ROW(HCR_EL2, 3, 4, 1, 1, 0, 0, 0x078, HCR_EL2_RES0, HCR_EL2_RES1),
	ROW(MDCR_EL2, 3, 4, 1, 1, 1, 0, 0, MDCR_EL2_RES0, 0),
	ROW_E2H(CPTR_EL2, 3, 4, 1, 1, 2, 0, CPTR_EL2_RES0, CPTR_EL2_RES1,
		CPTR_EL2_E2H_RES0, 0),
	ROW(HSTR_EL2, 3, 4, 1, 1, 3, 0, 0x080, HSTR_EL2_RES0, 0),
	ROW(HACR_EL2, 3, 4, 1, 1, 7, 0, 0, 0, 0), /* IMPLEMENTATION DEFINED */
	ROW(HCRX_EL2, 3, 4, 1, 2, 2, VEL2_HCX, 0x0a0, 0, 0),
	ROW(HFGRTR_EL2, 3, 4, 1, 1, 4, VEL2_FGT, 0x1b8, 0, 0),
	ROW(HFGWTR_EL2, 3, 4, 1, 1, 5, VEL2_FGT, 0x1c0, 0, 0),
	ROW(HFGITR_EL2, 3, 4, 1, 1, 6, VEL2_FGT, 0x1c8, 0, 0),
	ROW(HDFGRTR_EL2, 3, 4, 3, 1, 4, VEL2_FGT, 0x1d0, 0, 0),
	ROW(HDFGWTR_EL2, 3, 4, 3, 1, 5, VEL2_FGT, 0x1d8, 0, 0),
	/* Also needs FEAT_AMUv1p1, which nestvisor does not offer either. */
	ROW(HAFGRTR_EL2, 3, 4, 3, 1, 6, VEL2_FGT, 0x1e8, 0, 0),

	/* TTBR0_EL2's ASID field (bits 63:48) exists only with E2H = 1. */
	ROW_E2H(TTBR0_EL2, 3, 4, 2, 0, 0, 0, 0, 0, 0, 0),
	ROW(TTBR1_EL2, 3, 4, 2, 0, 1, VEL2_VHE, 0, 0, 0),
	ROW_E2H(TCR_EL2, 3, 4, 2, 0, 2, 0, TCR_EL2_RES0, TCR_EL2_RES1,
		TCR_EL2_E2H_RES0, 0),
	ROW(VTTBR_EL2, 3, 4, 2, 1, 0, 0, 0x020, 0, 0),
	ROW(VTCR_EL2, 3, 4, 2, 1, 2, 0, 0x040, VTCR_EL2_RES0, VTCR_EL2_RES1),
	ROW(VNCR_EL2, 3, 4, 2, 2, 0, VEL2_NV2, 0x0b0, VNCR_EL2_RES0, 0),

	ROW(SPSR_EL2, 3, 4, 4, 0, 0, 0, 0, 0, 0),
	ROW(ELR_EL2, 3, 4, 4, 0, 1, 0, 0, 0, 0),
	/* L2's EL1 stack pointer: EL1 context, but an EL2-only encoding. */
	ROW(SP_EL1, 3, 4, 4, 1, 0, VEL2_EL1, 0x240, 0, 0),
	ROW(AFSR0_EL2, 3, 4, 5, 1, 0, 0, 0, 0, 0),
	ROW(AFSR1_EL2, 3, 4, 5, 1, 1, 0, 0, 0, 0),
	ROW(ESR_EL2, 3, 4, 5, 2, 0, 0, 0, ESR_EL2_RES0, 0),
	ROW(FAR_EL2, 3, 4, 6, 0, 0, 0, 0, 0, 0),
	ROW(HPFAR_EL2, 3, 4, 6, 0, 4, 0, 0, HPFAR_EL2_RES0, 0),

	ROW(MAIR_EL2, 3, 4, 10, 2, 0, 0, 0, 0, 0),
	ROW(AMAIR_EL2, 3, 4, 10, 3, 0, 0, 0, 0, 0),
	ROW(VBAR_EL2, 3, 4, 12, 0, 0, 0, 0, VBAR_EL2_RES0, 0),
	ROW(CONTEXTIDR_EL2, 3, 4, 13, 0, 1, VEL2_VHE, 0, CONTEXTIDR_EL2_RES0, 0),
	ROW(TPIDR_EL2, 3, 4, 13, 0, 2, 0, 0x090, 0, 0),

	ROW(CNTVOFF_EL2, 3, 4, 14, 0, 3, 0, 0x060, 0, 0),
	ROW_E2H(CNTHCTL_EL2, 3, 4, 14, 1, 0, 0, CNTHCTL_EL2_RES0, 0,
		CNTHCTL_EL2_E2H_RES0, 0),
	ROW(CNTHP_CTL_EL2, 3, 4, 14, 2, 1, 0, 0, CNTHx_CTL_RES0, 0),
	ROW(CNTHP_CVAL_EL2, 3, 4, 14, 2, 2, 0, 0, 0, 0),
	ROW(CNTHP_TVAL_EL2, 3, 4, 14, 2, 0, VEL2_TVAL, 0, CNTHx_TVAL_RES0, 0),
	ROW(CNTHV_CTL_EL2, 3, 4, 14, 3, 1, VEL2_VHE, 0, CNTHx_CTL_RES0, 0),
	ROW(CNTHV_CVAL_EL2, 3, 4, 14, 3, 2, VEL2_VHE, 0, 0, 0),
	ROW(CNTHV_TVAL_EL2, 3, 4, 14, 3, 0, VEL2_VHE | VEL2_TVAL, 0,
	    CNTHx_TVAL_RES0, 0),

	ROW(ICC_SRE_EL2, 3, 4, 12, 9, 5, 0, 0, ICC_SRE_EL2_RES0, ICC_SRE_EL2_RES1),
	ROW(ICH_HCR_EL2, 3, 4, 12, 11, 0, 0, 0x4c0, ICH_HCR_EL2_RES0, 0),
	ROW(ICH_VTR_EL2, 3, 4, 12, 11, 1, VEL2_RO, 0, 0, 0),
	ROW(ICH_MISR_EL2, 3, 4, 12, 11, 2, VEL2_RO, 0, 0, 0),
	ROW(ICH_EISR_EL2, 3, 4, 12, 11, 3, VEL2_RO, 0, 0, 0),
	ROW(ICH_ELRSR_EL2, 3, 4, 12, 11, 5, VEL2_RO, 0, 0, 0),
	ROW(ICH_VMCR_EL2, 3, 4, 12, 11, 7, 0, 0x4c8, ICH_VMCR_EL2_RES0, 0),
	AP0R(0), AP0R(1), AP0R(2), AP0R(3),
	AP1R(0), AP1R(1), AP1R(2), AP1R(3),
	LR(0), LR(1), LR(2), LR(3), LR(4), LR(5), LR(6), LR(7),
	LR(8), LR(9), LR(10), LR(11), LR(12), LR(13), LR(14), LR(15),

	EL1(SCTLR_EL1, 3, 0, 1, 0, 0, 0x110),
	EL1(ACTLR_EL1, 3, 0, 1, 0, 1, 0x118),
	EL1(CPACR_EL1, 3, 0, 1, 0, 2, 0x100),
	EL1(TTBR0_EL1, 3, 0, 2, 0, 0, 0x200),
	EL1(TTBR1_EL1, 3, 0, 2, 0, 1, 0x210),
	EL1(TCR_EL1, 3, 0, 2, 0, 2, 0x120),
	EL1(ESR_EL1, 3, 0, 5, 2, 0, 0x138),
	EL1(FAR_EL1, 3, 0, 6, 0, 0, 0x220),
	EL1(AFSR0_EL1, 3, 0, 5, 1, 0, 0x128),
	EL1(AFSR1_EL1, 3, 0, 5, 1, 1, 0x130),
	EL1(MAIR_EL1, 3, 0, 10, 2, 0, 0x140),
	EL1(AMAIR_EL1, 3, 0, 10, 3, 0, 0x148),
	EL1(CONTEXTIDR_EL1, 3, 0, 13, 0, 1, 0x108),
	EL1(VBAR_EL1, 3, 0, 12, 0, 0, 0x250),
	EL1(ELR_EL1, 3, 0, 4, 0, 1, 0x230),
	EL1(SPSR_EL1, 3, 0, 4, 0, 0, 0x160),
	EL1(MDSCR_EL1, 2, 0, 0, 2, 2, 0x158),
	EL1(CNTV_CTL_EL0, 3, 3, 14, 3, 1, 0x170),
	EL1(CNTV_CVAL_EL0, 3, 3, 14, 3, 2, 0x168),
	EL1(CNTP_CTL_EL0, 3, 3, 14, 2, 1, 0x180),
	EL1(CNTP_CVAL_EL0, 3, 3, 14, 2, 2, 0x178),
	/* Not in the VNCR page (an L1 access to CNTKCTL_EL12 traps under NV2 too). */
	EL1(CNTKCTL_EL1, 3, 0, 14, 1, 0, 0),
};

/*
 * The accessors, apart from the register file's rows: they have no slot,
 * no reset value and no VNCR offset of their own, and vel2_reg_by_enc must
 * not find them (an _EL12 encoding is UNDEFINED without E2H = 1, which the
 * caller decides from vel2_regs_e2h).
 */
#define ALIAS(name_, crn, crm, op2, flags_, target_)                          \
	[VEL2_##name_] = { .name = #name_,                                    \
			   .enc = SYSREG_ENC(3, 5, crn, crm, op2),              \
			   .flags = (flags_),                                 \
			   .target = VEL2_##target_ }

static const struct vel2_alias_desc vel2_alias_table[VEL2_NR_ALIASES] = {
	ALIAS(SCTLR_EL12, 1, 0, 0, 0, SCTLR_EL1),
	ALIAS(CPACR_EL12, 1, 0, 2, 0, CPACR_EL1),
	ALIAS(TTBR0_EL12, 2, 0, 0, 0, TTBR0_EL1),
	ALIAS(TTBR1_EL12, 2, 0, 1, 0, TTBR1_EL1),
	ALIAS(TCR_EL12, 2, 0, 2, 0, TCR_EL1),
	ALIAS(ESR_EL12, 5, 2, 0, 0, ESR_EL1),
	ALIAS(AFSR0_EL12, 5, 1, 0, 0, AFSR0_EL1),
	ALIAS(AFSR1_EL12, 5, 1, 1, 0, AFSR1_EL1),
	ALIAS(FAR_EL12, 6, 0, 0, 0, FAR_EL1),
	ALIAS(MAIR_EL12, 10, 2, 0, 0, MAIR_EL1),
	ALIAS(AMAIR_EL12, 10, 3, 0, 0, AMAIR_EL1),
	ALIAS(VBAR_EL12, 12, 0, 0, 0, VBAR_EL1),
	ALIAS(CONTEXTIDR_EL12, 13, 0, 1, 0, CONTEXTIDR_EL1),
	ALIAS(ELR_EL12, 4, 0, 1, 0, ELR_EL1),
	ALIAS(SPSR_EL12, 4, 0, 0, 0, SPSR_EL1),
	ALIAS(CNTKCTL_EL12, 14, 1, 0, 0, CNTKCTL_EL1),
	ALIAS(CNTP_CTL_EL02, 14, 2, 1, 0, CNTP_CTL_EL0),
	ALIAS(CNTP_CVAL_EL02, 14, 2, 2, 0, CNTP_CVAL_EL0),
	ALIAS(CNTP_TVAL_EL02, 14, 2, 0, VEL2_TVAL, CNTP_CVAL_EL0),
	ALIAS(CNTV_CTL_EL02, 14, 3, 1, 0, CNTV_CTL_EL0),
	ALIAS(CNTV_CVAL_EL02, 14, 3, 2, 0, CNTV_CVAL_EL0),
	ALIAS(CNTV_TVAL_EL02, 14, 3, 0, VEL2_TVAL, CNTV_CVAL_EL0),
};

const struct vel2_reg_desc *vel2_reg_by_index(enum vel2_reg r)
{
	if ((unsigned)r >= VEL2_NR_REGS)
		return NULL;
	return &vel2_reg_table[r];
}

/* A linear scan: under a hundred rows, and NV2 takes most accesses off
 * the trap path anyway. */
const struct vel2_reg_desc *vel2_reg_by_enc(u32 enc)
{
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		if (vel2_reg_table[i].enc == enc)
			return &vel2_reg_table[i];
	return NULL;
}

enum vel2_reg vel2_reg_index(const struct vel2_reg_desc *d)
{
	NV_CHECK(d >= vel2_reg_table && d < vel2_reg_table + VEL2_NR_REGS);
	return (enum vel2_reg)(d - vel2_reg_table);
}

const char *vel2_reg_name(enum vel2_reg r)
{
	const struct vel2_reg_desc *d = vel2_reg_by_index(r);

	return d ? d->name : NULL;
}

u32 vel2_reg_vncr_offset(enum vel2_reg r)
{
	const struct vel2_reg_desc *d = vel2_reg_by_index(r);

	return d ? d->vncr : 0;
}

bool vel2_reg_exists(enum vel2_reg r, const struct vel2_features *f)
{
	static const struct vel2_features none;
	const struct vel2_reg_desc *d = vel2_reg_by_index(r);

	if (!d)
		return false;
	if (!f)
		f = &none;
	if ((d->flags & VEL2_VHE) && !f->vhe)
		return false;
	if ((d->flags & VEL2_NV2) && !f->nv2)
		return false;
	if ((d->flags & VEL2_FGT) && !f->fgt)
		return false;
	if ((d->flags & VEL2_HCX) && !f->hcx)
		return false;
	return true;
}

u64 vel2_reg_sanitise_e2h(enum vel2_reg r, u64 val, const struct vel2_features *f, bool e2h)
{
	const struct vel2_reg_desc *d = vel2_reg_by_index(r);

	if (!d)
		return val;
	if (e2h && f && f->vhe)
		val = (val & ~d->res0_e2h) | d->res1_e2h;
	else
		val = (val & ~d->res0) | d->res1;
	/*
	 * Without FEAT_VHE, E2H is RES0: the E2H = 0 layouts stay in force.
	 * With it but without FEAT_E2H0 (ID_AA64MMFR4_EL1.E2H0 negative) E2H
	 * is RES1.
	 */
	if (r == VEL2_HCR_EL2 && !(f && f->vhe))
		val &= ~HCR_E2H;
	else if (r == VEL2_HCR_EL2 && f->e2h_res1)
		val |= HCR_E2H;
	return val;
}

u64 vel2_reg_sanitise(enum vel2_reg r, u64 val, const struct vel2_features *f)
{
	return vel2_reg_sanitise_e2h(r, val, f, false);
}

bool vel2_regs_e2h(const struct vel2_file *f, const struct vel2_features *feat)
{
	return feat && feat->vhe && (vel2_get(f, VEL2_HCR_EL2) & HCR_E2H);
}

/*
 * CPTR_EL2 with E2H = 1 (Arm ARM, CPTR_EL2 when HCR_EL2.E2H is 1) for an
 * EL1&0 guest (TGE 0): FPEN [21:20] 0b00 and 0b10 trap EL1 and EL0, 0b01
 * only EL0 with TGE 1, 0b11 nothing, so its bit 20 clear is TFP; ZEN
 * [17:16] is TZ and SMEN [25:24] TSM the same way; TTA [28] is TTA [20];
 * TAM [30] and TCPAC [31] are where they are with E2H = 0.
 */
u64 vel2_cptr_e2h0(u64 cptr, bool e2h)
{
	u64 v;

	if (!e2h)
		return cptr;
	v = cptr & (CPTR_TAM | CPTR_TCPAC);
	if (!(cptr & BIT(20)))
		v |= CPTR_TFP;
	if (!(cptr & BIT(16)))
		v |= CPTR_TZ;
	if (!(cptr & BIT(24)))
		v |= CPTR_TSM;
	if (cptr & BIT(28))
		v |= CPTR_TTA;
	return v;
}

/*
 * CNTHCTL_EL2 with E2H = 1: EL1PCTEN [10] and EL1PCEN [11] are the EL1
 * (and, with TGE 0, EL0) controls that sit at [0] and [1] with E2H = 0;
 * the event stream [7:2] and FEAT_ECV's bits from 12 up are where they
 * are. EL0PCTEN, EL0VCTEN [1:0], EL0VTEN, EL0PTEN [9:8] control EL0 only
 * with TGE 1, never L2's: dropped.
 */
u64 vel2_cnthctl_e2h0(u64 cnthctl, bool e2h)
{
	if (!e2h)
		return cnthctl;
	return (cnthctl & ~GENMASK(11, 0)) | (cnthctl & GENMASK(7, 2)) |
	       ((cnthctl >> 10) & 3);
}

const struct vel2_alias_desc *vel2_alias_by_index(enum vel2_alias a)
{
	if ((unsigned)a >= VEL2_NR_ALIASES)
		return NULL;
	return &vel2_alias_table[a];
}

const struct vel2_alias_desc *vel2_alias_by_enc(u32 enc)
{
	for (size_t i = 0; i < VEL2_NR_ALIASES; i++)
		if (vel2_alias_table[i].enc == enc)
			return &vel2_alias_table[i];
	return NULL;
}

void vel2_regs_reset(struct vel2_file *f)
{
	for (size_t i = 0; i < VEL2_VNCR_PAGE / 8; i++)
		f->vncr[i] = 0;
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		vel2_set(f, (enum vel2_reg)i, vel2_reg_table[i].reset);
}
