/*
 * GICv3 through the ICC_* system registers and the redistributors: SGIs to
 * self and to a second CPU (and back, and to "all but self"), priority
 * order, PMR masking, and both EOI modes.
 */
#include "guest.h"

const char guest_name[] = "gic";

#define SGI_SELF	1
#define SGI_LOW		2	/* priority 0xa0 */
#define SGI_HIGH	3	/* priority 0x40 */
#define SGI_MASKED	4	/* priority 0x80, PMR 0x80 */
#define SGI_UNMASKED	5	/* priority 0x40, PMR 0x80 */
#define SGI_ACTIVE	6	/* its handler looks at its active state */
#define SGI_EOIMODE1	7
#define SGI_TO_CPU1	8
#define SGI_TO_CPU0	9
#define SGI_OTHERS	10

#define WAIT_US		1000000	/* for an interrupt that must come */
#define QUIET_US	5000	/* to show one that must not */

static volatile bool active_in_handler, pending_in_handler;

static void active_handler(u32 intid)
{
	active_in_handler = gic_active(intid);
	pending_in_handler = gic_pending(intid);
}

static void test_self(void)
{
	struct percpu *pc = this_percpu();

	irq_log_reset();
	gic_enable(SGI_SELF);
	local_irq_enable();
	gic_send_sgi(SGI_SELF, read_mpidr());
	ok(WAIT_UNTIL(pc->irq_count[SGI_SELF] == 1, WAIT_US), "SGI %u to self (ICC_SGI1R_EL1 target list) is taken",
	   SGI_SELF);
	ok(pc->irq_log_n == 1 && pc->irq_log[0] == SGI_SELF, "it is the only interrupt acknowledged");
	ok(!gic_active(SGI_SELF) && !gic_pending(SGI_SELF),
	   "EOImode 0: after EOIR it is neither active nor pending");

	irq_set_handler(SGI_ACTIVE, active_handler);
	gic_enable(SGI_ACTIVE);
	gic_send_sgi(SGI_ACTIVE, read_mpidr());
	ok(WAIT_UNTIL(pc->irq_count[SGI_ACTIVE] == 1, WAIT_US), "SGI %u is taken", SGI_ACTIVE);
	ok(active_in_handler && !pending_in_handler,
	   "between acknowledge and EOIR it is active and not pending (GICR_ISACTIVER0/ISPENDR0)");
	ok(!gic_active(SGI_ACTIVE), "after EOIR it is inactive");
}

static void test_priority(void)
{
	struct percpu *pc = this_percpu();

	local_irq_disable();
	gic_set_priority(SGI_LOW, 0xa0);
	gic_set_priority(SGI_HIGH, 0x40);
	gic_enable(SGI_LOW);
	gic_enable(SGI_HIGH);
	irq_log_reset();
	/* The lower priority one first: order of arrival must not matter. */
	gic_send_sgi(SGI_LOW, read_mpidr());
	gic_send_sgi(SGI_HIGH, read_mpidr());
	ok(WAIT_UNTIL(gic_pending(SGI_LOW) && gic_pending(SGI_HIGH), WAIT_US),
	   "with IRQs masked, SGIs %u and %u are both pending", SGI_LOW, SGI_HIGH);
	ok(pc->irq_entries == 0, "and not taken");
	local_irq_enable();
	ok(WAIT_UNTIL(pc->irq_log_n == 2, WAIT_US), "once unmasked, both are taken");
	diag("acknowledged: %u, then %u", pc->irq_log[0], pc->irq_log[1]);
	ok(pc->irq_log[0] == SGI_HIGH && pc->irq_log[1] == SGI_LOW,
	   "the higher priority (0x40) SGI %u is acknowledged before SGI %u (0xa0)",
	   SGI_HIGH, SGI_LOW);
}

static void test_pmr(void)
{
	struct percpu *pc = this_percpu();

	gic_set_priority(SGI_MASKED, 0x80);
	gic_set_priority(SGI_UNMASKED, 0x40);
	gic_enable(SGI_MASKED);
	gic_enable(SGI_UNMASKED);
	irq_log_reset();
	gic_write_pmr(0x80);
	check_eq(read_sysreg(ICC_PMR_EL1), 0x80, "ICC_PMR_EL1 reads back 0x80");
	gic_send_sgi(SGI_MASKED, read_mpidr());
	udelay(QUIET_US);
	ok(pc->irq_count[SGI_MASKED] == 0 && gic_pending(SGI_MASKED),
	   "SGI %u of priority 0x80 stays pending under PMR 0x80", SGI_MASKED);
	gic_send_sgi(SGI_UNMASKED, read_mpidr());
	ok(WAIT_UNTIL(pc->irq_count[SGI_UNMASKED] == 1, WAIT_US),
	   "SGI %u of priority 0x40 is taken under PMR 0x80", SGI_UNMASKED);
	ok(pc->irq_count[SGI_MASKED] == 0, "SGI %u is still not taken", SGI_MASKED);
	gic_write_pmr(0xf0);
	ok(WAIT_UNTIL(pc->irq_count[SGI_MASKED] == 1, WAIT_US),
	   "SGI %u is taken once PMR is raised to 0xf0", SGI_MASKED);
}

static void test_eoimode1(void)
{
	struct percpu *pc = this_percpu();

	gic_enable(SGI_EOIMODE1);
	irq_log_reset();
	gic_set_eoimode(true);
	pc->manual_deactivate = true;
	ok(read_sysreg(ICC_CTLR_EL1) & BIT(1), "ICC_CTLR_EL1.EOImode reads back 1");

	gic_send_sgi(SGI_EOIMODE1, read_mpidr());
	ok(WAIT_UNTIL(pc->irq_count[SGI_EOIMODE1] == 1, WAIT_US), "EOImode 1: SGI %u is taken",
	   SGI_EOIMODE1);
	ok(gic_active(SGI_EOIMODE1), "EOImode 1: after EOIR it is still active (GICR_ISACTIVER0)");
	check_eq(read_sysreg(ICC_RPR_EL1) & 0xff, 0xff,
		 "EOImode 1: EOIR dropped the running priority (ICC_RPR_EL1 idle)");

	gic_send_sgi(SGI_EOIMODE1, read_mpidr());
	udelay(QUIET_US);
	ok(pc->irq_count[SGI_EOIMODE1] == 1 && gic_pending(SGI_EOIMODE1),
	   "EOImode 1: sent again while active, it stays pending");

	gic_write_dir(SGI_EOIMODE1);
	ok(WAIT_UNTIL(pc->irq_count[SGI_EOIMODE1] == 2, WAIT_US),
	   "EOImode 1: ICC_DIR_EL1 deactivates it and the pending one is taken");
	ok(gic_active(SGI_EOIMODE1), "EOImode 1: the second one is active until DIR");
	gic_write_dir(SGI_EOIMODE1);
	ok(!gic_active(SGI_EOIMODE1) && !gic_pending(SGI_EOIMODE1),
	   "EOImode 1: after DIR it is neither active nor pending");

	pc->manual_deactivate = false;
	gic_set_eoimode(false);
	ok(!(read_sysreg(ICC_CTLR_EL1) & BIT(1)), "ICC_CTLR_EL1.EOImode back to 0");
}

/* ---- a second CPU ---- */

static volatile bool cpu1_ready, cpu1_gic_ok, cpu1_done;

static void cpu1_main(u64 ctx)
{
	struct percpu *pc = this_percpu();

	(void)ctx;
	cpu1_gic_ok = gic_cpu_init();
	if (cpu1_gic_ok) {
		irq_log_reset();
		gic_enable(SGI_TO_CPU1);
		gic_enable(SGI_OTHERS);
		local_irq_enable();
	}
	cpu1_ready = true;
	if (!cpu1_gic_ok)
		return;
	if (WAIT_UNTIL(pc->irq_count[SGI_TO_CPU1] != 0, 1000000))
		gic_send_sgi(SGI_TO_CPU0, cpu_mpidr[0]);
	WAIT_UNTIL(cpu1_done, 10000000);
	local_irq_disable();
}

static void test_second_cpu(void)
{
	struct percpu *me = this_percpu(), *other;
	int cpu = second_cpu();
	s64 r;

	if (cpu < 0) {
		if (strict_mode())
			ok(false, "a second CPU in /cpus");
		else
			skip("one CPU in /cpus", "SGIs between two CPUs");
		return;
	}
	other = &percpu[cpu];
	irq_log_reset();
	gic_enable(SGI_TO_CPU0);
	gic_enable(SGI_OTHERS);
	r = cpu_start((unsigned)cpu, cpu1_main, 0);
	diag("second CPU: MPIDR 0x%lx", cpu_mpidr[cpu]);
	if (!check_eq((u64)r, 0, "PSCI CPU_ON of the second CPU"))
		return;
	if (!ok(WAIT_UNTIL(cpu1_ready, 1000000) && cpu1_gic_ok,
		"the second CPU set up its redistributor and CPU interface"))
		return;

	gic_send_sgi(SGI_TO_CPU1, cpu_mpidr[cpu]);
	ok(WAIT_UNTIL(other->irq_count[SGI_TO_CPU1] == 1, WAIT_US),
	   "SGI %u sent to the second CPU is taken there", SGI_TO_CPU1);
	ok(me->irq_count[SGI_TO_CPU1] == 0, "and not on the sender");
	ok(WAIT_UNTIL(me->irq_count[SGI_TO_CPU0] == 1, WAIT_US),
	   "SGI %u sent back by the second CPU is taken here", SGI_TO_CPU0);

	gic_send_sgi_others(SGI_OTHERS);
	ok(WAIT_UNTIL(other->irq_count[SGI_OTHERS] == 1, WAIT_US),
	   "SGI %u to all but self (IRM) is taken on the second CPU", SGI_OTHERS);
	udelay(QUIET_US);
	ok(me->irq_count[SGI_OTHERS] == 0, "and not on the sender");

	cpu1_done = true;
	ok(WAIT_UNTIL(psci_call(PSCI_AFFINITY_INFO64, cpu_mpidr[cpu], 0, 0) == 1, 1000000),
	   "the second CPU is off again");
}

void guest_main(void)
{
	if (!ok(gic_init(), "GICv3 distributor, redistributor and CPU interface set up"))
		bail_out("no usable GICv3");
	diag("GICD 0x%lx, this CPU's redistributor 0x%lx", gicd_base, this_percpu()->rd_base);
	test_self();
	test_priority();
	test_pmr();
	test_eoimode1();
	test_second_cpu();
	local_irq_disable();
	ok(this_percpu()->spurious == 0, "no spurious interrupt on this CPU");
}
