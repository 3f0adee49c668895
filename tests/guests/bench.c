/*
 * Cost of one guest operation, two ways. Exits: counted by nestvisor (its
 * NV_HC_EXIT_COUNT call: SMCCC vendor-hypervisor function 0xc6000001)
 * around N operations. Instructions: the virtual counter read around the
 * same N operations; under QEMU -icount shift=0 one instruction is one
 * nanosecond of virtual time, so counter ticks * 10^9 / CNTFRQ are the
 * instructions every CPU retired meanwhile (loop overhead included, as in
 * the figures measured for KVM). A line per operation:
 *   bench <op>: E exits/op (irq I, mmio M, sysreg S in N ops), C insns/op
 * Every CPU of the VM but the first waits in WFI with its GIC set up; the
 * second one is the target of the cross-vCPU SGI. On QEMU alone the exit
 * count call is not there and the guest says so.
 */
#include "guest.h"

const char guest_name[] = "bench";

#define NV_HC_EXIT_COUNT 0xc6000001u
#define N 200
#define SGI_BENCH 3
#define SGI_CROSS 4
#define GICD_TYPER 0x4
/* The WFI wake-up waits this long for its timer (instructions not counted). */
#define WFI_SLEEP_US 20

static u64 dev;
static u32 vtimer_intid;
static volatile unsigned sgis, ticks, cross_sgis, parked;
static int target = -1;
/* WFI wake-up: counter ticks from each timer deadline to the wake-up. */
static u64 wfi_late;

struct counts {
	u64 total, irq, mmio, sysreg;
};

static struct counts count(void)
{
	register u64 x0 __asm__("x0") = NV_HC_EXIT_COUNT;
	register u64 x1 __asm__("x1") = 0;
	register u64 x2 __asm__("x2") = 0;
	register u64 x3 __asm__("x3") = 0;
	struct counts c;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	c.total = x0;
	c.irq = x1;
	c.mmio = x2;
	c.sysreg = x3;
	return c;
}

/* Counter ticks as instructions (one per ns under -icount shift=0). */
static u64 ticks_to_insns(u64 t)
{
	u64 f = counter_freq();

	return t / f * 1000000000u + t % f * 1000000000u / f;
}

static void report(const char *op, struct counts a, struct counts b, u64 ticks_spent)
{
	/* b.total includes the second count call's own exit. */
	u64 e = (b.total - a.total - 1) * 100 / N;

	printf("bench %s: %lu.%02lu exits/op (irq %lu, mmio %lu, sysreg %lu in %u ops), %lu insns/op\n",
	       op, e / 100, e % 100, b.irq - a.irq, b.mmio - a.mmio,
	       b.sysreg - a.sysreg, N, ticks_to_insns(ticks_spent) / N);
	ok(b.total > a.total, "bench %s: counted", op);
}

static void sgi_handler(u32 intid)
{
	(void)intid;
	sgis++;
}

static void cross_handler(u32 intid)
{
	(void)intid;
	cross_sgis++;
}

static void vtimer_handler(u32 intid)
{
	(void)intid;
	write_sysreg(cntv_ctl_el0, 0);
	ticks++;
}

static void op_hvc(void)
{
	psci_call(0xc6000002u, 0, 0, 0); /* an unknown vendor call */
}

static void op_mmio(void)
{
	(void)mmio_read32(dev + 0x100);
}

static void op_gicd(void)
{
	(void)mmio_read32(gicd_base + GICD_TYPER);
}

static void op_ptimer(void)
{
	(void)read_sysreg(cntp_ctl_el0);
}

static void op_sgi(void)
{
	unsigned before = sgis;

	gic_send_sgi(SGI_BENCH, read_mpidr());
	WAIT_UNTIL(sgis != before, 1000000);
}

/* SGI to the second vCPU, sleeping in WFI, until its handler has run. */
static void op_sgi_cross(void)
{
	unsigned before = cross_sgis;

	gic_send_sgi(SGI_CROSS, cpu_mpidr[target]);
	WAIT_UNTIL(cross_sgis != before, 1000000);
}

/* A virtual timer interrupt due at once, taken and handled. */
static void op_vtimer(void)
{
	unsigned before = ticks;

	write_sysreg(cntv_cval_el0, vcount());
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	WAIT_UNTIL(ticks != before, 1000000);
}

/* WFI until the virtual timer fires; the wait itself is not counted. */
static void op_wfi(void)
{
	unsigned before = ticks;
	u64 deadline = vcount() + us_to_ticks(WFI_SLEEP_US);

	write_sysreg(cntv_cval_el0, deadline);
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	while (ticks == before)
		__asm__ volatile("wfi" ::: "memory");
	wfi_late += vcount() - deadline;
}

static void run(const char *name, void (*op)(void))
{
	struct counts a, b;
	u64 t0, t1;

	wfi_late = 0;
	a = count();
	t0 = vcount();
	for (unsigned i = 0; i < N; i++)
		op();
	t1 = vcount();
	b = count();
	report(name, a, b, op == op_wfi ? wfi_late : t1 - t0);
}

/* The other vCPUs: GIC set up, the cross SGI enabled, then WFI for good. */
static void park(u64 ctx)
{
	(void)ctx;
	if (gic_cpu_init()) {
		gic_enable(SGI_CROSS);
		local_irq_enable();
	}
	__atomic_add_fetch(&parked, 1, __ATOMIC_SEQ_CST);
	for (;;)
		__asm__ volatile("wfi" ::: "memory");
}

void guest_main(void)
{
	int node = dt_find_compatible("nestvisor,test-mmio");
	unsigned started = 0;
	u64 size;
	u32 phys;

	if ((s64)count().total < 0) {
		skip("no NV_HC_EXIT_COUNT call (not under nestvisor)", "exit counts");
		guest_exit();
	}
	if (node < 0 || !dt_reg(node, 0, &dev, &size))
		bail_out("no nestvisor,test-mmio device");
	if (!gic_init() || !gic_cpu_init() || !timer_ppis(&phys, &vtimer_intid))
		bail_out("GIC or timer set-up failed");
	irq_set_handler(SGI_BENCH, sgi_handler);
	irq_set_handler(SGI_CROSS, cross_handler);
	gic_enable(SGI_BENCH);
	irq_set_handler(vtimer_intid, vtimer_handler);
	gic_enable(vtimer_intid);
	target = second_cpu();
	for (unsigned i = 1; i < nr_cpus; i++)
		started += cpu_start(i, park, 0) == PSCI_SUCCESS;
	ok(started == nr_cpus - 1 && WAIT_UNTIL(parked == started, 1000000),
	   "the other vCPUs are up and waiting in WFI");
	diag("bench: %u vCPUs, GICD_TYPER 0x%x", nr_cpus, mmio_read32(gicd_base + GICD_TYPER));
	local_irq_enable();

	run("hvc-null", op_hvc);
	run("mmio-read", op_mmio);
	run("gicd-read", op_gicd);
	run("ptimer-ctl-read", op_ptimer);
	run("sgi-self", op_sgi);
	if (target > 0)
		run("sgi-cross", op_sgi_cross);
	else
		skip("one CPU in /cpus", "bench sgi-cross");
	run("vtimer-irq", op_vtimer);
	run("wfi-vtimer-wakeup", op_wfi);
	local_irq_disable();
	guest_exit();
}
