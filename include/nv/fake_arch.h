/* Controls of the fake arch used by host unit tests (src/arch/fake). */
#ifndef NV_FAKE_ARCH_H
#define NV_FAKE_ARCH_H

#include <nv/cpufeature.h>
#include <nv/idregs.h>
#include <nv/types.h>
#include <nv/el1_ctx.h>
#include <nv/el2_ctl.h>

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
	const struct vcpu *kicked; /* the last one kicked */
	u32 gic_dir[16];
	unsigned gic_dir_count;
	unsigned gic_acks; /* arch_gic_ack() calls, 1023 answers included */

	/*
	 * The guest EL1's exception registers: arch_el1_exc_regs_read()
	 * takes SCTLR_EL1 and VBAR_EL1 from here, arch_el1_exc_regs_write()
	 * records ELR, SPSR, ESR and (when written) FAR_EL1 in inject_* and
	 * counts the injection.
	 */
	u64 sctlr_el1, vbar_el1;
	unsigned injects; /* arch_el1_exc_regs_write() calls */
	u64 inject_esr, inject_far;
	u64 inject_elr, inject_spsr; /* the pc and pstate before injection */
	/* CNTV_CTL_EL0 of the loaded vCPU: arch_vtimer_ctl(). */
	u64 vtimer_ctl;
	/* arch_guest_va_to_ipa(): s1_ok gives s1_ipa (page) | the offset. */
	bool s1_ok, s1_write;
	u64 s1_ipa, s1_va;
	unsigned s1_calls;
	/* The CPU's OS Lock as arch_os_lock_write() left it, and how often. */
	bool os_lock;
	unsigned os_lock_writes;
	u64 actlr_el1; /* arch_host_actlr() */
	/* arch_vgic_nested_load() and arch_vgic_nested_save() calls */
	unsigned vich_loads, vich_saves;
	/* Host ID group 3 registers: arch_read_idreg_space() copies them. */
	u64 idregs[IDREG_SPACE];
	/*
	 * TLB maintenance (arch_tlbi_*): calls counted, the last VTTBR_EL2
	 * and IPAs recorded; on_tlbi (if set) sees each call as it happens.
	 */
	unsigned tlbi_local, tlbi_all_is, tlbi_vmid, tlbi_ipas, tlbi_el1_is;
	u32 tlbi_el1_enc; /* the last arch_tlbi_el1_is() */
	u64 tlbi_vttbr;
	u64 tlbi_ipa[64];
	unsigned tlbi_nipa; /* IPAs recorded since last cleared (at most 64) */
	void (*on_tlbi)(u64 vttbr, const u64 *ipas, unsigned n);
	/*
	 * A nested vCPU's world switch: the EL1 registers of struct el1_ctx
	 * (arch_el1_ctx_read/write), the EL2 controls last loaded and how
	 * often, the policy arch_el2_policy() gives, the VTTBR_EL2 last
	 * written for an entry, the plain vGIC loads and saves, and the
	 * stage-1 flushes of this CPU.
	 */
	struct el1_ctx el1;
	/*
	 * el1_shared: el1 is also what the exception registers above stand
	 * for, as on the hardware: arch_el1_exc_regs_read() takes SCTLR_EL1
	 * and VBAR_EL1 from el1, arch_el1_exc_regs_write() writes ELR, SPSR,
	 * ESR (and FAR when written) into el1 as well (tests of a nested
	 * vCPU, whose exceptions into vEL2 go through both).
	 */
	bool el1_shared;
	struct el2_ctl el2_ctl;
	unsigned el2_ctl_loads;
	struct el2_policy el2_policy;
	u64 vttbr;
	unsigned vgic_loads, vgic_saves, tlb_flush_local;
	u64 par_el1; /* arch_par_el1_write() */
	u64 cntv[4]; /* arch_el1_vtimer_read/write: CTL, CVAL, TVAL, CNTVCT */
};

extern struct fake_arch fake_arch;

/*
 * The hardware's GIC virtual interface while L2 runs (nv/vgic_nested.h):
 * what arch_vgic_nested_load() loaded, and what arch_vgic_nested_save()
 * reads back (its hcr is read as the exit's ICH_HCR_EL2).
 */
struct vich_hw;
extern struct vich_hw fake_vich;

#endif
