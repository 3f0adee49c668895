/*
 * Host tests of the virtual EL2 register table (src/cpu/vel2_regs.c): the
 * encodings, VNCR page offsets, flags and RES0/RES1 handling of the
 * registers a guest hypervisor L1 can access.
 *
 * The expected values are written out here from the references (the Arm
 * ARM and GICv3 register descriptions as Linux's sysreg files and
 * vncr_mapping.h, and QEMU's cpreg tables, record them), not taken from
 * the module.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/vel2_regs.h>

#define B(n) ((u64)1 << (n))

/* The MRS/MSR immediate layout: op0 [15:14], op1 [13:11], CRn [10:7],
 * CRm [6:3], op2 [2:0]. */
static u32 pack(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
		unsigned op2)
{
	return (u32)(op0 << 14) + (u32)(op1 << 11) + (u32)(crn << 7) +
	       (u32)(crm << 3) + op2;
}

struct expect {
	enum vel2_reg id;
	const char *name;
	unsigned op0, op1, crn, crm, op2;
	u32 vncr; /* 0: not in the VNCR page */
};

static const struct expect expected[] = {
	{ VEL2_VPIDR_EL2, "VPIDR_EL2", 3, 4, 0, 0, 0, 0x88 },
	{ VEL2_VMPIDR_EL2, "VMPIDR_EL2", 3, 4, 0, 0, 5, 0x50 },
	{ VEL2_SCTLR_EL2, "SCTLR_EL2", 3, 4, 1, 0, 0, 0 },
	{ VEL2_ACTLR_EL2, "ACTLR_EL2", 3, 4, 1, 0, 1, 0 },
	{ VEL2_HCR_EL2, "HCR_EL2", 3, 4, 1, 1, 0, 0x78 },
	{ VEL2_MDCR_EL2, "MDCR_EL2", 3, 4, 1, 1, 1, 0 },
	{ VEL2_CPTR_EL2, "CPTR_EL2", 3, 4, 1, 1, 2, 0 },
	{ VEL2_HSTR_EL2, "HSTR_EL2", 3, 4, 1, 1, 3, 0x80 },
	{ VEL2_HACR_EL2, "HACR_EL2", 3, 4, 1, 1, 7, 0 },
	{ VEL2_HCRX_EL2, "HCRX_EL2", 3, 4, 1, 2, 2, 0xa0 },
	{ VEL2_HFGRTR_EL2, "HFGRTR_EL2", 3, 4, 1, 1, 4, 0x1b8 },
	{ VEL2_HFGWTR_EL2, "HFGWTR_EL2", 3, 4, 1, 1, 5, 0x1c0 },
	{ VEL2_HFGITR_EL2, "HFGITR_EL2", 3, 4, 1, 1, 6, 0x1c8 },
	{ VEL2_HDFGRTR_EL2, "HDFGRTR_EL2", 3, 4, 3, 1, 4, 0x1d0 },
	{ VEL2_HDFGWTR_EL2, "HDFGWTR_EL2", 3, 4, 3, 1, 5, 0x1d8 },
	{ VEL2_HAFGRTR_EL2, "HAFGRTR_EL2", 3, 4, 3, 1, 6, 0x1e8 },
	{ VEL2_TTBR0_EL2, "TTBR0_EL2", 3, 4, 2, 0, 0, 0 },
	{ VEL2_TTBR1_EL2, "TTBR1_EL2", 3, 4, 2, 0, 1, 0 },
	{ VEL2_TCR_EL2, "TCR_EL2", 3, 4, 2, 0, 2, 0 },
	{ VEL2_VTTBR_EL2, "VTTBR_EL2", 3, 4, 2, 1, 0, 0x20 },
	{ VEL2_VTCR_EL2, "VTCR_EL2", 3, 4, 2, 1, 2, 0x40 },
	{ VEL2_VNCR_EL2, "VNCR_EL2", 3, 4, 2, 2, 0, 0xb0 },
	{ VEL2_SPSR_EL2, "SPSR_EL2", 3, 4, 4, 0, 0, 0 },
	{ VEL2_ELR_EL2, "ELR_EL2", 3, 4, 4, 0, 1, 0 },
	{ VEL2_SP_EL1, "SP_EL1", 3, 4, 4, 1, 0, 0x240 },
	{ VEL2_AFSR0_EL2, "AFSR0_EL2", 3, 4, 5, 1, 0, 0 },
	{ VEL2_AFSR1_EL2, "AFSR1_EL2", 3, 4, 5, 1, 1, 0 },
	{ VEL2_ESR_EL2, "ESR_EL2", 3, 4, 5, 2, 0, 0 },
	{ VEL2_FAR_EL2, "FAR_EL2", 3, 4, 6, 0, 0, 0 },
	{ VEL2_HPFAR_EL2, "HPFAR_EL2", 3, 4, 6, 0, 4, 0 },
	{ VEL2_MAIR_EL2, "MAIR_EL2", 3, 4, 10, 2, 0, 0 },
	{ VEL2_AMAIR_EL2, "AMAIR_EL2", 3, 4, 10, 3, 0, 0 },
	{ VEL2_VBAR_EL2, "VBAR_EL2", 3, 4, 12, 0, 0, 0 },
	{ VEL2_CONTEXTIDR_EL2, "CONTEXTIDR_EL2", 3, 4, 13, 0, 1, 0 },
	{ VEL2_TPIDR_EL2, "TPIDR_EL2", 3, 4, 13, 0, 2, 0x90 },
	{ VEL2_CNTVOFF_EL2, "CNTVOFF_EL2", 3, 4, 14, 0, 3, 0x60 },
	{ VEL2_CNTHCTL_EL2, "CNTHCTL_EL2", 3, 4, 14, 1, 0, 0 },
	{ VEL2_CNTHP_CTL_EL2, "CNTHP_CTL_EL2", 3, 4, 14, 2, 1, 0 },
	{ VEL2_CNTHP_CVAL_EL2, "CNTHP_CVAL_EL2", 3, 4, 14, 2, 2, 0 },
	{ VEL2_CNTHP_TVAL_EL2, "CNTHP_TVAL_EL2", 3, 4, 14, 2, 0, 0 },
	{ VEL2_CNTHV_CTL_EL2, "CNTHV_CTL_EL2", 3, 4, 14, 3, 1, 0 },
	{ VEL2_CNTHV_CVAL_EL2, "CNTHV_CVAL_EL2", 3, 4, 14, 3, 2, 0 },
	{ VEL2_CNTHV_TVAL_EL2, "CNTHV_TVAL_EL2", 3, 4, 14, 3, 0, 0 },
	{ VEL2_ICC_SRE_EL2, "ICC_SRE_EL2", 3, 4, 12, 9, 5, 0 },
	{ VEL2_ICH_HCR_EL2, "ICH_HCR_EL2", 3, 4, 12, 11, 0, 0x4c0 },
	{ VEL2_ICH_VTR_EL2, "ICH_VTR_EL2", 3, 4, 12, 11, 1, 0 },
	{ VEL2_ICH_MISR_EL2, "ICH_MISR_EL2", 3, 4, 12, 11, 2, 0 },
	{ VEL2_ICH_EISR_EL2, "ICH_EISR_EL2", 3, 4, 12, 11, 3, 0 },
	{ VEL2_ICH_ELRSR_EL2, "ICH_ELRSR_EL2", 3, 4, 12, 11, 5, 0 },
	{ VEL2_ICH_VMCR_EL2, "ICH_VMCR_EL2", 3, 4, 12, 11, 7, 0x4c8 },
	{ VEL2_ICH_AP0R0_EL2, "ICH_AP0R0_EL2", 3, 4, 12, 8, 0, 0x480 },
	{ VEL2_ICH_AP0R1_EL2, "ICH_AP0R1_EL2", 3, 4, 12, 8, 1, 0x488 },
	{ VEL2_ICH_AP0R2_EL2, "ICH_AP0R2_EL2", 3, 4, 12, 8, 2, 0x490 },
	{ VEL2_ICH_AP0R3_EL2, "ICH_AP0R3_EL2", 3, 4, 12, 8, 3, 0x498 },
	{ VEL2_ICH_AP1R0_EL2, "ICH_AP1R0_EL2", 3, 4, 12, 9, 0, 0x4a0 },
	{ VEL2_ICH_AP1R1_EL2, "ICH_AP1R1_EL2", 3, 4, 12, 9, 1, 0x4a8 },
	{ VEL2_ICH_AP1R2_EL2, "ICH_AP1R2_EL2", 3, 4, 12, 9, 2, 0x4b0 },
	{ VEL2_ICH_AP1R3_EL2, "ICH_AP1R3_EL2", 3, 4, 12, 9, 3, 0x4b8 },
	{ VEL2_ICH_LR0_EL2, "ICH_LR0_EL2", 3, 4, 12, 12, 0, 0x400 },
	{ VEL2_ICH_LR1_EL2, "ICH_LR1_EL2", 3, 4, 12, 12, 1, 0x408 },
	{ VEL2_ICH_LR2_EL2, "ICH_LR2_EL2", 3, 4, 12, 12, 2, 0x410 },
	{ VEL2_ICH_LR3_EL2, "ICH_LR3_EL2", 3, 4, 12, 12, 3, 0x418 },
	{ VEL2_ICH_LR4_EL2, "ICH_LR4_EL2", 3, 4, 12, 12, 4, 0x420 },
	{ VEL2_ICH_LR5_EL2, "ICH_LR5_EL2", 3, 4, 12, 12, 5, 0x428 },
	{ VEL2_ICH_LR6_EL2, "ICH_LR6_EL2", 3, 4, 12, 12, 6, 0x430 },
	{ VEL2_ICH_LR7_EL2, "ICH_LR7_EL2", 3, 4, 12, 12, 7, 0x438 },
	{ VEL2_ICH_LR8_EL2, "ICH_LR8_EL2", 3, 4, 12, 13, 0, 0x440 },
	{ VEL2_ICH_LR9_EL2, "ICH_LR9_EL2", 3, 4, 12, 13, 1, 0x448 },
	{ VEL2_ICH_LR10_EL2, "ICH_LR10_EL2", 3, 4, 12, 13, 2, 0x450 },
	{ VEL2_ICH_LR11_EL2, "ICH_LR11_EL2", 3, 4, 12, 13, 3, 0x458 },
	{ VEL2_ICH_LR12_EL2, "ICH_LR12_EL2", 3, 4, 12, 13, 4, 0x460 },
	{ VEL2_ICH_LR13_EL2, "ICH_LR13_EL2", 3, 4, 12, 13, 5, 0x468 },
	{ VEL2_ICH_LR14_EL2, "ICH_LR14_EL2", 3, 4, 12, 13, 6, 0x470 },
	{ VEL2_ICH_LR15_EL2, "ICH_LR15_EL2", 3, 4, 12, 13, 7, 0x478 },
	{ VEL2_SCTLR_EL1, "SCTLR_EL1", 3, 0, 1, 0, 0, 0x110 },
	{ VEL2_ACTLR_EL1, "ACTLR_EL1", 3, 0, 1, 0, 1, 0x118 },
	{ VEL2_CPACR_EL1, "CPACR_EL1", 3, 0, 1, 0, 2, 0x100 },
	{ VEL2_TTBR0_EL1, "TTBR0_EL1", 3, 0, 2, 0, 0, 0x200 },
	{ VEL2_TTBR1_EL1, "TTBR1_EL1", 3, 0, 2, 0, 1, 0x210 },
	{ VEL2_TCR_EL1, "TCR_EL1", 3, 0, 2, 0, 2, 0x120 },
	{ VEL2_ESR_EL1, "ESR_EL1", 3, 0, 5, 2, 0, 0x138 },
	{ VEL2_FAR_EL1, "FAR_EL1", 3, 0, 6, 0, 0, 0x220 },
	{ VEL2_AFSR0_EL1, "AFSR0_EL1", 3, 0, 5, 1, 0, 0x128 },
	{ VEL2_AFSR1_EL1, "AFSR1_EL1", 3, 0, 5, 1, 1, 0x130 },
	{ VEL2_MAIR_EL1, "MAIR_EL1", 3, 0, 10, 2, 0, 0x140 },
	{ VEL2_AMAIR_EL1, "AMAIR_EL1", 3, 0, 10, 3, 0, 0x148 },
	{ VEL2_CONTEXTIDR_EL1, "CONTEXTIDR_EL1", 3, 0, 13, 0, 1, 0x108 },
	{ VEL2_VBAR_EL1, "VBAR_EL1", 3, 0, 12, 0, 0, 0x250 },
	{ VEL2_ELR_EL1, "ELR_EL1", 3, 0, 4, 0, 1, 0x230 },
	{ VEL2_SPSR_EL1, "SPSR_EL1", 3, 0, 4, 0, 0, 0x160 },
	{ VEL2_MDSCR_EL1, "MDSCR_EL1", 2, 0, 0, 2, 2, 0x158 },
	{ VEL2_CNTV_CTL_EL0, "CNTV_CTL_EL0", 3, 3, 14, 3, 1, 0x170 },
	{ VEL2_CNTV_CVAL_EL0, "CNTV_CVAL_EL0", 3, 3, 14, 3, 2, 0x168 },
	{ VEL2_CNTP_CTL_EL0, "CNTP_CTL_EL0", 3, 3, 14, 2, 1, 0x180 },
	{ VEL2_CNTP_CVAL_EL0, "CNTP_CVAL_EL0", 3, 3, 14, 2, 2, 0x178 },
	{ VEL2_CNTKCTL_EL1, "CNTKCTL_EL1", 3, 0, 14, 1, 0, 0 },
};

/* The _EL12/_EL02 accessors: op1 5, the EL1/EL0 register's CRn, CRm, op2. */
struct expect_alias {
	enum vel2_alias id;
	const char *name;
	unsigned crn, crm, op2;
	enum vel2_reg target;
	bool tval;
};

static const struct expect_alias expected_alias[] = {
	{ VEL2_SCTLR_EL12, "SCTLR_EL12", 1, 0, 0, VEL2_SCTLR_EL1, false },
	{ VEL2_CPACR_EL12, "CPACR_EL12", 1, 0, 2, VEL2_CPACR_EL1, false },
	{ VEL2_TTBR0_EL12, "TTBR0_EL12", 2, 0, 0, VEL2_TTBR0_EL1, false },
	{ VEL2_TTBR1_EL12, "TTBR1_EL12", 2, 0, 1, VEL2_TTBR1_EL1, false },
	{ VEL2_TCR_EL12, "TCR_EL12", 2, 0, 2, VEL2_TCR_EL1, false },
	{ VEL2_ESR_EL12, "ESR_EL12", 5, 2, 0, VEL2_ESR_EL1, false },
	{ VEL2_AFSR0_EL12, "AFSR0_EL12", 5, 1, 0, VEL2_AFSR0_EL1, false },
	{ VEL2_AFSR1_EL12, "AFSR1_EL12", 5, 1, 1, VEL2_AFSR1_EL1, false },
	{ VEL2_FAR_EL12, "FAR_EL12", 6, 0, 0, VEL2_FAR_EL1, false },
	{ VEL2_MAIR_EL12, "MAIR_EL12", 10, 2, 0, VEL2_MAIR_EL1, false },
	{ VEL2_AMAIR_EL12, "AMAIR_EL12", 10, 3, 0, VEL2_AMAIR_EL1, false },
	{ VEL2_VBAR_EL12, "VBAR_EL12", 12, 0, 0, VEL2_VBAR_EL1, false },
	{ VEL2_CONTEXTIDR_EL12, "CONTEXTIDR_EL12", 13, 0, 1, VEL2_CONTEXTIDR_EL1, false },
	{ VEL2_ELR_EL12, "ELR_EL12", 4, 0, 1, VEL2_ELR_EL1, false },
	{ VEL2_SPSR_EL12, "SPSR_EL12", 4, 0, 0, VEL2_SPSR_EL1, false },
	{ VEL2_CNTKCTL_EL12, "CNTKCTL_EL12", 14, 1, 0, VEL2_CNTKCTL_EL1, false },
	{ VEL2_CNTP_CTL_EL02, "CNTP_CTL_EL02", 14, 2, 1, VEL2_CNTP_CTL_EL0, false },
	{ VEL2_CNTP_CVAL_EL02, "CNTP_CVAL_EL02", 14, 2, 2, VEL2_CNTP_CVAL_EL0, false },
	{ VEL2_CNTP_TVAL_EL02, "CNTP_TVAL_EL02", 14, 2, 0, VEL2_CNTP_CVAL_EL0, true },
	{ VEL2_CNTV_CTL_EL02, "CNTV_CTL_EL02", 14, 3, 1, VEL2_CNTV_CTL_EL0, false },
	{ VEL2_CNTV_CVAL_EL02, "CNTV_CVAL_EL02", 14, 3, 2, VEL2_CNTV_CVAL_EL0, false },
	{ VEL2_CNTV_TVAL_EL02, "CNTV_TVAL_EL02", 14, 3, 0, VEL2_CNTV_CVAL_EL0, true },
};

static const struct vel2_reg_desc *row(enum vel2_reg r)
{
	const struct vel2_reg_desc *d = vel2_reg_by_index(r);

	assert_non_null(d);
	return d;
}

static const struct vel2_features no_features;
static const struct vel2_features all_features = { .vhe = true, .nv2 = true, .fgt = true, .hcx = true };

/* pack() and SYSREG_ENC against 16-bit encodings listed in the Arm ARM's
 * encoding index (as hexadecimal). */
static void test_pack_literals(void **state)
{
	(void)state;
	assert_int_equal(pack(3, 4, 1, 1, 0), 0xe088);    /* HCR_EL2 */
	assert_int_equal(pack(3, 4, 4, 1, 0), 0xe208);    /* SP_EL1 */
	assert_int_equal(pack(3, 4, 12, 11, 5), 0xe65d);  /* ICH_ELRSR_EL2 */
	assert_int_equal(pack(3, 4, 14, 3, 2), 0xe71a);   /* CNTHV_CVAL_EL2 */
	assert_int_equal(pack(3, 0, 1, 0, 0), 0xc080);    /* SCTLR_EL1 */
	assert_int_equal(pack(2, 0, 0, 2, 2), 0x8012);    /* MDSCR_EL1 */
	assert_int_equal(SYSREG_ENC(3, 4, 12, 12, 0), 0xe660); /* ICH_LR0_EL2 */
	assert_int_equal(row(VEL2_HCR_EL2)->enc, 0xe088);
	assert_int_equal(row(VEL2_VNCR_EL2)->enc, 0xe110);
}

static void test_every_row_encoding_and_name(void **state)
{
	unsigned seen[VEL2_NR_REGS] = { 0 };

	(void)state;
	assert_int_equal(ARRAY_SIZE(expected), VEL2_NR_REGS);
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
		const struct expect *e = &expected[i];
		const struct vel2_reg_desc *d = row(e->id);

		seen[e->id]++;
		assert_string_equal(d->name, e->name);
		assert_int_equal(d->enc,
				 pack(e->op0, e->op1, e->crn, e->crm, e->op2));
		assert_string_equal(vel2_reg_name(e->id), e->name);
	}
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		assert_int_equal(seen[i], 1);
}

static void test_no_duplicate_encodings(void **state)
{
	(void)state;
	for (size_t i = 0; i < VEL2_NR_REGS; i++) {
		const struct vel2_reg_desc *a = row((enum vel2_reg)i);

		assert_non_null(a->name);
		assert_true(a->enc != 0);
		for (size_t j = i + 1; j < VEL2_NR_REGS; j++)
			assert_int_not_equal(a->enc,
					     row((enum vel2_reg)j)->enc);
	}
}

static void test_vncr_offsets(void **state)
{
	unsigned in_page = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
		assert_int_equal(vel2_reg_vncr_offset(expected[i].id),
				 expected[i].vncr);
	for (size_t i = 0; i < VEL2_NR_REGS; i++) {
		u32 off = vel2_reg_vncr_offset((enum vel2_reg)i);

		if (!off)
			continue;
		in_page++;
		assert_int_equal(off % 8, 0);
		assert_true(off + 8 <= 4096);
		for (size_t j = i + 1; j < VEL2_NR_REGS; j++)
			assert_int_not_equal(off, vel2_reg_vncr_offset(
							  (enum vel2_reg)j));
	}
	/* 10 EL2 control registers, 6 FGT, 2 ICH control, 8 APR, 16 LR,
	 * SP_EL1 and the 21 EL1/EL0 rows. */
	assert_int_equal(in_page, 10 + 6 + 2 + 8 + 16 + 1 + 21);
}

static void test_lookup_round_trips(void **state)
{
	(void)state;
	for (size_t i = 0; i < VEL2_NR_REGS; i++) {
		const struct vel2_reg_desc *d = row((enum vel2_reg)i);
		const struct vel2_reg_desc *found = vel2_reg_by_enc(d->enc);

		assert_ptr_equal(found, d);
		assert_int_equal(vel2_reg_index(found), i);
		assert_string_equal(found->name, vel2_reg_name((enum vel2_reg)i));
	}
	assert_int_equal(vel2_reg_index(vel2_reg_by_enc(pack(3, 4, 12, 13, 7))),
			 VEL2_ICH_LR15_EL2);
	assert_int_equal(vel2_reg_index(vel2_reg_by_enc(pack(3, 4, 2, 2, 0))),
			 VEL2_VNCR_EL2);
}

static void test_unknown_encodings(void **state)
{
	(void)state;
	assert_null(vel2_reg_by_enc(pack(3, 0, 0, 0, 0)));    /* MIDR_EL1 */
	assert_null(vel2_reg_by_enc(pack(3, 6, 1, 0, 0)));    /* SCTLR_EL3 */
	assert_null(vel2_reg_by_enc(pack(3, 6, 4, 1, 0)));    /* SP_EL2 */
	assert_null(vel2_reg_by_enc(pack(3, 5, 1, 0, 0)));    /* SCTLR_EL12 */
	assert_null(vel2_reg_by_enc(pack(3, 4, 5, 2, 3)));    /* VSESR_EL2 */
	assert_null(vel2_reg_by_enc(pack(3, 4, 12, 1, 1)));   /* VDISR_EL2 */
	assert_null(vel2_reg_by_enc(pack(3, 4, 12, 11, 4)));  /* hole in ICH */
	assert_null(vel2_reg_by_enc(pack(3, 4, 12, 9, 4)));   /* ICH_VSEIR_EL2 */
	assert_null(vel2_reg_by_enc(pack(3, 0, 13, 0, 4)));   /* TPIDR_EL1 */
	assert_null(vel2_reg_by_enc(0));
	assert_null(vel2_reg_by_enc(0xffffffffu));
}

static void test_bad_index(void **state)
{
	(void)state;
	assert_null(vel2_reg_by_index(VEL2_NR_REGS));
	assert_null(vel2_reg_by_index((enum vel2_reg)-1));
	assert_null(vel2_reg_name(VEL2_NR_REGS));
	assert_int_equal(vel2_reg_vncr_offset(VEL2_NR_REGS), 0);
	assert_false(vel2_reg_exists(VEL2_NR_REGS, &all_features));
	assert_int_equal(vel2_reg_sanitise(VEL2_NR_REGS, 0x1234, NULL), 0x1234);
}

static void test_read_only_rows(void **state)
{
	static const enum vel2_reg ro[] = {
		VEL2_ICH_VTR_EL2, VEL2_ICH_MISR_EL2, VEL2_ICH_EISR_EL2,
		VEL2_ICH_ELRSR_EL2,
	};
	unsigned n = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ro); i++)
		assert_true(row(ro[i])->flags & VEL2_RO);
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		if (row((enum vel2_reg)i)->flags & VEL2_RO)
			n++;
	assert_int_equal(n, ARRAY_SIZE(ro));
	assert_false(row(VEL2_ICH_HCR_EL2)->flags & VEL2_RO);
	assert_false(row(VEL2_ICH_VMCR_EL2)->flags & VEL2_RO);
}

static void test_feature_rows(void **state)
{
	static const struct {
		enum vel2_reg r;
		u32 flag;
	} feat[] = {
		{ VEL2_TTBR1_EL2, VEL2_VHE },      { VEL2_CONTEXTIDR_EL2, VEL2_VHE },
		{ VEL2_CNTHV_CTL_EL2, VEL2_VHE },  { VEL2_CNTHV_CVAL_EL2, VEL2_VHE },
		{ VEL2_CNTHV_TVAL_EL2, VEL2_VHE }, { VEL2_VNCR_EL2, VEL2_NV2 },
		{ VEL2_HFGRTR_EL2, VEL2_FGT },     { VEL2_HFGWTR_EL2, VEL2_FGT },
		{ VEL2_HFGITR_EL2, VEL2_FGT },     { VEL2_HDFGRTR_EL2, VEL2_FGT },
		{ VEL2_HDFGWTR_EL2, VEL2_FGT },    { VEL2_HAFGRTR_EL2, VEL2_FGT },
		{ VEL2_HCRX_EL2, VEL2_HCX },
	};
	struct vel2_features only;
	unsigned n = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(feat); i++) {
		enum vel2_reg r = feat[i].r;

		assert_int_equal(row(r)->flags & VEL2_FEATURES, feat[i].flag);
		assert_false(vel2_reg_exists(r, &no_features));
		assert_false(vel2_reg_exists(r, NULL));
		assert_true(vel2_reg_exists(r, &all_features));
		memset(&only, 0, sizeof(only));
		only.vhe = feat[i].flag == VEL2_VHE;
		only.nv2 = feat[i].flag == VEL2_NV2;
		only.fgt = feat[i].flag == VEL2_FGT;
		only.hcx = feat[i].flag == VEL2_HCX;
		assert_true(vel2_reg_exists(r, &only));
	}
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		if (row((enum vel2_reg)i)->flags & VEL2_FEATURES)
			n++;
	assert_int_equal(n, ARRAY_SIZE(feat));
	/* The rest exist whatever is offered. */
	assert_true(vel2_reg_exists(VEL2_HCR_EL2, NULL));
	assert_true(vel2_reg_exists(VEL2_TTBR0_EL2, &no_features));
	assert_true(vel2_reg_exists(VEL2_ICH_LR15_EL2, &no_features));
	assert_true(vel2_reg_exists(VEL2_SCTLR_EL1, &no_features));
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* VEL2_EL1 marks exactly the EL1/EL0 rows; all of them live in the VNCR
 * page and have no masks. */
static void test_el1_rows(void **state)
{
	unsigned n = 0;

	(void)state;
	for (size_t i = 0; i < VEL2_NR_REGS; i++) {
		const struct vel2_reg_desc *d = row((enum vel2_reg)i);
		bool el1 = ends_with(d->name, "_EL1") || ends_with(d->name, "_EL0");

		assert_int_equal(!!(d->flags & VEL2_EL1), el1);
		if (!el1)
			continue;
		n++;
		/* CNTKCTL_EL1 alone has no VNCR offset (vncr_mapping.h). */
		assert_int_equal(d->vncr != 0, i != VEL2_CNTKCTL_EL1);
		assert_int_equal(d->res0, 0);
		assert_int_equal(d->res1, 0);
	}
	assert_int_equal(n, 23); /* 22 with EL1/EL0 encodings, and SP_EL1 */
}

static void test_e2h_and_tval_flags(void **state)
{
	static const enum vel2_reg e2h[] = {
		VEL2_SCTLR_EL2, VEL2_CPTR_EL2, VEL2_TCR_EL2, VEL2_TTBR0_EL2,
		VEL2_CNTHCTL_EL2,
	};
	unsigned n = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(e2h); i++)
		assert_true(row(e2h[i])->flags & VEL2_E2H);
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		if (row((enum vel2_reg)i)->flags & VEL2_E2H)
			n++;
	assert_int_equal(n, ARRAY_SIZE(e2h));
	assert_true(row(VEL2_CNTHP_TVAL_EL2)->flags & VEL2_TVAL);
	assert_true(row(VEL2_CNTHV_TVAL_EL2)->flags & VEL2_TVAL);
	assert_false(row(VEL2_CNTHP_CVAL_EL2)->flags & VEL2_TVAL);
}

static void test_masks_consistent(void **state)
{
	(void)state;
	for (size_t i = 0; i < VEL2_NR_REGS; i++) {
		enum vel2_reg r = (enum vel2_reg)i;
		const struct vel2_reg_desc *d = row(r);

		assert_int_equal(d->res0 & d->res1, 0);
		assert_int_equal(d->res0_e2h & d->res1_e2h, 0);
		/* Only the rows whose layout E2H changes have masks of their own. */
		if (!(d->flags & VEL2_E2H)) {
			assert_int_equal(d->res0_e2h, d->res0);
			assert_int_equal(d->res1_e2h, d->res1);
		}
		assert_int_equal(d->reset & d->res0, 0);
		assert_int_equal(d->reset & d->res1, d->res1);
		assert_int_equal(vel2_reg_sanitise(r, d->reset, &all_features),
				 d->reset);
	}
}

static void test_sanitise_sctlr_el2(void **state)
{
	const u64 res1 = 0x30c50830;
	const u64 fields = B(0) | B(1) | B(2) | B(3) | B(6) | B(12) | B(13) |
			   B(19) | B(21) | B(25) | B(27) | B(30) | B(31) |
			   B(36) | B(37) | B(40) | B(41) | B(43) | B(44);
	const u64 res0 = B(7) | B(8) | B(9) | B(10) | B(14) | B(15) | B(17) |
			 B(20) | B(24) | B(26) | B(32) | B(42) | B(63);
	u64 v;

	(void)state;
	assert_int_equal(row(VEL2_SCTLR_EL2)->res1, res1);
	assert_int_equal(vel2_reg_sanitise(VEL2_SCTLR_EL2, 0, NULL), res1);
	v = vel2_reg_sanitise(VEL2_SCTLR_EL2, fields | res0, NULL);
	assert_int_equal(v, fields | res1);
	assert_int_equal(vel2_reg_sanitise(VEL2_SCTLR_EL2, ~(u64)0, NULL) & res0, 0);
}

static void test_sanitise_res1(void **state)
{
	(void)state;
	/* CPTR_EL2 (E2H = 0): bits 13, 9 and 7:0 RES1; TFP, TTA, TAM,
	 * TCPAC, TSM, TZ are fields. */
	assert_int_equal(vel2_reg_sanitise(VEL2_CPTR_EL2, 0, NULL), 0x22ff);
	assert_int_equal(vel2_reg_sanitise(VEL2_CPTR_EL2,
					   B(10) | B(12) | B(20) | B(30) | B(31),
					   NULL),
			 0x22ff | B(10) | B(12) | B(20) | B(30) | B(31));
	assert_int_equal(vel2_reg_sanitise(VEL2_CPTR_EL2, B(11) | B(32), NULL),
			 0x22ff);
	/* TCR_EL2 (E2H = 0): bits 31 and 23. */
	assert_int_equal(vel2_reg_sanitise(VEL2_TCR_EL2, 0, NULL), 0x80800000);
	/* VTCR_EL2: bit 31. */
	assert_int_equal(vel2_reg_sanitise(VEL2_VTCR_EL2, 0, NULL), B(31));
	/* VMPIDR_EL2: bit 31, as in MPIDR_EL1. */
	assert_int_equal(vel2_reg_sanitise(VEL2_VMPIDR_EL2, 0x0103, NULL),
			 B(31) | 0x0103);
}

static void test_sanitise_res0(void **state)
{
	(void)state;
	/* VNCR_EL2: BADDR is 4 KiB aligned, bits 11:0 RES0. */
	assert_int_equal(vel2_reg_sanitise(VEL2_VNCR_EL2, 0x40001fffULL, NULL),
			 0x40001000ULL);
	/* VBAR_EL2: bits 10:0. */
	assert_int_equal(vel2_reg_sanitise(VEL2_VBAR_EL2, 0x80000fffULL, NULL),
			 0x80000800ULL);
	/* ESR_EL2: bits 63:56; ISS2 (55:32) kept. */
	assert_int_equal(vel2_reg_sanitise(VEL2_ESR_EL2, ~(u64)0, NULL),
			 ~(u64)0 >> 8);
	/* ICH_LR<n>_EL2: 58:56 and 47:45; State, HW, Group, Priority,
	 * pINTID, vINTID kept. */
	assert_int_equal(vel2_reg_sanitise(VEL2_ICH_LR7_EL2, ~(u64)0, NULL),
			 ~(B(58) | B(57) | B(56) | B(47) | B(46) | B(45)));
	/* ICH_HCR_EL2: EOIcount (31:27) and bits 15:10, 8:0 kept. */
	assert_int_equal(vel2_reg_sanitise(VEL2_ICH_HCR_EL2, ~(u64)0, NULL),
			 0xf800fdffULL);
	/* ICH_VMCR_EL2: VPMR, VBPR0, VBPR1, VEOIM, VCBPR..VENG0. */
	assert_int_equal(vel2_reg_sanitise(VEL2_ICH_VMCR_EL2, ~(u64)0, NULL),
			 0xfffc021fULL);
	/* ICH_AP1R2_EL2: 32 priority bits. */
	assert_int_equal(vel2_reg_sanitise(VEL2_ICH_AP1R2_EL2, ~(u64)0, NULL),
			 0xffffffffULL);
	/* CNTHCTL_EL2 (E2H = 0): 11:8 and 63:20. */
	assert_int_equal(vel2_reg_sanitise(VEL2_CNTHCTL_EL2, ~(u64)0, NULL),
			 0xff0ffULL);
	/* Registers without masks keep everything. */
	assert_int_equal(vel2_reg_sanitise(VEL2_ELR_EL2, ~(u64)0, NULL), ~(u64)0);
	assert_int_equal(vel2_reg_sanitise(VEL2_SCTLR_EL1, ~(u64)0, NULL),
			 ~(u64)0);
}

static void test_hcr_e2h(void **state)
{
	const u64 e2h = B(34), rw = B(31), vm = B(0), res0 = B(39);
	struct vel2_features vhe = { .vhe = true };
	struct vel2_features nv2_only = { .nv2 = true, .fgt = true, .hcx = true };

	(void)state;
	/* VHE not offered: E2H reads 0, whatever else is offered. */
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, e2h | vm, NULL), rw | vm);
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, e2h | vm, &no_features),
			 rw | vm);
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, e2h | vm, &nv2_only),
			 rw | vm);
	/* Offered: kept. */
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, e2h | vm, &vhe),
			 e2h | rw | vm);
	/* Every other field survives; bit 39 is RES0, RW RES1. */
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, ~(u64)0, NULL),
			 ~(res0 | e2h));
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, ~(u64)0, &vhe), ~res0);
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, 0, NULL), rw);
	/* Only HCR_EL2 bit 34 is touched: the same bit elsewhere is not E2H. */
	assert_int_equal(vel2_reg_sanitise(VEL2_VTTBR_EL2, e2h, NULL), e2h);
}

/* VHE without FEAT_E2H0 (ID_AA64MMFR4_EL1.E2H0 negative): E2H is RES1. */
static void test_hcr_e2h_res1(void **state)
{
	const u64 e2h = B(34), rw = B(31), tge = B(27);
	struct vel2_features res1 = { .vhe = true, .e2h_res1 = true };

	(void)state;
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, 0, &res1), e2h | rw);
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, tge, &res1), e2h | rw | tge);
	/* Without VHE e2h_res1 means nothing: E2H is RES0 then. */
	res1.vhe = false;
	assert_int_equal(vel2_reg_sanitise(VEL2_HCR_EL2, e2h, &res1), rw);
}

/*
 * L1's E2H = 1 CPTR_EL2 and CNTHCTL_EL2 as the E2H = 0 controls they are
 * for L2 (TGE 0): FPEN/ZEN/SMEN with bit 0 clear trap (0b00, 0b10), with
 * it set not (0b01 traps EL0 under TGE 1 only, 0b11 nothing); TTA moves
 * from 28 to 20; TAM and TCPAC stay. CNTHCTL_EL2's EL1PCTEN/EL1PCEN move
 * from 10/11 to 0/1, the EL0 controls go, the event stream and bits from
 * 12 up stay. With e2h false both are returned as they are.
 */
static void test_e2h0_views(void **state)
{
	const u64 fpen = (u64)3 << 20, zen = (u64)3 << 16, smen = (u64)3 << 24;
	const u64 tfp = B(10), tz = B(8), tsm = B(12), tta0 = B(20), tta1 = B(28);
	const u64 tam = B(30), tcpac = B(31);

	(void)state;
	assert_int_equal(vel2_cptr_e2h0(0, true), tfp | tz | tsm);
	assert_int_equal(vel2_cptr_e2h0(fpen | zen | smen, true), 0);
	assert_int_equal(vel2_cptr_e2h0((u64)1 << 20 | zen | smen, true), 0);   /* FPEN 0b01 */
	assert_int_equal(vel2_cptr_e2h0((u64)2 << 20 | zen | smen, true), tfp); /* FPEN 0b10 */
	assert_int_equal(vel2_cptr_e2h0(fpen | zen | smen | tta1 | tam | tcpac, true),
			 tta0 | tam | tcpac);
	assert_int_equal(vel2_cptr_e2h0(tfp | tta0, false), tfp | tta0);
	/* CNTHCTL_EL2: EL0PCTEN, EL0VCTEN, EL0VTEN, EL0PTEN dropped; EL1PCTEN/EL1PCEN moved. */
	assert_int_equal(vel2_cnthctl_e2h0(B(0) | B(1) | B(8) | B(9), true), 0);
	assert_int_equal(vel2_cnthctl_e2h0(B(10), true), B(0));
	assert_int_equal(vel2_cnthctl_e2h0(B(11), true), B(1));
	assert_int_equal(vel2_cnthctl_e2h0(B(2) | B(3) | ((u64)0xa << 4) | B(13) | B(14) | B(17), true),
			 B(2) | B(3) | ((u64)0xa << 4) | B(13) | B(14) | B(17));
	assert_int_equal(vel2_cnthctl_e2h0(B(0) | B(1), false), B(0) | B(1));
}

static u64 page[VEL2_VNCR_PAGE / 8];
/*
 * The E2H = 1 layouts (Arm ARM field lists of each register with E2H = 1;
 * for SCTLR_EL2, TCR_EL2 and CPTR_EL2 those of SCTLR_EL1, TCR_EL1 and
 * CPACR_EL1, whose layouts they take).
 */
static const struct vel2_features vhe = { .vhe = true };

static u64 sanitise_vhe(enum vel2_reg r, u64 val)
{
	return vel2_reg_sanitise_e2h(r, val, &vhe, true);
}

static void test_sanitise_e2h_tcr(void **state)
{
	/* T0SZ 25, TG0 4K, T1SZ 25, A1, EPD1, IRGN1/ORGN1/SH1, TG1 4K (0b10), IPS 0b101 */
	const u64 host = 25 | ((u64)25 << 16) | B(22) | B(23) | B(24) | B(26) |
			 ((u64)3 << 28) | B(31) | ((u64)5 << 32);
	const u64 res0 = B(6) | B(35) | B(62) | B(63);

	(void)state;
	assert_int_equal(sanitise_vhe(VEL2_TCR_EL2, host), host);
	assert_int_equal(sanitise_vhe(VEL2_TCR_EL2, 0), 0); /* no RES1 */
	assert_int_equal(sanitise_vhe(VEL2_TCR_EL2, ~(u64)0), ~res0);
	/* TBI1, HPD1, HWU1xx, TBID1, E0PD1, TCMA1, MTX1, DS are fields. */
	assert_int_equal(sanitise_vhe(VEL2_TCR_EL2, B(38) | B(42) | B(52) | B(56) |
							     B(58) | B(59) | B(61)),
			 B(38) | B(42) | B(52) | B(56) | B(58) | B(59) | B(61));
	/* The E2H = 0 masks would set EPD1 and TG1[1] and clear bit 7 (EPD0). */
	assert_int_equal(vel2_reg_sanitise(VEL2_TCR_EL2, 0, &vhe), B(31) | B(23));
	assert_int_equal(vel2_reg_sanitise(VEL2_TCR_EL2, B(7), &vhe) & B(7), 0);
	assert_int_equal(sanitise_vhe(VEL2_TCR_EL2, B(7) | B(19)), B(7) | B(19));
}

static void test_sanitise_e2h_cptr(void **state)
{
	/* ZEN [17:16], FPEN [21:20], SMEN [25:24], TTA 28, E0POE 29, TAM 30, TCPAC 31 */
	const u64 fields = ((u64)3 << 16) | ((u64)3 << 20) | ((u64)3 << 24) |
			   B(28) | B(29) | B(30) | B(31);

	(void)state;
	assert_int_equal(sanitise_vhe(VEL2_CPTR_EL2, 0), 0); /* no RES1 */
	assert_int_equal(sanitise_vhe(VEL2_CPTR_EL2, ~(u64)0), fields);
	/* FPEN 0b01 (EL0 trapped with TGE 1) and ZEN 0b01 kept as written. */
	assert_int_equal(sanitise_vhe(VEL2_CPTR_EL2, B(20) | B(16)), B(20) | B(16));
	/* Bits 15:0 (TFP, TZ and the RES1 bits of E2H = 0) read 0. */
	assert_int_equal(sanitise_vhe(VEL2_CPTR_EL2, 0xffff), 0);
	/* The E2H = 0 masks would set 0x22ff and drop FPEN, ZEN and SMEN. */
	assert_int_equal(vel2_reg_sanitise(VEL2_CPTR_EL2, (u64)3 << 20, &vhe),
			 0x22ff | B(20));
	assert_int_equal(vel2_reg_sanitise(VEL2_CPTR_EL2, ((u64)3 << 16) | ((u64)3 << 24), &vhe),
			 0x22ff);
}

static void test_sanitise_e2h_cnthctl_sctlr(void **state)
{
	/* SCTLR_EL2 with E2H = 1: bit 17 RES0, EOS and EIS RES1 (no FEAT_ExS). */
	const u64 sctlr_fields = B(4) | B(5) | B(7) | B(8) | B(9) | B(10) | B(14) |
				 B(15) | B(16) | B(18) | B(20) | B(23) | B(24) |
				 B(26) | B(28) | B(29) | B(32) | B(35) | B(63);

	(void)state;
	/* CNTHCTL_EL2: EL0VTEN, EL0PTEN, EL1PCTEN, EL1PCEN at 8 to 11; 63:20 RES0. */
	assert_int_equal(sanitise_vhe(VEL2_CNTHCTL_EL2, ~(u64)0), 0xfffffULL);
	assert_int_equal(sanitise_vhe(VEL2_CNTHCTL_EL2, 0xc03), 0xc03);
	assert_int_equal(sanitise_vhe(VEL2_CNTHCTL_EL2, 0), 0);
	assert_int_equal(vel2_reg_sanitise(VEL2_CNTHCTL_EL2, 0xc03, &vhe), 0x3);

	assert_int_equal(sanitise_vhe(VEL2_SCTLR_EL2, 0), B(11) | B(22));
	assert_int_equal(sanitise_vhe(VEL2_SCTLR_EL2, sctlr_fields),
			 sctlr_fields | B(11) | B(22));
	assert_int_equal(sanitise_vhe(VEL2_SCTLR_EL2, ~(u64)0), ~B(17));
	/* The E2H = 0 masks would clear UCI and DZE (RES0 in that layout). */
	assert_int_equal(vel2_reg_sanitise(VEL2_SCTLR_EL2, B(26) | B(14), &vhe) & (B(26) | B(14)), 0);
	/* TTBR0_EL2: ASID (63:48) and BADDR kept both ways. */
	assert_int_equal(sanitise_vhe(VEL2_TTBR0_EL2, ~(u64)0), ~(u64)0);
}

/* The E2H = 1 masks need both VHE offered and E2H set; other rows do not change. */
static void test_sanitise_e2h_selection(void **state)
{
	struct vel2_file f = { .vncr = page };

	(void)state;
	vel2_regs_reset(&f);
	assert_false(vel2_regs_e2h(&f, &vhe));
	vel2_set(&f, VEL2_HCR_EL2, vel2_get(&f, VEL2_HCR_EL2) | B(34));
	assert_true(vel2_regs_e2h(&f, &vhe));
	assert_true(vel2_regs_e2h(&f, &all_features));
	assert_false(vel2_regs_e2h(&f, NULL));
	assert_false(vel2_regs_e2h(&f, &no_features));
	/* e2h without VHE offered: the E2H = 0 masks. */
	assert_int_equal(vel2_reg_sanitise_e2h(VEL2_TCR_EL2, 0, NULL, true), B(31) | B(23));
	assert_int_equal(vel2_reg_sanitise_e2h(VEL2_TCR_EL2, 0, &no_features, true),
			 B(31) | B(23));
	assert_int_equal(vel2_reg_sanitise_e2h(VEL2_TCR_EL2, 0, &vhe, false), B(31) | B(23));
	for (size_t i = 0; i < VEL2_NR_REGS; i++) {
		enum vel2_reg r = (enum vel2_reg)i;

		if (row(r)->flags & VEL2_E2H)
			continue;
		assert_int_equal(sanitise_vhe(r, ~(u64)0), vel2_reg_sanitise(r, ~(u64)0, &vhe));
		assert_int_equal(sanitise_vhe(r, 0), vel2_reg_sanitise(r, 0, &vhe));
	}
	/* HCR_EL2.E2H itself: kept with VHE offered, cleared without. */
	assert_int_equal(vel2_reg_sanitise_e2h(VEL2_HCR_EL2, B(34), &vhe, true), B(34) | B(31));
	assert_int_equal(vel2_reg_sanitise_e2h(VEL2_HCR_EL2, B(34), NULL, true), B(31));
	assert_int_equal(vel2_reg_sanitise_e2h(VEL2_NR_REGS, 0x1234, &vhe, true), 0x1234);
}

static void test_alias_rows(void **state)
{
	unsigned seen[VEL2_NR_ALIASES] = { 0 };

	(void)state;
	assert_int_equal(ARRAY_SIZE(expected_alias), VEL2_NR_ALIASES);
	for (size_t i = 0; i < ARRAY_SIZE(expected_alias); i++) {
		const struct expect_alias *e = &expected_alias[i];
		const struct vel2_alias_desc *a = vel2_alias_by_index(e->id);
		u32 enc = pack(3, 5, e->crn, e->crm, e->op2);
		const struct vel2_reg_desc *t;

		assert_non_null(a);
		seen[e->id]++;
		assert_string_equal(a->name, e->name);
		assert_int_equal(a->enc, enc);
		assert_int_equal(a->target, e->target);
		assert_int_equal(!!(a->flags & VEL2_TVAL), e->tval);
		assert_ptr_equal(vel2_alias_by_enc(enc), a);
		/* Not a register of the file: UNDEFINED unless the caller maps it. */
		assert_null(vel2_reg_by_enc(enc));
		/* It reaches L2's register: op1 0 (EL1) or 3 (EL0), same CRn/CRm/op2. */
		t = row(a->target);
		assert_true(t->flags & VEL2_EL1);
		assert_int_equal(t->enc & ~(u32)(7 << 11 | 7), enc & ~(u32)(7 << 11 | 7));
		if (e->tval)
			assert_int_equal(t->enc & 7, 2); /* the timer's CVAL */
		else
			assert_int_equal(t->enc & 7, e->op2);
		/* The _EL02 ones reach EL0 registers (op1 3), the _EL12 ones EL1's. */
		assert_int_equal((t->enc >> 11) & 7, e->crn == 14 && e->crm >= 2 ? 3u : 0u);
	}
	for (size_t i = 0; i < VEL2_NR_ALIASES; i++)
		assert_int_equal(seen[i], 1);
	/* Literal encodings from the Arm ARM's index: SCTLR_EL12, CNTV_CVAL_EL02. */
	assert_int_equal(vel2_alias_by_index(VEL2_SCTLR_EL12)->enc, 0xe880);
	assert_int_equal(vel2_alias_by_index(VEL2_CNTV_CVAL_EL02)->enc, 0xef1a);
	assert_null(vel2_alias_by_index(VEL2_NR_ALIASES));
	assert_null(vel2_alias_by_index((enum vel2_alias)-1));
	assert_null(vel2_alias_by_enc(pack(3, 0, 1, 0, 0)));  /* SCTLR_EL1 */
	assert_null(vel2_alias_by_enc(pack(3, 5, 1, 0, 1)));  /* ACTLR_EL12: none */
	assert_null(vel2_alias_by_enc(pack(3, 4, 14, 3, 2))); /* CNTHV_CVAL_EL2 */
	assert_null(vel2_alias_by_enc(0));
}

static void test_regs_reset(void **state)
{
	struct vel2_file f = { .vncr = page };

	(void)state;
	memset(page, 0xa5, sizeof(page));
	memset(f.regs, 0xa5, sizeof(f.regs));
	vel2_regs_reset(&f);
	assert_int_equal(vel2_get(&f, VEL2_SCTLR_EL2), 0x30c50830);
	assert_int_equal(vel2_get(&f, VEL2_CPTR_EL2), 0x22ff);
	assert_int_equal(vel2_get(&f, VEL2_HCR_EL2), B(31));
	assert_int_equal(vel2_get(&f, VEL2_ICC_SRE_EL2), 1);
	assert_int_equal(vel2_get(&f, VEL2_TTBR0_EL2), 0);
	assert_int_equal(vel2_get(&f, VEL2_ICH_LR15_EL2), 0);
	assert_int_equal(vel2_get(&f, VEL2_CNTP_CVAL_EL0), 0);
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		assert_int_equal(vel2_get(&f, (enum vel2_reg)i),
				 row((enum vel2_reg)i)->reset);
	/* The page's offsets no row has are zeroed too (the CPU's under NV2). */
	assert_int_equal(page[0], 0);
	assert_int_equal(page[0x1a8 / 8], 0);
	assert_int_equal(page[VEL2_VNCR_PAGE / 8 - 1], 0);
	/* HCR_EL2's reset is in the page at its offset (0x078). */
	assert_int_equal(page[0x78 / 8], B(31));
}

/*
 * The accessors: a row with a VNCR offset is the page's 64-bit word at
 * that offset (as the CPU reads it under FEAT_NV2: VNCR_EL2.BADDR plus
 * the offset, little-endian), the others the array's slot; a write to
 * one row touches no other slot of either.
 */
static void test_file_layout(void **state)
{
	static const struct { enum vel2_reg r; u32 off; } in_page[] = {
		{ VEL2_VTTBR_EL2, 0x020 }, { VEL2_VTCR_EL2, 0x040 },
		{ VEL2_VMPIDR_EL2, 0x050 }, { VEL2_CNTVOFF_EL2, 0x060 },
		{ VEL2_HCR_EL2, 0x078 }, { VEL2_HSTR_EL2, 0x080 },
		{ VEL2_VPIDR_EL2, 0x088 }, { VEL2_TPIDR_EL2, 0x090 },
		{ VEL2_VNCR_EL2, 0x0b0 }, { VEL2_CPACR_EL1, 0x100 },
		{ VEL2_SCTLR_EL1, 0x110 }, { VEL2_SPSR_EL1, 0x160 },
		{ VEL2_CNTV_CTL_EL0, 0x170 }, { VEL2_TTBR0_EL1, 0x200 },
		{ VEL2_ELR_EL1, 0x230 }, { VEL2_SP_EL1, 0x240 },
		{ VEL2_VBAR_EL1, 0x250 }, { VEL2_ICH_LR0_EL2, 0x400 },
		{ VEL2_ICH_LR15_EL2, 0x478 }, { VEL2_ICH_AP0R0_EL2, 0x480 },
		{ VEL2_ICH_AP1R3_EL2, 0x4b8 }, { VEL2_ICH_HCR_EL2, 0x4c0 },
		{ VEL2_ICH_VMCR_EL2, 0x4c8 },
	};
	static const enum vel2_reg in_array[] = {
		VEL2_SCTLR_EL2, VEL2_CPTR_EL2, VEL2_MDCR_EL2, VEL2_TCR_EL2,
		VEL2_TTBR0_EL2, VEL2_SPSR_EL2, VEL2_ELR_EL2, VEL2_ESR_EL2,
		VEL2_FAR_EL2, VEL2_HPFAR_EL2, VEL2_VBAR_EL2, VEL2_CNTHCTL_EL2,
		VEL2_CNTHP_CVAL_EL2, VEL2_ICH_VTR_EL2,
	};
	struct vel2_file f = { .vncr = page };

	(void)state;
	memset(page, 0, sizeof(page));
	memset(f.regs, 0, sizeof(f.regs));
	for (size_t i = 0; i < ARRAY_SIZE(in_page); i++) {
		u64 v = UINT64_C(0x1122334455660000) | i;
		unsigned char *b = (unsigned char *)page + in_page[i].off;

		vel2_set(&f, in_page[i].r, v);
		assert_int_equal(page[in_page[i].off / 8], v);
		assert_int_equal(b[0], (unsigned char)i); /* little-endian */
		assert_ptr_equal(vel2_slot(&f, in_page[i].r), &page[in_page[i].off / 8]);
		assert_int_equal(f.regs[in_page[i].r], 0);
		page[in_page[i].off / 8] = v + 1;
		assert_int_equal(vel2_get(&f, in_page[i].r), v + 1);
	}
	for (size_t i = 0; i < ARRAY_SIZE(in_array); i++) {
		vel2_set(&f, in_array[i], 0xabc0 + i);
		assert_int_equal(f.regs[in_array[i]], 0xabc0 + i);
		assert_ptr_equal(vel2_slot(&f, in_array[i]), &f.regs[in_array[i]]);
	}
	/* Nothing else was touched: every other word of the page is 0. */
	for (size_t w = 0; w < VEL2_VNCR_PAGE / 8; w++) {
		bool used = false;

		for (size_t i = 0; i < ARRAY_SIZE(in_page); i++)
			used |= in_page[i].off / 8 == w;
		if (!used)
			assert_int_equal(page[w], 0);
	}
	/* Every row's slot is its own: all rows' slots are distinct. */
	for (size_t i = 0; i < VEL2_NR_REGS; i++)
		for (size_t j = i + 1; j < VEL2_NR_REGS; j++)
			assert_ptr_not_equal(vel2_slot(&f, (enum vel2_reg)i),
					     vel2_slot(&f, (enum vel2_reg)j));
	/* Every VNCR offset is 8-byte aligned and inside the page. */
	for (size_t i = 0; i < VEL2_NR_REGS; i++) {
		u32 off = vel2_reg_vncr_offset((enum vel2_reg)i);

		assert_int_equal(off % 8, 0);
		assert_true(off < VEL2_VNCR_PAGE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_literals),
		cmocka_unit_test(test_every_row_encoding_and_name),
		cmocka_unit_test(test_no_duplicate_encodings),
		cmocka_unit_test(test_vncr_offsets),
		cmocka_unit_test(test_file_layout),
		cmocka_unit_test(test_lookup_round_trips),
		cmocka_unit_test(test_unknown_encodings),
		cmocka_unit_test(test_bad_index),
		cmocka_unit_test(test_read_only_rows),
		cmocka_unit_test(test_feature_rows),
		cmocka_unit_test(test_el1_rows),
		cmocka_unit_test(test_e2h_and_tval_flags),
		cmocka_unit_test(test_masks_consistent),
		cmocka_unit_test(test_sanitise_sctlr_el2),
		cmocka_unit_test(test_sanitise_res1),
		cmocka_unit_test(test_sanitise_res0),
		cmocka_unit_test(test_hcr_e2h),
		cmocka_unit_test(test_sanitise_e2h_tcr),
		cmocka_unit_test(test_sanitise_e2h_cptr),
		cmocka_unit_test(test_sanitise_e2h_cnthctl_sctlr),
		cmocka_unit_test(test_sanitise_e2h_selection),
		cmocka_unit_test(test_alias_rows),
		cmocka_unit_test(test_hcr_e2h_res1),
		cmocka_unit_test(test_e2h0_views),
		cmocka_unit_test(test_regs_reset),
	};

	return cmocka_run_group_tests_name("vel2_regs", tests, NULL, NULL);
}
