/*
 * Shadow stage 2 (the memory framework's nested half): the tables a nested
 * guest L2 really runs on, mapping L2 IPA -> PA. Each entry is the
 * composition of L1's stage 2 (L2 IPA -> L1 IPA, walked in software by
 * s2_walk) and the VM's own stage 2 (L1 IPA -> PA), filled lazily on L2's
 * stage-2 faults, with L1's permissions and the stronger of the two memory
 * types. A reverse map remembers which L1 IPAs each shadow maps, so that
 * invalidation costs what is mapped, not the size of the address space.
 * A VM has a pool of shadows keyed by L1's VTTBR_EL2 and VTCR_EL2, each
 * with its own VMID (vmid.h). Host-tested; not yet wired into the run
 * loop.
 */
#ifndef NV_SHADOW_S2_H
#define NV_SHADOW_S2_H

#include <nv/pgtable.h>
#include <nv/s2_walk.h>
#include <nv/spinlock.h>
#include <nv/types.h>
#include <nv/vmid.h>

#define SHADOW_RMAP_MAX 4096
/* Contexts per VM: one per vCPU running L2 at once (VM_MAX_VCPUS). */
#define SHADOW_POOL_SIZE 8
/* Pages invalidated one by one (TLBI IPAS2E1IS) before a whole-VMID TLBI. */
#define SHADOW_TLBI_PAGES_MAX 64

struct cpu_features;
struct vm;

struct shadow_rmap {
	u64 l1_page;       /* L1 IPA of the page */
	u64 l2_page;       /* L2 IPA it is mapped at */
	unsigned l1_shift; /* log2 of the size of L1's leaf (page or block) */
};

/*
 * TLB maintenance for a shadow's VMID (vttbr: the shadow's VTTBR_EL2,
 * its root and VMID). ipas invalidates the L2 IPA pages given and every
 * combined stage 1+2 entry of the VMID (TLBI IPAS2E1IS each, DSB ISH,
 * TLBI VMALLE1IS, DSB ISH: Arm ARM D8.16.1, "Using break-before-make"
 * and the TLB maintenance of stage 2); vmid invalidates every entry of
 * the VMID (TLBI VMALLS12E1IS, DSB ISH). Both return once complete.
 * shadow_tlb_arch calls arch_tlbi_ipas_is and arch_tlbi_vmid_is.
 */
struct shadow_tlb_ops {
	void (*ipas)(void *ctx, u64 vttbr, const u64 *l2_pages, unsigned n);
	void (*vmid)(void *ctx, u64 vttbr);
	void *ctx;
};

extern const struct shadow_tlb_ops shadow_tlb_arch;

/* What the shadows of one VM share. */
struct shadow_env {
	const struct pgtable_mm *mm;                  /* shadow tables */
	void (*free_table)(void *ctx, void *table);   /* ctx: mm->ctx */
	const struct shadow_tlb_ops *tlb;             /* NULL: none (tests) */
	struct vmid_space *vmids;
	const struct cpu_features *host;              /* for the VTCR_EL2 loaded */
	unsigned l1_pa_bits; /* L1's ID_AA64MMFR0_EL1.PARange, in bits */
	s2_read_fn rd;       /* reads L1 memory at an L1 IPA */
	void *rd_ctx;
};

struct shadow_s2 {
	u64 vtcr, vttbr;        /* L1's VTCR_EL2/VTTBR_EL2: this shadow's key */
	u16 l1_vmid;            /* L1's VMID in it (8 or 16 bits, VTCR_EL2.VS) */
	struct s2_walk_cfg cfg; /* L1's stage 2, decoded (valid or not) */
	struct pgtable pt;      /* L2 IPA -> PA */
	u64 hw_vtcr;            /* VTCR_EL2 L2 runs with (its pt's size) */
	const struct shadow_env *env;
	struct vmid_ctx vmid;   /* this shadow's own VMID */
	/* In a pool: live (has a key and tables), vCPUs using it, LRU stamp. */
	bool live;
	unsigned users;
	u64 last_used;
	struct shadow_rmap rmap[SHADOW_RMAP_MAX];
	unsigned nr_rmap;
	bool rmap_overflow;     /* more pages than the reverse map holds */
};

/* The shadows of a VM (vm->shadow), recycled least recently used first. */
struct shadow_pool {
	struct spinlock lock;
	struct shadow_env env;
	u64 clock;
	struct shadow_s2 s[SHADOW_POOL_SIZE];
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
	 * A fault in the VM's own stage 2: the L1 IPA is not RAM, or the
	 * VM's stage 2 forbids the access there. nestvisor handles it as it
	 * would L1's own stage-2 fault at *l1_ipa (emulates the MMIO, or
	 * makes the page accessible and calls shadow_s2_l1_unmapped). Never
	 * mapped: the access would fault again, forever.
	 */
	SHADOW_L0_FAULT,
	SHADOW_NOMEM,     /* no memory for shadow tables */
};

/*
 * Starts a shadow for L1's VTCR_EL2/VTTBR_EL2; its own tables take L1's
 * IPA size (64 - T0SZ) with the 4 KiB granule, whatever L1's granule. A
 * VTCR_EL2 the walk refuses gives a shadow whose every fault is L1's
 * level 0 Translation fault (s2_walk_cfg), with the smallest tables (25
 * bits) and the reason in err. False with a message only when there is
 * no memory for the root table. Restarting a shadow this way forgets its
 * tables without giving them back, and its VMID.
 */
bool shadow_s2_init(struct shadow_s2 *s, u64 vtcr, u64 vttbr,
		    const struct shadow_env *env, char *err, size_t errlen);

/*
 * Handles L2's stage-2 fault: walks L1's tables (rd reads L1 memory, an
 * L1 IPA at a time), looks the result up in the VM's stage 2 l0, and maps
 * the 4 KiB page. *l1 receives L1's walk, *l1_ipa the L1 IPA of the
 * access (unless L1's walk faults). The output address is always l0's
 * translation of L1's output: nothing L1's tables say can reach memory
 * l0 does not map. A page already there (a permission upgrade, a racing
 * fault) is replaced with break-before-make (Arm ARM D8.16.1): unmapped,
 * its TLB entries invalidated through env->tlb (by the shadow's VMID, if
 * it has one yet), then mapped anew.
 */
enum shadow_result shadow_s2_fault(struct shadow_s2 *s,
				   const struct shadow_access *a,
				   const struct pgtable *l0, s2_read_fn rd,
				   void *ctx, struct s2_walk_result *l1,
				   u64 *l1_ipa);

/*
 * The unmaps below invalidate the TLB entries of what they remove before
 * returning (env->tlb: by page, or by VMID past SHADOW_TLBI_PAGES_MAX
 * pages or when the reverse map overflowed).
 *
 * The VM's stage 2 changed under L1 IPAs [l1_ipa, +size): drop their pages.
 */
void shadow_s2_unmap_l1(struct shadow_s2 *s, u64 l1_ipa, u64 size);
/*
 * L1 invalidated L2 IPAs [l2_ipa, +size) (TLBI IPAS2E1 and friends). A
 * TLBI by address removes the whole entry that translates it, whatever
 * the size of the block it came from, so every shadow page made from an
 * L1 leaf (page or block) that overlaps the range goes.
 */
void shadow_s2_unmap_l2(struct shadow_s2 *s, u64 l2_ipa, u64 size);
/* L1 invalidated everything (TLBI VMALLS12E1): empty it. */
void shadow_s2_unmap_all(struct shadow_s2 *s);

/*
 * The stage-2 leaf attributes of a shadow entry (Arm ARM D8.5, combining
 * attributes): the access permissions both give, execute-never at each
 * EL where either says so (FEAT_XNX XN[1:0]), the more restrictive
 * memory type, the wider shareability.
 */
u64 shadow_s2_merge_attrs(u64 l1_desc, u64 l0_desc);

/* --- A VM's pool of shadows (vm->shadow); every call takes its lock --- */

/*
 * Empty pool for a VM; env is copied. vm->shadow is set by the caller
 * (shadow_pool_create does both with palloc'd storage).
 */
void shadow_pool_init(struct shadow_pool *p, const struct shadow_env *env);
/*
 * A pool for a virtual-el2 VM from the page allocator: tables from
 * palloc, L1 memory read through the VM's stage 2 (shadow_s2_read_l1),
 * TLB maintenance by the arch (shadow_tlb_arch), VMIDs from vmid_host.
 * Sets vm->shadow; false with a message when out of memory.
 */
bool shadow_pool_create(struct vm *vm, unsigned l1_pa_bits,
			const struct cpu_features *host, char *err,
			size_t errlen);
/*
 * Gives back every shadow's tables (cost: the tables there are) after
 * invalidating each one's VMID, and the pool's storage if
 * shadow_pool_create made it. No vCPU of the VM may be running L2.
 */
void shadow_pool_destroy(struct vm *vm);

/*
 * Reads L1 memory for the walk (an s2_read_fn; ctx is the struct vm):
 * the L1 IPA through the VM's stage 2, then one single-copy-atomic
 * 64-bit load. False where the VM's stage 2 maps nothing.
 */
bool shadow_s2_read_l1(void *vm, u64 l1_ipa, u64 *val);

/*
 * The shadow L2 runs on for L1's VTTBR_EL2 and VTCR_EL2 (the key: VTTBR's
 * BADDR and VMID, 8 or 16 bits as L1's VTCR_EL2.VS says, and VTCR's
 * T0SZ, SL0, TG0, PS and VS), made on first use. When all are taken the
 * least recently used one that no vCPU uses is recycled: its VMID's TLB
 * entries invalidated, its tables given back; it keeps its VMID. The
 * caller (the world switch into L2) holds it until shadow_s2_put (when L2
 * stops running on this vCPU, i.e. VTTBR_EL2 no longer points at it on
 * this CPU), and puts its previous one before getting another, so that
 * SHADOW_POOL_SIZE (= VM_MAX_VCPUS) always has one to recycle. NULL with
 * a message only when out of memory (or every shadow held).
 */
struct shadow_s2 *shadow_s2_get(struct vm *vm, u64 l1_vttbr, u64 l1_vtcr,
				char *err, size_t errlen);
void shadow_s2_put(struct vm *vm, struct shadow_s2 *s);
/*
 * VTTBR_EL2 to enter L2 with on this CPU: the shadow's root and its
 * VMID (vmid_load: may flush this CPU's TLB, see include/nv/vmid.h).
 * Interrupts masked, right before each entry into L2; VTCR_EL2 is
 * s->hw_vtcr.
 */
u64 shadow_s2_load(struct vm *vm, struct shadow_s2 *s, unsigned cpu);

/* shadow_s2_fault on a held shadow, with the VM's stage 2 and reader. */
enum shadow_result shadow_s2_handle_fault(struct vm *vm, struct shadow_s2 *s,
					  const struct shadow_access *a,
					  struct s2_walk_result *l1,
					  u64 *l1_ipa);

/*
 * L1's TLB maintenance, trapped (HCR_EL2.TTLB of L1's own stage 2 is
 * nestvisor's: every TLBI of vEL2 traps), for the VMID L1's VTTBR_EL2
 * held when it issued it; cost follows what the shadows map:
 * - shadow_s2_tlbi_ipa: TLBI IPAS2E1(IS), IPAS2LE1(IS) (the last-level
 *   form drops the same: a shadow page stands for a whole L1 leaf) and
 *   the range forms once converted to [ipa, +size): every shadow with
 *   that L1 VMID drops the pages of the L1 leaves overlapping the range;
 * - shadow_s2_tlbi_vmid: TLBI VMALLS12E1(IS): those shadows emptied;
 * - shadow_s2_tlbi_all: TLBI ALLE1(IS): every shadow emptied.
 * TLBI VMALLE1(IS) of L1 (stage 1 only) needs only the hardware TLBI by
 * the shadows' VMIDs, not these.
 */
/* L1's VMID in its VTTBR_EL2: 16 bits with VTCR_EL2.VS, else 8. */
u16 shadow_l1_vmid(u64 l1_vtcr, u64 l1_vttbr);
void shadow_s2_tlbi_ipa(struct vm *vm, u16 l1_vmid, u64 ipa, u64 size);
void shadow_s2_tlbi_vmid(struct vm *vm, u16 l1_vmid);
void shadow_s2_tlbi_all(struct vm *vm);
/* L0 unmapped or changed L1 IPAs [l1_ipa, +size): every shadow drops them. */
void shadow_s2_l1_unmapped(struct vm *vm, u64 l1_ipa, u64 size);

/* --- What L1 is told of a fault its stage 2 explains --- */

/* ESR_EL2, FAR_EL2 and HPFAR_EL2 as L1 reads them at its vEL2. */
struct shadow_l1_abort {
	u64 esr, far, hpfar;
};

/*
 * The stage-2 abort hardware would give L1 for L2's access (Arm ARM
 * D19.2, ESR_EL2 ISS for a Data or Instruction Abort; HPFAR_EL2), from
 * the exit's ESR_EL2 and FAR_EL2, the faulting L2 IPA and the result of
 * shadow_s2_fault with its walk. True for SHADOW_L1_FAULT and
 * SHADOW_L1_PERM: EC and IL as in the exit (an abort from a lower EL:
 * L2 is below L1's EL2), for a data abort ISV/SAS/SSE/SRT/SF/AR, CM,
 * S1PTW and WnR kept, FnV, EA and VNCR clear; for an instruction abort
 * S1PTW kept; DFSC/IFSC the walk's fault at its level (Translation
 * 0b0001LL, Access flag 0b0010LL, Permission 0b0011LL at the leaf's
 * level, Address size 0b0000LL, a descriptor L1's memory could not
 * provide as a synchronous external abort on a table walk 0b0101LL);
 * FAR_EL2 the exit's; HPFAR_EL2.FIPA = the L2 IPA's page (IPA >> 12 << 4;
 * given for permission faults too, as an implementation may). False for
 * anything else: SHADOW_L0_FAULT is the VM's own stage-2 fault at the L1
 * IPA, resolved by nestvisor, never L1's.
 */
bool shadow_s2_l1_abort(u64 exit_esr, u64 exit_far, u64 l2_ipa,
			enum shadow_result r, const struct s2_walk_result *walk,
			struct shadow_l1_abort *out);

#endif
