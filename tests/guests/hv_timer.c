/*
 * The test hypervisor's timers (hv.c runs the guest): the EL2 physical
 * timer taken at EL2; the EL1 virtual counter and timer through
 * CNTVOFF_EL2 (and, in hv_gic.c, the virtual timer's interrupt given to
 * the guest through a HW list register); the EL1 physical counter and
 * timer trapped or not by CNTHCTL_EL2, and the guest's physical timer
 * waking it from a WFI that is not trapped, its PPI taken at EL2.
 */
#include "guest.h"
#include "hv.h"

/* hv_el1.S */
extern char el1_cnt[], el1_ptimer_access[], el1_ptimer_ctl[], el1_ptimer[];

/* ---- 6. timers ----------------------------------------------------------------------------- */

static void test_cnthctl_traps(void);
static void test_ptimer(void);

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

	diag_env("ICC_SRE_EL2 0x%lx, EL2 physical timer INTID %u", read_sysreg(ICC_SRE_EL2), hyp_intid);
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
		diag_env("EL2 timer: taken %lu us after its deadline", ticks_to_us(hyp_fired_pct - cval));

	/*
	 * CNTVOFF_EL2 (Arm ARM, Generic Timer: the virtual count): at EL1, CNTVCT_EL0 =
	 * CNTPCT_EL0 - CNTVOFF_EL2, and the EL1 virtual timer compares
	 * CNTV_CVAL_EL0 with that count. No library wait until it is 0 again.
	 */
	l2_write(cntv_cval_el0, CNTV_CVAL_EL02, pcount() + (1UL << 39));	/* passed in virtual time only */
	l2_write(cntv_ctl_el0, CNTV_CTL_EL02, CTL_ENABLE | CTL_IMASK);
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
	l2_write(cntv_cval_el0, CNTV_CVAL_EL02, pcount() + (1UL << 40) + (1UL << 39));	/* ahead in both */
	isb();
	vcpu_reset(el1_cnt);
	run(HCR_GUEST);
	r2 = exit_is_hvc(HV_HVC_CNT);
	if (r2)
		ctl_not = vcpu.x[2];
	else
		describe_exit("CNTV_CTL");
	write_sysreg(cntvoff_el2, 0);
	l2_write(cntv_ctl_el0, CNTV_CTL_EL02, 0);
	isb();
	vb = pb - voff;
	va = pa - voff;
	diag_env("CNTVOFF_EL2 0x%lx: CNTPCT before 0x%lx, after 0x%lx; EL1 CNTVCT_EL0 0x%lx; CNTV_CTL_EL0 0x%lx, 0x%lx",
	     voff, pb, pa, vct, ctl_met, ctl_not);
	ok(r1 && vct - vb <= va - vb,
	   "EL1 CNTVCT_EL0 is CNTPCT_EL0 - CNTVOFF_EL2 (between the offset counts before and after)");
	ok(r1 && (ctl_met & CTL_ISTATUS),
	   "EL1 CNTV_CTL_EL0.ISTATUS is 1 for a CVAL the offset virtual count has passed");
	ok(r2 && !(ctl_not & CTL_ISTATUS),
	   "EL1 CNTV_CTL_EL0.ISTATUS is 0 for a CVAL ahead of the offset virtual count");

	test_cnthctl_traps();
	test_ptimer();
}


/* ---- the EL1 physical timer ---------------------------------------------------------- */

#define PT_PCT_VALUE	0x0000123400005678UL

/*
 * CNTHCTL_EL2 (EL1PCTEN and EL1PCEN at bits 0 and 1 with E2H 0, at 10 and
 * 11 with E2H 1): EL1PCTEN 0 traps EL1's CNTPCT_EL0 reads, EL1PCEN 0
 * its CNTP_CTL_EL0/CVAL/TVAL accesses (EC 0x18), each bit alone.
 */
static void test_cnthctl_traps(void)
{
	u64 iss;
	bool t1, t2, t3 = false, r = false, r2 = false;

	write_sysreg(cnthctl_el2, 0);
	isb();
	vcpu_reset(el1_ptimer_access);
	vcpu.x[4] = 0;		/* CNTP_CTL_EL0: disabled */
	run(HCR_GUEST);
	t1 = expect_exit(EC_SYS64, "CNTPCT_EL0 read");
	iss = ESR_ISS(vcpu.esr);
	check_eq(t1 ? iss : ~0UL, ISS_SYS(3, 3, 14, 0, 1, 3, 1),
		 hv_vhe ? "CNTHCTL_EL2.EL1PCTEN (E2H 1: bit 10) 0: an EL1 CNTPCT_EL0 read traps (EC 0x18, Op0 3 Op1 3 CRn 14 CRm 0 Op2 1, Rt 3, read)"
			: "CNTHCTL_EL2.EL1PCTEN 0: an EL1 CNTPCT_EL0 read traps (EC 0x18, Op0 3 Op1 3 CRn 14 CRm 0 Op2 1, Rt 3, read)");
	check_eq(vcpu.elr, (u64)(uintptr_t)el1_ptimer_access, "ELR_EL2 is the trapped MRS");
	t2 = false;
	if (t1) {
		vcpu.x[ISS_SYS_RT(iss)] = PT_PCT_VALUE;
		vcpu.elr += 4;
		run(HCR_GUEST);
		t2 = expect_exit(EC_SYS64, "CNTP_CTL_EL0 write");
	}
	iss = ESR_ISS(vcpu.esr);
	check_eq(t2 ? iss : ~0UL, ISS_SYS(3, 3, 14, 2, 1, 4, 0),
		 hv_vhe ? "CNTHCTL_EL2.EL1PCEN (E2H 1: bit 11) 0: an EL1 CNTP_CTL_EL0 write traps (Op0 3 Op1 3 CRn 14 CRm 2 Op2 1, Rt 4, write)"
			: "CNTHCTL_EL2.EL1PCEN 0: an EL1 CNTP_CTL_EL0 write traps (Op0 3 Op1 3 CRn 14 CRm 2 Op2 1, Rt 4, write)");
	if (t2)
		r = resume_until_hvc(HCR_GUEST, HV_HVC_TRAP, "after CNTP_CTL_EL0");
	check_eq(r ? vcpu.x[3] : 0, PT_PCT_VALUE, "the guest read the emulated CNTPCT_EL0");

	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	isb();
	vcpu_reset(el1_ptimer_access);
	run(HCR_GUEST);
	t3 = expect_exit(EC_SYS64, "CNTP_CTL_EL0 write, EL1PCTEN 1");
	ok(t3 && vcpu.elr == (u64)(uintptr_t)el1_ptimer_ctl &&
	   ESR_ISS(vcpu.esr) == ISS_SYS(3, 3, 14, 2, 1, 4, 0),
	   "CNTHCTL_EL2.EL1PCTEN 1, EL1PCEN 0: the CNTPCT_EL0 read does not trap, the CNTP_CTL_EL0 write does");
	if (t3)
		r2 = resume_until_hvc(HCR_GUEST, HV_HVC_TRAP, "after CNTP_CTL_EL0, EL1PCTEN 1");
	ok(r2 && vcpu.x[3] != PT_PCT_VALUE && vcpu.x[3] != 0, "the guest read the counter itself");
	write_sysreg(cnthctl_el2, CNTHCTL_HOST);
	isb();
}

static volatile unsigned pt_fired;
static volatile u64 pt_fired_pct, pt_fired_ctl;

/* The guest's EL1 physical timer, at EL2: masked (CNTP_CTL_EL0.IMASK), as a hypervisor does before injecting it. */
static void ptimer_irq(u32 intid)
{
	(void)intid;
	pt_fired_pct = pcount();
	pt_fired_ctl = l2_read(cntp_ctl_el0, CNTP_CTL_EL02);
	l2_write(cntp_ctl_el0, CNTP_CTL_EL02, pt_fired_ctl | CTL_IMASK);
	isb();
	pt_fired++;
}

static void test_ptimer(void)
{
	unsigned exits = irq_exits[this_cpu()];
	u32 intid;
	bool have = timer_ppi(1, &intid), r;

	l2_write(cntp_ctl_el0, CNTP_CTL_EL02, 0);
	isb();
	if (have) {
		irq_set_handler(intid, ptimer_irq);
		gic_clear_pending(intid);
		gic_enable(intid);
	}
	pt_fired = 0;
	vcpu_reset(el1_ptimer);
	vcpu.x[1] = us_to_ticks(2000);
	run_serviced(HCR_GUEST);
	r = exit_is_hvc(HV_HVC_PTIMER);
	if (!r)
		describe_exit("EL1 physical timer");
	diag_env("EL1 physical timer (INTID %u): CNTP_CVAL_EL0 0x%lx, taken at EL2 at 0x%lx (CNTP_CTL_EL0 0x%lx), guest woke at 0x%lx, %u IRQ exits",
	     intid, vcpu.x[2], pt_fired_pct, pt_fired_ctl, vcpu.x[3], irq_exits[this_cpu()] - exits);
	ok(have && r, "CNTHCTL_EL2.EL1PCEN 1: the guest arms CNTP_TVAL_EL0/CTL_EL0 and waits in WFI (HCR_EL2.TWI 0) without a trap");
	check_eq(pt_fired, 1, "its PPI (the DT timer node's 2nd, INTID %u) is taken at EL2 (HCR_EL2.IMO), once", intid);
	ok(pt_fired && pt_fired_pct >= vcpu.x[2] && (pt_fired_ctl & CTL_ISTATUS),
	   "not before CNTP_CVAL_EL0; CNTP_CTL_EL0.ISTATUS 1 at EL2");
	ok(r && irq_exits[this_cpu()] - exits >= 1, "the WFI sleeps until that interrupt: the guest exits with an IRQ");
	check_eq(r ? vcpu.x[5] & (CTL_ENABLE | CTL_IMASK | CTL_ISTATUS) : 0, CTL_ENABLE | CTL_IMASK | CTL_ISTATUS,
		 "woken, the guest reads CNTP_CTL_EL0 ENABLE, IMASK (set at EL2), ISTATUS");
	ok(r && vcpu.x[3] >= vcpu.x[2], "and a CNTPCT_EL0 at or past its CVAL");
	l2_write(cntp_ctl_el0, CNTP_CTL_EL02, 0);
	isb();
	if (have) {
		gic_disable(intid);
		gic_clear_pending(intid);
		irq_set_handler(intid, NULL);
	}
}
