/*
 * The short path of an exit: one nestvisor answers from the vCPU's own
 * registers, so that nothing the full path saves, syncs or rebuilds (list
 * registers, timer lines, the EL2 timer, the run loop's decisions) can
 * have changed and the guest is entered again at once. Today: the SMCCC
 * calls of vpsci_fast_call() over HVC #0 (Arm ARM D19.2, ESR_EL2.EC 0x16,
 * preferred return past the HVC) or SMC #0 trapped by HCR_EL2.TSC (EC
 * 0x17, preferred return the SMC itself).
 */
#include <nv/esr.h>
#include <nv/exit.h>
#include <nv/trap.h>
#include <nv/vcpu.h>
#include <nv/vpsci.h>

bool handle_exit_fast(struct vcpu *vcpu, u64 vector)
{
	u64 esr = vcpu->regs.esr_el2;
	unsigned ec = esr_ec(esr);
	bool smc = ec == EC_SMC64;

	u64 *reason = &vcpu->exit_reasons[smc ? EXIT_R_SMC : EXIT_R_HVC];

	if ((vector & 3) != TRAP_SYNC || (ec != EC_HVC64 && !smc) ||
	    (esr_iss(esr) & 0xffff) || !vpsci_is_pure((u32)vcpu->regs.x[0]))
		return false;
	/* Counted first: NV_HC_EXIT_COUNT includes its own exit. */
	vcpu->exits++;
	(*reason)++;
	vpsci_fast_call(vcpu);
	if (smc)
		vcpu->regs.pc += 4;
	return true;
}
