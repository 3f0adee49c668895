/* VMIDs in generations, pinned VMIDs for plain VMs (include/nv/vmid.h). */
#include <string.h>
#include <nv/arch.h>
#include <nv/vmid.h>

#define GEN_ONE (UINT64_C(1) << VMID_GEN_SHIFT)

static u64 gen_of(u64 id)
{
	return id & ~VMID_NUM_MASK;
}

static bool test_bit(const u64 *map, u32 n)
{
	return map[n / 64] & (UINT64_C(1) << (n % 64));
}

static void set_bit(u64 *map, u32 n)
{
	map[n / 64] |= UINT64_C(1) << (n % 64);
}

static void clear_bit(u64 *map, u32 n)
{
	map[n / 64] &= ~(UINT64_C(1) << (n % 64));
}

static u32 space_size(const struct vmid_space *s)
{
	return UINT32_C(1) << s->bits;
}

void vmid_space_init(struct vmid_space *s, unsigned bits)
{
	memset(s, 0, sizeof(*s));
	s->bits = bits == 16 ? 16 : 8;
	s->gen = GEN_ONE;
	s->next = 1;
	/* Room for every CPU's reserved VMID and one more after a rollover. */
	s->max_pinned = space_size(s) - 1 - (NR_CPUS + 1);
	for (unsigned c = 0; c < NR_CPUS; c++)
		s->flushed[c] = GEN_ONE;
	set_bit(s->used, 0);
}

static struct vmid_space host_space;
static bool host_space_ready;

struct vmid_space *vmid_host(unsigned bits)
{
	if (!host_space_ready) {
		vmid_space_init(&host_space, bits);
		host_space_ready = true;
	}
	return &host_space;
}

/* The first clear bit of used[] in [from, to), or 0. */
static u32 find_free(const struct vmid_space *s, u32 from, u32 to)
{
	for (u32 v = from; v < to;) {
		if (v % 64 == 0 && s->used[v / 64] == ~UINT64_C(0)) {
			v += 64; /* a full word */
			continue;
		}
		if (!test_bit(s->used, v))
			return v;
		v++;
	}
	return 0;
}

u16 vmid_pin(struct vmid_space *s)
{
	u32 v = 0;

	spin_lock(&s->lock);
	if (s->nr_pinned < s->max_pinned)
		v = find_free(s, 1, space_size(s));
	if (v) {
		set_bit(s->used, v);
		set_bit(s->pinned, v);
		s->nr_pinned++;
	}
	spin_unlock(&s->lock);
	return (u16)v;
}

void vmid_unpin(struct vmid_space *s, u16 vmid)
{
	if (!vmid || vmid >= space_size(s))
		return;
	spin_lock(&s->lock);
	if (test_bit(s->pinned, vmid)) {
		clear_bit(s->pinned, vmid);
		clear_bit(s->used, vmid);
		s->nr_pinned--;
	}
	spin_unlock(&s->lock);
}

/*
 * A new generation: every VMID free but the pinned ones and each CPU's
 * (its loaded one, or the one the previous rollover kept for it when it
 * has loaded nothing since). Lock held.
 */
static void rollover(struct vmid_space *s)
{
	u64 gen = __atomic_load_n(&s->gen, __ATOMIC_RELAXED) + GEN_ONE;

	memcpy(s->used, s->pinned, sizeof(s->used));
	set_bit(s->used, 0);
	for (unsigned c = 0; c < NR_CPUS; c++) {
		/* Taking active[] to 0 sends that CPU's next load here. */
		u64 id = __atomic_exchange_n(&s->active[c], 0, __ATOMIC_ACQ_REL);

		if (!id)
			id = s->reserved[c];
		if (id)
			set_bit(s->used, (u32)(id & VMID_NUM_MASK));
		s->reserved[c] = id;
	}
	s->next = 1;
	s->rollovers++;
	__atomic_store_n(&s->gen, gen, __ATOMIC_RELEASE);
}

/*
 * A VMID of the current generation for a context whose id is stale (or
 * 0): its own number if a CPU kept it, or if it is still free; else a
 * free one, rolling over when there is none. Lock held.
 */
static u64 new_id(struct vmid_space *s, u64 old)
{
	u64 gen = __atomic_load_n(&s->gen, __ATOMIC_RELAXED);
	u32 v;

	if (old) {
		u32 num = (u32)(old & VMID_NUM_MASK);
		bool kept = false;

		/* Kept by a rollover for a CPU that ran it: same number, new generation. */
		for (unsigned c = 0; c < NR_CPUS; c++)
			if (s->reserved[c] == old) {
				s->reserved[c] = gen | num;
				kept = true;
			}
		if (kept)
			return gen | num;
		if (num < space_size(s) && !test_bit(s->used, num)) {
			set_bit(s->used, num);
			return gen | num;
		}
	}
	v = find_free(s, s->next, space_size(s));
	if (!v) {
		rollover(s);
		gen = __atomic_load_n(&s->gen, __ATOMIC_RELAXED);
		v = find_free(s, 1, space_size(s));
		if (!v)
			return 0; /* impossible: the pins leave NR_CPUS + 1 */
	}
	set_bit(s->used, v);
	s->next = v + 1;
	return gen | v;
}

u16 vmid_load(struct vmid_space *s, struct vmid_ctx *ctx, unsigned cpu)
{
	u64 id = __atomic_load_n(&ctx->id, __ATOMIC_ACQUIRE);
	u64 active = __atomic_load_n(&s->active[cpu], __ATOMIC_ACQUIRE);
	u64 gen = __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE);

	/*
	 * Fast path: the id is current and no rollover has taken this CPU's
	 * active[] since it was last set (a rollover swaps it to 0, so the
	 * exchange fails and the slow path under the lock decides).
	 */
	if (!(id && active && gen_of(id) == gen &&
	      __atomic_compare_exchange_n(&s->active[cpu], &active, id, false,
					  __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))) {
		spin_lock(&s->lock);
		id = __atomic_load_n(&ctx->id, __ATOMIC_RELAXED);
		if (!id || gen_of(id) != __atomic_load_n(&s->gen, __ATOMIC_RELAXED)) {
			id = new_id(s, id);
			__atomic_store_n(&ctx->id, id, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&s->active[cpu], id, __ATOMIC_RELEASE);
		spin_unlock(&s->lock);
	}
	/* This CPU's TLB may hold entries of earlier generations' owners. */
	if (s->flushed[cpu] < gen_of(id)) {
		arch_tlbi_guests_local();
		s->flushed[cpu] = gen_of(id);
	}
	return (u16)(id & VMID_NUM_MASK);
}

void vmid_ctx_release(struct vmid_ctx *ctx)
{
	__atomic_store_n(&ctx->id, 0, __ATOMIC_RELEASE);
}
