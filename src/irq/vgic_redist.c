/*
 * The emulated GICv3 redistributors (Arm IHI 0069H, "The GIC
 * Redistributor register descriptions"): one 128 KiB region per vCPU, an
 * RD frame (control, identification, power) then an SGI frame (the
 * per-INTID registers of the SGIs and PPIs). No LPIs.
 */
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>

/* RD frame. */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_TYPER_HI 0x000c
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_ID_REGS 0xffd0
#define GICR_PIDR2 0xffe8

/* SGI frame (offsets within it). */
#define GICR_IGROUPR0 0x0080
#define GICR_ICFGR1 0x0c04
#define GICR_IGRPMODR0 0x0d00
#define GICR_NSACR 0x0e00

/* GICR_TYPER. */
#define TYPER_LAST BIT(4)
#define TYPER_PROC_NUM GENMASK(23, 8)
#define TYPER_AFFINITY GENMASK(63, 32)

/* GICR_WAKER. */
#define WAKER_PS BIT(1)
#define WAKER_CA BIT(2)

/* GICR_TYPER.Affinity_Value is Aff3.Aff2.Aff1.Aff0 of the PE's MPIDR. */
static u64 affinity_value(u64 mpidr)
{
	return field_get(MPIDR_AFF3, mpidr) << 24 |
	       field_get(MPIDR_AFF2, mpidr) << 16 |
	       field_get(MPIDR_AFF1, mpidr) << 8 | field_get(MPIDR_AFF0, mpidr);
}

/*
 * GICR_TYPER (RO, 64-bit or two 32-bit halves): Affinity_Value,
 * Processor_Number = vCPU index, Last on the highest frame, PLPIS = VLPIS
 * = 0.
 */
static bool typer_access(const struct vm *vm, const struct vcpu *t, u64 off,
			 struct mmio_access *a)
{
	u64 val = field_prep(TYPER_AFFINITY, affinity_value(t->mpidr)) |
		  field_prep(TYPER_PROC_NUM, t->id);

	if (a->size != 4 && a->size != 8)
		return false;
	if (t->id + 1 == vm->nr_vcpus)
		val |= TYPER_LAST;
	if (!a->write)
		mmio_set_read(a, off == GICR_TYPER_HI ? val >> 32 : val);
	return true;
}

/*
 * GICR_WAKER: ProcessorSleep is writable, ChildrenAsleep follows it at
 * once (no quiescence to wait for); bits 0 and 31 RAZ/WI.
 */
static void waker_access(struct vcpu *t, struct mmio_access *a)
{
	if (a->write)
		t->vgic.gicr_waker = (a->data & WAKER_PS) ?
			(u32)(WAKER_PS | WAKER_CA) : 0;
	else
		mmio_set_read(a, t->vgic.gicr_waker);
}

/* GICR_PIDR2 and the other ID registers: only ArchRev = 3 is non-zero. */
static u64 id_reg(u64 off)
{
	return off == GICR_PIDR2 ? field_prep(VGIC_PIDR2_ARCHREV, 3) : 0;
}

/* The 32-bit RD frame registers: GICR_CTLR, IIDR, STATUSR, WAKER, IDs. */
static bool rd_reg32_access(struct vcpu *t, u64 off, struct mmio_access *a)
{
	if (a->size != 4)
		return false;
	if (off == GICR_WAKER)
		waker_access(t, a);
	else if (a->write) /* GICR_CTLR: no LPIs, all RES0; others RO */
		return true;
	else if (off == GICR_IIDR)
		mmio_set_read(a, VGIC_IIDR);
	else if (off >= GICR_ID_REGS)
		mmio_set_read(a, id_reg(off));
	else /* GICR_CTLR (RWP = UWP = 0), GICR_STATUSR */
		a->data = 0;
	return true;
}

static bool rd_frame_access(struct vm *vm, struct vcpu *t, u64 off,
			    struct mmio_access *a)
{
	if (off >= GICR_TYPER && off < GICR_STATUSR)
		return typer_access(vm, t, off, a);
	switch (off) {
	case GICR_CTLR:
	case GICR_IIDR:
	case GICR_STATUSR:
	case GICR_WAKER:
		return rd_reg32_access(t, off, a);
	default:
		break;
	}
	if (off >= GICR_ID_REGS)
		return rd_reg32_access(t, off, a);
	/* Reserved, GICR_PROPBASER/PENDBASER (no LPIs): RAZ/WI. */
	if (!a->write)
		a->data = 0;
	return true;
}

/*
 * SGI frame: GICR_IGROUPR0 .. GICR_ICFGR1 have the GICD layout restricted
 * to INTIDs 0-31 (GICR_ICFGR0: SGIs edge, read-only); GICR_IGRPMODR0 and
 * GICR_NSACR are RAZ/WI with DS = 1.
 */
static bool sgi_frame_access(struct vm *vm, struct vcpu *t, u64 off,
			     struct mmio_access *a)
{
	if (off >= GICR_IGROUPR0 && off <= GICR_ICFGR1)
		return vgic_irqreg_access(vm, t, off, a, 0, VGIC_NR_PRIVATE);
	if (off == GICR_IGRPMODR0 || off == GICR_NSACR) {
		if (a->size != 4)
			return false;
	}
	if (!a->write)
		a->data = 0; /* reserved: RAZ/WI */
	return true;
}

/*
 * The redistributor region: vCPU index = offset / 128 KiB, then the RD
 * frame (first 64 KiB) or the SGI frame. Naturally aligned accesses only.
 */
static bool redist_access(struct vcpu *vcpu, void *dev, u64 offset,
			  struct mmio_access *a)
{
	struct vm *vm = dev;
	u64 idx = offset / VGIC_REDIST_STRIDE;
	u64 off = offset % VGIC_REDIST_STRIDE;
	struct vcpu *t;
	bool ok;
	u32 kick;

	(void)vcpu;
	if (a->size == 0 || a->size > 8 || !IS_ALIGNED(offset, a->size) ||
	    idx >= vm->nr_vcpus)
		return false;
	t = vm->vcpus[idx];
	spin_lock(&vm->vgic.lock);
	if (off < VGIC_REDIST_FRAME)
		ok = rd_frame_access(vm, t, off, a);
	else
		ok = sgi_frame_access(vm, t, off - VGIC_REDIST_FRAME, a);
	kick = vm->vgic.kick;
	vm->vgic.kick = 0;
	spin_unlock(&vm->vgic.lock);
	vgic_kick_noted(vm, kick);
	return ok;
}

const struct mmio_ops vgic_redist_ops = {
	.access = redist_access,
};
