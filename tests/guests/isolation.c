/*
 * Isolation between VMs sharing a physical CPU: state a guest sets on the
 * CPU (breakpoint and watchpoint values, EL1 thread registers, the GIC
 * system register enable) is still its own after the other VM has run.
 * Each VM writes values derived from its name (the device tree's model),
 * then checks them many times while the other VM does the same. Under
 * nestvisor only (strict): it needs two VMs on one CPU.
 */
#include <libfdt.h>
#include "guest.h"

const char guest_name[] = "isolation";

static u64 name_hash(void)
{
	const char *model = fdt_getprop(guest_fdt, 0, "model", NULL);
	u64 h = 0xcbf29ce484222325UL;

	for (; model && *model; model++)
		h = (h ^ (u8)*model) * 0x100000001b3UL;
	return h;
}

void guest_main(void)
{
	u64 h, bad = 0;
	unsigned rounds = 300;

	if (!strict_mode()) {
		skip("nestvisor only", "isolation between VMs");
		guest_exit();
	}
	h = name_hash() & 0x0000fffffffffffcUL; /* a valid breakpoint address */
	diag("this VM's value: 0x%lx", h);
	/* Disabled (E = 0) breakpoint/watchpoint: only the values matter. */
	write_sysreg(s2_0_c0_c0_4, h);           /* DBGBVR0_EL1 */
	write_sysreg(s2_0_c0_c0_6, h ^ 0xff0);   /* DBGWVR0_EL1 */
	write_sysreg(tpidr_el0, ~h);
	write_sysreg(tpidrro_el0, h + 1);
	/* ICC_SRE_EL1: nestvisor keeps the system register interface on. */
	write_sysreg(s3_0_c12_c12_5, 0);
	isb();
	check_eq(read_sysreg(s3_0_c12_c12_5) & 1, 1, "ICC_SRE_EL1.SRE stays 1 after a write of 0");
	for (unsigned i = 0; i < rounds; i++) {
		udelay(200); /* time for the other VM to run on this CPU */
		if (read_sysreg(s2_0_c0_c0_4) != h || read_sysreg(s2_0_c0_c0_6) != (h ^ 0xff0) ||
		    read_sysreg(tpidr_el0) != ~h || read_sysreg(tpidrro_el0) != h + 1)
			bad++;
	}
	check_eq(bad, 0, "breakpoint, watchpoint and thread registers kept over %u rounds", rounds);
	guest_exit();
}
