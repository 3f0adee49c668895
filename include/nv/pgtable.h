/*
 * VMSAv8-64 translation tables with the 4 KiB granule (Arm ARM D8.3,
 * "Translation table descriptor formats"). One walker serves nestvisor's
 * own EL2 stage-1 tables and, later, stage-2 and shadow stage-2 tables:
 * the caller supplies the leaf attribute bits of its regime.
 */
#ifndef NV_PGTABLE_H
#define NV_PGTABLE_H

#include <nv/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (UINT64_C(1) << PAGE_SHIFT)
#define PTES_PER_TABLE 512

/* Descriptor bits common to both stages. */
#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1) /* levels 0-2: table; level 3: page */
#define PTE_AF BIT(10)
#define PTE_ADDR_MASK GENMASK(47, 12)
#define PTE_SH_MASK GENMASK(9, 8)
#define PTE_SH_INNER (UINT64_C(3) << 8)

/* Stage-1 leaf attributes (EL2 regime). */
#define PTE_S1_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_S1_AP1 BIT(6) /* RES1 in the single-range EL2 regime */
#define PTE_S1_RDONLY BIT(7)
#define PTE_S1_XN BIT(54)

/* Stage-2 leaf attributes. */
#define PTE_S2_MEMATTR_MASK GENMASK(5, 2)
#define PTE_S2_MEMATTR(a) ((u64)(a) << 2)
#define PTE_S2_MEMATTR_DEVICE_nGnRE 0x1
#define PTE_S2_MEMATTR_NORMAL_WB 0xf
#define PTE_S2_S2AP_R BIT(6)
#define PTE_S2_S2AP_W BIT(7)
#define PTE_S2_XN BIT(54)
#define PTE_S2_XN_MASK GENMASK(54, 53) /* XN[1:0] with FEAT_XNX */

/* Bytes mapped by one entry at each level (4 KiB granule). */
static inline u64 pgt_level_size(unsigned level)
{
	return UINT64_C(1) << (PAGE_SHIFT + 9 * (3 - level));
}

struct pgtable_mm {
	/* Returns a zeroed, page-aligned table, or NULL. */
	void *(*alloc_table)(void *ctx);
	void *ctx;
};

struct pgtable {
	u64 *root;
	unsigned ia_bits;     /* input address size */
	unsigned start_level; /* 0..3 */
	unsigned root_entries;
	const struct pgtable_mm *mm;
};

/* Number of levels and the start level for an input size (Arm ARM D8.2). */
unsigned pgt_start_level(unsigned ia_bits);

bool pgtable_init(struct pgtable *pt, unsigned ia_bits,
		  const struct pgtable_mm *mm);

enum pgt_err {
	PGT_OK = 0,
	PGT_EINVAL,  /* unaligned or outside the input range */
	PGT_ENOMEM,  /* no memory for a table */
	PGT_EEXIST,  /* overlaps an existing mapping */
};

/*
 * Maps [ia, ia + size) to [pa, pa + size) with the given leaf attributes,
 * using 1 GiB and 2 MiB blocks where alignment allows.
 */
enum pgt_err pgtable_map(struct pgtable *pt, u64 ia, u64 pa, u64 size,
			 u64 attrs);

/*
 * Removes the leaves inside [ia, ia + size) (page aligned; size 0 removes
 * nothing). A block that the range covers only in part makes the call
 * return PGT_EINVAL without removing anything (nothing nestvisor maps is
 * split today). Tables stay allocated for reuse: mapping a 2 MiB range
 * again over an emptied level-3 table fills it with pages, not a block.
 * Returns how many leaves were removed through *removed (may be NULL; 0
 * on any error). The caller invalidates the TLB (Arm ARM D8.16,
 * break-before-make).
 */
enum pgt_err pgtable_unmap(struct pgtable *pt, u64 ia, u64 size,
			   unsigned *removed);

/*
 * Gives every table of pt back through free_table(mm->ctx, table), the
 * root last, and leaves pt without a root. What the leaves map is the
 * caller's; the caller also invalidates the TLB if pt was live.
 */
void pgtable_destroy(struct pgtable *pt, void (*free_table)(void *ctx, void *table));

/*
 * Looks an address up. Returns the leaf descriptor (0 if unmapped) and its
 * level; *pa is the translated address when mapped.
 */
u64 pgtable_lookup(const struct pgtable *pt, u64 ia, unsigned *level,
		   u64 *pa);

#endif
