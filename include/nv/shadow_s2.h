/*
 * Shadow stage 2 (the memory framework's nested half): the tables a nested
 * guest L2 really runs on, mapping L2 IPA -> PA. Each entry is the
 * composition of L1's stage 2 (L2 IPA -> L1 IPA, walked in software by
 * s2_walk) and the VM's own stage 2 (L1 IPA -> PA), filled lazily on L2's
 * stage-2 faults, with L1's permissions and the stronger of the two memory
 * types. A reverse map remembers which L1 IPAs each shadow maps, so that
 * invalidation costs what is mapped, not the size of the address space.
 * Host-tested; not yet wired into the run loop.
 */
#ifndef NV_SHADOW_S2_H
#define NV_SHADOW_S2_H

#include <nv/pgtable.h>
#include <nv/s2_walk.h>
#include <nv/types.h>

#define SHADOW_RMAP_MAX 4096

struct shadow_rmap {
	u64 l1_page;       /* L1 IPA of the page */
	u64 l2_page;       /* L2 IPA it is mapped at */
	unsigned l1_shift; /* log2 of the size of L1's leaf (page or block) */
};

struct shadow_s2 {
	u64 vtcr, vttbr;        /* L1's VTCR_EL2/VTTBR_EL2: this shadow's key */
	struct s2_walk_cfg cfg; /* L1's stage 2, decoded */
	struct pgtable pt;      /* L2 IPA -> PA */
	struct shadow_rmap rmap[SHADOW_RMAP_MAX];
	unsigned nr_rmap;
	bool rmap_overflow;     /* more pages than the reverse map holds */
};

/* A stage-2 fault of L2, as the exit reports it. */
struct shadow_access {
	u64 l2_ipa;
	bool write;
	bool exec;
	bool el0; /* L2 was at EL0: FEAT_XNX gives EL0 and EL1 their own XN */
};

enum shadow_result {
	SHADOW_MAPPED,    /* the page is mapped: L2 retries the access */
	SHADOW_L1_FAULT,  /* L1's tables fault: L1 gets that stage-2 fault */
	SHADOW_L1_PERM,   /* L1's leaf forbids the access: L1 gets a permission fault */
	/*
	 * The L1 IPA is not RAM, or the VM's own stage 2 forbids the access
	 * there: nestvisor handles it as it would L1's own stage-2 fault at
	 * *l1_ipa (emulates the MMIO, or makes the page accessible and drops
	 * its shadow pages with shadow_s2_unmap_l1). Never mapped: the
	 * access would fault again, forever.
	 */
	SHADOW_L1_MMIO,
	SHADOW_NOMEM,     /* no memory for shadow tables */
};

/*
 * Starts a shadow for L1's VTCR_EL2/VTTBR_EL2; its own tables take L1's
 * IPA size (64 - T0SZ) with the 4 KiB granule, whatever L1's granule.
 * False with a message when L1's VTCR_EL2 is unusable or there is no
 * memory for the root table. Restarting a shadow this way forgets its
 * tables without giving them back to mm.
 */
bool shadow_s2_init(struct shadow_s2 *s, u64 vtcr, u64 vttbr,
		    const struct pgtable_mm *mm, char *err, size_t errlen);

/*
 * Handles L2's stage-2 fault: walks L1's tables (rd reads L1 memory, an
 * L1 IPA at a time), looks the result up in the VM's stage 2 l0, and maps
 * the 4 KiB page, replacing what was there. *l1 receives L1's walk,
 * *l1_ipa the L1 IPA of the access (unless L1's walk faults). A page that
 * was replaced needs its TLB entries invalidated by the caller, as
 * everything the unmap calls below remove does (Arm ARM D8.16,
 * break-before-make).
 */
enum shadow_result shadow_s2_fault(struct shadow_s2 *s,
				   const struct shadow_access *a,
				   const struct pgtable *l0, s2_read_fn rd,
				   void *ctx, struct s2_walk_result *l1,
				   u64 *l1_ipa);

/* The VM's stage 2 changed under L1 IPAs [l1_ipa, +size): drop their pages. */
void shadow_s2_unmap_l1(struct shadow_s2 *s, u64 l1_ipa, u64 size);
/*
 * L1 invalidated L2 IPAs [l2_ipa, +size) (TLBI IPAS2E1 and friends). A
 * TLBI by address removes the whole entry that translates it, whatever
 * the size of the block it came from, so every shadow page made from an
 * L1 leaf (page or block) that overlaps the range goes.
 */
void shadow_s2_unmap_l2(struct shadow_s2 *s, u64 l2_ipa, u64 size);
/* L1 invalidated everything (TLBI VMALLS12E1, a new VTTBR): empty it. */
void shadow_s2_unmap_all(struct shadow_s2 *s);

/*
 * The stage-2 leaf attributes of a shadow entry (Arm ARM D8.5, combining
 * attributes): the access permissions both give, execute-never at each
 * EL where either says so (FEAT_XNX XN[1:0]), the more restrictive
 * memory type, the wider shareability.
 */
u64 shadow_s2_merge_attrs(u64 l1_desc, u64 l0_desc);

#endif
