/* The EL2 physical timer registers (Arm ARM D12.8, CNTHP_CTL_EL2/CVAL_EL2). */
#include <nv/timer.h>
#include "sysreg.h"

void arch_el2_timer_arm(u64 cval)
{
	write_sysreg(cnthp_cval_el2, cval);
	write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
}

void arch_el2_timer_stop(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}
