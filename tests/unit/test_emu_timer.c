/* Host tests of the software generic timer (src/timer/emu_timer.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <nv/emu_timer.h>

static void test_ctl_istatus_and_level(void **state)
{
	struct emu_timer t = { 0, 0 };

	(void)state;
	emu_timer_write(&t, TIMER_CVAL, 1000, 0);
	emu_timer_write(&t, TIMER_CTL, CNT_CTL_ENABLE_BIT | 0xf0, 0);
	/* Only ENABLE and IMASK are stored; ISTATUS is computed. */
	assert_int_equal(t.ctl, CNT_CTL_ENABLE_BIT);
	assert_int_equal(emu_timer_read(&t, TIMER_CTL, 999), CNT_CTL_ENABLE_BIT);
	assert_false(emu_timer_level(&t, 999));
	assert_int_equal(emu_timer_read(&t, TIMER_CTL, 1000),
			 CNT_CTL_ENABLE_BIT | CNT_CTL_ISTATUS_BIT);
	assert_true(emu_timer_level(&t, 1000));
	/* IMASK: the condition still shows in ISTATUS, the output is low. */
	emu_timer_write(&t, TIMER_CTL, CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT, 0);
	assert_int_equal(emu_timer_read(&t, TIMER_CTL, 2000),
			 CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT | CNT_CTL_ISTATUS_BIT);
	assert_false(emu_timer_level(&t, 2000));
	/* Disabled: no condition at all. */
	emu_timer_write(&t, TIMER_CTL, 0, 0);
	assert_int_equal(emu_timer_read(&t, TIMER_CTL, 2000), 0);
	assert_false(emu_timer_level(&t, 2000));
}

static void test_tval(void **state)
{
	struct emu_timer t = { CNT_CTL_ENABLE_BIT, 0 };

	(void)state;
	/* TVAL write: CVAL = now + SignExtend(TVAL<31:0>). */
	emu_timer_write(&t, TIMER_TVAL, 500, 10000);
	assert_int_equal(t.cval, 10500);
	emu_timer_write(&t, TIMER_TVAL, 0xffffff9cu, 10000); /* -100 */
	assert_int_equal(t.cval, 9900);
	emu_timer_write(&t, TIMER_TVAL, 0x1234567800000010ULL, 10000);
	assert_int_equal(t.cval, 10016);
	/* TVAL read: 32-bit CVAL - now, negative once past. */
	t.cval = 10500;
	assert_int_equal(emu_timer_read(&t, TIMER_TVAL, 10000), 500);
	assert_int_equal(emu_timer_read(&t, TIMER_TVAL, 10600), 0xffffff9cu);
	assert_int_equal(emu_timer_read(&t, TIMER_CVAL, 0), 10500);
}

static void test_deadline(void **state)
{
	struct emu_timer t = { 0, 777 };

	(void)state;
	assert_int_equal(emu_timer_deadline(&t), ~0ULL);
	t.ctl = CNT_CTL_ENABLE_BIT;
	assert_int_equal(emu_timer_deadline(&t), 777);
	t.ctl = CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT;
	assert_int_equal(emu_timer_deadline(&t), ~0ULL);
}

/*
 * A timer counting (count - offset): the deadline in count terms, from now,
 * for offsets below and above count (the offset count wrapped).
 */
static void test_deadline_offset(void **state)
{
	const u64 never = ~0ULL, m40 = 0ULL - (1ULL << 40);
	struct emu_timer t = { 0, 3000 };

	(void)state;
	assert_int_equal(emu_timer_deadline_offset(&t, 0, 100), never);
	t.ctl = CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT;
	assert_int_equal(emu_timer_deadline_offset(&t, 0, 100), never);
	t.ctl = CNT_CTL_ENABLE_BIT | CNT_CTL_ISTATUS_BIT; /* a saved CTL */
	/* No offset: CVAL itself, or now once it has passed. */
	assert_int_equal(emu_timer_deadline_offset(&t, 0, 100), 3000);
	assert_int_equal(emu_timer_deadline_offset(&t, 0, 3000), 3000);
	assert_int_equal(emu_timer_deadline_offset(&t, 0, 5000), 5000);
	/* Offset below count: CVAL + offset. */
	assert_int_equal(emu_timer_deadline_offset(&t, 5000, 100000), 100000);
	t.cval = 96000;
	assert_int_equal(emu_timer_deadline_offset(&t, 5000, 100000), 101000);

	/* Offset -2^40 (the test hypervisor's CNTVOFF_EL2): the offset count
	 * is count + 2^40. A CVAL it passed is met now, although CVAL + offset
	 * is near 2^64; one 1000 ahead is 1000 ahead, although CVAL + offset
	 * wraps. */
	t.cval = 1ULL << 39;
	assert_int_equal(emu_timer_deadline_offset(&t, m40, 1000), 1000);
	t.cval = (1ULL << 40) + 2000;
	assert_int_equal(emu_timer_deadline_offset(&t, m40, 1000), 2000);
	/* Offset above count: the offset count is near the top. */
	t.cval = 0ULL - 2;
	assert_int_equal(emu_timer_deadline_offset(&t, 10, 5), 8);
	t.cval = 1;
	assert_int_equal(emu_timer_deadline_offset(&t, 10, 5), 5);
	/* A deadline past the top of count: never. */
	t.cval = 1000;
	assert_int_equal(emu_timer_deadline_offset(&t, 0ULL - 100, 0ULL - 50), never);
	t.cval = 0ULL - 1000;
	assert_int_equal(emu_timer_deadline_offset(&t, 0ULL - 100, 0ULL - 2000),
			 0ULL - 1100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctl_istatus_and_level),
		cmocka_unit_test(test_tval),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_deadline_offset),
	};

	return cmocka_run_group_tests_name("emu_timer", tests, NULL, NULL);
}
