/*
 * Isolation of the GIC virtual CPU interface between VMs sharing a
 * physical CPU (under nestvisor only: strict). With bootargs "leak" the
 * guest acknowledges a Group 1 SGI (ICC_IAR1_EL1) and then a Group 0 SGI
 * of higher priority (ICC_IAR0_EL1), never EOIs them, and checks for a
 * while that its running priority (ICC_RPR_EL1) is still its own; their
 * active priorities sit in ICH_AP1R0_EL2 and ICH_AP0R0_EL2. With "victim"
 * it checks that its running priority is idle and that it keeps receiving
 * its virtual and physical timer interrupts: active priorities left by
 * another VM would mask them.
 */
#include "guest.h"

const char guest_name[] = "gicleak";

#define SGI_G0		8	/* Group 0, priority 0x10 */
#define SGI_G1		9	/* Group 1, priority 0x20 */
#define GICR_IGROUPR0	0x0080
#define CTL_ENABLE	BIT(0)
#define ROUNDS		20

static volatile unsigned fired[2];
static u32 vtimer_intid, ptimer_intid;

static inline void fiq_irq_disable(void) { __asm__ volatile("msr daifset, #3" ::: "memory"); }
static u64 rpr(void) { return read_sysreg(ICC_RPR_EL1) & 0xff; }

static void leak(void)
{
	u64 sgi = this_percpu()->rd_base + GICR_SGI_OFFSET;
	unsigned bad = 0;

	fiq_irq_disable();
	mmio_write32(sgi + GICR_IGROUPR0, mmio_read32(sgi + GICR_IGROUPR0) & ~(u32)BIT(SGI_G0));
	gic_set_priority(SGI_G0, 0x10);
	gic_set_priority(SGI_G1, 0x20);
	gic_enable(SGI_G0);
	gic_enable(SGI_G1);
	write_sysreg(ICC_IGRPEN0_EL1, 1);
	isb();
	/* The lower priority first, or the Group 0 one would mask it. */
	mmio_write32(sgi + GICR_ISPENDR0, (u32)BIT(SGI_G1));
	check_eq(WAIT_UNTIL((read_sysreg(ICC_HPPIR1_EL1) & 0xffffff) == SGI_G1, 1000000) ?
			 read_sysreg(ICC_IAR1_EL1) & 0xffffff : 1023,
		 SGI_G1, "Group 1 SGI %u acknowledged (ICC_IAR1_EL1)", SGI_G1);
	mmio_write32(sgi + GICR_ISPENDR0, (u32)BIT(SGI_G0));
	check_eq(WAIT_UNTIL((read_sysreg(ICC_HPPIR0_EL1) & 0xffffff) == SGI_G0, 1000000) ?
			 read_sysreg(ICC_IAR0_EL1) & 0xffffff : 1023,
		 SGI_G0, "Group 0 SGI %u acknowledged (ICC_IAR0_EL1)", SGI_G0);
	check_eq(rpr(), 0x10, "running priority 0x10: both active, never EOIed");
	for (unsigned i = 0; i < 300; i++) {
		udelay(5000); /* the other VMs run on this CPU meanwhile */
		if (rpr() != 0x10)
			bad++;
	}
	check_eq(bad, 0, "its own running priority kept over 300 rounds");
	/* Powers off with both still active. */
}

static void timer_handler(u32 intid)
{
	if (intid == vtimer_intid) {
		write_sysreg(cntv_ctl_el0, 0);
		fired[0]++;
	} else {
		write_sysreg(cntp_ctl_el0, 0);
		fired[1]++;
	}
	isb();
}

static void victim(void)
{
	unsigned n[2] = { 0, 0 };

	if (!ok(timer_ppis(&ptimer_intid, &vtimer_intid), "the DT's timer node names its PPIs"))
		return;
	irq_set_handler(vtimer_intid, timer_handler);
	irq_set_handler(ptimer_intid, timer_handler);
	gic_enable(vtimer_intid);
	gic_enable(ptimer_intid);
	local_irq_enable();
	udelay(200000); /* the leaking VM has its interrupts active by now */
	check_eq(rpr(), 0xff, "running priority idle (ICC_RPR_EL1) after another VM ran");
	for (unsigned i = 0; i < ROUNDS; i++) {
		unsigned t = i & 1, before = fired[t];

		if (t) {
			write_sysreg(cntp_cval_el0, pcount() + us_to_ticks(2000));
			write_sysreg(cntp_ctl_el0, CTL_ENABLE);
		} else {
			write_sysreg(cntv_cval_el0, vcount() + us_to_ticks(2000));
			write_sysreg(cntv_ctl_el0, CTL_ENABLE);
		}
		isb();
		if (WAIT_UNTIL(fired[t] == before + 1, 1000000))
			n[t]++;
	}
	local_irq_disable();
	check_eq(n[0], ROUNDS / 2, "virtual timer interrupts received while another VM leaks");
	check_eq(n[1], ROUNDS / 2, "physical timer interrupts received while another VM leaks");
}

void guest_main(void)
{
	if (!strict_mode()) {
		skip("nestvisor only", "GIC interface isolation between VMs");
		guest_exit();
	}
	if (!ok(gic_init(), "GICv3 set up"))
		bail_out("no usable GICv3");
	if (bootarg_has("leak"))
		leak();
	else if (bootarg_has("victim"))
		victim();
	else
		ok(false, "bootargs name a role: leak or victim");
}
