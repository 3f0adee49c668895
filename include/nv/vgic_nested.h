/*
 * The nested half of the vGIC: the GIC virtualization control interface
 * (ICH_*_EL2, GIC spec IHI 0069 chapter 12.4) emulated for a guest
 * hypervisor L1. These are the rules that need no CPU: the status
 * registers derived from L1's list registers (ICH_ELRSR_EL2,
 * ICH_EISR_EL2, ICH_MISR_EL2), when L1's maintenance interrupt is
 * asserted, and how one of L1's list registers becomes a hardware one
 * while L2 runs and comes back. Host-tested; not yet wired.
 */
#ifndef NV_VGIC_NESTED_H
#define NV_VGIC_NESTED_H

#include <nv/types.h>
#include <nv/vgic.h>

/* ICH_LR<n>_EL2.EOI (bit 41, HW == 0): maintenance interrupt on EOI. */
#define ICH_LR_EOI BIT(41)

/* ICH_VMCR_EL2 (GIC spec 12.4.10) */
#define VICH_VMCR_VENG0 BIT(0)
#define VICH_VMCR_VENG1 BIT(1)
/* ICH_MISR_EL2 (GIC spec 12.4.7) */
#define VICH_MISR_EOI BIT(0)
#define VICH_MISR_U BIT(1)
#define VICH_MISR_LRENP BIT(2)
#define VICH_MISR_NP BIT(3)
#define VICH_MISR_VGRP0E BIT(4)
#define VICH_MISR_VGRP0D BIT(5)
#define VICH_MISR_VGRP1E BIT(6)
#define VICH_MISR_VGRP1D BIT(7)

/*
 * lr[0..n) are L1's list registers; there are at most VICH_MAX_LRS
 * (ICH_LR<n>_EL2, n = 0..15), so the functions below ignore LRs past
 * them (ICH_ELRSR_EL2 and ICH_EISR_EL2 bits [63:16] are RES0).
 */
#define VICH_MAX_LRS 16

/*
 * ICH_ELRSR_EL2: bit n set when LR n is empty: State 0b00, and HW 1 or
 * EOI 0 (an invalid LR with an EOI still to report is not empty).
 */
u32 vich_elrsr(const u64 *lr, unsigned n);
/* ICH_EISR_EL2: bit n set when LR n is invalid, HW 0 and EOI 1 (an EOI to report). */
u32 vich_eisr(const u64 *lr, unsigned n);
/*
 * ICH_MISR_EL2 from L1's ICH_HCR_EL2, ICH_VMCR_EL2 and list registers.
 * U counts the LRs whose State is not 0b00; NP looks for State 0b01
 * (pending; pending and active does not count).
 */
u32 vich_misr(u64 hcr, u64 vmcr, const u64 *lr, unsigned n);
/* L1's maintenance interrupt line: ICH_HCR_EL2.En and a MISR bit set. */
bool vich_maintenance(u64 hcr, u64 vmcr, const u64 *lr, unsigned n);

/*
 * One of L1's list registers as a hardware one while L2 runs. A HW LR of
 * L1 names an interrupt of L1's own vGIC (pINTID), not a physical one, so
 * it goes to hardware as a software LR with EOI set: the EOI maintenance
 * interrupt tells nestvisor to deactivate L1's interrupt. An invalid HW
 * LR (State 0b00) gets no EOI: it has no interrupt to report.
 */
u64 vich_lr_to_hw(u64 l1_lr);
/*
 * Folds a hardware LR back into L1's (its State; the rest is L1's). True
 * when L2 deactivated an interrupt that was HW in L1's LR: nestvisor must
 * then deactivate L1's interrupt pINTID (*pintid).
 */
bool vich_lr_from_hw(u64 hw_lr, u64 *l1_lr, u32 *pintid);

#endif
