/* Common types and helpers shared by the hypervisor and its host tests. */
#ifndef NV_TYPES_H
#define NV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;
typedef int32_t s32;

/* Physical and virtual addresses. nestvisor maps itself 1:1 (VA == PA). */
typedef uint64_t paddr_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (UINT64_C(1) << (n))
/* Mask of bits hi..lo inclusive. */
#define GENMASK(hi, lo) ((~UINT64_C(0) >> (63 - (hi))) & (~UINT64_C(0) << (lo)))

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define SZ_4K UINT64_C(0x1000)
#define SZ_64K UINT64_C(0x10000)
#define SZ_2M UINT64_C(0x200000)
#define SZ_1G UINT64_C(0x40000000)

#define __noreturn __attribute__((noreturn))
/* For helpers of the exit path shared with a colder caller: no call there. */
#define __inline_always inline __attribute__((always_inline))
#define __aligned(n) __attribute__((aligned(n)))
#define __unused __attribute__((unused))
#define __printf(f, a) __attribute__((format(printf, f, a)))

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/*
 * Invariants only (never for conditions guest or device-tree input can make
 * false): such input is validated and rejected with an error instead.
 */
#define NV_CHECK(cond)                                                        \
	do {                                                                  \
		if (!(cond))                                                  \
			nv_check_failed(__FILE__, __LINE__, #cond);           \
	} while (0)
__noreturn void nv_check_failed(const char *file, int line, const char *cond);

#endif
