/*
 * The run loop's decisions (include/nv/sched_policy.h): generic, driven
 * by the counter value each caller passes in.
 */
#include <nv/sched_policy.h>
#include <nv/vcpu.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>

void runq_init(struct runq *rq)
{
	rq->n = 0;
	rq->next = 0;
	rq->last = NULL;
	rq->others_runnable = false;
	rq->others_wake = SCHED_NEVER;
	rq->recheck = true;
	rq->armed = SCHED_NEVER;
}

bool runq_add(struct runq *rq, struct vcpu *v)
{
	if (rq->n >= MAX_RUNQ)
		return false;
	rq->v[rq->n++] = v;
	v->wake_at = SCHED_NEVER; /* no timer until it has run */
	rq->recheck = true;
	return true;
}

bool sched_alive(const struct vcpu *v)
{
	return __atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING &&
	       __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_ON;
}

void sched_put(struct vcpu *v)
{
	v->wake_at = vtimer_next_deadline(v, false);
}

bool sched_runnable(struct vcpu *v, u64 now)
{
	if (!sched_alive(v))
		return false;
	if (v->wfi && (v->reset_pending || v->wake_at <= now || vgic_pending(v)))
		v->wfi = false;
	return !v->wfi;
}

struct vcpu *sched_pick(struct runq *rq, u64 now)
{
	struct vcpu *chosen = NULL;
	unsigned start = rq->next;

	/* One pass: the choice, and what the others need while it runs. */
	rq->recheck = false;
	rq->others_runnable = false;
	rq->others_wake = SCHED_NEVER;
	for (unsigned i = 0; i < rq->n; i++) {
		unsigned idx = (start + i) % rq->n;
		struct vcpu *v = rq->v[idx];

		if (!sched_alive(v))
			continue;
		if (!sched_runnable(v, now)) {
			rq->others_wake = MIN(rq->others_wake, v->wake_at);
		} else if (!chosen) {
			chosen = v;
			rq->next = idx + 1;
		} else {
			rq->others_runnable = true;
		}
	}
	if (rq->others_runnable)
		rq->others_wake = SCHED_NEVER;
	return chosen;
}

void sched_others_update(struct runq *rq, const struct vcpu *self, u64 now)
{
	rq->recheck = false;
	rq->others_runnable = false;
	rq->others_wake = SCHED_NEVER;
	for (unsigned i = 0; i < rq->n; i++) {
		struct vcpu *o = rq->v[i];

		if (o == self || !sched_alive(o))
			continue;
		if (sched_runnable(o, now)) {
			rq->others_runnable = true;
			rq->others_wake = SCHED_NEVER;
			return;
		}
		rq->others_wake = MIN(rq->others_wake, o->wake_at);
	}
}

u64 sched_entry_deadline(struct runq *rq, struct vcpu *v, u64 now,
			 u64 slice_end)
{
	if (rq->recheck || now >= rq->others_wake)
		sched_others_update(rq, v, now);
	/* A loaded vCPU's virtual timer interrupts by itself (loaded = true). */
	return MIN(vtimer_next_deadline(v, true),
		   rq->others_runnable ? slice_end : rq->others_wake);
}

enum sched_next sched_after_exit(struct runq *rq, struct vcpu *v,
				 enum exit_action act, bool pending, u64 now,
				 u64 *slice_end, u64 slice)
{
	switch (act) {
	case EXIT_CONTINUE:
		break;
	case EXIT_BLOCK:
		/*
		 * WFI completes at once when an interrupt is pending, even one
		 * the guest masks (Arm ARM D1.6.2): such a guest spins through
		 * WFI, and still gives way at the end of its slice below.
		 */
		v->wfi = !pending;
		if (v->wfi)
			return SCHED_LEAVE;
		break;
	case EXIT_YIELD:
		/* WFE: give way only if someone else here can run. */
		sched_others_update(rq, v, now);
		if (rq->others_runnable)
			return SCHED_LEAVE;
		break;
	default:
		return SCHED_LEAVE;
	}
	if (now < *slice_end)
		return SCHED_STAY;
	sched_others_update(rq, v, now);
	if (rq->others_runnable)
		return SCHED_LEAVE;
	*slice_end = now + slice;
	return SCHED_STAY;
}

enum sched_timer_op sched_timer_update(struct runq *rq, u64 deadline, u64 now)
{
	if (deadline <= now)
		deadline = SCHED_NEVER;
	if (deadline == rq->armed)
		return SCHED_TIMER_KEEP;
	rq->armed = deadline;
	return deadline == SCHED_NEVER ? SCHED_TIMER_STOP : SCHED_TIMER_ARM;
}

void sched_timer_expired(struct runq *rq, u64 now)
{
	if (now >= rq->armed)
		rq->armed = SCHED_NEVER;
}

enum sched_kick sched_kick_target(const struct vcpu *target, unsigned self_cpu,
				  const struct vcpu *running)
{
	if (target->pcpu >= NR_CPUS || target == running)
		return SCHED_KICK_NONE;
	return target->pcpu == self_cpu ? SCHED_KICK_LOCAL : SCHED_KICK_REMOTE;
}

bool sched_claim_end(struct vm *const *vms, unsigned n, bool *claimed,
		     bool noted_failure, bool *failed)
{
	bool off = true;

	/*
	 * Pairs with the same fence on the CPU that powered another VM off:
	 * of two CPUs that each switch one VM off and then look at all of
	 * them, at least one sees both off (no store-buffer reordering).
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*failed = noted_failure;
	for (unsigned i = 0; i < n; i++) {
		const struct vm *vm = vms[i];

		if (__atomic_load_n(&vm->state, __ATOMIC_RELAXED) == VM_RUNNING)
			off = false;
		*failed |= vm->failed;
	}
	return off && !__atomic_exchange_n(claimed, true, __ATOMIC_ACQ_REL);
}
