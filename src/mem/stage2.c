/* Stage-2 configuration: IPA size, VTCR_EL2, VTTBR_EL2, VMIDs. */
#include <nv/bits.h>
#include <nv/stage2.h>

unsigned stage2_ipa_bits(u64 top, const struct cpu_features *f)
{
	unsigned need = 32, max = MIN(f->pa_bits, 48u);

	while (need < 48 && (UINT64_C(1) << need) < top)
		need++;
	if ((UINT64_C(1) << need) < top)
		return 0;
	/* 40..43 bits would need concatenated level-1 roots: use 44 (level 0). */
	if (need > 39)
		need = MAX(need, 44u);
	return need <= max ? need : 0;
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

static u32 next_vmid = 1;

u16 vmid_alloc(unsigned vmid_bits)
{
	u32 v = __atomic_fetch_add(&next_vmid, 1, __ATOMIC_RELAXED);

	return v < (UINT32_C(1) << vmid_bits) ? (u16)v : 0;
}
