/*
 * The test hypervisor's virtual interrupts (hv.c runs the guest): the
 * GICv3 virtual CPU interface through its list registers (GICv3
 * architecture specification, IHI 0069: ICH_HCR_EL2, ICH_LR<n>_EL2,
 * ICH_VMCR_EL2, ICH_AP1R0_EL2, ICH_MISR_EL2, ICH_EISR_EL2, ICH_ELRSR_EL2;
 * the ICV_* registers EL1 reaches with HCR_EL2.IMO set):
 *
 *  - a software LR's virtual interrupt acknowledged by the guest with IRQs
 *    masked (HPPIR, IAR, RPR, the LR active, the active priority), then
 *    EOI'd (the LR invalid and empty, the priority idle again);
 *  - two taken as IRQ exceptions at EL1, in priority order;
 *  - a HW=1 LR for the guest's virtual timer: the physical PPI acknowledged
 *    at EL2 with EOImode 1 (priority drop only) stays active until the
 *    guest's EOI of the virtual one deactivates it;
 *  - the maintenance interrupt (the GIC node's PPI, taken at EL2) for
 *    underflow (UIE), EOI of an LR with EOI set, and no pending (NPIE),
 *    with ICH_MISR_EL2, ICH_EISR_EL2 and ICH_ELRSR_EL2 as the spec says.
 */
#include <libfdt.h>

#include "guest.h"
#include "hv.h"

/* hv_el1.S */
extern char el1_virq_poll[], el1_virq_take[], el1_vtimer[];

/* ICH_MISR_EL2 */
#define MISR_EOI		BIT(0)
#define MISR_U			BIT(1)
#define MISR_NP			BIT(3)
/* ICH_VMCR_EL2: VPMR [31:24], VENG1 [1] */
#define VMCR_VPMR(v)		(((v) >> 24) & 0xff)
#define VMCR_VENG1		BIT(1)

#define GUEST_PMR		0xf0	/* hv_el1.S vgic_on */
#define SPURIOUS		1023

static u32 maint_intid, vtimer_intid;
static unsigned nr_lrs, pre_bits;

static u64 lr_read(unsigned n)
{
	switch (n) {
	case 0: return read_sysreg(ICH_LR0_EL2);
	case 1: return read_sysreg(ICH_LR1_EL2);
	case 2: return read_sysreg(ICH_LR2_EL2);
	case 3: return read_sysreg(ICH_LR3_EL2);
	}
	return 0;
}

static void lr_write(unsigned n, u64 v)
{
	switch (n) {
	case 0: write_sysreg(ICH_LR0_EL2, v); break;
	case 1: write_sysreg(ICH_LR1_EL2, v); break;
	case 2: write_sysreg(ICH_LR2_EL2, v); break;
	case 3: write_sysreg(ICH_LR3_EL2, v); break;
	}
	isb();
}

/* A software (HW 0) Group 1 LR, pending. */
static u64 lr_sw(u32 vintid, u8 prio)
{
	return LR_PENDING | LR_GROUP1 | LR_PRIO(prio) | vintid;
}

/* The virtual interface quiet: no LR in use, no maintenance interrupt enabled. */
static void vif_reset(void)
{
	write_sysreg(ICH_HCR_EL2, 0);
	for (unsigned n = 0; n < nr_lrs && n < 4; n++)
		lr_write(n, 0);
	write_sysreg(ICH_AP1R0_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	isb();
}

/* ICH_AP1R0_EL2's bit for an active priority: its top PREbits bits (32 bits hold 5). */
static u64 ap1r_bit(u8 prio)
{
	return BIT(prio >> (8 - pre_bits));
}

/* ---- the maintenance interrupt ------------------------------------------------------------ */

static volatile unsigned mi_count;
static volatile u64 mi_misr, mi_eisr, mi_elrsr;

/*
 * Taken at EL2: what the status registers say, then the conditions
 * dropped (it is level-sensitive): UIE, NPIE, LRENPIE off, every LR whose
 * EOI maintenance is signalled emptied.
 */
static void maint_irq(u32 intid)
{
	u64 eisr;

	(void)intid;
	mi_misr = read_sysreg(ICH_MISR_EL2);
	mi_eisr = eisr = read_sysreg(ICH_EISR_EL2);
	mi_elrsr = read_sysreg(ICH_ELRSR_EL2);
	write_sysreg(ICH_HCR_EL2, read_sysreg(ICH_HCR_EL2) & ~(ICH_HCR_UIE | ICH_HCR_NPIE | ICH_HCR_LRENPIE));
	for (unsigned n = 0; n < nr_lrs && n < 4; n++)
		if (eisr & BIT(n))
			lr_write(n, 0);
	isb();
	mi_count++;
}

/* The maintenance interrupt, if it is pending at EL2 and not taken yet: taken now (bounded). */
static void take_maint(unsigned before)
{
	if (mi_count == before)
		service_irqs();
}

/* The GIC node's interrupts property: its maintenance interrupt (a PPI). */
static bool gic_maint_ppi(u32 *intid)
{
	int node = dt_find_compatible("arm,gic-v3"), len;
	const fdt32_t *p = node >= 0 ? fdt_getprop(guest_fdt, node, "interrupts", &len) : NULL;

	if (!p || len < 12 || fdt32_to_cpu(p[0]) != 1)
		return false;
	*intid = fdt32_to_cpu(p[1]) + 16;
	return true;
}

/* ---- a software LR, polled ---------------------------------------------------------------- */

#define POLL_VINTID	5	/* an SGI's number, as a guest's IPI would be */
#define POLL_PRIO	0xa0

static void test_lr_poll(void)
{
	u64 vmcr, lr;
	bool r1, r2 = false;

	write_sysreg(ICH_VMCR_EL2, 0);
	lr_write(0, lr_sw(POLL_VINTID, POLL_PRIO));
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
	check_eq(read_sysreg(ICH_ELRSR_EL2) & 1, 0, "ICH_ELRSR_EL2: LR0 holding a pending interrupt is not empty");
	vcpu_reset(el1_virq_poll);
	run(HCR_GUEST);
	r1 = expect_hvc(HV_HVC_VACK, "virtual interrupt acknowledge");
	lr = lr_read(0);
	vmcr = read_sysreg(ICH_VMCR_EL2);
	diag_env("LR0 0x%lx after the acknowledge, ICH_VMCR_EL2 0x%lx, ICH_AP1R0_EL2 0x%lx",
	     lr, vmcr, read_sysreg(ICH_AP1R0_EL2));
	check_eq(r1 ? vcpu.x[1] & 0xffffff : ~0UL, POLL_VINTID,
		 "ICH_LR0_EL2 pending (vINTID 5, Group 1, priority 0xa0), ICH_HCR_EL2.En: ICC_HPPIR1_EL1 at EL1 reads the vINTID");
	check_eq(r1 ? vcpu.x[2] & 0xffffff : ~0UL, POLL_VINTID, "ICC_IAR1_EL1 at EL1 acknowledges the vINTID");
	check_eq(r1 ? vcpu.x[4] : ~0UL, POLL_PRIO, "ICC_RPR_EL1 at EL1 is then the LR's priority");
	check_eq(r1 ? LR_STATE(lr) : ~0UL, ST_ACTIVE, "the acknowledge made LR0 active (State 0b10)");
	check_eq(r1 ? read_sysreg(ICH_AP1R0_EL2) : ~0UL, ap1r_bit(POLL_PRIO),
		 "ICH_AP1R0_EL2 holds the active priority's bit");
	ok(r1 && VMCR_VPMR(vmcr) == GUEST_PMR && (vmcr & VMCR_VENG1),
	   "ICH_VMCR_EL2.VPMR and VENG1 are the guest's ICC_PMR_EL1 and ICC_IGRPEN1_EL1 writes");
	if (r1) {
		run(HCR_GUEST);
		r2 = expect_hvc(HV_HVC_VEOI, "virtual interrupt EOI");
	}
	lr = lr_read(0);
	check_eq(r2 ? LR_STATE(lr) : ~0UL, ST_INVALID, "ICC_EOIR1_EL1 at EL1 (EOImode 0): LR0 is invalid (State 0b00)");
	check_eq(r2 ? read_sysreg(ICH_ELRSR_EL2) & 1 : ~0UL, 1, "ICH_ELRSR_EL2: LR0 is empty again");
	check_eq(r2 ? read_sysreg(ICH_AP1R0_EL2) : ~0UL, 0, "ICH_AP1R0_EL2: no active priority left");
	check_eq(r2 ? vcpu.x[3] & 0xffffff : ~0UL, SPURIOUS, "ICC_HPPIR1_EL1 at EL1 then reads 1023 (nothing pending)");
	check_eq(r2 ? vcpu.x[5] : ~0UL, 0xff, "ICC_RPR_EL1 at EL1 is idle (0xff)");
	vif_reset();
}

/* ---- software LRs, taken as IRQ exceptions --------------------------------------------------- */

#define TAKE_LO_VINTID	6
#define TAKE_LO_PRIO	0xa0
#define TAKE_HI_VINTID	40	/* an SPI's number */
#define TAKE_HI_PRIO	0x90

static void test_lr_take(void)
{
	u64 got[2] = { ~0UL, ~0UL }, st_taken[2] = { ~0UL, ~0UL }, st_other = ~0UL, spsr_i = ~0UL;
	unsigned n;
	bool r = false;

	lr_write(0, lr_sw(TAKE_LO_VINTID, TAKE_LO_PRIO));
	lr_write(1, lr_sw(TAKE_HI_VINTID, TAKE_HI_PRIO));
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
	vcpu_reset(el1_virq_take);
	vcpu.x[1] = 2;
	run(HCR_GUEST);
	for (n = 0; n < 2 && exit_is_hvc(HV_HVC_IRQ); n++) {
		got[n] = vcpu.x[20] & 0xffffff;
		st_taken[n] = LR_STATE(lr_read(got[n] == TAKE_HI_VINTID ? 1 : 0));
		if (n == 0) {
			st_other = LR_STATE(lr_read(0));
			spsr_i = vcpu.spsr;
		}
		run(HCR_GUEST);
	}
	r = n == 2 && exit_is_hvc(HV_HVC_VDONE);
	if (!r)
		describe_exit("virtual IRQs taken");
	diag_env("virtual IRQs taken: %lu, %lu; SPSR_EL2 in the handler 0x%lx", got[0], got[1], spsr_i);
	ok(n >= 1, "two pending LRs, PSTATE.I 0 at EL1: a virtual IRQ is taken at EL1 (VBAR_EL1 + 0x280)");
	check_eq(got[0], TAKE_HI_VINTID, "the first acknowledged is the higher-priority one (0x90, vINTID 40)");
	check_eq(got[1], TAKE_LO_VINTID, "then the other (0xa0, vINTID 6) after the first's EOI");
	ok(st_taken[0] == ST_ACTIVE && st_taken[1] == ST_ACTIVE,
	   "each LR is active between the guest's acknowledge and its EOI");
	check_eq(st_other, ST_PENDING, "the lower-priority LR stays pending meanwhile");
	ok(n >= 1 && (spsr_i & 0x1f) == 0x5 && (spsr_i & BIT(7)),
	   "the handler runs at EL1h with PSTATE.I set (exception entry)");
	ok(r && vcpu.x[23] == 2 && LR_STATE(lr_read(0)) == ST_INVALID && LR_STATE(lr_read(1)) == ST_INVALID,
	   "both EOI'd: both LRs invalid, the guest back in its loop");
	ok(r && (read_sysreg(ICH_ELRSR_EL2) & 3) == 3, "ICH_ELRSR_EL2: LR0 and LR1 empty");
	vif_reset();
}

/* ---- a HW LR for the guest's virtual timer --------------------------------------------------- */

#define VT_PRIO		0xa0

static volatile unsigned vt_phys_count;
static volatile bool vt_phys_active;
static volatile u64 vt_phys_vct;

/*
 * The virtual timer's PPI, taken at EL2 while the guest ran: acknowledged
 * with EOImode 1 (the library's EOIR drops the priority only, and it
 * writes no DIR: manual_deactivate), injected as a HW LR with pINTID = the
 * PPI, so the guest's EOI deactivates it.
 */
static void vtimer_phys_irq(u32 intid)
{
	vt_phys_vct = read_sysreg(cntpct_el0) - read_sysreg(cntvoff_el2);
	vt_phys_active = gic_active(intid);
	lr_write(0, LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(VT_PRIO) | LR_PINTID(intid) | intid);
	vt_phys_count++;
}

static void test_lr_hw_vtimer(void)
{
	struct percpu *pc = this_percpu();
	u64 voff = pcount() & ~0xfffffUL, lr_active = ~0UL, cval = 0;
	bool r1, r2 = false, phys_active_after_drop = false;

	/*
	 * CNTVOFF_EL2 = a count already passed: the virtual count stays
	 * positive and grows, so the library's waits (on CNTVCT) still work.
	 */
	write_sysreg(cntvoff_el2, voff);
	l2_write(cntv_ctl_el0, CNTV_CTL_EL02, 0);
	isb();
	gic_set_eoimode(true);
	pc->manual_deactivate = true;
	irq_set_handler(vtimer_intid, vtimer_phys_irq);
	gic_clear_pending(vtimer_intid);
	gic_enable(vtimer_intid);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
	vt_phys_count = 0;
	vcpu_reset(el1_vtimer);
	vcpu.x[1] = us_to_ticks(2000);
	run_serviced(HCR_GUEST);
	r1 = expect_hvc(HV_HVC_IRQ, "virtual timer");
	if (r1) {
		lr_active = lr_read(0);
		phys_active_after_drop = gic_active(vtimer_intid);
		run(HCR_GUEST);
		r2 = expect_hvc(HV_HVC_VDONE, "virtual timer EOI");
		cval = vcpu.x[2];
	}
	diag_env("virtual timer: CNTVOFF_EL2 0x%lx, CNTV_CVAL_EL0 0x%lx, taken at EL2 at virtual count 0x%lx; LR0 0x%lx while active",
	     voff, cval, vt_phys_vct, lr_active);
	ok(vt_phys_count == 1, "the guest's virtual timer PPI (INTID %u) is taken at EL2 (HCR_EL2.IMO), once",
	   vtimer_intid);
	ok(r2 && vt_phys_vct >= cval, "not before CNTPCT_EL0 - CNTVOFF_EL2 reaches the guest's CNTV_CVAL_EL0");
	ok(vt_phys_count == 1 && vt_phys_active,
	   "acknowledged at EL2 with ICC_CTLR_EL1.EOImode 1: after the priority drop the physical PPI is still active");
	check_eq(r1 ? vcpu.x[20] & 0xffffff : ~0UL, vtimer_intid,
		 "ICH_LR0_EL2 HW 1, pINTID = vINTID = the PPI: the guest's ICC_IAR1_EL1 reads the vINTID");
	check_eq(r1 ? LR_STATE(lr_active) : ~0UL, ST_ACTIVE, "the LR is active while the guest handles it");
	ok(r1 && phys_active_after_drop, "the physical PPI stays active while the virtual one is");
	check_eq(r2 ? LR_STATE(lr_read(0)) : ~0UL, ST_INVALID, "the guest's EOI (EOImode 0) makes the HW LR invalid");
	ok(r2 && !gic_active(vtimer_intid),
	   "and deactivates the physical PPI (pINTID): GICR_ISACTIVER0 clear, no DIR at EL2");
	ok(r2 && !gic_pending(vtimer_intid), "the guest stopped its timer: the PPI is not pending again");
	ok(r2 && (read_sysreg(ICH_ELRSR_EL2) & 1), "ICH_ELRSR_EL2: LR0 empty (HW 1, State 0b00)");

	gic_disable(vtimer_intid);
	if (gic_active(vtimer_intid))
		gic_clear_active(vtimer_intid);
	irq_set_handler(vtimer_intid, NULL);
	pc->manual_deactivate = false;
	gic_set_eoimode(false);
	l2_write(cntv_ctl_el0, CNTV_CTL_EL02, 0);
	write_sysreg(cntvoff_el2, 0);
	isb();
	vif_reset();
}

/* ---- maintenance interrupts -------------------------------------------------------------- */

#define MI_VINTID_A	7
#define MI_VINTID_B	8

/*
 * The LRs written: ICH_HCR_EL2 = hcr, ICH_MISR_EL2 as it then reads to
 * *misr (if misr), and the guest polls for its vIRQ until it has
 * acknowledged one (false, the exit described as what, if it did not).
 */
static bool mi_run_to_ack(u64 hcr, u64 *misr, const char *what)
{
	write_sysreg(ICH_HCR_EL2, hcr);
	isb();
	if (misr)
		*misr = read_sysreg(ICH_MISR_EL2);
	vcpu_reset(el1_virq_poll);
	run_serviced(HCR_GUEST);
	return expect_hvc(HV_HVC_VACK, what);
}

/*
 * ICH_HCR_EL2.UIE (underflow): ICH_MISR_EL2.U while at most one LR holds
 * a valid interrupt; two pending, the guest acknowledges and EOIs one.
 */
static void test_mi_underflow(void)
{
	unsigned before = mi_count;
	bool r1, r2 = false;
	u64 misr0;

	lr_write(0, lr_sw(MI_VINTID_A, 0x80));
	lr_write(1, lr_sw(MI_VINTID_B, 0xa0));
	r1 = mi_run_to_ack(ICH_HCR_EN | ICH_HCR_UIE, &misr0, "underflow: acknowledge");
	check_eq(misr0, 0, "ICH_HCR_EL2.UIE with two valid LRs: ICH_MISR_EL2 0 (no underflow)");
	ok(r1 && mi_count == before && !(read_sysreg(ICH_MISR_EL2) & MISR_U),
	   "after the guest acknowledged one: still two valid LRs (active, pending), no maintenance interrupt");
	if (r1) {
		run_serviced(HCR_GUEST);
		r2 = expect_hvc(HV_HVC_VEOI, "underflow: EOI");
		take_maint(before);
	}
	diag_env("underflow: maintenance interrupts %u, ICH_MISR_EL2 0x%lx ICH_EISR_EL2 0x%lx ICH_ELRSR_EL2 0x%lx",
	     mi_count - before, mi_misr, mi_eisr, mi_elrsr);
	check_eq(r2 ? mi_count - before : ~0U, 1,
		 "after its EOI (one valid LR left) the maintenance interrupt (INTID %u) is taken at EL2, once", maint_intid);
	ok(r2 && (mi_misr & MISR_U) && !(mi_misr & (MISR_EOI | MISR_NP)), "ICH_MISR_EL2.U is set (and EOI, NP are not)");
	check_eq(r2 ? mi_elrsr & 3 : ~0UL, 1, "ICH_ELRSR_EL2 in the handler: LR0 empty, LR1 not");
	check_eq(r2 ? mi_eisr : ~0UL, 0, "ICH_EISR_EL2 0 (no LR asks for EOI maintenance)");
	check_eq(r2 ? vcpu.x[3] & 0xffffff : ~0UL, MI_VINTID_B, "the guest's ICC_HPPIR1_EL1 then reads the other LR's vINTID");
	vif_reset();
}

/*
 * EOI maintenance: an LR with HW 0 and EOI 1, EOI'd by the guest: invalid,
 * ICH_EISR_EL2 names it, ICH_ELRSR_EL2 does not call it empty (State 0b00
 * with EOI 1), ICH_MISR_EL2.EOI; emptied by the hypervisor, both clear.
 */
static void test_mi_eoi(void)
{
	unsigned before = mi_count;
	bool r1, r2 = false;
	u64 misr_ack = ~0UL, eisr_ack = ~0UL;
	unsigned at_ack = ~0U;

	lr_write(0, lr_sw(MI_VINTID_A, 0xa0) | LR_EOI);
	r1 = mi_run_to_ack(ICH_HCR_EN, NULL, "EOI maintenance: acknowledge");
	if (r1) {
		misr_ack = read_sysreg(ICH_MISR_EL2);
		eisr_ack = read_sysreg(ICH_EISR_EL2);
		at_ack = mi_count - before;
		run_serviced(HCR_GUEST);
		r2 = expect_hvc(HV_HVC_VEOI, "EOI maintenance: EOI");
		take_maint(before);
	}
	diag_env("EOI maintenance: at the acknowledge ICH_MISR_EL2 0x%lx ICH_EISR_EL2 0x%lx, %u taken",
	     misr_ack, eisr_ack, at_ack);
	diag_env("EOI maintenance: maintenance interrupts %u, ICH_MISR_EL2 0x%lx ICH_EISR_EL2 0x%lx ICH_ELRSR_EL2 0x%lx",
	     mi_count - before, mi_misr, mi_eisr, mi_elrsr);
	ok(r1 && !misr_ack && !eisr_ack && at_ack == 0,
	   "ICH_LR0_EL2.EOI 1, acknowledged: ICH_MISR_EL2 and ICH_EISR_EL2 0, no maintenance interrupt");
	check_eq(r2 ? mi_count - before : ~0U, 1, "after the guest's EOI the maintenance interrupt is taken at EL2, once");
	ok(r2 && (mi_misr & MISR_EOI) && !(mi_misr & (MISR_U | MISR_NP)), "ICH_MISR_EL2.EOI is set (and U, NP are not)");
	check_eq(r2 ? mi_eisr : ~0UL, 1, "ICH_EISR_EL2 names LR0 (State 0b00, HW 0, EOI 1)");
	check_eq(r2 ? mi_elrsr & 1 : ~0UL, 0, "ICH_ELRSR_EL2: LR0 not empty while its EOI is signalled");
	ok(r2 && !read_sysreg(ICH_EISR_EL2) && (read_sysreg(ICH_ELRSR_EL2) & 1) && !read_sysreg(ICH_MISR_EL2),
	   "LR0 emptied by the hypervisor: ICH_EISR_EL2 and ICH_MISR_EL2 0, ICH_ELRSR_EL2 calls it empty");
	vif_reset();
}

/* ICH_HCR_EL2.NPIE: ICH_MISR_EL2.NP once no LR is pending (the guest acknowledged the only one). */
static void test_mi_no_pending(void)
{
	unsigned before = mi_count, at_ack = ~0U;
	bool r1, r2 = false;
	u64 misr0;

	lr_write(0, lr_sw(MI_VINTID_A, 0xa0));
	r1 = mi_run_to_ack(ICH_HCR_EN | ICH_HCR_NPIE, &misr0, "no pending: acknowledge");
	if (r1) {
		take_maint(before);
		at_ack = mi_count - before;
		run_serviced(HCR_GUEST);
		r2 = expect_hvc(HV_HVC_VEOI, "no pending: EOI");
	}
	diag_env("no pending: maintenance interrupts %u, ICH_MISR_EL2 0x%lx ICH_EISR_EL2 0x%lx ICH_ELRSR_EL2 0x%lx",
	     mi_count - before, mi_misr, mi_eisr, mi_elrsr);
	check_eq(misr0, 0, "ICH_HCR_EL2.NPIE with a pending LR: ICH_MISR_EL2 0");
	check_eq(at_ack, 1, "the guest's acknowledge (no LR pending now) brings the maintenance interrupt, taken at EL2");
	ok(r1 && (mi_misr & MISR_NP) && !(mi_misr & (MISR_U | MISR_EOI)), "ICH_MISR_EL2.NP is set (and U, EOI are not)");
	check_eq(r1 ? mi_elrsr & 1 : ~0UL, 0, "ICH_ELRSR_EL2 in the handler: LR0 (active) not empty");
	ok(r2 && mi_count - before == 1 && LR_STATE(lr_read(0)) == ST_INVALID,
	   "NPIE cleared in the handler: no other maintenance interrupt; the guest's EOI leaves LR0 invalid");
	vif_reset();
}

void test_vgic(bool gic_ok)
{
	u64 vtr = read_sysreg(ICH_VTR_EL2);
	bool have;

	nr_lrs = (unsigned)(vtr & 0x1f) + 1;
	pre_bits = (unsigned)((vtr >> 26) & 7) + 1;
	diag_env("ICH_VTR_EL2 0x%lx: %u list registers, %u preemption bits", vtr, nr_lrs, pre_bits);
	have = gic_ok && nr_lrs >= 2 && gic_maint_ppi(&maint_intid) && timer_ppi(2, &vtimer_intid);
	ok(have, "ICH_VTR_EL2.ListRegs: at least 2 list registers; the GIC node's maintenance interrupt is a PPI");
	if (!have)
		return;
	diag_env("maintenance interrupt INTID %u, virtual timer INTID %u", maint_intid, vtimer_intid);
	vif_reset();
	irq_set_handler(maint_intid, maint_irq);
	gic_enable(maint_intid);
	test_lr_poll();
	test_lr_take();
	test_lr_hw_vtimer();
	test_mi_underflow();
	test_mi_eoi();
	test_mi_no_pending();
	gic_disable(maint_intid);
	vif_reset();
}
