/*
 * A software walk of a guest hypervisor's stage-2 tables (Arm ARM D8,
 * "The AArch64 Virtual Memory System Architecture": D8.1-D8.3 for the
 * walk, D8.4 for faults). The memory framework's nested half: shadow
 * stage 2 composes its result with the VM's own stage 2, and AT emulation
 * and stage-2 fault forwarding use it too. It reads descriptors through a
 * callback (L1's memory is read through nestvisor's stage 2), so it runs
 * as well on the host, in unit tests.
 *
 * Supported: the 4 KiB, 16 KiB and 64 KiB granules, every start level
 * VTCR_EL2.SL0 allows, concatenated start tables, 48-bit output
 * addresses. Not yet: FEAT_LPA/LPA2 (52-bit), FEAT_TTST, FEAT_S2PIE.
 *
 * VTCR_EL2.HA and HD are treated as 0: FEAT_HAFDBS is hidden from L1
 * (ID_AA64MMFR1_EL1.HAFDBS reads 0, so the bits are RES0 for it), and a
 * descriptor without AF is an Access flag fault L1 handles itself;
 * descriptors are never written. FEAT_LPA2 is hidden likewise (DS
 * ignored).
 */
#ifndef NV_S2_WALK_H
#define NV_S2_WALK_H

#include <nv/types.h>

/* A stage-2 walk set up from VTCR_EL2 and VTTBR_EL2 (E2H-independent). */
struct s2_walk_cfg {
	/*
	 * False for a VTCR_EL2 the walk cannot use: every walk is then a
	 * level 0 Translation fault.
	 */
	bool valid;
	unsigned granule_shift; /* 12, 14 or 16 */
	unsigned ia_bits;       /* 64 - VTCR_EL2.T0SZ */
	unsigned oa_bits;       /* VTCR_EL2.PS, capped by L1's PARange and 48 */
	unsigned start_level;
	unsigned root_entries;  /* > entries per table: concatenated */
	u64 root;               /* VTTBR_EL2.BADDR (an L1 IPA) */
};

enum s2_fault {
	S2_OK,
	S2_FAULT_TRANSLATION,
	S2_FAULT_ADDRESS_SIZE,
	S2_FAULT_ACCESS_FLAG,
	S2_FAULT_EXTERNAL,      /* a descriptor could not be read */
};

struct s2_walk_result {
	enum s2_fault fault;
	/*
	 * Of the leaf, or where the walk faulted: 0 for an IPA beyond
	 * ia_bits or a root beyond oa_bits, whatever the start level.
	 */
	unsigned level;
	u64 oa;                 /* the output address of the input address */
	u64 block_size;         /* bytes the leaf maps */
	u64 desc;               /* the leaf descriptor (S2AP, XN, MemAttr, SH, AF) */
};

/* Reads the 64-bit descriptor at address pa; false if it cannot. */
typedef bool (*s2_read_fn)(void *ctx, u64 pa, u64 *val);

/*
 * Decodes VTCR_EL2/VTTBR_EL2 (Arm ARM D19.2, VTCR_EL2: T0SZ [5:0], SL0
 * [7:6], TG0 [15:14], PS [18:16]) for a guest hypervisor whose
 * ID_AA64MMFR0_EL1.PARange says pa_bits: the output size is PS's, or
 * pa_bits when PS asks for more (Arm ARM, VTCR_EL2.PS: a size above the
 * implemented one is treated as the implemented one), at most 48. False,
 * with a message, for a setting the architecture leaves unusable (a
 * reserved TG0, PS or SL0, a start level too shallow or too deep for
 * T0SZ, T0SZ outside 16..39): cfg->valid is then false and every walk a
 * level 0 Translation fault, as the pseudocode AArch64.S2Translate
 * reports AArch64.S2InvalidSL, AArch64.S2InconsistentSL and a T0SZ out of
 * range (the choice to fault where the Arm ARM also allows clamping).
 * BADDR bits below the root table's size are RES0 and ignored.
 */
bool s2_walk_cfg(u64 vtcr, u64 vttbr, unsigned pa_bits,
		 struct s2_walk_cfg *cfg, char *err, size_t errlen);

/* Walks ipa; the result says where it goes or why it faults. */
void s2_walk(const struct s2_walk_cfg *cfg, u64 ipa, s2_read_fn rd, void *ctx,
	     struct s2_walk_result *r);

#endif
