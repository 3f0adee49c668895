/*
 * The arch half of a nested vCPU's world switch (include/nv/vcpu_nested.h,
 * include/nv/el2_ctl.h): the EL2 controls as computed, and the EL1
 * registers that change hands between L1 at vEL2 and L2.
 */
#include <nv/arm_regs.h>
#include <nv/el2_ctl.h>
#include <nv/vcpu_nested.h>
#include "sysreg.h"

void arch_el2_ctl_load(const struct el2_ctl *c)
{
	write_sysreg(vttbr_el2, c->vttbr);
	write_sysreg(vtcr_el2, c->vtcr);
	write_sysreg(cntvoff_el2, c->cntvoff);
	write_sysreg(cnthctl_el2, c->cnthctl);
	write_sysreg(vpidr_el2, c->vpidr);
	write_sysreg(vmpidr_el2, c->vmpidr);
	write_sysreg(mdcr_el2, c->mdcr);
	write_sysreg(cptr_el2, c->cptr);
	/* VNCR_EL2 (S3_4_C2_C2_0) exists only with FEAT_NV2. */
	if (c->hcr & HCR_NV2)
		write_sysreg(s3_4_c2_c2_0, c->vncr);
	write_sysreg(hcr_el2, c->hcr);
	isb();
}

void arch_vttbr_write(u64 vttbr)
{
	write_sysreg(vttbr_el2, vttbr);
	isb();
}

u64 arch_el1_vtimer_read(unsigned r)
{
	switch (r) {
	case ARCH_CNTV_CTL:
		return read_sysreg(cntv_ctl_el0);
	case ARCH_CNTV_CVAL:
		return read_sysreg(cntv_cval_el0);
	case ARCH_CNTV_TVAL:
		return read_sysreg(cntv_tval_el0);
	default:
		isb();
		return read_sysreg(cntvct_el0);
	}
}

void arch_el1_vtimer_write(unsigned r, u64 val)
{
	switch (r) {
	case ARCH_CNTV_CTL:
		write_sysreg(cntv_ctl_el0, val);
		break;
	case ARCH_CNTV_CVAL:
		write_sysreg(cntv_cval_el0, val);
		break;
	case ARCH_CNTV_TVAL:
		write_sysreg(cntv_tval_el0, val);
		break;
	default:
		break;
	}
	isb();
}

void arch_par_el1_write(u64 par)
{
	write_sysreg(par_el1, par);
}

void arch_el1_ctx_read(struct el1_ctx *c)
{
	c->sctlr = read_sysreg(sctlr_el1);
	c->cpacr = read_sysreg(cpacr_el1);
	c->ttbr0 = read_sysreg(ttbr0_el1);
	c->ttbr1 = read_sysreg(ttbr1_el1);
	c->tcr = read_sysreg(tcr_el1);
	c->esr = read_sysreg(esr_el1);
	c->far = read_sysreg(far_el1);
	c->afsr0 = read_sysreg(afsr0_el1);
	c->afsr1 = read_sysreg(afsr1_el1);
	c->mair = read_sysreg(mair_el1);
	c->amair = read_sysreg(amair_el1);
	c->contextidr = read_sysreg(contextidr_el1);
	c->vbar = read_sysreg(vbar_el1);
	c->elr = read_sysreg(elr_el1);
	c->spsr = read_sysreg(spsr_el1);
	c->sp = read_sysreg(sp_el1);
	c->cntkctl = read_sysreg(cntkctl_el1);
}

void arch_el1_ctx_write(const struct el1_ctx *c)
{
	write_sysreg(sctlr_el1, c->sctlr);
	write_sysreg(cpacr_el1, c->cpacr);
	write_sysreg(ttbr0_el1, c->ttbr0);
	write_sysreg(ttbr1_el1, c->ttbr1);
	write_sysreg(tcr_el1, c->tcr);
	write_sysreg(esr_el1, c->esr);
	write_sysreg(far_el1, c->far);
	write_sysreg(afsr0_el1, c->afsr0);
	write_sysreg(afsr1_el1, c->afsr1);
	write_sysreg(mair_el1, c->mair);
	write_sysreg(amair_el1, c->amair);
	write_sysreg(contextidr_el1, c->contextidr);
	write_sysreg(vbar_el1, c->vbar);
	write_sysreg(elr_el1, c->elr);
	write_sysreg(spsr_el1, c->spsr);
	write_sysreg(sp_el1, c->sp);
	write_sysreg(cntkctl_el1, c->cntkctl);
	isb();
}
