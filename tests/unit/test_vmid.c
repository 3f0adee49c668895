/*
 * Host tests of the VMID allocator (src/mem/vmid.c): generations, the
 * VMIDs each CPU keeps across a rollover, pinned VMIDs, the per-CPU TLB
 * flush of the protocol in include/nv/vmid.h (arch_tlbi_guests_local,
 * counted by the fake arch), 8- and 16-bit widths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/vmid.h>

static struct vmid_space *space(unsigned bits)
{
	static struct vmid_space *s;

	if (!s)
		s = malloc(sizeof(*s));
	assert_non_null(s);
	vmid_space_init(s, bits);
	fake_arch.tlbi_local = 0;
	return s;
}

static u64 gen(const struct vmid_ctx *c)
{
	return c->id >> VMID_GEN_SHIFT;
}

/* Distinct contexts get distinct VMIDs from 1 up; a loaded one keeps its own. */
static void test_first_generation(void **state)
{
	struct vmid_space *s = space(8);
	struct vmid_ctx a = { 0 }, b = { 0 }, c = { 0 };

	(void)state;
	assert_int_equal(s->bits, 8);
	assert_int_equal(vmid_load(s, &a, 0), 1);
	assert_int_equal(vmid_load(s, &b, 0), 2);
	assert_int_equal(vmid_load(s, &c, 1), 3);
	assert_int_equal(vmid_load(s, &a, 1), 1);
	assert_int_equal(vmid_load(s, &a, 0), 1);
	assert_int_equal(gen(&a), 1);
	assert_int_equal(vmid_ctx_num(&b), 2);
	/* Generation 1 needs no flush: nothing ran before it. */
	assert_int_equal(fake_arch.tlbi_local, 0);
	assert_int_equal(s->rollovers, 0);
}

/*
 * 255 contexts exhaust 8-bit VMIDs; the 256th starts generation 2, in
 * which the VMIDs the CPUs have loaded keep their numbers and everything
 * else is given out again.
 */
static void test_rollover_8bit(void **state)
{
	struct vmid_space *s = space(8);
	static struct vmid_ctx ctx[300];
	struct vmid_ctx extra = { 0 };
	u16 v;

	(void)state;
	for (unsigned i = 0; i < 255; i++)
		assert_int_equal(vmid_load(s, &ctx[i], i % 2), i + 1);
	/* CPU 0 last loaded VMID 255 (ctx[254]), CPU 1 VMID 254 (ctx[253]). */
	assert_int_equal(s->rollovers, 0);
	v = vmid_load(s, &extra, 0);
	assert_int_equal(s->rollovers, 1);
	assert_int_equal(gen(&extra), 2);
	/* The lowest free after the rollover: 1 (254 and 255 are kept). */
	assert_int_equal(v, 1);
	/* CPU 0 loaded a generation-2 VMID: it flushed its TLB first. */
	assert_int_equal(fake_arch.tlbi_local, 1);
	/* CPU 1's context keeps 254 in generation 2; CPU 1 flushes too. */
	assert_int_equal(vmid_load(s, &ctx[253], 1), 254);
	assert_int_equal(gen(&ctx[253]), 2);
	assert_int_equal(fake_arch.tlbi_local, 2);
	/* CPU 0's kept VMID (255, from before it loaded extra) stays taken. */
	assert_int_equal(vmid_load(s, &ctx[254], 1), 255);
	/* A stale context whose number is free again gets it back. */
	assert_int_equal(vmid_load(s, &ctx[9], 0), 10);
	/* One whose number was given to another gets a fresh one. */
	v = vmid_load(s, &ctx[0], 0);
	assert_int_not_equal(v, 1);
	assert_int_not_equal(v, 10);
	assert_int_not_equal(v, 254);
	assert_int_not_equal(v, 255);
	/* Each CPU flushed once for generation 2, no more. */
	assert_int_equal(fake_arch.tlbi_local, 2);
}

/* A CPU that runs one context across several rollovers keeps its VMID. */
static void test_active_kept_across_rollovers(void **state)
{
	struct vmid_space *s = space(8);
	static struct vmid_ctx churn[1000];
	struct vmid_ctx running = { 0 };
	u16 mine;
	unsigned n = 0;

	(void)state;
	mine = vmid_load(s, &running, 3);
	/* CPU 0 churns through contexts: several generations go by. */
	for (unsigned i = 0; i < ARRAY_SIZE(churn); i++) {
		u16 v = vmid_load(s, &churn[i], 0);

		/* Never CPU 3's VMID, never 0. */
		assert_int_not_equal(v, mine);
		assert_int_not_equal(v, 0);
		n++;
	}
	assert_true(s->rollovers >= 3);
	/* CPU 3 loads its context again: same number, current generation. */
	assert_int_equal(vmid_load(s, &running, 3), mine);
	assert_int_equal(gen(&running), s->gen >> VMID_GEN_SHIFT);
	assert_int_equal(n, ARRAY_SIZE(churn));
}

/* Within a generation no two contexts share a VMID (16-bit: no rollover). */
static void test_unique_16bit(void **state)
{
	struct vmid_space *s = space(16);
	static struct vmid_ctx ctx[70000];
	static u8 seen[1 << 16];

	(void)state;
	assert_int_equal(s->bits, 16);
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < 65535; i++) {
		u16 v = vmid_load(s, &ctx[i], i % NR_CPUS);

		assert_int_not_equal(v, 0);
		assert_int_equal(seen[v], 0);
		seen[v] = 1;
	}
	assert_int_equal(s->rollovers, 0);
	/* Above 255: 16-bit VMIDs. */
	assert_int_equal(vmid_ctx_num(&ctx[65534]), 65535);
	/*
	 * The 65536th context rolls over: the CPUs keep the last NR_CPUS
	 * given (65520..65535), so the lowest free is 1.
	 */
	assert_int_equal(vmid_load(s, &ctx[65535], 0), 1);
	assert_int_equal(s->rollovers, 1);
	assert_int_equal(vmid_load(s, &ctx[65534], 14), 65535);
}

/*
 * Pinned VMIDs survive rollovers and are never given to a context; pins
 * stop short of the space so that rollovers always find a VMID.
 */
static void test_pinned(void **state)
{
	struct vmid_space *s = space(8);
	static struct vmid_ctx ctx[600];
	u16 p1, p2, v;
	unsigned pins = 2;

	(void)state;
	p1 = vmid_pin(s);
	p2 = vmid_pin(s);
	assert_int_equal(p1, 1);
	assert_int_equal(p2, 2);
	for (unsigned i = 0; i < ARRAY_SIZE(ctx); i++) {
		v = vmid_load(s, &ctx[i], i % 4);
		assert_int_not_equal(v, p1);
		assert_int_not_equal(v, p2);
	}
	assert_true(s->rollovers >= 2);
	/* Unpinned, the lowest VMID is given again (a refused VM keeps none). */
	vmid_unpin(s, p1);
	vmid_unpin(s, 0);   /* ignored */
	vmid_unpin(s, 300); /* beyond 8 bits: ignored */
	assert_int_equal(vmid_pin(s), 1);

	/* 255 - (NR_CPUS + 1) pins at most. */
	vmid_space_init(s, 8);
	pins = 0;
	while ((v = vmid_pin(s)) != 0)
		assert_int_equal(v, ++pins);
	assert_int_equal(pins, 255 - (NR_CPUS + 1));
	/* Contexts on every CPU still get VMIDs, across rollovers. */
	for (unsigned i = 0; i < ARRAY_SIZE(ctx); i++) {
		memset(&ctx[i], 0, sizeof(ctx[i]));
		v = vmid_load(s, &ctx[i], i % NR_CPUS);
		assert_true(v > 255 - (NR_CPUS + 1));
	}
	assert_true(s->rollovers > 0);
	/* One unpinned: it is the next pin's. */
	vmid_unpin(s, 5);
	assert_int_equal(vmid_pin(s), 5);
	assert_int_equal(vmid_pin(s), 0);
}

/* A context released gives up its number; it gets a new one when loaded. */
static void test_release(void **state)
{
	struct vmid_space *s = space(8);
	struct vmid_ctx a = { 0 }, b = { 0 };

	(void)state;
	assert_int_equal(vmid_load(s, &a, 0), 1);
	vmid_ctx_release(&a);
	assert_int_equal(vmid_ctx_num(&a), 0);
	/* Its old number stays taken until the next rollover. */
	assert_int_equal(vmid_load(s, &b, 0), 2);
	assert_int_equal(vmid_load(s, &a, 0), 3);
}

/* A width other than 16 means 8 bits (VMIDBits reserved values). */
static void test_widths(void **state)
{
	struct vmid_space *s = space(0);

	(void)state;
	assert_int_equal(s->bits, 8);
	s = space(12);
	assert_int_equal(s->bits, 8);
	s = space(16);
	assert_int_equal(s->bits, 16);
	/* The machine's space: set up once, by the first caller's width. */
	assert_int_equal(vmid_host(8)->bits, 8);
	assert_int_equal(vmid_host(16)->bits, 8);
	assert_ptr_equal(vmid_host(0), vmid_host(8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_generation),
		cmocka_unit_test(test_rollover_8bit),
		cmocka_unit_test(test_active_kept_across_rollovers),
		cmocka_unit_test(test_unique_16bit),
		cmocka_unit_test(test_pinned),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_widths),
	};

	return cmocka_run_group_tests_name("vmid", tests, NULL, NULL);
}
