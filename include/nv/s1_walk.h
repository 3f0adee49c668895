/*
 * A software walk of AArch64 stage-1 tables (Arm ARM D8, "The AArch64
 * Virtual Memory System Architecture"; the pseudocode AArch64.S1Translate,
 * AArch64.S1Walk, AArch64.S1DisabledOutput and
 * AArch64.S1ComputePermissions): the regime's registers are values, every
 * descriptor is read through a callback, so it runs on the host too. AT
 * emulation (cpu/vel2_at.c) uses it for the instructions a guest
 * hypervisor executes at virtual EL2.
 *
 * Supported: the 4 KiB, 16 KiB and 64 KiB granules, 48-bit input and
 * output addresses, the EL1&0 and EL2&0 regimes (two ranges, TCR_EL1
 * format: T0SZ/T1SZ, TG0/TG1, EPD0/EPD1, IPS, TBI0/TBI1, TBID0/TBID1,
 * HPD0/HPD1) and the EL2 regime with HCR_EL2.E2H = 0 (one range, TCR_EL2
 * format: T0SZ, TG0, PS [18:16], TBI, TBID, HPD), AP[2:1], UXN/PXN or XN,
 * the hierarchical APTable/UXNTable/PXNTable controls, SCTLR_ELx.WXN, the
 * MMU off. Not supported: FEAT_LPA/LPA2 (52-bit), FEAT_TTST, FEAT_PAN
 * (the AT S1E1RP/WP forms), FEAT_E0PD, FEAT_S1PIE/POE, FEAT_D128.
 *
 * Descriptors are never written: TCR_ELx.HA and HD are treated as 0
 * (FEAT_HAFDBS is to be hidden from the guest), so a leaf without AF is an
 * Access flag fault.
 */
#ifndef NV_S1_WALK_H
#define NV_S1_WALK_H

#include <nv/s2_walk.h>
#include <nv/types.h>

enum s1_regime {
	S1_REGIME_EL10, /* EL1&0: TTBR0/TTBR1_EL1, TCR_EL1 */
	S1_REGIME_EL20, /* EL2&0 (HCR_EL2.E2H = 1): two ranges, TCR_EL1 format */
	S1_REGIME_EL2,  /* EL2, HCR_EL2.E2H = 0: TTBR0_EL2 alone, TCR_EL2 format */
};

/* The regime's registers, as the guest wrote them. */
struct s1_walk_regs {
	enum s1_regime regime;
	u64 sctlr, tcr, ttbr0, ttbr1, mair; /* ttbr1 unused for S1_REGIME_EL2 */
	/* PAMax: the PARange the guest is shown (ID_AA64MMFR0_EL1), in bits. */
	unsigned pa_bits;
	/*
	 * HCR_EL2.DC for the EL1&0 regime: stage 1 behaves as off, its
	 * memory Normal Write-Back, Non-shareable.
	 */
	bool dc;
};

enum s1_access {
	S1_ACCESS_READ,
	S1_ACCESS_WRITE,
	S1_ACCESS_EXEC,
};

/* The fault kinds of both stages (Arm ARM D8.4, "Fault types"). */
enum s1_fault {
	S1_OK,
	S1_FAULT_TRANSLATION,
	S1_FAULT_ADDRESS_SIZE,
	S1_FAULT_ACCESS_FLAG,
	S1_FAULT_PERMISSION,
	S1_FAULT_EXTERNAL, /* a descriptor could not be read: external abort on the walk */
};

/* A stage-2 fault on a table address, as the ptw callback reports it. */
struct s1_ptw_fault {
	enum s1_fault fault;
	unsigned level; /* the stage-2 level */
};

/*
 * Where the walk reads its descriptors. A table address (an IPA when a
 * stage 2 applies to the walk) goes through ptw first, if given, which
 * returns where read must read it, or false with the stage-2 fault; the
 * caller composes the stages (cpu/vel2_at.c passes L1's stage 2 through
 * s2_walk). Without ptw, table addresses are read as they are.
 */
struct s1_walk_mem {
	s2_read_fn read; /* the 64-bit descriptor at an address; false if it cannot */
	bool (*ptw)(void *ctx, u64 table_addr, u64 *addr, struct s1_ptw_fault *f);
	void *ctx;
};

/* Permissions the leaf gives the access's Exception level. */
#define S1_PERM_R 1u
#define S1_PERM_W 2u
#define S1_PERM_X 4u

struct s1_walk_result {
	enum s1_fault fault;
	/* Of the leaf, or where the walk faulted (0 for the checks before it). */
	unsigned level;
	/*
	 * The fault is stage 2's, on the table address ptw_addr (S1PTW): fault
	 * and level are then the stage-2 ones.
	 */
	bool s2_ptw;
	u64 ptw_addr;
	u64 oa;         /* the output address of the input address */
	u64 block_size; /* bytes the leaf maps (the granule with the MMU off) */
	u64 desc;       /* the leaf descriptor; 0 with the MMU off */
	u8 attr;        /* the MAIR_ELx attribute (Arm ARM D8.5) */
	unsigned sh;    /* SH, as the descriptor (reserved 0b01 as 0b00) or the MMU-off rules give it */
	unsigned perm;  /* S1_PERM_*, for the access's Exception level */
	bool mmu_off;
};

/*
 * Translates va for an access (el0: an unprivileged one, AT S1E0*; not
 * for S1_REGIME_EL2) as the pseudocode AArch64.S1Translate does, with the
 * choices of QEMU's walker where the Arm ARM allows several: a T0SZ/T1SZ
 * outside 16..39 is a level 0 Translation fault (not clamped), a
 * reserved TG0/TG1 means 4 KiB.
 */
void s1_walk(const struct s1_walk_regs *regs, u64 va, enum s1_access acc,
	     bool el0, const struct s1_walk_mem *mem, struct s1_walk_result *r);

#endif
