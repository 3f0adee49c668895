/*
 * Host tests of the guest exit dispatch (src/cpu/exit.c): every entry of
 * the EC table, MMIO emulation through a data abort (ISS decoding, sign
 * extension, register 31), the injected aborts and UNDEFs (vector and
 * syndrome, through the fake arch's arch_inject_sync), the IRQ and SError
 * vectors, and the exit counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/esr.h>
#include <nv/exit.h>
#include <nv/fake_arch.h>
#include <nv/idregs.h>
#include <nv/irq.h>
#include <nv/percpu.h>
#include <nv/psci.h>
#include <nv/trap.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vpl011.h>
#include <nv/vpsci.h>
#include "helpers.h"

#define NR_VCPUS 2
#define DIST 0x08000000u
#define REDIST 0x080a0000u
#define UART 0x09000000u
#define DEV 0x0a000000u      /* the recording test device */
#define DEV_SIZE 0x1000u
#define REFUSE 0x0a001000u   /* a device that refuses every access */
#define HIGH UINT64_C(0xfedcba987000) /* a device high up (IPA bit 47) */
#define VBAR UINT64_C(0xffff800010080000)
#define PC UINT64_C(0x40081000)

/* Vector indices (Arm ARM D1.10.2): lower EL, AArch64. */
#define VEC_SYNC (TRAP_LOWER_A64 * 4 + TRAP_SYNC)
#define VEC_IRQ (TRAP_LOWER_A64 * 4 + TRAP_IRQ)
#define VEC_FIQ (TRAP_LOWER_A64 * 4 + TRAP_FIQ)
#define VEC_SERROR (TRAP_LOWER_A64 * 4 + TRAP_SERROR)

#define PSTATE_EL1H 0x3c5u
#define PSTATE_EL1T 0x3c4u
#define PSTATE_EL0T 0x000u
#define PSTATE_A32 0x010u /* AArch32 User */

static struct vm vm;
static struct vcpu vcpus[NR_VCPUS];
static struct vpl011 uart;
static struct percpu cpu;

/* The test device: records the last access, reads return dev_value. */
static struct {
	unsigned calls;
	u64 offset;
	struct mmio_access a;
	struct vcpu *vcpu;
	u64 value; /* what reads return, cut to the access size */
} dev;

static bool dev_access(struct vcpu *vcpu, void *d, u64 off,
		       struct mmio_access *a)
{
	assert_ptr_equal(d, &dev);
	dev.calls++;
	dev.offset = off;
	dev.a = *a;
	dev.vcpu = vcpu;
	if (!a->write)
		a->data = a->size == 8 ? dev.value :
			  dev.value & ((UINT64_C(1) << (8 * a->size)) - 1);
	return true;
}

static unsigned refused;

static bool refuse_access(struct vcpu *vcpu, void *d, u64 off,
			  struct mmio_access *a)
{
	(void)vcpu;
	(void)d;
	(void)off;
	(void)a;
	refused++;
	return false;
}

static const struct mmio_ops dev_ops = { dev_access };
static const struct mmio_ops refuse_ops = { refuse_access };

static int setup(void **state)
{
	char err[128];

	(void)state;
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter_freq = 62500000;
	fake_arch.vbar_el1 = VBAR;
	ut_vm_init(&vm, vcpus, NR_VCPUS);
	ut_vcpus_power_on(vcpus, NR_VCPUS, PC, PSTATE_EL1H);
	memset(&dev, 0, sizeof(dev));
	refused = 0;
	strcpy(vm.desc.name, "exitvm");
	vm.desc.uart_base = UART;
	vm.desc.uart_spi = 1;
	ut_vgic_init(&vm, DIST, REDIST, 32);
	assert_true(vpl011_init(&vm, &uart, err, sizeof(err)));
	vm.uart = &uart;
	assert_true(mmio_bus_register(&vm.mmio, DEV, DEV_SIZE, &dev_ops, &dev,
				      "dev"));
	assert_true(mmio_bus_register(&vm.mmio, REFUSE, 0x1000, &refuse_ops,
				      NULL, "refuse"));
	assert_true(mmio_bus_register(&vm.mmio, HIGH, 0x1000, &dev_ops, &dev,
				      "high"));
	memset(&cpu, 0, sizeof(cpu));
	set_this_cpu(&cpu);
	capture_start();
	log_set_level(LOG_INFO);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	set_this_cpu(NULL);
	capture_stop();
	memset(&fake_arch, 0, sizeof(fake_arch));
	return 0;
}

static u64 esr_of(unsigned ec, u32 iss)
{
	return (u64)ec << 26 | ESR_IL | iss;
}

/* A synchronous exit with the given syndrome. */
static enum exit_action sync_exit(struct vcpu *v, u64 esr)
{
	v->regs.esr_el2 = esr;
	return handle_exit(v, VEC_SYNC);
}

/* Counters other than the ones named must be zero. */
static void assert_only_reason(const struct vcpu *v, enum exit_reason r,
			       u64 n)
{
	for (unsigned i = 0; i < EXIT_REASONS; i++)
		assert_int_equal(v->exit_reasons[i], i == r ? n : 0);
}

/* --- WFI / WFE --- */

static void test_wfi_blocks(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	assert_int_equal(sync_exit(v, esr_of(EC_WFX, 0)), EXIT_BLOCK);
	assert_int_equal(v->regs.pc, PC + 4);
	assert_only_reason(v, EXIT_R_WFX, 1);
	assert_int_equal(fake_arch.injects, 0);
}

static void test_wfe_yields(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	assert_int_equal(sync_exit(v, esr_of(EC_WFX, 1)), EXIT_YIELD);
	assert_int_equal(v->regs.pc, PC + 4);
	assert_only_reason(v, EXIT_R_WFX, 1);
	assert_int_equal(sync_exit(v, esr_of(EC_WFX, 0)), EXIT_BLOCK);
	assert_int_equal(v->regs.pc, PC + 8);
	assert_only_reason(v, EXIT_R_WFX, 2);
}

/* --- HVC / SMC --- */

static void test_hvc0_psci_version(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[0] = PSCI_VERSION;
	v->regs.x[1] = 0x1111;
	assert_int_equal(sync_exit(v, esr_of(EC_HVC64, 0)), EXIT_CONTINUE);
	assert_int_equal(v->regs.x[0], 0x10001);
	assert_int_equal(v->regs.x[1], 0x1111);
	/* ELR_EL2 already points past the HVC. */
	assert_int_equal(v->regs.pc, PC);
	assert_only_reason(v, EXIT_R_HVC, 1);
}

static void test_hvc_nonzero_imm(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[0] = PSCI_VERSION;
	assert_int_equal(sync_exit(v, esr_of(EC_HVC64, 1)), EXIT_CONTINUE);
	assert_int_equal(v->regs.x[0], ~UINT64_C(0));
	assert_int_equal(v->regs.pc, PC);
	v->regs.x[0] = PSCI_VERSION;
	assert_int_equal(sync_exit(v, esr_of(EC_HVC64, 0xffff)), EXIT_CONTINUE);
	assert_int_equal(v->regs.x[0], ~UINT64_C(0));
	assert_only_reason(v, EXIT_R_HVC, 2);
	assert_int_equal(fake_arch.injects, 0);
}

static void test_smc0_psci(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[0] = PSCI_VERSION;
	assert_int_equal(sync_exit(v, esr_of(EC_SMC64, 0)), EXIT_CONTINUE);
	assert_int_equal(v->regs.x[0], 0x10001);
	/* The preferred return of a trapped SMC is the SMC itself. */
	assert_int_equal(v->regs.pc, PC + 4);
	assert_only_reason(v, EXIT_R_SMC, 1);

	v->regs.x[0] = SMCCC_VERSION;
	assert_int_equal(sync_exit(v, esr_of(EC_SMC64, 0)), EXIT_CONTINUE);
	assert_int_equal(v->regs.x[0], SMCCC_VERSION_1_1);
	assert_int_equal(v->regs.pc, PC + 8);

	v->regs.x[0] = PSCI_VERSION;
	assert_int_equal(sync_exit(v, esr_of(EC_SMC64, 7)), EXIT_CONTINUE);
	assert_int_equal(v->regs.x[0], ~UINT64_C(0));
	assert_int_equal(v->regs.pc, PC + 12);
	assert_only_reason(v, EXIT_R_SMC, 3);
}

/* The vpsci results become exit actions. */
static void test_psci_actions(void **state)
{
	struct vcpu *v = &vcpus[1];

	(void)state;
	v->regs.x[0] = PSCI_CPU_SUSPEND_64;
	assert_int_equal(sync_exit(v, esr_of(EC_HVC64, 0)), EXIT_BLOCK);
	assert_int_equal(v->regs.x[0], PSCI_SUCCESS);
	assert_int_equal(v->power, VCPU_ON);

	v->regs.x[0] = PSCI_CPU_OFF;
	assert_int_equal(sync_exit(v, esr_of(EC_HVC64, 0)), EXIT_STOP);
	assert_int_equal(v->power, VCPU_OFF);
	assert_int_equal(vcpus[0].power, VCPU_ON);
	assert_int_equal(vm.state, VM_RUNNING);

	v = &vcpus[0];
	v->regs.x[0] = PSCI_SYSTEM_OFF;
	assert_int_equal(sync_exit(v, esr_of(EC_SMC64, 0)), EXIT_STOP);
	assert_int_equal(vm.state, VM_OFF);
	assert_false(vm.failed);
	assert_int_equal(vcpus[0].power, VCPU_OFF);
	assert_contains(capture_text(), "vm 'exitvm' powered off (PSCI SYSTEM_OFF)");
}

static void test_psci_system_reset(void **state)
{
	unsigned kicks;

	(void)state;
	vm.plan.entry = 0x40200000;
	vm.plan.fdt_ipa = 0x48000000;
	vcpus[0].regs.x[0] = PSCI_SYSTEM_RESET;
	vcpus[1].regs.pc = 0x1234;
	kicks = fake_arch.kicks;
	assert_int_equal(sync_exit(&vcpus[0], esr_of(EC_HVC64, 0)),
			 EXIT_CONTINUE);
	/* vCPU 0 restarts at the entry with the device tree in x0. */
	assert_true(vcpus[0].reset_pending);
	assert_int_equal(vcpus[0].reset_pc, 0x40200000);
	assert_int_equal(vcpus[0].reset_x0, 0x48000000);
	assert_int_equal(vcpus[0].power, VCPU_ON);
	assert_int_equal(vcpus[1].power, VCPU_OFF);
	assert_true(vcpus[0].tlb_flush_pending);
	assert_true(vcpus[1].tlb_flush_pending);
	assert_true(fake_arch.kicks >= kicks + NR_VCPUS);
	assert_int_equal(vm.state, VM_RUNNING);
	assert_contains(capture_text(), "vm 'exitvm' resets (PSCI SYSTEM_RESET)");
}

/* --- Data aborts: emulated MMIO --- */

/* Data abort ISS with a valid syndrome. */
static u32 dabt_iss(unsigned size, bool write, unsigned reg, bool sse, bool sf)
{
	unsigned sas = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;

	return (u32)(DABT_ISV | (u64)sas << 22 | (sse ? DABT_SSE : 0) |
		     (u64)reg << 16 | (sf ? DABT_SF : 0) |
		     (write ? DABT_WNR : 0) | 0x07 /* translation, level 3 */);
}

/* A stage-2 data abort at ipa (FAR has a VA with the same page offset). */
static enum exit_action dabt(struct vcpu *v, u64 ipa, u32 iss)
{
	v->regs.far_el2 = UINT64_C(0xffff000000123000) | (ipa & 0xfff);
	v->regs.hpfar_el2 = (ipa >> 12) << 4;
	return sync_exit(v, esr_of(EC_DABT_LOW, iss));
}

static void test_mmio_read_sizes(void **state)
{
	struct vcpu *v = &vcpus[0];
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	static const u64 expect[] = { 0x11, 0x2211, 0x44332211,
				      0x8877665544332211ull };

	(void)state;
	dev.value = 0x8877665544332211ull;
	for (unsigned i = 0; i < 4; i++) {
		u64 pc = v->regs.pc;

		v->regs.x[5] = 0xdeadbeefdeadbeefull;
		assert_int_equal(dabt(v, DEV + 0x40, dabt_iss(sizes[i], false, 5,
							     false, true)),
				 EXIT_CONTINUE);
		assert_int_equal(dev.calls, i + 1);
		assert_int_equal(dev.offset, 0x40);
		assert_int_equal(dev.a.addr, DEV + 0x40);
		assert_int_equal(dev.a.size, sizes[i]);
		assert_false(dev.a.write);
		assert_ptr_equal(dev.vcpu, v);
		assert_int_equal(v->regs.x[5], expect[i]);
		assert_int_equal(v->regs.pc, pc + 4);
	}
	assert_only_reason(v, EXIT_R_MMIO, 4);
	assert_int_equal(fake_arch.injects, 0);
	assert_string_equal(capture_text(), "");
}

/* LDRB/LDRH into a W register: zero-extended to the whole X register. */
static void test_mmio_read_w_register(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	dev.value = 0xffffffffffffff80ull;
	v->regs.x[3] = ~UINT64_C(0);
	dabt(v, DEV, dabt_iss(4, false, 3, false, false));
	assert_int_equal(v->regs.x[3], 0xffffff80ull);
	v->regs.x[3] = ~UINT64_C(0);
	dabt(v, DEV, dabt_iss(1, false, 3, false, false));
	assert_int_equal(v->regs.x[3], 0x80);
}

static void test_mmio_read_sign_extend(void **state)
{
	struct vcpu *v = &vcpus[0];
	static const struct {
		unsigned size;
		u64 value;
		bool sf;
		u64 expect;
	} cases[] = {
		{ 1, 0x80, true, 0xffffffffffffff80ull },   /* LDRSB Xt */
		{ 1, 0x80, false, 0xffffff80ull },          /* LDRSB Wt */
		{ 1, 0x7f, true, 0x7f },
		{ 2, 0x8001, true, 0xffffffffffff8001ull }, /* LDRSH Xt */
		{ 2, 0x8001, false, 0xffff8001ull },        /* LDRSH Wt */
		{ 2, 0x7fff, false, 0x7fff },
		{ 4, 0x80000001, true, 0xffffffff80000001ull }, /* LDRSW */
		{ 4, 0x80000001, false, 0x80000001ull },
		{ 4, 0x7fffffff, true, 0x7fffffff },
		/* The device's upper bits do not leak into a narrow load. */
		{ 1, 0xaa01, true, 0x01 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		dev.value = cases[i].value;
		v->regs.x[9] = 0x5555555555555555ull;
		assert_int_equal(dabt(v, DEV + 8, dabt_iss(cases[i].size, false,
							   9, true, cases[i].sf)),
				 EXIT_CONTINUE);
		assert_int_equal(v->regs.x[9], cases[i].expect);
	}
	assert_int_equal(v->regs.pc, PC + 4 * ARRAY_SIZE(cases));
	assert_only_reason(v, EXIT_R_MMIO, ARRAY_SIZE(cases));
}

static void test_mmio_write_truncated(void **state)
{
	struct vcpu *v = &vcpus[0];
	static const unsigned sizes[] = { 1, 2, 4, 8 };
	static const u64 expect[] = { 0x88, 0x7788, 0x55667788,
				      0x1122334455667788ull };

	(void)state;
	v->regs.x[7] = 0x1122334455667788ull;
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(dabt(v, DEV + 0x10, dabt_iss(sizes[i], true, 7,
							     false, true)),
				 EXIT_CONTINUE);
		assert_true(dev.a.write);
		assert_int_equal(dev.a.size, sizes[i]);
		assert_int_equal(dev.a.data, expect[i]);
		assert_int_equal(dev.offset, 0x10);
	}
	/* The source register is left alone. */
	assert_int_equal(v->regs.x[7], 0x1122334455667788ull);
	assert_int_equal(v->regs.pc, PC + 16);
	assert_only_reason(v, EXIT_R_MMIO, 4);
}

/* Register 31 in a load/store is XZR: writes 0, reads are discarded. */
static void test_mmio_xzr(void **state)
{
	struct vcpu *v = &vcpus[0];
	struct vcpu_regs before;

	(void)state;
	v->regs.sp_el0 = 0xdeadbeefcafef00dull;
	for (unsigned i = 0; i < 31; i++)
		v->regs.x[i] = 0x1000 + i;
	assert_int_equal(dabt(v, DEV, dabt_iss(8, true, 31, false, true)),
			 EXIT_CONTINUE);
	assert_true(dev.a.write);
	assert_int_equal(dev.a.data, 0);

	dev.value = 0x42;
	before = v->regs;
	assert_int_equal(dabt(v, DEV, dabt_iss(8, false, 31, false, true)),
			 EXIT_CONTINUE);
	assert_int_equal(dev.calls, 2);
	assert_false(dev.a.write);
	before.pc += 4;
	/* The general registers, PC and PSTATE; the syndrome is the exit's. */
	assert_memory_equal(&v->regs, &before, offsetof(struct vcpu_regs, esr_el2));
	assert_int_equal(v->regs.pc, PC + 8);
	assert_only_reason(v, EXIT_R_MMIO, 2);
}

/* HPFAR_EL2.FIPA [43:4] is IPA[51:12]; FAR only gives the page offset. */
static void test_mmio_hpfar_decoding(void **state)
{
	struct vcpu *v = &vcpus[1];

	(void)state;
	dev.value = 0x77;
	v->regs.far_el2 = UINT64_C(0xffff8000deadb123);
	v->regs.hpfar_el2 = (HIGH >> 12) << 4;
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW,
					     dabt_iss(4, false, 2, false, true))),
			 EXIT_CONTINUE);
	assert_int_equal(dev.calls, 1);
	assert_int_equal(dev.a.addr, HIGH + 0x123);
	assert_int_equal(dev.offset, 0x123);
	assert_ptr_equal(dev.vcpu, v);
	assert_int_equal(v->regs.x[2], 0x77);
	assert_only_reason(v, EXIT_R_MMIO, 1);
}

/* The injected synchronous exception: syndrome, return state, vector. */
static void assert_injected(const struct vcpu *v, u64 esr, u64 far,
			    u64 old_pc, u64 old_pstate, u64 vector_offset)
{
	assert_int_equal(fake_arch.injects, 1);
	assert_int_equal(fake_arch.inject_esr, esr);
	assert_int_equal(fake_arch.inject_far, far);
	assert_int_equal(fake_arch.inject_elr, old_pc);
	assert_int_equal(fake_arch.inject_spsr, old_pstate);
	assert_int_equal(v->regs.pc, VBAR + vector_offset);
	assert_int_equal(v->regs.pstate, 0x3c5);
}

static void test_dabt_no_syndrome(void **state)
{
	struct vcpu *v = &vcpus[0];
	u64 far = UINT64_C(0xffff000000123000) | 0x18;

	(void)state;
	v->regs.x[1] = 0x99;
	/* ISV = 0, a write: the guest gets an external abort, WnR kept. */
	assert_int_equal(dabt(v, DEV + 0x18, DABT_WNR | 0x07), EXIT_CONTINUE);
	assert_int_equal(dev.calls, 0);
	assert_injected(v, esr_of(EC_DABT_CUR, 0x10 | DABT_WNR), far, PC,
			PSTATE_EL1H, 0x200);
	assert_only_reason(v, EXIT_R_ABORT, 1);
	assert_int_equal(capture_count("without a syndrome (ISV=0)"), 1);
	assert_contains(capture_text(), "warning: vm 'exitvm' vcpu0: access to 0xa000018");

	/* A read from EL0: lower-EL class, vector offset 0x400, WnR clear. */
	fake_arch.injects = 0;
	v->regs.pc = PC;
	v->regs.pstate = PSTATE_EL0T;
	assert_int_equal(dabt(v, DEV + 0x18, 0x07), EXIT_CONTINUE);
	assert_injected(v, esr_of(EC_DABT_LOW, 0x10), far, PC, PSTATE_EL0T,
			0x400);
	assert_int_equal(esr_iss(fake_arch.inject_esr) & DABT_DFSC, 0x10);
	assert_only_reason(v, EXIT_R_ABORT, 2);
	assert_int_equal(v->regs.x[1], 0x99);
}

/* The vector offset follows the guest's EL, stack pointer and width. */
static void test_inject_vectors(void **state)
{
	static const struct {
		u64 pstate;
		u64 offset;
		unsigned ec;
	} cases[] = {
		{ PSTATE_EL1T, 0x000, EC_DABT_CUR },
		{ PSTATE_EL1H, 0x200, EC_DABT_CUR },
		{ PSTATE_EL0T, 0x400, EC_DABT_LOW },
		{ PSTATE_A32, 0x600, EC_DABT_LOW },
	};
	struct vcpu *v = &vcpus[0];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		fake_arch.injects = 0;
		v->regs.pc = PC + i * 4;
		v->regs.pstate = cases[i].pstate;
		dabt(v, 0x30000000, dabt_iss(4, false, 0, false, false));
		assert_injected(v, esr_of(cases[i].ec, 0x10),
				v->regs.far_el2, PC + i * 4, cases[i].pstate,
				cases[i].offset);
	}
}

static void test_dabt_outside_devices(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[4] = 0xabcd;
	assert_int_equal(dabt(v, 0x30000010, dabt_iss(4, true, 4, false, false)),
			 EXIT_CONTINUE);
	assert_injected(v, esr_of(EC_DABT_CUR, 0x10 | DABT_WNR),
			UINT64_C(0xffff000000123010), PC, PSTATE_EL1H, 0x200);
	assert_int_equal(dev.calls, 0);
	assert_only_reason(v, EXIT_R_ABORT, 1);
	assert_contains(capture_text(), "4-byte write at 0x30000010 outside RAM and devices");

	/* An access straddling the end of a device is outside it too. */
	fake_arch.injects = 0;
	v->regs.pc = PC;
	assert_int_equal(dabt(v, DEV + DEV_SIZE - 4, dabt_iss(8, false, 4, false,
							     true)),
			 EXIT_CONTINUE);
	assert_int_equal(fake_arch.injects, 1);
	assert_int_equal(esr_iss(fake_arch.inject_esr), 0x10);
	assert_int_equal(dev.calls, 0);
	assert_int_equal(v->regs.x[4], 0xabcd);
	assert_only_reason(v, EXIT_R_ABORT, 2);
}

static void test_dabt_refused(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.x[6] = 0x1234;
	assert_int_equal(dabt(v, REFUSE + 4, dabt_iss(4, false, 6, false, false)),
			 EXIT_CONTINUE);
	assert_int_equal(refused, 1);
	assert_injected(v, esr_of(EC_DABT_CUR, 0x10),
			UINT64_C(0xffff000000123004), PC, PSTATE_EL1H, 0x200);
	/* Nothing loaded into the target register. */
	assert_int_equal(v->regs.x[6], 0x1234);
	assert_only_reason(v, EXIT_R_ABORT, 1);
	assert_contains(capture_text(), "4-byte read at 0xa001004 refused by the device");
}

static void test_iabt(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.far_el2 = 0x50000000;
	v->regs.hpfar_el2 = (UINT64_C(0x50000000) >> 12) << 4;
	assert_int_equal(sync_exit(v, esr_of(EC_IABT_LOW, 0x07)), EXIT_CONTINUE);
	assert_injected(v, esr_of(EC_IABT_CUR, 0x10), 0x50000000, PC,
			PSTATE_EL1H, 0x200);
	assert_only_reason(v, EXIT_R_ABORT, 1);
	assert_contains(capture_text(), "instruction fetch from 0x50000000 outside RAM");

	/* From EL0: the lower-EL class. */
	fake_arch.injects = 0;
	v->regs.pc = PC;
	v->regs.pstate = PSTATE_EL0T;
	sync_exit(v, esr_of(EC_IABT_LOW, 0x07));
	assert_injected(v, esr_of(EC_IABT_LOW, 0x10), 0x50000000, PC,
			PSTATE_EL0T, 0x400);
}

/*
 * A synchronous external abort routed to EL2 by HCR_EL2.TEA (FSC 0x10, no
 * valid HPFAR): no device is asked, the guest gets the external abort it
 * would have taken without the hypervisor, with FAR and WnR.
 */
static void test_sea_reflected(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.far_el2 = 0xffff000012345678;
	v->regs.hpfar_el2 = ((u64)DEV >> 12) << 4; /* stale: must not be used */
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW, DABT_ISV | DABT_WNR | 0x10)),
			 EXIT_CONTINUE);
	assert_int_equal(dev.calls, 0);
	assert_injected(v, esr_of(EC_DABT_CUR, 0x10 | DABT_WNR), 0xffff000012345678,
			PC, PSTATE_EL1H, 0x200);
	assert_only_reason(v, EXIT_R_ABORT, 1);
	assert_contains(capture_text(), "data abort (synchronous external abort, FSC 0x10)");

	/* An instruction fetch that hit an external abort on a table walk. */
	fake_arch.injects = 0;
	v->regs.pc = PC;
	v->regs.far_el2 = 0x40200000;
	assert_int_equal(sync_exit(v, esr_of(EC_IABT_LOW, 0x15)), EXIT_CONTINUE);
	assert_injected(v, esr_of(EC_IABT_CUR, 0x10), 0x40200000, PC, PSTATE_EL1H, 0x200);
}

/* FnV (FAR not valid): passed on, FAR_EL1 not written. */
static void test_sea_fnv(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	fake_arch.inject_far = 0x1234;
	v->regs.far_el2 = 0xbad;
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW, DABT_FNV | 0x10)),
			 EXIT_CONTINUE);
	assert_injected(v, esr_of(EC_DABT_CUR, 0x10 | DABT_FNV), 0x1234, PC,
			PSTATE_EL1H, 0x200);
}

/*
 * A fault whose HPFAR_EL2 is not valid (a permission fault not on a stage-1
 * walk, an alignment fault): no MMIO emulation at a made-up address.
 */
static void test_hpfar_invalid_not_emulated(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.far_el2 = 0xffff000000123018;
	v->regs.hpfar_el2 = ((u64)DEV >> 12) << 4;
	/* stage 1 (fake: not mapping FAR) gives no IPA: run it again */
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW,
					     dabt_iss(4, false, 1, false, false) ^ 0x07 ^ 0x0f)),
			 EXIT_CONTINUE);
	assert_int_equal(dev.calls, 0);
	assert_int_equal(fake_arch.injects, 0);
	assert_int_equal(v->regs.pc, PC);
	/* an alignment fault (DFSC 0x21) has no IPA at all: external abort */
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW,
					     (dabt_iss(4, false, 1, false, false) & ~0x3fu) | 0x21)),
			 EXIT_CONTINUE);
	assert_int_equal(dev.calls, 0);
	assert_int_equal(fake_arch.injects, 1);
	assert_int_equal(esr_iss(fake_arch.inject_esr) & DABT_DFSC, 0x10);

	/* With S1PTW the same permission fault has a valid HPFAR: emulated. */
	fake_arch.injects = 0;
	v->regs.pc = PC;
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW,
					     (dabt_iss(4, false, 1, false, false) ^ 0x07 ^ 0x0f) |
					     DABT_S1PTW)),
			 EXIT_CONTINUE);
	assert_int_equal(dev.calls, 1);
	assert_int_equal(fake_arch.injects, 0);
}

/*
 * A permission fault not on a walk: HPFAR_EL2 is UNKNOWN, the IPA comes
 * from the guest's stage 1 (AT, as KVM does); a stage 1 that gives none
 * means an external abort. An external abort never asks stage 1.
 */
static void test_permission_fault_ipa_from_stage1(void **state)
{
	struct vcpu *v = &vcpus[0];
	u32 iss = (dabt_iss(4, true, 3, false, false) & ~0x3fu) | 0x0f | DABT_WNR;

	(void)state;
	v->regs.x[3] = 0x99;
	v->regs.far_el2 = 0xffff000000456018;
	v->regs.hpfar_el2 = (UINT64_C(0x30000000) >> 12) << 4; /* UNKNOWN */
	fake_arch.s1_ok = true;
	fake_arch.s1_ipa = DEV;
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW, iss)), EXIT_CONTINUE);
	assert_int_equal(fake_arch.s1_calls, 1);
	assert_int_equal(fake_arch.s1_va, 0xffff000000456018);
	assert_true(fake_arch.s1_write);
	assert_int_equal(dev.calls, 1);
	assert_int_equal(dev.a.addr, (u64)DEV + 0x18);
	assert_int_equal(dev.a.data, 0x99);
	assert_int_equal(fake_arch.injects, 0);

	/*
	 * Stage 1 no longer maps FAR (changed by another vCPU since): the
	 * access runs again, as KVM retries it; nothing is injected.
	 */
	fake_arch.s1_ok = false;
	v->regs.pc = PC;
	assert_int_equal(sync_exit(v, esr_of(EC_DABT_LOW, iss)), EXIT_CONTINUE);
	assert_int_equal(dev.calls, 1);
	assert_int_equal(fake_arch.injects, 0);
	assert_int_equal(v->regs.pc, PC);

	fake_arch.s1_ok = true;
	fake_arch.s1_calls = 0;
	sync_exit(v, esr_of(EC_DABT_LOW, DABT_ISV | 0x10));
	assert_int_equal(fake_arch.s1_calls, 0);
}

/*
 * The injected exception's PSTATE follows the guest's features and
 * SCTLR_EL1 (exc_entry.c): with FEAT_PAN advertised (ID_AA64MMFR1_EL1.PAN)
 * and SCTLR_EL1.SPAN = 0, PAN is set on entry; with SPAN = 1 it is kept;
 * NZCV and DIT are kept.
 */
static void test_inject_pstate_from_guest_features(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	fake_arch.idregs[idreg_index(7, 1)] = UINT64_C(1) << 20; /* PAN 1 */
	sysreg_trap_init();
	v->regs.pstate = PSTATE_EL1H | (UINT64_C(0x9) << 28) | BIT(24);
	fake_arch.sctlr_el1 = 0;
	sync_exit(v, esr_of(EC_BRK64, 0));
	assert_int_equal(v->regs.pstate,
			 PSTATE_EL1H | (UINT64_C(0x9) << 28) | BIT(24) | BIT(22));
	v->regs.pstate = PSTATE_EL1H;
	fake_arch.sctlr_el1 = BIT(23); /* SPAN */
	sync_exit(v, esr_of(EC_BRK64, 0));
	assert_int_equal(v->regs.pstate, PSTATE_EL1H);
	memset(fake_arch.idregs, 0, sizeof(fake_arch.idregs));
	sysreg_trap_init();
}

/* --- Anything else: UNDEF --- */

static void test_unknown_ec_undef(void **state)
{
	static const unsigned ecs[] = { EC_FP_ASIMD, EC_UNKNOWN, EC_SVE, EC_BRK64,
					EC_HVC32, EC_DABT_CUR, 0x3f };
	struct vcpu *v = &vcpus[0];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ecs); i++) {
		fake_arch.injects = 0;
		v->regs.pc = PC;
		v->regs.pstate = PSTATE_EL1H;
		assert_int_equal(sync_exit(v, esr_of(ecs[i], 0x1234)),
				 EXIT_CONTINUE);
		/* EC 0 (Unknown reason), IL = 1, ISS 0. */
		assert_injected(v, ESR_IL, 0, PC, PSTATE_EL1H, 0x200);
		assert_int_equal(esr_ec(fake_arch.inject_esr), EC_UNKNOWN);
	}
	assert_only_reason(v, EXIT_R_UNDEF, ARRAY_SIZE(ecs));
	assert_contains(capture_text(), "warning: vm 'exitvm' vcpu0: unhandled exit EC 0x07");
	assert_int_equal(capture_count("unhandled exit EC"), ARRAY_SIZE(ecs));
}

/* --- Asynchronous exits --- */

static unsigned handler_calls;

static bool handler(u32 intid, void *arg)
{
	(void)arg;
	assert_int_equal(intid, 40);
	handler_calls++;
	return true;
}

static void test_irq_vector(void **state)
{
	struct vcpu *v = &vcpus[0];

	(void)state;
	v->regs.esr_el2 = esr_of(EC_UNKNOWN, 0); /* must not be looked at */
	assert_int_equal(handle_exit(v, VEC_IRQ), EXIT_CONTINUE);
	assert_int_equal(fake_arch.gic_acks, 1); /* answered 1023 */
	assert_int_equal(v->regs.pc, PC);
	assert_int_equal(fake_arch.injects, 0);
	assert_only_reason(v, EXIT_R_IRQ, 1);

	/* A pending interrupt is dispatched to its handler. */
	handler_calls = 0;
	assert_true(irq_register(40, handler, NULL));
	fake_arch.gic_pending[0] = 40;
	fake_arch.gic_pending_count = 1;
	assert_int_equal(handle_exit(v, VEC_FIQ), EXIT_CONTINUE);
	assert_int_equal(handler_calls, 1);
	assert_int_equal(fake_arch.gic_acks, 3);
	assert_int_equal(fake_arch.gic_eoi_count, 1);
	assert_int_equal(fake_arch.gic_eoi[0], 40);
	assert_only_reason(v, EXIT_R_IRQ, 2);
	assert_true(irq_register(40, NULL, NULL));
}

static void test_serror_stops_vm(void **state)
{
	struct vcpu *v = &vcpus[1];

	(void)state;
	v->regs.esr_el2 = 0xbe000000;
	assert_int_equal(handle_exit(v, VEC_SERROR), EXIT_STOP);
	assert_int_equal(vm.state, VM_OFF);
	assert_true(vm.failed);
	for (unsigned i = 0; i < NR_VCPUS; i++)
		assert_int_equal(vcpus[i].power, VCPU_OFF);
	assert_only_reason(v, EXIT_R_SERROR, 1);
	assert_int_equal(fake_arch.injects, 0);
	assert_contains(capture_text(), "error: vm 'exitvm' vcpu1: SError (ESR 0xbe000000): stopping the VM");
}

/* The EC table sends MSR/MRS traps to handle_sysreg. */
static void test_sysreg_dispatch(void **state)
{
	struct vcpu *v = &vcpus[0];
	/* MRS x3, ICC_SRE_EL1: op0 3, op1 0, CRn 12, CRm 12, op2 5. */
	u32 iss = 3u << 20 | 5u << 17 | 0u << 14 | 12u << 10 | 3u << 5 |
		  12u << 1 | 1u;

	(void)state;
	assert_int_equal(sync_exit(v, esr_of(EC_SYS64, iss)), EXIT_CONTINUE);
	assert_int_equal(v->regs.x[3], 7);
	assert_int_equal(v->regs.pc, PC + 4);
	assert_only_reason(v, EXIT_R_SYSREG, 1);
}

/* Every exit reason has a name for the statistics. */
static void test_reason_names(void **state)
{
	(void)state;
	for (unsigned i = 0; i < EXIT_REASONS; i++) {
		assert_non_null(exit_reason_names[i]);
		for (unsigned j = 0; j < i; j++)
			assert_string_not_equal(exit_reason_names[i],
						exit_reason_names[j]);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_wfi_blocks),
		T(test_wfe_yields),
		T(test_hvc0_psci_version),
		T(test_hvc_nonzero_imm),
		T(test_smc0_psci),
		T(test_psci_actions),
		T(test_psci_system_reset),
		T(test_mmio_read_sizes),
		T(test_mmio_read_w_register),
		T(test_mmio_read_sign_extend),
		T(test_mmio_write_truncated),
		T(test_mmio_xzr),
		T(test_mmio_hpfar_decoding),
		T(test_dabt_no_syndrome),
		T(test_inject_vectors),
		T(test_dabt_outside_devices),
		T(test_dabt_refused),
		T(test_iabt),
		T(test_sea_reflected),
		T(test_sea_fnv),
		T(test_hpfar_invalid_not_emulated),
		T(test_permission_fault_ipa_from_stage1),
		T(test_inject_pstate_from_guest_features),
		T(test_unknown_ec_undef),
		T(test_irq_vector),
		T(test_serror_stops_vm),
		T(test_sysreg_dispatch),
		T(test_reason_names),
	};

	return cmocka_run_group_tests_name("exit", tests, NULL, NULL);
}
