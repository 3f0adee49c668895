/*
 * Entry points. nestvisor carries the arm64 Linux Image header
 * (Documentation/arch/arm64/booting.rst) so that QEMU, U-Boot and UEFI
 * loaders start it like a kernel: at EL2, MMU off, DTB address in x0.
 * It is position independent: it applies its own R_AARCH64_RELATIVE
 * relocations before running any C.
 */
#include "asm.h"

	.section .head, "ax"
	.globl _head
_head:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: any 2 MiB-aligned base */
	.quad	_image_size		/* image_size, BSS included */
	.quad	0xa			/* flags: LE, 4K pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
primary_entry:
	mov	x19, x0			/* DTB */
	mrs	x1, CurrentEL
	cmp	x1, #CURRENTEL_EL2
	b.ne	not_el2
	bl	el2_setup

	/* Apply RELA relocations: *(base + off) = base + addend. */
	adr	x20, _head
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	3f
	ldp	x3, x4, [x1], #24	/* r_offset, r_info */
	ldr	x5, [x1, #-8]		/* r_addend */
	cbz	w4, 1b			/* R_AARCH64_NONE: left by the linker */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	bad_reloc
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b

	/* Clear BSS (8-byte aligned by the linker script). */
3:	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
4:	cmp	x1, x2
	b.hs	5f
	str	xzr, [x1], #8
	b	4b

5:	adrp	x1, boot_stacks
	add	x1, x1, :lo12:boot_stacks
	add	x1, x1, #STACK_SIZE
	mov	sp, x1

	/* Identity map of the image and the DTB, then the MMU on. */
	mov	x0, x19
	bl	mmu_early_tables	/* returns nothing; fills mmu_boot_regs */
	bl	mmu_enable_boot
	mov	x0, x19
	b	nv_main

/*
 * Secondary CPUs arrive here from PSCI CPU_ON with the MMU off and the
 * logical CPU index (the context_id) in x0.
 */
	.globl secondary_entry
secondary_entry:
	mov	x19, x0
	bl	el2_setup
	cmp	x19, #NR_CPUS
	b.hs	not_el2
	adrp	x1, boot_stacks
	add	x1, x1, :lo12:boot_stacks
	add	x2, x19, #1
	mov	x3, #STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	bl	mmu_enable_boot
	mov	x0, x19
	b	secondary_main

/*
 * EL2 control registers to known values; leaves x19/x20 alone. Where
 * HCR_EL2.E2H is RES1 (it reads 1 after the write of 0) CPTR_EL2 has the
 * CPACR_EL1 layout: FPEN = 0b11 keeps FP/SIMD usable (libfdt needs it)
 * until nv_main() refuses such a CPU with a message.
 */
el2_setup:
	ldr	x0, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x0
	ldr	x0, =HCR_EL2_BOOT
	msr	hcr_el2, x0
	isb
	mrs	x0, hcr_el2
	tbnz	x0, #HCR_E2H_BIT, 1f
	ldr	x0, =CPTR_EL2_BOOT
	b	2f
1:	ldr	x0, =CPTR_EL2_BOOT_E2H
2:	msr	cptr_el2, x0
	adrp	x0, el2_vectors
	add	x0, x0, :lo12:el2_vectors
	msr	vbar_el2, x0
	msr	tpidr_el2, xzr
	isb
	ret

/*
 * Loads MAIR/TCR/TTBR0 from mmu_boot_regs (cleaned to the PoC by the boot
 * CPU) and turns on the MMU and caches.
 */
	.globl mmu_enable_boot
mmu_enable_boot:
	adrp	x0, mmu_boot_regs
	add	x0, x0, :lo12:mmu_boot_regs
	ldp	x1, x2, [x0]		/* mair, tcr */
	ldr	x3, [x0, #16]		/* ttbr0 */
	msr	mair_el2, x1
	msr	tcr_el2, x2
	msr	ttbr0_el2, x3
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ldr	x1, =SCTLR_EL2_MMU_ON
	msr	sctlr_el2, x1
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * Switches TTBR0_EL2 to a new identity map. The MMU is off for a few
 * instructions so no TLB entry of the old tables can conflict with the new
 * ones (Arm ARM D8.16, break-before-make); nothing here touches memory.
 */
	.globl mmu_switch_ttbr
mmu_switch_ttbr:
	dsb	ish
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb
	msr	ttbr0_el2, x0
	isb
	tlbi	alle2
	dsb	ish
	isb
	ldr	x1, =SCTLR_EL2_MMU_ON
	msr	sctlr_el2, x1
	isb
	ret

not_el2:
bad_reloc:
	wfe
	b	bad_reloc
