/*
 * The trap-forwarding decision (src/cpu/trap_forward.c) on random ESR_EL2
 * values and random virtual EL2 trap controls (HCR_EL2, CPTR_EL2,
 * MDCR_EL2, CNTHCTL_EL2 of a non-VHE guest hypervisor). Checks: the
 * decision is one of enum forward; the reason names a control exactly
 * when the exception does not stay with nestvisor; the decision depends
 * only on the exception class and the ISS (not on IL or the bits above
 * 31), and the answer and its reason agree between the two calls.
 */
#include <nv/esr.h>
#include <nv/trap_forward.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct vel2_traps t;
	u64 esr = fuzz_u64(&in), other;
	enum forward f;
	const char *why;

	fuzz_quiet_console();
	t.hcr = fuzz_u64(&in);
	t.cptr = fuzz_u64(&in);
	t.mdcr = fuzz_u64(&in);
	t.cnthctl = fuzz_u64(&in);
	other = fuzz_u64(&in);

	f = trap_forward(&t, esr);
	why = trap_forward_reason(&t, esr);
	FUZZ_CHECK(f <= FWD_S2_WALK);
	FUZZ_CHECK(why && strlen(why) < 64);
	FUZZ_CHECK((f == FWD_L0) == (why[0] == '\0'));
	/* IL and bits [63:32] (ISS2 and RES0) do not change the answer. */
	esr = (esr & (ESR_EC_MASK | ESR_ISS_MASK)) | (other & ~(ESR_EC_MASK | ESR_ISS_MASK));
	FUZZ_CHECK(trap_forward(&t, esr) == f);
	FUZZ_CHECK(!strcmp(trap_forward_reason(&t, esr), why));
	return 0;
}
