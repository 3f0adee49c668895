/*
 * The test hypervisor with a guest of two vCPUs on its two CPUs (hv.c
 * runs the guest): vCPU 0 starts vCPU 1 with PSCI CPU_ON (an HVC the
 * hypervisor handles, SMCCC/PSCI calling convention), which the
 * hypervisor runs on its second CPU, started with PSCI CPU_ON over the
 * DT's conduit (the second CPU enters at EL2 too). vCPU 1 reads its
 * MPIDR_EL1 (VMPIDR_EL2 as set on that CPU) and writes it to memory both
 * share; vCPU 0 sees it and asks for an IPI: CPU 0 sends a physical SGI to
 * CPU 1, which takes vCPU 1 out of its WFI to EL2 and injects a virtual
 * interrupt through CPU 1's list register. No stage 2 (HCR_EL2.VM 0):
 * both vCPUs see the same memory.
 *
 * Only CPU 0 prints: CPU 1 leaves what it saw in smp_result and powers
 * itself off (CPU_OFF) when its vCPU is done.
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

/* hv_el1.S */
extern char hv_el1_vectors[], el1_smp0[], el1_smp1[];

#define PSCI_INTERNAL_FAILURE	(-6)

#define SMP_KICK_SGI	1	/* CPU 0 -> CPU 1, at EL2 */
#define SMP_VINTID	3	/* the virtual IPI */
#define SMP_CTX		0x5eed000000c0ffeeUL
#define VMPIDR_VCPU(n)	(BIT(31) | (n))
#define LR_VIPI		((1UL << 62) | BIT(60) | (0xa0UL << 48) | SMP_VINTID)

static volatile u64 mailbox __attribute__((aligned(64)));
static struct hv_vcpu vcpu1;
static u8 el1_stack1[4096] __attribute__((aligned(16)));

static struct {
	volatile bool started, done;
	u64 entry_elr, x0, x6, mpidr, iar, irqs, kicks, irq_exits, hcr;
	bool hvc;
} smp_result;

/* On CPU 1: the kick, injected into vCPU 1 as a virtual interrupt. */
static void smp_kick(u32 intid)
{
	(void)intid;
	smp_result.kicks++;
	write_sysreg(ICH_LR0_EL2, LR_VIPI);
	isb();
}

/* CPU 1 at EL2 (started by CPU_ON): vCPU 1 from its entry point to its last HVC. */
static void smp_cpu1(u64 entry)
{
	unsigned exits0;

	if (hv_vhe)
		vhe_cpu_enter();
	exits0 = irq_exits[this_cpu()];
	gic_cpu_init();
	gic_enable(SMP_KICK_SGI);
	gic_enable(hyp_intid);	/* the guard, on this CPU's redistributor */
	write_sysreg(hcr_el2, HCR_HOST);
	write_sysreg(vmpidr_el2, VMPIDR_VCPU(1));
	write_sysreg(ICH_LR0_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	write_sysreg(ICH_HCR_EL2, 1);	/* En */
	l2_write(sctlr_el1, SCTLR_EL12, SCTLR_EL1_RES1);
	l2_write(vbar_el1, VBAR_EL12, (u64)(uintptr_t)hv_el1_vectors);
	write_sysreg(sp_el1, (u64)(uintptr_t)(el1_stack1 + sizeof(el1_stack1)));
	isb();
	memset(&vcpu1, 0, sizeof(vcpu1));
	vcpu1.elr = entry;
	vcpu1.spsr = SPSR_EL1H_DAIF;
	vcpu1.x[0] = SMP_CTX;
	vcpu1.x[6] = (u64)(uintptr_t)&mailbox;
	smp_result.entry_elr = entry;
	smp_result.hcr = read_sysreg(hcr_el2);
	__atomic_store_n(&smp_result.started, true, __ATOMIC_SEQ_CST);

	run_serviced_vcpu(&vcpu1, HCR_GUEST);
	if (vcpu1.kind == HV_EXIT_SYNC && ESR_EC(vcpu1.esr) == EC_HVC64 &&
	    (vcpu1.esr & 0xffff) == HV_HVC_IRQ) {
		smp_result.iar = vcpu1.x[20] & 0xffffff;
		run_serviced_vcpu(&vcpu1, HCR_GUEST);
	}
	smp_result.hvc = vcpu1.kind == HV_EXIT_SYNC && ESR_EC(vcpu1.esr) == EC_HVC64 &&
			 (vcpu1.esr & 0xffff) == HV_HVC_SMP1;
	smp_result.x0 = vcpu1.x[0];
	smp_result.mpidr = vcpu1.x[1];
	smp_result.irqs = vcpu1.x[23];
	smp_result.irq_exits = irq_exits[this_cpu()] - exits0;
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICH_LR0_EL2, 0);
	gic_disable(SMP_KICK_SGI);
	isb();
	__atomic_store_n(&smp_result.done, true, __ATOMIC_SEQ_CST);
}

void test_smp(bool gic_ok)
{
	u64 mpidr = read_sysreg(mpidr_el1);
	s64 on = PSCI_NOT_SUPPORTED;
	bool t, call, ipi = false, end = false, done;

	if (nr_cpus < 2 || !gic_ok) {
		skip("one CPU", "a guest with two vCPUs on two CPUs");
		return;
	}
	memset(&smp_result, 0, sizeof(smp_result));
	mailbox = 0;
	dc_civac(&mailbox);
	irq_set_handler(SMP_KICK_SGI, smp_kick);
	write_sysreg(vmpidr_el2, VMPIDR_VCPU(0));
	isb();
	vcpu_reset(el1_smp0);
	vcpu.x[1] = VMPIDR_VCPU(1);
	vcpu.x[2] = (u64)(uintptr_t)el1_smp1;
	vcpu.x[3] = SMP_CTX;
	vcpu.x[6] = (u64)(uintptr_t)&mailbox;
	run(HCR_GUEST);
	t = expect_exit(EC_HVC64, "PSCI CPU_ON");
	call = t && (vcpu.esr & 0xffff) == 0 && (u32)vcpu.x[0] == PSCI_CPU_ON64 &&
	       vcpu.x[1] == VMPIDR_VCPU(1) && vcpu.x[2] == (u64)(uintptr_t)el1_smp1 && vcpu.x[3] == SMP_CTX;
	ok(call, "SMP: vCPU 0's PSCI CPU_ON (HVC #0, x0 0xc4000003) reaches EL2 with the target MPIDR, entry point, context id");
	if (call) {
		/* vCPU 1 on CPU 1: the hypervisor's own CPU_ON, the guest's entry point as its argument. */
		on = cpu_start(1, smp_cpu1, vcpu.x[2]);
		vcpu.x[0] = on == PSCI_SUCCESS ? PSCI_SUCCESS : (u64)PSCI_INTERNAL_FAILURE;
		run(HCR_GUEST);
		ipi = exit_is_hvc(HV_HVC_SMP_IPI);
		if (!ipi)
			describe_exit("SMP: vCPU 0 waiting for vCPU 1");
	}
	check_eq((u64)on, PSCI_SUCCESS, "SMP: the hypervisor's PSCI CPU_ON of its second CPU (the DT's conduit) succeeds");
	dc_civac(&mailbox);
	check_eq(ipi ? vcpu.x[5] : ~0UL, VMPIDR_VCPU(1),
		 "SMP: vCPU 1 runs on CPU 1; vCPU 0 sees its MPIDR_EL1 (CPU 1's VMPIDR_EL2) in the memory they share");
	check_eq(mailbox, VMPIDR_VCPU(1), "SMP: the hypervisor sees the same value there");
	if (ipi) {
		gic_send_sgi(SMP_KICK_SGI, cpu_mpidr[1]);
		run(HCR_GUEST);
		end = exit_is_hvc(HV_HVC_SMP0);
		if (!end)
			describe_exit("SMP: vCPU 0's end");
	}
	done = WAIT_UNTIL(__atomic_load_n(&smp_result.done, __ATOMIC_SEQ_CST), 2000000);
	ok(end && done, "SMP: both vCPUs end with their last HVC (vCPU 1's within 2 s)");
	diag_env("SMP: CPU 1 entry 0x%lx, vCPU 1 x0 0x%lx MPIDR_EL1 0x%lx, virtual IPI %lu, IRQs %lu, kicks %lu, IRQ exits %lu; CPU 0 MPIDR 0x%lx",
	     smp_result.entry_elr, smp_result.x0, smp_result.mpidr, smp_result.iar, smp_result.irqs,
	     smp_result.kicks, smp_result.irq_exits, mpidr);
	if (hv_vhe)
		ok(done && (smp_result.hcr & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE),
		   "SMP: CPU 1 runs its host side with HCR_EL2.E2H and TGE 1 too (VHE)");
	ok(done && smp_result.entry_elr == (u64)(uintptr_t)el1_smp1 && smp_result.x0 == SMP_CTX,
	   "SMP: vCPU 1 entered at CPU_ON's entry point with x0 = its context id");
	ok(done && smp_result.kicks == 1 && smp_result.irq_exits >= 1,
	   "SMP: the SGI CPU 0 sent reaches CPU 1 at EL2 (vCPU 1 exits with an IRQ), once");
	check_eq(done ? smp_result.iar : ~0UL, SMP_VINTID,
		 "SMP: injected through CPU 1's ICH_LR0_EL2, vCPU 1 acknowledges the virtual IPI (vINTID 3)");
	ok(done && smp_result.hvc && smp_result.irqs == 1, "SMP: vCPU 1 took one virtual IRQ and left its WFI loop");
	ok(WAIT_UNTIL(!__atomic_load_n(&percpu[1].online, __ATOMIC_SEQ_CST), 1000000),
	   "SMP: CPU 1 powered off (PSCI CPU_OFF) after its vCPU");
	irq_set_handler(SMP_KICK_SGI, NULL);
	write_sysreg(vmpidr_el2, mpidr);
	isb();
}
