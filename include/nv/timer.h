/*
 * nestvisor's own timer: the EL2 physical timer (CNTHP_*_EL2, Arm ARM
 * D12.8.x), whose PPI comes from the device tree's arm,armv8-timer node.
 */
#ifndef NV_TIMER_H
#define NV_TIMER_H

#include <nv/platform.h>
#include <nv/types.h>

/* The counter frequency: CNTFRQ_EL0, or the DT's clock-frequency if set. */
u64 timer_freq(void);
void timer_init(const struct platform *p);
/*
 * Arms the EL2 physical timer for now + us, takes its interrupt on the
 * calling CPU and records it in this CPU's percpu. False if none came.
 */
bool timer_selftest_cpu(u64 us);

/* Arch: CNTHP_CVAL_EL2 and CNTHP_CTL_EL2. */
void arch_el2_timer_arm(u64 cval);
void arch_el2_timer_stop(void);

#endif
