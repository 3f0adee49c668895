/* The C side of the EL2 vectors and the per-CPU pointer (TPIDR_EL2). */
#include <nv/irq.h>
#include <nv/percpu.h>
#include <nv/semihost.h>
#include <nv/trap.h>
#include "sysreg.h"

struct percpu *this_cpu(void)
{
	return (struct percpu *)(uintptr_t)read_sysreg(tpidr_el2);
}

void set_this_cpu(struct percpu *pc)
{
	write_sysreg(tpidr_el2, (u64)(uintptr_t)pc);
}

void trap_dispatch(struct trap_frame *f, u64 vector)
{
	switch (vector) {
	case TRAP_CUR_SPX * 4 + TRAP_SYNC:
		if (semihost_fixup(f))
			return;
		break;
	case TRAP_CUR_SPX * 4 + TRAP_IRQ:
		irq_handle();
		return;
	default:
		break;
	}
	crash_report(f, (unsigned)vector);
}
