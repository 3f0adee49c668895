/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): a reader that
 * takes fixed-size values from the front of the input (zeros once it is
 * used up, so every input is valid), and FUZZ_CHECK for the properties a
 * harness checks beyond the sanitizers. A failed check aborts, which
 * libFuzzer reports as a crash with the input that caused it.
 */
#ifndef NV_TESTS_FUZZ_H
#define NV_TESTS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nv/console.h>
#include <nv/types.h>

#define FUZZ_CHECK(cond)                                                      \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                             \
			abort();                                              \
		}                                                             \
	} while (0)

struct fuzz_in {
	const u8 *p;
	size_t n;
};

static inline void fuzz_take(struct fuzz_in *in, void *out, size_t size)
{
	size_t k = in->n < size ? in->n : size;

	memset(out, 0, size);
	memcpy(out, in->p, k);
	in->p += k;
	in->n -= k;
}

static inline u64 fuzz_u64(struct fuzz_in *in)
{
	u64 v;

	fuzz_take(in, &v, sizeof(v));
	return v;
}

static inline u32 fuzz_u32(struct fuzz_in *in)
{
	u32 v;

	fuzz_take(in, &v, sizeof(v));
	return v;
}

static inline u8 fuzz_u8(struct fuzz_in *in)
{
	u8 v;

	fuzz_take(in, &v, sizeof(v));
	return v;
}

/* True if s[0..max) holds a NUL. */
static inline bool fuzz_terminated(const char *s, size_t max)
{
	return memchr(s, 0, max) != NULL;
}

/* nestvisor's console output goes nowhere (a harness checks results, not text). */
static void fuzz_console_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

static inline void fuzz_quiet_console(void)
{
	static const struct console_backend quiet = { "fuzz", fuzz_console_write, NULL };

	if (console_current() != &quiet)
		console_register(&quiet);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
