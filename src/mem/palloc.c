/* First-fit page allocator over the free RAM ranges. */
#include <string.h>
#include <nv/arch.h>
#include <nv/palloc.h>
#include <nv/pgtable.h>
#include <nv/spinlock.h>

bool range_set_add(struct range_set *s, paddr_t base, u64 size)
{
	if (!size)
		return true;
	if (s->n >= PALLOC_MAX_RANGES)
		return false;
	s->r[s->n].base = base;
	s->r[s->n].size = size;
	s->n++;
	return true;
}

bool range_set_subtract(struct range_set *s, paddr_t base, u64 size)
{
	paddr_t end = base + size;

	/* Nothing to remove (else an empty range inside one would split it). */
	if (!size)
		return true;
	for (unsigned i = 0; i < s->n; i++) {
		paddr_t rb = s->r[i].base, re = rb + s->r[i].size;

		if (end <= rb || base >= re)
			continue;
		if (base > rb && end < re) {
			/* Split: keep the head here, append the tail. */
			s->r[i].size = base - rb;
			if (!range_set_add(s, end, re - end))
				return false;
		} else if (base > rb) {
			s->r[i].size = base - rb;
		} else if (end < re) {
			s->r[i].base = end;
			s->r[i].size = re - end;
		} else {
			s->r[i] = s->r[--s->n];
			i--;
		}
	}
	return true;
}

u64 range_set_total(const struct range_set *s)
{
	u64 t = 0;

	for (unsigned i = 0; i < s->n; i++)
		t += s->r[i].size;
	return t;
}

static struct range_set free_ram;
static struct spinlock palloc_lock = SPINLOCK_INIT;

bool palloc_init(const struct platform *p, const struct mem_region *busy,
		 unsigned nbusy)
{
	free_ram.n = 0;
	for (unsigned i = 0; i < p->nr_mem; i++) {
		paddr_t b = ALIGN_UP(p->mem[i].base, PAGE_SIZE);
		paddr_t e = ALIGN_DOWN(p->mem[i].base + p->mem[i].size, PAGE_SIZE);

		if (e > b && !range_set_add(&free_ram, b, e - b))
			return false;
	}
	for (unsigned i = 0; i < p->nr_reserved; i++)
		if (!range_set_subtract(&free_ram, ALIGN_DOWN(p->reserved[i].base, PAGE_SIZE),
					ALIGN_UP(p->reserved[i].size + (p->reserved[i].base & (PAGE_SIZE - 1)), PAGE_SIZE)))
			return false;
	for (unsigned i = 0; i < nbusy; i++)
		if (!range_set_subtract(&free_ram, ALIGN_DOWN(busy[i].base, PAGE_SIZE),
					ALIGN_UP(busy[i].size + (busy[i].base & (PAGE_SIZE - 1)), PAGE_SIZE)))
			return false;
	return true;
}

paddr_t palloc_pages(unsigned order)
{
	u64 size = PAGE_SIZE << order;
	paddr_t found = 0;

	spin_lock(&palloc_lock);
	for (unsigned i = 0; i < free_ram.n && !found; i++) {
		paddr_t a = ALIGN_UP(free_ram.r[i].base, size);
		paddr_t e = free_ram.r[i].base + free_ram.r[i].size;

		if (a + size <= e && a >= free_ram.r[i].base) {
			found = a;
			range_set_subtract(&free_ram, a, size);
		}
	}
	spin_unlock(&palloc_lock);
	if (found)
		arch_zero_pages((void *)(uintptr_t)found, size);
	return found;
}

void *palloc_page(void)
{
	return (void *)(uintptr_t)palloc_pages(0);
}

/*
 * Puts [base, base + size) back, merged with the free ranges it touches,
 * so that freeing what was allocated, in any order, ends with the ranges
 * it started from. False if any of it is free already, or if it touches
 * no free range and the set is full.
 */
static bool free_range(struct range_set *s, paddr_t base, u64 size)
{
	int before = -1, after = -1;

	for (unsigned i = 0; i < s->n; i++) {
		/* Freeing what is already free would hand a page out twice. */
		if (base < s->r[i].base + s->r[i].size && s->r[i].base < base + size)
			return false;
		if (s->r[i].base + s->r[i].size == base)
			before = (int)i;
		else if (s->r[i].base == base + size)
			after = (int)i;
	}
	if (before >= 0 && after >= 0) {
		s->r[before].size += size + s->r[after].size;
		s->r[after] = s->r[--s->n];
	} else if (before >= 0) {
		s->r[before].size += size;
	} else if (after >= 0) {
		s->r[after].base = base;
		s->r[after].size += size;
	} else {
		return range_set_add(s, base, size);
	}
	return true;
}

bool palloc_free_pages(paddr_t pa, unsigned order)
{
	bool ok;

	if (!pa)
		return true;
	spin_lock(&palloc_lock);
	ok = free_range(&free_ram, pa, PAGE_SIZE << order);
	spin_unlock(&palloc_lock);
	return ok;
}

void palloc_free_page(void *page)
{
	palloc_free_pages((paddr_t)(uintptr_t)page, 0);
}

u64 palloc_free_bytes(void)
{
	return range_set_total(&free_ram);
}
