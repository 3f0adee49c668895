/*
 * The in-guest test framework of nestvisor's test guests: bare-metal
 * AArch64 programs at EL1 that print TAP-style results on a PL011.
 *
 * A guest defines `const char guest_name[]` and `void guest_main(void)`;
 * the library boots (start.S), finds the console, PSCI, the CPUs and the
 * GIC in the device tree, runs guest_main(), prints the summary
 *   # guest <name>: N passed, M failed
 * and powers off with PSCI SYSTEM_OFF.
 */
#ifndef GUEST_H
#define GUEST_H

#define MAX_CPUS	8
#define STACK_SIZE	16384
#define FRAME_SIZE	288	/* sizeof(struct exc_frame) */

/* struct hv_vcpu offsets, for el2.S */
#define HV_VCPU_X	0
#define HV_VCPU_ELR	248
#define HV_VCPU_SPSR	256
#define HV_VCPU_ESR	264
#define HV_VCPU_FAR	272
#define HV_VCPU_HPFAR	280
#define HV_VCPU_KIND	288
#define HV_VCPU_HOST_SP	296
#define HV_VCPU_SIZE	304

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
#define noreturn __attribute__((noreturn))
#define printf_like(f, a) __attribute__((format(printf, f, a)))

/* Provided by each guest. */
extern const char guest_name[];
void guest_main(void);

/* ---- system registers and barriers ---------------------------------- */

#define read_sysreg(r) ({ \
	u64 v__; \
	__asm__ volatile("mrs %0, " #r : "=r"(v__) :: "memory"); \
	v__; })
#define write_sysreg(r, v) do { \
	u64 w__ = (u64)(v); \
	__asm__ volatile("msr " #r ", %0" :: "r"(w__) : "memory"); \
} while (0)

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void dmb_sy(void) { __asm__ volatile("dmb sy" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("yield" ::: "memory"); }
static inline void local_irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }

/* ---- MMIO --------------------------------------------------------------
 * One plain load or store with a base register only, so that a hypervisor
 * trapping the access gets a valid instruction syndrome (ESR_EL2.ISV).
 */
static inline u8 mmio_read8(u64 a)
{ u32 v; __asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return (u8)v; }
static inline u16 mmio_read16(u64 a)
{ u32 v; __asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return (u16)v; }
static inline u32 mmio_read32(u64 a)
{ u32 v; __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline u64 mmio_read64(u64 a)
{ u64 v; __asm__ volatile("ldr %x0, [%1]" : "=r"(v) : "r"(a) : "memory"); return v; }
static inline void mmio_write8(u64 a, u8 v)
{ __asm__ volatile("strb %w0, [%1]" :: "r"((u32)v), "r"(a) : "memory"); }
static inline void mmio_write16(u64 a, u16 v)
{ __asm__ volatile("strh %w0, [%1]" :: "r"((u32)v), "r"(a) : "memory"); }
static inline void mmio_write32(u64 a, u32 v)
{ __asm__ volatile("str %w0, [%1]" :: "r"(v), "r"(a) : "memory"); }
static inline void mmio_write64(u64 a, u64 v)
{ __asm__ volatile("str %x0, [%1]" :: "r"(v), "r"(a) : "memory"); }

/* ---- console (PL011) and formatting --------------------------------- */

int printf(const char *fmt, ...) printf_like(1, 2);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) printf_like(3, 4);
bool console_init(void);
u64 console_base(void);

/* ---- device tree ------------------------------------------------------ */

extern const void *guest_fdt;
/* Offset of the first node compatible with compat, or < 0. */
int dt_find_compatible(const char *compat);
/* Entry idx of the node's reg, using its parent's #address/#size-cells. */
bool dt_reg(int node, unsigned idx, u64 *base, u64 *size);
/* A word of /chosen/bootargs ("word" or "word=..."). */
bool bootarg_has(const char *word);
/* The number after "key=" in /chosen/bootargs (strtoul, base 0). */
bool bootarg_u64(const char *key, u64 *val);
/* "strict" in bootargs: nothing optional may be skipped (under nestvisor). */
bool strict_mode(void);

/* ---- test reporting (TAP) ----------------------------------------------
 *
 * A line whose content depends on the platform rather than on the rules a
 * guest checks (a MIDR, a counter value, the number of list registers, an
 * address the loader chose) ends with ENV_MARK. Runs of the same guest in
 * two environments (QEMU's real EL2 and nestvisor's virtual EL2, say) are
 * compared line for line except those lines (tests/integration/nested.sh).
 */
#define ENV_MARK " # ENV"

/* Prints "ok N - desc" or "not ok N - desc"; returns cond. */
bool ok(bool cond, const char *fmt, ...) printf_like(2, 3);
/* ok(got == want), printing both values on failure. */
bool check_eq(u64 got, u64 want, const char *fmt, ...) printf_like(3, 4);
/* "ok N - desc # SKIP reason": counted as skipped. */
void skip(const char *reason, const char *fmt, ...) printf_like(2, 3);
/* "# text" */
void diag(const char *fmt, ...) printf_like(1, 2);
/* "# text # ENV": a diagnostic line that prints platform values. */
void diag_env(const char *fmt, ...) printf_like(1, 2);
/* ok(), the line marked ENV_MARK: a check whose verdict may differ by platform. */
bool ok_env(bool cond, const char *fmt, ...) printf_like(2, 3);
/* "Bail out! reason", the summary (counting one more failure), SYSTEM_OFF. */
noreturn void bail_out(const char *fmt, ...) printf_like(1, 2);
/* Prints the plan and summary line, then SYSTEM_OFF. */
noreturn void guest_exit(void);
unsigned tests_failed(void);

/* ---- counter, delays, watchdog ---------------------------------------- */

u64 counter_freq(void);
static inline u64 vcount(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}
static inline u64 pcount(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}
u64 us_to_ticks(u64 us);
u64 ticks_to_us(u64 ticks);
void udelay(u64 us);
/* A deadline us microseconds from now (virtual counter). */
u64 deadline_after(u64 us);
/*
 * True once the deadline has passed. Also the global watchdog: when the
 * whole run has exceeded its budget (watchdog=<seconds> in bootargs,
 * default 30), bails out instead of returning.
 */
bool deadline_passed(u64 deadline);
/* Polls cond until it holds or timeout_us pass; evaluates to cond. */
#define WAIT_UNTIL(cond, timeout_us) ({ \
	u64 d__ = deadline_after(timeout_us); \
	bool ok__; \
	while (!(ok__ = (cond)) && !deadline_passed(d__)) \
		cpu_relax(); \
	ok__; })

/* ---- exceptions --------------------------------------------------------- */

struct exc_frame {
	u64 x[31];
	u64 elr, spsr, esr, far;
	u64 pad;
};
_Static_assert(sizeof(struct exc_frame) == FRAME_SIZE, "exc_frame layout");

enum { EXC_SYNC, EXC_IRQ, EXC_FIQ, EXC_SERROR };

struct exc_record {
	unsigned kind;	/* vector index: source * 4 + type (start.S) */
	u64 esr, far, elr, spsr;
};

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_ISS(esr)	((esr) & 0x1ffffff)
#define EC_UNKNOWN	0x00
#define EC_ILLEGAL_STATE 0x0e
#define EC_HVC64	0x16
#define EC_SMC64	0x17
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define DFSC(esr)	((esr) & 0x3f)
#define DFSC_SEA	0x10
#define ESR_WNR		BIT(6)
#define SPSR_IL		BIT(20)	/* PSTATE.IL as saved in SPSR_ELx */

/*
 * Arms this CPU: its next synchronous exception is recorded and the
 * faulting instruction skipped (ELR += 4) instead of bailing out.
 */
void exc_expect(void);
/* Disarms; true (and *r filled) if an exception was recorded. */
bool exc_take(struct exc_record *r);

/* ---- CPUs and PSCI ------------------------------------------------------ */

#define PSCI_VERSION		0x84000000U
#define PSCI_CPU_SUSPEND64	0xc4000001U
#define PSCI_CPU_OFF		0x84000002U
#define PSCI_CPU_ON64		0xc4000003U
#define PSCI_AFFINITY_INFO64	0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE	0x84000006U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_SYSTEM_RESET	0x84000009U
#define PSCI_FEATURES		0x8400000aU
#define SMCCC_VERSION		0x80000000U
#define SMCCC_ARCH_FEATURES	0x80000001U
#define SMCCC_ARCH_WORKAROUND_1	0x80008000U

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)

#define MPIDR_AFF_MASK		0xff00ffffffUL

struct percpu {
	unsigned idx;
	u64 mpidr;
	u64 rd_base;			/* GIC redistributor (RD_base) */
	volatile bool online;
	/* exceptions */
	volatile bool exc_armed;
	volatile unsigned exc_count;
	struct exc_record exc;
	/* interrupts */
	volatile unsigned irq_entries;	/* IRQ exceptions taken */
	volatile unsigned spurious;	/* spurious INTIDs acknowledged */
	volatile unsigned irq_count[32]; /* SGIs and PPIs acknowledged */
	volatile unsigned other_count;	/* other INTIDs acknowledged */
	volatile u32 irq_log[16];	/* INTIDs in acknowledge order */
	volatile unsigned irq_log_n;
	volatile bool manual_deactivate; /* EOImode 1: the test writes DIR */
	volatile u64 irq_vcount;	/* CNTVCT at the last acknowledge */
};
extern struct percpu percpu[MAX_CPUS];

static inline unsigned this_cpu(void)
{
	return (unsigned)read_sysreg(tpidr_el1);
}
static inline struct percpu *this_percpu(void)
{
	return &percpu[this_cpu()];
}
static inline u64 read_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

extern unsigned nr_cpus;		/* from /cpus */
extern u64 cpu_mpidr[MAX_CPUS];	/* DT order; boot CPU is logical 0 */
extern bool psci_hvc;			/* conduit: true "hvc", false "smc" */

s64 psci_call(u32 fn, u64 a1, u64 a2, u64 a3);
/* The first DT CPU that is not the boot CPU, or -1. */
int second_cpu(void);
/*
 * PSCI CPU_ON of logical CPU idx (its stack and index set up by the
 * library) at secondary_entry: the CPU calls fn(x0 it was started with).
 * When fn returns the CPU calls CPU_OFF. Returns the PSCI status.
 */
s64 cpu_start(unsigned idx, void (*fn)(u64 ctx), u64 ctx);
noreturn void cpu_off_self(void);
noreturn void system_off(void);

/* ---- GICv3 --------------------------------------------------------------- */

#define GICR_SGI_OFFSET		0x10000
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
#define GICR_IPRIORITYR		0x0400

extern u64 gicd_base;

/* Distributor (once, boot CPU) and this CPU's redistributor and ICC regs. */
bool gic_init(void);
bool gic_cpu_init(void);
/*
 * The same without GICR_WAKER (as a guest written for KVM, where the
 * redistributor is awake from reset, does it): ARE, Group 1, the SGI
 * frame's enables, groups and priorities, PMR, BPR, EOImode, IGRPEN1.
 */
bool gic_init_nowake(void);
bool gic_cpu_init_nowake(void);
void gic_enable(u32 intid);
void gic_disable(u32 intid);
void gic_set_priority(u32 intid, u8 prio);
/* SGI/PPI state in this CPU's redistributor. */
bool gic_pending(u32 intid);
bool gic_active(u32 intid);
void gic_clear_pending(u32 intid);
void gic_clear_active(u32 intid);
/* ICC_SGI1R_EL1: one target, or all but self (IRM). */
void gic_send_sgi(u32 intid, u64 mpidr);
void gic_send_sgi_others(u32 intid);
/* ICC_CTLR_EL1.EOImode */
void gic_set_eoimode(bool drop_only);
static inline void gic_write_pmr(u64 v) { write_sysreg(ICC_PMR_EL1, v); isb(); }
static inline void gic_write_dir(u32 intid) { write_sysreg(ICC_DIR_EL1, intid); isb(); }

/*
 * IRQ dispatch: the vector acknowledges (ICC_IAR1_EL1) until a spurious
 * INTID, logs each INTID in this CPU's percpu, calls its handler (if
 * any) and writes EOIR (and, with EOImode 1, DIR unless
 * manual_deactivate). A PPI or SPI with no handler is disabled.
 */
typedef void (*irq_handler_t)(u32 intid);
void irq_set_handler(u32 intid, irq_handler_t fn);
void irq_log_reset(void);

/* ---- timer --------------------------------------------------------------- */

/* The arch timer's PPIs from the DT (interrupts 2 and 3: NS physical, virtual). */
bool timer_ppis(u32 *phys_intid, u32 *virt_intid);
/* The INTID of the DT timer node's interrupt idx (0: secure physical, 1: NS
 * physical, 2: virtual, 3: EL2 physical). */
bool timer_ppi(unsigned idx, u32 *intid);

/* ---- EL2 (a guest that stays at EL2: the test hypervisor) ---------------
 *
 * A guest defining `const bool guest_stays_at_el2 = true;` and entered at
 * EL2 stays there (start.S): HCR_EL2.E2H = 0, HCR_EL2 = RW, its own EL2
 * identity map with the MMU on, VBAR_EL2 = el2_vectors, whose current-EL
 * entries behave as the EL1 ones (exc_handler: IRQs dispatched, expected
 * exceptions recorded, others bail out). Entered at EL1, it runs at EL1.
 */
extern const bool guest_stays_at_el2;
/* HCR_EL2 as found at entry when the guest stayed at EL2, else 0. */
extern u64 el2_entry_hcr;
extern char el2_vectors[];

/*
 * A lower-EL context run by hv_enter(): its x0-x30, and the ELR_EL2 and
 * SPSR_EL2 it is entered with (SPSR_EL2.M picks the EL and stack pointer).
 * When it takes an exception to EL2, its registers, ELR_EL2, SPSR_EL2,
 * ESR_EL2, FAR_EL2 and HPFAR_EL2 are stored here and hv_enter() returns
 * the el2_vectors entry taken (8 + type: a lower EL using AArch64; type as
 * EXC_*). Everything else (HCR_EL2, EL1 system registers, stage 2) is the
 * caller's to set. TPIDR_EL2 holds the running context.
 */
struct hv_vcpu {
	u64 x[31];
	u64 elr, spsr;
	u64 esr, far, hpfar;	/* of the last exit */
	u64 kind;		/* of the last exit */
	u64 host_sp;
};
_Static_assert(__builtin_offsetof(struct hv_vcpu, elr) == HV_VCPU_ELR, "hv_vcpu layout");
_Static_assert(__builtin_offsetof(struct hv_vcpu, hpfar) == HV_VCPU_HPFAR, "hv_vcpu layout");
_Static_assert(__builtin_offsetof(struct hv_vcpu, host_sp) == HV_VCPU_HOST_SP, "hv_vcpu layout");
_Static_assert(sizeof(struct hv_vcpu) == HV_VCPU_SIZE, "hv_vcpu layout");

#define HV_EXIT_SYNC	(8 + EXC_SYNC)
#define HV_EXIT_IRQ	(8 + EXC_IRQ)
#define HV_EXIT_FIQ	(8 + EXC_FIQ)
#define HV_EXIT_SERROR	(8 + EXC_SERROR)

/* Runs v until its next exception to EL2; returns the exit kind. */
u64 hv_enter(struct hv_vcpu *v);

#endif /* __ASSEMBLER__ */
#endif
