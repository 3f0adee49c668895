/*
 * Host tests of the device tree nvmm gives its guest (tools/nvmm/fdt.c),
 * built with fdt_build and read back with libfdt: the root and its
 * nodes in order, memory, the CPUs by MPIDR, PSCI's conduit, the GICv3
 * (its redistributor region per vCPU and, at EL2, its maintenance
 * interrupt), the timer's PPIs, the clock and the PL011, /chosen
 * (bootargs byte for byte, stdout-path, the initrd) and the room it needs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "nvmm.h"

#define MiB (1ULL << 20)

static uint8_t dtb[0x10000];
static struct layout layout;
static uint64_t mpidr[NVMM_MAX_CPUS];

/* A 256 MiB guest without an initrd, vCPU i with KVM's MPIDR for it. */
static int setup(void **state)
{
	(void)state;
	memset(dtb, 0, sizeof(dtb));
	layout = (struct layout){
		.ram_base = GUEST_RAM_BASE, .ram_size = 256 * MiB,
		.kernel_addr = GUEST_RAM_BASE, .kernel_size = 30 * MiB,
		.dtb_addr = GUEST_RAM_BASE + 254 * MiB, .dtb_max = 0x10000,
	};
	for (unsigned int i = 0; i < NVMM_MAX_CPUS; i++)
		mpidr[i] = 0x80000000ULL | ((i / 16) << 8) | (i % 16);
	return 0;
}

/* The tree of cpus vCPUs, EL2 or not, with cmdline; it must build and be sound. */
static void build(unsigned int cpus, int el2, const char *cmdline)
{
	struct fdt_params p = {
		.layout = &layout, .cmdline = cmdline, .cpus = cpus, .mpidr = mpidr, .el2 = el2,
	};

	assert_int_equal(fdt_build(dtb, sizeof(dtb), &p), 0);
	assert_int_equal(fdt_check_header(dtb), 0);
	assert_true(fdt_totalsize(dtb) <= sizeof(dtb));
}

static int node(const char *path)
{
	int off = fdt_path_offset(dtb, path);

	if (off < 0)
		fail_msg("no node %s (%d)", path, off);
	return off;
}

/* Property name of path, which must be there; its length to *len. */
static const void *prop(const char *path, const char *name, int *len)
{
	const void *v = fdt_getprop(dtb, node(path), name, len);

	if (!v)
		fail_msg("no %s in %s", name, path);
	return v;
}

static void assert_absent(const char *path, const char *name)
{
	assert_null(fdt_getprop(dtb, node(path), name, NULL));
}

static void assert_u32(const char *path, const char *name, uint32_t want)
{
	int len;
	const fdt32_t *v = prop(path, name, &len);

	assert_int_equal(len, 4);
	assert_int_equal(fdt32_to_cpu(*v), want);
}

/* A property of n cells, each as given. */
static void assert_cells(const char *path, const char *name, const uint32_t *want, int n)
{
	int len;
	const fdt32_t *v = prop(path, name, &len);

	assert_int_equal(len, 4 * n);
	for (int i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(v[i]), want[i]);
}

/* A property of bytes (a string with its NUL, or a string list). */
static void assert_bytes(const char *path, const char *name, const void *want, int n)
{
	int len;
	const void *v = prop(path, name, &len);

	assert_int_equal(len, n);
	assert_memory_equal(v, want, (size_t)n);
}

#define assert_str(path, name, s) assert_bytes(path, name, s, (int)sizeof(s))

static void assert_empty(const char *path, const char *name)
{
	int len;

	prop(path, name, &len);
	assert_int_equal(len, 0);
}

static void test_root_and_node_order(void **state)
{
	static const char *const nodes[] = {
		"chosen", "memory@40000000", "cpus", "psci", "intc@8000000",
		"timer", "apb-pclk", "pl011@9000000",
	};
	unsigned int n = 0;
	int off;

	(void)state;
	build(1, 0, "console=ttyAMA0");
	assert_str("/", "compatible", "linux,dummy-virt");
	assert_u32("/", "#address-cells", 2);
	assert_u32("/", "#size-cells", 2);
	assert_u32("/", "interrupt-parent", fdt_get_phandle(dtb, node("/intc@8000000")));
	assert_int_not_equal(fdt_get_phandle(dtb, node("/intc@8000000")), 0);
	fdt_for_each_subnode(off, dtb, 0) {
		assert_true(n < sizeof(nodes) / sizeof(nodes[0]));
		assert_string_equal(fdt_get_name(dtb, off, NULL), nodes[n]);
		n++;
	}
	assert_int_equal(n, sizeof(nodes) / sizeof(nodes[0]));
	assert_int_equal(fdt_num_mem_rsv(dtb), 0);
}

static void test_memory(void **state)
{
	static const uint32_t reg[] = { 0, 0x40000000, 0, 0x10000000 };
	static const uint32_t reg_1t[] = { 0, 0x40000000, 0x100, 0 };

	(void)state;
	build(1, 0, "");
	assert_str("/memory@40000000", "device_type", "memory");
	assert_cells("/memory@40000000", "reg", reg, 4);
	layout.ram_size = NVMM_MAX_MEM_MB * MiB;
	build(1, 0, "");
	assert_cells("/memory@40000000", "reg", reg_1t, 4);
}

static void test_cpus(void **state)
{
	char path[64];
	int off, n = 0;

	(void)state;
	build(4, 0, "");
	assert_u32("/cpus", "#address-cells", 2);
	assert_u32("/cpus", "#size-cells", 0);
	for (unsigned int i = 0; i < 4; i++) {
		/* reg: the MPIDR's affinity fields (not bit 31, RES1, nor U or MT). */
		const uint32_t reg[] = { 0, i };
		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		assert_str(path, "device_type", "cpu");
		assert_str(path, "compatible", "arm,armv8");
		assert_str(path, "enable-method", "psci");
		assert_cells(path, "reg", reg, 2);
	}
	fdt_for_each_subnode(off, dtb, node("/cpus"))
		n++;
	assert_int_equal(n, 4);

	/* Aff1, Aff2 and Aff3 reach reg and the node's name. */
	mpidr[0] = 0x80000000ULL;
	mpidr[1] = 0x81000102ULL;            /* MT, Aff1 1, Aff0 2 */
	mpidr[2] = 0xc0030000ULL;            /* U, Aff2 3 */
	mpidr[3] = 0x0000007f80000001ULL;    /* Aff3 0x7f */
	build(4, 0, "");
	static const uint32_t r1[] = { 0, 0x102 }, r2[] = { 0, 0x30000 }, r3[] = { 0x7f, 1 };
	assert_cells("/cpus/cpu@102", "reg", r1, 2);
	assert_cells("/cpus/cpu@30000", "reg", r2, 2);
	assert_cells("/cpus/cpu@7f00000001", "reg", r3, 2);

	/* 64 vCPUs: 64 nodes, in order. */
	setup(NULL);
	build(NVMM_MAX_CPUS, 0, "");
	n = 0;
	fdt_for_each_subnode(off, dtb, node("/cpus")) {
		snprintf(path, sizeof(path), "cpu@%x", ((unsigned)n / 16) << 8 | ((unsigned)n % 16));
		assert_string_equal(fdt_get_name(dtb, off, NULL), path);
		n++;
	}
	assert_int_equal(n, NVMM_MAX_CPUS);
}

static void test_psci(void **state)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	(void)state;
	build(2, 0, "");
	assert_bytes("/psci", "compatible", compat, sizeof(compat));
	assert_str("/psci", "method", "hvc");
	/* A guest at EL2 calls PSCI with SMC: its HVC is its own. */
	build(2, 1, "");
	assert_bytes("/psci", "compatible", compat, sizeof(compat));
	assert_str("/psci", "method", "smc");
}

static void test_gic(void **state)
{
	const char *gic = "/intc@8000000";
	static const uint32_t reg1[] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0x20000 };
	static const uint32_t reg64[] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0x800000 };
	static const uint32_t maint[] = { 1, 9, 4 }; /* PPI 9, INTID 25, level */

	(void)state;
	build(1, 0, "");
	assert_str(gic, "compatible", "arm,gic-v3");
	assert_u32(gic, "#interrupt-cells", 3);
	assert_u32(gic, "#address-cells", 0);
	assert_empty(gic, "interrupt-controller");
	assert_u32(gic, "#redistributor-regions", 1);
	assert_cells(gic, "reg", reg1, 8);
	assert_u32(gic, "phandle", 1);
	/* No maintenance interrupt for a guest at EL1: it has no use for one. */
	assert_absent(gic, "interrupts");

	/* 128 KiB of redistributors per vCPU, below the UART for 64. */
	build(NVMM_MAX_CPUS, 1, "");
	assert_cells(gic, "reg", reg64, 8);
	assert_true(GUEST_GICR_BASE + NVMM_MAX_CPUS * GUEST_GICR_STRIDE <= GUEST_UART_BASE);
	/* A guest hypervisor's GIC has its maintenance interrupt. */
	assert_cells(gic, "interrupts", maint, 3);
}

static void test_timer(void **state)
{
	/* Secure and non-secure EL1 physical, EL1 virtual, EL2 physical. */
	static const uint32_t ppis[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	/* The same and the EL2 virtual timer, PPI 12. */
	static const uint32_t ppis_el2[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4 };

	(void)state;
	build(1, 0, "");
	assert_str("/timer", "compatible", "arm,armv8-timer");
	assert_cells("/timer", "interrupts", ppis, 12);
	assert_empty("/timer", "always-on");
	assert_absent("/timer", "clock-frequency");
	build(1, 1, "");
	assert_cells("/timer", "interrupts", ppis_el2, 15);
}

static void test_uart_and_clock(void **state)
{
	const char *uart = "/pl011@9000000";
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	static const uint32_t reg[] = { 0, 0x09000000, 0, 0x1000 };
	static const uint32_t irq[] = { 0, 1, 4 }; /* SPI 1, INTID 33, level */

	(void)state;
	build(1, 0, "");
	assert_bytes(uart, "compatible", compat, sizeof(compat));
	assert_cells(uart, "reg", reg, 4);
	assert_cells(uart, "interrupts", irq, 3);
	assert_bytes(uart, "clock-names", clock_names, sizeof(clock_names));
	int len;
	const fdt32_t *clocks = prop(uart, "clocks", &len);
	assert_int_equal(len, 8);
	/* Both clocks are the 24 MHz fixed clock. */
	int clk = fdt_node_offset_by_phandle(dtb, fdt32_to_cpu(clocks[0]));
	assert_int_equal(clk, node("/apb-pclk"));
	assert_int_equal(fdt32_to_cpu(clocks[1]), fdt32_to_cpu(clocks[0]));
	assert_str("/apb-pclk", "compatible", "fixed-clock");
	assert_u32("/apb-pclk", "#clock-cells", 0);
	assert_u32("/apb-pclk", "clock-frequency", 24000000);
	assert_str("/apb-pclk", "clock-output-names", "clk24mhz");
}

static void test_chosen(void **state)
{
	/* Quotes, a backslash, a tab, $, a backquote and UTF-8, unchanged. */
	static const char cmdline[] = "console=ttyAMA0 init=/init a=\"b c\" d\\e\tf $g `h` \xc3\xa9";
	int len;

	(void)state;
	build(1, 0, cmdline);
	assert_str("/chosen", "bootargs", cmdline);
	assert_str("/chosen", "stdout-path", "/pl011@9000000");
	const char *path = prop("/chosen", "stdout-path", &len);
	assert_int_equal(fdt_path_offset(dtb, path), node("/pl011@9000000"));
	assert_absent("/chosen", "linux,initrd-start");
	assert_absent("/chosen", "linux,initrd-end");

	build(1, 0, "");
	assert_bytes("/chosen", "bootargs", "", 1);
}

static void test_chosen_initrd(void **state)
{
	(void)state;
	layout.initrd_addr = 0x4fafe000;
	layout.initrd_size = 3 * MiB + 123;
	build(1, 0, "console=ttyAMA0");
	static const uint32_t start[] = { 0, 0x4fafe000 }, end[] = { 0, 0x4fdfe07b };
	/* 64-bit values: Linux reads the cells the property has. */
	assert_cells("/chosen", "linux,initrd-start", start, 2);
	assert_cells("/chosen", "linux,initrd-end", end, 2);

	layout.ram_size = NVMM_MAX_MEM_MB * MiB;
	layout.initrd_addr = GUEST_RAM_BASE + (1ULL << 40) - 6 * MiB;
	layout.initrd_size = 4 * MiB;
	build(1, 0, "");
	static const uint32_t start_1t[] = { 0x100, 0x3fa00000 }, end_1t[] = { 0x100, 0x3fe00000 };
	assert_cells("/chosen", "linux,initrd-start", start_1t, 2);
	assert_cells("/chosen", "linux,initrd-end", end_1t, 2);
}

/* The largest tree nvmm can be asked for fits in the DTB's 64 KiB. */
static void test_largest_fits(void **state)
{
	static char cmdline[4096];

	(void)state;
	memset(cmdline, 'x', 4095);
	layout.initrd_addr = 0x4f000000;
	layout.initrd_size = 1;
	build(NVMM_MAX_CPUS, 1, cmdline);
	assert_true(fdt_totalsize(dtb) <= layout.dtb_max);
	assert_int_equal(fdt_stringlist_count(dtb, node("/chosen"), "bootargs"), 1);
}

/* Too little room: libfdt's error, not a truncated tree. */
static void test_no_room(void **state)
{
	struct fdt_params p = {
		.layout = &layout, .cmdline = "console=ttyAMA0", .cpus = 2, .mpidr = mpidr,
	};

	(void)state;
	build(2, 0, "console=ttyAMA0");
	size_t need = fdt_totalsize(dtb);
	assert_int_equal(fdt_build(dtb, need, &p), 0);
	assert_int_equal(fdt_check_header(dtb), 0);
	assert_int_equal(fdt_build(dtb, need - 1, &p), -FDT_ERR_NOSPACE);
	assert_int_equal(fdt_build(dtb, 256, &p), -FDT_ERR_NOSPACE);
	assert_true(fdt_build(dtb, 0, &p) < 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_root_and_node_order),
		T(test_memory),
		T(test_cpus),
		T(test_psci),
		T(test_gic),
		T(test_timer),
		T(test_uart_and_clock),
		T(test_chosen),
		T(test_chosen_initrd),
		T(test_largest_fits),
		T(test_no_room),
	};

	return cmocka_run_group_tests_name("nvmm_fdt", tests, NULL, NULL);
}
