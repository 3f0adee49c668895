/*
 * PSCI and SMCCC through the DT's conduit: version and feature discovery,
 * CPU_ON/CPU_OFF/AFFINITY_INFO of a second CPU (with its context id), the
 * error returns, and SYSTEM_OFF at the end.
 */
#include "guest.h"

const char guest_name[] = "psci";

extern char secondary_entry[];

#define CTX1 0x5a5a0000c0ffee01UL
#define CTX2 0x00000000a5a5a502UL

static volatile u64 got_ctx, got_mpidr;
static volatile unsigned runs;
static volatile bool may_stop;

static void second_cpu_main(u64 ctx)
{
	got_ctx = ctx;
	got_mpidr = read_mpidr();
	__atomic_add_fetch(&runs, 1, __ATOMIC_SEQ_CST);
	/* Stay on until told to stop; cpu_start's caller then sees CPU_OFF. */
	WAIT_UNTIL(may_stop, 20000000);
}

static const struct {
	u32 fn;
	const char *name;
} mandatory[] = {
	{ PSCI_VERSION, "PSCI_VERSION" },
	{ PSCI_CPU_SUSPEND64, "CPU_SUSPEND (SMC64)" },
	{ PSCI_CPU_OFF, "CPU_OFF" },
	{ PSCI_CPU_ON64, "CPU_ON (SMC64)" },
	{ PSCI_AFFINITY_INFO64, "AFFINITY_INFO (SMC64)" },
	{ PSCI_SYSTEM_OFF, "SYSTEM_OFF" },
	{ PSCI_SYSTEM_RESET, "SYSTEM_RESET" },
	{ PSCI_FEATURES, "PSCI_FEATURES" },
};

static void test_versions(void)
{
	s64 v = psci_call(PSCI_VERSION, 0, 0, 0), f;

	diag("PSCI_VERSION = %ld.%ld", v >> 16, v & 0xffff);
	ok(v >= 0 && (v >> 16) >= 1, "PSCI_VERSION: major >= 1");

	for (unsigned i = 0; i < ARRAY_SIZE(mandatory); i++) {
		f = psci_call(PSCI_FEATURES, mandatory[i].fn, 0, 0);
		if (mandatory[i].fn == PSCI_CPU_SUSPEND64) {	/* returns its flags */
			diag("PSCI_FEATURES(%s) = %ld", mandatory[i].name, f);
			ok(f >= 0, "PSCI_FEATURES(%s): implemented", mandatory[i].name);
		} else {
			check_eq((u64)f, 0, "PSCI_FEATURES(%s): implemented (0)", mandatory[i].name);
		}
	}
	f = psci_call(PSCI_FEATURES, 0x8400ffff, 0, 0);
	check_eq((u64)f, (u64)PSCI_NOT_SUPPORTED, "PSCI_FEATURES(0x8400ffff): NOT_SUPPORTED");

	/*
	 * SMCCC >= 1.1 is discovered with PSCI_FEATURES(SMCCC_VERSION); a
	 * conduit without it is SMCCC 1.0 (plain QEMU), where SMCCC_VERSION is
	 * an unknown function. "strict" in bootargs requires SMCCC 1.1.
	 */
	f = psci_call(PSCI_FEATURES, SMCCC_VERSION, 0, 0);
	v = psci_call(SMCCC_VERSION, 0, 0, 0);
	if (f == 0 || strict_mode()) {
		diag("PSCI_FEATURES(SMCCC_VERSION) = %ld, SMCCC_VERSION = 0x%lx", f, (u64)v);
		ok(v >= 0x10001, "SMCCC_VERSION >= 1.1");
	} else {
		diag("PSCI_FEATURES(SMCCC_VERSION) = %ld: the conduit is SMCCC 1.0", f);
		check_eq((u64)v, (u64)PSCI_NOT_SUPPORTED,
			 "SMCCC 1.0 conduit: SMCCC_VERSION is NOT_SUPPORTED");
	}
	v = psci_call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0);
	diag("SMCCC_ARCH_FEATURES(SMCCC_ARCH_WORKAROUND_1) = %ld", v);
	v = psci_call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
	diag("MIGRATE_INFO_TYPE = %ld", v);

	v = psci_call(0x8400ffff, 0, 0, 0);
	check_eq((u64)v, (u64)PSCI_NOT_SUPPORTED, "unknown function 0x8400ffff: NOT_SUPPORTED");
}

static s64 affinity(u64 mpidr)
{
	return psci_call(PSCI_AFFINITY_INFO64, mpidr, 0, 0);
}

/* CPU_ON with ctx, check it runs with x0 == ctx, then CPU_OFF. */
static bool start_and_stop(unsigned cpu, u64 ctx, const char *round)
{
	u64 mpidr = cpu_mpidr[cpu];
	unsigned before = runs;
	s64 r;

	may_stop = false;
	r = psci_call(PSCI_AFFINITY_INFO64, mpidr, 0, 0);
	check_eq((u64)r, 1, "%s: AFFINITY_INFO before CPU_ON: OFF (1)", round);
	diag("%s: CPU_ON(MPIDR 0x%lx, context 0x%lx)", round, mpidr, ctx);
	r = cpu_start(cpu, second_cpu_main, ctx);
	if (!check_eq((u64)r, 0, "%s: CPU_ON: SUCCESS", round))
		return false;
	if (!ok(WAIT_UNTIL(runs != before, 1000000), "%s: the CPU runs", round))
		return false;
	check_eq(got_ctx, ctx, "%s: the new CPU's x0 is the context id", round);
	check_eq(got_mpidr, mpidr, "%s: the new CPU's MPIDR is the target", round);
	r = affinity(mpidr);
	check_eq((u64)r, 0, "%s: AFFINITY_INFO: ON (0)", round);

	r = cpu_start(cpu, second_cpu_main, ctx);
	check_eq((u64)r, (u64)PSCI_ALREADY_ON, "%s: CPU_ON of the running CPU: ALREADY_ON", round);

	may_stop = true;
	ok(WAIT_UNTIL(affinity(mpidr) == 1, 1000000),
	   "%s: after its CPU_OFF, AFFINITY_INFO: OFF (1)", round);
	return true;
}

static void test_cpus(void)
{
	int cpu = second_cpu();
	s64 r;

	r = psci_call(PSCI_CPU_ON64, read_mpidr(), (u64)(uintptr_t)secondary_entry, 0);
	check_eq((u64)r, (u64)PSCI_ALREADY_ON, "CPU_ON of the calling CPU: ALREADY_ON");
	r = psci_call(PSCI_CPU_ON64, 0xfefefe, (u64)(uintptr_t)secondary_entry, 0);
	check_eq((u64)r, (u64)PSCI_INVALID_PARAMS, "CPU_ON(MPIDR 0xfefefe): INVALID_PARAMETERS");
	r = affinity(0xfefefe);
	check_eq((u64)r, (u64)PSCI_INVALID_PARAMS, "AFFINITY_INFO(MPIDR 0xfefefe): INVALID_PARAMETERS");
	r = affinity(read_mpidr());
	check_eq((u64)r, 0, "AFFINITY_INFO of the calling CPU: ON (0)");

	if (cpu < 0) {
		if (strict_mode())
			ok(false, "a second CPU in /cpus");
		else
			skip("one CPU in /cpus", "CPU_ON / CPU_OFF of a second CPU");
		return;
	}
	if (start_and_stop((unsigned)cpu, CTX1, "first start"))
		start_and_stop((unsigned)cpu, CTX2, "restart after CPU_OFF");
}

/*
 * The conduit the device tree does not name: nestvisor answers PSCI over
 * both HVC and SMC (a guest at EL1 may use either). QEMU's own PSCI only
 * answers the one it advertises, so outside strict mode this is skipped.
 */
static void test_other_conduit(void)
{
	const char *other = psci_hvc ? "SMC" : "HVC";
	s64 v;

	if (!strict_mode()) {
		skip("only nestvisor offers both conduits",
		     "PSCI_VERSION over %s", other);
		return;
	}
	psci_hvc = !psci_hvc;
	v = psci_call(PSCI_VERSION, 0, 0, 0);
	psci_hvc = !psci_hvc;
	check_eq((u64)v & 0xffffffffu, 0x10001, "PSCI_VERSION over %s is 1.1", other);
}

void guest_main(void)
{
	test_versions();
	test_other_conduit();
	test_cpus();
	diag("the run ends with PSCI SYSTEM_OFF");
}
