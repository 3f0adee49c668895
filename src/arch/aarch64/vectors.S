/*
 * EL2 exception vectors (Arm ARM D1.10.2, VBAR_EL2): 16 entries of 128
 * bytes. Every entry saves the general registers into a struct trap_frame
 * on the current stack and calls the C handler for its kind.
 */
#include "asm.h"

.macro save_frame
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x0, sp, #FRAME_SIZE
	stp	x30, x0, [sp, #FRAME_X30]
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #FRAME_ELR]
	mrs	x0, esr_el2
	mrs	x1, far_el2
	stp	x0, x1, [sp, #FRAME_ESR]
.endm

.macro restore_frame
	ldp	x0, x1, [sp, #FRAME_ELR]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #FRAME_X30]
	add	sp, sp, #FRAME_SIZE
.endm

.macro vector kind
	.balign 128
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	b	trap_common
.endm

/* Exceptions from a guest: back to the caller of guest_enter(). */
.macro guest_vector kind
	.balign 128
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	guest_exit
.endm

	.text
	.balign 2048
	.globl el2_vectors
el2_vectors:
	/* Current EL with SP_EL0: nestvisor never runs on SP_EL0. */
	vector 0
	vector 1
	vector 2
	vector 3
	/* Current EL with SP_EL2. */
	vector 4	/* synchronous */
	vector 5	/* IRQ */
	vector 6	/* FIQ */
	vector 7	/* SError */
	/* Lower EL, AArch64: the running guest. */
	guest_vector 8
	guest_vector 9
	guest_vector 10
	guest_vector 11
	/* Lower EL, AArch32 (a guest's EL0 may be AArch32): the same path. */
	guest_vector 12
	guest_vector 13
	guest_vector 14
	guest_vector 15

trap_common:
	bl	trap_dispatch
	restore_frame
	eret
