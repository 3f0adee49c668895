/* The EL1 virtual (HW-forwarded) and physical (emulated) timers of a vCPU. */
#include <nv/arch.h>
#include <nv/irq.h>
#include <nv/percpu.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>

static u32 vtimer_intid, ptimer_intid;

static bool vtimer_irq(u32 intid, void *arg)
{
	struct vcpu *vcpu = this_cpu()->vcpu;

	(void)arg;
	if (!vcpu)
		return true; /* nobody to forward to: deactivate */
	/*
	 * Forwarded: the vIRQ is HW-mapped, so the guest's EOI deactivates
	 * the physical interrupt, which stays active (and cannot fire again)
	 * until then. The timer's output is a level (Arm ARM D12.2.4): the
	 * vIRQ's input is high now, and vtimer_sync() lowers it when the
	 * guest disables, masks or re-arms the timer.
	 */
	vgic_hw_fired(vcpu, intid);
	return false;
}

void vtimer_init(u32 virt_intid, u32 phys_intid)
{
	vtimer_intid = virt_intid;
	ptimer_intid = phys_intid;
	irq_register(virt_intid, vtimer_irq, NULL);
}

void vtimer_enable_cpu(void)
{
	gicv3_enable_private(this_cpu()->gicr, vtimer_intid);
}

void vtimer_init_vcpu(struct vcpu *vcpu)
{
	vgic_set_hw(vcpu->vm, vcpu, vtimer_intid, vtimer_intid);
}

u64 vtimer_ptimer_read(struct vcpu *vcpu, unsigned reg)
{
	return emu_timer_read(&vcpu->ptimer, reg, arch_counter());
}

void vtimer_ptimer_write(struct vcpu *vcpu, unsigned reg, u64 val)
{
	emu_timer_write(&vcpu->ptimer, reg, val, arch_counter());
	vtimer_sync_ptimer(vcpu, arch_counter());
}

/* Timer outputs are sampled before every entry: only a change needs the vGIC (and its lock). */
static __inline_always void set_line(struct vcpu *vcpu, u32 intid, bool level)
{
	const struct virq *v = vgic_get_virq(vcpu->vm, vcpu, intid);

	if (v && v->level != level)
		vgic_set_level(vcpu->vm, vcpu, intid, level);
}

void vtimer_set_line(struct vcpu *vcpu, u32 intid, bool level)
{
	set_line(vcpu, intid, level);
}

/*
 * The emulated physical timer's output (Arm ARM D12.2.4: ENABLE, not
 * IMASK, ISTATUS) drives its PPI's level.
 */
void vtimer_sync_ptimer(struct vcpu *vcpu, u64 now)
{
	set_line(vcpu, ptimer_intid, emu_timer_level(&vcpu->ptimer, now));
}

/*
 * A vIRQ no longer asserted whose physical PPI is still active (the guest
 * never took it): once vgic_hw_release() finds it neither active, pending
 * nor listed, the PPI is deactivated so that its next expiry reaches
 * nestvisor.
 */
static void release_hw(struct vcpu *vcpu, const struct virq *v)
{
	if (!v->level && v->hw_active && vgic_hw_release(vcpu, vtimer_intid))
		gicv3_set_active(this_cpu()->gicr, vtimer_intid, false);
}

/*
 * The virtual timer's output as the hardware has it (Arm ARM D12.2.4, the
 * interrupt is asserted while CNTV_CTL_EL0.ENABLE = 1, IMASK = 0 and
 * ISTATUS = 1), sampled like KVM samples its mapped timer interrupts: the
 * vIRQ's level follows it, so an interrupt the guest no longer asserts is
 * no longer pending. If the physical PPI was left active for a vIRQ that
 * the guest never took, it is deactivated, or the next expiry would never
 * reach nestvisor.
 */
static void sync_vtimer(struct vcpu *vcpu)
{
	u64 ctl = arch_vtimer_ctl();
	u64 fire = CNT_CTL_ENABLE_BIT | CNT_CTL_ISTATUS_BIT;
	bool level = (ctl & (fire | CNT_CTL_IMASK_BIT)) == fire;
	struct virq *v = vgic_get_virq(vcpu->vm, vcpu, vtimer_intid);

	if (!v)
		return;
	if (v->level != level)
		vgic_set_level(vcpu->vm, vcpu, vtimer_intid, level);
	release_hw(vcpu, v);
}

/*
 * After vgic_flush(): a vIRQ whose level fell while it sat in a list
 * register has just left it, so its physical PPI can be released before
 * the guest runs, not one exit later.
 */
void vtimer_flushed(struct vcpu *vcpu)
{
	const struct virq *v = vgic_get_virq(vcpu->vm, vcpu, vtimer_intid);

	if (v)
		release_hw(vcpu, v);
}

void vtimer_sync(struct vcpu *vcpu, u64 now)
{
	sync_vtimer(vcpu);
	vtimer_sync_ptimer(vcpu, now);
}

u64 vtimer_next_deadline(const struct vcpu *vcpu, bool loaded)
{
	u64 d = emu_timer_deadline(&vcpu->ptimer);
	u64 vctl = vcpu->sys.cntv_ctl_el0;

	/*
	 * A loaded vCPU's virtual timer interrupts by itself. Otherwise it
	 * fires when the physical count reaches CVAL + CNTVOFF; if that sum
	 * overflows, the virtual count (physical - CNTVOFF) never gets there.
	 */
	if (!loaded && (vctl & (CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT)) ==
			       CNT_CTL_ENABLE_BIT &&
	    vcpu->sys.cntv_cval_el0 <= ~UINT64_C(0) - vcpu->vm->cntvoff)
		d = MIN(d, vcpu->sys.cntv_cval_el0 + vcpu->vm->cntvoff);
	return d;
}

bool vtimer_expired(const struct vcpu *vcpu, u64 now)
{
	return vtimer_next_deadline(vcpu, false) <= now;
}

void vtimer_put(struct vcpu *vcpu)
{
	paddr_t gicr = this_cpu()->gicr;

	vcpu->vtimer_active = gicv3_is_active(gicr, vtimer_intid);
	if (vcpu->vtimer_active)
		gicv3_set_active(gicr, vtimer_intid, false);
}

void vtimer_load(struct vcpu *vcpu)
{
	if (vcpu->vtimer_active)
		gicv3_set_active(this_cpu()->gicr, vtimer_intid, true);
}
