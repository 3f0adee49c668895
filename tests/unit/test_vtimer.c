/*
 * Host tests of the guest timers (src/timer/vtimer.c): the emulated EL1
 * physical timer's registers and interrupt line, the deadlines the
 * scheduler sleeps until (loaded and not loaded vCPUs), the WFI wake-up
 * test, and the forwarded virtual timer's set-up and active state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/percpu.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>
#include "helpers.h"
#include "vtimer_fixture.h"

#define GICR_ISENABLER0 (GICR_BASE + 0x10000 + 0x100)
#define GICR_ISACTIVER0 (GICR_BASE + 0x10000 + 0x300)
#define GICR_ICACTIVER0 (GICR_BASE + 0x10000 + 0x380)

/* The physical GIC redistributor as vtimer_put/load see it. */
static u32 isactiver0;
static struct {
	paddr_t addr;
	u64 val;
} writes[8];
static unsigned nwrites;

static u64 fake_read(paddr_t addr, unsigned size)
{
	assert_int_equal(size, 4);
	return addr == GICR_ISACTIVER0 ? isactiver0 : 0;
}

static void fake_write(paddr_t addr, u64 val, unsigned size)
{
	assert_int_equal(size, 4);
	assert_true(nwrites < ARRAY_SIZE(writes));
	writes[nwrites].addr = addr;
	writes[nwrites].val = val;
	nwrites++;
}

static int setup(void **state)
{
	(void)state;
	vtimer_fixture_setup(fake_read, fake_write);
	isactiver0 = 0;
	nwrites = 0;
	return 0;
}

static bool ptimer_level(const struct vcpu *v)
{
	return v->vgic.priv[PTIMER_PPI].level;
}

/* --- CNTP_* registers --- */

static void test_ptimer_cval(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	vtimer_ptimer_write(v, PTIMER_CVAL, UINT64_C(0xfedcba9876543210));
	assert_int_equal(v->ptimer.cval, UINT64_C(0xfedcba9876543210));
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_CVAL),
			 UINT64_C(0xfedcba9876543210));
	assert_int_equal(vtimer_ptimer_read(&vc.v[1], PTIMER_CVAL), 0);
}

static void test_ptimer_tval(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	vtimer_ptimer_write(v, PTIMER_TVAL, 250);
	assert_int_equal(v->ptimer.cval, NOW + 250);
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_TVAL), 250);
	/* The counter moves on: TVAL counts down, then goes negative. */
	fake_arch.counter = NOW + 100;
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_TVAL), 150);
	fake_arch.counter = NOW + 300;
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_TVAL), 0xffffffceu);

	/* Writes are signed 32-bit. */
	fake_arch.counter = NOW;
	vtimer_ptimer_write(v, PTIMER_TVAL, 0xffffff00u);
	assert_int_equal(v->ptimer.cval, NOW - 0x100);
	vtimer_ptimer_write(v, PTIMER_TVAL, 0x7fffffffu);
	assert_int_equal(v->ptimer.cval, NOW + 0x7fffffffu);
	vtimer_ptimer_write(v, PTIMER_TVAL, 0x80000000u);
	assert_int_equal(v->ptimer.cval, NOW - 0x80000000ull);
	vtimer_ptimer_write(v, PTIMER_TVAL, UINT64_C(0x1234567800000001));
	assert_int_equal(v->ptimer.cval, NOW + 1);
	/* A read is 32 bits, whatever the distance. */
	v->ptimer.cval = NOW + UINT64_C(0x100000005);
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_TVAL), 5);
}

static void test_ptimer_ctl(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	v->ptimer.cval = NOW + 10;
	vtimer_ptimer_write(v, PTIMER_CTL, EN | IMASK | ISTATUS | 0xf0);
	assert_int_equal(v->ptimer.ctl, EN | IMASK);
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_CTL), EN | IMASK);
	/* ISTATUS is the condition, masked or not. */
	fake_arch.counter = NOW + 10;
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_CTL), EN | IMASK | ISTATUS);
	vtimer_ptimer_write(v, PTIMER_CTL, EN);
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_CTL), EN | ISTATUS);
	/* Disabled: no condition. */
	vtimer_ptimer_write(v, PTIMER_CTL, 0);
	assert_int_equal(vtimer_ptimer_read(v, PTIMER_CTL), 0);
}

/* Each register write updates the line at once. */
static void test_ptimer_write_syncs(void **state)
{
	struct vcpu *v = &vc.v[0];
	unsigned kicks;

	(void)state;
	vtimer_ptimer_write(v, PTIMER_CVAL, NOW - 1);
	assert_false(ptimer_level(v));
	kicks = fake_arch.kicks;
	vtimer_ptimer_write(v, PTIMER_CTL, EN);
	assert_true(ptimer_level(v));
	assert_int_equal(fake_arch.kicks, kicks + 1);
	/* Moving CVAL into the future drops it. */
	vtimer_ptimer_write(v, PTIMER_TVAL, 1000);
	assert_false(ptimer_level(v));
	vtimer_ptimer_write(v, PTIMER_CVAL, NOW);
	assert_true(ptimer_level(v));
	vtimer_ptimer_write(v, PTIMER_CTL, EN | IMASK);
	assert_false(ptimer_level(v));
	assert_false(ptimer_level(&vc.v[1]));
}

static void test_sync_ptimer(void **state)
{
	struct vcpu *v = &vc.v[1];

	(void)state;
	v->ptimer.cval = 2000;
	v->ptimer.ctl = EN;
	vtimer_sync_ptimer(v, 1999);
	assert_false(ptimer_level(v));
	vtimer_sync_ptimer(v, 2000);
	assert_true(ptimer_level(v));
	assert_false(ptimer_level(&vc.v[0]));
	/* Only this vCPU's PPI; no SPI, no other PPI. */
	assert_false(v->vgic.priv[VTIMER_PPI].level);
	vtimer_sync_ptimer(v, 5000);
	assert_true(ptimer_level(v));

	v->ptimer.ctl = EN | IMASK;
	vtimer_sync_ptimer(v, 5000);
	assert_false(ptimer_level(v));
	v->ptimer.ctl = EN;
	vtimer_sync_ptimer(v, 5000);
	assert_true(ptimer_level(v));
	v->ptimer.ctl = 0;
	vtimer_sync_ptimer(v, 5000);
	assert_false(ptimer_level(v));
	/* CVAL moved past now. */
	v->ptimer.ctl = EN;
	vtimer_sync_ptimer(v, 5000);
	assert_true(ptimer_level(v));
	v->ptimer.cval = 6000;
	vtimer_sync_ptimer(v, 5000);
	assert_false(ptimer_level(v));
	/* A level-sensitive PPI: pending while high, not latched. */
	assert_false(v->vgic.priv[PTIMER_PPI].pending);
}

/* --- Deadlines --- */

static void test_deadline_loaded(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	assert_int_equal(vtimer_next_deadline(v, true), NEVER);
	v->ptimer.cval = 7000;
	assert_int_equal(vtimer_next_deadline(v, true), NEVER);
	v->ptimer.ctl = EN;
	assert_int_equal(vtimer_next_deadline(v, true), 7000);
	v->ptimer.ctl = EN | IMASK;
	assert_int_equal(vtimer_next_deadline(v, true), NEVER);
	v->ptimer.ctl = IMASK;
	assert_int_equal(vtimer_next_deadline(v, true), NEVER);

	/* A loaded vCPU's virtual timer interrupts by itself: ignored,
	 * even when its saved control says enabled. */
	v->ptimer.ctl = EN;
	v->sys.cntv_ctl_el0 = EN;
	v->sys.cntv_cval_el0 = 10;
	assert_int_equal(vtimer_next_deadline(v, true), 7000);
	v->ptimer.ctl = 0;
	assert_int_equal(vtimer_next_deadline(v, true), NEVER);
}

static void test_deadline_not_loaded(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	assert_int_equal(vtimer_next_deadline(v, false), NEVER);
	/* The virtual timer in physical counter terms: CVAL + CNTVOFF. */
	v->sys.cntv_cval_el0 = 3000;
	v->sys.cntv_ctl_el0 = EN;
	assert_int_equal(vtimer_next_deadline(v, false), 3000 + 5000);
	v->sys.cntv_ctl_el0 = EN | IMASK;
	assert_int_equal(vtimer_next_deadline(v, false), NEVER);
	v->sys.cntv_ctl_el0 = 0;
	assert_int_equal(vtimer_next_deadline(v, false), NEVER);
	assert_int_equal(vtimer_next_deadline(v, false), NEVER);

	/* The earlier of the two. */
	v->sys.cntv_ctl_el0 = EN;
	v->ptimer.ctl = EN;
	v->ptimer.cval = 9000;
	assert_int_equal(vtimer_next_deadline(v, false), 8000);
	v->ptimer.cval = 7999;
	assert_int_equal(vtimer_next_deadline(v, false), 7999);
	v->sys.cntv_ctl_el0 = EN | IMASK;
	assert_int_equal(vtimer_next_deadline(v, false), 7999);
	/* The VM's offset is used. */
	v->sys.cntv_ctl_el0 = EN;
	v->ptimer.ctl = 0;
	vm.cntvoff = 0;
	assert_int_equal(vtimer_next_deadline(v, false), 3000);
}

/*
 * CNTV_CVAL near the top: the virtual count (physical - CNTVOFF) never
 * gets there, so there is no deadline (not a wrapped-around early one).
 */
static void test_deadline_virtual_no_wrap(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	v->sys.cntv_ctl_el0 = EN;
	v->sys.cntv_cval_el0 = NEVER;
	assert_int_equal(vtimer_next_deadline(v, false), NEVER);
	assert_false(vtimer_expired(v, NOW));
	v->sys.cntv_cval_el0 = NEVER - 4999;
	assert_int_equal(vtimer_next_deadline(v, false), NEVER);
	v->sys.cntv_cval_el0 = NEVER - 5000;
	assert_int_equal(vtimer_next_deadline(v, false), NEVER);
	assert_false(vtimer_expired(v, NOW));
	v->sys.cntv_cval_el0 = NEVER - 5001;
	assert_int_equal(vtimer_next_deadline(v, false), NEVER - 1);
	/* The physical timer still counts. */
	v->sys.cntv_cval_el0 = NEVER;
	v->ptimer.ctl = EN;
	v->ptimer.cval = NOW + 1;
	assert_int_equal(vtimer_next_deadline(v, false), NOW + 1);
}

static void test_expired(void **state)
{
	struct vcpu *v = &vc.v[1];

	(void)state;
	assert_false(vtimer_expired(v, NOW));
	v->ptimer.cval = NOW;
	assert_false(vtimer_expired(v, NOW));
	v->ptimer.ctl = EN;
	assert_false(vtimer_expired(v, NOW - 1));
	assert_true(vtimer_expired(v, NOW));
	assert_true(vtimer_expired(v, NOW + 1));
	v->ptimer.ctl = EN | IMASK;
	assert_false(vtimer_expired(v, NOW + 1));

	/* The virtual timer, in virtual counter terms. */
	v->sys.cntv_ctl_el0 = EN;
	v->sys.cntv_cval_el0 = NOW;
	assert_false(vtimer_expired(v, NOW + 4999));
	assert_true(vtimer_expired(v, NOW + 5000));
	assert_true(vtimer_expired(v, NOW + 5000));
	v->sys.cntv_ctl_el0 = EN | IMASK;
	assert_false(vtimer_expired(v, NOW + 5000));
}

/* --- The forwarded virtual timer --- */

static void test_init_vcpu_hw(void **state)
{
	struct vcpu *v = &vc.v[1];

	(void)state;
	assert_false(v->vgic.priv[VTIMER_PPI].hw);
	vtimer_init_vcpu(v);
	assert_true(v->vgic.priv[VTIMER_PPI].hw);
	assert_int_equal(v->vgic.priv[VTIMER_PPI].hw_intid, VTIMER_PPI);
	assert_false(vc.v[0].vgic.priv[VTIMER_PPI].hw);
	assert_false(v->vgic.priv[PTIMER_PPI].hw);
}

static void test_enable_cpu(void **state)
{
	(void)state;
	vtimer_enable_cpu();
	assert_int_equal(nwrites, 1);
	assert_int_equal(writes[0].addr, GICR_ISENABLER0);
	assert_int_equal(writes[0].val, 1u << VTIMER_PPI);
}

static void test_put_load_active(void **state)
{
	struct vcpu *v = &vc.v[0];

	(void)state;
	/* Not active: nothing to save or restore. */
	isactiver0 = 1u << PTIMER_PPI;
	vtimer_put(v);
	assert_false(v->vtimer_active);
	vtimer_load(v);
	assert_int_equal(nwrites, 0);

	/* Active at put: cleared on the CPU, set again at load. */
	isactiver0 = 1u << VTIMER_PPI;
	vtimer_put(v);
	assert_true(v->vtimer_active);
	assert_int_equal(nwrites, 1);
	assert_int_equal(writes[0].addr, GICR_ICACTIVER0);
	assert_int_equal(writes[0].val, 1u << VTIMER_PPI);
	vtimer_load(v);
	assert_int_equal(nwrites, 2);
	assert_int_equal(writes[1].addr, GICR_ISACTIVER0);
	assert_int_equal(writes[1].val, 1u << VTIMER_PPI);
}

/*
 * The virtual timer's vIRQ follows the timer's output (ENABLE, IMASK,
 * ISTATUS of the live CNTV_CTL_EL0), and a physical PPI left active for a
 * vIRQ that was never taken is deactivated once the output is low.
 */
static void test_sync_vtimer_level(void **state)
{
	struct vcpu *v = &vc.v[0];
	struct virq *q = &v->vgic.priv[VTIMER_PPI];
	static const u64 low[] = { 0, EN, EN | IMASK | ISTATUS, IMASK | ISTATUS };

	(void)state;
	vtimer_init_vcpu(v);
	for (unsigned i = 0; i < ARRAY_SIZE(low); i++) {
		nwrites = 0;
		/* the physical PPI fired and was left active for the guest */
		fake_arch.vtimer_ctl = EN | ISTATUS;
		vgic_hw_fired(v, VTIMER_PPI);
		vtimer_sync(v, NOW);
		assert_true(vgic_virq_pending(q));
		assert_int_equal(nwrites, 0);
		/* disabled, enabled with CVAL ahead, masked: not pending */
		fake_arch.vtimer_ctl = low[i];
		vtimer_sync(v, NOW);
		assert_false(vgic_virq_pending(q));
		assert_int_equal(nwrites, 1);
		assert_int_equal(writes[0].addr, GICR_ICACTIVER0);
		assert_int_equal(writes[0].val, 1u << VTIMER_PPI);
		/* once only */
		vtimer_sync(v, NOW);
		assert_int_equal(nwrites, 1);
	}
	/*
	 * Still in a list register when its level falls: released once
	 * vgic_flush() has taken it out, before the next entry.
	 */
	vm.vgic.ctlr = GICD_CTLR_ENABLE_G1;
	q->enabled = q->group1 = true;
	vgic_nr_lrs = 4;
	nwrites = 0;
	fake_arch.vtimer_ctl = EN | ISTATUS;
	vgic_hw_fired(v, VTIMER_PPI);
	vtimer_sync(v, NOW);
	vgic_flush(v);
	assert_true(q->lr >= 0);
	fake_arch.vtimer_ctl = 0;
	vtimer_sync(v, NOW);
	assert_int_equal(nwrites, 0);
	vgic_flush(v);
	vtimer_flushed(v);
	assert_int_equal(q->lr, -1);
	assert_int_equal(nwrites, 1);
	assert_int_equal(writes[0].addr, GICR_ICACTIVER0);
	/* Active in the guest: its deactivation is the guest's to do. */
	nwrites = 0;
	fake_arch.vtimer_ctl = EN | ISTATUS;
	vgic_hw_fired(v, VTIMER_PPI);
	q->active = true;
	fake_arch.vtimer_ctl = 0;
	vtimer_sync(v, NOW);
	assert_int_equal(nwrites, 0);
	assert_true(q->hw_active);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_ptimer_cval),
		T(test_ptimer_tval),
		T(test_ptimer_ctl),
		T(test_ptimer_write_syncs),
		T(test_sync_ptimer),
		T(test_deadline_loaded),
		T(test_deadline_not_loaded),
		T(test_deadline_virtual_no_wrap),
		T(test_expired),
		T(test_init_vcpu_hw),
		T(test_enable_cpu),
		T(test_put_load_active),
		T(test_sync_vtimer_level),
	};

	return cmocka_run_group_tests_name("vtimer", tests, NULL, NULL);
}
