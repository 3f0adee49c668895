/*
 * Host tests of nestvisor's EL2 controls for every guest
 * (el2_policy_init, src/cpu/el2_ctl.c): the values arch_vcpu_load loads,
 * written out bit by bit from the Arm ARM's field positions (HCR_EL2,
 * CPTR_EL2 with E2H = 0, MDCR_EL2, CNTHCTL_EL2, HDFGRTR_EL2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <nv/el2_ctl.h>

/* VM 0, SWIO 1, FMO 3, IMO 4, AMO 5, FB 9, BSU 0b01 [11:10], TWI 13, TWE 14,
 * TID3 18, TSC 19, TIDCP 20, TACR 21, RW 31, APK 40, API 41. */
#define HCR_EXPECTED UINT64_C(0x300803c663b)
/* RES1 [13], [9], [7:0]; TZ 8, TSM 12, TTA 20, TAM 30. */
#define CPTR_EXPECTED UINT64_C(0x401033ff)
/* TPMCR 5, TPM 6, TDOSA 10, TPMS 14, TTRF 19. */
#define MDCR_EXPECTED UINT64_C(0x84460)

static void test_no_features(void **state)
{
	struct el2_host h = { .hpmn = 0 };
	struct el2_policy p;

	(void)state;
	el2_policy_init(&h, &p);
	assert_int_equal(p.hcr, HCR_EXPECTED);
	assert_int_equal(p.cptr, CPTR_EXPECTED);
	assert_int_equal(p.mdcr, MDCR_EXPECTED);
	assert_int_equal(p.cnthctl, 1); /* EL1PCTEN only: CNTP_* trap */
	assert_false(p.hcx);
	assert_false(p.fgt);
}

static void test_ras_lor(void **state)
{
	struct el2_host h = { .ras = true };
	struct el2_policy p;

	(void)state;
	el2_policy_init(&h, &p);
	/* TERR 36, TEA 37. */
	assert_int_equal(p.hcr, HCR_EXPECTED | UINT64_C(3) << 36);
	h.ras = false;
	h.lor = true;
	el2_policy_init(&h, &p);
	/* TLOR 35. */
	assert_int_equal(p.hcr, HCR_EXPECTED | UINT64_C(1) << 35);
}

static void test_fgt_hcx_hpmn(void **state)
{
	struct el2_host h = { .fgt = true, .hcx = true, .hpmn = 0xffffffe6 };
	struct el2_policy p;

	(void)state;
	el2_policy_init(&h, &p);
	/* HPMN [4:0] kept (6), TDCC 27 with FEAT_FGT. */
	assert_int_equal(p.mdcr, MDCR_EXPECTED | 6 | UINT64_C(1) << 27);
	assert_true(p.fgt);
	assert_int_equal(p.hfgrtr, 0);
	assert_int_equal(p.hfgwtr, 0);
	assert_int_equal(p.hfgitr, 0);
	/* OSECCR_EL1 [10] of HDFGRTR_EL2 and HDFGWTR_EL2. */
	assert_int_equal(p.hdfgrtr, 0x400);
	assert_int_equal(p.hdfgwtr, 0x400);
	assert_true(p.hcx);
	assert_int_equal(p.hcrx, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_features),
		cmocka_unit_test(test_ras_lor),
		cmocka_unit_test(test_fgt_hcx_hpmn),
	};

	return cmocka_run_group_tests_name("el2_policy", tests, NULL, NULL);
}
