/*
 * AT emulation at vEL2 (src/cpu/vel2_at.c, src/mem/s1_walk.c) on random
 * registers and random tables: the input is the AT form, L1's HCR_EL2,
 * VTCR_EL2, VTTBR_EL2, its EL2 regime's and L2's EL1 regime's SCTLR,
 * TCR, TTBR0, TTBR1 and MAIR, a PARange, four VAs, then L1's memory
 * (s2_mem.h; every table pointer lands in the input). Checks: the
 * PAR_EL1 value is well formed (RES1 bit 11; on success F, FST and the
 * RES0 bits clear, NS set, SH not the reserved 0b01 and 0b10 for Device
 * or Normal Non-cacheable, PA below the PARange; on a fault a defined
 * FST, PTW only with S, S never without a stage 2); a Data Abort is
 * asked for exactly when the fault is an external abort on the walk, with
 * the syndrome and FAR that fault gives; descriptors are read aligned and
 * at most 4 + 4 x 5 times (stage 1's levels, each table address through
 * stage 2, the final stage 2).
 */
#include <nv/arm_regs.h>
#include <nv/cpufeature.h>
#include <nv/vel2_at.h>
#include "s2_mem.h"

#define PAR_S BIT(9)
#define PAR_PTW BIT(8)

static void check_ok(u64 par, unsigned pa_bits)
{
	u8 attr = (u8)(par >> 56);
	unsigned sh = (unsigned)(par >> 7) & 3;

	FUZZ_CHECK(!(par & (GENMASK(55, 48) | BIT(10) | GENMASK(6, 0))));
	FUZZ_CHECK(par & BIT(9));
	FUZZ_CHECK(sh != 1);
	if (!(attr >> 4) || attr == 0x44 || attr == 0x40)
		FUZZ_CHECK(sh == 2);
	FUZZ_CHECK(!((par & GENMASK(47, 12)) >> pa_bits));
}

static void check_fault(u64 par, bool s2_possible)
{
	unsigned fst = (unsigned)(par >> 1) & 0x3f;

	FUZZ_CHECK(!(par & (GENMASK(63, 12) | BIT(10) | BIT(7))));
	/* Address size, translation, access flag (not level 0), permission, SEA on walk. */
	FUZZ_CHECK(fst <= 0x07 || (fst >= 0x09 && fst <= 0x0f) ||
		   (fst >= 0x14 && fst <= 0x17));
	FUZZ_CHECK(!(par & PAR_PTW) || (par & PAR_S));
	FUZZ_CHECK(s2_possible || !(par & PAR_S));
}

static void check_abort(u64 par, u64 va, const struct vel2_at_abort *ab)
{
	unsigned fst = (unsigned)(par >> 1) & 0x3f;
	bool sea = (par & 1) && fst >= 0x14 && fst <= 0x17;

	FUZZ_CHECK(ab->taken == sea);
	if (!sea)
		return;
	/* EC 0x25, IL, CM, WnR, S1PTW as PTW, DFSC as FST. */
	FUZZ_CHECK(ab->esr == (UINT64_C(0x96000140) | fst |
			       ((par & PAR_PTW) ? BIT(7) : 0)));
	FUZZ_CHECK(ab->far == va);
}

static void read_regime(struct fuzz_in *in, struct vel2_at_regime *g)
{
	g->sctlr = fuzz_u64(in);
	g->tcr = fuzz_u64(in);
	g->ttbr0 = fuzz_u64(in);
	g->ttbr1 = fuzz_u64(in);
	g->mair = fuzz_u64(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	enum vel2_at_op op = (enum vel2_at_op)(fuzz_u8(&in) % 10);
	struct vel2_at_regs regs;
	struct s2_mem mem;
	u64 va[4];
	u8 spare[8];
	bool s2_possible;

	fuzz_quiet_console();
	memset(&regs, 0, sizeof(regs));
	regs.hcr = fuzz_u64(&in);
	regs.vtcr = fuzz_u64(&in);
	regs.vttbr = fuzz_u64(&in);
	read_regime(&in, &regs.el2);
	read_regime(&in, &regs.el1);
	regs.pa_bits = parange_to_bits(fuzz_u8(&in) % 6);
	for (unsigned i = 0; i < 4; i++)
		va[i] = fuzz_u64(&in);
	s2_mem_init(&mem, &in, spare);
	/* No stage 2 for L1's own regime, the EL2&0 one, or without VM and DC. */
	s2_possible = op != VEL2_AT_S1E2R && op != VEL2_AT_S1E2W &&
		      (regs.hcr & (HCR_E2H | HCR_TGE)) != (HCR_E2H | HCR_TGE) &&
		      (regs.hcr & (HCR_VM | BIT(12)));
	for (unsigned i = 0; i < 4; i++) {
		struct vel2_at_abort ab;
		u64 par;

		mem.reads = 0;
		par = vel2_at(op, va[i], &regs, s2_mem_read, &mem, &ab);
		FUZZ_CHECK(mem.reads <= 24);
		FUZZ_CHECK(par & BIT(11));
		if (par & 1)
			check_fault(par, s2_possible);
		else
			check_ok(par, regs.pa_bits);
		check_abort(par, va[i], &ab);
		/* Without an abort to fill, the same PAR_EL1. */
		FUZZ_CHECK(vel2_at(op, va[i], &regs, s2_mem_read, &mem, NULL) == par);
	}
	return 0;
}
