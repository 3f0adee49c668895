/* The guest's device tree, written with libfdt's sequential-write API. */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "nvmm.h"

#define PHANDLE_GIC 1U
#define PHANDLE_CLK 2U

/* GIC interrupt specifier cells (arm,gic-v3 binding). */
#define IRQ_SPI 0U
#define IRQ_PPI 1U
#define IRQ_LEVEL_HIGH 4U

/* The architected timer's PPIs, in the binding's order. */
static const uint32_t timer_ppis[] = {
	13, /* secure EL1 physical, INTID 29 */
	14, /* non-secure EL1 physical, INTID 30 */
	11, /* EL1 virtual, INTID 27 */
	10, /* EL2 physical, INTID 26 */
	12, /* EL2 virtual, INTID 28 (a guest at EL2 with VHE) */
};
#define GIC_MAINT_PPI 9U /* INTID 25 */

#define TRY(x)                          \
	do {                            \
		int rc_ = (x);          \
		if (rc_ < 0)            \
			return rc_;     \
	} while (0)

/* libfdt's fdt_property_string, with the length converted explicitly. */
static int prop_str(void *fdt, const char *name, const char *str)
{
	return fdt_property(fdt, name, str, (int)(strlen(str) + 1));
}

static int prop_reg(void *fdt, uint64_t a0, uint64_t s0, uint64_t a1, uint64_t s1, int n)
{
	fdt64_t v[4] = { cpu_to_fdt64(a0), cpu_to_fdt64(s0), cpu_to_fdt64(a1), cpu_to_fdt64(s1) };
	return fdt_property(fdt, "reg", v, (int)(sizeof(v[0]) * 2 * (unsigned int)n));
}

static int prop_cells(void *fdt, const char *name, const uint32_t *cells, unsigned int n)
{
	fdt32_t v[16];
	if (n > 16)
		return -FDT_ERR_INTERNAL;
	for (unsigned int i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(cells[i]);
	return fdt_property(fdt, name, v, (int)(n * sizeof(v[0])));
}

static int begin_node_at(void *fdt, const char *name, uint64_t addr)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s@%llx", name, (unsigned long long)addr);
	return fdt_begin_node(fdt, buf);
}

static int node_cpus(void *fdt, const struct fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned int i = 0; i < p->cpus; i++) {
		/* The reg of a CPU is its MPIDR's affinity fields. */
		uint64_t aff = p->mpidr[i] & 0xff00ffffffULL;
		TRY(begin_node_at(fdt, "cpu", aff));
		TRY(prop_str(fdt, "device_type", "cpu"));
		TRY(prop_str(fdt, "compatible", "arm,armv8"));
		TRY(prop_str(fdt, "enable-method", "psci"));
		fdt64_t reg = cpu_to_fdt64(aff);
		TRY(fdt_property(fdt, "reg", &reg, sizeof(reg)));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int node_gic(void *fdt, const struct fdt_params *p)
{
	TRY(begin_node_at(fdt, "intc", GUEST_GICD_BASE));
	TRY(prop_str(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	TRY(prop_reg(fdt, GUEST_GICD_BASE, GUEST_GICD_SIZE, GUEST_GICR_BASE,
		     GUEST_GICR_STRIDE * p->cpus, 2));
	if (p->el2) {
		/* A guest hypervisor needs the maintenance interrupt of its GIC. */
		const uint32_t maint[] = { IRQ_PPI, GIC_MAINT_PPI, IRQ_LEVEL_HIGH };
		TRY(prop_cells(fdt, "interrupts", maint, 3));
	}
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_GIC));
	return fdt_end_node(fdt);
}

static int node_timer(void *fdt, const struct fdt_params *p)
{
	uint32_t cells[3 * 5];
	unsigned int n = p->el2 ? 5 : 4;
	for (unsigned int i = 0; i < n; i++) {
		cells[3 * i] = IRQ_PPI;
		cells[3 * i + 1] = timer_ppis[i];
		cells[3 * i + 2] = IRQ_LEVEL_HIGH;
	}
	TRY(fdt_begin_node(fdt, "timer"));
	TRY(prop_str(fdt, "compatible", "arm,armv8-timer"));
	TRY(prop_cells(fdt, "interrupts", cells, 3 * n));
	TRY(fdt_property(fdt, "always-on", NULL, 0));
	return fdt_end_node(fdt);
}

static int node_uart(void *fdt)
{
	/* An AMBA PrimeCell: the bus probes its ID registers, with apb_pclk on. */
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clk_names[] = "uartclk\0apb_pclk";
	const uint32_t irq[] = { IRQ_SPI, GUEST_UART_SPI, IRQ_LEVEL_HIGH };
	const uint32_t clks[] = { PHANDLE_CLK, PHANDLE_CLK };

	TRY(begin_node_at(fdt, "pl011", GUEST_UART_BASE));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_reg(fdt, GUEST_UART_BASE, GUEST_UART_SIZE, 0, 0, 1));
	TRY(prop_cells(fdt, "interrupts", irq, 3));
	TRY(prop_cells(fdt, "clocks", clks, 2));
	TRY(fdt_property(fdt, "clock-names", clk_names, sizeof(clk_names)));
	return fdt_end_node(fdt);
}

int fdt_build(void *buf, size_t size, const struct fdt_params *p)
{
	const struct layout *l = p->layout;
	char stdout_path[64];
	snprintf(stdout_path, sizeof(stdout_path), "/pl011@%llx", (unsigned long long)GUEST_UART_BASE);

	TRY(fdt_create(buf, (int)size));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(prop_str(buf, "compatible", "linux,dummy-virt"));
	TRY(fdt_property_u32(buf, "#address-cells", 2));
	TRY(fdt_property_u32(buf, "#size-cells", 2));
	TRY(fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC));

	TRY(fdt_begin_node(buf, "chosen"));
	TRY(prop_str(buf, "bootargs", p->cmdline));
	TRY(prop_str(buf, "stdout-path", stdout_path));
	if (l->initrd_size) {
		TRY(fdt_property_u64(buf, "linux,initrd-start", l->initrd_addr));
		TRY(fdt_property_u64(buf, "linux,initrd-end", l->initrd_addr + l->initrd_size));
	}
	TRY(fdt_end_node(buf));

	TRY(begin_node_at(buf, "memory", l->ram_base));
	TRY(prop_str(buf, "device_type", "memory"));
	TRY(prop_reg(buf, l->ram_base, l->ram_size, 0, 0, 1));
	TRY(fdt_end_node(buf));

	TRY(node_cpus(buf, p));

	/* PSCI in KVM: over HVC from EL1; a guest at EL2 calls it with SMC. */
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	TRY(fdt_begin_node(buf, "psci"));
	TRY(fdt_property(buf, "compatible", psci_compat, sizeof(psci_compat)));
	TRY(prop_str(buf, "method", p->el2 ? "smc" : "hvc"));
	TRY(fdt_end_node(buf));

	TRY(node_gic(buf, p));
	TRY(node_timer(buf, p));

	TRY(fdt_begin_node(buf, "apb-pclk"));
	TRY(prop_str(buf, "compatible", "fixed-clock"));
	TRY(fdt_property_u32(buf, "#clock-cells", 0));
	TRY(fdt_property_u32(buf, "clock-frequency", 24000000));
	TRY(prop_str(buf, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_u32(buf, "phandle", PHANDLE_CLK));
	TRY(fdt_end_node(buf));

	TRY(node_uart(buf));

	TRY(fdt_end_node(buf));
	TRY(fdt_finish(buf));
	return 0;
}
