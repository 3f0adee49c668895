/* Ending a run with an exit status the emulator can report. */
#include <nv/arch.h>
#include <nv/log.h>
#include <nv/power.h>
#include <nv/psci.h>
#include <nv/semihost.h>

void power_off(enum power_result r)
{
	arch_irq_disable();
	if (r == POWER_FAILURE) {
		nv_print("nestvisor: stopping after a failure\n");
		semihost_exit(1);
	}
	psci_system_off();
}

void nv_check_failed(const char *file, int line, const char *cond)
{
	nv_print("nestvisor: internal check failed at %s:%d: %s\n", file, line,
		 cond);
	power_off(POWER_FAILURE);
}
