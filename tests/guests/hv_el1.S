/*
 * The test hypervisor's EL1 guest (hv.c runs it with hv_enter): short
 * snippets, each entered at EL1h with DAIF masked and the EL1 MMU off
 * (SCTLR_EL1.M = 0, so VA = IPA), registers as hv.c sets them. Each comes
 * back to EL2 with an HVC whose immediate names the report (hv.h); the
 * trapping instructions are labelled so that hv.c knows their addresses
 * (the expected ELR_EL2). A snippet ends with HV_HVC_DONE, repeated.
 *
 * The EL1 vectors report any exception taken at EL1 to the hypervisor
 * (HV_HVC_EL1_EXC with ESR_EL1, ELR_EL1, FAR_EL1 and the vector), but an
 * IRQ from EL1h (the virtual interrupts the hypervisor injects), which
 * el1_irq handles.
 */
#include "hv.h"

	.text
	el1_vector_table hv_el1_vectors, el1_irq

/*
 * An IRQ at EL1h, as a guest's handler takes it: acknowledged (x20 =
 * ICC_IAR1_EL1, the virtual CPU interface with HCR_EL2.IMO), reported
 * while active (HV_HVC_IRQ, x21 = ELR_EL1), the virtual timer stopped (it
 * may be the source: level-sensitive), EOI (ICC_EOIR1_EL1), x23 counting.
 */
el1_irq:
	mrs	x20, ICC_IAR1_EL1
	mrs	x21, elr_el1
	hvc	#HV_HVC_IRQ
	irq_done

/* IRQs unmasked, WFI until el1_irq has taken n of them (x23), IRQs masked again. */
.macro wfi_until_irqs n
	mov	x23, #0
	msr	daifclr, #2
1:	cmp	x23, \n
	b.hs	2f
	wfi
	b	1b
2:	msr	daifset, #2
.endm

/* An HVC with the registers as entered; then x1 = ~x0 (x0 from EL2), x2 = CurrentEL. */
snippet el1_basic
	hvc	#HV_HVC_BASIC
	.global	el1_basic_after
el1_basic_after:
	mvn	x1, x0
	mrs	x2, CurrentEL
	hvc	#HV_HVC_ECHO
	done

/* MIDR_EL1 and MPIDR_EL1 as EL1 reads them (VPIDR_EL2, VMPIDR_EL2). */
snippet el1_ids
	mrs	x0, midr_el1
	mrs	x1, mpidr_el1
	hvc	#HV_HVC_IDS
	done

/* x0 = an SMCCC function nobody implements (harmless if the SMC is not trapped). */
/*
 * Hypercalls with several immediates (the ABI is the test's own): before
 * each, x1 = the previous result + 1 (x1 as entered for the first); the
 * hypervisor puts the result in x0. x2-x30 are left alone.
 */
snippet el1_hvc_calls
	hvc	#0x0000
	add	x1, x0, #1
	hvc	#0x0001
	add	x1, x0, #1
	hvc	#0x7fff
	add	x1, x0, #1
	hvc	#0xffff
	add	x1, x0, #1
	hvc	#HV_HVC_CALLS
	done

snippet el1_smc
	smc	#HV_SMC_IMM
	hvc	#HV_HVC_SMC
	done

snippet el1_wfi
	wfi
	hvc	#HV_HVC_WFI
	done

snippet el1_id_read
	mrs	x3, id_aa64pfr0_el1
	hvc	#HV_HVC_ID
	done

/* x4 = the value to write to SCTLR_EL1; x5 = SCTLR_EL1 read after it. */
snippet el1_tvm
	msr	sctlr_el1, x4
	isb
	mrs	x5, sctlr_el1
	hvc	#HV_HVC_TVM
	done

/* HCR_EL2.TRVM: a TTBR0_EL1 read. */
snippet el1_trvm
	mrs	x7, ttbr0_el1
	hvc	#HV_HVC_TRAP
	done

/* HCR_EL2.TACR: an ACTLR_EL1 read. */
snippet el1_tacr
	mrs	x9, actlr_el1
	hvc	#HV_HVC_TRAP
	done

/* HCR_EL2.TSW: DC ISW with x10 (set 0, way 0, level 1: harmless if not trapped). */
snippet el1_tsw
	dc	isw, x10
	hvc	#HV_HVC_TRAP
	done

/* CPTR_EL2.TFP: x11 through d0 into x12. */
snippet el1_fp
	fmov	d0, x11
	fmov	x12, d0
	hvc	#HV_HVC_TRAP
	done

/*
 * Stage 2: x2 = a mapped IPA (its PA elsewhere), x1 = an unmapped IPA;
 * x8 is stored at x2 + 8, x6 (32 bits) at x1. x3 = the load from x2,
 * x5 = the load from x1 (emulated by the hypervisor).
 */
snippet el1_s2
	ldr	x3, [x2]
	str	x8, [x2, #8]
	.global	el1_s2_load
el1_s2_load:
	ldr	x5, [x1]
	.global	el1_s2_store
el1_s2_store:
	str	w6, [x1]
	hvc	#HV_HVC_S2
	done

/*
 * MMIO of every width at x1 (the hole): x11 and x12 hold the stored data.
 * hv_s2.c's mmio_accesses lists them in this order, 4 bytes apart.
 */
snippet el1_mmio
	ldrb	w7, [x1]
	ldrsh	x9, [x1]
	ldrsb	w8, [x1]
	ldrsw	x10, [x1]
	ldr	w30, [x1]
	strb	w11, [x1]
	strh	w12, [x1]
	str	xzr, [x1]
	hvc	#HV_HVC_MMIO
	done

/*
 * Lazily mapped: x1 an IPA whose level-3 entry is invalid, x2 one in a
 * block whose level-2 entry is invalid. x3 = [x1], x4 stored at x2, then
 * x5 = [x2 + 8].
 */
snippet el1_lazy_load
	ldr	x3, [x1]
	.global	el1_lazy_store
el1_lazy_store:
	str	x4, [x2]
	ldr	x5, [x2, #8]
	hvc	#HV_HVC_LAZY
	done

/* A remapped page: x3 = [x1] three times, the last one retried after a fault. */
snippet el1_tlb
	ldr	x3, [x1]
	hvc	#HV_HVC_TLB
	ldr	x3, [x1]
	hvc	#HV_HVC_TLB
	.global	el1_tlb_retry
el1_tlb_retry:
	ldr	x3, [x1]
	hvc	#HV_HVC_TLB
	done

/*
 * A virtual interrupt acknowledged with IRQs masked: x1 = ICC_HPPIR1_EL1,
 * x2 = ICC_IAR1_EL1, x4 = ICC_RPR_EL1 (HV_HVC_VACK); after the EOI x3 =
 * ICC_HPPIR1_EL1, x5 = ICC_RPR_EL1 (HV_HVC_VEOI).
 */
snippet el1_virq_poll
	vgic_on
	mrs	x1, ICC_HPPIR1_EL1
	mrs	x2, ICC_IAR1_EL1
	mrs	x4, ICC_RPR_EL1
	hvc	#HV_HVC_VACK
	msr	ICC_EOIR1_EL1, x2
	isb
	mrs	x3, ICC_HPPIR1_EL1
	mrs	x5, ICC_RPR_EL1
	hvc	#HV_HVC_VEOI
	done

/* x1 virtual interrupts taken as IRQ exceptions (el1_irq), waiting in WFI. */
snippet el1_virq_take
	vgic_on
	wfi_until_irqs x1
	hvc	#HV_HVC_VDONE
	done

/*
 * The virtual timer x1 ticks ahead (x2 = its CNTV_CVAL_EL0), then WFI until
 * its interrupt has been taken (el1_irq stops the timer).
 */
snippet el1_vtimer
	vgic_on
	msr	cntv_tval_el0, x1
	mov	x9, #1
	msr	cntv_ctl_el0, x9
	isb
	mrs	x2, cntv_cval_el0
	wfi_until_irqs #1
	hvc	#HV_HVC_VDONE
	done

/* The EL1 physical counter read (x3), the timer's control written (x4). */
snippet el1_ptimer_access
	mrs	x3, cntpct_el0
	.global	el1_ptimer_ctl
el1_ptimer_ctl:
	msr	cntp_ctl_el0, x4
	hvc	#HV_HVC_TRAP
	done

/*
 * The EL1 physical timer x1 ticks ahead (x2 = CNTP_CVAL_EL0), IRQs masked,
 * WFI until CNTP_CTL_EL0.ISTATUS (x5): x3 = CNTPCT_EL0 then.
 */
snippet el1_ptimer
	msr	cntp_tval_el0, x1
	mov	x9, #1
	msr	cntp_ctl_el0, x9
	isb
	mrs	x2, cntp_cval_el0
1:	wfi
	mrs	x5, cntp_ctl_el0
	tbz	x5, #2, 1b
	isb
	mrs	x3, cntpct_el0
	hvc	#HV_HVC_PTIMER
	done

/*
 * A guest with two vCPUs. vCPU 0: PSCI CPU_ON (HVC #0; x1 = vCPU 1's
 * MPIDR, x2 = el1_smp1, x3 = the context id; x0 the result), then waits
 * (bounded: 2^26 loads, longer than its second CPU's start takes on a
 * loaded host, the VHE set-up included, and short of the 1 s guard) for
 * vCPU 1's MPIDR in the mailbox at x6, asks for the IPI to vCPU 1 with
 * x5 = the mailbox's value.
 */
snippet el1_smp0
	mov	x0, #0x0003
	movk	x0, #0xc400, lsl #16		/* PSCI CPU_ON (SMC64) */
	hvc	#0
	mov	x4, x0
	mov	x7, #0x4000000
1:	ldr	x5, [x6]
	cbnz	x5, 2f
	subs	x7, x7, #1
	b.ne	1b
2:	hvc	#HV_HVC_SMP_IPI
	hvc	#HV_HVC_SMP0
	done

/*
 * vCPU 1, entered at CPU_ON's entry point with x0 = the context id (and,
 * by this test's convention, x6 = the mailbox): its MPIDR_EL1 (x1) into
 * the mailbox, then WFI until a virtual IRQ has been taken (el1_irq).
 */
snippet el1_smp1
	mrs	x1, mpidr_el1
	str	x1, [x6]
	vgic_on
	wfi_until_irqs #1
	hvc	#HV_HVC_SMP1
	done

/* The virtual counter and the virtual timer's control as EL1 sees them. */
snippet el1_cnt
	isb
	mrs	x1, cntvct_el0
	mrs	x2, cntv_ctl_el0
	hvc	#HV_HVC_CNT
	done

/* The VHE mode: the EL1 registers as the guest reads them (the hypervisor wrote their _EL12 forms). */
snippet el1_vhe_regs
	mrs	x5, sctlr_el1
	mrs	x6, tcr_el1
	mrs	x7, vbar_el1
	hvc	#HV_HVC_VHE
	done

/*
 * The VHE host's EL0 task (HCR_EL2.E2H and TGE 1, run at EL0t through its
 * alias in the EL2&0 map): x1 = CNTPCT_EL0 (CNTHCTL_EL2.EL0PCTEN), then
 * an SVC, taken at EL2. It is not resumed after the SVC.
 */
snippet el0_task
	mrs	x1, cntpct_el0
	svc	#HV_SVC_TASK
	.global	el0_task_after
el0_task_after:
	b	el0_task_after

/* The host's EL0 task loading from x2 (an address the EL2&0 map gives EL2 only). */
snippet el0_task_load
	ldr	x3, [x2]
	svc	#HV_SVC_TASK
1:	b	1b
