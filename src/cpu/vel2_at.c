/* AT instructions of a guest hypervisor at virtual EL2, by software walks. */
#include <string.h>
#include <nv/arm_regs.h>
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/s1_walk.h>
#include <nv/vel2_at.h>
#include <nv/vmsa.h>

/* HCR_EL2 controls of the walks (Arm ARM D19.2, HCR_EL2). */
#define AT_HCR_PTW BIT(2)
#define AT_HCR_DC BIT(12)
#define AT_HCR_CD BIT(32)

/* PAR_EL1, 64-bit format (Arm ARM D19.2, PAR_EL1). */
#define PAR_F BIT(0)
#define PAR_FST GENMASK(6, 1)
#define PAR_SH GENMASK(8, 7)
#define PAR_PTW BIT(8)
#define PAR_NS BIT(9)
#define PAR_S BIT(9)
#define PAR_RES1 BIT(11)
#define PAR_PA GENMASK(47, 12)
#define PAR_ATTR GENMASK(63, 56)

#define SCTLR_M BIT(0)

bool vel2_at_decode(u32 enc, enum vel2_at_op *op)
{
	static const struct {
		u32 enc;
		enum vel2_at_op op;
	} ops[] = {
		{ SYSREG_ENC(1, 0, 7, 8, 0), VEL2_AT_S1E1R },
		{ SYSREG_ENC(1, 0, 7, 8, 1), VEL2_AT_S1E1W },
		{ SYSREG_ENC(1, 0, 7, 8, 2), VEL2_AT_S1E0R },
		{ SYSREG_ENC(1, 0, 7, 8, 3), VEL2_AT_S1E0W },
		{ SYSREG_ENC(1, 4, 7, 8, 0), VEL2_AT_S1E2R },
		{ SYSREG_ENC(1, 4, 7, 8, 1), VEL2_AT_S1E2W },
		{ SYSREG_ENC(1, 4, 7, 8, 4), VEL2_AT_S12E1R },
		{ SYSREG_ENC(1, 4, 7, 8, 5), VEL2_AT_S12E1W },
		{ SYSREG_ENC(1, 4, 7, 8, 6), VEL2_AT_S12E0R },
		{ SYSREG_ENC(1, 4, 7, 8, 7), VEL2_AT_S12E0W },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(ops); i++) {
		if (ops[i].enc == enc) {
			*op = ops[i].op;
			return true;
		}
	}
	return false;
}

/* L1's stage 2, for the table walk and the final address. */
struct at_s2 {
	struct s2_walk_cfg cfg;
	u64 hcr;
	s2_read_fn rd;
	void *ctx;
};

/* A stage-2 walk's fault as the fault kinds both stages share (Arm ARM D8.4). */
static enum s1_fault fault_of_s2(enum s2_fault f)
{
	switch (f) {
	case S2_FAULT_ADDRESS_SIZE:
		return S1_FAULT_ADDRESS_SIZE;
	case S2_FAULT_ACCESS_FLAG:
		return S1_FAULT_ACCESS_FLAG;
	case S2_FAULT_EXTERNAL:
		return S1_FAULT_EXTERNAL;
	default:
		return S1_FAULT_TRANSLATION;
	}
}

/*
 * One stage-2 translation (pseudocode AArch64.S2Translate,
 * AArch64.S2CheckPermission): the walk, then S2AP.R for a read (a table
 * walk is one), S2AP.W for a write; with HCR_EL2.PTW a table walk into
 * stage-2 Device memory is a Permission fault (Arm ARM, HCR_EL2.PTW).
 */
static bool at_s2_translate(const struct at_s2 *s, u64 ipa, bool write,
			    bool walk, struct s2_walk_result *w,
			    struct s1_ptw_fault *f)
{
	unsigned memattr;

	s2_walk(&s->cfg, ipa, s->rd, s->ctx, w);
	if (w->fault != S2_OK) {
		f->fault = fault_of_s2(w->fault);
		f->level = w->level;
		return false;
	}
	memattr = (unsigned)field_get(PTE_S2_MEMATTR_MASK, w->desc);
	if (!(w->desc & (write ? PTE_S2_S2AP_W : PTE_S2_S2AP_R)) ||
	    (walk && (s->hcr & AT_HCR_PTW) && !(memattr >> 2))) {
		f->fault = S1_FAULT_PERMISSION;
		f->level = w->level;
		return false;
	}
	return true;
}

/* The stage-1 walk's ptw: a table address of L2's stage 1 through L1's stage 2. */
static bool at_ptw(void *ctx, u64 table, u64 *pa, struct s1_ptw_fault *f)
{
	struct s2_walk_result w;

	if (!at_s2_translate(ctx, table, false, true, &w, f))
		return false;
	*pa = w.oa;
	return true;
}

/* A descriptor at the L1 IPA stage 2 gave (pseudocode AArch64.S1Walk's fetch). */
static bool at_read(void *ctx, u64 pa, u64 *val)
{
	const struct at_s2 *s = ctx;

	return s->rd(s->ctx, pa, val);
}

/* A Normal half of stage 2's MemAttr as MAIR's: NC 0b0100, else with RW allocation. */
static unsigned s2_half(unsigned a)
{
	return a << 2 | (a != 1 ? 3u : 0u);
}

/*
 * Stage-2 MemAttr[3:0] (FEAT_S2FWB off) as a MAIR attribute (pseudocode
 * S2AttrDecode, S2ConvertAttrsHints): Device 0b00dd is 0b0000dd00; each
 * Normal half Non-cacheable 0b0100, Write-Through or Write-Back with
 * read and write allocation; HCR_EL2.CD makes Normal Non-cacheable.
 */
static u8 s2_mair_attr(unsigned memattr, u64 hcr)
{
	unsigned hi = memattr >> 2, lo = memattr & 3;

	if (!hi)
		return (u8)(lo << 2);
	if (hcr & AT_HCR_CD)
		return 0x44;
	return (u8)(s2_half(hi) << 4 | s2_half(lo));
}

/*
 * One half (inner or outer) of two Normal attributes (pseudocode
 * CombineS1S2AttrHints): Non-cacheable wins, then stage 1's
 * Write-Through, then stage 2's Write-Through with stage 1's allocation
 * hints; otherwise stage 1's Write-Back.
 */
static unsigned combine_half(unsigned s1, unsigned s2)
{
	if (s1 == 4 || s2 == 4)
		return 4;
	if ((s1 >> 2) == 0 || (s1 >> 2) == 2)
		return s1;
	if ((s2 >> 2) == 2)
		return 8 | (s1 & 3);
	return s1;
}

/*
 * Stage 1's and stage 2's attributes combined (pseudocode
 * AArch64.CombineS1S2Desc, FEAT_S2FWB off): Device wins over Normal, the
 * stronger Device (nGnRnE, nGnRE, nGRE, GRE) over the weaker.
 */
static u8 combine_attr(u8 s1, u8 s2)
{
	unsigned s1lo = s1 & 0xf, s2lo = s2 & 0xf;

	if (!(s1 >> 4) || !(s2 >> 4)) {
		if (!s1lo || !s2lo)
			return 0x00;
		if (s1lo == 4 || s2lo == 4)
			return 0x04;
		if (s1lo == 8 || s2lo == 8)
			return 0x08;
		return 0x0c;
	}
	return (u8)(combine_half(s1 >> 4, s2 >> 4) << 4 | combine_half(s1lo, s2lo));
}

/*
 * PAR_EL1.SH (pseudocode PAREncodeShareability): 0b10 for any Device
 * memory and for Normal Inner and Outer Non-cacheable, else the
 * translation's.
 */
static unsigned par_sh(u8 attr, unsigned sh)
{
	if (!(attr >> 4) || attr == 0x44 || attr == 0x40)
		return SH_OUTER;
	return sh;
}

/* The long-descriptor fault status code (pseudocode EncodeLDFSC). */
static unsigned fsc_of(enum s1_fault f, unsigned level)
{
	switch (f) {
	case S1_FAULT_ADDRESS_SIZE:
		return FSC_ADDR_SIZE_L(level);
	case S1_FAULT_ACCESS_FLAG:
		return FSC_ACCESS_L(level);
	case S1_FAULT_PERMISSION:
		return FSC_PERM_L(level);
	case S1_FAULT_EXTERNAL:
		return FSC_SEA_WALK_L(level);
	default:
		return FSC_TRANS_L(level);
	}
}

/*
 * A faulted AT (PAR_EL1, F = 1): FST, S for a stage-2 fault, PTW for
 * one on stage 1's table walk. An External abort on the walk is a Data
 * Abort taken from vEL2 to vEL2 instead (vel2_at_abort).
 */
static u64 at_fault(u64 va, enum s1_fault f, unsigned level, bool s2, bool ptw,
		    struct vel2_at_abort *abort)
{
	unsigned fsc = fsc_of(f, level & 3);

	if (f == S1_FAULT_EXTERNAL && abort) {
		abort->taken = true;
		abort->esr = field_prep(ESR_EC_MASK, EC_DABT_CUR) | ESR_IL |
			     DABT_CM | (ptw ? DABT_S1PTW : 0) | DABT_WNR | fsc;
		abort->far = va;
	}
	return PAR_RES1 | PAR_F | field_prep(PAR_FST, fsc) | (s2 ? PAR_S : 0) |
	       (ptw ? PAR_PTW : 0);
}

/* A successful AT (PAR_EL1, F = 0): PA, NS, SH, ATTR. */
static u64 at_ok(u64 oa, u8 attr, unsigned sh)
{
	return PAR_RES1 | (oa & PAR_PA) | PAR_NS |
	       field_prep(PAR_SH, par_sh(attr, sh)) | field_prep(PAR_ATTR, attr);
}

/* The stage-1 walk's view of one regime's registers. */
static void regs_of(const struct vel2_at_regime *g, enum s1_regime regime,
		    unsigned pa_bits, struct s1_walk_regs *w)
{
	memset(w, 0, sizeof(*w));
	w->regime = regime;
	w->sctlr = g->sctlr;
	w->tcr = g->tcr;
	w->ttbr0 = g->ttbr0;
	w->ttbr1 = g->ttbr1;
	w->mair = g->mair;
	w->pa_bits = pa_bits;
}

/*
 * AT from vEL2 (pseudocode AArch64.AT and the AT S1E2R ... AT S12E0W
 * instruction descriptions): the regime and stages of each form, as
 * QEMU's ats_write64 chooses them too.
 */
u64 vel2_at(enum vel2_at_op op, u64 va, const struct vel2_at_regs *regs,
	    s2_read_fn rd, void *ctx, struct vel2_at_abort *abort)
{
	u64 hcr = regs->hcr;
	bool e2h = hcr & HCR_E2H, host = e2h && (hcr & HCR_TGE);
	bool write = op == VEL2_AT_S1E2W || op == VEL2_AT_S1E1W ||
		     op == VEL2_AT_S1E0W || op == VEL2_AT_S12E1W ||
		     op == VEL2_AT_S12E0W;
	bool el0 = op == VEL2_AT_S1E0R || op == VEL2_AT_S1E0W ||
		   op == VEL2_AT_S12E0R || op == VEL2_AT_S12E0W;
	bool s12 = op >= VEL2_AT_S12E1R;
	/* HCR_EL2.DC makes stage 2 act as enabled (Arm ARM, HCR_EL2.DC). */
	bool s2_on = !host && (hcr & (HCR_VM | AT_HCR_DC));
	struct s1_walk_regs w;
	struct s1_walk_mem mem = { rd, NULL, ctx };
	struct s1_walk_result r;
	struct at_s2 s2;
	char err[80];

	if (abort)
		memset(abort, 0, sizeof(*abort));
	if (op == VEL2_AT_S1E2R || op == VEL2_AT_S1E2W) {
		/* L1's own regime: EL2&0 with E2H, else EL2; no stage 2. */
		regs_of(&regs->el2, e2h ? S1_REGIME_EL20 : S1_REGIME_EL2,
			regs->pa_bits, &w);
		el0 = false;
		s2_on = false;
	} else if (host) {
		/* {E2H,TGE} = {1,1}: the EL1 forms act on the EL2&0 regime. */
		regs_of(&regs->el2, S1_REGIME_EL20, regs->pa_bits, &w);
	} else {
		regs_of(&regs->el1, S1_REGIME_EL10, regs->pa_bits, &w);
		w.dc = hcr & AT_HCR_DC;
		/* TGE without E2H: the EL1&0 stage 1 acts as off for S12 (HCR_EL2.TGE). */
		if (s12 && (hcr & HCR_TGE))
			w.sctlr &= ~SCTLR_M;
	}
	if (s2_on) {
		memset(&s2, 0, sizeof(s2));
		/* A VTCR_EL2 the walk refuses faults every access at level 0. */
		s2_walk_cfg(regs->vtcr, regs->vttbr, regs->pa_bits, &s2.cfg, err,
			    sizeof(err));
		s2.hcr = hcr;
		s2.rd = rd;
		s2.ctx = ctx;
		mem.read = at_read;
		mem.ptw = at_ptw;
		mem.ctx = &s2;
	}
	s1_walk(&w, va, write ? S1_ACCESS_WRITE : S1_ACCESS_READ, el0, &mem, &r);
	if (r.fault != S1_OK)
		return at_fault(va, r.fault, r.level, r.s2_ptw, r.s2_ptw, abort);
	if (s12 && s2_on) {
		struct s2_walk_result sw;
		struct s1_ptw_fault f;
		u8 attr;
		unsigned memattr, sh;

		if (!at_s2_translate(&s2, r.oa, write, false, &sw, &f))
			return at_fault(va, f.fault, f.level, true, false, abort);
		/* With HCR_EL2.DC stage 1 is off: Normal Write-Back, Non-shareable. */
		memattr = (unsigned)field_get(PTE_S2_MEMATTR_MASK, sw.desc);
		attr = combine_attr(r.attr, s2_mair_attr(memattr, hcr));
		sh = vmsa_merge_sh(r.sh, (unsigned)field_get(PTE_SH_MASK, sw.desc));
		return at_ok(sw.oa, attr, sh);
	}
	return at_ok(r.oa, r.attr, r.sh);
}
