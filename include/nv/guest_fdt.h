/* The device tree nestvisor writes for each guest, from its description. */
#ifndef NV_GUEST_FDT_H
#define NV_GUEST_FDT_H

#include <nv/types.h>
#include <nv/vm_desc.h>

struct guest_fdt_info {
	const struct vm_desc *desc;
	const u64 *mpidrs;         /* one per vCPU */
	u64 initrd_start, initrd_size; /* IPA; size 0: none */
	struct {
		u32 phys, virt, hyp_phys, hyp_virt; /* PPI INTIDs */
	} timer;
};

/*
 * Writes a DTB into buf: memory, cpus (MPIDRs, PSCI), psci (hvc),
 * arm,armv8-timer, arm,gic-v3, the PL011, the test device if any, and
 * /chosen (bootargs, stdout-path, initrd). Returns its size, 0 if buf is
 * too small.
 */
size_t guest_fdt_build(const struct guest_fdt_info *gi, void *buf,
		       size_t size);

#endif
