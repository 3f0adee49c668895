/* VM construction from a description: stage 2, RAM, images, vCPUs, devices. */
#include <string.h>
#include <nv/arch.h>
#include <nv/cpio.h>
#include <nv/fmt.h>
#include <nv/guest_fdt.h>
#include <nv/log.h>
#include <nv/palloc.h>
#include <nv/shadow_s2.h>
#include <nv/stage2.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vdev.h>
#include <nv/vm.h>
#include <nv/vmid.h>

#define GUEST_FDT_BUF 0x4000

static struct vm vms[MAX_VMS];
static struct vcpu vcpu_pool[MAX_VMS][VM_MAX_VCPUS];
/* The nested halves of virtual-el2 VMs' vCPUs. */
static struct vcpu_nested nested_pool[MAX_VMS][VM_MAX_VCPUS];
static u8 fdt_bufs[MAX_VMS][GUEST_FDT_BUF] __aligned(8);
static unsigned nr_vms;

struct vm *vm_get(unsigned idx)
{
	return idx < nr_vms ? &vms[idx] : NULL;
}

unsigned vm_count(void)
{
	return nr_vms;
}

/*
 * O(1) when vCPU i has Aff0 = i, as nestvisor numbers them (vm_create);
 * a search otherwise.
 */
struct vcpu *vm_find_vcpu(struct vm *vm, u64 mpidr)
{
	u64 aff = mpidr & MPIDR_AFF_MASK;
	unsigned i = (unsigned)field_get(MPIDR_AFF0, aff);

	if (i < vm->nr_vcpus && vm->vcpus[i]->mpidr == aff)
		return vm->vcpus[i];
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i]->mpidr == aff)
			return vm->vcpus[i];
	return NULL;
}

static void *s2_alloc(void *ctx)
{
	(void)ctx;
	return palloc_page();
}

static const struct pgtable_mm s2_mm = { s2_alloc, NULL };

/* Bytes a failed VM could not give back (the allocator's range table full). */
static u64 release_lost;

static void s2_free(void *ctx, void *table)
{
	(void)ctx;
	if (!palloc_free_pages((paddr_t)(uintptr_t)table, 0))
		release_lost += PAGE_SIZE;
}

bool vm_copy_to_guest(struct vm *vm, u64 ipa, const void *src, size_t len)
{
	const u8 *s = src;

	while (len) {
		unsigned level;
		u64 pa, chunk;

		if (!pgtable_lookup(&vm->s2, ipa, &level, &pa))
			return false;
		chunk = MIN((u64)len, pgt_level_size(level) - (ipa & (pgt_level_size(level) - 1)));
		if (s)
			memcpy((void *)(uintptr_t)pa, s, chunk);
		else
			memset((void *)(uintptr_t)pa, 0, chunk);
		/* The guest starts with its MMU off: make the data visible at the PoC. */
		arch_dcache_clean((void *)(uintptr_t)pa, chunk);
		if (s)
			s += chunk;
		ipa += chunk;
		len -= chunk;
	}
	return true;
}

/* 2 MiB blocks for all of the VM's RAM; false if RAM or a table is missing. */
static bool map_ram(struct vm *vm, bool *no_table)
{
	const struct vm_desc *d = &vm->desc;

	*no_table = false;
	for (u64 off = 0; off < d->ram_size; off += SZ_2M) {
		paddr_t pa = palloc_pages(9);

		if (!pa)
			return false;
		if (pgtable_map(&vm->s2, d->ram_base + off, pa, SZ_2M, S2_ATTR_RAM)) {
			palloc_free_pages(pa, 9);
			*no_table = true;
			return false;
		}
	}
	return true;
}

/*
 * Gives back what a VM that could not be created holds: the 2 MiB blocks
 * of RAM its stage 2 maps, the stage-2 tables, its VMID. It has never
 * run, so no TLB holds its VMID. Its slot, vCPUs and devices are
 * per-slot storage that the next vm_create starts over.
 */
static void vm_release(struct vm *vm)
{
	const struct vm_desc *d = &vm->desc;

	if (vm->shadow)
		shadow_pool_destroy(vm);
	vm->shadow = NULL;
	if (vm->s2.root) {
		for (u64 off = 0; off < d->ram_size; off += SZ_2M) {
			unsigned level;
			u64 pa;

			if (!pgtable_lookup(&vm->s2, d->ram_base + off, &level, &pa))
				break; /* mapped in order: the rest was never mapped */
			if (!palloc_free_pages(pa, 9))
				release_lost += SZ_2M;
		}
		pgtable_destroy(&vm->s2, s2_free);
	}
	if (release_lost) {
		pr_warn("vm '%s': %llu KiB could not be given back (the page allocator's range table is full)\n",
			d->name, (unsigned long long)(release_lost >> 10));
		release_lost = 0;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu_nested *n = vm->vcpus[i]->nested;

		if (n && n->el2.vncr) {
			palloc_free_page(n->el2.vncr);
			n->el2.vncr = NULL;
		}
	}
	vmid_unpin(vmid_host(0), vm->vmid);
	vm->vmid = 0;
	vm->nr_vcpus = 0;
}

static bool load_images(struct vm *vm)
{
	const struct load_plan *p = &vm->plan;
	const u8 *k = vm->kernel;

	for (unsigned i = 0; i < p->nseg; i++) {
		const struct load_seg *s = &p->seg[i];

		if (!vm_copy_to_guest(vm, s->ipa, k + s->off, s->filesz) ||
		    !vm_copy_to_guest(vm, s->ipa + s->filesz, NULL,
				      (size_t)(s->memsz - s->filesz)))
			return false;
	}
	if (vm->initrd_len &&
	    !vm_copy_to_guest(vm, p->initrd_ipa, vm->initrd, vm->initrd_len))
		return false;
	return vm_copy_to_guest(vm, p->fdt_ipa, vm->fdt, vm->fdt_len);
}

static bool find_file(const struct vm_desc *d, const void *bundle, size_t blen,
		      const char *prop, const char *name, const void **data,
		      size_t *len, char *err, size_t errlen)
{
	struct cpio_file f;
	struct cpio_error e;
	enum cpio_status st = cpio_lookup(bundle, blen, name, &f, &e);

	if (st == CPIO_CORRUPT) {
		char why[256];

		cpio_error_format(&e, why, sizeof(why));
		nv_snprintf(err, errlen, "vm '%s': property '%s': file '%s': %s",
			    d->name, prop, name, why);
		return false;
	}
	if (st != CPIO_OK) {
		nv_snprintf(err, errlen, "vm '%s': property '%s': file '%s' is not in the bundle",
			    d->name, prop, name);
		return false;
	}
	*data = f.data;
	*len = f.size;
	return true;
}

static u64 vm_top(const struct vm_desc *d)
{
	u64 top = d->ram_base + d->ram_size;

	top = MAX(top, d->gicd_base + VM_GICD_SIZE);
	top = MAX(top, d->gicr_base + (u64)VM_GICR_SIZE_PER_VCPU * d->nr_vcpus);
	top = MAX(top, d->uart_base + VM_UART_SIZE);
	if (d->test_dev_base)
		top = MAX(top, d->test_dev_base + VM_TEST_DEV_SIZE);
	return top;
}

static bool build_fdt(struct vm *vm, const struct vm_host *host, char *err,
		      size_t errlen)
{
	u64 mpidrs[VM_MAX_VCPUS];
	struct guest_fdt_info gi = {
		.desc = &vm->desc,
		.mpidrs = mpidrs,
		.initrd_start = vm->plan.initrd_ipa,
		.initrd_size = vm->initrd_len,
		.timer = { host->ptimer_intid, host->vtimer_intid,
			   host->hyp_ptimer_intid, host->hyp_vtimer_intid },
	};

	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		mpidrs[i] = vm->vcpus[i]->mpidr;
	vm->fdt = fdt_bufs[vm->id];
	vm->fdt_len = guest_fdt_build(&gi, vm->fdt, GUEST_FDT_BUF);
	if (!vm->fdt_len) {
		nv_snprintf(err, errlen, "vm '%s': its device tree does not fit in %u bytes",
			    vm->desc.name, GUEST_FDT_BUF);
		return false;
	}
	return true;
}

static void vcpus_reset(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = vm->vcpus[i];

		if (i == 0)
			vcpu_reset(v, vm->plan.entry, vm->plan.fdt_ipa);
		else
			v->power = VCPU_OFF;
	}
}

struct vm *vm_create(const struct vm_desc *d, const void *bundle,
		     size_t bundle_len, const struct vm_host *host, char *err,
		     size_t errlen)
{
	struct vm *vm;
	unsigned ipa_bits;
	bool no_table;

	if (nr_vms >= MAX_VMS) {
		nv_snprintf(err, errlen, "vm '%s': more than %d VMs", d->name, MAX_VMS);
		return NULL;
	}
	if (!vm_desc_check_host(d, host->features, err, errlen))
		return NULL;
	if (d->virtual_el2 && host->nested == NESTED_OFF) {
		nv_snprintf(err, errlen,
			    "vm '%s': virtual-el2 needs nested=nv or nv2 (booted with nested=off)",
			    d->name);
		return NULL;
	}
	vm = &vms[nr_vms];
	memset(vm, 0, sizeof(*vm));
	vm->id = nr_vms;
	vm->desc = *d;
	if (!find_file(d, bundle, bundle_len, "kernel", d->kernel, &vm->kernel,
		       &vm->kernel_len, err, errlen))
		return NULL;
	if (d->initrd[0] &&
	    !find_file(d, bundle, bundle_len, "initrd", d->initrd, &vm->initrd,
		       &vm->initrd_len, err, errlen))
		return NULL;
	{
		char why[192];

		if (!loader_plan(vm->kernel, vm->kernel_len, vm->initrd_len,
				 d->ram_base, d->ram_size, &vm->plan, why,
				 sizeof(why))) {
			nv_snprintf(err, errlen, "vm '%s': kernel '%s': %s",
				    d->name, d->kernel, why);
			return NULL;
		}
	}
	ipa_bits = stage2_ipa_bits(MAX(vm_top(d), UINT64_C(1) << stage2_min_ipa_bits(d->virtual_el2)), host->features);
	if (!ipa_bits) {
		nv_snprintf(err, errlen,
			    "vm '%s': its address map (up to 0x%llx) does not fit the IPA sizes the CPU's %u-bit physical address range allows (32, 36, 44 or 48 bits)",
			    d->name, (unsigned long long)vm_top(d),
			    host->features->pa_bits);
		return NULL;
	}
	/* From here on every failure gives back what was taken (vm_release). */
	vm->vmid = vmid_pin(vmid_host(host->features->vmid_bits));
	if (!vm->vmid) {
		nv_snprintf(err, errlen, "vm '%s': no VMID left (%u-bit VMIDs)",
			    d->name, host->features->vmid_bits);
		goto fail;
	}
	if (!pgtable_init(&vm->s2, ipa_bits, &s2_mm)) {
		nv_snprintf(err, errlen, "vm '%s': no memory for its stage-2 tables",
			    d->name);
		goto fail;
	}
	vm->vtcr = stage2_vtcr(ipa_bits, host->features);
	vm->vttbr = stage2_vttbr(&vm->s2, vm->vmid);
	if (!map_ram(vm, &no_table)) {
		/* What is left once this VM has given back what it took. */
		vm_release(vm);
		nv_snprintf(err, errlen,
			    "vm '%s': out of memory for its %llu MiB of RAM%s (%llu MiB free)",
			    d->name, (unsigned long long)(d->ram_size >> 20),
			    no_table ? " and its stage-2 tables" : "",
			    (unsigned long long)(palloc_free_bytes() >> 20));
		return NULL;
	}

	vm->nr_vcpus = d->nr_vcpus;
	for (unsigned i = 0; i < d->nr_vcpus; i++) {
		struct vcpu *v = &vcpu_pool[vm->id][i];

		memset(v, 0, sizeof(*v));
		v->vm = vm;
		v->id = i;
		/* Aff0 = vCPU index: one cluster of up to 8 vCPUs. */
		v->mpidr = i;
		v->pcpu = ~0u;
		/* MIDR_EL1 as the guest reads it (VPIDR_EL2): the host's. */
		v->sys.vpidr_el2 = host->id->midr;
		vm->vcpus[i] = v;
		if (d->virtual_el2) {
			/* RAM is identity-mapped at EL2: the page's VA is its PA. */
			u64 *vncr = palloc_page();

			if (!vncr) {
				vm->nr_vcpus = i;
				nv_snprintf(err, errlen, "vm '%s': no memory for the VNCR page of vCPU %u",
					    d->name, i);
				goto fail;
			}
			vel2_vcpu_init(v, &nested_pool[vm->id][i], vncr);
			v->nested->nv2 = host->nested == NESTED_NV2;
			/* What the description offers L1 (its ID registers say the same). */
			v->nested->feat.vhe = d->l1_vhe;
			v->nested->feat.e2h_res1 = d->l1_vhe && !d->l1_e2h0;
		}
	}
	if (d->virtual_el2 &&
	    !shadow_pool_create(vm, ipa_bits, host->features, err, errlen))
		goto fail;
	if (!build_fdt(vm, host, err, errlen))
		goto fail;
	if (!vdev_init_vm(vm, host, err, errlen))
		goto fail;
	vm->cntvoff = arch_counter();
	if (!load_images(vm)) {
		nv_snprintf(err, errlen, "vm '%s': loading the images failed", d->name);
		goto fail;
	}
	vcpus_reset(vm);
	vm->state = VM_RUNNING;
	nr_vms++;
	pr_info("vm '%s': %u vCPU(s), %llu MiB at 0x%llx, %s '%s' entry 0x%llx%s, VMID %u, %u-bit IPA\n",
		d->name, d->nr_vcpus, (unsigned long long)(d->ram_size >> 20),
		(unsigned long long)d->ram_base, image_format_name(vm->plan.format),
		d->kernel, (unsigned long long)vm->plan.entry,
		vm->initrd_len ? ", initrd" : "", vm->vmid, ipa_bits);
	return vm;

fail:
	vm_release(vm);
	return NULL;
}

void vm_reset(struct vm *vm)
{
	spin_lock(&vm->lock);
	load_images(vm);
	vcpus_reset(vm);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i]->tlb_flush_pending = true;
	/* A reset guest hypervisor has no stage-2 TLB entries for L2 left. */
	if (vm->shadow)
		shadow_s2_tlbi_all(vm);
	vdev_reset_vm(vm);
	spin_unlock(&vm->lock);
	/* vCPUs running elsewhere must notice they were stopped. */
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(vm->vcpus[i]);
}

void vm_power_off(struct vm *vm, bool failed)
{
	spin_lock(&vm->lock);
	if (vm->state != VM_OFF) {
		vm->state = VM_OFF;
		vm->failed = failed;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i]->power = VCPU_OFF;
	spin_unlock(&vm->lock);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(vm->vcpus[i]);
}
