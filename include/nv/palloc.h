/*
 * The physical page allocator: RAM from the device tree less everything
 * in use at boot (nestvisor's image, the DTB, the initrd, reserved ranges).
 */
#ifndef NV_PALLOC_H
#define NV_PALLOC_H

#include <nv/platform.h>
#include <nv/types.h>

#define PALLOC_MAX_RANGES 64

struct range_set {
	struct mem_region r[PALLOC_MAX_RANGES];
	unsigned n;
};

/* Removes [base, base+size) from every range of s; false if s overflows. */
bool range_set_subtract(struct range_set *s, paddr_t base, u64 size);
bool range_set_add(struct range_set *s, paddr_t base, u64 size);
u64 range_set_total(const struct range_set *s);

/* Seeds the allocator with free RAM: platform RAM minus the busy ranges. */
bool palloc_init(const struct platform *p, const struct mem_region *busy,
		 unsigned nbusy);
/* Allocates 2^order contiguous zeroed pages, or returns 0. */
paddr_t palloc_pages(unsigned order);
void *palloc_page(void);
/*
 * Gives back 2^order pages from palloc_pages(order) (0 is ignored). False
 * if the free-range table is full and they could not be taken back.
 */
bool palloc_free_pages(paddr_t pa, unsigned order);
void palloc_free_page(void *page);
u64 palloc_free_bytes(void);

#endif
