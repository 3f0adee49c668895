/*
 * Guest exit dispatch: the vector says synchronous or asynchronous; for a
 * synchronous exit ESR_EL2.EC indexes the handler table (Arm ARM D19.2,
 * ESR_EL2.EC values). The default handler injects an UNDEF.
 */
#include <nv/esr.h>
#include <nv/exit.h>
#include <nv/irq.h>
#include <nv/log.h>
#include <nv/mmio.h>
#include <nv/trap.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vm.h>
#include <nv/vpsci.h>

typedef enum exit_action (*exit_fn)(struct vcpu *vcpu, u64 esr);

const char *const exit_reason_names[EXIT_REASONS] = {
	[EXIT_R_IRQ] = "irq", [EXIT_R_WFX] = "wfx", [EXIT_R_HVC] = "hvc",
	[EXIT_R_SMC] = "smc", [EXIT_R_SYSREG] = "sysreg", [EXIT_R_MMIO] = "mmio",
	[EXIT_R_ABORT] = "abort", [EXIT_R_UNDEF] = "undef",
	[EXIT_R_SERROR] = "serror",
};

_Static_assert(EXIT_REASONS <= sizeof(((struct vcpu *)0)->exit_reasons) /
				  sizeof(u64), "vcpu exit_reasons too small");

static void count(struct vcpu *vcpu, enum exit_reason r)
{
	vcpu->exit_reasons[r]++;
}

/* ESR_ELx for an injected exception: EC, IL = 1 (32-bit instruction), ISS. */
static u64 make_esr(unsigned ec, u32 iss)
{
	return (u64)ec << 26 | ESR_IL | iss;
}

void inject_undef(struct vcpu *vcpu)
{
	count(vcpu, EXIT_R_UNDEF);
	arch_inject_sync(vcpu, make_esr(EC_UNKNOWN, 0), 0);
}

/*
 * Synchronous external abort (DFSC 0x10), same or lower EL class, with
 * WnR telling a write from a read as the original fault did.
 */
void inject_dabt(struct vcpu *vcpu, u64 far, bool write)
{
	unsigned ec = vcpu_guest_el(vcpu) ? EC_DABT_CUR : EC_DABT_LOW;

	count(vcpu, EXIT_R_ABORT);
	arch_inject_sync(vcpu, make_esr(ec, 0x10 | (write ? (u32)DABT_WNR : 0)), far);
}

void inject_iabt(struct vcpu *vcpu, u64 far)
{
	unsigned ec = vcpu_guest_el(vcpu) ? EC_IABT_CUR : EC_IABT_LOW;

	count(vcpu, EXIT_R_ABORT);
	arch_inject_sync(vcpu, make_esr(ec, 0x10), far);
}

static const char *vm_name(const struct vcpu *v)
{
	return v->vm->desc.name;
}

static enum exit_action unhandled(struct vcpu *vcpu, u64 esr)
{
	vcpu_warn(vcpu, "unhandled exit EC 0x%02x (%s) ESR 0x%llx at 0x%llx: UNDEF",
		  esr_ec(esr), esr_ec_name(esr_ec(esr)),
		(unsigned long long)esr, (unsigned long long)vcpu->regs.pc);
	inject_undef(vcpu);
	return EXIT_CONTINUE;
}

/* WFI/WFE (ISS.TI bit 0: 0 WFI, 1 WFE); the trapped instruction is skipped. */
static enum exit_action handle_wfx(struct vcpu *vcpu, u64 esr)
{
	count(vcpu, EXIT_R_WFX);
	vcpu->regs.pc += 4;
	return (esr & 1) ? EXIT_YIELD : EXIT_BLOCK;
}

static enum exit_action psci_result(struct vcpu *vcpu, enum vpsci_result r)
{
	struct vm *vm = vcpu->vm;

	switch (r) {
	case VPSCI_SUSPEND:
		return EXIT_BLOCK;
	case VPSCI_VCPU_OFF:
		__atomic_store_n(&vcpu->power, VCPU_OFF, __ATOMIC_RELEASE);
		return EXIT_STOP;
	case VPSCI_VM_OFF:
		nv_print("nestvisor: vm '%s' powered off (PSCI SYSTEM_OFF)\n",
			 vm->desc.name);
		vm_power_off(vm, false);
		return EXIT_STOP;
	case VPSCI_VM_RESET:
		nv_print("nestvisor: vm '%s' resets (PSCI SYSTEM_RESET)\n",
			 vm->desc.name);
		vm_reset(vm);
		return EXIT_CONTINUE;
	default:
		return EXIT_CONTINUE;
	}
}

/* HVC #imm (preferred return: the next instruction). Only #0 is SMCCC. */
static enum exit_action handle_hvc(struct vcpu *vcpu, u64 esr)
{
	count(vcpu, EXIT_R_HVC);
	if (esr_iss(esr) & 0xffff) {
		vcpu->regs.x[0] = (u64)(s64)-1;
		return EXIT_CONTINUE;
	}
	return psci_result(vcpu, vpsci_call(vcpu));
}

/* SMC trapped by HCR_EL2.TSC (preferred return: the SMC itself). */
static enum exit_action handle_smc(struct vcpu *vcpu, u64 esr)
{
	count(vcpu, EXIT_R_SMC);
	vcpu->regs.pc += 4;
	if (esr_iss(esr) & 0xffff) {
		vcpu->regs.x[0] = (u64)(s64)-1;
		return EXIT_CONTINUE;
	}
	return psci_result(vcpu, vpsci_call(vcpu));
}

static u64 fault_ipa(u64 far)
{
	/* HPFAR_EL2.FIPA [43:4] holds IPA[51:12]; FAR gives the page offset. */
	return (arch_exit_hpfar() >> 4) << 12 | (far & 0xfff);
}

/*
 * Stage-2 data abort: an access to emulated MMIO (Arm ARM D19.2, ISS for
 * Data Aborts: ISV, SAS, SSE, SRT, SF, WnR). Without a valid syndrome or
 * a device there, the guest gets a synchronous external abort.
 */
static enum exit_action handle_dabt(struct vcpu *vcpu, u64 esr)
{
	u64 far = arch_exit_far(), ipa = fault_ipa(far);
	const struct mmio_region *r;
	struct dabt_access d;
	struct mmio_access a;

	if (!esr_decode_dabt(esr, &d)) {
		vcpu_warn(vcpu, "access to 0x%llx (FAR 0x%llx) without a syndrome (ISV=0) at 0x%llx: external abort",
			  (unsigned long long)ipa, (unsigned long long)far,
			(unsigned long long)vcpu->regs.pc);
		inject_dabt(vcpu, far, (esr & DABT_WNR) != 0);
		return EXIT_CONTINUE;
	}
	r = mmio_bus_find(&vcpu->vm->mmio, ipa, d.size);
	a.addr = ipa;
	a.size = d.size;
	a.write = d.write;
	a.data = 0;
	if (d.write && d.reg != 31)
		a.data = vcpu->regs.x[d.reg];
	if (d.write && d.size < 8)
		a.data &= (UINT64_C(1) << (8 * d.size)) - 1;
	if (!r || !r->ops->access(vcpu, r->dev, ipa - r->base, &a)) {
		vcpu_warn(vcpu, "%u-byte %s at 0x%llx %s at 0x%llx: external abort",
			  d.size, d.write ? "write" : "read",
			(unsigned long long)ipa,
			r ? "refused by the device" : "outside RAM and devices",
			(unsigned long long)vcpu->regs.pc);
		inject_dabt(vcpu, far, d.write);
		return EXIT_CONTINUE;
	}
	count(vcpu, EXIT_R_MMIO);
	if (!d.write && d.reg != 31) {
		u64 v = a.data;

		/* SSE: sign-extend to 64 bits, then SF selects W or X (Arm ARM). */
		if (d.sign_extend && d.size < 8 && (v & (UINT64_C(1) << (8 * d.size - 1))))
			v |= ~UINT64_C(0) << (8 * d.size);
		if (!d.sixty_four)
			v &= 0xffffffffu;
		vcpu->regs.x[d.reg] = v;
	}
	vcpu->regs.pc += 4;
	return EXIT_CONTINUE;
}

/* Stage-2 instruction abort: executing outside RAM. */
static enum exit_action handle_iabt(struct vcpu *vcpu, u64 esr)
{
	u64 far = arch_exit_far();

	(void)esr;
	vcpu_warn(vcpu, "instruction fetch from 0x%llx outside RAM: external abort",
		  (unsigned long long)fault_ipa(far));
	inject_iabt(vcpu, far);
	return EXIT_CONTINUE;
}

static const exit_fn exit_handlers[64] = {
	[EC_WFX] = handle_wfx,
	[EC_HVC64] = handle_hvc,
	[EC_SMC64] = handle_smc,
	[EC_SYS64] = handle_sysreg,
	[EC_DABT_LOW] = handle_dabt,
	[EC_IABT_LOW] = handle_iabt,
};

enum exit_action handle_exit(struct vcpu *vcpu, u64 vector)
{
	u64 esr;
	exit_fn fn;

	switch (vector & 3) {
	case TRAP_IRQ:
	case TRAP_FIQ:
		count(vcpu, EXIT_R_IRQ);
		irq_handle();
		return EXIT_CONTINUE;
	case TRAP_SERROR:
		count(vcpu, EXIT_R_SERROR);
		pr_err("vm '%s' vcpu%u: SError (ESR 0x%llx): stopping the VM\n",
		       vm_name(vcpu), vcpu->id,
		       (unsigned long long)arch_exit_esr());
		vm_power_off(vcpu->vm, true);
		return EXIT_STOP;
	default:
		break;
	}
	esr = arch_exit_esr();
	fn = exit_handlers[esr_ec(esr)];
	return (fn ? fn : unhandled)(vcpu, esr);
}
