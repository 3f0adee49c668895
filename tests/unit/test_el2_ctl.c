/*
 * Host tests of the EL2 controls of a nested vCPU's two contexts
 * (src/cpu/el2_ctl.c): L1 at vEL2 runs with nestvisor's policy plus the
 * FEAT_NV traps; L2 with the policy plus L1's own trap controls, never
 * fewer traps than nestvisor's. Every bit is written out here at its
 * Arm ARM position (D19.2, HCR_EL2, CPTR_EL2 and MDCR_EL2 with
 * HCR_EL2.E2H = 0), independently of nv/arm_regs.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/el2_ctl.h>

#define B(n) (UINT64_C(1) << (n))

/* HCR_EL2 */
#define H_VM B(0)
#define H_SWIO B(1)
#define H_PTW B(2)
#define H_FMO B(3)
#define H_IMO B(4)
#define H_AMO B(5)
#define H_VF B(6)
#define H_VI B(7)
#define H_VSE B(8)
#define H_FB B(9)
#define H_DC B(12)
#define H_TWI B(13)
#define H_TWE B(14)
#define H_TID0 B(15)
#define H_TID1 B(16)
#define H_TID2 B(17)
#define H_TID3 B(18)
#define H_TSC B(19)
#define H_TIDCP B(20)
#define H_TACR B(21)
#define H_TSW B(22)
#define H_TPCP B(23)
#define H_TPU B(24)
#define H_TTLB B(25)
#define H_TVM B(26)
#define H_TGE B(27)
#define H_TDZ B(28)
#define H_HCD B(29)
#define H_TRVM B(30)
#define H_RW B(31)
#define H_E2H B(34)
#define H_APK B(40)
#define H_API B(41)
#define H_NV B(42)
#define H_NV1 B(43)
#define H_AT B(44)
#define H_NV2 B(45)

/* CPTR_EL2 (E2H = 0) */
#define C_TZ B(8)
#define C_TFP B(10)
#define C_TSM B(12)
#define C_TTA B(20)
#define C_TAM B(30)
#define C_TCPAC B(31)
#define C_RES1 (B(13) | B(9) | UINT64_C(0xff))

/* MDCR_EL2 */
#define M_HPMN(n) ((u64)(n))
#define M_TPMCR B(5)
#define M_TPM B(6)
#define M_HPME B(7)
#define M_TDE B(8)
#define M_TDA B(9)
#define M_TDOSA B(10)
#define M_TDRA B(11)
#define M_TPMS B(14)
#define M_TTRF B(19)

/* A policy like vcpu_context.c's: stage 2, interrupts routed, some traps. */
static const struct el2_policy policy = {
	.hcr = H_VM | H_SWIO | H_FMO | H_IMO | H_AMO | H_FB | H_TSC | H_TWE |
	       H_TID3 | H_TACR | H_TIDCP | H_RW | H_APK | H_API,
	.cptr = C_RES1 | C_TAM | C_TZ,
	.mdcr = M_HPMN(4) | M_TPMS | M_TDOSA,
};

#define SENTINEL UINT64_C(0x5a5a5a5a5a5a5a5a)

static struct el2_ctl fresh(void)
{
	struct el2_ctl c;

	memset(&c, 0x5a, sizeof(c));
	return c;
}

/* Only hcr, cptr and mdcr are el2_ctl's to fill: the rest is the caller's. */
static void assert_rest_untouched(const struct el2_ctl *c)
{
	assert_int_equal(c->vttbr, SENTINEL);
	assert_int_equal(c->vtcr, SENTINEL);
	assert_int_equal(c->cnthctl, SENTINEL);
	assert_int_equal(c->cntvoff, SENTINEL);
	assert_int_equal(c->vpidr, SENTINEL);
	assert_int_equal(c->vmpidr, SENTINEL);
}

/*
 * L1 at vEL2 (FEAT_NV, nVHE): NV and NV1 (its EL2 accesses, ERET and the
 * EL1 exception registers trap), TVM/TRVM (its EL1 register accesses are
 * L2's), AT (its AT S1E1* is L2's regime), TTLB (its TLBIs), and
 * CPTR_EL2.TCPAC (CPACR_EL1 holds its CPTR_EL2 view). Nothing else.
 */
static void test_vel2_controls(void **state)
{
	struct el2_ctl c = fresh();

	(void)state;
	el2_ctl_vel2(&policy, false, false, 0, &c);
	assert_int_equal(c.hcr, policy.hcr | H_NV | H_NV1 | H_TVM | H_TRVM |
					H_AT | H_TTLB);
	assert_int_equal(c.cptr, policy.cptr | C_TCPAC);
	assert_int_equal(c.mdcr, policy.mdcr);
	/* NV2 is not used with FEAT_NV alone, nor E2H, TGE, HCD. */
	assert_int_equal(c.hcr & (H_NV2 | H_E2H | H_TGE | H_HCD), 0);
	assert_rest_untouched(&c);

	/* An empty policy: exactly the NV controls. */
	{
		struct el2_policy none = { .hcr = 0 };

		c = fresh();
		el2_ctl_vel2(&none, false, false, 0, &c);
		assert_int_equal(c.hcr, UINT64_C(0x1c0046000000));
		assert_int_equal(c.cptr, UINT64_C(0x80000000));
		assert_int_equal(c.mdcr, 0);
		assert_int_equal(c.vncr, 0);
	}
}

/*
 * L1 at vEL2 under NV2: HCR_EL2.NV2 (bit 45) and VNCR_EL2 = the page's
 * address in place of TVM, TRVM and CPTR_EL2.TCPAC (L1's accesses to L2's
 * EL1 registers are the page's now); NV, NV1, AT and TTLB still set.
 */
static void test_vel2_controls_nv2(void **state)
{
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c = fresh();

	(void)state;
	el2_ctl_vel2(&none, true, false, 0x4567000, &c);
	/* NV 42, NV1 43, AT 44, NV2 45, TTLB 25. */
	assert_int_equal(c.hcr, UINT64_C(0x3c0002000000));
	assert_int_equal(c.cptr, 0);
	assert_int_equal(c.vncr, 0x4567000);
	assert_rest_untouched(&c);
	el2_ctl_vel2(&policy, true, false, 0x4567000, &c);
	assert_int_equal(c.hcr, policy.hcr | H_NV | H_NV1 | H_NV2 | H_AT | H_TTLB);
	assert_int_equal(c.hcr & (H_TVM | H_TRVM), 0);
	assert_int_equal(c.cptr, policy.cptr);
}

/*
 * A VHE L1 (E2H 1) at vEL2: NV without NV1 (its EL1 register names are
 * its EL2&0 regime's, on the CPU as they are), no TVM/TRVM; under nv
 * CPACR_EL1 still traps (TCPAC: it is CPTR_EL2 then); under nv2 NV2 and
 * VNCR_EL2 as for an nVHE L1.
 */
static void test_vel2_controls_vhe(void **state)
{
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c = fresh();

	(void)state;
	el2_ctl_vel2(&none, false, true, 0x4567000, &c);
	assert_int_equal(c.hcr, H_NV | H_AT | H_TTLB);
	assert_int_equal(c.cptr, C_TCPAC);
	assert_int_equal(c.vncr, 0);
	el2_ctl_vel2(&policy, true, true, 0x4567000, &c);
	assert_int_equal(c.hcr, policy.hcr | H_NV | H_NV2 | H_AT | H_TTLB);
	assert_int_equal(c.hcr & (H_NV1 | H_TVM | H_TRVM), 0);
	assert_int_equal(c.cptr, policy.cptr);
	assert_int_equal(c.vncr, 0x4567000);
}

/* L2 with an L1 that asks for nothing: the policy, stage 2 on. */
static void test_l2_policy_kept(void **state)
{
	struct el2_ctl c = fresh();

	(void)state;
	el2_ctl_l2(&policy, 0, 0, 0, &c);
	assert_int_equal(c.hcr, policy.hcr | H_VM);
	assert_int_equal(c.cptr, policy.cptr);
	assert_int_equal(c.mdcr, policy.mdcr);
	assert_rest_untouched(&c);
	/* A policy without VM: stage 2 is on all the same for L2. */
	{
		struct el2_policy p = policy;

		p.hcr &= ~H_VM;
		el2_ctl_l2(&p, 0, 0, 0, &c);
		assert_int_equal(c.hcr & H_VM, H_VM);
	}
}

/* Each of L1's HCR_EL2 traps alone reaches the hardware for L2. */
static void test_l2_hcr_traps_added(void **state)
{
	static const u64 traps[] = {
		H_TWI, H_TWE, H_TID0, H_TID1, H_TID2, H_TID3, H_TSC, H_TIDCP,
		H_TACR, H_TSW, H_TPCP, H_TPU, H_TTLB, H_TVM, H_TRVM, H_TDZ,
	};
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c;
	u64 all = 0;

	(void)state;
	for (unsigned i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		c = fresh();
		el2_ctl_l2(&none, traps[i], 0, 0, &c);
		assert_int_equal(c.hcr, H_VM | traps[i]);
		all |= traps[i];
	}
	el2_ctl_l2(&policy, all, 0, 0, &c);
	assert_int_equal(c.hcr, policy.hcr | H_VM | all);
}

/*
 * L1's HCR_EL2 bits that are not traps for L2 stay L1's: its own EL2
 * regime (E2H, TGE, NV*), its routing and stage-2 choices, HCD (HVC is
 * UNDEFINED at L2 by nestvisor, not by the hardware: it would make L0's
 * own HVCs from L1 UNDEFINED), PAuth trap enables (API/APK 1 means no
 * trap: L1 cannot lift nestvisor's traps by setting them), and clearing
 * bits never removes the policy's.
 */
static void test_l2_hcr_not_passed(void **state)
{
	u64 l1 = H_SWIO | H_PTW | H_FMO | H_IMO | H_AMO | H_FB | H_DC |
		 H_TGE | H_HCD | H_RW | H_E2H | H_APK | H_API | H_NV | H_NV1 |
		 H_AT | H_NV2;
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c = fresh();

	(void)state;
	el2_ctl_l2(&none, l1, 0, 0, &c);
	assert_int_equal(c.hcr, H_VM);
	el2_ctl_l2(&none, ~(u64)0 & ~(H_TWI | H_TWE | H_TID0 | H_TID1 |
					H_TID2 | H_TID3 | H_TSC | H_TIDCP |
					H_TACR | H_TSW | H_TPCP | H_TPU |
					H_TTLB | H_TVM | H_TRVM | H_TDZ |
					H_VSE | H_VI | H_VF), 0, 0, &c);
	assert_int_equal(c.hcr, H_VM);
}

/*
 * L1's virtual interrupts for L2 (VI, VF, VSE) pass on while L1 routes
 * that kind of interrupt to its EL2 (IMO, FMO, AMO: Arm ARM D19.2,
 * HCR_EL2.VI "the virtual IRQ is enabled only when HCR_EL2.{TGE,IMO}
 * is {0,1}", and the same for VF with FMO, VSE with AMO).
 */
static void test_l2_virtual_irqs_routed(void **state)
{
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c = fresh();

	(void)state;
	el2_ctl_l2(&none, H_IMO | H_VI, 0, 0, &c);
	assert_int_equal(c.hcr & (H_VI | H_VF | H_VSE), H_VI);
	el2_ctl_l2(&none, H_FMO | H_VF, 0, 0, &c);
	assert_int_equal(c.hcr & (H_VI | H_VF | H_VSE), H_VF);
	el2_ctl_l2(&none, H_AMO | H_VSE, 0, 0, &c);
	assert_int_equal(c.hcr & (H_VI | H_VF | H_VSE), H_VSE);
	el2_ctl_l2(&policy, H_IMO | H_FMO | H_AMO | H_VI | H_VF | H_VSE, 0, 0, &c);
	assert_int_equal(c.hcr & (H_VI | H_VF | H_VSE), H_VI | H_VF | H_VSE);
}

/*
 * L1's HCR_EL2.VI/VF/VSE reach L2 only where L1 routes that class to
 * itself (Arm ARM D19.2, HCR_EL2.VI, VF, VSE: a virtual IRQ/FIQ/SError is
 * signalled to EL1 only while HCR_EL2.{TGE,IMO} (FMO, AMO) is {0,1}); the
 * hardware's IMO (nestvisor routes every interrupt of a guest) must not
 * make L1's VI with IMO 0 reach L2. (Once a BUG case: they were passed on.)
 */
static void test_l2_virtual_irqs_unrouted(void **state)
{
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c = fresh();

	(void)state;
	el2_ctl_l2(&policy, H_VI, 0, 0, &c);
	assert_int_equal(c.hcr & H_VI, 0);
	el2_ctl_l2(&policy, H_VF, 0, 0, &c);
	assert_int_equal(c.hcr & H_VF, 0);
	el2_ctl_l2(&none, H_VSE, 0, 0, &c);
	assert_int_equal(c.hcr & H_VSE, 0);
	/* TGE = 1 disables them too. */
	el2_ctl_l2(&none, H_TGE | H_IMO | H_VI, 0, 0, &c);
	assert_int_equal(c.hcr & H_VI, 0);
}

/* CPTR_EL2: TFP, TTA, TAM, TCPAC, TZ and TSM of L1's are added. */
static void test_l2_cptr(void **state)
{
	static const u64 traps[] = { C_TFP, C_TTA, C_TAM, C_TCPAC, C_TZ, C_TSM };
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c = fresh();

	(void)state;
	for (unsigned i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		el2_ctl_l2(&none, 0, traps[i], 0, &c);
		assert_int_equal(c.cptr, traps[i]);
	}
	/* L1's RES1 and RES0 bits are not traps; the policy's stay. */
	el2_ctl_l2(&policy, 0, C_RES1 | B(11) | B(40), 0, &c);
	assert_int_equal(c.cptr, policy.cptr);
	el2_ctl_l2(&policy, 0, C_TFP | C_TTA, 0, &c);
	assert_int_equal(c.cptr, policy.cptr | C_TFP | C_TTA);
	/* L1's CPTR does not change HCR_EL2 or MDCR_EL2. */
	assert_int_equal(c.hcr, policy.hcr | H_VM);
	assert_int_equal(c.mdcr, policy.mdcr);
}

/*
 * MDCR_EL2: TDA, TDE, TDOSA, TDRA, TPM, TPMCR, TTRF, TPMS of L1's are
 * added; its HPMN and HPME (which split the PMU) are nestvisor's.
 */
static void test_l2_mdcr(void **state)
{
	static const u64 traps[] = { M_TDA, M_TDE, M_TDOSA, M_TDRA, M_TPM,
				     M_TPMCR, M_TTRF, M_TPMS };
	struct el2_policy none = { .hcr = 0 };
	struct el2_ctl c = fresh();

	(void)state;
	for (unsigned i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
		el2_ctl_l2(&none, 0, 0, traps[i], &c);
		assert_int_equal(c.mdcr, traps[i]);
	}
	el2_ctl_l2(&policy, 0, 0, M_HPMN(31) | M_HPME, &c);
	assert_int_equal(c.mdcr, policy.mdcr);
	el2_ctl_l2(&policy, 0, 0, M_TDA | M_TPM | M_HPMN(1), &c);
	assert_int_equal(c.mdcr, M_HPMN(4) | M_TPMS | M_TDOSA | M_TDA | M_TPM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vel2_controls),
		cmocka_unit_test(test_vel2_controls_nv2),
		cmocka_unit_test(test_vel2_controls_vhe),
		cmocka_unit_test(test_l2_policy_kept),
		cmocka_unit_test(test_l2_hcr_traps_added),
		cmocka_unit_test(test_l2_hcr_not_passed),
		cmocka_unit_test(test_l2_virtual_irqs_routed),
		cmocka_unit_test(test_l2_virtual_irqs_unrouted),
		cmocka_unit_test(test_l2_cptr),
		cmocka_unit_test(test_l2_mdcr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
