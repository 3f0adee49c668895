/*
 * Shared by the test hypervisor (hv*.c, at EL2) and its EL1 guest
 * (hv_el1.S): the HVC immediates with which the guest's snippets come back,
 * the SMC immediate of the trapped SMC; for the C files also the
 * architectural constants and the guest runner (hv_run.c) they share;
 * hv_bench (hv_bench.c, hv_bench_el1.S) uses them too.
 */
#ifndef HV_H
#define HV_H

#define HV_HVC_BASIC	0xa5c3	/* el1_basic: the first exit, registers as entered */
#define HV_HVC_ECHO	0x4802	/* el1_basic: x1 = ~x0, x2 = CurrentEL */
#define HV_HVC_IDS	0x4803	/* el1_ids: x0 = MIDR_EL1, x1 = MPIDR_EL1 */
#define HV_HVC_SMC	0x4804	/* el1_smc: after the SMC */
#define HV_HVC_WFI	0x4805	/* el1_wfi: after the WFI */
#define HV_HVC_ID	0x4806	/* el1_id_read: x3 = ID_AA64PFR0_EL1 */
#define HV_HVC_TVM	0x4807	/* el1_tvm: x5 = SCTLR_EL1 read back */
#define HV_HVC_S2	0x4808	/* el1_s2: x3 = the remapped page, x5 = the emulated load */
#define HV_HVC_CNT	0x4809	/* el1_cnt: x1 = CNTVCT_EL0, x2 = CNTV_CTL_EL0 */
#define HV_HVC_CALLS	0x480a	/* el1_hvc_calls: x1 = the last result + 1 */
#define HV_HVC_TRAP	0x480b	/* el1_trvm, el1_tacr, el1_tsw, el1_fp: after the trapped instruction */
#define HV_HVC_MMIO	0x480c	/* el1_mmio: after the emulated accesses */
#define HV_HVC_LAZY	0x480d	/* el1_lazy_load: x3, x5 = the loads once mapped */
#define HV_HVC_TLB	0x480e	/* el1_tlb: x3 = the load through the remapped IPA */
#define HV_HVC_VACK	0x480f	/* el1_virq_poll: x1 = HPPIR1, x2 = IAR1, x4 = RPR, while active */
#define HV_HVC_VEOI	0x4810	/* el1_virq_poll: after EOIR1: x3 = HPPIR1, x5 = RPR */
#define HV_HVC_IRQ	0x4811	/* el1_irq (an IRQ at EL1): x20 = IAR1, x21 = ELR_EL1, before the EOI */
#define HV_HVC_VDONE	0x4812	/* el1_virq_take, el1_vtimer: x23 = IRQs taken; x2 = CNTV_CVAL_EL0 */
#define HV_HVC_PTIMER	0x4813	/* el1_ptimer: x2 = CNTP_CVAL_EL0, x3 = CNTPCT_EL0, x5 = CNTP_CTL_EL0 after the WFI */
#define HV_HVC_SMP_IPI	0x4814	/* el1_smp0: x5 = what vCPU 1 wrote; asks for the IPI to vCPU 1 */
#define HV_HVC_SMP0	0x4815	/* el1_smp0: the end */
#define HV_HVC_SMP1	0x4816	/* el1_smp1: x0 = context id, x1 = MPIDR_EL1, x20 = IAR1, x23 = IRQs */
#define HV_HVC_VHE	0x4817	/* el1_vhe_regs: x5 = SCTLR_EL1, x6 = TCR_EL1, x7 = VBAR_EL1 */
#define HV_SVC_TASK	0x15e	/* el0_task (the VHE host's EL0 task): its SVC's immediate */
#define HV_HVC_DONE	0x48ff	/* a snippet's end (it is not resumed) */
#define HV_HVC_EL1_EXC	0x48e1	/* an exception taken at EL1: x0 ESR_EL1, x1 ELR_EL1, x2 FAR_EL1, x3 vector */

/* hv_bench's snippets (hv_bench_el1.S) */
#define HV_HVC_BENCH_OP		0x4820	/* hvb_hvc: one operation, the hypercall L1 handles */
#define HV_HVC_BENCH_PASS	0x4821	/* hvb_touch: every page touched once */
#define HV_HVC_BENCH_AGAIN	0x4822	/* hvb_touch: touched again, x12/x13 = exit counts before/after */
#define HV_HVC_BENCH_IPI	0x4823	/* hvb_ipi0: one operation, an IPI to vCPU 1 asked for */
/* nestvisor's exit count call (SMCCC vendor-hypervisor service, SMC64 fast call) */
#define NV_HC_EXIT_COUNT	0xc6000001

#define HV_SMC_IMM	0x5a	/* el1_smc's SMC immediate */

#ifdef __ASSEMBLER__
/* A snippet of an EL1 guest: entered at name, it ends with done. */
.macro snippet name
	.balign	8
	.global	\name
	.type	\name, %function
\name:
.endm

.macro done
99:	hvc	#HV_HVC_DONE
	b	99b
.endm

/*
 * An EL1 vector table (VBAR_EL1) for the hypervisors' guests: every
 * exception reported with HV_HVC_EL1_EXC (x0 ESR_EL1, x1 ELR_EL1, x2
 * FAR_EL1, x3 the vector's number), but an IRQ from EL1h, which branches
 * to irq.
 */
.macro el1_vector_table name, irq
	.balign	0x800
	.global	\name
\name:
	.irp	kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	\kind == 5
	b	\irq
	.else
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	mov	x3, #\kind
98:	hvc	#HV_HVC_EL1_EXC
	b	98b
	.endif
	.endr
.endm

/*
 * The end of an IRQ handler at EL1 that acknowledged x20: the virtual
 * timer stopped (it may be the source: level-sensitive), EOI
 * (ICC_EOIR1_EL1), x23 counting, back.
 */
.macro irq_done
	msr	cntv_ctl_el0, xzr
	isb
	msr	ICC_EOIR1_EL1, x20
	isb
	add	x23, x23, #1
	eret
.endm

/* The virtual CPU interface as a guest's driver enables it: PMR 0xf0, Group 1 on. */
.macro vgic_on
	mov	x9, #0xf0
	msr	ICC_PMR_EL1, x9
	mov	x9, #1
	msr	ICC_IGRPEN1_EL1, x9
	isb
.endm
#endif

#ifndef __ASSEMBLER__

#include "guest.h"

/* HCR_EL2 (Arm ARM: the HCR_EL2 register description) */
#define HCR_VM		BIT(0)
#define HCR_IMO		BIT(4)
#define HCR_TWI		BIT(13)
#define HCR_TWE		BIT(14)
#define HCR_TID3	BIT(18)
#define HCR_TSC		BIT(19)
#define HCR_TACR	BIT(21)
#define HCR_TSW		BIT(22)
#define HCR_TVM		BIT(26)
#define HCR_TGE		BIT(27)
#define HCR_TRVM	BIT(30)
#define HCR_RW		BIT(31)
#define HCR_E2H		BIT(34)
/*
 * HCR_EL2.IMO routes physical IRQs to EL2 (Arm ARM: "Asynchronous
 * exception routing"): without it (and TGE 0) they target EL1 and are
 * never taken while executing at EL2. So the hypervisor keeps it set, and
 * every guest run has it as well: the guard's interrupt then takes the
 * guest to EL2 whatever its PSTATE.I. EL1 is AArch64 (RW).
 */
#define HCR_HOST	(HCR_RW | HCR_IMO | (hv_vhe ? HCR_E2H | HCR_TGE : 0))
#define HCR_GUEST	(HCR_RW | HCR_IMO | (hv_vhe ? HCR_E2H : 0))

/*
 * The VHE mode (hv_vhe.c, boot argument "vhe"): the hypervisor runs with
 * HCR_EL2.E2H 1 in the EL2&0 regime, TGE 1 while it is the host and 0
 * while its guest runs (HCR_HOST, HCR_GUEST above). With E2H 1 the EL1
 * register names at EL2 reach EL2 registers (Arm ARM: "Behavior of
 * HCR_EL2.E2H"), so the guest's EL1 registers are reached through their
 * *_EL12 and *_EL02 accessors (generic encodings: op1 5), as the
 * l2_read/l2_write macros choose.
 */
extern bool hv_vhe;
#define SCTLR_EL12	S3_5_C1_C0_0
#define VBAR_EL12	S3_5_C12_C0_0
#define TCR_EL12	S3_5_C2_C0_2
#define ESR_EL12	S3_5_C5_C2_0
#define CNTP_CTL_EL02	S3_5_C14_C2_1
#define CNTV_CTL_EL02	S3_5_C14_C3_1
#define CNTV_CVAL_EL02	S3_5_C14_C3_2
#define CNTHV_CTL_EL2	S3_4_C14_C3_1
#define CNTHV_CVAL_EL2	S3_4_C14_C3_2
/* read_sysreg/write_sysreg of a register named by one of the macros above (expanded first) */
#define read_sysreg_enc(r)	read_sysreg(r)
#define write_sysreg_enc(r, v)	write_sysreg(r, v)
#define l2_read(r, r12)		(hv_vhe ? read_sysreg(r12) : read_sysreg(r))
#define l2_write(r, r12, v)	do { \
	if (hv_vhe) \
		write_sysreg(r12, v); \
	else \
		write_sysreg(r, v); \
} while (0)

#define SPSR_EL1H_DAIF	0x3c5		/* M = EL1h (0b0101), D, A, I, F masked */
#define SCTLR_EL1_RES1	0x30d00800UL
#define SCTLR_I		BIT(12)

/* ESR_EL2 (Arm ARM: the ESR_EL2 register description, ISS encodings per EC) */
#define ESR_IL		BIT(25)
#define EC_WFX		0x01
#define EC_FP		0x07
#define EC_SVC64	0x15
#define EC_DABT_LOW	0x24
#define EC_SYS64	0x18
/* EC 0x18 ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Dir [0] */
#define ISS_SYS(op0, op1, crn, crm, op2, rt, read) \
	(((u64)(op0) << 20) | ((u64)(op2) << 17) | ((u64)(op1) << 14) | ((u64)(crn) << 10) | \
	 ((u64)(rt) << 5) | ((u64)(crm) << 1) | (u64)(read))
#define ISS_SYS_RT(iss)	(((iss) >> 5) & 0x1f)

/* Generic timer control (CNTHP_CTL_EL2, CNTV_CTL_EL0, CNTP_CTL_EL0) */
#define CTL_ENABLE	BIT(0)
#define CTL_IMASK	BIT(1)
#define CTL_ISTATUS	BIT(2)
/* CNTHCTL_EL2: EL1PCTEN and EL1PCEN at bits 0 and 1 with E2H 0, 10 and 11 with E2H 1 */
#define CNTHCTL_EL1PCTEN	(hv_vhe ? BIT(10) : BIT(0))
#define CNTHCTL_EL1PCEN		(hv_vhe ? BIT(11) : BIT(1))
/* CNTHCTL_EL2 with E2H 1: EL0PCTEN, EL0VCTEN (the host's EL0 reads the counters) */
#define CNTHCTL_EL0PCTEN	BIT(0)
#define CNTHCTL_EL0VCTEN	BIT(1)
/* The host's CNTHCTL_EL2: nothing of EL1's (nor, with E2H 1, of the host EL0's) trapped */
#define CNTHCTL_HOST	(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | \
			 (hv_vhe ? CNTHCTL_EL0PCTEN | CNTHCTL_EL0VCTEN : 0))
/*
 * CPTR_EL2: with E2H 0 RES1 bits and TFP (bit 10) trapping FP at EL1 and
 * EL2; with E2H 1 (the CPACR_EL1 layout) FPEN [21:20], 0b00 trapping FP
 * at EL0, EL1 and EL2, 0b11 nothing (the hypervisor itself uses no FP).
 */
#define CPTR_FREE	(hv_vhe ? 3UL << 20 : 0x33ffUL)
#define CPTR_TRAP_FP	(hv_vhe ? 0UL : 0x33ffUL | BIT(10))

#define GUARD_US	1000000
#define SZ_2M		0x200000UL
#define RAM_BASE	0x40000000UL

/* hv_run.c: the EL1 guest's context and running it */
extern struct hv_vcpu vcpu;
extern u32 hyp_intid;		/* the EL2 physical timer's PPI */
extern bool guard_armed_ok;	/* the GIC and the EL2 timer PPI are set up */
extern bool guard_fired[MAX_CPUS];	/* the last exit on this CPU was the guard's interrupt */
extern unsigned irq_exits[MAX_CPUS];	/* physical IRQ exits serviced at EL2, per CPU */

void describe_exit(const char *what);
/* A fresh EL1 context at entry: EL1h, DAIF masked, MMU off. */
void vcpu_reset(const char *entry);
/* The same for the context v on this CPU, its EL1 stack at stack_top. */
void vcpu_init(struct hv_vcpu *v, const char *entry, void *stack_top);
/*
 * Enters (or resumes) the guest with HCR_EL2 = hcr until its next exit,
 * the guard timer armed; HCR_EL2 is the host's again afterwards.
 */
u64 run(u64 hcr);
u64 run_vcpu(struct hv_vcpu *v, u64 hcr);
/*
 * The guard armed (guard_start: GUARD_BATCH_US from now) and stopped once
 * around many entries, each run_vcpu_unguarded, as a hypervisor's run loop
 * does without a watchdog of its own per entry (hv_bench's operations).
 * A batch of 100 operations between two vCPUs takes up to a second of
 * virtual time under -icount (a CPU spinning for the other runs until
 * QEMU's round-robin kick ends its slice).
 */
#define GUARD_BATCH_US	10000000
void guard_start(void);
void guard_stop(void);
u64 run_vcpu_unguarded(struct hv_vcpu *v, u64 hcr);
/*
 * Physical interrupts pending at EL2 handled there (the library's IRQ
 * dispatch and the handlers set with irq_set_handler), waiting at most
 * 100 ms for one.
 */
void service_irqs(void);
/*
 * As run(), but an IRQ exit that is not the guard's is serviced
 * (service_irqs, counted in irq_exits) and the guest resumed where it
 * was, at most 32 times: returns its next synchronous exit (or the guard).
 */
u64 run_serviced(u64 hcr);
u64 run_serviced_vcpu(struct hv_vcpu *v, u64 hcr);
/* The last exit was HVC #imm (ESR_EL2.EC 0x16, ISS imm16). */
bool exit_is_hvc(u16 imm);
/* As exit_is_hvc(), and any other exit described (describe_exit(what)). */
bool expect_hvc(u16 imm, const char *what);
/* Resumes after a trap the hypervisor emulated and expects HVC #imm next. */
bool resume_until_hvc(u64 hcr, u16 imm, const char *what);
bool expect_exit(unsigned ec, const char *what);
/* Clean and invalidate a line to the PoC (the guest's MMU-off accesses are Device). */
void dc_civac(const volatile void *p);
/* The same for a 4 KiB page, line by line. */
void clean_page(volatile u64 *page);
/*
 * ICC_SRE_EL2.SRE on, the GIC initialised, the EL2 physical timer's PPI
 * (hyp_intid) enabled with handler hyp_irq, which must drop its level
 * (CNTHP_CTL_EL2): what arms the guard. False without a GIC or that PPI.
 */
bool hv_setup_gic(irq_handler_t hyp_irq);

/* ---- the GICv3 hypervisor interface (GIC specification, IHI 0069) ---------------------- */

/* ICH_HCR_EL2 */
#define ICH_HCR_EN		BIT(0)
#define ICH_HCR_UIE		BIT(1)
#define ICH_HCR_LRENPIE		BIT(2)
#define ICH_HCR_NPIE		BIT(3)
/* ICH_LR<n>_EL2: vINTID [31:0], pINTID [44:32] (HW 1) or EOI [41] (HW 0), Priority [55:48], Group [60], HW [61], State [63:62] */
#define LR_EOI			BIT(41)
#define LR_GROUP1		BIT(60)
#define LR_HW			BIT(61)
#define LR_STATE(lr)		((lr) >> 62)
#define LR_PENDING		(1UL << 62)
#define ST_INVALID		0
#define ST_PENDING		1
#define ST_ACTIVE		2
#define LR_PRIO(p)		((u64)(p) << 48)
#define LR_PINTID(i)		((u64)(i) << 32)

/* ---- stage 2 and address translation (hv_s2.c, hv_hostile.c) ---------------------- */

/* ESR_EL2 ISS for a Data Abort (Arm ARM: ISS encoding for an exception from a Data Abort) */
#define ISS_DA_ISV	BIT(24)
#define ISS_DA_SAS(i)	(((i) >> 22) & 3)
#define ISS_DA_SSE	BIT(21)
#define ISS_DA_SRT(i)	(((i) >> 16) & 0x1f)
#define ISS_DA_SF	BIT(15)
#define ISS_DA_AR	BIT(14)
#define ISS_DA_FNV	BIT(10)
#define ISS_DA_S1PTW	BIT(7)
#define ISS_DA_WNR	BIT(6)
#define DFSC_TRANS_L2	0x06
#define DFSC_TRANS_L3	0x07

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

static inline u64 hpfar_fipa(u64 hpfar)
{
	return (hpfar >> 4) & ((1UL << 40) - 1);	/* HPFAR_EL2.FIPA [43:4] = IPA[51:12] */
}

/* A stage 2 descriptor changed: visible to the table walks before the guest runs again. */
static inline void s2_set(u64 *pte, u64 val)
{
	*pte = val;
	__asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}

/*
 * Break (Arm ARM: "Using break-before-make when updating translation table
 * entries"; TLB maintenance for stage 2): the entry invalid, then the
 * stage 2 TLB entries for the IPA (TLBI IPAS2E1IS, Xt = IPA[51:12]) and the
 * combined stage 1+2 entries of the VMID (TLBI VMALLE1IS) invalidated.
 */
static inline void s2_break(u64 *pte, u64 ipa)
{
	*pte = 0;
	__asm__ volatile("dsb ishst\n\ttlbi ipas2e1is, %0\n\tdsb ish\n\t"
			 "tlbi vmalle1is\n\tdsb ish\n\tisb" :: "r"(ipa >> 12) : "memory");
}

/*
 * VTCR_EL2 of a 32-bit IPA space walked from level 1 (T0SZ 32, SL0 1),
 * 4 KiB granule, write-back inner shareable walks, PS the CPU's PARange
 * (at most 48 bits).
 */
u64 s2_vtcr(void);
/* The 2 MiB blocks from RAM_BASE that hold the image (code, data, the EL1 stack). */
u64 s2_image_blocks(void);
/*
 * A 32-bit IPA space walked from level 1 (l1, l2: 4 KiB tables, zeroed
 * here): GiB 1 through l2, the image's blocks mapped 1:1; returns their
 * number (l2's first free index).
 */
u64 s2_map_image(u64 *l1, u64 *l2);

/* PAR_EL1 (Arm ARM: PAR_EL1 after an AT instruction) */
#define PAR_F		BIT(0)
#define PAR_FST(p)	(((p) >> 1) & 0x3f)
#define PAR_PTW		BIT(8)
#define PAR_S		BIT(9)
#define PAR_PA(p)	((p) & 0x0000fffffffff000UL)
#define PAR_SH(p)	(((p) >> 7) & 3)
#define PAR_ATTR(p)	((p) >> 56)
#define PAR_FAULT_BITS	(PAR_F | (0x3fUL << 1) | PAR_PTW | PAR_S)

#define AT(op, va) ({ \
	__asm__ volatile("at " #op ", %0\n\tisb" :: "r"((u64)(va)) : "memory"); \
	read_sysreg(par_el1); })

/* The test groups, in the order guest_main runs them. */
void test_stage2(void);			/* hv_s2.c */
void test_vgic(bool gic_ok);		/* hv_gic.c */
void test_timers(bool gic_ok);		/* hv_timer.c */
void test_smp(bool gic_ok);		/* hv_smp.c */
void hyp_timer_irq(u32 intid);		/* hv_timer.c: the guard and the EL2 timer checks */
/*
 * hv_vhe.c: the EL2&0 regime of the VHE mode: its translation table (the
 * identity map with EL2&0 descriptors, and an alias of GiB 1 for the
 * host's EL0 task).
 */
extern u64 vhe_l1_table[512];
extern u64 boot_l1_table[512];		/* start.S: the E2H 0 EL2 identity map */
/* This CPU into the VHE mode (E2H 1, TGE 1, the EL2&0 regime and the E2H 1 layouts). */
void vhe_cpu_enter(void);
/* The VHE mode's own checks (E2H redirection, _EL12/_EL02, the host's EL0 task). */
void test_vhe(void);
/* The EL2 stage 1 table in use: boot_l1_table with E2H 0, vhe_l1_table with E2H 1. */
#define EL2_L1_TABLE	(hv_vhe ? vhe_l1_table : boot_l1_table)

#endif /* __ASSEMBLER__ */
#endif
