/* nestvisor's PSCI client: calls to the firmware (or QEMU's built-in PSCI). */
#include <nv/arch.h>
#include <nv/psci.h>

static enum psci_conduit conduit = PSCI_CONDUIT_NONE;

void psci_set_conduit(enum psci_conduit c)
{
	conduit = c;
}

enum psci_conduit psci_conduit(void)
{
	return conduit;
}

u32 psci_version(void)
{
	return (u32)smccc_call(conduit, PSCI_VERSION, 0, 0, 0);
}

int psci_cpu_on(u64 mpidr, paddr_t entry, u64 context)
{
	return (int)(s64)smccc_call(conduit, PSCI_CPU_ON_64, mpidr, entry,
				    context);
}

void psci_system_off(void)
{
	if (conduit != PSCI_CONDUIT_NONE)
		smccc_call(conduit, PSCI_SYSTEM_OFF, 0, 0, 0);
	/* SYSTEM_OFF does not return; without PSCI there is nothing to call. */
	for (;;)
		arch_relax();
}

const char *psci_error_name(int err)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED",
		"ALREADY_ON", "ON_PENDING", "INTERNAL_FAILURE",
	};

	return err <= 0 && err >= -6 ? names[-err] : "unknown error";
}
