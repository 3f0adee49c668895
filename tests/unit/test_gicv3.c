/*
 * Host tests of the GICv3 distributor/redistributor set-up
 * (src/irq/gicv3.c) against a small model of the GIC's MMIO registers
 * behind the fake arch's mmio hooks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/irq.h>
#include "helpers.h"

#define DIST UINT64_C(0x8000000)
#define REDIST UINT64_C(0x80a0000)
#define FRAME UINT64_C(0x20000)

/* Register offsets, from the GICv3 architecture specification. */
#define GICD_CTLR 0x0
#define GICD_TYPER 0x4
#define GICD_IGROUPR 0x80
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ICFGR 0xc00
#define GICD_IROUTER 0x6000
#define GICx_PIDR2 0xffe8
#define GICR_TYPER 0x8
#define GICR_WAKER 0x14
#define SGI 0x10000
#define GICR_IGROUPR0 (SGI + 0x80)
#define GICR_ISENABLER0 (SGI + 0x100)
#define GICR_ICENABLER0 (SGI + 0x180)
#define GICR_ICPENDR0 (SGI + 0x280)
#define GICR_ICACTIVER0 (SGI + 0x380)
#define GICR_IPRIORITYR (SGI + 0x400)
#define GICR_ICFGR1 (SGI + 0xc04)

#define WAKER_PROCESSOR_SLEEP (1u << 1)
#define WAKER_CHILDREN_ASLEEP (1u << 2)

/* ---- the model ---- */

struct rd_frame {
	paddr_t base;
	u32 aff;  /* GICR_TYPER[63:32] */
	bool last;
	bool vlpis;
	u32 pidr2;
	u32 waker;
	bool waker_stuck; /* ChildrenAsleep never clears */
};

struct access {
	paddr_t addr;
	u64 val;
	unsigned size;
};

static struct {
	u32 pidr2;
	u32 typer;
	u32 ctlr;
	bool rwp_stuck;
	struct rd_frame frames[8];
	unsigned nframes;
	struct access writes[4096];
	unsigned nwrites;
	paddr_t reads[256];
	unsigned nreads;
} gic;

static struct rd_frame *frame_at(paddr_t addr)
{
	for (unsigned i = 0; i < gic.nframes; i++)
		if (addr >= gic.frames[i].base &&
		    addr < gic.frames[i].base + 2 * SZ_64K)
			return &gic.frames[i];
	return NULL;
}

static u64 model_read(paddr_t addr, unsigned size)
{
	struct rd_frame *f;

	if (gic.nreads < ARRAY_SIZE(gic.reads))
		gic.reads[gic.nreads++] = addr;
	if (addr >= DIST && addr < DIST + SZ_64K) {
		assert_int_equal(size, 4);
		switch (addr - DIST) {
		case GICx_PIDR2:
			return gic.pidr2;
		case GICD_TYPER:
			return gic.typer;
		case GICD_CTLR:
			return gic.ctlr | (gic.rwp_stuck ? 1u << 31 : 0);
		default:
			return 0;
		}
	}
	f = frame_at(addr);
	if (!f)
		return 0;
	switch (addr - f->base) {
	case GICx_PIDR2:
		assert_int_equal(size, 4);
		return f->pidr2;
	case GICR_TYPER:
		assert_int_equal(size, 8);
		return (u64)f->aff << 32 | (f->last ? 1u << 4 : 0) |
		       (f->vlpis ? 1u << 1 : 0);
	case GICR_WAKER:
		assert_int_equal(size, 4);
		return f->waker;
	default:
		return 0;
	}
}

static void model_write(paddr_t addr, u64 val, unsigned size)
{
	struct rd_frame *f;

	assert_true(gic.nwrites < ARRAY_SIZE(gic.writes));
	gic.writes[gic.nwrites].addr = addr;
	gic.writes[gic.nwrites].val = val;
	gic.writes[gic.nwrites].size = size;
	gic.nwrites++;
	if (addr == DIST + GICD_CTLR) {
		gic.ctlr = (u32)val & ~(1u << 31);
		return;
	}
	f = frame_at(addr);
	if (f && addr - f->base == GICR_WAKER) {
		f->waker = (f->waker & WAKER_CHILDREN_ASLEEP) |
			   ((u32)val & WAKER_PROCESSOR_SLEEP);
		if (!(val & WAKER_PROCESSOR_SLEEP) && !f->waker_stuck)
			f->waker &= ~WAKER_CHILDREN_ASLEEP;
	}
}

/* Frames [0, n) of a region at base, stride apart, affinities aff[]. */
static void add_frames(paddr_t base, u64 stride, const u32 *aff, unsigned n,
		       bool vlpis)
{
	for (unsigned i = 0; i < n; i++) {
		struct rd_frame *f = &gic.frames[gic.nframes++];

		f->base = base + i * stride;
		f->aff = aff[i];
		f->last = i == n - 1;
		f->vlpis = vlpis;
		f->pidr2 = 0x3b; /* ArchRev 3, JEP106 bits */
		f->waker = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;
	}
}

static const struct access *find_write(paddr_t addr)
{
	for (unsigned i = 0; i < gic.nwrites; i++)
		if (gic.writes[i].addr == addr)
			return &gic.writes[i];
	return NULL;
}

static unsigned count_writes(paddr_t lo, paddr_t hi)
{
	unsigned n = 0;

	for (unsigned i = 0; i < gic.nwrites; i++)
		if (gic.writes[i].addr >= lo && gic.writes[i].addr < hi)
			n++;
	return n;
}

static void expect_write(paddr_t addr, u64 val, unsigned size)
{
	const struct access *w = find_write(addr);

	if (!w)
		fail_msg("no write to 0x%llx", (unsigned long long)addr);
	assert_int_equal(w->val, val);
	assert_int_equal(w->size, size);
}

static struct platform plat;

static int setup(void **state)
{
	static const u32 aff[4] = { 0, 1, 2, 3 };

	(void)state;
	memset(&gic, 0, sizeof(gic));
	gic.pidr2 = 0x3b;
	gic.typer = 2; /* ITLinesNumber 2: INTIDs 0..95 */
	add_frames(REDIST, FRAME, aff, 4, false);

	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter_freq = 62500000;
	fake_arch.mmio_read = model_read;
	fake_arch.mmio_write = model_write;

	memset(&plat, 0, sizeof(plat));
	plat.gic.dist.base = DIST;
	plat.gic.dist.size = SZ_64K;
	plat.gic.nr_redist = 1;
	plat.gic.redist[0].base = REDIST;
	plat.gic.redist[0].size = 0xf60000;
	strcpy(plat.gic.path, "/intc@8000000");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	return 0;
}

/* ---- distributor ---- */

static void test_dist_init(void **state)
{
	struct gic_info info;
	char err[128] = "";

	(void)state;
	fake_arch.mpidr = UINT64_C(0xffc1000102); /* Aff3 0xff; RES1, U, MT set */
	memset(&info, 0xa5, sizeof(info));
	assert_true(gicv3_init_dist(&plat, &info, err, sizeof(err)));
	assert_int_equal(info.nr_spis, 64);
	assert_int_equal(info.arch_rev, 3);

	/* Disabled first, enabled with ARE and both groups last. */
	assert_int_equal(gic.writes[0].addr, DIST + GICD_CTLR);
	assert_int_equal(gic.writes[0].val, 0);
	assert_int_equal(gic.writes[gic.nwrites - 1].addr, DIST + GICD_CTLR);
	assert_int_equal(gic.writes[gic.nwrites - 1].val, (1u << 4) | 3u);
	assert_int_equal(gic.ctlr & (1u << 4), 1u << 4);
	assert_int_equal(count_writes(DIST + GICD_CTLR, DIST + GICD_CTLR + 4), 2);

	/* SPIs 32..95 disabled, cleared, Group 1; INTIDs 0..31 untouched. */
	for (paddr_t r = 1; r <= 2; r++) {
		expect_write(DIST + GICD_ICENABLER + 4 * r, 0xffffffff, 4);
		expect_write(DIST + GICD_ICPENDR + 4 * r, 0xffffffff, 4);
		expect_write(DIST + GICD_ICACTIVER + 4 * r, 0xffffffff, 4);
		expect_write(DIST + GICD_IGROUPR + 4 * r, 0xffffffff, 4);
	}
	assert_null(find_write(DIST + GICD_ICENABLER));
	assert_null(find_write(DIST + GICD_IGROUPR));
	assert_null(find_write(DIST + GICD_ICENABLER + 12));
	/* Priorities, one byte per INTID. */
	assert_int_equal(count_writes(DIST + GICD_IPRIORITYR,
				      DIST + GICD_IPRIORITYR + 1024),
			 16);
	for (paddr_t i = 32; i < 96; i += 4)
		expect_write(DIST + GICD_IPRIORITYR + i, 0xa0a0a0a0, 4);
	/* Level-sensitive: two bits per INTID. */
	assert_int_equal(count_writes(DIST + GICD_ICFGR, DIST + GICD_ICFGR + 256),
			 4);
	for (paddr_t i = 32; i < 96; i += 16)
		expect_write(DIST + GICD_ICFGR + i / 4, 0, 4);
	/* Every SPI routed to this CPU (Aff3.Aff2.Aff1.Aff0, IRM 0). */
	assert_int_equal(count_writes(DIST + GICD_IROUTER, DIST + 0x8000), 64);
	for (paddr_t i = 32; i < 96; i++)
		expect_write(DIST + GICD_IROUTER + 8 * i, UINT64_C(0xff00000102), 8);
	assert_null(find_write(DIST + GICD_IROUTER + 8 * 96));
	/* Nothing outside the distributor. */
	assert_int_equal(count_writes(DIST, DIST + SZ_64K), gic.nwrites);
}

static void test_dist_max_lines(void **state)
{
	struct gic_info info;
	char err[128] = "";

	(void)state;
	gic.typer = 0x1f | (0x3u << 5) | (1u << 24); /* other fields set too */
	assert_true(gicv3_init_dist(&plat, &info, err, sizeof(err)));
	/* 32 * 32 = 1024, capped at 1020 INTIDs. */
	assert_int_equal(info.nr_spis, 988);
	expect_write(DIST + GICD_IROUTER + 8 * 1019, 0, 8);
	assert_null(find_write(DIST + GICD_IROUTER + 8 * 1020));
	assert_int_equal(count_writes(DIST + GICD_IROUTER, DIST + 0x8000), 988);
	expect_write(DIST + GICD_ICENABLER + 4 * 31, 0xffffffff, 4);
	assert_null(find_write(DIST + GICD_ICENABLER + 4 * 32));
	expect_write(DIST + GICD_IPRIORITYR + 1016, 0xa0a0a0a0, 4);
	assert_null(find_write(DIST + GICD_IPRIORITYR + 1020));
}

static void test_dist_min_lines(void **state)
{
	struct gic_info info;
	char err[128] = "";

	(void)state;
	gic.typer = 0; /* no SPIs at all */
	assert_true(gicv3_init_dist(&plat, &info, err, sizeof(err)));
	assert_int_equal(info.nr_spis, 0);
	assert_int_equal(count_writes(DIST + GICD_IROUTER, DIST + 0x8000), 0);
	/* Just the two GICD_CTLR writes. */
	assert_int_equal(gic.nwrites, 2);
}

static void test_dist_arch_rev4(void **state)
{
	struct gic_info info;
	char err[128] = "";

	(void)state;
	gic.pidr2 = 0x4b;
	assert_true(gicv3_init_dist(&plat, &info, err, sizeof(err)));
	assert_int_equal(info.arch_rev, 4);
}

static void test_dist_not_v3(void **state)
{
	struct gic_info info;
	char err[128] = "";

	(void)state;
	for (u32 rev = 0; rev < 16; rev++) {
		char want[64];

		if (rev == 3 || rev == 4)
			continue;
		gic.pidr2 = rev << 4 | 0xb;
		gic.nwrites = 0;
		err[0] = '\0';
		assert_false(gicv3_init_dist(&plat, &info, err, sizeof(err)));
		assert_contains(err, "/intc@8000000");
		snprintf(want, sizeof(want), "GICD_PIDR2.ArchRev is %u,", rev);
		assert_contains(err, want);
		assert_contains(err, "not a GICv3");
		/* Nothing written to a device that is not a GICv3. */
		assert_int_equal(gic.nwrites, 0);
	}
}

static void test_dist_rwp_stuck(void **state)
{
	struct gic_info info;
	char err[128] = "";

	(void)state;
	gic.rwp_stuck = true;
	/* Each counter read advances 1 ms: the ~100 ms wait gives up. */
	fake_arch.counter_step = fake_arch.counter_freq / 1000;
	assert_false(gicv3_init_dist(&plat, &info, err, sizeof(err)));
	assert_contains(err, "/intc@8000000");
	assert_contains(err, "RWP stuck");
	/* It gave up after roughly 100 polls, not at once. */
	assert_true(fake_arch.counter >= fake_arch.counter_freq / 10);
	assert_true(fake_arch.counter <= fake_arch.counter_freq / 5);
	/* Stopped after disabling: no SPI configuration. */
	assert_int_equal(gic.nwrites, 1);
}

/* ---- redistributors ---- */

static void test_cpu_init_finds_frame(void **state)
{
	paddr_t gicr = 0, rd = REDIST + 2 * FRAME;
	char err[128] = "";

	(void)state;
	if (!gicv3_init_cpu(&plat, 2, &gicr, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(gicr, rd);

	/* Woken up: ProcessorSleep written 0, ChildrenAsleep clear. */
	assert_int_equal(gic.frames[2].waker & 3u << 1, 0);
	assert_non_null(find_write(rd + GICR_WAKER));
	assert_int_equal(find_write(rd + GICR_WAKER)->val & WAKER_PROCESSOR_SLEEP, 0);
	assert_int_equal(find_write(rd + GICR_WAKER)->size, 4);
	/* The other frames were left asleep and untouched. */
	for (unsigned i = 0; i < 4; i++) {
		if (i == 2)
			continue;
		assert_int_equal(gic.frames[i].waker, 6);
		assert_int_equal(count_writes(gic.frames[i].base,
					      gic.frames[i].base + FRAME),
				 0);
	}
	/* SGIs and PPIs: disabled, cleared, Group 1, priority, level. */
	expect_write(rd + GICR_ICENABLER0, 0xffffffff, 4);
	expect_write(rd + GICR_ICPENDR0, 0xffffffff, 4);
	expect_write(rd + GICR_ICACTIVER0, 0xffffffff, 4);
	expect_write(rd + GICR_IGROUPR0, 0xffffffff, 4);
	for (paddr_t i = 0; i < 32; i += 4)
		expect_write(rd + GICR_IPRIORITYR + i, 0xa0a0a0a0, 4);
	assert_null(find_write(rd + GICR_IPRIORITYR + 32));
	expect_write(rd + GICR_ICFGR1, 0, 4);
	/* Nothing enabled yet. */
	assert_null(find_write(rd + GICR_ISENABLER0));
	/* The frame's registers were only read up to the match. */
	for (unsigned i = 0; i < gic.nreads; i++)
		assert_true(gic.reads[i] < REDIST + 3 * FRAME);
}

static void test_cpu_init_waker_keeps_other_bits(void **state)
{
	paddr_t gicr = 0;
	char err[128] = "";

	(void)state;
	gic.frames[0].waker |= 1u << 0 | 1u << 31; /* IMPDEF bits */
	assert_true(gicv3_init_cpu(&plat, 0, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST);
	/* Read-modify-write: only ProcessorSleep cleared. */
	expect_write(REDIST + GICR_WAKER, 1u << 0 | 1u << 31 | 1u << 2, 4);
}

static void test_cpu_init_affinity_levels(void **state)
{
	static const u32 aff[4] = { 0x00000000, 0x00000100, 0x00010000,
				    0x01000100 };
	paddr_t gicr = 0;
	char err[128] = "";

	(void)state;
	gic.nframes = 0;
	add_frames(REDIST, FRAME, aff, 4, false);
	/* Aff1 = 1. */
	assert_true(gicv3_init_cpu(&plat, 0x100, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST + FRAME);
	/* Aff2 = 1. */
	assert_true(gicv3_init_cpu(&plat, 0x10000, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST + 2 * FRAME);
	/* Aff3 = 1 (MPIDR[39:32]) and Aff1 = 1. */
	assert_true(gicv3_init_cpu(&plat, UINT64_C(0x100000100), &gicr, err,
				   sizeof(err)));
	assert_int_equal(gicr, REDIST + 3 * FRAME);
	/* Aff3 alone does not match Aff2's frame or any other. */
	gicr = 0x1234;
	assert_false(gicv3_init_cpu(&plat, UINT64_C(0x100000000), &gicr, err,
				    sizeof(err)));
	assert_int_equal(gicr, 0x1234);
}

static void test_cpu_init_no_frame(void **state)
{
	paddr_t gicr = 0x1234;
	char err[128] = "";

	(void)state;
	assert_false(gicv3_init_cpu(&plat, 7, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, 0x1234);
	assert_contains(err, "/intc@8000000");
	assert_contains(err, "no redistributor for MPIDR 0x7");
	/* The walk stopped at the frame marked Last. */
	for (unsigned i = 0; i < gic.nreads; i++)
		assert_true(gic.reads[i] < REDIST + 4 * FRAME);
	assert_int_equal(gic.nwrites, 0);
}

static void test_cpu_init_stops_at_last(void **state)
{
	paddr_t gicr = 0;
	char err[128] = "";

	(void)state;
	gic.frames[1].last = true;
	assert_false(gicv3_init_cpu(&plat, 2, &gicr, err, sizeof(err)));
	assert_contains(err, "MPIDR 0x2");
	for (unsigned i = 0; i < gic.nreads; i++)
		assert_true(gic.reads[i] < REDIST + 2 * FRAME);
}

static void test_cpu_init_region_end(void **state)
{
	paddr_t gicr = 0;
	char err[128] = "";

	(void)state;
	/* No Last bit anywhere: the region's size bounds the walk. */
	for (unsigned i = 0; i < gic.nframes; i++)
		gic.frames[i].last = false;
	plat.gic.redist[0].size = 4 * FRAME;
	assert_false(gicv3_init_cpu(&plat, 9, &gicr, err, sizeof(err)));
	assert_contains(err, "no redistributor for MPIDR 0x9");
	for (unsigned i = 0; i < gic.nreads; i++)
		assert_true(gic.reads[i] < REDIST + 4 * FRAME);
	assert_true(gicv3_init_cpu(&plat, 3, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST + 3 * FRAME);
}

static void test_cpu_init_bad_frame(void **state)
{
	paddr_t gicr = 0;
	char err[128] = "";

	(void)state;
	gic.frames[1].pidr2 = 0x2b;
	assert_false(gicv3_init_cpu(&plat, 2, &gicr, err, sizeof(err)));
	assert_contains(err, "/intc@8000000");
	assert_contains(err, "no redistributor at 0x80c0000");
	assert_contains(err, "ArchRev 2");
	/* A v4 frame is fine. */
	gic.frames[1].pidr2 = 0x4b;
	assert_true(gicv3_init_cpu(&plat, 2, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST + 2 * FRAME);
}

static void test_cpu_init_vlpis_stride(void **state)
{
	static const u32 aff[4] = { 0, 1, 2, 3 };
	paddr_t gicr = 0;
	char err[128] = "";

	(void)state;
	/* GICv4 frames (VLPIS) are 4 x 64 KiB. */
	gic.nframes = 0;
	add_frames(REDIST, 4 * SZ_64K, aff, 4, true);
	assert_true(gicv3_init_cpu(&plat, 2, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST + 2 * 4 * SZ_64K);
}

static void test_cpu_init_dt_stride(void **state)
{
	static const u32 aff[4] = { 0, 1, 2, 3 };
	paddr_t gicr = 0;
	char err[128] = "";

	(void)state;
	/* redistributor-stride from the DT wins over VLPIS. */
	gic.nframes = 0;
	add_frames(REDIST, 0x80000, aff, 4, false);
	plat.gic.redist_stride = 0x80000;
	assert_true(gicv3_init_cpu(&plat, 3, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST + 3 * 0x80000);
}

static void test_cpu_init_second_region(void **state)
{
	static const u32 aff0[2] = { 0, 1 }, aff1[2] = { 2, 3 };
	paddr_t gicr = 0, r1 = UINT64_C(0x100000000);
	char err[128] = "";

	(void)state;
	gic.nframes = 0;
	add_frames(REDIST, FRAME, aff0, 2, false);
	add_frames(r1, FRAME, aff1, 2, false);
	plat.gic.nr_redist = 2;
	plat.gic.redist[0].size = 2 * FRAME;
	plat.gic.redist[1].base = r1;
	plat.gic.redist[1].size = 2 * FRAME;
	assert_true(gicv3_init_cpu(&plat, 3, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, r1 + FRAME);
	assert_true(gicv3_init_cpu(&plat, 1, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, REDIST + FRAME);
}

static void test_cpu_init_waker_stuck(void **state)
{
	paddr_t gicr = 0x1234;
	char err[128] = "";

	(void)state;
	gic.frames[2].waker_stuck = true;
	fake_arch.counter_step = fake_arch.counter_freq / 1000;
	assert_false(gicv3_init_cpu(&plat, 2, &gicr, err, sizeof(err)));
	assert_int_equal(gicr, 0x1234);
	assert_contains(err, "redistributor 0x80e0000 does not wake up");
	/* It tried: ProcessorSleep was cleared. */
	assert_non_null(find_write(REDIST + 2 * FRAME + GICR_WAKER));
	assert_int_equal(find_write(REDIST + 2 * FRAME + GICR_WAKER)->val &
				 WAKER_PROCESSOR_SLEEP,
			 0);
	assert_int_equal(gic.frames[2].waker, WAKER_CHILDREN_ASLEEP);
	/* And gave up before configuring the SGIs and PPIs. */
	assert_null(find_write(REDIST + 2 * FRAME + GICR_ICENABLER0));
}

/* ---- enable / disable ---- */

static void test_enable_private(void **state)
{
	paddr_t rd = REDIST + 2 * FRAME;

	(void)state;
	gicv3_enable_private(rd, 27);
	assert_int_equal(gic.nwrites, 1);
	expect_write(rd + GICR_ISENABLER0, 1u << 27, 4);
	gicv3_enable_private(rd, 0);
	gicv3_enable_private(rd, 31);
	assert_int_equal(gic.nwrites, 3);
	assert_int_equal(gic.writes[1].addr, rd + GICR_ISENABLER0);
	assert_int_equal(gic.writes[1].val, 1u << 0);
	assert_int_equal(gic.writes[2].val, 1u << 31);
	/* Not private: ignored. */
	gicv3_enable_private(rd, 32);
	gicv3_enable_private(rd, 1023);
	assert_int_equal(gic.nwrites, 3);
}

static void test_disable(void **state)
{
	struct gic_info info;
	paddr_t rd = REDIST + FRAME;
	char err[128] = "";

	(void)state;
	gicv3_disable(rd, 26);
	assert_int_equal(gic.nwrites, 1);
	expect_write(rd + GICR_ICENABLER0, 1u << 26, 4);

	/* SPIs go to the distributor found by gicv3_init_dist. */
	assert_true(gicv3_init_dist(&plat, &info, err, sizeof(err)));
	gic.nwrites = 0;
	gicv3_disable(rd, 40);
	assert_int_equal(gic.nwrites, 1);
	expect_write(DIST + GICD_ICENABLER + 4, 1u << 8, 4);
	gicv3_disable(rd, 1019);
	assert_int_equal(gic.nwrites, 2);
	assert_int_equal(gic.writes[1].addr, DIST + GICD_ICENABLER + 4 * 31);
	assert_int_equal(gic.writes[1].val, 1u << 27);
	/* Special and LPI INTIDs: nothing. */
	gicv3_disable(rd, 1020);
	gicv3_disable(rd, 1023);
	gicv3_disable(rd, 8192);
	assert_int_equal(gic.nwrites, 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_dist_init),
		T(test_dist_max_lines),
		T(test_dist_min_lines),
		T(test_dist_arch_rev4),
		T(test_dist_not_v3),
		T(test_dist_rwp_stuck),
		T(test_cpu_init_finds_frame),
		T(test_cpu_init_waker_keeps_other_bits),
		T(test_cpu_init_affinity_levels),
		T(test_cpu_init_no_frame),
		T(test_cpu_init_stops_at_last),
		T(test_cpu_init_region_end),
		T(test_cpu_init_bad_frame),
		T(test_cpu_init_vlpis_stride),
		T(test_cpu_init_dt_stride),
		T(test_cpu_init_second_region),
		T(test_cpu_init_waker_stuck),
		T(test_enable_private),
		T(test_disable),
	};
#undef T

	return cmocka_run_group_tests_name("gicv3", tests, NULL, NULL);
}
