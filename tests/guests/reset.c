/*
 * PSCI SYSTEM_RESET: the first boot starts the second CPU, leaves a mark in
 * RAM outside the image and resets the system from inside its virtual
 * timer's interrupt handler; the second boot finds the mark (RAM survives
 * a reset; the image is reloaded and starts again at its entry on the boot
 * CPU), checks the second CPU was stopped by the reset and that its timer
 * interrupt works again, clears the mark and powers off.
 */
#include "guest.h"

const char guest_name[] = "reset";

/* 64 MiB into RAM: far above the image, its stacks and the DTB region. */
#define MARK_ADDR 0x44000000UL
#define MARK_VALUE 0x5245534554212121UL /* "RESET!!!" */

static u32 vtimer_intid;
static volatile unsigned vtimer_irqs;

/* First boot: reset from inside the timer handler, the interrupt still active. */
static void reset_from_handler(u32 intid)
{
	(void)intid;
	diag("first boot: SYSTEM_RESET from the virtual timer's handler");
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	bail_out("SYSTEM_RESET returned");
}

static void count_vtimer(u32 intid)
{
	(void)intid;
	write_sysreg(cntv_ctl_el0, 0);
	vtimer_irqs++;
}

static bool arm_vtimer(void (*fn)(u32))
{
	u32 phys;

	if (!gic_init() || !gic_cpu_init() || !timer_ppis(&phys, &vtimer_intid))
		return false;
	irq_set_handler(vtimer_intid, fn);
	gic_enable(vtimer_intid);
	write_sysreg(cntv_cval_el0, vcount() + us_to_ticks(1000));
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	local_irq_enable();
	return true;
}

static void spin(u64 ctx)
{
	(void)ctx;
	for (;;)
		cpu_relax();
}

void guest_main(void)
{
	volatile u64 *mark = (volatile u64 *)MARK_ADDR;
	int cpu1 = second_cpu();

	if (*mark != MARK_VALUE) {
		if (cpu1 >= 0)
			ok(cpu_start((unsigned)cpu1, spin, 0) == 0,
			   "first boot: the second CPU starts and keeps running");
		diag("first boot: leaving a mark at 0x%lx and calling SYSTEM_RESET",
		     MARK_ADDR);
		*mark = MARK_VALUE;
		dsb_sy();
		if (!arm_vtimer(reset_from_handler))
			bail_out("no GIC or timer");
		WAIT_UNTIL(false, 2000000);
		bail_out("the virtual timer did not fire on the first boot");
	}
	ok(true, "second boot after SYSTEM_RESET: the mark in RAM survived");
	ok(read_mpidr() == cpu_mpidr[0], "second boot: started on the boot CPU");
	if (cpu1 >= 0)
		check_eq((u64)psci_call(PSCI_AFFINITY_INFO64, cpu_mpidr[cpu1], 0, 0), 1,
			 "second boot: the reset stopped the second CPU (AFFINITY_INFO: OFF)");
	/* The interrupt left active by the first life must not block this one. */
	ok(arm_vtimer(count_vtimer) && WAIT_UNTIL(vtimer_irqs > 0, 500000),
	   "second boot: the virtual timer interrupt is delivered");
	*mark = 0;
	dsb_sy();
	guest_exit();
}
