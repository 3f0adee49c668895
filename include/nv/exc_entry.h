/*
 * Taking an exception into a guest (Arm ARM D1.3 "Exception entry" and the
 * pseudocode AArch64.TakeException): one routine for every target level,
 * EL1 today and a guest hypervisor's virtual EL2 later. It works on memory
 * only: the vCPU's saved PC and PSTATE, and the exception registers of the
 * target level given in struct exc_target.
 */
#ifndef NV_EXC_ENTRY_H
#define NV_EXC_ENTRY_H

#include <nv/types.h>

struct vcpu_regs;

/* Exception types: the offset within a vector group (Arm ARM D1.3.1). */
enum exc_type {
	EXC_SYNC = 0x000,
	EXC_IRQ = 0x080,
	EXC_FIQ = 0x100,
	EXC_SERROR = 0x180,
};

/*
 * Features the guest sees that change PSTATE on exception entry (BTYPE is
 * always cleared: the field is 0 without FEAT_BTI).
 */
#define EXC_F_PAN BIT(0)  /* FEAT_PAN: ID_AA64MMFR1_EL1.PAN >= 1 */
#define EXC_F_UAO BIT(1)  /* FEAT_UAO: ID_AA64MMFR2_EL1.UAO >= 1 */
#define EXC_F_SSBS BIT(3) /* FEAT_SSBS: ID_AA64PFR1_EL1.SSBS >= 1 */
#define EXC_F_MTE BIT(4)  /* FEAT_MTE: ID_AA64PFR1_EL1.MTE >= 1 */
#define EXC_F_NMI BIT(5)  /* FEAT_NMI: ID_AA64PFR1_EL1.NMI >= 1 */

/* The exception registers of the level an exception is taken to. */
struct exc_target {
	unsigned el;   /* 1, or 2 for a virtual EL2 */
	bool in_host;  /* el 2 with HCR_EL2.{E2H,TGE} = {1,1} (ELIsInHost) */
	u32 features;  /* EXC_F_* */
	u64 sctlr;     /* SCTLR_ELx: SPAN, DSSBS, SPINTMASK are read */
	u64 vbar;      /* VBAR_ELx */
	/* Written by exc_enter(): */
	u64 elr, spsr, esr, far;
	bool far_written;
};

/* SPSR/PSTATE bits (Arm ARM C5.2.18, SPSR_EL1 for AArch64 state). */
#define PSR_M_MASK UINT64_C(0xf)
#define PSR_SP BIT(0)
#define PSR_NRW BIT(4)  /* AArch32 */
#define PSR_F BIT(6)
#define PSR_I BIT(7)
#define PSR_A BIT(8)
#define PSR_D BIT(9)
#define PSR_BTYPE GENMASK(11, 10)
#define PSR_SSBS BIT(12)
#define PSR_ALLINT BIT(13)
#define PSR_IL BIT(20)
#define PSR_SS BIT(21)
#define PSR_PAN BIT(22)
#define PSR_UAO BIT(23)
#define PSR_DIT BIT(24)
#define PSR_TCO BIT(25)
#define PSR_NZCV GENMASK(31, 28)
/* The same PSTATE fields as an AArch32 SPSR holds them (Arm ARM G8.2). */
#define PSR32_SSBS BIT(23)
#define PSR32_PAN BIT(22)
#define PSR32_DIT BIT(21)

/* SCTLR_ELx controls of exception entry. */
#define SCTLR_SPAN BIT(23)
#define SCTLR_DSSBS BIT(44)
#define SCTLR_SPINTMASK BIT(62)

/* The EL a PSTATE (as SPSR_ELx holds it) was at: M[3:2], 0 for AArch32 EL0. */
static inline unsigned psr_el(u64 psr)
{
	return psr & PSR_NRW ? 0 : (unsigned)((psr >> 2) & 3);
}

/*
 * PSTATE after an exception from a context whose PSTATE (as SPSR_ELx
 * holds it) is old, taken to AArch64 target t->el.
 */
u64 exc_entry_pstate(u64 old, const struct exc_target *t);
/* VBAR_ELx offset of the vector for an exception from old to t->el. */
u64 exc_vector_offset(u64 old, unsigned target_el, enum exc_type type);

/*
 * Takes the exception: t's ELR, SPSR and ESR (and FAR when far is not
 * NULL) are written, regs->pc becomes the vector and regs->pstate the
 * entry PSTATE. The caller has filled t's el, in_host, features, sctlr
 * and vbar.
 */
void exc_enter(struct vcpu_regs *regs, struct exc_target *t,
	       enum exc_type type, u64 esr, const u64 *far);

#endif
