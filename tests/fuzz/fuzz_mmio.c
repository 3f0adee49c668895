/*
 * Guest exits with random syndromes (src/cpu/exit.c, the ESR decoding of
 * src/cpu/esr.c, and the devices behind the MMIO bus): a VM with a
 * 2-vCPU vGICv3, a PL011 and the test device takes a sequence of
 * synchronous exits whose ESR_EL2 (data and instruction aborts mostly,
 * also system-register traps, WFx and classes nobody handles), FAR_EL2,
 * HPFAR_EL2 (as guest_exit saves them in the vCPU) and registers come
 * from the input. HVC and SMC are left to
 * the PSCI tests: they may power the VM off.
 *
 * Checks, per exit: a data abort with a valid syndrome decodes as the Arm
 * ARM's ISS fields say; it is either emulated (the PC moves on by 4 and
 * only the transfer register may change, zero-extended past 32 bits for a
 * W register) or becomes an external abort injected into the guest;
 * without a syndrome, or with a fault status for which HPFAR_EL2 is not
 * valid, it is always an injected abort; the exit counters count each
 * exit once.
 */
#include <nv/esr.h>
#include <nv/exit.h>
#include <nv/fake_arch.h>
#include <nv/percpu.h>
#include <nv/testdev.h>
#include <nv/trap.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vpl011.h>
#include <nv/vtimer.h>
#include "fuzz.h"

#define DIST 0x08000000u
#define REDIST 0x080a0000u
#define UART 0x09000000u
#define TESTDEV 0x0a000000u
#define VBAR UINT64_C(0xffff800010080000)
#define PC UINT64_C(0x40081000)
#define MAX_EXITS 16
#define VEC_SYNC (TRAP_LOWER_A64 * 4 + TRAP_SYNC)

static struct vm vm;
static struct vcpu vcpus[2];
static struct vpl011 uart;
static struct testdev tdev;
static struct percpu cpu;

/* The VM as setup() first builds it, restored before every input. */
static struct {
	struct vm vm;
	struct vcpu vcpus[2];
	struct vpl011 uart;
	struct testdev tdev;
	struct fake_arch arch;
} pristine;

static void build(void)
{
	char err[128];

	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter_freq = 62500000;
	fake_arch.counter = 1000;
	fake_arch.vbar_el1 = VBAR;
	memset(&vm, 0, sizeof(vm));
	memset(vcpus, 0, sizeof(vcpus));
	for (unsigned i = 0; i < 2; i++) {
		vcpus[i].vm = &vm;
		vcpus[i].id = i;
		vcpus[i].mpidr = i;
		vcpus[i].power = VCPU_ON;
		vcpus[i].regs.pc = PC;
		vcpus[i].regs.pstate = 0x3c5;
		vm.vcpus[i] = &vcpus[i];
	}
	vm.nr_vcpus = 2;
	vm.vtcr = 64 - 40;
	strcpy(vm.desc.name, "fuzzvm");
	vm.desc.uart_base = UART;
	vm.desc.uart_spi = 1;
	vm.desc.test_dev_base = TESTDEV;
	vgic_nr_lrs = 4;
	FUZZ_CHECK(vgic_init_vm(&vm, DIST, REDIST, 64));
	FUZZ_CHECK(vpl011_init(&vm, &uart, err, sizeof(err)));
	vm.uart = &uart;
	FUZZ_CHECK(testdev_init(&vm, &tdev, err, sizeof(err)));
}

/*
 * Every input starts from the same VM: built once, then copied back (the
 * objects stay where they are, so the pointers between them hold).
 */
static void setup(void)
{
	static bool built;

	if (!built) {
		build();
		pristine.vm = vm;
		memcpy(pristine.vcpus, vcpus, sizeof(vcpus));
		pristine.uart = uart;
		pristine.tdev = tdev;
		pristine.arch = fake_arch;
		built = true;
	}
	vm = pristine.vm;
	memcpy(vcpus, pristine.vcpus, sizeof(vcpus));
	uart = pristine.uart;
	tdev = pristine.tdev;
	fake_arch = pristine.arch;
	memset(&cpu, 0, sizeof(cpu));
	set_this_cpu(&cpu);
}

/* Exception classes to try, data aborts most often. */
static const unsigned classes[] = {
	EC_DABT_LOW, EC_DABT_LOW, EC_DABT_LOW, EC_DABT_LOW, EC_DABT_LOW,
	EC_IABT_LOW, EC_SYS64, EC_WFX, EC_UNKNOWN, EC_FP_ASIMD, EC_SVE,
	EC_BRK64, EC_DABT_CUR,
};

static u64 total_exits(const struct vcpu *v)
{
	u64 n = 0;

	for (unsigned i = 0; i < EXIT_REASONS; i++)
		n += v->exit_reasons[i];
	return n;
}

static void one_exit(struct vcpu *v, u64 esr)
{
	struct vcpu_regs before = v->regs;
	unsigned injects = fake_arch.injects;
	u64 exits = total_exits(v);
	struct dabt_access d;
	enum exit_action act;
	bool isv = esr_decode_dabt(esr, &d);

	v->regs.esr_el2 = esr;
	act = handle_exit(v, VEC_SYNC);
	FUZZ_CHECK(act <= EXIT_STOP);
	FUZZ_CHECK(total_exits(v) >= exits + 1);
	if (esr_ec(esr) != EC_DABT_LOW)
		return;
	FUZZ_CHECK(total_exits(v) == exits + 1);
	FUZZ_CHECK(act == EXIT_CONTINUE);
	if (!esr_hpfar_valid(esr) && esr_is_permission_fault(esr) &&
	    !(esr & DABT_FNV) && !fake_arch.s1_ok) {
		/* no IPA from the guest's stage 1 (fake: never): run it again */
		FUZZ_CHECK(fake_arch.injects == injects);
		FUZZ_CHECK(v->regs.pc == before.pc);
		return;
	}
	if (!isv || !esr_hpfar_valid(esr)) {
		FUZZ_CHECK(fake_arch.injects == injects + 1);
		return;
	}
	/* ISS for a Data Abort: SAS [23:22], SSE 21, SRT [20:16], SF 15, WnR 6. */
	FUZZ_CHECK(d.size == 1u << ((esr >> 22) & 3));
	FUZZ_CHECK(d.reg == ((esr >> 16) & 31));
	FUZZ_CHECK(d.write == ((esr >> 6) & 1) && d.sign_extend == ((esr >> 21) & 1));
	FUZZ_CHECK(d.sixty_four == ((esr >> 15) & 1));
	if (fake_arch.injects != injects) {
		FUZZ_CHECK(fake_arch.injects == injects + 1);
		FUZZ_CHECK(v->exit_reasons[EXIT_R_ABORT] >= 1);
		return;
	}
	FUZZ_CHECK(v->regs.pc == before.pc + 4);
	FUZZ_CHECK(v->exit_reasons[EXIT_R_MMIO] >= 1);
	for (unsigned r = 0; r < 31; r++) {
		if (!d.write && r == d.reg)
			continue;
		FUZZ_CHECK(v->regs.x[r] == before.x[r]);
	}
	if (!d.write && d.reg != 31 && !d.sixty_four)
		FUZZ_CHECK(!(v->regs.x[d.reg] >> 32));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u8 head = fuzz_u8(&in);
	unsigned n = (head & 0x7f) % (MAX_EXITS + 1);

	fuzz_quiet_console();
	setup();
	/*
	 * Bit 7: the vCPUs have used up their warnings (vcpu_warn returns
	 * at once). Formatting them is most of an exit's cost, and half of
	 * the inputs still do.
	 */
	if (head & 0x80)
		vcpus[0].warnings = vcpus[1].warnings = VCPU_WARN_LIMIT + 1;
	for (unsigned i = 0; i < 31; i++)
		vcpus[0].regs.x[i] = vcpus[1].regs.x[i] = fuzz_u64(&in);
	for (unsigned i = 0; i < n; i++) {
		u8 kind = fuzz_u8(&in);
		u32 iss = fuzz_u32(&in) & ESR_ISS_MASK;
		struct vcpu *v = &vcpus[kind >> 7];
		u64 page = fuzz_u8(&in);

		v->regs.far_el2 = fuzz_u64(&in);
		/*
		 * HPFAR_EL2.FIPA [47:4] is IPA[55:12]: mostly a page of one of
		 * the devices (kind bits 4-6 choose it), with a stage-2
		 * translation fault (DFSC 0b0001LL, for which HPFAR is valid);
		 * sometimes any address and any fault status.
		 */
		switch ((kind >> 4) & 7) {
		case 0:
			v->regs.hpfar_el2 = fuzz_u64(&in);
			break;
		case 1:
		case 2:
			v->regs.hpfar_el2 = ((DIST >> 12) + page % 16) << 4;
			break;
		case 3:
		case 4:
			v->regs.hpfar_el2 = ((REDIST >> 12) + page % 64) << 4;
			break;
		case 5:
			v->regs.hpfar_el2 = (UART >> 12) << 4;
			break;
		default:
			v->regs.hpfar_el2 = (TESTDEV >> 12) << 4;
			break;
		}
		if ((kind >> 4) & 7)
			iss = (iss & ~(u32)DABT_DFSC) | 0x04 | (iss & 3);
		one_exit(v, (u64)classes[(kind & 15) % ARRAY_SIZE(classes)] << 26 |
				    ESR_IL | iss);
		v->regs.pc = PC;
		v->regs.pstate = 0x3c5;
	}
	return 0;
}
