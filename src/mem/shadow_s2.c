/* Shadow stage 2: L1's stage 2 composed with the VM's, filled on faults. */
#include <string.h>
#include <nv/bits.h>
#include <nv/fmt.h>
#include <nv/shadow_s2.h>

#define SH_NON 0u
#define SH_OUTER 2u
#define SH_INNER 3u

bool shadow_s2_init(struct shadow_s2 *s, u64 vtcr, u64 vttbr,
		    const struct pgtable_mm *mm, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (!s2_walk_cfg(vtcr, vttbr, &s->cfg, err, errlen))
		return false;
	s->vtcr = vtcr;
	s->vttbr = vttbr;
	/* The shadow maps L2 IPAs: as many bits as L1 gives L2, 4 KiB pages. */
	if (!pgtable_init(&s->pt, MAX(s->cfg.ia_bits, 25u), mm)) {
		nv_snprintf(err, errlen, "no memory for the shadow stage-2 tables");
		return false;
	}
	return true;
}

/*
 * Stage-2 MemAttr[3:0] (FEAT_S2FWB off): 0b00dd is Device (dd: nGnRnE,
 * nGnRE, nGRE, GRE, from strongest), else Normal with outer [3:2] and
 * inner [1:0] each NC (01) < WT (10) < WB (11). The stronger of the two
 * wins: Device over Normal, the stronger Device, the weaker cacheability.
 */
static unsigned merge_memattr(unsigned a, unsigned b)
{
	bool dev_a = (a >> 2) == 0, dev_b = (b >> 2) == 0;

	if (dev_a || dev_b) {
		if (dev_a && dev_b)
			return MIN(a, b);
		return dev_a ? a : b;
	}
	return MIN(a >> 2, b >> 2) << 2 | MIN(a & 3, b & 3);
}

/* Outer Shareable beats Inner Shareable beats Non-shareable. */
static unsigned merge_sh(unsigned a, unsigned b)
{
	if (a == SH_OUTER || b == SH_OUTER)
		return SH_OUTER;
	if (a == SH_INNER || b == SH_INNER)
		return SH_INNER;
	return SH_NON;
}

/*
 * Stage-2 XN[1:0] with FEAT_XNX (Arm ARM D8.4, stage 2 instruction access
 * permissions; pseudocode AArch64.S2CheckPermission): 0b00 EL1 and EL0 may
 * execute, 0b01 EL0 only, 0b10 neither, 0b11 EL1 only. Without FEAT_XNX
 * only XN[1] is defined, and 0b00/0b10 mean the same. Kept as the set of
 * ELs that may not execute, since ORing the encodings is wrong: 0b01 (no
 * EL1) with 0b11 (no EL0) must give 0b10 (neither), not 0b11.
 */
#define NX_EL1 1u
#define NX_EL0 2u

static unsigned xn_barred(u64 desc)
{
	static const unsigned barred[4] = { 0, NX_EL1, NX_EL1 | NX_EL0, NX_EL0 };

	return barred[field_get(PTE_S2_XN_MASK, desc)];
}

static u64 xn_encode(unsigned barred)
{
	static const u64 xn[4] = { 0, 1, 3, 2 }; /* none, EL1, EL0, both */

	return field_prep(PTE_S2_XN_MASK, xn[barred & 3]);
}

u64 shadow_s2_merge_attrs(u64 l1, u64 l0)
{
	u64 ap = (l1 & l0) & (PTE_S2_S2AP_R | PTE_S2_S2AP_W);
	u64 xn = xn_encode(xn_barred(l1) | xn_barred(l0));
	unsigned mem = merge_memattr((unsigned)field_get(PTE_S2_MEMATTR_MASK, l1),
				     (unsigned)field_get(PTE_S2_MEMATTR_MASK, l0));
	unsigned sh = merge_sh((unsigned)field_get(PTE_SH_MASK, l1),
			       (unsigned)field_get(PTE_SH_MASK, l0));

	return ap | xn | field_prep(PTE_S2_MEMATTR_MASK, mem) | field_prep(PTE_SH_MASK, sh);
}

/*
 * A stage-2 leaf allows the access (pseudocode AArch64.S2CheckPermission):
 * an instruction fetch needs only XN for its EL, a write S2AP.W, a read
 * S2AP.R.
 */
static bool s2_allows(u64 desc, const struct shadow_access *a)
{
	if (a->exec)
		return !(xn_barred(desc) & (a->el0 ? NX_EL0 : NX_EL1));
	if (a->write)
		return desc & PTE_S2_S2AP_W;
	return desc & PTE_S2_S2AP_R;
}

/*
 * Records the page, or updates its entry (slot from rmap_find, or -1).
 * Without overflow every shadow page has exactly one entry.
 */
static void rmap_set(struct shadow_s2 *s, int slot, u64 l1_page, u64 l2_page,
		     unsigned l1_shift)
{
	struct shadow_rmap *r;

	if (slot < 0) {
		if (s->nr_rmap >= SHADOW_RMAP_MAX) {
			s->rmap_overflow = true;
			return;
		}
		slot = (int)s->nr_rmap++;
	}
	r = &s->rmap[slot];
	r->l1_page = l1_page;
	r->l2_page = l2_page;
	r->l1_shift = l1_shift;
}

static int rmap_find(const struct shadow_s2 *s, u64 l2_page)
{
	for (unsigned i = 0; i < s->nr_rmap; i++)
		if (s->rmap[i].l2_page == l2_page)
			return (int)i;
	return -1;
}

static void rmap_del(struct shadow_s2 *s, unsigned i)
{
	s->rmap[i] = s->rmap[--s->nr_rmap];
}

enum shadow_result shadow_s2_fault(struct shadow_s2 *s,
				   const struct shadow_access *a,
				   const struct pgtable *l0, s2_read_fn rd,
				   void *ctx, struct s2_walk_result *l1,
				   u64 *l1_ipa)
{
	u64 l2_page = ALIGN_DOWN(a->l2_ipa, PAGE_SIZE), l1_page, l0_desc, attrs;
	u64 pa;
	unsigned level, removed;
	int slot;
	enum pgt_err e;

	s2_walk(&s->cfg, a->l2_ipa, rd, ctx, l1);
	if (l1->fault != S2_OK)
		return SHADOW_L1_FAULT;
	*l1_ipa = l1->oa;
	if (!s2_allows(l1->desc, a))
		return SHADOW_L1_PERM;
	l1_page = ALIGN_DOWN(l1->oa, PAGE_SIZE);
	l0_desc = pgtable_lookup(l0, l1_page, &level, &pa);
	if (!l0_desc)
		return SHADOW_L1_MMIO;
	attrs = shadow_s2_merge_attrs(l1->desc, l0_desc);
	/*
	 * L1 allows it but the VM's own stage 2 does not: a shadow page with
	 * these attributes would fault again at once, forever. nestvisor
	 * handles it as L1's own access.
	 */
	if (!s2_allows(attrs, a))
		return SHADOW_L1_MMIO;
	/* A page already there (a permission upgrade, a racing fault): replace it. */
	pgtable_unmap(&s->pt, l2_page, PAGE_SIZE, &removed);
	slot = removed ? rmap_find(s, l2_page) : -1;
	e = pgtable_map(&s->pt, l2_page, ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE,
			attrs);
	if (e != PGT_OK) {
		if (slot >= 0)
			rmap_del(s, (unsigned)slot);
		return e == PGT_ENOMEM ? SHADOW_NOMEM : SHADOW_L1_FAULT;
	}
	rmap_set(s, slot, l1_page, l2_page,
		 (unsigned)__builtin_ctzll(l1->block_size));
	return SHADOW_MAPPED;
}

/*
 * [addr, addr + size) as the pages [*first, *last], saturating at 2^64
 * rather than wrapping. False when empty.
 */
static bool page_span(u64 addr, u64 size, u64 *first, u64 *last)
{
	if (!size)
		return false;
	*first = ALIGN_DOWN(addr, PAGE_SIZE);
	*last = ALIGN_DOWN(size - 1 > ~(u64)0 - addr ? ~(u64)0 : addr + size - 1,
			   PAGE_SIZE);
	return true;
}

void shadow_s2_unmap_all(struct shadow_s2 *s)
{
	if (s->rmap_overflow) {
		/* The tables' walk covers only what is mapped. */
		pgtable_unmap(&s->pt, 0, UINT64_C(1) << s->pt.ia_bits, NULL);
	} else {
		for (unsigned i = 0; i < s->nr_rmap; i++)
			pgtable_unmap(&s->pt, s->rmap[i].l2_page, PAGE_SIZE, NULL);
	}
	s->nr_rmap = 0;
	s->rmap_overflow = false;
}

void shadow_s2_unmap_l1(struct shadow_s2 *s, u64 l1_ipa, u64 size)
{
	u64 first, last;

	if (!page_span(l1_ipa, size, &first, &last))
		return;
	if (s->rmap_overflow) {
		/* Which L2 pages map these L1 pages is no longer all known. */
		shadow_s2_unmap_all(s);
		return;
	}
	for (unsigned i = 0; i < s->nr_rmap;) {
		if (s->rmap[i].l1_page >= first && s->rmap[i].l1_page <= last) {
			pgtable_unmap(&s->pt, s->rmap[i].l2_page, PAGE_SIZE, NULL);
			rmap_del(s, i);
		} else {
			i++;
		}
	}
}

/* log2 of L1's largest leaf: a level-1 block with 4 KiB pages, else level 2. */
static unsigned max_leaf_shift(unsigned granule_shift)
{
	return granule_shift == 12 ? 30 : 2 * granule_shift - 3;
}

void shadow_s2_unmap_l2(struct shadow_s2 *s, u64 l2_ipa, u64 size)
{
	u64 first, last, limit = UINT64_C(1) << s->pt.ia_bits;

	if (!page_span(l2_ipa, size, &first, &last) || first >= limit)
		return;
	if (s->rmap_overflow) {
		/*
		 * Pages the reverse map missed may come from any L1 leaf
		 * overlapping the range: widen it to the largest leaf L1 can
		 * have; the tables' walk below finds what is mapped there.
		 */
		u64 max = UINT64_C(1) << max_leaf_shift(s->cfg.granule_shift);

		first = ALIGN_DOWN(first, max);
		last = ALIGN_DOWN(last, max) + (max - PAGE_SIZE);
	}
	last = MIN(last, limit - PAGE_SIZE);
	/*
	 * Cost follows what is mapped: walk the reverse map, not the range.
	 * A page goes when the L1 leaf it was made from overlaps the range:
	 * L1's TLBI of one address in a block invalidates the whole block.
	 */
	for (unsigned i = 0; i < s->nr_rmap;) {
		u64 leaf = UINT64_C(1) << s->rmap[i].l1_shift;
		u64 leaf_first = ALIGN_DOWN(s->rmap[i].l2_page, leaf);

		if (leaf_first <= last && leaf_first + (leaf - PAGE_SIZE) >= first) {
			pgtable_unmap(&s->pt, s->rmap[i].l2_page, PAGE_SIZE, NULL);
			rmap_del(s, i);
		} else {
			i++;
		}
	}
	if (s->rmap_overflow)
		pgtable_unmap(&s->pt, first, last - first + PAGE_SIZE, NULL);
}
