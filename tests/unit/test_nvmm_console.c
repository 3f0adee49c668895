/*
 * Host tests of nvmm's console escape (tools/nvmm/console.c): what a
 * terminal's bytes become before they reach the UART. Ctrl-A x stops,
 * Ctrl-A Ctrl-A is one Ctrl-A, Ctrl-A before anything else passes both,
 * and an escape split across two reads still counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "nvmm.h"

static size_t run(struct console_escape *e, const char *in, char *out)
{
	return console_filter(e, (const uint8_t *)in, strlen(in), (uint8_t *)out);
}

static void test_plain_bytes_pass(void **state)
{
	struct console_escape e = { 0 };
	char out[64];

	(void)state;
	assert_int_equal(run(&e, "ls -l\r", out), 6);
	assert_memory_equal(out, "ls -l\r", 6);
	assert_int_equal(run(&e, "\x03x", out), 2); /* Ctrl-C goes to the guest */
	assert_memory_equal(out, "\x03x", 2);
	assert_int_equal(e.armed, 0);
}

static void test_ctrl_a_x_quits(void **state)
{
	struct console_escape e = { 0 };
	char out[64];

	(void)state;
	assert_int_equal(run(&e, "ab\x01x", out), CONSOLE_QUIT);
	e.armed = 0;
	assert_int_equal(run(&e, "\x01X", out), CONSOLE_QUIT);
}

static void test_ctrl_a_other(void **state)
{
	struct console_escape e = { 0 };
	char out[64];

	(void)state;
	assert_int_equal(run(&e, "\x01\x01", out), 1);
	assert_int_equal(out[0], 0x01);
	assert_int_equal(run(&e, "\x01y", out), 2);
	assert_memory_equal(out, "\x01y", 2);
	assert_int_equal(e.armed, 0);
}

static void test_split_escape(void **state)
{
	struct console_escape e = { 0 };
	char out[64];

	(void)state;
	assert_int_equal(run(&e, "q\x01", out), 1);
	assert_int_equal(out[0], 'q');
	assert_int_equal(e.armed, 1);
	assert_int_equal(run(&e, "x", out), CONSOLE_QUIT);
	e.armed = 0;
	assert_int_equal(run(&e, "\x01", out), 0);
	assert_int_equal(run(&e, "z", out), 2);
	assert_memory_equal(out, "\x01z", 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_bytes_pass),
		cmocka_unit_test(test_ctrl_a_x_quits),
		cmocka_unit_test(test_ctrl_a_other),
		cmocka_unit_test(test_split_escape),
	};

	return cmocka_run_group_tests_name("nvmm_console", tests, NULL, NULL);
}
