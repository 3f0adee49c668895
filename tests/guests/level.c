/*
 * Level-sensitive interrupts follow their source (GIC spec, "Interrupt
 * handling state machine": a level-sensitive interrupt is pending while
 * its input is asserted). For the virtual and the physical timer (whose
 * output is asserted while CTL.ENABLE = 1, IMASK = 0 and ISTATUS = 1; Arm
 * ARM D12.2.4), with the timer's PPI disabled at the redistributor: once
 * the timer has fired, its PPI reads pending in GICR_ISPENDR0; after the
 * guest disables the timer, masks it, or moves CVAL into the future, it
 * reads not pending, and enabling the PPI again delivers nothing. The
 * same for a level SPI of nestvisor's test device when the device lowers
 * its line (skipped without the device).
 */
#include "guest.h"

const char guest_name[] = "level";

#define CTL_ENABLE	BIT(0)
#define CTL_IMASK	BIT(1)
#define CTL_ISTATUS	BIT(2)

#define SPI		41u
#define TESTDEV_IRQ_LINE 0x200
#define GICD_ISPENDR	0x0200

#define WAIT_US		1000000
#define QUIET_US	5000

struct timer {
	const char *name;
	u32 intid;
	u64 (*count)(void);
	void (*set_ctl)(u64);
	u64 (*ctl)(void);
	void (*set_cval)(u64);
};

static void v_set_ctl(u64 v) { write_sysreg(cntv_ctl_el0, v); isb(); }
static u64 v_ctl(void) { isb(); return read_sysreg(cntv_ctl_el0); }
static void v_set_cval(u64 v) { write_sysreg(cntv_cval_el0, v); isb(); }
static void p_set_ctl(u64 v) { write_sysreg(cntp_ctl_el0, v); isb(); }
static u64 p_ctl(void) { isb(); return read_sysreg(cntp_ctl_el0); }
static void p_set_cval(u64 v) { write_sysreg(cntp_cval_el0, v); isb(); }

static struct timer timers[2] = {
	{ .name = "virtual", .count = vcount, .set_ctl = v_set_ctl, .ctl = v_ctl,
	  .set_cval = v_set_cval },
	{ .name = "physical", .count = pcount, .set_ctl = p_set_ctl, .ctl = p_ctl,
	  .set_cval = p_set_cval },
};

static volatile unsigned taken;

static void handler(u32 intid)
{
	(void)intid;
	timers[0].set_ctl(0);
	timers[1].set_ctl(0);
	taken++;
}

/* Fires the timer with its PPI disabled; true once the PPI reads pending. */
static bool fire_masked(struct timer *t)
{
	gic_disable(t->intid);
	t->set_cval(t->count() + us_to_ticks(500));
	t->set_ctl(CTL_ENABLE);
	if (!WAIT_UNTIL(t->ctl() & CTL_ISTATUS, WAIT_US))
		return false;
	udelay(2000); /* time for the (physical) timer interrupt to be taken below */
	return WAIT_UNTIL(gic_pending(t->intid), WAIT_US);
}

/* The PPI is not pending, and enabling it delivers nothing. */
static void check_quiet(struct timer *t, const char *how)
{
	unsigned before = taken;

	ok(!gic_pending(t->intid), "%s timer %s: PPI %u not pending (GICR_ISPENDR0)", t->name, how,
	   t->intid);
	gic_enable(t->intid);
	udelay(QUIET_US);
	ok(taken == before, "%s timer %s: no interrupt once the PPI is enabled again", t->name,
	   how);
	gic_disable(t->intid);
}

static void test_timer(struct timer *t)
{
	unsigned before;

	ok(fire_masked(t), "%s timer fired with PPI %u disabled: it reads pending", t->name,
	   t->intid);
	t->set_ctl(0);
	check_quiet(t, "disabled (ENABLE = 0)");

	fire_masked(t);
	t->set_ctl(CTL_ENABLE | CTL_IMASK);
	check_quiet(t, "masked (IMASK = 1)");

	fire_masked(t);
	t->set_cval(t->count() + us_to_ticks(100000000));
	check_quiet(t, "with CVAL in the future");
	t->set_ctl(0);

	/* The control: still asserted, it is delivered once enabled. */
	before = taken;
	fire_masked(t);
	gic_enable(t->intid);
	ok(WAIT_UNTIL(taken == before + 1, WAIT_US),
	   "%s timer still asserted: taken once its PPI is enabled", t->name);
	gic_disable(t->intid);
}

static void test_device_line(void)
{
	int node = dt_find_compatible("nestvisor,test-mmio");
	u64 dev, size, isp = gicd_base + GICD_ISPENDR + (SPI / 32) * 4;
	unsigned before = taken;

	if (node < 0 || !dt_reg(node, 0, &dev, &size)) {
		if (strict_mode())
			ok(false, "a nestvisor,test-mmio device");
		else
			skip("no nestvisor,test-mmio device", "the test device's level line");
		return;
	}
	gic_set_priority(SPI, 0x80);
	mmio_write64(gicd_base + 0x6000 + 8UL * SPI, read_mpidr());
	mmio_write32(dev + TESTDEV_IRQ_LINE, SPI | 0x80000000u);
	ok(mmio_read32(isp) & BIT(SPI % 32), "test device line high, SPI %u disabled: pending", SPI);
	mmio_write32(dev + TESTDEV_IRQ_LINE, SPI);
	ok(!(mmio_read32(isp) & BIT(SPI % 32)), "line lowered: SPI %u not pending", SPI);
	gic_enable(SPI);
	udelay(QUIET_US);
	ok(taken == before, "no interrupt once SPI %u is enabled again", SPI);
	gic_disable(SPI);
}

void guest_main(void)
{
	if (!ok(gic_init(), "GICv3 set up"))
		bail_out("no usable GICv3");
	if (!ok(timer_ppis(&timers[1].intid, &timers[0].intid), "the DT's timer node names its PPIs"))
		bail_out("no timer PPIs");
	irq_set_handler(timers[0].intid, handler);
	irq_set_handler(timers[1].intid, handler);
	irq_set_handler(SPI, handler);
	local_irq_enable();
	test_timer(&timers[0]);
	test_timer(&timers[1]);
	test_device_line();
	local_irq_disable();
	ok(this_percpu()->spurious == 0, "no spurious interrupt");
}
