/* Constants shared by the assembly files (values from sysreg.h). */
#ifndef NV_AARCH64_ASM_H
#define NV_AARCH64_ASM_H

#include <nv/config.h>

#define CURRENTEL_EL2 (2 << 2)
#define R_AARCH64_RELATIVE 1027

/*
 * HCR_EL2 at boot: RW (EL1 is AArch64), and AMO/IMO/FMO so that physical
 * SErrors, IRQs and FIQs target EL2 and are taken there (Arm ARM D1.3.6).
 */
#define HCR_EL2_BOOT ((1 << 31) | (1 << 5) | (1 << 4) | (1 << 3))
/* SCTLR_EL2 RES1 bits, SA, I-cache on, MMU and D-cache off. */
#define SCTLR_EL2_BOOT 0x30c51838
/* ... plus M and C. */
#define SCTLR_EL2_MMU_ON 0x30c5183d
/*
 * CPTR_EL2 (E2H == 0): RES1 bits 13, 9 and 7:0, TZ (bit 8) and TSM
 * (bit 12) trap SVE and SME, TFP (bit 10) clear: FP/SIMD usable at EL2.
 */
#define CPTR_EL2_BOOT 0x33ff
/*
 * With HCR_EL2.E2H RES1, CPTR_EL2 has the CPACR_EL1 layout: FPEN [21:20]
 * = 0b11 (FP/SIMD not trapped), ZEN and SMEN 0 (SVE and SME trapped).
 */
#define CPTR_EL2_BOOT_E2H (3 << 20)
#define HCR_E2H_BIT 34

/* Trap frame layout (struct trap_frame in nv/trap.h). */
#define FRAME_X30 (30 * 8)
#define FRAME_SP (31 * 8)
#define FRAME_ELR (32 * 8)
#define FRAME_SPSR (33 * 8)
#define FRAME_ESR (34 * 8)
#define FRAME_FAR (35 * 8)
#define FRAME_SIZE (36 * 8)

/* struct host_ctx (nv/percpu.h), at TPIDR_EL2 + 0. */
#define HOST_SP 96
#define HOST_GUEST_REGS 104

/* struct vcpu_regs (nv/vcpu.h). */
#define REGS_X30 240
#define REGS_SP_EL0 248
#define REGS_PC 256
#define REGS_PSTATE 264
#define REGS_ESR 272
#define REGS_HPFAR 288

#endif
