/*
 * Shared peripheral interrupts through the vGIC distributor (GIC spec,
 * GICD_ISENABLER, GICD_ICFGR, GICD_IROUTER, GICD_ISPENDR/ICPENDR,
 * GICD_ISACTIVER): a level and an edge SPI raised by nestvisor's test
 * device (its interrupt-line register), delivery by priority and masking,
 * and routing to the second CPU. Needs the nestvisor,test-mmio device: on
 * QEMU alone it is skipped.
 */
#include "guest.h"

const char guest_name[] = "spi";

#define SPI		40u
#define WAIT_US		1000000
#define QUIET_US	5000
#define TESTDEV_IRQ_LINE 0x200
#define GICD_IGROUPR	0x0080
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000

static u64 dev;
static volatile unsigned taken[MAX_CPUS];
static volatile bool lower_in_handler = true;
static volatile bool cpu1_ready;

static void line(bool level)
{
	mmio_write32(dev + TESTDEV_IRQ_LINE, SPI | (level ? 0x80000000u : 0));
}

static void spi_handler(u32 intid)
{
	(void)intid;
	taken[this_percpu()->idx]++;
	if (lower_in_handler)
		line(false); /* the device's level-sensitive source is serviced */
}

static bool bit(u64 reg)
{
	return mmio_read32(gicd_base + reg + (SPI / 32) * 4) & BIT(SPI % 32);
}

static void set_bit(u64 reg)
{
	mmio_write32(gicd_base + reg + (SPI / 32) * 4, (u32)BIT(SPI % 32));
}

static void set_edge(bool edge)
{
	u64 r = gicd_base + GICD_ICFGR + (SPI / 16) * 4;
	unsigned shift = (SPI % 16) * 2 + 1;
	u32 v = mmio_read32(r);

	mmio_write32(r, edge ? v | (1u << shift) : v & ~(1u << shift));
}

static void route(u64 mpidr)
{
	mmio_write64(gicd_base + GICD_IROUTER + 8UL * SPI, mpidr & MPIDR_AFF_MASK);
}

static void cpu1_main(u64 ctx)
{
	(void)ctx;
	if (!gic_cpu_init())
		return;
	cpu1_ready = true;
	local_irq_enable();
	WAIT_UNTIL(false, 3000000);
}

static void test_level(void)
{
	taken[0] = 0;
	line(true);
	ok(WAIT_UNTIL(taken[0] == 1, WAIT_US), "level SPI %u raised by the device is taken", SPI);
	udelay(QUIET_US);
	ok(taken[0] == 1 && !bit(GICD_ISPENDR), "lowered by the handler, it is taken once and no longer pending");

	local_irq_disable();
	line(true);
	ok(WAIT_UNTIL(bit(GICD_ISPENDR), WAIT_US), "with IRQs masked, the raised line shows in GICD_ISPENDR");
	line(false);
	ok(WAIT_UNTIL(!bit(GICD_ISPENDR), WAIT_US), "lowering the line clears the pending state (level)");
	local_irq_enable();
	udelay(QUIET_US);
	ok(taken[0] == 1, "so it is not taken after unmasking");
}

static void test_edge(void)
{
	set_edge(true);
	taken[0] = 0;
	local_irq_disable();
	line(true);
	line(false);
	ok(WAIT_UNTIL(bit(GICD_ISPENDR), WAIT_US), "edge-triggered: a pulse stays pending after the line drops");
	local_irq_enable();
	ok(WAIT_UNTIL(taken[0] == 1, WAIT_US), "and is taken once unmasked");
	udelay(QUIET_US);
	ok(taken[0] == 1, "exactly once");

	set_bit(GICD_ISPENDR);
	ok(WAIT_UNTIL(taken[0] == 2, WAIT_US), "GICD_ISPENDR makes it pending by software: taken");
	set_edge(false);
}

static void test_active(void)
{
	lower_in_handler = false;
	local_irq_disable();
	set_bit(GICD_ISACTIVER);
	ok(bit(GICD_ISACTIVER), "GICD_ISACTIVER sets the active state");
	line(true);
	local_irq_enable();
	udelay(QUIET_US);
	ok(taken[0] == 2, "an active SPI is not taken again while active");
	local_irq_disable();
	set_bit(GICD_ICACTIVER);
	ok(!bit(GICD_ISACTIVER), "GICD_ICACTIVER clears it");
	line(false);
	local_irq_enable();
	lower_in_handler = true;
}

static void test_routing(void)
{
	int cpu = second_cpu();

	if (cpu < 0) {
		ok(false, "a second CPU in /cpus");
		return;
	}
	if (!check_eq((u64)cpu_start((unsigned)cpu, cpu1_main, 0), 0, "CPU_ON of the second CPU") ||
	    !ok(WAIT_UNTIL(cpu1_ready, WAIT_US), "the second CPU set up its CPU interface"))
		return;
	route(cpu_mpidr[cpu]);
	taken[0] = taken[cpu] = 0;
	line(true);
	ok(WAIT_UNTIL(taken[cpu] == 1, WAIT_US), "routed by GICD_IROUTER to the second CPU: taken there");
	udelay(QUIET_US);
	ok(taken[0] == 0, "and not on the first");
	route(cpu_mpidr[0]);
}

void guest_main(void)
{
	int node = dt_find_compatible("nestvisor,test-mmio");
	u64 size;

	if (node < 0 || !dt_reg(node, 0, &dev, &size)) {
		if (strict_mode())
			ok(false, "a nestvisor,test-mmio device");
		else
			skip("no nestvisor,test-mmio device", "SPIs from the test device");
		guest_exit();
	}
	if (!gic_init() || !gic_cpu_init())
		bail_out("GIC set-up failed");
	mmio_write32(gicd_base + GICD_IGROUPR + (SPI / 32) * 4,
		     mmio_read32(gicd_base + GICD_IGROUPR + (SPI / 32) * 4) | (u32)BIT(SPI % 32));
	gic_set_priority(SPI, 0x80);
	route(read_mpidr());
	irq_set_handler(SPI, spi_handler);
	gic_enable(SPI);
	local_irq_enable();
	test_level();
	test_edge();
	test_active();
	test_routing();
	local_irq_disable();
	guest_exit();
}
