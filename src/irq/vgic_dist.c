/*
 * The emulated GICv3 distributor (Arm IHI 0069H, chapter 12.9, "The GIC
 * Distributor register descriptions"), with a single Security state
 * (GICD_CTLR.DS = 1) and affinity routing always on (ARE = 1). Also the
 * per-INTID registers (IGROUPR..ICFGR) whose layout the GICR SGI frame
 * reuses for INTIDs 0-31.
 */
#include <nv/bits.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_IGRPMODR 0x0d00
#define GICD_NSACR 0x0e00
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_IROUTER 0x6000
#define GICD_IROUTER_END 0x7fe0 /* INTID 1019 is the last */
#define GICD_PIDR2 0xffe8


/* GICD_TYPER. */
#define TYPER_ITLINES GENMASK(4, 0)
#define TYPER_IDBITS GENMASK(23, 19)
#define TYPER_RSS BIT(26)

/* GICD_IROUTER<n>: Aff3, IRM, Aff2.Aff1.Aff0; the rest RES0. */
#define IROUTER_MASK (GENMASK(39, 32) | BIT(31) | GENMASK(23, 0))

/* Bytes each INTID takes in a per-INTID register: bits / 8. */
#define ONE_BIT_REGS_END GICD_IPRIORITYR
#define PRIORITY_END (GICD_IPRIORITYR + 1024)
#define ICFGR_END (GICD_ICFGR + 1024 / 16 * 4)

static bool in_window(u32 intid, u32 first, u32 end)
{
	return intid >= first && intid < end;
}

/* Reads return the register zero-extended to the access size. */
/* One-bit-per-INTID read: IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER. */
static bool bit_read(unsigned reg, const struct virq *v)
{
	switch (reg) {
	case GICD_IGROUPR:
		return v->group1;
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		return v->enabled;
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		return vgic_virq_pending(v);
	default: /* GICD_ISACTIVER, GICD_ICACTIVER */
		return v->active;
	}
}

/*
 * Writing 1 sets (IS*) or clears (IC*) the state, 0 has no effect;
 * GICD_IGROUPR is a plain read/write bit (DS = 1). GICD_ICPENDR clears
 * only the latch: a level-sensitive input that is high stays pending.
 */
static void bit_write(unsigned reg, struct virq *v, bool bit)
{
	if (reg == GICD_IGROUPR) {
		v->group1 = bit;
		return;
	}
	if (!bit)
		return;
	switch (reg) {
	case GICD_ISENABLER:
		v->enabled = true;
		break;
	case GICD_ICENABLER:
		v->enabled = false;
		break;
	case GICD_ISPENDR:
		vgic_make_pending_locked(v);
		break;
	case GICD_ICPENDR:
		v->pending = false;
		v->retrigger = false;
		break;
	case GICD_ISACTIVER:
		v->active = true;
		break;
	default: /* GICD_ICACTIVER */
		v->active = false;
		break;
	}
}

/* 32-bit only; bit n of register k is INTID 32 * k + n. */
static bool one_bit_access(struct vm *vm, struct vcpu *target, u64 off,
			   struct mmio_access *a, u32 first, u32 end)
{
	unsigned reg = (unsigned)(off & ~UINT64_C(0x7f));
	u32 base = (u32)(off & 0x7f) / 4 * 32;
	u32 val = 0, i;
	struct vcpu *l;

	if (a->size != 4)
		return false;
	for (i = 0; i < 32; i++) {
		struct virq *v;

		if (!in_window(base + i, first, end))
			continue;
		v = vgic_get_virq(vm, target, base + i);
		if (!v)
			continue;
		l = vgic_lock_virq(vm, target, v);
		if (a->write) {
			bool bit = (a->data & BIT(i)) != 0;

			bit_write(reg, v, bit);
			if (bit || reg == GICD_IGROUPR)
				vgic_note_wake_locked(vm, l, v);
		} else if (bit_read(reg, v)) {
			val |= (u32)BIT(i);
		}
		vgic_unlock_virq(l);
	}
	if (!a->write)
		mmio_set_read(a, val);
	return true;
}

/* GICD_IPRIORITYR<n>: a byte per INTID, byte or word access. */
static bool priority_access(struct vm *vm, struct vcpu *target, u64 off,
			    struct mmio_access *a, u32 first, u32 end)
{
	u32 base = (u32)(off - GICD_IPRIORITYR), val = 0, i;
	struct vcpu *l;

	if (a->size != 1 && a->size != 4)
		return false;
	for (i = 0; i < a->size; i++) {
		struct virq *v = NULL;

		if (in_window(base + i, first, end))
			v = vgic_get_virq(vm, target, base + i);
		if (!v)
			continue;
		l = vgic_lock_virq(vm, target, v);
		if (a->write) {
			v->priority = (u8)(a->data >> (8 * i));
			vgic_changed(vm, l, v);
		} else {
			val |= (u32)v->priority << (8 * i);
		}
		vgic_unlock_virq(l);
	}
	if (!a->write)
		mmio_set_read(a, val);
	return true;
}

/*
 * GICD_ICFGR<n>: Int_config[1] of each 2-bit field is 1 for
 * edge-triggered. SGIs are always edge-triggered (read-only).
 */
static bool config_access(struct vm *vm, struct vcpu *target, u64 off,
			  struct mmio_access *a, u32 first, u32 end)
{
	u32 base = (u32)(off - GICD_ICFGR) / 4 * 16, val = 0, i;
	struct vcpu *l;

	if (a->size != 4)
		return false;
	for (i = 0; i < 16; i++) {
		struct virq *v = NULL;

		if (in_window(base + i, first, end))
			v = vgic_get_virq(vm, target, base + i);
		if (!v)
			continue;
		l = vgic_lock_virq(vm, target, v);
		if (a->write && base + i >= 16) {
			bool edge = (a->data & BIT(2 * i + 1)) != 0;

			/* edge to level with the line high: pending now, so wake */
			if (edge != v->edge) {
				v->edge = edge;
				vgic_note_wake_locked(vm, l, v);
			}
		} else if (!a->write && v->edge) {
			val |= (u32)BIT(2 * i + 1);
		}
		vgic_unlock_virq(l);
	}
	if (!a->write)
		mmio_set_read(a, val);
	return true;
}

bool vgic_irqreg_access(struct vm *vm, struct vcpu *target, u64 offset,
			struct mmio_access *a, u32 first, u32 end)
{
	if (offset >= GICD_IGROUPR && offset < ONE_BIT_REGS_END)
		return one_bit_access(vm, target, offset, a, first, end);
	if (offset >= GICD_IPRIORITYR && offset < PRIORITY_END)
		return priority_access(vm, target, offset, a, first, end);
	if (offset >= GICD_ICFGR && offset < ICFGR_END)
		return config_access(vm, target, offset, a, first, end);
	/* Not a per-INTID register: reserved, RAZ/WI. */
	if (!a->write)
		a->data = 0;
	return true;
}

/* GICD_TYPER: no LPIs or MBIs, 10 INTID bits, RSS supported. */
static u32 typer(const struct vm *vm)
{
	/* ITLinesNumber: 32 * (N + 1) INTIDs, the last block possibly partial. */
	u64 lines = (vm->vgic.nr_spis + VGIC_NR_PRIVATE + 31) / 32 - 1;

	return (u32)(field_prep(TYPER_ITLINES, lines) |
		     field_prep(TYPER_IDBITS, 10 - 1) | TYPER_RSS);
}

/*
 * GICD_CTLR (DS = 1): EnableGrp0/EnableGrp1 writable; ARE and DS
 * RAO/WI; RWP reads 0 (writes take effect at once).
 */
static bool ctlr_access(struct vm *vm, struct mmio_access *a)
{
	u32 writable = (u32)(GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1);

	if (a->write) {
		u32 old = vm->vgic.ctlr, new = (u32)a->data & writable;

		__atomic_store_n(&vm->vgic.ctlr, new, __ATOMIC_RELAXED);
		/*
		 * Every vCPU's list registers are stale; a group enabled: its
		 * pending interrupts may be signalled, wake their vCPUs.
		 */
		if (new != old)
			vgic_note_all_locked(vm, (new & ~old) != 0);
	} else
		mmio_set_read(a, vm->vgic.ctlr | GICD_CTLR_ARE | GICD_CTLR_DS);
	return true;
}

/* GICD_CTLR, GICD_TYPER, GICD_IIDR, GICD_TYPER2 (all 32-bit). */
static bool ctrl_regs_access(struct vm *vm, u64 off, struct mmio_access *a)
{
	u64 val;

	if (off > GICD_TYPER2) {
		if (!a->write)
			a->data = 0; /* reserved: RAZ/WI */
		return true;
	}
	if (a->size != 4)
		return false;
	switch (off) {
	case GICD_CTLR:
		return ctlr_access(vm, a);
	case GICD_TYPER:
		val = typer(vm);
		break;
	case GICD_IIDR:
		val = VGIC_IIDR;
		break;
	default: /* GICD_TYPER2: no vPE IDs, no nASSGI, no extended SPIs */
		val = 0;
		break;
	}
	if (!a->write) /* read-only registers: writes ignored */
		mmio_set_read(a, val);
	return true;
}

/*
 * GICD_IROUTER<n>: 64-bit, or either 32-bit half. Entries for
 * INTIDs 0-31 and for SPIs the VM does not have are reserved: RAZ/WI.
 */
static bool irouter_access(struct vm *vm, u64 off, struct mmio_access *a)
{
	u32 intid = (u32)((off - GICD_IROUTER) / 8);
	unsigned shift = (off & 4) ? 32 : 0;
	u64 mask = a->size == 8 ? ~UINT64_C(0) : GENMASK(31, 0) << shift;
	struct virq *v = NULL;

	if (a->size != 4 && a->size != 8)
		return false;
	if (intid >= VGIC_NR_PRIVATE)
		v = vgic_get_virq(vm, NULL, intid);
	if (a->write && v) {
		/* Only writers (vm->vgic.lock) look at the route of an SPI. */
		v->route = ((v->route & ~mask) |
			    ((a->data << shift) & mask)) & IROUTER_MASK;
		vgic_spi_rerouted_locked(vm, v); /* a pending SPI moves */
	} else if (!a->write)
		mmio_set_read(a, v ? (v->route & mask) >> shift : 0);
	return true;
}

/* 32-bit RAZ/WI registers (IGRPMODR and NSACR with DS = 1, SGIR, IDs). */
static bool raz_wi32(struct mmio_access *a)
{
	if (a->size != 4)
		return false;
	if (!a->write)
		a->data = 0;
	return true;
}

/* Byte or word RAZ/WI: ITARGETSR and C/SPENDSGIR, ignored with ARE = 1. */
static bool raz_wi8_32(struct mmio_access *a)
{
	if (a->size != 1 && a->size != 4)
		return false;
	if (!a->write)
		a->data = 0;
	return true;
}

/* GICD_PIDR2 (12.9.25, ID registers 0xFFD0-0xFFFC): ArchRev = 3. */
static bool id_regs_access(u64 off, struct mmio_access *a)
{
	if (a->size != 4)
		return false;
	if (!a->write)
		mmio_set_read(a, off == GICD_PIDR2 ?
			 field_prep(VGIC_PIDR2_ARCHREV, 3) : 0);
	return true;
}

static bool dist_access_locked(struct vm *vm, u64 off, struct mmio_access *a)
{
	u32 spi_end = VGIC_NR_PRIVATE + vm->vgic.nr_spis;

	if (off < GICD_IGROUPR)
		return ctrl_regs_access(vm, off, a);
	if (off >= GICD_ITARGETSR && off < GICD_ICFGR)
		return raz_wi8_32(a);
	/* ARE = 1: the INTID 0-31 fields are RAZ/WI (the GICRs have them). */
	if (off < GICD_IGRPMODR)
		return vgic_irqreg_access(vm, NULL, off, a, VGIC_NR_PRIVATE,
					  spi_end);
	if (off >= GICD_IGRPMODR && off < GICD_SGIR)
		return raz_wi32(a);
	if (off == GICD_SGIR)
		return raz_wi32(a); /* WI with ARE = 1 */
	if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 0x20)
		return raz_wi8_32(a);
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END)
		return irouter_access(vm, off, a);
	if (off >= 0xffd0)
		return id_regs_access(off, a);
	if (!a->write)
		a->data = 0; /* reserved: RAZ/WI */
	return true;
}

/*
 * IHI 0069H "GIC memory-mapped register access": naturally aligned
 * accesses only; others are aborted.
 */
static bool dist_access(struct vcpu *vcpu, void *dev, u64 offset,
			struct mmio_access *a)
{
	struct vm *vm = dev;
	bool ok;
	u32 kick;

	(void)vcpu;
	if (a->size == 0 || a->size > 8 || !IS_ALIGNED(offset, a->size))
		return false;
	spin_lock(&vm->vgic.lock);
	ok = dist_access_locked(vm, offset, a);
	kick = vm->vgic.kick;
	vm->vgic.kick = 0;
	spin_unlock(&vm->vgic.lock);
	vgic_kick_noted(vm, kick);
	return ok;
}

const struct mmio_ops vgic_dist_ops = {
	.access = dist_access,
};
