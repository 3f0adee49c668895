/*
 * Exits per nested operation: a guest hypervisor (it stays at EL2, as hv
 * does, and runs hv's vCPU runner, hv_run.c) that runs an EL1 guest of its
 * own (hv_bench_el1.S) on its own stage 2 and counts, for each operation,
 * the exits to nestvisor (L0) it takes: nestvisor's exit count
 * (NV_HC_EXIT_COUNT, SMCCC vendor-hypervisor call 0xc6000001, over SMC:
 * at a virtual EL2 an HVC is the hypervisor's own exception) read at the
 * first operation's exit and at the (N+1)th, so that N whole operations
 * lie between. The count is the vCPU's: its exits at the virtual EL2 and
 * its guest's alike. A line per operation:
 *   bench <op>: E exits/op (T l0 exits over N ops: irq I, mmio M, sysreg S, other O)
 * (the second count call's own exit not included). The operations:
 *
 *  - nested-hvc: the guest's HVC, handled by the hypervisor (result in
 *    x0) and returned to;
 *  - nested-mmio: a load from an IPA the hypervisor's stage 2 leaves
 *    unmapped, emulated from ESR_EL2/HPFAR_EL2 (the value into SRT,
 *    ELR_EL2 past the load);
 *  - nested-s2-fault: the first touch of a page the hypervisor maps in
 *    its stage 2 when the guest faults on it; a second touch of every
 *    page costs no exit to the hypervisor, and its exits to nestvisor are
 *    counted by the guest itself (nested-s2-touch-again);
 *  - nested-vtimer-irq: the guest's virtual timer, due at once: its PPI
 *    taken at EL2 and injected through a HW list register (pINTID = the
 *    PPI, acknowledged at EL2 with EOImode 1), taken and EOI'd by the
 *    guest, which deactivates the PPI;
 *  - nested-sgi-cross: an IPI between the guest's two vCPUs, each on one
 *    of the hypervisor's CPUs: vCPU 0 asks for it (HVC), the hypervisor
 *    sends a physical SGI to its CPU 1, which takes vCPU 1 out of its WFI
 *    and injects it through a list register; vCPU 0 waits until vCPU 1
 *    has taken it. Each CPU counts its own exits over the same N
 *    operations; the figure is their sum.
 *
 * Every operation also runs at QEMU's real EL2, where there is no exit
 * count: the operations are still checked, their counts are "# SKIP".
 * Entered at EL1 it only says so and passes.
 */
#include <string.h>

#include "guest.h"
#include "hv.h"

const char guest_name[] = "hv_bench";
const bool guest_stays_at_el2 = true;

/* hv_bench_el1.S */
extern char hvb_el1_vectors[], hvb_hvc[], hvb_mmio[], hvb_mmio_load[], hvb_touch[], hvb_vtimer[],
	hvb_ipi0[], hvb_ipi1[];

#define N		100		/* operations between the two counts */
#define OPS		(N + 1)		/* the snippets' repetitions */
#define MAX_EXITS	(8 * OPS)	/* the hypervisor's exits in one benchmark, at most */
#define MMIO_VALUE	0x5a5a1234UL
#define HVC_RESULT	0x600dUL
#define VT_PRIO		0xa0

/* nestvisor's exit count (-1 on QEMU alone: SMCCC NOT_SUPPORTED) */
struct counts {
	u64 total, irq, mmio, sysreg;
};

static bool have_count;

static struct counts count(void)
{
	register u64 x0 __asm__("x0") = NV_HC_EXIT_COUNT;
	register u64 x1 __asm__("x1") = 0;
	register u64 x2 __asm__("x2") = 0;
	register u64 x3 __asm__("x3") = 0;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : :
			 "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			 "x15", "x16", "x17", "memory");
	return (struct counts){ x0, x1, x2, x3 };
}

/* ---- the stage 2: the image 1:1, then a window of pages ---------------------------------- */

/*
 * IPA space (s2_vtcr: 32 bits from level 1): GiB 1 through a level-2
 * table, the 2 MiB blocks of the image (code, data, the EL1 stack)
 * identity-mapped; the next 2 MiB a window through a level-3 table: its
 * page 0 never mapped (the MMIO hole), pages 1 to OPS mapped on their
 * first fault to fresh pages.
 */
#define WIN_HOLE	0
#define WIN_FRESH	1

static u64 s2_l1[512] __attribute__((aligned(4096)));
static u64 s2_l2[512] __attribute__((aligned(4096)));
static u64 s2_l3[512] __attribute__((aligned(4096)));
static volatile u64 fresh[OPS][512] __attribute__((aligned(4096)));
static u64 win_ipa;

/* This CPU's VTCR_EL2 and VTTBR_EL2 for the tables (VMID 1), its stage 2 TLB emptied. */
static void s2_load(void)
{
	dsb_sy();
	write_sysreg(vtcr_el2, s2_vtcr());
	write_sysreg(vttbr_el2, (1UL << 48) | (u64)(uintptr_t)s2_l1);
	isb();
	__asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");
}

static void s2_on(void)
{
	u64 nblocks = s2_map_image(s2_l1, s2_l2);

	win_ipa = RAM_BASE + nblocks * SZ_2M;
	s2_l2[nblocks] = (u64)(uintptr_t)s2_l3 | S2_TABLE;
	for (unsigned p = 0; p < OPS; p++) {
		fresh[p][0] = 0xf7e5000000000000UL | p;
		clean_page(fresh[p]);
	}
	s2_load();
	diag("stage 2: VTTBR_EL2 0x%lx, %lu x 2 MiB identity, window IPA 0x%lx (hole at page %u, %u fresh pages from page %u)",
	     read_sysreg(vttbr_el2), nblocks, win_ipa, WIN_HOLE, OPS, WIN_FRESH);
}

static void s2_off(void)
{
	__asm__ volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");
	write_sysreg(vttbr_el2, 0);
	write_sysreg(vtcr_el2, 0);
	isb();
}

/* ---- one benchmark ------------------------------------------------------------------------ */

struct nested_op {
	const char *name;
	const char *entry;
	void (*prepare)(void);	/* the hypervisor's set-up, the guest's registers */
	bool (*is_op)(void);	/* the last exit is one operation's */
	bool (*handle)(void);	/* handles the last exit (false: unexpected) */
	void (*finish)(void);
	const char *what;	/* the check's text */
};

/* The other CPU's exits over the same operations (nested-sgi-cross), set by finish. */
static struct counts extra;

static void report(const struct nested_op *op, struct counts a, struct counts b)
{
	u64 total = b.total - a.total - 1 + extra.total;	/* not the second call's own exit */
	u64 irq = b.irq - a.irq + extra.irq, mmio = b.mmio - a.mmio + extra.mmio;
	u64 sysreg = b.sysreg - a.sysreg + extra.sysreg;
	u64 e = total * 100 / N;

	printf("bench %s: %lu.%02lu exits/op (%lu l0 exits over %u ops: irq %lu, mmio %lu, sysreg %lu, other %lu)\n",
	       op->name, e / 100, e % 100, total, N, irq, mmio, sysreg, total - irq - mmio - sysreg);
}

static void bench(const struct nested_op *op)
{
	struct counts a = { 0 }, b = { 0 };
	unsigned ops = 0, exits = 0;
	bool good = true;

	vcpu_reset(op->entry);
	write_sysreg(vbar_el1, (u64)(uintptr_t)hvb_el1_vectors);
	isb();
	extra = (struct counts){ 0 };
	if (op->prepare)
		op->prepare();
	guard_start();
	for (;;) {
		run_vcpu_unguarded(&vcpu, HCR_GUEST | HCR_VM);
		if (exit_is_hvc(HV_HVC_DONE))
			break;
		if (guard_fired[this_cpu()] || ++exits > MAX_EXITS) {
			describe_exit(op->name);
			good = false;
			break;
		}
		if (op->is_op()) {
			ops++;
			if (have_count && ops == 1)
				a = count();
			else if (have_count && ops == OPS)
				b = count();
		}
		if (!op->handle()) {
			describe_exit(op->name);
			good = false;
			break;
		}
	}
	guard_stop();
	if (op->finish)
		op->finish();
	ok(good && ops == OPS, "%s: %s, %u times", op->name, op->what, OPS);
	if (!have_count)
		skip("no NV_HC_EXIT_COUNT call (not under nestvisor)", "%s: exits per operation", op->name);
	else if (good && ops == OPS)
		report(op, a, b);
}

/* ---- nested-hvc ----------------------------------------------------------------------------- */

static void hvc_prepare(void)
{
	vcpu.x[1] = OPS;
}

static bool hvc_is_op(void)
{
	return exit_is_hvc(HV_HVC_BENCH_OP);
}

static bool hvc_handle(void)
{
	if (!hvc_is_op())
		return false;
	vcpu.x[0] = HVC_RESULT;		/* ELR_EL2 is past the HVC already */
	return true;
}

/* ---- nested-mmio ---------------------------------------------------------------------------- */

static unsigned mmio_bad;

static void mmio_prepare(void)
{
	vcpu.x[1] = win_ipa + 0x1000 * WIN_HOLE;
	vcpu.x[2] = OPS;
	mmio_bad = 0;
}

static bool mmio_is_op(void)
{
	return vcpu.kind == HV_EXIT_SYNC && ESR_EC(vcpu.esr) == EC_DABT_LOW;
}

/* The emulation: a 32-bit load (ISV, SAS 2, not a write) from the hole, its value into SRT. */
static bool mmio_handle(void)
{
	u64 iss = ESR_ISS(vcpu.esr);

	if (!mmio_is_op() || !(iss & ISS_DA_ISV) || (iss & ISS_DA_WNR) || ISS_DA_SAS(iss) != 2 ||
	    hpfar_fipa(vcpu.hpfar) != (win_ipa >> 12) + WIN_HOLE ||
	    vcpu.elr != (u64)(uintptr_t)hvb_mmio_load)
		return false;
	if (ISS_DA_SRT(iss) < 31)
		vcpu.x[ISS_DA_SRT(iss)] = MMIO_VALUE;
	vcpu.elr += 4;
	return true;
}

static void mmio_finish(void)
{
	if (vcpu.x[5] != MMIO_VALUE)
		mmio_bad++;
}

/* ---- nested-s2-fault (and the second touch) -------------------------------------------------- */

static unsigned touch_pass, touch_again;
static u64 touch_before, touch_after;

static void touch_prepare(void)
{
	vcpu.x[1] = win_ipa + 0x1000 * WIN_FRESH;
	vcpu.x[2] = OPS;
	touch_pass = touch_again = 0;
}

static u64 touch_page(void)
{
	return hpfar_fipa(vcpu.hpfar) - (win_ipa >> 12);
}

static bool touch_is_op(void)
{
	return vcpu.kind == HV_EXIT_SYNC && ESR_EC(vcpu.esr) == EC_DABT_LOW;
}

/*
 * A translation fault at level 3 on a fresh page: mapped (no TLBI: an
 * invalid entry is not cached) and the load retried. The two reports:
 * the first pass done, the second's exit counts.
 */
static bool touch_handle(void)
{
	u64 page;

	if (exit_is_hvc(HV_HVC_BENCH_PASS))
		return ++touch_pass == 1;
	if (exit_is_hvc(HV_HVC_BENCH_AGAIN)) {
		touch_before = vcpu.x[12];
		touch_after = vcpu.x[13];
		return touch_pass == 1 && ++touch_again == 1;
	}
	page = touch_page();
	if (!touch_is_op() || touch_pass || DFSC(vcpu.esr) != DFSC_TRANS_L3 || page < WIN_FRESH ||
	    page >= WIN_FRESH + OPS || s2_l3[page])
		return false;
	s2_set(&s2_l3[page], (u64)(uintptr_t)fresh[page - WIN_FRESH] | S2_PAGE);
	return true;
}

static void touch_report(void)
{
	u64 e = (touch_after - touch_before - 1) * 100 / OPS;

	ok(touch_pass == 1 && touch_again == 1,
	   "nested-s2-fault: every page touched again, no exit to the hypervisor meanwhile");
	if (!have_count) {
		skip("no NV_HC_EXIT_COUNT call (not under nestvisor)",
		     "nested-s2-touch-again: exits per operation");
		return;
	}
	if (touch_again == 1)
		printf("bench nested-s2-touch-again: %lu.%02lu exits/op (%lu l0 exits over %u ops, counted by the guest)\n",
		       e / 100, e % 100, touch_after - touch_before - 1, OPS);
}

/* ---- nested-vtimer-irq ---------------------------------------------------------------------- */

static u32 vtimer_intid;
static volatile unsigned vt_injected;

/*
 * The guest's virtual timer PPI, taken at EL2 (acknowledged with EOImode
 * 1: the priority dropped, the PPI still active) and given to the guest
 * as a HW LR: its EOI deactivates the PPI.
 */
static void vtimer_phys_irq(u32 intid)
{
	write_sysreg(ICH_LR0_EL2, LR_PENDING | LR_HW | LR_GROUP1 | LR_PRIO(VT_PRIO) |
				  LR_PINTID(intid) | intid);
	isb();
	vt_injected++;
}

static void vtimer_prepare(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(ICH_LR0_EL2, 0);
	isb();
	gic_set_eoimode(true);
	this_percpu()->manual_deactivate = true;
	irq_set_handler(vtimer_intid, vtimer_phys_irq);
	gic_clear_pending(vtimer_intid);
	gic_enable(vtimer_intid);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	isb();
	vt_injected = 0;
	vcpu.x[1] = OPS;
}

static bool vtimer_is_op(void)
{
	return vcpu.kind == HV_EXIT_IRQ && !guard_fired[this_cpu()];
}

static bool vtimer_handle(void)
{
	unsigned before = vt_injected;

	if (!vtimer_is_op())
		return false;
	service_irqs();
	return vt_injected == before + 1;
}

static void vtimer_finish(void)
{
	gic_disable(vtimer_intid);
	if (gic_active(vtimer_intid))
		gic_clear_active(vtimer_intid);
	irq_set_handler(vtimer_intid, NULL);
	this_percpu()->manual_deactivate = false;
	gic_set_eoimode(false);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICH_LR0_EL2, 0);
	isb();
}

/* ---- nested-sgi-cross: two vCPUs on two CPUs -------------------------------------------------- */

#define KICK_SGI	1	/* CPU 0 -> CPU 1, at EL2 */
#define IPI_VINTID	3	/* the virtual IPI */

static volatile u64 ipi_seen __attribute__((aligned(64)));
static struct hv_vcpu vcpu1;
static u8 el1_stack1[4096] __attribute__((aligned(16)));
static struct {
	volatile bool ready, done;
	bool good;
	unsigned ops;
	struct counts a, b, end;	/* end: its count when it is done */
} cpu1;

/* On CPU 1: the kick, injected into vCPU 1 as a virtual IPI (a software LR). */
static void ipi_kick(u32 intid)
{
	(void)intid;
	write_sysreg(ICH_LR0_EL2, LR_PENDING | LR_GROUP1 | LR_PRIO(VT_PRIO) | IPI_VINTID);
	isb();
}

/*
 * CPU 1 at EL2 (started by CPU_ON): vCPU 1 until its last HVC, every exit
 * but that one a kick's IRQ; its own exit count read at the first and the
 * last, as CPU 0 reads its own at the first and the last IPI asked for.
 */
static void ipi_cpu1(u64 ctx)
{
	(void)ctx;
	gic_cpu_init();
	gic_enable(KICK_SGI);
	gic_enable(hyp_intid);	/* the guard, on this CPU's redistributor */
	write_sysreg(hcr_el2, HCR_HOST);
	write_sysreg(ICH_LR0_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, 0);
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN);
	s2_load();
	vcpu_init(&vcpu1, hvb_ipi1, el1_stack1 + sizeof(el1_stack1));
	write_sysreg(vbar_el1, (u64)(uintptr_t)hvb_el1_vectors);
	isb();
	vcpu1.x[1] = OPS;
	vcpu1.x[6] = (u64)(uintptr_t)&ipi_seen;
	cpu1.good = true;
	__atomic_store_n(&cpu1.ready, true, __ATOMIC_SEQ_CST);
	guard_start();
	for (;;) {
		run_vcpu_unguarded(&vcpu1, HCR_GUEST | HCR_VM);
		if (vcpu1.kind == HV_EXIT_SYNC && ESR_EC(vcpu1.esr) == EC_HVC64 &&
		    (vcpu1.esr & 0xffff) == HV_HVC_DONE)
			break;
		if (vcpu1.kind != HV_EXIT_IRQ || guard_fired[this_cpu()] || cpu1.ops >= OPS) {
			cpu1.good = false;
			break;
		}
		cpu1.ops++;
		if (have_count && cpu1.ops == 1)
			cpu1.a = count();
		else if (have_count && cpu1.ops == OPS)
			cpu1.b = count();
		service_irqs();
	}
	guard_stop();
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICH_LR0_EL2, 0);
	gic_disable(KICK_SGI);
	s2_off();
	if (have_count)
		cpu1.end = count();
	__atomic_store_n(&cpu1.done, true, __ATOMIC_SEQ_CST);
}

static bool ipi_started;

static void ipi_prepare(void)
{
	memset(&cpu1, 0, sizeof(cpu1));
	ipi_seen = 0;
	dc_civac(&ipi_seen);
	irq_set_handler(KICK_SGI, ipi_kick);
	ipi_started = cpu_start(1, ipi_cpu1, 0) == PSCI_SUCCESS &&
		      WAIT_UNTIL(__atomic_load_n(&cpu1.ready, __ATOMIC_SEQ_CST), 1000000);
	vcpu.x[1] = OPS;
	vcpu.x[6] = (u64)(uintptr_t)&ipi_seen;
}

static bool ipi_is_op(void)
{
	return exit_is_hvc(HV_HVC_BENCH_IPI);
}

/* The IPI asked for: a physical SGI to CPU 1, which injects it. */
static bool ipi_handle(void)
{
	if (!ipi_is_op() || !ipi_started)
		return false;
	gic_send_sgi(KICK_SGI, cpu_mpidr[1]);
	return true;
}

static void ipi_finish(void)
{
	bool done = ipi_started && WAIT_UNTIL(__atomic_load_n(&cpu1.done, __ATOMIC_SEQ_CST), 2000000);

	diag("nested-sgi-cross: %u IRQ exits on CPU 1 (%u wanted)", cpu1.ops, OPS);
	ok(done && cpu1.good && cpu1.ops == OPS,
	   "nested-sgi-cross: vCPU 1 on CPU 1 took every IPI, each with an IRQ exit there");
	if (done) {
		extra.total = cpu1.b.total - cpu1.a.total - 1;
		if (have_count)
			diag("nested-sgi-cross: %lu exits on CPU 1 over %u ops", extra.total, N);
		extra.irq = cpu1.b.irq - cpu1.a.irq;
		extra.mmio = cpu1.b.mmio - cpu1.a.mmio;
		extra.sysreg = cpu1.b.sysreg - cpu1.a.sysreg;
		WAIT_UNTIL(!__atomic_load_n(&percpu[1].online, __ATOMIC_SEQ_CST), 1000000);
	}
	irq_set_handler(KICK_SGI, NULL);
}

static const struct nested_op sgi_op = {
	"nested-sgi-cross", hvb_ipi0, ipi_prepare, ipi_is_op, ipi_handle, ipi_finish,
	"an IPI from vCPU 0 (on CPU 0) to vCPU 1 (on CPU 1, in WFI) until vCPU 1 has taken it: "
	"the guest's HVC, a physical SGI, injected through CPU 1's list register",
};

static const struct nested_op ops[] = {
	{ "nested-hvc", hvb_hvc, hvc_prepare, hvc_is_op, hvc_handle, NULL,
	  "the guest's HVC handled and returned to" },
	{ "nested-mmio", hvb_mmio, mmio_prepare, mmio_is_op, mmio_handle, mmio_finish,
	  "a load from an IPA stage 2 does not map emulated (ESR_EL2 ISV/SAS/SRT, HPFAR_EL2, ELR_EL2 + 4)" },
	{ "nested-s2-fault", hvb_touch, touch_prepare, touch_is_op, touch_handle, NULL,
	  "the first touch of a page faults (level 3) and is mapped in stage 2 and retried" },
	{ "nested-vtimer-irq", hvb_vtimer, vtimer_prepare, vtimer_is_op, vtimer_handle, vtimer_finish,
	  "the virtual timer's PPI taken at EL2, injected as a HW LR, taken and EOI'd by the guest" },
};

void guest_main(void)
{
	u64 el = read_sysreg(CurrentEL) >> 2;
	s64 first;
	bool gic_ok;

	if (el != 2) {
		diag("SKIP not entered at EL2");
		return;
	}
	first = (s64)count().total;
	have_count = first >= 0;
	diag_env("NV_HC_EXIT_COUNT: %s (x0 0x%lx)", have_count ? "there" : "absent", (u64)first);
	gic_ok = hv_setup_gic(hyp_timer_irq) && timer_ppi(2, &vtimer_intid);
	guard_armed_ok = gic_ok;
	write_sysreg(hcr_el2, HCR_HOST);
	isb();
	if (!gic_ok)
		bail_out("no GIC, no EL2 physical timer or no virtual timer interrupt in the DT");
	s2_on();
	for (unsigned i = 0; i < ARRAY_SIZE(ops); i++) {
		bench(&ops[i]);
		if (ops[i].handle == touch_handle)
			touch_report();
	}
	if (nr_cpus >= 2)
		bench(&sgi_op);
	else
		skip("one CPU", "nested-sgi-cross: exits per operation");
	ok(!mmio_bad, "nested-mmio: the guest's load returned the emulated value");
	s2_off();
	if (have_count) {
		/*
		 * Each vCPU's count, its L2's exits included, summed (CPU 1's
		 * when it was done): compared with nestvisor's lines at the end.
		 */
		struct counts c = count();

		diag("NV_HC_EXIT_COUNT at the end, both vCPUs: total %lu, irq %lu, mmio %lu, sysreg %lu",
		     c.total + cpu1.end.total, c.irq + cpu1.end.irq, c.mmio + cpu1.end.mmio,
		     c.sysreg + cpu1.end.sysreg);
	}
}
