/* The AArch64 implementation of the arch interface. */
#include <nv/arch.h>
#include <nv/idregs.h>
#include "sysreg.h"

u64 arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

u64 arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0) & 0xffffffffu;
}

void arch_read_id_regs(struct id_regs *r)
{
	r->midr = read_sysreg(midr_el1);
	r->pfr0 = read_sysreg(id_aa64pfr0_el1);
	r->mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	r->mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	r->mmfr2 = read_sysreg(id_aa64mmfr2_el1);
	r->mmfr4 = read_sysreg(SYS_ID_AA64MMFR4_EL1);
	r->hcr_el2 = read_sysreg(hcr_el2);
}

u64 arch_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

void arch_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

void arch_dcache_clean(const void *p, size_t n)
{
	/* CTR_EL0.DminLine: log2 of the smallest data cache line in words. */
	u64 line = UINT64_C(4) << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	uintptr_t a = ALIGN_DOWN((uintptr_t)p, line);

	for (; a < (uintptr_t)p + n; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

u32 mmio_read32(paddr_t addr)
{
	u32 v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

void mmio_write32(paddr_t addr, u32 val)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(val), "r"(addr) : "memory");
}

u64 mmio_read64(paddr_t addr)
{
	u64 v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

void mmio_write64(paddr_t addr, u64 val)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(val), "r"(addr) : "memory");
}

#define IDREG(crm, op2) read_sysreg(s3_0_c0_c##crm##_##op2)
#define IDREG_ROW(crm)                                                        \
	out[idreg_index(crm, 0)] = IDREG(crm, 0);                             \
	out[idreg_index(crm, 1)] = IDREG(crm, 1);                             \
	out[idreg_index(crm, 2)] = IDREG(crm, 2);                             \
	out[idreg_index(crm, 3)] = IDREG(crm, 3);                             \
	out[idreg_index(crm, 4)] = IDREG(crm, 4);                             \
	out[idreg_index(crm, 5)] = IDREG(crm, 5);                             \
	out[idreg_index(crm, 6)] = IDREG(crm, 6);                             \
	out[idreg_index(crm, 7)] = IDREG(crm, 7)

/* Unallocated encodings of this space are RAZ (Arm ARM D19.1, ID space). */
void arch_read_idreg_space(u64 *out)
{
	IDREG_ROW(1);
	IDREG_ROW(2);
	IDREG_ROW(3);
	IDREG_ROW(4);
	IDREG_ROW(5);
	IDREG_ROW(6);
	IDREG_ROW(7);
}

/*
 * Plain stores, 64 bytes a loop. DC ZVA (Arm ARM C6.2.87) would zero a
 * DCZID_EL0 block per instruction, but under QEMU's emulation each one is
 * a helper call: zeroing a guest's RAM with it took four times as long.
 */
void arch_zero_pages(void *p, size_t size)
{
	u64 *w = p, *end = w + size / sizeof(u64);

	for (; w < end; w += 8) {
		__asm__ volatile("stp xzr, xzr, [%0]\n\t"
				 "stp xzr, xzr, [%0, #16]\n\t"
				 "stp xzr, xzr, [%0, #32]\n\t"
				 "stp xzr, xzr, [%0, #48]" :: "r"(w) : "memory");
	}
}
