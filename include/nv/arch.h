/*
 * The architecture interface: everything generic code needs from the CPU.
 * src/arch/aarch64 implements it for real; src/arch/fake implements it for
 * host unit tests.
 */
#ifndef NV_ARCH_H
#define NV_ARCH_H

#include <nv/arm_regs.h>
#include <nv/cpufeature.h>
#include <nv/types.h>

/* Counter and its frequency (CNTPCT_EL0, CNTFRQ_EL0). */
u64 arch_counter(void);
u64 arch_counter_freq(void);

void arch_read_id_regs(struct id_regs *r);
/* MPIDR_EL1 affinity fields Aff3..Aff0 (the rest masked off). */
u64 arch_mpidr(void);

void arch_relax(void);
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Makes data written with caches on visible to a CPU with its MMU off. */
void arch_dcache_clean(const void *p, size_t n);

u32 mmio_read32(paddr_t addr);
void mmio_write32(paddr_t addr, u32 val);
u64 mmio_read64(paddr_t addr);
void mmio_write64(paddr_t addr, u64 val);

#endif
