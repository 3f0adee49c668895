/*
 * VMIDs (Arm ARM, VTTBR_EL2.VMID: 8 bits, or 16 with FEAT_VMID16 and
 * VTCR_EL2.VS; TLB entries of the EL1&0 regime are tagged with the VMID
 * they were made under) handed out in generations, so that
 * contexts that come and go (shadow stage 2s of nested guests) never run
 * out of them:
 *
 * - A context (struct vmid_ctx) holds a VMID tagged with the generation
 *   it was given in; it is valid while that generation is the current
 *   one. vmid_load() gives a context without a valid VMID a new one.
 * - When a generation has no VMID left, the next one starts: every VMID
 *   is free again except the pinned ones and, on each CPU, the one it
 *   has loaded (or, if it has loaded none since the last rollover, the
 *   one it had then): those contexts keep their numbers, so a CPU running
 *   a guest never sees its VMID change under it.
 * - Pinned VMIDs (plain VMs) never change and are never taken back by a
 *   rollover: the plain path loads its VTTBR_EL2 as today, with no
 *   generation check.
 *
 * TLB protocol (the allocator's part and the CPU's part):
 * - A rollover only bumps the generation; it does not invalidate
 *   anything itself.
 * - Before a CPU runs a guest on a VMID of generation g, its TLB must
 *   hold nothing of any earlier generation: vmid_load() compares g with
 *   the generation this CPU last flushed for and, when newer, calls
 *   arch_tlbi_guests_local() (TLBI ALLE1, DSB NSH, ISB) first. A CPU thus
 *   flushes at most once per generation, when it first loads a VMID of
 *   it, and never for a pinned VMID (those are never reassigned, so no
 *   other context's entries can carry their number).
 * - A context whose VMID is replaced by a new one (after a rollover) has
 *   no entries under the new number on any CPU that flushed for its
 *   generation; its old entries are flushed by each CPU before it runs
 *   anything of the new generation. So a context's entries need no TLBI
 *   when it changes VMID, and invalidating a context's entries (TLBI by
 *   VMID or IPA) uses the number it holds, whatever its generation.
 * - vmid_load() runs with interrupts masked, on the CPU that will enter
 *   the guest, right before the entry (cheap: a lock-free check when the
 *   context's VMID is current and this CPU had loaded a VMID before).
 */
#ifndef NV_VMID_H
#define NV_VMID_H

#include <nv/config.h>
#include <nv/spinlock.h>
#include <nv/types.h>

/* A context's VMID: bits [15:0] the VMID, above them its generation. */
#define VMID_GEN_SHIFT 16
#define VMID_NUM_MASK UINT64_C(0xffff)
#define VMID_MAX_WORDS ((1u << 16) / 64)

struct vmid_ctx {
	u64 id; /* 0: none yet; read and written atomically */
};

struct vmid_space {
	struct spinlock lock;
	unsigned bits;      /* 8 or 16 */
	u64 gen;            /* current generation << VMID_GEN_SHIFT; atomic */
	u32 next;           /* where the search for a free VMID resumes */
	unsigned nr_pinned;
	unsigned max_pinned;
	u64 rollovers;      /* generations started after the first */
	u64 used[VMID_MAX_WORDS];   /* taken in this generation (pinned too) */
	u64 pinned[VMID_MAX_WORDS];
	/*
	 * Per CPU: the id it has loaded (0 after a rollover took it into
	 * reserved[]; atomic), the id a rollover kept for it, and the
	 * generation its TLB was last flushed for (written by that CPU).
	 */
	u64 active[NR_CPUS];
	u64 reserved[NR_CPUS];
	u64 flushed[NR_CPUS];
};

/*
 * Sets up a space of 2^bits VMIDs (bits: 16 gives 16-bit VMIDs, anything
 * else 8, as ID_AA64MMFR1_EL1.VMIDBits decodes). VMID 0 is never given:
 * it is what a CPU runs no guest with. Generation 1 starts.
 */
void vmid_space_init(struct vmid_space *s, unsigned bits);

/*
 * The machine's space, set up by the first call with the CPU's VMID width
 * (cpu_features.vmid_bits, from ID_AA64MMFR1_EL1.VMIDBits); later calls
 * return it and ignore bits (0 is fine there). The first call happens
 * when the first VM is built (vm_create), on the boot CPU before any
 * guest runs.
 */
struct vmid_space *vmid_host(unsigned bits);

/*
 * A VMID for good (a plain VM's): the lowest free one, 0 when none is
 * left. Pins are limited so that NR_CPUS + 1 VMIDs always remain for the
 * generations (a rollover can then always find one).
 */
u16 vmid_pin(struct vmid_space *s);
/* Gives a pinned VMID back (0 is ignored). Nothing may run with it. */
void vmid_unpin(struct vmid_space *s, u16 vmid);

/*
 * The VMID a context runs with on this CPU (cpu < NR_CPUS), giving it one
 * when it has none valid in the current generation, rolling over when the
 * generation has none left, and flushing this CPU's TLB first when the
 * VMID is of a generation it has not flushed for (see the protocol
 * above). Interrupts masked; never 0 (the pins leave room).
 */
u16 vmid_load(struct vmid_space *s, struct vmid_ctx *ctx, unsigned cpu);

/*
 * The context is gone: it drops its VMID, which becomes free again at
 * the next rollover (its TLB entries, if any, go with that generation's
 * flush). The caller has invalidated what it needs to (TLBI by VMID)
 * if the number is to keep meaning something until then.
 */
void vmid_ctx_release(struct vmid_ctx *ctx);

/* The number a context holds (0: none), whatever its generation. */
static inline u16 vmid_ctx_num(const struct vmid_ctx *ctx)
{
	return (u16)(__atomic_load_n(&ctx->id, __ATOMIC_RELAXED) & VMID_NUM_MASK);
}

#endif
