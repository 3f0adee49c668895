/* One generic timer in software (Arm ARM D12.8.x, CNTP_CTL_EL0 and friends). */
#include <nv/emu_timer.h>

/* The timer condition: enabled and CompareValue reached (ISTATUS). */
static bool condition(const struct emu_timer *t, u64 now)
{
	return (t->ctl & CNT_CTL_ENABLE_BIT) && now >= t->cval;
}

u64 emu_timer_read(const struct emu_timer *t, unsigned reg, u64 now)
{
	switch (reg) {
	case TIMER_CTL:
		/* ISTATUS is the timer condition, even when IMASK is set. */
		return (t->ctl & (CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT)) |
		       (condition(t, now) ? CNT_CTL_ISTATUS_BIT : 0);
	case TIMER_CVAL:
		return t->cval;
	default:
		/* TVAL: (CVAL - count), 32 bits, signed. */
		return (u64)(u32)(t->cval - now);
	}
}

void emu_timer_write(struct emu_timer *t, unsigned reg, u64 val, u64 now)
{
	switch (reg) {
	case TIMER_CTL:
		t->ctl = val & (CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT);
		break;
	case TIMER_CVAL:
		t->cval = val;
		break;
	default:
		/* Writing TVAL sets CVAL = count + SignExtend(TVAL<31:0>). */
		t->cval = now + (u64)(s64)(s32)(u32)val;
		break;
	}
}

bool emu_timer_level(const struct emu_timer *t, u64 now)
{
	return condition(t, now) && !(t->ctl & CNT_CTL_IMASK_BIT);
}

u64 emu_timer_deadline(const struct emu_timer *t)
{
	if ((t->ctl & (CNT_CTL_ENABLE_BIT | CNT_CTL_IMASK_BIT)) != CNT_CTL_ENABLE_BIT)
		return ~UINT64_C(0);
	return t->cval;
}

/*
 * D12.2.4: the condition is (count - offset) >= CVAL, both 64 bits, so
 * CVAL + offset alone is no deadline. With offset above count (an L1's
 * CNTVOFF_EL2 of -2^40, say) the offset count is near the top: a CVAL below
 * it is met now, however far CVAL + offset is, and one above it is reached
 * at the wrapped sum CVAL + offset - 2^64. Counting the distance from now
 * covers every case.
 */
u64 emu_timer_deadline_offset(const struct emu_timer *t, u64 offset, u64 now)
{
	u64 count = now - offset, dist;

	if (emu_timer_deadline(t) == ~UINT64_C(0))
		return ~UINT64_C(0);
	if (count >= t->cval)
		return now;
	dist = t->cval - count;
	return dist > ~UINT64_C(0) - now ? ~UINT64_C(0) : now + dist;
}
