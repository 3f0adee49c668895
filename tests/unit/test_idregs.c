/*
 * Host tests of ID register sanitisation (src/cpu/idregs.c): what a guest
 * reads from the ID group 3 space given the host's values, its IPA size
 * and the features its description hides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/bits.h>
#include <nv/idregs.h>
#include <nv/vm_desc.h>

/* (CRm, op2) of the AArch64 ID registers. */
#define PFR0 4, 0
#define PFR1 4, 1
#define DFR0 5, 0
#define ISAR0 6, 0
#define ISAR1 6, 1
#define ISAR2 6, 2
#define MMFR0 7, 0
#define MMFR1 7, 1
#define MMFR2 7, 2
#define MMFR4 7, 4

static u64 host[IDREG_SPACE];

static void fill(u64 v)
{
	for (unsigned i = 0; i < IDREG_SPACE; i++)
		host[i] = v;
}

static void set_host(unsigned crm, unsigned op2, u64 v)
{
	host[idreg_index(crm, op2)] = v;
}

static u64 guest(unsigned crm, unsigned op2, unsigned ipa_bits, u32 hidden)
{
	struct idreg_cfg cfg = { .ipa_bits = ipa_bits, .hidden_features = hidden };

	return idreg_guest_value(crm, op2, host, &cfg);
}

/* A virtual-el2 VM's value, its guest hypervisor given vhe, e2h0, nv1. */
static u64 guest_vel2(unsigned crm, unsigned op2, bool vhe, bool e2h0, bool nv1)
{
	struct idreg_cfg cfg = {
		.ipa_bits = 44, .vel2 = true,
		.l1_vhe = vhe, .l1_e2h0 = e2h0, .l1_nv1 = nv1,
	};

	return idreg_guest_value(crm, op2, host, &cfg);
}

static u32 hide(const char *name)
{
	int f = vm_feature_lookup(name);

	assert_true(f >= 0);
	return 1u << f;
}

static unsigned fld(u64 v, unsigned shift)
{
	return id_field(v, shift);
}

static void test_index(void **state)
{
	(void)state;
	assert_int_equal(idreg_index(1, 0), 0);
	assert_int_equal(idreg_index(4, 0), 24);
	assert_int_equal(idreg_index(7, 7), IDREG_SPACE - 1);
}

static void test_pfr0_all_ones(void **state)
{
	u64 v;

	(void)state;
	fill(~UINT64_C(0));
	v = guest(PFR0, 40, 0);
	assert_int_equal(fld(v, 0), 1);   /* EL0: AArch64 only */
	assert_int_equal(fld(v, 4), 1);   /* EL1: AArch64 only */
	assert_int_equal(fld(v, 8), 0);   /* EL2 */
	assert_int_equal(fld(v, 12), 0);  /* EL3 */
	assert_int_equal(fld(v, 16), 0xf); /* FP: copied */
	assert_int_equal(fld(v, 20), 0xf); /* AdvSIMD: copied */
	assert_int_equal(fld(v, 24), 1);  /* GIC: system registers */
	assert_int_equal(fld(v, 28), 0);  /* RAS */
	assert_int_equal(fld(v, 32), 0);  /* SVE */
	assert_int_equal(fld(v, 36), 0);  /* SEL2 */
	assert_int_equal(fld(v, 40), 0);  /* MPAM */
	assert_int_equal(fld(v, 44), 0);  /* AMU */
	assert_int_equal(fld(v, 48), 0xf); /* DIT: copied */
	assert_int_equal(fld(v, 52), 0);  /* RME */
	assert_int_equal(fld(v, 56), 1);  /* CSV2: capped */
	assert_int_equal(fld(v, 60), 0xf); /* CSV3: copied */
	assert_int_equal(v, 0xf10f000001ff0011ull);
}

static void test_pfr0_realistic(void **state)
{
	(void)state;
	fill(0);
	/* QEMU max-like: EL0-3 with EL0 AArch32, FP/AdvSIMD with FP16, GIC,
	 * RAS, SVE, SEL2, MPAM, AMU, DIT, CSV2 2, CSV3. */
	set_host(PFR0, 0x1201111111111112ull);
	assert_int_equal(guest(PFR0, 48, 0), 0x1101000001110011ull);
	/* fp16 hidden: FP and AdvSIMD 1 (with half precision) become 0. */
	assert_int_equal(guest(PFR0, 48, hide("fp16")), 0x1101000001000011ull);
	/* Other features hidden do not touch PFR0. */
	assert_int_equal(guest(PFR0, 48, hide("pauth") | hide("lse") | hide("bti")),
			 0x1101000001110011ull);

	/* FP 0 (no half precision) and FP 0xf (no FP) stay with fp16 hidden. */
	set_host(PFR0, 0x0000000000000011ull);
	assert_int_equal(guest(PFR0, 48, hide("fp16")), 0x0000000001000011ull);
	set_host(PFR0, 0x0000000000ff0011ull);
	assert_int_equal(guest(PFR0, 48, hide("fp16")), 0x0000000001ff0011ull);

	/* CSV2 1 and 0 copied as they are; 3 capped to 1. */
	set_host(PFR0, 0x0100000000000011ull);
	assert_int_equal(fld(guest(PFR0, 48, 0), 56), 1);
	set_host(PFR0, 0x0000000000000011ull);
	assert_int_equal(fld(guest(PFR0, 48, 0), 56), 0);
	set_host(PFR0, 0x0300000000000011ull);
	assert_int_equal(fld(guest(PFR0, 48, 0), 56), 1);
	/* EL1 not advertised by the host (nonsense): still 1; EL0 too. */
	set_host(PFR0, 0);
	assert_int_equal(guest(PFR0, 48, 0), 0x0000000001000011ull);
}

static void test_pfr1_dfr0(void **state)
{
	u64 v;

	(void)state;
	fill(~UINT64_C(0));
	/* PFR1: BT and SSBS only. */
	assert_int_equal(guest(PFR1, 40, 0), 0xff);
	assert_int_equal(guest(PFR1, 40, hide("bti")), 0xf0);
	set_host(PFR1, 0x0000000000000121ull); /* BT 1, SSBS 2, MTE 1 */
	assert_int_equal(guest(PFR1, 40, 0), 0x21);
	assert_int_equal(guest(PFR1, 40, hide("bti")), 0x20);

	/* DFR0: DebugVer, BRPs, WRPs, CTX_CMPs; no PMU; DoubleLock 0xf. */
	v = guest(DFR0, 40, 0);
	assert_int_equal(fld(v, 8), 0);  /* PMUVer */
	assert_int_equal(fld(v, 4), 0);  /* TraceVer */
	assert_int_equal(fld(v, 32), 0); /* PMSVer */
	assert_int_equal(fld(v, 52), 0); /* BRBE */
	assert_int_equal(v, 0xf0f0f0f00full);
	/* DebugVer 9, PMUVer 6, BRPs 5, WRPs 3, CTX_CMPs 1, PMSVer 1,
	 * DoubleLock 0xf (none). */
	set_host(DFR0, 0x000000f110305619ull);
	assert_int_equal(guest(DFR0, 40, 0), 0x000000f010305009ull);
	/*
	 * A host with the double lock (DoubleLock 0, QEMU's max): the guest
	 * is told there is none, since OSDLR_EL1 is emulated RAZ/WI.
	 */
	set_host(DFR0, 0x100000001030560aull);
	assert_int_equal(guest(DFR0, 40, 0), 0x000000f01030500aull);
}

static void test_isar(void **state)
{
	u64 v;

	(void)state;
	fill(~UINT64_C(0));
	/* ISAR0: all but TME (and RES0 [3:0]). */
	assert_int_equal(guest(ISAR0, 40, 0), 0xfffffffff0fffff0ull);
	/* ISAR1: all but LS64. */
	v = guest(ISAR1, 40, 0);
	assert_int_equal(fld(v, 60), 0);
	assert_int_equal(v, 0x0fffffffffffffffull);
	/* ISAR2: RPRES, GPA3, APA3, BC, PAC_frac, CLRBHB, PRFMSLC, RPRFM,
	 * CSSC. */
	v = guest(ISAR2, 40, 0);
	assert_int_equal(fld(v, 0), 0);  /* WFxT */
	assert_int_equal(fld(v, 16), 0); /* MOPS */
	assert_int_equal(fld(v, 32), 0); /* SYSREG_128 */
	assert_int_equal(fld(v, 60), 0); /* ATS1A */
	assert_int_equal(v, 0x00ff0f00fff0fff0ull);

	/* Realistic values pass through. */
	set_host(ISAR0, 0x0221100110212120ull);
	assert_int_equal(guest(ISAR0, 40, 0), 0x0221100110212120ull);
	set_host(ISAR0, 0x1221100110212120ull | (UINT64_C(1) << 24));
	assert_int_equal(guest(ISAR0, 40, 0), 0x1221100110212120ull);
}

/*
 * ISAR0 and ISAR1 come from an allow-list like the other ID registers:
 * each 4-bit field alone, set on the host, reaches the guest only if it is
 * one nestvisor lets through (Arm ARM D19.2 field names).
 */
static void test_isar_allow_list(void **state)
{
	/* Allowed fields by their shift; the others must read 0. */
	static const unsigned isar0[] = { 4, 8, 12, 16, 20, 28, 32, 36, 40, 44,
					  48, 52, 56, 60 };
	static const unsigned isar1[] = { 0, 4, 8, 12, 16, 20, 24, 28, 32, 36,
					  40, 44, 48, 52, 56 };
	static const struct {
		unsigned crm, op2;
		const unsigned *allowed;
		unsigned n;
	} regs[] = {
		{ ISAR0, isar0, ARRAY_SIZE(isar0) },
		{ ISAR1, isar1, ARRAY_SIZE(isar1) },
	};

	(void)state;
	for (unsigned r = 0; r < ARRAY_SIZE(regs); r++)
		for (unsigned shift = 0; shift < 64; shift += 4) {
			bool allowed = false;
			u64 v;

			for (unsigned i = 0; i < regs[r].n; i++)
				allowed |= regs[r].allowed[i] == shift;
			fill(0);
			set_host(regs[r].crm, regs[r].op2, UINT64_C(0x3) << shift);
			v = guest(regs[r].crm, regs[r].op2, 40, 0);
			if (v != (allowed ? UINT64_C(0x3) << shift : 0))
				fail_msg("ISAR%u field [%u:%u]: guest 0x%llx", r, shift + 3,
					 shift, (unsigned long long)v);
		}
	/* TME (ISAR0 [27:24]) and LS64 (ISAR1 [63:60]) are the ones left out. */
	fill(~UINT64_C(0));
	assert_int_equal(fld(guest(ISAR0, 40, 0), 24), 0);
	assert_int_equal(fld(guest(ISAR1, 40, 0), 60), 0);
}

static void test_hidden_features(void **state)
{
	u64 v;

	(void)state;
	fill(~UINT64_C(0));
	/* pauth: APA, API, GPA, GPI; APA3, GPA3, PAC_frac. */
	v = guest(ISAR1, 40, hide("pauth"));
	assert_int_equal(fld(v, 4), 0);
	assert_int_equal(fld(v, 8), 0);
	assert_int_equal(fld(v, 24), 0);
	assert_int_equal(fld(v, 28), 0);
	assert_int_equal(v, 0x0fffffff00fff00full);
	v = guest(ISAR2, 40, hide("pauth"));
	assert_int_equal(fld(v, 8), 0);
	assert_int_equal(fld(v, 12), 0);
	assert_int_equal(fld(v, 24), 0);
	assert_int_equal(v, 0x00ff0f00f0f000f0ull);
	/* Only those: ISAR0 is untouched by pauth. */
	assert_int_equal(guest(ISAR0, 40, hide("pauth")), 0xfffffffff0fffff0ull);

	/* lse: ISAR0.Atomic [23:20]. */
	assert_int_equal(guest(ISAR0, 40, hide("lse")), 0xfffffffff00ffff0ull);
	assert_int_equal(guest(ISAR1, 40, hide("lse")), 0x0fffffffffffffffull);
	/* crc32 [19:16], aes [7:4], sha: SHA1/SHA2/SHA3/SM3/SM4,
	 * dotprod [47:44], rdm [31:28]. */
	assert_int_equal(guest(ISAR0, 40, hide("crc32")), 0xfffffffff0f0fff0ull);
	assert_int_equal(guest(ISAR0, 40, hide("aes")), 0xfffffffff0ffff00ull);
	assert_int_equal(guest(ISAR0, 40, hide("sha")), 0xfffff000f0ff00f0ull);
	assert_int_equal(guest(ISAR0, 40, hide("dotprod")), 0xffff0ffff0fffff0ull);
	assert_int_equal(guest(ISAR0, 40, hide("rdm")), 0xffffffff00fffff0ull);
	/* Several at once. */
	assert_int_equal(guest(ISAR0, 40, hide("lse") | hide("aes") | hide("rdm")),
			 0xffffffff000fff00ull);
	/* bti: PFR1.BT. */
	assert_int_equal(guest(PFR1, 40, hide("bti")), 0xf0);
	/* fp16 with FP 0xf (not implemented): nothing to hide. */
	assert_int_equal(fld(guest(PFR0, 40, hide("fp16")), 16), 0xf);
	/* Every feature hidden: the registers without a hidden field stay. */
	assert_int_equal(guest(MMFR1, 40, 0x1ff), guest(MMFR1, 40, 0));
	assert_int_equal(guest(DFR0, 40, 0x1ff), guest(DFR0, 40, 0));
}

static void test_mmfr0(void **state)
{
	static const struct {
		unsigned bits, parange;
	} pa[] = { { 32, 0 }, { 36, 1 }, { 39, 1 }, { 40, 2 }, { 42, 3 },
		   { 44, 4 }, { 48, 5 } };
	u64 v;

	(void)state;
	fill(~UINT64_C(0));
	for (unsigned i = 0; i < ARRAY_SIZE(pa); i++) {
		v = guest(MMFR0, pa[i].bits, 0);
		assert_int_equal(fld(v, 0), pa[i].parange);
		assert_int_equal(fld(v, 56), 0); /* FGT */
		assert_int_equal(fld(v, 60), 1); /* ECV capped */
		assert_int_equal(fld(v, 32), 0); /* TGran16_2 */
		assert_int_equal(fld(v, 36), 0); /* TGran64_2 */
		assert_int_equal(fld(v, 40), 0); /* TGran4_2 */
		assert_int_equal(v, 0x1000f000fffffff0ull | pa[i].parange);
	}
	/* A host with 52-bit PA, 16-bit ASIDs, 4K/64K/16K, ECV 2, FGT 1:
	 * the guest sees its IPA size and ECV 1. */
	fill(0);
	set_host(MMFR0, 0x2100022200101126ull);
	assert_int_equal(guest(MMFR0, 44, 0), 0x1000000000101124ull);
	assert_int_equal(guest(MMFR0, 32, 0), 0x1000000000101120ull);
	/* ECV 1 and 0 pass through. */
	set_host(MMFR0, 0x1000000000000005ull);
	assert_int_equal(guest(MMFR0, 48, 0), 0x1000000000000005ull);
	set_host(MMFR0, 0x0000000000000005ull);
	assert_int_equal(guest(MMFR0, 48, 0), 0x0000000000000005ull);
}

static void test_mmfr1_mmfr2(void **state)
{
	u64 v;

	(void)state;
	fill(~UINT64_C(0));
	v = guest(MMFR1, 40, 0);
	assert_int_equal(fld(v, 4), 0);  /* VMIDBits */
	assert_int_equal(fld(v, 8), 0);  /* VH */
	assert_int_equal(fld(v, 16), 0); /* LO */
	assert_int_equal(fld(v, 32), 0); /* TWED */
	assert_int_equal(fld(v, 40), 0); /* HCX */
	assert_int_equal(fld(v, 0), 0xf); /* HAFDBS: copied */
	assert_int_equal(fld(v, 20), 0xf); /* PAN: copied */
	assert_int_equal(v, 0xff0ff0f0f0f0f00full);

	v = guest(MMFR2, 40, 0);
	assert_int_equal(fld(v, 24), 0); /* NV */
	assert_int_equal(fld(v, 40), 0); /* FWB */
	assert_int_equal(fld(v, 56), 0); /* EVT */
	assert_int_equal(fld(v, 16), 0xf); /* VARange: copied */
	assert_int_equal(v, 0xf0ff00fff0ffffffull);

	/* Realistic: NV2, VH, 16-bit VMIDs on the host; not for the guest. */
	fill(0);
	set_host(MMFR1, 0x1011111110312122ull);
	v = guest(MMFR1, 40, 0);
	assert_int_equal(fld(v, 4), 0);
	assert_int_equal(fld(v, 8), 0);
	assert_int_equal(v, 0x1001101010302002ull);
	set_host(MMFR2, 0x1221011112101011ull);
	v = guest(MMFR2, 40, 0);
	assert_int_equal(fld(v, 24), 0);
	assert_int_equal(v, 0x1021001110101011ull);
}

/*
 * What a guest hypervisor reads for each valid virtual-el2-features list
 * (vm_desc.c): ID_AA64MMFR1_EL1.VH [11:8] 1 with "vhe", and
 * ID_AA64MMFR4_EL1.E2H0 [27:24] (signed) 0 with "e2h0", 0b1111 (-1,
 * E2H RES1) without it, 0b1110 (-2, no FEAT_NV1 either) without "nv1";
 * ID_AA64MMFR2_EL1.NV 0 in every case; PFR0.EL2 1. The rest of each
 * register is what any virtual-el2 VM reads.
 */
static void test_vel2_l1_features(void **state)
{
	static const struct {
		bool vhe, e2h0, nv1;
		unsigned vh, e2h0_field;
	} c[] = {
		{ true, true, true, 1, 0x0 },    /* absent: all three */
		{ false, true, true, 0, 0x0 },   /* "e2h0", "nv1": nVHE only */
		{ true, false, true, 1, 0xf },   /* "vhe", "nv1": E2H RES1 */
		{ true, false, false, 1, 0xe },  /* "vhe": E2H RES1, no NV1 */
	};

	(void)state;
	/* QEMU max-like: VH 1, HAFDBS 2, NV2; MMFR4 E2H0 0, NV_frac 1. */
	fill(0);
	set_host(PFR0, 0x1201111111111112ull);
	set_host(MMFR1, 0x1011111110312122ull);
	set_host(MMFR2, 0x1221011112101011ull);
	set_host(MMFR4, 0x0000000000100000ull);
	for (unsigned i = 0; i < ARRAY_SIZE(c); i++) {
		u64 mmfr1 = guest_vel2(MMFR1, c[i].vhe, c[i].e2h0, c[i].nv1);
		u64 mmfr4 = guest_vel2(MMFR4, c[i].vhe, c[i].e2h0, c[i].nv1);
		u64 mmfr2 = guest_vel2(MMFR2, c[i].vhe, c[i].e2h0, c[i].nv1);

		assert_int_equal(fld(mmfr1, 8), c[i].vh);
		/* HAFDBS [3:0] hidden, VMIDBits [7:4] hidden, the rest kept. */
		assert_int_equal(mmfr1, 0x1001101010302000ull | (u64)c[i].vh << 8);
		assert_int_equal(fld(mmfr4, 24), c[i].e2h0_field);
		assert_int_equal(mmfr4, (u64)c[i].e2h0_field << 24);
		assert_int_equal(id_field_signed(mmfr4, 24),
				 c[i].e2h0 ? 0 : c[i].nv1 ? -1 : -2);
		assert_int_equal(fld(mmfr2, 24), 0); /* NV: FEAT_NV/NV2 hidden */
		assert_int_equal(mmfr2, 0x1021001110101011ull);
		assert_int_equal(fld(guest_vel2(PFR0, c[i].vhe, c[i].e2h0,
						c[i].nv1), 8), 1); /* EL2 */
	}

	/* A host without FEAT_VHE is the ceiling: VH 0 even with "vhe"
	 * (vm_desc_check_host refuses such a VM before it runs). */
	set_host(MMFR1, 0x1011111110312022ull);
	assert_int_equal(fld(guest_vel2(MMFR1, true, true, true), 8), 0);
	/* A reserved VH value on the host is capped to FEAT_VHE's 1. */
	set_host(MMFR1, 0x0000000000000f00ull);
	assert_int_equal(guest_vel2(MMFR1, true, true, true), 0x100);
	assert_int_equal(guest_vel2(MMFR1, false, true, true), 0);
	/* MMFR4 does not follow the host's: E2H0 -2 there, 0 for the VM. */
	set_host(MMFR4, 0xffffffffffffffffull);
	assert_int_equal(guest_vel2(MMFR4, true, true, true), 0);
	assert_int_equal(guest_vel2(MMFR4, true, false, false), 0x0e000000ull);
}

/* A VM without virtual-el2 reads what it read before: VH 0, MMFR4 0. */
static void test_plain_vm_no_l1_features(void **state)
{
	struct idreg_cfg plain = { .ipa_bits = 44 };
	struct idreg_cfg stray = {
		.ipa_bits = 44, .l1_vhe = true, .l1_e2h0 = false, .l1_nv1 = false,
	};

	(void)state;
	fill(~UINT64_C(0));
	for (unsigned crm = 1; crm <= 7; crm++)
		for (unsigned op2 = 0; op2 < 8; op2++)
			assert_int_equal(idreg_guest_value(crm, op2, host, &plain),
					 idreg_guest_value(crm, op2, host, &stray));
	assert_int_equal(fld(idreg_guest_value(MMFR1, host, &plain), 8), 0);
	assert_int_equal(idreg_guest_value(MMFR4, host, &plain), 0);
	assert_int_equal(fld(idreg_guest_value(PFR0, host, &plain), 8), 0);
	assert_int_equal(idreg_guest_value(MMFR1, host, &plain),
			 0xff0ff0f0f0f0f00full);
}

static bool known(unsigned crm, unsigned op2)
{
	return (crm == 4 && op2 <= 1) || (crm == 5 && op2 == 0) ||
	       (crm == 6 && op2 <= 2) || (crm == 7 && op2 <= 2);
}

static void test_unknown_and_aarch32_zero(void **state)
{
	unsigned nzero = 0;

	(void)state;
	fill(~UINT64_C(0));
	/* AArch32 ID registers (CRm 1..3) and unallocated ones read 0, even
	 * with every feature hidden and any IPA size. */
	for (unsigned crm = 1; crm <= 7; crm++) {
		for (unsigned op2 = 0; op2 < 8; op2++) {
			if (known(crm, op2)) {
				assert_int_not_equal(guest(crm, op2, 40, 0), 0);
				continue;
			}
			assert_int_equal(guest(crm, op2, 40, 0), 0);
			assert_int_equal(guest(crm, op2, 48, 0x1ff), 0);
			nzero++;
		}
	}
	assert_int_equal(nzero, IDREG_SPACE - 9);
	assert_int_equal(guest(4, 3, 40, 0), 0);
	assert_int_equal(guest(7, 5, 40, 0), 0);
	assert_int_equal(guest(4, 4, 40, 0), 0); /* ID_AA64ZFR0_EL1 */
	assert_int_equal(guest(5, 1, 40, 0), 0); /* ID_AA64DFR1_EL1 */
	assert_int_equal(guest(7, 4, 40, 0), 0); /* ID_AA64MMFR4_EL1 */
}

/* The value read depends on (crm, op2) only through its own slot. */
static void test_uses_own_slot(void **state)
{
	(void)state;
	fill(0);
	set_host(ISAR0, UINT64_C(1) << 20);
	assert_int_equal(guest(ISAR0, 40, 0), UINT64_C(1) << 20);
	assert_int_equal(guest(ISAR1, 40, 0), 0);
	assert_int_equal(guest(6, 3, 40, 0), 0);
	assert_int_equal(guest(PFR1, 40, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_pfr0_all_ones),
		cmocka_unit_test(test_pfr0_realistic),
		cmocka_unit_test(test_pfr1_dfr0),
		cmocka_unit_test(test_isar),
		cmocka_unit_test(test_isar_allow_list),
		cmocka_unit_test(test_hidden_features),
		cmocka_unit_test(test_mmfr0),
		cmocka_unit_test(test_mmfr1_mmfr2),
		cmocka_unit_test(test_vel2_l1_features),
		cmocka_unit_test(test_plain_vm_no_l1_features),
		cmocka_unit_test(test_unknown_and_aarch32_zero),
		cmocka_unit_test(test_uses_own_slot),
	};

	return cmocka_run_group_tests_name("idregs", tests, NULL, NULL);
}
