/*
 * GICv3 distributor and redistributor set-up (Arm IHI 0069, GICv3/v4
 * architecture specification, chapters 12 (GICD_*) and 12.10 (GICR_*)).
 * nestvisor takes every physical interrupt as Group 1 at EL2.
 */
#include <nv/arch.h>
#include <nv/fmt.h>
#include <nv/irq.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8

#define GICD_CTLR_ENABLE_G0_G1NS BIT(0)
#define GICD_CTLR_ENABLE_G1 BIT(1)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_RWP BIT(31)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST BIT(4)
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)

#define GICR_SGI_OFFSET SZ_64K
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ICPENDR0 0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR1 0x0c04

#define PIDR2_ARCHREV(v) (((v) >> 4) & 0xf)
#define DEFAULT_PRIORITY 0xa0u
#define PRIO4(p) ((p) | (p) << 8 | (p) << 16 | (p) << 24)

/* Polls until (read32(addr) & mask) == 0, for at most ~100 ms. */
static bool wait_clear(paddr_t addr, u32 mask)
{
	u64 end = arch_counter() + arch_counter_freq() / 10;

	while (mmio_read32(addr) & mask)
		if (arch_counter() > end)
			return false;
	return true;
}

static paddr_t dist_base;

bool gicv3_init_dist(const struct platform *p, struct gic_info *info,
		     char *err, size_t errlen)
{
	paddr_t d = p->gic.dist.base;
	u32 pidr2 = mmio_read32(d + GICD_PIDR2);
	unsigned lines, rev = PIDR2_ARCHREV(pidr2);

	if (rev != 3 && rev != 4) {
		nv_snprintf(err, errlen,
			    "%s: GICD_PIDR2.ArchRev is %u, not a GICv3/v4 distributor",
			    p->gic.path, rev);
		return false;
	}
	info->arch_rev = rev;
	dist_base = d;
	mmio_write32(d + GICD_CTLR, 0);
	if (!wait_clear(d + GICD_CTLR, GICD_CTLR_RWP)) {
		nv_snprintf(err, errlen, "%s: GICD_CTLR.RWP stuck", p->gic.path);
		return false;
	}
	/* GICD_TYPER.ITLinesNumber: 32 * (N + 1) INTIDs, at most 1020. */
	lines = MIN(32 * ((mmio_read32(d + GICD_TYPER) & 0x1f) + 1), 1020u);
	info->nr_spis = lines - 32;
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(d + GICD_ICENABLER + i / 8, ~0u);
		mmio_write32(d + GICD_ICPENDR + i / 8, ~0u);
		mmio_write32(d + GICD_ICACTIVER + i / 8, ~0u);
		mmio_write32(d + GICD_IGROUPR + i / 8, ~0u);
	}
	for (unsigned i = 32; i < lines; i += 4)
		mmio_write32(d + GICD_IPRIORITYR + i, PRIO4(DEFAULT_PRIORITY));
	for (unsigned i = 32; i < lines; i += 16)
		mmio_write32(d + GICD_ICFGR + i / 4, 0); /* level-sensitive */
	/* Route every SPI to the boot CPU (GICD_IROUTER<n>, IRM = 0). */
	for (unsigned i = 32; i < lines; i++) {
		u64 mpidr = arch_mpidr();

		mmio_write64(d + GICD_IROUTER + 8 * (paddr_t)i, mpidr);
	}
	/*
	 * ARE and both group enables: with one security state bit 0 is
	 * EnableGrp0 and bit 1 EnableGrp1; a Non-secure view reads them as
	 * EnableGrp1NS and EnableGrp1A (GICD_CTLR).
	 */
	mmio_write32(d + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 |
					    GICD_CTLR_ENABLE_G0_G1NS);
	if (!wait_clear(d + GICD_CTLR, GICD_CTLR_RWP)) {
		nv_snprintf(err, errlen, "%s: GICD_CTLR.RWP stuck", p->gic.path);
		return false;
	}
	return true;
}

static u32 mpidr_to_aff32(u64 mpidr)
{
	/* GICR_TYPER.Affinity_Value is Aff3.Aff2.Aff1.Aff0. */
	return (u32)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));
}

static paddr_t find_redist(const struct platform *p, u64 mpidr, char *err,
			   size_t errlen)
{
	u32 aff = mpidr_to_aff32(mpidr);

	for (unsigned r = 0; r < p->gic.nr_redist; r++) {
		paddr_t a = p->gic.redist[r].base;
		paddr_t end = a + p->gic.redist[r].size;

		while (a + 2 * SZ_64K <= end) {
			u32 rev = PIDR2_ARCHREV(mmio_read32(a + GICR_PIDR2));
			u64 typer;

			if (rev != 3 && rev != 4) {
				nv_snprintf(err, errlen,
					    "%s: no redistributor at 0x%llx (GICR_PIDR2.ArchRev %u)",
					    p->gic.path, (unsigned long long)a, rev);
				return 0;
			}
			typer = mmio_read64(a + GICR_TYPER);
			if ((u32)(typer >> 32) == aff)
				return a;
			if (typer & GICR_TYPER_LAST)
				break;
			a += p->gic.redist_stride ? p->gic.redist_stride :
			     (typer & GICR_TYPER_VLPIS) ? 4 * SZ_64K : 2 * SZ_64K;
		}
	}
	nv_snprintf(err, errlen, "%s: no redistributor for MPIDR 0x%llx",
		    p->gic.path, (unsigned long long)mpidr);
	return 0;
}

bool gicv3_init_cpu(const struct platform *p, u64 mpidr, paddr_t *gicr,
		    char *err, size_t errlen)
{
	paddr_t rd = find_redist(p, mpidr, err, errlen), sgi;
	u32 waker;

	if (!rd)
		return false;
	sgi = rd + GICR_SGI_OFFSET;
	/* Wake the redistributor: clear ProcessorSleep, wait for ChildrenAsleep. */
	waker = mmio_read32(rd + GICR_WAKER);
	mmio_write32(rd + GICR_WAKER, waker & ~(u32)GICR_WAKER_PROCESSOR_SLEEP);
	if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_CHILDREN_ASLEEP)) {
		nv_snprintf(err, errlen, "redistributor 0x%llx does not wake up",
			    (unsigned long long)rd);
		return false;
	}
	mmio_write32(sgi + GICR_ICENABLER0, ~0u);
	mmio_write32(sgi + GICR_ICPENDR0, ~0u);
	mmio_write32(sgi + GICR_ICACTIVER0, ~0u);
	mmio_write32(sgi + GICR_IGROUPR0, ~0u);
	for (unsigned i = 0; i < GIC_NR_PRIVATE; i += 4)
		mmio_write32(sgi + GICR_IPRIORITYR + i, PRIO4(DEFAULT_PRIORITY));
	mmio_write32(sgi + GICR_ICFGR1, 0); /* PPIs level-sensitive */
	arch_gic_cpuif_init();
	*gicr = rd;
	return true;
}

void gicv3_enable_private(paddr_t gicr, u32 intid)
{
	if (intid < GIC_NR_PRIVATE)
		mmio_write32(gicr + GICR_SGI_OFFSET + GICR_ISENABLER0,
			     (u32)BIT(intid));
}

void gicv3_disable(paddr_t gicr, u32 intid)
{
	if (intid < GIC_NR_PRIVATE)
		mmio_write32(gicr + GICR_SGI_OFFSET + GICR_ICENABLER0,
			     (u32)BIT(intid));
	else if (dist_base && intid <= GIC_MAX_INTID)
		mmio_write32(dist_base + GICD_ICENABLER + (intid / 32) * 4,
			     (u32)BIT(intid % 32));
}

bool gicv3_is_active(paddr_t gicr, u32 intid)
{
	return intid < GIC_NR_PRIVATE &&
	       (mmio_read32(gicr + GICR_SGI_OFFSET + GICR_ISACTIVER0) & BIT(intid));
}

void gicv3_set_active(paddr_t gicr, u32 intid, bool active)
{
	if (intid >= GIC_NR_PRIVATE)
		return;
	mmio_write32(gicr + GICR_SGI_OFFSET +
			     (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0),
		     (u32)BIT(intid));
}

void gicv3_enable_spi(u32 intid)
{
	if (dist_base && intid >= GIC_NR_PRIVATE && intid <= GIC_MAX_INTID)
		mmio_write32(dist_base + GICD_ISENABLER + (intid / 32) * 4,
			     (u32)BIT(intid % 32));
}
