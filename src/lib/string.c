/*
 * Freestanding string routines for the hypervisor image, the test guests
 * and the libfdt both link. They run with the MMU off too, where memory is
 * Device-nGnRnE and an unaligned access faults (Arm ARM B2.5.2): so every
 * access is aligned to its size. memcpy and memset move 8 bytes at a time
 * once the pointers allow it (loading a guest copies tens of MiB), bytes
 * otherwise.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <nv/types.h>

/* A word that may alias anything (the callers' buffers have any type). */
typedef u64 __attribute__((may_alias)) word_t;

/* A 4-byte word, for buffers 8-byte aligned relative to each other or
 * only 4 (a cpio archive's file data is 4-byte aligned). */
typedef u32 __attribute__((may_alias)) half_t;

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	uintptr_t rel = ((uintptr_t)d ^ (uintptr_t)s) & 7;

	if (n >= 32 && (rel == 0 || rel == 4)) {
		uintptr_t align = rel ? 3 : 7;
		while ((uintptr_t)d & align) {
			*d++ = *s++;
			n--;
		}
		if (!rel) {
			word_t *dw = (word_t *)(void *)d;
			const word_t *sw = (const word_t *)(const void *)s;
			for (; n >= 16; n -= 16, dw += 2, sw += 2) {
				word_t a = sw[0], b = sw[1];
				dw[0] = a;
				dw[1] = b;
			}
			d = (u8 *)dw;
			s = (const u8 *)sw;
		} else {
			half_t *dh = (half_t *)(void *)d;
			const half_t *sh = (const half_t *)(const void *)s;
			for (; n >= 16; n -= 16, dh += 4, sh += 4) {
				half_t a = sh[0], b = sh[1], c = sh[2], e = sh[3];
				dh[0] = a;
				dh[1] = b;
				dh[2] = c;
				dh[3] = e;
			}
			d = (u8 *)dh;
			s = (const u8 *)sh;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	if (n >= 32) {
		u64 v = 0x0101010101010101ULL * (u8)c;
		while ((uintptr_t)d & 7) {
			*d++ = (u8)c;
			n--;
		}
		word_t *dw = (word_t *)(void *)d;
		for (; n >= 16; n -= 16, dw += 2) {
			dw[0] = v;
			dw[1] = v;
		}
		d = (u8 *)dw;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)(uintptr_t)p;
	return NULL;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)(uintptr_t)last;
	}
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* C11 7.22.1.4: optional sign, 0x prefix, saturation on overflow. */
unsigned long long strtoull(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long long v = 0;
	bool neg = false, any = false, overflow = false;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (;; p++) {
		int d = digit_value(*p);

		if (d >= base)
			break;
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			overflow = true;
		v = v * (unsigned)base + (unsigned)d;
		any = true;
	}
	if (end)
		*end = (char *)(uintptr_t)(any ? p : s);
	if (overflow)
		return ULLONG_MAX;
	return neg ? 0 - v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long long v = strtoull(s, end, base);

	return v > ULONG_MAX ? ULONG_MAX : (unsigned long)v;
}
