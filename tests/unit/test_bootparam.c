/* Host tests of the boot parameter parser (src/core/bootparam.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <nv/bootparam.h>
#include "helpers.h"

#define ALL_PARAMS                                                            \
	"nested=off|nv|nv2|auto loglevel=error|warn|info|debug "              \
	"selftest=none|crash"

/* Parses line; on success checks the three resulting values. */
static void expect_ok(const char *line, enum nested_mode nested,
		      enum log_level lvl, enum selftest st)
{
	struct bootparams bp;
	char err[256];

	memset(&bp, 0x5a, sizeof(bp));
	memset(err, 'x', sizeof(err));
	assert_true(bootparams_parse(line, &bp, err, sizeof(err)));
	assert_int_equal(bp.nested, nested);
	assert_int_equal(bp.loglevel, lvl);
	assert_int_equal(bp.selftest, st);
	/* A successful parse leaves an empty message. */
	assert_string_equal(err, "");
}

/* Parses line expecting failure; returns the message in err. */
static void expect_fail(const char *line, char *err, size_t errlen)
{
	struct bootparams bp;

	memset(err, 'x', errlen);
	assert_false(bootparams_parse(line, &bp, err, errlen));
	assert_non_null(memchr(err, '\0', errlen));
	assert_true(strlen(err) > 0);
}

static void test_defaults(void **state)
{
	(void)state;
	expect_ok(NULL, NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
	expect_ok("", NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
	expect_ok(" ", NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
	expect_ok(" \t\n  \t", NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
	expect_ok("\n", NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
}

static void test_defaults_reset_output(void **state)
{
	struct bootparams bp = { NESTED_OFF, LOG_DEBUG, SELFTEST_CRASH };
	char err[64];

	(void)state;
	/* Output is fully written even when the line sets nothing. */
	assert_true(bootparams_parse("", &bp, err, sizeof(err)));
	assert_int_equal(bp.nested, NESTED_AUTO);
	assert_int_equal(bp.loglevel, LOG_INFO);
	assert_int_equal(bp.selftest, SELFTEST_NONE);
}

static void test_nested_values(void **state)
{
	(void)state;
	expect_ok("nested=off", NESTED_OFF, LOG_INFO, SELFTEST_NONE);
	expect_ok("nested=nv", NESTED_NV, LOG_INFO, SELFTEST_NONE);
	expect_ok("nested=nv2", NESTED_NV2, LOG_INFO, SELFTEST_NONE);
	expect_ok("nested=auto", NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
}

static void test_loglevel_values(void **state)
{
	(void)state;
	expect_ok("loglevel=error", NESTED_AUTO, LOG_ERROR, SELFTEST_NONE);
	expect_ok("loglevel=warn", NESTED_AUTO, LOG_WARN, SELFTEST_NONE);
	expect_ok("loglevel=info", NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
	expect_ok("loglevel=debug", NESTED_AUTO, LOG_DEBUG, SELFTEST_NONE);
}

static void test_selftest_values(void **state)
{
	(void)state;
	expect_ok("selftest=none", NESTED_AUTO, LOG_INFO, SELFTEST_NONE);
	expect_ok("selftest=crash", NESTED_AUTO, LOG_INFO, SELFTEST_CRASH);
}

static void test_several_params(void **state)
{
	(void)state;
	expect_ok("nested=nv loglevel=debug", NESTED_NV, LOG_DEBUG,
		  SELFTEST_NONE);
	expect_ok("\tnested=off\nloglevel=warn \t selftest=crash\n",
		  NESTED_OFF, LOG_WARN, SELFTEST_CRASH);
	expect_ok("selftest=crash\t\tnested=nv2", NESTED_NV2, LOG_INFO,
		  SELFTEST_CRASH);
	/* The last occurrence of a parameter wins. */
	expect_ok("nested=nv nested=off loglevel=debug loglevel=error",
		  NESTED_OFF, LOG_ERROR, SELFTEST_NONE);
}

static void test_nested_mode_name(void **state)
{
	(void)state;
	assert_string_equal(nested_mode_name(NESTED_OFF), "off");
	assert_string_equal(nested_mode_name(NESTED_NV), "nv");
	assert_string_equal(nested_mode_name(NESTED_NV2), "nv2");
	assert_string_equal(nested_mode_name(NESTED_AUTO), "auto");
	assert_string_equal(nested_mode_name((enum nested_mode)4), "?");
	assert_string_equal(nested_mode_name((enum nested_mode)-1), "?");
}

static void test_unknown_param(void **state)
{
	char err[256];

	(void)state;
	expect_fail("foo=bar", err, sizeof(err));
	assert_contains(err, "unknown boot parameter");
	assert_contains(err, "'foo=bar'");
	assert_contains(err, ALL_PARAMS);

	/* A bare unknown word, after a valid one. */
	expect_fail("nested=nv quiet", err, sizeof(err));
	assert_contains(err, "'quiet'");
	assert_contains(err, "nested=off|nv|nv2|auto");
	assert_contains(err, "loglevel=error|warn|info|debug");
	assert_contains(err, "selftest=none|crash");

	/* Case matters. */
	expect_fail("NESTED=nv", err, sizeof(err));
	assert_contains(err, "unknown boot parameter 'NESTED=nv'");
}

static void test_prefix_of_name_is_unknown(void **state)
{
	char err[256];

	(void)state;
	expect_fail("nestedx=nv", err, sizeof(err));
	assert_contains(err, "'nestedx=nv'");
	assert_contains(err, "unknown");
	assert_contains(err, "nested=off|nv|nv2|auto");

	expect_fail("nest=nv", err, sizeof(err));
	assert_contains(err, "'nest=nv'");
	assert_contains(err, "unknown");

	expect_fail("=nv", err, sizeof(err));
	assert_contains(err, "'=nv'");
	assert_contains(err, "unknown");
}

static void check_malformed(const char *line, const char *word,
			    const char *name, const char *values)
{
	char err[256], want[128];

	expect_fail(line, err, sizeof(err));
	snprintf(want, sizeof(want), "'%s'", word);
	assert_contains(err, want);
	assert_contains(err, "malformed");
	snprintf(want, sizeof(want), "%s takes one of %s", name, values);
	assert_contains(err, want);
}

static void test_malformed(void **state)
{
	(void)state;
	check_malformed("nested", "nested", "nested", "off|nv|nv2|auto");
	check_malformed("nested=", "nested=", "nested", "off|nv|nv2|auto");
	check_malformed("nested=nv2x", "nested=nv2x", "nested",
			"off|nv|nv2|auto");
	check_malformed("nested=n", "nested=n", "nested", "off|nv|nv2|auto");
	check_malformed("nested=NV", "nested=NV", "nested", "off|nv|nv2|auto");
	check_malformed("nested==nv", "nested==nv", "nested",
			"off|nv|nv2|auto");
	check_malformed("loglevel=verbose", "loglevel=verbose", "loglevel",
			"error|warn|info|debug");
	check_malformed("loglevel", "loglevel", "loglevel",
			"error|warn|info|debug");
	check_malformed("selftest=", "selftest=", "selftest", "none|crash");
	check_malformed("selftest=crashx", "selftest=crashx", "selftest",
			"none|crash");
	/* The bad word is reported, not the good ones around it. */
	check_malformed("loglevel=debug\tnested=maybe selftest=none",
			"nested=maybe", "nested", "off|nv|nv2|auto");
}

static void test_error_stops_but_message_names_first_bad(void **state)
{
	char err[256];

	(void)state;
	expect_fail("nested=bad loglevel=bad", err, sizeof(err));
	assert_contains(err, "'nested=bad'");
	assert_not_contains(err, "loglevel=bad");
}

static void test_truncation(void **state)
{
	struct bootparams bp;

	(void)state;
	/* Exactly-sized heap buffers: ASan catches a one-byte overflow. */
	for (size_t len = 1; len <= 40; len++) {
		char *err = malloc(len);
		char full[256];

		assert_non_null(err);
		memset(err, 'x', len);
		assert_false(bootparams_parse("nested=bogus", &bp, err, len));
		assert_int_equal(strlen(err), len - 1);
		assert_false(bootparams_parse("nested=bogus", &bp, full,
					      sizeof(full)));
		assert_memory_equal(err, full, len - 1);
		memset(err, 'x', len);
		assert_false(bootparams_parse("unknownparameter", &bp, err, len));
		assert_int_equal(strlen(err), len - 1);
		free(err);
	}
}

static void test_truncation_canary(void **state)
{
	struct {
		char err[8];
		char canary[16];
	} b;
	struct bootparams bp;

	(void)state;
	memset(&b, 'C', sizeof(b));
	assert_false(bootparams_parse("this_is_a_very_long_unknown_word=1", &bp,
				      b.err, sizeof(b.err)));
	assert_string_equal(b.err, "unknown");
	for (size_t i = 0; i < sizeof(b.canary); i++)
		assert_int_equal(b.canary[i], 'C');
}

static void test_zero_errlen(void **state)
{
	struct bootparams bp;
	char err[4] = { 'a', 'b', 'c', 'd' };

	(void)state;
	/* errlen 0: nothing may be written, the result is still right. */
	assert_false(bootparams_parse("nested=bogus", &bp, err, 0));
	assert_memory_equal(err, "abcd", 4);
	assert_true(bootparams_parse("nested=nv", &bp, err, 0));
	assert_int_equal(bp.nested, NESTED_NV);
	assert_memory_equal(err, "abcd", 4);
}

static void test_long_word_in_message(void **state)
{
	char line[600], err[512];

	(void)state;
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	expect_fail(line, err, sizeof(err));
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_contains(err, "unknown boot parameter 'aaaa");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_defaults_reset_output),
		cmocka_unit_test(test_nested_values),
		cmocka_unit_test(test_loglevel_values),
		cmocka_unit_test(test_selftest_values),
		cmocka_unit_test(test_several_params),
		cmocka_unit_test(test_nested_mode_name),
		cmocka_unit_test(test_unknown_param),
		cmocka_unit_test(test_prefix_of_name_is_unknown),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_error_stops_but_message_names_first_bad),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_truncation_canary),
		cmocka_unit_test(test_zero_errlen),
		cmocka_unit_test(test_long_word_in_message),
	};

	return cmocka_run_group_tests_name("bootparam", tests, NULL, NULL);
}
