/*
 * Guest memory for the stage-2 harnesses, backed by the fuzz input: an
 * address below S2_MEM_WINDOW reads the 8 bytes at (address modulo the
 * memory's size), so every table pointer a walk follows lands in bytes the
 * fuzzer controls; an address at or above it cannot be read (the walker's
 * external-abort path).
 */
#ifndef NV_TESTS_FUZZ_S2_MEM_H
#define NV_TESTS_FUZZ_S2_MEM_H

#include "fuzz.h"

#define S2_MEM_WINDOW (UINT64_C(1) << 32)

struct s2_mem {
	const u8 *bytes;
	size_t len;     /* a multiple of 8, at least 8 */
	unsigned reads;
};

static bool s2_mem_read(void *ctx, u64 pa, u64 *val)
{
	struct s2_mem *m = ctx;

	FUZZ_CHECK(!(pa & 7));
	m->reads++;
	if (pa >= S2_MEM_WINDOW)
		return false;
	memcpy(val, m->bytes + pa % m->len, sizeof(*val));
	return true;
}

/* The rest of the input as memory; a zero-filled word if it is shorter. */
static inline void s2_mem_init(struct s2_mem *m, struct fuzz_in *in, u8 *spare)
{
	m->len = in->n & ~(size_t)7;
	m->bytes = in->p;
	if (!m->len) {
		memset(spare, 0, 8);
		m->bytes = spare;
		m->len = 8;
	}
	m->reads = 0;
}

#endif
