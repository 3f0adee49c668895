/* Secondary CPU bring-up (PSCI CPU_ON, Arm DEN 0022 5.6). */
#include <nv/arch.h>
#include <nv/log.h>
#include <nv/percpu.h>
#include <nv/psci.h>
#include <nv/sched.h>
#include <nv/smp.h>

struct percpu percpu[NR_CPUS];

extern char secondary_entry[];
__noreturn void secondary_main(u64 cpu);

static cpu_init_fn secondary_init;

int smp_find_cpu(const struct platform *p, u64 mpidr)
{
	for (unsigned i = 0; i < p->nr_cpus; i++)
		if ((p->cpu_mpidr[i] & MPIDR_AFF_MASK) == mpidr)
			return (int)i;
	return -1;
}

void secondary_main(u64 cpu)
{
	struct percpu *pc = &percpu[cpu];
	bool ok;

	set_this_cpu(pc);
	ok = secondary_init(pc->id);
	__atomic_store_n(&pc->state, ok ? CPU_ONLINE : CPU_FAILED,
			 __ATOMIC_RELEASE);
	/* Wait for VMs (the boot CPU powers off if there are none). */
	while (!ok || !sched_started())
		__asm__ volatile("wfe" ::: "memory");
	sched_run();
}

unsigned smp_boot_secondaries(const struct platform *p, unsigned boot_cpu,
			      cpu_init_fn init)
{
	unsigned online = 1;

	secondary_init = init;
	for (unsigned i = 0; i < p->nr_cpus; i++) {
		struct percpu *pc = &percpu[i];
		u64 end;
		int rc;

		if (i == boot_cpu)
			continue;
		pc->id = i;
		pc->mpidr = p->cpu_mpidr[i];
		pc->state = CPU_STARTING;
		arch_dcache_clean(pc, sizeof(*pc));
		arch_dcache_clean(&secondary_init, sizeof(secondary_init));
		rc = psci_cpu_on(pc->mpidr, (paddr_t)(uintptr_t)secondary_entry, i);
		if (rc != PSCI_SUCCESS) {
			pc->state = CPU_FAILED;
			pr_err("cpu%u (MPIDR 0x%llx): PSCI CPU_ON failed: %s\n", i,
			       (unsigned long long)pc->mpidr, psci_error_name(rc));
			continue;
		}
		/* Bounded wait: 5 s of counter time (emulated CPUs are slow). */
		end = arch_counter() + 5 * arch_counter_freq();
		while (__atomic_load_n(&pc->state, __ATOMIC_ACQUIRE) == CPU_STARTING &&
		       arch_counter() < end)
			arch_relax();
		switch (__atomic_load_n(&pc->state, __ATOMIC_ACQUIRE)) {
		case CPU_ONLINE:
			online++;
			break;
		case CPU_STARTING:
			pc->state = CPU_FAILED;
			pr_err("cpu%u (MPIDR 0x%llx) did not come online\n", i,
			       (unsigned long long)pc->mpidr);
			break;
		default:
			pr_err("cpu%u (MPIDR 0x%llx) failed its bring-up\n", i,
			       (unsigned long long)pc->mpidr);
			break;
		}
	}
	return online;
}
