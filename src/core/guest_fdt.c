/*
 * Guest device trees, written with libfdt's sequential writer from the VM
 * description (bindings: Linux Documentation/devicetree/bindings for
 * arm,gic-v3, arm,armv8-timer, arm,psci, arm,pl011).
 */
#include <libfdt.h>
#include <string.h>
#include <nv/fmt.h>
#include <nv/guest_fdt.h>

#define PHANDLE_GIC 1
#define PHANDLE_CLK 2
/* GIC interrupt specifier: type (0 SPI, 1 PPI), number, flags (4: level high). */
#define IRQ_LEVEL_HIGH 4
/*
 * The virtual GIC's maintenance interrupt, PPI 9 (INTID 25), the number
 * QEMU's virt and KVM give it (the Arm BSA recommends INTID 25): the GIC
 * node's `interrupts` (arm,gic-v3 binding), which a guest hypervisor such
 * as Linux KVM needs and other guests ignore.
 */
#define GUEST_MAINT_PPI 9

static int prop_str(void *fdt, const char *name, const char *str)
{
	return fdt_property(fdt, name, str, (int)strlen(str) + 1);
}

static int prop_cells(void *fdt, const char *name, const u32 *cells, int n)
{
	fdt32_t be[16];

	for (int i = 0; i < n && i < 16; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	return fdt_property(fdt, name, be, n * 4);
}

static int prop_reg(void *fdt, u64 base, u64 size)
{
	u32 c[4] = { (u32)(base >> 32), (u32)base, (u32)(size >> 32), (u32)size };

	return prop_cells(fdt, "reg", c, 4);
}

static int begin_node_at(void *fdt, const char *name, u64 addr)
{
	char n[48];

	nv_snprintf(n, sizeof(n), "%s@%llx", name, (unsigned long long)addr);
	return fdt_begin_node(fdt, n);
}

static int write_cpus(void *fdt, const struct guest_fdt_info *gi)
{
	int rc = fdt_begin_node(fdt, "cpus");

	rc |= fdt_property_u32(fdt, "#address-cells", 1);
	rc |= fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned i = 0; i < gi->desc->nr_vcpus && !rc; i++) {
		rc |= begin_node_at(fdt, "cpu", gi->mpidrs[i]);
		rc |= prop_str(fdt, "device_type", "cpu");
		rc |= prop_str(fdt, "compatible", "arm,armv8");
		rc |= fdt_property_u32(fdt, "reg", (u32)gi->mpidrs[i]);
		rc |= prop_str(fdt, "enable-method", "psci");
		rc |= fdt_end_node(fdt);
	}
	return rc | fdt_end_node(fdt);
}

static int write_gic(void *fdt, const struct vm_desc *d)
{
	u64 rsize = (u64)VM_GICR_SIZE_PER_VCPU * d->nr_vcpus;
	u32 reg[8] = { (u32)(d->gicd_base >> 32), (u32)d->gicd_base, 0,
		       VM_GICD_SIZE, (u32)(d->gicr_base >> 32), (u32)d->gicr_base,
		       (u32)(rsize >> 32), (u32)rsize };
	u32 maint[3] = { 1, GUEST_MAINT_PPI, IRQ_LEVEL_HIGH };
	int rc = begin_node_at(fdt, "intc", d->gicd_base);

	rc |= prop_str(fdt, "compatible", "arm,gic-v3");
	rc |= fdt_property_u32(fdt, "#interrupt-cells", 3);
	rc |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	rc |= prop_cells(fdt, "reg", reg, 8);
	rc |= fdt_property_u32(fdt, "#redistributor-regions", 1);
	rc |= prop_cells(fdt, "interrupts", maint, 3);
	rc |= fdt_property_u32(fdt, "phandle", PHANDLE_GIC);
	return rc | fdt_end_node(fdt);
}

static int write_timer(void *fdt, const struct guest_fdt_info *gi)
{
	/*
	 * Order of the binding: secure phys, non-secure phys, virt, hyp phys,
	 * and hyp virt (the EL2 virtual timer, CNTHV) for a guest hypervisor
	 * offered FEAT_VHE, where the platform has that PPI.
	 */
	u32 irqs[15] = { 1, 13, IRQ_LEVEL_HIGH,
			 1, gi->timer.phys - 16, IRQ_LEVEL_HIGH,
			 1, gi->timer.virt - 16, IRQ_LEVEL_HIGH,
			 1, gi->timer.hyp_phys - 16, IRQ_LEVEL_HIGH,
			 1, gi->timer.hyp_virt - 16, IRQ_LEVEL_HIGH };
	bool hyp_virt = gi->desc->virtual_el2 && gi->desc->l1_vhe && gi->timer.hyp_virt >= 16;
	int rc = fdt_begin_node(fdt, "timer");

	rc |= prop_str(fdt, "compatible", "arm,armv8-timer");
	rc |= prop_cells(fdt, "interrupts", irqs, hyp_virt ? 15 : 12);
	rc |= fdt_property(fdt, "always-on", NULL, 0);
	return rc | fdt_end_node(fdt);
}

static int write_uart(void *fdt, const struct vm_desc *d, char *path,
		      size_t plen)
{
	static const char names[] = "uartclk\0apb_pclk";
	static const char compat[] = "arm,pl011\0arm,primecell";
	u32 irq[3] = { 0, d->uart_spi, IRQ_LEVEL_HIGH };
	u32 clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };
	int rc;

	nv_snprintf(path, plen, "/pl011@%llx", (unsigned long long)d->uart_base);
	rc = fdt_begin_node(fdt, path + 1);
	rc |= fdt_property(fdt, "compatible", compat, sizeof(compat));
	rc |= prop_reg(fdt, d->uart_base, VM_UART_SIZE);
	rc |= prop_cells(fdt, "interrupts", irq, 3);
	rc |= prop_cells(fdt, "clocks", clocks, 2);
	rc |= fdt_property(fdt, "clock-names", names, sizeof(names));
	return rc | fdt_end_node(fdt);
}

static int write_chosen(void *fdt, const struct guest_fdt_info *gi,
			const char *uart_path)
{
	int rc = fdt_begin_node(fdt, "chosen");

	rc |= prop_str(fdt, "bootargs", gi->desc->cmdline);
	rc |= prop_str(fdt, "stdout-path", uart_path);
	if (gi->initrd_size) {
		rc |= fdt_property_u64(fdt, "linux,initrd-start", gi->initrd_start);
		rc |= fdt_property_u64(fdt, "linux,initrd-end",
				       gi->initrd_start + gi->initrd_size);
	}
	return rc | fdt_end_node(fdt);
}

size_t guest_fdt_build(const struct guest_fdt_info *gi, void *buf, size_t size)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	const struct vm_desc *d = gi->desc;
	char uart_path[40];
	int rc = fdt_create(buf, (int)size);

	rc |= fdt_finish_reservemap(buf);
	rc |= fdt_begin_node(buf, "");
	rc |= fdt_property_u32(buf, "#address-cells", 2);
	rc |= fdt_property_u32(buf, "#size-cells", 2);
	rc |= prop_str(buf, "compatible", "nestvisor,guest");
	rc |= prop_str(buf, "model", d->name);
	rc |= fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC);

	rc |= begin_node_at(buf, "memory", d->ram_base);
	rc |= prop_str(buf, "device_type", "memory");
	rc |= prop_reg(buf, d->ram_base, d->ram_size);
	rc |= fdt_end_node(buf);

	rc |= write_cpus(buf, gi);
	rc |= fdt_begin_node(buf, "psci");
	rc |= fdt_property(buf, "compatible", psci_compat, sizeof(psci_compat));
	/* A guest hypervisor's HVC is its own (taken at its EL2): SMC. */
	rc |= prop_str(buf, "method", gi->desc->virtual_el2 ? "smc" : "hvc");
	rc |= fdt_end_node(buf);
	rc |= write_timer(buf, gi);
	rc |= write_gic(buf, d);

	rc |= fdt_begin_node(buf, "apb-pclk");
	rc |= prop_str(buf, "compatible", "fixed-clock");
	rc |= fdt_property_u32(buf, "#clock-cells", 0);
	rc |= fdt_property_u32(buf, "clock-frequency", 24000000);
	rc |= fdt_property_u32(buf, "phandle", PHANDLE_CLK);
	rc |= fdt_end_node(buf);

	rc |= write_uart(buf, d, uart_path, sizeof(uart_path));
	if (d->test_dev_base) {
		rc |= begin_node_at(buf, "test-mmio", d->test_dev_base);
		rc |= prop_str(buf, "compatible", "nestvisor,test-mmio");
		rc |= prop_reg(buf, d->test_dev_base, VM_TEST_DEV_SIZE);
		rc |= fdt_end_node(buf);
	}
	rc |= write_chosen(buf, gi, uart_path);
	rc |= fdt_end_node(buf);
	rc |= fdt_finish(buf);
	if (rc)
		return 0;
	return fdt_totalsize(buf);
}
