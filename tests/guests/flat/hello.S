/*
 * A flat binary guest: no image header, position independent, started at
 * the base of its RAM with the DTB address in x0. It prints one line on
 * the PL011 that scripts/run-kernel.sh's generated description places at
 * 0x09000000, then calls PSCI SYSTEM_OFF over HVC. It exists to test that
 * nestvisor loads and starts flat binaries.
 */
	.text
	.globl	_start
_start:
	mov	x19, x0			/* DTB */
	movz	x1, #0x0900, lsl #16	/* UART base */
	adr	x2, msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	strb	w3, [x1]
	b	1b
2:	/* The DTB begins with the FDT magic 0xd00dfeed, big-endian in memory. */
	ldr	w4, [x19]
	movz	w5, #0xedfe, lsl #16
	movk	w5, #0x0dd0
	cmp	w4, w5
	adr	x2, ok
	adr	x6, bad
	csel	x2, x2, x6, eq
3:	ldrb	w3, [x2], #1
	cbz	w3, 4f
	strb	w3, [x1]
	b	3b
4:	movz	x0, #0x8400, lsl #16
	movk	x0, #0x0008		/* PSCI SYSTEM_OFF */
	hvc	#0
5:	wfi
	b	5b

msg:	.asciz	"flat-binary guest: running at EL1\n"
ok:	.asciz	"flat-binary guest: x0 points at a device tree\n"
bad:	.asciz	"flat-binary guest: x0 is not a device tree\n"
