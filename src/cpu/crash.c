/* The crash report for exceptions nestvisor cannot handle at EL2. */
#include <nv/esr.h>
#include <nv/log.h>
#include <nv/percpu.h>
#include <nv/power.h>
#include <nv/trap.h>

static const char *const sources[] = {
	"EL2 with SP_EL0", "EL2", "lower EL (AArch64)", "lower EL (AArch32)",
};
static const char *const types[] = { "synchronous", "IRQ", "FIQ", "SError" };

static bool is_abort(unsigned ec)
{
	return ec == EC_DABT_CUR || ec == EC_DABT_LOW || ec == EC_IABT_CUR ||
	       ec == EC_IABT_LOW;
}

void crash_report(const struct trap_frame *f, unsigned vector)
{
	unsigned ec = esr_ec(f->esr);
	u32 iss = esr_iss(f->esr);

	nv_print("\n*** nestvisor: unhandled %s exception from %s on CPU %u ***\n",
		 types[vector & 3], sources[(vector >> 2) & 3], this_cpu_id());
	nv_print("ESR_EL2  0x%016llx  EC 0x%02x (%s) IL %u ISS 0x%07x\n",
		 (unsigned long long)f->esr, ec, esr_ec_name(ec),
		 (unsigned)((f->esr >> 25) & 1), iss);
	if (is_abort(ec))
		nv_print("         %s (FSC 0x%02x)%s, %s\n",
			 esr_fsc_name(iss & 0x3f), iss & 0x3f,
			 (iss & BIT(6)) && ec >= EC_DABT_LOW ? " on write" : "",
			 (iss & BIT(10)) ? "FAR not valid" : "FAR valid");
	nv_print("FAR_EL2  0x%016llx\n", (unsigned long long)f->far);
	nv_print("ELR_EL2  0x%016llx\n", (unsigned long long)f->elr);
	nv_print("SPSR_EL2 0x%016llx\n", (unsigned long long)f->spsr);
	for (unsigned i = 0; i < 31; i += 3) {
		if (i + 2 < 31)
			nv_print("x%-2u 0x%016llx  x%-2u 0x%016llx  x%-2u 0x%016llx\n",
				 i, (unsigned long long)f->x[i], i + 1,
				 (unsigned long long)f->x[i + 1], i + 2,
				 (unsigned long long)f->x[i + 2]);
		else
			nv_print("x%-2u 0x%016llx  sp  0x%016llx\n", i,
				 (unsigned long long)f->x[i],
				 (unsigned long long)f->sp);
	}
	power_off(POWER_FAILURE);
}
