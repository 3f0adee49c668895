/*
 * A guest that misbehaves on purpose: it touches what nestvisor does not
 * emulate, in every way an EL1 guest can, and checks that each comes back
 * as the architecture says it should (an UNDEF or an external abort in the
 * guest) while the hypervisor keeps running. It also leaves its second CPU
 * spinning through instruction aborts outside RAM until the end. Run under
 * nestvisor (strict): on QEMU alone the PMU and SVE are really there.
 */
#include "guest.h"

const char guest_name[] = "hostile";

#define EC_SVE 0x19

static bool expect_exc(const char *what, unsigned ec, void (*fn)(u64), u64 arg)
{
	struct exc_record r;
	bool taken;

	exc_expect();
	fn(arg);
	taken = exc_take(&r);
	if (!ok(taken, "%s: taken as a synchronous exception", what))
		return false;
	return check_eq(ESR_EC(r.esr), ec, "%s: EC", what);
}

static void read_pmcr(u64 arg)
{
	u64 v;

	(void)arg;
	__asm__ volatile("mrs %0, s3_3_c9_c12_0" : "=r"(v) :: "memory"); /* PMCR_EL0 */
}

static void rdvl(u64 arg)
{
	(void)arg;
	__asm__ volatile(".inst 0x04bf5020" ::: "x0", "memory"); /* rdvl x0, #1 */
}

/* A pair load has no syndrome (ISV = 0): nestvisor cannot emulate it. */
static void ldp_mmio(u64 addr)
{
	u64 a, b;

	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(addr) : "memory");
}

static void load64(u64 addr)
{
	(void)mmio_read64(addr);
}

void guest_main(void)
{
	int cpu1 = second_cpu();
	int gic = dt_find_compatible("arm,gic-v3");
	u64 gicd = 0, size;
	struct exc_record rec;
	s64 r;

	if (!strict_mode()) {
		skip("nestvisor only", "hostile guest");
		guest_exit();
	}
	if (gic < 0 || !dt_reg(gic, 0, &gicd, &size))
		bail_out("no arm,gic-v3 node");
	/* The second CPU starts where nothing is mapped: instruction aborts forever. */
	if (cpu1 >= 0) {
		r = psci_call(PSCI_CPU_ON64, cpu_mpidr[cpu1], 0x10, 0);
		check_eq((u64)r, PSCI_SUCCESS, "CPU_ON with an entry point outside RAM is accepted");
	}
	expect_exc("PMCR_EL0 read (no PMU)", EC_UNKNOWN, read_pmcr, 0);
	/* With the guest's own SVE trap off (CPACR_EL1.ZEN), EL2's decides. */
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | (3UL << 16));
	isb();
	expect_exc("RDVL with CPACR_EL1.ZEN on (no SVE)", EC_UNKNOWN, rdvl, 0);
	expect_exc("LDP from the distributor (ISV = 0)", EC_DABT_CUR, ldp_mmio, gicd);
	expect_exc("64-bit load from a redistributor frame no vCPU has", EC_DABT_CUR,
		   load64, 0x080a0000UL + 0x20000UL * 64);
	/*
	 * ICC_SGI1R_EL1 with affinities no vCPU has, and broadcast: the GIC
	 * drops SGIs with no target; the writes themselves never fault.
	 */
	exc_expect();
	write_sysreg(s3_0_c12_c11_5, (0xffUL << 48) | (0xffUL << 32) | 0xffff);
	write_sysreg(s3_0_c12_c11_5, BIT(40) | (15UL << 24));
	isb();
	ok(!exc_take(&rec), "ICC_SGI1R_EL1 writes to affinities no vCPU has take no exception");
	/* Calls nobody implements. */
	r = psci_call(0xc5000000, 1, 2, 3);
	check_eq((u64)r, (u64)PSCI_NOT_SUPPORTED, "an unknown SMC64 function returns NOT_SUPPORTED");
	r = psci_call(PSCI_CPU_ON64, 0xffffffffffUL, 0, 0);
	check_eq((u64)r, (u64)PSCI_INVALID_PARAMS, "CPU_ON of an MPIDR no vCPU has");
	r = psci_call(PSCI_AFFINITY_INFO64, cpu_mpidr[0], 3, 0);
	check_eq((u64)r, (u64)PSCI_INVALID_PARAMS, "AFFINITY_INFO at a level above 0");
	guest_exit();
}
