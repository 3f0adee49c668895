/* The 4 KiB-granule translation table walker (Arm ARM D8.3, D8.2). */
#include <nv/pgtable.h>

unsigned pgt_start_level(unsigned ia_bits)
{
	/* Each level resolves 9 bits above the 12-bit page offset. */
	unsigned levels = (ia_bits - PAGE_SHIFT + 8) / 9;

	return 4 - levels;
}

bool pgtable_init(struct pgtable *pt, unsigned ia_bits,
		  const struct pgtable_mm *mm)
{
	if (ia_bits < 25 || ia_bits > 48)
		return false;
	pt->ia_bits = ia_bits;
	pt->start_level = pgt_start_level(ia_bits);
	pt->root_entries =
		(unsigned)(UINT64_C(1) << (ia_bits - PAGE_SHIFT -
					   9 * (3 - pt->start_level)));
	pt->mm = mm;
	pt->root = mm->alloc_table(mm->ctx);
	return pt->root != NULL;
}

static u64 *pte_table(u64 pte)
{
	return (u64 *)(uintptr_t)(pte & PTE_ADDR_MASK);
}

static bool pte_is_table(u64 pte, unsigned level)
{
	return (pte & PTE_VALID) && (pte & PTE_TABLE) && level < 3;
}

static unsigned pte_index(u64 ia, unsigned level)
{
	return (unsigned)((ia >> (PAGE_SHIFT + 9 * (3 - level))) & 0x1ff);
}

static enum pgt_err map_level(struct pgtable *pt, u64 *table, unsigned level,
			      u64 ia, u64 pa, u64 size, u64 attrs)
{
	u64 lsize = pgt_level_size(level);

	while (size) {
		u64 *pte = &table[pte_index(ia, level)];
		u64 chunk = MIN(size, lsize - (ia & (lsize - 1)));
		/* Blocks only at levels 1 and 2 (level 0 needs FEAT_LPA2). */
		bool block_ok = level >= 1 && chunk == lsize &&
				IS_ALIGNED(pa, lsize);

		if (block_ok && !(*pte & PTE_VALID)) {
			*pte = (pa & PTE_ADDR_MASK) | attrs | PTE_AF | PTE_VALID |
			       (level == 3 ? PTE_TABLE : 0);
		} else if (level == 3 || (*pte & PTE_VALID && !pte_is_table(*pte, level))) {
			return PGT_EEXIST;
		} else {
			enum pgt_err e;

			if (!(*pte & PTE_VALID)) {
				u64 *next = pt->mm->alloc_table(pt->mm->ctx);

				if (!next)
					return PGT_ENOMEM;
				*pte = ((u64)(uintptr_t)next & PTE_ADDR_MASK) |
				       PTE_TABLE | PTE_VALID;
			}
			e = map_level(pt, pte_table(*pte), level + 1, ia, pa,
				      chunk, attrs);
			if (e)
				return e;
		}
		ia += chunk;
		pa += chunk;
		size -= chunk;
	}
	return PGT_OK;
}

/* Tables below this one first: a table descriptor (Arm ARM D8.3.1) at levels 0-2. */
static void destroy_level(const struct pgtable *pt, u64 *table, unsigned level,
			  unsigned entries, void (*free_table)(void *, void *))
{
	for (unsigned i = 0; i < entries; i++)
		if (pte_is_table(table[i], level))
			destroy_level(pt, pte_table(table[i]), level + 1,
				      PTES_PER_TABLE, free_table);
	free_table(pt->mm->ctx, table);
}

void pgtable_destroy(struct pgtable *pt, void (*free_table)(void *ctx, void *table))
{
	if (!pt->root)
		return;
	destroy_level(pt, pt->root, pt->start_level, pt->root_entries, free_table);
	pt->root = NULL;
}

enum pgt_err pgtable_map(struct pgtable *pt, u64 ia, u64 pa, u64 size,
			 u64 attrs)
{
	u64 limit = UINT64_C(1) << pt->ia_bits;
	u64 pa_limit = (PTE_ADDR_MASK | (PAGE_SIZE - 1)) + 1;

	/* The output range must fit the descriptors' address field too. */
	if (!IS_ALIGNED(ia | pa | size, PAGE_SIZE) || !size || ia >= limit ||
	    size > limit - ia || pa >= pa_limit || size > pa_limit - pa)
		return PGT_EINVAL;
	return map_level(pt, pt->root, pt->start_level, ia, pa, size, attrs);
}

u64 pgtable_lookup(const struct pgtable *pt, u64 ia, unsigned *level, u64 *pa)
{
	u64 *table = pt->root;

	if (ia >> pt->ia_bits)
		return 0;
	for (unsigned l = pt->start_level; l <= 3; l++) {
		u64 pte = table[pte_index(ia, l)];

		if (!(pte & PTE_VALID) || (l == 3 && !(pte & PTE_TABLE)))
			return 0;
		if (!pte_is_table(pte, l)) {
			*level = l;
			*pa = (pte & PTE_ADDR_MASK & ~(pgt_level_size(l) - 1)) |
			      (ia & (pgt_level_size(l) - 1));
			return pte;
		}
		table = pte_table(pte);
	}
	return 0;
}

/*
 * Whether unmapping [ia, ia + size) would cut a block in two. Only the
 * range's two edges can: a table entry the range covers whole has
 * nothing to split below it, so the walk descends at most twice a level.
 */
static bool unmap_splits_block(const u64 *table, unsigned level, u64 ia,
			       u64 size)
{
	u64 lsize = pgt_level_size(level);

	while (size) {
		u64 pte = table[pte_index(ia, level)];
		u64 chunk = MIN(size, lsize - (ia & (lsize - 1)));

		if (chunk != lsize) {
			if (pte_is_table(pte, level)) {
				if (unmap_splits_block(pte_table(pte), level + 1,
						       ia, chunk))
					return true;
			} else if (pte & PTE_VALID) {
				return true;
			}
		}
		ia += chunk;
		size -= chunk;
	}
	return false;
}

static void unmap_level(u64 *table, unsigned level, u64 ia, u64 size,
			unsigned *removed)
{
	u64 lsize = pgt_level_size(level);

	while (size) {
		u64 *pte = &table[pte_index(ia, level)];
		u64 chunk = MIN(size, lsize - (ia & (lsize - 1)));

		if (pte_is_table(*pte, level)) {
			unmap_level(pte_table(*pte), level + 1, ia, chunk,
				    removed);
		} else if (*pte & PTE_VALID) {
			*pte = 0; /* whole: unmap_splits_block said so */
			(*removed)++;
		}
		ia += chunk;
		size -= chunk;
	}
}

enum pgt_err pgtable_unmap(struct pgtable *pt, u64 ia, u64 size,
			   unsigned *removed)
{
	u64 limit = UINT64_C(1) << pt->ia_bits;
	unsigned n = 0;
	enum pgt_err e = PGT_OK;

	if (!IS_ALIGNED(ia | size, PAGE_SIZE) || ia >= limit ||
	    size > limit - ia)
		e = PGT_EINVAL;
	/* Checked first, so that a refused call leaves everything mapped. */
	else if (size && unmap_splits_block(pt->root, pt->start_level, ia, size))
		e = PGT_EINVAL;
	else if (size)
		unmap_level(pt->root, pt->start_level, ia, size, &n);
	if (removed)
		*removed = n;
	return e;
}
