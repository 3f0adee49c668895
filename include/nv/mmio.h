/*
 * Emulated MMIO: a guest data abort on an address no stage-2 mapping
 * covers is decoded once (ESR_EL2 ISS, Arm ARM D19.2 "ISS encoding for an
 * exception from a Data Abort") into a struct mmio_access and handed to
 * the device registered for that range.
 */
#ifndef NV_MMIO_H
#define NV_MMIO_H

#include <nv/types.h>

struct vcpu;

struct mmio_access {
	u64 addr;         /* guest physical address (IPA) */
	unsigned size;    /* 1, 2, 4 or 8 bytes */
	bool write;
	u64 data;         /* write: the value; read: filled by the device */
};

/* A read's result, zero-extended from the access size (a->size bytes). */
static inline void mmio_set_read(struct mmio_access *a, u64 val)
{
	a->data = a->size == 8 ? val : val & GENMASK(a->size * 8 - 1, 0);
}

struct mmio_ops {
	/*
	 * offset is relative to the region's base. Return false for an
	 * access the device does not accept: the guest gets an external
	 * abort. Reads set a->data (zero-extended to a->size bytes).
	 */
	bool (*access)(struct vcpu *vcpu, void *dev, u64 offset,
		       struct mmio_access *a);
};

struct mmio_region {
	u64 base;
	u64 size;
	const struct mmio_ops *ops;
	void *dev;
	const char *name;
};

#define VM_MAX_MMIO 16

struct mmio_bus {
	struct mmio_region r[VM_MAX_MMIO];
	unsigned n;
};

/* False if the bus is full or the range overlaps a registered one. */
bool mmio_bus_register(struct mmio_bus *bus, u64 base, u64 size,
		       const struct mmio_ops *ops, void *dev, const char *name);
const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus, u64 addr,
					unsigned size);

#endif
