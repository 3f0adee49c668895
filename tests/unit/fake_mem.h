/*
 * A guest memory for the walk tests (test_s1_walk, test_vel2_at): a host
 * buffer standing for [FMEM_BASE, FMEM_BASE + FMEM_SIZE) of the guest's
 * address space. Reads outside it fail, as an external abort on a
 * descriptor fetch would; every read is recorded, in order.
 */
#ifndef NV_TESTS_UNIT_FAKE_MEM_H
#define NV_TESTS_UNIT_FAKE_MEM_H

#include <stdlib.h>
#include <string.h>
#include <nv/types.h>

#define FMEM_BASE UINT64_C(0x40000000)
#define FMEM_SIZE UINT64_C(0x800000)
#define FMEM_MAX_READS 32

/* An address of the fake memory, by its offset. */
#define M(off) (FMEM_BASE + (u64)(off))

struct fmem {
	unsigned char *buf;
	u64 reads[FMEM_MAX_READS];
	unsigned nreads;
	unsigned misaligned; /* reads not 8-byte aligned */
};

static inline bool fmem_in(u64 addr)
{
	return addr >= FMEM_BASE && addr - FMEM_BASE <= FMEM_SIZE - 8;
}

/* The read callback of the walks (s2_read_fn). */
static inline bool fmem_read(void *ctx, u64 addr, u64 *val)
{
	struct fmem *m = ctx;

	if (m->nreads < FMEM_MAX_READS)
		m->reads[m->nreads] = addr;
	m->nreads++;
	if (addr & 7)
		m->misaligned++;
	if (!fmem_in(addr))
		return false;
	memcpy(val, m->buf + (addr - FMEM_BASE), sizeof(*val));
	return true;
}

/* Stores a descriptor; the address must be inside and aligned. */
static inline void fmem_put(struct fmem *m, u64 addr, u64 desc)
{
	assert_true(fmem_in(addr) && !(addr & 7));
	memcpy(m->buf + (addr - FMEM_BASE), &desc, sizeof(desc));
}

static inline void fmem_reset_reads(struct fmem *m)
{
	m->nreads = 0;
	m->misaligned = 0;
}

static inline int fmem_setup(void **state)
{
	struct fmem *m = calloc(1, sizeof(*m));

	if (!m || !(m->buf = calloc(1, FMEM_SIZE))) {
		free(m);
		return -1;
	}
	*state = m;
	return 0;
}

static inline int fmem_teardown(void **state)
{
	struct fmem *m = *state;

	free(m->buf);
	free(m);
	return 0;
}

#endif
