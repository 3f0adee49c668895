/* Controls of the fake arch used by host unit tests (src/arch/fake). */
#ifndef NV_FAKE_ARCH_H
#define NV_FAKE_ARCH_H

#include <nv/cpufeature.h>
#include <nv/idregs.h>
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
	unsigned gic_acks; /* arch_gic_ack() calls, 1023 answers included */

	/* Syndrome of the last guest exit: arch_exit_esr/far/hpfar(). */
	u64 exit_esr, exit_far, exit_hpfar;
	/*
	 * arch_inject_sync(): like the aarch64 one it sets regs.pc to
	 * vbar_el1 + the vector offset (0x000 EL1t, 0x200 EL1h, 0x400 from
	 * EL0 AArch64, 0x600 from AArch32) and regs.pstate to 0x3c5; what
	 * the hardware would hold in ESR/FAR/ELR/SPSR_EL1 is recorded here.
	 */
	u64 vbar_el1;
	unsigned injects; /* arch_inject_sync() calls */
	u64 inject_esr, inject_far;
	u64 inject_elr, inject_spsr; /* the pc and pstate before injection */
	/* CNTV_CTL_EL0 of the loaded vCPU: arch_vtimer_ctl(). */
	u64 vtimer_ctl;
	/* Host ID group 3 registers: arch_read_idreg_space() copies them. */
	u64 idregs[IDREG_SPACE];
};

extern struct fake_arch fake_arch;

#endif
