/*
 * A VM's emulated MMIO regions: a small array of non-overlapping ranges,
 * searched linearly (a VM has a handful of devices).
 */
#include <nv/mmio.h>

/* [b1, b1 + s1) and [b2, b2 + s2) share a byte; sizes are non-zero. */
static bool ranges_overlap(u64 b1, u64 s1, u64 b2, u64 s2)
{
	return b1 <= b2 + (s2 - 1) && b2 <= b1 + (s1 - 1);
}

bool mmio_bus_register(struct mmio_bus *bus, u64 base, u64 size,
		       const struct mmio_ops *ops, void *dev, const char *name)
{
	struct mmio_region *r;
	unsigned i;

	if (bus->n >= VM_MAX_MMIO || size == 0 || !ops || !ops->access)
		return false;
	if (base + (size - 1) < base) /* wraps around */
		return false;
	for (i = 0; i < bus->n; i++)
		if (ranges_overlap(base, size, bus->r[i].base, bus->r[i].size))
			return false;
	r = &bus->r[bus->n++];
	r->base = base;
	r->size = size;
	r->ops = ops;
	r->dev = dev;
	r->name = name;
	return true;
}

/* The region holding all of [addr, addr + size), or NULL. */
const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus, u64 addr,
					unsigned size)
{
	u64 last = addr + (size ? size - 1 : 0);
	unsigned i;

	if (last < addr)
		return NULL;
	for (i = 0; i < bus->n; i++) {
		const struct mmio_region *r = &bus->r[i];

		if (addr >= r->base && last <= r->base + (r->size - 1))
			return r;
	}
	return NULL;
}
