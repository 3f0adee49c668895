/*
 * Breakpoint and watchpoint registers per vCPU (Arm ARM D2, "AArch64 Self-
 * hosted Debug"; DBGBVR<n>_EL1 = S2_0_C0_C<n>_4, DBGBCR<n>_EL1 = _5,
 * DBGWVR<n>_EL1 = _6, DBGWCR<n>_EL1 = _7), the claim tags (DBGCLAIMSET_EL1
 * S2_0_C7_C8_6, DBGCLAIMCLR_EL1 S2_0_C7_C9_6: writing 1s sets or clears
 * tags, CLR reads them) and MDCCINT_EL1 (S2_0_C0_C2_0). They are not
 * trapped, so each vCPU's values are put on the CPU when it is loaded: one
 * VM's breakpoints never fire in another, nor do its tags show there. The
 * OS Lock is trapped (MDCR_EL2.TDOSA) and emulated; the CPU's lock
 * (OSLAR_EL1, S2_0_C1_C0_4) follows the loaded vCPU's, so that debug
 * exceptions are masked exactly when the guest's lock says so.
 */
#include <nv/vcpu.h>
#include <nv/vcpu_arch.h>
#include "sysreg.h"

static unsigned nr_brps, nr_wrps;

#define DBG_CASES(op, n, v)                                                   \
	switch (n) {                                                          \
	case 0: op(0, v); break;   case 1: op(1, v); break;                   \
	case 2: op(2, v); break;   case 3: op(3, v); break;                   \
	case 4: op(4, v); break;   case 5: op(5, v); break;                   \
	case 6: op(6, v); break;   case 7: op(7, v); break;                   \
	case 8: op(8, v); break;   case 9: op(9, v); break;                   \
	case 10: op(10, v); break; case 11: op(11, v); break;                 \
	case 12: op(12, v); break; case 13: op(13, v); break;                 \
	case 14: op(14, v); break; default: op(15, v); break;                 \
	}

#define W_BVR(n, v) write_sysreg(s2_0_c0_c##n##_4, v)
#define W_BCR(n, v) write_sysreg(s2_0_c0_c##n##_5, v)
#define W_WVR(n, v) write_sysreg(s2_0_c0_c##n##_6, v)
#define W_WCR(n, v) write_sysreg(s2_0_c0_c##n##_7, v)
#define R_BVR(n, v) (v) = read_sysreg(s2_0_c0_c##n##_4)
#define R_BCR(n, v) (v) = read_sysreg(s2_0_c0_c##n##_5)
#define R_WVR(n, v) (v) = read_sysreg(s2_0_c0_c##n##_6)
#define R_WCR(n, v) (v) = read_sysreg(s2_0_c0_c##n##_7)

void arch_debug_init(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	/* ID_AA64DFR0_EL1.BRPs [15:12] and WRPs [23:20]: number minus one. */
	nr_brps = (unsigned)((dfr0 >> 12) & 0xf) + 1;
	nr_wrps = (unsigned)((dfr0 >> 20) & 0xf) + 1;
}

#define SYS_DBGCLAIMSET_EL1 s2_0_c7_c8_6
#define SYS_DBGCLAIMCLR_EL1 s2_0_c7_c9_6
#define SYS_MDCCINT_EL1 s2_0_c0_c2_0
#define SYS_OSLAR_EL1 s2_0_c1_c0_4

void arch_os_lock_write(bool locked)
{
	write_sysreg(SYS_OSLAR_EL1, locked ? 1 : 0);
	isb();
}

void arch_debug_load(const struct vcpu_debug *d)
{
	write_sysreg(SYS_DBGCLAIMCLR_EL1, 0xff);
	write_sysreg(SYS_DBGCLAIMSET_EL1, d->claim);
	write_sysreg(SYS_MDCCINT_EL1, d->mdccint);
	write_sysreg(SYS_OSLAR_EL1, d->os_lock ? 1 : 0);
	for (unsigned i = 0; i < nr_brps; i++) {
		DBG_CASES(W_BVR, i, d->bvr[i]);
		DBG_CASES(W_BCR, i, d->bcr[i]);
	}
	for (unsigned i = 0; i < nr_wrps; i++) {
		DBG_CASES(W_WVR, i, d->wvr[i]);
		DBG_CASES(W_WCR, i, d->wcr[i]);
	}
}

void arch_debug_save(struct vcpu_debug *d)
{
	d->claim = read_sysreg(SYS_DBGCLAIMCLR_EL1) & 0xff;
	d->mdccint = read_sysreg(SYS_MDCCINT_EL1);
	for (unsigned i = 0; i < nr_brps; i++) {
		DBG_CASES(R_BVR, i, d->bvr[i]);
		DBG_CASES(R_BCR, i, d->bcr[i]);
	}
	for (unsigned i = 0; i < nr_wrps; i++) {
		DBG_CASES(R_WVR, i, d->wvr[i]);
		DBG_CASES(R_WCR, i, d->wcr[i]);
	}
	/* Nothing of this vCPU stays armed on the CPU. */
	for (unsigned i = 0; i < nr_brps; i++)
		DBG_CASES(W_BCR, i, 0);
	for (unsigned i = 0; i < nr_wrps; i++)
		DBG_CASES(W_WCR, i, 0);
}
