/*
 * PSCI SYSTEM_RESET: the first boot starts the second CPU, leaves a mark in
 * RAM outside the image and resets the system; the second boot finds the
 * mark (RAM survives a reset; the image is reloaded and starts again at its
 * entry on the boot CPU), checks the second CPU was stopped by the reset,
 * clears the mark and powers off.
 */
#include "guest.h"

const char guest_name[] = "reset";

/* 64 MiB into RAM: far above the image, its stacks and the DTB region. */
#define MARK_ADDR 0x44000000UL
#define MARK_VALUE 0x5245534554212121UL /* "RESET!!!" */

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
		psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		bail_out("SYSTEM_RESET returned");
	}
	ok(true, "second boot after SYSTEM_RESET: the mark in RAM survived");
	ok(read_mpidr() == cpu_mpidr[0], "second boot: started on the boot CPU");
	if (cpu1 >= 0)
		check_eq((u64)psci_call(PSCI_AFFINITY_INFO64, cpu_mpidr[cpu1], 0, 0), 1,
			 "second boot: the reset stopped the second CPU (AFFINITY_INFO: OFF)");
	*mark = 0;
	dsb_sy();
	guest_exit();
}
