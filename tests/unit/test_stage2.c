/*
 * Host tests of the stage-2 configuration (src/mem/stage2.c): the IPA size
 * chosen for a VM, VTCR_EL2, VTTBR_EL2 and VMID allocation. The VMID
 * counter is global to the process: its tests run last, in order.
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

/* The lowest free VMID, from 1, whatever the width asked for. */
static void test_vmid_alloc(void **state)
{
	(void)state;
	assert_int_equal(vmid_alloc(16), 1);
	assert_int_equal(vmid_alloc(16), 2);
	assert_int_equal(vmid_alloc(8), 3);
	assert_int_equal(vmid_alloc(8), 4);
}

/* A VMID given back is the next one handed out (a refused VM keeps none). */
static void test_vmid_free_reuses(void **state)
{
	(void)state;
	assert_int_equal(vmid_alloc(16), 5);
	vmid_free(3);
	vmid_free(0); /* ignored */
	assert_int_equal(vmid_alloc(16), 3);
	assert_int_equal(vmid_alloc(16), 6);
	vmid_free(6);
	vmid_free(5);
	assert_int_equal(vmid_alloc(8), 5);
	assert_int_equal(vmid_alloc(8), 6);
}

/* Last: exhausts the 8-bit space (the bitmap is global). */
static void test_vmid_exhausted(void **state)
{
	unsigned n = 0, last = 0;
	u16 v;

	(void)state;
	while ((v = vmid_alloc(8)) != 0) {
		assert_int_equal(v, last ? last + 1 : 7);
		last = v;
		n++;
		assert_true(n < 300);
	}
	assert_int_equal(last, 255);
	assert_int_equal(n, 255 - 6);
	/* Exhausted for 8 bits, it stays so. */
	for (int i = 0; i < 10; i++)
		assert_int_equal(vmid_alloc(8), 0);
	/* 16-bit VMIDs go on above 255; one given back is reused by either. */
	assert_int_equal(vmid_alloc(16), 256);
	vmid_free(100);
	assert_int_equal(vmid_alloc(8), 100);
	assert_int_equal(vmid_alloc(8), 0);
	/* Every 16-bit VMID: the last is 65535, then none. */
	while ((v = vmid_alloc(16)) != 0)
		last = v;
	assert_int_equal(last, 65535);
	vmid_free(40000);
	assert_int_equal(vmid_alloc(16), 40000);
	assert_int_equal(vmid_alloc(16), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipa_bits_48),
		cmocka_unit_test(test_ipa_bits_small_pa),
		cmocka_unit_test(test_ipa_bits_52),
		cmocka_unit_test(test_vtcr),
		cmocka_unit_test(test_vttbr),
		cmocka_unit_test(test_vmid_alloc),
		cmocka_unit_test(test_vmid_free_reuses),
		cmocka_unit_test(test_vmid_exhausted),
	};

	return cmocka_run_group_tests_name("stage2", tests, NULL, NULL);
}
