/*
 * PSCI over the conduit the device tree names (/psci "method"), the CPU
 * list from /cpus, and starting and stopping secondary CPUs.
 */
#include <libfdt.h>
#include <string.h>

#include "guest.h"

unsigned nr_cpus = 1;
u64 cpu_mpidr[MAX_CPUS];
bool psci_hvc = true;

/* Read by start.S's secondary_entry (with the MMU on). */
struct {
	u64 stack_top;
	u64 idx;
} secondary_boot;

u8 cpu_stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));
static void (*volatile secondary_fn[MAX_CPUS])(u64 ctx);
/* CPU_ON calls that succeeded, and secondaries that got past secondary_boot. */
static unsigned boots_started;
static volatile unsigned boots_done;

void psci_init(void);
void secondary_c_entry(u64 ctx);

/*
 * PSCI and SMCCC return an int32 in w0: only the low 32 bits are looked
 * at (a conduit may leave the upper half zero or sign-extended).
 */
s64 psci_call(u32 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (psci_hvc)
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
				   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
				   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (s64)(s32)(u32)x0;
}

void psci_init(void)
{
	const void *fdt = guest_fdt;
	int node = fdt_path_offset(fdt, "/psci"), len;
	const char *method;
	u64 self = read_mpidr();

	if (node < 0)
		node = dt_find_compatible("arm,psci-1.0");
	if (node < 0)
		node = dt_find_compatible("arm,psci-0.2");
	method = node >= 0 ? fdt_getprop(fdt, node, "method", &len) : NULL;
	if (method && !strcmp(method, "smc"))
		psci_hvc = false;
	else if (!method || strcmp(method, "hvc"))
		diag("no /psci method in the DT: assuming hvc");

	/* CPUs: the boot CPU is logical 0, the others follow in DT order. */
	cpu_mpidr[0] = self;
	nr_cpus = 1;
	node = fdt_path_offset(fdt, "/cpus");
	if (node < 0)
		return;
	for (int cpu = fdt_first_subnode(fdt, node); cpu >= 0;
	     cpu = fdt_next_subnode(fdt, cpu)) {
		const char *type = fdt_getprop(fdt, cpu, "device_type", &len);
		u64 mpidr, size;

		if (!type || strcmp(type, "cpu") || !dt_reg(cpu, 0, &mpidr, &size))
			continue;
		mpidr &= MPIDR_AFF_MASK;
		if (mpidr == self)
			continue;
		if (nr_cpus == MAX_CPUS) {
			diag("more than %u CPUs in the DT: the others are not used", MAX_CPUS);
			break;
		}
		cpu_mpidr[nr_cpus++] = mpidr;
	}
}

int second_cpu(void)
{
	return nr_cpus > 1 ? 1 : -1;
}

s64 cpu_start(unsigned idx, void (*fn)(u64 ctx), u64 ctx)
{
	extern char secondary_entry[];
	struct percpu *pc = &percpu[idx];
	s64 ret;

	if (idx == 0 || idx >= nr_cpus)
		return PSCI_INVALID_PARAMS;
	/* One start in flight at a time: secondary_boot is shared. */
	if (!WAIT_UNTIL(boots_done == boots_started, 1000000))
		diag("a CPU started earlier never came up");
	if (!pc->online) {
		memset(pc, 0, sizeof(*pc));
		pc->idx = idx;
		pc->mpidr = cpu_mpidr[idx];
		secondary_fn[idx] = fn;
		secondary_boot.stack_top = (u64)(uintptr_t)&cpu_stacks[idx][STACK_SIZE];
		secondary_boot.idx = idx;
		dsb_sy();
	}
	ret = psci_call(PSCI_CPU_ON64, cpu_mpidr[idx], (u64)(uintptr_t)secondary_entry, ctx);
	if (ret == PSCI_SUCCESS)
		boots_started++;
	return ret;
}

void secondary_c_entry(u64 ctx)
{
	struct percpu *pc = this_percpu();

	pc->mpidr = read_mpidr();
	__atomic_store_n(&pc->online, true, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&boots_done, 1, __ATOMIC_SEQ_CST);
	secondary_fn[pc->idx](ctx);
	cpu_off_self();
}

noreturn void cpu_off_self(void)
{
	s64 ret;

	__atomic_store_n(&this_percpu()->online, false, __ATOMIC_SEQ_CST);
	dsb_sy();
	ret = psci_call(PSCI_CPU_OFF, 0, 0, 0);
	bail_out("PSCI CPU_OFF returned %ld", ret);
}

noreturn void system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	printf("# PSCI SYSTEM_OFF returned\n");
	for (;;)
		__asm__ volatile("wfi");
}
