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

#include <nv/bits.h>
#include <nv/mmio.h>
#include <nv/spinlock.h>
#include <nv/types.h>

#define VGIC_NR_PRIVATE 32
/* SPIs INTID 32..1019 at most (1020..1023 are special, GIC spec 2.2.1). */
#define VGIC_MAX_SPIS 988
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

/* GICD_CTLR of the emulated distributor, DS = 1 layout (IHI 0069H, GICD_CTLR). */
#define GICD_CTLR_ENABLE_G0 BIT(0)
#define GICD_CTLR_ENABLE_G1 BIT(1)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_DS BIT(6)

/* ICH_HCR_EL2 fields. */
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1)  /* maintenance IRQ when <= 1 LR is valid */
#define ICH_HCR_LRENPIE BIT(2)
#define ICH_HCR_NPIE BIT(3) /* maintenance IRQ when no LR is pending */
#define ICH_HCR_VGRP0EIE BIT(4)
#define ICH_HCR_VGRP0DIE BIT(5)
#define ICH_HCR_VGRP1EIE BIT(6)
#define ICH_HCR_VGRP1DIE BIT(7)
#define ICH_HCR_EOICOUNT GENMASK(31, 27)

/* ICH_VTR_EL2 fields. */
#define ICH_VTR_LISTREGS GENMASK(4, 0)
#define ICH_VTR_PRIBITS GENMASK(31, 29)
#define VGIC_MAX_APRS 4

/* Guest-physical layout: GICD is 64 KiB, each GICR an RD + SGI frame. */
#define VGIC_DIST_SIZE SZ_64K
#define VGIC_REDIST_FRAME SZ_64K
#define VGIC_REDIST_STRIDE (2 * SZ_64K)

struct vcpu;

/*
 * One virtual interrupt's state. Its dynamic state is protected by the
 * ap_lock of the vCPU it belongs to: its owner (the vCPU whose ap_list
 * holds it) or, when on no list, its target (SGIs/PPIs: their vCPU; SPIs:
 * the vCPU GICD_IROUTER names, which changes only under vm->vgic.lock).
 */
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
	u8 lr_state;       /* ICH_LR state it was flushed with */
	bool retrigger;    /* made pending again while in an LR */
	bool hw_active;    /* HW: the physical one is active, left to the guest */
	bool migrate;      /* SPI re-routed while in its owner's LRs */
	u32 intid;
	struct vcpu *owner;  /* whose ap_list holds it, NULL if none */
	struct virq *ap_next, *ap_prev;
};

struct vgic_cpu {
	struct virq priv[VGIC_NR_PRIVATE]; /* SGIs and PPIs */
	/*
	 * The interrupts pending or active for this vCPU (as KVM's ap_list),
	 * unordered; entry and exit look at these only. ap_lock covers the
	 * list, the state of the virqs on it, of its private ones, and the
	 * list-register copy below.
	 */
	struct spinlock ap_lock;
	struct virq *ap_head;
	bool changed;      /* a virq of this vCPU changed since the last flush */
	struct virq *lr_virq[VGIC_MAX_LRS]; /* the virq in each used LR */
	u32 gicr_ctlr;
	u32 gicr_waker;
	/* Saved virtual CPU interface while the vCPU is not running. */
	u64 lr[VGIC_MAX_LRS];
	u32 vmcr;
	u32 ap0r[VGIC_MAX_APRS]; /* ICH_AP0R<n>_EL2 */
	u32 ap1r[VGIC_MAX_APRS]; /* ICH_AP1R<n>_EL2 */
	u32 hcr;      /* ICH_HCR_EL2 to enter with (vgic_flush) */
	u32 hcr_exit; /* ICH_HCR_EL2 as the exit left it (its EOIcount) */
	unsigned used_lrs; /* LRs filled by the last vgic_flush() */
};

struct vgic_dist {
	struct spinlock lock;
	u32 ctlr;
	unsigned nr_spis;
	struct virq spi[VGIC_MAX_SPIS];
	u64 dist_base;
	u64 redist_base; /* one 128 KiB (RD + SGI frame) region per vCPU */
	u32 kick;        /* vCPUs (by id) to kick once the lock is dropped */
};

struct vm;

/*
 * Sets up the VM's distributor and registers the GICD/GICR MMIO ranges
 * (GICD: 64 KiB at dist_base; GICR: 128 KiB per vCPU from redist_base).
 * The vCPUs must exist (vm->nr_vcpus, vm->vcpus[]): their redistributor
 * state is reset too (vgic_init_vcpu). nr_spis is rounded up to a multiple
 * of 32 (but not past VGIC_MAX_SPIS); false if it exceeds VGIC_MAX_SPIS or
 * a range cannot be registered.
 */
bool vgic_init_vm(struct vm *vm, u64 dist_base, u64 redist_base,
		  unsigned nr_spis);
/* Redistributor reset state; only touches vcpu->vgic. */
void vgic_init_vcpu(struct vcpu *vcpu);
/* Back to the reset state (VM reset); the MMIO ranges stay registered. */
void vgic_reset_state(struct vm *vm);

/*
 * Marks an interrupt as backed by physical interrupt hw_intid (its LRs get
 * HW = 1, so the guest's deactivation deactivates hw_intid). False if the
 * INTID does not exist (PPIs/SGIs need vcpu).
 */
bool vgic_set_hw(struct vm *vm, struct vcpu *vcpu, u32 intid, u32 hw_intid);
/*
 * The physical interrupt behind a HW-backed private interrupt was taken
 * and left active (ICC_CTLR_EL1.EOImode = 1, no DIR): its source is
 * asserted. The guest's deactivation of the HW list register deactivates
 * it (GIC spec 4.4, ICH_LR<n>_EL2.HW).
 */
void vgic_hw_fired(struct vcpu *vcpu, u32 intid);
/*
 * True, once, if that physical interrupt is still active although the
 * virtual one is neither pending, active nor in a list register (its
 * source went low before the guest took it): the caller deactivates the
 * physical interrupt, so that the source's next assertion is taken.
 */
bool vgic_hw_release(struct vcpu *vcpu, u32 intid);
/* Raises or lowers an interrupt input (PPIs on the given vCPU). */
void vgic_set_level(struct vm *vm, struct vcpu *vcpu, u32 intid, bool level);
/*
 * Makes an edge interrupt pending (SGIs, edge PPIs/SPIs); on a
 * level-sensitive one, sets the software pending latch like GICD_ISPENDR.
 */
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

/*
 * Makes a vCPU notice new work: an interrupt to its physical CPU if it
 * runs elsewhere (sched.c; a counter in the fake arch).
 */
void vcpu_kick(struct vcpu *vcpu);

/* Number of list registers (ICH_VTR_EL2.ListRegs + 1), set once at boot. */
extern unsigned vgic_nr_lrs;
/* Number of ICH_AP0R<n>_EL2 (and of AP1R<n>) registers, set once at boot. */
extern unsigned vgic_nr_aprs;

/*
 * ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2 implemented for a number of virtual
 * priority bits (ICH_VTR_EL2.PRIbits + 1): one register of 32 bits per 32
 * active-priority levels, so 1 for 5 bits, 2 for 6, 4 for 7.
 */
static inline unsigned vgic_aprs_for_pribits(unsigned pribits)
{
	if (pribits <= 5)
		return 1;
	return pribits == 6 ? 2 : VGIC_MAX_APRS;
}

/* ICH_LR<n>_EL2 value for a virtual interrupt. */
static inline u64 vgic_lr_encode(u32 vintid, u8 priority, bool group1,
				 bool hw, u32 pintid, u64 state)
{
	u64 lr = field_prep(ICH_LR_VINTID_MASK, vintid) |
		 field_prep(ICH_LR_PRIORITY_MASK, priority) |
		 field_prep(ICH_LR_STATE_MASK, state);

	if (group1)
		lr |= ICH_LR_GROUP;
	if (hw)
		lr |= ICH_LR_HW | field_prep(ICH_LR_PINTID_MASK, pintid);
	return lr;
}

static inline u64 vgic_lr_state(u64 lr)
{
	return field_get(ICH_LR_STATE_MASK, lr);
}

/*
 * Shared by src/irq/vgic*.c only. The callers of the *_locked functions
 * and of vgic_irqreg_access() hold vm->vgic.lock.
 */

/*
 * Locks the ap_lock that covers v (private ones: vcpu's; SPIs: owner's or
 * target's, vm->vgic.lock held) and returns that vCPU; NULL (nothing
 * locked) for an SPI on no list and routed to no vCPU, whose state then
 * only vm->vgic.lock covers.
 */
struct vcpu *vgic_lock_virq(struct vm *vm, struct vcpu *vcpu, struct virq *v);
void vgic_unlock_virq(struct vcpu *locked);
/*
 * After a change of v's state or configuration, under vgic_lock_virq()
 * (locked: what it returned): queues v on its target's ap_list if it is
 * now pending or active, and marks that vCPU's list registers stale.
 * True if v can now be signalled to that vCPU: the caller wakes it
 * (vcpu_kick, or vm->vgic.kick under vm->vgic.lock).
 */
bool vgic_changed(struct vm *vm, struct vcpu *locked, struct virq *v);
/* Can v's pending state be signalled to vcpu (WFI wake-up rule)? */
bool vgic_signallable(const struct vm *vm, const struct virq *v);
/* The vCPU GICD_IROUTER names for an SPI, NULL if none (vm->vgic.lock). */
struct vcpu *vgic_spi_target(struct vm *vm, const struct virq *v);
/* A GICD_IROUTER write: moves a listed SPI to its new target's list. */
void vgic_spi_rerouted_locked(struct vm *vm, struct virq *v);

/* GICD_IIDR / GICR_IIDR: Implementer Arm (JEP106 0x43b), ProductID 'N'. */
#define VGIC_IIDR UINT32_C(0x4e00043b)
/* GICD_PIDR2 / GICR_PIDR2: ArchRev [7:4] = 3 (GICv3). */
#define VGIC_PIDR2_ARCHREV GENMASK(7, 4)

extern const struct mmio_ops vgic_dist_ops;
extern const struct mmio_ops vgic_redist_ops;

/* The state of an INTID (private ones: vcpu's), NULL if it does not exist. */
struct virq *vgic_get_virq(struct vm *vm, struct vcpu *vcpu, u32 intid);
/* Pending state: the latch, or a level-sensitive input that is high. */
static inline bool vgic_virq_pending(const struct virq *v)
{
	return v->pending || (!v->edge && v->level);
}
/*
 * A guest's write of v's register (vm->vgic.lock held, v not locked):
 * vgic_changed() under v's lock, and its target noted in vm->vgic.kick if
 * v can now be signalled, to be woken by vgic_kick_noted() once the lock
 * is dropped. vgic_note_all_locked() marks every vCPU's list registers
 * stale and, with wake, notes them all (GICD_CTLR).
 */
void vgic_note_wake_locked(struct vm *vm, struct vcpu *locked, struct virq *v);
void vgic_note_all_locked(struct vm *vm, bool wake);
/* Kicks the noted vCPUs; called without the lock, by the writer. */
void vgic_kick_noted(struct vm *vm, u32 kick);
/* Sets the pending latch (edge, GICD_ISPENDR, SGI), noting re-triggers. */
void vgic_make_pending_locked(struct virq *v);
/*
 * The per-INTID registers IGROUPR..ICFGR, at their offset in the layout
 * GICD and the GICR SGI frame share (GICD_IGROUPR<n>..GICD_ICFGR<n>). INTIDs
 * outside [first, end) are RAZ/WI. False for a width the register does
 * not support.
 */
bool vgic_irqreg_access(struct vm *vm, struct vcpu *target, u64 offset,
			struct mmio_access *a, u32 first, u32 end);

#endif
