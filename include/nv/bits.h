/*
 * Register field helpers. Fields are described by a mask built from named
 * shift/width constants, never by C bitfields (their layout is
 * implementation-defined).
 */
#ifndef NV_BITS_H
#define NV_BITS_H

#include <nv/types.h>

static inline u64 field_get(u64 mask, u64 reg)
{
	return (reg & mask) >> __builtin_ctzll(mask);
}

static inline u64 field_prep(u64 mask, u64 val)
{
	return (val << __builtin_ctzll(mask)) & mask;
}

/* Signed 4-bit ID register field (Arm ARM D19.1.3, "signed" ID fields). */
static inline int id_field_signed(u64 reg, unsigned shift)
{
	int v = (int)((reg >> shift) & 0xf);
	return v >= 8 ? v - 16 : v;
}

static inline unsigned id_field(u64 reg, unsigned shift)
{
	return (unsigned)((reg >> shift) & 0xf);
}

#endif
