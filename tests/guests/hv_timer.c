/*
 * The test hypervisor's timers (hv.c runs the guest): the EL2 physical
 * timer taken at EL2, the EL1 virtual counter and timer through
 * CNTVOFF_EL2.
 */
#include "guest.h"
#include "hv.h"

/* hv_el1.S */
extern char el1_cnt[];

/* ---- 6. timers ----------------------------------------------------------------------------- */

static volatile unsigned hyp_fired;
static volatile u64 hyp_fired_pct, hyp_fired_ctl;

void hyp_timer_irq(u32 intid)
{
	(void)intid;
	hyp_fired_pct = pcount();
	hyp_fired_ctl = read_sysreg(cnthp_ctl_el2);
	write_sysreg(cnthp_ctl_el2, 0);	/* level-sensitive: drop the line before EOI */
	isb();
	hyp_fired++;
}

void test_timers(bool gic_ok)
{
	const u64 voff = 0xffffff0000000000UL;	/* CNTVOFF_EL2 = -2^40: CNTVCT = CNTPCT + 2^40 */
	u64 cval, ctl0, pct0, pb, pa, vb, va, vct = 0, ctl_met = 0, ctl_not = ~0UL;
	unsigned before;
	bool r1, r2;

	diag("ICC_SRE_EL2 0x%lx, EL2 physical timer INTID %u", read_sysreg(ICC_SRE_EL2), hyp_intid);
	ok(read_sysreg(ICC_SRE_EL2) & 1, "ICC_SRE_EL2.SRE is 1 (GIC system registers at EL2)");
	ok(gic_ok && hyp_intid >= 16 && hyp_intid < 32,
	   "the DT timer node's 4th interrupt (EL2 physical timer) is a PPI, the GIC is set up");

	/* CNTHP_CVAL_EL2/CNTHP_CTL_EL2: the condition CNTPCT >= CVAL, ISTATUS, the PPI at EL2. */
	before = hyp_fired;
	irq_log_reset();
	cval = pcount() + us_to_ticks(10000);
	write_sysreg(cnthp_cval_el2, cval);
	write_sysreg(cnthp_ctl_el2, CTL_ENABLE);
	isb();
	ctl0 = read_sysreg(cnthp_ctl_el2);
	pct0 = pcount();
	ok(pct0 >= cval || !(ctl0 & CTL_ISTATUS),
	   "CNTHP_CTL_EL2.ISTATUS is 0 before CNTHP_CVAL_EL2 is reached");
	local_irq_enable();
	WAIT_UNTIL(hyp_fired != before, 1000000);
	local_irq_disable();
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
	ok(gic_ok && hyp_fired != before,
	   "the EL2 physical timer's interrupt is taken at EL2 (HCR_EL2.IMO 1, PSTATE.I 0)");
	ok(hyp_fired != before && this_percpu()->irq_log_n >= 1 && this_percpu()->irq_log[0] == hyp_intid,
	   "it is the DT's EL2 timer INTID, acknowledged at EL2 (ICC_IAR1_EL1)");
	ok(hyp_fired != before && hyp_fired_pct >= cval, "it is not taken before CNTHP_CVAL_EL2");
	ok(hyp_fired != before && (hyp_fired_ctl & CTL_ISTATUS),
	   "CNTHP_CTL_EL2.ISTATUS is 1 in the handler");
	if (hyp_fired != before)
		diag("EL2 timer: taken %lu us after its deadline", ticks_to_us(hyp_fired_pct - cval));

	/*
	 * CNTVOFF_EL2 (Arm ARM, Generic Timer: the virtual count): at EL1, CNTVCT_EL0 =
	 * CNTPCT_EL0 - CNTVOFF_EL2, and the EL1 virtual timer compares
	 * CNTV_CVAL_EL0 with that count. No library wait until it is 0 again.
	 */
	write_sysreg(cntv_cval_el0, pcount() + (1UL << 39));	/* passed in virtual time only */
	write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
	write_sysreg(cntvoff_el2, voff);
	isb();
	vcpu_reset(el1_cnt);
	pb = pcount();
	run(HCR_GUEST);
	pa = pcount();
	r1 = exit_is_hvc(HV_HVC_CNT);
	if (r1) {
		vct = vcpu.x[1];
		ctl_met = vcpu.x[2];
	} else {
		describe_exit("CNTVCT");
	}
	write_sysreg(cntv_cval_el0, pcount() + (1UL << 40) + (1UL << 39));	/* ahead in both */
	isb();
	vcpu_reset(el1_cnt);
	run(HCR_GUEST);
	r2 = exit_is_hvc(HV_HVC_CNT);
	if (r2)
		ctl_not = vcpu.x[2];
	else
		describe_exit("CNTV_CTL");
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cntv_ctl_el0, 0);
	isb();
	vb = pb - voff;
	va = pa - voff;
	diag("CNTVOFF_EL2 0x%lx: CNTPCT before 0x%lx, after 0x%lx; EL1 CNTVCT_EL0 0x%lx; CNTV_CTL_EL0 0x%lx, 0x%lx",
	     voff, pb, pa, vct, ctl_met, ctl_not);
	ok(r1 && vct - vb <= va - vb,
	   "EL1 CNTVCT_EL0 is CNTPCT_EL0 - CNTVOFF_EL2 (between the offset counts before and after)");
	ok(r1 && (ctl_met & CTL_ISTATUS),
	   "EL1 CNTV_CTL_EL0.ISTATUS is 1 for a CVAL the offset virtual count has passed");
	ok(r2 && !(ctl_not & CTL_ISTATUS),
	   "EL1 CNTV_CTL_EL0.ISTATUS is 0 for a CVAL ahead of the offset virtual count");
}

