/*
 * The PSCI 1.1 firmware interface a guest sees, over HVC or SMC (Arm DEN
 * 0022E, chapter 5), and the SMCCC 1.1 discovery calls (Arm DEN 0028,
 * 7.2-7.3). Unknown function IDs return NOT_SUPPORTED.
 */
#include <nv/arm_regs.h>
#include <nv/exit.h>
#include <nv/log.h>
#include <nv/psci.h>
#include <nv/sched.h>
#include <nv/vcpu.h>
#include <nv/vm.h>
#include <nv/vpsci.h>

#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
/* MIGRATE_INFO_TYPE: no Trusted OS that would need migrating (5.9). */
#define PSCI_TOS_NOT_PRESENT 2

static const u32 implemented[] = {
	PSCI_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64, PSCI_CPU_OFF,
	PSCI_CPU_ON_32, PSCI_CPU_ON_64, PSCI_MIGRATE_INFO_TYPE,
	PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64, PSCI_SYSTEM_OFF,
	PSCI_SYSTEM_RESET, PSCI_FEATURES, SMCCC_VERSION,
};

/* CPU_ON (5.6): entry point and context id for a powered-off vCPU. */
static s64 cpu_on(struct vcpu *vcpu, u64 target, u64 entry, u64 ctx, bool is32)
{
	struct vm *vm = vcpu->vm;
	struct vcpu *t;
	s64 rc = PSCI_SUCCESS;

	if (is32) {
		target &= 0xffffffffu;
		entry &= 0xffffffffu;
		ctx &= 0xffffffffu;
	}
	t = vm_find_vcpu(vm, target);
	if (!t || (target & ~MPIDR_AFF_MASK))
		return PSCI_INVALID_PARAMETERS;
	spin_lock(&vm->lock);
	if (t->power == VCPU_ON)
		rc = t->reset_pending ? PSCI_ON_PENDING : PSCI_ALREADY_ON;
	else
		vcpu_reset(t, entry, ctx);
	spin_unlock(&vm->lock);
	if (rc == PSCI_SUCCESS)
		vcpu_kick(t);
	return rc;
}

/* AFFINITY_INFO (5.7): 0 ON, 1 OFF, 2 ON_PENDING; level 0 only. */
static s64 affinity_info(struct vcpu *vcpu, u64 target, u64 level)
{
	struct vcpu *t = vm_find_vcpu(vcpu->vm, target);

	if (!t || level != 0)
		return PSCI_INVALID_PARAMETERS;
	if (t->power == VCPU_OFF)
		return 1;
	return t->reset_pending ? 2 : 0;
}

static s64 features(u64 fid)
{
	for (unsigned i = 0; i < ARRAY_SIZE(implemented); i++)
		if (implemented[i] == (u32)fid && (fid >> 32) == 0)
			return 0;
	return PSCI_NOT_SUPPORTED;
}

/*
 * The calls that change a vCPU's or the VM's power state; every other
 * function ID is answered by pure_call().
 */
bool vpsci_is_pure(u32 fid)
{
	switch (fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return false;
	default:
		return true;
	}
}

/*
 * The calls answered from the caller's registers and read-only state
 * alone (no other vCPU, interrupt or timer changes), for every fid
 * vpsci_is_pure() accepts. Both vpsci_call() and the fast exit path use it.
 */
static s64 pure_call(struct vcpu *vcpu, u32 fid)
{
	u64 *x = vcpu->regs.x;

	/* SMC32/HVC32 calls ignore the upper halves of their arguments. */
	switch (fid) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_1;
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		return affinity_info(vcpu, fid == PSCI_AFFINITY_INFO_32 ?
						 (x[1] & 0xffffffffu) : x[1],
				   x[2] & 0xffffffffu);
	case PSCI_FEATURES:
		return features(x[1] & 0xffffffffu);
	case SMCCC_VERSION:
		return SMCCC_VERSION_1_1;
	case NV_HC_EXIT_COUNT:
		x[1] = vcpu->exit_reasons[EXIT_R_IRQ];
		x[2] = vcpu->exit_reasons[EXIT_R_MMIO];
		x[3] = vcpu->exit_reasons[EXIT_R_SYSREG];
		return (s64)vcpu->exits;
	case SMCCC_ARCH_FEATURES:
		/* No ARCH_WORKAROUND_n calls are offered. */
		return x[1] == SMCCC_VERSION ? 0 : PSCI_NOT_SUPPORTED;
	default:
		/* Unknown function IDs: NOT_SUPPORTED (Arm DEN 0028, 7.1). */
		if (log_get_level() >= LOG_DEBUG)
			pr_debug("vm '%s' vcpu%u: unknown SMCCC function 0x%x\n",
				 vcpu->vm->desc.name, vcpu->id, fid);
		return PSCI_NOT_SUPPORTED;
	}
}

void vpsci_fast_call(struct vcpu *vcpu)
{
	vcpu->regs.x[0] = (u64)pure_call(vcpu, (u32)vcpu->regs.x[0]);
}

enum vpsci_result vpsci_call(struct vcpu *vcpu)
{
	u64 *x = vcpu->regs.x;
	u32 fid = (u32)x[0];
	s64 r;

	if (vpsci_is_pure(fid)) {
		x[0] = (u64)pure_call(vcpu, fid);
		return VPSCI_CONTINUE;
	}
	switch (fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		r = cpu_on(vcpu, x[1], x[2], x[3], fid == PSCI_CPU_ON_32);
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/*
		 * CPU_SUSPEND (5.4): every power state is treated as standby,
		 * which the spec allows: the call returns SUCCESS once a
		 * wake-up event (an interrupt) is pending.
		 */
		x[0] = PSCI_SUCCESS;
		return VPSCI_SUSPEND;
	case PSCI_CPU_OFF:
		return VPSCI_VCPU_OFF;
	case PSCI_SYSTEM_OFF:
		return VPSCI_VM_OFF;
	case PSCI_SYSTEM_RESET:
		return VPSCI_VM_RESET;
	default: /* not reached: vpsci_is_pure() took every other ID */
		r = PSCI_NOT_SUPPORTED;
		break;
	}
	x[0] = (u64)r;
	return VPSCI_CONTINUE;
}
