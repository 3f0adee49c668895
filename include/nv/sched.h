/*
 * vCPU scheduling: each vCPU belongs to one physical CPU (assigned round
 * robin at creation); each physical CPU runs its vCPUs round robin, with
 * a time slice when several are runnable, and sleeps in WFI (with its
 * EL2 timer set for the earliest guest timer deadline) when none is.
 */
#ifndef NV_SCHED_H
#define NV_SCHED_H

#include <nv/types.h>

struct vcpu;

/* SGI nestvisor sends to make another CPU look at its vCPUs again. */
#define SGI_KICK 1

/*
 * Records which physical CPUs run vCPUs (the online ones) and the GIC
 * maintenance interrupt (it only needs to cause an exit).
 */
void sched_init(const unsigned *pcpus, unsigned n, u32 maint_intid);
void sched_add_vcpu(struct vcpu *vcpu);
/* Lets every CPU enter its run loop (secondaries wait for this). */
void sched_start(void);
bool sched_started(void);
/*
 * The run loop of the calling CPU. Whichever CPU finds every VM off
 * powers the machine off.
 */
__noreturn void sched_run(void);

void vcpu_kick(struct vcpu *vcpu);
/* Makes the final exit status a failure (e.g. a rejected VM description). */
void sched_note_failure(void);

#endif
