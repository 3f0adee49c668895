/*
 * The test hypervisor's stage 2 (hv.c runs the guest): its own
 * translation tables for the EL1 guest; MMIO emulation from the data
 * abort syndrome (every access width, sign extension, W and X registers,
 * x30 and xzr); faults resolved lazily at level 3 and level 2; a page
 * remapped with break-before-make and TLB invalidation; the address
 * translation instructions at EL2 (AT S1E2R, S1E1R, S12E1R).
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

/* hv_el1.S */
extern char el1_s2[], el1_s2_load[], el1_s2_store[], el1_mmio[], el1_lazy_load[],
	el1_lazy_store[], el1_tlb[], el1_tlb_retry[];


/* ---- 5. stage 2 ------------------------------------------------------------------------ */

#define S2_VMID		1UL
#define S2_MAGIC	0x5d2a11a5c0ffee00UL
#define S2_STORE64	0x0badf00d5eed1234UL
#define S2_STORE32	0xfeedbeefUL
#define S2_MMIO_VALUE	0x1122334455667788UL

static u64 s2_l1[512] __attribute__((aligned(4096)));
static u64 s2_l2[512] __attribute__((aligned(4096)));
static u64 s2_l3[512] __attribute__((aligned(4096)));
static u64 s2_l3b[512] __attribute__((aligned(4096)));	/* the lazy block's, once it faults */
static volatile u64 s2_page[512] __attribute__((aligned(4096)));
/* PAs the hypervisor maps on demand: the lazy load's, the lazy store's, A and B of the remap */
static volatile u64 s2_pages[4][512] __attribute__((aligned(4096)));
#define PG_LAZY_LOAD	0
#define PG_LAZY_STORE	1
#define PG_A		2
#define PG_B		3

/* The IPA layout (s2_setup): window pages, and the unmapped block before the window. */
#define WIN_PAGE	0	/* -> s2_page */
#define WIN_HOLE	1	/* never mapped: MMIO */
#define WIN_LAZY	2	/* mapped on its first fault */
#define WIN_REMAP	3	/* -> A, then B */
static u64 win_ipa, lazy_block_ipa, lazy_block_idx;

/*
 * One trapped access to the hole (Arm ARM: ESR_EL2 ISS encoding for a Data
 * Abort, HPFAR_EL2, FAR_EL2): EC 0x24 with a valid instruction syndrome.
 * Not reached (an earlier exit went wrong): the same checks, all failed.
 */
static bool check_abort(bool reached, const char *what, const char *insn, u64 ipa, unsigned sas,
			unsigned srt, bool sf, bool wnr)
{
	u64 iss = ESR_ISS(vcpu.esr);
	bool t = reached && expect_exit(EC_DABT_LOW, what);
	u64 want = ISS_DA_ISV | ((u64)sas << 22) | ((u64)srt << 16) | (sf ? ISS_DA_SF : 0) |
		   (wnr ? ISS_DA_WNR : 0);
	u64 mask = ISS_DA_ISV | (3UL << 22) | ISS_DA_SSE | (0x1fUL << 16) | ISS_DA_SF | ISS_DA_AR |
		   ISS_DA_FNV | ISS_DA_S1PTW | ISS_DA_WNR;

	if (t)
		diag("%s: ESR_EL2 0x%lx FAR_EL2 0x%lx HPFAR_EL2 0x%lx ELR_EL2 0x%lx", what, vcpu.esr,
		     vcpu.far, vcpu.hpfar, vcpu.elr);
	ok(t && (vcpu.esr & ESR_IL), "HCR_EL2.VM: %s an unmapped IPA is a Data Abort from a lower EL "
	   "(ESR_EL2.EC 0x24, IL 1)", what);
	check_eq(t ? iss & mask : ~0UL, want,
		 "%s: ESR_EL2.ISS ISV 1, SAS %u, SSE 0, SRT %u, SF %u, AR 0, FnV 0, S1PTW 0, WnR %u",
		 what, sas, srt, sf, wnr);
	check_eq(t ? DFSC(vcpu.esr) : ~0UL, DFSC_TRANS_L3,
		 "%s: ESR_EL2.DFSC 0x07 (translation fault, level 3)", what);
	check_eq(t ? vcpu.far : ~0UL, ipa,
		 "%s: FAR_EL2 is the faulting VA (the EL1 MMU is off: VA = IPA)", what);
	check_eq(t ? hpfar_fipa(vcpu.hpfar) : ~0UL, ipa >> 12,
		 "%s: HPFAR_EL2.FIPA is the faulting IPA[51:12]", what);
	check_eq(t ? vcpu.elr : ~0UL, (u64)(uintptr_t)insn, "%s: ELR_EL2 is the faulting instruction",
		 what);
	return t;
}

/* The access the last exit syndrome describes can be emulated (ISV, a register). */
static bool emulatable(void)
{
	u64 iss = ESR_ISS(vcpu.esr);

	return (iss & ISS_DA_ISV) && ISS_DA_SRT(iss) < 31;
}

static void s2_setup(void)
{
	u64 vtcr, vttbr;
	u64 nblocks = s2_image_blocks();

	lazy_block_idx = nblocks;
	lazy_block_ipa = RAM_BASE + nblocks * SZ_2M;
	win_ipa = RAM_BASE + (nblocks + 1) * SZ_2M;
	/*
	 * IPA space (32 bits, walks start at level 1, VTCR_EL2.SL0 = 1): GiB 1
	 * through a level-2 table; the 2 MiB blocks holding the image (code,
	 * data, the EL1 stack) mapped 1:1; then a block left unmapped (the
	 * lazy block); then the window, whose level-3 table maps its first
	 * page to s2_page (another PA) and its fourth to A: its second page is
	 * the "MMIO" hole, its third mapped on its first fault.
	 */
	s2_map_image(s2_l1, s2_l2);
	memset(s2_l3, 0, sizeof(s2_l3));
	memset(s2_l3b, 0, sizeof(s2_l3b));
	s2_l2[(win_ipa - RAM_BASE) / SZ_2M] = (u64)(uintptr_t)s2_l3 | S2_TABLE;
	s2_l3[WIN_PAGE] = (u64)(uintptr_t)s2_page | S2_PAGE;
	s2_l3[WIN_REMAP] = (u64)(uintptr_t)s2_pages[PG_A] | S2_PAGE;
	s2_page[0] = S2_MAGIC;
	s2_page[1] = 0;
	dc_civac(&s2_page[0]);	/* the guest's accesses (MMU off) are Device: not cached */
	for (unsigned p = 0; p < 4; p++) {
		for (unsigned i = 0; i < 512; i++)
			s2_pages[p][i] = 0x9a9e000000000000UL | ((u64)p << 32) | i;
		clean_page(s2_pages[p]);
	}

	vtcr = s2_vtcr();
	vttbr = (S2_VMID << 48) | (u64)(uintptr_t)s2_l1;
	diag_env("stage 2: VTCR_EL2 0x%lx VTTBR_EL2 0x%lx, %lu x 2 MiB identity from 0x%lx, lazy block IPA 0x%lx, window IPA 0x%lx -> PA %p, hole IPA 0x%lx",
	     vtcr, vttbr, nblocks, RAM_BASE, lazy_block_ipa, win_ipa, (void *)s2_page,
	     win_ipa + 0x1000 * WIN_HOLE);
	dsb_sy();
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, vttbr);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");
}

static void s2_teardown(void)
{
	/* Stage 2 off again (HCR_EL2.VM is 0 outside run()); its TLB entries dropped. */
	__asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");
	write_sysreg(vttbr_el2, 0);
	write_sysreg(vtcr_el2, 0);
	isb();
}

/* The window's first page and the hole: a 64-bit load and a 32-bit store. */
static void test_s2_basic(void)
{
	u64 window = win_ipa, hole = win_ipa + 0x1000 * WIN_HOLE, hcr = HCR_GUEST | HCR_VM;
	bool t, r = false, stored = false;

	vcpu_reset(el1_s2);
	vcpu.x[1] = hole;
	vcpu.x[2] = window;
	vcpu.x[6] = 0xa5a5a5a500000000UL | S2_STORE32;	/* only w6 is stored */
	vcpu.x[8] = S2_STORE64;
	run(hcr);
	t = check_abort(true, "a 64-bit load from", el1_s2_load, hole, 3, 5, true, false) &&
	    emulatable();
	if (t) {
		/* MMIO emulation: the value into the register SRT names, past the load. */
		vcpu.x[ISS_DA_SRT(ESR_ISS(vcpu.esr))] = S2_MMIO_VALUE;
		vcpu.elr += 4;
		run(hcr);
	}
	t = check_abort(t, "a 32-bit store to", el1_s2_store, hole, 2, 6, false, true) && emulatable();
	if (t) {
		stored = (vcpu.x[ISS_DA_SRT(ESR_ISS(vcpu.esr))] & 0xffffffff) == S2_STORE32;
		r = resume_until_hvc(hcr, HV_HVC_S2, "after the store");
	}
	ok(stored, "the store's data is the guest's W register named by SRT");
	check_eq(r ? vcpu.x[5] : 0, S2_MMIO_VALUE, "the guest's load returns the value the hypervisor emulated");
	check_eq(r ? vcpu.x[3] : 0, S2_MAGIC,
		 "a load through a stage 2 page descriptor reads the PA it maps, not the IPA");
	dc_civac(&s2_page[1]);
	check_eq(s2_page[1], S2_STORE64, "a store through a stage 2 page descriptor reaches the PA it maps");
}


/* ---- MMIO: every width ------------------------------------------------------------------ */

/*
 * MMIO emulation of every access width (Arm ARM: ISS encoding for a Data
 * Abort: SAS, SSE, SRT, SF, WnR): a load's result written to the register
 * as the instruction would (sign-extended when SSE, a W register's upper
 * half zero), a store's data the register's low SAS bytes (xzr: 0). The
 * hole's register reads MMIO_READ.
 */
#define MMIO_READ	0x0123456789abcdefUL
#define MMIO_X11	0x123456789abcde5aUL
#define MMIO_X12	0x0fedcba98765a55aUL

struct mmio_access {
	const char *insn;
	unsigned sas, srt;
	bool sse, sf, wnr;
	u64 want;	/* a load: the register afterwards; a store: its data */
	const char *how;
};

static const struct mmio_access mmio_accesses[] = {
	{ "ldrb w7", 0, 7, false, false, false, 0xefUL, "the byte zero-extended" },
	{ "ldrsh x9", 1, 9, true, true, false, 0xffffffffffffcdefUL, "the halfword sign-extended to 64 bits" },
	{ "ldrsb w8", 0, 8, true, false, false, 0xffffffefUL, "the byte sign-extended to 32 bits, bits [63:32] 0" },
	{ "ldrsw x10", 2, 10, true, true, false, 0xffffffff89abcdefUL, "the word sign-extended to 64 bits" },
	{ "ldr w30", 2, 30, false, false, false, 0x89abcdefUL, "the word, bits [63:32] 0" },
	{ "strb w11", 0, 11, false, false, true, 0x5aUL, "the register's low byte" },
	{ "strh w12", 1, 12, false, false, true, 0xa55aUL, "the register's low halfword" },
	{ "str xzr", 3, 31, false, true, true, 0, "zero (SRT 31 is xzr)" },
};

static u64 mmio_load_value(u64 iss)
{
	unsigned bits = 8u << ISS_DA_SAS(iss);
	u64 v = bits == 64 ? MMIO_READ : MMIO_READ & ((1UL << bits) - 1);

	if ((iss & ISS_DA_SSE) && bits < 64 && ((v >> (bits - 1)) & 1))
		v |= ~0UL << bits;
	if (!(iss & ISS_DA_SF))
		v &= 0xffffffffUL;
	return v;
}

static void test_s2_mmio(void)
{
	u64 hole = win_ipa + 0x1000 * WIN_HOLE, hcr = HCR_GUEST | HCR_VM;
	u64 mask = ISS_DA_ISV | (3UL << 22) | ISS_DA_SSE | (0x1fUL << 16) | ISS_DA_SF | ISS_DA_WNR;
	u64 stored[ARRAY_SIZE(mmio_accesses)];
	bool t = true, r;
	unsigned i;

	vcpu_reset(el1_mmio);
	vcpu.x[1] = hole;
	vcpu.x[11] = MMIO_X11;
	vcpu.x[12] = MMIO_X12;
	memset(stored, 0xff, sizeof(stored));
	run(hcr);
	for (i = 0; i < ARRAY_SIZE(mmio_accesses); i++) {
		const struct mmio_access *a = &mmio_accesses[i];
		u64 iss = ESR_ISS(vcpu.esr), want;
		unsigned srt = ISS_DA_SRT(iss);

		want = ISS_DA_ISV | ((u64)a->sas << 22) | (a->sse ? ISS_DA_SSE : 0) |
		       ((u64)a->srt << 16) | (a->sf ? ISS_DA_SF : 0) | (a->wnr ? ISS_DA_WNR : 0);
		t = t && expect_exit(EC_DABT_LOW, a->insn);
		check_eq(t ? iss & mask : ~0UL, want,
			 "MMIO %s: ESR_EL2.EC 0x24, ISS ISV 1, SAS %u, SSE %u, SRT %u, SF %u, WnR %u",
			 a->insn, a->sas, a->sse, a->srt, a->sf, a->wnr);
		ok(t && vcpu.elr == (u64)(uintptr_t)el1_mmio + 4 * i && vcpu.far == hole &&
		   DFSC(vcpu.esr) == DFSC_TRANS_L3,
		   "MMIO %s: ELR_EL2 the instruction, FAR_EL2 the hole, DFSC 0x07", a->insn);
		if (!t)
			break;
		if (!(iss & ISS_DA_WNR)) {
			if (srt < 31)
				vcpu.x[srt] = mmio_load_value(iss);
		} else {
			unsigned bits = 8u << ISS_DA_SAS(iss);
			u64 v = srt < 31 ? vcpu.x[srt] : 0;

			stored[i] = bits == 64 ? v : v & ((1UL << bits) - 1);
		}
		vcpu.elr += 4;	/* emulated: past the access */
		run(hcr);
	}
	for (; i < ARRAY_SIZE(mmio_accesses); i++)	/* not reached: the same checks, failed */
		ok(false, "MMIO %s: not reached", mmio_accesses[i].insn);
	r = t && exit_is_hvc(HV_HVC_MMIO);
	if (t && !r)
		describe_exit("after the MMIO accesses");
	for (i = 0; i < ARRAY_SIZE(mmio_accesses); i++) {
		const struct mmio_access *a = &mmio_accesses[i];

		if (!a->wnr)
			check_eq(r ? vcpu.x[a->srt] : ~0UL, a->want, "MMIO %s: x%u is %s", a->insn,
				 a->srt, a->how);
		else
			check_eq(r ? stored[i] : ~0UL, a->want, "MMIO %s: the data is %s", a->insn, a->how);
	}
}

/* ---- faults resolved lazily ---------------------------------------------------------- */

#define LAZY_LOAD_MAGIC		0x1a2b3c4d5e6f7081UL
#define LAZY_STORE_VALUE	0x7766554433221100UL
#define LAZY_BLOCK_MAGIC	0x0f1e2d3c4b5a6978UL
#define LAZY_BLOCK_PAGE		5

/*
 * A stage 2 translation fault the hypervisor resolves (Arm ARM: ESR_EL2
 * data abort ISS, DFSC; FAR_EL2; HPFAR_EL2): EC 0x24, the fault level, WnR,
 * the VA and IPA, and ELR_EL2 the access itself (to be retried).
 */
static bool check_fault(bool reached, const char *what, const char *insn, u64 ipa, unsigned dfsc,
			bool wnr)
{
	bool t = reached && expect_exit(EC_DABT_LOW, what);

	if (t)
		diag("%s: ESR_EL2 0x%lx FAR_EL2 0x%lx HPFAR_EL2 0x%lx ELR_EL2 0x%lx", what, vcpu.esr,
		     vcpu.far, vcpu.hpfar, vcpu.elr);
	ok(t && (vcpu.esr & ESR_IL), "%s: a Data Abort from a lower EL (ESR_EL2.EC 0x24, IL 1)", what);
	check_eq(t ? DFSC(vcpu.esr) : ~0UL, dfsc, "%s: ESR_EL2.DFSC 0x%02x (translation fault, level %u)",
		 what, dfsc, dfsc & 3);
	check_eq(t ? !!(vcpu.esr & ISS_DA_WNR) : ~0UL, wnr, "%s: ESR_EL2.WnR %u", what, wnr);
	check_eq(t ? vcpu.far : ~0UL, ipa, "%s: FAR_EL2 is the VA (= IPA, the EL1 MMU off)", what);
	check_eq(t ? hpfar_fipa(vcpu.hpfar) : ~0UL, ipa >> 12, "%s: HPFAR_EL2.FIPA is IPA[51:12]", what);
	check_eq(t ? vcpu.elr : ~0UL, (u64)(uintptr_t)insn,
		 "%s: ELR_EL2 is the faulting instruction (returned to, it is retried)", what);
	return t;
}

static void test_s2_lazy(void)
{
	u64 hcr = HCR_GUEST | HCR_VM;
	u64 ipa_load = win_ipa + 0x1000 * WIN_LAZY + 0x18;
	u64 ipa_store = lazy_block_ipa + 0x1000 * LAZY_BLOCK_PAGE + 0x40;
	volatile u64 *pl = s2_pages[PG_LAZY_LOAD], *ps = s2_pages[PG_LAZY_STORE];
	bool t, r = false;

	vcpu_reset(el1_lazy_load);
	vcpu.x[1] = ipa_load;
	vcpu.x[2] = ipa_store;
	vcpu.x[4] = LAZY_STORE_VALUE;
	run(hcr);
	t = check_fault(true, "lazy: a load from an IPA whose level-3 entry is invalid", el1_lazy_load,
			ipa_load, DFSC_TRANS_L3, false);
	if (t) {
		/* The page gets its data, then its entry (no TLBI: invalid entries are not cached). */
		pl[(ipa_load & 0xfff) / 8] = LAZY_LOAD_MAGIC;
		clean_page(pl);
		s2_set(&s2_l3[WIN_LAZY], (u64)(uintptr_t)pl | S2_PAGE);
		run(hcr);
	}
	t = check_fault(t, "lazy: a store to an IPA in a block whose level-2 entry is invalid",
			el1_lazy_store, ipa_store, DFSC_TRANS_L2, true);
	if (t) {
		/* A level-3 table for the block, with the one page: the table complete before it is linked. */
		ps[(ipa_store & 0xfff) / 8 + 1] = LAZY_BLOCK_MAGIC;
		clean_page(ps);
		s2_l3b[LAZY_BLOCK_PAGE] = (u64)(uintptr_t)ps | S2_PAGE;
		s2_set(&s2_l2[lazy_block_idx], (u64)(uintptr_t)s2_l3b | S2_TABLE);
		run(hcr);
		r = exit_is_hvc(HV_HVC_LAZY);
		if (!r)
			describe_exit("after the lazy faults");
	}
	ok(r, "lazy: each access faults once: the retried accesses complete, the next exit is the HVC");
	check_eq(r ? vcpu.x[3] : 0, LAZY_LOAD_MAGIC, "lazy: the retried load reads the data the hypervisor put in the page");
	clean_page(ps);
	check_eq(ps[(ipa_store & 0xfff) / 8], LAZY_STORE_VALUE, "lazy: the retried store reaches the page mapped for it");
	check_eq(r ? vcpu.x[5] : 0, LAZY_BLOCK_MAGIC,
		 "lazy: a load from that page (mapped now, no fault) reads what the hypervisor put there");
}

/* ---- a page remapped ------------------------------------------------------------------- */

static void test_s2_remap(void)
{
	u64 hcr = HCR_GUEST | HCR_VM, ipa = win_ipa + 0x1000 * WIN_REMAP;
	u64 a = s2_pages[PG_A][0], b = s2_pages[PG_B][0];
	bool t, r1, r2 = false, r3 = false;

	vcpu_reset(el1_tlb);
	vcpu.x[1] = ipa;
	run(hcr);
	r1 = exit_is_hvc(HV_HVC_TLB);
	if (!r1)
		describe_exit("remap: first load");
	check_eq(r1 ? vcpu.x[3] : 0, a, "remap: the guest's load through IPA X reads page A (X's stage 2 entry)");
	if (r1) {
		/* Break-before-make: invalid, TLBIs, then the new entry to B. */
		s2_break(&s2_l3[WIN_REMAP], ipa);
		s2_set(&s2_l3[WIN_REMAP], (u64)(uintptr_t)s2_pages[PG_B] | S2_PAGE);
		run(hcr);
		r2 = exit_is_hvc(HV_HVC_TLB);
		if (!r2)
			describe_exit("remap: second load");
	}
	check_eq(r2 ? vcpu.x[3] : 0, b,
		 "remap: after X's entry was remapped to page B (invalid, TLBI IPAS2E1IS, DSB, TLBI VMALLE1IS, DSB, new entry) the load reads B");
	if (r2) {
		/* Break only: the TLB must not keep the old translation. */
		s2_break(&s2_l3[WIN_REMAP], ipa);
		run(hcr);
	}
	t = check_fault(r2, "remap: a load through X with its entry invalid and the TLB invalidated",
			el1_tlb_retry, ipa, DFSC_TRANS_L3, false);
	if (t) {
		s2_set(&s2_l3[WIN_REMAP], (u64)(uintptr_t)s2_pages[PG_A] | S2_PAGE);
		run(hcr);
		r3 = exit_is_hvc(HV_HVC_TLB);
		if (!r3)
			describe_exit("remap: third load");
	}
	check_eq(r3 ? vcpu.x[3] : 0, a, "remap: X mapped to A again, the retried load reads A");
}

/* ---- address translation instructions ---------------------------------------------- */

#define FST_TRANS_L1	0x05
#define FST_TRANS_L3	0x07
#define EL2_UNMAPPED_IDX 511		/* the EL2 map's last GiB: nothing there */


static void test_at(void)
{
	static volatile u64 mapped_var;
	u64 va = (u64)(uintptr_t)&mapped_var, bad_va = EL2_UNMAPPED_IDX * (1UL << 30) + 0x1230;
	u64 *el2_l1 = EL2_L1_TABLE;
	u64 saved = el2_l1[EL2_UNMAPPED_IDX], par, hole = win_ipa + 0x1000 * WIN_HOLE;

	par = AT(s1e2r, va);
	diag("AT S1E2R 0x%lx: PAR_EL1 0x%lx", va, par);
	ok(!(par & PAR_F), "AT S1E2R on a mapped EL2 VA: PAR_EL1.F 0");
	check_eq(PAR_PA(par), va & ~0xfffUL, "AT S1E2R: PAR_EL1.PA is the VA's page (the EL2 map is an identity)");
	check_eq(PAR_ATTR(par) | (PAR_SH(par) << 8), 0xffUL | (3UL << 8),
		 "AT S1E2R: PAR_EL1.ATTR 0xff (MAIR_EL2 Attr1, Normal Write-Back), SH 0b11 (inner shareable)");

	el2_l1[EL2_UNMAPPED_IDX] = 0;
	__asm__ volatile("dsb ishst\n\ttlbi vae2is, %0\n\tdsb ish\n\tisb" :: "r"(bad_va >> 12) : "memory");
	par = AT(s1e2r, bad_va);
	el2_l1[EL2_UNMAPPED_IDX] = saved;
	__asm__ volatile("dsb ishst\n\ttlbi vae2is, %0\n\tdsb ish\n\tisb" :: "r"(bad_va >> 12) : "memory");
	diag("AT S1E2R 0x%lx (level-1 entry invalid): PAR_EL1 0x%lx", bad_va, par);
	check_eq(par & PAR_FAULT_BITS, PAR_F | (FST_TRANS_L1 << 1),
		 "AT S1E2R on an EL2 VA whose level-1 entry is invalid: PAR_EL1.F 1, FST 0b000101 (translation, level 1), PTW 0, S 0");

	/*
	 * The EL1&0 regime: the EL1 MMU is off (vcpu_reset), so stage 1 is flat.
	 * HCR_EL2 as for the guest: with E2H and TGE 1 the EL1&0 regime is not
	 * in use (the VHE mode's host).
	 */
	vcpu_reset(el1_tlb);
	write_sysreg(hcr_el2, HCR_GUEST);
	isb();
	par = AT(s1e1r, win_ipa);
	check_eq(par & (PAR_F | PAR_PA(~0UL)), win_ipa,
		 "AT S1E1R at EL2 with SCTLR_EL1.M 0: PAR_EL1.F 0, PA = VA (stage 1 only, flat)");
	par = AT(s12e1r, win_ipa);
	check_eq(par & (PAR_F | PAR_PA(~0UL)), win_ipa,
		 "AT S12E1R with HCR_EL2.VM 0: PAR_EL1.F 0, PA = VA (no stage 2)");

	write_sysreg(hcr_el2, HCR_GUEST | HCR_VM);	/* stage 2 on for EL1&0; EL2 is not translated by it */
	isb();
	par = AT(s12e1r, win_ipa + 0x10);
	diag("AT S12E1R 0x%lx: PAR_EL1 0x%lx", win_ipa + 0x10, par);
	check_eq(par & (PAR_F | PAR_PA(~0UL)), (u64)(uintptr_t)s2_page,
		 "AT S12E1R with HCR_EL2.VM 1: PAR_EL1.F 0, PA the page stage 2 maps the IPA to");
	par = AT(s12e1r, hole);
	diag("AT S12E1R 0x%lx (unmapped IPA): PAR_EL1 0x%lx", hole, par);
	check_eq(par & PAR_FAULT_BITS, PAR_F | PAR_S | (FST_TRANS_L3 << 1),
		 "AT S12E1R on an IPA stage 2 does not map: PAR_EL1.F 1, S 1 (stage 2), FST 0b000111 (translation, level 3), PTW 0");
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
}

void test_stage2(void)
{
	s2_setup();
	test_s2_basic();
	test_s2_mmio();
	test_s2_lazy();
	test_s2_remap();
	test_at();
	s2_teardown();
}
