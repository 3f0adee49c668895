/*
 * Host tests of exception entry (src/cpu/exc_entry.c) against the rules of
 * the Arm ARM's AArch64.TakeException, written out here field by field:
 * PSTATE after entry, the vector offset, and the target's ELR, SPSR, ESR
 * and FAR, for EL1 targets and for a virtual EL2 target.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/exc_entry.h>
#include <nv/vcpu.h>

/* PSTATE fields at their SPSR_ELx (AArch64) positions, spelt out again. */
#define P_EL1T 0x4u
#define P_EL1H 0x5u
#define P_EL2H 0x9u
#define P_DAIF (UINT64_C(0xf) << 6)
#define P_BTYPE(n) ((u64)(n) << 10)
#define P_SSBS (UINT64_C(1) << 12)
#define P_ALLINT (UINT64_C(1) << 13)
#define P_IL (UINT64_C(1) << 20)
#define P_SS (UINT64_C(1) << 21)
#define P_PAN (UINT64_C(1) << 22)
#define P_UAO (UINT64_C(1) << 23)
#define P_DIT (UINT64_C(1) << 24)
#define P_TCO (UINT64_C(1) << 25)
#define P_NZCV (UINT64_C(0xf) << 28)
#define ALL_F (EXC_F_PAN | EXC_F_UAO | EXC_F_SSBS | EXC_F_MTE | EXC_F_NMI)

static struct exc_target el1(u32 features, u64 sctlr)
{
	struct exc_target t = { .el = 1, .features = features, .sctlr = sctlr };

	return t;
}

/* D, A, I, F set, EL1h, nothing else, whatever came before. */
static void test_mode_and_masks(void **state)
{
	struct exc_target t = el1(0, 0);

	(void)state;
	assert_int_equal(exc_entry_pstate(0x0, &t), P_DAIF | P_EL1H);
	assert_int_equal(exc_entry_pstate(P_EL1T, &t), P_DAIF | P_EL1H);
	assert_int_equal(exc_entry_pstate(P_EL1H | P_DAIF, &t), P_DAIF | P_EL1H);
	/* Not a fixed value: NZCV and DIT survive. */
	assert_int_equal(exc_entry_pstate(P_NZCV | P_DIT, &t),
			 P_NZCV | P_DIT | P_DAIF | P_EL1H);
	assert_int_equal(exc_entry_pstate(UINT64_C(0x5) << 28, &t),
			 (UINT64_C(0x5) << 28) | P_DAIF | P_EL1H);
}

/* SS, IL and BTYPE are cleared, whatever the features. */
static void test_ss_il_btype_cleared(void **state)
{
	struct exc_target none = el1(0, 0), all = el1(ALL_F, 0);
	u64 old = P_SS | P_IL | P_BTYPE(3) | P_EL1H;

	(void)state;
	assert_int_equal(exc_entry_pstate(old, &none) & (P_SS | P_IL | P_BTYPE(3)), 0);
	assert_int_equal(exc_entry_pstate(old, &all) & (P_SS | P_IL | P_BTYPE(3)), 0);
}

/* FEAT_PAN: set when SCTLR_ELx.SPAN is 0, unchanged when it is 1. */
static void test_pan(void **state)
{
	struct exc_target span0 = el1(EXC_F_PAN, 0);
	struct exc_target span1 = el1(EXC_F_PAN, SCTLR_SPAN);
	struct exc_target nopan = el1(0, 0);

	(void)state;
	assert_true(exc_entry_pstate(P_EL1H, &span0) & P_PAN);
	assert_true(exc_entry_pstate(P_EL1H | P_PAN, &span0) & P_PAN);
	assert_false(exc_entry_pstate(P_EL1H, &span1) & P_PAN);
	assert_true(exc_entry_pstate(P_EL1H | P_PAN, &span1) & P_PAN);
	/* Without FEAT_PAN the guest never sees PAN set by an entry. */
	assert_false(exc_entry_pstate(P_EL1H, &nopan) & P_PAN);
}

/* PAN at EL2 only in a host (HCR_EL2.{E2H,TGE} = {1,1}). */
static void test_pan_el2(void **state)
{
	struct exc_target t = { .el = 2, .features = EXC_F_PAN, .sctlr = 0 };

	(void)state;
	assert_false(exc_entry_pstate(P_EL1H, &t) & P_PAN);
	t.in_host = true;
	assert_true(exc_entry_pstate(P_EL1H, &t) & P_PAN);
	t.sctlr = SCTLR_SPAN;
	assert_false(exc_entry_pstate(P_EL1H, &t) & P_PAN);
	/* The mode is EL2h. */
	assert_int_equal(exc_entry_pstate(0, &t) & 0x1f, P_EL2H);
}

/* FEAT_UAO: cleared; without it, left alone. */
static void test_uao(void **state)
{
	struct exc_target uao = el1(EXC_F_UAO, 0), none = el1(0, 0);

	(void)state;
	assert_false(exc_entry_pstate(P_EL1H | P_UAO, &uao) & P_UAO);
	assert_true(exc_entry_pstate(P_EL1H | P_UAO, &none) & P_UAO);
}

/* FEAT_SSBS: SSBS = SCTLR_ELx.DSSBS. */
static void test_ssbs(void **state)
{
	struct exc_target d0 = el1(EXC_F_SSBS, 0), d1 = el1(EXC_F_SSBS, SCTLR_DSSBS);
	struct exc_target none = el1(0, SCTLR_DSSBS);

	(void)state;
	assert_false(exc_entry_pstate(P_EL1H | P_SSBS, &d0) & P_SSBS);
	assert_true(exc_entry_pstate(P_EL1H, &d1) & P_SSBS);
	assert_false(exc_entry_pstate(P_EL1H, &none) & P_SSBS);
	assert_true(exc_entry_pstate(P_EL1H | P_SSBS, &none) & P_SSBS);
}

/* FEAT_MTE: TCO set. FEAT_NMI: ALLINT = NOT SCTLR_ELx.SPINTMASK. */
static void test_tco_allint(void **state)
{
	struct exc_target mte = el1(EXC_F_MTE, 0), none = el1(0, 0);
	struct exc_target nmi0 = el1(EXC_F_NMI, 0);
	struct exc_target nmi1 = el1(EXC_F_NMI, SCTLR_SPINTMASK);

	(void)state;
	assert_true(exc_entry_pstate(P_EL1H, &mte) & P_TCO);
	assert_false(exc_entry_pstate(P_EL1H, &none) & P_TCO);
	assert_true(exc_entry_pstate(P_EL1H, &nmi0) & P_ALLINT);
	assert_false(exc_entry_pstate(P_EL1H | P_ALLINT, &nmi1) & P_ALLINT);
	assert_false(exc_entry_pstate(P_EL1H, &none) & P_ALLINT);
}

/* From AArch32: fields move to their AArch64 places, IT/T/GE/E go. */
static void test_from_aarch32(void **state)
{
	struct exc_target t = el1(0, 0);
	/* User mode, T, IT bits, GE, E, with NZCV 1010, PAN (22), DIT (21), SSBS (23). */
	u64 old = 0x10 | (1u << 5) | (UINT64_C(3) << 25) | (UINT64_C(0x3f) << 10) |
		  (UINT64_C(0xf) << 16) | (1u << 9) | (UINT64_C(0xa) << 28) |
		  (UINT64_C(1) << 22) | (UINT64_C(1) << 21) | (UINT64_C(1) << 23);

	(void)state;
	assert_int_equal(exc_entry_pstate(old, &t),
			 (UINT64_C(0xa) << 28) | P_PAN | P_DIT | P_SSBS |
			 P_DAIF | P_EL1H);
}

/* Vector offsets: current EL SP0/SPx, lower EL AArch64/AArch32, by type. */
static void test_vector_offsets(void **state)
{
	(void)state;
	assert_int_equal(exc_vector_offset(P_EL1T, 1, EXC_SYNC), 0x000);
	assert_int_equal(exc_vector_offset(P_EL1H, 1, EXC_SYNC), 0x200);
	assert_int_equal(exc_vector_offset(0x0, 1, EXC_SYNC), 0x400);
	assert_int_equal(exc_vector_offset(0x10, 1, EXC_SYNC), 0x600);
	assert_int_equal(exc_vector_offset(P_EL1H, 1, EXC_IRQ), 0x280);
	assert_int_equal(exc_vector_offset(P_EL1T, 1, EXC_FIQ), 0x100);
	assert_int_equal(exc_vector_offset(0x0, 1, EXC_SERROR), 0x580);
	/* To a virtual EL2: EL1 is a lower EL, EL2 itself the current one. */
	assert_int_equal(exc_vector_offset(P_EL1H, 2, EXC_SYNC), 0x400);
	assert_int_equal(exc_vector_offset(P_EL2H, 2, EXC_SYNC), 0x200);
	assert_int_equal(exc_vector_offset(0x8, 2, EXC_IRQ), 0x080);
	assert_int_equal(exc_vector_offset(0x0, 2, EXC_SYNC), 0x400);
}

/* exc_enter writes the target's registers in memory and moves the vCPU. */
static void test_enter_writes_memory(void **state)
{
	struct vcpu_regs r = { .pc = 0x40081234, .pstate = P_EL1H | P_NZCV };
	struct exc_target t = el1(EXC_F_PAN, 0);
	u64 far = 0xdead0000;

	(void)state;
	t.vbar = 0x40080000 | 0x7ff; /* VBAR bits [10:0] are RES0 */
	t.far = 0x1111;
	exc_enter(&r, &t, EXC_SYNC, 0x02000000, NULL);
	assert_int_equal(t.elr, 0x40081234);
	assert_int_equal(t.spsr, P_EL1H | P_NZCV);
	assert_int_equal(t.esr, 0x02000000);
	assert_false(t.far_written);
	assert_int_equal(t.far, 0x1111); /* left alone without a FAR */
	assert_int_equal(r.pc, 0x40080200);
	assert_int_equal(r.pstate, P_NZCV | P_PAN | P_DAIF | P_EL1H);

	/* With a FAR, from EL0, to a virtual EL2. */
	r.pc = 0x1000;
	r.pstate = 0;
	t.el = 2;
	t.vbar = 0x80000000;
	exc_enter(&r, &t, EXC_SYNC, 0x92000010, &far);
	assert_true(t.far_written);
	assert_int_equal(t.far, far);
	assert_int_equal(t.elr, 0x1000);
	assert_int_equal(t.spsr, 0);
	assert_int_equal(r.pc, 0x80000400);
	assert_int_equal(r.pstate, P_DAIF | P_EL2H);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_and_masks),
		cmocka_unit_test(test_ss_il_btype_cleared),
		cmocka_unit_test(test_pan),
		cmocka_unit_test(test_pan_el2),
		cmocka_unit_test(test_uao),
		cmocka_unit_test(test_ssbs),
		cmocka_unit_test(test_tco_allint),
		cmocka_unit_test(test_from_aarch32),
		cmocka_unit_test(test_vector_offsets),
		cmocka_unit_test(test_enter_writes_memory),
	};

	return cmocka_run_group_tests_name("exc_entry", tests, NULL, NULL);
}
