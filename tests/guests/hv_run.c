/*
 * The test hypervisors' shared EL2 side (hv.c, hv_hostile.c): the EL1
 * guest's context and running it under the guard (the EL2 physical timer
 * 1 s ahead, HCR_EL2.IMO set), physical interrupts serviced at EL2 while
 * it runs, the exit checks, and the GIC set-up that arms the guard.
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

extern char hv_el1_vectors[];	/* hv_el1.S */
extern char _image_end[];	/* guest.ld */

struct hv_vcpu vcpu;
bool hv_vhe;
static u8 el1_stack[4096] __attribute__((aligned(16)));
u32 hyp_intid;
bool guard_armed_ok;
bool guard_fired[MAX_CPUS];
unsigned irq_exits[MAX_CPUS];

static const char *const exit_names[] = { "sync", "IRQ", "FIQ", "SError" };

void describe_exit(const char *what)
{
	u64 kind = vcpu.kind;

	if (kind == HV_EXIT_SYNC && ESR_EC(vcpu.esr) == EC_HVC64 &&
	    (vcpu.esr & 0xffff) == HV_HVC_EL1_EXC) {
		diag("%s: the guest took an exception at EL1: ESR_EL1 0x%lx ELR_EL1 0x%lx FAR_EL1 0x%lx vector %lu",
		     what, vcpu.x[0], vcpu.x[1], vcpu.x[2], vcpu.x[3]);
		return;
	}
	diag("%s: exit %s (kind %lu): ESR_EL2 0x%lx (EC 0x%lx) ELR_EL2 0x%lx FAR_EL2 0x%lx HPFAR_EL2 0x%lx SPSR_EL2 0x%lx",
	     what, kind >= 8 && kind < 12 ? exit_names[kind - 8] : "?", kind, vcpu.esr,
	     ESR_EC(vcpu.esr), vcpu.elr, vcpu.far, vcpu.hpfar, vcpu.spsr);
	if (kind == HV_EXIT_IRQ && guard_fired[this_cpu()])
		diag("%s: the guest did not come back within %u ms (the guard interrupt)", what,
		     GUARD_US / 1000);
}

void vcpu_init(struct hv_vcpu *v, const char *entry, void *stack_top)
{
	memset(v, 0, sizeof(*v));
	v->elr = (u64)(uintptr_t)entry;
	v->spsr = SPSR_EL1H_DAIF;
	l2_write(sctlr_el1, SCTLR_EL12, SCTLR_EL1_RES1);
	l2_write(vbar_el1, VBAR_EL12, (u64)(uintptr_t)hv_el1_vectors);
	write_sysreg(sp_el1, (u64)(uintptr_t)stack_top);
	isb();
}

void vcpu_reset(const char *entry)
{
	vcpu_init(&vcpu, entry, el1_stack + sizeof(el1_stack));
}

u64 run(u64 hcr)
{
	return run_vcpu(&vcpu, hcr);
}

/* CNTHP_CVAL_EL2 as each CPU's guard last set it (0: not armed here). */
static u64 guard_deadline[MAX_CPUS];

static void guard_arm(u64 us)
{
	if (guard_armed_ok) {
		guard_deadline[this_cpu()] = pcount() + us_to_ticks(us);
		write_sysreg(cnthp_cval_el2, guard_deadline[this_cpu()]);
		write_sysreg(cnthp_ctl_el2, CTL_ENABLE);
	}
}

void guard_start(void)
{
	guard_arm(GUARD_BATCH_US);
}

void guard_stop(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
}

u64 run_vcpu_unguarded(struct hv_vcpu *v, u64 hcr)
{
	u64 kind;

	write_sysreg(hcr_el2, hcr);
	isb();
	kind = hv_enter(v);
	/*
	 * ISTATUS only once the count has reached the guard's CVAL (before,
	 * it cannot be the guard): CNTPCT_EL0 is read without a trap, the
	 * EL2 timer's CTL traps at a virtual EL2.
	 */
	guard_fired[this_cpu()] = kind == HV_EXIT_IRQ && pcount() >= guard_deadline[this_cpu()] &&
				  (read_sysreg(cnthp_ctl_el2) & CTL_ISTATUS);
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
	return kind;
}

u64 run_vcpu(struct hv_vcpu *v, u64 hcr)
{
	u64 kind;

	guard_arm(GUARD_US);
	kind = run_vcpu_unguarded(v, hcr);
	guard_stop();
	return kind;
}

void service_irqs(void)
{
	struct percpu *pc = this_percpu();
	unsigned before = pc->irq_entries;

	local_irq_enable();
	WAIT_UNTIL(pc->irq_entries != before, 100000);
	local_irq_disable();
}

u64 run_serviced_vcpu(struct hv_vcpu *v, u64 hcr)
{
	u64 kind = run_vcpu(v, hcr);

	for (unsigned n = 0; n < 32 && kind == HV_EXIT_IRQ && !guard_fired[this_cpu()]; n++) {
		irq_exits[this_cpu()]++;
		service_irqs();
		kind = run_vcpu(v, hcr);
	}
	return kind;
}

u64 run_serviced(u64 hcr)
{
	return run_serviced_vcpu(&vcpu, hcr);
}

bool exit_is_hvc(u16 imm)
{
	return vcpu.kind == HV_EXIT_SYNC && ESR_EC(vcpu.esr) == EC_HVC64 &&
	       (vcpu.esr & 0xffff) == imm;
}

bool expect_hvc(u16 imm, const char *what)
{
	if (exit_is_hvc(imm))
		return true;
	describe_exit(what);
	return false;
}

bool resume_until_hvc(u64 hcr, u16 imm, const char *what)
{
	vcpu.elr += 4;
	run(hcr);
	return expect_hvc(imm, what);
}

bool expect_exit(unsigned ec, const char *what)
{
	if (vcpu.kind == HV_EXIT_SYNC && ESR_EC(vcpu.esr) == ec)
		return true;
	describe_exit(what);
	return false;
}

void dc_civac(const volatile void *p)
{
	__asm__ volatile("dsb sy\n\tdc civac, %0\n\tdsb sy" :: "r"(p) : "memory");
}

void clean_page(volatile u64 *page)
{
	for (unsigned i = 0; i < 512; i += 8)
		dc_civac(&page[i]);
}

u64 s2_vtcr(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	if (parange > 5)
		parange = 5;
	return BIT(31) | (parange << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | (1UL << 6) | 32;
}

u64 s2_image_blocks(void)
{
	return ((u64)(uintptr_t)_image_end - RAM_BASE + SZ_2M - 1) / SZ_2M;
}

u64 s2_map_image(u64 *l1, u64 *l2)
{
	u64 nblocks = s2_image_blocks();

	memset(l1, 0, 4096);
	memset(l2, 0, 4096);
	l1[RAM_BASE >> 30] = (u64)(uintptr_t)l2 | S2_TABLE;
	for (u64 i = 0; i < nblocks; i++)
		l2[i] = (RAM_BASE + i * SZ_2M) | S2_BLOCK;
	return nblocks;
}

/* ---- the GIC and the EL2 timer's PPI (the guard) ----------------------------------------- */

bool hv_setup_gic(irq_handler_t hyp_irq)
{
	u64 sre = read_sysreg(ICC_SRE_EL2);

	if (!(sre & 1)) {
		write_sysreg(ICC_SRE_EL2, sre | 9);
		isb();
	}
	if (!timer_ppi(3, &hyp_intid)) {
		diag("no EL2 physical timer interrupt (4th of the arm,armv8-timer node) in the DT");
		return false;
	}
	if (!gic_init())
		return false;
	irq_set_handler(hyp_intid, hyp_irq);
	gic_enable(hyp_intid);
	return true;
}

