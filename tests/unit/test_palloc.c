/* Host tests of range sets and the page allocator (src/mem/palloc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/palloc.h>
#include <nv/pgtable.h>

/* ---- range sets ---- */

static int cmp_region(const void *a, const void *b)
{
	const struct mem_region *x = a, *y = b;

	return x->base < y->base ? -1 : x->base > y->base;
}

/* Compares s with the expected ranges regardless of order. */
static void expect_ranges(const struct range_set *s,
			  const struct mem_region *want, unsigned n)
{
	struct mem_region got[PALLOC_MAX_RANGES];

	assert_int_equal(s->n, n);
	memcpy(got, s->r, n * sizeof(got[0]));
	qsort(got, n, sizeof(got[0]), cmp_region);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(got[i].base, want[i].base);
		assert_int_equal(got[i].size, want[i].size);
	}
}

static struct range_set one_range(paddr_t base, u64 size)
{
	struct range_set s;

	memset(&s, 0, sizeof(s));
	assert_true(range_set_add(&s, base, size));
	return s;
}

static void test_add_and_total(void **state)
{
	struct range_set s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(range_set_total(&s), 0);
	assert_true(range_set_add(&s, 0x1000, 0x2000));
	assert_true(range_set_add(&s, 0x10000, 0x5000));
	/* Empty ranges are accepted and not stored. */
	assert_true(range_set_add(&s, 0x90000, 0));
	assert_int_equal(s.n, 2);
	assert_int_equal(range_set_total(&s), 0x7000);
	assert_int_equal(s.r[0].base, 0x1000);
	assert_int_equal(s.r[0].size, 0x2000);
	assert_int_equal(s.r[1].base, 0x10000);
	assert_int_equal(s.r[1].size, 0x5000);
}

static void test_add_overflow(void **state)
{
	struct range_set s;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < PALLOC_MAX_RANGES; i++)
		assert_true(range_set_add(&s, (paddr_t)i * 0x10000, 0x1000));
	assert_int_equal(s.n, PALLOC_MAX_RANGES);
	assert_false(range_set_add(&s, 0x1000000, 0x1000));
	assert_int_equal(s.n, PALLOC_MAX_RANGES);
	/* An empty range still fits: nothing to store. */
	assert_true(range_set_add(&s, 0x1000000, 0));
	assert_int_equal(range_set_total(&s), PALLOC_MAX_RANGES * 0x1000);
}

static void test_subtract_head_tail_middle(void **state)
{
	struct range_set s;

	(void)state;
	s = one_range(0x1000, 0x4000);
	assert_true(range_set_subtract(&s, 0x1000, 0x1000));
	expect_ranges(&s, (struct mem_region[]){ { 0x2000, 0x3000 } }, 1);

	/* Head, starting below the range. */
	s = one_range(0x1000, 0x4000);
	assert_true(range_set_subtract(&s, 0x0, 0x3000));
	expect_ranges(&s, (struct mem_region[]){ { 0x3000, 0x2000 } }, 1);

	s = one_range(0x1000, 0x4000);
	assert_true(range_set_subtract(&s, 0x4000, 0x1000));
	expect_ranges(&s, (struct mem_region[]){ { 0x1000, 0x3000 } }, 1);

	/* Tail, running past the range. */
	s = one_range(0x1000, 0x4000);
	assert_true(range_set_subtract(&s, 0x3000, 0x10000));
	expect_ranges(&s, (struct mem_region[]){ { 0x1000, 0x2000 } }, 1);

	s = one_range(0x1000, 0x4000);
	assert_true(range_set_subtract(&s, 0x2000, 0x1000));
	expect_ranges(&s,
		      (struct mem_region[]){ { 0x1000, 0x1000 },
					     { 0x3000, 0x2000 } },
		      2);
	assert_int_equal(range_set_total(&s), 0x3000);

	/* Odd, unaligned numbers. */
	s = one_range(100, 900);
	assert_true(range_set_subtract(&s, 333, 1));
	expect_ranges(&s, (struct mem_region[]){ { 100, 233 }, { 334, 666 } }, 2);
}

static void test_subtract_whole(void **state)
{
	struct range_set s;

	(void)state;
	s = one_range(0x1000, 0x4000);
	assert_true(range_set_subtract(&s, 0x1000, 0x4000));
	assert_int_equal(s.n, 0);
	assert_int_equal(range_set_total(&s), 0);

	s = one_range(0x1000, 0x4000);
	assert_true(range_set_subtract(&s, 0x0, 0x100000));
	assert_int_equal(s.n, 0);
}

static void test_subtract_disjoint(void **state)
{
	struct range_set s;

	(void)state;
	s = one_range(0x10000, 0x4000);
	assert_true(range_set_subtract(&s, 0x0, 0x1000));
	assert_true(range_set_subtract(&s, 0x20000, 0x1000));
	/* Touching either end, not overlapping. */
	assert_true(range_set_subtract(&s, 0xf000, 0x1000));
	assert_true(range_set_subtract(&s, 0x14000, 0x1000));
	/* Empty subtraction inside the range: no split. */
	assert_true(range_set_subtract(&s, 0x12000, 0));
	expect_ranges(&s, (struct mem_region[]){ { 0x10000, 0x4000 } }, 1);
}

static void test_subtract_empty_on_full_set(void **state)
{
	struct range_set s;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < PALLOC_MAX_RANGES; i++)
		assert_true(range_set_add(&s, (paddr_t)i * 0x10000, 0x4000));
	/* Removing nothing from a full set is not an overflow. */
	assert_true(range_set_subtract(&s, 0x2000, 0));
	assert_int_equal(s.n, PALLOC_MAX_RANGES);
	assert_int_equal(range_set_total(&s), PALLOC_MAX_RANGES * 0x4000);
}

static void test_subtract_spanning(void **state)
{
	struct range_set s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(range_set_add(&s, 0x1000, 0x2000)); /* [0x1000, 0x3000) */
	assert_true(range_set_add(&s, 0x4000, 0x2000)); /* [0x4000, 0x6000) */
	assert_true(range_set_add(&s, 0x8000, 0x2000)); /* [0x8000, 0xa000) */
	assert_true(range_set_subtract(&s, 0x2000, 0x7000));
	expect_ranges(&s,
		      (struct mem_region[]){ { 0x1000, 0x1000 },
					     { 0x9000, 0x1000 } },
		      2);

	/* Several whole ranges in a row, including the last slot. */
	memset(&s, 0, sizeof(s));
	assert_true(range_set_add(&s, 0x1000, 0x1000));
	assert_true(range_set_add(&s, 0x3000, 0x1000));
	assert_true(range_set_add(&s, 0x20000, 0x1000));
	assert_true(range_set_add(&s, 0x5000, 0x1000));
	assert_true(range_set_add(&s, 0x7000, 0x1000));
	assert_true(range_set_subtract(&s, 0x0, 0x10000));
	expect_ranges(&s, (struct mem_region[]){ { 0x20000, 0x1000 } }, 1);

	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < 8; i++)
		assert_true(range_set_add(&s, 0x1000 + i * 0x2000, 0x1000));
	assert_true(range_set_subtract(&s, 0, 0x100000));
	assert_int_equal(s.n, 0);
}

static void test_subtract_split_overflow(void **state)
{
	struct range_set s;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < PALLOC_MAX_RANGES; i++)
		assert_true(range_set_add(&s, (paddr_t)i * 0x10000, 0x4000));
	/* A trim needs no new slot. */
	assert_true(range_set_subtract(&s, 0x0, 0x1000));
	/* A split of a full set does. */
	assert_false(range_set_subtract(&s, 0x21000, 0x1000));

	/* One slot free: a split fits, a second does not. */
	memset(&s, 0, sizeof(s));
	for (unsigned i = 0; i < PALLOC_MAX_RANGES - 1; i++)
		assert_true(range_set_add(&s, (paddr_t)i * 0x10000, 0x4000));
	assert_true(range_set_subtract(&s, 0x21000, 0x1000));
	assert_int_equal(s.n, PALLOC_MAX_RANGES);
	assert_false(range_set_subtract(&s, 0x31000, 0x1000));
}

/* ---- the allocator on a host buffer standing in for RAM ---- */

#define RAM_SIZE (4 * SZ_2M)
#define RAM_ALIGN SZ_2M
/* Inside RAM: a reserved range (unaligned) and a busy range. */
#define RSV_OFF 0x10123
#define RSV_SIZE 0x1000 /* covers pages 0x10000 and 0x11000 */
#define BUSY_OFF 0x100000
#define BUSY_SIZE 0x80000

struct ram {
	u8 *buf;
	paddr_t base;
	struct platform plat;
	struct mem_region busy;
};

static int ram_setup(void **state)
{
	struct ram *r = calloc(1, sizeof(*r));

	if (!r)
		return -1;
	r->buf = aligned_alloc(RAM_ALIGN, RAM_SIZE);
	if (!r->buf)
		return -1;
	memset(r->buf, 0xaa, RAM_SIZE);
	r->base = (paddr_t)(uintptr_t)r->buf;
	r->plat.nr_mem = 1;
	r->plat.mem[0].base = r->base;
	r->plat.mem[0].size = RAM_SIZE;
	r->plat.nr_reserved = 1;
	r->plat.reserved[0].base = r->base + RSV_OFF;
	r->plat.reserved[0].size = RSV_SIZE;
	r->busy.base = r->base + BUSY_OFF;
	r->busy.size = BUSY_SIZE;
	*state = r;
	return 0;
}

static int ram_teardown(void **state)
{
	struct ram *r = *state;

	free(r->buf);
	free(r);
	return 0;
}

static bool in_forbidden(const struct ram *r, paddr_t a, u64 size)
{
	paddr_t rs = r->base + 0x10000, re = r->base + 0x12000;
	paddr_t bs = r->busy.base, be = r->busy.base + r->busy.size;

	return (a < re && a + size > rs) || (a < be && a + size > bs);
}

static void expect_zero(paddr_t a, u64 size)
{
	const u8 *p = (const u8 *)(uintptr_t)a;

	for (u64 i = 0; i < size; i++)
		if (p[i])
			fail_msg("byte 0x%llx of block 0x%llx is 0x%x",
				 (unsigned long long)i, (unsigned long long)a,
				 p[i]);
}

#define FREE_BYTES (RAM_SIZE - 0x2000 - BUSY_SIZE)

static void test_init_free_bytes(void **state)
{
	struct ram *r = *state;

	assert_true(palloc_init(&r->plat, &r->busy, 1));
	assert_int_equal(palloc_free_bytes(), FREE_BYTES);
	/* Without the busy range. */
	assert_true(palloc_init(&r->plat, NULL, 0));
	assert_int_equal(palloc_free_bytes(), RAM_SIZE - 0x2000);
	/* Nothing was written to RAM by init. */
	for (u64 i = 0; i < RAM_SIZE; i++)
		assert_int_equal(r->buf[i], 0xaa);
}

static void test_pages_until_exhausted(void **state)
{
	struct ram *r = *state;
	unsigned npages = RAM_SIZE / 4096;
	bool *used = calloc(npages, sizeof(bool));
	unsigned got = 0;
	u64 free_bytes;
	paddr_t a;

	assert_non_null(used);
	assert_true(palloc_init(&r->plat, &r->busy, 1));
	free_bytes = palloc_free_bytes();
	while ((a = palloc_pages(0)) != 0) {
		unsigned idx;

		assert_true(IS_ALIGNED(a, PAGE_SIZE));
		assert_true(a >= r->base && a + PAGE_SIZE <= r->base + RAM_SIZE);
		assert_false(in_forbidden(r, a, PAGE_SIZE));
		idx = (unsigned)((a - r->base) / PAGE_SIZE);
		assert_false(used[idx]);
		used[idx] = true;
		expect_zero(a, PAGE_SIZE);
		/* Dirty it: a later overlapping block would show. */
		memset((void *)(uintptr_t)a, 0x55, PAGE_SIZE);
		free_bytes -= PAGE_SIZE;
		assert_int_equal(palloc_free_bytes(), free_bytes);
		got++;
		assert_true(got <= npages);
	}
	assert_int_equal((u64)got * PAGE_SIZE, FREE_BYTES);
	assert_int_equal(palloc_free_bytes(), 0);
	assert_int_equal(palloc_pages(0), 0);
	assert_null(palloc_page());
	/* Reserved and busy memory were never touched. */
	for (u64 i = 0x10000; i < 0x12000; i++)
		assert_int_equal(r->buf[i], 0xaa);
	for (u64 i = BUSY_OFF; i < BUSY_OFF + BUSY_SIZE; i++)
		assert_int_equal(r->buf[i], 0xaa);
	free(used);
}

static void test_order_alignment(void **state)
{
	struct ram *r = *state;
	u64 free_bytes;
	paddr_t a, b, c;

	assert_true(palloc_init(&r->plat, &r->busy, 1));
	free_bytes = palloc_free_bytes();

	/* A page first, so that later blocks must skip forward to align. */
	a = palloc_pages(0);
	assert_int_equal(a, r->base);
	free_bytes -= PAGE_SIZE;

	b = palloc_pages(4); /* 64 KiB */
	assert_int_not_equal(b, 0);
	assert_true(IS_ALIGNED(b, 16 * PAGE_SIZE));
	assert_false(in_forbidden(r, b, 16 * PAGE_SIZE));
	assert_true(b >= r->base && b + 16 * PAGE_SIZE <= r->base + RAM_SIZE);
	expect_zero(b, 16 * PAGE_SIZE);
	free_bytes -= 16 * PAGE_SIZE;
	assert_int_equal(palloc_free_bytes(), free_bytes);

	/* 2 MiB: the first aligned free 2 MiB is the second one of RAM. */
	c = palloc_pages(9);
	assert_int_equal(c, r->base + SZ_2M);
	expect_zero(c, SZ_2M);
	free_bytes -= SZ_2M;
	assert_int_equal(palloc_free_bytes(), free_bytes);
	/* The rest of RAM's 2 MiB blocks: the third and fourth. */
	assert_int_equal(palloc_pages(9), r->base + 2 * SZ_2M);
	assert_int_equal(palloc_pages(9), r->base + 3 * SZ_2M);
	free_bytes -= 2 * SZ_2M;
	/* None left: the first 2 MiB holds the page, the reserved and busy ranges. */
	assert_int_equal(palloc_pages(9), 0);
	assert_int_equal(palloc_free_bytes(), free_bytes);
	/* Nor 8 MiB. */
	assert_int_equal(palloc_pages(11), 0);
	assert_int_equal(palloc_free_bytes(), free_bytes);

	/*
	 * 512 KiB blocks: of the first 2 MiB only [0.5M, 1M) and [1.5M, 2M)
	 * are free and aligned (the page at 0, the 64 KiB block, the
	 * reserved and the busy range are in the other two).
	 */
	a = palloc_pages(7);
	b = palloc_pages(7);
	assert_int_equal(palloc_pages(7), 0);
	assert_int_not_equal(a, b);
	assert_true(a == r->base + 0x80000 || a == r->base + 0x180000);
	assert_true(b == r->base + 0x80000 || b == r->base + 0x180000);
	expect_zero(a, 0x80000);
	expect_zero(b, 0x80000);
	free_bytes -= 2 * 0x80000;
	assert_int_equal(palloc_free_bytes(), free_bytes);

	/* Every order: aligned to its own size. */
	for (unsigned order = 0; order <= 3; order++) {
		u64 size = PAGE_SIZE << order;

		a = palloc_pages(order);
		assert_int_not_equal(a, 0);
		assert_true(IS_ALIGNED(a, size));
		assert_false(in_forbidden(r, a, size));
		assert_true(a + size <= r->base + SZ_2M);
		expect_zero(a, size);
		free_bytes -= size;
		assert_int_equal(palloc_free_bytes(), free_bytes);
	}
}

static void test_large_order_fails_cleanly(void **state)
{
	struct ram *r = *state;

	assert_true(palloc_init(&r->plat, NULL, 0));
	assert_int_equal(palloc_pages(20), 0);
	assert_int_equal(palloc_free_bytes(), RAM_SIZE - 0x2000);
	/* The RAM was not zeroed by the failed attempt. */
	assert_int_equal(r->buf[0], 0xaa);
	assert_int_equal(r->buf[RAM_SIZE - 1], 0xaa);
}

static void test_unaligned_ram_is_trimmed(void **state)
{
	struct ram *r = *state;
	struct platform p;
	paddr_t a;

	memset(&p, 0, sizeof(p));
	/* [base + 0x800, base + 0x3800): only pages 0x1000 and 0x2000 are whole. */
	p.nr_mem = 2;
	p.mem[0].base = r->base + 0x800;
	p.mem[0].size = 0x3000;
	/* A region smaller than a page vanishes. */
	p.mem[1].base = r->base + 0x10100;
	p.mem[1].size = 0x800;
	assert_true(palloc_init(&p, NULL, 0));
	assert_int_equal(palloc_free_bytes(), 0x2000);
	a = palloc_pages(0);
	assert_int_equal(a, r->base + 0x1000);
	a = palloc_pages(0);
	assert_int_equal(a, r->base + 0x2000);
	assert_int_equal(palloc_pages(0), 0);
	/* The partial pages were left alone. */
	assert_int_equal(r->buf[0x800], 0xaa);
	assert_int_equal(r->buf[0x3000], 0xaa);
}

static void test_busy_unaligned_rounds_out(void **state)
{
	struct ram *r = *state;
	struct mem_region busy = { r->base + 0x1fff, 2 }; /* spans 2 pages */

	r->plat.nr_reserved = 0;
	assert_true(palloc_init(&r->plat, &busy, 1));
	assert_int_equal(palloc_free_bytes(), RAM_SIZE - 0x2000);
	for (paddr_t a; (a = palloc_pages(0)) != 0;) {
		assert_int_not_equal(a, r->base + 0x1000);
		assert_int_not_equal(a, r->base + 0x2000);
	}
	assert_int_equal(r->buf[0x1fff], 0xaa);
	assert_int_equal(r->buf[0x2000], 0xaa);
}

static void test_multiple_regions(void **state)
{
	struct ram *r = *state;
	struct platform p;
	paddr_t a, b;

	memset(&p, 0, sizeof(p));
	p.nr_mem = 2;
	p.mem[0].base = r->base;
	p.mem[0].size = 0x3000;
	p.mem[1].base = r->base + SZ_2M;
	p.mem[1].size = SZ_2M;
	assert_true(palloc_init(&p, NULL, 0));
	assert_int_equal(palloc_free_bytes(), 0x3000 + SZ_2M);
	/* 16 KiB does not fit the first region: comes from the second. */
	a = palloc_pages(2);
	assert_int_equal(a, r->base + SZ_2M);
	b = palloc_pages(0);
	assert_int_equal(b, r->base);
	assert_int_equal(palloc_free_bytes(), 0x2000 + SZ_2M - 0x4000);
}

static void test_init_overflow(void **state)
{
	struct ram *r = *state;
	struct mem_region busy[PALLOC_MAX_RANGES];

	/* Every busy range splits a free range: 33 pieces do not fit. */
	for (unsigned i = 0; i < PALLOC_MAX_RANGES; i++) {
		busy[i].base = r->base + 0x20000 + (paddr_t)i * 0x4000;
		busy[i].size = 0x1000;
	}
	r->plat.nr_reserved = 0;
	assert_true(palloc_init(&r->plat, busy, PALLOC_MAX_RANGES - 1));
	assert_int_equal(palloc_free_bytes(),
			 RAM_SIZE - (PALLOC_MAX_RANGES - 1) * 0x1000);
	assert_false(palloc_init(&r->plat, busy, PALLOC_MAX_RANGES));
}

/*
 * Freeing gives pages back merged with their neighbours: after freeing
 * everything, in allocation order, in reverse, or interleaved, the same
 * bytes are free, in as few ranges as before, and can be taken again.
 */
/* Freeing a page twice is refused: the allocator would hand it out twice. */
static void test_double_free_refused(void **state)
{
	struct ram *r = *state;
	paddr_t a, b;

	assert_true(palloc_init(&r->plat, &r->busy, 1));
	a = palloc_pages(0);
	b = palloc_pages(0);
	assert_true(a && b);
	assert_true(palloc_free_pages(a, 0));
	assert_false(palloc_free_pages(a, 0));
	/* A block that is partly free already. */
	assert_false(palloc_free_pages(a & ~(paddr_t)0x1fff, 1));
	assert_true(palloc_free_pages(b, 0));
	assert_int_equal(palloc_free_bytes(), FREE_BYTES);
}

static void test_free_merges_back(void **state)
{
	struct ram *r = *state;
	paddr_t got[64];
	unsigned n = 0;

	assert_true(palloc_init(&r->plat, &r->busy, 1));
	/* Mixed orders, as a VM's RAM blocks and its stage-2 tables. */
	for (int round = 0; round < 3; round++) {
		n = 0;
		while (n < ARRAY_SIZE(got) && (got[n] = palloc_pages(n % 5 ? 0 : 9)) != 0)
			n++;
		assert_true(n > 4);
		if (round == 0) {
			for (unsigned i = 0; i < n; i++)
				assert_true(palloc_free_pages(got[i], i % 5 ? 0 : 9));
		} else if (round == 1) {
			for (unsigned i = n; i-- > 0;)
				assert_true(palloc_free_pages(got[i], i % 5 ? 0 : 9));
		} else {
			for (unsigned i = 0; i < n; i += 2)
				assert_true(palloc_free_pages(got[i], i % 5 ? 0 : 9));
			for (unsigned i = 1; i < n; i += 2)
				assert_true(palloc_free_pages(got[i], i % 5 ? 0 : 9));
		}
		assert_int_equal(palloc_free_bytes(), FREE_BYTES);
	}
	/* Merged again: the three whole 2 MiB blocks are there again. */
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(palloc_pages(9), r->base + (i + 1) * SZ_2M);
	for (unsigned i = 0; i < 3; i++)
		assert_true(palloc_free_pages(r->base + (i + 1) * SZ_2M, 9));
	/* 0 is ignored; palloc_free_page takes a pointer. */
	assert_true(palloc_free_pages(0, 3));
	got[0] = palloc_pages(0);
	palloc_free_page((void *)(uintptr_t)got[0]);
	assert_int_equal(palloc_free_bytes(), FREE_BYTES);
}

/*
 * The 512 pages of a 2 MiB block, freed one by one in address order and
 * then in reverse, make the block again each time: merging keeps the
 * range table small (512 separate ranges would not fit) and the block
 * allocatable as one.
 */
static void test_free_pages_make_a_block(void **state)
{
	struct ram *r = *state;
	struct platform p;
	paddr_t pages[512];

	memset(&p, 0, sizeof(p));
	p.nr_mem = 1;
	p.mem[0].base = r->base + SZ_2M;
	p.mem[0].size = SZ_2M;
	assert_true(palloc_init(&p, NULL, 0));
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 0; i < 512; i++)
			assert_int_not_equal(pages[i] = palloc_pages(0), 0);
		assert_int_equal(palloc_pages(0), 0);
		for (unsigned i = 0; i < 512; i++)
			assert_true(palloc_free_pages(pages[round ? 511 - i : i], 0));
		assert_int_equal(palloc_free_bytes(), SZ_2M);
		assert_int_equal(palloc_pages(9), r->base + SZ_2M);
		assert_true(palloc_free_pages(r->base + SZ_2M, 9));
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, ram_setup, ram_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_total),
		cmocka_unit_test(test_add_overflow),
		cmocka_unit_test(test_subtract_head_tail_middle),
		cmocka_unit_test(test_subtract_whole),
		cmocka_unit_test(test_subtract_disjoint),
		cmocka_unit_test(test_subtract_empty_on_full_set),
		cmocka_unit_test(test_subtract_spanning),
		cmocka_unit_test(test_subtract_split_overflow),
		T(test_init_free_bytes),
		T(test_pages_until_exhausted),
		T(test_order_alignment),
		T(test_large_order_fails_cleanly),
		T(test_unaligned_ram_is_trimmed),
		T(test_busy_unaligned_rounds_out),
		T(test_multiple_regions),
		T(test_init_overflow),
		T(test_double_free_refused),
		T(test_free_merges_back),
		T(test_free_pages_make_a_block),
	};
#undef T

	return cmocka_run_group_tests_name("palloc", tests, NULL, NULL);
}
