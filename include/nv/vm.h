/*
 * A virtual machine: its description, its stage-2 tables, its emulated
 * devices and its vCPUs.
 */
#ifndef NV_VM_H
#define NV_VM_H

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
};

#endif
