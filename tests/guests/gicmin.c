/*
 * A guest that sets the GIC up the minimal way guests written for KVM do:
 * affinity routing and Group 1 at the distributor, the SGI frame's enables,
 * groups and priorities, PMR and ICC_IGRPEN1_EL1, and never GICR_WAKER
 * (the redistributors of KVM's and QEMU's GICs deliver interrupts whatever
 * GICR_WAKER.ProcessorSleep says). It must still receive an SGI to itself,
 * one SGI sent to a target list of both CPUs, a broadcast SGI (IRM = 1),
 * its virtual and physical timer interrupts, and see the active state of
 * the SGI it is handling in GICR_ISACTIVER0. Also: with EOImode 1, six
 * SGIs made active (more than a vGIC has list registers) are all
 * deactivated by ICC_DIR_EL1 (those in no list register through
 * ICH_HCR_EL2.EOIcount).
 */
#include "guest.h"

const char guest_name[] = "gicmin";

#define SGI_SELF	1
#define SGI_LIST	2	/* one ICC_SGI1R_EL1 write, both CPUs listed */
#define SGI_BCAST	3	/* IRM = 1: every CPU but the sender */
#define SGI_ACTIVE	4	/* its handler reads GICR_ISACTIVER0 */

#define CTL_ENABLE	BIT(0)
#define CTL_IMASK	BIT(1)
#define GICR_WAKER	0x0014

#define WAIT_US		1000000
#define QUIET_US	5000

static volatile bool active_in_handler;
static volatile bool cpu1_ready, cpu1_gic_ok, cpu1_done;
static volatile unsigned timer_fired[2]; /* 0: virtual, 1: physical */
static u32 vtimer_intid, ptimer_intid;

static void active_handler(u32 intid)
{
	active_in_handler = gic_active(intid);
}

static void timer_handler(u32 intid)
{
	/* Level-sensitive: stop the source before EOI. */
	if (intid == vtimer_intid) {
		write_sysreg(cntv_ctl_el0, CTL_IMASK);
		timer_fired[0]++;
	} else {
		write_sysreg(cntp_ctl_el0, CTL_IMASK);
		timer_fired[1]++;
	}
	isb();
}

/* ICC_SGI1R_EL1 with a TargetList of several Aff0 values under one Aff1. */
static bool sgi_to_list(u32 intid, const u64 *mpidr, unsigned n)
{
	u64 first = mpidr[0], list = 0;

	for (unsigned i = 0; i < n; i++) {
		if ((mpidr[i] & ~0xfUL) != (first & ~0xfUL))
			return false;
		list |= BIT(mpidr[i] & 0xf);
	}
	dsb_sy();
	write_sysreg(ICC_SGI1R_EL1, ((first >> 32) & 0xff) << 48 | ((first & 0xf0) >> 4) << 44 |
		     ((first >> 16) & 0xff) << 32 | (u64)intid << 24 | ((first >> 8) & 0xff) << 16 |
		     list);
	isb();
	return true;
}

static void cpu1_main(u64 ctx)
{
	(void)ctx;
	cpu1_gic_ok = gic_cpu_init_nowake();
	if (cpu1_gic_ok) {
		irq_log_reset();
		gic_enable(SGI_LIST);
		gic_enable(SGI_BCAST);
		local_irq_enable();
	}
	cpu1_ready = true;
	if (cpu1_gic_ok)
		WAIT_UNTIL(cpu1_done, 10000000);
	local_irq_disable();
}

static void test_self(void)
{
	struct percpu *pc = this_percpu();

	irq_log_reset();
	gic_enable(SGI_SELF);
	local_irq_enable();
	gic_send_sgi(SGI_SELF, read_mpidr());
	ok(WAIT_UNTIL(pc->irq_count[SGI_SELF] == 1, WAIT_US),
	   "without GICR_WAKER: SGI %u to self is taken", SGI_SELF);

	irq_set_handler(SGI_ACTIVE, active_handler);
	gic_enable(SGI_ACTIVE);
	gic_send_sgi(SGI_ACTIVE, read_mpidr());
	ok(WAIT_UNTIL(pc->irq_count[SGI_ACTIVE] == 1, WAIT_US),
	   "without GICR_WAKER: SGI %u is taken", SGI_ACTIVE);
	ok(active_in_handler, "GICR_ISACTIVER0 shows SGI %u active in its handler", SGI_ACTIVE);
	ok(!gic_active(SGI_ACTIVE), "and inactive after EOI");
}

static void test_two_cpus(void)
{
	struct percpu *me = this_percpu(), *other;
	int cpu = second_cpu();
	u64 both[2];

	if (cpu < 0) {
		if (strict_mode())
			ok(false, "a second CPU in /cpus");
		else
			skip("one CPU in /cpus", "SGIs to a target list and broadcast");
		return;
	}
	other = &percpu[cpu];
	gic_enable(SGI_LIST);
	gic_enable(SGI_BCAST);
	if (!check_eq((u64)cpu_start((unsigned)cpu, cpu1_main, 0), 0, "PSCI CPU_ON of the second CPU"))
		return;
	if (!ok(WAIT_UNTIL(cpu1_ready, WAIT_US) && cpu1_gic_ok,
		"the second CPU set up its GIC without GICR_WAKER"))
		return;
	both[0] = read_mpidr();
	both[1] = cpu_mpidr[cpu];
	if (!sgi_to_list(SGI_LIST, both, 2)) {
		skip("CPUs under different Aff1", "SGI to a target list");
	} else {
		ok(WAIT_UNTIL(me->irq_count[SGI_LIST] == 1 && other->irq_count[SGI_LIST] == 1, WAIT_US),
		   "SGI %u to a target list of both CPUs is taken on both", SGI_LIST);
	}
	gic_send_sgi_others(SGI_BCAST);
	ok(WAIT_UNTIL(other->irq_count[SGI_BCAST] == 1, WAIT_US),
	   "broadcast SGI %u (IRM = 1) is taken on the second CPU", SGI_BCAST);
	udelay(QUIET_US);
	ok(me->irq_count[SGI_BCAST] == 0, "and not on the sender");
	cpu1_done = true;
	ok(WAIT_UNTIL(psci_call(PSCI_AFFINITY_INFO64, cpu_mpidr[cpu], 0, 0) == 1, WAIT_US),
	   "the second CPU is off again");
}

static void test_more_active_than_lrs(void)
{
	u64 sgi = this_percpu()->rd_base + GICR_SGI_OFFSET;
	u32 six = 0x3f00; /* SGIs 8-13 */
	struct percpu *pc = this_percpu();

	local_irq_disable();
	gic_set_eoimode(true);
	mmio_write32(sgi + GICR_ISACTIVER0, six);
	check_eq(mmio_read32(sgi + GICR_ISACTIVER0) & six, six,
		 "six SGIs made active through GICR_ISACTIVER0");
	/* Highest INTID first: a vGIC lists the lowest ones (equal priority). */
	for (u32 i = 14; i-- > 8;)
		gic_write_dir(i);
	check_eq(mmio_read32(sgi + GICR_ISACTIVER0) & six, 0,
		 "EOImode 1: ICC_DIR_EL1 deactivates all six");
	gic_set_eoimode(false);
	irq_log_reset();
	gic_enable(13);
	local_irq_enable();
	gic_send_sgi(13, read_mpidr());
	ok(WAIT_UNTIL(pc->irq_count[13] == 1, WAIT_US), "and SGI 13 is taken again");
}

static void test_timers(void)
{
	if (!ok(timer_ppis(&ptimer_intid, &vtimer_intid), "the DT's timer node names its PPIs"))
		return;
	irq_set_handler(vtimer_intid, timer_handler);
	irq_set_handler(ptimer_intid, timer_handler);
	gic_enable(vtimer_intid);
	gic_enable(ptimer_intid);
	write_sysreg(cntv_cval_el0, vcount() + us_to_ticks(1000));
	write_sysreg(cntv_ctl_el0, CTL_ENABLE);
	isb();
	ok(WAIT_UNTIL(timer_fired[0] == 1, WAIT_US),
	   "without GICR_WAKER: the virtual timer's PPI %u is taken", vtimer_intid);
	write_sysreg(cntp_cval_el0, pcount() + us_to_ticks(1000));
	write_sysreg(cntp_ctl_el0, CTL_ENABLE);
	isb();
	ok(WAIT_UNTIL(timer_fired[1] == 1, WAIT_US),
	   "without GICR_WAKER: the physical timer's PPI %u is taken", ptimer_intid);
}

void guest_main(void)
{
	if (!ok(gic_init_nowake(), "GIC set up without touching GICR_WAKER"))
		bail_out("no usable GICv3");
	diag("GICR_WAKER of this CPU: 0x%x", mmio_read32(this_percpu()->rd_base + GICR_WAKER));
	test_self();
	test_two_cpus();
	test_more_active_than_lrs();
	test_timers();
	local_irq_disable();
	ok(this_percpu()->spurious == 0, "no spurious interrupt on this CPU");
}
