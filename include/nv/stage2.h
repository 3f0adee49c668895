/*
 * Stage-2 translation of a VM (Arm ARM D8, VTCR_EL2 and VTTBR_EL2): guest
 * RAM mapped to pages from the allocator, everything else unmapped so that
 * accesses trap as stage-2 data aborts (emulated MMIO).
 */
#ifndef NV_STAGE2_H
#define NV_STAGE2_H

#include <nv/cpufeature.h>
#include <nv/pgtable.h>
#include <nv/types.h>

/* VTCR_EL2 fields (Arm ARM D19.2.175). */
#define VTCR_T0SZ_MASK GENMASK(5, 0)
#define VTCR_SL0_MASK GENMASK(7, 6)
#define VTCR_IRGN0_WBWA (UINT64_C(1) << 8)
#define VTCR_ORGN0_WBWA (UINT64_C(1) << 10)
#define VTCR_SH0_INNER (UINT64_C(3) << 12)
#define VTCR_TG0_MASK GENMASK(15, 14)
#define VTCR_TG0_4K (UINT64_C(0) << 14)
#define VTCR_PS_MASK GENMASK(18, 16)
#define VTCR_VS_16BIT BIT(19)
#define VTCR_RES1 BIT(31)

#define VTTBR_VMID_SHIFT 48
#define VTTBR_BADDR_MASK GENMASK(47, 1)

/* Stage-2 leaf attributes for guest RAM: Normal WB, read/write, executable. */
#define S2_ATTR_RAM (PTE_S2_MEMATTR(PTE_S2_MEMATTR_NORMAL_WB) | PTE_S2_S2AP_R | \
		     PTE_S2_S2AP_W | PTE_SH_INNER)

/*
 * The IPA size a VM needs: the smallest of 32, 36, 44 or 48 bits that
 * holds its highest address (a PARange value, so the guest's view of
 * ID_AA64MMFR0_EL1.PARange covers its whole map, and a size whose root
 * needs no concatenated tables), never above what the CPU supports
 * (PARange, and 48 without FEAT_LPA). 0 if it cannot fit.
 */
unsigned stage2_ipa_bits(u64 top, const struct cpu_features *f);
/* VTCR_EL2 for that IPA size and the CPU's PARange and VMID width. */
u64 stage2_vtcr(unsigned ipa_bits, const struct cpu_features *f);
u64 stage2_vttbr(const struct pgtable *pt, u16 vmid);

/*
 * The smallest IPA size, in bits, a VM must get whatever its map: 40 for
 * a VM with a virtual EL2 (KVM in L1 creates 40-bit VMs by default, and
 * what L1 reads in ID_AA64MMFR0_EL1.PARange must allow them: the shadow
 * walk checks L1's output addresses against it), 0 otherwise.
 * stage2_ipa_bits rounds it up to a size it gives (44).
 */
unsigned stage2_min_ipa_bits(bool virtual_el2);

/* VMIDs: include/nv/vmid.h (plain VMs pin theirs). */

#endif
