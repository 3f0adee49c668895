/*
 * Exits per guest operation, counted by nestvisor (its NV_HC_EXIT_COUNT
 * call: SMCCC vendor-hypervisor function 0xc6000001). Each operation runs
 * N times between two counts; the result is printed as "bench <op>: E
 * exits/op" (two decimals) plus the interrupt/MMIO/system-register share.
 * Counts, not timings: the same under -icount or not. On QEMU alone the
 * call is not there and the guest says so.
 */
#include "guest.h"

const char guest_name[] = "bench";

#define NV_HC_EXIT_COUNT 0xc6000001u
#define N 200
#define SGI_BENCH 3

static u64 dev;
static u32 vtimer_intid;
static volatile unsigned sgis, ticks;

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

static void report(const char *op, struct counts a, struct counts b)
{
	/* b.total includes the second count call's own exit. */
	u64 e = (b.total - a.total - 1) * 100 / N;

	printf("bench %s: %lu.%02lu exits/op (irq %lu, mmio %lu, sysreg %lu in %u ops)\n",
	       op, e / 100, e % 100, b.irq - a.irq, b.mmio - a.mmio,
	       b.sysreg - a.sysreg, N);
	ok(b.total > a.total, "bench %s: counted", op);
}

static void sgi_handler(u32 intid)
{
	(void)intid;
	sgis++;
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

static void op_vtimer(void)
{
	unsigned before = ticks;

	write_sysreg(cntv_cval_el0, vcount() + us_to_ticks(20));
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	WAIT_UNTIL(ticks != before, 1000000);
}

static void op_wfi(void)
{
	unsigned before = ticks;

	write_sysreg(cntv_cval_el0, vcount() + us_to_ticks(20));
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	while (ticks == before)
		__asm__ volatile("wfi" ::: "memory");
}

static void run(const char *name, void (*op)(void))
{
	struct counts a, b;

	a = count();
	for (unsigned i = 0; i < N; i++)
		op();
	b = count();
	report(name, a, b);
}

void guest_main(void)
{
	int node = dt_find_compatible("nestvisor,test-mmio");
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
	gic_enable(SGI_BENCH);
	irq_set_handler(vtimer_intid, vtimer_handler);
	gic_enable(vtimer_intid);
	local_irq_enable();

	run("hvc-null", op_hvc);
	run("mmio-read", op_mmio);
	run("ptimer-ctl-read", op_ptimer);
	run("sgi-self", op_sgi);
	run("vtimer-irq", op_vtimer);
	run("wfi-vtimer-wakeup", op_wfi);
	local_irq_disable();
	guest_exit();
}
