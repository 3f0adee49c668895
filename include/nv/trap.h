/* Exceptions taken to EL2: the saved frame and the dispatcher. */
#ifndef NV_TRAP_H
#define NV_TRAP_H

#include <nv/types.h>

/* Layout shared with src/arch/aarch64/asm.h (FRAME_*). */
struct trap_frame {
	u64 x[31];
	u64 sp;
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

/* Vector entry index: (source * 4) + type, Arm ARM D1.10.2 (VBAR_ELx). */
enum trap_source { TRAP_CUR_SP0, TRAP_CUR_SPX, TRAP_LOWER_A64, TRAP_LOWER_A32 };
enum trap_type { TRAP_SYNC, TRAP_IRQ, TRAP_FIQ, TRAP_SERROR };

void trap_dispatch(struct trap_frame *f, u64 vector);

/* Prints the crash report for an exception EL2 cannot handle, then stops. */
__noreturn void crash_report(const struct trap_frame *f, unsigned vector);

#endif
