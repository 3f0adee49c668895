/*
 * Guest exit dispatch: the vector says synchronous or asynchronous; for a
 * synchronous exit ESR_EL2.EC indexes the handler table (Arm ARM D19.2,
 * ESR_EL2.EC values). The default handler injects an UNDEF.
 */
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/exc_entry.h>
#include <nv/exit.h>
#include <nv/irq.h>
#include <nv/log.h>
#include <nv/mmio.h>
#include <nv/trap.h>
#include <nv/vcpu_nested.h>
#include <nv/vel2.h>
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

/*
 * The features of the guest's ID registers that exception entry depends
 * on (AArch64.TakeException tests them with IsFeatureImplemented): PAN
 * (ID_AA64MMFR1_EL1 [23:20]), UAO (ID_AA64MMFR2_EL1 [7:4]), SSBS, MTE
 * and NMI (ID_AA64PFR1_EL1 [7:4], [11:8], [39:36]).
 */
u32 exit_exc_features(const struct vcpu *vcpu)
{
	u64 mmfr1 = vcpu_idreg(vcpu, 7, 1), mmfr2 = vcpu_idreg(vcpu, 7, 2);
	u64 pfr1 = vcpu_idreg(vcpu, 4, 1);
	u32 f = 0;

	f |= id_field(mmfr1, 20) ? EXC_F_PAN : 0;
	f |= id_field(mmfr2, 4) ? EXC_F_UAO : 0;
	f |= id_field(pfr1, 4) ? EXC_F_SSBS : 0;
	f |= id_field(pfr1, 8) ? EXC_F_MTE : 0;
	f |= id_field(pfr1, 36) ? EXC_F_NMI : 0;
	return f;
}

/* A synchronous exception taken to the guest's EL1 (vCPU loaded). */
static void inject_sync(struct vcpu *vcpu, u64 esr, const u64 *far)
{
	struct exc_target t = {
		.el = 1,
		.features = exit_exc_features(vcpu),
	};

	/* At vEL2 the exception is L1's own, taken to its EL2. */
	if (vcpu->nested && !vcpu->nested->in_l2) {
		vel2_take(vcpu, EXC_SYNC, esr, far);
		return;
	}
	arch_el1_exc_regs_read(&t);
	exc_enter(&vcpu->regs, &t, EXC_SYNC, esr, far);
	arch_el1_exc_regs_write(&t);
}

/* UNDEFINED: EC 0 ("Unknown reason"), FAR untouched (UNKNOWN). */
void inject_undef(struct vcpu *vcpu)
{
	count(vcpu, EXIT_R_UNDEF);
	inject_sync(vcpu, make_esr(EC_UNKNOWN, 0), NULL);
}

/*
 * A synchronous external abort (FSC 0x10, not on a table walk), same or
 * lower EL class, with WnR telling a write from a read as the original
 * fault did. fnv: FAR is not valid (ISS.FnV set, FAR_EL1 UNKNOWN).
 */
static void inject_sea(struct vcpu *vcpu, bool data, u64 far, bool write,
		       bool fnv)
{
	unsigned ec = data ? (psr_el(vcpu->regs.pstate) ? EC_DABT_CUR : EC_DABT_LOW) :
			     (psr_el(vcpu->regs.pstate) ? EC_IABT_CUR : EC_IABT_LOW);
	u32 iss = FSC_SEA | (write ? (u32)DABT_WNR : 0) |
		  (fnv ? (u32)DABT_FNV : 0);

	count(vcpu, EXIT_R_ABORT);
	inject_sync(vcpu, make_esr(ec, iss), fnv ? NULL : &far);
}

void inject_dabt(struct vcpu *vcpu, u64 far, bool write)
{
	inject_sea(vcpu, true, far, write, false);
}

void inject_iabt(struct vcpu *vcpu, u64 far)
{
	inject_sea(vcpu, false, far, false, false);
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

/*
 * The faulting IPA of a stage-2 abort. HPFAR_EL2.FIPA [47:4] holds
 * IPA[55:12] where esr_hpfar_valid() says it is defined; FAR gives the page
 * offset. For a permission fault not on a stage-1 walk HPFAR_EL2 is
 * UNKNOWN, and, as KVM does, the guest's own stage 1 translates FAR
 * (arch_guest_va_to_ipa: AT S1E1R/W, which reports instead of faulting).
 * IPA_NONE when there is no IPA to be had (external aborts, alignment, TLB
 * conflicts, FnV); IPA_RETRY when the guest's stage 1 no longer maps FAR
 * (another vCPU changed it since the fault): as KVM does, the guest runs
 * the instruction again and takes whatever fault it now gives.
 */
enum fault_ipa { IPA_FOUND, IPA_NONE, IPA_RETRY };

static enum fault_ipa fault_ipa(const struct vcpu *vcpu, u64 esr, u64 *ipa)
{
	u64 far = vcpu->regs.far_el2;

	if (esr_hpfar_valid(esr)) {
		*ipa = (vcpu->regs.hpfar_el2 >> 4) << 12 | (far & 0xfff);
		return IPA_FOUND;
	}
	if (!esr_is_permission_fault(esr) || (esr & DABT_FNV))
		return IPA_NONE;
	return arch_guest_va_to_ipa(far, esr_ec(esr) == EC_DABT_LOW &&
					 (esr & DABT_WNR), ipa) ?
		       IPA_FOUND : IPA_RETRY;
}

/*
 * An abort that is not a stage-2 fault nestvisor can resolve: a
 * synchronous external abort (routed here by HCR_EL2.TEA), or a fault
 * with no IPA (fault_ipa()). The guest gets
 * the external abort it would have seen without the hypervisor; FAR is
 * passed on unless ISS.FnV says it is not valid.
 */
static enum exit_action reflect_abort(struct vcpu *vcpu, u64 esr, bool data)
{
	unsigned fsc = esr_iss(esr) & DABT_DFSC;
	bool fnv = (esr & DABT_FNV) != 0;

	vcpu_warn(vcpu, "%s abort (%s, FSC 0x%02x) at 0x%llx, FAR 0x%llx%s: external abort",
		  data ? "data" : "instruction", esr_fsc_name(fsc), fsc,
		  (unsigned long long)vcpu->regs.pc,
		  (unsigned long long)vcpu->regs.far_el2,
		  fnv ? " (not valid)" : "");
	inject_sea(vcpu, data, vcpu->regs.far_el2,
		   data && (esr & DABT_WNR), fnv);
	return EXIT_CONTINUE;
}

/*
 * Stage-2 data abort: an access to emulated MMIO (Arm ARM D19.2, ISS for
 * Data Aborts: ISV, SAS, SSE, SRT, SF, WnR). Without a valid syndrome or
 * a device there, the guest gets a synchronous external abort.
 */
static __attribute__((always_inline)) inline enum exit_action
emulate_mmio(struct vcpu *vcpu, u64 esr, u64 ipa)
{
	u64 far = vcpu->regs.far_el2;
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

enum exit_action exit_mmio_at(struct vcpu *vcpu, u64 esr, u64 ipa)
{
	return emulate_mmio(vcpu, esr, ipa);
}

static enum exit_action handle_dabt(struct vcpu *vcpu, u64 esr)
{
	u64 ipa;

	switch (fault_ipa(vcpu, esr, &ipa)) {
	case IPA_NONE:
		return reflect_abort(vcpu, esr, true);
	case IPA_RETRY:
		count(vcpu, EXIT_R_ABORT);
		return EXIT_CONTINUE;
	case IPA_FOUND:
		break;
	}
	return emulate_mmio(vcpu, esr, ipa);
}

/* Stage-2 instruction abort: executing outside RAM. */
static enum exit_action handle_iabt(struct vcpu *vcpu, u64 esr)
{
	u64 far = vcpu->regs.far_el2, ipa;

	switch (fault_ipa(vcpu, esr, &ipa)) {
	case IPA_NONE:
		return reflect_abort(vcpu, esr, false);
	case IPA_RETRY:
		count(vcpu, EXIT_R_ABORT);
		return EXIT_CONTINUE;
	case IPA_FOUND:
		break;
	}
	vcpu_warn(vcpu, "instruction fetch from 0x%llx outside RAM: external abort",
		  (unsigned long long)ipa);
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
		       (unsigned long long)vcpu->regs.esr_el2);
		vm_power_off(vcpu->vm, true);
		return EXIT_STOP;
	default:
		break;
	}
	esr = vcpu->regs.esr_el2;
	fn = exit_handlers[esr_ec(esr)];
	return (fn ? fn : unhandled)(vcpu, esr);
}
