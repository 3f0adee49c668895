/*
 * EL2 stage-1 translation for nestvisor itself: the boot identity map
 * (built with the MMU off, so only aligned accesses) and the final map.
 * Registers: MAIR_EL2, TCR_EL2, TTBR0_EL2, SCTLR_EL2 (Arm ARM D19.2).
 */
#include <nv/arch.h>
#include <nv/bits.h>
#include <nv/cpufeature.h>
#include <nv/fmt.h>
#include <nv/mmu.h>
#include <nv/palloc.h>
#include <nv/pgtable.h>
#include <nv/arm_regs.h>
#include "sysreg.h"

struct mmu_boot_regs {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
};

/* Read by every CPU with its MMU off (head.S): kept clean to the PoC. */
struct mmu_boot_regs mmu_boot_regs __aligned(64);

#define BOOT_POOL_PAGES 8
static u8 boot_pool[BOOT_POOL_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static unsigned boot_pool_used;

void mmu_early_tables(paddr_t fdt);
void mmu_switch_ttbr(u64 ttbr);

static void *boot_alloc(void *ctx)
{
	(void)ctx;
	if (boot_pool_used >= BOOT_POOL_PAGES)
		return NULL;
	/* BSS is already zero. */
	return boot_pool[boot_pool_used++];
}

static const struct pgtable_mm boot_mm = { boot_alloc, NULL };

static const u64 attr_normal_rwx =
	PTE_S1_ATTRIDX(MT_NORMAL) | PTE_S1_AP1 | PTE_SH_INNER;
static const u64 attr_normal_rw =
	PTE_S1_ATTRIDX(MT_NORMAL) | PTE_S1_AP1 | PTE_SH_INNER | PTE_S1_XN;
static const u64 attr_normal_ro = PTE_S1_ATTRIDX(MT_NORMAL) | PTE_S1_AP1 |
				  PTE_SH_INNER | PTE_S1_XN | PTE_S1_RDONLY;
static const u64 attr_text = PTE_S1_ATTRIDX(MT_NORMAL) | PTE_S1_AP1 |
			     PTE_SH_INNER | PTE_S1_RDONLY;
static const u64 attr_device =
	PTE_S1_ATTRIDX(MT_DEVICE_nGnRE) | PTE_S1_AP1 | PTE_S1_XN;

static unsigned el2_ia_bits(void)
{
	struct id_regs r;
	struct cpu_features f;

	arch_read_id_regs(&r);
	cpu_features_decode(&r, &f);
	return MIN(f.pa_bits, 48u);
}

static u64 tcr_value(unsigned ia_bits)
{
	unsigned ps = 0;
	u64 tcr = TCR_EL2_RES1 | TCR_EL2_T0SZ(64 - ia_bits) | TCR_EL2_IRGN0_WBWA |
		  TCR_EL2_ORGN0_WBWA | TCR_EL2_SH0_INNER | TCR_EL2_TG0_4K;

	/* TCR_EL2.PS: the largest PARange encoding not above 48 bits. */
	while (ps < 5 && parange_to_bits(ps + 1) <= ia_bits)
		ps++;
	/*
	 * With HCR_EL2.E2H RES1 the register has the TCR_EL1 layout: the
	 * size is IPS [34:32], and the E2H = 0 RES1 bits 23 and 31 are EPD1
	 * (no TTBR1 walks) and TG1 = 4 KiB. Only the boot map uses this:
	 * such a CPU is refused (cpu_features_supported) before anything else.
	 */
	if (read_sysreg(hcr_el2) & HCR_E2H)
		return tcr | (u64)ps << TCR_EL2_IPS_E2H_SHIFT;
	return tcr | (u64)ps << TCR_EL2_PS_SHIFT;
}

/* Maps the 2 MiB chunks covering [base, base+size) that are not mapped yet. */
static void boot_map(struct pgtable *pt, paddr_t base, u64 size)
{
	for (paddr_t a = ALIGN_DOWN(base, SZ_2M); a < base + size; a += SZ_2M) {
		unsigned lvl;
		u64 pa;

		if (!pgtable_lookup(pt, a, &lvl, &pa))
			pgtable_map(pt, a, a, SZ_2M, attr_normal_rwx);
	}
}

static u32 be32_at(paddr_t a)
{
	return __builtin_bswap32(*(const volatile u32 *)(uintptr_t)a);
}

static struct pgtable boot_pt;

/* Called from head.S with the MMU off. */
void mmu_early_tables(paddr_t fdt)
{
	unsigned ia = el2_ia_bits();

	boot_pool_used = 0;
	if (!pgtable_init(&boot_pt, ia, &boot_mm))
		return;
	boot_map(&boot_pt, (paddr_t)(uintptr_t)_head,
		 (u64)((uintptr_t)_end - (uintptr_t)_head));
	/* The DTB (FDT header: magic 0xd00dfeed, totalsize at offset 4). */
	if (fdt && IS_ALIGNED(fdt, 8) && be32_at(fdt) == 0xd00dfeedu)
		boot_map(&boot_pt, fdt, MIN((u64)be32_at(fdt + 4), SZ_2M));
	mmu_boot_regs.mair = MAIR_EL2_VALUE;
	mmu_boot_regs.tcr = tcr_value(ia);
	mmu_boot_regs.ttbr0 = (u64)(uintptr_t)boot_pt.root;
}

bool mmu_boot_map_device(paddr_t base, u64 size)
{
	paddr_t b = ALIGN_DOWN(base, PAGE_SIZE);
	u64 s = ALIGN_UP(base + size, PAGE_SIZE) - b;

	/* Filling an invalid entry needs no break-before-make (D8.16.1). */
	if (pgtable_map(&boot_pt, b, b, s, attr_device) != PGT_OK)
		return false;
	dsb(ishst);
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	return true;
}

/*
 * The final tables are built while the boot map (image and DTB only) is
 * live, so they come from a pool inside the image; once the final map is
 * on, all RAM is reachable and further tables come from the allocator.
 */
#define EL2_POOL_PAGES 32
static u8 el2_pool[EL2_POOL_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE);
static unsigned el2_pool_used;
static bool final_map_live;

static void *final_alloc(void *ctx)
{
	(void)ctx;
	if (el2_pool_used < EL2_POOL_PAGES)
		return el2_pool[el2_pool_used++];
	return final_map_live ? palloc_page() : NULL;
}

static const struct pgtable_mm final_mm = { final_alloc, NULL };

static bool map_checked(struct pgtable *pt, paddr_t base, u64 size, u64 attrs,
			const char *what, char *err, size_t errlen)
{
	paddr_t b = ALIGN_DOWN(base, PAGE_SIZE);
	u64 s = ALIGN_UP(base + size, PAGE_SIZE) - b;
	enum pgt_err e = pgtable_map(pt, b, b, s, attrs);

	if (e == PGT_OK)
		return true;
	nv_snprintf(err, errlen, "cannot map %s [0x%llx, 0x%llx): %s", what,
		    (unsigned long long)b, (unsigned long long)(b + s),
		    e == PGT_ENOMEM ? "out of memory" :
		    e == PGT_EEXIST ? "overlaps another region" :
				      "outside the address range");
	return false;
}

bool mmu_init_final(const struct platform *p, char *err, size_t errlen)
{
	struct pgtable pt;
	struct range_set ram = { .n = 0 };
	paddr_t text = (paddr_t)(uintptr_t)_head;
	paddr_t etext = (paddr_t)(uintptr_t)_etext;
	paddr_t erodata = (paddr_t)(uintptr_t)_erodata;
	paddr_t end = (paddr_t)(uintptr_t)_end;

	if (!pgtable_init(&pt, el2_ia_bits(), &final_mm)) {
		nv_snprintf(err, errlen, "no memory for the EL2 page tables");
		return false;
	}
	for (unsigned i = 0; i < p->nr_mem; i++)
		range_set_add(&ram, ALIGN_DOWN(p->mem[i].base, PAGE_SIZE),
			      ALIGN_UP(p->mem[i].size, PAGE_SIZE));
	range_set_subtract(&ram, text, end - text);
	for (unsigned i = 0; i < ram.n; i++)
		if (!map_checked(&pt, ram.r[i].base, ram.r[i].size,
				 attr_normal_rw, "RAM", err, errlen))
			return false;
	if (!map_checked(&pt, text, etext - text, attr_text, "text", err, errlen) ||
	    !map_checked(&pt, etext, erodata - etext, attr_normal_ro, "rodata",
			 err, errlen) ||
	    !map_checked(&pt, erodata, end - erodata, attr_normal_rw, "data",
			 err, errlen) ||
	    !map_checked(&pt, p->gic.dist.base, p->gic.dist.size, attr_device,
			 "GIC distributor", err, errlen))
		return false;
	for (unsigned i = 0; i < p->gic.nr_redist; i++)
		if (!map_checked(&pt, p->gic.redist[i].base, p->gic.redist[i].size,
				 attr_device, "GIC redistributors", err, errlen))
			return false;
	if (p->has_uart &&
	    !map_checked(&pt, p->uart.reg.base, p->uart.reg.size, attr_device,
			 "UART", err, errlen))
		return false;
	mmu_switch_ttbr((u64)(uintptr_t)pt.root);
	final_map_live = true;
	mmu_boot_regs.ttbr0 = (u64)(uintptr_t)pt.root;
	arch_dcache_clean(&mmu_boot_regs, sizeof(mmu_boot_regs));
	return true;
}
