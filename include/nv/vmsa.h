/*
 * What the software walks of VMSAv8-64 tables share, whatever the stage
 * (Arm ARM D8.2, "Translation process"; D8.3, "Translation table
 * descriptor formats"; D8.4 and D19.2, the fault status codes): the
 * granule decode, the descriptor kinds per level, a leaf's output
 * address, fault status codes and the shareability of two combined
 * stages. Used by the stage-2 walk (mem/s2_walk.c), the stage-1 walk
 * (mem/s1_walk.c), shadow stage 2 and AT emulation.
 */
#ifndef NV_VMSA_H
#define NV_VMSA_H

#include <nv/pgtable.h>
#include <nv/types.h>

/*
 * TCR_ELx.TG0 and VTCR_EL2.TG0 (0b00 4 KiB, 0b01 64 KiB, 0b10 16 KiB) to
 * the granule's shift; 0 for the reserved 0b11.
 */
static inline unsigned vmsa_tg0_shift(unsigned tg0)
{
	return tg0 == 0 ? 12 : tg0 == 1 ? 16 : tg0 == 2 ? 14 : 0;
}

/* TCR_EL1.TG1 (0b01 16 KiB, 0b10 4 KiB, 0b11 64 KiB); 0 for the reserved 0b00. */
static inline unsigned vmsa_tg1_shift(unsigned tg1)
{
	return tg1 == 1 ? 14 : tg1 == 2 ? 12 : tg1 == 3 ? 16 : 0;
}

/* The input address bit where a level's index starts (Arm ARM D8.2.6). */
static inline unsigned vmsa_level_shift(unsigned granule_shift, unsigned level)
{
	return granule_shift + (3 - level) * (granule_shift - 3);
}

/* Whether a block descriptor may sit at this level (no FEAT_LPA/LPA2). */
static inline bool vmsa_block_allowed(unsigned granule_shift, unsigned level)
{
	if (granule_shift == 12)
		return level == 1 || level == 2;
	return level == 2;
}

enum vmsa_desc_kind {
	VMSA_DESC_INVALID, /* bit 0 clear: a Translation fault */
	VMSA_DESC_TABLE,
	VMSA_DESC_LEAF,    /* a block at levels 1-2, a page at level 3 */
	VMSA_DESC_RESERVED, /* a block where none may be, or 0b01 at level 3 */
};

/* A descriptor read at this level (Arm ARM D8.3.1, bits [1:0]). */
static inline enum vmsa_desc_kind vmsa_desc_kind(u64 d, unsigned granule_shift,
						 unsigned level)
{
	if (!(d & PTE_VALID))
		return VMSA_DESC_INVALID;
	if (level < 3 && (d & PTE_TABLE))
		return VMSA_DESC_TABLE;
	if (level == 3 ? !(d & PTE_TABLE) : !vmsa_block_allowed(granule_shift, level))
		return VMSA_DESC_RESERVED;
	return VMSA_DESC_LEAF;
}

/*
 * The next-level table or output address a descriptor holds (bits
 * [47:granule]); for a block, the bits below the block's size are
 * cleared by the caller.
 */
static inline u64 vmsa_desc_addr(u64 d, unsigned granule_shift)
{
	return d & PTE_ADDR_MASK & ~((UINT64_C(1) << granule_shift) - 1);
}

/*
 * Fault status codes with the level in [1:0] (ESR_ELx.DFSC, PAR_EL1.FST:
 * the same long-descriptor encodings).
 */
#define FSC_ADDR_SIZE_L(l) (0x00u | (l))
#define FSC_TRANS_L(l) (0x04u | (l))
#define FSC_ACCESS_L(l) (0x08u | (l))
#define FSC_PERM_L(l) (0x0cu | (l))
#define FSC_SEA_WALK_L(l) (0x14u | (l))

/* Shareability field values (SH [9:8], PAR_EL1.SH [8:7]). */
#define SH_NON 0u
#define SH_OUTER 2u
#define SH_INNER 3u

/*
 * Two stages' shareability combined (Arm ARM D8.6, "Combining the
 * shareability attributes"): Outer Shareable beats Inner Shareable beats
 * Non-shareable.
 */
static inline unsigned vmsa_merge_sh(unsigned a, unsigned b)
{
	if (a == SH_OUTER || b == SH_OUTER)
		return SH_OUTER;
	if (a == SH_INNER || b == SH_INNER)
		return SH_INNER;
	return SH_NON;
}

#endif
