/* The EL2 physical timer as nestvisor's own time source, and its self-test. */
#include <nv/arch.h>
#include <nv/irq.h>
#include <nv/percpu.h>
#include <nv/timer.h>

static u64 freq;
static u32 hyp_intid;

u64 timer_freq(void)
{
	return freq;
}

static bool el2_timer_irq(u32 intid, void *arg)
{
	struct percpu *pc = this_cpu();
	u64 now = arch_counter();

	(void)intid;
	(void)arg;
	/* Level-sensitive: stop the timer so the line drops before EOI. */
	arch_el2_timer_stop();
	if (!pc)
		return true;
	pc->timer_late = now >= pc->timer_deadline ? now - pc->timer_deadline : 0;
	__atomic_store_n(&pc->timer_irqs, pc->timer_irqs + 1, __ATOMIC_RELEASE);
	return true;
}

void timer_init(const struct platform *p)
{
	freq = p->timer.dt_freq ? p->timer.dt_freq : arch_counter_freq();
	hyp_intid = p->timer.hyp_phys_intid;
	irq_register(hyp_intid, el2_timer_irq, NULL);
}

bool timer_selftest_cpu(u64 us)
{
	struct percpu *pc = this_cpu();
	u64 before = pc->timer_irqs, end;

	gicv3_enable_private(pc->gicr, hyp_intid);
	pc->timer_deadline = arch_counter() + freq * us / 1000000;
	/* Give up after a generous 2 s: emulated CPUs can be slow. */
	end = pc->timer_deadline + 2 * freq;
	arch_el2_timer_arm(pc->timer_deadline);
	arch_irq_enable();
	while (__atomic_load_n(&pc->timer_irqs, __ATOMIC_ACQUIRE) == before &&
	       arch_counter() < end)
		arch_relax();
	arch_irq_disable();
	arch_el2_timer_stop();
	return pc->timer_irqs != before;
}
