/*
 * L1's system register accesses and system instructions at vEL2 that
 * trap with HCR_EL2.NV (EC 0x18, Arm ARM D19.2 and the FEAT_NV rules of
 * D8 "Nested virtualization"): its EL2 registers (the register file of
 * cpu/vel2_regs.c, the GIC hypervisor interface, the EL2 timers), the
 * EL1 registers whose hardware copies hold its own EL2 state (TVM, TRVM,
 * NV1, TCPAC: L2's values), and its TLB maintenance.
 */
#include <nv/arch.h>
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/log.h>
#include <nv/shadow_s2.h>
#include <nv/vel2_at.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vcpu_nested.h>
#include <nv/vel2.h>
#include <nv/vm.h>

#define ICC_SRE_EL2_ENC SYSREG_ENC(3, 4, 12, 9, 5)

/*
 * The rows whose value lives in the hardware EL1 registers while L1 runs
 * (struct el1_ctx), read and written there; TCR_EL2 and CPTR_EL2 live in
 * the file and are converted into TCR_EL1 and CPACR_EL1 on each write.
 */
static u64 *live_field(const struct vcpu_nested *n, struct el1_ctx *c, enum vel2_reg r)
{
	/* With E2H 1 TTBR1_EL2 and CONTEXTIDR_EL2 are in use and on the CPU. */
	if (n->e2h && r == VEL2_TTBR1_EL2)
		return &c->ttbr1;
	if (n->e2h && r == VEL2_CONTEXTIDR_EL2)
		return &c->contextidr;
	switch (r) {
	case VEL2_SCTLR_EL2: return &c->sctlr;
	case VEL2_TTBR0_EL2: return &c->ttbr0;
	case VEL2_MAIR_EL2: return &c->mair;
	case VEL2_AMAIR_EL2: return &c->amair;
	case VEL2_VBAR_EL2: return &c->vbar;
	case VEL2_ELR_EL2: return &c->elr;
	case VEL2_SPSR_EL2: return &c->spsr;
	case VEL2_ESR_EL2: return &c->esr;
	case VEL2_FAR_EL2: return &c->far;
	case VEL2_AFSR0_EL2: return &c->afsr0;
	case VEL2_AFSR1_EL2: return &c->afsr1;
	default: return NULL;
	}
}

/*
 * With E2H 1, a register the CPU holds part of (vel2_e2h_hw_part): a read
 * joins the parts, a write (E2H 1 masks) splits it; a CNTHCTL_EL2 write
 * reloads the timers' controls.
 */
static enum vel2_access e2h_split_reg(struct vcpu *vcpu, struct el1_ctx *c, enum vel2_reg r,
				      bool read, u64 *val)
{
	struct vcpu_nested *n = vcpu->nested;
	u64 *hw = NULL, hw_mask = vel2_e2h_hw_part(r, c, &hw);

	if (read) {
		*val = (vel2_get(&n->el2, r) & ~hw_mask) | (*hw & hw_mask);
		return VEL2_DONE;
	}
	*val = vel2_reg_sanitise_e2h(r, *val, &n->feat, true);
	vel2_set(&n->el2, r, *val);
	*hw = (*hw & ~hw_mask) | (*val & hw_mask);
	arch_el1_ctx_write(c);
	if (r == VEL2_CNTHCTL_EL2)
		vel2_load(vcpu);
	return VEL2_DONE;
}

static enum vel2_access el2_reg(struct vcpu *vcpu, enum vel2_reg r,
				const struct vel2_reg_desc *d, bool read, u64 *val)
{
	struct vcpu_nested *n = vcpu->nested;
	struct el1_ctx c;
	u64 *live = NULL;

	if (!vel2_reg_exists(r, &n->feat) || (!read && (d->flags & VEL2_RO)))
		return VEL2_UNDEF;
	arch_el1_ctx_read(&c);
	if (n->e2h && vel2_e2h_hw_part(r, &c, &live))
		return e2h_split_reg(vcpu, &c, r, read, val);
	live = live_field(n, &c, r);
	if (read) {
		*val = r == VEL2_SPSR_EL2 ? vel2_spsr_read(n, &c) :
		       live ? *live : vel2_get(&n->el2, r);
		return VEL2_DONE;
	}
	*val = vel2_reg_sanitise_e2h(r, *val, &n->feat, n->e2h);
	if (r == VEL2_HCR_EL2) {
		vel2_set(&n->el2, r, *val);
		vel2_e2h_sync(vcpu);
		return VEL2_DONE;
	}
	if (live) {
		/* SPSR_EL2 and ELR_EL2 written: what SPSR_EL2 now is, noted. */
		u64 spsr = r == VEL2_SPSR_EL2 ? *val : vel2_spsr_read(n, &c);

		*live = *val;
		vel2_spsr_note(n, &c, spsr);
	} else {
		vel2_set(&n->el2, r, *val);
		if (r == VEL2_TCR_EL2)
			c.tcr = vel2_tcr_to_el1(*val);
		else if (r == VEL2_CPTR_EL2)
			c.cpacr = vel2_cpacr(*val);
		else
			return VEL2_DONE;
	}
	arch_el1_ctx_write(&c);
	return VEL2_DONE;
}

bool vel2_tlbi_in_host(struct vcpu *vcpu, u32 enc, u64 xt)
{
	struct vcpu_nested *n = vcpu->nested;
	u64 hcr = vel2_get(&n->el2, VEL2_HCR_EL2), t0;

	/*
	 * {E2H, TGE} = {1, 1} in the register file, which under nv2 is the
	 * page L1 writes, and the CPU's EL1 registers in the E2H 1 layout.
	 */
	if (!n->e2h || (hcr & (HCR_E2H | HCR_TGE)) != (HCR_E2H | HCR_TGE))
		return false;
	t0 = arch_counter();
	if (!arch_tlbi_el1_is(enc, xt))
		return false;
	n->tlbis[0]++;
	n->tlbi_ticks[0] += arch_counter() - t0;
	return true;
}

/*
 * TLB maintenance of L1 at vEL2 (trapped by HCR_EL2.TTLB and NV; C5.5,
 * the TLBI encodings with op1 4, CRn 8). L2's stage-1 entries carry the
 * shadows' VMIDs, L1's own EL2 regime the VM's: every form invalidates
 * every guest entry of the CPUs (TLBI ALLE1IS: more than asked, never
 * less). The stage-2 forms also drop shadow pages: IPAS2E1, IPAS2LE1 and
 * their IS/OS forms (CRm 0: op2 1, 5; CRm 4: op2 0, 1, 4, 5; Xt[35:0] =
 * IPA[47:12]) that L2 page's; their range forms (RIPAS2*: CRm 0 op2 2,
 * 6; CRm 4 op2 2, 3, 6, 7) and VMALLS12E1 (op2 6 with CRm 1, 3, 7: OS,
 * IS, plain) those of L1's current VMID; ALLE1 (op2 4 there) all of them.
 * The EL2 forms (ALLE2, VAE2, VALE2 and their OS, IS and range forms)
 * touch no shadow.
 */
static enum vel2_access tlbi(struct vcpu *vcpu, u32 enc, u64 xt)
{
	struct vcpu_nested *n = vcpu->nested;
	unsigned op1 = (enc >> 11) & 7, crm = (enc >> 3) & 0xf, op2 = enc & 7;
	struct vm *vm = vcpu->vm;
	u16 vmid = shadow_l1_vmid(vel2_get(&n->el2, VEL2_VTCR_EL2), vel2_get(&n->el2, VEL2_VTTBR_EL2));
	bool all_forms = crm == 1 || crm == 3 || crm == 7;
	u64 t0 = arch_counter(), dt;
	unsigned s2 = 1;

	if (op1 != 4) {
		/*
		 * EL1 forms: L2's stage 1, or with {E2H,TGE} = {1,1} L1's own
		 * EL2&0 regime, which runs as the CPU's EL1&0 regime on the
		 * VM's VMID (the current one while L1 runs): then the TLBI
		 * itself, made Inner Shareable, where arch_tlbi_el1_is has it.
		 */
		s2 = 0;
		if (vel2_tlbi_in_host(vcpu, enc, xt))
			return VEL2_DONE;
	} else if ((crm == 0 && (op2 == 1 || op2 == 5)) ||
		   (crm == 4 && (op2 == 0 || op2 == 1 || op2 == 4 || op2 == 5))) {
		shadow_s2_tlbi_ipa(vm, vmid, (xt & GENMASK(35, 0)) << 12, 4096);
	} else if ((crm == 0 && (op2 == 2 || op2 == 6)) ||
		   (crm == 4 && (op2 == 2 || op2 == 3 || op2 == 6 || op2 == 7)) ||
		   (all_forms && op2 == 6)) {
		shadow_s2_tlbi_vmid(vm, vmid);
	} else if (all_forms && op2 == 4) {
		shadow_s2_tlbi_all(vm);
	} else {
		s2 = 0; /* the EL2 forms */
	}
	arch_tlbi_guests_all_is();
	dt = arch_counter() - t0;
	n->tlbis[s2]++;
	n->tlbi_ticks[s2] += dt;
	n->tlbi_max_ticks[s2] = MAX(n->tlbi_max_ticks[s2], dt);
	return VEL2_DONE;
}

/*
 * AT of L1 at vEL2 (op0 1, CRn 7, CRm 8; C5.5, trapped by NV and
 * HCR_EL2.AT): a software walk of the regime it names (cpu/vel2_at.c)
 * over L1's memory, L1's own EL2 regime from the registers the CPU holds
 * for it, L2's from the register file; the result in PAR_EL1, or, for an
 * external abort on the walk, the Data Abort the Arm ARM takes instead
 * (to vEL2, PAR_EL1 unchanged).
 */
static enum vel2_access at(struct vcpu *vcpu, u32 enc, u64 va)
{
	struct vcpu_nested *n = vcpu->nested;
	const struct vel2_file *el2 = &n->el2;
	struct vel2_at_abort ab = { .taken = false };
	struct vel2_at_regs r;
	enum vel2_at_op op;
	struct el1_ctx c;
	u64 par;

	if (!vel2_at_decode(enc, &op))
		return VEL2_UNDEF;
	arch_el1_ctx_read(&c);
	r.el2 = n->e2h ? (struct vel2_at_regime){ c.sctlr, c.tcr, c.ttbr0, c.ttbr1, c.mair } :
		(struct vel2_at_regime){ c.sctlr, vel2_get(el2, VEL2_TCR_EL2), c.ttbr0, 0, c.mair };
	r.el1 = (struct vel2_at_regime){ vel2_get(el2, VEL2_SCTLR_EL1), vel2_get(el2, VEL2_TCR_EL1),
					 vel2_get(el2, VEL2_TTBR0_EL1), vel2_get(el2, VEL2_TTBR1_EL1),
					 vel2_get(el2, VEL2_MAIR_EL1) };
	r.hcr = vel2_get(el2, VEL2_HCR_EL2);
	r.vtcr = vel2_get(el2, VEL2_VTCR_EL2);
	r.vttbr = vel2_get(el2, VEL2_VTTBR_EL2);
	r.pa_bits = 64 - (unsigned)(vcpu->vm->vtcr & 0x3f);
	par = vel2_at(op, va, &r, shadow_s2_read_l1, vcpu->vm, &ab);
	if (ab.taken) {
		/* A Data Abort on the AT itself: ELR_EL2 is the AT's address. */
		vel2_take(vcpu, EXC_SYNC, ab.esr, &ab.far);
		return VEL2_TAKEN;
	}
	arch_par_el1_write(par);
	return VEL2_DONE;
}

/* L2's EL1 registers that L1 reaches at vEL2 through a trap. */
static bool l2_el1_reg(u32 enc, enum vel2_reg *r)
{
	const struct vel2_reg_desc *d = vel2_reg_by_enc(enc);

	if (!d || !(d->flags & VEL2_EL1))
		return false;
	*r = vel2_reg_index(d);
	return true;
}

/*
 * L1 with E2H 1 (Arm ARM D8, "Behavior of HCR_EL2.E2H"): an EL1 register
 * name at vEL2 is its EL2 register, which the CPU holds, so only CPACR_EL1
 * traps (TCPAC: it is CPTR_EL2); the _EL12 and _EL02 forms are L2's EL1
 * and EL0 registers (vel2_alias_by_enc; the timers' are
 * vtimer_nested_sysreg's). The rest is an EL2 register or not L1's.
 */
static enum vel2_access e2h_el1_name(struct vcpu *vcpu, u32 enc, bool read, u64 *val)
{
	struct vcpu_nested *n = vcpu->nested;
	const struct vel2_alias_desc *a = vel2_alias_by_enc(enc);
	const struct vel2_reg_desc *d;

	if (enc == SYSREG_ENC(3, 0, 1, 0, 2))
		return el2_reg(vcpu, VEL2_CPTR_EL2, vel2_reg_by_index(VEL2_CPTR_EL2), read, val);
	if (a) {
		if (read)
			*val = vel2_get(&n->el2, a->target);
		else
			vel2_set(&n->el2, a->target, *val);
		return VEL2_DONE;
	}
	d = vel2_reg_by_enc(enc);
	if (!d)
		return VEL2_NOT_MINE;
	/* SP_EL1 (op1 4, NV traps it): L2's, whatever E2H is. */
	if ((d->flags & VEL2_EL1) && ((enc >> 11) & 7) == 4) {
		if (read)
			*val = vel2_get(&n->el2, vel2_reg_index(d));
		else
			vel2_set(&n->el2, vel2_reg_index(d), *val);
		return VEL2_DONE;
	}
	if (d->flags & VEL2_EL1)
		return VEL2_NOT_MINE;
	return el2_reg(vcpu, vel2_reg_index(d), d, read, val);
}

enum vel2_access vel2_sysreg(struct vcpu *vcpu, u32 enc, bool read, u64 *val)
{
	struct vcpu_nested *n = vcpu->nested;
	unsigned op0 = (enc >> 14) & 3, crn = (enc >> 7) & 0xf;
	const struct vel2_reg_desc *d;
	enum vel2_reg r;

	if (op0 == 1 && crn == 8)
		return tlbi(vcpu, enc, *val);
	if (op0 == 1 && crn == 7 && ((enc >> 3) & 0xf) == 8)
		return at(vcpu, enc, *val);
	if (op0 == 1)
		return VEL2_NOT_MINE;
	if (vgic_nested_owns(enc)) {
		if (!vgic_nested_sysreg(&n->gic, enc, !read, val))
			return VEL2_UNDEF;
		/*
		 * Under NV2 an ICH_* access that still traps (the CPU may
		 * trap what has a VNCR offset too) keeps the page, which is
		 * what the nested vGIC takes them from, coherent.
		 */
		if (n->nv2 && !read)
			vel2_gic_to_page(n);
		return VEL2_DONE;
	}
	if (enc == ICC_SRE_EL2_ENC) {
		/* SRE, DFB, DIB and Enable RAO/WI: the system register interface. */
		if (read)
			*val = 0xf;
		return VEL2_DONE;
	}
	if (n->nv2 && !n->e2h) {
		/* CNTV_TVAL/CTL/CVAL_EL0 (3,3,14,3,0..2), CNTVCT(SS)_EL0 (3,3,14,0,2/6). */
		unsigned t = enc == SYSREG_ENC(3, 3, 14, 3, 0) ? ARCH_CNTV_TVAL :
			     enc == SYSREG_ENC(3, 3, 14, 3, 1) ? ARCH_CNTV_CTL :
			     enc == SYSREG_ENC(3, 3, 14, 3, 2) ? ARCH_CNTV_CVAL :
			     enc == SYSREG_ENC(3, 3, 14, 0, 2) || enc == SYSREG_ENC(3, 3, 14, 0, 6) ?
				     ARCH_CNTVCT : ARCH_CNTV_NONE;

		if (t != ARCH_CNTV_NONE) {
			/* The offset was refreshed at this exit (vel2_nv2_sync). */
			if (read)
				*val = arch_el1_vtimer_read(t);
			else if (t != ARCH_CNTVCT)
				arch_el1_vtimer_write(t, *val);
			else
				return VEL2_UNDEF; /* CNTVCT_EL0 is read-only */
			return VEL2_DONE;
		}
	}
	switch (vtimer_nested_sysreg(vcpu, &n->timer, &n->el2, enc, !read, val)) {
	case VTN_DONE:
		return VEL2_DONE;
	case VTN_RELOAD:
		vel2_load(vcpu);
		return VEL2_DONE;
	case VTN_UNDEF:
		return VEL2_UNDEF;
	default:
		break;
	}
	if (n->e2h)
		return e2h_el1_name(vcpu, enc, read, val);
	if (l2_el1_reg(enc, &r)) {
		if (r == VEL2_CNTV_CTL_EL0 || r == VEL2_CNTV_CVAL_EL0 ||
		    r == VEL2_CNTP_CTL_EL0 || r == VEL2_CNTP_CVAL_EL0 ||
		    r == VEL2_ACTLR_EL1 || r == VEL2_MDSCR_EL1)
			return VEL2_NOT_MINE; /* one register for both contexts */
		if (read)
			*val = vel2_get(&n->el2, r);
		else
			vel2_set(&n->el2, r, *val);
		return VEL2_DONE;
	}
	d = vel2_reg_by_enc(enc);
	if (!d)
		return VEL2_NOT_MINE;
	return el2_reg(vcpu, vel2_reg_index(d), d, read, val);
}
