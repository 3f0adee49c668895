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

#define NV_HC_EXIT_COUNT 0xc6000001u

/* nestvisor's count of this vCPU's emulated system register accesses. */
static u64 sysreg_exits(void)
{
	register u64 x0 __asm__("x0") = NV_HC_EXIT_COUNT;
	register u64 x1 __asm__("x1") = 0;
	register u64 x2 __asm__("x2") = 0;
	register u64 x3 __asm__("x3") = 0;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x3;
}

/* Registers the hardware must never see from a guest: each access traps. */
static void read_cpuactlr(u64 arg)
{
	(void)arg;
	(void)read_sysreg(s3_1_c15_c2_0); /* IMPLEMENTATION DEFINED (CRn 15) */
}

static void read_l2ctlr(u64 arg)
{
	(void)arg;
	(void)read_sysreg(s3_1_c11_c0_2); /* IMPLEMENTATION DEFINED (CRn 11) */
}

static void read_erridr(u64 arg)
{
	(void)arg;
	(void)read_sysreg(s3_0_c5_c3_0); /* ERRIDR_EL1: RAS not offered */
}

static void write_errselr(u64 arg)
{
	write_sysreg(s3_0_c5_c3_1, arg); /* ERRSELR_EL1 */
}

static void read_pmscr(u64 arg)
{
	(void)arg;
	(void)read_sysreg(s3_0_c9_c9_0); /* PMSCR_EL1: no SPE */
}

static void write_mpam1(u64 arg)
{
	write_sysreg(s3_0_c10_c5_0, arg); /* MPAM1_EL1: no MPAM offered */
}

static void read_scxtnum(u64 arg)
{
	(void)arg;
	(void)read_sysreg(s3_0_c13_c0_7); /* SCXTNUM_EL1: CSV2 capped at 1 */
}

static void read_oslar(u64 arg)
{
	(void)arg;
	(void)read_sysreg(s2_0_c1_c0_4); /* OSLAR_EL1 is write-only */
}

/*
 * The OS Lock, the double lock and ACTLR_EL1 are
 * emulated: each access is one of nestvisor's system register exits, and
 * reads show the emulated state, not the CPU's.
 */
static void trapped_debug_and_actlr(void)
{
	u64 before = sysreg_exits(), actlr = read_sysreg(actlr_el1);

	write_sysreg(actlr_el1, ~actlr);
	isb();
	check_eq(read_sysreg(actlr_el1), actlr, "ACTLR_EL1 writes are ignored");
	write_sysreg(s2_0_c1_c0_4, 0);           /* OSLAR_EL1: unlock */
	isb();
	check_eq(read_sysreg(s2_0_c1_c1_4), 0x8, "OSLSR_EL1 after OSLAR_EL1 = 0");
	write_sysreg(s2_0_c1_c0_4, 1);           /* lock */
	isb();
	check_eq(read_sysreg(s2_0_c1_c1_4), 0xa, "OSLSR_EL1 after OSLAR_EL1 = 1");
	write_sysreg(s2_0_c1_c3_4, 1);           /* OSDLR_EL1.DLK */
	isb();
	check_eq(read_sysreg(s2_0_c1_c3_4), 0, "OSDLR_EL1 is RAZ/WI (no double lock)");
	write_sysreg(s2_0_c1_c0_4, 0);
	isb();
	/*
	 * 10 accesses, the exit-count call's own exit not among them.
	 * (DBGPRCR_EL1, also TDOSA's, is not implemented by QEMU's CPU: it is
	 * UNDEFINED before any trap, so only the unit test covers it.)
	 */
	check_eq(sysreg_exits() - before, 10,
		 "ACTLR, OSLAR, OSLSR, OSDLR accesses all trapped to nestvisor");
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
	expect_exc("IMPLEMENTATION DEFINED S3_1_C15_C2_0 read (HCR_EL2.TIDCP)", EC_UNKNOWN,
		   read_cpuactlr, 0);
	expect_exc("IMPLEMENTATION DEFINED S3_1_C11_C0_2 read (HCR_EL2.TIDCP)", EC_UNKNOWN,
		   read_l2ctlr, 0);
	expect_exc("ERRIDR_EL1 read (HCR_EL2.TERR, no RAS)", EC_UNKNOWN, read_erridr, 0);
	expect_exc("ERRSELR_EL1 write (HCR_EL2.TERR, no RAS)", EC_UNKNOWN, write_errselr, 1);
	expect_exc("PMSCR_EL1 read (MDCR_EL2.TPMS, no SPE)", EC_UNKNOWN, read_pmscr, 0);
	expect_exc("OSLAR_EL1 read (write-only)", EC_UNKNOWN, read_oslar, 0);
	expect_exc("MPAM1_EL1 write (MPAM2_EL2.TRAPMPAM1EL1, no MPAM)", EC_UNKNOWN,
		   write_mpam1, 1UL << 16);
	expect_exc("SCXTNUM_EL1 read (HCR_EL2.EnSCXT = 0)", EC_UNKNOWN, read_scxtnum, 0);
	trapped_debug_and_actlr();
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
