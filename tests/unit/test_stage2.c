/*
 * Host tests of the stage-2 configuration (src/mem/stage2.c): the IPA size
 * chosen for a VM (at least 40 bits with a virtual EL2), VTCR_EL2 and
 * VTTBR_EL2. VMIDs have their own tests (test_vmid).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/bits.h>
#include <nv/stage2.h>

static struct cpu_features cpu(unsigned pa_bits, unsigned parange,
			       unsigned vmid_bits)
{
	struct cpu_features f;

	memset(&f, 0, sizeof(f));
	f.pa_bits = pa_bits;
	f.parange = parange;
	f.vmid_bits = vmid_bits;
	return f;
}

#define P(n) (UINT64_C(1) << (n))

static void test_ipa_bits_48(void **state)
{
	struct cpu_features f = cpu(48, 5, 16);

	(void)state;
	/* Never fewer than 32 bits. */
	assert_int_equal(stage2_ipa_bits(0, &f), 32);
	assert_int_equal(stage2_ipa_bits(1, &f), 32);
	assert_int_equal(stage2_ipa_bits(0x80000000, &f), 32);
	assert_int_equal(stage2_ipa_bits(0x50000000, &f), 32); /* linux.dts */
	assert_int_equal(stage2_ipa_bits(P(32), &f), 32);
	/* The top is exclusive. One byte more: the next size a guest's
	 * PARange can say (36), not 33, which it would read as 32. */
	assert_int_equal(stage2_ipa_bits(P(32) + 1, &f), 36);
	assert_int_equal(stage2_ipa_bits(0x140000000, &f), 36); /* MEM=4G */
	assert_int_equal(stage2_ipa_bits(P(36), &f), 36);
	/* 37..44 bits: 44 (40 and 42 would need concatenated roots). */
	assert_int_equal(stage2_ipa_bits(P(36) + 1, &f), 44);
	assert_int_equal(stage2_ipa_bits(P(38) + 0x1000, &f), 44);
	assert_int_equal(stage2_ipa_bits(P(39), &f), 44);
	assert_int_equal(stage2_ipa_bits(P(39) + 1, &f), 44);
	assert_int_equal(stage2_ipa_bits(P(40), &f), 44);
	assert_int_equal(stage2_ipa_bits(P(42) + 1, &f), 44);
	assert_int_equal(stage2_ipa_bits(P(43), &f), 44);
	assert_int_equal(stage2_ipa_bits(P(44), &f), 44);
	assert_int_equal(stage2_ipa_bits(P(44) + 1, &f), 48);
	assert_int_equal(stage2_ipa_bits(P(47) + 1, &f), 48);
	assert_int_equal(stage2_ipa_bits(P(48), &f), 48);
	/* Beyond 48 bits: impossible. */
	assert_int_equal(stage2_ipa_bits(P(48) + 1, &f), 0);
	assert_int_equal(stage2_ipa_bits(P(63), &f), 0);
	assert_int_equal(stage2_ipa_bits(~UINT64_C(0), &f), 0);
}

static void test_ipa_bits_small_pa(void **state)
{
	struct cpu_features f32 = cpu(32, 0, 8), f36 = cpu(36, 1, 8);
	struct cpu_features f40 = cpu(40, 2, 8), f42 = cpu(42, 3, 8);
	struct cpu_features f44 = cpu(44, 4, 16);

	(void)state;
	assert_int_equal(stage2_ipa_bits(P(32), &f32), 32);
	assert_int_equal(stage2_ipa_bits(P(32) + 1, &f32), 0);

	assert_int_equal(stage2_ipa_bits(0x80000000, &f36), 32);
	assert_int_equal(stage2_ipa_bits(P(36), &f36), 36);
	assert_int_equal(stage2_ipa_bits(P(36) + 1, &f36), 0);

	/* A 40-bit CPU: 36 bits at most, since 40 would be rounded to 44. */
	assert_int_equal(stage2_ipa_bits(P(36), &f40), 36);
	assert_int_equal(stage2_ipa_bits(P(36) + 1, &f40), 0);
	assert_int_equal(stage2_ipa_bits(P(39), &f40), 0);
	assert_int_equal(stage2_ipa_bits(P(40), &f40), 0);
	assert_int_equal(stage2_ipa_bits(P(40), &f42), 0);

	assert_int_equal(stage2_ipa_bits(P(39) + 1, &f44), 44);
	assert_int_equal(stage2_ipa_bits(P(44), &f44), 44);
	assert_int_equal(stage2_ipa_bits(P(44) + 1, &f44), 0);
}

static void test_ipa_bits_52(void **state)
{
	/* FEAT_LPA: still capped at 48 bits. */
	struct cpu_features f = cpu(52, 6, 16);

	(void)state;
	assert_int_equal(stage2_ipa_bits(0x50000000, &f), 32);
	assert_int_equal(stage2_ipa_bits(P(40), &f), 44);
	assert_int_equal(stage2_ipa_bits(P(48), &f), 48);
	assert_int_equal(stage2_ipa_bits(P(48) + 1, &f), 0);
	assert_int_equal(stage2_ipa_bits(P(52), &f), 0);
}

static void check_vtcr(u64 vtcr, unsigned ipa, unsigned sl0, unsigned ps,
		       bool vs)
{
	assert_int_equal(field_get(VTCR_T0SZ_MASK, vtcr), 64 - ipa);
	assert_int_equal(field_get(VTCR_SL0_MASK, vtcr), sl0);
	assert_int_equal(field_get(GENMASK(9, 8), vtcr), 1);   /* IRGN0 WBWA */
	assert_int_equal(field_get(GENMASK(11, 10), vtcr), 1); /* ORGN0 WBWA */
	assert_int_equal(field_get(GENMASK(13, 12), vtcr), 3); /* SH0 inner */
	assert_int_equal(field_get(GENMASK(15, 14), vtcr), 0); /* TG0 4K */
	assert_int_equal(field_get(VTCR_PS_MASK, vtcr), ps);
	assert_int_equal(!!(vtcr & BIT(19)), vs);
	assert_true(vtcr & BIT(31)); /* RES1 */
	/* Nothing else: no HA/HD, VS only as asked, no NSW/NSA, DS, ... */
	assert_int_equal(vtcr & ~(GENMASK(19, 0) | BIT(31)), 0);
}

static void test_vtcr(void **state)
{
	struct cpu_features f48 = cpu(48, 5, 8), f52 = cpu(52, 6, 16);
	struct cpu_features f40 = cpu(40, 2, 16), f36 = cpu(36, 1, 8);

	(void)state;
	/* 32 bits, start level 1 (SL0 1), 48-bit PS, 8-bit VMIDs. */
	assert_int_equal(stage2_vtcr(32, &f48), 0x80053560);
	check_vtcr(stage2_vtcr(32, &f48), 32, 1, 5, false);
	check_vtcr(stage2_vtcr(36, &f48), 36, 1, 5, false);
	check_vtcr(stage2_vtcr(39, &f48), 39, 1, 5, false);
	/* 44 and 48 bits: level 0 (SL0 2). */
	check_vtcr(stage2_vtcr(44, &f48), 44, 2, 5, false);
	check_vtcr(stage2_vtcr(48, &f48), 48, 2, 5, false);
	/* PS from PARange, capped at 48 bits (5); VS with 16-bit VMIDs. */
	check_vtcr(stage2_vtcr(48, &f52), 48, 2, 5, true);
	check_vtcr(stage2_vtcr(39, &f40), 39, 1, 2, true);
	check_vtcr(stage2_vtcr(32, &f36), 32, 1, 1, false);
	assert_int_equal(stage2_vtcr(48, &f52), 0x800d3590);
}

static void test_vttbr(void **state)
{
	struct pgtable pt;

	(void)state;
	memset(&pt, 0, sizeof(pt));
	pt.root = (u64 *)(uintptr_t)0x45678000u;
	assert_int_equal(stage2_vttbr(&pt, 0xabcd), 0xabcd000045678000ull);
	assert_int_equal(stage2_vttbr(&pt, 1), 0x0001000045678000ull);
	assert_int_equal(stage2_vttbr(&pt, 0), 0x45678000ull);
	/* The BADDR field only: no CnP bit, no bits above 47. */
	pt.root = (u64 *)(uintptr_t)0x000fabcd12345fffull;
	assert_int_equal(stage2_vttbr(&pt, 0x12), 0x0012abcd12345000ull);
}

/* At least 40 bits for a virtual EL2 (KVM's default VM size in L1): 44 given. */
static void test_min_ipa_bits(void **state)
{
	struct cpu_features f = cpu(48, 5, 16);

	(void)state;
	assert_int_equal(stage2_min_ipa_bits(false), 0);
	assert_int_equal(stage2_min_ipa_bits(true), 40);
	assert_int_equal(stage2_ipa_bits(MAX(UINT64_C(0x50000000),
					     UINT64_C(1) << stage2_min_ipa_bits(true)), &f), 44);
	assert_int_equal(stage2_ipa_bits(MAX(UINT64_C(0x50000000),
					     UINT64_C(1) << stage2_min_ipa_bits(false)), &f), 32);
	/* A CPU with 40-bit PAs cannot hold such a VM (44 > 40): refused. */
	f = cpu(40, 2, 8);
	assert_int_equal(stage2_ipa_bits(UINT64_C(1) << stage2_min_ipa_bits(true), &f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipa_bits_48),
		cmocka_unit_test(test_ipa_bits_small_pa),
		cmocka_unit_test(test_ipa_bits_52),
		cmocka_unit_test(test_vtcr),
		cmocka_unit_test(test_vttbr),
		cmocka_unit_test(test_min_ipa_bits),
	};

	return cmocka_run_group_tests_name("stage2", tests, NULL, NULL);
}
