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
#include <nv/sched_policy.h>
#include <nv/timer.h>
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include <nv/vcpu_nested.h>
#include <nv/vgic.h>
#include <nv/vm.h>
#include <nv/vpl011.h>
#include <nv/vtimer.h>

#define SLICE_US 10000

static struct runq runqs[NR_CPUS];
static unsigned pcpu_ids[NR_CPUS];
static unsigned nr_pcpus;
static unsigned next_pcpu;
static bool started;
static bool noted_failure;
static bool run_ended; /* claimed by the CPU that ends the run */
static struct vm *vms[MAX_VMS]; /* the VMs with vCPUs to run */
static unsigned nr_vms;
static u32 maint_intid;

void sched_note_failure(void)
{
	noted_failure = true;
}

void sched_init(const unsigned *pcpus, unsigned n, u32 maint)
{
	maint_intid = maint;
	for (unsigned i = 0; i < NR_CPUS; i++)
		runq_init(&runqs[i]);
	for (unsigned i = 0; i < n && i < NR_CPUS; i++)
		pcpu_ids[i] = pcpus[i];
	nr_pcpus = n;
}

void sched_add_vcpu(struct vcpu *vcpu)
{
	unsigned cpu = pcpu_ids[next_pcpu++ % nr_pcpus];

	vcpu->pcpu = cpu;
	runq_add(&runqs[cpu], vcpu);
	if (nr_vms < MAX_VMS && (!nr_vms || vms[nr_vms - 1] != vcpu->vm))
		vms[nr_vms++] = vcpu->vm;
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

	switch (sched_kick_target(vcpu, pc ? pc->id : 0, pc ? pc->vcpu : NULL)) {
	case SCHED_KICK_LOCAL:
		runq_kick(&runqs[vcpu->pcpu], vcpu);
		break;
	case SCHED_KICK_REMOTE:
		runq_kick(&runqs[vcpu->pcpu], vcpu);
		arch_send_sgi(percpu[vcpu->pcpu].mpidr, SGI_KICK);
		break;
	default:
		break;
	}
}

/* The EL2 timer makes an exit (or a wake-up) happen at the deadline. */
static void set_timer(struct runq *rq, u64 deadline, u64 now)
{
	switch (sched_timer_update(rq, deadline, now)) {
	case SCHED_TIMER_ARM:
		arch_el2_timer_arm(deadline);
		break;
	case SCHED_TIMER_STOP:
		arch_el2_timer_stop();
		break;
	default:
		break;
	}
}

/* A vCPU of a VM with a virtual EL2: arch_vcpu_load, then its EL2 controls. */
static void nested_load(struct vcpu *v)
{
	arch_vcpu_load(v);
	vel2_load(v);
	vtimer_load(v);
}

/*
 * The run loop of a vCPU with a virtual EL2: that of run_vcpu, with the
 * nested half's GIC, timers and exit handling (cpu/nested_exit.c) and
 * no short path (an HVC at vEL2 is L1's own exception).
 */
static __attribute__((noinline)) void run_nested(struct runq *rq, struct vcpu *v, u64 slice_end, u64 slice)
{
	struct vcpu_nested *n = v->nested;

	nested_load(v);
	/*
	 * Another vCPU of the VM may have left entries here, under the VM's
	 * VMID (L1's EL2 regime, a flat L2) or a shadow's that this vCPU's
	 * L2 shares: every guest entry of this CPU goes (TLBI ALLE1).
	 */
	if (rq->last != v || v->tlb_flush_pending) {
		arch_tlbi_guests_local();
		v->tlb_flush_pending = false;
	}
	rq->last = v;
	for (;;) {
		enum exit_action act;
		u64 now, vector;
		bool pending;

		if (v->reset_pending) {
			vtimer_put(v);
			arch_vcpu_put(v);
			vcpu_apply_reset(v);
			nested_load(v);
			arch_tlbi_guests_local();
		}
		if (!sched_alive(v))
			break;
		now = arch_counter();
		vtimer_nested_sync(v, &n->timer, &n->el2, now);
		set_timer(rq, MIN(sched_entry_deadline(rq, v, now, slice_end),
				  vel2_next_deadline(v, now, true)), now);
		vel2_before_entry(v);
		vector = guest_enter(&v->regs);
		while (vel2_handle_exit_fast(v, vector))
			vector = guest_enter(&v->regs);
		v->exits++;
		vel2_after_exit(v);
		now = arch_counter();
		vtimer_nested_sync(v, &n->timer, &n->el2, now);
		act = vel2_handle_exit(v, vector);
		if (act == EXIT_BLOCK)
			vpl011_flush(v->vm->uart);
		sched_timer_expired(rq, now);
		/*
		 * What L1's list registers hold for a WFI of L2 changes only
		 * while L1 runs, so it is looked at here, once; while the vCPU
		 * waits, L1's own interrupts (vgic_pending) and the timers'
		 * deadlines (sched_put_nested) wake it as a plain vCPU.
		 */
		pending = act == EXIT_BLOCK && (vgic_pending(v) || vel2_wake_pending(v));
		if (sched_after_exit(rq, v, act, pending, now, &slice_end, slice) == SCHED_LEAVE)
			break;
	}
	vtimer_put(v);
	arch_vcpu_put(v);
	sched_put_nested(rq, v);
}

static void run_vcpu(struct percpu *pc, struct runq *rq, struct vcpu *v)
{
	u64 slice = timer_freq() * SLICE_US / 1000000;
	u64 slice_end = arch_counter() + slice;

	pc->vcpu = v;
	if (v->reset_pending)
		vcpu_apply_reset(v);
	if (v->nested) {
		run_nested(rq, v, slice_end, slice);
		pc->vcpu = NULL;
		return;
	}
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
		if (!sched_alive(v))
			break;
		now = arch_counter();
		vtimer_sync(v, now);
		set_timer(rq, sched_entry_deadline(rq, v, now, slice_end), now);
		vgic_flush(v);
		vtimer_flushed(v);
		arch_vgic_load(v);
		vector = guest_enter(&v->regs);
		while (handle_exit_fast(v, vector))
			vector = guest_enter(&v->regs);
		v->exits++;
		arch_vgic_save(v);
		vgic_sync(v);
		now = arch_counter();
		vtimer_sync(v, now);
		act = handle_exit(v, vector);
		if (act == EXIT_BLOCK)
			vpl011_flush(v->vm->uart);
		sched_timer_expired(rq, now);
		if (sched_after_exit(rq, v, act, act == EXIT_BLOCK && vgic_pending(v),
				     now, &slice_end, slice) == SCHED_LEAVE)
			break;
	}
	vtimer_put(v);
	arch_vcpu_put(v);
	sched_put(rq, v);
	pc->vcpu = NULL;
}

/*
 * A virtual-el2 VM's exits by level: L1 at vEL2 and L2 under it, each by
 * reason (what L0 handled), and how many of L2's were given to L1.
 */
static void print_nested_stats(const struct vm *vm)
{
	static const char *const level[NESTED_LEVELS] = { "l1", "l2" };
	static const char *const kind[2] = { "stage-1 and EL2", "stage-2" };
	u64 fwd = 0, us = timer_freq() / 1000000;

	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		fwd += vm->vcpus[i]->nested->forwarded;
	us = us ? us : 1;
	for (unsigned k = 0; k < 2; k++) {
		u64 tlbis = 0, ticks = 0, longest = 0;

		for (unsigned i = 0; i < vm->nr_vcpus; i++) {
			const struct vcpu_nested *vn = vm->vcpus[i]->nested;

			tlbis += vn->tlbis[k];
			ticks += vn->tlbi_ticks[k];
			longest = MAX(longest, vn->tlbi_max_ticks[k]);
		}
		nv_print("nestvisor: vm '%s' l1 %s TLBIs: %llu, %llu us in nestvisor, longest %llu us\n",
			 vm->desc.name, kind[k], (unsigned long long)tlbis,
			 (unsigned long long)(ticks / us), (unsigned long long)(longest / us));
	}
	for (unsigned l = 0; l < NESTED_LEVELS; l++) {
		u64 total = 0, by[EXIT_REASONS] = { 0 };
		char line[256];
		size_t n = 0;

		for (unsigned i = 0; i < vm->nr_vcpus; i++) {
			const struct vcpu_nested *vn = vm->vcpus[i]->nested;

			total += vn->exits[l];
			for (unsigned r = 0; r < EXIT_REASONS; r++)
				by[r] += vn->reasons[l][r];
		}
		for (unsigned r = 0; r < EXIT_REASONS; r++)
			n += nv_snprintf(line + MIN(n, sizeof(line)),
					 sizeof(line) - MIN(n, sizeof(line)), " %s=%llu",
					 exit_reason_names[r], (unsigned long long)by[r]);
		if (l == NESTED_L2)
			nv_snprintf(line + MIN(n, sizeof(line)),
				    sizeof(line) - MIN(n, sizeof(line)),
				    " forwarded-to-l1=%llu", (unsigned long long)fwd);
		nv_print("nestvisor: vm '%s' %s exits: total=%llu%s\n",
			 vm->desc.name, level[l], (unsigned long long)total, line);
	}
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
	if (vm->nr_vcpus && vm->vcpus[0]->nested)
		print_nested_stats(vm);
}

/*
 * A kick (or the maintenance interrupt) only has to take the CPU out of
 * its guest or its WFI: the kicker noted which vCPU (runq_kick), and the
 * loop looks at that one.
 */
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

	if (!sched_claim_end(vms, nr_vms, &run_ended, noted_failure, &failed))
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
		u64 now;

		arch_irq_disable();
		now = arch_counter();
		v = sched_pick(rq, now);
		if (v) {
			run_vcpu(pc, rq, v);
			continue;
		}
		end_run_if_all_off();
		/*
		 * The pick's deadline, with its now: every deadline of a vCPU
		 * found waiting is still ahead of it.
		 */
		set_timer(rq, rq->others_wake, now);
		/* Sleep with IRQs masked (a pending one still wakes WFI), then take them. */
		__asm__ volatile("wfi" ::: "memory");
		/* What woke it, taken here rather than through the vectors. */
		irq_handle();
		sched_timer_expired(rq, arch_counter());
	}
}
