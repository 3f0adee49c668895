/*
 * A hostile guest hypervisor: like hv it stays at EL2 and runs an EL1
 * guest of its own (hv_run.c, hv_el1.S), but it gives the hardware what a
 * careless or malicious hypervisor would, and checks that the outcome is
 * the one the architecture defines (Arm ARM, DDI 0487; GICv3, IHI 0069):
 *
 *  1. Stage 2 tables that lead nowhere: a page whose output is a PA with
 *     no memory (the guest's access takes a synchronous External abort),
 *     a table or the root (VTTBR_EL2) there (a synchronous External abort
 *     on the stage 2 walk, taken to EL2), a table entry pointing at its
 *     own table (the walk ends at level 3 all the same: an Access flag
 *     fault, or, with the page attributes in the bits a table descriptor
 *     ignores, a page mapping the table), a base address wider than
 *     VTCR_EL2.PS (an Address size fault, level 0).
 *  2. Garbage VTCR_EL2 (AArch64.S2Translate: a reserved or inconsistent
 *     SL0, a T0SZ out of range make any stage 2 translation a level 0
 *     Translation fault; a reserved TG0 is an IMPLEMENTATION DEFINED
 *     implemented granule, so only "a Translation fault" is checked).
 *  3. ERET with illegal return states in SPSR_EL2 (Arm ARM: "Illegal
 *     return events from AArch64 state"): to EL3, a reserved M, EL0 with
 *     M[0] set, AArch32 EL1 with HCR_EL2.RW 1, AArch32 EL2, EL1 with
 *     HCR_EL2.TGE 1: PSTATE.IL set, EL and SP unchanged, the other fields
 *     from SPSR_EL2, PC = ELR_EL2, and the next instruction taken as an
 *     Illegal Execution state exception (EC 0x0E) at EL2.
 *  4. The GIC hypervisor interface out of range: ICH_LR<n>_EL2 past
 *     ICH_VTR_EL2.ListRegs and ICH_AP0R/AP1R<n>_EL2 past what PREbits
 *     implements are UNDEFINED (EC 0x00 at EL2); the fields ICH_LR<n>,
 *     ICH_VMCR_EL2 and ICH_HCR_EL2 keep when written all ones (priority
 *     LR priority bits past PRIbits RAZ/WI, binary points raised to their
 *     minimum; bits the specification leaves RES0 or ambiguous, such as
 *     VPMR's past PRIbits, only printed, on ENV lines).
 *  5. AT S1E2R and AT S12E1R on addresses nothing maps: PAR_EL1.F 1 with
 *     the fault status the walk gives (level 0 for an input address out of
 *     range), S for stage 2; AT does not access the output address.
 *
 * Every check is an architectural rule, so the same binary passes at
 * QEMU's real EL2 and must pass identically at a virtual EL2
 * (t_hostile_l1_at_real_el2, t_hostile_l1_nested). Values that depend on
 * the platform are on lines marked ENV_MARK. Entered at EL1 it only says
 * so and passes.
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

const char guest_name[] = "hv_hostile";
const bool guest_stays_at_el2 = true;

extern char el1_tlb[];		/* hv_el1.S: x3 = [x1], then HVC HV_HVC_TLB */

/* A PA with neither memory nor a device (QEMU virt; nestvisor maps nothing there). */
#define HOLE_PA		0x0b000000UL
#define S2_VMID		2UL
#define EC_IABT_LOW	0x20
#define FSC_TRANS(l)	(0x04 | (l))
#define FSC_AF(l)	(0x08 | (l))
#define FSC_SEA_WALK(l)	(0x14 | (l))
#define FSC_ADDR_SIZE0	0x00
#define ISS_DA_EA	BIT(9)
#define ESR_EL1_EXC_SEA	0x10

/* VTCR_EL2 fields (E2H 0) */
#define VTCR_RES1	BIT(31)
#define VTCR_T0SZ(n)	((u64)(n))
#define VTCR_SL0(n)	((u64)(n) << 6)
#define VTCR_WB_INNER	((1UL << 8) | (1UL << 10) | (3UL << 12))	/* IRGN0, ORGN0 WB, SH0 inner */
#define VTCR_TG0(n)	((u64)(n) << 14)
#define VTCR_PS(n)	((u64)(n) << 16)
/* 32-bit IPA, 4 KiB granule, walks from level 1 */
#define VTCR_GOOD	(VTCR_RES1 | VTCR_WB_INNER | VTCR_SL0(1) | VTCR_T0SZ(32))

/* The IPA layout: GiB 1 through t_l2, the image's 2 MiB blocks 1:1, then two more entries. */
static u64 t_l1[512] __attribute__((aligned(4096)));
static u64 t_l2[512] __attribute__((aligned(4096)));
static u64 t_l3[512] __attribute__((aligned(4096)));
static u64 t_empty[512] __attribute__((aligned(65536)));	/* a root for any granule */
static u64 win_ipa, wild_table_ipa, vtcr_good;
#define LOOP_IDX	3UL	/* t_l1[3] -> t_l1: IPA 3 << 30 | 3 << 21 | 3 << 12 */
#define LOOP_IPA	((LOOP_IDX << 30) | (LOOP_IDX << 21) | (LOOP_IDX << 12) | (LOOP_IDX * 8))

static void s2_flush(void)
{
	dsb_sy();
	__asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");
}

static void s2_load(u64 vtcr, u64 vttbr)
{
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, vttbr);
	isb();
	s2_flush();
}

static u64 good_vttbr(void)
{
	return (S2_VMID << 48) | (u64)(uintptr_t)t_l1;
}

static void s2_build(void)
{
	u64 nblocks = s2_map_image(t_l1, t_l2);
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	memset(t_l3, 0, sizeof(t_l3));
	memset(t_empty, 0, sizeof(t_empty));
	/* The window: page 0 maps the hole. */
	win_ipa = RAM_BASE + nblocks * SZ_2M;
	t_l2[nblocks] = (u64)(uintptr_t)t_l3 | S2_TABLE;
	t_l3[0] = HOLE_PA | S2_PAGE;
	/* The next 2 MiB: a level-3 table in the hole. */
	wild_table_ipa = win_ipa + SZ_2M;
	t_l2[nblocks + 1] = HOLE_PA | S2_TABLE;
	vtcr_good = VTCR_GOOD | VTCR_PS(parange > 5 ? 5 : parange);
	for (unsigned i = 0; i < 512; i += 8) {
		dc_civac(&t_l1[i]);
		dc_civac(&t_empty[i]);
	}
	diag_env("stage 2: VTCR_EL2 0x%lx VTTBR_EL2 0x%lx, window IPA 0x%lx -> PA 0x%lx, wild table IPA 0x%lx",
		 vtcr_good, good_vttbr(), win_ipa, HOLE_PA, wild_table_ipa);
}

/* Runs el1_tlb's load from ipa with stage 2 on; the exit is in vcpu. */
static void l2_load(u64 ipa)
{
	vcpu_reset(el1_tlb);
	vcpu.x[1] = ipa;
	vcpu.x[3] = 0;
	run(HCR_GUEST | HCR_VM);
}

static bool el1_exception(void)
{
	return exit_is_hvc(HV_HVC_EL1_EXC);
}

/* The guest's load faulted at stage 2 (or its walk): a Data Abort to EL2 at the load. */
static void check_s2_dabt(const char *what, u64 ipa, unsigned dfsc, bool check_hpfar)
{
	bool t = expect_exit(EC_DABT_LOW, what);
	u64 iss = ESR_ISS(vcpu.esr);

	diag("%s: ESR_EL2 0x%lx FAR_EL2 0x%lx ELR_EL2 0x%lx", what, vcpu.esr & ~ISS_DA_EA, vcpu.far,
	     vcpu.elr);
	diag_env("%s: HPFAR_EL2 0x%lx, ESR_EL2.EA %u", what, vcpu.hpfar, !!(iss & ISS_DA_EA));
	ok(t && (vcpu.esr & ESR_IL), "%s: a Data Abort from a lower EL taken to EL2 (EC 0x24, IL 1)", what);
	check_eq(t ? DFSC(vcpu.esr) : ~0UL, dfsc, "%s: ESR_EL2.DFSC 0x%02x", what, dfsc);
	check_eq(t ? iss & (ISS_DA_S1PTW | ISS_DA_WNR | ISS_DA_FNV) : ~0UL, 0,
		 "%s: S1PTW 0 (a stage 2 fault of the access itself), WnR 0, FnV 0", what);
	check_eq(t ? vcpu.far : ~0UL, ipa, "%s: FAR_EL2 is the VA (= IPA, the EL1 MMU off)", what);
	check_eq(vcpu.elr, (u64)(uintptr_t)el1_tlb, "%s: ELR_EL2 is the load", what);
	if (check_hpfar)
		check_eq(t ? hpfar_fipa(vcpu.hpfar) : ~0UL, ipa >> 12, "%s: HPFAR_EL2.FIPA is IPA[51:12]", what);
}

/* ---- 1. stage 2 tables that lead nowhere ------------------------------------------------ */

static void test_s2_outside(void)
{
	u64 ipa = win_ipa + 0x28;
	bool t;

	/*
	 * The access itself to a PA with no memory: a synchronous External
	 * abort, not a stage 2 fault, so taken to EL1 (HCR_EL2.TEA and TGE
	 * 0): EC 0x25, DFSC 0x10, FAR_EL1 the VA unless FnV.
	 */
	s2_load(vtcr_good, good_vttbr());
	l2_load(ipa);
	t = el1_exception();
	if (!t)
		describe_exit("a page whose PA has no memory");
	diag("a page whose PA has no memory: ESR_EL1 0x%lx FAR_EL1 0x%lx ELR_EL1 0x%lx vector %lu",
	     vcpu.x[0] & ~(ISS_DA_EA | ISS_DA_FNV), vcpu.x[2], vcpu.x[1], vcpu.x[3]);
	ok(t && ESR_EC(vcpu.x[0]) == EC_DABT_CUR && (vcpu.x[0] & ESR_IL),
	   "stage 2 output a PA with no memory: the guest's load takes a Data Abort at EL1 (ESR_EL1.EC 0x25, IL 1)");
	check_eq(t ? DFSC(vcpu.x[0]) : ~0UL, ESR_EL1_EXC_SEA, "it is a synchronous External abort (DFSC 0x10)");
	check_eq(t ? vcpu.x[1] : ~0UL, (u64)(uintptr_t)el1_tlb, "ELR_EL1 is the load");
	ok(t && ((vcpu.x[0] & ISS_DA_FNV) || vcpu.x[2] == ipa), "FAR_EL1 is the VA, or ESR_EL1.FnV 1");
	check_eq(t ? vcpu.x[3] : ~0UL, 4, "taken at VBAR_EL1 + 0x200 (current EL with SP_EL1, synchronous)");

	/* A table in the hole: the walk's read of it aborts (level 3), taken to EL2. */
	l2_load(wild_table_ipa + 0x5010);
	check_s2_dabt("a level-2 entry pointing at a table with no memory", wild_table_ipa + 0x5010,
		      FSC_SEA_WALK(3), false);

	/* The root in the hole: the walk's first read aborts (level 1, the start level). */
	s2_load(vtcr_good, (S2_VMID << 48) | HOLE_PA);
	l2_load(ipa);
	ok(vcpu.kind == HV_EXIT_SYNC &&
	   (ESR_EC(vcpu.esr) == EC_IABT_LOW ? vcpu.elr == vcpu.far : ESR_EC(vcpu.esr) == EC_DABT_LOW),
	   "VTTBR_EL2.BADDR with no memory: the guest's first access aborts to EL2 (its instruction fetch, EC 0x20)");
	check_eq(ESR_EC(vcpu.esr), EC_IABT_LOW, "ESR_EL2.EC 0x20: the fetch of the guest's first instruction");
	check_eq(DFSC(vcpu.esr), FSC_SEA_WALK(1),
		 "ESR_EL2.IFSC 0x15: synchronous External abort on the stage 2 walk, level 1 (the start level)");
	check_eq(vcpu.far, (u64)(uintptr_t)el1_tlb, "FAR_EL2 is the instruction's VA");

	/* VTTBR_EL2.BADDR wider than VTCR_EL2.PS (32 bits): Address size fault, level 0. */
	s2_load((vtcr_good & ~VTCR_PS(7)) | VTCR_PS(0), good_vttbr() | BIT(40));
	l2_load(ipa);
	ok(vcpu.kind == HV_EXIT_SYNC && ESR_EC(vcpu.esr) == EC_IABT_LOW,
	   "VTTBR_EL2.BADDR beyond VTCR_EL2.PS: the guest's first fetch aborts to EL2 (EC 0x20)");
	check_eq(DFSC(vcpu.esr), FSC_ADDR_SIZE0, "ESR_EL2.IFSC 0x00: Address size fault, level 0");
	s2_load(vtcr_good, good_vttbr());
}

static void test_s2_loop(void)
{
	/* t_l1[3] is a table descriptor for t_l1 itself: levels 1, 2 and 3 all read t_l1[3]. */
	s2_set(&t_l1[LOOP_IDX], (u64)(uintptr_t)t_l1 | S2_TABLE);
	dc_civac(&t_l1[LOOP_IDX]);
	s2_load(vtcr_good, good_vttbr());
	l2_load(LOOP_IPA);
	check_s2_dabt("a table entry pointing at its own table", LOOP_IPA, FSC_AF(3), true);

	/*
	 * The same entry with S2AP, MemAttr, SH and AF set (bits a table
	 * descriptor ignores): at level 3 it is a page descriptor mapping
	 * t_l1 itself, so the load reads the entry.
	 */
	s2_set(&t_l1[LOOP_IDX], (u64)(uintptr_t)t_l1 | S2_PAGE);
	dc_civac(&t_l1[LOOP_IDX]);
	s2_flush();
	l2_load(LOOP_IPA);
	ok(exit_is_hvc(HV_HVC_TLB),
	   "the loop with page attributes in the ignored bits: the load completes (level 3 reads it as a page)");
	if (!exit_is_hvc(HV_HVC_TLB))
		describe_exit("the loop as a page");
	check_eq(exit_is_hvc(HV_HVC_TLB) ? vcpu.x[3] : ~0UL, (u64)(uintptr_t)t_l1 | S2_PAGE,
		 "it reads the self-referencing entry: its own table, mapped at level 3");
	s2_break(&t_l1[LOOP_IDX], LOOP_IPA);
	dc_civac(&t_l1[LOOP_IDX]);
	s2_flush();
}

/* ---- 2. garbage VTCR_EL2 ------------------------------------------------------------------ */

struct bad_vtcr {
	u64 vtcr;		/* with PS from vtcr_good */
	bool any_level;		/* TG0 reserved: the granule is IMPLEMENTATION DEFINED */
	const char *what;
};

static const struct bad_vtcr bad_vtcrs[] = {
	{ VTCR_RES1 | VTCR_WB_INNER | VTCR_SL0(3) | VTCR_T0SZ(32), false,
	  "VTCR_EL2.SL0 0b11 with a 32-bit IPA (reserved, or level 3 inconsistent with T0SZ)" },
	{ VTCR_RES1 | VTCR_WB_INNER | VTCR_SL0(2) | VTCR_T0SZ(32), false,
	  "VTCR_EL2.SL0 0b10 (level 0) with a 32-bit IPA (inconsistent)" },
	{ VTCR_RES1 | VTCR_WB_INNER | VTCR_SL0(1) | VTCR_T0SZ(63), false,
	  "VTCR_EL2.T0SZ 63 (out of range)" },
	{ VTCR_RES1 | VTCR_WB_INNER | VTCR_SL0(1) | VTCR_T0SZ(0), false,
	  "VTCR_EL2.T0SZ 0 (out of range)" },
	{ VTCR_RES1 | VTCR_WB_INNER | VTCR_TG0(3) | VTCR_SL0(1) | VTCR_T0SZ(32), true,
	  "VTCR_EL2.TG0 0b11 (reserved), an empty root" },
};

static void test_bad_vtcr(void)
{
	u64 ps = vtcr_good & VTCR_PS(7);

	for (unsigned i = 0; i < ARRAY_SIZE(bad_vtcrs); i++) {
		const struct bad_vtcr *b = &bad_vtcrs[i];
		u64 root = b->any_level ? (u64)(uintptr_t)t_empty : (u64)(uintptr_t)t_l1;
		bool t;

		s2_load(b->vtcr | ps, (S2_VMID << 48) | root);
		l2_load(win_ipa);
		t = vcpu.kind == HV_EXIT_SYNC && ESR_EC(vcpu.esr) == EC_IABT_LOW;
		if (!t)
			describe_exit(b->what);
		(b->any_level ? diag_env : diag)("%s: ESR_EL2 0x%lx FAR_EL2 0x%lx", b->what, vcpu.esr,
						 vcpu.far);
		ok(t && (vcpu.esr & ESR_IL), "%s: the guest's first fetch faults to EL2 (EC 0x20, IL 1)", b->what);
		if (b->any_level)
			ok(t && (DFSC(vcpu.esr) & ~3UL) == FSC_TRANS(0),
			   "%s: ESR_EL2.IFSC a Translation fault (0b0001LL)", b->what);
		else
			check_eq(t ? DFSC(vcpu.esr) : ~0UL, FSC_TRANS(0),
				 "%s: ESR_EL2.IFSC 0x04, Translation fault level 0 (AArch64.S2Translate)", b->what);
		check_eq(t ? vcpu.far : ~0UL, (u64)(uintptr_t)el1_tlb, "%s: FAR_EL2 the instruction's VA", b->what);
	}
	s2_load(vtcr_good, good_vttbr());
}

/* ---- 3. illegal exception returns --------------------------------------------------------- */

#define SPSR_NZCV_MASK	0xf0000000UL
#define SPSR_DAIF_MASK	0x3c0UL
#define SPSR_EL2H	0x9UL
#define ERET_NZCV	0xa0000000UL	/* N and C: restored from SPSR_EL2 even by an illegal return */

struct bad_eret {
	u64 m;		/* SPSR_EL2.M[4:0] */
	u64 hcr_extra;
	const char *what;
};

static const struct bad_eret bad_erets[] = {
	{ 0x0d, 0, "M EL3h (higher than the current EL, no EL3)" },
	{ 0x0c, 0, "M EL3t" },
	{ 0x06, 0, "M 0b0110 (reserved)" },
	{ 0x01, 0, "M 0b0001 (EL0 with M[0] 1)" },
	{ 0x0b, 0, "M 0b1011 (reserved)" },
	{ 0x13, 0, "M AArch32 Supervisor with HCR_EL2.RW 1 (EL1 is AArch64)" },
	{ 0x1a, 0, "M AArch32 Hyp (EL2 is AArch64)" },
	{ 0x05, HCR_TGE, "M EL1h with HCR_EL2.TGE 1" },
};

/*
 * ERET at EL2 with SPSR_EL2 = spsr and ELR_EL2 = the next instruction;
 * *at is that instruction's address, *nzcv the flags after it ran (or
 * after the exception it took was handled and skipped it).
 */
static void eret_with(u64 spsr, u64 hcr, u64 *at, u64 *nzcv)
{
	u64 daif = read_sysreg(daif), target, flags;

	write_sysreg(hcr_el2, hcr);
	isb();
	__asm__ volatile("adr	%0, 1f\n\t"
			 "msr	elr_el2, %0\n\t"
			 "msr	spsr_el2, %2\n\t"
			 "isb\n\t"
			 "eret\n"
			 "1:	nop\n\t"
			 "mrs	%1, nzcv"
			 : "=&r"(target), "=&r"(flags) : "r"(spsr) : "memory", "cc");
	write_sysreg(daif, daif);
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
	*at = target;
	*nzcv = flags;
}

static void test_illegal_eret(void)
{
	struct exc_record r;
	u64 at, nzcv, spsr;
	bool taken;

	/* A legal return to EL2h itself: no exception, NZCV from SPSR_EL2. */
	exc_expect();
	eret_with(ERET_NZCV | SPSR_DAIF_MASK | SPSR_EL2H, HCR_HOST, &at, &nzcv);
	taken = exc_take(&r);
	ok(!taken, "ERET to EL2h from EL2 (legal): no exception at the target");
	check_eq(nzcv, ERET_NZCV, "it restores NZCV from SPSR_EL2");

	for (unsigned i = 0; i < ARRAY_SIZE(bad_erets); i++) {
		const struct bad_eret *b = &bad_erets[i];

		spsr = ERET_NZCV | SPSR_DAIF_MASK | b->m;
		memset(&r, 0, sizeof(r));
		exc_expect();
		eret_with(spsr, HCR_HOST | b->hcr_extra, &at, &nzcv);
		taken = exc_take(&r);
		if (taken)
			diag("illegal return, %s: ESR_EL2 0x%lx ELR_EL2 0x%lx SPSR_EL2 0x%lx (vector %u)", b->what,
			     r.esr, r.elr, r.spsr, r.kind);
		ok(taken, "ERET with SPSR_EL2.%s: an exception at the target instruction", b->what);
		check_eq(taken ? r.esr : ~0UL, ((u64)EC_ILLEGAL_STATE << 26) | ESR_IL,
			 "%s: ESR_EL2.EC 0x0E (Illegal Execution state), IL 1, ISS 0", b->what);
		check_eq(taken ? r.kind : ~0UL, 4,
			 "%s: taken to EL2 from EL2 with SP_EL2 (VBAR_EL2 + 0x200): EL and SP unchanged", b->what);
		check_eq(taken ? r.elr : ~0UL, at, "%s: ELR_EL2 is ELR_EL2 of the ERET (PC was set from it)", b->what);
		check_eq(taken ? r.spsr : ~0UL, (spsr & (SPSR_NZCV_MASK | SPSR_DAIF_MASK)) | SPSR_IL | SPSR_EL2H,
			 "%s: SPSR_EL2: IL 1, M EL2h, NZCV and DAIF as SPSR_EL2 gave them", b->what);
	}
}

/* ---- 4. the GIC hypervisor interface out of range ----------------------------------------- */

/* Every ICH_LR<n>_EL2 (S3_4_C12_C12_<n>, S3_4_C12_C13_<n-8>) and ICH_AP0R/AP1R<n>_EL2. */
#define ICH_ACCESS(n, reg) \
	case n: \
		if (write) \
			__asm__ volatile("adr %0, 1f\n1:\tmsr " reg ", %1" : "=&r"(pc) : "r"(v) : "memory"); \
		else \
			__asm__ volatile("adr %0, 1f\n1:\tmrs %1, " reg : "=&r"(pc), "=r"(v) :: "memory"); \
		break;

enum ich_bank { ICH_LR, ICH_AP0R, ICH_AP1R };

/* Accesses register n of the bank; returns the instruction's address, *v the value. */
static u64 ich_access(enum ich_bank bank, unsigned n, bool write, u64 *val)
{
	u64 pc = 0, v = *val;

	if (bank == ICH_LR) {
		switch (n) {
		ICH_ACCESS(0, "S3_4_C12_C12_0") ICH_ACCESS(1, "S3_4_C12_C12_1")
		ICH_ACCESS(2, "S3_4_C12_C12_2") ICH_ACCESS(3, "S3_4_C12_C12_3")
		ICH_ACCESS(4, "S3_4_C12_C12_4") ICH_ACCESS(5, "S3_4_C12_C12_5")
		ICH_ACCESS(6, "S3_4_C12_C12_6") ICH_ACCESS(7, "S3_4_C12_C12_7")
		ICH_ACCESS(8, "S3_4_C12_C13_0") ICH_ACCESS(9, "S3_4_C12_C13_1")
		ICH_ACCESS(10, "S3_4_C12_C13_2") ICH_ACCESS(11, "S3_4_C12_C13_3")
		ICH_ACCESS(12, "S3_4_C12_C13_4") ICH_ACCESS(13, "S3_4_C12_C13_5")
		ICH_ACCESS(14, "S3_4_C12_C13_6") ICH_ACCESS(15, "S3_4_C12_C13_7")
		}
	} else if (bank == ICH_AP0R) {
		switch (n) {
		ICH_ACCESS(0, "S3_4_C12_C8_0") ICH_ACCESS(1, "S3_4_C12_C8_1")
		ICH_ACCESS(2, "S3_4_C12_C8_2") ICH_ACCESS(3, "S3_4_C12_C8_3")
		}
	} else {
		switch (n) {
		ICH_ACCESS(0, "S3_4_C12_C9_0") ICH_ACCESS(1, "S3_4_C12_C9_1")
		ICH_ACCESS(2, "S3_4_C12_C9_2") ICH_ACCESS(3, "S3_4_C12_C9_3")
		}
	}
	isb();
	*val = v;
	return pc;
}

/* Registers first..last-1 of a bank, read and written: each UNDEFINED (EC 0x00 at EL2). */
static void check_undefined(enum ich_bank bank, unsigned first, unsigned last, const char *name)
{
	unsigned bad = 0, n_acc = 0;

	for (unsigned n = first; n < last; n++)
		for (unsigned w = 0; w < 2; w++) {
			struct exc_record r;
			u64 v = 0, pc;

			exc_expect();
			pc = ich_access(bank, n, w, &v);
			if (!exc_take(&r) || r.esr != ESR_IL || r.elr != pc || r.kind != 4) {
				if (!bad++)
					diag("%s%u_EL2 %s: not UNDEFINED (ESR_EL2 0x%lx, ELR_EL2 0x%lx for 0x%lx)",
					     name, n, w ? "write" : "read", r.esr, r.elr, pc);
			}
			n_acc++;
		}
	diag_env("%s<n>_EL2 for n %u to %u: %u accesses, %u not UNDEFINED", name, first, last - 1, n_acc, bad);
	ok(!bad, "%s<n>_EL2 past what ICH_VTR_EL2 implements: every read and write UNDEFINED (EC 0x00, IL 1, ISS 0, at EL2, ELR_EL2 the access)",
	   name);
}

/* ICH_LR<n>_EL2 fields */
#define LR_STATE_SHIFT	62
#define LR_HW		BIT(61)
#define LR_GROUP	BIT(60)
#define LR_PRIO_SHIFT	48
#define LR_EOI		BIT(41)
#define LR_PINTID_MASK	(0x1fffUL << 32)
/* ICH_VMCR_EL2 fields */
#define VMCR_VPMR_SHIFT	24
#define VMCR_VBPR0(v)	(((v) >> 21) & 7)
#define VMCR_VBPR1(v)	(((v) >> 18) & 7)
#define VMCR_VEOIM	BIT(9)
#define VMCR_VENG1	BIT(1)
#define VMCR_VENG0	BIT(0)
/* ICH_HCR_EL2: UIE..VGrp1DIE [7:1], TC [10], TALL0 [11], TALL1 [12], TDIR [14] (with TDS), EOIcount [31:27] */
#define HCR_KEPT	(0xfeUL | (7UL << 10) | (0x1fUL << 27))
#define ICH_HCR_TDIR	BIT(14)
#define VTR_TDS		BIT(19)

static void test_ich_ranges(void)
{
	u64 vtr = read_sysreg(ICH_VTR_EL2), vmcr0 = read_sysreg(ICH_VMCR_EL2), v, want, kept;
	unsigned nr_lrs = (unsigned)(vtr & 0x1f) + 1, pre = (unsigned)((vtr >> 26) & 7) + 1;
	unsigned pri = (unsigned)((vtr >> 29) & 7) + 1, idbits = ((vtr >> 23) & 7) ? 24 : 16;
	u64 prio_mask = (0xffUL << (8 - pri)) & 0xff, vintid_mask = (1UL << idbits) - 1;
	unsigned nr_apr = pre >= 7 ? 4 : pre == 6 ? 2 : 1;

	diag_env("ICH_VTR_EL2 0x%lx: %u list registers, %u priority bits, %u preemption bits, %u-bit INTIDs, %u APR(s) per group",
		 vtr, nr_lrs, pri, pre, idbits, nr_apr);
	write_sysreg(ICH_HCR_EL2, 0);
	isb();
	if (nr_lrs < 16)
		check_undefined(ICH_LR, nr_lrs, 16, "ICH_LR");
	else
		skip("16 list registers", "ICH_LR<n>_EL2 past ListRegs UNDEFINED");
	if (nr_apr < 4) {
		check_undefined(ICH_AP0R, nr_apr, 4, "ICH_AP0R");
		check_undefined(ICH_AP1R, nr_apr, 4, "ICH_AP1R");
	} else {
		skip("7 preemption bits", "ICH_AP0R/AP1R<n>_EL2 past PREbits UNDEFINED");
		skip("7 preemption bits", "ICH_AP0R/AP1R<n>_EL2 past PREbits UNDEFINED");
	}

	/* LR0 all ones, HW 0 (State pending and active): the kept fields. */
	v = ~0UL & ~LR_HW;
	ich_access(ICH_LR, 0, true, &v);
	v = 0;
	ich_access(ICH_LR, 0, false, &v);
	diag_env("ICH_LR0_EL2 written 0x%lx (all ones, HW 0): 0x%lx", ~0UL & ~LR_HW, v);
	kept = (3UL << LR_STATE_SHIFT) | LR_HW | LR_GROUP | LR_EOI | vintid_mask | (0xffUL << LR_PRIO_SHIFT);
	want = (3UL << LR_STATE_SHIFT) | LR_GROUP | LR_EOI | vintid_mask | (prio_mask << LR_PRIO_SHIFT);
	check_eq(v & kept, want,
		 "ICH_LR0_EL2 all ones with HW 0: State, Group, EOI and the implemented vINTID bits kept, Priority bits past PRIbits RAZ/WI");
	/* HW 1, pending: the pINTID kept. */
	v = (1UL << LR_STATE_SHIFT) | LR_HW | LR_GROUP | (0xffUL << LR_PRIO_SHIFT) | (0x1bUL << 32) | 0x1b;
	ich_access(ICH_LR, 0, true, &v);
	want = v & ~((0xffUL & ~prio_mask) << LR_PRIO_SHIFT);
	v = 0;
	ich_access(ICH_LR, 0, false, &v);
	diag_env("ICH_LR0_EL2 HW 1, pINTID 27: 0x%lx", v);
	check_eq(v & (kept | LR_PINTID_MASK), want,
		 "ICH_LR0_EL2 with HW 1: State, HW, Group, pINTID and vINTID kept, Priority bits past PRIbits RAZ/WI");
	v = 0;
	ich_access(ICH_LR, 0, true, &v);

	/* ICH_VMCR_EL2: VPMR 0xff, both binary points 0 (below their minimum), VEOIM, VENG0/1. */
	write_sysreg(ICH_VMCR_EL2, (0xffUL << VMCR_VPMR_SHIFT) | VMCR_VEOIM | VMCR_VENG1 | VMCR_VENG0);
	isb();
	v = read_sysreg(ICH_VMCR_EL2);
	diag_env("ICH_VMCR_EL2 written VPMR 0xff, VBPR0 0, VBPR1 0, VEOIM, VENG1, VENG0: 0x%lx", v);
	/* The bits past PRIbits: RAZ/WI as ICV_PMR_EL1's, or kept (QEMU 10): only on the ENV line. */
	check_eq((v >> VMCR_VPMR_SHIFT) & prio_mask, prio_mask, "ICH_VMCR_EL2.VPMR 0xff: the PRIbits implemented bits kept");
	check_eq(VMCR_VBPR0(v), 7 - pre, "ICH_VMCR_EL2.VBPR0 0: raised to its minimum, 7 - PREbits");
	check_eq(VMCR_VBPR1(v), 8 - pre, "ICH_VMCR_EL2.VBPR1 0: raised to its minimum, VBPR0's + 1");
	check_eq(v & (VMCR_VEOIM | VMCR_VENG1 | VMCR_VENG0), VMCR_VEOIM | VMCR_VENG1 | VMCR_VENG0,
		 "ICH_VMCR_EL2.VEOIM, VENG1, VENG0 kept");
	write_sysreg(ICH_VMCR_EL2, vmcr0);

	/* ICH_HCR_EL2: every bit but En (no maintenance interrupt can be signalled). */
	write_sysreg(ICH_HCR_EL2, ~1UL);
	isb();
	v = read_sysreg(ICH_HCR_EL2);
	write_sysreg(ICH_HCR_EL2, 0);
	isb();
	diag_env("ICH_HCR_EL2 written 0x%lx: 0x%lx", ~1UL, v);
	want = HCR_KEPT | (vtr & VTR_TDS ? ICH_HCR_TDIR : 0);
	check_eq(v & want, want,
		 "ICH_HCR_EL2 all ones but En: UIE, LRENPIE, NPIE, VGrp0/1EIE/DIE, TC, TALL0, TALL1, EOIcount (and TDIR with TDS) kept");
	check_eq(v & 1, 0, "ICH_HCR_EL2.En stays 0");
}

/* ---- 5. AT on addresses nothing maps -------------------------------------------------------- */

static void test_at_unmapped(void)
{
	u64 far_va = 1UL << 40, par;	/* TCR_EL2.T0SZ 25: 39-bit VAs */

	par = AT(s1e2r, far_va);
	diag("AT S1E2R 0x%lx (beyond TCR_EL2.T0SZ): PAR_EL1 0x%lx", far_va, par);
	check_eq(par & PAR_FAULT_BITS, PAR_F | (FSC_TRANS(0) << 1),
		 "AT S1E2R on a VA beyond TCR_EL2.T0SZ: PAR_EL1.F 1, FST 0b000100 (translation, level 0), S 0, PTW 0");

	vcpu_reset(el1_tlb);	/* the EL1 MMU off: stage 1 flat */
	s2_load(vtcr_good, good_vttbr());
	write_sysreg(hcr_el2, HCR_HOST | HCR_VM);
	isb();
	par = AT(s12e1r, 1UL << 33);
	diag("AT S12E1R 0x%lx (beyond VTCR_EL2.T0SZ): PAR_EL1 0x%lx", 1UL << 33, par);
	check_eq(par & PAR_FAULT_BITS, PAR_F | PAR_S | (FSC_TRANS(0) << 1),
		 "AT S12E1R on an IPA beyond VTCR_EL2.T0SZ: PAR_EL1.F 1, S 1, FST 0b000100 (translation, level 0), PTW 0");
	par = AT(s12e1r, win_ipa + 0x1000);
	diag("AT S12E1R 0x%lx (invalid level-3 entry): PAR_EL1 0x%lx", win_ipa + 0x1000, par);
	check_eq(par & PAR_FAULT_BITS, PAR_F | PAR_S | (FSC_TRANS(3) << 1),
		 "AT S12E1R on an IPA whose level-3 entry is invalid: PAR_EL1.F 1, S 1, FST 0b000111, PTW 0");
	par = AT(s12e1r, win_ipa + 0x10);
	diag("AT S12E1R 0x%lx (mapped to the hole): PAR_EL1 0x%lx", win_ipa + 0x10, par);
	check_eq(par & (PAR_F | PAR_PA(~0UL)), HOLE_PA,
		 "AT S12E1R on an IPA mapped to a PA with no memory: PAR_EL1.F 0, PA that PA (AT does not access it)");
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
	s2_load((vtcr_good & ~VTCR_SL0(3)) | VTCR_SL0(2), good_vttbr());
	write_sysreg(hcr_el2, HCR_HOST | HCR_VM);
	isb();
	par = AT(s12e1r, win_ipa);
	diag("AT S12E1R 0x%lx (VTCR_EL2.SL0 inconsistent): PAR_EL1 0x%lx", win_ipa, par);
	check_eq(par & PAR_FAULT_BITS, PAR_F | PAR_S | (FSC_TRANS(0) << 1),
		 "AT S12E1R with VTCR_EL2.SL0 inconsistent with T0SZ: PAR_EL1.F 1, S 1, FST 0b000100 (level 0), PTW 0");
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
}

static void hostile_timer_irq(u32 intid)
{
	(void)intid;
	write_sysreg(cnthp_ctl_el2, 0);	/* the guard's level dropped */
	isb();
}

void guest_main(void)
{
	bool gic_ok;

	if (read_sysreg(CurrentEL) >> 2 != 2) {
		diag("SKIP not entered at EL2");
		return;
	}
	gic_ok = hv_setup_gic(hostile_timer_irq);
	guard_armed_ok = gic_ok;
	ok(gic_ok, "the GIC and the EL2 timer's PPI are set up (every guest run is guarded)");
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
	s2_build();
	test_s2_outside();
	test_s2_loop();
	test_bad_vtcr();
	write_sysreg(vttbr_el2, 0);
	write_sysreg(vtcr_el2, 0);
	s2_flush();
	test_illegal_eret();
	test_ich_ranges();
	test_at_unmapped();
	write_sysreg(vttbr_el2, 0);
	write_sysreg(vtcr_el2, 0);
	s2_flush();
}
