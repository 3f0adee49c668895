/*
 * The plain virtual GICv3 (Arm IHI 0069H): interrupt state, injection, SGI
 * generation, and which vCPU each interrupt belongs to. The list of
 * interrupts in flight per vCPU and the list registers are in vgic_lr.c.
 *
 * Design:
 * - Every virtual interrupt is a struct virq: SGIs/PPIs (INTID < 32) in
 *   vcpu->vgic.priv[], SPIs in vm->vgic.spi[]. The virq is the only
 *   authoritative state; the emulated GICD/GICR registers (vgic_dist.c,
 *   vgic_redist.c) read and write it directly.
 * - A virq that is pending or active sits on the ap_list of one vCPU (its
 *   owner), as in KVM: entry and exit only look at that list, so their cost
 *   follows the interrupts in flight, not the number of interrupts, vCPUs
 *   or VMs.
 * - Locking: each vCPU's ap_lock covers its list, its private virqs and
 *   the SPIs on its list; an SPI on no list is covered by the ap_lock of
 *   the vCPU GICD_IROUTER names. vm->vgic.lock serialises the register
 *   writes of the distributor and redistributors and every change of an
 *   SPI's routing (taken before any ap_lock). An exit that changes only
 *   its own vCPU's interrupts (an SGI to itself, its timers, an EOI) takes
 *   its own ap_lock and nothing else.
 */
#include <stddef.h>
#include <string.h>
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>

/* GICR_WAKER.ProcessorSleep, ChildrenAsleep. */
#define GICR_WAKER_PS BIT(1)
#define GICR_WAKER_CA BIT(2)

/* GICD_IROUTER<n> and MPIDR_EL1 share the affinity field layout. */
#define IROUTER_IRM BIT(31)

/* ICC_SGI1R_EL1 fields. */
#define SGI1R_TARGETS GENMASK(15, 0)
#define SGI1R_AFF1 GENMASK(23, 16)
#define SGI1R_INTID GENMASK(27, 24)
#define SGI1R_AFF2 GENMASK(39, 32)
#define SGI1R_IRM BIT(40)
#define SGI1R_RS GENMASK(47, 44)
#define SGI1R_AFF3 GENMASK(55, 48)

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

static void virq_reset(struct virq *v, u32 intid, bool edge)
{
	memset(v, 0, sizeof(*v));
	v->intid = intid;
	v->edge = edge;
	/* Group 1 by default, as for KVM's vGICv3: guests use Group 1 only. */
	v->group1 = true;
	v->lr = -1;
}

/*
 * Redistributor reset state (GICR_* reset values): SGIs edge (GICR_ICFGR0),
 * PPIs level, all disabled, GICR_WAKER.ProcessorSleep = ChildrenAsleep = 1;
 * nothing in flight, the virtual interface enabled with no LR.
 */
_Static_assert(offsetof(struct vgic_cpu, ap_lock) + sizeof(struct spinlock) <=
		       offsetof(struct vgic_cpu, ap_head),
	       "vgic_cpu: everything after ap_lock starts at ap_head");

/*
 * Everything of a vCPU's vGIC state but its ap_lock, which the caller
 * holds: on a VM reset the vCPU may still run on another CPU and take it.
 */
static void vgic_cpu_reset_locked(struct vgic_cpu *c)
{
	u32 i;

	for (i = 0; i < VGIC_NR_PRIVATE; i++)
		virq_reset(&c->priv[i], i, i < VGIC_NR_SGIS);
	memset((char *)c + offsetof(struct vgic_cpu, ap_head), 0,
	       sizeof(*c) - offsetof(struct vgic_cpu, ap_head));
	c->gicr_waker = (u32)(GICR_WAKER_PS | GICR_WAKER_CA);
	c->hcr = (u32)ICH_HCR_EN;
}

void vgic_init_vcpu(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;

	c->ap_lock = (struct spinlock)SPINLOCK_INIT;
	vgic_cpu_reset_locked(c);
}

/* Distributor and redistributor reset values (GICD_*, GICR_* resets). */
void vgic_reset_state(struct vm *vm)
{
	struct vgic_dist *d = &vm->vgic;
	unsigned i;

	/*
	 * SYSTEM_RESET comes from one vCPU while the others may still run
	 * elsewhere until their kick: each vCPU's lists are emptied under
	 * its ap_lock (after vm->vgic.lock, the lock order), and only then
	 * the SPIs that were on them are reset.
	 */
	spin_lock(&d->lock);
	d->ctlr = 0;
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vgic_cpu *c = &vm->vcpus[i]->vgic;

		spin_lock(&c->ap_lock);
		vgic_cpu_reset_locked(c);
		spin_unlock(&c->ap_lock);
	}
	for (i = 0; i < VGIC_MAX_SPIS; i++)
		virq_reset(&d->spi[i], i + VGIC_NR_PRIVATE, false);
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

/*
 * GICD_IROUTER<n>: an SPI goes to the PE whose affinity matches.
 * IRM = 1 ("any participating PE") is simplified to vCPU 0.
 */
struct vcpu *vgic_spi_target(struct vm *vm, const struct virq *v)
{
	if (v->route & IROUTER_IRM)
		return vm->vcpus[0];
	return vm_find_vcpu(vm, v->route);
}

struct vcpu *vgic_lock_virq(struct vm *vm, struct vcpu *vcpu, struct virq *v)
{
	if (v->intid < VGIC_NR_PRIVATE) {
		spin_lock(&vcpu->vgic.ap_lock);
		return vcpu;
	}
	/* An owner only drops it (under its ap_lock); nobody else adds one. */
	for (;;) {
		struct vcpu *o = __atomic_load_n(&v->owner, __ATOMIC_ACQUIRE);
		struct vcpu *t = o ? o : vgic_spi_target(vm, v);

		if (!t)
			return NULL;
		spin_lock(&t->vgic.ap_lock);
		if (__atomic_load_n(&v->owner, __ATOMIC_RELAXED) == o)
			return t;
		spin_unlock(&t->vgic.ap_lock);
	}
}

void vgic_unlock_virq(struct vcpu *locked)
{
	if (locked)
		spin_unlock(&locked->vgic.ap_lock);
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

bool vgic_set_hw(struct vm *vm, struct vcpu *vcpu, u32 intid, u32 hw_intid)
{
	struct virq *v;
	struct vcpu *l;

	spin_lock(&vm->vgic.lock);
	v = vgic_get_virq(vm, vcpu, intid);
	if (v) {
		l = vgic_lock_virq(vm, vcpu, v);
		v->hw = true;
		v->hw_intid = hw_intid;
		vgic_changed(vm, l, v);
		vgic_unlock_virq(l);
	}
	spin_unlock(&vm->vgic.lock);
	return v != NULL;
}

/*
 * Interrupt inputs (IHI 0069H, "Interrupt handling state machine"): a
 * level-sensitive interrupt is pending while its line is high; an
 * edge-triggered one latches pending on a rising edge. Private ones take
 * their vCPU's ap_lock only, SPIs vm->vgic.lock as well (their routing).
 * A rise or a new pending state kicks the target, enabled or not (cheap,
 * and what the devices' tests expect).
 */
enum vgic_input { INPUT_LINE, INPUT_PEND };

static void vgic_input(struct vm *vm, struct vcpu *vcpu, u32 intid,
		       enum vgic_input kind, bool level)
{
	struct virq *v;
	struct vcpu *l = NULL;
	bool wake = false, spi = intid >= VGIC_NR_PRIVATE;

	if (spi)
		spin_lock(&vm->vgic.lock);
	v = vgic_get_virq(vm, vcpu, intid);
	if (v) {
		l = vgic_lock_virq(vm, vcpu, v);
		if (kind == INPUT_PEND) {
			vgic_make_pending_locked(v);
			vgic_changed(vm, l, v);
			wake = l != NULL;
		} else if (level != v->level) {
			if (v->edge && level)
				vgic_make_pending_locked(v);
			v->level = level;
			vgic_changed(vm, l, v);
			wake = level && l; /* a rise: its vCPU looks */
		}
		vgic_unlock_virq(l);
	}
	if (spi)
		spin_unlock(&vm->vgic.lock);
	if (wake)
		vcpu_kick(l);
}

void vgic_set_level(struct vm *vm, struct vcpu *vcpu, u32 intid, bool level)
{
	vgic_input(vm, vcpu, intid, INPUT_LINE, level);
}

void vgic_set_pending(struct vm *vm, struct vcpu *vcpu, u32 intid)
{
	vgic_input(vm, vcpu, intid, INPUT_PEND, true);
}

void vgic_hw_fired(struct vcpu *vcpu, u32 intid)
{
	struct virq *v = intid < VGIC_NR_PRIVATE ? &vcpu->vgic.priv[intid] : NULL;

	if (!v || !v->hw)
		return;
	spin_lock(&vcpu->vgic.ap_lock);
	if (v->edge && !v->level)
		vgic_make_pending_locked(v);
	v->level = true;
	v->hw_active = true;
	vgic_changed(vcpu->vm, vcpu, v);
	spin_unlock(&vcpu->vgic.ap_lock);
}

bool vgic_hw_release(struct vcpu *vcpu, u32 intid)
{
	struct virq *v = intid < VGIC_NR_PRIVATE ? &vcpu->vgic.priv[intid] : NULL;
	bool release = false;

	if (!v)
		return false;
	spin_lock(&vcpu->vgic.ap_lock);
	if (v->hw_active && !v->active && !vgic_virq_pending(v) && v->lr < 0) {
		v->hw_active = false;
		release = true;
	}
	spin_unlock(&vcpu->vgic.ap_lock);
	return release;
}

/*
 * One SGI to one target PE (ICC_SGI1R_EL1, "Forwarding an SGI to a target
 * PE"): with a single Security state a Group 1 SGI is only forwarded to a
 * target that configured it as Group 1.
 */
static void send_sgi(struct vcpu *from, struct vcpu *t, u32 intid)
{
	struct virq *v = &t->vgic.priv[intid];
	bool wake = false;

	spin_lock(&t->vgic.ap_lock);
	if (v->group1) {
		vgic_make_pending_locked(v);
		vgic_changed(t->vm, t, v);
		wake = true;
	}
	spin_unlock(&t->vgic.ap_lock);
	if (wake && t != from)
		vcpu_kick(t);
}

/*
 * ICC_SGI1R_EL1 write: a Group 1 SGI to every PE but the sender (IRM = 1)
 * or to the PEs Aff3.Aff2.Aff1.<RS * 16 + n> for each bit n of TargetList;
 * each target is found from its affinity, so the cost follows the targets.
 */
void vgic_write_sgi1r(struct vcpu *vcpu, u64 val)
{
	struct vm *vm = vcpu->vm;
	u32 intid = (u32)field_get(SGI1R_INTID, val);
	u64 list = field_get(SGI1R_TARGETS, val);
	u64 aff = field_get(SGI1R_AFF3, val) << 32 |
		  field_get(SGI1R_AFF2, val) << 16 |
		  field_get(SGI1R_AFF1, val) << 8;
	unsigned i;

	if (val & SGI1R_IRM) {
		for (i = 0; i < vm->nr_vcpus; i++)
			if (vm->vcpus[i] != vcpu)
				send_sgi(vcpu, vm->vcpus[i], intid);
		return;
	}
	for (i = 0; list; i++, list >>= 1) {
		struct vcpu *t;

		if (!(list & 1))
			continue;
		t = vm_find_vcpu(vm, aff | (field_get(SGI1R_RS, val) * 16 + i));
		if (t)
			send_sgi(vcpu, t, intid);
	}
}

/*
 * Waking the target (IHI 0069H, "Interrupt handling state machine": an
 * interrupt that becomes pending, enabled and of an enabled group is
 * signalled to its PE): a vCPU sleeping in WFI on another physical CPU,
 * or running there, must notice at once, not at its next time slice.
 */
void vgic_note_wake_locked(struct vm *vm, struct vcpu *locked, struct virq *v)
{
	if (vgic_changed(vm, locked, v) && locked)
		vm->vgic.kick |= (u32)BIT(locked->id);
}

/* GICD_CTLR changed: every vCPU's pending interrupts may count, or not. */
void vgic_note_all_locked(struct vm *vm, bool wake)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vgic_cpu *c = &vm->vcpus[i]->vgic;

		spin_lock(&c->ap_lock);
		c->changed = true;
		spin_unlock(&c->ap_lock);
	}
	if (wake)
		vm->vgic.kick |= (u32)(BIT(vm->nr_vcpus) - 1);
}

void vgic_kick_noted(struct vm *vm, u32 kick)
{
	unsigned i;

	for (i = 0; kick && i < vm->nr_vcpus; i++, kick >>= 1)
		if (kick & 1)
			vcpu_kick(vm->vcpus[i]);
}
