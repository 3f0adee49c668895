/*
 * Host tests of the VM description parser (src/core/vm_desc.c) on the
 * scenario fixtures tests/unit/fixtures/scenario_*.dts, compiled by dtc
 * into FIXTURE_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <nv/cpufeature.h>
#include <nv/vm_desc.h>
#include "helpers.h"

static void *valid_dtb, *bad_dtb;

/* A fixture that must be a whole, valid device tree. */
static void *load(const char *name)
{
	size_t n;
	void *buf = fixture_load(name, &n);

	assert_int_equal(fdt_check_header(buf), 0);
	assert_int_equal(fdt_totalsize(buf), n);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	valid_dtb = load("scenario_valid.dtb");
	bad_dtb = load("scenario_bad.dtb");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(valid_dtb);
	free(bad_dtb);
	return 0;
}

static int node(const void *fdt, const char *name)
{
	int off = fdt_subnode_offset(fdt, 0, name);

	if (off < 0)
		fail_msg("no node '%s' in the fixture: %s", name, fdt_strerror(off));
	return off;
}

/* Parses a node that must be accepted, with an empty error message. */
static void parse_ok(const void *fdt, const char *name, struct vm_desc *d)
{
	char err[256] = "";

	if (!vm_desc_parse(fdt, node(fdt, name), d, err, sizeof(err)))
		fail_msg("'%s' rejected: %s", name, err);
	assert_string_equal(err, "");
}

/*
 * Parses a node of scenario_bad.dts that must be rejected, with a message
 * naming the VM and the property and containing what (if not NULL).
 */
static void parse_bad(const char *name, const char *vm, const char *prop,
		      const char *what)
{
	char err[256] = "", expect[128];
	struct vm_desc d;

	if (vm_desc_parse(bad_dtb, node(bad_dtb, name), &d, err, sizeof(err)))
		fail_msg("'%s' accepted", name);
	snprintf(expect, sizeof(expect), "vm '%s': ", vm);
	if (strncmp(err, expect, strlen(expect)))
		fail_msg("'%s': message does not start with \"%s\": %s", name,
			 expect, err);
	snprintf(expect, sizeof(expect), "property '%s': ", prop);
	if (!strstr(err, expect))
		fail_msg("'%s': message does not name %s: %s", name, expect, err);
	if (what && !strstr(err, what))
		fail_msg("'%s': message does not say \"%s\": %s", name, what, err);
}

/* A node of scenario_bad.dts rejected with exactly the message msg. */
static void parse_bad_exact(const char *name, const char *msg)
{
	char err[384] = "";
	struct vm_desc d;

	if (vm_desc_parse(bad_dtb, node(bad_dtb, name), &d, err, sizeof(err)))
		fail_msg("'%s' accepted", name);
	assert_string_equal(err, msg);
}

/* What a guest hypervisor may use: d's l1_vhe, l1_e2h0, l1_nv1. */
static void assert_l1(const struct vm_desc *d, bool vhe, bool e2h0, bool nv1)
{
	if (d->l1_vhe != vhe || d->l1_e2h0 != e2h0 || d->l1_nv1 != nv1)
		fail_msg("'%s': l1_vhe %d l1_e2h0 %d l1_nv1 %d, expected %d %d %d",
			 d->name, d->l1_vhe, d->l1_e2h0, d->l1_nv1, vhe, e2h0, nv1);
}

static void test_full(void **state)
{
	struct vm_desc d;

	(void)state;
	memset(&d, 0xa5, sizeof(d));
	parse_ok(valid_dtb, "full", &d);
	assert_string_equal(d.name, "full");
	assert_int_equal(d.nr_vcpus, 4);
	assert_int_equal(d.ram_base, 0x100000000ull);
	assert_int_equal(d.ram_size, 0x40000000ull);
	assert_string_equal(d.kernel, "Image");
	assert_string_equal(d.initrd, "initrd.cpio");
	assert_string_equal(d.cmdline, "console=ttyAMA0 panic=-1");
	assert_int_equal(d.gicd_base, 0x08000000ull);
	assert_int_equal(d.gicr_base, 0x080a0000ull);
	assert_int_equal(d.uart_base, 0x09000000ull);
	assert_int_equal(d.uart_spi, 5);
	assert_true(d.console_input);
	assert_true(d.virtual_el2);
	assert_l1(&d, true, true, true);
	assert_int_equal(d.test_dev_base, 0x0a000000ull);
	/* "pauth" and "lse": the first two entries of the feature table. */
	assert_int_equal(d.hidden_features, 0x3);
	assert_int_equal(d.hidden_features,
			 (1u << vm_feature_lookup("pauth")) |
				 (1u << vm_feature_lookup("lse")));
}

static void test_defaults(void **state)
{
	struct vm_desc d;

	(void)state;
	/* Garbage first: every default must be written by the parser. */
	memset(&d, 0xa5, sizeof(d));
	parse_ok(valid_dtb, "minimal", &d);
	assert_string_equal(d.name, "minimal");
	assert_int_equal(d.nr_vcpus, 1);
	assert_int_equal(d.ram_base, 0x40000000ull);
	assert_int_equal(d.ram_size, 0x200000ull);
	assert_string_equal(d.kernel, "guest.bin");
	assert_string_equal(d.initrd, "");
	assert_string_equal(d.cmdline, "");
	assert_int_equal(d.uart_spi, 0);
	assert_false(d.console_input);
	assert_false(d.virtual_el2);
	/* No virtual EL2: nothing for a guest hypervisor. */
	assert_l1(&d, false, false, false);
	assert_int_equal(d.test_dev_base, 0);
	assert_int_equal(d.hidden_features, 0);
}

static void test_unit_address_and_limits(void **state)
{
	struct vm_desc d;

	(void)state;
	/* "vm@1": the name drops the unit address. 8 vCPUs, SPI 987 and
	 * every feature name are the largest values allowed. */
	parse_ok(valid_dtb, "vm@1", &d);
	assert_string_equal(d.name, "vm");
	assert_int_equal(d.nr_vcpus, 8);
	assert_int_equal(d.ram_base, 0x80000000ull);
	assert_int_equal(d.ram_size, 0x80000000ull);
	assert_int_equal(d.uart_spi, 987);
	assert_int_equal(d.hidden_features, 0x1ff);

	/* Adjacent frames do not overlap: 1 vCPU's redistributor ends where
	 * the UART begins. */
	parse_ok(valid_dtb, "redist_touch", &d);
	assert_int_equal(d.gicr_base + VM_GICR_SIZE_PER_VCPU, d.uart_base);

	/* Frames that touch, in every order, and a name of all the
	 * characters allowed. */
	parse_ok(valid_dtb, "Touch-all_2", &d);
	assert_string_equal(d.name, "Touch-all_2");
	assert_int_equal(d.gicd_base, 0x3fff0000ull);
	assert_int_equal(d.gicr_base, 0x50000000ull);
	assert_int_equal(d.uart_base, 0x50040000ull);
	assert_int_equal(d.test_dev_base, 0x3ffef000ull);

	/* Memory ending exactly at 2^48 fits. */
	parse_ok(valid_dtb, "top48", &d);
	assert_int_equal(d.ram_base + d.ram_size, 1ull << 48);
}

static void test_bad_vcpus(void **state)
{
	(void)state;
	parse_bad("vcpus_zero", "vcpus_zero", "vcpus", "0 is out of range 1..8");
	parse_bad("vcpus_nine", "vcpus_nine", "vcpus", "9 is out of range 1..8");
	parse_bad("vcpus_missing", "vcpus_missing", "vcpus", "missing");
	parse_bad("vcpus_two_cells", "vcpus_two_cells", "vcpus", "one cell");
}

static void test_bad_memory(void **state)
{
	(void)state;
	parse_bad("memory_missing", "memory_missing", "memory", "missing");
	parse_bad("memory_zero", "memory_zero", "memory", "size is 0");
	parse_bad("memory_unaligned", "memory_unaligned", "memory",
		  "base 0x40100000 and size 0x10000000 must be 2 MiB aligned");
	parse_bad("memory_size_unaligned", "memory_size_unaligned", "memory",
		  "2 MiB aligned");
	parse_bad("memory_over48", "memory_over48", "memory",
		  "beyond the 48-bit IPA space");
	parse_bad("memory_wraps", "memory_wraps", "memory",
		  "beyond the 48-bit IPA space");
	parse_bad("memory_short", "memory_short", "memory",
		  "has 8 bytes, expected 16");
}

static void test_bad_strings(void **state)
{
	(void)state;
	parse_bad("kernel_missing", "kernel_missing", "kernel", "missing");
	parse_bad("kernel_empty", "kernel_empty", "kernel", "is empty");
	parse_bad("kernel_too_long", "kernel_too_long", "kernel",
		  "longer than 63 characters");
	parse_bad("initrd_list", "initrd_list", "initrd", "not a single string");
	parse_bad("bootargs_cells", "bootargs_cells", "bootargs",
		  "not a single string");
	parse_bad("bootargs_too_long", "bootargs_too_long", "bootargs",
		  "is longer than 511 characters");
}

static void test_bad_devices(void **state)
{
	(void)state;
	parse_bad("gic_short", "gic_short", "gic", "has 8 bytes, expected 16");
	parse_bad("gic_over48", "gic_over48", "gic", "out of range");
	parse_bad("uart_missing", "uart_missing", "uart", "missing");
	parse_bad("uart_irq_missing", "uart_irq_missing", "uart-interrupt",
		  "missing");
	parse_bad("uart_irq_big", "uart_irq_big", "uart-interrupt", "below 988");
	parse_bad("test_mmio_zero", "test_mmio_zero", "test-mmio",
		  "address 0 is not allowed");
	parse_bad("uart_unaligned", "uart_unaligned", "uart",
		  "address 0x9000800 is not 4 KiB aligned");
}

static void test_unknown_property(void **state)
{
	(void)state;
	parse_bad("unknown_prop", "unknown_prop", "vcpu", "unknown property");
}

static void test_unknown_feature(void **state)
{
	(void)state;
	parse_bad("bad_feature", "bad_feature", "hide-cpu-features",
		  "unknown feature 'sve'; known: pauth, lse, crc32, aes, sha, "
		  "fp16, dotprod, rdm, bti");
}

static void test_overlaps(void **state)
{
	(void)state;
	parse_bad("mem_gic_overlap", "mem_gic_overlap", "gic",
		  "[0x8000000, 0x8010000) overlaps memory [0x8000000, 0x8200000)");
	/* 2 vCPUs: redistributors [0x080a0000, 0x080e0000) cover the UART. */
	parse_bad("redist_uart", "redist_uart", "uart",
		  "[0x80c0000, 0x80c1000) overlaps gic [0x80a0000, 0x80e0000)");
	parse_bad("test_mmio_on_ram", "test_mmio_on_ram", "test-mmio",
		  "overlaps memory [0x40000000, 0x50000000)");
}

static void test_bad_name(void **state)
{
	(void)state;
	parse_bad("bad.name", "bad.name", "(node name)",
		  "may only use letters, digits, '-' and '_'");
}

/*
 * virtual-el2-features: absent, a virtual-el2 VM's guest hypervisor may
 * use all three (VHE, E2H0, NV1); each valid list gives what it names.
 * Garbage first: the parser writes all three every time.
 */
static void test_l1_features(void **state)
{
	static const struct {
		const char *node;
		bool vhe, e2h0, nv1;
	} ok[] = {
		{ "el2_default", true, true, true },
		{ "el2_all", true, true, true },
		{ "el2_nvhe", false, true, true },
		{ "el2_vhe_nv1", true, false, true },
		{ "el2_vhe", true, false, false },
	};
	struct vm_desc d;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ok); i++) {
		memset(&d, 0xa5, sizeof(d));
		parse_ok(valid_dtb, ok[i].node, &d);
		assert_true(d.virtual_el2);
		assert_l1(&d, ok[i].vhe, ok[i].e2h0, ok[i].nv1);
	}
}

/* Every way a virtual-el2-features can be wrong, with its whole message. */
static void test_l1_features_bad(void **state)
{
	(void)state;
	parse_bad_exact("el2feat_no_vel2",
			"vm 'el2feat_no_vel2': property 'virtual-el2-features': "
			"needs virtual-el2 (it says what a guest hypervisor at "
			"the virtual EL2 may use)");
	parse_bad_exact("el2feat_empty",
			"vm 'el2feat_empty': property 'virtual-el2-features': "
			"is empty; list some of: vhe, e2h0, nv1");
	parse_bad_exact("el2feat_cells",
			"vm 'el2feat_cells': property 'virtual-el2-features': "
			"is not a string list");
	parse_bad_exact("el2feat_unknown",
			"vm 'el2feat_unknown': property 'virtual-el2-features': "
			"unknown feature 'nv2'; valid: vhe, e2h0, nv1");
	parse_bad_exact("el2feat_empty_string",
			"vm 'el2feat_empty_string': property 'virtual-el2-features': "
			"unknown feature ''; valid: vhe, e2h0, nv1");
	parse_bad_exact("el2feat_twice",
			"vm 'el2feat_twice': property 'virtual-el2-features': "
			"'vhe' is listed twice");
	parse_bad_exact("el2feat_nv1_only",
			"vm 'el2feat_nv1_only': property 'virtual-el2-features': "
			"without 'e2h0' the guest hypervisor's HCR_EL2.E2H is "
			"RES1, which needs 'vhe'");
	parse_bad_exact("el2feat_e2h0_only",
			"vm 'el2feat_e2h0_only': property 'virtual-el2-features': "
			"'nv1' can be left out only if 'e2h0' is too "
			"(ID_AA64MMFR4_EL1.E2H0 says no FEAT_NV1 only as 0b1110, "
			"which says no FEAT_E2H0 as well)");
	parse_bad_exact("el2feat_vhe_e2h0",
			"vm 'el2feat_vhe_e2h0': property 'virtual-el2-features': "
			"'nv1' can be left out only if 'e2h0' is too "
			"(ID_AA64MMFR4_EL1.E2H0 says no FEAT_NV1 only as 0b1110, "
			"which says no FEAT_E2H0 as well)");
}

/*
 * vm_desc_check_host: "vhe" (listed, or the default of a virtual-el2 VM)
 * needs FEAT_VHE and FEAT_ECV on the host; a VM without it, or without
 * virtual-el2, passes on any CPU.
 */
static void test_l1_features_host(void **state)
{
	struct cpu_features with = { .vhe = true, .ecv = 1 }, without = { .vhe = false, .ecv = 1 };
	struct cpu_features no_ecv = { .vhe = true, .ecv = 0 };
	static const char *const vhe_nodes[] = {
		"el2_default", "el2_all", "el2_vhe_nv1", "el2_vhe", "full",
	};
	char err[384];
	struct vm_desc d;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(vhe_nodes); i++) {
		parse_ok(valid_dtb, vhe_nodes[i], &d);
		err[0] = '\0';
		assert_true(vm_desc_check_host(&d, &with, err, sizeof(err)));
		assert_string_equal(err, "");
		assert_false(vm_desc_check_host(&d, &without, err, sizeof(err)));
	}
	parse_ok(valid_dtb, "el2_default", &d);
	assert_false(vm_desc_check_host(&d, &without, err, sizeof(err)));
	assert_string_equal(err, "vm 'el2_default': property 'virtual-el2-features': "
			    "'vhe' (also the default without the property) needs "
			    "FEAT_VHE, which this CPU does not have "
			    "(ID_AA64MMFR1_EL1.VH = 0); write "
			    "virtual-el2-features = \"e2h0\", \"nv1\";");
	/* FEAT_ECV too: the guest hypervisor's virtual timer is trapped with it. */
	assert_false(vm_desc_check_host(&d, &no_ecv, err, sizeof(err)));
	assert_string_equal(err, "vm 'el2_default': property 'virtual-el2-features': "
			    "'vhe' (also the default without the property) needs "
			    "FEAT_ECV on this CPU (ID_AA64MMFR0_EL1.ECV = 0), "
			    "which nestvisor traps a VHE guest hypervisor's "
			    "virtual timer with; write "
			    "virtual-el2-features = \"e2h0\", \"nv1\";");
	parse_ok(valid_dtb, "el2_nvhe", &d);
	assert_true(vm_desc_check_host(&d, &without, err, sizeof(err)));
	assert_true(vm_desc_check_host(&d, &with, err, sizeof(err)));
	assert_true(vm_desc_check_host(&d, &no_ecv, err, sizeof(err)));
	parse_ok(valid_dtb, "minimal", &d);
	assert_true(vm_desc_check_host(&d, &without, err, sizeof(err)));
}

/* A short error buffer: truncated, terminated, never overrun (ASan). */
static void test_short_error_buffer(void **state)
{
	char *err = malloc(12);
	struct vm_desc d;

	(void)state;
	assert_non_null(err);
	assert_false(vm_desc_parse(bad_dtb, node(bad_dtb, "bad_feature"), &d,
				   err, 12));
	assert_string_equal(err, "vm 'bad_fea");
	free(err);
}

static void test_feature_lookup(void **state)
{
	static const char *const names[] = {
		"pauth", "lse", "crc32", "aes", "sha", "fp16", "dotprod", "rdm", "bti",
	};

	(void)state;
	for (int i = 0; i < (int)ARRAY_SIZE(names); i++)
		assert_int_equal(vm_feature_lookup(names[i]), i);
	assert_int_equal(vm_feature_lookup("sve"), -1);
	assert_int_equal(vm_feature_lookup(""), -1);
	assert_int_equal(vm_feature_lookup("PAUTH"), -1);
	assert_int_equal(vm_feature_lookup("pauth "), -1);
	assert_int_equal(vm_feature_lookup("pau"), -1);
}

/* A boolean property with any value is malformed, not read as true or false. */
static void test_boolean_with_value(void **state)
{
	(void)state;
	parse_bad("console_input_one", "console_input_one", "console-input",
		  "takes no value (write 'console-input;'), has 4 bytes");
	parse_bad("console_input_zero", "console_input_zero", "console-input",
		  "takes no value");
	parse_bad("virtual_el2_string", "virtual_el2_string", "virtual-el2",
		  "takes no value (write 'virtual-el2;'), has 4 bytes");
}

/* "dup" then "dup@1": both VM 'dup'; the second is refused, the first is not. */
static void test_duplicate_name(void **state)
{
	struct vm_desc d;

	(void)state;
	parse_ok(bad_dtb, "dup", &d);
	assert_string_equal(d.name, "dup");
	parse_bad("dup@1", "dup", "(node name)",
		  "'dup' is already the name of an earlier VM (node 'dup')");
	/* Only VM nodes count. */
	parse_ok(bad_dtb, "solo@3", &d);
	assert_string_equal(d.name, "solo");
}

/*
 * Two nodes of exactly the same name, which dtc refuses to write but a
 * blob can hold: libfdt's sequential writer does not check.
 */
static void test_duplicate_forced(void **state)
{
	static char buf[4096];
	char err[256] = "";
	struct vm_desc d;
	int first, second;

	(void)state;
	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	for (int i = 0; i < 2; i++) {
		const fdt32_t mem[4] = { 0, cpu_to_fdt32(0x40000000), 0,
						cpu_to_fdt32(0x200000) };
		const fdt32_t gic[4] = { 0, cpu_to_fdt32(0x08000000), 0,
						cpu_to_fdt32(0x080a0000) };
		const fdt32_t uart[2] = { 0, cpu_to_fdt32(0x09000000) };

		assert_int_equal(fdt_begin_node(buf, "twin"), 0);
		assert_int_equal(fdt_property_string(buf, "compatible", "nestvisor,vm"), 0);
		assert_int_equal(fdt_property_u32(buf, "vcpus", 1), 0);
		assert_int_equal(fdt_property(buf, "memory", mem, sizeof(mem)), 0);
		assert_int_equal(fdt_property_string(buf, "kernel", "k"), 0);
		assert_int_equal(fdt_property(buf, "gic", gic, sizeof(gic)), 0);
		assert_int_equal(fdt_property(buf, "uart", uart, sizeof(uart)), 0);
		assert_int_equal(fdt_property_u32(buf, "uart-interrupt", 1), 0);
		assert_int_equal(fdt_end_node(buf), 0);
	}
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	assert_true(vm_desc_check_scenario(buf, fdt_totalsize(buf), err, sizeof(err)));
	first = fdt_first_subnode(buf, 0);
	second = fdt_next_subnode(buf, first);
	assert_true(first >= 0 && second >= 0);
	assert_true(vm_desc_parse(buf, first, &d, err, sizeof(err)));
	assert_false(vm_desc_parse(buf, second, &d, err, sizeof(err)));
	assert_string_equal(err, "vm 'twin': property '(node name)': 'twin' is already "
			    "the name of an earlier VM (node 'twin')");
}

/* scenario_valid.dtb with the 32-bit word at off replaced by v. */
static void *corrupt_word(size_t off, u32 v, size_t *len)
{
	u8 *b = fixture_load("scenario_valid.dtb", len);

	assert_true(off + 4 <= *len);
	b[off] = (u8)(v >> 24);
	b[off + 1] = (u8)(v >> 16);
	b[off + 2] = (u8)(v >> 8);
	b[off + 3] = (u8)v;
	return b;
}

/* A corrupted blob is reported with libfdt's own words for what is wrong. */
static void test_check_scenario(void **state)
{
	char err[256];
	size_t len;
	void *b;
	u32 strings_size;

	(void)state;
	assert_true(vm_desc_check_scenario(valid_dtb, fdt_totalsize(valid_dtb),
					   err, sizeof(err)));
	/* The structure block does not begin with FDT_BEGIN_NODE: an unknown
	 * tag, or FDT_END or FDT_NOP, which fdt_check_full lets through. */
	b = corrupt_word(fdt_off_dt_struct(valid_dtb), 0x77, &len);
	assert_false(vm_desc_check_scenario(b, len, err, sizeof(err)));
	assert_string_equal(err, "is not a valid device tree: FDT_ERR_BADSTRUCTURE "
			    "(libfdt fdt_check_full)");
	free(b);
	for (u32 tag = FDT_NOP; tag <= FDT_END; tag += FDT_END - FDT_NOP) {
		b = corrupt_word(fdt_off_dt_struct(valid_dtb), tag, &len);
		assert_false(vm_desc_check_scenario(b, len, err, sizeof(err)));
		assert_non_null(strstr(err, "is not a valid device tree: FDT_ERR_BADSTRUCTURE ("));
		free(b);
	}
	/* A property's name offset beyond the strings block (the first
	 * property's nameoff: struct + BEGIN_NODE tag + "" padded + PROP tag + len). */
	strings_size = fdt_size_dt_strings(valid_dtb);
	b = corrupt_word(fdt_off_dt_struct(valid_dtb) + 4 + 4 + 4 + 4, strings_size + 100,
			 &len);
	assert_false(vm_desc_check_scenario(b, len, err, sizeof(err)));
	assert_string_equal(err, "is not a valid device tree: FDT_ERR_BADOFFSET "
			    "(libfdt fdt_check_full)");
	free(b);
	/* Cut short: totalsize beyond the buffer; shorter than a header. */
	assert_false(vm_desc_check_scenario(valid_dtb, fdt_totalsize(valid_dtb) - 1,
					    err, sizeof(err)));
	assert_string_equal(err, "is not a valid device tree: FDT_ERR_TRUNCATED "
			    "(libfdt fdt_check_full)");
	assert_false(vm_desc_check_scenario(valid_dtb, 39, err, sizeof(err)));
	assert_string_equal(err, "is 39 bytes, shorter than a device tree header");
	/* Not a device tree at all. */
	b = corrupt_word(0, 0x12345678, &len);
	assert_false(vm_desc_check_scenario(b, len, err, sizeof(err)));
	assert_string_equal(err, "is not a valid device tree: FDT_ERR_BADMAGIC "
			    "(libfdt fdt_check_full)");
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_unit_address_and_limits),
		cmocka_unit_test(test_bad_vcpus),
		cmocka_unit_test(test_bad_memory),
		cmocka_unit_test(test_bad_strings),
		cmocka_unit_test(test_bad_devices),
		cmocka_unit_test(test_unknown_property),
		cmocka_unit_test(test_unknown_feature),
		cmocka_unit_test(test_l1_features),
		cmocka_unit_test(test_l1_features_bad),
		cmocka_unit_test(test_l1_features_host),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_bad_name),
		cmocka_unit_test(test_short_error_buffer),
		cmocka_unit_test(test_feature_lookup),
		cmocka_unit_test(test_boolean_with_value),
		cmocka_unit_test(test_duplicate_name),
		cmocka_unit_test(test_duplicate_forced),
		cmocka_unit_test(test_check_scenario),
	};

	return cmocka_run_group_tests_name("vm_desc", tests, setup, teardown);
}
