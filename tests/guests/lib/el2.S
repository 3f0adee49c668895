/*
 * EL2 support for a guest that stays at EL2 (the test hypervisor): running
 * a lower-EL context and coming back when it takes an exception to EL2.
 * See struct hv_vcpu in guest.h.
 *
 * hv_enter() saves the host's callee-saved registers and stack pointer,
 * loads the context's ELR_EL2, SPSR_EL2 and x0-x30 and ERETs (an exception
 * return to the EL in SPSR_EL2.M, Arm ARM "Exception return"). An
 * exception from the lower EL enters el2_vectors at VBAR_EL2 + 0x400
 * (sync), 0x480 (IRQ), 0x500 (FIQ) or 0x580 (SError), which push x0/x1 and
 * branch to hv_lower_exit with the entry's kind in x1; that stores the
 * context and the syndrome registers and returns from hv_enter().
 */
#include "guest.h"

	.text
	.global hv_enter
	.type	hv_enter, %function
hv_enter:
	sub	sp, sp, #96
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x1, sp
	str	x1, [x0, #HV_VCPU_HOST_SP]
	msr	tpidr_el2, x0
	ldr	x1, [x0, #HV_VCPU_ELR]
	msr	elr_el2, x1
	ldr	x1, [x0, #HV_VCPU_SPSR]
	msr	spsr_el2, x1
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret
	dsb	nsh				/* no speculation past the ERET */
	isb
	.size	hv_enter, . - hv_enter

/* From el2_vectors' lower-EL entries: [sp] = the context's x0, x1; x1 = kind. */
	.global hv_lower_exit
	.type	hv_lower_exit, %function
hv_lower_exit:
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mrs	x2, elr_el2
	str	x2, [x0, #HV_VCPU_ELR]
	mrs	x2, spsr_el2
	str	x2, [x0, #HV_VCPU_SPSR]
	mrs	x2, esr_el2
	str	x2, [x0, #HV_VCPU_ESR]
	mrs	x2, far_el2
	str	x2, [x0, #HV_VCPU_FAR]
	/*
	 * HPFAR_EL2 is meaningful for a stage-2 abort only (EC 0x20, 0x24 of
	 * a synchronous exit): read then, as a hypervisor's exit path does
	 * (0 otherwise). Under a virtual EL2 the read traps.
	 */
	mov	x3, xzr
	cmp	x1, #8				/* HV_EXIT_SYNC */
	b.ne	1f
	ldr	x4, [x0, #HV_VCPU_ESR]
	ubfx	x4, x4, #26, #6			/* ESR_EL2.EC */
	and	x4, x4, #~4			/* 0x20 and 0x24 alike */
	cmp	x4, #0x20
	b.ne	1f
	mrs	x3, hpfar_el2
1:	str	x3, [x0, #HV_VCPU_HPFAR]
	str	x1, [x0, #HV_VCPU_KIND]
	ldr	x2, [x0, #HV_VCPU_HOST_SP]
	mov	sp, x2
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	mov	x0, x1
	ret
	.size	hv_lower_exit, . - hv_lower_exit

/* HCR_EL2 as start.S found it (stored after BSS is cleared). */
	.bss
	.balign	8
	.global el2_entry_hcr
el2_entry_hcr:
	.space	8
