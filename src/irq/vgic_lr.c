/*
 * The interrupts in flight of a vCPU and the list registers (GIC spec
 * IHI 0069H, 4.4 "The virtual CPU interface", ICH_LR<n>_EL2, ICH_HCR_EL2).
 *
 * - Each vCPU keeps an ap_list of the virqs pending or active for it (as
 *   KVM's ap_list). A virq joins its target's list when it becomes pending
 *   or active (vgic_changed) and leaves it at a flush that finds it neither.
 * - vgic_flush (before entry) picks from that list: the active interrupts
 *   first (so the guest can always deactivate them), then the pending ones
 *   by priority, with ICH_HCR_EL2.UIE when more are eligible than fit and
 *   LRENPIE when active ones are left out. Each chosen virq remembers its
 *   LR and the state it was loaded with.
 * - vgic_sync (after exit) reads back only the LRs in use. If the guest
 *   changed none and nothing else changed the vCPU's interrupts, the LRs
 *   are kept as they are and the next flush rebuilds nothing. Otherwise
 *   what the guest did (acknowledge, EOI) is folded back into the virqs.
 *   An edge made pending again while its virq sat in an LR is kept in
 *   virq.retrigger so that the acknowledgement of the old edge does not
 *   swallow it.
 * - Everything here runs under the vCPU's own ap_lock only.
 */
#include <nv/bits.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>

static void list_add(struct vcpu *vcpu, struct virq *v)
{
	struct vgic_cpu *c = &vcpu->vgic;

	v->ap_prev = NULL;
	v->ap_next = c->ap_head;
	if (c->ap_head)
		c->ap_head->ap_prev = v;
	c->ap_head = v;
	__atomic_store_n(&v->owner, vcpu, __ATOMIC_RELEASE);
}

static void list_del(struct vcpu *vcpu, struct virq *v)
{
	if (v->ap_prev)
		v->ap_prev->ap_next = v->ap_next;
	else
		vcpu->vgic.ap_head = v->ap_next;
	if (v->ap_next)
		v->ap_next->ap_prev = v->ap_prev;
	v->ap_next = v->ap_prev = NULL;
	__atomic_store_n(&v->owner, NULL, __ATOMIC_RELEASE);
}

static bool in_flight(const struct virq *v)
{
	return vgic_virq_pending(v) || v->active;
}

/*
 * Can the pending state be signalled: enabled, and its group enabled in
 * GICD_CTLR (EnableGrp0/EnableGrp1). GICR_WAKER.ProcessorSleep is not
 * looked at: it only says whether the PE's power controller may turn the
 * PE off (IHI 0069H, "Power management"), and KVM's and QEMU's
 * redistributors deliver whatever it says, so guests written for them
 * never clear it. GICD_CTLR is read without vm->vgic.lock: a write that
 * enables a group marks every vCPU changed and kicks it afterwards.
 */
static bool can_signal(const struct vm *vm, const struct virq *v)
{
	u32 ctlr = __atomic_load_n(&vm->vgic.ctlr, __ATOMIC_RELAXED);
	u32 grp = (u32)(v->group1 ? GICD_CTLR_ENABLE_G1 : GICD_CTLR_ENABLE_G0);

	return v->enabled && (ctlr & grp);
}

/*
 * WFI wake-up: an interrupt that could be signalled (pending, not active,
 * enabled, group enabled). The guest's priority mask (ICH_VMCR_EL2.VPMR)
 * is not applied: a spurious wake-up is harmless.
 */
bool vgic_signallable(const struct vm *vm, const struct virq *v)
{
	return vgic_virq_pending(v) && !v->active && can_signal(vm, v);
}

bool vgic_changed(struct vm *vm, struct vcpu *locked, struct virq *v)
{
	if (!locked)
		return false;
	if (!v->owner && in_flight(v))
		list_add(locked, v);
	locked->vgic.changed = true;
	return v->owner == locked && vgic_signallable(vm, v);
}

/*
 * A GICD_IROUTER write (vm->vgic.lock held, route updated): an SPI on
 * another vCPU's list moves to its new target's. One in an LR of its
 * owner, or active there (it is deactivated where it was acknowledged, as
 * KVM keeps it), is marked: the owner's next flush moves it.
 */
void vgic_spi_rerouted_locked(struct vm *vm, struct virq *v)
{
	struct vcpu *t = vgic_spi_target(vm, v);
	struct vcpu *l = vgic_lock_virq(vm, NULL, v);

	if (l && v->owner == l && l != t) {
		if (v->lr >= 0 || v->active) {
			v->migrate = true;
			l->vgic.changed = true;
			vm->vgic.kick |= (u32)BIT(l->id);
			vgic_unlock_virq(l);
			return;
		}
		list_del(l, v);
		l->vgic.changed = true;
		vgic_unlock_virq(l);
		l = vgic_lock_virq(vm, NULL, v);
	}
	if (l)
		v->migrate = false;
	vgic_note_wake_locked(vm, l, v);
	vgic_unlock_virq(l);
}

/* Marked SPIs leave the list at a flush, then join their new target's. */
static void requeue(struct vm *vm, struct virq *v)
{
	struct vcpu *l;
	u32 kick;

	spin_lock(&vm->vgic.lock);
	l = vgic_lock_virq(vm, NULL, v);
	vgic_note_wake_locked(vm, l, v);
	vgic_unlock_virq(l);
	kick = vm->vgic.kick;
	vm->vgic.kick = 0;
	spin_unlock(&vm->vgic.lock);
	vgic_kick_noted(vm, kick);
}

/*
 * The LR state a virq needs (ICH_LR<n>_EL2.State and .HW): active ones
 * always (only the guest can deactivate them), pending ones if they can be
 * signalled. An LR with HW = 1 cannot be pending and active: the pending
 * part waits until the guest has deactivated the interrupt.
 */
static u64 wanted_lr_state(const struct vm *vm, const struct virq *v)
{
	u64 state = 0;

	if (v->active)
		state |= ICH_LR_STATE_ACTIVE;
	if (vgic_virq_pending(v) && can_signal(vm, v))
		state |= ICH_LR_STATE_PENDING;
	if (v->hw && state == (ICH_LR_STATE_ACTIVE | ICH_LR_STATE_PENDING))
		state = ICH_LR_STATE_ACTIVE;
	return state;
}

/* The best vgic_nr_lrs candidates so far, best (lowest key) first. */
struct lr_pick {
	unsigned n;
	unsigned max;
	unsigned total;  /* every candidate seen */
	unsigned active; /* candidates that are active */
	u32 key[VGIC_MAX_LRS];
	struct virq *v[VGIC_MAX_LRS];
	u8 state[VGIC_MAX_LRS];
};

/*
 * Order: active first, then higher priority (lower value), then lower
 * INTID (IHI 0069H, "Interrupt prioritization": lower value is higher
 * priority; the order among equal priorities is IMPLEMENTATION DEFINED).
 */
static u32 pick_key(const struct virq *v, u64 state)
{
	u32 inactive = (state & ICH_LR_STATE_ACTIVE) ? 0 : 1;

	return inactive << 18 | (u32)v->priority << 10 | v->intid;
}

static void pick_add(struct lr_pick *p, struct virq *v, u64 state)
{
	u32 key = pick_key(v, state);
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
		p->v[i] = p->v[i - 1];
		p->state[i] = p->state[i - 1];
	}
	p->key[i] = key;
	p->v[i] = v;
	p->state[i] = (u8)state;
}

/* Forgets the LRs of the last flush (kept, or never run). */
static void release_lrs(struct vgic_cpu *c)
{
	for (unsigned i = 0; i < c->used_lrs; i++) {
		struct virq *v = c->lr_virq[i];

		v->lr = -1;
		v->lr_state = 0;
		v->retrigger = false;
	}
	c->used_lrs = 0;
}

#define MAX_MOVES VGIC_MAX_LRS

void vgic_flush(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *c = &vcpu->vgic;
	struct virq *moves[MAX_MOVES], *v, *next;
	unsigned i, nmoves = 0;
	struct lr_pick p;

	spin_lock(&c->ap_lock);
	if (!c->changed) {
		/* The LRs as the last exit left them are still right. */
		spin_unlock(&c->ap_lock);
		return;
	}
	release_lrs(c);
	p.n = p.total = p.active = 0;
	p.max = MIN(vgic_nr_lrs, (unsigned)VGIC_MAX_LRS);
	for (v = c->ap_head; v; v = next) {
		u64 state;

		next = v->ap_next;
		if (!in_flight(v) || (v->migrate && !v->active && nmoves < MAX_MOVES)) {
			list_del(vcpu, v);
			if (v->migrate && in_flight(v))
				moves[nmoves++] = v;
			v->migrate = false;
			continue;
		}
		state = wanted_lr_state(vm, v);
		if (state && !(v->migrate && !v->active))
			pick_add(&p, v, state);
	}
	for (i = 0; i < p.n; i++) {
		v = p.v[i];
		c->lr[i] = vgic_lr_encode(v->intid, v->priority, v->group1,
					  v->hw, v->hw_intid, p.state[i]);
		c->lr_virq[i] = v;
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
	c->changed = nmoves == MAX_MOVES; /* more to move next time */
	spin_unlock(&c->ap_lock);
	for (i = 0; i < nmoves; i++)
		requeue(vm, moves[i]);
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
 * The active interrupt on this vCPU's list that is in no list register
 * and comes first in list-register order (priority, then INTID), or NULL.
 */
static struct virq *first_unlisted_active(struct vgic_cpu *c)
{
	struct virq *best = NULL;

	for (struct virq *v = c->ap_head; v; v = v->ap_next) {
		if (!v->active || v->lr >= 0)
			continue;
		if (!best || v->priority < best->priority ||
		    (v->priority == best->priority && v->intid < best->intid))
			best = v;
	}
	return best;
}

/*
 * ICH_HCR_EL2.EOIcount (GIC spec): the guest wrote ICV_EOIR<n>_EL1 (EOImode
 * 0) or ICV_DIR_EL1 for that many interrupts that had no list register;
 * their priority drop is done by the hardware, their deactivation is
 * ours. As KVM does, the active interrupts that were left out of the LRs
 * are deactivated in list-register order. A HW one's physical interrupt
 * stays active: vgic_hw_release() deals with it.
 */
static void deactivate_unlisted(struct vgic_cpu *c, unsigned count)
{
	while (count--) {
		struct virq *v = first_unlisted_active(c);

		if (!v)
			return;
		v->active = false;
	}
}

void vgic_sync(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	unsigned i, eoi = (unsigned)field_get(ICH_HCR_EOICOUNT, c->hcr_exit);
	bool moved = false;

	c->hcr_exit = 0;
	spin_lock(&c->ap_lock);
	for (i = 0; i < c->used_lrs; i++)
		if (vgic_lr_state(c->lr[i]) != c->lr_virq[i]->lr_state)
			moved = true;
	if (moved || eoi) {
		/* Before the LRs are folded: v->lr still says which were listed. */
		if (eoi)
			deactivate_unlisted(c, eoi);
		for (i = 0; i < c->used_lrs; i++)
			sync_one(c->lr_virq[i], vgic_lr_state(c->lr[i]));
		c->used_lrs = 0;
		c->changed = true;
	}
	spin_unlock(&c->ap_lock);
}

/*
 * True if an interrupt could be signalled to this vCPU (WFI wake-up), or
 * one on its list waits to move to another vCPU (its flush moves it).
 */
bool vgic_pending(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	bool found = false;

	spin_lock(&c->ap_lock);
	for (struct virq *v = c->ap_head; v && !found; v = v->ap_next)
		found = v->migrate || vgic_signallable(vcpu->vm, v);
	spin_unlock(&c->ap_lock);
	return found;
}
