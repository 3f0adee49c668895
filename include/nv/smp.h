/* Bringing up the secondary CPUs with PSCI CPU_ON. */
#ifndef NV_SMP_H
#define NV_SMP_H

#include <nv/platform.h>

/* The per-CPU bring-up every CPU runs (GIC CPU interface, timer test). */
typedef bool (*cpu_init_fn)(unsigned cpu);

/* Starts every CPU of the platform but the caller; returns how many came online. */
unsigned smp_boot_secondaries(const struct platform *p, unsigned boot_cpu,
			      cpu_init_fn init);
/* The boot CPU's logical index: the /cpus entry whose reg is our MPIDR. */
int smp_find_cpu(const struct platform *p, u64 mpidr);

#endif
