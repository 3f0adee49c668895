/*
 * Host tests of the trap-forwarding table (src/cpu/trap_forward.c): for a
 * synchronous exit of a nested guest L2, does a non-VHE guest hypervisor
 * L1 (E2H = 0) claim it through its virtual HCR_EL2, CPTR_EL2, MDCR_EL2
 * or CNTHCTL_EL2?
 *
 * Everything here is written out from the Arm ARM independently of the
 * module: the ESR_EL2 layout, the bit positions of the trap controls, and
 * the system register encodings (op0, op1, CRn, CRm, op2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <nv/trap_forward.h>

/* --- ESR_EL2 --- */

/* EC [31:26], IL [25], ISS [24:0]. */
#define E_EC(ec) ((u64)(ec) << 26)
#define E_IL ((u64)1 << 25)

/* Exception classes. */
#define X_UNKNOWN 0x00
#define X_WFX 0x01
#define X_FP 0x07
#define X_PAC 0x09
#define X_BTI 0x0d
#define X_ILL 0x0e
#define X_SVC64 0x15
#define X_HVC64 0x16
#define X_SMC64 0x17
#define X_SYS64 0x18
#define X_SVE 0x19
#define X_ERET 0x1a
#define X_FPAC 0x1c
#define X_SME 0x1d
#define X_IABT_LOW 0x20
#define X_IABT_CUR 0x21
#define X_PC_ALIGN 0x22
#define X_DABT_LOW 0x24
#define X_DABT_CUR 0x25
#define X_SP_ALIGN 0x26
#define X_FP64 0x2c
#define X_SERROR 0x2f
#define X_BREAKPT_LOW 0x30
#define X_BREAKPT_CUR 0x31
#define X_SOFTSTP_LOW 0x32
#define X_SOFTSTP_CUR 0x33
#define X_WATCHPT_LOW 0x34
#define X_WATCHPT_CUR 0x35
#define X_BRK64 0x3c

static u64 ec_esr(unsigned ec, u32 iss)
{
	return E_EC(ec) | E_IL | iss;
}

/*
 * EC 0x18 (MSR, MRS, SYS, SYSL): Op0 [21:20], Op2 [19:17], Op1 [16:14],
 * CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1: read, MRS).
 */
static u64 sys_esr_rt(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
		      unsigned op2, bool read, unsigned rt)
{
	return E_EC(X_SYS64) | E_IL | ((u64)op0 << 20) | ((u64)op2 << 17) |
	       ((u64)op1 << 14) | ((u64)crn << 10) | ((u64)rt << 5) |
	       ((u64)crm << 1) | (read ? 1u : 0u);
}

static u64 sys_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
		   unsigned op2, bool read)
{
	return sys_esr_rt(op0, op1, crn, crm, op2, read, 5);
}

/* --- The trap controls (Arm ARM bit positions, E2H = 0 layouts) --- */

#define HCR_TGE_BIT ((u64)1 << 27)
#define CNTHCTL_EL1PCTEN_BIT ((u64)1 << 0)
#define CNTHCTL_EL1PCEN_BIT ((u64)1 << 1)
#define CNTHCTL_EL1TVT_BIT ((u64)1 << 13)
#define CNTHCTL_EL1TVCT_BIT ((u64)1 << 14)
#define HCR_APK_BIT ((u64)1 << 40)
#define HCR_API_BIT ((u64)1 << 41)

enum treg { IN_HCR, IN_CPTR, IN_MDCR, IN_CNTHCTL };

struct ctl {
	const char *name; /* what trap_forward_reason() must name */
	enum treg reg;
	u64 bit;
	bool when_clear; /* traps when the bit is 0 (APK, CNTHCTL_EL2.EL1P*) */
};

enum {
	C_END, /* ends a row's list */
	C_IMO, C_FMO, C_TID1, C_TID2, C_TID3, C_TIDCP, C_TACR, C_TSW, C_TPCP,
	C_TPU, C_TTLB, C_TVM, C_TGE, C_TDZ, C_TRVM, C_TLOR, C_TERR, C_APK,
	C_TCPAC, C_TTA, C_TPMCR, C_TPM, C_TDE, C_TDA, C_TDOSA, C_TDRA,
	C_EL1PCTEN, C_EL1PCEN, C_EL1TVT, C_EL1TVCT,
};

static const struct ctl ctls[] = {
	[C_IMO] = { "HCR_EL2.IMO", IN_HCR, (u64)1 << 4, false },
	[C_FMO] = { "HCR_EL2.FMO", IN_HCR, (u64)1 << 3, false },
	[C_TID1] = { "HCR_EL2.TID1", IN_HCR, (u64)1 << 16, false },
	[C_TID2] = { "HCR_EL2.TID2", IN_HCR, (u64)1 << 17, false },
	[C_TID3] = { "HCR_EL2.TID3", IN_HCR, (u64)1 << 18, false },
	[C_TIDCP] = { "HCR_EL2.TIDCP", IN_HCR, (u64)1 << 20, false },
	[C_TACR] = { "HCR_EL2.TACR", IN_HCR, (u64)1 << 21, false },
	[C_TSW] = { "HCR_EL2.TSW", IN_HCR, (u64)1 << 22, false },
	[C_TPCP] = { "HCR_EL2.TPCP", IN_HCR, (u64)1 << 23, false },
	[C_TPU] = { "HCR_EL2.TPU", IN_HCR, (u64)1 << 24, false },
	[C_TTLB] = { "HCR_EL2.TTLB", IN_HCR, (u64)1 << 25, false },
	[C_TVM] = { "HCR_EL2.TVM", IN_HCR, (u64)1 << 26, false },
	/* TGE makes MDCR_EL2.TDE behave as 1: the reason is TDE's. */
	[C_TGE] = { "MDCR_EL2.TDE", IN_HCR, HCR_TGE_BIT, false },
	[C_TDZ] = { "HCR_EL2.TDZ", IN_HCR, (u64)1 << 28, false },
	[C_TRVM] = { "HCR_EL2.TRVM", IN_HCR, (u64)1 << 30, false },
	[C_TLOR] = { "HCR_EL2.TLOR", IN_HCR, (u64)1 << 35, false },
	[C_TERR] = { "HCR_EL2.TERR", IN_HCR, (u64)1 << 36, false },
	[C_APK] = { "HCR_EL2.APK", IN_HCR, HCR_APK_BIT, true },
	[C_TCPAC] = { "CPTR_EL2.TCPAC", IN_CPTR, (u64)1 << 31, false },
	[C_TTA] = { "CPTR_EL2.TTA", IN_CPTR, (u64)1 << 20, false },
	[C_TPMCR] = { "MDCR_EL2.TPMCR", IN_MDCR, (u64)1 << 5, false },
	[C_TPM] = { "MDCR_EL2.TPM", IN_MDCR, (u64)1 << 6, false },
	[C_TDE] = { "MDCR_EL2.TDE", IN_MDCR, (u64)1 << 8, false },
	[C_TDA] = { "MDCR_EL2.TDA", IN_MDCR, (u64)1 << 9, false },
	[C_TDOSA] = { "MDCR_EL2.TDOSA", IN_MDCR, (u64)1 << 10, false },
	[C_TDRA] = { "MDCR_EL2.TDRA", IN_MDCR, (u64)1 << 11, false },
	[C_EL1PCTEN] = { "CNTHCTL_EL2.EL1PCTEN", IN_CNTHCTL, CNTHCTL_EL1PCTEN_BIT, true },
	[C_EL1PCEN] = { "CNTHCTL_EL2.EL1PCEN", IN_CNTHCTL, CNTHCTL_EL1PCEN_BIT, true },
	[C_EL1TVT] = { "CNTHCTL_EL2.EL1TVT", IN_CNTHCTL, CNTHCTL_EL1TVT_BIT, false },
	[C_EL1TVCT] = { "CNTHCTL_EL2.EL1TVCT", IN_CNTHCTL, CNTHCTL_EL1TVCT_BIT, false },
};

static u64 *treg_of(struct vel2_traps *t, enum treg r)
{
	switch (r) {
	case IN_HCR:
		return &t->hcr;
	case IN_CPTR:
		return &t->cptr;
	case IN_MDCR:
		return &t->mdcr;
	default:
		return &t->cnthctl;
	}
}

/* Turns a control on (it traps) or off. */
static void ctl_set(struct vel2_traps *t, unsigned id, bool on)
{
	const struct ctl *c = &ctls[id];
	u64 *v = treg_of(t, c->reg);

	if (on != c->when_clear)
		*v |= c->bit;
	else
		*v &= ~c->bit;
}

/* No control asks for a trap: APK and API set, both EL1PC* enables set. */
static struct vel2_traps quiet(void)
{
	struct vel2_traps t = {
		.hcr = HCR_APK_BIT | HCR_API_BIT,
		.cnthctl = CNTHCTL_EL1PCTEN_BIT | CNTHCTL_EL1PCEN_BIT,
	};

	return t;
}

/*
 * Every control on (every bit set, inverted ones cleared) but TGE, which
 * for a non-VHE L1 means L2 runs at EL0 with everything routed to EL2, a
 * regime the table does not model beyond debug.
 */
static struct vel2_traps loud(void)
{
	struct vel2_traps t = {
		.hcr = ~HCR_TGE_BIT & ~HCR_APK_BIT & ~HCR_API_BIT,
		.cptr = ~(u64)0,
		.mdcr = ~(u64)0,
		.cnthctl = ~(CNTHCTL_EL1PCTEN_BIT | CNTHCTL_EL1PCEN_BIT),
	};

	return t;
}

/* --- The rows: registers and instructions with the controls that trap them --- */

enum dir {
	RD, /* reads trap; writes must not be forwarded */
	WR, /* writes (and SYS instructions, Direction 0) trap; reads must not */
	RW, /* both trap */
	RO, /* a read-only register under a read/write control: reads only */
	WO, /* a write-only register under a read/write control: writes only */
};

struct row {
	const char *reg;
	unsigned op0, op1, crn, crm, op2;
	enum dir dir;
	unsigned char ctl[4]; /* C_END-terminated */
};

#define ROW(r, o0, o1, n, m, o2, d, ...) \
	{ r, o0, o1, n, m, o2, d, { __VA_ARGS__, C_END } }

static const struct row rows[] = {
	/* HCR_EL2.TID3: ID group 3, op0 3, op1 0, CRn 0, CRm 1..7. */
	ROW("ID_PFR0_EL1", 3, 0, 0, 1, 0, RD, C_TID3),
	ROW("MVFR0_EL1", 3, 0, 0, 3, 0, RD, C_TID3),
	ROW("ID_AA64PFR0_EL1", 3, 0, 0, 4, 0, RD, C_TID3),
	ROW("ID_AA64DFR0_EL1", 3, 0, 0, 5, 0, RD, C_TID3),
	ROW("ID_AA64ISAR1_EL1", 3, 0, 0, 6, 1, RD, C_TID3),
	ROW("ID_AA64MMFR2_EL1", 3, 0, 0, 7, 2, RD, C_TID3),
	ROW("S3_0_C0_C7_7 (reserved ID)", 3, 0, 0, 7, 7, RD, C_TID3),
	/* TID1: REVIDR_EL1, AIDR_EL1, SMIDR_EL1. */
	ROW("REVIDR_EL1", 3, 0, 0, 0, 6, RD, C_TID1),
	ROW("AIDR_EL1", 3, 1, 0, 0, 7, RD, C_TID1),
	ROW("SMIDR_EL1", 3, 1, 0, 0, 6, RD, C_TID1),
	/* TID2: CTR_EL0, CCSIDR_EL1, CLIDR_EL1, CCSIDR2_EL1; CSSELR_EL1
	 * both ways. */
	ROW("CTR_EL0", 3, 3, 0, 0, 1, RD, C_TID2),
	ROW("CCSIDR_EL1", 3, 1, 0, 0, 0, RD, C_TID2),
	ROW("CLIDR_EL1", 3, 1, 0, 0, 1, RD, C_TID2),
	ROW("CCSIDR2_EL1", 3, 1, 0, 0, 2, RD, C_TID2),
	ROW("CSSELR_EL1", 3, 2, 0, 0, 0, RW, C_TID2),
	/* TVM (writes) and TRVM (reads): the virtual memory controls. */
	ROW("SCTLR_EL1", 3, 0, 1, 0, 0, WR, C_TVM),
	ROW("SCTLR_EL1", 3, 0, 1, 0, 0, RD, C_TRVM),
	ROW("TTBR0_EL1", 3, 0, 2, 0, 0, WR, C_TVM),
	ROW("TTBR0_EL1", 3, 0, 2, 0, 0, RD, C_TRVM),
	ROW("TTBR1_EL1", 3, 0, 2, 0, 1, WR, C_TVM),
	ROW("TTBR1_EL1", 3, 0, 2, 0, 1, RD, C_TRVM),
	ROW("TCR_EL1", 3, 0, 2, 0, 2, WR, C_TVM),
	ROW("TCR_EL1", 3, 0, 2, 0, 2, RD, C_TRVM),
	ROW("AFSR0_EL1", 3, 0, 5, 1, 0, WR, C_TVM),
	ROW("AFSR0_EL1", 3, 0, 5, 1, 0, RD, C_TRVM),
	ROW("AFSR1_EL1", 3, 0, 5, 1, 1, WR, C_TVM),
	ROW("AFSR1_EL1", 3, 0, 5, 1, 1, RD, C_TRVM),
	ROW("ESR_EL1", 3, 0, 5, 2, 0, WR, C_TVM),
	ROW("ESR_EL1", 3, 0, 5, 2, 0, RD, C_TRVM),
	ROW("FAR_EL1", 3, 0, 6, 0, 0, WR, C_TVM),
	ROW("FAR_EL1", 3, 0, 6, 0, 0, RD, C_TRVM),
	ROW("MAIR_EL1", 3, 0, 10, 2, 0, WR, C_TVM),
	ROW("MAIR_EL1", 3, 0, 10, 2, 0, RD, C_TRVM),
	ROW("AMAIR_EL1", 3, 0, 10, 3, 0, WR, C_TVM),
	ROW("AMAIR_EL1", 3, 0, 10, 3, 0, RD, C_TRVM),
	ROW("CONTEXTIDR_EL1", 3, 0, 13, 0, 1, WR, C_TVM),
	ROW("CONTEXTIDR_EL1", 3, 0, 13, 0, 1, RD, C_TRVM),
	/* TACR: ACTLR_EL1. */
	ROW("ACTLR_EL1", 3, 0, 1, 0, 1, RW, C_TACR),
	/* TSW: data cache maintenance by set/way. */
	ROW("DC ISW", 1, 0, 7, 6, 2, WR, C_TSW),
	ROW("DC CSW", 1, 0, 7, 10, 2, WR, C_TSW),
	ROW("DC CISW", 1, 0, 7, 14, 2, WR, C_TSW),
	/* TPCP: to the point of coherency (and persistence). */
	ROW("DC IVAC", 1, 0, 7, 6, 1, WR, C_TPCP),
	ROW("DC CVAC", 1, 3, 7, 10, 1, WR, C_TPCP),
	ROW("DC CVAP", 1, 3, 7, 12, 1, WR, C_TPCP),
	ROW("DC CVADP", 1, 3, 7, 13, 1, WR, C_TPCP),
	ROW("DC CIVAC", 1, 3, 7, 14, 1, WR, C_TPCP),
	/* TPU: to the point of unification. */
	ROW("IC IALLUIS", 1, 0, 7, 1, 0, WR, C_TPU),
	ROW("IC IALLU", 1, 0, 7, 5, 0, WR, C_TPU),
	ROW("IC IVAU", 1, 3, 7, 5, 1, WR, C_TPU),
	ROW("DC CVAU", 1, 3, 7, 11, 1, WR, C_TPU),
	/* TTLB: TLB maintenance at EL1, with the nXS forms. */
	ROW("TLBI VMALLE1OS", 1, 0, 8, 1, 0, WR, C_TTLB),
	ROW("TLBI RVAE1IS", 1, 0, 8, 2, 1, WR, C_TTLB),
	ROW("TLBI VMALLE1IS", 1, 0, 8, 3, 0, WR, C_TTLB),
	ROW("TLBI VAALE1IS", 1, 0, 8, 3, 7, WR, C_TTLB),
	ROW("TLBI RVAE1OS", 1, 0, 8, 5, 1, WR, C_TTLB),
	ROW("TLBI RVAE1", 1, 0, 8, 6, 1, WR, C_TTLB),
	ROW("TLBI VMALLE1", 1, 0, 8, 7, 0, WR, C_TTLB),
	ROW("TLBI VAE1", 1, 0, 8, 7, 1, WR, C_TTLB),
	ROW("TLBI ASIDE1", 1, 0, 8, 7, 2, WR, C_TTLB),
	ROW("TLBI VAAE1", 1, 0, 8, 7, 3, WR, C_TTLB),
	ROW("TLBI VALE1", 1, 0, 8, 7, 5, WR, C_TTLB),
	ROW("TLBI VMALLE1OSNXS", 1, 0, 9, 1, 0, WR, C_TTLB),
	ROW("TLBI VAE1ISNXS", 1, 0, 9, 3, 1, WR, C_TTLB),
	ROW("TLBI VMALLE1NXS", 1, 0, 9, 7, 0, WR, C_TTLB),
	/* TDZ: DC ZVA. */
	ROW("DC ZVA", 1, 3, 7, 4, 1, WR, C_TDZ),
	/* TIDCP: the IMPLEMENTATION DEFINED space, op0 3, CRn 11 and 15. */
	ROW("S3_0_C11_C0_0", 3, 0, 11, 0, 0, RW, C_TIDCP),
	ROW("S3_1_C15_C2_0 (CPUACTLR_EL1 of Cortex-A)", 3, 1, 15, 2, 0, RW, C_TIDCP),
	ROW("S3_7_C15_C15_7", 3, 7, 15, 15, 7, RW, C_TIDCP),
	/* TERR: the RAS error records. */
	ROW("ERRIDR_EL1", 3, 0, 5, 3, 0, RO, C_TERR),
	ROW("ERRSELR_EL1", 3, 0, 5, 3, 1, RW, C_TERR),
	ROW("ERXFR_EL1", 3, 0, 5, 4, 0, RO, C_TERR),
	ROW("ERXCTLR_EL1", 3, 0, 5, 4, 1, RW, C_TERR),
	ROW("ERXSTATUS_EL1", 3, 0, 5, 4, 2, RW, C_TERR),
	ROW("ERXADDR_EL1", 3, 0, 5, 4, 3, RW, C_TERR),
	ROW("ERXMISC0_EL1", 3, 0, 5, 5, 0, RW, C_TERR),
	ROW("ERXMISC1_EL1", 3, 0, 5, 5, 1, RW, C_TERR),
	ROW("ERXMISC3_EL1", 3, 0, 5, 5, 3, RW, C_TERR),
	/* TLOR: the LORegion registers. */
	ROW("LORSA_EL1", 3, 0, 10, 4, 0, RW, C_TLOR),
	ROW("LOREA_EL1", 3, 0, 10, 4, 1, RW, C_TLOR),
	ROW("LORN_EL1", 3, 0, 10, 4, 2, RW, C_TLOR),
	ROW("LORC_EL1", 3, 0, 10, 4, 3, RW, C_TLOR),
	ROW("LORID_EL1", 3, 0, 10, 4, 7, RO, C_TLOR),
	/* IMO or FMO: the SGI generation registers, write-only. */
	ROW("ICC_SGI1R_EL1", 3, 0, 12, 11, 5, WR, C_IMO, C_FMO),
	ROW("ICC_ASGI1R_EL1", 3, 0, 12, 11, 6, WR, C_IMO, C_FMO),
	ROW("ICC_SGI0R_EL1", 3, 0, 12, 11, 7, WR, C_IMO, C_FMO),
	/* APK clear: the PAuth key registers. */
	ROW("APIAKEYLO_EL1", 3, 0, 2, 1, 0, RW, C_APK),
	ROW("APIAKEYHI_EL1", 3, 0, 2, 1, 1, RW, C_APK),
	ROW("APIBKEYLO_EL1", 3, 0, 2, 1, 2, RW, C_APK),
	ROW("APIBKEYHI_EL1", 3, 0, 2, 1, 3, RW, C_APK),
	ROW("APDAKEYLO_EL1", 3, 0, 2, 2, 0, RW, C_APK),
	ROW("APDAKEYHI_EL1", 3, 0, 2, 2, 1, RW, C_APK),
	ROW("APDBKEYLO_EL1", 3, 0, 2, 2, 2, RW, C_APK),
	ROW("APDBKEYHI_EL1", 3, 0, 2, 2, 3, RW, C_APK),
	ROW("APGAKEYLO_EL1", 3, 0, 2, 3, 0, RW, C_APK),
	ROW("APGAKEYHI_EL1", 3, 0, 2, 3, 1, RW, C_APK),
	/* CPTR_EL2.TCPAC: CPACR_EL1. */
	ROW("CPACR_EL1", 3, 0, 1, 0, 2, RW, C_TCPAC),
	/* CPTR_EL2.TTA: the trace unit registers, op0 2, op1 1, CRn 0..7. */
	ROW("TRCPRGCTLR", 2, 1, 0, 1, 0, RW, C_TTA),
	ROW("TRCCONFIGR", 2, 1, 0, 4, 0, RW, C_TTA),
	ROW("TRCIDR0", 2, 1, 0, 8, 7, RO, C_TTA),
	ROW("TRCSSCCR0", 2, 1, 1, 0, 2, RW, C_TTA),
	ROW("TRCACVR0", 2, 1, 2, 0, 0, RW, C_TTA),
	ROW("TRCCIDCVR0", 2, 1, 3, 0, 0, RW, C_TTA),
	ROW("TRCCLAIMSET", 2, 1, 7, 8, 6, RW, C_TTA),
	ROW("TRCAUTHSTATUS", 2, 1, 7, 14, 6, RO, C_TTA),
	/* MDCR_EL2.TPMCR (and TPM): PMCR_EL0. */
	ROW("PMCR_EL0", 3, 3, 9, 12, 0, RW, C_TPMCR, C_TPM),
	/* TPM: the PMU. */
	ROW("PMCNTENSET_EL0", 3, 3, 9, 12, 1, RW, C_TPM),
	ROW("PMCNTENCLR_EL0", 3, 3, 9, 12, 2, RW, C_TPM),
	ROW("PMOVSCLR_EL0", 3, 3, 9, 12, 3, RW, C_TPM),
	ROW("PMSWINC_EL0", 3, 3, 9, 12, 4, WO, C_TPM),
	ROW("PMSELR_EL0", 3, 3, 9, 12, 5, RW, C_TPM),
	ROW("PMCEID0_EL0", 3, 3, 9, 12, 6, RO, C_TPM),
	ROW("PMCEID1_EL0", 3, 3, 9, 12, 7, RO, C_TPM),
	ROW("PMCCNTR_EL0", 3, 3, 9, 13, 0, RW, C_TPM),
	ROW("PMXEVTYPER_EL0", 3, 3, 9, 13, 1, RW, C_TPM),
	ROW("PMXEVCNTR_EL0", 3, 3, 9, 13, 2, RW, C_TPM),
	ROW("PMUSERENR_EL0", 3, 3, 9, 14, 0, RW, C_TPM),
	ROW("PMOVSSET_EL0", 3, 3, 9, 14, 3, RW, C_TPM),
	ROW("PMINTENSET_EL1", 3, 0, 9, 14, 1, RW, C_TPM),
	ROW("PMINTENCLR_EL1", 3, 0, 9, 14, 2, RW, C_TPM),
	ROW("PMMIR_EL1", 3, 0, 9, 14, 6, RO, C_TPM),
	ROW("PMEVCNTR0_EL0", 3, 3, 14, 8, 0, RW, C_TPM),
	ROW("PMEVCNTR30_EL0", 3, 3, 14, 11, 6, RW, C_TPM),
	ROW("PMEVTYPER0_EL0", 3, 3, 14, 12, 0, RW, C_TPM),
	ROW("PMEVTYPER30_EL0", 3, 3, 14, 15, 6, RW, C_TPM),
	ROW("PMCCFILTR_EL0", 3, 3, 14, 15, 7, RW, C_TPM),
	/* TDRA: MDRAR_EL1; TDE (or TGE) makes TDRA, TDOSA and TDA act as 1. */
	ROW("MDRAR_EL1", 2, 0, 1, 0, 0, RO, C_TDRA, C_TDE, C_TGE),
	/* TDOSA: the OS lock, OS double lock and powerdown registers. */
	ROW("OSLAR_EL1", 2, 0, 1, 0, 4, WO, C_TDOSA, C_TDE, C_TGE),
	ROW("OSLSR_EL1", 2, 0, 1, 1, 4, RO, C_TDOSA, C_TDE, C_TGE),
	ROW("OSDLR_EL1", 2, 0, 1, 3, 4, RW, C_TDOSA, C_TDE, C_TGE),
	ROW("DBGPRCR_EL1", 2, 0, 1, 4, 4, RW, C_TDOSA, C_TDE, C_TGE),
	/* TDA: the other debug registers. */
	ROW("OSDTRRX_EL1", 2, 0, 0, 0, 2, RW, C_TDA, C_TDE, C_TGE),
	ROW("MDCCINT_EL1", 2, 0, 0, 2, 0, RW, C_TDA, C_TDE, C_TGE),
	ROW("MDSCR_EL1", 2, 0, 0, 2, 2, RW, C_TDA, C_TDE, C_TGE),
	ROW("OSDTRTX_EL1", 2, 0, 0, 3, 2, RW, C_TDA, C_TDE, C_TGE),
	ROW("OSECCR_EL1", 2, 0, 0, 6, 2, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGBVR0_EL1", 2, 0, 0, 0, 4, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGBCR15_EL1", 2, 0, 0, 15, 5, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGWVR3_EL1", 2, 0, 0, 3, 6, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGWCR0_EL1", 2, 0, 0, 0, 7, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGCLAIMSET_EL1", 2, 0, 7, 8, 6, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGCLAIMCLR_EL1", 2, 0, 7, 9, 6, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGAUTHSTATUS_EL1", 2, 0, 7, 14, 6, RO, C_TDA, C_TDE, C_TGE),
	ROW("MDCCSR_EL0", 2, 3, 0, 1, 0, RO, C_TDA, C_TDE, C_TGE),
	ROW("DBGDTR_EL0", 2, 3, 0, 4, 0, RW, C_TDA, C_TDE, C_TGE),
	ROW("DBGDTRRX_EL0/DBGDTRTX_EL0", 2, 3, 0, 5, 0, RW, C_TDA, C_TDE, C_TGE),
	/* CNTHCTL_EL2 (E2H = 0), trapping when clear: EL1PCTEN for the
	 * physical count, EL1PCEN for the physical timer. */
	ROW("CNTPCT_EL0", 3, 3, 14, 0, 1, RD, C_EL1PCTEN),
	ROW("CNTPCTSS_EL0", 3, 3, 14, 0, 5, RD, C_EL1PCTEN),
	ROW("CNTP_TVAL_EL0", 3, 3, 14, 2, 0, RW, C_EL1PCEN),
	ROW("CNTP_CTL_EL0", 3, 3, 14, 2, 1, RW, C_EL1PCEN),
	ROW("CNTP_CVAL_EL0", 3, 3, 14, 2, 2, RW, C_EL1PCEN),
	/* FEAT_ECV, trapping when set: EL1TVCT, EL1TVT. */
	ROW("CNTVCT_EL0", 3, 3, 14, 0, 2, RD, C_EL1TVCT),
	ROW("CNTVCTSS_EL0", 3, 3, 14, 0, 6, RD, C_EL1TVCT),
	ROW("CNTV_TVAL_EL0", 3, 3, 14, 3, 0, RW, C_EL1TVT),
	ROW("CNTV_CTL_EL0", 3, 3, 14, 3, 1, RW, C_EL1TVT),
	ROW("CNTV_CVAL_EL0", 3, 3, 14, 3, 2, RW, C_EL1TVT),
};

static bool traps_reads(enum dir d)
{
	return d == RD || d == RW || d == RO;
}

static bool traps_writes(enum dir d)
{
	return d == WR || d == RW || d == WO;
}

/* The access the other way must not be forwarded (RO/WO: not checked). */
static bool other_way_checked(enum dir d)
{
	return d == RD || d == WR;
}

static u64 row_esr(const struct row *r, bool read, unsigned rt)
{
	return sys_esr_rt(r->op0, r->op1, r->crn, r->crm, r->op2, read, rt);
}

/* Fails unless reason names the control: its name, then the end or a space. */
static void assert_names(const char *reason, const char *ctl, const char *what)
{
	size_t n = strlen(ctl);

	if (strncmp(reason, ctl, n) != 0 || (reason[n] != '\0' && reason[n] != ' '))
		fail_msg("%s: reason \"%s\", expected \"%s\"", what, reason, ctl);
}

static void expect(const struct vel2_traps *t, u64 esr, enum forward f,
		   const char *ctl, const char *what)
{
	enum forward got = trap_forward(t, esr);
	const char *reason = trap_forward_reason(t, esr);

	if (got != f)
		fail_msg("%s (ESR %#llx): forward %d, expected %d", what,
			 (unsigned long long)esr, (int)got, (int)f);
	assert_non_null(reason);
	if (ctl)
		assert_names(reason, ctl, what);
	else if (reason[0] != '\0')
		fail_msg("%s (ESR %#llx): reason \"%s\", expected none", what,
			 (unsigned long long)esr, reason);
}

static void expect_l0(const struct vel2_traps *t, u64 esr, const char *what)
{
	expect(t, esr, FWD_L0, NULL, what);
}

/* --- The ESR builder against literal syndromes --- */

static void test_esr_literals(void **state)
{
	struct vel2_traps t = quiet();

	(void)state;
	/* MRS x0, SCTLR_EL1: EC 0x18, IL, Op0 3, CRn 1, read. */
	assert_int_equal(sys_esr_rt(3, 0, 1, 0, 0, true, 0), 0x62300401);
	/* MSR TTBR0_EL1, x1: Op0 3, CRn 2, Rt 1, write. */
	assert_int_equal(sys_esr_rt(3, 0, 2, 0, 0, false, 1), 0x62300820);
	/* DC CIVAC, x2: Op0 1, Op1 3, CRn 7, CRm 14, Op2 1, Rt 2. */
	assert_int_equal(sys_esr_rt(1, 3, 7, 14, 1, false, 2), 0x6212DC5C);

	ctl_set(&t, C_TRVM, true);
	expect(&t, 0x62300401, FWD_L1, "HCR_EL2.TRVM", "MRS x0, SCTLR_EL1");
	expect_l0(&t, 0x62300820, "MSR TTBR0_EL1, x1 under TRVM");
	t = quiet();
	ctl_set(&t, C_TVM, true);
	expect(&t, 0x62300820, FWD_L1, "HCR_EL2.TVM", "MSR TTBR0_EL1, x1");
	expect_l0(&t, 0x62300401, "MRS x0, SCTLR_EL1 under TVM");
	t = quiet();
	ctl_set(&t, C_TPCP, true);
	expect(&t, 0x6212DC5C, FWD_L1, "HCR_EL2.TPCP", "DC CIVAC, x2");
}

/* --- Every row --- */

/* Each control of a row, alone, forwards the row's access, named. */
static void test_rows_forward_when_set(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];

		for (unsigned c = 0; r->ctl[c] != C_END; c++) {
			const char *name = ctls[r->ctl[c]].name;

			for (unsigned rt = 0; rt < 32; rt += 31) {
				struct vel2_traps t = quiet();

				ctl_set(&t, r->ctl[c], true);
				if (traps_reads(r->dir))
					expect(&t, row_esr(r, true, rt), FWD_L1,
					       name, r->reg);
				if (traps_writes(r->dir))
					expect(&t, row_esr(r, false, rt), FWD_L1,
					       name, r->reg);
			}
		}
	}
}

/*
 * With its controls off the row's access stays with nestvisor, both with
 * nothing else on and with every other control on.
 */
static void test_rows_stay_when_clear(void **state)
{
	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		struct vel2_traps q = quiet(), l = loud();

		for (unsigned c = 0; r->ctl[c] != C_END; c++)
			ctl_set(&l, r->ctl[c], false);
		/* Nothing on: neither direction. */
		expect_l0(&q, row_esr(r, true, 3), r->reg);
		expect_l0(&q, row_esr(r, false, 3), r->reg);
		/* All others on: not the row's directions (for TVM rows, TRVM
		 * still claims the reads). */
		if (traps_reads(r->dir))
			expect_l0(&l, row_esr(r, true, 3), r->reg);
		if (traps_writes(r->dir))
			expect_l0(&l, row_esr(r, false, 3), r->reg);
	}
}

/* TID* and TRVM do not forward writes; TVM, TSW, TPCP, TPU, TTLB, TDZ, IMO/FMO and the counts do not forward reads. */
static void test_rows_one_way(void **state)
{
	unsigned checked = 0;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];

		if (!other_way_checked(r->dir))
			continue;
		for (unsigned c = 0; r->ctl[c] != C_END; c++) {
			struct vel2_traps t = quiet();

			ctl_set(&t, r->ctl[c], true);
			expect_l0(&t, row_esr(r, r->dir == WR, 9), r->reg);
			checked++;
		}
	}
	/* The one-way rows are most of the table. */
	assert_true(checked >= 70);
}

/* The rows of a kind, spelled out: the brief's read-only and write-only sets. */
static void test_read_only_and_write_only_controls(void **state)
{
	static const struct {
		unsigned ctl;
		unsigned op0, op1, crn, crm, op2;
		bool traps_read;
	} one_way[] = {
		{ C_TID3, 3, 0, 0, 4, 0, true },    /* ID_AA64PFR0_EL1 */
		{ C_TID1, 3, 0, 0, 0, 6, true },    /* REVIDR_EL1 */
		{ C_TID2, 3, 3, 0, 0, 1, true },    /* CTR_EL0 */
		{ C_TRVM, 3, 0, 10, 2, 0, true },   /* MAIR_EL1 */
		{ C_TVM, 3, 0, 10, 2, 0, false },   /* MAIR_EL1 */
		{ C_TSW, 1, 0, 7, 10, 2, false },   /* DC CSW */
		{ C_TPCP, 1, 3, 7, 10, 1, false },  /* DC CVAC */
		{ C_TPU, 1, 0, 7, 5, 0, false },    /* IC IALLU */
		{ C_TTLB, 1, 0, 8, 7, 0, false },   /* TLBI VMALLE1 */
		{ C_IMO, 3, 0, 12, 11, 5, false },  /* ICC_SGI1R_EL1 */
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(one_way); i++) {
		struct vel2_traps t = quiet();
		bool rd = one_way[i].traps_read;
		u64 yes = sys_esr(one_way[i].op0, one_way[i].op1, one_way[i].crn,
				  one_way[i].crm, one_way[i].op2, rd);
		u64 no = sys_esr(one_way[i].op0, one_way[i].op1, one_way[i].crn,
				 one_way[i].crm, one_way[i].op2, !rd);

		ctl_set(&t, one_way[i].ctl, true);
		expect(&t, yes, FWD_L1, ctls[one_way[i].ctl].name, "one-way");
		expect_l0(&t, no, "one-way, the other direction");
	}
	/* CSSELR_EL1 is TID2's read/write exception. */
	{
		struct vel2_traps t = quiet();

		ctl_set(&t, C_TID2, true);
		expect(&t, sys_esr(3, 2, 0, 0, 0, false), FWD_L1, "HCR_EL2.TID2",
		       "MSR CSSELR_EL1");
	}
}

/* --- Particular controls --- */

static void test_cnthctl_polarity(void **state)
{
	u64 cntpct = sys_esr(3, 3, 14, 0, 1, true);
	u64 cntp_ctl_w = sys_esr(3, 3, 14, 2, 1, false);
	u64 cntp_cval_r = sys_esr(3, 3, 14, 2, 2, true);
	struct vel2_traps t = quiet();

	(void)state;
	/* Both enables set: nothing traps. */
	expect_l0(&t, cntpct, "CNTPCT_EL0, EL1PCTEN set");
	expect_l0(&t, cntp_ctl_w, "CNTP_CTL_EL0, EL1PCEN set");
	/* EL1PCTEN (bit 0) clear traps the count only. */
	t.cnthctl = CNTHCTL_EL1PCEN_BIT;
	expect(&t, cntpct, FWD_L1, "CNTHCTL_EL2.EL1PCTEN", "CNTPCT_EL0");
	expect_l0(&t, cntp_ctl_w, "CNTP_CTL_EL0, EL1PCEN set");
	/* EL1PCEN (bit 1) clear traps the timer only. */
	t.cnthctl = CNTHCTL_EL1PCTEN_BIT;
	expect_l0(&t, cntpct, "CNTPCT_EL0, EL1PCTEN set");
	expect(&t, cntp_ctl_w, FWD_L1, "CNTHCTL_EL2.EL1PCEN", "CNTP_CTL_EL0");
	expect(&t, cntp_cval_r, FWD_L1, "CNTHCTL_EL2.EL1PCEN", "CNTP_CVAL_EL0");
	/*
	 * The E2H = 1 places of the same controls (EL1PCTEN bit 10, EL1PTEN
	 * bit 11) mean nothing to a non-VHE L1: with only those set, both
	 * still trap.
	 */
	t.cnthctl = ((u64)1 << 10) | ((u64)1 << 11);
	expect(&t, cntpct, FWD_L1, "CNTHCTL_EL2.EL1PCTEN", "CNTPCT_EL0, E2H=1 bits");
	expect(&t, cntp_ctl_w, FWD_L1, "CNTHCTL_EL2.EL1PCEN", "CNTP_CTL_EL0, E2H=1 bits");
	/* The virtual counter and timer are not EL1PC*'s business. */
	t.cnthctl = 0;
	expect_l0(&t, sys_esr(3, 3, 14, 0, 2, true), "CNTVCT_EL0, cnthctl 0");
	expect_l0(&t, sys_esr(3, 3, 14, 3, 1, false), "CNTV_CTL_EL0, cnthctl 0");
	/* Nor CNTFRQ_EL0 or CNTKCTL_EL1. */
	expect_l0(&t, sys_esr(3, 3, 14, 0, 0, true), "CNTFRQ_EL0, cnthctl 0");
	expect_l0(&t, sys_esr(3, 0, 14, 1, 0, false), "CNTKCTL_EL1, cnthctl 0");
}

static void test_sgi_imo_fmo(void **state)
{
	u64 sgi1r = sys_esr(3, 0, 12, 11, 5, false);
	u64 asgi1r = sys_esr(3, 0, 12, 11, 6, false);
	u64 sgi0r = sys_esr(3, 0, 12, 11, 7, false);
	struct vel2_traps t = quiet();

	(void)state;
	ctl_set(&t, C_IMO, true);
	expect(&t, sgi1r, FWD_L1, "HCR_EL2.IMO", "ICC_SGI1R_EL1, IMO");
	expect(&t, asgi1r, FWD_L1, "HCR_EL2.IMO", "ICC_ASGI1R_EL1, IMO");
	expect(&t, sgi0r, FWD_L1, "HCR_EL2.IMO", "ICC_SGI0R_EL1, IMO");
	t = quiet();
	ctl_set(&t, C_FMO, true);
	expect(&t, sgi1r, FWD_L1, "HCR_EL2.FMO", "ICC_SGI1R_EL1, FMO");
	expect(&t, sgi0r, FWD_L1, "HCR_EL2.FMO", "ICC_SGI0R_EL1, FMO");
	/* With IMO/FMO the rest of the CPU interface goes to ICV_*, untrapped. */
	t = loud();
	expect_l0(&t, sys_esr(3, 0, 12, 12, 0, true), "ICC_IAR1_EL1");
	expect_l0(&t, sys_esr(3, 0, 12, 12, 1, false), "ICC_EOIR1_EL1");
	expect_l0(&t, sys_esr(3, 0, 12, 11, 1, false), "ICC_DIR_EL1");
	expect_l0(&t, sys_esr(3, 0, 4, 6, 0, false), "ICC_PMR_EL1");
	expect_l0(&t, sys_esr(3, 0, 12, 12, 5, false), "ICC_SRE_EL1");
}

static void test_tde_forces_debug_traps(void **state)
{
	struct vel2_traps t = quiet();

	(void)state;
	/* TDE alone: TDA, TDOSA and TDRA all behave as 1. */
	ctl_set(&t, C_TDE, true);
	expect(&t, sys_esr(2, 0, 0, 2, 2, false), FWD_L1, "MDCR_EL2.TDE", "MDSCR_EL1");
	expect(&t, sys_esr(2, 0, 1, 0, 4, false), FWD_L1, "MDCR_EL2.TDE", "OSLAR_EL1");
	expect(&t, sys_esr(2, 0, 1, 0, 0, true), FWD_L1, "MDCR_EL2.TDE", "MDRAR_EL1");
	/* The finer control is named when it is set as well. */
	t.mdcr |= (u64)1 << 11; /* TDRA */
	expect(&t, sys_esr(2, 0, 1, 0, 0, true), FWD_L1, "MDCR_EL2.TDRA", "MDRAR_EL1");
	/* TDE is no PMU, timer or trace control. */
	t = quiet();
	ctl_set(&t, C_TDE, true);
	expect_l0(&t, sys_esr(3, 3, 9, 12, 0, true), "PMCR_EL0 under TDE");
	expect_l0(&t, sys_esr(2, 1, 0, 1, 0, true), "TRCPRGCTLR under TDE");
	expect_l0(&t, sys_esr(3, 0, 1, 0, 2, true), "CPACR_EL1 under TDE");
}

/* Encodings next to a row's that another control, or none, owns. */
static void test_neighbours_not_claimed(void **state)
{
	static const struct {
		const char *reg;
		unsigned op0, op1, crn, crm, op2;
	} neighbours[] = {
		/* Op2 4 beside the LOR registers is MPAMIDR_EL1 (MPAM's traps). */
		{ "MPAMIDR_EL1", 3, 0, 10, 4, 4 },
		{ "MPAM1_EL1", 3, 0, 10, 5, 0 },
		/* Op0 2, Op1 1, CRn 8 and 9 are BRBE's, not the trace unit's. */
		{ "BRBINF0_EL1", 2, 1, 8, 0, 0 },
		{ "BRBCR_EL1", 2, 1, 9, 0, 0 },
		{ "BRBFCR_EL1", 2, 1, 9, 0, 1 },
		/* TRFCR_EL1 and the trace buffer: MDCR_EL2.TTRF/E2TB, not TTA. */
		{ "TRFCR_EL1", 3, 0, 1, 2, 1 },
		{ "TRBLIMITR_EL1", 3, 0, 9, 11, 0 },
		/* SPE: MDCR_EL2.TPMS/E2PB, not TPM. */
		{ "PMSCR_EL1", 3, 0, 9, 9, 0 },
		{ "PMBLIMITR_EL1", 3, 0, 9, 10, 0 },
		/* MIDR/MPIDR come from VPIDR/VMPIDR, no ID trap. */
		{ "MIDR_EL1", 3, 0, 0, 0, 0 },
		{ "MPIDR_EL1", 3, 0, 0, 0, 5 },
		/* No TVM/TRVM: */
		{ "PAR_EL1", 3, 0, 7, 4, 0 },
		{ "VBAR_EL1", 3, 0, 12, 0, 0 },
		{ "TPIDR_EL1", 3, 0, 13, 0, 4 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(neighbours); i++) {
		struct vel2_traps t = loud();

		for (unsigned d = 0; d < 2; d++)
			expect_l0(&t, sys_esr(neighbours[i].op0, neighbours[i].op1,
					      neighbours[i].crn, neighbours[i].crm,
					      neighbours[i].op2, d == 1),
				  neighbours[i].reg);
	}
	/* Cache maintenance under the other cache controls. */
	{
		struct vel2_traps t = quiet();

		t.hcr |= ((u64)1 << 22) | ((u64)1 << 24); /* TSW, TPU */
		expect_l0(&t, sys_esr(1, 3, 7, 10, 1, false), "DC CVAC under TSW|TPU");
		expect_l0(&t, sys_esr(1, 3, 7, 4, 1, false), "DC ZVA under TSW|TPU");
		t = quiet();
		t.hcr |= (u64)1 << 23; /* TPCP */
		expect_l0(&t, sys_esr(1, 3, 7, 11, 1, false), "DC CVAU under TPCP");
		expect_l0(&t, sys_esr(1, 3, 7, 5, 1, false), "IC IVAU under TPCP");
		expect_l0(&t, sys_esr(1, 0, 7, 6, 2, false), "DC ISW under TPCP");
	}
}

/* Registers no control of these four covers. */
static void test_unrelated_never_forwarded(void **state)
{
	static const struct {
		const char *reg;
		unsigned op0, op1, crn, crm, op2;
	} unrelated[] = {
		{ "TPIDR_EL1", 3, 0, 13, 0, 4 },
		{ "SP_EL0", 3, 0, 4, 1, 0 },
		{ "CNTV_CTL_EL0", 3, 3, 14, 3, 1 },
		{ "TPIDR_EL0", 3, 3, 13, 0, 2 },
		{ "TPIDRRO_EL0", 3, 3, 13, 0, 3 },
		{ "ELR_EL1", 3, 0, 4, 0, 1 },
		{ "SPSR_EL1", 3, 0, 4, 0, 0 },
		{ "VBAR_EL1", 3, 0, 12, 0, 0 },
		{ "CNTKCTL_EL1", 3, 0, 14, 1, 0 },
		{ "CNTFRQ_EL0", 3, 3, 14, 0, 0 },
		{ "NZCV", 3, 3, 4, 2, 0 },
		{ "FPCR", 3, 3, 4, 4, 0 },
		{ "DAIF", 3, 3, 4, 2, 1 },
		{ "CURRENTEL", 3, 0, 4, 2, 2 },
		{ "MIDR_EL1", 3, 0, 0, 0, 0 },
	};
	/* Every control on, but EL1TVT/EL1TVCT (CNTV_*'s own): then those
	 * too, with the EL1PC* enables clear instead. */
	struct vel2_traps cfg[2] = { loud(), loud() };

	(void)state;
	cfg[0].cnthctl &= ~(CNTHCTL_EL1TVT_BIT | CNTHCTL_EL1TVCT_BIT);
	cfg[1].cnthctl = 0;
	for (unsigned c = 0; c < 2; c++)
		for (unsigned i = 0; i < ARRAY_SIZE(unrelated); i++)
			for (unsigned d = 0; d < 2; d++)
				for (unsigned rt = 0; rt < 32; rt += 30)
					expect_l0(&cfg[c],
						  sys_esr_rt(unrelated[i].op0,
							     unrelated[i].op1,
							     unrelated[i].crn,
							     unrelated[i].crm,
							     unrelated[i].op2,
							     d == 1, rt),
						  unrelated[i].reg);
}

/* --- Exception classes --- */

static void test_wfx(void **state)
{
	/* ISS.TI [1:0]: 0 WFI, 1 WFE, 2 WFIT, 3 WFET; CV [24], COND [23:20],
	 * RV [2] set as well, to show only TI decides. */
	static const u32 extra = ((u32)1 << 24) | ((u32)0xe << 20) | ((u32)1 << 2);
	struct vel2_traps t = quiet();

	(void)state;
	for (u32 ti = 0; ti < 4; ti++)
		expect_l0(&t, ec_esr(X_WFX, ti | extra), "WFx, no TWI/TWE");
	t.hcr |= (u64)1 << 13; /* TWI */
	expect(&t, ec_esr(X_WFX, 0 | extra), FWD_L1, "HCR_EL2.TWI", "WFI");
	expect(&t, ec_esr(X_WFX, 2 | extra), FWD_L1, "HCR_EL2.TWI", "WFIT");
	expect_l0(&t, ec_esr(X_WFX, 1 | extra), "WFE under TWI");
	expect_l0(&t, ec_esr(X_WFX, 3 | extra), "WFET under TWI");
	t = quiet();
	t.hcr |= (u64)1 << 14; /* TWE */
	expect(&t, ec_esr(X_WFX, 1), FWD_L1, "HCR_EL2.TWE", "WFE");
	expect(&t, ec_esr(X_WFX, 3), FWD_L1, "HCR_EL2.TWE", "WFET");
	expect_l0(&t, ec_esr(X_WFX, 0), "WFI under TWE");
	expect_l0(&t, ec_esr(X_WFX, 2), "WFIT under TWE");
	/* Everything else on, TWI and TWE off. */
	t = loud();
	t.hcr &= ~(((u64)1 << 13) | ((u64)1 << 14));
	for (u32 ti = 0; ti < 4; ti++)
		expect_l0(&t, ec_esr(X_WFX, ti), "WFx, all but TWI/TWE");
}

static void test_fp_sve_sme(void **state)
{
	static const struct {
		unsigned ec;
		u64 bit;
		const char *name;
	} cls[] = {
		{ X_FP, (u64)1 << 10, "CPTR_EL2.TFP" },
		{ X_SVE, (u64)1 << 8, "CPTR_EL2.TZ" },
		{ X_SME, (u64)1 << 12, "CPTR_EL2.TSM" },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cls); i++) {
		struct vel2_traps t = quiet();
		u64 esr = ec_esr(cls[i].ec, i == 2 ? 1 : 0); /* SME: SMTC 1 */

		expect_l0(&t, esr, cls[i].name);
		t.cptr = cls[i].bit;
		expect(&t, esr, FWD_L1, cls[i].name, cls[i].name);
		/* Every other CPTR_EL2 bit, and everything else, on. */
		t = loud();
		t.cptr = ~cls[i].bit;
		expect_l0(&t, esr, cls[i].name);
	}
}

static void test_hvc(void **state)
{
	struct vel2_traps t = quiet();
	static const u32 imm[] = { 0, 1, 0x4242, 0xffff };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(imm); i++) {
		t = quiet();
		expect(&t, ec_esr(X_HVC64, imm[i]), FWD_L1, "HVC", "HVC, no HCD");
		t = loud();
		t.hcr &= ~((u64)1 << 29);
		expect(&t, ec_esr(X_HVC64, imm[i]), FWD_L1, "HVC", "HVC, all but HCD");
		/* HCD: HVC is UNDEFINED at L2's level. */
		t = quiet();
		t.hcr |= (u64)1 << 29;
		expect(&t, ec_esr(X_HVC64, imm[i]), FWD_UNDEF_L2, "HCR_EL2.HCD",
		       "HVC with HCD");
		t = loud();
		expect(&t, ec_esr(X_HVC64, imm[i]), FWD_UNDEF_L2, "HCR_EL2.HCD",
		       "HVC, everything on");
	}
}

static void test_smc(void **state)
{
	struct vel2_traps t = quiet();

	(void)state;
	expect_l0(&t, ec_esr(X_SMC64, 0), "SMC, no TSC");
	t.hcr |= (u64)1 << 19;
	expect(&t, ec_esr(X_SMC64, 0), FWD_L1, "HCR_EL2.TSC", "SMC with TSC");
	expect(&t, ec_esr(X_SMC64, 0xffff), FWD_L1, "HCR_EL2.TSC", "SMC #0xffff with TSC");
	t = loud();
	t.hcr &= ~((u64)1 << 19);
	expect_l0(&t, ec_esr(X_SMC64, 0), "SMC, all but TSC");
}

static void test_aborts(void **state)
{
	/* A translation fault, level 3, write; a permission fault, level 2. */
	static const u32 iss[] = { (1u << 6) | 0x07, 0x0e, (1u << 7) | 0x05 };
	struct vel2_traps t = quiet();

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(iss); i++) {
		t = quiet();
		expect_l0(&t, ec_esr(X_DABT_LOW, iss[i]), "data abort, no VM");
		expect_l0(&t, ec_esr(X_IABT_LOW, iss[i]), "instruction abort, no VM");
		t = loud();
		t.hcr &= ~(u64)1;
		expect_l0(&t, ec_esr(X_DABT_LOW, iss[i]), "data abort, all but VM");
		expect_l0(&t, ec_esr(X_IABT_LOW, iss[i]), "instruction abort, all but VM");
		t = quiet();
		t.hcr |= 1; /* VM */
		expect(&t, ec_esr(X_DABT_LOW, iss[i]), FWD_S2_WALK, "HCR_EL2.VM",
		       "data abort with VM");
		expect(&t, ec_esr(X_IABT_LOW, iss[i]), FWD_S2_WALK, "HCR_EL2.VM",
		       "instruction abort with VM");
		/* Taken from EL2 itself: nestvisor's own. */
		expect_l0(&t, ec_esr(X_DABT_CUR, iss[i]), "data abort, same EL");
		expect_l0(&t, ec_esr(X_IABT_CUR, iss[i]), "instruction abort, same EL");
	}
}

static void test_debug_exceptions(void **state)
{
	static const unsigned lower[] = { X_BREAKPT_LOW, X_SOFTSTP_LOW,
					  X_WATCHPT_LOW, X_BRK64 };
	static const unsigned same[] = { X_BREAKPT_CUR, X_SOFTSTP_CUR,
					 X_WATCHPT_CUR };

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(lower); i++) {
		u64 esr = ec_esr(lower[i], lower[i] == X_BRK64 ? 0x800 : 0x22);
		struct vel2_traps t = quiet();

		expect_l0(&t, esr, "debug exception, no TDE/TGE");
		t.mdcr |= (u64)1 << 8;
		expect(&t, esr, FWD_L1, "MDCR_EL2.TDE", "debug exception, TDE");
		t = quiet();
		t.hcr |= HCR_TGE_BIT;
		expect(&t, esr, FWD_L1, "MDCR_EL2.TDE", "debug exception, TGE");
		/* TDA and every other control: not debug exception routing. */
		t = loud();
		t.mdcr &= ~((u64)1 << 8);
		expect_l0(&t, esr, "debug exception, all but TDE/TGE");
	}
	for (unsigned i = 0; i < ARRAY_SIZE(same); i++) {
		struct vel2_traps t = quiet();

		t.mdcr |= (u64)1 << 8;
		t.hcr |= HCR_TGE_BIT;
		expect_l0(&t, ec_esr(same[i], 0x22), "debug exception at EL2");
	}
}

static void test_pauth(void **state)
{
	u64 key = sys_esr(3, 0, 2, 1, 0, false); /* MSR APIAKEYLO_EL1 */
	u64 pac = ec_esr(X_PAC, 0);
	struct vel2_traps t = quiet();

	(void)state;
	/* APK and API set: keys and instructions are L2's own. */
	expect_l0(&t, key, "APIAKEYLO_EL1, APK set");
	expect_l0(&t, pac, "PAC instruction, API set");
	/* APK clear: the key registers go to L1. */
	t.hcr = HCR_API_BIT;
	expect(&t, key, FWD_L1, "HCR_EL2.APK", "APIAKEYLO_EL1, APK clear");
	expect(&t, sys_esr(3, 0, 2, 3, 1, true), FWD_L1, "HCR_EL2.APK",
	       "APGAKEYHI_EL1, APK clear");
	expect_l0(&t, pac, "PAC instruction, API set");
	/* API clear: the PAuth instructions (EC 0x09) go to L1. */
	t.hcr = HCR_APK_BIT;
	expect(&t, pac, FWD_L1, "HCR_EL2.API", "PAC instruction, API clear");
	expect_l0(&t, key, "APIAKEYLO_EL1, APK set");
	/* Neighbours of the keys: TTBR/TCR (CRm 0), not APK's. */
	t.hcr = 0;
	expect_l0(&t, sys_esr(3, 0, 2, 0, 0, false), "TTBR0_EL1, APK clear");
	expect_l0(&t, sys_esr(3, 0, 2, 0, 2, true), "TCR_EL1, APK clear");
}

static void test_other_classes_stay(void **state)
{
	static const unsigned ecs[] = { X_UNKNOWN, X_BTI, X_ILL, X_SVC64,
					X_ERET, X_FPAC, X_PC_ALIGN, X_SP_ALIGN,
					X_FP64, X_SERROR, 0x3f };
	struct vel2_traps t = loud();

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(ecs); i++) {
		expect_l0(&t, ec_esr(ecs[i], 0), "unrelated class");
		expect_l0(&t, ec_esr(ecs[i], 0x1ffffff), "unrelated class, ISS all ones");
	}
}

/* --- Whole-space sweeps --- */

/*
 * No control asks for anything (HCR_EL2, CPTR_EL2 and MDCR_EL2 zero but
 * APK and API, CNTHCTL_EL2 enables set): only HVC goes to L1, over every
 * system register encoding in both directions and every class.
 */
static void test_quiet_forwards_only_hvc(void **state)
{
	struct vel2_traps t = quiet();

	(void)state;
	/* Every Op0/Op1/CRn/CRm/Op2 and direction, with Rt 0 and 31. */
	for (u32 iss = 0; iss < (1u << 22); iss++) {
		unsigned rt = (iss >> 5) & 31;

		if (rt != 0 && rt != 31)
			continue;
		if (trap_forward(&t, ec_esr(X_SYS64, iss)) != FWD_L0 ||
		    trap_forward_reason(&t, ec_esr(X_SYS64, iss))[0] != '\0')
			fail_msg("EC 0x18 ISS %#x forwarded", iss);
	}
	for (unsigned ec = 0; ec < 64; ec++) {
		for (u32 iss = 0; iss < 4; iss++) {
			u64 esr = ec_esr(ec, iss == 3 ? 0x1ffffff : iss);

			if (ec == X_HVC64)
				expect(&t, esr, FWD_L1, "HVC", "HVC");
			else
				expect_l0(&t, esr, "quiet");
		}
	}
}

/* Is this sysreg access one a literally all-zero trap set forwards? */
static const char *zero_claims(unsigned op0, unsigned op1, unsigned crn,
			       unsigned crm, unsigned op2, bool read)
{
	/* APK clear: the key registers (op0 3, op1 0, CRn 2, CRm 1..3). */
	if (op0 == 3 && op1 == 0 && crn == 2 && crm >= 1 && crm <= 3)
		return "HCR_EL2.APK";
	/* EL1PCTEN clear: CNTPCT_EL0, CNTPCTSS_EL0 reads. */
	if (op0 == 3 && op1 == 3 && crn == 14 && crm == 0 && read &&
	    (op2 == 1 || op2 == 5))
		return "CNTHCTL_EL2.EL1PCTEN";
	/* EL1PCEN clear: CNTP_* (CRm 2). */
	if (op0 == 3 && op1 == 3 && crn == 14 && crm == 2)
		return "CNTHCTL_EL2.EL1PCEN";
	return NULL;
}

/*
 * A literally all-zero struct: the inverted controls are then on. It
 * forwards HVC, the PAuth keys and instructions, and the physical counter
 * and timer; nothing else.
 */
static void test_zero_struct(void **state)
{
	const struct vel2_traps t = { 0 };
	unsigned fwd = 0;

	(void)state;
	for (u32 iss = 0; iss < (1u << 22); iss++) {
		unsigned op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7;
		unsigned op1 = (iss >> 14) & 7, crn = (iss >> 10) & 15;
		unsigned crm = (iss >> 1) & 15;
		bool read = iss & 1;
		const char *want;
		u64 esr;

		if ((iss >> 5) & 31) /* Rt: 0 only, for time */
			continue;
		want = zero_claims(op0, op1, crn, crm, op2, read);
		esr = ec_esr(X_SYS64, iss);
		if (want) {
			expect(&t, esr, FWD_L1, want, "all-zero traps");
			fwd++;
		} else if (trap_forward(&t, esr) != FWD_L0) {
			fail_msg("all-zero traps: op0 %u op1 %u CRn %u CRm %u op2 %u %s forwarded",
				 op0, op1, crn, crm, op2, read ? "read" : "write");
		}
	}
	/* 3 CRm x 8 op2 x 2 + 2 + 8 x 2. */
	assert_int_equal(fwd, 48 + 2 + 16);
	for (unsigned ec = 0; ec < 64; ec++) {
		u64 esr = ec_esr(ec, 0);

		if (ec == X_SYS64)
			continue;
		if (ec == X_HVC64)
			expect(&t, esr, FWD_L1, "HVC", "HVC, all-zero");
		else if (ec == X_PAC)
			expect(&t, esr, FWD_L1, "HCR_EL2.API", "PAC, all-zero");
		else
			expect_l0(&t, esr, "all-zero traps");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esr_literals),
		cmocka_unit_test(test_rows_forward_when_set),
		cmocka_unit_test(test_rows_stay_when_clear),
		cmocka_unit_test(test_rows_one_way),
		cmocka_unit_test(test_read_only_and_write_only_controls),
		cmocka_unit_test(test_cnthctl_polarity),
		cmocka_unit_test(test_sgi_imo_fmo),
		cmocka_unit_test(test_tde_forces_debug_traps),
		cmocka_unit_test(test_neighbours_not_claimed),
		cmocka_unit_test(test_unrelated_never_forwarded),
		cmocka_unit_test(test_wfx),
		cmocka_unit_test(test_fp_sve_sme),
		cmocka_unit_test(test_hvc),
		cmocka_unit_test(test_smc),
		cmocka_unit_test(test_aborts),
		cmocka_unit_test(test_debug_exceptions),
		cmocka_unit_test(test_pauth),
		cmocka_unit_test(test_other_classes_stay),
		cmocka_unit_test(test_quiet_forwards_only_hvc),
		cmocka_unit_test(test_zero_struct),
	};

	return cmocka_run_group_tests_name("trap_forward", tests, NULL, NULL);
}
