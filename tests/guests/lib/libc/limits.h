/* Freestanding <limits.h> for the test guests (LP64). */
#ifndef GUEST_LIBC_LIMITS_H
#define GUEST_LIBC_LIMITS_H
#define CHAR_BIT 8
#define INT_MAX 0x7fffffff
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX 0xffffffffU
#define LONG_MAX 0x7fffffffffffffffL
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX 0xffffffffffffffffUL
#endif
