/*
 * The test hypervisor's VHE mode (boot argument "vhe", hv.c): its EL2 runs
 * as a host kernel's does, with HCR_EL2.E2H 1 (Arm ARM: FEAT_VHE, "Behavior
 * of HCR_EL2.E2H"), TGE 1 while it is the host and 0 while its guest runs.
 *
 * vhe_cpu_enter() puts a CPU there: with its EL2 MMU off for the switch,
 * HCR_EL2 E2H|TGE, the EL2&0 regime (TTBR0_EL2 = vhe_l1_table, the
 * identity map with EL1&0-format descriptors: AP[1] is the EL0 permission
 * and PXN/UXN are bits 53/54; TTBR1_EL2 = vhe_hi_table, GiB 1 again at the
 * bottom of the upper VA range, as a VHE kernel's own mapping), TCR_EL2,
 * SCTLR_EL2, CPTR_EL2 and CNTHCTL_EL2 in their E2H 1 layouts. An alias of
 * GiB 1 at VHE_EL0_ALIAS is the host's EL0 task's: read-only, executable
 * at EL0 only.
 *
 * test_vhe() checks what E2H changes: TTBR1_EL2 translates the upper VA
 * range (a load and AT S1E2R through it); the EL1 register names at EL2 reach
 * the EL2 registers (SCTLR, TCR, VBAR, ESR), the _EL12 forms the guest's
 * EL1 registers, CNTP_* and CNTV_* at EL2 the EL2 physical and virtual
 * timers and the _EL02 forms the guest's, the virtual count at EL2 without
 * CNTVOFF_EL2; and the host's EL0 task with TGE 1: its SVC taken at EL2
 * (EC 0x15), its counter access trapped by CNTHCTL_EL2.EL0PCTEN (bit 0 in
 * the E2H 1 layout, not EL1PCTEN), its load from an EL2-only page a
 * permission fault taken at EL2.
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

/* hv_el1.S */
extern char hv_el1_vectors[], el1_vhe_regs[], el0_task[], el0_task_after[], el0_task_load[];

u64 vhe_l1_table[512] __attribute__((aligned(4096)));
static u64 vhe_hi_table[512] __attribute__((aligned(4096)));

#define VHE_EL0_ALIAS_IDX	8
#define VHE_EL0_ALIAS		((u64)VHE_EL0_ALIAS_IDX << 30)
/* The upper VA range with T1SZ 25 starts at 2^64 - 2^39: its first GiB is RAM's. */
#define VHE_HI_BASE		0xffffff8000000000UL

/* Stage 1 descriptors of the EL1&0 and EL2&0 regimes (Arm ARM: VMSAv8-64 stage 1 attributes). */
#define PTE_AP1		BIT(6)		/* EL0 access */
#define PTE_AP2		BIT(7)		/* read-only */
#define PTE_PXN		BIT(53)
#define PTE_UXN		BIT(54)
#define PTE_ATTR_IDX(e)	(((e) >> 2) & 7)
#define PTE_NORMAL_IDX	1		/* start.S: MAIR Attr1 Normal write-back, Attr0 Device */

/*
 * TCR_EL2 with E2H 1 (the TCR_EL1 layout): T0SZ 25, IRGN0/ORGN0 write-back,
 * SH0 inner, TG0 4 KiB, T1SZ 25, IRGN1/ORGN1 write-back, SH1 inner, TG1
 * 4 KiB (0b10), IPS [34:32] the PARange (at most 48 bits).
 */
#define TCR_VHE		(25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (25UL << 16) | (1UL << 24) | \
			 (1UL << 26) | (3UL << 28) | (2UL << 30))
/*
 * SCTLR_EL2 with E2H and TGE 1 (the SCTLR_EL1 layout): RES1 bits 29, 28,
 * 23 (SPAN), 22, 20, 11; nTWE, nTWI (EL0's WFE/WFI not trapped), CP15BEN,
 * SA0, SA, I, C, M.
 */
#define SCTLR_VHE	(0x30d00800UL | BIT(18) | BIT(16) | BIT(5) | BIT(4) | BIT(3) | BIT(12) | BIT(2) | \
			 BIT(0))
#define SCTLR_UCI	BIT(26)

static u64 el0_va(const char *p)
{
	return (u64)(uintptr_t)p - RAM_BASE + VHE_EL0_ALIAS;
}

static void vhe_table_build(void)
{
	for (unsigned i = 0; i < 512; i++) {
		u64 e = boot_l1_table[i] & ~(PTE_AP1 | PTE_UXN);

		if (e & 1)
			e |= PTE_UXN | (PTE_ATTR_IDX(e) == PTE_NORMAL_IDX ? 0 : PTE_PXN);
		vhe_l1_table[i] = e;
	}
	vhe_l1_table[VHE_EL0_ALIAS_IDX] = RAM_BASE | 1 | BIT(10) | (PTE_NORMAL_IDX << 2) | (3UL << 8) |
					   PTE_AP1 | PTE_AP2 | PTE_PXN;
	vhe_hi_table[0] = RAM_BASE | 1 | BIT(10) | (PTE_NORMAL_IDX << 2) | (3UL << 8) | PTE_PXN | PTE_UXN;
	__asm__ volatile("dsb ish" ::: "memory");
}

void vhe_cpu_enter(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	u64 tcr = TCR_VHE | ((parange > 5 ? 5 : parange) << 32);
	u64 hcr = HCR_HOST, cptr = CPTR_FREE, cnthctl = CNTHCTL_HOST;

	if (this_cpu() == 0)
		vhe_table_build();
	/* Nothing but system registers between the MMU off and on again. */
	__asm__ volatile(
		"mrs	x9, sctlr_el2\n\t"
		"bic	x9, x9, #1\n\t"
		"msr	sctlr_el2, x9\n\t"
		"isb\n\t"
		"tlbi	alle2\n\t"
		"dsb	nsh\n\t"
		"msr	hcr_el2, %0\n\t"
		"isb\n\t"
		"msr	tcr_el2, %1\n\t"
		"msr	ttbr0_el2, %2\n\t"
		"msr	S3_4_C2_C0_1, %6\n\t"	/* TTBR1_EL2 */
		"msr	cptr_el2, %3\n\t"
		"msr	cnthctl_el2, %4\n\t"
		"isb\n\t"
		"tlbi	alle2\n\t"
		"dsb	nsh\n\t"
		"isb\n\t"
		"msr	sctlr_el2, %5\n\t"
		"isb\n\t"
		"ic	iallu\n\t"
		"dsb	nsh\n\t"
		"isb"
		:: "r"(hcr), "r"(tcr), "r"((u64)(uintptr_t)vhe_l1_table), "r"(cptr), "r"(cnthctl),
		   "r"(SCTLR_VHE), "r"((u64)(uintptr_t)vhe_hi_table)
		: "x9", "memory");
}

/* ---- E2H redirection and the _EL12/_EL02 accessors ------------------------------------ */

static void test_vhe_regs(void)
{
	u64 sctlr2 = read_sysreg(sctlr_el2), got2, got12, tcr2 = read_sysreg(tcr_el2);
	u64 l2_sctlr = SCTLR_EL1_RES1 | SCTLR_I, l2_tcr = 0x19UL | BIT(23);
	bool r;

	diag_env("VHE: SCTLR_EL2 0x%lx, TCR_EL2 0x%lx, TTBR0_EL2 0x%lx", sctlr2, tcr2,
		 read_sysreg(ttbr0_el2));
	write_sysreg_enc(SCTLR_EL12, SCTLR_EL1_RES1);
	write_sysreg(sctlr_el1, sctlr2 ^ SCTLR_UCI);
	isb();
	got2 = read_sysreg(sctlr_el2);
	got12 = read_sysreg_enc(SCTLR_EL12);
	write_sysreg(sctlr_el2, sctlr2);
	isb();
	check_eq(got2, sctlr2 ^ SCTLR_UCI, "E2H 1: SCTLR_EL1 written at EL2 is SCTLR_EL2 (its UCI bit changed)");
	check_eq(got12, SCTLR_EL1_RES1, "E2H 1: SCTLR_EL12 (the EL1 register) is not changed by it");
	check_eq(read_sysreg(tcr_el1), tcr2, "E2H 1: TCR_EL1 read at EL2 is TCR_EL2");
	ok(!(tcr2 & BIT(23)) && ((tcr2 >> 30) & 3) == 2 && ((tcr2 >> 16) & 0x3f) == 25,
	   "TCR_EL2 with E2H 1 keeps its TTBR1 fields (EPD1 0, TG1 0b10 4 KiB, T1SZ 25)");
	check_eq(read_sysreg(vbar_el1), (u64)(uintptr_t)el2_vectors, "E2H 1: VBAR_EL1 read at EL2 is VBAR_EL2");

	/* The guest's EL1 registers written through the _EL12 forms, read by the guest. */
	vcpu_reset(el1_vhe_regs);
	write_sysreg_enc(SCTLR_EL12, l2_sctlr);
	write_sysreg_enc(TCR_EL12, l2_tcr);
	isb();
	run(HCR_GUEST);
	r = expect_hvc(HV_HVC_VHE, "EL1 registers");
	check_eq(r ? read_sysreg(esr_el1) : ~0UL, vcpu.esr, "E2H 1: ESR_EL1 read at EL2 is ESR_EL2 (the HVC's syndrome)");
	check_eq(r ? vcpu.x[5] : ~0UL, l2_sctlr, "SCTLR_EL12 written at EL2 is the guest's SCTLR_EL1");
	check_eq(r ? vcpu.x[6] : ~0UL, l2_tcr, "TCR_EL12 written at EL2 is the guest's TCR_EL1");
	check_eq(r ? vcpu.x[7] : ~0UL, (u64)(uintptr_t)hv_el1_vectors,
		 "VBAR_EL12 written at EL2 (vcpu_reset) is the guest's VBAR_EL1");
	check_eq(read_sysreg(sctlr_el2), sctlr2, "SCTLR_EL2 unchanged by the guest's SCTLR_EL1");
	write_sysreg_enc(TCR_EL12, 0);
	isb();
}

static void test_vhe_timers(void)
{
	const u64 voff = 0xffffff0000000000UL, hp = 0x1234567800UL, hv = 0x2345678900UL, l2 = 0x3456789a00UL;
	u64 got_hp, got_p02, got_hv, got_v02, pb, vct, pa;

	write_sysreg(cnthp_cval_el2, 0);
	write_sysreg_enc(CNTV_CVAL_EL02, l2);
	write_sysreg(cntp_cval_el0, hp);
	write_sysreg(cntv_cval_el0, hv);
	isb();
	got_hp = read_sysreg(cnthp_cval_el2);
	got_p02 = read_sysreg(S3_5_C14_C2_2);	/* CNTP_CVAL_EL02 */
	got_hv = read_sysreg_enc(CNTHV_CVAL_EL2);
	got_v02 = read_sysreg_enc(CNTV_CVAL_EL02);
	write_sysreg(cnthp_cval_el2, 0);
	write_sysreg_enc(CNTHV_CVAL_EL2, 0);
	write_sysreg_enc(CNTV_CVAL_EL02, 0);
	isb();
	check_eq(got_hp, hp, "E2H 1: CNTP_CVAL_EL0 written at EL2 is CNTHP_CVAL_EL2 (the EL2 physical timer)");
	ok(got_p02 != hp, "CNTP_CVAL_EL02 (the EL1 physical timer) is not changed by it");
	check_eq(got_hv, hv, "E2H 1: CNTV_CVAL_EL0 written at EL2 is CNTHV_CVAL_EL2 (the EL2 virtual timer)");
	check_eq(got_v02, l2, "CNTV_CVAL_EL02 (the EL1 virtual timer) keeps the guest's value");

	/* Arm ARM, the virtual count: CNTVOFF_EL2 is not applied at EL2 with E2H 1. */
	write_sysreg(cntvoff_el2, voff);
	isb();
	pb = pcount();
	vct = read_sysreg(cntvct_el0);
	pa = pcount();
	write_sysreg(cntvoff_el2, 0);
	isb();
	ok(vct >= pb && vct <= pa, "E2H 1: CNTVCT_EL0 at EL2 is CNTPCT_EL0 (CNTVOFF_EL2 not applied)");
}

/* ---- the host's EL0 task ---------------------------------------------------------------- */

static struct hv_vcpu task;

static void task_run(const char *entry)
{
	memset(&task, 0, sizeof(task));
	task.elr = el0_va(entry);
	task.spsr = 0;			/* EL0t, nothing masked */
	run_vcpu(&task, HCR_HOST);	/* TGE 1: the host's own EL0 */
}

static bool task_exit(unsigned ec, const char *what)
{
	if (task.kind == HV_EXIT_SYNC && ESR_EC(task.esr) == ec)
		return true;
	diag("EL0 task, %s: exit kind %lu ESR_EL2 0x%lx ELR_EL2 0x%lx FAR_EL2 0x%lx SPSR_EL2 0x%lx", what,
	     task.kind, task.esr, task.elr, task.far, task.spsr);
	return false;
}

static void test_vhe_el0(void)
{
	static volatile u64 el2_only;
	u64 pb = pcount(), iss;
	bool t;

	write_sysreg(cnthctl_el2, CNTHCTL_HOST);
	isb();
	task_run(el0_task);
	t = task_exit(EC_SVC64, "SVC");
	ok(t && (task.esr & ESR_IL),
	   "TGE 1: the host's EL0 task's SVC is taken at EL2 with ESR_EL2.EC 0x15, IL 1");
	check_eq(t ? task.esr & 0xffff : ~0UL, HV_SVC_TASK, "ESR_EL2.ISS imm16 is the SVC's immediate");
	check_eq(task.elr, el0_va(el0_task_after), "ELR_EL2 is the instruction after the SVC");
	check_eq(task.spsr & 0x1f, 0, "SPSR_EL2.M is EL0t");
	ok(t && task.x[1] >= pb && task.x[1] <= pcount(),
	   "CNTHCTL_EL2.EL0PCTEN 1 (E2H 1, bit 0): the task read CNTPCT_EL0 itself");

	/* E2H 1: EL0PCTEN (bit 0) is EL0's control; EL1PCTEN (bit 10) set does not let EL0 through. */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EL0VCTEN);
	isb();
	task_run(el0_task);
	write_sysreg(cnthctl_el2, CNTHCTL_HOST);
	isb();
	t = task_exit(EC_SYS64, "CNTPCT_EL0");
	iss = ESR_ISS(task.esr);
	check_eq(t ? iss : ~0UL, ISS_SYS(3, 3, 14, 0, 1, 1, 1),
		 "CNTHCTL_EL2.EL0PCTEN 0 (E2H 1, EL1PCTEN 1): the task's CNTPCT_EL0 read traps to EL2 (EC 0x18, Op0 3 Op1 3 CRn 14 CRm 0 Op2 1, Rt 1, read)");
	check_eq(task.elr, el0_va(el0_task), "ELR_EL2 is the trapped MRS");

	/* AP[1] 0: EL2 only. The task's load is a permission fault at level 1, taken at EL2. */
	memset(&task, 0, sizeof(task));
	task.elr = el0_va(el0_task_load);
	task.x[2] = (u64)(uintptr_t)&el2_only;
	run_vcpu(&task, HCR_HOST);
	t = task_exit(EC_DABT_LOW, "load");
	ok(t, "the task's load from a page the EL2&0 map gives EL2 only aborts to EL2 (EC 0x24)");
	check_eq(t ? ESR_ISS(task.esr) & 0x7f : ~0UL, 0x0d,
		 "ESR_EL2.DFSC 0b001101 (permission fault, level 1), WnR 0");
	check_eq(t ? task.far : ~0UL, (u64)(uintptr_t)&el2_only, "FAR_EL2 is the address loaded");
	check_eq(task.elr, el0_va(el0_task_load), "ELR_EL2 is the load");
}

/* TTBR1_EL2 (E2H 1: the EL2&0 regime has two VA ranges): the upper one's first GiB is RAM. */
static void test_vhe_ttbr1(void)
{
	static volatile u64 word = 0x5eed0000feedf00dUL;
	u64 hi = VHE_HI_BASE + ((u64)(uintptr_t)&word - RAM_BASE), par;

	check_eq(*(volatile u64 *)(uintptr_t)hi, word,
		 "E2H 1: a load from the upper VA range (TTBR1_EL2) reads the same memory as its identity address");
	par = AT(s1e2r, hi);
	diag("AT S1E2R 0x%lx (TTBR1_EL2): PAR_EL1 0x%lx", hi, par);
	check_eq(par & (PAR_F | PAR_PA(~0UL)), (u64)(uintptr_t)&word & ~0xfffUL,
		 "AT S1E2R on an upper-range VA: PAR_EL1.F 0, PA through TTBR1_EL2's table");
}

void test_vhe(void)
{
	test_vhe_ttbr1();
	test_vhe_regs();
	test_vhe_timers();
	test_vhe_el0();
}
