/*
 * The shadow stage 2 (src/mem/shadow_s2.c) driven by random guest tables
 * and a random sequence of L2 faults and invalidations. The input is L1's
 * VTCR_EL2 and VTTBR_EL2, an operation count, the operations (a kind and
 * two values each), then L1's memory (s2_mem.h). The VM's own stage 2
 * ("l0") is fixed: L1 RAM at [0, 256 MiB) in 2 MiB blocks, a read-only
 * and a Device range after it, the rest not RAM. Shadow tables come from
 * a small pool that runs out (SHADOW_NOMEM).
 *
 * Checks: a page the shadow maps translates to where l0 puts L1's output
 * address (never outside what l0 maps, whatever L1's tables say), with
 * the permission the access needed; the reverse map stays in bounds;
 * every page the harness saw mapped is gone after an invalidation that
 * covers it, by L1 IPA, by L2 IPA or all at once, and its TLB entries
 * were invalidated (by page, while unmapped, or by VMID); a VTCR_EL2 the
 * walk refuses faults every access at level 0.
 */
#include <stdalign.h>
#include <nv/shadow_s2.h>
#include "s2_mem.h"

#define L0_RAM_SIZE (128 * SZ_2M)
#define L0_RO UINT64_C(0x10000000)  /* 2 MiB read-only */
#define L0_DEV UINT64_C(0x10200000) /* 2 MiB Device, XN */
#define L0_PA_OFFSET UINT64_C(0x1000000000)
#define POOL_PAGES 48
#define MAX_OPS 24
#define TRACKED 32

static alignas(4096) u8 pool[POOL_PAGES][4096];
static unsigned pool_used;

static void *pool_alloc(void *ctx)
{
	(void)ctx;
	if (pool_used >= POOL_PAGES)
		return NULL;
	memset(pool[pool_used], 0, sizeof(pool[0]));
	return pool[pool_used++];
}

static void *l0_alloc(void *ctx)
{
	void *p = aligned_alloc(4096, 4096);

	(void)ctx;
	memset(p, 0, 4096);
	return p;
}

static const struct pgtable_mm pool_mm = { pool_alloc, NULL };
static const struct pgtable_mm l0_mm = { l0_alloc, NULL };
static struct pgtable l0;
static struct shadow_s2 sh;

/* TLB maintenance: a page invalidated must be unmapped already (BBM). */
static unsigned tlbi_pages, tlbi_vmids;

static void tlb_ipas(void *ctx, u64 vttbr, const u64 *pages, unsigned n)
{
	(void)ctx;
	FUZZ_CHECK(vttbr >> 48 == 7);
	FUZZ_CHECK(n >= 1 && n <= 16);
	for (unsigned i = 0; i < n; i++) {
		unsigned level;
		u64 pa;

		FUZZ_CHECK(!pgtable_lookup(&sh.pt, pages[i], &level, &pa));
	}
	tlbi_pages += n;
}

static void tlb_vmid(void *ctx, u64 vttbr)
{
	(void)ctx;
	FUZZ_CHECK(vttbr >> 48 == 7);
	tlbi_vmids++;
}

static const struct shadow_tlb_ops tlb_ops = { tlb_ipas, tlb_vmid, NULL };
static const struct shadow_env env = {
	.mm = &pool_mm, .tlb = &tlb_ops, .l1_pa_bits = 44,
};

/* Where l0 puts an L1 IPA (only called for IPAs l0 maps). */
static u64 l0_pa(u64 l1_ipa)
{
	return l1_ipa + L0_PA_OFFSET;
}

static void l0_build(void)
{
	const u64 ram = PTE_S2_MEMATTR(PTE_S2_MEMATTR_NORMAL_WB) | PTE_S2_S2AP_R |
			PTE_S2_S2AP_W | PTE_SH_INNER;

	FUZZ_CHECK(pgtable_init(&l0, 40, &l0_mm));
	FUZZ_CHECK(pgtable_map(&l0, 0, l0_pa(0), L0_RAM_SIZE, ram) == PGT_OK);
	FUZZ_CHECK(pgtable_map(&l0, L0_RO, l0_pa(L0_RO), SZ_2M,
			       ram & ~PTE_S2_S2AP_W) == PGT_OK);
	FUZZ_CHECK(pgtable_map(&l0, L0_DEV, l0_pa(L0_DEV), SZ_2M,
			       PTE_S2_MEMATTR(PTE_S2_MEMATTR_DEVICE_nGnRE) |
				       PTE_S2_S2AP_R | PTE_S2_S2AP_W | PTE_S2_XN) == PGT_OK);
}

/* L2 pages the harness saw mapped, with the L1 page each came from. */
static struct {
	u64 l2, l1;
} seen[TRACKED];
static unsigned nseen;

static void see(u64 l2, u64 l1)
{
	for (unsigned i = 0; i < nseen; i++)
		if (seen[i].l2 == l2) {
			seen[i].l1 = l1;
			return;
		}
	if (nseen < TRACKED)
		seen[nseen++] = (typeof(seen[0])){ l2, l1 };
}

static void unsee(u64 l2)
{
	for (unsigned i = 0; i < nseen; i++)
		if (seen[i].l2 == l2) {
			seen[i] = seen[--nseen];
			return;
		}
}

static bool in_span(u64 x, u64 base, u64 size)
{
	u64 first = base & ~(PAGE_SIZE - 1);

	return size && x >= first && x - first <= size - 1 + (base - first);
}

/*
 * Pages inside the invalidated span must be gone. Any page gone (those
 * of an L1 leaf that overlaps the span go too) was invalidated in the
 * TLB: some TLBI since the operation began. Gone pages leave the list.
 */
static void check_gone(bool by_l1, u64 base, u64 size, bool all,
		       unsigned tlbis_before)
{
	for (unsigned i = 0; i < nseen;) {
		u64 key = by_l1 ? seen[i].l1 : seen[i].l2;
		unsigned level;
		u64 pa;
		bool gone = !pgtable_lookup(&sh.pt, seen[i].l2, &level, &pa);

		if (all || in_span(key, base, size))
			FUZZ_CHECK(gone);
		if (gone) {
			FUZZ_CHECK(tlbi_pages + tlbi_vmids > tlbis_before);
			seen[i] = seen[--nseen];
		} else {
			i++;
		}
	}
}

static void fault(struct s2_mem *mem, u64 ipa, u64 flags)
{
	struct shadow_access a = {
		.l2_ipa = ipa,
		.write = flags & 1,
		.exec = (flags & 2) != 0,
		.el0 = (flags & 4) != 0,
	};
	struct s2_walk_result l1;
	u64 l1_ipa = ~(u64)0, pa, desc;
	unsigned level;
	enum shadow_result r;

	mem->reads = 0;
	r = shadow_s2_fault(&sh, &a, &l0, s2_mem_read, mem, &l1, &l1_ipa);
	FUZZ_CHECK(r <= SHADOW_NOMEM);
	FUZZ_CHECK(sh.nr_rmap <= SHADOW_RMAP_MAX);
	FUZZ_CHECK(l1.fault == S2_OK || r == SHADOW_L1_FAULT);
	if (!sh.cfg.valid)
		FUZZ_CHECK(r == SHADOW_L1_FAULT && l1.level == 0 && !mem->reads);
	if (r != SHADOW_MAPPED) {
		/*
		 * A replacement that could not be mapped (no memory) left the
		 * page unmapped, invalidated then (tlb_ipas checked it).
		 */
		if (!pgtable_lookup(&sh.pt, ipa & ~(PAGE_SIZE - 1), &level, &pa))
			unsee(ipa & ~(PAGE_SIZE - 1));
		return;
	}
	FUZZ_CHECK(l1.fault == S2_OK && l1_ipa == l1.oa);
	FUZZ_CHECK(l1_ipa < L0_DEV + SZ_2M);
	desc = pgtable_lookup(&sh.pt, ipa & ~(PAGE_SIZE - 1), &level, &pa);
	FUZZ_CHECK(desc && level == 3);
	FUZZ_CHECK(pa == l0_pa(l1_ipa & ~(PAGE_SIZE - 1)));
	if (!a.exec)
		FUZZ_CHECK(desc & (a.write ? PTE_S2_S2AP_W : PTE_S2_S2AP_R));
	see(ipa & ~(PAGE_SIZE - 1), l1_ipa & ~(PAGE_SIZE - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u64 vtcr = fuzz_u64(&in), vttbr = fuzz_u64(&in);
	unsigned nops = fuzz_u8(&in) % (MAX_OPS + 1);
	struct {
		u8 kind;
		u64 a, b;
	} ops[MAX_OPS];
	struct s2_mem mem;
	u8 spare[8];
	char err[128];

	fuzz_quiet_console();
	if (!l0.root)
		l0_build();
	for (unsigned i = 0; i < nops; i++) {
		ops[i].kind = fuzz_u8(&in);
		ops[i].a = fuzz_u64(&in);
		ops[i].b = fuzz_u64(&in);
	}
	s2_mem_init(&mem, &in, spare);
	pool_used = 0;
	nseen = 0;
	/* The root always fits in the pool. */
	FUZZ_CHECK(shadow_s2_init(&sh, vtcr, vttbr, &env, err, sizeof(err)));
	FUZZ_CHECK(sh.cfg.valid || (err[0] && fuzz_terminated(err, sizeof(err))));
	/* As if loaded with VMID 7: replacements and unmaps issue TLBIs. */
	sh.vmid.id = UINT64_C(1) << VMID_GEN_SHIFT | 7;
	for (unsigned i = 0; i < nops; i++) {
		u64 a = ops[i].a, b = ops[i].b;
		unsigned before = tlbi_pages + tlbi_vmids;

		switch (ops[i].kind % 8) {
		default: /* faults are most of the work: kinds 0-4 */
			/* Mostly inside L1's input range, sometimes anywhere. */
			if (!(ops[i].kind & 0x80))
				a &= (UINT64_C(1) << sh.cfg.ia_bits) - 1;
			fault(&mem, a, b);
			break;
		case 5:
			b %= 4 * SZ_2M;
			shadow_s2_unmap_l1(&sh, a % (L0_DEV + SZ_2M), b);
			check_gone(true, a % (L0_DEV + SZ_2M), b, false, before);
			break;
		case 6:
			a &= (UINT64_C(1) << sh.cfg.ia_bits) - 1;
			b %= 4 * SZ_2M;
			shadow_s2_unmap_l2(&sh, a, b);
			check_gone(false, a, b, false, before);
			break;
		case 7:
			shadow_s2_unmap_all(&sh);
			FUZZ_CHECK(!sh.nr_rmap && !sh.rmap_overflow);
			check_gone(false, 0, 0, true, before);
			break;
		}
	}
	return 0;
}
