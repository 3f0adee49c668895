/* Interrupt dispatch at EL2: acknowledge, call the INTID's handler, EOI. */
#include <nv/irq.h>
#include <nv/log.h>
#include <nv/percpu.h>

#define MAX_HANDLERS 64 /* SGIs, PPIs and the first SPIs */

struct irq_slot {
	irq_handler_t fn;
	void *arg;
};

static struct irq_slot handlers[MAX_HANDLERS];
static u64 spurious;

bool irq_register(u32 intid, irq_handler_t h, void *arg)
{
	if (intid >= MAX_HANDLERS)
		return false;
	handlers[intid].arg = arg;
	__atomic_store_n(&handlers[intid].fn, h, __ATOMIC_RELEASE);
	return true;
}

void irq_handle(void)
{
	for (;;) {
		u32 intid = arch_gic_ack();
		irq_handler_t fn;
		bool done;

		if (intid >= GIC_SPURIOUS_FIRST && intid <= 1023)
			return;
		fn = intid < MAX_HANDLERS ?
			     __atomic_load_n(&handlers[intid].fn, __ATOMIC_ACQUIRE) :
			     NULL;
		if (fn) {
			done = fn(intid, handlers[intid].arg);
		} else {
			__atomic_fetch_add(&spurious, 1, __ATOMIC_RELAXED);
			/* Nobody owns it: keep it from firing again. */
			gicv3_disable(this_cpu() ? this_cpu()->gicr : 0, intid);
			pr_warn("unexpected interrupt INTID %u, disabled\n", intid);
			done = true;
		}
		arch_gic_eoi(intid);
		if (done)
			arch_gic_deactivate(intid);
	}
}

u64 irq_spurious_count(void)
{
	return __atomic_load_n(&spurious, __ATOMIC_RELAXED);
}
