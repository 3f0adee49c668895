/*
 * The fake arch: the arch interface for host unit tests. ID registers,
 * the counter and MMIO are plain variables a test sets and inspects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nv/arch.h>
#include <nv/fake_arch.h>
#include <nv/idregs.h>
#include <nv/irq.h>
#include <nv/percpu.h>
#include <nv/power.h>
#include <nv/vcpu_arch.h>
#include <nv/vgic.h>
#include <nv/vgic_nested.h>

struct fake_arch fake_arch = {
	.counter_freq = 62500000,
};

static struct percpu *cur_cpu;

u64 arch_counter(void)
{
	return fake_arch.counter += fake_arch.counter_step;
}

u64 arch_counter_freq(void)
{
	return fake_arch.counter_freq;
}

void arch_read_id_regs(struct id_regs *r)
{
	*r = fake_arch.id;
}

u64 arch_mpidr(void)
{
	return fake_arch.mpidr & MPIDR_AFF_MASK;
}

void arch_relax(void)
{
}

void arch_irq_enable(void)
{
	fake_arch.irq_enabled = true;
}

void arch_irq_disable(void)
{
	fake_arch.irq_enabled = false;
}

void arch_dcache_clean(const void *p, size_t n)
{
	(void)p;
	(void)n;
}

void arch_zero_pages(void *p, size_t size)
{
	memset(p, 0, size);
}

void arch_tlbi_guests_local(void)
{
	fake_arch.tlbi_local++;
}

void arch_tlbi_guests_all_is(void)
{
	fake_arch.tlbi_all_is++;
}

bool arch_tlbi_el1_is(u32 enc, u64 xt)
{
	(void)xt;
	fake_arch.tlbi_el1_is++;
	fake_arch.tlbi_el1_enc = enc;
	return true;
}

void arch_tlbi_vmid_is(u64 vttbr)
{
	fake_arch.tlbi_vmid++;
	fake_arch.tlbi_vttbr = vttbr;
	if (fake_arch.on_tlbi)
		fake_arch.on_tlbi(vttbr, NULL, 0);
}

void arch_tlbi_ipas_is(u64 vttbr, const u64 *ipas, unsigned n)
{
	fake_arch.tlbi_ipas++;
	fake_arch.tlbi_vttbr = vttbr;
	for (unsigned i = 0; i < n; i++)
		if (fake_arch.tlbi_nipa < ARRAY_SIZE(fake_arch.tlbi_ipa))
			fake_arch.tlbi_ipa[fake_arch.tlbi_nipa++] = ipas[i];
	if (fake_arch.on_tlbi)
		fake_arch.on_tlbi(vttbr, ipas, n);
}

u32 mmio_read32(paddr_t addr)
{
	return fake_arch.mmio_read ? (u32)fake_arch.mmio_read(addr, 4) : 0;
}

void mmio_write32(paddr_t addr, u32 val)
{
	if (fake_arch.mmio_write)
		fake_arch.mmio_write(addr, val, 4);
}

u64 mmio_read64(paddr_t addr)
{
	return fake_arch.mmio_read ? fake_arch.mmio_read(addr, 8) : 0;
}

void mmio_write64(paddr_t addr, u64 val)
{
	if (fake_arch.mmio_write)
		fake_arch.mmio_write(addr, val, 8);
}

struct percpu *this_cpu(void)
{
	return cur_cpu;
}

void set_this_cpu(struct percpu *pc)
{
	cur_cpu = pc;
}

u32 arch_gic_ack(void)
{
	fake_arch.gic_acks++;
	return fake_arch.gic_pending_count ?
		       fake_arch.gic_pending[--fake_arch.gic_pending_count] :
		       1023;
}

void arch_gic_eoi(u32 intid)
{
	if (fake_arch.gic_eoi_count < ARRAY_SIZE(fake_arch.gic_eoi))
		fake_arch.gic_eoi[fake_arch.gic_eoi_count++] = intid;
}

void arch_gic_deactivate(u32 intid)
{
	if (fake_arch.gic_dir_count < ARRAY_SIZE(fake_arch.gic_dir))
		fake_arch.gic_dir[fake_arch.gic_dir_count++] = intid;
}

void arch_gic_cpuif_init(void)
{
}

/* The guest EL1's exception registers, as plain variables. */
void arch_el1_exc_regs_read(struct exc_target *t)
{
	t->sctlr = fake_arch.el1_shared ? fake_arch.el1.sctlr : fake_arch.sctlr_el1;
	t->vbar = fake_arch.el1_shared ? fake_arch.el1.vbar : fake_arch.vbar_el1;
}

void arch_el1_exc_regs_write(const struct exc_target *t)
{
	fake_arch.injects++;
	fake_arch.inject_esr = t->esr;
	if (t->far_written)
		fake_arch.inject_far = t->far;
	fake_arch.inject_elr = t->elr;
	fake_arch.inject_spsr = t->spsr;
	if (fake_arch.el1_shared) {
		fake_arch.el1.elr = t->elr;
		fake_arch.el1.spsr = t->spsr;
		fake_arch.el1.esr = t->esr;
		if (t->far_written)
			fake_arch.el1.far = t->far;
	}
}

u64 arch_vtimer_ctl(void)
{
	return fake_arch.vtimer_ctl;
}

bool arch_guest_va_to_ipa(u64 va, bool write, u64 *ipa)
{
	fake_arch.s1_calls++;
	fake_arch.s1_va = va;
	fake_arch.s1_write = write;
	if (!fake_arch.s1_ok)
		return false;
	*ipa = fake_arch.s1_ipa | (va & 0xfff);
	return true;
}

void arch_os_lock_write(bool locked)
{
	fake_arch.os_lock = locked;
	fake_arch.os_lock_writes++;
}

u64 arch_host_actlr(void)
{
	return fake_arch.actlr_el1;
}

void arch_read_idreg_space(u64 *out)
{
	memcpy(out, fake_arch.idregs, sizeof(fake_arch.idregs));
}

void vcpu_kick(struct vcpu *vcpu)
{
	fake_arch.kicked = vcpu;
	fake_arch.kicks++;
}

/*
 * L2's GIC virtual interface: fake_vich stands for the hardware
 * registers, which a test edits between load and save as L2 would.
 */
struct vich_hw fake_vich;

void arch_vgic_nested_load(struct vcpu *vcpu, const struct vich_hw *hw)
{
	(void)vcpu;
	fake_vich = *hw;
	fake_arch.vich_loads++;
}

void arch_vgic_nested_save(struct vcpu *vcpu, struct vich_hw *hw)
{
	(void)vcpu;
	for (unsigned i = 0; i < hw->used_lrs && i < VGIC_MAX_LRS; i++)
		hw->lr[i] = fake_vich.lr[i];
	hw->hcr_exit = fake_vich.hcr;
	hw->vmcr = fake_vich.vmcr;
	memcpy(hw->ap0r, fake_vich.ap0r, sizeof(hw->ap0r));
	memcpy(hw->ap1r, fake_vich.ap1r, sizeof(hw->ap1r));
	fake_arch.vich_saves++;
}

void arch_el1_ctx_read(struct el1_ctx *c)
{
	*c = fake_arch.el1;
}

void arch_el1_ctx_write(const struct el1_ctx *c)
{
	fake_arch.el1 = *c;
}

void arch_el2_ctl_load(const struct el2_ctl *c)
{
	fake_arch.el2_ctl = *c;
	fake_arch.el2_ctl_loads++;
}

void arch_el2_policy(struct el2_policy *p)
{
	*p = fake_arch.el2_policy;
}

u64 arch_el1_vtimer_read(unsigned r)
{
	return r < 4 ? fake_arch.cntv[r] : 0;
}

void arch_el1_vtimer_write(unsigned r, u64 val)
{
	if (r < 4)
		fake_arch.cntv[r] = val;
}

void arch_par_el1_write(u64 par)
{
	fake_arch.par_el1 = par;
}

void arch_vttbr_write(u64 vttbr)
{
	fake_arch.vttbr = vttbr;
}

void arch_vgic_load(struct vcpu *vcpu)
{
	(void)vcpu;
	fake_arch.vgic_loads++;
}

void arch_vgic_save(struct vcpu *vcpu)
{
	(void)vcpu;
	fake_arch.vgic_saves++;
}

void arch_tlb_flush_guest_local(void)
{
	fake_arch.tlb_flush_local++;
}

void power_off(enum power_result r)
{
	fprintf(stderr, "fake power_off(%s)\n", r == POWER_SUCCESS ? "success" : "failure");
	exit(r == POWER_SUCCESS ? 0 : 3);
}

void nv_check_failed(const char *file, int line, const char *cond)
{
	fprintf(stderr, "NV_CHECK failed at %s:%d: %s\n", file, line, cond);
	abort();
}
