/* Stage-2 configuration: IPA size, VTCR_EL2, VTTBR_EL2 (VMIDs: vmid.c). */
#include <nv/bits.h>
#include <nv/stage2.h>

unsigned stage2_ipa_bits(u64 top, const struct cpu_features *f)
{
	/*
	 * The IPA sizes a guest can be told: ID_AA64MMFR0_EL1.PARange values
	 * (32, 36, 40, 42, 44, 48 bits), so that the PARange it reads covers
	 * all of its address map. 40 and 42 would need concatenated level-1
	 * roots (Arm ARM D8.2.6): 44 (a level-0 root) instead.
	 */
	static const unsigned sizes[] = { 32, 36, 44, 48 };
	unsigned max = MIN(f->pa_bits, 48u);

	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		if (top <= UINT64_C(1) << sizes[i])
			return sizes[i] <= max ? sizes[i] : 0;
	return 0;
}

u64 stage2_vtcr(unsigned ipa_bits, const struct cpu_features *f)
{
	unsigned start = pgt_start_level(ipa_bits);
	/* VTCR_EL2.SL0 with the 4 KiB granule: 0 = level 2, 1 = level 1, 2 = level 0. */
	u64 sl0 = 2 - start;
	u64 ps = MIN(f->parange, 5u); /* PS: no 52-bit output without LPA2 */
	u64 vtcr = VTCR_RES1 | field_prep(VTCR_T0SZ_MASK, 64 - ipa_bits) |
		   field_prep(VTCR_SL0_MASK, sl0) | VTCR_IRGN0_WBWA |
		   VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K |
		   field_prep(VTCR_PS_MASK, ps);

	if (f->vmid_bits == 16)
		vtcr |= VTCR_VS_16BIT;
	return vtcr;
}

u64 stage2_vttbr(const struct pgtable *pt, u16 vmid)
{
	return ((u64)vmid << VTTBR_VMID_SHIFT) |
	       ((u64)(uintptr_t)pt->root & PTE_ADDR_MASK);
}

unsigned stage2_min_ipa_bits(bool virtual_el2)
{
	return virtual_el2 ? 40 : 0;
}
