/*
 * The software stage-2 walker (src/mem/s2_walk.c) on random VTCR_EL2 and
 * VTTBR_EL2 values, L1 PARanges and random guest tables: the input is
 * VTCR, VTTBR, PARange, four IPAs, then guest memory (s2_mem.h). A
 * refused configuration faults every walk at level 0. Checks: an accepted configuration is
 * one the Arm ARM allows (granule, sizes, start level, root alignment and
 * concatenation); each walk reads aligned descriptors, at most one per
 * level; a translation maps the IPA's offset inside a leaf of the size its
 * level gives, below the output size, with a valid, accessed descriptor;
 * an IPA beyond the input size faults at level 0.
 */
#include <nv/cpufeature.h>
#include <nv/s2_walk.h>
#include "s2_mem.h"

static void check_cfg(const struct s2_walk_cfg *c)
{
	unsigned stride = c->granule_shift - 3;

	FUZZ_CHECK(c->granule_shift == 12 || c->granule_shift == 14 ||
		   c->granule_shift == 16);
	FUZZ_CHECK(c->ia_bits >= 25 && c->ia_bits <= 48);
	FUZZ_CHECK(c->oa_bits >= 32 && c->oa_bits <= 48);
	FUZZ_CHECK(c->start_level <= 3);
	FUZZ_CHECK(c->root_entries >= 2 && !(c->root_entries & (c->root_entries - 1)));
	FUZZ_CHECK(c->root_entries <= (UINT64_C(16) << stride));
	FUZZ_CHECK(!(c->root & ((u64)c->root_entries * 8 - 1)));
	/* The root resolves exactly the bits the lower levels leave. */
	FUZZ_CHECK(c->granule_shift + (3 - c->start_level) * stride +
			   (unsigned)__builtin_ctz(c->root_entries) == c->ia_bits);
}

static void check_walk(const struct s2_walk_cfg *c, u64 ipa,
		       const struct s2_walk_result *r, unsigned reads)
{
	unsigned stride = c->granule_shift - 3;

	FUZZ_CHECK(r->level <= 3);
	FUZZ_CHECK(reads <= 4 - c->start_level);
	if (c->ia_bits < 64 && (ipa >> c->ia_bits)) {
		FUZZ_CHECK(r->fault == S2_FAULT_TRANSLATION && r->level == 0 && !reads);
		return;
	}
	if (r->fault != S2_OK) {
		FUZZ_CHECK(r->fault <= S2_FAULT_EXTERNAL);
		FUZZ_CHECK(r->level >= c->start_level || (r->level == 0 && !reads));
		return;
	}
	FUZZ_CHECK(r->level >= c->start_level);
	FUZZ_CHECK(reads == r->level - c->start_level + 1);
	FUZZ_CHECK(r->block_size ==
		   UINT64_C(1) << (c->granule_shift + (3 - r->level) * stride));
	FUZZ_CHECK((r->oa & (r->block_size - 1)) == (ipa & (r->block_size - 1)));
	FUZZ_CHECK(!(r->oa >> c->oa_bits));
	FUZZ_CHECK((r->desc & 1) && (r->desc & BIT(10)));
	FUZZ_CHECK(r->level == 3 || (r->desc & 2) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u64 vtcr = fuzz_u64(&in), vttbr = fuzz_u64(&in), ipa[4];
	/* L1's PARange as it reads it: one of the sizes PARange encodes. */
	unsigned pa_bits = parange_to_bits(fuzz_u8(&in) % 7);
	struct s2_walk_cfg cfg;
	struct s2_mem mem;
	u8 spare[8];
	char err[128];

	fuzz_quiet_console();
	for (unsigned i = 0; i < 4; i++)
		ipa[i] = fuzz_u64(&in);
	memset(err, 0, sizeof(err));
	if (!s2_walk_cfg(vtcr, vttbr, pa_bits, &cfg, err, sizeof(err))) {
		struct s2_walk_result r;

		FUZZ_CHECK(err[0] && fuzz_terminated(err, sizeof(err)));
		/* Refused: every walk a level 0 Translation fault, nothing read. */
		FUZZ_CHECK(!cfg.valid);
		s2_mem_init(&mem, &in, spare);
		s2_walk(&cfg, ipa[0], s2_mem_read, &mem, &r);
		FUZZ_CHECK(r.fault == S2_FAULT_TRANSLATION && r.level == 0 && !mem.reads);
		return 0;
	}
	FUZZ_CHECK(cfg.valid && cfg.oa_bits <= pa_bits);
	check_cfg(&cfg);
	s2_mem_init(&mem, &in, spare);
	for (unsigned i = 0; i < 4; i++) {
		struct s2_walk_result r;

		mem.reads = 0;
		s2_walk(&cfg, ipa[i], s2_mem_read, &mem, &r);
		check_walk(&cfg, ipa[i], &r, mem.reads);
		/* The same IPA with the input-size bits only: mostly in range. */
		mem.reads = 0;
		ipa[i] &= (UINT64_C(1) << cfg.ia_bits) - 1;
		s2_walk(&cfg, ipa[i], s2_mem_read, &mem, &r);
		check_walk(&cfg, ipa[i], &r, mem.reads);
	}
	return 0;
}
