/* Shadow stage 2: L1's stage 2 composed with the VM's, filled on faults. */
#include <string.h>
#include <nv/arch.h>
#include <nv/bits.h>
#include <nv/esr.h>
#include <nv/fmt.h>
#include <nv/palloc.h>
#include <nv/shadow_s2.h>
#include <nv/stage2.h>
#include <nv/vm.h>
#include <nv/vmsa.h>

/* L1's VMID in its VTTBR_EL2: [63:48] with VTCR_EL2.VS, else [55:48]. */
u16 shadow_l1_vmid(u64 vtcr, u64 vttbr)
{
	u64 vmid = vttbr >> VTTBR_VMID_SHIFT;

	return (u16)(vtcr & VTCR_VS_16BIT ? vmid & 0xffff : vmid & 0xff);
}

bool shadow_s2_init(struct shadow_s2 *s, u64 vtcr, u64 vttbr,
		    const struct shadow_env *env, char *err, size_t errlen)
{
	unsigned ia_bits;

	memset(s, 0, sizeof(*s));
	if (err && errlen)
		err[0] = '\0';
	/* Refused: s->cfg is invalid and every walk a level 0 Translation fault. */
	s2_walk_cfg(vtcr, vttbr, env->l1_pa_bits, &s->cfg, err, errlen);
	s->vtcr = vtcr;
	s->vttbr = vttbr;
	s->l1_vmid = shadow_l1_vmid(vtcr, vttbr);
	s->env = env;
	/* The shadow maps L2 IPAs: as many bits as L1 gives L2, 4 KiB pages. */
	ia_bits = s->cfg.valid ? MAX(s->cfg.ia_bits, 25u) : 25u;
	if (!pgtable_init(&s->pt, ia_bits, env->mm)) {
		nv_snprintf(err, errlen, "no memory for the shadow stage-2 tables");
		return false;
	}
	if (env->host)
		s->hw_vtcr = stage2_vtcr(ia_bits, env->host);
	return true;
}

/* --- TLB maintenance by the shadow's VMID (none before its first load) --- */

/* TLBI VMALLS12E1IS for the shadow's VMID. */
static void tlbi_vmid(const struct shadow_s2 *s)
{
	u16 vmid = vmid_ctx_num(&s->vmid);

	if (vmid && s->env->tlb)
		s->env->tlb->vmid(s->env->tlb->ctx, stage2_vttbr(&s->pt, vmid));
}

/*
 * Pages removed, invalidated in batches (TLBI IPAS2E1IS each, then
 * VMALLE1IS), or by VMID once there are more than SHADOW_TLBI_PAGES_MAX.
 */
#define TLBI_BATCH 16

struct tlbi_batch {
	const struct shadow_s2 *s;
	u64 page[TLBI_BATCH];
	unsigned n, total;
};

static void batch_flush(struct tlbi_batch *b)
{
	u16 vmid = vmid_ctx_num(&b->s->vmid);
	const struct shadow_tlb_ops *tlb = b->s->env->tlb;

	if (b->n && vmid && tlb)
		tlb->ipas(tlb->ctx, stage2_vttbr(&b->s->pt, vmid), b->page, b->n);
	b->n = 0;
}

static void batch_add(struct tlbi_batch *b, u64 l2_page)
{
	if (++b->total > SHADOW_TLBI_PAGES_MAX)
		return; /* batch_end invalidates the whole VMID */
	if (b->n == TLBI_BATCH)
		batch_flush(b);
	b->page[b->n++] = l2_page;
}

static void batch_end(struct tlbi_batch *b)
{
	if (b->total > SHADOW_TLBI_PAGES_MAX)
		tlbi_vmid(b->s);
	else
		batch_flush(b);
}

/*
 * Stage-2 MemAttr[3:0] (FEAT_S2FWB off): 0b00dd is Device (dd: nGnRnE,
 * nGnRE, nGRE, GRE, from strongest), else Normal with outer [3:2] and
 * inner [1:0] each NC (01) < WT (10) < WB (11). The stronger of the two
 * wins: Device over Normal, the stronger Device, the weaker cacheability.
 */
static unsigned merge_memattr(unsigned a, unsigned b)
{
	bool dev_a = (a >> 2) == 0, dev_b = (b >> 2) == 0;

	if (dev_a || dev_b) {
		if (dev_a && dev_b)
			return MIN(a, b);
		return dev_a ? a : b;
	}
	return MIN(a >> 2, b >> 2) << 2 | MIN(a & 3, b & 3);
}

/*
 * Stage-2 XN[1:0] with FEAT_XNX (Arm ARM D8.4, stage 2 instruction access
 * permissions; pseudocode AArch64.S2CheckPermission): 0b00 EL1 and EL0 may
 * execute, 0b01 EL0 only, 0b10 neither, 0b11 EL1 only. Without FEAT_XNX
 * only XN[1] is defined, and 0b00/0b10 mean the same. Kept as the set of
 * ELs that may not execute, since ORing the encodings is wrong: 0b01 (no
 * EL1) with 0b11 (no EL0) must give 0b10 (neither), not 0b11.
 */
#define NX_EL1 1u
#define NX_EL0 2u

static unsigned xn_barred(u64 desc)
{
	static const unsigned barred[4] = { 0, NX_EL1, NX_EL1 | NX_EL0, NX_EL0 };

	return barred[field_get(PTE_S2_XN_MASK, desc)];
}

static u64 xn_encode(unsigned barred)
{
	static const u64 xn[4] = { 0, 1, 3, 2 }; /* none, EL1, EL0, both */

	return field_prep(PTE_S2_XN_MASK, xn[barred & 3]);
}

u64 shadow_s2_merge_attrs(u64 l1, u64 l0)
{
	u64 ap = (l1 & l0) & (PTE_S2_S2AP_R | PTE_S2_S2AP_W);
	u64 xn = xn_encode(xn_barred(l1) | xn_barred(l0));
	unsigned mem = merge_memattr((unsigned)field_get(PTE_S2_MEMATTR_MASK, l1),
				     (unsigned)field_get(PTE_S2_MEMATTR_MASK, l0));
	unsigned sh = vmsa_merge_sh((unsigned)field_get(PTE_SH_MASK, l1),
				    (unsigned)field_get(PTE_SH_MASK, l0));

	return ap | xn | field_prep(PTE_S2_MEMATTR_MASK, mem) | field_prep(PTE_SH_MASK, sh);
}

/*
 * A stage-2 leaf allows the access (pseudocode AArch64.S2CheckPermission):
 * an instruction fetch needs only XN for its EL, a write S2AP.W, a read
 * S2AP.R.
 */
static bool s2_allows(u64 desc, const struct shadow_access *a)
{
	if (a->exec)
		return !(xn_barred(desc) & (a->el0 ? NX_EL0 : NX_EL1));
	if (a->write)
		return desc & PTE_S2_S2AP_W;
	return desc & PTE_S2_S2AP_R;
}

/*
 * Records the page, or updates its entry (slot from rmap_find, or -1).
 * Without overflow every shadow page has exactly one entry.
 */
static void rmap_set(struct shadow_s2 *s, int slot, u64 l1_page, u64 l2_page,
		     unsigned l1_shift)
{
	struct shadow_rmap *r;

	if (slot < 0) {
		if (s->nr_rmap >= SHADOW_RMAP_MAX) {
			s->rmap_overflow = true;
			return;
		}
		slot = (int)s->nr_rmap++;
	}
	r = &s->rmap[slot];
	r->l1_page = l1_page;
	r->l2_page = l2_page;
	r->l1_shift = l1_shift;
}

static int rmap_find(const struct shadow_s2 *s, u64 l2_page)
{
	for (unsigned i = 0; i < s->nr_rmap; i++)
		if (s->rmap[i].l2_page == l2_page)
			return (int)i;
	return -1;
}

static void rmap_del(struct shadow_s2 *s, unsigned i)
{
	s->rmap[i] = s->rmap[--s->nr_rmap];
}

enum shadow_result shadow_s2_fault(struct shadow_s2 *s,
				   const struct shadow_access *a,
				   const struct pgtable *l0, s2_read_fn rd,
				   void *ctx, struct s2_walk_result *l1,
				   u64 *l1_ipa)
{
	u64 l2_page = ALIGN_DOWN(a->l2_ipa, PAGE_SIZE), l1_page, l0_desc, attrs;
	u64 pa;
	unsigned level, removed;
	int slot;
	enum pgt_err e;

	/*
	 * L1's walk (L2 IPA -> L1 IPA), then the VM's stage 2 (L1 IPA ->
	 * PA): the output address is only ever l0's (Arm ARM D8.2, the two
	 * stages of the EL1&0 regime, composed in software).
	 */
	s2_walk(&s->cfg, a->l2_ipa, rd, ctx, l1);
	if (l1->fault != S2_OK)
		return SHADOW_L1_FAULT;
	*l1_ipa = l1->oa;
	if (!s2_allows(l1->desc, a))
		return SHADOW_L1_PERM;
	l1_page = ALIGN_DOWN(l1->oa, PAGE_SIZE);
	l0_desc = pgtable_lookup(l0, l1_page, &level, &pa);
	if (!l0_desc)
		return SHADOW_L0_FAULT;
	attrs = shadow_s2_merge_attrs(l1->desc, l0_desc);
	/*
	 * L1 allows it but the VM's own stage 2 does not: a shadow page with
	 * these attributes would fault again at once, forever. nestvisor
	 * handles it as L1's own access.
	 */
	if (!s2_allows(attrs, a))
		return SHADOW_L0_FAULT;
	/*
	 * A page already there (a permission upgrade, a racing fault):
	 * break-before-make (Arm ARM D8.16.1): the old entry invalid, its TLB
	 * entries invalidated (TLBI IPAS2E1IS by the shadow's VMID, DSB ISH,
	 * TLBI VMALLE1IS, DSB ISH), and only then the new one.
	 */
	pgtable_unmap(&s->pt, l2_page, PAGE_SIZE, &removed);
	if (removed) {
		struct tlbi_batch b = { .s = s };

		batch_add(&b, l2_page);
		batch_end(&b);
	}
	slot = removed ? rmap_find(s, l2_page) : -1;
	e = pgtable_map(&s->pt, l2_page, ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE,
			attrs);
	if (e != PGT_OK) {
		if (slot >= 0)
			rmap_del(s, (unsigned)slot);
		return e == PGT_ENOMEM ? SHADOW_NOMEM : SHADOW_L1_FAULT;
	}
	rmap_set(s, slot, l1_page, l2_page,
		 (unsigned)__builtin_ctzll(l1->block_size));
	return SHADOW_MAPPED;
}

/*
 * [addr, addr + size) as the pages [*first, *last], saturating at 2^64
 * rather than wrapping. False when empty.
 */
static bool page_span(u64 addr, u64 size, u64 *first, u64 *last)
{
	if (!size)
		return false;
	*first = ALIGN_DOWN(addr, PAGE_SIZE);
	*last = ALIGN_DOWN(size - 1 > ~(u64)0 - addr ? ~(u64)0 : addr + size - 1,
			   PAGE_SIZE);
	return true;
}

void shadow_s2_unmap_all(struct shadow_s2 *s)
{
	unsigned removed = 0;

	if (s->rmap_overflow) {
		/* The tables' walk covers only what is mapped. */
		pgtable_unmap(&s->pt, 0, UINT64_C(1) << s->pt.ia_bits, &removed);
	} else {
		for (unsigned i = 0; i < s->nr_rmap; i++)
			pgtable_unmap(&s->pt, s->rmap[i].l2_page, PAGE_SIZE, NULL);
		removed = s->nr_rmap;
	}
	/* Everything of the VMID: TLBI VMALLS12E1IS, as L1's own TLBI asks. */
	if (removed)
		tlbi_vmid(s);
	s->nr_rmap = 0;
	s->rmap_overflow = false;
}

void shadow_s2_unmap_l1(struct shadow_s2 *s, u64 l1_ipa, u64 size)
{
	u64 first, last;

	if (!page_span(l1_ipa, size, &first, &last))
		return;
	if (s->rmap_overflow) {
		/* Which L2 pages map these L1 pages is no longer all known. */
		shadow_s2_unmap_all(s);
		return;
	}
	{
		struct tlbi_batch b = { .s = s };

		for (unsigned i = 0; i < s->nr_rmap;) {
			if (s->rmap[i].l1_page >= first && s->rmap[i].l1_page <= last) {
				pgtable_unmap(&s->pt, s->rmap[i].l2_page, PAGE_SIZE, NULL);
				batch_add(&b, s->rmap[i].l2_page);
				rmap_del(s, i);
			} else {
				i++;
			}
		}
		batch_end(&b);
	}
}

/* log2 of L1's largest leaf: a level-1 block with 4 KiB pages, else level 2. */
static unsigned max_leaf_shift(unsigned granule_shift)
{
	return granule_shift == 12 ? 30 : 2 * granule_shift - 3;
}

void shadow_s2_unmap_l2(struct shadow_s2 *s, u64 l2_ipa, u64 size)
{
	u64 first, last, limit = UINT64_C(1) << s->pt.ia_bits;
	struct tlbi_batch b = { .s = s };
	unsigned removed = 0;

	if (!page_span(l2_ipa, size, &first, &last) || first >= limit)
		return;
	if (s->rmap_overflow) {
		/*
		 * Pages the reverse map missed may come from any L1 leaf
		 * overlapping the range: widen it to the largest leaf L1 can
		 * have; the tables' walk below finds what is mapped there.
		 */
		u64 max = UINT64_C(1) << max_leaf_shift(s->cfg.granule_shift);

		first = ALIGN_DOWN(first, max);
		last = ALIGN_DOWN(last, max) + (max - PAGE_SIZE);
	}
	last = MIN(last, limit - PAGE_SIZE);
	/*
	 * Cost follows what is mapped: walk the reverse map, not the range.
	 * A page goes when the L1 leaf it was made from overlaps the range:
	 * L1's TLBI of one address in a block invalidates the whole block.
	 */
	for (unsigned i = 0; i < s->nr_rmap;) {
		u64 leaf = UINT64_C(1) << s->rmap[i].l1_shift;
		u64 leaf_first = ALIGN_DOWN(s->rmap[i].l2_page, leaf);

		if (leaf_first <= last && leaf_first + (leaf - PAGE_SIZE) >= first) {
			pgtable_unmap(&s->pt, s->rmap[i].l2_page, PAGE_SIZE, NULL);
			batch_add(&b, s->rmap[i].l2_page);
			rmap_del(s, i);
		} else {
			i++;
		}
	}
	if (s->rmap_overflow) {
		pgtable_unmap(&s->pt, first, last - first + PAGE_SIZE, &removed);
		/* Pages the reverse map did not know, which ones unknown: the VMID. */
		if (removed) {
			tlbi_vmid(s);
			return;
		}
	}
	batch_end(&b);
}

/* --- TLB maintenance through the arch layer --- */

static void arch_ipas(void *ctx, u64 vttbr, const u64 *pages, unsigned n)
{
	(void)ctx;
	arch_tlbi_ipas_is(vttbr, pages, n);
}

static void arch_vmid(void *ctx, u64 vttbr)
{
	(void)ctx;
	arch_tlbi_vmid_is(vttbr);
}

const struct shadow_tlb_ops shadow_tlb_arch = { arch_ipas, arch_vmid, NULL };

/* --- The pool --- */

/*
 * The key: VTTBR_EL2's BADDR and L1's VMID, VTCR_EL2's fields the walk
 * and the VMID depend on (T0SZ, SL0, TG0, PS, VS). CnP, the walks'
 * cacheability and shareability, and HA/HD (treated as 0) do not change
 * a translation.
 */
#define KEY_VTCR (VTCR_T0SZ_MASK | VTCR_SL0_MASK | VTCR_TG0_MASK | \
		  VTCR_PS_MASK | VTCR_VS_16BIT)

static bool key_match(const struct shadow_s2 *s, u64 vttbr, u64 vtcr)
{
	return s->live && ((s->vtcr ^ vtcr) & KEY_VTCR) == 0 &&
	       ((s->vttbr ^ vttbr) & VTTBR_BADDR_MASK) == 0 &&
	       s->l1_vmid == shadow_l1_vmid(vtcr, vttbr);
}

void shadow_pool_init(struct shadow_pool *p, const struct shadow_env *env)
{
	memset(p, 0, sizeof(*p));
	p->env = *env;
}

/* Its VMID's TLB entries invalidated, its tables given back; it keeps its VMID. */
static void retire(struct shadow_pool *p, struct shadow_s2 *s)
{
	if (!s->live)
		return;
	tlbi_vmid(s);
	if (p->env.free_table)
		pgtable_destroy(&s->pt, p->env.free_table);
	s->live = false;
	s->nr_rmap = 0;
	s->rmap_overflow = false;
}

struct shadow_s2 *shadow_s2_get(struct vm *vm, u64 l1_vttbr, u64 l1_vtcr,
				char *err, size_t errlen)
{
	struct shadow_pool *p = vm->shadow;
	struct shadow_s2 *victim = NULL;
	struct vmid_ctx vmid;

	spin_lock(&p->lock);
	p->clock++;
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++) {
		struct shadow_s2 *s = &p->s[i];

		if (key_match(s, l1_vttbr, l1_vtcr)) {
			s->users++;
			s->last_used = p->clock;
			spin_unlock(&p->lock);
			return s;
		}
		/* An unused slot first, else the least recently used free one. */
		if (s->users || (victim && !victim->live))
			continue;
		if (!victim || !s->live || s->last_used < victim->last_used)
			victim = s;
	}
	if (!victim) {
		spin_unlock(&p->lock);
		nv_snprintf(err, errlen, "every shadow stage 2 of the VM is in use");
		return NULL;
	}
	retire(p, victim);
	vmid = victim->vmid;
	if (!shadow_s2_init(victim, l1_vtcr, l1_vttbr, &p->env, err, errlen)) {
		victim->vmid = vmid;
		spin_unlock(&p->lock);
		return NULL;
	}
	victim->vmid = vmid;
	victim->live = true;
	victim->users = 1;
	victim->last_used = p->clock;
	spin_unlock(&p->lock);
	return victim;
}

void shadow_s2_put(struct vm *vm, struct shadow_s2 *s)
{
	struct shadow_pool *p = vm->shadow;

	spin_lock(&p->lock);
	if (s->users)
		s->users--;
	spin_unlock(&p->lock);
}

u64 shadow_s2_load(struct vm *vm, struct shadow_s2 *s, unsigned cpu)
{
	return stage2_vttbr(&s->pt, vmid_load(vm->shadow->env.vmids, &s->vmid, cpu));
}

enum shadow_result shadow_s2_handle_fault(struct vm *vm, struct shadow_s2 *s,
					  const struct shadow_access *a,
					  struct s2_walk_result *l1,
					  u64 *l1_ipa)
{
	struct shadow_pool *p = vm->shadow;
	enum shadow_result r;

	spin_lock(&p->lock);
	r = shadow_s2_fault(s, a, &vm->s2, p->env.rd, p->env.rd_ctx, l1, l1_ipa);
	spin_unlock(&p->lock);
	return r;
}

void shadow_s2_tlbi_ipa(struct vm *vm, u16 l1_vmid, u64 ipa, u64 size)
{
	struct shadow_pool *p = vm->shadow;

	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++)
		if (p->s[i].live && p->s[i].l1_vmid == l1_vmid)
			shadow_s2_unmap_l2(&p->s[i], ipa, size);
	spin_unlock(&p->lock);
}

void shadow_s2_tlbi_vmid(struct vm *vm, u16 l1_vmid)
{
	struct shadow_pool *p = vm->shadow;

	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++)
		if (p->s[i].live && p->s[i].l1_vmid == l1_vmid)
			shadow_s2_unmap_all(&p->s[i]);
	spin_unlock(&p->lock);
}

void shadow_s2_tlbi_all(struct vm *vm)
{
	struct shadow_pool *p = vm->shadow;

	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++)
		if (p->s[i].live)
			shadow_s2_unmap_all(&p->s[i]);
	spin_unlock(&p->lock);
}

void shadow_s2_l1_unmapped(struct vm *vm, u64 l1_ipa, u64 size)
{
	struct shadow_pool *p = vm->shadow;

	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++)
		if (p->s[i].live)
			shadow_s2_unmap_l1(&p->s[i], l1_ipa, size);
	spin_unlock(&p->lock);
}

/* --- The pool from the page allocator --- */

static void *pool_table_alloc(void *ctx)
{
	(void)ctx;
	return palloc_page();
}

static void pool_table_free(void *ctx, void *table)
{
	(void)ctx;
	palloc_free_page(table);
}

static const struct pgtable_mm pool_mm = { pool_table_alloc, NULL };

static unsigned pool_order(void)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < sizeof(struct shadow_pool))
		order++;
	return order;
}

bool shadow_s2_read_l1(void *ctx, u64 l1_ipa, u64 *val)
{
	const struct vm *vm = ctx;
	unsigned level;
	u64 pa;

	if (!IS_ALIGNED(l1_ipa, 8) || !pgtable_lookup(&vm->s2, l1_ipa, &level, &pa))
		return false;
	/* nestvisor maps all RAM at EL2, VA == PA; L1 may write it meanwhile. */
	*val = __atomic_load_n((const u64 *)(uintptr_t)pa, __ATOMIC_RELAXED);
	return true;
}

bool shadow_pool_create(struct vm *vm, unsigned l1_pa_bits,
			const struct cpu_features *host, char *err,
			size_t errlen)
{
	paddr_t pa = palloc_pages(pool_order());
	struct shadow_env env = {
		.mm = &pool_mm,
		.free_table = pool_table_free,
		.tlb = &shadow_tlb_arch,
		.vmids = vmid_host(host->vmid_bits),
		.host = host,
		.l1_pa_bits = l1_pa_bits,
		.rd = shadow_s2_read_l1,
		.rd_ctx = vm,
	};

	if (!pa) {
		nv_snprintf(err, errlen, "no memory for the shadow stage-2 contexts (%llu KiB)",
			    (unsigned long long)(sizeof(struct shadow_pool) >> 10));
		return false;
	}
	vm->shadow = (struct shadow_pool *)(uintptr_t)pa;
	shadow_pool_init(vm->shadow, &env);
	return true;
}

void shadow_pool_destroy(struct vm *vm)
{
	struct shadow_pool *p = vm->shadow;

	if (!p)
		return;
	spin_lock(&p->lock);
	for (unsigned i = 0; i < SHADOW_POOL_SIZE; i++) {
		retire(p, &p->s[i]);
		vmid_ctx_release(&p->s[i].vmid);
	}
	spin_unlock(&p->lock);
	if (p->env.mm == &pool_mm) {
		palloc_free_pages((paddr_t)(uintptr_t)p, pool_order());
		vm->shadow = NULL;
	}
}

/* --- The stage-2 abort L1 gets --- */

/* HPFAR_EL2.FIPA [47:4] holds IPA[55:12] (Arm ARM D19.2, HPFAR_EL2). */
#define HPFAR_FIPA_MASK GENMASK(47, 4)

bool shadow_s2_l1_abort(u64 exit_esr, u64 exit_far, u64 l2_ipa,
			enum shadow_result r, const struct s2_walk_result *walk,
			struct shadow_l1_abort *out)
{
	unsigned ec = esr_ec(exit_esr), level = walk->level & 3, fsc;
	u64 keep, iss;

	if (r != SHADOW_L1_FAULT && r != SHADOW_L1_PERM)
		return false;
	if (r == SHADOW_L1_PERM) {
		fsc = FSC_PERM_L(level);
	} else {
		switch (walk->fault) {
		case S2_FAULT_ADDRESS_SIZE:
			fsc = FSC_ADDR_SIZE_L(level);
			break;
		case S2_FAULT_ACCESS_FLAG:
			fsc = FSC_ACCESS_L(level);
			break;
		case S2_FAULT_EXTERNAL:
			fsc = FSC_SEA_WALK_L(level);
			break;
		default:
			fsc = FSC_TRANS_L(level);
			break;
		}
	}
	/*
	 * ISS for a Data Abort: the instruction syndrome (ISV, SAS, SSE,
	 * SRT, SF, AR), CM, S1PTW and WnR describe L2's access and stay;
	 * VNCR, FnV and EA are 0 for a stage-2 fault of L2's own access.
	 * For an Instruction Abort only S1PTW is defined beside IFSC.
	 */
	if (ec == EC_DABT_LOW)
		keep = DABT_ISV | DABT_SAS | DABT_SSE | DABT_SRT | DABT_SF |
		       DABT_AR | DABT_CM | DABT_S1PTW | DABT_WNR;
	else
		keep = DABT_S1PTW;
	iss = (exit_esr & keep) | fsc;
	out->esr = (exit_esr & (ESR_EC_MASK | ESR_IL)) | iss;
	out->far = exit_far;
	out->hpfar = (l2_ipa >> PAGE_SHIFT << 4) & HPFAR_FIPA_MASK;
	return true;
}
