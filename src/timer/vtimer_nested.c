/*
 * The timers of a vCPU with a virtual EL2 as one set
 * (include/nv/vtimer_nested.h): their registers as L1 and L2 access them,
 * the EL2 controls each context runs with, their interrupt lines and their
 * deadlines.
 */
#include <nv/arch.h>
#include <nv/arm_regs.h>
#include <nv/esr.h>
#include <nv/trap_forward.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vtimer.h>
#include <nv/vtimer_nested.h>

#define ENC SYSREG_ENC
#define NEVER (~UINT64_C(0))

/* Counter and EL1 timer encodings (Arm ARM D19.12, the generic timer registers). */
#define ENC_CNTPCT_EL0 ENC(3, 3, 14, 0, 1)
#define ENC_CNTPCTSS_EL0 ENC(3, 3, 14, 0, 5) /* FEAT_ECV */
#define ENC_CNTP_TVAL_EL0 ENC(3, 3, 14, 2, 0)
#define ENC_CNTP_CTL_EL0 ENC(3, 3, 14, 2, 1)
#define ENC_CNTP_CVAL_EL0 ENC(3, 3, 14, 2, 2)

static u32 intids[VTN_NR];

static const char *const names[VTN_NR] = {
	[VTN_EL1_VIRT] = "CNTV",
	[VTN_EL1_PHYS] = "CNTP",
	[VTN_EL2_PHYS] = "CNTHP",
	[VTN_EL2_VIRT] = "CNTHV",
};

/* Where an EL2 timer's CTL and CVAL sit in L1's register file. */
static const enum vel2_reg el2_ctl[VTN_NR] = {
	[VTN_EL2_PHYS] = VEL2_CNTHP_CTL_EL2,
	[VTN_EL2_VIRT] = VEL2_CNTHV_CTL_EL2,
};
static const enum vel2_reg el2_cval[VTN_NR] = {
	[VTN_EL2_PHYS] = VEL2_CNTHP_CVAL_EL2,
	[VTN_EL2_VIRT] = VEL2_CNTHV_CVAL_EL2,
};

void vtimer_nested_init(u32 virt_intid, u32 phys_intid, u32 hyp_phys_intid,
			u32 hyp_virt_intid)
{
	intids[VTN_EL1_VIRT] = virt_intid;
	intids[VTN_EL1_PHYS] = phys_intid;
	intids[VTN_EL2_PHYS] = hyp_phys_intid;
	intids[VTN_EL2_VIRT] = hyp_virt_intid;
}

void vtimer_nested_init_vcpu(struct vtimer_nested *vt, u64 poff, bool ecv,
			     bool vhe)
{
	vt->poff = poff;
	vt->ecv = ecv;
	vt->vhe = vhe;
	vt->ctx = VTN_L1;
}

/*
 * The physical count L1 sees (CNTPCT_EL0): the hardware's less the VM's
 * offset, modulo 2^64 (D12.1, the system counter and its views).
 */
u64 vtimer_nested_count(const struct vtimer_nested *vt, u64 hw_count)
{
	return hw_count - vt->poff;
}

/*
 * D12.1 (virtual count = physical count - CNTVOFF_EL2), applied twice: L2's
 * virtual count is L1's physical count less L1's CNTVOFF_EL2, and L1's
 * physical count is the hardware's less poff. Modulo 2^64, like the
 * architecture's own subtraction: a sum that wraps is still the right
 * offset.
 */
u64 vtimer_nested_cntvoff(const struct vtimer_nested *vt, const struct vel2_file *el2)
{
	return vt->poff + vel2_get(el2, VEL2_CNTVOFF_EL2);
}

/*
 * The set (see the header's table). FEAT_VHE adds the EL2 virtual timer
 * (CNTHV_CTL_EL2 and friends exist only with it); with HCR_EL2.E2H = 1 its
 * count would have no virtual offset (CNTVOFF_EL2's description: the
 * offset is ignored at EL2 in a host), which is poff here too.
 */
bool vtimer_nested_timer(const struct vtimer_nested *vt, const struct vel2_file *el2,
			 enum vtn_timer id, struct vtn_timer_info *out)
{
	if ((unsigned)id >= VTN_NR || (id == VTN_EL2_VIRT && !vt->vhe))
		return false;
	out->name = names[id];
	out->intid = intids[id];
	out->owner = id == VTN_EL1_VIRT || id == VTN_EL1_PHYS ? VTN_L2 : VTN_L1;
	out->on_hw = id == VTN_EL1_VIRT;
	out->offset = id == VTN_EL1_VIRT ? vtimer_nested_cntvoff(vt, el2) : vt->poff;
	return true;
}

/*
 * CNTHCTL_EL2 (E2H = 0) as nestvisor sets it for any guest: EL1PCEN 0, the
 * EL1 physical timer trapped and emulated; EL1PCTEN 1, the physical
 * counter read directly, unless the VM's count is offset from it.
 */
u64 vtimer_nested_own_cnthctl(const struct vtimer_nested *vt)
{
	return vt->poff ? 0 : CNTHCTL_EL1PCTEN;
}

/*
 * The EL2 controls for a context (CNTHCTL_EL2 and CNTVOFF_EL2 field
 * descriptions, E2H = 0):
 *  - CNTVOFF_EL2 is poff + L1's in both contexts: L2's EL1 virtual count
 *    uses L1's CNTVOFF_EL2, and so does L1's own CNTVCT_EL0 at vEL2 (at EL2
 *    with E2H = 0 the virtual count is offset too).
 *  - CNTHCTL_EL2 while L1 runs: nestvisor's own traps. L1's CNTHCTL_EL2
 *    controls EL1 and EL0 only, so none of its traps apply to itself.
 *  - While L2 runs, L1's traps are added, never nestvisor's removed: the
 *    trap-when-0 bits (EL1PCTEN, EL1PCEN) are ANDed, the FEAT_ECV
 *    trap-when-1 bits (EL1TVT, EL1TVCT) ORed in if ECV is shown to L1
 *    (otherwise they are RES0 for L1 and have no effect).
 *  - L1's event stream (EVNTEN, EVNTDIR, EVNTI; EVNTIS with ECV) in both
 *    contexts: the PE generates it at whatever EL runs, and nestvisor has
 *    none of its own.
 * The bits nestvisor does not offer are never loaded: ECV (CNTPOFF_EL2,
 * FEAT_ECV level 2), EL1NVPCT/EL1NVVCT (need FEAT_NV shown to L1), and the
 * bits above 17.
 */
struct vtn_hw vtimer_nested_hw(const struct vtimer_nested *vt, const struct vel2_file *el2)
{
	u64 l1 = vel2_cnthctl_e2h0(vel2_get(el2, VEL2_CNTHCTL_EL2), vt->e2h);
	u64 own = vtimer_nested_own_cnthctl(vt);
	u64 evnt = l1 & (CNTHCTL_EVNTEN | CNTHCTL_EVNTDIR | CNTHCTL_EVNTI |
			 (vt->ecv ? CNTHCTL_EVNTIS : 0));
	struct vtn_hw hw = { .cntvoff = vtimer_nested_cntvoff(vt, el2) };

	if (vt->ctx == VTN_L1) {
		hw.cnthctl = own | evnt;
		/*
		 * L1 with E2H 1: its CNTV_* at vEL2 (and at its EL0 with TGE
		 * 1) are the EL2 virtual timer, its CNTVCT_EL0 the count
		 * without CNTVOFF_EL2 (Arm ARM D12, the virtual count at EL2
		 * with E2H 1), while the hardware's EL1 virtual timer stays
		 * L2's at L2's offset: both trap (FEAT_ECV, which offering
		 * VHE needs) and are emulated. So do the _EL02 timer registers,
		 * which NV2 would make loads and stores of the VNCR page
		 * (EL1NVPCT, EL1NVVCT): L2's virtual timer is the hardware's,
		 * its physical one vcpu->ptimer.
		 */
		if (vt->e2h)
			hw.cnthctl |= CNTHCTL_EL1TVT | CNTHCTL_EL1TVCT | CNTHCTL_EL1NVPCT |
				      CNTHCTL_EL1NVVCT;
	} else {
		hw.cnthctl = (own & l1 & (CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN)) | evnt;
		if (vt->ecv)
			hw.cnthctl |= l1 & (CNTHCTL_EL1TVT | CNTHCTL_EL1TVCT);
	}
	return hw;
}

/*
 * ERET from vEL2 to L2, and an exception from L2 taken to vEL2. With
 * E2H = 0 both contexts' CNTV_* are the one EL1 virtual timer, so the
 * hardware's CNTV_CTL_EL0/CNTV_CVAL_EL0 carry over unchanged.
 */
struct vtn_hw vtimer_nested_switch_to_l2(struct vtimer_nested *vt, const struct vel2_file *el2)
{
	vt->ctx = VTN_L2;
	return vtimer_nested_hw(vt, el2);
}

struct vtn_hw vtimer_nested_switch_to_l1(struct vtimer_nested *vt, const struct vel2_file *el2)
{
	vt->ctx = VTN_L1;
	return vtimer_nested_hw(vt, el2);
}

/*
 * CNTHCTL_EL2's traps of EL1 and EL0 accesses (EL1PCTEN, EL1PCEN, EL1TVT,
 * EL1TVCT) as cpu/trap_forward.c's rows have them, for an MRS (read) or
 * MSR of the generic timer's space (op0 3, op1 3, CRn 14) only.
 */
bool vtimer_nested_l2_trap(const struct vel2_file *el2, u32 enc, bool read)
{
	struct vel2_traps t = { .cnthctl = vel2_get(el2, VEL2_CNTHCTL_EL2) };
	u64 esr;

	if ((enc & ~(u32)(GENMASK(6, 0))) != ENC(3, 3, 14, 0, 0))
		return false;
	esr = field_prep(ESR_EC_MASK, EC_SYS64) |
	      field_prep(ESR_SYS_OP0, 3) | field_prep(ESR_SYS_OP1, 3) |
	      field_prep(ESR_SYS_CRN, 14) |
	      field_prep(ESR_SYS_CRM, (enc >> 3) & 0xf) |
	      field_prep(ESR_SYS_OP2, enc & 7) | (read ? ESR_SYS_READ : 0);
	return trap_forward(&t, esr) == FWD_L1;
}

/* An EL2 timer's registers as an emu_timer (copied, to be stored back). */
static struct emu_timer el2_timer(const struct vel2_file *el2, enum vtn_timer id)
{
	struct emu_timer t = { vel2_get(el2, el2_ctl[id]), vel2_get(el2, el2_cval[id]) };

	return t;
}

/* A timer's PPI (none before vtimer_nested_init: INTID 0). */
static void set_level(struct vcpu *vcpu, u32 intid, bool level)
{
	if (intid)
		vtimer_set_line(vcpu, intid, level);
}

/*
 * CNTHP_CTL/CVAL/TVAL_EL2 and CNTHV_* (D12.8, the TimerValue and
 * CompareValue views): CTL keeps ENABLE and IMASK, ISTATUS is the
 * condition; TVAL reads (CVAL - count)<31:0>, a write sets CVAL = count +
 * SignExtend(TVAL<31:0>). A write updates the PPI's level at once.
 */
static void el2_timer_access(struct vcpu *vcpu, const struct vtimer_nested *vt,
			     struct vel2_file *el2, enum vtn_timer id, unsigned reg,
			     bool write, u64 *val)
{
	u64 count = vtimer_nested_count(vt, arch_counter());
	struct emu_timer t = el2_timer(el2, id);

	if (!write) {
		*val = emu_timer_read(&t, reg, count);
		return;
	}
	emu_timer_write(&t, reg, *val, count);
	vel2_set(el2, el2_ctl[id], t.ctl);
	vel2_set(el2, el2_cval[id], t.cval);
	set_level(vcpu, intids[id], emu_timer_level(&t, count));
}

/* CNTP_*_EL0: the EL1 physical timer, as for a plain VM at L1's count. */
static void el1_ptimer_access(struct vcpu *vcpu, const struct vtimer_nested *vt,
			      unsigned reg, bool write, u64 *val)
{
	u64 count = vtimer_nested_count(vt, arch_counter());

	if (!write) {
		*val = emu_timer_read(&vcpu->ptimer, reg, count);
		return;
	}
	emu_timer_write(&vcpu->ptimer, reg, *val, count);
	vtimer_sync_ptimer(vcpu, count);
}

/*
 * L1 with E2H 1, while it runs (at vEL2, or at its EL0 with TGE 1: the
 * EL2&0 regime): CNTP_*_EL0 are the EL2 physical timer and CNTV_*_EL0 the
 * EL2 virtual timer (Arm ARM D12.9, the timer registers' accessibility
 * with E2H 1), CNTVCT_EL0 and CNTVCTSS_EL0 read the count without
 * CNTVOFF_EL2; the _EL02 forms reach the EL1 timers (L2's): the physical
 * one emulated, the virtual one on the hardware. VTN_UNDEF for
 * CNTVCT(SS)_EL0 written.
 */
static enum vtn_access e2h_access(struct vcpu *vcpu, const struct vtimer_nested *vt,
				  struct vel2_file *el2, u32 enc, bool write, u64 *val)
{
	unsigned crm = (enc >> 3) & 0xf, op2 = enc & 7, reg;
	u32 base = enc & ~(u32)GENMASK(6, 0);

	if (base == ENC(3, 3, 14, 0, 0) && crm == 0 && (op2 == 2 || op2 == 6)) {
		if (write || (op2 == 6 && !vt->ecv))
			return VTN_UNDEF;
		*val = vtimer_nested_count(vt, arch_counter());
		return VTN_DONE;
	}
	if ((base != ENC(3, 3, 14, 0, 0) && base != ENC(3, 5, 14, 0, 0)) ||
	    (crm != 2 && crm != 3) || op2 > 2)
		return VTN_NOT_TIMER;
	reg = op2 == 0 ? TIMER_TVAL : op2 == 1 ? TIMER_CTL : TIMER_CVAL;
	if (base == ENC(3, 3, 14, 0, 0)) {
		el2_timer_access(vcpu, vt, el2, crm == 2 ? VTN_EL2_PHYS : VTN_EL2_VIRT, reg,
				 write, val);
	} else if (crm == 2) {
		el1_ptimer_access(vcpu, vt, reg, write, val);
	} else {
		unsigned t = reg == TIMER_TVAL ? ARCH_CNTV_TVAL :
			     reg == TIMER_CTL ? ARCH_CNTV_CTL : ARCH_CNTV_CVAL;

		if (write)
			arch_el1_vtimer_write(t, *val);
		else
			*val = arch_el1_vtimer_read(t);
	}
	return VTN_DONE;
}

enum vtn_access vtimer_nested_sysreg(struct vcpu *vcpu, struct vtimer_nested *vt,
				     struct vel2_file *el2, u32 enc, bool write, u64 *val)
{
	const struct vel2_reg_desc *d;
	enum vel2_reg r;
	enum vtn_timer id;

	if (vt->e2h && vt->ctx == VTN_L1) {
		switch (e2h_access(vcpu, vt, el2, enc, write, val)) {
		case VTN_NOT_TIMER:
			break;
		case VTN_DONE:
			return VTN_DONE;
		default:
			return VTN_UNDEF;
		}
	}
	switch (enc) {
	case ENC_CNTPCT_EL0:
	case ENC_CNTPCTSS_EL0:
		/* Read-only (an MSR is UNDEFINED); CNTPCTSS_EL0 with ECV. */
		if (write || (enc == ENC_CNTPCTSS_EL0 && !vt->ecv))
			return VTN_UNDEF;
		*val = vtimer_nested_count(vt, arch_counter());
		return VTN_DONE;
	case ENC_CNTP_CTL_EL0:
		el1_ptimer_access(vcpu, vt, TIMER_CTL, write, val);
		return VTN_DONE;
	case ENC_CNTP_CVAL_EL0:
		el1_ptimer_access(vcpu, vt, TIMER_CVAL, write, val);
		return VTN_DONE;
	case ENC_CNTP_TVAL_EL0:
		el1_ptimer_access(vcpu, vt, TIMER_TVAL, write, val);
		return VTN_DONE;
	default:
		break;
	}

	d = vel2_reg_by_enc(enc);
	if (!d || (d->flags & VEL2_EL1))
		return VTN_NOT_TIMER;
	r = vel2_reg_index(d);
	switch (r) {
	case VEL2_CNTHCTL_EL2:
		/* With E2H 1 its EL0 controls are on the CPU: cpu/vel2_sysreg.c's. */
		if (vt->e2h)
			return VTN_NOT_TIMER;
		/* fall through */
	case VEL2_CNTVOFF_EL2:
		if (!write) {
			*val = vel2_get(el2, r);
			return VTN_DONE;
		}
		/* RES0 bits of CNTHCTL_EL2 cleared (E2H = 0 layout). */
		vel2_set(el2, r, vel2_reg_sanitise(r, *val, NULL));
		return VTN_RELOAD;
	case VEL2_CNTHP_CTL_EL2:
	case VEL2_CNTHP_CVAL_EL2:
	case VEL2_CNTHP_TVAL_EL2:
		id = VTN_EL2_PHYS;
		break;
	case VEL2_CNTHV_CTL_EL2:
	case VEL2_CNTHV_CVAL_EL2:
	case VEL2_CNTHV_TVAL_EL2:
		if (!vt->vhe)
			return VTN_UNDEF;
		id = VTN_EL2_VIRT;
		break;
	default:
		return VTN_NOT_TIMER;
	}
	el2_timer_access(vcpu, vt, el2, id,
			 r == el2_ctl[id] ? TIMER_CTL :
			 r == el2_cval[id] ? TIMER_CVAL : TIMER_TVAL,
			 write, val);
	return VTN_DONE;
}

/*
 * D12.2.4: each timer's interrupt output is high while ENABLE is 1, IMASK
 * is 0 and ISTATUS (its condition) is 1, and drives its PPI as a level.
 * The EL1 timers go through vtimer_sync() as for a plain VM (the virtual
 * one from the hardware's CNTV_CTL_EL0, the physical one emulated, at L1's
 * physical count); the EL2 timers are emulated from L1's register file.
 */
void vtimer_nested_sync(struct vcpu *vcpu, const struct vtimer_nested *vt,
			const struct vel2_file *el2, u64 now)
{
	u64 count = vtimer_nested_count(vt, now);
	struct vtn_timer_info info;

	vtimer_sync(vcpu, count);
	for (enum vtn_timer id = VTN_EL2_PHYS; id < VTN_NR; id++) {
		struct emu_timer t;

		if (!vtimer_nested_timer(vt, el2, id, &info))
			continue;
		t = el2_timer(el2, id);
		set_level(vcpu, info.intid, emu_timer_level(&t, count));
	}
}

/*
 * The set's earliest deadline in hardware counts: each member's condition
 * (D12.2.4) at its own offset (emu_timer_deadline_offset). A loaded
 * vCPU's EL1 virtual timer is the hardware's and interrupts by itself.
 */
u64 vtimer_nested_next_deadline(const struct vcpu *vcpu,
				const struct vtimer_nested *vt, const struct vel2_file *el2,
				u64 now, bool loaded)
{
	u64 d = NEVER;
	struct vtn_timer_info info;

	for (enum vtn_timer id = 0; id < VTN_NR; id++) {
		struct emu_timer t;

		if (!vtimer_nested_timer(vt, el2, id, &info) ||
		    (info.on_hw && loaded))
			continue;
		switch (id) {
		case VTN_EL1_VIRT:
			t.ctl = vcpu->sys.cntv_ctl_el0;
			t.cval = vcpu->sys.cntv_cval_el0;
			break;
		case VTN_EL1_PHYS:
			t = vcpu->ptimer;
			break;
		default:
			t = el2_timer(el2, id);
			break;
		}
		d = MIN(d, emu_timer_deadline_offset(&t, info.offset, now));
	}
	return d;
}
