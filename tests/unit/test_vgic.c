/*
 * Host tests of the virtual GICv3 (src/irq/vgic*.c) and of the MMIO bus
 * (src/core/mmio_bus.c): register emulation through the registered MMIO
 * handlers, SGI generation, and the list-register flush/sync cycle with
 * the guest's acknowledge/EOI simulated by editing vcpu->vgic.lr[].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include "helpers.h"

#define NR_VCPUS 4
#define NR_SPIS 64 /* INTIDs 32..95 */
#define DIST 0x08000000u
#define REDIST 0x080a0000u
#define RD(i) (REDIST + (u64)(i) * 0x20000)
#define SGI(i) (RD(i) + 0x10000)

#define LR_PENDING ICH_LR_STATE_PENDING
#define LR_ACTIVE ICH_LR_STATE_ACTIVE

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];

static int setup(void **state)
{
	(void)state;
	ut_vm_init(&vm, vcpus, NR_VCPUS);
	ut_vgic_init(&vm, DIST, REDIST, NR_SPIS);
	return 0;
}

/* One access from vCPU 0 through the MMIO bus. */
static bool mmio(u64 addr, unsigned size, bool write, u64 *data)
{
	return ut_mmio(&vm, &vcpus[0], addr, size, write, data);
}

static u64 rd(u64 addr, unsigned size)
{
	return ut_mmio_read(&vm, &vcpus[0], addr, size);
}

static void wr(u64 addr, unsigned size, u64 val)
{
	ut_mmio_write(&vm, &vcpus[0], addr, size, val);
}

static bool bad_rd(u64 addr, unsigned size)
{
	u64 v = 0;

	return !mmio(addr, size, false, &v);
}

static bool bad_wr(u64 addr, unsigned size)
{
	u64 v = 0;

	return !mmio(addr, size, true, &v);
}

/* Enables group 1 and an interrupt with a priority (SPIs via GICD). */
static void enable_irq(unsigned vcpu, u32 intid, u8 prio)
{
	wr(DIST + 0x0, 4, GICD_CTLR_ENABLE_G1);
	wr(RD(vcpu) + 0x14, 4, 0); /* GICR_WAKER: awake */
	if (intid < 32) {
		wr(SGI(vcpu) + 0x100, 4, 1u << intid);
		wr(SGI(vcpu) + 0x400 + intid, 1, prio);
	} else {
		wr(DIST + 0x100 + intid / 32 * 4, 4, 1u << (intid % 32));
		wr(DIST + 0x400 + intid, 1, prio);
	}
}

static void set_edge(u32 intid)
{
	u64 off = DIST + 0xc00 + intid / 16 * 4;

	wr(off, 4, rd(off, 4) | 2u << (intid % 16 * 2));
}

static u32 lr_intid(u64 lr)
{
	return (u32)(lr & ICH_LR_VINTID_MASK);
}

static u64 lr_prio(u64 lr)
{
	return (lr & ICH_LR_PRIORITY_MASK) >> 48;
}

/* The guest acknowledges / deactivates: edit the saved LR state. */
static void guest_set_state(struct vcpu *v, unsigned lr, u64 state)
{
	v->vgic.lr[lr] = (v->vgic.lr[lr] & ~ICH_LR_STATE_MASK) | state << 62;
}

static void test_mmio_bus(void **state)
{
	static const struct mmio_ops ops = { .access = NULL };
	struct mmio_bus bus;
	const struct mmio_region *r;
	unsigned i;

	(void)state;
	memset(&bus, 0, sizeof(bus));
	/* ops without an access function are refused */
	assert_false(mmio_bus_register(&bus, 0x1000, 0x1000, &ops, NULL, "x"));
	assert_true(mmio_bus_register(&bus, 0x1000, 0x1000,
				      &vgic_dist_ops, NULL, "a"));
	assert_false(mmio_bus_register(&bus, 0x1fff, 0x10, &vgic_dist_ops,
				       NULL, "overlap"));
	assert_false(mmio_bus_register(&bus, 0x0, 0x1001, &vgic_dist_ops,
				       NULL, "overlap"));
	assert_false(mmio_bus_register(&bus, 0x3000, 0, &vgic_dist_ops,
				       NULL, "empty"));
	assert_false(mmio_bus_register(&bus, ~0ull - 10, 0x100,
				       &vgic_dist_ops, NULL, "wraps"));
	assert_true(mmio_bus_register(&bus, 0x2000, 0x1000, &vgic_dist_ops,
				      NULL, "b"));
	r = mmio_bus_find(&bus, 0x1ffc, 4);
	assert_non_null(r);
	assert_string_equal(r->name, "a");
	assert_null(mmio_bus_find(&bus, 0x1ffe, 4)); /* straddles a and b */
	assert_string_equal(mmio_bus_find(&bus, 0x2000, 8)->name, "b");
	assert_null(mmio_bus_find(&bus, 0xfff, 1));
	assert_null(mmio_bus_find(&bus, 0x3000, 1));
	for (i = 2; i < VM_MAX_MMIO; i++)
		assert_true(mmio_bus_register(&bus, 0x10000 * i, 0x100,
					      &vgic_dist_ops, NULL, "n"));
	assert_false(mmio_bus_register(&bus, 0x10000 * i, 0x100,
				       &vgic_dist_ops, NULL, "full"));
}

static void test_init(void **state)
{
	(void)state;
	assert_non_null(mmio_bus_find(&vm.mmio, DIST, 4));
	assert_non_null(mmio_bus_find(&vm.mmio, DIST + 0xfffc, 4));
	assert_non_null(mmio_bus_find(&vm.mmio, RD(NR_VCPUS) - 4, 4));
	assert_null(mmio_bus_find(&vm.mmio, RD(NR_VCPUS), 4));
	assert_int_equal(vm.vgic.nr_spis, NR_SPIS);
	assert_int_equal(vcpus[2].vgic.priv[5].lr, -1);
	assert_int_equal(vm.vgic.spi[3].lr, -1);
	/* a second init overlaps the registered ranges */
	assert_false(vgic_init_vm(&vm, DIST, REDIST, NR_SPIS));
	memset(&vm.mmio, 0, sizeof(vm.mmio));
	assert_false(vgic_init_vm(&vm, DIST, REDIST, VGIC_MAX_SPIS + 1));
	/* SPI count rounded up to a GICD_TYPER.ITLinesNumber block */
	assert_true(vgic_init_vm(&vm, DIST, REDIST, 33));
	assert_int_equal(vm.vgic.nr_spis, 64);
}

static void test_gicd_ctlr_typer_ids(void **state)
{
	u64 typer;

	(void)state;
	assert_int_equal(rd(DIST + 0x0, 4), 0x50); /* ARE | DS */
	wr(DIST + 0x0, 4, 0xffffffff);
	assert_int_equal(rd(DIST + 0x0, 4), 0x53);
	wr(DIST + 0x0, 4, 0);
	assert_int_equal(rd(DIST + 0x0, 4), 0x50);
	typer = rd(DIST + 0x4, 4);
	assert_int_equal(typer & 0x1f, (NR_SPIS + 32) / 32 - 1);
	assert_int_equal((typer >> 19) & 0x1f, 9); /* IDbits: 10 bits */
	assert_int_equal((typer >> 16) & 3, 0);    /* no MBIS, no LPIS */
	wr(DIST + 0x4, 4, 0); /* read-only */
	assert_int_equal(rd(DIST + 0x4, 4), typer);
	assert_int_equal(rd(DIST + 0x8, 4), VGIC_IIDR);
	assert_int_equal(rd(DIST + 0xc, 4), 0); /* GICD_TYPER2 */
	assert_int_equal((rd(DIST + 0xffe8, 4) >> 4) & 0xf, 3);
	/* unknown offsets are RAZ/WI */
	wr(DIST + 0x5000, 4, 0x1234);
	assert_int_equal(rd(DIST + 0x5000, 4), 0);
	assert_int_equal(rd(DIST + 0x20, 4), 0);
	/* widths a register does not support, unaligned accesses */
	assert_true(bad_rd(DIST + 0x0, 1));
	assert_true(bad_wr(DIST + 0x0, 2));
	assert_true(bad_rd(DIST + 0x0, 8));
	assert_true(bad_rd(DIST + 0x104, 1));
	assert_true(bad_wr(DIST + 0x104, 8));
	assert_true(bad_rd(DIST + 0x402, 2));
	assert_true(bad_rd(DIST + 0xc08, 1));
	assert_true(bad_rd(DIST + 0xffe8, 8));
	assert_true(bad_rd(DIST + 0x102, 4));
	assert_true(bad_rd(DIST + 0x6104, 8));
}

static void test_gicd_bit_registers(void **state)
{
	struct virq *v40 = &vm.vgic.spi[40 - 32];

	(void)state;
	/* GICD_ISENABLER1/ICENABLER1: INTIDs 32..63 */
	wr(DIST + 0x104, 4, 0x00000101);
	assert_true(v40->enabled);
	assert_true(vm.vgic.spi[0].enabled);
	assert_int_equal(rd(DIST + 0x104, 4), 0x101);
	assert_int_equal(rd(DIST + 0x184, 4), 0x101);
	wr(DIST + 0x104, 4, 0); /* writing 0 has no effect */
	assert_int_equal(rd(DIST + 0x104, 4), 0x101);
	wr(DIST + 0x184, 4, 0x1);
	assert_int_equal(rd(DIST + 0x104, 4), 0x100);
	/* INTIDs 0..31: RAZ/WI with ARE = 1 */
	wr(DIST + 0x100, 4, 0xffffffff);
	assert_int_equal(rd(DIST + 0x100, 4), 0);
	assert_false(vcpus[0].vgic.priv[1].enabled);
	/* beyond the VM's SPIs: RAZ/WI */
	wr(DIST + 0x10c, 4, 0xffffffff);
	assert_int_equal(rd(DIST + 0x10c, 4), 0);
	/* pending / active */
	wr(DIST + 0x204, 4, 0x100);
	assert_true(v40->pending);
	assert_int_equal(rd(DIST + 0x284, 4), 0x100);
	wr(DIST + 0x284, 4, 0x100);
	assert_false(v40->pending);
	wr(DIST + 0x304, 4, 0x100);
	assert_true(v40->active);
	assert_int_equal(rd(DIST + 0x384, 4), 0x100);
	wr(DIST + 0x384, 4, 0x100);
	assert_false(v40->active);
	/* a high level input reads as pending; ICPENDR cannot clear it */
	vgic_set_level(&vm, NULL, 40, true);
	assert_int_equal(rd(DIST + 0x204, 4), 0x100);
	wr(DIST + 0x284, 4, 0x100);
	assert_int_equal(rd(DIST + 0x204, 4), 0x100);
	vgic_set_level(&vm, NULL, 40, false);
	assert_int_equal(rd(DIST + 0x204, 4), 0);
	/* GICD_IGROUPR: Group 1 at reset, writable */
	assert_int_equal(rd(DIST + 0x84, 4), 0xffffffff);
	wr(DIST + 0x84, 4, 0xfffffeff);
	assert_false(v40->group1);
	assert_int_equal(rd(DIST + 0x84, 4), 0xfffffeff);
	/* GICD_ICFGR2 (INTIDs 32..47): level at reset, edge writable */
	assert_int_equal(rd(DIST + 0xc08, 4), 0);
	wr(DIST + 0xc08, 4, 0x2u << 16); /* INTID 40 */
	assert_true(v40->edge);
	assert_int_equal(rd(DIST + 0xc08, 4), 0x2u << 16);
	assert_int_equal(rd(DIST + 0xc00, 4), 0); /* SGIs: via GICR */
	/* GICD_IGRPMODR, GICD_ITARGETSR: RAZ/WI */
	wr(DIST + 0xd04, 4, 0xffffffff);
	assert_int_equal(rd(DIST + 0xd04, 4), 0);
	wr(DIST + 0x828, 1, 0xff);
	assert_int_equal(rd(DIST + 0x828, 1), 0);
}

static void test_gicd_priority(void **state)
{
	(void)state;
	wr(DIST + 0x400 + 40, 1, 0xa0);
	assert_int_equal(vm.vgic.spi[8].priority, 0xa0);
	wr(DIST + 0x400 + 44, 4, 0x44332211);
	assert_int_equal(vm.vgic.spi[12].priority, 0x11);
	assert_int_equal(vm.vgic.spi[15].priority, 0x44);
	assert_int_equal(rd(DIST + 0x400 + 40, 4), 0xa0);
	assert_int_equal(rd(DIST + 0x400 + 44, 4), 0x44332211);
	assert_int_equal(rd(DIST + 0x400 + 46, 1), 0x33);
	/* INTIDs 0..31 RAZ/WI; beyond the last SPI too */
	wr(DIST + 0x400 + 4, 4, 0xffffffff);
	assert_int_equal(rd(DIST + 0x400 + 4, 4), 0);
	assert_int_equal(vcpus[0].vgic.priv[4].priority, 0);
	wr(DIST + 0x400 + 96, 4, 0xffffffff);
	assert_int_equal(rd(DIST + 0x400 + 96, 4), 0);
}

static void test_gicd_irouter(void **state)
{
	u64 r40 = DIST + 0x6000 + 8 * 40;

	(void)state;
	assert_int_equal(rd(r40, 8), 0);
	wr(r40, 8, 0xabcd001212345678ull | 0x80000000ull); /* IRM set */
	/* Aff3 [39:32], IRM [31], Aff2.Aff1.Aff0 [23:0]; the rest RES0 */
	assert_int_equal(rd(r40, 8), 0x1280345678ull);
	assert_int_equal(rd(r40, 4), 0x80345678);
	assert_int_equal(rd(r40 + 4, 4), 0x12);
	wr(r40 + 4, 4, 0x7);
	assert_int_equal(rd(r40, 8), 0x0780345678ull);
	wr(r40, 4, 0x2);
	assert_int_equal(vm.vgic.spi[8].route, 0x0700000002ull);
	/* reserved entries (INTIDs < 32, SPIs beyond nr_spis): RAZ/WI */
	wr(DIST + 0x6000 + 8 * 5, 8, 3);
	assert_int_equal(rd(DIST + 0x6000 + 8 * 5, 8), 0);
	wr(DIST + 0x6000 + 8 * 200, 8, 3);
	assert_int_equal(rd(DIST + 0x6000 + 8 * 200, 8), 0);
	assert_true(bad_rd(r40, 2));
	assert_true(bad_wr(r40, 1));
}

static void test_gicr_rd_frame(void **state)
{
	unsigned i;

	(void)state;
	/* Aff3 4, Aff2 2, Aff1 3, Aff0 1; bit 31 is RES1 in MPIDR_EL1 */
	vcpus[2].mpidr = 0x0480020301ull;
	for (i = 0; i < NR_VCPUS; i++) {
		u64 typer = rd(RD(i) + 0x8, 8);

		/* Processor_Number, Last */
		assert_int_equal((typer >> 8) & 0xffff, i);
		assert_int_equal(!!(typer & 0x10), i == NR_VCPUS - 1);
		assert_int_equal(typer & 0x3, 0); /* PLPIS, VLPIS */
		assert_int_equal(rd(RD(i) + 0x8, 4), typer & 0xffffffff);
		assert_int_equal(rd(RD(i) + 0xc, 4), typer >> 32);
	}
	assert_int_equal(rd(RD(1) + 0x8, 8) >> 32, 1);
	assert_int_equal(rd(RD(2) + 0x8, 8) >> 32, 0x04020301);
	/* GICR_WAKER: asleep at reset; ChildrenAsleep follows ProcessorSleep */
	assert_int_equal(rd(RD(1) + 0x14, 4), 0x6);
	wr(RD(1) + 0x14, 4, 0);
	assert_int_equal(rd(RD(1) + 0x14, 4), 0);
	assert_int_equal(rd(RD(0) + 0x14, 4), 0x6);
	wr(RD(1) + 0x14, 4, 0x2);
	assert_int_equal(rd(RD(1) + 0x14, 4), 0x6);
	wr(RD(1) + 0x14, 4, 0x80000001);
	assert_int_equal(rd(RD(1) + 0x14, 4), 0);
	assert_int_equal(rd(RD(3) + 0x0, 4), 0);  /* GICR_CTLR */
	assert_int_equal(rd(RD(3) + 0x4, 4), VGIC_IIDR);
	assert_int_equal((rd(RD(3) + 0xffe8, 4) >> 4) & 0xf, 3);
	assert_int_equal(rd(RD(3) + 0x70, 8), 0); /* GICR_PROPBASER: RAZ */
	assert_true(bad_rd(RD(0) + 0x14, 8));
	assert_true(bad_rd(RD(0) + 0x8, 2));
	assert_true(bad_rd(RD(0) + 0x0, 1));
	assert_true(bad_rd(RD(0) + 0xa, 2));
}

static void test_gicr_sgi_frame(void **state)
{
	(void)state;
	/* GICR_ISENABLER0 of vCPU 1 only */
	wr(SGI(1) + 0x100, 4, 0x08000003);
	assert_true(vcpus[1].vgic.priv[27].enabled);
	assert_false(vcpus[0].vgic.priv[27].enabled);
	assert_int_equal(rd(SGI(1) + 0x100, 4), 0x08000003);
	assert_int_equal(rd(SGI(0) + 0x100, 4), 0);
	wr(SGI(1) + 0x180, 4, 0x1);
	assert_int_equal(rd(SGI(1) + 0x180, 4), 0x08000002);
	/* pending, active */
	wr(SGI(2) + 0x200, 4, 0x10);
	assert_true(vcpus[2].vgic.priv[4].pending);
	assert_int_equal(rd(SGI(2) + 0x280, 4), 0x10);
	wr(SGI(2) + 0x280, 4, 0x10);
	assert_false(vcpus[2].vgic.priv[4].pending);
	wr(SGI(2) + 0x300, 4, 0x20);
	assert_int_equal(rd(SGI(2) + 0x380, 4), 0x20);
	/* priorities: byte and word */
	wr(SGI(3) + 0x400 + 27, 1, 0x80);
	assert_int_equal(vcpus[3].vgic.priv[27].priority, 0x80);
	assert_int_equal(rd(SGI(3) + 0x418, 4), 0x80000000);
	wr(SGI(3) + 0x41c, 4, 0x10203040);
	assert_int_equal(rd(SGI(3) + 0x41f, 1), 0x10);
	/* beyond INTID 31: reserved */
	wr(SGI(3) + 0x420, 4, 0xffffffff);
	assert_int_equal(rd(SGI(3) + 0x420, 4), 0);
	wr(SGI(3) + 0x104, 4, 0xffffffff);
	assert_int_equal(rd(SGI(3) + 0x104, 4), 0);
	/* GICR_ICFGR0: SGIs edge, read-only; GICR_ICFGR1: PPIs writable */
	assert_int_equal(rd(SGI(0) + 0xc00, 4), 0xaaaaaaaa);
	wr(SGI(0) + 0xc00, 4, 0);
	assert_int_equal(rd(SGI(0) + 0xc00, 4), 0xaaaaaaaa);
	assert_int_equal(rd(SGI(0) + 0xc04, 4), 0);
	wr(SGI(0) + 0xc04, 4, 0x2u << 22); /* INTID 27 */
	assert_true(vcpus[0].vgic.priv[27].edge);
	assert_int_equal(rd(SGI(0) + 0xc04, 4), 0x2u << 22);
	/* GICR_IGROUPR0 writable, GICR_IGRPMODR0 RAZ/WI */
	wr(SGI(0) + 0x80, 4, 0xfffffffe);
	assert_false(vcpus[0].vgic.priv[0].group1);
	assert_int_equal(rd(SGI(0) + 0x80, 4), 0xfffffffe);
	wr(SGI(0) + 0xd00, 4, 0xffffffff);
	assert_int_equal(rd(SGI(0) + 0xd00, 4), 0);
	assert_true(bad_rd(SGI(0) + 0x100, 1));
	assert_true(bad_rd(SGI(0) + 0xd00, 8));
	assert_true(bad_rd(SGI(0) + 0x400, 2));
}

static bool sgi_pending(unsigned vcpu, u32 intid)
{
	return vcpus[vcpu].vgic.priv[intid].pending;
}

static void clear_sgis(void)
{
	unsigned i;

	for (i = 0; i < NR_VCPUS; i++)
		wr(SGI(i) + 0x280, 4, 0xffff);
}

static void test_sgi1r(void **state)
{
	(void)state;
	/* TargetList 0b1010 in Aff1 = 0: vCPUs 1 and 3, INTID 3 */
	vgic_write_sgi1r(&vcpus[0], 3ull << 24 | 0xa);
	assert_false(sgi_pending(0, 3));
	assert_true(sgi_pending(1, 3));
	assert_false(sgi_pending(2, 3));
	assert_true(sgi_pending(3, 3));
	assert_int_equal(rd(SGI(1) + 0x200, 4), 0x8);
	clear_sgis();
	/* IRM = 1: every vCPU but the sender */
	vgic_write_sgi1r(&vcpus[2], 1ull << 40 | 5ull << 24);
	assert_true(sgi_pending(0, 5));
	assert_true(sgi_pending(1, 5));
	assert_false(sgi_pending(2, 5));
	assert_true(sgi_pending(3, 5));
	clear_sgis();
	/* vCPU 2 at Aff3.Aff2.Aff1.Aff0 = 1.1.1.1, vCPU 3 at Aff0 = 17 */
	vcpus[2].mpidr = 0x0100010101ull;
	vcpus[3].mpidr = 17;
	vgic_write_sgi1r(&vcpus[0], 1ull << 48 | 1ull << 32 | 1ull << 16 |
					    7ull << 24 | 0x2);
	assert_true(sgi_pending(2, 7));
	assert_false(sgi_pending(1, 7));
	vgic_write_sgi1r(&vcpus[0], 15ull << 24 | 0x2); /* Aff1 0: vCPU 1 */
	assert_true(sgi_pending(1, 15));
	assert_false(sgi_pending(2, 15));
	/* RS = 1: TargetList bit n is Aff0 16 + n */
	vgic_write_sgi1r(&vcpus[0], 1ull << 44 | 9ull << 24 | 0x2);
	assert_true(sgi_pending(3, 9));
	assert_false(sgi_pending(1, 9));
	/* a Group 0 SGI on the target is not forwarded by ICC_SGI1R_EL1 */
	wr(SGI(1) + 0x80, 4, ~(1u << 10));
	vgic_write_sgi1r(&vcpus[0], 10ull << 24 | 0x2);
	assert_false(sgi_pending(1, 10));
}

static void test_flush_priority_order(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	enable_irq(0, 40, 0xa0);
	enable_irq(0, 41, 0x20);
	enable_irq(0, 42, 0x60);
	enable_irq(0, 20, 0x60);
	vgic_set_pending(&vm, NULL, 40);
	vgic_set_pending(&vm, NULL, 41);
	vgic_set_pending(&vm, NULL, 42);
	vgic_set_pending(&vm, v, 20);
	vgic_flush(v);
	assert_int_equal(v->vgic.hcr, ICH_HCR_EN);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 41);
	assert_int_equal(lr_intid(v->vgic.lr[1]), 20); /* 0x60, lower INTID */
	assert_int_equal(lr_intid(v->vgic.lr[2]), 42);
	assert_int_equal(lr_intid(v->vgic.lr[3]), 40);
	assert_int_equal(lr_prio(v->vgic.lr[0]), 0x20);
	assert_int_equal(lr_prio(v->vgic.lr[3]), 0xa0);
	assert_int_equal(v->vgic.lr[0], 41ull | 0x20ull << 48 | ICH_LR_GROUP |
						LR_PENDING << 62);
	assert_int_equal(vm.vgic.spi[41 - 32].lr, 0);
	assert_int_equal(v->vgic.used_lrs, 4);
	/* the guest changed nothing: the LRs are kept as they are */
	vgic_sync(v);
	assert_int_equal(vm.vgic.spi[41 - 32].lr, 0);
	assert_int_equal(v->vgic.used_lrs, 4);
	/* a fifth one does not fit: the lowest priority waits, UIE set */
	enable_irq(0, 50, 0x10);
	vgic_set_pending(&vm, NULL, 50);
	vgic_flush(v);
	assert_int_equal(v->vgic.hcr, ICH_HCR_EN | ICH_HCR_UIE);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 50);
	assert_int_equal(lr_intid(v->vgic.lr[3]), 42);
	assert_int_equal(vm.vgic.spi[40 - 32].lr, -1);
	vgic_sync(v);
	/* fewer LRs (and something changed, so the LRs are rebuilt) */
	vgic_nr_lrs = 2;
	vgic_set_pending(&vm, NULL, 42);
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 2);
	assert_int_equal(vm.vgic.spi[42 - 32].lr, -1);
	assert_int_equal(lr_intid(v->vgic.lr[1]), 41);
}

static void test_flush_enables(void **state)
{
	struct vcpu *v = &vcpus[1];

	(void)state;
	vgic_set_pending(&vm, v, 21);
	wr(SGI(1) + 0x100, 4, 1u << 21); /* enabled, but Group 1 disabled */
	wr(RD(1) + 0x14, 4, 0);
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 0);
	assert_int_equal(v->vgic.lr[0], 0);
	assert_int_equal(v->vgic.hcr, ICH_HCR_EN);
	assert_false(vgic_pending(v));
	wr(DIST + 0x0, 4, GICD_CTLR_ENABLE_G1);
	assert_true(vgic_pending(v));
	vgic_flush(v);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 21);
	vgic_sync(v);
	/* disabled: not delivered */
	wr(SGI(1) + 0x180, 4, 1u << 21);
	assert_false(vgic_pending(v));
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 0);
	wr(SGI(1) + 0x100, 4, 1u << 21);
	/*
	 * GICR_WAKER.ProcessorSleep = 1 (its reset value) does not stop
	 * delivery, as with KVM and QEMU: guests may never clear it.
	 */
	wr(RD(1) + 0x14, 4, 0x2);
	assert_int_equal(rd(RD(1) + 0x14, 4), 0x6);
	assert_true(vgic_pending(v));
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	vgic_sync(v);
	wr(RD(1) + 0x14, 4, 0);
	/* Group 0 interrupt needs EnableGrp0, and its LR has Group = 0 */
	wr(SGI(1) + 0x80, 4, ~(1u << 21));
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 0);
	vgic_sync(v);
	wr(DIST + 0x0, 4, 0x1);
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	assert_int_equal(v->vgic.lr[0] & ICH_LR_GROUP, 0);
	vgic_sync(v);
	/* the pending interrupt is another vCPU's: nothing for vCPU 0 */
	assert_false(vgic_pending(&vcpus[0]));
}

static void test_flush_active_first(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	enable_irq(0, 40, 0xf0);
	enable_irq(0, 41, 0x10);
	wr(DIST + 0x304, 4, 1u << 8); /* INTID 40 active */
	vgic_set_pending(&vm, NULL, 41);
	vgic_nr_lrs = 1;
	vgic_flush(v);
	assert_int_equal(v->vgic.lr[0], 40ull | 0xf0ull << 48 | ICH_LR_GROUP |
						LR_ACTIVE << 62);
	assert_int_equal(v->vgic.hcr, ICH_HCR_EN | ICH_HCR_UIE);
	vgic_sync(v);
	/* active stays in the LRs even when disabled or Group 1 is off */
	wr(DIST + 0x184, 4, 1u << 8);
	wr(DIST + 0x0, 4, 0);
	vgic_nr_lrs = 4;
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 40);
	/* the guest deactivates it */
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_false(vm.vgic.spi[8].active);
	/* pending and active: both states in one LR */
	wr(DIST + 0x0, 4, GICD_CTLR_ENABLE_G1);
	wr(DIST + 0x304, 4, 1u << 9);
	vgic_flush(v);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 41);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING | LR_ACTIVE);
	assert_false(vgic_pending(v)); /* active: cannot be signalled */
}

static void test_flush_hw(void **state)
{
	struct vcpu *v = &vcpus[0];
	u64 lr;

	(void)state;
	assert_true(vgic_set_hw(&vm, v, 27, 26));
	assert_false(vgic_set_hw(&vm, NULL, 27, 26));
	assert_false(vgic_set_hw(&vm, NULL, 200, 26));
	enable_irq(0, 27, 0x40);
	vgic_set_level(&vm, v, 27, true);
	vgic_flush(v);
	lr = v->vgic.lr[0];
	assert_int_equal(lr, 27ull | 26ull << 32 | 0x40ull << 48 |
				 ICH_LR_GROUP | ICH_LR_HW | LR_PENDING << 62);
	/* the guest acknowledges: active; the line is still high */
	guest_set_state(v, 0, LR_ACTIVE);
	vgic_sync(v);
	assert_true(vcpus[0].vgic.priv[27].active);
	/* pending + active cannot be expressed with HW = 1: active only */
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_ACTIVE);
	assert_true((v->vgic.lr[0] & ICH_LR_HW) != 0);
	/* deactivated (physically too): pending again since the line is high */
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_false(vcpus[0].vgic.priv[27].active);
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING);
	vgic_sync(v);
	/* an edge HW interrupt latched while active survives the active LR */
	vgic_set_level(&vm, v, 27, false);
	wr(SGI(0) + 0xc04, 4, 0x2u << 22); /* edge */
	wr(SGI(0) + 0x300, 4, 1u << 27);
	vgic_set_pending(&vm, v, 27);
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_ACTIVE);
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING);
}

static void test_sync_edge(void **state)
{
	struct vcpu *v = &vcpus[0];
	struct virq *q = &vm.vgic.spi[45 - 32];

	(void)state;
	enable_irq(0, 45, 0x80);
	set_edge(45);
	vgic_set_level(&vm, NULL, 45, true); /* rising edge */
	vgic_set_level(&vm, NULL, 45, false);
	assert_true(q->pending);
	assert_true(vgic_pending(v));
	vgic_flush(v);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 45);
	/* not taken yet: still pending */
	vgic_sync(v);
	assert_true(q->pending);
	vgic_flush(v);
	/* acknowledged */
	guest_set_state(v, 0, LR_ACTIVE);
	vgic_sync(v);
	assert_false(q->pending);
	assert_true(q->active);
	assert_false(vgic_pending(v));
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_ACTIVE);
	/* EOI'd */
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_false(q->pending);
	assert_false(q->active);
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 0);
	assert_int_equal(v->vgic.hcr, ICH_HCR_EN);
}

static void test_sync_edge_retrigger(void **state)
{
	struct vcpu *v = &vcpus[0];
	struct virq *q = &vm.vgic.spi[45 - 32];

	(void)state;
	enable_irq(0, 45, 0x80);
	set_edge(45);
	vgic_set_pending(&vm, NULL, 45);
	vgic_flush(v);
	/* a new edge while in the LR, then the guest takes and EOIs the LR */
	vgic_set_pending(&vm, NULL, 45);
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_true(q->pending);
	assert_false(q->active);
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING);
	/* acknowledged only, re-triggered: pending and active */
	vgic_set_level(&vm, NULL, 45, true);
	guest_set_state(v, 0, LR_ACTIVE);
	vgic_sync(v);
	assert_true(q->pending);
	assert_true(q->active);
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING | LR_ACTIVE);
	/* no re-trigger this time: EOI leaves nothing */
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_false(q->pending);
	assert_false(q->active);
}

static void test_sync_level(void **state)
{
	struct vcpu *v = &vcpus[0];
	struct virq *q = &vm.vgic.spi[46 - 32];

	(void)state;
	enable_irq(0, 46, 0x80);
	vgic_set_level(&vm, NULL, 46, true);
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING);
	/* taken and EOI'd with the line still high: pending again */
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_false(q->active);
	assert_true(vgic_virq_pending(q));
	assert_true(vgic_pending(v));
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING);
	/* acknowledged, line high: active and pending */
	guest_set_state(v, 0, LR_ACTIVE);
	vgic_sync(v);
	vgic_flush(v);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_PENDING | LR_ACTIVE);
	/* the device lowers the line, the guest EOIs: nothing left */
	vgic_set_level(&vm, NULL, 46, false);
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_false(vgic_virq_pending(q));
	assert_false(q->active);
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 0);
	assert_false(vgic_pending(v));
	/* software pending (ISPENDR) on a level interrupt is consumed by ack */
	wr(DIST + 0x204, 4, 1u << 14);
	vgic_flush(v);
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_false(vgic_virq_pending(q));
}

static void test_spi_routing(void **state)
{
	u64 r50 = DIST + 0x6000 + 8 * 50;
	struct virq *q = &vm.vgic.spi[50 - 32];
	unsigned i;

	(void)state;
	for (i = 0; i < NR_VCPUS; i++)
		wr(RD(i) + 0x14, 4, 0);
	enable_irq(0, 50, 0x80);
	wr(r50, 8, 2); /* Aff0 = 2: vCPU 2 */
	vgic_set_level(&vm, NULL, 50, true);
	assert_false(vgic_pending(&vcpus[0]));
	assert_true(vgic_pending(&vcpus[2]));
	vgic_flush(&vcpus[0]);
	assert_int_equal(vcpus[0].vgic.used_lrs, 0);
	vgic_flush(&vcpus[2]);
	assert_int_equal(lr_intid(vcpus[2].vgic.lr[0]), 50);
	/* re-routed while in vCPU 2's LRs: vCPU 1 must not take it too */
	wr(r50, 8, 1);
	vgic_flush(&vcpus[1]);
	assert_int_equal(vcpus[1].vgic.used_lrs, 0);
	guest_set_state(&vcpus[2], 0, LR_ACTIVE);
	vgic_sync(&vcpus[2]);
	assert_int_equal(q->lr, -1);
	/* active on vCPU 2: it stays there until deactivated (as KVM) */
	vgic_flush(&vcpus[1]);
	assert_int_equal(vcpus[1].vgic.used_lrs, 0);
	vgic_flush(&vcpus[2]);
	assert_int_equal(lr_intid(vcpus[2].vgic.lr[0]), 50);
	assert_true((vgic_lr_state(vcpus[2].vgic.lr[0]) & LR_ACTIVE) != 0);
	guest_set_state(&vcpus[2], 0, 0);
	vgic_sync(&vcpus[2]);
	/* deactivated, still pending (level high): moves to vCPU 1 */
	vgic_flush(&vcpus[2]);
	assert_int_equal(vcpus[2].vgic.used_lrs, 0);
	assert_ptr_equal(q->owner, &vcpus[1]);
	vgic_flush(&vcpus[1]);
	assert_int_equal(lr_intid(vcpus[1].vgic.lr[0]), 50);
	vgic_sync(&vcpus[1]);
	/* Aff1-level affinity; the owner (kicked) gives it up at its flush */
	vcpus[3].mpidr = 0x0100;
	fake_arch.kicks = 0;
	wr(r50, 8, 0x0100);
	assert_int_equal(fake_arch.kicks, 1);
	assert_ptr_equal(fake_arch.kicked, &vcpus[1]);
	assert_true(vgic_pending(&vcpus[1]));
	vgic_flush(&vcpus[1]);
	assert_int_equal(vcpus[1].vgic.used_lrs, 0);
	vgic_flush(&vcpus[3]);
	assert_int_equal(lr_intid(vcpus[3].vgic.lr[0]), 50);
	vgic_sync(&vcpus[3]);
	/* IRM = 1: simplified to vCPU 0 */
	wr(r50, 8, 0x80000000u | 3);
	vgic_flush(&vcpus[3]);
	assert_int_equal(vcpus[3].vgic.used_lrs, 0);
	vgic_flush(&vcpus[0]);
	assert_int_equal(lr_intid(vcpus[0].vgic.lr[0]), 50);
	/* an affinity no vCPU has: delivered nowhere */
	vgic_sync(&vcpus[0]);
	wr(r50, 8, 0x0700);
	for (i = 0; i < NR_VCPUS; i++) {
		vgic_flush(&vcpus[i]);
		assert_int_equal(vcpus[i].vgic.used_lrs, 0);
		vgic_sync(&vcpus[i]);
	}
}

static void test_flush_twice(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	enable_irq(0, 40, 0x80);
	vgic_set_pending(&vm, NULL, 40);
	vgic_flush(v);
	/* entry aborted before the guest ran: flush again, same result */
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 40);
	assert_int_equal(vm.vgic.spi[8].lr, 0);
	vgic_sync(v);
	assert_true(vm.vgic.spi[8].pending);
}

/*
 * More active interrupts than LRs: LRENPIE asks for the maintenance
 * interrupt, and EOIcount deactivates those that were in no LR, in LR
 * order (priority, then INTID), never one that was in an LR.
 */
static void test_eoicount(void **state)
{
	struct vcpu *v = &vcpus[0];
	unsigned i;

	(void)state;
	for (i = 8; i < 14; i++)
		enable_irq(0, i, 0xa0);
	enable_irq(0, 13, 0x90); /* the highest priority: listed first */
	wr(SGI(0) + 0x300, 4, 0x3f00); /* SGIs 8-13 active */
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 4);
	assert_int_equal(lr_intid(v->vgic.lr[0]), 13);
	assert_int_equal(lr_intid(v->vgic.lr[3]), 10);
	assert_true((v->vgic.hcr & ICH_HCR_LRENPIE) != 0);
	/* the guest deactivates the 4 listed and one more: EOIcount 1 */
	for (i = 0; i < 4; i++)
		guest_set_state(v, i, 0);
	v->vgic.hcr_exit = (u32)field_prep(ICH_HCR_EOICOUNT, 1);
	vgic_sync(v);
	assert_int_equal(rd(SGI(0) + 0x300, 4), 1u << 12);
	assert_int_equal(v->vgic.hcr_exit, 0);
	/* all fit now: no LRENPIE; an EOIcount with none left out is ignored */
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	assert_int_equal(v->vgic.hcr & ICH_HCR_LRENPIE, 0);
	v->vgic.hcr_exit = (u32)field_prep(ICH_HCR_EOICOUNT, 3);
	vgic_sync(v);
	assert_int_equal(rd(SGI(0) + 0x300, 4), 1u << 12);
	/* the listed one left active by the guest stays active */
	vgic_flush(v);
	v->vgic.hcr_exit = (u32)field_prep(ICH_HCR_EOICOUNT, 1);
	vgic_sync(v);
	assert_int_equal(rd(SGI(0) + 0x300, 4), 1u << 12);
}

static void test_aprs_for_pribits(void **state)
{
	(void)state;
	/* ICH_AP1R<n>_EL2: n = 0 (5 bits), 0-1 (6 bits), 0-3 (7 bits) */
	assert_int_equal(vgic_aprs_for_pribits(5), 1);
	assert_int_equal(vgic_aprs_for_pribits(6), 2);
	assert_int_equal(vgic_aprs_for_pribits(7), 4);
}

static unsigned list_len(const struct vcpu *v)
{
	unsigned n = 0;

	for (const struct virq *q = v->vgic.ap_head; q; q = q->ap_next) {
		assert_ptr_equal(q->owner, v);
		n++;
	}
	return n;
}

/*
 * The per-vCPU ap_list: an interrupt joins its target's list when it
 * becomes pending or active, leaves it at the flush after it is neither,
 * an SPI re-routed while on no LR moves to its new target's list at once;
 * a flush with nothing changed rebuilds nothing.
 */
static void test_ap_list(void **state)
{
	struct vcpu *v = &vcpus[0];
	struct virq *sgi = &v->vgic.priv[3], *spi = &vm.vgic.spi[60 - 32];
	u64 r60 = DIST + 0x6000 + 8 * 60;
	unsigned i;

	(void)state;
	/* every interrupt configured and enabled, none pending: empty lists */
	wr(DIST + 0x0, 4, GICD_CTLR_ENABLE_G1);
	for (i = 1; i < NR_SPIS / 32 + 1; i++)
		wr(DIST + 0x100 + 4 * i, 4, 0xffffffff);
	for (i = 0; i < NR_VCPUS; i++) {
		wr(SGI(i) + 0x100, 4, 0xffffffff);
		assert_int_equal(list_len(&vcpus[i]), 0);
	}
	/* queued when pending, disabled or not */
	wr(SGI(0) + 0x180, 4, 1u << 3);
	vgic_set_pending(&vm, v, 3);
	assert_int_equal(list_len(v), 1);
	assert_ptr_equal(sgi->owner, v);
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 0);
	wr(SGI(0) + 0x100, 4, 1u << 3);
	vgic_flush(v);
	assert_int_equal(v->vgic.used_lrs, 1);
	/* nothing changed: the flush keeps the LRs, and so does the sync */
	v->vgic.lr[0] |= UINT64_C(1) << 59; /* a marker only a rebuild clears */
	vgic_flush(v);
	assert_true((v->vgic.lr[0] & (UINT64_C(1) << 59)) != 0);
	vgic_sync(v);
	vgic_flush(v);
	assert_true((v->vgic.lr[0] & (UINT64_C(1) << 59)) != 0);
	v->vgic.lr[0] &= ~(UINT64_C(1) << 59);
	/* acknowledged: still listed (active); EOIed: gone at the next flush */
	guest_set_state(v, 0, LR_ACTIVE);
	vgic_sync(v);
	vgic_flush(v);
	assert_int_equal(list_len(v), 1);
	assert_int_equal(vgic_lr_state(v->vgic.lr[0]), LR_ACTIVE);
	guest_set_state(v, 0, 0);
	vgic_sync(v);
	assert_int_equal(list_len(v), 1);
	vgic_flush(v);
	assert_int_equal(list_len(v), 0);
	assert_null(sgi->owner);
	assert_int_equal(v->vgic.used_lrs, 0);
	/* an SPI on vCPU 1's list, in no LR, re-routed: on vCPU 2's list */
	wr(r60, 8, 1);
	wr(DIST + 0x204, 4, 1u << 28);
	assert_ptr_equal(spi->owner, &vcpus[1]);
	wr(r60, 8, 2);
	assert_ptr_equal(spi->owner, &vcpus[2]);
	assert_int_equal(list_len(&vcpus[1]), 0);
	assert_int_equal(list_len(&vcpus[2]), 1);
	vgic_flush(&vcpus[2]);
	assert_int_equal(lr_intid(vcpus[2].vgic.lr[0]), 60);
	/* ICPENDR before the guest took it: off the list at the next flush */
	wr(DIST + 0x284, 4, 1u << 28);
	vgic_sync(&vcpus[2]);
	vgic_flush(&vcpus[2]);
	assert_int_equal(vcpus[2].vgic.used_lrs, 0);
	assert_int_equal(list_len(&vcpus[2]), 0);
	assert_null(spi->owner);
	/* a level input that goes low before being taken: the same */
	vgic_set_level(&vm, v, 20, true);
	assert_int_equal(list_len(v), 1);
	vgic_set_level(&vm, v, 20, false);
	vgic_flush(v);
	assert_int_equal(list_len(v), 0);
}

/* Kicks since the last call; *who the last vCPU kicked. */
static unsigned kicks(const struct vcpu **who)
{
	unsigned n = fake_arch.kicks;

	if (who)
		*who = fake_arch.kicked;
	fake_arch.kicks = 0;
	fake_arch.kicked = NULL;
	return n;
}

/*
 * Writes that make an interrupt deliverable to a vCPU wake it (vcpu_kick),
 * those that do not, do not.
 */
static void test_wake_target(void **state)
{
	const struct vcpu *who;
	u64 r50 = DIST + 0x6000 + 8 * 50;

	(void)state;
	wr(DIST + 0x0, 4, GICD_CTLR_ENABLE_G1);
	wr(r50, 8, 2); /* SPI 50 to vCPU 2 */
	kicks(NULL);
	/* pending but disabled: nothing to signal */
	wr(DIST + 0x204, 4, 1u << 18);
	assert_int_equal(kicks(NULL), 0);
	/* GICD_ISENABLER makes it deliverable */
	wr(DIST + 0x104, 4, 1u << 18);
	assert_int_equal(kicks(&who), 1);
	assert_ptr_equal(who, &vcpus[2]);
	/* GICD_ISPENDR of an enabled SPI */
	wr(DIST + 0x284, 4, 1u << 18);
	assert_int_equal(kicks(NULL), 0);
	wr(DIST + 0x204, 4, 1u << 18);
	assert_int_equal(kicks(&who), 1);
	assert_ptr_equal(who, &vcpus[2]);
	/* GICD_IROUTER moves the pending SPI to vCPU 1 */
	wr(r50, 8, 1);
	assert_int_equal(kicks(&who), 1);
	assert_ptr_equal(who, &vcpus[1]);
	/* GICD_CTLR enabling Group 1 again: every vCPU */
	wr(DIST + 0x0, 4, 0);
	assert_int_equal(kicks(NULL), 0);
	wr(DIST + 0x0, 4, GICD_CTLR_ENABLE_G1);
	assert_int_equal(kicks(NULL), NR_VCPUS);
	wr(DIST + 0x0, 4, GICD_CTLR_ENABLE_G1); /* no group newly enabled */
	assert_int_equal(kicks(NULL), 0);
	/* another vCPU's GICR_ISPENDR0 / ISENABLER0 */
	wr(SGI(3) + 0x200, 4, 1u << 7);
	assert_int_equal(kicks(NULL), 0); /* SGI 7 disabled on vCPU 3 */
	wr(SGI(3) + 0x100, 4, 1u << 7);
	assert_int_equal(kicks(&who), 1);
	assert_ptr_equal(who, &vcpus[3]);
	/* an active interrupt cannot be signalled; clearing active can */
	wr(SGI(3) + 0x300, 4, 1u << 7);
	wr(SGI(3) + 0x200, 4, 1u << 7);
	assert_int_equal(kicks(NULL), 0);
	wr(SGI(3) + 0x380, 4, 1u << 7);
	assert_int_equal(kicks(&who), 1);
	assert_ptr_equal(who, &vcpus[3]);
	/* a priority write or a read wakes nobody */
	wr(SGI(3) + 0x400, 4, 0x80808080);
	(void)rd(SGI(3) + 0x200, 4);
	assert_int_equal(kicks(NULL), 0);
	/*
	 * GICD_ICFGR: SPI 51 edge-triggered with its line high, its latch
	 * cleared; configured level-sensitive it is pending again at once.
	 */
	wr(DIST + 0x6000 + 8 * 51, 8, 2);
	wr(DIST + 0x84, 4, rd(DIST + 0x84, 4) | 1u << 19); /* Group 1 */
	wr(DIST + 0xc00 + 4 * 3, 4, 2u << 6);
	wr(DIST + 0x104, 4, 1u << 19);
	vgic_set_level(&vm, NULL, 51, true);
	wr(DIST + 0x284, 4, 1u << 19);
	kicks(NULL);
	wr(DIST + 0xc00 + 4 * 3, 4, 0);
	assert_int_equal(kicks(&who), 1);
	assert_ptr_equal(who, &vcpus[2]);
	/* ICC_SGI1R_EL1: the target */
	wr(SGI(1) + 0x100, 4, 1u << 4);
	kicks(NULL);
	vgic_write_sgi1r(&vcpus[0], 4ull << 24 | 0x2);
	assert_int_equal(kicks(&who), 1);
	assert_ptr_equal(who, &vcpus[1]);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mmio_bus),
		T(test_init),
		T(test_gicd_ctlr_typer_ids),
		T(test_gicd_bit_registers),
		T(test_gicd_priority),
		T(test_gicd_irouter),
		T(test_gicr_rd_frame),
		T(test_gicr_sgi_frame),
		T(test_sgi1r),
		T(test_flush_priority_order),
		T(test_flush_enables),
		T(test_flush_active_first),
		T(test_flush_hw),
		T(test_sync_edge),
		T(test_sync_edge_retrigger),
		T(test_sync_level),
		T(test_spi_routing),
		T(test_flush_twice),
		T(test_wake_target),
		T(test_ap_list),
		T(test_eoicount),
		T(test_aprs_for_pribits),
	};

	return cmocka_run_group_tests_name("vgic", tests, NULL, NULL);
}
