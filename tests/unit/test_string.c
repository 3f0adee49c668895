/*
 * The image's own memcpy and memset (src/lib/string.c), built here under
 * other names beside the C library's: every alignment of source and
 * destination (8-byte words when they agree mod 8, 4-byte words when they
 * agree mod 4 only, bytes otherwise), lengths across each path's edges,
 * and nothing written outside the range.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define memcpy nvt_memcpy
#define memmove nvt_memmove
#define memset nvt_memset
#define memchr nvt_memchr
#define memcmp nvt_memcmp
#define strlen nvt_strlen
#define strnlen nvt_strnlen
#define strchr nvt_strchr
#define strrchr nvt_strrchr
#define strcspn nvt_strcspn
#define strcmp nvt_strcmp
#define strncmp nvt_strncmp
#define strtoull nvt_strtoull
#define strtoul nvt_strtoul
#include "../../src/lib/string.c"
#undef memcpy
#undef memset

#define BUF 4608 /* a page and more: the word loops run long */
#define GUARD 0xa5

static _Alignas(16) unsigned char src[BUF + 32], dst[BUF + 32], want[BUF + 32];

static const size_t lengths[] = { 0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65,
				  100, 255, 4096, 4097, BUF - 16 };

static void test_memcpy_alignments(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 3);
	for (unsigned so = 0; so < 16; so++) {
		for (unsigned d = 0; d < 16; d++) {
			for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
				size_t n = lengths[k];
				memset(dst, GUARD, sizeof(dst));
				memset(want, GUARD, sizeof(want));
				memcpy(want + d, src + so, n);
				void *r = nvt_memcpy(dst + d, src + so, n);
				assert_ptr_equal(r, dst + d);
				assert_memory_equal(dst, want, sizeof(dst));
			}
		}
	}
}

static void test_memset_alignments(void **state)
{
	static const int values[] = { 0, 0x5a, 0xff, 0x1ff /* the low byte only */ };

	(void)state;
	for (unsigned d = 0; d < 16; d++) {
		for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
			for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
				size_t n = lengths[k];
				memset(dst, GUARD, sizeof(dst));
				memset(want, GUARD, sizeof(want));
				memset(want + d, values[v], n);
				void *r = nvt_memset(dst + d, values[v], n);
				assert_ptr_equal(r, dst + d);
				assert_memory_equal(dst, want, sizeof(dst));
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_alignments),
		cmocka_unit_test(test_memset_alignments),
	};

	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
