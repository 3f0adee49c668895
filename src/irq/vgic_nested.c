/* The emulated GIC hypervisor interface of a guest hypervisor (GIC spec 12.4). */
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/vcpu.h>
#include <nv/vgic_nested.h>

/* ICH_LR<n>_EL2 exist for n = 0..15 only: LRs past them are not looked at. */
static unsigned nr_lrs(unsigned n)
{
	return n < VICH_MAX_LRS ? n : VICH_MAX_LRS;
}

/* An EOI maintenance interrupt not yet handled (ICH_EISR_EL2.Status<n>). */
static bool lr_eoi_pending(u64 lr)
{
	return !vgic_lr_state(lr) && !(lr & ICH_LR_HW) && (lr & ICH_LR_EOI);
}

u32 vich_elrsr(const u64 *lr, unsigned n)
{
	u32 v = 0;

	/* Empty: State 0b00, and HW 1 or EOI 0 (no EOI to report is lost). */
	for (unsigned i = 0; i < nr_lrs(n); i++)
		if (!vgic_lr_state(lr[i]) && !lr_eoi_pending(lr[i]))
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
		if (vgic_lr_state(lr[i]))
			valid++;
		/* Pending is State 0b01; pending and active (0b11) is not. */
		if (vgic_lr_state(lr[i]) == ICH_LR_STATE_PENDING)
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
	if (vgic_lr_state(lr))
		lr |= ICH_LR_EOI;
	return lr;
}

bool vich_lr_from_hw(u64 hw_lr, u64 *l1_lr, u32 *pintid)
{
	u64 old = *l1_lr;
	bool was_live = vgic_lr_state(old) != 0;

	*l1_lr = (old & ~ICH_LR_STATE_MASK) | (hw_lr & ICH_LR_STATE_MASK);
	/* L2 deactivated a HW interrupt of L1: L1's pINTID must be deactivated. */
	if ((old & ICH_LR_HW) && was_live && !vgic_lr_state(hw_lr)) {
		*pintid = (u32)field_get(ICH_LR_PINTID_MASK, old);
		return true;
	}
	return false;
}

/* ---- L1's ICH_*_EL2 registers (GIC spec 12.4) ------------------------------ */

u64 vgic_ich_vtr = VICH_VTR_DEFAULT;

/* ICH_VTR_EL2.PRIbits + 1: virtual priority bits L1 is offered. */
static unsigned pri_bits(const struct vgic_nested *n)
{
	return (unsigned)field_get(ICH_VTR_PRIBITS, n->vtr) + 1;
}

/*
 * ICH_VTR_EL2.PREbits + 1: virtual preemption bits L1 is offered, at most
 * 7 (a binary point of 0 leaves 7 group priority bits: ICV_BPR0_EL1).
 */
static unsigned pre_bits(const struct vgic_nested *n)
{
	return (unsigned)MIN(field_get(VICH_VTR_PREBITS, n->vtr) + 1, 7);
}

/*
 * The implemented bits of an 8-bit virtual priority: the top PRIbits + 1
 * (ICH_LR<n>_EL2.Priority and ICH_VMCR_EL2.VPMR: the unimplemented
 * low-order bits are RAZ/WI).
 */
static u64 prio_mask(const struct vgic_nested *n)
{
	return (UINT64_C(0xff) << (8 - pri_bits(n))) & 0xff;
}

/*
 * ICH_HCR_EL2 as written (GIC spec 12.4.2): En, UIE, LRENPIE, NPIE, the
 * four VGrp*IE, TC, TALL0, TALL1 and EOIcount always; TDIR only when
 * ICH_VTR_EL2.TDS says it exists; TSEI is RES0 with SEIS 0, vSGIEOICount
 * and DVIM with nV4 1 (no direct injection), which is what L1 is shown.
 */
static u64 hcr_write_mask(const struct vgic_nested *n)
{
	u64 m = ICH_HCR_EN | ICH_HCR_UIE | ICH_HCR_LRENPIE | ICH_HCR_NPIE |
		ICH_HCR_VGRP0EIE | ICH_HCR_VGRP0DIE | ICH_HCR_VGRP1EIE |
		ICH_HCR_VGRP1DIE | VICH_HCR_TC | VICH_HCR_TALL0 |
		VICH_HCR_TALL1 | ICH_HCR_EOICOUNT;

	if (n->vtr & VICH_VTR_TDS)
		m |= VICH_HCR_TDIR;
	return m;
}

/*
 * ICH_VMCR_EL2 as written (GIC spec 12.4.10): VENG0, VENG1, VCBPR, VEOIM,
 * VBPR0, VBPR1 and the implemented bits of VPMR; VAckCtl is RES0 and
 * VFIQEn RES1 (system register interface only). A binary point below
 * its minimum is set to the minimum: VBPR0 7 - PREbits, VBPR1 one more
 * (ICV_BPR0_EL1, ICV_BPR1_EL1).
 */
static u64 vmcr_sanitise(const struct vgic_nested *n, u64 v)
{
	u64 min0 = 7 - pre_bits(n), min1 = min0 + 1;
	u64 out = v & (VICH_VMCR_VENG0 | VICH_VMCR_VENG1 | VICH_VMCR_VCBPR |
		       VICH_VMCR_VEOIM);

	out |= VICH_VMCR_VFIQEN;
	out |= field_prep(VICH_VMCR_VPMR, field_get(VICH_VMCR_VPMR, v) & prio_mask(n));
	out |= field_prep(VICH_VMCR_VBPR0, MAX(field_get(VICH_VMCR_VBPR0, v), min0));
	out |= field_prep(VICH_VMCR_VBPR1, MAX(field_get(VICH_VMCR_VBPR1, v), min1));
	return out;
}

/*
 * The implemented bits of vINTID (ICH_LR<n>_EL2.vINTID: the number is
 * ICH_VTR_EL2.IDbits', 0b000 16 bits, 0b001 24; the others are reserved
 * and taken as 16). The unimplemented ones are RES0.
 */
static u64 vintid_mask(const struct vgic_nested *n)
{
	return field_get(VICH_VTR_IDBITS, n->vtr) == 1 ? GENMASK(23, 0) : GENMASK(15, 0);
}

/*
 * ICH_LR<n>_EL2 as written (GIC spec 12.4.6): the implemented bits of
 * vINTID and of Priority, Group, HW, State; with HW 1 pINTID [44:32],
 * with HW 0 only EOI [41] of that range. NMI [59] is RES0:
 * FEAT_GICv3_NMI is not offered, and the hardware under L2 may have it.
 * [58:56] and [47:45] are RES0.
 */
static u64 lr_sanitise(const struct vgic_nested *n, u64 v)
{
	u64 out = v & (vintid_mask(n) | ICH_LR_GROUP | ICH_LR_HW |
		       ICH_LR_STATE_MASK);

	out |= field_prep(ICH_LR_PRIORITY_MASK,
			  field_get(ICH_LR_PRIORITY_MASK, v) & prio_mask(n));
	out |= v & ((v & ICH_LR_HW) ? ICH_LR_PINTID_MASK : ICH_LR_EOI);
	return out;
}

void vgic_nested_init(struct vgic_nested *n, struct vcpu *vcpu)
{
	unsigned lrs = nr_lrs(vgic_nr_lrs);

	*n = (struct vgic_nested){ .vcpu = vcpu, .maint_intid = VICH_MAINT_INTID };
	if (!lrs)
		lrs = 1;
	n->nr_lrs = lrs;
	/*
	 * ICH_VTR_EL2 (GIC spec 12.4.9): ListRegs = the hardware's LRs, all
	 * of which L2 gets while it runs; PRIbits, PREbits, IDbits, A3V and
	 * TDS as the hardware has them (L2 runs on its virtual interface);
	 * SEIS 0 and nV4 1: no SEIs and no direct injection are offered.
	 */
	n->vtr = field_prep(ICH_VTR_LISTREGS, lrs - 1) | VICH_VTR_NV4 |
		 (vgic_ich_vtr & (ICH_VTR_PRIBITS | VICH_VTR_PREBITS |
				  VICH_VTR_IDBITS | VICH_VTR_A3V | VICH_VTR_TDS));
	/*
	 * ICH_AP0R<n>/AP1R<n>_EL2: as many as the PRIbits L1 is shown
	 * implement (ICH_AP1R<n>_EL2: n = 0 for 5 bits, 0-1 for 6, 0-3 for
	 * 7), which are the hardware's own (vgic_nr_aprs).
	 */
	n->nr_aprs = vgic_aprs_for_pribits(pri_bits(n));
	n->vmcr = vmcr_sanitise(n, 0);
}

/* The block op0 3, op1 4, CRn 12, CRm 8..13 (ICH_*_EL2), less ICC_SRE_EL2. */
bool vgic_nested_owns(u32 enc)
{
	u32 crm = (enc >> 3) & 0xf;

	if ((enc & ~(u32)0x7f) != SYSREG_ENC(3, 4, 12, 0, 0))
		return false;
	return crm >= 8 && crm <= 13 && enc != SYSREG_ENC(3, 4, 12, 9, 5);
}

void vgic_nested_update(struct vgic_nested *n)
{
	bool level = vich_maintenance(n->hcr, n->vmcr, n->lr, n->nr_lrs);

	/* Maintenance interrupts (GIC spec 4.8): a level-sensitive PPI. */
	if (level == n->maint_level)
		return;
	n->maint_level = level;
	vgic_set_level(n->vcpu->vm, n->vcpu, n->maint_intid, level);
}

/* An ICH_AP0R<n>/AP1R<n>_EL2 slot, NULL if n is not implemented (n->nr_aprs <= VGIC_MAX_APRS). */
static u64 *apr_slot(struct vgic_nested *n, unsigned group, unsigned idx)
{
	if (idx >= n->nr_aprs)
		return NULL;
	return group ? &n->ap1r[idx] : &n->ap0r[idx];
}

bool vgic_nested_sysreg(struct vgic_nested *n, u32 enc, bool write, u64 *val)
{
	u32 crm = (enc >> 3) & 0xf, op2 = enc & 7;
	u64 *slot = NULL;

	if (!vgic_nested_owns(enc))
		return false;
	switch (crm) {
	case 8: /* ICH_AP0R<n>_EL2 */
	case 9: /* ICH_AP1R<n>_EL2 */
		slot = apr_slot(n, crm - 8, op2);
		if (!slot)
			return false;
		if (write)
			*slot = *val & GENMASK(31, 0);
		break;
	case 12: /* ICH_LR<n>_EL2, n = (CRm - 12) * 8 + op2 */
	case 13:
		if ((crm - 12) * 8 + op2 >= n->nr_lrs)
			return false;
		slot = &n->lr[(crm - 12) * 8 + op2];
		if (write)
			*slot = lr_sanitise(n, *val);
		break;
	case 11:
		switch (op2) {
		case 0: /* ICH_HCR_EL2 */
			slot = &n->hcr;
			if (write)
				n->hcr = *val & hcr_write_mask(n);
			break;
		case 7: /* ICH_VMCR_EL2 */
			slot = &n->vmcr;
			if (write)
				n->vmcr = vmcr_sanitise(n, *val);
			break;
		case 1: /* ICH_VTR_EL2 */
		case 2: /* ICH_MISR_EL2 */
		case 3: /* ICH_EISR_EL2 */
		case 5: /* ICH_ELRSR_EL2 */
			if (write)
				return false;
			if (op2 == 1)
				*val = n->vtr;
			else if (op2 == 2)
				*val = vich_misr(n->hcr, n->vmcr, n->lr, n->nr_lrs);
			else if (op2 == 3)
				*val = vich_eisr(n->lr, n->nr_lrs);
			else
				*val = vich_elrsr(n->lr, n->nr_lrs);
			return true;
		default:
			return false;
		}
		break;
	default: /* CRm 10: nothing there */
		return false;
	}
	if (!write) {
		*val = *slot;
		return true;
	}
	vgic_nested_update(n);
	return true;
}

/*
 * Which of L1's ICH_HCR_EL2 trap bits covers an ICC_*_EL1 register of
 * L2 (GIC spec 12.4.2): TC the common ones (CTLR, PMR, RPR, DIR, the SGI
 * generation registers), TALL0 Group 0's (IAR0, EOIR0, HPPIR0, BPR0,
 * AP0R<n>, IGRPEN0), TALL1 Group 1's (IAR1, EOIR1, HPPIR1, BPR1, AP1R<n>,
 * IGRPEN1), TDIR the DIR alone. 0 for the others.
 */
static u64 icc_trap_bits(u32 enc)
{
	u32 crm = (enc >> 3) & 0xf, op2 = enc & 7;

	if (enc == SYSREG_ENC(3, 0, 4, 6, 0)) /* ICC_PMR_EL1 */
		return VICH_HCR_TC;
	if ((enc & ~(u32)0x7f) != SYSREG_ENC(3, 0, 12, 0, 0))
		return 0;
	switch (crm) {
	case 8: /* IAR0, EOIR0, HPPIR0, BPR0, AP0R0..3 */
		return VICH_HCR_TALL0;
	case 9: /* AP1R0..3 */
		return op2 < 4 ? VICH_HCR_TALL1 : 0;
	case 11:
		if (op2 == 1) /* DIR */
			return VICH_HCR_TC | VICH_HCR_TDIR;
		/* RPR, SGI1R, ASGI1R, SGI0R */
		return (op2 == 3 || op2 >= 5) ? VICH_HCR_TC : 0;
	case 12:
		if (op2 <= 3) /* IAR1, EOIR1, HPPIR1, BPR1 */
			return VICH_HCR_TALL1;
		if (op2 == 4) /* CTLR */
			return VICH_HCR_TC;
		if (op2 == 6) /* IGRPEN0 */
			return VICH_HCR_TALL0;
		return op2 == 7 ? VICH_HCR_TALL1 : 0; /* IGRPEN1; SRE: none */
	default:
		return 0;
	}
}

bool vgic_nested_icc_trapped(const struct vgic_nested *n, u32 enc)
{
	return (n->hcr & icc_trap_bits(enc)) != 0;
}
