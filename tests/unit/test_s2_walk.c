/*
 * Host tests of the software walk of a guest hypervisor's stage-2 tables
 * (src/mem/s2_walk.c). The tables live in a host buffer standing for the
 * guest's memory at [GMEM_BASE, GMEM_BASE + GMEM_SIZE); reads outside it
 * fail, as an external abort on a descriptor fetch would. Descriptors are
 * written by hand from the Arm ARM VMSAv8-64 stage-2 formats and table
 * indices are spelled out, so the tests do not share the walker's
 * arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/bits.h>
#include <nv/s2_walk.h>
#include "helpers.h"

/* --- VTCR_EL2 (T0SZ [5:0], SL0 [7:6], TG0 [15:14], PS [18:16]) --- */

#define TG0_4K 0u
#define TG0_64K 1u
#define TG0_16K 2u

/*
 * Also sets fields the walk ignores (RES1 bit 31, VS, SH0, ORGN0, IRGN0,
 * HA, HD) to show they do not disturb the decode.
 */
static u64 vtcr(unsigned tg0, unsigned sl0, unsigned t0sz, unsigned ps)
{
	return BIT(31) | BIT(22) | BIT(21) | BIT(19) | (u64)ps << 16 |
	       (u64)tg0 << 14 | UINT64_C(3) << 12 | UINT64_C(1) << 10 |
	       UINT64_C(1) << 8 | (u64)sl0 << 6 | t0sz;
}

/* --- Stage-2 descriptors (bits [1:0]: 0b11 table or page, 0b01 block) --- */

#define D_TABLE UINT64_C(3)
#define D_PAGE UINT64_C(3)
#define D_BLOCK UINT64_C(1)
#define MEMATTR(x) ((u64)(x) << 2) /* MemAttr [5:2] */
#define S2AP(x) ((u64)(x) << 6)    /* S2AP [7:6] */
#define SH(x) ((u64)(x) << 8)      /* SH [9:8] */
#define AF BIT(10)
#define CONTIG BIT(52)
#define XN(x) ((u64)(x) << 53)     /* XN [54:53] */
#define SW_BIT BIT(55)             /* reserved for software use */

/* Normal write-back, read/write, inner shareable, accessed. */
#define A_RW (MEMATTR(0xf) | S2AP(3) | SH(3) | AF)
/* Device-nGnRE, read-only, execute-never, with a software bit. */
#define A_DEV (MEMATTR(0x1) | S2AP(1) | XN(2) | AF | SW_BIT)

/* Fault kinds, short. */
#define F_TRANS S2_FAULT_TRANSLATION
#define F_ASIZE S2_FAULT_ADDRESS_SIZE
#define F_AF S2_FAULT_ACCESS_FLAG
#define F_EXT S2_FAULT_EXTERNAL

/* --- Guest memory --- */

#define GMEM_BASE UINT64_C(0x40000000)
#define GMEM_SIZE UINT64_C(0x800000)
#define G(off) (GMEM_BASE + (u64)(off))
#define MAX_READS 8

struct gmem {
	unsigned char *buf;
	u64 reads[MAX_READS]; /* descriptor addresses, in order */
	unsigned nreads;
};

static bool gmem_read(void *ctx, u64 pa, u64 *val)
{
	struct gmem *g = ctx;

	/* Descriptors are 8 bytes, naturally aligned. */
	assert_int_equal(pa & 7, 0);
	assert_true(g->nreads < MAX_READS);
	g->reads[g->nreads++] = pa;
	if (pa < GMEM_BASE || pa - GMEM_BASE > GMEM_SIZE - 8)
		return false;
	memcpy(val, g->buf + (pa - GMEM_BASE), sizeof(*val));
	return true;
}

static void wr(struct gmem *g, u64 pa, u64 desc)
{
	assert_true(pa >= GMEM_BASE && pa - GMEM_BASE <= GMEM_SIZE - 8);
	assert_int_equal(pa & 7, 0);
	memcpy(g->buf + (pa - GMEM_BASE), &desc, sizeof(desc));
}

static u64 rdg(const struct gmem *g, u64 pa)
{
	u64 v;

	memcpy(&v, g->buf + (pa - GMEM_BASE), sizeof(v));
	return v;
}

static int setup(void **state)
{
	struct gmem *g = calloc(1, sizeof(*g));

	if (!g)
		return -1;
	g->buf = calloc(1, GMEM_SIZE);
	if (!g->buf) {
		free(g);
		return -1;
	}
	*state = g;
	return 0;
}

static int teardown(void **state)
{
	struct gmem *g = *state;

	free(g->buf);
	free(g);
	return 0;
}

/* --- Walk helpers --- */

static struct s2_walk_cfg cfg_of(u64 vtcr_val, u64 vttbr)
{
	struct s2_walk_cfg c;
	char err[128] = "";

	memset(&c, 0, sizeof(c));
	if (!s2_walk_cfg(vtcr_val, vttbr, 48, &c, err, sizeof(err)))
		fail_msg("s2_walk_cfg(%#llx): %s", (unsigned long long)vtcr_val,
			 err);
	return c;
}

static struct s2_walk_result walk(struct gmem *g, const struct s2_walk_cfg *c,
				  u64 ipa)
{
	struct s2_walk_result r;

	memset(&r, 0xa5, sizeof(r));
	g->nreads = 0;
	s2_walk(c, ipa, gmem_read, g, &r);
	return r;
}

static void expect_ok(struct gmem *g, const struct s2_walk_cfg *c, u64 ipa,
		      unsigned level, u64 oa, u64 size, u64 desc)
{
	struct s2_walk_result r = walk(g, c, ipa);

	if (r.fault != S2_OK || r.level != level)
		fail_msg("IPA %#llx: fault %d at level %u, not a level %u leaf",
			 (unsigned long long)ipa, r.fault, r.level, level);
	assert_int_equal(r.oa, oa);
	assert_int_equal(r.block_size, size);
	assert_int_equal(r.desc, desc);
	/* One read per level from the start level to the leaf. */
	assert_int_equal(g->nreads, level - c->start_level + 1);
}

static void expect_fault(struct gmem *g, const struct s2_walk_cfg *c, u64 ipa,
			 enum s2_fault f, unsigned level)
{
	struct s2_walk_result r = walk(g, c, ipa);

	if (r.fault != f || r.level != level)
		fail_msg("IPA %#llx: fault %d at level %u, not %d at level %u",
			 (unsigned long long)ipa, r.fault, r.level, f, level);
}

/* The descriptor addresses the last walk read, in order. */
static void expect_reads(const struct gmem *g, unsigned n, const u64 *addrs)
{
	assert_int_equal(g->nreads, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(g->reads[i], addrs[i]);
}

/*
 * For a walk that reaches a leaf through the descriptors at addrs[0..n)
 * (start level first): each one made invalid in turn (zero, bit 0 clear
 * with the rest kept, or 0b10) faults at its own level, and the walk
 * reads nothing beyond it.
 */
static void expect_invalid_each_level(struct gmem *g,
				      const struct s2_walk_cfg *c, u64 ipa,
				      const u64 *addrs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		u64 orig = rdg(g, addrs[i]);
		unsigned level = c->start_level + i;
		u64 bad[3] = { 0, orig & ~UINT64_C(1),
			       (orig & ~UINT64_C(3)) | 2 };

		for (unsigned k = 0; k < 3; k++) {
			wr(g, addrs[i], bad[k]);
			expect_fault(g, c, ipa, F_TRANS, level);
			expect_reads(g, i + 1, addrs);
		}
		wr(g, addrs[i], orig);
	}
}

/* --- s2_walk_cfg --- */

struct cfg_case {
	unsigned tg0, sl0, t0sz;
	unsigned level, entries;
};

static void check_cfg_cases(const struct cfg_case *cases, size_t n,
			    unsigned shift)
{
	for (size_t i = 0; i < n; i++) {
		const struct cfg_case *k = &cases[i];
		struct s2_walk_cfg c;
		char err[128] = "";

		memset(&c, 0xff, sizeof(c));
		if (!s2_walk_cfg(vtcr(k->tg0, k->sl0, k->t0sz, 5), 0, 48, &c, err,
				 sizeof(err)))
			fail_msg("TG0 %u SL0 %u T0SZ %u: %s", k->tg0, k->sl0,
				 k->t0sz, err);
		assert_int_equal(c.granule_shift, shift);
		assert_int_equal(c.ia_bits, 64 - k->t0sz);
		assert_int_equal(c.oa_bits, 48);
		assert_int_equal(c.start_level, k->level);
		assert_int_equal(c.root_entries, k->entries);
		assert_int_equal(c.root, 0);
	}
}

struct bad_case {
	unsigned tg0, sl0, t0sz, ps;
	const char *msg;
};

static void check_bad_cases(const struct bad_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct bad_case *k = &cases[i];
		struct s2_walk_cfg c;
		char err[128] = "";

		if (s2_walk_cfg(vtcr(k->tg0, k->sl0, k->t0sz, k->ps), 0, 48, &c,
				err, sizeof(err)))
			fail_msg("TG0 %u SL0 %u T0SZ %u PS %u accepted", k->tg0,
				 k->sl0, k->t0sz, k->ps);
		assert_contains(err, k->msg);
	}
}

#define START "does not suit"

static void test_cfg_4k(void **state)
{
	/*
	 * 4 KiB: L0 resolves IPA[47:39], L1 [38:30], L2 [29:21], 9 bits
	 * each; a start level takes 1..9 bits, or up to 13 with 16
	 * concatenated tables.
	 */
	static const struct cfg_case ok[] = {
		{ TG0_4K, 2, 16, 0, 512 },   /* 48 bits */
		{ TG0_4K, 2, 24, 0, 2 },     /* 40 bits: bit 39 only */
		{ TG0_4K, 1, 25, 1, 512 },   /* 39 bits: one table */
		{ TG0_4K, 1, 24, 1, 1024 },  /* 40 bits: 2 tables */
		{ TG0_4K, 1, 23, 1, 2048 },  /* 41 bits: 4 tables */
		{ TG0_4K, 1, 22, 1, 4096 },  /* 42 bits: 8 tables */
		{ TG0_4K, 1, 21, 1, 8192 },  /* 43 bits: 16 tables */
		{ TG0_4K, 1, 33, 1, 2 },     /* 31 bits */
		{ TG0_4K, 0, 34, 2, 512 },   /* 30 bits: one table */
		{ TG0_4K, 0, 32, 2, 2048 },  /* 32 bits: 4 tables */
		{ TG0_4K, 0, 30, 2, 8192 },  /* 34 bits: 16 tables */
		{ TG0_4K, 0, 39, 2, 16 },    /* 25 bits */
	};
	static const struct bad_case bad[] = {
		{ TG0_4K, 3, 24, 5, "SL0" },   /* level 3: FEAT_TTST */
		{ TG0_4K, 3, 39, 5, "SL0" },
		{ TG0_4K, 2, 25, 5, START },   /* L0 for 39 bits: 0 bits */
		{ TG0_4K, 1, 20, 5, START },   /* L1 for 44 bits: 32 tables */
		{ TG0_4K, 1, 19, 5, START },   /* L1 for 45 bits: 64 tables */
		{ TG0_4K, 1, 34, 5, START },   /* L1 for 30 bits: 0 bits */
		{ TG0_4K, 0, 29, 5, START },   /* L2 for 35 bits: 32 tables */
		{ TG0_4K, 0, 16, 5, START },
		{ TG0_4K, 2, 15, 5, "T0SZ" },  /* 49 bits: needs FEAT_LPA2 */
		{ TG0_4K, 0, 40, 5, "T0SZ" },  /* 24 bits: needs FEAT_TTST */
		{ TG0_4K, 2, 0, 5, "T0SZ" },
		{ TG0_4K, 0, 63, 5, "T0SZ" },
	};

	(void)state;
	check_cfg_cases(ok, ARRAY_SIZE(ok), 12);
	check_bad_cases(bad, ARRAY_SIZE(bad));
}

static void test_cfg_16k(void **state)
{
	/*
	 * 16 KiB: L1 resolves IPA[46:36] (and bit 47 with 2 tables), L2
	 * [35:25], L3 [24:14].
	 */
	static const struct cfg_case ok[] = {
		{ TG0_16K, 2, 16, 1, 4096 },  /* 48 bits: 2 tables */
		{ TG0_16K, 2, 17, 1, 2048 },  /* 47 bits: one table */
		{ TG0_16K, 2, 26, 1, 4 },     /* 38 bits */
		{ TG0_16K, 2, 27, 1, 2 },     /* 37 bits */
		{ TG0_16K, 1, 28, 2, 2048 },  /* 36 bits: one table */
		{ TG0_16K, 1, 24, 2, 32768 }, /* 40 bits: 16 tables */
		{ TG0_16K, 1, 38, 2, 2 },     /* 26 bits */
		{ TG0_16K, 0, 39, 3, 2048 },  /* 25 bits: one table */
		{ TG0_16K, 0, 35, 3, 32768 }, /* 29 bits: 16 tables */
	};
	static const struct bad_case bad[] = {
		/* Level 0 needs FEAT_LPA2 and VTCR_EL2.DS = 1. */
		{ TG0_16K, 3, 16, 5, "SL0" },
		{ TG0_16K, 2, 28, 5, START }, /* L1 for 36 bits: 0 bits */
		{ TG0_16K, 1, 23, 5, START }, /* L2 for 41 bits: 32 tables */
		{ TG0_16K, 1, 39, 5, START }, /* L2 for 25 bits: 0 bits */
		{ TG0_16K, 0, 34, 5, START }, /* L3 for 30 bits: 32 tables */
		{ TG0_16K, 2, 15, 5, "T0SZ" },
		{ TG0_16K, 0, 40, 5, "T0SZ" },
	};

	(void)state;
	check_cfg_cases(ok, ARRAY_SIZE(ok), 14);
	check_bad_cases(bad, ARRAY_SIZE(bad));
}

static void test_cfg_64k(void **state)
{
	/* 64 KiB: L1 resolves IPA[47:42], L2 [41:29], L3 [28:16]. */
	static const struct cfg_case ok[] = {
		{ TG0_64K, 2, 16, 1, 64 },     /* 48 bits */
		{ TG0_64K, 2, 21, 1, 2 },      /* 43 bits */
		{ TG0_64K, 1, 22, 2, 8192 },   /* 42 bits: one table */
		{ TG0_64K, 1, 20, 2, 32768 },  /* 44 bits: 4 tables */
		{ TG0_64K, 1, 18, 2, 131072 }, /* 46 bits: 16 tables */
		{ TG0_64K, 1, 34, 2, 2 },      /* 30 bits */
		{ TG0_64K, 0, 35, 3, 8192 },   /* 29 bits: one table */
		{ TG0_64K, 0, 31, 3, 131072 }, /* 33 bits: 16 tables */
		{ TG0_64K, 0, 39, 3, 512 },    /* 25 bits */
	};
	static const struct bad_case bad[] = {
		{ TG0_64K, 3, 16, 5, "SL0" },
		{ TG0_64K, 3, 39, 5, "SL0" },
		{ TG0_64K, 2, 22, 5, START }, /* L1 for 42 bits: 0 bits */
		{ TG0_64K, 1, 16, 5, START }, /* L2 for 48 bits: 64 tables */
		{ TG0_64K, 1, 17, 5, START }, /* L2 for 47 bits: 32 tables */
		{ TG0_64K, 0, 30, 5, START }, /* L3 for 34 bits: 32 tables */
		{ TG0_64K, 2, 15, 5, "T0SZ" }, /* 49 bits: needs FEAT_LPA */
		{ TG0_64K, 0, 40, 5, "T0SZ" },
	};

	(void)state;
	check_cfg_cases(ok, ARRAY_SIZE(ok), 16);
	check_bad_cases(bad, ARRAY_SIZE(bad));
}

static void test_cfg_ps_and_tg0(void **state)
{
	/* PS: 0b000 32 bits ... 0b101 48; 0b110 (52) is 48 without FEAT_LPA. */
	static const unsigned oa[] = { 32, 36, 40, 42, 44, 48, 48 };
	static const struct bad_case bad[] = {
		{ TG0_4K, 1, 24, 7, "PS" },
		{ TG0_16K, 2, 16, 7, "PS" },
		{ TG0_64K, 1, 22, 7, "PS" },
		{ 3, 1, 24, 5, "TG0" },
		{ 3, 0, 39, 0, "TG0" },
	};

	(void)state;
	for (unsigned ps = 0; ps < ARRAY_SIZE(oa); ps++) {
		struct s2_walk_cfg c = cfg_of(vtcr(TG0_4K, 1, 24, ps), 0);
		struct s2_walk_cfg c64 = cfg_of(vtcr(TG0_64K, 1, 22, ps), 0);

		assert_int_equal(c.oa_bits, oa[ps]);
		assert_int_equal(c64.oa_bits, oa[ps]);
		/* PS does not change the input side. */
		assert_int_equal(c.ia_bits, 40);
		assert_int_equal(c.start_level, 1);
		assert_int_equal(c.root_entries, 1024);
	}
	check_bad_cases(bad, ARRAY_SIZE(bad));
}

static void test_cfg_root_masking(void **state)
{
	/*
	 * VTTBR_EL2: VMID [63:48], BADDR [47:1], CnP [0]. BADDR bits below
	 * the root table's size (entries x 8 bytes) are RES0: ignored.
	 */
	const struct {
		u64 vtcr, vttbr, root;
	} cases[] = {
		/* 4K, 512 entries: 4 KiB. */
		{ vtcr(TG0_4K, 2, 16, 5), UINT64_C(0x0001000080000fff),
		  UINT64_C(0x80000000) },
		/* 4K, 2 concatenated tables: 8 KiB. */
		{ vtcr(TG0_4K, 1, 24, 5), UINT64_C(0xabcd001234567fff),
		  UINT64_C(0x1234566000) },
		/* 4K, 16 tables: 64 KiB. */
		{ vtcr(TG0_4K, 1, 21, 5), UINT64_C(0x00ff0fedcba9ffff),
		  UINT64_C(0x0fedcba90000) },
		/* 4K, 2 entries: 16 bytes, so BADDR[5:4] still count. */
		{ vtcr(TG0_4K, 1, 33, 5), UINT64_C(0x40000018),
		  UINT64_C(0x40000010) },
		{ vtcr(TG0_4K, 1, 33, 5), UINT64_C(0x40000031),
		  UINT64_C(0x40000030) },
		/* 4K, 16 entries: 128 bytes. */
		{ vtcr(TG0_4K, 0, 39, 5), UINT64_C(0x400000ff),
		  UINT64_C(0x40000080) },
		/* 16K, 2 tables: 32 KiB. */
		{ vtcr(TG0_16K, 2, 16, 5), UINT64_C(0x000012345ffff),
		  UINT64_C(0x123458000) },
		/* 16K, 4 entries: 32 bytes. */
		{ vtcr(TG0_16K, 2, 26, 5), UINT64_C(0x7000003f),
		  UINT64_C(0x70000020) },
		/* 64K, 64 entries: 512 bytes. */
		{ vtcr(TG0_64K, 2, 16, 5), UINT64_C(0x1234400003ff),
		  UINT64_C(0x123440000200) },
		/* 64K, 16 tables: 1 MiB. */
		{ vtcr(TG0_64K, 1, 18, 5), UINT64_C(0xffff000789abcdef),
		  UINT64_C(0x789a00000) },
		/* 64K, 2 entries: 16 bytes. */
		{ vtcr(TG0_64K, 2, 21, 5), UINT64_C(0x50000001f),
		  UINT64_C(0x500000010) },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct s2_walk_cfg c = cfg_of(cases[i].vtcr, cases[i].vttbr);

		assert_int_equal(c.root, cases[i].root);
	}
}

/* --- 4 KiB granule walks --- */

/*
 * T0SZ 16 (48 bits), SL0 2: start at level 0.
 * Root G(0), L1 G(0x1000), L2 G(0x2000), L3 G(0x3000).
 */
#define K4_R G(0)
#define K4_L1 G(0x1000)
#define K4_L2 G(0x2000)
#define K4_L3 G(0x3000)
#define IPA4K(i0, i1, i2, i3, off)                                   \
	((u64)(i0) << 39 | (u64)(i1) << 30 | (u64)(i2) << 21 |        \
	 (u64)(i3) << 12 | (u64)(off))

static struct s2_walk_cfg build_4k(struct gmem *g, unsigned ps)
{
	wr(g, K4_R + 0x101 * 8, K4_L1 | D_TABLE);
	wr(g, K4_L1 + 0x0a5 * 8, K4_L2 | D_TABLE);
	wr(g, K4_L2 + 0x1c3 * 8, K4_L3 | D_TABLE);
	return cfg_of(vtcr(TG0_4K, 2, 16, ps), K4_R);
}

static void test_4k_page(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_4k(g, 5);
	u64 leaf = UINT64_C(0x123456789000) | D_PAGE | A_DEV;
	u64 leaf2 = UINT64_C(0x0000fffffffff000) | D_PAGE | A_RW | CONTIG;
	u64 ipa = IPA4K(0x101, 0x0a5, 0x1c3, 0x07e, 0xabc);
	const u64 reads[] = { K4_R + 0x808, K4_L1 + 0x528, K4_L2 + 0xe18,
			      K4_L3 + 0x3f0 };

	assert_int_equal(c.start_level, 0);
	assert_int_equal(c.root_entries, 512);
	wr(g, K4_L3 + 0x07e * 8, leaf);
	wr(g, K4_L3 + 0x07f * 8, leaf2);
	expect_ok(g, &c, ipa, 3, UINT64_C(0x123456789abc), SZ_4K, leaf);
	expect_reads(g, 4, reads);
	/* The first and last byte of the page. */
	expect_ok(g, &c, ipa & ~UINT64_C(0xfff), 3, UINT64_C(0x123456789000),
		  SZ_4K, leaf);
	expect_ok(g, &c, ipa | 0xfff, 3, UINT64_C(0x123456789fff), SZ_4K,
		  leaf);
	/* The next page: the top of the 48-bit output space. */
	expect_ok(g, &c, IPA4K(0x101, 0x0a5, 0x1c3, 0x07f, 0x123), 3,
		  UINT64_C(0xfffffffff123), SZ_4K, leaf2);
	/* Its neighbours are unmapped, at each level. */
	expect_fault(g, &c, IPA4K(0x101, 0x0a5, 0x1c3, 0x080, 0), F_TRANS, 3);
	expect_fault(g, &c, IPA4K(0x101, 0x0a5, 0x1c2, 0x07e, 0), F_TRANS, 2);
	expect_fault(g, &c, IPA4K(0x101, 0x0a4, 0x1c3, 0x07e, 0), F_TRANS, 1);
	expect_fault(g, &c, IPA4K(0x100, 0x0a5, 0x1c3, 0x07e, 0), F_TRANS, 0);
	expect_fault(g, &c, IPA4K(0x001, 0x0a5, 0x1c3, 0x07e, 0), F_TRANS, 0);
}

static void test_4k_blocks(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_4k(g, 5);
	/* 1 GiB at level 1: OA[47:30]. */
	u64 gb = UINT64_C(0x8040000000) | D_BLOCK | A_RW;
	/* 2 MiB at level 2: OA[47:21]. */
	u64 mb = UINT64_C(0x1234e00000) | D_BLOCK | A_DEV;
	const u64 reads_gb[] = { K4_R + 0x808, K4_L1 + 0x530 };

	wr(g, K4_L1 + 0x0a6 * 8, gb);
	wr(g, K4_L2 + 0x1c4 * 8, mb);
	expect_ok(g, &c, IPA4K(0x101, 0x0a6, 0, 0, 0) + 0x2bcdef12, 1,
		  UINT64_C(0x806bcdef12), SZ_1G, gb);
	expect_reads(g, 2, reads_gb);
	expect_ok(g, &c, IPA4K(0x101, 0x0a6, 0x1ff, 0x1ff, 0xfff), 1,
		  UINT64_C(0x807fffffff), SZ_1G, gb);
	expect_ok(g, &c, IPA4K(0x101, 0x0a5, 0x1c4, 0, 0) + 0x1fedcb, 2,
		  UINT64_C(0x1234ffedcb), SZ_2M, mb);
	expect_ok(g, &c, IPA4K(0x101, 0x0a5, 0x1c4, 0, 0), 2,
		  UINT64_C(0x1234e00000), SZ_2M, mb);
}

static void test_4k_block_where_not_allowed(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_4k(g, 5);

	/* A 512 GiB block at level 0 needs FEAT_LPA2. */
	wr(g, K4_R + 0x102 * 8, UINT64_C(0x8000000000) | D_BLOCK | A_RW);
	expect_fault(g, &c, IPA4K(0x102, 0, 0, 0, 0), F_TRANS, 0);
	assert_int_equal(g->nreads, 1);
	/* At level 3, 0b01 is reserved: no 4 KiB "block". */
	wr(g, K4_L3 + 0x080 * 8, UINT64_C(0x12345678a000) | D_BLOCK | A_RW);
	expect_fault(g, &c, IPA4K(0x101, 0x0a5, 0x1c3, 0x080, 0),
		     F_TRANS, 3);
	assert_int_equal(g->nreads, 4);
}

static void test_4k_invalid_each_level(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_4k(g, 5);
	u64 ipa = IPA4K(0x101, 0x0a5, 0x1c3, 0x07e, 0x10);
	const u64 addrs[] = { K4_R + 0x808, K4_L1 + 0x528, K4_L2 + 0xe18,
			      K4_L3 + 0x3f0 };
	const u64 addrs_gb[] = { K4_R + 0x808, K4_L1 + 0x530 };

	wr(g, K4_L3 + 0x07e * 8, UINT64_C(0x5000) | D_PAGE | A_RW);
	expect_ok(g, &c, ipa, 3, UINT64_C(0x5010), SZ_4K,
		  UINT64_C(0x5000) | D_PAGE | A_RW);
	expect_invalid_each_level(g, &c, ipa, addrs, 4);
	/* The same through a 1 GiB block. */
	wr(g, K4_L1 + 0x0a6 * 8, SZ_1G | D_BLOCK | A_RW);
	expect_invalid_each_level(g, &c, IPA4K(0x101, 0x0a6, 0, 0, 0),
				  addrs_gb, 2);
	/* All ones but bit 0. */
	wr(g, K4_L2 + 0x1c3 * 8, ~UINT64_C(1));
	expect_fault(g, &c, ipa, F_TRANS, 2);
}

static void test_4k_access_flag(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_4k(g, 5);

	/* The table descriptors above carry no AF: only a leaf's counts. */
	wr(g, K4_L3 + 0x07e * 8, (UINT64_C(0x9000) | D_PAGE | A_RW) & ~AF);
	expect_fault(g, &c, IPA4K(0x101, 0x0a5, 0x1c3, 0x07e, 0),
		     F_AF, 3);
	assert_int_equal(g->nreads, 4);
	wr(g, K4_L2 + 0x1c4 * 8, (SZ_2M | D_BLOCK | A_RW) & ~AF);
	expect_fault(g, &c, IPA4K(0x101, 0x0a5, 0x1c4, 0, 0),
		     F_AF, 2);
	wr(g, K4_L1 + 0x0a6 * 8, (SZ_1G | D_BLOCK | A_DEV) & ~AF);
	expect_fault(g, &c, IPA4K(0x101, 0x0a6, 0, 0, 0),
		     F_AF, 1);
	/* Setting AF is all it takes. */
	wr(g, K4_L1 + 0x0a6 * 8, SZ_1G | D_BLOCK | A_DEV);
	expect_ok(g, &c, IPA4K(0x101, 0x0a6, 0, 0, 0x42), 1, SZ_1G + 0x42,
		  SZ_1G, SZ_1G | D_BLOCK | A_DEV);
}

/*
 * PS 0b000 (32-bit output), T0SZ 32, SL0 1: start at level 1 with 4
 * entries (32 bytes). Root G(0x10000), L2 G(0x11000), L3 G(0x12000).
 */
static void test_4k_address_size(void **state)
{
	struct gmem *g = *state;
	u64 r = G(0x10000), l2 = G(0x11000), l3 = G(0x12000);
	struct s2_walk_cfg c = cfg_of(vtcr(TG0_4K, 1, 32, 0), r);
	struct s2_walk_cfg c48 = cfg_of(vtcr(TG0_4K, 1, 32, 5), r);
	u64 top = UINT64_C(0xfffff000) | D_PAGE | A_RW;

	assert_int_equal(c.oa_bits, 32);
	assert_int_equal(c.root_entries, 4);
	wr(g, r + 0 * 8, l2 | D_TABLE);
	wr(g, r + 1 * 8, UINT64_C(0x100000000) | D_TABLE);
	wr(g, r + 2 * 8, UINT64_C(0xc0000000) | D_BLOCK | A_RW);
	wr(g, r + 3 * 8, UINT64_C(0x100000000) | D_BLOCK | A_RW);
	wr(g, l2 + 5 * 8, l3 | D_TABLE);
	wr(g, l2 + 6 * 8, UINT64_C(0x100200000) | D_BLOCK | A_RW);
	wr(g, l2 + 7 * 8, UINT64_C(0x800000000000) | D_TABLE);
	wr(g, l3 + 7 * 8, UINT64_C(0x100000000) | D_PAGE | A_RW);
	wr(g, l3 + 8 * 8, top);
	wr(g, l3 + 9 * 8, UINT64_C(0x800000000000) | D_PAGE | A_RW);
	wr(g, l3 + 10 * 8, (UINT64_C(0x100001000) | D_PAGE | A_RW) & ~AF);

	/* Leaves: the last 4 KiB below 4 GiB is fine, 4 GiB is not. */
	expect_ok(g, &c, IPA4K(0, 0, 5, 8, 0xabc), 3, UINT64_C(0xfffffabc),
		  SZ_4K, top);
	expect_fault(g, &c, IPA4K(0, 0, 5, 7, 0), F_ASIZE, 3);
	expect_fault(g, &c, IPA4K(0, 0, 5, 9, 0), F_ASIZE, 3);
	/* An address size fault comes before the access flag. */
	expect_fault(g, &c, IPA4K(0, 0, 5, 10, 0), F_ASIZE, 3);
	expect_fault(g, &c, IPA4K(0, 0, 6, 0, 0), F_ASIZE, 2);
	expect_ok(g, &c, UINT64_C(0x81234567), 1, UINT64_C(0xc1234567), SZ_1G,
		  UINT64_C(0xc0000000) | D_BLOCK | A_RW);
	expect_fault(g, &c, UINT64_C(0xc1234567), F_ASIZE, 1);

	/* A next-level table beyond PS: faults where it is named, unread. */
	expect_fault(g, &c, UINT64_C(0x40000000), F_ASIZE, 1);
	assert_int_equal(g->nreads, 1);
	expect_fault(g, &c, IPA4K(0, 0, 7, 0, 0), F_ASIZE, 2);
	assert_int_equal(g->nreads, 2);

	/* With a 48-bit PS the same descriptors are in range. */
	expect_ok(g, &c48, IPA4K(0, 0, 5, 7, 0x10), 3,
		  UINT64_C(0x100000010), SZ_4K,
		  UINT64_C(0x100000000) | D_PAGE | A_RW);
	expect_fault(g, &c48, IPA4K(0, 0, 5, 10, 0), F_AF, 3);
	expect_ok(g, &c48, UINT64_C(0xc0000001), 1, UINT64_C(0x100000001),
		  SZ_1G, UINT64_C(0x100000000) | D_BLOCK | A_RW);
	/* ... and the table at 4 GiB is read: outside guest memory. */
	expect_fault(g, &c48, UINT64_C(0x40000000), F_EXT, 2);
}

static void test_root_beyond_ps(void **state)
{
	struct gmem *g = *state;
	/* Start level 1, but a root beyond PS is a level 0 fault. */
	struct s2_walk_cfg c = cfg_of(vtcr(TG0_4K, 1, 32, 0),
				      UINT64_C(0x100000000));
	struct s2_walk_cfg c16 = cfg_of(vtcr(TG0_16K, 0, 36, 2),
					UINT64_C(0x10000000000));
	struct s2_walk_cfg c64 = cfg_of(vtcr(TG0_64K, 1, 22, 1),
					UINT64_C(0x1000000000));
	struct s2_walk_cfg ok = cfg_of(vtcr(TG0_64K, 1, 22, 2),
				       UINT64_C(0x1000000000));

	expect_fault(g, &c, 0, F_ASIZE, 0);
	assert_int_equal(g->nreads, 0);
	expect_fault(g, &c16, 0x4000, F_ASIZE, 0);
	assert_int_equal(g->nreads, 0);
	expect_fault(g, &c64, 0, F_ASIZE, 0);
	assert_int_equal(g->nreads, 0);
	/* A 40-bit PS covers it: read, and outside guest memory. */
	expect_fault(g, &ok, 0, F_EXT, 2);
	assert_int_equal(g->nreads, 1);
	assert_int_equal(g->reads[0], UINT64_C(0x1000000000));
}

/*
 * The output size is PS capped by L1's PARange (what its
 * ID_AA64MMFR0_EL1 says): a 48-bit PS with a 40-bit PARange checks
 * addresses against 40 bits, tables and leaves alike.
 */
static void test_oa_capped_by_l1_parange(void **state)
{
	struct gmem *g = *state;
	u64 r = G(0x10000);
	struct s2_walk_cfg c;
	char err[128] = "";

	assert_true(s2_walk_cfg(vtcr(TG0_4K, 1, 32, 5), r, 40, &c, err,
				sizeof(err)));
	assert_int_equal(c.oa_bits, 40);
	/* PS smaller than PARange: PS. */
	assert_true(s2_walk_cfg(vtcr(TG0_4K, 1, 32, 1), r, 40, &c, err,
				sizeof(err)));
	assert_int_equal(c.oa_bits, 36);
	/* PARange above 48 (52): 48 without FEAT_LPA. */
	assert_true(s2_walk_cfg(vtcr(TG0_4K, 1, 32, 6), r, 52, &c, err,
				sizeof(err)));
	assert_int_equal(c.oa_bits, 48);

	assert_true(s2_walk_cfg(vtcr(TG0_4K, 1, 32, 5), r, 40, &c, err,
				sizeof(err)));
	wr(g, r + 0 * 8, (UINT64_C(1) << 40) | D_BLOCK | A_RW);
	wr(g, r + 1 * 8, ((UINT64_C(1) << 40) - SZ_1G) | D_BLOCK | A_RW);
	wr(g, r + 2 * 8, (UINT64_C(1) << 41) | D_TABLE);
	expect_fault(g, &c, 0x1000, F_ASIZE, 1);
	expect_ok(g, &c, SZ_1G + 0x10, 1, (UINT64_C(1) << 40) - SZ_1G + 0x10,
		  SZ_1G, ((UINT64_C(1) << 40) - SZ_1G) | D_BLOCK | A_RW);
	expect_fault(g, &c, 2 * SZ_1G, F_ASIZE, 1);
	/* A root beyond 40 bits: level 0. */
	assert_true(s2_walk_cfg(vtcr(TG0_4K, 1, 32, 5), UINT64_C(1) << 40, 40,
				&c, err, sizeof(err)));
	expect_fault(g, &c, 0, F_ASIZE, 0);
	assert_int_equal(g->nreads, 0);
}

/*
 * A VTCR_EL2 the walk refuses (reserved SL0, SL0 inconsistent with T0SZ,
 * T0SZ out of range, reserved TG0 or PS) leaves a configuration whose
 * every walk is a level 0 Translation fault with nothing read.
 */
static void test_invalid_cfg_faults_level0(void **state)
{
	struct gmem *g = *state;
	static const u64 bad[] = {
		BIT(31) | 3u << 6 | 32,                   /* SL0 3, 4 KiB */
		BIT(31) | 2u << 6 | 32,                   /* level 0 for 32 bits */
		BIT(31) | 0u << 6 | 29,                   /* level 2: 32 tables */
		BIT(31) | 1u << 14 | 3u << 6 | 32,        /* SL0 3, 64 KiB */
		BIT(31) | 1u << 6 | 40,                   /* T0SZ 40 */
		BIT(31) | 3u << 14 | 1u << 6 | 32,        /* TG0 reserved */
		BIT(31) | UINT64_C(7) << 16 | 1u << 6 | 32, /* PS reserved */
	};

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		struct s2_walk_cfg c;
		char err[128] = "";

		memset(&c, 0xff, sizeof(c));
		assert_false(s2_walk_cfg(bad[i], G(0), 48, &c, err, sizeof(err)));
		assert_false(c.valid);
		assert_true(err[0] != 0);
		wr(g, G(0), G(0x1000) | D_TABLE);
		expect_fault(g, &c, 0, F_TRANS, 0);
		expect_fault(g, &c, 0x12345000, F_TRANS, 0);
		assert_int_equal(g->nreads, 0);
	}
}

static void test_ipa_beyond_ia(void **state)
{
	struct gmem *g = *state;
	/* 40 bits: start level 1, 2 concatenated tables. */
	u64 r = G(0x20000);
	struct s2_walk_cfg c = cfg_of(vtcr(TG0_4K, 1, 24, 5), r);
	struct s2_walk_cfg c48 = build_4k(g, 5);
	u64 blk = UINT64_C(0x7fc0000000) | D_BLOCK | A_RW;

	wr(g, r + 0x3ff * 8, blk);
	expect_ok(g, &c, (UINT64_C(1) << 40) - 1, 1, UINT64_C(0x7fffffffff),
		  SZ_1G, blk);
	/* Beyond 64 - T0SZ bits: a level 0 Translation fault, nothing read. */
	expect_fault(g, &c, UINT64_C(1) << 40, F_TRANS, 0);
	assert_int_equal(g->nreads, 0);
	expect_fault(g, &c, UINT64_C(0xffc0000000) | (UINT64_C(1) << 41),
		     F_TRANS, 0);
	expect_fault(g, &c, UINT64_C(1) << 63, F_TRANS, 0);
	assert_int_equal(g->nreads, 0);
	/* 48 bits. */
	expect_fault(g, &c48, UINT64_C(1) << 48, F_TRANS, 0);
	expect_fault(g, &c48, ~UINT64_C(0), F_TRANS, 0);
	assert_int_equal(g->nreads, 0);
}

static void test_4k_external(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_4k(g, 5);
	u64 ipa = IPA4K(0x101, 0x0a5, 0x1c3, 0x07e, 0);
	const u64 desc_at[] = { K4_R + 0x808, K4_L1 + 0x528, K4_L2 + 0xe18 };
	const u64 index_off[] = { 0x528, 0xe18, 0x3f0 };
	u64 out = GMEM_BASE + GMEM_SIZE; /* the first byte past guest memory */
	struct s2_walk_cfg bad_root = cfg_of(vtcr(TG0_4K, 2, 16, 5),
					     UINT64_C(0x10000000));
	struct s2_walk_cfg bad_root1 = cfg_of(vtcr(TG0_4K, 1, 24, 5),
					      UINT64_C(0x10002000));

	wr(g, K4_L3 + 0x07e * 8, UINT64_C(0x7000) | D_PAGE | A_RW);
	expect_ok(g, &c, ipa, 3, UINT64_C(0x7000), SZ_4K,
		  UINT64_C(0x7000) | D_PAGE | A_RW);
	/* The next table at each level made unreadable in turn. */
	for (unsigned lvl = 1; lvl <= 3; lvl++) {
		u64 orig = rdg(g, desc_at[lvl - 1]);

		wr(g, desc_at[lvl - 1], out | D_TABLE);
		expect_fault(g, &c, ipa, F_EXT, lvl);
		assert_int_equal(g->nreads, lvl + 1);
		assert_int_equal(g->reads[lvl], out + index_off[lvl - 1]);
		wr(g, desc_at[lvl - 1], orig);
	}
	/* An unreadable root: at the start level. */
	expect_fault(g, &bad_root, ipa, F_EXT, 0);
	assert_int_equal(g->nreads, 1);
	assert_int_equal(g->reads[0], UINT64_C(0x10000000) + 0x808);
	expect_fault(g, &bad_root1, UINT64_C(0x2340000000), F_EXT, 1);
	assert_int_equal(g->reads[0], UINT64_C(0x10002000) + 0x8d * 8);
}

static void test_4k_concatenated(void **state)
{
	struct gmem *g = *state;
	/* 40 bits, level 1: 2 tables, 8 KiB, at G(0x20000). */
	u64 r2 = G(0x20000);
	struct s2_walk_cfg c2 = cfg_of(vtcr(TG0_4K, 1, 24, 5), r2 | 0x1ffe);
	/* 42 bits, level 1: 8 tables, 32 KiB, at G(0x40000). */
	u64 r8 = G(0x40000);
	struct s2_walk_cfg c8 = cfg_of(vtcr(TG0_4K, 1, 22, 5), r8);
	/* 34 bits, level 2: 16 tables, 64 KiB, at G(0x80000). */
	u64 r16 = G(0x80000);
	struct s2_walk_cfg c16 = cfg_of(vtcr(TG0_4K, 0, 30, 5), r16);
	/* 43 bits, level 1: 16 tables, 64 KiB, at G(0x200000). */
	u64 rl = G(0x200000);
	struct s2_walk_cfg cl = cfg_of(vtcr(TG0_4K, 1, 21, 5), rl);
	u64 a = UINT64_C(0x100000000) | D_BLOCK | A_RW;
	u64 b = UINT64_C(0x200000000) | D_BLOCK | A_DEV;
	u64 d = UINT64_C(0x300000000) | D_BLOCK | A_RW;
	u64 e = UINT64_C(0x400000000) | D_BLOCK | A_DEV;
	u64 m = UINT64_C(0x12345600000) | D_BLOCK | A_RW;

	assert_int_equal(c2.root, r2);
	/* Index 0x17 in the first table, 0x217 (= 512 + 0x17) in the second. */
	wr(g, r2 + 0x0b8, a);
	wr(g, r2 + 0x10b8, b);
	expect_ok(g, &c2, UINT64_C(0x17) << 30 | 0x1234, 1,
		  UINT64_C(0x100001234), SZ_1G, a);
	assert_int_equal(g->reads[0], r2 + 0x0b8);
	expect_ok(g, &c2, UINT64_C(0x217) << 30 | 0x1234, 1,
		  UINT64_C(0x200001234), SZ_1G, b);
	assert_int_equal(g->reads[0], r2 + 0x10b8);

	/* 8 tables: index 0x605 is in the 4th, 0xfff the last entry. */
	wr(g, r8 + 0x3028, d);
	wr(g, r8 + 0x7ff8, e);
	expect_ok(g, &c8, UINT64_C(0x18140000000) + 0x3ffffff, 1,
		  UINT64_C(0x303ffffff), SZ_1G, d);
	assert_int_equal(g->reads[0], r8 + 0x3028);
	expect_ok(g, &c8, (UINT64_C(1) << 42) - 1, 1, UINT64_C(0x43fffffff),
		  SZ_1G, e);
	assert_int_equal(g->reads[0], r8 + 0x7ff8);
	expect_fault(g, &c8, UINT64_C(0x604) << 30, F_TRANS, 1);

	/* 16 level-2 tables: index 0x1fff is the last entry of the last. */
	wr(g, r16 + 0xfff8, m);
	expect_ok(g, &c16, UINT64_C(0x3ffe12345), 2, UINT64_C(0x12345612345),
		  SZ_2M, m);
	assert_int_equal(g->reads[0], r16 + 0xfff8);

	/* Index 0x1abc: in the 14th of 16 tables (0x1a00 = 13 x 512). */
	assert_int_equal(cl.root_entries, 8192);
	wr(g, rl + 0xd5e0, a);
	expect_ok(g, &cl, UINT64_C(0x1abc) << 30 | 0x89, 1,
		  UINT64_C(0x100000089), SZ_1G, a);
	assert_int_equal(g->reads[0], rl + 0xd5e0);
}

/* --- 16 KiB granule walks --- */

/*
 * T0SZ 16 (48 bits), SL0 2: start at level 1 with 2 concatenated tables
 * (32 KiB). Root G(0x100000), L2 G(0x110000), L3 G(0x114000).
 */
#define K16_R G(0x100000)
#define K16_L2 G(0x110000)
#define K16_L3 G(0x114000)
#define IPA16K(i1, i2, i3, off)                                      \
	((u64)(i1) << 36 | (u64)(i2) << 25 | (u64)(i3) << 14 | (u64)(off))

static struct s2_walk_cfg build_16k(struct gmem *g, unsigned ps)
{
	/* Index 0x9a5: in the second concatenated table. */
	wr(g, K16_R + 0x9a5 * 8, K16_L2 | D_TABLE);
	wr(g, K16_L2 + 0x3c1 * 8, K16_L3 | D_TABLE);
	return cfg_of(vtcr(TG0_16K, 2, 16, ps), K16_R);
}

static void test_16k_page_and_block(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_16k(g, 5);
	u64 page = UINT64_C(0x01234567c000) | D_PAGE | A_DEV;
	/* 32 MiB at level 2: OA[47:25]. */
	u64 blk = UINT64_C(0x802000000) | D_BLOCK | A_RW;
	const u64 reads[] = { K16_R + 0x4d28, K16_L2 + 0x1e08,
			      K16_L3 + 0x978 };

	assert_int_equal(c.start_level, 1);
	assert_int_equal(c.root_entries, 4096);
	wr(g, K16_L3 + 0x12f * 8, page);
	wr(g, K16_L2 + 0x3c2 * 8, blk);
	expect_ok(g, &c, IPA16K(0x9a5, 0x3c1, 0x12f, 0x3abc), 3,
		  UINT64_C(0x01234567fabc), 0x4000, page);
	expect_reads(g, 3, reads);
	expect_ok(g, &c, IPA16K(0x9a5, 0x3c1, 0x12f, 0x3fff), 3,
		  UINT64_C(0x01234567ffff), 0x4000, page);
	expect_ok(g, &c, IPA16K(0x9a5, 0x3c2, 0, 0) + 0x1abcdef, 2,
		  UINT64_C(0x803abcdef), 0x2000000, blk);
	/* The same index in the first concatenated table is unmapped. */
	expect_fault(g, &c, IPA16K(0x1a5, 0x3c1, 0x12f, 0), F_TRANS, 1);
	assert_int_equal(g->reads[0], K16_R + 0xd28);
	expect_fault(g, &c, IPA16K(0x9a5, 0x3c1, 0x130, 0), F_TRANS, 3);
	/*
	 * The OA field is [47:14]: bits [13:12] are RES0 without FEAT_LPA2,
	 * not address bits.
	 */
	wr(g, K16_R + 0x9a8 * 8, K16_L2 | 0x3000 | D_TABLE);
	expect_ok(g, &c, IPA16K(0x9a8, 0x3c1, 0x12f, 0x5), 3,
		  UINT64_C(0x01234567c005), 0x4000, page);
	assert_int_equal(g->reads[1], K16_L2 + 0x1e08);
	wr(g, K16_L3 + 0x133 * 8, UINT64_C(0x100007000) | D_PAGE | A_RW);
	expect_ok(g, &c, IPA16K(0x9a5, 0x3c1, 0x133, 0x21), 3,
		  UINT64_C(0x100004021), 0x4000,
		  UINT64_C(0x100007000) | D_PAGE | A_RW);
}

static void test_16k_faults(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_16k(g, 5);
	struct s2_walk_cfg c40 = build_16k(g, 2);
	u64 ipa = IPA16K(0x9a5, 0x3c1, 0x12f, 0x10);
	const u64 addrs[] = { K16_R + 0x4d28, K16_L2 + 0x1e08,
			      K16_L3 + 0x978 };

	wr(g, K16_L3 + 0x12f * 8, UINT64_C(0x8000) | D_PAGE | A_RW);
	expect_ok(g, &c, ipa, 3, UINT64_C(0x8010), 0x4000,
		  UINT64_C(0x8000) | D_PAGE | A_RW);
	expect_invalid_each_level(g, &c, ipa, addrs, 3);

	/* A 64 GiB block at level 1 needs FEAT_LPA2. */
	wr(g, K16_R + 0x9a6 * 8, UINT64_C(0x1000000000) | D_BLOCK | A_RW);
	expect_fault(g, &c, IPA16K(0x9a6, 0, 0, 0), F_TRANS, 1);
	/* 0b01 at level 3. */
	wr(g, K16_L3 + 0x130 * 8, UINT64_C(0xc000) | D_BLOCK | A_RW);
	expect_fault(g, &c, IPA16K(0x9a5, 0x3c1, 0x130, 0), F_TRANS, 3);
	/* No AF. */
	wr(g, K16_L2 + 0x3c3 * 8, (UINT64_C(0x4000000) | D_BLOCK | A_RW) & ~AF);
	expect_fault(g, &c, IPA16K(0x9a5, 0x3c3, 0, 0), F_AF, 2);
	wr(g, K16_L3 + 0x131 * 8, (UINT64_C(0xc000) | D_PAGE | A_RW) & ~AF);
	expect_fault(g, &c, IPA16K(0x9a5, 0x3c1, 0x131, 0), F_AF, 3);
	/* PS 40 bits: a block at 1 TiB is too far, a page below it is not. */
	wr(g, K16_L2 + 0x3c4 * 8, UINT64_C(0x10000000000) | D_BLOCK | A_RW);
	wr(g, K16_L3 + 0x132 * 8, UINT64_C(0xffffffc000) | D_PAGE | A_RW);
	expect_fault(g, &c40, IPA16K(0x9a5, 0x3c4, 0, 0), F_ASIZE, 2);
	expect_ok(g, &c, IPA16K(0x9a5, 0x3c4, 0, 0x5), 2,
		  UINT64_C(0x10000000005), 0x2000000,
		  UINT64_C(0x10000000000) | D_BLOCK | A_RW);
	expect_ok(g, &c40, IPA16K(0x9a5, 0x3c1, 0x132, 0x3fff), 3,
		  UINT64_C(0xffffffffff), 0x4000,
		  UINT64_C(0xffffffc000) | D_PAGE | A_RW);
	/* A level-2 table beyond 40 bits. */
	wr(g, K16_R + 0x9a7 * 8, UINT64_C(0x10000000000) | D_TABLE);
	expect_fault(g, &c40, IPA16K(0x9a7, 0, 0, 0), F_ASIZE, 1);
	assert_int_equal(g->nreads, 1);
	/* ... and, with 48 bits, an unreadable one. */
	expect_fault(g, &c, IPA16K(0x9a7, 0x3, 0, 0), F_EXT, 2);
	assert_int_equal(g->reads[1], UINT64_C(0x10000000018));
	/* Beyond 48 bits. */
	expect_fault(g, &c, UINT64_C(1) << 48, F_TRANS, 0);
	assert_int_equal(g->nreads, 0);
}

static void test_16k_concatenated_l2_and_l3_start(void **state)
{
	struct gmem *g = *state;
	/* 40 bits, level 2: 16 tables, 256 KiB, at G(0x400000). */
	u64 r = G(0x400000);
	struct s2_walk_cfg c = cfg_of(vtcr(TG0_16K, 1, 24, 5), r | 0x3fff0);
	/* 25 bits, level 3: one 2048-entry table at G(0x8000). */
	u64 r3 = G(0x8000);
	struct s2_walk_cfg c3 = cfg_of(vtcr(TG0_16K, 0, 39, 5), r3);
	u64 blk = UINT64_C(0x4000000000) | D_BLOCK | A_DEV;
	u64 page = UINT64_C(0xabcd4000) | D_PAGE | A_RW;

	assert_int_equal(c.root, r);
	assert_int_equal(c.root_entries, 32768);
	/* Index 0x7abc: in the 16th table (0x7800 = 15 x 2048). */
	wr(g, r + 0x3d5e0, blk);
	expect_ok(g, &c, UINT64_C(0x7abc) << 25 | 0x1ffffff, 2,
		  UINT64_C(0x4001ffffff), 0x2000000, blk);
	expect_reads(g, 1, (const u64[]){ r + 0x3d5e0 });
	expect_fault(g, &c, UINT64_C(0x7abb) << 25, F_TRANS, 2);

	assert_int_equal(c3.start_level, 3);
	wr(g, r3 + 0x7ff * 8, page);
	expect_ok(g, &c3, UINT64_C(0x1ffc123), 3, UINT64_C(0xabcd4123), 0x4000,
		  page);
	assert_int_equal(g->reads[0], r3 + 0x3ff8);
	expect_fault(g, &c3, UINT64_C(0x2000000), F_TRANS, 0);
}

/* --- 64 KiB granule walks --- */

/*
 * T0SZ 16 (48 bits), SL0 2: start at level 1 with 64 entries (512
 * bytes), here at G(0x200): only 512-byte aligned. L2 G(0x10000), L3
 * G(0x20000).
 */
#define K64_R G(0x200)
#define K64_L2 G(0x10000)
#define K64_L3 G(0x20000)
#define IPA64K(i1, i2, i3, off)                                      \
	((u64)(i1) << 42 | (u64)(i2) << 29 | (u64)(i3) << 16 | (u64)(off))

static struct s2_walk_cfg build_64k(struct gmem *g, unsigned ps)
{
	wr(g, K64_R + 0x2b * 8, K64_L2 | D_TABLE);
	wr(g, K64_L2 + 0x1abc * 8, K64_L3 | D_TABLE);
	return cfg_of(vtcr(TG0_64K, 2, 16, ps), K64_R);
}

static void test_64k_page_and_block(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_64k(g, 5);
	u64 page = UINT64_C(0x765432100000) | D_PAGE | A_DEV;
	/* 512 MiB at level 2: OA[47:29]. */
	u64 blk = UINT64_C(0x420000000) | D_BLOCK | A_RW;
	const u64 reads[] = { K64_R + 0x158, K64_L2 + 0xd5e0,
			      K64_L3 + 0x7878 };

	assert_int_equal(c.root, K64_R);
	assert_int_equal(c.start_level, 1);
	assert_int_equal(c.root_entries, 64);
	wr(g, K64_L3 + 0xf0f * 8, page);
	wr(g, K64_L2 + 0x1abd * 8, blk);
	expect_ok(g, &c, IPA64K(0x2b, 0x1abc, 0xf0f, 0xbeef), 3,
		  UINT64_C(0x76543210beef), SZ_64K, page);
	expect_reads(g, 3, reads);
	expect_ok(g, &c, IPA64K(0x2b, 0x1abd, 0, 0) + 0x12345678, 2,
		  UINT64_C(0x432345678), 0x20000000, blk);
	expect_ok(g, &c, IPA64K(0x2b, 0x1abd, 0x1fff, 0xffff), 2,
		  UINT64_C(0x43fffffff), 0x20000000, blk);
	expect_fault(g, &c, IPA64K(0x2b, 0x1abc, 0xf0e, 0), F_TRANS, 3);
	expect_fault(g, &c, IPA64K(0x3f, 0x1abc, 0xf0f, 0), F_TRANS, 1);
	assert_int_equal(g->reads[0], K64_R + 0x1f8);
	/*
	 * Table and page addresses are [47:16]: bits [15:12] hold OA[51:48]
	 * only with FEAT_LPA and are RES0 here.
	 */
	wr(g, K64_L2 + 0x1ac0 * 8, K64_L3 | 0xf000 | D_TABLE);
	wr(g, K64_L3 + 0xf12 * 8, UINT64_C(0x90000) | 0xa000 | D_PAGE | A_RW);
	expect_ok(g, &c, IPA64K(0x2b, 0x1ac0, 0xf0f, 0x1), 3,
		  UINT64_C(0x765432100001), SZ_64K, page);
	assert_int_equal(g->reads[2], K64_L3 + 0x7878);
	expect_ok(g, &c, IPA64K(0x2b, 0x1abc, 0xf12, 0x1), 3,
		  UINT64_C(0x90001), SZ_64K,
		  UINT64_C(0x9a000) | D_PAGE | A_RW);
}

static void test_64k_faults(void **state)
{
	struct gmem *g = *state;
	struct s2_walk_cfg c = build_64k(g, 5);
	u64 ipa = IPA64K(0x2b, 0x1abc, 0xf0f, 0x10);
	const u64 addrs[] = { K64_R + 0x158, K64_L2 + 0xd5e0,
			      K64_L3 + 0x7878 };

	wr(g, K64_L3 + 0xf0f * 8, UINT64_C(0x30000) | D_PAGE | A_RW);
	expect_ok(g, &c, ipa, 3, UINT64_C(0x30010), SZ_64K,
		  UINT64_C(0x30000) | D_PAGE | A_RW);
	expect_invalid_each_level(g, &c, ipa, addrs, 3);

	/* A 4 TiB block at level 1 needs FEAT_LPA (52-bit). */
	wr(g, K64_R + 0x2c * 8, UINT64_C(0x40000000000) | D_BLOCK | A_RW);
	expect_fault(g, &c, IPA64K(0x2c, 0, 0, 0), F_TRANS, 1);
	/* 0b01 at level 3. */
	wr(g, K64_L3 + 0xf10 * 8, UINT64_C(0x40000) | D_BLOCK | A_RW);
	expect_fault(g, &c, IPA64K(0x2b, 0x1abc, 0xf10, 0), F_TRANS, 3);
	/* No AF. */
	wr(g, K64_L3 + 0xf11 * 8, (UINT64_C(0x50000) | D_PAGE | A_RW) & ~AF);
	expect_fault(g, &c, IPA64K(0x2b, 0x1abc, 0xf11, 0), F_AF, 3);
	wr(g, K64_L2 + 0x1abe * 8,
	   (UINT64_C(0x60000000) | D_BLOCK | A_RW) & ~AF);
	expect_fault(g, &c, IPA64K(0x2b, 0x1abe, 0, 0), F_AF, 2);
	/* An unreadable level-3 table. */
	wr(g, K64_L2 + 0x1abf * 8, UINT64_C(0x7fff0000) | D_TABLE);
	expect_fault(g, &c, IPA64K(0x2b, 0x1abf, 0x2, 0), F_EXT, 3);
	assert_int_equal(g->reads[2], UINT64_C(0x7fff0010));
	/* Beyond 48 bits. */
	expect_fault(g, &c, UINT64_C(1) << 48, F_TRANS, 0);
}

static void test_64k_address_size(void **state)
{
	struct gmem *g = *state;
	/* PS 32 bits, T0SZ 32, SL0 1: level 2 with 8 entries (64 bytes). */
	u64 r = G(0x40), l3 = G(0x30000);
	struct s2_walk_cfg c = cfg_of(vtcr(TG0_64K, 1, 32, 0), r);
	u64 top = UINT64_C(0xffff0000) | D_PAGE | A_RW;

	assert_int_equal(c.root, r);
	assert_int_equal(c.root_entries, 8);
	wr(g, r + 2 * 8, l3 | D_TABLE);
	wr(g, r + 3 * 8, UINT64_C(0x100000000) | D_BLOCK | A_RW);
	wr(g, r + 4 * 8, UINT64_C(0x100000000) | D_TABLE);
	wr(g, l3 + 0x1fff * 8, UINT64_C(0x100000000) | D_PAGE | A_RW);
	wr(g, l3 + 0x1ffe * 8, top);
	expect_ok(g, &c, IPA64K(0, 2, 0x1ffe, 0x1234), 3,
		  UINT64_C(0xffff1234), SZ_64K, top);
	expect_fault(g, &c, IPA64K(0, 2, 0x1fff, 0), F_ASIZE, 3);
	expect_fault(g, &c, IPA64K(0, 3, 0, 0), F_ASIZE, 2);
	expect_fault(g, &c, IPA64K(0, 4, 0, 0), F_ASIZE, 2);
	assert_int_equal(g->nreads, 1);
	expect_fault(g, &c, UINT64_C(1) << 32, F_TRANS, 0);
}

static void test_64k_concatenated(void **state)
{
	struct gmem *g = *state;
	/* 46 bits, level 2: 16 tables, 1 MiB, at G(0x100000). */
	u64 r = G(0x100000);
	struct s2_walk_cfg c = cfg_of(vtcr(TG0_64K, 1, 18, 5), r | 0xfff00);
	/* 33 bits, level 3: 16 tables, 1 MiB, at G(0x300000). */
	u64 r3 = G(0x300000);
	struct s2_walk_cfg c3 = cfg_of(vtcr(TG0_64K, 0, 31, 5), r3);
	u64 blk = UINT64_C(0x120000000) | D_BLOCK | A_RW;
	u64 last = UINT64_C(0x3fffe0000000) | D_BLOCK | A_DEV;
	u64 page = UINT64_C(0xaaaa0000) | D_PAGE | A_RW;

	assert_int_equal(c.root, r);
	assert_int_equal(c.root_entries, 131072);
	/* Index 0x6123: in the 4th table (0x6000 = 3 x 8192). */
	wr(g, r + 0x30918, blk);
	wr(g, r + 0xffff8, last);
	expect_ok(g, &c, UINT64_C(0x6123) << 29 | 0x1eadbeef, 2,
		  UINT64_C(0x13eadbeef), 0x20000000, blk);
	assert_int_equal(g->reads[0], r + 0x30918);
	expect_ok(g, &c, (UINT64_C(1) << 46) - 1, 2, UINT64_C(0x3fffffffffff),
		  0x20000000, last);
	assert_int_equal(g->reads[0], r + 0xffff8);
	expect_fault(g, &c, UINT64_C(1) << 46, F_TRANS, 0);

	/* Level 3 start: index 0x1abcd, in the 14th table. */
	assert_int_equal(c3.start_level, 3);
	wr(g, r3 + 0xd5e68, page);
	expect_ok(g, &c3, UINT64_C(0x1abcd) << 16 | 0x4321, 3,
		  UINT64_C(0xaaaa4321), SZ_64K, page);
	expect_reads(g, 1, (const u64[]){ r3 + 0xd5e68 });
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg_4k),
		cmocka_unit_test(test_cfg_16k),
		cmocka_unit_test(test_cfg_64k),
		cmocka_unit_test(test_cfg_ps_and_tg0),
		cmocka_unit_test(test_cfg_root_masking),
		T(test_4k_page),
		T(test_4k_blocks),
		T(test_4k_block_where_not_allowed),
		T(test_4k_invalid_each_level),
		T(test_4k_access_flag),
		T(test_4k_address_size),
		T(test_root_beyond_ps),
		T(test_oa_capped_by_l1_parange),
		T(test_invalid_cfg_faults_level0),
		T(test_ipa_beyond_ia),
		T(test_4k_external),
		T(test_4k_concatenated),
		T(test_16k_page_and_block),
		T(test_16k_faults),
		T(test_16k_concatenated_l2_and_l3_start),
		T(test_64k_page_and_block),
		T(test_64k_faults),
		T(test_64k_address_size),
		T(test_64k_concatenated),
	};
#undef T

	return cmocka_run_group_tests_name("s2_walk", tests, NULL, NULL);
}
