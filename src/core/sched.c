/* The per-CPU run loop: pick a vCPU, enter it, handle its exits. */
#include <nv/arch.h>
#include <nv/exit.h>
#include <nv/fmt.h>
#include <nv/irq.h>
#include <nv/log.h>
#include <nv/percpu.h>
#include <nv/platform.h>
#include <nv/power.h>
#include <nv/sched.h>
#include <nv/timer.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vpl011.h>
#include <nv/vtimer.h>

#define MAX_RUNQ (MAX_VMS * VM_MAX_VCPUS)
#define SLICE_US 10000

struct runq {
	struct vcpu *v[MAX_RUNQ];
	unsigned n;
	unsigned next;
	struct vcpu *last; /* the vCPU that ran last here (TLB hygiene) */
};

static struct runq runqs[NR_CPUS];
static unsigned pcpu_ids[NR_CPUS];
static unsigned nr_pcpus;
static unsigned next_pcpu;
static bool started;
static bool noted_failure;
static bool powering_off; /* claimed by the CPU that ends the run */
static u32 maint_intid;

void sched_note_failure(void)
{
	noted_failure = true;
}

void sched_init(const unsigned *pcpus, unsigned n, u32 maint)
{
	maint_intid = maint;
	for (unsigned i = 0; i < n && i < NR_CPUS; i++)
		pcpu_ids[i] = pcpus[i];
	nr_pcpus = n;
}

void sched_add_vcpu(struct vcpu *vcpu)
{
	unsigned cpu = pcpu_ids[next_pcpu++ % nr_pcpus];
	struct runq *rq = &runqs[cpu];

	vcpu->pcpu = cpu;
	if (rq->n < MAX_RUNQ)
		rq->v[rq->n++] = vcpu;
}

void sched_start(void)
{
	__atomic_store_n(&started, true, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish; sev" ::: "memory");
}

bool sched_started(void)
{
	return __atomic_load_n(&started, __ATOMIC_ACQUIRE);
}

void vcpu_kick(struct vcpu *vcpu)
{
	struct percpu *pc = this_cpu();

	if (vcpu->pcpu >= NR_CPUS || (pc && pc->id == vcpu->pcpu))
		return;
	arch_send_sgi(percpu[vcpu->pcpu].mpidr, SGI_KICK);
}

static bool vcpu_alive(const struct vcpu *v)
{
	return v->vm->state == VM_RUNNING &&
	       __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) == VCPU_ON;
}

static bool runnable(struct vcpu *v, u64 now)
{
	if (!vcpu_alive(v))
		return false;
	if (v->wfi && (vgic_pending(v) || vtimer_expired(v, now) || v->reset_pending))
		v->wfi = false;
	return !v->wfi;
}

static struct vcpu *pick(struct runq *rq, u64 now)
{
	for (unsigned i = 0; i < rq->n; i++) {
		unsigned idx = (rq->next + i) % rq->n;

		if (runnable(rq->v[idx], now)) {
			rq->next = idx + 1;
			return rq->v[idx];
		}
	}
	return NULL;
}

static bool others_runnable(struct runq *rq, struct vcpu *self, u64 now)
{
	for (unsigned i = 0; i < rq->n; i++)
		if (rq->v[i] != self && runnable(rq->v[i], now))
			return true;
	return false;
}

/*
 * The EL2 timer makes an exit (or a wake-up) happen at the next deadline.
 * One already past needs none: its interrupt level is already set, and
 * arming for it would only make the CPU exit again and again.
 */
static void arm_deadline(u64 deadline)
{
	if (deadline == ~UINT64_C(0) || deadline <= arch_counter())
		arch_el2_timer_stop();
	else
		arch_el2_timer_arm(deadline);
}

static void run_vcpu(struct percpu *pc, struct runq *rq, struct vcpu *v)
{
	u64 slice = timer_freq() * SLICE_US / 1000000;
	u64 slice_end = arch_counter() + slice;

	pc->vcpu = v;
	if (v->reset_pending)
		vcpu_apply_reset(v);
	arch_vcpu_load(v);
	vtimer_load(v);
	/* Another vCPU of the same VM may have left stage-1 entries here. */
	if (rq->last != v || v->tlb_flush_pending) {
		arch_tlb_flush_guest_local();
		v->tlb_flush_pending = false;
	}
	rq->last = v;
	for (;;) {
		enum exit_action act;
		u64 now, vector;

		if (v->reset_pending) {
			vtimer_put(v);
			arch_vcpu_put(v);
			vcpu_apply_reset(v);
			arch_vcpu_load(v);
			vtimer_load(v);
			arch_tlb_flush_guest_local();
		}
		if (!vcpu_alive(v))
			break;
		now = arch_counter();
		vtimer_sync(v, now);
		arm_deadline(MIN(vtimer_next_deadline(v, true),
				 rq->n > 1 ? slice_end : ~UINT64_C(0)));
		vgic_flush(v);
		arch_vgic_load(v);
		vector = guest_enter(&v->regs);
		v->exits++;
		arch_vgic_save(v);
		vgic_sync(v);
		vtimer_sync(v, arch_counter());
		act = handle_exit(v, vector);
		if (act == EXIT_BLOCK) {
			vpl011_flush(v->vm->uart);
			/*
			 * WFI completes at once when an interrupt is pending,
			 * even one the guest masks (Arm ARM D1.6.2): such a
			 * guest spins through WFI, and must still give way to
			 * the other vCPUs of this CPU at the end of its slice.
			 */
			v->wfi = !vgic_pending(v);
			if (v->wfi)
				break;
		} else if (act == EXIT_YIELD) {
			/* WFE: give way only if someone else here can run. */
			if (others_runnable(rq, v, arch_counter()))
				break;
		} else if (act != EXIT_CONTINUE) {
			break;
		}
		now = arch_counter();
		if (now >= slice_end) {
			if (others_runnable(rq, v, now))
				break;
			slice_end = now + slice;
		}
	}
	arch_el2_timer_stop();
	vtimer_put(v);
	arch_vcpu_put(v);
	pc->vcpu = NULL;
}

static bool all_vms_off(bool *failed)
{
	bool off = true;

	/*
	 * Pairs with the same fence on the CPU that powered the other VM
	 * off: of two CPUs that each switch one VM off and then look at all
	 * of them, at least one sees both off (no store-buffer reordering).
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*failed = noted_failure;
	for (unsigned i = 0; i < vm_count(); i++) {
		struct vm *vm = vm_get(i);

		if (__atomic_load_n(&vm->state, __ATOMIC_RELAXED) == VM_RUNNING)
			off = false;
		*failed |= vm->failed;
	}
	return off;
}

/* Exit accounting of one VM: one line, reasons in enum exit_reason order. */
static void print_exit_stats(const struct vm *vm)
{
	u64 by[EXIT_REASONS] = { 0 }, total = 0;
	char line[256];
	size_t n = 0;

	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		total += vm->vcpus[i]->exits;
		for (unsigned r = 0; r < EXIT_REASONS; r++)
			by[r] += vm->vcpus[i]->exit_reasons[r];
	}
	for (unsigned r = 0; r < EXIT_REASONS; r++)
		n += nv_snprintf(line + MIN(n, sizeof(line)),
				 sizeof(line) - MIN(n, sizeof(line)), " %s=%llu",
				 exit_reason_names[r], (unsigned long long)by[r]);
	nv_print("nestvisor: vm '%s' exits: total=%llu%s\n", vm->desc.name,
		 (unsigned long long)total, line);
}

static u64 idle_deadline(struct runq *rq)
{
	u64 d = ~UINT64_C(0);

	for (unsigned i = 0; i < rq->n; i++)
		if (vcpu_alive(rq->v[i]))
			d = MIN(d, vtimer_next_deadline(rq->v[i], false));
	return d;
}

static bool kick_irq(u32 intid, void *arg)
{
	(void)intid;
	(void)arg;
	return true;
}

/*
 * Whichever CPU finds every VM off ends the run: the one that saw the
 * last VM go off may be any of them, and the others may sleep with no
 * timer armed. Only the first to claim it prints and powers off.
 */
static void end_run_if_all_off(void)
{
	bool failed;

	if (!all_vms_off(&failed) ||
	    __atomic_exchange_n(&powering_off, true, __ATOMIC_ACQ_REL))
		return;
	for (unsigned i = 0; i < vm_count(); i++)
		print_exit_stats(vm_get(i));
	nv_print("nestvisor: counter at the end: %llu\n",
		 (unsigned long long)arch_counter());
	nv_print("nestvisor: every VM is off%s; powering off\n",
		 failed ? " (at least one failed)" : "");
	power_off(failed ? POWER_FAILURE : POWER_SUCCESS);
}

void sched_run(void)
{
	struct percpu *pc = this_cpu();
	struct runq *rq = &runqs[pc->id];

	arch_vcpu_cpu_init();
	irq_register(SGI_KICK, kick_irq, NULL);
	gicv3_enable_private(pc->gicr, SGI_KICK);
	if (maint_intid) {
		irq_register(maint_intid, kick_irq, NULL);
		gicv3_enable_private(pc->gicr, maint_intid);
	}
	vtimer_enable_cpu();
	for (;;) {
		struct vcpu *v;

		arch_irq_disable();
		v = pick(rq, arch_counter());
		if (v) {
			run_vcpu(pc, rq, v);
			continue;
		}
		end_run_if_all_off();
		arm_deadline(idle_deadline(rq));
		/* Sleep with IRQs masked (a pending one still wakes WFI), then take them. */
		__asm__ volatile("wfi" ::: "memory");
		arch_irq_enable();
		arch_irq_disable();
		arch_el2_timer_stop();
	}
}
