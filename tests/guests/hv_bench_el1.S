/*
 * hv_bench's EL1 guest (L2 under nestvisor): one snippet per nested
 * operation, each repeating it x1 (or x2) times, entered as hv_el1.S's
 * are (EL1h, DAIF masked, the EL1 MMU off: VA = IPA) and ending with
 * HV_HVC_DONE. Nothing in a snippet's loop but the operation and the
 * loop's own instructions.
 *
 * Its vectors are hv_el1.S's (every exception reported to EL2) but for
 * the IRQ, which hvb_el1_irq handles without telling EL2: acknowledge,
 * virtual timer stopped, EOI.
 */
#include "hv.h"

	.text
	el1_vector_table hvb_el1_vectors, hvb_el1_irq

/*
 * An IRQ at EL1h: x20 = ICC_IAR1_EL1, the virtual timer stopped (its line
 * is level-sensitive), ICC_EOIR1_EL1 (EOImode 0: also deactivates), x23
 * counting.
 */
hvb_el1_irq:
	mrs	x20, ICC_IAR1_EL1
	irq_done

/* x1 hypercalls HVC #HV_HVC_BENCH_OP, the hypervisor's result in x0. */
snippet hvb_hvc
1:	hvc	#HV_HVC_BENCH_OP
	subs	x1, x1, #1
	b.ne	1b
	done

/* x2 loads from x1, an IPA the hypervisor's stage 2 does not map (MMIO it emulates). */
snippet hvb_mmio
	.global	hvb_mmio_load
hvb_mmio_load:
	ldr	w5, [x1]
	subs	x2, x2, #1
	b.ne	hvb_mmio_load
	done

/*
 * x2 pages from IPA x1 touched (one load each), which the hypervisor maps
 * on the first; HV_HVC_BENCH_PASS; then touched again between two calls
 * of nestvisor's exit count from EL1 (an SMC nestvisor answers: the
 * hypervisor does not trap SMC; the call returns in x0-x3), x12 and x13
 * the counts, reported with HV_HVC_BENCH_AGAIN.
 */
snippet hvb_touch
	mov	x14, x1
	mov	x15, x2
	bl	hvb_touch_pages
	hvc	#HV_HVC_BENCH_PASS
	bl	hvb_exit_count
	mov	x12, x0
	bl	hvb_touch_pages
	bl	hvb_exit_count
	mov	x13, x0
	hvc	#HV_HVC_BENCH_AGAIN
	done

/* x15 pages from x14, a load from each (x3, x10, x11 changed). */
hvb_touch_pages:
	mov	x10, x14
	mov	x11, x15
1:	ldr	x3, [x10]
	add	x10, x10, #0x1000
	subs	x11, x11, #1
	b.ne	1b
	ret

/* x0 = NV_HC_EXIT_COUNT's count (x1-x3 its breakdown). */
hvb_exit_count:
	mov	x0, #(NV_HC_EXIT_COUNT & 0xffff)
	movk	x0, #(NV_HC_EXIT_COUNT >> 16), lsl #16
	smc	#0
	ret

/*
 * x1 virtual timer interrupts: the timer due at once (CNTV_CVAL_EL0 =
 * CNTVCT_EL0), then WFI until hvb_el1_irq has taken its interrupt.
 */
snippet hvb_vtimer
	vgic_on
	mov	x23, #0
	msr	daifclr, #2
1:	cmp	x23, x1
	b.hs	3f
	mov	x24, x23
	mrs	x9, cntvct_el0
	msr	cntv_cval_el0, x9
	mov	x9, #1
	msr	cntv_ctl_el0, x9
	isb
2:	cmp	x23, x24
	b.ne	1b
	wfi
	b	2b
3:	msr	daifset, #2
	done

/*
 * Two vCPUs, an IPI from one to the other x1 times. vCPU 0: asks the
 * hypervisor for the IPI (HV_HVC_BENCH_IPI), then waits until vCPU 1 has
 * taken it (the count at x6 reaches this IPI's number).
 */
snippet hvb_ipi0
	mov	x7, #0
1:	hvc	#HV_HVC_BENCH_IPI
	add	x7, x7, #1
2:	ldr	x5, [x6]
	cmp	x5, x7
	b.lo	2b
	cmp	x7, x1
	b.lo	1b
	done

/* vCPU 1: WFI until hvb_el1_irq has taken x1 interrupts, each count stored at x6. */
snippet hvb_ipi1
	vgic_on
	mov	x23, #0
	msr	daifclr, #2
1:	str	x23, [x6]
	cmp	x23, x1
	b.hs	2f
	wfi
	b	1b
2:	msr	daifset, #2
	done
