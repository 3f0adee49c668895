/*
 * The run loop's decisions, apart from the loop that carries them out
 * (sched.c): which vCPU of a CPU is runnable and which runs next, which
 * deadline the EL2 timer is armed for, when a time slice ends, when to
 * sleep, whom a kick interrupts and which CPU ends the run. Generic code
 * with no arch calls: the host unit tests drive it with the fake arch.
 *
 * Every decision takes the counter value `now` from its caller, and a
 * caller uses one value for the decisions that belong together: a vCPU
 * found not runnable at `now` has no deadline at or before `now`, so the
 * deadline armed for it is never "already past" (which would arm nothing
 * and sleep for ever).
 */
#ifndef NV_SCHED_POLICY_H
#define NV_SCHED_POLICY_H

#include <nv/config.h>
#include <nv/exit.h>
#include <nv/types.h>
#include <nv/vm.h>

struct vcpu;

#define MAX_RUNQ (MAX_VMS * VM_MAX_VCPUS)
/* A deadline that never comes (no timer, no slice end). */
#define SCHED_NEVER (~UINT64_C(0))

/*
 * The vCPUs of one physical CPU and what its loop decided last. Each has
 * a slot (its bit in the masks, vcpu->rq_slot). A vCPU found waiting
 * (WFI) or off leaves `ready` and is looked at again only when it is
 * kicked (an interrupt, a reset, a power change: every one comes with
 * vcpu_kick) or when its timer deadline comes, so that picking, waking
 * and the deadline of the others cost the same however many vCPUs wait
 * on the CPU.
 */
struct runq {
	struct vcpu *v[MAX_RUNQ];
	unsigned n;
	unsigned next;     /* round-robin position (a slot) */
	struct vcpu *last; /* the vCPU that ran last here (TLB hygiene) */
	u64 ready;  /* slots found able to run at the last look */
	u64 kicked; /* slots kicked since (set by any CPU, atomically) */
	u64 timed;  /* waiting slots whose wake_at is a deadline */
	u64 wake;   /* the earliest wake_at of the timed ones */
	/*
	 * What the other vCPUs of this CPU need while one runs, kept from
	 * the last look at them (sched_others_update): whether one can run
	 * (then the time slice matters) and else the earliest of their timer
	 * deadlines (then the running one is interrupted to wake them).
	 */
	bool others_runnable;
	u64 others_wake;
	/* The deadline the EL2 timer is armed for, SCHED_NEVER if stopped. */
	u64 armed;
};

void runq_init(struct runq *rq);
/* False (nothing added) if the run queue is full. */
bool runq_add(struct runq *rq, struct vcpu *v);
/*
 * v (on rq) may have something new: an interrupt, a reset, a power
 * change. Any CPU may call it, after the change; the CPU of rq looks at
 * v at its next pick or entry (the caller interrupts that CPU if it is
 * another one).
 */
void runq_kick(struct runq *rq, const struct vcpu *v);

/*
 * A vCPU can run if its VM runs, it is on (PSCI) and it is not waiting in
 * WFI; a pending interrupt, an expired timer or a reset request ends the
 * wait (the vCPU's wfi flag is cleared).
 */
bool sched_runnable(struct vcpu *v, u64 now);
/*
 * After v (on rq) is put (its timers saved): notes its earliest timer
 * deadline, which cannot change until it runs again, so that deciding
 * whether a waiting vCPU can run costs the same whatever its timers
 * hold; one waiting in WFI leaves the ready ones, and its deadline
 * counts for the earliest wake-up of the CPU.
 */
void sched_put(struct runq *rq, struct vcpu *v);
/* sched_put() of a vCPU with a virtual EL2 (its deadline: every timer of the set). */
void sched_put_nested(struct runq *rq, struct vcpu *v);
/*
 * The next runnable vCPU in round-robin order, or NULL; in the same look
 * what the others need while it runs (rq->others_*; with none chosen,
 * rq->others_wake is the deadline to sleep until). Looks at the ready
 * vCPUs, the kicked ones and those whose deadline has come, no others.
 */
struct vcpu *sched_pick(struct runq *rq, u64 now);

/* Its VM runs and PSCI has it on: v may run (if not waiting). */
bool sched_alive(const struct vcpu *v);

/* The same look for the vCPUs of rq other than self, which runs. */
void sched_others_update(struct runq *rq, const struct vcpu *self, u64 now);
/*
 * Before an entry of v: refreshes the view of the others only when it may
 * be stale (a kick, or their earliest deadline has come), so that an exit
 * costs the same however many vCPUs share the CPU; then the deadline the
 * EL2 timer must fire at: v's emulated timers, and the end of its slice
 * if another vCPU can run, else the next wake-up of another.
 */
u64 sched_entry_deadline(struct runq *rq, struct vcpu *v, u64 now,
			 u64 slice_end);

/* What the loop does after an exit. */
enum sched_next {
	SCHED_STAY,  /* enter the same vCPU again */
	SCHED_LEAVE, /* put it and pick again */
};
/*
 * After an exit handled with act (pending: an interrupt is pending for v,
 * which completes a WFI at once, Arm ARM D1.6.2): WFI blocks v unless
 * one is pending; WFE gives way only to another runnable vCPU; a stopped
 * vCPU leaves; at the end of its slice v gives way if another can run,
 * else it gets a new slice (*slice_end moves on).
 */
enum sched_next sched_after_exit(struct runq *rq, struct vcpu *v,
				 enum exit_action act, bool pending, u64 now,
				 u64 *slice_end, u64 slice);

/* What to do with the EL2 timer (CNTHP_CVAL_EL2/CNTHP_CTL_EL2). */
enum sched_timer_op {
	SCHED_TIMER_KEEP, /* already armed for it (or already stopped) */
	SCHED_TIMER_ARM,  /* write CVAL = deadline and enable */
	SCHED_TIMER_STOP,
};
/*
 * For the deadline wanted at now. One at or before now arms nothing: the
 * interrupt line it stands for is already set. rq->armed is updated; the
 * timer is written only when the deadline changes.
 */
enum sched_timer_op sched_timer_update(struct runq *rq, u64 deadline, u64 now);
/*
 * The timer's interrupt stops it (timer.c): once now has reached the
 * armed deadline, it is no longer armed.
 */
void sched_timer_expired(struct runq *rq, u64 now);

/* Whom vcpu_kick() interrupts. */
enum sched_kick {
	SCHED_KICK_NONE,   /* not assigned to a CPU, or running the caller's exit */
	SCHED_KICK_LOCAL,  /* on the calling CPU: its run loop looks again */
	SCHED_KICK_REMOTE, /* an SGI to the CPU it is assigned to */
};
/*
 * running: the vCPU whose exit the calling CPU is handling (NULL when
 * idle). Kicking it does nothing: it is entered again after this exit,
 * and its entry sees its interrupts; the other vCPUs of its CPU have
 * nothing new to be looked at for (a timer interrupt of its own would
 * otherwise cost a look at all of them).
 */
enum sched_kick sched_kick_target(const struct vcpu *target, unsigned self_cpu,
				  const struct vcpu *running);

/*
 * True for exactly one caller, the first to find every VM of vms[0..n)
 * off and set *claimed (*failed: a VM failed or the run noted a failure):
 * that CPU ends the run, whichever it is.
 */
bool sched_claim_end(struct vm *const *vms, unsigned n, bool *claimed,
		     bool noted_failure, bool *failed);

#endif
