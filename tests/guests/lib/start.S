/*
 * Entry of every test guest: the arm64 Image header, the boot CPU's and the
 * secondaries' entry points, an identity map with the MMU on, and the EL1
 * and EL2 exception vectors.
 *
 * Booted with the Linux arm64 boot protocol: x0 = DTB address, MMU off,
 * at EL1 (or EL2, which is left for EL1 at once), linked and loaded at
 * 0x40080000 (RAM base 0x40000000 + text_offset).
 *
 * A guest that defines `const bool guest_stays_at_el2 = true;` (the test
 * hypervisor, hv.c) instead stays at EL2 when entered there: HCR_EL2.E2H
 * cleared (the nVHE register formats), its own EL2 stage 1 identity map
 * (TTBR0_EL2, one VA range) and el2_vectors. Entered at EL1, it runs at
 * EL1 like any other guest.
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

/*
 * EL2 (HCR_EL2.E2H = 0): SCTLR_EL2 RES1 bits 29,28,23,22,18,16,11,5,4;
 * TCR_EL2 as TCR_VALUE's TTBR0 half with RES1 bits 31 and 23 and PS at
 * [18:16]; in the one-VA-range EL2 regime a block descriptor's AP[1] (bit
 * 6) is RES1 and bit 54 is XN (there is no PXN/UXN split).
 */
#define SCTLR_EL2_RES1	0x30c50830
#define TCR_EL2_VALUE	((25 << 0) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (1 << 31))
#define PTE_EL2_AP1	(1 << 6)
#define PTE_EL2_XN	(1 << 54)
#define PTE_EL2_DEVICE	(PTE_BLOCK | PTE_AF | PTE_ATTR_DEV | PTE_EL2_AP1 | PTE_EL2_XN)
#define PTE_EL2_NORMAL	(PTE_BLOCK | PTE_AF | PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_EL2_AP1)
#define HCR_RW		(1 << 31)
#define HCR_E2H_BIT	34

#include "guest.h"

	.weak	guest_stays_at_el2		/* const bool, in the guest (or absent) */

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
	mov	x9, #HCR_RW
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

/*
 * The entry EL: at EL2, stay there if the guest asks to (el2_setup), else
 * drop to EL1; then the EL1 setup unless at EL2. Clobbers x9-x11, x30;
 * x21 = HCR_EL2 as found at entry when staying at EL2.
 */
.macro enter_el
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	81f
	ldr	x9, =guest_stays_at_el2		/* weak: 0 unless the guest has it */
	cbz	x9, 80f
	ldrb	w9, [x9]
	cbz	w9, 80f
	bl	el2_setup
	b	82f
80:	drop_to_el1
81:	el1_setup
82:
.endm

primary_entry:
	mov	x19, x0				/* DTB */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2			/* entry EL, for the report */
	mov	x21, #0
	enter_el

	/*
	 * The level-1 table, built with the MMU off: GiB 1 (0x40000000, where
	 * the image is) and the GiB holding the DTB are Normal memory, all
	 * else Device-nGnRnE, execute-never. The descriptors are the EL1&0
	 * regime's, or EL2's when staying at EL2.
	 */
	ldr	x6, =PTE_NORMAL
	ldr	x7, =PTE_DEVICE
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	1f
	ldr	x6, =PTE_EL2_NORMAL
	ldr	x7, =PTE_EL2_DEVICE
1:	ldr	x1, =boot_l1_table
	lsr	x3, x19, #30			/* the DTB's GiB */
	mov	x2, #0
2:	lsl	x4, x2, #30
	mov	x5, x7
	cmp	x2, #1
	b.eq	3f
	cmp	x2, x3
	b.ne	4f
3:	mov	x5, x6
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
	ldr	x1, =el2_entry_hcr		/* in BSS: stored once it is clear */
	str	x21, [x1]
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
	enter_el
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

/*
 * Turns the MMU of the current EL (1 or 2) on with boot_l1_table. Uses
 * x9-x12 only.
 */
mmu_enable:
	ldr	x9, =MAIR_VALUE
	mrs	x10, id_aa64mmfr0_el1
	and	x10, x10, #0xf			/* PARange */
	cmp	x10, #5
	mov	x11, #5
	csel	x10, x10, x11, ls		/* at most 48 bits with 4 KiB pages */
	mrs	x12, CurrentEL
	cmp	x12, #(2 << 2)
	b.eq	mmu_enable_el2
	msr	mair_el1, x9
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

mmu_enable_el2:
	msr	mair_el2, x9
	ldr	x9, =TCR_EL2_VALUE
	orr	x9, x9, x10, lsl #16		/* PS */
	msr	tcr_el2, x9
	ldr	x9, =boot_l1_table
	msr	ttbr0_el2, x9
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ldr	x9, =(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA)
	msr	sctlr_el2, x9
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * Staying at EL2 (MMU off, x9-x11 and x21 only): HCR_EL2.E2H cleared
 * first, while nothing depends on it, so that the EL1 register names
 * reach the EL1 registers and CPTR_EL2/CNTHCTL_EL2 have their nVHE
 * layout; then HCR_EL2 = RW alone (EL1 AArch64, nothing trapped, no
 * stage 2), el2_vectors, counters and timers and FP untrapped, the GIC
 * system registers on at EL2 (ICC_SRE_EL2.SRE|Enable), EL1 left with its
 * MMU off. x21 = HCR_EL2 as found.
 */
el2_setup:
	msr	daifset, #0xf
	mrs	x21, hcr_el2
	tbz	x21, #HCR_E2H_BIT, 1f
	mov	x9, #HCR_RW
	msr	hcr_el2, x9
	isb
1:	mov	x9, #HCR_RW
	msr	hcr_el2, x9
	ldr	x9, =el2_vectors
	msr	vbar_el2, x9
	mov	x9, #3				/* CNTHCTL_EL2.EL1PCTEN|EL1PCEN */
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	msr	cnthp_ctl_el2, xzr
	mov	x9, #0x33ff			/* CPTR_EL2: RES1 bits, no traps */
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	mrs	x9, ICC_SRE_EL2
	mov	x10, #0x9			/* Enable | SRE */
	orr	x9, x9, x10
	msr	ICC_SRE_EL2, x9
	isb
	ldr	x9, =SCTLR_EL1_RES1
	msr	sctlr_el1, x9
	mov	x9, #(3 << 20)			/* CPACR_EL1.FPEN = 3 */
	msr	cpacr_el1, x9
	isb
	ret

/*
 * EL1 vectors. Every entry saves the interrupted context in a struct
 * exc_frame on the stack and calls exc_handler(frame, kind), which may
 * change frame->elr (to skip an instruction); kind = source * 4 + type,
 * source 0 = EL1 with SP_EL0, 1 = EL1 with SP_EL1, 2 = EL0 AArch64,
 * 3 = EL0 AArch32; type 0 = sync, 1 = IRQ, 2 = FIQ, 3 = SError.
 *
 * el2_vectors, for a guest staying at EL2: the current-EL entries (EL2
 * with SP_EL0 or SP_EL2, kinds 0-7) are handled the same way with the
 * EL2 registers; the lower-EL entries (kinds 8-15) are exits of the guest
 * that el2.S's hv_enter runs (hv_lower_exit).
 */
.macro ventry kind, common
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	\common
.endm

.macro ventry_lower kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	hv_lower_exit
.endm

	.balign	0x800
	.global el1_vectors
el1_vectors:
	ventry	0, exc_common
	ventry	1, exc_common
	ventry	2, exc_common
	ventry	3, exc_common
	ventry	4, exc_common
	ventry	5, exc_common
	ventry	6, exc_common
	ventry	7, exc_common
	ventry	8, exc_common
	ventry	9, exc_common
	ventry	10, exc_common
	ventry	11, exc_common
	ventry	12, exc_common
	ventry	13, exc_common
	ventry	14, exc_common
	ventry	15, exc_common

	.balign	0x800
	.global el2_vectors
el2_vectors:
	ventry	0, exc_common_el2
	ventry	1, exc_common_el2
	ventry	2, exc_common_el2
	ventry	3, exc_common_el2
	ventry	4, exc_common_el2
	ventry	5, exc_common_el2
	ventry	6, exc_common_el2
	ventry	7, exc_common_el2
	ventry_lower 8
	ventry_lower 9
	ventry_lower 10
	ventry_lower 11
	ventry_lower 12
	ventry_lower 13
	ventry_lower 14
	ventry_lower 15

.macro exc_body elx
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
	mrs	x2, elr_\elx
	stp	x30, x2, [sp, #240]
	mrs	x2, spsr_\elx
	mrs	x3, esr_\elx
	stp	x2, x3, [sp, #256]
	mrs	x2, far_\elx
	str	x2, [sp, #272]
	mov	x0, sp
	bl	exc_handler
	ldp	x30, x2, [sp, #240]
	msr	elr_\elx, x2
	ldr	x2, [sp, #256]
	msr	spsr_\elx, x2
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
.endm

exc_common:
	exc_body el1

exc_common_el2:
	exc_body el2

	.ltorg

/* The identity map's level-1 table: outside BSS (built before BSS is cleared). */
	.section .pgtable, "aw", %nobits
	.balign	4096
	.global boot_l1_table
boot_l1_table:
	.space	4096
