/* The emulated GIC hypervisor interface of a guest hypervisor (GIC spec 12.4). */
#include <nv/bits.h>
#include <nv/vgic_nested.h>

static u64 lr_state(u64 lr)
{
	return field_get(ICH_LR_STATE_MASK, lr);
}

/* ICH_LR<n>_EL2 exist for n = 0..15 only: LRs past them are not looked at. */
static unsigned nr_lrs(unsigned n)
{
	return n < VICH_MAX_LRS ? n : VICH_MAX_LRS;
}

/* An EOI maintenance interrupt not yet handled (ICH_EISR_EL2.Status<n>). */
static bool lr_eoi_pending(u64 lr)
{
	return !lr_state(lr) && !(lr & ICH_LR_HW) && (lr & ICH_LR_EOI);
}

u32 vich_elrsr(const u64 *lr, unsigned n)
{
	u32 v = 0;

	/* Empty: State 0b00, and HW 1 or EOI 0 (no EOI to report is lost). */
	for (unsigned i = 0; i < nr_lrs(n); i++)
		if (!lr_state(lr[i]) && !lr_eoi_pending(lr[i]))
			v |= (u32)BIT(i);
	return v;
}

u32 vich_eisr(const u64 *lr, unsigned n)
{
	u32 v = 0;

	for (unsigned i = 0; i < nr_lrs(n); i++)
		if (lr_eoi_pending(lr[i]))
			v |= (u32)BIT(i);
	return v;
}

u32 vich_misr(u64 hcr, u64 vmcr, const u64 *lr, unsigned n)
{
	unsigned valid = 0;
	bool pending = false;
	u32 misr = 0;

	for (unsigned i = 0; i < nr_lrs(n); i++) {
		if (lr_state(lr[i]))
			valid++;
		/* Pending is State 0b01; pending and active (0b11) is not. */
		if (lr_state(lr[i]) == ICH_LR_STATE_PENDING)
			pending = true;
	}
	/* EOI: some LR reports an EOI (ICH_EISR_EL2 != 0). */
	if (vich_eisr(lr, n))
		misr |= VICH_MISR_EOI;
	/* U: underflow, UIE and at most one valid LR. */
	if ((hcr & ICH_HCR_UIE) && valid <= 1)
		misr |= VICH_MISR_U;
	/* LRENP: LRENPIE and EOIcount non-zero. */
	if ((hcr & ICH_HCR_LRENPIE) && field_get(ICH_HCR_EOICOUNT, hcr))
		misr |= VICH_MISR_LRENP;
	/* NP: NPIE and no LR in the pending state. */
	if ((hcr & ICH_HCR_NPIE) && !pending)
		misr |= VICH_MISR_NP;
	/* VGrp0E/D, VGrp1E/D: a group's enable in ICH_VMCR_EL2, if asked for. */
	if ((hcr & ICH_HCR_VGRP0EIE) && (vmcr & VICH_VMCR_VENG0))
		misr |= VICH_MISR_VGRP0E;
	if ((hcr & ICH_HCR_VGRP0DIE) && !(vmcr & VICH_VMCR_VENG0))
		misr |= VICH_MISR_VGRP0D;
	if ((hcr & ICH_HCR_VGRP1EIE) && (vmcr & VICH_VMCR_VENG1))
		misr |= VICH_MISR_VGRP1E;
	if ((hcr & ICH_HCR_VGRP1DIE) && !(vmcr & VICH_VMCR_VENG1))
		misr |= VICH_MISR_VGRP1D;
	return misr;
}

bool vich_maintenance(u64 hcr, u64 vmcr, const u64 *lr, unsigned n)
{
	return (hcr & ICH_HCR_EN) && vich_misr(hcr, vmcr, lr, n) != 0;
}

u64 vich_lr_to_hw(u64 l1_lr)
{
	u64 lr;

	if (!(l1_lr & ICH_LR_HW))
		return l1_lr;
	/* Software LR (pINTID field becomes EOI [41] and RES0). */
	lr = l1_lr & ~(ICH_LR_HW | ICH_LR_PINTID_MASK);
	/*
	 * EOI reported, if it holds an interrupt: with State 0b00, EOI 1 would
	 * be an unhandled EOI in the hardware ICH_EISR_EL2 and a maintenance
	 * interrupt that L1's own (HW) LR does not have.
	 */
	if (lr_state(lr))
		lr |= ICH_LR_EOI;
	return lr;
}

bool vich_lr_from_hw(u64 hw_lr, u64 *l1_lr, u32 *pintid)
{
	u64 old = *l1_lr;
	bool was_live = lr_state(old) != 0;

	*l1_lr = (old & ~ICH_LR_STATE_MASK) | (hw_lr & ICH_LR_STATE_MASK);
	/* L2 deactivated a HW interrupt of L1: L1's pINTID must be deactivated. */
	if ((old & ICH_LR_HW) && was_live && !lr_state(hw_lr)) {
		*pintid = (u32)field_get(ICH_LR_PINTID_MASK, old);
		return true;
	}
	return false;
}
