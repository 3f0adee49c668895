/*
 * A generic timer emulated in software (Arm ARM D12.8, the CNTx_CTL,
 * CNTx_CVAL and CNTx_TVAL registers of one timer): the EL1 physical timer
 * of a guest today; the EL2 physical and virtual timers of a guest
 * hypervisor are the same thing, so the nested half reuses it.
 */
#ifndef NV_EMU_TIMER_H
#define NV_EMU_TIMER_H

#include <nv/types.h>

struct emu_timer {
	u64 ctl;  /* ENABLE, IMASK (ISTATUS is computed) */
	u64 cval;
};

enum { TIMER_CTL, TIMER_CVAL, TIMER_TVAL };

/* CNTx_CTL bits */
#define CNT_CTL_ENABLE_BIT UINT64_C(1)
#define CNT_CTL_IMASK_BIT UINT64_C(2)
#define CNT_CTL_ISTATUS_BIT UINT64_C(4)

/* A register as the guest reads it at counter value now. */
u64 emu_timer_read(const struct emu_timer *t, unsigned reg, u64 now);
void emu_timer_write(struct emu_timer *t, unsigned reg, u64 val, u64 now);
/* The timer's interrupt output: condition met, enabled and not masked. */
bool emu_timer_level(const struct emu_timer *t, u64 now);
/* The counter value at which the output rises, or ~0 if it never will. */
u64 emu_timer_deadline(const struct emu_timer *t);
/*
 * The same for a timer that counts (count - offset) modulo 2^64, in terms
 * of count and from now on: now if the output is high already, ~0 if it
 * does not rise before count itself would wrap.
 */
u64 emu_timer_deadline_offset(const struct emu_timer *t, u64 offset, u64 now);

#endif
