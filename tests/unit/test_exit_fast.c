/*
 * Host tests of the exit short path (src/cpu/exit_fast.c and
 * vpsci_fast_call): which exits it takes (HVC #0 / SMC #0 with an SMCCC
 * call answered from the caller's registers), what it leaves to the full
 * path (calls with effects, other immediates, other exceptions,
 * interrupts), and that what it does is what the full path would do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/esr.h>
#include <nv/exit.h>
#include <nv/fake_arch.h>
#include <nv/psci.h>
#include <nv/trap.h>
#include <nv/vcpu.h>
#include <nv/vm.h>
#include <nv/vpsci.h>
#include "helpers.h"

#define NR_VCPUS 2
#define PC 0x40001000u

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];

static int setup(void **state)
{
	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	ut_vm_init(&vm, vcpus, NR_VCPUS);
	strcpy(vm.desc.name, "fast");
	ut_vcpus_power_on(vcpus, 1, PC, 0x3c5);
	return 0;
}

/* ESR_EL2 of HVC/SMC #imm (Arm ARM D19.2: EC, IL, ISS.imm16). */
static u64 esr_call(unsigned ec, u32 imm)
{
	return (u64)ec << 26 | ESR_IL | imm;
}

/* An exit of vcpus[0] with x0 = fid through the short path. */
static bool fast(u64 esr, u64 vector, u32 fid)
{
	struct vcpu *v = &vcpus[0];

	v->regs.esr_el2 = esr;
	v->regs.x[0] = fid;
	v->regs.pc = PC;
	return handle_exit_fast(v, vector);
}

static void test_pure_calls_take_it(void **state)
{
	static const u32 pure[] = {
		PSCI_VERSION, SMCCC_VERSION, PSCI_FEATURES, SMCCC_ARCH_FEATURES,
		NV_HC_EXIT_COUNT, PSCI_AFFINITY_INFO_64, 0x84000006u,
		0xc6000002u /* unknown */, 0x12345678u /* unknown */,
	};
	struct vcpu *v = &vcpus[0];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(pure); i++) {
		u64 exits = v->exits;

		assert_true(fast(esr_call(EC_HVC64, 0), TRAP_SYNC, pure[i]));
		/* Counted like the full path counts it; HVC returns past itself. */
		assert_int_equal(v->exits, exits + 1);
		assert_int_equal(v->regs.pc, PC);
	}
	assert_int_equal(v->exit_reasons[EXIT_R_HVC], ARRAY_SIZE(pure));
	/* SMC #0 (HCR_EL2.TSC) returns to the SMC itself: skipped. */
	assert_true(fast(esr_call(EC_SMC64, 0), TRAP_SYNC, PSCI_VERSION));
	assert_int_equal(v->regs.pc, PC + 4);
	assert_int_equal(v->exit_reasons[EXIT_R_SMC], 1);
}

static void test_results_as_full_path(void **state)
{
	struct vcpu *v = &vcpus[0];
	u64 exits;

	(void)state;
	assert_true(fast(esr_call(EC_HVC64, 0), TRAP_SYNC, PSCI_VERSION));
	assert_int_equal(v->regs.x[0], PSCI_VERSION_1_1);
	assert_true(fast(esr_call(EC_HVC64, 0), TRAP_SYNC, 0xc6000002u));
	assert_int_equal((s64)v->regs.x[0], PSCI_NOT_SUPPORTED);
	/* AFFINITY_INFO of the powered-off second vCPU: OFF (1). */
	v->regs.x[1] = vcpus[1].mpidr;
	v->regs.x[2] = 0;
	assert_true(fast(esr_call(EC_HVC64, 0), TRAP_SYNC, PSCI_AFFINITY_INFO_64));
	assert_int_equal(v->regs.x[0], 1);
	/* The exit count includes the call's own exit. */
	exits = v->exits;
	assert_true(fast(esr_call(EC_HVC64, 0), TRAP_SYNC, NV_HC_EXIT_COUNT));
	assert_int_equal(v->regs.x[0], exits + 1);
}

static void test_effects_take_the_full_path(void **state)
{
	static const u32 effects[] = {
		PSCI_CPU_ON_64, 0x84000003u, PSCI_CPU_OFF, PSCI_CPU_SUSPEND_64,
		0x84000001u, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
	};
	struct vcpu *v = &vcpus[0];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(effects); i++) {
		assert_false(fast(esr_call(EC_HVC64, 0), TRAP_SYNC, effects[i]));
		/* Nothing done: the full path sees the exit as it was. */
		assert_int_equal(v->regs.x[0], effects[i]);
		assert_int_equal(v->exits, 0);
		assert_int_equal(vcpus[1].power, VCPU_OFF);
		assert_false(vcpus[1].reset_pending);
	}
	assert_int_equal(fake_arch.kicks, 0);
}

static void test_other_exits_take_the_full_path(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	/* HVC #1: not SMCCC. */
	assert_false(fast(esr_call(EC_HVC64, 1), TRAP_SYNC, PSCI_VERSION));
	/* An interrupt, whatever ESR_EL2 still holds. */
	assert_false(fast(esr_call(EC_HVC64, 0), TRAP_IRQ, PSCI_VERSION));
	assert_false(fast(esr_call(EC_HVC64, 0), TRAP_SERROR, PSCI_VERSION));
	/* Other exceptions: a trapped system register, a data abort, WFI. */
	assert_false(fast(esr_call(EC_SYS64, 0), TRAP_SYNC, PSCI_VERSION));
	assert_false(fast(esr_call(EC_DABT_LOW, 0), TRAP_SYNC, PSCI_VERSION));
	assert_false(fast(esr_call(EC_WFX, 0), TRAP_SYNC, PSCI_VERSION));
	assert_int_equal(v->exits, 0);
	assert_int_equal(v->regs.x[0], PSCI_VERSION);
	assert_int_equal(v->regs.pc, PC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pure_calls_take_it, setup),
		cmocka_unit_test_setup(test_results_as_full_path, setup),
		cmocka_unit_test_setup(test_effects_take_the_full_path, setup),
		cmocka_unit_test_setup(test_other_exits_take_the_full_path, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
