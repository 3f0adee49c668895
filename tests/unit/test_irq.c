/* Host tests of interrupt dispatch (src/irq/irq.c) on the fake GIC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/irq.h>
#include <nv/percpu.h>
#include "helpers.h"

#define GICR_BASE UINT64_C(0x80c0000) /* this CPU's RD_base */
#define ICENABLER0 (GICR_BASE + 0x10000 + 0x180)

/* MMIO writes seen through the fake arch. */
struct mmio_access {
	paddr_t addr;
	u64 val;
	unsigned size;
};
static struct mmio_access writes[32];
static unsigned nwrites;

static void record_write(paddr_t addr, u64 val, unsigned size)
{
	assert_true(nwrites < ARRAY_SIZE(writes));
	writes[nwrites].addr = addr;
	writes[nwrites].val = val;
	writes[nwrites].size = size;
	nwrites++;
}

/* Handler calls. */
struct call {
	u32 intid;
	void *arg;
	unsigned eois_before; /* EOIs done when the handler ran */
};
static struct call calls[16];
static unsigned ncalls;

static bool handler(u32 intid, void *arg)
{
	assert_true(ncalls < ARRAY_SIZE(calls));
	calls[ncalls].intid = intid;
	calls[ncalls].arg = arg;
	calls[ncalls].eois_before = fake_arch.gic_eoi_count;
	ncalls++;
	return true;
}

/* A handler that forwards its interrupt to a guest (HW list register). */
static bool forward_handler(u32 intid, void *arg)
{
	(void)intid;
	(void)arg;
	return false;
}

static struct percpu cpu;

/* Queues INTIDs for arch_gic_ack() in delivery order. */
static void pend(const u32 *ids, unsigned n)
{
	assert_true(n <= ARRAY_SIZE(fake_arch.gic_pending));
	for (unsigned i = 0; i < n; i++)
		fake_arch.gic_pending[n - 1 - i] = ids[i];
	fake_arch.gic_pending_count = n;
}

#define PEND(...)                                                             \
	do {                                                                  \
		const u32 ids_[] = { __VA_ARGS__ };                           \
		pend(ids_, ARRAY_SIZE(ids_));                                 \
	} while (0)

static int setup(void **state)
{
	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter_freq = 62500000;
	fake_arch.mmio_write = record_write;
	nwrites = 0;
	ncalls = 0;
	memset(&cpu, 0, sizeof(cpu));
	cpu.gicr = GICR_BASE;
	set_this_cpu(&cpu);
	capture_start();
	for (u32 i = 0; i < 64; i++)
		assert_true(irq_register(i, NULL, NULL));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	set_this_cpu(NULL);
	capture_stop();
	memset(&fake_arch, 0, sizeof(fake_arch));
	return 0;
}

static void test_dispatch_in_order(void **state)
{
	int a27, a30, a1;

	(void)state;
	assert_true(irq_register(27, handler, &a27));
	assert_true(irq_register(30, handler, &a30));
	assert_true(irq_register(1, handler, &a1));
	PEND(27, 30, 1, 27);
	irq_handle();

	assert_int_equal(ncalls, 4);
	assert_int_equal(calls[0].intid, 27);
	assert_ptr_equal(calls[0].arg, &a27);
	assert_int_equal(calls[1].intid, 30);
	assert_ptr_equal(calls[1].arg, &a30);
	assert_int_equal(calls[2].intid, 1);
	assert_ptr_equal(calls[2].arg, &a1);
	assert_int_equal(calls[3].intid, 27);
	assert_ptr_equal(calls[3].arg, &a27);
	/* Each handler ran before its EOI, after the previous one's. */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(calls[i].eois_before, i);

	assert_int_equal(fake_arch.gic_eoi_count, 4);
	assert_int_equal(fake_arch.gic_eoi[0], 27);
	assert_int_equal(fake_arch.gic_eoi[1], 30);
	assert_int_equal(fake_arch.gic_eoi[2], 1);
	assert_int_equal(fake_arch.gic_eoi[3], 27);
	assert_int_equal(fake_arch.gic_pending_count, 0);
	/* Handled interrupts are not disabled. */
	assert_int_equal(nwrites, 0);
	assert_string_equal(capture_text(), "");
}

static void test_nothing_pending(void **state)
{
	u64 before = irq_spurious_count();

	(void)state;
	irq_handle();
	assert_int_equal(ncalls, 0);
	assert_int_equal(fake_arch.gic_eoi_count, 0);
	assert_int_equal(irq_spurious_count(), before);
}

static void test_stops_at_special_intids(void **state)
{
	int arg;

	(void)state;
	assert_true(irq_register(27, handler, &arg));
	assert_true(irq_register(30, handler, &arg));
	for (u32 special = 1020; special <= 1023; special++) {
		ncalls = 0;
		fake_arch.gic_eoi_count = 0;
		PEND(27, special, 30);
		irq_handle();
		/* 27 handled; the special INTID ends the loop, not EOI'd. */
		assert_int_equal(ncalls, 1);
		assert_int_equal(calls[0].intid, 27);
		assert_int_equal(fake_arch.gic_eoi_count, 1);
		assert_int_equal(fake_arch.gic_eoi[0], 27);
		/* 30 is still pending for the next exception. */
		assert_int_equal(fake_arch.gic_pending_count, 1);
		irq_handle();
		assert_int_equal(ncalls, 2);
		assert_int_equal(calls[1].intid, 30);
		assert_int_equal(fake_arch.gic_eoi_count, 2);
		assert_int_equal(fake_arch.gic_eoi[1], 30);
	}
}

static void test_unhandled_ppi_disabled(void **state)
{
	u64 before = irq_spurious_count();
	int arg;

	(void)state;
	assert_true(irq_register(30, handler, &arg));
	PEND(23, 30);
	irq_handle();

	assert_int_equal(irq_spurious_count(), before + 1);
	/* Both EOI'd, in order. */
	assert_int_equal(fake_arch.gic_eoi_count, 2);
	assert_int_equal(fake_arch.gic_eoi[0], 23);
	assert_int_equal(fake_arch.gic_eoi[1], 30);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].intid, 30);
	/* GICR_ICENABLER0 of this CPU's redistributor, bit 23. */
	assert_int_equal(nwrites, 1);
	assert_int_equal(writes[0].addr, ICENABLER0);
	assert_int_equal(writes[0].val, 1u << 23);
	assert_int_equal(writes[0].size, 4);
	assert_contains(capture_text(), "warning: ");
	assert_contains(capture_text(), "INTID 23");
	assert_contains(capture_text(), "disabled");
}

static void test_unhandled_sgi_without_this_cpu(void **state)
{
	u64 before = irq_spurious_count();

	(void)state;
	set_this_cpu(NULL);
	PEND(5);
	irq_handle();
	assert_int_equal(irq_spurious_count(), before + 1);
	assert_int_equal(fake_arch.gic_eoi_count, 1);
	assert_int_equal(fake_arch.gic_eoi[0], 5);
	/* No per-CPU data yet: the redistributor address is 0. */
	assert_int_equal(nwrites, 1);
	assert_int_equal(writes[0].addr, 0x10000 + 0x180);
	assert_int_equal(writes[0].val, 1u << 5);
}

static void test_unhandled_many(void **state)
{
	u64 before = irq_spurious_count();

	(void)state;
	/* No handlers at all: every INTID (SGI, PPI, SPI, LPI) is counted. */
	PEND(0, 31, 40, 100, 1019, 8192);
	irq_handle();
	assert_int_equal(irq_spurious_count(), before + 6);
	assert_int_equal(fake_arch.gic_eoi_count, 6);
	assert_int_equal(fake_arch.gic_eoi[0], 0);
	assert_int_equal(fake_arch.gic_eoi[1], 31);
	assert_int_equal(fake_arch.gic_eoi[2], 40);
	assert_int_equal(fake_arch.gic_eoi[3], 100);
	assert_int_equal(fake_arch.gic_eoi[4], 1019);
	assert_int_equal(fake_arch.gic_eoi[5], 8192);
	/*
	 * The private ones were disabled on this CPU's redistributor; the
	 * distributor is not set up in this program, so SPIs are not
	 * written (test_gicv3 covers their GICD_ICENABLER writes).
	 */
	assert_int_equal(nwrites, 2);
	assert_int_equal(writes[0].addr, ICENABLER0);
	assert_int_equal(writes[0].val, 1u << 0);
	assert_int_equal(writes[1].addr, ICENABLER0);
	assert_int_equal(writes[1].val, 1u << 31);
	assert_int_equal(ncalls, 0);
	assert_contains(capture_text(), "INTID 8192");
}

static void test_register_bounds(void **state)
{
	int arg;

	(void)state;
	assert_true(irq_register(0, handler, &arg));
	assert_true(irq_register(63, handler, &arg));
	assert_false(irq_register(64, handler, &arg));
	assert_false(irq_register(1019, handler, &arg));
	assert_false(irq_register(0xffffffff, handler, &arg));
	PEND(63, 0);
	irq_handle();
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[0].intid, 63);
	assert_int_equal(calls[1].intid, 0);
}

static bool other_handler(u32 intid, void *arg)
{
	*(u32 *)arg = intid;
	return true;
}

static void test_reregister_and_unregister(void **state)
{
	u32 seen = 0;
	u64 before = irq_spurious_count();

	(void)state;
	assert_true(irq_register(26, handler, NULL));
	assert_true(irq_register(26, other_handler, &seen));
	PEND(26);
	irq_handle();
	assert_int_equal(seen, 26);
	assert_int_equal(ncalls, 0);

	/* Unregistered again: treated as unexpected. */
	assert_true(irq_register(26, NULL, NULL));
	PEND(26);
	irq_handle();
	assert_int_equal(irq_spurious_count(), before + 1);
	assert_int_equal(nwrites, 1);
	assert_int_equal(writes[0].val, 1u << 26);
}

/* A handler during which another interrupt becomes pending. */
static bool chaining_handler(u32 intid, void *arg)
{
	handler(intid, arg);
	if (intid == 27) {
		assert_int_equal(fake_arch.gic_pending_count, 0);
		fake_arch.gic_pending[0] = 30;
		fake_arch.gic_pending_count = 1;
	}
	return true;
}

static void test_loops_until_nothing_pending(void **state)
{
	(void)state;
	assert_true(irq_register(27, chaining_handler, NULL));
	assert_true(irq_register(30, chaining_handler, NULL));
	PEND(27);
	irq_handle();
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[0].intid, 27);
	assert_int_equal(calls[1].intid, 30);
	assert_int_equal(fake_arch.gic_eoi_count, 2);
}

/*
 * EOImode = 1: every handled interrupt gets its priority drop (EOIR), but
 * only those nestvisor is done with are deactivated (DIR); a forwarded one
 * stays active for the guest's EOI to deactivate.
 */
static void test_forwarded_not_deactivated(void **state)
{
	static const u32 ids[] = { 27, 26 };

	(void)state;
	assert_true(irq_register(27, forward_handler, NULL));
	assert_true(irq_register(26, handler, NULL));
	fake_arch.gic_dir_count = 0;
	fake_arch.gic_eoi_count = 0;
	pend(ids, 2);
	irq_handle();
	assert_int_equal(fake_arch.gic_eoi_count, 2);
	assert_int_equal(fake_arch.gic_dir_count, 1);
	assert_int_equal(fake_arch.gic_dir[0], 26);
	irq_register(27, NULL, NULL);
	irq_register(26, NULL, NULL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarded_not_deactivated),
		T(test_dispatch_in_order),
		T(test_nothing_pending),
		T(test_stops_at_special_intids),
		T(test_unhandled_ppi_disabled),
		T(test_unhandled_sgi_without_this_cpu),
		T(test_unhandled_many),
		T(test_register_bounds),
		T(test_reregister_and_unregister),
		T(test_loops_until_nothing_pending),
	};
#undef T

	return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
