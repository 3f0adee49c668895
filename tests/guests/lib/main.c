/*
 * The guest's C entry, device-tree helpers, TAP reporting, the counter and
 * the watchdog, and the synchronous-exception handling.
 */
#include <libfdt.h>
#include <string.h>
#include <stdlib.h>

#include "guest.h"

const void *guest_fdt;
struct percpu percpu[MAX_CPUS];

static unsigned n_pass, n_fail, n_skip, n_test;
static u64 freq;
static u64 watchdog_deadline;
static volatile bool exiting;
static volatile u32 exit_owner;	/* 1 + the CPU that prints the summary */

/* ---- device tree ------------------------------------------------------- */

int dt_find_compatible(const char *compat)
{
	return fdt_node_offset_by_compatible(guest_fdt, -1, compat);
}

static u64 read_cells(const fdt32_t *p, int n)
{
	u64 v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

bool dt_reg(int node, unsigned idx, u64 *base, u64 *size)
{
	int parent = fdt_parent_offset(guest_fdt, node);
	int ac = fdt_address_cells(guest_fdt, parent);
	int sc = fdt_size_cells(guest_fdt, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(guest_fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return false;
	if ((unsigned)len < (idx + 1) * (unsigned)(ac + sc) * 4)
		return false;
	reg += idx * (unsigned)(ac + sc);
	*base = read_cells(reg, ac);
	*size = read_cells(reg + ac, sc);
	return true;
}

static const char *bootargs(void)
{
	int len;
	const char *s = fdt_getprop(guest_fdt, fdt_path_offset(guest_fdt, "/chosen"),
				    "bootargs", &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : "";
}

/* The value after "key=" (or "" for a bare "key") of a bootargs word. */
static const char *bootarg_find(const char *key)
{
	const char *p = bootargs();
	size_t klen = strlen(key);

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && (p[klen] == '=' || p[klen] == ' ' || !p[klen]))
			return p[klen] == '=' ? p + klen + 1 : p + klen;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool bootarg_has(const char *word)
{
	return bootarg_find(word) != NULL;
}

bool bootarg_u64(const char *key, u64 *val)
{
	const char *v = bootarg_find(key);
	char *end;

	if (!v || !*v || *v == ' ')
		return false;
	*val = strtoul(v, &end, 0);
	return end != v;
}

bool strict_mode(void)
{
	return bootarg_has("strict");
}

/* ---- reporting ----------------------------------------------------------- */

static void vreport(bool pass, const char *directive, const char *fmt, va_list ap)
{
	char desc[256];
	unsigned n;

	vsnprintf(desc, sizeof(desc), fmt, ap);
	n = __atomic_add_fetch(&n_test, 1, __ATOMIC_SEQ_CST);
	printf("%sok %u - %s%s\n", pass ? "" : "not ", n, desc, directive);
}

bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cond, "", fmt, ap);
	va_end(ap);
	__atomic_add_fetch(cond ? &n_pass : &n_fail, 1, __ATOMIC_SEQ_CST);
	return cond;
}

bool ok_env(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(cond, ENV_MARK, fmt, ap);
	va_end(ap);
	__atomic_add_fetch(cond ? &n_pass : &n_fail, 1, __ATOMIC_SEQ_CST);
	return cond;
}

bool check_eq(u64 got, u64 want, const char *fmt, ...)
{
	va_list ap;
	bool pass = got == want;

	va_start(ap, fmt);
	vreport(pass, "", fmt, ap);
	va_end(ap);
	__atomic_add_fetch(pass ? &n_pass : &n_fail, 1, __ATOMIC_SEQ_CST);
	if (!pass) {
		printf("#   got 0x%lx, want 0x%lx\n", got, want);
	}
	return pass;
}

void skip(const char *reason, const char *fmt, ...)
{
	char dir[160];
	va_list ap;

	snprintf(dir, sizeof(dir), " # SKIP %s", reason);
	va_start(ap, fmt);
	vreport(true, dir, fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&n_skip, 1, __ATOMIC_SEQ_CST);
}

static void vdiag(const char *mark, const char *fmt, va_list ap)
{
	char buf[400];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	printf("# %s%s\n", buf, mark);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag("", fmt, ap);
	va_end(ap);
}

void diag_env(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(ENV_MARK, fmt, ap);
	va_end(ap);
}

unsigned tests_failed(void)
{
	return n_fail;
}

/* Only the first CPU to get here ends the run; any other one parks. */
static void claim_exit(void)
{
	u32 none = 0;

	if (!__atomic_compare_exchange_n(&exit_owner, &none, this_cpu() + 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) &&
	    none != this_cpu() + 1) {
		local_irq_disable();
		for (;;)
			__asm__ volatile("wfi");
	}
	exiting = true;
}

noreturn void guest_exit(void)
{
	claim_exit();
	printf("1..%u\n", n_test);
	if (n_skip)
		printf("# guest %s: %u passed, %u failed, %u skipped\n", guest_name,
		       n_pass, n_fail, n_skip);
	else
		printf("# guest %s: %u passed, %u failed\n", guest_name, n_pass, n_fail);
	system_off();
}

noreturn void bail_out(const char *fmt, ...)
{
	char buf[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (exiting && exit_owner == this_cpu() + 1)	/* failed while exiting */
		system_off();
	claim_exit();
	printf("Bail out! %s (CPU %u)\n", buf, this_cpu());
	__atomic_add_fetch(&n_fail, 1, __ATOMIC_SEQ_CST);
	guest_exit();
}

/* ---- counter and watchdog -------------------------------------------------- */

u64 counter_freq(void)
{
	return freq;
}

u64 us_to_ticks(u64 us)
{
	return us * (freq / 1000000) + us * (freq % 1000000) / 1000000;
}

u64 ticks_to_us(u64 ticks)
{
	return ticks / freq * 1000000 + ticks % freq * 1000000 / freq;
}

void udelay(u64 us)
{
	u64 end = vcount() + us_to_ticks(us);

	while (vcount() < end)
		cpu_relax();
}

u64 deadline_after(u64 us)
{
	return vcount() + us_to_ticks(us);
}

bool deadline_passed(u64 deadline)
{
	u64 now = vcount();

	if (watchdog_deadline && now > watchdog_deadline && !exiting)
		bail_out("watchdog: the run exceeded its time budget");
	return now > deadline;
}

/* ---- exceptions ------------------------------------------------------------- */

static const char *const kind_names[] = { "sync", "IRQ", "FIQ", "SError" };
static const char *const source_names[] = { "EL1t", "EL1h", "EL0 AArch64", "EL0 AArch32" };
static const char *const el2_source_names[] = { "EL2t", "EL2h", "EL1/EL0 AArch64", "EL1/EL0 AArch32" };

void irq_dispatch(void);	/* gic.c */
void exc_handler(struct exc_frame *f, unsigned kind);

void exc_expect(void)
{
	struct percpu *pc = this_percpu();

	pc->exc_count = 0;
	__atomic_store_n(&pc->exc_armed, true, __ATOMIC_SEQ_CST);
}

bool exc_take(struct exc_record *r)
{
	struct percpu *pc = this_percpu();
	bool taken;

	__atomic_store_n(&pc->exc_armed, false, __ATOMIC_SEQ_CST);
	taken = pc->exc_count != 0;
	if (taken && r)
		*r = pc->exc;
	pc->exc_count = 0;
	return taken;
}

void exc_handler(struct exc_frame *f, unsigned kind)
{
	struct percpu *pc = this_percpu();
	unsigned type = kind & 3;

	if (kind == 4 * 1 + EXC_IRQ || kind == 4 * 0 + EXC_IRQ) {
		irq_dispatch();
		return;
	}
	if (type == EXC_SYNC && pc->exc_armed && pc->exc_count == 0) {
		unsigned ec = (unsigned)ESR_EC(f->esr);

		pc->exc.kind = kind;
		pc->exc.esr = f->esr;
		pc->exc.far = f->far;
		pc->exc.elr = f->elr;
		pc->exc.spsr = f->spsr;
		pc->exc_count++;
		/*
		 * An Illegal Execution state exception (EC 0x0E) saved
		 * PSTATE.IL = 1: returning with it would take the exception
		 * again at the next instruction.
		 */
		if (ec == EC_ILLEGAL_STATE)
			f->spsr &= ~SPSR_IL;
		/* Calls return after the instruction already; faults do not. */
		if (ec != EC_HVC64 && ec != EC_SMC64 && ec != 0x15)
			f->elr += 4;
		return;
	}
	printf("# unexpected %s exception from %s: ESR 0x%lx (EC 0x%lx) FAR 0x%lx ELR 0x%lx SPSR 0x%lx\n",
	       kind_names[type],
	       (read_sysreg(CurrentEL) >> 2 == 2 ? el2_source_names : source_names)[(kind >> 2) & 3],
	       f->esr,
	       ESR_EC(f->esr), f->far, f->elr, f->spsr);
	for (unsigned i = 0; i < 28; i += 4)
		printf("#   x%-2u %016lx x%-2u %016lx x%-2u %016lx x%-2u %016lx\n",
		       i, f->x[i], i + 1, f->x[i + 1], i + 2, f->x[i + 2], i + 3, f->x[i + 3]);
	printf("#   x28 %016lx x29 %016lx x30 %016lx sp  %016lx\n", f->x[28], f->x[29],
	       f->x[30], (u64)(uintptr_t)(f + 1));
	bail_out("unexpected %s exception", kind_names[type]);
}

/* ---- entry ------------------------------------------------------------------- */

void psci_init(void);	/* psci.c */
void guest_c_entry(void *fdt, u64 entry_el);

void guest_c_entry(void *fdt, u64 entry_el)
{
	u64 wd_s = 30;

	percpu[0].idx = 0;
	percpu[0].mpidr = read_mpidr();
	percpu[0].online = true;
	guest_fdt = fdt;
	freq = read_sysreg(cntfrq_el0);
	if (fdt_check_header(fdt) != 0 || !console_init()) {
		/* No console to complain on: power off (PSCI over hvc, then smc). */
		psci_hvc = true;
		psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
		psci_hvc = false;
		psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
		for (;;)
			__asm__ volatile("wfi");
	}
	printf("# nestvisor test guest '%s': entered at EL%lu\n", guest_name, entry_el);
	diag_env("CPU MPIDR 0x%lx, DTB %p, UART 0x%lx", percpu[0].mpidr, fdt, console_base());
	if (freq == 0)
		freq = 62500000;	/* only so that waits stay bounded */
	bootarg_u64("watchdog", &wd_s);
	watchdog_deadline = vcount() + wd_s * freq;
	psci_init();
	diag_env("counter %lu Hz, %u CPU(s) in the DT, PSCI conduit %s, watchdog %lu s%s",
	     freq, nr_cpus, psci_hvc ? "hvc" : "smc", wd_s, strict_mode() ? ", strict" : "");
	guest_main();
	guest_exit();
}
