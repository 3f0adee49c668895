/*
 * The world switch's general registers. guest_enter() saves the host's
 * callee-saved registers and SP in this CPU's struct host_ctx, loads the
 * guest's registers and ERETs. Any exception from the guest arrives at a
 * lower-EL vector (vectors.S), which jumps to guest_exit: it stores the
 * guest's registers, restores the host's and returns from guest_enter()
 * with the vector index, as if guest_enter() were an ordinary call.
 */
#include "asm.h"

	.text
/* u64 guest_enter(struct vcpu_regs *regs) */
	.globl guest_enter
guest_enter:
	mrs	x1, tpidr_el2
	stp	x19, x20, [x1, #0]
	stp	x21, x22, [x1, #16]
	stp	x23, x24, [x1, #32]
	stp	x25, x26, [x1, #48]
	stp	x27, x28, [x1, #64]
	stp	x29, x30, [x1, #80]
	mov	x2, sp
	stp	x2, x0, [x1, #HOST_SP]

	ldr	x2, [x0, #REGS_SP_EL0]
	msr	sp_el0, x2
	ldp	x2, x3, [x0, #REGS_PC]
	msr	elr_el2, x2
	msr	spsr_el2, x3
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
	ldr	x30, [x0, #REGS_X30]
	ldp	x0, x1, [x0, #0]
	eret
	dsb	nsh		/* no speculation past the ERET */
	isb

/*
 * Entered from a lower-EL vector with the guest's x0/x1 pushed on the
 * host stack and the vector index in x1. The exit's syndrome (ESR_EL2,
 * FAR_EL2, HPFAR_EL2) is saved first, before any code that could fault
 * or walk tables overwrites it.
 */
	.globl guest_exit
guest_exit:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #HOST_GUEST_REGS]
	stp	x2, x3, [x0, #16]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #REGS_ESR]
	mrs	x2, hpfar_el2
	str	x2, [x0, #REGS_HPFAR]
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
	str	x30, [x0, #REGS_X30]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mrs	x2, sp_el0
	str	x2, [x0, #REGS_SP_EL0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #REGS_PC]

	mov	x0, x1
	mrs	x1, tpidr_el2
	ldr	x2, [x1, #HOST_SP]
	mov	sp, x2
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ret
