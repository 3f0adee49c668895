/*
 * The virtual GICv3 of a VM (GIC architecture spec IHI 0069): emulated
 * distributor (GICD_*) and redistributors (GICR_*, RD and SGI frames), with
 * interrupts delivered through the hardware list registers (ICH_LR<n>_EL2).
 *
 * Plain half (this file's API): one VM, one level. The nested half
 * (emulating ICH_* for a guest hypervisor) will sit beside it in
 * vgic_nested.c and reuse the LR encoding helpers.
 */
#ifndef NV_VGIC_H
#define NV_VGIC_H

#include <nv/mmio.h>
#include <nv/spinlock.h>
#include <nv/types.h>

#define VGIC_NR_PRIVATE 32
#define VGIC_MAX_SPIS 256 /* SPIs INTID 32..287 at most */
#define VGIC_MAX_LRS 16
#define VGIC_MAX_VCPUS 8 /* = VM_MAX_VCPUS */

/* ICH_LR<n>_EL2 fields (GIC spec 12.4.6). */
#define ICH_LR_VINTID_MASK GENMASK(31, 0)
#define ICH_LR_PINTID_MASK GENMASK(44, 32)
#define ICH_LR_PRIORITY_MASK GENMASK(55, 48)
#define ICH_LR_GROUP BIT(60)
#define ICH_LR_HW BIT(61)
#define ICH_LR_STATE_MASK GENMASK(63, 62)
#define ICH_LR_STATE_PENDING UINT64_C(1)
#define ICH_LR_STATE_ACTIVE UINT64_C(2)

/* One virtual interrupt's state. */
struct virq {
	u8 priority;
	bool enabled;
	bool pending;      /* edge latch or software pending */
	bool level;        /* line level (level-sensitive inputs) */
	bool active;
	bool edge;         /* GICD_ICFGR: edge-triggered */
	bool group1;
	bool hw;           /* backed by a physical interrupt (LR.HW) */
	u32 hw_intid;
	u64 route;         /* SPIs: GICD_IROUTER (affinity) */
	s32 lr;            /* index of the LR holding it, -1 if none */
};

struct vgic_cpu {
	struct virq priv[VGIC_NR_PRIVATE]; /* SGIs and PPIs */
	u32 gicr_ctlr;
	u32 gicr_waker;
	/* Saved virtual CPU interface while the vCPU is not running. */
	u64 lr[VGIC_MAX_LRS];
	u32 vmcr;
	u32 ap1r[4];
	u32 hcr;
};

struct vgic_dist {
	struct spinlock lock;
	u32 ctlr;
	unsigned nr_spis;
	struct virq spi[VGIC_MAX_SPIS];
	u64 dist_base;
	u64 redist_base; /* one 128 KiB (RD + SGI frame) region per vCPU */
};

struct vm;
struct vcpu;

/* Sets up the VM's distributor and registers the GICD/GICR MMIO ranges. */
bool vgic_init_vm(struct vm *vm, u64 dist_base, u64 redist_base,
		  unsigned nr_spis);
void vgic_init_vcpu(struct vcpu *vcpu);

/* Raises or lowers an interrupt input (PPIs on the given vCPU). */
void vgic_set_level(struct vm *vm, struct vcpu *vcpu, u32 intid, bool level);
/* Makes an edge interrupt pending (SGIs, edge PPIs/SPIs). */
void vgic_set_pending(struct vm *vm, struct vcpu *vcpu, u32 intid);
/* Guest write of ICC_SGI1R_EL1 (GIC spec 12.11.x): sends SGIs. */
void vgic_write_sgi1r(struct vcpu *vcpu, u64 val);

/*
 * Before entering the guest: the highest-priority pending interrupts into
 * vcpu->vgic.lr[] and vcpu->vgic.hcr (ICH_HCR_EL2: En, and UIE when more
 * are pending than LRs), which the arch layer then loads into ICH_*_EL2.
 */
void vgic_flush(struct vcpu *vcpu);
/*
 * After leaving the guest (the arch layer has saved ICH_LR<n>_EL2 into
 * vcpu->vgic.lr[]): LR states back into the virq states.
 */
void vgic_sync(struct vcpu *vcpu);
/* True if an enabled interrupt is pending for this vCPU (WFI wake-up). */
bool vgic_pending(struct vcpu *vcpu);

/* Number of list registers (ICH_VTR_EL2.ListRegs + 1), set once at boot. */
extern unsigned vgic_nr_lrs;

#endif
