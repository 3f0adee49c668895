/*
 * Entry of every test guest: the arm64 Image header, the boot CPU's and the
 * secondaries' entry points, an identity map with the MMU on, and the EL1
 * exception vectors.
 *
 * Booted with the Linux arm64 boot protocol: x0 = DTB address, MMU off,
 * at EL1 (or EL2, which is left for EL1 at once), linked and loaded at
 * 0x40080000 (RAM base 0x40000000 + text_offset).
 */

#define SCTLR_EL1_RES1	0x30d00800	/* bits 29,28,23,22,20,11 */
#define SCTLR_M		(1 << 0)
#define SCTLR_C		(1 << 2)
#define SCTLR_SA	(1 << 3)
#define SCTLR_I		(1 << 12)

/* MAIR: attr0 Device-nGnRnE, attr1 Normal write-back RW-allocate. */
#define MAIR_VALUE	0xff00
/*
 * TCR: T0SZ=25 (39-bit VA, walks start at level 1: 512 x 1 GiB blocks),
 * inner/outer write-back walks, inner shareable, 4 KiB granule, TTBR1
 * walks disabled (EPD1). IPS is filled in from ID_AA64MMFR0_EL1.PARange.
 */
#define TCR_VALUE	((25 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))

/* Level-1 block descriptors. */
#define PTE_BLOCK	0x1
#define PTE_AF		(1 << 10)
#define PTE_SH_INNER	(3 << 8)
#define PTE_ATTR_DEV	(0 << 2)
#define PTE_ATTR_NORMAL	(1 << 2)
#define PTE_PXN		(1 << 53)
#define PTE_UXN		(1 << 54)
#define PTE_DEVICE	(PTE_BLOCK | PTE_AF | PTE_ATTR_DEV | PTE_PXN | PTE_UXN)
#define PTE_NORMAL	(PTE_BLOCK | PTE_AF | PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_UXN)

#include "guest.h"

	.section .head.text, "ax"
	.global _head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0x80000			/* text_offset */
	.quad	_image_size		/* image_size (includes bss) */
	.quad	0xa			/* flags: LE, 4 KiB pages, anywhere */
	.quad	0			/* res2 */
	.quad	0			/* res3 */
	.quad	0			/* res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
/*
 * At EL2 (QEMU with virtualization=on starts a kernel there): make EL1 an
 * AArch64 EL1 with the counters, timers, FP and GIC system registers
 * untrapped, then continue at EL1. PSCI is then the firmware's (smc).
 */
.macro drop_to_el1
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	1f
	mov	x9, #(1 << 31)			/* HCR_EL2.RW */
	msr	hcr_el2, x9
	mov	x9, #3				/* CNTHCTL_EL2.EL1PCTEN|EL1PCEN */
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mov	x9, #0x33ff			/* CPTR_EL2: RES1 bits, no traps */
	msr	cptr_el2, x9
	mrs	x9, ICC_SRE_EL2
	mov	x10, #0x9			/* Enable | SRE */
	orr	x9, x9, x10
	msr	ICC_SRE_EL2, x9
	isb
	ldr	x9, =SCTLR_EL1_RES1
	msr	sctlr_el1, x9
	mov	x9, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x9
	adr	x9, 1f
	msr	elr_el2, x9
	eret
1:
.endm

/* Common EL1 setup: exceptions masked, vectors, FP/SIMD on. */
.macro el1_setup
	msr	daifset, #0xf
	ldr	x9, =el1_vectors
	msr	vbar_el1, x9
	mov	x9, #(3 << 20)			/* CPACR_EL1.FPEN = 3 */
	msr	cpacr_el1, x9
	isb
.endm

primary_entry:
	mov	x19, x0				/* DTB */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2			/* entry EL, for the report */
	drop_to_el1
	el1_setup

	/*
	 * The level-1 table, built with the MMU off: GiB 1 (0x40000000, where
	 * the image is) and the GiB holding the DTB are Normal memory, all
	 * else Device-nGnRnE, execute-never.
	 */
	ldr	x1, =boot_l1_table
	lsr	x3, x19, #30			/* the DTB's GiB */
	mov	x2, #0
2:	lsl	x4, x2, #30
	ldr	x5, =PTE_DEVICE
	cmp	x2, #1
	b.eq	3f
	cmp	x2, x3
	b.ne	4f
3:	ldr	x5, =PTE_NORMAL
4:	orr	x4, x4, x5
	str	x4, [x1, x2, lsl #3]
	add	x2, x2, #1
	cmp	x2, #512
	b.lo	2b
	/* Drop any stale cached copy of the table (written non-cacheable). */
	dsb	sy
	mov	x2, #0
5:	add	x4, x1, x2
	dc	ivac, x4
	add	x2, x2, #64
	cmp	x2, #4096
	b.lo	5b
	dsb	sy

	bl	mmu_enable

	/* Clear BSS (cacheable now, 16-byte aligned by the linker script). */
	ldr	x1, =_bss_start
	ldr	x2, =_bss_end
6:	cmp	x1, x2
	b.hs	7f
	stp	xzr, xzr, [x1], #16
	b	6b
7:
	msr	tpidr_el1, xzr			/* logical CPU 0 */
	ldr	x1, =cpu_stacks
	add	x1, x1, #STACK_SIZE
	mov	sp, x1
	mov	x0, x19
	mov	x1, x20
	bl	guest_c_entry
8:	wfi
	b	8b

/*
 * PSCI CPU_ON entry point of the secondary CPUs: x0 = context id. The
 * stack and logical index come from secondary_boot, written by the CPU
 * that called CPU_ON (read here with the MMU, hence caches, on).
 */
	.global secondary_entry
secondary_entry:
	mov	x19, x0
	drop_to_el1
	el1_setup
	bl	mmu_enable
	ldr	x1, =secondary_boot
	ldr	x2, [x1, #0]			/* stack top */
	ldr	x3, [x1, #8]			/* logical index */
	mov	sp, x2
	msr	tpidr_el1, x3
	mov	x0, x19
	bl	secondary_c_entry
9:	wfi
	b	9b

/* Turns the MMU on with boot_l1_table. Uses x9-x12 only. */
mmu_enable:
	ldr	x9, =MAIR_VALUE
	msr	mair_el1, x9
	mrs	x10, id_aa64mmfr0_el1
	and	x10, x10, #0xf			/* PARange */
	cmp	x10, #5
	mov	x11, #5
	csel	x10, x10, x11, ls		/* at most 48 bits with 4 KiB pages */
	ldr	x9, =TCR_VALUE
	orr	x9, x9, x10, lsl #32		/* IPS */
	msr	tcr_el1, x9
	ldr	x9, =boot_l1_table
	msr	ttbr0_el1, x9
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x9, =(SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA)
	msr	sctlr_el1, x9
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * EL1 vectors. Every entry saves the interrupted context in a struct
 * exc_frame on the stack and calls exc_handler(frame, kind), which may
 * change frame->elr (to skip an instruction); kind = source * 4 + type,
 * source 0 = EL1 with SP_EL0, 1 = EL1 with SP_EL1, 2 = EL0 AArch64,
 * 3 = EL0 AArch32; type 0 = sync, 1 = IRQ, 2 = FIQ, 3 = SError.
 */
.macro ventry kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	exc_common
.endm

	.balign	0x800
	.global el1_vectors
el1_vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

exc_common:
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
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #240]
	mrs	x2, spsr_el1
	mrs	x3, esr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, far_el1
	str	x2, [sp, #272]
	mov	x0, sp
	bl	exc_handler
	ldp	x30, x2, [sp, #240]
	msr	elr_el1, x2
	ldr	x2, [sp, #256]
	msr	spsr_el1, x2
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
	add	sp, sp, #FRAME_SIZE
	eret

	.ltorg

/* The identity map's level-1 table: outside BSS (built before BSS is cleared). */
	.section .pgtable, "aw", %nobits
	.balign	4096
	.global boot_l1_table
boot_l1_table:
	.space	4096
