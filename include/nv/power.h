/* Ending a run: the machine powers off and the exit status tells the result. */
#ifndef NV_POWER_H
#define NV_POWER_H

#include <nv/types.h>

enum power_result {
	POWER_SUCCESS,
	POWER_FAILURE,
};

/*
 * Success: PSCI SYSTEM_OFF (QEMU exits 0). Failure: the semihosting exit
 * call with status 1 when semihosting is present, else SYSTEM_OFF after
 * the error has been printed.
 */
__noreturn void power_off(enum power_result r);

#endif
