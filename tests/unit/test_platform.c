/*
 * Host tests of the device-tree parser (src/core/platform.c) on the
 * fixtures in tests/unit/fixtures, compiled by dtc into FIXTURE_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <nv/bootparam.h>
#include <nv/platform.h>
#include "helpers.h"

/* Parses a fixture that must be rejected; returns nothing, checks err. */
static void expect_reject(const char *name, const char *const *needles,
			  unsigned n)
{
	struct platform *p = malloc(sizeof(*p));
	void *fdt = fixture_load(name, NULL);
	char err[256];

	assert_non_null(p);
	memset(err, 0, sizeof(err));
	if (platform_parse(fdt, p, err, sizeof(err)))
		fail_msg("%s parsed", name);
	assert_contains(err, "device tree: ");
	for (unsigned i = 0; i < n; i++)
		assert_contains(err, needles[i]);
	free(fdt);
	free(p);
}

#define REJECT(name, ...)                                                     \
	do {                                                                  \
		static const char *const needles_[] = { __VA_ARGS__ };        \
		expect_reject(name, needles_, ARRAY_SIZE(needles_));          \
	} while (0)

static void test_virt(void **state)
{
	struct platform p;
	size_t len;
	void *fdt = fixture_load("virt.dtb", &len);
	char err[256] = "";

	(void)state;
	memset(&p, 0xa5, sizeof(p));
	if (!platform_parse(fdt, &p, err, sizeof(err)))
		fail_msg("virt.dtb: %s", err);

	assert_int_equal(p.fdt.base, (paddr_t)(uintptr_t)fdt);
	assert_int_equal(p.fdt.size, len);

	assert_int_equal(p.nr_mem, 1);
	assert_int_equal(p.mem[0].base, 0x40000000);
	assert_int_equal(p.mem[0].size, 0x40000000);

	assert_int_equal(p.nr_reserved, 1);
	assert_int_equal(p.reserved[0].base, 0x4f000000);
	assert_int_equal(p.reserved[0].size, 0x10000);

	assert_int_equal(p.nr_cpus, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(p.cpu_mpidr[i], i);

	assert_string_equal(p.gic.path, "/intc@8000000");
	assert_int_equal(p.gic.dist.base, 0x8000000);
	assert_int_equal(p.gic.dist.size, 0x10000);
	assert_int_equal(p.gic.nr_redist, 1);
	assert_int_equal(p.gic.redist[0].base, 0x80a0000);
	assert_int_equal(p.gic.redist[0].size, 0xf60000);
	assert_int_equal(p.gic.redist_stride, 0);
	assert_int_equal(p.gic.maint_intid, 25);

	assert_int_equal(p.timer.sec_phys_intid, 29);
	assert_int_equal(p.timer.phys_intid, 30);
	assert_int_equal(p.timer.virt_intid, 27);
	assert_int_equal(p.timer.hyp_phys_intid, 26);
	assert_int_equal(p.timer.hyp_virt_intid, 28);
	assert_int_equal(p.timer.dt_freq, 0);

	assert_true(p.has_uart);
	assert_string_equal(p.uart.path, "/pl011@9000000");
	assert_int_equal(p.uart.reg.base, 0x9000000);
	assert_int_equal(p.uart.reg.size, 0x1000);

	assert_int_equal(p.psci, PSCI_CONDUIT_SMC);

	assert_string_equal(p.bootargs, "nested=nv loglevel=debug");
	assert_true(p.has_initrd);
	assert_int_equal(p.initrd.base, 0x48000000);
	assert_int_equal(p.initrd.size, 0x100000);
	free(fdt);
}

static void test_virt_bootargs_parse(void **state)
{
	struct platform p;
	struct bootparams bp;
	void *fdt = fixture_load("virt.dtb", NULL);
	char err[256];

	(void)state;
	assert_true(platform_parse(fdt, &p, err, sizeof(err)));
	assert_true(bootparams_parse(p.bootargs, &bp, err, sizeof(err)));
	assert_int_equal(bp.nested, NESTED_NV);
	assert_int_equal(bp.loglevel, LOG_DEBUG);
	assert_int_equal(bp.selftest, SELFTEST_NONE);
	free(fdt);
}

static void test_virt_alt(void **state)
{
	struct platform p;
	void *fdt = fixture_load("virt_alt.dtb", NULL);
	char err[256] = "";

	(void)state;
	memset(&p, 0xa5, sizeof(p));
	if (!platform_parse(fdt, &p, err, sizeof(err)))
		fail_msg("virt_alt.dtb: %s", err);

	assert_int_equal(p.psci, PSCI_CONDUIT_HVC);

	/* The alias wins over the first arm,pl011 in the tree. */
	assert_true(p.has_uart);
	assert_string_equal(p.uart.path, "/soc/uart@1c090000");
	assert_int_equal(p.uart.reg.base, 0x1c090000);
	assert_int_equal(p.uart.reg.size, 0x1000);

	assert_int_equal(p.timer.sec_phys_intid, 29);
	assert_int_equal(p.timer.phys_intid, 30);
	assert_int_equal(p.timer.virt_intid, 27);
	assert_int_equal(p.timer.hyp_phys_intid, 26);
	assert_int_equal(p.timer.hyp_virt_intid, 0);
	assert_int_equal(p.timer.dt_freq, 100000000);

	assert_int_equal(p.nr_mem, 3);
	assert_int_equal(p.mem[0].base, 0x80000000);
	assert_int_equal(p.mem[0].size, 0x80000000);
	assert_int_equal(p.mem[1].base, UINT64_C(0x880000000));
	assert_int_equal(p.mem[1].size, UINT64_C(0x100000000));
	assert_int_equal(p.mem[2].base, UINT64_C(0x2000000000));
	assert_int_equal(p.mem[2].size, 0x10000000);

	/* /reserved-memory children with a reg; the dynamic pool has none. */
	assert_int_equal(p.nr_reserved, 1);
	assert_int_equal(p.reserved[0].base, 0xf0000000);
	assert_int_equal(p.reserved[0].size, 0x1000000);

	/* cpu nodes only; 2-cell ids with Aff1 and Aff3. */
	assert_int_equal(p.nr_cpus, 4);
	assert_int_equal(p.cpu_mpidr[0], 0x0);
	assert_int_equal(p.cpu_mpidr[1], 0x1);
	assert_int_equal(p.cpu_mpidr[2], 0x100);
	assert_int_equal(p.cpu_mpidr[3], UINT64_C(0x100000000));

	assert_string_equal(p.gic.path, "/soc/interrupt-controller@2f000000");
	assert_int_equal(p.gic.dist.base, 0x2f000000);
	assert_int_equal(p.gic.nr_redist, 2);
	assert_int_equal(p.gic.redist[0].base, 0x2f100000);
	assert_int_equal(p.gic.redist[0].size, 0x100000);
	assert_int_equal(p.gic.redist[1].base, 0x2f300000);
	assert_int_equal(p.gic.redist[1].size, 0x100000);
	assert_int_equal(p.gic.redist_stride, 0x40000);
	assert_int_equal(p.gic.maint_intid, 23);

	assert_string_equal(p.bootargs, "");
	assert_true(p.has_initrd);
	assert_int_equal(p.initrd.base, 0x88000000);
	assert_int_equal(p.initrd.size, 0x800000);
	free(fdt);
}

static void test_no_uart_no_chosen(void **state)
{
	struct platform p;
	void *fdt = fixture_load("virt_nouart.dtb", NULL);
	char err[256] = "";

	(void)state;
	memset(&p, 0xa5, sizeof(p));
	if (!platform_parse(fdt, &p, err, sizeof(err)))
		fail_msg("virt_nouart.dtb: %s", err);
	assert_false(p.has_uart);
	assert_false(p.has_initrd);
	assert_string_equal(p.bootargs, "");
	assert_int_equal(p.nr_reserved, 0);
	assert_int_equal(p.nr_cpus, 1);
	assert_int_equal(p.cpu_mpidr[0], 0);
	assert_int_equal(p.gic.maint_intid, 0); /* no interrupts property */
	assert_int_equal(p.gic.nr_redist, 1);
	assert_int_equal(p.timer.hyp_virt_intid, 0);
	assert_int_equal(p.psci, PSCI_CONDUIT_SMC);
	free(fdt);
}

static void test_bad_header(void **state)
{
	static const unsigned char junk[64] = {
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0x1e,
		0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4,
	};
	struct platform p;
	char err[256] = "";

	(void)state;
	assert_false(platform_parse(junk, &p, err, sizeof(err)));
	assert_contains(err, "device tree: bad header");
	assert_contains(err, "FDT_ERR_BADMAGIC");
}

/*
 * Found by tests/fuzz/fuzz_platform: a structure block that closes more
 * nodes than it opened, then opens a PL011 node. libfdt's fdt_get_path()
 * follows the depth below 0 and writes before the buffer it was given
 * (the UART path), so such a tree must be refused before any walk.
 */
static void test_bad_structure_depth(void **state)
{
	static unsigned char blob[1024];
	struct platform p;
	char err[256] = "";

	(void)state;
	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	assert_int_equal(fdt_property_u32(blob, "#address-cells", 2), 0);
	assert_int_equal(fdt_property_u32(blob, "#size-cells", 2), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0); /* one too many */
	assert_int_equal(fdt_begin_node(blob, "pl011@9000000"), 0);
	assert_int_equal(fdt_property_string(blob, "compatible", "arm,pl011"), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
	assert_int_equal(fdt_check_header(blob), 0);

	assert_false(platform_parse(blob, &p, err, sizeof(err)));
	assert_contains(err, "device tree: malformed structure");
	assert_contains(err, "FDT_ERR_BADSTRUCTURE");
	assert_false(p.has_uart);
}

/*
 * Found by tests/fuzz/fuzz_platform: libfdt accepts header versions from
 * 2, and its fdt_check_full() dereferences NULL on a version-15 tree (the
 * old format with full-path node names). Only version 17 is taken.
 */
static void test_old_version(void **state)
{
	static const unsigned versions[] = { 2, 3, 15, 16 };
	struct platform p;
	size_t len;
	unsigned char *fdt = fixture_load("virt.dtb", &len);
	char err[256];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(versions); i++) {
		/* version (offset 20) and last_comp_version (offset 24) */
		fdt[23] = (unsigned char)versions[i];
		fdt[27] = 2;
		memset(err, 0, sizeof(err));
		assert_false(platform_parse(fdt, &p, err, sizeof(err)));
		assert_contains(err, "device tree: format version");
		assert_contains(err, "too old");
	}
	fdt[23] = 17;
	fdt[27] = 16;
	assert_true(platform_parse(fdt, &p, err, sizeof(err)));
	free(fdt);
}

static void test_bad_version(void **state)
{
	struct platform p;
	size_t len;
	unsigned char *fdt = fixture_load("virt.dtb", &len);
	char err[256] = "";

	(void)state;
	/* Right magic, last_comp_version (offset 24) far in the future. */
	fdt[24] = 0;
	fdt[25] = 0;
	fdt[26] = 0;
	fdt[27] = 99;
	assert_false(platform_parse(fdt, &p, err, sizeof(err)));
	assert_contains(err, "bad header");
	free(fdt);
}

static void test_reject_gic(void **state)
{
	(void)state;
	REJECT("bad_no_gic.dtb", "arm,gic-v3");
	REJECT("bad_gic_one_reg.dtb", "/intc@8000000", "reg has 1 entries",
	       "redistributor");
	REJECT("bad_gic_redist_regions.dtb", "/intc@8000000",
	       "reg has 2 entries", "2 redistributor region");
	REJECT("bad_maint_irq.dtb", "/intc@8000000", "maintenance interrupt");
}

static void test_reject_memory(void **state)
{
	(void)state;
	REJECT("bad_no_memory.dtb", "no memory node");
	REJECT("bad_memory_zero_size.dtb", "/memory@40000000",
	       "reg entry 0 is malformed");
}

static void test_reject_cpus(void **state)
{
	(void)state;
	REJECT("bad_no_cpus.dtb", "no /cpus node");
	REJECT("bad_cpu_no_reg.dtb", "/cpus/cpu@2", "reg missing");
}

static void test_reject_timer(void **state)
{
	(void)state;
	REJECT("bad_timer_3irqs.dtb", "/timer", "interrupts has 3 entries",
	       "at least 4");
	REJECT("bad_timer_spi.dtb", "/timer", "interrupt 2 is not a PPI");
}

static void test_reject_psci(void **state)
{
	(void)state;
	REJECT("bad_psci_method.dtb", "method is \"foo\"", "\"smc\" or \"hvc\"");
	REJECT("bad_no_psci.dtb", "no PSCI", "arm,psci-0.2");
	REJECT("bad_psci_0_1.dtb", "no PSCI", "arm,psci-1.0");
}

static void test_reject_uart(void **state)
{
	(void)state;
	REJECT("bad_stdout_not_pl011.dtb", "/virtio_mmio@a000000",
	       "not an arm,pl011");
	REJECT("bad_uart_translated.dtb", "/bus@10000000/serial@9000",
	       "reg is malformed");
}

static void test_reject_chosen(void **state)
{
	(void)state;
	REJECT("bad_initrd_outside_ram.dtb", "initrd", "0x7ff80000",
	       "+0x100000", "not in RAM");
	REJECT("bad_initrd_reversed.dtb", "linux,initrd-end is not above");
	REJECT("bad_bootargs_long.dtb", "/chosen/bootargs", "at most 511 bytes");
}

static void test_err_truncation(void **state)
{
	struct {
		char err[12];
		char canary[16];
	} b;
	struct platform p;
	void *fdt = fixture_load("bad_no_gic.dtb", NULL);

	(void)state;
	memset(&b, 'C', sizeof(b));
	assert_false(platform_parse(fdt, &p, b.err, sizeof(b.err)));
	assert_string_equal(b.err, "device tree");
	for (size_t i = 0; i < sizeof(b.canary); i++)
		assert_int_equal(b.canary[i], 'C');
	free(fdt);
}

static void test_gic_dt_intid(void **state)
{
	u32 intid;

	(void)state;
	assert_true(gic_dt_intid(0, 0, &intid));
	assert_int_equal(intid, 32);
	assert_true(gic_dt_intid(0, 1, &intid));
	assert_int_equal(intid, 33);
	assert_true(gic_dt_intid(0, 987, &intid));
	assert_int_equal(intid, 1019);
	assert_true(gic_dt_intid(1, 0, &intid));
	assert_int_equal(intid, 16);
	assert_true(gic_dt_intid(1, 9, &intid));
	assert_int_equal(intid, 25);
	assert_true(gic_dt_intid(1, 15, &intid));
	assert_int_equal(intid, 31);

	/* Rejected specifiers leave the output alone. */
	intid = 0xdead;
	assert_false(gic_dt_intid(0, 988, &intid)); /* would be 1020 */
	assert_false(gic_dt_intid(0, 0xffffffff, &intid));
	assert_false(gic_dt_intid(1, 16, &intid));
	assert_false(gic_dt_intid(1, 0xffffffff, &intid));
	assert_false(gic_dt_intid(2, 0, &intid)); /* extended SPI */
	assert_false(gic_dt_intid(3, 0, &intid)); /* extended PPI */
	assert_false(gic_dt_intid(0xffffffff, 1, &intid));
	assert_int_equal(intid, 0xdead);
}

static void test_is_ram(void **state)
{
	struct platform p;
	const u64 top = ~UINT64_C(0);

	(void)state;
	memset(&p, 0, sizeof(p));
	p.nr_mem = 2;
	p.mem[0].base = 0x40000000;
	p.mem[0].size = 0x40000000;
	p.mem[1].base = UINT64_C(0x100000000);
	p.mem[1].size = 0x10000000;

	assert_true(platform_is_ram(&p, 0x40000000, 0x40000000));
	assert_true(platform_is_ram(&p, 0x40000000, 1));
	assert_true(platform_is_ram(&p, 0x7fffffff, 1));
	assert_true(platform_is_ram(&p, 0x50000000, 0x1000));
	assert_true(platform_is_ram(&p, UINT64_C(0x10fffffff), 1));
	assert_false(platform_is_ram(&p, 0x3fffffff, 1));
	assert_false(platform_is_ram(&p, 0x3fffffff, 2));
	assert_false(platform_is_ram(&p, 0x40000000, 0x40000001));
	assert_false(platform_is_ram(&p, 0x7fffffff, 2));
	assert_false(platform_is_ram(&p, 0x80000000, 1));
	/* Across the hole between the regions. */
	assert_false(platform_is_ram(&p, 0x7ffff000, UINT64_C(0x80002000)));
	assert_false(platform_is_ram(&p, UINT64_C(0x110000000), 1));
	/* Sizes that wrap base + size around 2^64. */
	assert_false(platform_is_ram(&p, 0x40001000, top));
	/* base + size wraps to exactly the region's base. */
	assert_false(platform_is_ram(&p, 0x40001000, (u64)0 - 0x1000));
	assert_false(platform_is_ram(&p, top, 2));
	assert_false(platform_is_ram(&p, top - 0xfff, 0x1000));

	/* A region at the very top of the address space. */
	p.mem[0].base = top - 0xffff;
	p.mem[0].size = 0x10000;
	assert_true(platform_is_ram(&p, top - 0xffff, 0x10000));
	assert_true(platform_is_ram(&p, top, 1));
	assert_false(platform_is_ram(&p, top, 2));
	assert_false(platform_is_ram(&p, top - 0x10000, 0x10));

	p.nr_mem = 0;
	assert_false(platform_is_ram(&p, 0x40000000, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt),
		cmocka_unit_test(test_virt_bootargs_parse),
		cmocka_unit_test(test_virt_alt),
		cmocka_unit_test(test_no_uart_no_chosen),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_version),
		cmocka_unit_test(test_bad_structure_depth),
		cmocka_unit_test(test_old_version),
		cmocka_unit_test(test_reject_gic),
		cmocka_unit_test(test_reject_memory),
		cmocka_unit_test(test_reject_cpus),
		cmocka_unit_test(test_reject_timer),
		cmocka_unit_test(test_reject_psci),
		cmocka_unit_test(test_reject_uart),
		cmocka_unit_test(test_reject_chosen),
		cmocka_unit_test(test_err_truncation),
		cmocka_unit_test(test_gic_dt_intid),
		cmocka_unit_test(test_is_ram),
	};

	return cmocka_run_group_tests_name("platform", tests, NULL, NULL);
}
