/*
 * The architecture interface: everything generic code needs from the CPU.
 * src/arch/aarch64 implements it for real; src/arch/fake implements it for
 * host unit tests.
 */
#ifndef NV_ARCH_H
#define NV_ARCH_H

#include <nv/arm_regs.h>
#include <nv/cpufeature.h>
#include <nv/types.h>

/* Counter and its frequency (CNTPCT_EL0, CNTFRQ_EL0). */
u64 arch_counter(void);
u64 arch_counter_freq(void);

void arch_read_id_regs(struct id_regs *r);
/* MPIDR_EL1 affinity fields Aff3..Aff0 (the rest masked off). */
u64 arch_mpidr(void);

void arch_relax(void);
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Makes data written with caches on visible to a CPU with its MMU off. */
void arch_dcache_clean(const void *p, size_t n);

/*
 * TLB maintenance of the guests' EL1&0 regime (Arm ARM D8.16, "TLB
 * maintenance"; the TLBI instructions in C5.5). The *_is forms broadcast
 * to the Inner Shareable domain (every CPU nestvisor runs on) and return
 * once complete (DSB ISH).
 *
 * arch_tlbi_vmid_is and arch_tlbi_ipas_is act on a VMID other than the
 * loaded one: TLBI VMALLS12E1IS, IPAS2E1IS and VMALLE1IS take their VMID
 * from the current VTTBR_EL2, so these load the given VTTBR_EL2 (its
 * VMID and table base) for the duration and restore the previous one.
 * Constraints: interrupts masked (nothing may enter a guest or take an
 * exception that uses VTTBR_EL2 in between), called at EL2, and the
 * VTTBR_EL2 given must have a valid table base (the shadow's own root),
 * not a stale one: speculative walks of the EL1&0 regime are not
 * expected at EL2 (the regime is out of context), but a walk must never
 * find freed memory if one happens.
 */
/*
 * Zeroes [p, p + size), p and size multiples of 4 KiB: the pages the
 * allocator hands out (a guest's RAM among them: no VM sees what another
 * left there).
 */
void arch_zero_pages(void *p, size_t size);
/* TLBI ALLE1, DSB NSH, ISB: every VMID's entries on this CPU. */
void arch_tlbi_guests_local(void);
/* TLBI ALLE1IS, DSB ISH, ISB: every VMID's entries on every CPU. */
void arch_tlbi_guests_all_is(void);
/*
 * A guest's TLBI of the EL1&0 regime by VA or ASID, or all of it, as
 * enc (SYSREG_ENC: op0 1, op1 0, CRn 8; CRm 3, 7 and the IS range forms
 * of 2; the non-shareable forms made Inner Shareable) with Xt, run for
 * the current VTTBR_EL2.VMID, then DSB ISH, ISB. False, nothing done, for
 * another encoding.
 */
bool arch_tlbi_el1_is(u32 enc, u64 xt);
/* TLBI VMALLS12E1IS, DSB ISH: stage 1 and 2 entries of vttbr's VMID. */
void arch_tlbi_vmid_is(u64 vttbr);
/*
 * The stage-2 entries of the n IPAs (page addresses, 4 KiB) under
 * vttbr's VMID and the combined stage 1+2 entries that used them, as
 * Arm ARM D8.16 requires after changing a stage-2 entry: TLBI IPAS2E1IS
 * for each, DSB ISH, then TLBI VMALLE1IS, DSB ISH (a combined entry
 * cannot be found by IPA), ISB.
 */
void arch_tlbi_ipas_is(u64 vttbr, const u64 *ipas, unsigned n);

u32 mmio_read32(paddr_t addr);
void mmio_write32(paddr_t addr, u32 val);
u64 mmio_read64(paddr_t addr);
void mmio_write64(paddr_t addr, u64 val);

#endif
