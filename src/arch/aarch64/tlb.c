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
