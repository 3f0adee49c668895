/*
 * The plain virtual GICv3 (Arm IHI 0069H): interrupt state, SGI generation
 * and the list-register interface to the hardware.
 *
 * Design:
 * - Every virtual interrupt is a struct virq: SGIs/PPIs (INTID < 32) in
 *   vcpu->vgic.priv[], SPIs in vm->vgic.spi[]. The virq is the only
 *   authoritative state; the emulated GICD/GICR registers (vgic_dist.c,
 *   vgic_redist.c) read and write it directly.
 * - The list registers are rebuilt from scratch on every guest entry
 *   (vgic_flush): the active interrupts first (so the guest can always
 *   deactivate them), then the pending ones by priority. Each chosen virq
 *   remembers its LR and the state it was loaded with; after the exit
 *   vgic_sync folds what the guest did (acknowledge, EOI) back into the
 *   virq and forgets the LR. An edge made pending again while its virq sat
 *   in an LR is kept in virq.retrigger so the acknowledgement of the old
 *   edge does not swallow it. When more interrupts are eligible than fit,
 *   ICH_HCR_EL2.UIE asks for a maintenance interrupt to refill the LRs.
 * - Locking: one spinlock per VM (vm->vgic.lock) covers every virq of the
 *   VM, the distributor and the redistributors. flush/sync, the MMIO
 *   handlers and the injection functions (which other physical CPUs may
 *   call) each hold it for their whole operation.
 */
#include <string.h>
#include <nv/bits.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>

/* GICD_CTLR, DS = 1 layout (IHI 0069H, GICD_CTLR). */
#define GICD_CTLR_ENABLE_G0 BIT(0)
#define GICD_CTLR_ENABLE_G1 BIT(1)
/* GICR_WAKER.ProcessorSleep, ChildrenAsleep. */
#define GICR_WAKER_PS BIT(1)
#define GICR_WAKER_CA BIT(2)

/* GICD_IROUTER<n> and MPIDR_EL1 share the affinity field layout. */
#define AFF_MASK (GENMASK(39, 32) | GENMASK(23, 0))
#define IROUTER_IRM BIT(31)

/* ICC_SGI1R_EL1 fields. */
#define SGI1R_TARGETS GENMASK(15, 0)
#define SGI1R_AFF1 GENMASK(23, 16)
#define SGI1R_INTID GENMASK(27, 24)
#define SGI1R_AFF2 GENMASK(39, 32)
#define SGI1R_IRM BIT(40)
#define SGI1R_RS GENMASK(47, 44)
#define SGI1R_AFF3 GENMASK(55, 48)
#define MPIDR_AFF0 GENMASK(7, 0)
#define MPIDR_AFF1 GENMASK(15, 8)
#define MPIDR_AFF2 GENMASK(23, 16)
#define MPIDR_AFF3 GENMASK(39, 32)

#define VGIC_NR_SGIS 16

unsigned vgic_nr_lrs = 4;
unsigned vgic_nr_aprs = 1;

struct virq *vgic_get_virq(struct vm *vm, struct vcpu *vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu ? &vcpu->vgic.priv[intid] : NULL;
	if (intid - VGIC_NR_PRIVATE < vm->vgic.nr_spis)
		return &vm->vgic.spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

static void virq_reset(struct virq *v, bool edge)
{
	memset(v, 0, sizeof(*v));
	v->edge = edge;
	/* Group 1 by default, as for KVM's vGICv3: guests use Group 1 only. */
	v->group1 = true;
	v->lr = -1;
}

/*
 * Redistributor reset state (GICR_* reset values): SGIs edge (GICR_ICFGR0),
 * PPIs level, all disabled, GICR_WAKER.ProcessorSleep = ChildrenAsleep = 1.
 */
void vgic_init_vcpu(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < VGIC_NR_PRIVATE; i++)
		virq_reset(&c->priv[i], i < VGIC_NR_SGIS);
	c->gicr_waker = (u32)(GICR_WAKER_PS | GICR_WAKER_CA);
}

/* Distributor and redistributor reset values (GICD_*, GICR_* resets). */
void vgic_reset_state(struct vm *vm)
{
	struct vgic_dist *d = &vm->vgic;
	unsigned i;

	spin_lock(&d->lock);
	d->ctlr = 0;
	for (i = 0; i < VGIC_MAX_SPIS; i++)
		virq_reset(&d->spi[i], false);
	for (i = 0; i < vm->nr_vcpus; i++)
		vgic_init_vcpu(vm->vcpus[i]);
	spin_unlock(&d->lock);
}

bool vgic_init_vm(struct vm *vm, u64 dist_base, u64 redist_base,
		  unsigned nr_spis)
{
	struct vgic_dist *d = &vm->vgic;
	u64 redist_size = (u64)vm->nr_vcpus * VGIC_REDIST_STRIDE;

	/*
	 * GICD_TYPER.ITLinesNumber counts SPIs in blocks of 32; the last
	 * block stops at INTID 1019 (1020..1023 are special INTIDs).
	 */
	if (nr_spis > VGIC_MAX_SPIS)
		return false;
	nr_spis = MIN(ALIGN_UP(nr_spis, 32u), (unsigned)VGIC_MAX_SPIS);
	if (vm->nr_vcpus == 0 ||
	    vm->nr_vcpus > VGIC_MAX_VCPUS)
		return false;
	memset(d, 0, sizeof(*d));
	d->nr_spis = nr_spis;
	d->dist_base = dist_base;
	d->redist_base = redist_base;
	vgic_reset_state(vm);
	if (!mmio_bus_register(&vm->mmio, dist_base, VGIC_DIST_SIZE,
			       &vgic_dist_ops, vm, "gicd"))
		return false;
	return mmio_bus_register(&vm->mmio, redist_base, redist_size,
				 &vgic_redist_ops, vm, "gicr");
}

bool vgic_set_hw(struct vm *vm, struct vcpu *vcpu, u32 intid, u32 hw_intid)
{
	struct virq *v;

	spin_lock(&vm->vgic.lock);
	v = vgic_get_virq(vm, vcpu, intid);
	if (v) {
		v->hw = true;
		v->hw_intid = hw_intid;
	}
	spin_unlock(&vm->vgic.lock);
	return v != NULL;
}

/*
 * Edge-triggered assertion or a GICD_ISPENDR write (IHI 0069H, "Interrupt
 * handling state machine"): sets the pending latch; if the virq is in an
 * LR, the acknowledgement of that copy must not clear the new edge.
 */
void vgic_make_pending_locked(struct virq *v)
{
	v->pending = true;
	if (v->lr >= 0)
		v->retrigger = true;
}

/*
 * Interrupt inputs (IHI 0069H, "Interrupt handling state machine"): a
 * level-sensitive interrupt is pending while its line is high; an
 * edge-triggered one latches pending on a rising edge.
 */
static bool spi_routed_to(const struct virq *v, const struct vcpu *vcpu);

/* Tells the vCPU that now has a pending interrupt (it may be elsewhere). */
static void kick_target(struct vm *vm, struct vcpu *vcpu, const struct virq *v)
{
	if (vcpu) {
		vcpu_kick(vcpu);
		return;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (spi_routed_to(v, vm->vcpus[i]))
			vcpu_kick(vm->vcpus[i]);
}

void vgic_set_level(struct vm *vm, struct vcpu *vcpu, u32 intid, bool level)
{
	struct virq *v;
	bool rise = false;

	spin_lock(&vm->vgic.lock);
	v = vgic_get_virq(vm, vcpu, intid);
	if (v) {
		if (v->edge && level && !v->level)
			vgic_make_pending_locked(v);
		rise = level && !v->level;
		v->level = level;
	}
	spin_unlock(&vm->vgic.lock);
	if (rise)
		kick_target(vm, vcpu, v);
}

void vgic_hw_fired(struct vcpu *vcpu, u32 intid)
{
	struct vm *vm = vcpu->vm;
	struct virq *v;

	spin_lock(&vm->vgic.lock);
	v = vgic_get_virq(vm, vcpu, intid);
	if (v && v->hw) {
		if (v->edge && !v->level)
			vgic_make_pending_locked(v);
		v->level = true;
		v->hw_active = true;
	}
	spin_unlock(&vm->vgic.lock);
}

bool vgic_hw_release(struct vcpu *vcpu, u32 intid)
{
	struct vm *vm = vcpu->vm;
	struct virq *v;
	bool release = false;

	spin_lock(&vm->vgic.lock);
	v = vgic_get_virq(vm, vcpu, intid);
	if (v && v->hw_active && !v->active && !vgic_virq_pending(v) && v->lr < 0) {
		v->hw_active = false;
		release = true;
	}
	spin_unlock(&vm->vgic.lock);
	return release;
}

void vgic_set_pending(struct vm *vm, struct vcpu *vcpu, u32 intid)
{
	struct virq *v;

	spin_lock(&vm->vgic.lock);
	v = vgic_get_virq(vm, vcpu, intid);
	if (v)
		vgic_make_pending_locked(v);
	spin_unlock(&vm->vgic.lock);
	if (v)
		kick_target(vm, vcpu, v);
}

/*
 * ICC_SGI1R_EL1 (IHI 0069H): does the PE with affinity mpidr match
 * Aff3.Aff2.Aff1 and have its Aff0 in TargetList, offset by RS * 16?
 */
static bool sgi1r_targets(u64 val, u64 mpidr)
{
	u64 aff0 = field_get(MPIDR_AFF0, mpidr);
	u64 first = field_get(SGI1R_RS, val) * 16;

	if (field_get(SGI1R_AFF3, val) != field_get(MPIDR_AFF3, mpidr) ||
	    field_get(SGI1R_AFF2, val) != field_get(MPIDR_AFF2, mpidr) ||
	    field_get(SGI1R_AFF1, val) != field_get(MPIDR_AFF1, mpidr))
		return false;
	if (aff0 < first || aff0 >= first + 16)
		return false;
	return (field_get(SGI1R_TARGETS, val) & BIT(aff0 - first)) != 0;
}

/*
 * ICC_SGI1R_EL1 write: a Group 1 SGI to every PE but the sender (IRM = 1)
 * or to the listed ones. With a single Security state a Group 1 SGI is
 * only forwarded to targets that configured it as Group 1 (ICC_SGI1R_EL1,
 * "Forwarding an SGI to a target PE").
 */
void vgic_write_sgi1r(struct vcpu *vcpu, u64 val)
{
	struct vm *vm = vcpu->vm;
	u32 intid = (u32)field_get(SGI1R_INTID, val);
	bool broadcast = (val & SGI1R_IRM) != 0;
	unsigned i;

	spin_lock(&vm->vgic.lock);
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = vm->vcpus[i];
		struct virq *v = &t->vgic.priv[intid];

		if (broadcast ? t == vcpu : !sgi1r_targets(val, t->mpidr))
			continue;
		if (v->group1) {
			vgic_make_pending_locked(v);
			if (t != vcpu)
				vcpu_kick(t);
		}
	}
	spin_unlock(&vm->vgic.lock);
}

/*
 * GICD_IROUTER<n>: an SPI goes to the PE whose affinity matches.
 * IRM = 1 ("any participating PE") is simplified to vCPU 0.
 */
static bool spi_routed_to(const struct virq *v, const struct vcpu *vcpu)
{
	if (v->route & IROUTER_IRM)
		return vcpu->id == 0;
	return (v->route & AFF_MASK) == (vcpu->mpidr & AFF_MASK);
}

/*
 * Can the pending state be signalled to this vCPU: enabled, and its group
 * enabled in GICD_CTLR (EnableGrp0/EnableGrp1). GICR_WAKER.ProcessorSleep
 * is not looked at: it only says whether the PE's power controller may
 * turn the PE off (IHI 0069H, "Power management"), and KVM's and QEMU's
 * redistributors deliver whatever it says, so guests written for them
 * never clear it.
 */
static bool can_signal(const struct vm *vm, const struct vcpu *vcpu,
		       const struct virq *v)
{
	u64 grp = v->group1 ? GICD_CTLR_ENABLE_G1 : GICD_CTLR_ENABLE_G0;

	(void)vcpu;
	return v->enabled && (vm->vgic.ctlr & grp);
}

/*
 * The LR state a virq needs (ICH_LR<n>_EL2.State and .HW): active ones
 * always (only the guest can deactivate them), pending ones if they can be
 * signalled. An LR with HW = 1 cannot be pending and active: the pending
 * part waits until the guest has deactivated the interrupt.
 */
static u64 wanted_lr_state(const struct vm *vm, const struct vcpu *vcpu,
			   const struct virq *v)
{
	u64 state = 0;

	if (v->active)
		state |= ICH_LR_STATE_ACTIVE;
	if (vgic_virq_pending(v) && can_signal(vm, vcpu, v))
		state |= ICH_LR_STATE_PENDING;
	if (v->hw && state == (ICH_LR_STATE_ACTIVE | ICH_LR_STATE_PENDING))
		state = ICH_LR_STATE_ACTIVE;
	return state;
}

/* The best vgic_nr_lrs candidates so far, best (lowest key) first. */
struct lr_pick {
	unsigned n;
	unsigned max;
	unsigned total; /* every candidate seen */
	unsigned active; /* candidates that are active */
	u32 key[VGIC_MAX_LRS];
	u32 intid[VGIC_MAX_LRS];
	struct virq *v[VGIC_MAX_LRS];
	u8 state[VGIC_MAX_LRS];
};

/*
 * Order: active first, then higher priority (lower value), then lower
 * INTID (IHI 0069H, "Interrupt prioritization": lower value is higher
 * priority; the order among equal priorities is IMPLEMENTATION DEFINED).
 */
static u32 pick_key(const struct virq *v, u32 intid, u64 state)
{
	u32 inactive = (state & ICH_LR_STATE_ACTIVE) ? 0 : 1;

	return inactive << 18 | (u32)v->priority << 10 | intid;
}

static void pick_add(struct lr_pick *p, struct virq *v, u32 intid, u64 state)
{
	u32 key = pick_key(v, intid, state);
	unsigned i;

	p->total++;
	if (state & ICH_LR_STATE_ACTIVE)
		p->active++;
	if (p->n == p->max && (p->max == 0 || key >= p->key[p->n - 1]))
		return;
	if (p->n < p->max)
		p->n++;
	for (i = p->n - 1; i > 0 && p->key[i - 1] > key; i--) {
		p->key[i] = p->key[i - 1];
		p->intid[i] = p->intid[i - 1];
		p->v[i] = p->v[i - 1];
		p->state[i] = p->state[i - 1];
	}
	p->key[i] = key;
	p->intid[i] = intid;
	p->v[i] = v;
	p->state[i] = (u8)state;
}

/* Forgets LRs of a flush that was never synced (the guest did not run). */
static void release_lrs(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	unsigned i;

	for (i = 0; i < c->used_lrs; i++) {
		u32 intid = (u32)field_get(ICH_LR_VINTID_MASK, c->lr[i]);
		struct virq *v = vgic_get_virq(vcpu->vm, vcpu, intid);

		if (v && v->lr == (s32)i) {
			v->lr = -1;
			v->retrigger = false;
		}
	}
	c->used_lrs = 0;
}

static void collect(struct vcpu *vcpu, struct lr_pick *p)
{
	struct vm *vm = vcpu->vm;
	u32 i;

	for (i = 0; i < VGIC_NR_PRIVATE; i++) {
		struct virq *v = &vcpu->vgic.priv[i];
		u64 state = wanted_lr_state(vm, vcpu, v);

		if (state)
			pick_add(p, v, i, state);
	}
	for (i = 0; i < vm->vgic.nr_spis; i++) {
		struct virq *v = &vm->vgic.spi[i];
		u64 state;

		/* v->lr >= 0: in the LRs of another (running) vCPU. */
		if (v->lr >= 0 || !spi_routed_to(v, vcpu))
			continue;
		state = wanted_lr_state(vm, vcpu, v);
		if (state)
			pick_add(p, v, i + VGIC_NR_PRIVATE, state);
	}
}

void vgic_flush(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *c = &vcpu->vgic;
	struct lr_pick p;
	unsigned i;

	memset(&p, 0, sizeof(p));
	p.max = MIN(vgic_nr_lrs, (unsigned)VGIC_MAX_LRS);
	spin_lock(&vm->vgic.lock);
	release_lrs(vcpu);
	collect(vcpu, &p);
	memset(c->lr, 0, sizeof(c->lr));
	for (i = 0; i < p.n; i++) {
		struct virq *v = p.v[i];

		c->lr[i] = vgic_lr_encode(p.intid[i], v->priority, v->group1,
					  v->hw, v->hw_intid, p.state[i]);
		v->lr = (s32)i;
		v->lr_state = p.state[i];
		v->retrigger = false;
	}
	c->used_lrs = p.n;
	/* ICH_HCR_EL2: En, and UIE to refill when the LRs run out. */
	c->hcr = (u32)ICH_HCR_EN;
	if (p.total > p.n)
		c->hcr |= (u32)ICH_HCR_UIE;
	/*
	 * Active interrupts left out: the guest's EOI of one of them finds no
	 * LR and counts in EOIcount; LRENPIE asks for a maintenance interrupt
	 * then, so that vgic_sync() deactivates it without delay.
	 */
	if (p.active > p.n)
		c->hcr |= (u32)ICH_HCR_LRENPIE;
	spin_unlock(&vm->vgic.lock);
}

/*
 * Folds one LR back (ICH_LR<n>_EL2.State as the guest left it): the guest
 * may have acknowledged (pending -> active), deactivated (active ->
 * invalid) or both. Acknowledging consumes the pending latch, except for
 * an edge that arrived while the virq sat in the LR; a level input still
 * high keeps the interrupt pending through vgic_virq_pending(). An LR
 * loaded without its pending state (HW, pending and active) keeps it.
 * A HW LR that went from valid to invalid was deactivated by the guest,
 * which deactivated the physical interrupt (ICH_LR<n>_EL2.HW = 1).
 */
static void sync_one(struct virq *v, u64 state)
{
	/* A HW LR the guest deactivated deactivated the physical one too. */
	if (v->hw && v->lr_state && !state)
		v->hw_active = false;
	v->active = (state & ICH_LR_STATE_ACTIVE) != 0;
	if ((v->lr_state & ICH_LR_STATE_PENDING) &&
	    !(state & ICH_LR_STATE_PENDING))
		v->pending = v->retrigger;
	v->retrigger = false;
	v->lr = -1;
	v->lr_state = 0;
}

/*
 * The active interrupt of this vCPU that is in no list register and comes
 * first in list-register order (priority, then INTID), or NULL.
 */
static struct virq *first_unlisted_active(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct virq *best = NULL;
	u32 i;

	for (i = 0; i < VGIC_NR_PRIVATE + vm->vgic.nr_spis; i++) {
		struct virq *v = vgic_get_virq(vm, vcpu, i);

		if (!v->active || v->lr >= 0 ||
		    (i >= VGIC_NR_PRIVATE && !spi_routed_to(v, vcpu)))
			continue;
		if (!best || v->priority < best->priority)
			best = v;
	}
	return best;
}

/*
 * ICH_HCR_EL2.EOIcount (GIC spec): the guest wrote ICV_EOIR<n>_EL1 (EOImode
 * 0) or ICV_DIR_EL1 for that many interrupts that had no list register;
 * their priority drop is done by the hardware, their deactivation is
 * ours. As KVM does, the active interrupts that were left out of the LRs
 * are deactivated in list-register order.
 */
static void deactivate_unlisted(struct vcpu *vcpu, unsigned count)
{
	while (count--) {
		struct virq *v = first_unlisted_active(vcpu);

		if (!v)
			return;
		/* A HW one's physical interrupt stays active: vgic_hw_release(). */
		v->active = false;
	}
}

void vgic_sync(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *c = &vcpu->vgic;
	unsigned i, eoi = (unsigned)field_get(ICH_HCR_EOICOUNT, c->hcr_exit);

	spin_lock(&vm->vgic.lock);
	/* Before the LRs are folded: v->lr still says which were listed. */
	if (eoi)
		deactivate_unlisted(vcpu, eoi);
	c->hcr_exit = 0;
	for (i = 0; i < c->used_lrs; i++) {
		u64 lr = c->lr[i];
		u32 intid = (u32)field_get(ICH_LR_VINTID_MASK, lr);
		struct virq *v = vgic_get_virq(vm, vcpu, intid);

		if (v && v->lr == (s32)i)
			sync_one(v, vgic_lr_state(lr));
	}
	c->used_lrs = 0;
	spin_unlock(&vm->vgic.lock);
}

/*
 * WFI wake-up: an interrupt that could be signalled (pending, not active,
 * enabled, group enabled). The guest's priority mask
 * (ICH_VMCR_EL2.VPMR) is not applied: a spurious wake-up is harmless.
 */
static bool signallable(const struct vm *vm, const struct vcpu *vcpu,
			const struct virq *v)
{
	return vgic_virq_pending(v) && !v->active && can_signal(vm, vcpu, v);
}

/*
 * Waking the target (IHI 0069H, "Interrupt handling state machine": an
 * interrupt that becomes pending, enabled and of an enabled group is
 * signalled to its PE): a vCPU sleeping in WFI on another physical CPU,
 * or running there, must notice at once, not at its next time slice.
 */
void vgic_note_wake_locked(struct vm *vm, struct vcpu *target,
			   const struct virq *v)
{
	unsigned i;

	if (target) {
		if (signallable(vm, target, v))
			vm->vgic.kick |= (u32)BIT(target->id);
		return;
	}
	for (i = 0; i < vm->nr_vcpus; i++)
		if (spi_routed_to(v, vm->vcpus[i]) &&
		    signallable(vm, vm->vcpus[i], v))
			vm->vgic.kick |= (u32)BIT(i);
}

void vgic_note_all_locked(struct vm *vm)
{
	vm->vgic.kick |= (u32)(BIT(vm->nr_vcpus) - 1);
}

void vgic_kick_noted(struct vm *vm, u32 kick)
{
	unsigned i;

	for (i = 0; kick && i < vm->nr_vcpus; i++, kick >>= 1)
		if (kick & 1)
			vcpu_kick(vm->vcpus[i]);
}

bool vgic_pending(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool found = false;
	unsigned i;

	spin_lock(&vm->vgic.lock);
	for (i = 0; i < VGIC_NR_PRIVATE && !found; i++)
		found = signallable(vm, vcpu, &vcpu->vgic.priv[i]);
	for (i = 0; i < vm->vgic.nr_spis && !found; i++) {
		const struct virq *v = &vm->vgic.spi[i];

		found = spi_routed_to(v, vcpu) && signallable(vm, vcpu, v);
	}
	spin_unlock(&vm->vgic.lock);
	return found;
}
