/* Test-and-set spinlock on the C11 atomics (exclusives on AArch64). */
#ifndef NV_SPINLOCK_H
#define NV_SPINLOCK_H

#include <nv/types.h>

struct spinlock {
	u32 locked;
};

#define SPINLOCK_INIT { 0 }

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
