/*
 * Host tests of the guest device tree writer (src/core/guest_fdt.c): the
 * DTB built for a VM description, read back with libfdt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <nv/guest_fdt.h>

#define BUF_SIZE 0x4000

static struct vm_desc desc;
static u64 mpidrs[VM_MAX_VCPUS];
static struct guest_fdt_info info;
static u8 *buf; /* 8-byte aligned (malloc) */
static size_t len;

/* Before each test: the Linux scenario with a test device and an initrd. */
static int reset(void **state)
{
	(void)state;
	memset(&desc, 0, sizeof(desc));
	strcpy(desc.name, "linux");
	desc.nr_vcpus = 2;
	desc.ram_base = 0x40000000;
	desc.ram_size = 0x20000000;
	strcpy(desc.kernel, "Image");
	strcpy(desc.cmdline, "console=ttyAMA0 panic=-1");
	desc.gicd_base = 0x08000000;
	desc.gicr_base = 0x080a0000;
	desc.uart_base = 0x09000000;
	desc.uart_spi = 1;
	desc.test_dev_base = 0x0b000000;
	mpidrs[0] = 0;
	mpidrs[1] = 1;
	memset(&info, 0, sizeof(info));
	info.desc = &desc;
	info.mpidrs = mpidrs;
	info.initrd_start = 0x5f000000;
	info.initrd_size = 0x123456;
	/* QEMU virt: CNTP 30, CNTV 27, CNTHP 26, CNTHV 28. */
	info.timer.phys = 30;
	info.timer.virt = 27;
	info.timer.hyp_phys = 26;
	info.timer.hyp_virt = 28;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	buf = malloc(BUF_SIZE);
	return buf ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(buf);
	return 0;
}

static void build(void)
{
	memset(buf, 0xa5, BUF_SIZE);
	len = guest_fdt_build(&info, buf, BUF_SIZE);
	assert_true(len > 0);
	assert_true(len <= BUF_SIZE);
	assert_int_equal(fdt_check_header(buf), 0);
	assert_int_equal(fdt_totalsize(buf), len);
}

static int path(const char *p)
{
	int off = fdt_path_offset(buf, p);

	if (off < 0)
		fail_msg("no node %s: %s", p, fdt_strerror(off));
	return off;
}

static const void *prop(int node, const char *name, int want_len)
{
	int l;
	const void *p = fdt_getprop(buf, node, name, &l);

	if (!p)
		fail_msg("no property %s: %s", name, fdt_strerror(l));
	if (want_len >= 0)
		assert_int_equal(l, want_len);
	return p;
}

static void check_cells(int node, const char *name, const u32 *want, int n)
{
	const fdt32_t *p = prop(node, name, n * 4);

	for (int i = 0; i < n; i++)
		if (fdt32_to_cpu(p[i]) != want[i])
			fail_msg("%s cell %d: 0x%x, expected 0x%x", name, i,
				 fdt32_to_cpu(p[i]), want[i]);
}

static u32 u32_prop(int node, const char *name)
{
	return fdt32_to_cpu(*(const fdt32_t *)prop(node, name, 4));
}

static void check_str(int node, const char *name, const char *want)
{
	prop(node, name, (int)strlen(want) + 1);
	assert_string_equal(prop(node, name, -1), want);
}

static void test_root_memory_cpus(void **state)
{
	static const u32 mem[] = { 0, 0x40000000, 0, 0x20000000 };
	int root, cpus, off;

	(void)state;
	build();
	root = path("/");
	assert_int_equal(u32_prop(root, "#address-cells"), 2);
	assert_int_equal(u32_prop(root, "#size-cells"), 2);
	check_str(root, "model", "linux");

	off = path("/memory@40000000");
	check_str(off, "device_type", "memory");
	check_cells(off, "reg", mem, 4);

	cpus = path("/cpus");
	assert_int_equal(u32_prop(cpus, "#address-cells"), 1);
	assert_int_equal(u32_prop(cpus, "#size-cells"), 0);
	off = path("/cpus/cpu@0");
	assert_int_equal(u32_prop(off, "reg"), 0);
	check_str(off, "device_type", "cpu");
	check_str(off, "enable-method", "psci");
	assert_int_equal(fdt_node_check_compatible(buf, off, "arm,armv8"), 0);
	off = path("/cpus/cpu@1");
	assert_int_equal(u32_prop(off, "reg"), 1);
	check_str(off, "enable-method", "psci");
	/* Exactly 2 CPUs. */
	assert_int_equal(fdt_path_offset(buf, "/cpus/cpu@2"), -FDT_ERR_NOTFOUND);
	{
		int n = 0;

		fdt_for_each_subnode(off, buf, cpus)
			n++;
		assert_int_equal(n, 2);
	}
}

static void test_cpu_reg_is_mpidr(void **state)
{
	int off;

	(void)state;
	/* A second cluster: Aff1 1, Aff0 0 and 1. */
	mpidrs[0] = 0x100;
	mpidrs[1] = 0x101;
	build();
	off = path("/cpus/cpu@100");
	assert_int_equal(u32_prop(off, "reg"), 0x100);
	off = path("/cpus/cpu@101");
	assert_int_equal(u32_prop(off, "reg"), 0x101);
	assert_int_equal(fdt_path_offset(buf, "/cpus/cpu@0"), -FDT_ERR_NOTFOUND);
}

static void test_psci_timer(void **state)
{
	/* PPIs: INTID - 16. Secure phys (29), phys, virt, hyp phys. */
	static const u32 irqs[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	int off;

	(void)state;
	build();
	off = path("/psci");
	check_str(off, "method", "hvc");
	assert_int_equal(fdt_node_check_compatible(buf, off, "arm,psci-0.2"), 0);
	assert_int_equal(fdt_node_check_compatible(buf, off, "arm,psci-1.0"), 0);

	off = path("/timer");
	assert_int_equal(fdt_node_check_compatible(buf, off, "arm,armv8-timer"), 0);
	check_cells(off, "interrupts", irqs, 12);
}

static void test_timer_other_ppis(void **state)
{
	static const u32 irqs[] = { 1, 13, 4, 1, 7, 4, 1, 8, 4, 1, 9, 4 };

	(void)state;
	info.timer.phys = 23;
	info.timer.virt = 24;
	info.timer.hyp_phys = 25;
	build();
	check_cells(path("/timer"), "interrupts", irqs, 12);
}

/*
 * A guest hypervisor offered FEAT_VHE gets the EL2 virtual timer's PPI as
 * the binding's fifth interrupt (INTID 28: PPI 12); one without VHE, or a
 * plain VM, the four.
 */
static void test_timer_hyp_virt(void **state)
{
	static const u32 irqs[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4, 1, 12, 4 };

	(void)state;
	desc.virtual_el2 = true;
	desc.l1_vhe = true;
	build();
	check_cells(path("/timer"), "interrupts", irqs, 15);
	desc.l1_vhe = false;
	build();
	check_cells(path("/timer"), "interrupts", irqs, 12);
	desc.virtual_el2 = false;
	desc.l1_vhe = true;
	build();
	check_cells(path("/timer"), "interrupts", irqs, 12);
}

static void test_gic(void **state)
{
	/* Distributor 64 KiB, redistributors 128 KiB per vCPU. */
	static const u32 reg[] = { 0, 0x08000000, 0, 0x10000,
				   0, 0x080a0000, 0, 0x40000 };
	/* The maintenance interrupt: PPI 9 (INTID 25), level high. */
	static const u32 maint[] = { 1, 9, 4 };
	int off;
	u32 phandle;

	(void)state;
	build();
	off = fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3");
	assert_true(off >= 0);
	assert_int_equal(off, path("/intc@8000000"));
	check_cells(off, "reg", reg, 8);
	assert_int_equal(u32_prop(off, "#interrupt-cells"), 3);
	assert_non_null(fdt_getprop(buf, off, "interrupt-controller", NULL));
	assert_int_equal(u32_prop(off, "#redistributor-regions"), 1);
	check_cells(off, "interrupts", maint, 3);
	phandle = fdt_get_phandle(buf, off);
	assert_int_not_equal(phandle, 0);
	/* The default interrupt parent. */
	assert_int_equal(u32_prop(0, "interrupt-parent"), phandle);
	/* The only GIC. */
	assert_int_equal(fdt_node_offset_by_compatible(buf, off, "arm,gic-v3"),
			 -FDT_ERR_NOTFOUND);
}

static void test_gic_redist_scales(void **state)
{
	static const u32 reg[] = { 0, 0x08000000, 0, 0x10000,
				   0, 0x080a0000, 0, 0x100000 };
	u64 m[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	int n = 0, off;

	(void)state;
	desc.nr_vcpus = 8;
	info.mpidrs = m;
	build();
	check_cells(path("/intc@8000000"), "reg", reg, 8);
	fdt_for_each_subnode(off, buf, path("/cpus"))
		n++;
	assert_int_equal(n, 8);
	assert_int_equal(u32_prop(path("/cpus/cpu@7"), "reg"), 7);
}

static void test_uart_chosen(void **state)
{
	static const u32 reg[] = { 0, 0x09000000, 0, 0x1000 };
	static const u32 irq[] = { 0, 1, 4 };
	static const char names[] = "uartclk\0apb_pclk";
	const fdt32_t *clk;
	const char *stdout_path;
	int off, clk_node, chosen;

	(void)state;
	build();
	off = fdt_node_offset_by_compatible(buf, -1, "arm,pl011");
	assert_true(off >= 0);
	assert_int_equal(fdt_node_check_compatible(buf, off, "arm,primecell"), 0);
	check_cells(off, "reg", reg, 4);
	check_cells(off, "interrupts", irq, 3);
	assert_memory_equal(prop(off, "clock-names", sizeof(names)), names,
			    sizeof(names));
	/* Both clocks: the fixed clock node. */
	clk = prop(off, "clocks", 8);
	clk_node = fdt_node_offset_by_phandle(buf, fdt32_to_cpu(clk[0]));
	assert_true(clk_node >= 0);
	assert_int_equal(fdt32_to_cpu(clk[1]), fdt32_to_cpu(clk[0]));
	assert_int_equal(fdt_node_check_compatible(buf, clk_node, "fixed-clock"), 0);
	assert_int_equal(u32_prop(clk_node, "#clock-cells"), 0);
	assert_int_not_equal(u32_prop(clk_node, "clock-frequency"), 0);

	chosen = path("/chosen");
	check_str(chosen, "bootargs", "console=ttyAMA0 panic=-1");
	stdout_path = prop(chosen, "stdout-path", -1);
	assert_int_equal(fdt_path_offset(buf, stdout_path), off);
}

static void test_uart_spi(void **state)
{
	static const u32 irq[] = { 0, 33, 4 };
	int off;

	(void)state;
	desc.uart_spi = 33;
	desc.uart_base = 0x1c090000;
	build();
	off = fdt_node_offset_by_compatible(buf, -1, "arm,pl011");
	check_cells(off, "interrupts", irq, 3);
	assert_int_equal(fdt_path_offset(buf, prop(path("/chosen"), "stdout-path", -1)),
			 off);
	assert_int_equal(off, path("/pl011@1c090000"));
}

static void test_initrd(void **state)
{
	int chosen;
	fdt64_t v; /* properties are only 4-byte aligned */

	(void)state;
	build();
	chosen = path("/chosen");
	memcpy(&v, prop(chosen, "linux,initrd-start", 8), 8);
	assert_int_equal(fdt64_to_cpu(v), 0x5f000000);
	memcpy(&v, prop(chosen, "linux,initrd-end", 8), 8);
	assert_int_equal(fdt64_to_cpu(v), 0x5f123456);

	info.initrd_size = 0;
	build();
	chosen = path("/chosen");
	assert_null(fdt_getprop(buf, chosen, "linux,initrd-start", NULL));
	assert_null(fdt_getprop(buf, chosen, "linux,initrd-end", NULL));
	/* The rest of /chosen is still there. */
	check_str(chosen, "bootargs", "console=ttyAMA0 panic=-1");
}

static void test_test_mmio(void **state)
{
	static const u32 reg[] = { 0, 0x0b000000, 0, 0x1000 };
	int off;

	(void)state;
	build();
	off = fdt_node_offset_by_compatible(buf, -1, "nestvisor,test-mmio");
	assert_true(off >= 0);
	assert_int_equal(off, path("/test-mmio@b000000"));
	check_cells(off, "reg", reg, 4);

	desc.test_dev_base = 0;
	build();
	assert_int_equal(fdt_node_offset_by_compatible(buf, -1, "nestvisor,test-mmio"),
			 -FDT_ERR_NOTFOUND);
	/* Everything else is still there. */
	assert_true(fdt_node_offset_by_compatible(buf, -1, "arm,pl011") >= 0);
}

static void test_empty_bootargs(void **state)
{
	(void)state;
	desc.cmdline[0] = '\0';
	build();
	check_str(path("/chosen"), "bootargs", "");
}

/* Every buffer shorter than the DTB is refused, and never overrun. */
static void test_too_small(void **state)
{
	size_t full;

	(void)state;
	build();
	full = len;
	for (size_t size = 64; size < full; size += size < full - 64 ? 61 : 1) {
		u8 *small = calloc(1, size);

		assert_non_null(small);
		if (guest_fdt_build(&info, small, size) != 0)
			fail_msg("built into %zu bytes, needs %zu", size, full);
		free(small);
	}
	/* Exactly its size is enough. */
	{
		u8 *exact = calloc(1, full);

		assert_non_null(exact);
		assert_int_equal(guest_fdt_build(&info, exact, full), full);
		assert_int_equal(fdt_check_header(exact), 0);
		assert_memory_equal(exact, buf, full);
		free(exact);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_root_memory_cpus, reset),
		cmocka_unit_test_setup(test_cpu_reg_is_mpidr, reset),
		cmocka_unit_test_setup(test_psci_timer, reset),
		cmocka_unit_test_setup(test_timer_other_ppis, reset),
		cmocka_unit_test_setup(test_timer_hyp_virt, reset),
		cmocka_unit_test_setup(test_gic, reset),
		cmocka_unit_test_setup(test_gic_redist_scales, reset),
		cmocka_unit_test_setup(test_uart_chosen, reset),
		cmocka_unit_test_setup(test_uart_spi, reset),
		cmocka_unit_test_setup(test_initrd, reset),
		cmocka_unit_test_setup(test_test_mmio, reset),
		cmocka_unit_test_setup(test_empty_bootargs, reset),
		cmocka_unit_test_setup(test_too_small, reset),
	};

	return cmocka_run_group_tests_name("guest_fdt", tests, setup, teardown);
}
