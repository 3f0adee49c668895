/*
 * Host tests of the guests' PSCI 1.1 / SMCCC 1.1 interface
 * (src/cpu/vpsci.c): every function, its results and its effect on the
 * target vCPUs (CPU_ON's pending reset, the kick), the 32-bit calls'
 * argument truncation and the MPIDR checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fake_arch.h>
#include <nv/psci.h>
#include <nv/vcpu.h>
#include <nv/vm.h>
#include <nv/vpsci.h>
#include "helpers.h"

#define NR_VCPUS 4

#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_MIGRATE 0x84000005u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu

#define AFF_ON 0
#define AFF_OFF 1
#define AFF_ON_PENDING 2

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];
/* Guest MPIDRs: Aff0 0 and 1, Aff1 1, Aff3 1. */
static const u64 mpidrs[NR_VCPUS] = { 0x0, 0x1, 0x100, UINT64_C(0x100000000) };

static int setup(void **state)
{
	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	ut_vm_init(&vm, vcpus, NR_VCPUS);
	strcpy(vm.desc.name, "psci");
	for (unsigned i = 0; i < NR_VCPUS; i++) {
		vcpus[i].mpidr = mpidrs[i];
		vcpus[i].power = i == 0 ? VCPU_ON : VCPU_OFF;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	return 0;
}

/* A call from v with x0..x3; returns x0 afterwards. */
static s64 call(struct vcpu *v, u64 x0, u64 x1, u64 x2, u64 x3,
		enum vpsci_result expect)
{
	v->regs.x[0] = x0;
	v->regs.x[1] = x1;
	v->regs.x[2] = x2;
	v->regs.x[3] = x3;
	v->regs.x[4] = 0x4444;
	assert_int_equal(vpsci_call(v), expect);
	/* Arguments beyond x0 are not clobbered. */
	assert_int_equal(v->regs.x[1], x1);
	assert_int_equal(v->regs.x[2], x2);
	assert_int_equal(v->regs.x[3], x3);
	assert_int_equal(v->regs.x[4], 0x4444);
	return (s64)v->regs.x[0];
}

static s64 fn(u64 x0, u64 x1, u64 x2, u64 x3)
{
	return call(&vcpus[0], x0, x1, x2, x3, VPSCI_CONTINUE);
}

static void test_version(void **state)
{
	(void)state;
	assert_int_equal(fn(PSCI_VERSION, 0, 0, 0), 0x10001);
	/* The function ID is W0: the upper half of x0 is not looked at. */
	assert_int_equal(fn(UINT64_C(0xabcd000000000000) | PSCI_VERSION, 0, 0, 0),
			 0x10001);
}

static void test_features(void **state)
{
	static const u32 implemented[] = {
		PSCI_VERSION, PSCI_CPU_SUSPEND_32, PSCI_CPU_SUSPEND_64,
		PSCI_CPU_OFF, PSCI_CPU_ON_32, PSCI_CPU_ON_64,
		PSCI_MIGRATE_INFO_TYPE, PSCI_AFFINITY_INFO_32,
		PSCI_AFFINITY_INFO_64, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
		PSCI_FEATURES, SMCCC_VERSION,
	};
	static const u32 unknown[] = {
		PSCI_MIGRATE, 0xc4000005u, 0x8400000bu /* CPU_FREEZE */,
		0x8400000cu /* CPU_DEFAULT_SUSPEND */, 0x84000012u /* SYSTEM_RESET2 */,
		0xc4000012u, 0x84000014u, 0x84000100u, SMCCC_ARCH_WORKAROUND_1,
		0xc2000000u, 0, 0xffffffffu,
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(implemented); i++)
		assert_int_equal(fn(PSCI_FEATURES, implemented[i], 0, 0), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(unknown); i++)
		assert_int_equal(fn(PSCI_FEATURES, unknown[i], 0, 0),
				 PSCI_NOT_SUPPORTED);
	/* An SMC32 call: only W1 is the argument. */
	assert_int_equal(fn(PSCI_FEATURES, UINT64_C(0xffffffff00000000) |
						   PSCI_CPU_ON_64, 0, 0), 0);
}

static void test_cpu_on(void **state)
{
	struct vcpu *t = &vcpus[2];

	(void)state;
	assert_int_equal(fn(PSCI_CPU_ON_64, 0x100, UINT64_C(0x80000000aa000),
			    UINT64_C(0xc0ffee0000000001)),
			 PSCI_SUCCESS);
	assert_int_equal(t->power, VCPU_ON);
	assert_true(t->reset_pending);
	assert_int_equal(t->reset_pc, UINT64_C(0x80000000aa000));
	assert_int_equal(t->reset_x0, UINT64_C(0xc0ffee0000000001));
	assert_int_equal(fake_arch.kicks, 1);
	/* Nobody else was touched. */
	assert_int_equal(vcpus[1].power, VCPU_OFF);
	assert_false(vcpus[1].reset_pending);
	assert_int_equal(vcpus[3].power, VCPU_OFF);
	assert_false(vcpus[0].reset_pending);

	/* When it first runs: pc and x0 are the entry point and context. */
	t->regs.x[5] = 0x55;
	vcpu_apply_reset(t);
	assert_false(t->reset_pending);
	assert_int_equal(t->regs.pc, UINT64_C(0x80000000aa000));
	assert_int_equal(t->regs.x[0], UINT64_C(0xc0ffee0000000001));
	assert_int_equal(t->regs.x[5], 0);
	assert_int_equal(t->regs.pstate, PSTATE_EL1H_DAIF);
	assert_int_equal(t->sys.sctlr_el1, SCTLR_EL1_RESET);
	assert_int_equal(t->sys.vmpidr_el2, (1u << 31) | 0x100);

	/* Aff3 is part of the MPIDR. */
	assert_int_equal(fn(PSCI_CPU_ON_64, UINT64_C(0x100000000), 0x1000, 7),
			 PSCI_SUCCESS);
	assert_true(vcpus[3].reset_pending);
	assert_int_equal(vcpus[3].reset_pc, 0x1000);
	assert_int_equal(fake_arch.kicks, 2);
}

static void test_cpu_on_already_on(void **state)
{
	(void)state;
	/* Itself. */
	assert_int_equal(fn(PSCI_CPU_ON_64, 0, 0x1000, 0), PSCI_ALREADY_ON);
	assert_false(vcpus[0].reset_pending);

	/* Another vCPU that runs. */
	assert_int_equal(fn(PSCI_CPU_ON_64, 1, 0x1000, 0), PSCI_SUCCESS);
	vcpu_apply_reset(&vcpus[1]);
	assert_int_equal(fn(PSCI_CPU_ON_64, 1, 0x2000, 0), PSCI_ALREADY_ON);
	assert_false(vcpus[1].reset_pending);
	assert_int_equal(vcpus[1].regs.pc, 0x1000);
	assert_int_equal(vcpus[1].reset_pc, 0x1000);
	assert_int_equal(fake_arch.kicks, 1);
}

static void test_cpu_on_pending(void **state)
{
	(void)state;
	assert_int_equal(fn(PSCI_CPU_ON_64, 1, 0x1000, 0x11), PSCI_SUCCESS);
	assert_int_equal(fn(PSCI_CPU_ON_64, 1, 0x2000, 0x22), PSCI_ON_PENDING);
	/* The first request stands. */
	assert_int_equal(vcpus[1].reset_pc, 0x1000);
	assert_int_equal(vcpus[1].reset_x0, 0x11);
	assert_int_equal(fake_arch.kicks, 1);
	/* From another vCPU too. */
	assert_int_equal(call(&vcpus[1], PSCI_CPU_ON_64, 1, 0, 0, VPSCI_CONTINUE),
			 PSCI_ON_PENDING);
}

static void test_cpu_on_invalid_mpidr(void **state)
{
	static const u64 bad[] = {
		0x2, 0x200, 0x10000, UINT64_C(0x200000000),
		/* Bits outside Aff3..Aff0 (MPIDR bits [31:24], [63:40]). */
		0x1000001, 0x80000001u, UINT64_C(0x10000000001),
		UINT64_C(0x8000000000000001),
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(fn(PSCI_CPU_ON_64, bad[i], 0x1000, 0),
				 PSCI_INVALID_PARAMETERS);
	for (unsigned i = 1; i < NR_VCPUS; i++) {
		assert_int_equal(vcpus[i].power, VCPU_OFF);
		assert_false(vcpus[i].reset_pending);
	}
	assert_int_equal(fake_arch.kicks, 0);
}

/* SMC32 CPU_ON: target, entry point and context are 32 bits. */
static void test_cpu_on_32(void **state)
{
	(void)state;
	assert_int_equal(fn(PSCI_CPU_ON_32, UINT64_C(0xffffffff00000001),
			    UINT64_C(0xdead000040080000),
			    UINT64_C(0x123456789abcdef0)),
			 PSCI_SUCCESS);
	assert_true(vcpus[1].reset_pending);
	assert_int_equal(vcpus[1].reset_pc, 0x40080000);
	assert_int_equal(vcpus[1].reset_x0, 0x9abcdef0);
	/* The same target through the 64-bit call is invalid. */
	assert_int_equal(fn(PSCI_CPU_ON_64, UINT64_C(0xffffffff00000100), 0, 0),
			 PSCI_INVALID_PARAMETERS);
	assert_false(vcpus[2].reset_pending);
	/* Aff3 cannot be reached through the 32-bit call: it targets 0. */
	assert_int_equal(fn(PSCI_CPU_ON_32, UINT64_C(0x100000000), 0, 0),
			 PSCI_ALREADY_ON);
	assert_false(vcpus[3].reset_pending);
}

static void test_affinity_info(void **state)
{
	(void)state;
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 0, 0, 0), AFF_ON);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 1, 0, 0), AFF_OFF);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, UINT64_C(0x100000000), 0, 0),
			 AFF_OFF);
	assert_int_equal(fn(PSCI_CPU_ON_64, 1, 0x1000, 0), PSCI_SUCCESS);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 1, 0, 0), AFF_ON_PENDING);
	vcpu_apply_reset(&vcpus[1]);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 1, 0, 0), AFF_ON);

	/* Only level 0; unknown MPIDRs. */
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 1, 1, 0),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 0, 2, 0),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 0x2, 0, 0),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 0x10000, 0, 0),
			 PSCI_INVALID_PARAMETERS);
	/* The level is 32 bits. */
	assert_int_equal(fn(PSCI_AFFINITY_INFO_64, 1, UINT64_C(0x100000000), 0),
			 AFF_ON);

	/* SMC32: the upper half of the target is ignored. */
	assert_int_equal(fn(PSCI_AFFINITY_INFO_32, UINT64_C(0xffffffff00000100),
			    0, 0),
			 AFF_OFF);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_32, UINT64_C(0xffffffff00000001),
			    0, 0),
			 AFF_ON);
	assert_int_equal(fn(PSCI_AFFINITY_INFO_32, 1, 1, 0),
			 PSCI_INVALID_PARAMETERS);
}

static void test_power_calls(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	call(v, PSCI_CPU_OFF, 0, 0, 0, VPSCI_VCPU_OFF);
	call(v, PSCI_SYSTEM_OFF, 0, 0, 0, VPSCI_VM_OFF);
	call(v, PSCI_SYSTEM_RESET, 0, 0, 0, VPSCI_VM_RESET);
	/* vpsci only answers; the exit handler acts. */
	assert_int_equal(v->power, VCPU_ON);
	assert_int_equal(vm.state, VM_RUNNING);

	/* CPU_SUSPEND: standby, SUCCESS once woken. */
	assert_int_equal(call(v, PSCI_CPU_SUSPEND_64, 0x10000, 0x1000, 0,
			      VPSCI_SUSPEND),
			 PSCI_SUCCESS);
	assert_int_equal(call(v, PSCI_CPU_SUSPEND_32, 0, 0, 0, VPSCI_SUSPEND),
			 PSCI_SUCCESS);
	assert_int_equal(v->regs.pc, 0);
}

static void test_migrate_info_type(void **state)
{
	(void)state;
	assert_int_equal(fn(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	assert_int_equal(fn(PSCI_MIGRATE, 0, 0, 0), PSCI_NOT_SUPPORTED);
}

static void test_smccc(void **state)
{
	(void)state;
	assert_int_equal(fn(SMCCC_VERSION, 0, 0, 0), 0x10001);
	assert_int_equal(fn(SMCCC_ARCH_FEATURES, SMCCC_VERSION, 0, 0), 0);
	assert_int_equal(fn(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0),
			 PSCI_NOT_SUPPORTED);
	assert_int_equal(fn(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2, 0, 0),
			 PSCI_NOT_SUPPORTED);
	assert_int_equal(fn(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0),
			 PSCI_NOT_SUPPORTED);
}

static void test_unknown_function(void **state)
{
	static const u64 ids[] = {
		0xc2000000u, /* SMC64 SiP service */
		0xc4000020u, 0x86000000u, 0xbf000000u, 0x01000000u,
		SMCCC_ARCH_WORKAROUND_1,
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
		assert_int_equal(fn(ids[i], 1, 2, 3), PSCI_NOT_SUPPORTED);
	assert_int_equal(vcpus[0].regs.x[0], ~UINT64_C(0));
	assert_int_equal(fake_arch.kicks, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_version),
		T(test_features),
		T(test_cpu_on),
		T(test_cpu_on_already_on),
		T(test_cpu_on_pending),
		T(test_cpu_on_invalid_mpidr),
		T(test_cpu_on_32),
		T(test_affinity_info),
		T(test_power_calls),
		T(test_migrate_info_type),
		T(test_smccc),
		T(test_unknown_function),
	};

	return cmocka_run_group_tests_name("vpsci", tests, NULL, NULL);
}
