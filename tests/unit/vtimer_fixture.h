/*
 * The fixture test_vtimer.c and test_vtimer_nested.c share: a VM of
 * NR_VCPUS vCPUs with its vGIC, the guest timers' PPIs, this CPU with its
 * redistributor at GICR_BASE, the fake arch's counter at NOW; and the
 * tests' teardown. Included once per test file, after <nv/fake_arch.h>,
 * <nv/percpu.h>, <nv/vm.h>, <nv/vtimer.h> and "helpers.h".
 */
#ifndef NV_TESTS_UNIT_VTIMER_FIXTURE_H
#define NV_TESTS_UNIT_VTIMER_FIXTURE_H

#define NR_VCPUS 2
#define DIST 0x08000000u
#define REDIST 0x080a0000u
#define VTIMER_PPI 27
#define PTIMER_PPI 30
#define NOW 100000u
#define NEVER (~UINT64_C(0))
#define EN CNT_CTL_ENABLE_BIT
#define IMASK CNT_CTL_IMASK_BIT
#define ISTATUS CNT_CTL_ISTATUS_BIT
#define GICR_BASE UINT64_C(0x80c0000)

static struct vm vm;
static struct {
	struct vcpu v[NR_VCPUS];
} vc;
static struct percpu cpu;

/*
 * The fake arch reset (its GIC MMIO through rd and wr, NULL: reads 0,
 * writes dropped), the VM (its cntvoff 5000) and its vGIC, vtimer_init
 * with the two PPIs, this CPU.
 */
static void vtimer_fixture_setup(u64 (*rd)(paddr_t addr, unsigned size),
				 void (*wr)(paddr_t addr, u64 val, unsigned size))
{
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter = NOW;
	fake_arch.mmio_read = rd;
	fake_arch.mmio_write = wr;
	ut_vm_init(&vm, vc.v, NR_VCPUS);
	vm.cntvoff = 5000;
	ut_vgic_init(&vm, DIST, REDIST, 32);
	vtimer_init(VTIMER_PPI, PTIMER_PPI);
	memset(&cpu, 0, sizeof(cpu));
	cpu.gicr = GICR_BASE;
	set_this_cpu(&cpu);
}

static int teardown(void **state)
{
	(void)state;
	set_this_cpu(NULL);
	memset(&fake_arch, 0, sizeof(fake_arch));
	return 0;
}

#endif
