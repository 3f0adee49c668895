/*
 * What nestvisor's generated device tree tells the guest: /chosen/bootargs
 * printed as its length and its bytes in hex (the integration cases
 * compare them with the command line they passed, byte for byte), and
 * the GIC node's maintenance interrupt (arm,gic-v3 binding: `interrupts`,
 * PPI 9 level high). Either missing (QEMU alone) is a skip.
 */
#include <libfdt.h>
#include "guest.h"

const char guest_name[] = "bootargs";

static void print_bootargs(void)
{
	int len, chosen = fdt_path_offset(guest_fdt, "/chosen");
	const u8 *p = chosen >= 0 ? fdt_getprop(guest_fdt, chosen, "bootargs", &len) : NULL;
	char hex[2 * 32 + 1];

	if (!p) {
		/* QEMU alone writes none without -append. */
		skip("no /chosen/bootargs", "/chosen/bootargs is a NUL-terminated string");
		return;
	}
	if (!ok(len >= 1 && p[len - 1] == '\0', "/chosen/bootargs is a NUL-terminated string"))
		return;
	ok(strlen((const char *)p) + 1 == (size_t)len, "/chosen/bootargs has no NUL inside");
	/* One line, printed 32 bytes at a time (printf's buffer is small). */
	printf("# bootargs: %d bytes: ", len - 1);
	for (int i = 0; i < len - 1; i += 32) {
		unsigned n = 0;

		for (int j = i; j < len - 1 && j < i + 32; j++)
			n += (unsigned)snprintf(hex + n, sizeof(hex) - n, "%02x", p[j]);
		printf("%s", hex);
	}
	printf("\n");
}

static void check_maintenance_irq(void)
{
	int gic = dt_find_compatible("arm,gic-v3"), len;
	const fdt32_t *p = gic >= 0 ? fdt_getprop(guest_fdt, gic, "interrupts", &len) : NULL;

	if (!p) {
		/* QEMU alone writes none without virtualization=on. */
		skip("no interrupts property", "the GIC node's maintenance interrupt");
		return;
	}
	if (!ok(len == 12, "the GIC node has an interrupts property of one specifier"))
		return;
	ok(fdt32_to_cpu(p[0]) == 1 && fdt32_to_cpu(p[1]) == 9 && fdt32_to_cpu(p[2]) == 4,
	   "the GIC node's maintenance interrupt is <1 9 4> (PPI 9, level high): <%u %u %u>",
	   fdt32_to_cpu(p[0]), fdt32_to_cpu(p[1]), fdt32_to_cpu(p[2]));
}

void guest_main(void)
{
	print_bootargs();
	check_maintenance_irq();
}
