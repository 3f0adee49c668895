/*
 * The nested half of the vGIC: the GIC virtualization control interface
 * (ICH_*_EL2, GIC spec IHI 0069 chapter 12.4) emulated for a guest
 * hypervisor L1. These are the rules that need no CPU: the status
 * registers derived from L1's list registers (ICH_ELRSR_EL2,
 * ICH_EISR_EL2, ICH_MISR_EL2), when L1's maintenance interrupt is
 * asserted, and how one of L1's list registers becomes a hardware one
 * while L2 runs and comes back. Host-tested; not yet wired.
 *
 * Above those rules (second half of this file): the per-vCPU state of
 * the interface (struct vgic_nested, embedded in the vCPU's nested
 * state), the emulation of L1's MRS/MSR of ICH_*_EL2, the hardware list
 * registers built from L1's while L2 runs and folded back after each of
 * L2's exits, L1's maintenance interrupt, and L2's WFI wake-up rule.
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
#define VICH_VMCR_VACKCTL BIT(2)
#define VICH_VMCR_VFIQEN BIT(3)
#define VICH_VMCR_VCBPR BIT(4)
#define VICH_VMCR_VEOIM BIT(9)
#define VICH_VMCR_VBPR1 GENMASK(20, 18)
#define VICH_VMCR_VBPR0 GENMASK(23, 21)
#define VICH_VMCR_VPMR GENMASK(31, 24)
/* ICH_HCR_EL2 fields beyond those of nv/vgic.h (GIC spec 12.4.2) */
#define VICH_HCR_VSGIEOICOUNT BIT(8)
#define VICH_HCR_TC BIT(10)
#define VICH_HCR_TALL0 BIT(11)
#define VICH_HCR_TALL1 BIT(12)
#define VICH_HCR_TSEI BIT(13)
#define VICH_HCR_TDIR BIT(14)
#define VICH_HCR_DVIM BIT(15)
/* ICH_VTR_EL2 fields beyond those of nv/vgic.h (GIC spec 12.4.9) */
#define VICH_VTR_TDS BIT(19)
#define VICH_VTR_NV4 BIT(20)
#define VICH_VTR_A3V BIT(21)
#define VICH_VTR_SEIS BIT(22)
#define VICH_VTR_IDBITS GENMASK(25, 23)
#define VICH_VTR_PREBITS GENMASK(28, 26)
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

/* ---- the interface of one vCPU ------------------------------------------ */

struct vcpu;

/*
 * The GIC virtual CPU interface as the hardware holds it while L2 runs:
 * what arch_vgic_nested_load() writes and arch_vgic_nested_save() reads
 * back (ICH_LR<n>_EL2 for n < used_lrs, ICH_HCR_EL2, ICH_VMCR_EL2 and
 * every implemented ICH_AP0R<n>_EL2/ICH_AP1R<n>_EL2).
 */
struct vich_hw {
	u64 lr[VGIC_MAX_LRS];
	unsigned used_lrs;
	u32 hcr;      /* ICH_HCR_EL2 to enter L2 with */
	u32 hcr_exit; /* ICH_HCR_EL2 as L2's exit left it (its EOIcount) */
	u32 vmcr;
	u32 ap0r[VGIC_MAX_APRS];
	u32 ap1r[VGIC_MAX_APRS];
};

/*
 * The emulated GIC hypervisor interface of one vCPU of a guest
 * hypervisor. Only the physical CPU running that vCPU touches it (L1's
 * ICH_* accesses and L2's entries and exits all happen there), so it has
 * no lock; what it changes in the plain vGIC (the maintenance PPI, L1's
 * interrupts deactivated by L2) goes through the vGIC's own locking.
 */
struct vgic_nested {
	struct vcpu *vcpu;  /* the vCPU it belongs to (L1's vGIC) */
	u32 maint_intid;    /* L1's maintenance interrupt (a PPI, INTID 25) */
	bool maint_level;   /* the level last given to that PPI */
	/* What L1 is shown: ICH_VTR_EL2, and how many LRs and APRs exist. */
	u64 vtr;
	unsigned nr_lrs;
	unsigned nr_aprs;
	/* L1's registers, as its writes left them (RES0 fields cleared). */
	u64 hcr;
	u64 vmcr;
	u64 ap0r[VGIC_MAX_APRS];
	u64 ap1r[VGIC_MAX_APRS];
	u64 lr[VICH_MAX_LRS];
	/*
	 * The last vgic_nested_flush(): the hardware image, and for each of
	 * its LRs the L1 LR it came from and how it was translated.
	 */
	struct vich_hw hw;
	u8 hw_from[VGIC_MAX_LRS];
	u8 hw_kind[VGIC_MAX_LRS]; /* VICH_KIND_* */
};

/* How one of L1's LRs went to the hardware (vgic_nested_flush). */
#define VICH_KIND_SW 0      /* HW 0: as L1 wrote it */
#define VICH_KIND_HW 1      /* HW 1 kept: pINTID is L0's physical INTID */
#define VICH_KIND_HW_EOI 2  /* HW 1 made software, EOI 1: L0 deactivates */
#define VICH_KIND_HW_NONE 3 /* HW 1 naming no interrupt of L1: software */

/*
 * ICH_VTR_EL2 of this machine (arch_vgic_cpu_init; a QEMU-like value on
 * the host): the priority, preemption and INTID bits L1 is offered come
 * from it, its list registers from vgic_nr_lrs.
 */
extern u64 vgic_ich_vtr;
#define VICH_VTR_DEFAULT                                                      \
	(UINT64_C(3) | VICH_VTR_TDS | VICH_VTR_NV4 | VICH_VTR_A3V |            \
	 UINT64_C(4) << 26 | UINT64_C(4) << 29)

/* The maintenance interrupt of the guest's GIC node (core/guest_fdt.c). */
#define VICH_MAINT_INTID 25

/*
 * Sets up vcpu's interface in its reset state: L1's registers at their
 * reset values (ICH_HCR_EL2 0, every LR 0, ICH_VMCR_EL2 with VFIQEn and
 * the smallest binary points), ICH_VTR_EL2 from this machine's, the
 * maintenance line low. Call it when the vCPU's vGIC is reset as well
 * (vgic_init_vcpu, vgic_reset_state), which lowers L1's PPI 25.
 */
void vgic_nested_init(struct vgic_nested *n, struct vcpu *vcpu);

/*
 * True for the encodings (SYSREG_ENC) of the ICH_*_EL2 block, op0 3,
 * op1 4, CRn 12, CRm 8..13, other than ICC_SRE_EL2 (CRm 9, op2 5): the
 * trap dispatch hands those to vgic_nested_sysreg(), not to the vel2
 * register table (whose ICH_* rows then hold nothing).
 */
bool vgic_nested_owns(u32 enc);

/*
 * L1's MRS (write false: *val set) or MSR (write true: *val written) of
 * an ICH_*_EL2 register (GIC spec 12.4). False when the access is
 * UNDEFINED: an encoding of the block that names no register, a write of
 * a read-only one (ICH_VTR_EL2, ICH_MISR_EL2, ICH_EISR_EL2,
 * ICH_ELRSR_EL2), ICH_LR<n>_EL2 with n past ICH_VTR_EL2.ListRegs,
 * ICH_AP0R<n>/AP1R<n>_EL2 with n past what ICH_VTR_EL2.PRIbits
 * implements. Writes keep only the fields that exist for what ICH_VTR_EL2
 * advertises; every write recomputes L1's maintenance interrupt.
 */
bool vgic_nested_sysreg(struct vgic_nested *n, u32 enc, bool write, u64 *val);

/*
 * Recomputes L1's maintenance interrupt (ICH_HCR_EL2.En and a
 * condition of ICH_MISR_EL2) and sets the PPI's level when it changed.
 * vgic_nested_sysreg() and vgic_nested_sync() call it; with FEAT_NV2,
 * after L1's registers are taken from the VNCR page, the caller does.
 */
void vgic_nested_update(struct vgic_nested *n);

/*
 * Before each entry into L2: n->hw built from L1's list registers and
 * ICH_HCR_EL2, ICH_VMCR_EL2, ICH_AP0R/AP1R<n>_EL2 (see vgic_nested.c for
 * how HW LRs are translated). arch_vgic_nested_load() then loads it.
 */
void vgic_nested_flush(struct vgic_nested *n);
/*
 * After each exit from L2 (once arch_vgic_nested_save() has read n->hw
 * back): the LR states, ICH_HCR_EL2.EOIcount, ICH_VMCR_EL2 and the active
 * priorities folded into L1's registers; L1's interrupts that L2
 * deactivated through a HW LR of L1 deactivated in L1's vGIC; L1's
 * maintenance interrupt recomputed.
 */
void vgic_nested_sync(struct vgic_nested *n);

/*
 * L2's WFI wake-up: an LR of L1 holds an interrupt the virtual CPU
 * interface could signal to L2 (ICH_HCR_EL2.En, State pending, its
 * group enabled in ICH_VMCR_EL2, priority higher than VPMR). Active
 * priorities are not looked at: a spurious wake-up is harmless.
 */
bool vgic_nested_l2_pending(const struct vgic_nested *n);

/*
 * L2's access to an ICC_*_EL1 register (enc) trapped to EL2: true when
 * L1's ICH_HCR_EL2 asked for it (TC, TALL0, TALL1, TDIR), so the trap
 * belongs to L1 (injected into vEL2), not to nestvisor. These trap bits
 * are passed on to the hardware while L2 runs.
 */
bool vgic_nested_icc_trapped(const struct vgic_nested *n, u32 enc);

/*
 * Arch (gic_cpuif.c; fake_arch.c for the host). load: the vCPU's own
 * ICH_VMCR_EL2 and active priorities (L1's, live since arch_vcpu_load)
 * saved into vcpu->vgic, then hw loaded. save: hw read back, ICH_HCR_EL2
 * cleared, the vCPU's own ICH_VMCR_EL2 and active priorities put back.
 * Between the two the hardware holds L2's interface; outside, L1's, so
 * arch_vcpu_load/put and arch_vgic_load/save stay as they are.
 */
void arch_vgic_nested_load(struct vcpu *vcpu, const struct vich_hw *hw);
void arch_vgic_nested_save(struct vcpu *vcpu, struct vich_hw *hw);

#endif
