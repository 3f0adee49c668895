/* Software stage-1 walks of AArch64 tables (Arm ARM D8.2-D8.5). */
#include <string.h>
#include <nv/bits.h>
#include <nv/cpufeature.h>
#include <nv/s1_walk.h>
#include <nv/vmsa.h>

/* SCTLR_ELx */
#define SCTLR_M BIT(0)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

/* TCR_EL1, and TCR_EL2 with HCR_EL2.E2H = 1 (Arm ARM D19.2, TCR_EL1). */
#define TCR_T0SZ GENMASK(5, 0)
#define TCR_EPD0 BIT(7)
#define TCR_TG0 GENMASK(15, 14)
#define TCR_T1SZ GENMASK(21, 16)
#define TCR_EPD1 BIT(23)
#define TCR_TG1 GENMASK(31, 30)
#define TCR_IPS GENMASK(34, 32)
#define TCR_TBI0 BIT(37)
#define TCR_TBI1 BIT(38)
#define TCR_HPD0 BIT(41)
#define TCR_HPD1 BIT(42)
#define TCR_TBID0 BIT(51)
#define TCR_TBID1 BIT(52)

/* TCR_EL2 with HCR_EL2.E2H = 0 (Arm ARM D19.2, TCR_EL2). */
#define TCR2_PS GENMASK(18, 16)
#define TCR2_TBI BIT(20)
#define TCR2_HPD BIT(24)
#define TCR2_TBID BIT(29)

/* Stage-1 descriptor fields (Arm ARM D8.3). */
#define D_ATTRINDX GENMASK(4, 2)
#define D_AP1 BIT(6) /* EL0 access */
#define D_AP2 BIT(7) /* read-only */
#define D_PXN BIT(53)
#define D_UXN BIT(54) /* XN in a single-range regime */
#define T_PXN BIT(59) /* PXNTable */
#define T_UXN BIT(60) /* UXNTable, XNTable in a single-range regime */
#define T_AP0 BIT(61) /* APTable[0]: no EL0 access below */
#define T_AP1 BIT(62) /* APTable[1]: read-only below */

#define TXSZ_MIN 16u /* without FEAT_LVA */
#define TXSZ_MAX 39u /* without FEAT_TTST */

/* The translation controls for one VA (pseudocode AArch64.GetS1TTWParams). */
struct s1_params {
	bool two_ranges;
	unsigned select;  /* 1: TTBR1 */
	unsigned txsz;
	unsigned shift;   /* granule */
	unsigned ps;      /* IPS or PS */
	bool tbi, epd, hpd;
	u64 ttbr;
};

/* Where one range's controls sit in its TCR (Arm ARM D19.2, TCR_EL1, TCR_EL2). */
struct s1_range_fields {
	u64 txsz, tg, tbi, tbid, epd, hpd;
	bool tg1; /* TG1's encoding */
};

static const struct s1_range_fields el1_ranges[2] = {
	{ TCR_T0SZ, TCR_TG0, TCR_TBI0, TCR_TBID0, TCR_EPD0, TCR_HPD0, false },
	{ TCR_T1SZ, TCR_TG1, TCR_TBI1, TCR_TBID1, TCR_EPD1, TCR_HPD1, true },
};

/* TCR_EL2 with E2H = 0: one range, no EPD. */
static const struct s1_range_fields el2_range = {
	TCR_T0SZ, TCR_TG0, TCR2_TBI, TCR2_TBID, 0, TCR2_HPD, false,
};

static void s1_params_of(const struct s1_walk_regs *regs, u64 va,
			 enum s1_access acc, struct s1_params *p)
{
	const struct s1_range_fields *f;
	u64 tcr = regs->tcr;
	unsigned tg;

	memset(p, 0, sizeof(*p));
	if (regs->regime == S1_REGIME_EL2) {
		f = &el2_range;
		p->ps = (unsigned)field_get(TCR2_PS, tcr);
	} else {
		p->two_ranges = true;
		p->select = (unsigned)(va >> 55) & 1;
		p->ps = (unsigned)field_get(TCR_IPS, tcr);
		f = &el1_ranges[p->select];
	}
	p->ttbr = p->select ? regs->ttbr1 : regs->ttbr0;
	p->txsz = (unsigned)field_get(f->txsz, tcr);
	tg = (unsigned)field_get(f->tg, tcr);
	p->shift = f->tg1 ? vmsa_tg1_shift(tg) : vmsa_tg0_shift(tg);
	/* TBIDx: the top byte is ignored for data accesses only. */
	p->tbi = (tcr & f->tbi) && !(acc == S1_ACCESS_EXEC && (tcr & f->tbid));
	p->epd = tcr & f->epd;
	p->hpd = tcr & f->hpd;
	/* A reserved TGx behaves as 4 KiB, the granule every CPU has (QEMU's choice). */
	if (!p->shift)
		p->shift = 12;
}

/* A fault and its level (pseudocode FaultRecord: statuscode, level). */
static void set_fault(struct s1_walk_result *r, enum s1_fault f, unsigned level)
{
	r->fault = f;
	r->level = level;
}

/*
 * The MMU off (pseudocode AArch64.S1DisabledOutput and
 * AArch64.S1DisabledOutputAttrs): the output is the input, which must fit
 * PAMax above the top byte TBI leaves out, else a level 0 Address size
 * fault. Data accesses are Device-nGnRnE, or Normal Write-Back
 * Non-shareable with HCR_EL2.DC; instruction fetches Normal Outer
 * Shareable, Write-Through with SCTLR_ELx.I, else Non-cacheable. No
 * permission faults.
 */
static void s1_disabled(const struct s1_walk_regs *regs, u64 va,
			enum s1_access acc, struct s1_walk_result *r)
{
	struct s1_params p;
	unsigned top, pa_bits = MIN(regs->pa_bits, 48u);
	bool dc = regs->dc && regs->regime == S1_REGIME_EL10;

	s1_params_of(regs, va, acc, &p);
	top = p.tbi ? 55 : 63;
	r->mmu_off = true;
	if (va & GENMASK(top, pa_bits)) {
		set_fault(r, S1_FAULT_ADDRESS_SIZE, 0);
		return;
	}
	r->oa = va & GENMASK(pa_bits - 1, 0);
	r->block_size = SZ_4K;
	r->perm = S1_PERM_R | S1_PERM_W | S1_PERM_X;
	if (acc == S1_ACCESS_EXEC && !dc) {
		r->attr = regs->sctlr & SCTLR_I ? 0xee : 0x44;
		r->sh = SH_OUTER;
	} else {
		r->attr = dc ? 0xff : 0x00;
		r->sh = SH_NON;
	}
	r->fault = S1_OK;
}

/*
 * The permissions of a leaf, with the table controls gathered on the way
 * (pseudocode AArch64.S1ApplyTablePerms, AArch64.S1ComputePermissions;
 * Arm ARM D8.4.1-D8.4.3): AP[2] read-only, AP[1] EL0 access; in the two
 * ranges, a location EL0 may write is never executable at the
 * privileged level; SCTLR_ELx.WXN makes writable locations never
 * executable.
 */
static unsigned s1_perm(const struct s1_walk_regs *regs, bool two_ranges,
			u64 d, u64 tbl, bool el0)
{
	bool ro = (d & D_AP2) || (tbl & T_AP1);
	bool user = two_ranges && (d & D_AP1) && !(tbl & T_AP0);
	bool uxn = (d & D_UXN) || (tbl & T_UXN);
	bool pxn = (d & D_PXN) || (tbl & T_PXN);
	unsigned perm;
	bool xn;

	if (el0) {
		/* EL0 execution depends on UXN alone (AArch64: AP is for data). */
		perm = user ? S1_PERM_R | (ro ? 0 : S1_PERM_W) : 0;
		xn = uxn;
	} else {
		perm = S1_PERM_R | (ro ? 0 : S1_PERM_W);
		/* The single-range regime has one XN (bit 54) and no PXN. */
		xn = two_ranges ? pxn || (user && !ro) : uxn;
	}
	if ((regs->sctlr & SCTLR_WXN) && (perm & S1_PERM_W))
		xn = true;
	return xn ? perm : perm | S1_PERM_X;
}

/* Whether the access is permitted (pseudocode AArch64.S1HasPermissionsFault). */
static bool s1_allows(unsigned perm, enum s1_access acc)
{
	switch (acc) {
	case S1_ACCESS_READ:
		return perm & S1_PERM_R;
	case S1_ACCESS_WRITE:
		return perm & S1_PERM_W;
	default:
		return perm & S1_PERM_X;
	}
}

/* One descriptor: its table address through ptw, then read (AArch64.S1Walk). */
static bool s1_fetch(const struct s1_walk_mem *mem, u64 addr, unsigned level,
		     u64 *d, struct s1_walk_result *r)
{
	u64 pa = addr;
	struct s1_ptw_fault f = { S1_FAULT_TRANSLATION, 0 };

	if (mem->ptw && !mem->ptw(mem->ctx, addr, &pa, &f)) {
		set_fault(r, f.fault, f.level);
		r->s2_ptw = true;
		r->ptw_addr = addr;
		return false;
	}
	if (!mem->read(mem->ctx, pa, d)) {
		set_fault(r, S1_FAULT_EXTERNAL, level);
		return false;
	}
	return true;
}

/*
 * The MMU on (pseudocode AArch64.S1Translate and AArch64.S1Walk): checks
 * of TxSZ, of the VA's top bits, EPDx and the table base come first, each
 * a level 0 fault; then one descriptor per level.
 */
static void s1_enabled(const struct s1_walk_regs *regs, u64 va,
		       enum s1_access acc, bool el0,
		       const struct s1_walk_mem *mem, struct s1_walk_result *r)
{
	struct s1_params p;
	unsigned ia_bits, oa_bits, stride, level, top;
	u64 table, entries, tbl = 0, top_bits, want;

	s1_params_of(regs, va, acc, &p);
	/* Out of range: a fault rather than a clamp (QEMU's choice). */
	if (p.txsz < TXSZ_MIN || p.txsz > TXSZ_MAX) {
		set_fault(r, S1_FAULT_TRANSLATION, 0);
		return;
	}
	ia_bits = 64 - p.txsz;
	/* Bits [top:ia_bits] all equal to the range's select bit. */
	top = p.tbi ? 55 : 63;
	top_bits = (va & GENMASK(top, ia_bits)) >> ia_bits;
	want = p.select ? GENMASK(top - ia_bits, 0) : 0;
	if (top_bits != want || p.epd) {
		set_fault(r, S1_FAULT_TRANSLATION, 0);
		return;
	}
	oa_bits = MIN(MIN(parange_to_bits(p.ps), regs->pa_bits), 48u);
	stride = p.shift - 3;
	level = 4 - (ia_bits - 4) / stride;
	entries = UINT64_C(1) << (ia_bits - vmsa_level_shift(p.shift, level));
	/* TTBR BADDR [47:1]: beyond the output size, a level 0 Address size fault. */
	table = p.ttbr & GENMASK(47, 1);
	if (table >> oa_bits) {
		set_fault(r, S1_FAULT_ADDRESS_SIZE, 0);
		return;
	}
	/* The bits below the root table's size are RES0: ignored. */
	table &= ~(entries * 8 - 1);
	for (;;) {
		unsigned lshift = vmsa_level_shift(p.shift, level);
		u64 index = (va >> lshift) & (entries - 1);
		u64 d, addr;
		enum vmsa_desc_kind kind;

		if (!s1_fetch(mem, table + index * 8, level, &d, r))
			return;
		kind = vmsa_desc_kind(d, p.shift, level);
		if (kind == VMSA_DESC_INVALID || kind == VMSA_DESC_RESERVED) {
			set_fault(r, S1_FAULT_TRANSLATION, level);
			return;
		}
		addr = vmsa_desc_addr(d, p.shift);
		if (addr >> oa_bits) {
			set_fault(r, S1_FAULT_ADDRESS_SIZE, level);
			return;
		}
		if (kind == VMSA_DESC_TABLE) {
			/* Hierarchical controls, unless TCR_ELx.HPDx disables them. */
			if (!p.hpd)
				tbl |= d & (T_PXN | T_UXN | T_AP0 | T_AP1);
			table = addr;
			entries = UINT64_C(1) << stride;
			level++;
			continue;
		}
		r->block_size = UINT64_C(1) << lshift;
		r->level = level;
		r->desc = d;
		/* No hardware update of the flag (HA treated as 0). */
		if (!(d & PTE_AF)) {
			set_fault(r, S1_FAULT_ACCESS_FLAG, level);
			return;
		}
		r->perm = s1_perm(regs, p.two_ranges, d, tbl, el0);
		if (!s1_allows(r->perm, acc)) {
			set_fault(r, S1_FAULT_PERMISSION, level);
			return;
		}
		r->oa = (addr & ~(r->block_size - 1)) | (va & (r->block_size - 1));
		r->attr = (u8)(regs->mair >> (8 * field_get(D_ATTRINDX, d)));
		/*
		 * SH 0b01 is reserved (CONSTRAINED UNPREDICTABLE): taken as
		 * Non-shareable, as QEMU's combination of two stages does.
		 */
		r->sh = (unsigned)field_get(PTE_SH_MASK, d);
		if (r->sh == 1)
			r->sh = SH_NON;
		r->fault = S1_OK;
		return;
	}
}

void s1_walk(const struct s1_walk_regs *regs, u64 va, enum s1_access acc,
	     bool el0, const struct s1_walk_mem *mem, struct s1_walk_result *r)
{
	memset(r, 0, sizeof(*r));
	/* HCR_EL2.DC makes the EL1&0 stage 1 behave as off (Arm ARM, HCR_EL2.DC). */
	if (!(regs->sctlr & SCTLR_M) || (regs->dc && regs->regime == S1_REGIME_EL10))
		s1_disabled(regs, va, acc, r);
	else
		s1_enabled(regs, va, acc, el0 && regs->regime != S1_REGIME_EL2, mem, r);
}
