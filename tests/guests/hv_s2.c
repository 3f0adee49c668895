/*
 * The test hypervisor's stage 2 (hv.c runs the guest): its own
 * translation tables for the EL1 guest, MMIO emulation from the data
 * abort syndrome.
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

/* hv_el1.S */
extern char el1_s2[], el1_s2_load[], el1_s2_store[];
extern char _image_end[];	/* guest.ld */

#define ISS_DA_ISV	BIT(24)
#define ISS_DA_SAS(i)	(((i) >> 22) & 3)
#define ISS_DA_SSE	BIT(21)
#define ISS_DA_SRT(i)	(((i) >> 16) & 0x1f)
#define ISS_DA_SF	BIT(15)
#define ISS_DA_AR	BIT(14)
#define ISS_DA_FNV	BIT(10)
#define ISS_DA_S1PTW	BIT(7)
#define ISS_DA_WNR	BIT(6)
#define DFSC_TRANS_L3	0x07

/* ---- 5. stage 2 ------------------------------------------------------------------------ */

/*
 * Stage 2 descriptors (Arm ARM: VMSAv8-64 stage 2 block/page descriptor
 * attributes), HCR_EL2.FWB 0:
 * MemAttr [5:2] 0b1111 Normal Inner/Outer Write-Back, S2AP [7:6] 0b11
 * read/write, SH [9:8] inner shareable, AF [10], XN [54:53] 0.
 */
#define S2_ATTR		((0xfUL << 2) | (3UL << 6) | (3UL << 8) | BIT(10))
#define S2_BLOCK	(1UL | S2_ATTR)
#define S2_PAGE		(3UL | S2_ATTR)
#define S2_TABLE	3UL
#define S2_VMID		1UL
#define S2_MAGIC	0x5d2a11a5c0ffee00UL
#define S2_STORE64	0x0badf00d5eed1234UL
#define S2_STORE32	0xfeedbeefUL
#define S2_MMIO_VALUE	0x1122334455667788UL

static u64 s2_l1[512] __attribute__((aligned(4096)));
static u64 s2_l2[512] __attribute__((aligned(4096)));
static u64 s2_l3[512] __attribute__((aligned(4096)));
static volatile u64 s2_page[512] __attribute__((aligned(4096)));

static u64 hpfar_fipa(u64 hpfar)
{
	return (hpfar >> 4) & ((1UL << 40) - 1);	/* HPFAR_EL2.FIPA [43:4] = IPA[51:12] */
}

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

void test_stage2(void)
{
	u64 image_end = (u64)(uintptr_t)_image_end, parange, vtcr, vttbr, hcr = HCR_GUEST | HCR_VM;
	u64 nblocks = (image_end - RAM_BASE + SZ_2M - 1) / SZ_2M;
	u64 window = RAM_BASE + (nblocks + 1) * SZ_2M;	/* one unmapped 2 MiB block before it */
	u64 hole = window + 0x1000;
	bool t, r = false, stored = false;

	/*
	 * IPA space (32 bits, walks start at level 1, VTCR_EL2.SL0 = 1): GiB 1
	 * through a level-2 table; the 2 MiB blocks holding the image (code,
	 * data, the EL1 stack) mapped 1:1; the window's level-3 table maps its
	 * first page to s2_page (another PA) and nothing else: its second page
	 * is the "MMIO" hole.
	 */
	memset(s2_l1, 0, sizeof(s2_l1));
	memset(s2_l2, 0, sizeof(s2_l2));
	memset(s2_l3, 0, sizeof(s2_l3));
	s2_l1[RAM_BASE >> 30] = (u64)(uintptr_t)s2_l2 | S2_TABLE;
	for (u64 i = 0; i < nblocks; i++)
		s2_l2[i] = (RAM_BASE + i * SZ_2M) | S2_BLOCK;
	s2_l2[(window - RAM_BASE) / SZ_2M] = (u64)(uintptr_t)s2_l3 | S2_TABLE;
	s2_l3[0] = (u64)(uintptr_t)s2_page | S2_PAGE;
	s2_page[0] = S2_MAGIC;
	s2_page[1] = 0;
	dc_civac(&s2_page[0]);	/* the guest's accesses (MMU off) are Device: not cached */

	parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	if (parange > 5)
		parange = 5;
	vtcr = BIT(31) | (parange << 16) | (3UL << 12) | (1UL << 10) | (1UL << 8) | (1UL << 6) | 32;
	vttbr = (S2_VMID << 48) | (u64)(uintptr_t)s2_l1;
	diag("stage 2: VTCR_EL2 0x%lx VTTBR_EL2 0x%lx, %lu x 2 MiB identity from 0x%lx, window IPA 0x%lx -> PA %p, hole IPA 0x%lx",
	     vtcr, vttbr, nblocks, RAM_BASE, window, (void *)s2_page, hole);
	dsb_sy();
	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, vttbr);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");

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

	/* Stage 2 off again (HCR_EL2.VM is 0 outside run()); its TLB entries dropped. */
	__asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");
	write_sysreg(vttbr_el2, 0);
	write_sysreg(vtcr_el2, 0);
	isb();
}

