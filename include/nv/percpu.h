/* Per-physical-CPU state; TPIDR_EL2 points at the running CPU's entry. */
#ifndef NV_PERCPU_H
#define NV_PERCPU_H

#include <nv/config.h>
#include <nv/types.h>

enum cpu_state {
	CPU_OFF,
	CPU_STARTING,
	CPU_ONLINE,
	CPU_FAILED,
};

/*
 * What guest_enter (guest_entry.S) saves of the host before entering a
 * guest, and where the exit path finds the guest's registers. Must stay
 * the first member of struct percpu: the assembly reaches it at
 * TPIDR_EL2 + 0 (offsets in src/arch/aarch64/asm.h).
 */
struct host_ctx {
	u64 callee[12]; /* x19..x30 */
	u64 sp;
	u64 guest_regs; /* struct vcpu_regs * of the running guest */
};

struct vcpu;

struct percpu {
	struct host_ctx host;
	unsigned id;
	u64 mpidr;
	paddr_t gicr;        /* this CPU's redistributor RD_base */
	enum cpu_state state;
	u64 timer_irqs;      /* EL2 physical timer interrupts taken */
	u64 timer_deadline;  /* counter value the timer was armed for */
	u64 timer_late;      /* ticks from deadline to the handler */
	struct vcpu *vcpu;   /* the vCPU loaded on this CPU, if any */
};

extern struct percpu percpu[NR_CPUS];

/* NULL before the CPU's per-CPU pointer is set. */
struct percpu *this_cpu(void);
void set_this_cpu(struct percpu *pc);

static inline unsigned this_cpu_id(void)
{
	struct percpu *pc = this_cpu();

	return pc ? pc->id : 0;
}

#endif
