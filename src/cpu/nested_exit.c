/*
 * The exits of a vCPU with a virtual EL2 (include/nv/vcpu_nested.h).
 * From L1 at vEL2: its EL2 register accesses and TLBIs (vel2_sysreg),
 * ERET, and HVC, which at EL2 is L1's own exception (taken to vEL2);
 * everything else as for a plain vCPU. From L2: the forwarding table
 * (cpu/trap_forward.c) says whether L1 asked for the exception (it is
 * then taken to vEL2 with ESR_EL2, FAR_EL2, HPFAR_EL2, ELR_EL2 and
 * SPSR_EL2 as hardware sets them), whether L1's stage 2 decides (the
 * shadow stage 2), or whether nestvisor handles it as for a plain vCPU.
 * Before each entry into L2, an interrupt pending for L1 with its
 * HCR_EL2.IMO set preempts L2 (an IRQ taken to vEL2 from a lower EL).
 */
#include <string.h>
#include <nv/arch.h>
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/irq.h>
#include <nv/log.h>
#include <nv/percpu.h>
#include <nv/shadow_s2.h>
#include <nv/trap.h>
#include <nv/trap_forward.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vcpu_nested.h>
#include <nv/vel2.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>

static void count(struct vcpu *vcpu, enum exit_reason r)
{
	vcpu->exit_reasons[r]++;
}

/* An MSR/MRS/SYS of L1 at vEL2 (EC 0x18). */
static enum exit_action l1_sysreg(struct vcpu *vcpu, u64 esr)
{
	unsigned rt = (unsigned)field_get(ESR_SYS_RT, esr);
	bool read = (esr & ESR_SYS_READ) != 0;
	u32 enc = esr_sysreg_enc(esr);
	u64 val = rt == 31 ? 0 : vcpu->regs.x[rt];

	switch (vel2_sysreg(vcpu, enc, read, &val)) {
	case VEL2_NOT_MINE:
		return handle_sysreg(vcpu, esr);
	case VEL2_UNDEF:
		vcpu_warn(vcpu, "vEL2: %s of S%u_%u_C%u_C%u_%u at 0x%llx: UNDEF",
			  read ? "read" : "write", (enc >> 14) & 3, (enc >> 11) & 7,
			  (enc >> 7) & 0xf, (enc >> 3) & 0xf, enc & 7,
			  (unsigned long long)vcpu->regs.pc);
		inject_undef(vcpu);
		return EXIT_CONTINUE;
	case VEL2_TAKEN:
		vcpu->exit_reasons[EXIT_R_SYSREG]++;
		return EXIT_CONTINUE;
	default:
		break;
	}
	vcpu->exit_reasons[EXIT_R_SYSREG]++;
	if (read && rt != 31)
		vcpu->regs.x[rt] = val;
	vcpu->regs.pc += 4;
	return EXIT_CONTINUE;
}

static enum exit_action l1_exit(struct vcpu *vcpu, u64 vector)
{
	u64 esr = vcpu->regs.esr_el2;

	if ((vector & 3) != TRAP_SYNC)
		return handle_exit(vcpu, vector);
	switch (esr_ec(esr)) {
	case EC_SYS64:
		return l1_sysreg(vcpu, esr);
	case EC_ERET:
		return vel2_eret(vcpu, esr);
	case EC_HVC64:
		/* HVC at EL2 is taken to EL2 (preferred return: the next one). */
		vcpu->exit_reasons[EXIT_R_HVC]++;
		vel2_take(vcpu, EXC_SYNC, esr, NULL);
		return EXIT_CONTINUE;
	case EC_DABT_LOW:
		/*
		 * ISS.VNCR: an access of L1's that FEAT_NV2 made to the VNCR
		 * page faulted in nestvisor's own EL2 stage 1. The page is
		 * always mapped, so this is nestvisor's bug: stop the VM.
		 */
		if (esr & DABT_VNCR) {
			vcpu_warn(vcpu, "fault on the VNCR page (ESR_EL2 0x%llx, FAR_EL2 0x%llx): stopping the VM",
				  (unsigned long long)esr,
				  (unsigned long long)vcpu->regs.far_el2);
			vm_power_off(vcpu->vm, true);
			return EXIT_STOP;
		}
		return handle_exit(vcpu, vector);
	default:
		return handle_exit(vcpu, vector);
	}
}

/*
 * L2's stage-2 fault with L1's stage 2 on: the shadow maps the page and
 * L2 retries, or L1 gets the stage-2 abort its tables explain, or the L1
 * IPA is the VM's MMIO, emulated as L2's access.
 */
static enum exit_action l2_s2_fault(struct vcpu *vcpu, u64 esr)
{
	struct vcpu_nested *n = vcpu->nested;
	bool data = esr_ec(esr) == EC_DABT_LOW;
	u64 far = vcpu->regs.far_el2, l1_ipa = 0;
	struct shadow_access a = {
		.write = data && (esr & DABT_WNR),
		.exec = !data,
		.el0 = psr_el(vcpu->regs.pstate) == 0,
	};
	struct shadow_l1_abort ab;
	struct s2_walk_result walk;
	enum shadow_result r;

	if (esr_hpfar_valid(esr)) {
		a.l2_ipa = (vcpu->regs.hpfar_el2 >> 4) << 12 | (far & 0xfff);
	} else if (!esr_is_permission_fault(esr) || (esr & DABT_FNV) ||
		   !arch_guest_va_to_ipa(far, a.write, &a.l2_ipa)) {
		/* No IPA (external abort, alignment, FnV): L0's as for a plain VM. */
		return handle_exit(vcpu, TRAP_SYNC);
	}
	/*
	 * L2 runs on a shadow whenever L1's HCR_EL2.VM was set at the switch;
	 * should it have none (a bug, not a guest's doing), the VM stops
	 * rather than nestvisor following a NULL shadow.
	 */
	if (!n->shadow) {
		vcpu_warn(vcpu, "stage-2 fault of L2 with no shadow stage 2: stopping the VM");
		vm_power_off(vcpu->vm, true);
		return EXIT_STOP;
	}
	r = shadow_s2_handle_fault(vcpu->vm, n->shadow, &a, &walk, &l1_ipa);
	switch (r) {
	case SHADOW_MAPPED:
		count(vcpu, EXIT_R_ABORT);
		return EXIT_CONTINUE;
	case SHADOW_L0_FAULT:
		if (data)
			return exit_mmio_at(vcpu, esr, l1_ipa);
		inject_iabt(vcpu, far);
		return EXIT_CONTINUE;
	case SHADOW_NOMEM:
		vcpu_warn(vcpu, "no memory for the shadow stage 2: stopping the VM");
		vm_power_off(vcpu->vm, true);
		return EXIT_STOP;
	default:
		break;
	}
	if (!shadow_s2_l1_abort(esr, far, a.l2_ipa, r, &walk, &ab)) {
		inject_undef(vcpu);
		return EXIT_CONTINUE;
	}
	count(vcpu, EXIT_R_ABORT);
	vel2_forward(vcpu, ab.esr, &ab.far, ab.hpfar);
	return EXIT_CONTINUE;
}

static enum exit_action l2_exit(struct vcpu *vcpu, u64 vector)
{
	struct vcpu_nested *n = vcpu->nested;
	u64 esr = vcpu->regs.esr_el2;
	struct vel2_traps t = {
		.hcr = vel2_get(&n->el2, VEL2_HCR_EL2),
		.cptr = vel2_cptr_e2h0(vel2_get(&n->el2, VEL2_CPTR_EL2), n->e2h),
		.mdcr = vel2_get(&n->el2, VEL2_MDCR_EL2),
		.cnthctl = vel2_cnthctl_e2h0(vel2_get(&n->el2, VEL2_CNTHCTL_EL2), n->e2h),
	};
	enum forward f;

	if ((vector & 3) != TRAP_SYNC)
		return handle_exit(vcpu, vector);
	f = trap_forward(&t, esr);
	if (f == FWD_L0 && esr_ec(esr) == EC_SYS64 &&
	    vgic_nested_icc_trapped(&n->gic, esr_sysreg_enc(esr)))
		f = FWD_L1;
	switch (f) {
	case FWD_L1: {
		u64 far = vcpu->regs.far_el2;
		bool abort = esr_ec(esr) == EC_DABT_LOW || esr_ec(esr) == EC_IABT_LOW;

		vel2_forward(vcpu, esr, abort ? &far : NULL,
			     esr_hpfar_valid(esr) ? vcpu->regs.hpfar_el2 : 0);
		return EXIT_CONTINUE;
	}
	case FWD_UNDEF_L2:
		/*
		 * HVC under L1's HCR_EL2.HCD (the only such row): UNDEFINED,
		 * whose preferred return is the HVC itself, where the HVC exit
		 * left ELR_EL2 past it (Arm ARM D1.3, preferred return).
		 */
		vcpu->regs.pc -= 4;
		inject_undef(vcpu);
		return EXIT_CONTINUE;
	case FWD_S2_WALK:
		return l2_s2_fault(vcpu, esr);
	default:
		return handle_exit(vcpu, vector);
	}
}

/*
 * Under NV2, L1's ICH_HCR_EL2, ICH_VMCR_EL2, ICH_AP0R<n>/AP1R<n>_EL2 and
 * ICH_LR<n>_EL2 are in its VNCR page, written without a trap: the nested
 * vGIC takes them from there (sanitised as a trapped write would be, its
 * maintenance interrupt recomputed) before it uses them, and gives its
 * view back after folding L2's list registers in. Registers past what
 * ICH_VTR_EL2 offers are left alone (vgic_nested_sysreg refuses them).
 */
static const enum vel2_reg gic_page_regs[] = {
	VEL2_ICH_HCR_EL2, VEL2_ICH_VMCR_EL2,
	VEL2_ICH_AP0R0_EL2, VEL2_ICH_AP0R1_EL2, VEL2_ICH_AP0R2_EL2, VEL2_ICH_AP0R3_EL2,
	VEL2_ICH_AP1R0_EL2, VEL2_ICH_AP1R1_EL2, VEL2_ICH_AP1R2_EL2, VEL2_ICH_AP1R3_EL2,
	VEL2_ICH_LR0_EL2, VEL2_ICH_LR1_EL2, VEL2_ICH_LR2_EL2, VEL2_ICH_LR3_EL2,
	VEL2_ICH_LR4_EL2, VEL2_ICH_LR5_EL2, VEL2_ICH_LR6_EL2, VEL2_ICH_LR7_EL2,
	VEL2_ICH_LR8_EL2, VEL2_ICH_LR9_EL2, VEL2_ICH_LR10_EL2, VEL2_ICH_LR11_EL2,
	VEL2_ICH_LR12_EL2, VEL2_ICH_LR13_EL2, VEL2_ICH_LR14_EL2, VEL2_ICH_LR15_EL2,
};

static u32 gic_enc(unsigned i)
{
	return vel2_reg_by_index(gic_page_regs[i])->enc;
}

/*
 * Each write recomputes the maintenance line: ICH_HCR_EL2 goes last and
 * En is clear until then, so that no mix of old and new registers raises
 * it for a moment (the PPI would stay pending); nothing is written when
 * the page holds what the nested vGIC has.
 */
void vel2_gic_from_page(struct vcpu_nested *n)
{
	bool same = true;
	u64 v;

	for (unsigned i = 0; i < ARRAY_SIZE(gic_page_regs) && same; i++) {
		v = 0;
		if (vgic_nested_sysreg(&n->gic, gic_enc(i), false, &v))
			same = v == vel2_get(&n->el2, gic_page_regs[i]);
	}
	if (same)
		return;
	v = 0;
	vgic_nested_sysreg(&n->gic, gic_enc(0), true, &v); /* ICH_HCR_EL2.En 0 */
	for (unsigned i = 1; i < ARRAY_SIZE(gic_page_regs); i++) {
		v = vel2_get(&n->el2, gic_page_regs[i]);
		vgic_nested_sysreg(&n->gic, gic_enc(i), true, &v);
	}
	v = vel2_get(&n->el2, gic_page_regs[0]);
	vgic_nested_sysreg(&n->gic, gic_enc(0), true, &v);
}

void vel2_gic_to_page(struct vcpu_nested *n)
{
	for (unsigned i = 0; i < ARRAY_SIZE(gic_page_regs); i++) {
		u64 v = 0;

		if (vgic_nested_sysreg(&n->gic, gic_enc(i), false, &v))
			vel2_set(&n->el2, gic_page_regs[i], v);
	}
}

/*
 * Under NV2 L1 clears the cause of its maintenance interrupt (ICH_HCR_EL2
 * UIE, NPIE, an LR's EOI) in its page without an exit, then EOIs INTID 25:
 * its list register asks for EOI maintenance (ICH_LR.EOI, HW 0) so that
 * the EOI exits and the line is resampled from the page
 * (vel2_nv2_sync) before a level still high pends it again, as a
 * level-sensitive interrupt is resampled at its EOI. An active one goes
 * without the pending state its line gave it at the flush: pending and
 * active, the EOI would leave it pending (ICH_LR<n>_EL2.State 0b11 to
 * 0b01), taken again before the exit that sees the line fall.
 */
static void maint_eoi_exit(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 maint = vcpu->nested->gic.maint_intid;

	for (unsigned i = 0; i < c->used_lrs; i++) {
		u64 *lr = &c->lr[i];

		if ((u32)(*lr & ICH_LR_VINTID_MASK) != maint || (*lr & ICH_LR_HW))
			continue;
		*lr |= ICH_LR_EOI;
		if (vgic_lr_state(*lr) == (ICH_LR_STATE_PENDING | ICH_LR_STATE_ACTIVE))
			*lr &= ~field_prep(ICH_LR_STATE_MASK, ICH_LR_STATE_PENDING);
	}
}

/*
 * Whether L2 runs on L1's virtual CPU interface (its list registers): when
 * L1 routes IRQs to EL2 (HCR_EL2.IMO 1, TGE 0), EL1's ICC_* registers are
 * the virtual ones (GIC spec, "Virtual CPU interface"). With IMO 0 they
 * are the "physical" interface L1 itself has, which is its vGIC's
 * (nestvisor's list registers for the vCPU): its EL1 takes L1's
 * interrupts directly, as a non-VHE Linux host does (IMO 0 while its
 * kernel runs at EL1 under its hypervisor).
 */
static bool l2_on_virtual_if(const struct vcpu_nested *n)
{
	return n->in_l2 && (vel2_get(&n->el2, VEL2_HCR_EL2) & (HCR_IMO | HCR_TGE)) == HCR_IMO;
}

/*
 * An interrupt of L1's preempts L2 when L1 routes IRQs to EL2 (its
 * HCR_EL2.IMO, TGE 0; Arm ARM D1.3.4, asynchronous exception routing):
 * at EL2, PSTATE.I of a lower EL does not mask them. The IRQ is taken to
 * vEL2 from the lower EL (offset 0x480). L1's vGIC gives it Group 1
 * interrupts only, IRQs: FMO (FIQs) routes none of them.
 */
static void l2_preempt(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;

	if ((vel2_get(&n->el2, VEL2_HCR_EL2) & (HCR_IMO | HCR_TGE)) != HCR_IMO || !vgic_pending(vcpu))
		return;
	n->forwarded++;
	vel2_take(vcpu, EXC_IRQ, 0, NULL);
}

enum exit_action vel2_handle_exit(struct vcpu *vcpu, u64 vector)
{
	struct vcpu_nested *n = vcpu->nested;
	enum nested_level l = n->in_l2 ? NESTED_L2 : NESTED_L1;
	u64 before[EXIT_REASONS];
	enum exit_action act;

	/* The handlers count by reason in vcpu->exit_reasons: per level here. */
	memcpy(before, vcpu->exit_reasons, sizeof(before));
	n->exits[l]++;
	if (l == NESTED_L1 && n->nv2)
		vel2_nv2_sync(vcpu);
	if (l == NESTED_L1) {
		act = l1_exit(vcpu, vector);
	} else {
		act = l2_exit(vcpu, vector);
	}
	for (unsigned r = 0; r < EXIT_REASONS; r++)
		n->reasons[l][r] += vcpu->exit_reasons[r] - before[r];
	return act;
}

bool vel2_handle_exit_fast(struct vcpu *vcpu, u64 vector)
{
	struct vcpu_nested *n = vcpu->nested;
	u64 esr = vcpu->regs.esr_el2;
	u32 enc = esr_sysreg_enc(esr);
	unsigned rt = (unsigned)field_get(ESR_SYS_RT, esr);

	if ((vector & 3) != TRAP_SYNC || n->in_l2 || esr_ec(esr) != EC_SYS64)
		return false;
	if (enc == SYSREG_ENC(3, 4, 13, 0, 2)) {
		/*
		 * TPIDR_EL2 (D19.2, a software thread ID with no effect on
		 * the CPU), trapped by NV under nv only: a VHE Linux reads it
		 * for every per-CPU variable. The register file's row.
		 */
		if (!(esr & ESR_SYS_READ))
			vel2_set(&n->el2, VEL2_TPIDR_EL2, rt == 31 ? 0 : vcpu->regs.x[rt]);
		else if (rt != 31)
			vcpu->regs.x[rt] = vel2_get(&n->el2, VEL2_TPIDR_EL2);
	} else if ((esr & ESR_SYS_READ) || (enc >> 7) != ((1u << 7) | 8u) ||
		   !vel2_tlbi_in_host(vcpu, enc, rt == 31 ? 0 : vcpu->regs.x[rt])) {
		/* Only the write forms of op0 1, op1 0, CRn 8, the EL1 TLBIs (C5.5). */
		return false;
	}
	vcpu->exits++;
	vcpu->exit_reasons[EXIT_R_SYSREG]++;
	n->exits[NESTED_L1]++;
	n->reasons[NESTED_L1][EXIT_R_SYSREG]++;
	vcpu->regs.pc += 4;
	return true;
}

void vel2_before_entry(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;

	if (n->in_l2)
		l2_preempt(vcpu);
	if (n->in_l2 && n->shadow)
		arch_vttbr_write(shadow_s2_load(vcpu->vm, n->shadow, this_cpu()->id));
	if (!l2_on_virtual_if(n)) {
		vgic_flush(vcpu);
		vtimer_flushed(vcpu);
		if (n->nv2 && !n->in_l2)
			maint_eoi_exit(vcpu);
		arch_vgic_load(vcpu);
		return;
	}
	if (n->nv2)
		vel2_gic_from_page(n);
	vgic_nested_flush(&n->gic);
	arch_vgic_nested_load(vcpu, &n->gic.hw);
}

void vel2_after_exit(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;

	if (!l2_on_virtual_if(n)) {
		arch_vgic_save(vcpu);
		vgic_sync(vcpu);
		return;
	}
	arch_vgic_nested_save(vcpu, &n->gic.hw);
	vgic_nested_sync(&n->gic);
	if (n->nv2)
		vel2_gic_to_page(n);
}

u64 vel2_next_deadline(const struct vcpu *vcpu, u64 now, bool loaded)
{
	const struct vcpu_nested *n = vcpu->nested;

	return vtimer_nested_next_deadline(vcpu, &n->timer, &n->el2, now, loaded);
}

bool vel2_wake_pending(struct vcpu *vcpu)
{
	struct vcpu_nested *n = vcpu->nested;

	return l2_on_virtual_if(n) && vgic_nested_l2_pending(&n->gic);
}
