/*
 * Host tests of the emulated GIC hypervisor interface of a guest
 * hypervisor (src/irq/vgic_nested.c): ICH_ELRSR_EL2, ICH_EISR_EL2 and
 * ICH_MISR_EL2 derived from L1's ICH_HCR_EL2, ICH_VMCR_EL2 and list
 * registers, L1's maintenance interrupt, and L1's list registers to and
 * from the hardware ones while L2 runs; then the per-vCPU interface
 * (src/irq/vgic_nested.c, vgic_nested_lr.c) on a VM of the fake arch:
 * L1's MRS/MSR of ICH_*_EL2 with their masks and UNDEFs, the flush/sync
 * cycle through the fake hardware (fake_vich) with L2's acknowledges and
 * EOIs simulated, HW LR translation, L1's maintenance PPI, L2's WFI
 * wake-up and the ICC traps L1 asks for. Expected values follow the GIC
 * architecture spec (IHI 0069, the ICH_* register descriptions).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/esr.h>
#include <nv/fake_arch.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vgic_nested.h>
#include <nv/vm.h>
#include "helpers.h"

/*
 * Register fields at their GIC spec positions, written out independently
 * of the masks in nv/vgic.h and nv/vgic_nested.h.
 */
/* ICH_LR<n>_EL2 */
#define L_VINTID(v) ((u64)(v))
#define L_PINTID(p) ((u64)(p) << 32) /* HW == 1: bits [44:32] */
#define L_EOI ((u64)1 << 41)         /* HW == 0 */
#define L_PRIO(p) ((u64)(p) << 48)
#define L_NMI ((u64)1 << 59)
#define L_GRP1 ((u64)1 << 60)
#define L_HW ((u64)1 << 61)
#define L_STATE(s) ((u64)(s) << 62)
#define ST_INVALID 0u
#define ST_PENDING 1u
#define ST_ACTIVE 2u
#define ST_PACT 3u /* pending and active */
/* ICH_HCR_EL2 */
#define H_EN ((u64)1 << 0)
#define H_UIE ((u64)1 << 1)
#define H_LRENPIE ((u64)1 << 2)
#define H_NPIE ((u64)1 << 3)
#define H_VGRP0EIE ((u64)1 << 4)
#define H_VGRP0DIE ((u64)1 << 5)
#define H_VGRP1EIE ((u64)1 << 6)
#define H_VGRP1DIE ((u64)1 << 7)
#define H_EOICOUNT(c) ((u64)(c) << 27)
/* ICH_VMCR_EL2 */
#define V_ENG0 ((u64)1 << 0)
#define V_ENG1 ((u64)1 << 1)
/* ICH_MISR_EL2 */
#define M_EOI (1u << 0)
#define M_U (1u << 1)
#define M_LRENP (1u << 2)
#define M_NP (1u << 3)
#define M_VGRP0E (1u << 4)
#define M_VGRP0D (1u << 5)
#define M_VGRP1E (1u << 6)
#define M_VGRP1D (1u << 7)

#define ALL_IE (H_UIE | H_LRENPIE | H_NPIE | H_VGRP0EIE | H_VGRP0DIE | \
		H_VGRP1EIE | H_VGRP1DIE)
#define PINTID_SENTINEL 0xdeadbeefu

/* A software LR (HW 0), built by hand. */
static u64 sw_lr(u32 vintid, u8 prio, bool grp1, unsigned state, bool eoi)
{
	return L_VINTID(vintid) | L_PRIO(prio) | (grp1 ? L_GRP1 : 0) |
	       L_STATE(state) | (eoi ? L_EOI : 0);
}

/* A hardware LR (HW 1, pINTID), built by hand. */
static u64 hw_lr(u32 vintid, u8 prio, bool grp1, unsigned state, u32 pintid)
{
	return L_VINTID(vintid) | L_PRIO(prio) | (grp1 ? L_GRP1 : 0) |
	       L_STATE(state) | L_HW | L_PINTID(pintid);
}

static unsigned bits(u32 v)
{
	return (unsigned)__builtin_popcount(v);
}

static void test_lr_encode_layout(void **state)
{
	(void)state;
	/* The encoder the tests also use puts fields where the spec does. */
	assert_int_equal(vgic_lr_encode(0x1234, 0xa0, true, false, 0x55,
					ICH_LR_STATE_PENDING),
			 sw_lr(0x1234, 0xa0, true, ST_PENDING, false));
	assert_int_equal(vgic_lr_encode(27, 0x80, false, true, 0x1abc,
					ICH_LR_STATE_ACTIVE),
			 hw_lr(27, 0x80, false, ST_ACTIVE, 0x1abc));
	assert_int_equal(vgic_lr_encode(0xffffffffu, 0xff, true, true, 0x1fff,
					ICH_LR_STATE_PENDING |
						ICH_LR_STATE_ACTIVE),
			 UINT64_C(0xf0ff1fffffffffff));
	assert_int_equal(ICH_LR_EOI, L_EOI);
	assert_int_equal(vgic_lr_encode(1, 0, false, false, 0, 0), 1);
}

/*
 * ICH_ELRSR_EL2.Status<n>: 1 when State is 0b00 and HW is 1 or EOI is 0;
 * an invalid LR with an unhandled EOI maintenance interrupt is not empty.
 */
static void test_elrsr_single_lr(void **state)
{
	(void)state;
	for (unsigned st = 0; st < 4; st++) {
		for (unsigned hw = 0; hw < 2; hw++) {
			for (unsigned eoi = 0; eoi < 2; eoi++) {
				u64 lr = L_VINTID(40) | L_PRIO(0x20) |
					 L_STATE(st) | (hw ? L_HW : 0) |
					 (eoi ? L_EOI : 0);
				u32 want = (st == ST_INVALID && (hw || !eoi))
						   ? 1u
						   : 0u;

				assert_int_equal(vich_elrsr(&lr, 1), want);
			}
		}
	}
	/* Other fields do not matter. */
	u64 lr = hw_lr(0xffffffffu, 0xff, true, ST_INVALID, 0x1fff) | L_NMI;
	assert_int_equal(vich_elrsr(&lr, 1), 1);
	lr = sw_lr(0xffffffffu, 0xff, true, ST_INVALID, false) | L_NMI;
	assert_int_equal(vich_elrsr(&lr, 1), 1);
}

static void test_elrsr_four_lrs(void **state)
{
	u64 lr[4] = {
		sw_lr(32, 0xa0, true, ST_INVALID, false),
		sw_lr(33, 0xa0, true, ST_PENDING, false),
		hw_lr(34, 0xa0, true, ST_INVALID, 50),
		vgic_lr_encode(35, 0xa0, true, false, 0, ICH_LR_STATE_ACTIVE),
	};

	(void)state;
	assert_int_equal(vich_elrsr(lr, 4), 0x5);
	/* Pending and active, and an EOI still to report, are not empty. */
	lr[0] = sw_lr(32, 0xa0, true, ST_PACT, false);
	lr[3] = sw_lr(35, 0xa0, true, ST_INVALID, true);
	assert_int_equal(vich_elrsr(lr, 4), 0x4);
	for (unsigned i = 0; i < 4; i++)
		lr[i] = 0;
	assert_int_equal(vich_elrsr(lr, 4), 0xf);
	/* Only the first n LRs are looked at. */
	assert_int_equal(vich_elrsr(lr, 3), 0x7);
	assert_int_equal(vich_elrsr(lr, 1), 0x1);
}

static void test_elrsr_sixteen_lrs(void **state)
{
	u64 lr[16];
	u32 want = 0;

	(void)state;
	/* LR i: invalid when i is 0, 5, 10, 15 or odd > 8; otherwise live. */
	for (unsigned i = 0; i < 16; i++) {
		bool empty = i % 5 == 0 || (i > 8 && (i & 1));

		lr[i] = vgic_lr_encode(64 + i, (u8)(i << 4), (i & 1) != 0,
				       (i & 2) != 0,
				       100 + i,
				       empty ? 0 : (u64)(i % 3 + 1));
		if (empty)
			want |= 1u << i;
	}
	assert_int_equal(want, 0xae21);
	assert_int_equal(vich_elrsr(lr, 16), want);
	/* One LR at a time: the bit follows the LR's index. */
	for (unsigned i = 0; i < 16; i++)
		lr[i] = sw_lr(64 + i, 0, true, ST_ACTIVE, false);
	for (unsigned i = 0; i < 16; i++) {
		lr[i] = 0;
		assert_int_equal(vich_elrsr(lr, 16), 1u << i);
		lr[i] = sw_lr(64 + i, 0, true, ST_PENDING, false);
	}
	assert_int_equal(vich_elrsr(lr, 16), 0);
}

/* ICH_EISR_EL2.Status<n>: 1 when State is 0b00, HW is 0 and EOI is 1. */
static void test_eisr_single_lr(void **state)
{
	(void)state;
	for (unsigned st = 0; st < 4; st++) {
		for (unsigned hw = 0; hw < 2; hw++) {
			for (unsigned eoi = 0; eoi < 2; eoi++) {
				u64 lr = L_VINTID(40) | L_PRIO(0x20) |
					 L_STATE(st) | (hw ? L_HW : 0) |
					 (eoi ? L_EOI : 0);
				u32 want = (st == ST_INVALID && !hw && eoi)
						   ? 1u
						   : 0u;

				assert_int_equal(vich_eisr(&lr, 1), want);
				/* Never both empty and with an EOI to report. */
				assert_int_equal(vich_eisr(&lr, 1) &
							 vich_elrsr(&lr, 1),
						 0);
			}
		}
	}
	/* HW 1 with pINTID bit 9 (bit 41) set is not an EOI request. */
	u64 lr = hw_lr(40, 0, true, ST_INVALID, 1u << 9);
	assert_int_equal(vich_eisr(&lr, 1), 0);
}

static void test_eisr_four_and_sixteen_lrs(void **state)
{
	u64 lr[16];

	(void)state;
	lr[0] = sw_lr(32, 0x10, true, ST_INVALID, true);
	lr[1] = sw_lr(33, 0x10, true, ST_ACTIVE, true);
	lr[2] = hw_lr(34, 0x10, true, ST_INVALID, 0x3ff);
	lr[3] = sw_lr(35, 0x10, false, ST_INVALID, true);
	assert_int_equal(vich_eisr(lr, 4), 0x9);
	assert_int_equal(vich_eisr(lr, 3), 0x1);

	for (unsigned i = 0; i < 16; i++)
		lr[i] = sw_lr(64 + i, 0x10, true, ST_INVALID, false);
	assert_int_equal(vich_eisr(lr, 16), 0);
	for (unsigned i = 0; i < 16; i++) {
		lr[i] |= L_EOI;
		assert_int_equal(vich_eisr(lr, 16), 1u << i);
		lr[i] &= ~L_EOI;
	}
	/* A mix: EOI requests in LRs 1, 7, 8, 14 and 15. */
	lr[1] |= L_EOI;
	lr[7] |= L_EOI;
	lr[8] |= L_EOI;
	lr[14] |= L_EOI;
	lr[15] |= L_EOI;
	lr[4] |= L_EOI | L_STATE(ST_PENDING); /* still live */
	lr[9] |= L_EOI | L_HW;                /* HW: bit 41 is pINTID */
	assert_int_equal(vich_eisr(lr, 16), 0xc182);
	assert_int_equal(vich_elrsr(lr, 16), 0xffff & ~0xc182u & ~(1u << 4));
}

static void test_status_n_zero(void **state)
{
	u64 lr[2] = { sw_lr(32, 0, true, ST_INVALID, true), 0 };

	(void)state;
	assert_int_equal(vich_elrsr(lr, 0), 0);
	assert_int_equal(vich_eisr(lr, 0), 0);
	/* No LR: nothing valid (U) and nothing pending (NP), no EOI. */
	assert_int_equal(vich_misr(ALL_IE, V_ENG0 | V_ENG1, lr, 0),
			 M_U | M_NP | M_VGRP0E | M_VGRP1E);
	assert_int_equal(vich_misr(H_UIE, 0, NULL, 0), M_U);
	assert_int_equal(vich_misr(H_NPIE, 0, NULL, 0), M_NP);
	assert_int_equal(vich_elrsr(NULL, 0), 0);
	assert_int_equal(vich_eisr(NULL, 0), 0);
	assert_false(vich_maintenance(H_EN, 0, NULL, 0));
	assert_true(vich_maintenance(H_EN | H_UIE, 0, NULL, 0));
}

/*
 * There are at most 16 list registers (ICH_LR<n>_EL2, n = 0..15) and
 * ICH_ELRSR_EL2/ICH_EISR_EL2 bits [63:16] are RES0: a larger n is
 * clamped, and MISR counts the same LRs as the status registers.
 */
static void test_status_n_above_sixteen(void **state)
{
	u64 lr[40];

	(void)state;
	for (unsigned i = 0; i < 40; i++)
		lr[i] = sw_lr(64 + i, 0, true, ST_INVALID, false);
	assert_int_equal(vich_elrsr(lr, 17), 0xffff);
	assert_int_equal(vich_elrsr(lr, 40), 0xffff);
	for (unsigned i = 0; i < 40; i++)
		lr[i] |= L_EOI;
	assert_int_equal(vich_eisr(lr, 40), 0xffff);
	assert_int_equal(vich_elrsr(lr, 40), 0);
	/* LRs past 15 hold nothing: not valid (U), not pending (NP). */
	for (unsigned i = 0; i < 40; i++)
		lr[i] = i < 16 ? 0 : sw_lr(64 + i, 0, true, ST_PENDING, false);
	assert_int_equal(vich_misr(H_UIE | H_NPIE, 0, lr, 40), M_U | M_NP);
	assert_int_equal(vich_misr(H_UIE | H_NPIE, 0, lr, 16), M_U | M_NP);
	/* The same LRs within the first 16 do count. */
	lr[15] = sw_lr(79, 0, true, ST_PENDING, false);
	lr[14] = sw_lr(78, 0, true, ST_ACTIVE, false);
	assert_int_equal(vich_misr(H_UIE | H_NPIE, 0, lr, 40), 0);
	assert_int_equal(vich_elrsr(lr, 40), 0x3fff);
}

/* MISR.EOI: some ICH_EISR_EL2 bit set; needs no enable in ICH_HCR_EL2. */
static void test_misr_eoi(void **state)
{
	u64 lr[4] = {
		sw_lr(32, 0x40, true, ST_ACTIVE, false),
		sw_lr(33, 0x40, true, ST_PENDING, false),
		sw_lr(34, 0x40, true, ST_INVALID, true),
		sw_lr(35, 0x40, true, ST_ACTIVE, false),
	};

	(void)state;
	assert_int_equal(vich_misr(0, 0, lr, 4), M_EOI);
	/* Not set: EOI still live, HW (bit 41 is then pINTID), or no EOI. */
	lr[2] = sw_lr(34, 0x40, true, ST_ACTIVE, true);
	assert_int_equal(vich_misr(0, 0, lr, 4), 0);
	lr[2] = hw_lr(34, 0x40, true, ST_INVALID, 1u << 9);
	assert_int_equal(vich_misr(0, 0, lr, 4), 0);
	lr[2] = sw_lr(34, 0x40, true, ST_INVALID, false);
	assert_int_equal(vich_misr(0, 0, lr, 4), 0);
	/* In the last LR, and past n. */
	lr[3] = sw_lr(35, 0x40, true, ST_INVALID, true);
	assert_int_equal(vich_misr(0, 0, lr, 4), M_EOI);
	assert_int_equal(vich_misr(0, 0, lr, 3), 0);
}

/*
 * MISR.U: UIE and zero or one LR valid (State != 0b00); an invalid LR with
 * an EOI to report is not valid.
 */
static void test_misr_underflow(void **state)
{
	u64 lr[4] = { 0, 0, 0, 0 };

	(void)state;
	assert_int_equal(vich_misr(H_UIE, 0, lr, 4), M_U);
	assert_int_equal(vich_misr(0, 0, lr, 4), 0);
	lr[1] = sw_lr(33, 0x40, true, ST_PACT, false);
	assert_int_equal(vich_misr(H_UIE, 0, lr, 4), M_U);
	lr[3] = hw_lr(35, 0x40, false, ST_ACTIVE, 99);
	assert_int_equal(vich_misr(H_UIE, 0, lr, 4), 0);
	lr[3] = hw_lr(35, 0x40, false, ST_INVALID, 99);
	assert_int_equal(vich_misr(H_UIE, 0, lr, 4), M_U);
	for (unsigned st = ST_PENDING; st <= ST_PACT; st++) {
		lr[0] = sw_lr(32, 0x40, true, st, false);
		assert_int_equal(vich_misr(H_UIE, 0, lr, 4), 0);
	}
	/* An EOI to report does not make an LR valid. */
	lr[0] = sw_lr(32, 0x40, true, ST_INVALID, true);
	assert_int_equal(vich_misr(H_UIE, 0, lr, 4), M_U | M_EOI);
	assert_int_equal(vich_misr(0, 0, lr, 4), M_EOI);
	/* Two valid only among the first n. */
	lr[0] = sw_lr(32, 0x40, true, ST_PENDING, false);
	assert_int_equal(vich_misr(H_UIE, 0, lr, 1), M_U);
	assert_int_equal(vich_misr(H_UIE, 0, lr, 2), 0);
}

/* MISR.LRENP: LRENPIE and ICH_HCR_EL2.EOIcount (bits [31:27]) non-zero. */
static void test_misr_lrenp(void **state)
{
	u64 lr[2] = { sw_lr(32, 0, true, ST_PENDING, false),
		      sw_lr(33, 0, true, ST_ACTIVE, false) };

	(void)state;
	assert_int_equal(vich_misr(H_LRENPIE | H_EOICOUNT(1), 0, lr, 2),
			 M_LRENP);
	assert_int_equal(vich_misr(H_LRENPIE | H_EOICOUNT(16), 0, lr, 2),
			 M_LRENP);
	assert_int_equal(vich_misr(H_LRENPIE | H_EOICOUNT(31), 0, lr, 2),
			 M_LRENP);
	assert_int_equal(vich_misr(H_LRENPIE, 0, lr, 2), 0);
	assert_int_equal(vich_misr(H_EOICOUNT(31), 0, lr, 2), 0);
	/* Bits next to EOIcount are not part of it. */
	assert_int_equal(vich_misr(H_LRENPIE | ((u64)1 << 26), 0, lr, 2), 0);
	assert_int_equal(vich_misr(H_LRENPIE | ((u64)1 << 32), 0, lr, 2), 0);
	assert_int_equal(vich_misr(H_LRENPIE | ((u64)1 << 14), 0, lr, 2), 0);
}

/*
 * MISR.NP: NPIE and no LR in the pending state, State 0b01 (ICH_HCR_EL2.NPIE:
 * "no List registers with the State field set to 0b01"); pending and
 * active (0b11) is a different state.
 */
static void test_misr_no_pending(void **state)
{
	u64 lr[4] = {
		sw_lr(32, 0x40, true, ST_ACTIVE, false),
		0,
		hw_lr(34, 0x40, true, ST_ACTIVE, 70),
		sw_lr(35, 0x40, true, ST_INVALID, false),
	};

	(void)state;
	assert_int_equal(vich_misr(H_NPIE, 0, lr, 4), M_NP);
	assert_int_equal(vich_misr(0, 0, lr, 4), 0);
	lr[1] = sw_lr(33, 0x40, false, ST_PENDING, false);
	assert_int_equal(vich_misr(H_NPIE, 0, lr, 4), 0);
	assert_int_equal(vich_misr(H_NPIE, 0, lr, 1), M_NP);
	lr[1] = hw_lr(33, 0x40, false, ST_PENDING, 71);
	assert_int_equal(vich_misr(H_NPIE, 0, lr, 4), 0);
	lr[1] = sw_lr(33, 0x40, false, ST_PACT, false);
	assert_int_equal(vich_misr(H_NPIE, 0, lr, 4), M_NP);
	lr[3] = sw_lr(35, 0x40, true, ST_PENDING, false);
	assert_int_equal(vich_misr(H_NPIE, 0, lr, 4), 0);
	assert_int_equal(vich_misr(H_NPIE, 0, lr, 3), M_NP);
}

/*
 * MISR.VGrp0E/D and VGrp1E/D: their enable and ICH_VMCR_EL2.VENG0 (bit 0)
 * or VENG1 (bit 1) set (E) or clear (D).
 */
static void test_misr_vgrp(void **state)
{
	static const struct {
		u64 hcr;
		u64 vmcr;
		u32 misr;
	} rows[] = {
		{ H_VGRP0EIE, V_ENG0, M_VGRP0E },
		{ H_VGRP0EIE, V_ENG1, 0 },
		{ H_VGRP0EIE, 0, 0 },
		{ H_VGRP0EIE, V_ENG0 | V_ENG1, M_VGRP0E },
		{ H_VGRP0DIE, 0, M_VGRP0D },
		{ H_VGRP0DIE, V_ENG1, M_VGRP0D },
		{ H_VGRP0DIE, V_ENG0, 0 },
		{ H_VGRP0DIE, V_ENG0 | V_ENG1, 0 },
		{ H_VGRP1EIE, V_ENG1, M_VGRP1E },
		{ H_VGRP1EIE, V_ENG0, 0 },
		{ H_VGRP1EIE, 0, 0 },
		{ H_VGRP1EIE, V_ENG0 | V_ENG1, M_VGRP1E },
		{ H_VGRP1DIE, 0, M_VGRP1D },
		{ H_VGRP1DIE, V_ENG0, M_VGRP1D },
		{ H_VGRP1DIE, V_ENG1, 0 },
		{ H_VGRP1DIE, V_ENG0 | V_ENG1, 0 },
		/* No enable, no bit, whatever the group enables. */
		{ 0, 0, 0 },
		{ 0, V_ENG0 | V_ENG1, 0 },
		/* Other ICH_VMCR_EL2 fields (VAckCtl, VFIQEn, VCBPR, VEOIM, VPMR). */
		{ H_VGRP0EIE | H_VGRP1EIE, ((u64)1 << 2) | ((u64)1 << 3) |
			((u64)1 << 4) | ((u64)1 << 9) | ((u64)0xff << 24), 0 },
		{ H_VGRP0DIE | H_VGRP1DIE, ((u64)1 << 2) | ((u64)1 << 3) |
			((u64)1 << 4) | ((u64)1 << 9) | ((u64)0xff << 24),
		  M_VGRP0D | M_VGRP1D },
	};
	u64 lr = sw_lr(32, 0x40, true, ST_PENDING, false);

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		print_message("row %u\n", i);
		assert_int_equal(vich_misr(rows[i].hcr, rows[i].vmcr, &lr, 1),
				 rows[i].misr);
	}
}

static void test_misr_combinations(void **state)
{
	u64 lr[4] = {
		sw_lr(32, 0x40, true, ST_PENDING, false),
		sw_lr(33, 0x40, true, ST_INVALID, true),
		0,
		hw_lr(35, 0x40, false, ST_INVALID, 80),
	};
	u64 hcr = H_EN | ALL_IE | H_EOICOUNT(2);

	(void)state;
	/* One valid LR, pending, an EOI to report, EOIcount 2, only group 1 on. */
	assert_int_equal(vich_misr(hcr, V_ENG1, lr, 4),
			 M_EOI | M_U | M_LRENP | M_VGRP0D | M_VGRP1E);
	/* Both groups on, a second valid LR, no pending one, no EOIcount. */
	lr[0] = sw_lr(32, 0x40, true, ST_ACTIVE, false);
	lr[2] = sw_lr(34, 0x40, false, ST_PACT, false);
	hcr = H_EN | ALL_IE;
	assert_int_equal(vich_misr(hcr, V_ENG0 | V_ENG1, lr, 4),
			 M_EOI | M_NP | M_VGRP0E | M_VGRP1E);
	/* Every enable but the group ones: those bits only. */
	assert_int_equal(vich_misr(H_UIE | H_LRENPIE | H_NPIE | H_EOICOUNT(1),
				   0, lr, 4),
			 M_EOI | M_LRENP | M_NP);
	/* Enabled and disabled are exclusive for a group. */
	for (u64 vmcr = 0; vmcr < 4; vmcr++) {
		u32 m = vich_misr(ALL_IE, vmcr, lr, 4);

		assert_int_equal(bits(m & (M_VGRP0E | M_VGRP0D)), 1);
		assert_int_equal(bits(m & (M_VGRP1E | M_VGRP1D)), 1);
	}
	/* Nothing enabled, nothing reported, except EOI. */
	assert_int_equal(vich_misr(H_EN | H_EOICOUNT(31), V_ENG0 | V_ENG1, lr,
				   4),
			 M_EOI);
	lr[1] = sw_lr(33, 0x40, true, ST_INVALID, false);
	assert_int_equal(vich_misr(H_EN | H_EOICOUNT(31), V_ENG0 | V_ENG1, lr,
				   4),
			 0);
	/* MISR bits [31:8] are RES0. */
	assert_int_equal(vich_misr(~(u64)0, V_ENG0 | V_ENG1, lr, 4) & ~0xffu, 0);
	assert_int_equal(vich_misr(~(u64)0, 0, lr, 4) & ~0xffu, 0);
}

/* The maintenance interrupt: ICH_HCR_EL2.En and some MISR bit. */
static void test_maintenance_needs_en(void **state)
{
	static const struct {
		u64 hcr;
		u64 vmcr;
	} sources[] = {
		{ H_UIE, 0 },
		{ H_LRENPIE | H_EOICOUNT(3), 0 },
		{ H_NPIE, 0 },
		{ H_VGRP0EIE, V_ENG0 },
		{ H_VGRP0DIE, 0 },
		{ H_VGRP1EIE, V_ENG1 },
		{ H_VGRP1DIE, 0 },
	};
	/* One active LR: U and NP can be asserted, EOI cannot. */
	u64 lr[3] = { sw_lr(32, 0, true, ST_ACTIVE, false), 0, 0 };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(sources); i++) {
		u64 hcr = sources[i].hcr;

		print_message("source %u\n", i);
		/* A single source with its condition met is enough... */
		assert_true(vich_misr(hcr, sources[i].vmcr, lr, 3) != 0);
		assert_true(vich_maintenance(hcr | H_EN, sources[i].vmcr, lr, 3));
		/* ...only with En. */
		assert_false(vich_maintenance(hcr, sources[i].vmcr, lr, 3));
	}
	/* An EOI to report, with and without En. */
	lr[2] = sw_lr(34, 0, true, ST_INVALID, true);
	assert_true(vich_maintenance(H_EN, 0, lr, 3));
	assert_false(vich_maintenance(0, 0, lr, 3));
	/* En and enables whose conditions are not met. */
	lr[2] = sw_lr(34, 0, true, ST_PENDING, false);
	assert_int_equal(vich_misr(H_EN, V_ENG0 | V_ENG1, lr, 3), 0);
	assert_false(vich_maintenance(H_EN, V_ENG0 | V_ENG1, lr, 3));
	assert_int_equal(vich_misr(H_EN | ALL_IE, V_ENG0 | V_ENG1, lr, 3),
			 M_VGRP0E | M_VGRP1E);
	assert_false(vich_maintenance(H_EN | H_UIE | H_NPIE | H_LRENPIE |
					      H_VGRP0DIE | H_VGRP1DIE,
				      V_ENG0 | V_ENG1, lr, 3));
	assert_false(vich_maintenance(~H_EN, 0, lr, 3));
}

/* A software LR of L1 goes to hardware unchanged, its EOI bit included. */
static void test_lr_to_hw_software(void **state)
{
	static const u64 lrs[] = {
		0,
		UINT64_C(0x4000000000000020), /* pending, vINTID 32, prio 0 */
		UINT64_C(0x90a0000000001234), /* active, group 1, prio 0xa0 */
		UINT64_C(0xd8ff0200000003ff), /* pending+active, NMI, EOI */
		UINT64_C(0x0000020000000030), /* invalid, EOI */
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(lrs); i++)
		assert_int_equal(vich_lr_to_hw(lrs[i]), lrs[i]);
	for (unsigned st = 0; st < 4; st++) {
		u64 lr = vgic_lr_encode(40 + st, 0x30, (st & 1) != 0, false,
					0, st);

		assert_int_equal(vich_lr_to_hw(lr), lr);
		assert_int_equal(vich_lr_to_hw(lr | L_EOI), lr | L_EOI);
	}
}

/*
 * A HW LR of L1 (pINTID: an interrupt of L1's vGIC) goes to hardware as a
 * software LR with EOI: vINTID, priority, group, NMI and state kept.
 */
static void test_lr_to_hw_hardware(void **state)
{
	static const u32 pintids[] = { 0, 27, 0x1fe, 0x200, 0x1dff, 0x1fff };

	(void)state;
	for (unsigned st = ST_PENDING; st <= ST_PACT; st++) {
		for (unsigned i = 0; i < ARRAY_SIZE(pintids); i++) {
			u64 l1 = vgic_lr_encode(0x2000 + i, (u8)(0x10 * st),
						st != ST_ACTIVE, true,
						pintids[i], st);
			u64 hw = vich_lr_to_hw(l1);

			assert_int_equal(hw, sw_lr(0x2000 + i, (u8)(0x10 * st),
						   st != ST_ACTIVE, st, true));
			assert_int_equal(hw & L_HW, 0);
			assert_int_equal((hw >> 32) & 0x1fff, 1u << 9);
			assert_int_equal(hw & 0xffffffffu, 0x2000 + i);
			assert_int_equal((hw >> 48) & 0xff, 0x10 * st);
			assert_int_equal((hw >> 62) & 3, st);
			assert_int_equal(!!(hw & L_GRP1), st != ST_ACTIVE);
		}
	}
	/* Every field at its widest. */
	u64 l1 = hw_lr(0xffffffffu, 0xff, true, ST_PACT, 0x1fff) | L_NMI;
	assert_int_equal(vich_lr_to_hw(l1),
			 sw_lr(0xffffffffu, 0xff, true, ST_PACT, true) | L_NMI);
	assert_int_equal(vich_lr_to_hw(l1), UINT64_C(0xd8ff0200ffffffff));
	/* The EOI request shows in the hardware's EISR once L2 deactivates. */
	u64 hw = vich_lr_to_hw(hw_lr(50, 0x80, true, ST_ACTIVE, 30));
	assert_int_equal(vich_eisr(&hw, 1), 0);
	hw &= ~L_STATE(3);
	assert_int_equal(vich_eisr(&hw, 1), 1);
}

/*
 * An invalid HW LR of L1 holds no interrupt: it must not become an EOI
 * request in hardware (State 0b00, HW 0, EOI 1 would show in the hardware
 * ICH_EISR_EL2 and assert a maintenance interrupt L1's LR does not).
 */
static void test_lr_to_hw_invalid_hardware(void **state)
{
	u64 l1 = hw_lr(60, 0x40, true, ST_INVALID, 0x200);
	u64 hw = vich_lr_to_hw(l1);

	(void)state;
	assert_int_equal(vich_eisr(&l1, 1), 0);
	assert_int_equal(hw & L_EOI, 0);
	assert_int_equal(hw & (L_HW | L_PINTID(0x1fff)), 0);
	assert_int_equal((hw >> 62) & 3, ST_INVALID);
	assert_int_equal(vich_eisr(&hw, 1), 0);
	assert_int_equal(vich_elrsr(&hw, 1), 1);
	assert_int_equal(vich_misr(H_UIE, 0, &hw, 1), M_U);
}

static void test_lr_from_hw_folds_state(void **state)
{
	u64 l1 = sw_lr(0x44, 0x90, true, ST_PENDING, false);
	u32 pintid = PINTID_SENTINEL;

	(void)state;
	/* Only the state comes back; the hardware LR's other bits do not. */
	u64 hw = vich_lr_to_hw(l1);
	hw = (hw & ~L_STATE(3)) | L_STATE(ST_ACTIVE);
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(l1, sw_lr(0x44, 0x90, true, ST_ACTIVE, false));
	assert_int_equal(pintid, PINTID_SENTINEL);
	hw = sw_lr(0x99, 0x11, false, ST_PACT, true) | L_NMI;
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(l1, sw_lr(0x44, 0x90, true, ST_PACT, false));
	/* Every state to every state. */
	for (unsigned from = 0; from < 4; from++) {
		for (unsigned to = 0; to < 4; to++) {
			l1 = sw_lr(0x45, 0x20, false, from, true);
			hw = vich_lr_to_hw(l1);
			hw = (hw & ~L_STATE(3)) | L_STATE(to);
			assert_false(vich_lr_from_hw(hw, &l1, &pintid));
			assert_int_equal(l1, sw_lr(0x45, 0x20, false, to, true));
		}
	}
	assert_int_equal(pintid, PINTID_SENTINEL);
}

/*
 * L2 deactivated an interrupt L1 had marked HW: L1's LR keeps HW and
 * pINTID, and its pINTID is reported for nestvisor to deactivate.
 */
static void test_lr_from_hw_reports_deactivation(void **state)
{
	static const u32 pintids[] = { 0, 27, 0x200, 0x1234, 0x1fff };

	(void)state;
	for (unsigned st = ST_PENDING; st <= ST_PACT; st++) {
		for (unsigned i = 0; i < ARRAY_SIZE(pintids); i++) {
			u64 orig = hw_lr(0x3000 + i, 0xa0, true, st,
					 pintids[i]);
			u64 l1 = orig;
			u32 pintid = PINTID_SENTINEL;
			u64 hw = vich_lr_to_hw(l1);

			hw &= ~L_STATE(3); /* L2 EOIed and deactivated it */
			assert_true(vich_lr_from_hw(hw, &l1, &pintid));
			assert_int_equal(pintid, pintids[i]);
			assert_int_equal(l1, orig & ~L_STATE(3));
			assert_true(l1 & L_HW);
			assert_int_equal((l1 >> 32) & 0x1fff, pintids[i]);
			/* Now empty for L1, and no EOI for L1 to handle. */
			assert_int_equal(vich_elrsr(&l1, 1), 1);
			assert_int_equal(vich_eisr(&l1, 1), 0);
		}
	}
}

static void test_lr_from_hw_no_report(void **state)
{
	u32 pintid = PINTID_SENTINEL;
	u64 l1, hw;

	(void)state;
	/* HW LR pending -> active (L2 acknowledged it): no deactivation. */
	l1 = hw_lr(0x50, 0x80, true, ST_PENDING, 0x77);
	hw = (vich_lr_to_hw(l1) & ~L_STATE(3)) | L_STATE(ST_ACTIVE);
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(l1, hw_lr(0x50, 0x80, true, ST_ACTIVE, 0x77));
	/* Active -> pending and active, and unchanged: still live. */
	hw = (hw & ~L_STATE(3)) | L_STATE(ST_PACT);
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(l1, hw_lr(0x50, 0x80, true, ST_PACT, 0x77));
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(l1, hw_lr(0x50, 0x80, true, ST_PACT, 0x77));
	/* Non-HW LR going invalid: its EOI goes to L1's EISR, nothing else. */
	l1 = sw_lr(0x51, 0x80, true, ST_ACTIVE, true);
	hw = vich_lr_to_hw(l1) & ~L_STATE(3);
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(l1, sw_lr(0x51, 0x80, true, ST_INVALID, true));
	assert_int_equal(vich_eisr(&l1, 1), 1);
	/* Non-HW whose bits [44:32] look like a pINTID. */
	l1 = sw_lr(0x52, 0x80, true, ST_ACTIVE, false) | L_PINTID(0x155);
	hw = l1 & ~L_STATE(3);
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	/* HW LR already invalid in L1: nothing was deactivated. */
	l1 = hw_lr(0x53, 0x80, true, ST_INVALID, 0x66);
	hw = vich_lr_to_hw(l1);
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(l1, hw_lr(0x53, 0x80, true, ST_INVALID, 0x66));
	assert_false(vich_lr_from_hw(0, &l1, &pintid));
	assert_int_equal(pintid, PINTID_SENTINEL);
	/* A second fold after the report does not report again. */
	l1 = hw_lr(0x54, 0x80, true, ST_ACTIVE, 0x65);
	hw = vich_lr_to_hw(l1) & ~L_STATE(3);
	assert_true(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(pintid, 0x65);
	pintid = PINTID_SENTINEL;
	assert_false(vich_lr_from_hw(hw, &l1, &pintid));
	assert_int_equal(pintid, PINTID_SENTINEL);
}

/* Four LRs of L1 through an L2 run, then L1's view of them. */
static void test_lr_round_trip(void **state)
{
	u64 l1[4] = {
		hw_lr(27, 0xa0, true, ST_ACTIVE, 0x1b),       /* L2 deactivates */
		sw_lr(40, 0xa0, true, ST_PENDING, true),      /* L2 acks */
		hw_lr(41, 0xa0, true, ST_PENDING, 0x29),      /* L2 acks */
		sw_lr(42, 0xa0, false, ST_ACTIVE, true),      /* L2 deactivates */
	};
	static const unsigned after[4] = { ST_INVALID, ST_ACTIVE, ST_ACTIVE,
					   ST_INVALID };
	u64 hw[4];
	unsigned reported = 0;
	u32 last = PINTID_SENTINEL;

	(void)state;
	assert_int_equal(vich_elrsr(l1, 4), 0);
	assert_int_equal(vich_eisr(l1, 4), 0);
	for (unsigned i = 0; i < 4; i++) {
		hw[i] = vich_lr_to_hw(l1[i]);
		assert_true(hw[i] & L_EOI);
		hw[i] = (hw[i] & ~L_STATE(3)) | L_STATE(after[i]);
	}
	/* The hardware sees EOI requests in LRs 0 and 3. */
	assert_int_equal(vich_eisr(hw, 4), 0x9);
	for (unsigned i = 0; i < 4; i++) {
		u32 p = PINTID_SENTINEL;

		if (vich_lr_from_hw(hw[i], &l1[i], &p)) {
			reported |= 1u << i;
			last = p;
		}
	}
	assert_int_equal(reported, 0x1);
	assert_int_equal(last, 0x1b);
	/* L1: LR 0 empty (HW), LR 3 an EOI to handle, 1 and 2 active. */
	assert_int_equal(vich_elrsr(l1, 4), 0x1);
	assert_int_equal(vich_eisr(l1, 4), 0x8);
	assert_int_equal(vich_misr(H_UIE | H_NPIE, 0, l1, 4), M_EOI | M_NP);
	assert_true(vich_maintenance(H_EN, 0, l1, 4));
	assert_int_equal(l1[2], hw_lr(41, 0xa0, true, ST_ACTIVE, 0x29));
}

/* ---- the interface of one vCPU ------------------------------------------- */

#define NR_VCPUS 2
#define NR_SPIS 64 /* INTIDs 32..95 */
#define MAINT 25

/* Encodings (op0 3, op1 4, CRn 12; GIC spec ICH_* register summaries) */
#define E_AP0R(n) SYSREG_ENC(3, 4, 12, 8, (n))
#define E_AP1R(n) SYSREG_ENC(3, 4, 12, 9, (n))
#define E_SRE_EL2 SYSREG_ENC(3, 4, 12, 9, 5)
#define E_HCR SYSREG_ENC(3, 4, 12, 11, 0)
#define E_VTR SYSREG_ENC(3, 4, 12, 11, 1)
#define E_MISR SYSREG_ENC(3, 4, 12, 11, 2)
#define E_EISR SYSREG_ENC(3, 4, 12, 11, 3)
#define E_ELRSR SYSREG_ENC(3, 4, 12, 11, 5)
#define E_VMCR SYSREG_ENC(3, 4, 12, 11, 7)
#define E_LR(n) SYSREG_ENC(3, 4, 12, 12 + (n) / 8, (n) % 8)
/* ICH_VTR_EL2 */
#define T_LISTREGS(n) ((u64)(n))
#define T_TDS ((u64)1 << 19)
#define T_NV4 ((u64)1 << 20)
#define T_A3V ((u64)1 << 21)
#define T_SEIS ((u64)1 << 22)
#define T_IDBITS(b) ((u64)(b) << 23)
#define T_PREBITS(b) ((u64)(b) << 26)
#define T_PRIBITS(b) ((u64)(b) << 29)
/* ICH_HCR_EL2 trap bits */
#define H_VSGIEOI ((u64)1 << 8)
#define H_TC ((u64)1 << 10)
#define H_TALL0 ((u64)1 << 11)
#define H_TALL1 ((u64)1 << 12)
#define H_TSEI ((u64)1 << 13)
#define H_TDIR ((u64)1 << 14)
#define H_DVIM ((u64)1 << 15)
/* ICH_VMCR_EL2 */
#define V_ACKCTL ((u64)1 << 2)
#define V_FIQEN ((u64)1 << 3)
#define V_CBPR ((u64)1 << 4)
#define V_EOIM ((u64)1 << 9)
#define V_BPR1(b) ((u64)(b) << 18)
#define V_BPR0(b) ((u64)(b) << 21)
#define V_PMR(p) ((u64)(p) << 24)

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];
static struct vgic_nested nest;

/* A machine like QEMU's: 4 LRs, 5 priority and preemption bits, 1 APR. */
static int setup_vcpu(void **state)
{
	(void)state;
	ut_vm_init(&vm, vcpus, NR_VCPUS);
	ut_vgic_init(&vm, 0x08000000u, 0x080a0000u, NR_SPIS);
	vgic_nr_lrs = 4;
	vgic_nr_aprs = 1;
	vgic_ich_vtr = T_LISTREGS(3) | T_TDS | T_A3V | T_IDBITS(1) |
		       T_PREBITS(4) | T_PRIBITS(4);
	memset(&fake_vich, 0, sizeof(fake_vich));
	fake_arch.vich_loads = fake_arch.vich_saves = 0;
	fake_arch.kicks = 0;
	vgic_nested_init(&nest, &vcpus[0]);
	return 0;
}

static u64 rd(u32 enc)
{
	u64 v = 0xbadbadbadull;

	assert_true(vgic_nested_sysreg(&nest, enc, false, &v));
	return v;
}

static void wr(u32 enc, u64 v)
{
	assert_true(vgic_nested_sysreg(&nest, enc, true, &v));
}

static bool undef_rd(u32 enc)
{
	u64 v = 0;

	return !vgic_nested_sysreg(&nest, enc, false, &v);
}

static bool undef_wr(u32 enc, u64 v)
{
	return !vgic_nested_sysreg(&nest, enc, true, &v);
}

/* L1's maintenance PPI as its vGIC has it. */
static bool maint_line(void)
{
	return vcpus[0].vgic.priv[MAINT].level;
}

/* L1 can take its maintenance interrupt (enabled, Group 1 enabled). */
static void maint_enable(void)
{
	vcpus[0].vgic.priv[MAINT].enabled = true;
	vcpus[0].vgic.priv[MAINT].group1 = true;
	vm.vgic.ctlr = (u32)GICD_CTLR_ENABLE_G1;
}

/* One L2 run: flush and load; L2's LR states; save and sync. */
static void l2_run(const unsigned *states, u32 hcr_exit)
{
	vgic_nested_flush(&nest);
	arch_vgic_nested_load(&vcpus[0], &nest.hw);
	for (unsigned i = 0; states && i < fake_vich.used_lrs; i++)
		fake_vich.lr[i] = (fake_vich.lr[i] & ~L_STATE(3)) | L_STATE(states[i]);
	fake_vich.hcr = hcr_exit;
	arch_vgic_nested_save(&vcpus[0], &nest.hw);
	vgic_nested_sync(&nest);
}

/*
 * ICH_VTR_EL2: ListRegs the hardware's (capped at 16), PRIbits, PREbits,
 * IDbits, A3V, TDS the hardware's, SEIS 0, nV4 1; read-only.
 */
static void test_vtr_advertised(void **state)
{
	(void)state;
	assert_int_equal(rd(E_VTR), T_LISTREGS(3) | T_TDS | T_NV4 | T_A3V |
				    T_IDBITS(1) | T_PREBITS(4) | T_PRIBITS(4));
	assert_true(undef_wr(E_VTR, 0));
	/* SEIS and direct injection of the hardware are not offered. */
	vgic_nr_lrs = 20;
	vgic_ich_vtr = T_LISTREGS(19) | T_SEIS | T_PREBITS(6) | T_PRIBITS(7);
	vgic_nested_init(&nest, &vcpus[0]);
	assert_int_equal(rd(E_VTR), T_LISTREGS(15) | T_NV4 | T_PREBITS(6) |
				    T_PRIBITS(7));
	assert_int_equal(nest.nr_lrs, 16);
}

/* ICH_LR<n>_EL2 past ICH_VTR_EL2.ListRegs: UNDEFINED both ways. */
static void test_lr_past_listregs_undef(void **state)
{
	(void)state;
	for (unsigned n = 0; n < 16; n++) {
		bool exists = n < 4;

		assert_int_equal(undef_rd(E_LR(n)), !exists);
		assert_int_equal(undef_wr(E_LR(n), sw_lr(1, 0, true, ST_PENDING, false)),
				 !exists);
	}
	/* Nothing was written past LR3, nothing reaches the hardware. */
	for (unsigned n = 4; n < 16; n++)
		assert_int_equal(nest.lr[n], 0);
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.used_lrs, 4);
	vgic_nr_lrs = 16;
	vgic_nested_init(&nest, &vcpus[0]);
	wr(E_LR(15), sw_lr(9, 0x80, true, ST_PENDING, false));
	assert_int_equal(rd(E_LR(15)), sw_lr(9, 0x80, true, ST_PENDING, false));
}

/*
 * ICH_AP0R<n>/AP1R<n>_EL2: n = 0 only with 5 priority bits (1 APR), 0..1
 * with 6, 0..3 with 7; bits [63:32] RES0. The rest of the block is
 * UNDEFINED, and ICC_SRE_EL2 is not part of it.
 */
static void test_apr_and_block(void **state)
{
	(void)state;
	wr(E_AP0R(0), ~0ull);
	wr(E_AP1R(0), 0x123456789ull);
	assert_int_equal(rd(E_AP0R(0)), 0xffffffffull);
	assert_int_equal(rd(E_AP1R(0)), 0x23456789ull);
	for (unsigned n = 1; n < 4; n++) {
		assert_true(undef_rd(E_AP0R(n)));
		assert_true(undef_wr(E_AP1R(n), 1));
	}
	for (unsigned op2 = 4; op2 < 8; op2++)
		assert_true(undef_rd(SYSREG_ENC(3, 4, 12, 8, op2)));
	assert_true(undef_rd(SYSREG_ENC(3, 4, 12, 10, 0)));
	assert_true(undef_rd(SYSREG_ENC(3, 4, 12, 11, 4)));
	assert_true(undef_rd(SYSREG_ENC(3, 4, 12, 11, 6)));
	assert_false(vgic_nested_owns(E_SRE_EL2));
	assert_false(vgic_nested_owns(SYSREG_ENC(3, 0, 12, 12, 0))); /* ICC_IAR1_EL1 */
	assert_false(vgic_nested_owns(SYSREG_ENC(3, 4, 12, 14, 0)));
	assert_true(vgic_nested_owns(E_HCR));
	assert_true(vgic_nested_owns(E_LR(15)));
	vgic_nr_aprs = 4;
	vgic_ich_vtr = T_LISTREGS(3) | T_PREBITS(6) | T_PRIBITS(6);
	vgic_nested_init(&nest, &vcpus[0]);
	wr(E_AP1R(3), 0x80000000ull);
	assert_int_equal(rd(E_AP1R(3)), 0x80000000ull);
	vgic_nr_aprs = 2;
	vgic_ich_vtr = T_LISTREGS(3) | T_PREBITS(5) | T_PRIBITS(5);
	vgic_nested_init(&nest, &vcpus[0]);
	wr(E_AP0R(1), 0x3);
	assert_int_equal(rd(E_AP0R(1)), 0x3);
	assert_true(undef_rd(E_AP0R(2)));
	assert_true(undef_wr(E_AP1R(3), 1));
}

/*
 * The APRs L1 finds are those of the PRIbits its ICH_VTR_EL2 shows,
 * whatever else the machine's count says: 5 bits, ICH_AP0R0/AP1R0_EL2
 * only.
 */
static void test_aprs_follow_vtr(void **state)
{
	(void)state;
	vgic_nr_aprs = 4;
	vgic_nested_init(&nest, &vcpus[0]);
	assert_int_equal(rd(E_VTR) & T_PRIBITS(7), T_PRIBITS(4));
	assert_int_equal(nest.nr_aprs, 1);
	wr(E_AP1R(0), 1);
	for (unsigned n = 1; n < 4; n++) {
		assert_true(undef_rd(E_AP0R(n)));
		assert_true(undef_wr(E_AP1R(n), 1));
	}
}

/*
 * ICH_HCR_EL2: what exists for the advertised ICH_VTR_EL2. TDIR needs
 * TDS; TSEI (SEIS 0), vSGIEOICount and DVIM (nV4 1) and the RES0 bits
 * read 0.
 */
static void test_hcr_mask(void **state)
{
	u64 keep = H_EN | ALL_IE | H_TC | H_TALL0 | H_TALL1 | H_EOICOUNT(31);

	(void)state;
	wr(E_HCR, ~0ull);
	assert_int_equal(rd(E_HCR), keep | H_TDIR);
	vgic_ich_vtr &= ~T_TDS;
	vgic_nested_init(&nest, &vcpus[0]);
	wr(E_HCR, ~0ull);
	assert_int_equal(rd(E_HCR), keep);
	wr(E_HCR, H_VSGIEOI | H_TSEI | H_DVIM | ((u64)1 << 9) | ((u64)1 << 16) |
			  ((u64)1 << 26) | ((u64)1 << 32));
	assert_int_equal(rd(E_HCR), 0);
}

/*
 * ICH_VMCR_EL2: VAckCtl RES0, VFIQEn RES1, VPMR's unimplemented bits 0,
 * a binary point below the minimum (7 - PREbits, one more for Group 1)
 * raised to it; reset to VFIQEn and the minima.
 */
static void test_vmcr_mask(void **state)
{
	(void)state;
	assert_int_equal(rd(E_VMCR), V_FIQEN | V_BPR0(2) | V_BPR1(3));
	wr(E_VMCR, ~0ull);
	assert_int_equal(rd(E_VMCR), V_ENG0 | V_ENG1 | V_FIQEN | V_CBPR | V_EOIM |
				     V_BPR1(7) | V_BPR0(7) | V_PMR(0xf8));
	wr(E_VMCR, V_ACKCTL | V_PMR(0xf0) | V_ENG1 | ((u64)1 << 10) | ((u64)1 << 40));
	assert_int_equal(rd(E_VMCR), V_ENG1 | V_FIQEN | V_PMR(0xf0) | V_BPR0(2) |
				     V_BPR1(3));
	wr(E_VMCR, V_BPR0(4) | V_BPR1(5));
	assert_int_equal(rd(E_VMCR), V_FIQEN | V_BPR0(4) | V_BPR1(5));
	/* 7 preemption bits: both minima 0 and 1; 8 reported: as 7. */
	for (u64 pre = 6; pre <= 7; pre++) {
		vgic_ich_vtr = T_LISTREGS(3) | T_PREBITS(pre) | T_PRIBITS(7);
		vgic_nested_init(&nest, &vcpus[0]);
		wr(E_VMCR, 0);
		assert_int_equal(rd(E_VMCR), V_FIQEN | V_BPR1(1));
	}
}

/*
 * ICH_LR<n>_EL2: the unimplemented priority and vINTID bits (IDbits 1:
 * 24 bits), NMI (not offered) and the RES0 fields read 0; with HW 0 only
 * EOI is kept of [44:32].
 */
static void test_lr_mask(void **state)
{
	(void)state;
	wr(E_LR(0), ~0ull);
	assert_int_equal(rd(E_LR(0)), L_STATE(3) | L_HW | L_GRP1 | L_PRIO(0xf8) |
				      L_PINTID(0x1fff) | L_VINTID(0xffffffu));
	wr(E_LR(1), ~0ull & ~L_HW);
	assert_int_equal(rd(E_LR(1)), L_STATE(3) | L_GRP1 | L_PRIO(0xf8) | L_EOI |
				      L_VINTID(0xffffffu));
	wr(E_LR(2), L_NMI | sw_lr(3, 0xa7, false, ST_PENDING, false));
	assert_int_equal(rd(E_LR(2)), sw_lr(3, 0xa0, false, ST_PENDING, false));
}

/*
 * ICH_LR<n>_EL2.vINTID: as many bits as ICH_VTR_EL2.IDbits says L1 has
 * (0b000: 16, 0b001: 24), the rest RES0, and only those reach the
 * hardware while L2 runs.
 */
static void test_lr_vintid_idbits(void **state)
{
	(void)state;
	wr(E_LR(0), sw_lr(0x12345678u, 0xa0, true, ST_PENDING, false));
	assert_int_equal(rd(E_LR(0)), sw_lr(0x345678u, 0xa0, true, ST_PENDING, false));
	vgic_ich_vtr = T_LISTREGS(3) | T_PREBITS(4) | T_PRIBITS(4); /* IDbits 0 */
	vgic_nested_init(&nest, &vcpus[0]);
	assert_int_equal(rd(E_VTR) & T_IDBITS(7), T_IDBITS(0));
	wr(E_LR(0), sw_lr(0x12345678u, 0xa0, true, ST_PENDING, false));
	wr(E_LR(1), hw_lr(0xffff0020u, 0x80, true, ST_ACTIVE, 40));
	assert_int_equal(rd(E_LR(0)), sw_lr(0x5678u, 0xa0, true, ST_PENDING, false));
	assert_int_equal(rd(E_LR(1)), hw_lr(0x20u, 0x80, true, ST_ACTIVE, 40));
	wr(E_HCR, H_EN);
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.used_lrs, 2);
	assert_int_equal(nest.hw.lr[0] & 0xffffffffu, 0x5678u);
	assert_int_equal(nest.hw.lr[1] & 0xffffffffu, 0x20u);
}

/* The status registers through MRS: computed from L1's LRs, read-only. */
static void test_status_by_sysreg(void **state)
{
	(void)state;
	wr(E_LR(0), sw_lr(32, 0xa0, true, ST_PENDING, false));
	wr(E_LR(1), sw_lr(33, 0xa0, true, ST_INVALID, true));
	wr(E_LR(3), hw_lr(27, 0xa0, true, ST_INVALID, 27));
	wr(E_HCR, H_EN | H_UIE | H_NPIE);
	assert_int_equal(rd(E_ELRSR), 0xc);
	assert_int_equal(rd(E_EISR), 0x2);
	assert_int_equal(rd(E_MISR), M_EOI | M_U);
	assert_true(undef_wr(E_ELRSR, 0));
	assert_true(undef_wr(E_EISR, 0));
	assert_true(undef_wr(E_MISR, 0));
	wr(E_VMCR, V_ENG1);
	wr(E_HCR, H_EN | H_VGRP1EIE | H_VGRP0DIE);
	assert_int_equal(rd(E_MISR), M_EOI | M_VGRP1E | M_VGRP0D);
}

/*
 * L1's maintenance PPI follows ICH_HCR_EL2.En and ICH_MISR_EL2 after
 * every write: UIE with no valid LR raises it, two valid LRs lower it,
 * En 0 lowers it, an LR reporting an EOI raises it.
 */
static void test_maintenance_on_writes(void **state)
{
	(void)state;
	assert_false(maint_line());
	wr(E_HCR, H_UIE);
	assert_false(maint_line());
	wr(E_HCR, H_EN | H_UIE);
	assert_true(maint_line());
	wr(E_LR(0), sw_lr(32, 0xa0, true, ST_PENDING, false));
	assert_true(maint_line());
	wr(E_LR(1), sw_lr(33, 0xa0, true, ST_PENDING, false));
	assert_false(maint_line());
	wr(E_LR(2), sw_lr(34, 0xa0, true, ST_INVALID, true));
	assert_true(maint_line());
	wr(E_HCR, 0);
	assert_false(maint_line());
	wr(E_HCR, H_EN);
	assert_true(maint_line());
	wr(E_LR(2), 0);
	assert_false(maint_line());
	/* LRENP: EOIcount written by L1, with LRENPIE. */
	wr(E_HCR, H_EN | H_LRENPIE | H_EOICOUNT(1));
	assert_true(maint_line());
	wr(E_HCR, H_EN | H_LRENPIE);
	assert_false(maint_line());
}

/*
 * Flush: valid LRs packed in L1's order, invalid ones (with an EOI to
 * report or not) left out; ICH_HCR_EL2 (EOIcount included), VMCR and
 * the APRs are L1's; the arch loads exactly that.
 */
static void test_flush_packs_valid_lrs(void **state)
{
	(void)state;
	maint_enable();
	wr(E_LR(0), 0);
	wr(E_LR(1), sw_lr(40, 0x90, true, ST_PENDING, false));
	wr(E_LR(2), sw_lr(41, 0xa0, true, ST_INVALID, true));
	wr(E_LR(3), sw_lr(42, 0xa0, false, ST_ACTIVE, true));
	wr(E_HCR, H_EN | H_NPIE | H_TALL1 | H_EOICOUNT(3));
	wr(E_VMCR, V_ENG1 | V_PMR(0xf0));
	wr(E_AP1R(0), 0x10);
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.used_lrs, 2);
	assert_int_equal(nest.hw.lr[0], sw_lr(40, 0x90, true, ST_PENDING, false));
	assert_int_equal(nest.hw.lr[1], sw_lr(42, 0xa0, false, ST_ACTIVE, true));
	assert_int_equal(nest.hw_from[0], 1);
	assert_int_equal(nest.hw_from[1], 3);
	assert_int_equal(nest.hw.hcr, H_EN | H_NPIE | H_TALL1 | H_EOICOUNT(3));
	assert_int_equal(nest.hw.vmcr, V_ENG1 | V_FIQEN | V_PMR(0xf0) | V_BPR0(2) | V_BPR1(3));
	assert_int_equal(nest.hw.ap1r[0], 0x10);
	arch_vgic_nested_load(&vcpus[0], &nest.hw);
	assert_int_equal(fake_arch.vich_loads, 1);
	assert_memory_equal(&fake_vich, &nest.hw, sizeof(fake_vich));
}

/*
 * L1's maintenance conditions reach the hardware only when L1 can take
 * the maintenance interrupt: otherwise they would hold at once and bring
 * L0 back for nothing.
 */
static void test_flush_maint_conditions_need_enabled_ppi(void **state)
{
	(void)state;
	wr(E_HCR, H_EN | ALL_IE | H_TC);
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.hcr, H_EN | H_TC);
	vcpus[0].vgic.priv[MAINT].enabled = true;
	vcpus[0].vgic.priv[MAINT].group1 = true;
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.hcr, H_EN | H_TC); /* Group 1 off in GICD_CTLR */
	maint_enable();
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.hcr, H_EN | ALL_IE | H_TC);
}

/*
 * A software LR through two L2 runs: acknowledged (pending -> active),
 * then EOI'd (invalid): L1 sees each state, ELRSR calls it empty at the
 * end; VMCR and the active priority come back from the hardware.
 */
static void test_round_trip_ack_eoi(void **state)
{
	static const unsigned ack[] = { ST_ACTIVE };

	(void)state;
	wr(E_LR(0), sw_lr(5, 0xa0, true, ST_PENDING, false));
	wr(E_HCR, H_EN);
	wr(E_VMCR, V_ENG1 | V_PMR(0xf0));
	vgic_nested_flush(&nest);
	arch_vgic_nested_load(&vcpus[0], &nest.hw);
	fake_vich.lr[0] = sw_lr(5, 0xa0, true, ST_ACTIVE, false);
	fake_vich.ap1r[0] = 1u << 20;
	fake_vich.vmcr = (u32)(V_ENG1 | V_FIQEN | V_PMR(0xe0) | V_BPR0(2) | V_BPR1(3));
	fake_vich.hcr = (u32)H_EN;
	arch_vgic_nested_save(&vcpus[0], &nest.hw);
	vgic_nested_sync(&nest);
	assert_int_equal(rd(E_LR(0)), sw_lr(5, 0xa0, true, ST_ACTIVE, false));
	assert_int_equal(rd(E_AP1R(0)), 1u << 20);
	assert_int_equal(rd(E_VMCR), V_ENG1 | V_FIQEN | V_PMR(0xe0) | V_BPR0(2) | V_BPR1(3));
	assert_int_equal(rd(E_ELRSR) & 1, 0);
	l2_run(ack, (u32)H_EN); /* still active */
	assert_int_equal(rd(E_LR(0)), sw_lr(5, 0xa0, true, ST_ACTIVE, false));
	/* The EOI's priority drop: L2's active priority cleared as well. */
	vgic_nested_flush(&nest);
	arch_vgic_nested_load(&vcpus[0], &nest.hw);
	assert_int_equal(fake_vich.ap1r[0], 1u << 20);
	fake_vich.lr[0] = sw_lr(5, 0xa0, true, ST_INVALID, false);
	fake_vich.ap1r[0] = 0;
	arch_vgic_nested_save(&vcpus[0], &nest.hw);
	vgic_nested_sync(&nest);
	assert_int_equal(rd(E_LR(0)), sw_lr(5, 0xa0, true, ST_INVALID, false));
	assert_int_equal(rd(E_ELRSR) & 1, 1);
	assert_int_equal(rd(E_AP1R(0)), 0);
	assert_int_equal(fake_arch.vich_saves, 3);
	/* An invalid LR is not loaded again. */
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.used_lrs, 0);
}

/*
 * EOIcount: the hardware counts on from L1's value; the exit's count
 * replaces L1's, the rest of L1's ICH_HCR_EL2 stays; LRENP then raises
 * the maintenance PPI.
 */
static void test_round_trip_eoicount(void **state)
{
	(void)state;
	wr(E_LR(0), sw_lr(5, 0xa0, true, ST_ACTIVE, false));
	wr(E_LR(1), sw_lr(6, 0xa0, true, ST_ACTIVE, false));
	wr(E_HCR, H_EN | H_LRENPIE | H_TC | H_EOICOUNT(1));
	assert_true(maint_line());
	wr(E_HCR, H_EN | H_LRENPIE | H_TC);
	assert_false(maint_line());
	l2_run(NULL, (u32)(H_EN | H_TC | H_EOICOUNT(2)));
	assert_int_equal(rd(E_HCR), H_EN | H_LRENPIE | H_TC | H_EOICOUNT(2));
	assert_int_equal(rd(E_MISR), M_LRENP);
	assert_true(maint_line());
	/* L1 clears EOIcount: the line drops. */
	wr(E_HCR, H_EN | H_LRENPIE | H_TC);
	assert_false(maint_line());
}

/*
 * A HW LR of L1 whose pINTID is an interrupt L0 backs with a physical
 * one (L1's virtual timer PPI): HW stays 1 with L0's physical INTID;
 * L2's deactivation then deactivates L1's interrupt and marks its
 * physical one deactivated (the hardware did it).
 */
static void test_hw_lr_kept_for_hw_backed(void **state)
{
	static const unsigned ack[] = { ST_ACTIVE }, eoi[] = { ST_INVALID };
	struct virq *vt = &vcpus[0].vgic.priv[27];

	(void)state;
	assert_true(vgic_set_hw(&vm, &vcpus[0], 27, 30));
	vgic_hw_fired(&vcpus[0], 27);
	vt->active = true; /* L1 acknowledged it and left it active */
	vt->level = false;
	wr(E_LR(0), hw_lr(27, 0xa0, true, ST_PENDING, 27));
	wr(E_HCR, H_EN);
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.used_lrs, 1);
	assert_int_equal(nest.hw.lr[0], hw_lr(27, 0xa0, true, ST_PENDING, 30));
	assert_int_equal(nest.hw_kind[0], VICH_KIND_HW);
	l2_run(ack, (u32)H_EN);
	assert_true(vt->active);
	assert_true(vt->hw_active);
	assert_int_equal(rd(E_LR(0)), hw_lr(27, 0xa0, true, ST_ACTIVE, 27));
	vcpus[0].vgic.changed = false;
	l2_run(eoi, (u32)H_EN);
	assert_false(vt->active);
	assert_false(vt->hw_active);
	assert_true(vcpus[0].vgic.changed); /* L1's LRs are rebuilt */
	assert_int_equal(rd(E_LR(0)), hw_lr(27, 0xa0, true, ST_INVALID, 27));
	assert_int_equal(rd(E_ELRSR) & 1, 1);
	assert_int_equal(rd(E_EISR), 0);
}

/*
 * A HW LR of L1 whose pINTID is a software interrupt of L1's vGIC (an
 * SPI): a software LR with EOI 1 on the hardware (its EOI maintenance
 * interrupt brings L0 in), L1's interrupt deactivated by L0 when L2's
 * EOI made the LR invalid; L1 sees its HW LR invalid and empty.
 */
static void test_hw_lr_made_software(void **state)
{
	static const unsigned ack[] = { ST_ACTIVE }, eoi[] = { ST_INVALID };
	struct virq *spi = &vm.vgic.spi[40 - 32];

	(void)state;
	spi->active = true;
	wr(E_LR(1), hw_lr(70, 0x80, true, ST_PENDING, 40));
	wr(E_HCR, H_EN);
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.used_lrs, 1);
	assert_int_equal(nest.hw.lr[0], sw_lr(70, 0x80, true, ST_PENDING, true));
	assert_int_equal(nest.hw_kind[0], VICH_KIND_HW_EOI);
	l2_run(ack, (u32)H_EN);
	assert_true(spi->active);
	assert_int_equal(rd(E_LR(1)), hw_lr(70, 0x80, true, ST_ACTIVE, 40));
	l2_run(eoi, (u32)H_EN);
	assert_false(spi->active);
	assert_int_equal(rd(E_LR(1)), hw_lr(70, 0x80, true, ST_INVALID, 40));
	assert_int_equal(rd(E_EISR), 0);
	assert_int_equal(rd(E_ELRSR) & 2, 2);
	assert_int_equal(rd(E_MISR), 0);
}

/*
 * A HW LR naming no interrupt of L1 (an SGI's number, an SPI past the
 * VM's): a plain software LR, no EOI maintenance, nothing deactivated.
 */
static void test_hw_lr_naming_nothing(void **state)
{
	static const unsigned eoi[] = { ST_INVALID, ST_INVALID };

	(void)state;
	vcpus[0].vgic.priv[5].active = true;
	wr(E_LR(0), hw_lr(80, 0x80, true, ST_ACTIVE, 5));
	wr(E_LR(1), hw_lr(81, 0x80, true, ST_ACTIVE, 1000));
	wr(E_HCR, H_EN);
	vgic_nested_flush(&nest);
	assert_int_equal(nest.hw.lr[0], sw_lr(80, 0x80, true, ST_ACTIVE, false));
	assert_int_equal(nest.hw.lr[1], sw_lr(81, 0x80, true, ST_ACTIVE, false));
	assert_int_equal(nest.hw_kind[0], VICH_KIND_HW_NONE);
	l2_run(eoi, (u32)H_EN);
	assert_true(vcpus[0].vgic.priv[5].active);
	assert_int_equal(rd(E_LR(0)), hw_lr(80, 0x80, true, ST_INVALID, 5));
	assert_int_equal(rd(E_LR(1)), hw_lr(81, 0x80, true, ST_INVALID, 1000));
}

/*
 * After each sync L1's maintenance PPI is recomputed: NPIE, L2
 * acknowledges the only pending LR -> raised; UIE, L2 EOIs one of two
 * -> raised; an EOI-maintenance LR EOI'd by L2 -> raised (EISR).
 */
static void test_maintenance_after_sync(void **state)
{
	static const unsigned ack[] = { ST_ACTIVE }, eoi1[] = { ST_INVALID, ST_PENDING },
			      inv[] = { ST_INVALID };

	(void)state;
	maint_enable();
	wr(E_LR(0), sw_lr(7, 0xa0, true, ST_PENDING, false));
	wr(E_HCR, H_EN | H_NPIE);
	assert_false(maint_line());
	l2_run(ack, (u32)H_EN);
	assert_true(maint_line());
	assert_int_equal(rd(E_MISR), M_NP);
	wr(E_HCR, H_EN); /* L1's handler */
	assert_false(maint_line());

	wr(E_LR(0), sw_lr(7, 0x80, true, ST_PENDING, false));
	wr(E_LR(1), sw_lr(8, 0xa0, true, ST_PENDING, false));
	wr(E_HCR, H_EN | H_UIE);
	assert_false(maint_line());
	l2_run(eoi1, (u32)H_EN);
	assert_true(maint_line());
	assert_int_equal(rd(E_MISR), M_U);
	assert_int_equal(rd(E_ELRSR) & 3, 1);
	wr(E_HCR, H_EN);
	wr(E_LR(1), 0);
	assert_false(maint_line());

	wr(E_LR(0), sw_lr(7, 0xa0, true, ST_ACTIVE, true));
	l2_run(inv, (u32)H_EN);
	assert_true(maint_line());
	assert_int_equal(rd(E_MISR), M_EOI);
	assert_int_equal(rd(E_EISR), 1);
	assert_int_equal(rd(E_ELRSR) & 1, 0);
	wr(E_LR(0), 0);
	assert_false(maint_line());
	assert_int_equal(rd(E_EISR), 0);
}

/*
 * L2's WFI wake-up: En, a pending LR, its group enabled, its priority
 * higher than VPMR. Active, pending-and-active and masked ones do not
 * count.
 */
static void test_l2_pending(void **state)
{
	(void)state;
	wr(E_LR(0), sw_lr(7, 0xa0, true, ST_PENDING, false));
	wr(E_VMCR, V_ENG1 | V_PMR(0xf0));
	assert_false(vgic_nested_l2_pending(&nest)); /* En 0 */
	wr(E_HCR, H_EN);
	assert_true(vgic_nested_l2_pending(&nest));
	wr(E_VMCR, V_PMR(0xf0));
	assert_false(vgic_nested_l2_pending(&nest)); /* Group 1 disabled */
	wr(E_VMCR, V_ENG1 | V_PMR(0xa0));
	assert_false(vgic_nested_l2_pending(&nest)); /* priority == VPMR */
	wr(E_VMCR, V_ENG1 | V_PMR(0xa8));
	assert_true(vgic_nested_l2_pending(&nest));
	wr(E_LR(0), sw_lr(7, 0x10, true, ST_ACTIVE, false));
	assert_false(vgic_nested_l2_pending(&nest));
	wr(E_LR(0), sw_lr(7, 0x10, true, ST_PACT, false));
	assert_false(vgic_nested_l2_pending(&nest));
	wr(E_LR(3), sw_lr(8, 0x10, false, ST_PENDING, false));
	assert_false(vgic_nested_l2_pending(&nest)); /* Group 0 disabled */
	wr(E_VMCR, V_ENG0 | V_PMR(0xa8));
	assert_true(vgic_nested_l2_pending(&nest));
}

/* L2's ICC_*_EL1 traps that L1's ICH_HCR_EL2 TC/TALL0/TALL1/TDIR claim. */
static void test_icc_traps(void **state)
{
	const u32 iar1 = SYSREG_ENC(3, 0, 12, 12, 0), iar0 = SYSREG_ENC(3, 0, 12, 8, 0),
		  pmr = SYSREG_ENC(3, 0, 4, 6, 0), dir = SYSREG_ENC(3, 0, 12, 11, 1),
		  ctlr = SYSREG_ENC(3, 0, 12, 12, 4), sre = SYSREG_ENC(3, 0, 12, 12, 5),
		  igrpen0 = SYSREG_ENC(3, 0, 12, 12, 6), igrpen1 = SYSREG_ENC(3, 0, 12, 12, 7),
		  ap0r2 = SYSREG_ENC(3, 0, 12, 8, 6), ap1r1 = SYSREG_ENC(3, 0, 12, 9, 1),
		  sgi1r = SYSREG_ENC(3, 0, 12, 11, 5), rpr = SYSREG_ENC(3, 0, 12, 11, 3);

	(void)state;
	assert_false(vgic_nested_icc_trapped(&nest, iar1));
	wr(E_HCR, H_TALL1);
	assert_true(vgic_nested_icc_trapped(&nest, iar1));
	assert_true(vgic_nested_icc_trapped(&nest, igrpen1));
	assert_true(vgic_nested_icc_trapped(&nest, ap1r1));
	assert_false(vgic_nested_icc_trapped(&nest, iar0));
	assert_false(vgic_nested_icc_trapped(&nest, pmr));
	wr(E_HCR, H_TALL0);
	assert_true(vgic_nested_icc_trapped(&nest, iar0));
	assert_true(vgic_nested_icc_trapped(&nest, igrpen0));
	assert_true(vgic_nested_icc_trapped(&nest, ap0r2));
	assert_false(vgic_nested_icc_trapped(&nest, iar1));
	wr(E_HCR, H_TC);
	assert_true(vgic_nested_icc_trapped(&nest, pmr));
	assert_true(vgic_nested_icc_trapped(&nest, ctlr));
	assert_true(vgic_nested_icc_trapped(&nest, dir));
	assert_true(vgic_nested_icc_trapped(&nest, rpr));
	assert_true(vgic_nested_icc_trapped(&nest, sgi1r));
	assert_false(vgic_nested_icc_trapped(&nest, iar1));
	wr(E_HCR, H_TDIR);
	assert_true(vgic_nested_icc_trapped(&nest, dir));
	assert_false(vgic_nested_icc_trapped(&nest, pmr));
	wr(E_HCR, H_TC | H_TALL0 | H_TALL1 | H_TDIR);
	assert_false(vgic_nested_icc_trapped(&nest, sre));
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lr_encode_layout),
		cmocka_unit_test(test_elrsr_single_lr),
		cmocka_unit_test(test_elrsr_four_lrs),
		cmocka_unit_test(test_elrsr_sixteen_lrs),
		cmocka_unit_test(test_eisr_single_lr),
		cmocka_unit_test(test_eisr_four_and_sixteen_lrs),
		cmocka_unit_test(test_status_n_zero),
		cmocka_unit_test(test_status_n_above_sixteen),
		cmocka_unit_test(test_misr_eoi),
		cmocka_unit_test(test_misr_underflow),
		cmocka_unit_test(test_misr_lrenp),
		cmocka_unit_test(test_misr_no_pending),
		cmocka_unit_test(test_misr_vgrp),
		cmocka_unit_test(test_misr_combinations),
		cmocka_unit_test(test_maintenance_needs_en),
		cmocka_unit_test(test_lr_to_hw_software),
		cmocka_unit_test(test_lr_to_hw_hardware),
		cmocka_unit_test(test_lr_to_hw_invalid_hardware),
		cmocka_unit_test(test_lr_from_hw_folds_state),
		cmocka_unit_test(test_lr_from_hw_reports_deactivation),
		cmocka_unit_test(test_lr_from_hw_no_report),
		cmocka_unit_test(test_lr_round_trip),
		cmocka_unit_test_setup(test_vtr_advertised, setup_vcpu),
		cmocka_unit_test_setup(test_lr_past_listregs_undef, setup_vcpu),
		cmocka_unit_test_setup(test_apr_and_block, setup_vcpu),
		cmocka_unit_test_setup(test_aprs_follow_vtr, setup_vcpu),
		cmocka_unit_test_setup(test_hcr_mask, setup_vcpu),
		cmocka_unit_test_setup(test_vmcr_mask, setup_vcpu),
		cmocka_unit_test_setup(test_lr_mask, setup_vcpu),
		cmocka_unit_test_setup(test_lr_vintid_idbits, setup_vcpu),
		cmocka_unit_test_setup(test_status_by_sysreg, setup_vcpu),
		cmocka_unit_test_setup(test_maintenance_on_writes, setup_vcpu),
		cmocka_unit_test_setup(test_flush_packs_valid_lrs, setup_vcpu),
		cmocka_unit_test_setup(test_flush_maint_conditions_need_enabled_ppi, setup_vcpu),
		cmocka_unit_test_setup(test_round_trip_ack_eoi, setup_vcpu),
		cmocka_unit_test_setup(test_round_trip_eoicount, setup_vcpu),
		cmocka_unit_test_setup(test_hw_lr_kept_for_hw_backed, setup_vcpu),
		cmocka_unit_test_setup(test_hw_lr_made_software, setup_vcpu),
		cmocka_unit_test_setup(test_hw_lr_naming_nothing, setup_vcpu),
		cmocka_unit_test_setup(test_maintenance_after_sync, setup_vcpu),
		cmocka_unit_test_setup(test_l2_pending, setup_vcpu),
		cmocka_unit_test_setup(test_icc_traps, setup_vcpu),
	};

	return cmocka_run_group_tests_name("vgic_nested", tests, NULL, NULL);
}
