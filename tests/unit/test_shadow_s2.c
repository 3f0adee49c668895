/*
 * Host tests of the shadow stage 2 (src/mem/shadow_s2.c): L2 IPA -> PA as
 * L1's stage 2 (walked in guest memory) composed with the VM's own stage
 * 2 ("l0", a struct pgtable), filled a 4 KiB page at a time on faults.
 *
 * l0 maps L1 IPAs to "PAs" at offsets that differ per region, so that a
 * page composed the wrong way round lands somewhere recognisable; nothing
 * is dereferenced, so the PAs are arbitrary. L1's tables live in a host
 * buffer standing for L1 memory at L1 IPA [L1MEM_BASE, +L1MEM_SIZE) and
 * are written by hand from the Arm ARM VMSAv8-64 stage-2 formats, with
 * table indices spelled out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/bits.h>
#include <nv/shadow_s2.h>
#include "helpers.h"

/* --- Stage-2 descriptor bits (Arm ARM D8.3) --- */

#define D_TABLE UINT64_C(3)
#define D_PAGE UINT64_C(3)
#define D_BLOCK UINT64_C(1)
#define MEMATTR(x) ((u64)(x) << 2) /* MemAttr [5:2] */
#define S2AP(x) ((u64)(x) << 6)    /* S2AP [7:6]: 01 R, 10 W, 11 RW */
#define SH(x) ((u64)(x) << 8)      /* SH [9:8]: 00 Non, 10 Outer, 11 Inner */
#define AF BIT(10)
#define XN(x) ((u64)(x) << 53)     /* XN [54:53] */
#define ATTR_MASK (MEMATTR(0xf) | S2AP(3) | SH(3) | XN(3))

#define NORMAL_WB 0xf
#define DEV_nGnRnE 0x0
#define DEV_nGnRE 0x1

/* Normal WB, RW, Inner Shareable, accessed: L1's ordinary RAM leaf. */
#define A_RW (MEMATTR(NORMAL_WB) | S2AP(3) | SH(3) | AF)
/* l0's RAM attributes, as the brief and stage2.h have them. */
#define L0_RAM                                                                \
	(PTE_S2_MEMATTR(0xf) | PTE_S2_S2AP_R | PTE_S2_S2AP_W | PTE_SH_INNER)

/* --- The VM's stage 2 (l0): L1 IPA -> PA --- */

#define RAM_IPA UINT64_C(0x40000000)  /* 64 MiB, 2 MiB blocks */
#define RAM_SIZE UINT64_C(0x4000000)
#define RAM_PA UINT64_C(0x880200000)
#define HOLE_IPA UINT64_C(0x44000000) /* "L1 MMIO": nothing in l0 */
#define RAM2_IPA UINT64_C(0x48000000) /* 2 MiB of pages */
#define RAM2_PA UINT64_C(0x700003000)
#define RO_IPA UINT64_C(0x4a000000)   /* l0 read-only, 64 KiB */
#define RO_PA UINT64_C(0x600000000)
#define DEV_IPA UINT64_C(0x4c000000)  /* l0 Device, XN, 64 KiB */
#define DEV_PA UINT64_C(0x90000000)
#define BIG_IPA UINT64_C(0x100000000) /* 1 GiB block */
#define BIG_PA UINT64_C(0x4000000000)

#define L0_RO (PTE_S2_MEMATTR(0xf) | PTE_S2_S2AP_R | PTE_SH_INNER)
#define L0_DEV (PTE_S2_MEMATTR(DEV_nGnRE) | PTE_S2_S2AP_R | PTE_S2_S2AP_W | \
		PTE_S2_XN)

static u64 ram_pa(u64 l1_ipa)
{
	return RAM_PA + (l1_ipa - RAM_IPA);
}

/* --- L1's stage 2, in L1 memory --- */

#define L1MEM_BASE UINT64_C(0x40100000) /* inside l0's RAM, as it would be */
#define L1MEM_SIZE UINT64_C(0x40000)
#define T(n) (L1MEM_BASE + (u64)(n) * 0x1000) /* 4 KiB table n */
#define VMID (UINT64_C(5) << 48)

/* VTCR_EL2: T0SZ [5:0], SL0 [7:6], TG0 [15:14], PS [18:16] (2: 40 bits). */
static u64 vtcr(unsigned tg0, unsigned sl0, unsigned t0sz)
{
	return BIT(31) | UINT64_C(2) << 16 | (u64)tg0 << 14 | (u64)sl0 << 6 |
	       t0sz;
}

/* 4 KiB granule, 32-bit L2 IPA, start level 1 (4-entry root). */
#define VTCR_4K_L1 vtcr(0, 1, 32)

/* L2 IPAs of the hand-built tables (see build_l1). */
#define PG(i) ((u64)(i) * 0x1000)          /* T(2): level-3 pages at L2 0 */
#define BLK_RW SZ_2M                       /* 2 MiB block, RW */
#define BLK_RO (3 * SZ_2M)                 /* 2 MiB block, read-only */
#define PAGES8M (4 * SZ_2M)                /* T(4): 16 RW pages */
#define GIG SZ_1G                          /* 1 GiB block */
#define REGION_C (2 * SZ_1G)               /* T(3): 9 x 2 MiB blocks */
#define REGION_C_BLOCKS 9

/* --- TLB maintenance, recorded --- */

struct fx;
static struct fx *tlb_fx;
static bool expect_no_shadow_now(const struct fx *f, u64 l2_ipa);

static struct {
	unsigned ipas_calls, vmid_calls, npages;
	u64 vttbr;
	u64 page[256];
	bool mapped_at_tlbi; /* a page was still mapped when invalidated */
} tlb_log;

static void rec_ipas(void *ctx, u64 vttbr, const u64 *pages, unsigned n)
{
	(void)ctx;
	tlb_log.ipas_calls++;
	tlb_log.vttbr = vttbr;
	assert_true(n > 0 && n <= 16);
	for (unsigned i = 0; i < n; i++) {
		/* Break before make: invalid in the tables when invalidated. */
		if (!expect_no_shadow_now(tlb_fx, pages[i]))
			tlb_log.mapped_at_tlbi = true;
		if (tlb_log.npages < ARRAY_SIZE(tlb_log.page))
			tlb_log.page[tlb_log.npages++] = pages[i];
	}
}

static void rec_vmid(void *ctx, u64 vttbr)
{
	(void)ctx;
	tlb_log.vmid_calls++;
	tlb_log.vttbr = vttbr;
}

static const struct shadow_tlb_ops test_tlb = { rec_ipas, rec_vmid, NULL };

/* --- Fixture --- */

struct fx {
	struct ut_alloc l0_alloc, sh_alloc; /* zeroed host pages, counted */
	struct pgtable_mm l0_mm, sh_mm;
	struct shadow_env env;
	struct pgtable l0;
	unsigned char *l1mem;
	unsigned reads; /* descriptor reads of L1 memory */
	struct shadow_s2 s;
	/* The last fault's outputs. */
	struct s2_walk_result walk;
	u64 l1_ipa;
};

/* Reads L1 memory; an L1 IPA outside the buffer cannot be read. */
static bool l1_read(void *ctx, u64 ipa, u64 *val)
{
	struct fx *f = ctx;

	assert_int_equal(ipa & 7, 0);
	f->reads++;
	if (ipa < L1MEM_BASE || ipa - L1MEM_BASE > L1MEM_SIZE - 8)
		return false;
	memcpy(val, f->l1mem + (ipa - L1MEM_BASE), sizeof(*val));
	return true;
}

static void wr(struct fx *f, u64 ipa, u64 desc)
{
	assert_true(ipa >= L1MEM_BASE && ipa - L1MEM_BASE <= L1MEM_SIZE - 8);
	memcpy(f->l1mem + (ipa - L1MEM_BASE), &desc, sizeof(desc));
}

/* Entry i of the table at t. */
#define E(t, i) ((t) + (u64)(i) * 8)

/*
 * L1's stage 2 (4 KiB granule, start level 1, L2 IPA [31:30] indexes the
 * root):
 *   root T(0)  [0] -> T(1)   [1] 1 GiB block -> BIG_IPA
 *              [2] -> T(3)   [3] invalid
 *   T(1) (L2 0..1G, 2 MiB each)
 *              [0] -> T(2)   [1] block RW -> RAM 0x40200000
 *              [2] invalid   [3] block RO -> RAM 0x40400000
 *              [4] -> T(4)   [5] -> a table outside L1 memory
 *   T(2) (L2 0..2M, pages): see below
 *   T(3) (L2 2G..): [0..8] 2 MiB blocks -> BIG_IPA + i * 2 MiB
 *   T(4) (L2 8M..): [0..15] pages -> RAM 0x40800000 + i * 4 KiB
 */
static void build_l1(struct fx *f)
{
	wr(f, E(T(0), 0), T(1) | D_TABLE);
	wr(f, E(T(0), 1), BIG_IPA | A_RW | D_BLOCK);
	wr(f, E(T(0), 2), T(3) | D_TABLE);

	wr(f, E(T(1), 0), T(2) | D_TABLE);
	wr(f, E(T(1), 1), UINT64_C(0x40200000) | A_RW | D_BLOCK);
	wr(f, E(T(1), 3), UINT64_C(0x40400000) | MEMATTR(NORMAL_WB) | S2AP(1) |
				  SH(3) | AF | D_BLOCK);
	wr(f, E(T(1), 4), T(4) | D_TABLE);
	wr(f, E(T(1), 5), UINT64_C(0x7f000000) | D_TABLE);

	/* page 0 invalid */
	wr(f, E(T(2), 1), UINT64_C(0x40010000) | A_RW | D_PAGE);
	wr(f, E(T(2), 2), UINT64_C(0x40011000) | MEMATTR(NORMAL_WB) | S2AP(1) |
				  SH(3) | AF | D_PAGE);                /* RO */
	wr(f, E(T(2), 3), UINT64_C(0x40012000) | A_RW | XN(2) | D_PAGE);
	wr(f, E(T(2), 4), UINT64_C(0x40013000) | MEMATTR(DEV_nGnRE) | S2AP(3) |
				  AF | XN(2) | D_PAGE);                /* Device */
	wr(f, E(T(2), 5), HOLE_IPA | A_RW | D_PAGE);                  /* MMIO */
	wr(f, E(T(2), 6), UINT64_C(0x40010000) | A_RW | D_PAGE); /* = page 1 */
	wr(f, E(T(2), 7), (RAM2_IPA + 0x1000) | A_RW | D_PAGE);
	wr(f, E(T(2), 8), UINT64_C(0x40014000) | MEMATTR(NORMAL_WB) | S2AP(3) |
				  SH(3) | D_PAGE);                      /* no AF */
	wr(f, E(T(2), 9), UINT64_C(0x40015000) | MEMATTR(NORMAL_WB) | S2AP(2) |
				  SH(3) | AF | D_PAGE);         /* write-only */
	wr(f, E(T(2), 10), RO_IPA | A_RW | D_PAGE);          /* l0 read-only */
	wr(f, E(T(2), 11), UINT64_C(0x40016000) | A_RW | XN(1) | D_PAGE);
	wr(f, E(T(2), 12), UINT64_C(0x40017000) | A_RW | XN(3) | D_PAGE);
	wr(f, E(T(2), 13), DEV_IPA | MEMATTR(0xa) | S2AP(3) | SH(2) | AF |
				   D_PAGE);                   /* WT, l0 Device */
	wr(f, E(T(2), 14), UINT64_C(0x40018000) | MEMATTR(DEV_nGnRnE) |
				   S2AP(3) | AF | D_PAGE);
	wr(f, E(T(2), 15), UINT64_C(0x40019000) | A_RW | D_BLOCK); /* bit 1 clear */
	wr(f, E(T(2), 16), (UINT64_C(1) << 40) | A_RW | D_PAGE); /* OA > PS */

	for (unsigned i = 0; i < REGION_C_BLOCKS; i++)
		wr(f, E(T(3), i), (BIG_IPA + i * SZ_2M) | A_RW | D_BLOCK);
	for (unsigned i = 0; i < 16; i++)
		wr(f, E(T(4), i), (UINT64_C(0x40800000) + i * 0x1000) | A_RW |
					  D_PAGE);
}

static void build_l0(struct fx *f)
{
	struct pgtable *l0 = &f->l0;

	assert_true(pgtable_init(l0, 40, &f->l0_mm));
	assert_int_equal(pgtable_map(l0, RAM_IPA, RAM_PA, RAM_SIZE, L0_RAM),
			 PGT_OK);
	assert_int_equal(pgtable_map(l0, RAM2_IPA, RAM2_PA, SZ_2M, L0_RAM),
			 PGT_OK);
	assert_int_equal(pgtable_map(l0, RO_IPA, RO_PA, SZ_64K, L0_RO), PGT_OK);
	assert_int_equal(pgtable_map(l0, DEV_IPA, DEV_PA, SZ_64K, L0_DEV),
			 PGT_OK);
	assert_int_equal(pgtable_map(l0, BIG_IPA, BIG_PA, SZ_1G, L0_RAM),
			 PGT_OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->l1mem = calloc(1, L1MEM_SIZE);
	if (!f->l1mem) {
		free(f);
		return -1;
	}
	f->l0_alloc.fail_after = -1;
	f->sh_alloc.fail_after = -1;
	f->l0_mm = (struct pgtable_mm){ ut_alloc_table, &f->l0_alloc };
	f->sh_mm = (struct pgtable_mm){ ut_alloc_table, &f->sh_alloc };
	f->env = (struct shadow_env){ .mm = &f->sh_mm, .tlb = &test_tlb,
				      .l1_pa_bits = 48 };
	memset(&tlb_log, 0, sizeof(tlb_log));
	tlb_fx = f;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ut_alloc_release(&f->l0_alloc);
	ut_alloc_release(&f->sh_alloc);
	free(f->l1mem);
	free(f);
	return 0;
}

/* l0 and L1's tables built, a shadow started for vtcr_val. */
static struct fx *start(void **state, u64 vtcr_val)
{
	struct fx *f = *state;
	char err[128] = "";

	build_l0(f);
	build_l1(f);
	if (!shadow_s2_init(&f->s, vtcr_val, L1MEM_BASE | VMID, &f->env, err,
			    sizeof(err)))
		fail_msg("shadow_s2_init: %s", err);
	return f;
}

/* --- Faults and checks --- */

enum kind { RD, WR, X1, X0 }; /* read, write, exec at EL1, exec at EL0 */

static enum shadow_result fault(struct fx *f, u64 l2_ipa, enum kind k)
{
	struct shadow_access a = {
		.l2_ipa = l2_ipa,
		.write = k == WR,
		.exec = k == X1 || k == X0,
		.el0 = k == X0,
	};

	memset(&f->walk, 0xa5, sizeof(f->walk));
	f->l1_ipa = 0xdeadbeef;
	f->reads = 0;
	return shadow_s2_fault(&f->s, &a, &f->l0, l1_read, f, &f->walk,
			       &f->l1_ipa);
}

static void expect_fault_mapped(struct fx *f, u64 l2_ipa, enum kind k)
{
	enum shadow_result r = fault(f, l2_ipa, k);

	if (r != SHADOW_MAPPED)
		fail_msg("L2 IPA %#llx: result %d, not mapped",
			 (unsigned long long)l2_ipa, r);
}

/* The shadow maps l2_ipa's page to pa's page with these leaf attributes. */
static void expect_shadow(const struct fx *f, u64 l2_ipa, u64 pa, u64 attrs)
{
	unsigned level = 99;
	u64 got = 0x5555;
	u64 pte = pgtable_lookup(&f->s.pt, l2_ipa, &level, &got);

	if (!pte)
		fail_msg("L2 IPA %#llx not in the shadow",
			 (unsigned long long)l2_ipa);
	assert_int_equal(level, 3);
	assert_int_equal(got, pa);
	assert_int_equal(pte, (pa & ~UINT64_C(0xfff)) | attrs | AF | D_PAGE);
}

static bool expect_no_shadow_now(const struct fx *f, u64 l2_ipa)
{
	unsigned level;
	u64 pa;

	return !pgtable_lookup(&f->s.pt, l2_ipa, &level, &pa);
}

static void expect_no_shadow(const struct fx *f, u64 l2_ipa)
{
	unsigned level;
	u64 pa;

	if (pgtable_lookup(&f->s.pt, l2_ipa, &level, &pa))
		fail_msg("L2 IPA %#llx in the shadow", (unsigned long long)l2_ipa);
}

/* How many reverse-map entries name this L2 page. */
static unsigned rmap_l2_count(const struct fx *f, u64 l2_page)
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->s.nr_rmap; i++)
		n += f->s.rmap[i].l2_page == l2_page;
	return n;
}

static const struct shadow_rmap *rmap_of(const struct fx *f, u64 l2_page)
{
	for (unsigned i = 0; i < f->s.nr_rmap; i++)
		if (f->s.rmap[i].l2_page == l2_page)
			return &f->s.rmap[i];
	fail_msg("L2 page %#llx not in the reverse map",
		 (unsigned long long)l2_page);
	return NULL;
}

/* L2 page i of region C (9 x 2 MiB L1 blocks over l0's 1 GiB block). */
static u64 c_page_of(unsigned i)
{
	return REGION_C + (u64)i * 0x1000;
}

/* Merged attributes of the shadow leaf for an L1 RW WB page over l0 RAM. */
#define S_RW (MEMATTR(NORMAL_WB) | S2AP(3) | SH(3))

/* --- shadow_s2_init --- */

static void test_init(void **state)
{
	struct fx *f = *state;
	char err[128] = "";

	assert_true(shadow_s2_init(&f->s, VTCR_4K_L1, L1MEM_BASE | VMID,
				   &f->env, err, sizeof(err)));
	assert_int_equal(f->s.vtcr, VTCR_4K_L1);
	assert_int_equal(f->s.vttbr, L1MEM_BASE | VMID);
	assert_int_equal(f->s.cfg.granule_shift, 12);
	assert_int_equal(f->s.cfg.ia_bits, 32);
	assert_int_equal(f->s.cfg.start_level, 1);
	assert_int_equal(f->s.cfg.root, L1MEM_BASE); /* no VMID */
	/* The shadow's own tables: 32-bit input, level-1 root of 4. */
	assert_int_equal(f->s.pt.ia_bits, 32);
	assert_int_equal(f->s.pt.start_level, 1);
	assert_int_equal(f->s.pt.root_entries, 4);
	assert_int_equal(f->sh_alloc.count, 1);
	assert_ptr_equal(f->s.pt.root, f->sh_alloc.tables[0]);
	assert_int_equal(f->s.nr_rmap, 0);
	assert_false(f->s.rmap_overflow);

	/* 48 bits (level 0) and 25 bits (level 2, 16-entry root). */
	assert_true(shadow_s2_init(&f->s, vtcr(0, 2, 16), L1MEM_BASE, &f->env,
				   err, sizeof(err)));
	assert_int_equal(f->s.pt.ia_bits, 48);
	assert_int_equal(f->s.pt.start_level, 0);
	assert_true(shadow_s2_init(&f->s, vtcr(0, 0, 39), L1MEM_BASE, &f->env,
				   err, sizeof(err)));
	assert_int_equal(f->s.pt.ia_bits, 25);
	assert_int_equal(f->s.pt.start_level, 2);
	assert_int_equal(f->s.pt.root_entries, 16);
	/* A 64 KiB L1 granule still gets 4 KiB shadow tables. */
	assert_true(shadow_s2_init(&f->s, vtcr(1, 1, 34), L1MEM_BASE, &f->env,
				   err, sizeof(err)));
	assert_int_equal(f->s.cfg.granule_shift, 16);
	assert_int_equal(f->s.pt.ia_bits, 30);
	assert_int_equal(f->s.pt.start_level, 2);
}

static void test_init_bad_vtcr(void **state)
{
	struct fx *f = *state;
	const struct {
		u64 vtcr;
		const char *msg;
	} bad[] = {
		{ vtcr(3, 1, 32), "TG0" },             /* reserved granule */
		{ vtcr(0, 1, 40), "T0SZ" },            /* 24 bits */
		{ vtcr(0, 3, 32), "SL0" },             /* level 3: FEAT_TTST */
		{ vtcr(0, 2, 32), "does not suit" },   /* level 0 for 32 bits */
		{ vtcr(1, 3, 32), "SL0" },             /* always reserved, 64 KiB */
		{ vtcr(0, 1, 32) | UINT64_C(7) << 16, "PS" },
	};

	build_l0(f);
	build_l1(f);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		char err[128] = "";
		unsigned tables = f->sh_alloc.count;

		/*
		 * A shadow all the same: every L2 access is L1's level 0
		 * Translation fault, as hardware gives for a VTCR_EL2 it
		 * cannot use, with the smallest tables and nothing read.
		 */
		if (!shadow_s2_init(&f->s, bad[i].vtcr, L1MEM_BASE, &f->env, err,
				    sizeof(err)))
			fail_msg("VTCR %#llx: %s", (unsigned long long)bad[i].vtcr, err);
		assert_contains(err, bad[i].msg);
		assert_false(f->s.cfg.valid);
		assert_int_equal(f->s.pt.ia_bits, 25);
		assert_int_equal(f->sh_alloc.count, tables + 1);
		assert_int_equal(fault(f, PG(1), RD), SHADOW_L1_FAULT);
		assert_int_equal(f->walk.fault, S2_FAULT_TRANSLATION);
		assert_int_equal(f->walk.level, 0);
		assert_int_equal(f->reads, 0);
		assert_int_equal(fault(f, BLK_RW, WR), SHADOW_L1_FAULT);
		assert_int_equal(f->walk.level, 0);
		assert_int_equal(f->s.nr_rmap, 0);
	}

	/* A good VTCR_EL2 with no memory for the root. */
	{
		char err[128] = "";

		f->sh_alloc.fail_after = 0;
		assert_false(shadow_s2_init(&f->s, VTCR_4K_L1, L1MEM_BASE,
					    &f->env, err, sizeof(err)));
		assert_contains(err, "no memory");
	}
}

/* --- shadow_s2_merge_attrs --- */

static u64 merge(u64 l1, u64 l0)
{
	return shadow_s2_merge_attrs(l1, l0);
}

static void test_merge_ap(void **state)
{
	static const unsigned cases[][3] = {
		/* L1 S2AP, l0 S2AP, result: the intersection */
		{ 3, 3, 3 }, { 1, 3, 1 }, { 3, 1, 1 }, { 2, 3, 2 },
		{ 1, 2, 0 }, { 2, 1, 0 }, { 0, 3, 0 }, { 3, 0, 0 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 m = merge(MEMATTR(NORMAL_WB) | S2AP(cases[i][0]),
			      MEMATTR(NORMAL_WB) | S2AP(cases[i][1]));

		assert_int_equal(m & S2AP(3), S2AP(cases[i][2]));
	}
}

static void test_merge_xn(void **state)
{
	/*
	 * XN[1:0] (FEAT_XNX): 00 both ELs execute, 01 EL0 only, 10 neither,
	 * 11 EL1 only. The result forbids execution at each EL where either
	 * side does: a union of restrictions, not of bits.
	 */
	static const unsigned cases[][3] = {
		{ 0, 0, 0 }, { 2, 0, 2 }, { 0, 2, 2 }, { 2, 2, 2 },
		{ 1, 0, 1 }, { 0, 1, 1 }, { 3, 0, 3 }, { 0, 3, 3 },
		{ 1, 1, 1 }, { 3, 3, 3 },
		{ 1, 3, 2 }, { 3, 1, 2 }, /* EL1 barred by one, EL0 by the other */
		{ 2, 1, 2 }, { 1, 2, 2 }, { 3, 2, 2 }, { 2, 3, 2 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 m = merge(MEMATTR(NORMAL_WB) | XN(cases[i][0]),
			      MEMATTR(NORMAL_WB) | XN(cases[i][1]));

		if ((m & XN(3)) != XN(cases[i][2]))
			fail_msg("XN %u with %u gave %llu, not %u", cases[i][0],
				 cases[i][1], (unsigned long long)(m >> 53) & 3,
				 cases[i][2]);
	}
}

static void test_merge_memattr(void **state)
{
	static const unsigned cases[][3] = {
		/* Device beats Normal, either way round. */
		{ DEV_nGnRE, NORMAL_WB, DEV_nGnRE },
		{ NORMAL_WB, DEV_nGnRE, DEV_nGnRE },
		{ 0x5, 0x3, 0x3 },      /* Normal NC vs Device-GRE */
		{ 0x2, 0xa, 0x2 },
		/* The stronger Device type: nGnRnE < nGnRE < nGRE < GRE. */
		{ DEV_nGnRnE, DEV_nGnRE, DEV_nGnRnE },
		{ DEV_nGnRE, DEV_nGnRnE, DEV_nGnRnE },
		{ 0x3, 0x2, 0x2 },
		{ 0x1, 0x3, 0x1 },
		/* Normal: NC (01) < WT (10) < WB (11), outer [3:2] and inner
		 * [1:0] separately. */
		{ 0xf, 0xf, 0xf },
		{ 0xf, 0x5, 0x5 },
		{ 0xa, 0xf, 0xa },
		{ 0xe, 0xb, 0xa },      /* WB/WT with WT/WB: WT/WT */
		{ 0x7, 0xd, 0x5 },      /* NC/WB with WB/NC: NC/NC */
		{ 0xb, 0xd, 0x9 },      /* WT/WB with WB/NC: WT/NC */
		{ 0xd, 0x6, 0x5 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 m = merge(MEMATTR(cases[i][0]) | S2AP(3),
			      MEMATTR(cases[i][1]) | S2AP(3));

		if ((m & MEMATTR(0xf)) != MEMATTR(cases[i][2]))
			fail_msg("MemAttr %#x with %#x gave %#llx, not %#x",
				 cases[i][0], cases[i][1],
				 (unsigned long long)(m >> 2) & 0xf, cases[i][2]);
	}
}

static void test_merge_sh_and_other_bits(void **state)
{
	static const unsigned cases[][3] = {
		/* Outer (10) > Inner (11) > Non (00) */
		{ 0, 0, 0 }, { 3, 3, 3 }, { 2, 2, 2 },
		{ 3, 0, 3 }, { 0, 3, 3 },
		{ 2, 3, 2 }, { 3, 2, 2 }, { 2, 0, 2 }, { 0, 2, 2 },
	};
	u64 noise = BIT(0) | BIT(1) | AF | BIT(11) | BIT(51) | BIT(52) |
		    UINT64_C(0xf) << 55 | UINT64_C(0x1234567000);
	u64 m;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		m = merge(MEMATTR(NORMAL_WB) | SH(cases[i][0]),
			  MEMATTR(NORMAL_WB) | SH(cases[i][1]));
		assert_int_equal(m & SH(3), SH(cases[i][2]));
	}
	/*
	 * Only MemAttr, S2AP, SH and XN come out: no valid or table bits, AF,
	 * output address, DBM, contiguous or software bits from either side.
	 */
	m = merge(A_RW | noise, L0_RAM | noise);
	assert_int_equal(m, MEMATTR(NORMAL_WB) | S2AP(3) | SH(3));
	assert_int_equal(m & ~ATTR_MASK, 0);
}

/* --- Faults --- */

static void test_fault_maps_page(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	expect_fault_mapped(f, PG(1) + 0x234, RD);
	/* L1's walk: a level-3 page, three descriptors read. */
	assert_int_equal(f->walk.fault, S2_OK);
	assert_int_equal(f->walk.level, 3);
	assert_int_equal(f->walk.block_size, 0x1000);
	assert_int_equal(f->reads, 3);
	assert_int_equal(f->l1_ipa, 0x40010234);
	/* PA = l0(l1(ipa)), the offset kept; nothing else mapped. */
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	expect_shadow(f, PG(1) + 0xfff, ram_pa(0x40010fff), S_RW);
	expect_no_shadow(f, PG(0));
	expect_no_shadow(f, PG(2));
	assert_int_equal(f->s.nr_rmap, 1);
	assert_int_equal(f->s.rmap[0].l1_page, 0x40010000);
	assert_int_equal(f->s.rmap[0].l2_page, PG(1));
	assert_int_equal(f->s.rmap[0].l1_shift, 12);
	/* Root + level-2 + level-3 table. */
	assert_int_equal(f->sh_alloc.count, 3);

	/* Over l0 pages at an odd PA (RAM2): l0's offset, not RAM's. */
	expect_fault_mapped(f, PG(7) + 0x10, WR);
	assert_int_equal(f->l1_ipa, RAM2_IPA + 0x1010);
	expect_shadow(f, PG(7), RAM2_PA + 0x1000, S_RW);
	assert_int_equal(f->s.nr_rmap, 2);
	assert_int_equal(f->sh_alloc.count, 3);

	/* L1 Device (Non-shareable, XN) over l0 RAM: Device, XN, Inner... */
	expect_fault_mapped(f, PG(4), RD);
	expect_shadow(f, PG(4), ram_pa(0x40013000),
		      MEMATTR(DEV_nGnRE) | S2AP(3) | SH(3) | XN(2));
	/* ...L1 nGnRnE over RAM... */
	expect_fault_mapped(f, PG(14), WR);
	expect_shadow(f, PG(14), ram_pa(0x40018000),
		      MEMATTR(DEV_nGnRnE) | S2AP(3) | SH(3));
	/* ...L1 WT Outer Shareable over l0 Device XN: Device, Outer, XN. */
	expect_fault_mapped(f, PG(13) + 8, RD);
	assert_int_equal(f->l1_ipa, DEV_IPA + 8);
	expect_shadow(f, PG(13), DEV_PA,
		      MEMATTR(DEV_nGnRE) | S2AP(3) | SH(2) | XN(2));
}

static void test_fault_l1_perm(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	/* Write to L1's read-only page: L1's permission fault, no mapping. */
	assert_int_equal(fault(f, PG(2) + 0x40, WR), SHADOW_L1_PERM);
	assert_int_equal(f->walk.fault, S2_OK);
	assert_int_equal(f->walk.level, 3);
	assert_int_equal(f->l1_ipa, 0x40011040);
	expect_no_shadow(f, PG(2));
	assert_int_equal(f->s.nr_rmap, 0);
	assert_int_equal(f->sh_alloc.count, 1);
	/* Reading it maps it read-only; a write still goes to L1. */
	expect_fault_mapped(f, PG(2), RD);
	expect_shadow(f, PG(2), ram_pa(0x40011000),
		      MEMATTR(NORMAL_WB) | S2AP(1) | SH(3));
	assert_int_equal(fault(f, PG(2), WR), SHADOW_L1_PERM);
	/* Execution needs no write permission. */
	expect_fault_mapped(f, PG(2), X1);

	/* Execute-never: neither EL executes; reads map it, XN kept. */
	assert_int_equal(fault(f, PG(3), X1), SHADOW_L1_PERM);
	assert_int_equal(fault(f, PG(3), X0), SHADOW_L1_PERM);
	expect_no_shadow(f, PG(3));
	expect_fault_mapped(f, PG(3), RD);
	expect_shadow(f, PG(3), ram_pa(0x40012000), S_RW | XN(2));

	/* Write-only: reads go to L1, writes map. */
	assert_int_equal(fault(f, PG(9), RD), SHADOW_L1_PERM);
	expect_no_shadow(f, PG(9));
	expect_fault_mapped(f, PG(9), WR);
	expect_shadow(f, PG(9), ram_pa(0x40015000),
		      MEMATTR(NORMAL_WB) | S2AP(2) | SH(3));

	/* FEAT_XNX: XN 01 bars EL1 only, XN 11 EL0 only. */
	assert_int_equal(fault(f, PG(11), X1), SHADOW_L1_PERM);
	expect_no_shadow(f, PG(11));
	expect_fault_mapped(f, PG(11), X0);
	expect_shadow(f, PG(11), ram_pa(0x40016000), S_RW | XN(1));
	assert_int_equal(fault(f, PG(12), X0), SHADOW_L1_PERM);
	expect_no_shadow(f, PG(12));
	expect_fault_mapped(f, PG(12), X1);
	expect_shadow(f, PG(12), ram_pa(0x40017000), S_RW | XN(3));

	/* A read-only 2 MiB block. */
	assert_int_equal(fault(f, BLK_RO + 0x5000, WR), SHADOW_L1_PERM);
	assert_int_equal(f->walk.level, 2);
	assert_int_equal(f->l1_ipa, 0x40405000);
	expect_no_shadow(f, BLK_RO + 0x5000);

	/* The refused accesses left nothing in the reverse map. */
	assert_int_equal(f->s.nr_rmap, 5);
}

static void expect_l1_fault(struct fx *f, u64 l2_ipa, enum s2_fault kind,
			    unsigned level)
{
	enum shadow_result r = fault(f, l2_ipa, RD);

	if (r != SHADOW_L1_FAULT || f->walk.fault != kind ||
	    f->walk.level != level)
		fail_msg("L2 IPA %#llx: result %d, walk fault %d level %u; not "
			 "L1 fault %d at level %u",
			 (unsigned long long)l2_ipa, r, f->walk.fault,
			 f->walk.level, kind, level);
	expect_no_shadow(f, l2_ipa);
}

static void test_fault_l1_fault(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	expect_l1_fault(f, PG(0) + 0x10, S2_FAULT_TRANSLATION, 3);
	assert_int_equal(f->reads, 3);
	expect_l1_fault(f, 2 * SZ_2M + 0x5000, S2_FAULT_TRANSLATION, 2);
	assert_int_equal(f->reads, 2);
	expect_l1_fault(f, 3 * SZ_1G + 0x1000, S2_FAULT_TRANSLATION, 1);
	assert_int_equal(f->reads, 1);
	/* Beyond L1's 32-bit IPA: level 0, nothing read. */
	expect_l1_fault(f, UINT64_C(1) << 32, S2_FAULT_TRANSLATION, 0);
	assert_int_equal(f->reads, 0);
	expect_l1_fault(f, PG(8), S2_FAULT_ACCESS_FLAG, 3);
	expect_l1_fault(f, PG(15), S2_FAULT_TRANSLATION, 3);
	expect_l1_fault(f, PG(16), S2_FAULT_ADDRESS_SIZE, 3);
	/* A table L1 memory cannot supply. */
	expect_l1_fault(f, 5 * SZ_2M, S2_FAULT_EXTERNAL, 3);

	/* Writes and executes fault the same way, before permissions. */
	assert_int_equal(fault(f, PG(0), WR), SHADOW_L1_FAULT);
	assert_int_equal(fault(f, PG(0), X1), SHADOW_L1_FAULT);
	assert_int_equal(f->walk.level, 3);
	assert_int_equal(f->s.nr_rmap, 0);
	assert_int_equal(f->sh_alloc.count, 1);
}

static void test_fault_l0_fault(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	/* An L1 IPA in l0's hole: nestvisor's business, nothing mapped. */
	assert_int_equal(fault(f, PG(5) + 0x44, WR), SHADOW_L0_FAULT);
	assert_int_equal(f->l1_ipa, HOLE_IPA + 0x44);
	assert_int_equal(f->walk.fault, S2_OK);
	assert_int_equal(fault(f, PG(5), RD), SHADOW_L0_FAULT);
	expect_no_shadow(f, PG(5));

	/*
	 * l0 maps RO_IPA read-only: reads map it read-only, but a write that
	 * L1 allows is l0's to handle. Mapping it would only fault again.
	 */
	expect_fault_mapped(f, PG(10), RD);
	expect_shadow(f, PG(10), RO_PA, MEMATTR(NORMAL_WB) | S2AP(1) | SH(3));
	assert_int_equal(fault(f, PG(10) + 0x18, WR), SHADOW_L0_FAULT);
	assert_int_equal(f->l1_ipa, RO_IPA + 0x18);
	/* The read-only page stays. */
	expect_shadow(f, PG(10), RO_PA, MEMATTR(NORMAL_WB) | S2AP(1) | SH(3));
	/* l0's execute-never on its Device region, likewise. */
	assert_int_equal(fault(f, PG(13), X1), SHADOW_L0_FAULT);
	expect_no_shadow(f, PG(13));
	assert_int_equal(f->s.nr_rmap, 1);
}

static void test_fault_l1_blocks_as_pages(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	/* Two pages of the 2 MiB block at L2 2 MiB -> L1 0x40200000. */
	expect_fault_mapped(f, BLK_RW + 0x3456, RD);
	assert_int_equal(f->walk.level, 2);
	assert_int_equal(f->walk.block_size, SZ_2M);
	assert_int_equal(f->l1_ipa, 0x40203456);
	expect_fault_mapped(f, BLK_RW + 0x1ff010, WR);
	assert_int_equal(f->l1_ipa, 0x403ff010);
	expect_shadow(f, BLK_RW + 0x3456, ram_pa(0x40203456), S_RW);
	expect_shadow(f, BLK_RW + 0x1ff010, ram_pa(0x403ff010), S_RW);
	/* Pages, not a block: the rest of the block is not mapped. */
	expect_no_shadow(f, BLK_RW);
	expect_no_shadow(f, BLK_RW + 0x4000);
	expect_no_shadow(f, BLK_RW + 0x1fe000);
	assert_int_equal(rmap_of(f, BLK_RW + 0x3000)->l1_page, 0x40203000);
	assert_int_equal(rmap_of(f, BLK_RW + 0x3000)->l1_shift, 21);
	assert_int_equal(rmap_of(f, BLK_RW + 0x1ff000)->l1_page, 0x403ff000);

	/* The 1 GiB block at L2 1 GiB -> BIG_IPA, l0's 1 GiB block. */
	expect_fault_mapped(f, GIG + 0x12345678, X1);
	assert_int_equal(f->walk.level, 1);
	assert_int_equal(f->l1_ipa, BIG_IPA + 0x12345678);
	expect_shadow(f, GIG + 0x12345678, BIG_PA + 0x12345678, S_RW);
	expect_no_shadow(f, GIG + 0x12344000);
	assert_int_equal(rmap_of(f, GIG + 0x12345000)->l1_shift, 30);
	assert_int_equal(f->s.nr_rmap, 3);
}

static void test_fault_again_replaces(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);
	unsigned tables;

	expect_fault_mapped(f, PG(1), RD);
	tables = f->sh_alloc.count;
	/* The same page again (another vCPU's fault, a write after a read). */
	expect_fault_mapped(f, PG(1) + 0x800, RD);
	expect_fault_mapped(f, PG(1), WR);
	expect_fault_mapped(f, PG(1), X1);
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	assert_int_equal(f->s.nr_rmap, 1);
	assert_int_equal(rmap_l2_count(f, PG(1)), 1);
	assert_int_equal(f->sh_alloc.count, tables);

	/* L1 points the page elsewhere, read-only: the new leaf replaces it. */
	wr(f, E(T(2), 1), UINT64_C(0x40020000) | MEMATTR(NORMAL_WB) | S2AP(1) |
				  SH(3) | AF | D_PAGE);
	expect_fault_mapped(f, PG(1), RD);
	expect_shadow(f, PG(1), ram_pa(0x40020000),
		      MEMATTR(NORMAL_WB) | S2AP(1) | SH(3));
	assert_int_equal(f->s.nr_rmap, 1);
	assert_int_equal(rmap_of(f, PG(1))->l1_page, 0x40020000);
	/* The reverse map follows: the old L1 page no longer names it. */
	shadow_s2_unmap_l1(&f->s, 0x40010000, 0x1000);
	expect_shadow(f, PG(1), ram_pa(0x40020000),
		      MEMATTR(NORMAL_WB) | S2AP(1) | SH(3));
	shadow_s2_unmap_l1(&f->s, 0x40020000, 0x1000);
	expect_no_shadow(f, PG(1));
	assert_int_equal(f->s.nr_rmap, 0);
}

static void test_fault_nomem(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	/* Level-2 and level-3 tables needed; only one available. */
	f->sh_alloc.fail_after = 1;
	assert_int_equal(fault(f, PG(1), RD), SHADOW_NOMEM);
	expect_no_shadow(f, PG(1));
	assert_int_equal(f->s.nr_rmap, 0);
	f->sh_alloc.fail_after = -1;
	expect_fault_mapped(f, PG(1), RD);
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	assert_int_equal(f->s.nr_rmap, 1);
}

/* --- Invalidation --- */

/* Faults in: pages 1, 6 (the same L1 page as 1), 7, 3; four pages at 8 MiB;
 * two pages of the RW 2 MiB block. */
static void map_some(struct fx *f)
{
	static const u64 l2[] = {
		PG(1), PG(6), PG(7), PG(3),
		PAGES8M, PAGES8M + 0x1000, PAGES8M + 0x2000, PAGES8M + 0x3000,
		BLK_RW + 0x10000, BLK_RW + 0x11000,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(l2); i++)
		expect_fault_mapped(f, l2[i], RD);
	assert_int_equal(f->s.nr_rmap, ARRAY_SIZE(l2));
}

static void test_unmap_l1(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);
	unsigned tables;

	map_some(f);
	tables = f->sh_alloc.count;
	f->reads = 0;
	/* L1 page 0x40010000 is mapped at L2 page 1 and page 6: both go. */
	shadow_s2_unmap_l1(&f->s, 0x40010000, 0x1000);
	expect_no_shadow(f, PG(1));
	expect_no_shadow(f, PG(6));
	expect_shadow(f, PG(7), RAM2_PA + 0x1000, S_RW);
	expect_shadow(f, PG(3), ram_pa(0x40012000), S_RW | XN(2));
	assert_int_equal(f->s.nr_rmap, 8);

	/* Unaligned: [0x40800800, 0x40801800) touches two pages. */
	shadow_s2_unmap_l1(&f->s, 0x40800800, 0x1000);
	expect_no_shadow(f, PAGES8M);
	expect_no_shadow(f, PAGES8M + 0x1000);
	expect_shadow(f, PAGES8M + 0x2000, ram_pa(0x40802000), S_RW);
	expect_shadow(f, PAGES8M + 0x3000, ram_pa(0x40803000), S_RW);
	assert_int_equal(f->s.nr_rmap, 6);

	/* Size 0 unmaps nothing, even at an unaligned address. */
	shadow_s2_unmap_l1(&f->s, 0x40802010, 0);
	expect_shadow(f, PAGES8M + 0x2000, ram_pa(0x40802000), S_RW);
	/* Ranges next to mapped pages, and L2 IPAs (not L1 IPAs), do nothing. */
	shadow_s2_unmap_l1(&f->s, 0x40804000, 0x1000);
	shadow_s2_unmap_l1(&f->s, 0x4020f000, 0x1000);
	shadow_s2_unmap_l1(&f->s, 0x40212000, 0x1000);
	shadow_s2_unmap_l1(&f->s, PG(0), PAGES8M + SZ_2M);
	assert_int_equal(f->s.nr_rmap, 6);

	/* One page of a 2 MiB L1 block: that page only (l0 changed under it). */
	shadow_s2_unmap_l1(&f->s, 0x40211000, 0x1000);
	expect_no_shadow(f, BLK_RW + 0x11000);
	expect_shadow(f, BLK_RW + 0x10000, ram_pa(0x40210000), S_RW);

	/* To the top of the address space, size wrapping past 2^64. */
	shadow_s2_unmap_l1(&f->s, 0x40803000, ~UINT64_C(0));
	expect_no_shadow(f, PAGES8M + 0x3000);
	expect_no_shadow(f, PG(7)); /* RAM2 is above */
	expect_shadow(f, PAGES8M + 0x2000, ram_pa(0x40802000), S_RW);
	expect_shadow(f, PG(3), ram_pa(0x40012000), S_RW | XN(2));
	expect_shadow(f, BLK_RW + 0x10000, ram_pa(0x40210000), S_RW);
	assert_int_equal(f->s.nr_rmap, 3);
	/* No L1 memory read, no table allocated. */
	assert_int_equal(f->reads, 0);
	assert_int_equal(f->sh_alloc.count, tables);
}

static void test_unmap_l2(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	map_some(f);
	/* L2 [0x3000, 0x8000): pages 3, 6, 7; 1 stays although page 6 maps
	 * the same L1 page. */
	shadow_s2_unmap_l2(&f->s, PG(3), 0x5000);
	expect_no_shadow(f, PG(3));
	expect_no_shadow(f, PG(6));
	expect_no_shadow(f, PG(7));
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	assert_int_equal(f->s.nr_rmap, 7);

	/* Unaligned: [8M + 0x1800, 8M + 0x2800) touches two pages. */
	shadow_s2_unmap_l2(&f->s, PAGES8M + 0x1800, 0x1000);
	expect_shadow(f, PAGES8M, ram_pa(0x40800000), S_RW);
	expect_no_shadow(f, PAGES8M + 0x1000);
	expect_no_shadow(f, PAGES8M + 0x2000);
	expect_shadow(f, PAGES8M + 0x3000, ram_pa(0x40803000), S_RW);
	assert_int_equal(f->s.nr_rmap, 5);

	/* Size 0, beyond the 32-bit L2 IPA space, unmapped neighbours. */
	shadow_s2_unmap_l2(&f->s, PG(1) + 0x10, 0);
	shadow_s2_unmap_l2(&f->s, UINT64_C(1) << 32, SZ_1G);
	shadow_s2_unmap_l2(&f->s, (UINT64_C(1) << 32) | PG(1), 0x1000);
	shadow_s2_unmap_l2(&f->s, PG(2), 0x1000);
	shadow_s2_unmap_l2(&f->s, PAGES8M + 0x4000, SZ_1G);
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	assert_int_equal(f->s.nr_rmap, 5);

	/* From page 1 to the top, size wrapping past 2^64. */
	shadow_s2_unmap_l2(&f->s, PG(1) + 0x800, ~UINT64_C(0));
	for (unsigned i = 0; i < 16; i++)
		expect_no_shadow(f, PG(i));
	expect_no_shadow(f, PAGES8M);
	expect_no_shadow(f, BLK_RW + 0x10000);
	assert_int_equal(f->s.nr_rmap, 0);
}

static void test_unmap_l2_whole_l1_block(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	/*
	 * A TLBI IPAS2E1 for one address removes the whole TLB entry that
	 * translates it, here L1's 2 MiB block: every shadow page made from
	 * that block must go, not only the page named.
	 */
	expect_fault_mapped(f, BLK_RW, RD);
	expect_fault_mapped(f, BLK_RW + 0x5000, RD);
	expect_fault_mapped(f, BLK_RW + 0x1ff000, RD);
	expect_fault_mapped(f, PG(1), RD);
	expect_fault_mapped(f, BLK_RO, RD);
	expect_fault_mapped(f, GIG, RD);
	expect_fault_mapped(f, GIG + 0x30000000, RD);
	shadow_s2_unmap_l2(&f->s, BLK_RW + 0x5000, 0x1000);
	expect_no_shadow(f, BLK_RW);
	expect_no_shadow(f, BLK_RW + 0x5000);
	expect_no_shadow(f, BLK_RW + 0x1ff000);
	/* The page before and the block after stay. */
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	expect_shadow(f, BLK_RO, ram_pa(0x40400000),
		      MEMATTR(NORMAL_WB) | S2AP(1) | SH(3));
	assert_int_equal(f->s.nr_rmap, 4);
	/* One page of L1's 1 GiB block takes its other page with it. */
	shadow_s2_unmap_l2(&f->s, GIG + 0x30000000, 0x1000);
	expect_no_shadow(f, GIG);
	expect_no_shadow(f, GIG + 0x30000000);
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	assert_int_equal(f->s.nr_rmap, 2);
}

static void test_unmap_all(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);
	unsigned tables;

	map_some(f);
	tables = f->sh_alloc.count;
	shadow_s2_unmap_all(&f->s);
	assert_int_equal(f->s.nr_rmap, 0);
	assert_false(f->s.rmap_overflow);
	for (unsigned i = 0; i < 16; i++) {
		expect_no_shadow(f, PG(i));
		expect_no_shadow(f, PAGES8M + PG(i));
	}
	expect_no_shadow(f, BLK_RW + 0x10000);
	expect_no_shadow(f, BLK_RW + 0x11000);
	/* Tables stay; faulting again fills them without allocating. */
	expect_fault_mapped(f, PG(7), RD);
	expect_shadow(f, PG(7), RAM2_PA + 0x1000, S_RW);
	assert_int_equal(f->s.nr_rmap, 1);
	assert_int_equal(f->sh_alloc.count, tables);
	/* Empty: nothing to do. */
	shadow_s2_unmap_all(&f->s);
	shadow_s2_unmap_all(&f->s);
	assert_int_equal(f->s.nr_rmap, 0);
	expect_no_shadow(f, PG(7));
}

static void test_unmap_cost_follows_rmap(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);
	unsigned tables, reads_before;
	u64 planted = PG(0x20);

	expect_fault_mapped(f, PG(1), RD);
	expect_fault_mapped(f, BLK_RW + 0x3000, RD);
	expect_fault_mapped(f, PAGES8M, RD);
	/*
	 * A page the reverse map does not know of, put into the shadow's
	 * tables behind its back: an invalidation that walked the range
	 * rather than the reverse map would remove it.
	 */
	assert_int_equal(pgtable_map(&f->s.pt, planted, 0x1000, 0x1000, S_RW),
			 PGT_OK);
	tables = f->sh_alloc.count;
	reads_before = f->reads;

	/* All 4 GiB of L2 IPA space: the three pages and nothing else. */
	shadow_s2_unmap_l2(&f->s, 0, UINT64_C(1) << 32);
	assert_int_equal(f->s.nr_rmap, 0);
	expect_no_shadow(f, PG(1));
	expect_no_shadow(f, BLK_RW + 0x3000);
	expect_no_shadow(f, PAGES8M);
	expect_shadow(f, planted, 0x1000, S_RW);
	/* Neither L1 memory nor the allocator was touched. */
	assert_int_equal(f->reads, reads_before);
	assert_int_equal(f->sh_alloc.count, tables);

	/* Likewise the whole L1 IPA space, and unmap_all. */
	expect_fault_mapped(f, PG(1), RD);
	shadow_s2_unmap_l1(&f->s, 0, UINT64_C(1) << 48);
	expect_no_shadow(f, PG(1));
	expect_fault_mapped(f, PG(1), RD);
	shadow_s2_unmap_all(&f->s);
	expect_no_shadow(f, PG(1));
	expect_shadow(f, planted, 0x1000, S_RW);
	assert_int_equal(f->s.nr_rmap, 0);
	assert_int_equal(f->sh_alloc.count, tables);
}

/* --- Reverse-map overflow --- */

#define C_PAGES (SHADOW_RMAP_MAX + 4) /* region C pages faulted in */

/* L2 page i of region C (9 x 2 MiB blocks -> BIG_IPA + i pages). */
static u64 c_page(unsigned i)
{
	return REGION_C + (u64)i * 0x1000;
}

/* Pages 1 and 7, then C_PAGES of region C: more than the map holds. */
static void overflow(struct fx *f)
{
	expect_fault_mapped(f, PG(1), RD);
	expect_fault_mapped(f, PG(7), RD);
	for (unsigned i = 0; i < C_PAGES; i++)
		expect_fault_mapped(f, c_page(i), i & 1 ? WR : RD);
	assert_int_equal(f->s.nr_rmap, SHADOW_RMAP_MAX);
	assert_true(f->s.rmap_overflow);
	/* Every page is mapped, those the reverse map missed too. */
	for (unsigned i = 0; i < C_PAGES; i++)
		expect_shadow(f, c_page(i), BIG_PA + (u64)i * 0x1000, S_RW);
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
}

static void test_rmap_overflow_unmap_l1(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	overflow(f);
	/*
	 * Which L2 pages map an L1 page is no longer all known: dropping one
	 * L1 page empties the shadow, pages outside the reverse map included.
	 */
	shadow_s2_unmap_l1(&f->s, 0x40010000, 0x1000);
	assert_int_equal(f->s.nr_rmap, 0);
	assert_false(f->s.rmap_overflow);
	for (unsigned i = 0; i < C_PAGES; i++)
		expect_no_shadow(f, c_page(i));
	expect_no_shadow(f, PG(1));
	expect_no_shadow(f, PG(7));
	/* It works normally afterwards. */
	expect_fault_mapped(f, c_page(C_PAGES - 1), RD);
	assert_int_equal(f->s.nr_rmap, 1);
	shadow_s2_unmap_l1(&f->s, BIG_IPA + (u64)(C_PAGES - 1) * 0x1000, 0x1000);
	expect_no_shadow(f, c_page(C_PAGES - 1));
	assert_int_equal(f->s.nr_rmap, 0);
}

static void test_rmap_overflow_unmap_l2_and_all(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);
	/* The last region C pages, past the reverse map, sit in block 8. */
	u64 block8 = REGION_C + 8 * SZ_2M;

	assert_true(c_page(C_PAGES - 1) >= block8);
	assert_true(c_page(SHADOW_RMAP_MAX - 2) < block8);
	overflow(f);
	/*
	 * L2 page 1 goes; region C, another GiB, stays whole. (What else in
	 * the first GiB goes is the implementation's choice: it cannot know
	 * every page's L1 leaf any more.)
	 */
	shadow_s2_unmap_l2(&f->s, PG(1), 0x1000);
	expect_no_shadow(f, PG(1));
	for (unsigned i = 0; i < C_PAGES; i++)
		expect_shadow(f, c_page(i), BIG_PA + (u64)i * 0x1000, S_RW);
	assert_true(f->s.rmap_overflow);
	/*
	 * One page of L1's last 2 MiB block: every page of that block goes,
	 * though the reverse map knows none of them.
	 */
	shadow_s2_unmap_l2(&f->s, block8, 0x1000);
	for (unsigned i = 0; i < C_PAGES; i++)
		if (c_page(i) >= block8)
			expect_no_shadow(f, c_page(i));
	assert_true(f->s.rmap_overflow);

	shadow_s2_unmap_all(&f->s);
	assert_int_equal(f->s.nr_rmap, 0);
	assert_false(f->s.rmap_overflow);
	for (unsigned i = 0; i < C_PAGES; i++)
		expect_no_shadow(f, c_page(i));
	expect_no_shadow(f, PG(7));
}

/* --- Other L1 configurations --- */

static void test_two_level_l1(void **state)
{
	struct fx *f = *state;
	char err[128] = "";

	/* T0SZ 34, SL0 0: 30-bit L2 IPA from a level-2 root, T(8). */
	build_l0(f);
	wr(f, E(T(8), 0), T(9) | D_TABLE);
	wr(f, E(T(8), 1), UINT64_C(0x40600000) | A_RW | D_BLOCK);
	wr(f, E(T(9), 2), UINT64_C(0x40031000) | A_RW | D_PAGE);
	assert_true(shadow_s2_init(&f->s, vtcr(0, 0, 34), T(8), &f->env, err,
				   sizeof(err)));
	assert_int_equal(f->s.pt.start_level, 2);

	expect_fault_mapped(f, 0x2abc, RD);
	assert_int_equal(f->reads, 2);
	assert_int_equal(f->l1_ipa, 0x40031abc);
	expect_shadow(f, 0x2abc, ram_pa(0x40031abc), S_RW);
	expect_fault_mapped(f, SZ_2M + 0x7000, WR);
	assert_int_equal(f->walk.level, 2);
	expect_shadow(f, SZ_2M + 0x7000, ram_pa(0x40607000), S_RW);
	/* Root + a level-3 table for each 2 MiB: pages even for a block. */
	assert_int_equal(f->sh_alloc.count, 3);
	assert_int_equal(fault(f, 0x1000, RD), SHADOW_L1_FAULT);
	assert_int_equal(f->walk.level, 3);
	assert_int_equal(fault(f, UINT64_C(1) << 30, RD), SHADOW_L1_FAULT);
	assert_int_equal(f->walk.level, 0);
}

static void test_64k_granule_l1(void **state)
{
	struct fx *f = *state;
	char err[128] = "";
	/* 64 KiB tables, 64 KiB aligned in L1 memory. */
	u64 root = L1MEM_BASE + 0x10000, l3 = L1MEM_BASE + 0x20000;

	/*
	 * TG0 64 KiB, T0SZ 34, SL0 1: 30-bit L2 IPA, a 2-entry level-2
	 * root (IPA bit 29), level 3 resolving [28:16].
	 */
	build_l0(f);
	wr(f, root, l3 | D_TABLE);
	wr(f, l3 + 1 * 8, UINT64_C(0x40030000) | A_RW | D_PAGE);
	wr(f, l3 + 2 * 8, UINT64_C(0x40050000) | A_RW | D_PAGE);
	assert_true(shadow_s2_init(&f->s, vtcr(1, 1, 34), root, &f->env, err,
				   sizeof(err)));

	/* 4 KiB shadow pages inside L1's 64 KiB page, at their offsets. */
	expect_fault_mapped(f, 0x15678, RD);
	assert_int_equal(f->walk.block_size, SZ_64K);
	assert_int_equal(f->l1_ipa, 0x40035678);
	expect_shadow(f, 0x15678, ram_pa(0x40035678), S_RW);
	expect_fault_mapped(f, 0x1f000, RD);
	expect_shadow(f, 0x1f000, ram_pa(0x4003f000), S_RW);
	expect_no_shadow(f, 0x10000);
	expect_fault_mapped(f, 0x20000, RD);
	assert_int_equal(rmap_of(f, 0x15000)->l1_shift, 16);
	/* One 4 KiB TLBI address drops the whole 64 KiB L1 page's shadow. */
	shadow_s2_unmap_l2(&f->s, 0x1a000, 0x1000);
	expect_no_shadow(f, 0x15000);
	expect_no_shadow(f, 0x1f000);
	expect_shadow(f, 0x20000, ram_pa(0x40050000), S_RW);
	assert_int_equal(f->s.nr_rmap, 1);
}

/* --- TLB maintenance: break-before-make, invalidation by page and VMID --- */

#define SH_VMID 0x2a

/* The shadow as if loaded once: VMID SH_VMID (generation 1). */
static void give_vmid(struct fx *f)
{
	f->s.vmid.id = UINT64_C(1) << VMID_GEN_SHIFT | SH_VMID;
}

static u64 sh_vttbr(const struct fx *f)
{
	return (u64)SH_VMID << 48 | (u64)(uintptr_t)f->s.pt.root;
}

static void test_bbm_replace_invalidates_between(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	/* Never loaded: no VMID, so no TLB entry can exist; nothing issued. */
	expect_fault_mapped(f, PG(1), RD);
	expect_fault_mapped(f, PG(1), WR);
	assert_int_equal(tlb_log.ipas_calls + tlb_log.vmid_calls, 0);

	give_vmid(f);
	/* A first mapping (invalid before) needs no TLBI. */
	expect_fault_mapped(f, PG(7), RD);
	assert_int_equal(tlb_log.ipas_calls, 0);
	/*
	 * The page again: unmapped, invalidated by the shadow's VMID while
	 * unmapped (rec_ipas checks), then mapped anew.
	 */
	expect_fault_mapped(f, PG(1), RD);
	assert_int_equal(tlb_log.ipas_calls, 1);
	assert_int_equal(tlb_log.npages, 1);
	assert_int_equal(tlb_log.page[0], PG(1));
	assert_int_equal(tlb_log.vttbr, sh_vttbr(f));
	assert_false(tlb_log.mapped_at_tlbi);
	expect_shadow(f, PG(1), ram_pa(0x40010000), S_RW);
	/* An L1 fault or an L0 fault changes nothing: no TLBI. */
	assert_int_equal(fault(f, PG(0), RD), SHADOW_L1_FAULT);
	assert_int_equal(fault(f, PG(5), RD), SHADOW_L0_FAULT);
	assert_int_equal(tlb_log.ipas_calls, 1);
	assert_int_equal(tlb_log.vmid_calls, 0);
}

static void test_unmaps_invalidate(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	give_vmid(f);
	map_some(f);
	memset(&tlb_log, 0, sizeof(tlb_log));
	/* By L2 IPA: the three pages removed, by IPA, after removal. */
	shadow_s2_unmap_l2(&f->s, PG(3), 0x5000);
	assert_int_equal(tlb_log.ipas_calls, 1);
	assert_int_equal(tlb_log.npages, 3);
	assert_false(tlb_log.mapped_at_tlbi);
	/* Nothing mapped there any more: nothing issued. */
	shadow_s2_unmap_l2(&f->s, PG(3), 0x5000);
	shadow_s2_unmap_l1(&f->s, 0x7f000000, 0x1000);
	assert_int_equal(tlb_log.ipas_calls, 1);
	/* By L1 IPA. */
	shadow_s2_unmap_l1(&f->s, 0x40802000, 0x2000);
	assert_int_equal(tlb_log.ipas_calls, 2);
	assert_int_equal(tlb_log.npages, 5);
	/* Everything: one TLBI VMALLS12E1IS for the VMID. */
	shadow_s2_unmap_all(&f->s);
	assert_int_equal(tlb_log.vmid_calls, 1);
	assert_int_equal(tlb_log.vttbr, sh_vttbr(f));
	shadow_s2_unmap_all(&f->s); /* empty: nothing */
	assert_int_equal(tlb_log.vmid_calls, 1);
}

/* Past SHADOW_TLBI_PAGES_MAX pages, one TLBI by VMID, not one per page. */
static void test_many_pages_invalidate_by_vmid(void **state)
{
	struct fx *f = start(state, VTCR_4K_L1);

	give_vmid(f);
	for (unsigned i = 0; i < 40; i++)
		expect_fault_mapped(f, c_page_of(i), RD);
	memset(&tlb_log, 0, sizeof(tlb_log));
	/* 40 pages: by page, in batches of at most 16. */
	shadow_s2_unmap_l2(&f->s, c_page_of(0), 40 * 0x1000);
	assert_int_equal(tlb_log.npages, 40);
	assert_int_equal(tlb_log.ipas_calls, 3);
	assert_int_equal(tlb_log.vmid_calls, 0);
	for (unsigned i = 0; i < SHADOW_TLBI_PAGES_MAX + 1; i++)
		expect_fault_mapped(f, c_page_of(i), RD);
	memset(&tlb_log, 0, sizeof(tlb_log));
	/* SHADOW_TLBI_PAGES_MAX + 1: the first 64 by page, then the VMID. */
	shadow_s2_unmap_l1(&f->s, BIG_IPA, SZ_1G);
	assert_int_equal(tlb_log.vmid_calls, 1);
	assert_true(tlb_log.npages <= SHADOW_TLBI_PAGES_MAX);
	for (unsigned i = 0; i < SHADOW_TLBI_PAGES_MAX + 1; i++)
		expect_no_shadow(f, c_page_of(i));
}

int main(void)
{
#define U(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		U(test_init),
		U(test_init_bad_vtcr),
		cmocka_unit_test(test_merge_ap),
		cmocka_unit_test(test_merge_xn),
		cmocka_unit_test(test_merge_memattr),
		cmocka_unit_test(test_merge_sh_and_other_bits),
		U(test_fault_maps_page),
		U(test_fault_l1_perm),
		U(test_fault_l1_fault),
		U(test_fault_l0_fault),
		U(test_fault_l1_blocks_as_pages),
		U(test_fault_again_replaces),
		U(test_fault_nomem),
		U(test_unmap_l1),
		U(test_unmap_l2),
		U(test_unmap_l2_whole_l1_block),
		U(test_unmap_all),
		U(test_unmap_cost_follows_rmap),
		U(test_rmap_overflow_unmap_l1),
		U(test_rmap_overflow_unmap_l2_and_all),
		U(test_two_level_l1),
		U(test_64k_granule_l1),
		U(test_bbm_replace_invalidates_between),
		U(test_unmaps_invalidate),
		U(test_many_pages_invalidate_by_vmid),
	};
#undef U

	return cmocka_run_group_tests_name("shadow_s2", tests, NULL, NULL);
}
