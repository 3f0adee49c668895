/*
 * TLB maintenance of the guests' stage 1 and stage 2 (Arm ARM D8.16, TLB
 * maintenance requirements; C5.5, the TLBI instructions). Why and when
 * each runs: include/nv/arch.h.
 */
#include <nv/arch.h>
#include <nv/bits.h>
#include "sysreg.h"

void arch_tlbi_guests_local(void)
{
	dsb(nshst);
	__asm__ volatile("tlbi alle1" ::: "memory");
	dsb(nsh);
	isb();
}

void arch_tlbi_guests_all_is(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi alle1is" ::: "memory");
	dsb(ish);
	isb();
}

/* SYS #0, C8, Cm, #op2, Xt: a TLBI of the EL1&0 regime (C5.5). */
#define TLBI_SYS(crm, op2) __asm__ volatile("sys #0, c8, c" #crm ", #" #op2 ", %0" :: "r"(xt) : "memory")

bool arch_tlbi_el1_is(u32 enc, u64 xt)
{
	unsigned crm = (enc >> 3) & 0xf, op2 = enc & 7;

	if ((enc & ~(u32)GENMASK(6, 0)) != ((1u << 14) | (8u << 7)) ||
	    (crm != 2 && crm != 3 && crm != 7) || op2 == 4 || op2 == 6 ||
	    (crm == 2 && (op2 & 1) == 0))
		return false;
	dsb(ishst);
	switch (op2 | (crm == 2 ? 8u : 0u)) {
	case 0: TLBI_SYS(3, 0); break;   /* VMALLE1IS (Xt ignored) */
	case 1: TLBI_SYS(3, 1); break;   /* VAE1IS */
	case 2: TLBI_SYS(3, 2); break;   /* ASIDE1IS */
	case 3: TLBI_SYS(3, 3); break;   /* VAAE1IS */
	case 5: TLBI_SYS(3, 5); break;   /* VALE1IS */
	case 7: TLBI_SYS(3, 7); break;   /* VAALE1IS */
	case 9: TLBI_SYS(2, 1); break;   /* RVAE1IS */
	case 11: TLBI_SYS(2, 3); break;  /* RVAAE1IS */
	case 13: TLBI_SYS(2, 5); break;  /* RVALE1IS */
	default: TLBI_SYS(2, 7); break;  /* RVAALE1IS */
	}
	dsb(ish);
	isb();
	return true;
}

/*
 * VTTBR_EL2 is switched with an ISB after each write so that the TLBIs
 * that follow use the new VMID (Arm ARM D8.16: the VMID of a TLBI by
 * VMID or IPA is the current VTTBR_EL2.VMID).
 */
static u64 vttbr_switch(u64 vttbr)
{
	u64 old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, vttbr);
	isb();
	return old;
}

void arch_tlbi_vmid_is(u64 vttbr)
{
	u64 old;

	/* The table writes the caller made reach the walkers first. */
	dsb(ishst);
	old = vttbr_switch(vttbr);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	vttbr_switch(old);
}

void arch_tlbi_ipas_is(u64 vttbr, const u64 *ipas, unsigned n)
{
	u64 old;

	if (!n)
		return;
	dsb(ishst);
	old = vttbr_switch(vttbr);
	/* TLBI IPAS2E1IS: Xt[39:0] = IPA[51:12] (no TTL hint, NS = 0). */
	for (unsigned i = 0; i < n; i++)
		__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(ipas[i] >> 12) : "memory");
	dsb(ish);
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	vttbr_switch(old);
}
