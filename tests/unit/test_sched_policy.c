/*
 * Host tests of the run loop's decisions (src/core/sched_policy.c): what
 * is runnable and what runs next, which deadline the EL2 timer gets, when
 * a slice ends, when to sleep, whom a kick interrupts and which CPU ends
 * the run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/percpu.h>
#include <nv/sched_policy.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>
#include "helpers.h"

#define NR_VCPUS 4
#define DIST 0x08000000u
#define REDIST 0x080a0000u
#define SGI_TEST 5
#define NOW 100000u
#define SLICE 1000u
#define EN CNT_CTL_ENABLE_BIT
#define IMASK CNT_CTL_IMASK_BIT
/* GICD_CTLR.EnableGrp1NS (GIC spec 12.9.4, ARE = 1 view). */

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];
static struct runq rq;

static int setup(void **state)
{
	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter = NOW;
	ut_vm_init(&vm, vcpus, NR_VCPUS);
	ut_vgic_init(&vm, DIST, REDIST, 32);
	ut_vcpus_power_on(vcpus, NR_VCPUS, 0x40000000, 0x3c5);
	for (unsigned i = 0; i < NR_VCPUS; i++) {
		vcpus[i].reset_pending = false;
		vcpus[i].wake_at = SCHED_NEVER;
	}
	runq_init(&rq);
	return 0;
}

/*
 * The vCPU's virtual timer (as saved when it is put, on rq) fires at
 * cval; a vCPU waiting in WFI then waits for it too.
 */
static void vtimer_at(struct vcpu *v, u64 cval)
{
	v->sys.cntv_ctl_el0 = EN;
	v->sys.cntv_cval_el0 = cval - vm.cntvoff;
	sched_put(&rq, v);
}

/* An enabled Group 1 SGI made pending for v: a WFI wake-up. */
static void make_pending(struct vcpu *v)
{
	struct virq *q = vgic_get_virq(&vm, v, SGI_TEST);

	vm.vgic.ctlr |= GICD_CTLR_ENABLE_G1;
	q->enabled = true;
	q->group1 = true;
	vgic_set_pending(&vm, v, SGI_TEST);
}

static void add(unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_true(runq_add(&rq, &vcpus[i]));
}

/* --- runnable, pick --- */

static void test_runnable(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	assert_true(sched_runnable(v, NOW));
	v->power = VCPU_OFF;
	assert_false(sched_runnable(v, NOW));
	v->power = VCPU_ON;
	vm.state = VM_OFF;
	assert_false(sched_runnable(v, NOW));
	vm.state = VM_RUNNING;
	v->wfi = true;
	assert_false(sched_runnable(v, NOW));
	assert_true(v->wfi);
}

static void test_wfi_ends(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	add(1);
	/* A timer due after now does not end the wait; one due at now does. */
	v->wfi = true;
	vtimer_at(v, NOW + 1);
	assert_false(sched_runnable(v, NOW));
	assert_true(sched_runnable(v, NOW + 1));
	assert_false(v->wfi);
	/* A masked timer never does. */
	v->wfi = true;
	v->sys.cntv_ctl_el0 = EN | IMASK;
	sched_put(&rq, v);
	assert_false(sched_runnable(v, NOW + 1));
	/* A pending interrupt does, and so does a reset request. */
	make_pending(v);
	assert_true(sched_runnable(v, NOW));
	v->wfi = true;
	vm.vgic.ctlr = 0;
	assert_false(sched_runnable(v, NOW));
	v->reset_pending = true;
	assert_true(sched_runnable(v, NOW));
}

static void test_pick_round_robin(void **state)
{
	(void)state;
	add(3);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[0]);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[1]);
	vcpus[2].wfi = true;
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[0]);
	vcpus[0].power = VCPU_OFF;
	vcpus[1].wfi = true;
	assert_null(sched_pick(&rq, NOW));
	/* The wait of vCPU 2 ends with its timer: until then, sleep until it. */
	vtimer_at(&vcpus[2], NOW + 10);
	assert_null(sched_pick(&rq, NOW + 9));
	assert_int_equal(rq.others_wake, NOW + 10);
	assert_ptr_equal(sched_pick(&rq, NOW + 10), &vcpus[2]);
	assert_int_equal(rq.others_wake, SCHED_NEVER);
}

/* The pick's one pass also tells what the others need while it runs. */
static void test_pick_sees_the_others(void **state)
{
	(void)state;
	add(3);
	vcpus[1].wfi = true;
	vtimer_at(&vcpus[1], NOW + 70);
	vcpus[2].wfi = true;
	vtimer_at(&vcpus[2], NOW + 50);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[0]);
	assert_false(rq.others_runnable);
	assert_int_equal(rq.others_wake, NOW + 50);
	assert_int_equal(rq.kicked, 0);
	/* The slice only matters once another can run. */
	assert_int_equal(sched_entry_deadline(&rq, &vcpus[0], NOW, NOW + SLICE), NOW + 50);
	make_pending(&vcpus[1]);
	runq_kick(&rq, &vcpus[1]);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[1]);
	assert_true(rq.others_runnable);
	assert_int_equal(sched_entry_deadline(&rq, &vcpus[1], NOW, NOW + SLICE), NOW + SLICE);
}

/*
 * A pick looks at the vCPUs that can run, were kicked or whose deadline
 * has come, never at the others: an interrupt made pending without a
 * kick is not seen (every real one comes with vcpu_kick).
 */
static void test_pick_looks_at_kicked_only(void **state)
{
	(void)state;
	add(NR_VCPUS);
	for (unsigned i = 1; i < NR_VCPUS; i++)
		vcpus[i].wfi = true;
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[0]);
	assert_int_equal(rq.ready, 1);
	make_pending(&vcpus[2]);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[0]);
	assert_true(vcpus[2].wfi);
	runq_kick(&rq, &vcpus[2]);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[2]);
	assert_false(vcpus[2].wfi);
	assert_true(rq.others_runnable);
	/* A kicked vCPU with nothing to do waits on, its timer still counted. */
	vtimer_at(&vcpus[3], NOW + 60);
	runq_kick(&rq, &vcpus[3]);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[0]);
	assert_true(vcpus[3].wfi);
	assert_int_equal(rq.wake, NOW + 60);
}

/* The earliest deadline of those waiting follows their comings and goings. */
static void test_wake_follows_the_waiting(void **state)
{
	(void)state;
	add(NR_VCPUS);
	for (unsigned i = 1; i < NR_VCPUS; i++)
		vcpus[i].wfi = true;
	vtimer_at(&vcpus[1], NOW + 50);
	vtimer_at(&vcpus[2], NOW + 70);
	vtimer_at(&vcpus[3], NOW + 90);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[0]);
	assert_int_equal(rq.others_wake, NOW + 50);
	/* The earliest wakes early (an interrupt): the next one counts. */
	make_pending(&vcpus[1]);
	runq_kick(&rq, &vcpus[1]);
	assert_ptr_equal(sched_pick(&rq, NOW), &vcpus[1]);
	assert_int_equal(rq.wake, NOW + 70);
	/* Two deadlines come at once: both wake, the last one is left. */
	vtimer_at(&vcpus[1], NOW + 80);
	vcpus[1].wfi = true;
	sched_put(&rq, &vcpus[1]);
	assert_int_equal(rq.wake, NOW + 70);
	assert_ptr_equal(sched_pick(&rq, NOW + 85), &vcpus[2]);
	assert_true(rq.others_runnable);
	assert_false(vcpus[1].wfi);
	assert_true(vcpus[3].wfi);
	assert_int_equal(rq.wake, NOW + 90);
	/* A waiting vCPU switched off leaves them. */
	vcpus[3].power = VCPU_OFF;
	runq_kick(&rq, &vcpus[3]);
	assert_ptr_equal(sched_pick(&rq, NOW + 85), &vcpus[0]);
	assert_int_equal(rq.wake, SCHED_NEVER);
	assert_int_equal(rq.timed, 0);
}

static void test_runq_full(void **state)
{
	(void)state;
	for (unsigned i = 0; i < MAX_RUNQ; i++)
		assert_true(runq_add(&rq, &vcpus[i % NR_VCPUS]));
	assert_false(runq_add(&rq, &vcpus[0]));
	assert_int_equal(rq.n, MAX_RUNQ);
}

/* --- the deadline armed while a vCPU runs --- */

static void test_deadline_alone(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	add(1);
	/* Alone on its CPU: no slice, no timer, nothing to arm. */
	assert_int_equal(sched_entry_deadline(&rq, v, NOW, NOW + SLICE), SCHED_NEVER);
	/* Its emulated physical timer; not its (loaded) virtual timer. */
	vtimer_at(v, NOW + 5);
	emu_timer_write(&v->ptimer, TIMER_CVAL, NOW + 50, NOW);
	emu_timer_write(&v->ptimer, TIMER_CTL, EN, NOW);
	assert_int_equal(sched_entry_deadline(&rq, v, NOW, NOW + SLICE), NOW + 50);
}

static void test_deadline_slice_only_with_competition(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	add(2);
	/* The other one can run: the slice ends the turn. */
	assert_int_equal(sched_entry_deadline(&rq, v, NOW, NOW + SLICE), NOW + SLICE);
	assert_true(rq.others_runnable);
	/* The other one waits in WFI with no timer: no slice at all. */
	vcpus[1].wfi = true;
	runq_kick(&rq, &vcpus[1]);
	assert_int_equal(sched_entry_deadline(&rq, v, NOW, NOW + SLICE), SCHED_NEVER);
	/* ... with a timer: its wake-up, even past the slice end. */
	vtimer_at(&vcpus[1], NOW + 3 * SLICE);
	runq_kick(&rq, &vcpus[1]);
	assert_int_equal(sched_entry_deadline(&rq, v, NOW, NOW + SLICE), NOW + 3 * SLICE);
	/* Its own earlier deadline wins. */
	emu_timer_write(&v->ptimer, TIMER_CVAL, NOW + 7, NOW);
	emu_timer_write(&v->ptimer, TIMER_CTL, EN, NOW);
	assert_int_equal(sched_entry_deadline(&rq, v, NOW, NOW + SLICE), NOW + 7);
}

/*
 * The others are looked at again only after a kick or when their wake-up
 * comes: an exit costs the same however many vCPUs share the CPU.
 */
static void test_deadline_others_cached(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	add(NR_VCPUS);
	for (unsigned i = 1; i < NR_VCPUS; i++)
		vcpus[i].wfi = true;
	vtimer_at(&vcpus[2], NOW + 500);
	assert_int_equal(sched_entry_deadline(&rq, v, NOW, NOW + SLICE), NOW + 500);
	assert_int_equal(rq.kicked, 0);
	/* A change without a kick is not seen... */
	vtimer_at(&vcpus[3], NOW + 200);
	assert_int_equal(sched_entry_deadline(&rq, v, NOW + 1, NOW + SLICE), NOW + 500);
	/* ... a kick makes the loop look again. */
	runq_kick(&rq, &vcpus[3]);
	assert_int_equal(sched_entry_deadline(&rq, v, NOW + 1, NOW + SLICE), NOW + 200);
	/* Once the wake-up has come, the woken one competes: the slice counts. */
	assert_int_equal(sched_entry_deadline(&rq, v, NOW + 200, NOW + SLICE), NOW + SLICE);
	assert_true(rq.others_runnable);
	assert_false(vcpus[3].wfi);
}

/* --- after an exit --- */

static void test_after_exit_wfi(void **state)
{
	struct vcpu *v = &vcpus[0];
	u64 end = NOW + SLICE;

	(void)state;
	add(1);
	assert_int_equal(sched_after_exit(&rq, v, EXIT_BLOCK, false, NOW, &end, SLICE),
			 SCHED_LEAVE);
	assert_true(v->wfi);
	/* WFI with an interrupt pending completes at once. */
	v->wfi = false;
	assert_int_equal(sched_after_exit(&rq, v, EXIT_BLOCK, true, NOW, &end, SLICE),
			 SCHED_STAY);
	assert_false(v->wfi);
}

static void test_after_exit_wfe_stop(void **state)
{
	struct vcpu *v = &vcpus[0];
	u64 end = NOW + SLICE;

	(void)state;
	add(2);
	vcpus[1].wfi = true;
	assert_int_equal(sched_after_exit(&rq, v, EXIT_YIELD, false, NOW, &end, SLICE),
			 SCHED_STAY);
	make_pending(&vcpus[1]);
	runq_kick(&rq, &vcpus[1]);
	assert_int_equal(sched_after_exit(&rq, v, EXIT_YIELD, false, NOW, &end, SLICE),
			 SCHED_LEAVE);
	assert_int_equal(sched_after_exit(&rq, v, EXIT_STOP, false, NOW, &end, SLICE),
			 SCHED_LEAVE);
	assert_int_equal(sched_after_exit(&rq, v, EXIT_CONTINUE, false, NOW, &end, SLICE),
			 SCHED_STAY);
}

static void test_after_exit_slice_end(void **state)
{
	struct vcpu *v = &vcpus[0];
	u64 end = NOW + SLICE;

	(void)state;
	add(2);
	vcpus[1].wfi = true;
	/* Nobody else can run: a new slice. */
	assert_int_equal(sched_after_exit(&rq, v, EXIT_CONTINUE, false, NOW + SLICE, &end, SLICE),
			 SCHED_STAY);
	assert_int_equal(end, NOW + 2 * SLICE);
	/* Somebody can: give way at the end of the slice, not before. */
	make_pending(&vcpus[1]);
	runq_kick(&rq, &vcpus[1]);
	assert_int_equal(sched_after_exit(&rq, v, EXIT_CONTINUE, false, NOW + SLICE, &end, SLICE),
			 SCHED_STAY);
	assert_int_equal(sched_after_exit(&rq, v, EXIT_CONTINUE, false, NOW + 2 * SLICE, &end, SLICE),
			 SCHED_LEAVE);
}

/* --- idle, the EL2 timer --- */

/* Nothing runnable: sleep until the earliest timer of those waiting. */
static void test_idle_deadline(void **state)
{
	(void)state;
	add(3);
	for (unsigned i = 0; i < 3; i++)
		vcpus[i].wfi = true;
	assert_null(sched_pick(&rq, NOW));
	assert_int_equal(rq.others_wake, SCHED_NEVER);
	vtimer_at(&vcpus[1], NOW + 40);
	vtimer_at(&vcpus[2], NOW + 30);
	assert_null(sched_pick(&rq, NOW));
	assert_int_equal(rq.others_wake, NOW + 30);
	/* A vCPU that is off (a change that comes with a kick) does not wake the CPU. */
	vcpus[2].power = VCPU_OFF;
	runq_kick(&rq, &vcpus[2]);
	assert_null(sched_pick(&rq, NOW));
	assert_int_equal(rq.others_wake, NOW + 40);
}

static void test_timer_written_on_change_only(void **state)
{
	(void)state;
	assert_int_equal(sched_timer_update(&rq, SCHED_NEVER, NOW), SCHED_TIMER_KEEP);
	assert_int_equal(sched_timer_update(&rq, NOW + 10, NOW), SCHED_TIMER_ARM);
	assert_int_equal(rq.armed, NOW + 10);
	assert_int_equal(sched_timer_update(&rq, NOW + 10, NOW + 1), SCHED_TIMER_KEEP);
	assert_int_equal(sched_timer_update(&rq, NOW + 20, NOW + 1), SCHED_TIMER_ARM);
	assert_int_equal(sched_timer_update(&rq, SCHED_NEVER, NOW + 1), SCHED_TIMER_STOP);
	assert_int_equal(sched_timer_update(&rq, SCHED_NEVER, NOW + 1), SCHED_TIMER_KEEP);
	/* A deadline already past arms nothing: its line is already set. */
	assert_int_equal(sched_timer_update(&rq, NOW, NOW), SCHED_TIMER_KEEP);
	assert_int_equal(rq.armed, SCHED_NEVER);
	/* Once it has fired (the interrupt stops it), the same deadline is armed anew. */
	assert_int_equal(sched_timer_update(&rq, NOW + 30, NOW), SCHED_TIMER_ARM);
	sched_timer_expired(&rq, NOW + 29);
	assert_int_equal(rq.armed, NOW + 30);
	sched_timer_expired(&rq, NOW + 30);
	assert_int_equal(rq.armed, SCHED_NEVER);
	assert_int_equal(sched_timer_update(&rq, NOW + 40, NOW + 30), SCHED_TIMER_ARM);
}

/*
 * A vCPU found waiting at the pick's now has its deadline after that now:
 * decided with the same now, the idle timer is always armed for it, even
 * if the counter has passed the deadline since (the timer then fires at
 * once). Deciding with a later counter value armed nothing and slept for
 * ever.
 */
static void test_idle_never_sleeps_past_a_deadline(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	add(1);
	v->wfi = true;
	vtimer_at(v, NOW + 1);
	assert_null(sched_pick(&rq, NOW));
	assert_int_equal(rq.others_wake, NOW + 1);
	assert_int_equal(sched_timer_update(&rq, rq.others_wake, NOW), SCHED_TIMER_ARM);
	assert_int_equal(rq.armed, NOW + 1);
}

/* --- kicks, the end of the run --- */

static void test_kick_target(void **state)
{
	(void)state;
	vcpus[0].pcpu = 1;
	assert_int_equal(sched_kick_target(&vcpus[0], 1, NULL), SCHED_KICK_LOCAL);
	assert_int_equal(sched_kick_target(&vcpus[0], 1, &vcpus[1]), SCHED_KICK_LOCAL);
	assert_int_equal(sched_kick_target(&vcpus[0], 0, NULL), SCHED_KICK_REMOTE);
	/* The vCPU whose exit this CPU handles sees its interrupts at entry. */
	assert_int_equal(sched_kick_target(&vcpus[0], 1, &vcpus[0]), SCHED_KICK_NONE);
	vcpus[0].pcpu = NR_CPUS;
	assert_int_equal(sched_kick_target(&vcpus[0], 0, NULL), SCHED_KICK_NONE);
}

static void test_claim_end(void **state)
{
	static struct vm other;
	struct vm *vms[2] = { &vm, &other };
	bool claimed = false, failed = true;

	(void)state;
	memset(&other, 0, sizeof(other));
	other.state = VM_RUNNING;
	vm.state = VM_OFF;
	/* One VM still runs: nobody ends the run. */
	assert_false(sched_claim_end(vms, 2, &claimed, false, &failed));
	assert_false(claimed);
	assert_false(failed);
	/* Both off: the first caller ends it, whichever CPU it is; only it. */
	other.state = VM_OFF;
	other.failed = true;
	assert_true(sched_claim_end(vms, 2, &claimed, false, &failed));
	assert_true(failed);
	assert_false(sched_claim_end(vms, 2, &claimed, false, &failed));
	/* A failure noted by the run (a refused VM) makes the end a failure. */
	claimed = false;
	other.failed = false;
	assert_true(sched_claim_end(vms, 2, &claimed, true, &failed));
	assert_true(failed);
	claimed = false;
	assert_true(sched_claim_end(vms, 2, &claimed, false, &failed));
	assert_false(failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_runnable, setup),
		cmocka_unit_test_setup(test_wfi_ends, setup),
		cmocka_unit_test_setup(test_pick_round_robin, setup),
		cmocka_unit_test_setup(test_pick_sees_the_others, setup),
		cmocka_unit_test_setup(test_pick_looks_at_kicked_only, setup),
		cmocka_unit_test_setup(test_wake_follows_the_waiting, setup),
		cmocka_unit_test_setup(test_runq_full, setup),
		cmocka_unit_test_setup(test_deadline_alone, setup),
		cmocka_unit_test_setup(test_deadline_slice_only_with_competition, setup),
		cmocka_unit_test_setup(test_deadline_others_cached, setup),
		cmocka_unit_test_setup(test_after_exit_wfi, setup),
		cmocka_unit_test_setup(test_after_exit_wfe_stop, setup),
		cmocka_unit_test_setup(test_after_exit_slice_end, setup),
		cmocka_unit_test_setup(test_idle_deadline, setup),
		cmocka_unit_test_setup(test_timer_written_on_change_only, setup),
		cmocka_unit_test_setup(test_idle_never_sleeps_past_a_deadline, setup),
		cmocka_unit_test_setup(test_kick_target, setup),
		cmocka_unit_test_setup(test_claim_end, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
