/* Host tests of the 4 KiB-granule table walker (src/mem/pgtable.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/pgtable.h>
#include "helpers.h"

struct fixture {
	struct ut_alloc ctx; /* the tables: zeroed host pages, counted */
	struct pgtable_mm mm;
	struct pgtable pt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->ctx.fail_after = -1;
	f->mm.alloc_table = ut_alloc_table;
	f->mm.ctx = &f->ctx;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ut_alloc_release(&f->ctx);
	free(f);
	return 0;
}

static struct fixture *init(void **state, unsigned ia_bits)
{
	struct fixture *f = *state;

	assert_true(pgtable_init(&f->pt, ia_bits, &f->mm));
	assert_int_equal(f->ctx.count, 1);
	assert_ptr_equal(f->pt.root, f->ctx.tables[0]);
	return f;
}

static bool is_allocated_table(const struct fixture *f, u64 addr)
{
	return ut_alloc_owns(&f->ctx, addr);
}

/* Checks that ia translates to pa through a leaf at level with attrs. */
static void expect_mapped(const struct fixture *f, u64 ia, u64 pa,
			  unsigned level, u64 attrs)
{
	unsigned got_level = 99;
	u64 got_pa = 0;
	u64 pte = pgtable_lookup(&f->pt, ia, &got_level, &got_pa);
	u64 lsize = UINT64_C(1) << (12 + 9 * (3 - level));

	if (!pte)
		fail_msg("ia 0x%llx unmapped", (unsigned long long)ia);
	assert_int_equal(got_level, level);
	assert_int_equal(got_pa, pa);
	/* The leaf descriptor, exactly. */
	assert_int_equal(pte, (pa & ~(lsize - 1)) | attrs | BIT(10) | BIT(0) |
				      (level == 3 ? BIT(1) : 0));
}

static void expect_unmapped(const struct fixture *f, u64 ia)
{
	unsigned level = 99;
	u64 pa = 0x5555;

	if (pgtable_lookup(&f->pt, ia, &level, &pa))
		fail_msg("ia 0x%llx mapped", (unsigned long long)ia);
}

/* Normal memory, inner shareable, read/write, as stage 2 would use. */
#define ATTRS                                                                 \
	(PTE_S2_MEMATTR(PTE_S2_MEMATTR_NORMAL_WB) | PTE_S2_S2AP_R |          \
	 PTE_S2_S2AP_W | PTE_SH_INNER)
#define ATTRS_DEV                                                             \
	(PTE_S1_ATTRIDX(1) | PTE_S1_AP1 | PTE_S1_XN | PTE_SH_INNER)

static void test_start_level(void **state)
{
	(void)state;
	/* 4K granule: 12 offset bits, 9 per level; start = 4 - levels. */
	for (unsigned b = 25; b <= 48; b++) {
		unsigned levels = (b - 12 + 8) / 9;

		if (b <= 30)
			assert_int_equal(pgt_start_level(b), 2);
		else if (b <= 39)
			assert_int_equal(pgt_start_level(b), 1);
		else
			assert_int_equal(pgt_start_level(b), 0);
		assert_int_equal(pgt_start_level(b), 4 - levels);
	}
}

static void test_level_size(void **state)
{
	(void)state;
	assert_int_equal(pgt_level_size(3), 0x1000);
	assert_int_equal(pgt_level_size(2), 0x200000);
	assert_int_equal(pgt_level_size(1), 0x40000000);
	assert_int_equal(pgt_level_size(0), UINT64_C(0x8000000000));
}

static void test_init_root_entries(void **state)
{
	static const struct {
		unsigned bits, start, entries;
	} cases[] = {
		{ 25, 2, 16 }, { 30, 2, 512 }, { 31, 1, 2 },  { 32, 1, 4 },
		{ 36, 1, 64 }, { 39, 1, 512 }, { 40, 0, 2 },  { 42, 0, 8 },
		{ 44, 0, 32 }, { 48, 0, 512 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ut_alloc ctx = { .fail_after = -1 };
		struct pgtable_mm mm = { ut_alloc_table, &ctx };
		struct pgtable pt;

		assert_true(pgtable_init(&pt, cases[i].bits, &mm));
		assert_int_equal(pt.ia_bits, cases[i].bits);
		assert_int_equal(pt.start_level, cases[i].start);
		assert_int_equal(pt.root_entries, cases[i].entries);
		/* The root covers exactly the input range. */
		assert_int_equal((u64)pt.root_entries *
					 pgt_level_size(pt.start_level),
				 UINT64_C(1) << cases[i].bits);
		assert_ptr_equal(pt.mm, &mm);
		assert_int_equal(ctx.count, 1);
		assert_ptr_equal(pt.root, ctx.tables[0]);
		ut_alloc_release(&ctx);
	}
}

static void test_init_rejects(void **state)
{
	struct fixture *f = *state;
	struct pgtable pt;

	assert_false(pgtable_init(&pt, 24, &f->mm));
	assert_false(pgtable_init(&pt, 49, &f->mm));
	assert_false(pgtable_init(&pt, 0, &f->mm));
	assert_false(pgtable_init(&pt, 64, &f->mm));
	assert_int_equal(f->ctx.count, 0);
	f->ctx.fail_after = 0;
	assert_false(pgtable_init(&pt, 40, &f->mm));
	assert_int_equal(f->ctx.count, 0);
}

static void test_1g_block(void **state)
{
	struct fixture *f = init(state, 48);
	u64 ia = SZ_1G, pa = 2 * SZ_1G;
	u64 *l1;

	assert_int_equal(pgtable_map(&f->pt, ia, pa, SZ_1G, ATTRS), PGT_OK);
	/* Root + one level-1 table: the 1 GiB is one block. */
	assert_int_equal(f->ctx.count, 2);
	/* The root entry is a table descriptor pointing at the L1 table. */
	assert_int_equal(f->pt.root[0] & 3, 3);
	assert_true(is_allocated_table(f, f->pt.root[0] & PTE_ADDR_MASK));
	for (unsigned i = 1; i < 512; i++)
		assert_int_equal(f->pt.root[i], 0);
	l1 = (u64 *)(uintptr_t)(f->pt.root[0] & PTE_ADDR_MASK);
	assert_int_equal(l1[1], pa | ATTRS | PTE_AF | PTE_VALID);
	assert_int_equal(l1[0], 0);
	assert_int_equal(l1[2], 0);

	expect_mapped(f, ia, pa, 1, ATTRS);
	expect_mapped(f, ia + 1, pa + 1, 1, ATTRS);
	expect_mapped(f, ia + 0x12345678, pa + 0x12345678, 1, ATTRS);
	expect_mapped(f, ia + SZ_1G - 1, pa + SZ_1G - 1, 1, ATTRS);
	expect_unmapped(f, ia - 1);
	expect_unmapped(f, ia + SZ_1G);
	expect_unmapped(f, 0);
}

static void test_1g_block_start_level_1(void **state)
{
	struct fixture *f = init(state, 39);

	assert_int_equal(pgtable_map(&f->pt, 3 * SZ_1G, SZ_1G, SZ_1G, ATTRS_DEV),
			 PGT_OK);
	/* The block goes straight into the root. */
	assert_int_equal(f->ctx.count, 1);
	assert_int_equal(f->pt.root[3], SZ_1G | ATTRS_DEV | PTE_AF | PTE_VALID);
	expect_mapped(f, 3 * SZ_1G + 0xabc, SZ_1G + 0xabc, 1, ATTRS_DEV);
	expect_unmapped(f, 4 * SZ_1G);
}

static void test_512g_uses_1g_blocks(void **state)
{
	struct fixture *f = init(state, 48);
	u64 g512 = UINT64_C(1) << 39;

	/* No level-0 blocks with the 4K granule: one L1 table of blocks. */
	assert_int_equal(pgtable_map(&f->pt, g512, 0, g512, ATTRS), PGT_OK);
	assert_int_equal(f->ctx.count, 2);
	expect_mapped(f, g512, 0, 1, ATTRS);
	expect_mapped(f, g512 + 0x1234, 0x1234, 1, ATTRS);
	expect_mapped(f, 2 * g512 - 1, g512 - 1, 1, ATTRS);
	expect_mapped(f, g512 + 300 * SZ_1G + 5, 300 * SZ_1G + 5, 1, ATTRS);
	expect_unmapped(f, g512 - 1);
	expect_unmapped(f, 2 * g512);
}

static void test_2m_blocks(void **state)
{
	struct fixture *f = init(state, 48);
	u64 ia = 0x40200000, pa = 0x80400000, size = 3 * SZ_2M;

	assert_int_equal(pgtable_map(&f->pt, ia, pa, size, ATTRS), PGT_OK);
	/* Root, L1, L2. */
	assert_int_equal(f->ctx.count, 3);
	for (unsigned i = 0; i < 3; i++) {
		expect_mapped(f, ia + i * SZ_2M, pa + i * SZ_2M, 2, ATTRS);
		expect_mapped(f, ia + i * SZ_2M + 0x1fffff,
			      pa + i * SZ_2M + 0x1fffff, 2, ATTRS);
	}
	expect_unmapped(f, ia - 1);
	expect_unmapped(f, ia + size);
}

static void test_1g_range_pa_only_2m_aligned(void **state)
{
	struct fixture *f = init(state, 48);

	/* IA is 1 GiB-aligned but PA only 2 MiB: 512 level-2 blocks. */
	assert_int_equal(pgtable_map(&f->pt, SZ_1G, 0x80200000, SZ_1G, ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 3);
	expect_mapped(f, SZ_1G, 0x80200000, 2, ATTRS);
	expect_mapped(f, 2 * SZ_1G - 1, 0x80200000 + SZ_1G - 1, 2, ATTRS);
}

static void test_pages(void **state)
{
	struct fixture *f = init(state, 48);
	u64 ia = 0x1000, pa = 0x7000, size = 0x3000;
	u64 *l1, *l2, *l3;

	assert_int_equal(pgtable_map(&f->pt, ia, pa, size, ATTRS_DEV), PGT_OK);
	/* Root, L1, L2, L3. */
	assert_int_equal(f->ctx.count, 4);
	for (u64 off = 0; off < size; off += 0x800)
		expect_mapped(f, ia + off, pa + off, 3, ATTRS_DEV);
	expect_unmapped(f, 0);
	expect_unmapped(f, ia - 1);
	expect_unmapped(f, ia + size);

	/* Walk by hand: level-3 page descriptors have bit 1 set. */
	l1 = (u64 *)(uintptr_t)(f->pt.root[0] & PTE_ADDR_MASK);
	l2 = (u64 *)(uintptr_t)(l1[0] & PTE_ADDR_MASK);
	l3 = (u64 *)(uintptr_t)(l2[0] & PTE_ADDR_MASK);
	assert_int_equal(l1[0] & 3, 3);
	assert_int_equal(l2[0] & 3, 3);
	assert_int_equal(l3[0], 0);
	assert_int_equal(l3[1], 0x7000 | ATTRS_DEV | PTE_AF | PTE_TABLE | PTE_VALID);
	assert_int_equal(l3[2], 0x8000 | ATTRS_DEV | PTE_AF | PTE_TABLE | PTE_VALID);
	assert_int_equal(l3[3], 0x9000 | ATTRS_DEV | PTE_AF | PTE_TABLE | PTE_VALID);
	assert_int_equal(l3[4], 0);
}

static void test_pages_when_pa_misaligned(void **state)
{
	struct fixture *f = init(state, 48);

	/* 2 MiB-aligned IA, PA off by a page: no blocks possible. */
	assert_int_equal(pgtable_map(&f->pt, SZ_1G, 0x80001000, 2 * SZ_2M, ATTRS),
			 PGT_OK);
	/* Root, L1, L2, two L3. */
	assert_int_equal(f->ctx.count, 5);
	expect_mapped(f, SZ_1G, 0x80001000, 3, ATTRS);
	expect_mapped(f, SZ_1G + SZ_2M, 0x80001000 + SZ_2M, 3, ATTRS);
	expect_mapped(f, SZ_1G + 2 * SZ_2M - 1, 0x80001000 + 2 * SZ_2M - 1, 3,
		      ATTRS);
	expect_unmapped(f, SZ_1G + 2 * SZ_2M);
}

static void test_mixed_range(void **state)
{
	struct fixture *f = init(state, 48);
	u64 ia = 0x40001000, pa = 0x80001000, size = SZ_1G;

	assert_int_equal(pgtable_map(&f->pt, ia, pa, size, ATTRS), PGT_OK);
	/*
	 * [0x40001000, 0x40200000): 511 pages in one L3 table;
	 * [0x40200000, 0x80000000): 511 2 MiB blocks;
	 * [0x80000000, 0x80001000): one page under a second L2 and L3.
	 * Tables: root, L1, 2 x L2, 2 x L3.
	 */
	assert_int_equal(f->ctx.count, 6);
	/* Head edge. */
	expect_unmapped(f, ia - 1);
	expect_mapped(f, ia, pa, 3, ATTRS);
	expect_mapped(f, 0x401fffff, 0x801fffff, 3, ATTRS);
	/* Blocks. */
	expect_mapped(f, 0x40200000, 0x80200000, 2, ATTRS);
	expect_mapped(f, 0x60000000 + 0x1234, 0xa0000000 + 0x1234, 2, ATTRS);
	expect_mapped(f, 0x7fffffff, 0xbfffffff, 2, ATTRS);
	/* Tail edge. */
	expect_mapped(f, 0x80000000, 0xc0000000, 3, ATTRS);
	expect_mapped(f, 0x80000fff, 0xc0000fff, 3, ATTRS);
	expect_unmapped(f, ia + size);
	expect_unmapped(f, 0x40000000);
}

static void test_overlap(void **state)
{
	struct fixture *f = init(state, 48);
	unsigned tables;

	assert_int_equal(pgtable_map(&f->pt, SZ_1G, SZ_1G, SZ_1G, ATTRS), PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, 0x200000, 0x200000, SZ_2M, ATTRS),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x1000, ATTRS),
			 PGT_OK);
	tables = f->ctx.count;

	/* The same range again. */
	assert_int_equal(pgtable_map(&f->pt, SZ_1G, SZ_1G, SZ_1G, ATTRS),
			 PGT_EEXIST);
	/* A page inside the 1 GiB block. */
	assert_int_equal(pgtable_map(&f->pt, SZ_1G + 0x5000, 0, 0x1000, ATTRS),
			 PGT_EEXIST);
	/* A 2 MiB block inside the 1 GiB block. */
	assert_int_equal(pgtable_map(&f->pt, SZ_1G + SZ_2M, 0, SZ_2M, ATTRS),
			 PGT_EEXIST);
	/* A page inside the 2 MiB block. */
	assert_int_equal(pgtable_map(&f->pt, 0x3ff000, 0, 0x1000, ATTRS),
			 PGT_EEXIST);
	/* The page at 0x1000 again. */
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x5000, 0x1000, ATTRS),
			 PGT_EEXIST);
	/* A range whose start is free but that runs into the 1 GiB block. */
	assert_int_equal(pgtable_map(&f->pt, SZ_1G - 0x1000, 0, 0x2000, ATTRS),
			 PGT_EEXIST);
	/* No table was allocated to overwrite a leaf. */
	assert_true(f->ctx.count <= tables + 1);

	/* The existing mappings are intact. */
	expect_mapped(f, SZ_1G + 0x5000, SZ_1G + 0x5000, 1, ATTRS);
	expect_mapped(f, 0x3ff000, 0x3ff000, 2, ATTRS);
	expect_mapped(f, 0x1000, 0x1000, 3, ATTRS);
}

static void test_block_over_existing_table(void **state)
{
	struct fixture *f = init(state, 48);

	assert_int_equal(pgtable_map(&f->pt, 0x0, 0x0, 0x1000, ATTRS), PGT_OK);
	/* A 2 MiB block at 0 would hide the page: refused. */
	assert_int_equal(pgtable_map(&f->pt, 0x0, 0x0, SZ_2M, ATTRS), PGT_EEXIST);
	/* A 1 GiB block at 0 likewise. */
	assert_int_equal(pgtable_map(&f->pt, 0x0, 0x0, SZ_1G, ATTRS), PGT_EEXIST);
	expect_mapped(f, 0x0, 0x0, 3, ATTRS);
	expect_unmapped(f, 0x1000);
}

static void test_invalid_args(void **state)
{
	struct fixture *f = init(state, 39);
	u64 limit = UINT64_C(1) << 39;

	assert_int_equal(pgtable_map(&f->pt, 0x1001, 0, 0x1000, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, 0x1800, 0, 0x1000, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x10, 0x1000, ATTRS),
			 PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x1800, ATTRS),
			 PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 1, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0, ATTRS), PGT_EINVAL);
	/* Beyond the input range. */
	assert_int_equal(pgtable_map(&f->pt, limit, 0, 0x1000, ATTRS), PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, limit - 0x1000, 0, 0x2000, ATTRS),
			 PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, 0, 0, limit + 0x1000, ATTRS),
			 PGT_EINVAL);
	/* ia + size wraps around 2^64. */
	assert_int_equal(pgtable_map(&f->pt, limit - 0x1000, 0,
				     (u64)0 - (limit - 0x1000) + 0x1000, ATTRS),
			 PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, (u64)0 - 0x1000, 0, 0x1000, ATTRS),
			 PGT_EINVAL);
	/* PA beyond the 48-bit output address. */
	assert_int_equal(pgtable_map(&f->pt, 0, UINT64_C(1) << 48, 0x1000, ATTRS),
			 PGT_EINVAL);
	assert_int_equal(pgtable_map(&f->pt, 0, UINT64_C(1) << 52, 0x1000, ATTRS),
			 PGT_EINVAL);
	/* Nothing was allocated or mapped. */
	assert_int_equal(f->ctx.count, 1);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(f->pt.root[i], 0);

	/* The very last page of the input range is fine. */
	assert_int_equal(pgtable_map(&f->pt, limit - 0x1000, 0x1000, 0x1000, ATTRS),
			 PGT_OK);
	expect_mapped(f, limit - 1, 0x1fff, 3, ATTRS);
}

static void test_pa_range_end_beyond_48_bits(void **state)
{
	struct fixture *f = init(state, 48);
	u64 top = UINT64_C(1) << 48;

	/* The last page of the output range maps. */
	assert_int_equal(pgtable_map(&f->pt, 0x0, top - 0x1000, 0x1000, ATTRS),
			 PGT_OK);
	expect_mapped(f, 0x0, top - 0x1000, 3, ATTRS);
	/* A range starting below 2^48 but ending above it must not wrap to PA 0. */
	assert_int_equal(pgtable_map(&f->pt, 0x10000, top - 0x1000, 0x2000, ATTRS),
			 PGT_EINVAL);
	expect_unmapped(f, 0x10000);
	expect_unmapped(f, 0x11000);
}

static void test_enomem(void **state)
{
	struct fixture *f = init(state, 48);

	f->ctx.fail_after = 0;
	/* Needs L1, L2, L3: none available. */
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x1000, ATTRS),
			 PGT_ENOMEM);
	/* L1 and L2 available, not L3. */
	f->ctx.fail_after = 2;
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x1000, ATTRS),
			 PGT_ENOMEM);
	assert_int_equal(f->ctx.count, 3);
	expect_unmapped(f, 0x1000);
	/* With memory again the same call succeeds, reusing L1 and L2. */
	f->ctx.fail_after = -1;
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x1000, ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 4);
	expect_mapped(f, 0x1000, 0x1000, 3, ATTRS);
}

static void test_adjacent_pages_share_tables(void **state)
{
	struct fixture *f = init(state, 48);

	assert_int_equal(pgtable_map(&f->pt, 0x5000, 0xa000, 0x1000, ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 4);
	assert_int_equal(pgtable_map(&f->pt, 0x6000, 0xb000, 0x1000, ATTRS_DEV),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, 0x4000, 0x20000, 0x1000, ATTRS),
			 PGT_OK);
	/* Same L3 table. */
	assert_int_equal(f->ctx.count, 4);
	expect_mapped(f, 0x5000, 0xa000, 3, ATTRS);
	expect_mapped(f, 0x6abc, 0xbabc, 3, ATTRS_DEV);
	expect_mapped(f, 0x4fff, 0x20fff, 3, ATTRS);
	expect_unmapped(f, 0x3fff);
	expect_unmapped(f, 0x7000);

	/* A 2 MiB block next to that L3 table, in the same L2 table. */
	assert_int_equal(pgtable_map(&f->pt, SZ_2M, SZ_2M, SZ_2M, ATTRS), PGT_OK);
	assert_int_equal(f->ctx.count, 4);
	expect_mapped(f, SZ_2M, SZ_2M, 2, ATTRS);
	/* Filling the rest of the first 2 MiB around the pages works. */
	assert_int_equal(pgtable_map(&f->pt, 0x7000, 0x7000, SZ_2M - 0x7000, ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 4);
	expect_mapped(f, 0x1ff000, 0x1ff000, 3, ATTRS);
	expect_mapped(f, 0x5000, 0xa000, 3, ATTRS);
}

static void test_lookup_beyond_ia_bits(void **state)
{
	struct fixture *f = init(state, 39);
	u64 limit = UINT64_C(1) << 39;
	unsigned level;
	u64 pa;

	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x3000, 0x1000, ATTRS),
			 PGT_OK);
	expect_mapped(f, 0x1000, 0x3000, 3, ATTRS);
	/* Would alias to 0x1000 if the top bits were ignored. */
	assert_int_equal(pgtable_lookup(&f->pt, limit + 0x1000, &level, &pa), 0);
	assert_int_equal(pgtable_lookup(&f->pt, limit, &level, &pa), 0);
	assert_int_equal(pgtable_lookup(&f->pt, ~(u64)0, &level, &pa), 0);
	assert_int_equal(pgtable_lookup(&f->pt, UINT64_C(1) << 63 | 0x1000, &level,
					&pa),
			 0);
}

static void test_small_root_tables(void **state)
{
	struct fixture *f = init(state, 40);
	u64 hi = UINT64_C(1) << 39;

	/* 40 bits: a level-0 root of 2 entries; the second half works. */
	assert_int_equal(pgtable_map(&f->pt, hi + SZ_1G, SZ_1G, SZ_1G, ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 2);
	assert_int_equal(f->pt.root[0], 0);
	assert_int_equal(f->pt.root[1] & 3, 3);
	expect_mapped(f, hi + SZ_1G + 0x42, SZ_1G + 0x42, 1, ATTRS);
	expect_unmapped(f, SZ_1G + 0x42);
	assert_int_equal(pgtable_map(&f->pt, 2 * hi - SZ_1G, 0, SZ_1G, ATTRS),
			 PGT_OK);
	expect_mapped(f, 2 * hi - 1, SZ_1G - 1, 1, ATTRS);
	assert_int_equal(pgtable_map(&f->pt, 2 * hi, 0, 0x1000, ATTRS), PGT_EINVAL);
}

static void test_25_bit_table(void **state)
{
	struct fixture *f = init(state, 25);

	/* Level-2 root with 16 entries: 2 MiB blocks go straight in. */
	assert_int_equal(pgtable_map(&f->pt, 15 * SZ_2M, 0x40000000, SZ_2M, ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 1);
	assert_int_equal(f->pt.root[15], 0x40000000 | ATTRS | PTE_AF | PTE_VALID);
	expect_mapped(f, 15 * SZ_2M + 0x1234, 0x40001234, 2, ATTRS);
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x2000, ATTRS), PGT_OK);
	assert_int_equal(f->ctx.count, 2);
	expect_mapped(f, 0x2000, 0x2000, 3, ATTRS);
	assert_int_equal(pgtable_map(&f->pt, 16 * SZ_2M, 0, 0x1000, ATTRS),
			 PGT_EINVAL);
}

/* --- pgtable_unmap --- */

static u64 *table_at(u64 pte)
{
	return (u64 *)(uintptr_t)(pte & PTE_ADDR_MASK);
}

static void test_unmap_pages(void **state)
{
	struct fixture *f = init(state, 48);
	unsigned removed = 99;
	u64 *l3;

	/* Six pages at IA 0x1000..0x7000 to PA 0x81000..: one L3 table. */
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x81000, 0x6000, ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 4);
	/* Unmap the middle two. */
	assert_int_equal(pgtable_unmap(&f->pt, 0x3000, 0x2000, &removed), PGT_OK);
	assert_int_equal(removed, 2);
	expect_unmapped(f, 0x3000);
	expect_unmapped(f, 0x4fff);
	/* The neighbours on both sides are intact, descriptors and all. */
	expect_mapped(f, 0x1000, 0x81000, 3, ATTRS);
	expect_mapped(f, 0x2fff, 0x82fff, 3, ATTRS);
	expect_mapped(f, 0x5000, 0x85000, 3, ATTRS);
	expect_mapped(f, 0x6fff, 0x86fff, 3, ATTRS);
	/* The descriptors are zero, not merely invalid; tables stay. */
	l3 = table_at(table_at(table_at(f->pt.root[0])[0])[0]);
	assert_int_equal(l3[3], 0);
	assert_int_equal(l3[4], 0);
	assert_int_equal(l3[2], 0x82000 | ATTRS | PTE_AF | PTE_TABLE | PTE_VALID);
	assert_int_equal(f->ctx.count, 4);
	assert_int_equal(f->pt.root[0] & 3, 3);

	/* One page at the edge; a NULL count is allowed. */
	assert_int_equal(pgtable_unmap(&f->pt, 0x6000, 0x1000, NULL), PGT_OK);
	expect_unmapped(f, 0x6000);
	expect_mapped(f, 0x5000, 0x85000, 3, ATTRS);
	/* A range over mapped and unmapped pages counts only the mapped. */
	assert_int_equal(pgtable_unmap(&f->pt, 0x0, 0x10000, &removed), PGT_OK);
	assert_int_equal(removed, 3);
	for (u64 ia = 0; ia < 0x10000; ia += 0x1000)
		expect_unmapped(f, ia);
}

static void test_unmap_blocks_exactly(void **state)
{
	struct fixture *f = init(state, 48);
	unsigned removed = 99;
	u64 *l1, *l2;

	/* 1 GiB block at 1 GiB, three 2 MiB blocks at 2 GiB + 2 MiB. */
	assert_int_equal(pgtable_map(&f->pt, SZ_1G, 4 * SZ_1G, SZ_1G, ATTRS),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, 2 * SZ_1G + SZ_2M, 0x80000000,
				     3 * SZ_2M, ATTRS_DEV),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 3);
	l1 = table_at(f->pt.root[0]);
	l2 = table_at(l1[2]);

	/* The middle 2 MiB block, exactly. */
	assert_int_equal(pgtable_unmap(&f->pt, 2 * SZ_1G + 2 * SZ_2M, SZ_2M,
				       &removed),
			 PGT_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(l2[2], 0);
	expect_unmapped(f, 2 * SZ_1G + 2 * SZ_2M);
	expect_unmapped(f, 2 * SZ_1G + 3 * SZ_2M - 1);
	expect_mapped(f, 2 * SZ_1G + SZ_2M, 0x80000000, 2, ATTRS_DEV);
	expect_mapped(f, 2 * SZ_1G + 3 * SZ_2M, 0x80000000 + 2 * SZ_2M, 2,
		      ATTRS_DEV);
	expect_mapped(f, SZ_1G, 4 * SZ_1G, 1, ATTRS);

	/* The 1 GiB block, exactly: one leaf. */
	assert_int_equal(pgtable_unmap(&f->pt, SZ_1G, SZ_1G, &removed), PGT_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(l1[1], 0);
	expect_unmapped(f, SZ_1G);
	expect_unmapped(f, 2 * SZ_1G - 1);
	expect_mapped(f, 2 * SZ_1G + SZ_2M, 0x80000000, 2, ATTRS_DEV);

	/* A range larger than the blocks, ending inside nothing: both go. */
	assert_int_equal(pgtable_unmap(&f->pt, 2 * SZ_1G, SZ_1G + SZ_2M,
				       &removed),
			 PGT_OK);
	assert_int_equal(removed, 2);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(l2[i], 0);
	assert_int_equal(f->ctx.count, 3);
}

static void test_unmap_partial_block(void **state)
{
	struct fixture *f = init(state, 48);
	unsigned removed = 99;
	u64 *l2;

	/* Pages 0x1000..0x3000, a 2 MiB block at 2 MiB, a 1 GiB block at 1 GiB. */
	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x2000, ATTRS),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, SZ_2M, 0x40000000, SZ_2M, ATTRS),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, SZ_1G, 0, SZ_1G, ATTRS), PGT_OK);
	l2 = table_at(table_at(f->pt.root[0])[0]);

	/* The pages, then half the 2 MiB block: refused, nothing removed. */
	assert_int_equal(pgtable_unmap(&f->pt, 0x1000, SZ_2M, &removed),
			 PGT_EINVAL);
	assert_int_equal(removed, 0);
	expect_mapped(f, 0x1000, 0x1000, 3, ATTRS);
	expect_mapped(f, 0x2000, 0x2000, 3, ATTRS);
	expect_mapped(f, SZ_2M, 0x40000000, 2, ATTRS);
	assert_int_equal(l2[1], 0x40000000 | ATTRS | PTE_AF | PTE_VALID);

	/* A page inside the block, at its start, at its end. */
	assert_int_equal(pgtable_unmap(&f->pt, SZ_2M + 0x5000, 0x1000, &removed),
			 PGT_EINVAL);
	assert_int_equal(removed, 0);
	assert_int_equal(pgtable_unmap(&f->pt, SZ_2M, SZ_2M - 0x1000, &removed),
			 PGT_EINVAL);
	assert_int_equal(pgtable_unmap(&f->pt, 2 * SZ_2M - 0x1000, 0x1000,
				       &removed),
			 PGT_EINVAL);
	expect_mapped(f, SZ_2M + 0x5000, 0x40005000, 2, ATTRS);

	/* The whole 2 MiB block, then 2 MiB of the 1 GiB block. */
	assert_int_equal(pgtable_unmap(&f->pt, SZ_2M, SZ_1G, &removed),
			 PGT_EINVAL);
	assert_int_equal(removed, 0);
	expect_mapped(f, SZ_2M, 0x40000000, 2, ATTRS);
	expect_mapped(f, SZ_1G, 0, 1, ATTRS);
	/* The 1 GiB block's tail and what follows. */
	assert_int_equal(pgtable_unmap(&f->pt, 2 * SZ_1G - SZ_2M, 2 * SZ_2M,
				       &removed),
			 PGT_EINVAL);
	expect_mapped(f, 2 * SZ_1G - 1, SZ_1G - 1, 1, ATTRS);
	assert_int_equal(f->ctx.count, 4);

	/* Covering each exactly works, pages and block in one call. */
	assert_int_equal(pgtable_unmap(&f->pt, 0, 2 * SZ_2M, &removed), PGT_OK);
	assert_int_equal(removed, 3);
	assert_int_equal(pgtable_unmap(&f->pt, 0, 2 * SZ_1G, &removed), PGT_OK);
	assert_int_equal(removed, 1);
	expect_unmapped(f, SZ_1G);
}

static void test_unmap_invalid_args(void **state)
{
	struct fixture *f = init(state, 39);
	u64 limit = UINT64_C(1) << 39;
	unsigned removed;

	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x4000, ATTRS),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, limit - 0x1000, 0x9000, 0x1000,
				     ATTRS),
			 PGT_OK);
#define BAD(ia, size)                                                        \
	do {                                                                  \
		removed = 99;                                                 \
		assert_int_equal(pgtable_unmap(&f->pt, ia, size, &removed),   \
				 PGT_EINVAL);                                 \
		assert_int_equal(removed, 0);                                 \
	} while (0)
	BAD(0x1001, 0x1000);
	BAD(0x1800, 0x1000);
	BAD(0x1000, 0x800);
	BAD(0x1000, 0x1001);
	BAD(0x1001, 0);
	/* Beyond the input range, or running past it, or wrapping 2^64. */
	BAD(limit, 0x1000);
	BAD(limit, 0);
	BAD(limit - 0x1000, 0x2000);
	BAD(0, limit + 0x1000);
	BAD(limit - 0x1000, (u64)0 - (limit - 0x1000) + 0x1000);
	BAD((u64)0 - 0x1000, 0x1000);
	BAD(UINT64_C(1) << 63 | 0x1000, 0x1000);
#undef BAD
	/* Nothing was touched. */
	for (u64 ia = 0x1000; ia < 0x5000; ia += 0x1000)
		expect_mapped(f, ia, ia, 3, ATTRS);
	expect_mapped(f, limit - 0x1000, 0x9000, 3, ATTRS);

	/* The last page of the input range is in range. */
	assert_int_equal(pgtable_unmap(&f->pt, limit - 0x1000, 0x1000, &removed),
			 PGT_OK);
	assert_int_equal(removed, 1);
	expect_unmapped(f, limit - 0x1000);
}

static void test_unmap_size_zero_and_unmapped(void **state)
{
	struct fixture *f = init(state, 48);
	unsigned removed = 99;
	unsigned tables;

	assert_int_equal(pgtable_map(&f->pt, 0x1000, 0x1000, 0x1000, ATTRS),
			 PGT_OK);
	tables = f->ctx.count;
	/* Size 0: nothing, successfully. */
	assert_int_equal(pgtable_unmap(&f->pt, 0x1000, 0, &removed), PGT_OK);
	assert_int_equal(removed, 0);
	expect_mapped(f, 0x1000, 0x1000, 3, ATTRS);
	/* Ranges with nothing mapped: next to the page, elsewhere, everywhere
	 * but the page. No table is allocated to walk them. */
	removed = 99;
	assert_int_equal(pgtable_unmap(&f->pt, 0x2000, 0x1000, &removed), PGT_OK);
	assert_int_equal(removed, 0);
	removed = 99;
	assert_int_equal(pgtable_unmap(&f->pt, SZ_1G, 64 * SZ_1G, &removed),
			 PGT_OK);
	assert_int_equal(removed, 0);
	removed = 99;
	assert_int_equal(pgtable_unmap(&f->pt, 0x2000,
				       (UINT64_C(1) << 48) - 0x2000, &removed),
			 PGT_OK);
	assert_int_equal(removed, 0);
	assert_int_equal(f->ctx.count, tables);
	expect_mapped(f, 0x1000, 0x1000, 3, ATTRS);
	/* The whole input range: the one page. */
	assert_int_equal(pgtable_unmap(&f->pt, 0, UINT64_C(1) << 48, &removed),
			 PGT_OK);
	assert_int_equal(removed, 1);
	expect_unmapped(f, 0x1000);
	/* Again: nothing left. */
	removed = 99;
	assert_int_equal(pgtable_unmap(&f->pt, 0, UINT64_C(1) << 48, &removed),
			 PGT_OK);
	assert_int_equal(removed, 0);
	assert_int_equal(f->ctx.count, tables);
}

static void test_unmap_then_remap(void **state)
{
	struct fixture *f = init(state, 48);
	unsigned removed;

	assert_int_equal(pgtable_map(&f->pt, 0x40000000, 0x1000, 0x4000, ATTRS),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, 0x40200000, 0x80000000, SZ_2M,
				     ATTRS),
			 PGT_OK);
	assert_int_equal(f->ctx.count, 4);
	/* Mapping over a live page is refused... */
	assert_int_equal(pgtable_map(&f->pt, 0x40001000, 0x9000, 0x1000, ATTRS),
			 PGT_EEXIST);
	/* ...and works once it is unmapped, to another PA and attributes,
	 * in the tables already there. */
	assert_int_equal(pgtable_unmap(&f->pt, 0x40001000, 0x1000, &removed),
			 PGT_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(pgtable_map(&f->pt, 0x40001000, 0x9000, 0x1000,
				     ATTRS_DEV),
			 PGT_OK);
	expect_mapped(f, 0x40001000, 0x9000, 3, ATTRS_DEV);
	expect_mapped(f, 0x40000000, 0x1000, 3, ATTRS);
	expect_mapped(f, 0x40002000, 0x3000, 3, ATTRS);

	/* A block comes back as a block, in its old slot. */
	assert_int_equal(pgtable_unmap(&f->pt, 0x40200000, SZ_2M, &removed),
			 PGT_OK);
	assert_int_equal(pgtable_map(&f->pt, 0x40200000, 0xc0000000, SZ_2M,
				     ATTRS_DEV),
			 PGT_OK);
	expect_mapped(f, 0x40200000 + 0x1234, 0xc0001234, 2, ATTRS_DEV);

	/*
	 * All of the first 2 MiB unmapped leaves an empty L3 table, which is
	 * kept: mapping 2 MiB there again fills it with pages rather than
	 * allocating or placing a block.
	 */
	assert_int_equal(pgtable_unmap(&f->pt, 0x40000000, SZ_2M, &removed),
			 PGT_OK);
	assert_int_equal(removed, 4);
	expect_unmapped(f, 0x40001000);
	assert_int_equal(pgtable_map(&f->pt, 0x40000000, 0x80000000, SZ_2M,
				     ATTRS),
			 PGT_OK);
	expect_mapped(f, 0x40000000, 0x80000000, 3, ATTRS);
	expect_mapped(f, 0x401ff000, 0x801ff000, 3, ATTRS);
	assert_int_equal(f->ctx.count, 4);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_level),
		cmocka_unit_test(test_level_size),
		cmocka_unit_test(test_init_root_entries),
		T(test_init_rejects),
		T(test_1g_block),
		T(test_1g_block_start_level_1),
		T(test_512g_uses_1g_blocks),
		T(test_2m_blocks),
		T(test_1g_range_pa_only_2m_aligned),
		T(test_pages),
		T(test_pages_when_pa_misaligned),
		T(test_mixed_range),
		T(test_overlap),
		T(test_block_over_existing_table),
		T(test_invalid_args),
		T(test_pa_range_end_beyond_48_bits),
		T(test_enomem),
		T(test_adjacent_pages_share_tables),
		T(test_lookup_beyond_ia_bits),
		T(test_small_root_tables),
		T(test_25_bit_table),
		T(test_unmap_pages),
		T(test_unmap_blocks_exactly),
		T(test_unmap_partial_block),
		T(test_unmap_invalid_args),
		T(test_unmap_size_zero_and_unmapped),
		T(test_unmap_then_remap),
	};
#undef T

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
