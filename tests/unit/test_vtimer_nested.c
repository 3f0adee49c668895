/*
 * Host tests of the timers of a vCPU with a virtual EL2
 * (src/timer/vtimer_nested.c): the set and its members, the EL2 physical
 * timer's registers and its PPI, CNTVOFF_EL2 composed with the VM's
 * offset, CNTHCTL_EL2 merged for each context, L1's CNTHCTL_EL2 traps of
 * L2 against cpu/trap_forward.c and the hardware's rules, deadlines over
 * the set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/arm_regs.h>
#include <nv/esr.h>
#include <nv/fake_arch.h>
#include <nv/percpu.h>
#include <nv/vcpu.h>
#include <nv/vel2_regs.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>
#include <nv/vtimer_nested.h>
#include "helpers.h"
#include "vtimer_fixture.h"

#define HPTIMER_PPI 26
#define HVTIMER_PPI 28

/* Encodings, from the Arm ARM's register pages (not from the sources). */
#define E SYSREG_ENC
#define CNTVOFF_EL2 E(3, 4, 14, 0, 3)
#define CNTHCTL_EL2 E(3, 4, 14, 1, 0)
#define CNTHP_TVAL_EL2 E(3, 4, 14, 2, 0)
#define CNTHP_CTL_EL2 E(3, 4, 14, 2, 1)
#define CNTHP_CVAL_EL2 E(3, 4, 14, 2, 2)
#define CNTHV_TVAL_EL2 E(3, 4, 14, 3, 0)
#define CNTHV_CTL_EL2 E(3, 4, 14, 3, 1)
#define CNTHV_CVAL_EL2 E(3, 4, 14, 3, 2)
#define CNTFRQ_EL0 E(3, 3, 14, 0, 0)
#define CNTPCT_EL0 E(3, 3, 14, 0, 1)
#define CNTVCT_EL0 E(3, 3, 14, 0, 2)
#define CNTPCTSS_EL0 E(3, 3, 14, 0, 5)
#define CNTVCTSS_EL0 E(3, 3, 14, 0, 6)
#define CNTP_TVAL_EL0 E(3, 3, 14, 2, 0)
#define CNTP_CTL_EL0 E(3, 3, 14, 2, 1)
#define CNTP_CVAL_EL0 E(3, 3, 14, 2, 2)
#define CNTV_TVAL_EL0 E(3, 3, 14, 3, 0)
#define CNTV_CTL_EL0 E(3, 3, 14, 3, 1)
#define CNTV_CVAL_EL0 E(3, 3, 14, 3, 2)
#define HCR_EL2_ENC E(3, 4, 1, 1, 0)

static u64 vncr_page[VEL2_VNCR_PAGE / 8];
static struct vel2_file el2_file = { .vncr = vncr_page };
static struct vel2_file *const el2 = &el2_file;
static struct vtimer_nested vt;

static int setup(void **state)
{
	(void)state;
	/* The GIC's MMIO reads 0; vm.cntvoff (a plain VM's) is never used here. */
	vtimer_fixture_setup(NULL, NULL);
	vtimer_nested_init(VTIMER_PPI, PTIMER_PPI, HPTIMER_PPI, HVTIMER_PPI);
	vel2_regs_reset(el2);
	vtimer_nested_init_vcpu(&vt, 0, false, false);
	return 0;
}

static bool level(const struct vcpu *v, u32 intid)
{
	return v->vgic.priv[intid].level;
}

static u64 rd(u32 enc)
{
	u64 val = 0xdead;

	assert_int_equal(vtimer_nested_sysreg(&vc.v[0], &vt, el2, enc, false, &val),
			 VTN_DONE);
	return val;
}

static enum vtn_access wr(u32 enc, u64 val)
{
	return vtimer_nested_sysreg(&vc.v[0], &vt, el2, enc, true, &val);
}

/* --- The set --- */

static void test_members(void **state)
{
	struct vtn_timer_info i;

	(void)state;
	vel2_set(el2, VEL2_CNTVOFF_EL2, 0x1234);
	vt.poff = 0x10;
	assert_true(vtimer_nested_timer(&vt, el2, VTN_EL1_VIRT, &i));
	assert_string_equal(i.name, "CNTV");
	assert_int_equal(i.intid, VTIMER_PPI);
	assert_int_equal(i.owner, VTN_L2);
	assert_true(i.on_hw);
	assert_int_equal(i.offset, 0x1244);
	assert_true(vtimer_nested_timer(&vt, el2, VTN_EL1_PHYS, &i));
	assert_int_equal(i.intid, PTIMER_PPI);
	assert_int_equal(i.owner, VTN_L2);
	assert_false(i.on_hw);
	assert_int_equal(i.offset, 0x10);
	assert_true(vtimer_nested_timer(&vt, el2, VTN_EL2_PHYS, &i));
	assert_string_equal(i.name, "CNTHP");
	assert_int_equal(i.intid, HPTIMER_PPI);
	assert_int_equal(i.owner, VTN_L1);
	assert_false(i.on_hw);
	assert_int_equal(i.offset, 0x10);
	/* CNTHV_* exist only with FEAT_VHE. */
	assert_false(vtimer_nested_timer(&vt, el2, VTN_EL2_VIRT, &i));
	vt.vhe = true;
	assert_true(vtimer_nested_timer(&vt, el2, VTN_EL2_VIRT, &i));
	assert_int_equal(i.intid, HVTIMER_PPI);
	assert_int_equal(i.owner, VTN_L1);
	assert_int_equal(i.offset, 0x10);
	assert_false(vtimer_nested_timer(&vt, el2, VTN_NR, &i));
}

/* --- CNTHP_*_EL2 --- */

static void test_cnthp_cval_tval(void **state)
{
	(void)state;
	assert_int_equal(wr(CNTHP_CVAL_EL2, UINT64_C(0xfedcba9876543210)), VTN_DONE);
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CVAL_EL2), UINT64_C(0xfedcba9876543210));
	assert_int_equal(rd(CNTHP_CVAL_EL2), UINT64_C(0xfedcba9876543210));

	/* TVAL = CVAL - count, 32 bits signed; a write sets CVAL. */
	wr(CNTHP_TVAL_EL2, 250);
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CVAL_EL2), NOW + 250);
	assert_int_equal(rd(CNTHP_TVAL_EL2), 250);
	fake_arch.counter = NOW + 100;
	assert_int_equal(rd(CNTHP_TVAL_EL2), 150);
	fake_arch.counter = NOW + 300;
	assert_int_equal(rd(CNTHP_TVAL_EL2), 0xffffffceu); /* -50 */
	fake_arch.counter = NOW;
	wr(CNTHP_TVAL_EL2, 0xffffff00u);
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CVAL_EL2), NOW - 0x100);
	wr(CNTHP_TVAL_EL2, 0x7fffffffu);
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CVAL_EL2), NOW + 0x7fffffffu);
	wr(CNTHP_TVAL_EL2, 0x80000000u);
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CVAL_EL2), NOW - 0x80000000ull);
	wr(CNTHP_TVAL_EL2, UINT64_C(0x1234567800000001));
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CVAL_EL2), NOW + 1);
	vel2_set(el2, VEL2_CNTHP_CVAL_EL2, NOW + UINT64_C(0x100000005));
	assert_int_equal(rd(CNTHP_TVAL_EL2), 5);

	/* L1's count is the hardware's less the VM's offset. */
	vt.poff = 40000;
	wr(CNTHP_TVAL_EL2, 10);
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CVAL_EL2), NOW - 40000 + 10);
	assert_int_equal(rd(CNTPCT_EL0), NOW - 40000);
}

static void test_cnthp_ctl_istatus(void **state)
{
	(void)state;
	vel2_set(el2, VEL2_CNTHP_CVAL_EL2, NOW + 10);
	wr(CNTHP_CTL_EL2, EN | IMASK | ISTATUS | 0xf0);
	assert_int_equal(vel2_get(el2, VEL2_CNTHP_CTL_EL2), EN | IMASK);
	assert_int_equal(rd(CNTHP_CTL_EL2), EN | IMASK);
	/* ISTATUS is the condition (count >= CVAL), masked or not. */
	fake_arch.counter = NOW + 10;
	assert_int_equal(rd(CNTHP_CTL_EL2), EN | IMASK | ISTATUS);
	wr(CNTHP_CTL_EL2, EN);
	assert_int_equal(rd(CNTHP_CTL_EL2), EN | ISTATUS);
	/* Disabled: no condition. */
	wr(CNTHP_CTL_EL2, 0);
	assert_int_equal(rd(CNTHP_CTL_EL2), 0);
}

/*
 * The output drives PPI 26 of the VM's vGIC, and nothing else; a write
 * updates it at once, a sync at any later count (in either context).
 */
static void test_cnthp_ppi26(void **state)
{
	struct vcpu *v = &vc.v[0];
	struct virq *q = &v->vgic.priv[HPTIMER_PPI];

	(void)state;
	wr(CNTHP_CVAL_EL2, NOW - 1);
	assert_false(level(v, HPTIMER_PPI));
	wr(CNTHP_CTL_EL2, EN);
	assert_true(level(v, HPTIMER_PPI));
	assert_false(level(v, PTIMER_PPI));
	assert_false(level(v, VTIMER_PPI));
	assert_false(level(v, HVTIMER_PPI));
	assert_false(level(&vc.v[1], HPTIMER_PPI));
	wr(CNTHP_CTL_EL2, EN | IMASK);
	assert_false(level(v, HPTIMER_PPI));
	wr(CNTHP_CTL_EL2, EN);
	wr(CNTHP_TVAL_EL2, 1000);
	assert_false(level(v, HPTIMER_PPI));

	/* It fires while L2 runs: pending in the vGIC for L1 to take (IMO). */
	vm.vgic.ctlr = GICD_CTLR_ENABLE_G1;
	q->enabled = q->group1 = true;
	vtimer_nested_switch_to_l2(&vt, el2);
	vtimer_nested_sync(v, &vt, el2, NOW + 999);
	assert_false(level(v, HPTIMER_PPI));
	assert_false(vgic_pending(v));
	vtimer_nested_sync(v, &vt, el2, NOW + 1000);
	assert_true(level(v, HPTIMER_PPI));
	assert_true(vgic_virq_pending(q));
	assert_true(vgic_pending(v));
	/* A level: L1 masking it (or disabling it) drops it. */
	vel2_set(el2, VEL2_CNTHP_CTL_EL2, EN | IMASK);
	vtimer_nested_sync(v, &vt, el2, NOW + 2000);
	assert_false(level(v, HPTIMER_PPI));
	assert_false(vgic_virq_pending(q));
	/* At L1's count: with poff the condition comes poff later. */
	vel2_set(el2, VEL2_CNTHP_CTL_EL2, EN);
	vt.poff = 500;
	vtimer_nested_sync(v, &vt, el2, NOW + 1499);
	assert_false(level(v, HPTIMER_PPI));
	vtimer_nested_sync(v, &vt, el2, NOW + 1500);
	assert_true(level(v, HPTIMER_PPI));
}

/* CNTHV_*: UNDEFINED without FEAT_VHE; with it, PPI 28. */
static void test_cnthv(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	assert_int_equal(wr(CNTHV_CTL_EL2, EN), VTN_UNDEF);
	assert_int_equal(wr(CNTHV_CVAL_EL2, 1), VTN_UNDEF);
	assert_int_equal(vel2_get(el2, VEL2_CNTHV_CTL_EL2), 0);
	vtimer_nested_sync(v, &vt, el2, NOW);
	assert_false(level(v, HVTIMER_PPI));
	vt.vhe = true;
	assert_int_equal(wr(CNTHV_CVAL_EL2, NOW), VTN_DONE);
	assert_int_equal(wr(CNTHV_CTL_EL2, EN), VTN_DONE);
	assert_true(level(v, HVTIMER_PPI));
	assert_false(level(v, HPTIMER_PPI));
	assert_int_equal(rd(CNTHV_CTL_EL2), EN | ISTATUS);
	wr(CNTHV_TVAL_EL2, 5);
	assert_int_equal(vel2_get(el2, VEL2_CNTHV_CVAL_EL2), NOW + 5);
	assert_false(level(v, HVTIMER_PPI));
	vtimer_nested_sync(v, &vt, el2, NOW + 5);
	assert_true(level(v, HVTIMER_PPI));
}

/* CNTP_*_EL0 (L1 at vEL2, or L2 not forwarded): the EL1 physical timer, PPI 30. */
static void test_el1_ptimer(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	vt.poff = 1000;
	wr(CNTP_TVAL_EL0, 100);
	assert_int_equal(v->ptimer.cval, NOW - 1000 + 100);
	assert_int_equal(rd(CNTP_CVAL_EL0), NOW - 900);
	wr(CNTP_CTL_EL0, EN);
	assert_false(level(v, PTIMER_PPI));
	fake_arch.counter = NOW + 100;
	assert_int_equal(rd(CNTP_CTL_EL0), EN | ISTATUS);
	assert_int_equal(rd(CNTP_TVAL_EL0), 0);
	vtimer_nested_sync(v, &vt, el2, NOW + 99);
	assert_false(level(v, PTIMER_PPI));
	vtimer_nested_sync(v, &vt, el2, NOW + 100);
	assert_true(level(v, PTIMER_PPI));
	assert_false(level(v, HPTIMER_PPI));
	wr(CNTP_CTL_EL0, EN | IMASK);
	assert_false(level(v, PTIMER_PPI));
}

/* The EL1 virtual timer's PPI from the hardware's CNTV_CTL_EL0 (vtimer.c). */
static void test_el1_vtimer_level(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	vtimer_init_vcpu(v);
	fake_arch.vtimer_ctl = EN | ISTATUS;
	vgic_hw_fired(v, VTIMER_PPI);
	vtimer_nested_sync(v, &vt, el2, NOW);
	assert_true(level(v, VTIMER_PPI));
	fake_arch.vtimer_ctl = EN | IMASK | ISTATUS;
	vtimer_nested_sync(v, &vt, el2, NOW);
	assert_false(level(v, VTIMER_PPI));
}

static void test_sysreg_other(void **state)
{
	u64 val = 7;

	(void)state;
	/* Not this file's: EL2 registers of other frameworks, CNTV_* (the
	 * hardware's), CNTFRQ_EL0, CNTVCT_EL0. */
	assert_int_equal(vtimer_nested_sysreg(&vc.v[0], &vt, el2, HCR_EL2_ENC, false, &val),
			 VTN_NOT_TIMER);
	assert_int_equal(wr(CNTV_CTL_EL0, 1), VTN_NOT_TIMER);
	assert_int_equal(wr(CNTV_CVAL_EL0, 1), VTN_NOT_TIMER);
	assert_int_equal(wr(CNTFRQ_EL0, 1), VTN_NOT_TIMER);
	assert_int_equal(vtimer_nested_sysreg(&vc.v[0], &vt, el2, CNTVCT_EL0, false, &val),
			 VTN_NOT_TIMER);
	assert_int_equal(val, 7);
	/* The counter: read-only; CNTPCTSS_EL0 only with FEAT_ECV. */
	assert_int_equal(rd(CNTPCT_EL0), NOW);
	assert_int_equal(wr(CNTPCT_EL0, 1), VTN_UNDEF);
	assert_int_equal(vtimer_nested_sysreg(&vc.v[0], &vt, el2, CNTPCTSS_EL0, false, &val),
			 VTN_UNDEF);
	vt.ecv = true;
	assert_int_equal(rd(CNTPCTSS_EL0), NOW);
}

/* --- CNTVOFF_EL2 --- */

static void test_cntvoff_composition(void **state)
{
	struct vtn_hw hw;

	(void)state;
	/* Today's VMs: poff 0, the hardware gets L1's CNTVOFF_EL2 as it is
	 * (L1 reads CNTPCT_EL0 untrapped, and wants CNTVCT = CNTPCT -
	 * CNTVOFF_EL2), not vm->cntvoff added. */
	assert_int_equal(wr(CNTVOFF_EL2, UINT64_C(0xffffff0000000000)), VTN_RELOAD);
	assert_int_equal(rd(CNTVOFF_EL2), UINT64_C(0xffffff0000000000));
	assert_int_equal(vtimer_nested_cntvoff(&vt, el2), UINT64_C(0xffffff0000000000));
	hw = vtimer_nested_switch_to_l2(&vt, el2);
	assert_int_equal(hw.cntvoff, UINT64_C(0xffffff0000000000));
	/* With E2H 0 L1's own virtual count uses it too: the same at vEL2. */
	hw = vtimer_nested_switch_to_l1(&vt, el2);
	assert_int_equal(hw.cntvoff, UINT64_C(0xffffff0000000000));
	assert_int_equal(vtimer_nested_hw(&vt, el2).cntvoff, UINT64_C(0xffffff0000000000));

	/* The VM's offset added, modulo 2^64: virtual count = hardware count -
	 * poff - CNTVOFF_EL2 whatever wraps. */
	vt.poff = 0x30000000000;
	assert_int_equal(vtimer_nested_cntvoff(&vt, el2), 0x20000000000);
	/* At hardware count 0x500_0000_0000: L1's physical count 0x200_0000_0000,
	 * L2's virtual count that less CNTVOFF_EL2 (2^40 more), 0x300_0000_0000. */
	assert_int_equal(vtimer_nested_count(&vt, UINT64_C(0x50000000000)), 0x20000000000);
	assert_int_equal(UINT64_C(0x50000000000) - vtimer_nested_cntvoff(&vt, el2),
			 0x30000000000);
	wr(CNTVOFF_EL2, 5);
	assert_int_equal(vtimer_nested_switch_to_l2(&vt, el2).cntvoff, 0x30000000005);
	/* The switch leaves the EL1 virtual timer's saved state alone. */
	vc.v[0].sys.cntv_ctl_el0 = EN;
	vc.v[0].sys.cntv_cval_el0 = 1234;
	vtimer_nested_switch_to_l1(&vt, el2);
	vtimer_nested_switch_to_l2(&vt, el2);
	assert_int_equal(vc.v[0].sys.cntv_ctl_el0, EN);
	assert_int_equal(vc.v[0].sys.cntv_cval_el0, 1234);
}

/* --- CNTHCTL_EL2 --- */

static void test_cnthctl_merge(void **state)
{
	const u64 evnt = CNTHCTL_EVNTEN | CNTHCTL_EVNTDIR | (UINT64_C(9) << 4);
	struct vtn_hw hw;

	(void)state;
	/* RES0 bits dropped on write (E2H 0: 63:20, 11:8). */
	assert_int_equal(wr(CNTHCTL_EL2, ~UINT64_C(0)), VTN_RELOAD);
	assert_int_equal(rd(CNTHCTL_EL2), GENMASK(19, 12) | GENMASK(7, 0));

	/* nestvisor's own: the physical counter readable, the timer trapped. */
	assert_int_equal(vtimer_nested_own_cnthctl(&vt), CNTHCTL_EL1PCTEN);
	/* L1 at vEL2: L1's traps are for EL1 and EL0, not for itself; its
	 * event stream is loaded; ECV bits not shown are not. */
	vel2_set(el2, VEL2_CNTHCTL_EL2, 0);
	assert_int_equal(vtimer_nested_switch_to_l1(&vt, el2).cnthctl, CNTHCTL_EL1PCTEN);
	vel2_set(el2, VEL2_CNTHCTL_EL2, evnt | CNTHCTL_EVNTIS | CNTHCTL_EL1TVT);
	assert_int_equal(vtimer_nested_hw(&vt, el2).cnthctl, CNTHCTL_EL1PCTEN | evnt);

	/* L2: L1 may add traps. */
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	hw = vtimer_nested_switch_to_l2(&vt, el2);
	assert_int_equal(hw.cnthctl, CNTHCTL_EL1PCTEN); /* EL1PCEN stays 0: nestvisor's */
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCEN);
	assert_int_equal(vtimer_nested_hw(&vt, el2).cnthctl, 0); /* L1 traps CNTPCT */
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN | evnt);
	assert_int_equal(vtimer_nested_hw(&vt, el2).cnthctl, CNTHCTL_EL1PCTEN | evnt);
	/* FEAT_ECV's trap-when-1 bits only if ECV is shown to L1. */
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1TVT | CNTHCTL_EL1TVCT |
				CNTHCTL_EVNTIS | BIT(12) | BIT(15) | BIT(16) | BIT(18) | BIT(19));
	assert_int_equal(vtimer_nested_hw(&vt, el2).cnthctl, CNTHCTL_EL1PCTEN);
	vt.ecv = true;
	assert_int_equal(vtimer_nested_hw(&vt, el2).cnthctl,
			 CNTHCTL_EL1PCTEN | CNTHCTL_EL1TVT | CNTHCTL_EL1TVCT | CNTHCTL_EVNTIS);
	/* L1 cannot remove a trap of nestvisor's: with poff the counter traps
	 * in both contexts, whatever L1 sets. */
	vt.poff = 1;
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	assert_int_equal(vtimer_nested_hw(&vt, el2).cnthctl, 0);
	assert_int_equal(vtimer_nested_switch_to_l1(&vt, el2).cnthctl, 0);
}

/*
 * The hardware's trapping of an EL1 access (CNTHCTL_EL2 field
 * descriptions, E2H 0), written from the Arm ARM here as a reference:
 * EL1PCTEN 0 traps CNTPCT/CNTPCTSS reads, EL1PCEN 0 CNTP_*, EL1TVCT 1
 * CNTVCT/CNTVCTSS reads, EL1TVT 1 CNTV_*; CNTFRQ_EL0 never.
 */
static bool hw_traps(u64 cnthctl, u32 enc, bool read)
{
	unsigned crm = (enc >> 3) & 0xf, op2 = enc & 7;

	switch (crm) {
	case 0:
		if (op2 == 1 || op2 == 5)
			return read && !(cnthctl & CNTHCTL_EL1PCTEN);
		if (op2 == 2 || op2 == 6)
			return read && (cnthctl & CNTHCTL_EL1TVCT);
		return false;
	case 2:
		return !(cnthctl & CNTHCTL_EL1PCEN);
	case 3:
		return (cnthctl & CNTHCTL_EL1TVT) != 0;
	default:
		return false;
	}
}

/*
 * For every L1 CNTHCTL_EL2 (its four trap bits), VM offset and ECV shown
 * or not, and every counter and EL1 timer access of L2: a trap L1 asked
 * for (vtimer_nested_l2_trap, i.e. trap_forward.c's rows) is one the
 * merged hardware CNTHCTL_EL2 takes; a trap the hardware takes that L1
 * did not ask for is one nestvisor emulates. And while L1 runs at vEL2,
 * whatever its CNTHCTL_EL2, everything trapped is emulated.
 */
static void test_l2_traps_consistent(void **state)
{
	static const u32 encs[] = {
		CNTFRQ_EL0, CNTPCT_EL0, CNTVCT_EL0, CNTPCTSS_EL0, CNTVCTSS_EL0,
		CNTP_TVAL_EL0, CNTP_CTL_EL0, CNTP_CVAL_EL0,
		CNTV_TVAL_EL0, CNTV_CTL_EL0, CNTV_CVAL_EL0,
	};
	static const u64 bits[] = { CNTHCTL_EL1PCTEN, CNTHCTL_EL1PCEN,
				    CNTHCTL_EL1TVT, CNTHCTL_EL1TVCT };
	unsigned checked = 0;

	(void)state;
	for (unsigned ecv = 0; ecv < 2; ecv++)
	for (unsigned p = 0; p < 2; p++)
	for (unsigned m = 0; m < 16; m++)
	for (unsigned i = 0; i < ARRAY_SIZE(encs); i++)
	for (unsigned rw = 0; rw < 2; rw++) {
		u32 enc = encs[i];
		unsigned crm = enc >> 3 & 0xf, op2 = enc & 7;
		bool read = rw == 0;
		/* Trapped by EL1TVT or EL1TVCT, FEAT_ECV's. */
		bool ecv_reg = crm == 3 || (crm == 0 && (op2 == 2 || op2 == 6));
		u64 l1 = 0, h1, h2, val = 0;
		bool want;

		if (!read && crm == 0)
			continue; /* MSR to a counter: UNDEFINED, never trapped */
		if (!ecv && crm == 0 && op2 >= 5)
			continue; /* CNTPCTSS/CNTVCTSS: FEAT_ECV */
		for (unsigned b = 0; b < 4; b++)
			if (m & (1u << b))
				l1 |= bits[b];
		vtimer_nested_init_vcpu(&vt, p ? 1234 : 0, ecv, false);
		vel2_set(el2, VEL2_CNTHCTL_EL2, l1);
		h1 = vtimer_nested_switch_to_l1(&vt, el2).cnthctl;
		h2 = vtimer_nested_switch_to_l2(&vt, el2).cnthctl;
		want = vtimer_nested_l2_trap(el2, enc, read);
		/* L1 asked for the traps its CNTHCTL_EL2 would take on hardware
		 * (EL1TVT and EL1TVCT only when FEAT_ECV is shown). */
		if (ecv || !ecv_reg)
			assert_int_equal(want, hw_traps(l1, enc, read));
		if (!ecv && ecv_reg) {
			/* EL1TVT/EL1TVCT are RES0 for L1: never a trap. */
			assert_false(hw_traps(h2, enc, read));
		} else if (want) {
			assert_true(hw_traps(h2, enc, read));
		}
		if (hw_traps(h2, enc, read) && !want)
			assert_int_equal(vtimer_nested_sysreg(&vc.v[0], &vt, el2, enc,
							      !read, &val),
					 VTN_DONE);
		if (hw_traps(h1, enc, read))
			assert_int_equal(vtimer_nested_sysreg(&vc.v[0], &vt, el2, enc,
							      !read, &val),
					 VTN_DONE);
		/* The EL1 physical timer is always nestvisor's to trap. */
		if (crm == 2) {
			assert_true(hw_traps(h1, enc, read));
			assert_true(hw_traps(h2, enc, read));
		}
		/* The counter traps for nestvisor only with an offset. */
		if (crm == 0 && op2 == 1)
			assert_int_equal(hw_traps(h1, enc, read), p != 0);
		checked++;
	}
	assert_true(checked > 500);
}

/* The decision itself, against L1's bits one by one. */
static void test_l2_trap_decision(void **state)
{
	(void)state;
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	assert_false(vtimer_nested_l2_trap(el2, CNTPCT_EL0, true));
	assert_false(vtimer_nested_l2_trap(el2, CNTP_CTL_EL0, false));
	assert_false(vtimer_nested_l2_trap(el2, CNTV_CTL_EL0, false));
	assert_false(vtimer_nested_l2_trap(el2, CNTVCT_EL0, true));
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCEN);
	assert_true(vtimer_nested_l2_trap(el2, CNTPCT_EL0, true));
	assert_true(vtimer_nested_l2_trap(el2, CNTPCTSS_EL0, true));
	assert_false(vtimer_nested_l2_trap(el2, CNTP_CVAL_EL0, true));
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN);
	assert_false(vtimer_nested_l2_trap(el2, CNTPCT_EL0, true));
	assert_true(vtimer_nested_l2_trap(el2, CNTP_TVAL_EL0, true));
	assert_true(vtimer_nested_l2_trap(el2, CNTP_CTL_EL0, false));
	assert_true(vtimer_nested_l2_trap(el2, CNTP_CVAL_EL0, false));
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EL1TVT);
	assert_true(vtimer_nested_l2_trap(el2, CNTV_CTL_EL0, true));
	assert_false(vtimer_nested_l2_trap(el2, CNTVCT_EL0, true));
	vel2_set(el2, VEL2_CNTHCTL_EL2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EL1TVCT);
	assert_true(vtimer_nested_l2_trap(el2, CNTVCT_EL0, true));
	assert_true(vtimer_nested_l2_trap(el2, CNTVCTSS_EL0, true));
	assert_false(vtimer_nested_l2_trap(el2, CNTV_CVAL_EL0, false));
	/* Only the timer space: not HCR_EL2, not CNTHP_*. */
	vel2_set(el2, VEL2_CNTHCTL_EL2, 0);
	assert_false(vtimer_nested_l2_trap(el2, HCR_EL2_ENC, true));
	assert_false(vtimer_nested_l2_trap(el2, CNTHP_CTL_EL2, true));
	assert_false(vtimer_nested_l2_trap(el2, CNTFRQ_EL0, true));
}

/* --- Deadlines over the set --- */

static void test_deadlines(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NEVER);
	/* Each member alone. */
	vel2_set(el2, VEL2_CNTHP_CTL_EL2, EN);
	vel2_set(el2, VEL2_CNTHP_CVAL_EL2, NOW + 700);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, true), NOW + 700);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NOW + 700);
	vel2_set(el2, VEL2_CNTHP_CTL_EL2, EN | IMASK);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NEVER);
	v->ptimer.ctl = EN;
	v->ptimer.cval = NOW + 600;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, true), NOW + 600);
	v->ptimer.ctl = 0;
	/* The EL1 virtual timer: only when not loaded, through L1's CNTVOFF_EL2
	 * (not vm->cntvoff). */
	v->sys.cntv_ctl_el0 = EN;
	v->sys.cntv_cval_el0 = NOW + 500;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NOW + 500);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, true), NEVER);
	vel2_set(el2, VEL2_CNTVOFF_EL2, 100);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NOW + 600);
	/* CNTVOFF_EL2 = -2^40 (the test hypervisor's): the virtual count is
	 * count + 2^40, so a CVAL 2^39 ahead in physical terms has passed,
	 * and one 2^40 + 300 ahead is 300 ahead. */
	vel2_set(el2, VEL2_CNTVOFF_EL2, 0ULL - (1ULL << 40));
	v->sys.cntv_cval_el0 = NOW + (1ULL << 39);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NOW);
	v->sys.cntv_cval_el0 = NOW + (1ULL << 40) + 300;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NOW + 300);
	/* The earliest of the set. */
	vel2_set(el2, VEL2_CNTHP_CTL_EL2, EN);
	vel2_set(el2, VEL2_CNTHP_CVAL_EL2, NOW + 200);
	v->ptimer.ctl = EN;
	v->ptimer.cval = NOW + 250;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NOW + 200);
	v->ptimer.cval = NOW + 150;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, false), NOW + 150);
	/* CNTHV with FEAT_VHE only. */
	vel2_set(el2, VEL2_CNTHV_CTL_EL2, EN);
	vel2_set(el2, VEL2_CNTHV_CVAL_EL2, NOW + 50);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, true), NOW + 150);
	vt.vhe = true;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, true), NOW + 50);
	/* The VM's offset: the emulated timers compare CVAL with count - poff. */
	vt.vhe = false;
	v->ptimer.ctl = 0;
	v->sys.cntv_ctl_el0 = 0;
	vt.poff = 10000;
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, true), NOW + 200 + 10000);
	/* One already high: now. */
	vel2_set(el2, VEL2_CNTHP_CVAL_EL2, 0);
	assert_int_equal(vtimer_nested_next_deadline(v, &vt, el2, NOW, true), NOW);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_members),
		T(test_cnthp_cval_tval),
		T(test_cnthp_ctl_istatus),
		T(test_cnthp_ppi26),
		T(test_cnthv),
		T(test_el1_ptimer),
		T(test_el1_vtimer_level),
		T(test_sysreg_other),
		T(test_cntvoff_composition),
		T(test_cnthctl_merge),
		T(test_l2_traps_consistent),
		T(test_l2_trap_decision),
		T(test_deadlines),
	};

	return cmocka_run_group_tests_name("vtimer_nested", tests, NULL, NULL);
}
