/* System register access for AArch64 (Arm ARM C5.2, MRS/MSR). */
#ifndef NV_AARCH64_SYSREG_H
#define NV_AARCH64_SYSREG_H

#include <nv/arm_regs.h>
#include <nv/types.h>

#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)

#define read_sysreg(r)                                                        \
	({                                                                    \
		u64 __v;                                                      \
		__asm__ volatile("mrs %0, " __stringify(r) : "=r"(__v));                  \
		__v;                                                          \
	})

#define write_sysreg(r, v)                                                    \
	do {                                                                  \
		u64 __wv = (u64)(v);                                           \
		__asm__ volatile("msr " __stringify(r) ", %0" : : "r"(__wv));              \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")

/* Encodings the assemblers of both toolchains may not know by name. */
#define SYS_ID_AA64MMFR4_EL1 s3_0_c0_c7_4
#define SYS_ICC_SRE_EL2 s3_4_c12_c9_5
#define SYS_ICC_PMR_EL1 s3_0_c4_c6_0
#define SYS_ICC_IAR1_EL1 s3_0_c12_c12_0
#define SYS_ICC_EOIR1_EL1 s3_0_c12_c12_1
#define SYS_ICC_BPR1_EL1 s3_0_c12_c12_3
#define SYS_ICC_CTLR_EL1 s3_0_c12_c12_4
#define SYS_ICC_IGRPEN1_EL1 s3_0_c12_c12_7

/* SCTLR_EL2 (E2H == 0 layout), Arm ARM D19.2 */
#define SCTLR_EL2_M BIT(0)
#define SCTLR_EL2_A BIT(1)
#define SCTLR_EL2_C BIT(2)
#define SCTLR_EL2_SA BIT(3)
#define SCTLR_EL2_I BIT(12)
#define SCTLR_EL2_RES1 UINT64_C(0x30c50830)

/* TCR_EL2 (E2H == 0 layout) */
#define TCR_EL2_T0SZ(n) ((u64)(n) & 0x3f)
#define TCR_EL2_IRGN0_WBWA (UINT64_C(1) << 8)
#define TCR_EL2_ORGN0_WBWA (UINT64_C(1) << 10)
#define TCR_EL2_SH0_INNER (UINT64_C(3) << 12)
#define TCR_EL2_TG0_4K (UINT64_C(0) << 14)
#define TCR_EL2_PS_SHIFT 16
#define TCR_EL2_IPS_E2H_SHIFT 32 /* TCR_EL2.IPS when HCR_EL2.E2H == 1 */
#define TCR_EL2_RES1 (BIT(31) | BIT(23))

/* MAIR_EL2 attribute indices used by nestvisor's own mappings. */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL 1
#define MT_NORMAL_NC 2
#define MAIR_EL2_VALUE                                                        \
	((UINT64_C(0x04) << (8 * MT_DEVICE_nGnRE)) |                          \
	 (UINT64_C(0xff) << (8 * MT_NORMAL)) |                                \
	 (UINT64_C(0x44) << (8 * MT_NORMAL_NC)))

/* CNTHP_CTL_EL2 / CNTx_CTL (Arm ARM D12.8) */
#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)
#define CNT_CTL_ISTATUS BIT(2)

#endif

/* GICv3 virtualization control (GIC spec 12.4, ICH_*_EL2). */
#define SYS_ICH_AP0R0_EL2 s3_4_c12_c8_0
#define SYS_ICH_AP0R1_EL2 s3_4_c12_c8_1
#define SYS_ICH_AP0R2_EL2 s3_4_c12_c8_2
#define SYS_ICH_AP0R3_EL2 s3_4_c12_c8_3
#define SYS_ICH_AP1R0_EL2 s3_4_c12_c9_0
#define SYS_ICH_AP1R1_EL2 s3_4_c12_c9_1
#define SYS_ICH_AP1R2_EL2 s3_4_c12_c9_2
#define SYS_ICH_AP1R3_EL2 s3_4_c12_c9_3
#define SYS_ICH_HCR_EL2 s3_4_c12_c11_0
#define SYS_ICH_VTR_EL2 s3_4_c12_c11_1
#define SYS_ICH_MISR_EL2 s3_4_c12_c11_2
#define SYS_ICH_VMCR_EL2 s3_4_c12_c11_7
#define SYS_ICC_SRE_EL1 s3_0_c12_c12_5
#define SYS_ICC_SGI1R_EL1 s3_0_c12_c11_5
#define SYS_ICC_DIR_EL1 s3_0_c12_c11_1

/* FEAT_RAS (Arm ARM D19.2): virtual SError syndrome, deferred interrupt status. */
#define SYS_VSESR_EL2 s3_4_c5_c2_3
#define SYS_VDISR_EL2 s3_4_c12_c1_1

/* FEAT_MPAM (Arm ARM D19.2, MPAM2_EL2, MPAMHCR_EL2, MPAMIDR_EL1). */
#define SYS_MPAM2_EL2 s3_4_c10_c5_0
#define SYS_MPAMHCR_EL2 s3_4_c10_c4_0
#define SYS_MPAMIDR_EL1 s3_0_c10_c4_4
#define MPAM2_TRAPMPAM1EL1 BIT(48)
#define MPAM2_TRAPMPAM0EL1 BIT(49)
#define MPAMIDR_HAS_HCR BIT(17)
#define MPAMHCR_TRAP_MPAMIDR BIT(31)

/* FEAT_HCX and FEAT_FGT controls. */
#define SYS_HCRX_EL2 s3_4_c1_c2_2
#define SYS_HFGRTR_EL2 s3_4_c1_c1_4
#define SYS_HFGWTR_EL2 s3_4_c1_c1_5
#define SYS_HFGITR_EL2 s3_4_c1_c1_6
#define SYS_HDFGRTR_EL2 s3_4_c3_c1_4
#define SYS_HDFGWTR_EL2 s3_4_c3_c1_5

/* Pointer authentication keys (FEAT_PAuth), switched per vCPU. */
#define SYS_APIAKEYLO_EL1 s3_0_c2_c1_0
#define SYS_APIAKEYHI_EL1 s3_0_c2_c1_1
#define SYS_APIBKEYLO_EL1 s3_0_c2_c1_2
#define SYS_APIBKEYHI_EL1 s3_0_c2_c1_3
#define SYS_APDAKEYLO_EL1 s3_0_c2_c2_0
#define SYS_APDAKEYHI_EL1 s3_0_c2_c2_1
#define SYS_APDBKEYLO_EL1 s3_0_c2_c2_2
#define SYS_APDBKEYHI_EL1 s3_0_c2_c2_3
#define SYS_APGAKEYLO_EL1 s3_0_c2_c3_0
#define SYS_APGAKEYHI_EL1 s3_0_c2_c3_1

