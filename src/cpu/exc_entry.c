/*
 * Exception entry into a guest, as the Arm ARM's AArch64.TakeException
 * (D1.3 "Exception entry", shared/exceptions pseudocode) describes it for
 * an exception taken to an AArch64 EL1 or EL2. Works on the in-memory
 * context only, so the same code takes an exception to the guest's EL1
 * now and to a guest hypervisor's virtual EL2 later.
 */
#include <nv/exc_entry.h>
#include <nv/vcpu.h>

/*
 * Vector offsets from VBAR_ELx (Arm ARM D1.3.1, table "Vector offsets from
 * vector table base address"): current EL with SP_EL0 0x000, with SP_ELx
 * 0x200, lower EL using AArch64 0x400, lower EL using AArch32 0x600; plus
 * 0x80 per exception type.
 */
u64 exc_vector_offset(u64 old, unsigned target_el, enum exc_type type)
{
	u64 base;

	if (old & PSR_NRW)
		base = 0x600;
	else if (psr_el(old) < target_el)
		base = 0x400;
	else if (old & PSR_SP)
		base = 0x200;
	else
		base = 0x000;
	return base + (u64)type;
}

/*
 * AArch64.TakeException: PSTATE.{EL, nRW, SP} = {target, 0, 1}; D, A, I, F
 * set; SS and IL cleared; BTYPE cleared (FEAT_BTI); PAN set when the
 * target is EL1 (or EL2 in a host, E2H = TGE = 1) and SCTLR_ELx.SPAN is 0
 * (FEAT_PAN), else unchanged; UAO cleared (FEAT_UAO); SSBS = SCTLR_ELx.DSSBS
 * (FEAT_SSBS); TCO set (FEAT_MTE); ALLINT = NOT SCTLR_ELx.SPINTMASK
 * (FEAT_NMI). NZCV and DIT are unchanged, and so is any field of a feature
 * the guest does not have. From AArch32 the IT and T bits go, and the
 * fields that exist in both states move to their AArch64 positions.
 */
u64 exc_entry_pstate(u64 old, const struct exc_target *t)
{
	u32 f = t->features;
	u64 p = old & PSR_NZCV;

	if (old & PSR_NRW) {
		p |= old & PSR32_PAN ? PSR_PAN : 0;
		p |= old & PSR32_DIT ? PSR_DIT : 0;
		p |= old & PSR32_SSBS ? PSR_SSBS : 0;
	} else {
		p |= old & (PSR_PAN | PSR_DIT | PSR_SSBS | PSR_UAO | PSR_TCO |
			    PSR_ALLINT);
	}
	p |= (u64)t->el << 2 | PSR_SP | PSR_D | PSR_A | PSR_I | PSR_F;
	if ((f & EXC_F_PAN) && (t->el == 1 || t->in_host) &&
	    !(t->sctlr & SCTLR_SPAN))
		p |= PSR_PAN;
	if (f & EXC_F_UAO)
		p &= ~PSR_UAO;
	if (f & EXC_F_SSBS)
		p = (p & ~PSR_SSBS) | (t->sctlr & SCTLR_DSSBS ? PSR_SSBS : 0);
	if (f & EXC_F_MTE)
		p |= PSR_TCO;
	if (f & EXC_F_NMI)
		p = (p & ~PSR_ALLINT) |
		    (t->sctlr & SCTLR_SPINTMASK ? 0 : PSR_ALLINT);
	return p;
}

/*
 * SPSR_ELx = PSTATE, ELR_ELx = the preferred return address (the PC the
 * vCPU stopped at: the faulting instruction for a synchronous exception),
 * ESR_ELx = the syndrome, FAR_ELx only for exceptions that define it
 * (aborts, watchpoints, PC alignment; elsewhere it is left alone, as KVM
 * does); then PC = VBAR_ELx[63:11] + the vector offset.
 */
void exc_enter(struct vcpu_regs *regs, struct exc_target *t,
	       enum exc_type type, u64 esr, const u64 *far)
{
	u64 old = regs->pstate;

	t->spsr = old;
	t->elr = regs->pc;
	t->esr = esr;
	t->far_written = far != NULL;
	if (far)
		t->far = *far;
	regs->pc = (t->vbar & ~UINT64_C(0x7ff)) +
		   exc_vector_offset(old, t->el, type);
	regs->pstate = exc_entry_pstate(old, t);
}
