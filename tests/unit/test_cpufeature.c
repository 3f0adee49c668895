/* Host tests of the ID register decoding (src/cpu/cpufeature.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/cpufeature.h>
#include "helpers.h"

/* One 4-bit ID register field. */
#define F(shift, v) ((u64)(v) << (shift))

/*
 * Like QEMU -cpu max: EL0..EL3 AArch64 (EL2 = 1), GICv3 system registers,
 * SVE, 52-bit PA, FGT2, ECV with CNTPOFF, VHE, 16-bit VMIDs, NV2, and
 * ID_AA64MMFR4_EL1.E2H0 = 0. Unrelated fields are set non-zero too, so a
 * decoder reading the wrong field notices.
 */
static struct id_regs max_like(void)
{
	struct id_regs r = {
		.midr = 0x000f0510,
		.pfr0 = F(0, 2) | F(4, 2) | F(ID_PFR0_EL2_SHIFT, 1) | F(12, 1) |
			F(16, 1) | F(20, 1) | F(ID_PFR0_GIC_SHIFT, 1) |
			F(28, 1) | F(ID_PFR0_SVE_SHIFT, 1) | F(40, 1) |
			F(48, 1) | F(56, 1),
		.mmfr0 = F(ID_MMFR0_PARANGE_SHIFT, 6) | F(4, 2) | F(8, 1) |
			 F(12, 1) | F(20, 0) | F(24, 0) | F(28, 0xf) |
			 F(32, 2) | F(40, 2) | F(44, 2) |
			 F(ID_MMFR0_FGT_SHIFT, 2) | F(ID_MMFR0_ECV_SHIFT, 2),
		.mmfr1 = F(0, 2) | F(ID_MMFR1_VMIDBITS_SHIFT, 2) |
			 F(ID_MMFR1_VH_SHIFT, 1) | F(12, 1) | F(16, 1) |
			 F(20, 1) | F(24, 1) | F(28, 1) | F(36, 1) | F(44, 1),
		.mmfr2 = F(0, 1) | F(4, 1) | F(8, 1) | F(12, 1) | F(16, 1) |
			 F(20, 1) | F(ID_MMFR2_NV_SHIFT, 2) | F(28, 0) |
			 F(32, 1) | F(36, 1) | F(40, 1) | F(52, 1) | F(60, 1),
		.mmfr4 = F(ID_MMFR4_E2H0_SHIFT, 0),
	};

	return r;
}

/* Like a Cortex-A57 (ARMv8.0): EL2 (AArch64+AArch32), GICv3 sysregs, 44-bit PA. */
static struct id_regs a57_like(void)
{
	struct id_regs r = {
		.midr = 0x411fd070,
		.pfr0 = F(0, 2) | F(4, 2) | F(ID_PFR0_EL2_SHIFT, 2) |
			F(12, 2) | F(ID_PFR0_GIC_SHIFT, 1),
		.mmfr0 = F(ID_MMFR0_PARANGE_SHIFT, 4) | F(4, 2) | F(12, 1) |
			 F(28, 0xf),
		.mmfr1 = 0,
		.mmfr2 = 0,
		.mmfr4 = 0,
	};

	return r;
}

static struct cpu_features decode(const struct id_regs *r)
{
	struct cpu_features f;

	/* Garbage first: every field must be written by the decoder. */
	memset(&f, 0xa5, sizeof(f));
	cpu_features_decode(r, &f);
	return f;
}

static void test_max_like(void **state)
{
	struct id_regs r = max_like();
	struct cpu_features f = decode(&r);

	(void)state;
	assert_true(f.el2);
	assert_true(f.vhe);
	assert_true(f.nv);
	assert_true(f.nv2);
	assert_true(f.nv1);
	assert_int_equal(f.ecv, 2);
	assert_true(f.fgt);
	assert_true(f.fgt2);
	assert_true(f.gicv3_sysregs);
	assert_true(f.sve);
	assert_int_equal(f.parange, 6);
	assert_int_equal(f.pa_bits, 52);
	assert_int_equal(f.vmid_bits, 16);
}

static void test_a57_like(void **state)
{
	struct id_regs r = a57_like();
	struct cpu_features f = decode(&r);

	(void)state;
	assert_true(f.el2);
	assert_false(f.vhe);
	assert_false(f.nv);
	assert_false(f.nv2);
	assert_false(f.nv1);
	assert_int_equal(f.ecv, 0);
	assert_false(f.fgt);
	assert_false(f.fgt2);
	assert_true(f.gicv3_sysregs);
	assert_false(f.sve);
	assert_int_equal(f.parange, 4);
	assert_int_equal(f.pa_bits, 44);
	assert_int_equal(f.vmid_bits, 8);
}

static void test_all_zero(void **state)
{
	struct id_regs r;
	struct cpu_features f;

	(void)state;
	memset(&r, 0, sizeof(r));
	f = decode(&r);
	assert_false(f.el2);
	assert_false(f.vhe);
	assert_false(f.nv);
	assert_false(f.nv2);
	assert_false(f.nv1);
	assert_int_equal(f.ecv, 0);
	assert_false(f.fgt);
	assert_false(f.fgt2);
	assert_false(f.gicv3_sysregs);
	assert_false(f.sve);
	assert_int_equal(f.parange, 0);
	assert_int_equal(f.pa_bits, 32);
	assert_int_equal(f.vmid_bits, 8);
}

static void test_nv_levels(void **state)
{
	struct id_regs r = a57_like();
	struct cpu_features f;

	(void)state;
	r.mmfr2 = F(ID_MMFR2_NV_SHIFT, 1);
	f = decode(&r);
	assert_true(f.nv);
	assert_false(f.nv2);
	assert_true(f.nv1); /* MMFR4.E2H0 == 0 */

	r.mmfr2 = F(ID_MMFR2_NV_SHIFT, 2);
	f = decode(&r);
	assert_true(f.nv);
	assert_true(f.nv2);
	assert_true(f.nv1);

	/* Fields next to NV ([23:20] and [31:28]) do not count. */
	r.mmfr2 = F(20, 0xf) | F(28, 0xf);
	f = decode(&r);
	assert_false(f.nv);
	assert_false(f.nv2);
	assert_false(f.nv1);
}

/*
 * ID_AA64MMFR4_EL1.E2H0 [27:24], signed (Arm ARM D19.2): 0 FEAT_E2H0 (E2H
 * may be 0), -1 (0b1111) E2H is RES1, -2 (0b1110) E2H RES1 and no
 * FEAT_NV1 either.
 */
static void test_e2h0(void **state)
{
	struct id_regs r = max_like();
	struct cpu_features f;

	(void)state;
	r.mmfr4 = F(ID_MMFR4_E2H0_SHIFT, 0);
	f = decode(&r);
	assert_int_equal(f.e2h0, 0);
	assert_false(f.e2h_res1);
	assert_true(f.nv1);

	/* -1: HCR_EL2.E2H is RES1; NV1 is still there. */
	r.mmfr4 = F(ID_MMFR4_E2H0_SHIFT, 0xf);
	f = decode(&r);
	assert_int_equal(f.e2h0, -1);
	assert_true(f.e2h_res1);
	assert_true(f.nv1);
	assert_true(f.nv2);

	/* -2: E2H RES1 and no NV1. */
	r.mmfr4 = F(ID_MMFR4_E2H0_SHIFT, 0xe);
	f = decode(&r);
	assert_int_equal(f.e2h0, -2);
	assert_true(f.e2h_res1);
	assert_false(f.nv1);
	assert_true(f.nv);

	/* Other MMFR4 fields do not matter. */
	r.mmfr4 = F(20, 0xf) | F(28, 0xf);
	f = decode(&r);
	assert_false(f.e2h_res1);
	assert_true(f.nv1);

	/* A CPU older than the field (reads 0) whose E2H reads back 1. */
	r.mmfr4 = 0;
	r.hcr_el2 = UINT64_C(1) << 34;
	f = decode(&r);
	assert_int_equal(f.e2h0, 0);
	assert_true(f.e2h_res1);

	/* Without FEAT_NV there is no NV1 whatever E2H0 says. */
	r = a57_like();
	r.mmfr4 = 0;
	f = decode(&r);
	assert_false(f.nv1);
	assert_false(f.e2h_res1);
}

/* A CPU with E2H RES1 is refused with a message naming register and field. */
static void test_e2h_res1_refused(void **state)
{
	struct id_regs r = max_like();
	struct cpu_features f;
	char err[256];

	(void)state;
	f = decode(&r);
	assert_true(cpu_features_supported(&f, err, sizeof(err)));

	r.mmfr4 = F(ID_MMFR4_E2H0_SHIFT, 0xf);
	f = decode(&r);
	assert_false(cpu_features_supported(&f, err, sizeof(err)));
	assert_non_null(strstr(err, "HCR_EL2.E2H is RES1"));
	assert_non_null(strstr(err, "ID_AA64MMFR4_EL1.E2H0 = -1"));

	r.mmfr4 = F(ID_MMFR4_E2H0_SHIFT, 0xe);
	f = decode(&r);
	assert_false(cpu_features_supported(&f, err, sizeof(err)));
	assert_non_null(strstr(err, "ID_AA64MMFR4_EL1.E2H0 = -2"));

	r.mmfr4 = 0;
	r.hcr_el2 = UINT64_C(1) << 34;
	f = decode(&r);
	assert_false(cpu_features_supported(&f, err, sizeof(err)));
	assert_non_null(strstr(err, "HCR_EL2.E2H reads 1 after a write of 0"));
}

static void test_fgt(void **state)
{
	struct id_regs r = a57_like();
	struct cpu_features f;

	(void)state;
	r.mmfr0 = F(ID_MMFR0_FGT_SHIFT, 1);
	f = decode(&r);
	assert_true(f.fgt);
	assert_false(f.fgt2);

	r.mmfr0 = F(ID_MMFR0_FGT_SHIFT, 2);
	f = decode(&r);
	assert_true(f.fgt);
	assert_true(f.fgt2);

	r.mmfr0 = F(ID_MMFR0_FGT_SHIFT, 0xf);
	f = decode(&r);
	assert_false(f.fgt);
	assert_false(f.fgt2);

	r.mmfr0 = F(ID_MMFR0_FGT_SHIFT, 0);
	f = decode(&r);
	assert_false(f.fgt);
	assert_false(f.fgt2);
}

static void test_ecv(void **state)
{
	struct id_regs r = a57_like();
	struct cpu_features f;

	(void)state;
	for (unsigned v = 0; v <= 2; v++) {
		r.mmfr0 = F(ID_MMFR0_ECV_SHIFT, v) | F(ID_MMFR0_FGT_SHIFT, 0xf);
		f = decode(&r);
		assert_int_equal(f.ecv, v);
		assert_false(f.fgt);
	}
}

static void test_vhe_and_vmid(void **state)
{
	struct id_regs r = a57_like();
	struct cpu_features f;

	(void)state;
	r.mmfr1 = F(ID_MMFR1_VH_SHIFT, 1);
	f = decode(&r);
	assert_true(f.vhe);
	assert_int_equal(f.vmid_bits, 8);

	r.mmfr1 = F(ID_MMFR1_VMIDBITS_SHIFT, 2);
	f = decode(&r);
	assert_false(f.vhe);
	assert_int_equal(f.vmid_bits, 16);

	/* Reserved VMIDBits values: 8 bits. */
	r.mmfr1 = F(ID_MMFR1_VMIDBITS_SHIFT, 1);
	assert_int_equal(decode(&r).vmid_bits, 8);
	r.mmfr1 = F(ID_MMFR1_VMIDBITS_SHIFT, 0xf);
	assert_int_equal(decode(&r).vmid_bits, 8);
}

static void test_pfr0_fields(void **state)
{
	struct id_regs r;
	struct cpu_features f;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.pfr0 = F(ID_PFR0_EL2_SHIFT, 1);
	f = decode(&r);
	assert_true(f.el2);
	assert_false(f.gicv3_sysregs);
	assert_false(f.sve);

	r.pfr0 = F(ID_PFR0_GIC_SHIFT, 3);
	f = decode(&r);
	assert_false(f.el2);
	assert_true(f.gicv3_sysregs);
	assert_false(f.sve);

	r.pfr0 = F(ID_PFR0_SVE_SHIFT, 1);
	f = decode(&r);
	assert_false(f.el2);
	assert_false(f.gicv3_sysregs);
	assert_true(f.sve);

	/* EL3 and EL1 fields set, EL2 not. */
	r.pfr0 = F(4, 2) | F(12, 2);
	f = decode(&r);
	assert_false(f.el2);
}

static void test_parange(void **state)
{
	static const unsigned expect[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	struct id_regs r;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (unsigned i = 0; i < 8; i++) {
		struct cpu_features f;

		assert_int_equal(parange_to_bits(i), expect[i]);
		r.mmfr0 = F(ID_MMFR0_PARANGE_SHIFT, i);
		f = decode(&r);
		assert_int_equal(f.parange, i);
		assert_int_equal(f.pa_bits, expect[i]);
	}
	for (unsigned i = 8; i <= 0xf; i++) {
		struct cpu_features f;

		assert_int_equal(parange_to_bits(i), 0);
		r.mmfr0 = F(ID_MMFR0_PARANGE_SHIFT, i);
		f = decode(&r);
		assert_int_equal(f.parange, 0);
		assert_int_equal(f.pa_bits, 32);
	}
	assert_int_equal(parange_to_bits(16), 0);
	assert_int_equal(parange_to_bits(~0u), 0);
}

static struct cpu_features feats(unsigned nv)
{
	struct id_regs r = a57_like();

	r.mmfr2 = F(ID_MMFR2_NV_SHIFT, nv);
	return decode(&r);
}

static void test_resolve_auto(void **state)
{
	struct cpu_features f;
	enum nested_mode m;
	char err[160];

	(void)state;
	f = feats(0);
	m = NESTED_NV2;
	assert_true(nested_mode_resolve(NESTED_AUTO, &f, &m, err, sizeof(err)));
	assert_int_equal(m, NESTED_OFF);
	f = feats(1);
	assert_true(nested_mode_resolve(NESTED_AUTO, &f, &m, err, sizeof(err)));
	assert_int_equal(m, NESTED_NV);
	f = feats(2);
	assert_true(nested_mode_resolve(NESTED_AUTO, &f, &m, err, sizeof(err)));
	assert_int_equal(m, NESTED_NV2);
}

static void test_resolve_off(void **state)
{
	char err[160];

	(void)state;
	for (unsigned nv = 0; nv <= 2; nv++) {
		struct cpu_features f = feats(nv);
		enum nested_mode m = NESTED_AUTO;

		assert_true(nested_mode_resolve(NESTED_OFF, &f, &m, err,
						sizeof(err)));
		assert_int_equal(m, NESTED_OFF);
	}
}

static void test_resolve_nv(void **state)
{
	struct cpu_features f;
	enum nested_mode m;
	char err[160];

	(void)state;
	f = feats(0);
	m = NESTED_AUTO;
	err[0] = '\0';
	assert_false(nested_mode_resolve(NESTED_NV, &f, &m, err, sizeof(err)));
	assert_int_equal(m, NESTED_AUTO); /* untouched on failure */
	assert_contains(err, "nested=nv requested");
	assert_contains(err, "FEAT_NV ");
	assert_contains(err, "ID_AA64MMFR2_EL1.NV == 0");

	f = feats(1);
	assert_true(nested_mode_resolve(NESTED_NV, &f, &m, err, sizeof(err)));
	assert_int_equal(m, NESTED_NV);
	f = feats(2);
	m = NESTED_AUTO;
	assert_true(nested_mode_resolve(NESTED_NV, &f, &m, err, sizeof(err)));
	assert_int_equal(m, NESTED_NV);
}

static void test_resolve_nv2(void **state)
{
	struct cpu_features f;
	enum nested_mode m;
	char err[160];

	(void)state;
	for (unsigned nv = 0; nv <= 1; nv++) {
		f = feats(nv);
		m = NESTED_AUTO;
		err[0] = '\0';
		assert_false(nested_mode_resolve(NESTED_NV2, &f, &m, err,
						 sizeof(err)));
		assert_int_equal(m, NESTED_AUTO);
		assert_contains(err, "nested=nv2 requested");
		assert_contains(err, "FEAT_NV2");
		assert_contains(err, "ID_AA64MMFR2_EL1.NV < 2");
	}
	f = feats(2);
	assert_true(nested_mode_resolve(NESTED_NV2, &f, &m, err, sizeof(err)));
	assert_int_equal(m, NESTED_NV2);
}

static void test_resolve_err_truncated(void **state)
{
	struct {
		char err[10];
		char canary[8];
	} b;
	struct cpu_features f = feats(0);
	enum nested_mode m;

	(void)state;
	memset(&b, 'C', sizeof(b));
	assert_false(nested_mode_resolve(NESTED_NV2, &f, &m, b.err,
					 sizeof(b.err)));
	assert_string_equal(b.err, "nested=nv");
	for (size_t i = 0; i < sizeof(b.canary); i++)
		assert_int_equal(b.canary[i], 'C');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_like),
		cmocka_unit_test(test_a57_like),
		cmocka_unit_test(test_all_zero),
		cmocka_unit_test(test_nv_levels),
		cmocka_unit_test(test_e2h0),
		cmocka_unit_test(test_e2h_res1_refused),
		cmocka_unit_test(test_fgt),
		cmocka_unit_test(test_ecv),
		cmocka_unit_test(test_vhe_and_vmid),
		cmocka_unit_test(test_pfr0_fields),
		cmocka_unit_test(test_parange),
		cmocka_unit_test(test_resolve_auto),
		cmocka_unit_test(test_resolve_off),
		cmocka_unit_test(test_resolve_nv),
		cmocka_unit_test(test_resolve_nv2),
		cmocka_unit_test(test_resolve_err_truncated),
	};

	return cmocka_run_group_tests_name("cpufeature", tests, NULL, NULL);
}
