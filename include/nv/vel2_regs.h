/*
 * L1's EL2 register state: one row per register a guest hypervisor (L1,
 * at virtual EL2) can access, as data. The register file of a vCPU with
 * a virtual EL2 (struct vel2_file) is indexed by enum vel2_reg; the table
 * says how each slot behaves: its encoding, its reset value, its RES0 and
 * RES1 bits (non-VHE layout, HCR_EL2.E2H = 0, and for the rows whose layout
 * E2H changes the E2H = 1 ones too), the feature it needs, and
 * its offset in the FEAT_NV2 VNCR page. A row with an offset is stored in
 * the vCPU's VNCR page at that offset, whether L1 runs under FEAT_NV or
 * FEAT_NV2 (under NV2 the CPU itself reads and writes the page for L1's
 * accesses); the other rows in an array beside it.
 *
 * Besides the EL2 registers the table has rows flagged VEL2_EL1: the EL1
 * and EL0 registers whose L2 values FEAT_NV2 keeps in the VNCR page (L1
 * at virtual EL2 reads and writes them with their own EL1/EL0 encodings).
 * See src/cpu/vel2_regs.c for why they share the table.
 *
 * A second, smaller table lists the *_EL12 and *_EL02 accessors a VHE L1
 * (HCR_EL2.E2H = 1) uses at EL2 to reach L2's EL1 and EL0 registers: they
 * have no storage of their own, each names the row it reaches.
 */
#ifndef NV_VEL2_REGS_H
#define NV_VEL2_REGS_H

#include <nv/esr.h>
#include <nv/types.h>

enum vel2_reg {
	/* Identification, control and traps */
	VEL2_VPIDR_EL2,
	VEL2_VMPIDR_EL2,
	VEL2_SCTLR_EL2,
	VEL2_ACTLR_EL2,
	VEL2_HCR_EL2,
	VEL2_MDCR_EL2,
	VEL2_CPTR_EL2,
	VEL2_HSTR_EL2,
	VEL2_HACR_EL2,
	VEL2_HCRX_EL2,
	VEL2_HFGRTR_EL2,
	VEL2_HFGWTR_EL2,
	VEL2_HFGITR_EL2,
	VEL2_HDFGRTR_EL2,
	VEL2_HDFGWTR_EL2,
	VEL2_HAFGRTR_EL2,
	/* Translation */
	VEL2_TTBR0_EL2,
	VEL2_TTBR1_EL2,
	VEL2_TCR_EL2,
	VEL2_VTTBR_EL2,
	VEL2_VTCR_EL2,
	VEL2_VNCR_EL2,
	/* Exceptions and faults */
	VEL2_SPSR_EL2,
	VEL2_ELR_EL2,
	VEL2_SP_EL1,
	VEL2_AFSR0_EL2,
	VEL2_AFSR1_EL2,
	VEL2_ESR_EL2,
	VEL2_FAR_EL2,
	VEL2_HPFAR_EL2,
	/* Memory attributes, vectors, thread and context IDs */
	VEL2_MAIR_EL2,
	VEL2_AMAIR_EL2,
	VEL2_VBAR_EL2,
	VEL2_CONTEXTIDR_EL2,
	VEL2_TPIDR_EL2,
	/* Generic timer */
	VEL2_CNTVOFF_EL2,
	VEL2_CNTHCTL_EL2,
	VEL2_CNTHP_CTL_EL2,
	VEL2_CNTHP_CVAL_EL2,
	VEL2_CNTHP_TVAL_EL2,
	VEL2_CNTHV_CTL_EL2,
	VEL2_CNTHV_CVAL_EL2,
	VEL2_CNTHV_TVAL_EL2,
	/* GICv3 hypervisor interface */
	VEL2_ICC_SRE_EL2,
	VEL2_ICH_HCR_EL2,
	VEL2_ICH_VTR_EL2,
	VEL2_ICH_MISR_EL2,
	VEL2_ICH_EISR_EL2,
	VEL2_ICH_ELRSR_EL2,
	VEL2_ICH_VMCR_EL2,
	VEL2_ICH_AP0R0_EL2,
	VEL2_ICH_AP0R1_EL2,
	VEL2_ICH_AP0R2_EL2,
	VEL2_ICH_AP0R3_EL2,
	VEL2_ICH_AP1R0_EL2,
	VEL2_ICH_AP1R1_EL2,
	VEL2_ICH_AP1R2_EL2,
	VEL2_ICH_AP1R3_EL2,
	VEL2_ICH_LR0_EL2,
	VEL2_ICH_LR1_EL2,
	VEL2_ICH_LR2_EL2,
	VEL2_ICH_LR3_EL2,
	VEL2_ICH_LR4_EL2,
	VEL2_ICH_LR5_EL2,
	VEL2_ICH_LR6_EL2,
	VEL2_ICH_LR7_EL2,
	VEL2_ICH_LR8_EL2,
	VEL2_ICH_LR9_EL2,
	VEL2_ICH_LR10_EL2,
	VEL2_ICH_LR11_EL2,
	VEL2_ICH_LR12_EL2,
	VEL2_ICH_LR13_EL2,
	VEL2_ICH_LR14_EL2,
	VEL2_ICH_LR15_EL2,
	/* L2's EL1/EL0 context held for L1 (VEL2_EL1 rows) */
	VEL2_SCTLR_EL1,
	VEL2_ACTLR_EL1,
	VEL2_CPACR_EL1,
	VEL2_TTBR0_EL1,
	VEL2_TTBR1_EL1,
	VEL2_TCR_EL1,
	VEL2_ESR_EL1,
	VEL2_FAR_EL1,
	VEL2_AFSR0_EL1,
	VEL2_AFSR1_EL1,
	VEL2_MAIR_EL1,
	VEL2_AMAIR_EL1,
	VEL2_CONTEXTIDR_EL1,
	VEL2_VBAR_EL1,
	VEL2_ELR_EL1,
	VEL2_SPSR_EL1,
	VEL2_MDSCR_EL1,
	VEL2_CNTV_CTL_EL0,
	VEL2_CNTV_CVAL_EL0,
	VEL2_CNTP_CTL_EL0,
	VEL2_CNTP_CVAL_EL0,
	VEL2_CNTKCTL_EL1, /* not in the VNCR page: reached as CNTKCTL_EL12 */
	VEL2_NR_REGS
};

/* The accessors of L2's EL1/EL0 registers at EL2 with E2H = 1. */
enum vel2_alias {
	VEL2_SCTLR_EL12,
	VEL2_CPACR_EL12,
	VEL2_TTBR0_EL12,
	VEL2_TTBR1_EL12,
	VEL2_TCR_EL12,
	VEL2_ESR_EL12,
	VEL2_AFSR0_EL12,
	VEL2_AFSR1_EL12,
	VEL2_FAR_EL12,
	VEL2_MAIR_EL12,
	VEL2_AMAIR_EL12,
	VEL2_VBAR_EL12,
	VEL2_CONTEXTIDR_EL12,
	VEL2_ELR_EL12,
	VEL2_SPSR_EL12,
	VEL2_CNTKCTL_EL12,
	VEL2_CNTP_CTL_EL02,
	VEL2_CNTP_CVAL_EL02,
	VEL2_CNTP_TVAL_EL02,
	VEL2_CNTV_CTL_EL02,
	VEL2_CNTV_CVAL_EL02,
	VEL2_CNTV_TVAL_EL02,
	VEL2_NR_ALIASES
};

/* Row flags */
#define VEL2_RO BIT(0)  /* read-only: an MSR to it is UNDEFINED */
#define VEL2_VHE BIT(1) /* exists only with FEAT_VHE */
#define VEL2_NV2 BIT(2) /* exists only with FEAT_NV2 */
#define VEL2_FGT BIT(3) /* exists only with FEAT_FGT */
#define VEL2_HCX BIT(4) /* exists only with FEAT_HCX */
/* L2's EL1/EL0 context, not an EL2 register (see the top of the file). */
#define VEL2_EL1 BIT(5)
/* Its layout changes with HCR_EL2.E2H = 1: res0_e2h/res1_e2h are that one's. */
#define VEL2_E2H BIT(6)
/* A TimerValue view: reads and writes go through CVAL and the counter. */
#define VEL2_TVAL BIT(7)

/* The flags that make a row depend on a feature offered to L1. */
#define VEL2_FEATURES (VEL2_VHE | VEL2_NV2 | VEL2_FGT | VEL2_HCX)

struct vel2_reg_desc {
	const char *name;
	u32 enc;   /* SYSREG_ENC(op0, op1, CRn, CRm, op2) */
	u32 flags; /* VEL2_* */
	u32 vncr;  /* byte offset in the VNCR page, 0 = none */
	u64 reset; /* value at vCPU reset (see vel2_regs_reset) */
	u64 res0;  /* bits that read 0 whatever is written (E2H = 0) */
	u64 res1;  /* bits that read 1 whatever is written (E2H = 0) */
	/* The same with E2H = 1 (VHE offered and set); res0/res1 for rows
	 * without VEL2_E2H. */
	u64 res0_e2h;
	u64 res1_e2h;
};

/*
 * An _EL12/_EL02 accessor: at EL2 with E2H = 1 it reads and writes the row
 * target (L2's register); elsewhere it is UNDEFINED. A VEL2_TVAL accessor
 * is the TimerValue view of the timer whose CVAL row is target (its CTL
 * row is the one before).
 */
struct vel2_alias_desc {
	const char *name;
	u32 enc;   /* SYSREG_ENC(op0, op1, CRn, CRm, op2) */
	u32 flags; /* VEL2_TVAL or 0 */
	enum vel2_reg target;
};

/* The architecture features nestvisor offers L1 (from its ID registers). */
struct vel2_features {
	bool vhe; /* FEAT_VHE: HCR_EL2.E2H can be set */
	bool e2h_res1; /* with vhe, no FEAT_E2H0: HCR_EL2.E2H is RES1 */
	bool nv2; /* FEAT_NV2 */
	bool fgt; /* FEAT_FGT */
	bool hcx; /* FEAT_HCX */
};

/* The table itself, for the inline accessors below (index: enum vel2_reg). */
extern const struct vel2_reg_desc vel2_reg_table[VEL2_NR_REGS];

/* The VNCR page: 4 KiB, 4 KiB aligned (VNCR_EL2.BADDR is bits 52:12). */
#define VEL2_VNCR_PAGE 4096u

/*
 * A register file: the rows with a VNCR offset in the page vncr points to
 * (the slot at the row's offset), the others in regs[] (their slots of
 * regs[] for the VNCR rows are unused). The page's other offsets belong
 * to registers nestvisor does not give L1: under NV2 the CPU may still
 * write them for L1, and nothing reads them.
 */
struct vel2_file {
	u64 *vncr;
	u64 regs[VEL2_NR_REGS];
};

/* Register r's slot (r below VEL2_NR_REGS). */
static inline u64 *vel2_slot(struct vel2_file *f, enum vel2_reg r)
{
	u32 off = vel2_reg_table[r].vncr;

	return off ? &f->vncr[off / 8] : &f->regs[r];
}

static inline u64 vel2_get(const struct vel2_file *f, enum vel2_reg r)
{
	u32 off = vel2_reg_table[r].vncr;

	return off ? f->vncr[off / 8] : f->regs[r];
}

static inline void vel2_set(struct vel2_file *f, enum vel2_reg r, u64 val)
{
	*vel2_slot(f, r) = val;
}

/* The row of index r, or NULL if r is not below VEL2_NR_REGS. */
const struct vel2_reg_desc *vel2_reg_by_index(enum vel2_reg r);
/*
 * The row with this encoding (SYSREG_ENC), or NULL if no row has it. Finds
 * the VEL2_EL1 rows too: a caller after EL2 registers only checks flags.
 */
const struct vel2_reg_desc *vel2_reg_by_enc(u32 enc);
/* The index of a row returned by the two lookups above. */
enum vel2_reg vel2_reg_index(const struct vel2_reg_desc *d);
/* "HCR_EL2" and so on, or NULL if r is not below VEL2_NR_REGS. */
const char *vel2_reg_name(enum vel2_reg r);
/* The row's byte offset in the VNCR page; 0 if it has none or r is bad. */
u32 vel2_reg_vncr_offset(enum vel2_reg r);
/* Whether L1 has register r, given the features it is offered (f may be NULL: none). */
bool vel2_reg_exists(enum vel2_reg r, const struct vel2_features *f);
/*
 * The value register r holds after L1 writes val: RES0 bits cleared, RES1
 * bits set, and HCR_EL2.E2H cleared unless VHE is offered. f may be NULL
 * (no features). Read-only rows are the caller's to refuse; a bad r
 * returns val unchanged. With e2h (L1's HCR_EL2.E2H, see vel2_regs_e2h)
 * and VHE offered, a VEL2_E2H row takes its E2H = 1 masks; otherwise the
 * E2H = 0 ones.
 */
u64 vel2_reg_sanitise_e2h(enum vel2_reg r, u64 val, const struct vel2_features *f, bool e2h);
/* The same with the E2H = 0 masks: what L1 without FEAT_VHE always has. */
u64 vel2_reg_sanitise(enum vel2_reg r, u64 val, const struct vel2_features *f);
/*
 * Whether the E2H = 1 layouts are in force for the register file f:
 * VHE offered (feat may be NULL: none) and f's HCR_EL2.E2H set.
 */
bool vel2_regs_e2h(const struct vel2_file *f, const struct vel2_features *feat);
/*
 * L1's CPTR_EL2 and CNTHCTL_EL2 as the E2H = 0 controls they are for L2,
 * an EL1&0 guest (HCR_EL2.TGE 0), when e2h says their E2H = 1 layouts are
 * in force; unchanged otherwise (see vel2_regs.c).
 */
u64 vel2_cptr_e2h0(u64 cptr, bool e2h);
u64 vel2_cnthctl_e2h0(u64 cnthctl, bool e2h);

/* The accessor of index a, or NULL if a is not below VEL2_NR_ALIASES. */
const struct vel2_alias_desc *vel2_alias_by_index(enum vel2_alias a);
/* The accessor with this encoding (SYSREG_ENC), or NULL if none has it. */
const struct vel2_alias_desc *vel2_alias_by_enc(u32 enc);
/*
 * The file's page zeroed, then every slot to its row's reset value.
 * VPIDR_EL2, VMPIDR_EL2 and ICH_VTR_EL2 are the vCPU's to fill in
 * afterwards (from its MIDR, its MPIDR and the vGIC), as the architecture
 * resets the first two from MIDR_EL1/MPIDR_EL1.
 */
void vel2_regs_reset(struct vel2_file *f);

#endif
