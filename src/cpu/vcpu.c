/* vCPU reset (Arm ARM D1.9, "reset" values the architecture leaves to us). */
#include <stdarg.h>
#include <string.h>
#include <nv/fmt.h>
#include <nv/log.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vm.h>

void vcpu_reset(struct vcpu *vcpu, u64 pc, u64 x0)
{
	vcpu->reset_pc = pc;
	vcpu->reset_x0 = x0;
	__atomic_store_n(&vcpu->reset_pending, true, __ATOMIC_RELEASE);
	__atomic_store_n(&vcpu->power, VCPU_ON, __ATOMIC_RELEASE);
}

void vcpu_apply_reset(struct vcpu *vcpu)
{
	u64 vpidr = vcpu->sys.vpidr_el2;

	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	memset(&vcpu->sys, 0, sizeof(vcpu->sys));
	memset(&vcpu->fp, 0, sizeof(vcpu->fp));
	memset(&vcpu->debug, 0, sizeof(vcpu->debug));
	memset(&vcpu->ptimer, 0, sizeof(vcpu->ptimer));
	vcpu->regs.pc = vcpu->reset_pc;
	vcpu->regs.x[0] = vcpu->reset_x0;
	vcpu->regs.pstate = PSTATE_EL1H_DAIF;
	vcpu->sys.sctlr_el1 = SCTLR_EL1_RESET;
	/* MPIDR_EL1 as the guest reads it: bit 31 RES1, U = 0, MT = 0. */
	vcpu->sys.vmpidr_el2 = BIT(31) | vcpu->mpidr;
	vcpu->sys.vpidr_el2 = vpidr;
	/* OSLSR_EL1.OSLK is 1 after a cold reset (Arm ARM D2.5, "The OS Lock"),
	 * as KVM resets it: the guest unlocks it to use debug. */
	vcpu->debug.os_lock = true;
	vcpu->wfi = false;
	/*
	 * A forwarded timer interrupt of the old life is not the new one's,
	 * and the virtual CPU interface restarts idle: no active priorities
	 * (ICH_AP0R<n>_EL2, ICH_AP1R<n>_EL2), reset control (ICH_VMCR_EL2).
	 */
	vcpu->vtimer_active = false;
	vcpu->vgic.vmcr = 0;
	memset(vcpu->vgic.ap0r, 0, sizeof(vcpu->vgic.ap0r));
	memset(vcpu->vgic.ap1r, 0, sizeof(vcpu->vgic.ap1r));
	vcpu->reset_pending = false;
	if (vcpu->nested)
		vel2_reset(vcpu);
}

void vcpu_warn(struct vcpu *vcpu, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	u32 n = __atomic_fetch_add(&vcpu->warnings, 1, __ATOMIC_RELAXED);

	if (n > VCPU_WARN_LIMIT || log_get_level() < LOG_WARN)
		return;
	if (n == VCPU_WARN_LIMIT) {
		pr_warn("vm '%s' vcpu%u: further warnings about this vCPU are suppressed\n",
			vcpu->vm->desc.name, vcpu->id);
		return;
	}
	va_start(ap, fmt);
	nv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_warn("vm '%s' vcpu%u: %s\n", vcpu->vm->desc.name, vcpu->id, msg);
}
