/* Host tests of the formatter (src/lib/fmt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/fmt.h>

#define CHECK_FMT(expect, ...)                                                \
	do {                                                                  \
		char b[128];                                                  \
		size_t n = nv_snprintf(b, sizeof(b), __VA_ARGS__);            \
		assert_string_equal(b, expect);                               \
		assert_int_equal(n, strlen(expect));                          \
	} while (0)

static void test_integers(void **state)
{
	(void)state;
	CHECK_FMT("42", "%d", 42);
	CHECK_FMT("-42", "%d", -42);
	CHECK_FMT("-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	CHECK_FMT("18446744073709551615", "%llu", 18446744073709551615ULL);
	CHECK_FMT("ff", "%x", 255u);
	CHECK_FMT("FF", "%X", 255u);
	CHECK_FMT("0x00ab", "0x%04x", 0xabu);
	CHECK_FMT("  7", "%3u", 7u);
	CHECK_FMT("7  |", "%-3u|", 7u);
	CHECK_FMT("-007", "%04d", -7);
	CHECK_FMT("255", "%hhu", 0x1ffu);
	CHECK_FMT("-1", "%hd", 0xffff);
	CHECK_FMT("12345", "%zu", (size_t)12345);
}

static void test_strings_and_chars(void **state)
{
	(void)state;
	CHECK_FMT("abc", "%s", "abc");
	{
		const char *volatile none = NULL;

		CHECK_FMT("(null)", "%s", none);
	}
	CHECK_FMT("ab", "%.2s", "abcdef");
	CHECK_FMT("abc", "%.*s", 3, "abcdef");
	CHECK_FMT("  ab", "%4s", "ab");
	CHECK_FMT("ab  |", "%-4s|", "ab");
	CHECK_FMT("x", "%c", 'x');
	CHECK_FMT("100%", "100%%");
	CHECK_FMT("0x1000", "%p", (void *)0x1000);
}

static void test_truncation(void **state)
{
	char b[4];
	size_t n;

	(void)state;
	n = nv_snprintf(b, sizeof(b), "%s", "abcdef");
	assert_int_equal(n, 6);
	assert_string_equal(b, "abc");
	n = nv_snprintf(b, 0, "%d", 1234);
	assert_int_equal(n, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_strings_and_chars),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
