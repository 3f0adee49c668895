/*
 * GICv3 from EL1: the distributor and redistributors named by the DT's
 * "arm,gic-v3" node (reg 0 = GICD, reg 1.. = redistributor regions, as
 * many as #redistributor-regions says; optional redistributor-stride), the
 * CPU interface through the ICC_* system registers, and IRQ dispatch.
 * Every interrupt used is a Group 1 SGI or PPI.
 */
#include <libfdt.h>
#include <string.h>

#include "guest.h"

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		BIT(31)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_G1A		BIT(1)
#define GICD_CTLR_G1		BIT(0)
#define GICD_TYPER		0x0004

#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		BIT(3)
#define GICR_TYPER		0x0008
#define GICR_TYPER_VLPIS	BIT(1)
#define GICR_TYPER_LAST		BIT(4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	BIT(1)
#define GICR_WAKER_ASLEEP	BIT(2)
#define GICR_IGROUPR0		0x0080

#define ICC_CTLR_EOIMODE	BIT(1)
#define MAX_RD_REGIONS		4

u64 gicd_base;
static u64 rd_region[MAX_RD_REGIONS][2];
static unsigned nr_rd_regions;
static u64 rd_stride;		/* 0: from GICR_TYPER.VLPIS */
static irq_handler_t handlers[1024];

static bool wait_clear(u64 reg, u32 bits, const char *what)
{
	if (WAIT_UNTIL(!(mmio_read32(reg) & bits), 100000))
		return true;
	diag("timeout waiting for %s", what);
	return false;
}

static u64 sgi_base(void)
{
	return this_percpu()->rd_base + GICR_SGI_OFFSET;
}

static bool cpu_init(bool wake);

/* Distributor set-up, then this CPU's (cpu_init); wake: GICR_WAKER too. */
static bool dist_init(bool wake)
{
	int node = dt_find_compatible("arm,gic-v3"), len;
	const fdt32_t *p;
	u64 size;
	u32 n = 1;

	if (node < 0 || !dt_reg(node, 0, &gicd_base, &size)) {
		diag("no arm,gic-v3 node with a reg in the DT");
		return false;
	}
	p = fdt_getprop(guest_fdt, node, "#redistributor-regions", &len);
	if (p && len == 4)
		n = fdt32_to_cpu(*p);
	for (nr_rd_regions = 0; nr_rd_regions < n && nr_rd_regions < MAX_RD_REGIONS; nr_rd_regions++)
		if (!dt_reg(node, 1 + nr_rd_regions, &rd_region[nr_rd_regions][0],
			    &rd_region[nr_rd_regions][1]))
			break;
	if (!nr_rd_regions) {
		diag("the arm,gic-v3 node has no redistributor region");
		return false;
	}
	p = fdt_getprop(guest_fdt, node, "redistributor-stride", &len);
	if (p && len == 8)
		rd_stride = ((u64)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
	else if (p && len == 4)
		rd_stride = fdt32_to_cpu(p[0]);

	/* Disable, turn affinity routing on, then enable Group 1. */
	mmio_write32(gicd_base + GICD_CTLR, 0);
	if (!wait_clear(gicd_base + GICD_CTLR, (u32)GICD_CTLR_RWP, "GICD_CTLR.RWP"))
		return false;
	mmio_write32(gicd_base + GICD_CTLR, (u32)GICD_CTLR_ARE);
	if (!wait_clear(gicd_base + GICD_CTLR, (u32)GICD_CTLR_RWP, "GICD_CTLR.RWP"))
		return false;
	mmio_write32(gicd_base + GICD_CTLR, (u32)(GICD_CTLR_ARE | GICD_CTLR_G1A | GICD_CTLR_G1));
	if (!wait_clear(gicd_base + GICD_CTLR, (u32)GICD_CTLR_RWP, "GICD_CTLR.RWP"))
		return false;
	if (!(mmio_read32(gicd_base + GICD_CTLR) & GICD_CTLR_ARE)) {
		diag("GICD_CTLR.ARE does not stick: GICv3 affinity routing unavailable");
		return false;
	}
	return cpu_init(wake);
}

bool gic_init(void)
{
	return dist_init(true);
}

bool gic_init_nowake(void)
{
	return dist_init(false);
}

static u64 find_redistributor(u64 mpidr)
{
	u64 aff = ((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff);

	for (unsigned r = 0; r < nr_rd_regions; r++) {
		u64 frame = rd_region[r][0], end = frame + rd_region[r][1];

		while (frame < end) {
			u64 typer = mmio_read64(frame + GICR_TYPER);

			if ((typer >> 32) == aff)
				return frame;
			if (typer & GICR_TYPER_LAST)
				break;
			frame += rd_stride ? rd_stride :
				 (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
		}
	}
	return 0;
}

static bool cpu_init(bool wake)
{
	struct percpu *pc = this_percpu();
	u64 rd = find_redistributor(read_mpidr()), sgi;

	if (!rd) {
		diag("no redistributor has this CPU's affinity (MPIDR 0x%lx)", read_mpidr());
		return false;
	}
	pc->rd_base = rd;
	sgi = rd + GICR_SGI_OFFSET;

	if (wake) {
		mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~(u32)GICR_WAKER_SLEEP);
		if (!wait_clear(rd + GICR_WAKER, (u32)GICR_WAKER_ASLEEP,
				"GICR_WAKER.ChildrenAsleep"))
			return false;
	}
	mmio_write32(sgi + GICR_ICENABLER0, 0xffffffff);
	if (!wait_clear(rd + GICR_CTLR, (u32)GICR_CTLR_RWP, "GICR_CTLR.RWP"))
		return false;
	mmio_write32(sgi + GICR_IGROUPR0, 0xffffffff);
	mmio_write32(sgi + GICR_ICPENDR0, 0xffffffff);
	mmio_write32(sgi + GICR_ICACTIVER0, 0xffffffff);
	for (unsigned i = 0; i < 8; i++)
		mmio_write32(sgi + GICR_IPRIORITYR + 4 * i, 0xa0a0a0a0);

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	if (!(read_sysreg(ICC_SRE_EL1) & 1)) {
		diag("ICC_SRE_EL1.SRE does not stick: no GICv3 system register interface");
		return false;
	}
	write_sysreg(ICC_PMR_EL1, 0xf0);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) & ~(u64)(ICC_CTLR_EOIMODE | 1));
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	return true;
}

bool gic_cpu_init(void)
{
	return cpu_init(true);
}

bool gic_cpu_init_nowake(void)
{
	return cpu_init(false);
}

static u64 bank_reg(u32 intid, u64 sgi_off)
{
	/* SGIs/PPIs: this CPU's SGI frame; SPIs: the distributor. */
	if (intid < 32)
		return sgi_base() + sgi_off;
	return gicd_base + sgi_off + 4 * (intid / 32);
}

void gic_enable(u32 intid)
{
	mmio_write32(bank_reg(intid, GICR_ISENABLER0), (u32)BIT(intid % 32));
}

void gic_disable(u32 intid)
{
	mmio_write32(bank_reg(intid, GICR_ICENABLER0), (u32)BIT(intid % 32));
	if (intid < 32)
		wait_clear(this_percpu()->rd_base + GICR_CTLR, (u32)GICR_CTLR_RWP, "GICR_CTLR.RWP");
}

void gic_set_priority(u32 intid, u8 prio)
{
	u64 reg = (intid < 32 ? sgi_base() : gicd_base) + GICR_IPRIORITYR + (intid & ~3U);
	unsigned shift = (intid & 3) * 8;
	u32 v = mmio_read32(reg);

	v = (v & ~(0xffU << shift)) | ((u32)prio << shift);
	mmio_write32(reg, v);
}

bool gic_pending(u32 intid)
{
	return mmio_read32(bank_reg(intid, GICR_ISPENDR0)) & BIT(intid % 32);
}

bool gic_active(u32 intid)
{
	return mmio_read32(bank_reg(intid, GICR_ISACTIVER0)) & BIT(intid % 32);
}

void gic_clear_pending(u32 intid)
{
	mmio_write32(bank_reg(intid, GICR_ICPENDR0), (u32)BIT(intid % 32));
}

void gic_clear_active(u32 intid)
{
	mmio_write32(bank_reg(intid, GICR_ICACTIVER0), (u32)BIT(intid % 32));
}

void gic_send_sgi(u32 intid, u64 mpidr)
{
	u64 aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff;
	u64 aff2 = (mpidr >> 16) & 0xff, aff3 = (mpidr >> 32) & 0xff;
	u64 v = (aff3 << 48) | ((aff0 >> 4) << 44) | (aff2 << 32) |
		((u64)(intid & 0xf) << 24) | (aff1 << 16) | BIT(aff0 & 0xf);

	dsb_sy();
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

void gic_send_sgi_others(u32 intid)
{
	dsb_sy();
	write_sysreg(ICC_SGI1R_EL1, BIT(40) | ((u64)(intid & 0xf) << 24));
	isb();
}

void gic_set_eoimode(bool drop_only)
{
	u64 v = read_sysreg(ICC_CTLR_EL1) & ~(u64)ICC_CTLR_EOIMODE;

	write_sysreg(ICC_CTLR_EL1, v | (drop_only ? ICC_CTLR_EOIMODE : 0));
	isb();
}

void irq_set_handler(u32 intid, irq_handler_t fn)
{
	if (intid < ARRAY_SIZE(handlers))
		handlers[intid] = fn;
}

void irq_log_reset(void)
{
	struct percpu *pc = this_percpu();

	pc->irq_log_n = 0;
	pc->irq_entries = 0;
	pc->other_count = 0;
	for (unsigned i = 0; i < 32; i++)
		pc->irq_count[i] = 0;
}

void irq_dispatch(void);
void irq_dispatch(void)
{
	struct percpu *pc = this_percpu();

	pc->irq_entries++;
	for (unsigned n = 0; n < 64; n++) {
		u64 iar = read_sysreg(ICC_IAR1_EL1);
		u32 intid = (u32)(iar & 0xffffff);
		bool eoimode1;

		if (intid >= 1020 && intid <= 1023) {
			if (n == 0)
				pc->spurious++;
			return;
		}
		pc->irq_vcount = vcount();
		if (pc->irq_log_n < ARRAY_SIZE(pc->irq_log))
			pc->irq_log[pc->irq_log_n++] = intid;
		if (intid < 32)
			pc->irq_count[intid]++;
		else
			pc->other_count++;
		if (intid < ARRAY_SIZE(handlers) && handlers[intid]) {
			handlers[intid](intid);
		} else if (intid >= 16) {
			/* No handler: silence it rather than take it forever. */
			gic_disable(intid);
			printf("# unhandled interrupt %u disabled\n", intid);
		}
		eoimode1 = read_sysreg(ICC_CTLR_EL1) & ICC_CTLR_EOIMODE;
		write_sysreg(ICC_EOIR1_EL1, iar);
		if (eoimode1 && !pc->manual_deactivate)
			write_sysreg(ICC_DIR_EL1, iar);
		isb();
	}
}

bool timer_ppi(unsigned idx, u32 *intid)
{
	int node = dt_find_compatible("arm,armv8-timer"), gic, len, cells = 3;
	const fdt32_t *p, *ic;
	u32 type, num;

	if (node < 0 || idx > 3)
		return false;
	p = fdt_getprop(guest_fdt, node, "interrupts", &len);
	gic = dt_find_compatible("arm,gic-v3");
	ic = gic >= 0 ? fdt_getprop(guest_fdt, gic, "#interrupt-cells", NULL) : NULL;
	if (ic)
		cells = (int)fdt32_to_cpu(*ic);
	if (!p || cells < 2 || len < 4 * cells * 4)
		return false;
	type = fdt32_to_cpu(p[idx * (unsigned)cells]);
	num = fdt32_to_cpu(p[idx * (unsigned)cells + 1]);
	*intid = num + (type == 1 ? 16 : 32);
	return true;
}

bool timer_ppis(u32 *phys_intid, u32 *virt_intid)
{
	u32 p, v;

	if (!timer_ppi(1, &p) || !timer_ppi(2, &v))
		return false;
	*phys_intid = p;
	*virt_intid = v;
	return true;
}
