/*
 * PSCI (Arm DEN 0022) and SMCCC (Arm DEN 0028) function IDs and results,
 * and nestvisor's client for the firmware's PSCI.
 */
#ifndef NV_PSCI_H
#define NV_PSCI_H

#include <nv/platform.h>
#include <nv/types.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)

/* The SMCCC call through the given conduit (arch). */
u64 smccc_call(enum psci_conduit c, u64 fn, u64 a1, u64 a2, u64 a3);

void psci_set_conduit(enum psci_conduit c);
enum psci_conduit psci_conduit(void);
u32 psci_version(void);
int psci_cpu_on(u64 mpidr, paddr_t entry, u64 context);
__noreturn void psci_system_off(void);
const char *psci_error_name(int err);

#endif
