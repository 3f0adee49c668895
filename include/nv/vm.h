/*
 * A virtual machine: its description, its stage-2 tables, its emulated
 * devices and its vCPUs.
 */
#ifndef NV_VM_H
#define NV_VM_H

#include <nv/bootparam.h>
#include <nv/loader.h>
#include <nv/mmio.h>
#include <nv/pgtable.h>
#include <nv/spinlock.h>
#include <nv/types.h>
#include <nv/vgic.h>
#include <nv/vm_desc.h>

#define MAX_VMS 4

enum vm_state {
	VM_RUNNING,
	VM_OFF,   /* powered off by the guest (PSCI SYSTEM_OFF) or killed */
};

struct cpu_features;
struct platform;
struct shadow_pool;

struct vm {
	unsigned id;
	u16 vmid;
	struct vm_desc desc;
	enum vm_state state;
	struct pgtable s2;
	u64 vttbr;
	u64 vtcr;
	u64 cntvoff;
	struct mmio_bus mmio;
	struct vgic_dist vgic;
	void *uart; /* struct vpl011 */
	struct vcpu *vcpus[VM_MAX_VCPUS];
	unsigned nr_vcpus;
	struct spinlock lock;
	/* What a reset reloads: the images in the bundle and the plan. */
	const void *kernel;
	size_t kernel_len;
	const void *initrd;
	size_t initrd_len;
	struct load_plan plan;
	void *fdt;
	size_t fdt_len;
	bool failed; /* stopped by nestvisor rather than by the guest */
	struct shadow_pool *shadow; /* virtual-el2: shadow stage 2s (mem/shadow_s2.c) */
};

/* Host facts VM creation needs. */
struct vm_host {
	const struct cpu_features *features;
	const struct id_regs *id;
	u32 vtimer_intid, ptimer_intid, hyp_ptimer_intid, hyp_vtimer_intid;
	enum nested_mode nested; /* resolved: off, nv or nv2 */
};

/*
 * Builds a VM from its description and the bundle holding its images:
 * stage 2 with its RAM, the loaded kernel/initrd/device tree, vCPUs and
 * emulated devices. False with a message naming the VM on any problem.
 */
struct vm *vm_create(const struct vm_desc *d, const void *bundle,
		     size_t bundle_len, const struct vm_host *host, char *err,
		     size_t errlen);
/* Copies into guest RAM through stage 2; false if not all of it is RAM. */
bool vm_copy_to_guest(struct vm *vm, u64 ipa, const void *src, size_t len);
/* Reloads the images and resets every vCPU (PSCI SYSTEM_RESET). */
void vm_reset(struct vm *vm);
/* Marks the VM off; failed: stopped by nestvisor because of an error. */
void vm_power_off(struct vm *vm, bool failed);
struct vm *vm_get(unsigned idx);
/* The vCPU whose MPIDR_EL1 affinity is mpidr's (other bits ignored), or NULL. */
struct vcpu *vm_find_vcpu(struct vm *vm, u64 mpidr);
unsigned vm_count(void);

#endif
