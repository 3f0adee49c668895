/*
 * A CPU waiting in WFI with no timer armed is woken at once by a write of
 * another CPU that makes an interrupt deliverable to it: an SPI made
 * pending (GICD_ISPENDR) or enabled (GICD_ISENABLER), its group enabled
 * (GICD_CTLR.EnableGrp1), a pending SPI moved to it (GICD_IROUTER), an SGI
 * made pending in its redistributor (GICR_ISPENDR0 of another CPU), an SGI
 * sent to it (ICC_SGI1R_EL1). The time from the write to the interrupt's
 * acknowledgement on the sleeping CPU is measured with the counter and
 * must be far below a scheduler time slice (10 ms under nestvisor).
 */
#include "guest.h"

const char guest_name[] = "wake";

#define SPI		42u
#define SGI_WAKE	6
#define GICD_CTLR	0x0000
#define GICD_CTLR_ARE	BIT(4)
#define GICD_CTLR_G1A	BIT(1)
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_IROUTER	0x6000

#define WAIT_US		1000000
/*
 * A time slice is 10 ms. Under nestvisor (strict) the case runs with
 * QEMU's -icount, where a microsecond is a thousand instructions whatever
 * the host's load; on QEMU alone the host's scheduling shows through.
 */
#define BOUND_US_STRICT	1000
#define BOUND_US	5000
#define ROUNDS		3

static volatile bool cpu1_ready, cpu1_done;
static volatile unsigned woken;
static volatile u64 woken_at;

static void wake_handler(u32 intid)
{
	(void)intid;
	woken_at = vcount();
	woken++;
}

static void cpu1_main(u64 ctx)
{
	(void)ctx;
	if (!gic_cpu_init())
		return;
	irq_set_handler(SPI, wake_handler);
	irq_set_handler(SGI_WAKE, wake_handler);
	gic_set_priority(SGI_WAKE, 0x80);
	gic_enable(SGI_WAKE);
	local_irq_enable();
	cpu1_ready = true;
	/* Nothing else to do: sleep until an interrupt, no timer armed. */
	while (!cpu1_done)
		__asm__ volatile("wfi" ::: "memory");
	local_irq_disable();
}

static void route(u64 mpidr)
{
	mmio_write64(gicd_base + GICD_IROUTER + 8UL * SPI, mpidr & MPIDR_AFF_MASK);
}

static void spi_reg(u64 reg)
{
	mmio_write32(gicd_base + reg + (SPI / 32) * 4, (u32)BIT(SPI % 32));
}

/*
 * Lets the second CPU fall asleep, runs the write, checks the wake-up;
 * three times, the best of which must be within the bound (the host may
 * be busy, a wake-up left to the next time slice would miss it each time).
 */
static void one(const char *what, void (*prepare)(void), void (*write)(void))
{
	u64 best = ~0UL, bound = strict_mode() ? BOUND_US_STRICT : BOUND_US;
	unsigned i;

	for (i = 0; i < ROUNDS; i++) {
		unsigned before;
		u64 t0;

		if (prepare)
			prepare();
		before = woken;
		udelay(5000); /* the second CPU is in WFI by now */
		t0 = vcount();
		write();
		if (!WAIT_UNTIL(woken == before + 1, WAIT_US))
			break;
		if (woken_at - t0 < best)
			best = woken_at - t0;
	}
	if (!ok(i == ROUNDS, "%s wakes the CPU in WFI (%u times)", what, ROUNDS))
		return;
	diag("%s: acknowledged %lu us after the write (best of %u)", what, ticks_to_us(best),
	     ROUNDS);
	ok(best < us_to_ticks(bound), "%s: within %lu us", what, bound);
}

static u64 cpu1_mpidr;

static void w_ispendr(void) { spi_reg(GICD_ISPENDR); }
static void p_isenabler(void) { spi_reg(GICD_ICENABLER); spi_reg(GICD_ISPENDR); }
static void w_isenabler(void) { spi_reg(GICD_ISENABLER); }
static void p_ctlr(void)
{
	mmio_write32(gicd_base + GICD_CTLR, (u32)GICD_CTLR_ARE);
	spi_reg(GICD_ISPENDR);
}
static void w_ctlr(void) { mmio_write32(gicd_base + GICD_CTLR, (u32)(GICD_CTLR_ARE | GICD_CTLR_G1A)); }
/* Pending for this CPU, which has IRQs masked, then moved. */
static void p_irouter(void) { local_irq_disable(); route(read_mpidr()); spi_reg(GICD_ISPENDR); }
static void w_irouter(void) { route(cpu1_mpidr); }
static void w_gicr(void)
{
	mmio_write32(percpu[1].rd_base + GICR_SGI_OFFSET + GICR_ISPENDR0, (u32)BIT(SGI_WAKE));
}
static void w_sgi(void) { gic_send_sgi(SGI_WAKE, cpu1_mpidr); }

void guest_main(void)
{
	int cpu = second_cpu();

	if (!ok(gic_init(), "GICv3 set up"))
		bail_out("no usable GICv3");
	if (cpu < 0) {
		if (strict_mode())
			ok(false, "a second CPU in /cpus");
		else
			skip("one CPU in /cpus", "wake-ups of a CPU in WFI");
		guest_exit();
	}
	cpu1_mpidr = cpu_mpidr[cpu];
	mmio_write32(gicd_base + GICD_IGROUPR + (SPI / 32) * 4,
		     mmio_read32(gicd_base + GICD_IGROUPR + (SPI / 32) * 4) | (u32)BIT(SPI % 32));
	gic_set_priority(SPI, 0x80);
	route(cpu1_mpidr);
	gic_enable(SPI);
	if (!check_eq((u64)cpu_start((unsigned)cpu, cpu1_main, 0), 0, "PSCI CPU_ON of the second CPU") ||
	    !ok(WAIT_UNTIL(cpu1_ready, WAIT_US), "the second CPU waits in WFI"))
		guest_exit();
	/* Warm-up: the second CPU's interrupt path runs once (QEMU translates it). */
	w_sgi();
	WAIT_UNTIL(woken == 1, WAIT_US);
	one("GICD_ISPENDR", NULL, w_ispendr);
	one("GICD_ISENABLER", p_isenabler, w_isenabler);
	one("GICD_CTLR.EnableGrp1", p_ctlr, w_ctlr);
	one("GICD_IROUTER of a pending SPI", p_irouter, w_irouter);
	one("GICR_ISPENDR0 of the other CPU", NULL, w_gicr);
	one("ICC_SGI1R_EL1", NULL, w_sgi);
	cpu1_done = true;
	gic_send_sgi(SGI_WAKE, cpu1_mpidr);
	ok(WAIT_UNTIL(psci_call(PSCI_AFFINITY_INFO64, cpu1_mpidr, 0, 0) == 1, WAIT_US),
	   "the second CPU is off again");
}
