/* Helpers shared by the host unit tests; see helpers.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/console.h>
#include <nv/cpufeature.h>
#include <nv/el2_ctl.h>
#include <nv/fake_arch.h>
#include <nv/shadow_s2.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vmid.h>
#include "helpers.h"
#include "vel2_fixture.h"

/* --- Fixtures --- */

void *fixture_load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", FIXTURE_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run make unit-build)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* --- Strings --- */

void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

void assert_not_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle))
		fail_msg("\"%s\" contains \"%s\"", haystack, needle);
}

unsigned count_occurrences(const char *haystack, const char *needle)
{
	size_t step = strlen(needle);
	unsigned n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)); p += step)
		n++;
	return n;
}

/* --- Console capture --- */

static struct {
	char text[16384];
	size_t len;
	unsigned writes;
} cap;

static void capture_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	cap.writes++;
	if (n > sizeof(cap.text) - 1 - cap.len)
		n = sizeof(cap.text) - 1 - cap.len;
	memcpy(cap.text + cap.len, s, n);
	cap.len += n;
	cap.text[cap.len] = '\0';
}

static const struct console_backend capture = { "capture", capture_write,
						NULL };

void capture_start(void)
{
	capture_reset();
	console_register(&capture);
}

void capture_stop(void)
{
	console_register(NULL);
}

void capture_reset(void)
{
	cap.len = 0;
	cap.text[0] = '\0';
	cap.writes = 0;
}

const char *capture_text(void)
{
	return cap.text;
}

unsigned capture_writes(void)
{
	return cap.writes;
}

unsigned capture_count(const char *needle)
{
	return count_occurrences(cap.text, needle);
}

/* --- A VM and its vCPUs --- */

void ut_vm_init(struct vm *vm, struct vcpu *vcpus, unsigned n)
{
	assert_true(n <= ARRAY_SIZE(vm->vcpus));
	memset(vm, 0, sizeof(*vm));
	memset(vcpus, 0, n * sizeof(*vcpus));
	for (unsigned i = 0; i < n; i++) {
		vcpus[i].vm = vm;
		vcpus[i].id = i;
		vcpus[i].mpidr = i;
		vm->vcpus[i] = &vcpus[i];
	}
	vm->nr_vcpus = n;
}

void ut_vcpus_power_on(struct vcpu *vcpus, unsigned n, u64 pc, u64 pstate)
{
	for (unsigned i = 0; i < n; i++) {
		vcpus[i].power = VCPU_ON;
		vcpus[i].regs.pc = pc;
		vcpus[i].regs.pstate = pstate;
	}
}

void ut_vgic_init(struct vm *vm, u64 dist, u64 redist, unsigned nr_spis)
{
	vgic_nr_lrs = 4;
	assert_true(vgic_init_vm(vm, dist, redist, nr_spis));
}

/* --- Page tables --- */

void *ut_alloc_table(void *ctx)
{
	struct ut_alloc *a = ctx;
	unsigned slot = 0;
	void *p;

	if (a->fail_after == 0)
		return NULL;
	if (a->fail_after > 0)
		a->fail_after--;
	while (slot < UT_ALLOC_SLOTS && a->tables[slot])
		slot++;
	assert_true(slot < UT_ALLOC_SLOTS);
	p = aligned_alloc(4096, 4096);
	assert_non_null(p);
	memset(p, 0, 4096);
	a->tables[slot] = p;
	a->count++;
	return p;
}

void ut_free_table(void *ctx, void *table)
{
	struct ut_alloc *a = ctx;

	for (unsigned i = 0; i < UT_ALLOC_SLOTS; i++) {
		if (a->tables[i] == table) {
			a->tables[i] = NULL;
			a->freed++;
			free(table);
			return;
		}
	}
	fail_msg("table %p is not one of this allocator's", table);
}

bool ut_alloc_owns(const struct ut_alloc *a, u64 addr)
{
	for (unsigned i = 0; i < UT_ALLOC_SLOTS; i++)
		if (a->tables[i] && (u64)(uintptr_t)a->tables[i] == addr)
			return true;
	return false;
}

void ut_alloc_release(struct ut_alloc *a)
{
	for (unsigned i = 0; i < UT_ALLOC_SLOTS; i++) {
		free(a->tables[i]);
		a->tables[i] = NULL;
	}
}

/* --- A VM whose vCPUs have a virtual EL2 --- */

static void ut_vel2_vm_init(struct vm *vm, struct vcpu *vcpus,
			    struct vcpu_nested *nested,
			    u64 (*vncr)[VEL2_VNCR_PAGE / 8], unsigned n,
			    const struct el2_policy *policy)
{
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.counter_freq = 62500000;
	fake_arch.el1_shared = true;
	fake_arch.el2_policy = *policy;
	ut_vm_init(vm, vcpus, n);
	vm->desc.virtual_el2 = true;
	/* What vm_desc_parse gives virtual-el2 without virtual-el2-features. */
	vm->desc.l1_vhe = vm->desc.l1_e2h0 = vm->desc.l1_nv1 = true;
	ut_vgic_init(vm, UT_VEL2_DIST, UT_VEL2_REDIST, UT_VEL2_SPIS);
	for (unsigned i = 0; i < n; i++) {
		vel2_vcpu_init(&vcpus[i], &nested[i], vncr[i]);
		vcpus[i].power = VCPU_ON;
		vcpu_apply_reset(&vcpus[i]);
	}
	/* vCPU 0 on the CPU: its EL1 image in the registers (arch_vcpu_load). */
	{
		const struct vcpu_sysregs *s = &vcpus[0].sys;

		fake_arch.el1 = (struct el1_ctx){
			.sctlr = s->sctlr_el1, .cpacr = s->cpacr_el1,
			.ttbr0 = s->ttbr0_el1, .ttbr1 = s->ttbr1_el1,
			.tcr = s->tcr_el1, .esr = s->esr_el1, .far = s->far_el1,
			.afsr0 = s->afsr0_el1, .afsr1 = s->afsr1_el1,
			.mair = s->mair_el1, .amair = s->amair_el1,
			.contextidr = s->contextidr_el1, .vbar = s->vbar_el1,
			.elr = s->elr_el1, .spsr = s->spsr_el1, .sp = s->sp_el1,
		};
	}
}

static struct vmid_space ut_shadow_vmids;
static struct cpu_features ut_shadow_host;

static void ut_shadow_pool_init(struct vm *vm, struct shadow_pool *p,
			       struct ut_alloc *a, struct pgtable_mm *mm)
{
	struct shadow_env env = {
		.mm = mm,
		.free_table = ut_free_table,
		.tlb = &shadow_tlb_arch,
		.vmids = &ut_shadow_vmids,
		.host = &ut_shadow_host,
		.l1_pa_bits = 44,
		.rd = shadow_s2_read_l1,
		.rd_ctx = vm,
	};

	memset(a, 0, sizeof(*a));
	a->fail_after = -1;
	*mm = (struct pgtable_mm){ ut_alloc_table, a };
	ut_shadow_host = (struct cpu_features){
		.pa_bits = 48, .parange = 5, .vmid_bits = 16,
	};
	vmid_space_init(&ut_shadow_vmids, 16);
	shadow_pool_init(p, &env);
	vm->shadow = p;
}

int ut_vel2_setup(void **state)
{
	struct ut_vel2 *f = *state;

	ut_vel2_vm_init(&f->vm, f->vcpu, f->nested, f->vncr, 1, &f->policy);
	f->vm.vttbr = UT_VEL2_VTTBR;
	f->vm.vtcr = UT_VEL2_VTCR;
	strcpy(f->vm.desc.name, "nested");
	vel2_load(&f->vcpu[0]);
	ut_shadow_pool_init(&f->vm, &f->pool, &f->alloc, &f->mm);
	memset(&f->cpu, 0, sizeof(f->cpu));
	set_this_cpu(&f->cpu);
	capture_start();
	return 0;
}

int ut_vel2_teardown(void **state)
{
	struct ut_vel2 *f = *state;

	capture_stop();
	if (f->nested[0].shadow)
		shadow_s2_put(&f->vm, f->nested[0].shadow);
	f->nested[0].shadow = NULL;
	shadow_pool_destroy(&f->vm);
	f->vm.shadow = NULL;
	ut_alloc_release(&f->alloc);
	set_this_cpu(NULL);
	memset(&fake_arch, 0, sizeof(fake_arch));
	return 0;
}

/* --- MMIO --- */

bool ut_mmio(struct vm *vm, struct vcpu *vcpu, u64 addr, unsigned size,
	     bool write, u64 *data)
{
	const struct mmio_region *r = mmio_bus_find(&vm->mmio, addr, size);
	struct mmio_access a = {
		.addr = addr,
		.size = size,
		.write = write,
		.data = write ? *data : 0xdeadbeefdeadbeefull,
	};

	assert_non_null(r);
	if (!r->ops->access(vcpu, r->dev, addr - r->base, &a))
		return false;
	if (!write)
		*data = a.data;
	return true;
}

u64 ut_mmio_read(struct vm *vm, struct vcpu *vcpu, u64 addr, unsigned size)
{
	u64 v = 0;

	assert_true(ut_mmio(vm, vcpu, addr, size, false, &v));
	return v;
}

void ut_mmio_write(struct vm *vm, struct vcpu *vcpu, u64 addr, unsigned size,
		   u64 val)
{
	assert_true(ut_mmio(vm, vcpu, addr, size, true, &val));
}
