/*
 * Breakpoint and watchpoint registers per vCPU (Arm ARM D2, "AArch64 Self-
 * hosted Debug"; DBGBVR<n>_EL1 = S2_0_C0_C<n>_4, DBGBCR<n>_EL1 = _5,
 * DBGWVR<n>_EL1 = _6, DBGWCR<n>_EL1 = _7) and the claim tags
 * (DBGCLAIMSET_EL1 S2_0_C7_C8_6, DBGCLAIMCLR_EL1 S2_0_C7_C9_6: writing 1s
 * sets or clears tags, CLR reads them). They are not trapped, so each
 * vCPU's values are put on the CPU when it is loaded: one VM's
 * breakpoints never fire in another, nor do its tags show there. The
 * OS Lock is trapped (MDCR_EL2.TDOSA) and emulated; the CPU's lock
 * (OSLAR_EL1, S2_0_C1_C0_4) follows the loaded vCPU's, so that debug
 * exceptions are masked exactly when the guest's lock says so. Between
 * vCPUs the CPU's lock is set (its cold reset state).
 *
 * MDSCR_EL1 is not trapped either. While the OS Lock is set its fields
 * TFO, RXfull, TXfull, RXO, TXU, INTdis, TDA (and ERR, ...) are the
 * save/restore views of EDSCR (D24.3.20): a guest holding its lock
 * writes the CPU's EDSCR through them, and with the lock clear they read
 * UNKNOWN. So MDSCR_EL1 is saved and restored with the CPU's lock set:
 * those EDSCR fields, the DCC's RXfull and TXfull among them, go with
 * the vCPU too, and a new vCPU starts with them clear.
 *
 * The Debug Communications Channel and OSECCR_EL1 (D24.3): with FEAT_FGT
 * they trap (MDCR_EL2.TDCC, HDFGRTR/HDFGWTR_EL2.OSECCR_EL1) and are
 * emulated, and the CPU keeps MDCCINT_EL1 = 0. Without it they are not
 * trapped (MDCR_EL2.TDA would trap the breakpoints too), so MDCCINT_EL1
 * (S2_0_C0_C2_0), OSECCR_EL1 (S2_0_C0_C6_2) and the DCC data through its
 * side-effect-free views OSDTRRX_EL1 (S2_0_C0_C0_2, DTRRX) and
 * OSDTRTX_EL1 (S2_0_C0_C3_2, DTRTX) are switched. OSECCR_EL1 holds its
 * value only while the OS Lock is locked (otherwise reads are UNKNOWN and
 * writes ignored, at EL2 too), and Arm deprecates OSDTR* accesses with
 * the lock unlocked: they are accessed with the CPU's lock set, which is
 * how the architecture's OS save and restore sequences do it; the DCC's
 * RXfull/TXfull flags go with MDSCR_EL1 (above).
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

static bool dcc_trapped; /* FEAT_FGT: MDCR_EL2.TDCC, HDFGxTR_EL2.OSECCR_EL1 */

#define SYS_DBGCLAIMSET_EL1 s2_0_c7_c8_6
#define SYS_DBGCLAIMCLR_EL1 s2_0_c7_c9_6
#define SYS_MDCCINT_EL1 s2_0_c0_c2_0
#define SYS_OSLAR_EL1 s2_0_c1_c0_4
#define SYS_OSECCR_EL1 s2_0_c0_c6_2
#define SYS_OSDTRRX_EL1 s2_0_c0_c0_2
#define SYS_OSDTRTX_EL1 s2_0_c0_c3_2

void arch_os_lock_write(bool locked)
{
	write_sysreg(SYS_OSLAR_EL1, locked ? 1 : 0);
	isb();
}

void arch_debug_init(bool fgt)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	/* ID_AA64DFR0_EL1.BRPs [15:12] and WRPs [23:20]: number minus one. */
	nr_brps = (unsigned)((dfr0 >> 12) & 0xf) + 1;
	nr_wrps = (unsigned)((dfr0 >> 20) & 0xf) + 1;
	dcc_trapped = fgt;
	/* Trapped: the CPU's DCC interrupt enables are nestvisor's, off. */
	if (dcc_trapped)
		write_sysreg(SYS_MDCCINT_EL1, 0);
	/* Set until the first vCPU is loaded, as after every put. */
	arch_os_lock_write(true);
}

void arch_debug_load(const struct vcpu_debug *d)
{
	write_sysreg(SYS_DBGCLAIMCLR_EL1, 0xff);
	write_sysreg(SYS_DBGCLAIMSET_EL1, d->claim);
	/* The CPU's OS Lock is set here (arch_debug_init, arch_debug_save). */
	write_sysreg(mdscr_el1, d->mdscr);
	if (!dcc_trapped) {
		write_sysreg(SYS_MDCCINT_EL1, d->mdccint);
		write_sysreg(SYS_OSECCR_EL1, d->oseccr);
		write_sysreg(SYS_OSDTRRX_EL1, d->osdtrrx);
		write_sysreg(SYS_OSDTRTX_EL1, d->osdtrtx);
	}
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
	/* Locked until the next load: MDSCR_EL1 reads EDSCR's fields whole. */
	arch_os_lock_write(true);
	d->mdscr = read_sysreg(mdscr_el1);
	if (!dcc_trapped) {
		d->mdccint = read_sysreg(SYS_MDCCINT_EL1);
		d->oseccr = read_sysreg(SYS_OSECCR_EL1);
		d->osdtrrx = read_sysreg(SYS_OSDTRRX_EL1);
		d->osdtrtx = read_sysreg(SYS_OSDTRTX_EL1);
		/* The CPU keeps none of it. */
		write_sysreg(SYS_OSECCR_EL1, 0);
		write_sysreg(SYS_OSDTRRX_EL1, 0);
		write_sysreg(SYS_OSDTRTX_EL1, 0);
		write_sysreg(SYS_MDCCINT_EL1, 0);
	}
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
