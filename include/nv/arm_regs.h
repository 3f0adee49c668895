/*
 * Fields of the EL2 control registers that several parts of nestvisor
 * program or interpret (Arm ARM D19.2: HCR_EL2, CPTR_EL2, MDCR_EL2,
 * CNTHCTL_EL2). One definition each; a register's RES0/RES1 masks stay
 * with the code that sanitises it (cpu/vel2_regs.c).
 */
#ifndef NV_ARM_REGS_H
#define NV_ARM_REGS_H

#include <nv/types.h>

/* HCR_EL2 */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_FB BIT(9)
#define HCR_BSU_IS (UINT64_C(1) << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID1 BIT(16)
#define HCR_TID2 BIT(17)
#define HCR_TID3 BIT(18)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_TSW BIT(22)
#define HCR_TPCP BIT(23)
#define HCR_TPU BIT(24)
#define HCR_TTLB BIT(25)
#define HCR_TVM BIT(26)
#define HCR_TGE BIT(27)
#define HCR_TDZ BIT(28)
#define HCR_HCD BIT(29)
#define HCR_TRVM BIT(30)
#define HCR_RW BIT(31)
#define HCR_E2H BIT(34)
#define HCR_TLOR BIT(35)
#define HCR_TERR BIT(36)
#define HCR_TEA BIT(37)
#define HCR_APK BIT(40)
#define HCR_API BIT(41)
/* FEAT_NV: EL1 runs a guest hypervisor (its EL2 register accesses, ERET
 * and AT S1E2 trap); NV1 also traps VBAR/ELR/SPSR_EL1 and gives EL1&0
 * the EL2 descriptor format; AT traps AT S1E0 and S1E1 (Arm ARM D19.2). */
#define HCR_NV BIT(42)
#define HCR_NV1 BIT(43)
#define HCR_AT BIT(44)
#define HCR_NV2 BIT(45)
/* Virtual SError, IRQ and FIQ pending (with AMO, IMO, FMO). */
#define HCR_VF BIT(6)
#define HCR_VI BIT(7)
#define HCR_VSE BIT(8)
#define HCR_TID0 BIT(15)

/* CPTR_EL2 with HCR_EL2.E2H == 0 */
#define CPTR_TZ BIT(8)
#define CPTR_TFP BIT(10)
#define CPTR_TSM BIT(12)
#define CPTR_TTA BIT(20)
#define CPTR_TAM BIT(30)
#define CPTR_TCPAC BIT(31)

/* MDCR_EL2 */
#define MDCR_HPMN_MASK GENMASK(4, 0)
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_TDE BIT(8)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)
#define MDCR_TPMS BIT(14)
#define MDCR_TTRF BIT(19)
#define MDCR_TDCC BIT(27) /* with FEAT_FGT */

/* CNTHCTL_EL2 with HCR_EL2.E2H == 0 */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)
/* The event stream from the physical count: enable, edge, which bit. */
#define CNTHCTL_EVNTEN BIT(2)
#define CNTHCTL_EVNTDIR BIT(3)
#define CNTHCTL_EVNTI GENMASK(7, 4)
/* With FEAT_ECV, at the same place whatever E2H is. */
#define CNTHCTL_EL1TVT BIT(13)
#define CNTHCTL_EL1TVCT BIT(14)
/* EL1NVPCT, EL1NVVCT: the _EL02 timer registers trap under NV2 too. */
#define CNTHCTL_EL1NVPCT BIT(15)
#define CNTHCTL_EL1NVVCT BIT(16)
#define CNTHCTL_EVNTIS BIT(17) /* EVNTI selects from bits 8 to 23 */

/* MPIDR_EL1 affinity fields (and of GICD_IROUTER, which has the same layout) */
#define MPIDR_AFF0 GENMASK(7, 0)
#define MPIDR_AFF1 GENMASK(15, 8)
#define MPIDR_AFF2 GENMASK(23, 16)
#define MPIDR_AFF3 GENMASK(39, 32)
#define MPIDR_AFF_MASK (MPIDR_AFF3 | MPIDR_AFF2 | MPIDR_AFF1 | MPIDR_AFF0)

#endif
