/*
 * A guest hypervisor's virtual EL2 under FEAT_NV (include/nv/vcpu_nested.h):
 * its two contexts and the switch between them, its EL2 register
 * accesses, ERET, and the exceptions it takes at vEL2.
 */
#include <stddef.h>
#include <string.h>
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/exc_entry.h>
#include <nv/exit.h>
#include <nv/log.h>
#include <nv/shadow_s2.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vcpu_nested.h>
#include <nv/vel2.h>
#include <nv/vm.h>

/*
 * Where each register of struct el1_ctx comes from in each context: l2,
 * the row of L1's register file holding L2's value while L1 runs; l1,
 * the row holding L1's EL2 value while L2 runs, with L1's HCR_EL2.E2H 0;
 * vhe, the same with E2H 1, where the EL2&0 regime's registers have the
 * EL1 layouts and the CPU's EL1 registers hold them as they are (Arm ARM
 * D8, "Behavior of HCR_EL2.E2H"; TTBR1_EL2 and CONTEXTIDR_EL2 in use).
 * VEL2_NR_REGS: derived from another register, or none (ctx_load_l1).
 * CNTKCTL_EL1 with E2H 0 is one register for both contexts (L1 at EL2
 * has no EL0 of its own); with E2H 1 it holds CNTHCTL_EL2's EL0 controls.
 */
#define CTX(f, sys, l2_, l1_, vhe_)                                           \
	{ offsetof(struct el1_ctx, f), offsetof(struct vcpu_sysregs, sys), l2_, l1_, vhe_ }
#define NONE VEL2_NR_REGS
static const struct {
	size_t off, sys; /* in struct el1_ctx, and in struct vcpu_sysregs */
	enum vel2_reg l2, l1, vhe;
} ctx_map[] = {
	CTX(sctlr, sctlr_el1, VEL2_SCTLR_EL1, VEL2_SCTLR_EL2, VEL2_SCTLR_EL2),
	CTX(cpacr, cpacr_el1, VEL2_CPACR_EL1, NONE, NONE),
	CTX(ttbr0, ttbr0_el1, VEL2_TTBR0_EL1, VEL2_TTBR0_EL2, VEL2_TTBR0_EL2),
	CTX(ttbr1, ttbr1_el1, VEL2_TTBR1_EL1, NONE, VEL2_TTBR1_EL2),
	CTX(tcr, tcr_el1, VEL2_TCR_EL1, NONE, NONE),
	CTX(esr, esr_el1, VEL2_ESR_EL1, VEL2_ESR_EL2, VEL2_ESR_EL2),
	CTX(far, far_el1, VEL2_FAR_EL1, VEL2_FAR_EL2, VEL2_FAR_EL2),
	CTX(afsr0, afsr0_el1, VEL2_AFSR0_EL1, VEL2_AFSR0_EL2, VEL2_AFSR0_EL2),
	CTX(afsr1, afsr1_el1, VEL2_AFSR1_EL1, VEL2_AFSR1_EL2, VEL2_AFSR1_EL2),
	CTX(mair, mair_el1, VEL2_MAIR_EL1, VEL2_MAIR_EL2, VEL2_MAIR_EL2),
	CTX(amair, amair_el1, VEL2_AMAIR_EL1, VEL2_AMAIR_EL2, VEL2_AMAIR_EL2),
	CTX(contextidr, contextidr_el1, VEL2_CONTEXTIDR_EL1, NONE, VEL2_CONTEXTIDR_EL2),
	CTX(vbar, vbar_el1, VEL2_VBAR_EL1, VEL2_VBAR_EL2, VEL2_VBAR_EL2),
	CTX(elr, elr_el1, VEL2_ELR_EL1, VEL2_ELR_EL2, VEL2_ELR_EL2),
	CTX(spsr, spsr_el1, VEL2_SPSR_EL1, VEL2_SPSR_EL2, VEL2_SPSR_EL2),
	CTX(sp, sp_el1, VEL2_SP_EL1, NONE, NONE),
	CTX(cntkctl, cntkctl_el1, VEL2_CNTKCTL_EL1, VEL2_CNTKCTL_EL1, NONE),
};
#undef NONE
#undef CTX

/* The row of L1's EL2 state entry i holds while L1 runs, in the layout n->e2h says. */
static enum vel2_reg ctx_l1_row(const struct vcpu_nested *n, unsigned i)
{
	return n->e2h ? ctx_map[i].vhe : ctx_map[i].l1;
}

static u64 *ctx_field(struct el1_ctx *c, unsigned i)
{
	return (u64 *)(void *)((char *)c + ctx_map[i].off);
}

/*
 * TCR_EL2 (E2H = 0) as TCR_EL1 for L1's EL2 regime run as EL1&0 (Arm ARM
 * D19.2, TCR_EL2 and TCR_EL1): T0SZ, IRGN0, ORGN0, SH0 and TG0 at the same
 * place; PS [18:16] to IPS [34:32], TBI [20] to TBI0 [37], HPD [24] to
 * HPD0 [41]; TTBR1 walks off (EPD1 [23]) with a valid TG1 (4 KiB, 0b10).
 * HA/HD are not carried: FEAT_HAFDBS is hidden from L1.
 */
u64 vel2_tcr_to_el1(u64 tcr_el2)
{
	u64 v = tcr_el2 & GENMASK(15, 0);

	v |= ((tcr_el2 >> 16) & 7) << 32;
	v |= ((tcr_el2 >> 20) & 1) << 37;
	v |= ((tcr_el2 >> 24) & 1) << 41;
	v |= BIT(23) | UINT64_C(2) << 30;
	return v;
}

/*
 * CPACR_EL1 while L1 runs: FP/SIMD enabled at EL1 (FPEN [21:20] 0b11)
 * unless L1's CPTR_EL2.TFP [10] traps FP at its own EL2 too (E2H = 0).
 */
u64 vel2_cpacr(u64 cptr_el2)
{
	return cptr_el2 & CPTR_TFP ? 0 : UINT64_C(3) << 20;
}

/* A PSTATE of the CPU's EL1 standing for vEL2: EL1t/EL1h as EL2t/EL2h. */
static u64 el1_as_el2(u64 hw)
{
	unsigned m = (unsigned)(hw & PSR_M_MASK);

	if ((hw & PSR_NRW) || (m != PSR_M_EL1T && m != PSR_M_EL1H))
		return hw;
	return hw + 4; /* 0b0100/0b0101 -> 0b1000/0b1001 */
}

u64 vel2_virt_pstate(const struct vcpu_nested *n, u64 hw)
{
	return n->in_l2 ? hw : el1_as_el2(hw);
}

u64 vel2_spsr_read(const struct vcpu_nested *n, const struct el1_ctx *c)
{
	if (n->nv2 || n->e2h)
		return c->spsr;
	if (c->spsr == n->spsr_hw && c->elr == n->elr_hw)
		return n->spsr_virt;
	return el1_as_el2(c->spsr);
}

void vel2_spsr_note(struct vcpu_nested *n, const struct el1_ctx *c, u64 spsr)
{
	n->spsr_virt = spsr;
	n->spsr_hw = c->spsr;
	n->elr_hw = c->elr;
}

static u64 hw_pstate(u64 virt)
{
	unsigned m = (unsigned)(virt & PSR_M_MASK);

	if (!(virt & PSR_NRW) && (m == PSR_M_EL2T || m == PSR_M_EL2H))
		return virt - 4;
	return virt;
}

u64 vel2_e2h_hw_part(enum vel2_reg r, struct el1_ctx *c, u64 **hw)
{
	switch (r) {
	case VEL2_TCR_EL2:
		*hw = &c->tcr;
		return ~(BIT(40) | BIT(39));
	case VEL2_CPTR_EL2:
		*hw = &c->cpacr;
		return GENMASK(21, 20) | BIT(28);
	case VEL2_CNTHCTL_EL2:
		*hw = &c->cntkctl;
		return GENMASK(9, 0);
	default:
		return 0;
	}
}

/* The registers vel2_e2h_hw_part splits. */
static const enum vel2_reg e2h_split[] = { VEL2_TCR_EL2, VEL2_CPTR_EL2, VEL2_CNTHCTL_EL2 };

/* L1's EL2 values into c (the hardware registers while L1 runs). */
static void ctx_load_l1(const struct vcpu_nested *n, struct el1_ctx *c)
{
	const struct vel2_file *el2 = &n->el2;

	for (unsigned i = 0; i < ARRAY_SIZE(ctx_map); i++)
		if (ctx_l1_row(n, i) != VEL2_NR_REGS)
			*ctx_field(c, i) = vel2_get(el2, ctx_l1_row(n, i));
	c->sp = n->sp_el2;
	if (n->e2h) {
		for (unsigned i = 0; i < ARRAY_SIZE(e2h_split); i++) {
			u64 *hw = NULL, m = vel2_e2h_hw_part(e2h_split[i], c, &hw);

			*hw = vel2_get(el2, e2h_split[i]) & m;
		}
		return;
	}
	c->cpacr = vel2_cpacr(vel2_get(el2, VEL2_CPTR_EL2));
	c->tcr = vel2_tcr_to_el1(vel2_get(el2, VEL2_TCR_EL2));
	c->ttbr1 = 0;
	c->contextidr = 0;
}

static void ctx_save_l1(struct vcpu_nested *n, struct el1_ctx *c)
{
	struct vel2_file *el2 = &n->el2;
	u64 spsr = vel2_spsr_read(n, c);

	for (unsigned i = 0; i < ARRAY_SIZE(ctx_map); i++)
		if (ctx_l1_row(n, i) != VEL2_NR_REGS)
			vel2_set(el2, ctx_l1_row(n, i), *ctx_field(c, i));
	vel2_set(el2, VEL2_SPSR_EL2, spsr);
	n->sp_el2 = c->sp;
	for (unsigned i = 0; n->e2h && i < ARRAY_SIZE(e2h_split); i++) {
		u64 *hw = NULL, m = vel2_e2h_hw_part(e2h_split[i], c, &hw);

		vel2_set(el2, e2h_split[i], (vel2_get(el2, e2h_split[i]) & ~m) | (*hw & m));
	}
}

static void ctx_load_l2(const struct vcpu_nested *n, struct el1_ctx *c)
{
	for (unsigned i = 0; i < ARRAY_SIZE(ctx_map); i++)
		*ctx_field(c, i) = vel2_get(&n->el2, ctx_map[i].l2);
}

static void ctx_save_l2(struct vcpu_nested *n, struct el1_ctx *c)
{
	for (unsigned i = 0; i < ARRAY_SIZE(ctx_map); i++)
		vel2_set(&n->el2, ctx_map[i].l2, *ctx_field(c, i));
}

/* The EL1 image of a vCPU not on a CPU (vcpu->sys) as a struct el1_ctx, and back. */
static void sys_to_ctx(const struct vcpu_sysregs *s, struct el1_ctx *c)
{
	for (unsigned i = 0; i < ARRAY_SIZE(ctx_map); i++)
		*ctx_field(c, i) = *(const u64 *)(const void *)((const char *)s + ctx_map[i].sys);
}

static void ctx_to_sys(struct el1_ctx *c, struct vcpu_sysregs *s)
{
	for (unsigned i = 0; i < ARRAY_SIZE(ctx_map); i++)
		*(u64 *)(void *)((char *)s + ctx_map[i].sys) = *ctx_field(c, i);
}

/* The EL2 controls of the context on the CPU (n->in_l2), into n->ctl. */
static void compute_ctl(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;
	const struct vel2_file *el2 = &n->el2;
	struct vtn_hw t = vtimer_nested_hw(&n->timer, el2);
	struct el2_ctl *c = &n->ctl;

	if (n->in_l2) {
		el2_ctl_l2(&n->policy, vel2_get(el2, VEL2_HCR_EL2),
			   vel2_cptr_e2h0(vel2_get(el2, VEL2_CPTR_EL2), n->e2h),
			   vel2_get(el2, VEL2_MDCR_EL2), c);
		c->vpidr = vel2_get(el2, VEL2_VPIDR_EL2);
		c->vmpidr = vel2_get(el2, VEL2_VMPIDR_EL2);
		c->vttbr = vcpu->vm->vttbr;
		c->vtcr = vcpu->vm->vtcr;
		if (n->shadow)
			c->vtcr = n->shadow->hw_vtcr; /* VTTBR_EL2 at each entry */
		c->vncr = 0;
	} else {
		el2_ctl_vel2(&n->policy, n->nv2, n->e2h, (u64)(uintptr_t)n->el2.vncr, c);
		c->vpidr = vcpu->sys.vpidr_el2;
		c->vmpidr = vcpu->sys.vmpidr_el2;
		c->vttbr = vcpu->vm->vttbr;
		c->vtcr = vcpu->vm->vtcr;
	}
	c->cnthctl = t.cnthctl;
	c->cntvoff = t.cntvoff;
	/*
	 * Under NV2 L1's CNTVOFF_EL2 writes do not trap: its own CNTV_* at
	 * vEL2 trap instead (CNTHCTL_EL2.EL1TVT of FEAT_ECV, shown to L1 only
	 * where the CPU has it), so that the offset is refreshed before they
	 * are done (vel2_sysreg). CNTVCT_EL0, which L1 polls, is not trapped
	 * (EL1TVCT): it sees a new offset from L1's next exit on.
	 */
	if (n->nv2 && !n->in_l2 && n->timer.ecv)
		c->cnthctl |= CNTHCTL_EL1TVT;
}

void vel2_nv2_sync(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;
	u64 voff = n->ctl.cntvoff, hctl = n->ctl.cnthctl;

	vel2_gic_from_page(n);
	if (vel2_e2h_sync(vcpu))
		return;
	compute_ctl(vcpu);
	if (n->ctl.cntvoff != voff || n->ctl.cnthctl != hctl)
		arch_el2_ctl_load(&n->ctl);
}

/*
 * L1 set or cleared its HCR_EL2.E2H (a trapped write under nv, seen at
 * the next exit under nv2, where the write went to the page): while L1
 * runs, the CPU's EL1 registers change layout (its EL2 registers are the
 * same values, read another way: Arm ARM D8, "Behavior of HCR_EL2.E2H"),
 * and so do its EL2 controls (HCR_EL2.NV1 0 with E2H 1) and its timers'
 * view. Linux's boot does it once per CPU, at vEL2 with its MMU off.
 */
bool vel2_e2h_sync(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;
	bool e2h = vel2_regs_e2h(&n->el2, &n->feat);
	struct el1_ctx c;

	if (e2h == n->e2h)
		return false;
	if (!n->in_l2) {
		arch_el1_ctx_read(&c);
		ctx_save_l1(n, &c);
		n->e2h = e2h;
		ctx_load_l1(n, &c);
		vel2_spsr_note(n, &c, c.spsr);
		arch_el1_ctx_write(&c);
	} else {
		n->e2h = e2h;
	}
	n->timer.e2h = e2h;
	compute_ctl(vcpu);
	arch_el2_ctl_load(&n->ctl);
	return true;
}

/*
 * Under NV2 L1 writes its VNCR-backed EL2 registers (HCR_EL2, VTTBR_EL2,
 * VTCR_EL2, VPIDR_EL2, VMPIDR_EL2, CNTVOFF_EL2, ...) to the page without
 * a trap: their RES0/RES1 bits are applied before L2 runs on them, as a
 * trapped write would have.
 */
static void sanitise_page(struct vcpu_nested *n)
{
	for (unsigned r = 0; r < VEL2_NR_REGS; r++) {
		const struct vel2_reg_desc *d = vel2_reg_by_index((enum vel2_reg)r);

		if (d->vncr && !(d->flags & (VEL2_EL1 | VEL2_RO)))
			vel2_set(&n->el2, (enum vel2_reg)r,
				 vel2_reg_sanitise((enum vel2_reg)r,
						   vel2_get(&n->el2, (enum vel2_reg)r), &n->feat));
	}
}

void vel2_vcpu_init(struct vcpu *vcpu, struct vcpu_nested *n, u64 *vncr)
{
	memset(n, 0, sizeof(*n));
	n->el2.vncr = vncr;
	vcpu->nested = n;
	vgic_nested_init(&n->gic, vcpu);
	vtimer_nested_init_vcpu(&n->timer, 0, false, false);
}

void vel2_reset(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;
	struct el1_ctx c;

	if (n->shadow) {
		shadow_s2_put(vcpu->vm, n->shadow);
		n->shadow = NULL;
	}
	vel2_regs_reset(&n->el2);
	/* VPIDR_EL2/VMPIDR_EL2 reset to MIDR_EL1/MPIDR_EL1 as L1 reads them. */
	vel2_set(&n->el2, VEL2_VPIDR_EL2, vcpu->sys.vpidr_el2);
	vel2_set(&n->el2, VEL2_VMPIDR_EL2, vcpu->sys.vmpidr_el2);
	vel2_set(&n->el2, VEL2_SCTLR_EL1, SCTLR_EL1_RESET);
	/* HCR_EL2.E2H resets to 1 where it is RES1 (no FEAT_E2H0), else 0. */
	vel2_set(&n->el2, VEL2_HCR_EL2,
		 vel2_reg_sanitise(VEL2_HCR_EL2, vel2_get(&n->el2, VEL2_HCR_EL2), &n->feat));
	n->e2h = vel2_regs_e2h(&n->el2, &n->feat);
	n->sp_el2 = 0;
	n->in_l2 = false;
	n->l2_flat = false;
	vgic_nested_init(&n->gic, vcpu);
	vel2_set(&n->el2, VEL2_ICH_VTR_EL2, n->gic.vtr);
	/* CNTHCTL_EL2's ECV controls act where L1's ID_AA64MMFR0_EL1.ECV says so. */
	vtimer_nested_init_vcpu(&n->timer, 0, id_field(vcpu_idreg(vcpu, 7, 0), 60) != 0,
				n->feat.vhe);
	n->timer.e2h = n->e2h;
	/* Start at vEL2h, DAIF masked (EL1h on the hardware). */
	vcpu->regs.pstate = PSTATE_EL1H_DAIF;
	sys_to_ctx(&vcpu->sys, &c);
	ctx_load_l1(n, &c);
	vel2_spsr_note(n, &c, c.spsr);
	ctx_to_sys(&c, &vcpu->sys);
	arch_el2_policy(&n->policy);
	compute_ctl(vcpu);
}

void vel2_load(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;

	arch_el2_policy(&n->policy);
	compute_ctl(vcpu);
	arch_el2_ctl_load(&n->ctl);
}

/* Switches the CPU's EL1 state and EL2 controls to L2 (vCPU loaded). */
static bool switch_to_l2(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;
	struct vel2_file *el2 = &n->el2;
	struct el1_ctx c;

	if (n->nv2)
		sanitise_page(n);
	n->l2_flat = !(vel2_get(el2, VEL2_HCR_EL2) & HCR_VM);
	if (n->l2_flat && n->shadow) {
		shadow_s2_put(vcpu->vm, n->shadow);
		n->shadow = NULL;
	}
	if (!n->l2_flat) {
		char err[128];
		struct shadow_s2 *s = n->shadow;

		if (s && (s->vttbr != vel2_get(el2, VEL2_VTTBR_EL2) || s->vtcr != vel2_get(el2, VEL2_VTCR_EL2))) {
			shadow_s2_put(vcpu->vm, s);
			n->shadow = NULL;
		}
		if (!n->shadow)
			n->shadow = shadow_s2_get(vcpu->vm, vel2_get(el2, VEL2_VTTBR_EL2),
						  vel2_get(el2, VEL2_VTCR_EL2), err, sizeof(err));
		if (!n->shadow) {
			vcpu_warn(vcpu, "no shadow stage 2 for L2: %s", err);
			return false;
		}
	}
	arch_el1_ctx_read(&c);
	ctx_save_l1(n, &c);
	ctx_load_l2(n, &c);
	arch_el1_ctx_write(&c);
	n->in_l2 = true;
	vtimer_nested_switch_to_l2(&n->timer, el2);
	compute_ctl(vcpu);
	arch_el2_ctl_load(&n->ctl);
	/* L2 on the VM's own VMID shares it with L1's EL2 regime. */
	if (n->l2_flat)
		arch_tlb_flush_guest_local();
	return true;
}

static void switch_to_l1(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;
	struct el1_ctx c;

	arch_el1_ctx_read(&c);
	ctx_save_l2(n, &c);
	ctx_load_l1(n, &c);
	vel2_spsr_note(n, &c, c.spsr);
	arch_el1_ctx_write(&c);
	n->in_l2 = false;
	vtimer_nested_switch_to_l1(&n->timer, &n->el2);
	compute_ctl(vcpu);
	arch_el2_ctl_load(&n->ctl);
	if (n->l2_flat)
		arch_tlb_flush_guest_local();
}

/*
 * Takes an exception to vEL2 (AArch64.TakeException with target EL2;
 * D1.3): from L2 (the context switched to L1 first, L2's PSTATE and PC
 * becoming SPSR_EL2 and ELR_EL2) or from vEL2 itself.
 */
void vel2_take(struct vcpu *vcpu, enum exc_type type, u64 esr, const u64 *far)
{
	struct vcpu_nested *n = vcpu->nested;
	struct exc_target t = { .el = 2, .features = exit_exc_features(vcpu) };

	if (n->in_l2)
		switch_to_l1(vcpu);
	else
		vcpu->regs.pstate = vel2_virt_pstate(n, vcpu->regs.pstate);
	arch_el1_exc_regs_read(&t);
	if (type != EXC_SYNC) {
		struct el1_ctx c;

		arch_el1_ctx_read(&c);
		esr = c.esr; /* ESR_EL2 is not written for an interrupt */
	}
	exc_enter(&vcpu->regs, &t, type, esr, far);
	arch_el1_exc_regs_write(&t);
	{
		struct el1_ctx c;

		arch_el1_ctx_read(&c);
		vel2_spsr_note(n, &c, t.spsr);
	}
	vcpu->regs.pstate = hw_pstate(vcpu->regs.pstate);
}

void vel2_forward(struct vcpu *vcpu, u64 esr, const u64 *far, u64 hpfar)
{
	struct vcpu_nested *n = vcpu->nested;

	n->forwarded++;
	vel2_set(&n->el2, VEL2_HPFAR_EL2, hpfar);
	vel2_take(vcpu, EXC_SYNC, esr, far);
}

/*
 * Whether an exception return to spsr is illegal (Arm ARM D1.?,
 * "Illegal return events from AArch64 state"; AArch64.ExceptionReturn):
 * a reserved or unimplemented M[4:0] (AArch32 is not offered; EL3 does
 * not exist for L1), EL0 with SP_ELx, or EL1 while HCR_EL2.TGE is 1.
 */
static bool eret_illegal(u64 spsr, u64 hcr)
{
	unsigned m = (unsigned)(spsr & (PSR_M_MASK | PSR_NRW));

	switch (m) {
	case 0x0:
		return false;
	case PSR_M_EL1T:
	case PSR_M_EL1H:
		return (hcr & HCR_TGE) != 0;
	case PSR_M_EL2T:
	case PSR_M_EL2H:
		return false;
	default:
		return true;
	}
}

/*
 * ERET at vEL2 (EC 0x1A, HCR_EL2.NV): PC from ELR_EL2, PSTATE from
 * SPSR_EL2, into vEL2 itself or L2. An illegal return keeps the EL and
 * SP selection, takes the rest of SPSR_EL2 and sets PSTATE.IL, so that
 * the next instruction takes an Illegal Execution state exception (EC
 * 0x0E) at vEL2. ERETAA/ERETAB (ISS.ERET 1) are not emulated: UNDEF.
 */
enum exit_action vel2_eret(struct vcpu *vcpu, u64 esr)
{
	struct vcpu_nested *n = vcpu->nested;
	struct el1_ctx c;
	u64 spsr, elr;

	if (esr_iss(esr) & 2) {
		vcpu_warn(vcpu, "ERETAA/ERETAB at vEL2 is not emulated: UNDEF");
		inject_undef(vcpu);
		return EXIT_CONTINUE;
	}
	arch_el1_ctx_read(&c);
	spsr = vel2_spsr_read(n, &c);
	elr = c.elr;
	if (eret_illegal(spsr, vel2_get(&n->el2, VEL2_HCR_EL2))) {
		u64 keep = PSR_M_MASK | PSR_NRW;

		vcpu->regs.pstate = (spsr & ~keep & ~PSR_IL) |
				    (vcpu->regs.pstate & keep) | PSR_IL;
		vcpu->regs.pc = elr;
		return EXIT_CONTINUE;
	}
	/*
	 * To vEL2, or to L1's own EL0 when its HCR_EL2.{E2H,TGE} are {1,1}
	 * (its host's userspace, in the EL2&0 regime the CPU's EL1&0 one
	 * holds): no switch. Its EL0's exceptions then reach the CPU's EL1,
	 * which is vEL2, as TGE 1 routes them to EL2.
	 */
	if (psr_el(spsr) == 2 ||
	    (psr_el(spsr) == 0 && n->e2h && (vel2_get(&n->el2, VEL2_HCR_EL2) & HCR_TGE))) {
		vcpu->regs.pstate = hw_pstate(spsr);
		vcpu->regs.pc = elr;
		return EXIT_CONTINUE;
	}
	if (!switch_to_l2(vcpu)) {
		vm_power_off(vcpu->vm, true);
		return EXIT_STOP;
	}
	vcpu->regs.pstate = spsr;
	vcpu->regs.pc = elr;
	return EXIT_CONTINUE;
}
