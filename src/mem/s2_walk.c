/* Software stage-2 walks of a guest hypervisor's tables (Arm ARM D8.2-D8.4). */
#include <string.h>
#include <nv/bits.h>
#include <nv/cpufeature.h>
#include <nv/fmt.h>
#include <nv/s2_walk.h>
#include <nv/stage2.h>
#include <nv/vmsa.h>

/*
 * VTCR_EL2.SL0 to the start level (Arm ARM, VTCR_EL2.SL0): 4 KiB: 0 -> 2,
 * 1 -> 1, 2 -> 0; 16 KiB and 64 KiB: 0 -> 3, 1 -> 2, 2 -> 1. Returns -1 for
 * a reserved encoding: SL0 = 3 needs FEAT_TTST (4 KiB, level 3) or
 * FEAT_LPA2 with VTCR_EL2.DS = 1 (16 KiB, level 0), and is always
 * reserved for 64 KiB (pseudocode AArch64.S2InvalidSL).
 */
static int sl0_level(unsigned shift, unsigned sl0)
{
	if (sl0 > 2)
		return -1;
	return (shift == 12 ? 2 : 3) - (int)sl0;
}

bool s2_walk_cfg(u64 vtcr, u64 vttbr, unsigned pa_bits,
		 struct s2_walk_cfg *cfg, char *err, size_t errlen)
{
	unsigned t0sz = (unsigned)field_get(VTCR_T0SZ_MASK, vtcr);
	unsigned ps = (unsigned)field_get(VTCR_PS_MASK, vtcr);
	unsigned shift = vmsa_tg0_shift((unsigned)field_get(VTCR_TG0_MASK, vtcr));
	int level, bits;
	unsigned stride;
	u64 table_bytes;

	memset(cfg, 0, sizeof(*cfg));
	if (!shift) {
		nv_snprintf(err, errlen, "VTCR_EL2.TG0 is reserved");
		return false;
	}
	/* PS = 0b111 (56 bits) needs FEAT_D128, which no L1 is shown. */
	if (ps > 6) {
		nv_snprintf(err, errlen, "VTCR_EL2.PS %u is reserved", ps);
		return false;
	}
	if (t0sz < 16 || t0sz > 39) {
		nv_snprintf(err, errlen, "VTCR_EL2.T0SZ %u is outside 16..39", t0sz);
		return false;
	}
	level = sl0_level(shift, (unsigned)field_get(VTCR_SL0_MASK, vtcr));
	if (level < 0) {
		nv_snprintf(err, errlen, "VTCR_EL2.SL0 is reserved for this granule");
		return false;
	}
	stride = shift - 3;
	cfg->granule_shift = shift;
	cfg->ia_bits = 64 - t0sz;
	cfg->oa_bits = MIN(MIN(parange_to_bits(ps), pa_bits), 48u);
	cfg->start_level = (unsigned)level;
	/*
	 * Bits the start level resolves: at least 1, and at most one table's
	 * worth plus 4 (up to 16 concatenated tables, Arm ARM D8.2.6).
	 */
	bits = (int)cfg->ia_bits - (int)vmsa_level_shift(shift, (unsigned)level);
	if (bits < 1 || bits > (int)stride + 4) {
		nv_snprintf(err, errlen,
			    "VTCR_EL2: start level %d does not suit a %u-bit IPA with %u KiB pages",
			    level, cfg->ia_bits, 1u << (shift - 10));
		return false;
	}
	cfg->root_entries = 1u << bits;
	/*
	 * BADDR below the root table's size is RES0: treated as zero. No
	 * 64-byte minimum: that only applies with 52-bit addresses
	 * (pseudocode AArch64.S2TTBaseAddress), so a 2-entry root is 16-byte
	 * aligned.
	 */
	table_bytes = (u64)cfg->root_entries * 8;
	cfg->root = vttbr & VTTBR_BADDR_MASK & ~(table_bytes - 1);
	cfg->valid = true;
	return true;
}

static void fault(struct s2_walk_result *r, enum s2_fault f, unsigned level)
{
	r->fault = f;
	r->level = level;
}

void s2_walk(const struct s2_walk_cfg *cfg, u64 ipa, s2_read_fn rd, void *ctx,
	     struct s2_walk_result *r)
{
	unsigned shift = cfg->granule_shift, stride = shift - 3;
	unsigned level = cfg->start_level;
	u64 table = cfg->root, entries = cfg->root_entries;

	r->oa = 0;
	r->block_size = 0;
	r->desc = 0;
	/* An unusable VTCR_EL2: a level 0 Translation fault (s2_walk_cfg). */
	if (!cfg->valid) {
		fault(r, S2_FAULT_TRANSLATION, 0);
		return;
	}
	/*
	 * An IPA beyond the input size is a level 0 Translation fault, and a
	 * root beyond the output size a level 0 Address size fault, whatever
	 * the start level (pseudocode AArch64.S2Translate, AArch64.S2Walk).
	 */
	if (cfg->ia_bits < 64 && (ipa >> cfg->ia_bits)) {
		fault(r, S2_FAULT_TRANSLATION, 0);
		return;
	}
	if (table >> cfg->oa_bits) {
		fault(r, S2_FAULT_ADDRESS_SIZE, 0);
		return;
	}
	for (;;) {
		unsigned lshift = vmsa_level_shift(shift, level);
		u64 index = (ipa >> lshift) & (entries - 1);
		u64 d, addr;
		enum vmsa_desc_kind kind;

		if (!rd(ctx, table + index * 8, &d)) {
			fault(r, S2_FAULT_EXTERNAL, level);
			return;
		}
		kind = vmsa_desc_kind(d, shift, level);
		if (kind == VMSA_DESC_INVALID) {
			fault(r, S2_FAULT_TRANSLATION, level);
			return;
		}
		addr = vmsa_desc_addr(d, shift);
		if (kind == VMSA_DESC_TABLE) {
			if (addr >> cfg->oa_bits) {
				fault(r, S2_FAULT_ADDRESS_SIZE, level);
				return;
			}
			table = addr;
			entries = UINT64_C(1) << stride;
			level++;
			continue;
		}
		/* A block where none may be, or a level-3 descriptor with bit 1 clear. */
		if (kind == VMSA_DESC_RESERVED) {
			fault(r, S2_FAULT_TRANSLATION, level);
			return;
		}
		r->block_size = UINT64_C(1) << lshift;
		addr &= ~(r->block_size - 1);
		if (addr >> cfg->oa_bits) {
			fault(r, S2_FAULT_ADDRESS_SIZE, level);
			return;
		}
		if (!(d & PTE_AF)) {
			fault(r, S2_FAULT_ACCESS_FLAG, level);
			return;
		}
		r->fault = S2_OK;
		r->level = level;
		r->desc = d;
		r->oa = addr | (ipa & (r->block_size - 1));
		return;
	}
}
