/*
 * Stays on for delay-ms=<N> milliseconds (bootargs, default 0), then
 * powers its VM off: scenarios of several VMs use it to choose the order
 * in which their VMs go off.
 */
#include "guest.h"

const char guest_name[] = "poweroff";

void guest_main(void)
{
	u64 ms = 0, start = vcount();

	bootarg_u64("delay-ms", &ms);
	udelay(ms * 1000);
	ok(vcount() - start >= us_to_ticks(ms * 1000), "stayed on for %lu ms", ms);
}
