/*
 * The VM description parser (src/core/vm_desc.c) on any scenario.dtb, as
 * scenario.c reads it: the blob is checked whole (vm_desc_check_scenario),
 * then each "nestvisor,vm" node under the root is parsed. Checks: error
 * messages are terminated inside their buffers; an accepted description
 * keeps every rule the parser promises (a valid name, unique in the
 * scenario, 1 to VM_MAX_VCPUS vCPUs, 2 MiB-aligned RAM inside 48 bits,
 * 4 KiB-aligned device frames that overlap neither RAM nor each other,
 * terminated strings, an SPI below 988; a guest hypervisor's features
 * only with a virtual EL2, HCR_EL2.E2H RES1 only with VHE, NV1 left out
 * only with E2H0 left out), and vm_desc_check_host refuses it only for
 * "vhe" on a host without FEAT_VHE.
 */
#include <nv/cpufeature.h>
#include <nv/vm_desc.h>
#include <libfdt.h>
#include "fuzz.h"

struct span {
	u64 base, size;
};

static bool disjoint(struct span a, struct span b)
{
	return a.base + a.size <= b.base || b.base + b.size <= a.base;
}

static void check_desc(const struct vm_desc *d)
{
	const u64 top = UINT64_C(1) << 48;
	struct span s[5] = {
		{ d->ram_base, d->ram_size },
		{ d->gicd_base, VM_GICD_SIZE },
		{ d->gicr_base, (u64)VM_GICR_SIZE_PER_VCPU * d->nr_vcpus },
		{ d->uart_base, VM_UART_SIZE },
		{ d->test_dev_base, VM_TEST_DEV_SIZE },
	};
	unsigned n = d->test_dev_base ? 5 : 4;

	FUZZ_CHECK(fuzz_terminated(d->name, sizeof(d->name)) && d->name[0]);
	for (const char *c = d->name; *c; c++)
		FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			   (*c >= '0' && *c <= '9') || *c == '-' || *c == '_');
	FUZZ_CHECK(d->nr_vcpus >= 1 && d->nr_vcpus <= VM_MAX_VCPUS);
	FUZZ_CHECK(fuzz_terminated(d->kernel, sizeof(d->kernel)) && d->kernel[0]);
	FUZZ_CHECK(fuzz_terminated(d->initrd, sizeof(d->initrd)));
	FUZZ_CHECK(fuzz_terminated(d->cmdline, sizeof(d->cmdline)));
	FUZZ_CHECK(d->uart_spi < 988);
	FUZZ_CHECK(d->ram_size && !((d->ram_base | d->ram_size) & (SZ_2M - 1)));
	FUZZ_CHECK(d->virtual_el2 || (!d->l1_vhe && !d->l1_e2h0 && !d->l1_nv1));
	FUZZ_CHECK(!d->virtual_el2 || d->l1_e2h0 || d->l1_vhe);
	FUZZ_CHECK(d->l1_nv1 || !d->l1_e2h0);
	for (unsigned i = 0; i < n; i++) {
		FUZZ_CHECK(s[i].base <= top && s[i].size <= top - s[i].base);
		FUZZ_CHECK(!(s[i].base & 0xfff));
		for (unsigned j = i + 1; j < n; j++)
			FUZZ_CHECK(disjoint(s[i], s[j]));
	}
}

static const struct cpu_features host_vhe = { .vhe = true, .ecv = 1 };
static const struct cpu_features host_no_vhe = { .vhe = false, .ecv = 1 };
static const struct cpu_features host_no_ecv = { .vhe = true, .ecv = 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy (scenario.c copies it out of the bundle too). */
	void *fdt = malloc(size ? size : 1);
	char names[16][VM_NAME_MAX];
	unsigned nnames = 0;
	char err[384];
	int node;

	fuzz_quiet_console();
	memcpy(fdt, data, size);
	memset(err, 0, sizeof(err));
	if (!vm_desc_check_scenario(fdt, size, err, sizeof(err))) {
		FUZZ_CHECK(err[0] && fuzz_terminated(err, sizeof(err)));
		free(fdt);
		return 0;
	}
	fdt_for_each_subnode(node, fdt, 0) {
		struct vm_desc d;

		if (fdt_node_check_compatible(fdt, node, "nestvisor,vm"))
			continue;
		memset(err, 0, sizeof(err));
		if (!vm_desc_parse(fdt, node, &d, err, sizeof(err))) {
			FUZZ_CHECK(err[0] && fuzz_terminated(err, sizeof(err)));
			continue;
		}
		check_desc(&d);
		/* The host check refuses "vhe" only where FEAT_VHE (or FEAT_ECV) is missing. */
		FUZZ_CHECK(vm_desc_check_host(&d, &host_vhe, err, sizeof(err)));
		memset(err, 0, sizeof(err));
		FUZZ_CHECK(vm_desc_check_host(&d, &host_no_vhe, err, sizeof(err)) ==
			   !d.l1_vhe);
		FUZZ_CHECK(d.l1_vhe ? err[0] && fuzz_terminated(err, sizeof(err)) : !err[0]);
		memset(err, 0, sizeof(err));
		FUZZ_CHECK(vm_desc_check_host(&d, &host_no_ecv, err, sizeof(err)) == !d.l1_vhe);
		for (unsigned i = 0; i < nnames; i++)
			FUZZ_CHECK(strcmp(names[i], d.name));
		if (nnames < ARRAY_SIZE(names))
			memcpy(names[nnames++], d.name, sizeof(d.name));
	}
	free(fdt);
	return 0;
}
