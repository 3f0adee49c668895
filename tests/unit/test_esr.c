/* Host tests of ESR_EL2 decoding (src/cpu/esr.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/esr.h>

/*
 * ESR fields at their Arm ARM positions, written out independently of the
 * masks in nv/esr.h.
 */
#define E_EC(ec) ((u64)(ec) << 26)
#define E_IL ((u64)1 << 25)
#define E_ISV ((u64)1 << 24)
#define E_SAS(s) ((u64)(s) << 22)
#define E_SSE ((u64)1 << 21)
#define E_SRT(r) ((u64)(r) << 16)
#define E_SF ((u64)1 << 15)
#define E_AR ((u64)1 << 14)
#define E_WNR ((u64)1 << 6)
#define E_DFSC(f) ((u64)(f))

static void test_ec_iss_extraction(void **state)
{
	(void)state;
	assert_int_equal(esr_ec(E_EC(0x24) | E_IL | 0x1ffffff), 0x24);
	assert_int_equal(esr_iss(E_EC(0x24) | E_IL | 0x1ffffff), 0x1ffffff);
	assert_int_equal(esr_ec(E_EC(0x3f)), 0x3f);
	assert_int_equal(esr_iss(E_EC(0x3f)), 0);
	assert_int_equal(esr_ec(E_IL | 0x1234), 0);
	assert_int_equal(esr_iss(E_IL | 0x1234), 0x1234);
	/* IL is neither EC nor ISS. */
	assert_int_equal(esr_ec(E_IL), 0);
	assert_int_equal(esr_iss(E_IL), 0);
	/* ESR_EL2 bits [63:32] (ISS2) are outside both. */
	assert_int_equal(esr_ec(UINT64_C(0xffffffff00000000) | E_EC(0x16) | 5),
			 0x16);
	assert_int_equal(esr_iss(UINT64_C(0xffffffff00000000) | E_EC(0x16) | 5),
			 5);
	/* HVC #0x42 from AArch64. */
	assert_int_equal(esr_ec(0x5a000042), EC_HVC64);
	assert_int_equal(esr_iss(0x5a000042), 0x42);
}

static void test_ec_names(void **state)
{
	(void)state;
	assert_string_equal(esr_ec_name(0x00), "unknown reason");
	assert_string_equal(esr_ec_name(0x01), "WFI/WFE");
	assert_string_equal(esr_ec_name(0x16), "HVC");
	assert_string_equal(esr_ec_name(0x17), "SMC");
	assert_string_equal(esr_ec_name(0x15), "SVC");
	assert_string_equal(esr_ec_name(0x18), "MSR/MRS/system instruction");
	assert_string_equal(esr_ec_name(0x1a), "ERET");
	assert_string_equal(esr_ec_name(0x20), "instruction abort, lower EL");
	assert_string_equal(esr_ec_name(0x21), "instruction abort, same EL");
	assert_string_equal(esr_ec_name(0x24), "data abort, lower EL");
	assert_string_equal(esr_ec_name(0x25), "data abort, same EL");
	assert_string_equal(esr_ec_name(0x2f), "SError");
	assert_string_equal(esr_ec_name(0x3c), "BRK");
	assert_string_equal(esr_ec_name(0x0e), "illegal execution state");
}

static void test_ec_reserved(void **state)
{
	/* ECs the Arm ARM leaves unallocated. */
	static const unsigned reserved[] = { 0x02, 0x0b, 0x0f, 0x10, 0x1e,
					     0x23, 0x29, 0x2a, 0x2b, 0x2e,
					     0x36, 0x37, 0x39, 0x3b, 0x3e,
					     0x3f };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(reserved); i++)
		assert_string_equal(esr_ec_name(reserved[i]), "unknown EC");
	/* Out of the 6-bit range. */
	assert_string_equal(esr_ec_name(0x40), "unknown EC");
	assert_string_equal(esr_ec_name(~0u), "unknown EC");
}

static void test_ec_all_named_or_unknown(void **state)
{
	(void)state;
	for (unsigned ec = 0; ec < 64; ec++) {
		const char *n = esr_ec_name(ec);

		assert_non_null(n);
		assert_true(strlen(n) > 0);
	}
}

static void test_fsc_names(void **state)
{
	(void)state;
	for (unsigned l = 0; l < 4; l++) {
		assert_string_equal(esr_fsc_name(0x00 + l), "address size fault");
		assert_string_equal(esr_fsc_name(0x04 + l), "translation fault");
		assert_string_equal(esr_fsc_name(0x08 + l), "access flag fault");
		assert_string_equal(esr_fsc_name(0x0c + l), "permission fault");
	}
	assert_string_equal(esr_fsc_name(0x10), "synchronous external abort");
	assert_string_equal(esr_fsc_name(0x11), "synchronous tag check fault");
	assert_string_equal(esr_fsc_name(0x21), "alignment fault");
	for (unsigned f = 0x14; f <= 0x17; f++)
		assert_string_equal(esr_fsc_name(f), "external abort on table walk");
	assert_string_equal(esr_fsc_name(0x30), "TLB conflict abort");
	assert_string_equal(esr_fsc_name(0x31),
			    "unsupported atomic hardware update");
	assert_string_equal(esr_fsc_name(0x13), "other fault");
	assert_string_equal(esr_fsc_name(0x18), "other fault");
	assert_string_equal(esr_fsc_name(0x20), "other fault");
	assert_string_equal(esr_fsc_name(0x3f), "other fault");
}

static void test_dabt_sizes(void **state)
{
	static const unsigned bytes[] = { 1, 2, 4, 8 };

	(void)state;
	for (unsigned s = 0; s < 4; s++) {
		struct dabt_access a;

		memset(&a, 0xff, sizeof(a));
		assert_true(esr_decode_dabt(E_EC(EC_DABT_LOW) | E_IL | E_ISV |
						    E_SAS(s) | E_SRT(3) |
						    E_DFSC(0x07),
					    &a));
		assert_int_equal(a.size, bytes[s]);
		assert_int_equal(a.reg, 3);
		assert_false(a.write);
		assert_false(a.sign_extend);
		assert_false(a.sixty_four);
		assert_false(a.acq_rel);
	}
}

static void test_dabt_srt(void **state)
{
	(void)state;
	for (unsigned r = 0; r < 32; r++) {
		struct dabt_access a;

		memset(&a, 0, sizeof(a));
		/* Everything else set, to catch bleeding fields. */
		assert_true(esr_decode_dabt(E_EC(EC_DABT_LOW) | E_IL | E_ISV |
						    E_SAS(3) | E_SSE | E_SRT(r) |
						    E_SF | E_AR | E_WNR |
						    E_DFSC(0x3f),
					    &a));
		assert_int_equal(a.reg, r);
		assert_int_equal(a.size, 8);
		assert_true(a.write);
		assert_true(a.sign_extend);
		assert_true(a.sixty_four);
		assert_true(a.acq_rel);
	}
}

static void test_dabt_flags(void **state)
{
	u64 base = E_EC(EC_DABT_LOW) | E_IL | E_ISV | E_SAS(2) | E_SRT(5) |
		   E_DFSC(0x06);
	struct dabt_access a;

	(void)state;
	assert_true(esr_decode_dabt(base | E_WNR, &a));
	assert_true(a.write);
	assert_false(a.sign_extend);
	assert_false(a.sixty_four);
	assert_false(a.acq_rel);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 5);

	assert_true(esr_decode_dabt(base | E_SSE, &a));
	assert_false(a.write);
	assert_true(a.sign_extend);
	assert_false(a.sixty_four);
	assert_false(a.acq_rel);

	assert_true(esr_decode_dabt(base | E_SF, &a));
	assert_false(a.write);
	assert_false(a.sign_extend);
	assert_true(a.sixty_four);
	assert_false(a.acq_rel);

	assert_true(esr_decode_dabt(base | E_AR, &a));
	assert_false(a.write);
	assert_false(a.sign_extend);
	assert_false(a.sixty_four);
	assert_true(a.acq_rel);

	/* Bits that are not part of the access description. */
	assert_true(esr_decode_dabt(base | BIT(7) | BIT(8) | BIT(9) | BIT(10) |
					    BIT(13),
				    &a));
	assert_false(a.write);
	assert_false(a.sign_extend);
	assert_false(a.sixty_four);
	assert_false(a.acq_rel);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 5);
}

static void test_dabt_no_isv(void **state)
{
	struct dabt_access a, before;

	(void)state;
	memset(&a, 0x77, sizeof(a));
	before = a;
	assert_false(esr_decode_dabt(E_EC(EC_DABT_LOW) | E_IL | E_SAS(3) |
					     E_SSE | E_SRT(7) | E_SF | E_AR |
					     E_WNR | E_DFSC(0x07),
				     &a));
	/* Nothing written. */
	assert_memory_equal(&a, &before, sizeof(a));
	assert_false(esr_decode_dabt(0, &a));
	/* ISV is bit 24 exactly: bit 23/25 do not count. */
	assert_false(esr_decode_dabt(BIT(23) | BIT(25), &a));
	assert_true(esr_decode_dabt(BIT(24), &a));
	assert_int_equal(a.size, 1);
	assert_int_equal(a.reg, 0);
}

static void test_dabt_real_example(void **state)
{
	struct dabt_access a;

	(void)state;
	/*
	 * STR w1, [x0] to an MMIO page from EL1: EC 0x24, IL, ISV, SAS=2,
	 * SRT=1, WnR, DFSC = translation fault level 3: 0x93810047.
	 */
	assert_int_equal(esr_ec(0x93810047), EC_DABT_LOW);
	assert_true(esr_decode_dabt(0x93810047, &a));
	assert_true(a.write);
	assert_int_equal(a.size, 4);
	assert_int_equal(a.reg, 1);
	assert_false(a.sixty_four);
	assert_string_equal(esr_fsc_name(esr_iss(0x93810047) & 0x3f),
			    "translation fault");
	/* LDR x2, [x3]: SAS=3, SRT=2, SF, read, DFSC 0x06: 0x93C28006. */
	assert_true(esr_decode_dabt(0x93c28006, &a));
	assert_false(a.write);
	assert_int_equal(a.size, 8);
	assert_int_equal(a.reg, 2);
	assert_true(a.sixty_four);
	assert_false(a.sign_extend);
}

/*
 * HPFAR_EL2 validity (Arm ARM D19.2 HPFAR_EL2, as KVM applies it): every
 * fault status code of a data or instruction abort from a lower EL, with
 * and without S1PTW, against the rule written out here on its own.
 */
#define E_S1PTW ((u64)1 << 7)

static bool expected_valid(unsigned fsc, bool s1ptw)
{
	if (fsc <= 0x03 || fsc == 0x29)  /* address size, levels 0..3, -1 */
		return true;
	if ((fsc >= 0x04 && fsc <= 0x07) || fsc == 0x2b) /* translation */
		return true;
	if (fsc >= 0x08 && fsc <= 0x0b)  /* access flag */
		return true;
	if (fsc >= 0x0c && fsc <= 0x0f)  /* permission: only on a walk */
		return s1ptw;
	return false;
}

static void test_hpfar_valid_rule(void **state)
{
	static const unsigned ecs[] = { 0x24, 0x20 };

	(void)state;
	for (unsigned e = 0; e < 2; e++)
		for (unsigned fsc = 0; fsc < 64; fsc++)
			for (unsigned w = 0; w < 2; w++) {
				u64 esr = E_EC(ecs[e]) | E_IL | E_DFSC(fsc) |
					  (w ? E_S1PTW : 0);

				if (esr_hpfar_valid(esr) != expected_valid(fsc, w))
					fail_msg("EC 0x%x FSC 0x%02x S1PTW %u: got %d",
						 ecs[e], fsc, w, esr_hpfar_valid(esr));
			}
}

static void test_hpfar_valid_examples(void **state)
{
	(void)state;
	/* Stage-2 translation fault, level 3: the MMIO case. */
	assert_true(esr_hpfar_valid(E_EC(0x24) | E_IL | E_ISV | E_DFSC(0x07)));
	/* Synchronous external abort (HCR_EL2.TEA), on and off a walk. */
	assert_false(esr_hpfar_valid(E_EC(0x24) | E_IL | E_DFSC(0x10)));
	assert_false(esr_hpfar_valid(E_EC(0x24) | E_IL | E_S1PTW | E_DFSC(0x15)));
	/* Alignment, TLB conflict, permission not on a walk. */
	assert_false(esr_hpfar_valid(E_EC(0x24) | E_IL | E_DFSC(0x21)));
	assert_false(esr_hpfar_valid(E_EC(0x20) | E_IL | E_DFSC(0x30)));
	assert_false(esr_hpfar_valid(E_EC(0x24) | E_IL | E_WNR | E_DFSC(0x0f)));
	/* Permission fault on a stage-1 walk: the walk's IPA. */
	assert_true(esr_hpfar_valid(E_EC(0x24) | E_IL | E_S1PTW | E_DFSC(0x0f)));
	/* Not an abort from a lower EL: never. */
	assert_false(esr_hpfar_valid(E_EC(0x25) | E_IL | E_DFSC(0x07)));
	assert_false(esr_hpfar_valid(E_EC(0x21) | E_IL | E_DFSC(0x07)));
	assert_false(esr_hpfar_valid(E_EC(0x18) | E_IL | E_DFSC(0x07)));
	assert_false(esr_hpfar_valid(E_EC(0x00) | E_DFSC(0x04)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ec_iss_extraction),
		cmocka_unit_test(test_ec_names),
		cmocka_unit_test(test_ec_reserved),
		cmocka_unit_test(test_ec_all_named_or_unknown),
		cmocka_unit_test(test_fsc_names),
		cmocka_unit_test(test_dabt_sizes),
		cmocka_unit_test(test_dabt_srt),
		cmocka_unit_test(test_dabt_flags),
		cmocka_unit_test(test_dabt_no_isv),
		cmocka_unit_test(test_dabt_real_example),
		cmocka_unit_test(test_hpfar_valid_rule),
		cmocka_unit_test(test_hpfar_valid_examples),
	};

	return cmocka_run_group_tests_name("esr", tests, NULL, NULL);
}
