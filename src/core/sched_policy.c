/*
 * The run loop's decisions (include/nv/sched_policy.h): generic, driven
 * by the counter value each caller passes in.
 */
#include <nv/sched_policy.h>
#include <nv/vcpu.h>
#include <nv/vcpu_nested.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vtimer.h>

_Static_assert(MAX_RUNQ < 64, "a run queue's slots are the bits of a u64");

void runq_init(struct runq *rq)
{
	rq->n = 0;
	rq->next = 0;
	rq->last = NULL;
	rq->ready = 0;
	rq->kicked = 0;
	rq->timed = 0;
	rq->wake = SCHED_NEVER;
	rq->others_runnable = false;
	rq->others_wake = SCHED_NEVER;
	rq->armed = SCHED_NEVER;
}

bool runq_add(struct runq *rq, struct vcpu *v)
{
	if (rq->n >= MAX_RUNQ)
		return false;
	v->rq_slot = rq->n;
	rq->v[rq->n++] = v;
	v->wake_at = SCHED_NEVER; /* no timer until it has run */
	runq_kick(rq, v); /* looked at by the next look */
	return true;
}

void runq_kick(struct runq *rq, const struct vcpu *v)
{
	__atomic_fetch_or(&rq->kicked, BIT(v->rq_slot), __ATOMIC_RELEASE);
}

bool sched_alive(const struct vcpu *v)
{
	return __atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE) == VM_RUNNING &&
	       __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_ON;
}

/* The earliest deadline of the timed slots (O(timed), a bit scan). */
static void timed_rescan(struct runq *rq)
{
	u64 d = SCHED_NEVER;

	for (u64 m = rq->timed; m; m &= m - 1)
		d = MIN(d, rq->v[__builtin_ctzll(m)]->wake_at);
	rq->wake = d;
}

static void timed_add(struct runq *rq, const struct vcpu *v)
{
	if (v->wake_at == SCHED_NEVER)
		return;
	rq->timed |= BIT(v->rq_slot);
	rq->wake = MIN(rq->wake, v->wake_at);
}

/* Only the departure of the earliest one needs the others looked at. */
static void timed_del(struct runq *rq, const struct vcpu *v)
{
	u64 b = BIT(v->rq_slot);

	if (!(rq->timed & b))
		return;
	rq->timed &= ~b;
	if (v->wake_at <= rq->wake)
		timed_rescan(rq);
}

static inline void put_until(struct runq *rq, struct vcpu *v, u64 wake_at)
{
	timed_del(rq, v);
	v->wake_at = wake_at;
	if (v->wfi) {
		rq->ready &= ~BIT(v->rq_slot);
		timed_add(rq, v);
	}
}

void sched_put(struct runq *rq, struct vcpu *v)
{
	put_until(rq, v, vtimer_next_deadline(v, false));
}

/* A virtual EL2's timers are a set (timer/vtimer_nested.c). */
void sched_put_nested(struct runq *rq, struct vcpu *v)
{
	put_until(rq, v, vel2_next_deadline(v, 0, false));
}

/* An alive vCPU: ends its WFI if something ends it; false if it waits. */
static bool can_run(struct vcpu *v, u64 now)
{
	if (v->wfi && (v->reset_pending || v->wake_at <= now || vgic_pending(v)))
		v->wfi = false;
	return !v->wfi;
}

bool sched_runnable(struct vcpu *v, u64 now)
{
	return sched_alive(v) && can_run(v, now);
}

/*
 * Looks at the vCPUs that may have changed: the ready ones (still
 * alive?), the kicked ones and those whose deadline has come; self (the
 * one running, or none) is ready, as it runs. Each is ready afterwards
 * if it can run, else waits (timed if it is alive and has a deadline).
 * Costs O(ready + kicked + due), and O(timed) when a deadline comes or
 * the earliest timed one leaves: a bit scan of a word, no list.
 */
/* Inlined: it is most of a pick, which every wake-up makes. */
static inline __attribute__((always_inline)) void
refresh(struct runq *rq, const struct vcpu *self, u64 now)
{
	u64 keep = self ? BIT(self->rq_slot) : 0;
	u64 look = rq->ready & ~keep, ready = keep, timed = rq->timed;
	bool rescan = false;

	if (__atomic_load_n(&rq->kicked, __ATOMIC_RELAXED))
		look |= __atomic_exchange_n(&rq->kicked, 0, __ATOMIC_ACQUIRE) & ~keep;
	if (now >= rq->wake) {
		/* The deadlines that have come, and the earliest of the rest. */
		u64 d = SCHED_NEVER;

		for (u64 m = timed; m; m &= m - 1) {
			unsigned slot = (unsigned)__builtin_ctzll(m);
			u64 at = rq->v[slot]->wake_at;

			if (at <= now) {
				look |= BIT(slot);
				timed &= ~BIT(slot);
			} else {
				d = MIN(d, at);
			}
		}
		rq->wake = d;
	}
	for (; look; look &= look - 1) {
		unsigned slot = (unsigned)__builtin_ctzll(look);
		struct vcpu *v = rq->v[slot];
		u64 b = BIT(slot);
		bool on = sched_alive(v);

		if (on && can_run(v, now))
			ready |= b;
		else if (on && v->wake_at != SCHED_NEVER) {
			if (!(timed & b)) {
				timed |= b;
				rq->wake = MIN(rq->wake, v->wake_at);
			}
			continue;
		}
		/* Ready, off, or waiting for an interrupt only: not timed. */
		if (timed & b) {
			timed &= ~b;
			rescan |= v->wake_at <= rq->wake;
		}
	}
	rq->ready = ready;
	rq->timed = timed;
	if (rescan)
		timed_rescan(rq);
}

/* After a look: what the others of self need while it runs. */
static void note_others(struct runq *rq, const struct vcpu *self)
{
	rq->others_runnable = (rq->ready & ~(self ? BIT(self->rq_slot) : 0)) != 0;
	rq->others_wake = rq->others_runnable ? SCHED_NEVER : rq->wake;
}

struct vcpu *sched_pick(struct runq *rq, u64 now)
{
	struct vcpu *chosen = NULL;
	u64 after;

	refresh(rq, NULL, now);
	if (rq->ready) {
		/* Round robin: the first ready slot from next on, else the first. */
		after = rq->ready & (~UINT64_C(0) << rq->next);
		chosen = rq->v[__builtin_ctzll(after ? after : rq->ready)];
		rq->next = chosen->rq_slot + 1;
	}
	note_others(rq, chosen);
	return chosen;
}

void sched_others_update(struct runq *rq, const struct vcpu *self, u64 now)
{
	refresh(rq, self, now);
	note_others(rq, self);
}

u64 sched_entry_deadline(struct runq *rq, struct vcpu *v, u64 now,
			 u64 slice_end)
{
	if (__atomic_load_n(&rq->kicked, __ATOMIC_RELAXED) || now >= rq->others_wake)
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
