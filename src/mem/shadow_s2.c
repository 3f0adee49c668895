/* Shadow stage 2: L1's stage 2 composed with the VM's, filled on faults. */
#include <string.h>
#include <nv/bits.h>
#include <nv/fmt.h>
#include <nv/shadow_s2.h>

#define S2_MEMATTR GENMASK(5, 2)
#define S2_AP_R BIT(6)
#define S2_AP_W BIT(7)
#define S2_SH GENMASK(9, 8)
#define S2_XN BIT(54)
#define S2_XN_MASK GENMASK(54, 53)

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

u64 shadow_s2_merge_attrs(u64 l1, u64 l0)
{
	u64 ap = (l1 & l0) & (S2_AP_R | S2_AP_W);
	u64 xn = (l1 | l0) & S2_XN_MASK;
	unsigned mem = merge_memattr((unsigned)field_get(S2_MEMATTR, l1),
				     (unsigned)field_get(S2_MEMATTR, l0));
	unsigned sh = merge_sh((unsigned)field_get(S2_SH, l1),
			       (unsigned)field_get(S2_SH, l0));

	return ap | xn | field_prep(S2_MEMATTR, mem) | field_prep(S2_SH, sh);
}

/* L1's leaf allows the access (S2AP, XN; Arm ARM D8.4.x stage-2 permissions)? */
static bool l1_allows(u64 desc, const struct shadow_access *a)
{
	if (a->write && !(desc & S2_AP_W))
		return false;
	if (!a->write && !a->exec && !(desc & S2_AP_R))
		return false;
	if (a->exec && (desc & S2_XN))
		return false;
	return true;
}

static void rmap_add(struct shadow_s2 *s, u64 l1_page, u64 l2_page)
{
	if (s->nr_rmap >= SHADOW_RMAP_MAX) {
		s->rmap_overflow = true;
		return;
	}
	s->rmap[s->nr_rmap].l1_page = l1_page;
	s->rmap[s->nr_rmap].l2_page = l2_page;
	s->nr_rmap++;
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
	u64 l2_page = ALIGN_DOWN(a->l2_ipa, PAGE_SIZE), l0_desc, pa;
	unsigned level;
	enum pgt_err e;

	s2_walk(&s->cfg, a->l2_ipa, rd, ctx, l1);
	if (l1->fault != S2_OK)
		return SHADOW_L1_FAULT;
	*l1_ipa = l1->oa;
	if (!l1_allows(l1->desc, a))
		return SHADOW_L1_PERM;
	l0_desc = pgtable_lookup(l0, ALIGN_DOWN(l1->oa, PAGE_SIZE), &level, &pa);
	if (!l0_desc)
		return SHADOW_L1_MMIO;
	/* A page already there (a permission upgrade, a racing fault): replace it. */
	pgtable_unmap(&s->pt, l2_page, PAGE_SIZE, NULL);
	e = pgtable_map(&s->pt, l2_page, ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE,
			shadow_s2_merge_attrs(l1->desc, l0_desc));
	if (e == PGT_ENOMEM)
		return SHADOW_NOMEM;
	if (e != PGT_OK)
		return SHADOW_L1_FAULT;
	rmap_add(s, ALIGN_DOWN(l1->oa, PAGE_SIZE), l2_page);
	return SHADOW_MAPPED;
}

static bool in_range(u64 page, u64 base, u64 size)
{
	return page >= base && page - base < size;
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
	u64 base = ALIGN_DOWN(l1_ipa, PAGE_SIZE);

	size = ALIGN_UP(l1_ipa + size, PAGE_SIZE) - base;
	if (s->rmap_overflow) {
		/* Which L2 pages map these L1 pages is no longer all known. */
		shadow_s2_unmap_all(s);
		return;
	}
	for (unsigned i = 0; i < s->nr_rmap;) {
		if (in_range(s->rmap[i].l1_page, base, size)) {
			pgtable_unmap(&s->pt, s->rmap[i].l2_page, PAGE_SIZE, NULL);
			rmap_del(s, i);
		} else {
			i++;
		}
	}
}

void shadow_s2_unmap_l2(struct shadow_s2 *s, u64 l2_ipa, u64 size)
{
	u64 base = ALIGN_DOWN(l2_ipa, PAGE_SIZE);
	u64 limit = UINT64_C(1) << s->pt.ia_bits;

	size = ALIGN_UP(l2_ipa + size, PAGE_SIZE) - base;
	if (base >= limit)
		return;
	size = MIN(size, limit - base);
	/* Cost follows what is mapped: walk the reverse map, not the range. */
	if (!s->rmap_overflow) {
		for (unsigned i = 0; i < s->nr_rmap;) {
			if (in_range(s->rmap[i].l2_page, base, size)) {
				pgtable_unmap(&s->pt, s->rmap[i].l2_page,
					      PAGE_SIZE, NULL);
				rmap_del(s, i);
			} else {
				i++;
			}
		}
		return;
	}
	pgtable_unmap(&s->pt, base, size, NULL);
}
