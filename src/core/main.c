/*
 * The boot CPU's path: device tree, console, boot parameters, CPU
 * features, memory, GIC and timer, secondary CPUs, then the summary.
 */
#include <nv/arch.h>
#include <nv/bootparam.h>
#include <nv/cpufeature.h>
#include <nv/fmt.h>
#include <nv/irq.h>
#include <nv/log.h>
#include <nv/mmu.h>
#include <nv/palloc.h>
#include <nv/percpu.h>
#include <nv/pl011.h>
#include <nv/platform.h>
#include <nv/power.h>
#include <nv/psci.h>
#include <nv/semihost.h>
#include <nv/smp.h>
#include <nv/timer.h>
#include <nv/scenario.h>

#include <nv_version.h>

#define TIMER_TEST_US 1000

static struct platform plat;
static struct bootparams bp;
static struct cpu_features feat;
static struct gic_info gic;
static enum nested_mode nested;

__noreturn void nv_main(paddr_t fdt);

static __noreturn void fail(const char *msg)
{
	pr_err("%s\n", msg);
	power_off(POWER_FAILURE);
}

static void console_setup(void)
{
	if (plat.has_uart && mmu_boot_map_device(plat.uart.reg.base, plat.uart.reg.size))
		pl011_console_init(plat.uart.reg.base);
	else if (semihost_available())
		semihost_console_init();
}

/* GIC CPU interface and the timer test: the bring-up of every CPU. */
static bool cpu_bringup(unsigned cpu)
{
	struct percpu *pc = &percpu[cpu];
	char err[160];

	if (!gicv3_init_cpu(&plat, pc->mpidr, &pc->gicr, err, sizeof(err))) {
		pr_err("cpu%u: %s\n", cpu, err);
		return false;
	}
	if (!timer_selftest_cpu(TIMER_TEST_US)) {
		pr_err("cpu%u: no EL2 physical timer interrupt (INTID %u) within 2 s\n",
		       cpu, plat.timer.hyp_phys_intid);
		return false;
	}
	pr_info("cpu%u: EL2 physical timer interrupt (INTID %u) taken, %llu us after its deadline\n",
		cpu, plat.timer.hyp_phys_intid,
		(unsigned long long)(pc->timer_late * 1000000 / timer_freq()));
	return true;
}

static const char *yn(bool b)
{
	return b ? "yes" : "no";
}

static void print_summary(unsigned online, unsigned timer_ok)
{
	u64 ram = 0;

	for (unsigned i = 0; i < plat.nr_mem; i++)
		ram += plat.mem[i].size;
	nv_print("\nnestvisor %s boot summary\n", NV_VERSION);
	nv_print("  CPUs:       %u online of %u\n", online, plat.nr_cpus);
	nv_print("  RAM:        %llu MiB in %u range(s), first [0x%llx, 0x%llx), %llu MiB free\n",
		 (unsigned long long)(ram >> 20), plat.nr_mem,
		 (unsigned long long)plat.mem[0].base,
		 (unsigned long long)(plat.mem[0].base + plat.mem[0].size),
		 (unsigned long long)(palloc_free_bytes() >> 20));
	nv_print("  GIC:        GICv%u distributor 0x%llx, %u SPIs, %u redistributor region(s) at 0x%llx, maintenance INTID %u\n",
		 gic.arch_rev, (unsigned long long)plat.gic.dist.base,
		 gic.nr_spis, plat.gic.nr_redist,
		 (unsigned long long)plat.gic.redist[0].base,
		 plat.gic.maint_intid);
	nv_print("  Timer:      %llu Hz, EL2 physical timer INTID %u fired on %u of %u CPUs\n",
		 (unsigned long long)timer_freq(), plat.timer.hyp_phys_intid,
		 timer_ok, plat.nr_cpus);
	nv_print("  Console:    %s %s\n", plat.has_uart ? "pl011" : "none",
		 plat.has_uart ? plat.uart.path : "");
	nv_print("  Features:   EL2 %s, VHE %s, FEAT_NV %s, FEAT_NV2 %s, NV1 %s, FEAT_ECV %s, FEAT_FGT %s, GICv3 sysregs %s\n",
		 yn(feat.el2), yn(feat.vhe), yn(feat.nv), yn(feat.nv2),
		 yn(feat.nv1), yn(feat.ecv != 0), yn(feat.fgt),
		 yn(feat.gicv3_sysregs));
	nv_print("  Memory:     PARange %u bits, VMID %u bits\n", feat.pa_bits,
		 feat.vmid_bits);
	nv_print("  Nesting:    %s (requested %s)\n", nested_mode_name(nested),
		 nested_mode_name(bp.nested));
	nv_print("  Boot args:  \"%s\"\n", plat.bootargs);
}

static void print_platform_debug(void)
{
	for (unsigned i = 0; i < plat.nr_mem; i++)
		pr_debug("platform: RAM [0x%llx, 0x%llx)\n",
			 (unsigned long long)plat.mem[i].base,
			 (unsigned long long)(plat.mem[i].base + plat.mem[i].size));
	for (unsigned i = 0; i < plat.nr_reserved; i++)
		pr_debug("platform: reserved [0x%llx, +0x%llx)\n",
			 (unsigned long long)plat.reserved[i].base,
			 (unsigned long long)plat.reserved[i].size);
	for (unsigned i = 0; i < plat.nr_cpus; i++)
		pr_debug("platform: cpu%u MPIDR 0x%llx\n", i,
			 (unsigned long long)plat.cpu_mpidr[i]);
	pr_debug("platform: device tree at 0x%llx, %llu bytes\n",
		 (unsigned long long)plat.fdt.base,
		 (unsigned long long)plat.fdt.size);
	if (plat.has_initrd)
		pr_debug("platform: initrd [0x%llx, +0x%llx)\n",
			 (unsigned long long)plat.initrd.base,
			 (unsigned long long)plat.initrd.size);
	pr_debug("platform: timer PPIs: EL1 phys %u, EL1 virt %u, EL2 phys %u, EL2 virt %u\n",
		 plat.timer.phys_intid, plat.timer.virt_intid,
		 plat.timer.hyp_phys_intid, plat.timer.hyp_virt_intid);
	pr_debug("platform: PSCI conduit %s\n",
		 plat.psci == PSCI_CONDUIT_SMC ? "smc" : "hvc");
}

static void selftest_crash(void)
{
	/* A load from an address no RAM or device region covers. */
	uintptr_t addr = 0x10;
	u64 v;

	pr_info("selftest=crash: loading from unmapped address 0x%lx\n",
		(unsigned long)addr);
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	pr_err("selftest=crash: the load did not fault (read 0x%llx)\n",
	       (unsigned long long)v);
}

void nv_main(paddr_t fdt)
{
	char err[256];
	struct id_regs idr;
	struct mem_region busy[3];
	unsigned nbusy = 0, online, timer_ok = 0;
	bool ok;
	int boot_cpu;

	semihost_probe();
	if (!fdt) {
		nv_snprintf(err, sizeof(err),
			    "device tree: none was passed (x0 == 0 at entry); boot nestvisor.bin as an arm64 Image so the loader passes one");
		ok = false;
	} else {
		ok = platform_parse((const void *)(uintptr_t)fdt, &plat, err,
				    sizeof(err));
	}
	console_setup();
	if (!ok)
		fail(err);
	psci_set_conduit(plat.psci);
	if (plat.psci == PSCI_CONDUIT_HVC)
		fail("device tree: /psci method is \"hvc\", but nestvisor runs at EL2 where HVC is its own call; the firmware must offer PSCI over \"smc\"");
	if (!bootparams_parse(plat.bootargs, &bp, err, sizeof(err)))
		fail(err);
	log_set_level(bp.loglevel);
	pr_info("nestvisor %s starting at EL2\n", NV_VERSION);
	print_platform_debug();

	arch_read_id_regs(&idr);
	cpu_features_decode(&idr, &feat);
	if (!cpu_features_supported(&feat, err, sizeof(err)))
		fail(err);
	if (!feat.gicv3_sysregs)
		fail("CPU: no GICv3 system register interface (ID_AA64PFR0_EL1.GIC == 0)");
	if (!nested_mode_resolve(bp.nested, &feat, &nested, err, sizeof(err)))
		fail(err);

	busy[nbusy].base = (paddr_t)(uintptr_t)_head;
	busy[nbusy++].size = (u64)(_end - _head);
	busy[nbusy++] = plat.fdt;
	if (plat.has_initrd)
		busy[nbusy++] = plat.initrd;
	if (!palloc_init(&plat, busy, nbusy))
		fail("memory: too many RAM and reserved ranges");
	if (!mmu_init_final(&plat, err, sizeof(err)))
		fail(err);

	boot_cpu = smp_find_cpu(&plat, arch_mpidr());
	if (boot_cpu < 0) {
		nv_snprintf(err, sizeof(err),
			    "device tree: no /cpus entry has the boot CPU's MPIDR 0x%llx",
			    (unsigned long long)arch_mpidr());
		fail(err);
	}
	percpu[boot_cpu].id = (unsigned)boot_cpu;
	percpu[boot_cpu].mpidr = arch_mpidr();
	percpu[boot_cpu].state = CPU_STARTING;
	set_this_cpu(&percpu[boot_cpu]);

	if (!gicv3_init_dist(&plat, &gic, err, sizeof(err)))
		fail(err);
	timer_init(&plat);
	if (bp.selftest == SELFTEST_CRASH)
		selftest_crash();

	if (!cpu_bringup((unsigned)boot_cpu))
		fail("boot CPU bring-up failed");
	percpu[boot_cpu].state = CPU_ONLINE;
	online = smp_boot_secondaries(&plat, (unsigned)boot_cpu, cpu_bringup);
	for (unsigned i = 0; i < plat.nr_cpus; i++)
		if (percpu[i].state == CPU_ONLINE && percpu[i].timer_irqs)
			timer_ok++;
	print_summary(online, timer_ok);
	if (online != plat.nr_cpus || timer_ok != plat.nr_cpus)
		fail("not every CPU came up with a working timer interrupt");
	if (!plat.has_initrd) {
		nv_print("nestvisor: no VM to run; powering off\n");
		power_off(POWER_SUCCESS);
	}
	scenario_run(&plat, &feat, &idr, nested);
}
