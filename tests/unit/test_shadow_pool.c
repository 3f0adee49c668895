/*
 * Host tests of a VM's pool of shadow stage 2s (src/mem/shadow_s2.c):
 * contexts keyed by L1's VTTBR_EL2 and VTCR_EL2, each with its own VMID
 * (src/mem/vmid.c), recycled least recently used; L1's TLBIs by IPA, by
 * VMID and for all; L0 unmapping L1 memory; the teardown of a populated
 * pool. Then the stage-2 abort L1 is given (shadow_s2_l1_abort), and a
 * malicious L1 whose tables point outside its memory, loop, or hold
 * garbage and reserved encodings: whatever they say, a shadow page only
 * ever maps what the VM's own stage 2 maps.
 *
 * L1 memory is a host buffer at L1 IPA [L1_RAM, +L1_RAM_SIZE); the VM's
 * stage 2 (vm.s2) maps it to the buffer's host address, so the pool's
 * default reader (shadow_s2_read_l1) reads it for real.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <nv/bits.h>
#include <nv/cpufeature.h>
#include <nv/esr.h>
#include <nv/shadow_s2.h>
#include <nv/stage2.h>
#include <nv/vm.h>
#include "helpers.h"

#define D_TABLE UINT64_C(3)
#define D_PAGE UINT64_C(3)
#define D_BLOCK UINT64_C(1)
#define AF BIT(10)
/* Normal WB, RW, Inner Shareable, accessed. */
#define A_RW (UINT64_C(0xf) << 2 | UINT64_C(3) << 6 | UINT64_C(3) << 8 | AF)

#define L1_RAM UINT64_C(0x40000000)
#define L1_RAM_SIZE (8 * SZ_2M) /* 16 MiB */
#define L1_MMIO UINT64_C(0x09000000) /* not in the VM's stage 2 */
#define T(n) (L1_RAM + (u64)(n) * 0x1000)

/* VTCR_EL2: 4 KiB granule, 32-bit L2 IPA, start level 1, PS 40 bits. */
#define VTCR_L1 (BIT(31) | UINT64_C(2) << 16 | UINT64_C(1) << 6 | 32)
#define VS BIT(19)
#define VTTBR(vmid, root) ((u64)(vmid) << 48 | (root))

/* --- TLB maintenance, recorded --- */

static struct {
	unsigned ipas, vmid, npages;
	u64 last_vttbr;
	u64 vmid_vttbr[64];
} tlb;

static void rec_ipas(void *ctx, u64 vttbr, const u64 *pages, unsigned n)
{
	(void)ctx;
	(void)pages;
	tlb.ipas++;
	tlb.npages += n;
	tlb.last_vttbr = vttbr;
}

static void rec_vmid(void *ctx, u64 vttbr)
{
	(void)ctx;
	if (tlb.vmid < ARRAY_SIZE(tlb.vmid_vttbr))
		tlb.vmid_vttbr[tlb.vmid] = vttbr;
	tlb.vmid++;
	tlb.last_vttbr = vttbr;
}

static const struct shadow_tlb_ops rec_tlb = { rec_ipas, rec_vmid, NULL };

/* --- Fixture --- */

struct fx {
	struct ut_alloc l0a, sha; /* host pages, counted both ways */
	struct pgtable_mm l0_mm, sh_mm;
	struct cpu_features host;
	struct vmid_space vmids;
	struct shadow_pool pool;
	struct vm vm;
	u8 *l1mem;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct shadow_env env;

	if (!f)
		return -1;
	f->l1mem = aligned_alloc(SZ_2M, L1_RAM_SIZE);
	if (!f->l1mem)
		return -1;
	memset(f->l1mem, 0, L1_RAM_SIZE);
	f->l0a.fail_after = -1;
	f->sha.fail_after = -1;
	f->l0_mm = (struct pgtable_mm){ ut_alloc_table, &f->l0a };
	f->sh_mm = (struct pgtable_mm){ ut_alloc_table, &f->sha };
	f->host.pa_bits = 48;
	f->host.parange = 5;
	f->host.vmid_bits = 16;
	vmid_space_init(&f->vmids, 16);
	/* The VM's stage 2: L1 RAM only, at the host buffer. */
	assert_true(pgtable_init(&f->vm.s2, 44, &f->l0_mm));
	assert_int_equal(pgtable_map(&f->vm.s2, L1_RAM,
				     (u64)(uintptr_t)f->l1mem, L1_RAM_SIZE,
				     S2_ATTR_RAM), PGT_OK);
	env = (struct shadow_env){
		.mm = &f->sh_mm,
		.free_table = ut_free_table,
		.tlb = &rec_tlb,
		.vmids = &f->vmids,
		.host = &f->host,
		.l1_pa_bits = 44,
		.rd = shadow_s2_read_l1,
		.rd_ctx = &f->vm,
	};
	shadow_pool_init(&f->pool, &env);
	f->vm.shadow = &f->pool;
	memset(&tlb, 0, sizeof(tlb));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	shadow_pool_destroy(&f->vm);
	pgtable_destroy(&f->vm.s2, ut_free_table);
	free(f->l1mem);
	free(f);
	return 0;
}

/* Writes an 8-byte descriptor at an L1 IPA of L1 RAM. */
static void wr(struct fx *f, u64 ipa, u64 desc)
{
	assert_true(ipa >= L1_RAM && ipa - L1_RAM <= L1_RAM_SIZE - 8);
	memcpy(f->l1mem + (ipa - L1_RAM), &desc, 8);
}

static u64 host_pa(const struct fx *f, u64 l1_ipa)
{
	return (u64)(uintptr_t)f->l1mem + (l1_ipa - L1_RAM);
}

/*
 * L1's stage 2 at root: L2 [0, 1 GiB) through a level-2 table, 2 MiB
 * blocks onto L1 RAM (L2 block i -> L1 RAM + i * 2 MiB, i < 4), and
 * one level-3 table for L2 [1 GiB - 2 MiB, 1 GiB) with 4 KiB pages.
 */
static void build_l1(struct fx *f, u64 root, u64 l2, u64 l3)
{
	wr(f, root, l2 | D_TABLE);
	for (unsigned i = 0; i < 4; i++)
		wr(f, l2 + i * 8, (L1_RAM + 4 * SZ_2M + i * SZ_2M) | A_RW | D_BLOCK);
	wr(f, l2 + 511 * 8, l3 | D_TABLE);
	for (unsigned i = 0; i < 16; i++)
		wr(f, l3 + i * 8, (L1_RAM + 0x100000 + i * 0x1000) | A_RW | D_PAGE);
}

static enum shadow_result fault(struct fx *f, struct shadow_s2 *s, u64 l2_ipa,
				bool write, struct s2_walk_result *w, u64 *l1_ipa)
{
	struct shadow_access a = { .l2_ipa = l2_ipa, .write = write };

	return shadow_s2_handle_fault(&f->vm, s, &a, w, l1_ipa);
}

static void map_ok(struct fx *f, struct shadow_s2 *s, u64 l2_ipa)
{
	struct s2_walk_result w;
	u64 l1_ipa;
	enum shadow_result r = fault(f, s, l2_ipa, false, &w, &l1_ipa);

	if (r != SHADOW_MAPPED)
		fail_msg("L2 IPA %#llx: result %d (walk fault %d level %u)",
			 (unsigned long long)l2_ipa, r, w.fault, w.level);
}

static bool mapped(const struct shadow_s2 *s, u64 l2_ipa)
{
	unsigned level;
	u64 pa;

	return pgtable_lookup(&s->pt, l2_ipa, &level, &pa) != 0;
}

static struct shadow_s2 *get(struct fx *f, u64 vttbr, u64 vtcr)
{
	char err[128] = "";
	struct shadow_s2 *s = shadow_s2_get(&f->vm, vttbr, vtcr, err, sizeof(err));

	if (!s)
		fail_msg("shadow_s2_get: %s", err);
	return s;
}

/* --- The pool --- */

static void test_get_by_key(void **state)
{
	struct fx *f = *state;
	struct shadow_s2 *a, *b, *c, *d;
	u64 va, vb;

	build_l1(f, T(0), T(1), T(2));
	a = get(f, VTTBR(1, T(0)), VTCR_L1);
	/* The same key, CnP and the walks' cacheability aside: the same one. */
	assert_ptr_equal(get(f, VTTBR(1, T(0)) | 1, VTCR_L1 | UINT64_C(0x3f00)), a);
	assert_int_equal(a->users, 2);
	shadow_s2_put(&f->vm, a);
	/* Another VMID, another base, another VTCR: three more. */
	b = get(f, VTTBR(2, T(0)), VTCR_L1);
	c = get(f, VTTBR(1, T(8)), VTCR_L1);
	d = get(f, VTTBR(1, T(0)), VTCR_L1 | UINT64_C(1) << 16);
	assert_true(a != b && a != c && a != d && b != c && b != d && c != d);
	/* With VS clear only VMID[7:0] counts: 0x101 is VMID 1. */
	assert_ptr_equal(get(f, VTTBR(0x101, T(0)), VTCR_L1), a);
	assert_int_equal(a->l1_vmid, 1);
	/* With VS set it is VMID 0x101. */
	assert_true(get(f, VTTBR(0x101, T(0)), VTCR_L1 | VS) != a);

	/* Each its own VMID, loaded with its own root. */
	va = shadow_s2_load(&f->vm, a, 0);
	vb = shadow_s2_load(&f->vm, b, 0);
	assert_int_equal(va & GENMASK(47, 0), (u64)(uintptr_t)a->pt.root);
	assert_int_equal(vb & GENMASK(47, 0), (u64)(uintptr_t)b->pt.root);
	assert_int_not_equal(va >> 48, 0);
	assert_int_not_equal(va >> 48, vb >> 48);
	assert_int_equal(shadow_s2_load(&f->vm, a, 1), va);
	/* The VTCR_EL2 L2 runs with: 32 bits, as L1 gave, 16-bit VMIDs. */
	assert_int_equal(a->hw_vtcr, stage2_vtcr(32, &f->host));
	/* It translates. */
	map_ok(f, a, SZ_2M + 0x1234);
	assert_true(mapped(a, SZ_2M + 0x1000));
	assert_false(mapped(b, SZ_2M + 0x1000));
}

static void test_lru_recycle(void **state)
{
	struct fx *f = *state;
	struct shadow_s2 *s[SHADOW_POOL_SIZE], *n;
	unsigned tables;
	u16 vmid3;

	build_l1(f, T(0), T(1), T(2));
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++) {
		s[i] = get(f, VTTBR(i + 1, T(0)), VTCR_L1);
		shadow_s2_load(&f->vm, s[i], 0);
		map_ok(f, s[i], 0x1000);
		shadow_s2_put(&f->vm, s[i]);
	}
	/* Used again in order, but 3: 3 is the least recently used. */
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++)
		if (i != 3)
			shadow_s2_put(&f->vm, get(f, VTTBR(i + 1, T(0)), VTCR_L1));
	vmid3 = vmid_ctx_num(&s[3]->vmid);
	tables = f->sha.count - f->sha.freed;
	memset(&tlb, 0, sizeof(tlb));
	n = get(f, VTTBR(100, T(0)), VTCR_L1);
	assert_ptr_equal(n, s[3]);
	assert_int_equal(n->l1_vmid, 100);
	/* Its old VMID's entries invalidated, its tables (root, L2, L3) freed. */
	assert_int_equal(tlb.vmid, 1);
	assert_int_equal(tlb.last_vttbr >> 48, vmid3);
	assert_int_equal(f->sha.count - f->sha.freed, tables - 3 + 1);
	/* It keeps its VMID, and starts empty. */
	assert_int_equal(vmid_ctx_num(&n->vmid), vmid3);
	assert_false(mapped(n, 0x1000));
	assert_int_equal(n->nr_rmap, 0);

	/* Held shadows are never recycled: hold all, a new key finds none. */
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++)
		if (i != 3)
			get(f, VTTBR(i + 1, T(0)), VTCR_L1);
	{
		char err[128] = "";

		assert_null(shadow_s2_get(&f->vm, VTTBR(200, T(0)), VTCR_L1, err,
					  sizeof(err)));
		assert_contains(err, "in use");
	}
	/* One put: that one is recycled. */
	shadow_s2_put(&f->vm, s[5]);
	assert_ptr_equal(get(f, VTTBR(200, T(0)), VTCR_L1), s[5]);
}

/* A shadow whose tables cannot be had: NULL, and the slot stays usable. */
static void test_get_nomem(void **state)
{
	struct fx *f = *state;
	char err[128] = "";

	f->sha.fail_after = 0;
	assert_null(shadow_s2_get(&f->vm, VTTBR(1, T(0)), VTCR_L1, err,
				  sizeof(err)));
	assert_contains(err, "no memory");
	f->sha.fail_after = -1;
	get(f, VTTBR(1, T(0)), VTCR_L1);
}

/* L1's TLBIs reach the shadows of the VMID they name, and only those. */
static void test_l1_tlbi(void **state)
{
	struct fx *f = *state;
	struct shadow_s2 *a, *a2, *b;
	u64 pg = SZ_1G - SZ_2M; /* L1's level-3 pages */

	build_l1(f, T(0), T(1), T(2));
	build_l1(f, T(8), T(9), T(10));
	a = get(f, VTTBR(1, T(0)), VTCR_L1);
	a2 = get(f, VTTBR(1, T(8)), VTCR_L1); /* same L1 VMID, other tables */
	b = get(f, VTTBR(2, T(0)), VTCR_L1);
	shadow_s2_load(&f->vm, a, 0);
	shadow_s2_load(&f->vm, a2, 1);
	shadow_s2_load(&f->vm, b, 2);
	for (unsigned i = 0; i < 4; i++) {
		map_ok(f, a, pg + i * 0x1000);
		map_ok(f, a2, pg + i * 0x1000);
		map_ok(f, b, pg + i * 0x1000);
	}
	map_ok(f, a, 0x5000);
	map_ok(f, b, 0x5000);

	/* TLBI IPAS2E1IS, VMID 1, one page: a and a2 drop it, b keeps it. */
	shadow_s2_tlbi_ipa(&f->vm, 1, pg + 0x1000, 0x1000);
	assert_false(mapped(a, pg + 0x1000));
	assert_false(mapped(a2, pg + 0x1000));
	assert_true(mapped(b, pg + 0x1000));
	assert_true(mapped(a, pg));
	assert_int_equal(tlb.npages, 2);
	/* By the VMID each shadow has (a2's last), not L1's. */
	assert_int_equal(tlb.last_vttbr >> 48, vmid_ctx_num(&a2->vmid));
	assert_int_equal(tlb.last_vttbr & GENMASK(47, 0), (u64)(uintptr_t)a2->pt.root);

	/* A 2 MiB block of L1: one address drops the whole block's pages. */
	map_ok(f, a, 0x7000);
	shadow_s2_tlbi_ipa(&f->vm, 1, 0x1ff000, 0x1000);
	assert_false(mapped(a, 0x5000));
	assert_false(mapped(a, 0x7000));
	assert_true(mapped(b, 0x5000));

	/* TLBI VMALLS12E1IS, VMID 2: b emptied, a untouched. */
	memset(&tlb, 0, sizeof(tlb));
	shadow_s2_tlbi_vmid(&f->vm, 2);
	assert_false(mapped(b, pg));
	assert_false(mapped(b, 0x5000));
	assert_true(mapped(a, pg));
	assert_int_equal(tlb.vmid, 1);
	assert_int_equal(tlb.last_vttbr >> 48, vmid_ctx_num(&b->vmid));

	/* L0 unmaps L1 RAM under a page: every shadow mapping it drops it. */
	map_ok(f, b, pg + 0x2000);
	shadow_s2_l1_unmapped(&f->vm, L1_RAM + 0x102000, 0x1000);
	assert_false(mapped(a, pg + 0x2000));
	assert_false(mapped(a2, pg + 0x2000));
	assert_false(mapped(b, pg + 0x2000));
	assert_true(mapped(a, pg + 0x3000));

	/* TLBI ALLE1IS: everything. */
	shadow_s2_tlbi_all(&f->vm);
	assert_false(mapped(a, pg + 0x3000));
	assert_false(mapped(a2, pg));
	assert_int_equal(a->nr_rmap + a2->nr_rmap + b->nr_rmap, 0);
	/* They stay, keyed as before, and fill again. */
	assert_ptr_equal(get(f, VTTBR(1, T(8)), VTCR_L1), a2);
	map_ok(f, a2, pg);
}

/* A reserved VTCR_EL2: a shadow all the same, faulting at level 0. */
static void test_bad_vtcr_level0(void **state)
{
	struct fx *f = *state;
	struct s2_walk_result w;
	struct shadow_s2 *s;
	u64 l1_ipa;

	build_l1(f, T(0), T(1), T(2));
	/* SL0 2 (level 0) for a 32-bit IPA: inconsistent. */
	s = get(f, VTTBR(1, T(0)), (VTCR_L1 & ~UINT64_C(0xc0)) | UINT64_C(2) << 6);
	assert_false(s->cfg.valid);
	assert_int_equal(fault(f, s, 0x1000, false, &w, &l1_ipa), SHADOW_L1_FAULT);
	assert_int_equal(w.fault, S2_FAULT_TRANSLATION);
	assert_int_equal(w.level, 0);
	assert_false(mapped(s, 0x1000));
}

/*
 * Teardown of a populated pool: every table given back, each VMID
 * invalidated, in time that follows the tables, well under a second.
 */
static void test_destroy_populated(void **state)
{
	struct fx *f = *state;
	struct timespec t0, t1;
	double secs;

	build_l1(f, T(0), T(1), T(2));
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++) {
		struct shadow_s2 *s = get(f, VTTBR(i + 1, T(0)), VTCR_L1);

		shadow_s2_load(&f->vm, s, i % 2);
		/* 512 pages over 4 x 2 MiB of L1 blocks, 6 tables each. */
		for (u64 a = 0; a < 4 * SZ_2M; a += 4 * 0x1000)
			map_ok(f, s, a);
		shadow_s2_put(&f->vm, s);
	}
	memset(&tlb, 0, sizeof(tlb));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	shadow_pool_destroy(&f->vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 0.1);
	assert_int_equal(f->sha.count, f->sha.freed);
	assert_int_equal(tlb.vmid, SHADOW_POOL_SIZE);
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++) {
		assert_false(f->pool.s[i].live);
		assert_int_equal(vmid_ctx_num(&f->pool.s[i].vmid), 0);
	}
	/* Twice is harmless. */
	shadow_pool_destroy(&f->vm);
	assert_int_equal(f->sha.count, f->sha.freed);
}

/* --- What L1 is told --- */

#define DABT_ESR(iss) ((u64)EC_DABT_LOW << 26 | ESR_IL | (iss))
#define IABT_ESR(iss) ((u64)EC_IABT_LOW << 26 | ESR_IL | (iss))

static void test_l1_abort_data(void **state)
{
	struct shadow_l1_abort out;
	struct s2_walk_result w = { .fault = S2_FAULT_TRANSLATION, .level = 2 };
	/* A 4-byte store of w3 (ISV, SAS 2, SRT 3, WnR), a translation fault
	 * at level 3 in the exit, VNCR and FnV set to show they are cleared. */
	u64 esr = DABT_ESR(DABT_ISV | UINT64_C(2) << 22 | UINT64_C(3) << 16 |
			   DABT_WNR | DABT_VNCR | DABT_FNV | DABT_EA | 0x07);
	static const struct {
		enum s2_fault fault;
		unsigned level;
		u64 dfsc;
	} kinds[] = {
		{ S2_FAULT_ACCESS_FLAG, 3, 0x0b },
		{ S2_FAULT_ADDRESS_SIZE, 0, 0x00 },
		{ S2_FAULT_EXTERNAL, 1, 0x15 },
	};

	(void)state;
	assert_true(shadow_s2_l1_abort(esr, 0xffff000012345678, 0x87654321,
				       SHADOW_L1_FAULT, &w, &out));
	assert_int_equal(out.esr, DABT_ESR(DABT_ISV | UINT64_C(2) << 22 |
					   UINT64_C(3) << 16 | DABT_WNR | 0x06));
	assert_int_equal(out.far, 0xffff000012345678);
	/* HPFAR_EL2.FIPA [47:4]: IPA[55:12]. */
	assert_int_equal(out.hpfar, UINT64_C(0x87654) << 4);

	/* Each fault kind with its level. */
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++) {
		w.fault = kinds[i].fault;
		w.level = kinds[i].level;
		assert_true(shadow_s2_l1_abort(esr, 0, 0, SHADOW_L1_FAULT, &w, &out));
		assert_int_equal(out.esr & DABT_DFSC, kinds[i].dfsc);
	}
	/* A permission fault at the leaf's level, with its HPFAR. */
	w.fault = S2_OK;
	w.level = 2;
	assert_true(shadow_s2_l1_abort(esr, 0, 0x1ff5000, SHADOW_L1_PERM, &w, &out));
	assert_int_equal(out.esr & DABT_DFSC, 0x0e);
	assert_int_equal(out.hpfar, UINT64_C(0x1ff5) << 4);

	/* On L2's stage-1 walk: S1PTW and CM kept, no instruction syndrome. */
	esr = DABT_ESR(DABT_S1PTW | DABT_CM | 0x05);
	w.fault = S2_FAULT_TRANSLATION;
	w.level = 1;
	assert_true(shadow_s2_l1_abort(esr, 0x1000, 0x2000, SHADOW_L1_FAULT, &w, &out));
	assert_int_equal(out.esr, DABT_ESR(DABT_S1PTW | DABT_CM | 0x05));

	/* The VM's own stage 2 or a mapped page: not L1's. */
	assert_false(shadow_s2_l1_abort(esr, 0, 0, SHADOW_L0_FAULT, &w, &out));
	assert_false(shadow_s2_l1_abort(esr, 0, 0, SHADOW_MAPPED, &w, &out));
	assert_false(shadow_s2_l1_abort(esr, 0, 0, SHADOW_NOMEM, &w, &out));
}

static void test_l1_abort_instruction(void **state)
{
	struct shadow_l1_abort out;
	struct s2_walk_result w = { .fault = S2_OK, .level = 3 };
	/* An instruction abort with bits only data aborts define set. */
	u64 esr = IABT_ESR(DABT_FNV | DABT_EA | DABT_WNR | DABT_ISV | 0x0f);

	(void)state;
	assert_true(shadow_s2_l1_abort(esr, 0x400000, 0x80001000, SHADOW_L1_PERM,
				       &w, &out));
	assert_int_equal(out.esr, IABT_ESR(0x0f));
	assert_int_equal(out.far, 0x400000);
	assert_int_equal(out.hpfar, UINT64_C(0x80001) << 4);
	w.fault = S2_FAULT_TRANSLATION;
	w.level = 0;
	esr = IABT_ESR(DABT_S1PTW | 0x04);
	assert_true(shadow_s2_l1_abort(esr, 0, 0, SHADOW_L1_FAULT, &w, &out));
	assert_int_equal(out.esr, IABT_ESR(DABT_S1PTW | 0x04));
	/* A 16-bit instruction (IL 0) stays so. */
	esr &= ~ESR_IL;
	assert_true(shadow_s2_l1_abort(esr, 0, 0, SHADOW_L1_FAULT, &w, &out));
	assert_int_equal(out.esr & ESR_IL, 0);
}

/* --- A malicious L1 --- */

/*
 * Every page the shadow maps must lie inside what the VM's stage 2 maps
 * (the host buffer standing for L1's RAM), at l0's translation of some
 * L1 IPA of that RAM.
 */
static void check_contained(const struct fx *f, const struct shadow_s2 *s)
{
	u64 lo = (u64)(uintptr_t)f->l1mem, hi = lo + L1_RAM_SIZE;

	for (unsigned i = 0; i < s->nr_rmap; i++) {
		unsigned level;
		u64 pa;

		assert_true(pgtable_lookup(&s->pt, s->rmap[i].l2_page, &level, &pa));
		if (pa < lo || pa >= hi)
			fail_msg("L2 page %#llx maps PA %#llx, outside L1's RAM",
				 (unsigned long long)s->rmap[i].l2_page,
				 (unsigned long long)pa);
		assert_true(s->rmap[i].l1_page >= L1_RAM &&
			    s->rmap[i].l1_page < L1_RAM + L1_RAM_SIZE);
		assert_int_equal(pa, host_pa(f, s->rmap[i].l1_page));
	}
}

static void test_malicious_tables(void **state)
{
	struct fx *f = *state;
	struct s2_walk_result w;
	struct shadow_s2 *s;
	u64 l1_ipa;
	u64 root = T(0), l2 = T(1), l3 = T(2);

	wr(f, root, l2 | D_TABLE);
	/* L2 block 0: onto L1 MMIO (not RAM): L0's fault, never mapped. */
	wr(f, l2 + 0 * 8, L1_MMIO | A_RW | D_BLOCK);
	/* Block 1: a host address, as if L1 knew where its RAM really is. */
	wr(f, l2 + 1 * 8, (host_pa(f, L1_RAM) & ~(SZ_2M - 1)) | A_RW | D_BLOCK);
	/* Block 2: just past the end of L1 RAM. */
	wr(f, l2 + 2 * 8, (L1_RAM + L1_RAM_SIZE) | A_RW | D_BLOCK);
	/* Entry 3: the level-2 table points at itself (a loop). */
	wr(f, l2 + 3 * 8, l2 | D_TABLE);
	/* Entry 4: a table at an L1 IPA that is not RAM. */
	wr(f, l2 + 4 * 8, L1_MMIO | D_TABLE);
	/* Entry 5: a table beyond L1's 44-bit PARange. */
	wr(f, l2 + 5 * 8, (UINT64_C(1) << 45) | D_TABLE);
	/* Entry 6: a level-3 table with garbage and reserved encodings. */
	wr(f, l2 + 6 * 8, l3 | D_TABLE);
	wr(f, l3 + 0 * 8, ~UINT64_C(0));                    /* all ones */
	wr(f, l3 + 1 * 8, (L1_RAM + 0x3000) | A_RW | D_BLOCK); /* bit 1 clear */
	wr(f, l3 + 2 * 8, UINT64_C(0x5a5a5a5a5a5a5a5a));
	wr(f, l3 + 3 * 8, (L1_RAM + 0x4000) | A_RW | D_PAGE |
			  UINT64_C(0xfff0) << 48);          /* high bits set */
	wr(f, l3 + 4 * 8, (L1_RAM + 0x5000) | (A_RW & ~AF) | D_PAGE);
	/* Entry 7: a level-2 table whose entries are RAM: L1's own tables. */
	wr(f, l2 + 7 * 8, root | D_BLOCK);
	/* Level-1 root entry 1: a 1 GiB block at L1 IPA 0 (RAM at 1 GiB...). */
	wr(f, root + 8, UINT64_C(0) | A_RW | D_BLOCK);
	/* Level-1 root entry 2: a block at L1 RAM (1 GiB aligned: 0x40000000). */
	wr(f, root + 16, L1_RAM | A_RW | D_BLOCK);

	s = get(f, VTTBR(9, root), VTCR_L1);
	assert_int_equal(fault(f, s, 0x1000, false, &w, &l1_ipa), SHADOW_L0_FAULT);
	assert_int_equal(l1_ipa, L1_MMIO + 0x1000);
	/* The host address is no L1 IPA of RAM: beyond 40 bits, or a hole. */
	assert_int_not_equal(fault(f, s, SZ_2M + 0x10, true, &w, &l1_ipa), SHADOW_MAPPED);
	assert_int_equal(fault(f, s, 2 * SZ_2M, false, &w, &l1_ipa), SHADOW_L0_FAULT);
	/* The loop: level 2 read twice at most, then a level-3 "page". */
	assert_int_not_equal(fault(f, s, 3 * SZ_2M + 0x1000, false, &w, &l1_ipa),
			     SHADOW_NOMEM);
	/* An unreadable table: a table-walk external abort for L1. */
	assert_int_equal(fault(f, s, 4 * SZ_2M, false, &w, &l1_ipa), SHADOW_L1_FAULT);
	assert_int_equal(w.fault, S2_FAULT_EXTERNAL);
	assert_int_equal(w.level, 3);
	assert_int_equal(fault(f, s, 5 * SZ_2M, false, &w, &l1_ipa), SHADOW_L1_FAULT);
	assert_int_equal(w.fault, S2_FAULT_ADDRESS_SIZE);
	assert_int_equal(w.level, 2);
	/* Garbage descriptors: whatever they say, nothing outside. */
	for (unsigned i = 0; i < 5; i++)
		fault(f, s, 6 * SZ_2M + i * 0x1000, false, &w, &l1_ipa);
	assert_int_equal(fault(f, s, 6 * SZ_2M + 0x1000, false, &w, &l1_ipa),
			 SHADOW_L1_FAULT);
	fault(f, s, 7 * SZ_2M, true, &w, &l1_ipa);
	/* 1 GiB blocks: onto IPA 0 (not RAM), onto RAM (mapped, inside). */
	assert_int_equal(fault(f, s, SZ_1G + 0x2000, false, &w, &l1_ipa),
			 SHADOW_L0_FAULT);
	map_ok(f, s, 2 * SZ_1G + 0x3000);
	assert_int_equal(fault(f, s, 2 * SZ_1G + L1_RAM_SIZE, false, &w, &l1_ipa),
			 SHADOW_L0_FAULT);
	check_contained(f, s);
	/* Every L2 page of the 4 GiB space: still nothing outside. */
	for (u64 a = 0; a < (UINT64_C(1) << 32); a += SZ_2M + 0x1000)
		fault(f, s, a, (a >> 21) & 1, &w, &l1_ipa);
	check_contained(f, s);
	assert_true(s->nr_rmap > 0);
}

/* L1 rewrites its tables between faults: still nothing outside. */
static void test_malicious_rewrites(void **state)
{
	struct fx *f = *state;
	struct s2_walk_result w;
	struct shadow_s2 *s;
	u64 l1_ipa, seed = 0x9e3779b97f4a7c15;
	unsigned mapped = 0;

	build_l1(f, T(0), T(1), T(2));
	s = get(f, VTTBR(3, T(0)), VTCR_L1);
	for (unsigned round = 0; round < 2000; round++) {
		/* A random descriptor somewhere in L1's first 64 KiB of tables. */
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		wr(f, T(0) + ((seed >> 20) & 0xfff8), seed ^ (seed << 29));
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		if (fault(f, s, (seed >> 16) & (SZ_1G - 1) & ~UINT64_C(0xfff),
			  seed & 1, &w, &l1_ipa) == SHADOW_MAPPED)
			mapped++;
		if (round % 100 == 0)
			check_contained(f, s);
	}
	check_contained(f, s);
	/* Pages were mapped: the checks above had something to check. */
	assert_true(mapped > 0);
	assert_true(s->nr_rmap > 0);
}

int main(void)
{
#define U(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		U(test_get_by_key),
		U(test_lru_recycle),
		U(test_get_nomem),
		U(test_l1_tlbi),
		U(test_bad_vtcr_level0),
		U(test_destroy_populated),
		cmocka_unit_test(test_l1_abort_data),
		cmocka_unit_test(test_l1_abort_instruction),
		U(test_malicious_tables),
		U(test_malicious_rewrites),
	};
#undef U

	return cmocka_run_group_tests_name("shadow_pool", tests, NULL, NULL);
}
