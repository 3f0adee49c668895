/*
 * Host tests of how nvmm reads the guest's files (tools/nvmm/file.c):
 * a file whole, an empty one, and the error line of a file missing or
 * not a regular one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "nvmm.h"
#include "nvmm_helpers.h"

static int setup(void **state)
{
	(void)state;
	nvmm_capture_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nvmm_capture_stop();
	nvmm_tmp_cleanup();
	return 0;
}

static void test_whole_file(void **state)
{
	static uint8_t data[300000];
	struct blob b;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + i / 251);
	const char *path = nvmm_tmp_write("Image", data, sizeof(data));
	assert_int_equal(file_read(path, "kernel", &b), 0);
	assert_int_equal(b.size, sizeof(data));
	assert_memory_equal(b.data, data, sizeof(data));
	assert_string_equal(nvmm_captured(), "");
	free(b.data);
}

static void test_empty_file(void **state)
{
	struct blob b;

	(void)state;
	const char *path = nvmm_tmp_write("empty", "", 0);
	assert_int_equal(file_read(path, "initrd", &b), 0);
	assert_int_equal(b.size, 0);
	assert_non_null(b.data);
	assert_string_equal(nvmm_captured(), "");
	free(b.data);
}

static void test_missing_file(void **state)
{
	char want[600];
	struct blob b;

	(void)state;
	const char *path = nvmm_tmp_path("none");
	snprintf(want, sizeof(want),
		 "nvmm: error: cannot open the kernel '%s': No such file or directory\n", path);
	assert_int_equal(file_read(path, "kernel", &b), -1);
	assert_string_equal(nvmm_captured(), want);
}

static void test_not_regular(void **state)
{
	char dir[512], want[600];
	struct blob b;

	(void)state;
	/* The temporary directory itself. */
	snprintf(dir, sizeof(dir), "%s", nvmm_tmp_path("."));
	snprintf(want, sizeof(want), "nvmm: error: the initrd '%s' is not a regular file\n", dir);
	assert_int_equal(file_read(dir, "initrd", &b), -1);
	assert_string_equal(nvmm_captured(), want);

	nvmm_capture_start();
	assert_int_equal(file_read("/dev/null", "kernel", &b), -1);
	assert_string_equal(nvmm_captured(),
			    "nvmm: error: the kernel '/dev/null' is not a regular file\n");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_whole_file),
		T(test_empty_file),
		T(test_missing_file),
		T(test_not_regular),
	};

	return cmocka_run_group_tests_name("nvmm_file", tests, NULL, NULL);
}
