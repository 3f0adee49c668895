/*
 * Isolation between VMs sharing a physical CPU: state a guest sets on the
 * CPU (breakpoint and watchpoint values, EL1 thread registers, the GIC
 * system register enable) is still its own after the other VM has run.
 * Each VM writes values derived from its name (the device tree's model),
 * then checks them many times while the other VM does the same. Under
 * nestvisor only (strict): it needs two VMs on one CPU.
 *
 * With "leave-state" in its bootargs the VM instead changes every piece
 * of per-CPU state a guest can reach that has a defined reset value (the
 * OS Lock, the OS Double Lock, the debug claim tags, DISR_EL1, MDSCR_EL1,
 * CONTEXTIDR_EL1, AMAIR_EL1, PAR_EL1, MDCCINT_EL1, OSECCR_EL1 and the
 * Debug Communications Channel: OSDTRRX/TX_EL1, DBGDTRTX_EL0) and powers
 * off; with "check-reset" the VM waits until that one has run and gone on
 * the same CPU and checks that it sees its own reset values, not the
 * other VM's.
 *
 * QEMU makes OSECCR_EL1, the DCC and MDCCINT_EL1 constant (RAZ/WI), so
 * the reset values alone prove nothing there: the leaving VM also checks
 * that nestvisor traps them (each access is one of its system register
 * exits, on a CPU with FEAT_FGT such as QEMU's max) and that OSECCR_EL1
 * and MDCCINT_EL1 keep what it wrote, which only the emulation does.
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

#define OSLAR_EL1 s2_0_c1_c0_4
#define OSLSR_EL1 s2_0_c1_c1_4
#define OSDLR_EL1 s2_0_c1_c3_4
#define DBGCLAIMSET_EL1 s2_0_c7_c8_6
#define DBGCLAIMCLR_EL1 s2_0_c7_c9_6
#define MDCCINT_EL1 s2_0_c0_c2_0
#define DISR_EL1 s3_0_c12_c1_1
/* OSECCR_EL1, OSDTRRX/TX_EL1, MDCCSR_EL0, DBGDTR*_EL0: the assembler knows their names. */

#define NV_HC_EXIT_COUNT 0xc6000001u

/* nestvisor's count of this vCPU's emulated system register accesses. */
static u64 sysreg_exits(void)
{
	register u64 x0 __asm__("x0") = NV_HC_EXIT_COUNT;
	register u64 x1 __asm__("x1") = 0;
	register u64 x2 __asm__("x2") = 0;
	register u64 x3 __asm__("x3") = 0;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x3;
}

/* What a new vCPU must see, whatever ran on its CPU before. */
static void check_reset_values(const char *when)
{
	check_eq(read_sysreg(OSLSR_EL1), 0xa, "%s: OSLSR_EL1 0xa (OS Lock set at reset)", when);
	check_eq(read_sysreg(OSDLR_EL1), 0, "%s: OSDLR_EL1 0 (no double lock)", when);
	check_eq(read_sysreg(DBGCLAIMCLR_EL1) & 0xff, 0, "%s: no debug claim tags", when);
	check_eq(read_sysreg(DISR_EL1), 0, "%s: DISR_EL1 0", when);
	check_eq(read_sysreg(mdscr_el1), 0, "%s: MDSCR_EL1 0", when);
	check_eq(read_sysreg(contextidr_el1), 0, "%s: CONTEXTIDR_EL1 0", when);
	check_eq(read_sysreg(amair_el1), 0, "%s: AMAIR_EL1 0", when);
	check_eq(read_sysreg(par_el1), 0, "%s: PAR_EL1 0", when);
	check_eq(read_sysreg(MDCCINT_EL1), 0, "%s: MDCCINT_EL1 0", when);
	/* The OS Lock is still set from reset: OSECCR_EL1 holds its value. */
	check_eq(read_sysreg(OSECCR_EL1), 0, "%s: OSECCR_EL1 0", when);
	check_eq(read_sysreg(OSDTRRX_EL1), 0, "%s: OSDTRRX_EL1 0", when);
	check_eq(read_sysreg(OSDTRTX_EL1), 0, "%s: OSDTRTX_EL1 0", when);
	check_eq(read_sysreg(MDCCSR_EL0), 0, "%s: MDCCSR_EL0 0 (RXfull, TXfull clear)", when);
	check_eq(read_sysreg(DBGDTRRX_EL0), 0, "%s: DBGDTRRX_EL0 0", when);
}

/*
 * OSECCR_EL1 (while the OS Lock is set), the DCC and MDCCINT_EL1 written:
 * each access traps, and OSECCR_EL1 and MDCCINT_EL1 read back per vCPU.
 */
static void leave_debug_state(void)
{
	struct exc_record r;
	u64 before = sysreg_exits(), n = 8;

	write_sysreg(OSECCR_EL1, 0x5a5a);
	write_sysreg(OSDTRRX_EL1, 0x11111111);
	write_sysreg(OSDTRTX_EL1, 0x22222222);
	write_sysreg(DBGDTRTX_EL0, 0x33333333);
	write_sysreg(MDCCINT_EL1, BIT(29) | BIT(30));
	isb();
	check_eq(read_sysreg(OSECCR_EL1), 0x5a5a, "OSECCR_EL1 keeps its value under the OS Lock");
	check_eq(read_sysreg(MDCCINT_EL1), BIT(29) | BIT(30), "MDCCINT_EL1 keeps its value");
	check_eq(read_sysreg(MDCCSR_EL0), 0, "MDCCSR_EL0 0 after a DBGDTRTX_EL0 write (RAZ/WI channel)");
	/* DBGDTR_EL0: QEMU before 10.1 lacks it (UNDEFINED before any trap). */
	exc_expect();
	write_sysreg(DBGDTR_EL0, 0x4444444455555555UL);
	if (!exc_take(&r))
		n += 1;
	else
		diag("DBGDTR_EL0 is UNDEFINED on this CPU (EC 0x%lx): not counted", ESR_EC(r.esr));
	check_eq(sysreg_exits() - before, n,
		 "OSECCR, OSDTRRX/TX, DBGDTRTX, MDCCINT, MDCCSR (and DBGDTR) accesses all trapped to nestvisor");
}

/* Changes each of them, checks that the change took, and powers off. */
static noreturn void leave_state(void)
{
	check_reset_values("at start");
	leave_debug_state();
	write_sysreg(OSLAR_EL1, 0);
	write_sysreg(OSDLR_EL1, 1);
	write_sysreg(DBGCLAIMSET_EL1, 0xff);
	write_sysreg(DISR_EL1, ~0UL);
	write_sysreg(mdscr_el1, BIT(12)); /* TDCC: EL0 DCC accesses trap */
	write_sysreg(contextidr_el1, 0x5a5a);
	write_sysreg(amair_el1, 0x44);
	write_sysreg(par_el1, 0x800);
	isb();
	check_eq(read_sysreg(OSLSR_EL1), 0x8, "OS Lock cleared");
	check_eq(read_sysreg(DBGCLAIMCLR_EL1) & 0xff, 0xff, "claim tags 0xff set");
	ok(read_sysreg(DISR_EL1) != 0, "DISR_EL1 written (0x%lx)", read_sysreg(DISR_EL1));
	check_eq(read_sysreg(contextidr_el1), 0x5a5a, "CONTEXTIDR_EL1 written");
	diag("leaving this state for the next VM on this CPU");
	guest_exit();
}

void guest_main(void)
{
	u64 h, bad = 0;
	unsigned rounds = 300;

	if (!strict_mode()) {
		skip("nestvisor only", "isolation between VMs");
		guest_exit();
	}
	if (bootarg_has("leave-state"))
		leave_state();
	if (bootarg_has("check-reset")) {
		/*
		 * The other VM shares this CPU and powers off within a few
		 * time slices; for 3 s (far more than it needs, even on a
		 * loaded host) the values are watched while it runs and after
		 * it is gone, then checked one by one.
		 */
		u64 end = deadline_after(3000000);

		while (!deadline_passed(end)) {
			udelay(1000);
			if (read_sysreg(OSLSR_EL1) != 0xa || read_sysreg(OSDLR_EL1) ||
			    (read_sysreg(DBGCLAIMCLR_EL1) & 0xff) || read_sysreg(DISR_EL1) ||
			    read_sysreg(contextidr_el1) || read_sysreg(amair_el1) ||
			    read_sysreg(par_el1) || read_sysreg(mdscr_el1) ||
			    read_sysreg(OSECCR_EL1) || read_sysreg(OSDTRRX_EL1) ||
			    read_sysreg(OSDTRTX_EL1) || read_sysreg(MDCCSR_EL0))
				bad++;
		}
		check_eq(bad, 0, "reset values kept while another VM changed its own for 3 s");
		check_reset_values("after another VM left its state");
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
