/*
 * Host tests of the device-tree check run before libfdt walks a blob
 * (src/core/fdt_check.c). The malformed blobs are the fixture virt.dtb
 * with one token changed, or written with libfdt's sequential writer,
 * which does not check nesting. Each test runs under alarm(): without the
 * check, libfdt loops for ever on some of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libfdt.h>
#include <nv/fdt_check.h>
#include <nv/platform.h>
#include <nv/vm_desc.h>
#include "helpers.h"

static unsigned char *load(size_t *len)
{
	unsigned char *fdt = fixture_load("virt.dtb", len);

	alarm(10);
	assert_int_equal(fdt_check_blob(fdt, *len), 0);
	return fdt;
}

static u32 be32(const unsigned char *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, u32 v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The offset in the blob of the n'th token tag of the structure block. */
static size_t find_tag(const unsigned char *fdt, u32 tag, unsigned n)
{
	int off = 0, next;

	for (;;) {
		u32 t = fdt_next_tag(fdt, off, &next);

		assert_int_not_equal(t, FDT_END);
		if (t == tag && !n--)
			return fdt_off_dt_struct(fdt) + (size_t)off;
		off = next;
	}
}

static void expect(const unsigned char *fdt, size_t len, int err)
{
	struct platform p;
	char msg[256] = "";

	assert_int_equal(fdt_check_blob(fdt, len), err);
	assert_false(platform_parse(fdt, &p, msg, sizeof(msg)));
	assert_contains(msg, "device tree: ");
}

static void test_virt_passes(void **state)
{
	size_t len;
	unsigned char *fdt = load(&len);

	(void)state;
	assert_int_equal(fdt_check_blob(fdt, len + 100), 0);
	free(fdt);
}

/*
 * Found by tests/fuzz/fuzz_platform: a property of length 0xfffffff4 takes
 * libfdt's next-tag computation back to the property's own tag, and
 * fdt_check_full (like every libfdt walk) never ends.
 */
static void test_prop_length_loops_back(void **state)
{
	size_t len;
	unsigned char *fdt = load(&len);
	size_t prop = find_tag(fdt, FDT_PROP, 3);

	(void)state;
	put_be32(fdt + prop + 4, 0xfffffff4u);
	expect(fdt, len, -FDT_ERR_BADSTRUCTURE);
	free(fdt);
}

static void test_prop_past_block(void **state)
{
	size_t len;
	unsigned char *fdt = load(&len);
	size_t prop = find_tag(fdt, FDT_PROP, 0);

	(void)state;
	put_be32(fdt + prop + 4, fdt_size_dt_struct(fdt));
	expect(fdt, len, -FDT_ERR_BADSTRUCTURE);
	free(fdt);
}

static void test_unknown_token(void **state)
{
	size_t len;
	unsigned char *fdt = load(&len);

	(void)state;
	put_be32(fdt + find_tag(fdt, FDT_END_NODE, 2), 0x7);
	expect(fdt, len, -FDT_ERR_BADSTRUCTURE);
	free(fdt);
}

static void test_nop_before_root(void **state)
{
	size_t len;
	unsigned char *fdt = load(&len);

	(void)state;
	assert_int_equal(be32(fdt + fdt_off_dt_struct(fdt)), FDT_BEGIN_NODE);
	put_be32(fdt + fdt_off_dt_struct(fdt), FDT_NOP);
	expect(fdt, len, -FDT_ERR_BADSTRUCTURE);
	free(fdt);
}

static void test_no_end_token(void **state)
{
	size_t len;
	unsigned char *fdt = load(&len);
	size_t end = fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt) - 4;

	(void)state;
	assert_int_equal(be32(fdt + end), FDT_END);
	put_be32(fdt + end, FDT_NOP);
	assert_int_equal(fdt_check_blob(fdt, len), -FDT_ERR_TRUNCATED);
	free(fdt);
}

static void test_old_version_and_short_buffer(void **state)
{
	size_t len;
	unsigned char *fdt = load(&len);

	(void)state;
	assert_int_equal(fdt_check_blob(fdt, len - 1), -FDT_ERR_TRUNCATED);
	assert_int_equal(fdt_check_blob(fdt, 20), -FDT_ERR_TRUNCATED);
	put_be32(fdt + 20, 16); /* version */
	put_be32(fdt + 24, 16); /* last_comp_version */
	assert_int_equal(fdt_check_blob(fdt, len), -FDT_ERR_BADVERSION);
	free(fdt);
}

/* Trees the sequential writer lets through: wrong nesting. */
static void test_nesting(void **state)
{
	static unsigned char blob[512];
	enum { EXTRA_END, TWO_ROOTS, UNCLOSED, PROP_OUTSIDE } kind;

	(void)state;
	alarm(10);
	for (kind = EXTRA_END; kind <= PROP_OUTSIDE; kind++) {
		assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
		assert_int_equal(fdt_finish_reservemap(blob), 0);
		assert_int_equal(fdt_begin_node(blob, ""), 0);
		assert_int_equal(fdt_property_u32(blob, "#address-cells", 2), 0);
		if (kind != UNCLOSED)
			assert_int_equal(fdt_end_node(blob), 0);
		if (kind == EXTRA_END)
			assert_int_equal(fdt_end_node(blob), 0);
		if (kind == PROP_OUTSIDE)
			assert_int_equal(fdt_property_u32(blob, "x", 1), 0);
		if (kind == TWO_ROOTS) {
			assert_int_equal(fdt_begin_node(blob, "again"), 0);
			assert_int_equal(fdt_end_node(blob), 0);
		}
		assert_int_equal(fdt_finish(blob), 0);
		assert_int_equal(fdt_check_blob(blob, sizeof(blob)),
				 -FDT_ERR_BADSTRUCTURE);
	}
}

/*
 * The same checks guard the bundle's scenario.dtb (vm_desc.c), which had
 * both faults fuzz_platform found in the machine's DTB: a looping
 * property hung vm_desc_check_scenario, a version-15 blob crashed it.
 */
static void test_scenario_checked(void **state)
{
	size_t len;
	unsigned char *fdt = fixture_load("scenario_valid.dtb", &len);
	size_t prop;
	char err[256];

	(void)state;
	alarm(10);
	assert_true(vm_desc_check_scenario(fdt, len, err, sizeof(err)));
	prop = find_tag(fdt, FDT_PROP, 5);
	put_be32(fdt + prop + 4, 0xfffffff4u);
	assert_false(vm_desc_check_scenario(fdt, len, err, sizeof(err)));
	assert_contains(err, "FDT_ERR_BADSTRUCTURE");
	free(fdt);

	fdt = fixture_load("scenario_valid.dtb", &len);
	put_be32(fdt + 20, 15);
	put_be32(fdt + 24, 2);
	assert_false(vm_desc_check_scenario(fdt, len, err, sizeof(err)));
	assert_contains(err, "FDT_ERR_BADVERSION");
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_passes),
		cmocka_unit_test(test_prop_length_loops_back),
		cmocka_unit_test(test_prop_past_block),
		cmocka_unit_test(test_unknown_token),
		cmocka_unit_test(test_nop_before_root),
		cmocka_unit_test(test_no_end_token),
		cmocka_unit_test(test_old_version_and_short_buffer),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_scenario_checked),
	};

	return cmocka_run_group_tests_name("fdt_check", tests, NULL, NULL);
}
