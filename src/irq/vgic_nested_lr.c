/*
 * L1's list registers on the hardware while L2 runs (GIC spec IHI 0069,
 * ICH_LR<n>_EL2, "Maintenance interrupts"), and back.
 *
 * - vgic_nested_flush (before each entry into L2): every valid LR of L1
 *   goes to the hardware, in L1's order, packed (an invalid one never
 *   does: it holds nothing for L2, and an EOI it still reports stays in
 *   L1's copy, where ICH_EISR_EL2 and ICH_MISR_EL2 are computed). A HW
 *   LR of L1 names an interrupt of L1's vGIC by its pINTID: if that one
 *   is itself backed by a physical interrupt (L1's virtual timer PPI,
 *   which L0 forwards), HW stays 1 with L0's physical INTID, and L2's
 *   deactivation deactivates the physical interrupt as it would under
 *   L1 alone; otherwise the LR becomes a software one with EOI 1, whose
 *   EOI maintenance interrupt brings L0 in to deactivate L1's interrupt.
 *   ICH_HCR_EL2, ICH_VMCR_EL2 and the active priorities are L1's.
 * - vgic_nested_sync (after each exit from L2): the LR states back into
 *   L1's LRs (State only: the rest is L1's), EOIcount into L1's
 *   ICH_HCR_EL2, VMCR and active priorities into L1's, and a HW LR of
 *   L1 that went from valid to invalid deactivates L1's interrupt
 *   pINTID, as the hardware would have (ICH_LR<n>_EL2.HW).
 */
#include <nv/bits.h>
#include <nv/spinlock.h>
#include <nv/vcpu.h>
#include <nv/vgic_nested.h>
#include <nv/vm.h>

/*
 * The interrupt of L1's vGIC a HW LR's pINTID names, or NULL: a PPI or
 * SPI that exists (pINTID 0..15 would be an SGI, which no physical
 * interrupt can back: ICH_LR<n>_EL2.pINTID).
 */
static struct virq *l1_virq(const struct vgic_nested *n, u32 pintid)
{
	if (pintid < 16)
		return NULL;
	return vgic_get_virq(n->vcpu->vm, n->vcpu, pintid);
}

/*
 * Can L1 take its maintenance interrupt: the PPI enabled, its group
 * enabled in GICD_CTLR. If not, the hardware is not asked for the
 * maintenance conditions of ICH_HCR_EL2 (UIE, LRENPIE, NPIE, VGrp*IE):
 * they would hold at once and bring L0 back after every instruction of
 * L2 for an interrupt nobody takes. L1's ICH_MISR_EL2 is still computed
 * at every exit. A read without the lock: at worst one late or one
 * extra exit.
 */
static bool maint_deliverable(const struct vgic_nested *n)
{
	const struct virq *v = l1_virq(n, n->maint_intid);
	u32 ctlr = __atomic_load_n(&n->vcpu->vm->vgic.ctlr, __ATOMIC_RELAXED);

	if (!v || !__atomic_load_n(&v->enabled, __ATOMIC_RELAXED))
		return false;
	return (ctlr & (v->group1 ? GICD_CTLR_ENABLE_G1 : GICD_CTLR_ENABLE_G0)) != 0;
}

#define HCR_MAINT_IE (ICH_HCR_UIE | ICH_HCR_LRENPIE | ICH_HCR_NPIE |          \
		      ICH_HCR_VGRP0EIE | ICH_HCR_VGRP0DIE | ICH_HCR_VGRP1EIE | \
		      ICH_HCR_VGRP1DIE)

/*
 * One valid LR of L1 as the hardware gets it (ICH_LR<n>_EL2.HW): *kind
 * says which translation was made.
 */
static u64 lr_for_hw(const struct vgic_nested *n, u64 lr, u8 *kind)
{
	const struct virq *v;

	if (!(lr & ICH_LR_HW)) {
		*kind = VICH_KIND_SW;
		return lr;
	}
	v = l1_virq(n, (u32)field_get(ICH_LR_PINTID_MASK, lr));
	if (v && v->hw) {
		*kind = VICH_KIND_HW;
		return (lr & ~ICH_LR_PINTID_MASK) |
		       field_prep(ICH_LR_PINTID_MASK, v->hw_intid);
	}
	if (v) {
		*kind = VICH_KIND_HW_EOI;
		return vich_lr_to_hw(lr);
	}
	/* Nothing of L1's to deactivate: a plain software LR. */
	*kind = VICH_KIND_HW_NONE;
	return lr & ~(ICH_LR_HW | ICH_LR_PINTID_MASK);
}

void vgic_nested_flush(struct vgic_nested *n)
{
	struct vich_hw *hw = &n->hw;
	unsigned used = 0;

	for (unsigned i = 0; i < n->nr_lrs && i < VGIC_MAX_LRS; i++) {
		u8 kind;

		if (!vgic_lr_state(n->lr[i]))
			continue;
		hw->lr[used] = lr_for_hw(n, n->lr[i], &kind);
		n->hw_from[used] = (u8)i;
		n->hw_kind[used] = kind;
		used++;
	}
	hw->used_lrs = used;
	/*
	 * ICH_HCR_EL2 (GIC spec 12.4.2): L1's enable, traps and EOIcount
	 * (the hardware counts on from it); its maintenance conditions only
	 * if L1 can take the interrupt they raise. nestvisor's own need, the
	 * EOI maintenance of translated LRs, is in the LRs (EOI 1).
	 */
	hw->hcr = (u32)n->hcr;
	if (!maint_deliverable(n))
		hw->hcr &= ~(u32)HCR_MAINT_IE;
	hw->hcr_exit = 0;
	hw->vmcr = (u32)n->vmcr;
	for (unsigned i = 0; i < VGIC_MAX_APRS; i++) {
		hw->ap0r[i] = (u32)n->ap0r[i];
		hw->ap1r[i] = (u32)n->ap1r[i];
	}
}

/*
 * L2 deactivated L1's interrupt v through a HW LR of L1 (ICH_LR<n>_EL2.HW
 * = 1: deactivating the virtual interrupt deactivates pINTID). With a HW
 * LR kept on the hardware the physical interrupt behind v was
 * deactivated too (phys).
 */
static void deactivate_l1(struct vgic_nested *n, u32 intid, bool phys)
{
	struct vcpu *vcpu = n->vcpu, *l;
	struct vm *vm = vcpu->vm;
	struct virq *v = l1_virq(n, intid);
	bool spi = intid >= VGIC_NR_PRIVATE, wake;

	if (!v)
		return;
	if (spi)
		spin_lock(&vm->vgic.lock);
	l = vgic_lock_virq(vm, vcpu, v);
	v->active = false;
	if (phys && v->hw)
		v->hw_active = false;
	wake = vgic_changed(vm, l, v);
	vgic_unlock_virq(l);
	if (spi)
		spin_unlock(&vm->vgic.lock);
	if (wake && l != vcpu)
		vcpu_kick(l);
}

void vgic_nested_sync(struct vgic_nested *n)
{
	const struct vich_hw *hw = &n->hw;

	for (unsigned i = 0; i < hw->used_lrs && i < VGIC_MAX_LRS; i++) {
		u64 *l1 = &n->lr[n->hw_from[i]];
		u32 pintid;

		if (vich_lr_from_hw(hw->lr[i], l1, &pintid) &&
		    n->hw_kind[i] != VICH_KIND_HW_NONE)
			deactivate_l1(n, pintid, n->hw_kind[i] == VICH_KIND_HW);
	}
	/*
	 * ICH_HCR_EL2.EOIcount: L2's EOIs that found no LR, counted on from
	 * L1's value by the hardware.
	 */
	n->hcr = (n->hcr & ~ICH_HCR_EOICOUNT) | (hw->hcr_exit & ICH_HCR_EOICOUNT);
	/* ICH_VMCR_EL2 and the active priorities as L2 left them. */
	n->vmcr = hw->vmcr;
	for (unsigned i = 0; i < VGIC_MAX_APRS; i++) {
		n->ap0r[i] = i < n->nr_aprs ? hw->ap0r[i] : 0;
		n->ap1r[i] = i < n->nr_aprs ? hw->ap1r[i] : 0;
	}
	vgic_nested_update(n);
}

/*
 * The virtual CPU interface signals an LR's interrupt (GIC spec 4.4,
 * "The virtual CPU interface"; ICH_VMCR_EL2): the interface enabled
 * (ICH_HCR_EL2.En), the LR pending, its group enabled (VENG0, VENG1),
 * its priority higher (numerically lower) than VPMR.
 */
bool vgic_nested_l2_pending(const struct vgic_nested *n)
{
	u64 vpmr = field_get(VICH_VMCR_VPMR, n->vmcr);

	if (!(n->hcr & ICH_HCR_EN))
		return false;
	for (unsigned i = 0; i < n->nr_lrs && i < VICH_MAX_LRS; i++) {
		u64 lr = n->lr[i];
		u64 eng = (lr & ICH_LR_GROUP) ? VICH_VMCR_VENG1 : VICH_VMCR_VENG0;

		if (vgic_lr_state(lr) == ICH_LR_STATE_PENDING && (n->vmcr & eng) &&
		    field_get(ICH_LR_PRIORITY_MASK, lr) < vpmr)
			return true;
	}
	return false;
}
