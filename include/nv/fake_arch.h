/* Controls of the fake arch used by host unit tests (src/arch/fake). */
#ifndef NV_FAKE_ARCH_H
#define NV_FAKE_ARCH_H

#include <nv/cpufeature.h>
#include <nv/types.h>

struct fake_arch {
	struct id_regs id;
	u64 mpidr;
	u64 counter;
	u64 counter_step; /* added on every arch_counter() read */
	u64 counter_freq;
	bool irq_enabled;
	u64 (*mmio_read)(paddr_t addr, unsigned size);
	void (*mmio_write)(paddr_t addr, u64 val, unsigned size);
	/* INTIDs arch_gic_ack() hands out, last first; then 1023. */
	u32 gic_pending[16];
	unsigned gic_pending_count;
	u32 gic_eoi[16];
	unsigned gic_eoi_count;
	unsigned kicks; /* vcpu_kick() calls */
	u32 gic_dir[16];
	unsigned gic_dir_count;
};

extern struct fake_arch fake_arch;

#endif
